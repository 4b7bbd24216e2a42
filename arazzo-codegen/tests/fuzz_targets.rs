//! Fuzz targets for the loader, the expression parser and the whole pipeline. Under `cargo test`
//! each replays its kept corpus (`tests/__fuzz__/<target>/corpus/`) and a bounded number of
//! random inputs; under a fuzzing engine, where a nightly toolchain exists, the same target runs
//! for as long as asked and grows the corpus:
//!
//! ```sh
//! cargo install cargo-bolero
//! cargo +nightly bolero test -p arazzo-codegen --test fuzz_targets whole_pipeline -T 10min
//! ```
//!
//! What each checks is what a user must be able to rely on: no input makes the compiler panic
//! or hang, every diagnostic is located, and the parsers' errors point inside what they read.

use std::path::{Path, PathBuf};

use arazzo_codegen::{Settings, check_file, fuzzing, generate_file};

/// Random inputs per target under `cargo test` (the kept corpus runs in full besides).
const ITERATIONS: usize = 1000;

/// A folder of its own for each target's files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arazzo-fuzz-{name}-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Checks the document at `path` as `check` does, and asserts what users rely on.
fn check_located(path: &Path) {
    let report = check_file(path, &Settings::default());
    for d in report.diagnostics() {
        assert!(
            d.is_located() || d.code.as_str() == "io",
            "`{}` without a location: {}",
            d.code,
            d.message
        );
        assert_ne!(d.code.as_str(), "internal-error", "{}", report.render());
    }
    let _ = report.render();
}

/// Bytes as a document of file `name` (`.json` takes the JSON reader, anything else YAML), for
/// target `target` (whose corpus is `tests/__fuzz__/<target>/corpus/`).
fn loader(target: &'static str, name: &str) {
    let path = folder(name).join(name);
    bolero::check!(name = target)
        .with_iterations(ITERATIONS)
        .for_each(|bytes: &[u8]| {
            if std::fs::write(&path, bytes).is_ok() {
                check_located(&path);
            }
        });
}

#[test]
fn loader_yaml() {
    loader("loader_yaml", "input.arazzo.yaml");
}

#[test]
fn loader_json() {
    loader("loader_json", "input.arazzo.json");
}

#[test]
fn expressions() {
    bolero::check!()
        .with_iterations(ITERATIONS * 10)
        .for_each(|bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes);
            if let Err(broken) = fuzzing::expression(&text) {
                panic!("{broken}");
            }
        });
}

/// The document every pipeline input starts from: a workflow with a loop, a retry through
/// another step, a child workflow and outputs, over a description of the fixtures.
fn seed(dir: &Path) -> String {
    let description = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/codegen/jobs.openapi.yaml")
        .display()
        .to_string();
    let _ = dir;
    format!(
        "arazzo: 1.1.0
info:
  title: Fuzzed
  version: 1.0.0
sourceDescriptions:
  - name: jobs
    url: {description}
    type: openapi
workflows:
  - workflowId: run
    inputs:
      type: object
      properties:
        kind:
          type: string
    steps:
      - stepId: create
        operationId: createJob
        requestBody:
          payload:
            kind: $inputs.kind
        successCriteria:
          - condition: $statusCode == 202
        outputs:
          id: $response.body#/id
      - stepId: poll
        operationId: getJob
        parameters:
          - name: id
            in: path
            value: $steps.create.outputs.id
        onSuccess:
          - name: again
            type: goto
            stepId: poll
            criteria:
              - condition: $response.body#/state != 'done'
        onFailure:
          - name: refresh
            type: retry
            stepId: token
            retryLimit: 2
        outputs:
          state: $response.body#/state
      - stepId: token
        operationId: issueToken
        outputs:
          token: $response.body#/token
    outputs:
      id: $steps.create.outputs.id
      state: $steps.poll.outputs.state
  - workflowId: parent
    steps:
      - stepId: child
        workflowId: run
        parameters:
          - name: kind
            value: export
        outputs:
          state: $outputs.state
    outputs:
      state: $steps.child.outputs.state
"
    )
}

#[test]
fn whole_pipeline() {
    let dir = folder("pipeline");
    let path = dir.join("fuzzed.arazzo.yaml");
    let seed = seed(&dir);
    bolero::check!()
        .with_iterations(ITERATIONS)
        .for_each(|edits: &[u8]| {
            let text = fuzzing::mutate(&seed, edits);
            if std::fs::write(&path, text).is_err() {
                return;
            }
            check_located(&path);
            // Whatever checks pass, generation must finish with code or located errors.
            match generate_file(&path, &Settings::default()) {
                Ok((code, _)) => assert!(code.contains("@generated"), "{code}"),
                Err(report) => {
                    assert!(report.has_errors());
                    assert!(report.diagnostics().iter().all(|d| d.is_located()));
                }
            }
        });
}
