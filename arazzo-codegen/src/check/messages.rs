//! Steps that send or receive AsyncAPI messages (1.1): the action against what the operation
//! lets a workflow do, channel and header parameters, the payload against the message schema,
//! and a receive's correlation id against what its messages declare.

use super::Ctx;
use super::payload::{Misfit, PayloadCheck};
use crate::asyncapi::{Exchange, Message, MessageRef, Resolved, resolve};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ParamLocation, Parameter, Spanned, Step, StepTarget, Workflow};
use crate::node::Node;
use crate::source_map::Span;
use crate::suggest;
use crate::types::{SchemaHome, Typer};

/// What a message step does, once its `action` is known to fit its operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Send,
    Receive,
}

pub fn check_step<'w>(
    ctx: &mut Ctx<'w>,
    (workflow, step): (&'w Workflow, &'w Step),
    params: &[Parameter],
    inherited: &[Parameter],
    target: &StepTarget,
    called: &MessageRef,
) {
    let at = target_span(target);
    let resolved = match resolve(ctx.project, called) {
        Ok(r) => r,
        Err(errors) => {
            for d in errors {
                ctx.push(d.secondary(at, format!("needed by step `{}`", step.step_id.value)));
            }
            return;
        }
    };
    let Some((action, exchange)) = chosen(ctx, step, at, &resolved) else {
        return;
    };
    let this = Side {
        step,
        action,
        exchange,
        resolved: &resolved,
    };
    parameters(ctx, &this, params, inherited);
    body(ctx, workflow, &this);
    correlation(ctx, &this);
}

/// The step, its action and the side of the operation it uses.
struct Side<'a, 'p> {
    step: &'a Step,
    action: Action,
    exchange: &'a Exchange<'p>,
    resolved: &'a Resolved<'p>,
}

impl Side<'_, '_> {
    fn what(&self) -> String {
        match &self.resolved.operation_id {
            Some(id) => format!("operation `{id}`"),
            None => format!("channel `{}`", self.exchange.channel.key),
        }
    }
}

pub fn target_span(target: &StepTarget) -> Span {
    match target {
        StepTarget::OperationId(t)
        | StepTarget::OperationPath(t)
        | StepTarget::WorkflowId(t)
        | StepTarget::ChannelPath(t) => t.span,
    }
}

