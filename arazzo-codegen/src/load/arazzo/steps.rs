//! Steps: targets, parameters, request bodies.

use super::*;

pub(super) fn step(d: &mut Decoder<'_>, node: &Node) -> Option<Step> {
    let obj = d.object(node, "Step object", STEP, true)?;
    let step_id = d.req_str(&obj, "stepId");
    if let Some(id) = &step_id {
        d.check_id(id, "stepId", false);
    }
    let target = step_target(d, &obj);
    let request_body = obj.map.get("requestBody").and_then(|n| request_body(d, n));
    d.not_empty(&obj, "successCriteria");
    let success_criteria = criteria(d, &obj, "successCriteria");
    let on_success = actions(d, &obj, "onSuccess", ActionRole::Success);
    let on_failure = actions(d, &obj, "onFailure", ActionRole::Failure);
    let outputs = outputs(d, &obj);
    let parameters = parameters(d, &obj);
    let timeout = if d.since_1_1(&obj, "timeout") {
        obj.map.get("timeout").and_then(|n| match n.value {
            Value::Int(i) if i >= 0 => Some(Spanned::new(i.unsigned_abs(), n.span)),
            _ => {
                d.wrong_type(n, "`timeout`", "a non-negative number of milliseconds");
                None
            }
        })
    } else {
        None
    };
    let depends_on = if d.since_1_1(&obj, "dependsOn") {
        d.not_empty(&obj, "dependsOn");
        list_of_strings(d, &obj, "dependsOn", "a `dependsOn` entry")
    } else {
        Vec::new()
    };
    let action = if d.since_1_1(&obj, "action") {
        obj.map.get("action").and_then(|n| {
            let text = d.string(n, "`action`")?;
            if !["send", "receive"].contains(&text.value.as_str()) {
                invalid_choice(d, n, "step action", &text.value, &["send", "receive"]);
                return None;
            }
            Some(text)
        })
    } else {
        None
    };
    let correlation_id = if d.since_1_1(&obj, "correlationId") {
        obj.map.get("correlationId").cloned()
    } else {
        None
    };
    if let (Some(c), Some(a)) = (&correlation_id, &action)
        && a.value != "receive"
    {
        d.error(
            Diagnostic::new(
                Code::InvalidValue,
                "`correlationId` is for steps that receive a message",
            )
            .at(c.span)
            .label("on a step that sends")
            .secondary(a.span, "this step sends")
            .help("remove `correlationId`, or make the step `action: receive`"),
        );
    }
    Some(Step {
        step_id: step_id?,
        timeout,
        depends_on,
        action,
        correlation_id,
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

pub(super) fn step_target(d: &mut Decoder<'_>, obj: &Object<'_>) -> Option<StepTarget> {
    let mut found = Vec::new();
    let fields = ["operationId", "operationPath", "channelPath", "workflowId"];
    for field in fields {
        if field == "channelPath" && !d.since_1_1(obj, field) {
            continue;
        }
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
                "channelPath" => StepTarget::ChannelPath(text),
                _ => StepTarget::WorkflowId(text),
            })
        }
        0 => {
            if !fields
                .iter()
                .any(|f| obj.map.get(f).is_some() || Decoder::misspelt(obj, f))
            {
                let redocly = obj.map.get("x-operation").is_some();
                d.error(
                    Diagnostic::new(Code::StepTarget, "step has no target")
                        .at(d.head(obj.node))
                        .label("this step names no operation or workflow")
                        .help(if redocly {
                            "add exactly one of `operationId`, `operationPath` or `workflowId`; `x-operation` is Redocly's extension, which `--compatibility lenient` reads as a plain request"
                        } else {
                            "add exactly one of `operationId`, `operationPath` or `workflowId`"
                        }),
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

pub(super) fn request_body(d: &mut Decoder<'_>, node: &Node) -> Option<RequestBody> {
    let obj = d.object(node, "Request Body object", REQUEST_BODY, true)?;
    let replacements = d
        .opt_seq(&obj, "replacements")
        .iter()
        .filter_map(|n| {
            let r = d.object(n, "Payload Replacement object", REPLACEMENT, true)?;
            let target = d.req_str(&r, "target");
            let target_type = if d.since_1_1(&r, "targetSelectorType") {
                r.map
                    .get("targetSelectorType")
                    .and_then(|t| expression_type(d, t, "target selector type"))
            } else {
                None
            };
            let value = d.req_node(&r, "value").cloned();
            if let Some(v) = &value {
                value_or_selector(d, v, false);
            }
            Some(PayloadReplacement {
                target: target?,
                target_type,
                value: value?,
                extensions: d.extensions(&r),
            })
        })
        .collect();
    Some(RequestBody {
        content_type: d.opt_str(&obj, "contentType"),
        payload: obj
            .map
            .get("payload")
            .inspect(|p| value_or_selector(d, p, true))
            .cloned(),
        replacements,
        span: node.span,
        extensions: d.extensions(&obj),
    })
}

/// A list of strings (`dependsOn`).
pub(super) fn list_of_strings(
    d: &mut Decoder<'_>,
    obj: &Object<'_>,
    field: &str,
    what: &str,
) -> Vec<Spanned<String>> {
    d.opt_seq(obj, field)
        .iter()
        .filter_map(|n| d.string(n, what))
        .collect()
}
