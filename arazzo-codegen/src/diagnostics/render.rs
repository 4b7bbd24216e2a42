//! The one place diagnostics become text: rustc-style with source snippets, or JSON lines.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;

use super::clip::{View, ViewId};
use super::{Diagnostic, Diagnostics, Severity};
use crate::source_map::SourceMap;

/// Renders one diagnostic the way rustc does, without colour.
pub fn human(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let config = term::Config::default();
    let mut view = View::new(sources);
    let converted = to_codespan(diagnostic, &mut view);
    term::emit_into_string(&config, &view, &converted)
        .unwrap_or_else(|_| fallback(diagnostic, sources))
}

/// Every diagnostic followed by a summary line, as the CLI prints it.
pub fn human_all(diagnostics: &Diagnostics, sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics.iter() {
        out.push_str(&human(d, sources));
    }
    out.push_str(&summary(diagnostics));
    out
}

/// [`human_all`] with ANSI colours.
pub fn human_all_colored(diagnostics: &Diagnostics, sources: &SourceMap) -> String {
    let mut out = term::termcolor::Ansi::new(Vec::new());
    let config = term::Config::default();
    for d in diagnostics.iter() {
        let mut view = View::new(sources);
        let converted = to_codespan(d, &mut view);
        if term::emit_to_write_style(&mut out, &config, &view, &converted).is_err() {
            return human_all(diagnostics, sources);
        }
    }
    let mut text = String::from_utf8_lossy(&out.into_inner()).into_owned();
    text.push_str(&summary(diagnostics));
    text
}

/// `error: 2 errors, 1 warning` style closing line.
pub fn summary(diagnostics: &Diagnostics) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    match (errors, warnings) {
        (0, 0) => "ok: no problems found\n".to_owned(),
        (0, w) => format!("ok: {} (no errors)\n", plural(w, "warning")),
        (e, 0) => format!("failed: {}\n", plural(e, "error")),
        (e, w) => format!("failed: {}, {}\n", plural(e, "error"), plural(w, "warning")),
    }
}

/// One JSON object, for `--message-format json` (one per line).
pub fn json(diagnostic: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let location = |span: crate::source_map::Span| {
        let file = sources.get(span.file);
        let (start, end) = file.map_or((Default::default(), Default::default()), |f| {
            (
                f.line_col(span.start as usize),
                f.line_col(span.end as usize),
            )
        });
        serde_json::json!({
            "file": file.map(|f| f.display_name()),
            "line": start.line,
            "column": start.col,
            "end_line": end.line,
            "end_column": end.col,
            "byte_start": span.start,
            "byte_end": span.end,
        })
    };
    serde_json::json!({
        "severity": diagnostic.severity.as_str(),
        "code": diagnostic.code.as_str(),
        "message": diagnostic.message,
        "location": diagnostic.span.map(location),
        "label": diagnostic.label,
        "labels": diagnostic.labels.iter().map(|l| serde_json::json!({
            "message": l.message,
            "location": location(l.span),
        })).collect::<Vec<_>>(),
        "notes": diagnostic.notes,
        "help": diagnostic.help,
        "rendered": human(diagnostic, sources),
    })
}

fn to_codespan(d: &Diagnostic, view: &mut View<'_>) -> cs::Diagnostic<ViewId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(span) = d.span {
        let (file, range) = view.place(span);
        labels.push(
            cs::Label::primary(file, range).with_message(d.label.clone().unwrap_or_default()),
        );
    }
    for l in &d.labels {
        let (file, range) = view.place(l.span);
        labels.push(cs::Label::secondary(file, range).with_message(&l.message));
    }
    let mut notes = d.notes.clone();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn fallback(d: &Diagnostic, sources: &SourceMap) -> String {
    let at = d.span.map(|s| sources.location(s)).unwrap_or_default();
    format!("{}[{}]: {} {at}\n", d.severity.as_str(), d.code, d.message)
}
