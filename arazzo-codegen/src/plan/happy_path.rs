//! The mock's default answers, chosen so that each step's success criteria hold where they can
//! be read: the status a `$statusCode == N` pins, and in the body the values that simple
//! comparisons, `jsonpath` filters and `regex` patterns on `$response.body` ask for. A mock that
//! answers a polling step's first request with what ends the polling runs the happy path at
//! once, where a schema's first `enum` value kept it waiting.
//!
//! Every criterion is read, none is guaranteed: one the answer cannot be made to meet (a
//! comparison with another step's output, a query the shape rules out) leaves the answer as the
//! description gives it. The work is bounded by the criteria's size: each is read once and a
//! `jsonpath` one is tried on at most three candidate bodies.

use serde_json::Value as Json;

use crate::expr::jsonpath::{GOESSNER, from_goessner};
use crate::expr::{
    CmpOp, Condition, Expression, Literal, Operand, Part, Root, Segment, StringValue,
};
use crate::model::{CriterionType, Step};

/// Changes `body` so that the criteria of `step` on the response body hold where they can.
pub fn satisfy(step: &Step, body: &mut Json) {
    for criterion in &step.success_criteria {
        crate::work::add(1);
        // Where in the body a `jsonpath` or `regex` criterion looks: its context's pointer.
        let context = criterion
            .context
            .as_ref()
            .and_then(|c| body_pointer(&c.value));
        match (&criterion.kind.value, context) {
            (CriterionType::Simple, _) if criterion.context.is_none() => {
                if let Ok(parsed) = crate::expr::condition::condition(&criterion.condition.value) {
                    simple(&parsed.condition, body);
                }
            }
            (CriterionType::JsonPath { version }, Some(tokens)) => {
                let text = criterion.condition.value.trim();
                let query = match version.as_ref().map(|v| v.value.as_str()) {
                    Some(GOESSNER) => from_goessner(text),
                    _ => text.to_owned(),
                };
                if let Ok(query) = serde_json_path::JsonPath::parse(&query) {
                    jsonpath(&query, &criterion.condition.value, &tokens, body);
                }
            }
            (CriterionType::Regex, Some(tokens)) => {
                let Ok(pattern) = regex::Regex::new(&criterion.condition.value) else {
                    continue;
                };
                let holds = |v: &Json| v.as_str().is_some_and(|s| pattern.is_match(s));
                if get(body, &tokens).is_some_and(holds) {
                    continue;
                }
                if let Some(text) = matching(&criterion.condition.value)
                    && pattern.is_match(&text)
                {
                    set(body, &tokens, Json::String(text));
                }
            }
            _ => {}
        }
    }
}

/// The tokens of `$response.body#/a/b` (or `.a.b`), when `context` names the response body.
fn body_pointer(context: &str) -> Option<Vec<String>> {
    match crate::expr::string_value(context).ok()? {
        StringValue::Expression(e) => tokens(&e),
        _ => None,
    }
}

fn tokens(e: &Expression) -> Option<Vec<String>> {
    if !matches!(
        e.root,
        Root::Response {
            part: Part::Body,
            ..
        }
    ) {
        return None;
    }
    let mut out: Vec<String> = e
        .pointer
        .as_ref()
        .map(|p| p.tokens.clone())
        .unwrap_or_default();
    out.extend(e.path.iter().map(|s| match s {
        Segment::Member(m) => m.clone(),
        Segment::Index(i) => i.to_string(),
    }));
    Some(out)
}

