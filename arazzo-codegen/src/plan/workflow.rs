//! One workflow: its steps in order, the workflows it runs, its outputs, and what one run of it
//! keeps (inputs, the step outputs some expression reads, retry counts, …).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::document::Planner;
use super::lower::Lowerer;
use super::names::{Case, Namer};
use super::reads::{Places, input_reads, kept_outputs, visit_lowered, whole_output_reads};
use super::step::{DraftAction, DraftKind, DraftStep, Target, merge};
use super::types::value_type;
use super::{
    ActionPlanKind, BodyKind, Callee, Cond, CriterionPlan, Lowered, MessageKind, OutputPlan,
    OutputValue, ReplaceTarget, RunInputs, RunPlan, Source, StepCall, StepOutputField, StepPlan,
    StepTarget, SubscriptionPlan, ValueRef, Via, WorkflowPlan,
};
use crate::index::inputs::resolve_parameters_of;
use crate::load::ArazzoId;
use crate::model::Workflow;
use crate::types::{Type, ValueType};

impl<'p> Planner<'p> {
    /// Plans workflow number `index` of the module (its signature is `self.signatures[index]`).
    pub fn workflow(
        &mut self,
        index: usize,
        doc: ArazzoId,
        workflow: &'p Workflow,
    ) -> Option<WorkflowPlan> {
        let lowerer = Lowerer {
            typer: self.typer,
            settings: self.settings,
            doc,
            workflow,
        };
        let document = self.document(doc)?;
        let workflow_params = resolve_parameters_of(document, &workflow.parameters);
        let depends_on = self.dependencies(doc, workflow);
        let shared_success = self.actions(doc, &lowerer, None, &workflow.success_actions, true);
        let shared_failure = self.actions(doc, &lowerer, None, &workflow.failure_actions, false);
        let Ok(order) = crate::index::order::step_order(workflow) else {
            self.internal(
                Some(workflow.workflow_id.span),
                "the steps depend on each other in a cycle",
            );
            return None;
        };
        let mut drafts = Vec::new();
        for s in order.iter().filter_map(|&i| workflow.steps.get(i)) {
            let errors = self.diags.has_errors();
            match self.step(doc, &lowerer, s, &workflow_params) {
                Some(mut draft) => {
                    draft.on_success = merge(draft.on_success, &shared_success);
                    draft.on_failure = merge(draft.on_failure, &shared_failure);
                    drafts.push(draft);
                }
                None if errors || self.diags.has_errors() => {}
                None => self.internal(
                    Some(s.step_id.span),
                    &format!("step `{}` could not be planned", s.step_id.value),
                ),
            }
        }
        let at_end = super::presence::of_drafts(&drafts, &depends_on);
        let outputs: Vec<(String, Lowered, ValueType)> = workflow
            .outputs
            .iter()
            .filter_map(|o| match lowerer.value(&o.value, None) {
                Ok(value) => {
                    let ty = match &value {
                        // A value that some normal end of the run does not have may be absent.
                        Lowered::Value(v) if !sure_at_end(v, &at_end) => v.ty.clone().nullable(),
                        Lowered::Value(v) => v.ty.clone(),
                        Lowered::Template(_) => ValueType::new(Type::String),
                        Lowered::Select { .. } => ValueType::json(),
                        _ => crate::types::literal_type(&o.value),
                    };
                    Some((o.name.value.clone(), value, ty))
                }
                Err(e) => {
                    self.expr_error(&o.value, &e);
                    None
                }
            })
            .collect();
        let sig = self.signatures.get(index)?;
        let (module, input, output, input_fields) = (
            sig.module.clone(),
            sig.input.clone(),
            sig.output.clone(),
            sig.input_fields.clone(),
        );
        let mut shape = Shape::new(&drafts);
        let runs = runs_of(&depends_on, &drafts, &mut shape.methods);
        let rename = |c: &Callee| -> Callee {
            let mut c = c.clone();
            if let Some(known) = runs.iter().find(|r| r.key == c.key) {
                c.method = known.method.clone();
            }
            c
        };
        let depends_on: Vec<Callee> = depends_on.iter().map(rename).collect();
        let runs_workflows = !runs.is_empty();
        // A workflow run with this run's inputs of the same names picks them from its JSON.
        let passes_own_inputs = depends_on.iter().any(|c| c.input.is_some())
            || drafts
                .iter()
                .flat_map(|d| d.on_success.iter().chain(&d.on_failure))
                .any(|a| match &a.kind {
                    DraftKind::Goto(Target::Workflow(c))
                    | DraftKind::Retry {
                        via: Some(Target::Workflow(c)),
                        ..
                    } => c.input.is_some() && a.inputs.is_none(),
                    _ => false,
                });

        // What the run keeps: the step outputs some expression reads (transitively through the
        // outputs it keeps), and the inputs in the form expressions read them.
        let kept = kept_outputs(&drafts, &outputs);
        let mut run_fields = Namer::new();
        for reserved in [
            "client",
            "input",
            "inputs",
            "workflows",
            "retries",
            "resume",
            "status",
        ] {
            run_fields.reserve(reserved);
        }
        let mut step_outputs = Vec::new();
        let mut places = BTreeMap::new();
        for d in &drafts {
            for (name, _) in &d.outputs {
                let key = (d.id.clone(), name.clone());
                if kept.contains(&key) && !places.contains_key(&key) {
                    let field = run_fields.name(&format!("{}_{name}", d.id), Case::Snake);
                    places.insert(key, field.clone());
                    step_outputs.push(StepOutputField {
                        step: d.id.clone(),
                        output: name.clone(),
                        field,
                    });
                }
            }
        }
        let input_reads = input_reads(&drafts, &outputs);
        let typed = input_fields
            .as_deref()
            .filter(|_| input_reads.any && !input_reads.whole && !passes_own_inputs);
        let inputs = if typed.is_some() {
            RunInputs::Typed
        } else if input_reads.any || passes_own_inputs {
            RunInputs::Json
        } else {
            RunInputs::None
        };
        let workflows_read = super::reads::workflows_read(&drafts, &outputs);
        let reads_workflows = !workflows_read.is_empty();
        // A workflow read that is not a direct dependency may be one of theirs (completed in
        // this run): its record comes from the run's set of completed workflows.
        let recalls: Vec<String> = workflows_read
            .iter()
            .filter(|key| depends_on.iter().all(|c| c.key != **key))
            .cloned()
            .collect();

        let mut steps = Vec::new();
        for (i, d) in drafts.iter().enumerate() {
            let next = drafts.get(i + 1).and_then(|n| shape.variant(&n.id));
            match shape.step(d, next, &places) {
                Some(mut step) => {
                    // Actions run other workflows through the run's methods for them.
                    for a in step.on_success.iter_mut().chain(step.on_failure.iter_mut()) {
                        match &mut a.kind {
                            ActionPlanKind::GotoWorkflow(c)
                            | ActionPlanKind::Retry {
                                via: Some(Via::Workflow(c)),
                                ..
                            } => *c = rename(c),
                            _ => {}
                        }
                    }
                    if let StepCall::Workflow { record, callee, .. } = &mut step.call {
                        *record = workflows_read.contains(&callee.key);
                    }
                    steps.push(step);
                }
                None => self.internal(
                    None,
                    &format!("an action of step `{}` names an unknown step", d.id),
                ),
            }
        }
        let retries = steps
            .iter()
            .flat_map(|s| &s.on_failure)
            .any(|a| matches!(a.kind, ActionPlanKind::Retry { .. }));
        let detours: HashSet<String> = steps
            .iter()
            .flat_map(|s| &s.on_failure)
            .filter_map(|a| match &a.kind {
                ActionPlanKind::Retry {
                    via: Some(Via::Step(t)),
                    ..
                } => Some(t.id.clone()),
                _ => None,
            })
            .collect();
        for s in &mut steps {
            s.resumes = detours.contains(&s.id);
        }
        let resume = !detours.is_empty();
        let ends_on_failure = steps
            .iter()
            .flat_map(|s| &s.on_failure)
            .any(|a| a.kind == ActionPlanKind::End);
        let made = made_variants(&steps);
        let unreachable_steps = steps.iter().any(|s| !made.contains(&s.variant));
        let similar_step_names = similar_names(steps.iter().map(|s| s.variant.as_str()));

        let mut output_fields = Namer::new();
        let mut output_queries = Namer::new();
        let whole_reads = whole_output_reads(&outputs);
        let mut outputs: Vec<OutputPlan> = outputs
            .into_iter()
            .map(|(name, value, ty)| {
                let from = match &value {
                    Lowered::Value(v) => Some(v.text.clone()),
                    _ => None,
                };
                let value = match whole_step_output(&value)
                    .and_then(|key| Some((places.get(&key)?.clone(), whole_reads.get(&key))))
                {
                    Some((field, Some(1))) => OutputValue::Take(field),
                    Some((field, _)) => OutputValue::Borrow(field),
                    None => {
                        let mut value = value;
                        value.query_names_mut(&mut |n| {
                            *n = output_queries.name("query", Case::Shouty);
                        });
                        OutputValue::Compute(value)
                    }
                };
                OutputPlan {
                    field: output_fields.name(&name, Case::Snake),
                    name,
                    ty: value_type(&ty),
                    expected: ty.to_string(),
                    from,
                    value,
                }
            })
            .collect();
        let input_field_names: Vec<(String, String)> = typed.map(<[_]>::to_vec).unwrap_or_default();
        Places {
            step_outputs: &places,
            typed: typed.map(|_| input_field_names.as_slice()),
        }
        .apply(&mut steps, &mut outputs);
        for s in &mut steps {
            decide_step_reads(s);
        }
        let subscriptions = self.subscriptions(workflow, &steps);

        Some(WorkflowPlan {
            id: workflow.workflow_id.value.clone(),
            file: self
                .document(doc)
                .map(|d| self.project.files.display_name(d.file))
                .unwrap_or_default(),
            public: doc == ArazzoId(0),
            // Named once every workflow is planned (see `plan`).
            method: String::new(),
            module,
            summary: workflow.summary.as_ref().map(|s| s.value.clone()),
            description: workflow.description.as_ref().map(|s| s.value.clone()),
            input,
            output,
            run: RunPlan {
                inputs,
                step_outputs,
                workflows: runs_workflows || reads_workflows,
                retries,
                resume,
                ends_on_failure,
                unreachable_steps,
                similar_step_names,
                subscriptions,
                // Known once every workflow is planned (see `plan`).
                completing: false,
                within: false,
            },
            depends_on,
            recalls,
            runs,
            steps,
            outputs,
        })
    }
}

