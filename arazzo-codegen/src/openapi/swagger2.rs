//! Swagger 2.0 read into the OpenAPI 3.0 shape the rest of the crate reads, node by node, so
//! every converted node keeps the span it was written at and diagnostics still point into the
//! Swagger file.
//!
//! What moves where: `host`/`basePath`/`schemes` → `servers`; `body` parameters → `requestBody`
//! in each of the operation's `consumes` media types; `formData` parameters → one object schema
//! under `application/x-www-form-urlencoded` or `multipart/form-data`; a response's `schema` →
//! `content` in each of `produces`; the type keywords of non-body parameters and headers → their
//! `schema`; `collectionFormat` → `style`/`explode`; `definitions`, `parameters`, `responses`
//! and `securityDefinitions` → `components`; every `$ref` to them follows.

use crate::node::build::{boolean, entry as entry_at, map, seq, string};
use crate::node::{Entry, Map, Node, ScalarStyle, Value};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keywords of a 2.0 non-body parameter or header that describe its value: they go into the
/// 3.0 `schema`.
const SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Whether `root` is a Swagger 2.0 description this module reads.
pub fn is_swagger_2(root: &Node) -> bool {
    root.get("swagger")
        .and_then(Node::scalar_text)
        .is_some_and(|v| v == "2.0" || v == "2")
}

/// The OpenAPI 3.0 form of the Swagger 2.0 description `root`.
pub fn convert(root: &Node) -> Node {
    let doc = Doc { root };
    let mut out = Vec::new();
    for entry in entries(root) {
        match entry.key.as_str() {
            "swagger" => out.push(entry_at(
                "openapi",
                entry.key_span,
                string("3.0.3", entry.value.span),
            )),
            "info" | "tags" | "externalDocs" | "security" => out.push(entry.clone()),
            "paths" => out.push(Entry {
                value: doc.paths(&entry.value),
                ..entry.clone()
            }),
            key if key.starts_with("x-") => out.push(entry.clone()),
            _ => {}
        }
    }
    if let Some(servers) = doc.servers() {
        out.push(servers);
    }
    if let Some(components) = doc.components() {
        out.push(components);
    }
    let mut converted = Node {
        span: root.span,
        value: Value::Map(Map { entries: out }),
        style: ScalarStyle::Plain,
    };
    retarget_refs(&mut converted);
    converted
}

struct Doc<'n> {
    root: &'n Node,
}

