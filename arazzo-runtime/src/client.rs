//! What every generated `Client` holds besides its base URLs and credentials: the HTTP client,
//! the request hook, the step budget and how retries wait. One field of the generated client,
//! so its own code stays short and every client behaves alike.

use crate::flow::{Budget, DEFAULT_STEP_BUDGET, Sleeper, retry_delay};
use crate::http::{Exchange, HttpClient, SharedHook};

#[derive(Clone, Debug)]
pub struct ClientSettings {
    pub http: HttpClient,
    pub request_hook: Option<SharedHook>,
    pub step_budget: usize,
    pub sleeper: Sleeper,
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
        }
    }

    pub fn set_http_client(&mut self, http: reqwest::Client) {
        self.http = HttpClient::new(http);
    }

    pub fn set_request_hook(&mut self, hook: impl crate::http::RequestHook) {
        self.request_hook = Some(SharedHook::new(hook));
    }

    /// The step budget of one run of `workflow`.
    pub fn budget(&self, workflow: &'static str) -> Budget {
        Budget::new(workflow, self.step_budget)
    }

    /// Waits before a retry: the response's `Retry-After`, else the action's `retryAfter`.
    pub async fn wait_before_retry(&self, exchange: &Exchange, retry_after: Option<f64>) {
        self.sleeper.sleep(retry_delay(exchange, retry_after)).await;
    }
}
