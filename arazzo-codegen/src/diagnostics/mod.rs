//! Problems found in the user's documents, as data. One renderer serves the CLI, build.rs and
//! the macro alike (see [`render`]).

mod clip;
mod code;
pub(crate) mod render;

pub use code::Code;

/// Said on each strict error that lenient compatibility would read as a shorthand.
pub(crate) const LENIENT_NOTE: &str = "other runners accept this shorthand; lenient compatibility (`--compatibility lenient`) reads it as the help below writes it, with a warning";

use crate::source_map::Span;

/// How bad a problem is: an error stops generation, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look; generation goes on.
    Warning,
    /// Nothing is generated until it is fixed.
    Error,
}

impl Severity {
    /// `warning` or `error`, as diagnostics show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary location with its own short message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem, located in a file, with what the user can do about it. [`crate::Report`]
/// renders it (rustc-style or JSON) and says where it points ([`crate::Report::location`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem, as a stable kebab-case code (`unknown-operation`).
    pub code: Code,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where the problem is; `None` only for problems that have no file (a missing input).
    pub(crate) span: Option<Span>,
    /// What the primary location's underline says.
    pub label: Option<String>,
    pub(crate) labels: Vec<Label>,
    /// Further facts worth knowing (what exists instead, where else it is used).
    pub notes: Vec<String>,
    /// A concrete change that fixes the problem ("did you mean `petId`?").
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.default_severity(),
            code,
            message: message.into(),
            span: None,
            label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub(crate) fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub(crate) fn label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }

    pub(crate) fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: text.into(),
        });
        self
    }

    pub(crate) fn note(mut self, text: impl Into<String>) -> Self {
        self.notes.push(text.into());
        self
    }

    pub(crate) fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub(crate) fn help_opt(mut self, text: Option<String>) -> Self {
        if text.is_some() {
            self.help = text;
        }
        self
    }

    /// Whether this is an error (generation stops) rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether the diagnostic points at a place in a file.
    pub fn is_located(&self) -> bool {
        self.span.is_some()
    }
}

/// Collects every problem of a run instead of stopping at the first, so that a user fixing a
/// workflow sees all of them at once.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Orders diagnostics by file and position so output is stable and reads top to bottom.
    pub fn sort(&mut self) {
        self.items
            .sort_by_key(|d| d.span.map_or((0, 0, 0), |s| (1, s.file_key(), s.start)));
        self.items.dedup();
    }

    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }
}

impl Span {
    fn file_key(&self) -> u32 {
        // FileIds are handed out in load order: the user's document first.
        let Span { file, .. } = *self;
        file.index()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
