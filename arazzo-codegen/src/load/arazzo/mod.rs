//! Reading an Arazzo 1.0.x or 1.1.x document from its located tree. Fields that came with 1.1
//! are read in 1.1 documents and reported in 1.0 ones (`Decoder::since_1_1`).

mod criteria;
mod steps;

use super::decode::{Decoder, Object};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::node::{Node, Value};
use crate::source_map::FileId;
use crate::suggest;
use criteria::*;
use steps::*;

const DOCUMENT: &[&str] = &[
    "arazzo",
    "$self",
    "info",
    "sourceDescriptions",
    "workflows",
    "components",
];
const INFO: &[&str] = &["title", "summary", "description", "version"];
const SOURCE: &[&str] = &["name", "url", "type"];
const WORKFLOW: &[&str] = &[
    "workflowId",
    "summary",
    "description",
    "inputs",
    "dependsOn",
    "steps",
    "successActions",
    "failureActions",
    "outputs",
    "parameters",
];
const STEP: &[&str] = &[
    "description",
    "stepId",
    "operationId",
    "operationPath",
    "channelPath",
    "workflowId",
    "timeout",
    "dependsOn",
    "action",
    "correlationId",
    "parameters",
    "requestBody",
    "successCriteria",
    "onSuccess",
    "onFailure",
    "outputs",
];
const PARAMETER: &[&str] = &["name", "in", "value"];
const REUSABLE: &[&str] = &["reference", "value"];
const REQUEST_BODY: &[&str] = &["contentType", "payload", "replacements"];
const REPLACEMENT: &[&str] = &["target", "targetSelectorType", "value"];
const CRITERION: &[&str] = &["context", "condition", "type"];
const EXPRESSION_TYPE: &[&str] = &["type", "version"];
const SUCCESS_ACTION: &[&str] = &[
    "name",
    "type",
    "workflowId",
    "stepId",
    "parameters",
    "criteria",
];
const FAILURE_ACTION: &[&str] = &[
    "name",
    "type",
    "workflowId",
    "stepId",
    "parameters",
    "retryAfter",
    "retryLimit",
    "criteria",
];
const COMPONENTS: &[&str] = &["inputs", "parameters", "successActions", "failureActions"];

/// Whether an action list holds success or failure actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionRole {
    Success,
    Failure,
}

impl ActionRole {
    fn what(self) -> &'static str {
        match self {
            ActionRole::Success => "Success Action object",
            ActionRole::Failure => "Failure Action object",
        }
    }
}

/// Reads the top level. Returns `None` only when nothing useful could be read.
pub fn document(d: &mut Decoder<'_>, file: FileId, root: &Node) -> Option<Document> {
    let obj = d.object(root, "Arazzo document", DOCUMENT, true)?;
    let (arazzo, version) = d.req_node(&obj, "arazzo").and_then(|n| version(d, n))?;
    d.version = version;
    d.version_text = arazzo.value.clone();
    let self_uri = if d.since_1_1(&obj, "$self") {
        d.opt_str(&obj, "$self")
    } else {
        None
    };
    if let Some(uri) = &self_uri
        && uri.value.contains('#')
    {
        d.error(
            Diagnostic::new(Code::InvalidValue, "`$self` must not contain a fragment")
                .at(uri.span)
                .label("a `#…` fragment")
                .help("drop the fragment: `$self` names the whole document"),
        );
    }
    let info = d
        .req_node(&obj, "info")
        .and_then(|n| info(d, n))
        .unwrap_or_else(|| Info {
            title: Spanned::new(String::new(), root.span),
            summary: None,
            description: None,
            version: Spanned::new(String::new(), root.span),
            extensions: Extensions::new(),
        });
    let source_descriptions = non_empty_list(d, &obj, "sourceDescriptions")
        .iter()
        .filter_map(|n| source(d, n))
        .collect();
    let workflows = non_empty_list(d, &obj, "workflows")
        .iter()
        .filter_map(|n| workflow(d, n))
        .collect();
    let components = obj
        .map
        .get("components")
        .and_then(|n| components(d, n))
        .unwrap_or_default();
    Some(Document {
        file,
        arazzo,
        version,
        self_uri,
        info,
        source_descriptions,
        workflows,
        components,
        extensions: d.extensions(&obj),
    })
}

