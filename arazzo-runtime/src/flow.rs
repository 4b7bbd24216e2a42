//! What generated state machines use between steps: delays for retries, the step budget, the
//! retry counts, and the spans of workflows and steps.

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

/// Another workflow's run, boxed so that workflows may run each other (and themselves).
pub fn boxed<'a, T>(run: impl Future<Output = RunResult<T>> + Send + 'a) -> WorkflowFuture<'a, T> {
    Box::pin(run)
}

/// Another workflow's run within a step's `timeout`: `None` when it runs out of time (the run
/// is dropped, so it stops where it was).
pub async fn within<T>(
    limit: crate::descriptor::Timeout,
    run: impl Future<Output = RunResult<T>>,
) -> Result<Option<(T, Option<u16>)>, crate::Error> {
    match tokio::time::timeout(limit.duration(), run).await {
        Ok(result) => result.map(Some),
        Err(_) => Ok(None),
    }
}

/// The workflows one run has completed as dependencies (`dependsOn`: "A list of workflows that
/// MUST be completed before this workflow can be processed"), each with its record (inputs and
/// outputs, what `$workflows.<id>…` reads): each runs once per run, however many workflows of it
/// depend on it, and every one of them reads what it gave.
#[derive(Default)]
pub struct Completed(std::collections::HashMap<&'static str, serde_json::Value>);

impl Completed {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether workflow `key` has completed in this run; if it has, its record is copied into
    /// `workflows`, as if it had run for this workflow too.
    pub fn recall(
        &self,
        key: &'static str,
        workflows: &mut serde_json::Map<String, serde_json::Value>,
    ) -> bool {
        match self.0.get(key) {
            Some(record) => {
                workflows.insert(key.to_owned(), record.clone());
                true
            }
            None => false,
        }
    }

    /// Keeps workflow `key`, which has just run, as completed, with its record in `workflows`.
    pub fn keep(
        &mut self,
        key: &'static str,
        workflows: &serde_json::Map<String, serde_json::Value>,
    ) {
        let record = workflows.get(key).cloned().unwrap_or_default();
        self.0.insert(key, record);
    }
}

/// What a workflow's run gives: its outputs and the status of its last operation (which a
/// step that ran it reads as `$statusCode`).
pub type RunResult<T> = Result<(T, Option<u16>), crate::Error>;

/// The number of steps a workflow may run (loops included) unless the client sets another.
pub const DEFAULT_STEP_BUDGET: usize = 1000;

/// How many more steps a run may take.
#[derive(Debug)]
pub struct Budget {
    workflow: &'static str,
    total: usize,
    left: usize,
}

impl Budget {
    pub fn new(workflow: &'static str, total: usize) -> Self {
        Budget {
            workflow,
            total,
            left: total,
        }
    }

    /// Takes one step, or says that the budget is used up at `step`.
    pub fn spend(&mut self, step: &'static str) -> Result<(), crate::Error> {
        if self.left == 0 {
            return Err(crate::Error::StepBudgetExceeded {
                workflow: self.workflow,
                step,
                budget: self.total,
            });
        }
        self.left -= 1;
        Ok(())
    }
}

/// Retries used so far, per step and retry action, in the current execution of each step: a
/// `retryLimit` counts "attempts to retry the step … before failing the overall step", so a
/// step entered afresh (not by a retry of its own) counts from zero again.
#[derive(Debug, Default)]
pub struct Retries {
    used: Vec<((&'static str, &'static str), u64)>,
    /// The step the next one entered retries, when it is a retry.
    again: Option<&'static str>,
}

impl Retries {
    /// Step `step` begins: unless a retry of its own brings it back, its counts start afresh.
    pub fn enter(&mut self, step: &'static str) {
        if self.again.take() != Some(step) {
            self.used.retain(|((s, _), _)| *s != step);
        }
    }

    /// The step entered next is `step` again, retried.
    pub fn again(&mut self, step: &'static str) {
        self.again = Some(step);
    }

    /// Counts one more retry of `action` at `step` if fewer than `limit` were used, and says
    /// whether it did.
    pub fn try_take(&mut self, step: &'static str, action: &'static str, limit: u64) -> bool {
        let key = (step, action);
        let used = match self.used.iter_mut().find(|(k, _)| *k == key) {
            Some((_, used)) => used,
            None => {
                self.used.push((key, 0));
                match self.used.last_mut() {
                    Some((_, used)) => used,
                    None => return false,
                }
            }
        };
        if *used < limit {
            *used += 1;
            true
        } else {
            false
        }
    }
}

/// Runs a future inside a tracing span: `arazzo.step` for one attempt of a step,
/// `arazzo.workflow` for a whole run.
pub trait Traced: Future + Sized {
    /// Inside a span `arazzo.step{step}`: each attempt of a step gets its own.
    // Inlined so that the step's future is built where it is awaited, not moved (BENCHMARKS.md).
    #[inline(always)]
    fn traced(self, step: &'static str) -> tracing::instrument::Instrumented<Self> {
        tracing::Instrument::instrument(self, tracing::info_span!("arazzo.step", step))
    }

    /// Inside a span `arazzo.workflow{workflow}`.
    #[inline(always)]
    fn traced_workflow(self, workflow: &'static str) -> tracing::instrument::Instrumented<Self> {
        tracing::Instrument::instrument(self, tracing::info_span!("arazzo.workflow", workflow))
    }
}

impl<F: Future> Traced for F {}

/// How long to wait before a retry: the response's `Retry-After` (seconds or an HTTP date)
/// wins over the action's `retryAfter`; neither means no wait.
pub fn retry_delay(exchange: &Exchange, retry_after: Option<f64>) -> (Duration, &'static str) {
    const HEADER: &str = "the response's Retry-After";
    let header = exchange
        .response_header("retry-after")
        .and_then(|v| v.as_str().map(str::to_owned));
    if let Some(text) = header {
        let text = text.trim();
        if let Ok(seconds) = text.parse::<u64>() {
            return (Duration::from_secs(seconds), HEADER);
        }
        if let Ok(when) = httpdate::parse_http_date(text) {
            let delay = when
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO);
            return (delay, HEADER);
        }
    }
    (action_delay(retry_after), ACTION)
}

