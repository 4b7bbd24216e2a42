//! Every real third-party Arazzo document under `$ARAZZO_UPSTREAM_FIXTURES/arazzo/` is checked,
//! and the exact diagnostics each one deserves (code and line) are asserted.

use std::path::PathBuf;

use arazzo_codegen::{Settings, check_file};

/// `(document, [(code, line)])`: what a careful reviewer would say about each document.
const EXPECTED: &[(&str, &[(&str, usize)])] = &[
    // Redocly's own shorthands: `<source>.<operationId>`, `…workflows.<id>` and operationPaths
    // without `{…url}`; each gets the specification's form as a suggestion. JSONPath written as
    // bare comparisons gets the RFC 9535 filter.
    (
        "Redocly__museum-openapi-example/arazzo/museum-api.arazzo.yaml",
        &[
            ("unknown-operation", 30),
            ("unknown-workflow", 38),
            ("invalid-operation-path", 52),
            ("invalid-operation-path", 58),
            ("invalid-jsonpath", 71),
            ("invalid-operation-path", 79),
            ("invalid-operation-path", 91),
            ("invalid-jsonpath", 107),
            ("invalid-operation-path", 114),
        ],
    ),
    (
        "Redocly__museum-openapi-example/arazzo/museum-tickets.arazzo.yaml",
        &[],
    ),
    // The Twilio documents check for 200 where Twilio answers 201, and write JSONPath as bare
    // comparisons (`$.state != "closed"`).
    (
        "api-evangelist__twilio/arazzo/twilio-conversation-reply-and-track-receipts-workflow.yml",
        &[
            ("invalid-jsonpath", 57),
            ("invalid-jsonpath", 63),
            ("undeclared-status", 79),
        ],
    ),
    (
        "api-evangelist__twilio/arazzo/twilio-create-conversation-add-participant-send-message-workflow.yml",
        &[
            ("undeclared-status", 57),
            ("undeclared-status", 75),
            ("undeclared-status", 92),
        ],
    ),
    (
        "api-evangelist__twilio/arazzo/twilio-create-conversation-with-webhook-workflow.yml",
        &[("undeclared-status", 51), ("undeclared-status", 70)],
    ),
    (
        "api-evangelist__twilio/arazzo/twilio-lookup-then-send-message-workflow.yml",
        &[("invalid-jsonpath", 70), ("invalid-jsonpath", 76)],
    ),
    // operationPath without `{$sourceDescriptions.….url}`, and `$steps.x.y` without `.outputs`.
    (
        "jentic__arazzo-engine/runner/tests/fixtures/xkcd/xkcd.arazzo.yaml",
        &[
            ("invalid-operation-path", 23),
            ("malformed-expression", 35),
            ("malformed-expression", 36),
            ("malformed-expression", 37),
            ("malformed-expression", 38),
            ("invalid-operation-path", 55),
            ("malformed-expression", 71),
            ("malformed-expression", 72),
            ("malformed-expression", 73),
            ("malformed-expression", 74),
        ],
    ),
    // Reads outputs of a step that declares none.
    (
        "jentic__jentic-public-apis/workflows/spinbot.net/workflows.arazzo.json",
        &[("unknown-step-output", 50), ("unknown-step-output", 247)],
    ),
    (
        "jentic__jentic-public-apis/workflows/twilio.com~twilio_conversations_v1/workflows.arazzo.json",
        &[
            ("unused-input", 56),
            ("undeclared-status", 108),
            ("undeclared-status", 146),
            ("unused-input", 183),
            ("undeclared-status", 299),
            ("undeclared-status", 339),
            ("unused-input", 417),
            ("undeclared-status", 447),
            ("unused-input", 517),
            ("undeclared-status", 563),
            ("unused-input", 745),
            // Reads a field the response schema does not have.
            ("pointer-outside-schema", 828),
        ],
    ),
    (
        "jentic__jentic-public-apis/workflows/twilio.com~twilio_ip_messaging_v2/workflows.arazzo.json",
        &[
            ("unused-input", 26),
            ("unused-input", 35),
            ("undeclared-status", 53),
            ("undeclared-status", 82),
            ("undeclared-status", 111),
            ("undeclared-status", 140),
            ("unused-input", 205),
            ("unused-input", 220),
            ("undeclared-status", 241),
            ("undeclared-status", 273),
            ("undeclared-status", 308),
            ("undeclared-status", 346),
            ("undeclared-status", 385),
            ("unused-input", 434),
            ("pointer-outside-schema", 555),
            ("undeclared-status", 632),
            ("undeclared-status", 666),
            ("undeclared-status", 699),
        ],
    ),
    // A test document: its `shouldNotRun` step follows an unconditional `end`, on purpose.
    (
        "wso2__arazzo-tools/examples/go-runner-test/petstore/02-goto-and-end-actions.arazzo.yaml",
        &[("unreachable-step", 82)],
    ),
    // A workflow output read from a step that declares no outputs.
    (
        "wso2__arazzo-tools/examples/go-runner-test/petstore/03-retry-action.arazzo.yaml",
        &[("unknown-step-output", 83)],
    ),
    // Child-workflow outputs read through a step that does not re-declare them.
    (
        "wso2__arazzo-tools/examples/go-runner-test/petstore/05-nested-workflow.arazzo.yaml",
        &[
            ("unknown-step-output", 45),
            ("unknown-step-output", 52),
            ("unknown-step-output", 63),
            ("unknown-step-output", 66),
            ("malformed-expression", 80),
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

#[test]
fn every_upstream_document_gets_the_diagnostics_it_deserves() {
    let Some(dir) = upstream_dir() else { return };
    let mut failures = Vec::new();
    for (document, expected) in EXPECTED {
        let path = dir.join(document);
        assert!(
            path.is_file(),
            "missing upstream fixture {}",
            path.display()
        );
        let report = check_file(&path, &Settings::default());
        let root = report.project.arazzo.first().map(|a| a.document.file);
        let actual: Vec<(&str, usize)> = report
            .diagnostics
            .iter()
            .map(|d| {
                let line = d
                    .span
                    .filter(|s| Some(s.file) == root)
                    .and_then(|s| {
                        report
                            .project
                            .files
                            .get(s.file)
                            .map(|f| f.line_col(s.start as usize).line)
                    })
                    .unwrap_or(0);
                (d.code.as_str(), line)
            })
            .collect();
        if actual != *expected {
            failures.push(format!(
                "{document}:\n  expected {expected:?}\n  actual   {actual:?}\n{}",
                report.render()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_upstream_document_is_covered() {
    let Some(dir) = upstream_dir() else { return };
    let mut found = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_arazzo_document(&path) {
                let relative = path
                    .strip_prefix(&dir)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                found.push(relative);
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(d, _)| (*d).to_owned()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "every upstream Arazzo document must have an expectation"
    );
}

/// An Arazzo document declares `arazzo` as its first field; the corpus manifest merely mentions it.
fn is_arazzo_document(path: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let start = text.trim_start();
    start.starts_with("arazzo:")
        || start
            .strip_prefix('{')
            .is_some_and(|rest| rest.trim_start().starts_with("\"arazzo\""))
}

#[test]
fn with_lenient_compatibility_every_upstream_document_generates() {
    let Some(dir) = upstream_dir() else { return };
    let mut settings = Settings::default();
    settings.with_compatibility(arazzo_codegen::Compatibility::Lenient);
    let mut failures = Vec::new();
    for (document, expected) in EXPECTED {
        match arazzo_codegen::generate_file(&dir.join(document), &settings) {
            Ok((_, report)) => {
                // Each document the strict check refused was refused for shorthands only: they
                // are now `runner-shorthand` warnings.
                let shorthands = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.code.as_str() == "runner-shorthand")
                    .count();
                let strict_errors = expected.iter().any(|(code, _)| {
                    !matches!(
                        *code,
                        "undeclared-status"
                            | "unused-input"
                            | "pointer-outside-schema"
                            | "unreachable-step"
                    )
                });
                if strict_errors && shorthands == 0 {
                    failures.push(format!(
                        "{document}: no shorthand reported\n{}",
                        report.render()
                    ));
                }
            }
            Err(report) => failures.push(format!("{document}:\n{}", report.render())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_lenient_jsonpath_dialect_accepts_bare_comparisons() {
    let Some(dir) = upstream_dir() else { return };
    let mut settings = Settings::default();
    settings.with_jsonpath_dialect(arazzo_codegen::JsonPathDialect::Lenient);
    for document in [
        "api-evangelist__twilio/arazzo/twilio-lookup-then-send-message-workflow.yml",
        "api-evangelist__twilio/arazzo/twilio-conversation-reply-and-track-receipts-workflow.yml",
    ] {
        let report = check_file(&dir.join(document), &settings);
        assert!(
            !report
                .diagnostics
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
        .diagnostics
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
