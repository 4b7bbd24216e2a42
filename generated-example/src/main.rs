//! The Twilio user story through arazzo-rs.
//!
//! Today this checks the project's Twilio workflows and prints what `cargo arazzo check` would;
//! the code generation issues turn it into a run of the generated workflow functions.

use std::path::Path;
use std::process::ExitCode;

const WORKFLOWS: &[&str] = &[
    "create-conversation-with-webhook.arazzo.yaml",
    "conversations-configuration-webhook.arazzo.yaml",
    "autopilot-assistant-webhook.arazzo.yaml",
    "ip-messaging-channel-webhook.arazzo.yaml",
];

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/twilio");
    let mut failed = false;
    for name in WORKFLOWS {
        let report =
            arazzo_codegen::check_file(&dir.join(name), &arazzo_codegen::Settings::default());
        println!("{name}:");
        for line in report.render().lines() {
            println!("  {line}");
        }
        if let Some(loaded) = report.project.arazzo.first() {
            for workflow in &loaded.document.workflows {
                let steps: Vec<&str> = workflow
                    .steps
                    .iter()
                    .map(|s| s.step_id.value.as_str())
                    .collect();
                println!(
                    "  workflow `{}`: {}",
                    workflow.workflow_id.value,
                    steps.join(" → ")
                );
            }
        }
        failed |= report.has_errors();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
