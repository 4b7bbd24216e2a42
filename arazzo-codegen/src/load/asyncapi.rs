//! An AsyncAPI description as the loader keeps it, once its version is one this crate reads.

use crate::diagnostics::{Code, Diagnostic};
use crate::node::Node;
use crate::source_map::{FileId, SourceMap, Span};

/// The two shapes of AsyncAPI: 2.x puts operations inside channels (`publish`/`subscribe`, named
/// from a client's side), 3.0 has `operations` of their own (`send`/`receive`, named from the
/// described application's side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsyncApiVersion {
    V2,
    V3,
}

/// An AsyncAPI description of a version this crate reads (2.0 to 2.6, or 3.0).
#[derive(Debug)]
pub struct AsyncApiDoc {
    pub file: FileId,
    pub root: Node,
    pub version: AsyncApiVersion,
}

impl AsyncApiDoc {
    pub fn new(file: FileId, root: Node, files: &SourceMap) -> Result<Self, Diagnostic> {
        let field = root.get("asyncapi");
        let text = super::openapi::version_text(field, file, files);
        let parts: Vec<&str> = text
            .as_deref()
            .map_or(Vec::new(), |t| t.split('.').take(2).collect::<Vec<_>>());
        let version = match parts.as_slice() {
            ["2", minor] if minor.parse::<u8>().is_ok_and(|m| m <= 6) => AsyncApiVersion::V2,
            ["3", "0"] => AsyncApiVersion::V3,
            _ => {
                let span = field.map_or(Span::file_start(file), |n| n.span);
                return Err(Diagnostic::new(
                    Code::UnsupportedAsyncApi,
                    format!(
                        "unsupported AsyncAPI version `{}`",
                        text.unwrap_or_default()
                    ),
                )
                .at(span)
                .label("this version")
                .note("arazzo-rs reads AsyncAPI 2.0 to 2.6 and 3.0 descriptions"));
            }
        };
        Ok(AsyncApiDoc {
            file,
            root,
            version,
        })
    }
}
