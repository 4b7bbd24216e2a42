//! Arazzo 1.1 features of HTTP workflows, as a server receives them and a caller reads them.

use std::time::Duration;

use arazzo_runtime::Error;
use generated_example::arazzo_1_1::{
    CheckCategoryInput, Client, FetchReportInput, FillCartInput, FindProductInput,
    FindProductInputFilter, ProductReportInput, ReportByReadsInput, ReportInTimeInput,
    ReportOnMissInput,
};
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

/// A report server whose first `slow` answers take a second, then answers at once.
async fn reports(slow: u64) -> MockServer {
    let server = MockServer::start().await;
    if slow > 0 {
        Mock::given(method("GET"))
            .and(path("/reports/r-1"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"rows": 1}))
                    .set_delay(Duration::from_secs(1)),
            )
            .up_to_n_times(slow)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/reports/r-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 12})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_attempt_past_the_step_timeout_is_a_failure_that_retry_actions_see() {
    let server = reports(1).await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = FetchReportInput {
        id: "r-1".to_owned(),
    };
    let output = client.fetch_report(input).await.unwrap();
    assert_eq!(output.rows, 12);
    assert_eq!(queries(&server).await.len(), 2);
}

#[tokio::test]
async fn a_step_that_keeps_timing_out_fails_with_an_error_naming_the_step_and_the_limit() {
    let server = reports(2).await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = FetchReportInput {
        id: "r-1".to_owned(),
    };
    let error = client.fetch_report(input).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TimedOut {
                workflow: "fetchReport",
                step: "report",
                limit_ms: 200,
                ..
            }
        ),
        "{error:?}"
    );
    // Where the limit is written: `timeout: 200`, its value at column 18.
    let document = include_str!("../../fixtures/codegen/arazzo-1-1.arazzo.yaml");
    let line = document
        .lines()
        .position(|l| l == "        timeout: 200")
        .map(|i| i + 1)
        .unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "workflow `fetchReport`, step `report`: no result within the step's timeout of \
             200 ms (../fixtures/codegen/arazzo-1-1.arazzo.yaml:{line}:18)"
        )
    );
    // The first attempt and the one retry.
    assert_eq!(queries(&server).await.len(), 2);
}

