//! What each runtime expression names exists and is readable where it is written: inputs, step
//! and workflow outputs, sources, components; and every declared input is read somewhere.

use std::collections::BTreeSet;

use super::Ctx;
use super::expressions::{Occurrence, ParsedWorkflow, Phase};
use super::messages::{Action, action_of};
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::{ComponentKind, Name, Root, WorkflowField};
use crate::index::Called;
use crate::index::inputs::resolve_dotted;
use crate::load::SourceTarget;
use crate::load::newer_than;
use crate::model::{ArazzoVersion, SourceType, Step, StepTarget, Workflow};
use crate::node::Node;
use crate::node::span_in_string;
use crate::source_map::Span;
use crate::suggest;

/// The workflow's declared input names, or `None` when its schema does not list them.
pub(crate) fn declared_inputs<'d>(ctx: &Ctx<'d>, workflow: &'d Workflow) -> Option<Vec<&'d str>> {
    input_schema(ctx, workflow)?
        .get("properties")?
        .as_map()
        .map(|m| m.keys().collect())
}

/// The workflow's input schema, through a `$ref` into `components.inputs`.
pub(crate) fn input_schema<'d>(ctx: &Ctx<'d>, workflow: &'d Workflow) -> Option<&'d Node> {
    let schema = workflow.inputs.as_ref()?;
    match schema.get("$ref").and_then(Node::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/inputs/")?;
            Some(&ctx.document.components.inputs.get(name)?.value)
        }
        None => Some(schema),
    }
}

