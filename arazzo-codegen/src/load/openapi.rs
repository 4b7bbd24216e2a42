//! An OpenAPI description as the loader keeps it, once its version is one this crate reads.

use crate::diagnostics::{Code, Diagnostic};
use crate::node::Node;
use crate::source_map::{FileId, SourceMap, Span};

/// A description's version field as written: a string, or the text of a number (`3.0` unquoted).
pub(super) fn version_text(
    field: Option<&Node>,
    file: FileId,
    files: &SourceMap,
) -> Option<String> {
    field.and_then(|n| {
        n.as_str().map(str::to_owned).or_else(|| {
            files
                .get(file)
                .and_then(|f| f.text().get(n.span.range()))
                .map(|s| s.trim().to_owned())
        })
    })
}

/// An OpenAPI description of a version this crate reads (3.0, 3.1 or 3.2).
#[derive(Debug)]
pub struct OpenApiDoc {
    pub file: FileId,
    pub root: Node,
}

impl OpenApiDoc {
    pub fn new(file: FileId, root: Node, files: &SourceMap) -> Result<Self, Diagnostic> {
        let field = root.get("openapi");
        let text = version_text(field, file, files);
        match text
            .as_deref()
            .map(|t| t.split('.').take(2).collect::<Vec<_>>())
        {
            Some(parts) if parts == ["3", "0"] || parts == ["3", "1"] || parts == ["3", "2"] => {}
            _ => {
                let span = field.map_or(Span::file_start(file), |n| n.span);
                return Err(Diagnostic::new(
                    Code::UnsupportedOpenApi,
                    format!("unsupported OpenAPI version `{}`", text.unwrap_or_default()),
                )
                .at(span)
                .label("this version")
                .note("arazzo-rs reads OpenAPI 3.0.x, 3.1.x and 3.2.x descriptions"));
            }
        }
        Ok(OpenApiDoc { file, root })
    }
}
