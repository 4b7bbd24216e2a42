//! Unique ids, and `dependsOn` that names real workflows without cycles.

use std::collections::HashMap;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Spanned, Workflow};

fn duplicates<'a>(ctx: &mut Ctx<'_>, what: &str, ids: impl Iterator<Item = &'a Spanned<String>>) {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.value.as_str()) {
            ctx.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("duplicate {what} `{}`", id.value),
                )
                .at(id.span)
                .label("used again here")
                .secondary(first.span, "first used here")
                .help(format!("each {what} must be unique; rename one of them")),
            );
        } else {
            seen.insert(&id.value, id);
        }
    }
}

pub fn check(ctx: &mut Ctx<'_>) {
    let doc = ctx.document;
    duplicates(
        ctx,
        "source description name",
        doc.source_descriptions.iter().map(|s| &s.name),
    );
    duplicates(
        ctx,
        "workflowId",
        doc.workflows.iter().map(|w| &w.workflow_id),
    );
    for workflow in &doc.workflows {
        duplicates(ctx, "stepId", workflow.steps.iter().map(|s| &s.step_id));
    }
}

/// Every `dependsOn` entry resolves, and no workflow depends on itself through others.
pub fn dependencies(ctx: &mut Ctx<'_>, workflow: &Workflow) {
    for dep in &workflow.depends_on {
        if let Err(d) = ctx.resolver.workflow(dep) {
            ctx.push(d);
        }
    }
    // Cycles within this document, reported once: from the first workflow on the cycle.
    let workflows = &ctx.document.workflows;
    let mut path = vec![workflow.workflow_id.value.as_str()];
    if let Some(cycle) = find_cycle(workflows, workflow, &mut path)
        && cycle.iter().min() == Some(&workflow.workflow_id.value.as_str())
    {
        let shown: Vec<String> = cycle.iter().map(|s| format!("`{s}`")).collect();
        let edge = workflow
            .depends_on
            .iter()
            .find(|d| cycle.get(1).is_some_and(|next| d.value == *next))
            .map_or(workflow.workflow_id.span, |d| d.span);
        ctx.push(
            Diagnostic::new(
                Code::DependencyCycle,
                format!(
                    "workflow `{}` depends on itself",
                    workflow.workflow_id.value
                ),
            )
            .at(edge)
            .label("this dependency closes the cycle")
            .note(format!("cycle: {}", shown.join(" → ")))
            .help("remove one `dependsOn` entry on the cycle"),
        );
    }
}

fn find_cycle<'w>(
    all: &'w [Workflow],
    from: &'w Workflow,
    path: &mut Vec<&'w str>,
) -> Option<Vec<&'w str>> {
    for dep in &from.depends_on {
        let Some(next) = all.iter().find(|w| w.workflow_id.value == dep.value) else {
            continue;
        };
        let id = next.workflow_id.value.as_str();
        if path.first() == Some(&id) {
            let mut cycle = path.clone();
            cycle.push(id);
            return Some(cycle);
        }
        if path.contains(&id) || path.len() > all.len() {
            continue;
        }
        path.push(id);
        if let Some(c) = find_cycle(all, next, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}
