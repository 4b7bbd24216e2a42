//! Sending, subscribing and receiving, as generated steps do them: bounded in time and size,
//! with every failure a typed error that names the workflow and the step.

use std::time::Duration;

use serde_json::Value;

use super::{Delivery, IncomingMessage, MessageSource, OutgoingMessage, Subscription};
use crate::descriptor::Timeout;
use crate::error::{Error, excerpt};

/// How long a receive waits: the step's `timeout` when it has one, else the client's
/// request limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    pub limit: Duration,
    /// The step's `timeout`, when the wait is that.
    pub written: Option<Timeout>,
}

impl Wait {
    /// The step's `timeout`, else `default`.
    pub fn of(step: Option<Timeout>, default: Duration) -> Self {
        match step {
            Some(t) => Wait {
                limit: Duration::from_millis(t.millis),
                written: Some(t),
            },
            None => Wait {
                limit: default,
                written: None,
            },
        }
    }

    pub(super) fn expired(self, workflow: &'static str, step: &'static str) -> Error {
        let limit_ms = u64::try_from(self.limit.as_millis()).unwrap_or(u64::MAX);
        match self.written {
            Some(t) => Error::TimedOut {
                workflow,
                step,
                limit_ms,
                location: t.at,
            },
            None => Error::NoMessage {
                workflow,
                step,
                limit_ms,
            },
        }
    }
}

/// Where a message carries its correlation id (from the AsyncAPI message's `correlationId`),
/// and the value the step waits for.
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    pub in_header: bool,
    /// Into the headers (the first token is the header's name), or into the payload.
    pub pointer: &'static [&'static str],
    pub value: Value,
}

impl Correlation {
    /// Whether `message` carries this correlation id; `None` when it cannot be read there.
    fn matches(&self, message: &IncomingMessage, payload: Option<&Value>) -> Option<bool> {
        let found = if self.in_header {
            let (name, rest) = self.pointer.split_first()?;
            let header = message.header(name)?;
            if rest.is_empty() {
                Value::String(header.to_owned())
            } else {
                let parsed: Value = serde_json::from_str(header).ok()?;
                crate::value::at(Some(&parsed), rest)?.clone()
            }
        } else {
            crate::value::at(payload, self.pointer)?.clone()
        };
        Some(same(&found, &self.value))
    }
}

/// Equal as JSON, or as text: a header carries `42` for the number 42.
fn same(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    a == b || text(a) == text(b)
}

/// Subscribes to `address` on `source` for step `step`: done before the workflow's first step,
/// so a message that answers an earlier step is not missed.
pub async fn subscribe(
    source: &MessageSource,
    workflow: &'static str,
    step: &'static str,
    address: &str,
) -> Result<Subscription, Error> {
    let transport = source.transport(workflow, step).await?;
    transport
        .subscribe(address)
        .await
        .map_err(|e| Error::Broker {
            workflow,
            step,
            source_name: source.name,
            doing: "subscribing",
            source: e,
        })
}

/// Sends `message` to `address`, within `limit`.
pub async fn send(
    source: &MessageSource,
    workflow: &'static str,
    step: &'static str,
    address: &str,
    message: OutgoingMessage,
    limit: Wait,
) -> Result<Delivery, Error> {
    tracing::debug!(workflow, step, address, "sending a message");
    let attempt = async {
        let transport = source.transport(workflow, step).await?;
        transport
            .send(address, message)
            .await
            .map_err(|e| Error::Broker {
                workflow,
                step,
                source_name: source.name,
                doing: "sending",
                source: e,
            })
    };
    match tokio::time::timeout(limit.limit, attempt).await {
        Ok(Ok(())) => Ok(Delivery::sent(workflow, step)),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(Delivery::timed_out(workflow, step, limit)),
    }
}

/// What a receive expects of payloads.
#[derive(Clone, Copy, Debug)]
pub struct Expect {
    /// The messages' content type is JSON (else the payload is its text).
    pub json: bool,
    /// The largest payload accepted.
    pub max_bytes: usize,
    /// The content type, for errors.
    pub content_type: &'static str,
}

