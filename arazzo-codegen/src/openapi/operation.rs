//! One operation with everything it inherits resolved: the view that checks and code generation read.

use super::{normalize, refs};
use crate::diagnostics::{Code, Diagnostic};
use crate::index::OperationRef;
use crate::load::Project;
use crate::model::ParamLocation;
use crate::node::{Node, pointer};
use crate::source_map::FileId;

#[derive(Debug, Clone)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub file: FileId,
    /// JSON pointer of the operation object in `file`.
    pub pointer: String,
    /// Path-item parameters merged with the operation's own (which win on the same name and `in`).
    pub parameters: Vec<openapiv3::Parameter>,
    /// An OpenAPI 3.2 `in: querystring` parameter: the whole query string as one value.
    pub querystring: Option<QueryString>,
    pub request_body: Option<openapiv3::RequestBody>,
    /// Response keys as written: `201`, `2XX`, `default`.
    pub responses: Vec<String>,
}

/// An `in: querystring` parameter (OpenAPI 3.2), which `openapiv3` cannot represent.
#[derive(Debug, Clone)]
pub struct QueryString {
    pub name: String,
    pub required: bool,
    /// The one media type of its `content`, which decides how the value is encoded.
    pub content_type: Option<String>,
}

impl QueryString {
    fn of(node: &Node) -> Option<Self> {
        if node.get("in").and_then(Node::as_str) != Some("querystring") {
            return None;
        }
        Some(QueryString {
            name: node.get("name").and_then(Node::as_str)?.to_owned(),
            required: matches!(
                node.get("required").map(|r| &r.value),
                Some(crate::node::Value::Bool(true))
            ),
            content_type: node
                .get("content")
                .and_then(Node::as_map)
                .and_then(|m| m.keys().find(|k| !k.starts_with("x-")))
                .map(str::to_owned),
        })
    }