impl Planner<'_> {
    /// The subscriptions of the steps that receive: opened before the first step, so their
    /// channel parameters can read only the inputs and constants.
    fn subscriptions(&mut self, workflow: &Workflow, steps: &[StepPlan]) -> Vec<SubscriptionPlan> {
        let mut out = Vec::new();
        for s in steps {
            let StepCall::Message(m) = &s.call else {
                continue;
            };
            let MessageKind::Receive { subscription, .. } = &m.kind else {
                continue;
            };
            let mut late = None;
            for (name, _, v) in &m.channel_params {
                visit_lowered(v, &mut |r| {
                    if !matches!(
                        r.source,
                        Source::Inputs | Source::TypedInput { .. } | Source::Constant(_)
                    ) {
                        late = Some((name.clone(), r.text.clone()));
                    }
                });
            }
            if let Some((name, text)) = late {
                let span = workflow
                    .steps
                    .iter()
                    .find(|w| w.step_id.value == s.id)
                    .map(|w| w.step_id.span);
                let mut d = crate::diagnostics::Diagnostic::new(
                    crate::diagnostics::Code::UnsupportedFeature,
                    format!(
                        "channel parameter `{name}` of step `{}` reads `{text}`, which is not known when the workflow starts",
                        s.id
                    ),
                )
                .note("a workflow subscribes to the channels it receives from before its first step, so that no message is missed: their addresses can read only inputs and constants")
                .help("pass the value as a workflow input");
                if let Some(span) = span {
                    d = d
                        .at(span)
                        .label("receives on a channel whose address is not known yet");
                }
                self.diags.push(d);
                continue;
            }
            out.push(SubscriptionPlan {
                field: subscription.clone(),
                step: s.id.clone(),
                source: m.source.clone(),
                address: m.address.clone(),
                channel_params: m.channel_params.clone(),
            });
        }
        out
    }
}

