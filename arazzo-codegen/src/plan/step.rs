//! One step: what it calls (an operation, with its parameters, body and credentials; or a
//! workflow, with its inputs), its criteria, outputs and actions.

use super::document::Planner;
use super::lower::Lowerer;
use super::{
    ActionPlan, ActionPlanKind, BodyKind, BodyPlan, Callee, Cond, CriterionPlan, Escape,
    HttpMethod, Lowered, OperationCall, ParamPlan, ParamStyle, Query, ReplaceTarget, StepCall,
    TimeoutPlan, Via,
};
use crate::expr::jsonpath::{GOESSNER, from_goessner, singular_pointer};
use crate::index::Called;
use crate::index::inputs::resolve_parameters_of;
use crate::load::ArazzoId;
use crate::model::{
    ActionOrRef, Criterion, ExpressionType, ParamLocation, Parameter, PayloadReplacement, Step,
    StepTarget,
};
use crate::node::{Node, Value, pointer};
use crate::openapi::{Operation, operation};

/// A step target before names of the run are known: the id of a step, or a workflow.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Step(String),
    Workflow(Callee),
}

/// An action as planned before the workflow's step variants are known.
#[derive(Debug, Clone)]
pub struct DraftAction {
    pub name: String,
    pub kind: DraftKind,
    pub criteria: Vec<CriterionPlan>,
    /// The inputs its `parameters` give the workflow it runs (1.1); `None`: the run's inputs
    /// of the same names.
    pub inputs: Option<Vec<(String, Lowered)>>,
}

#[derive(Debug, Clone)]
pub enum DraftKind {
    End,
    Goto(Target),
    Retry {
        after: Option<f64>,
        limit: u64,
        via: Option<Target>,
    },
}

/// A step as planned before the workflow decides names and what the run keeps.
pub struct DraftStep {
    pub id: String,
    pub description: Option<String>,
    pub call: StepCall,
    pub timeout: Option<TimeoutPlan>,
    pub criteria: Vec<CriterionPlan>,
    /// Every output the step declares, by name.
    pub outputs: Vec<(String, Lowered)>,
    pub on_success: Vec<DraftAction>,
    pub on_failure: Vec<DraftAction>,
}

