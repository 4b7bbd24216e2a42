//! Talking to the token endpoint: the grant requests and token responses of RFC 6749 (client
//! credentials §4.4, password §4.3, refresh §6; answers §5.1 and §5.2), sent by the client's
//! own HTTP client within its limits, and OpenID Connect discovery of where that endpoint is.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;

use super::{ClientId, Endpoints, GrantKind, Token, TokenFailure, TokenRequest, TokenSource};
use crate::auth::Secret;
use crate::limits::{Limits, millis};

/// The most a token endpoint or discovery document may answer: they are a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// An OpenID Connect scheme's discovery document, read on first use and kept.
#[derive(Debug)]
pub(crate) struct Discovery {
    url: Arc<str>,
    found: tokio::sync::OnceCell<Discovered>,
}

#[derive(Debug, Clone)]
struct Discovered {
    token_endpoint: String,
    /// The server authenticates clients by form fields only (`client_secret_post`).
    body_auth: bool,
}

#[derive(serde::Deserialize)]
struct DiscoveryDocument {
    token_endpoint: Option<String>,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Vec<String>,
}

impl Discovery {
    pub fn new(url: &str) -> Self {
        Discovery {
            url: Arc::from(url),
            found: tokio::sync::OnceCell::new(),
        }
    }

    async fn get(
        &self,
        http: &reqwest::Client,
        limits: &Limits,
    ) -> Result<&Discovered, TokenFailure> {
        self.found
            .get_or_try_init(|| async {
                let failure = |reason: String| TokenFailure {
                    endpoint: self.url.to_string(),
                    code: None,
                    reason,
                };
                let request = http
                    .get(&*self.url)
                    .header(ACCEPT, "application/json")
                    .build()
                    .map_err(|e| failure(format!("not a URL: {}", e.without_url())))?;
                let (status, body) = send(http, limits, request).await.map_err(failure)?;
                if !status.is_success() {
                    return Err(failure(format!(
                        "the discovery document answered status {}",
                        status.as_u16()
                    )));
                }
                let doc: DiscoveryDocument = serde_json::from_slice(&body).map_err(|e| {
                    failure(format!("not an OpenID Connect discovery document: {e}"))
                })?;
                let token_endpoint = doc.token_endpoint.ok_or_else(|| {
                    failure("the discovery document names no `token_endpoint`".to_owned())
                })?;
                let methods = &doc.token_endpoint_auth_methods_supported;
                Ok(Discovered {
                    token_endpoint,
                    body_auth: methods.iter().any(|m| m == "client_secret_post")
                        && !methods.iter().any(|m| m == "client_secret_basic"),
                })
            })
            .await
    }
}

