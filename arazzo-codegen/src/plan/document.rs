//! Planning a whole document: which workflows the module holds (the user's, then those of
//! Arazzo sources they run), what each is called and takes, then each workflow's plan. The
//! planner's work is split by what it plans: sources and schemes (`sources.rs`), workflows
//! (`workflow.rs`), steps (`step.rs`).

use std::collections::{HashMap, HashSet, VecDeque};

use super::names::{Case, Namer};
use super::types::{RustType, TypeDef, TypeSpace, takes_input};
use super::{Callee, ClientPlan, DocumentPlan, SchemePlan, SourcePlan};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::expr::ExprError;
use crate::index::inputs::declared_input_names;
use crate::index::{OperationIndex, Resolver};
use crate::load::{ArazzoId, OpenApiId, Project, SourceTarget};
use crate::model::{ActionOrRef, Step, StepTarget, Workflow};
use crate::node::Node;
use crate::settings::Settings;
use crate::source_map::Span;
use crate::types::Typer;

/// Plans the user's document (the first Arazzo document of a checked project).
pub fn plan(
    project: &Project,
    index: &OperationIndex,
    settings: &Settings,
) -> Result<DocumentPlan, Diagnostics> {
    let typer = Typer::new(project, index);
    let Some(loaded) = project.arazzo.first() else {
        return Err(internal_error(None, "the project has no Arazzo document"));
    };
    let doc = &loaded.document;
    let mut planner = Planner::new(project, index, settings, &typer);
    let reachable = planner.reachable();
    planner.completing = planner.completing(&reachable);
    let mut space = TypeSpace::new(&doc.components, {
        let mut names = Namer::new();
        names.reserve("Client");
        names.reserve("Workflows");
        names
    });
    planner.signatures = reachable
        .iter()
        .map(|(d, w, key)| planner.signature(*d, w, key, &mut space))
        .collect();
    let mut workflows = Vec::new();
    for (i, (d, w, _)) in reachable.iter().enumerate() {
        if let Some(plan) = planner.workflow(i, *d, w) {
            workflows.push(plan);
        }
    }
    let within: HashSet<String> = workflows
        .iter()
        .flat_map(|w| {
            w.depends_on
                .iter()
                .chain(&w.runs)
                .chain(w.steps.iter().filter_map(|s| match &s.call {
                    super::StepCall::Workflow { callee, .. } => Some(callee),
                    _ => None,
                }))
        })
        .filter(|c| c.within)
        .map(|c| c.module.clone())
        .collect();
    let completing: HashSet<&str> = planner
        .signatures
        .iter()
        .filter(|s| planner.completing.contains(&s.key))
        .map(|s| s.module.as_str())
        .collect();
    for w in &mut workflows {
        w.run.within = within.contains(&w.module);
        w.run.completing = completing.contains(w.module.as_str());
    }
    // Public method names come last, so that the client's own setters keep their names.
    for w in workflows.iter_mut().filter(|w| w.public) {
        w.method = planner.methods.name(&w.id, Case::Snake);
    }
    let mut types = space.defs;
    types.extend(planner.output_types(&workflows));
    if planner.diags.has_errors() {
        return Err(planner.diags);
    }
    Ok(DocumentPlan {
        title: doc.info.title.value.clone(),
        summary: doc.info.summary.as_ref().map(|s| s.value.clone()),
        description: doc.info.description.as_ref().map(|s| s.value.clone()),
        version: doc.info.version.value.clone(),
        file: project.files.display_name(doc.file),
        client: ClientPlan {
            sources: planner.sources.into_iter().map(|(_, s)| s).collect(),
            message_sources: planner
                .message_sources
                .into_iter()
                .map(|(_, s)| s)
                .collect(),
            schemes: planner.schemes,
            step_budget: settings.step_budget,
        },
        types,
        uses_xpath: workflows.iter().any(uses_xpath),
        mock: super::mock::names(planner.mock_routes),
        durable_service: durable_service(&project.files.display_name(doc.file)),
        workflows,
    })
}

/// The Restate service of a document: its file's name, without folders and extensions, in
/// UpperCamelCase (a name Restate accepts: ASCII letters and digits, starting with a letter).
fn durable_service(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name);
    super::names::sanitize(stem, super::names::Case::UpperCamel)
}

