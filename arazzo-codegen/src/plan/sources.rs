//! Sources and security schemes: which OpenAPI descriptions the generated operations call
//! (each a base URL on the client), which schemes they require (each a credential on the
//! client), and what credentials each operation sends.

use super::document::Planner;
use super::names::Case;
use super::{AuthPlan, ParamPlan, ParamStyle, SchemeKind, SchemePlan, SourcePlan};
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
        let field = self.fields.name(&format!("{unique}_url"), Case::Snake);
        let setter = self.methods.name(&format!("with_{field}"), Case::Snake);
        self.sources.push((
            doc,
            SourcePlan {
                name: unique,
                field: field.clone(),
                setter,
                default_url: server_url(root),
            },
        ));
        Some(field)
    }

    /// The security alternatives of an operation (its own `security`, else the description's),
    /// as scheme names; each scheme named is recorded for the client.
    pub fn security(&mut self, doc: OpenApiId, op_node: &Node) -> Vec<Vec<String>> {
        let Some(root) = self.project.openapi.get(doc.0).map(|d| &d.root) else {
            return Vec::new();
        };
        let requirements = op_node.get("security").or_else(|| root.get("security"));
        let Some(list) = requirements.and_then(Node::as_seq) else {
            return Vec::new();
        };
        let mut alternatives = Vec::new();
        for requirement in list {
            let names: Vec<String> = requirement
                .as_map()
                .map(|m| m.keys().map(str::to_owned).collect())
                .unwrap_or_default();
            for name in &names {
                self.scheme(root, name);
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
            // http bearer, oauth2 and openIdConnect all send a bearer token.
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

    /// A parameter the document supplies where a scheme puts its credential (`Authorization`
    /// for HTTP and OAuth schemes, an API key's own name) is the document's credential: it is
    /// sent as written, and that scheme asks nothing of the client. An `Authorization` header
    /// is sent even when no scheme names it: OpenAPI ignores its declaration, so no operation
    /// can declare it.
    pub fn document_credentials<'m>(
        &mut self,
        lowerer: &super::lower::Lowerer<'_>,
        step: &Step,
        mut security: Vec<Vec<String>>,
        given: impl Iterator<Item = &'m Parameter> + Clone,
        params: &mut Vec<ParamPlan>,
    ) -> Vec<Vec<String>> {
        let slot_of = |kind: &SchemeKind| match kind {
            SchemeKind::ApiKey { location, name } => (*location, name.clone()),
            SchemeKind::Basic | SchemeKind::Bearer => {
                (ParamLocation::Header, "Authorization".to_owned())
            }
        };
        let mut slots = vec![(ParamLocation::Header, "Authorization".to_owned())];
        slots.extend(
            security
                .iter()
                .flatten()
                .filter_map(|name| self.schemes.iter().find(|s| s.name == *name))
                .map(|s| slot_of(&s.kind)),
        );
        let mut filled = Vec::new();
        for slot in slots {
            let Some(p) = given.clone().find(|p| p.is(slot.0, &slot.1)) else {
                continue;
            };
            let sent = params
                .iter()
                .any(|q| q.location == slot.0 && slot.0.same_name(&q.name, &slot.1));
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
            alternative.retain(|name| {
                !self
                    .schemes
                    .iter()
                    .find(|s| s.name == *name)
                    .is_some_and(|s| filled.contains(&slot_of(&s.kind)))
            });
        }
        security
    }

    /// What the client sends for `security`: the alternatives whose every scheme it can hold,
    /// as client fields. An empty alternative makes no credentials acceptable.
    pub fn auth(&self, security: &[Vec<String>]) -> AuthPlan {
        let field_of = |scheme: &str| {
            self.schemes
                .iter()
                .find(|s| s.name == scheme)
                .map(|s| s.field.clone())
        };
        let mut plan = AuthPlan {
            alternatives: Vec::new(),
            anonymous: security.is_empty(),
            first: security
                .iter()
                .flatten()
                .next()
                .and_then(|name| field_of(name)),
        };
        for alternative in security {
            if alternative.is_empty() {
                plan.anonymous = true;
                continue;
            }
            let fields: Option<Vec<String>> = alternative.iter().map(|n| field_of(n)).collect();
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
