//! A small framework for turning located [`Node`]s into typed model objects while collecting
//! every problem: wrong types, missing fields, unknown fields with a "did you mean".

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{ArazzoVersion, Extensions, Spanned};
use crate::node::{Entry, Map, Node, Value};
use crate::source_map::{SourceFile, Span};
use crate::suggest;

pub struct Decoder<'a> {
    pub file: &'a SourceFile,
    pub diags: &'a mut Diagnostics,
    /// The document's feature set, once its `arazzo` field is read.
    pub version: ArazzoVersion,
    /// The `arazzo` field as written.
    pub version_text: String,
}

/// A mapping being read as one kind of Arazzo object.
pub struct Object<'n> {
    pub node: &'n Node,
    pub map: &'n Map,
    pub what: &'static str,
}

pub use crate::node::head;

impl<'a> Decoder<'a> {
    pub fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    pub fn head(&self, node: &Node) -> Span {
        head(node, self.file)
    }

    /// The text of a scalar exactly as written (so `arazzo: 1.0` stays `1.0`).
    pub fn raw_scalar(&self, node: &Node) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => self
                .file
                .text()
                .get(node.span.range())
                .map(|s| s.trim().to_owned()),
            _ => None,
        }
    }

    /// Reads `node` as the object `what`, reporting unknown fields (other than `x-` extensions
    /// when `extensions` is true) against the `fields` the object defines.
    pub fn object<'n>(
        &mut self,
        node: &'n Node,
        what: &'static str,
        fields: &[&str],
        extensions: bool,
    ) -> Option<Object<'n>> {
        let Some(map) = node.as_map() else {
            self.wrong_type(node, what, "a mapping");
            return None;
        };
        for entry in &map.entries {
            let known = fields.contains(&entry.key.as_str());
            let is_extension = entry.key.starts_with("x-");
            if known || (is_extension && extensions) {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::UnknownField,
                format!("unknown field `{}` in {what}", entry.key),
            )
            .at(entry.key_span)
            .label("not a field of this object");
            d = match suggest::did_you_mean(&entry.key, fields.iter().copied()) {
                Some(help) => d.help(help),
                None if is_extension => d.note(format!("{what}s cannot carry `x-` extensions")),
                None => d
                    .note(format!(
                        "{what} fields are: {}",
                        suggest::list(fields.iter().copied())
                    ))
                    .note("custom data belongs in fields that start with `x-`"),
            };
            self.error(d);
        }
        Some(Object { node, map, what })
    }

    /// Reports `field` of `obj` when the document is Arazzo 1.0 and the field came with 1.1.
    /// Returns whether the field may be read.
    pub fn since_1_1(&mut self, obj: &Object<'_>, field: &str) -> bool {
        let Some(entry) = obj.map.entry(field) else {
            return true;
        };
        self.newer(entry.key_span, &format!("`{field}`"))
    }

    /// Reports `what` (at `span`) when the document is Arazzo 1.0: it came with 1.1. Returns
    /// whether it may be read.
    pub fn newer(&mut self, span: Span, what: &str) -> bool {
        if self.version >= ArazzoVersion::V1_1 {
            return true;
        }
        let d = newer_than(&self.version_text, span, what);
        self.error(d);
        false
    }

    pub fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        let found = node.kind();
        self.error(
            Diagnostic::new(
                Code::WrongType,
                format!("expected {expected} for {what}, found {found}"),
            )
            .at(self.head(node))
            .label(format!("this is {found}")),
        );
    }

    pub fn missing(&mut self, object: &Object<'_>, field: &str) {
        // A misspelt field (`workflow:`) is already reported with `did you mean `workflows`?`;
        // saying the real one is missing too would be the same mistake twice.
        if Self::misspelt(object, field) {
            return;
        }
        let d = Diagnostic::new(
            Code::MissingField,
            format!("{} is missing the required field `{field}`", object.what),
        )
        .at(self.head(object.node))
        .label(format!("`{field}` expected in this object"));
        self.error(d);
    }

    /// Whether the object holds a key that looks like a misspelling of `field`.
    pub fn misspelt(object: &Object<'_>, field: &str) -> bool {
        object
            .map
            .keys()
            // An extension is never a slip: unknown-field does not report it.
            .filter(|k| !k.starts_with("x-"))
            .any(|k| suggest::closest(k, [field]).is_some())
    }

    pub fn string(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        match self.raw_scalar(node) {
            Some(text) if matches!(node.value, Value::String(_)) => {
                Some(Spanned::new(text, node.span))
            }
            _ => {
                self.wrong_type(node, what, "a string");
                None
            }
        }
    }

    pub fn req_str(&mut self, obj: &Object<'_>, field: &str) -> Option<Spanned<String>> {
        match obj.map.get(field) {
            Some(node) => self.string(node, &format!("`{field}`")),
            None => {
                self.missing(obj, field);
                None
            }
        }
    }

    pub fn opt_str(&mut self, obj: &Object<'_>, field: &str) -> Option<Spanned<String>> {
        let node = obj.map.get(field)?;
        self.string(node, &format!("`{field}`"))
    }

    pub fn req_node<'n>(&mut self, obj: &Object<'n>, field: &str) -> Option<&'n Node> {
        let node = obj.map.get(field);
        if node.is_none() {
            self.missing(obj, field);
        }
        node
    }

    /// The items of an optional list field; a non-list is reported and read as empty.
    pub fn opt_seq<'n>(&mut self, obj: &Object<'n>, field: &str) -> &'n [Node] {
        match obj.map.get(field) {
            None => &[],
            Some(node) => match node.as_seq() {
                Some(items) => items,
                None => {
                    self.wrong_type(node, &format!("`{field}`"), "a list");
                    &[]
                }
            },
        }
    }

    /// The entries of an optional mapping field.
    pub fn opt_map<'n>(&mut self, obj: &Object<'n>, field: &str) -> &'n [Entry] {
        match obj.map.get(field) {
            None => &[],
            Some(node) => match node.as_map() {
                Some(map) => &map.entries,
                None => {
                    self.wrong_type(node, &format!("`{field}`"), "a mapping");
                    &[]
                }
            },
        }
    }

    pub fn extensions(&self, obj: &Object<'_>) -> Extensions {
        obj.map
            .entries
            .iter()
            .filter(|e| e.key.starts_with("x-"))
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect()
    }

    /// A list that, where it is written, must not be empty (the schemas' `minItems: 1`).
    pub fn not_empty(&mut self, obj: &Object<'_>, field: &str) {
        if let Some(node) = obj.map.get(field)
            && node.as_seq().is_some_and(<[Node]>::is_empty)
        {
            self.error(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{field}` must list at least one entry"),
                )
                .at(node.span)
                .label("empty list")
                .help(format!(
                    "leave `{field}` out instead of writing an empty list"
                )),
            );
        }
    }

    /// A name that runtime expressions and the Arazzo schemas require to match
    /// `^[A-Za-z0-9_\-]+$` (or with `.` where `allow_dots`): an error when it does not.
    pub fn check_name(&mut self, name: &Spanned<String>, what: &str, allow_dots: bool) {
        self.check_id_as(name, what, allow_dots, Code::InvalidName);
    }

    /// Warns when an id uses characters outside `allowed` (the specification's recommended set);
    /// such ids cannot be referenced from runtime expressions.
    pub fn check_id(&mut self, id: &Spanned<String>, what: &str, allow_dots: bool) {
        self.check_id_as(id, what, allow_dots, Code::InvalidId);
    }

    fn check_id_as(&mut self, id: &Spanned<String>, what: &str, allow_dots: bool, code: Code) {
        let ok = !id.value.is_empty()
            && id.value.chars().all(|c| {
                c.is_ascii_alphanumeric() || c == '_' || c == '-' || (allow_dots && c == '.')
            });
        if !ok {
            let allowed = if allow_dots {
                "letters, digits, `.`, `_` and `-`"
            } else {
                "letters, digits, `_` and `-`"
            };
            let note = match code {
                Code::InvalidName => format!("the Arazzo schema allows {allowed} only"),
                _ => format!("the Arazzo specification recommends {allowed} only"),
            };
            self.error(
                Diagnostic::new(
                    code,
                    format!(
                        "{what} `{}` uses characters runtime expressions cannot name",
                        id.value
                    ),
                )
                .at(id.span)
                .note(note),
            );
        }
    }
}

/// The error for something Arazzo 1.1 introduced, written in a 1.0 document.
pub fn newer_than(version_text: &str, span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NewerThanDocument,
        format!("{what} came with Arazzo 1.1, but this document is Arazzo {version_text}"),
    )
    .at(span)
    .label("an Arazzo 1.1 feature")
    .help("declare `arazzo: 1.1.0` to use it: Arazzo 1.1 reads every 1.0 document the same way")
}
