//! Each step against the operation it calls: parameters, request body, status criteria.

use super::expressions::ParsedWorkflow;
use super::payload::fits;
use super::{Ctx, resolve_parameters};
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::StringValue;
use crate::expr::jsonpath::{GOESSNER, from_goessner};
use crate::expr::{CmpOp, Condition, Literal, Operand, Root};
use crate::index::Called;
use crate::load::ArazzoId;
use crate::model::{
    ExpressionType, ParamLocation, Parameter, SourceType, Spanned, Step, StepTarget, Workflow,
};
use crate::node::head;
use crate::node::span_in_string;
use crate::node::{Node, Value};
use crate::openapi::{Operation, operation};
use crate::suggest;
use crate::types::{SchemaHome, Type, Typer, ValueType, literal_type};

pub fn check_workflow<'w>(ctx: &mut Ctx<'w>, workflow: &'w Workflow, parsed: &ParsedWorkflow<'_>) {
    let workflow_params = resolve_parameters(ctx, &workflow.parameters);
    super::actions::duplicate_parameters(ctx, &workflow.parameters);
    for step in &workflow.steps {
        replacement_targets(ctx, step);
        super::actions::duplicate_parameters(ctx, &step.parameters);
        let step_params = resolve_parameters(ctx, &step.parameters);
        let Some(target) = &step.target else { continue };
        let called = match target {
            StepTarget::WorkflowId(id) => {
                message_fields(ctx, step, "runs a workflow");
                body_on_workflow_step(ctx, step);
                match ctx.resolver.workflow(id) {
                    Ok(Some((doc, child))) => {
                        let runner = Runner::Step(&step.step_id);
                        workflow_inputs(
                            ctx,
                            runner,
                            (workflow, Some(step)),
                            &step_params,
                            (doc, child),
                        );
                    }
                    Ok(None) => {}
                    Err(d) => ctx.push(d),
                }
                continue;
            }
            other => ctx.resolver.called(other),
        };
        let op_ref = match called {
            Ok(Some(Called::Http(op))) => op,
            Ok(Some(Called::Message(m))) => {
                super::messages::check_step(
                    ctx,
                    (workflow, step),
                    &step_params,
                    &workflow_params,
                    target,
                    &m,
                );
                continue;
            }
            Ok(None) => {
                // The source cannot be read (reported where it is declared): the step is checked
                // with what the document itself says of it, its declared `type`, and no more.
                match ctx.resolver.declared_kind(target) {
                    Some(SourceType::AsyncApi) => {
                        super::messages::check_unread(ctx, step, target);
                    }
                    Some(SourceType::Arazzo) => operation_of_workflows(ctx, step, target),
                    kind => {
                        if kind == Some(SourceType::OpenApi) {
                            message_fields(ctx, step, "calls an OpenAPI operation");
                        }
                        // The schemas' rule holds without the operation.
                        for p in step_params.iter().filter(|p| p.location.is_none()) {
                            ctx.push(without_in(p, None));
                        }
                    }
                }
                continue;
            }
            Err(d) => {
                ctx.push(d);
                continue;
            }
        };
        match operation(ctx.project, &op_ref) {
            Ok(op) => {
                super::schema_refs::check_operation(ctx, &op_ref);
                message_fields(ctx, step, "calls an OpenAPI operation");
                parameters(ctx, step, &step_params, &workflow_params, &op);
                request_body(ctx, step, &op);
                super::request_body::check(ctx, workflow, step);
                status_criteria(ctx, step, &op, parsed);
            }
            Err(errors) => {
                let at = match target {
                    StepTarget::OperationId(t)
                    | StepTarget::OperationPath(t)
                    | StepTarget::WorkflowId(t)
                    | StepTarget::ChannelPath(t) => t.span,
                };
                for d in errors {
                    ctx.push(d.secondary(at, format!("needed by step `{}`", step.step_id.value)));
                }
            }
        }
    }
}