impl Doc<'_> {
    /// `{scheme}://{host}{basePath}` per scheme; without a host, the base path alone.
    fn servers(&self) -> Option<Entry> {
        let host = self.root.get("host");
        let base = self.root.get("basePath");
        let base_path = base.and_then(Node::as_str).unwrap_or("");
        let span = host.or(base)?.span;
        let urls: Vec<String> = match host.and_then(Node::as_str) {
            Some(host) => {
                let schemes: Vec<&str> = self
                    .root
                    .get("schemes")
                    .and_then(Node::as_seq)
                    .map(|s| s.iter().filter_map(Node::as_str).collect())
                    .unwrap_or_default();
                // No scheme given: the one the description would be served with; https today.
                let schemes = if schemes.is_empty() {
                    vec!["https"]
                } else {
                    schemes
                };
                schemes
                    .iter()
                    .map(|s| format!("{s}://{host}{base_path}"))
                    .collect()
            }
            None => vec![if base_path.is_empty() {
                "/".to_owned()
            } else {
                base_path.to_owned()
            }],
        };
        let servers = urls
            .into_iter()
            .map(|url| map(span, vec![entry_at("url", span, string(&url, span))]))
            .collect();
        Some(entry_at("servers", span, seq(span, servers)))
    }

    fn media_types(&self, operation: &Node, field: &str) -> Vec<String> {
        let list = operation
            .get(field)
            .or_else(|| self.root.get(field))
            .and_then(Node::as_seq)
            .map(|s| {
                s.iter()
                    .filter_map(Node::as_str)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if list.is_empty() {
            vec!["application/json".to_owned()]
        } else {
            list
        }
    }

    /// A parameter, following a `$ref` into the top-level `parameters`.
    fn parameter<'p>(&'p self, node: &'p Node) -> &'p Node {
        node.get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .and_then(|name| self.root.at(&["parameters", name]))
            .unwrap_or(node)
    }

    fn paths(&self, paths: &Node) -> Node {
        let Some(items) = paths.as_map() else {
            return paths.clone();
        };
        let entries = items
            .entries
            .iter()
            .map(|item| Entry {
                value: self.path_item(&item.value),
                ..item.clone()
            })
            .collect();
        Node {
            value: Value::Map(Map { entries }),
            ..paths.clone()
        }
    }

    fn path_item(&self, item: &Node) -> Node {
        let shared: Vec<&Node> = item
            .get("parameters")
            .and_then(Node::as_seq)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        for entry in entries(item) {
            match entry.key.as_str() {
                "parameters" => {
                    // Body and form parameters become each operation's request body.
                    let kept = self.plain_parameters(&shared);
                    if !kept.is_empty() {
                        out.push(entry_at(
                            "parameters",
                            entry.key_span,
                            seq(entry.value.span, kept),
                        ));
                    }
                }
                method if METHODS.contains(&method) => out.push(Entry {
                    value: self.operation(&entry.value, &shared),
                    ..entry.clone()
                }),
                _ => out.push(entry.clone()),
            }
        }
        Node {
            value: Value::Map(Map { entries: out }),
            ..item.clone()
        }
    }

    /// The query, header, path and cookie parameters of `list`, in 3.0 form.
    fn plain_parameters(&self, list: &[&Node]) -> Vec<Node> {
        list.iter()
            .filter(|p| !is_body_like(self.parameter(p)))
            .map(|p| {
                if p.get("$ref").is_some() {
                    (*p).clone()
                } else {
                    parameter(p)
                }
            })
            .collect()
    }

    fn operation(&self, operation: &Node, shared: &[&Node]) -> Node {
        let own: Vec<&Node> = operation
            .get("parameters")
            .and_then(Node::as_seq)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        // An operation's parameter replaces a path-level one of the same name and location.
        let key = |p: &Node| {
            let p = self.parameter(p);
            (
                p.get("name").and_then(Node::as_str).map(str::to_owned),
                p.get("in").and_then(Node::as_str).map(str::to_owned),
            )
        };
        let own_keys: Vec<_> = own.iter().map(|p| key(p)).collect();
        let all: Vec<&Node> = shared
            .iter()
            .copied()
            .filter(|p| !own_keys.contains(&key(p)))
            .chain(own.iter().copied())
            .collect();
        let mut out = Vec::new();
        for entry in entries(operation) {
            match entry.key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" => {
                    let kept = self.plain_parameters(&own);
                    if !kept.is_empty() {
                        out.push(entry_at(
                            "parameters",
                            entry.key_span,
                            seq(entry.value.span, kept),
                        ));
                    }
                }
                "responses" => out.push(Entry {
                    value: self.responses(&entry.value, operation),
                    ..entry.clone()
                }),
                _ => out.push(entry.clone()),
            }
        }
        if let Some(body) = self.request_body(operation, &all) {
            out.push(body);
        }
        Node {
            value: Value::Map(Map { entries: out }),
            ..operation.clone()
        }
    }

    fn request_body(&self, operation: &Node, parameters: &[&Node]) -> Option<Entry> {
        let resolved: Vec<&Node> = parameters.iter().map(|p| self.parameter(p)).collect();
        let consumes = self.media_types(operation, "consumes");
        if let Some(body) = resolved
            .iter()
            .find(|p| p.get("in").and_then(Node::as_str) == Some("body"))
        {
            let span = body.span;
            let schema = body
                .get("schema")
                .cloned()
                .unwrap_or_else(|| map(span, Vec::new()));
            let mut fields = vec![content(&consumes, &schema)];
            for key in ["description", "required"] {
                if let Some(e) = body.as_map().and_then(|m| m.entry(key)) {
                    fields.push(e.clone());
                }
            }
            return Some(entry_at("requestBody", span, map(span, fields)));
        }
        let form: Vec<&&Node> = resolved
            .iter()
            .filter(|p| p.get("in").and_then(Node::as_str) == Some("formData"))
            .collect();
        let span = form.first()?.span;
        let files = form
            .iter()
            .any(|p| p.get("type").and_then(Node::as_str) == Some("file"));
        let media = if files || consumes.iter().any(|c| c == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut properties = Vec::new();
        let mut required = Vec::new();
        for p in &form {
            let Some(name) = p.get("name") else { continue };
            let Some(text) = name.as_str() else { continue };
            properties.push(entry_at(text, name.span, value_schema(p)));
            if p.get("required")
                .is_some_and(|r| r.value == Value::Bool(true))
            {
                required.push(string(text, name.span));
            }
        }
        let mut schema = vec![
            entry_at("type", span, string("object", span)),
            entry_at("properties", span, map(span, properties)),
        ];
        let any_required = !required.is_empty();
        if any_required {
            schema.push(entry_at("required", span, seq(span, required)));
        }
        let content = map(
            span,
            vec![entry_at(
                media,
                span,
                map(span, vec![entry_at("schema", span, map(span, schema))]),
            )],
        );
        let mut fields = vec![entry_at("content", span, content)];
        if any_required {
            fields.push(entry_at("required", span, boolean(true, span)));
        }
        Some(entry_at("requestBody", span, map(span, fields)))
    }

    fn responses(&self, responses: &Node, operation: &Node) -> Node {
        let produces = self.media_types(operation, "produces");
        let Some(list) = responses.as_map() else {
            return responses.clone();
        };
        let entries = list
            .entries
            .iter()
            .map(|e| Entry {
                value: response(&e.value, &produces),
                ..e.clone()
            })
            .collect();
        Node {
            value: Value::Map(Map { entries }),
            ..responses.clone()
        }
    }

    fn components(&self) -> Option<Entry> {
        let span = self.root.span;
        let produces = self.media_types(self.root, "produces");
        let mut out = Vec::new();
        if let Some(e) = self.root.as_map().and_then(|m| m.entry("definitions")) {
            out.push(Entry {
                key: "schemas".to_owned(),
                ..e.clone()
            });
        }
        if let Some(e) = self.root.as_map().and_then(|m| m.entry("parameters")) {
            let kept: Vec<Entry> = entries(&e.value)
                .filter(|p| !is_body_like(&p.value))
                .map(|p| Entry {
                    value: parameter(&p.value),
                    ..p.clone()
                })
                .collect();
            out.push(entry_at("parameters", e.key_span, map(e.value.span, kept)));
        }
        if let Some(e) = self.root.as_map().and_then(|m| m.entry("responses")) {
            let converted = entries(&e.value)
                .map(|r| Entry {
                    value: response(&r.value, &produces),
                    ..r.clone()
                })
                .collect();
            out.push(entry_at(
                "responses",
                e.key_span,
                map(e.value.span, converted),
            ));
        }
        if let Some(e) = self
            .root
            .as_map()
            .and_then(|m| m.entry("securityDefinitions"))
        {
            let converted = entries(&e.value)
                .map(|s| Entry {
                    value: security_scheme(&s.value),
                    ..s.clone()
                })
                .collect();
            out.push(entry_at(
                "securitySchemes",
                e.key_span,
                map(e.value.span, converted),
            ));
        }
        (!out.is_empty()).then(|| entry_at("components", span, map(span, out)))
    }
}

