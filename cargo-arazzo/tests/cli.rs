//! The CLI as a user runs it: exit codes, human and JSON output.

use std::process::Command;

fn cargo_arazzo(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-arazzo"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run cargo-arazzo: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_clean_workflow_exits_zero() {
    let (code, _, stderr) = cargo_arazzo(&[
        "check",
        "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("ok: no problems found"), "{stderr}");
}

#[test]
fn works_as_a_cargo_subcommand() {
    let (code, _, stderr) = cargo_arazzo(&[
        "arazzo",
        "check",
        "../fixtures/twilio/autopilot-assistant-webhook.arazzo.yaml",
    ]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn errors_exit_one_with_every_problem_located() {
    let (code, _, stderr) = cargo_arazzo(&[
        "check",
        "--color",
        "never",
        "../fixtures/invalid/unknown-parameter--snake-case.arazzo.yaml",
        "../fixtures/invalid/unknown-step--goto-target.arazzo.yaml",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "error[unknown-parameter]: operation `getPetById` has no path parameter `pet_id`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("../fixtures/invalid/unknown-parameter--snake-case.arazzo.yaml:15:19"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `petId`?"), "{stderr}");
    assert!(
        stderr.contains("error[unknown-step]: workflow `main` has no step `lsit`"),
        "{stderr}"
    );
}

#[test]
fn warnings_alone_exit_zero() {
    let (code, _, stderr) = cargo_arazzo(&[
        "check",
        "--color",
        "never",
        "../fixtures/invalid/unused-input--never-read.arazzo.yaml",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[unused-input]"), "{stderr}");
}

#[test]
fn json_messages_are_one_object_per_line() {
    let (code, stdout, _) = cargo_arazzo(&[
        "check",
        "--message-format",
        "json",
        "../fixtures/invalid/undeclared-status--200-for-201.arazzo.yaml",
    ]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert_eq!(lines.len(), 1);
    let field = |pointer: &str| lines.first().and_then(|d| d.pointer(pointer)).cloned();
    assert_eq!(field("/severity"), Some("warning".into()));
    assert_eq!(field("/code"), Some("undeclared-status".into()));
    assert_eq!(field("/location/line"), Some(19.into()));
    assert_eq!(field("/location/column"), Some(24.into()));
    assert_eq!(
        field("/help"),
        Some("did you mean `$statusCode == 201`?".into())
    );
}

#[test]
fn usage_and_io_failures_exit_two() {
    assert_eq!(cargo_arazzo(&["check"]).0, 2);
    assert_eq!(cargo_arazzo(&["frobnicate"]).0, 2);
    assert_eq!(cargo_arazzo(&["check", "no/such/file.arazzo.yaml"]).0, 2);
    let (code, stdout, _) = cargo_arazzo(&["check", "--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("--message-format") && stdout.contains("--source"),
        "{stdout}"
    );
}

#[test]
fn remote_sources_can_be_mapped_to_local_files() {
    let fixture = "../fixtures/invalid/remote-source--https.arazzo.yaml";
    assert_eq!(cargo_arazzo(&["check", fixture]).0, 1);
    let (code, _, stderr) = cargo_arazzo(&[
        "check",
        "--source",
        "petstore=../fixtures/invalid/support/petstore.openapi.yaml",
        fixture,
    ]);
    assert_eq!(code, 0, "{stderr}");
}

/// The foundation issue's acceptance check, on the real seed document.
#[test]
fn the_upstream_seed_warns_about_200_at_lines_51_and_70() {
    let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES") else {
        eprintln!("ARAZZO_UPSTREAM_FIXTURES is not set: the upstream seed check was NOT run");
        return;
    };
    let seed = std::path::Path::new(&dir).join(
        "arazzo/api-evangelist__twilio/arazzo/twilio-create-conversation-with-webhook-workflow.yml",
    );
    assert!(
        seed.is_file(),
        "ARAZZO_UPSTREAM_FIXTURES is set but {} is missing",
        seed.display()
    );
    let (code, stdout, _) =
        cargo_arazzo(&["check", "--message-format", "json", &seed.to_string_lossy()]);
    assert_eq!(code, 0);
    let found: Vec<(String, u64, String)> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|d| {
            let text = |p: &str| {
                d.pointer(p)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            (
                text("/code"),
                d.pointer("/location/line")
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
                text("/message"),
            )
        })
        .collect();
    assert_eq!(found, vec![
        ("undeclared-status".to_owned(), 51, "`CreateConversation` declares no `200` response, so this criterion can never hold".to_owned()),
        ("undeclared-status".to_owned(), 70, "`CreateConversationScopedWebhook` declares no `200` response, so this criterion can never hold".to_owned()),
    ]);
}

#[test]
fn the_jsonpath_dialect_flag_accepts_bare_comparisons() {
    let fixture = "../fixtures/invalid/invalid-jsonpath--bare-comparison.arazzo.yaml";
    let (strict, _, stderr) = cargo_arazzo(&["check", "--color", "never", fixture]);
    assert_eq!(strict, 1);
    assert!(
        stderr.contains("help: write `$[?@.status != 'sold']`"),
        "{stderr}"
    );
    let (lenient, _, stderr) = cargo_arazzo(&["check", "--jsonpath-dialect", "lenient", fixture]);
    assert_eq!(lenient, 0, "{stderr}");
}

#[test]
fn compatibility_lenient_accepts_other_runners_shorthands_with_warnings() {
    let fixture = "../fixtures/compat/runner-shorthands.arazzo.yaml";
    let (strict, _, stderr) = cargo_arazzo(&["check", fixture]);
    assert_eq!(strict, 1, "{stderr}");
    assert!(stderr.contains("failed: 12 errors"), "{stderr}");
    let (lenient, _, stderr) = cargo_arazzo(&["check", "--compatibility", "lenient", fixture]);
    assert_eq!(lenient, 0, "{stderr}");
    assert_eq!(
        stderr.matches("warning[runner-shorthand]").count(),
        12,
        "{stderr}"
    );
    let (code, stdout, stderr) = cargo_arazzo(&["generate", "--compatibility", "lenient", fixture]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("pub async fn read_made_pet("), "{stdout}");
}

#[test]
fn generate_writes_a_module_or_a_standalone_crate() {
    let dir = std::env::temp_dir().join(format!("arazzo-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let seed = "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml";

    let (code, stdout, stderr) = cargo_arazzo(&["generate", seed]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("// @generated by arazzo-codegen"),
        "{stdout}"
    );
    assert!(stdout.contains("pub async fn create_conversation_with_webhook("));

    let crate_dir = dir.join("Twilio Client");
    let (code, _, stderr) =
        cargo_arazzo(&["generate", seed, "--crate", &crate_dir.to_string_lossy()]);
    assert_eq!(code, 0, "{stderr}");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    // Named after the folder, as `cargo new` names a crate.
    assert!(manifest.contains("name = \"twilio-client\""), "{manifest}");
    // The runtime from crates.io, of the generator's version: no path from this machine.
    assert!(
        manifest.contains(&format!(
            "arazzo-runtime = \"{}\"\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{manifest}"
    );
    let deps: Vec<&str> = manifest
        .lines()
        .skip_while(|l| *l != "[dependencies]")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(deps.len(), 1, "{manifest}");
    assert!(
        manifest.contains("[features]\nmock = [\"arazzo-runtime/mock\"]"),
        "{manifest}"
    );
    assert!(deps[0].starts_with("arazzo-runtime = "), "{manifest}");
    assert_eq!(
        std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap_or_default(),
        stdout
    );

    let (code, _, stderr) = cargo_arazzo(&[
        "generate",
        "--color",
        "never",
        "../fixtures/invalid/unknown-step--goto-target.arazzo.yaml",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error[unknown-step]"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn workflow_picks_what_to_check_and_generate() {
    let fixture = "../fixtures/selection/pick.arazzo.yaml";
    let (code, _, stderr) = cargo_arazzo(&["check", "--color", "never", fixture]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("failed: 3 errors"), "{stderr}");

    let (code, stdout, stderr) = cargo_arazzo(&[
        "generate",
        "--color",
        "never",
        "--workflow",
        "pet-report",
        fixture,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: 1 workflow was not selected: neither checked nor generated"),
        "{stderr}"
    );
    for generated in ["pet_report", "read_pet", "health_check", "recover"] {
        assert!(
            stdout.contains(&format!("pub async fn {generated}(")),
            "{generated}: {stdout}"
        );
    }
    assert!(!stdout.contains("broken_sync"), "{stdout}");

    let (code, _, stderr) = cargo_arazzo(&[
        "check",
        "--color",
        "never",
        "--workflow",
        "recover",
        "--workflow",
        "broken-sync",
        fixture,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("failed: 3 errors"), "{stderr}");
    assert!(
        stderr.contains("note: 3 workflows were not selected"),
        "{stderr}"
    );

    let (code, _, stderr) = cargo_arazzo(&["check", "--workflow", "pet-reprt", fixture]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error[unknown-workflow]: no workflow `pet-reprt` to select")
            && stderr.contains("did you mean `pet-report`?"),
        "{stderr}"
    );
}

#[test]
fn graph_draws_workflows_as_mermaid_or_dot() {
    let fixture = "../fixtures/codegen/control-flow.arazzo.yaml";
    let (code, stdout, stderr) = cargo_arazzo(&["graph", fixture]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("flowchart TD\n"), "{stdout}");
    assert!(
        stdout.contains("subgraph g1[\"workflow fetch-report\"]"),
        "{stdout}"
    );

    let (code, stdout, stderr) =
        cargo_arazzo(&["graph", "--workflow", "run-job", "--format", "dot", fixture]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("digraph \"run-job\" {\n"), "{stdout}");
    assert!(
        stdout.contains("s1 -> done [label=\"finished: $[?@.state == 'done']\"];"),
        "{stdout}"
    );
    assert!(!stdout.contains("fetch-report"), "{stdout}");

    let dir = std::env::temp_dir().join(format!("arazzo-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("flow.mmd");
    let (code, stdout, _) = cargo_arazzo(&["graph", fixture, "-o", &out.to_string_lossy()]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("flowchart TD")
    );
    let _ = std::fs::remove_dir_all(dir);

    // A document with errors draws nothing and says why, like `check`.
    let (code, stdout, stderr) = cargo_arazzo(&[
        "graph",
        "--color",
        "never",
        "../fixtures/invalid/unknown-step--goto-target.arazzo.yaml",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("error[unknown-step]"), "{stderr}");
}

/// The crate `generate --crate` writes, built as a user's would be (against this checkout's
/// runtime, `--runtime-path`); then the same module against a runtime it was not generated
/// for, which must be one compile error naming both versions, not a wall of type errors.
#[test]
fn a_generated_crate_builds_and_a_mismatched_runtime_is_one_error() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("cargo-arazzo has a parent folder"))
        .to_path_buf();
    // Outside the workspace, as a user's crate is.
    let dir = std::env::temp_dir().join(format!("arazzo-crate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let crate_dir = dir.join("flow-client");
    let runtime = workspace.join("arazzo-runtime");
    let (code, _, stderr) = cargo_arazzo(&[
        "generate",
        "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml",
        "--crate",
        &crate_dir.to_string_lossy(),
        "--runtime-path",
        &runtime.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    assert!(
        manifest.contains(&format!("path = \"{}\"", runtime.display())),
        "{manifest}"
    );
    std::fs::copy(workspace.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("Cargo.lock: {e}"));
    let check = || {
        let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["check", "--offline", "--message-format", "short"])
            .current_dir(&crate_dir)
            // Shared with the other scratch builds of the workspace's tests: one runtime build.
            .env(
                "CARGO_TARGET_DIR",
                workspace.join("target/tmp/scratch-target"),
            )
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (built, stderr) = check();
    assert!(built, "the generated crate does not build:\n{stderr}");

    let lib = crate_dir.join("src/lib.rs");
    let code = std::fs::read_to_string(&lib).unwrap_or_default();
    let fits = format!("\"0.1\", \"{}\";", env!("CARGO_PKG_VERSION"));
    assert!(code.contains(&fits), "{code}");
    std::fs::write(&lib, code.replace(&fits, "\"0.2\", \"0.2.3\";"))
        .unwrap_or_else(|e| panic!("{}: {e}", lib.display()));
    let (built, stderr) = check();
    assert!(!built);
    assert!(
        stderr.contains(&format!(
            "error: this module was generated by arazzo-codegen 0.2.3 for arazzo-runtime 0.2, \
             but the crate builds with arazzo-runtime {}: depend on arazzo-runtime \"0.2\" in \
             Cargo.toml, or generate the module again with arazzo-codegen 0.1",
            env!("CARGO_PKG_VERSION")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("due to 1 previous error"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}