/// A new token for `scopes`: by `refresh` when there is one and the endpoint takes it, else by
/// the source's grant.
pub(crate) async fn fetch(
    source: &TokenSource,
    http: &reqwest::Client,
    limits: &Limits,
    scopes: &[&'static str],
    refresh: Option<Secret>,
) -> Result<Token, TokenFailure> {
    let (authorization_url, token_url, refresh_url) = match &source.endpoints {
        Endpoints::Flow {
            authorization_url,
            token_url,
            refresh_url,
        } => (
            authorization_url.as_deref().map(str::to_owned),
            token_url.as_deref().map(str::to_owned),
            refresh_url
                .as_ref()
                .or(token_url.as_ref())
                .map(|u| u.to_string()),
        ),
        Endpoints::Discovered(discovery) => {
            let found = discovery.get(http, limits).await?;
            if found.body_auth {
                source.body_auth.store(true, Ordering::Relaxed);
            }
            let url = Some(found.token_endpoint.clone());
            (None, url.clone(), url)
        }
    };
    let exchange = Exchange {
        source,
        http,
        limits,
        scopes,
    };
    let client = match &source.grant.0 {
        GrantKind::ClientCredentials(client) | GrantKind::Password { client, .. } => Some(client),
        GrantKind::Provided { client, .. } => client.as_ref(),
    };
    if let (Some(refresh), Some(client), Some(url)) = (refresh, client, &refresh_url) {
        // A refresh token the server no longer takes is not an error: the grant runs again.
        if let Ok(token) = exchange
            .run(url, client, GrantRequest::Refresh(&refresh))
            .await
        {
            return Ok(token);
        }
    }
    let no_endpoint = || TokenFailure {
        endpoint: "the description".to_owned(),
        code: None,
        reason: format!(
            "its `{}` flow declares no `tokenUrl`; give the token endpoint with the client's \
             `with_…_token_url` setter of this scheme",
            source.flow().as_str()
        ),
    };
    match &source.grant.0 {
        GrantKind::ClientCredentials(client) => {
            let url = token_url.ok_or_else(no_endpoint)?;
            exchange
                .run(&url, client, GrantRequest::ClientCredentials)
                .await
        }
        GrantKind::Password {
            client,
            username,
            password,
        } => {
            let url = token_url.ok_or_else(no_endpoint)?;
            exchange
                .run(&url, client, GrantRequest::Password(username, password))
                .await
        }
        GrantKind::Provided { flow, provider, .. } => provider
            .token(TokenRequest {
                scheme: source.scheme,
                flow: *flow,
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                authorization_url,
                token_url,
            })
            .await
            .map_err(|e| TokenFailure {
                endpoint: "the client's token provider".to_owned(),
                code: None,
                reason: e.to_string(),
            }),
    }
}

/// One request to the token endpoint, by grant type.
enum GrantRequest<'a> {
    ClientCredentials,
    Password(&'a str, &'a Secret),
    Refresh(&'a Secret),
}

struct Exchange<'a> {
    source: &'a TokenSource,
    http: &'a reqwest::Client,
    limits: &'a Limits,
    scopes: &'a [&'static str],
}

