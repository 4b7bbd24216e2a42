//! The whole pipeline for one document, and what it reports: [`Report`] is what users see of a
//! run, [`Analysis`] what the stages after the checks share.

use std::fmt;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, render};
use crate::index::OperationIndex;
use crate::load::Project;
use crate::settings::Settings;

/// A loaded, checked document: the input of planning. The operation index is built once here
/// and shared by compatibility rewrites, checks and the planner.
pub(crate) struct Analysis {
    pub project: Project,
    pub index: OperationIndex,
    pub diagnostics: Diagnostics,
    pub skipped: crate::select::Skipped,
}

impl Analysis {
    /// Load → select → compat → index → check.
    pub fn run(path: &Path, settings: &Settings) -> Self {
        let (mut project, mut diagnostics) = crate::load::load(path, settings);
        let skipped = crate::select::select(&mut project, &settings.workflows, &mut diagnostics);
        // Redocly's `x-operation` steps get operations of their own, which the index holds.
        crate::compat::describe_x_operations(&mut project, settings, &mut diagnostics);
        // The common faults of OpenAPI descriptions, read as other tools read them.
        crate::compat::read_openapi_faults(&mut project, settings, &mut diagnostics);
        // Rewrites change only Arazzo text, never what the index holds (OpenAPI operations).
        let index = OperationIndex::build(&project);
        diagnostics.extend(crate::compat::rewrite(&mut project, &index, settings));
        crate::compat::keep_unread_output_names(&project, settings, &mut diagnostics);
        diagnostics.extend(crate::check::check(&project, &index, settings));
        diagnostics.sort();
        Analysis {
            project,
            index,
            diagnostics,
            skipped,
        }
    }

    pub fn into_report(self) -> Report {
        Report {
            project: self.project,
            diagnostics: self.diagnostics,
            skipped_workflows: self.skipped.workflows,
        }
    }

    /// Plan → emit, when the checks found no error.
    pub fn generate(self, settings: &Settings) -> Result<(String, Report), Report> {
        if self.diagnostics.has_errors() {
            return Err(self.into_report());
        }
        let generated = crate::plan::plan(&self.project, &self.index, settings)
            .and_then(|plan| crate::emit::emit(&plan));
        let mut report = self.into_report();
        match generated {
            Ok(code) => Ok((code, report)),
            Err(more) => {
                report.diagnostics.extend(more);
                report.diagnostics.sort();
                Err(report)
            }
        }
    }
}

impl Analysis {
    /// Plan → graph, when the checks found no error.
    pub fn graph(
        self,
        settings: &Settings,
        workflows: &[String],
        format: crate::graph::GraphFormat,
    ) -> Result<(String, Report), Report> {
        if self.diagnostics.has_errors() {
            return Err(self.into_report());
        }
        let planned = crate::plan::plan(&self.project, &self.index, settings);
        let mut report = self.into_report();
        match planned {
            Ok(plan) => {
                let graphs = crate::graph::graphs(&plan, workflows);
                Ok((crate::graph::render(&graphs, format), report))
            }
            Err(more) => {
                report.diagnostics.extend(more);
                report.diagnostics.sort();
                Err(report)
            }
        }
    }
}

/// What checking or generating one Arazzo document found: every diagnostic, and the files read
/// (which build scripts and the macro watch for changes).
#[derive(Debug)]
pub struct Report {
    pub(crate) project: Project,
    pub(crate) diagnostics: Diagnostics,
    skipped_workflows: usize,
}

/// Where a diagnostic points: the file as the user named it (relative paths stay relative),
/// and a 1-based line and column (in characters). Shown as `file:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as diagnostics show it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Report {
    /// Every diagnostic, ordered by file and position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics.as_slice()
    }

    /// How many workflows of the document were left out because they were neither selected
    /// ([`Settings::with_workflows`]) nor reached from a selected one.
    pub fn skipped_workflows(&self) -> usize {
        self.skipped_workflows
    }

    /// Whether any diagnostic is an error (nothing can be generated).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Where `diagnostic` points, if it has a location.
    ///
    /// ```no_run
    /// let report = arazzo_codegen::check_file("flow.arazzo.yaml".as_ref(), &Default::default());
    /// for d in report.diagnostics() {
    ///     let at = report.location(d).map(|l| l.to_string()).unwrap_or_default();
    ///     println!("{at}: {}", d.message);
    /// }
    /// ```
    pub fn location(&self, diagnostic: &Diagnostic) -> Option<Location> {
        let span = diagnostic.span?;
        let file = self.project.files.get(span.file)?;
        let at = file.line_col(span.start as usize);
        Some(Location {
            file: file.display_name().to_owned(),
            line: at.line,
            column: at.col,
        })
    }

    /// Every file read: the Arazzo document, its sources, and the files their `$ref`s reach.
    pub fn files_read(&self) -> impl Iterator<Item = &Path> {
        self.project.files.files().map(|(_, f)| f.path())
    }

    /// All diagnostics, rustc-style with source snippets, followed by a summary line.
    pub fn render(&self) -> String {
        render::human_all(&self.diagnostics, &self.project.files) + &self.skipped_note()
    }

    /// One diagnostic as [`Self::render`] shows it: the message, the snippet, notes and help.
    pub fn render_diagnostic(&self, diagnostic: &Diagnostic) -> String {
        render::human(diagnostic, &self.project.files)
    }

    /// [`Self::render`] with ANSI colours, for a terminal.
    pub fn render_colored(&self) -> String {
        render::human_all_colored(&self.diagnostics, &self.project.files) + &self.skipped_note()
    }

    fn skipped_note(&self) -> String {
        match self.skipped_workflows {
            0 => String::new(),
            1 => "note: 1 workflow was not selected: neither checked nor generated\n".to_owned(),
            n => format!("note: {n} workflows were not selected: neither checked nor generated\n"),
        }
    }

    /// One JSON object per diagnostic, one per line (`--message-format json`): severity, code,
    /// message, location (file, line, column, end, byte range), labels, notes, help, and the
    /// rendered text.
    pub fn render_json(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| render::json(d, &self.project.files).to_string() + "\n")
            .collect()
    }

    /// What a build script tells Cargo about this generation: `cargo:rerun-if-changed` for
    /// every file read, and, when `warnings` is true, every warning as the CLI shows it (its
    /// snippet, notes and suggestion), one `cargo:warning` per line since Cargo shows a
    /// directive's first line only.
    ///
    /// ```no_run
    /// let report = arazzo_codegen::check_file("flow.arazzo.yaml".as_ref(), &Default::default());
    /// for line in report.cargo_directives(true) {
    ///     println!("{line}");
    /// }
    /// ```
    pub fn cargo_directives(&self, warnings: bool) -> Vec<String> {
        let files = self
            .files_read()
            .map(|path| format!("cargo:rerun-if-changed={}", path.display()));
        let shown = self
            .diagnostics
            .iter()
            .filter(|d| warnings && !d.is_error())
            .flat_map(|d| {
                self.render_diagnostic(d)
                    .trim_end()
                    .lines()
                    .map(|line| format!("cargo:warning={line}"))
                    .collect::<Vec<_>>()
            });
        files.chain(shown).collect()
    }
}
