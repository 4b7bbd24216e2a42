//! Code generated from real third-party documents, run against mocks of their APIs.
#![cfg(upstream_fixtures)]

use generated_example::upstream::wso2_goto_and_end::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn wso2_goto_on_success_skips_a_step() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pet"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 55501, "name": "GotoTestPet", "photoUrls": []})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/pet/55501"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::new().with_petstore_url(server.uri());
    let output = client.goto_on_success().await.unwrap();
    assert_eq!(output.created_pet_id, Some(55501));
    assert_eq!(output.inventory_was_skipped, None);
    let seen: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(seen, ["POST /pet", "DELETE /pet/55501"]);
}
