//! What compiled criteria call at run time. Conditions were parsed and checked at build time;
//! these helpers only compare values, follow pointers and run pre-compiled patterns. None of
//! them parses text or panics, whatever a server returns.
//!
//! Semantics (Arazzo 1.0.1 with the clarifications of 1.1.0):
//! - strings compare case-insensitively;
//! - a numeric string compares as a number with a number (`'200' == 200`);
//! - `x == null` holds when `x` is null or absent, `x != null` when it is present and not null;
//! - otherwise an absent or null operand makes a comparison false;
//! - values of kinds that cannot be compared are unequal and unordered.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::OnceLock;

use serde_json::Value;

/// A comparison operator of a `simple` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// `lhs op rhs` with Arazzo's comparison rules.
pub fn compare(lhs: Option<&Value>, op: Op, rhs: Option<&Value>) -> bool {
    let is_null = |v: Option<&Value>| v.is_none_or(Value::is_null);
    if is_null(lhs) || is_null(rhs) {
        return match op {
            Op::Eq => is_null(lhs) && is_null(rhs),
            Op::Ne => is_null(lhs) != is_null(rhs) && !(lhs.is_none() || rhs.is_none()),
            _ => false,
        };
    }
    let (Some(a), Some(b)) = (lhs, rhs) else {
        return false;
    };
    match op {
        Op::Eq => equal(a, b),
        Op::Ne => !equal(a, b),
        Op::Lt => order(a, b) == Some(Ordering::Less),
        Op::Le => matches!(order(a, b), Some(Ordering::Less | Ordering::Equal)),
        Op::Gt => order(a, b) == Some(Ordering::Greater),
        Op::Ge => matches!(order(a, b), Some(Ordering::Greater | Ordering::Equal)),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), _) | (_, Value::Number(_)) => {
            number(a).zip(number(b)).is_some_and(|(x, y)| x == y)
        }
        (Value::String(x), Value::String(y)) => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => caseless(x) == caseless(y),
        },
        (Value::Bool(x), Value::String(s)) | (Value::String(s), Value::Bool(x)) => {
            s.eq_ignore_ascii_case(if *x { "true" } else { "false" })
        }
        _ => a == b,
    }
}

/// The order of two values, when they have one: numbers and strings only.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(_), _) | (_, Value::Number(_)) => number(a)?.partial_cmp(&number(b)?),
        (Value::String(x), Value::String(y)) => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(caseless(x).cmp(&caseless(y))),
        },
        _ => None,
    }
}

fn caseless(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// An operand standing alone holds when it is the boolean `true` (or the text `true`).
pub fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A value as the text a `regex` criterion matches: strings as they are, other scalars as
/// written in JSON, lists and objects as compact JSON.
pub fn text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// The pattern of a `regex` criterion, compiled on first use (it was checked at build time
/// with the same engine). Generated code holds one in a `static` per criterion.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether the value's text matches; an absent value, or a pattern that cannot be
    /// compiled, never matches (a criterion that cannot be evaluated does not hold).
    pub fn matches(&self, v: Option<&Value>) -> bool {
        let compiled = self
            .compiled
            .get_or_init(|| regex::Regex::new(self.source).ok());
        match (compiled, v) {
            (Some(pattern), Some(v)) => pattern.is_match(&text(v)),
            _ => false,
        }
    }
}

/// The query of a `jsonpath` criterion (RFC 9535), compiled on first use. A query that
/// filters the root (`$[?…]`) also tests the context itself, as the Arazzo specification's
/// examples expect (`$[?count(@.pets) > 0]` against a response body); other queries select
/// from the context.
#[derive(Debug)]
pub struct JsonQuery {
    source: &'static str,
    compiled: OnceLock<Option<serde_json_path::JsonPath>>,
}

impl JsonQuery {
    pub const fn new(source: &'static str) -> Self {
        JsonQuery {
            source,
            compiled: OnceLock::new(),
        }
    }

    fn compiled(&self) -> Option<&serde_json_path::JsonPath> {
        self.compiled
            .get_or_init(|| serde_json_path::JsonPath::parse(self.source).ok())
            .as_ref()
    }

    /// What a Selector Object with this query selects: the one node it selects, or a list of
    /// the nodes when it selects several; nothing when it selects nothing.
    pub fn select(&self, v: Option<&Value>) -> Option<Value> {
        let nodes = self.compiled()?.query(v?).all();
        match nodes.as_slice() {
            [] => None,
            [one] => Some((*one).clone()),
            many => Some(Value::Array(many.iter().map(|n| (*n).clone()).collect())),
        }
    }

    /// A payload replacement whose target is this query (1.1 `targetSelectorType: jsonpath`):
    /// every node it selects in `body` becomes `value`. Nothing is added where it selects
    /// nothing; an absent value changes nothing.
    pub fn replace_all(&self, body: &mut Value, value: Option<Value>) {
        let (Some(query), Some(value)) = (self.compiled(), value) else {
            return;
        };
        let paths: Vec<Vec<String>> = query
            .query_located(body)
            .locations()
            .map(|path| {
                path.iter()
                    .map(|element| match element.as_name() {
                        Some(name) => name.to_owned(),
                        None => element.as_index().unwrap_or_default().to_string(),
                    })
                    .collect()
            })
            .collect();
        for tokens in paths {
            let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
            crate::value::replace(body, &tokens, Some(value.clone()));
        }
    }

