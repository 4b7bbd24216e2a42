//! Finding what a step names: operations across every OpenAPI source (by `operationId`, by
//! `$sourceDescriptions.<name>.<operationId>`, by `operationPath`) and workflows across Arazzo
//! documents.

pub mod inputs;
pub mod order;

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::{ArazzoId, OpenApiId, Project, SourceTarget};
use crate::model::{Spanned, Workflow};
use crate::node::{Node, pointer};
use crate::suggest;

/// HTTP methods a path item may hold operations under (3.2 adds `query`).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// One operation in one OpenAPI source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRef {
    pub doc: OpenApiId,
    pub path: String,
    pub method: String,
}

/// `operationId` → operations, per OpenAPI source.
#[derive(Debug, Default)]
pub struct OperationIndex {
    by_id: Vec<BTreeMap<String, Vec<OperationRef>>>,
}

impl OperationIndex {
    pub fn build(project: &Project) -> Self {
        let by_id = project
            .openapi
            .iter()
            .enumerate()
            .map(|(i, oas)| {
                let doc = OpenApiId(i);
                let mut ids: BTreeMap<String, Vec<OperationRef>> = BTreeMap::new();
                let Some(paths) = oas.root.get("paths").and_then(Node::as_map) else {
                    return ids;
                };
                for entry in &paths.entries {
                    let Some(item) = entry.value.as_map() else {
                        continue;
                    };
                    for method in METHODS {
                        if let Some(id) = item
                            .get(method)
                            .and_then(|op| op.get("operationId"))
                            .and_then(Node::as_str)
                        {
                            ids.entry(id.to_owned()).or_default().push(OperationRef {
                                doc,
                                path: entry.key.clone(),
                                method: (*method).to_owned(),
                            });
                        }
                    }
                }
                ids
            })
            .collect();
        OperationIndex { by_id }
    }

    fn ids(&self, doc: OpenApiId) -> impl Iterator<Item = &str> {
        self.by_id
            .get(doc.0)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }

    /// Whether OpenAPI source `doc` has an operation `id`.
    pub fn contains(&self, doc: OpenApiId, id: &str) -> bool {
        self.by_id.get(doc.0).is_some_and(|m| m.contains_key(id))
    }

    fn find(&self, doc: OpenApiId, id: &str) -> Vec<OperationRef> {
        self.by_id
            .get(doc.0)
            .and_then(|m| m.get(id))
            .cloned()
            .unwrap_or_default()
    }
}

/// What `$sourceDescriptions.<name>.<rest>` splits into.
pub fn split_source_ref(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("$sourceDescriptions.")?;
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    let (name, tail) = rest.split_at(end);
    Some((name, tail.strip_prefix('.')?))
}

/// Resolves step targets for one Arazzo document of the project.
pub struct Resolver<'p> {
    pub project: &'p Project,
    pub index: &'p OperationIndex,
    pub doc: ArazzoId,
}

