//! A second opinion on workflows that run workflows, and workflow `dependsOn`: tests written by
//! a helper from the Arazzo text (1.0.1 and 1.1.0) and the public API only, each quoting the
//! words it relies on. Documents live in `fixtures/second_opinion/runs/`. Tests marked
//! "FINDING, fixed" failed when written (docs/decisions.md, "What a second opinion found");
//! `open_…` rest on a reading of an open point, said beside them. Refusals at build time (recursion, deep nesting) are in arazzo-codegen's
//! `tests/second_opinion.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod wf_params {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/wf-params.arazzo.yaml");
}
mod diamond {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/diamond.arazzo.yaml");
}
mod child {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/child.arazzo.yaml");
}
mod steps {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/steps.arazzo.yaml");
}
// The document warns on purpose (its step `s2` never runs (a one-way `goto` passes it): `unreachable-step`).
#[allow(deprecated)]
mod goto {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/goto.arazzo.yaml");
}
mod outputs {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/outputs.arazzo.yaml");
}
// The document warns on purpose (an input nothing reads: `unused-input`).
#[allow(deprecated)]
mod inputs {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/inputs.arazzo.yaml");
}
mod v11 {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/v11.arazzo.yaml");
}
mod xmain {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/xmain.arazzo.yaml");
}
mod missing_input {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/probe-missing-input.arazzo.yaml");
}
// The document warns on purpose (`in` on a workflow step's parameter: `ignored-field`).
#[allow(deprecated)]
mod step_param_in {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/step-param-in.arazzo.yaml");
}
mod nested_share {
    arazzo_macros::arazzo!("../fixtures/second_opinion/runs/nested-share.arazzo.yaml");
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A server answering `GET /op/<name>` with 200 and `{"v": <v>}` for each `(name, v)`;
/// anything else answers wiremock's 404.
async fn server(answers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    for (name, v) in answers {
        Mock::given(method("GET"))
            .and(path(format!("/op/{name}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "v": v })))
            .mount(&server)
            .await;
    }
    server
}

/// Makes `GET /op/<name>` answer `status` for the next `times` requests (mounted with a
/// higher priority than the 200 answers of [`server`]).
async fn first_answers(server: &MockServer, name: &str, status: u16, times: u64) {
    Mock::given(method("GET"))
        .and(path(format!("/op/{name}")))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({ "v": "err" })))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

/// Makes `GET /op/<name>` always answer `status` (higher priority than [`server`]).
async fn always(server: &MockServer, name: &str, status: u16) {
    Mock::given(method("GET"))
        .and(path(format!("/op/{name}")))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({ "v": "err" })))
        .with_priority(1)
        .mount(server)
        .await;
}

/// The requests received, in order, as `(name, x)`: the `<name>` of `/op/<name>` and the
/// query parameter `x` if any.
async fn calls(server: &MockServer) -> Vec<(String, Option<String>)> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let name = r.url.path().trim_start_matches("/op/").to_owned();
            let x = r
                .url
                .query_pairs()
                .find(|(k, _)| k == "x")
                .map(|(_, v)| v.into_owned());
            (name, x)
        })
        .collect()
}

fn names(calls: &[(String, Option<String>)]) -> Vec<&str> {
    calls.iter().map(|(n, _)| n.as_str()).collect()
}

