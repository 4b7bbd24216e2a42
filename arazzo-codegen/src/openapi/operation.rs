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
    pub request_body: Option<openapiv3::RequestBody>,
    /// Response keys as written: `201`, `2XX`, `default`.
    pub responses: Vec<String>,
}

impl Operation {
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
    for (owner, owner_pointer) in [
        (item.node, item.pointer.as_str()),
        (node, op_pointer.as_str()),
    ] {
        let Some(list) = owner.get("parameters").and_then(Node::as_seq) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let at = format!("{owner_pointer}/parameters/{i}");
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
                Err(d) => errors.push(d),
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
        .map_err(|d| errors.push(d))
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
) -> Result<T, Diagnostic> {
    let target = refs::follow(project, file, at, node)?;
    let mut json = target.node.to_json();
    normalize(&mut json);
    serde_json::from_value(json).map_err(|e| {
        let file = project.files.get(target.file);
        let file_name = file
            .map(|f| f.display_name().to_owned())
            .unwrap_or_default();
        let at = file.map_or(target.node.span, |f| crate::node::head(target.node, f));
        Diagnostic::new(
            Code::InvalidOpenApi,
            format!(
                "invalid OpenAPI {what} object at `{file_name}#{}`: {e}",
                target.pointer
            ),
        )
        .at(at)
        .label(format!("this {what} object"))
    })
}
