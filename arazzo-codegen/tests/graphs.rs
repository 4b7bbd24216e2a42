//! Workflow graphs (`cargo arazzo graph`, and the diagram in each workflow method's rustdoc),
//! pinned for review: every kind of edge the control-flow fixtures have, in both formats.

use arazzo_codegen::{GraphFormat, Settings, graph_file};

fn graph(fixture: &str, workflows: &[&str], format: GraphFormat) -> String {
    let workflows: Vec<String> = workflows.iter().map(|w| (*w).to_owned()).collect();
    let settings = Settings::new().with_workflows(workflows.iter().cloned());
    let path = std::path::Path::new("../fixtures").join(fixture);
    let (graph, report) = graph_file(&path, &settings, &workflows, format)
        .unwrap_or_else(|r| panic!("{fixture}:\n{}", r.render()));
    assert!(!report.has_errors(), "{fixture}:\n{}", report.render());
    graph
}

#[test]
fn control_flow_graphs_as_mermaid() {
    // Polling (a backward goto), retries (one through another step first), `end` on success
    // and on failure, a sub-workflow, `dependsOn`, a goto to another workflow.
    insta::assert_snapshot!(graph(
        "codegen/control-flow.arazzo.yaml",
        &[],
        GraphFormat::Mermaid
    ));
}

#[test]
fn control_flow_graphs_as_dot() {
    insta::assert_snapshot!(graph(
        "codegen/control-flow.arazzo.yaml",
        &[],
        GraphFormat::Dot
    ));
}

#[test]
fn one_workflow_is_a_diagram_of_its_own() {
    let mermaid = graph(
        "codegen/control-flow.arazzo.yaml",
        &["run-job"],
        GraphFormat::Mermaid,
    );
    assert!(!mermaid.contains("subgraph"), "{mermaid}");
    assert!(!mermaid.contains("fetch-report"), "{mermaid}");
    // Failure paths are dotted and red; success paths are not.
    assert!(mermaid.contains("    s1 -.-> failed\n"), "{mermaid}");
    assert!(mermaid.contains("    s1 -->|\"again\"| s1\n"), "{mermaid}");
    assert!(
        mermaid.contains("linkStyle 2,6,8 stroke:#b00020"),
        "{mermaid}"
    );
    let dot = graph(
        "codegen/control-flow.arazzo.yaml",
        &["run-job"],
        GraphFormat::Dot,
    );
    assert!(dot.starts_with("digraph \"run-job\" {"), "{dot}");
    assert!(
        dot.contains("s1 -> failed [style=dashed, color=\"#b00020\""),
        "{dot}"
    );
}

#[test]
fn arazzo_1_1_and_message_steps_are_drawn_too() {
    insta::assert_snapshot!(
        "arazzo_1_1",
        graph("codegen/arazzo-1-1.arazzo.yaml", &[], GraphFormat::Mermaid)
    );
    insta::assert_snapshot!(
        "kitchen",
        graph("asyncapi/kitchen.arazzo.yaml", &[], GraphFormat::Mermaid)
    );
}

#[test]
fn labels_cannot_break_out_of_their_quotes() {
    let dot = graph("codegen/odd-names.arazzo.yaml", &[], GraphFormat::Dot);
    let mermaid = graph("codegen/odd-names.arazzo.yaml", &[], GraphFormat::Mermaid);
    for line in mermaid.lines() {
        // Every label is one quoted string without a raw quote, bar or bracket inside.
        if let Some((_, rest)) = line.split_once("|\"") {
            let label = rest.split_once("\"|").map(|(l, _)| l).unwrap_or("");
            assert!(!label.contains(['"', '|', '<', '>']), "{line}");
        }
    }
    for line in dot.lines().filter(|l| l.contains("label=\"")) {
        let quotes = line.matches('"').count() - line.matches("\\\"").count();
        assert_eq!(quotes % 2, 0, "{line}");
    }
}

/// The way on from a step that succeeds says what success is, as a failure action's edge says
/// its criteria; a label too long for the diagram is cut between words or path segments.
#[test]
fn success_edges_carry_their_criteria_and_labels_are_cut_between_words() {
    let seed = graph(
        "twilio/create-conversation-with-webhook.arazzo.yaml",
        &[],
        GraphFormat::Mermaid,
    );
    assert!(
        seed.contains(r#"s0 -->|"$statusCode == 201"| s1"#),
        "{seed}"
    );
    assert!(
        seed.contains(r#"s1 -->|"$statusCode == 201"| done"#),
        "{seed}"
    );
    assert!(
        seed.contains("CreateConversationScopedWebhook: POST /v1/Conversations/…"),
        "{seed}"
    );
    let polling = graph("codegen/polling.arazzo.yaml", &[], GraphFormat::Mermaid);
    assert!(
        polling.contains(r#"s2 -->|"$statusCode == 200 && $[?@.status == 'completed']"| done"#),
        "{polling}"
    );
}