/// The step's `action`, when it is one the operation allows, and the side it uses.
fn chosen<'r, 'p>(
    ctx: &mut Ctx<'_>,
    step: &Step,
    at: Span,
    resolved: &'r Resolved<'p>,
) -> Option<(Action, &'r Exchange<'p>)> {
    let allowed: Vec<&str> = [
        resolved.send.as_ref().map(|_| "send"),
        resolved.receive.as_ref().map(|_| "receive"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let Some(action) = &step.action else {
        ctx.push(no_action(step, at, &allowed));
        return None;
    };
    let (wanted, side) = match action.value.as_str() {
        "send" => (Action::Send, resolved.send.as_ref()),
        "receive" => (Action::Receive, resolved.receive.as_ref()),
        // Any other value was reported when the document was read.
        _ => return None,
    };
    if let Some(side) = side {
        return Some((wanted, side));
    }
    let id = resolved.operation_id.as_deref().unwrap_or("?");
    let other = if wanted == Action::Send {
        "receive"
    } else {
        "send"
    };
    let mut d = Diagnostic::new(
        Code::MessageAction,
        format!(
            "operation `{id}` lets a workflow {other}, not {}",
            action.value
        ),
    )
    .at(action.span)
    .label(format!("this step would {}", action.value));
    if let Some((declared, span)) = &resolved.declared {
        let meaning = match (declared.as_str(), wanted) {
            ("`action: send`", _) => {
                "the application sends these messages: a workflow receives them"
            }
            ("`action: receive`", _) => {
                "the application receives these messages: a workflow sends them"
            }
            ("`publish`", _) => "in AsyncAPI 2, clients publish here: a workflow sends",
            _ => "in AsyncAPI 2, clients subscribe here: a workflow receives",
        };
        d = d
            .secondary(*span, format!("the description says {declared}"))
            .note(meaning.to_owned());
    }
    ctx.push(d.help(format!(
        "write `action: {other}`, or name the operation that lets a workflow {}",
        action.value
    )));
    None
}

/// `in: channel` parameters fill the address; `in: header` ones are headers of a message sent.
fn parameters(ctx: &mut Ctx<'_>, side: &Side<'_, '_>, own: &[Parameter], inherited: &[Parameter]) {
    let channel = &side.exchange.channel;
    let headers = declared_headers(ctx, &side.exchange.messages);
    for p in own {
        let Some(loc) = &p.location else {
            ctx.push(
                Diagnostic::new(Code::ParameterWithoutIn, format!("parameter `{}` has no `in`", p.name.value))
                    .at(p.name.span)
                    .label("`in` is required for parameters of message steps")
                    .help(if channel.parameters.contains(&p.name.value) {
                        format!("`{}` is a parameter of the channel's address: add `in: channel`", p.name.value)
                    } else {
                        "add `in: header` for a message header, `in: channel` for a part of the channel's address".to_owned()
                    }),
            );
            continue;
        };
        match loc.value {
            ParamLocation::Channel => {
                if !channel.parameters.contains(&p.name.value) {
                    ctx.push(
                        Diagnostic::new(
                            Code::UnknownParameter,
                            format!("channel `{}` has no parameter `{}`", channel.key, p.name.value),
                        )
                        .at(p.name.span)
                        .label("not in the channel's address")
                        .note(format!(
                            "the address is `{}`; its parameters: {}",
                            channel.address,
                            suggest::list(channel.parameters.iter().map(String::as_str))
                        ))
                        .help_opt(suggest::did_you_mean(&p.name.value, channel.parameters.iter().map(String::as_str))),
                    );
                } else if side.action == Action::Receive {
                    known_at_start(ctx, side.step, p);
                }
            }
            ParamLocation::Header if side.action == Action::Receive => ctx.push(
                Diagnostic::new(
                    Code::UnknownParameter,
                    format!("step `{}` receives a message, and sets no headers", side.step.step_id.value),
                )
                .at(loc.span)
                .label("a header of the message received")
                .help("to choose the message by a header, use `correlationId` or a success criterion on `$message.header.<name>`"),
            ),
            ParamLocation::Header => {
                if let Some(declared) = &headers
                    && !declared.contains(&p.name.value)
                {
                    let typo = suggest::did_you_mean(&p.name.value, declared.iter().map(String::as_str));
                    let code = if typo.is_some() { Code::UnknownParameter } else { Code::UndeclaredParameter };
                    ctx.push(
                        Diagnostic::new(code, format!("the messages of {} declare no header `{}`", side.what(), p.name.value))
                            .at(p.name.span)
                            .label("not a declared header")
                            .note(format!("declared headers: {}", suggest::list(declared.iter().map(String::as_str))))
                            .help(typo.unwrap_or_else(|| "it is sent as written; declare it in the message's `headers` to have it checked".to_owned())),
                    );
                }
            }
            other => ctx.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`in: {}` has no meaning for a message", other.as_str()),
                )
                .at(loc.span)
                .label("not a place in a message")
                .help("message steps take `in: header` (a header of the message sent) and `in: channel` (a part of the channel's address)"),
            ),
        }
    }
    let supplied =
        |loc: ParamLocation, name: &str| own.iter().chain(inherited).any(|p| p.is(loc, name));
    let mut missing: Vec<String> = channel
        .parameters
        .iter()
        .filter(|n| !supplied(ParamLocation::Channel, n))
        .map(|n| format!("`{n}` (channel)"))
        .collect();
    if side.action == Action::Send {
        missing.extend(
            required_headers(ctx, &side.exchange.messages)
                .into_iter()
                .filter(|n| !supplied(ParamLocation::Header, n))
                .map(|n| format!("`{n}` (header)")),
        );
    }
    if !missing.is_empty() {
        let s = if missing.len() == 1 { "" } else { "s" };
        ctx.push(
            Diagnostic::new(
                Code::MissingParameter,
                format!(
                    "step `{}` does not supply the required parameter{s} {}",
                    side.step.step_id.value,
                    missing.join(", ")
                ),
            )
            .at(side.step.step_id.span)
            .label(format!(
                "uses {} (address `{}`)",
                side.what(),
                channel.address
            ))
            .help(if missing.len() == 1 {
                "add it to the step's `parameters`"
            } else {
                "add them to the step's `parameters`"
            }),
        );
    }
}

/// A receive step's channel parameters are read when the run starts (it subscribes before any
/// step, so that no message is missed): only the inputs and constants are known then.
fn known_at_start(ctx: &mut Ctx<'_>, step: &Step, p: &Parameter) {
    use crate::expr::{Root, StringValue, TemplatePart};
    let Some(text) = p.value.as_str() else {
        return;
    };
    let roots: Vec<Root> = match crate::expr::string_value(text) {
        Ok(StringValue::Expression(e)) => vec![e.root],
        Ok(StringValue::Template(parts)) => parts
            .into_iter()
            .filter_map(|part| match part {
                TemplatePart::Expression(e) => Some(e.root),
                TemplatePart::Literal(_) => None,
            })
            .collect(),
        _ => return,
    };
    let late = roots.iter().any(|r| {
        !matches!(
            r,
            Root::Inputs(_)
                | Root::AllInputs
                | Root::SourceDescription { .. }
                | Root::SelfUri
                | Root::Component { .. }
        )
    });
    if late {
        ctx.push(
            Diagnostic::new(
                Code::ExpressionScope,
                format!(
                    "channel parameter `{}` of step `{}` reads a value that is not known when the workflow starts",
                    p.name.value, step.step_id.value
                ),
            )
            .at(p.value.span)
            .label("known only once an earlier step has run")
            .note("a workflow subscribes to the channels it receives from before its first step, so that a fast reply is not missed: their addresses can read only inputs and constants")
            .help("pass the value as a workflow input"),
        );
    }
}

