//! OAuth 2 and OpenID Connect against a real authorization server: `oidc-provider`, which
//! `cargo xtask test` installs and starts (`ARAZZO_OIDC`). The API the tokens are for is a
//! mock; every token it receives is checked with the provider's introspection endpoint, and
//! the provider's `/stats` counts the tokens it issued per client.

mod common;

use generated_example::{kennel, token_workflows};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The provider's URL, or `None` (and a note) when the suite runs without it.
fn issuer(test: &str) -> Option<String> {
    let url = std::env::var("ARAZZO_OIDC").ok();
    if url.is_none() {
        eprintln!(
            "{test}: ARAZZO_OIDC is not set: the OAuth suite was NOT run (`cargo xtask test` starts the provider)"
        );
    }
    url
}

/// How many tokens `client` was issued, by grant type.
async fn issued(issuer: &str, client: &str, grant: &str) -> u64 {
    let stats: Value = reqwest::get(format!("{issuer}/stats"))
        .await
        .and_then(|r| r.error_for_status())
        .unwrap_or_else(|e| panic!("stats: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("stats: {e}"));
    stats
        .pointer(&format!("/{client}/{grant}"))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

/// What the provider says of `token`: `active` and `scope`, among others.
async fn introspect(issuer: &str, token: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{issuer}/token/introspection"))
        .basic_auth("introspector", Some("introspector-secret"))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("introspection: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("introspection: {e}"))
}

/// A field of an introspection answer (`null` when absent).
fn at<'v>(value: &'v Value, key: &str) -> &'v Value {
    value.get(key).unwrap_or(&Value::Null)
}

/// The kennel API: answers every operation.
async fn kennel_api() -> MockServer {
    let server = MockServer::start().await;
    let rex = json!({"id": "p1", "name": "Rex", "kind": "dog"});
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([rex])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "p2", "name": "Tom"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/staff/pets/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rex))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/desk/count"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 2})))
        .mount(&server)
        .await;
    server
}

/// `(path, bearer token)` of every request the API received.
async fn tokens_received(api: &MockServer) -> Vec<(String, String)> {
    api.received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let auth = common::header(r, "authorization").unwrap_or_default();
            let token = auth.strip_prefix("Bearer ").unwrap_or("").to_owned();
            (format!("{} {}", r.method, r.url.path()), token)
        })
        .collect()
}

fn client(api: &MockServer, issuer: &str) -> kennel::Client {
    kennel::Client::new()
        .with_kennel_url(api.uri())
        .with_kennel_auth_token_url(format!("{issuer}/token"))
}

#[tokio::test]
async fn client_credentials_get_a_token_per_scope_set_and_keep_it() {
    let Some(issuer) = issuer("client_credentials") else {
        return;
    };
    let api = kennel_api().await;
    let client =
        client(&api, &issuer).with_kennel_auth_client_credentials("scoped", "scoped-secret");
    for name in ["Tom", "Kit"] {
        let out = client
            .board_pet(kennel::BoardPetInput {
                name: name.to_owned(),
                kind: Some(kennel::BoardPetInputKind::Cat),
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.id, "p2");
    }
    // Two runs, two operations each, two scope sets: two tokens, each kept for the next run.
    assert_eq!(issued(&issuer, "scoped", "client_credentials").await, 2);
    let received = tokens_received(&api).await;
    assert_eq!(received.len(), 4);
    for (request, token) in &received {
        let info = introspect(&issuer, token).await;
        assert_eq!(at(&info, "active"), true, "{request}: {info}");
        let scope = if request.starts_with("POST") {
            "pets:write"
        } else {
            "pets:read"
        };
        assert_eq!(at(&info, "scope"), scope, "{request}: {info}");
        assert_eq!(at(&info, "client_id"), "scoped");
    }
    assert_eq!(received[0].1, received[2].1, "the token is kept");
}

#[tokio::test]
async fn an_expired_token_is_replaced_before_it_is_sent() {
    let Some(issuer) = issuer("expiry") else {
        return;
    };
    let api = kennel_api().await;
    // The provider gives this client tokens that live two seconds.
    let client = client(&api, &issuer)
        .with_kennel_auth_client_credentials("short-lived", "short-lived-secret");
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        issued(&issuer, "short-lived", "client_credentials").await,
        2
    );
    let received = tokens_received(&api).await;
    assert_ne!(received[0].1, received[1].1);
    for (_, token) in &received[1..] {
        assert_eq!(at(&introspect(&issuer, token).await, "active"), true);
    }
}

