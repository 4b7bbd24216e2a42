//! Documents written for other runners: refused with the portable form as help by default,
//! read as the specification's forms (with a warning each) under lenient compatibility.

use arazzo_codegen::{Compatibility, Report, Settings, Severity, check_file, generate_file};

const FIXTURE: &str = "../fixtures/compat/runner-shorthands.arazzo.yaml";

fn codes_of(report: &Report) -> Vec<&str> {
    report
        .diagnostics()
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

fn lenient() -> Settings {
    Settings::new().with_compatibility(Compatibility::Lenient)
}

#[test]
fn strict_checks_refuse_every_shorthand() {
    let report = check_file(FIXTURE.as_ref(), &Settings::default());
    let found: Vec<(&str, Severity)> = report
        .diagnostics()
        .iter()
        .map(|d| (d.code.as_str(), d.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-operation", Severity::Error),
            ("invalid-jsonpath", Severity::Error),
            ("malformed-expression", Severity::Error),
            ("malformed-expression", Severity::Error),
            ("invalid-operation-path", Severity::Error),
            ("unknown-step-output", Severity::Error),
            ("malformed-expression", Severity::Error),
            ("unknown-workflow", Severity::Error),
            ("invalid-operation-path", Severity::Error),
            ("unknown-workflow", Severity::Error),
            ("unknown-step-output", Severity::Error),
            ("malformed-expression", Severity::Error),
        ],
        "{}",
        report.render()
    );
    // Each error shows the portable form and says lenient compatibility would read it.
    insta::assert_snapshot!(report.render());
}

#[test]
fn lenient_compatibility_reads_each_shorthand_with_one_warning() {
    let report = check_file(FIXTURE.as_ref(), &lenient());
    assert!(!report.has_errors(), "{}", report.render());
    assert_eq!(report.diagnostics().len(), 12, "{}", report.render());
    assert!(
        report
            .diagnostics()
            .iter()
            .all(|d| d.code.as_str() == "runner-shorthand" && d.is_located()),
        "{}",
        report.render()
    );
    insta::assert_snapshot!(report.render());
}

#[test]
fn lenient_compatibility_generates_the_specification_forms() {
    let (code, _) =
        generate_file(FIXTURE.as_ref(), &lenient()).unwrap_or_else(|r| panic!("{}", r.render()));
    // `$dependencies.make-pet.id` reads the dependency's record; the child's `id` is the
    // step's own (implied) output.
    assert!(code.contains(r#"self.workflows.get("make-pet")"#), "{code}");
    assert!(code.contains("self.make_id = Some(v);"), "{code}");
    // The document's `Authorization` header stands in for the bearer credential.
    assert!(!code.contains("credential("), "{code}");
}

#[test]
fn x_operation_steps_are_errors_strict_and_plain_requests_lenient() {
    let fixture = "../fixtures/compat/x-operation.arazzo.yaml";
    let strict = check_file(fixture.as_ref(), &Settings::default());
    let codes = codes_of(&strict);
    assert_eq!(codes, ["step-target", "step-target"], "{}", strict.render());
    assert!(
        strict
            .render()
            .contains("`--compatibility lenient` reads as a plain request"),
        "{}",
        strict.render()
    );
    let (code, report) =
        generate_file(fixture.as_ref(), &lenient()).unwrap_or_else(|r| panic!("{}", r.render()));
    let codes = codes_of(&report);
    assert_eq!(
        codes,
        ["runner-shorthand", "runner-shorthand"],
        "{}",
        report.render()
    );
    // One source per origin, named after its host, with its own base URL on the client.
    assert!(
        code.contains("pub fn with_badges_example_com_url("),
        "{code}"
    );
    assert!(
        code.contains(r#"rt::get(WORKFLOW, "badge", "/v1/badges/{petId}")"#),
        "{code}"
    );
}

#[test]
fn an_x_operation_that_names_no_fixed_request_is_refused_with_why() {
    let dir = std::env::temp_dir().join(format!("arazzo-x-operation-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("dynamic.arazzo.yaml");
    std::fs::write(
        &file,
        "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: []\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        x-operation:\n          url: $inputs.where\n          method: get\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = check_file(&file, &lenient());
    let codes = codes_of(&report);
    assert!(
        codes.contains(&"unsupported-feature"),
        "{}",
        report.render()
    );
    assert!(codes.contains(&"step-target"), "{}", report.render());
    std::fs::write(
        &file,
        "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: []\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        x-operation:\n          url: https://api.example.com/items?limit=5\n          method: get\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = check_file(&file, &lenient());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        report.render().contains(
            "error[invalid-value]: cannot read this `x-operation`: its `url` has a query or fragment"
        ),
        "{}",
        report.render()
    );
}

#[test]
fn an_expression_in_text_without_braces_is_text_strict_and_embedded_lenient() {
    let fixture = "../fixtures/invalid/literal-expression--bearer-without-braces.arazzo.yaml";
    let strict = check_file(fixture.as_ref(), &Settings::default());
    let codes = codes_of(&strict);
    assert_eq!(
        codes,
        ["unused-input", "literal-expression"],
        "{}",
        strict.render()
    );
    let (code, report) =
        generate_file(fixture.as_ref(), &lenient()).unwrap_or_else(|r| panic!("{}", r.render()));
    let codes = codes_of(&report);
    assert_eq!(codes, ["runner-shorthand"], "{}", report.render());
    assert!(report.render().contains("read as `Bearer {$inputs.token}`"));
    assert!(code.contains("rt::Part::Text(\"Bearer \")"), "{code}");
}
