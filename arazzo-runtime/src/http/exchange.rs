//! A finished call: the response, and the request as sent, as expressions read them.

use std::sync::OnceLock;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::descriptor::{ActionKind, Criterion, Timeout};
use crate::error::Error;
use crate::redact::Redactions;

/// What was sent, as expressions read it.
#[derive(Debug, Clone, Default)]
pub struct RequestRecord {
    pub path: Vec<(&'static str, Value)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// A finished call: the response, and the request as sent.
#[derive(Debug)]
pub struct Exchange {
    pub workflow: &'static str,
    pub step: &'static str,
    pub status: u16,
    pub url: String,
    /// `None` for the stand-in exchange of a step that ran a child workflow.
    pub method: Option<reqwest::Method>,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    pub(super) json: OnceLock<Option<Value>>,
    pub request: RequestRecord,
    /// The step's timeout, when the attempt ran out of it: there is no response.
    pub(super) timed_out: Option<Timeout>,
    /// The credentials the request carried, replaced in body excerpts.
    pub(super) redactions: Redactions,
}

impl Exchange {
    /// The stand-in exchange of a step that ran a child workflow: `$statusCode` is the status of
    /// the child's last operation.
    pub fn child(workflow: &'static str, step: &'static str, status: Option<u16>) -> Self {
        Exchange {
            workflow,
            step,
            status: status.unwrap_or(0),
            url: String::new(),
            method: None,
            headers: HeaderMap::new(),
            body: Vec::new(),
            json: OnceLock::new(),
            request: RequestRecord::default(),
            timed_out: None,
            redactions: Redactions::default(),
        }
    }

    /// The stand-in exchange of a step whose child workflow failed with `error`: the step
    /// failed, and its failure actions read `$statusCode` as the status of the child's last
    /// operation (none when that operation got no response).
    pub fn child_failed(workflow: &'static str, step: &'static str, error: &Error) -> Self {
        tracing::warn!(
            workflow,
            step,
            child = error.workflow(),
            "child workflow failed"
        );
        Exchange::child(workflow, step, error.status())
    }

    /// The stand-in exchange of an attempt that ran out of the step's timeout: no status, no
    /// response; success criteria cannot hold, failure actions decide what happens.
    pub fn timed_out(workflow: &'static str, step: &'static str, limit: Timeout) -> Self {
        tracing::warn!(
            workflow,
            step,
            timeout_ms = limit.millis,
            "step attempt timed out"
        );
        Exchange {
            timed_out: Some(limit),
            ..Exchange::child(workflow, step, None)
        }
    }

    /// An exchange read back from a durable run's journal: what a response said, and the call's
    /// own record of its request.
    #[cfg(feature = "restate")]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn replayed(
        (workflow, step): (&'static str, &'static str),
        status: u16,
        url: String,
        method: Option<reqwest::Method>,
        headers: &[(String, String)],
        body: Vec<u8>,
        request: RequestRecord,
        redactions: Redactions,
    ) -> Self {
        let headers = headers
            .iter()
            .filter_map(|(name, value)| {
                Some((
                    reqwest::header::HeaderName::from_bytes(name.as_bytes()).ok()?,
                    reqwest::header::HeaderValue::from_str(value).ok()?,
                ))
            })
            .collect();
        Exchange {
            workflow,
            step,
            status,
            url,
            method,
            headers,
            body,
            json: OnceLock::new(),
            request,
            timed_out: None,
            redactions,
        }
    }

    /// The response's headers whose values are text, in order.
    #[cfg(feature = "restate")]
    pub(crate) fn header_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
    }

    /// Whether the attempt finished within the step's timeout (always, without one).
    pub fn completed(&self) -> bool {
        self.timed_out.is_none()
    }

    /// The status this attempt answered with: none after a timed-out attempt, or for a child
    /// workflow that failed without a response. What an `end` taken here reports.
    pub fn answered(&self) -> Option<u16> {
        (self.completed() && self.status != 0).then_some(self.status)
    }

    /// The body of the response, redacted and cut, as errors show it (empty without one).
    pub fn excerpt(&self) -> String {
        if self.completed() && !self.body.is_empty() {
            self.redactions.excerpt(&self.body)
        } else {
            String::new()
        }
    }