impl Exchange<'_> {
    /// One grant at `url`. A server that refuses the client's credentials in a basic header is
    /// asked once more with them in the form (RFC 6749 lets servers take either), and the
    /// client keeps to what worked.
    async fn run(
        &self,
        url: &str,
        client: &ClientId,
        grant: GrantRequest<'_>,
    ) -> Result<Token, TokenFailure> {
        let in_body = self.source.body_auth.load(Ordering::Relaxed);
        match self.once(url, client, &grant, in_body).await {
            Err(e)
                if !in_body
                    && client.secret.is_some()
                    && e.code.as_deref() == Some("invalid_client") =>
            {
                let token = self.once(url, client, &grant, true).await?;
                self.source.body_auth.store(true, Ordering::Relaxed);
                Ok(token)
            }
            other => other,
        }
    }

    async fn once(
        &self,
        url: &str,
        client: &ClientId,
        grant: &GrantRequest<'_>,
        in_body: bool,
    ) -> Result<Token, TokenFailure> {
        let failure = |code: Option<String>, reason: String| TokenFailure {
            endpoint: url.to_owned(),
            code,
            reason,
        };
        let scope = self.scopes.join(" ");
        let mut form: Vec<(&str, &str)> = match grant {
            GrantRequest::ClientCredentials => vec![("grant_type", "client_credentials")],
            GrantRequest::Password(username, password) => vec![
                ("grant_type", "password"),
                ("username", username),
                ("password", password.expose()),
            ],
            GrantRequest::Refresh(refresh) => {
                vec![
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh.expose()),
                ]
            }
        };
        // A refresh asks for no scope: the new token keeps those first granted (§6).
        if !scope.is_empty() && !matches!(grant, GrantRequest::Refresh(_)) {
            form.push(("scope", &scope));
        }
        let mut request = self.http.post(url).header(ACCEPT, "application/json");
        match (&client.secret, in_body) {
            // §2.3.1: both are form-encoded before they are joined and base64-encoded.
            (Some(secret), false) => {
                let encode = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                request = request.basic_auth(encode(&client.id), Some(encode(secret.expose())));
            }
            (secret, _) => {
                form.push(("client_id", &client.id));
                if let Some(secret) = secret {
                    form.push(("client_secret", secret.expose()));
                }
            }
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let request = request
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .build()
            .map_err(|e| failure(None, format!("not a URL: {}", e.without_url())))?;
        let (status, body) = send(self.http, self.limits, request)
            .await
            .map_err(|reason| failure(None, reason))?;
        // The body is never shown: it may hold a token.
        let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let text = |key: &str| answer.get(key).and_then(Value::as_str);
        if !status.is_success() {
            return Err(match text("error") {
                Some(code) => failure(
                    Some(code.to_owned()),
                    text("error_description").map_or_else(
                        || format!("refused with status {}", status.as_u16()),
                        str::to_owned,
                    ),
                ),
                None => failure(
                    None,
                    format!("answered status {} without an OAuth error", status.as_u16()),
                ),
            });
        }
        let Some(access) = text("access_token") else {
            return Err(failure(
                None,
                "the answer is not a token response (no `access_token`)".to_owned(),
            ));
        };
        match text("token_type") {
            Some(kind) if kind.eq_ignore_ascii_case("bearer") => {}
            other => {
                return Err(failure(
                    None,
                    format!(
                        "the token type is {}, not `Bearer`",
                        other.map_or_else(|| "missing".to_owned(), |t| format!("`{t}`"))
                    ),
                ));
            }
        }
        let mut token = Token::new(access);
        // A number, or (from some servers) a number in a string.
        let lifetime = answer.get("expires_in").and_then(|v| match v {
            Value::String(s) => s.trim().parse::<u64>().ok(),
            other => other.as_u64(),
        });
        if let Some(seconds) = lifetime {
            token = token.expires_in(Duration::from_secs(seconds));
        }
        match (text("refresh_token"), grant) {
            (Some(r), _) => token = token.refresh_token(r),
            // A refresh that returns no new refresh token leaves the old one usable.
            (None, GrantRequest::Refresh(old)) => token = token.refresh_token((*old).clone()),
            (None, _) => {}
        }
        Ok(token)
    }
}

