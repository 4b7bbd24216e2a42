//! Messages, for the steps of Arazzo 1.1 that send to or receive from an AsyncAPI channel.
//!
//! A generated client reaches a broker through a [`Transport`]: send a message to a channel's
//! address, and subscribe to one. Implement it to plug in any broker client; the runtime's
//! features `mqtt` and `nats` bring ready ones. What generated code does with a transport —
//! subscribing before the workflow's first step, skipping messages of other correlations,
//! waiting no longer than the step's timeout — is the runtime's, not the transport's.

// What generated code calls, re-exported in `__private`.
pub(crate) mod delivery;
pub(crate) mod outgoing;
pub(crate) mod receive;
pub(crate) mod source;

#[cfg(feature = "mqtt")]
pub mod mqtt;
#[cfg(feature = "nats")]
pub mod nats;

use delivery::Delivery;
use source::MessageSource;

use std::future::Future;
use std::pin::Pin;

use tokio::sync::mpsc;

/// A boxed future, as [`Transport`] methods return (the trait is object safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A message to send: headers (AsyncAPI message headers, carried as the protocol carries
/// headers: MQTT 5 user properties, NATS headers), the payload's bytes and its content type.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
    pub content_type: Option<String>,
}

/// A message a subscription delivered.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct IncomingMessage {
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

impl IncomingMessage {
    /// The value of header `name` (exact name first, then ignoring ASCII case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .or_else(|| {
                self.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
            })
            .map(|(_, v)| v.as_str())
    }
}

// Header values may be credentials: `Debug` shows names and sizes only.
impl std::fmt::Debug for OutgoingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMessage")
            .field("headers", &header_names(&self.headers))
            .field("payload_bytes", &self.payload.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl std::fmt::Debug for IncomingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncomingMessage")
            .field("headers", &header_names(&self.headers))
            .field("payload_bytes", &self.payload.len())
            .finish()
    }
}

/// Ends a transport's background task (a forwarding loop, an event loop) when what it serves is
/// dropped.
#[cfg_attr(not(any(feature = "mqtt", feature = "nats")), allow(dead_code))]
pub(crate) struct AbortOnDrop(pub(crate) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn header_names(headers: &[(String, String)]) -> Vec<&str> {
    headers.iter().map(|(k, _)| k.as_str()).collect()
}

/// Why a transport could not connect, send or subscribe.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(Box<dyn std::error::Error + Send + Sync>);

impl TransportError {
    /// Wraps the broker client's own error.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError(source.into())
    }
}

/// Where messages come from and go to. Implement it for a broker client to use that broker;
/// give it to the generated client with `with_<source>_transport`.
pub trait Transport: Send + Sync + 'static {
    /// Sends `message` to the channel at `address` (a topic, subject, queue…). Done once the
    /// broker client has taken the message: Arazzo does not model delivery confirmation.
    fn send<'a>(
        &'a self,
        address: &'a str,
        message: OutgoingMessage,
    ) -> BoxFuture<'a, Result<(), TransportError>>;

    /// Starts receiving what arrives at `address` from now on. The subscription must be in
    /// place when this returns: a workflow subscribes before the step that triggers the message.
    fn subscribe<'a>(
        &'a self,
        address: &'a str,
    ) -> BoxFuture<'a, Result<Subscription, TransportError>>;
}

/// How many messages a subscription holds before its transport must wait (or drop, as its
/// protocol does): a bound on memory, not on correctness.
pub const SUBSCRIPTION_CAPACITY: usize = 256;

/// The messages arriving at one address, in order, until it is dropped.
pub struct Subscription {
    rx: mpsc::Receiver<IncomingMessage>,
    /// Whatever keeps the subscription alive on the transport's side (a task, an unsubscribe
    /// handle), dropped with it.
    _guard: Option<Box<dyn Send + Sync>>,
}

impl Subscription {
    /// A subscription and the sender its transport delivers into (bounded by
    /// [`SUBSCRIPTION_CAPACITY`]).
    pub fn channel() -> (mpsc::Sender<IncomingMessage>, Subscription) {
        let (tx, rx) = mpsc::channel(SUBSCRIPTION_CAPACITY);
        (tx, Subscription { rx, _guard: None })
    }

    /// Keeps `guard` until the subscription is dropped (to end a forwarding task, say).
    pub fn with_guard(mut self, guard: impl Send + Sync + 'static) -> Self {
        self._guard = Some(Box::new(guard));
        self
    }

    /// The next message; `None` once the transport has closed the subscription.
    pub async fn next(&mut self) -> Option<IncomingMessage> {
        self.rx.recv().await
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").finish_non_exhaustive()
    }
}