/// Each payload replacement's `target` is a JSON pointer, or a query of its
/// `targetSelectorType` (1.1).
fn replacement_targets(ctx: &mut Ctx<'_>, step: &Step) {
    let Some(body) = &step.request_body else {
        return;
    };
    for r in &body.replacements {
        let text = r.target.value.as_str();
        let problem = match r.target_type.as_ref().map(|t| &t.value) {
            None | Some(ExpressionType::JsonPointer) => {
                crate::node::pointer::parse(text).err().map(|e| {
                    (
                        Code::InvalidJsonPointer,
                        format!("invalid JSON pointer: {e}"),
                    )
                })
            }
            Some(ExpressionType::JsonPath { version }) => {
                let query = match version.as_ref().map(|v| v.value.as_str()) {
                    Some(GOESSNER) => from_goessner(text.trim()),
                    _ => text.trim().to_owned(),
                };
                serde_json_path::JsonPath::parse(&query).err().map(|e| {
                    (
                        Code::InvalidJsonPath,
                        format!("invalid JSONPath query: {}", e.message()),
                    )
                })
            }
            Some(ExpressionType::XPath { .. }) => {
                ctx.xpath_seen(r.target.span);
                crate::expr::xpath::check(text).err().map(|e| {
                    (
                        Code::InvalidXPath,
                        format!("invalid XPath expression: {}", e.message),
                    )
                })
            }
        };
        if let Some((code, message)) = problem {
            ctx.push(
                Diagnostic::new(code, message)
                    .at(r.target.span)
                    .label("this target")
                    .help_opt(
                        (r.target_type.is_none() && !text.starts_with('/'))
                            .then(|| "without `targetSelectorType`, a target is a JSON pointer such as `/pet/name`".to_owned()),
                    ),
            );
        }
    }
}

/// `action` and `correlationId` belong to steps that send or receive AsyncAPI messages (1.1).
fn message_fields(ctx: &mut Ctx<'_>, step: &Step, kind: &str) {
    let fields = [
        ("action", step.action.as_ref().map(|a| a.span)),
        (
            "correlationId",
            step.correlation_id.as_ref().map(|c| c.span),
        ),
    ];
    for (field, span) in fields {
        if let Some(span) = span {
            ctx.push(
                Diagnostic::new(
                    Code::StepTarget,
                    format!("`{field}` is for steps that send or receive AsyncAPI messages, and step `{}` {kind}", step.step_id.value),
                )
                .at(span)
                .label("not allowed on this step")
                .help(format!("remove `{field}`")),
            );
        }
    }
}

/// An `operationId` or `operationPath` naming a source declared `type: arazzo`: such a
/// document holds workflows, and operations come from the other sources (step `operationId`:
/// "If multiple (non `arazzo` type) `sourceDescriptions` are defined, then the `operationId`
/// MUST be specified using a Runtime Expression").
fn operation_of_workflows(ctx: &mut Ctx<'_>, step: &Step, target: &StepTarget) {
    let (StepTarget::OperationId(t) | StepTarget::OperationPath(t)) = target else {
        return;
    };
    ctx.push(
        Diagnostic::new(
            Code::StepTarget,
            format!(
                "step `{}` calls an operation of a source declared `type: arazzo`, which has workflows, not operations",
                step.step_id.value
            ),
        )
        .at(t.span)
        .label("no operation here")
        .help("run one of its workflows with `workflowId: $sourceDescriptions.<name>.<workflowId>`, or name an OpenAPI source"),
    );
}

/// A step that runs a workflow passes it inputs, not a body: Arazzo's `requestBody` is "the
/// request body to pass to an operation as referenced by `operationId` or `operationPath`".
fn body_on_workflow_step(ctx: &mut Ctx<'_>, step: &Step) {
    let Some(body) = &step.request_body else {
        return;
    };
    ctx.push(
        Diagnostic::new(
            Code::StepTarget,
            format!(
                "`requestBody` is for steps that call an operation, and step `{}` runs a workflow",
                step.step_id.value
            ),
        )
        .at(body.span)
        .label("no request is sent")
        .help("give the workflow what it needs as inputs, with the step's `parameters`"),
    );
}