    /// Whether the value is a form (`application/x-www-form-urlencoded`), which is query-ready
    /// as it is; any other media type is percent-encoded whole.
    pub fn is_form(&self) -> bool {
        self.content_type.as_deref().is_none_or(|c| {
            c.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
    }
}

impl Operation {
    /// Every parameter the operation declares, as `(in, name, required)`.
    pub fn declared_parameters(&self) -> Vec<(ParamLocation, &str, bool)> {
        let mut declared: Vec<(ParamLocation, &str, bool)> = self
            .parameters
            .iter()
            .map(|p| {
                let data = p.parameter_data_ref();
                let location = Operation::parameter_location(p);
                (
                    location,
                    data.name.as_str(),
                    data.required && !Operation::ignored_header(location, &data.name),
                )
            })
            .collect();
        if let Some(q) = &self.querystring {
            declared.push((ParamLocation::QueryString, q.name.as_str(), q.required));
        }
        declared
    }

    /// OpenAPI ignores a header parameter named `Accept`, `Content-Type` or `Authorization`
    /// (the media types and security schemes own them): it is never required, though a step
    /// may still send one.
    pub fn ignored_header(location: ParamLocation, name: &str) -> bool {
        location == ParamLocation::Header
            && ["accept", "content-type", "authorization"]
                .iter()
                .any(|h| name.eq_ignore_ascii_case(h))
    }

    pub fn parameter_location(p: &openapiv3::Parameter) -> ParamLocation {
        match p {
            openapiv3::Parameter::Query { .. } => ParamLocation::Query,
            openapiv3::Parameter::Header { .. } => ParamLocation::Header,
            openapiv3::Parameter::Path { .. } => ParamLocation::Path,
            openapiv3::Parameter::Cookie { .. } => ParamLocation::Cookie,
        }
    }

    /// `POST /v1/Conversations`.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    pub fn declares_status(&self, status: u16) -> bool {
        let range = format!("{}XX", status / 100);
        self.responses
            .iter()
            .any(|r| r == &status.to_string() || r.eq_ignore_ascii_case(&range) || r == "default")
    }
}

/// Resolves the operation `op` points at.
pub fn operation(project: &Project, op: &OperationRef) -> Result<Operation, Vec<Diagnostic>> {
    let Some(doc) = project.openapi.get(op.doc.0) else {
        return Err(Vec::new());
    };
    let mut errors = Vec::new();
    let item_pointer = pointer::join(["paths", op.path.as_str()]);
    let Some(item) = doc.root.at(&["paths", op.path.as_str()]) else {
        return Err(Vec::new());
    };
    let item = match refs::follow(project, doc.file, item_pointer.clone(), item) {
        Ok(t) => t,
        Err(d) => return Err(vec![d]),
    };
    let Some(node) = item.node.get(&op.method) else {
        return Err(Vec::new());
    };
    let op_pointer = format!("{}/{}", item.pointer, op.method);

    let mut parameters: Vec<openapiv3::Parameter> = Vec::new();
    let mut querystring = None;
    for (owner, owner_pointer) in [
        (item.node, item.pointer.as_str()),
        (node, op_pointer.as_str()),
    ] {
        let Some(list) = owner.get("parameters").and_then(Node::as_seq) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let at = format!("{owner_pointer}/parameters/{i}");
            if let Some(q) = refs::follow(project, item.file, at.clone(), p)
                .ok()
                .and_then(|t| QueryString::of(t.node))
            {
                querystring = Some(q);
                continue;
            }
            match decode::<openapiv3::Parameter>(project, item.file, at, p, "Parameter") {
                Ok(param) => {
                    let key = (
                        param.parameter_data_ref().name.clone(),
                        Operation::parameter_location(&param),
                    );
                    parameters.retain(|q| {
                        (
                            q.parameter_data_ref().name.clone(),
                            Operation::parameter_location(q),
                        ) != key
                    });
                    parameters.push(param);
                }
                Err(found) => errors.extend(found),
            }
        }
    }
    let request_body = node.get("requestBody").and_then(|b| {
        decode::<openapiv3::RequestBody>(
            project,
            item.file,
            format!("{op_pointer}/requestBody"),
            b,
            "Request Body",
        )
        .map_err(|found| errors.extend(found))
        .ok()
    });
    let responses = node
        .get("responses")
        .and_then(Node::as_map)
        .map(|m| {
            m.keys()
                .filter(|k| !k.starts_with("x-"))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Operation {
        method: op.method.clone(),
        path: op.path.clone(),
        operation_id: node
            .get("operationId")
            .and_then(Node::as_str)
            .map(str::to_owned),
        file: item.file,
        pointer: op_pointer.clone(),
        parameters,
        querystring,
        request_body,
        responses,
    })
}

/// Follows `$ref`s, normalises, and deserialises one OpenAPI object, reporting failures with the
/// file, the JSON pointer and the line.
pub fn decode<T: serde::de::DeserializeOwned>(
    project: &Project,
    file: FileId,
    at: String,
    node: &Node,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    let target = refs::follow(project, file, at, node).map_err(|d| vec![d])?;
    let source = project.files.get(target.file);
    // The faults real descriptions carry, said in OpenAPI's words where they are.
    let faults = match what {
        "Parameter" => super::faults::parameter(target.node, source),
        "Request Body" => super::faults::request_body(target.node),
        _ => Vec::new(),
    };
    if !faults.is_empty() {
        return Err(faults
            .into_iter()
            .map(|f| {
                Diagnostic::new(Code::InvalidOpenApi, f.message)
                    .at(f.span)
                    .label(format!("in this {what} object"))
                    .help(f.help)
            })
            .collect());
    }
    let mut json = target.node.to_json();
    normalize(&mut json);
    serde_json::from_value(json).map_err(|e| {
        let file_name = source
            .map(|f| f.display_name().to_owned())
            .unwrap_or_default();
        let at = source.map_or(target.node.span, |f| crate::node::head(target.node, f));
        let d = Diagnostic::new(
            Code::InvalidOpenApi,
            format!(
                "the {what} object at `{file_name}#{}` does not match the OpenAPI schema: {}",
                target.pointer,
                parser_words(&e.to_string())
            ),
        )
        .at(at)
        .label(format!("this {what} object"))
        .help("compare it with the OpenAPI specification's description of the object");
        vec![d]
    })
}

/// A parser's message with its own type names put in OpenAPI's terms.
fn parser_words(message: &str) -> String {
    if message.starts_with("no variant of enum") {
        return "it has none of the shapes the object may take".to_owned();
    }
    message.to_owned()
}
