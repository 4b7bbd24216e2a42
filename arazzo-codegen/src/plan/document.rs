//! The plan of a whole document: what the emitter writes, decided here and nowhere else.

use super::{Cond, Lowered, Lowerer};
use crate::check::resolve_parameters_of;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::expr::ExprError;
use crate::index::{OperationIndex, Resolver};
use crate::load::{Project, SourceTarget};
use crate::model::{ActionOrRef, ParamLocation, Step, StepTarget, Workflow};
use crate::node::{Node, Value, pointer};
use crate::openapi::{Operation, operation};
use crate::settings::Settings;
use crate::types::{Typer, ValueType};

#[derive(Debug, Clone)]
pub struct DocumentPlan {
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub version: String,
    /// The Arazzo file, as diagnostics show it.
    pub file: String,
    pub sources: Vec<SourcePlan>,
    pub schemes: Vec<SchemePlan>,
    pub workflows: Vec<WorkflowPlan>,
    /// The generated client's default step budget.
    pub step_budget: usize,
}

/// An OpenAPI source the workflows call, and its default base URL (`servers[0]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SourcePlan {
    pub name: String,
    pub default_url: String,
    /// Index of the description in the project.
    pub openapi: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    Basic,
    Bearer,
    ApiKey {
        location: ParamLocation,
        name: String,
    },
}

