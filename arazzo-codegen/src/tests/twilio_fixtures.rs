//! The project's own Twilio workflows (one per seed API) are clean: no errors, no warnings.

use crate::{Settings, check_file};

#[test]
fn twilio_fixtures_check_cleanly() {
    skip_when_packaged!();
    let dir = std::path::Path::new("../fixtures/twilio");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if !path.to_string_lossy().ends_with(".arazzo.yaml") {
            continue;
        }
        let report = check_file(&path, &Settings::default());
        assert!(
            report.diagnostics.is_empty(),
            "{}:\n{}",
            path.display(),
            report.render()
        );
        let loaded = report
            .project
            .arazzo
            .first()
            .map(|a| a.document.workflows.len());
        assert_eq!(loaded, Some(1), "{}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn the_seed_workflow_reads_both_steps_and_their_outputs() {
    skip_when_packaged!();
    let report = check_file(
        "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml".as_ref(),
        &Settings::default(),
    );
    let workflow = report
        .project
        .arazzo
        .first()
        .and_then(|a| a.document.workflows.first())
        .unwrap_or_else(|| panic!("no workflow:\n{}", report.render()));
    let steps: Vec<&str> = workflow
        .steps
        .iter()
        .map(|s| s.step_id.value.as_str())
        .collect();
    assert_eq!(steps, ["createConversation", "attachWebhook"]);
    let outputs: Vec<&str> = workflow
        .outputs
        .iter()
        .map(|o| o.name.value.as_str())
        .collect();
    assert_eq!(outputs, ["conversationSid", "webhookSid"]);
}