fn position(calls: &[(String, Option<String>)], name: &str) -> usize {
    calls
        .iter()
        .position(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no request to /op/{name} in {:?}", names(calls)))
}

fn count(calls: &[(String, Option<String>)], name: &str) -> usize {
    calls.iter().filter(|(n, _)| n == name).count()
}

/// Whether a value's static type is an `Option` (compiles whatever the generated type is).
fn is_option<T>(_: &T) -> bool {
    std::any::type_name::<T>().starts_with("core::option::Option")
}

fn sleeper() -> arazzo_runtime::Sleeper {
    arazzo_runtime::Sleeper::recording().0
}

// ---------------------------------------------------------------------------------------------
// dependsOn: diamonds, order, failures
// ---------------------------------------------------------------------------------------------

/// Spec 1.0.1/1.1.0, Workflow Object, `dependsOn`: "A list of workflows that MUST be completed
/// before this workflow can be processed."
/// `a` depends on `b` and `c`, both depend on `d`: `d` completes before `b` and `c`, which
/// complete before `a`; `$workflows.b.outputs.v` / `$workflows.c.outputs.v` are available to `a`.
#[tokio::test]
async fn diamond_dependencies_complete_before_dependents() {
    let server = server(&[("d", "dv"), ("b", "bv"), ("c", "cv"), ("a", "av")]).await;
    let client = diamond::Client::new().with_api_url(server.uri());
    let out = client.a().await.expect("a runs");
    let calls = calls(&server).await;
    let (d, b, c, a) = (
        position(&calls, "d"),
        position(&calls, "b"),
        position(&calls, "c"),
        position(&calls, "a"),
    );
    assert!(
        d < b && d < c && b < a && c < a,
        "order: {:?}",
        names(&calls)
    );
    // The project runs a shared dependency once per run (nothing in the text asks for more).
    assert_eq!(count(&calls, "d"), 1, "{:?}", names(&calls));
    assert_eq!(calls[a].1.as_deref(), Some("bv-cv"));
    assert_eq!(calls[b].1.as_deref(), Some("dv"));
    assert_eq!(out.v.as_deref(), Some("av"));
    assert_eq!(out.from_b.as_deref(), Some("bv"));
}

/// FINDING, fixed. Runtime Expressions: "Workflow output value | `$outputs.bar` or
/// `$workflows.foo.outputs.bar`", and `dependsOn`: "A list of workflows that MUST be completed
/// before this workflow can be processed." `d` has completed in the run before `aStrict` is
/// processed (it is a dependency of `b` and `c`), and the document is accepted; the outputs of
/// the completed workflow `d` must be readable from `aStrict` (`$workflows.d.outputs.v`), in a
/// parameter, in a criterion and in a workflow output.
#[tokio::test]
async fn transitive_dependency_outputs_are_readable() {
    let server = server(&[
        ("d", "dv"),
        ("b", "bv"),
        ("c", "cv"),
        ("a", "av"),
        ("aStrict", "x"),
    ])
    .await;
    let client = diamond::Client::new().with_api_url(server.uri());

    let out = client.a().await.expect("a runs");
    assert_eq!(
        out.from_d.as_deref(),
        Some("dv"),
        "`$workflows.d.outputs.v` read from `a`"
    );

    let result = client.a_strict().await;
    let calls = calls(&server).await;
    let strict: Vec<_> = calls.iter().filter(|(n, _)| n == "aStrict").collect();
    assert_eq!(
        strict[0].1.as_deref(),
        Some("dv"),
        "query x = $workflows.d.outputs.v"
    );
    result.expect("criterion `$workflows.d.outputs.v == 'dv'` holds: d answered v = dv");
}

/// `dependsOn`: "A list of workflows that MUST be completed before this workflow can be
/// processed." A dependency that fails never completes, so the dependent is not processed:
/// no request of `afterF` is sent and the run fails.
#[tokio::test]
async fn failed_dependency_blocks_dependent() {
    let server = server(&[("afterF", "x")]).await;
    always(&server, "f", 500).await;
    let client = steps::Client::new().with_api_url(server.uri());
    let result = client.after_f().await;
    let calls = calls(&server).await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(names(&calls), vec!["f"]);
}

/// Same rule, with a dependency whose required input the dependent cannot give (the project
/// passes inputs to dependencies by name; the text does not say how a dependency gets inputs,
/// so whether this should be a build-time error is open). What the text does fix: `main`
/// MUST NOT be processed since `dep` did not complete.
#[tokio::test]
async fn open_dependency_missing_input_is_not_processed() {
    let server = server(&[("main", "x")]).await;
    let client = missing_input::Client::new().with_api_url(server.uri());
    let result = client.main().await;
    let calls = calls(&server).await;
    eprintln!("dependency without its required input: {result:?}");
    assert!(result.is_err());
    assert!(!names(&calls).contains(&"main"), "{:?}", names(&calls));
}

/// `dependsOn` with inputs: the project passes the caller's inputs to a dependency by name.
/// Runtime Expressions: "workflow input | `$inputs.username` or `$workflows.foo.inputs.username`".
#[tokio::test]
async fn dependency_gets_callers_inputs_and_its_inputs_are_readable() {
    let server = server(&[("dep", "x"), ("main", "y")]).await;
    let client = inputs::Client::new().with_api_url(server.uri());
    let out = client
        .main(inputs::MainInput {
            token: "T1".to_owned(),
            extra: None,
        })
        .await
        .expect("main runs");
    let calls = calls(&server).await;
    assert_eq!(
        calls,
        vec![
            ("dep".to_owned(), Some("T1".to_owned())),
            ("main".to_owned(), Some("T1".to_owned()))
        ]
    );
    assert_eq!(out.dep_input, "T1");
    assert_eq!(out.dep_output, "T1");
}

/// OPEN (assumption stated). Step Object `workflowId` + Parameter Object: "When the step in
/// context specifies a `workflowId`, then all parameters map to workflow inputs." After the
/// step `again` ran `dep` with `token: fromStep`, `$workflows.dep.inputs.token` is assumed to
/// read the most recent run of `dep` (the text does not say which run when a workflow ran
/// twice). It kept the dependency's record; it now records the step's run too, so the
/// latest run is read (docs/decisions.md).
#[tokio::test]
async fn open_workflows_inputs_after_a_step_reran_the_workflow() {
    let server = server(&[("dep", "x"), ("mainAndStep", "y")]).await;
    let client = inputs::Client::new().with_api_url(server.uri());
    let out = client
        .main_and_step(inputs::MainAndStepInput {
            token: "T1".to_owned(),
        })
        .await
        .expect("mainAndStep runs");
    let calls = calls(&server).await;
    assert_eq!(calls[0], ("dep".to_owned(), Some("T1".to_owned())));
    assert_eq!(calls[1], ("dep".to_owned(), Some("fromStep".to_owned())));
    assert_eq!(
        calls[2].1.as_deref(),
        Some("fromStep"),
        "$workflows.dep.inputs.token"
    );
    assert_eq!(out.dep_input, "fromStep");
}

// ---------------------------------------------------------------------------------------------
// Steps that run workflows
// ---------------------------------------------------------------------------------------------

/// Step Object `workflowId` + `dependsOn`: the child a step runs MUST have its dependencies
/// completed "before this workflow can be processed": `d` before `child`. Parameters of the
/// step "map to workflow inputs".
#[tokio::test]
async fn child_step_runs_the_childs_dependency_first() {
    let server = server(&[("d", "dv"), ("child", "cv"), ("after", "z")]).await;
    let client = child::Client::new().with_api_url(server.uri());
    let out = client.parent().await.expect("parent runs");
    let calls = calls(&server).await;
    assert_eq!(names(&calls)[..2], ["d", "child"]);
    assert_eq!(calls[1].1.as_deref(), Some("tok"));
    assert_eq!(out.cv.as_deref(), Some("cv"));
}

/// FINDING, fixed. Runtime Expressions: "Workflow output value | `$outputs.bar` or
/// `$workflows.foo.outputs.bar`" and "workflow input | `$inputs.username` or
/// `$workflows.foo.inputs.username`". The step `run` ran workflow `child` (Step Object
/// `workflowId`: "The workflowId referencing an existing workflow"), with input `token: tok`;
/// the child answered `v = cv`, status 200. After it, `$workflows.child.outputs.v`,
/// `$workflows.child.outputs.code` and `$workflows.child.inputs.token` are that run's values
/// (the document is accepted without a word).
#[tokio::test]
async fn workflows_expression_sees_a_child_run_by_a_step() {
    let server = server(&[("d", "dv"), ("child", "cv"), ("after", "z")]).await;
    let client = child::Client::new().with_api_url(server.uri());
    let out = client.parent().await.expect("parent runs");
    let calls = calls(&server).await;
    assert_eq!(
        out.wv.as_deref(),
        Some("cv"),
        "step output wv = $workflows.child.outputs.v"
    );
    assert_eq!(out.child_code, Some(200), "$workflows.child.outputs.code");
    assert_eq!(
        out.child_token.as_deref(),
        Some("tok"),
        "$workflows.child.inputs.token"
    );
    assert_eq!(
        calls[2].1.as_deref(),
        Some("cv"),
        "step `after` sends $steps.run.outputs.wv"
    );
}

/// FINDING, fixed (same root). Step Object `successCriteria`: "All assertions MUST be satisfied for the
/// step to be deemed successful." The criterion `$workflows.child.outputs.v == 'cv'` on the step
/// that ran `child` (which answered v = cv) holds, so the step and the workflow succeed.
#[tokio::test]
async fn criterion_on_the_child_workflows_outputs() {
    let server = server(&[("d", "dv"), ("child", "cv")]).await;
    let client = steps::Client::new().with_api_url(server.uri());
    let out = client
        .criteria_on_child()
        .await
        .expect("the criterion holds");
    assert_eq!(out.v.as_deref(), Some("cv"));
    assert_eq!(out.direct.as_deref(), Some("cv"));
}

/// `dependsOn` shared between a workflow and the child its step runs: `d` MUST be completed
/// before `sharer` and before `child` are processed.
#[tokio::test]
async fn shared_dependency_of_parent_and_child() {
    let server = server(&[("d", "dv"), ("sharer", "s"), ("child", "cv")]).await;
    let client = steps::Client::new().with_api_url(server.uri());
    let out = client.sharer().await.expect("sharer runs");
    let calls = calls(&server).await;
    assert!(position(&calls, "d") < position(&calls, "sharer"));
    assert!(position(&calls, "d") < position(&calls, "child"));
    assert_eq!(count(&calls, "d"), 1, "{:?}", names(&calls));
    assert_eq!(out.v.as_deref(), Some("cv"));
}

/// Step `onFailure`: "An array of failure action objects that specify what to do upon step
/// failure." A step that runs a workflow fails when that workflow fails; `goto` `stepId`
/// moves to `recover`.
#[tokio::test]
async fn child_failure_goes_to_the_steps_failure_goto() {
    let server = server(&[("recover", "r")]).await;
    always(&server, "f", 500).await;
    let client = steps::Client::new().with_api_url(server.uri());
    let out = client.on_fail_goto().await.expect("recovered");
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["f", "recover"]);
    assert_eq!(out.recover_code, Some(200));
}

