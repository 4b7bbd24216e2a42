//! Message steps (1.1): where a step sends or receives, what it sends, what it waits for; and
//! the AsyncAPI sources the client holds.

use super::document::Planner;
use super::lower::Lowerer;
use super::names::Case;
use super::{
    BodyKind, BodyPlan, CorrelationPlan, Lowered, MessageCall, MessageKind, MessageSourcePlan,
    MqttBindingsPlan, ServerPlan,
};
use crate::asyncapi::{MessageRef, resolve};
use crate::load::{AsyncApiId, AsyncApiVersion, SourceTarget};
use crate::model::{ParamLocation, Parameter, Step};
use crate::node::Node;

impl<'p> Planner<'p> {
    pub fn message_call(
        &mut self,
        lowerer: &Lowerer<'p>,
        step: &'p Step,
        called: &MessageRef,
        params: &[Parameter],
    ) -> Option<MessageCall> {
        let resolved = resolve(self.project, called).ok()?;
        let receive = step.action.as_ref().is_some_and(|a| a.value == "receive");
        let side = if receive {
            resolved.receive.as_ref()?
        } else {
            resolved.send.as_ref()?
        };
        let source = self.message_source(called.doc)?;
        let lower = |planner: &mut Self, node: &Node| match lowerer.value(node, Some(step)) {
            Ok(v) => Some(v),
            Err(e) => {
                planner.expr_error(node, &e);
                None
            }
        };
        let mut channel_params = Vec::new();
        let mut headers = Vec::new();
        for p in params {
            let Some(value) = lower(self, &p.value) else {
                continue;
            };
            match p.location.as_ref().map(|l| l.value) {
                Some(ParamLocation::Channel) => channel_params.push((
                    p.name.value.clone(),
                    super::step::written(&p.value),
                    value,
                )),
                Some(ParamLocation::Header) => headers.push((p.name.value.clone(), value)),
                _ => {}
            }
        }
        let first = side.messages.first();
        let content_type = step
            .request_body
            .as_ref()
            .and_then(|b| b.content_type.as_ref())
            .map(|c| c.value.clone())
            .or_else(|| first.and_then(|m| m.content_type.clone()))
            .unwrap_or_else(|| "application/json".to_owned());
        let json = is_json_media(&content_type);
        let kind = if receive {
            let correlation = match (
                &step.correlation_id,
                first.and_then(|m| m.correlation.as_ref()),
            ) {
                (Some(node), Some(c)) => Some(CorrelationPlan {
                    in_header: c.in_header,
                    pointer: c.pointer.clone(),
                    value: lower(self, node)?,
                }),
                _ => None,
            };
            MessageKind::Receive {
                subscription: format!(
                    "subscription_{}",
                    super::sanitize(&step.step_id.value, Case::Snake)
                ),
                correlation,
                json,
                content_type,
            }
        } else {
            let payload = match step.request_body.as_ref() {
                Some(b) => {
                    let value = match &b.payload {
                        Some(p) => lower(self, p)?,
                        None => Lowered::Literal(serde_json::Value::Null),
                    };
                    Some(BodyPlan {
                        kind: if json { BodyKind::Json } else { BodyKind::Text },
                        content_type,
                        value,
                        replacements: self.replacements(lowerer, step, b),
                    })
                }
                None => None,
            };
            MessageKind::Send { headers, payload }
        };
        Some(MessageCall {
            operation_id: resolved.operation_id.clone(),
            source,
            address: side.channel.address.clone(),
            channel_params,
            kind,
        })
    }

    /// The client field holding AsyncAPI source `doc`, recorded with its servers when first
    /// asked for.
    fn message_source(&mut self, doc: AsyncApiId) -> Option<String> {
        if let Some(known) = self.message_sources.iter().find(|(d, _)| *d == doc) {
            return Some(known.1.field.clone());
        }
        let name = self
            .project
            .arazzo
            .iter()
            .flat_map(|d| d.sources.iter())
            .find(|s| s.target == SourceTarget::AsyncApi(doc))
            .map(|s| s.name.clone())?;
        let description = self.project.asyncapi.get(doc.0)?;
        let field = self.fields.name(&format!("{name}_messages"), Case::Snake);
        let transport_setter = self
            .methods
            .name(&format!("with_{name}_transport"), Case::Snake);
        let server_setter = self
            .methods
            .name(&format!("with_{name}_server"), Case::Snake);
        let user_password_setter = asks_user_password(self.project, description).then(|| {
            self.methods
                .name(&format!("with_{name}_user_password"), Case::Snake)
        });
        self.message_sources.push((
            doc,
            MessageSourcePlan {
                name,
                field: field.clone(),
                transport_setter,
                server_setter,
                servers: servers(&description.root, description.version),
                user_password_setter,
            },
        ));
        Some(field)
    }
}

/// Each server: 3.0's `host` and `pathname`, 2.x's `url`, and its MQTT binding.
fn servers(root: &Node, version: AsyncApiVersion) -> Vec<ServerPlan> {
    let Some(map) = root.get("servers").and_then(Node::as_map) else {
        return Vec::new();
    };
    map.entries
        .iter()
        .filter_map(|e| {
            let text = |k: &str| e.value.get(k).and_then(Node::as_str);
            let protocol = text("protocol")?.to_ascii_lowercase();
            let url = match version {
                AsyncApiVersion::V3 => {
                    format!("{}{}", text("host")?, text("pathname").unwrap_or(""))
                }
                AsyncApiVersion::V2 => text("url")?.to_owned(),
            };
            let binding = e.value.at(&["bindings", "mqtt"]);
            let field = |k: &str| binding.and_then(|b| b.get(k)).map(|n| &n.value);
            let number = |k: &str| match field(k) {
                Some(crate::node::Value::Int(i)) => u64::try_from(*i).ok(),
                _ => None,
            };
            let mqtt = MqttBindingsPlan {
                client_id: binding
                    .and_then(|b| b.get("clientId"))
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                clean_session: match field("cleanSession") {
                    Some(crate::node::Value::Bool(b)) => Some(*b),
                    _ => None,
                },
                keep_alive_secs: number("keepAlive"),
                maximum_packet_size: number("maximumPacketSize")
                    .and_then(|n| u32::try_from(n).ok()),
            };
            Some(ServerPlan {
                name: e.key.clone(),
                protocol,
                url,
                mqtt,
            })
        })
        .collect()
}

/// Whether a server of the description asks for a user name and password: a `userPassword`
/// security scheme (3.0: listed on the server, inline or by `$ref`; 2.x: named by a requirement).
fn asks_user_password(
    project: &crate::load::Project,
    description: &crate::load::AsyncApiDoc,
) -> bool {
    let root = &description.root;
    let schemes = root.at(&["components", "securitySchemes"]);
    let is_user_password = |node: &Node| {
        crate::openapi::refs::follow(project, description.file, String::new(), node)
            .is_ok_and(|t| t.node.get("type").and_then(Node::as_str) == Some("userPassword"))
    };
    root.get("servers")
        .and_then(Node::as_map)
        .into_iter()
        .flat_map(|m| m.entries.iter())
        .filter_map(|e| e.value.get("security").and_then(Node::as_seq))
        .flatten()
        .any(|requirement| match description.version {
            AsyncApiVersion::V3 => is_user_password(requirement),
            AsyncApiVersion::V2 => requirement.as_map().is_some_and(|m| {
                m.keys()
                    .filter_map(|k| schemes.and_then(|s| s.get(k)))
                    .any(is_user_password)
            }),
        })
}

/// `application/json`, `application/*+json`, with or without parameters.
fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
