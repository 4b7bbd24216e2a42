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
    assert!(
        code.contains(r#"self.make_id = rt::read(Some(&child_outputs), &["id"]);"#),
        "{code}"
    );
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

const FAULTS: &str = "../fixtures/compat/openapi-faults.arazzo.yaml";

#[test]
fn openapi_faults_are_errors_in_openapis_words_at_each_fault() {
    let report = check_file(FAULTS.as_ref(), &Settings::default());
    let found: Vec<(&str, Severity, String)> = report
        .diagnostics()
        .iter()
        .map(|d| {
            let at = report
                .location(d)
                .map(|l| format!("{}:{}", l.line, l.column))
                .unwrap_or_default();
            (d.code.as_str(), d.severity, format!("{at} {}", d.message))
        })
        .collect();
    let expected = [
        (
            "invalid-name",
            "32:11 output name `Forms in all (count)` uses characters runtime expressions cannot name",
        ),
        (
            "invalid-name",
            "44:7 output name `items[0].id` uses characters runtime expressions cannot name",
        ),
        (
            "invalid-openapi",
            "15:11 parameter `lang` has neither `schema` nor `content`",
        ),
        (
            "invalid-openapi",
            "19:18 parameter `fields` is in query, where `style: matrix` is not allowed",
        ),
        (
            "invalid-openapi",
            "41:25 `required` is a boolean here, where an OpenAPI schema lists the names of the required members",
        ),
        (
            "invalid-openapi",
            "45:29 `required` is a boolean here, where an OpenAPI schema lists the names of the required members",
        ),
        (
            "invalid-openapi",
            "48:29 `required` is a boolean here, where an OpenAPI schema lists the names of the required members",
        ),
    ];
    assert_eq!(
        found,
        expected
            .iter()
            .map(|(c, m)| (*c, Severity::Error, (*m).to_owned()))
            .collect::<Vec<_>>(),
        "{}",
        report.render()
    );
    // No parser's words: what is wrong, in OpenAPI's terms, and what to write instead.
    let text = report.render();
    assert!(
        !text.contains("variant") && !text.contains("enum"),
        "{text}"
    );
    assert!(
        text.contains("help: describe its value, as `schema: {type: string}`"),
        "{text}"
    );
}

#[test]
fn lenient_compatibility_reads_openapi_faults_as_other_tools_do() {
    let report = check_file(FAULTS.as_ref(), &lenient());
    assert!(!report.has_errors(), "{}", report.render());
    let labels: Vec<String> = report
        .diagnostics()
        .iter()
        .map(|d| format!("{} {}", d.code, d.label.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        labels,
        [
            "invalid-name ",
            "invalid-name ",
            "invalid-openapi read as `schema: {type: string}`",
            "invalid-openapi read as `style: form`",
            "invalid-openapi left out",
            "invalid-openapi read as the parent object's `required: [title]`",
            "invalid-openapi left out",
        ],
        "{}",
        report.render()
    );
    assert!(
        report
            .diagnostics()
            .iter()
            .all(|d| d.severity == Severity::Warning && d.is_located())
    );
    let (code, _) =
        generate_file(FAULTS.as_ref(), &lenient()).unwrap_or_else(|r| panic!("{}", r.render()));
    // The output whose name no expression can read is a field named from it.
    assert!(
        code.contains("#[serde(rename = \"items[0].id\")]"),
        "{code}"
    );
    assert!(code.contains("pub items_0_id:"), "{code}");
}

#[test]
fn source_paths_without_braces_are_read_in_channel_paths_too() {
    let dir = std::env::temp_dir().join(format!("arazzo-channel-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let description = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/asyncapi/kitchen.asyncapi.yaml");
    let doc = dir.join("flow.arazzo.yaml");
    std::fs::write(
        &doc,
        format!(
            "arazzo: 1.1.0
info: {{title: Channels, version: 1.0.0}}
sourceDescriptions:
  - name: kitchen
    url: {}
    type: asyncapi
workflows:
  - workflowId: wait
    steps:
      - stepId: ready
        channelPath: $sourceDescriptions.kitchen#/channels/kitchen.ready
        action: receive
        timeout: 1000
",
            description.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let strict = check_file(&doc, &Settings::default());
    let relaxed = check_file(&doc, &lenient());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        codes_of(&strict),
        ["unknown-channel"],
        "{}",
        strict.render()
    );
    assert_eq!(
        codes_of(&relaxed),
        ["runner-shorthand"],
        "{}",
        relaxed.render()
    );
    assert!(
        relaxed
            .render()
            .contains("read as `{$sourceDescriptions.kitchen.url}#/channels/kitchen.ready`"),
        "{}",
        relaxed.render()
    );
}
