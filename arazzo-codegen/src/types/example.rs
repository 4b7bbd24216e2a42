//! A value that fits a schema, for the default answers of generated mocks: the schema's own
//! `example`, `default`, `const` or first `enum` value where it gives one, else one built from
//! its type (every property of an object, one item of an array).

use serde_json::{Map, Value as Json};

use super::SchemaHome;
use crate::node::{Node, Value};

/// Deeper than this (recursive schemas), a value is `null`.
const MAX_DEPTH: usize = 12;

impl<'p> SchemaHome<'p> {
    /// A value that fits `schema`.
    pub fn example(self, schema: &'p Node) -> Json {
        self.example_at(schema, 0)
    }

    fn example_at(self, schema: &'p Node, depth: usize) -> Json {
        if depth > MAX_DEPTH {
            return Json::Null;
        }
        let Some((home, node)) = self.follow(schema) else {
            return Json::Null;
        };
        for key in ["example", "default", "const"] {
            if let Some(given) = node.get(key) {
                return given.to_json();
            }
        }
        let first = |key: &str| {
            node.get(key)
                .and_then(Node::as_seq)
                .and_then(<[Node]>::first)
        };
        if let Some(value) = first("examples").or_else(|| first("enum")) {
            return value.to_json();
        }
        if let Some(parts) = node.get("allOf").and_then(Node::as_seq) {
            let mut merged = Map::new();
            for part in parts {
                if let Json::Object(fields) = home.example_at(part, depth + 1) {
                    merged.extend(fields);
                }
            }
            return Json::Object(merged);
        }
        if let Some(choice) = first("oneOf").or_else(|| first("anyOf")) {
            return home.example_at(choice, depth + 1);
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
        match kind {
            Some("object") => {
                let mut fields = Map::new();
                if let Some(properties) = node.get("properties").and_then(Node::as_map) {
                    for p in &properties.entries {
                        let write_only = home
                            .follow(&p.value)
                            .and_then(|(_, s)| s.get("writeOnly"))
                            .is_some_and(|w| w.value == Value::Bool(true));
                        if !write_only {
                            fields.insert(p.key.clone(), home.example_at(&p.value, depth + 1));
                        }
                    }
                }
                Json::Object(fields)
            }
            Some("array") => match node.get("items") {
                Some(items) => Json::Array(vec![home.example_at(items, depth + 1)]),
                None => Json::Array(Vec::new()),
            },
            Some("string") => Json::String(text_for(node.get("format").and_then(Node::as_str))),
            Some("integer") => number(node, 0.0, true),
            Some("number") => number(node, 0.0, false),
            Some("boolean") => Json::Bool(true),
            _ => Json::Null,
        }
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
