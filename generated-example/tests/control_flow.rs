//! Branching, polling, retries, nested workflows and dependencies, as the server sees them.

use std::time::Duration;

use arazzo_runtime::Error;
use arazzo_runtime::Sleeper;
use generated_example::control_flow::{
    Client, HandOverInput, NestedInput, RecoverInput, RunJobInput,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{header, sequence};

async fn job_server(states: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"id": "j1", "state": "queued"})),
        )
        .mount(&server)
        .await;
    // Each state answers once, in order; the last one answers forever.
    for (i, state) in states.iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path("/jobs/j1"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"id": "j1", "state": state})),
            );
        let mock = if i + 1 < states.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(&server).await;
    }
    Mock::given(method("DELETE"))
        .and(path("/jobs/j1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn polling_loops_back_until_the_job_is_done() {
    let server = job_server(&["queued", "running", "done"]).await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client
        .run_job(RunJobInput {
            kind: Some("export".to_owned()),
        })
        .await
        .unwrap();
    assert_eq!(output.id, "j1");
    assert_eq!(output.state, "done");
    assert_eq!(
        sequence(&server).await,
        ["POST /jobs", "GET /jobs/j1", "GET /jobs/j1", "GET /jobs/j1"]
    );
}

#[tokio::test]
async fn a_goto_forward_skips_to_cleanup() {
    let server = job_server(&["running", "failed"]).await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client.run_job(RunJobInput { kind: None }).await.unwrap();
    assert_eq!(output.state, "failed");
    assert_eq!(
        sequence(&server).await,
        [
            "POST /jobs",
            "GET /jobs/j1",
            "GET /jobs/j1",
            "DELETE /jobs/j1"
        ]
    );
}

#[tokio::test]
async fn a_loop_that_never_ends_stops_at_the_step_budget() {
    let server = job_server(&["running"]).await;
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_step_budget(5);
    let err = client
        .run_job(RunJobInput { kind: None })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::StepBudgetExceeded {
                workflow: "run-job",
                step: "poll",
                budget: 5
            }
        ),
        "{err:?}"
    );
    assert_eq!(sequence(&server).await.len(), 5);
    assert_eq!(
        err.to_string(),
        "workflow `run-job`: the step budget of 5 is used up at step `poll` (a `goto` loop that never ends?); raise it with `with_step_budget`"
    );
}

async fn report_server(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 3})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "t1"})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_retry_runs_the_token_refresh_step_first() {
    let server = report_server(ResponseTemplate::new(401), 1).await;
    let (sleeper, delays) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    let output = client.fetch_report().await.unwrap();
    assert_eq!(output.rows, Some(3));
    assert_eq!(
        sequence(&server).await,
        ["GET /report", "POST /token", "GET /report"]
    );
    let requests = server.received_requests().await.unwrap_or_default();
    // The first attempt had no token yet: an absent value interpolates as nothing.
    assert_eq!(
        header(&requests[0], "authorization").as_deref(),
        Some("Bearer")
    );
    assert_eq!(
        header(&requests[2], "authorization").as_deref(),
        Some("Bearer t1")
    );
    assert_eq!(
        delays.lock().map(|d| d.clone()).unwrap_or_default(),
        [Duration::ZERO]
    );
}

#[tokio::test]
async fn retry_after_seconds_win_over_the_action_delay() {
    let server = report_server(
        ResponseTemplate::new(503).insert_header("Retry-After", "7"),
        2,
    )
    .await;
    let (sleeper, delays) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    assert_eq!(client.fetch_report().await.unwrap().rows, Some(3));
    assert_eq!(
        delays.lock().map(|d| d.clone()).unwrap_or_default(),
        [Duration::from_secs(7), Duration::from_secs(7)]
    );
    assert_eq!(sequence(&server).await.len(), 3);
}

#[tokio::test]
async fn retry_after_dates_win_too() {
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    let server = report_server(
        ResponseTemplate::new(429).insert_header("Retry-After", when.as_str()),
        1,
    )
    .await;
    let (sleeper, delays) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    client.fetch_report().await.unwrap();
    let delays = delays.lock().map(|d| d.clone()).unwrap_or_default();
    assert_eq!(delays.len(), 1);
    assert!(
        delays[0] > Duration::from_secs(25) && delays[0] <= Duration::from_secs(30),
        "{delays:?}"
    );
}