#[tokio::test]
async fn the_password_flow_signs_in_once_then_refreshes() {
    let Some(issuer) = issuer("password") else {
        return;
    };
    let api = kennel_api().await;
    let client =
        client(&api, &issuer).with_kennel_auth_password("app", "app-secret", "alice", "wonderland");
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    // Past the two seconds the provider's access tokens live: the refresh token is used.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(issued(&issuer, "app", "password").await, 1);
    assert_eq!(issued(&issuer, "app", "refresh_token").await, 1);
    let received = tokens_received(&api).await;
    assert_ne!(received[0].1, received[1].1);
    let info = introspect(&issuer, &received[1].1).await;
    assert_eq!(at(&info, "active"), true, "{info}");
    assert_eq!(at(&info, "sub"), "alice", "{info}");
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_and_the_request_sent_again() {
    let Some(issuer) = issuer("401") else {
        return;
    };
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&api)
        .await;
    let client =
        client(&api, &issuer).with_kennel_auth_client_credentials("refused", "refused-secret");
    let out = client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(out.pets.is_empty());
    assert_eq!(issued(&issuer, "refused", "client_credentials").await, 2);
    let received = tokens_received(&api).await;
    assert_eq!(received.len(), 2);
    assert_ne!(received[0].1, received[1].1, "a new token after the 401");

    // A server that refuses every token: replaced once, then the 401 is the step's result.
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    let client = client.with_kennel_url(api.uri());
    let err = client.list_pets().await.err().map(|e| e.to_string());
    assert!(
        err.as_deref().is_some_and(|e| e.contains("status 401")),
        "{err:?}"
    );
    assert_eq!(tokens_received(&api).await.len(), 2);
}

#[tokio::test]
async fn a_wrong_secret_is_a_typed_error_that_shows_no_secret() {
    let Some(issuer) = issuer("wrong secret") else {
        return;
    };
    let api = kennel_api().await;
    let client =
        client(&api, &issuer).with_kennel_auth_client_credentials("wrong", "not-the-wrong-secret");
    let err = client
        .list_pets()
        .await
        .err()
        .unwrap_or_else(|| panic!("a wrong secret got a token"));
    match &err {
        arazzo_runtime::Error::Token {
            scheme,
            endpoint,
            code,
            ..
        } => {
            assert_eq!(*scheme, "kennel_auth");
            assert_eq!(endpoint, &format!("{issuer}/token"));
            assert_eq!(code.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected a token error, got {other:?}"),
    }
    let shown = format!("{err} {err:?} {client:?}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(!shown.contains("not-the-wrong-secret"), "{shown}");
    assert!(
        tokens_received(&api).await.is_empty(),
        "nothing sent without a token"
    );
}

#[tokio::test]
async fn a_server_that_takes_client_credentials_in_the_form_gets_them_there() {
    let Some(issuer) = issuer("client_secret_post") else {
        return;
    };
    let api = kennel_api().await;
    let client =
        client(&api, &issuer).with_kennel_auth_client_credentials("post-only", "post-only-secret");
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(issued(&issuer, "post-only", "client_credentials").await, 1);
}

#[tokio::test]
async fn open_id_connect_finds_the_token_endpoint_by_discovery() {
    let Some(issuer) = issuer("discovery") else {
        return;
    };
    let api = kennel_api().await;
    let client = kennel::Client::new()
        .with_kennel_url(api.uri())
        .with_staff_sso_discovery_url(format!("{issuer}/.well-known/openid-configuration"))
        .with_staff_sso_client_credentials("discovered", "discovered-secret");
    let out = client
        .inspect_pet(kennel::InspectPetInput {
            pet_id: "p1".to_owned(),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.name, "Rex");
    assert_eq!(issued(&issuer, "discovered", "client_credentials").await, 1);
    let received = tokens_received(&api).await;
    assert_eq!(
        at(&introspect(&issuer, &received[0].1).await, "scope"),
        "pets:read"
    );

    // A discovery URL that is not one: a typed error naming it.
    let client = client.with_staff_sso_discovery_url(format!("{issuer}/nowhere"));
    let err = client
        .inspect_pet(kennel::InspectPetInput {
            pet_id: "p1".to_owned(),
        })
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains(&format!("{issuer}/nowhere")), "{err}");
    assert!(err.contains("status 404"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_runs_share_one_token_fetch() {
    let Some(issuer) = issuer("concurrency") else {
        return;
    };
    let api = kennel_api().await;
    let client = client(&api, &issuer).with_kennel_auth_client_credentials("crowd", "crowd-secret");
    let runs: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_pets().await.map(|o| o.pets.len()) })
        })
        .collect();
    for run in runs {
        assert!(matches!(run.await, Ok(Ok(1))));
    }
    assert_eq!(issued(&issuer, "crowd", "client_credentials").await, 1);
    let received = tokens_received(&api).await;
    assert_eq!(received.len(), 64);
    assert!(received.iter().all(|(_, t)| *t == received[0].1));
}

#[tokio::test]
async fn tokens_from_the_users_provider_are_used_and_kept() {
    let api = kennel_api().await;
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = asked.clone();
    let client = kennel::Client::new()
        .with_kennel_url(api.uri())
        .with_kennel_auth_authorization_code(
            "kennel-app",
            "",
            move |request: arazzo_runtime::oauth::TokenRequest| {
                if let Ok(mut seen) = seen.lock() {
                    seen.push((request.flow, request.scopes, request.authorization_url));
                }
                async { Ok(arazzo_runtime::oauth::Token::new("from-the-browser")) }
            },
        );
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    client.list_pets().await.unwrap_or_else(|e| panic!("{e}"));
    let asked = asked.lock().map(|a| a.clone()).unwrap_or_default();
    assert_eq!(
        asked,
        [(
            arazzo_runtime::oauth::Flow::AuthorizationCode,
            vec!["pets:read".to_owned()],
            Some("https://auth.kennel.example/authorize".to_owned())
        )]
    );
    let received = tokens_received(&api).await;
    assert!(received.iter().all(|(_, t)| t == "from-the-browser"));
}

#[tokio::test]
async fn the_first_alternative_with_credentials_is_sent_and_none_names_every_scheme() {
    let api = kennel_api().await;
    let err = kennel::Client::new()
        .with_kennel_url(api.uri())
        .count_pets()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("`desk_key` credentials; set them on the client with `with_desk_key`")
            && err.contains(
                "or `kennel_auth` credentials with `with_kennel_auth_client_credentials`"
            ),
        "{err}"
    );
    let out = kennel::Client::new()
        .with_kennel_url(api.uri())
        .with_kennel_auth("a-token-i-have")
        .count_pets()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.count, Some(2));
    assert_eq!(
        tokens_received(&api).await,
        [("GET /desk/count".to_owned(), "a-token-i-have".to_owned())]
    );
}