#[tokio::test]
async fn a_timeout_on_a_step_that_runs_a_workflow_bounds_the_whole_child_run() {
    let server = reports(1).await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = ReportInTimeInput {
        id: "r-1".to_owned(),
    };
    let error = client.report_in_time(input).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TimedOut {
                workflow: "reportInTime",
                step: "within",
                limit_ms: 100,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_step_runs_after_the_steps_it_depends_on() {
    let server = catalog(json!({"items": []})).await;
    Mock::given(method("GET"))
        .and(path("/reports/p-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 4})))
        .mount(&server)
        .await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = ProductReportInput {
        id: "p-1".to_owned(),
    };
    let output = client.product_report(input).await.unwrap();
    assert_eq!(output.rows, 4);
    // `report` is written first, but depends on `product`.
    assert_eq!(queries(&server).await, ["/products/p-1 ", "/reports/p-1 "]);
}

// Arazzo 1.1.0, Step Dependencies and Execution Order, Tool Behavior: "Tools supporting only
// sequential execution MUST execute steps in an order that satisfies both explicit
// (`dependsOn`) and implicit (output reference) dependencies."
#[tokio::test]
async fn in_a_workflow_with_depends_on_output_reads_order_the_steps_too() {
    let server = catalog(json!({"items": []})).await;
    Mock::given(method("GET"))
        .and(path("/reports/p-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 4})))
        .mount(&server)
        .await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = ReportByReadsInput {
        id: "p-1".to_owned(),
    };
    let output = client.report_by_reads(input).await.unwrap();
    assert_eq!(output.rows, 4);
    // Written report, product, lookup: run lookup, product (its `dependsOn`), report (it reads
    // `product`).
    assert_eq!(
        queries(&server).await,
        ["/products/p-1 ", "/products/p-1 ", "/reports/p-1 "]
    );
}

#[tokio::test]
async fn an_action_runs_a_workflow_with_the_inputs_its_parameters_give() {
    // No product `1`: the mock answers 404, and the failure action runs `fetchReport` for `r-1`.
    let server = reports(0).await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = ReportOnMissInput { id: "1".to_owned() };
    let output = client.report_on_miss(input).await.unwrap();
    assert_eq!(output.rows, Some(12));
    assert_eq!(queries(&server).await, ["/products/1 ", "/reports/r-1 "]);
}

#[tokio::test]
async fn selector_objects_read_outputs_parameters_and_payloads_and_target_replacements() {
    let page = json!({"items": [
        {"id": "p-1", "name": "Lamp", "price": 5},
        {"id": "p-2", "name": "Desk", "price": 50}
    ]});
    let server = catalog(page.clone()).await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "c-9"})))
        .mount(&server)
        .await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = FillCartInput {
        category: "home".to_owned(),
    };
    let output = client.fill_cart(input).await.unwrap();
    // A JSONPath that names one node is a typed pointer; others select a node or a list.
    assert_eq!(output.first_name, "Lamp");
    assert_eq!(output.ids, json!(["p-1", "p-2"]));
    assert_eq!(output.cheap, json!("Lamp"));
    assert_eq!(output.cart_id, "c-9");
    let requests = server.received_requests().await.unwrap_or_default();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/products/search", "/products/p-1", "/carts"]);
    let cart: serde_json::Value = requests
        .get(2)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .unwrap();
    assert_eq!(
        cart,
        json!({
            "products": page["items"],
            "lines": [{"product": "first", "qty": 3}, {"product": "second", "qty": 3}]
        })
    );
}

async fn check_category(category: &str, name: &str) -> Result<String, Error> {
    let server =
        catalog(json!({"items": [{"id": "p-1", "name": "Lamp", "category": "home"}]})).await;
    let client = Client::new().with_catalog_url(server.uri());
    let input = CheckCategoryInput {
        category: category.to_owned(),
        name: name.to_owned(),
    };
    client.check_category(input).await.map(|o| o.found)
}

#[tokio::test]
async fn values_embedded_in_conditions_are_literals_of_the_query() {
    assert_eq!(check_category("home", "Lamp").await.unwrap(), "Lamp");
    // A value that would close the JSONPath string and add a clause is text inside it.
    let error = check_category(r#"x" || @.id == "p-1"#, "Lamp")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::CriterionFailed { .. }), "{error:?}");
    // A value is matched literally, not as a pattern.
    let error = check_category("home", "L.mp").await.unwrap_err();
    assert!(
        matches!(&error, Error::CriterionFailed { criterion, .. } if criterion.contains("{$inputs.name}")),
        "{error:?}"
    );
}

mod every_1_1_field {
    //! The document that uses every Arazzo 1.1 field of HTTP workflows, run end to end.

    use generated_example::every_1_1_field::{Client, ShopInput};
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn shop(cart_status: u16) -> MockServer {
        let server = MockServer::start().await;
        let page = json!({"items": [
            {"id": "p-1", "name": "Lamp", "price": 20},
            {"id": "p-2", "name": "Desk", "price": 90},
        ]});
        Mock::given(method("GET"))
            .and(path("/products/search"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/products/filter"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/carts"))
            .respond_with(ResponseTemplate::new(cart_status).set_body_json(json!({"id": "c-9"})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/reports/p-1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 4})))
            .mount(&server)
            .await;
        server
    }

    fn input() -> ShopInput {
        ShopInput {
            name: "Desk".to_owned(),
            quantity: 3,
        }
    }

    #[tokio::test]
    async fn every_field_reaches_the_server_and_the_caller() {
        let server = shop(201).await;
        let client = Client::new().with_catalog_url(server.uri());
        let output = client.shop(input()).await.unwrap();
        let requests = server.received_requests().await.unwrap_or_default();
        let sent: Vec<String> = requests
            .iter()
            .map(|r| format!("{} {}", r.url.path(), r.url.query().unwrap_or_default()))
            .collect();
        assert_eq!(
            sent,
            [
                // The specification's two query-string examples: a form string as written,
                // and JSON text percent-encoded whole.
                "/products/search filter=active&sort=desc&limit=50",
                "/products/filter %7B%22filter%22%3A%22active%22%2C%22sort%22%3A%22desc%22%2C%22limit%22%3A50%7D",
                "/carts ",
            ]
        );
        // A Selector Object in the payload, then a JSONPath and a JSON pointer replacement.
        let cart: serde_json::Value = serde_json::from_slice(&requests[2].body).unwrap_or_default();
        assert_eq!(
            cart,
            json!({
                "products": [{"id": "p-1", "name": "Lamp", "price": 20}],
                "lines": [{"product": "p-1", "qty": 3}],
            })
        );
        assert_eq!(output.cart_id.as_deref(), Some("c-9"));
        assert_eq!(output.first_name, "Lamp");
        assert_eq!(output.ids, json!(["p-1", "p-2"]));
        assert_eq!(
            output.document,
            "https://workflows.example.com/catalog/every-1-1-field.arazzo.yaml"
        );
    }

    #[tokio::test]
    async fn a_failure_action_runs_a_workflow_with_its_parameters() {
        let server = shop(409).await;
        let client = Client::new().with_catalog_url(server.uri());
        let output = client.shop(input()).await.unwrap();
        // `reportInstead` ran `report` with `id` from the search: the run ends there.
        let last = server.received_requests().await.unwrap_or_default();
        assert_eq!(
            last.last().map(|r| r.url.path().to_owned()).as_deref(),
            Some("/reports/p-1")
        );
        assert_eq!(output.cart_id, None);
    }

    #[tokio::test]
    async fn an_embedded_input_that_matches_no_product_fails_the_search() {
        let server = shop(201).await;
        let client = Client::new().with_catalog_url(server.uri());
        let error = client
            .shop(ShopInput {
                name: "Desk' || @.name == 'Lamp".to_owned(),
                quantity: 1,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                arazzo_runtime::Error::CriterionFailed { step: "search", .. }
            ),
            "{error:?}"
        );
    }
}