/// What passes parameters to a workflow as its inputs.
#[derive(Clone, Copy)]
pub(super) enum Runner<'a> {
    /// A step with `workflowId`, by its `stepId`.
    Step(&'a Spanned<String>),
    /// An action with `workflowId` and `parameters` (1.1), by its `name`.
    Action(&'a Spanned<String>),
}

/// The parameters of a step or action that runs a workflow are that workflow's inputs: each
/// must be one it declares, and every input it requires must be given.
pub(super) fn workflow_inputs<'w>(
    ctx: &mut Ctx<'w>,
    runner: Runner<'_>,
    (caller, step): (&'w Workflow, Option<&'w Step>),
    given: &[Parameter],
    (doc, child): (ArazzoId, &'w Workflow),
) {
    let (who, at) = match runner {
        Runner::Step(id) => (format!("step `{}`", id.value), id.span),
        Runner::Action(name) => (format!("action `{}`", name.value), name.span),
    };
    let declared = crate::index::inputs::declared_input_names(ctx.project, doc, child);
    let schema_known = child.inputs.is_some();
    for p in given {
        if schema_known && !declared.contains(&p.name.value) {
            let names = declared.iter().map(String::as_str);
            ctx.push(
                Diagnostic::new(
                    Code::UnknownParameter,
                    format!(
                        "workflow `{}` has no input `{}`",
                        child.workflow_id.value, p.name.value
                    ),
                )
                .at(p.name.span)
                .label("passed to a workflow that does not declare it")
                .note(format!(
                    "inputs of `{}`: {}",
                    child.workflow_id.value,
                    suggest::list(names.clone())
                ))
                .help_opt(suggest::did_you_mean(&p.name.value, names)),
            );
        }
        match (&p.location, runner) {
            (Some(loc), Runner::Step(_)) => ctx.push(
                Diagnostic::new(
                    Code::IgnoredField,
                    format!(
                        "`in` has no meaning for parameter `{}` of a step that runs a workflow",
                        p.name.value
                    ),
                )
                .at(loc.span)
                .label("ignored")
                .help("remove `in`: the parameter becomes the workflow's input of the same name"),
            ),
            (Some(loc), Runner::Action(_)) => ctx.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!(
                        "parameter `{}` of an action must not have `in`",
                        p.name.value
                    ),
                )
                .at(loc.span)
                .label("not allowed on action parameters")
                .help("remove `in`: the parameter becomes the workflow's input of the same name"),
            ),
            (None, _) => {}
        }
    }
    for p in given {
        input_type(ctx, (caller, step), p, (doc, child));
    }
    let required: Vec<String> = crate::index::inputs::required_input_names(ctx.project, doc, child);
    // A step also passes its workflow's parameters (the planner's rule: those it declares).
    let inherited: Vec<Parameter> = match runner {
        Runner::Step(_) => {
            crate::index::inputs::resolve_parameters_of(ctx.document, &caller.parameters)
        }
        Runner::Action(_) => Vec::new(),
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|r| !given.iter().chain(&inherited).any(|p| p.name.value == **r))
        .map(|r| format!("`{r}`"))
        .collect();
    if !missing.is_empty() {
        ctx.push(
            Diagnostic::new(
                Code::MissingParameter,
                format!(
                    "{who} does not pass the required input{} {} of workflow `{}`",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    child.workflow_id.value
                ),
            )
            .at(at)
            .label(format!("runs workflow `{}`", child.workflow_id.value))
            .help(match runner {
                Runner::Step(_) => "add them to the step's `parameters` (name and value; no `in`)",
                Runner::Action(_) => {
                    "add them to the action's `parameters` (name and value; no `in`)"
                }
            }),
        );
    }
}

