//! Which values every normal end of a run has: a data flow over the steps, with each step's
//! success and failure edges (actions with criteria may or may not be taken, retries may run
//! out), gotos, ends, retries through another step (which come back through `resume`) and the
//! workflows that actions run. A step's outputs exist after its success; a value is sure at the
//! end only when every path from the start to a normal end sets it. A workflow output that reads
//! a value which is not sure is optional in its type, so a run that ends normally never fails
//! for want of it.
//!
//! The flow reads steps as [`StepFacts`]: the planner makes them from the steps it planned (the
//! workflow's own outputs), [`of_workflow`] from the model (another workflow's outputs, which a
//! step reads through `$outputs` or `$workflows`).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::expr::{Expression, Root, StringValue, WorkflowField};
use crate::index::inputs::resolve_dotted;
use crate::model::{ActionKind, Components, Selector, Workflow, merged, resolved_actions};
use crate::node::Node;

/// What the flow needs of one step, in run order.
#[derive(Debug, Clone)]
pub struct StepFacts {
    pub id: String,
    /// Each output, with what its value needs to exist.
    pub outputs: Vec<(String, Needs)>,
    pub on_success: Vec<Move>,
    pub on_failure: Vec<Move>,
}

/// What a value needs to exist, beyond the step that computes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Needs {
    /// Output `.1` of step `.0`.
    Step(String, String),
    /// A run of workflow `.0`.
    Workflow(String),
    Nothing,
}

/// An action, as the flow sees it.
#[derive(Debug, Clone)]
pub struct Move {
    pub kind: MoveKind,
    /// Without criteria: always taken when reached (a retry is still guarded by its limit).
    pub unconditional: bool,
}

#[derive(Debug, Clone)]
pub enum MoveKind {
    End,
    GotoStep(String),
    GotoWorkflow(String),
    /// A retry, through a step or a workflow first when it names one.
    Retry(Option<Via>),
}

#[derive(Debug, Clone)]
pub enum Via {
    Step(String),
    Workflow(String),
}

/// What every normal end of a run has.
pub struct AtEnd {
    facts: Facts,
    index: FactIndex,
}

impl AtEnd {
    /// Nothing is sure (a workflow whose steps cannot be ordered).
    pub fn nothing() -> Self {
        AtEnd {
            facts: Facts::empty(0),
            index: FactIndex {
                step_outputs: HashMap::new(),
                workflows: BTreeMap::new(),
                len: 0,
            },
        }
    }

    /// Whether a value that needs `needs` exists at every normal end.
    pub fn has(&self, needs: &Needs) -> bool {
        match needs {
            Needs::Step(step, output) => self.step_output(step, output),
            Needs::Workflow(w) => self.workflow(w),
            Needs::Nothing => true,
        }
    }

    /// Whether output `output` of step `step` is set at every normal end.
    pub fn step_output(&self, step: &str, output: &str) -> bool {
        self.index
            .step_outputs
            .get(&(step.to_owned(), output.to_owned()))
            .is_some_and(|&f| self.facts.has(f))
    }

    /// Whether workflow `key` has run (and succeeded) before every normal end.
    pub fn workflow(&self, key: &str) -> bool {
        self.index
            .workflows
            .get(key)
            .is_some_and(|&f| self.facts.has(f))
    }
}

/// More states than this (steps × retries through another step) and the flow forgets where a
/// retry through another step comes back to, which only makes fewer values sure.
const EXACT_STATES: usize = 20_000;

