//! JSON files by JSON's rules (RFC 8259) into the same located [`Node`] tree as YAML.
//!
//! Read as YAML, valid JSON can be refused (a `"\ud83e\udd33"` surrogate pair is a YAML
//! error) and invalid JSON accepted (comments, single quotes, trailing commas). The structure
//! is walked here, iteratively, so depth is bounded without recursion; each string and number
//! token is decoded by `serde_json`, which owns JSON's escape and number rules.

use super::parse::Limits;
use super::{Entry, Map, Node, ScalarStyle, Value};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source_map::{FileId, SourceFile, Span};

/// A container being read: where it opened and what it holds so far.
enum Open {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    id: FileId,
    limits: &'a Limits,
}

type Read<T> = Result<T, Box<Diagnostic>>;

/// Parses one JSON file. Problems go to `diags`; `None` means no usable tree.
pub fn parse(
    file: &SourceFile,
    id: FileId,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let text = file.text();
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        id,
        limits,
    };
    match reader.document() {
        Ok(node) => Some(node),
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, start..end)
    }

    fn error(&self, message: impl Into<String>, label: &str) -> Box<Diagnostic> {
        let end = self
            .text
            .get(self.at..)
            .and_then(|t| t.chars().next())
            .map_or(self.at, |c| self.at + c.len_utf8());
        Box::new(
            Diagnostic::new(Code::Syntax, format!("invalid JSON: {}", message.into()))
                .at(self.span(self.at, end))
                .label(label.to_owned()),
        )
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn document(&mut self) -> Read<Node> {
        self.skip_space();
        if self.peek().is_none() {
            return Err(Box::new(super::parse::empty_document(self.id)));
        }
        let root = self.value()?;
        self.skip_space();
        if self.peek().is_some() {
            return Err(self.error(
                "more text after the top-level value",
                "the value ended before this",
            ));
        }
        Ok(root)
    }

    /// One value, containers included, with an explicit stack instead of recursion.
    fn value(&mut self) -> Read<Node> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            // Read a value, or open a container and go on to its first member.
            self.skip_space();
            let mut done = match self.peek() {
                Some(b'{') => {
                    self.open(
                        &mut stack,
                        Open::Object {
                            start: self.at,
                            entries: Vec::new(),
                            key: None,
                        },
                    )?;
                    self.at += 1;
                    self.skip_space();
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                        Self::close(&mut stack, self.at, self.id)
                    } else {
                        self.key(&mut stack)?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.open(
                        &mut stack,
                        Open::Array {
                            start: self.at,
                            items: Vec::new(),
                        },
                    )?;
                    self.at += 1;
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                        Self::close(&mut stack, self.at, self.id)
                    } else {
                        continue;
                    }
                }
                None => return Err(self.unclosed(&stack)),
                _ => self.scalar()?,
            };
            // Place the finished value; close every container it completes.
            loop {
                let Some(parent) = stack.last_mut() else {
                    return Ok(done);
                };
                match parent {
                    Open::Array { items, .. } => items.push(done),
                    Open::Object { entries, key, .. } => {
                        if let Some((key, key_span)) = key.take() {
                            entries.push(Entry {
                                key,
                                key_span,
                                value: done,
                            });
                        }
                    }
                }
                self.skip_space();
                let array = matches!(parent, Open::Array { .. });
                match (self.peek(), array) {
                    (Some(b','), _) => {
                        self.at += 1;
                        self.skip_space();
                        if matches!(self.peek(), Some(b']' | b'}')) {
                            return Err(self.error(
                                "a comma before the end of a list or object",
                                "nothing follows this comma's value",
                            ));
                        }
                        if !array {
                            self.key(&mut stack)?;
                        }
                        break;
                    }
                    (Some(b']'), true) | (Some(b'}'), false) => {
                        self.at += 1;
                        done = Self::close(&mut stack, self.at, self.id);
                    }
                    (None, _) => return Err(self.unclosed(&stack)),
                    (_, true) => {
                        return Err(self.error(
                            "expected `,` or `]` after a list item",
                            "expected `,` or `]` here",
                        ));
                    }
                    (_, false) => {
                        return Err(self.error(
                            "expected `,` or `}` after an object member",
                            "expected `,` or `}` here",
                        ));
                    }
                }
            }
        }
    }

    /// The text ends inside a container: say which, and where it opened.
    fn unclosed(&self, stack: &[Open]) -> Box<Diagnostic> {
        let (start, what, closer) = match stack.last() {
            Some(Open::Array { start, .. }) => (*start, "list", ']'),
            Some(Open::Object { start, .. }) => (*start, "object", '}'),
            None => {
                return self.error(
                    "the text ends where a value should be",
                    "a value is missing here",
                );
            }
        };
        Box::new(
            Diagnostic::new(
                Code::Syntax,
                format!(
                    "invalid JSON: the file ends inside a {what}, before its closing `{closer}`"
                ),
            )
            .at(self.span(self.at, self.at))
            .label("the file ends here")
            .secondary(
                self.span(start, start + 1),
                format!("this {what} is not closed"),
            ),
        )
    }

    fn open(&self, stack: &mut Vec<Open>, frame: Open) -> Read<()> {
        if stack.len() >= self.limits.max_depth {
            return Err(Box::new(
                Diagnostic::new(
                    Code::InputLimit,
                    format!("nesting deeper than {} levels", self.limits.max_depth),
                )
                .at(self.span(self.at, self.at))
                .label("too deep here"),
            ));
        }
        stack.push(frame);
        Ok(())
    }

    /// Pops the innermost container, which ends at `end`, as a node.
    fn close(stack: &mut Vec<Open>, end: usize, id: FileId) -> Node {
        let (start, value) = match stack.pop() {
            Some(Open::Array { start, items }) => (start, Value::Seq(items)),
            Some(Open::Object { start, entries, .. }) => (start, Value::Map(Map { entries })),
            None => (end, Value::Null),
        };
        Node {
            span: Span::new(id, start..end),
            value,
            style: ScalarStyle::Plain,
        }
    }

    /// An object member's key and its colon; a repeated key is an error naming both.
    fn key(&mut self, stack: &mut [Open]) -> Read<()> {
        self.skip_space();
        if self.peek() != Some(b'"') {
            return Err(self.error(
                "an object member's name must be a string in double quotes",
                "expected `\"` here",
            ));
        }
        let node = self.string()?;
        let Value::String(name) = node.value else {
            return Ok(());
        };
        self.skip_space();
        if self.peek() != Some(b':') {
            return Err(self.error(
                "expected `:` after an object member's name",
                "expected `:` here",
            ));
        }
        self.at += 1;
        if let Some(Open::Object { entries, key, .. }) = stack.last_mut() {
            if let Some(first) = entries.iter().find(|e| e.key == name) {
                return Err(Box::new(
                    Diagnostic::new(Code::DuplicateKey, format!("duplicate key `{name}`"))
                        .at(node.span)
                        .label("second occurrence")
                        .secondary(first.key_span, "first occurrence")
                        .help("remove one of them; YAML and JSON mappings cannot repeat a key"),
                ));
            }
            *key = Some((name, node.span));
        }
        Ok(())
    }

    fn scalar(&mut self) -> Read<Node> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            None => Err(self.error("the text ends where a value should be", "a value is missing here")),
            Some(_) => Err(self.error("expected a value: an object, a list, a string in double quotes, a number, `true`, `false` or `null`", "not a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Read<Node> {
        let start = self.at;
        if self.text.get(start..).is_some_and(|t| t.starts_with(word)) {
            self.at += word.len();
            Ok(Node {
                span: self.span(start, self.at),
                value,
                style: ScalarStyle::Plain,
            })
        } else {
            Err(self.error("expected a value: an object, a list, a string in double quotes, a number, `true`, `false` or `null`", "not a JSON value"))
        }
    }

    fn string(&mut self) -> Read<Node> {
        let start = self.at;
        let mut end = start + 1;
        loop {
            match self.bytes.get(end) {
                Some(b'"') => break,
                Some(b'\\') => end += 2,
                Some(_) => end += 1,
                None => {
                    self.at = start;
                    return Err(
                        self.error("a string is not closed", "this string has no closing `\"`")
                    );
                }
            }
        }
        end += 1;
        if end - start > self.limits.max_scalar_bytes {
            return Err(self.too_long(start, end));
        }
        let token = self.text.get(start..end).unwrap_or_default();
        match serde_json::from_str::<String>(token) {
            Ok(text) => {
                self.at = end;
                Ok(Node {
                    span: self.span(start, end),
                    value: Value::String(text),
                    style: ScalarStyle::DoubleQuoted,
                })
            }
            Err(e) => {
                // serde_json counts columns in bytes from the token's start, on its one line.
                let mut at = start
                    + e.column()
                        .saturating_sub(1)
                        .min(token.len().saturating_sub(1));
                while !self.text.is_char_boundary(at) {
                    at -= 1;
                }
                self.at = at;
                Err(self.error(format!("{}", Bare(&e)), "in this string"))
            }
        }
    }

    fn number(&mut self) -> Read<Node> {
        let start = self.at;
        let mut end = start;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.bytes.get(end) {
            end += 1;
        }
        if end - start > self.limits.max_scalar_bytes {
            return Err(self.too_long(start, end));
        }
        let token = self.text.get(start..end).unwrap_or_default();
        let value = match serde_json::from_str::<serde_json::Number>(token) {
            Ok(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                // Beyond 64 bits, as serde_json reads it without arbitrary precision.
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Err(e) if e.to_string().contains("out of range") => {
                return Err(self.error(
                    format!("`{token}` is beyond the range of a 64-bit float"),
                    "too large a number",
                ));
            }
            Err(_) => {
                return Err(self.error(
                    format!("`{token}` is not a JSON number"),
                    "a number is digits with an optional `-`, fraction and exponent, and no leading zero",
                ));
            }
        };
        self.at = end;
        Ok(Node {
            span: self.span(start, end),
            value,
            style: ScalarStyle::Plain,
        })
    }

    fn too_long(&self, start: usize, end: usize) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::new(
                Code::InputLimit,
                format!(
                    "a scalar of {} bytes is longer than the limit of {} bytes",
                    end - start,
                    self.limits.max_scalar_bytes
                ),
            )
            .at(self.span(start, start))
            .label("this value is too long"),
        )
    }
}

