//! YAML 1.2 and JSON (a subset of YAML 1.2) into a located [`Node`] tree, bounded against hostile
//! input: alias expansion, nesting depth and scalar length all have limits.
//!
//! `saphyr-parser` is used rather than `serde_yaml` because it reports the span of every event;
//! `serde_yaml` (archived since 2024, like its forks) has no way to say where a value came from.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScanError};

use super::{Entry, Map, Node, ScalarStyle, Value};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source_map::{FileId, SourceFile, Span};

/// Bounds that keep a malicious or broken file from exhausting memory or the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of mappings and lists.
    pub max_depth: usize,
    /// Longest single scalar, in bytes.
    pub max_scalar_bytes: usize,
    /// Most nodes that aliases may add by expansion (on top of the nodes written out).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 128,
            max_scalar_bytes: 4 * 1024 * 1024,
            max_alias_nodes: 100_000,
        }
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, Span)>,
    },
}

struct Builder<'a> {
    file: &'a SourceFile,
    id: FileId,
    ascii: bool,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    root: Option<Node>,
    documents: usize,
}

/// Parses one file. Problems go to `diags`; `None` means no usable tree.
pub fn parse(
    file: &SourceFile,
    id: FileId,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let text = file.text();
    if text.trim().is_empty() || only_comments(text) {
        diags.push(empty_document(id));
        return None;
    }
    let mut builder = Builder {
        file,
        id,
        ascii: text.is_ascii(),
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let step = match next {
            Ok((event, span)) => builder.event(event, span),
            Err(e) => Err(builder.scan_error(&e)),
        };
        if let Err(diagnostic) = step {
            diags.push(*diagnostic);
            return None;
        }
    }
    builder.root.take()
}

pub(super) fn empty_document(id: FileId) -> Diagnostic {
    Diagnostic::new(Code::EmptyDocument, "the document is empty")
        .at(Span::file_start(id))
        .help("an Arazzo or OpenAPI document is a YAML or JSON mapping at the top level")
}

fn only_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---" || l == "...")
}

type Step = Result<(), Box<Diagnostic>>;