#[tokio::test]
async fn without_retry_after_the_action_delay_applies() {
    let server = report_server(ResponseTemplate::new(429), 1).await;
    let (sleeper, delays) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    client.fetch_report().await.unwrap();
    assert_eq!(
        delays.lock().map(|d| d.clone()).unwrap_or_default(),
        [Duration::from_millis(1500)]
    );
}

#[tokio::test]
async fn a_used_up_retry_limit_falls_through_to_the_workflow_failure_action() {
    let busy = ResponseTemplate::new(503).set_body_raw(r#"{"error":"busy"}"#, "application/json");
    let server = report_server(busy, 10).await;
    let (sleeper, delays) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    let err = client.fetch_report().await.unwrap_err();
    match &err {
        Error::Ended {
            workflow,
            step,
            action,
            status,
            body_excerpt,
            outputs,
        } => {
            assert_eq!(
                (*workflow, *step, *action, *status),
                ("fetch-report", "report", "stop", Some(503))
            );
            // Why the failure `end` was taken: the response it ended on.
            assert_eq!(body_excerpt, r#"{"error":"busy"}"#);
            assert!(outputs.is_empty(), "{outputs:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        r#"workflow `fetch-report`, step `report`: ended by failure action `stop` (status 503, body: {"error":"busy"})"#
    );
    // One try and two retries (retryLimit: 2), then the workflow's `stop` action.
    assert_eq!(
        sequence(&server).await,
        ["GET /report", "GET /report", "GET /report"]
    );
    assert_eq!(delays.lock().map(|d| d.len()).unwrap_or_default(), 2);
}

#[tokio::test]
async fn dependencies_run_first_and_child_workflows_return_their_outputs() {
    let server = job_server(&["done"]).await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 12})))
        .mount(&server)
        .await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client
        .nested(NestedInput {
            kind: Some("backup".to_owned()),
        })
        .await
        .unwrap();
    assert_eq!(output.state, "done");
    assert_eq!(output.rows, Some(12));
    assert_eq!(
        sequence(&server).await,
        ["GET /report", "POST /jobs", "GET /jobs/j1"]
    );
    let requests = server.received_requests().await.unwrap_or_default();
    // The step's parameters became the child's inputs.
    assert_eq!(
        String::from_utf8_lossy(&requests[1].body),
        r#"{"kind":"backup"}"#
    );
}

#[tokio::test]
async fn a_failure_can_hand_over_to_another_workflow() {
    let server = job_server(&["done"]).await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client
        .hand_over(HandOverInput {
            kind: Some("rebuild".to_owned()),
        })
        .await
        .unwrap();
    assert_eq!(output.job.as_deref(), Some("done"));
    assert_eq!(
        sequence(&server).await,
        ["GET /report", "POST /jobs", "GET /jobs/j1"]
    );
    let requests = server.received_requests().await.unwrap_or_default();
    // The caller's inputs went to the workflow it handed over to, by name.
    assert_eq!(
        String::from_utf8_lossy(&requests[1].body),
        r#"{"kind":"rebuild"}"#
    );
}

#[tokio::test]
async fn a_workflow_of_another_arazzo_document_runs_as_a_step() {
    use generated_example::cross_document::{Client, StartAndCheckInput};
    let server = job_server(&["running"]).await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client
        .start_and_check(StartAndCheckInput {
            kind: "index".to_owned(),
        })
        .await
        .unwrap();
    // Typed through the other document's workflow and its response schema.
    assert_eq!(output.id, "j1");
    assert_eq!(output.state, "running");
    assert_eq!(sequence(&server).await, ["POST /jobs", "GET /jobs/j1"]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        r#"{"kind":"index"}"#
    );
}

#[tokio::test]
async fn workflows_of_documents_found_by_their_self_run_as_one() {
    use generated_example::by_identity::{Client, StartAndReadInput};
    let server = job_server(&["running"]).await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client
        .start_and_read(StartAndReadInput {
            kind: "index".to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(output.id, "j1");
    assert_eq!(output.state, "running");
    // `$self` is the document's absolute URI, as written.
    assert_eq!(
        output.document,
        "https://workflows.example.com/jobs/by-identity.arazzo.yaml"
    );
    assert_eq!(sequence(&server).await, ["POST /jobs", "GET /jobs/j1"]);
}

/// A server whose `POST /jobs` answers `first` `times` times, then 202; jobs are done at once;
/// `GET /report` answers 3 rows.
async fn refusing_job_server(first: u16, times: u64) -> MockServer {
    let server = job_server(&["done"]).await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(first))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 3})))
        .mount(&server)
        .await;
    server
}

