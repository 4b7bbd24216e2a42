//! What the tests read from the requests a mock server received, and what they share to
//! watch a run: a trace capture, a server that echoes requests.
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

/// The body as JSON (`null` when it is not): compared whole, whatever order its members were
/// written in (JSON objects keep key order at run time, document order only where a crate in
/// the build turns on `serde_json`'s `preserve_order`).
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or_default()
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

/// A trace writer that keeps what it is given, for tests that read the trace.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn text(&self) -> String {
        self.0
            .lock()
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .unwrap_or_default()
    }
}

/// The request as a server that echoes it would write it: its URL, then every header.
pub fn echo(request: &Request) -> String {
    let mut text = format!("{} {}\n", request.method, request.url);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {}\n", value.to_str().unwrap_or_default()));
    }
    text
}

/// A server that answers every request with a `500` whose body echoes it, credentials
/// included.
pub struct Echo;

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> wiremock::ResponseTemplate {
        wiremock::ResponseTemplate::new(500).set_body_string(echo(request))
    }
}

/// A loopback server below HTTP, for answers no mock library sends (silence, a body that
/// stalls or never ends): each connection's request is read, then `answer` writes what it
/// likes to the socket. Its base URL.
pub async fn raw_server<F, Fut>(answer: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("loopback listener: {e}"));
    let address = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("loopback address: {e}"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                answer(socket).await;
            });
        }
    });
    format!("http://{address}")
}
