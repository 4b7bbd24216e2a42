//! In-process stand-ins for the APIs the example calls: Twilio's, answering as Twilio does (201
//! with a resource SID on creation), and the Kennel API with its OAuth 2 token endpoint. What
//! `cargo run -p generated-example` runs against by default, and the server of the run-time
//! benchmark.

use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, path_regex};
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

/// The token a client gets from the Kennel stand-in's token endpoint (`POST /token`).
pub const KENNEL_TOKEN: &str = "kennel-mock-access-token";

/// The Kennel API and its token endpoint, on one server: tokens for the client credentials
/// grant, and pets only for requests that carry one.
pub async fn kennel() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": KENNEL_TOKEN,
            "token_type": "Bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    let bearer = format!("Bearer {KENNEL_TOKEN}");
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "p2", "name": "Tom", "kind": "cat"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "p1", "name": "Rex", "kind": "dog"},
            {"id": "p2", "name": "Tom", "kind": "cat"},
        ])))
        .mount(&server)
        .await;
    server
}
