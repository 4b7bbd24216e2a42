//! Fakes of whole workflows: what a generated `Fake` answers in place of running one, and the
//! errors tests can make it return.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::Error;
use crate::descriptor::Location;

type Reply<I, O> = Arc<dyn Fn(&I) -> crate::Result<O> + Send + Sync>;

/// What a fake workflow returns, and the inputs it was called with. Generated `Fake`s hold
/// one per workflow, set through `on_<workflow>()`.
pub struct Programmed<I, O> {
    workflow: &'static str,
    setter: &'static str,
    state: Mutex<State<I, O>>,
}

struct State<I, O> {
    once: VecDeque<Reply<I, O>>,
    always: Option<Reply<I, O>>,
    calls: Vec<I>,
}

impl<I, O> std::fmt::Debug for Programmed<I, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("Programmed")
            .field("workflow", &self.workflow)
            .field("calls", &state.calls.len())
            .finish()
    }
}

impl<I, O> Programmed<I, O> {
    /// Nothing programmed yet for `workflow`, programmed through the fake's `setter`.
    #[doc(hidden)]
    pub fn new(workflow: &'static str, setter: &'static str) -> Self {
        Programmed {
            workflow,
            setter,
            state: Mutex::new(State {
                once: VecDeque::new(),
                always: None,
                calls: Vec::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State<I, O>> {
        super::lock(&self.state)
    }

    /// Every call from now on runs `reply` on the inputs.
    pub fn with(&self, reply: impl Fn(&I) -> crate::Result<O> + Send + Sync + 'static) -> &Self {
        let mut state = self.state();
        state.once.clear();
        state.always = Some(Arc::new(reply));
        self
    }

    /// The next call (after those already queued) runs `reply`; then the others resume.
    pub fn once(&self, reply: impl Fn(&I) -> crate::Result<O> + Send + Sync + 'static) -> &Self {
        self.state().once.push_back(Arc::new(reply));
        self
    }

    /// Every call from now on returns `output`.
    pub fn returns(&self, output: O) -> &Self
    where
        O: Clone + Send + Sync + 'static,
    {
        self.with(move |_| Ok(output.clone()))
    }

    /// Every call from now on fails with the error `error` makes.
    pub fn fails(&self, error: impl Fn() -> Error + Send + Sync + 'static) -> &Self {
        self.with(move |_| Err(error()))
    }

    /// The inputs of every call so far, oldest first.
    pub fn calls(&self) -> Vec<I>
    where
        I: Clone,
    {
        self.state().calls.clone()
    }

    /// Runs the fake: records `input`, answers what was programmed.
    ///
    /// # Panics
    /// When nothing was programmed: a test double with no answer is a mistake in the test, and
    /// the message says which setter programs it.
    #[doc(hidden)]
    pub fn call(&self, input: I) -> crate::Result<O> {
        let reply = {
            let mut state = self.state();
            state.once.pop_front().or_else(|| state.always.clone())
        };
        let Some(reply) = reply else {
            self.state().calls.push(input);
            panic!(
                "the fake of workflow `{}` was called with nothing programmed: call `{}()` with \
                 `.returns(…)`, `.fails(…)` or `.with(…)` first",
                self.workflow, self.setter
            );
        };
        let result = reply(&input);
        self.state().calls.push(input);
        result
    }
}

/// An error as a workflow returns it when a step's success criteria do not hold: step `step`
/// of `workflow` got `status` with `body`. For fakes that fail the way a real run does.
///
/// ```
/// let error = arazzo_runtime::mock::criterion_failed("create-conversation", "create", 503, "busy");
/// assert!(error.to_string().contains("status 503"));
/// ```
pub fn criterion_failed(
    workflow: &'static str,
    step: &'static str,
    status: u16,
    body: &str,
) -> Error {
    Error::CriterionFailed {
        workflow,
        step,
        criterion: "(the test's fake)",
        location: FAKE,
        status,
        body_excerpt: crate::excerpt(body.as_bytes()),
    }
}

/// An error as a workflow returns it when an `end` action of `onFailure` ends it: `action` of
/// step `step` ended `workflow` after `status`.
pub fn ended(
    workflow: &'static str,
    step: &'static str,
    action: &'static str,
    status: Option<u16>,
) -> Error {
    Error::Ended {
        workflow,
        step,
        action,
        status,
        body_excerpt: String::new(),
        outputs: Box::default(),
    }
}

const FAKE: Location = Location::new("(test double)", 0, 0);
