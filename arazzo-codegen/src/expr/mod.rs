//! Runtime expressions, as far as the static checks need them: finding the `$inputs…` and
//! `$steps…` references inside any string (whole expressions, `{$…}` templates and simple
//! conditions) with their exact location.

use crate::node::{Node, ScalarStyle, Value};
use crate::source_map::{SourceFile, Span};

/// A reference to data another part of the workflow produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `$inputs.<name…>`: the dotted text after `$inputs.`, up to any `#` pointer.
    Input { path: String },
    /// `$inputs` as a whole.
    AllInputs,
    /// `$steps.<step>.outputs.<name…>`.
    StepOutput { step: String, path: String },
    /// `$steps.<step>.<rest>` without `outputs`: a common slip.
    StepWithoutOutputs { step: String, rest: String },
}

/// A reference and the byte range it covers inside the string it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub reference: Reference,
    pub range: std::ops::Range<usize>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Every `$inputs` and `$steps` reference in `text`.
pub fn references(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(rel) = text.get(search..).and_then(|t| t.find('$')) {
        let start = search + rel;
        let rest = text.get(start..).unwrap_or("");
        let name_end = |s: &str| s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
        if let Some(after) = rest.strip_prefix("$inputs") {
            if let Some(path) = after.strip_prefix('.') {
                let len = name_end(path);
                let path = path.get(..len).unwrap_or("").trim_end_matches('.');
                if !path.is_empty() {
                    found.push(Found {
                        reference: Reference::Input {
                            path: path.to_owned(),
                        },
                        range: start..start + "$inputs.".len() + path.len(),
                    });
                }
            } else if !after.starts_with(is_name_char) {
                found.push(Found {
                    reference: Reference::AllInputs,
                    range: start..start + "$inputs".len(),
                });
            }
        } else if let Some(after) = rest.strip_prefix("$steps.") {
            let id_len = after.find(|c: char| !is_id_char(c)).unwrap_or(after.len());
            let step = after.get(..id_len).unwrap_or("");
            let tail = after.get(id_len..).unwrap_or("");
            if let Some(name) = tail.strip_prefix(".outputs.") {
                let len = name_end(name);
                let path = name.get(..len).unwrap_or("").trim_end_matches('.');
                found.push(Found {
                    reference: Reference::StepOutput {
                        step: step.to_owned(),
                        path: path.to_owned(),
                    },
                    range: start..start + "$steps.".len() + id_len + ".outputs.".len() + path.len(),
                });
            } else if let Some(other) = tail.strip_prefix('.') {
                let len = name_end(other);
                let rest_text = other.get(..len).unwrap_or("").trim_end_matches('.');
                if !rest_text.is_empty() && rest_text != "outputs" {
                    found.push(Found {
                        reference: Reference::StepWithoutOutputs {
                            step: step.to_owned(),
                            rest: rest_text.to_owned(),
                        },
                        range: start..start + "$steps.".len() + id_len + 1 + rest_text.len(),
                    });
                }
            }
        }
        search = start + 1;
    }
    found
}

/// Every string in a tree (payloads, parameter values) with the references it holds.
pub fn references_in_node(node: &Node) -> Vec<(&Node, Found)> {
    let mut out = Vec::new();
    node.walk(&mut |n| {
        if let Value::String(s) = &n.value {
            out.extend(references(s).into_iter().map(|f| (n, f)));
        }
    });
    out
}

/// The span of `range` (bytes of the decoded string) inside the file, when the string was
/// written so that its decoded bytes line up with the source (plain or simply quoted); else the
/// whole node.
pub fn span_in_string(node: &Node, range: std::ops::Range<usize>, file: &SourceFile) -> Span {
    let Value::String(text) = &node.value else {
        return node.span;
    };
    let offset = match node.style {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        ScalarStyle::Literal | ScalarStyle::Folded => return node.span,
    };
    let candidate = node.span.sub(range.start + offset..range.end + offset);
    let wanted = text.get(range);
    let written = file.text().get(candidate.range());
    if wanted.is_some() && wanted == written {
        candidate
    } else {
        node.span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_in_templates_and_conditions() {
        let found = references("Hello {$inputs.user.name}#/x and $steps.a-b.outputs.sid == 'x'");
        assert_eq!(
            found
                .iter()
                .map(|f| f.reference.clone())
                .collect::<Vec<_>>(),
            vec![
                Reference::Input {
                    path: "user.name".into()
                },
                Reference::StepOutput {
                    step: "a-b".into(),
                    path: "sid".into()
                },
            ]
        );
        assert_eq!(found.first().map(|f| f.range.clone()), Some(7..24));
    }

    #[test]
    fn spots_missing_outputs_segment() {
        let found = references("$steps.create.sid");
        assert_eq!(
            found.first().map(|f| f.reference.clone()),
            Some(Reference::StepWithoutOutputs {
                step: "create".into(),
                rest: "sid".into()
            })
        );
    }

    #[test]
    fn pointer_ends_the_name() {
        let found = references("$inputs.pet#/id");
        assert_eq!(
            found.first().map(|f| f.reference.clone()),
            Some(Reference::Input { path: "pet".into() })
        );
    }
}
