//! Output names outside the characters the Arazzo schema allows (`Employee object (full
//! details)`, `items[0].id`), as generated documents write them. No runtime expression can name
//! them, so when nothing reads them, lenient compatibility keeps them with a warning: a
//! workflow output becomes a field named from the sanitized name (serde keeps the written one).

use crate::diagnostics::{Code, Diagnostics, Severity};
use crate::load::Project;
use crate::model::Output;
use crate::settings::{Compatibility, Settings};

/// Turns each `invalid-name` error of an output name that nothing reads into a warning, when
/// `settings` ask for lenient compatibility.
pub fn keep_unread(project: &Project, settings: &Settings, diags: &mut Diagnostics) {
    if settings.compatibility != Compatibility::Lenient {
        return;
    }
    let mut unread = Vec::new();
    for loaded in &project.arazzo {
        for w in &loaded.document.workflows {
            let outputs = w
                .outputs
                .iter()
                .chain(w.steps.iter().flat_map(|s| &s.outputs));
            for o in outputs {
                if !read_anywhere(project, o) {
                    unread.push(o.name.span);
                }
            }
        }
    }
    for d in diags.iter_mut() {
        if d.code == Code::InvalidName && d.span.is_some_and(|s| unread.contains(&s)) {
            d.severity = Severity::Warning;
            d.notes.push(
                "nothing reads it, so lenient compatibility keeps it: a workflow output's field is named from it with the characters Rust allows".to_owned(),
            );
        }
    }
}

/// Whether any Arazzo document's text holds `outputs.<name>` (a conservative reading: a
/// mention in a description counts too).
fn read_anywhere(project: &Project, output: &Output) -> bool {
    let wanted = format!("outputs.{}", output.name.value);
    project.arazzo.iter().any(|loaded| {
        project
            .files
            .get(loaded.document.file)
            .is_some_and(|f| f.text().contains(&wanted))
    })
}
