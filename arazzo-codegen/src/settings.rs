//! What a user can set for one compilation: the same struct behind the CLI, build.rs and the macro.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::node::Limits;

/// Everything a user can set for one compilation. Every setter consumes and returns the
/// settings (`Settings::new().with_…(…)`), as [`crate::Builder`] and generated clients do.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Local files standing in for source descriptions, keyed by source name or by URL.
    /// Remote (`http(s)`) sources are never fetched; they must be mapped here.
    pub(crate) source_files: BTreeMap<String, PathBuf>,
    /// Bounds on the files the loader reads.
    pub(crate) limits: Limits,
    /// Which JSONPath queries `jsonpath` criteria may use.
    pub(crate) jsonpath_dialect: JsonPathDialect,
    /// Whether documents written for other runners are accepted with their shorthands.
    pub(crate) compatibility: Compatibility,
    /// Whether parsed files are reused within the process (default: yes).
    pub(crate) no_parse_cache: bool,
    /// How many steps a generated workflow may run (loops included) before it stops with an
    /// error; clients can change it at run time. `None`: the runtime's default.
    pub(crate) step_budget: Option<usize>,
    /// The workflows to check and generate, with what they reach; empty: all of them.
    pub(crate) workflows: Vec<String>,
}

/// The JSONPath accepted in `jsonpath` criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonPathDialect {
    /// RFC 9535 only.
    #[default]
    Rfc9535,
    /// RFC 9535, plus the bare comparisons many documents write (`$.state != "closed"`),
    /// read as the filter `$[?@.state != 'closed']` applied to the context itself.
    Lenient,
}

/// How closely a document must follow the specification's own forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compatibility {
    /// The specification's forms only: other runners' shorthands are errors whose help shows
    /// the portable form.
    #[default]
    Strict,
    /// Also the shorthands documents written for other runners use, each read as its
    /// specification form with a `runner-shorthand` warning: `<source>.<operationId>`,
    /// `$sourceDescriptions.<name>.workflows.<id>`, operationPaths without
    /// `{$sourceDescriptions.<name>.url}`, `$dependencies.<id>.<output>`,
    /// `$response.headers.<name>`, a body pointer without its leading `/`, Redocly's
    /// `x-operation` steps (plain requests to their URL), a child workflow's
    /// outputs read through a step that does not declare them, and outputs read from an
    /// operation step that declares none (absent). Implies [`JsonPathDialect::Lenient`].
    Lenient,
}

impl Settings {
    /// The defaults: strict compatibility, RFC 9535 JSONPath, no source files mapped.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether parsed files are reused within the process (on by default: a build script and
    /// several macros sharing one large description parse it once). Benchmarks turn it off to
    /// measure a cold generation every time.
    ///
    /// ```
    /// let settings = arazzo_codegen::Settings::new().with_parse_cache(false);
    /// ```
    pub fn with_parse_cache(mut self, on: bool) -> Self {
        self.no_parse_cache = !on;
        self
    }

    /// Whether bare JSONPath comparisons are read as filters.
    pub(crate) fn lenient_jsonpath(&self) -> bool {
        self.jsonpath_dialect == JsonPathDialect::Lenient
            || self.compatibility == Compatibility::Lenient
    }

    /// Accepts (or refuses) other runners' shorthands.
    ///
    /// ```
    /// use arazzo_codegen::{Compatibility, Settings};
    /// let settings = Settings::new().with_compatibility(Compatibility::Lenient);
    /// ```
    pub fn with_compatibility(mut self, compatibility: Compatibility) -> Self {
        self.compatibility = compatibility;
        self
    }

    /// Uses the local file `path` for the source description named `name_or_url` (its `name`, or
    /// its exact `url`).
    ///
    /// ```
    /// let settings =
    ///     arazzo_codegen::Settings::new().with_source_file("petstore", "specs/petstore.yaml");
    /// ```
    pub fn with_source_file(
        mut self,
        name_or_url: impl Into<String>,
        path: impl Into<PathBuf>,
    ) -> Self {
        self.source_files.insert(name_or_url.into(), path.into());
        self
    }

    /// Sets the default step budget of generated clients.
    ///
    /// ```
    /// let settings = arazzo_codegen::Settings::new().with_step_budget(50);
    /// ```
    pub fn with_step_budget(mut self, budget: usize) -> Self {
        self.step_budget = Some(budget);
        self
    }

    /// Checks and generates only these workflows of the document and what they reach: the
    /// workflows their steps, `dependsOn`, goto actions and `$workflows.<id>` reads run, in
    /// this document or another Arazzo source. Problems in the rest of the document are not
    /// reported. Empty (the default): every workflow.
    ///
    /// ```
    /// let settings = arazzo_codegen::Settings::new().with_workflows(["createConversation"]);
    /// ```
    pub fn with_workflows<I, S>(mut self, workflows: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.workflows = workflows.into_iter().map(Into::into).collect();
        self
    }

    /// Chooses the JSONPath dialect of `jsonpath` criteria.
    ///
    /// ```
    /// use arazzo_codegen::{JsonPathDialect, Settings};
    /// let settings = Settings::new().with_jsonpath_dialect(JsonPathDialect::Lenient);
    /// ```
    pub fn with_jsonpath_dialect(mut self, dialect: JsonPathDialect) -> Self {
        self.jsonpath_dialect = dialect;
        self
    }
}
