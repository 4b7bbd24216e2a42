//! What every generated `Client` holds besides its base URLs and credentials: the HTTP client,
//! the request hook, the step budget and how retries wait. One field of the generated client,
//! so its own code stays short and every client behaves alike.

use crate::error::Error;
use crate::flow::{Budget, DEFAULT_STEP_BUDGET, Sleeper, retry_delay};
use crate::http::{Exchange, HttpClient, SharedHook};
use crate::limits::{Limits, millis};

#[derive(Clone, Debug)]
pub struct ClientSettings {
    pub http: HttpClient,
    pub request_hook: Option<SharedHook>,
    pub step_budget: usize,
    pub sleeper: Sleeper,
    pub limits: Limits,
    /// The Restate context of a durable run (feature `restate`).
    #[cfg(feature = "restate")]
    pub journal: Option<crate::durable::Journal>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self::new(DEFAULT_STEP_BUDGET)
    }
}

impl ClientSettings {
    /// The defaults, with a step budget chosen when the client was generated.
    pub fn new(step_budget: usize) -> Self {
        ClientSettings {
            http: HttpClient::default(),
            request_hook: None,
            step_budget,
            sleeper: Sleeper::default(),
            limits: Limits::default(),
            #[cfg(feature = "restate")]
            journal: None,
        }
    }

    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        if self.http.is_default() {
            self.http = HttpClient::built(limits.connect_timeout);
        }
    }

    /// Runs durably from now on: exchanges through `journal`, retry waits as its sleeps.
    #[cfg(feature = "restate")]
    pub fn set_journal(&mut self, journal: crate::durable::Journal) {
        self.sleeper = journal.sleeper();
        self.journal = Some(journal);
    }

    pub fn set_http_client(&mut self, http: reqwest::Client) {
        self.http = HttpClient::new(http);
    }

    pub fn set_request_hook(&mut self, hook: impl crate::http::RequestHook) {
        self.request_hook = Some(SharedHook::new(hook));
    }

    /// The step budget of one run of `workflow`.
    /// How long a message step may take: its `timeout`, else the request limit.
    pub fn message_wait(
        &self,
        step: Option<crate::descriptor::Timeout>,
    ) -> crate::message::receive::Wait {
        let default = self
            .limits
            .request_timeout
            .unwrap_or(std::time::Duration::from_secs(60 * 60 * 24 * 365));
        crate::message::receive::Wait::of(step, default)
    }

    /// What a receive step accepts: payloads within the body limit.
    pub fn message_expect(
        &self,
        json: bool,
        content_type: &'static str,
    ) -> crate::message::receive::Expect {
        crate::message::receive::Expect {
            json,
            max_bytes: self
                .limits
                .max_body_bytes
                .and_then(|b| usize::try_from(b).ok())
                .unwrap_or(usize::MAX),
            content_type,
        }
    }

    /// Waits before a message step is retried: the action's `retryAfter` (messages carry no
    /// `Retry-After`), within the client's limit.
    pub async fn wait_before_message_retry(
        &self,
        delivery: &crate::message::delivery::Delivery,
        retry_after: Option<f64>,
    ) -> Result<(), Error> {
        let delay = crate::flow::action_delay(retry_after);
        self.wait(
            (delivery.workflow, delivery.step),
            delay,
            crate::flow::ACTION,
        )
        .await
    }

    pub fn budget(&self, workflow: &'static str) -> Budget {
        Budget::new(workflow, self.step_budget)
    }

    /// Waits before a retry: the response's `Retry-After`, else the action's `retryAfter`. A
    /// longer wait than the limits allow is an error: retrying sooner than a server asked
    /// would most likely fail again, and a caller can schedule the run for later.
    pub async fn wait_before_retry(
        &self,
        exchange: &Exchange,
        retry_after: Option<f64>,
    ) -> Result<(), Error> {
        let (delay, asked_by) = retry_delay(exchange, retry_after);
        self.wait((exchange.workflow, exchange.step), delay, asked_by)
            .await
    }

    /// Sleeps `delay` before a retry of `step`, unless it is longer than the limit allows.
    async fn wait(
        &self,
        (workflow, step): (&'static str, &'static str),
        delay: std::time::Duration,
        asked_by: &'static str,
    ) -> Result<(), Error> {
        if let Some(limit) = self.limits.max_retry_delay
            && delay > limit
        {
            return Err(Error::RetryDelay {
                workflow,
                step,
                asked_ms: millis(delay),
                asked_by,
                limit_ms: millis(limit),
            });
        }
        self.sleeper.sleep(delay).await;
        Ok(())
    }
}
