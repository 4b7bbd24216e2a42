//! Resolving `sourceDescriptions`: URL → local file (never fetched), then loading what is there.

use std::path::{Path, PathBuf};

use super::{Loader, Sniffed, absolute, sniff};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{AsyncApiDoc, OpenApiDoc};
use crate::model::{SourceDescription, SourceType};

/// What one source description of a document resolved to.
#[derive(Debug, Clone)]
pub struct BoundSource {
    pub name: String,
    pub target: SourceTarget,
}

/// An Arazzo document of the project: an index into [`super::Project::arazzo`] (0 is the
/// user's document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArazzoId(pub usize);

/// An OpenAPI description of the project: an index into [`super::Project::openapi`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpenApiId(pub usize);

/// An AsyncAPI description of the project: an index into [`super::Project::asyncapi`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AsyncApiId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceTarget {
    OpenApi(OpenApiId),
    AsyncApi(AsyncApiId),
    Arazzo(ArazzoId),
    /// Could not be loaded (already reported).
    Unavailable,
}

/// A source whose URL names a document by identity only, bound once every document is loaded.
#[derive(Debug)]
pub(crate) struct PendingSource {
    doc: usize,
    index: usize,
    uri: url::Url,
    /// For a relative URL, the file at the same place next to the document, read when no
    /// document has this identity.
    fallback: Option<PathBuf>,
    source: SourceDescription,
}

/// Where a source's URL leads.
enum Located {
    /// A local file; with the URI the URL resolved to, when the URL was absolute.
    File(PathBuf, Option<url::Url>),
    /// A URI that is not a local file: the `$self` of some document, or nothing this build has;
    /// for a relative URL, the file at the same place next to the document.
    Identity(url::Url, Option<PathBuf>),
    /// Already reported.
    Failed,
}

