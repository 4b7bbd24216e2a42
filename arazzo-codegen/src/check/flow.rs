//! Steps that no path through the workflow reaches: usually an action list that ends or jumps
//! before them, which the author did not intend.

use std::collections::BTreeSet;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Action, ActionKind, ActionOrRef, Workflow};

/// The actions of `list` (Reusable references resolved; missing ones are reported elsewhere).
fn actions<'w>(ctx: &Ctx<'w>, list: &'w [ActionOrRef], success: bool) -> Vec<&'w Action> {
    let components = &ctx.document.components;
    list.iter()
        .filter_map(|a| match a {
            ActionOrRef::Action(a) => Some(a),
            ActionOrRef::Reusable(r) => {
                let (prefix, map) = if success {
                    ("$components.successActions.", &components.success_actions)
                } else {
                    ("$components.failureActions.", &components.failure_actions)
                };
                r.reference
                    .value
                    .strip_prefix(prefix)
                    .and_then(|n| map.get(n))
                    .map(|c| &c.value)
            }
        })
        .collect()
}

/// A step's actions, then the workflow's not overridden by name.
fn merged<'w>(own: Vec<&'w Action>, shared: &[&'w Action]) -> Vec<&'w Action> {
    let mut all = own;
    for a in shared {
        if !all.iter().any(|b| b.name.value == a.name.value) {
            all.push(a);
        }
    }
    all
}

pub fn check_workflow(ctx: &mut Ctx<'_>, workflow: &Workflow) {
    let shared_success = actions(ctx, &workflow.success_actions, true);
    let shared_failure = actions(ctx, &workflow.failure_actions, false);
    let index = |id: &str| workflow.steps.iter().position(|s| s.step_id.value == id);
    let mut reached = BTreeSet::new();
    let mut pending = vec![0usize];
    while let Some(i) = pending.pop() {
        let Some(step) = workflow.steps.get(i) else {
            continue;
        };
        if !reached.insert(i) {
            continue;
        }
        let on_success = merged(actions(ctx, &step.on_success, true), &shared_success);
        let on_failure = merged(actions(ctx, &step.on_failure, false), &shared_failure);
        // Falls through to the next step unless an action without criteria always applies first.
        let always = on_success.iter().position(|a| a.criteria.is_empty());
        let considered = match always {
            Some(k) => on_success.get(..=k).unwrap_or(&[]),
            None => {
                pending.push(i + 1);
                &on_success[..]
            }
        };
        for action in considered.iter().chain(on_failure.iter()) {
            if let Some(target) = &action.step_id {
                if let Some(j) = index(&target.value) {
                    pending.push(j);
                }
                // A retry through another step comes back here afterwards.
                if action.kind.value == ActionKind::Retry {
                    pending.push(i);
                }
            }
        }
    }
    for (i, step) in workflow.steps.iter().enumerate() {
        if !reached.contains(&i) {
            ctx.push(
                Diagnostic::new(Code::UnreachableStep, format!("step `{}` never runs", step.step_id.value))
                    .at(step.step_id.span)
                    .label("no path through the workflow reaches this step")
                    .note("a step runs after the previous one succeeds (unless an action ends the workflow or jumps elsewhere first), or when an action names it")
                    .help("remove the step, or let an action `goto` it"),
            );
        }
    }
}
