//! Generates the workflows into `OUT_DIR` at build time (the build.rs way in).
//!
//! With `ARAZZO_UPSTREAM_FIXTURES` set, the real third-party documents that pass the checks are
//! generated too (module `upstream`, behind `cfg(upstream_fixtures)`), so CI compiles and runs
//! code generated from documents this project did not write.

use std::path::{Path, PathBuf};

/// `(module, fixture)`, relative to the workspace's `fixtures/`.
const WORKFLOWS: &[(&str, &str)] = &[
    (
        "conversations",
        "twilio/create-conversation-with-webhook.arazzo.yaml",
    ),
    (
        "configuration",
        "twilio/conversations-configuration-webhook.arazzo.yaml",
    ),
    (
        "autopilot",
        "twilio/autopilot-assistant-webhook.arazzo.yaml",
    ),
    (
        "ip_messaging",
        "twilio/ip-messaging-channel-webhook.arazzo.yaml",
    ),
    ("requests", "codegen/requests.arazzo.yaml"),
    ("control_flow", "codegen/control-flow.arazzo.yaml"),
    ("cross_document", "codegen/cross-document.arazzo.yaml"),
];

/// `(module, document)`, relative to `$ARAZZO_UPSTREAM_FIXTURES/arazzo`.
const UPSTREAM: &[(&str, &str)] = &[
    (
        "wso2_goto_and_end",
        "wso2__arazzo-tools/examples/go-runner-test/petstore/02-goto-and-end-actions.arazzo.yaml",
    ),
    (
        "museum_tickets",
        "Redocly__museum-openapi-example/arazzo/museum-tickets.arazzo.yaml",
    ),
    (
        "twilio_conversation_with_webhook",
        "api-evangelist__twilio/arazzo/twilio-create-conversation-with-webhook-workflow.yml",
    ),
    (
        "twilio_participant_and_message",
        "api-evangelist__twilio/arazzo/twilio-create-conversation-add-participant-send-message-workflow.yml",
    ),
    (
        "jentic_conversations",
        "jentic__jentic-public-apis/workflows/twilio.com~twilio_conversations_v1/workflows.arazzo.json",
    ),
    (
        "jentic_ip_messaging",
        "jentic__jentic-public-apis/workflows/twilio.com~twilio_ip_messaging_v2/workflows.arazzo.json",
    ),
];

fn generate(path: &Path, out: &Path) -> bool {
    match arazzo_codegen::generate_file(path, &arazzo_codegen::Settings::default()) {
        Ok((code, report)) => {
            for (_, source) in report.project.files.files() {
                println!("cargo:rerun-if-changed={}", source.path().display());
            }
            match std::fs::write(out, code) {
                Ok(()) => true,
                Err(e) => {
                    eprintln!("cannot write {}: {e}", out.display());
                    false
                }
            }
        }
        Err(report) => {
            eprintln!("{}", report.render());
            false
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo::rustc-check-cfg=cfg(upstream_fixtures)");
    println!("cargo:rerun-if-env-changed=ARAZZO_UPSTREAM_FIXTURES");
    let mut ok = true;
    for (module, file) in WORKFLOWS {
        ok &= generate(
            &manifest.join("../fixtures").join(file),
            &out.join(format!("{module}.rs")),
        );
    }
    if let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES") {
        let dir = PathBuf::from(dir).join("arazzo");
        if !dir.is_dir() {
            eprintln!(
                "ARAZZO_UPSTREAM_FIXTURES is set but `{}` is not a folder",
                dir.display()
            );
            std::process::exit(1);
        }
        for (module, file) in UPSTREAM {
            ok &= generate(&dir.join(file), &out.join(format!("upstream_{module}.rs")));
        }
        println!("cargo:rustc-cfg=upstream_fixtures");
    }
    if !ok {
        std::process::exit(1);
    }
}