/// The values every normal end of a run of `workflow` has, from the model: for the types of
/// what another workflow reads of it.
pub fn of_workflow(components: &Components, workflow: &Workflow) -> AtEnd {
    let Ok(order) = crate::index::order::step_order(workflow) else {
        return AtEnd::nothing();
    };
    let shared_success = resolved_actions(components, &workflow.success_actions, true);
    let shared_failure = resolved_actions(components, &workflow.failure_actions, false);
    let moves = |list: Vec<&crate::model::Action>| -> Vec<Move> {
        list.into_iter()
            .map(|a| {
                let step = a.step_id.as_ref().map(|s| s.value.clone());
                let flow = a.workflow_id.as_ref().map(|w| w.value.clone());
                let kind = match (a.kind.value, step, flow) {
                    (ActionKind::End, ..) => MoveKind::End,
                    (ActionKind::Goto, Some(s), _) => MoveKind::GotoStep(s),
                    (ActionKind::Goto, None, Some(w)) => MoveKind::GotoWorkflow(w),
                    (ActionKind::Goto, None, None) => MoveKind::End,
                    (ActionKind::Retry, Some(s), _) => MoveKind::Retry(Some(Via::Step(s))),
                    (ActionKind::Retry, None, Some(w)) => MoveKind::Retry(Some(Via::Workflow(w))),
                    (ActionKind::Retry, None, None) => MoveKind::Retry(None),
                };
                let unconditional = a.criteria.is_empty() && !matches!(kind, MoveKind::Retry(_));
                Move {
                    kind,
                    unconditional,
                }
            })
            .collect()
    };
    let steps: Vec<StepFacts> = order
        .iter()
        .filter_map(|&i| workflow.steps.get(i))
        .map(|step| StepFacts {
            id: step.step_id.value.clone(),
            outputs: step
                .outputs
                .iter()
                .map(|o| (o.name.value.clone(), needs_of(workflow, &o.value)))
                .collect(),
            on_success: moves(merged(
                resolved_actions(components, &step.on_success, true),
                &shared_success,
            )),
            on_failure: moves(merged(
                resolved_actions(components, &step.on_failure, false),
                &shared_failure,
            )),
        })
        .collect();
    let depends_on: Vec<String> = workflow
        .depends_on
        .iter()
        .map(|d| d.value.clone())
        .collect();
    at_end(&steps, &depends_on)
}

/// What a value written in `workflow` needs to exist.
pub fn needs_of(workflow: &Workflow, value: &Node) -> Needs {
    let expression = match value.as_str().map(crate::expr::string_value) {
        Some(Ok(StringValue::Expression(e))) => e,
        _ => match Selector::of(value)
            .and_then(|s| s.context.as_str())
            .map(crate::expr::string_value)
        {
            Some(Ok(StringValue::Expression(e))) => e,
            _ => return Needs::Nothing,
        },
    };
    needs_of_expression(workflow, &expression)
}

fn needs_of_expression(workflow: &Workflow, e: &Expression) -> Needs {
    match &e.root {
        Root::StepOutput { step, output } => {
            let declared: Vec<&str> = workflow
                .steps
                .iter()
                .find(|s| s.step_id.value == step.text)
                .map(|s| s.outputs.iter().map(|o| o.name.value.as_str()).collect())
                .unwrap_or_default();
            let name = resolve_dotted(&output.text, &declared)
                .map_or_else(|| output.text.clone(), str::to_owned);
            Needs::Step(step.text.clone(), name)
        }
        Root::Workflow {
            workflow: w,
            field: WorkflowField::Outputs | WorkflowField::Inputs,
            ..
        } => Needs::Workflow(w.text.clone()),
        _ => Needs::Nothing,
    }
}

/// The values every normal end of a run of `steps` (in run order) has; `depends_on` are the
/// workflows that run before its first step.
pub fn at_end(steps: &[StepFacts], depends_on: &[String]) -> AtEnd {
    let index = FactIndex::new(steps, depends_on);
    let mut start = Facts::empty(index.len);
    for d in depends_on {
        if let Some(&f) = index.workflows.get(d) {
            start.set(f);
        }
    }
    let origins: Vec<usize> = (0..steps.len())
        .filter(|&i| {
            steps.get(i).is_some_and(|s| {
                reachable(&s.on_failure)
                    .iter()
                    .any(|a| matches!(a.kind, MoveKind::Retry(Some(Via::Step(_)))))
            })
        })
        .collect();
    let exact = steps.len().saturating_mul(origins.len() + 1) <= EXACT_STATES;
    let by_id: HashMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let detours = origins
        .iter()
        .filter_map(|&o| steps.get(o))
        .flat_map(|s| reachable(&s.on_failure))
        .filter_map(|a| match &a.kind {
            MoveKind::Retry(Some(Via::Step(id))) => by_id.get(id.as_str()).copied(),
            _ => None,
        })
        .collect();
    let flow = Flow {
        steps,
        index: &index,
        by_id,
        origins,
        detours,
        exact,
    };
    let facts = flow.run(start);
    AtEnd { facts, index }
}

