//! Graphs as one Graphviz `digraph`: a workflow alone, or each in its own cluster.

use super::{Graph, NodeKind};

const RED: &str = "#b00020";

/// `graphs` as one DOT digraph, top to bottom.
pub fn dot(graphs: &[Graph]) -> String {
    let single = graphs.len() == 1;
    let name = match graphs {
        [g] => g.workflow.clone(),
        _ => "workflows".to_owned(),
    };
    let mut out = format!(
        "digraph \"{}\" {{\n    rankdir=TB;\n    node [shape=box, fontname=\"sans-serif\"];\n    edge [fontname=\"sans-serif\", fontsize=10];\n",
        escape(&name)
    );
    for (n, g) in graphs.iter().enumerate() {
        let (prefix, indent) = super::layout(n, single);
        if !single {
            out.push_str(&format!(
                "    subgraph cluster_{n} {{\n        label=\"{}\";\n",
                escape(&format!("workflow {}", g.workflow))
            ));
        }
        for node in &g.nodes {
            let text = super::label_text(node, escape, "\\n");
            let style = match node.kind {
                NodeKind::Start | NodeKind::End => ", shape=oval".to_owned(),
                NodeKind::Failed => format!(", shape=oval, color=\"{RED}\", fontcolor=\"{RED}\""),
                NodeKind::Step => String::new(),
                NodeKind::Call => ", shape=box, peripheries=2".to_owned(),
                NodeKind::Workflow => ", shape=parallelogram".to_owned(),
            };
            out.push_str(&format!(
                "{indent}{prefix}{} [label=\"{text}\"{style}];\n",
                node.id
            ));
        }
        for e in &g.edges {
            let mut attrs = Vec::new();
            if let Some(l) = &e.label {
                attrs.push(format!("label=\"{}\"", escape(l)));
            }
            if e.failure {
                attrs.push(format!(
                    "style=dashed, color=\"{RED}\", fontcolor=\"{RED}\""
                ));
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            out.push_str(&format!(
                "{indent}{prefix}{} -> {prefix}{}{attrs};\n",
                e.from, e.to
            ));
        }
        if !single {
            out.push_str("    }\n");
        }
    }
    out.push_str("}\n");
    out
}

/// Text inside a quoted DOT string.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\n', '\r'], " ")
}
