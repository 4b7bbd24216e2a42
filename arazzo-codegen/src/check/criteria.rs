//! `regex`, `jsonpath` and `xpath` criteria: compiled at build time, so a broken pattern or query
//! is a located error instead of a failure at run time (XPath where this build has the engine).

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::embedded::{Language, embedded, with_stand_ins};
use crate::expr::jsonpath::comparison_dialect;
use crate::expr::jsonpath::criterion_query;
use crate::model::{ArazzoVersion, Criterion};
use crate::node::span_in_string;

pub fn regex(ctx: &mut Ctx<'_>, criterion: &Criterion) {
    if embedded_query(ctx, criterion, Language::Regex) {
        return;
    }
    let pattern = &criterion.condition.value;
    if let Err(e) = regex::Regex::new(pattern) {
        let detail = match &e {
            regex::Error::Syntax(text) => text
                .lines()
                .last()
                .unwrap_or(text)
                .trim_start_matches("error: ")
                .to_owned(),
            other => other.to_string(),
        };
        let mut d = Diagnostic::new(
            Code::InvalidRegex,
            format!("invalid regular expression: {detail}"),
        )
        .at(criterion.condition_node.span)
        .label("this pattern");
        if pattern.contains("(?=")
            || pattern.contains("(?!")
            || pattern.contains("(?<")
            || has_backreference(pattern)
        {
            d = d.note("patterns run on the `regex` crate, which has no look-around or backreferences, so matching always takes linear time");
        }
        ctx.push(d);
    }
}

/// A condition with embedded runtime expressions (1.1): its structure, with a stand-in value
/// in each slot, must compile. Returns whether the condition has any (and was checked here).
fn embedded_query(ctx: &mut Ctx<'_>, criterion: &Criterion, language: Language) -> bool {
    if ctx.document.version < ArazzoVersion::V1_1 {
        return false;
    }
    let text = match language {
        Language::JsonPath => criterion_query(criterion),
        Language::Regex | Language::XPath => criterion.condition.value.clone(),
    };
    let parts = match embedded(&text, language) {
        Ok(Some(parts)) => parts,
        Ok(None) => return false,
        // Reported with the condition's other expressions.
        Err(_) => return true,
    };
    let query = with_stand_ins(&parts);
    let problem = match language {
        Language::Regex => regex::Regex::new(&query)
            .err()
            .map(|e| (Code::InvalidRegex, e.to_string())),
        Language::JsonPath => serde_json_path::JsonPath::parse(&query)
            .err()
            .map(|e| (Code::InvalidJsonPath, e.message().to_owned())),
        Language::XPath => crate::expr::xpath::check(&query)
            .err()
            .map(|e| (Code::InvalidXPath, e.message)),
    };
    if let Some((code, detail)) = problem {
        let detail = detail
            .lines()
            .last()
            .unwrap_or(&detail)
            .trim_start_matches("error: ")
            .to_owned();
        ctx.push(
            Diagnostic::new(code, format!("the condition does not compile with values in place of its expressions: {detail}"))
                .at(criterion.condition_node.span)
                .label(format!("checked as `{query}`"))
                .note("each `{$…}` is written into the query as a literal (or inside the string it sits in), never as query syntax"),
        );
    }
    true
}

fn has_backreference(pattern: &str) -> bool {
    pattern
        .as_bytes()
        .windows(2)
        .any(|w| w.first() == Some(&b'\\') && w.get(1).is_some_and(|b| (b'1'..=b'9').contains(b)))
}

pub fn jsonpath(ctx: &mut Ctx<'_>, criterion: &Criterion) {
    if embedded_query(ctx, criterion, Language::JsonPath) {
        return;
    }
    let query = criterion_query(criterion);
    let query = query.as_str();
    let Err(e) = serde_json_path::JsonPath::parse(query) else {
        return;
    };
    let rewritten = comparison_dialect(query);
    if let Some(fixed) = &rewritten
        && ctx.settings.lenient_jsonpath()
    {
        if ctx.settings.jsonpath_dialect != crate::settings::JsonPathDialect::Lenient {
            // Accepted only through lenient compatibility: say what it was read as.
            ctx.push(
                Diagnostic::new(
                    Code::RunnerShorthand,
                    format!("`{query}` is a bare comparison, not an RFC 9535 JSONPath query"),
                )
                .at(criterion.condition_node.span)
                .label(format!("read as `{fixed}`"))
                .help(format!(
                    "write `{fixed}` so that every Arazzo tool reads it the same way"
                )),
            );
        }
        return;
    }
    let node = &criterion.condition_node;
    let d = match rewritten {
        Some(fixed) => Diagnostic::new(Code::InvalidJsonPath, "a bare comparison is not an RFC 9535 JSONPath query")
            .at(node.span)
            .label("comparison without a filter")
            .note("RFC 9535 compares only inside a filter `[?…]`, which tests the context itself here")
            .help(format!("write `{fixed}`, or accept this dialect with the lenient JSONPath setting (`--jsonpath-dialect lenient`)")),
        None => {
            // The query was trimmed; map the parser's position back into the string.
            let lead = criterion.condition.value.len() - criterion.condition.value.trim_start().len();
            let at = lead + e.position();
            Diagnostic::new(Code::InvalidJsonPath, format!("invalid RFC 9535 JSONPath query: {}", e.message()))
                .at(span_in_string(node, at..at + 1, ctx.file))
                .label("the query stops making sense here")
                .note("JSONPath criteria follow RFC 9535, e.g. `$.pets[?@.status == 'sold']`")
        }
    };
    ctx.push(d);
}

/// A `jsonpointer` criterion (1.1, through an Expression Type Object) passes when the pointer
/// names a value in the context.
pub fn jsonpointer(ctx: &mut Ctx<'_>, criterion: &Criterion) {
    if let Err(e) = crate::node::pointer::parse(&criterion.condition.value) {
        ctx.push(
            Diagnostic::new(
                Code::InvalidJsonPointer,
                format!("invalid JSON pointer: {e}"),
            )
            .at(criterion.condition_node.span)
            .label("this pointer")
            .note("a JSON pointer is empty or a series of `/token`s, e.g. `/data/0/id`")
            .help_opt(
                (!criterion.condition.value.starts_with('/'))
                    .then(|| format!("write `/{}`", criterion.condition.value)),
            ),
        );
    }
}

/// An `xpath` criterion: compiled by the engine the runtime uses, where this build has it.
pub fn xpath(ctx: &mut Ctx<'_>, criterion: &Criterion) {
    ctx.xpath_seen(criterion.condition_node.span);
    if embedded_query(ctx, criterion, Language::XPath) {
        return;
    }
    if let Err(e) = crate::expr::xpath::check(&criterion.condition.value) {
        let node = &criterion.condition_node;
        let span = e.span.map_or(node.span, |r| {
            span_in_string(node, r.start..r.end.max(r.start + 1), ctx.file)
        });
        ctx.push(
            Diagnostic::new(Code::InvalidXPath, format!("invalid XPath expression: {}", e.message))
                .at(span)
                .label("the expression stops compiling here")
                .note("XPath criteria are compiled as XPath 3.1 whatever version they name, e.g. `/order/status = 'shipped'`"),
        );
    }
}
