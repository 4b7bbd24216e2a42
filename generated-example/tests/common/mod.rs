//! What the tests read from the requests a mock server received.
// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use wiremock::{MockServer, Request};

pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

pub fn body(request: &Request) -> String {
    String::from_utf8_lossy(&request.body).into_owned()
}

/// `METHOD /path` of every request the server received, in order.
pub async fn sequence(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}
