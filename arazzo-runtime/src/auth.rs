//! Credentials for the security schemes of OpenAPI descriptions. Secrets never appear in
//! `Debug` output or in logs. They are shared (`Arc`), so cloning a generated client into each
//! task allocates nothing.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::oauth::{Grant, TokenSource};

/// A secret string: shown as `***` by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// The secret itself, for putting on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<S: Into<String>> From<S> for Secret {
    fn from(value: S) -> Self {
        Secret::new(value)
    }
}

/// HTTP basic authentication (Twilio: account SID and auth token).
#[derive(Clone, PartialEq, Eq)]
pub struct Basic {
    pub username: Arc<str>,
    pub password: Secret,
    /// The `Authorization` value, encoded once for every request (each clones it: a reference
    /// count), marked sensitive.
    header: reqwest::header::HeaderValue,
}

impl Basic {
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        use base64::Engine as _;
        let username: Arc<str> = Arc::from(username.into());
        let password: Secret = password.into();
        let pair = format!("{username}:{}", password.expose());
        let value = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        );
        // Base64 after an ASCII prefix is always a valid header value.
        let mut header = reqwest::header::HeaderValue::from_str(&value)
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("Basic"));
        header.set_sensitive(true);
        Basic {
            username,
            password,
            header,
        }
    }

    /// `Authorization: Basic …` as sent.
    pub fn header(&self) -> &reqwest::header::HeaderValue {
        &self.header
    }

    /// The encoded pair, as sent after `Basic `: what a server echoing the header would show.
    pub(crate) fn encoded(&self) -> &str {
        self.header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Basic "))
            .unwrap_or_default()
    }
}

impl fmt::Debug for Basic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Basic")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// What one security scheme puts on a request.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    Basic(&'a Basic),
    Bearer(&'a Secret),
    ApiKey {
        location: KeyLocation,
        name: &'static str,
        key: &'a Secret,
    },
    /// A bearer token still to be had from `source`, for these scopes.
    OAuth {
        source: &'a TokenSource,
        scopes: &'static [&'static str],
    },
    /// The request goes through a client that presents the user's certificate.
    Tls(&'a TlsClient),
}

/// The HTTP client of a `mutualTLS` scheme: the user's, or one built on first use (with the
/// client's connect timeout) around the identity the user gave.
#[derive(Clone)]
pub struct TlsClient {
    identity: Option<reqwest::Identity>,
    client: Arc<OnceLock<reqwest::Client>>,
}

impl fmt::Debug for TlsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TlsClient")
    }
}

impl TlsClient {
    pub fn get(&self, connect_timeout: Option<std::time::Duration>) -> &reqwest::Client {
        self.client.get_or_init(|| {
            crate::http::built(connect_timeout, |builder| match self.identity.clone() {
                Some(identity) => builder.identity(identity),
                None => builder,
            })
        })
    }

    /// Whether redirects are followed by `Call` (a client built here follows none itself).
    pub fn is_built(&self) -> bool {
        self.identity.is_some()
    }
}

/// What a security scheme asks of the client, and what the client was given for it. A field of
/// the generated `Client` per scheme; its setter fills it. Knowing its own scheme and setter, it
/// says both when a step needs it and it is empty.
#[derive(Clone, Debug)]
pub struct Credential {
    scheme: &'static str,
    setter: &'static str,
    kind: CredentialKind,
    value: Option<Given>,
    /// The user's token endpoint (OAuth 2) or discovery URL (OpenID Connect), replacing the
    /// description's.
    endpoint: Option<Arc<str>>,
}

/// How a scheme's credential goes on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    Basic,
    Bearer,
    ApiKey {
        location: KeyLocation,
        name: &'static str,
    },
}

#[derive(Clone, Debug)]
enum Given {
    Basic(Basic),
    Secret(Secret),
    Tokens {
        source: Arc<TokenSource>,
        grant: Grant,
        endpoints: Endpoints,
    },
    Tls(TlsClient),
}

/// Where an OAuth scheme's tokens come from, as its description declares.
#[derive(Clone, Copy, Debug)]
pub enum Endpoints {
    /// An `oauth2` flow's `authorizationUrl`, `tokenUrl` (the device flow's
    /// `deviceAuthorizationUrl` there too) and `refreshUrl`.
    Flow {
        authorization_url: Option<&'static str>,
        token_url: Option<&'static str>,
        refresh_url: Option<&'static str>,
    },
    /// An `openIdConnect` scheme's `openIdConnectUrl`.
    Discovery(&'static str),
}

impl Credential {
    /// An empty credential of security scheme `scheme`, set with the client's `setter`.
    pub const fn new(scheme: &'static str, setter: &'static str, kind: CredentialKind) -> Self {
        Credential {
            scheme,
            setter,
            kind,
            value: None,
            endpoint: None,
        }
    }

    /// An HTTP basic scheme's credential.
    pub const fn basic(scheme: &'static str, setter: &'static str) -> Self {
        Self::new(scheme, setter, CredentialKind::Basic)
    }

    /// A bearer token's (HTTP bearer, OAuth 2, OpenID Connect).
    pub const fn bearer(scheme: &'static str, setter: &'static str) -> Self {
        Self::new(scheme, setter, CredentialKind::Bearer)
    }

    /// An API key's, sent as `name` in `location`.
    pub const fn api_key(
        scheme: &'static str,
        setter: &'static str,
        location: KeyLocation,
        name: &'static str,
    ) -> Self {
        Self::new(scheme, setter, CredentialKind::ApiKey { location, name })
    }

    /// HTTP basic credentials.
    pub fn set_basic(&mut self, username: impl Into<String>, password: impl Into<Secret>) {
        self.value = Some(Given::Basic(Basic::new(username, password)));
    }

