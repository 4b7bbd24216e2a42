//! Reading files: bytes → text → located tree → Arazzo model, following `sourceDescriptions`
//! to OpenAPI descriptions and further Arazzo documents.

mod arazzo;
mod asyncapi;
mod cache;
mod decode;
mod identity;
mod openapi;
pub mod refs;
mod sources;

pub use asyncapi::{AsyncApiDoc, AsyncApiVersion};
pub use decode::newer_than;
pub use identity::is_absolute as is_absolute_uri;
pub use openapi::OpenApiDoc;
pub use sources::{ArazzoId, AsyncApiId, BoundSource, OpenApiId, SourceTarget};

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Document;
use crate::node::{self, Node};
use crate::settings::Settings;
use crate::source_map::{FileId, SourceMap, Span};

/// An Arazzo document with what each of its source descriptions resolved to.
#[derive(Debug)]
pub struct LoadedArazzo {
    pub document: Document,
    pub path: PathBuf,
    /// Its base URI: `$self`, resolved against `path` when relative; else `path`'s URI.
    pub base: Option<url::Url>,
    pub sources: Vec<BoundSource>,
}

/// Everything read for one compilation. Document 0 is the one the user named.
#[derive(Debug, Default)]
pub struct Project {
    pub files: SourceMap,
    pub arazzo: Vec<LoadedArazzo>,
    pub openapi: Vec<OpenApiDoc>,
    pub asyncapi: Vec<AsyncApiDoc>,
    /// Other files that OpenAPI and AsyncAPI `$ref`s point into.
    pub fragments: Vec<(FileId, Node)>,
}

impl Project {
    /// The parsed tree of an OpenAPI or AsyncAPI description or of a file its `$ref`s point
    /// into.
    pub fn tree(&self, file: FileId) -> Option<&Node> {
        self.openapi
            .iter()
            .find(|d| d.file == file)
            .map(|d| &d.root)
            .or_else(|| {
                self.asyncapi
                    .iter()
                    .find(|d| d.file == file)
                    .map(|d| &d.root)
            })
            .or_else(|| {
                self.fragments
                    .iter()
                    .find(|(f, _)| *f == file)
                    .map(|(_, n)| n)
            })
    }
}

/// What a parsed file turned out to be.
enum Sniffed {
    Arazzo,
    OpenApi,
    AsyncApi,
    Swagger,
    Unknown,
}

fn sniff(root: &Node) -> Sniffed {
    if root.get("arazzo").is_some() {
        Sniffed::Arazzo
    } else if root.get("openapi").is_some() {
        Sniffed::OpenApi
    } else if root.get("asyncapi").is_some() {
        Sniffed::AsyncApi
    } else if root.get("swagger").is_some() || root.get("swaggerVersion").is_some() {
        Sniffed::Swagger
    } else {
        Sniffed::Unknown
    }
}

pub(crate) struct Loader<'s> {
    pub settings: &'s Settings,
    pub project: Project,
    pub diags: Diagnostics,
    /// Arazzo documents being loaded, to detect `type: arazzo` cycles.
    pub in_progress: Vec<PathBuf>,
    /// Files already read, so each is parsed once however many documents name it.
    pub loaded: std::collections::HashMap<PathBuf, SourceTarget>,
    /// Sources whose URL is neither a local file nor the `$self` of a document loaded so far:
    /// matched against every loaded document's `$self` once all are loaded.
    pub by_identity: Vec<sources::PendingSource>,
}

/// Loads the Arazzo document at `path` and everything it references.
pub fn load(path: &Path, settings: &Settings) -> (Project, Diagnostics) {
    let mut loader = Loader {
        settings,
        project: Project::default(),
        diags: Diagnostics::new(),
        in_progress: Vec::new(),
        loaded: std::collections::HashMap::new(),
        by_identity: Vec::new(),
    };
    let path = absolute(path);
    if let Some((file, root)) = loader.read(&path, None) {
        match sniff(&root) {
            Sniffed::Arazzo => {
                loader.arazzo(file, &path, &root);
                loader.bind_by_identity();
            }
            _ => loader.diags.push(
                Diagnostic::new(Code::SourceKind, "this is not an Arazzo document")
                    .at(Span::file_start(file))
                    .note("an Arazzo document has a top-level `arazzo: 1.0.1` field")
                    .help("pass the `.arazzo.yaml` file that references this description"),
            ),
        }
    }
    (loader.project, loader.diags)
}

