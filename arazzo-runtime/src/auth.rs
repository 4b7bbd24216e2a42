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
}