/// A value whose type the workflow's input schema rules out: the run would fail when the
/// inputs are converted, so it is found here.
fn input_type<'w>(
    ctx: &mut Ctx<'w>,
    (caller, step): (&'w Workflow, Option<&'w Step>),
    p: &Parameter,
    (doc, child): (ArazzoId, &'w Workflow),
) {
    let Some(schema) = crate::index::inputs::input_schema_of(ctx.project, doc, child)
        .and_then(|s| s.get("properties"))
        .and_then(|props| props.get(&p.name.value))
    else {
        return;
    };
    let Some(components) = ctx
        .project
        .arazzo
        .get(doc.0)
        .map(|d| &d.document.components)
    else {
        return;
    };
    let wanted = SchemaHome::Arazzo { components }.type_of(schema);
    let given = match &p.value.value {
        Value::String(text) => match crate::expr::string_value(text) {
            Ok(StringValue::Expression(e)) => {
                let typer = Typer::new(ctx.project, ctx.resolver.index);
                typer.type_of(ctx.resolver.doc, caller, step, &e)
            }
            _ => ValueType::new(Type::String),
        },
        _ => literal_type(&p.value),
    };
    if fits(&given, &wanted) {
        return;
    }
    ctx.push(
        Diagnostic::new(
            Code::InputType,
            format!(
                "input `{}` of workflow `{}` is {wanted}, but the value given is {given}",
                p.name.value, child.workflow_id.value
            ),
        )
        .at(p.value.span)
        .label(format!("{given}, not {wanted}"))
        .note("the inputs are converted to the workflow's input type when it starts, and this value cannot be"),
    );
}

/// Where the operation's API key schemes put their keys: `(in, name)`.
fn api_key_slots(ctx: &Ctx<'_>, op: &Operation) -> Vec<(ParamLocation, String)> {
    let Some(root) = ctx.project.tree(op.file) else {
        return Vec::new();
    };
    let op_node = crate::node::pointer::parse(&op.pointer)
        .ok()
        .and_then(|tokens| root.at(&tokens));
    let requirements = op_node
        .and_then(|n| n.get("security"))
        .or_else(|| root.get("security"))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let mut slots = Vec::new();
    for name in requirements
        .iter()
        .filter_map(|r| r.as_map())
        .flat_map(|m| m.keys())
    {
        let Some(scheme) = root.at(&["components", "securitySchemes", name]) else {
            continue;
        };
        let text = |k: &str| scheme.get(k).and_then(Node::as_str);
        if text("type") != Some("apiKey") {
            continue;
        }
        let location = match text("in") {
            Some("query") => ParamLocation::Query,
            Some("cookie") => ParamLocation::Cookie,
            _ => ParamLocation::Header,
        };
        if let Some(key_name) = text("name") {
            slots.push((location, key_name.to_owned()));
        }
    }
    slots
}

fn without_in(p: &Parameter, hint: Option<String>) -> Diagnostic {
    Diagnostic::new(
        Code::ParameterWithoutIn,
        format!("parameter `{}` has no `in`", p.name.value),
    )
    .at(p.name.span)
    .label("`in` is required for parameters of operation steps")
    .help(
        hint.unwrap_or_else(|| {
            "add `in: path`, `in: query`, `in: header` or `in: cookie`".to_owned()
        }),
    )
}