pub fn check_workflow(ctx: &mut Ctx<'_>, workflow: &Workflow, parsed: &ParsedWorkflow<'_>) {
    let declared = declared_inputs(ctx, workflow);
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut all_used = false;
    for occ in &parsed.occurrences {
        let at = |range: std::ops::Range<usize>| span_in_string(occ.node, range, ctx.file);
        if !scope(ctx, occ) {
            continue;
        }
        match &occ.expr.root {
            Root::AllInputs => all_used = true,
            Root::Inputs(name) => match &declared {
                Some(declared) => match resolve_dotted(&name.text, declared) {
                    Some(d) => {
                        used.insert(d.to_owned());
                    }
                    None => {
                        let first = name.text.split('.').next().unwrap_or(&name.text);
                        // `$inputs.x and more`: a declared input followed by text.
                        let lead = name
                            .text
                            .split(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
                            .next()
                            .filter(|lead| *lead != name.text && declared.contains(lead));
                        let help = match lead {
                            Some(lead) => Some(format!(
                                "`{lead}` is declared: to mix text and expressions, wrap each expression in braces: `{{$inputs.{lead}}}{}`",
                                name.text.get(lead.len()..).unwrap_or_default()
                            )),
                            None => suggest::did_you_mean(first, declared.iter().copied()),
                        };
                        let d = Diagnostic::new(
                            Code::UnknownInput,
                            format!(
                                "workflow `{}` has no input `{}`",
                                workflow.workflow_id.value, name.text
                            ),
                        )
                        .at(at(name.range.clone()))
                        .label("not declared in the workflow's `inputs`")
                        .note(format!(
                            "declared inputs: {}",
                            suggest::list(declared.iter().copied())
                        ))
                        .help_opt(help);
                        ctx.push(d);
                    }
                },
                None if workflow.inputs.is_none() => {
                    let d = Diagnostic::new(Code::UnknownInput, format!("`$inputs.{}` is read, but workflow `{}` declares no inputs", name.text, workflow.workflow_id.value))
                        .at(at(occ.expr.range.clone()))
                        .label("no such input")
                        .help(format!("declare it under the workflow's `inputs`: `{{type: object, properties: {{{}: {{type: string}}}}}}`", name.text));
                    ctx.push(d);
                }
                None => {}
            },
            Root::StepOutput { step, output } => {
                let span = at(occ.expr.range.clone());
                step_output(ctx, workflow, step, output, span);
            }
            Root::Outputs(name) => child_output(ctx, occ, name),
            Root::Workflow {
                workflow: id,
                field,
                name,
            } => workflow_field(ctx, occ, id, *field, name),
            Root::SourceDescription { source, reference } => {
                source_reference(ctx, occ, source, reference)
            }
            Root::Component { kind, name } => component(ctx, occ, *kind, name),
            Root::SelfUri => self_uri(ctx, occ),
            Root::Message { .. } => message(ctx, occ),
            Root::Url
            | Root::Method
            | Root::StatusCode
            | Root::Request { .. }
            | Root::Response { .. } => {}
        }
    }
    // After a parse error, what the broken string meant to read is unknown.
    if let Some(declared) = &declared
        && !all_used
        && !parsed.had_errors
    {
        unused_inputs(ctx, workflow, declared, &used);
    }
}

/// Whether the expression may be evaluated where it is written; reports it when not.
fn scope(ctx: &mut Ctx<'_>, occ: &Occurrence<'_>) -> bool {
    let root = &occ.expr.root;
    let reads_exchange = matches!(
        root,
        Root::StatusCode | Root::Response { .. } | Root::Request { .. } | Root::Url | Root::Method
    );
    let message_step = occ.step.and_then(|s| message_step(ctx, s));
    let problem = match occ.phase {
        _ if reads_exchange && message_step.is_some() => Some((
            "a step that sends or receives a message has no HTTP request or response",
            "read the message a receive step got with `$message.payload` or `$message.header.<name>`",
        )),
        Phase::Request if matches!(root, Root::Message { .. }) && message_step.is_some() => Some((
            "no message has been received while a step is being prepared",
            "read what an earlier step received through its outputs: `$steps.<id>.outputs.<name>`",
        )),
        Phase::Request if matches!(root, Root::StatusCode | Root::Response { .. }) => Some((
            "no response exists yet while a request is being built",
            "read what an earlier step returned through its outputs: `$steps.<id>.outputs.<name>`",
        )),
        Phase::Request if matches!(root, Root::Request { .. }) => Some((
            "a request cannot read itself while it is being built",
            "use the value directly, or an input: `$inputs.<name>`",
        )),
        Phase::WorkflowOutputs if reads_exchange => Some((
            "workflow outputs are computed after the last step, outside any request or response",
            "expose the value as a step output and read `$steps.<id>.outputs.<name>`",
        )),
        // `$statusCode` stays: it is the status of the child's last operation.
        Phase::Response
            if matches!(
                root,
                Root::Response { .. } | Root::Request { .. } | Root::Url | Root::Method
            ) && runs_workflow(occ) =>
        {
            Some((
                "a step that runs a workflow sends no request and gets no response of its own",
                "read what the workflow gave with `$outputs.<name>`, or its last status with `$statusCode`",
            ))
        }
        _ if matches!(root, Root::Outputs(_)) && !runs_workflow(occ) => Some((
            "`$outputs` reads the outputs of a child workflow, so it belongs in a step that runs one (`workflowId`)",
            "read a step's outputs with `$steps.<id>.outputs.<name>`",
        )),
        _ => None,
    };
    let Some((message, help)) = problem else {
        return true;
    };
    let span = span_in_string(occ.node, occ.expr.range.clone(), ctx.file);
    ctx.push(
        Diagnostic::new(Code::ExpressionScope, message)
            .at(span)
            .label("not available here")
            .help(help),
    );
    false
}

/// `$self` is the document's `$self` field, so it must have one (and be Arazzo 1.1).
fn self_uri(ctx: &mut Ctx<'_>, occ: &Occurrence<'_>) {
    let span = span_in_string(occ.node, occ.expr.range.clone(), ctx.file);
    if ctx.document.version < ArazzoVersion::V1_1 {
        ctx.push(newer_than(&ctx.document.arazzo.value, span, "`$self`"));
    } else if let Some(relative) = ctx
        .document
        .self_uri
        .as_ref()
        .filter(|s| !crate::load::is_absolute_uri(&s.value))
    {
        ctx.push(
            Diagnostic::new(Code::UndefinedSelf, "`$self` is read, but the document's `$self` is a relative reference")
                .at(span)
                .label("read here")
                .secondary(relative.span, "relative `$self`")
                .note("a relative `$self` is resolved against where the document is read from: a path on the build machine, which generated code must not carry")
                .help("make `$self` an absolute URI, such as `https://example.com/workflows.arazzo.yaml`"),
        );
    } else if ctx.document.self_uri.is_none() {
        ctx.push(
            Diagnostic::new(Code::UndefinedSelf, "`$self` is read, but the document declares no `$self`")
                .at(span)
                .label("no `$self` at the document's root")
                .help("declare the document's URI at its root: `$self: https://example.com/workflows.arazzo.yaml`"),
        );
    }
}

/// `$message` reads what an AsyncAPI step sends or receives.
fn message(ctx: &mut Ctx<'_>, occ: &Occurrence<'_>) {
    let span = span_in_string(occ.node, occ.expr.range.clone(), ctx.file);
    if ctx.document.version < ArazzoVersion::V1_1 {
        ctx.push(newer_than(&ctx.document.arazzo.value, span, "`$message`"));
        return;
    }
    let (here, help) = match occ.step.map(|s| (s, message_step(ctx, s))) {
        // A message step without a valid `action` is reported where it is checked.
        Some((_, Some(Some(Action::Receive) | None))) => return,
        Some((s, Some(Some(Action::Send)))) => (
            format!("step `{}` sends one", s.step_id.value),
            "what a step sends is what its `requestBody` and `parameters` say; read a message in the step that receives it",
        ),
        Some((s, None)) => (
            format!(
                "step `{}` does not send or receive messages",
                s.step_id.value
            ),
            "read an HTTP response with `$response.body` or `$response.header.<name>`",
        ),
        None => (
            "it is read outside any step".to_owned(),
            "read what a step received through its outputs: `$steps.<id>.outputs.<name>`",
        ),
    };
    ctx.push(
        Diagnostic::new(
            Code::ExpressionScope,
            format!("`$message` reads the message of an AsyncAPI step, and {here}"),
        )
        .at(span)
        .label("no message here")
        .help(help),
    );
}

/// `Some` for a step that sends or receives a message, with its `action` when it has a valid one.
fn message_step(ctx: &Ctx<'_>, step: &Step) -> Option<Option<Action>> {
    match step.target.as_ref() {
        Some(StepTarget::ChannelPath(_)) => Some(action_of(step)),
        Some(t @ StepTarget::OperationId(_)) => match ctx.resolver.called(t) {
            Ok(Some(Called::Message(_))) => Some(action_of(step)),
            // A source that cannot be read, declared AsyncAPI: a message step all the same; of
            // no declared type, the step's own `action` says it is one.
            Ok(None)
                if match ctx.resolver.declared_kind(t) {
                    Some(kind) => kind == SourceType::AsyncApi,
                    None => step.action.is_some(),
                } =>
            {
                Some(action_of(step))
            }
            _ => None,
        },
        _ => None,
    }
}

fn runs_workflow(occ: &Occurrence<'_>) -> bool {
    occ.phase == Phase::Response
        && occ
            .step
            .is_some_and(|s| matches!(s.target, Some(StepTarget::WorkflowId(_))))
}

fn step_output(ctx: &mut Ctx<'_>, workflow: &Workflow, step: &Name, output: &Name, span: Span) {
    let Some(target) = workflow.steps.iter().find(|s| s.step_id.value == step.text) else {
        let elsewhere = ctx
            .document
            .workflows
            .iter()
            .find(|w| w.steps.iter().any(|s| s.step_id.value == step.text));
        let ids = workflow.steps.iter().map(|s| s.step_id.value.as_str());
        let mut d = Diagnostic::new(
            Code::UnknownStep,
            format!(
                "workflow `{}` has no step `{}`",
                workflow.workflow_id.value, step.text
            ),
        )
        .at(span)
        .label("unknown step");
        d = match elsewhere {
            Some(w) => d
                .note(format!("`{}` is a step of workflow `{}`; a step's outputs are visible only inside its own workflow", step.text, w.workflow_id.value))
                .help(format!("expose it as an output of `{}` and read `$workflows.{}.outputs.<name>`", w.workflow_id.value, w.workflow_id.value)),
            None => d.help_opt(suggest::did_you_mean(&step.text, ids)),
        };
        ctx.push(d);
        return;
    };
    let outputs: Vec<&str> = target
        .outputs
        .iter()
        .map(|o| o.name.value.as_str())
        .collect();
    if resolve_dotted(&output.text, &outputs).is_some() {
        return;
    }
    let first = output.text.split('.').next().unwrap_or(&output.text);
    let mut d = Diagnostic::new(
        Code::UnknownStepOutput,
        format!("step `{}` declares no output `{}`", step.text, output.text),
    )
    .at(span)
    .label("unknown output");
    if let Some(StepTarget::WorkflowId(child_id)) = &target.target
        && let Ok(Some((_, child))) = ctx.resolver.workflow(child_id)
        && child.outputs.iter().any(|o| o.name.value == first)
    {
        d = d
            .note(format!(
                "`{first}` is an output of workflow `{}`, which step `{}` runs; a step exposes only the outputs it declares",
                child.workflow_id.value, step.text
            ))
            .help(format!("declare `{first}: $outputs.{first}` in the `outputs` of step `{}`", step.text))
            .note(crate::diagnostics::LENIENT_NOTE);
    } else {
        d = d
            .secondary(
                target.step_id.span,
                format!("step `{}` is defined here", step.text),
            )
            .note(format!(
                "outputs of `{}`: {}",
                step.text,
                suggest::list(outputs.iter().copied())
            ))
            .help(
                suggest::did_you_mean(first, outputs.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "add `{first}: $response.body#/…` to the `outputs` of step `{}`",
                        step.text
                    )
                }),
            );
        if ctx.settings.compatibility == crate::settings::Compatibility::Lenient {
            // Other runners read an undeclared output as absent; so does lenient mode.
            d.code = Code::RunnerShorthand;
            d.severity = Code::RunnerShorthand.default_severity();
            d.label = Some("read as absent".to_owned());
        }
    }
    ctx.push(d);
}

