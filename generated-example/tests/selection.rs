//! A workflow picked out of a document with a broken one (`Builder::workflows`) runs with
//! everything it reaches: its `dependsOn`, its child workflow, its goto target.

use generated_example::pick::{Client, PetReportInput};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::sequence;

async fn pet_server(pet: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(pet)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_selected_workflow_runs_its_dependency_and_its_child() {
    let server =
        pet_server(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Rex"}))).await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key_query("k");
    let output = client
        .pet_report(PetReportInput { pet_id: 7 })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.name.as_deref(), Some("Rex"));
    assert_eq!(sequence(&server).await, ["GET /health", "GET /pets/7"]);
}

#[tokio::test]
async fn a_child_that_fails_hands_over_to_the_recovery_workflow() {
    // The child `read-pet` fails on the 404, so step `detail` fails and its `goto` runs
    // `recover`; that path never sets `name`.
    let server = pet_server(ResponseTemplate::new(404)).await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key_query("k");
    let output = client
        .pet_report(PetReportInput { pet_id: 7 })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.name, None);
    assert_eq!(
        sequence(&server).await,
        ["GET /health", "GET /pets/7", "GET /health"]
    );
}

#[tokio::test]
async fn the_goto_target_is_generated_too() {
    let server = pet_server(ResponseTemplate::new(404)).await;
    let client = Client::new().with_pets_url(server.uri());
    let output = client.recover().await;
    assert!(output.is_ok(), "{output:?}");
    assert_eq!(sequence(&server).await, ["GET /health"]);
}
