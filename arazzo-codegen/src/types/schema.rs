//! Walking JSON Schemas by JSON pointer, through `$ref`, `allOf`, `oneOf`/`anyOf` and `nullable`.
//! Each walk remembers what it found at each schema it entered, so a schema that many branches
//! reach (a `oneOf` whose branches share their parts) is walked once: the cost is linear in the
//! schema's size, never in the number of ways through it.

use std::collections::HashMap;

use super::{Type, ValueType};
use crate::load::Project;
use crate::model::Components;
use crate::node::{Node, Value};
use crate::openapi::refs;
use crate::source_map::FileId;

/// Where a schema lives decides how its `$ref`s resolve.
#[derive(Clone, Copy)]
pub enum SchemaHome<'p> {
    /// Inside an OpenAPI description (or a file it references).
    OpenApi { project: &'p Project, file: FileId },
    /// A workflow `inputs` schema: `$ref`s name `#/components/inputs/<name>`.
    Arazzo { components: &'p Components },
}

/// The outcome of following a pointer into a schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Walk {
    /// The schema at the pointer, typed.
    Found(ValueType),
    /// The pointer leaves what the schema allows at this token (index into the tokens).
    Outside { token: usize, allowed: Vec<String> },
}

const MAX_REF_HOPS: usize = 32;

impl<'p> SchemaHome<'p> {
    /// `node` with its `$ref`s followed, and the home the target lives in.
    pub fn follow(self, node: &'p Node) -> Option<(SchemaHome<'p>, &'p Node)> {
        let Some(reference) = node.get("$ref").and_then(Node::as_str) else {
            return Some((self, node));
        };
        match self {
            SchemaHome::OpenApi { project, file } => {
                let target = refs::follow(project, file, String::new(), node).ok()?;
                Some((
                    SchemaHome::OpenApi {
                        project,
                        file: target.file,
                    },
                    target.node,
                ))
            }
            SchemaHome::Arazzo { components } => {
                let name = reference.strip_prefix("#/components/inputs/")?;
                let target = &components.inputs.get(name)?.value;
                // One more hop at most; components may chain.
                if target.get("$ref").is_some() {
                    None
                } else {
                    Some((self, target))
                }
            }
        }
    }

    /// The type a schema describes.
    pub fn type_of(self, node: &'p Node) -> ValueType {
        self.type_of_depth(node, 0, &mut HashMap::new())
    }

    fn type_of_depth(
        self,
        node: &'p Node,
        depth: usize,
        known: &mut HashMap<*const Node, ValueType>,
    ) -> ValueType {
        if depth > MAX_REF_HOPS {
            return ValueType::json();
        }
        crate::work::add(1);
        let Some((home, node)) = self.follow(node) else {
            return ValueType::json();
        };
        let key: *const Node = node;
        if let Some(t) = known.get(&key) {
            return t.clone();
        }
        // A schema met again inside itself is `json` there.
        known.insert(key, ValueType::json());
        let t = home.type_here(node, depth, known);
        known.insert(key, t.clone());
        t
    }

    fn type_here(
        self,
        node: &'p Node,
        depth: usize,
        known: &mut HashMap<*const Node, ValueType>,
    ) -> ValueType {
        let home = self;
        let nullable = node
            .get("nullable")
            .is_some_and(|n| n.value == Value::Bool(true));
        let mut types: Vec<&str> = match node.get("type").map(|t| &t.value) {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
            _ => Vec::new(),
        };
        let null_in_types = types.contains(&"null");
        types.retain(|t| *t != "null");
        let base = match types.as_slice() {
            [single] => Some(match *single {
                "integer" => ValueType::new(Type::Integer),
                "number" => ValueType::new(Type::Number),
                "string" => ValueType::new(Type::String),
                "boolean" => ValueType::new(Type::Boolean),
                "array" => ValueType::new(Type::Array(Box::new(
                    node.get("items")
                        .map_or_else(ValueType::json, |i| home.type_of_depth(i, depth + 1, known)),
                ))),
                "object" => ValueType::new(Type::Object),
                _ => ValueType::json(),
            }),
            [] => None,
            _ => Some(ValueType::json()),
        };
        let base = base.or_else(|| {
            if let Some(all) = node.get("allOf").and_then(Node::as_seq) {
                return all
                    .iter()
                    .map(|s| home.type_of_depth(s, depth + 1, known))
                    .find(|t| t.ty != Type::Json);
            }
            let variants = node
                .get("oneOf")
                .or_else(|| node.get("anyOf"))
                .and_then(Node::as_seq)?;
            let typed: Vec<ValueType> = variants
                .iter()
                .map(|s| home.type_of_depth(s, depth + 1, known))
                .collect();
            let first = typed.first()?.clone();
            let any_nullable = typed.iter().any(|t| t.nullable);
            typed.iter().all(|t| t.ty == first.ty).then_some(ValueType {
                nullable: any_nullable,
                ..first
            })
        });
        let base = base.or_else(|| {
            // `enum` without `type`: the kind of its values.
            let values = node.get("enum").and_then(Node::as_seq)?;
            values
                .iter()
                .all(|v| matches!(v.value, Value::String(_)))
                .then(|| ValueType::new(Type::String))
        });
        let base = base.or_else(|| node.get("properties").map(|_| ValueType::new(Type::Object)));
        match base {
            Some(t) if nullable || null_in_types => t.nullable(),
            Some(t) => t,
            None => ValueType::json(),
        }
    }