impl Loader<'_> {
    pub(super) fn bind_sources(&mut self, doc: usize) -> Vec<BoundSource> {
        let Some(loaded) = self.project.arazzo.get(doc) else {
            return Vec::new();
        };
        let doc_path = loaded.path.clone();
        let base = loaded.base.clone();
        let descriptions = loaded.document.source_descriptions.clone();
        descriptions
            .iter()
            .enumerate()
            .map(|(index, source)| BoundSource {
                name: source.name.value.clone(),
                target: match self.locate(&doc_path, base.as_ref(), source) {
                    Located::File(path, uri) => self.bind(&path, uri.as_ref(), source),
                    Located::Identity(uri, fallback) => match self.loaded_with_identity(&uri) {
                        Some(path) => self.bind(&path, Some(&uri), source),
                        None => match fallback {
                            Some(path) if path.is_file() => self.bind(&path, None, source),
                            fallback => {
                                self.by_identity.push(PendingSource {
                                    doc,
                                    index,
                                    uri,
                                    fallback,
                                    source: source.clone(),
                                });
                                SourceTarget::Unavailable
                            }
                        },
                    },
                    Located::Failed => SourceTarget::Unavailable,
                },
            })
            .collect()
    }

    /// The file of the loaded Arazzo document whose `$self` is `uri`.
    fn loaded_with_identity(&self, uri: &url::Url) -> Option<PathBuf> {
        self.project
            .arazzo
            .iter()
            .find(|d| d.document.self_uri.is_some() && d.base.as_ref() == Some(uri))
            .map(|d| d.path.clone())
    }

    /// Binds the sources that name a document by identity, now that every document the build
    /// reads is loaded (the specification: no reference is unresolvable before then).
    pub(super) fn bind_by_identity(&mut self) {
        for pending in std::mem::take(&mut self.by_identity) {
            let found = self.project.arazzo.iter().position(|d| {
                d.document.self_uri.is_some() && d.base.as_ref() == Some(&pending.uri)
            });
            let target = match (found, pending.fallback) {
                // Read, to report that it is not there.
                (None, Some(path)) => self.bind(&path, None, &pending.source),
                (None, None) => {
                    self.diags
                        .push(remote(&pending.source, pending.uri.scheme()));
                    continue;
                }
                (Some(target), _) if self.reaches(target, pending.doc) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::SourceCycle,
                            "Arazzo source descriptions form a cycle",
                        )
                        .at(pending.source.url.span)
                        .label("this source names, by its `$self`, a document that uses this one")
                        .help(
                            "a document cannot, directly or through others, use itself as a source",
                        ),
                    );
                    continue;
                }
                (Some(target), _) => {
                    self.expect_kind(SourceTarget::Arazzo(ArazzoId(target)), &pending.source)
                }
            };
            if let Some(bound) = self
                .project
                .arazzo
                .get_mut(pending.doc)
                .and_then(|d| d.sources.get_mut(pending.index))
            {
                bound.target = target;
            }
        }
    }

    /// Whether document `from` is `to` or uses it, through Arazzo sources.
    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = vec![from];
        let mut next = vec![from];
        while let Some(doc) = next.pop() {
            if doc == to {
                return true;
            }
            for bound in self.project.arazzo.get(doc).map_or(&[][..], |d| &d.sources) {
                if let SourceTarget::Arazzo(ArazzoId(child)) = bound.target
                    && !seen.contains(&child)
                {
                    seen.push(child);
                    next.push(child);
                }
            }
        }
        false
    }

    fn bind(
        &mut self,
        path: &Path,
        uri: Option<&url::Url>,
        source: &SourceDescription,
    ) -> SourceTarget {
        let path = path.to_path_buf();
        let target = self.bind_file(path, source);
        self.check_identity(target, uri, source)
    }

    /// A source whose absolute URL leads to an Arazzo document that says, by its `$self`, it is
    /// another: the specification resolves absolute URLs by identity, so this is not the one.
    fn check_identity(
        &mut self,
        target: SourceTarget,
        uri: Option<&url::Url>,
        source: &SourceDescription,
    ) -> SourceTarget {
        let (SourceTarget::Arazzo(ArazzoId(id)), Some(uri)) = (target, uri) else {
            return target;
        };
        let Some(doc) = self.project.arazzo.get(id) else {
            return target;
        };
        match (&doc.document.self_uri, &doc.base) {
            (Some(self_uri), Some(base)) if base != uri => {
                self.diags.push(
                    Diagnostic::new(
                        Code::SourceKind,
                        format!("source `{}` names `{uri}`, but the document found there is `{base}`", source.name.value),
                    )
                    .at(source.url.span)
                    .label("this URL")
                    .secondary(self_uri.span, "the document's `$self`")
                    .note("an absolute `url` names an Arazzo document by its `$self`, wherever the file is")
                    .help(format!("write `url: {base}`, or map this URL to the document whose `$self` it is")),
                );
                SourceTarget::Unavailable
            }
            _ => target,
        }
    }

    fn bind_file(&mut self, path: PathBuf, source: &SourceDescription) -> SourceTarget {
        if self.in_progress.contains(&path) {
            let chain: Vec<String> = self
                .in_progress
                .iter()
                .chain(std::iter::once(&path))
                .map(|p| {
                    p.file_name().map_or_else(
                        || p.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    )
                })
                .collect();
            self.diags.push(
                Diagnostic::new(Code::SourceCycle, "Arazzo source descriptions form a cycle")
                    .at(source.url.span)
                    .label("this source leads back to a document that is still being loaded")
                    .note(format!("cycle: {}", chain.join(" → ")))
                    .help("a document cannot, directly or through others, use itself as a source"),
            );
            return SourceTarget::Unavailable;
        }
        if let Some(target) = self.loaded.get(&path) {
            return self.expect_kind(*target, source);
        }
        let Some((file, root)) = self.read(&path, Some(source.url.span)) else {
            self.loaded.insert(path, SourceTarget::Unavailable);
            return SourceTarget::Unavailable;
        };
        let target = match sniff(&root) {
            Sniffed::Arazzo => self
                .arazzo(file, &path, &root)
                .map_or(SourceTarget::Unavailable, SourceTarget::Arazzo),
            Sniffed::Swagger if crate::openapi::is_swagger_2(&root) => {
                let root = crate::openapi::swagger_2_to_openapi_3(&root);
                self.openapi(file, root, source)
            }
            Sniffed::OpenApi => self.openapi(file, root, source),
            Sniffed::AsyncApi => self.asyncapi(file, root, source),
            Sniffed::Swagger => {
                self.diags.push(
                    Diagnostic::new(
                        Code::UnsupportedOpenApi,
                        format!("`{}` is a Swagger description of a version other than 2.0", crate::source_map::display_path(&path)),
                    )
                    .at(source.url.span)
                    .label("this source")
                    .note("arazzo-rs reads Swagger 2.0 and OpenAPI 3.0.x, 3.1.x and 3.2.x descriptions"),
                );
                SourceTarget::Unavailable
            }
            Sniffed::Unknown => {
                self.diags.push(
                    Diagnostic::new(
                        Code::SourceKind,
                        "this source is not an OpenAPI, AsyncAPI or Arazzo document",
                    )
                    .at(source.url.span)
                    .label("no top-level `openapi`, `asyncapi` or `arazzo` field in the file this names"),
                );
                SourceTarget::Unavailable
            }
        };
        self.loaded.insert(path, target);
        self.expect_kind(target, source)
    }

    /// An OpenAPI description (or a Swagger one, converted) and the files its `$ref`s reach.
    fn openapi(
        &mut self,
        file: crate::source_map::FileId,
        root: crate::node::Node,
        source: &SourceDescription,
    ) -> SourceTarget {
        self.load_ref_targets(file, &root);
        let doc = OpenApiDoc::new(file, root, &self.project.files);
        self.keep(doc, source, |project, doc| {
            project.openapi.push(doc);
            SourceTarget::OpenApi(OpenApiId(project.openapi.len() - 1))
        })
    }

    /// An AsyncAPI description and the files its `$ref`s reach.
    fn asyncapi(
        &mut self,
        file: crate::source_map::FileId,
        root: crate::node::Node,
        source: &SourceDescription,
    ) -> SourceTarget {
        self.load_ref_targets(file, &root);
        let doc = AsyncApiDoc::new(file, root, &self.project.files);
        self.keep(doc, source, |project, doc| {
            project.asyncapi.push(doc);
            SourceTarget::AsyncApi(AsyncApiId(project.asyncapi.len() - 1))
        })
    }

    /// A description of a version this crate reads, kept by `push`; else its error, pointing
    /// at the source that names it too.
    fn keep<D>(
        &mut self,
        doc: Result<D, Diagnostic>,
        source: &SourceDescription,
        push: impl FnOnce(&mut super::Project, D) -> SourceTarget,
    ) -> SourceTarget {
        match doc {
            Ok(doc) => push(&mut self.project, doc),
            Err(d) => {
                self.diags
                    .push(d.secondary(source.url.span, "referenced here"));
                SourceTarget::Unavailable
            }
        }
    }

    /// Reports a source whose declared `type` disagrees with what the file is.
    fn expect_kind(&mut self, target: SourceTarget, source: &SourceDescription) -> SourceTarget {
        let actual = match target {
            SourceTarget::OpenApi(_) => SourceType::OpenApi,
            SourceTarget::AsyncApi(_) => SourceType::AsyncApi,
            SourceTarget::Arazzo(_) => SourceType::Arazzo,
            SourceTarget::Unavailable => return target,
        };
        if let Some(declared) = &source.kind
            && declared.value != actual
        {
            let said = declared.value.as_str();
            let is = match actual {
                SourceType::OpenApi => "an OpenAPI description",
                SourceType::Arazzo => "an Arazzo document",
                SourceType::AsyncApi => "an AsyncAPI document",
            };
            self.diags.push(
                Diagnostic::new(
                    Code::SourceKind,
                    format!("source is declared `type: {said}` but the file is {is}"),
                )
                .at(declared.span)
                .label("declared type")
                .help("fix the `type`, or remove it: without one, the kind is read from the file"),
            );
            return SourceTarget::Unavailable;
        }
        target
    }

    /// Where a source description's URL leads: resolved against the document's base URI.
    fn locate(
        &mut self,
        doc_path: &Path,
        base: Option<&url::Url>,
        source: &SourceDescription,
    ) -> Located {
        let url = source.url.value.as_str();
        let absolute_url = super::identity::is_absolute(url);
        let resolved = match base.map(|b| b.join(url)) {
            Some(Ok(joined)) => joined,
            Some(Err(e)) => {
                self.diags.push(bad_url(source, &e.to_string()));
                return Located::Failed;
            }
            None => {
                self.diags.push(bad_url(
                    source,
                    "it cannot be resolved against this document's path",
                ));
                return Located::Failed;
            }
        };
        let mapped = [source.name.value.as_str(), url, resolved.as_str()]
            .into_iter()
            .find_map(|key| self.settings.source_files.get(key));
        if let Some(mapped) = mapped {
            return Located::File(absolute(mapped), absolute_url.then_some(resolved));
        }
        let identity = absolute_url.then(|| resolved.clone());
        match resolved.scheme() {
            "file" => match resolved.to_file_path() {
                Ok(path) => Located::File(absolute(&path), identity),
                Err(()) => {
                    self.diags
                        .push(bad_url(source, "it is not a local file path"));
                    Located::Failed
                }
            },
            _ if absolute_url => Located::Identity(resolved, None),
            // A relative URL against a `$self` that is not a file: the document whose `$self`
            // it resolves to, else the file at the same place next to this one (the
            // specification allows retrieval URIs as identifiers).
            _ => {
                let fallback = url::Url::from_file_path(doc_path)
                    .ok()
                    .and_then(|f| f.join(url).ok())
                    .and_then(|f| f.to_file_path().ok())
                    .map(|p| absolute(&p));
                Located::Identity(resolved, fallback)
            }
        }
    }
}

/// A URL that names no local file and no document this build was given.
fn remote(source: &SourceDescription, scheme: &str) -> Diagnostic {
    let what = match scheme {
        "http" | "https" => format!("a remote {scheme} URL, which is never fetched"),
        other => format!("a `{other}:` URL, which names no local file"),
    };
    Diagnostic::new(
        Code::RemoteSource,
        format!("source `{}` is {what}", source.name.value),
    )
    .at(source.url.span)
    .label("remote URL")
    .note("generated code must not depend on what a server returns at build time; an Arazzo document given to the build is found by its `$self`")
    .help(format!(
        "download the description and map it to the local file: `cargo arazzo check --source {}=path/to/file.yaml`, or `Settings::with_source_file(\"{}\", \"path/to/file.yaml\")` in build.rs",
        source.name.value, source.name.value
    ))
}

fn bad_url(source: &SourceDescription, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SourceNotFound,
        format!(
            "cannot resolve the url of source `{}`: {why}",
            source.name.value
        ),
    )
    .at(source.url.span)
    .label("this url")
}
