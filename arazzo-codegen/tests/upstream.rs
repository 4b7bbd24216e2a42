//! Every real third-party Arazzo document under `$ARAZZO_UPSTREAM_FIXTURES/arazzo/` is checked
//! strictly and leniently; the outcome of each (every diagnostic's code and line, and whether
//! lenient compatibility generates it) is one reviewed snapshot, and every document the strict
//! check refuses carries the reason: the mistake in the document that the diagnostics name.
//! Every document lenient compatibility generates is then compiled in one scratch crate, and no
//! document may panic or hang the generator.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use arazzo_codegen::{Compatibility, Report, Settings, check_file};

const BARE_JSONPATH: &str =
    "JSONPath criteria written as bare comparisons, not RFC 9535 queries (lenient reads them)";
// The operations the workflows call take these parameters: the descriptions' own mistake.
const BROKEN_REFS: &str = "the Zendesk descriptions it calls `$ref` parameters under \
     `#/components/parameters` that they never define";

/// Why the strict check refuses each document it refuses.
const WHY_REFUSED: &[(&str, &[&str])] = &[
    (
        "Redocly__museum-openapi-example/arazzo/museum-api.arazzo.yaml",
        &[
            "Redocly's own shorthands: `<source>.<operationId>`, `…workflows.<id>` and \
             operationPaths without `{$sourceDescriptions.<name>.url}`",
            BARE_JSONPATH,
        ],
    ),
    (
        "api-evangelist__adyen/arazzo/adyen-checkout-payment-and-capture-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__adyen/arazzo/adyen-classic-authorise-and-cancel-or-refund-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__adyen/arazzo/adyen-payout-store-submit-and-confirm-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__adyen/arazzo/adyen-recurring-list-and-disable-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__airtable/arazzo/airtable-export-audit-logs-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__airtable/arazzo/airtable-upsert-record-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__cloudflare/arazzo/cloudflare-create-ruleset-with-rule-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__cloudflare/arazzo/cloudflare-deploy-worker-route-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__cloudflare/arazzo/cloudflare-purge-cache-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__cloudflare/arazzo/cloudflare-upsert-dns-record-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__gitlab/arazzo/gitlab-start-migration-and-poll-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__hubspot/arazzo/hubspot-manage-subscription-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__hubspot/arazzo/hubspot-publish-blog-post-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__ipinfo/arazzo/ipinfo-threat-screening-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__okta/arazzo/okta-find-user-and-assign-app-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__openai/arazzo/openai-assistant-run-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__openai/arazzo/openai-batch-job-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__openai/arazzo/openai-vector-store-ingest-file-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__twilio/arazzo/twilio-conversation-reply-and-track-receipts-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__twilio/arazzo/twilio-lookup-then-send-message-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__vercel/arazzo/vercel-generate-app-then-poll-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__zendesk/arazzo/zendesk-apply-macro-to-ticket-workflow.yml",
        &[BROKEN_REFS],
    ),
    (
        "api-evangelist__zendesk/arazzo/zendesk-find-macro-and-apply-workflow.yml",
        &[BROKEN_REFS, BARE_JSONPATH],
    ),
    (
        "api-evangelist__zendesk/arazzo/zendesk-upsert-user-by-email-workflow.yml",
        &[BROKEN_REFS, BARE_JSONPATH],
    ),
    (
        "api-evangelist__zoom/arazzo/zoom-approve-meeting-registrants-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "api-evangelist__zoom/arazzo/zoom-chat-history-workflow.yml",
        &[BARE_JSONPATH],
    ),
    (
        "jentic__arazzo-engine/runner/tests/fixtures/xkcd/xkcd.arazzo.yaml",
        &[
            "operationPaths without `{$sourceDescriptions.<name>.url}`, `$steps.<id>.<output>` \
           without `.outputs`, and `null` as a placeholder output",
        ],
    ),
    (
        "jentic__jentic-public-apis/workflows/spinbot.net/workflows.arazzo.json",
        &["reads outputs of a step that declares none"],
    ),
    (
        "wso2__arazzo-tools/examples/go-runner-test/petstore/03-retry-action.arazzo.yaml",
        &["a workflow output reads a step that declares no outputs"],
    ),
    (
        "wso2__arazzo-tools/examples/go-runner-test/petstore/05-nested-workflow.arazzo.yaml",
        &[
            "reads a child workflow's outputs through a step that does not re-declare them, and \
           `$dependencies.<id>.<output>`",
        ],
    ),
];