    /// Follows `tokens` into the schema.
    pub fn walk(self, node: &'p Node, tokens: &[String]) -> Walk {
        self.walk_from(node, tokens, 0, 0, &mut HashMap::new())
    }

    fn walk_from(
        self,
        node: &'p Node,
        tokens: &[String],
        at: usize,
        depth: usize,
        known: &mut HashMap<(*const Node, usize), Walk>,
    ) -> Walk {
        if depth > MAX_REF_HOPS * 4 {
            return Walk::Found(ValueType::json());
        }
        crate::work::add(1);
        let Some((home, node)) = self.follow(node) else {
            return Walk::Found(ValueType::json());
        };
        let key = (node as *const Node, at);
        if let Some(w) = known.get(&key) {
            return w.clone();
        }
        known.insert(key, Walk::Found(ValueType::json()));
        let w = home.walk_here(node, tokens, at, depth, known);
        known.insert(key, w.clone());
        w
    }

    fn walk_here(
        self,
        node: &'p Node,
        tokens: &[String],
        at: usize,
        depth: usize,
        known: &mut HashMap<(*const Node, usize), Walk>,
    ) -> Walk {
        let home = self;
        let Some(token) = tokens.get(at) else {
            return Walk::Found(home.type_of(node));
        };
        // Composition: the first branch that knows the token decides.
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(branches) = node.get(key).and_then(Node::as_seq) {
                let mut outside = None;
                for branch in branches {
                    match home.walk_from(branch, tokens, at, depth + 1, known) {
                        found @ Walk::Found(_) => return found,
                        o @ Walk::Outside { .. } => outside = outside.or(Some(o)),
                    }
                }
                if node.get("properties").is_none() && node.get("items").is_none() {
                    return outside.unwrap_or(Walk::Found(ValueType::json()));
                }
            }
        }
        if let Some(props) = node.get("properties").and_then(Node::as_map) {
            if let Some(sub) = props.get(token) {
                let required = node
                    .get("required")
                    .and_then(Node::as_seq)
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(token)));
                // A property that is not required may be absent.
                return match home.walk_from(sub, tokens, at + 1, depth + 1, known) {
                    Walk::Found(t) if !required => Walk::Found(t.nullable()),
                    other => other,
                };
            }
            // Undeclared members are allowed unless `additionalProperties: false`, but a
            // schema that lists its properties and not this one almost always means a typo.
            return match node.get("additionalProperties") {
                Some(extra) if extra.as_map().is_some() => {
                    home.walk_from(extra, tokens, at + 1, depth + 1, known)
                }
                Some(extra) if extra.value == Value::Bool(true) => Walk::Found(ValueType::json()),
                _ if props.entries.is_empty() => Walk::Found(ValueType::json()),
                _ => Walk::Outside {
                    token: at,
                    allowed: props.keys().map(str::to_owned).collect(),
                },
            };
        }
        if let Some(items) = node.get("items") {
            if token.parse::<usize>().is_ok() || token == "-" {
                return home.walk_from(items, tokens, at + 1, depth + 1, known);
            }
            return Walk::Outside {
                token: at,
                allowed: vec!["<index>".to_owned()],
            };
        }
        match node.get("type").and_then(Node::as_str) {
            Some("string" | "integer" | "number" | "boolean") => Walk::Outside {
                token: at,
                allowed: Vec::new(),
            },
            _ => match node.get("additionalProperties") {
                Some(extra) if extra.as_map().is_some() => {
                    home.walk_from(extra, tokens, at + 1, depth + 1, known)
                }
                _ => Walk::Found(ValueType::json()),
            },
        }
    }
}