/// Failure Action `end`: "The workflow ends, and context returns to the caller with applicable
/// outputs." No step after runs. (The project reports it as an `Ended` error carrying the
/// outputs; whether a failure `end` is a success is not said by the text.)
#[tokio::test]
async fn child_failure_end_stops_the_workflow() {
    let server = server(&[("after", "a")]).await;
    always(&server, "f", 500).await;
    let client = steps::Client::new().with_api_url(server.uri());
    let result = client.on_fail_end().await;
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["f"], "{result:?}");
    assert!(
        matches!(result, Err(arazzo_runtime::Error::Ended { .. }) | Ok(_)),
        "{result:?}"
    );
}

/// OPEN (assumption: a child that cannot be processed because its dependency failed is a
/// failure of the step that runs it, so the step's `onFailure` applies). `childBadDep`
/// MUST NOT be processed (its dependency `f` failed); the step's `goto recover` runs.
#[tokio::test]
async fn open_childs_failed_dependency_is_the_steps_failure() {
    let server = server(&[("recover", "r"), ("childBadDep", "x")]).await;
    always(&server, "f", 500).await;
    let client = steps::Client::new().with_api_url(server.uri());
    let result = client.bad_dep_goto().await;
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["f", "recover"], "{result:?}");
    assert!(result.is_ok(), "{result:?}");
}

