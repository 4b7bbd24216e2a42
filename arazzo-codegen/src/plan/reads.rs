//! What a workflow's lowered expressions read, and the pass that tells each value reference
//! where the run keeps what it names. Read once the whole workflow is lowered, so that a run
//! keeps exactly what some expression reads.

use std::collections::{BTreeMap, BTreeSet};

use super::step::DraftStep;
use crate::types::ValueType;

use super::{
    ActionPlan, Cond, Lowered, Operand, OutputPlan, Source, StepPlan, TemplatePart, ValueRef,
};

/// Calls `f` with every value reference in `v`.
pub fn visit_lowered(v: &Lowered, f: &mut dyn FnMut(&ValueRef)) {
    match v {
        Lowered::Literal(_) => {}
        Lowered::Value(r) | Lowered::Select { value: r, .. } => f(r),
        Lowered::Template(parts) => parts.iter().for_each(|p| {
            if let TemplatePart::Value(r, _) = p {
                f(r);
            }
        }),
        Lowered::Array(items) => items.iter().for_each(|i| visit_lowered(i, f)),
        Lowered::Object(entries) => entries.iter().for_each(|(_, v)| visit_lowered(v, f)),
    }
}

/// Calls `f` with every value reference in `c`.
pub fn visit_cond(c: &Cond, f: &mut dyn FnMut(&ValueRef)) {
    let operand = |o: &Operand, f: &mut dyn FnMut(&ValueRef)| {
        if let Operand::Value(r) = o {
            f(r);
        }
    };
    match c {
        Cond::Any(parts) | Cond::All(parts) => parts.iter().for_each(|p| visit_cond(p, f)),
        Cond::Not(inner) => visit_cond(inner, f),
        Cond::Compare { lhs, rhs, .. } => {
            operand(lhs, f);
            operand(rhs, f);
        }
        Cond::IsTrue(o) => operand(o, f),
        Cond::Regex { value, .. }
        | Cond::JsonPath { value, .. }
        | Cond::XPath { value, .. }
        | Cond::Exists(value) => f(value),
        Cond::Built { value, parts, .. } => {
            f(value);
            parts.iter().for_each(|p| {
                if let TemplatePart::Value(r, _) = p {
                    f(r);
                }
            });
        }
        Cond::Status { .. } | Cond::Completed => {}
    }
}

fn visit_lowered_mut(v: &mut Lowered, f: &mut dyn FnMut(&mut ValueRef)) {
    match v {
        Lowered::Literal(_) => {}
        Lowered::Value(r) | Lowered::Select { value: r, .. } => f(r),
        Lowered::Template(parts) => parts.iter_mut().for_each(|p| {
            if let TemplatePart::Value(r, _) = p {
                f(r);
            }
        }),
        Lowered::Array(items) => items.iter_mut().for_each(|i| visit_lowered_mut(i, f)),
        Lowered::Object(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| visit_lowered_mut(v, f)),
    }
}

fn visit_cond_mut(c: &mut Cond, f: &mut dyn FnMut(&mut ValueRef)) {
    let operand = |o: &mut Operand, f: &mut dyn FnMut(&mut ValueRef)| {
        if let Operand::Value(r) = o {
            f(r);
        }
    };
    match c {
        Cond::Any(parts) | Cond::All(parts) => {
            parts.iter_mut().for_each(|p| visit_cond_mut(p, f));
        }
        Cond::Not(inner) => visit_cond_mut(inner, f),
        Cond::Compare { lhs, rhs, .. } => {
            operand(lhs, f);
            operand(rhs, f);
        }
        Cond::IsTrue(o) => operand(o, f),
        Cond::Regex { value, .. }
        | Cond::JsonPath { value, .. }
        | Cond::XPath { value, .. }
        | Cond::Exists(value) => f(value),
        Cond::Built { value, parts, .. } => {
            f(value);
            parts.iter_mut().for_each(|p| {
                if let TemplatePart::Value(r, _) = p {
                    f(r);
                }
            });
        }
        Cond::Status { .. } | Cond::Completed => {}
    }
}