impl<'p> Resolver<'p> {
    fn sources(&self) -> &'p [crate::load::BoundSource] {
        self.project
            .arazzo
            .get(self.doc.0)
            .map_or(&[], |d| d.sources.as_slice())
    }

    fn source_names(&self) -> impl Iterator<Item = &'p str> {
        self.sources().iter().map(|s| s.name.as_str())
    }

    fn source(&self, name: &str, at: &Spanned<String>) -> Result<SourceTarget, Diagnostic> {
        match self.sources().iter().find(|s| s.name == name) {
            Some(s) => Ok(s.target),
            None => Err(Diagnostic::new(
                Code::UnknownSource,
                format!("no source description named `{name}`"),
            )
            .at(at.span)
            .label("unknown source")
            .note(format!(
                "sources of this document: {}",
                suggest::list(self.source_names())
            ))
            .help_opt(suggest::did_you_mean(name, self.source_names()))),
        }
    }

    fn openapi_docs(&self) -> Vec<OpenApiId> {
        self.sources()
            .iter()
            .filter_map(|s| match s.target {
                SourceTarget::OpenApi(i) => Some(i),
                _ => None,
            })
            .collect()
    }

    /// Whether some source could not be loaded: then a missing operation is not news.
    fn any_source_unavailable(&self) -> bool {
        self.sources()
            .iter()
            .any(|s| s.target == SourceTarget::Unavailable)
    }

    /// `Ok(None)` when the operation cannot be looked for (its source is already reported).
    pub fn operation_id(&self, id: &Spanned<String>) -> Result<Option<OperationRef>, Diagnostic> {
        let (docs, wanted) = match split_source_ref(&id.value) {
            Some((name, op)) => match self.source(name, id)? {
                SourceTarget::OpenApi(doc) => (vec![doc], op),
                SourceTarget::Arazzo(_) => {
                    return Err(Diagnostic::new(Code::UnknownOperation, format!("source `{name}` is an Arazzo document, which has workflows, not operations"))
                        .at(id.span)
                        .help("use `workflowId` to run one of its workflows"));
                }
                SourceTarget::Unavailable => return Ok(None),
            },
            None => (self.openapi_docs(), id.value.as_str()),
        };
        let mut found: Vec<OperationRef> = docs
            .iter()
            .flat_map(|d| self.index.find(*d, wanted))
            .collect();
        match found.len() {
            1 => Ok(found.pop()),
            0 if self.any_source_unavailable() && split_source_ref(&id.value).is_none() => Ok(None),
            0 => {
                let all: Vec<&str> = docs.iter().flat_map(|d| self.index.ids(*d)).collect();
                let d = Diagnostic::new(
                    Code::UnknownOperation,
                    format!("no operation with operationId `{wanted}`"),
                )
                .at(id.span)
                .label("not found in any OpenAPI source of this document");
                Err(match self.source_dot_operation(wanted) {
                    Some(fixed) => d
                        .help(format!("to name the source, write `{fixed}`"))
                        .note(crate::diagnostics::LENIENT_NOTE),
                    None => d.help_opt(suggest::did_you_mean(wanted, all.iter().copied())),
                })
            }
            _ if found
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.doc == b.doc)) =>
            {
                Err(self.declared_twice(id, wanted, &found))
            }
            _ => {
                let candidates: Vec<String> = found
                    .iter()
                    .map(|op| {
                        let source = self
                            .sources()
                            .iter()
                            .find(|s| s.target == SourceTarget::OpenApi(op.doc))
                            .map_or("?", |s| s.name.as_str());
                        format!(
                            "`$sourceDescriptions.{source}.{wanted}` ({} {})",
                            op.method.to_uppercase(),
                            op.path
                        )
                    })
                    .collect();
                Err(Diagnostic::new(
                    Code::AmbiguousOperation,
                    format!("operationId `{wanted}` exists in several sources"),
                )
                .at(id.span)
                .label("ambiguous")
                .note(format!("candidates: {}", candidates.join(", ")))
                .help("name the source: `$sourceDescriptions.<source>.<operationId>`"))
            }
        }
    }

    /// One description that declares the same operationId on several operations: a mistake of
    /// the description, which names no single operation.
    fn declared_twice(
        &self,
        id: &Spanned<String>,
        wanted: &str,
        found: &[OperationRef],
    ) -> Diagnostic {
        let source = found
            .first()
            .and_then(|op| {
                self.sources()
                    .iter()
                    .find(|s| s.target == SourceTarget::OpenApi(op.doc))
            })
            .map_or("?", |s| s.name.as_str());
        let mut d = Diagnostic::new(
            Code::AmbiguousOperation,
            format!("the description of source `{source}` declares operationId `{wanted}` on {} operations", found.len()),
        )
        .at(id.span)
        .label("names no single operation");
        for op in found {
            let declared = self.project.openapi.get(op.doc.0).and_then(|doc| {
                doc.root
                    .at(&["paths", op.path.as_str(), op.method.as_str(), "operationId"])
            });
            let what = format!("declared on {} {}", op.method.to_uppercase(), op.path);
            d = match declared {
                Some(node) => d.secondary(node.span, what),
                None => d.note(what),
            };
        }
        d.help("operationIds must be unique within a description: fix it, or name the operation by `operationPath`")
    }

    /// `museum-api.getMuseumHours` written for `$sourceDescriptions.museum-api.getMuseumHours`.
    fn source_dot_operation(&self, wanted: &str) -> Option<String> {
        let (name, op) = wanted.split_once('.')?;
        let source = self.sources().iter().find(|s| s.name == name)?;
        let SourceTarget::OpenApi(doc) = source.target else {
            return None;
        };
        (!self.index.find(doc, op).is_empty()).then(|| format!("$sourceDescriptions.{name}.{op}"))
    }

    /// `{$sourceDescriptions.<name>.url}#/paths/~1pets~1{petId}/get`.
    pub fn operation_path(
        &self,
        path: &Spanned<String>,
    ) -> Result<Option<OperationRef>, Diagnostic> {
        let malformed = |why: &str| {
            Diagnostic::new(
                Code::InvalidOperationPath,
                format!("malformed operationPath: {why}"),
            )
            .at(path.span)
            .help("write `'{$sourceDescriptions.<name>.url}#/paths/~1pets~1{petId}/get'`")
        };
        let text = path.value.as_str();
        let (head, fragment) = text
            .split_once('#')
            .ok_or_else(|| malformed("no `#` before the JSON pointer"))?;
        let Some(name) = head
            .strip_prefix("{$sourceDescriptions.")
            .and_then(|r| r.strip_suffix(".url}"))
        else {
            let bare = head.strip_prefix("$sourceDescriptions.").unwrap_or(head);
            let bare = bare.strip_suffix(".url").unwrap_or(bare);
            let d = malformed("it must start with `{$sourceDescriptions.<name>.url}`");
            return Err(if self.sources().iter().any(|s| s.name == bare) {
                d.help(format!(
                    "write `{{$sourceDescriptions.{bare}.url}}#{fragment}`"
                ))
                .note(crate::diagnostics::LENIENT_NOTE)
            } else {
                d
            });
        };
        let doc = match self.source(name, path)? {
            SourceTarget::OpenApi(doc) => doc,
            SourceTarget::Arazzo(_) => {
                return Err(malformed(
                    "it names an Arazzo source, which has no operations",
                ));
            }
            SourceTarget::Unavailable => return Ok(None),
        };
        let tokens = pointer::parse(fragment).map_err(|e| malformed(&e.to_string()))?;
        let Some(oas) = self.project.openapi.get(doc.0) else {
            return Ok(None);
        };
        let paths = oas.root.get("paths").and_then(Node::as_map);
        match tokens.as_slice() {
            [p, item_path, method] if p == "paths" => {
                let item = paths.and_then(|m| m.get(item_path));
                match item {
                    Some(item)
                        if item.get(method).is_some() && METHODS.contains(&method.as_str()) =>
                    {
                        Ok(Some(OperationRef {
                            doc,
                            path: item_path.clone(),
                            method: method.clone(),
                        }))
                    }
                    Some(item) => {
                        let methods: Vec<&str> = METHODS
                            .iter()
                            .copied()
                            .filter(|m| item.get(m).is_some())
                            .collect();
                        Err(Diagnostic::new(
                            Code::InvalidOperationPath,
                            format!("path `{item_path}` has no `{method}` operation"),
                        )
                        .at(path.span)
                        .note(format!(
                            "operations on this path: {}",
                            suggest::list(methods.iter().copied())
                        ))
                        .help_opt(suggest::did_you_mean(method, methods.iter().copied())))
                    }
                    None => Err(unknown_path(item_path, paths, path)),
                }
            }
            [p, item_path] if p == "paths" => {
                let methods: Vec<&str> = paths
                    .and_then(|m| m.get(item_path))
                    .map(|item| {
                        METHODS
                            .iter()
                            .copied()
                            .filter(|m| item.get(m).is_some())
                            .collect()
                    })
                    .unwrap_or_default();
                Err(Diagnostic::new(
                    Code::InvalidOperationPath,
                    "operationPath points at a path item, not at an operation",
                )
                .at(path.span)
                .label("add the HTTP method as the last pointer segment")
                .help(match methods.first() {
                    Some(m) => format!(
                        "for example `{}#{}`",
                        head,
                        pointer::join(["paths", item_path.as_str(), m])
                    ),
                    None => "append `/get`, `/post`, … for the operation".to_owned(),
                }))
            }
            _ => Err(malformed(
                "the JSON pointer must be `/paths/<escaped path>/<method>`",
            )),
        }
    }

    /// A workflow this document can run: its own, or `$sourceDescriptions.<name>.<workflowId>`.
    pub fn workflow(
        &self,
        id: &Spanned<String>,
    ) -> Result<Option<(ArazzoId, &'p Workflow)>, Diagnostic> {
        let (doc, wanted) = match split_source_ref(&id.value) {
            Some((name, wf)) => match self.source(name, id)? {
                SourceTarget::Arazzo(doc) => (doc, wf),
                SourceTarget::OpenApi(_) => {
                    return Err(Diagnostic::new(Code::UnknownWorkflow, format!("source `{name}` is an OpenAPI description, which has operations, not workflows"))
                        .at(id.span)
                        .help("use `operationId` or `operationPath` to call one of its operations"));
                }
                SourceTarget::Unavailable => return Ok(None),
            },
            None => (self.doc, id.value.as_str()),
        };
        let Some(loaded) = self.project.arazzo.get(doc.0) else {
            return Ok(None);
        };
        let workflows = &loaded.document.workflows;
        match workflows.iter().find(|w| w.workflow_id.value == wanted) {
            Some(w) => Ok(Some((doc, w))),
            None => {
                let ids = workflows.iter().map(|w| w.workflow_id.value.as_str());
                let d = Diagnostic::new(
                    Code::UnknownWorkflow,
                    format!("no workflow with workflowId `{wanted}`"),
                )
                .at(id.span)
                .label("unknown workflow");
                let unprefixed = wanted
                    .strip_prefix("workflows.")
                    .filter(|w| workflows.iter().any(|x| x.workflow_id.value == *w));
                Err(match (unprefixed, split_source_ref(&id.value)) {
                    (Some(w), Some((name, _))) => d.help(format!(
                        "write `$sourceDescriptions.{name}.{w}`: the workflowId follows the source name directly"
                    )).note(crate::diagnostics::LENIENT_NOTE),
                    _ => d.help_opt(suggest::did_you_mean(wanted, ids)),
                })
            }
        }
    }
}

fn unknown_path(
    item_path: &str,
    paths: Option<&crate::node::Map>,
    at: &Spanned<String>,
) -> Diagnostic {
    let keys: Vec<&str> = paths.map(|m| m.keys().collect()).unwrap_or_default();
    Diagnostic::new(
        Code::InvalidOperationPath,
        format!("the OpenAPI source has no path `{item_path}`"),
    )
    .at(at.span)
    .label("unknown path")
    .help_opt(
        suggest::closest(item_path, keys.iter().copied())
            .map(|c| format!("did you mean `{}`?", pointer::join(["paths", c]))),
    )
}

#[cfg(test)]
mod tests {
    use super::split_source_ref;

    #[test]
    fn source_references_split_at_the_name() {
        assert_eq!(
            split_source_ref("$sourceDescriptions.petstore.getPet"),
            Some(("petstore", "getPet"))
        );
        assert_eq!(
            split_source_ref("$sourceDescriptions.api.v1.get.pet"),
            Some(("api", "v1.get.pet"))
        );
        assert_eq!(split_source_ref("getPet"), None);
    }
}
