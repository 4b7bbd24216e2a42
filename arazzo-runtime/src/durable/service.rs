//! A generated module's workflows as one Restate service: one handler per workflow, its input
//! and output the workflow's typed structs as JSON. Written against the SDK's service traits, not
//! its macros, so that generated code needs no dependency besides `arazzo-runtime`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use restate_sdk::discovery;
use restate_sdk::endpoint::{self, ContextInternal};
use restate_sdk::errors::{HandlerError, TerminalError};
use restate_sdk::serde::Json;
use restate_sdk::service::{IntoServiceDefinition, ServiceDefinition};
use serde_json::Value;

use super::Journal;
use crate::error::Error;

/// A generated client that can run durably: a copy of itself whose settings carry `journal`.
/// Implemented by every generated `Client`.
pub trait Durable: Clone + Send + Sync + 'static {
    fn journaled(&self, journal: Journal) -> Self;
}

/// What `futures`' `BoxFuture` is, which the SDK's services return.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

type Run<C> =
    Arc<dyn Fn(C, Value) -> BoxFuture<'static, Result<Value, HandlerError>> + Send + Sync>;

struct Handler<C> {
    /// As Restate accepts it (`restate_name`).
    name: String,
    run: Run<C>,
}

/// A Restate service whose handlers run workflows on a client `C`: what a generated module's
/// `durable::service` returns, and what `Endpoint::builder().bind(…)` takes. Its names are made
/// valid for Restate when given (see `restate_name`).
pub struct Service<C> {
    name: String,
    client: C,
    handlers: Vec<Handler<C>>,
}

impl<C: Durable> Service<C> {
    /// A service called `name` (Restate's name for it: `POST /<name>/<handler>` at its ingress)
    /// whose handlers run on `client`.
    pub fn new(name: &str, client: C) -> Self {
        Service {
            name: restate_name(name),
            client,
            handlers: Vec::new(),
        }
    }

    /// The same service under another name.
    pub fn named(mut self, name: &str) -> Self {
        self.name = restate_name(name);
        self
    }

    /// Adds handler `name`: a workflow run with the invocation's input, its output the
    /// invocation's result. A failed run fails the invocation for good (a terminal error with
    /// the run's error text and, for an input that does not match the workflow's inputs, code
    /// 400).
    pub fn handler<I, O, F, Fut>(mut self, name: &str, run: F) -> Self
    where
        I: serde::de::DeserializeOwned + Send + 'static,
        O: serde::Serialize + Send + 'static,
        F: Fn(C, I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<O, Error>> + Send + 'static,
    {
        let run: Run<C> = Arc::new(move |client, input| {
            let input = serde_json::from_value::<I>(input);
            let started = input.map(|input| run(client, input));
            Box::pin(async move {
                let output = match started {
                    Ok(running) => running.await.map_err(|e| terminal(500, &e.to_string()))?,
                    Err(e) => return Err(terminal(400, &format!("the input does not fit: {e}"))),
                };
                serde_json::to_value(output)
                    .map_err(|e| terminal(500, &format!("the output cannot be written: {e}")))
            })
        });
        self.handlers.push(Handler {
            name: restate_name(name),
            run,
        });
        self
    }
}

fn terminal(code: u16, message: &str) -> HandlerError {
    TerminalError::new_with_code(code, message).into()
}

/// What Restate calls: one invocation, its handler picked by name.
struct Dispatch<C> {
    client: C,
    handlers: Vec<Handler<C>>,
}

impl<C: Durable> restate_sdk::service::Service for Dispatch<C> {
    type Future = BoxFuture<'static, Result<(), endpoint::Error>>;

    fn handle(&self, ctx: ContextInternal) -> Self::Future {
        let run = self
            .handlers
            .iter()
            .find(|h| h.name == ctx.handler_name())
            .map(|h| Arc::clone(&h.run));
        let client = self.client.journaled(Journal::new(ctx.clone()));
        Box::pin(async move {
            let Some(run) = run else {
                return Err(endpoint::Error::unknown_handler(
                    ctx.service_name(),
                    ctx.handler_name(),
                ));
            };
            // No body is `null`: the input of a workflow without inputs.
            let (input, _) = ctx.input::<Option<Json<Value>>>().await;
            let input = input.map_or(Value::Null, |Json(v)| v);
            let result = run(client, input).await.map(Json);
            ctx.handle_handler_result(result);
            ctx.end();
            Ok(())
        })
    }
}

impl<C> Service<C> {
    fn discovery(&self) -> discovery::Service {
        let handlers = self
            .handlers
            .iter()
            .map(|h| discovery::Handler {
                // Valid by construction (`restate_name`).
                name: discovery::HandlerName::try_from(h.name.clone())
                    .unwrap_or_else(|_| unreachable!("a name made valid was refused")),
                input: Some(discovery::InputPayload::from_metadata::<Option<Json<Value>>>()),
                output: Some(discovery::OutputPayload::from_metadata::<Json<Value>>()),
                ty: None,
                documentation: None,
                metadata: Default::default(),
                abort_timeout: None,
                inactivity_timeout: None,
                journal_retention: None,
                idempotency_retention: None,
                workflow_completion_retention: None,
                enable_lazy_state: None,
                ingress_private: None,
                retry_policy_initial_interval: None,
                retry_policy_max_interval: None,
                retry_policy_max_attempts: None,
                retry_policy_exponentiation_factor: None,
                retry_policy_on_max_attempts: None,
            })
            .collect();
        discovery::Service {
            ty: discovery::ServiceType::Service,
            name: discovery::ServiceName::try_from(self.name.clone())
                .unwrap_or_else(|_| unreachable!("a name made valid was refused")),
            handlers,
            documentation: None,
            metadata: Default::default(),
            abort_timeout: None,
            inactivity_timeout: None,
            journal_retention: None,
            idempotency_retention: None,
            enable_lazy_state: None,
            ingress_private: None,
            retry_policy_initial_interval: None,
            retry_policy_max_interval: None,
            retry_policy_max_attempts: None,
            retry_policy_exponentiation_factor: None,
            retry_policy_on_max_attempts: None,
        }
    }
}

/// `name` as Restate accepts it (a letter, or `_` and a letter or digit, then letters, digits and
/// `_`): every other character becomes `_`, and a name that does not start right gets `W` in
/// front. Generated names are valid already.
fn restate_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let starts_right = match out.as_bytes() {
        [first, ..] if first.is_ascii_alphabetic() => true,
        [b'_', second, ..] => second.is_ascii_alphanumeric(),
        _ => false,
    };
    if !starts_right {
        out.insert(0, 'W');
    }
    out
}

impl<C: Durable> IntoServiceDefinition for Service<C> {
    fn into_service_definition(self) -> ServiceDefinition {
        let discovery = self.discovery();
        restate_sdk::service::macro_support::service_definition(
            Dispatch {
                client: self.client,
                handlers: self.handlers,
            },
            discovery,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::restate_name;

    #[test]
    fn names_are_made_valid_for_restate() {
        assert_eq!(restate_name("create_conversation"), "create_conversation");
        assert_eq!(restate_name("create-conversation"), "create_conversation");
        assert_eq!(restate_name("1st"), "W1st");
        assert_eq!(restate_name("_x"), "_x");
        assert_eq!(restate_name("__"), "W__");
        assert_eq!(restate_name(""), "W");
    }
}
