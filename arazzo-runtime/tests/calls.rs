//! Requests as a server receives them: paths, queries, headers, bodies and credentials, built
//! through the calls generated code makes.

use arazzo_runtime::__private::{
    self as rt, Auth, Basic, ClientSettings, ContentType, FieldEncoding, KeyLocation, Param,
    Secret, Style,
};
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
    let settings = ClientSettings::default();
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
        let mut call = rt::get("wf", "step", "/pets/{petId}/photos");
        call.param(Param::path("petId", "$inputs.petId"), Some(json!(value)))
            .unwrap();
        call.send(&settings, &server.uri(), &[]).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), expected, "{value}");
        assert_eq!(request.url.query(), None, "{value}");
    }
    for dots in [".", ".."] {
        let mut call = rt::get("wf", "step", "/pets/{petId}");
        let err = call
            .param(Param::path("petId", "$inputs.petId"), Some(json!(dots)))
            .unwrap_err();
        assert!(
            matches!(&err, Error::PathValue { parameter: "petId", value, .. } if value == dots),
            "{err:?}"
        );
        assert!(err.to_string().contains("would change the path"), "{err}");
    }
}

#[tokio::test]
async fn header_values_with_line_breaks_are_never_sent() {
    let mut call = rt::get("wf", "attach", "/");
    let header = Param::header("X-Trace", "$inputs.trace");
    let err = call
        .param(header, Some(json!("a\r\nX-Admin: true")))
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidHeader { header, step: "attach", .. } if header == "X-Trace"),
        "{err:?}"
    );
    let err = call.param(header, Some(json!("a\nb"))).unwrap_err();
    assert!(matches!(err, Error::InvalidHeader { .. }));
}

#[tokio::test]
async fn cookie_values_that_cannot_be_sent_are_errors_not_dropped() {
    let mut call = rt::get("wf", "s", "/");
    for bad in ["a;b", "a\nb", "a\u{1}b"] {
        let err = call
            .param(
                Param::cookie("session", "$inputs.session"),
                Some(json!(bad)),
            )
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidHeader { header, .. } if header == "Cookie session"),
            "{bad}: {err:?}"
        );
    }
}

#[tokio::test]
async fn missing_required_values_name_the_expression() {
    let mut call = rt::post("wf", "attach", "/");
    let err = call
        .param(
            Param::path("ConversationSid", "$steps.create.outputs.sid"),
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow `wf`, step `attach`: required path parameter `ConversationSid` has no value (from `$steps.create.outputs.sid`)"
    );
    assert!(
        call.param(Param::query("limit", "$inputs.limit"), None)
            .is_ok()
    );
    assert!(
        call.param(Param::query("limit", "$inputs.limit").required(), None)
            .is_err()
    );
}

#[tokio::test]
async fn form_bodies_queries_headers_and_basic_auth_arrive_exactly() {
    let server = server(201, json!({"sid": "WH123"})).await;
    let settings = ClientSettings::default();
    let basic = Basic::new("AC123", "token");
    let mut call = rt::post("wf", "attach", "/v2/Services/{ServiceSid}/Webhooks");
    call.param(Param::path("ServiceSid", ""), Some(json!("IS1")))
        .unwrap();
    call.param(Param::query("PageSize", ""), Some(json!(20)))
        .unwrap();
    call.param(Param::query("Tag", ""), Some(json!(["a b", "c"])))
        .unwrap();
    call.param(Param::query("Absent", ""), None).unwrap();
    call.param(
        Param::header("X-Twilio-Webhook-Enabled", ""),
        Some(json!(true)),
    )
    .unwrap();
    call.form(
        ContentType::new("application/x-www-form-urlencoded"),
        // Keys in sorted order: the order objects keep with or without `preserve_order`.
        json!({"Configuration.Filters": ["onMessageAdded", "onMessageRemoved"], "Configuration.Url": "https://example.test/hook?x=1", "Type": "webhook"}),
        &[("Unused", FieldEncoding { style: Style::Form, explode: false })],
    );
    let exchange = call
        .send(&settings, &server.uri(), &[Auth::Basic(&basic)])
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
        "Configuration.Filters=onMessageAdded&Configuration.Filters=onMessageRemoved&Configuration.Url=https%3A%2F%2Fexample.test%2Fhook%3Fx%3D1&Type=webhook"
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
    let settings = ClientSettings::default();
    let token = Secret::new("tok");
    let key = Secret::new("k3y");
    let call = rt::get("wf", "s", "/items");
    call.send(
        &settings,
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
async fn a_missing_credential_names_its_scheme_and_setter() {
    let empty = rt::Credential::bearer("oauth", "with_oauth");
    let call = rt::get("wf", "list", "/items");
    let err = call.credential(&empty).unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow `wf`, step `list`: the operation requires `oauth` credentials; set them on the client with `with_oauth`"
    );
}

#[tokio::test]
async fn json_and_text_bodies_and_failed_criteria() {
    let server = server(404, json!({"code": 20404, "message": "not found"})).await;
    let settings = ClientSettings::default();
    let mut call = rt::put("wf", "get", "/pets/1");
    call.json(
        ContentType::new("application/json"),
        json!({"age": 3, "name": "Rex", "tags": ["a"]}),
    );
    let exchange = call.send(&settings, &server.uri(), &[]).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"age":3,"name":"Rex","tags":["a"]}"#
    );
    assert!(!exchange.is_success());
    let criterion = rt::Criterion::new(
        "$statusCode == 200",
        rt::Location::new("flow.arazzo.yaml", 12, 9),
    );
    assert!(!exchange.holds(&criterion, exchange.status == 200));
    let err = exchange.failed(&criterion);
    assert_eq!(
        err.to_string(),
        r#"workflow `wf`, step `get`: criterion `$statusCode == 200` (flow.arazzo.yaml:12:9) did not hold; status 404, body: {"code":20404,"message":"not found"}"#
    );

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("plain"))
        .mount(&server)
        .await;
    let mut call = rt::post("wf", "note", "/notes");
    call.text(ContentType::new("text/plain"), json!("hello"));
    let exchange = call.send(&settings, &server.uri(), &[]).await.unwrap();
    assert_eq!(exchange.response_body(), Some(&json!("plain")));
    let request = only_request(&server).await;
    assert_eq!(String::from_utf8_lossy(&request.body), "hello");
}

#[tokio::test]
async fn a_content_type_that_cannot_be_a_header_is_refused_not_sent() {
    // Checked when the constant is compiled; the request is refused when sent.
    const BROKEN: ContentType = ContentType::new("text/plain\r\nX-Admin: yes");
    let server = server(200, json!({})).await;
    let mut call = rt::post("wf", "note", "/notes");
    call.text(BROKEN, json!("hello"));
    let err = call
        .send(&ClientSettings::default(), &server.uri(), &[])
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow `wf`, step `note`: the value of header `Content-Type` contains a line break or another character a header cannot carry, so the request was not sent; check the value the step gives it"
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn a_request_hook_sees_and_changes_every_request() {
    let server = server(200, json!({})).await;
    let mut settings = ClientSettings::default();
    settings.set_request_hook(|request: &mut reqwest::Request| {
        request
            .headers_mut()
            .insert("x-signed", reqwest::header::HeaderValue::from_static("yes"));
    });
    let call = rt::get("wf", "s", "/x");
    call.send(&settings, &server.uri(), &[]).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request
            .headers
            .get("x-signed")
            .and_then(|v| v.to_str().ok()),
        Some("yes")
    );
    assert!(format!("{settings:?}").contains("SharedHook"));
}