/// One request to an authorization server, with the client's HTTP client and time limit: its
/// status and its answer, read up to [`MAX_ANSWER_BYTES`]. The error says why in a sentence.
async fn send(
    http: &reqwest::Client,
    limits: &Limits,
    request: reqwest::Request,
) -> Result<(reqwest::StatusCode, Vec<u8>), String> {
    let exchange = async {
        let mut response = http
            .execute(request)
            .await
            .map_err(|e| format!("request failed: {}", e.without_url()))?;
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("reading the answer failed: {}", e.without_url()))?
        {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(format!(
                    "the answer is larger than {MAX_ANSWER_BYTES} bytes"
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((response.status(), body))
    };
    match limits.request_timeout {
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .map_err(|_| format!("no answer within {} ms", millis(limit)))?,
        None => exchange.await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::grants;
    use wiremock::matchers::{body_string_contains, header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn token_from(answer: ResponseTemplate) -> Result<Secret, TokenFailure> {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let source = TokenSource::oauth2(
            "auth",
            grants::client_credentials("id", "s3cr3t-value"),
            None,
            Some(&format!("{}/token", server.uri())),
            None,
        );
        source
            .token(
                &reqwest::Client::new(),
                &Limits::default(),
                &["a", "b"],
                None,
            )
            .await
    }

    #[tokio::test]
    async fn token_answers_are_read_as_servers_write_them() {
        let ok = token_from(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "t1", "token_type": "bearer", "expires_in": "3600"
        })))
        .await;
        assert_eq!(
            ok.ok().map(|t| t.expose().to_owned()).as_deref(),
            Some("t1")
        );

        let mac = token_from(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "t1", "token_type": "mac"
        })))
        .await;
        assert!(mac.is_err_and(|f| f.reason == "the token type is `mac`, not `Bearer`"));

        let refused = token_from(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_scope"
        })))
        .await;
        assert!(
            refused.is_err_and(|f| f.code.as_deref() == Some("invalid_scope")
                && f.reason == "refused with status 400")
        );

        let broken =
            token_from(ResponseTemplate::new(502).set_body_string("<html>s3cr3t-value")).await;
        assert!(broken.is_err_and(
            |f| f.code.is_none() && f.reason == "answered status 502 without an OAuth error"
        ));
    }

    #[tokio::test]
    async fn the_grant_request_says_what_rfc_6749_asks() {
        let server = MockServer::start().await;
        // `id:s3cr3t+value` form-encoded, then base64: `aWQ6czNjcjN0JTJCdmFsdWU=`.
        Mock::given(method("POST"))
            .and(header("authorization", "Basic aWQ6czNjcjN0JTJCdmFsdWU="))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string_contains(
                "grant_type=client_credentials&scope=a+b",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "t2", "token_type": "Bearer"
            })))
            .mount(&server)
            .await;
        let source = TokenSource::oauth2(
            "auth",
            grants::client_credentials("id", "s3cr3t+value"),
            None,
            Some(&format!("{}/token", server.uri())),
            None,
        );
        let token = source
            .token(
                &reqwest::Client::new(),
                &Limits::default(),
                &["a", "b"],
                None,
            )
            .await;
        assert_eq!(
            token.ok().map(|t| t.expose().to_owned()).as_deref(),
            Some("t2")
        );
    }

    #[tokio::test]
    async fn a_refresh_goes_to_the_flows_refresh_url() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(wiremock::matchers::path("/token"))
            .and(body_string_contains("grant_type=password"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "first", "token_type": "Bearer", "expires_in": 0,
                "refresh_token": "r1"
            })))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(wiremock::matchers::path("/refresh"))
            .and(body_string_contains(
                "grant_type=refresh_token&refresh_token=r1",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "second", "token_type": "Bearer"
            })))
            .mount(&server)
            .await;
        let source = TokenSource::oauth2(
            "auth",
            grants::password("id", "secret", "alice", "pw"),
            None,
            Some(&format!("{}/token", server.uri())),
            Some(&format!("{}/refresh", server.uri())),
        );
        let http = reqwest::Client::new();
        let mut got = Vec::new();
        for _ in 0..2 {
            let token = source.token(&http, &Limits::default(), &["a"], None).await;
            got.push(token.ok().map(|t| t.expose().to_owned()));
        }
        // The first token expired at once: the second comes from `refreshUrl`.
        assert_eq!(got, [Some("first".to_owned()), Some("second".to_owned())]);
    }

    #[tokio::test]
    async fn discovery_is_read_once_and_picks_the_form_when_the_server_takes_only_that() {
        let server = MockServer::start().await;
        let discovery = format!("{}/.well-known/openid-configuration", server.uri());
        Mock::given(method("GET"))
            .and(wiremock::matchers::path(
                "/.well-known/openid-configuration",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "token_endpoint": format!("{}/oauth/token", server.uri()),
                "token_endpoint_auth_methods_supported": ["client_secret_post"]
            })))
            .expect(1)
            .mount(&server)
            .await;
        // Only a request with the credentials in the form gets a token.
        Mock::given(method("POST"))
            .and(wiremock::matchers::path("/oauth/token"))
            .and(body_string_contains("client_id=id&client_secret=secret"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "t", "token_type": "Bearer"
            })))
            .expect(2)
            .mount(&server)
            .await;
        let source = TokenSource::open_id_connect(
            "sso",
            grants::client_credentials("id", "secret"),
            &discovery,
        );
        let http = reqwest::Client::new();
        for scopes in [["a"], ["b"]] {
            let token = source.token(&http, &Limits::default(), &scopes, None).await;
            assert!(token.is_ok(), "{token:?}");
        }
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
    }
}
