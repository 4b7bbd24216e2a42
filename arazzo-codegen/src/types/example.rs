//! A value that fits a schema, for the default answers of generated mocks: the schema's own
//! `example`, `default`, `const` or first `enum` value where it gives one, else one built from
//! its type (every property of an object, one item of an array). Bounded by construction: a
//! schema is never entered again inside itself, and one example holds at most
//! [`MAX_VALUES`] values, so its cost is linear in that bound whatever the schema.

use serde_json::{Map, Value as Json};

use super::SchemaHome;
use crate::node::{Node, Value};

/// At most this many values in one example: a default answer shows the shape of a response,
/// not every value a wide schema could nest (80 properties a level, a dozen levels deep, is more
/// than any machine holds).
pub const MAX_VALUES: usize = 2_000;

/// Deeper than this, a value is left out.
const MAX_DEPTH: usize = 12;

impl<'p> SchemaHome<'p> {
    /// A value that fits `schema`, as far as [`MAX_VALUES`] and the schema's recursion allow:
    /// a schema met again inside itself, or past the budget, is left out (an optional property
    /// omitted, a list empty, anything else `null`).
    pub fn example(self, schema: &'p Node) -> Json {
        let mut walk = Building {
            left: MAX_VALUES,
            path: Vec::new(),
        };
        walk.example(self, schema).unwrap_or(Json::Null)
    }
}

/// One example being built: the values it may still hold, and the schemas it is inside.
struct Building<'p> {
    left: usize,
    path: Vec<&'p Node>,
}

impl<'p> Building<'p> {
    fn example(&mut self, home: SchemaHome<'p>, schema: &'p Node) -> Option<Json> {
        if self.left == 0 || self.path.len() > MAX_DEPTH {
            return None;
        }
        let (home, node) = home.follow(schema)?;
        if self.path.iter().any(|on| std::ptr::eq(*on, node)) {
            return None;
        }
        self.left -= 1;
        crate::work::add(1);
        self.path.push(node);
        let value = self.fitting(home, node);
        self.path.pop();
        value
    }

    fn fitting(&mut self, home: SchemaHome<'p>, node: &'p Node) -> Option<Json> {
        for key in ["example", "default", "const"] {
            if let Some(given) = node.get(key) {
                return Some(given.to_json());
            }
        }
        let first = |key: &str| {
            node.get(key)
                .and_then(Node::as_seq)
                .and_then(<[Node]>::first)
        };
        if let Some(value) = first("examples").or_else(|| first("enum")) {
            return Some(value.to_json());
        }
        if let Some(parts) = node.get("allOf").and_then(Node::as_seq) {
            let mut merged = Map::new();
            for part in parts {
                if let Some(Json::Object(fields)) = self.example(home, part) {
                    merged.extend(fields);
                }
            }
            return Some(Json::Object(merged));
        }
        if let Some(choice) = first("oneOf").or_else(|| first("anyOf")) {
            return self.example(home, choice);
        }
        let kind = match node.get("type").map(|t| &t.value) {
            Some(Value::String(t)) => Some(t.as_str()),
            Some(Value::Seq(types)) => types.iter().filter_map(Node::as_str).find(|t| *t != "null"),
            _ => None,
        };
        let kind = kind.or_else(|| {
            if node.get("properties").is_some() {
                Some("object")
            } else if node.get("items").is_some() {
                Some("array")
            } else {
                None
            }
        });
        Some(match kind {
            Some("object") => {
                let mut fields = Map::new();
                let required = |name: &str| {
                    node.get("required")
                        .and_then(Node::as_seq)
                        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
                };
                if let Some(properties) = node.get("properties").and_then(Node::as_map) {
                    for p in &properties.entries {
                        let write_only = home
                            .follow(&p.value)
                            .and_then(|(_, s)| s.get("writeOnly"))
                            .is_some_and(|w| w.value == Value::Bool(true));
                        if write_only {
                            continue;
                        }
                        match self.example(home, &p.value) {
                            Some(value) => {
                                fields.insert(p.key.clone(), value);
                            }
                            None if required(&p.key) => {
                                fields.insert(p.key.clone(), Json::Null);
                            }
                            None => {}
                        }
                    }
                }
                Json::Object(fields)
            }
            Some("array") => Json::Array(
                node.get("items")
                    .and_then(|items| self.example(home, items))
                    .into_iter()
                    .collect(),
            ),
            Some("string") => Json::String(text_for(node.get("format").and_then(Node::as_str))),
            Some("integer") => number(node, 0.0, true),
            Some("number") => number(node, 0.0, false),
            Some("boolean") => Json::Bool(true),
            _ => Json::Null,
        })
    }
}

/// A string of the format, or `"string"`.
fn text_for(format: Option<&str>) -> String {
    match format {
        Some("date-time") => "2026-01-01T00:00:00Z",
        Some("date") => "2026-01-01",
        Some("time") => "00:00:00Z",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("email") => "user@example.com",
        Some("uri" | "url") => "https://example.com/",
        Some("hostname") => "example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        _ => "string",
    }
    .to_owned()
}

/// `minimum` (or `exclusiveMinimum`) when the schema sets one, else `fallback`.
fn number(node: &Node, fallback: f64, integer: bool) -> Json {
    let bound = |key: &str| match node.get(key).map(|n| &n.value) {
        Some(Value::Int(i)) => Some(*i as f64),
        Some(Value::Float(f)) => Some(*f),
        _ => None,
    };
    let value = bound("minimum")
        .or_else(|| bound("exclusiveMinimum").map(|m| m + 1.0))
        .unwrap_or(fallback);
    if integer {
        Json::from(value.ceil() as i64)
    } else {
        serde_json::Number::from_f64(value).map_or(Json::Null, Json::Number)
    }
}