/// An absolute, lexically normalised path (no `.` or `..`), so one file has one name.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Loader<'_> {
    /// Reads and parses one file. `referrer` is where the reference to it was written.
    pub fn read(&mut self, path: &Path, referrer: Option<Span>) -> Option<(FileId, Node)> {
        // Files parsed under other limits are parsed again, so every bound is enforced.
        let cacheable =
            self.settings.limits == node::Limits::default() && !self.settings.no_parse_cache;
        if let Some((text, root)) = cache::get(path).filter(|_| cacheable) {
            let file = self.project.files.add(path.to_path_buf(), text.to_string());
            return Some((file, cache::relocated(&root, file)));
        }
        let bytes = match read_bounded(path, self.settings.limits.max_file_bytes) {
            Ok(bytes) => bytes,
            Err((missing, message)) => {
                let code = if missing && referrer.is_some() {
                    Code::SourceNotFound
                } else {
                    Code::Io
                };
                let mut d = Diagnostic::new(code, message);
                if let Some(span) = referrer {
                    d = d.at(span).label("referenced here");
                }
                self.diags.push(d);
                return None;
            }
        };
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .map_or(bytes.clone(), <[u8]>::to_vec);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = self.project.files.add(path.to_path_buf(), lossy);
                self.diags.push(
                    Diagnostic::new(Code::NotUtf8, "the file is not valid UTF-8")
                        .at(Span::new(file, at..at + 1))
                        .label("invalid byte sequence here")
                        .help("Arazzo and OpenAPI documents must be UTF-8 text; re-save the file as UTF-8"),
                );
                return None;
            }
        };
        let file = self.project.files.add(path.to_path_buf(), text);
        let source = self.project.files.get(file)?;
        let mut problems = Diagnostics::new();
        let root = node::parse(source, file, &self.settings.limits, &mut problems);
        let clean = problems.is_empty();
        self.diags.extend(problems);
        let root = root?;
        if root.as_map().is_none() {
            self.diags.push(
                Diagnostic::new(
                    Code::WrongType,
                    format!(
                        "the top level of a document must be a mapping, found {}",
                        root.kind()
                    ),
                )
                .at(crate::node::head(&root, source))
                .label("expected `key: value` pairs at the top level"),
            );
            return None;
        }
        if clean && cacheable {
            cache::put(path, source.text(), &root);
        }
        Some((file, root))
    }

    /// Decodes an Arazzo document and loads its sources. Returns its index in the project.
    pub fn arazzo(&mut self, file: FileId, path: &Path, root: &Node) -> Option<ArazzoId> {
        let source_file = self.project.files.get(file)?;
        let mut decoder = decode::Decoder {
            file: source_file,
            diags: &mut self.diags,
            version: crate::model::ArazzoVersion::V1_1,
            version_text: String::new(),
        };
        let document = arazzo::document(&mut decoder, file, root)?;
        self.in_progress.push(path.to_path_buf());
        let index = self.project.arazzo.len();
        self.loaded
            .insert(path.to_path_buf(), SourceTarget::Arazzo(ArazzoId(index)));
        let base = identity::base_uri(path, document.self_uri.as_ref().map(|s| s.value.as_str()));
        self.project.arazzo.push(LoadedArazzo {
            document,
            path: path.to_path_buf(),
            base,
            sources: Vec::new(),
        });
        let bound = self.bind_sources(index);
        if let Some(doc) = self.project.arazzo.get_mut(index) {
            doc.sources = bound;
        }
        self.in_progress.pop();
        Some(ArazzoId(index))
    }
}

impl Loader<'_> {
    /// Reads every other file that `$ref`s in `file` point into, transitively.
    pub fn load_ref_targets(&mut self, file: FileId, root: &Node) {
        let Some(from) = self.project.files.get(file).map(|f| f.path().to_path_buf()) else {
            return;
        };
        let mut wanted = Vec::new();
        walk_outside_extensions(root, None, &mut |n| {
            if let Some(text) = n.get("$ref").and_then(Node::as_str) {
                let (file_part, _) = refs::split(text);
                if !file_part.is_empty() && !file_part.contains("://") {
                    wanted.push((
                        refs::referenced_path(&from, file_part),
                        n.get("$ref").map(|r| r.span),
                    ));
                }
            }
        });
        for (path, span) in wanted {
            if self.project.files.find(&path).is_some() {
                continue;
            }
            if let Some((id, tree)) = self.read(&path, span) {
                self.load_ref_targets(id, &tree);
                self.project.fragments.push((id, tree));
            }
        }
    }
}

/// Maps whose keys are names chosen by the author (a property, a header, a media type), where a
/// key that starts with `x-` is a name like any other, not an extension.
const NAMED_ENTRIES: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
    "channels",
    "operations",
    "messages",
    "servers",
];

/// Visits every node but the values of specification extensions (`x-…` fields): OpenAPI gives
/// a `$ref` there no meaning (`x-ms-examples` points at example files that are rarely shipped).
fn walk_outside_extensions<'a>(node: &'a Node, key: Option<&str>, visit: &mut dyn FnMut(&'a Node)) {
    visit(node);
    match &node.value {
        node::Value::Seq(items) => items
            .iter()
            .for_each(|n| walk_outside_extensions(n, None, visit)),
        node::Value::Map(map) => {
            let named = key.is_some_and(|k| NAMED_ENTRIES.contains(&k));
            for e in &map.entries {
                if !named && e.key.starts_with("x-") {
                    continue;
                }
                walk_outside_extensions(&e.value, Some(&e.key), visit);
            }
        }
        _ => {}
    }
}

/// The file's bytes, or whether it is missing and what to say.
fn read_bounded(path: &Path, max: usize) -> Result<Vec<u8>, (bool, String)> {
    let shown = crate::source_map::display_path(path);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => (true, format!("no file at `{shown}`")),
        _ => (false, format!("cannot read `{shown}`: {e}")),
    })?;
    if meta.is_dir() {
        return Err((false, format!("`{shown}` is a directory, not a file")));
    }
    if meta.len() > max as u64 {
        return Err((
            false,
            format!(
                "`{shown}` is {} bytes, more than the limit of {max} bytes",
                meta.len()
            ),
        ));
    }
    std::fs::read(path).map_err(|e| (false, format!("cannot read `{shown}`: {e}")))
}