/// A security scheme some generated operation requires.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemePlan {
    pub name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WorkflowPlan {
    /// Unique in the module: the workflowId, prefixed by the source name for workflows of other
    /// Arazzo documents. Step and action targets name workflows by this key.
    pub key: String,
    pub id: String,
    /// Workflows of the user's document are public methods; those of Arazzo sources they use
    /// are generated for them to call.
    pub public: bool,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The workflow's `inputs` schema, `$ref`s into `components.inputs` included.
    pub inputs: Option<Node>,
    pub steps: Vec<StepPlan>,
    pub outputs: Vec<OutputPlan>,
    /// Workflows (of this document) that run first, in order.
    pub depends_on: Vec<String>,
    /// Declared input names: what other workflows pass on by name.
    pub input_names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OutputPlan {
    pub name: String,
    pub value: Lowered,
    pub ty: ValueType,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Form,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct ParamPlan {
    pub name: String,
    pub location: ParamLocation,
    pub style: ParamStyle,
    pub explode: bool,
    pub required: bool,
    pub value: Lowered,
    /// The value as written, for "required … has no value (from `…`)" errors.
    pub written: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json,
    /// `(property, style, explode)` from the media type's `encoding`.
    Form(Vec<(String, ParamStyle, bool)>),
    Multipart,
    Text,
}

#[derive(Debug, Clone)]
pub struct BodyPlan {
    pub content_type: String,
    pub kind: BodyKind,
    pub value: Lowered,
    /// `(pointer tokens, value)`, applied in order after the payload is built.
    pub replacements: Vec<(Vec<String>, Lowered)>,
}

#[derive(Debug, Clone)]
pub struct CriterionPlan {
    pub cond: Cond,
    /// The condition as written.
    pub text: String,
    /// `file:line:col` of the criterion.
    pub location: String,
}

#[derive(Debug, Clone)]
pub struct StepPlan {
    pub id: String,
    pub call: StepCall,
    /// Empty: any 2xx status is success.
    pub criteria: Vec<CriterionPlan>,
    pub outputs: Vec<(String, Lowered)>,
    /// The step's own actions, then the workflow's not overridden by name.
    pub on_success: Vec<ActionPlan>,
    pub on_failure: Vec<ActionPlan>,
}

/// What a step runs.
#[derive(Debug, Clone)]
pub enum StepCall {
    Operation(Box<OperationCall>),
    /// A workflow of the same document, with the step's parameters as its inputs.
    Workflow {
        workflow: String,
        inputs: Vec<(String, Lowered)>,
    },
}

#[derive(Debug, Clone)]
pub struct OperationCall {
    pub operation_id: Option<String>,
    pub source: String,
    pub method: String,
    pub path_template: String,
    pub path: Vec<PathPart>,
    pub params: Vec<ParamPlan>,
    pub body: Option<BodyPlan>,
    /// Alternatives (any one suffices) of scheme names (all needed).
    pub security: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct ActionPlan {
    pub name: String,
    pub kind: ActionPlanKind,
    /// All must hold for the action to be taken; none: always taken.
    pub criteria: Vec<CriterionPlan>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ActionPlanKind {
    End,
    GotoStep(String),
    /// Runs the workflow (with the caller's inputs where names match), then this one ends.
    GotoWorkflow(String),
    /// Re-runs the step, after running `via` first when given.
    Retry {
        after: Option<f64>,
        limit: u64,
        via: Option<Via>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Via {
    Step(String),
    Workflow(String),
}

/// Plans document 0 of a checked project. Features later issues bring (actions, nested
/// workflows, dependencies) are reported, not silently skipped.
pub fn plan(
    project: &Project,
    index: &OperationIndex,
    settings: &Settings,
) -> Result<DocumentPlan, Diagnostics> {
    let typer = Typer { project, index };
    let mut diags = Diagnostics::new();
    let Some(loaded) = project.arazzo.first() else {
        return Err(diags);
    };
    let doc = &loaded.document;
    let file = project
        .files
        .get(doc.file)
        .map(|f| f.display_name().to_owned())
        .unwrap_or_default();
    let mut planner = Planner {
        project,
        settings,
        typer: &typer,
        index,
        diags: &mut diags,
        sources: Vec::new(),
        schemes: Vec::new(),
        doc: 0,
        pending: doc.workflows.iter().map(|w| (0, w)).collect(),
        planned: Vec::new(),
    };
    let mut workflows: Vec<WorkflowPlan> = Vec::new();
    while let Some((doc_index, w)) = planner.pending.pop_front() {
        let key = workflow_key(project, doc_index, &w.workflow_id.value);
        if planner.planned.contains(&key) {
            continue;
        }
        planner.planned.push(key);
        planner.doc = doc_index;
        if let Some(plan) = planner.workflow(w) {
            workflows.push(plan);
        }
    }
    let (sources, schemes) = (planner.sources, planner.schemes);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(DocumentPlan {
        title: doc.info.title.value.clone(),
        summary: doc.info.summary.as_ref().map(|s| s.value.clone()),
        description: doc.info.description.as_ref().map(|s| s.value.clone()),
        version: doc.info.version.value.clone(),
        file,
        sources,
        schemes,
        workflows,
        step_budget: settings.step_budget.unwrap_or(1000),
    })
}

struct Planner<'p, 'd> {
    project: &'p Project,
    settings: &'p Settings,
    typer: &'p Typer<'p>,
    index: &'p OperationIndex,
    diags: &'d mut Diagnostics,
    sources: Vec<SourcePlan>,
    schemes: Vec<SchemePlan>,
    /// The document whose workflow is being planned.
    doc: usize,
    /// Workflows still to plan: the user's, then those of other documents they run.
    pending: std::collections::VecDeque<(usize, &'p Workflow)>,
    /// Keys of workflows planned or queued.
    planned: Vec<String>,
}

/// The module-wide key of a workflow (see [`WorkflowPlan::key`]).
fn workflow_key(project: &Project, doc: usize, id: &str) -> String {
    if doc == 0 {
        return id.to_owned();
    }
    // The name the user's document gives that Arazzo source, for readable generated names.
    let source = project
        .arazzo
        .iter()
        .flat_map(|d| d.sources.iter())
        .find(|s| s.target == SourceTarget::Arazzo(doc))
        .map_or_else(|| format!("document{doc}"), |s| s.name.clone());
    format!("{source}.{id}")
}

impl<'p> Planner<'p, '_> {
    fn document(&self) -> Option<&'p crate::model::Document> {
        self.project.arazzo.get(self.doc).map(|d| &d.document)
    }

    fn unsupported(&mut self, span: crate::source_map::Span, what: &str) {
        self.diags.push(
            Diagnostic::new(Code::UnsupportedFeature, format!("{what} cannot be generated"))
                .at(span)
                .label("not generated")
                .note("generated workflows run their steps in order; actions, nested workflows and dependencies come with the control-flow work"),
        );
    }

    fn expr_error(&mut self, node: &Node, e: &ExprError) {
        self.diags
            .push(Diagnostic::new(Code::MalformedExpression, e.message.clone()).at(node.span));
    }

    fn workflow(&mut self, workflow: &'p Workflow) -> Option<WorkflowPlan> {
        let lowerer = Lowerer {
            typer: self.typer,
            settings: self.settings,
            doc: self.doc,
            workflow,
        };
        let doc = self.document()?;
        let workflow_params = resolve_parameters_of(doc, &workflow.parameters);
        let depends_on: Vec<String> = workflow
            .depends_on
            .iter()
            .filter_map(|d| self.local_workflow(d))
            .collect();
        let shared_success = self.actions(&lowerer, None, &workflow.success_actions, true);
        let shared_failure = self.actions(&lowerer, None, &workflow.failure_actions, false);
        let steps: Vec<StepPlan> = workflow
            .steps
            .iter()
            .filter_map(|s| {
                let Some(mut plan) = self.step(&lowerer, s, &workflow_params) else {
                    self.unsupported(s.step_id.span, &format!("step `{}`", s.step_id.value));
                    return None;
                };
                plan.on_success = merge(plan.on_success, &shared_success);
                plan.on_failure = merge(plan.on_failure, &shared_failure);
                Some(plan)
            })
            .collect();
        let outputs = workflow
            .outputs
            .iter()
            .filter_map(|o| match lowerer.value(&o.value, None) {
                Ok(value) => {
                    let ty = match &value {
                        // A value from a step or workflow that may not have run may be absent.
                        Lowered::Value(v) if !guaranteed(v, &steps, &depends_on) => {
                            v.ty.clone().nullable()
                        }
                        Lowered::Value(v) => v.ty.clone(),
                        Lowered::Template(_) => ValueType::new(crate::types::Type::String),
                        _ => crate::types::literal_type(&o.value),
                    };
                    Some(OutputPlan {
                        name: o.name.value.clone(),
                        value,
                        ty,
                    })
                }
                Err(e) => {
                    self.expr_error(&o.value, &e);
                    None
                }
            })
            .collect();
        Some(WorkflowPlan {
            key: workflow_key(self.project, self.doc, &workflow.workflow_id.value),
            id: workflow.workflow_id.value.clone(),
            public: self.doc == 0,
            summary: workflow.summary.as_ref().map(|s| s.value.clone()),
            description: workflow.description.as_ref().map(|s| s.value.clone()),
            inputs: workflow.inputs.clone(),
            steps,
            outputs,
            depends_on,
            input_names: crate::check::declared_input_names(self.project, self.doc, workflow),
        })
    }

    /// The key of the workflow `id` names (queued for planning when it is another document's).
    fn local_workflow(&mut self, id: &crate::model::Spanned<String>) -> Option<String> {
        let resolver = Resolver {
            project: self.project,
            index: self.index,
            doc: self.doc,
        };
        let (doc, w) = resolver.workflow(id).ok()??;
        let key = workflow_key(self.project, doc, &w.workflow_id.value);
        if !self.planned.contains(&key) {
            self.pending.push_back((doc, w));
        }
        Some(key)
    }

    /// Criteria lowered, each with its text and location for error messages.
    fn criteria(
        &mut self,
        lowerer: &Lowerer<'p>,
        list: &'p [crate::model::Criterion],
        step: Option<&'p Step>,
    ) -> Vec<CriterionPlan> {
        list.iter()
            .filter_map(|c| match lowerer.criterion(c, step) {
                Ok(cond) => Some(CriterionPlan {
                    cond,
                    text: c.condition.value.clone(),
                    location: self.project.files.location(c.span),
                }),
                Err(e) => {
                    self.expr_error(&c.condition_node, &e);
                    None
                }
            })
            .collect()
    }

    /// Success or failure actions (inline, or Reusable references to components) as plans.
    fn actions(
        &mut self,
        lowerer: &Lowerer<'p>,
        step: Option<&'p Step>,
        list: &'p [ActionOrRef],
        success: bool,
    ) -> Vec<ActionPlan> {
        let Some(doc) = self.document() else {
            return Vec::new();
        };
        let components = if success {
            &doc.components.success_actions
        } else {
            &doc.components.failure_actions
        };
        let mut plans = Vec::new();
        for item in list {
            let action = match item {
                ActionOrRef::Action(a) => a,
                ActionOrRef::Reusable(r) => {
                    let prefix = if success {
                        "$components.successActions."
                    } else {
                        "$components.failureActions."
                    };
                    match r
                        .reference
                        .value
                        .strip_prefix(prefix)
                        .and_then(|n| components.get(n))
                    {
                        Some(c) => &c.value,
                        None => continue,
                    }
                }
            };
            let target_step = action.step_id.as_ref().map(|s| s.value.clone());
            let target_workflow = action
                .workflow_id
                .as_ref()
                .and_then(|w| self.local_workflow(w));
            if action.workflow_id.is_some() && target_workflow.is_none() {
                continue;
            }
            let kind = match action.kind.value {
                crate::model::ActionKind::End => ActionPlanKind::End,
                crate::model::ActionKind::Goto => match (target_step, target_workflow) {
                    (Some(s), _) => ActionPlanKind::GotoStep(s),
                    (None, Some(w)) => ActionPlanKind::GotoWorkflow(w),
                    (None, None) => continue,
                },
                crate::model::ActionKind::Retry => ActionPlanKind::Retry {
                    after: action.retry_after.as_ref().map(|r| r.value),
                    limit: action.retry_limit.as_ref().map_or(1, |r| r.value),
                    via: target_step
                        .map(Via::Step)
                        .or(target_workflow.map(Via::Workflow)),
                },
            };
            let criteria = self.criteria(lowerer, &action.criteria, step);
            plans.push(ActionPlan {
                name: action.name.value.clone(),
                kind,
                criteria,
            });
        }
        plans
    }

    fn step(
        &mut self,
        lowerer: &Lowerer<'p>,
        step: &'p Step,
        workflow_params: &[crate::model::Parameter],
    ) -> Option<StepPlan> {
        let call = match step.target.as_ref()? {
            StepTarget::WorkflowId(id) => {
                let child = self.local_workflow(id)?;
                let doc = self.document()?;
                let inputs = resolve_parameters_of(doc, &step.parameters)
                    .iter()
                    .filter_map(|p| match lowerer.value(&p.value, Some(step)) {
                        Ok(v) => Some((p.name.value.clone(), v)),
                        Err(e) => {
                            self.expr_error(&p.value, &e);
                            None
                        }
                    })
                    .collect();
                StepCall::Workflow {
                    workflow: child,
                    inputs,
                }
            }
            target => StepCall::Operation(Box::new(self.operation_call(
                lowerer,
                step,
                target,
                workflow_params,
            )?)),
        };
        let criteria = self.criteria(lowerer, &step.success_criteria, Some(step));
        let outputs = step
            .outputs
            .iter()
            .filter_map(|o| {
                lowerer
                    .value(&o.value, Some(step))
                    .ok()
                    .map(|v| (o.name.value.clone(), v))
            })
            .collect();
        let on_success = self.actions(lowerer, Some(step), &step.on_success, true);
        let on_failure = self.actions(lowerer, Some(step), &step.on_failure, false);
        Some(StepPlan {
            id: step.step_id.value.clone(),
            call,
            criteria,
            outputs,
            on_success,
            on_failure,
        })
    }

    fn operation_call(
        &mut self,
        lowerer: &Lowerer<'p>,
        step: &'p Step,
        target: &'p StepTarget,
        workflow_params: &[crate::model::Parameter],
    ) -> Option<OperationCall> {
        let resolver = Resolver {
            project: self.project,
            index: self.index,
            doc: self.doc,
        };
        let op_ref = match target {
            StepTarget::OperationId(id) => resolver.operation_id(id).ok()??,
            StepTarget::OperationPath(path) => resolver.operation_path(path).ok()??,
            StepTarget::WorkflowId(_) => return None,
        };
        let op = operation(self.project, &op_ref).ok()?;
        let op_node = pointer::parse(&op.pointer)
            .ok()
            .and_then(|t| self.project.tree(op.file)?.at(&t).cloned())?;
        let source = self.source(op_ref.doc)?;
        let security = self.security(op_ref.doc, &op_node);
        let doc = self.document()?;
        let own = resolve_parameters_of(doc, &step.parameters);
        let mut params = Vec::new();
        for declared in &op.parameters {
            let data = declared.parameter_data_ref();
            let location = Operation::parameter_location(declared);
            let same = |p: &&crate::model::Parameter| p.is(location, &data.name);
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
                required: data.required || location == ParamLocation::Path,
                value,
                written: given
                    .value
                    .scalar_text()
                    .unwrap_or_else(|| "a literal value".to_owned()),
            });
        }
        let security = self.document_credentials(
            lowerer,
            step,
            security,
            own.iter().chain(workflow_params),
            &mut params,
        );
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
            let kind = body_kind(&content_type, &op_node);
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
            let replacements = b
                .replacements
                .iter()
                .filter_map(|r| {
                    let tokens = pointer::parse(&r.target.value).ok()?;
                    lowerer
                        .value(&r.value, Some(step))
                        .ok()
                        .map(|v| (tokens, v))
                })
                .collect();
            Some(BodyPlan {
                content_type,
                kind,
                value,
                replacements,
            })
        });
        Some(OperationCall {
            operation_id: op.operation_id.clone(),
            source,
            method: op.method.to_uppercase(),
            path_template: op.path.clone(),
            path: path_parts(&op.path),
            params,
            body,
            security,
        })
    }

    /// The source (by name) of OpenAPI document `doc`, recorded with its default URL. The user's
    /// document names it first; a description only an Arazzo source uses keeps that source's name.
    fn source(&mut self, doc: usize) -> Option<String> {
        if let Some(known) = self.sources.iter().find(|s| s.openapi == doc) {
            return Some(known.name.clone());
        }
        let name = [self.doc, 0]
            .into_iter()
            .chain(0..self.project.arazzo.len())
            .filter_map(|d| self.project.arazzo.get(d))
            .flat_map(|d| d.sources.iter())
            .find(|s| s.target == SourceTarget::OpenApi(doc))
            .map(|s| s.name.clone())?;
        let root = &self.project.openapi.get(doc)?.root;
        let unique = if self.sources.iter().any(|s| s.name == name) {
            format!("{name}{doc}")
        } else {
            name
        };
        self.sources.push(SourcePlan {
            name: unique.clone(),
            default_url: server_url(root),
            openapi: doc,
        });
        Some(unique)
    }

    /// A parameter the document supplies where a scheme puts its credential (`Authorization`
    /// for HTTP and OAuth schemes, an API key's own name) is the document's credential: it is
    /// sent as written, and that scheme asks nothing of the client. An `Authorization` header
    /// is sent even when no scheme names it: OpenAPI ignores its declaration, so no operation
    /// can declare it.
    fn document_credentials<'m>(
        &mut self,
        lowerer: &Lowerer<'_>,
        step: &crate::model::Step,
        mut security: Vec<Vec<String>>,
        given: impl Iterator<Item = &'m crate::model::Parameter> + Clone,
        params: &mut Vec<ParamPlan>,
    ) -> Vec<Vec<String>> {
        let slot_of = |kind: &SchemeKind| match kind {
            SchemeKind::ApiKey { location, name } => (*location, name.clone()),
            SchemeKind::Basic | SchemeKind::Bearer => {
                (ParamLocation::Header, "Authorization".to_owned())
            }
        };
        let mut slots = vec![(ParamLocation::Header, "Authorization".to_owned())];
        slots.extend(
            security
                .iter()
                .flatten()
                .filter_map(|name| self.schemes.iter().find(|s| s.name == *name))
                .map(|s| slot_of(&s.kind)),
        );
        let mut filled = Vec::new();
        for slot in slots {
            let Some(p) = given.clone().find(|p| p.is(slot.0, &slot.1)) else {
                continue;
            };
            let sent = params
                .iter()
                .any(|q| q.location == slot.0 && slot.0.same_name(&q.name, &slot.1));
            if !sent {
                match lowerer.value(&p.value, Some(step)) {
                    Ok(value) => params.push(ParamPlan {
                        name: p.name.value.clone(),
                        location: slot.0,
                        style: if slot.0 == ParamLocation::Query {
                            ParamStyle::Form
                        } else {
                            ParamStyle::Simple
                        },
                        explode: false,
                        required: true,
                        value,
                        written: p
                            .value
                            .scalar_text()
                            .unwrap_or_else(|| "a literal value".to_owned()),
                    }),
                    Err(e) => self.expr_error(&p.value, &e),
                }
            }
            filled.push(slot);
        }
        for alternative in &mut security {
            alternative.retain(|name| {
                !self
                    .schemes
                    .iter()
                    .find(|s| s.name == *name)
                    .is_some_and(|s| filled.contains(&slot_of(&s.kind)))
            });
        }
        security
    }

    /// Security alternatives of an operation (its own `security`, else the description's).
    fn security(&mut self, doc: usize, op_node: &Node) -> Vec<Vec<String>> {
        let Some(root) = self.project.openapi.get(doc).map(|d| &d.root) else {
            return Vec::new();
        };
        let requirements = op_node.get("security").or_else(|| root.get("security"));
        let Some(list) = requirements.and_then(Node::as_seq) else {
            return Vec::new();
        };
        let mut alternatives = Vec::new();
        for requirement in list {
            let names: Vec<String> = requirement
                .as_map()
                .map(|m| m.keys().map(str::to_owned).collect())
                .unwrap_or_default();
            for name in &names {
                self.scheme(root, name);
            }
            alternatives.push(names);
        }
        alternatives
    }

    fn scheme(&mut self, root: &Node, name: &str) {
        if self.schemes.iter().any(|s| s.name == name) {
            return;
        }
        let Some(def) = root.at(&["components", "securitySchemes", name]) else {
            return;
        };
        let text = |k: &str| def.get(k).and_then(Node::as_str).map(str::to_owned);
        let kind = match (
            text("type").as_deref(),
            text("scheme").map(|s| s.to_ascii_lowercase()).as_deref(),
        ) {
            (Some("http"), Some("basic")) => SchemeKind::Basic,
            (Some("apiKey"), _) => {
                let location = match text("in").as_deref() {
                    Some("query") => ParamLocation::Query,
                    Some("cookie") => ParamLocation::Cookie,
                    _ => ParamLocation::Header,
                };
                SchemeKind::ApiKey {
                    location,
                    name: text("name").unwrap_or_default(),
                }
            }
            // http bearer, oauth2 and openIdConnect all send a bearer token.
            _ => SchemeKind::Bearer,
        };
        self.schemes.push(SchemePlan {
            name: name.to_owned(),
            kind,
            description: text("description"),
        });
    }
}