    /// A bearer token or an API key.
    pub fn set_secret(&mut self, secret: impl Into<Secret>) {
        self.value = Some(Given::Secret(secret.into()));
    }

    /// Tokens got by `grant`, from `endpoints` (or the endpoint the user set).
    pub fn set_grant(&mut self, grant: Grant, endpoints: Endpoints) {
        let source = self.token_source(&grant, endpoints);
        self.value = Some(Given::Tokens {
            source,
            grant,
            endpoints,
        });
    }

    /// The token endpoint (OAuth 2) or discovery document (OpenID Connect) to use instead of
    /// the description's; tokens already had are dropped.
    pub fn set_endpoint(&mut self, url: impl AsRef<str>) {
        self.endpoint = Some(Arc::from(url.as_ref()));
        if let Some(Given::Tokens {
            grant, endpoints, ..
        }) = self.value.take()
        {
            self.set_grant(grant, endpoints);
        }
    }

    fn token_source(&self, grant: &Grant, endpoints: Endpoints) -> Arc<TokenSource> {
        let user = self.endpoint.as_deref();
        match endpoints {
            Endpoints::Flow {
                authorization_url,
                token_url,
                refresh_url,
            } => TokenSource::oauth2(
                self.scheme,
                grant.clone(),
                authorization_url,
                user.or(token_url),
                // The user's endpoint stands for the whole server.
                if user.is_some() { None } else { refresh_url },
            ),
            Endpoints::Discovery(url) => {
                TokenSource::open_id_connect(self.scheme, grant.clone(), user.unwrap_or(url))
            }
        }
    }

    /// A client certificate and key (`reqwest::Identity`), presented by a client built for the
    /// scheme's requests.
    pub fn set_identity(&mut self, identity: reqwest::Identity) {
        self.value = Some(Given::Tls(TlsClient {
            identity: Some(identity),
            client: Arc::new(OnceLock::new()),
        }));
    }

    /// The user's own client for the scheme's requests, built with its identity.
    pub fn set_tls_client(&mut self, client: reqwest::Client) {
        self.value = Some(Given::Tls(TlsClient {
            identity: None,
            client: Arc::new(OnceLock::from(client)),
        }));
    }

    /// For a generated mock: a placeholder when nothing is set (basic `mock`/`mock-password`,
    /// else the token or key `mock-token`), so a test needs no credentials. One already set is
    /// kept and sent to the mock as it would be to the API, except OAuth grants: the mock has
    /// no token endpoint, so they are replaced by the token `mock-token` too.
    #[cfg(feature = "mock")]
    pub fn fill_for_mock(&mut self) {
        if self.value.is_some() && !matches!(self.value, Some(Given::Tokens { .. })) {
            return;
        }
        match self.kind {
            CredentialKind::Basic => self.set_basic("mock", "mock-password"),
            CredentialKind::Bearer | CredentialKind::ApiKey { .. } => self.set_secret("mock-token"),
        }
    }

    /// The scheme's name in the OpenAPI description.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// The client method that sets it.
    pub fn setter(&self) -> &'static str {
        self.setter
    }

    /// What goes on the request, when the credential is set.
    pub fn auth(&self) -> Option<Auth<'_>> {
        self.auth_scoped(&[])
    }

    /// [`Credential::auth`] for an operation that requires `scopes`.
    pub fn auth_scoped(&self, scopes: &'static [&'static str]) -> Option<Auth<'_>> {
        match (&self.value, self.kind) {
            (Some(Given::Tokens { source, .. }), _) => Some(Auth::OAuth { source, scopes }),
            (Some(Given::Tls(client)), _) => Some(Auth::Tls(client)),
            (Some(Given::Basic(basic)), _) => Some(Auth::Basic(basic)),
            (Some(Given::Secret(token)), CredentialKind::ApiKey { location, name }) => {
                Some(Auth::ApiKey {
                    location,
                    name,
                    key: token,
                })
            }
            (Some(Given::Secret(token)), _) => Some(Auth::Bearer(token)),
            (None, _) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let basic = Basic::new("AC123", "token-value");
        let shown = format!("{basic:?} {:?}", Secret::new("bearer-value"));
        assert!(
            !shown.contains("token-value") && !shown.contains("bearer-value"),
            "{shown}"
        );
        assert!(shown.contains("AC123"));
        assert_eq!(basic.password.expose(), "token-value");
        // What reqwest's own `basic_auth` sends, encoded once.
        assert_eq!(basic.header(), "Basic QUMxMjM6dG9rZW4tdmFsdWU=");
        assert!(basic.header().is_sensitive());
        assert_eq!(basic.encoded(), "QUMxMjM6dG9rZW4tdmFsdWU=");
    }

    #[test]
    fn credentials_say_how_they_are_sent_and_never_show_their_secret() {
        let mut key = Credential::new(
            "apiKey",
            "with_api_key",
            CredentialKind::ApiKey {
                location: KeyLocation::Query,
                name: "key",
            },
        );
        assert!(key.auth().is_none());
        key.set_secret("k-123");
        assert!(matches!(
            key.auth(),
            Some(Auth::ApiKey {
                location: KeyLocation::Query,
                name: "key",
                ..
            })
        ));
        assert!(!format!("{key:?}").contains("k-123"));
        let mut basic = Credential::new("basic", "with_basic", CredentialKind::Basic);
        basic.set_basic("AC1", "t0k3n");
        assert!(matches!(basic.auth(), Some(Auth::Basic(_))));
        assert!(!format!("{basic:?}").contains("t0k3n"));
    }
}