/// Who asked for a wait that is the action's `retryAfter`.
pub const ACTION: &str = "the action's retryAfter";

/// The action's `retryAfter` as a wait (none when absent, negative or not finite).
pub fn action_delay(retry_after: Option<f64>) -> Duration {
    retry_after
        .filter(|s| s.is_finite() && *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .unwrap_or(Duration::ZERO)
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

    #[test]
    fn a_budget_stops_the_run_at_the_step_it_runs_out() {
        let mut budget = Budget::new("wf", 2);
        assert!(budget.spend("a").is_ok() && budget.spend("b").is_ok());
        let err = budget.spend("c").unwrap_err();
        assert!(matches!(
            err,
            crate::Error::StepBudgetExceeded {
                step: "c",
                budget: 2,
                ..
            }
        ));
    }

    #[test]
    fn a_step_entered_afresh_counts_its_retries_from_zero() {
        let mut retries = Retries::default();
        retries.enter("poll");
        assert!(retries.try_take("poll", "again", 1));
        retries.again("poll");
        // Retried: the count goes on.
        retries.enter("poll");
        assert!(!retries.try_take("poll", "again", 1));
        // Entered afresh (a goto, the step before it): counted again from zero.
        retries.enter("poll");
        assert!(retries.try_take("poll", "again", 1));
        // A retry through another step: that step runs, then this one comes back, retried.
        retries.enter("refresh");
        retries.again("poll");
        retries.enter("poll");
        assert!(!retries.try_take("poll", "again", 1));
    }

    #[test]
    fn retries_are_counted_per_step_and_action_up_to_their_limit() {
        let mut retries = Retries::default();
        assert!(retries.try_take("poll", "again", 2));
        assert!(retries.try_take("poll", "again", 2));
        assert!(!retries.try_take("poll", "again", 2));
        assert!(retries.try_take("poll", "other", 1));
        assert!(!retries.try_take("poll", "again", 2));
    }
}
