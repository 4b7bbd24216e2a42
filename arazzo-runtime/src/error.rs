//! The one error type of generated workflows. Every variant names the workflow and the step
//! where it arose, and carries what a user needs to act: the status, an excerpt of the body,
//! the criterion that failed and where it is written.

pub use crate::descriptor::Location;

/// Why a generated workflow did not produce its outputs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or its response not read (connection, TLS, timeout).
    #[error("workflow `{workflow}`, step `{step}`: request failed: {source}")]
    Transport {
        workflow: &'static str,
        step: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// An attempt of the step took longer than the step's `timeout`, and no failure action
    /// handled it.
    #[error(
        "workflow `{workflow}`, step `{step}`: no result within the step's timeout of {limit_ms} ms ({location})"
    )]
    TimedOut {
        workflow: &'static str,
        step: &'static str,
        limit_ms: u64,
        /// Where the step's `timeout` is written.
        location: Location,
    },
    /// A request went past one of the client's time limits (`Client::with_limits`).
    #[error(
        "workflow `{workflow}`, step `{step}`: {what} took longer than the client's limit of {limit_ms} ms"
    )]
    TimeLimit {
        workflow: &'static str,
        step: &'static str,
        /// `connecting`, `the request` or `a silence in the response`.
        what: &'static str,
        limit_ms: u64,
    },
    /// A response body larger than the client's limit (`Client::with_limits`); not read on.
    #[error(
        "workflow `{workflow}`, step `{step}`: the response body is larger than the client's limit of {limit_bytes} bytes{}",
        declared_length(*content_length)
    )]
    BodyTooLarge {
        workflow: &'static str,
        step: &'static str,
        limit_bytes: u64,
        /// The `Content-Length` the server declared, if it did.
        content_length: Option<u64>,
    },
    /// A `retry` asked to wait longer than the client allows (`Client::with_limits`); the run
    /// stops instead of retrying sooner than asked.
    #[error(
        "workflow `{workflow}`, step `{step}`: a retry was asked to wait {asked_ms} ms (by {asked_by}), longer than the client's limit of {limit_ms} ms"
    )]
    RetryDelay {
        workflow: &'static str,
        step: &'static str,
        asked_ms: u64,
        /// `the response's Retry-After` or `the action's retryAfter`.
        asked_by: &'static str,
        limit_ms: u64,
    },
    /// A response body that does not parse as the content type its response declares, where
    /// the step's outputs read it.
    #[error(
        "workflow `{workflow}`, step `{step}`: the response body is not valid `{content_type}` ({reason}); body: {body_excerpt}"
    )]
    Decode {
        workflow: &'static str,
        step: &'static str,
        /// The status of the response whose body it is.
        status: u16,
        content_type: String,
        /// Where the parser stopped (1-based).
        line: usize,
        column: usize,
        reason: String,
        body_excerpt: String,
    },
    /// The step's success criteria did not hold.
    #[error(
        "workflow `{workflow}`, step `{step}`: criterion `{criterion}` ({location}) did not hold; status {status}, body: {body_excerpt}"
    )]
    CriterionFailed {
        workflow: &'static str,
        step: &'static str,
        /// The criterion as written in the Arazzo document.
        criterion: &'static str,
        location: Location,
        status: u16,
        /// The first bytes of the response body, for a first look at what the server said.
        body_excerpt: String,
    },
    /// A value the request needs is absent (a required parameter read from an empty output).
    #[error(
        "workflow `{workflow}`, step `{step}`: required {what} `{name}` has no value (from `{expression}`)"
    )]
    MissingValue {
        workflow: &'static str,
        step: &'static str,
        /// `path parameter`, `header`, …
        what: &'static str,
        name: &'static str,
        expression: &'static str,
    },
    /// A header (or cookie, or media type) that cannot be sent as it is: a line break, which
    /// would let it inject headers, or another character no header may carry. Not sent.
    #[error(
        "workflow `{workflow}`, step `{step}`: the value of header `{header}` contains a line break or another character a header cannot carry, so the request was not sent; check the value the step gives it"
    )]
    InvalidHeader {
        workflow: &'static str,
        step: &'static str,
        header: String,
    },
    /// The operation needs credentials that the client was not given.
    #[error(
        "workflow `{workflow}`, step `{step}`: the operation requires `{scheme}` credentials; set them on the client with `{setter}`{}",
        other_schemes(alternatives)
    )]
    MissingCredentials {
        workflow: &'static str,
        step: &'static str,
        scheme: &'static str,
        setter: &'static str,
        /// The other schemes that would do as well, each with its setter.
        alternatives: Vec<(&'static str, &'static str)>,
    },
    /// No token could be had for an OAuth 2 or OpenID Connect security scheme: the token
    /// endpoint refused the client (`code` is its OAuth error code: `invalid_client`,
    /// `invalid_grant`, `invalid_scope`, …), could not be reached, or the client's token
    /// provider failed.
    #[error(
        "workflow `{workflow}`, step `{step}`: no token for security scheme `{scheme}` from {endpoint}: {}{reason}",
        code.as_deref().map(|c| format!("{c}: ")).unwrap_or_default()
    )]
    Token {
        workflow: &'static str,
        step: &'static str,
        scheme: &'static str,
        /// The token endpoint, discovery document or provider asked.
        endpoint: String,
        code: Option<String>,
        reason: String,
    },
    /// A workflow output whose value does not have the type the description promised.
    #[error("workflow `{workflow}`: output `{output}` is not a valid {expected}: {reason}")]
    OutputType {
        workflow: &'static str,
        output: &'static str,
        expected: &'static str,
        reason: String,
    },
    /// An `end` action reached through `onFailure`: the workflow failed on purpose. `status`
    /// and `body_excerpt` are of the response the step ended on (redacted, cut; empty without
    /// one); `outputs` holds the workflow outputs that could be computed from the steps run so
    /// far.
    #[error(
        "workflow `{workflow}`, step `{step}`: ended by failure action `{action}` ({}{})",
        answered(*.status),
        shown_body(.body_excerpt)
    )]
    Ended {
        workflow: &'static str,
        step: &'static str,
        action: &'static str,
        status: Option<u16>,
        body_excerpt: String,
        // Boxed: every `Result` of the runtime carries an `Error`, and the map is its largest
        // member.
        outputs: Box<serde_json::Map<String, serde_json::Value>>,
    },
    /// More steps ran than the budget allows: a `goto` loop that does not end.
    #[error(
        "workflow `{workflow}`: the step budget of {budget} is used up at step `{step}` (a `goto` loop that never ends?); raise it with `with_step_budget`"
    )]
    StepBudgetExceeded {
        workflow: &'static str,
        step: &'static str,
        budget: usize,
    },
    /// The inputs a step passes to a child workflow do not fit the child's input type.
    #[error(
        "workflow `{workflow}`, step `{step}`: the inputs for workflow `{child}` do not fit its input type: {reason}"
    )]
    ChildInput {
        workflow: &'static str,
        step: &'static str,
        child: &'static str,
        reason: String,
    },
    /// A path parameter whose value is `.` or `..`, which would change the path: not sent.
    #[error(
        "workflow `{workflow}`, step `{step}`: path parameter `{parameter}` is `{value}`, which would change the path; it was not sent"
    )]
    PathValue {
        workflow: &'static str,
        step: &'static str,
        parameter: &'static str,
        value: String,
    },
    /// A request body that could not be built (a multipart part that is not text, …).
    #[error("workflow `{workflow}`, step `{step}`: {reason}")]
    Body {
        workflow: &'static str,
        step: &'static str,
        reason: String,
    },
    /// A message broker could not be reached, or refused to send or to subscribe.
    #[error(
        "workflow `{workflow}`, step `{step}`: {doing} (messages of source `{source_name}`) failed: {source}"
    )]
    Broker {
        workflow: &'static str,
        step: &'static str,
        source_name: &'static str,
        /// `connecting`, `sending` or `subscribing`.
        doing: &'static str,
        #[source]
        source: crate::message::TransportError,
    },
    /// Messages of an AsyncAPI source need a transport, and none was set nor could be made for
    /// the protocol of the description's server.
    #[error(
        "workflow `{workflow}`, step `{step}`: the messages of source `{source_name}` need a transport for protocol `{protocol}`: set one with `{setter}`, or enable the feature of arazzo-runtime for that protocol (`mqtt`, `nats`)"
    )]
    NoTransport {
        workflow: &'static str,
        step: &'static str,
        source_name: &'static str,
        protocol: String,
        setter: &'static str,
    },
    /// No message came within the client's request limit, for a receive step without
    /// `timeout`, and no failure action handled it.
    #[error(
        "workflow `{workflow}`, step `{step}`: no matching message within the client's limit of {limit_ms} ms (give the step a `timeout`, or change `Limits::request_timeout`)"
    )]
    NoMessage {
        workflow: &'static str,
        step: &'static str,
        limit_ms: u64,
    },
    /// The message a step waited for carries a payload that is not what its content type says.
    #[error(
        "workflow `{workflow}`, step `{step}`: the message received is not valid `{content_type}` ({reason}); payload: {payload_excerpt}"
    )]
    MalformedMessage {
        workflow: &'static str,
        step: &'static str,
        content_type: &'static str,
        reason: String,
        payload_excerpt: String,
    },
    /// A message payload larger than the client's body limit (`Client::with_limits`).
    #[error(
        "workflow `{workflow}`, step `{step}`: a message of {size} bytes is larger than the client's limit of {limit_bytes} bytes"
    )]
    MessageTooLarge {
        workflow: &'static str,
        step: &'static str,
        limit_bytes: u64,
        size: u64,
    },
    /// The subscription of a receive step ended (the broker closed the connection).
    #[error(
        "workflow `{workflow}`, step `{step}`: the subscription ended before a matching message came"
    )]
    SubscriptionClosed {
        workflow: &'static str,
        step: &'static str,
    },
    /// A channel parameter whose value would change the channel address (a level separator or
    /// a wildcard) or is empty: nothing is sent or received.
    #[error(
        "workflow `{workflow}`, step `{step}`: channel parameter `{parameter}` is `{value}`, which would change the channel's address; nothing was sent or received"
    )]
    ChannelParameter {
        workflow: &'static str,
        step: &'static str,
        parameter: &'static str,
        value: String,
    },
    /// A success criterion of a message step did not hold on the message received.
    #[error(
        "workflow `{workflow}`, step `{step}`: criterion `{criterion}` ({location}) did not hold; payload: {payload_excerpt}"
    )]
    MessageCriterionFailed {
        workflow: &'static str,
        step: &'static str,
        criterion: &'static str,
        location: Location,
        payload_excerpt: String,
    },
    /// A step attempt of a durable run (feature `restate`) whose exchange Restate's journal
    /// holds as failed: a transport failure after its retries, or a failure of the request.
    #[error("workflow `{workflow}`, step `{step}` (durable run): {reason}")]
    Durable {
        workflow: &'static str,
        step: &'static str,
        reason: String,
    },
}