/// serde_json's message without its own `at line … column …`: the diagnostic has the location.
struct Bare<'e>(&'e serde_json::Error);

impl std::fmt::Display for Bare<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let full = self.0.to_string();
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(m, _)| m);
        f.write_str(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_map::SourceMap;

    fn read(text: &str) -> (Option<Node>, Vec<Diagnostic>, String) {
        let mut map = SourceMap::default();
        let id = map.add("t.json".into(), text.to_owned());
        let mut diags = Diagnostics::new();
        let file = map.get(id).unwrap_or_else(|| unreachable!());
        let node = parse(file, id, &Limits::default(), &mut diags);
        let at = diags
            .iter()
            .next()
            .and_then(|d| d.span)
            .map(|s| map.location(s))
            .unwrap_or_default();
        (node, diags.as_slice().to_vec(), at)
    }

    fn error(text: &str) -> (String, String) {
        let (node, diags, at) = read(text);
        assert!(node.is_none(), "{text} was accepted");
        let message = diags.first().map(|d| d.message.clone()).unwrap_or_default();
        (message, at)
    }

    #[test]
    fn surrogate_pairs_and_escapes_decode_as_json_says() {
        let text = r#"{"summary": "selfie \ud83e\udd33", "tab": "a\tb", "slash": "\/"}"#;
        let (node, diags, _) = read(text);
        assert!(diags.is_empty(), "{diags:?}");
        let node = node.unwrap_or_else(|| unreachable!());
        assert_eq!(
            node.get("summary").and_then(Node::as_str),
            Some("selfie 🤳")
        );
        assert_eq!(node.get("tab").and_then(Node::as_str), Some("a\tb"));
        assert_eq!(node.get("slash").and_then(Node::as_str), Some("/"));
    }

    #[test]
    fn every_node_keeps_its_span() {
        let text = "{\n  \"a\": [1, {\"b\": \"c\"}],\n  \"é\": -2.5e1\n}\n";
        let (node, _, _) = read(text);
        let node = node.unwrap_or_else(|| unreachable!());
        let b = node.at(&["a", "1", "b"]).unwrap_or_else(|| unreachable!());
        assert_eq!(text.get(b.span.range()), Some("\"c\""));
        let list = node.get("a").unwrap_or_else(|| unreachable!());
        assert_eq!(text.get(list.span.range()), Some("[1, {\"b\": \"c\"}]"));
        let number = node.get("é").unwrap_or_else(|| unreachable!());
        assert_eq!(number.value, Value::Float(-25.0));
        assert_eq!(text.get(number.span.range()), Some("-2.5e1"));
        assert_eq!(text.get(node.span.range()), Some(text.trim_end()));
    }

    #[test]
    fn numbers_are_read_as_json_numbers() {
        let (node, _, _) = read(r#"[0, -7, 9007199254740993, 1e300, 0.1]"#);
        let items: Vec<Value> = node
            .and_then(|n| {
                n.as_seq()
                    .map(|s| s.iter().map(|n| n.value.clone()).collect())
            })
            .unwrap_or_default();
        assert_eq!(items.first(), Some(&Value::Int(0)));
        assert_eq!(items.get(1), Some(&Value::Int(-7)));
        // Exact: beyond 2^53, where a float would round it.
        assert_eq!(items.get(2), Some(&Value::Int(9_007_199_254_740_993)));
        assert_eq!(items.get(4), Some(&Value::Float(0.1)));
    }

    #[test]
    fn what_json_forbids_is_refused_where_it_is() {
        for (text, message, at) in [
            (r#"{"a": 1,}"#, "a comma before the end", "t.json:1:9"),
            (r#"{"a": 'x'}"#, "expected a value", "t.json:1:7"),
            ("{\"a\": 1 // note\n}", "expected `,` or `}`", "t.json:1:9"),
            (r#"[01]"#, "`01` is not a JSON number", "t.json:1:2"),
            (r#"[+1]"#, "expected a value", "t.json:1:2"),
            (
                r#"{a: 1}"#,
                "must be a string in double quotes",
                "t.json:1:2",
            ),
            (r#"{"a": "\ud83e"}"#, "invalid JSON: ", "t.json:1:"),
            (
                r#"[1e400]"#,
                "beyond the range of a 64-bit float",
                "t.json:1:2",
            ),
            ("[\"a\tb\"]", "control character", "t.json:1:"),
            (r#"{"a": 1} {}"#, "more text after", "t.json:1:10"),
            (r#"{"a": "open"#, "a string is not closed", "t.json:1:7"),
            (r#"{"a": tru}"#, "expected a value", "t.json:1:7"),
        ] {
            let (got, located) = error(text);
            assert!(got.contains(message), "{text}: {got}");
            assert!(located.starts_with(at), "{text}: {located}");
        }
    }

    #[test]
    fn a_repeated_key_points_at_both() {
        let (_, diags, at) = read("{\"a\": 1,\n \"a\": 2}");
        let d = diags.first().unwrap_or_else(|| unreachable!());
        assert_eq!(d.code, Code::DuplicateKey);
        assert_eq!(at, "t.json:2:2");
        assert_eq!(d.labels.len(), 1);
    }

    #[test]
    fn depth_and_emptiness_are_bounded() {
        let (message, _) = error(&"[".repeat(100_000));
        assert!(message.contains("nesting deeper than 128"), "{message}");
        let (message, _) = error(" \n ");
        assert_eq!(message, "the document is empty");
        let (node, diags, _) = read(&format!("{}{}", "[".repeat(100), "]".repeat(100)));
        assert!(node.is_some() && diags.is_empty());
    }
}
