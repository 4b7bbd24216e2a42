//! Reading an Arazzo 1.0.x document from its located tree.

use super::decode::{Decoder, Object};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::node::{Node, Value};
use crate::source_map::FileId;
use crate::suggest;

const DOCUMENT: &[&str] = &[
    "arazzo",
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
    "workflowId",
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
const REPLACEMENT: &[&str] = &["target", "value"];
const CRITERION: &[&str] = &["context", "condition", "type"];
const EXPRESSION_TYPE: &[&str] = &["type", "version"];
const SUCCESS_ACTION: &[&str] = &["name", "type", "workflowId", "stepId", "criteria"];
const FAILURE_ACTION: &[&str] = &[
    "name",
    "type",
    "workflowId",
    "stepId",
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
    let arazzo = d.req_node(&obj, "arazzo").and_then(|n| version(d, n))?;
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
        info,
        source_descriptions,
        workflows,
        components,
        extensions: d.extensions(&obj),
    })
}

fn version(d: &mut Decoder<'_>, node: &Node) -> Option<Spanned<String>> {
    let Some(text) = d.raw_scalar(node) else {
        d.wrong_type(node, "`arazzo`", "a version string");
        return None;
    };
    let parts: Vec<&str> = text.split('.').collect();
    let supported = matches!(parts.as_slice(), ["1", "0", patch] if patch.chars().all(|c| c.is_ascii_digit()) && !patch.is_empty());
    if !supported {
        let message = if text.starts_with("1.1") {
            format!("Arazzo {text} is not supported yet")
        } else {
            format!("unsupported Arazzo version `{text}`")
        };
        d.error(
            Diagnostic::new(Code::UnsupportedVersion, message)
                .at(node.span)
                .label("this version")
                .note("arazzo-rs reads Arazzo 1.0.0 and 1.0.1 documents (`arazzo: 1.0.1`)"),
        );
        return None;
    }
    Some(Spanned::new(text, node.span))
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
            other => {
                invalid_choice(
                    d,
                    n,
                    "source description type",
                    other,
                    &["openapi", "arazzo"],
                );
                None
            }
        }
    });
    if let Some(name) = &name {
        d.check_id(name, "source description name", false);
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

fn outputs(d: &mut Decoder<'_>, obj: &Object<'_>) -> Vec<Output> {
    d.opt_map(obj, "outputs")
        .iter()
        .map(|e| {
            let name = Spanned::new(e.key.clone(), e.key_span);
            d.check_id(&name, "output name", true);
            Output {
                name,
                value: e.value.clone(),
            }
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
            Some((_, loc)) => Some(Spanned::new(*loc, n.span)),
            None => {
                let names: Vec<&str> = ParamLocation::ALL.iter().map(|(s, _)| *s).collect();
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
    Some(Parameter {
        name: name?,
        location,
        value: value?,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

fn step(d: &mut Decoder<'_>, node: &Node) -> Option<Step> {
    let obj = d.object(node, "Step object", STEP, true)?;
    let step_id = d.req_str(&obj, "stepId");
    if let Some(id) = &step_id {
        d.check_id(id, "stepId", false);
    }
    let target = step_target(d, &obj);
    let request_body = obj.map.get("requestBody").and_then(|n| request_body(d, n));
    let success_criteria = criteria(d, &obj, "successCriteria");
    let on_success = actions(d, &obj, "onSuccess", ActionRole::Success);
    let on_failure = actions(d, &obj, "onFailure", ActionRole::Failure);
    let outputs = outputs(d, &obj);
    let parameters = parameters(d, &obj);
    Some(Step {
        step_id: step_id?,
        description: d.opt_str(&obj, "description"),
        target,
        parameters,
        request_body,
        success_criteria,
        on_success,
        on_failure,
        outputs,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

fn step_target(d: &mut Decoder<'_>, obj: &Object<'_>) -> Option<StepTarget> {
    let mut found = Vec::new();
    for field in ["operationId", "operationPath", "workflowId"] {
        if let Some(n) = obj.map.get(field)
            && let Some(text) = d.string(n, &format!("`{field}`"))
        {
            found.push((field, text));
        }
    }
    match found.len() {
        1 => {
            let (field, text) = found.pop()?;
            Some(match field {
                "operationId" => StepTarget::OperationId(text),
                "operationPath" => StepTarget::OperationPath(text),
                _ => StepTarget::WorkflowId(text),
            })
        }
        0 => {
            if !["operationId", "operationPath", "workflowId"]
                .iter()
                .any(|f| obj.map.get(f).is_some() || Decoder::misspelt(obj, f))
            {
                d.error(
                    Diagnostic::new(Code::StepTarget, "step has no target")
                        .at(d.head(obj.node))
                        .label("this step names no operation or workflow")
                        .help("add exactly one of `operationId`, `operationPath` or `workflowId`"),
                );
            }
            None
        }
        _ => {
            let mut diagnostic = Diagnostic::new(
                Code::StepTarget,
                format!(
                    "step has {} targets; exactly one of `operationId`, `operationPath` or `workflowId` is allowed",
                    found.len()
                ),
            );
            for (i, (field, text)) in found.iter().enumerate() {
                if i == 0 {
                    diagnostic = diagnostic.at(text.span).label(format!("`{field}` here"));
                } else {
                    diagnostic = diagnostic.secondary(text.span, format!("and `{field}` here"));
                }
            }
            d.error(diagnostic.help("keep one target and remove the others"));
            None
        }
    }
}

fn request_body(d: &mut Decoder<'_>, node: &Node) -> Option<RequestBody> {
    let obj = d.object(node, "Request Body object", REQUEST_BODY, true)?;
    let replacements = d
        .opt_seq(&obj, "replacements")
        .iter()
        .filter_map(|n| {
            let r = d.object(n, "Payload Replacement object", REPLACEMENT, true)?;
            let target = d.req_str(&r, "target");
            let value = d.req_node(&r, "value").cloned();
            Some(PayloadReplacement {
                target: target?,
                value: value?,
                extensions: d.extensions(&r),
            })
        })
        .collect();
    Some(RequestBody {
        content_type: d.opt_str(&obj, "contentType"),
        payload: obj.map.get("payload").cloned(),
        replacements,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

fn criteria(d: &mut Decoder<'_>, obj: &Object<'_>, field: &str) -> Vec<Criterion> {
    d.opt_seq(obj, field)
        .iter()
        .filter_map(|n| criterion(d, n))
        .collect()
}

fn criterion(d: &mut Decoder<'_>, node: &Node) -> Option<Criterion> {
    let obj = d.object(node, "Criterion object", CRITERION, true)?;
    let condition_node = d.req_node(&obj, "condition")?;
    let condition = match &condition_node.value {
        // `condition: true` is a literal condition; keep its text.
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            Spanned::new(d.raw_scalar(condition_node)?, condition_node.span)
        }
        _ => d.string(condition_node, "`condition`")?,
    };
    let context = d.opt_str(&obj, "context");
    let kind = match obj.map.get("type") {
        None => Spanned::new(CriterionType::Simple, node.span),
        Some(t) => {
            let kind = criterion_type(d, t)?;
            if context.is_none() && kind.value != CriterionType::Simple {
                d.error(
                    Diagnostic::new(
                        Code::MissingField,
                        "a criterion with a `type` needs a `context`",
                    )
                    .at(d.head(node))
                    .label("`context` expected in this criterion")
                    .help("add the value the condition applies to, e.g. `context: $response.body`"),
                );
            }
            kind
        }
    };
    Some(Criterion {
        context_node: context
            .as_ref()
            .and_then(|_| obj.map.get("context").cloned()),
        context,
        condition,
        condition_node: condition_node.clone(),
        kind,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

fn criterion_type(d: &mut Decoder<'_>, node: &Node) -> Option<Spanned<CriterionType>> {
    const TYPES: &[&str] = &["simple", "regex", "jsonpath", "xpath"];
    if let Some(name) = node.as_str() {
        let kind = match name {
            "simple" => CriterionType::Simple,
            "regex" => CriterionType::Regex,
            "jsonpath" => CriterionType::JsonPath { version: None },
            "xpath" => CriterionType::XPath { version: None },
            other => {
                invalid_choice(d, node, "criterion type", other, TYPES);
                return None;
            }
        };
        return Some(Spanned::new(kind, node.span));
    }
    let obj = d.object(
        node,
        "Criterion Expression Type object",
        EXPRESSION_TYPE,
        true,
    )?;
    let name = d.req_str(&obj, "type")?;
    let version = d.req_str(&obj, "version")?;
    let (kind, versions): (CriterionType, &[&str]) = match name.value.as_str() {
        "jsonpath" => (
            CriterionType::JsonPath {
                version: Some(version.clone()),
            },
            &["draft-goessner-dispatch-jsonpath-00"],
        ),
        "xpath" => (
            CriterionType::XPath {
                version: Some(version.clone()),
            },
            &["xpath-30", "xpath-20", "xpath-10"],
        ),
        other => {
            let n = obj.map.get("type").unwrap_or(node);
            invalid_choice(
                d,
                n,
                "criterion expression type",
                other,
                &["jsonpath", "xpath"],
            );
            return None;
        }
    };
    if !versions.contains(&version.value.as_str()) {
        let diagnostic = Diagnostic::new(
            Code::InvalidValue,
            format!("unknown {} version `{}`", name.value, version.value),
        )
        .at(version.span)
        .label("unknown version")
        .note(format!(
            "expected one of {}",
            suggest::list(versions.iter().copied())
        ))
        .help_opt(suggest::did_you_mean(
            &version.value,
            versions.iter().copied(),
        ));
        d.error(diagnostic);
        return None;
    }
    Some(Spanned::new(kind, node.span))
}

fn actions(d: &mut Decoder<'_>, obj: &Object<'_>, field: &str, role: ActionRole) -> ActionList {
    d.opt_seq(obj, field)
        .iter()
        .filter_map(|n| {
            if n.get("reference").is_some() {
                reusable(d, n).map(ActionOrRef::Reusable)
            } else {
                action(d, n, role).map(ActionOrRef::Action)
            }
        })
        .collect()
}

pub fn action(d: &mut Decoder<'_>, node: &Node, role: ActionRole) -> Option<Action> {
    let fields = match role {
        ActionRole::Success => SUCCESS_ACTION,
        ActionRole::Failure => FAILURE_ACTION,
    };
    let obj = d.object(node, role.what(), fields, true)?;
    let name = d.req_str(&obj, "name");
    let kind = d.req_node(&obj, "type").and_then(|n| {
        let text = d.string(n, "`type`")?;
        let allowed: &[&str] = match role {
            ActionRole::Success => &["end", "goto"],
            ActionRole::Failure => &["end", "goto", "retry"],
        };
        let kind = match text.value.as_str() {
            "end" => ActionKind::End,
            "goto" => ActionKind::Goto,
            "retry" if role == ActionRole::Failure => ActionKind::Retry,
            other => {
                let what = match role {
                    ActionRole::Success => "success action type",
                    ActionRole::Failure => "failure action type",
                };
                invalid_choice(d, n, what, other, allowed);
                return None;
            }
        };
        Some(Spanned::new(kind, n.span))
    });
    let retry_after = obj.map.get("retryAfter").and_then(|n| match n.value {
        Value::Int(i) if i >= 0 => Some(Spanned::new(i as f64, n.span)),
        Value::Float(f) if f >= 0.0 && f.is_finite() => Some(Spanned::new(f, n.span)),
        _ => {
            d.wrong_type(n, "`retryAfter`", "a non-negative number of seconds");
            None
        }
    });
    let retry_limit = obj.map.get("retryLimit").and_then(|n| match n.value {
        Value::Int(i) if i >= 0 => Some(Spanned::new(i.unsigned_abs(), n.span)),
        _ => {
            d.wrong_type(n, "`retryLimit`", "a non-negative integer");
            None
        }
    });
    let criteria = criteria(d, &obj, "criteria");
    Some(Action {
        name: name?,
        kind: kind?,
        workflow_id: d.opt_str(&obj, "workflowId"),
        step_id: d.opt_str(&obj, "stepId"),
        retry_after,
        retry_limit,
        criteria,
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
    d.check_id(
        &Spanned::new(entry.key.clone(), entry.key_span),
        "component name",
        true,
    );
}
