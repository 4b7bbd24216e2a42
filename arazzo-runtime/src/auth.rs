//! Credentials for the security schemes of OpenAPI descriptions. Secrets never appear in
//! `Debug` output or in logs. They are shared (`Arc`), so cloning a generated client into each
//! task allocates nothing.

use std::fmt;
use std::sync::Arc;

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Basic {
    pub username: Arc<str>,
    pub password: Secret,
}

impl Basic {
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Basic {
            username: Arc::from(username.into()),
            password: password.into(),
        }
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
}

impl Credential {
    /// An empty credential of security scheme `scheme`, set with the client's `setter`.
    pub const fn new(scheme: &'static str, setter: &'static str, kind: CredentialKind) -> Self {
        Credential {
            scheme,
            setter,
            kind,
            value: None,
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
        match (&self.value, self.kind) {
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