impl<'p> Planner<'p> {
    pub fn step(
        &mut self,
        doc: ArazzoId,
        lowerer: &Lowerer<'p>,
        step: &'p Step,
        workflow_params: &[Parameter],
    ) -> Option<DraftStep> {
        let call = match step.target.as_ref()? {
            StepTarget::WorkflowId(id) => {
                let callee = self.callee(doc, id)?;
                let document = self.document(doc)?;
                // A child without inputs takes none: the step's parameters have nowhere to go.
                // The workflow's own parameters are "applicable for all steps" and "MUST be
                // passed to an operation or workflow": those the step does not give reach the
                // child as the inputs of the same names it declares.
                let inputs = if callee.input.is_some() {
                    let own = resolve_parameters_of(document, &step.parameters);
                    let inherited = workflow_params.iter().filter(|p| {
                        own.iter().all(|o| o.name.value != p.name.value)
                            && callee.input_names.contains(&p.name.value)
                    });
                    own.iter()
                        .chain(inherited)
                        .filter_map(|p| match lowerer.value(&p.value, Some(step)) {
                            Ok(v) => Some((p.name.value.clone(), v)),
                            Err(e) => {
                                self.expr_error(&p.value, &e);
                                None
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                StepCall::Workflow {
                    callee,
                    inputs,
                    reads_outputs: false,
                    // Known once the whole workflow is planned.
                    record: false,
                }
            }
            target => match self.resolver(doc).called(target) {
                Ok(Some(Called::Message(called))) => {
                    let document = self.document(doc)?;
                    let params = resolve_parameters_of(document, &step.parameters);
                    StepCall::Message(Box::new(
                        self.message_call(lowerer, step, &called, &params)?,
                    ))
                }
                _ => StepCall::Operation(Box::new(self.operation_call(
                    doc,
                    lowerer,
                    step,
                    target,
                    workflow_params,
                )?)),
            },
        };
        let mut criteria = self.criteria(lowerer, &step.success_criteria, Some(step));
        let timeout = step.timeout.as_ref().map(|t| {
            let at = self
                .project
                .files
                .get(t.span.file)
                .map(|f| f.line_col(t.span.start as usize))
                .unwrap_or_default();
            TimeoutPlan {
                millis: t.value,
                line: at.line,
                column: at.col,
                name: String::new(),
            }
        });
        // A timed-out attempt has no response: its first criterion fails, so the failure
        // actions decide. Without criteria, the 2xx rule already fails it.
        if timeout.is_some()
            && let Some(first) = criteria.first_mut()
        {
            let cond = std::mem::replace(&mut first.cond, Cond::Completed);
            first.cond = Cond::All(vec![Cond::Completed, cond]);
        }
        let outputs = step
            .outputs
            .iter()
            .filter_map(|o| match lowerer.value(&o.value, Some(step)) {
                Ok(v) => Some((o.name.value.clone(), v)),
                Err(e) => {
                    self.expr_error(&o.value, &e);
                    None
                }
            })
            .collect();
        let on_success = self.actions(doc, lowerer, Some(step), &step.on_success, true);
        let on_failure = self.actions(doc, lowerer, Some(step), &step.on_failure, false);
        Some(DraftStep {
            id: step.step_id.value.clone(),
            description: super::document::step_description(step),
            call,
            timeout,
            criteria,
            outputs,
            on_success,
            on_failure,
        })
    }

    /// Criteria lowered, each with its text and location for error messages. Names of their
    /// constants come later, per step.
    pub fn criteria(
        &mut self,
        lowerer: &Lowerer<'p>,
        list: &'p [Criterion],
        step: Option<&'p Step>,
    ) -> Vec<CriterionPlan> {
        list.iter()
            .filter_map(|c| match lowerer.criterion(c, step) {
                Ok(cond) => {
                    let at = self
                        .project
                        .files
                        .get(c.span.file)
                        .map(|f| f.line_col(c.span.start as usize))
                        .unwrap_or_default();
                    Some(CriterionPlan {
                        cond,
                        text: c.condition.value.clone(),
                        line: at.line,
                        column: at.col,
                        name: String::new(),
                    })
                }
                Err(e) => {
                    self.expr_error(&c.condition_node, &e);
                    None
                }
            })
            .collect()
    }

    /// Success or failure actions (inline, or Reusable references to components).
    pub fn actions(
        &mut self,
        doc: ArazzoId,
        lowerer: &Lowerer<'p>,
        step: Option<&'p Step>,
        list: &'p [ActionOrRef],
        success: bool,
    ) -> Vec<DraftAction> {
        let Some(document) = self.document(doc) else {
            return Vec::new();
        };
        let (prefix, components) = if success {
            (
                "$components.successActions.",
                &document.components.success_actions,
            )
        } else {
            (
                "$components.failureActions.",
                &document.components.failure_actions,
            )
        };
        let mut plans = Vec::new();
        for item in list {
            let action = match item {
                ActionOrRef::Action(a) => a,
                ActionOrRef::Reusable(r) => {
                    let found = r
                        .reference
                        .value
                        .strip_prefix(prefix)
                        .and_then(|n| components.get(n));
                    match found {
                        Some(c) => &c.value,
                        None => {
                            self.internal(
                                Some(r.reference.span),
                                "a checked Reusable action names no component",
                            );
                            continue;
                        }
                    }
                }
            };
            let step_target = action
                .step_id
                .as_ref()
                .map(|s| Target::Step(s.value.clone()));
            let workflow_target = match &action.workflow_id {
                Some(id) => match self.callee(doc, id) {
                    Some(callee) => Some(Target::Workflow(callee)),
                    None => continue,
                },
                None => None,
            };
            let kind = match action.kind.value {
                crate::model::ActionKind::End => DraftKind::End,
                crate::model::ActionKind::Goto => match step_target.or(workflow_target) {
                    Some(target) => DraftKind::Goto(target),
                    None => {
                        self.internal(Some(action.span), "a checked goto action has no target");
                        continue;
                    }
                },
                crate::model::ActionKind::Retry => DraftKind::Retry {
                    after: action.retry_after.as_ref().map(|r| r.value),
                    limit: action.retry_limit.as_ref().map_or(1, |r| r.value),
                    via: step_target.or(workflow_target),
                },
            };
            let criteria = self.criteria(lowerer, &action.criteria, step);
            let inputs = (!action.parameters.is_empty()).then(|| {
                resolve_parameters_of(document, &action.parameters)
                    .iter()
                    .filter_map(|p| match lowerer.value(&p.value, step) {
                        Ok(v) => Some((p.name.value.clone(), v)),
                        Err(e) => {
                            self.expr_error(&p.value, &e);
                            None
                        }
                    })
                    .collect()
            });
            plans.push(DraftAction {
                name: action.name.value.clone(),
                kind,
                criteria,
                inputs,
            });
        }
        plans
    }

    fn operation_call(
        &mut self,
        doc: ArazzoId,
        lowerer: &Lowerer<'p>,
        step: &'p Step,
        target: &'p StepTarget,
        workflow_params: &[Parameter],
    ) -> Option<OperationCall> {
        let resolver = self.resolver(doc);
        let Called::Http(op_ref) = resolver.called(target).ok()?? else {
            return None;
        };
        let op = operation(self.project, &op_ref).ok()?;
        let op_node = pointer::parse(&op.pointer)
            .ok()
            .and_then(|t| self.project.tree(op.file)?.at(&t).cloned())?;
        let Some(method) = HttpMethod::parse(&op.method) else {
            self.internal(
                Some(step.step_id.span),
                &format!("operation method `{}` is not an HTTP method", op.method),
            );
            return None;
        };
        let base = self.source(doc, op_ref.doc)?;
        self.mock_route(op_ref.doc, &op, step);
        let security = self.security(op_ref.doc, &op_node);
        let document = self.document(doc)?;
        let own = resolve_parameters_of(document, &step.parameters);
        let mut params = Vec::new();
        for declared in &op.parameters {
            let data = declared.parameter_data_ref();
            let location = Operation::parameter_location(declared);
            let same = |p: &&Parameter| p.is(location, &data.name);
            let Some(given) = own
                .iter()
                .find(same)
                .or_else(|| workflow_params.iter().find(same))
            else {
                continue;
            };
            let value = match lowerer.value(&given.value, Some(step)) {
                Ok(v) => v,
                Err(e) => {
                    self.expr_error(&given.value, &e);
                    continue;
                }
            };
            let (style, explode) = param_style(declared);
            params.push(ParamPlan {
                name: data.name.clone(),
                location,
                style,
                explode,
                required: (data.required && !Operation::ignored_header(location, &data.name))
                    || location == ParamLocation::Path,
                value,
                written: written(&given.value),
                secret: is_password(data),
            });
        }
        if let Some(q) = &op.querystring {
            let same = |p: &&Parameter| p.is(ParamLocation::QueryString, &q.name);
            if let Some(given) = own
                .iter()
                .find(same)
                .or_else(|| workflow_params.iter().find(same))
            {
                match lowerer.value(&given.value, Some(step)) {
                    Ok(value) => params.push(ParamPlan {
                        name: q.name.clone(),
                        location: ParamLocation::QueryString,
                        // A form is query-ready: only embedded values are encoded. Any other
                        // media type is percent-encoded whole.
                        style: if q.is_form() {
                            ParamStyle::Form
                        } else {
                            ParamStyle::Simple
                        },
                        explode: false,
                        required: q.required,
                        value: if q.is_form() {
                            value.escaped(Escape::Form)
                        } else {
                            value
                        },
                        written: written(&given.value),
                        secret: false,
                    }),
                    Err(e) => self.expr_error(&given.value, &e),
                }
            }
        }
        let security = self.document_credentials(
            lowerer,
            step,
            security,
            own.iter().chain(workflow_params),
            &mut params,
        );
        // A parameter the operation does not declare (a warning of the checks) is sent as
        // written, in its location's default style.
        for given in &own {
            let Some(location) = given.location.as_ref().map(|l| l.value) else {
                continue;
            };
            let (style, explode) = match location {
                ParamLocation::Query | ParamLocation::Cookie => (ParamStyle::Form, true),
                ParamLocation::Header => (ParamStyle::Simple, false),
                ParamLocation::Path | ParamLocation::QueryString | ParamLocation::Channel => {
                    continue;
                }
            };
            if params
                .iter()
                .any(|q| q.location == location && location.same_name(&q.name, &given.name.value))
            {
                continue;
            }
            match lowerer.value(&given.value, Some(step)) {
                Ok(value) => params.push(ParamPlan {
                    name: given.name.value.clone(),
                    location,
                    style,
                    explode,
                    required: false,
                    value,
                    written: written(&given.value),
                    secret: false,
                }),
                Err(e) => self.expr_error(&given.value, &e),
            }
        }
        let auth = self.auth(&security);
        let body = step.request_body.as_ref().and_then(|b| {
            let content_type = b
                .content_type
                .as_ref()
                .map(|c| c.value.clone())
                .or_else(|| {
                    op.request_body
                        .as_ref()
                        .and_then(|rb| rb.content.keys().next().cloned())
                })
                .unwrap_or_else(|| "application/json".to_owned());
            let value = match b.payload.as_ref().map(|p| lowerer.value(p, Some(step))) {
                Some(Ok(v)) => v,
                Some(Err(e)) => {
                    if let Some(p) = &b.payload {
                        self.expr_error(p, &e);
                    }
                    return None;
                }
                None => Lowered::Literal(serde_json::Value::Null),
            };
            let kind = body_kind(&content_type, &op_node, &value);
            let replacements = self.replacements(lowerer, step, b);
            Some(BodyPlan {
                content_type,
                kind,
                value,
                replacements,
            })
        });
        Some(OperationCall {
            operation_id: op.operation_id.clone(),
            base,
            method,
            path: op.path.clone(),
            params,
            body,
            auth,
            reads_request_path: false,
        })
    }
}

impl<'p> Planner<'p> {
    /// The payload replacements of a request body, lowered.
    pub fn replacements(
        &mut self,
        lowerer: &Lowerer<'p>,
        step: &'p Step,
        body: &'p crate::model::RequestBody,
    ) -> Vec<(super::ReplaceTarget, Lowered)> {
        body.replacements
            .iter()
            .filter_map(|r| {
                let target = match replace_target(r) {
                    Ok(t) => t,
                    Err(message) => {
                        self.internal(Some(r.target.span), &message);
                        return None;
                    }
                };
                match lowerer.value(&r.value, Some(step)) {
                    Ok(v) => Some((target, v)),
                    Err(e) => {
                        self.expr_error(&r.value, &e);
                        None
                    }
                }
            })
            .collect()
    }
}

/// A step's actions, then the workflow's whose names the step did not reuse.
pub fn merge(own: Vec<DraftAction>, shared: &[DraftAction]) -> Vec<DraftAction> {
    let mut all = own;
    for action in shared {
        if !all.iter().any(|a| a.name == action.name) {
            all.push(action.clone());
        }
    }
    all
}

impl DraftAction {
    /// The action with its targets named as the workflow names its steps; `None` when a step
    /// target is unknown (a broken invariant: checks found every target).
    pub fn resolve(
        self,
        variant: &dyn Fn(&str) -> Option<super::StepTarget>,
    ) -> Option<ActionPlan> {
        let target = |t: Target| -> Option<Via> {
            Some(match t {
                Target::Step(id) => Via::Step(variant(&id)?),
                Target::Workflow(callee) => Via::Workflow(callee),
            })
        };
        let kind = match self.kind {
            DraftKind::End => ActionPlanKind::End,
            DraftKind::Goto(t) => match target(t)? {
                Via::Step(s) => ActionPlanKind::GotoStep(s),
                Via::Workflow(w) => ActionPlanKind::GotoWorkflow(w),
            },
            DraftKind::Retry { after, limit, via } => ActionPlanKind::Retry {
                after,
                limit,
                via: match via {
                    Some(t) => Some(target(t)?),
                    None => None,
                },
            },
        };
        Some(ActionPlan {
            name: self.name,
            kind,
            criteria: self.criteria,
            inputs: self.inputs,
        })
    }
}

fn param_style(p: &openapiv3::Parameter) -> (ParamStyle, bool) {
    use openapiv3::{Parameter as P, PathStyle, QueryStyle};
    let explicit = p.parameter_data_ref().explode;
    let style = match p {
        P::Query { style, .. } => match style {
            QueryStyle::Form => ParamStyle::Form,
            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            QueryStyle::DeepObject => ParamStyle::DeepObject,
        },
        P::Path { style, .. } => match style {
            PathStyle::Simple => ParamStyle::Simple,
            PathStyle::Label => ParamStyle::Label,
            PathStyle::Matrix => ParamStyle::Matrix,
        },
        P::Header { .. } => ParamStyle::Simple,
        P::Cookie { .. } => ParamStyle::Form,
    };
    (style, explicit.unwrap_or(style == ParamStyle::Form))
}

/// How the body is encoded, by its content type. A string payload for a JSON body is JSON text
/// (a template), sent as it is.
fn body_kind(content_type: &str, op_node: &Node, value: &Lowered) -> BodyKind {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media == "application/x-www-form-urlencoded" {
        let encodings = op_node
            .at(&["requestBody", "content", content_type, "encoding"])
            .and_then(Node::as_map)
            .map(|m| {
                m.entries
                    .iter()
                    .map(|e| {
                        let style = match e.value.get("style").and_then(Node::as_str) {
                            Some("spaceDelimited") => ParamStyle::SpaceDelimited,
                            Some("pipeDelimited") => ParamStyle::PipeDelimited,
                            Some("deepObject") => ParamStyle::DeepObject,
                            _ => ParamStyle::Form,
                        };
                        let explode = match e.value.get("explode").map(|n| &n.value) {
                            Some(Value::Bool(b)) => *b,
                            _ => style == ParamStyle::Form,
                        };
                        (e.key.clone(), style, explode)
                    })
                    .collect()
            })
            .unwrap_or_default();
        BodyKind::Form(encodings)
    } else if media == "multipart/form-data" {
        BodyKind::Multipart
    } else if media.contains("json") {
        match value {
            Lowered::Template(_) | Lowered::Literal(serde_json::Value::String(_)) => {
                BodyKind::JsonText
            }
            _ => BodyKind::Json,
        }
    } else {
        BodyKind::Text
    }
}

/// Where a replacement writes, by its `targetSelectorType` (a JSON pointer without one). The
/// checks report a target that does not parse, so an error here is the planner's.
fn replace_target(r: &PayloadReplacement) -> Result<ReplaceTarget, String> {
    let text = r.target.value.as_str();
    match r.target_type.as_ref().map(|t| &t.value) {
        None | Some(ExpressionType::JsonPointer) => pointer::parse(text)
            .map(ReplaceTarget::Pointer)
            .map_err(|e| format!("a checked replacement target does not parse: {e}")),
        Some(ExpressionType::JsonPath { version }) => {
            let query = match version.as_ref().map(|v| v.value.as_str()) {
                Some(GOESSNER) => from_goessner(text.trim()),
                _ => text.trim().to_owned(),
            };
            Ok(match singular_pointer(&query) {
                Some(tokens) => ReplaceTarget::Pointer(tokens),
                None => ReplaceTarget::Query {
                    query: Query::JsonPath(query),
                    name: String::new(),
                },
            })
        }
        Some(ExpressionType::XPath { .. }) => Ok(ReplaceTarget::Query {
            query: Query::XPath(text.to_owned()),
            name: String::new(),
        }),
    }
}

/// Whether the description marks a parameter as a credential: a string of `format: password`.
fn is_password(data: &openapiv3::ParameterData) -> bool {
    use openapiv3::VariantOrUnknownOrEmpty;
    use openapiv3::{ParameterSchemaOrContent, ReferenceOr, SchemaKind, StringFormat, Type};
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => matches!(
            &schema.schema_kind,
            SchemaKind::Type(Type::String(s))
                if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Password))
        ),
        _ => false,
    }
}

/// A parameter's value as written, for "has no value (from `…`)" errors.
pub(super) fn written(value: &Node) -> String {
    if let Some(s) = crate::model::Selector::of(value)
        && let (Some(selector), Some(context)) = (s.selector.as_str(), s.context.as_str())
    {
        return format!("{selector} of {context}");
    }
    value
        .scalar_text()
        .unwrap_or_else(|| "a literal value".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, kind: DraftKind) -> DraftAction {
        DraftAction {
            name: name.to_owned(),
            kind,
            criteria: Vec::new(),
            inputs: None,
        }
    }

    #[test]
    fn step_actions_come_first_and_replace_workflow_actions_of_the_same_name() {
        let own = vec![
            action(
                "retry-it",
                DraftKind::Retry {
                    after: None,
                    limit: 3,
                    via: None,
                },
            ),
            action("stop", DraftKind::Goto(Target::Step("cleanup".into()))),
        ];
        let shared = vec![
            action("stop", DraftKind::End),
            action("log", DraftKind::End),
        ];
        let merged = merge(own, &shared);
        let shown: Vec<String> = merged
            .iter()
            .map(|a| format!("{} {:?}", a.name, a.kind))
            .collect();
        assert_eq!(
            shown,
            [
                "retry-it Retry { after: None, limit: 3, via: None }",
                "stop Goto(Step(\"cleanup\"))",
                "log End",
            ]
        );
    }
}