/// `1.0.x` or `1.1.x` (a pre-release suffix such as `1.1.0-rc1` allowed, as the official
/// schemas allow it); the patch number does not change the feature set.
fn version(d: &mut Decoder<'_>, node: &Node) -> Option<(Spanned<String>, ArazzoVersion)> {
    let Some(text) = d.raw_scalar(node) else {
        d.wrong_type(node, "`arazzo`", "a version string");
        return None;
    };
    let release = text.split_once('-').map_or(text.as_str(), |(r, _)| r);
    let parts: Vec<&str> = release.split('.').collect();
    let version = match parts.as_slice() {
        ["1", minor, patch] if !patch.is_empty() && patch.chars().all(|c| c.is_ascii_digit()) => {
            match *minor {
                "0" => Some(ArazzoVersion::V1_0),
                "1" => Some(ArazzoVersion::V1_1),
                _ => None,
            }
        }
        _ => None,
    };
    let Some(version) = version else {
        d.error(
            Diagnostic::new(
                Code::UnsupportedVersion,
                format!("unsupported Arazzo version `{text}`"),
            )
            .at(node.span)
            .label("this version")
            .note("arazzo-rs reads Arazzo 1.0.x and 1.1.x documents (`arazzo: 1.1.0`)"),
        );
        return None;
    };
    Some((Spanned::new(text, node.span), version))
}

fn non_empty_list<'n>(d: &mut Decoder<'_>, obj: &Object<'n>, field: &str) -> &'n [Node] {
    if obj.map.get(field).is_none() {
        d.missing(obj, field);
        return &[];
    }
    let items = d.opt_seq(obj, field);
    if items.is_empty()
        && let Some(node) = obj.map.get(field)
        && node.as_seq().is_some()
    {
        d.error(
            Diagnostic::new(
                Code::InvalidValue,
                format!("`{field}` must list at least one entry"),
            )
            .at(node.span)
            .label("empty list"),
        );
    }
    items
}

fn info(d: &mut Decoder<'_>, node: &Node) -> Option<Info> {
    let obj = d.object(node, "Info object", INFO, true)?;
    let title = d.req_str(&obj, "title");
    let version = d
        .req_node(&obj, "version")
        .and_then(|n| d.raw_scalar(n).map(|t| Spanned::new(t, n.span)));
    Some(Info {
        title: title.unwrap_or_else(|| Spanned::new(String::new(), node.span)),
        summary: d.opt_str(&obj, "summary"),
        description: d.opt_str(&obj, "description"),
        version: version.unwrap_or_else(|| Spanned::new(String::new(), node.span)),
        extensions: d.extensions(&obj),
    })
}