/// Whether the value a workflow output reads exists after every successful run: steps up to
/// the first one whose actions can skip others (or end early) always run; of other workflows,
/// only dependencies always run.
fn guaranteed(v: &super::ValueRef, steps: &[StepPlan], depends_on: &[String]) -> bool {
    let skips = |a: &ActionPlan| !matches!(a.kind, ActionPlanKind::Retry { .. });
    let first_branching = steps
        .iter()
        .position(|s| s.on_success.iter().chain(&s.on_failure).any(skips))
        .unwrap_or(steps.len());
    match &v.source {
        super::Source::StepOutput { step, .. } => steps
            .iter()
            .position(|s| s.id == *step)
            .is_some_and(|i| i <= first_branching),
        super::Source::WorkflowOutput { workflow, .. }
        | super::Source::WorkflowInputs { workflow } => depends_on.contains(workflow),
        _ => true,
    }
}

/// A step's actions, then the workflow's whose names the step did not reuse.
fn merge(own: Vec<ActionPlan>, shared: &[ActionPlan]) -> Vec<ActionPlan> {
    let mut all = own;
    for action in shared {
        if !all.iter().any(|a| a.name == action.name) {
            all.push(action.clone());
        }
    }
    all
}

/// `servers[0].url` with its variables at their defaults.
fn server_url(root: &Node) -> String {
    let Some(server) = root
        .get("servers")
        .and_then(Node::as_seq)
        .and_then(|s| s.first())
    else {
        return String::new();
    };
    let mut url = server
        .get("url")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned();
    if let Some(vars) = server.get("variables").and_then(Node::as_map) {
        for e in &vars.entries {
            if let Some(default) = e.value.get("default").and_then(Node::scalar_text) {
                url = url.replace(&format!("{{{}}}", e.key), &default);
            }
        }
    }
    url
}