/// Failure Action `retry`: "The current step will be retried." The step runs `child` (which
/// depends on `d`); the child fails once, the step is retried, the second run succeeds.
/// Whether the retried child re-runs its completed dependency is open: `d` "MUST be completed"
/// before, and it is; both one and two runs of `d` are accepted here, but `d` must come first.
#[tokio::test]
async fn retried_child_step() {
    let server = server(&[("d", "dv"), ("child", "cv")]).await;
    first_answers(&server, "child", 500, 1).await;
    let client = steps::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    let out = client.retry_child().await.expect("second attempt succeeds");
    let calls = calls(&server).await;
    assert_eq!(count(&calls, "child"), 2, "{:?}", names(&calls));
    assert!(position(&calls, "d") < position(&calls, "child"));
    eprintln!("retried child: requests {:?}", names(&calls));
    assert_eq!(out.v.as_deref(), Some("cv"));
}

/// Failure Action `retryLimit`: "how many attempts to retry the step MAY be attempted before
/// failing the overall step." `retryLimit: 2` on a step whose child always fails: the child runs
/// 1 + 2 times, then the run fails; `d` completes before the first child run.
#[tokio::test]
async fn retried_child_step_exhausts_its_retry_limit() {
    let server = server(&[("d", "dv")]).await;
    always(&server, "child", 500).await;
    let client = steps::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    let result = client.retry_child().await;
    let calls = calls(&server).await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(count(&calls, "child"), 3, "{:?}", names(&calls));
    assert!(position(&calls, "d") < position(&calls, "child"));
}

