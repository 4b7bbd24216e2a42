//! One case: a document, the inputs its workflow `main` is run with, and what the server answers;
//! and what running it gave, in a form both sides write the same way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The workflow every case runs.
pub const MAIN: &str = "main";

/// The source every case's description is named.
pub const SOURCE: &str = "api";

/// How many steps one run of a workflow may take, on both sides.
pub const STEP_BUDGET: usize = 40;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    pub name: String,
    /// The OpenAPI description (source `api`, file `api.openapi.json`).
    pub openapi: Value,
    /// The Arazzo document's text (file `flow.arazzo.yaml`).
    pub arazzo: String,
    /// The inputs of workflow `main`.
    pub inputs: Value,
    pub server: Script,
}

impl Case {
    /// The operations of its description: `(method, path, operationId)`.
    pub fn operations(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for (path, item) in self
            .openapi
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (method, op) in item.as_object().into_iter().flatten() {
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    out.push((method.clone(), path.clone(), id.to_owned()));
                }
            }
        }
        out
    }
}

/// Whether the path of a request is an instance of the description's `template`: a segment
/// written `{name}` stands for any non-empty one.
pub fn path_matches(template: &str, path: &str) -> bool {
    let (mut written, mut sent) = (template.split('/'), path.split('/'));
    loop {
        match (written.next(), sent.next()) {
            (None, None) => return true,
            (Some(w), Some(s)) if w.starts_with('{') && w.ends_with('}') && !s.is_empty() => {}
            (Some(w), Some(s)) if w == s => {}
            _ => return false,
        }
    }
}

/// What the stand-in server answers: per operation, its answers in order; once they run out,
/// `fallback`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Script {
    pub answers: BTreeMap<String, Vec<Answer>>,
    pub fallback: Answer,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// A server that answers a script, operation by operation.
#[derive(Debug, Clone)]
pub struct Scripted {
    script: Script,
    taken: BTreeMap<String, usize>,
}

impl Scripted {
    pub fn new(script: Script) -> Self {
        Scripted {
            script,
            taken: BTreeMap::new(),
        }
    }

    /// The next answer for operation `operation`.
    pub fn answer(&mut self, operation: &str) -> Answer {
        let used = self.taken.entry(operation.to_owned()).or_insert(0);
        let answer = self
            .script
            .answers
            .get(operation)
            .and_then(|list| list.get(*used))
            .cloned();
        *used += 1;
        answer.unwrap_or_else(|| self.script.fallback.clone())
    }
}

/// What a run gave: the requests the server received, in order, and the outputs of `main` or
/// why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub requests: Vec<String>,
    pub result: Result<Value, Failure>,
}

/// Why a run failed, as far as both sides can tell it alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// `CriterionFailed`, `Ended`, `StepBudgetExceeded`, `MissingValue`, `OutputType`, …
    pub kind: String,
    pub workflow: String,
    pub step: Option<String>,
    pub status: Option<u16>,
}

/// A request as both sides record it: `GET /a?q=x`, or `POST /b {"x":"y"}`.
pub fn request(method: &str, path: &str, query: Option<&str>, body: Option<&Value>) -> String {
    let mut text = format!("{} {path}", method.to_uppercase());
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        text.push('?');
        text.push_str(q);
    }
    if let Some(b) = body {
        text.push(' ');
        text.push_str(&canonical(b));
    }
    text
}

/// JSON with its object members sorted, so that member order never makes a difference.
pub fn canonical(value: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let ordered: BTreeMap<&String, Value> =
                    map.iter().map(|(k, v)| (k, sorted(v))).collect();
                serde_json::to_value(ordered).unwrap_or(Value::Null)
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}
