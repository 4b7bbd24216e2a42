//! Workflows that run workflows. One that runs itself again, through steps, actions or
//! `dependsOn`, is refused: each nested run would start a step budget of its own (no bound on
//! the whole run) and the generated futures would contain themselves. A cycle of `dependsOn`
//! alone is `ids.rs`'s. Chains of runs deep enough to pass rustc's default recursion limit
//! when the generated code is compiled are a warning that says what to add.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::graph::{Graph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{StepTarget, Workflow, resolved_actions};
use crate::source_map::Span;

/// How one workflow runs another.
#[derive(Clone, Copy, PartialEq)]
enum Runs {
    DependsOn,
    Step,
    Action,
}

/// One report per strongly connected group of workflows that run each other in a way other
/// than `dependsOn` alone: linear in the workflows and the places they name one another.
pub fn check(ctx: &mut Ctx<'_>) {
    let doc = ctx.document;
    let workflows = &doc.workflows;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, w) in workflows.iter().enumerate() {
        index.entry(w.workflow_id.value.as_str()).or_insert(i);
    }
    let mut graph = Graph::<usize, (Runs, Span)>::new();
    let nodes: Vec<NodeIndex> = (0..workflows.len()).map(|i| graph.add_node(i)).collect();
    for (i, w) in workflows.iter().enumerate() {
        for (runs, id, span) in named(&doc.components, w) {
            if let (Some(&from), Some(&to)) =
                (nodes.get(i), index.get(id).and_then(|&j| nodes.get(j)))
            {
                graph.add_edge(from, to, (runs, span));
            }
        }
    }
    let groups = petgraph::algo::tarjan_scc(&graph);
    if groups.len() == workflows.len() && !graph.node_indices().any(|n| graph.contains_edge(n, n)) {
        deep_chain(ctx, &graph, &groups);
    }
    for group in groups {
        if group.len() < 2 && !group.iter().any(|&n| graph.contains_edge(n, n)) {
            continue;
        }
        // Only the group's own edges: each edge is looked at once over all groups.
        let inside: HashSet<NodeIndex> = group.iter().copied().collect();
        let runs_again = group.iter().any(|&n| {
            graph
                .edges(n)
                .any(|e| inside.contains(&e.target()) && e.weight().0 != Runs::DependsOn)
        });
        if !runs_again {
            continue;
        }
        let id = |n: NodeIndex| {
            workflows
                .get(graph[n])
                .map_or("", |w| w.workflow_id.value.as_str())
        };
        let Some(&start) = group.iter().min_by_key(|&&n| id(n)) else {
            continue;
        };
        let Some((path, closing)) = way_back(&graph, &inside, start) else {
            continue;
        };
        let shown: Vec<String> = path.iter().map(|&n| format!("`{}`", id(n))).collect();
        ctx.push(
            Diagnostic::new(
                Code::WorkflowRecursion,
                format!("workflow `{}` runs itself again", id(start)),
            )
            .at(closing)
            .label("this runs a workflow already running")
            .note(format!("runs: {}", shown.join(" → ")))
            .note("each nested run would have a step budget of its own, so nothing would bound the whole run")
            .help("repeat work inside one workflow instead: a `goto` to an earlier step, or a `retry` with a `retryLimit`"),
        );
    }
}

/// How deep generated runs nest before rustc's default `recursion_limit` (128) stops
/// compiling them: each nested run instantiates the same generic wrappers once more. A run
/// through a step or an action nests about twice as deep as a dependency (measured: chains of
/// 120 dependencies and of 60 children build, 135 and 70 do not).
const NESTING_WARNED: usize = 100;

/// Warns when the longest chain of runs (a dependency 1, a step or action 2) passes
/// [`NESTING_WARNED`]: one pass over the workflows in reverse topological order (`groups`,
/// Tarjan's, are single workflows when there is no cycle).
fn deep_chain(ctx: &mut Ctx<'_>, graph: &Graph<usize, (Runs, Span)>, groups: &[Vec<NodeIndex>]) {
    let mut depth: HashMap<NodeIndex, usize> = HashMap::new();
    // Tarjan's groups come in reverse topological order: whatever a workflow runs is done first.
    for &n in groups.iter().flatten() {
        let d = graph
            .edges(n)
            .map(|e| {
                let step = if e.weight().0 == Runs::DependsOn {
                    1
                } else {
                    2
                };
                depth.get(&e.target()).copied().unwrap_or(0) + step
            })
            .max()
            .unwrap_or(0);
        depth.insert(n, d);
    }
    let Some((&deepest, &d)) = depth
        .iter()
        .max_by_key(|(n, d)| (**d, std::cmp::Reverse(**n)))
    else {
        return;
    };
    if d <= NESTING_WARNED {
        return;
    }
    let Some(w) = ctx.document.workflows.get(graph[deepest]) else {
        return;
    };
    let limit = (d + 64).next_power_of_two().max(256);
    ctx.push(
        Diagnostic::new(
            Code::DeepNesting,
            format!(
                "workflow `{}` starts runs nested {d} deep (dependencies count 1, steps and actions 2)",
                w.workflow_id.value
            ),
        )
        .at(w.workflow_id.span)
        .label("the deepest chain of runs starts here")
        .note("rustc stops compiling futures nested past its default recursion limit (128)")
        .help(format!(
            "add `#![recursion_limit = \"{limit}\"]` at the top of the crate that includes the generated code"
        )),
    );
}

/// The shortest way from `start` back to it inside the group (BFS, each node once), and the
/// span of the edge that closes it.
fn way_back(
    graph: &Graph<usize, (Runs, Span)>,
    inside: &HashSet<NodeIndex>,
    start: NodeIndex,
) -> Option<(Vec<NodeIndex>, Span)> {
    let mut came_from: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for e in graph.edges(n) {
            let next = e.target();
            if next == start {
                let mut back = vec![n];
                let mut at = n;
                while at != start {
                    at = came_from.get(&at).copied().unwrap_or(start);
                    back.push(at);
                }
                back.reverse();
                back.push(start);
                // `back` starts at `start` (pushed last before the reverse).
                return Some((back, e.weight().1));
            }
            if inside.contains(&next) && next != start && !came_from.contains_key(&next) {
                came_from.insert(next, n);
                queue.push_back(next);
            }
        }
    }
    None
}

/// Every workflow of the same document that `w` runs, with how and where it names it.
fn named<'w>(
    components: &'w crate::model::Components,
    w: &'w Workflow,
) -> Vec<(Runs, &'w str, Span)> {
    let mut out: Vec<(Runs, &str, Span)> = w
        .depends_on
        .iter()
        .map(|d| (Runs::DependsOn, d.value.as_str(), d.span))
        .collect();
    let mut actions = |list, success| {
        for a in resolved_actions(components, list, success) {
            if let Some(id) = &a.workflow_id {
                out.push((Runs::Action, id.value.as_str(), id.span));
            }
        }
    };
    actions(&w.success_actions, true);
    actions(&w.failure_actions, false);
    for step in &w.steps {
        actions(&step.on_success, true);
        actions(&step.on_failure, false);
    }
    for step in &w.steps {
        if let Some(StepTarget::WorkflowId(id)) = &step.target {
            out.push((Runs::Step, id.value.as_str(), id.span));
        }
    }
    out
}
