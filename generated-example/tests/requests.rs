//! Every way a step puts data into a request, as the server receives it.

use generated_example::requests::{
    AdoptPetInput, Client, CreateFromPayloadInput, ReadWithOwnTokenInput,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{body, header, json_body};

async fn pet_store() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 7, "pets": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"id": 42, "name": "Rex", "status": "available", "tags": ["cute", "new"]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pets/42/notes"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets/42/photos"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": 42, "name": "Rex", "status": "available", "tags": ["cute"]}),
        ))
        .mount(&server)
        .await;
    server
}

fn input() -> AdoptPetInput {
    AdoptPetInput {
        name: "Rex".to_owned(),
        run_id: "r1".to_owned(),
        tag: Some("cute".to_owned()),
        limit: Some(5),
        owner_id: Some(9),
        when: Some("2026-11-23".to_owned()),
    }
}

#[tokio::test]
async fn every_parameter_and_body_kind_is_sent_as_described() {
    let server = pet_store().await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key("key-1")
        .with_api_key_query("key-q")
        .with_bearer("tok-2");
    let output = client.adopt_pet(input()).await.unwrap();
    assert_eq!(output.id, Some(42));
    // `$request.path.petId`: the text that was sent.
    assert_eq!(output.read_pet_id.as_deref(), Some("42"));
    // `name` and `total` are required by the response schemas, so they are not optional.
    assert_eq!(output.name, "Rex");
    assert_eq!(output.status.as_deref(), Some("available"));
    assert_eq!(output.total, 7);
    assert_eq!(output.pet.get("tags"), Some(&json!(["cute", "new"])));
    assert_eq!(output.first_tag.as_deref(), Some("cute"));

    let requests = server.received_requests().await.unwrap_or_default();
    let paths: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        paths,
        [
            "GET /pets",
            "POST /pets",
            "PUT /pets/42/notes",
            "POST /pets/42/photos",
            "GET /pets/42"
        ]
    );
    let [list, create, note, photo, read] = &requests[..] else {
        panic!("{paths:?}")
    };

    // Query styles: form (exploded arrays), deepObject, pipeDelimited; the workflow-level header
    // (a template); a component cookie whose value the step overrides; an API key header.
    assert_eq!(
        list.url.query(),
        Some(
            "limit=5&tags=cute&tags=small&filter%5Bage%5D=2&filter%5Bspecies%5D=cat&sort=name%7Cage"
        )
    );
    assert_eq!(header(list, "x-request-id").as_deref(), Some("run-r1"));
    assert_eq!(header(list, "cookie").as_deref(), Some("session=abc123"));
    assert_eq!(header(list, "x-api-key").as_deref(), Some("key-1"));
    assert_eq!(header(list, "authorization"), None);

    // JSON: expression leaves keep their JSON type; the replacement is applied last; bearer auth.
    assert_eq!(
        header(create, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        json_body(create),
        json!({"name": "Rex", "tags": ["cute", "new"], "age": 3, "owner": {"id": 9}, "status": "available"})
    );
    assert_eq!(
        header(create, "authorization").as_deref(),
        Some("Bearer tok-2")
    );
    assert_eq!(header(create, "x-api-key"), None);

    // text/plain from a template; the path parameter from a step output.
    assert_eq!(header(note, "content-type").as_deref(), Some("text/plain"));
    assert_eq!(body(note), "Adopted by Rex on 2026-11-23 (7 pets listed)");

    // multipart/form-data: one part per field, arrays repeat the field.
    let content_type = header(photo, "content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = body(photo);
    for part in [
        "name=\"caption\"\r\n\r\nRex at home\r\n",
        "name=\"tags\"\r\n\r\nhome\r\n",
        "name=\"tags\"\r\n\r\nfirst-day\r\n",
    ] {
        assert!(body.contains(part), "{part:?} not in {body:?}");
    }

    // The first security alternative with credentials wins: the API key in the query.
    assert_eq!(read.url.query(), Some("api_key=key-q"));
    assert_eq!(header(read, "authorization"), None);
}

#[tokio::test]
async fn absent_optional_values_are_omitted_not_sent_empty() {
    let server = pet_store().await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key("k")
        .with_bearer("t");
    let output = client
        .adopt_pet(AdoptPetInput {
            tag: None,
            limit: None,
            owner_id: None,
            when: None,
            ..input()
        })
        .await
        .unwrap();
    assert_eq!(output.id, Some(42));
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests[0].url.query(),
        Some("tags=cute&tags=small&filter%5Bage%5D=2&filter%5Bspecies%5D=cat&sort=name%7Cage")
    );
    assert_eq!(
        json_body(&requests[1]),
        json!({"name": "Rex", "tags": ["new"], "age": 3, "owner": {}, "status": "available"})
    );
    assert_eq!(body(&requests[2]), "Adopted by Rex on  (7 pets listed)");
}

