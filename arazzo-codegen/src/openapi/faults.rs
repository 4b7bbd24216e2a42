//! The faults real OpenAPI descriptions carry most often, said in OpenAPI's words at the node
//! that has them, before a parser says them in its own. Each that other tools read anyway has
//! the reading lenient compatibility gives it (`compat::openapi` applies it, with a warning):
//! a parameter with neither `schema` nor `content` is a string; a `style` its location does not
//! allow is that location's default; `required: true` inside a schema (Swagger 2's way) is the
//! parent object requiring that member.

use crate::node::{Node, Value};
use crate::source_map::{SourceFile, Span};

/// One fault of an OpenAPI object.
#[derive(Debug, Clone)]
pub struct Fault {
    pub span: Span,
    pub message: String,
    pub help: String,
    /// How lenient compatibility reads it; `None` when nothing sensible can be read.
    pub reading: Option<Reading>,
}

/// What lenient compatibility makes of a fault.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// The parameter is given `schema: {type: string}`.
    StringSchema,
    /// The parameter's `style` becomes this one, its location's default.
    Style(&'static str),
    /// `required: <boolean>` leaves the schema; `Some(name)`: its parent requires member `name`.
    Required(Option<String>),
}

impl Reading {
    /// What the warning of lenient compatibility says it is read as.
    pub fn describe(&self) -> String {
        match self {
            Reading::StringSchema => "read as `schema: {type: string}`".to_owned(),
            Reading::Style(style) => format!("read as `style: {style}`"),
            Reading::Required(Some(name)) => {
                format!("read as the parent object's `required: [{name}]`")
            }
            Reading::Required(None) => "left out".to_owned(),
        }
    }
}

/// The locations a parameter may have, with the styles each allows (the first is its default).
const STYLES: &[(&str, &[&str])] = &[
    ("path", &["simple", "matrix", "label"]),
    (
        "query",
        &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    ),
    ("header", &["simple"]),
    ("cookie", &["form"]),
];

/// How deep schemas are looked into for faults (they nest far less in practice).
const MAX_DEPTH: usize = 64;

/// The faults of a Parameter object (`$ref`s already followed), its inline schemas included.
pub fn parameter(node: &Node, file: Option<&SourceFile>) -> Vec<Fault> {
    let mut out = Vec::new();
    let at = |n: &Node| file.map_or(n.span, |f| crate::node::head(n, f));
    let name = node.get("name").and_then(Node::as_str);
    let shown = name.map_or_else(|| "a parameter".to_owned(), |n| format!("parameter `{n}`"));
    let Some(name) = name else {
        out.push(fault(
            at(node),
            "a parameter has no `name`",
            "give it the `name` the operation reads it by",
            None,
        ));
        return out;
    };
    let location = node.get("in").and_then(Node::as_str);
    let Some(location) = location else {
        out.push(fault(
            at(node),
            format!("{shown} has no `in`"),
            "say where it goes: `in: query`, `path`, `header` or `cookie`",
            None,
        ));
        return out;
    };
    if location == "querystring" {
        return out;
    }
    let Some((_, styles)) = STYLES.iter().find(|(l, _)| *l == location) else {
        let help = if matches!(location, "body" | "formData") {
            "OpenAPI 3 describes a request body with the operation's `requestBody`, not a parameter"
                .to_owned()
        } else {
            "use `in: query`, `path`, `header` or `cookie`".to_owned()
        };
        let span = node.get("in").map_or(at(node), |n| n.span);
        out.push(fault(
            span,
            format!("{shown} has `in: {location}`, which OpenAPI 3 does not have"),
            help,
            None,
        ));
        return out;
    };
    match (node.get("schema"), node.get("content")) {
        (None, None) => out.push(fault(
            at(node),
            format!("parameter `{name}` has neither `schema` nor `content`"),
            "describe its value, as `schema: {type: string}`; lenient compatibility (`--compatibility lenient`) reads it so",
            Some(Reading::StringSchema),
        )),
        (Some(s), Some(_)) => out.push(fault(
            s.span,
            format!("parameter `{name}` has both `schema` and `content`"),
            "keep one of them",
            None,
        )),
        _ => {}
    }
    if let Some(style) = node.get("style") {
        let written = style.as_str().unwrap_or_default();
        if !styles.contains(&written) {
            let default = styles.first().copied().unwrap_or("form");
            out.push(fault(
                style.span,
                format!("parameter `{name}` is in {location}, where `style: {written}` is not allowed"),
                format!(
                    "a {location} parameter takes `style: {}`; lenient compatibility reads it as `style: {default}`",
                    styles.join("`, `")
                ),
                Some(Reading::Style(default)),
            ));
        }
    }
    if let Some(schema) = node.get("schema") {
        schema_faults(schema, 0, &mut out);
    }
    media_faults(node.get("content"), &mut out);
    out
}

