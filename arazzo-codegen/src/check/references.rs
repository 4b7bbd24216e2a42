//! `$inputs.x` and `$steps.s.outputs.o` name things that exist; every input is read somewhere.

use std::collections::BTreeSet;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::{Found, Reference, references, references_in_node, span_in_string};
use crate::model::{ActionOrRef, Criterion, ParameterOrRef, Workflow};
use crate::node::Node;
use crate::source_map::Span;
use crate::suggest;

fn parameter_values(list: &[ParameterOrRef]) -> impl Iterator<Item = &Node> {
    list.iter().filter_map(|p| match p {
        ParameterOrRef::Parameter(p) => Some(&p.value),
        ParameterOrRef::Reusable(r) => r.value.as_ref(),
    })
}

fn action_conditions(list: &[ActionOrRef]) -> impl Iterator<Item = &Criterion> {
    list.iter().flat_map(|a| match a {
        ActionOrRef::Action(a) => a.criteria.as_slice(),
        ActionOrRef::Reusable(_) => &[],
    })
}

/// Every criterion of a workflow: success criteria and those of inline actions.
fn all_criteria(workflow: &Workflow) -> Vec<&Criterion> {
    let mut out: Vec<&Criterion> = action_conditions(&workflow.success_actions)
        .chain(action_conditions(&workflow.failure_actions))
        .collect();
    for step in &workflow.steps {
        out.extend(step.success_criteria.iter());
        out.extend(action_conditions(&step.on_success));
        out.extend(action_conditions(&step.on_failure));
    }
    out
}

/// Every value of a workflow that may hold runtime expressions.
fn expression_nodes(workflow: &Workflow) -> Vec<&Node> {
    let mut nodes: Vec<&Node> = parameter_values(&workflow.parameters).collect();
    nodes.extend(workflow.outputs.iter().map(|o| &o.value));
    nodes.extend(
        all_criteria(workflow)
            .into_iter()
            .map(|c| &c.condition_node),
    );
    for step in &workflow.steps {
        nodes.extend(parameter_values(&step.parameters));
        if let Some(body) = &step.request_body {
            nodes.extend(body.payload.iter());
            nodes.extend(body.replacements.iter().map(|r| &r.value));
        }
        nodes.extend(step.outputs.iter().map(|o| &o.value));
    }
    nodes
}

/// Criterion `context`s are plain strings with their own spans.
fn contexts(workflow: &Workflow) -> Vec<(&str, Span)> {
    all_criteria(workflow)
        .into_iter()
        .filter_map(|c| c.context.as_ref().map(|x| (x.value.as_str(), x.span)))
        .collect()
}

/// The workflow's declared input names, or `None` when its schema does not list them.
fn declared_inputs<'d>(ctx: &Ctx<'d>, workflow: &'d Workflow) -> Option<Vec<&'d str>> {
    let mut schema = workflow.inputs.as_ref()?;
    if let Some(reference) = schema.get("$ref").and_then(Node::as_str) {
        let name = reference.strip_prefix("#/components/inputs/")?;
        schema = &ctx.document.components.inputs.get(name)?.value;
    }
    let props = schema.get("properties")?.as_map()?;
    Some(props.keys().collect())
}

/// Whether `path` (`a.b.c`) names `candidate` or navigates inside it.
fn names(path: &str, candidate: &str) -> bool {
    path == candidate
        || path
            .strip_prefix(candidate)
            .is_some_and(|rest| rest.starts_with('.'))
}

pub fn check_workflow(ctx: &mut Ctx<'_>, workflow: &Workflow) {
    let declared = declared_inputs(ctx, workflow);
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut all_used = false;
    let mut found: Vec<(Found, Span)> = Vec::new();
    for node in expression_nodes(workflow) {
        for (n, f) in references_in_node(node) {
            let span = span_in_string(n, f.range.clone(), ctx.file);
            found.push((f, span));
        }
    }
    for (text, span) in contexts(workflow) {
        for f in references(text) {
            let sub = span.sub(f.range.clone());
            found.push((f, sub));
        }
    }
    for (f, span) in found {
        match f.reference {
            Reference::AllInputs => all_used = true,
            Reference::Input { path } => {
                let Some(declared) = &declared else {
                    if workflow.inputs.is_none() {
                        ctx.push(
                            Diagnostic::new(Code::UnknownInput, format!("`$inputs.{path}` is read, but workflow `{}` declares no inputs", workflow.workflow_id.value))
                                .at(span)
                                .label("no such input")
                                .help(format!("declare it under the workflow's `inputs`: `{{type: object, properties: {{{path}: {{type: string}}}}}}`")),
                        );
                    }
                    continue;
                };
                match declared.iter().find(|d| names(&path, d)) {
                    Some(d) => {
                        used.insert((*d).to_owned());
                    }
                    None => {
                        let first = path.split('.').next().unwrap_or(&path);
                        ctx.push(
                            Diagnostic::new(
                                Code::UnknownInput,
                                format!(
                                    "workflow `{}` has no input `{path}`",
                                    workflow.workflow_id.value
                                ),
                            )
                            .at(span)
                            .label("not declared in the workflow's `inputs`")
                            .note(format!(
                                "declared inputs: {}",
                                suggest::list(declared.iter().copied())
                            ))
                            .help_opt(suggest::did_you_mean(first, declared.iter().copied())),
                        );
                    }
                }
            }
            Reference::StepOutput { step, path } => step_output(ctx, workflow, &step, &path, span),
            Reference::StepWithoutOutputs { step, rest } => {
                ctx.push(
                    Diagnostic::new(
                        Code::MalformedExpression,
                        format!("`$steps.{step}.{rest}` does not name a step output"),
                    )
                    .at(span)
                    .label("missing `.outputs`")
                    .help(format!("write `$steps.{step}.outputs.{rest}`")),
                );
            }
        }
    }
    if let Some(declared) = &declared
        && !all_used
    {
        unused_inputs(ctx, workflow, declared, &used);
    }
}