fn source(d: &mut Decoder<'_>, node: &Node) -> Option<SourceDescription> {
    let obj = d.object(node, "Source Description object", SOURCE, true)?;
    let name = d.req_str(&obj, "name");
    let url = d.req_str(&obj, "url");
    let kind = obj.map.get("type").and_then(|n| {
        let text = d.string(n, "`type`")?;
        match text.value.as_str() {
            "openapi" => Some(Spanned::new(SourceType::OpenApi, n.span)),
            "arazzo" => Some(Spanned::new(SourceType::Arazzo, n.span)),
            "asyncapi" if d.newer(n.span, "`type: asyncapi`") => {
                Some(Spanned::new(SourceType::AsyncApi, n.span))
            }
            "asyncapi" => None,
            other => {
                let allowed: &[&str] = match d.version {
                    ArazzoVersion::V1_0 => &["openapi", "arazzo"],
                    ArazzoVersion::V1_1 => &["openapi", "asyncapi", "arazzo"],
                };
                invalid_choice(d, n, "source description type", other, allowed);
                None
            }
        }
    });
    if let Some(name) = &name {
        d.check_name(name, "source description name", false);
    }
    Some(SourceDescription {
        name: name?,
        url: url?,
        kind,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

fn invalid_choice(d: &mut Decoder<'_>, node: &Node, what: &str, found: &str, allowed: &[&str]) {
    let diagnostic = Diagnostic::new(
        Code::InvalidValue,
        format!("`{found}` is not a valid {what}"),
    )
    .at(node.span)
    .label("unknown value")
    .note(format!(
        "expected one of {}",
        suggest::list(allowed.iter().copied())
    ))
    .help_opt(suggest::did_you_mean(found, allowed.iter().copied()));
    d.error(diagnostic);
}

fn workflow(d: &mut Decoder<'_>, node: &Node) -> Option<Workflow> {
    let obj = d.object(node, "Workflow object", WORKFLOW, true)?;
    let workflow_id = d.req_str(&obj, "workflowId");
    if let Some(id) = &workflow_id {
        d.check_id(id, "workflowId", false);
    }
    let steps_node = d.req_node(&obj, "steps");
    let steps: Vec<Step> = match steps_node {
        Some(n) => match n.as_seq() {
            Some(items) => {
                if items.is_empty() {
                    d.error(
                        Diagnostic::new(Code::InvalidValue, "a workflow needs at least one step")
                            .at(n.span)
                            .label("empty list"),
                    );
                }
                items.iter().filter_map(|s| step(d, s)).collect()
            }
            None => {
                d.wrong_type(n, "`steps`", "a list");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let depends_on = d
        .opt_seq(&obj, "dependsOn")
        .iter()
        .filter_map(|n| d.string(n, "a `dependsOn` entry"))
        .collect();
    let success_actions = actions(d, &obj, "successActions", ActionRole::Success);
    let failure_actions = actions(d, &obj, "failureActions", ActionRole::Failure);
    let outputs = outputs(d, &obj);
    let parameters = parameters(d, &obj);
    Some(Workflow {
        workflow_id: workflow_id?,
        summary: d.opt_str(&obj, "summary"),
        description: d.opt_str(&obj, "description"),
        inputs: obj.map.get("inputs").cloned(),
        depends_on,
        steps,
        success_actions,
        failure_actions,
        outputs,
        parameters,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

/// Outputs: runtime expressions, or (1.1) Selector Objects. Other values are kept for the
/// checks, which know whether lenient compatibility reads them as constants.
fn outputs(d: &mut Decoder<'_>, obj: &Object<'_>) -> Vec<Output> {
    d.opt_map(obj, "outputs")
        .iter()
        .filter_map(|e| {
            let name = Spanned::new(e.key.clone(), e.key_span);
            d.check_name(&name, "output name", true);
            if let Some(s) = Selector::of(&e.value) {
                if !d.newer(crate::node::head(&e.value, d.file), "a Selector Object") {
                    return None;
                }
                selector(d, &s);
            }
            Some(Output {
                name,
                value: e.value.clone(),
            })
        })
        .collect()
}

fn parameters(d: &mut Decoder<'_>, obj: &Object<'_>) -> Vec<ParameterOrRef> {
    d.opt_seq(obj, "parameters")
        .iter()
        .filter_map(|n| {
            if n.get("reference").is_some() {
                reusable(d, n).map(ParameterOrRef::Reusable)
            } else {
                parameter(d, n).map(ParameterOrRef::Parameter)
            }
        })
        .collect()
}

fn reusable(d: &mut Decoder<'_>, node: &Node) -> Option<Reusable> {
    let obj = d.object(node, "Reusable object", REUSABLE, false)?;
    Some(Reusable {
        reference: d.req_str(&obj, "reference")?,
        value: obj.map.get("value").cloned(),
        span: node.span,
    })
}

fn parameter(d: &mut Decoder<'_>, node: &Node) -> Option<Parameter> {
    let obj = d.object(node, "Parameter object", PARAMETER, true)?;
    let name = d.req_str(&obj, "name");
    let location = obj.map.get("in").and_then(|n| {
        let text = d.string(n, "`in`")?;
        match ParamLocation::ALL.iter().find(|(s, _)| *s == text.value) {
            Some((_, loc @ (ParamLocation::QueryString | ParamLocation::Channel))) => d
                .newer(n.span, &format!("`in: {}`", text.value))
                .then(|| Spanned::new(*loc, n.span)),
            Some((_, loc)) => Some(Spanned::new(*loc, n.span)),
            None => {
                let names: Vec<&str> = ParamLocation::ALL
                    .iter()
                    .filter(|(_, l)| {
                        d.version >= ArazzoVersion::V1_1
                            || !matches!(l, ParamLocation::QueryString | ParamLocation::Channel)
                    })
                    .map(|(s, _)| *s)
                    .collect();
                let mut diagnostic = Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{}` is not a parameter location", text.value),
                )
                .at(n.span)
                .label("unknown location")
                .note(format!(
                    "expected one of {}",
                    suggest::list(names.iter().copied())
                ));
                diagnostic = if text.value == "body" || text.value == "formData" {
                    diagnostic.help(
                        "request bodies are given in the step's `requestBody`, not as parameters",
                    )
                } else {
                    diagnostic.help_opt(suggest::did_you_mean(&text.value, names.iter().copied()))
                };
                d.error(diagnostic);
                None
            }
        }
    });
    let value = d.req_node(&obj, "value").cloned();
    if let Some(v) = &value {
        value_or_selector(d, v, false);
    }
    Some(Parameter {
        name: name?,
        location,
        value: value?,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

fn components(d: &mut Decoder<'_>, node: &Node) -> Option<Components> {
    let obj = d.object(node, "Components object", COMPONENTS, true)?;
    let mut components = Components {
        extensions: d.extensions(&obj),
        ..Components::default()
    };
    for e in d.opt_map(&obj, "inputs") {
        component_name(d, e);
        components.inputs.insert(
            e.key.clone(),
            Component {
                name_span: e.key_span,
                value: e.value.clone(),
            },
        );
    }
    for e in d.opt_map(&obj, "parameters") {
        component_name(d, e);
        if let Some(p) = parameter(d, &e.value) {
            components.parameters.insert(
                e.key.clone(),
                Component {
                    name_span: e.key_span,
                    value: p,
                },
            );
        }
    }
    for (field, role) in [
        ("successActions", ActionRole::Success),
        ("failureActions", ActionRole::Failure),
    ] {
        for e in d.opt_map(&obj, field) {
            component_name(d, e);
            if let Some(a) = action(d, &e.value, role) {
                let target = match role {
                    ActionRole::Success => &mut components.success_actions,
                    ActionRole::Failure => &mut components.failure_actions,
                };
                target.insert(
                    e.key.clone(),
                    Component {
                        name_span: e.key_span,
                        value: a,
                    },
                );
            }
        }
    }
    Some(components)
}

fn component_name(d: &mut Decoder<'_>, entry: &crate::node::Entry) {
    d.check_name(
        &Spanned::new(entry.key.clone(), entry.key_span),
        "component name",
        true,
    );
}

/// A Selector Object's fields: a context expression, a selector string, a type.
pub(super) fn selector(d: &mut Decoder<'_>, s: &Selector<'_>) {
    expression_type(d, s.kind, "selector type");
}

/// A value that may be a Selector Object (1.1) or, with `nested`, contain them (a payload):
/// their types are read in a 1.1 document. In a 1.0 document a mapping is a literal, as it
/// always was.
pub(super) fn value_or_selector(d: &mut Decoder<'_>, node: &Node, nested: bool) {
    if d.version < ArazzoVersion::V1_1 {
        return;
    }
    if let Some(s) = Selector::of(node) {
        selector(d, &s);
        return;
    }
    if !nested {
        return;
    }
    match &node.value {
        Value::Map(map) => map
            .entries
            .iter()
            .for_each(|e| value_or_selector(d, &e.value, true)),
        Value::Seq(items) => items.iter().for_each(|n| value_or_selector(d, n, true)),
        _ => {}
    }
}
