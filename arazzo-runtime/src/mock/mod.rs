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
//! A complete test of code that opens a support thread (the module is generated here by the
//! `arazzo!` macro from `doc/support.arazzo.yaml`; `build.rs` or `cargo arazzo generate` give
//! the same module):
//!
//! ```
//! mod support {
//!     arazzo_macros::arazzo!("doc/support.arazzo.yaml");
//! }
//! use arazzo_runtime::mock::{Answer, criterion_failed};
//! use arazzo_runtime::serde_json::json;
//! use support::{Client, OpenThreadInput, Workflows, mock};
//!
//! /// The code under test: it takes any `Workflows`.
//! async fn open_support_thread(api: &impl Workflows, hook: &str) -> Result<String, String> {
//!     let input = OpenThreadInput {
//!         subject: Some("Printer on fire".to_owned()),
//!         hook_url: hook.to_owned(),
//!     };
//!     let output = api
//!         .open_thread(input)
//!         .await
//!         .map_err(|e| format!("support refused: {e}"))?;
//!     Ok(output.thread_id)
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // Against the mock server: the workflow runs, over HTTP, on loopback.
//! let mock = mock::Mock::start().await;
//! mock.open_thread()
//!     .answer(Answer::status(201).json(json!({"id": "th_42"})));
//! mock.add_watcher().expect(1);
//! let client = Client::new().with_mock(&mock);
//!
//! let id = open_support_thread(&client, "https://hooks.example.test").await.unwrap();
//!
//! assert_eq!(id, "th_42");
//! let watched = mock.add_watcher().requests();
//! assert_eq!(watched[0].thread_id, "th_42");
//! assert_eq!(watched[0].body["url"], "https://hooks.example.test");
//! mock.verify();
//!
//! // With a fake: no HTTP at all.
//! let fake = mock::Fake::new();
//! fake.on_open_thread()
//!     .fails(|| criterion_failed("open-thread", "openThread", 503, "busy"));
//!
//! let err = open_support_thread(&fake, "https://hooks.example.test").await.unwrap_err();
//!
//! assert!(err.contains("status 503"));
//! assert_eq!(fake.on_open_thread().calls().len(), 1);
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
