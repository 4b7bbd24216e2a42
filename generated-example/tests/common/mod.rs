//! What the tests read from the requests a mock server received.
// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arazzo_runtime::flow::Sleeper;
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

/// A sleeper that records the delays it is asked for instead of waiting.
pub fn recording() -> (Sleeper, Arc<Mutex<Vec<Duration>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let sleeper = Sleeper::new(move |d| {
        if let Ok(mut v) = log.lock() {
            v.push(d);
        }
        async {}
    });
    (sleeper, seen)
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