fn parameters(
    ctx: &mut Ctx<'_>,
    step: &Step,
    own: &[Parameter],
    inherited: &[Parameter],
    op: &Operation,
) {
    let declared = op.declared_parameters();
    for p in own {
        let Some(loc) = &p.location else {
            let hint = declared
                .iter()
                .find(|(_, n, _)| *n == p.name.value)
                .map(|(l, n, _)| {
                    format!(
                        "`{n}` is a {} parameter of this operation: add `in: {}`",
                        l.as_str(),
                        l.as_str()
                    )
                });
            ctx.push(without_in(p, hint));
            continue;
        };
        if declared
            .iter()
            .any(|(l, n, _)| *l == loc.value && l.same_name(n, &p.name.value))
        {
            continue;
        }
        // OpenAPI ignores a declared `Authorization` header (security schemes own it), so no
        // operation declares one; a step that sends its own credential, there or where an API
        // key scheme of the operation puts it, is not mistaken.
        if p.is(ParamLocation::Header, "Authorization")
            || api_key_slots(ctx, op)
                .iter()
                .any(|(l, n)| *l == loc.value && l.same_name(n, &p.name.value))
        {
            continue;
        }
        let same_loc: Vec<&str> = declared
            .iter()
            .filter(|(l, _, _)| *l == loc.value)
            .map(|(_, n, _)| *n)
            .collect();
        let elsewhere = declared.iter().find(|(_, n, _)| *n == p.name.value);
        let undeclared = |code: Code, what: &str| {
            Diagnostic::new(
                code,
                format!(
                    "operation `{}` {what} {} parameter `{}`",
                    op.operation_id.as_deref().unwrap_or(&op.path),
                    loc.value.as_str(),
                    p.name.value
                ),
            )
            .at(p.name.span)
            .label("not declared by the operation")
            .note(format!(
                "{} parameters of {}: {}",
                loc.value.as_str(),
                op.describe(),
                suggest::list(same_loc.iter().copied())
            ))
        };
        let mut d = undeclared(Code::UnknownParameter, "has no");
        let named_query = declared
            .iter()
            .filter(|(l, _, _)| *l == ParamLocation::Query)
            .map(|(_, n, _)| *n);
        if loc.value == ParamLocation::QueryString && named_query.clone().next().is_some() {
            d = d.help(format!(
                "this operation takes named query parameters ({}): pass each with `in: query`",
                suggest::list(named_query)
            ));
            ctx.push(d);
            continue;
        }
        let typo = suggest::did_you_mean(&p.name.value, same_loc.iter().copied());
        d = match (elsewhere, typo) {
            (Some((l, _, _)), _) => d.help(format!(
                "`{}` is a {} parameter: write `in: {}`",
                p.name.value,
                l.as_str(),
                l.as_str()
            )),
            (None, Some(typo)) => d.help(typo),
            // Not a slip of a declared name: descriptions often leave out the headers and
            // query values their own APIs need. Sent as written, with a warning.
            (None, None) if loc.value != ParamLocation::Path => {
                let d = undeclared(Code::UndeclaredParameter, "declares no");
                d.help("it is sent as written; declare it in the description to have it checked")
            }
            (None, None) => d,
        };
        ctx.push(d);
    }
    let supplied =
        |loc: ParamLocation, name: &str| own.iter().chain(inherited).any(|p| p.is(loc, name));
    let missing: Vec<String> = declared
        .iter()
        .filter(|(loc, name, required)| {
            (*required || *loc == ParamLocation::Path) && !supplied(*loc, name)
        })
        .map(|(loc, name, _)| format!("`{name}` ({})", loc.as_str()))
        .collect();
    if !missing.is_empty() {
        let s = if missing.len() == 1 { "" } else { "s" };
        ctx.push(
            Diagnostic::new(
                Code::MissingParameter,
                format!("step `{}` does not supply the required parameter{s} {}", step.step_id.value, missing.join(", ")),
            )
            .at(step.step_id.span)
            .label(format!("calls {}", op.describe()))
            .help("add them to the step's `parameters` (or the workflow's, to pass them to every step)"),
        );
    }
}

fn request_body(ctx: &mut Ctx<'_>, step: &Step, op: &Operation) {
    let Some(body) = &step.request_body else {
        return;
    };
    let at = head_of_body(ctx, step);
    if matches!(op.method.as_str(), "get" | "head") {
        ctx.push(
            Diagnostic::new(
                Code::BodyWithoutPayloadMethod,
                format!(
                    "step `{}` sends a request body with {}",
                    step.step_id.value,
                    op.method.to_uppercase()
                ),
            )
            .at(at)
            .label(format!(
                "{} requests carry no body",
                op.method.to_uppercase()
            ))
            .note("many servers and proxies drop or reject such bodies"),
        );
    }
    let Some(content_type) = &body.content_type else {
        return;
    };
    let Some(declared) = &op.request_body else {
        ctx.push(
            Diagnostic::new(
                Code::UnsupportedContentType,
                format!("{} declares no request body", op.describe()),
            )
            .at(content_type.span)
            .label("this body is not described by the operation"),
        );
        return;
    };
    let wanted = content_type
        .value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let accepts = declared.content.keys().any(|k| media_matches(k, &wanted));
    if !accepts {
        let keys: Vec<&str> = declared.content.keys().map(String::as_str).collect();
        ctx.push(
            Diagnostic::new(
                Code::UnsupportedContentType,
                format!("{} does not accept `{}`", op.describe(), content_type.value),
            )
            .at(content_type.span)
            .label("content type not declared by the operation")
            .note(format!(
                "it accepts: {}",
                suggest::list(keys.iter().copied())
            ))
            .help_opt(keys.first().map(|k| format!("use `contentType: {k}`"))),
        );
    }
}

