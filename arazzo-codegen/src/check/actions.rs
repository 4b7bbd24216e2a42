//! Success and failure actions: Reusable references, targets that exist, retry-only fields.

use super::steps::{Runner, workflow_inputs};
use super::{Ctx, component};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Action, ActionKind, ActionOrRef, Workflow};
use crate::suggest;

#[derive(Clone, Copy)]
enum Role {
    Success,
    Failure,
}

pub fn check_workflow<'w>(ctx: &mut Ctx<'w>, workflow: &'w Workflow) {
    let lists = std::iter::once((&workflow.success_actions, Role::Success))
        .chain(std::iter::once((&workflow.failure_actions, Role::Failure)))
        .chain(workflow.steps.iter().flat_map(|s| {
            [
                (&s.on_success, Role::Success),
                (&s.on_failure, Role::Failure),
            ]
        }));
    for (list, role) in lists {
        for item in list {
            let action = match item {
                ActionOrRef::Action(a) => Some(a),
                ActionOrRef::Reusable(r) => {
                    let (kind, map) = match role {
                        Role::Success => {
                            ("successActions", &ctx.document.components.success_actions)
                        }
                        Role::Failure => {
                            ("failureActions", &ctx.document.components.failure_actions)
                        }
                    };
                    component(ctx, r, kind, map)
                }
            };
            if let Some(action) = action {
                check_action(ctx, workflow, action);
            }
        }
    }
}

fn check_action<'w>(ctx: &mut Ctx<'w>, workflow: &'w Workflow, action: &Action) {
    let kind = action.kind.value;
    if kind != ActionKind::Retry {
        for (field, span) in [
            ("retryAfter", action.retry_after.as_ref().map(|r| r.span)),
            ("retryLimit", action.retry_limit.as_ref().map(|r| r.span)),
        ] {
            if let Some(span) = span {
                ctx.push(
                    Diagnostic::new(
                        Code::RetryFieldsWithoutRetry,
                        format!(
                            "`{field}` only applies to `retry` actions, but `{}` is a `{}` action",
                            action.name.value,
                            kind.as_str()
                        ),
                    )
                    .at(span)
                    .label("ignored on this action")
                    .secondary(action.kind.span, "the action's type")
                    .help(format!("remove `{field}`, or change the type to `retry`")),
                );
            }
        }
    }
    if kind == ActionKind::Goto && action.step_id.is_some() == action.workflow_id.is_some() {
        let both = action.step_id.is_some();
        let d = Diagnostic::new(
            Code::ActionTarget,
            if both {
                format!(
                    "`goto` action `{}` names both a `stepId` and a `workflowId`",
                    action.name.value
                )
            } else {
                format!("`goto` action `{}` names no target", action.name.value)
            },
        )
        .at(action.kind.span)
        .label("goto needs exactly one target")
        .help("give either `stepId` (a step of this workflow) or `workflowId`, not both");
        ctx.push(d);
    }
    if let Some(step) = &action.step_id
        && !workflow.steps.iter().any(|s| s.step_id.value == step.value)
    {
        let ids = workflow.steps.iter().map(|s| s.step_id.value.as_str());
        ctx.push(
            Diagnostic::new(
                Code::UnknownStep,
                format!(
                    "workflow `{}` has no step `{}`",
                    workflow.workflow_id.value, step.value
                ),
            )
            .at(step.span)
            .label(format!("`{}` target not found", kind.as_str()))
            .note(format!(
                "steps of this workflow: {}",
                suggest::list(ids.clone())
            ))
            .help_opt(suggest::did_you_mean(&step.value, ids)),
        );
    }
    let params = super::resolve_parameters(ctx, &action.parameters);
    match &action.workflow_id {
        Some(target) => match ctx.resolver.workflow(target) {
            // An action that passes no parameters hands on the run's inputs of the same name.
            Ok(Some((doc, child))) if !action.parameters.is_empty() => {
                let caller = (workflow, None);
                workflow_inputs(
                    ctx,
                    Runner::Action(&action.name),
                    caller,
                    &params,
                    (doc, child),
                );
            }
            Ok(_) => {}
            Err(d) => ctx.push(d),
        },
        None => {
            if let Some(first) = params.first() {
                ctx.push(
                    Diagnostic::new(
                        Code::ActionTarget,
                        format!("action `{}` passes `parameters` but runs no workflow", action.name.value),
                    )
                    .at(first.name.span)
                    .label("a workflow's inputs")
                    .help("parameters are the inputs of the workflow an action runs: add `workflowId`, or remove them"),
                );
            }
        }
    }
    duplicate_parameters(ctx, &params);
}

/// Parameters of one list are unique by name (and `in`, where they have one).
pub(super) fn duplicate_parameters(ctx: &mut Ctx<'_>, params: &[crate::model::Parameter]) {
    for (i, p) in params.iter().enumerate() {
        let key = |q: &crate::model::Parameter| {
            (q.name.value.clone(), q.location.as_ref().map(|l| l.value))
        };
        if params
            .get(..i)
            .is_some_and(|before| before.iter().any(|q| key(q) == key(p)))
        {
            ctx.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("parameter `{}` is given twice", p.name.value),
                )
                .at(p.name.span)
                .label("given again")
                .help("give each parameter once"),
            );
        }
    }
}
