//! What the mock answers to one request of an operation.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use wiremock::ResponseTemplate;

/// One answer of a mocked operation: status, headers, body and an optional delay.
///
/// ```
/// use arazzo_runtime::mock::Answer;
/// use arazzo_runtime::serde_json::json;
///
/// let busy = Answer::status(503).header("Retry-After", "1");
/// let created = Answer::status(201).json(json!({"sid": "CH0001"}));
/// # let _ = (busy, created);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    status: u16,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Body>,
    delay: Duration,
    /// Why a header could not be set: the mock answers 500 with this text instead.
    invalid: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct Body {
    bytes: Vec<u8>,
    content_type: String,
}

impl Answer {
    /// An answer with `status`, no body and no headers.
    pub fn status(status: u16) -> Self {
        Answer {
            status,
            headers: Vec::new(),
            body: None,
            delay: Duration::ZERO,
            invalid: None,
        }
    }

    /// With `body` serialized as JSON (`application/json`): a `serde_json::json!` value, a
    /// generated output struct, or any type of your own.
    ///
    /// A value serde cannot write as JSON (a map with non-text keys) is answered as the error's
    /// text with content type `text/plain`, so the workflow, not the test set-up, reports it.
    pub fn json(self, body: impl serde::Serialize) -> Self {
        match serde_json::to_vec(&body) {
            Ok(bytes) => self.body(bytes, "application/json"),
            Err(e) => self.body(
                format!("the mock could not write this answer as JSON: {e}"),
                "text/plain",
            ),
        }
    }

    /// With `body` as given, sent with `content_type`.
    pub fn body(mut self, body: impl Into<Vec<u8>>, content_type: impl Into<String>) -> Self {
        self.body = Some(Body {
            bytes: body.into(),
            content_type: content_type.into(),
        });
        self
    }

    /// With header `name: value` (added to those already set). A name or value HTTP does not
    /// allow makes the mock answer 500 with a text saying which, so the test fails there.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let (name, value) = (name.as_ref(), value.as_ref());
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(n), Ok(v)) => self.headers.push((n, v)),
            _ => {
                self.invalid = Some(format!(
                    "the mock's answer has a header HTTP does not allow: `{}`",
                    name.escape_debug()
                ));
            }
        }
        self
    }

    /// Answered after `delay` (to try a step's `timeout`).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The answer's status code.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// A route's default answer, as generated from its description.
    pub(crate) fn generated(status: u16, content_type: &str, body: &str) -> Self {
        let answer = Answer::status(status);
        if content_type.is_empty() {
            answer
        } else {
            answer.body(body, content_type)
        }
    }

    pub(crate) fn template(&self) -> ResponseTemplate {
        if let Some(why) = &self.invalid {
            return ResponseTemplate::new(500).set_body_raw(why.as_bytes(), "text/plain");
        }
        let Ok(status) = reqwest::StatusCode::from_u16(self.status) else {
            let why = format!(
                "the mock's answer has status {}, which HTTP does not allow",
                self.status
            );
            return ResponseTemplate::new(500).set_body_raw(why.into_bytes(), "text/plain");
        };
        let mut template = ResponseTemplate::new(status).set_delay(self.delay);
        for (name, value) in &self.headers {
            template = template.append_header(name.clone(), value.clone());
        }
        if let Some(body) = &self.body {
            template = template.set_body_raw(body.bytes.clone(), &body.content_type);
        }
        template
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_http_does_not_allow_is_a_500_that_says_why() {
        let server = wiremock::MockServer::start().await;
        let answers = [
            (Answer::status(200).header("bad name", "x"), "`bad name`"),
            (Answer::status(1000), "status 1000"),
        ];
        for (i, (answer, why)) in answers.into_iter().enumerate() {
            wiremock::Mock::given(wiremock::matchers::path(format!("/{i}")))
                .respond_with(answer.template())
                .mount(&server)
                .await;
            let got = reqwest::get(format!("{}/{i}", server.uri())).await.unwrap();
            assert_eq!(got.status(), 500);
            let text = got.text().await.unwrap();
            assert!(text.contains(why), "{text}");
        }
    }
}