/// Parameter Object `in`: "When the step in context specifies a `workflowId`, then all
/// parameters map to workflow inputs." — with an `in` written anyway (the project warns).
#[tokio::test]
async fn step_parameter_with_in_still_maps_to_the_childs_input() {
    let server = server(&[("childX", "c")]).await;
    let client = step_param_in::Client::new().with_api_url(server.uri());
    client.with_in().await.expect("runs");
    assert_eq!(
        calls(&server).await,
        vec![("childX".to_owned(), Some("viaIn".to_owned()))]
    );
}

/// `dependsOn` across two levels of child workflows: `top` depends on `d`; its step runs
/// `middle` (no dependencies), whose step runs `leaf` (depends on `d`). `d` completes before
/// `leaf` is processed.
#[tokio::test]
async fn dependency_shared_across_two_levels_of_children() {
    let server = server(&[("d", "dv"), ("leaf", "l")]).await;
    let client = nested_share::Client::new().with_api_url(server.uri());
    client.top().await.expect("runs");
    let calls = calls(&server).await;
    assert!(position(&calls, "d") < position(&calls, "leaf"));
    assert_eq!(count(&calls, "d"), 1, "{:?}", names(&calls));
}

/// A retried child whose dependency failed the first time: on the retry the dependency has not
/// completed, so it MUST run (and complete) before the child is processed.
#[tokio::test]
async fn retried_child_reruns_a_dependency_that_failed() {
    let server = server(&[("d", "dv"), ("child", "cv")]).await;
    first_answers(&server, "d", 500, 1).await;
    let client = steps::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    let out = client.retry_child().await.expect("second attempt succeeds");
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["d", "d", "child"]);
    assert_eq!(out.v.as_deref(), Some("cv"));
}

/// Failure Action `retry` with `criteria` `$statusCode == 500` on a step that runs a workflow:
/// the project gives such a step the status of the child's last operation (the text leaves
/// `$statusCode` of a workflow step open); `retryLimit: 1` → one retry.
#[tokio::test]
async fn retry_on_childs_status() {
    let server = server(&[("f", "ok")]).await;
    first_answers(&server, "f", 500, 1).await;
    let client = steps::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    client.retry_on500().await.expect("retried once");
    assert_eq!(names(&calls(&server).await), vec!["f", "f"]);
}

/// Workflow `failureActions`: "A list of failure actions that are applicable for all steps
/// described under this workflow." They apply to a step that runs a workflow.
#[tokio::test]
async fn workflow_level_failure_action_applies_to_a_workflow_step() {
    let server = server(&[("recover", "r")]).await;
    always(&server, "f", 500).await;
    let client = steps::Client::new().with_api_url(server.uri());
    client.wf_actions().await.expect("recovered");
    assert_eq!(names(&calls(&server).await), vec!["f", "recover"]);
}

/// FINDING, fixed. Workflow Object `parameters`: "A list of parameters that are applicable for all
/// steps described under this workflow. ... Each parameter MUST be passed to an operation or
/// workflow as referenced by `operationId`, `operationPath`, or `workflowId` as specified within
/// each step." Parameter Object `in`: "When the step in context specifies a `workflowId`, then
/// all parameters map to workflow inputs." The workflow-level `x: fromWorkflow` reaches the
/// child's input `x`.
#[tokio::test]
async fn workflow_level_parameter_reaches_a_child_workflow() {
    let server = server(&[("plain", "p"), ("childX", "c")]).await;
    let client = steps::Client::new().with_api_url(server.uri());
    client.wf_params_opt().await.expect("runs");
    let calls = calls(&server).await;
    assert_eq!(
        calls[0],
        ("plain".to_owned(), Some("fromWorkflow".to_owned()))
    );
    assert_eq!(
        calls[1],
        ("childX".to_owned(), Some("fromWorkflow".to_owned())),
        "child input x"
    );
}

/// FINDING, fixed (build time). Same sentences: with the child's input `x` required, the
/// workflow-level parameter `x` passes it, so the document is valid. It was refused with "step
/// `run` does not pass the required input `x` of workflow `childX`"; module `wf_params` above
/// now builds, and its run passes the workflow's value.
#[tokio::test]
async fn workflow_level_parameter_counts_as_a_childs_input_at_build_time() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"v": "ok"})))
        .mount(&server)
        .await;
    let client = wf_params::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    client.wf_params().await.expect("the run completes");
    let sent: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "x")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert!(sent.contains(&Some("fromWorkflow".to_owned())), "{sent:?}");
}

