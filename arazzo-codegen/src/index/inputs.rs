//! What a workflow's declarations name, for every stage after loading: its declared and
//! required inputs (through `$ref`s into `components.inputs`), which declared name a dotted
//! path means, and parameter lists with Reusable references replaced.

use crate::load::{ArazzoId, Project};
use crate::model::{Document, Parameter, ParameterOrRef, Workflow};
use crate::node::Node;

/// The input schema of `workflow` in document `doc`, through a `$ref` into `components.inputs`.
pub fn input_schema_of<'p>(
    project: &'p Project,
    doc: ArazzoId,
    workflow: &'p Workflow,
) -> Option<&'p Node> {
    let schema = workflow.inputs.as_ref()?;
    match schema.get("$ref").and_then(Node::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/inputs/")?;
            Some(
                &project
                    .arazzo
                    .get(doc.0)?
                    .document
                    .components
                    .inputs
                    .get(name)?
                    .value,
            )
        }
        None => Some(schema),
    }
}

/// The declared input names of `workflow` in document `doc`, owned (for later stages).
pub fn declared_input_names(project: &Project, doc: ArazzoId, workflow: &Workflow) -> Vec<String> {
    input_schema_of(project, doc, workflow)
        .and_then(|s| s.get("properties"))
        .and_then(Node::as_map)
        .map(|m| m.keys().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The input names `workflow` requires (`required` of its schema).
pub fn required_input_names(project: &Project, doc: ArazzoId, workflow: &Workflow) -> Vec<String> {
    input_schema_of(project, doc, workflow)
        .and_then(|s| s.get("required"))
        .and_then(Node::as_seq)
        .map(|r| {
            r.iter()
                .filter_map(Node::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The declared name that `path` (`a.b.c`) names or navigates into: names may contain dots,
/// so `a.b` is the input `a.b` when one exists, else member `b` of input `a`.
pub fn resolve_dotted<'n>(path: &str, declared: &[&'n str]) -> Option<&'n str> {
    declared
        .iter()
        .filter(|d| {
            path == **d
                || path
                    .strip_prefix(**d)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|d| d.len())
        .copied()
}

/// A parameter list with Reusable references replaced by their components, without reporting
/// (for stages after the checks).
pub fn resolve_parameters_of(document: &Document, list: &[ParameterOrRef]) -> Vec<Parameter> {
    list.iter()
        .filter_map(|p| match p {
            ParameterOrRef::Parameter(p) => Some(p.clone()),
            ParameterOrRef::Reusable(r) => {
                let name = r.reference.value.strip_prefix("$components.parameters.")?;
                let mut p = document.components.parameters.get(name)?.value.clone();
                if let Some(value) = &r.value {
                    p.value = value.clone();
                }
                Some(p)
            }
        })
        .collect()
}
