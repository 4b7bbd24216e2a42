//! Workflow graphs, drawn from the plan: steps as nodes in the order they run, an edge for the
//! default next step, every `goto` (labelled with its action's name and criteria), `retry`
//! loops, `end`, sub-workflow calls and `dependsOn`; failure paths drawn apart (dotted, red).
//! Written as Mermaid (`cargo arazzo graph`, and the rustdoc of each generated workflow
//! method) or Graphviz DOT.

mod dot;
mod mermaid;

use crate::plan::{
    ActionPlan, ActionPlanKind, DocumentPlan, StepCall, StepPlan, Via, WorkflowPlan,
};

pub use dot::dot;
pub use mermaid::mermaid;

/// How a graph is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GraphFormat {
    /// A Mermaid `flowchart` (GitHub and many documentation tools render it).
    #[default]
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// One workflow's graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub workflow: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique in the graph, an identifier in both formats.
    pub id: String,
    /// Lines of text.
    pub label: Vec<String>,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Start,
    /// A step that sends a request or a message.
    Step,
    /// A step that runs another workflow.
    Call,
    /// Another workflow: run first (`dependsOn`) or handed over to (`goto`).
    Workflow,
    /// The workflow's successful end.
    End,
    /// The workflow's failure.
    Failed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    /// On a failure path (`onFailure`, or no action holding after a failed step).
    pub failure: bool,
}

/// The graphs of the document's own workflows; only those named in `only` when it is not empty.
pub fn graphs(plan: &DocumentPlan, only: &[String]) -> Vec<Graph> {
    plan.workflows
        .iter()
        .filter(|w| w.public && (only.is_empty() || only.contains(&w.id)))
        .map(|w| of(w, LABEL_MOST))
        .collect()
}

/// Writes `graphs` in `format`.
pub fn render(graphs: &[Graph], format: GraphFormat) -> String {
    match format {
        GraphFormat::Mermaid => mermaid(graphs),
        GraphFormat::Dot => dot(graphs),
    }
}

/// How the `n`th of several graphs is written: its identifiers' prefix and its lines'
/// indentation (one graph alone: no prefix, one level).
fn layout(n: usize, single: bool) -> (String, &'static str) {
    if single {
        (String::new(), "    ")
    } else {
        (format!("g{n}_"), "        ")
    }
}

