//! Inputs named as generated descriptions name them (`$top`, `$.xgafv`, `filter[action]`,
//! `Aux Price`) become Rust fields, keep their names on the wire, and reach the request.

use generated_example::odd_names::{Client, OddNamesInput};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::header;

#[tokio::test]
async fn every_odd_name_reaches_its_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 2})))
        .mount(&server)
        .await;
    let client = Client::new().with_pets_url(server.uri()).with_api_key("k");
    let output = client
        .odd_names(OddNamesInput {
            top: 3,
            // `orderby` keeps its name; `$orderby` beside it is `orderby_2`.
            orderby: Some("age".to_owned()),
            orderby_2: Some("name".to_owned()),
            xgafv: Some("2".to_owned()),
            filter_action: Some("delete".to_owned()),
            aux_price: Some(9.5),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.total, 2);
    assert_eq!(output.action.as_deref(), Some("delete"));
    let requests = server.received_requests().await.unwrap_or_default();
    let request = requests.first().unwrap_or_else(|| panic!("no request"));
    assert_eq!(request.url.query(), Some("limit=3&tags=name&tags=age"));
    assert_eq!(
        header(request, "X-Request-Id").as_deref(),
        Some("delete-9.5")
    );
    assert_eq!(header(request, "cookie").as_deref(), Some("session=2"));
}

#[test]
fn inputs_keep_their_declared_names_in_json() {
    let input: OddNamesInput = serde_json::from_value(json!({
        "$top": 1, "$orderby": "a", "orderby": "b", "$.xgafv": "1",
        "filter[action]": "x", "Aux Price": 1.5
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.top, 1);
    assert_eq!(input.orderby.as_deref(), Some("b"));
    assert_eq!(input.orderby_2.as_deref(), Some("a"));
    assert_eq!(input.filter_action.as_deref(), Some("x"));
    assert_eq!(input.aux_price, Some(1.5));
}
