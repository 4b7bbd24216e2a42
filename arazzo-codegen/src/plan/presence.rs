//! The planned steps as the presence flow reads them (`types::presence`): what each output needs
//! to exist, and each action's way on.

use super::Callee;
use super::lower::{Lowered, Source};
use super::step::{DraftAction, DraftKind, DraftStep, Target};
use crate::types::presence::{AtEnd, Move, MoveKind, Needs, StepFacts, Via, at_end};

/// What every normal end of a run of the planned `steps` (in run order) has.
pub fn of_drafts(steps: &[DraftStep], depends_on: &[Callee]) -> AtEnd {
    let facts: Vec<StepFacts> = steps
        .iter()
        .map(|s| StepFacts {
            id: s.id.clone(),
            outputs: s
                .outputs
                .iter()
                .map(|(name, value)| (name.clone(), needs(value)))
                .collect(),
            on_success: s.on_success.iter().map(to_move).collect(),
            on_failure: s.on_failure.iter().map(to_move).collect(),
        })
        .collect();
    let depends_on: Vec<String> = depends_on.iter().map(|c| c.key.clone()).collect();
    at_end(&facts, &depends_on)
}

fn needs(value: &Lowered) -> Needs {
    let source = match value {
        Lowered::Value(v) | Lowered::Select { value: v, .. } => &v.source,
        _ => return Needs::Nothing,
    };
    match source {
        Source::StepOutput { step, output, .. } => Needs::Step(step.clone(), output.clone()),
        Source::WorkflowOutput { workflow, .. } | Source::WorkflowInputs { workflow } => {
            Needs::Workflow(workflow.clone())
        }
        _ => Needs::Nothing,
    }
}

fn to_move(action: &DraftAction) -> Move {
    let target = |t: &Target| match t {
        Target::Step(id) => Via::Step(id.clone()),
        Target::Workflow(c) => Via::Workflow(c.key.clone()),
    };
    let kind = match &action.kind {
        DraftKind::End => MoveKind::End,
        DraftKind::Goto(Target::Step(id)) => MoveKind::GotoStep(id.clone()),
        DraftKind::Goto(Target::Workflow(c)) => MoveKind::GotoWorkflow(c.key.clone()),
        DraftKind::Retry { via, .. } => MoveKind::Retry(via.as_ref().map(target)),
    };
    Move {
        unconditional: action.criteria.is_empty() && !matches!(kind, MoveKind::Retry(_)),
        kind,
    }
}
