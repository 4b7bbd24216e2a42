//! Type-driven warnings: JSON pointers that cannot exist in the schema they read, and
//! comparisons between values that can never be equal or ordered.

use super::Ctx;
use super::expressions::ParsedWorkflow;
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::{CmpOp, Condition, Literal, Operand, Root};
use crate::load::ArazzoId;
use crate::model::{Step, Workflow};
use crate::node::span_in_string;
use crate::suggest;
use crate::types::{Type, Typer, ValueType, Walk};

pub fn check_workflow<'w>(ctx: &mut Ctx<'w>, workflow: &'w Workflow, parsed: &ParsedWorkflow<'w>) {
    let typer = Typer::new(ctx.project, ctx.resolver.index);
    let doc = ctx.resolver.doc;
    for occ in &parsed.occurrences {
        let expr = &occ.expr;
        let own_navigation = !expr.path.is_empty()
            || expr.pointer.is_some()
            || matches!(&expr.root, Root::Inputs(n) if n.text.contains('.'));
        if !own_navigation {
            continue;
        }
        let Some((Walk::Outside { token, allowed }, inherited)) =
            typer.walk(doc, workflow, occ.step, expr)
        else {
            continue;
        };
        // An unknown input name itself (token 0 of `$inputs.x`) is reported as `unknown-input`.
        let first_own = if matches!(expr.root, Root::Inputs(_)) {
            inherited + 1
        } else {
            inherited
        };
        if token < first_own {
            continue;
        }
        let tokens = own_tokens(expr);
        let Some(bad) = tokens.get(token - inherited).cloned() else {
            continue;
        };
        let span = match &expr.pointer {
            Some(p) => span_in_string(occ.node, p.range.clone(), ctx.file),
            None => span_in_string(occ.node, expr.range.clone(), ctx.file),
        };
        let shown: Vec<&str> = allowed.iter().map(String::as_str).collect();
        let mut d = Diagnostic::new(
            Code::PointerOutsideSchema,
            format!("`{expr}` reads `{bad}`, which its schema does not define"),
        )
        .at(span)
        .label(format!("`{bad}` is not in the schema"));
        d = if shown.is_empty() {
            d.note("the schema describes a scalar here, which has no members")
        } else {
            d.note(format!(
                "the schema defines: {}",
                suggest::list(shown.iter().copied())
            ))
            .help_opt(suggest::did_you_mean(&bad, shown.iter().copied()))
        };
        ctx.push(d);
    }
    for (condition, step) in parsed.conditions.values() {
        let node = parsed
            .occurrences
            .iter()
            .find(|o| {
                condition
                    .operands()
                    .iter()
                    .any(|op| matches!(op, Operand::Expression(e) if e.range == o.expr.range))
            })
            .map(|o| o.node);
        comparisons(ctx, &typer, doc, workflow, *step, condition, node);
    }
}

/// The tokens the expression itself adds, in order (dotted input path, members, pointer).
fn own_tokens(expr: &crate::expr::Expression) -> Vec<String> {
    let mut tokens: Vec<String> = match &expr.root {
        Root::Inputs(n) => n.text.split('.').map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    tokens.extend(expr.path.iter().map(|s| match s {
        crate::expr::Segment::Member(m) => m.clone(),
        crate::expr::Segment::Index(i) => i.to_string(),
    }));
    if let Some(p) = &expr.pointer {
        tokens.extend(p.tokens.iter().cloned());
    }
    tokens
}

fn comparisons<'w>(
    ctx: &mut Ctx<'w>,
    typer: &Typer<'w>,
    doc: ArazzoId,
    workflow: &'w Workflow,
    step: Option<&'w Step>,
    condition: &Condition,
    node: Option<&crate::node::Node>,
) {
    match condition {
        Condition::Or(a, b) | Condition::And(a, b) => {
            comparisons(ctx, typer, doc, workflow, step, a, node);
            comparisons(ctx, typer, doc, workflow, step, b, node);
        }
        Condition::Not(c) => comparisons(ctx, typer, doc, workflow, step, c, node),
        Condition::Operand(_) => {}
        Condition::Compare { lhs, op, rhs } => {
            let type_of = |o: &Operand| match o {
                Operand::Expression(e) => Side::Typed(typer.type_of(doc, workflow, step, e)),
                Operand::Literal { value, .. } => Side::Literal(value.clone()),
            };
            let (l, r) = (type_of(lhs), type_of(rhs));
            let Some(why) = incomparable(&l, *op, &r).or_else(|| incomparable(&r, *op, &l)) else {
                return;
            };
            let Some(node) = node else { return };
            let range = lhs.range().start..rhs.range().end;
            ctx.push(
                Diagnostic::new(
                    Code::IncomparableTypes,
                    format!("`{lhs} {} {rhs}` can never hold", op.as_str()),
                )
                .at(span_in_string(node, range, ctx.file))
                .label(why),
            );
        }
    }
}

enum Side {
    Typed(ValueType),
    Literal(Literal),
}

/// Why `a op b` can never hold, when it cannot.
fn incomparable(a: &Side, op: CmpOp, b: &Side) -> Option<String> {
    let Side::Typed(t) = a else { return None };
    let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
    if ordering && matches!(t.ty, Type::Boolean | Type::Object | Type::Array(_)) {
        return Some(format!("{} values have no order", kind(t)));
    }
    let Side::Literal(lit) = b else { return None };
    match (&t.ty, lit) {
        (Type::Integer | Type::Number, Literal::String(s)) if s.trim().parse::<f64>().is_err() => {
            Some(format!("{} is never equal to the text '{s}'", a_kind(t)))
        }
        (Type::Integer | Type::Number, Literal::Bool(_)) | (Type::Boolean, Literal::Number(_)) => {
            Some(format!("{} is never equal to {lit}", a_kind(t)))
        }
        (Type::Boolean, Literal::String(s))
            if !s.eq_ignore_ascii_case("true") && !s.eq_ignore_ascii_case("false") =>
        {
            Some(format!("a boolean is never equal to the text '{s}'"))
        }
        (Type::Integer, Literal::Number(n)) if n.fract() != 0.0 && op == CmpOp::Eq => {
            Some(format!("an integer is never equal to {n}"))
        }
        _ => None,
    }
}

pub(super) fn a_kind(t: &ValueType) -> String {
    let k = kind(t);
    let article = if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {k}")
}

/// The JSON Schema `type` keyword of `t` (`value` for one without a provable type).
pub(super) fn kind(t: &ValueType) -> &'static str {
    match t.ty {
        Type::Integer => "integer",
        Type::Number => "number",
        Type::String => "string",
        Type::Boolean => "boolean",
        Type::Array(_) => "array",
        Type::Object => "object",
        Type::Json => "value",
    }
}