// ---------------------------------------------------------------------------------------------
// goto / retry with workflowId
// ---------------------------------------------------------------------------------------------

/// Success Action `goto`: "A one-way transfer of workflow control to the specified label
/// (either a `workflowId` or `stepId`)". `target` depends on `d`, so `d` MUST be completed
/// before `target` is processed; `s2` never runs (one-way).
#[tokio::test]
async fn success_goto_workflow_runs_its_dependencies_one_way() {
    let server = server(&[("s1", "a"), ("s2", "b"), ("d", "dv"), ("target", "t")]).await;
    let client = goto::Client::new().with_api_url(server.uri());
    let out = client.jumper().await.expect("jumper runs");
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["s1", "d", "target"]);
    assert_eq!(calls[2].1.as_deref(), Some("dv"));
    assert!(is_option(&out.s2code));
    assert_eq!(out.s2code, None);
}

/// Failure Action `goto` with `workflowId` to a workflow with a dependency.
#[tokio::test]
async fn failure_goto_workflow_runs_its_dependencies() {
    let server = server(&[("f2", "b"), ("d", "dv"), ("target", "t")]).await;
    always(&server, "f1", 500).await;
    let client = goto::Client::new().with_api_url(server.uri());
    let result = client.failer().await;
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["f1", "d", "target"], "{result:?}");
}

/// Failure Action `retry`: "If a `stepId` or `workflowId` are specified, then the reference is
/// executed and the context is returned, after which the current step is retried." and
/// `workflowId`: "When used with "retry", context transfers back upon completion of the specified
/// workflow." `target` depends on `d`.
#[tokio::test]
async fn retry_with_workflow_runs_it_then_retries() {
    let server = server(&[("r1", "ok"), ("d", "dv"), ("target", "t")]).await;
    first_answers(&server, "r1", 401, 1).await;
    let client = goto::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    let out = client.refresher().await.expect("refreshed and retried");
    let calls = calls(&server).await;
    assert_eq!(names(&calls), vec!["r1", "d", "target", "r1"]);
    assert_eq!(out.r1code, 200);
    assert_eq!(out.target_code, Some(200));
    assert_eq!(out.target_v.as_deref(), Some("t"));
}

/// Arazzo 1.1.0, Success/Failure Action `parameters`: "A list of parameters that MUST be passed
/// to a workflow as referenced by `workflowId`." For `goto` on success and failure, and for
/// `retry` with `workflowId`; the target depends on `d`.
#[tokio::test]
async fn v11_action_parameters_reach_the_workflow() {
    let server = server(&[("s1", "a"), ("d", "dv"), ("target", "t"), ("r1", "ok")]).await;
    let client = v11::Client::new()
        .with_api_url(server.uri())
        .with_sleeper(sleeper());
    client.jumper().await.expect("jumper");
    let c = calls(&server).await;
    assert_eq!(names(&c), vec!["s1", "d", "target"]);
    assert_eq!(c[2].1.as_deref(), Some("viaGoto"));

    let server2 = server_f1_failing().await;
    let client = v11::Client::new().with_api_url(server2.uri());
    let result = client.failer().await;
    let c = calls(&server2).await;
    assert_eq!(names(&c), vec!["f1", "d", "target"], "{result:?}");
    assert_eq!(c[2].1.as_deref(), Some("failed-500"));

    let server3 = self::server(&[("d", "dv"), ("target", "t"), ("r1", "ok")]).await;
    first_answers(&server3, "r1", 500, 1).await;
    let client = v11::Client::new()
        .with_api_url(server3.uri())
        .with_sleeper(sleeper());
    client.retrier().await.expect("retrier");
    let c = calls(&server3).await;
    assert_eq!(names(&c), vec!["r1", "d", "target", "r1"]);
    assert_eq!(c[2].1.as_deref(), Some("viaRetry"));
}

async fn server_f1_failing() -> MockServer {
    let s = server(&[("d", "dv"), ("target", "t")]).await;
    always(&s, "f1", 500).await;
    s
}

// ---------------------------------------------------------------------------------------------
// Output presence
// ---------------------------------------------------------------------------------------------