/// A point of a run: the step about to run, and the step a finished retry through another step
/// comes back to.
type State = (usize, Option<usize>);

struct Flow<'a> {
    steps: &'a [StepFacts],
    index: &'a FactIndex,
    by_id: HashMap<&'a str, usize>,
    /// Steps with a retry through another step.
    origins: Vec<usize>,
    /// Steps a retry through another step runs.
    detours: HashSet<usize>,
    /// Whether states remember where a retry comes back to.
    exact: bool,
}

/// Where a path goes next.
enum To {
    Step(State),
    End,
}

impl Flow<'_> {
    /// The facts at every normal end (all facts when no path ends normally).
    fn run(&self, start: Facts) -> Facts {
        let mut at_end: Option<Facts> = None;
        if self.steps.is_empty() {
            return start;
        }
        let mut seen: HashMap<State, Facts> = HashMap::new();
        let mut pending: Vec<State> = vec![(0, None)];
        let mut queued: HashSet<State> = pending.iter().copied().collect();
        seen.insert((0, None), start);
        while let Some(state) = pending.pop() {
            queued.remove(&state);
            let Some(facts) = seen.get(&state).cloned() else {
                continue;
            };
            for (to, out) in self.edges(state, &facts) {
                crate::work::add(1 + out.0.len() as u64);
                match to {
                    To::End => match &mut at_end {
                        Some(end) => {
                            end.meet(&out);
                        }
                        None => at_end = Some(out),
                    },
                    To::Step(next) => {
                        let changed = match seen.get_mut(&next) {
                            Some(known) => known.meet(&out),
                            None => {
                                seen.insert(next, out);
                                true
                            }
                        };
                        if changed && queued.insert(next) {
                            pending.push(next);
                        }
                    }
                }
            }
        }
        at_end.unwrap_or_else(|| Facts::full(self.index.len))
    }

    /// The ways on from `state`, with the facts each carries.
    fn edges(&self, (i, resume): State, facts: &Facts) -> Vec<(To, Facts)> {
        let mut out = Vec::new();
        let Some(step) = self.steps.get(i) else {
            return out;
        };
        // Success: the step's outputs are set (each one whose value exists here).
        let mut done = facts.clone();
        for (name, value) in &step.outputs {
            if self.present(value, facts)
                && let Some(&f) = self
                    .index
                    .step_outputs
                    .get(&(step.id.clone(), name.clone()))
            {
                done.set(f);
            }
        }
        // Back to the step a retry through this one was for, whatever this one's success
        // actions say; a failure drops the way back.
        if let Some(back) = resume {
            out.push((To::Step((back, None)), done));
            for a in reachable(&step.on_failure) {
                self.action(a, false, (i, None), facts, &mut out);
            }
            return out;
        }
        let success = reachable(&step.on_success);
        for a in success {
            self.action(a, true, (i, None), &done, &mut out);
        }
        // Without states that remember it, a retry through another step may come back to any
        // step that has one, whatever the success actions say.
        if !self.exact && self.detours.contains(&i) {
            for &o in &self.origins {
                out.push((To::Step((o, None)), done.clone()));
            }
        }
        if !success.iter().any(|a| a.unconditional) {
            match resume {
                Some(_) => {}
                None => {
                    let next = if i + 1 < self.steps.len() {
                        To::Step((i + 1, None))
                    } else {
                        To::End
                    };
                    out.push((next, done.clone()));
                }
            }
        }
        // Failure: nothing is set; without an action that applies, the run fails.
        for a in reachable(&step.on_failure) {
            self.action(a, false, (i, None), facts, &mut out);
        }
        out
    }

    /// Where taking `action` (of `success` or failure) at `state` leads, with `facts`.
    fn action(
        &self,
        action: &Move,
        success: bool,
        (i, resume): State,
        facts: &Facts,
        out: &mut Vec<(To, Facts)>,
    ) {
        let step = |id: &str| self.by_id.get(id).copied();
        let with = |workflow: &str| {
            let mut f = facts.clone();
            if let Some(&w) = self.index.workflows.get(workflow) {
                f.set(w);
            }
            f
        };
        match &action.kind {
            // On failure, `end` fails the run.
            MoveKind::End if success => out.push((To::End, facts.clone())),
            MoveKind::End => {}
            MoveKind::GotoStep(id) => {
                if let Some(j) = step(id) {
                    out.push((To::Step((j, resume)), facts.clone()));
                }
            }
            MoveKind::GotoWorkflow(w) => out.push((To::End, with(w))),
            MoveKind::Retry(None) => out.push((To::Step((i, resume)), facts.clone())),
            MoveKind::Retry(Some(Via::Step(id))) => {
                if let Some(j) = step(id) {
                    let back = self.exact.then_some(i);
                    out.push((To::Step((j, back)), facts.clone()));
                }
            }
            MoveKind::Retry(Some(Via::Workflow(w))) => {
                out.push((To::Step((i, resume)), with(w)));
            }
        }
    }

    /// Whether a value that needs `needs`, computed where `facts` hold, exists.
    fn present(&self, needs: &Needs, facts: &Facts) -> bool {
        let fact = match needs {
            Needs::Step(step, output) => {
                self.index.step_outputs.get(&(step.clone(), output.clone()))
            }
            Needs::Workflow(w) => self.index.workflows.get(w),
            Needs::Nothing => return true,
        };
        fact.is_some_and(|&f| facts.has(f))
    }
}