/// Every lowered value and condition of a step: its request, criteria, actions and outputs.
fn step_parts(s: &StepPlan) -> (Vec<&Lowered>, Vec<&Cond>) {
    let mut values: Vec<&Lowered> = s.call.values();
    values.extend(s.outputs.iter().map(|(_, v)| v));
    values.extend(
        actions(s)
            .filter_map(|a| a.inputs.as_ref())
            .flatten()
            .map(|(_, v)| v),
    );
    let conds = s
        .criteria
        .iter()
        .chain(actions(s).flat_map(|a| a.criteria.iter()))
        .map(|c| &c.cond)
        .collect();
    (values, conds)
}

fn actions(s: &StepPlan) -> impl Iterator<Item = &ActionPlan> {
    s.on_success.iter().chain(&s.on_failure)
}

/// Whether any expression of the step reads `source`.
pub fn step_reads(s: &StepPlan, wanted: fn(&Source) -> bool) -> bool {
    let mut found = false;
    let mut note = |r: &ValueRef| found |= wanted(&r.source);
    let (values, conds) = step_parts(s);
    values.into_iter().for_each(|v| visit_lowered(v, &mut note));
    conds.into_iter().for_each(|c| visit_cond(c, &mut note));
    found
}

/// Whether an expression of the step other than the request itself reads `$request.body` (then
/// the body must be kept as JSON).
pub fn reads_request_body(s: &StepPlan) -> bool {
    let mut found = false;
    let mut note = |r: &ValueRef| found |= matches!(r.source, Source::RequestBody);
    s.outputs
        .iter()
        .chain(actions(s).filter_map(|a| a.inputs.as_ref()).flatten())
        .for_each(|(_, v)| visit_lowered(v, &mut note));
    s.criteria
        .iter()
        .chain(actions(s).flat_map(|a| a.criteria.iter()))
        .for_each(|c| visit_cond(&c.cond, &mut note));
    found
}

/// Where the run keeps what expressions read: step outputs in their fields, inputs as typed
/// fields (`typed`: `(input name, field)`) or in the JSON copy.
pub struct Places<'a> {
    pub step_outputs: &'a BTreeMap<(String, String), String>,
    pub typed: Option<&'a [(String, String)]>,
}

impl Places<'_> {
    fn place(&self, r: &mut ValueRef) {
        match &mut r.source {
            Source::StepOutput {
                step,
                output,
                field,
            } => {
                *field = self
                    .step_outputs
                    .get(&(step.clone(), output.clone()))
                    .cloned();
            }
            Source::Inputs => {
                let Some(typed) = self.typed else { return };
                let Some(first) = r.pointer.first().cloned() else {
                    return;
                };
                let field = typed
                    .iter()
                    .find(|(name, _)| *name == first)
                    .map(|(_, f)| f.clone());
                r.pointer.remove(0);
                r.source = Source::TypedInput { field };
            }
            _ => {}
        }
    }

    /// Places every value reference of the steps and outputs.
    pub fn apply(&self, steps: &mut [StepPlan], outputs: &mut [OutputPlan]) {
        let mut place = |r: &mut ValueRef| self.place(r);
        for s in steps.iter_mut() {
            for v in s.call.values_mut() {
                visit_lowered_mut(v, &mut place);
            }
            for (_, v) in &mut s.outputs {
                visit_lowered_mut(v, &mut place);
            }
            let action_inputs = s
                .on_success
                .iter_mut()
                .chain(s.on_failure.iter_mut())
                .filter_map(|a| a.inputs.as_mut())
                .flatten();
            for (_, v) in action_inputs {
                visit_lowered_mut(v, &mut place);
            }
            let criteria = s.criteria.iter_mut().chain(
                s.on_success
                    .iter_mut()
                    .chain(s.on_failure.iter_mut())
                    .flat_map(|a| a.criteria.iter_mut()),
            );
            for c in criteria {
                visit_cond_mut(&mut c.cond, &mut place);
            }
        }
        for o in outputs {
            if let super::OutputValue::Compute(v) = &mut o.value {
                visit_lowered_mut(v, &mut place);
            }
        }
    }
}

/// Every lowered value and condition of a draft step.
pub fn draft_parts(d: &DraftStep) -> (Vec<&Lowered>, Vec<&Cond>) {
    let mut values: Vec<&Lowered> = d.call.values();
    values.extend(
        d.on_success
            .iter()
            .chain(&d.on_failure)
            .filter_map(|a| a.inputs.as_ref())
            .flatten()
            .map(|(_, v)| v),
    );
    let conds = d
        .criteria
        .iter()
        .chain(
            d.on_success
                .iter()
                .chain(&d.on_failure)
                .flat_map(|a| a.criteria.iter()),
        )
        .map(|c| &c.cond)
        .collect();
    (values, conds)
}

