//! The build.rs way in: generate Rust from Arazzo documents into `OUT_DIR`, with Cargo told
//! what to watch.

use std::path::{Path, PathBuf};

use crate::settings::{Compatibility, JsonPathDialect, Settings};

/// Why a build could not generate its workflows.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The documents have errors; the text is the rendered diagnostics.
    #[error("the Arazzo documents have errors:\n{0}")]
    Diagnostics(String),
    /// `out_dir` was not set and `OUT_DIR` is not in the environment (not run by Cargo?).
    #[error(
        "no output directory: call `out_dir`, or run from a build script where Cargo sets OUT_DIR"
    )]
    NoOutDir,
    /// No `input` was given.
    #[error("no Arazzo document to generate from: call `input` at least once")]
    NoInput,
    /// A generated file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why not.
        #[source]
        source: std::io::Error,
    },
}

/// Generates one Rust file per Arazzo document, for `include!` from the crate.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     arazzo_codegen::Builder::new()
///         .input("workflows/create-conversation-with-webhook.arazzo.yaml")
///         .generate()?;
///     Ok(())
/// }
/// // src/lib.rs:
/// // pub mod twilio { include!(concat!(env!("OUT_DIR"), "/create_conversation_with_webhook.rs")); }
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    inputs: Vec<(PathBuf, Option<String>)>,
    out_dir: Option<PathBuf>,
    settings: Settings,
    cargo_output: bool,
    /// Warnings are not passed on to Cargo (the `rerun-if-changed` lines still are).
    quiet: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder that prints Cargo directives (`rerun-if-changed`, `warning`).
    pub fn new() -> Self {
        Builder {
            inputs: Vec::new(),
            out_dir: None,
            settings: Settings::new(),
            cargo_output: true,
            quiet: false,
        }
    }

    /// Adds an Arazzo document; its module goes to `<file stem in snake_case>.rs`.
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().input("flows/pets.arazzo.yaml"); // → pets.rs
    /// ```
    pub fn input(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push((path.into(), None));
        self
    }

    /// Adds an Arazzo document whose module goes to `<file_name>` in the output directory.
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().input_as("flows/pets.arazzo.yaml", "petstore.rs");
    /// ```
    pub fn input_as(mut self, path: impl Into<PathBuf>, file_name: impl Into<String>) -> Self {
        self.inputs.push((path.into(), Some(file_name.into())));
        self
    }

    /// Where the files go (default: `OUT_DIR`).
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().with_out_dir("src/generated");
    /// ```
    pub fn with_out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Uses a local file for a source description named `name_or_url` (remote sources are never
    /// fetched).
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().with_source_file("petstore", "specs/petstore.yaml");
    /// ```
    pub fn with_source_file(
        mut self,
        name_or_url: impl Into<String>,
        path: impl Into<PathBuf>,
    ) -> Self {
        self.settings = self.settings.with_source_file(name_or_url, path);
        self
    }

    /// The JSONPath dialect of `jsonpath` criteria.
    ///
    /// ```no_run
    /// use arazzo_codegen::{Builder, JsonPathDialect};
    /// Builder::new().with_jsonpath_dialect(JsonPathDialect::Lenient);
    /// ```
    pub fn with_jsonpath_dialect(mut self, dialect: JsonPathDialect) -> Self {
        self.settings = self.settings.with_jsonpath_dialect(dialect);
        self
    }

    /// Whether documents written for other runners are accepted with their shorthands.
    ///
    /// ```no_run
    /// use arazzo_codegen::{Builder, Compatibility};
    /// Builder::new().with_compatibility(Compatibility::Lenient);
    /// ```
    pub fn with_compatibility(mut self, compatibility: Compatibility) -> Self {
        self.settings = self.settings.with_compatibility(compatibility);
        self
    }

    /// Generates only these workflows and what they reach (child workflows, `dependsOn`, goto
    /// targets); problems in the document's other workflows are not reported. Applies to every
    /// input, each of which must have them: use one builder per document to pick from several.
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new()
    ///     .input("flows/pets.arazzo.yaml")
    ///     .workflows(["adoptPet", "listPets"]);
    /// ```
    pub fn workflows<I, S>(mut self, workflows: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings = self.settings.with_workflows(workflows);
        self
    }

    /// The default step budget of generated clients.
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().with_step_budget(100);
    /// ```
    pub fn with_step_budget(mut self, budget: usize) -> Self {
        self.settings = self.settings.with_step_budget(budget);
        self
    }

    /// Whether to print `cargo:` directives (on by default; off for use outside build scripts).
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().with_cargo_output(false);
    /// ```
    pub fn with_cargo_output(mut self, on: bool) -> Self {
        self.cargo_output = on;
        self
    }

    /// Whether warnings reach Cargo as `cargo:warning` lines (on by default). Turn it off for
    /// documents whose warnings are known and accepted, such as a third-party document read
    /// with lenient compatibility; errors still fail the build.
    ///
    /// ```no_run
    /// arazzo_codegen::Builder::new().with_cargo_warnings(false);
    /// ```
    pub fn with_cargo_warnings(mut self, on: bool) -> Self {
        self.quiet = !on;
        self
    }

    /// Generates every input. Files whose content did not change are not rewritten, so an
    /// unchanged generation triggers no rebuild downstream. Returns the files written to.
    pub fn generate(&self) -> Result<Vec<PathBuf>, BuildError> {
        if self.inputs.is_empty() {
            return Err(BuildError::NoInput);
        }
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(BuildError::NoOutDir)?;
        let mut failures = String::new();
        let mut written = Vec::new();
        for (path, name) in &self.inputs {
            let result = crate::generate_file(path, &self.settings);
            let report = match &result {
                Ok((_, report)) | Err(report) => report,
            };
            if self.cargo_output {
                self.tell_cargo(report);
            }
            match result {
                Ok((code, _)) => {
                    let file = out_dir.join(name.clone().unwrap_or_else(|| module_file(path)));
                    write_if_changed(&file, &code)?;
                    written.push(file);
                }
                Err(report) => failures.push_str(&report.render()),
            }
        }
        if failures.is_empty() {
            Ok(written)
        } else {
            Err(BuildError::Diagnostics(failures))
        }
    }

    fn tell_cargo(&self, report: &crate::Report) {
        for line in self.cargo_directives(report) {
            println!("{line}");
        }
    }

    /// What this builder tells Cargo about one generation: every file read, and every warning
    /// unless [`Self::with_cargo_warnings`] turned them off.
    pub fn cargo_directives(&self, report: &crate::Report) -> Vec<String> {
        report.cargo_directives(!self.quiet)
    }
}

/// `flows/create-conversation.arazzo.yaml` → `create_conversation.rs`.
fn module_file(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("workflows");
    let stem = [
        ".arazzo.yaml",
        ".arazzo.yml",
        ".arazzo.json",
        ".yaml",
        ".yml",
        ".json",
    ]
    .iter()
    .find_map(|ext| name.strip_suffix(ext))
    .unwrap_or(name);
    format!(
        "{}.rs",
        crate::plan::sanitize(stem, crate::plan::Case::Snake)
    )
}

fn write_if_changed(path: &Path, content: &str) -> Result<(), BuildError> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == content) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| BuildError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, content).map_err(|source| BuildError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::module_file;

    #[test]
    fn module_files_are_named_after_the_document() {
        assert_eq!(
            module_file("a/create-conversation-with-webhook.arazzo.yaml".as_ref()),
            "create_conversation_with_webhook.rs"
        );
        assert_eq!(
            module_file("workflows.arazzo.json".as_ref()),
            "workflows.rs"
        );
        assert_eq!(module_file("2fa.yaml".as_ref()), "n2fa.rs");
    }
}
