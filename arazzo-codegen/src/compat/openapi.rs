//! OpenAPI descriptions with the common faults other tools read anyway (lenient compatibility):
//! each is rewritten, where it is, to the reading `openapi::faults` gives it, with one
//! `invalid-openapi` warning saying how it was read. Strict checks report the same faults as
//! errors, in the same words.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::Project;
use crate::node::{Entry, Map, Node, ScalarStyle, Value};
use crate::openapi::faults::{self, Fault, Reading};
use crate::settings::{Compatibility, Settings};
use crate::source_map::{SourceMap, Span};

/// The HTTP methods of a Path Item object.
const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// How deep schemas are rewritten.
const MAX_DEPTH: usize = 64;

/// Reads the faults of every OpenAPI description as other tools do, when `settings` ask for
/// lenient compatibility.
pub fn read_faults(project: &mut Project, settings: &Settings, out: &mut Diagnostics) {
    if settings.compatibility != Compatibility::Lenient {
        return;
    }
    let files = &project.files;
    for doc in &mut project.openapi {
        let mut reader = Reader { files, out };
        let root = &mut doc.root;
        if let Some(paths) = map_mut(root, "paths") {
            for item in &mut paths.entries {
                reader.parameters(&mut item.value);
                for method in METHODS {
                    if let Some(op) = get_mut(&mut item.value, method) {
                        reader.parameters(op);
                        if let Some(body) = get_mut(op, "requestBody") {
                            reader.content(body);
                        }
                    }
                }
            }
        }
        if let Some(components) = get_mut(root, "components") {
            if let Some(params) = map_mut(components, "parameters") {
                for p in &mut params.entries {
                    reader.parameter(&mut p.value);
                }
            }
            if let Some(bodies) = map_mut(components, "requestBodies") {
                for b in &mut bodies.entries {
                    reader.content(&mut b.value);
                }
            }
            if let Some(schemas) = map_mut(components, "schemas") {
                for s in &mut schemas.entries {
                    reader.schema(&mut s.value, 0, true);
                }
            }
        }
    }
}

struct Reader<'a> {
    files: &'a SourceMap,
    out: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn warn(&mut self, fault: &Fault, reading: &Reading) {
        let mut d = Diagnostic::new(Code::InvalidOpenApi, fault.message.clone())
            .at(fault.span)
            .label(reading.describe())
            .help(fault.help.clone());
        d.severity = crate::diagnostics::Severity::Warning;
        self.out.push(d);
    }

    /// The `parameters` list of a path item or an operation.
    fn parameters(&mut self, owner: &mut Node) {
        if let Some(Value::Seq(list)) = get_mut(owner, "parameters").map(|n| &mut n.value) {
            for p in list {
                self.parameter(p);
            }
        }
    }

    fn parameter(&mut self, node: &mut Node) {
        if node.get("$ref").is_some() {
            return;
        }
        let file = self.files.get(node.span.file);
        let found = faults::parameter(node, file);
        for fault in &found {
            match &fault.reading {
                Some(reading @ Reading::StringSchema) => {
                    insert(node, "schema", string_schema(fault.span));
                    self.warn(fault, reading);
                }
                Some(reading @ Reading::Style(style)) => {
                    if let Some(s) = get_mut(node, "style") {
                        s.value = Value::String((*style).to_owned());
                    }
                    self.warn(fault, reading);
                }
                // Schemas are read below, where they can be changed.
                Some(Reading::Required(_)) | None => {}
            }
        }
        if let Some(schema) = get_mut(node, "schema") {
            self.schema(schema, 0, true);
        }
        self.content(node);
    }

    /// The schemas of an object's `content` (a parameter's or a request body's).
    fn content(&mut self, owner: &mut Node) {
        if let Some(media) = map_mut(owner, "content") {
            for m in &mut media.entries {
                if let Some(schema) = get_mut(&mut m.value, "schema") {
                    self.schema(schema, 0, true);
                }
            }
        }
    }

    /// A schema whose `required` is a boolean loses it; a property's `required: true` becomes
    /// its parent's `required: [name]`. `own`: whether this schema's own `required` is read
    /// here (a property's is read by its parent).
    fn schema(&mut self, schema: &mut Node, depth: usize, own: bool) {
        if depth > MAX_DEPTH || schema.get("$ref").is_some() {
            return;
        }
        crate::work::add(1);
        if own && let Some(fault) = faults::schema_required(schema, None) {
            remove(schema, "required");
            if let Some(reading) = &fault.reading {
                self.warn(&fault, reading);
            }
        }
        let mut wanted = Vec::new();
        if let Some(properties) = map_mut(schema, "properties") {
            for p in &mut properties.entries {
                let name = p.key.clone();
                if let Some(fault) = faults::schema_required(&p.value, Some(name.clone())) {
                    if matches!(fault.reading, Some(Reading::Required(Some(_)))) {
                        wanted.push((name, p.key_span));
                    }
                    remove(&mut p.value, "required");
                    if let Some(reading) = &fault.reading {
                        self.warn(&fault, reading);
                    }
                }
                self.schema(&mut p.value, depth + 1, false);
            }
        }
        if !wanted.is_empty() {
            require(schema, wanted);
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(inner) = get_mut(schema, key) {
                self.schema(inner, depth + 1, true);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Seq(list)) = get_mut(schema, key).map(|n| &mut n.value) {
                for inner in list {
                    self.schema(inner, depth + 1, true);
                }
            }
        }
    }
}

/// Adds `names` to the schema's `required` list (made when it has none).
fn require(schema: &mut Node, names: Vec<(String, Span)>) {
    let span = schema.span;
    let items = names.into_iter().map(|(name, at)| Node {
        span: at,
        value: Value::String(name),
        style: ScalarStyle::Plain,
    });
    match get_mut(schema, "required").map(|n| &mut n.value) {
        Some(Value::Seq(list)) => list.extend(items),
        _ => {
            remove(schema, "required");
            insert(
                schema,
                "required",
                Node {
                    span,
                    value: Value::Seq(items.collect()),
                    style: ScalarStyle::Plain,
                },
            );
        }
    }
}

fn string_schema(span: Span) -> Node {
    Node {
        span,
        value: Value::Map(Map {
            entries: vec![Entry {
                key: "type".to_owned(),
                key_span: span,
                value: Node {
                    span,
                    value: Value::String("string".to_owned()),
                    style: ScalarStyle::Plain,
                },
            }],
        }),
        style: ScalarStyle::Plain,
    }
}

fn get_mut<'n>(node: &'n mut Node, key: &str) -> Option<&'n mut Node> {
    match &mut node.value {
        Value::Map(map) => map
            .entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value),
        _ => None,
    }
}

fn map_mut<'n>(node: &'n mut Node, key: &str) -> Option<&'n mut Map> {
    match get_mut(node, key).map(|n| &mut n.value) {
        Some(Value::Map(map)) => Some(map),
        _ => None,
    }
}

fn insert(node: &mut Node, key: &str, value: Node) {
    if let Value::Map(map) = &mut node.value {
        map.entries.push(Entry {
            key: key.to_owned(),
            key_span: value.span,
            value,
        });
    }
}

fn remove(node: &mut Node, key: &str) {
    if let Value::Map(map) = &mut node.value {
        map.entries.retain(|e| e.key != key);
    }
}
