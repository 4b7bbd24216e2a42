//! Reading values for expressions: pointers into JSON, templates, text forms.

use serde_json::Value;

/// The value at `tokens` inside `root`, cloned.
pub fn read(root: Option<&Value>, tokens: &[&str]) -> Option<Value> {
    root.and_then(|v| crate::criteria::pointer(v, tokens))
        .cloned()
}

/// One part of a `{$…}` template.
pub enum Part<'a> {
    Text(&'a str),
    Value(Option<Value>),
}

/// A template's text: scalars as their text, lists and objects as JSON, absent values as nothing.
pub fn template(parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Value(Some(v)) => out.push_str(&crate::criteria::text(v)),
            Part::Value(None) => {}
        }
    }
    out
}

/// A scalar's text for parameters: strings as they are, numbers and booleans as written,
/// `null` as nothing.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        Value::Array(_) | Value::Object(_) => Some(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_interpolate_scalars_as_text_and_structures_as_json() {
        let text = template(&[
            Part::Text("id="),
            Part::Value(Some(json!(42))),
            Part::Text(" name="),
            Part::Value(Some(json!("Rex"))),
            Part::Text(" tags="),
            Part::Value(Some(json!(["a", "b"]))),
            Part::Text(" gone="),
            Part::Value(None),
        ]);
        assert_eq!(text, r#"id=42 name=Rex tags=["a","b"] gone="#);
    }

    #[test]
    fn reads_clone_what_a_pointer_finds() {
        let v = json!({"a": {"b": [1, 2]}});
        assert_eq!(read(Some(&v), &["a", "b", "1"]), Some(json!(2)));
        assert_eq!(read(Some(&v), &["a", "x"]), None);
        assert_eq!(read(None, &[]), None);
    }
}