/// What a step keeps depends on what its expressions read: a child workflow's outputs only
/// when `$outputs` is read; path values only when `$request.path` is read; a form body as JSON
/// only when `$request.body` is read or the payload is rewritten, else its fields are read
/// where they are.
fn decide_step_reads(s: &mut StepPlan) {
    let child_outputs = super::reads::step_reads(s, |src| matches!(src, Source::ChildOutputs));
    let request_body = super::reads::reads_request_body(s);
    let request_path = super::reads::step_reads(s, |src| matches!(src, Source::RequestPath(_)));
    match &mut s.call {
        StepCall::Workflow { reads_outputs, .. } => *reads_outputs = child_outputs,
        StepCall::Message(_) => {}
        StepCall::Operation(op) => {
            op.reads_request_path = request_path;
            if let Some(b) = &mut op.body
                && let (BodyKind::Form(encodings), Lowered::Object(_)) = (&b.kind, &b.value)
                && b.replacements.is_empty()
                && !request_body
            {
                b.kind = BodyKind::FormFields(encodings.clone());
            }
        }
    }
}

/// The names inside one workflow's module: step variants, the run's methods.
struct Shape {
    /// `(step id, variant)`.
    variants: Vec<(String, String)>,
    /// `(step id, method)`.
    step_methods: Vec<(String, String)>,
    /// Methods of the run: `new`, `execute`, one per step, one per workflow it runs.
    methods: Namer,
}

