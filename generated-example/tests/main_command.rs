//! `cargo run -p generated-example`, the README's main command, as a user runs it.

use std::process::Command;

fn run(args: &[&str]) -> (bool, serde_json::Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generated-example"))
        .args(args)
        .env_remove("TWILIO_ACCOUNT_SID")
        .env_remove("TWILIO_AUTH_TOKEN")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the example: {e}"));
    let stdout: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    (
        output.status.success(),
        stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_default_run_prints_both_sids_and_the_steps() {
    let (ok, outputs, trace) = run(&[]);
    assert!(ok, "{trace}");
    assert_eq!(
        outputs,
        serde_json::json!({"conversationSid": "CH00000000000000000000000000000001", "webhookSid": "WH00000000000000000000000000000002"})
    );
    assert!(
        trace.contains("POST /v1/Conversations  FriendlyName=Support+thread"),
        "{trace}"
    );
    assert!(
        trace.contains(
            "POST /v1/Conversations/CH00000000000000000000000000000001/Webhooks  Target=webhook"
        ),
        "{trace}"
    );
}

#[test]
fn every_seed_workflow_runs_against_the_embedded_mock() {
    for (workflow, output) in [
        ("configure-conversations-webhooks", "postWebhookUrl"),
        ("register-assistant-webhook", "webhookSid"),
        ("attach-channel-webhook", "webhookSid"),
    ] {
        let (ok, outputs, trace) = run(&["--workflow", workflow]);
        assert!(ok, "{workflow}: {trace}");
        assert!(
            outputs.get(output).is_some_and(|v| !v.is_null()),
            "{workflow}: {outputs}"
        );
    }
}

#[test]
fn the_oauth_workflow_gets_its_token_and_help_lists_it() {
    let (ok, outputs, trace) = run(&["--workflow", "board-pet"]);
    assert!(ok, "{trace}");
    assert_eq!(
        outputs.get("id"),
        Some(&serde_json::json!("p2")),
        "{outputs}"
    );
    assert!(
        trace.contains("POST /token  grant_type=client_credentials"),
        "{trace}"
    );
    assert!(!trace.contains("mock-secret"), "{trace}");

    let help = Command::new(env!("CARGO_BIN_EXE_generated-example"))
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the example: {e}"));
    // As one line: clap wraps the help to the terminal's width.
    let help = String::from_utf8_lossy(&help.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains("board-pet") && help.contains("OAuth 2 client credentials"),
        "{help}"
    );
}

#[test]
fn an_unreachable_server_is_a_clear_error() {
    let (ok, _, stderr) = run(&["--base-url", "http://127.0.0.1:9"]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "workflow `create-conversation-with-webhook`, step `createConversation`: request failed"
        ),
        "{stderr}"
    );
}
