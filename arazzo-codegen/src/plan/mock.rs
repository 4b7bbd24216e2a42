//! Planning the module's test doubles: one mock route per operation the workflows call, with
//! the default answer its description gives (the first 2xx response, its example or one built
//! from its schema), and a request type whose fields are the operation's parameters.

use serde_json::Value as Json;

use super::document::Planner;
use super::names::{Case, Namer};
use super::{MockParam, MockPlan, MockRoute};
use crate::load::OpenApiId;
use crate::model::{ParamLocation, Step};
use crate::node::Node;
use crate::openapi::{Operation, refs};
use crate::types::SchemaHome;

impl<'p> Planner<'p> {
    /// Records that step `step` calls `op` of source `doc`, served under `prefix`.
    pub fn mock_route(&mut self, doc: OpenApiId, op: &Operation, step: &Step) {
        let step_id = step.step_id.value.as_str();
        let project = self.project;
        let Some(op_node) = crate::node::pointer::parse(&op.pointer)
            .ok()
            .and_then(|t| project.tree(op.file)?.at(&t))
        else {
            return;
        };
        let Some(prefix) = self
            .sources
            .iter()
            .find(|(d, _)| *d == doc)
            .map(|(_, s)| s.mock_prefix.clone())
        else {
            return;
        };
        let http_method = op.method.to_ascii_uppercase();
        let same = |(d, r): &&mut (OpenApiId, MockRoute)| {
            *d == doc && r.http_method == http_method && r.path == op.path
        };
        if let Some((_, known)) = self.mock_routes.iter_mut().find(same) {
            if !known.steps.iter().any(|s| s == step_id) {
                known.steps.push(step_id.to_owned());
            }
            return;
        }
        let (status, content_type, body) = self.default_answer(op, op_node, step);
        let params = op
            .parameters
            .iter()
            .filter_map(|p| {
                let location = Operation::parameter_location(p);
                (location != ParamLocation::Cookie).then(|| MockParam {
                    name: p.parameter_data_ref().name.clone(),
                    field: String::new(),
                    location,
                })
            })
            .collect();
        self.mock_routes.push((
            doc,
            MockRoute {
                method: String::new(),
                request_type: String::new(),
                constant: String::new(),
                operation: op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{http_method} {}", op.path)),
                http_method,
                prefix,
                path: op.path.clone(),
                summary: op_node
                    .get("summary")
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                steps: vec![step_id.to_owned()],
                status,
                content_type,
                body,
                params,
            },
        ));
    }

    /// Status, content type and body of the response the first step calling the operation
    /// succeeds on (`happy_path`): the status its criteria pin, else the first 2xx response
    /// (`2XX` as 200, else `default` as 200); the body from the media type's example, else its
    /// schema, with what the step's criteria ask of it written in.
    fn default_answer(
        &self,
        op: &Operation,
        op_node: &'p Node,
        step: &Step,
    ) -> (u16, String, String) {
        let Some(responses) = op_node.get("responses").and_then(Node::as_map) else {
            return (200, String::new(), String::new());
        };
        let keys = responses.entries.iter().map(|e| e.key.as_str());
        let pinned = crate::types::success_statuses(step).and_then(|statuses| {
            statuses.into_iter().find_map(|status| {
                let key = crate::types::response_key(keys.clone(), status)?;
                Some((status, responses.entries.iter().find(|e| e.key == key)?))
            })
        });
        // Explicit 2xx codes first (the lowest), then `2XX`, then `default`; the range and
        // `default` answer 200.
        let rank = |key: &str| -> Option<(u8, u16)> {
            match key {
                "2XX" | "2xx" => Some((1, 200)),
                "default" => Some((2, 200)),
                _ => key
                    .parse()
                    .ok()
                    .filter(|c| (200..300).contains(c))
                    .map(|c| (0, c)),
            }
        };
        let chosen = pinned.or_else(|| {
            responses
                .entries
                .iter()
                .filter_map(|e| Some((rank(&e.key)?, e)))
                .min_by_key(|(r, _)| *r)
                .map(|((_, status), e)| (status, e))
        });
        let Some((status, entry)) = chosen else {
            return (200, String::new(), String::new());
        };
        let Ok(response) = refs::follow(self.project, op.file, String::new(), &entry.value) else {
            return (status, String::new(), String::new());
        };
        let Some(content) = response.node.get("content").and_then(Node::as_map) else {
            return (status, String::new(), String::new());
        };
        let Some(media) = content
            .entries
            .iter()
            .find(|e| is_json(&e.key))
            .or_else(|| content.entries.first())
        else {
            return (status, String::new(), String::new());
        };
        let mut value = self.media_example(response.file, &media.value);
        if is_json(&media.key) {
            super::happy_path::satisfy(step, value.get_or_insert(Json::Null));
            value = value.filter(|v| !v.is_null());
        }
        let body = match (&value, is_json(&media.key)) {
            (Some(v), true) => v.to_string(),
            (Some(Json::String(text)), false) => text.clone(),
            _ => String::new(),
        };
        (status, media.key.clone(), body)
    }

    /// A media type object's `example`, first of its `examples`, else one from its schema.
    fn media_example(&self, file: crate::source_map::FileId, media: &'p Node) -> Option<Json> {
        if let Some(example) = media.get("example") {
            return Some(example.to_json());
        }
        let first = media
            .get("examples")
            .and_then(Node::as_map)
            .and_then(|m| m.entries.first());
        if let Some(entry) = first
            && let Ok(example) = refs::follow(self.project, file, String::new(), &entry.value)
            && let Some(value) = example.node.get("value")
        {
            return Some(value.to_json());
        }
        let schema = media.get("schema")?;
        Some(
            SchemaHome::OpenApi {
                project: self.project,
                file,
            }
            .example(schema),
        )
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The routes with their names: `Mock` methods from operation ids (else method and path),
/// request types, constants, and request fields from parameter names.
pub fn names(routes: Vec<(OpenApiId, MockRoute)>) -> MockPlan {
    let mut methods = Namer::new();
    for reserved in ["start", "uri", "check", "verify", "unexpected", "server"] {
        methods.reserve(reserved);
    }
    let mut types = Namer::new();
    for reserved in ["Mock", "Fake"] {
        types.reserve(reserved);
    }
    let mut constants = Namer::new();
    let routes = routes
        .into_iter()
        .map(|(_, mut r)| {
            let name = r.operation.clone();
            r.method = methods.name(&name, Case::Snake);
            r.request_type = types.name(&format!("{name} request"), Case::UpperCamel);
            r.constant = constants.name(&name, Case::Shouty);
            let mut fields = Namer::new();
            for reserved in ["body", "request"] {
                fields.reserve(reserved);
            }
            for p in &mut r.params {
                p.field = fields.name(&p.name, Case::Snake);
            }
            r
        })
        .collect();
    MockPlan { routes }
}