fn is_body_like(p: &Node) -> bool {
    matches!(
        p.get("in").and_then(Node::as_str),
        Some("body" | "formData")
    )
}

/// A query, header, path or cookie parameter: its value keywords go into `schema`, and
/// `collectionFormat` becomes `style`/`explode`.
fn parameter(p: &Node) -> Node {
    let location = p.get("in").and_then(Node::as_str).unwrap_or("");
    let mut out: Vec<Entry> = entries(p)
        .filter(|e| !SCHEMA_KEYWORDS.contains(&e.key.as_str()))
        .filter(|e| e.key != "collectionFormat" && e.key != "allowEmptyValue")
        .cloned()
        .collect();
    out.push(entry_at("schema", p.span, value_schema(p)));
    let format = p.get("collectionFormat");
    let is_array = p.get("type").and_then(Node::as_str) == Some("array");
    if is_array {
        let span = format.map_or(p.span, |f| f.span);
        let (style, explode) = match format.and_then(Node::as_str).unwrap_or("csv") {
            "multi" => ("form", true),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            // csv (the default) and tsv, which 3.0 cannot say.
            _ if location == "query" || location == "cookie" => ("form", false),
            _ => ("simple", false),
        };
        out.push(entry_at("style", span, string(style, span)));
        out.push(entry_at("explode", span, boolean(explode, span)));
    }
    map(p.span, out)
}

