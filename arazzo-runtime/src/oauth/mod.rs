//! OAuth 2 and OpenID Connect tokens for the security schemes that ask for them: how a client
//! gets them (a grant it runs itself, or a [`TokenProvider`] of the user's), where it gets them
//! (the flow's `tokenUrl`, or the endpoint OpenID Connect discovery names) and how long it
//! keeps them (`cache.rs`).
//!
//! One [`TokenSource`] per scheme, shared by every clone of a client: runs share its tokens,
//! and a token is fetched by one of them at a time.

mod cache;
mod endpoint;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::Secret;
use crate::limits::Limits;

pub(crate) use cache::TokenCache;
pub(crate) use endpoint::Discovery;

/// The OAuth 2 flows of OpenAPI (`flows` of an `oauth2` scheme).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Flow {
    ClientCredentials,
    Password,
    AuthorizationCode,
    Implicit,
    DeviceAuthorization,
}

impl Flow {
    /// The flow's name in OpenAPI.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::ClientCredentials => "clientCredentials",
            Flow::Password => "password",
            Flow::AuthorizationCode => "authorizationCode",
            Flow::Implicit => "implicit",
            Flow::DeviceAuthorization => "deviceAuthorization",
        }
    }
}

/// An access token, as a [`TokenProvider`] gives it to the client.
#[derive(Clone, Debug)]
pub struct Token {
    access: Secret,
    expires_in: Option<Duration>,
    refresh: Option<Secret>,
}

impl Token {
    /// A token used until a server answers 401 (or until [`Token::expires_in`]).
    pub fn new(access_token: impl Into<Secret>) -> Self {
        Token {
            access: access_token.into(),
            expires_in: None,
            refresh: None,
        }
    }

    /// How long the token is valid from now (the token response's `expires_in`).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// The refresh token the server gave with it: the client uses it at the flow's
    /// `refreshUrl` (else `tokenUrl`) before asking the provider again.
    pub fn refresh_token(mut self, refresh_token: impl Into<Secret>) -> Self {
        self.refresh = Some(refresh_token.into());
        self
    }
}

/// What a [`TokenProvider`] is asked for.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TokenRequest {
    /// The security scheme's name in the OpenAPI description.
    pub scheme: &'static str,
    pub flow: Flow,
    /// The scopes the operation about to be called requires.
    pub scopes: Vec<String>,
    /// Where the user authorizes: the flow's `authorizationUrl` (authorization code,
    /// implicit), or `deviceAuthorizationUrl` (device authorization).
    pub authorization_url: Option<String>,
    /// The flow's `tokenUrl`.
    pub token_url: Option<String>,
}

/// The error a [`TokenProvider`] returns.
pub type ProviderError = Box<dyn std::error::Error + Send + Sync>;

/// Gives tokens for the flows a library cannot run by itself (authorization code, implicit,
/// device authorization: someone has to use a browser). The client caches what it returns,
/// uses the refresh token when there is one, and asks again when neither is left.
///
/// Any `Fn(TokenRequest) -> impl Future<Output = Result<Token, ProviderError>>` is one.
pub trait TokenProvider: Send + Sync + 'static {
    fn token(
        &self,
        request: TokenRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Token, ProviderError>> + Send + 'static>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, ProviderError>> + Send + 'static,
{
    fn token(
        &self,
        request: TokenRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Token, ProviderError>> + Send + 'static>> {
        Box::pin(self(request))
    }
}

/// An OAuth client's registration: its id, and its secret for confidential clients.
#[derive(Clone, Debug)]
pub struct ClientId {
    pub id: Arc<str>,
    /// `None` (an empty secret given) for a public client, which authenticates by id alone.
    pub secret: Option<Secret>,
}

impl ClientId {
    pub fn new(id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        let secret = secret.into();
        ClientId {
            id: Arc::from(id.into()),
            secret: (!secret.expose().is_empty()).then_some(secret),
        }
    }
}

/// How a source gets its tokens: made by a generated setter (`grants`).
#[derive(Clone, Debug)]
pub struct Grant(pub(crate) GrantKind);

#[derive(Clone)]
pub(crate) enum GrantKind {
    ClientCredentials(ClientId),
    Password {
        client: ClientId,
        username: Arc<str>,
        password: Secret,
    },
    /// Tokens from the user's provider; the client (when given) refreshes them.
    Provided {
        flow: Flow,
        client: Option<ClientId>,
        provider: Arc<dyn TokenProvider>,
    },
}

impl GrantKind {
    fn flow(&self) -> Flow {
        match self {
            GrantKind::ClientCredentials(_) => Flow::ClientCredentials,
            GrantKind::Password { .. } => Flow::Password,
            GrantKind::Provided { flow, .. } => *flow,
        }
    }
}

impl fmt::Debug for GrantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.flow().as_str())
    }
}

