//! `$ref` resolution inside OpenAPI descriptions, across files.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Project;
use crate::load::refs::{referenced_path, split};
use crate::node::{Node, pointer};
use crate::source_map::FileId;

/// Where a chain of `$ref`s ends.
pub struct Target<'p> {
    pub file: FileId,
    pub pointer: String,
    pub node: &'p Node,
}

/// Follows `$ref`s from `node` (found in `file` at `pointer`) until a node without one.
pub fn follow<'p>(
    project: &'p Project,
    file: FileId,
    pointer: String,
    node: &'p Node,
) -> Result<Target<'p>, Diagnostic> {
    let mut current = Target {
        file,
        pointer,
        node,
    };
    for _ in 0..32 {
        let Some(reference) = current.node.get("$ref") else {
            return Ok(current);
        };
        let here = format!(
            "the `$ref` is at `{}#{}/$ref`",
            project
                .files
                .get(current.file)
                .map_or("?", |f| f.display_name()),
            current.pointer
        );
        let Some(text) = reference.as_str() else {
            return Err(
                Diagnostic::new(Code::InvalidOpenApi, "`$ref` must be a string").at(reference.span),
            );
        };
        let (file_part, fragment) = split(text);
        let target_file = if file_part.is_empty() {
            current.file
        } else {
            let from = project
                .files
                .get(current.file)
                .map(|f| f.path().to_path_buf())
                .unwrap_or_default();
            let path = referenced_path(&from, file_part);
            project.files.find(&path).ok_or_else(|| {
                Diagnostic::new(
                    Code::UnresolvedRef,
                    format!("`$ref` to a file that could not be read: `{file_part}`"),
                )
                .at(reference.span)
                .label("this reference")
            })?
        };
        let tokens = pointer::parse(fragment).map_err(|e| {
            Diagnostic::new(
                Code::UnresolvedRef,
                format!("malformed `$ref` `{text}`: {e}"),
            )
            .at(reference.span)
        })?;
        let root = project.tree(target_file).ok_or_else(|| {
            Diagnostic::new(
                Code::UnresolvedRef,
                format!("`$ref` `{text}` names a file that did not parse"),
            )
            .at(reference.span)
        })?;
        let node = root.at(&tokens).ok_or_else(|| {
            Diagnostic::new(
                Code::UnresolvedRef,
                format!("`$ref` `{text}` points at nothing"),
            )
            .at(reference.span)
            .label("no value at this JSON pointer")
            .note(here.clone())
        })?;
        current = Target {
            file: target_file,
            pointer: fragment.to_owned(),
            node,
        };
    }
    Err(Diagnostic::new(
        Code::UnresolvedRef,
        "`$ref` chain longer than 32 links (a cycle?)",
    )
    .at(current.node.span))
}
