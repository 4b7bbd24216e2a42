//! Requests as a server receives them: paths, queries, headers, bodies and credentials.

use arazzo_runtime::auth::{Auth, Basic, KeyLocation, Secret};
use arazzo_runtime::encode::{FieldEncoding, Style};
use arazzo_runtime::http::Call;
use arazzo_runtime::reqwest::Method;
use arazzo_runtime::{Error, serde_json::json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    requests
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no request"))
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = server(200, json!({})).await;
    let http = reqwest::Client::new();
    for (value, expected) in [
        ("../admin", "/pets/..%2Fadmin/photos"),
        ("a/b?c#d", "/pets/a%2Fb%3Fc%23d/photos"),
        ("sp ace", "/pets/sp%20ace/photos"),
        ("ünï", "/pets/%C3%BCn%C3%AF/photos"),
    ] {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let mut call = Call::new("wf", "step", Method::GET, "/");
        call.path("/pets/");
        call.path_param(
            "petId",
            Some(json!(value)),
            Style::Simple,
            false,
            "$inputs.petId",
        )
        .unwrap();
        call.path("/photos");
        call.send(&http, &server.uri(), &[], None).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), expected, "{value}");
        assert_eq!(request.url.query(), None, "{value}");
    }
    for dots in [".", ".."] {
        let mut call = Call::new("wf", "step", Method::GET, "/");
        call.path("/pets/");
        let err = call
            .path_param(
                "petId",
                Some(json!(dots)),
                Style::Simple,
                false,
                "$inputs.petId",
            )
            .unwrap_err();
        assert!(err.to_string().contains("would change the path"), "{err}");
    }
}

#[tokio::test]
async fn header_values_with_line_breaks_are_never_sent() {
    let mut call = Call::new("wf", "attach", Method::GET, "/");
    let err = call
        .header(
            "X-Trace",
            Some(json!("a\r\nX-Admin: true")),
            false,
            false,
            "$inputs.trace",
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidHeader { header, step: "attach", .. } if header == "X-Trace"),
        "{err:?}"
    );
    let err = call
        .header(
            "X-Trace",
            Some(json!("a\nb")),
            false,
            false,
            "$inputs.trace",
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidHeader { .. }));
}

#[tokio::test]
async fn missing_required_values_name_the_expression() {
    let mut call = Call::new("wf", "attach", Method::POST, "/");
    let err = call
        .path_param(
            "ConversationSid",
            None,
            Style::Simple,
            false,
            "$steps.create.outputs.sid",
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow `wf`, step `attach`: required path parameter `ConversationSid` has no value (from `$steps.create.outputs.sid`)"
    );
    assert!(
        call.query("limit", None, Style::Form, true, false, "$inputs.limit")
            .is_ok()
    );
}

#[tokio::test]
async fn form_bodies_queries_headers_and_basic_auth_arrive_exactly() {
    let server = server(201, json!({"sid": "WH123"})).await;
    let http = reqwest::Client::new();
    let basic = Basic::new("AC123", "token");
    let mut call = Call::new("wf", "attach", Method::POST, "/");
    call.path("/v2/Services/");
    call.path_param("ServiceSid", Some(json!("IS1")), Style::Simple, false, "")
        .unwrap();
    call.path("/Webhooks");
    call.query("PageSize", Some(json!(20)), Style::Form, true, false, "")
        .unwrap();
    call.query(
        "Tag",
        Some(json!(["a b", "c"])),
        Style::Form,
        true,
        false,
        "",
    )
    .unwrap();
    call.query("Absent", None, Style::Form, true, false, "")
        .unwrap();
    call.header(
        "X-Twilio-Webhook-Enabled",
        Some(json!(true)),
        false,
        false,
        "",
    )
    .unwrap();
    call.form(
        "application/x-www-form-urlencoded",
        json!({"Type": "webhook", "Configuration.Url": "https://example.test/hook?x=1", "Configuration.Filters": ["onMessageAdded", "onMessageRemoved"]}),
        &[("Unused", FieldEncoding { style: Style::Form, explode: false })],
    );
    let exchange = call
        .send(&http, &server.uri(), &[Auth::Basic(&basic)], None)
        .await
        .unwrap();
    assert_eq!(exchange.status, 201);
    assert_eq!(exchange.response_body(), Some(&json!({"sid": "WH123"})));
    assert_eq!(exchange.request_query("PageSize"), Some(json!("20")));
    assert_eq!(exchange.request_path("ServiceSid"), Some(json!("IS1")));
    assert_eq!(
        exchange.request_header("x-twilio-webhook-enabled"),
        Some(json!("true"))
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v2/Services/IS1/Webhooks");
    assert_eq!(request.url.query(), Some("PageSize=20&Tag=a%20b&Tag=c"));
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "Type=webhook&Configuration.Url=https%3A%2F%2Fexample.test%2Fhook%3Fx%3D1&Configuration.Filters=onMessageAdded&Configuration.Filters=onMessageRemoved"
    );
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header("x-twilio-webhook-enabled").as_deref(), Some("true"));
    // base64("AC123:token")
    assert_eq!(
        header("authorization").as_deref(),
        Some("Basic QUMxMjM6dG9rZW4=")
    );
}