/// A node's lines, each escaped for the format, joined by `separator`.
fn label_text(node: &Node, escape: fn(&str) -> String, separator: &str) -> String {
    node.label
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Criteria and long expressions are cut to this many characters in labels.
const LABEL_MOST: usize = 60;

/// The graph of one workflow, criteria and calls cut to `most` characters in labels.
pub fn of(w: &WorkflowPlan, most: usize) -> Graph {
    let mut g = Builder {
        nodes: Vec::new(),
        edges: Vec::new(),
        workflows: Vec::new(),
    };
    g.node("start", vec!["start".to_owned()], NodeKind::Start);
    let step_id = |variant: &str| {
        w.steps
            .iter()
            .position(|s| s.variant == variant)
            .map(|i| format!("s{i}"))
    };
    for (i, s) in w.steps.iter().enumerate() {
        let kind = match s.call {
            StepCall::Workflow { .. } => NodeKind::Call,
            _ => NodeKind::Step,
        };
        g.node(
            &format!("s{i}"),
            vec![cut(&s.id, most), cut(&call_text(s), most)],
            kind,
        );
    }
    let mut from = "start".to_owned();
    for d in &w.depends_on {
        let id = g.workflow(&d.key, Reached::First);
        g.edge(&from, &id, None, false);
        from = id;
    }
    match w.steps.first() {
        Some(_) => g.edge(&from, "s0", None, false),
        None => g.edge(&from, "done", None, false),
    }
    for (i, s) in w.steps.iter().enumerate() {
        let here = format!("s{i}");
        for a in &s.on_success {
            let label = Some(action_label(a, None, most));
            match &a.kind {
                ActionPlanKind::End => g.edge(&here, "done", label, false),
                ActionPlanKind::GotoStep(t) => {
                    if let Some(to) = step_id(&t.variant) {
                        g.edge(&here, &to, label, false);
                    }
                }
                ActionPlanKind::GotoWorkflow(c) => {
                    let to = g.workflow(&c.key, Reached::HandedOver);
                    g.edge(&here, &to, label, false);
                }
                // Not an `onSuccess` action (the checks refuse it there).
                ActionPlanKind::Retry { .. } => {}
            }
        }
        if !s.on_success.iter().any(|a| a.criteria.is_empty()) {
            let next = s.next.as_deref().and_then(step_id);
            // The way on when the step succeeds: labelled with what success is, as a failure
            // action's edge is with its criteria.
            let success = (!s.criteria.is_empty()).then(|| {
                let criteria: Vec<&str> = s.criteria.iter().map(|c| c.text.as_str()).collect();
                cut(&criteria.join(" && "), most)
            });
            g.edge(&here, next.as_deref().unwrap_or("done"), success, false);
        }
        for a in &s.on_failure {
            match &a.kind {
                ActionPlanKind::End => {
                    g.edge(&here, "failed", Some(action_label(a, None, most)), true);
                }
                ActionPlanKind::GotoStep(t) => {
                    if let Some(to) = step_id(&t.variant) {
                        g.edge(&here, &to, Some(action_label(a, None, most)), true);
                    }
                }
                ActionPlanKind::GotoWorkflow(c) => {
                    let to = g.workflow(&c.key, Reached::HandedOver);
                    g.edge(&here, &to, Some(action_label(a, None, most)), true);
                }
                ActionPlanKind::Retry { after, limit, via } => {
                    let mut what = format!("retry ≤{limit}");
                    if let Some(after) = after {
                        what.push_str(&format!(" after {after} s"));
                    }
                    match via {
                        None => {
                            g.edge(&here, &here, Some(action_label(a, Some(&what), most)), true)
                        }
                        Some(Via::Step(t)) => {
                            if let Some(to) = step_id(&t.variant) {
                                what.push_str(&format!(", {} first", t.id));
                                g.edge(&here, &to, Some(action_label(a, Some(&what), most)), true);
                                let back = format!("then retry {}", cut(&s.id, most));
                                g.edge(&to, &here, Some(back), true);
                            }
                        }
                        Some(Via::Workflow(c)) => {
                            let to = g.workflow(&c.key, Reached::BeforeRetry);
                            what.push_str(&format!(", workflow {} first", c.key));
                            g.edge(&here, &to, Some(action_label(a, Some(&what), most)), true);
                            let back = format!("then retry {}", cut(&s.id, most));
                            g.edge(&to, &here, Some(back), true);
                        }
                    }
                }
            }
        }
        // A failed step with no action to take fails the run; so does one whose retries are
        // used up, unless an unconditional `end` or `goto` follows them.
        let handled = s
            .on_failure
            .iter()
            .any(|a| a.criteria.is_empty() && !matches!(a.kind, ActionPlanKind::Retry { .. }));
        if !handled {
            g.edge(&here, "failed", None, true);
        }
    }
    // Handed-over workflows end the run.
    let handed: Vec<String> = g
        .workflows
        .iter()
        .filter(|(_, how, _)| *how == Reached::HandedOver)
        .map(|(_, _, id)| id.clone())
        .collect();
    for id in handed {
        g.edge(&id, "done", None, false);
    }
    for (id, label, kind) in [
        ("done", "end", NodeKind::End),
        ("failed", "failed", NodeKind::Failed),
    ] {
        if g.edges.iter().any(|e| e.to == id) {
            g.node(id, vec![label.to_owned()], kind);
        }
    }
    Graph {
        workflow: w.id.clone(),
        nodes: g.nodes,
        edges: g.edges,
    }
}

struct Builder {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// `(workflow key, how it is reached, node id)`.
    workflows: Vec<(String, Reached, String)>,
}

/// How a graph reaches another workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reached {
    /// `dependsOn`: it runs before the first step.
    First,
    /// A `goto` hands the run over to it; the run ends with it.
    HandedOver,
    /// A `retry` runs it before the step again.
    BeforeRetry,
}