/// Where the token endpoint is.
#[derive(Debug)]
pub(crate) enum Endpoints {
    /// An `oauth2` flow's own URLs.
    Flow {
        authorization_url: Option<Arc<str>>,
        token_url: Option<Arc<str>>,
        refresh_url: Option<Arc<str>>,
    },
    /// An `openIdConnect` scheme: found once, from its discovery document.
    Discovered(Discovery),
}

/// The tokens of one security scheme: how to get them, and those already had (by scope set).
#[derive(Debug)]
pub struct TokenSource {
    pub(crate) scheme: &'static str,
    pub(crate) grant: Grant,
    pub(crate) endpoints: Endpoints,
    pub(crate) cache: TokenCache,
    /// The token endpoint wants client credentials in the form, not a basic header.
    pub(crate) body_auth: std::sync::atomic::AtomicBool,
}

impl TokenSource {
    fn new(scheme: &'static str, grant: Grant, endpoints: Endpoints) -> Arc<Self> {
        Arc::new(TokenSource {
            scheme,
            grant,
            endpoints,
            cache: TokenCache::default(),
            body_auth: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// An `oauth2` scheme's flow, at its declared URLs (`None` where the flow has none).
    pub fn oauth2(
        scheme: &'static str,
        grant: Grant,
        authorization_url: Option<&str>,
        token_url: Option<&str>,
        refresh_url: Option<&str>,
    ) -> Arc<Self> {
        let url = |u: Option<&str>| u.filter(|u| !u.is_empty()).map(Arc::from);
        Self::new(
            scheme,
            grant,
            Endpoints::Flow {
                authorization_url: url(authorization_url),
                token_url: url(token_url),
                refresh_url: url(refresh_url),
            },
        )
    }

    /// An `openIdConnect` scheme, whose token endpoint its discovery document names.
    pub fn open_id_connect(scheme: &'static str, grant: Grant, discovery_url: &str) -> Arc<Self> {
        Self::new(
            scheme,
            grant,
            Endpoints::Discovered(Discovery::new(discovery_url)),
        )
    }

    /// The flow this source runs.
    pub fn flow(&self) -> Flow {
        self.grant.0.flow()
    }

    /// A token for `scopes`: the cached one while it is valid, else a new one (refreshed when
    /// a refresh token is kept). `stale`: a token the server refused (a 401), never given again.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        limits: &Limits,
        scopes: &[&'static str],
        stale: Option<&Secret>,
    ) -> Result<Secret, TokenFailure> {
        let mut slot = self.cache.slot(scopes).await;
        if let Some(token) = slot.valid(stale) {
            return Ok(token);
        }
        let refresh = slot.take_refresh();
        let token = endpoint::fetch(self, http, limits, scopes, refresh).await?;
        Ok(slot.keep(token))
    }
}

/// Why no token could be had: what the error of the step that needed it says.
#[derive(Debug, Clone)]
pub(crate) struct TokenFailure {
    /// The token endpoint asked (or the provider, or the discovery document).
    pub endpoint: String,
    /// The OAuth error code the server gave (`invalid_client`, …).
    pub code: Option<String>,
    pub reason: String,
}

/// Grants, as generated setters make them.
pub mod grants {
    use super::{ClientId, Flow, Grant, GrantKind, TokenProvider};
    use crate::auth::Secret;
    use std::sync::Arc;

    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Grant {
        Grant(GrantKind::ClientCredentials(ClientId::new(
            client_id,
            client_secret,
        )))
    }

    pub fn password(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Grant {
        Grant(GrantKind::Password {
            client: ClientId::new(client_id, client_secret),
            username: Arc::from(username.into()),
            password: password.into(),
        })
    }

    /// Tokens from `provider`, refreshed as `client_id` (when given).
    pub fn provided(
        flow: Flow,
        client: Option<(String, Secret)>,
        provider: impl TokenProvider,
    ) -> Grant {
        Grant(GrantKind::Provided {
            flow,
            client: client.map(|(id, secret)| ClientId::new(id, secret)),
            provider: Arc::new(provider),
        })
    }
}
