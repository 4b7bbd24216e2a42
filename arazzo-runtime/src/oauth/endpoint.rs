//! Talking to the token endpoint: the grant requests and token responses of RFC 6749 (built
//! and read by the `oauth2` crate, sent by the client's own HTTP client within its limits),
//! and OpenID Connect discovery of where that endpoint is.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use oauth2::basic::BasicClient;
use oauth2::{AuthType, RequestTokenError, TokenResponse};

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
                let request = http::Request::get(&*self.url)
                    .header(http::header::ACCEPT, "application/json")
                    .body(Vec::new())
                    .map_err(|e| failure(format!("not a URL: {e}")))?;
                let answer = send(http, limits, request)
                    .await
                    .map_err(|e| failure(e.0))?;
                if !answer.status().is_success() {
                    return Err(failure(format!(
                        "the discovery document answered status {}",
                        answer.status().as_u16()
                    )));
                }
                let doc: DiscoveryDocument =
                    serde_json::from_slice(answer.body()).map_err(|e| {
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
        if let Ok(token) = exchange.run(url, client, Grant::Refresh(&refresh)).await {
            return Ok(token);
        }
    }
    let no_endpoint = || TokenFailure {
        endpoint: format!("security scheme `{}`", source.scheme),
        code: None,
        reason: format!(
            "its `{}` flow declares no `tokenUrl`; set one on the client",
            source.flow().as_str()
        ),
    };
    match &source.grant.0 {
        GrantKind::ClientCredentials(client) => {
            let url = token_url.ok_or_else(no_endpoint)?;
            exchange.run(&url, client, Grant::ClientCredentials).await
        }
        GrantKind::Password {
            client,
            username,
            password,
        } => {
            let url = token_url.ok_or_else(no_endpoint)?;
            exchange
                .run(&url, client, Grant::Password(username, password))
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

enum Grant<'a> {
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
        grant: Grant<'_>,
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
        grant: &Grant<'_>,
        in_body: bool,
    ) -> Result<Token, TokenFailure> {
        let failure = |code: Option<String>, reason: String| TokenFailure {
            endpoint: url.to_owned(),
            code,
            reason,
        };
        let token_url = oauth2::TokenUrl::new(url.to_owned())
            .map_err(|e| failure(None, format!("not a URL: {e}")))?;
        let mut oauth = BasicClient::new(oauth2::ClientId::new(client.id.to_string()))
            .set_token_uri(token_url)
            .set_auth_type(if in_body {
                AuthType::RequestBody
            } else {
                AuthType::BasicAuth
            });
        if let Some(secret) = &client.secret {
            oauth = oauth.set_client_secret(oauth2::ClientSecret::new(secret.expose().to_owned()));
        }
        let scopes = self
            .scopes
            .iter()
            .map(|s| oauth2::Scope::new((*s).to_owned()));
        let http = Sender {
            http: self.http.clone(),
            limits: *self.limits,
        };
        let answer = match grant {
            Grant::ClientCredentials => {
                oauth
                    .exchange_client_credentials()
                    .add_scopes(scopes)
                    .request_async(&http)
                    .await
            }
            Grant::Password(username, password) => {
                let username = oauth2::ResourceOwnerUsername::new((*username).to_owned());
                let password = oauth2::ResourceOwnerPassword::new(password.expose().to_owned());
                oauth
                    .exchange_password(&username, &password)
                    .add_scopes(scopes)
                    .request_async(&http)
                    .await
            }
            Grant::Refresh(refresh) => {
                let refresh_token = oauth2::RefreshToken::new(refresh.expose().to_owned());
                // No scope: the refreshed token keeps the scopes first granted (RFC 6749 §6).
                oauth
                    .exchange_refresh_token(&refresh_token)
                    .request_async(&http)
                    .await
            }
        };
        let answer = answer.map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => failure(
                Some(r.error().as_ref().to_owned()),
                r.error_description()
                    .cloned()
                    .unwrap_or_else(|| "the server refused the request".to_owned()),
            ),
            RequestTokenError::Request(e) => failure(None, e.0),
            // The body is not shown: it may hold a token.
            RequestTokenError::Parse(e, _) => failure(
                None,
                format!("the answer is not a token response: {}", e.inner()),
            ),
            RequestTokenError::Other(reason) => failure(None, reason),
        })?;
        let mut token = Token::new(answer.access_token().secret().as_str());
        if let Some(life) = answer.expires_in() {
            token = token.expires_in(life);
        }
        match (answer.refresh_token(), grant) {
            (Some(r), _) => token = token.refresh_token(r.secret().as_str()),
            // A refresh that returns no new refresh token leaves the old one usable.
            (None, Grant::Refresh(old)) => token = token.refresh_token((*old).clone()),
            (None, _) => {}
        }
        Ok(token)
    }
}

/// The client's HTTP client, as the `oauth2` crate sends with it.
struct Sender {
    http: reqwest::Client,
    limits: Limits,
}

impl<'c> oauth2::AsyncHttpClient<'c> for Sender {
    type Error = EndpointError;
    type Future = std::pin::Pin<
        Box<dyn Future<Output = Result<http::Response<Vec<u8>>, EndpointError>> + Send + 'c>,
    >;

    fn call(&'c self, request: http::Request<Vec<u8>>) -> Self::Future {
        Box::pin(send(&self.http, &self.limits, request))
    }
}

/// Why an exchange with an endpoint failed (connection, time limit, answer too large).
#[derive(Debug)]
pub(crate) struct EndpointError(String);

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

/// One request to an authorization server, with the client's HTTP client and time limit, its
/// answer read up to [`MAX_ANSWER_BYTES`].
async fn send(
    http: &reqwest::Client,
    limits: &Limits,
    request: http::Request<Vec<u8>>,
) -> Result<http::Response<Vec<u8>>, EndpointError> {
    let request = reqwest::Request::try_from(request)
        .map_err(|e| EndpointError(format!("cannot build the request: {e}")))?;
    let exchange =
        async {
            let mut response = http
                .execute(request)
                .await
                .map_err(|e| EndpointError(format!("request failed: {}", e.without_url())))?;
            let mut answer = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                answer = answer.header(name, value);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| {
                EndpointError(format!("reading the answer failed: {}", e.without_url()))
            })? {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(EndpointError(format!(
                        "the answer is larger than {MAX_ANSWER_BYTES} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            answer
                .body(body)
                .map_err(|e| EndpointError(format!("unreadable answer: {e}")))
        };
    match limits.request_timeout {
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .map_err(|_| EndpointError(format!("no answer within {} ms", millis(limit))))?,
        None => exchange.await,
    }
}
