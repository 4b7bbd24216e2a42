//! Arazzo 1.1 `$self`: documents found by identity, not by where their files are.

use arazzo_codegen::{Settings, check_file};

const STEPS: &str = "../fixtures/codegen/identity/steps.arazzo.yaml";
const BASE_URI: &str = "https://workflows.example.com/shared/base.arazzo.yaml";

fn codes(report: &arazzo_codegen::Report) -> Vec<&str> {
    report
        .diagnostics()
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn a_document_named_by_its_self_is_found_among_those_the_build_reads() {
    // Read through `by-identity`, which also loads `base` by its relative path.
    let report = check_file(
        "../fixtures/codegen/by-identity.arazzo.yaml".as_ref(),
        &Settings::default(),
    );
    assert!(report.diagnostics().is_empty(), "{}", report.render());
}

#[test]
fn alone_its_identity_is_a_remote_url_that_is_never_fetched() {
    let report = check_file(STEPS.as_ref(), &Settings::default());
    assert_eq!(codes(&report), ["remote-source"], "{}", report.render());
    assert!(report.render().contains(BASE_URI));
}

#[test]
fn a_document_can_be_given_for_a_url() {
    let settings = Settings::default()
        .with_source_file(BASE_URI, "../fixtures/codegen/identity/base.arazzo.yaml");
    let report = check_file(STEPS.as_ref(), &settings);
    assert!(report.diagnostics().is_empty(), "{}", report.render());
}

#[test]
fn a_document_that_says_it_is_another_is_not_the_one_named() {
    let dir = std::env::temp_dir().join(format!("arazzo-identity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("other.arazzo.yaml");
    let base = std::fs::read_to_string("../fixtures/codegen/identity/base.arazzo.yaml").unwrap();
    std::fs::write(
        &other,
        base.replace(
            BASE_URI,
            "https://workflows.example.com/shared/other.arazzo.yaml",
        )
        .replace("../jobs.openapi.yaml", "jobs.openapi.yaml"),
    )
    .unwrap();
    std::fs::copy(
        "../fixtures/codegen/jobs.openapi.yaml",
        dir.join("jobs.openapi.yaml"),
    )
    .unwrap();
    let settings = Settings::default().with_source_file(BASE_URI, &other);
    let report = check_file(STEPS.as_ref(), &settings);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        codes(&report).contains(&"source-kind"),
        "{}",
        report.render()
    );
    assert!(
        report.render().contains(
            "the document found there is `https://workflows.example.com/shared/other.arazzo.yaml`"
        ),
        "{}",
        report.render()
    );
}
