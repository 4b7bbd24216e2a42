//! How control moves between a workflow's steps, as a graph: each step is entered, and, when
//! its success criteria hold, done. From there the checks find steps that no path reaches, and
//! steps that can run before what they depend on has completed.

use std::collections::BTreeSet;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::merged;
use crate::model::{Action, ActionKind, ActionOrRef, Workflow};

/// The actions of `list` (Reusable references resolved; missing ones are reported elsewhere).
fn actions<'w>(ctx: &Ctx<'w>, list: &'w [ActionOrRef], success: bool) -> Vec<&'w Action> {
    crate::model::resolved_actions(&ctx.document.components, list, success)
}

/// Node `2i` is "step `i` entered", node `2i + 1` is "step `i` done" (its criteria held).
pub struct StepGraph {
    edges: Vec<Vec<usize>>,
    /// The entry node of the first step to run.
    start: Option<usize>,
}

pub const fn entered(step: usize) -> usize {
    2 * step
}

pub const fn done(step: usize) -> usize {
    2 * step + 1
}

impl StepGraph {
    /// The graph of `workflow` whose steps run in `order` when nothing jumps.
    pub fn new(ctx: &Ctx<'_>, workflow: &Workflow, order: &[usize]) -> Self {
        let shared_success = actions(ctx, &workflow.success_actions, true);
        let shared_failure = actions(ctx, &workflow.failure_actions, false);
        let index = |id: &str| workflow.steps.iter().position(|s| s.step_id.value == id);
        let mut edges = vec![Vec::new(); 2 * workflow.steps.len()];
        let mut add = |from: usize, to: usize| {
            if let Some(list) = edges.get_mut(from) {
                list.push(to);
            }
        };
        for (position, &i) in order.iter().enumerate() {
            let Some(step) = workflow.steps.get(i) else {
                continue;
            };
            add(entered(i), done(i));
            let on_success = merged(actions(ctx, &step.on_success, true), &shared_success);
            let on_failure = merged(actions(ctx, &step.on_failure, false), &shared_failure);
            // Falls through to the next step unless an action without criteria always applies
            // first.
            let always = on_success.iter().position(|a| a.criteria.is_empty());
            let considered = match always {
                Some(k) => on_success.get(..=k).unwrap_or(&[]),
                None => {
                    if let Some(&next) = order.get(position + 1) {
                        add(done(i), entered(next));
                    }
                    &on_success[..]
                }
            };
            for action in considered {
                if let Some(j) = action.step_id.as_ref().and_then(|t| index(&t.value)) {
                    add(done(i), entered(j));
                }
            }
            for action in &on_failure {
                let target = action.step_id.as_ref().and_then(|t| index(&t.value));
                match (action.kind.value, target) {
                    // A retry through another step comes back here afterwards.
                    (ActionKind::Retry, Some(j)) => {
                        add(entered(i), entered(j));
                        add(done(j), entered(i));
                    }
                    (ActionKind::Retry, None) => add(entered(i), entered(i)),
                    (_, Some(j)) => add(entered(i), entered(j)),
                    (_, None) => {}
                }
            }
        }
        StepGraph {
            edges,
            start: order.first().map(|&i| entered(i)),
        }
    }

    /// The nodes reachable from `from` without passing through `blocked`.
    pub fn reachable(&self, from: &[usize], blocked: Option<usize>) -> BTreeSet<usize> {
        let mut reached = BTreeSet::new();
        let mut pending: Vec<usize> = from
            .iter()
            .copied()
            .filter(|&n| Some(n) != blocked)
            .collect();
        while let Some(n) = pending.pop() {
            crate::work::add(1);
            if !reached.insert(n) {
                continue;
            }
            for &next in self.edges.get(n).into_iter().flatten() {
                if Some(next) != blocked {
                    pending.push(next);
                }
            }
        }
        reached
    }

    /// The nodes a run reaches.
    pub fn run_reaches(&self) -> BTreeSet<usize> {
        self.reachable(self.start.as_slice(), None)
    }

    /// Which nodes every path from the start passes through (the dominator tree), computed once
    /// for any number of questions.
    pub fn dominance(&self) -> Dominance {
        let n = self.edges.len();
        let mut numbers = Dominance {
            enter: vec![u32::MAX; n],
            exit: vec![0; n],
        };
        let Some(start) = self.start else {
            return numbers;
        };
        let mut graph = petgraph::Graph::<(), ()>::with_capacity(n, n);
        let nodes: Vec<_> = (0..n).map(|_| graph.add_node(())).collect();
        for (from, list) in self.edges.iter().enumerate() {
            for &to in list {
                crate::work::add(1);
                if let (Some(&a), Some(&b)) = (nodes.get(from), nodes.get(to)) {
                    graph.add_edge(a, b, ());
                }
            }
        }
        let Some(&root) = nodes.get(start) else {
            return numbers;
        };
        let dominators = petgraph::algo::dominators::simple_fast(&graph, root);
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, node) in nodes.iter().enumerate() {
            if let Some(parent) = dominators.immediate_dominator(*node)
                && let Some(list) = children.get_mut(parent.index())
            {
                list.push(i);
            }
        }
        // Entry and exit numbers of a walk of the tree: `a` dominates `b` when `b`'s interval
        // lies within `a`'s.
        let mut clock = 0u32;
        let mut stack = vec![(start, false)];
        while let Some((node, leaving)) = stack.pop() {
            crate::work::add(1);
            if leaving {
                if let Some(e) = numbers.exit.get_mut(node) {
                    *e = clock;
                }
                continue;
            }
            if let Some(e) = numbers.enter.get_mut(node) {
                *e = clock;
            }
            clock += 1;
            stack.push((node, true));
            for &child in children.get(node).into_iter().flatten() {
                stack.push((child, false));
            }
        }
        numbers
    }
}

/// The dominator tree of a step graph, numbered for questions in constant time.
pub struct Dominance {
    /// `u32::MAX` for a node no run reaches.
    enter: Vec<u32>,
    exit: Vec<u32>,
}

impl Dominance {
    /// Whether a run reaches `node`.
    pub fn reached(&self, node: usize) -> bool {
        self.enter.get(node).is_some_and(|&e| e != u32::MAX)
    }

    /// Whether every path from the start to `node` passes through `through` (both reached).
    pub fn dominates(&self, through: usize, node: usize) -> bool {
        let interval = |n: usize| Some((*self.enter.get(n)?, *self.exit.get(n)?));
        match (interval(through), interval(node)) {
            (Some((a_in, a_out)), Some((b_in, b_out))) => {
                self.reached(through) && self.reached(node) && a_in <= b_in && b_out <= a_out
            }
            _ => false,
        }
    }
}

/// Steps that no path through the workflow reaches: usually an action list that ends or jumps
/// before them, which the author did not intend.
pub fn unreachable_steps(ctx: &mut Ctx<'_>, workflow: &Workflow, graph: &StepGraph) {
    let reached = graph.run_reaches();
    for (i, step) in workflow.steps.iter().enumerate() {
        if !reached.contains(&entered(i)) {
            ctx.push(
                Diagnostic::new(Code::UnreachableStep, format!("step `{}` never runs", step.step_id.value))
                    .at(step.step_id.span)
                    .label("no path through the workflow reaches this step")
                    .note("a step runs after the previous one succeeds (unless an action ends the workflow or jumps elsewhere first), or when an action names it")
                    .help("remove the step, or let an action `goto` it"),
            );
        }
    }
}