/// The headers the messages declare, when every one declares its headers' properties.
fn declared_headers(ctx: &Ctx<'_>, messages: &[Message<'_>]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for m in messages {
        let schema = m.headers?;
        let home = SchemaHome::OpenApi {
            project: ctx.project,
            file: schema.file,
        };
        let (_, node) = home.follow(schema.node)?;
        out.extend(node.get("properties")?.as_map()?.keys().map(str::to_owned));
    }
    (!messages.is_empty()).then_some(out)
}

/// The headers every message requires.
fn required_headers(ctx: &Ctx<'_>, messages: &[Message<'_>]) -> Vec<String> {
    let each: Vec<Vec<String>> = messages
        .iter()
        .map(|m| {
            m.headers
                .and_then(|schema| {
                    let home = SchemaHome::OpenApi {
                        project: ctx.project,
                        file: schema.file,
                    };
                    home.follow(schema.node)
                })
                .and_then(|(_, node)| node.get("required")?.as_seq())
                .map(|list| {
                    list.iter()
                        .filter_map(Node::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let Some((first, rest)) = each.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|n| rest.iter().all(|r| r.contains(n)))
        .cloned()
        .collect()
}

/// What a message step whose description cannot be read is checked for: what the Arazzo text
/// alone asks of it (an `action`; no body to receive).
pub fn check_unread(ctx: &mut Ctx<'_>, step: &Step, target: &StepTarget) {
    match step.action.as_ref().map(|a| a.value.as_str()) {
        None => ctx.push(no_action(step, target_span(target), &[])),
        Some("receive") => {
            if let Some(body) = &step.request_body {
                ctx.push(body_on_receive(step, body.span));
            }
        }
        _ => {}
    }
}

/// A message step without `action`; `allowed`: the actions its operation lets a workflow take,
/// when known.
fn no_action(step: &Step, at: Span, allowed: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::MessageAction,
        format!(
            "step `{}` sends or receives an AsyncAPI message, and does not say which",
            step.step_id.value
        ),
    )
    .at(at)
    .label("an AsyncAPI operation or channel")
    .help(match allowed {
        [one] => format!("add `action: {one}`"),
        _ => "add `action: send` or `action: receive`".to_owned(),
    })
}

fn body_on_receive(step: &Step, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MessageAction,
        format!(
            "step `{}` receives a message, and has a `requestBody`",
            step.step_id.value
        ),
    )
    .at(at)
    .label("nothing is sent")
    .help("remove `requestBody`, or make the step `action: send`")
}

/// A receive sends nothing; what a send sends must fit one of its messages.
fn body<'w>(ctx: &mut Ctx<'w>, workflow: &'w Workflow, side: &Side<'_, '_>) {
    let Some(body) = &side.step.request_body else {
        return;
    };
    if side.action == Action::Receive {
        ctx.push(body_on_receive(side.step, body.span));
        return;
    }
    if let Some(given) = &body.content_type {
        let declared: Vec<&str> = side
            .exchange
            .messages
            .iter()
            .filter_map(|m| m.content_type.as_deref())
            .collect();
        let essence = |t: &str| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        };
        if !declared.is_empty() && !declared.iter().any(|d| essence(d) == essence(&given.value)) {
            ctx.push(
                Diagnostic::new(
                    Code::UnsupportedContentType,
                    format!("the messages of {} are not `{}`", side.what(), given.value),
                )
                .at(given.span)
                .label("content type no message declares")
                .note(format!(
                    "they are: {}",
                    suggest::list(declared.iter().copied())
                ))
                .help_opt(declared.first().map(|d| format!("use `contentType: {d}`"))),
            );
        }
    }
    let Some(payload) = &body.payload else {
        return;
    };
    let typer = Typer::new(ctx.project, ctx.resolver.index);
    let check = PayloadCheck {
        typer: &typer,
        doc: ctx.resolver.doc,
        workflow,
        step: side.step,
        replaced: !body.replacements.is_empty(),
        selectors: ctx.document.version >= crate::model::ArazzoVersion::V1_1,
        textual: false,
    };
    let mut each: Vec<(String, Vec<Misfit>)> = Vec::new();
    for m in &side.exchange.messages {
        let Some(schema) = m.payload else {
            return;
        };
        let home = SchemaHome::OpenApi {
            project: ctx.project,
            file: schema.file,
        };
        let (warnings, misfits): (Vec<Misfit>, Vec<Misfit>) = check
            .misfits(payload, home, schema.node)
            .into_iter()
            .partition(|m| m.undeclared.is_some());
        if misfits.is_empty() {
            // Fits; what it sends beyond the schema is said when it is the one message.
            if side.exchange.messages.len() == 1 {
                for w in warnings {
                    ctx.push(super::payload::undeclared(
                        &w,
                        &format!("message `{}`", m.name),
                    ));
                }
            }
            return;
        }
        each.push((m.name.clone(), misfits));
    }
    match each.as_slice() {
        [] => {}
        [(name, misfits)] => {
            for m in misfits {
                ctx.push(
                    Diagnostic::new(
                        Code::PayloadSchema,
                        format!(
                            "the payload does not fit message `{name}` of {}: {}",
                            side.what(),
                            m.message
                        ),
                    )
                    .at(m.span)
                    .label("does not fit the message schema")
                    .help_opt(m.help.clone()),
                );
            }
        }
        many => {
            let mut d = Diagnostic::new(
                Code::PayloadSchema,
                format!(
                    "the payload fits none of the {} messages of {}",
                    many.len(),
                    side.what()
                ),
            )
            .at(payload.span)
            .label("does not fit any message schema");
            for (name, misfits) in many {
                if let Some(first) = misfits.first() {
                    d = d.note(format!("message `{name}`: {}", first.message));
                }
            }
            ctx.push(d);
        }
    }
}