impl Reached {
    fn label(self) -> &'static str {
        match self {
            Reached::First => "runs first",
            Reached::HandedOver => "then",
            Reached::BeforeRetry => "runs",
        }
    }
}

impl Builder {
    fn node(&mut self, id: &str, label: Vec<String>, kind: NodeKind) {
        self.nodes.push(Node {
            id: id.to_owned(),
            label,
            kind,
        });
    }

    fn edge(&mut self, from: &str, to: &str, label: Option<String>, failure: bool) {
        let edge = Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            label,
            failure,
        };
        if !self.edges.contains(&edge) {
            self.edges.push(edge);
        }
    }

    /// The node of workflow `key` reached `how`, added once per way.
    fn workflow(&mut self, key: &str, how: Reached) -> String {
        if let Some((_, _, id)) = self
            .workflows
            .iter()
            .find(|(k, h, _)| k == key && *h == how)
        {
            return id.clone();
        }
        let id = format!("w{}", self.workflows.len());
        self.workflows.push((key.to_owned(), how, id.clone()));
        let label = format!("{}: workflow {key}", how.label());
        self.node(&id, vec![label], NodeKind::Workflow);
        id
    }
}

/// What a step calls, in plain text.
fn call_text(s: &StepPlan) -> String {
    match &s.call {
        StepCall::Operation(op) => match &op.operation_id {
            Some(id) => format!("{id}: {} {}", op.method.as_str(), op.path),
            None => format!("{} {}", op.method.as_str(), op.path),
        },
        StepCall::Message(m) => {
            let verb = match m.kind {
                crate::plan::MessageKind::Send { .. } => "sends to",
                crate::plan::MessageKind::Receive { .. } => "receives from",
            };
            format!("{verb} {}", m.address)
        }
        StepCall::Workflow { callee, .. } => format!("runs workflow {}", callee.key),
    }
}

/// `name (what): criteria`, cut to `most` characters.
fn action_label(a: &ActionPlan, what: Option<&str>, most: usize) -> String {
    let mut label = a.name.clone();
    if let Some(what) = what {
        label.push_str(&format!(" ({what})"));
    }
    if !a.criteria.is_empty() {
        let criteria: Vec<&str> = a.criteria.iter().map(|c| c.text.as_str()).collect();
        label.push_str(": ");
        label.push_str(&criteria.join(" && "));
    }
    cut(&label, most)
}

/// `text` in at most `most` characters: cut after a whole word or path segment (and `…`), or
/// inside one only when no break comes in the second half.
fn cut(text: &str, most: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= most {
        return text;
    }
    let mut short: String = text.chars().take(most.saturating_sub(1)).collect();
    let next_is_space = text.chars().nth(most.saturating_sub(1)) == Some(' ');
    // A space goes, a slash stays: `POST /v1/Conversations/…`.
    let end = short.rfind([' ', '/']).map(|at| match short.get(at..) {
        Some(rest) if rest.starts_with('/') => at + 1,
        _ => at,
    });
    if !next_is_space
        && let Some(end) = end
        && short
            .get(..end)
            .is_some_and(|kept| kept.chars().count() >= most / 2)
    {
        short.truncate(end);
    }
    short.truncate(short.trim_end().len());
    short.push('…');
    short
}

/// One workflow's Mermaid diagram whose lines, indented by `indent` columns, fit `width`: labels
/// are cut shorter until they do; `None` when even the shortest do not.
pub fn mermaid_fitting(w: &WorkflowPlan, indent: usize, width: usize) -> Option<String> {
    [60, 48, 36, 24, 16].into_iter().find_map(|most| {
        let text = mermaid(&[of(w, most)]);
        text.lines()
            .all(|l| indent + l.chars().count() <= width)
            .then_some(text)
    })
}
