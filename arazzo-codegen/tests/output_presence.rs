//! A workflow output is typed as always present only when every path from the start of a run to
//! a normal end passes a success of the step (or a run of the workflow) that sets it; otherwise
//! it is optional, so that a run that ends normally never fails for want of it after its side
//! effects.
//!
//! The paths come from the specification's rules for actions (Arazzo 1.0.1, Step Object and
//! Success/Failure Action Objects): "`onSuccess` … If omitted, the next sequential step shall be
//! executed"; "`onFailure` … If omitted, the default behavior is to break and return"; "`goto`
//! … the workflow SHALL jump to the specified step"; "`retry` … the current step SHALL be
//! retried", after the step or workflow it names; "`end` - The workflow ends, and context
//! returned to the caller with applicable outputs"; and "the first sequential action matching
//! the criteria SHALL be the action executed".

use std::path::{Path, PathBuf};

use arazzo_codegen::{Settings, generate_file};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(path)
}

/// The generated code of a workflow `flow` with `steps` and `outputs`, over `jobs.openapi.yaml`
/// (source `jobs`), after `extra` workflows.
fn generate(test: &str, version: &str, steps: &str, outputs: &str, extra: &str) -> String {
    let dir = std::env::temp_dir().join(format!("arazzo-presence-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let doc = format!(
        "arazzo: {version}\ninfo: {{title: Presence, version: 1.0.0}}\nsourceDescriptions:\n  - name: jobs\n    url: {}\n    type: openapi\nworkflows:\n  - workflowId: flow\n    steps:\n{steps}    outputs:\n{outputs}{extra}",
        fixture("codegen/jobs.openapi.yaml").display()
    );
    let path = dir.join("flow.arazzo.yaml");
    std::fs::write(&path, doc).unwrap_or_else(|e| panic!("{e}"));
    let generated = generate_file(&path, &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    match generated {
        Ok((code, _)) => code,
        Err(report) => panic!("{}", report.render()),
    }
}

/// Asserts the type each output's documentation gives (`(expression, type)`).
fn assert_outputs(code: &str, expected: &[(&str, &str)]) {
    for (expression, ty) in expected {
        let doc = format!("From `{expression}` (`{ty}`).");
        assert!(
            code.contains(&doc),
            "expected `{doc}` in the output struct; the outputs are:\n{}",
            code.lines()
                .filter(|l| l.contains("/// From `"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// A step `id` that reads job `j1` and keeps its `state` (a required property: `string`).
fn job_step(id: &str, actions: &str) -> String {
    format!(
        "      - stepId: {id}\n        operationId: getJob\n        parameters:\n          - name: id\n            in: path\n            value: j1\n        successCriteria:\n          - condition: $statusCode == 200\n        outputs:\n          state: $response.body#/state\n{actions}"
    )
}

fn output(name: &str, step: &str) -> String {
    format!("      {name}: $steps.{step}.outputs.state\n")
}

#[test]
fn a_failure_goto_past_steps_makes_the_skipped_outputs_and_its_own_optional() {
    let steps = [
        job_step(
            "a",
            "        onFailure:\n          - name: skip\n            type: goto\n            stepId: c\n",
        ),
        job_step("b", ""),
        job_step("c", ""),
    ]
    .concat();
    let outputs = [output("a", "a"), output("b", "b"), output("c", "c")].concat();
    let code = generate("goto-ahead", "1.0.1", &steps, &outputs, "");
    assert_outputs(
        &code,
        &[
            // The failure path never sets `a`'s outputs, and skips `b`.
            ("$steps.a.outputs.state", "string?"),
            ("$steps.b.outputs.state", "string?"),
            // Every path that ends normally passes `c`.
            ("$steps.c.outputs.state", "string"),
        ],
    );
}

#[test]
fn retries_and_failures_that_end_the_run_keep_outputs_sure() {
    // A retry runs the step again; an `end` on failure ends the run as failed, so no normal end
    // lacks the step's success.
    let steps = [
        job_step(
            "a",
            "        onFailure:\n          - name: again\n            type: retry\n            retryLimit: 3\n          - name: stop\n            type: end\n",
        ),
        job_step("b", ""),
    ]
    .concat();
    let outputs = [output("a", "a"), output("b", "b")].concat();
    let code = generate("retries", "1.0.1", &steps, &outputs, "");
    assert_outputs(
        &code,
        &[
            ("$steps.a.outputs.state", "string"),
            ("$steps.b.outputs.state", "string"),
        ],
    );
}

#[test]
fn a_success_end_makes_later_outputs_optional_and_earlier_ones_sure() {
    let steps = [
        job_step("a", ""),
        job_step(
            "b",
            "        onSuccess:\n          - name: done-early\n            type: end\n            criteria:\n              - condition: $response.body#/state == 'done'\n",
        ),
        job_step("c", ""),
    ]
    .concat();
    let outputs = [output("a", "a"), output("b", "b"), output("c", "c")].concat();
    let code = generate("end-early", "1.0.1", &steps, &outputs, "");
    assert_outputs(
        &code,
        &[
            ("$steps.a.outputs.state", "string"),
            ("$steps.b.outputs.state", "string"),
            ("$steps.c.outputs.state", "string?"),
        ],
    );
}

#[test]
fn a_polling_loop_back_keeps_outputs_sure() {
    let steps = [
        job_step("a", ""),
        job_step(
            "poll",
            "        onSuccess:\n          - name: finished\n            type: goto\n            stepId: c\n            criteria:\n              - condition: $response.body#/state == 'done'\n          - name: again\n            type: goto\n            stepId: poll\n",
        ),
        job_step("c", ""),
    ]
    .concat();
    let outputs = [output("a", "a"), output("poll", "poll"), output("c", "c")].concat();
    let code = generate("polling", "1.0.1", &steps, &outputs, "");
    assert_outputs(
        &code,
        &[
            ("$steps.a.outputs.state", "string"),
            ("$steps.poll.outputs.state", "string"),
            ("$steps.c.outputs.state", "string"),
        ],
    );
}

#[test]
fn a_step_reached_only_by_a_retry_through_it_is_not_sure() {
    // `refresh` runs only when `report` fails and is retried through it: the run then comes
    // back to `report`, whose success ends the run.
    let steps = [
        job_step(
            "report",
            "        onSuccess:\n          - name: done\n            type: end\n        onFailure:\n          - name: refresh-first\n            type: retry\n            stepId: refresh\n            retryLimit: 1\n",
        ),
        job_step("refresh", ""),
    ]
    .concat();
    let outputs = [output("report", "report"), output("refresh", "refresh")].concat();
    let code = generate("retry-via", "1.0.1", &steps, &outputs, "");
    assert_outputs(
        &code,
        &[
            ("$steps.report.outputs.state", "string"),
            ("$steps.refresh.outputs.state", "string?"),
        ],
    );
}

#[test]
fn a_step_output_copied_from_a_step_that_may_not_have_run_is_not_sure() {
    // `c` always runs, but its `copy` reads `a`, whose failure path skips it.
    let steps = [
        job_step(
            "a",
            "        onFailure:\n          - name: skip\n            type: goto\n            stepId: c\n",
        ),
        job_step("c", "").replace(
            "          state: $response.body#/state\n",
            "          state: $response.body#/state\n          copy: $steps.a.outputs.state\n",
        ),
    ]
    .concat();
    let outputs = "      own: $steps.c.outputs.state\n      copy: $steps.c.outputs.copy\n";
    let code = generate("copied", "1.0.1", &steps, outputs, "");
    assert_outputs(
        &code,
        &[
            ("$steps.c.outputs.state", "string"),
            ("$steps.c.outputs.copy", "string?"),
        ],
    );
}

#[test]
fn another_workflows_outputs_are_sure_only_when_every_normal_end_ran_it() {
    let other = "  - workflowId: other\n    steps:\n".to_owned()
        + &job_step("x", "")
        + "    outputs:\n      state: $steps.x.outputs.state\n";
    // A failure hands over to `other`; the success path never runs it.
    let steps = job_step(
        "a",
        "        onFailure:\n          - name: hand-over\n            type: goto\n            workflowId: other\n",
    );
    let outputs = "      other: $workflows.other.outputs.state\n";
    let code = generate("hand-over", "1.0.1", &steps, outputs, &other);
    assert_outputs(&code, &[("$workflows.other.outputs.state", "string?")]);

    // A success that always hands over: every normal end ran it.
    let steps = job_step(
        "a",
        "        onSuccess:\n          - name: hand-over\n            type: goto\n            workflowId: other\n",
    );
    let code = generate("always-hand-over", "1.0.1", &steps, outputs, &other);
    assert_outputs(&code, &[("$workflows.other.outputs.state", "string")]);
}

#[test]
fn message_steps_follow_the_same_paths() {
    // Arazzo 1.1.0, step `timeout`: "the maximum number of milli-seconds to wait for the step
    // to complete before aborting and failing the step"; here the failure goes on to `late`.
    let dir = std::env::temp_dir().join(format!("arazzo-presence-messages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let doc = format!(
        "arazzo: 1.1.0
info: {{title: Presence, version: 1.0.0}}
sourceDescriptions:
  - name: kitchen
    url: {}
    type: asyncapi
workflows:
  - workflowId: cook
    inputs:
      type: object
      required: [ticketId]
      properties:
        ticketId: {{type: string}}
    steps:
      - stepId: ready
        operationId: dishReady
        action: receive
        correlationId: $inputs.ticketId
        timeout: 1500
        onFailure:
          - name: too-late
            type: goto
            stepId: late
        outputs:
          dish: $message.payload#/dish
      - stepId: late
        operationId: submitTicket
        action: send
        parameters:
          - name: station
            in: channel
            value: soup
          - name: ticketId
            in: header
            value: $inputs.ticketId
        requestBody:
          payload:
            dish: soup
            table: 1
    outputs:
      dish: $steps.ready.outputs.dish
",
        fixture("asyncapi/kitchen.asyncapi.yaml").display()
    );
    let path = dir.join("cook.arazzo.yaml");
    std::fs::write(&path, doc).unwrap_or_else(|e| panic!("{e}"));
    let generated = generate_file(&path, &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _) = generated.unwrap_or_else(|report| panic!("{}", report.render()));
    assert_outputs(&code, &[("$steps.ready.outputs.dish", "string?")]);
}

#[test]
fn a_child_output_that_a_normal_end_of_the_child_lacks_is_optional_in_the_parent() {
    // Found by the generated workflows (`cargo xtask conformance`): the child ends early on
    // success, before `b` sets `state`; the parent read it as always present and failed with
    // `Error::OutputType` after a run that ended normally.
    let child = "  - workflowId: child\n    steps:\n".to_owned()
        + &job_step(
            "a",
            "        onSuccess:\n          - name: early\n            type: end\n            criteria:\n              - condition: $response.body#/state == 'done'\n",
        )
        + &job_step("b", "")
        + "    outputs:\n      state: $steps.b.outputs.state\n      first: $steps.a.outputs.state\n";
    let steps = "      - stepId: run\n        workflowId: child\n        outputs:\n          state: $outputs.state\n          first: $outputs.first\n";
    let outputs = "      state: $steps.run.outputs.state\n      first: $steps.run.outputs.first\n";
    let code = generate("child-output", "1.0.1", steps, outputs, &child);
    assert_outputs(
        &code,
        &[
            ("$steps.run.outputs.state", "string?"),
            ("$steps.run.outputs.first", "string"),
        ],
    );
}
