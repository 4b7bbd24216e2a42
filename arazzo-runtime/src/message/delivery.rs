//! What a message step's criteria, actions and outputs read: the message received (or that one
//! was sent), or that none came in time.

use serde_json::Value;

use super::IncomingMessage;
use super::receive::Wait;
use crate::descriptor::{ActionKind, Criterion};
use crate::error::{Error, excerpt};

/// The outcome of one attempt of a message step.
#[derive(Debug)]
pub struct Delivery {
    pub workflow: &'static str,
    pub step: &'static str,
    message: Option<(IncomingMessage, Value)>,
    /// The wait that ran out, when no message came.
    timed_out: Option<Wait>,
}

impl Delivery {
    /// A send step's outcome: the broker client took the message.
    pub fn sent(workflow: &'static str, step: &'static str) -> Self {
        Delivery {
            workflow,
            step,
            message: None,
            timed_out: None,
        }
    }

    /// A receive step's message and its payload as expressions read it.
    pub fn received(
        workflow: &'static str,
        step: &'static str,
        message: IncomingMessage,
        payload: Value,
    ) -> Self {
        Delivery {
            workflow,
            step,
            message: Some((message, payload)),
            timed_out: None,
        }
    }

    /// No matching message within the wait: success criteria cannot hold, failure actions
    /// decide what happens.
    pub fn timed_out(workflow: &'static str, step: &'static str, wait: Wait) -> Self {
        tracing::warn!(
            workflow,
            step,
            waited_ms = u64::try_from(wait.limit.as_millis()).unwrap_or(u64::MAX),
            "no message within the wait"
        );
        Delivery {
            workflow,
            step,
            message: None,
            timed_out: Some(wait),
        }
    }

    /// A message has no status: what an `end` taken here reports.
    pub fn answered(&self) -> Option<u16> {
        None
    }

    /// What an `end` taken here shows of the response: a message step has none (its payload
    /// is in the step's outputs).
    pub fn excerpt(&self) -> String {
        String::new()
    }

    /// Whether the attempt finished: the message was sent, or one was received in time.
    pub fn completed(&self) -> bool {
        self.timed_out.is_none()
    }

    /// The rule of message steps without `successCriteria`: completed.
    pub fn is_success(&self) -> bool {
        self.completed()
    }

    /// `$message.payload`.
    pub fn message_payload(&self) -> Option<&Value> {
        self.message.as_ref().map(|(_, payload)| payload)
    }

    /// `$message.header.<name>`.
    pub fn message_header(&self, name: &str) -> Option<Value> {
        let (message, _) = self.message.as_ref()?;
        message.header(name).map(|v| Value::String(v.to_owned()))
    }

    /// Records a criterion's outcome in the trace and returns it.
    pub fn holds(&self, criterion: &Criterion, holds: bool) -> bool {
        crate::descriptor::trace_criterion((self.workflow, self.step), criterion, holds)
    }

    /// The error for a criterion that did not hold, or for a wait that ran out.
    pub fn failed(&self, criterion: &Criterion) -> Error {
        if let Some(wait) = self.timed_out {
            return wait.expired(self.workflow, self.step);
        }
        Error::MessageCriterionFailed {
            workflow: self.workflow,
            step: self.step,
            criterion: criterion.text,
            location: criterion.at,
            payload_excerpt: self
                .message
                .as_ref()
                .map(|(m, _)| excerpt(&m.payload))
                .unwrap_or_default(),
        }
    }

    /// Records an action taken (`target`: the step or workflow it goes to, if any).
    pub fn action(&self, name: &'static str, kind: ActionKind, target: &'static str) {
        crate::descriptor::trace_action((self.workflow, self.step), name, kind, target);
    }
}
