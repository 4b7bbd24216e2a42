//! Rewrites OpenAPI 3.1/3.2 JSON (JSON Schema 2020-12 flavoured) into the 3.0 shape that
//! `openapiv3` reads. What is mapped and what is lost is listed in `docs/openapi-3.1.md`.

use serde_json::{Map, Value};

/// Normalises `value` in place. Harmless on 3.0 input, so callers need not branch on version.
pub fn normalize(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(normalize),
        Value::Object(map) => {
            schema_keywords(map);
            map.values_mut().for_each(normalize);
        }
        _ => {}
    }
}

fn schema_keywords(map: &mut Map<String, Value>) {
    // `type: [string, "null"]` → `type: string` + `nullable: true`.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        map.remove("type");
        match rest.as_slice() {
            [] => {}
            [single] => {
                map.insert("type".into(), single.clone());
            }
            many => {
                let variants = many
                    .iter()
                    .map(|t| {
                        let mut v = Map::new();
                        v.insert("type".into(), t.clone());
                        Value::Object(v)
                    })
                    .collect();
                map.insert("anyOf".into(), Value::Array(variants));
            }
        }
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    // `const: x` → `enum: [x]`.
    if let Some(constant) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![constant]));
    }
    // Schema `examples` (a list) → `example` (the first). A mapping is 3.0's own `examples`.
    if let Some(Value::Array(examples)) = map.get("examples").cloned() {
        map.remove("examples");
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
    // Numeric `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true`.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn openapi_31_schemas_take_the_30_shape() {
        let mut v = json!({
            "type": ["string", "null"],
            "properties": {
                "kind": {"const": "museum"},
                "count": {"type": "integer", "exclusiveMinimum": 0, "examples": [3, 4]},
                "either": {"type": ["string", "integer"]}
            }
        });
        normalize(&mut v);
        assert_eq!(
            v,
            json!({
                "type": "string",
                "nullable": true,
                "properties": {
                    "kind": {"enum": ["museum"]},
                    "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "example": 3},
                    "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
                }
            })
        );
    }

    #[test]
    fn openapi_30_examples_maps_are_kept() {
        let mut v = json!({"examples": {"a": {"value": 1}}});
        let before = v.clone();
        normalize(&mut v);
        assert_eq!(v, before);
    }
}
