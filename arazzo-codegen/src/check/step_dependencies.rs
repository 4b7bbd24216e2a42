//! Step `dependsOn` (Arazzo 1.1) and the dependencies that reading a step's outputs creates.
//! Every entry names a step; no step depends on itself through others; a step cannot be
//! reached before what it depends on has completed; and a step does not read the outputs of a
//! step that can only run after it.

use std::collections::HashMap;

use super::Ctx;
use super::flow::{StepGraph, done, entered};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::index::order::{step_order, step_reads};
use crate::load::ArazzoId;
use crate::model::{ArazzoVersion, Spanned, Workflow};
use crate::suggest;

pub fn check_workflow(ctx: &mut Ctx<'_>, workflow: &Workflow) {
    for step in &workflow.steps {
        let mut seen: Vec<&str> = Vec::new();
        for dep in &step.depends_on {
            if seen.contains(&dep.value.as_str()) {
                ctx.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        format!("step `{}` is listed twice in `dependsOn`", dep.value),
                    )
                    .at(dep.span)
                    .label("listed again")
                    .help("list each step once"),
                );
            }
            seen.push(&dep.value);
            entry(ctx, workflow, &step.step_id.value, dep);
        }
    }
    let order = match step_order(workflow) {
        Ok(order) => order,
        Err(cycle) => {
            report_cycle(ctx, workflow, &cycle);
            return;
        }
    };
    let graph = StepGraph::new(ctx, workflow, &order);
    super::flow::unreachable_steps(ctx, workflow, &graph);
    let by_id: HashMap<&str, usize> = workflow
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.step_id.value.as_str(), i))
        .collect();
    let index = |id: &str| by_id.get(id).copied();
    let mut positions = vec![usize::MAX; workflow.steps.len()];
    for (p, &i) in order.iter().enumerate() {
        if let Some(slot) = positions.get_mut(i) {
            *slot = p;
        }
    }
    let position = |i: usize| positions.get(i).copied().filter(|&p| p != usize::MAX);
    let dominance = graph.dominance();
    // 1.1.0, Tool Behavior: "Tools MUST also treat runtime expression output references (e.g.,
    // `$steps.stepId.outputs.field`) as implicit dependencies and ensure the referenced step
    // completes before the referencing step executes": in a workflow that uses `dependsOn`.
    let reads_are_dependencies = crate::index::order::uses_depends_on(workflow);
    for (c, step) in workflow.steps.iter().enumerate() {
        for dep in &step.depends_on {
            let Some(b) = index(&dep.value).filter(|&b| b != c) else {
                continue;
            };
            // Reached at all, and reached without `b` done.
            if dominance.reached(entered(c)) && !dominance.dominates(done(b), entered(c)) {
                ctx.push(
                    Diagnostic::new(
                        Code::UnsatisfiedDependency,
                        format!(
                            "step `{}` can run before step `{}` has completed",
                            step.step_id.value, dep.value
                        ),
                    )
                    .at(dep.span)
                    .label("not completed on every path to this step")
                    .note(format!(
                        "an action jumps to `{}`, or `{}` can fail and the run go on, so `{}` is reached without it",
                        step.step_id.value, dep.value, step.step_id.value
                    ))
                    .help("let every path to this step pass through the step it depends on, or remove the dependency"),
                );
            }
        }
        for read in step_reads(step) {
            let Some(b) = index(&read).filter(|&b| b != c) else {
                continue;
            };
            let later = position(b).zip(position(c)).is_some_and(|(pb, pc)| pb > pc);
            if later && !graph.reachable(&[done(b)], None).contains(&entered(c)) {
                forward_reference(ctx, workflow, c, b);
            } else if reads_are_dependencies
                && dominance.reached(entered(c))
                && !dominance.dominates(done(b), entered(c))
            {
                skipped_read(ctx, workflow, c, b);
            }
        }
    }
}

/// One `dependsOn` entry: a step of this workflow, `$workflows.<id>.steps.<stepId>`, or
/// `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>`.
fn entry(ctx: &mut Ctx<'_>, workflow: &Workflow, own: &str, dep: &Spanned<String>) {
    let text = dep.value.as_str();
    if let Some((workflow_ref, step_id)) = text
        .strip_prefix("$workflows.")
        .or_else(|| text.starts_with("$sourceDescriptions.").then_some(text))
        .and_then(|rest| rest.split_once(".steps."))
    {
        other_workflow(ctx, workflow, dep, workflow_ref, step_id);
        return;
    }
    if text == own {
        ctx.push(
            Diagnostic::new(
                Code::DependencyCycle,
                format!("step `{own}` depends on itself"),
            )
            .at(dep.span)
            .label("this step")
            .help("remove the entry"),
        );
        return;
    }
    if workflow.steps.iter().any(|s| s.step_id.value == text) {
        return;
    }
    let ids = workflow.steps.iter().map(|s| s.step_id.value.as_str());
    let elsewhere = ctx
        .document
        .workflows
        .iter()
        .find(|w| w.steps.iter().any(|s| s.step_id.value == text));
    let d = Diagnostic::new(
        Code::UnknownStep,
        format!(
            "workflow `{}` has no step `{text}`",
            workflow.workflow_id.value
        ),
    )
    .at(dep.span)
    .label("unknown step")
    .note(format!(
        "steps of this workflow: {}",
        suggest::list(ids.clone())
    ));
    let d = match elsewhere {
        Some(w) => d.help(format!(
            "`{text}` is a step of workflow `{}`: write `$workflows.{}.steps.{text}`",
            w.workflow_id.value, w.workflow_id.value
        )),
        None => d.help_opt(suggest::did_you_mean(text, ids)),
    };
    ctx.push(d);
}

