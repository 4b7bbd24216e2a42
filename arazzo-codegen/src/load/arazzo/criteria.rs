//! Criteria and their expression types, and success and failure actions.

use super::*;

pub(super) fn criteria(d: &mut Decoder<'_>, obj: &Object<'_>, field: &str) -> Vec<Criterion> {
    d.opt_seq(obj, field)
        .iter()
        .filter_map(|n| criterion(d, n))
        .collect()
}

pub(super) fn criterion(d: &mut Decoder<'_>, node: &Node) -> Option<Criterion> {
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

pub(super) fn criterion_type(d: &mut Decoder<'_>, node: &Node) -> Option<Spanned<CriterionType>> {
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
    let kind = expression_type(d, node, "criterion expression type")?;
    Some(Spanned::new(
        match kind.value {
            ExpressionType::JsonPath { version } => CriterionType::JsonPath { version },
            ExpressionType::XPath { version } => CriterionType::XPath { version },
            ExpressionType::JsonPointer => CriterionType::JsonPointer,
        },
        kind.span,
    ))
}

/// A selector type: `jsonpath`, `xpath` or `jsonpointer` (1.1), or an Expression Type Object
/// `{type, version}`. Arazzo 1.0 knows only the object form, for JSONPath and XPath, and fewer
/// versions.
pub(super) fn expression_type(
    d: &mut Decoder<'_>,
    node: &Node,
    what: &str,
) -> Option<Spanned<ExpressionType>> {
    if let Some(name) = node.as_str() {
        let kind = match name {
            "jsonpath" => ExpressionType::JsonPath { version: None },
            "xpath" => ExpressionType::XPath { version: None },
            "jsonpointer" => ExpressionType::JsonPointer,
            other => {
                invalid_choice(d, node, what, other, &["jsonpath", "xpath", "jsonpointer"]);
                return None;
            }
        };
        return Some(Spanned::new(kind, node.span));
    }
    let obj = d.object(node, "Expression Type object", EXPRESSION_TYPE, true)?;
    let name = d.req_str(&obj, "type")?;
    let version = d.req_str(&obj, "version")?;
    let v1_0 = d.version == ArazzoVersion::V1_0;
    let (kind, versions, newer): (ExpressionType, &[&str], &[&str]) = match name.value.as_str() {
        "jsonpath" => (
            ExpressionType::JsonPath {
                version: Some(version.clone()),
            },
            &["rfc9535", "draft-goessner-dispatch-jsonpath-00"],
            &["rfc9535"],
        ),
        "xpath" => (
            ExpressionType::XPath {
                version: Some(version.clone()),
            },
            &["xpath-31", "xpath-30", "xpath-20", "xpath-10"],
            &["xpath-31"],
        ),
        "jsonpointer" if d.newer(name.span, "`type: jsonpointer`") => {
            (ExpressionType::JsonPointer, &["rfc6901"], &[])
        }
        "jsonpointer" => return None,
        other => {
            let n = obj.map.get("type").unwrap_or(node);
            let allowed: &[&str] = if v1_0 {
                &["jsonpath", "xpath"]
            } else {
                &["jsonpath", "xpath", "jsonpointer"]
            };
            invalid_choice(d, n, what, other, allowed);
            return None;
        }
    };
    if newer.contains(&version.value.as_str()) {
        if !d.newer(version.span, &format!("version `{}`", version.value)) {
            return None;
        }
    } else if !versions.contains(&version.value.as_str()) {
        // A 1.0 document is told only of the versions it may name.
        let versions: Vec<&str> = versions
            .iter()
            .copied()
            .filter(|v| !v1_0 || !newer.contains(v))
            .collect();
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

pub(super) fn actions(
    d: &mut Decoder<'_>,
    obj: &Object<'_>,
    field: &str,
    role: ActionRole,
) -> ActionList {
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
    if matches!(role, ActionRole::Success) {
        // Failure actions may list none (the schemas set `minItems` on success actions only).
        d.not_empty(&obj, "criteria");
    }
    let criteria = criteria(d, &obj, "criteria");
    let parameters = if d.since_1_1(&obj, "parameters") {
        parameters(d, &obj)
    } else {
        Vec::new()
    };
    Some(Action {
        parameters,
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