fn child_output(ctx: &mut Ctx<'_>, occ: &Occurrence<'_>, name: &Name) {
    let Some(StepTarget::WorkflowId(child_id)) = occ.step.and_then(|s| s.target.as_ref()) else {
        return;
    };
    let Ok(Some((_, child))) = ctx.resolver.workflow(child_id) else {
        return;
    };
    let outputs: Vec<&str> = child
        .outputs
        .iter()
        .map(|o| o.name.value.as_str())
        .collect();
    if resolve_dotted(&name.text, &outputs).is_none() {
        let span = span_in_string(occ.node, name.range.clone(), ctx.file);
        ctx.push(
            Diagnostic::new(
                Code::UnknownStepOutput,
                format!(
                    "workflow `{}` has no output `{}`",
                    child.workflow_id.value, name.text
                ),
            )
            .at(span)
            .label("not an output of the child workflow")
            .note(format!(
                "outputs of `{}`: {}",
                child.workflow_id.value,
                suggest::list(outputs.iter().copied())
            ))
            .help_opt(suggest::did_you_mean(&name.text, outputs.iter().copied())),
        );
    }
}

fn workflow_field(
    ctx: &mut Ctx<'_>,
    occ: &Occurrence<'_>,
    id: &Name,
    field: WorkflowField,
    name: &Name,
) {
    let id_span = span_in_string(occ.node, id.range.clone(), ctx.file);
    let spanned = crate::model::Spanned::new(id.text.clone(), id_span);
    let target = match ctx.resolver.workflow(&spanned) {
        Ok(Some((_, w))) => w,
        Ok(None) => return,
        Err(d) => {
            ctx.push(d);
            return;
        }
    };
    let names: Vec<&str> = match field {
        WorkflowField::Outputs => target
            .outputs
            .iter()
            .map(|o| o.name.value.as_str())
            .collect(),
        WorkflowField::Inputs => match declared_inputs(ctx, target) {
            Some(n) => n,
            None => return,
        },
    };
    if resolve_dotted(&name.text, &names).is_none() {
        let what = if field == WorkflowField::Outputs {
            "output"
        } else {
            "input"
        };
        ctx.push(
            Diagnostic::new(
                Code::UnknownStepOutput,
                format!("workflow `{}` has no {what} `{}`", id.text, name.text),
            )
            .at(span_in_string(occ.node, name.range.clone(), ctx.file))
            .label(format!("unknown {what}"))
            .help_opt(suggest::did_you_mean(&name.text, names.iter().copied())),
        );
    }
}