impl Shape {
    fn new(drafts: &[DraftStep]) -> Self {
        let mut variant_names = Namer::new();
        let mut methods = Namer::new();
        for reserved in [
            "new",
            "execute",
            "steps",
            "ended",
            "partial_outputs",
            "resumed",
        ] {
            methods.reserve(reserved);
        }
        let variants = drafts
            .iter()
            .map(|d| (d.id.clone(), variant_names.name(&d.id, Case::UpperCamel)))
            .collect();
        let step_methods = drafts
            .iter()
            .map(|d| (d.id.clone(), methods.name(&d.id, Case::Snake)))
            .collect();
        Shape {
            variants,
            step_methods,
            methods,
        }
    }

    fn variant(&self, id: &str) -> Option<String> {
        self.variants
            .iter()
            .find(|(s, _)| s == id)
            .map(|(_, v)| v.clone())
    }

    fn target(&self, id: &str) -> Option<StepTarget> {
        Some(StepTarget {
            id: id.to_owned(),
            variant: self.variant(id)?,
        })
    }

    /// The step's plan, with names: its variant, method, the constants of its criteria, the run
    /// fields of the outputs it keeps.
    fn step(
        &self,
        d: &DraftStep,
        next: Option<String>,
        places: &BTreeMap<(String, String), String>,
    ) -> Option<StepPlan> {
        let variant = |id: &str| self.target(id);
        // An action without criteria (other than a retry, which its limit guards) is always
        // taken: those after it can never apply.
        let resolve = |actions: &[DraftAction]| -> Option<Vec<super::ActionPlan>> {
            let always = actions
                .iter()
                .position(|a| a.criteria.is_empty() && !matches!(a.kind, DraftKind::Retry { .. }));
            let reachable = always.map_or(actions, |i| actions.get(..=i).unwrap_or(actions));
            reachable
                .iter()
                .map(|a| a.clone().resolve(&variant))
                .collect()
        };
        let mut plan = StepPlan {
            id: d.id.clone(),
            method: self
                .step_methods
                .iter()
                .find(|(s, _)| *s == d.id)
                .map(|(_, m)| m.clone())?,
            variant: self.variant(&d.id)?,
            description: d.description.clone(),
            call: d.call.clone(),
            timeout: d.timeout.clone(),
            queries: Vec::new(),
            criteria: d.criteria.clone(),
            outputs: d
                .outputs
                .iter()
                .filter_map(|(name, v)| {
                    let field = places.get(&(d.id.clone(), name.clone()))?;
                    Some((field.clone(), v.clone()))
                })
                .collect(),
            on_success: resolve(&d.on_success)?,
            on_failure: resolve(&d.on_failure)?,
            next,
            // Known once every step is planned.
            resumes: false,
        };
        name_constants(&mut plan);
        Some(plan)
    }
}