fn path_parts(path: &str) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest.get(open..).and_then(|r| r.find('}')).map(|c| c + open) else {
            break;
        };
        if open > 0 {
            parts.push(PathPart::Literal(rest.get(..open).unwrap_or("").to_owned()));
        }
        parts.push(PathPart::Param(
            rest.get(open + 1..close).unwrap_or("").to_owned(),
        ));
        rest = rest.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    parts
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

fn body_kind(content_type: &str, op_node: &Node) -> BodyKind {
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
        BodyKind::Json
    } else {
        BodyKind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, kind: ActionPlanKind) -> ActionPlan {
        ActionPlan {
            name: name.to_owned(),
            kind,
            criteria: Vec::new(),
        }
    }

    #[test]
    fn step_actions_come_first_and_replace_workflow_actions_of_the_same_name() {
        let own = vec![
            action(
                "retry-it",
                ActionPlanKind::Retry {
                    after: None,
                    limit: 3,
                    via: None,
                },
            ),
            action("stop", ActionPlanKind::GotoStep("cleanup".into())),
        ];
        let shared = vec![
            action("stop", ActionPlanKind::End),
            action("log", ActionPlanKind::End),
        ];
        let merged = merge(own, &shared);
        let shown: Vec<(&str, &ActionPlanKind)> =
            merged.iter().map(|a| (a.name.as_str(), &a.kind)).collect();
        assert_eq!(
            shown,
            [
                (
                    "retry-it",
                    &ActionPlanKind::Retry {
                        after: None,
                        limit: 3,
                        via: None
                    }
                ),
                ("stop", &ActionPlanKind::GotoStep("cleanup".into())),
                ("log", &ActionPlanKind::End),
            ]
        );
    }

    #[test]
    fn paths_split_into_literals_and_parameters() {
        assert_eq!(
            path_parts("/pets/{petId}/photos/{n}.jpg"),
            [
                PathPart::Literal("/pets/".into()),
                PathPart::Param("petId".into()),
                PathPart::Literal("/photos/".into()),
                PathPart::Param("n".into()),
                PathPart::Literal(".jpg".into()),
            ]
        );
    }
}
