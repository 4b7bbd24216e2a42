//! What a user debugging a workflow sees in the trace: each criterion with its result, each
//! action taken, each request with its status; never a credential.

use arazzo_runtime::Sleeper;
use generated_example::control_flow::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::Captured;

#[tokio::test(flavor = "current_thread")]
async fn criteria_actions_and_requests_are_traced_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 1})))
        .mount(&server)
        .await;
    let client = Client::new()
        .with_jobs_url(server.uri())
        .with_sleeper(Sleeper::new(|_| async {}))
        .with_request_hook(|request| {
            request.headers_mut().insert(
                "authorization",
                "Bearer s3cr3t-token"
                    .parse()
                    .unwrap_or_else(|_| unreachable!()),
            );
        });
    client.fetch_report().await.unwrap();

    let text = String::from_utf8_lossy(&captured.0.lock().map(|v| v.clone()).unwrap_or_default())
        .into_owned();
    for expected in [
        r#"criterion evaluated workflow="fetch-report" step="report" criterion="$statusCode == 200" holds=false"#,
        r#"criterion evaluated workflow="fetch-report" step="report" criterion="^(429|503)$" holds=true"#,
        r#"action taken workflow="fetch-report" step="report" action="back-off" kind="retry""#,
        r#"criterion evaluated workflow="fetch-report" step="report" criterion="$statusCode == 200" holds=true"#,
        r#"action taken workflow="fetch-report" step="report" action="done" kind="end""#,
        "arazzo.workflow{workflow=\"fetch-report\"}",
        // Each attempt of a step is a span of its own, inside the workflow's.
        "arazzo.workflow{workflow=\"fetch-report\"}:arazzo.step{step=\"report\"}",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("s3cr3t"),
        "a secret reached the trace:\n{text}"
    );
}
