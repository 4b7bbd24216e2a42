//! Reading values for expressions: pointers into JSON, templates, text forms.

use serde_json::Value;

/// The value at `tokens` inside `root`, cloned.
pub fn read(root: Option<&Value>, tokens: &[&str]) -> Option<Value> {
    at(root, tokens).cloned()
}

/// The value at `tokens` inside `root`, where it is.
pub fn at<'v>(root: Option<&'v Value>, tokens: &[&str]) -> Option<&'v Value> {
    root.and_then(|v| crate::criteria::pointer(v, tokens))
}

/// One part of a `{$…}` template: text, or a value read where it is.
pub enum Part<'a> {
    Text(&'a str),
    Value(Option<&'a Value>),
    /// A value inside a form-urlencoded query string: encoded, so it cannot add a pair.
    Form(Option<&'a Value>),
    /// A value embedded in a condition's query (1.1), written as its place there requires.
    Escaped(Option<&'a Value>, crate::embedded::Escape),
}

/// A template as the string value it makes.
pub fn text(parts: &[Part<'_>]) -> Value {
    Value::String(template(parts))
}

/// A template's text: scalars as their text, lists and objects as JSON, absent values as nothing.
pub fn template(parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Value(Some(v)) => out.push_str(&crate::criteria::text(v)),
            Part::Form(Some(v)) => {
                out.extend(url::form_urlencoded::byte_serialize(
                    crate::criteria::text(v).as_bytes(),
                ));
            }
            Part::Escaped(v, escape) => {
                crate::embedded::write(*v, *escape, &mut out);
            }
            Part::Value(None) | Part::Form(None) => {}
        }
    }
    out
}

/// A condition's query with its embedded values written in; `None` when a value cannot be
/// written where it is (the condition then does not hold).
pub fn condition_text(parts: &[Part<'_>]) -> Option<String> {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Escaped(v, escape) => {
                if !crate::embedded::write(*v, *escape, &mut out) {
                    return None;
                }
            }
            Part::Text(t) => out.push_str(t),
            other => out.push_str(&template(std::slice::from_ref(other))),
        }
    }
    Some(out)
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

/// One typed input as JSON, for expressions to read; `None` when it is absent (or null).
pub fn field<T: serde::Serialize>(input: &T) -> Option<Value> {
    serde_json::to_value(input).ok().filter(|v| !v.is_null())
}

/// A workflow's typed input as JSON, for expressions to read.
pub fn inputs<T: serde::Serialize>(input: &T) -> Value {
    serde_json::to_value(input).unwrap_or(Value::Null)
}

/// The members of `inputs` named in `names`: the inputs a workflow passes on by name to the
/// workflows it depends on or runs.
pub fn pick(inputs: &Value, names: &[&str]) -> Value {
    let mut picked = serde_json::Map::new();
    if let Value::Object(map) = inputs {
        for name in names {
            if let Some(v) = map.get(*name) {
                picked.insert((*name).to_owned(), v.clone());
            }
        }
    }
    Value::Object(picked)
}

/// A workflow output converted to its declared type.
pub fn output<T: serde::de::DeserializeOwned>(
    workflow: &'static str,
    output: &'static str,
    expected: &'static str,
    value: Option<Value>,
) -> Result<T, crate::Error> {
    serde_json::from_value(value.unwrap_or(Value::Null)).map_err(|e| crate::Error::OutputType {
        workflow,
        output,
        expected,
        reason: e.to_string(),
    })
}

/// [`output`] for a value that stays where it is: converted without a copy.
pub fn output_ref<T: serde::de::DeserializeOwned>(
    workflow: &'static str,
    output: &'static str,
    expected: &'static str,
    value: Option<&Value>,
) -> Result<T, crate::Error> {
    let converted = match value {
        Some(v) => T::deserialize(v),
        None => T::deserialize(&Value::Null),
    };
    converted.map_err(|e| crate::Error::OutputType {
        workflow,
        output,
        expected,
        reason: e.to_string(),
    })
}

/// The inputs a caller passes to another workflow, as that workflow's input type.
pub fn child_input<T: serde::de::DeserializeOwned>(
    workflow: &'static str,
    step: &'static str,
    child: &'static str,
    inputs: Value,
) -> Result<T, crate::Error> {
    serde_json::from_value(inputs).map_err(|e| crate::Error::ChildInput {
        workflow,
        step,
        child,
        reason: e.to_string(),
    })
}

/// Keeps what a run of workflow `key` took and gave, for `$workflows.<key>.inputs…` and
/// `$workflows.<key>.outputs…`.
pub fn record<T: serde::Serialize>(
    workflows: &mut serde_json::Map<String, Value>,
    key: &str,
    inputs: Value,
    outputs: &T,
) {
    let mut record = serde_json::Map::new();
    record.insert("inputs".to_owned(), inputs);
    record.insert("outputs".to_owned(), self::inputs(outputs));
    workflows.insert(key.to_owned(), Value::Object(record));
}

/// Applies a payload replacement: the value at `tokens` becomes `value` (absent values leave the
/// payload as it is). Missing objects on the way are created.
pub fn replace(body: &mut Value, tokens: &[&str], value: Option<Value>) {
    let Some(value) = value else { return };
    let mut target = body;
    for token in tokens {
        target = match target {
            Value::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i))
            {
                Some(item) => item,
                None => return,
            },
            other => {
                if !other.is_object() {
                    *other = Value::Object(serde_json::Map::new());
                }
                match other.as_object_mut() {
                    Some(map) => map.entry((*token).to_owned()).or_insert(Value::Null),
                    None => return,
                }
            }
        };
    }
    *target = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_interpolate_scalars_as_text_and_structures_as_json() {
        let text = template(&[
            Part::Text("id="),
            Part::Value(Some(&json!(42))),
            Part::Text(" name="),
            Part::Value(Some(&json!("Rex"))),
            Part::Text(" tags="),
            Part::Value(Some(&json!(["a", "b"]))),
            Part::Text(" gone="),
            Part::Value(None),
        ]);
        assert_eq!(text, r#"id=42 name=Rex tags=["a","b"] gone="#);
    }

    #[test]
    fn replacements_set_values_by_pointer() {
        let mut body = json!({"pet": {"name": "Rex"}, "tags": ["a", "b"]});
        replace(&mut body, &["pet", "name"], Some(json!("Fido")));
        replace(&mut body, &["tags", "1"], Some(json!("c")));
        replace(&mut body, &["tags", "9"], Some(json!("x")));
        replace(&mut body, &["owner", "id"], Some(json!(7)));
        replace(&mut body, &["pet"], None);
        assert_eq!(
            body,
            json!({"pet": {"name": "Fido"}, "tags": ["a", "c"], "owner": {"id": 7}})
        );
    }

    #[test]
    fn outputs_convert_or_say_why_not() {
        let sid: Option<String> = output("wf", "sid", "string", Some(json!("CH1"))).unwrap();
        assert_eq!(sid.as_deref(), Some("CH1"));
        let absent: Option<String> = output("wf", "sid", "string", None).unwrap();
        assert_eq!(absent, None);
        let err = output::<i64>("wf", "count", "integer", Some(json!("x"))).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("workflow `wf`: output `count` is not a valid integer"),
            "{err}"
        );
    }

    #[test]
    fn reads_clone_what_a_pointer_finds() {
        let v = json!({"a": {"b": [1, 2]}});
        assert_eq!(read(Some(&v), &["a", "b", "1"]), Some(json!(2)));
        assert_eq!(read(Some(&v), &["a", "x"]), None);
        assert_eq!(read(None, &[]), None);
    }
}