/// The first message on `subscription` that carries `correlation` (any message, without one),
/// within `wait`. Messages of other correlations, and those whose correlation id cannot be read,
/// are skipped; a matching message whose payload is not what its content type says is an error.
pub async fn receive(
    subscription: &mut Subscription,
    workflow: &'static str,
    step: &'static str,
    correlation: Option<&Correlation>,
    expect: Expect,
    wait: Wait,
) -> Result<Delivery, Error> {
    let now = tokio::time::Instant::now();
    // A limit too far to add is no limit at all (`Limits::unbounded`).
    let deadline = now
        .checked_add(wait.limit)
        .unwrap_or_else(|| now + Duration::from_secs(60 * 60 * 24 * 365));
    loop {
        let message = match tokio::time::timeout_at(deadline, subscription.next()).await {
            Err(_) => return Ok(Delivery::timed_out(workflow, step, wait)),
            Ok(None) => return Err(Error::SubscriptionClosed { workflow, step }),
            Ok(Some(m)) => m,
        };
        if message.payload.len() > expect.max_bytes {
            if correlation.is_some_and(|c| c.in_header && c.matches(&message, None) != Some(true)) {
                continue;
            }
            return Err(Error::MessageTooLarge {
                workflow,
                step,
                limit_bytes: expect.max_bytes as u64,
                size: message.payload.len() as u64,
            });
        }
        let parsed = decode(&message, expect);
        if let Some(c) = correlation {
            match c.matches(&message, parsed.as_ref().ok()) {
                Some(true) => {}
                Some(false) => {
                    tracing::debug!(workflow, step, "skipped a message of another correlation");
                    continue;
                }
                None => {
                    tracing::debug!(
                        workflow,
                        step,
                        "skipped a message whose correlation id could not be read"
                    );
                    continue;
                }
            }
        }
        return match parsed {
            Ok(payload) => Ok(Delivery::received(workflow, step, message, payload)),
            Err(reason) => Err(Error::MalformedMessage {
                workflow,
                step,
                content_type: expect.content_type,
                reason,
                payload_excerpt: excerpt(&message.payload),
            }),
        };
    }
}

/// The payload as expressions read it: JSON for a JSON content type, else its text.
fn decode(message: &IncomingMessage, expect: Expect) -> Result<Value, String> {
    if !expect.json {
        return Ok(Value::String(
            String::from_utf8_lossy(&message.payload).into_owned(),
        ));
    }
    serde_json::from_slice(&message.payload).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(header: Option<&str>, payload: &str) -> IncomingMessage {
        IncomingMessage {
            headers: header
                .map(|h| vec![("orderRequestId".to_owned(), h.to_owned())])
                .unwrap_or_default(),
            payload: payload.as_bytes().to_vec(),
        }
    }

    const JSON: Expect = Expect {
        json: true,
        max_bytes: 1024,
        content_type: "application/json",
    };

    fn wait(ms: u64) -> Wait {
        Wait::of(None, Duration::from_millis(ms))
    }

    #[tokio::test]
    async fn messages_of_other_correlations_are_skipped() {
        let (tx, mut sub) = Subscription::channel();
        for (h, p) in [
            (Some("other"), r#"{"orderId": 1}"#),
            (None, r#"{"orderId": 2}"#),
            (Some("mine"), r#"{"orderId": 3}"#),
        ] {
            tx.send(message(h, p))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let c = Correlation {
            in_header: true,
            pointer: &["orderRequestId"],
            value: Value::String("mine".to_owned()),
        };
        let got = receive(&mut sub, "w", "s", Some(&c), JSON, wait(1000))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            got.message_payload().and_then(|p| p.get("orderId")),
            Some(&Value::from(3))
        );
        assert_eq!(
            got.message_header("orderRequestId"),
            Some(Value::String("mine".to_owned()))
        );
    }

    #[tokio::test]
    async fn a_correlation_in_the_payload_matches_a_number_written_as_text() {
        let (tx, mut sub) = Subscription::channel();
        tx.send(message(None, r#"{"ticket": {"id": 7}}"#))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let c = Correlation {
            in_header: false,
            pointer: &["ticket", "id"],
            value: Value::String("7".to_owned()),
        };
        let got = receive(&mut sub, "w", "s", Some(&c), JSON, wait(1000)).await;
        assert!(matches!(got, Ok(d) if d.completed()));
    }

    #[tokio::test]
    async fn no_message_in_time_is_a_delivery_that_did_not_complete() {
        let (_tx, mut sub) = Subscription::channel();
        let got = receive(&mut sub, "w", "s", None, JSON, wait(20))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!got.completed());
        let error = got.failed(&crate::descriptor::ANY_2XX);
        assert!(
            matches!(error, Error::NoMessage { limit_ms: 20, .. }),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_matching_message_that_is_not_json_is_an_error_with_an_excerpt() {
        let (tx, mut sub) = Subscription::channel();
        tx.send(message(Some("mine"), "order 3 confirmed"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let c = Correlation {
            in_header: true,
            pointer: &["orderRequestId"],
            value: Value::String("mine".to_owned()),
        };
        match receive(&mut sub, "w", "s", Some(&c), JSON, wait(1000)).await {
            Err(Error::MalformedMessage {
                payload_excerpt, ..
            }) => assert_eq!(payload_excerpt, "order 3 confirmed"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_payload_over_the_limit_is_refused() {
        let (tx, mut sub) = Subscription::channel();
        tx.send(message(None, &"x".repeat(2000)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let got = receive(&mut sub, "w", "s", None, JSON, wait(1000)).await;
        assert!(
            matches!(
                got,
                Err(Error::MessageTooLarge {
                    size: 2000,
                    limit_bytes: 1024,
                    ..
                })
            ),
            "{got:?}"
        );
    }
}
