//! Arazzo 1.1 features of HTTP workflows, as a server receives them and a caller reads them.

use generated_example::arazzo_1_1::{Client, FindProductInput, FindProductInputFilter};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn catalog(first_page: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/products/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first_page))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/products/filter"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [], "total": 3})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/products/p-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "p-1", "name": "Lamp"})),
        )
        .mount(&server)
        .await;
    server
}

fn input(category: &str) -> FindProductInput {
    FindProductInput {
        category: category.to_owned(),
        min_price: Some(9.5),
        filter: Some(FindProductInputFilter {
            tags: Some(vec!["red & blue".to_owned(), "new".to_owned()]),
        }),
    }
}

/// The raw query string of each request the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.url.path(), r.url.query().unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn whole_query_strings_pointers_and_self_reach_the_server_and_the_caller() {
    let server = catalog(json!({"items": [{"id": "p-1", "name": "Lamp"}]})).await;
    let client = Client::new().with_catalog_url(server.uri());
    // A value embedded in a form query string is encoded: `&` and `=` in it cannot add a pair.
    let output = client.find_product(input("home&garden=1")).await.unwrap();
    assert_eq!(
        queries(&server).await,
        [
            "/products/search category=home%26garden%3D1&minPrice=9.5&inStock=true",
            // A JSON query string is the value's JSON, percent-encoded whole.
            "/products/filter %7B%22tags%22%3A%5B%22red%20%26%20blue%22%2C%22new%22%5D%7D",
            "/products/p-1 ",
        ]
    );
    assert_eq!(output.name, "Lamp");
    assert_eq!(output.total, Some(3));
    assert_eq!(output.first_tag.as_deref(), Some("red & blue"));
    assert_eq!(
        output.document,
        "https://workflows.example.com/catalog/arazzo-1-1.arazzo.yaml"
    );
}

#[tokio::test]
async fn a_json_pointer_criterion_fails_when_the_pointer_names_nothing() {
    let server = catalog(json!({"items": []})).await;
    let client = Client::new().with_catalog_url(server.uri());
    let error = client.find_product(input("lamps")).await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`/items/0`"), "{text}");
    assert!(text.contains("search"), "{text}");
    assert_eq!(queries(&server).await.len(), 1);
}
