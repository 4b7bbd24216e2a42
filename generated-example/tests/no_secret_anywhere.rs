//! A sweep: every kind of credential (API key in a header, in the query, as the document's own
//! parameter; bearer token; basic password; a hook's `Authorization`) against every server
//! failure that yields an error (refused connection, silence, a body too large, a body that is
//! not its JSON, an error that echoes the request, a redirect to another origin). Neither an
//! error's `Display` or `Debug` nor any trace event shows a credential.

use std::time::Duration;

use arazzo_runtime::{Error, Limits};
use generated_example::{conversations, requests};
use tokio::io::AsyncWriteExt;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{Captured, Echo};

/// Credentials of realistic lengths: 40-character keys, a ~1 KB bearer token (a JWT), a
/// 32-character password, a hook's ~1 KB token. Each differs from the others everywhere.
fn secrets() -> [String; 6] {
    [
        format!("hdr_{}", token(1, 36)),
        format!("qry_{}", token(2, 36)),
        format!("own_{}", token(3, 36)),
        jwt(4),
        token(5, 32),
        jwt(6),
    ]
}

/// `len` characters of base64url, different for each `seed`.
fn token(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = usize::try_from(state >> 58).unwrap_or(0) % ALPHABET.len();
            char::from(ALPHABET.get(at).copied().unwrap_or(b'A'))
        })
        .collect()
}

/// A JWT's shape: three base64url parts, 1 KB in all.
fn jwt(seed: u64) -> String {
    format!(
        "eyJ{}.{}.{}",
        token(seed, 100),
        token(seed + 100, 800),
        token(seed + 200, 120)
    )
}

/// Whether any 8 consecutive characters of `secret` show in `text`.
fn shows_part(text: &str, secret: &str) -> bool {
    secret
        .as_bytes()
        .windows(8)
        .any(|w| text.contains(std::str::from_utf8(w).unwrap_or("\u{0}")))
}

/// Echoes the request after `pad` bytes, so that each credential falls somewhere across the
/// excerpt's cut as `pad` changes.
struct PaddedEcho(usize);

impl wiremock::Respond for PaddedEcho {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        ResponseTemplate::new(500).set_body_string(format!(
            "{}{}",
            "~".repeat(self.0),
            common::echo(request)
        ))
    }
}

/// Echoes the request in a body that says JSON and is not.
struct BrokenEcho;

impl wiremock::Respond for BrokenEcho {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let text = format!("{{\"sid\": \"{}", common::echo(request));
        ResponseTemplate::new(200)
            .set_body_raw(text, "application/json")
            .insert_header("x-echo", "1")
    }
}

/// A loopback server that reads a request and then, by `endless`, sends an endless body or
/// nothing.
async fn raw_server(endless: bool) -> String {
    common::raw_server(move |mut socket| async move {
        if endless {
            let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let chunk = format!("{:x}\r\n{}\r\n", 4096, "y".repeat(4096));
            while socket.write_all(chunk.as_bytes()).await.is_ok() {}
        } else {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await
}

async fn mock(respond: impl wiremock::Respond + 'static) -> String {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(respond)
        .mount(&server)
        .await;
    let uri = server.uri();
    // The server lives as long as the test: leaked, as the test process ends with it.
    std::mem::forget(server);
    uri
}

fn closed_port() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    format!("http://127.0.0.1:{port}")
}

/// Every workflow whose requests carry credentials, run against `base`: their errors.
async fn errors_against(base: &str, limits: Limits) -> Vec<Error> {
    let [header_key, query_key, own_key, bearer, password, hook_token] = secrets();
    let hook = move |request: &mut arazzo_runtime::reqwest::Request| {
        if let Ok(value) = format!("Bearer {hook_token}").parse() {
            request.headers_mut().insert("proxy-authorization", value);
        }
    };
    let pets = requests::Client::new()
        .with_pets_url(base)
        .with_limits(limits)
        .with_api_key(header_key)
        .with_api_key_query(query_key)
        .with_bearer(bearer)
        .with_request_hook(hook.clone());
    let twilio = conversations::Client::new()
        .with_conversations_url(base)
        .with_limits(limits)
        .with_account_sid_auth_token("ACsweep", password)
        .with_request_hook(hook);
    let mut errors = Vec::new();
    let adopt = pets
        .adopt_pet(requests::AdoptPetInput {
            name: "Rex".to_owned(),
            run_id: "r1".to_owned(),
            tag: None,
            limit: None,
            owner_id: None,
            when: None,
        })
        .await;
    errors.extend(adopt.err());
    let own = pets
        .read_with_own_key(requests::ReadWithOwnKeyInput {
            key: own_key,
            pet_id: 4,
        })
        .await;
    errors.extend(own.err());
    let conversation = twilio
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: None,
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: "https://hooks.example.test/events".to_owned(),
            configuration_method: None,
        })
        .await;
    errors.extend(conversation.err());
    errors
}

#[tokio::test(flavor = "current_thread")]
async fn no_error_and_no_trace_event_shows_a_credential() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Each case with the one limit it meets: a short request limit beside an endless body
    // would make the error that comes first depend on how busy the machine is.
    let quick = Limits::default().with_request_timeout(Some(Duration::from_millis(300)));
    let small = Limits::default().with_max_body_bytes(Some(64 * 1024));
    let mut cases = vec![
        ("refused".to_owned(), closed_port(), small),
        ("silent".to_owned(), raw_server(false).await, quick),
        ("endless".to_owned(), raw_server(true).await, small),
        ("echo".to_owned(), mock(Echo).await, small),
        ("broken json".to_owned(), mock(BrokenEcho).await, small),
    ];
    // Every credential across the 512-byte cut of the body excerpt: the echo's first line and
    // headers move by the padding, in steps shorter than the shortest credential.
    for pad in (0..=arazzo_runtime::BODY_EXCERPT_BYTES).step_by(24) {
        cases.push((
            format!("echo after {pad} bytes"),
            mock(PaddedEcho(pad)).await,
            small,
        ));
    }
    let secrets = secrets();
    let mut seen = Vec::new();
    for (case, base, limits) in &cases {
        let errors = errors_against(base, *limits).await;
        assert_eq!(errors.len(), 3, "{case}: {errors:?}");
        for e in errors {
            let kind = format!("{e:?}");
            let kind = kind
                .split([' ', '{', '('])
                .next()
                .unwrap_or_default()
                .to_owned();
            if !seen.contains(&kind) {
                seen.push(kind);
            }
            let (text, debug) = (e.to_string(), format!("{e:?}"));
            for secret in &secrets {
                assert!(
                    !shows_part(&text, secret),
                    "{case}: part of a secret in {text}"
                );
                assert!(
                    !shows_part(&debug, secret),
                    "{case}: part of a secret in {debug}"
                );
            }
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "BodyTooLarge",
            "CriterionFailed",
            "Decode",
            "TimeLimit",
            "Transport"
        ]
    );
    let trace = captured.text();
    assert!(trace.contains("arazzo.request"), "nothing traced");
    for secret in &secrets {
        assert!(!shows_part(&trace, secret), "part of a secret in the trace");
    }
}