fn recover_input() -> RecoverInput {
    RecoverInput {
        kind: Some("export".to_owned()),
    }
}

// Arazzo 1.0.1, Step Object, `onFailure`: "An array of failure action objects that specify
// what to do upon step failure." A step that runs a workflow fails when that workflow fails,
// and `$statusCode` is then the status of the child's last operation (docs/decisions.md).
#[tokio::test]
async fn a_failed_child_workflow_is_its_steps_failure_and_its_failure_actions_apply() {
    let server = refusing_job_server(409, 1).await;
    let client = Client::new().with_jobs_url(server.uri());
    let output = client.recover(recover_input()).await.unwrap();
    // The recovery path ran, and ended normally; it never set `state`, so the output is
    // absent instead of an error after the side effects.
    assert_eq!(output.state, None);
    assert_eq!(output.rows, Some(3));
    assert_eq!(sequence(&server).await, ["POST /jobs", "GET /report"]);
}

#[tokio::test]
async fn a_retry_of_a_step_whose_child_failed_runs_the_child_again() {
    let server = refusing_job_server(503, 1).await;
    let (sleeper, delays) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    let output = client.recover(recover_input()).await.unwrap();
    assert_eq!(output.state.as_deref(), Some("done"));
    assert_eq!(output.rows, None);
    assert_eq!(
        sequence(&server).await,
        ["POST /jobs", "POST /jobs", "GET /jobs/j1"]
    );
    assert_eq!(delays.lock().map(|d| d.len()).unwrap_or_default(), 1);
}

#[tokio::test]
async fn a_child_failure_no_action_handles_fails_the_run_with_the_childs_error() {
    let server = refusing_job_server(500, 1).await;
    let client = Client::new().with_jobs_url(server.uri());
    let err = client.recover(recover_input()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::CriterionFailed {
                workflow: "run-job",
                step: "create",
                status: 500,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sequence(&server).await, ["POST /jobs"]);
}

#[tokio::test]
async fn a_retried_child_that_fails_again_fails_the_run() {
    let server = refusing_job_server(503, 5).await;
    let (sleeper, _) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    let err = client.recover(recover_input()).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    // One try, one retry (retryLimit: 1), then no action applies.
    assert_eq!(sequence(&server).await, ["POST /jobs", "POST /jobs"]);
}

// Arazzo 1.0.1, Step Object, `successCriteria`: "A list of assertions to determine the success
// of the step". A step that runs a workflow and has none succeeds when the workflow does: the
// any-2xx rule is for operations (docs/decisions.md), and this child succeeds on a 404.
#[tokio::test]
async fn a_workflow_step_without_criteria_succeeds_when_its_child_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j1"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = Client::new().with_jobs_url(server.uri());
    client
        .confirm_deleted()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sequence(&server).await, ["GET /jobs/j1"]);
}

/// Answers in turn, the last one for ever.
struct InTurn(std::sync::Mutex<Vec<ResponseTemplate>>);

impl wiremock::Respond for InTurn {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        match self.0.lock() {
            Ok(mut left) if left.len() > 1 => left.remove(0),
            Ok(left) => left
                .first()
                .cloned()
                .unwrap_or_else(|| ResponseTemplate::new(500)),
            Err(_) => ResponseTemplate::new(500),
        }
    }
}

// Arazzo 1.0.1, Failure Action Object, `retryLimit`: "A non-negative integer indicating how many
// attempts to retry the step MAY be attempted before failing the overall step." Each round of
// the loop is an execution of the step of its own, with its own retry.
#[tokio::test]
async fn a_loop_retries_its_step_afresh_in_every_round() {
    let server = MockServer::start().await;
    let running =
        || ResponseTemplate::new(200).set_body_json(json!({"id": "j1", "state": "running"}));
    let hiccup = || ResponseTemplate::new(503);
    Mock::given(method("GET"))
        .and(path("/jobs/j1"))
        .respond_with(InTurn(std::sync::Mutex::new(vec![
            hiccup(),
            running(),
            hiccup(),
            running(),
            hiccup(),
            ResponseTemplate::new(200).set_body_json(json!({"id": "j1", "state": "done"})),
        ])))
        .mount(&server)
        .await;
    let (sleeper, _) = Sleeper::recording();
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(sleeper);
    let output = client
        .poll_through_hiccups()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.state, "done");
    assert_eq!(sequence(&server).await.len(), 6);
}
