//! Nodes made by the compiler rather than read from a file (a Swagger 2.0 description in the
//! OpenAPI 3.0 shape, the description of Redocly's `x-operation` steps): each carries the span
//! of what it was made from, so diagnostics about it point at what the user wrote.

use super::{Entry, Map, Node, ScalarStyle, Value};
use crate::source_map::Span;

pub fn entry(key: &str, key_span: Span, value: Node) -> Entry {
    Entry {
        key: key.to_owned(),
        key_span,
        value,
    }
}

pub fn map(span: Span, entries: Vec<Entry>) -> Node {
    plain(span, Value::Map(Map { entries }))
}

pub fn seq(span: Span, items: Vec<Node>) -> Node {
    plain(span, Value::Seq(items))
}

pub fn string(text: &str, span: Span) -> Node {
    plain(span, Value::String(text.to_owned()))
}

pub fn boolean(b: bool, span: Span) -> Node {
    plain(span, Value::Bool(b))
}

fn plain(span: Span, value: Value) -> Node {
    Node {
        span,
        value,
        style: ScalarStyle::Plain,
    }
}