/// The step variants the generated code makes: the first step's, the next step's where a
/// step's success can fall through to it, and every step an action goes to or retries.
fn made_variants(steps: &[StepPlan]) -> BTreeSet<String> {
    let mut made = BTreeSet::new();
    if let Some(first) = steps.first() {
        made.insert(first.variant.clone());
    }
    for s in steps {
        let falls_through = !s.on_success.iter().any(|a| a.criteria.is_empty());
        if falls_through && let Some(next) = &s.next {
            made.insert(next.clone());
        }
        for a in s.on_success.iter().chain(&s.on_failure) {
            match &a.kind {
                ActionPlanKind::GotoStep(t) => {
                    made.insert(t.variant.clone());
                }
                ActionPlanKind::Retry { via, .. } => {
                    made.insert(s.variant.clone());
                    if let Some(Via::Step(t)) = via {
                        made.insert(t.variant.clone());
                    }
                }
                ActionPlanKind::End | ActionPlanKind::GotoWorkflow(_) => {}
            }
        }
    }
    made
}

/// What clippy's `enum_variant_names` lint objects to in the variants of `enum Step`: a variant
/// that starts or ends with the enum's name, or three or more that share a first or last word.
fn similar_names<'a>(variants: impl Iterator<Item = &'a str>) -> bool {
    let words: Vec<Vec<String>> = variants.map(camel_words).collect();
    let names_enum = words
        .iter()
        .any(|w| w.first().is_some_and(|f| f == "Step") || w.last().is_some_and(|l| l == "Step"));
    let shared = |pick: fn(&Vec<String>) -> Option<&String>| {
        let mut all = words.iter().map(pick);
        let first = all.next().flatten();
        first.is_some() && all.all(|w| w == first)
    };
    names_enum || (words.len() >= 3 && (shared(|w| w.first()) || shared(|w| w.last())))
}

fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(w) = words.last_mut() {
            w.push(c);
        }
    }
    words
}

/// Names the constants of a step's method: one per criterion (after what it belongs to), one
/// `static` per compiled pattern or query.
fn name_constants(s: &mut StepPlan) {
    let mut names = Namer::new();
    let name = |c: &mut CriterionPlan, owner: &str, names: &mut Namer| {
        c.name = names.name(owner, Case::Shouty);
        name_statics(&mut c.cond, names);
    };
    if let Some(t) = &mut s.timeout {
        t.name = names.name("timeout", Case::Shouty);
    }
    for c in &mut s.criteria {
        name(c, "criterion", &mut names);
    }
    let mut name_query = |n: &mut String| *n = names.name("query", Case::Shouty);
    for v in step_values_mut(s) {
        v.query_names_mut(&mut name_query);
    }
    let mut queries = Vec::new();
    for v in step_values_mut(s) {
        v.queries(&mut queries);
    }
    if let StepCall::Operation(op) = &mut s.call
        && let Some(b) = &mut op.body
    {
        for (target, _) in &mut b.replacements {
            if let ReplaceTarget::Query { name, query } = target {
                *name = names.name("target", Case::Shouty);
                queries.push((name.clone(), query.clone()));
            }
        }
    }
    s.queries = queries;
    for a in s.on_success.iter_mut().chain(s.on_failure.iter_mut()) {
        for c in &mut a.criteria {
            name(c, &a.name, &mut names);
        }
    }
}