/// A simple condition: each conjunct that compares the body with a literal is made to hold; of
/// a disjunction, the first side.
fn simple(c: &Condition, body: &mut Json) {
    crate::work::add(1);
    match c {
        Condition::And(a, b) => {
            simple(a, body);
            simple(b, body);
        }
        Condition::Or(a, _) => simple(a, body),
        Condition::Operand(Operand::Expression(e)) => {
            if let Some(at) = tokens(e) {
                set(body, &at, Json::Bool(true));
            }
        }
        Condition::Compare { lhs, op, rhs } => {
            let (at, op, literal) = match (lhs, rhs) {
                (Operand::Expression(e), Operand::Literal { value, .. }) => (tokens(e), *op, value),
                (Operand::Literal { value, .. }, Operand::Expression(e)) => {
                    (tokens(e), flipped(*op), value)
                }
                _ => return,
            };
            let (Some(at), Some(value)) = (at, meeting(op, literal)) else {
                return;
            };
            set(body, &at, value);
        }
        Condition::Not(_) | Condition::Operand(_) => {}
    }
}

fn flipped(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// A value `op literal` holds for.
fn meeting(op: CmpOp, literal: &Literal) -> Option<Json> {
    let value = match literal {
        Literal::Null => Json::Null,
        Literal::Bool(b) => Json::Bool(*b),
        Literal::Number(n) => serde_json::Number::from_f64(*n).map(Json::Number)?,
        Literal::String(s) => Json::String(s.clone()),
    };
    let shifted = |by: f64| match literal {
        Literal::Number(n) => serde_json::Number::from_f64(n + by).map(Json::Number),
        _ => None,
    };
    match op {
        CmpOp::Eq | CmpOp::Le | CmpOp::Ge => Some(integral(value)),
        CmpOp::Gt => shifted(1.0).map(integral),
        CmpOp::Lt => shifted(-1.0).map(integral),
        CmpOp::Ne => None,
    }
}

/// `3.0` as `3`: the way a server writes a whole number.
fn integral(value: Json) -> Json {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => Json::from(n as i64),
        _ => value,
    }
}

/// A `jsonpath` criterion holds when its query selects something in the body at `at`: tried as
/// the description gives it, then with the filter's comparison written into the first item of a
/// list, into the value itself, or into each member of an object.
fn jsonpath(query: &serde_json_path::JsonPath, text: &str, at: &[String], body: &mut Json) {
    let holds = |body: &Json| get(body, at).is_some_and(|v| !query.query(v).is_empty());
    if holds(body) {
        return;
    }
    let Some((path, value)) = filter_comparison(text) else {
        return;
    };
    let mut candidates: Vec<Vec<String>> = Vec::new();
    match get(body, at) {
        Some(Json::Array(_)) | None => candidates.push(at_then(at, "0", &path)),
        Some(Json::Object(map)) => {
            candidates.push(at_then(at, "", &path));
            candidates.extend(map.keys().take(1).map(|k| at_then(at, k, &path)));
        }
        Some(_) => {}
    }
    for tokens in candidates {
        let mut tried = body.clone();
        set(&mut tried, &tokens, value.clone());
        if holds(&tried) {
            *body = tried;
            return;
        }
    }
}

fn at_then(at: &[String], middle: &str, path: &[String]) -> Vec<String> {
    let mut out = at.to_vec();
    if !middle.is_empty() {
        out.push(middle.to_owned());
    }
    out.extend(path.iter().cloned());
    out
}

/// `@.a.b == 'x'` in a filter (`$[?@.a.b == 'x']`, `$[?(@.a.b == "x")]`): the member path and
/// the value compared with.
fn filter_comparison(text: &str) -> Option<(Vec<String>, Json)> {
    let (_, rest) = text.split_once("@.")?;
    let (path, rest) = rest.split_once("==")?;
    let path: Vec<String> = path.trim().split('.').map(str::to_owned).collect();
    if path.iter().any(|p| {
        p.is_empty()
            || !p
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    }) {
        return None;
    }
    let rest = rest.trim_start();
    let value = match rest.chars().next()? {
        quote @ ('\'' | '"') => {
            let inner = rest.get(1..)?;
            Json::String(inner.get(..inner.find(quote)?)?.to_owned())
        }
        _ => {
            let end = rest.find([')', ']', '&', '|', ' ']).unwrap_or(rest.len());
            serde_json::from_str(rest.get(..end)?.trim()).ok()?
        }
    };
    Some((path, value))
}

