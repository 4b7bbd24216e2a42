//! A message to send, built from a step's header parameters and payload.

use serde_json::Value;

use super::OutgoingMessage;
use crate::error::Error;

/// The message of a send step: each header with a value (text as it is, other values as
/// JSON), the payload as JSON or as text.
pub fn outgoing(
    workflow: &'static str,
    step: &'static str,
    headers: &[(&'static str, Option<Value>)],
    content_type: &'static str,
    json: bool,
    payload: Option<Value>,
) -> Result<OutgoingMessage, Error> {
    let mut out = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let Some(value) = value else { continue };
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        // A line break would let a value add headers on protocols that write them as lines.
        if text.contains(['\r', '\n']) {
            return Err(Error::InvalidHeader {
                workflow,
                step,
                header: (*name).to_owned(),
            });
        }
        out.push(((*name).to_owned(), text));
    }
    let payload = match payload {
        None => Vec::new(),
        Some(Value::String(s)) if !json => s.into_bytes(),
        Some(v) => serde_json::to_vec(&v).unwrap_or_default(),
    };
    Ok(OutgoingMessage {
        headers: out,
        payload,
        content_type: Some(content_type.to_owned()),
    })
}