    /// Whether the query selects something from the value.
    pub fn matches(&self, v: Option<&Value>) -> bool {
        match (self.compiled(), v) {
            (Some(query), Some(v)) => selects(query, self.source, v),
            _ => false,
        }
    }
}

/// Whether `query` (written `source`) selects something from `v`.
pub(crate) fn selects(query: &serde_json_path::JsonPath, source: &str, v: &Value) -> bool {
    if !query.query(v).is_empty() {
        return true;
    }
    source.starts_with("$[?") && !query.query(&Value::Array(vec![v.clone()])).is_empty()
}

/// Follows RFC 6901 reference tokens (already unescaped) into a value.
pub fn pointer<'v>(mut v: &'v Value, tokens: &[&str]) -> Option<&'v Value> {
    for token in tokens {
        v = match v {
            Value::Object(map) => map.get(*token)?,
            Value::Array(items) => {
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cmp(a: Value, op: Op, b: Value) -> bool {
        compare(Some(&a), op, Some(&b))
    }

    #[test]
    fn strings_compare_case_insensitively() {
        assert!(cmp(json!("Closed"), Op::Eq, json!("closed")));
        assert!(!cmp(json!("open"), Op::Eq, json!("closed")));
        assert!(cmp(json!("open"), Op::Ne, json!("closed")));
        assert!(cmp(json!("apple"), Op::Lt, json!("Banana")));
    }

    #[test]
    fn numeric_strings_compare_as_numbers() {
        assert!(cmp(json!("200"), Op::Eq, json!(200)));
        assert!(cmp(json!(201), Op::Eq, json!("201.0")));
        assert!(cmp(json!("10"), Op::Gt, json!("9")));
        assert!(cmp(json!(2.5), Op::Ge, json!(2)));
        assert!(!cmp(json!("abc"), Op::Eq, json!(1)));
        assert!(!cmp(json!("abc"), Op::Lt, json!(1)));
    }

    #[test]
    fn null_equals_only_null() {
        assert!(compare(None, Op::Eq, Some(&Value::Null)));
        assert!(cmp(Value::Null, Op::Eq, Value::Null));
        assert!(!cmp(json!(0), Op::Eq, Value::Null));
        assert!(cmp(json!("x"), Op::Ne, Value::Null));
        assert!(!compare(None, Op::Ne, Some(&Value::Null)));
        assert!(!cmp(Value::Null, Op::Lt, json!(1)));
    }

    #[test]
    fn absent_operands_make_comparisons_false() {
        assert!(!compare(None, Op::Eq, Some(&json!(1))));
        assert!(!compare(None, Op::Ne, Some(&json!(1))));
        assert!(!compare(Some(&json!(1)), Op::Gt, None));
    }

    #[test]
    fn booleans_and_structures() {
        assert!(cmp(json!(true), Op::Eq, json!(true)));
        assert!(cmp(json!(true), Op::Eq, json!("TRUE")));
        assert!(cmp(json!(true), Op::Ne, json!(false)));
        assert!(!cmp(json!(true), Op::Gt, json!(false)));
        assert!(cmp(json!([1, 2]), Op::Eq, json!([1, 2])));
        assert!(cmp(json!({"a": 1}), Op::Ne, json!({"a": 2})));
        assert!(!cmp(json!([1]), Op::Lt, json!([2])));
        assert!(!cmp(json!(true), Op::Eq, json!(1)));
        assert!(cmp(json!(true), Op::Ne, json!(1)));
    }

    #[test]
    fn truthiness_is_true_only() {
        assert!(is_true(Some(&json!(true))));
        assert!(is_true(Some(&json!("True"))));
        assert!(!is_true(Some(&json!(1))));
        assert!(!is_true(None));
    }

    #[test]
    fn patterns_match_values_as_text() {
        static TWO_XX: Pattern = Pattern::new(r"^2\d\d$");
        assert!(TWO_XX.matches(Some(&json!(201))));
        assert!(!TWO_XX.matches(Some(&json!(404))));
        assert!(!TWO_XX.matches(None));
        assert!(Pattern::new("sold").matches(Some(&json!({"status": "sold"}))));
        // Cannot be evaluated: does not hold, never panics.
        assert!(!Pattern::new("(").matches(Some(&json!("("))));
    }

    #[test]
    fn jsonpath_root_filters_test_the_context_itself() {
        let body = json!({"pets": [{"name": "Rex"}], "state": "open"});
        let holds = |q: &'static str, v: Option<&Value>| JsonQuery::new(q).matches(v);
        assert!(holds("$[?count(@.pets) > 0]", Some(&body)));
        assert!(holds("$[?@.state != 'closed']", Some(&body)));
        assert!(!holds("$[?@.state == 'closed']", Some(&body)));
        assert!(holds("$.pets[?@.name == 'Rex']", Some(&body)));
        assert!(!holds("$.owners", Some(&body)));
        assert!(!holds("$.pets", None));
        assert!(!holds("$[", Some(&body)));
    }

    #[test]
    fn pointers_never_panic() {
        let v = json!({"a": [{"b": 1}], "c~d": {"e/f": 2}});
        assert_eq!(pointer(&v, &["a", "0", "b"]), Some(&json!(1)));
        assert_eq!(pointer(&v, &["c~d", "e/f"]), Some(&json!(2)));
        assert_eq!(pointer(&v, &["a", "01"]), None);
        assert_eq!(pointer(&v, &["a", "9"]), None);
        assert_eq!(pointer(&v, &["a", "0", "b", "x"]), None);
        assert_eq!(pointer(&v, &[]), Some(&v));
    }
}
