//! Unique ids, and `dependsOn` that names real workflows without cycles.

use std::collections::HashMap;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Spanned, Workflow};

fn duplicates<'a>(ctx: &mut Ctx<'_>, what: &str, ids: impl Iterator<Item = &'a Spanned<String>>) {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.value.as_str()) {
            ctx.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("duplicate {what} `{}`", id.value),
                )
                .at(id.span)
                .label("used again here")
                .secondary(first.span, "first used here")
                .help(format!("each {what} must be unique; rename one of them")),
            );
        } else {
            seen.insert(&id.value, id);
        }
    }
}

pub fn check(ctx: &mut Ctx<'_>) {
    let doc = ctx.document;
    duplicates(
        ctx,
        "source description name",
        doc.source_descriptions.iter().map(|s| &s.name),
    );
    duplicates(
        ctx,
        "workflowId",
        doc.workflows.iter().map(|w| &w.workflow_id),
    );
    for workflow in &doc.workflows {
        duplicates(ctx, "stepId", workflow.steps.iter().map(|s| &s.step_id));
    }
}

/// Every `dependsOn` entry resolves; a cycle is reported from the first workflow on it
/// (`cycles` names them).
pub fn dependencies(ctx: &mut Ctx<'_>, workflow: &Workflow, cycle: Option<&[&str]>) {
    for dep in &workflow.depends_on {
        if let Err(d) = ctx.resolver.workflow(dep) {
            ctx.push(d);
        }
    }
    let Some(cycle) = cycle else {
        return;
    };
    let shown: Vec<String> = cycle.iter().map(|s| format!("`{s}`")).collect();
    let edge = workflow
        .depends_on
        .iter()
        .find(|d| cycle.get(1).is_some_and(|next| d.value == *next))
        .map_or(workflow.workflow_id.span, |d| d.span);
    ctx.push(
        Diagnostic::new(
            Code::DependencyCycle,
            format!(
                "workflow `{}` depends on itself",
                workflow.workflow_id.value
            ),
        )
        .at(edge)
        .label("this dependency closes the cycle")
        .note(format!("cycle: {}", shown.join(" → ")))
        .help("remove one `dependsOn` entry on the cycle"),
    );
}

/// One cycle of `dependsOn` per strongly connected group of workflows, keyed by the index of
/// the group's first workflow (by id) and starting there: linear in the workflows and their
/// dependencies, however they interlock.
pub fn cycles(workflows: &[Workflow]) -> HashMap<usize, Vec<&str>> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, w) in workflows.iter().enumerate() {
        first.entry(w.workflow_id.value.as_str()).or_insert(i);
    }
    let mut graph = petgraph::Graph::<usize, ()>::with_capacity(workflows.len(), workflows.len());
    let nodes: Vec<_> = (0..workflows.len()).map(|i| graph.add_node(i)).collect();
    for (i, w) in workflows.iter().enumerate() {
        for dep in &w.depends_on {
            if let (Some(&j), Some(&a)) = (first.get(dep.value.as_str()), nodes.get(i))
                && let Some(&b) = nodes.get(j)
            {
                graph.update_edge(a, b, ());
            }
        }
    }
    let mut found = HashMap::new();
    for group in petgraph::algo::tarjan_scc(&graph) {
        let looped = |&n: &petgraph::graph::NodeIndex| graph.contains_edge(n, n);
        if group.len() < 2 && !group.iter().any(looped) {
            continue;
        }
        let id = |n: petgraph::graph::NodeIndex| {
            workflows
                .get(graph[n])
                .map_or("", |w| w.workflow_id.value.as_str())
        };
        let Some(&start) = group.iter().min_by_key(|&&n| id(n)) else {
            continue;
        };
        // The shortest way back to `start`, inside the group.
        let inside: std::collections::HashSet<_> = group.iter().copied().collect();
        let mut came_from = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = None;
        'search: while let Some(n) = queue.pop_front() {
            for next in graph.neighbors(n) {
                if next == start {
                    last = Some(n);
                    break 'search;
                }
                if inside.contains(&next) && !came_from.contains_key(&next) {
                    came_from.insert(next, n);
                    queue.push_back(next);
                }
            }
        }
        let Some(mut at) = last else {
            continue;
        };
        let mut path = vec![id(start)];
        let mut back = Vec::new();
        while at != start {
            back.push(id(at));
            at = came_from.get(&at).copied().unwrap_or(start);
        }
        path.extend(back.into_iter().rev());
        path.push(id(start));
        found.insert(graph[start], path);
    }
    found
}