fn upstream_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES") else {
        eprintln!("ARAZZO_UPSTREAM_FIXTURES is not set: the upstream Arazzo suite was NOT run");
        return None;
    };
    let dir = PathBuf::from(dir).join("arazzo");
    assert!(
        dir.is_dir(),
        "ARAZZO_UPSTREAM_FIXTURES is set but `{}` is not a folder",
        dir.display()
    );
    Some(dir)
}

/// Every Arazzo document under `dir`, relative to it, sorted.
fn documents(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_arazzo_document(&path) {
                found.push(
                    path.strip_prefix(dir)
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default(),
                );
            }
        }
    }
    found.sort();
    found
}

/// An Arazzo document declares `arazzo` as its first field; the corpus manifest merely mentions it.
fn is_arazzo_document(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let start = text.trim_start();
    start.starts_with("arazzo:")
        || start
            .strip_prefix('{')
            .is_some_and(|rest| rest.trim_start().starts_with("\"arazzo\""))
}

/// Each diagnostic as `severity code line`, the line in the document itself or, for a problem
/// in a file it references, `file:line`.
fn outcome(report: &Report, document: &str, out: &mut String) {
    for d in report.diagnostics() {
        let at = report.location(d).map_or_else(
            || "-".to_owned(),
            |l| {
                if l.file.replace('\\', "/").ends_with(document) {
                    l.line.to_string()
                } else {
                    let name = Path::new(&l.file)
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    format!("{name}:{}", l.line)
                }
            },
        );
        let _ = writeln!(out, "    {} {} {at}", d.severity.as_str(), d.code.as_str());
    }
}

fn counts(report: &Report) -> String {
    let errors = report
        .diagnostics()
        .iter()
        .filter(|d| d.severity == arazzo_codegen::Severity::Error)
        .count();
    format!(
        "{errors} errors, {} warnings",
        report.diagnostics().len() - errors
    )
}

/// Runs `work` on its own thread and fails, naming `document`, if it has not finished in a
/// minute: far longer than any document takes, so only a hang trips it.
fn without_hanging<T: Send + 'static>(
    document: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(work());
    });
    match result.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{document}: checking and generating it did not finish in a minute")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{document}: checking or generating it panicked")
        }
    }
}

