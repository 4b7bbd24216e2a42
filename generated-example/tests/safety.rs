//! Run-time safety against servers that misbehave on purpose: one that never answers, one that
//! stops in the middle of a body, one that sends more than the limit, one that asks for a retry
//! years away, one whose JSON is not JSON. Each run ends, within a bounded time, with a typed
//! error naming the step (and the limit it met).

use std::time::{Duration, Instant};

use arazzo_runtime::{Error, Limits, Sleeper};
use generated_example::control_flow::Client;
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::Echo;

/// What the fault server does once it has read a request.
#[derive(Clone, Copy)]
enum Fault {
    /// Reads the request and never answers.
    Silent,
    /// Sends the status line, headers and the start of the body, then nothing.
    StallsInBody,
    /// Sends a chunked body without `Content-Length`, far larger than any limit, as fast as
    /// it is read.
    EndlessBody,
    /// Sends a chunked body a byte every 50 ms: never silent for long, never done.
    Dribbles,
}

/// A loopback server that answers every connection with `fault`; its base URL.
async fn fault_server(fault: Fault) -> String {
    common::raw_server(move |mut socket| async move {
        match fault {
            Fault::Silent => tokio::time::sleep(Duration::from_secs(60)).await,
            Fault::StallsInBody => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"rows\":";
                let _ = socket.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
            Fault::EndlessBody => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {}
            }
            Fault::Dribbles => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                while socket.write_all(b"1\r\n \r\n").await.is_ok() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    })
    .await
}

/// Runs `fetchReport` (one GET, a retry on failure) and how long it took.
async fn fetch_report(base: &str, limits: Limits) -> (Result<Option<i64>, Error>, Duration) {
    let client = Client::new()
        .with_jobs_url(base)
        .with_limits(limits)
        .with_sleeper(Sleeper::recording().0);
    let start = Instant::now();
    let result = client.fetch_report().await.map(|o| o.rows);
    (result, start.elapsed())
}

#[tokio::test]
async fn a_server_that_never_answers_meets_the_request_time_limit() {
    let base = fault_server(Fault::Silent).await;
    let limits = Limits::default().with_request_timeout(Some(Duration::from_millis(300)));
    let (result, took) = fetch_report(&base, limits).await;
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TimeLimit {
                step: "report",
                what: "the request",
                limit_ms: 300,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "workflow `fetch-report`, step `report`: the request took longer than the client's limit of 300 ms"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_body_that_keeps_dribbling_meets_the_request_time_limit() {
    let base = fault_server(Fault::Dribbles).await;
    let limits = Limits::default().with_request_timeout(Some(Duration::from_millis(300)));
    // The body never ends: without the limit, this test would wait forever.
    let (result, took) = tokio::time::timeout(Duration::from_secs(10), fetch_report(&base, limits))
        .await
        .unwrap_or_else(|_| panic!("the request time limit did not end the body's read"));
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TimeLimit {
                what: "the request",
                limit_ms: 300,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_meets_the_read_stall_bound() {
    let base = fault_server(Fault::StallsInBody).await;
    let limits = Limits::default().with_read_stall(Some(Duration::from_millis(300)));
    let (result, took) = fetch_report(&base, limits).await;
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TimeLimit {
                what: "a silence in the response",
                limit_ms: 300,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "workflow `fetch-report`, step `report`: a silence in the response took longer than the client's limit of 300 ms"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_not_read_on() {
    let base = fault_server(Fault::EndlessBody).await;
    let limits = Limits::default().with_max_body_bytes(Some(1024 * 1024));
    let (result, took) = fetch_report(&base, limits).await;
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                step: "report",
                limit_bytes: 1_048_576,
                content_length: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "workflow `fetch-report`, step `report`: the response body is larger than the client's limit of 1048576 bytes"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;
    let limits = Limits::default().with_max_body_bytes(Some(1000));
    let (result, _) = fetch_report(&server.uri(), limits).await;
    let error = result.unwrap_err();
    assert_eq!(
        error.to_string(),
        "workflow `fetch-report`, step `report`: the response body is larger than the client's limit of 1000 bytes (it declared 4096 bytes)"
    );
}

#[tokio::test]
async fn a_retry_asked_for_years_away_stops_the_run_instead_of_waiting() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "99999999"))
        .mount(&server)
        .await;
    // The real timer: a wait that were not refused would hold the test.
    let client = Client::new().with_jobs_url(server.uri());
    let start = Instant::now();
    let error = client.fetch_report().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::RetryDelay {
                step: "report",
                asked_ms: 99_999_999_000,
                limit_ms: 300_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "workflow `fetch-report`, step `report`: a retry was asked to wait 99999999000 ms (by the response's Retry-After), longer than the client's limit of 300000 ms"
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn without_limits_a_slow_answer_is_awaited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"rows": 2}))
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let strict = Limits::default().with_request_timeout(Some(Duration::from_millis(100)));
    let (result, _) = fetch_report(&server.uri(), strict).await;
    assert!(matches!(result, Err(Error::TimeLimit { .. })), "{result:?}");
    let (result, _) = fetch_report(&server.uri(), Limits::unbounded()).await;
    assert_eq!(result.unwrap(), Some(2));
}

#[tokio::test]
async fn a_body_that_is_not_its_content_type_fails_the_step_that_received_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/Conversations"))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw("{\"sid\": \"CH01\",", "application/json"),
        )
        .mount(&server)
        .await;
    let error = start_conversation(&server, "secret").await.unwrap_err();
    // Not "required path parameter `ConversationSid` has no value" at the next step.
    assert!(
        matches!(
            &error,
            Error::Decode { step: "createConversation", line: 1, column: 15, content_type, .. }
                if content_type == "application/json"
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "workflow `create-conversation-with-webhook`, step `createConversation`: the response body is not valid `application/json` (EOF while parsing an object at line 1 column 15); body: {\"sid\": \"CH01\","
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
}

/// Runs the seed workflow against `server` with account `ACtest` and `token`.
async fn start_conversation(
    server: &MockServer,
    token: &str,
) -> arazzo_runtime::Result<generated_example::conversations::CreateConversationWithWebhookOutput> {
    use generated_example::conversations;
    conversations::Client::new()
        .with_conversations_url(server.uri())
        .with_account_sid_auth_token("ACtest", token)
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: None,
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: "https://hooks.example.test/events".to_owned(),
            configuration_method: None,
        })
        .await
}