/// The status an `end` was taken after, as its message says it.
fn shown_body(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(", body: {excerpt}")
    }
}

fn answered(status: Option<u16>) -> String {
    match status {
        Some(status) => format!("status {status}"),
        None => "no response".to_owned(),
    }
}

impl Error {
    /// Whether the request failed on its way (connecting, a time limit, a broken connection)
    /// rather than because of what the workflow or the server said: what may be tried again.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. } | Error::TimeLimit { .. })
    }

    /// The status of the response that made the run fail, when one did: a criterion that did
    /// not hold on it, a body that did not parse, or a failure action that ended the run after
    /// it. None when the run failed without a response (a timed-out attempt, a transport
    /// error), even if earlier steps had answers: those did not make it fail. A step that ran a
    /// workflow which failed so reads it as `$statusCode` (the status of the child's last
    /// operation).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::CriterionFailed { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Ended { status, .. } => *status,
            _ => None,
        }
    }

    /// The workflow in which the error arose.
    pub fn workflow(&self) -> &'static str {
        match self {
            Error::Transport { workflow, .. }
            | Error::TimeLimit { workflow, .. }
            | Error::BodyTooLarge { workflow, .. }
            | Error::RetryDelay { workflow, .. }
            | Error::Decode { workflow, .. }
            | Error::CriterionFailed { workflow, .. }
            | Error::TimedOut { workflow, .. }
            | Error::MissingValue { workflow, .. }
            | Error::InvalidHeader { workflow, .. }
            | Error::PathValue { workflow, .. }
            | Error::MissingCredentials { workflow, .. }
            | Error::Token { workflow, .. }
            | Error::OutputType { workflow, .. }
            | Error::Body { workflow, .. }
            | Error::Ended { workflow, .. }
            | Error::StepBudgetExceeded { workflow, .. }
            | Error::Broker { workflow, .. }
            | Error::NoTransport { workflow, .. }
            | Error::NoMessage { workflow, .. }
            | Error::MalformedMessage { workflow, .. }
            | Error::MessageTooLarge { workflow, .. }
            | Error::SubscriptionClosed { workflow, .. }
            | Error::ChannelParameter { workflow, .. }
            | Error::MessageCriterionFailed { workflow, .. }
            | Error::ChildInput { workflow, .. }
            | Error::Durable { workflow, .. } => workflow,
        }
    }

    /// The step in which the error arose (`None` for an output that has the wrong type).
    pub fn step(&self) -> Option<&'static str> {
        match self {
            Error::Transport { step, .. }
            | Error::TimeLimit { step, .. }
            | Error::BodyTooLarge { step, .. }
            | Error::RetryDelay { step, .. }
            | Error::Decode { step, .. }
            | Error::CriterionFailed { step, .. }
            | Error::TimedOut { step, .. }
            | Error::MissingValue { step, .. }
            | Error::InvalidHeader { step, .. }
            | Error::PathValue { step, .. }
            | Error::MissingCredentials { step, .. }
            | Error::Token { step, .. }
            | Error::Body { step, .. }
            | Error::Ended { step, .. }
            | Error::StepBudgetExceeded { step, .. }
            | Error::Broker { step, .. }
            | Error::NoTransport { step, .. }
            | Error::NoMessage { step, .. }
            | Error::MalformedMessage { step, .. }
            | Error::MessageTooLarge { step, .. }
            | Error::SubscriptionClosed { step, .. }
            | Error::ChannelParameter { step, .. }
            | Error::MessageCriterionFailed { step, .. }
            | Error::ChildInput { step, .. }
            | Error::Durable { step, .. } => Some(step),
            Error::OutputType { .. } => None,
        }
    }
}

fn other_schemes(alternatives: &[(&str, &str)]) -> String {
    alternatives
        .iter()
        .map(|(scheme, setter)| format!(", or `{scheme}` credentials with `{setter}`"))
        .collect()
}

fn declared_length(content_length: Option<u64>) -> String {
    content_length.map_or_else(String::new, |n| format!(" (it declared {n} bytes)"))
}

/// At most this many bytes of a body go into an error.
pub const BODY_EXCERPT_BYTES: usize = 512;

/// The start of a body as text, cut on a character boundary.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_EXCERPT_BYTES {
        return text.into_owned();
    }
    let mut end = BODY_EXCERPT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}… ({} bytes in all)",
        text.get(..end).unwrap_or(""),
        body.len()
    )
}