#[tokio::test]
async fn a_failed_criterion_with_regex_and_jsonpath_stops_the_workflow() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/42"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 42, "name": "Rex", "status": "sold"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 1})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 42, "name": "Rex"})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets/42/photos"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key("k")
        .with_bearer("t");
    let err = client.adopt_pet(input()).await.unwrap_err();
    assert!(
        matches!(
            &err,
            arazzo_runtime::Error::CriterionFailed {
                step: "read",
                criterion: "$[?@.status == 'available']",
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_step_without_criteria_succeeds_on_any_2xx_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::new().with_pets_url(server.uri());
    client.health().await.unwrap();
    // No credentials needed: the operation declares `security: []`.
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(header(&requests[0], "x-api-key"), None);

    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = client.health().await.unwrap_err();
    assert!(
        matches!(
            err,
            arazzo_runtime::Error::CriterionFailed {
                step: "ping",
                status: 503,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_whole_payload_expression_is_sent_as_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    let client = Client::new().with_pets_url(server.uri()).with_bearer("t");
    let pet = json!({"name": "Mia", "age": 1, "tags": ["x"], "owner": {"id": 3}});
    let output = client
        .create_from_payload(CreateFromPayloadInput {
            pet: pet.as_object().cloned().unwrap_or_default(),
        })
        .await
        .unwrap();
    assert_eq!(output.id, Some(5));
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests[0].body, serde_json::to_vec(&pet).unwrap());
    assert_eq!(header(&requests[0], "x-request-id").as_deref(), Some("Mia"));
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused() {
    let server = MockServer::start().await;
    let client = Client::new().with_pets_url(server.uri()).with_bearer("t");
    let pet = json!({"name": "Mia\r\nX-Admin: yes"});
    let err = client
        .create_from_payload(CreateFromPayloadInput {
            pet: pet.as_object().cloned().unwrap_or_default(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, arazzo_runtime::Error::InvalidHeader { header, .. } if header == "X-Request-Id"),
        "{err:?}"
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
async fn without_the_first_alternative_the_next_one_is_used() {
    let server = pet_store().await;
    let client = Client::new()
        .with_pets_url(server.uri())
        .with_api_key("k")
        .with_bearer("tok");
    client.adopt_pet(input()).await.unwrap();
    let requests = server.received_requests().await.unwrap_or_default();
    let read = requests.last().unwrap_or_else(|| panic!("no request"));
    assert_eq!(read.url.query(), None);
    assert_eq!(header(read, "authorization").as_deref(), Some("Bearer tok"));
}

#[tokio::test]
async fn a_json_text_template_is_sent_as_json_text() {
    use generated_example::requests::CreateFromJsonTextInput;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = Client::new().with_pets_url(server.uri()).with_bearer("t");
    client
        .create_from_json_text(CreateFromJsonTextInput {
            name: "Mia".to_owned(),
            age: 2,
        })
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(body(&requests[0]), r#"{"name": "Mia", "age": 2}"#);
    assert_eq!(
        header(&requests[0], "content-type").as_deref(),
        Some("application/json")
    );
}

/// Clients are shared across tasks; workflow futures can be spawned.
#[test]
fn clients_are_send_sync_and_their_futures_are_send() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    fn spawnable<F: std::future::Future + Send>(_: &F) {}
    shareable::<Client>();
    shareable::<generated_example::conversations::Client>();
    let client = Client::new();
    spawnable(&client.health());
    let future =
        client.create_from_json_text(generated_example::requests::CreateFromJsonTextInput {
            name: String::new(),
            age: 0,
        });
    spawnable(&future);
}

#[tokio::test]
async fn a_step_that_sends_its_own_authorization_needs_no_client_credentials() {
    let server = pet_store().await;
    // No credentials on the client: the document's own `Authorization` header stands in for
    // the `bearer` alternative.
    let client = Client::new().with_pets_url(server.uri());
    let output = client
        .read_with_own_token(ReadWithOwnTokenInput {
            token: "t0k3n".into(),
            pet_id: 42,
        })
        .await
        .unwrap();
    assert_eq!(output.name, "Rex");
    let requests = server.received_requests().await.unwrap_or_default();
    let read = requests.last().unwrap();
    assert_eq!(read.url.path(), "/pets/42");
    assert_eq!(
        header(read, "authorization").as_deref(),
        Some("Bearer t0k3n")
    );
    assert_eq!(read.url.query(), None, "no API key is added");
}

/// Answers with a redirect to the same path and query on `to` (another origin, or this one).
struct RedirectTo {
    to: String,
    status: u16,
}

impl wiremock::Respond for RedirectTo {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let query = request
            .url
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        ResponseTemplate::new(self.status).insert_header(
            "Location",
            format!("{}{}{query}", self.to, request.url.path()).as_str(),
        )
    }
}

const SECRETS: [&str; 3] = ["key-1", "key-q", "tok-2"];

fn credentials_in(request: &wiremock::Request) -> Vec<&'static str> {
    let mut seen = format!("{}\n", request.url);
    for (name, value) in &request.headers {
        seen.push_str(&format!("{name}: {}\n", value.to_str().unwrap_or_default()));
    }
    SECRETS.into_iter().filter(|s| seen.contains(s)).collect()
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let other = pet_store().await;
    let first = MockServer::start().await;
    // A header key (GET), a bearer token (POST, 307 keeps the body) and a query key (GET).
    for (verb, at, status) in [
        ("GET", "/pets", 302),
        ("POST", "/pets", 307),
        ("GET", "/pets/42", 301),
    ] {
        Mock::given(method(verb))
            .and(path(at))
            .respond_with(RedirectTo {
                to: other.uri(),
                status,
            })
            .mount(&first)
            .await;
    }
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&first)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets/42/photos"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&first)
        .await;
    let client = Client::new()
        .with_pets_url(first.uri())
        .with_api_key("key-1")
        .with_api_key_query("key-q")
        .with_bearer("tok-2");
    let output = client.adopt_pet(input()).await.unwrap();
    assert_eq!(output.id, Some(42));
    let sent_first = first.received_requests().await.unwrap_or_default();
    assert!(sent_first.iter().any(|r| !credentials_in(r).is_empty()));
    let followed = other.received_requests().await.unwrap_or_default();
    let paths: Vec<String> = followed
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(paths, ["GET /pets", "POST /pets", "GET /pets/42"]);
    for r in &followed {
        assert_eq!(
            credentials_in(r),
            Vec::<&str>::new(),
            "{} {}",
            r.method,
            r.url
        );
        assert_eq!(header(r, "referer"), None);
    }
    // The 307 kept the body; the query the workflow sent (not the key) went along.
    assert!(body(&followed[1]).contains("Rex"));
    assert!(
        followed[0]
            .url
            .query()
            .is_some_and(|q| q.starts_with("limit=5"))
    );
}

#[tokio::test]
async fn credentials_follow_a_redirect_within_their_origin() {
    let server = pet_store().await;
    Mock::given(method("GET"))
        .and(path("/old/pets"))
        .respond_with(ResponseTemplate::new(308).insert_header("Location", "/pets"))
        .mount(&server)
        .await;
    let client = Client::new()
        .with_pets_url(format!("{}/old", server.uri()))
        .with_api_key("key-1")
        .with_api_key_query("key-q")
        .with_bearer("tok-2");
    // Only the first step's request is redirected back into `/pets`; later ones 404 under `/old`.
    let _ = client.adopt_pet(input()).await;
    let requests = server.received_requests().await.unwrap_or_default();
    let moved = requests
        .iter()
        .find(|r| r.url.path() == "/pets")
        .unwrap_or_else(|| panic!("the redirect was not followed"));
    assert_eq!(header(moved, "x-api-key").as_deref(), Some("key-1"));
}
