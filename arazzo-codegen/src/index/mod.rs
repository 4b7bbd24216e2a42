//! Finding what a step names: operations across every OpenAPI source (by `operationId`, by
//! `$sourceDescriptions.<name>.<operationId>`, by `operationPath`) and workflows across Arazzo
//! documents.

pub mod inputs;
pub mod order;

use std::collections::BTreeMap;

use crate::asyncapi::{MessageIndex, MessageRef, MessageTarget};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{ArazzoId, AsyncApiId, OpenApiId, Project, SourceTarget};
use crate::model::{SourceType, Spanned, StepTarget, Workflow};
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

/// What a step's `operationId` names: an HTTP operation, or an AsyncAPI one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Called {
    Http(OperationRef),
    Message(MessageRef),
}

impl Called {
    fn source(&self) -> SourceTarget {
        match self {
            Called::Http(op) => SourceTarget::OpenApi(op.doc),
            Called::Message(m) => SourceTarget::AsyncApi(m.doc),
        }
    }

    /// `POST /pets`, or the AsyncAPI operation's place.
    fn describe(&self) -> String {
        match self {
            Called::Http(op) => format!("{} {}", op.method.to_uppercase(), op.path),
            Called::Message(MessageRef {
                target: MessageTarget::Operation(tokens),
                ..
            }) => format!("#{}", pointer::join(tokens)),
            Called::Message(MessageRef {
                target: MessageTarget::Channel(key),
                ..
            }) => format!("#{}", pointer::join(["channels", key.as_str()])),
        }
    }
}

/// `operationId` → operations, per OpenAPI source; and per AsyncAPI source.
#[derive(Debug, Default)]
pub struct OperationIndex {
    by_id: Vec<BTreeMap<String, Vec<OperationRef>>>,
    pub messages: MessageIndex,
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
        OperationIndex {
            by_id,
            messages: MessageIndex::build(project),
        }
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

    /// The OpenAPI and AsyncAPI sources, where an unprefixed `operationId` is looked for.
    fn operation_sources(&self) -> Vec<SourceTarget> {
        self.sources()
            .iter()
            .map(|s| s.target)
            .filter(|t| matches!(t, SourceTarget::OpenApi(_) | SourceTarget::AsyncApi(_)))
            .collect()
    }

    fn find(&self, source: SourceTarget, id: &str) -> Vec<Called> {
        match source {
            SourceTarget::OpenApi(doc) => self
                .index
                .find(doc, id)
                .into_iter()
                .map(Called::Http)
                .collect(),
            SourceTarget::AsyncApi(doc) => self
                .index
                .messages
                .find(doc, id)
                .into_iter()
                .map(Called::Message)
                .collect(),
            _ => Vec::new(),
        }
    }

