//! The bounds every generated client applies to its requests, so that no server can hold a
//! workflow forever or fill the process's memory: how long connecting, a whole request and a
//! silence in the middle of a response may take, how long a retry may be asked to wait, and
//! how large a response body may be.

use std::time::Duration;

/// Connecting to a server (the default HTTP client only): a host that takes longer is down.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// One request, from sending it to the last byte of its response. A step's Arazzo `timeout`
/// replaces it for that step.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A silence while the response is read: headers sent, then no byte of the body.
pub const DEFAULT_READ_STALL: Duration = Duration::from_secs(15);
/// The longest a `retry` may wait, whether a `retryAfter` or a server's `Retry-After` asks.
pub const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_secs(300);
/// The largest response body read: bodies are read into memory, and JSON more than that again.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// The time and size bounds of a generated client's requests (`Client::with_limits`). Each is
/// `None` for no bound. [`Limits::default`] is what a client has unless told otherwise;
/// [`Limits::unbounded`] opts out of all of them.
///
/// They hold for a client given its own `reqwest::Client` too, except the connect timeout,
/// which only the default HTTP client can apply (there the request timeout bounds connecting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Default [`DEFAULT_CONNECT_TIMEOUT`].
    pub connect_timeout: Option<Duration>,
    /// Default [`DEFAULT_REQUEST_TIMEOUT`]; a step's Arazzo `timeout` replaces it for that step.
    pub request_timeout: Option<Duration>,
    /// Default [`DEFAULT_READ_STALL`].
    pub read_stall: Option<Duration>,
    /// Default [`DEFAULT_MAX_RETRY_DELAY`]. A retry asked to wait longer is
    /// `Error::RetryDelay`, not a shorter wait.
    pub max_retry_delay: Option<Duration>,
    /// Default [`DEFAULT_MAX_BODY_BYTES`].
    pub max_body_bytes: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
            read_stall: Some(DEFAULT_READ_STALL),
            max_retry_delay: Some(DEFAULT_MAX_RETRY_DELAY),
            max_body_bytes: Some(DEFAULT_MAX_BODY_BYTES),
        }
    }
}

impl Limits {
    /// No bound at all: for callers that bound requests themselves.
    pub const fn unbounded() -> Self {
        Limits {
            connect_timeout: None,
            request_timeout: None,
            read_stall: None,
            max_retry_delay: None,
            max_body_bytes: None,
        }
    }

    pub const fn with_connect_timeout(mut self, limit: Option<Duration>) -> Self {
        self.connect_timeout = limit;
        self
    }

    pub const fn with_request_timeout(mut self, limit: Option<Duration>) -> Self {
        self.request_timeout = limit;
        self
    }

    pub const fn with_read_stall(mut self, limit: Option<Duration>) -> Self {
        self.read_stall = limit;
        self
    }

    pub const fn with_max_retry_delay(mut self, limit: Option<Duration>) -> Self {
        self.max_retry_delay = limit;
        self
    }

    pub const fn with_max_body_bytes(mut self, limit: Option<u64>) -> Self {
        self.max_body_bytes = limit;
        self
    }
}

/// Milliseconds, for errors.
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
