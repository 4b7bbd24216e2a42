//! XPath criteria and selectors on an XML API (`fixtures/codegen/shipping.arazzo.yaml`), as
//! a server receives the requests and a caller reads the outputs.
#![cfg(feature = "xpath")]

use arazzo_runtime::{Error, Sleeper};
use generated_example::shipping::{Client, LabelDeliveredParcelInput};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn parcel(id: &str, status: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><parcel id="{id}"><status>{status}</status><carrier code="DHL"/><items><item weight="1.5"/><item weight="2"/></items></parcel>"#
    )
}

fn xml(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/xml")
}

async fn shipping(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let count = answers.len() as u64;
    for answer in answers {
        Mock::given(method("GET"))
            .and(path("/parcels/p1"))
            .respond_with(answer)
            .up_to_n_times(1)
            .expect(0..=count)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/parcels/p1/label"))
        .respond_with(xml(
            201,
            r#"<label url="https://labels.example.com/p1.pdf"/>"#.to_owned(),
        ))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::new()
        .with_shipping_url(server.uri())
        .with_sleeper(Sleeper::recording().0)
}

/// Runs `labelDeliveredParcel` for `parcel_id` against `server`.
async fn label(
    server: &MockServer,
    parcel_id: &str,
) -> arazzo_runtime::Result<generated_example::shipping::LabelDeliveredParcelOutput> {
    client(server)
        .label_delivered_parcel(LabelDeliveredParcelInput {
            parcel_id: parcel_id.to_owned(),
        })
        .await
}

async fn requests(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}

#[tokio::test]
async fn xpath_criteria_retry_and_selectors_fill_the_outputs() {
    // Wiremock serves the mocks mounted first until they are used up.
    let server = shipping(vec![
        xml(200, parcel("p1", "pending")),
        xml(200, parcel("p1", "in-transit")),
    ])
    .await;
    let output = label(&server, "p1").await.unwrap();
    assert_eq!(
        requests(&server).await,
        [
            "GET /parcels/p1",
            "GET /parcels/p1",
            // The carrier, selected by XPath from the first step's XML output.
            "POST /parcels/p1/label?carrier=DHL",
        ]
    );
    let label = server.received_requests().await.unwrap_or_default();
    let label = label
        .last()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned());
    assert_eq!(
        label.as_deref(),
        Some(
            r#"<labelRequest format="zpl"><parcel>p1</parcel><weight>3.5</weight></labelRequest>"#
        )
    );
    assert_eq!(output.status, json!("in-transit"));
    assert_eq!(output.carrier, json!("DHL"));
    // Attributes are their text; numbers XPath computes are JSON numbers.
    assert_eq!(output.weights, json!(["1.5", "2"]));
    assert_eq!(output.total_weight, json!(3.5));
    assert_eq!(output.items, json!(2));
    assert_eq!(output.label_url, json!("https://labels.example.com/p1.pdf"));
}

#[tokio::test]
async fn an_embedded_input_is_an_xpath_literal_not_xpath() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(xml(200, parcel("p1", "in-transit")))
        .mount(&server)
        .await;
    // Written into the condition as a string literal, the input cannot widen it to every parcel.
    let error = label(&server, "x' or 'a'='a").await.unwrap_err();
    assert!(
        matches!(&error, Error::CriterionFailed { step: "track", criterion, .. } if criterion.starts_with("/parcel[@id = {$inputs.parcelId}]")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_xml_fails_the_criterion_without_aborting_the_run() {
    let server = shipping(vec![
        xml(200, "<parcel><status>".to_owned()),
        xml(404, "<error>no such parcel</error>".to_owned()),
    ])
    .await;
    let error = label(&server, "p1").await.unwrap_err();
    // The unparsable body fails the XPath criterion; no retry matches it (its XPath does not
    // hold either), so the failure is the criterion's. A 404 would have ended the run.
    assert!(
        matches!(
            &error,
            Error::CriterionFailed {
                step: "track",
                status: 200,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(requests(&server).await, ["GET /parcels/p1"]);
}

#[tokio::test]
async fn an_unknown_parcel_ends_the_run_through_its_status() {
    let server = shipping(vec![xml(404, "<error>no such parcel</error>".to_owned())]).await;
    let error = label(&server, "p1").await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Ended {
                step: "track",
                action: "unknownParcel",
                status: Some(404),
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn xpath_criteria_of_a_1_0_document_decide_success() {
    use generated_example::xpath_1_0::{Client, ParcelDeliveredInput};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/parcels/p1"))
        .respond_with(xml(200, parcel("p1", "delivered")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/parcels/p2"))
        .respond_with(xml(200, parcel("p2", "in-transit")))
        .mount(&server)
        .await;
    let client = Client::new().with_shipping_url(server.uri());
    let delivered = client
        .parcel_delivered(ParcelDeliveredInput {
            parcel_id: "p1".to_owned(),
        })
        .await
        .unwrap();
    // An XML body is its text.
    assert_eq!(delivered.parcel, parcel("p1", "delivered"));
    let error = client
        .parcel_delivered(ParcelDeliveredInput {
            parcel_id: "p2".to_owned(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::CriterionFailed {
                criterion: "/parcel/status = 'delivered'",
                ..
            }
        ),
        "{error:?}"
    );
}
