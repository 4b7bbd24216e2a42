//! Serving a Restate endpoint over HTTP/2 with Nagle's algorithm off on every connection: the
//! SDK's own `HttpServer` leaves it on, and each journal entry then waits out the peer's
//! delayed acknowledgement (about 40 ms on Linux) before the run goes on.

use std::net::SocketAddr;

use hyper_util::rt::{TokioExecutor, TokioIo};
use restate_sdk::endpoint::Endpoint;
use restate_sdk::hyper::HyperEndpoint;

/// Serves `endpoint` on `address` until the process ends; an address that cannot be bound is
/// the error. Use it where the SDK's `HttpServer::listen_and_serve` would go.
pub async fn serve(endpoint: Endpoint, address: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    let endpoint = HyperEndpoint::new(endpoint);
    loop {
        let (stream, remote) = match listener.accept().await {
            Ok(accepted) => accepted,
            // A connection that failed before it was accepted concerns that peer only.
            Err(e) => {
                tracing::warn!(error = %e, "accepting a connection from Restate failed");
                continue;
            }
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::warn!(error = %e, %remote, "TCP_NODELAY could not be set");
        }
        let connection = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
            .serve_connection(TokioIo::new(stream), endpoint.clone());
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, %remote, "a connection from Restate ended in error");
            }
        });
    }
}
