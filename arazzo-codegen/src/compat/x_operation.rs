//! Redocly's `x-operation` steps (`url` + `method`, no OpenAPI operation), under lenient
//! compatibility: each origin they call becomes a small OpenAPI description of its own, made
//! here before the operation index is built, and each step calls its operation there. So the
//! request is planned, checked and generated as any other, its response typed as JSON values.
//!
//! A `url` that is a runtime expression names no origin at build time; it stays an error.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{BoundSource, OpenApiDoc, OpenApiId, Project, SourceTarget};
use crate::model::{ParamLocation, ParameterOrRef, Spanned, Step, StepTarget};
use crate::node::build::{boolean, map, seq, string as text};
use crate::node::{Entry, Node, Value};
use crate::settings::{Compatibility, Settings};
use crate::source_map::Span;

const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// One origin's operations, as they are collected.
struct Origin {
    origin: String,
    source: String,
    paths: Vec<Entry>,
    span: Span,
}

/// Gives every `x-operation` step of the project an operation to call.
pub fn describe(project: &mut Project, settings: &Settings, diags: &mut Diagnostics) {
    if settings.compatibility != Compatibility::Lenient {
        return;
    }
    for doc in 0..project.arazzo.len() {
        let mut origins: Vec<Origin> = Vec::new();
        let mut warnings = Diagnostics::new();
        let Some(loaded) = project.arazzo.get_mut(doc) else {
            continue;
        };
        let taken: Vec<String> = loaded.sources.iter().map(|s| s.name.clone()).collect();
        for workflow in &mut loaded.document.workflows {
            for step in &mut workflow.steps {
                if step.target.is_some() {
                    continue;
                }
                let Some(x) = step.extensions.get("x-operation").cloned() else {
                    continue;
                };
                let Some((origin, path, method)) = request_of(&x, &mut warnings) else {
                    continue;
                };
                let index = match origins.iter().position(|o| o.origin == origin) {
                    Some(i) => i,
                    None => {
                        origins.push(Origin {
                            source: source_name(&origin, &taken, &origins),
                            origin: origin.clone(),
                            paths: Vec::new(),
                            span: x.span,
                        });
                        origins.len() - 1
                    }
                };
                let Some(entry) = origins.get_mut(index) else {
                    continue;
                };
                let operation_id = format!("x-operation-{}", step.step_id.value);
                add_operation(entry, &path, &method, &operation_id, step, x.span);
                step.target = Some(StepTarget::OperationId(Spanned::new(
                    format!("$sourceDescriptions.{}.{operation_id}", entry.source),
                    x.span,
                )));
                // The load said the step has no target; now it has one.
                let at = step.span;
                diags.retain(|d| {
                    !(d.code == Code::StepTarget
                        && d.span.is_some_and(|s| {
                            s.file == at.file && at.start <= s.start && s.end <= at.end
                        }))
                });
                warnings.push(
                    Diagnostic::new(
                        Code::RunnerShorthand,
                        "`x-operation` is Redocly's extension, not the specification's form",
                    )
                    .at(x.span)
                    .label(format!("read as a {} request to {origin}{path}", method.to_uppercase()))
                    .help("describe the request in an OpenAPI description and call it with `operationId`, so that every Arazzo tool reads it the same way; its response is typed as JSON values"),
                );
            }
        }
        for origin in origins {
            let id = OpenApiId(project.openapi.len());
            project.openapi.push(OpenApiDoc {
                file: origin.span.file,
                root: description(&origin),
            });
            if let Some(loaded) = project.arazzo.get_mut(doc) {
                loaded.sources.push(BoundSource {
                    name: origin.source,
                    target: SourceTarget::OpenApi(id),
                });
            }
        }
        diags.extend(warnings);
    }
}

/// The origin, path and method an `x-operation` names, or why it cannot be compiled.
fn request_of(x: &Node, diags: &mut Diagnostics) -> Option<(String, String, String)> {
    match read_request(x) {
        Ok(request) => Some(request),
        Err((at, problem)) => {
            let runtime = problem.contains("runtime expression");
            diags.push(
                Diagnostic::new(
                    if runtime { Code::UnsupportedFeature } else { Code::InvalidValue },
                    format!("cannot read this `x-operation`: {problem}"),
                )
                .at(at)
                .label(if runtime { "known only at run time" } else { "here" })
                .help(if runtime {
                    "describe the operation in an OpenAPI description, with the varying part as a path parameter, and call it with `operationId`"
                } else {
                    "Redocly's `x-operation` is `{url: <absolute http(s) URL>, method: <HTTP method>}`"
                }),
            );
            None
        }
    }
}

