//! Building one operation call, sending it, and keeping what `$request…`, `$response…`,
//! `$statusCode`, `$url` and `$method` read afterwards: the client's HTTP client and request
//! hook here, the call in `call.rs`, the finished exchange in `exchange.rs`.

mod call;
mod exchange;

pub use call::{Call, FieldValue, calls};
pub use exchange::Exchange;

use std::sync::OnceLock;

/// The `reqwest::Client` of a generated client: the one given with `with_http_client`, else a
/// default one built on first use. Building one loads the system's root certificates (about
/// 10 ms), so `Client::new()` does not: a client given its own, or never used, never pays.
/// Clones share it, and its connection pool.
#[derive(Clone, Debug, Default)]
pub struct HttpClient(std::sync::Arc<OnceLock<reqwest::Client>>);

impl HttpClient {
    pub fn new(client: reqwest::Client) -> Self {
        HttpClient(std::sync::Arc::new(OnceLock::from(client)))
    }

    pub fn get(&self) -> &reqwest::Client {
        self.0.get_or_init(reqwest::Client::new)
    }
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
