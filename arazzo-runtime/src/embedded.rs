//! Conditions with runtime expressions embedded in their query (Arazzo 1.1): each value is
//! written as the place it takes in the query requires (escaped inside a string literal, a
//! literal of its own where one goes, literal text in a regex), so no value can change the
//! query's structure. The query is then compiled by its engine; one that cannot be compiled
//! or run does not hold, and the run goes on.

use serde_json::Value;

use crate::criteria::text;

/// How an embedded value is written into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Literal text of a regular expression.
    Regex,
    /// Inside a JSONPath string literal opened by this quote.
    JsonPathString(char),
    /// Where a JSONPath literal goes: a number, `true`, `null`, a quoted string.
    JsonPathLiteral,
    /// Inside an XPath string literal opened by this quote.
    XPathString(char),
    /// Where an XPath literal goes: a number, `true()`, a quoted string, `()` for nothing.
    XPathLiteral,
}

/// Writes `v` as `escape` says; `false` when it cannot be written there (a list or object
/// where a literal goes).
pub fn write(v: Option<&Value>, escape: Escape, out: &mut String) -> bool {
    match (escape, v) {
        (Escape::Regex, Some(v)) => out.push_str(&regex::escape(&text(v))),
        (Escape::JsonPathString(q), Some(v)) => json_string_body(&text(v), q, out),
        (Escape::XPathString(q), Some(v)) => {
            let doubled: String = [q, q].iter().collect();
            out.push_str(&text(v).replace(q, &doubled));
        }
        (Escape::Regex | Escape::JsonPathString(_) | Escape::XPathString(_), None) => {}
        (Escape::JsonPathLiteral, None | Some(Value::Null)) => out.push_str("null"),
        (Escape::JsonPathLiteral, Some(Value::String(s))) => {
            out.push('\'');
            json_string_body(s, '\'', out);
            out.push('\'');
        }
        (Escape::JsonPathLiteral, Some(v @ (Value::Bool(_) | Value::Number(_)))) => {
            out.push_str(&v.to_string());
        }
        (Escape::XPathLiteral, None | Some(Value::Null)) => out.push_str("()"),
        (Escape::XPathLiteral, Some(Value::String(s))) => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        (Escape::XPathLiteral, Some(Value::Bool(b))) => {
            out.push_str(if *b { "true()" } else { "false()" });
        }
        (Escape::XPathLiteral, Some(v @ Value::Number(_))) => out.push_str(&v.to_string()),
        (
            Escape::JsonPathLiteral | Escape::XPathLiteral,
            Some(Value::Array(_) | Value::Object(_)),
        ) => {
            return false;
        }
    }
    true
}

/// The inside of a JSONPath (RFC 9535) string literal quoted with `quote`.
fn json_string_body(s: &str, quote: char, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
}

/// Whether a `regex` condition built at run time matches the value's text.
pub fn regex_matches(pattern: Option<String>, v: Option<&Value>) -> bool {
    let (Some(pattern), Some(v)) = (pattern, v) else {
        return false;
    };
    match regex::Regex::new(&pattern) {
        Ok(re) => re.is_match(&text(v)),
        Err(e) => {
            tracing::warn!(pattern, error = %e, "a regex condition could not be compiled; it does not hold");
            false
        }
    }
}

/// Whether a `jsonpath` condition built at run time selects something from the value.
pub fn jsonpath_matches(query: Option<String>, v: Option<&Value>) -> bool {
    let (Some(query), Some(v)) = (query, v) else {
        return false;
    };
    match serde_json_path::JsonPath::parse(&query) {
        Ok(compiled) => crate::criteria::selects(&compiled, &query, v),
        Err(e) => {
            tracing::warn!(query, error = %e, "a jsonpath condition could not be compiled; it does not hold");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(v: Value, escape: Escape) -> Option<String> {
        let mut out = String::new();
        write(Some(&v), escape, &mut out).then_some(out)
    }

    #[test]
    fn values_cannot_leave_their_place_in_the_query() {
        assert_eq!(
            written(json!("a.b|c"), Escape::Regex).as_deref(),
            Some("a\\.b\\|c")
        );
        assert_eq!(
            written(json!("x\"] || @.y == \"1"), Escape::JsonPathString('"')).as_deref(),
            Some("x\\\"] || @.y == \\\"1")
        );
        assert_eq!(
            written(json!("it's"), Escape::JsonPathLiteral).as_deref(),
            Some("'it\\'s'")
        );
        assert_eq!(
            written(json!(10), Escape::JsonPathLiteral).as_deref(),
            Some("10")
        );
        assert_eq!(written(json!([1]), Escape::JsonPathLiteral), None);
        assert_eq!(
            written(json!("it's"), Escape::XPathString('\'')).as_deref(),
            Some("it''s")
        );
        assert_eq!(
            written(json!("a' or '1'='1"), Escape::XPathLiteral).as_deref(),
            Some("'a'' or ''1''=''1'")
        );
        assert_eq!(
            written(json!(true), Escape::XPathLiteral).as_deref(),
            Some("true()")
        );
    }

    #[test]
    fn a_condition_that_cannot_be_evaluated_does_not_hold() {
        let body = json!({"items": [{"status": "open"}]});
        assert!(jsonpath_matches(
            Some("$.items[?@.status == 'open']".to_owned()),
            Some(&body)
        ));
        assert!(!jsonpath_matches(
            Some("$.items[?@.status ==".to_owned()),
            Some(&body)
        ));
        assert!(!regex_matches(Some("(".to_owned()), Some(&json!("x"))));
        assert!(!regex_matches(None, Some(&json!("x"))));
    }
}