/// A step of another workflow: it exists, and that workflow has completed before this one
/// starts (it is in this workflow's `dependsOn`).
fn other_workflow(
    ctx: &mut Ctx<'_>,
    workflow: &Workflow,
    dep: &Spanned<String>,
    workflow_ref: &str,
    step_id: &str,
) {
    let reference = Spanned::new(workflow_ref.to_owned(), dep.span);
    let target = match ctx.resolver.workflow(&reference) {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(d) => {
            ctx.push(d);
            return;
        }
    };
    let (doc, other) = target;
    if !other.steps.iter().any(|s| s.step_id.value == step_id) {
        let ids = other.steps.iter().map(|s| s.step_id.value.as_str());
        ctx.push(
            Diagnostic::new(
                Code::UnknownStep,
                format!(
                    "workflow `{}` has no step `{step_id}`",
                    other.workflow_id.value
                ),
            )
            .at(dep.span)
            .label("unknown step")
            .note(format!(
                "steps of `{}`: {}",
                other.workflow_id.value,
                suggest::list(ids.clone())
            ))
            .help_opt(suggest::did_you_mean(step_id, ids)),
        );
        return;
    }
    let completed_first = workflow.depends_on.iter().any(
        |w| matches!(ctx.resolver.workflow(w), Ok(Some((d, found))) if same(d, found, doc, other)),
    );
    if !completed_first {
        ctx.push(
            Diagnostic::new(
                Code::UnsatisfiedDependency,
                format!(
                    "step `{step_id}` of workflow `{}` has not run when workflow `{}` starts",
                    other.workflow_id.value, workflow.workflow_id.value
                ),
            )
            .at(dep.span)
            .label("a step of another workflow")
            .help(format!(
                "add `{workflow_ref}` to the `dependsOn` of workflow `{}`, so that it completes first",
                workflow.workflow_id.value
            )),
        );
    }
}

fn same(a_doc: ArazzoId, a: &Workflow, b_doc: ArazzoId, b: &Workflow) -> bool {
    a_doc == b_doc && a.workflow_id.value == b.workflow_id.value
}

fn report_cycle(ctx: &mut Ctx<'_>, workflow: &Workflow, cycle: &[usize]) {
    let ids: Vec<&str> = cycle
        .iter()
        .filter_map(|&i| workflow.steps.get(i))
        .map(|s| s.step_id.value.as_str())
        .collect();
    let (Some(&first), Some(&second)) = (cycle.first(), cycle.get(1).or(cycle.first())) else {
        return;
    };
    let Some(step) = workflow.steps.get(first) else {
        return;
    };
    let second_id = workflow
        .steps
        .get(second)
        .map_or("", |s| s.step_id.value.as_str());
    let at = step
        .depends_on
        .iter()
        .find(|d| d.value == second_id)
        .map_or(step.step_id.span, |d| d.span);
    let mut shown: Vec<String> = ids.iter().map(|s| format!("`{s}`")).collect();
    if let Some(first) = shown.first().cloned() {
        shown.push(first);
    }
    ctx.push(
        Diagnostic::new(
            Code::DependencyCycle,
            format!("the steps of workflow `{}` depend on each other in a cycle", workflow.workflow_id.value),
        )
        .at(at)
        .label("this dependency is on the cycle")
        .note(format!("each waits for the next: {}", shown.join(" → ")))
        .note("reading a step's outputs (`$steps.<id>.outputs…`) makes a step wait for it, as `dependsOn` does")
        .help("remove one dependency on the cycle"),
    );
}

/// Step `c` reads the outputs of step `b`, which runs after it and never leads back to it.
/// A read that is a dependency (the workflow uses `dependsOn`) on a path that skips it.
fn skipped_read(ctx: &mut Ctx<'_>, workflow: &Workflow, c: usize, b: usize) {
    let (Some(reader), Some(read)) = (workflow.steps.get(c), workflow.steps.get(b)) else {
        return;
    };
    ctx.push(
        Diagnostic::new(
            Code::UnsatisfiedDependency,
            format!(
                "step `{}` can run before step `{}`, whose outputs it reads, has completed",
                reader.step_id.value, read.step_id.value
            ),
        )
        .at(reader.step_id.span)
        .label(format!("reads `$steps.{}.outputs…`", read.step_id.value))
        .note(format!(
            "in a workflow whose steps use `dependsOn`, reading a step's outputs is a dependency on it; \
             an action jumps to `{}`, or `{}` can fail and the run go on, so `{}` is reached without it",
            reader.step_id.value, read.step_id.value, reader.step_id.value
        ))
        .help("let every path to this step pass through the step it reads, or read the value elsewhere"),
    );
}

fn forward_reference(ctx: &mut Ctx<'_>, workflow: &Workflow, c: usize, b: usize) {
    let (Some(reader), Some(read)) = (workflow.steps.get(c), workflow.steps.get(b)) else {
        return;
    };
    let mut d = Diagnostic::new(
        Code::ForwardReference,
        format!(
            "step `{}` reads the outputs of step `{}`, which can only run after it",
            reader.step_id.value, read.step_id.value
        ),
    )
    .at(reader.step_id.span)
    .label(format!("reads `$steps.{}.outputs…`", read.step_id.value))
    .note(format!(
        "no path leads from `{}` back to `{}`, so the value is always absent here",
        read.step_id.value, reader.step_id.value
    ))
    .help(format!(
        "add `dependsOn: [{}]` to step `{}`, which then runs after it (or move the step)",
        read.step_id.value, reader.step_id.value
    ));
    // 1.0 left this open, and such documents ran, reading nothing: a warning there.
    if ctx.document.version < ArazzoVersion::V1_1 {
        d.severity = Severity::Warning;
    }
    ctx.push(d);
}
