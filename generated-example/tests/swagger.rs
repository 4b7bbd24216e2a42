//! A workflow over a Swagger 2.0 description sends what the description says: a JSON body, a
//! multipart form, `collectionFormat: multi`, the API key and basic credentials where its
//! security requires them, under `host` + `basePath`.

use generated_example::bookshop::{Client, ShelveBookInput};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{body, header, sequence};

#[tokio::test]
async fn a_swagger_2_workflow_runs_as_its_description_says() {
    let server = MockServer::start().await;
    let book = json!({"isbn": "978-1", "title": "Rust", "subtitle": null});
    Mock::given(method("POST"))
        .and(path("/v2/books"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&book))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/books/978-1/cover"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/books/978-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&book))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/books"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Total", "1")
                .set_body_json(json!([book])),
        )
        .mount(&server)
        .await;
    let client = Client::new()
        .with_books_url(format!("{}/v2", server.uri()))
        .with_key("k-1")
        .with_staff("ann", "pw");
    let output = client
        .shelve_book(ShelveBookInput {
            isbn: "978-1".into(),
            title: "Rust".into(),
            tag: "lang".into(),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.title, "Rust");
    assert_eq!(output.subtitle, None);
    assert_eq!(output.total.as_deref(), Some("1"));
    assert_eq!(output.first, "Rust");
    assert_eq!(
        sequence(&server).await,
        [
            "POST /v2/books",
            "POST /v2/books/978-1/cover",
            "GET /v2/books/978-1",
            "GET /v2/books"
        ]
    );
    let requests = server.received_requests().await.unwrap_or_default();
    let [add, cover, read, shelf] = requests.as_slice() else {
        panic!("four requests expected");
    };
    assert_eq!(body(add), r#"{"isbn":"978-1","title":"Rust"}"#);
    assert!(
        header(cover, "content-type").is_some_and(|t| t.starts_with("multipart/form-data")),
        "{:?}",
        header(cover, "content-type")
    );
    assert!(body(cover).contains("Front cover"));
    // The operation-level `security` replaces the document's: basic, not the key.
    assert_eq!(
        header(cover, "authorization").as_deref(),
        Some("Basic YW5uOnB3")
    );
    assert_eq!(header(cover, "x-api-key"), None);
    assert_eq!(header(read, "x-api-key").as_deref(), Some("k-1"));
    assert_eq!(shelf.url.query(), Some("tags=lang&tags=new"));
    assert_eq!(header(shelf, "x-trace").as_deref(), Some("shelve-978-1"));
}
