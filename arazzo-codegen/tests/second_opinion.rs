//! Second-opinion tests of issue 28's fixes, through the public API only. Each expectation
//! quotes the specification text it relies on. Fixtures: `fixtures/second_opinion/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use arazzo_codegen::{Compatibility, Report, Settings, Severity, check_file, generate_file};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/second_opinion")
        .join(name)
}

fn lenient() -> Settings {
    Settings::new().with_compatibility(Compatibility::Lenient)
}

fn codes(report: &Report) -> Vec<(String, String, String)> {
    report
        .diagnostics()
        .iter()
        .map(|d| {
            let at = report
                .location(d)
                .map(|l| format!("{l:?}"))
                .unwrap_or_default();
            (
                d.code.as_str().to_owned(),
                format!("{:?}", d.severity),
                format!("{} @ {at}", d.message),
            )
        })
        .collect()
}

// ------------------------------------------------------------------ every diagnostic located

#[test]
fn every_diagnostic_of_the_fixtures_is_located() {
    let mut unlocated = Vec::new();
    let dir = fixture("");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".arazzo.yaml"))
        .collect();
    files.sort();
    for file in files {
        for settings in [Settings::default(), lenient()] {
            let report = check_file(&file, &settings);
            for d in report.diagnostics() {
                if !d.is_located() {
                    unlocated.push(format!(
                        "{}: {} {}",
                        file.display(),
                        d.code.as_str(),
                        d.message
                    ));
                }
            }
        }
    }
    assert!(
        unlocated.is_empty(),
        "unlocated diagnostics:\n{}",
        unlocated.join("\n")
    );
}

// ------------------------------------------------------------------ item 2: order

#[test]
fn implicit_dependency_skipped_by_a_goto_is_reported() {
    // 1.1.0 Tool Behavior: "Tools MUST also treat runtime expression output references (e.g.,
    // `$steps.stepId.outputs.field`) as implicit dependencies and ensure the referenced step
    // completes before the referencing step executes."
    // The explicit form of the same document is `unsatisfied-dependency`
    // (order-jump-explicit.arazzo.yaml); the implicit form passes silently.
    let explicit = check_file(
        &fixture("order-jump-explicit.arazzo.yaml"),
        &Settings::default(),
    );
    assert!(
        explicit
            .diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "unsatisfied-dependency"),
        "{:?}",
        codes(&explicit)
    );
    let implicit = check_file(&fixture("order-jump.arazzo.yaml"), &Settings::default());
    assert!(
        implicit.has_errors() || !implicit.diagnostics().is_empty(),
        "step `x` reads `$steps.c.outputs.v`, and a goto from `s0` reaches `x` without `c`: \
         nothing is said ({:?})",
        codes(&implicit)
    );
}

#[test]
fn forward_references_and_cycles() {
    // Validation Recommendations: "When no `dependsOn` is used in a workflow (sequential
    // execution model), implementations SHOULD produce an error if a step references another
    // step's outputs where the referenced step appears later in the steps array."
    let r = check_file(
        &fixture("order-forward-11.arazzo.yaml"),
        &Settings::default(),
    );
    assert!(
        r.diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "forward-reference" && d.severity == Severity::Error)
    );
    let r = check_file(
        &fixture("order-forward-10.arazzo.yaml"),
        &Settings::default(),
    );
    assert!(!r.has_errors(), "{:?}", codes(&r));
    let r = check_file(
        &fixture("order-forward-embedded.arazzo.yaml"),
        &Settings::default(),
    );
    assert_eq!(
        r.diagnostics()
            .iter()
            .filter(|d| d.code.as_str() == "forward-reference")
            .count(),
        2,
        "{:?}",
        codes(&r)
    );
    let r = check_file(&fixture("order-cycle.arazzo.yaml"), &Settings::default());
    assert!(
        r.diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "dependency-cycle"),
        "{:?}",
        codes(&r)
    );
}

// ------------------------------------------------------------------ item 3: output types

fn output_doc(code: &str, workflow_struct: &str, field: &str) -> String {
    let start = code
        .find(&format!("pub struct {workflow_struct} "))
        .unwrap();
    let rest = &code[start..];
    let at = rest.find(&format!("pub {field}:")).unwrap();
    let before = &rest[..at];
    before[before.rfind("/// From").unwrap()..]
        .trim()
        .to_owned()
}