    /// `$statusCode`.
    pub fn status_code(&self) -> Option<Value> {
        self.completed().then(|| Value::from(self.status))
    }

    /// `$url`.
    pub fn url(&self) -> Option<Value> {
        Some(Value::String(self.url.clone()))
    }

    /// `$method`.
    pub fn method(&self) -> Option<Value> {
        self.method
            .as_ref()
            .map(|m| Value::String(m.as_str().to_owned()))
    }

    /// `$response.header.<name>` (case-insensitive; repeated headers joined with `, `).
    pub fn response_header(&self, name: &str) -> Option<Value> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| Value::String(values.join(", ")))
    }

    /// `$response.body`: JSON when it parses as JSON, else the text; decoded once.
    pub fn response_body(&self) -> Option<&Value> {
        self.json
            .get_or_init(|| {
                if self.body.is_empty() {
                    return None;
                }
                serde_json::from_slice(&self.body).ok().or_else(|| {
                    Some(Value::String(
                        String::from_utf8_lossy(&self.body).into_owned(),
                    ))
                })
            })
            .as_ref()
    }

    /// A body whose `Content-Type` says JSON (`application/json`, `…+json`) and that does not
    /// parse as JSON is an error of this step, with the parser's position; other bodies pass.
    pub fn check_body(&self) -> Result<(), Error> {
        let Some(content_type) = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
        else {
            return Ok(());
        };
        let essence = content_type.split(';').next().unwrap_or("").trim();
        let json = essence.eq_ignore_ascii_case("application/json")
            || essence
                .len()
                .checked_sub(5)
                .and_then(|at| essence.get(at..))
                .is_some_and(|tail| tail.eq_ignore_ascii_case("+json"));
        if !json || self.body.is_empty() || !matches!(self.response_body(), Some(Value::String(_)))
        {
            return Ok(());
        }
        match serde_json::from_slice::<serde::de::IgnoredAny>(&self.body) {
            Ok(_) => Ok(()),
            Err(e) => Err(Error::Decode {
                workflow: self.workflow,
                step: self.step,
                status: self.status,
                content_type: content_type.to_owned(),
                line: e.line(),
                column: e.column(),
                reason: e.to_string(),
                body_excerpt: self.redactions.excerpt(&self.body),
            }),
        }
    }

    /// The raw response body.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// `$request.header.<name>` (case-insensitive).
    pub fn request_header(&self, name: &str) -> Option<Value> {
        self.request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| Value::String(v.clone()))
    }

    /// `$request.query.<name>`.
    pub fn request_query(&self, name: &str) -> Option<Value> {
        self.request
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| Value::String(v.clone()))
    }

    /// `$request.path.<name>`.
    pub fn request_path(&self, name: &str) -> Option<Value> {
        self.request
            .path
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }

    /// `$request.body`.
    pub fn request_body(&self) -> Option<&Value> {
        self.request.body.as_ref()
    }

    /// Whether the status is 2xx: the rule for steps without `successCriteria`.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Records a criterion's outcome in the trace and returns it.
    pub fn holds(&self, criterion: &Criterion, holds: bool) -> bool {
        crate::descriptor::trace_criterion((self.workflow, self.step), criterion, holds)
    }

    /// The error for a criterion that did not hold, or for an attempt that timed out.
    pub fn failed(&self, criterion: &Criterion) -> Error {
        if let Some(limit) = self.timed_out {
            return Error::TimedOut {
                workflow: self.workflow,
                step: self.step,
                limit_ms: limit.millis,
                location: limit.at,
            };
        }
        Error::CriterionFailed {
            workflow: self.workflow,
            step: self.step,
            criterion: criterion.text,
            location: criterion.at,
            status: self.status,
            body_excerpt: self.redactions.excerpt(&self.body),
        }
    }

    /// Records an action taken (`target`: the step or workflow it goes to, if any).
    pub fn action(&self, name: &'static str, kind: ActionKind, target: &'static str) {
        crate::descriptor::trace_action((self.workflow, self.step), name, kind, target);
    }
}