fn source_reference(ctx: &mut Ctx<'_>, occ: &Occurrence<'_>, source: &Name, reference: &Name) {
    let text = format!("$sourceDescriptions.{}.{}", source.text, reference.text);
    let span = span_in_string(occ.node, occ.expr.range.clone(), ctx.file);
    let spanned = crate::model::Spanned::new(text, span);
    if reference.text == "url" {
        if !ctx
            .document
            .source_descriptions
            .iter()
            .any(|s| s.name.value == source.text)
        {
            let names = ctx
                .document
                .source_descriptions
                .iter()
                .map(|s| s.name.value.as_str());
            ctx.push(
                Diagnostic::new(
                    Code::UnknownSource,
                    format!("no source description named `{}`", source.text),
                )
                .at(span)
                .help_opt(suggest::did_you_mean(&source.text, names)),
            );
        }
        return;
    }
    let is_arazzo = ctx
        .resolver
        .project
        .arazzo
        .get(ctx.resolver.doc.0)
        .and_then(|d| d.sources.iter().find(|s| s.name == source.text))
        .is_some_and(|s| matches!(s.target, SourceTarget::Arazzo(_)));
    let result = if is_arazzo {
        ctx.resolver.workflow(&spanned).map(|_| ())
    } else {
        ctx.resolver.operation_id(&spanned).map(|_| ())
    };
    if let Err(d) = result {
        ctx.push(d);
    }
}

