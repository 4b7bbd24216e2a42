//! Workflow selection: when the user names workflows, only they and what they reach (child
//! workflows, `dependsOn`, goto targets, `$workflows.<id>` reads, in this document or another
//! Arazzo source) stay in the project; the rest of each document is neither checked nor
//! generated, so one broken workflow does not block the good ones a user wants.
//!
//! References are followed generously (shorthands included, whatever the compatibility
//! setting): a workflow kept that did not need to be only costs checking it, while one dropped
//! that was needed would turn into a misleading `unknown-workflow` error.

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::index::split_source_ref;
use crate::load::{ArazzoId, Project, SourceTarget};
use crate::model::{ActionList, ActionOrRef, Document, StepTarget, Workflow};
use crate::source_map::Span;
use crate::suggest;

/// What selection left out, for the report.
#[derive(Debug, Default, Clone, Copy)]
pub struct Skipped {
    /// Workflows of the user's document that were not selected nor reached.
    pub workflows: usize,
}

/// Keeps the `selected` workflows of the user's document and what they reach; drops the load
/// diagnostics that lie inside a dropped workflow. An empty selection keeps everything.
pub fn select(project: &mut Project, selected: &[String], diags: &mut Diagnostics) -> Skipped {
    if selected.is_empty() {
        return Skipped::default();
    }
    let Some(main) = project.arazzo.first() else {
        return Skipped::default();
    };
    let ids = || {
        main.document
            .workflows
            .iter()
            .map(|w| w.workflow_id.value.as_str())
    };
    let mut missing = Vec::new();
    let mut reached: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut queue = Vec::new();
    for wanted in selected {
        if ids().any(|id| id == wanted) {
            if reached.insert((0, wanted.clone())) {
                queue.push((0, wanted.clone()));
            }
        } else {
            missing.push(
                Diagnostic::new(
                    Code::UnknownWorkflow,
                    format!("no workflow `{wanted}` to select in this document"),
                )
                // The name comes from the command line or a build script; the file is where
                // the workflows it could have named are.
                .at(Span::file_start(main.document.file))
                .label("the selection reads this document")
                .note(format!("its workflows: {}", suggest::list(ids())))
                .help_opt(suggest::did_you_mean(wanted, ids())),
            );
        }
    }
    while let Some((doc, id)) = queue.pop() {
        let Some(workflow) = project.arazzo.get(doc).and_then(|d| {
            d.document
                .workflows
                .iter()
                .find(|w| w.workflow_id.value == id)
        }) else {
            continue;
        };
        for (to_doc, to_id) in references(project, doc, workflow) {
            if reached.insert((to_doc, to_id.clone())) {
                queue.push((to_doc, to_id));
            }
        }
    }
    let mut dropped: Vec<Span> = Vec::new();
    for (doc, loaded) in project.arazzo.iter_mut().enumerate() {
        loaded.document.workflows.retain(|w| {
            let keep = reached.contains(&(doc, w.workflow_id.value.clone()));
            if !keep {
                dropped.push(w.span);
            }
            keep
        });
    }
    let skipped = Skipped {
        workflows: project.arazzo.first().map_or(0, |main| {
            dropped
                .iter()
                .filter(|s| s.file == main.document.file)
                .count()
        }),
    };
    diags.retain(|d| {
        !d.span.is_some_and(|at| {
            dropped
                .iter()
                .any(|w| w.file == at.file && w.start <= at.start && at.end <= w.end)
        })
    });
    for d in missing {
        diags.push(d);
    }
    skipped
}

/// The workflows `workflow` (of document `doc`) may run or read, as (document, workflowId).
fn references(project: &Project, doc: usize, workflow: &Workflow) -> Vec<(usize, String)> {
    let Some(loaded) = project.arazzo.get(doc) else {
        return Vec::new();
    };
    let document = &loaded.document;
    let mut names: Vec<&str> = workflow.depends_on.iter().map(|d| d.as_str()).collect();
    let mut actions: Vec<&ActionList> = vec![&workflow.success_actions, &workflow.failure_actions];
    for step in &workflow.steps {
        if let Some(StepTarget::WorkflowId(id)) = &step.target {
            names.push(id.as_str());
        }
        actions.push(&step.on_success);
        actions.push(&step.on_failure);
    }
    for list in actions {
        for action in list {
            let action = match action {
                ActionOrRef::Action(a) => Some(a),
                ActionOrRef::Reusable(r) => reusable_action(document, &r.reference.value),
            };
            if let Some(id) = action.and_then(|a| a.workflow_id.as_ref()) {
                names.push(id.as_str());
            }
        }
    }
    let mut found: Vec<(usize, String)> = names
        .into_iter()
        .filter_map(|name| resolve(project, doc, name))
        .collect();
    // `$workflows.<id>.…` may be read anywhere in the workflow: in outputs, parameters,
    // criteria, payloads.
    if let Some(file) = project.files.get(workflow.span.file) {
        let text = file.text().get(workflow.span.range()).unwrap_or_default();
        for (at, _) in text.match_indices("$workflows.") {
            let rest = text.get(at + "$workflows.".len()..).unwrap_or_default();
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            if let Some(id) = rest.get(..end).filter(|id| !id.is_empty())
                && let Some(target) = resolve(project, doc, id)
            {
                found.push(target);
            }
        }
    }
    found
}

fn reusable_action<'d>(
    document: &'d Document,
    reference: &str,
) -> Option<&'d crate::model::Action> {
    if let Some(name) = reference.strip_prefix("$components.successActions.") {
        document
            .components
            .success_actions
            .get(name)
            .map(|c| &c.value)
    } else if let Some(name) = reference.strip_prefix("$components.failureActions.") {
        document
            .components
            .failure_actions
            .get(name)
            .map(|c| &c.value)
    } else {
        None
    }
}

/// The workflow `name` refers to from document `doc`: `$sourceDescriptions.<source>.<id>`, a
/// local id, or a shorthand that ends in one (`<source>.workflows.<id>`).
fn resolve(project: &Project, doc: usize, name: &str) -> Option<(usize, String)> {
    let loaded = project.arazzo.get(doc)?;
    let has = |d: usize, id: &str| {
        project.arazzo.get(d).is_some_and(|l| {
            l.document
                .workflows
                .iter()
                .any(|w| w.workflow_id.value == id)
        })
    };
    if let Some((source, rest)) = split_source_ref(name) {
        let target = loaded.sources.iter().find(|s| s.name == source)?;
        let SourceTarget::Arazzo(ArazzoId(other)) = target.target else {
            return None;
        };
        let id = rest.strip_prefix("workflows.").unwrap_or(rest);
        return has(other, id).then(|| (other, id.to_owned()));
    }
    if has(doc, name) {
        return Some((doc, name.to_owned()));
    }
    let last = name.rsplit('.').next()?;
    let mut docs =
        std::iter::once(doc).chain(loaded.sources.iter().filter_map(|s| match s.target {
            SourceTarget::Arazzo(ArazzoId(d)) => Some(d),
            _ => None,
        }));
    docs.find(|d| has(*d, last)).map(|d| (d, last.to_owned()))
}