#[test]
fn outputs_of_steps_that_succeed_on_other_statuses_are_optional() {
    // Step `successCriteria`: "All assertions MUST be satisfied for the step to be deemed
    // successful." A step that succeeds on a 404 (or on a 201 whose schema has no `v`) ends
    // normally without `v`; the fix's promise: "A run that ends normally must never fail with
    // `Error::OutputType` because an output is missing."
    let (code, _) = generate_file(&fixture("presence2.arazzo.yaml"), &Settings::default()).unwrap();
    for s in ["SuccessOn404Output", "SuccessOn201Output", "Any2xxOutput"] {
        let doc = output_doc(&code, s, "x");
        assert!(doc.contains("string?"), "{s}: {doc}");
    }
}

#[test]
fn presence_shapes_are_sound() {
    let (code, _) = generate_file(&fixture("presence.arazzo.yaml"), &Settings::default()).unwrap();
    for (s, f) in [
        ("SkipByGotoOutput", "x"),
        ("FailureGotoOutput", "ax"),
        ("RetryThroughStepOutput", "rx"),
        ("GotoWorkflowOutput", "bx"),
        ("ParentOfOptionalOutput", "y"),
        ("WorkflowLevelEndOutput", "y"),
        ("HeaderOutputOutput", "tag"),
        ("OptionalPropertyOutput", "copy"),
        ("RetryThenGotoOutput", "y"),
        ("TimedOutStatusOutput", "s"),
        ("FailedChildOutputOutput", "v"),
        ("DependsOnWorkflowOutput", "y"),
        ("RetryGotoLoopOutput", "x"),
    ] {
        let doc = output_doc(&code, s, f);
        assert!(doc.contains("?`)"), "{s}.{f}: {doc}");
    }
}

#[test]
fn generated_code_has_no_dead_method_for_a_retry_through_an_ending_step() {
    // The project's rule: "Every generated module must compile without a warning".
    // `retry-through-ending-step` retries through `r`, whose `onSuccess` is `end`: the generated
    // `Run::resumed` is then never called (`dead_code`, an error under `#![deny(warnings)]`).
    let (code, _) = generate_file(&fixture("presence2.arazzo.yaml"), &Settings::default()).unwrap();
    let start = code.find("mod retry_through_ending_step {").unwrap();
    let end = start + code[start..].find("\nmod ").unwrap_or(code.len() - start);
    let module = &code[start..end];
    let defined = module.contains("fn resumed(");
    let called = module.contains("self.resumed()");
    assert!(!defined || called, "`resumed` defined but never called");
}

#[test]
fn a_step_that_runs_a_workflow_has_no_response_to_read() {
    // Step `successCriteria`, `onFailure` and `outputs` of a step with `workflowId`: the step
    // runs a workflow, and "`$response`" is "the response of an operation"; it has none.
    let r = check_file(&fixture("child-scope.arazzo.yaml"), &Settings::default());
    let c = codes(&r);
    let scoped: Vec<_> = c
        .iter()
        .filter(|(k, _, _)| k == "expression-scope")
        .collect();
    assert_eq!(scoped.len(), 3, "{c:?}");
    for line in [20, 25, 27] {
        assert!(
            scoped
                .iter()
                .any(|(_, _, m)| m.contains(&format!("line: {line},"))),
            "line {line}: {c:?}"
        );
    }
}

// ------------------------------------------------------------------ item 6: unreadable sources

#[test]
fn unreadable_sources_checked_by_declared_type() {
    let r = check_file(&fixture("unreadable.arazzo.yaml"), &Settings::default());
    let c = codes(&r);
    let at = |line: usize, code: &str| {
        c.iter()
            .any(|(k, _, m)| k == code && m.contains(&format!("line: {line},")))
    };
    // "`action` ... Only applicable for `asyncapi` steps."
    assert!(at(19, "step-target"), "{c:?}");
    // "`correlationId` ... Only applicable to `asyncapi` steps with action `receive`"
    assert!(at(23, "step-target"), "{c:?}");
    assert!(at(26, "message-action"), "{c:?}");
    // a receive step reading `$message` is fine
    assert!(!c.iter().any(|(_, _, m)| m.contains("receiveOk")), "{c:?}");
    // "`requestBody`: The request body to pass to an operation as referenced by `operationId`
    // or `operationPath`."
    assert!(at(77, "step-target"), "{c:?}");
}

