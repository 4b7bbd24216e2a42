//! Graphs as one Mermaid `flowchart`: a workflow alone, or each in its own `subgraph`.

use super::{Graph, NodeKind};

/// Failure paths and the failure end, in red.
const RED: &str = "#b00020";

/// `graphs` as one Mermaid flowchart, top to bottom.
pub fn mermaid(graphs: &[Graph]) -> String {
    let mut out = String::from("flowchart TD\n");
    let single = graphs.len() == 1;
    let mut edge_index = 0usize;
    let mut failure_edges = Vec::new();
    let mut failure_nodes = Vec::new();
    for (n, g) in graphs.iter().enumerate() {
        let (prefix, indent) = super::layout(n, single);
        if !single {
            out.push_str(&format!(
                "    subgraph g{n}[\"{}\"]\n",
                escape(&format!("workflow {}", g.workflow))
            ));
        }
        for node in &g.nodes {
            let text = super::label_text(node, escape, "<br/>");
            let id = format!("{prefix}{}", node.id);
            let shape = match node.kind {
                NodeKind::Start | NodeKind::End | NodeKind::Failed => format!("([\"{text}\"])"),
                NodeKind::Step => format!("[\"{text}\"]"),
                NodeKind::Call => format!("[[\"{text}\"]]"),
                NodeKind::Workflow => format!("[/\"{text}\"/]"),
            };
            if node.kind == NodeKind::Failed {
                failure_nodes.push(id.clone());
            }
            out.push_str(&format!("{indent}{id}{shape}\n"));
        }
        for e in &g.edges {
            let arrow = if e.failure { "-.->" } else { "-->" };
            let label = e
                .label
                .as_deref()
                .map(|l| format!("|\"{}\"|", escape(l)))
                .unwrap_or_default();
            out.push_str(&format!(
                "{indent}{prefix}{} {arrow}{label} {prefix}{}\n",
                e.from, e.to
            ));
            if e.failure {
                failure_edges.push(edge_index.to_string());
            }
            edge_index += 1;
        }
        if !single {
            out.push_str("    end\n");
        }
    }
    if !failure_nodes.is_empty() {
        out.push_str(&format!(
            "    classDef failure stroke:{RED},color:{RED}\n    class {} failure\n",
            failure_nodes.join(",")
        ));
    }
    if !failure_edges.is_empty() {
        out.push_str(&format!(
            "    linkStyle {} stroke:{RED},color:{RED}\n",
            failure_edges.join(",")
        ));
    }
    out
}

/// Text inside a quoted Mermaid label: quotes, angle brackets, `#` and `|` as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