fn component(ctx: &mut Ctx<'_>, occ: &Occurrence<'_>, kind: ComponentKind, name: &Name) {
    let c = &ctx.document.components;
    let (field, names): (&str, Vec<&str>) = match kind {
        ComponentKind::Parameters => (
            "parameters",
            c.parameters.keys().map(String::as_str).collect(),
        ),
        ComponentKind::SuccessActions => (
            "successActions",
            c.success_actions.keys().map(String::as_str).collect(),
        ),
        ComponentKind::FailureActions => (
            "failureActions",
            c.failure_actions.keys().map(String::as_str).collect(),
        ),
        ComponentKind::Inputs => ("inputs", c.inputs.keys().map(String::as_str).collect()),
    };
    if !names.contains(&name.text.as_str()) {
        let d = Diagnostic::new(
            Code::UnknownComponent,
            format!("no component `{}` in `components.{field}`", name.text),
        )
        .at(span_in_string(occ.node, name.range.clone(), ctx.file))
        .label("unknown component")
        .help_opt(suggest::did_you_mean(&name.text, names.iter().copied()));
        ctx.push(d);
    }
}

fn unused_inputs(
    ctx: &mut Ctx<'_>,
    workflow: &Workflow,
    declared: &[&str],
    used: &BTreeSet<String>,
) {
    // Dependencies, and workflows that actions run, receive the caller's inputs by name.
    let action_targets = workflow
        .success_actions
        .iter()
        .chain(&workflow.failure_actions)
        .chain(
            workflow
                .steps
                .iter()
                .flat_map(|s| s.on_success.iter().chain(&s.on_failure)),
        )
        .filter_map(|a| match a {
            crate::model::ActionOrRef::Action(a) => a.workflow_id.as_ref(),
            crate::model::ActionOrRef::Reusable(_) => None,
        });
    let passed_on: Vec<&str> = workflow
        .depends_on
        .iter()
        .chain(action_targets)
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

#[cfg(test)]
mod tests {
    use crate::index::inputs::resolve_dotted;

    #[test]
    fn dotted_names_prefer_the_longest_declared_name() {
        assert_eq!(resolve_dotted("a.b", &["a", "a.b"]), Some("a.b"));
        assert_eq!(resolve_dotted("a.b.c", &["a", "a.b"]), Some("a.b"));
        assert_eq!(resolve_dotted("a.c", &["a", "a.b"]), Some("a"));
        assert_eq!(resolve_dotted("ab", &["a"]), None);
    }
}
