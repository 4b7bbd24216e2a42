//! A located document tree: what YAML and JSON files become before anything else reads them.
//! Every node keeps its span, so any later stage can point at `file:line:col`.

pub mod build;
mod json;
mod parse;
pub mod pointer;
mod to_json;

pub use parse::Limits;

use crate::diagnostics::Diagnostics;
use crate::source_map::{FileId, SourceFile};

/// Parses one file: a `.json` file by JSON's rules, anything else as YAML 1.2. Problems go to
/// `diags`; `None` means no usable tree.
pub fn parse(
    file: &SourceFile,
    id: FileId,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let json = file
        .path()
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json {
        json::parse(file, id, limits, diags)
    } else {
        parse::parse(file, id, limits, diags)
    }
}

use crate::source_map::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
    /// How a string was written; later stages use it to map columns inside the string.
    pub style: ScalarStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Not a scalar, or a plain (unquoted) scalar.
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Map),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }
}

impl Node {
    pub fn kind(&self) -> &'static str {
        self.value.kind()
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The member `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// A scalar's text as a user would have written it (numbers and booleans included).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Visits this node and every node below it, depth first.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Node)) {
        visit(self);
        match &self.value {
            Value::Seq(items) => items.iter().for_each(|n| n.walk(visit)),
            Value::Map(map) => map.entries.iter().for_each(|e| e.value.walk(visit)),
            _ => {}
        }
    }
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// The file span of `range` (bytes of the decoded string) when the string's decoded bytes line
/// up with its source (plain or simply quoted); else the whole node.
pub fn span_in_string(
    node: &Node,
    range: std::ops::Range<usize>,
    file: &crate::source_map::SourceFile,
) -> Span {
    let Value::String(text) = &node.value else {
        return node.span;
    };
    let offset = match node.style {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        ScalarStyle::Literal | ScalarStyle::Folded => return node.span,
    };
    let range = if range.is_empty() {
        range.start..range.start + 1
    } else {
        range
    };
    let candidate = node.span.sub(range.start + offset..range.end + offset);
    let wanted = text.get(range.clone());
    let written = file.text().get(candidate.range());
    if wanted.is_some() && wanted == written {
        candidate
    } else if wanted.is_none()
        && text.is_char_boundary(range.start.min(text.len()))
        && range.start <= text.len()
    {
        // A range just past the end of the text (an expected token that is missing).
        node.span.sub(range.start + offset..range.start + offset)
    } else {
        node.span
    }
}

/// The first line of a node: what a label points at when the whole node is meant.
pub fn head(node: &Node, file: &crate::source_map::SourceFile) -> Span {
    let range = node.span.range();
    let text = file.text().get(range.clone()).unwrap_or("");
    let first_line = text.split('\n').next().unwrap_or("").trim_end();
    Span::new(node.span.file, range.start..range.start + first_line.len())
}