/// Workflow `outputs` + Success Action `goto`/`end`: an output that a normal ending path never
/// sets must be optional, and such a run must end normally (no output type error).
#[tokio::test]
async fn outputs_unset_on_some_normal_path_are_optional() {
    // branchy, path 1: s1 answers v = jump → goto workflow target.
    let s = server(&[("s1", "jump"), ("s2", "b"), ("target", "t")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .branchy()
        .await
        .expect("jump path");
    assert_eq!(names(&calls(&s).await), vec!["s1", "target"]);
    assert!(is_option(&out.s2code) && is_option(&out.target_code));
    assert_eq!((out.s2code, out.target_code), (None, Some(200)));
    // branchy, path 2: no jump → s2.
    let s = server(&[("s1", "no"), ("s2", "b"), ("target", "t")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .branchy()
        .await
        .expect("s2 path");
    assert_eq!(names(&calls(&s).await), vec!["s1", "s2"]);
    assert_eq!((out.s2code, out.target_code), (Some(200), None));

    // branchyChild: the step running `target` runs on one branch only.
    let s = server(&[("s1", "no"), ("target", "t")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .branchy_child()
        .await
        .expect("end");
    assert!(is_option(&out.via_step) && is_option(&out.via_workflows));
    assert_eq!(out.via_step, None);
    let s = server(&[("s1", "jump"), ("target", "t")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .branchy_child()
        .await
        .expect("child");
    assert_eq!(out.via_step, Some(200));

    // failGoto: target only runs when f1 fails.
    let s = server(&[("f1", "ok"), ("target", "t")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .fail_goto()
        .await
        .expect("f1 ok");
    assert!(is_option(&out.target_code));
    assert_eq!((out.f1code, out.target_code), (Some(200), None));

    // afterEarly: the dependency `early` ends (success `end`) before setting `code`.
    let s = server(&[("e1", "stop"), ("e2", "x"), ("afterEarly", "y")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .after_early()
        .await
        .expect("runs");
    assert_eq!(names(&calls(&s).await), vec!["e1", "afterEarly"]);
    assert!(is_option(&out.early_code));
    assert_eq!(out.early_code, None);

    // afterHop: `hop` hands over to `target` with a goto; its own output reads target.
    let s = server(&[("hop", "h"), ("target", "t"), ("afterHop", "y")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .after_hop()
        .await
        .expect("runs");
    assert_eq!(names(&calls(&s).await), vec!["hop", "target", "afterHop"]);
    assert_eq!(out.hop_target_code, 200);

    // neverRuns: reads a workflow that never runs in it.
    let s = server(&[("neverRuns", "n")]).await;
    let out = outputs::Client::new()
        .with_api_url(s.uri())
        .never_runs()
        .await
        .expect("runs");
    assert!(is_option(&out.target_code));
    assert_eq!(out.target_code, None);
}

// ---------------------------------------------------------------------------------------------
// Dependencies in another Arazzo document
// ---------------------------------------------------------------------------------------------

/// `dependsOn`: "If the workflow is defined in a separate Arazzo Document then the workflow MUST
/// be defined in the `sourceDescriptions` and the `workflowId` MUST be specified using a Runtime
/// Expression (e.g., `$sourceDescriptions.<name>.<workflowId>`)". The external `libdep` depends
/// (in its own document) on `prep`: `prep`, then `libdep`, then `w`.
#[tokio::test]
async fn external_dependency_runs_with_its_own_dependencies() {
    let server = server(&[("prep", "p"), ("libdep", "l"), ("w", "w"), ("mixed", "m")]).await;
    let client = xmain::Client::new().with_api_url(server.uri());
    client.w().await.expect("w runs");
    assert_eq!(names(&calls(&server).await), vec!["prep", "libdep", "w"]);
}

/// `mixed` depends on the external `prep` and on local `local`, whose step runs the external
/// `libdep` (which depends on `prep`). Every dependency completes before its dependent.
#[tokio::test]
async fn external_dependency_shared_with_a_local_childs_dependency() {
    let server = server(&[("prep", "p"), ("libdep", "l"), ("mixed", "m")]).await;
    let client = xmain::Client::new().with_api_url(server.uri());
    client.mixed().await.expect("mixed runs");
    let calls = calls(&server).await;
    assert!(position(&calls, "prep") < position(&calls, "libdep"));
    assert!(position(&calls, "libdep") < position(&calls, "mixed"));
    assert_eq!(count(&calls, "prep"), 1, "{:?}", names(&calls));
}
