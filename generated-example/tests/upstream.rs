//! Code generated from real third-party documents, run against mocks of their APIs.
#![cfg(upstream_fixtures)]

use std::time::Duration;

use arazzo_runtime::Error;
use arazzo_runtime::Sleeper;
use generated_example::upstream::{museum_api, wso2_goto_and_end, wso2_nested, wso2_retry};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::sequence;

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
    let client = wso2_goto_and_end::Client::new().with_petstore_url(server.uri());
    let output = client.goto_on_success().await.unwrap();
    assert_eq!(output.created_pet_id, Some(55501));
    assert_eq!(output.inventory_was_skipped, None);
    assert_eq!(sequence(&server).await, ["POST /pet", "DELETE /pet/55501"]);
}

/// A petstore whose pet 888888888 does not exist and whose pet 15 does.
async fn petstore_with_missing_pet() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pet/888888888"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pet/15"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 15, "name": "doggie", "photoUrls": []})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn wso2_retry_uses_its_limit_then_goes_to_the_fallback_step() {
    let server = petstore_with_missing_pet().await;
    let (sleeper, delays) = Sleeper::recording();
    let client = wso2_retry::Client::new()
        .with_petstore_url(server.uri())
        .with_sleeper(sleeper);
    let output = client.retry_then_goto_fallback().await.unwrap();
    // Every path that ends normally passes `fallbackStep`: the output is always there.
    assert_eq!(output.fallback_result, "doggie");
    assert_eq!(output.should_be_skipped_ran, None);
    // The first try and two retries (retryLimit: 2, retryAfter: 1), then `fallback_goto`
    // skips `shouldBeSkipped`.
    assert_eq!(
        sequence(&server).await,
        [
            "GET /pet/888888888",
            "GET /pet/888888888",
            "GET /pet/888888888",
            "GET /pet/15"
        ]
    );
    assert_eq!(
        delays.lock().map(|d| d.clone()).unwrap_or_default(),
        [Duration::from_secs(1), Duration::from_secs(1)]
    );
}

#[tokio::test]
async fn wso2_retry_then_end_is_a_failure_that_names_the_action() {
    let server = petstore_with_missing_pet().await;
    let (sleeper, _) = Sleeper::recording();
    let client = wso2_retry::Client::new()
        .with_petstore_url(server.uri())
        .with_sleeper(sleeper);
    let err = client.expect_error_retry_then_end().await.unwrap_err();
    match &err {
        Error::Ended {
            workflow,
            step,
            action,
            status,
            ..
        } => assert_eq!(
            (*workflow, *step, *action, *status),
            (
                "expect_error_retry_then_end",
                "tryGetPet",
                "give_up",
                Some(404)
            )
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(sequence(&server).await.len(), 3, "no request after `end`");
}

/// A petstore that creates pet 77701, finds it, deletes it, and takes orders.
async fn petstore_for_nested() -> MockServer {
    let server = MockServer::start().await;
    let pet = json!({"id": 77701, "name": "NestedTestPet", "photoUrls": [], "status": "available"});
    Mock::given(method("POST"))
        .and(path("/pet"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pet.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pet/77701"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pet))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/pet/77701"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/store/order"))
        .and(body_json(json!({
            "id": 10, "petId": 77701, "quantity": 1, "status": "placed", "complete": false
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 10, "status": "placed"})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn wso2_nested_workflow_outputs_reach_the_caller_through_the_step() {
    let server = petstore_for_nested().await;
    let client = wso2_nested::Client::new().with_petstore_url(server.uri());
    let output = client.verify_and_cleanup_pet().await.unwrap();
    assert_eq!(output.nested_pet_id, Some(77701));
    assert_eq!(output.verified_pet_name, "NestedTestPet");
    assert_eq!(
        sequence(&server).await,
        ["POST /pet", "GET /pet/77701", "DELETE /pet/77701"]
    );
}

#[tokio::test]
async fn wso2_dependencies_run_first_and_feed_the_dependent_workflow() {
    let server = petstore_for_nested().await;
    let client = wso2_nested::Client::new().with_petstore_url(server.uri());
    let output = client.order_with_dependency().await.unwrap();
    assert_eq!(output.order_id, Some(10));
    assert_eq!(output.order_status.as_deref(), Some("placed"));
    // `$dependencies.setup_pet.createdPetId` is the pet `setup_pet` created (the body matcher).
    assert_eq!(sequence(&server).await, ["POST /pet", "POST /store/order"]);
}

#[tokio::test]
async fn museum_hours_then_tickets_from_the_other_arazzo_document() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/museum-hours"))
        .and(header("authorization", "Basic Og=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!([{"date": "2023-09-11", "timeOpen": "09:00", "timeClose": "18:00"}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .and(body_json(json!({
            "ticketType": "general", "ticketDate": "2023-09-07", "email": "todd@example.com"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "message": "Museum general entry ticket purchased",
            "ticketId": "382c0820-0530-4f4b-99af-13811ad0f17a",
            "ticketType": "general",
            "ticketDate": "2023-09-07",
            "confirmationCode": "ticket-general-e5e5c6-dce78"
        })))
        .mount(&server)
        .await;
    let client = museum_api::Client::new().with_museum_api_url(server.uri());
    client.get_museum_hours().await.unwrap();
    assert_eq!(
        sequence(&server).await,
        ["GET /museum-hours", "POST /tickets"]
    );
}

#[tokio::test]
async fn museum_events_crud_checks_each_jsonpath_criterion() {
    let server = MockServer::start().await;
    let event = |name: &str| {
        json!({
            "eventId": "dad4bce8-f5cb-4078-a211-995864315e39",
            "name": name,
            "location": "Under the seaaa",
            "eventDescription": "A rare collection",
            "dates": ["2023-09-05", "2023-09-08"],
            "price": 0
        })
    };
    Mock::given(method("GET"))
        .and(path("/special-events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/special-events"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(event("Mermaid Treasure Identification and Analysis")),
        )
        .mount(&server)
        .await;
    let one = "/special-events/dad4bce8-f5cb-4078-a211-995864315e39";
    Mock::given(method("GET"))
        .and(path(one))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(event("Mermaid Treasure Identification and Analysis")),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(one))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(event("Orca Identification and Analysis")),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(one))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = museum_api::Client::new().with_museum_api_url(server.uri());
    client.events_crud().await.unwrap();
    assert_eq!(
        sequence(&server).await,
        [
            "GET /special-events".to_owned(),
            "POST /special-events".to_owned(),
            format!("GET {one}"),
            format!("PATCH {one}"),
            format!("DELETE {one}"),
        ]
    );
}

#[tokio::test]
async fn museum_jsonpath_criterion_that_fails_stops_the_workflow() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/special-events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/special-events"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"eventId": "e1", "name": "Something else"})),
        )
        .mount(&server)
        .await;
    let client = museum_api::Client::new().with_museum_api_url(server.uri());
    let err = client.events_crud().await.unwrap_err();
    match &err {
        Error::CriterionFailed {
            step, criterion, ..
        } => {
            assert_eq!(*step, "create-event");
            assert_eq!(
                *criterion,
                "$.name == 'Mermaid Treasure Identification and Analysis'"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sequence(&server).await,
        ["GET /special-events", "POST /special-events"]
    );
}