#[test]
fn every_upstream_document_gets_the_outcome_it_deserves() {
    let Some(dir) = upstream_dir() else { return };
    let lenient = Settings::default().with_compatibility(Compatibility::Lenient);
    let mut summary = String::new();
    let mut problems = Vec::new();
    let (mut clean, mut generated) = (0, 0);
    let documents = documents(&dir);
    for document in &documents {
        let path = dir.join(document);
        let (strict, lenient_outcome) = without_hanging(document, {
            let (path, lenient) = (path.clone(), lenient.clone());
            move || {
                (
                    check_file(&path, &Settings::default()),
                    arazzo_codegen::generate_file(&path, &lenient),
                )
            }
        });
        let why = WHY_REFUSED
            .iter()
            .find(|(d, _)| d == document)
            .map(|(_, why)| *why);
        let _ = writeln!(summary, "{document}");
        if strict.has_errors() {
            let _ = writeln!(summary, "  strict: refused, {}", counts(&strict));
            match why {
                Some(why) => {
                    for reason in why {
                        let _ = writeln!(summary, "    why: {reason}");
                    }
                }
                None => problems.push(format!(
                    "{document} is refused but WHY_REFUSED does not say why:\n{}",
                    strict.render()
                )),
            }
        } else {
            clean += 1;
            let _ = writeln!(summary, "  strict: accepted, {}", counts(&strict));
            if why.is_some() {
                problems.push(format!(
                    "{document} is accepted: remove it from WHY_REFUSED"
                ));
            }
        }
        outcome(&strict, document, &mut summary);
        match lenient_outcome {
            Ok((_, report)) => {
                generated += 1;
                let _ = writeln!(summary, "  lenient: generated, {}", counts(&report));
                outcome(&report, document, &mut summary);
            }
            Err(report) => {
                let _ = writeln!(summary, "  lenient: refused, {}", counts(&report));
                outcome(&report, document, &mut summary);
            }
        }
    }
    for (document, _) in WHY_REFUSED {
        if !documents.iter().any(|d| d == document) {
            problems.push(format!(
                "{document} is in WHY_REFUSED but not in the corpus"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let header = format!(
        "{} documents: {clean} accepted strict, {generated} generated lenient\n\n",
        documents.len()
    );
    insta::assert_snapshot!(header + &summary);
}

#[test]
fn the_lenient_jsonpath_dialect_accepts_bare_comparisons() {
    let Some(dir) = upstream_dir() else { return };
    let settings =
        Settings::default().with_jsonpath_dialect(arazzo_codegen::JsonPathDialect::Lenient);
    for document in [
        "api-evangelist__twilio/arazzo/twilio-lookup-then-send-message-workflow.yml",
        "api-evangelist__twilio/arazzo/twilio-conversation-reply-and-track-receipts-workflow.yml",
    ] {
        let report = check_file(&dir.join(document), &settings);
        assert!(
            !report
                .diagnostics()
                .iter()
                .any(|d| d.code.as_str() == "invalid-jsonpath"),
            "{document}:\n{}",
            report.render()
        );
    }
}

#[test]
fn twilio_jsonpath_comparisons_get_the_rfc_9535_filter_as_help() {
    let Some(dir) = upstream_dir() else { return };
    let report = check_file(
        &dir.join("api-evangelist__twilio/arazzo/twilio-conversation-reply-and-track-receipts-workflow.yml"),
        &Settings::default(),
    );
    let helps: Vec<&str> = report
        .diagnostics()
        .iter()
        .filter(|d| d.code.as_str() == "invalid-jsonpath")
        .filter_map(|d| d.help.as_deref())
        .collect();
    assert_eq!(
        helps,
        [
            "write `$[?@.state != 'closed']`, or accept this dialect with the lenient JSONPath setting (`--jsonpath-dialect lenient`)",
            "write `$[?@.state == 'closed']`, or accept this dialect with the lenient JSONPath setting (`--jsonpath-dialect lenient`)",
        ]
    );
}

/// A Rust module name for a corpus document: its path, lowercased, other characters as one `_`.
fn module_name(document: &str) -> String {
    let stem = document
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    let mut name = String::from("doc_");
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    name
}

/// Every document lenient compatibility generates is compiled, all in one scratch crate that
/// depends on nothing but `arazzo-runtime`, as a user's crate would, with warnings denied.
#[test]
fn every_generated_upstream_document_compiles() {
    let Some(dir) = upstream_dir() else { return };
    let lenient = Settings::default().with_compatibility(Compatibility::Lenient);
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("arazzo-codegen has a parent folder"))
        .to_path_buf();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("upstream-corpus");
    let src = scratch.join("src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let mut lib = String::from("//! Every upstream document lenient compatibility generates.\n\n");
    let mut modules = 0;
    for document in documents(&dir) {
        let Ok((code, _)) = arazzo_codegen::generate_file(&dir.join(&document), &lenient) else {
            continue;
        };
        let module = module_name(&document);
        let file = src.join(format!("{module}.rs"));
        std::fs::write(&file, code).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let _ = writeln!(lib, "/// `{document}`\npub mod {module};");
        modules += 1;
    }
    std::fs::write(src.join("lib.rs"), lib).unwrap_or_else(|e| panic!("lib.rs: {e}"));
    let manifest = format!(
        "[package]\nname = \"upstream-corpus\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\narazzo-runtime = {{ path = {:?} }}\n\n[workspace]\n",
        workspace.join("arazzo-runtime")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest)
        .unwrap_or_else(|e| panic!("Cargo.toml: {e}"));
    // The workspace's versions, so the scratch crate builds what the project tests.
    std::fs::copy(workspace.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("Cargo.lock: {e}"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // A target folder of its own (the one of the `cargo test` running this is locked),
    // shared with the workspace's other scratch builds: the runtime is built once.
    let output = std::process::Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .current_dir(&scratch)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    assert!(
        output.status.success(),
        "{modules} generated upstream modules in {} do not all compile:\n{}",
        scratch.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        modules > 50,
        "only {modules} upstream documents were generated"
    );
}
