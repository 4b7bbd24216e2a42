//! Resolving `sourceDescriptions`: URL → local file (never fetched), then loading what is there.

use std::path::{Path, PathBuf};

use super::{Loader, Sniffed, absolute, sniff};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::OpenApiDoc;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceTarget {
    OpenApi(OpenApiId),
    Arazzo(ArazzoId),
    /// Could not be loaded (already reported).
    Unavailable,
}

impl Loader<'_> {
    pub(super) fn bind_sources(&mut self, doc: usize) -> Vec<BoundSource> {
        let Some(loaded) = self.project.arazzo.get(doc) else {
            return Vec::new();
        };
        let doc_path = loaded.path.clone();
        let descriptions = loaded.document.source_descriptions.clone();
        descriptions
            .iter()
            .map(|source| BoundSource {
                name: source.name.value.clone(),
                target: self.bind(&doc_path, source),
            })
            .collect()
    }

    fn bind(&mut self, doc_path: &Path, source: &SourceDescription) -> SourceTarget {
        let Some(path) = self.locate(doc_path, source) else {
            return SourceTarget::Unavailable;
        };
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
            Sniffed::OpenApi => {
                self.load_ref_targets(file, &root);
                match OpenApiDoc::new(file, root, &self.project.files) {
                    Ok(doc) => {
                        self.project.openapi.push(doc);
                        SourceTarget::OpenApi(OpenApiId(self.project.openapi.len() - 1))
                    }
                    Err(d) => {
                        self.diags
                            .push(d.secondary(source.url.span, "referenced here"));
                        SourceTarget::Unavailable
                    }
                }
            }
            Sniffed::AsyncApi => {
                self.diags.push(
                    Diagnostic::new(
                        Code::UnsupportedFeature,
                        format!("source `{}` is an AsyncAPI document, which is not supported yet", source.name.value),
                    )
                    .at(source.url.span)
                    .label("AsyncAPI source")
                    .note("arazzo-rs compiles workflows whose steps call OpenAPI operations or other workflows; steps that send or receive messages are planned")
                    .help("move the message steps to a workflow run by other means, or leave this document out of the build until AsyncAPI support lands"),
                );
                SourceTarget::Unavailable
            }
            Sniffed::Swagger => {
                self.diags.push(
                    Diagnostic::new(
                        Code::UnsupportedOpenApi,
                        format!("`{}` is a Swagger 2.0 description, which is not supported", crate::source_map::display_path(&path)),
                    )
                    .at(source.url.span)
                    .label("this source is Swagger 2.0")
                    .help("convert it to OpenAPI 3 (for example with swagger2openapi) and point `url` at the result"),
                );
                SourceTarget::Unavailable
            }
            Sniffed::Unknown => {
                self.diags.push(
                    Diagnostic::new(
                        Code::SourceKind,
                        "this source is neither an OpenAPI description nor an Arazzo document",
                    )
                    .at(source.url.span)
                    .label("no top-level `openapi` or `arazzo` field in the file this names"),
                );
                SourceTarget::Unavailable
            }
        };
        self.loaded.insert(path, target);
        self.expect_kind(target, source)
    }

    /// Reports a source whose declared `type` disagrees with what the file is.
    fn expect_kind(&mut self, target: SourceTarget, source: &SourceDescription) -> SourceTarget {
        let actual = match target {
            SourceTarget::OpenApi(_) => SourceType::OpenApi,
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

    /// The local file a source description stands for.
    fn locate(&mut self, doc_path: &Path, source: &SourceDescription) -> Option<PathBuf> {
        let url = source.url.value.as_str();
        let mapped = self
            .settings
            .source_files
            .get(&source.name.value)
            .or_else(|| self.settings.source_files.get(url));
        if let Some(mapped) = mapped {
            return Some(absolute(mapped));
        }
        let remote = |scheme: &str| {
            Diagnostic::new(
                Code::RemoteSource,
                format!("source `{}` is a remote {scheme} URL, which is never fetched", source.name.value),
            )
            .at(source.url.span)
            .label("remote URL")
            .note("generated code must not depend on what a server returns at build time")
            .help(format!(
                "download the description and map it to the local file: `cargo arazzo check --source {}=path/to/file.yaml`, or `Settings::with_source_file(\"{}\", \"path/to/file.yaml\")` in build.rs",
                source.name.value, source.name.value
            ))
        };
        let base = url::Url::from_file_path(doc_path).ok();
        let resolved = match url::Url::parse(url) {
            Ok(parsed) => parsed,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                match base.as_ref().map(|b| b.join(url)) {
                    Some(Ok(joined)) => joined,
                    _ => {
                        self.diags.push(bad_url(
                            source,
                            "it cannot be resolved against this document's path",
                        ));
                        return None;
                    }
                }
            }
            Err(e) => {
                self.diags.push(bad_url(source, &e.to_string()));
                return None;
            }
        };
        match resolved.scheme() {
            "file" => match resolved.to_file_path() {
                Ok(path) => Some(absolute(&path)),
                Err(()) => {
                    self.diags
                        .push(bad_url(source, "it is not a local file path"));
                    None
                }
            },
            "http" | "https" => {
                self.diags.push(remote(resolved.scheme()));
                None
            }
            other => {
                self.diags.push(bad_url(source, &format!("the `{other}` scheme is not supported; use a relative path or a `file:` URL")));
                None
            }
        }
    }
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
