//! Cases made from the project's own fixtures (`fixtures/conformance/project-fixtures.yaml`), so
//! that the reference interpreter and the peer also run documents written by hand, not only
//! generated ones. Each entry names a fixture with one OpenAPI source, the workflow to run, its
//! inputs and the server's script. The fixture is read as it is and renamed into a case's form
//! (its source `api`, the workflow `main`), so it stays the one place the document is written.

use std::path::Path;

use conformance::case::{Case, MAIN, SOURCE, Script};
use serde::Deserialize;
use serde_json::Value;

/// One entry of the list.
#[derive(Deserialize)]
struct Entry {
    /// The case's name: a Rust identifier (it names a module).
    name: String,
    /// The Arazzo document, under `fixtures/`.
    fixture: String,
    /// The workflow that runs (renamed `main`).
    workflow: String,
    #[serde(default)]
    inputs: Value,
    server: Script,
}

/// Every case the list names.
pub fn cases(root: &Path) -> Result<Vec<Case>, String> {
    let list = root.join("fixtures/conformance/project-fixtures.yaml");
    let text = std::fs::read_to_string(&list).map_err(|e| format!("{}: {e}", list.display()))?;
    let entries: Vec<Entry> =
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", list.display()))?;
    entries
        .into_iter()
        .map(|e| case(root, e).map_err(|why| format!("{}: {why}", list.display())))
        .collect()
}

fn case(root: &Path, entry: Entry) -> Result<Case, String> {
    let path = root.join("fixtures").join(&entry.fixture);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut doc: Value =
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let source = match doc.get("sourceDescriptions").and_then(Value::as_array) {
        Some(list) if list.len() == 1 => list.first().cloned().unwrap_or_default(),
        _ => {
            return Err(format!(
                "{}: a case needs exactly one source",
                entry.fixture
            ));
        }
    };
    let name = source
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let url = source
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let description = path.parent().unwrap_or(root).join(url);
    let description_text = std::fs::read_to_string(&description)
        .map_err(|e| format!("{}: {e}", description.display()))?;
    let openapi: Value = serde_yaml::from_str(&description_text)
        .map_err(|e| format!("{}: {e}", description.display()))?;
    let taken = doc
        .get("workflows")
        .and_then(Value::as_array)
        .is_some_and(|w| {
            w.iter()
                .any(|w| w.get("workflowId").and_then(Value::as_str) == Some(MAIN))
        });
    if taken && entry.workflow != MAIN {
        return Err(format!(
            "{}: a workflow is already named `{MAIN}`",
            entry.fixture
        ));
    }
    if let Some(sources) = doc.get_mut("sourceDescriptions") {
        *sources = serde_json::json!([
            {"name": SOURCE, "url": "api.openapi.json", "type": "openapi"}
        ]);
    }
    rename(&mut doc, &name, &entry.workflow);
    let arazzo = serde_yaml::to_string(&doc).map_err(|e| e.to_string())?;
    Ok(Case {
        name: entry.name,
        openapi,
        arazzo,
        inputs: entry.inputs,
        server: entry.server,
    })
}

/// Renames source `source` to `api` in expressions, and workflow `workflow` to `main` where it
/// is named (`workflowId`, `dependsOn`, `$workflows.<id>`).
fn rename(node: &mut Value, source: &str, workflow: &str) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), &mut *value) {
                    ("workflowId", Value::String(id)) if id == workflow => *id = MAIN.to_owned(),
                    ("dependsOn", Value::Array(ids)) => {
                        for id in ids {
                            if id.as_str() == Some(workflow) {
                                *id = Value::String(MAIN.to_owned());
                            }
                        }
                    }
                    _ => rename(value, source, workflow),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename(v, source, workflow)),
        Value::String(text) => {
            *text = text
                .replace(
                    &format!("$sourceDescriptions.{source}."),
                    &format!("$sourceDescriptions.{SOURCE}."),
                )
                .replace(
                    &format!("$workflows.{workflow}."),
                    &format!("$workflows.{MAIN}."),
                );
        }
        _ => {}
    }
}