fn step_output(ctx: &mut Ctx<'_>, workflow: &Workflow, step: &str, path: &str, span: Span) {
    let Some(target) = workflow.steps.iter().find(|s| s.step_id.value == step) else {
        let elsewhere = ctx
            .document
            .workflows
            .iter()
            .find(|w| w.steps.iter().any(|s| s.step_id.value == step));
        let ids = workflow.steps.iter().map(|s| s.step_id.value.as_str());
        let mut d = Diagnostic::new(
            Code::UnknownStep,
            format!(
                "workflow `{}` has no step `{step}`",
                workflow.workflow_id.value
            ),
        )
        .at(span)
        .label("unknown step");
        d = match elsewhere {
            Some(w) => d
                .note(format!("`{step}` is a step of workflow `{}`; a step's outputs are visible only inside its own workflow", w.workflow_id.value))
                .help(format!("expose it as an output of `{}` and read `$workflows.{}.outputs.<name>`", w.workflow_id.value, w.workflow_id.value)),
            None => d.help_opt(suggest::did_you_mean(step, ids)),
        };
        ctx.push(d);
        return;
    };
    if path.is_empty() || target.outputs.iter().any(|o| names(path, &o.name.value)) {
        return;
    }
    let outputs: Vec<&str> = target
        .outputs
        .iter()
        .map(|o| o.name.value.as_str())
        .collect();
    let first = path.split('.').next().unwrap_or(path);
    ctx.push(
        Diagnostic::new(
            Code::UnknownStepOutput,
            format!("step `{step}` declares no output `{path}`"),
        )
        .at(span)
        .label("unknown output")
        .secondary(
            target.step_id.span,
            format!("step `{step}` is defined here"),
        )
        .note(format!(
            "outputs of `{step}`: {}",
            suggest::list(outputs.iter().copied())
        ))
        .help_opt(
            suggest::did_you_mean(first, outputs.iter().copied()).or_else(|| {
                Some(format!(
                    "add `{first}: $response.body#/…` to the `outputs` of step `{step}`"
                ))
            }),
        ),
    );
}

fn unused_inputs(
    ctx: &mut Ctx<'_>,
    workflow: &Workflow,
    declared: &[&str],
    used: &BTreeSet<String>,
) {
    // Dependencies receive the caller's inputs by name, so a name they declare counts as read.
    let passed_on: Vec<&str> = workflow
        .depends_on
        .iter()
        .chain(workflow.steps.iter().filter_map(|s| match &s.target {
            Some(crate::model::StepTarget::WorkflowId(id)) => Some(id),
            _ => None,
        }))
        .filter_map(|id| ctx.resolver.workflow(id).ok().flatten())
        .filter_map(|(_, w)| declared_inputs(ctx, w))
        .flatten()
        .collect();
    let Some(schema) = &workflow.inputs else {
        return;
    };
    let props = schema.get("properties").and_then(Node::as_map);
    for name in declared {
        if used.contains(*name) || passed_on.contains(name) {
            continue;
        }
        let span = props
            .and_then(|p| p.entry(name))
            .map_or(schema.span, |e| e.key_span);
        ctx.push(
            Diagnostic::new(
                Code::UnusedInput,
                format!(
                    "input `{name}` of workflow `{}` is never read",
                    workflow.workflow_id.value
                ),
            )
            .at(span)
            .label("declared here")
            .help(format!(
                "pass it to a step with `$inputs.{name}`, or remove it"
            )),
        );
    }
}
