//! A request body as a step writes it, against the schema of the operation's request body: the
//! checks message payloads get (`payload.rs`: types, `enum`, required and undeclared members),
//! and each payload replacement against the part of the schema its JSON pointer reaches.

use super::Ctx;
use super::payload::{Misfit, PayloadCheck, undeclared};
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::StringValue;
use crate::model::{ExpressionType, Step, Workflow};
use crate::node::{Node, Value, pointer};
use crate::types::{SchemaHome, Typer};

pub fn check(ctx: &mut Ctx<'_>, workflow: &Workflow, step: &Step) {
    let Some(body) = &step.request_body else {
        return;
    };
    let content_type = body
        .content_type
        .as_ref()
        .map(|c| c.value.to_ascii_lowercase())
        .unwrap_or_default();
    // A body written as text (XML, a JSON template) is the body itself, not a structure to
    // hold against the schema.
    if content_type.contains("xml") {
        return;
    }
    let typer = Typer::new(ctx.project, ctx.resolver.index);
    let Some((op, home, schema)) = typer.step_request_schema(ctx.resolver.doc, step) else {
        return;
    };
    let check = PayloadCheck {
        typer: &typer,
        doc: ctx.resolver.doc,
        workflow,
        step,
        replaced: !body.replacements.is_empty(),
        selectors: ctx.document.version >= crate::model::ArazzoVersion::V1_1,
        textual: content_type.starts_with("application/x-www-form-urlencoded")
            || content_type.starts_with("multipart/"),
    };
    let of = format!("the request body of {}", op.describe());
    let mut found: Vec<Misfit> = Vec::new();
    if let Some(payload) = body.payload.as_ref().filter(|p| structured(p)) {
        found.extend(check.misfits(payload, home, schema));
    }
    for r in &body.replacements {
        if !matches!(
            r.target_type.as_ref().map(|t| &t.value),
            None | Some(ExpressionType::JsonPointer)
        ) {
            continue;
        }
        let Ok(tokens) = pointer::parse(&r.target.value) else {
            continue;
        };
        if let Some((home, part)) = schema_at(home, schema, &tokens) {
            let what = format!("the replacement for `{}`", r.target.value);
            found.extend(check.misfits_of(&what, &r.value, home, part));
        }
    }
    for mut m in found {
        if let Some(name) = &m.undeclared {
            // A member named as one of the operation's parameters was meant as that parameter.
            if let Some(place) = op.parameters.iter().find_map(|p| {
                let place = match p {
                    openapiv3::Parameter::Path { .. } => "path",
                    openapiv3::Parameter::Query { .. } => "query",
                    openapiv3::Parameter::Header { .. } => "header",
                    openapiv3::Parameter::Cookie { .. } => "cookie",
                };
                (p.parameter_data_ref().name == *name).then_some(place)
            }) {
                m.help = Some(format!(
                    "`{name}` is a {place} parameter of {}: give it in the step's `parameters` \
                     with `in: {place}`",
                    op.describe()
                ));
            }
            ctx.push(undeclared(&m, &of));
            continue;
        }
        ctx.push(
            Diagnostic::new(
                Code::PayloadSchema,
                format!(
                    "the request body does not fit the schema of {}: {}",
                    op.describe(),
                    m.message
                ),
            )
            .at(m.span)
            .label("does not fit the request body schema")
            .help_opt(m.help.clone()),
        );
    }
}

/// Whether a payload is a structure (or a whole expression) to check: a literal string or a
/// template is the body's text.
fn structured(payload: &Node) -> bool {
    match &payload.value {
        Value::String(text) => matches!(
            crate::expr::string_value(text),
            Ok(StringValue::Expression(_))
        ),
        _ => true,
    }
}

/// The part of `schema` a JSON pointer reaches: through `properties` (and those of `allOf`
/// parts), `items`, and `additionalProperties`; `None` where the schema does not say.
fn schema_at<'p>(
    home: SchemaHome<'p>,
    schema: &'p Node,
    tokens: &[String],
) -> Option<(SchemaHome<'p>, &'p Node)> {
    let mut at = home.follow(schema)?;
    for token in tokens {
        crate::work::add(1);
        at = step_into(at, token, 0)?;
    }
    Some(at)
}

fn step_into<'p>(
    (home, schema): (SchemaHome<'p>, &'p Node),
    token: &str,
    depth: usize,
) -> Option<(SchemaHome<'p>, &'p Node)> {
    if depth > 16 {
        return None;
    }
    let (home, schema) = home.follow(schema)?;
    if let Some(sub) = schema
        .get("properties")
        .and_then(|p| p.get(token))
        .or_else(|| {
            let index = token == "-" || token.parse::<usize>().is_ok();
            schema.get("items").filter(|_| index)
        })
    {
        return home.follow(sub);
    }
    if let Some(found) = schema
        .get("allOf")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .find_map(|part| step_into((home, part), token, depth + 1))
    {
        return Some(found);
    }
    schema
        .get("additionalProperties")
        .filter(|extra| extra.as_map().is_some())
        .and_then(|extra| home.follow(extra))
}