/// Whether a workflow evaluates XPath: in a criterion or in a selector.
fn uses_xpath(w: &super::WorkflowPlan) -> bool {
    fn cond(c: &super::Cond) -> bool {
        use super::Cond;
        match c {
            Cond::Any(parts) | Cond::All(parts) => parts.iter().any(cond),
            Cond::Not(inner) => cond(inner),
            Cond::XPath { .. } => true,
            Cond::Built { language, .. } => *language == crate::expr::embedded::Language::XPath,
            _ => false,
        }
    }
    let xpath = |(_, q): &(String, super::Query)| matches!(q, super::Query::XPath(_));
    let mut output_queries = Vec::new();
    for o in &w.outputs {
        if let super::OutputValue::Compute(v) = &o.value {
            v.queries(&mut output_queries);
        }
    }
    output_queries.iter().any(xpath)
        || w.steps.iter().any(|s| {
            s.queries.iter().any(xpath)
                || s.criteria
                    .iter()
                    .chain(
                        s.on_success
                            .iter()
                            .chain(&s.on_failure)
                            .flat_map(|a| &a.criteria),
                    )
                    .any(|c| cond(&c.cond))
        })
}

/// The diagnostic for a broken invariant of the generator: never wrong code, always a report.
pub fn internal_error(span: Option<Span>, what: &str) -> Diagnostics {
    let mut d = Diagnostic::new(
        Code::InternalError,
        format!("arazzo-rs cannot generate this document: {what}"),
    )
    .note("this is a bug in arazzo-rs, not in your document")
    .help("please report it with the document at https://github.com/arazzo-rs/arazzo-rs/issues");
    if let Some(span) = span {
        d = d.at(span);
    }
    let mut all = Diagnostics::new();
    all.push(d);
    all
}

/// What the module calls a workflow and what it takes, decided before any workflow is planned
/// so that workflows can run each other.
pub(super) struct Signature {
    pub key: String,
    pub module: String,
    pub input: Option<RustType>,
    /// `(input name, field)` when the input type is a struct.
    pub input_fields: Option<Vec<(String, String)>>,
    pub input_names: Vec<String>,
    pub output: String,
}

pub(super) struct Planner<'p> {
    pub project: &'p Project,
    pub index: &'p OperationIndex,
    pub settings: &'p Settings,
    pub typer: &'p Typer<'p>,
    pub diags: Diagnostics,
    /// Sources the generated operations call, by description, in the order first called.
    pub sources: Vec<(OpenApiId, SourcePlan)>,
    /// AsyncAPI sources the message steps use, in the order first used.
    pub message_sources: Vec<(crate::load::AsyncApiId, super::MessageSourcePlan)>,
    pub schemes: Vec<SchemePlan>,
    /// The operations the workflows call, as the generated mock serves them.
    pub mock_routes: Vec<(OpenApiId, super::MockRoute)>,
    /// The generated client's fields and methods.
    pub fields: Namer,
    pub methods: Namer,
    pub modules: Namer,
    pub signatures: Vec<Signature>,
    /// The workflows whose runs keep the set of workflows completed as dependencies (keys):
    /// those with `dependsOn`, and those that run one of them, however (step, action,
    /// dependency). A run passes that set to each of them it runs, so that a dependency
    /// completes once in the whole run, children included.
    pub completing: HashSet<String>,
}

impl<'p> Planner<'p> {
    fn new(
        project: &'p Project,
        index: &'p OperationIndex,
        settings: &'p Settings,
        typer: &'p Typer<'p>,
    ) -> Self {
        let mut fields = Namer::new();
        fields.reserve("settings");
        let mut methods = Namer::new();
        for reserved in [
            "new",
            "with_http_client",
            "with_request_hook",
            "with_step_budget",
            "with_sleeper",
            "with_limits",
            "with_mock",
        ] {
            methods.reserve(reserved);
        }
        Planner {
            project,
            index,
            settings,
            typer,
            diags: Diagnostics::new(),
            sources: Vec::new(),
            message_sources: Vec::new(),
            schemes: Vec::new(),
            mock_routes: Vec::new(),
            fields,
            methods,
            modules: {
                let mut modules = Namer::new();
                // The test doubles' module.
                modules.reserve("mock");
                modules
            },
            signatures: Vec::new(),
            completing: HashSet::new(),
        }
    }