fn head_of_body(ctx: &Ctx<'_>, step: &Step) -> crate::source_map::Span {
    step.request_body
        .as_ref()
        .and_then(|b| b.content_type.as_ref().map(|c| c.span))
        .unwrap_or_else(|| {
            let node = crate::node::Node {
                span: step.request_body.as_ref().map_or(step.span, |b| b.span),
                value: crate::node::Value::Null,
                style: crate::node::ScalarStyle::Plain,
            };
            head(&node, ctx.file)
        })
}

fn media_matches(declared: &str, wanted: &str) -> bool {
    let declared = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if declared == wanted || declared == "*/*" {
        return true;
    }
    match (declared.split_once('/'), wanted.split_once('/')) {
        (Some((dt, "*")), Some((wt, _))) => dt == wt,
        _ => false,
    }
}

/// `$statusCode == N` conditions on statuses the operation never declares.
fn status_criteria(ctx: &mut Ctx<'_>, step: &Step, op: &Operation, parsed: &ParsedWorkflow<'_>) {
    for criterion in &step.success_criteria {
        let Some((condition, _)) = parsed.conditions.get(&criterion.span) else {
            continue;
        };
        for (range, status) in status_comparisons(condition) {
            if op.declares_status(status) {
                continue;
            }
            let declared: Vec<&str> = op.responses.iter().map(String::as_str).collect();
            let success = op.responses.iter().find(|r| r.starts_with('2'));
            let span = span_in_string(&criterion.condition_node, range, ctx.file);
            ctx.push(
                Diagnostic::new(
                    Code::UndeclaredStatus,
                    format!(
                        "`{}` declares no `{status}` response, so this criterion can never hold",
                        op.operation_id.as_deref().unwrap_or(&op.path)
                    ),
                )
                .at(span)
                .label(format!("{} never answers {status}", op.describe()))
                .note(format!(
                    "declared responses: {}",
                    suggest::list(declared.iter().copied())
                ))
                .help_opt(success.map(|s| format!("did you mean `$statusCode == {s}`?"))),
            );
        }
    }
}

/// `(range, N)` for each `$statusCode == N` (or `N == $statusCode`) comparison.
fn status_comparisons(condition: &Condition) -> Vec<(std::ops::Range<usize>, u16)> {
    match condition {
        Condition::Or(a, b) | Condition::And(a, b) => {
            let mut v = status_comparisons(a);
            v.extend(status_comparisons(b));
            v
        }
        Condition::Not(_) | Condition::Operand(_) => Vec::new(),
        Condition::Compare {
            lhs,
            op: CmpOp::Eq,
            rhs,
        } => {
            let status = |o: &Operand| matches!(o, Operand::Expression(e) if e.root == Root::StatusCode && e.pointer.is_none() && e.path.is_empty());
            let number = |o: &Operand| match o {
                Operand::Literal {
                    value: Literal::Number(n),
                    ..
                } if n.fract() == 0.0 && (100.0..600.0).contains(n) => Some(*n as u16),
                _ => None,
            };
            let range =
                lhs.range().start.min(rhs.range().start)..lhs.range().end.max(rhs.range().end);
            match (status(lhs), number(rhs), number(lhs), status(rhs)) {
                (true, Some(n), _, _) | (_, _, Some(n), true) => vec![(range, n)],
                _ => Vec::new(),
            }
        }
        Condition::Compare { .. } => Vec::new(),
    }
}