#[tokio::test]
async fn bearer_and_api_keys() {
    let server = server(200, json!([])).await;
    let http = reqwest::Client::new();
    let token = Secret::new("tok");
    let key = Secret::new("k3y");
    let mut call = Call::new("wf", "s", Method::GET, "/");
    call.path("/items");
    call.send(
        &http,
        &format!("{}/", server.uri()),
        &[
            Auth::Bearer(&token),
            Auth::ApiKey {
                location: KeyLocation::Query,
                name: "api_key",
                key: &key,
            },
            Auth::ApiKey {
                location: KeyLocation::Header,
                name: "X-Key",
                key: &key,
            },
            Auth::ApiKey {
                location: KeyLocation::Cookie,
                name: "session",
                key: &key,
            },
        ],
        None,
    )
    .await
    .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/items");
    assert_eq!(request.url.query(), Some("api_key=k3y"));
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("authorization").as_deref(), Some("Bearer tok"));
    assert_eq!(header("x-key").as_deref(), Some("k3y"));
    assert_eq!(header("cookie").as_deref(), Some("session=k3y"));
}

#[tokio::test]
async fn json_and_text_bodies_and_failed_criteria() {
    let server = server(404, json!({"code": 20404, "message": "not found"})).await;
    let http = reqwest::Client::new();
    let mut call = Call::new("wf", "get", Method::PUT, "/");
    call.path("/pets/1");
    call.json(
        "application/json",
        json!({"name": "Rex", "tags": ["a"], "age": 3}),
    );
    let exchange = call.send(&http, &server.uri(), &[], None).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"name":"Rex","tags":["a"],"age":3}"#
    );
    assert!(!exchange.is_success());
    let err = exchange.criterion_failed("$statusCode == 200", "flow.arazzo.yaml:12:9");
    assert_eq!(
        err.to_string(),
        r#"workflow `wf`, step `get`: criterion `$statusCode == 200` (flow.arazzo.yaml:12:9) did not hold; status 404, body: {"code":20404,"message":"not found"}"#
    );

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("plain"))
        .mount(&server)
        .await;
    let mut call = Call::new("wf", "note", Method::POST, "/");
    call.path("/notes");
    call.text("text/plain", json!("hello"));
    let exchange = call.send(&http, &server.uri(), &[], None).await.unwrap();
    assert_eq!(exchange.response_body(), Some(&json!("plain")));
    let request = only_request(&server).await;
    assert_eq!(String::from_utf8_lossy(&request.body), "hello");
}

#[tokio::test]
async fn a_request_hook_sees_and_changes_every_request() {
    use arazzo_runtime::http::RequestHook;
    let server = server(200, json!({})).await;
    let http = reqwest::Client::new();
    let hook = RequestHook::new(|request: &mut reqwest::Request| {
        request
            .headers_mut()
            .insert("x-signed", reqwest::header::HeaderValue::from_static("yes"));
    });
    let mut call = Call::new("wf", "s", Method::GET, "/");
    call.path("/x");
    call.send(&http, &server.uri(), &[], Some(&hook))
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request
            .headers
            .get("x-signed")
            .and_then(|v| v.to_str().ok()),
        Some("yes")
    );
    assert_eq!(format!("{hook:?}"), "RequestHook");
}