#[tokio::test]
async fn token_workflows_in_the_specifications_style_run_against_the_provider() {
    let Some(issuer) = issuer("token workflows") else {
        return;
    };
    let client = token_workflows::Client::new().with_auth_url(&issuer);
    let out = client
        .client_credentials_flow(token_workflows::ClientCredentialsFlowInput {
            client_id: "token-workflow".to_owned(),
            client_secret: "token-workflow-secret".to_owned(),
            scope: Some("pets:read".to_owned()),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.expires_in, Some(600));
    let info = introspect(&issuer, &out.access_token).await;
    assert_eq!(at(&info, "active"), true, "{info}");
    assert_eq!(at(&info, "scope"), "pets:read", "{info}");

    let out = client
        .refresh_token_flow(token_workflows::RefreshTokenFlowInput {
            client_id: "app-post".to_owned(),
            client_secret: "app-post-secret".to_owned(),
            username: "alice".to_owned(),
            password: "wonderland".to_owned(),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        at(&introspect(&issuer, &out.access_token).await, "active"),
        true
    );
    assert_eq!(issued(&issuer, "app-post", "refresh_token").await, 1);
}

#[tokio::test]
async fn implicit_and_device_flows_ask_the_provider_with_their_own_endpoints() {
    use arazzo_runtime::oauth::{Flow, Token, TokenRequest};
    let api = kennel_api().await;
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let provider = |asked: std::sync::Arc<std::sync::Mutex<Vec<_>>>| {
        move |request: TokenRequest| {
            if let Ok(mut asked) = asked.lock() {
                asked.push((request.flow, request.authorization_url, request.token_url));
            }
            async { Ok(Token::new("from-the-provider")) }
        }
    };
    kennel::Client::new()
        .with_kennel_url(api.uri())
        .with_kennel_auth_implicit(provider(asked.clone()))
        .list_pets()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    kennel::Client::new()
        .with_kennel_url(api.uri())
        .with_kennel_auth_device_authorization("kennel-tv", "", provider(asked.clone()))
        .list_pets()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let asked = asked.lock().map(|a| a.clone()).unwrap_or_default();
    let url = |u: &str| Some(format!("https://auth.kennel.example/{u}"));
    assert_eq!(
        asked,
        [
            (Flow::Implicit, url("authorize"), None),
            (Flow::DeviceAuthorization, url("device"), url("token")),
        ]
    );
}