/// The faults of a Request Body object's inline schemas.
pub fn request_body(node: &Node) -> Vec<Fault> {
    let mut out = Vec::new();
    media_faults(node.get("content"), &mut out);
    out
}

fn media_faults(content: Option<&Node>, out: &mut Vec<Fault>) {
    let Some(media) = content.and_then(Node::as_map) else {
        return;
    };
    for e in &media.entries {
        if let Some(schema) = e.value.get("schema") {
            schema_faults(schema, 0, out);
        }
    }
}

/// A schema's `required` written as a boolean, here or in the schemas it holds.
pub fn schema_faults(schema: &Node, depth: usize, out: &mut Vec<Fault>) {
    walk_schema(schema, depth, true, out);
}

/// `own`: whether the schema's own `required` is looked at here (a property's is looked at by
/// its parent, which knows the property's name).
fn walk_schema(schema: &Node, depth: usize, own: bool, out: &mut Vec<Fault>) {
    if depth > MAX_DEPTH {
        return;
    }
    crate::work::add(1);
    let Some(map) = schema.as_map() else {
        return;
    };
    if own
        && let Some(required) = map.get("required")
        && let Value::Bool(_) = required.value
    {
        out.push(required_fault(required, None));
    }
    if let Some(properties) = map.get("properties").and_then(Node::as_map) {
        for p in &properties.entries {
            if let Some(required) = p.value.get("required")
                && let Value::Bool(flag) = required.value
            {
                out.push(required_fault(required, flag.then(|| p.key.clone())));
            }
            walk_schema(&p.value, depth + 1, false, out);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = map.get(key) {
            walk_schema(inner, depth + 1, true, out);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for inner in map.get(key).and_then(Node::as_seq).unwrap_or_default() {
            walk_schema(inner, depth + 1, true, out);
        }
    }
}

/// The fault of a schema's `required` that is not a list of names: a boolean (Swagger 2's
/// parameter form, a property's when `true`, named) or another scalar. `None` for a list.
pub fn schema_required(schema: &Node, property: Option<String>) -> Option<Fault> {
    let required = schema.get("required")?;
    match &required.value {
        crate::node::Value::Seq(_) => None,
        crate::node::Value::Bool(flag) => {
            Some(required_fault(required, property.filter(|_| *flag)))
        }
        _ => Some(fault(
            required.span,
            "`required` is neither a list nor a boolean here, where an OpenAPI schema lists the names of the required members",
            "list the required members' names: `required: [name]`; lenient compatibility leaves it out",
            Some(Reading::Required(None)),
        )),
    }
}

pub fn required_fault(required: &Node, property: Option<String>) -> Fault {
    let help = match &property {
        Some(name) => format!(
            "list the required members in the object's schema: `required: [{name}]`; lenient compatibility reads it so"
        ),
        None => "list the required members' names: `required: [name]`; lenient compatibility leaves a boolean out".to_owned(),
    };
    fault(
        required.span,
        "`required` is a boolean here, where an OpenAPI schema lists the names of the required members",
        help,
        Some(Reading::Required(property)),
    )
}

fn fault(
    span: Span,
    message: impl Into<String>,
    help: impl Into<String>,
    reading: Option<Reading>,
) -> Fault {
    Fault {
        span,
        message: message.into(),
        help: help.into(),
        reading,
    }
}
