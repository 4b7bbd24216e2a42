//! arazzo-codegen: compiles Arazzo workflow documents, and the OpenAPI descriptions they
//! reference, into strongly typed async Rust.
//!
//! Three ways in share this crate: a build script ([`Builder`]), the `arazzo!` macro of
//! `arazzo-macros`, and the `cargo arazzo` command. Each calls [`check_file`] or
//! [`generate_file`] with [`Settings`], and shows the [`Report`]'s diagnostics.
//!
//! The pipeline inside runs one way: load (files → located trees → the Arazzo model and its
//! sources) → select (the workflows asked for and what they reach) → compat (other runners' shorthands, when asked) → index (what each step calls) →
//! check → plan (every decision about the generated code) → emit (the plan as Rust). Every
//! problem found on the way is a [`Diagnostic`] with a location, collected rather than returned
//! early, so a user sees all of them at once.
//!
//! ```no_run
//! let report = arazzo_codegen::check_file(
//!     "workflows/create-conversation.arazzo.yaml".as_ref(),
//!     &arazzo_codegen::Settings::new(),
//! );
//! eprint!("{}", report.render());
//! assert!(!report.has_errors());
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Diagnostics are the error type of every stage; they are built on the cold path only, so their
// size in a `Result` costs nothing that matters.
#![allow(clippy::result_large_err)]

mod asyncapi;
mod builder;
mod check;
mod compat;
mod diagnostics;
mod emit;
mod expr;
mod graph;
mod index;
mod load;
// The model holds every field a document may have, whether or not a stage reads it yet:
// `x-` extensions are kept and every object keeps its span.
#[allow(dead_code)]
mod model;
mod node;
mod openapi;
mod plan;
mod report;
mod select;
mod settings;
mod source_map;
mod suggest;
mod types;
pub mod work;

#[doc(hidden)]
pub mod fuzzing;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use builder::{BuildError, Builder};
pub use diagnostics::{Code, Diagnostic, Severity};
pub use graph::GraphFormat;
pub use report::{Location, Report};
pub use settings::{Compatibility, JsonPathDialect, Settings};

/// Loads the Arazzo document at `path` and everything it references, and runs every static
/// check. Nothing is generated; the report holds every problem found.
///
/// ```no_run
/// let report = arazzo_codegen::check_file(
///     "flows/pets.arazzo.yaml".as_ref(),
///     &arazzo_codegen::Settings::new(),
/// );
/// for d in report.diagnostics() {
///     println!("{}: {}", d.code, d.message);
/// }
/// ```
pub fn check_file(path: &Path, settings: &Settings) -> Report {
    report::Analysis::run(path, settings).into_report()
}

/// Checks, plans and emits the Arazzo document at `path`: the whole pipeline. On success, the
/// generated module's text (formatted, with an `@generated` header) and the report (warnings
/// only); on failure, the report with every error.
///
/// ```no_run
/// match arazzo_codegen::generate_file("flows/pets.arazzo.yaml".as_ref(), &Default::default()) {
///     Ok((code, _warnings)) => std::fs::write("src/pets.rs", code).unwrap(),
///     Err(report) => eprint!("{}", report.render()),
/// }
/// ```
pub fn generate_file(path: &Path, settings: &Settings) -> Result<(String, Report), Report> {
    report::Analysis::run(path, settings).generate(settings)
}

/// Checks and plans the Arazzo document at `path`, then draws its workflows (those named in
/// `workflows`, else every workflow of the document) as one diagram in `format`: steps in the
/// order they run, the default next step, every `goto` with its action's name and criteria,
/// `retry` loops, `end`, sub-workflow calls and `dependsOn`; failure paths dotted and red.
/// On failure, the report with every error.
///
/// ```no_run
/// use arazzo_codegen::{GraphFormat, Settings, graph_file};
/// let (mermaid, _warnings) =
///     graph_file("flows/pets.arazzo.yaml".as_ref(), &Settings::new(), &[], GraphFormat::Mermaid)
///         .unwrap();
/// println!("{mermaid}");
/// ```
pub fn graph_file(
    path: &Path,
    settings: &Settings,
    workflows: &[String],
    format: GraphFormat,
) -> Result<(String, Report), Report> {
    report::Analysis::run(path, settings).graph(settings, workflows, format)
}
