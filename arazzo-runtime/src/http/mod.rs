//! Building one operation call, sending it, and keeping what `$request…`, `$response…`,
//! `$statusCode`, `$url` and `$method` read afterwards: the client's HTTP client and request
//! hook here, the call in `call.rs` (its form fields in `field.rs`), its sending in `send.rs`
//! (redirects in `redirect.rs`), the finished exchange in `exchange.rs`.

mod call;
mod exchange;
mod field;
mod redirect;
mod send;

pub use call::{Call, calls};
pub use exchange::Exchange;
#[cfg(feature = "restate")]
pub(crate) use exchange::RequestRecord;
#[cfg(test)]
pub(crate) use field::form_fields;
pub use field::{FieldValue, Typed};
#[cfg(feature = "restate")]
pub(crate) use send::BoxedExchange;

use std::sync::OnceLock;

/// The `reqwest::Client` of a generated client: the one given with `with_http_client`, else a
/// default one built on first use. Building one loads the system's root certificates (about
/// 10 ms), so `Client::new()` does not: a client given its own, or never used, never pays.
/// Clones share it, and its connection pool.
#[derive(Clone, Debug)]
pub struct HttpClient {
    client: std::sync::Arc<OnceLock<reqwest::Client>>,
    /// For the default client, built on first use; `None` for one the user gave.
    connect_timeout: Option<Option<std::time::Duration>>,
}

impl Default for HttpClient {
    fn default() -> Self {
        HttpClient::built(crate::limits::Limits::default().connect_timeout)
    }
}

impl HttpClient {
    /// The user's client, used as it is.
    pub fn new(client: reqwest::Client) -> Self {
        HttpClient {
            client: std::sync::Arc::new(OnceLock::from(client)),
            connect_timeout: None,
        }
    }

    /// The default client, built on first use with this connect timeout. It sends no
    /// `Referer`, which would carry the previous URL (and any key in its query) to the next,
    /// and follows no redirect: `Call` does, keeping credentials to their origin.
    pub fn built(connect_timeout: Option<std::time::Duration>) -> Self {
        HttpClient {
            client: std::sync::Arc::new(OnceLock::new()),
            connect_timeout: Some(connect_timeout),
        }
    }

    /// Whether this is the default client (not one the user gave).
    pub fn is_default(&self) -> bool {
        self.connect_timeout.is_some()
    }

    pub fn get(&self) -> &reqwest::Client {
        self.client
            .get_or_init(|| built(self.connect_timeout.flatten(), |b| b))
    }
}

/// A client as the runtime builds them: no `Referer`, no redirect followed by reqwest (`Call`
/// follows them, keeping credentials to their origin), the connect timeout; `more` adds to
/// the builder (a client identity).
pub fn built(
    connect_timeout: Option<std::time::Duration>,
    more: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .referer(false)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(limit) = connect_timeout {
        builder = builder.connect_timeout(limit);
    }
    // Building fails only when the TLS backend cannot start, as `Client::new` would.
    more(builder)
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// What `with_request_hook` of a generated client takes: any closure that sees, and may
/// change, a request just before it is sent (to add a header, sign it, log it).
pub trait RequestHook: Fn(&mut reqwest::Request) + Send + Sync + 'static {}

impl<F: Fn(&mut reqwest::Request) + Send + Sync + 'static> RequestHook for F {}

/// A request hook, shared by clones of a client.
#[derive(Clone)]
pub struct SharedHook(std::sync::Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>);

impl SharedHook {
    pub fn new(hook: impl RequestHook) -> Self {
        SharedHook(std::sync::Arc::new(hook))
    }
}

impl std::fmt::Debug for SharedHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedHook")
    }
}
