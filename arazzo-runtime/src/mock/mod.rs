//! Test doubles for code that calls generated workflows (feature `mock`).
//!
//! With the feature on, every generated module also has a `mock` module:
//!
//! - `mock::Mock`, a local HTTP server that stands in for exactly the operations the document's
//!   workflows call. `Mock::start().await` answers each with an answer built from the
//!   description (its example, else its schema), so `Client::new().with_mock(&mock)` runs the
//!   happy path with no set-up. One method per operation programs its [`Answer`]s (a sequence
//!   for retries and polling), reads the requests it got with the operation's parameters as
//!   fields, and sets how many calls verification expects; `mock.verify()` fails the test
//!   with a [`Report`] listing missing, extra and unexpected requests.
//! - `mock::Fake`, for code that should not run the workflow at all: it implements the
//!   generated `Workflows` trait (as `Client` does), returning [`Programmed`] outputs or
//!   errors ([`criterion_failed`], [`ended`]).
//!
//! Turn it on for tests only:
//!
//! ```toml
//! [dev-dependencies]
//! arazzo-runtime = { version = "…", features = ["mock"] }
//! ```
//!
//! A complete test of code that opens a Twilio conversation (the module is generated here by
//! the `arazzo!` macro; `build.rs` or `cargo arazzo generate` give the same module):
//!
//! ```
//! mod twilio {
//!     arazzo_macros::arazzo!("../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml");
//! }
//! use arazzo_runtime::mock::{Answer, criterion_failed};
//! use arazzo_runtime::serde_json::json;
//! use twilio::{Client, CreateConversationWithWebhookInput as Input, Workflows, mock};
//!
//! /// The code under test: it takes any `Workflows`.
//! async fn open_support_thread(twilio: &impl Workflows, hook: &str) -> Result<String, String> {
//!     let input = Input {
//!         friendly_name: Some("Support".to_owned()),
//!         target: twilio::CreateConversationWithWebhookInputTarget::Webhook,
//!         configuration_url: hook.to_owned(),
//!         configuration_method: None,
//!     };
//!     let output = twilio
//!         .create_conversation_with_webhook(input)
//!         .await
//!         .map_err(|e| format!("Twilio refused: {e}"))?;
//!     output.conversation_sid.ok_or_else(|| "no conversation".to_owned())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // Against the mock server: the workflow runs, over HTTP, on loopback.
//! let mock = mock::Mock::start().await;
//! mock.create_conversation()
//!     .answer(Answer::status(201).json(json!({"sid": "CH0123"})));
//! mock.create_conversation_scoped_webhook().expect(1);
//! let client = Client::new().with_mock(&mock);
//!
//! let sid = open_support_thread(&client, "https://hooks.example.test").await.unwrap();
//!
//! assert_eq!(sid, "CH0123");
//! let attached = mock.create_conversation_scoped_webhook().requests();
//! assert_eq!(attached[0].conversation_sid, "CH0123");
//! assert_eq!(attached[0].body["Target"], "webhook");
//! mock.verify();
//!
//! // With a fake: no HTTP at all.
//! let fake = mock::Fake::new();
//! fake.on_create_conversation_with_webhook().fails(|| {
//!     criterion_failed("create-conversation-with-webhook", "createConversation", 503, "busy")
//! });
//!
//! let err = open_support_thread(&fake, "https://hooks.example.test").await.unwrap_err();
//!
//! assert!(err.contains("status 503"));
//! assert_eq!(fake.on_create_conversation_with_webhook().calls().len(), 1);
//! # }
//! ```

mod answer;
mod fake;
mod report;
mod request;
mod server;

pub use answer::Answer;
pub use fake::{Programmed, criterion_failed, ended};
pub use report::Report;
pub use request::Request;
pub use server::Operation;

/// A test double's state: a test that panicked while holding it leaves it as it was, and the
/// next test's reading goes on.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What generated mocks call. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use super::server::{Handle, Route, Server};
}
