//! Workflow selection through the library API: what is kept, what is reached, what is said.

use arazzo_codegen::{Settings, check_file, generate_file};

const PICK: &str = "../fixtures/selection/pick.arazzo.yaml";

#[test]
fn a_selected_workflow_keeps_what_it_reaches_and_nothing_else() {
    let settings = Settings::new().with_workflows(["pet-report"]);
    let (code, report) =
        generate_file(PICK.as_ref(), &settings).unwrap_or_else(|r| panic!("{}", r.render()));
    assert!(report.diagnostics().is_empty(), "{}", report.render());
    assert_eq!(report.skipped_workflows(), 1);
    // dependsOn, the child workflow, the goto target: reached; the broken one: not.
    for kept in ["pet_report", "read_pet", "health_check", "recover"] {
        assert!(code.contains(&format!("pub async fn {kept}(")), "{kept}");
    }
    assert!(!code.contains("broken_sync"));
    assert!(
        report
            .render()
            .ends_with("note: 1 workflow was not selected: neither checked nor generated\n"),
        "{}",
        report.render()
    );
}

#[test]
fn a_workflow_in_another_arazzo_source_is_reached() {
    let settings = Settings::new().with_workflows(["start-and-check"]);
    let (code, report) = generate_file(
        "../fixtures/codegen/cross-document.arazzo.yaml".as_ref(),
        &settings,
    )
    .unwrap_or_else(|r| panic!("{}", r.render()));
    assert_eq!(report.skipped_workflows(), 0);
    assert!(code.contains("pub async fn start_and_check("), "{code}");
}

#[test]
fn the_problems_of_a_selected_workflow_are_all_reported() {
    let report = check_file(
        PICK.as_ref(),
        &Settings::new().with_workflows(["broken-sync"]),
    );
    let codes: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        codes,
        ["unknown-operation", "wrong-type", "missing-parameter"]
    );
    assert_eq!(report.skipped_workflows(), 4);
}

#[test]
fn an_unknown_selection_says_which_workflows_there_are() {
    let report = check_file(PICK.as_ref(), &Settings::new().with_workflows(["health"]));
    let d = report
        .diagnostics()
        .first()
        .unwrap_or_else(|| panic!("no diagnostic"));
    assert_eq!(d.code.as_str(), "unknown-workflow");
    assert_eq!(d.message, "no workflow `health` to select in this document");
    assert_eq!(d.help.as_deref(), Some("did you mean `health-check`?"));
    // Located in the document the name was looked for in, so a build with several inputs
    // says which one.
    let at = report
        .location(d)
        .map(|l| l.to_string())
        .unwrap_or_default();
    assert!(at.ends_with("pick.arazzo.yaml:1:1"), "{at}");
}
