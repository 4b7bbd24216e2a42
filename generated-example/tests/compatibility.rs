//! A document written in other runners' shorthands, generated with lenient compatibility, runs
//! as its specification forms would.

use generated_example::compat::{Client, MakePetInput, ReadMadePetInput};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{header, sequence};

#[tokio::test]
async fn shorthands_run_as_their_specification_forms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(json!({"name": "Rex"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 42, "name": "Rex"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42, "name": "Rex"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .and(body_json(json!({"kind": "report"})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": "j1"})))
        .mount(&server)
        .await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_jobs_url(server.uri());
    let output = client
        .read_made_pet(ReadMadePetInput { name: "Rex".into() })
        .await
        .unwrap();
    // `$steps.read.outputs.name`: step `read` declares no output, so it is absent.
    assert_eq!(output.name, serde_json::Value::Null);
    // Optional: when `read-first` fails, the run hands over to another workflow and ends
    // normally without it.
    assert_eq!(output.first_name.as_deref(), Some("Rex"));
    // The dependency, the child workflow, two reads of the pet they made (through the step's
    // implied output and through `$dependencies`), a health check, the other document's
    // workflow.
    assert_eq!(
        sequence(&server).await,
        [
            "POST /pets",
            "POST /pets",
            "GET /pets/42",
            "GET /pets/42",
            "GET /health",
            "POST /jobs"
        ]
    );
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        requests
            .iter()
            .filter(|r| r.url.path().starts_with("/pets"))
            .all(|r| header(r, "authorization").as_deref() == Some("Bearer shorthand")),
        "the document's own credential is sent"
    );
}

#[tokio::test]
async fn a_pointer_without_its_slash_and_a_plural_headers_part_read_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-Request-Id", "req-7")
                .set_body_json(json!({"id": 42, "name": "Rex"})),
        )
        .mount(&server)
        .await;
    let output = Client::new()
        .with_pets_url(server.uri())
        .make_pet(MakePetInput { name: "Rex".into() })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // `$response.body#name` and `$response.headers.X-Request-Id`.
    assert_eq!(output.name, "Rex");
    assert_eq!(output.request_id.as_deref(), Some("req-7"));
}

#[tokio::test]
async fn x_operation_steps_are_plain_requests_to_their_url() {
    use generated_example::x_operation::{BadgeForPetInput, Client as PlainClient};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Rex"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/badges/7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"url": "https://b.example/7.svg"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/announcements"))
        .and(body_json(
            json!({"text": "Rex has a badge", "badge": "https://b.example/7.svg"}),
        ))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let output = PlainClient::new()
        .with_pets_url(server.uri())
        .with_api_key_query("k")
        .with_badges_example_com_url(server.uri())
        .badge_for_pet(BadgeForPetInput { pet_id: 7 })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // No schema describes the response: the output is the JSON value.
    assert_eq!(output.badge, json!("https://b.example/7.svg"));
    let requests = server.received_requests().await.unwrap_or_default();
    let badge = requests
        .iter()
        .find(|r| r.url.path() == "/v1/badges/7")
        .unwrap_or_else(|| panic!("no badge request"));
    assert_eq!(badge.url.query(), Some("style=flat"));
}

/// The faults of `fixtures/compat/faulty.openapi.yaml`, read as other tools read them: `lang`
/// (no `schema`) a string, `fields` (`style: matrix` in a query) a form, `title` required.
#[tokio::test]
async fn openapi_faults_read_leniently_reach_the_server_as_their_readings_say() {
    use generated_example::openapi_faults::{Client, MakeFormInput};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/forms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 2})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/forms"))
        .and(body_json(json!({"title": "Survey"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "f-1"})))
        .mount(&server)
        .await;
    let output = Client::new()
        .with_faulty_url(server.uri())
        .make_form(MakeFormInput {
            title: "Survey".to_owned(),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.id.as_deref(), Some("f-1"));
    assert_eq!(output.items_0_id.as_deref(), Some("f-1"));
    let requests = server.received_requests().await.unwrap_or_default();
    let query = requests
        .first()
        .and_then(|r| r.url.query().map(str::to_owned))
        .unwrap_or_default();
    // A form, exploded, as a query parameter without a style is.
    assert_eq!(query, "lang=en&fields=title&fields=note");
    assert_eq!(sequence(&server).await, ["GET /forms", "POST /forms"]);
}
