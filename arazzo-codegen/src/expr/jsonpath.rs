//! JSONPath as real documents write it.

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
    use super::comparison_dialect;

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
