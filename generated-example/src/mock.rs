//! An in-process stand-in for the Twilio APIs the example calls, answering as Twilio does (201
//! with a resource SID on creation): what `cargo run -p generated-example` runs against by
//! default, and the server of the run-time benchmark.

use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The stand-in, keeping a log of the requests it receives.
pub async fn twilio() -> MockServer {
    serve(MockServer::start().await).await
}

/// The stand-in without a log of requests, so that it costs the same on every request (for
/// benchmarks).
pub async fn twilio_unrecorded() -> MockServer {
    serve(
        MockServer::builder()
            .disable_request_recording()
            .start()
            .await,
    )
    .await
}

async fn serve(server: MockServer) -> MockServer {
    let routes: [(&str, &str, u16, Value); 6] = [
        (
            "POST",
            r"^/v1/Conversations$",
            201,
            json!({"sid": "CH00000000000000000000000000000001", "friendly_name": "Support thread", "state": "active"}),
        ),
        (
            "POST",
            r"^/v1/Conversations/[^/]+/Webhooks$",
            201,
            json!({"sid": "WH00000000000000000000000000000002", "target": "webhook"}),
        ),
        (
            "GET",
            r"^/v1/Configuration/Webhooks$",
            200,
            json!({"post_webhook_url": null, "method": "POST", "filters": []}),
        ),
        (
            "POST",
            r"^/v1/Configuration/Webhooks$",
            200,
            json!({"post_webhook_url": "https://hooks.example.com/twilio", "method": "POST"}),
        ),
        (
            "POST",
            r"^/v1/Assistants/[^/]+/Webhooks$",
            201,
            json!({"sid": "UM00000000000000000000000000000003"}),
        ),
        (
            "POST",
            r"^/v2/Services/[^/]+/Channels/[^/]+/Webhooks$",
            201,
            json!({"sid": "WH00000000000000000000000000000004"}),
        ),
    ];
    for (verb, route, status, body) in routes {
        Mock::given(method(verb))
            .and(path_regex(route))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
    }
    server
}
