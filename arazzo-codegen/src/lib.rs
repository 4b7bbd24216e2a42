//! arazzo-codegen: compiles Arazzo workflow documents, and the OpenAPI descriptions they
//! reference, into strongly typed async Rust.
//!
//! The pipeline runs one way: **load** ([`load`]: files → located trees → the Arazzo model and
//! its sources) → **resolve** ([`index`]: what each step calls) → **check** ([`check`]) → plan →
//! emit. Every problem found on the way is a [`Diagnostic`] with a location, collected rather
//! than returned early, so a user sees all of them at once.
//!
//! ```no_run
//! let report = arazzo_codegen::check_file(
//!     "workflows/create-conversation.arazzo.yaml".as_ref(),
//!     &arazzo_codegen::Settings::default(),
//! );
//! eprint!("{}", report.render());
//! assert!(!report.has_errors());
//! ```

// Diagnostics are the error type of every stage; they are built on the cold path only, so their
// size in a `Result` costs nothing that matters.
#![allow(clippy::result_large_err)]

mod builder;
pub mod check;
mod compat;
pub mod diagnostics;
pub mod emit;
pub mod expr;
pub mod index;
pub mod load;
pub mod model;
pub mod node;
pub mod openapi;
pub mod plan;
mod settings;
pub mod source_map;
mod suggest;
pub mod types;

use std::path::Path;

pub use builder::{BuildError, Builder, directives};
pub use diagnostics::{Code, Diagnostic, Diagnostics, Severity};
pub use emit::generate_file;
pub use load::Project;
pub use settings::{Compatibility, JsonPathDialect, Settings};

/// The outcome of loading and checking one Arazzo document.
#[derive(Debug)]
pub struct Report {
    pub project: Project,
    pub diagnostics: Diagnostics,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// All diagnostics, rustc-style, followed by a summary line.
    pub fn render(&self) -> String {
        diagnostics::render::human_all(&self.diagnostics, &self.project.files)
    }
}

/// Loads `path`, everything it references, and runs every static check.
pub fn check_file(path: &Path, settings: &Settings) -> Report {
    let (mut project, mut diagnostics) = load::load(path, settings);
    diagnostics.extend(compat::rewrite(&mut project, settings));
    diagnostics.extend(check::check(&project, settings));
    diagnostics.sort();
    Report {
        project,
        diagnostics,
    }
}