/// A receive's `correlationId` needs messages that say where they carry one.
fn correlation(ctx: &mut Ctx<'_>, side: &Side<'_, '_>) {
    let Some(given) = &side.step.correlation_id else {
        return;
    };
    if side.action != Action::Receive {
        return;
    }
    let without: Vec<&str> = side
        .exchange
        .messages
        .iter()
        .filter(|m| m.correlation.is_none())
        .map(|m| m.name.as_str())
        .collect();
    if side.exchange.messages.is_empty() || !without.is_empty() {
        let why = if side.exchange.messages.is_empty() {
            format!("{} lists no message that could carry one", side.what())
        } else {
            let (s, does) = if without.len() == 1 {
                ("", "does")
            } else {
                ("s", "do")
            };
            format!(
                "message{s} {} of {} {does} not say where a message carries one",
                suggest::list(without.iter().copied()),
                side.what()
            )
        };
        let mut d = Diagnostic::new(
            Code::MissingCorrelation,
            format!("step `{}` receives by `correlationId`, and {why}", side.step.step_id.value),
        )
        .at(given.span)
        .label("matched against nothing")
        .note("the specification: a step's `correlationId` has to be in sync with the `correlationId` of the AsyncAPI message");
        if let Some(first) = without
            .first()
            .and_then(|n| side.exchange.messages.iter().find(|m| m.name == *n))
        {
            d = d.secondary(first.span, "this message declares no `correlationId`");
        }
        ctx.push(d.help("declare `correlationId: {location: $message.header#/<name>}` on the message, or remove the step's `correlationId`"));
        return;
    }
    // The generated step reads the id at one place: the messages it may get must agree on it.
    let mut places = side
        .exchange
        .messages
        .iter()
        .filter_map(|m| m.correlation.as_ref().map(|c| (m, c)));
    let Some((first, expected)) = places.next() else {
        return;
    };
    if let Some((other, differs)) = places.find(|(_, c)| c.location != expected.location) {
        ctx.push(
            Diagnostic::new(
                Code::MissingCorrelation,
                format!(
                    "step `{}` receives by `correlationId`, and the messages of {} carry it in different places",
                    side.step.step_id.value,
                    side.what()
                ),
            )
            .at(given.span)
            .label("read at one place in every message")
            .secondary(first.span, format!("`{}` here", expected.location))
            .secondary(other.span, format!("`{}` here", differs.location))
            .help("give the messages one correlation id location, or receive each on an operation that lists one of them"),
        );
    }
}

/// The step's action, for later stages that only need to know it (already checked here).
pub fn action_of(step: &Step) -> Option<Action> {
    match step
        .action
        .as_ref()
        .map(|a: &Spanned<String>| a.value.as_str())
    {
        Some("send") => Some(Action::Send),
        Some("receive") => Some(Action::Receive),
        _ => None,
    }
}