/// The value at `tokens` in `body`.
fn get<'j>(body: &'j Json, tokens: &[String]) -> Option<&'j Json> {
    tokens.iter().try_fold(body, |at, token| match at {
        Json::Object(map) => map.get(token),
        Json::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Writes `value` at `tokens`, making the objects (and a list's next item) on the way; leaves
/// `body` as it is where a scalar or a list's far index is in the way.
fn set(body: &mut Json, tokens: &[String], value: Json) {
    let Some((last, parents)) = tokens.split_last() else {
        *body = value;
        return;
    };
    let mut at = body;
    for token in parents {
        crate::work::add(1);
        if at.is_null() {
            *at = Json::Object(serde_json::Map::new());
        }
        at = match at {
            Json::Object(map) => map
                .entry(token.clone())
                .or_insert_with(|| Json::Object(serde_json::Map::new())),
            Json::Array(items) => {
                let Ok(i) = token.parse::<usize>() else {
                    return;
                };
                if i == items.len() {
                    items.push(Json::Object(serde_json::Map::new()));
                }
                let Some(item) = items.get_mut(i) else { return };
                item
            }
            _ => return,
        };
    }
    if at.is_null() {
        *at = Json::Object(serde_json::Map::new());
    }
    match at {
        Json::Object(map) => {
            map.insert(last.clone(), value);
        }
        Json::Array(items) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                if let Some(item) = items.get_mut(i) {
                    *item = value;
                }
            }
            Ok(i) if i == items.len() => items.push(value),
            _ => {}
        },
        _ => {}
    }
}

/// A short string the pattern matches: the first of each alternation, the fewest repetitions
/// (one where none would leave the string empty), the first character of each class. `None`
/// for patterns with look-around or that cannot be parsed.
fn matching(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    write_match(&hir, &mut out, 0).then_some(out)
}

fn write_match(hir: &regex_syntax::hir::Hir, out: &mut String, depth: usize) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    crate::work::add(1);
    if depth > 64 || out.len() > 4096 {
        return false;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(class)) => match class.ranges().first() {
            Some(range) => {
                out.push(range.start());
                true
            }
            None => false,
        },
        HirKind::Class(Class::Bytes(class)) => match class.ranges().first() {
            Some(range) if range.start().is_ascii() => {
                out.push(char::from(range.start()));
                true
            }
            _ => false,
        },
        HirKind::Repetition(rep) => {
            // As few as the pattern allows, at least one; a count past the string's bound is
            // not written.
            let times = rep.min.max(1);
            times <= 4096 && (0..times).all(|_| write_match(&rep.sub, out, depth + 1))
        }
        HirKind::Capture(capture) => write_match(&capture.sub, out, depth + 1),
        HirKind::Concat(parts) => parts.iter().all(|p| write_match(p, out, depth + 1)),
        HirKind::Alternation(branches) => branches
            .first()
            .is_some_and(|b| write_match(b, out, depth + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_get_a_string_they_match() {
        for pattern in [
            r"^completed$",
            r"^(done|ready)$",
            r"^sk-[a-z0-9]{8}$",
            r"\d+ items",
            r"^$",
        ] {
            let text = matching(pattern).unwrap_or_else(|| panic!("{pattern}"));
            assert!(
                regex::Regex::new(pattern).is_ok_and(|r| r.is_match(&text)),
                "{pattern}: {text}"
            );
        }
    }

    #[test]
    fn filters_say_what_they_compare() {
        assert_eq!(
            filter_comparison("$[?@.status == 'completed']"),
            Some((vec!["status".to_owned()], Json::from("completed")))
        );
        assert_eq!(
            filter_comparison(r#"$[?(@.job.done == true)]"#),
            Some((vec!["job".to_owned(), "done".to_owned()], Json::Bool(true)))
        );
        assert_eq!(filter_comparison("$.items[*]"), None);
    }
}