#[tokio::test]
async fn credentials_a_server_echoes_are_not_in_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let error = start_conversation(&server, "s3cret-token")
        .await
        .unwrap_err();
    let (text, debug) = (error.to_string(), format!("{error:?}"));
    // The echo is there, the credentials are not: neither the token nor its Basic encoding.
    assert!(text.contains("authorization: ***"), "{text}");
    for secret in ["s3cret-token", "QUN0ZXN0OnMzY3JldC10b2tlbg=="] {
        assert!(
            !text.contains(secret) && !debug.contains(secret),
            "{secret}: {debug}"
        );
    }
}

#[tokio::test]
async fn api_keys_a_server_echoes_are_not_in_the_error() {
    use generated_example::requests::{AdoptPetInput, Client};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key("key-header-1")
        .with_api_key_query("key-query-2")
        .with_bearer("tok-bearer-3");
    let error = client
        .adopt_pet(AdoptPetInput {
            name: "Rex".to_owned(),
            run_id: "r1".to_owned(),
            tag: None,
            limit: None,
            owner_id: None,
            when: None,
        })
        .await
        .unwrap_err();
    let (text, debug) = (error.to_string(), format!("{error:?}"));
    assert!(text.contains("x-api-key: ***"), "{text}");
    for secret in ["key-header-1", "key-query-2", "tok-bearer-3"] {
        assert!(
            !text.contains(secret) && !debug.contains(secret),
            "{secret}: {debug}"
        );
    }
}

#[tokio::test]
async fn a_documents_own_key_is_a_credential_too() {
    use generated_example::requests::{Client, ReadWithOwnKeyInput};
    let input = || ReadWithOwnKeyInput {
        key: "own-key-77".to_owned(),
        pet_id: 4,
    };
    // Echoed in a body.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let client = Client::new().with_pets_url(server.uri());
    let error = client.read_with_own_key(input()).await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("api_key=***"), "{text}");
    assert!(!format!("{error:?}").contains("own-key-77"), "{error:?}");
    // In the URL of a transport error (nothing listens on the port).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let client = Client::new().with_pets_url(format!("http://127.0.0.1:{port}"));
    let error = client.read_with_own_key(input()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let (text, debug) = (error.to_string(), format!("{error:?}"));
    assert!(text.contains("api_key=***"), "{text}");
    assert!(
        !text.contains("own-key-77") && !debug.contains("own-key-77"),
        "{debug}"
    );
}
