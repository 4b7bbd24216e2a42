//! NATS, through `async-nats` (feature `nats`): a channel address is a subject, message headers
//! are NATS headers, and the content type travels as the `content-type` header.

use futures_util::StreamExt;

use super::{
    AbortOnDrop, BoxFuture, IncomingMessage, OutgoingMessage, Subscription, Transport,
    TransportError,
};

/// A [`Transport`] over one NATS connection.
#[derive(Clone, Debug)]
pub struct NatsTransport {
    client: async_nats::Client,
}

impl NatsTransport {
    /// Connects to the server at `url` (`nats://host:4222`, or `host:4222`).
    pub async fn connect(url: &str) -> Result<Self, TransportError> {
        Self::connect_as(url, None).await
    }

    /// Connects as `(user, password)` when given (a `userPassword` security scheme).
    pub async fn connect_as(
        url: &str,
        login: Option<(&str, &str)>,
    ) -> Result<Self, TransportError> {
        let options = match login {
            Some((user, password)) => async_nats::ConnectOptions::with_user_and_password(
                user.to_owned(),
                password.to_owned(),
            ),
            None => async_nats::ConnectOptions::new(),
        };
        options
            .connect(url)
            .await
            .map(Self::from_client)
            .map_err(TransportError::new)
    }

    /// Uses a connection made with the options `async-nats` offers (credentials, TLS, …).
    pub fn from_client(client: async_nats::Client) -> Self {
        NatsTransport { client }
    }
}

impl Transport for NatsTransport {
    fn send<'a>(
        &'a self,
        address: &'a str,
        message: OutgoingMessage,
    ) -> BoxFuture<'a, Result<(), TransportError>> {
        Box::pin(async move {
            let mut headers = async_nats::HeaderMap::new();
            for (name, value) in &message.headers {
                headers.insert(name.as_str(), value.as_str());
            }
            if let Some(content_type) = &message.content_type {
                headers.insert("content-type", content_type.as_str());
            }
            self.client
                .publish_with_headers(address.to_owned(), headers, message.payload.into())
                .await
                .map_err(TransportError::new)?;
            // Published means handed to the server, not sitting in this client's buffer.
            self.client.flush().await.map_err(TransportError::new)
        })
    }

    fn subscribe<'a>(
        &'a self,
        address: &'a str,
    ) -> BoxFuture<'a, Result<Subscription, TransportError>> {
        Box::pin(async move {
            let mut subscriber = self
                .client
                .subscribe(address.to_owned())
                .await
                .map_err(TransportError::new)?;
            // `flush` only empties this client's buffer. A request to an inbox nobody serves is
            // answered "no responders" by the server after it has read everything before it on
            // this connection, the subscription included.
            let probe = self.client.new_inbox();
            match self.client.request(probe, Vec::new().into()).await {
                Ok(_) => {}
                Err(e) if e.kind() == async_nats::RequestErrorKind::NoResponders => {}
                Err(e) => return Err(TransportError::new(e)),
            }
            let (tx, subscription) = Subscription::channel();
            let task = tokio::spawn(async move {
                while let Some(m) = subscriber.next().await {
                    let headers = m
                        .headers
                        .iter()
                        .flat_map(|h| h.iter())
                        .flat_map(|(name, values)| {
                            values
                                .iter()
                                .map(move |v| (name.to_string(), v.as_str().to_owned()))
                        })
                        .collect();
                    let message = IncomingMessage {
                        headers,
                        payload: m.payload.to_vec(),
                    };
                    if tx.send(message).await.is_err() {
                        break;
                    }
                }
            });
            Ok(subscription.with_guard(AbortOnDrop(task)))
        })
    }
}