fn read_request(x: &Node) -> Result<(String, String, String), (Span, String)> {
    let url_node = x
        .get("url")
        .ok_or_else(|| (x.span, "it has no `url`".to_owned()))?;
    let url = url_node
        .as_str()
        .ok_or_else(|| (url_node.span, "its `url` is not a string".to_owned()))?;
    let method_node = x
        .get("method")
        .ok_or_else(|| (x.span, "it has no `method`".to_owned()))?;
    let method = method_node
        .as_str()
        .map(str::to_ascii_lowercase)
        .filter(|m| METHODS.contains(&m.as_str()))
        .ok_or_else(|| {
            (
                method_node.span,
                "its `method` is not an HTTP method".to_owned(),
            )
        })?;
    if url.starts_with('$') || url.contains("{$") {
        return Err((
            url_node.span,
            "its `url` is a runtime expression, which names no server at build time".to_owned(),
        ));
    }
    let parsed = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
        .ok_or_else(|| {
            (
                url_node.span,
                "its `url` is not an absolute http(s) URL".to_owned(),
            )
        })?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err((
            url_node.span,
            "its `url` has a query or fragment; pass query values as `in: query` parameters"
                .to_owned(),
        ));
    }
    // The path as written: the URL crate would percent-encode a `{petId}` template.
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .and_then(|at| after_scheme.get(at..))
        .unwrap_or("/")
        .to_owned();
    Ok((parsed.origin().ascii_serialization(), path, method))
}

/// A source name for `origin` (its host, with `-` for what a name may not hold), unique among
/// the document's sources.
fn source_name(origin: &str, taken: &[String], origins: &[Origin]) -> String {
    let host = origin.split("://").nth(1).unwrap_or(origin);
    let base: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let used = |n: &str| taken.iter().any(|t| t == n) || origins.iter().any(|o| o.source == n);
    let mut name = base.clone();
    let mut n = 2;
    while used(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Declares the step's request: the path's template parameters, and the step's own query,
/// header and cookie parameters and body, so none of them is "undeclared".
fn add_operation(origin: &mut Origin, path: &str, method: &str, id: &str, step: &Step, span: Span) {
    let mut parameters = Vec::new();
    for name in path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}'))
        .map(|(n, _)| n)
    {
        parameters.push(declared(name, "path", true, span));
    }
    for p in &step.parameters {
        if let ParameterOrRef::Parameter(p) = p
            && let Some(location) = &p.location
            && location.value != ParamLocation::Path
        {
            parameters.push(declared(
                &p.name.value,
                location.value.as_str(),
                false,
                span,
            ));
        }
    }
    let mut operation = vec![
        entry("operationId", text(id, span)),
        entry(
            "responses",
            map(
                span,
                vec![entry(
                    "default",
                    map(
                        span,
                        vec![entry("description", text("Any response.", span))],
                    ),
                )],
            ),
        ),
    ];
    if !parameters.is_empty() {
        operation.push(entry("parameters", seq(span, parameters)));
    }
    if let Some(body) = &step.request_body {
        let media = body
            .content_type
            .as_ref()
            .map_or("application/json", |c| c.value.as_str());
        let content = map(
            span,
            vec![entry(
                media,
                map(span, vec![entry("schema", map(span, Vec::new()))]),
            )],
        );
        operation.push(entry(
            "requestBody",
            map(span, vec![entry("content", content)]),
        ));
    }
    let item = match origin.paths.iter_mut().find(|e| e.key == path) {
        Some(item) => item,
        None => {
            origin.paths.push(entry(path, map(span, Vec::new())));
            let Some(item) = origin.paths.last_mut() else {
                return;
            };
            item
        }
    };
    if let Value::Map(m) = &mut item.value.value
        && m.get(method).is_none()
    {
        m.entries.push(entry(method, map(span, operation)));
    }
}

fn declared(name: &str, location: &str, required: bool, span: Span) -> Node {
    let mut fields = vec![
        entry("name", text(name, span)),
        entry("in", text(location, span)),
    ];
    if required {
        fields.push(entry("required", boolean(true, span)));
    }
    fields.push(entry("schema", map(span, Vec::new())));
    map(span, fields)
}

fn description(origin: &Origin) -> Node {
    let span = origin.span;
    map(
        span,
        vec![
            entry("openapi", text("3.0.3", span)),
            entry(
                "info",
                map(
                    span,
                    vec![
                        entry("title", text(&origin.origin, span)),
                        entry("version", text("x-operation", span)),
                    ],
                ),
            ),
            entry(
                "servers",
                seq(
                    span,
                    vec![map(span, vec![entry("url", text(&origin.origin, span))])],
                ),
            ),
            entry("paths", map(span, origin.paths.clone())),
        ],
    )
}

fn entry(key: &str, value: Node) -> Entry {
    let key_span = value.span;
    crate::node::build::entry(key, key_span, value)
}