    fn ids(&self, source: SourceTarget) -> Vec<&'p str> {
        match source {
            SourceTarget::OpenApi(doc) => self.index.ids(doc).collect(),
            SourceTarget::AsyncApi(doc) => self.index.messages.ids(doc).collect(),
            _ => Vec::new(),
        }
    }

    fn source_name(&self, target: SourceTarget) -> &'p str {
        self.sources()
            .iter()
            .find(|s| s.target == target)
            .map_or("?", |s| s.name.as_str())
    }

    /// Whether some source could not be loaded: then a missing operation is not news.
    /// What the document itself says of the source a step's target names, when that source
    /// could not be read (a remote or missing file, reported once where it is declared): its
    /// declared `type`, or the kind its target implies (`channelPath` is AsyncAPI's,
    /// `operationPath` OpenAPI's). `None` when the source was read (ask [`Self::called`]), for a
    /// step that runs a workflow, and when nothing says.
    pub fn declared_kind(&self, target: &StepTarget) -> Option<SourceType> {
        let declared = |name: &str| {
            let bound = self.sources().iter().find(|s| s.name == name)?;
            if bound.target != SourceTarget::Unavailable {
                return None;
            }
            let document = &self.project.arazzo.get(self.doc.0)?.document;
            let source = document
                .source_descriptions
                .iter()
                .find(|s| s.name.value == name)?;
            Some(source.kind.as_ref().map(|k| k.value))
        };
        let named = |text: &str| {
            text.strip_prefix("{$sourceDescriptions.")
                .and_then(|r| r.split_once(".url}"))
                .map(|(name, _)| name.to_owned())
        };
        match target {
            StepTarget::WorkflowId(_) => None,
            StepTarget::ChannelPath(path) => {
                declared(&named(&path.value)?)?.or(Some(SourceType::AsyncApi))
            }
            StepTarget::OperationPath(path) => {
                declared(&named(&path.value)?)?.or(Some(SourceType::OpenApi))
            }
            StepTarget::OperationId(id) => match split_source_ref(&id.value) {
                Some((name, _)) => declared(name)?,
                // A plain operationId: the kind every unread source shares, when nothing was
                // read that could hold it.
                None => {
                    if !self.operation_sources().is_empty() {
                        return None;
                    }
                    let kinds: Vec<Option<SourceType>> = self
                        .sources()
                        .iter()
                        .filter_map(|s| declared(&s.name))
                        .filter(|k| *k != Some(SourceType::Arazzo))
                        .collect();
                    match kinds.split_first() {
                        Some((first, rest)) if rest.iter().all(|k| k == first) => *first,
                        _ => None,
                    }
                }
            },
        }
    }

    fn any_source_unavailable(&self) -> bool {
        self.sources()
            .iter()
            .any(|s| s.target == SourceTarget::Unavailable)
    }

    /// What a step with an operation or channel target calls; `Ok(None)` for a step that runs
    /// a workflow, and for a target whose source is already reported.
    pub fn called(&self, target: &StepTarget) -> Result<Option<Called>, Diagnostic> {
        match target {
            StepTarget::OperationId(id) => self.operation_id(id),
            StepTarget::OperationPath(path) => Ok(self.operation_path(path)?.map(Called::Http)),
            StepTarget::ChannelPath(path) => Ok(self.channel_path(path)?.map(Called::Message)),
            StepTarget::WorkflowId(_) => Ok(None),
        }
    }

    /// `Ok(None)` when the operation cannot be looked for (its source is already reported).
    pub fn operation_id(&self, id: &Spanned<String>) -> Result<Option<Called>, Diagnostic> {
        let (docs, wanted) = match split_source_ref(&id.value) {
            Some((name, op)) => match self.source(name, id)? {
                SourceTarget::Arazzo(_) => {
                    return Err(Diagnostic::new(Code::UnknownOperation, format!("source `{name}` is an Arazzo document, which has workflows, not operations"))
                        .at(id.span)
                        .help("use `workflowId` to run one of its workflows"));
                }
                SourceTarget::Unavailable => return Ok(None),
                target => (vec![target], op),
            },
            None => (self.operation_sources(), id.value.as_str()),
        };
        let mut found: Vec<Called> = docs.iter().flat_map(|d| self.find(*d, wanted)).collect();
        match found.len() {
            1 => Ok(found.pop()),
            0 if self.any_source_unavailable() && split_source_ref(&id.value).is_none() => Ok(None),
            0 => {
                let all: Vec<&str> = docs.iter().flat_map(|d| self.ids(*d)).collect();
                let d = Diagnostic::new(
                    Code::UnknownOperation,
                    format!("no operation with operationId `{wanted}`"),
                )
                .at(id.span)
                .label(
                    if docs.iter().any(|d| matches!(d, SourceTarget::AsyncApi(_))) {
                        "not found in any OpenAPI or AsyncAPI source of this document"
                    } else {
                        "not found in any OpenAPI source of this document"
                    },
                );
                Err(match self.source_dot_operation(wanted) {
                    Some(fixed) => d
                        .help(format!("to name the source, write `{fixed}`"))
                        .note(crate::diagnostics::LENIENT_NOTE),
                    None => d.help_opt(suggest::operation(wanted, all.iter().copied())),
                })
            }
            _ if found
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.source() == b.source())) =>
            {
                Err(self.declared_twice(id, wanted, &found))
            }
            _ => {
                let candidates: Vec<String> = found
                    .iter()
                    .map(|op| {
                        format!(
                            "`$sourceDescriptions.{}.{wanted}` ({})",
                            self.source_name(op.source()),
                            op.describe()
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
    fn declared_twice(&self, id: &Spanned<String>, wanted: &str, found: &[Called]) -> Diagnostic {
        let source = found
            .first()
            .map_or("?", |op| self.source_name(op.source()));
        let mut d = Diagnostic::new(
            Code::AmbiguousOperation,
            format!("the description of source `{source}` declares operationId `{wanted}` on {} operations", found.len()),
        )
        .at(id.span)
        .label("names no single operation");
        for called in found {
            let declared = match called {
                Called::Http(op) => self.project.openapi.get(op.doc.0).and_then(|doc| {
                    doc.root
                        .at(&["paths", op.path.as_str(), op.method.as_str(), "operationId"])
                }),
                Called::Message(MessageRef {
                    doc,
                    target: MessageTarget::Operation(tokens),
                }) => self
                    .project
                    .asyncapi
                    .get(doc.0)
                    .and_then(|d| d.root.at(tokens)),
                Called::Message(_) => None,
            };
            let what = format!("declared on {}", called.describe());
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
        (!self.find(source.target, op).is_empty())
            .then(|| format!("$sourceDescriptions.{name}.{op}"))
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
            SourceTarget::AsyncApi(_) => {
                return Err(malformed("it names an AsyncAPI source")
                    .help("name an AsyncAPI operation by `operationId: $sourceDescriptions.<name>.<operationId>`, or a channel by `channelPath: '{$sourceDescriptions.<name>.url}#/channels/<channel>'`"));
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

    /// `{$sourceDescriptions.<name>.url}#/channels/<channel>` (1.1).
    pub fn channel_path(&self, path: &Spanned<String>) -> Result<Option<MessageRef>, Diagnostic> {
        let malformed = |why: &str| {
            Diagnostic::new(
                Code::UnknownChannel,
                format!("malformed channelPath: {why}"),
            )
            .at(path.span)
            .help("write `'{$sourceDescriptions.<name>.url}#/channels/<channel>'`")
        };
        let (head, fragment) = path
            .value
            .split_once('#')
            .ok_or_else(|| malformed("no `#` before the JSON pointer"))?;
        let Some(name) = head
            .strip_prefix("{$sourceDescriptions.")
            .and_then(|r| r.strip_suffix(".url}"))
        else {
            return Err(malformed(
                "it must start with `{$sourceDescriptions.<name>.url}`",
            ));
        };
        let doc: AsyncApiId = match self.source(name, path)? {
            SourceTarget::AsyncApi(doc) => doc,
            SourceTarget::Unavailable => return Ok(None),
            _ => {
                return Err(malformed(
                    "it names a source that is not an AsyncAPI description",
                ));
            }
        };
        let tokens = pointer::parse(fragment).map_err(|e| malformed(&e.to_string()))?;
        let Some(description) = self.project.asyncapi.get(doc.0) else {
            return Ok(None);
        };
        let channels = description.root.get("channels").and_then(Node::as_map);
        match tokens.as_slice() {
            [c, key] if c == "channels" => match channels.and_then(|m| m.get(key)) {
                Some(_) => Ok(Some(MessageRef {
                    doc,
                    target: MessageTarget::Channel(key.clone()),
                })),
                None => {
                    let keys: Vec<&str> = channels.map(|m| m.keys().collect()).unwrap_or_default();
                    Err(Diagnostic::new(
                        Code::UnknownChannel,
                        format!("source `{name}` has no channel `{key}`"),
                    )
                    .at(path.span)
                    .label("unknown channel")
                    .note(format!(
                        "its channels: {}",
                        suggest::list(keys.iter().copied())
                    ))
                    .help_opt(
                        suggest::closest(key, keys.iter().copied())
                            .map(|c| format!("did you mean `{}`?", pointer::join(["channels", c]))),
                    ))
                }
            },
            _ => Err(malformed("the JSON pointer must be `/channels/<channel>`")),
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
                SourceTarget::OpenApi(_) | SourceTarget::AsyncApi(_) => {
                    return Err(Diagnostic::new(Code::UnknownWorkflow, format!("source `{name}` is an API description, which has operations, not workflows"))
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