/// Every lowered value of a step: its request, outputs and the inputs its actions pass.
fn step_values_mut(s: &mut StepPlan) -> Vec<&mut Lowered> {
    let mut values: Vec<&mut Lowered> = s.call.values_mut();
    values.extend(s.outputs.iter_mut().map(|(_, v)| v));
    let actions = s.on_success.iter_mut().chain(s.on_failure.iter_mut());
    values.extend(
        actions
            .filter_map(|a| a.inputs.as_mut())
            .flatten()
            .map(|(_, v)| v),
    );
    values
}

fn name_statics(c: &mut Cond, names: &mut Namer) {
    match c {
        Cond::Any(parts) | Cond::All(parts) => {
            parts.iter_mut().for_each(|p| name_statics(p, names));
        }
        Cond::Not(inner) => name_statics(inner, names),
        Cond::Regex { name, .. } => *name = names.name("pattern", Case::Shouty),
        Cond::JsonPath { name, .. } | Cond::XPath { name, .. } => {
            *name = names.name("query", Case::Shouty);
        }
        Cond::Compare { .. }
        | Cond::IsTrue(_)
        | Cond::Status { .. }
        | Cond::Exists(_)
        | Cond::Built { .. }
        | Cond::Completed => {}
    }
}

/// Every other workflow the run starts by `dependsOn` or an action, once each, with the name
/// of the run method that starts it.
fn runs_of(depends_on: &[Callee], drafts: &[DraftStep], methods: &mut Namer) -> Vec<Callee> {
    let mut runs: Vec<Callee> = Vec::new();
    let from_actions = drafts
        .iter()
        .flat_map(|d| d.on_success.iter().chain(&d.on_failure))
        .filter_map(|a| match &a.kind {
            DraftKind::Goto(Target::Workflow(c))
            | DraftKind::Retry {
                via: Some(Target::Workflow(c)),
                ..
            } => Some(c),
            _ => None,
        });
    for callee in depends_on.iter().chain(from_actions) {
        if !runs.iter().any(|r| r.key == callee.key) {
            let mut c = callee.clone();
            // `run_<workflow>`, unless the workflow's own name already starts with "run".
            let snake = super::names::sanitize(&callee.key, Case::Snake);
            let wanted = if snake == "run" || snake.starts_with("run_") {
                snake
            } else {
                format!("run_{snake}")
            };
            c.method = methods.name(&wanted, Case::Snake);
            runs.push(c);
        }
    }
    runs
}

/// `(step, output)` when `v` is a step output as it is.
fn whole_step_output(v: &Lowered) -> Option<(String, String)> {
    let Lowered::Value(r) = v else {
        return None;
    };
    let Source::StepOutput { step, output, .. } = &r.source else {
        return None;
    };
    r.pointer.is_empty().then(|| (step.clone(), output.clone()))
}

/// Whether the value a workflow output reads exists at every normal end of the run.
fn sure_at_end(v: &ValueRef, at_end: &crate::types::presence::AtEnd) -> bool {
    match &v.source {
        Source::StepOutput { step, output, .. } => at_end.step_output(step, output),
        Source::WorkflowOutput { workflow, .. } | Source::WorkflowInputs { workflow } => {
            at_end.workflow(workflow)
        }
        _ => true,
    }
}
