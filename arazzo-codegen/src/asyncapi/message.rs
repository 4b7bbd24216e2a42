//! One AsyncAPI Message Object: its payload and header schemas, content type and correlation id.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Project;
use crate::node::{Node, pointer};
use crate::openapi::refs;
use crate::source_map::{FileId, Span};

/// A schema and the file it is written in (its `$ref`s resolve from there).
#[derive(Debug, Clone, Copy)]
pub struct Schema<'p> {
    pub file: FileId,
    pub node: &'p Node,
}

/// Where a message carries the value that correlates it: `$message.header#/id` or
/// `$message.payload#/order/id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correlation {
    /// As the description writes it.
    pub location: String,
    pub in_header: bool,
    /// Tokens into the headers (the first is the header's name) or into the payload.
    pub pointer: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Message<'p> {
    /// Its key in the `messages` map that lists it, else its `name`.
    pub name: String,
    /// Where the Message Object is written, for diagnostics.
    pub span: Span,
    pub payload: Option<Schema<'p>>,
    pub headers: Option<Schema<'p>>,
    /// The message's `contentType`, else the description's `defaultContentType`.
    pub content_type: Option<String>,
    pub correlation: Option<Correlation>,
}

impl<'p> Message<'p> {
    /// The message `node` (found in `file` at `at`) with its `$ref`s followed.
    pub fn read(
        project: &'p Project,
        file: FileId,
        at: String,
        node: &'p Node,
        key: Option<&str>,
        default_content_type: Option<&str>,
    ) -> Result<Self, Diagnostic> {
        let target = refs::follow(project, file, at, node)?;
        let (file, node) = (target.file, target.node);
        if node.as_map().is_none() {
            return Err(Diagnostic::new(
                Code::InvalidAsyncApi,
                format!(
                    "an AsyncAPI Message Object must be a mapping, found {}",
                    node.kind()
                ),
            )
            .at(node.span));
        }
        let name = key
            .map(str::to_owned)
            .or_else(|| node.get("name").and_then(Node::as_str).map(str::to_owned))
            .unwrap_or_else(|| {
                target
                    .pointer
                    .rsplit('/')
                    .next()
                    .unwrap_or("message")
                    .to_owned()
            });
        let correlation = match node.get("correlationId") {
            Some(c) => Some(correlation(project, file, &target.pointer, c)?),
            None => None,
        };
        let span = project
            .files
            .get(file)
            .map_or(node.span, |f| crate::node::head(node, f));
        Ok(Message {
            name,
            span,
            payload: node.get("payload").map(|n| schema(file, n)),
            headers: node.get("headers").map(|n| schema(file, n)),
            content_type: node
                .get("contentType")
                .and_then(Node::as_str)
                .or(default_content_type)
                .map(str::to_owned),
            correlation,
        })
    }
}

/// A schema, or the `schema` of a 3.0 Multi Format Schema Object (`schemaFormat` + `schema`).
fn schema(file: FileId, node: &Node) -> Schema<'_> {
    let inner = node
        .get("schemaFormat")
        .and(node.get("schema"))
        .unwrap_or(node);
    Schema { file, node: inner }
}

/// A Correlation ID Object (or a `$ref` to one): its `location`, parsed.
fn correlation(
    project: &Project,
    file: FileId,
    message_pointer: &str,
    node: &Node,
) -> Result<Correlation, Diagnostic> {
    let at = format!("{message_pointer}/correlationId");
    let target = refs::follow(project, file, at, node)?;
    let Some(location) = target.node.get("location") else {
        return Err(Diagnostic::new(
            Code::InvalidAsyncApi,
            "an AsyncAPI Correlation ID Object needs a `location`",
        )
        .at(target.node.span)
        .label("no `location` here"));
    };
    let Some(text) = location.as_str() else {
        return Err(Diagnostic::new(
            Code::InvalidAsyncApi,
            "a correlation id `location` is a string",
        )
        .at(location.span));
    };
    let malformed = |why: String| {
        Diagnostic::new(
            Code::InvalidAsyncApi,
            format!("malformed correlation id location `{text}`: {why}"),
        )
        .at(location.span)
        .label("this location")
        .help("write `$message.header#/<name>` or `$message.payload#/<pointer>`")
    };
    let (head, fragment) = text.split_once('#').unwrap_or((text, ""));
    let in_header = match head {
        "$message.header" => true,
        "$message.payload" => false,
        _ => {
            return Err(malformed(
                "it must start with `$message.header` or `$message.payload`".to_owned(),
            ));
        }
    };
    let tokens = pointer::parse(fragment).map_err(|e| malformed(e.to_string()))?;
    if in_header && tokens.is_empty() {
        return Err(malformed("it names no header".to_owned()));
    }
    Ok(Correlation {
        location: text.to_owned(),
        in_header,
        pointer: tokens,
    })
}
