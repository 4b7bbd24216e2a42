//! What generated state machines use between steps: delays for retries, the step budget, and
//! the trace of criteria and actions.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::http::Exchange;

type SleepFn = dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

/// How a `retry` action waits. Tests inject one that records instead of sleeping.
#[derive(Clone)]
pub struct Sleeper(Arc<SleepFn>);

impl Sleeper {
    pub fn new<F, Fut>(sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Sleeper(Arc::new(move |d| Box::pin(sleep(d))))
    }

    /// A sleeper that records the delays it is asked for instead of waiting: for tests of
    /// retries, which then run at once and can assert each delay.
    pub fn recording() -> (Self, Arc<Mutex<Vec<Duration>>>) {
        let delays = Arc::new(Mutex::new(Vec::new()));
        let log = delays.clone();
        let sleeper = Sleeper::new(move |d| {
            if let Ok(mut v) = log.lock() {
                v.push(d);
            }
            async {}
        });
        (sleeper, delays)
    }

    /// Waits `delay`.
    pub async fn sleep(&self, delay: Duration) {
        (self.0)(delay).await;
    }
}

impl Default for Sleeper {
    /// Tokio's timer.
    fn default() -> Self {
        Sleeper::new(tokio::time::sleep)
    }
}

impl std::fmt::Debug for Sleeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sleeper")
    }
}

/// A workflow run started by another workflow (a step, a dependency, a `goto`): boxed, so
/// workflows may call each other.
pub type WorkflowFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<(T, Option<u16>), crate::Error>> + Send + 'a>>;

/// The number of steps a workflow may run (loops included) unless the client sets another.
pub const DEFAULT_STEP_BUDGET: usize = 1000;

/// How long to wait before a retry: the response's `Retry-After` (seconds or an HTTP date)
/// wins over the action's `retryAfter`; neither means no wait.
pub fn retry_delay(exchange: &Exchange, retry_after: Option<f64>) -> Duration {
    let header = exchange
        .response_header("retry-after")
        .and_then(|v| v.as_str().map(str::to_owned));
    if let Some(text) = header {
        let text = text.trim();
        if let Ok(seconds) = text.parse::<u64>() {
            return Duration::from_secs(seconds);
        }
        if let Ok(when) = httpdate::parse_http_date(text) {
            return when
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO);
        }
    }
    retry_after
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(Duration::ZERO, Duration::from_secs_f64)
}

/// Records a criterion's outcome in the trace and returns it.
pub fn criterion(
    workflow: &'static str,
    step: &'static str,
    text: &'static str,
    holds: bool,
) -> bool {
    tracing::debug!(
        workflow,
        step,
        criterion = text,
        holds,
        "criterion evaluated"
    );
    holds
}

/// Records an action taken.
pub fn action(
    workflow: &'static str,
    step: &'static str,
    name: &'static str,
    kind: &'static str,
    target: &'static str,
) {
    tracing::info!(workflow, step, action = name, kind, target, "action taken");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn injected_sleepers_record_instead_of_waiting() {
        let (sleeper, seen) = Sleeper::recording();
        sleeper.sleep(Duration::from_secs(3)).await;
        assert_eq!(
            seen.lock().map(|v| v.clone()).unwrap_or_default(),
            [Duration::from_secs(3)]
        );
    }
}
