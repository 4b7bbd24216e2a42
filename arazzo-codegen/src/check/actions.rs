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
        let mut names: Vec<(&str, crate::source_map::Span)> = Vec::new();
        for item in list {
            if let Some((name, span)) = action_name(ctx, item, role) {
                if let Some((_, first)) = names.iter().find(|(n, _)| *n == name) {
                    ctx.push(
                        Diagnostic::new(Code::DuplicateId, format!("action `{name}` is listed twice"))
                            .at(span)
                            .label("listed again")
                            .secondary(*first, "first listed here")
                            .note("names tell a list's actions apart: in traces and errors, and where a step's actions replace the workflow's of the same name")
                            .help("give each action of a list its own name"),
                    );
                }
                names.push((name, span));
            }
        }
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
    duplicate_parameters(ctx, &action.parameters);
}

/// Parameters of one list are unique by name and `in` (where they have one): the schemas'
/// `uniqueItems`, and the text's "a unique parameter is defined by the combination of a name
/// and location". A Reusable Object counts as the parameter it names, reported where it is
/// written.
pub(super) fn duplicate_parameters(ctx: &mut Ctx<'_>, list: &[crate::model::ParameterOrRef]) {
    use crate::model::ParameterOrRef;
    let components = &ctx.document.components.parameters;
    let written: Vec<(
        String,
        Option<crate::model::ParamLocation>,
        crate::source_map::Span,
    )> = list
        .iter()
        .filter_map(|p| match p {
            ParameterOrRef::Parameter(p) => Some((
                p.name.value.clone(),
                p.location.as_ref().map(|l| l.value),
                p.name.span,
            )),
            ParameterOrRef::Reusable(r) => {
                let name = r.reference.value.strip_prefix("$components.parameters.")?;
                let p = &components.get(name)?.value;
                Some((
                    p.name.value.clone(),
                    p.location.as_ref().map(|l| l.value),
                    r.reference.span,
                ))
            }
        })
        .collect();
    for (i, (name, location, span)) in written.iter().enumerate() {
        let first = written
            .get(..i)
            .and_then(|before| before.iter().find(|(n, l, _)| n == name && l == location));
        if let Some((_, _, first)) = first {
            ctx.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("parameter `{name}` is given twice"),
                )
                .at(*span)
                .label("given again")
                .secondary(*first, "first given here")
                .help("give each parameter once"),
            );
        }
    }
}

/// The name of an action as listed (a Reusable Object's action by its component), and where
/// the list writes it.
fn action_name<'w>(
    ctx: &Ctx<'w>,
    item: &'w ActionOrRef,
    role: Role,
) -> Option<(&'w str, crate::source_map::Span)> {
    match item {
        ActionOrRef::Action(a) => Some((a.name.value.as_str(), a.name.span)),
        ActionOrRef::Reusable(r) => {
            let (prefix, map) = match role {
                Role::Success => (
                    "$components.successActions.",
                    &ctx.document.components.success_actions,
                ),
                Role::Failure => (
                    "$components.failureActions.",
                    &ctx.document.components.failure_actions,
                ),
            };
            let name = r.reference.value.strip_prefix(prefix)?;
            Some((map.get(name)?.value.name.value.as_str(), r.reference.span))
        }
    }
}