/// The schema a 2.0 parameter, header or `items` describes with its own keywords.
fn value_schema(p: &Node) -> Node {
    let fields = entries(p)
        .filter(|e| SCHEMA_KEYWORDS.contains(&e.key.as_str()))
        .map(|e| match e.key.as_str() {
            "type" if e.value.as_str() == Some("file") => Entry {
                value: string("string", e.value.span),
                ..e.clone()
            },
            "items" => Entry {
                value: value_schema(&e.value),
                ..e.clone()
            },
            "x-nullable" => Entry {
                key: "nullable".to_owned(),
                ..e.clone()
            },
            _ => e.clone(),
        })
        .chain(
            (p.get("type").and_then(Node::as_str) == Some("file"))
                .then(|| entry_at("format", p.span, string("binary", p.span))),
        )
        .collect();
    map(p.span, fields)
}

fn response(r: &Node, produces: &[String]) -> Node {
    if r.get("$ref").is_some() {
        return r.clone();
    }
    let mut out = Vec::new();
    for e in entries(r) {
        match e.key.as_str() {
            "schema" | "examples" => {}
            "headers" => {
                let headers = entries(&e.value)
                    .map(|h| Entry {
                        value: header(&h.value),
                        ..h.clone()
                    })
                    .collect();
                out.push(entry_at("headers", e.key_span, map(e.value.span, headers)));
            }
            _ => out.push(e.clone()),
        }
    }
    if let Some(schema) = r.get("schema") {
        out.push(content(produces, schema));
    }
    map(r.span, out)
}

/// `content`: `schema` under each media type.
fn content(media_types: &[String], schema: &Node) -> Entry {
    let span = schema.span;
    let types = media_types
        .iter()
        .map(|media| {
            entry_at(
                media,
                span,
                map(span, vec![entry_at("schema", span, schema.clone())]),
            )
        })
        .collect();
    entry_at("content", span, map(span, types))
}

fn header(h: &Node) -> Node {
    let mut out: Vec<Entry> = entries(h)
        .filter(|e| !SCHEMA_KEYWORDS.contains(&e.key.as_str()) && e.key != "collectionFormat")
        .cloned()
        .collect();
    out.push(entry_at("schema", h.span, value_schema(h)));
    map(h.span, out)
}

fn security_scheme(s: &Node) -> Node {
    let span = s.span;
    let kind = s.get("type").and_then(Node::as_str).unwrap_or("");
    let keep = |keys: &[&str]| -> Vec<Entry> {
        entries(s)
            .filter(|e| keys.contains(&e.key.as_str()) || e.key.starts_with("x-"))
            .cloned()
            .collect()
    };
    match kind {
        "basic" => {
            let mut out = keep(&["description"]);
            out.push(entry_at("type", span, string("http", span)));
            out.push(entry_at("scheme", span, string("basic", span)));
            map(span, out)
        }
        "oauth2" => {
            let mut out = keep(&["type", "description"]);
            let flow = match s.get("flow").and_then(Node::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut fields = Vec::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(e) = s.as_map().and_then(|m| m.entry(key)) {
                    fields.push(e.clone());
                }
            }
            if s.get("scopes").is_none() {
                fields.push(entry_at("scopes", span, map(span, Vec::new())));
            }
            let flows = map(span, vec![entry_at(flow, span, map(span, fields))]);
            out.push(entry_at("flows", span, flows));
            map(span, out)
        }
        _ => s.clone(),
    }
}