/// The actions of a list that can be taken: up to the first that always is (one without
/// criteria, other than a retry, which its limit guards).
fn reachable(actions: &[Move]) -> &[Move] {
    match actions.iter().position(|a| a.unconditional) {
        Some(k) => actions.get(..=k).unwrap_or(actions),
        None => actions,
    }
}

/// Numbers for the facts: each step output, each workflow the run may run.
struct FactIndex {
    step_outputs: HashMap<(String, String), usize>,
    workflows: BTreeMap<String, usize>,
    len: usize,
}

impl FactIndex {
    fn new(steps: &[StepFacts], depends_on: &[String]) -> Self {
        let mut step_outputs = HashMap::new();
        let mut workflows = BTreeMap::new();
        let mut len = 0;
        for s in steps {
            for (name, _) in &s.outputs {
                step_outputs
                    .entry((s.id.clone(), name.clone()))
                    .or_insert_with(|| {
                        len += 1;
                        len - 1
                    });
            }
        }
        let by_actions = steps
            .iter()
            .flat_map(|s| s.on_success.iter().chain(&s.on_failure))
            .filter_map(|a| match &a.kind {
                MoveKind::GotoWorkflow(w) | MoveKind::Retry(Some(Via::Workflow(w))) => Some(w),
                _ => None,
            });
        for w in depends_on.iter().chain(by_actions) {
            workflows.entry(w.clone()).or_insert_with(|| {
                len += 1;
                len - 1
            });
        }
        FactIndex {
            step_outputs,
            workflows,
            len,
        }
    }
}

/// A set of facts, as bits.
#[derive(Clone, PartialEq)]
struct Facts(Vec<u64>);

impl Facts {
    fn empty(len: usize) -> Self {
        Facts(vec![0; len.div_ceil(64)])
    }

    fn full(len: usize) -> Self {
        Facts(vec![u64::MAX; len.div_ceil(64)])
    }

    fn set(&mut self, fact: usize) {
        if let Some(word) = self.0.get_mut(fact / 64) {
            *word |= 1 << (fact % 64);
        }
    }

    fn has(&self, fact: usize) -> bool {
        self.0
            .get(fact / 64)
            .is_some_and(|word| word & (1 << (fact % 64)) != 0)
    }

    /// Keeps only the facts `other` has too; says whether any was dropped.
    fn meet(&mut self, other: &Facts) -> bool {
        let mut changed = false;
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            let kept = *mine & theirs;
            changed |= kept != *mine;
            *mine = kept;
        }
        changed
    }
}
