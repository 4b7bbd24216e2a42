//! Generates the workflows into `OUT_DIR` at build time (the build.rs way in).

use std::path::PathBuf;

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
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let mut failed = false;
    for (module, file) in WORKFLOWS {
        let path = manifest.join("../fixtures").join(file);
        match arazzo_codegen::generate_file(&path, &arazzo_codegen::Settings::default()) {
            Ok((code, report)) => {
                for (_, source) in report.project.files.files() {
                    println!("cargo:rerun-if-changed={}", source.path().display());
                }
                if let Err(e) = std::fs::write(out.join(format!("{module}.rs")), code) {
                    eprintln!("cannot write {module}.rs: {e}");
                    failed = true;
                }
            }
            Err(report) => {
                eprintln!("{}", report.render());
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