/// The workflows whose records (`$workflows.<id>…`) the steps or the outputs read, by key.
pub fn workflows_read(
    drafts: &[DraftStep],
    outputs: &[(String, Lowered, ValueType)],
) -> BTreeSet<String> {
    let mut read = BTreeSet::new();
    let mut note = |r: &ValueRef| {
        if let Source::WorkflowInputs { workflow } | Source::WorkflowOutput { workflow, .. } =
            &r.source
        {
            read.insert(workflow.clone());
        }
    };
    visit_workflow(drafts, outputs, &mut note);
    read
}

/// Every value the steps (requests, criteria, actions, outputs) and the workflow's outputs read.
fn visit_workflow(
    drafts: &[DraftStep],
    outputs: &[(String, Lowered, ValueType)],
    note: &mut dyn FnMut(&ValueRef),
) {
    for d in drafts {
        let (values, conds) = draft_parts(d);
        values.into_iter().for_each(|v| visit_lowered(v, note));
        conds.into_iter().for_each(|c| visit_cond(c, note));
        d.outputs.iter().for_each(|(_, v)| visit_lowered(v, note));
    }
    outputs.iter().for_each(|(_, v, _)| visit_lowered(v, note));
}

/// The step outputs the run must keep: those read by a request, a criterion, an action or a
/// workflow output, and those read by a step output it keeps.
pub fn kept_outputs(
    drafts: &[DraftStep],
    outputs: &[(String, Lowered, ValueType)],
) -> BTreeSet<(String, String)> {
    let mut kept = BTreeSet::new();
    let note = |r: &ValueRef, kept: &mut BTreeSet<(String, String)>| {
        if let Source::StepOutput { step, output, .. } = &r.source {
            kept.insert((step.clone(), output.clone()));
        }
    };
    for d in drafts {
        let (values, conds) = draft_parts(d);
        values
            .into_iter()
            .for_each(|v| visit_lowered(v, &mut |r| note(r, &mut kept)));
        conds
            .into_iter()
            .for_each(|c| visit_cond(c, &mut |r| note(r, &mut kept)));
    }
    for (_, v, _) in outputs {
        visit_lowered(v, &mut |r| note(r, &mut kept));
    }
    // Step outputs computed from other step outputs keep those too.
    loop {
        let before = kept.len();
        for d in drafts {
            for (name, v) in &d.outputs {
                if kept.contains(&(d.id.clone(), name.clone())) {
                    let mut found = BTreeSet::new();
                    visit_lowered(v, &mut |r| note(r, &mut found));
                    kept.extend(found);
                }
            }
        }
        if kept.len() == before {
            return kept;
        }
    }
}

pub struct InputReads {
    pub any: bool,
    /// `$inputs` itself, not one input.
    pub whole: bool,
}

pub fn input_reads(drafts: &[DraftStep], outputs: &[(String, Lowered, ValueType)]) -> InputReads {
    let mut reads = InputReads {
        any: false,
        whole: false,
    };
    let mut note = |r: &ValueRef| {
        if r.source == Source::Inputs {
            reads.any = true;
            reads.whole |= r.pointer.is_empty();
        }
    };
    visit_workflow(drafts, outputs, &mut note);
    reads
}

/// How often the workflow's outputs read each step output, in any form: an output that is the
/// only reader may move the value out of the run instead of copying it.
pub fn whole_output_reads(
    outputs: &[(String, Lowered, ValueType)],
) -> BTreeMap<(String, String), usize> {
    let mut reads = BTreeMap::new();
    for (_, v, _) in outputs {
        visit_lowered(v, &mut |r| {
            if let Source::StepOutput { step, output, .. } = &r.source {
                *reads.entry((step.clone(), output.clone())).or_default() += 1;
            }
        });
    }
    reads
}

impl StepPlan {
    /// Whether the step's outputs read its response body.
    pub fn outputs_read_response_body(&self) -> bool {
        let mut reads = false;
        for (_, v) in &self.outputs {
            visit_lowered(v, &mut |r| reads |= r.source == Source::ResponseBody);
        }
        reads
    }
}
