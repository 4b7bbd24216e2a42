//! Durable execution on [Restate](https://restate.dev) (feature `restate`): a generated
//! module's workflows become the handlers of one Restate service, and a run survives crashes,
//! restarts and long waits.
//!
//! The generated state machine is the same in both modes. A durable run gets a client whose
//! settings carry a [`Journal`]: every step attempt's HTTP exchange goes through Restate's
//! `ctx.run`, so the response (status, headers, body) is journaled and a replay reads it
//! instead of sending the request again; every `retry` wait is a durable sleep, so a run that
//! waits an hour survives a restart in the middle. The request itself (URL, headers,
//! credentials, body) is never journaled: a replay builds it again from the inputs and the
//! journaled responses, and only needs it for `$request` expressions.
//!
//! Errors map onto Restate's model: a transport failure (connecting, a time limit, a broken
//! connection) is retried by Restate with [`RETRY`]'s policy and, when that is spent, ends the
//! run like any other failure; a workflow failure (a criterion, `end` through `onFailure`, the
//! step budget, a body over the limit) is terminal: the invocation fails with the error's text
//! and is not retried.
//!
//! ```no_run
//! # mod support { arazzo_macros::arazzo!("doc/support.arazzo.yaml"); }
//! use arazzo_runtime::restate_sdk::endpoint::Endpoint;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = support::Client::new();
//! let endpoint = support::durable::register(Endpoint::builder(), client).build();
//! arazzo_runtime::durable::serve(endpoint, "127.0.0.1:9080".parse()?).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Serve with [`serve`] rather than the SDK's `HttpServer`: it turns Nagle's algorithm off on
//! each connection, which takes a run of the seed workflow from about 93 ms to about 7.4 ms
//! (BENCHMARKS.md).

mod exchange;
mod serve;
mod service;

pub(crate) use exchange::journaled;
pub use exchange::{RETRY, Retry};
pub use serve::serve;
pub use service::{Durable, Service};

use restate_sdk::endpoint::ContextInternal;

/// The Restate context of one durable run, which its client's settings carry: where step
/// exchanges are journaled and retry waits are slept.
#[derive(Clone)]
pub struct Journal {
    ctx: ContextInternal,
}

impl Journal {
    pub(crate) fn new(ctx: ContextInternal) -> Self {
        Journal { ctx }
    }

    /// A durable sleep: the wait is recorded by Restate, and a run restarted in the middle of it
    /// wakes when it ends, not again from the start.
    pub(crate) fn sleeper(&self) -> crate::flow::Sleeper {
        let ctx = self.ctx.clone();
        crate::flow::Sleeper::new(move |delay| {
            let ctx = ctx.clone();
            async move {
                // An error here is the invocation being cancelled or suspended: Restate then
                // stops the run itself.
                let _ = ctx.sleep(delay).await;
            }
        })
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Journal")
    }
}