#[test]
fn untyped_unreadable_source_receive_step_may_read_message() {
    // Source Description `type` is optional ("The type of source description. Possible values
    // are ..."); the step says `action: receive` ("Indicates whether the step will _send
    // (publish)_ or _receive (subscribe)_ to a channel in an AsyncAPI document"). Nothing the
    // document says makes `$message` out of scope here.
    let r = check_file(
        &fixture("unreadable-untyped.arazzo.yaml"),
        &Settings::default(),
    );
    let wrong: Vec<_> = codes(&r)
        .into_iter()
        .filter(|(k, _, m)| k == "expression-scope" && m.contains("untypedReceive"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn operation_on_an_arazzo_source_is_an_error() {
    // Step `operationId`: "The name of an existing, resolvable operation ... existing within
    // one of the `sourceDescriptions`"; "If multiple (non `arazzo` type) `sourceDescriptions`
    // are defined, then the `operationId` MUST be specified using a Runtime Expression":
    // operations come from non-arazzo sources. The declared `type: arazzo` says there is none.
    let r = check_file(
        &fixture("unreadable-untyped.arazzo.yaml"),
        &Settings::default(),
    );
    let c = codes(&r);
    assert!(c.iter().any(|(_, _, m)| m.contains("line: 31,")), "{c:?}");
}

// ------------------------------------------------------------------ item 7: OpenAPI faults

#[test]
fn strict_reports_required_true_in_a_property_schema() {
    // OpenAPI 3.0.3 Schema Object: `required` is "Taken from the JSON Schema definition";
    // JSON Schema Validation: "The value of this keyword MUST be an array."
    // Lenient warns (`invalid-openapi`) and reads `title` as required; strict says nothing and
    // reads it as optional: the same document, two types, no diagnostic.
    let strict = check_file(&fixture("faults3.arazzo.yaml"), &Settings::default());
    let lenient_r = check_file(&fixture("faults3.arazzo.yaml"), &lenient());
    assert!(
        lenient_r
            .diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "invalid-openapi"),
        "{:?}",
        codes(&lenient_r)
    );
    assert!(
        strict
            .diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "invalid-openapi"),
        "strict: {:?}",
        codes(&strict)
    );
}

#[test]
fn required_that_is_a_string_is_reported() {
    // `required: "yes"` is neither a list nor the Swagger-2 boolean.
    let r = check_file(&fixture("faults3.arazzo.yaml"), &lenient());
    let c = codes(&r);
    assert!(c.iter().any(|(_, _, m)| m.contains("line: 41,")), "{c:?}");
}

#[test]
fn swagger2_body_parameters_are_not_faults() {
    // Swagger 2.0 has `in: body` and parameters with `type` instead of `schema`.
    let r = check_file(&fixture("swagger2.arazzo.yaml"), &Settings::default());
    assert!(r.diagnostics().is_empty(), "{:?}", codes(&r));
}

#[test]
fn faults_are_located_in_the_description() {
    for settings in [Settings::default(), lenient()] {
        let r = check_file(&fixture("faults.arazzo.yaml"), &settings);
        for d in r.diagnostics() {
            let l = r.location(d).map(|l| format!("{l:?}")).unwrap_or_default();
            assert!(l.contains("faulty.openapi.yaml"), "{} at {l}", d.message);
        }
    }
}

#[test]
fn lenient_keeps_unread_odd_output_names_and_generates() {
    let (code, report) =
        generate_file(&fixture("odd-output-names.arazzo.yaml"), &lenient()).unwrap();
    assert!(!report.has_errors());
    assert!(code.contains("rename = \"items[0].id\""));
}

#[test]
fn source_descriptions_fragment_in_operation_path_lenient() {
    // Redocly's `$sourceDescriptions.<name>#/…` in operationPath (lenient only).
    let doc = fixture("source-fragment.arazzo.yaml");
    let strict = check_file(&doc, &Settings::default());
    assert!(strict.has_errors(), "{:?}", codes(&strict));
    let l = check_file(&doc, &lenient());
    assert!(!l.has_errors(), "{:?}", codes(&l));
}

// ------------------------------------------------------------------ item 5: deep chains on a test thread

/// `n` workflows, each handing over to the next by `step` (a step's or an action's lines).
fn chain(name: &str, n: usize, step: impl Fn(usize) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arazzo-second-opinion-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("so.openapi.yaml"), dir.join("so.openapi.yaml")).unwrap();
    let mut doc = String::from(
        "arazzo: 1.1.0\ninfo:\n  title: Hostile\n  version: 1.0.0\nsourceDescriptions:\n  - name: so\n    url: so.openapi.yaml\n    type: openapi\nworkflows:\n",
    );
    for i in 0..n {
        doc.push_str(&format!("  - workflowId: w{i}\n    steps:\n{}", step(i)));
    }
    let path = dir.join(format!("{name}-{n}.arazzo.yaml"));
    std::fs::write(&path, doc).unwrap();
    path
}

fn on_small_stack(path: PathBuf) -> std::thread::Result<bool> {
    std::thread::Builder::new()
        .stack_size(2 << 20) // the default stack of a test thread
        .spawn(move || generate_file(&path, &Settings::default()).is_ok())
        .unwrap()
        .join()
}