impl Builder<'_> {
    fn span(&self, span: saphyr_parser::Span) -> Span {
        let byte = |m: saphyr_parser::Marker| {
            if self.ascii {
                m.index()
            } else {
                self.file.byte_of(m.line().saturating_sub(1), m.col())
            }
        };
        Span::new(self.id, byte(span.start)..byte(span.end))
    }

    fn scan_error(&self, e: &ScanError) -> Box<Diagnostic> {
        let m = *e.marker();
        let at = self.span(saphyr_parser::Span::new(m, m));
        Box::new(
            Diagnostic::new(Code::Syntax, format!("invalid YAML or JSON: {}", e.info()))
                .at(at)
                .label("the parser stopped here"),
        )
    }

    fn event(&mut self, event: Event<'_>, raw_span: saphyr_parser::Span) -> Step {
        let span = self.span(raw_span);
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Box::new(
                        Diagnostic::new(
                            Code::MultipleDocuments,
                            "more than one YAML document in one file",
                        )
                        .at(span)
                        .label("a second document starts here")
                        .help("keep one document per file; split the rest into their own files"),
                    ));
                }
                Ok(())
            }
            Event::Alias(id) => {
                let (node, count) = self.anchors.get(&id).cloned().ok_or_else(|| {
                    Box::new(
                        Diagnostic::new(Code::Syntax, "alias to an anchor that is not defined (yet)")
                            .at(span)
                            .help("define the anchor (`&name`) before the alias (`*name`), outside the node that uses it"),
                    )
                })?;
                self.alias_nodes = self.alias_nodes.saturating_add(count);
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(Box::new(
                        Diagnostic::new(
                            Code::InputLimit,
                            format!(
                                "YAML aliases expand to more than {} nodes",
                                self.limits.max_alias_nodes
                            ),
                        )
                        .at(span)
                        .label("expansion limit reached at this alias")
                        .note("this protects against \"billion laughs\" documents that grow exponentially when aliases are expanded"),
                    ));
                }
                let node = Node { span, ..node };
                self.finish_node(node, 0)
            }
            Event::Scalar(text, style, anchor, tag) => {
                if text.len() > self.limits.max_scalar_bytes {
                    return Err(Box::new(
                        Diagnostic::new(
                            Code::InputLimit,
                            format!(
                                "a scalar of {} bytes is longer than the limit of {} bytes",
                                text.len(),
                                self.limits.max_scalar_bytes
                            ),
                        )
                        .at(Span::new(span.file, span.range().start..span.range().start))
                        .label("this value is too long"),
                    ));
                }
                let style = match style {
                    saphyr_parser::ScalarStyle::Plain => ScalarStyle::Plain,
                    saphyr_parser::ScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    saphyr_parser::ScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    saphyr_parser::ScalarStyle::Literal => ScalarStyle::Literal,
                    saphyr_parser::ScalarStyle::Folded => ScalarStyle::Folded,
                };
                let tag = tag.map(|t| t.suffix.clone());
                let value = resolve_scalar(&text, style, tag.as_deref());
                let node = Node { span, value, style };
                if let Some((key, key_span)) = self.take_key_slot(&node)? {
                    return self.begin_value_after_key(key, key_span);
                }
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.finish_node(node, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                self.reject_container_key(span)?;
                self.push(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                })
            }
            Event::MappingStart(anchor, _) => {
                self.reject_container_key(span)?;
                self.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                })
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop();
                let (start, anchor, value) = match frame {
                    Some(Frame::Seq {
                        start,
                        anchor,
                        items,
                    }) => (start, anchor, Value::Seq(items)),
                    Some(Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    }) => (start, anchor, Value::Map(Map { entries })),
                    None => return Ok(()),
                };
                let end = span.range().end.max(start.range().end);
                let node = Node {
                    span: Span::new(start.file, start.range().start..end),
                    value,
                    style: ScalarStyle::Plain,
                };
                if anchor > 0 {
                    let count = count_nodes(&node);
                    self.anchors.insert(anchor, (node.clone(), count));
                }
                self.finish_node(node, anchor)
            }
        }
    }

    fn push(&mut self, frame: Frame) -> Step {
        if self.stack.len() >= self.limits.max_depth {
            let at = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(Box::new(
                Diagnostic::new(
                    Code::InputLimit,
                    format!("nesting deeper than {} levels", self.limits.max_depth),
                )
                .at(Span::new(at.file, at.range().start..at.range().start))
                .label("too deep here"),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// In a mapping waiting for a key, a scalar is that key.
    fn take_key_slot(&mut self, node: &Node) -> Result<Option<(String, Span)>, Box<Diagnostic>> {
        if let Some(Frame::Map { pending_key, .. }) = self.stack.last()
            && pending_key.is_none()
        {
            let key = node.scalar_text().unwrap_or_default();
            return Ok(Some((key, node.span)));
        }
        Ok(None)
    }

    fn begin_value_after_key(&mut self, key: String, key_span: Span) -> Step {
        if let Some(Frame::Map {
            entries,
            pending_key,
            ..
        }) = self.stack.last_mut()
        {
            if let Some(first) = entries.iter().find(|e| e.key == key) {
                return Err(Box::new(
                    Diagnostic::new(Code::DuplicateKey, format!("duplicate key `{key}`"))
                        .at(key_span)
                        .label("second occurrence")
                        .secondary(first.key_span, "first occurrence")
                        .help("remove one of them; YAML and JSON mappings cannot repeat a key"),
                ));
            }
            *pending_key = Some((key, key_span));
        }
        Ok(())
    }

    fn reject_container_key(&self, span: Span) -> Step {
        if let Some(Frame::Map {
            pending_key: None, ..
        }) = self.stack.last()
        {
            return Err(Box::new(
                Diagnostic::new(
                    Code::Syntax,
                    "a mapping key must be a plain value, not a list or mapping",
                )
                .at(Span::new(span.file, span.range().start..span.range().start))
                .label("complex key"),
            ));
        }
        Ok(())
    }

    fn finish_node(&mut self, node: Node, _anchor: usize) -> Step {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some((key, key_span)) => {
                    entries.push(Entry {
                        key,
                        key_span,
                        value: node,
                    });
                    Ok(())
                }
                // An alias used as a key.
                None => {
                    let key = node.scalar_text().unwrap_or_default();
                    self.begin_value_after_key(key, node.span)
                }
            },
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    let mut n = 0usize;
    node.walk(&mut |_| n += 1);
    n
}

/// The YAML 1.2 core schema: how a plain scalar's text becomes null, a boolean or a number.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::String(text.to_owned()),
        Some("null") => return Value::Null,
        _ => {}
    }
    if style != ScalarStyle::Plain && tag.is_none() {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = parse_int(text) {
        return Value::Int(int);
    }
    if looks_like_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn looks_like_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i).unwrap_or(""), body.get(i + 1..)),
        None => (body, None),
    };
    let mantissa_ok = !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().filter(|&b| b == b'.').count() <= 1
        && mantissa.bytes().any(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_map::SourceMap;

    fn parse_text(text: &str) -> (Option<Node>, Diagnostics) {
        let mut map = SourceMap::default();
        let id = map.add("t.yaml".into(), text.to_owned());
        let mut diags = Diagnostics::new();
        let file = map.get(id).unwrap_or_else(|| unreachable!());
        let node = parse(file, id, &Limits::default(), &mut diags);
        (node, diags)
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let (node, diags) =
            parse_text("a: 1\nb: '1'\nc: 1.5\nd: true\ne: ~\nf: 0x1F\ng: 1.0.1\n200: ok\n");
        assert!(diags.is_empty());
        let node = node.unwrap_or_else(|| unreachable!());
        assert_eq!(node.get("a").map(|n| &n.value), Some(&Value::Int(1)));
        assert_eq!(
            node.get("b").map(|n| &n.value),
            Some(&Value::String("1".into()))
        );
        assert_eq!(node.get("c").map(|n| &n.value), Some(&Value::Float(1.5)));
        assert_eq!(node.get("d").map(|n| &n.value), Some(&Value::Bool(true)));
        assert_eq!(node.get("e").map(|n| &n.value), Some(&Value::Null));
        assert_eq!(node.get("f").map(|n| &n.value), Some(&Value::Int(31)));
        assert_eq!(
            node.get("g").map(|n| &n.value),
            Some(&Value::String("1.0.1".into()))
        );
        assert!(node.get("200").is_some());
    }

    #[test]
    fn spans_point_at_values() {
        let text = "top:\n  key: välue\n  other: x\n";
        let (node, _) = parse_text(text);
        let node = node.unwrap_or_else(|| unreachable!());
        let other = node.at(&["top", "other"]).unwrap_or_else(|| unreachable!());
        assert_eq!(text.get(other.span.range()), Some("x"));
    }

    #[test]
    fn json_parses_with_spans() {
        let text = "{\n  \"a\": [1, {\"b\": \"c\"}]\n}\n";
        let (node, diags) = parse_text(text);
        assert!(diags.is_empty());
        let b = node.and_then(|n| n.at(&["a", "1", "b"]).cloned());
        assert_eq!(
            b.map(|b| text.get(b.span.range()).map(str::to_owned)),
            Some(Some("\"c\"".to_owned()))
        );
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let (node, diags) = parse_text(&doc);
        assert!(node.is_none());
        assert!(diags.iter().any(|d| d.code == Code::InputLimit));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        // Past our depth limit, the scanner's own recursion limit may speak first.
        for depth in [200, 10_000] {
            let (node, diags) = parse_text(&"[".repeat(depth));
            assert!(node.is_none());
            let code = diags.iter().next().map(|d| d.code);
            assert!(
                matches!(code, Some(Code::InputLimit | Code::Syntax)),
                "{code:?}"
            );
        }
    }
}
