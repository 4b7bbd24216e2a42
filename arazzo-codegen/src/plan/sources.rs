//! Sources and security schemes: which OpenAPI descriptions the generated operations call
//! (each a base URL on the client), which schemes they require (each a credential on the
//! client), and what credentials each operation sends.

use super::document::Planner;
use super::names::{Case, sanitize};
use super::{
    AuthField, AuthPlan, FlowPlan, OAuthFlow, ParamPlan, ParamStyle, SchemeKind, SchemePlan,
    SourcePlan,
};
use crate::load::{ArazzoId, OpenApiId, SourceTarget};
use crate::model::{ParamLocation, Parameter, Step};
use crate::node::Node;

impl Planner<'_> {
    /// The client field with the base URL of OpenAPI description `doc`, recorded with its
    /// default URL when first called. The user's document names the source first; a
    /// description only an Arazzo source uses keeps that source's name.
    pub fn source(&mut self, from: ArazzoId, doc: OpenApiId) -> Option<String> {
        if let Some((_, known)) = self.sources.iter().find(|(d, _)| *d == doc) {
            return Some(known.field.clone());
        }
        let name = [from, ArazzoId(0)]
            .into_iter()
            .chain((0..self.project.arazzo.len()).map(ArazzoId))
            .filter_map(|d| self.project.arazzo.get(d.0))
            .flat_map(|d| d.sources.iter())
            .find(|s| s.target == SourceTarget::OpenApi(doc))
            .map(|s| s.name.clone())?;
        let root = &self.project.openapi.get(doc.0)?.root;
        let unique = if self.sources.iter().any(|(_, s)| s.name == name) {
            format!("{name}{}", doc.0)
        } else {
            name
        };
        let mut mock_prefix = format!("/{}", sanitize(&unique, Case::Snake));
        if self
            .sources
            .iter()
            .any(|(_, s)| s.mock_prefix == mock_prefix)
        {
            mock_prefix.push_str(&doc.0.to_string());
        }
        let field = self.fields.name(&format!("{unique}_url"), Case::Snake);
        let setter = self.methods.name(&format!("with_{field}"), Case::Snake);
        self.sources.push((
            doc,
            SourcePlan {
                field: field.clone(),
                setter,
                default_url: server_url(root),
                mock_prefix,
                name: unique,
            },
        ));
        Some(field)
    }

    /// The security alternatives of an operation (its own `security`, else the description's),
    /// as scheme names and scopes; each scheme named is recorded for the client.
    pub fn security(&mut self, doc: OpenApiId, op_node: &Node) -> Vec<Vec<Requirement>> {
        let Some(root) = self.project.openapi.get(doc.0).map(|d| &d.root) else {
            return Vec::new();
        };
        let requirements = op_node.get("security").or_else(|| root.get("security"));
        let Some(list) = requirements.and_then(Node::as_seq) else {
            return Vec::new();
        };
        let mut alternatives = Vec::new();
        for requirement in list {
            let names: Vec<Requirement> = requirement
                .as_map()
                .map(|m| {
                    m.entries
                        .iter()
                        .map(|e| Requirement {
                            scheme: e.key.clone(),
                            scopes: e
                                .value
                                .as_seq()
                                .unwrap_or_default()
                                .iter()
                                .filter_map(Node::scalar_text)
                                .collect(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            for name in &names {
                self.scheme(root, &name.scheme);
            }
            alternatives.push(names);
        }
        alternatives
    }

    fn scheme(&mut self, root: &Node, name: &str) {
        if self.schemes.iter().any(|s| s.name == name) {
            return;
        }
        let Some(def) = root.at(&["components", "securitySchemes", name]) else {
            return;
        };
        let text = |k: &str| def.get(k).and_then(Node::as_str).map(str::to_owned);
        let kind = match (
            text("type").as_deref(),
            text("scheme").map(|s| s.to_ascii_lowercase()).as_deref(),
        ) {
            (Some("http"), Some("basic")) => SchemeKind::Basic,
            (Some("apiKey"), _) => {
                let location = match text("in").as_deref() {
                    Some("query") => ParamLocation::Query,
                    Some("cookie") => ParamLocation::Cookie,
                    _ => ParamLocation::Header,
                };
                SchemeKind::ApiKey {
                    location,
                    name: text("name").unwrap_or_default(),
                }
            }
            (Some("oauth2"), _) => SchemeKind::OAuth2 {
                flows: self.flows(name, def.get("flows")),
                endpoint_setter: self
                    .methods
                    .name(&format!("with_{name}_token_url"), Case::Snake),
            },
            (Some("openIdConnect"), _) => {
                // Discovery names the endpoint; which grants it takes, only the server knows.
                let flows: Vec<FlowPlan> = [
                    OAuthFlow::ClientCredentials,
                    OAuthFlow::Password,
                    OAuthFlow::AuthorizationCode,
                ]
                .into_iter()
                .map(|flow| self.flow_plan(name, flow, None))
                .collect();
                SchemeKind::OpenIdConnect {
                    url: text("openIdConnectUrl").unwrap_or_default(),
                    flows,
                    endpoint_setter: self
                        .methods
                        .name(&format!("with_{name}_discovery_url"), Case::Snake),
                }
            }
            (Some("mutualTLS"), _) => SchemeKind::MutualTls {
                client_setter: self
                    .methods
                    .name(&format!("with_{name}_http_client"), Case::Snake),
            },
            // http bearer (and any scheme we cannot hold better) sends a bearer token.
            _ => SchemeKind::Bearer,
        };
        self.schemes.push(SchemePlan {
            name: name.to_owned(),
            kind,
            description: text("description"),
            field: self.fields.name(name, Case::Snake),
            setter: self.methods.name(&format!("with_{name}"), Case::Snake),
        });
    }

    /// The flows an `oauth2` scheme declares, in OpenAPI's order.
    fn flows(&mut self, scheme: &str, flows: Option<&Node>) -> Vec<FlowPlan> {
        let Some(flows) = flows else {
            return Vec::new();
        };
        OAuthFlow::ALL
            .into_iter()
            .filter_map(|(flow, key)| {
                let def = flows.get(key)?;
                Some(self.flow_plan(scheme, flow, Some(def)))
            })
            .collect()
    }

    fn flow_plan(&mut self, scheme: &str, flow: OAuthFlow, def: Option<&Node>) -> FlowPlan {
        let url = |k: &str| {
            def.and_then(|d| d.get(k))
                .and_then(Node::as_str)
                .filter(|u| !u.is_empty())
                .map(str::to_owned)
        };
        let authorization_url = match flow {
            OAuthFlow::DeviceAuthorization => url("deviceAuthorizationUrl"),
            _ => url("authorizationUrl"),
        };
        FlowPlan {
            flow,
            authorization_url,
            token_url: url("tokenUrl"),
            refresh_url: url("refreshUrl"),
            setter: self
                .methods
                .name(&format!("with_{scheme}_{}", flow.name()), Case::Snake),
        }
    }

    /// A parameter the document supplies where a scheme puts its credential (`Authorization`
    /// for HTTP and OAuth schemes, an API key's own name) is the document's credential: it is
    /// sent as written, and that scheme asks nothing of the client. An `Authorization` header
    /// is sent even when no scheme names it: OpenAPI ignores its declaration, so no operation
    /// can declare it.
    pub fn document_credentials<'m>(
        &mut self,
        lowerer: &super::lower::Lowerer<'_>,
        step: &Step,
        mut security: Vec<Vec<Requirement>>,
        given: impl Iterator<Item = &'m Parameter> + Clone,
        params: &mut Vec<ParamPlan>,
    ) -> Vec<Vec<Requirement>> {
        let slot_of = |kind: &SchemeKind| match kind {
            SchemeKind::ApiKey { location, name } => Some((*location, name.clone())),
            SchemeKind::Basic
            | SchemeKind::Bearer
            | SchemeKind::OAuth2 { .. }
            | SchemeKind::OpenIdConnect { .. } => {
                Some((ParamLocation::Header, "Authorization".to_owned()))
            }
            // A certificate is no parameter.
            SchemeKind::MutualTls { .. } => None,
        };
        let mut slots = vec![(ParamLocation::Header, "Authorization".to_owned())];
        slots.extend(
            security
                .iter()
                .flatten()
                .filter_map(|r| self.schemes.iter().find(|s| s.name == r.scheme))
                .filter_map(|s| slot_of(&s.kind)),
        );
        let mut filled = Vec::new();
        for slot in slots {
            let Some(p) = given.clone().find(|p| p.is(slot.0, &slot.1)) else {
                continue;
            };
            // Declared by the operation (as an `Authorization` header may be, though OpenAPI
            // ignores it): planned with the others, and a credential all the same.
            let mut sent = false;
            for q in params
                .iter_mut()
                .filter(|q| q.location == slot.0 && slot.0.same_name(&q.name, &slot.1))
            {
                q.secret = true;
                sent = true;
            }
            if !sent {
                match lowerer.value(&p.value, Some(step)) {
                    Ok(value) => params.push(ParamPlan {
                        name: p.name.value.clone(),
                        location: slot.0,
                        style: if slot.0 == ParamLocation::Query {
                            ParamStyle::Form
                        } else {
                            ParamStyle::Simple
                        },
                        explode: false,
                        required: true,
                        value,
                        written: p
                            .value
                            .scalar_text()
                            .unwrap_or_else(|| "a literal value".to_owned()),
                        secret: true,
                    }),
                    Err(e) => self.expr_error(&p.value, &e),
                }
            }
            filled.push(slot);
        }
        for alternative in &mut security {
            alternative.retain(|r| {
                !self
                    .schemes
                    .iter()
                    .find(|s| s.name == r.scheme)
                    .and_then(|s| slot_of(&s.kind))
                    .is_some_and(|slot| filled.contains(&slot))
            });
        }
        security
    }

    /// What the client sends for `security`: the alternatives whose every scheme it can hold,
    /// as client fields. An empty alternative makes no credentials acceptable.
    pub fn auth(&self, security: &[Vec<Requirement>]) -> AuthPlan {
        let field_of = |r: &Requirement| {
            let s = self.schemes.iter().find(|s| s.name == r.scheme)?;
            let tokens = matches!(
                s.kind,
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }
            );
            Some(AuthField {
                field: s.field.clone(),
                scopes: tokens.then(|| r.scopes.clone()),
            })
        };
        let mut plan = AuthPlan {
            alternatives: Vec::new(),
            anonymous: security.is_empty(),
            first: security
                .iter()
                .flatten()
                .next()
                .and_then(|r| field_of(r).map(|f| f.field)),
        };
        for alternative in security {
            if alternative.is_empty() {
                plan.anonymous = true;
                continue;
            }
            let fields: Option<Vec<AuthField>> = alternative.iter().map(field_of).collect();
            if let Some(fields) = fields {
                plan.alternatives.push(fields);
            }
        }
        if plan.alternatives.is_empty() {
            plan.anonymous = true;
        }
        plan
    }
}

/// One scheme of a security requirement, with the scopes it lists.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub scheme: String,
    pub scopes: Vec<String>,
}

/// `servers[0].url` with its variables at their defaults.
fn server_url(root: &Node) -> String {
    let Some(server) = root
        .get("servers")
        .and_then(Node::as_seq)
        .and_then(|s| s.first())
    else {
        return String::new();
    };
    let mut url = server
        .get("url")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned();
    if let Some(vars) = server.get("variables").and_then(Node::as_map) {
        for e in &vars.entries {
            if let Some(default) = e.value.get("default").and_then(Node::scalar_text) {
                url = url.replace(&format!("{{{}}}", e.key), &default);
            }
        }
    }
    url
}