#[test]
fn long_chain_of_child_workflows_on_a_test_thread() {
    // 2,001 workflows, each running the next and passing its output up.
    let path = chain("children", 2001, |i| {
        if i == 2000 {
            "      - stepId: s\n        operationId: opA\n        outputs:\n          v: $response.body#/v\n    outputs:\n      v: $steps.s.outputs.v\n".to_owned()
        } else {
            format!(
                "      - stepId: s\n        workflowId: w{}\n        outputs:\n          v: $outputs.v\n    outputs:\n      v: $steps.s.outputs.v\n",
                i + 1
            )
        }
    });
    let r = on_small_stack(path);
    assert!(matches!(r, Ok(true)), "{r:?}");
}

#[test]
fn long_goto_workflow_chain_on_a_test_thread() {
    // 3,000 workflows, each going on to the next with a `goto`.
    let path = chain("gotos", 3000, |i| {
        let mut s = "      - stepId: s\n        operationId: opA\n".to_owned();
        if i + 1 < 3000 {
            s.push_str(&format!("        onSuccess:\n          - name: next\n            type: goto\n            workflowId: w{}\n", i + 1));
        }
        s
    });
    let r = on_small_stack(path);
    assert!(matches!(r, Ok(true)), "{r:?}");
}

// ------------------------------------------------------------- workflows that run workflows

/// Found by a second opinion: a workflow that runs itself again (through its own step, `goto`
/// between two workflows, or a `dependsOn` closed by a step) was accepted and generated code
/// that does not compile. Each is now one located `workflow-recursion` error (docs/decisions.md).
#[test]
fn workflows_that_run_themselves_again_are_refused() {
    let report = check_file(&fixture("recursion.arazzo.yaml"), &Settings::default());
    let found: Vec<(String, String)> = report
        .diagnostics()
        .iter()
        .map(|d| {
            let line = report.location(d).map(|l| l.line).unwrap_or_default();
            (
                d.code.as_str().to_owned(),
                format!("{} @ {line}", d.message),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "workflow-recursion".to_owned(),
                "workflow `again` runs itself again @ 17".to_owned()
            ),
            (
                "workflow-recursion".to_owned(),
                "workflow `ping` runs itself again @ 33".to_owned()
            ),
            (
                "workflow-recursion".to_owned(),
                "workflow `needs` runs itself again @ 42".to_owned()
            ),
        ],
        "{}",
        report.render()
    );
    let shown = report.render();
    assert!(shown.contains("runs: `ping` → `pong` → `ping`"), "{shown}");
}

/// A chain of `n` workflows, each running the next: by `dependsOn` or by a step.
fn run_chain(n: usize, by_step: bool) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("chain-{n}-{by_step}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("so.openapi.yaml"), dir.join("so.openapi.yaml")).unwrap();
    let mut doc = String::from(
        "arazzo: 1.0.1\ninfo: {title: Chain, version: 1.0.0}\nsourceDescriptions:\n  - {name: so, url: so.openapi.yaml, type: openapi}\nworkflows:\n",
    );
    for i in 0..n {
        doc.push_str(&format!("  - workflowId: w{i:03}\n"));
        let next = i + 1 < n;
        if next && !by_step {
            doc.push_str(&format!("    dependsOn: [w{:03}]\n", i + 1));
        }
        doc.push_str("    steps:\n      - {stepId: s, operationId: opA}\n");
        if next && by_step {
            doc.push_str(&format!(
                "      - {{stepId: t, workflowId: w{:03}}}\n",
                i + 1
            ));
        }
    }
    let file = dir.join("chain.arazzo.yaml");
    std::fs::write(&file, doc).unwrap();
    file
}

/// Found by a second opinion: chains of 135 dependencies or 70 child workflows generated code
/// that rustc refuses at its default recursion limit, with nothing said at build time. Deep
/// chains now get a `deep-nesting` warning that names the attribute to add.
#[test]
fn deep_chains_of_runs_are_warned_with_the_fix() {
    let warned = |file: PathBuf| -> Vec<String> {
        let report = check_file(&file, &Settings::default());
        assert!(!report.has_errors(), "{}", report.render());
        report
            .diagnostics()
            .iter()
            .filter(|d| d.code.as_str() == "deep-nesting")
            .map(|d| d.message.clone())
            .collect()
    };
    // Measured by the second opinion: these build at the default limit.
    assert!(warned(run_chain(100, false)).is_empty());
    assert!(warned(run_chain(40, true)).is_empty());
    // These do not.
    assert_eq!(
        warned(run_chain(135, false)),
        ["workflow `w000` starts runs nested 134 deep (dependencies count 1, steps and actions 2)"]
    );
    let report = check_file(&run_chain(70, true), &Settings::default());
    assert!(
        report
            .render()
            .contains("add `#![recursion_limit = \"256\"]`"),
        "{}",
        report.render()
    );
}
