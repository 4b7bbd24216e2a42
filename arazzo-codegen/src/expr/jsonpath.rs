//! JSONPath as real documents write it.

use crate::model::{Criterion, CriterionType};

/// The Expression Type Object's name for Goessner's original JSONPath.
pub const GOESSNER: &str = "draft-goessner-dispatch-jsonpath-00";

/// A `jsonpath` criterion's query in RFC 9535 syntax (Goessner's form rewritten).
pub fn criterion_query(criterion: &Criterion) -> String {
    let query = criterion.condition.value.trim();
    match &criterion.kind.value {
        CriterionType::JsonPath { version: Some(v) } if v.value == GOESSNER => from_goessner(query),
        _ => query.to_owned(),
    }
}

/// Goessner's JSONPath in RFC 9535's syntax: its script index `[(@.length-N)]` is the negative
/// index `[-N]`; filters `[?(…)]` are RFC 9535 already. Everything else reads the same.
pub fn from_goessner(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut rest = query;
    while let Some(at) = rest.find("(@.length-") {
        let after = rest.get(at + "(@.length-".len()..).unwrap_or_default();
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let closes = after
            .get(digits.len()..)
            .is_some_and(|r| r.starts_with(')'));
        if digits.is_empty() || !closes {
            out.push_str(rest.get(..at + 1).unwrap_or_default());
            rest = rest.get(at + 1..).unwrap_or_default();
            continue;
        }
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push('-');
        out.push_str(&digits);
        rest = after.get(digits.len() + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The JSON pointer tokens of a query that names one node by member names and non-negative
/// indexes (`$.user['e-mail'][0]`): such a selector is a pointer, typed by the schema and
/// read without a query engine. `None` for anything else.
pub fn singular_pointer(query: &str) -> Option<Vec<String>> {
    let mut rest = query.trim().strip_prefix('$')?;
    let mut tokens = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            rest = after.get(name.len()..)?;
            tokens.push(name);
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inside = after.get(..end)?.trim();
            let token = match inside.chars().next()? {
                quote @ ('\'' | '"') => {
                    let text = inside.strip_prefix(quote)?.strip_suffix(quote)?;
                    if text.contains(['\\', '\'', '"']) {
                        return None;
                    }
                    text.to_owned()
                }
                c if c.is_ascii_digit() => {
                    let index: usize = inside.parse().ok()?;
                    index.to_string()
                }
                _ => return None,
            };
            rest = after.get(end + 1..)?;
            tokens.push(token);
        } else {
            return None;
        }
    }
    Some(tokens)
}

/// `$.state != "closed"` → `$[?@.state != 'closed']`: the comparison dialect real documents use.
pub fn comparison_dialect(query: &str) -> Option<String> {
    let rest = query.strip_prefix('$')?;
    let ops = ["==", "!=", "<=", ">=", "<", ">"];
    let (at, op) = ops
        .iter()
        .filter_map(|op| rest.find(op).map(|i| (i, *op)))
        .min_by_key(|(i, op)| (*i, std::cmp::Reverse(op.len())))?;
    let path = rest.get(..at)?.trim();
    let value = rest.get(at + op.len()..)?.trim();
    if !path.is_empty() && !path.starts_with(['.', '[']) {
        return None;
    }
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => format!("'{}'", inner.replace('\'', "\\'")),
        None => value.to_owned(),
    };
    let fixed = format!("$[?@{path} {op} {value}]");
    serde_json_path::JsonPath::parse(&fixed).ok().map(|_| fixed)
}

#[cfg(test)]
mod tests {
    use super::{comparison_dialect, from_goessner, singular_pointer};

    #[test]
    fn goessner_script_indexes_become_negative_indexes() {
        assert_eq!(from_goessner("$..book[(@.length-1)]"), "$..book[-1]");
        assert_eq!(
            from_goessner("$.a[?(@.price < 10)]"),
            "$.a[?(@.price < 10)]"
        );
        assert_eq!(from_goessner("$.a[(@.length-x)]"), "$.a[(@.length-x)]");
    }

    #[test]
    fn singular_queries_are_pointers() {
        let tokens = |q: &str| singular_pointer(q).map(|t| t.join("/"));
        assert_eq!(
            tokens("$.user.profile.email").as_deref(),
            Some("user/profile/email")
        );
        assert_eq!(tokens("$['e-mail'][0]").as_deref(), Some("e-mail/0"));
        assert_eq!(tokens("$").as_deref(), Some(""));
        assert_eq!(tokens("$.items[*].id"), None);
        assert_eq!(tokens("$.items[-1]"), None);
        assert_eq!(tokens("$..id"), None);
    }

    #[test]
    fn comparisons_become_filters() {
        assert_eq!(
            comparison_dialect(r#"$.state != "closed""#).as_deref(),
            Some("$[?@.state != 'closed']")
        );
        assert_eq!(
            comparison_dialect("$.valid == true").as_deref(),
            Some("$[?@.valid == true]")
        );
        assert_eq!(
            comparison_dialect("$.name == 'Orca'").as_deref(),
            Some("$[?@.name == 'Orca']")
        );
        assert_eq!(
            comparison_dialect("$.count >= 2").as_deref(),
            Some("$[?@.count >= 2]")
        );
        assert_eq!(comparison_dialect("$.pets[0]"), None);
    }
}
