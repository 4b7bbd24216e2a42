//! The order a workflow's steps run in when nothing jumps: document order, changed only where a
//! step's `dependsOn` (Arazzo 1.1) names a step written after it. Reading a step's outputs
//! (`$steps.<id>.outputs…`) is a dependency too: a step moved later never jumps ahead of a
//! step whose outputs it reads. In a workflow whose steps use `dependsOn`, a read of a step
//! written later orders the steps as well (1.1.0, "Step Dependencies and Execution Order":
//! sequential tools MUST satisfy both explicit and implicit dependencies). In one without,
//! such reads are met, if at all, by actions that go back (a retry after a token refresh), so
//! they do not move steps (the checks warn or refuse them as forward references).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::model::{ActionOrRef, ParameterOrRef, Step, Workflow};
use crate::node::{Node, Value};

/// Indexes into `workflow.steps`, in the order they run.
pub type Order = Vec<usize>;

/// The run order, or the steps of a dependency cycle (indexes, each depending on the next, the
/// last on the first).
pub fn step_order(workflow: &Workflow) -> Result<Order, Vec<usize>> {
    let steps = &workflow.steps;
    let reads_order = uses_depends_on(workflow);
    let by_id: HashMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.step_id.value.as_str(), i))
        .collect();
    let deps: Vec<Vec<usize>> = (0..steps.len())
        .map(|i| constraints(workflow, &by_id, i, reads_order))
        .collect();
    // Kahn's algorithm, always taking the first ready step in document order: stable, so a
    // document without `dependsOn` keeps its order; linear but for the heap's logarithm.
    let mut waiting_on: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut followers: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            if let Some(f) = followers.get_mut(j) {
                f.push(i);
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = waiting_on
        .iter()
        .enumerate()
        .filter(|(_, n)| **n == 0)
        .map(|(i, _)| Reverse(i))
        .collect();
    let mut placed = vec![false; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    while let Some(Reverse(i)) = ready.pop() {
        crate::work::add(1);
        if let Some(p) = placed.get_mut(i) {
            *p = true;
        }
        order.push(i);
        for &f in followers.get(i).into_iter().flatten() {
            crate::work::add(1);
            if let Some(n) = waiting_on.get_mut(f) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    ready.push(Reverse(f));
                }
            }
        }
    }
    if order.len() < steps.len() {
        return Err(cycle(&deps, &placed));
    }
    Ok(order)
}

/// Whether any step of the workflow declares `dependsOn`: then every output read is a
/// dependency, wherever the step read is written.
pub fn uses_depends_on(workflow: &Workflow) -> bool {
    workflow.steps.iter().any(|s| !s.depends_on.is_empty())
}

/// The steps step `i` must follow: those its `dependsOn` names in this workflow, and those
/// whose outputs it reads (only those written before it unless `all_reads`).
fn constraints(
    workflow: &Workflow,
    by_id: &HashMap<&str, usize>,
    i: usize,
    all_reads: bool,
) -> Vec<usize> {
    let index = |id: &str| by_id.get(id).copied();
    let Some(step) = workflow.steps.get(i) else {
        return Vec::new();
    };
    let mut deps: Vec<usize> = step
        .depends_on
        .iter()
        .filter_map(|d| index(&d.value))
        .collect();
    deps.extend(
        step_reads(step)
            .iter()
            .filter_map(|id| index(id))
            .filter(|&j| j < i || (all_reads && j != i)),
    );
    deps.sort_unstable();
    deps.dedup();
    deps
}

/// A cycle among the steps not yet placed: follow unplaced dependencies until one repeats.
fn cycle(deps: &[Vec<usize>], placed: &[bool]) -> Vec<usize> {
    let unplaced = |j: &usize| !placed.get(*j).copied().unwrap_or(true);
    let Some(mut at) = (0..placed.len()).find(unplaced) else {
        return Vec::new();
    };
    let mut path: Vec<usize> = Vec::new();
    while !path.contains(&at) {
        path.push(at);
        match deps.get(at).and_then(|d| d.iter().copied().find(unplaced)) {
            Some(next) => at = next,
            None => return path,
        }
    }
    let start = path.iter().position(|&p| p == at).unwrap_or(0);
    path.split_off(start)
}

/// The ids of the steps whose outputs `step` reads (`$steps.<id>.…` anywhere in its values,
/// criteria and actions).
pub fn step_reads(step: &Step) -> Vec<String> {
    let mut texts: Vec<&str> = Vec::new();
    for p in &step.parameters {
        match p {
            ParameterOrRef::Parameter(p) => strings(&p.value, &mut texts),
            ParameterOrRef::Reusable(r) => {
                if let Some(v) = &r.value {
                    strings(v, &mut texts);
                }
            }
        }
    }
    if let Some(body) = &step.request_body {
        if let Some(payload) = &body.payload {
            strings(payload, &mut texts);
        }
        for r in &body.replacements {
            strings(&r.value, &mut texts);
        }
    }
    let criteria = step.success_criteria.iter().chain(
        step.on_success
            .iter()
            .chain(&step.on_failure)
            .filter_map(|a| match a {
                ActionOrRef::Action(a) => Some(a),
                ActionOrRef::Reusable(_) => None,
            })
            .flat_map(|a| &a.criteria),
    );
    for c in criteria {
        texts.push(&c.condition.value);
        if let Some(context) = &c.context {
            texts.push(&context.value);
        }
    }
    for o in &step.outputs {
        strings(&o.value, &mut texts);
    }
    let mut ids = Vec::new();
    for text in texts {
        for (at, _) in text.match_indices("$steps.") {
            let rest = text.get(at + "$steps.".len()..).unwrap_or_default();
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !id.is_empty() && !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

fn strings<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.value {
        Value::String(s) => out.push(s),
        Value::Seq(items) => items.iter().for_each(|n| strings(n, out)),
        Value::Map(map) => map.entries.iter().for_each(|e| strings(&e.value, out)),
        _ => {}
    }
}