/// Points every local `$ref` at the component it moved to, and writes the schema keywords 2.0
/// spells its own way as 3.0 does: `x-nullable`, a `discriminator` that is a property name,
/// `type: file`.
fn retarget_refs(node: &mut Node) {
    match &mut node.value {
        Value::Map(fields) => {
            let mut added = Vec::new();
            for e in &mut fields.entries {
                match (e.key.as_str(), &e.value.value) {
                    ("x-nullable", Value::Bool(true)) => {
                        added.push(entry_at(
                            "nullable",
                            e.key_span,
                            boolean(true, e.value.span),
                        ));
                    }
                    ("discriminator", Value::String(property)) => {
                        let span = e.value.span;
                        e.value = map(
                            span,
                            vec![entry_at("propertyName", span, string(property, span))],
                        );
                    }
                    ("type", Value::String(t)) if t == "file" => {
                        let span = e.value.span;
                        e.value = string("string", span);
                        added.push(entry_at("format", span, string("binary", span)));
                    }
                    _ => {}
                }
            }
            for a in added {
                if fields.entry(&a.key).is_none() {
                    fields.entries.push(a);
                }
            }
            for e in &mut fields.entries {
                if e.key == "$ref"
                    && let Value::String(target) = &mut e.value.value
                {
                    for (from, to) in [
                        ("#/definitions/", "#/components/schemas/"),
                        ("#/parameters/", "#/components/parameters/"),
                        ("#/responses/", "#/components/responses/"),
                    ] {
                        if let Some(rest) = target.strip_prefix(from) {
                            *target = format!("{to}{rest}");
                            break;
                        }
                    }
                } else {
                    retarget_refs(&mut e.value);
                }
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(retarget_refs),
        _ => {}
    }
}

fn entries(node: &Node) -> impl Iterator<Item = &Entry> {
    node.as_map().into_iter().flat_map(|m| m.entries.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::source_map::SourceMap;

    fn converted(text: &str) -> Node {
        let mut map = SourceMap::default();
        let id = map.add("s.yaml".into(), text.to_owned());
        let file = map.get(id).unwrap_or_else(|| unreachable!());
        let root = crate::node::parse(file, id, &Default::default(), &mut Diagnostics::new())
            .unwrap_or_else(|| panic!("{text} does not parse"));
        convert(&root)
    }

    #[test]
    fn shapes_2_0_does_not_allow_convert_without_panicking() {
        for text in [
            "swagger: '2.0'\npaths: []\n",
            "swagger: '2.0'\npaths: {/a: []}\n",
            "swagger: '2.0'\npaths: {/a: {get: 1, parameters: x}}\n",
            "swagger: '2.0'\npaths: {/a: {post: {parameters: [1, {in: body}, {in: formData}]}}}\n",
            "swagger: '2.0'\nparameters: {b: {in: body}}\npaths: {/a: {post: {parameters: [{$ref: '#/parameters/b'}]}}}\n",
            "swagger: '2.0'\nsecurityDefinitions: {o: {type: oauth2}, k: 5}\ndefinitions: [1]\n",
            "swagger: '2.0'\nhost: 5\nschemes: x\nresponses: {r: {schema: 1, headers: [1]}}\n",
        ] {
            let out = converted(text);
            assert_eq!(out.get("openapi").and_then(Node::as_str), Some("3.0.3"));
        }
    }

    #[test]
    fn a_body_parameter_becomes_a_request_body_in_each_consumed_type() {
        let out = converted(
            "swagger: '2.0'\nconsumes: [application/json, application/xml]\npaths:\n  /a:\n    post:\n      parameters:\n        - {name: b, in: body, required: true, schema: {$ref: '#/definitions/A'}}\n        - {name: q, in: query, type: array, items: {type: string}, collectionFormat: pipes}\ndefinitions:\n  A: {type: object}\n",
        );
        let op = out
            .at(&["paths", "/a", "post"])
            .unwrap_or_else(|| unreachable!());
        let body = op.get("requestBody").unwrap_or_else(|| unreachable!());
        assert_eq!(
            body.at(&["content", "application/xml", "schema", "$ref"])
                .and_then(Node::as_str),
            Some("#/components/schemas/A")
        );
        assert_eq!(
            body.get("required").map(|r| &r.value),
            Some(&Value::Bool(true))
        );
        let q = op
            .at(&["parameters", "0"])
            .unwrap_or_else(|| unreachable!());
        assert_eq!(q.get("style").and_then(Node::as_str), Some("pipeDelimited"));
        assert_eq!(
            q.at(&["schema", "items", "type"]).and_then(Node::as_str),
            Some("string")
        );
        assert!(out.at(&["components", "schemas", "A"]).is_some());
    }
}