    pub fn resolver(&self, doc: ArazzoId) -> Resolver<'p> {
        Resolver {
            project: self.project,
            index: self.index,
            doc,
        }
    }

    pub fn document(&self, doc: ArazzoId) -> Option<&'p crate::model::Document> {
        self.project.arazzo.get(doc.0).map(|d| &d.document)
    }

    pub fn expr_error(&mut self, node: &Node, e: &ExprError) {
        self.diags
            .push(Diagnostic::new(Code::MalformedExpression, e.message.clone()).at(node.span));
    }

    pub fn internal(&mut self, span: Option<Span>, what: &str) {
        self.diags.extend(internal_error(span, what));
    }

    /// The workflows the module holds: the user's, then, breadth first, every workflow of an
    /// Arazzo source that one of them runs (by step, `dependsOn` or action).
    fn reachable(&mut self) -> Vec<(ArazzoId, &'p Workflow, String)> {
        let mut queue: VecDeque<(ArazzoId, &'p Workflow)> = self
            .document(ArazzoId(0))
            .map(|d| d.workflows.iter().map(|w| (ArazzoId(0), w)).collect())
            .unwrap_or_default();
        let mut found: Vec<(ArazzoId, &'p Workflow, String)> = Vec::new();
        while let Some((doc, w)) = queue.pop_front() {
            let key = self.workflow_key(doc, &w.workflow_id.value);
            if found.iter().any(|(_, _, k)| *k == key) {
                continue;
            }
            found.push((doc, w, key));
            let resolver = self.resolver(doc);
            for id in workflow_refs(self.document(doc), w) {
                if let Ok(Some((d, target))) = resolver.workflow(id) {
                    queue.push_back((d, target));
                }
            }
        }
        found
    }

    /// The workflows whose runs keep the set of completed workflows (`completing`): one pass
    /// back from each workflow with `dependsOn` over who runs whom, linear in the calls.
    fn completing(&self, reachable: &[(ArazzoId, &'p Workflow, String)]) -> HashSet<String> {
        let mut callers: HashMap<String, Vec<&str>> = HashMap::new();
        for (doc, w, key) in reachable {
            let resolver = self.resolver(*doc);
            for id in workflow_refs(self.document(*doc), w) {
                if let Ok(Some((d, target))) = resolver.workflow(id) {
                    let target = self.workflow_key(d, &target.workflow_id.value);
                    callers.entry(target).or_default().push(key);
                }
            }
        }
        let mut found: HashSet<String> = HashSet::new();
        let mut queue: VecDeque<&str> = reachable
            .iter()
            .filter(|(_, w, _)| !w.depends_on.is_empty())
            .map(|(_, _, key)| key.as_str())
            .collect();
        while let Some(key) = queue.pop_front() {
            if found.insert(key.to_owned()) {
                queue.extend(callers.get(key).into_iter().flatten().copied());
            }
        }
        found
    }

    /// The module-wide key of a workflow: its id, prefixed by the source name for workflows of
    /// other Arazzo documents.
    pub fn workflow_key(&self, doc: ArazzoId, id: &str) -> String {
        if doc == ArazzoId(0) {
            return id.to_owned();
        }
        // The name the user's document gives that Arazzo source, for readable generated names.
        let source = self
            .project
            .arazzo
            .iter()
            .flat_map(|d| d.sources.iter())
            .find(|s| s.target == SourceTarget::Arazzo(doc))
            .map_or_else(|| format!("document{}", doc.0), |s| s.name.clone());
        format!("{source}.{id}")
    }

    fn signature(
        &mut self,
        doc: ArazzoId,
        w: &Workflow,
        key: &str,
        space: &mut TypeSpace<'_>,
    ) -> Signature {
        let base = super::names::sanitize(key, Case::UpperCamel);
        let takes = w.inputs.as_ref().filter(|s| takes_input(s));
        let input_fields = takes.and_then(|schema| space.struct_fields(schema));
        let input = takes.map(|schema| {
            let doc = format!("The inputs of workflow `{}`.", w.workflow_id.value);
            let (ty, nullable) = space.documented_type(schema, &format!("{base}Input"), Some(&doc));
            ty.optional(nullable)
        });
        let output = space.names.name(&format!("{base}Output"), Case::UpperCamel);
        Signature {
            key: key.to_owned(),
            module: self.modules.name(key, Case::Snake),
            input,
            input_fields,
            input_names: declared_input_names(self.project, doc, w),
            output,
        }
    }

    /// How a caller runs workflow `id` (named in document `doc`), and the name of the caller's
    /// run method for it.
    pub fn callee(&mut self, doc: ArazzoId, id: &crate::model::Spanned<String>) -> Option<Callee> {
        let (target_doc, w) = self.resolver(doc).workflow(id).ok()??;
        let key = self.workflow_key(target_doc, &w.workflow_id.value);
        let Some(sig) = self.signatures.iter().find(|s| s.key == key) else {
            self.internal(Some(id.span), &format!("workflow `{key}` was not planned"));
            return None;
        };
        Some(Callee {
            key: key.clone(),
            module: sig.module.clone(),
            input: sig.input.clone(),
            input_names: sig.input_names.clone(),
            within: self.completing.contains(&key),
            // Named by the caller's run (see `runs_of`).
            method: String::new(),
        })
    }

    /// The workflows `workflow` names in `dependsOn`, each once.
    pub fn dependencies(&mut self, doc: ArazzoId, workflow: &'p Workflow) -> Vec<Callee> {
        let mut direct: Vec<Callee> = Vec::new();
        for id in &workflow.depends_on {
            let Some(callee) = self.callee(doc, id) else {
                continue;
            };
            if direct.iter().all(|c| c.key != callee.key) {
                direct.push(callee);
            }
        }
        direct
    }

    /// The struct of each workflow's outputs.
    fn output_types(&self, workflows: &[super::WorkflowPlan]) -> Vec<TypeDef> {
        workflows
            .iter()
            .map(|w| {
                let fields: Vec<super::FieldDef> = w
                    .outputs
                    .iter()
                    .map(|o| super::FieldDef {
                        name: o.field.clone(),
                        original: o.name.clone(),
                        ty: o.ty.clone(),
                        doc: o
                            .from
                            .as_ref()
                            .map(|e| format!("From `{e}` (`{}`).", o.expected)),
                        absent: super::Absent::Never,
                    })
                    .collect();
                TypeDef::Struct {
                    name: w.output.clone(),
                    doc: Some(format!("The outputs of workflow `{}`.", w.id)),
                    rename_all: super::types::struct_rename(&fields),
                    fields,
                }
            })
            .collect()
    }
}

/// Every `workflowId` a workflow names: its `dependsOn`, its steps, and its actions (inline,
/// Reusable, workflow-level), in document order.
fn workflow_refs<'w>(
    doc: Option<&'w crate::model::Document>,
    w: &'w Workflow,
) -> Vec<&'w crate::model::Spanned<String>> {
    let mut refs: Vec<&crate::model::Spanned<String>> = w.depends_on.iter().collect();
    let action_refs =
        |list: &'w [ActionOrRef], success: bool| -> Vec<&'w crate::model::Spanned<String>> {
            list.iter()
                .filter_map(|item| match item {
                    ActionOrRef::Action(a) => a.workflow_id.as_ref(),
                    ActionOrRef::Reusable(r) => {
                        let components = doc?;
                        let (prefix, map) = if success {
                            (
                                "$components.successActions.",
                                &components.components.success_actions,
                            )
                        } else {
                            (
                                "$components.failureActions.",
                                &components.components.failure_actions,
                            )
                        };
                        let name = r.reference.value.strip_prefix(prefix)?;
                        map.get(name)?.value.workflow_id.as_ref()
                    }
                })
                .collect()
        };
    refs.extend(action_refs(&w.success_actions, true));
    refs.extend(action_refs(&w.failure_actions, false));
    for step in &w.steps {
        if let Some(StepTarget::WorkflowId(id)) = &step.target {
            refs.push(id);
        }
        refs.extend(action_refs(&step.on_success, true));
        refs.extend(action_refs(&step.on_failure, false));
    }
    refs
}

/// The description of a step for its method's documentation: the step's own, if any.
pub(super) fn step_description(step: &Step) -> Option<String> {
    step.description.as_ref().map(|d| d.value.clone())
}
