//! A step attempt's HTTP exchange through Restate's journal: sent once, read back on replay.

use std::time::Duration;

use restate_sdk::context::{RunFuture, RunRetryPolicy};
use restate_sdk::errors::{HandlerError, TerminalError};
use restate_sdk::serde::Json;

use super::Journal;
use crate::descriptor::Timeout;
use crate::error::Error;
use crate::http::{BoxedExchange, Exchange, RequestRecord};
use crate::redact::Redactions;

/// How Restate retries a step attempt whose request failed in transport (no connection, a time
/// limit, a broken response): 10 attempts, waits doubling from 200 ms up to 10 s. When they are
/// spent, the run ends with [`Error::Durable`] naming the step and the last failure.
pub const RETRY: Retry = Retry {
    attempts: 10,
    first_wait: Duration::from_millis(200),
    longest_wait: Duration::from_secs(10),
};

/// A retry policy of Restate's `ctx.run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub attempts: u32,
    pub first_wait: Duration,
    pub longest_wait: Duration,
}

impl Retry {
    fn policy(self) -> RunRetryPolicy {
        RunRetryPolicy::new()
            .initial_delay(self.first_wait)
            .exponentiation_factor(2.0)
            .max_delay(self.longest_wait)
            .max_attempts(self.attempts)
    }
}

/// What the journal keeps of an exchange: the response as expressions read it. Never the
/// request, so never a credential it carried; `Set-Cookie` is left out too (a session is a
/// credential), and the URL has its credential query parameters hidden.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journaled {
    status: u16,
    url: String,
    method: Option<String>,
    headers: Vec<(String, String)>,
    /// The body as sent, which need not be text.
    body: Vec<u8>,
    /// The attempt ran out of the step's `timeout`: there is no response.
    timed_out: bool,
}

/// `exchange` run through the journal of `journal`: on a first run it is sent and its response
/// journaled; on a replay the journaled response is read and nothing is sent. `record` and
/// `redactions` are the call's, made before it was sent (a replay makes them again).
pub(crate) fn journaled<'h>(
    journal: Journal,
    (workflow, step): (&'static str, &'static str),
    (record, redactions): (RequestRecord, Redactions),
    within: Option<Timeout>,
    exchange: BoxedExchange<'h>,
) -> BoxedExchange<'h> {
    Box::pin(async move {
        let hide = redactions.clone();
        let run = journal
            .ctx
            .run(move || async move {
                match exchange.await {
                    Ok(exchange) => Ok(Json(Journaled::of(&exchange, &hide))),
                    Err(e) if e.is_transport() => Err(HandlerError::from(e.to_string())),
                    Err(e) => Err(TerminalError::new(e.to_string()).into()),
                }
            })
            .name(step)
            .retry_policy(RETRY.policy());
        match run.await {
            Ok(Json(journaled)) => {
                Ok(journaled.into_exchange((workflow, step), record, redactions, within))
            }
            Err(e) => Err(Error::Durable {
                workflow,
                step,
                reason: e.message().to_owned(),
            }),
        }
    })
}

impl Journaled {
    fn of(exchange: &Exchange, redactions: &Redactions) -> Self {
        let url = match url::Url::parse(&exchange.url) {
            Ok(mut url) => {
                redactions.url(&mut url);
                url.to_string()
            }
            Err(_) => exchange.url.clone(),
        };
        Journaled {
            status: exchange.status,
            url,
            method: exchange.method.as_ref().map(|m| m.as_str().to_owned()),
            headers: exchange
                .header_pairs()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("set-cookie"))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            body: exchange.body_bytes().to_vec(),
            timed_out: !exchange.completed(),
        }
    }

    fn into_exchange(
        self,
        (workflow, step): (&'static str, &'static str),
        record: RequestRecord,
        redactions: Redactions,
        within: Option<Timeout>,
    ) -> Exchange {
        if let (true, Some(limit)) = (self.timed_out, within) {
            return Exchange::timed_out(workflow, step, limit);
        }
        Exchange::replayed(
            (workflow, step),
            self.status,
            self.url,
            self.method
                .and_then(|m| reqwest::Method::from_bytes(m.as_bytes()).ok()),
            &self.headers,
            self.body,
            record,
            redactions,
        )
    }
}
