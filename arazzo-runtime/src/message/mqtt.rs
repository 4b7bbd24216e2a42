//! MQTT 5, through `rumqttc` (feature `mqtt`): a channel address is a topic, message headers
//! are MQTT 5 user properties and the content type is the publish's content type. One
//! connection per transport, QoS 1 both ways.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::{AsyncClient, Event, EventLoop, MqttOptions};
use tokio::sync::mpsc;

use super::source::MqttBindings;
use super::{
    AbortOnDrop, BoxFuture, IncomingMessage, OutgoingMessage, Subscription, Transport,
    TransportError,
};

/// Requests the client queues before `send` waits.
const QUEUE: usize = 64;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

type Routes = Arc<Mutex<Vec<(String, mpsc::Sender<IncomingMessage>)>>>;

/// A [`Transport`] over one MQTT 5 connection.
pub struct MqttTransport {
    client: AsyncClient,
    routes: Routes,
    /// One subscribe at a time, so the next SUBACK is this one's.
    subscribing: tokio::sync::Mutex<mpsc::Receiver<Result<(), String>>>,
    /// One send at a time, so the next PUBACK is this one's.
    sending: tokio::sync::Mutex<mpsc::Receiver<()>>,
    _event_loop: AbortOnDrop,
}

impl std::fmt::Debug for MqttTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttTransport").finish_non_exhaustive()
    }
}

impl MqttTransport {
    /// Connects to the broker at `url` (`mqtt://host:1883`, or `host:1883` as AsyncAPI 3.0
    /// servers write it), as a new client without credentials.
    pub async fn connect(url: &str) -> Result<Self, TransportError> {
        Self::connect_as(url, None).await
    }

    /// Connects as `(user, password)` when given (a `userPassword` security scheme).
    pub async fn connect_as(
        url: &str,
        login: Option<(&str, &str)>,
    ) -> Result<Self, TransportError> {
        Self::connect_bound(url, login, &MqttBindings::NONE).await
    }

    /// Connects as the description's MQTT server bindings say (client id, clean session, keep
    /// alive, largest packet).
    pub(crate) async fn connect_bound(
        url: &str,
        login: Option<(&str, &str)>,
        bindings: &MqttBindings,
    ) -> Result<Self, TransportError> {
        Self::from_options(options(url, login, bindings)?).await
    }
}

/// The options of a connection to `url`, as `login` and the server's bindings say.
fn options(
    url: &str,
    login: Option<(&str, &str)>,
    bindings: &MqttBindings,
) -> Result<MqttOptions, TransportError> {
    let rest = url
        .strip_prefix("mqtt://")
        .or_else(|| url.strip_prefix("tcp://"))
        .unwrap_or(url);
    if url.starts_with("mqtts://") || url.starts_with("ssl://") {
        return Err(TransportError::new(
            "MQTT over TLS: build the connection's options with rumqttc and use `MqttTransport::from_options`",
        ));
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse::<u16>()
                .map_err(|_| TransportError::new(format!("`{port}` is not a port")))?,
        ),
        None => (authority, 1883),
    };
    let id = bindings.client_id.map_or_else(client_id, str::to_owned);
    let mut options = MqttOptions::new(id, host, port);
    if let Some((user, password)) = login {
        options.set_credentials(user, password);
    }
    if let Some(clean) = bindings.clean_session {
        options.set_clean_start(clean);
    }
    // rumqttc takes keep-alives of 5 s or more; a shorter one is left at its default.
    match bindings.keep_alive_secs {
        Some(secs) if secs >= 5 => {
            options.set_keep_alive(Duration::from_secs(secs));
        }
        Some(secs) => tracing::warn!(
            keep_alive_secs = secs,
            "MQTT keep-alive under 5 s not used; the client's default applies"
        ),
        None => {}
    }
    if let Some(size) = bindings.maximum_packet_size {
        options.set_max_packet_size(Some(size));
    }
    Ok(options)
}

impl MqttTransport {
    /// Connects with options made with rumqttc (credentials, TLS, keep-alive, …).
    pub async fn from_options(options: MqttOptions) -> Result<Self, TransportError> {
        let (client, mut events) = AsyncClient::new(options, QUEUE);
        // Connected means the broker said so: a refusal is this call's error, not a later one.
        tokio::time::timeout(CONNECT_TIMEOUT, async {
            loop {
                match events.poll().await {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
                    Ok(_) => {}
                    Err(e) => return Err(TransportError::new(e)),
                }
            }
        })
        .await
        .map_err(|_| TransportError::new("the MQTT broker did not answer within 10 s"))??;
        let routes: Routes = Arc::new(Mutex::new(Vec::new()));
        let (acks_tx, acks) = mpsc::channel(4);
        let (published_tx, published) = mpsc::channel(4);
        let task = tokio::spawn(run(events, routes.clone(), acks_tx, published_tx));
        Ok(MqttTransport {
            client,
            routes,
            subscribing: tokio::sync::Mutex::new(acks),
            sending: tokio::sync::Mutex::new(published),
            _event_loop: AbortOnDrop(task),
        })
    }
}

fn client_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "arazzo-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Drives the connection: incoming publishes go to the subscriptions of their topic, SUBACKs to
/// the subscribe waiting for one, PUBACKs to the send waiting for one. rumqttc reconnects on the
/// next poll after an error.
async fn run(
    mut events: EventLoop,
    routes: Routes,
    acks: mpsc::Sender<Result<(), String>>,
    published: mpsc::Sender<()>,
) {
    loop {
        match events.poll().await {
            Ok(Event::Incoming(Packet::Publish(p))) => {
                let topic = String::from_utf8_lossy(&p.topic).into_owned();
                let properties = p.properties.unwrap_or_default();
                let message = IncomingMessage {
                    headers: properties.user_properties,
                    payload: p.payload.to_vec(),
                };
                let senders: Vec<mpsc::Sender<IncomingMessage>> = routes
                    .lock()
                    .map(|r| {
                        r.iter()
                            .filter(|(t, _)| *t == topic)
                            .map(|(_, s)| s.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                for sender in senders {
                    let _ = sender.send(message.clone()).await;
                }
                if let Ok(mut r) = routes.lock() {
                    r.retain(|(_, s)| !s.is_closed());
                }
            }
            Ok(Event::Incoming(Packet::SubAck(ack))) => {
                let refused = ack
                    .return_codes
                    .iter()
                    .find(|c| {
                        !matches!(
                            c,
                            rumqttc::v5::mqttbytes::v5::SubscribeReasonCode::Success(_)
                        )
                    })
                    .map(|c| format!("the broker refused the subscription: {}", refusal(c)));
                let _ = acks.send(refused.map_or(Ok(()), Err)).await;
            }
            Ok(Event::Incoming(Packet::PubAck(_))) => {
                let _ = published.send(()).await;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "MQTT connection lost; reconnecting");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

impl Transport for MqttTransport {
    fn send<'a>(
        &'a self,
        address: &'a str,
        message: OutgoingMessage,
    ) -> BoxFuture<'a, Result<(), TransportError>> {
        Box::pin(async move {
            let properties = PublishProperties {
                user_properties: message.headers,
                content_type: message.content_type,
                ..PublishProperties::default()
            };
            // Sent means the broker has it (its PUBACK came): a workflow that ends right after
            // a send, and drops its client, loses nothing.
            let mut published = self.sending.lock().await;
            self.client
                .publish_with_properties(
                    address,
                    QoS::AtLeastOnce,
                    false,
                    message.payload,
                    properties,
                )
                .await
                .map_err(TransportError::new)?;
            match tokio::time::timeout(CONNECT_TIMEOUT, published.recv()).await {
                Ok(Some(())) => Ok(()),
                Ok(None) => Err(TransportError::new("the MQTT connection ended")),
                Err(_) => Err(TransportError::new(
                    "the MQTT broker did not acknowledge the message within 10 s",
                )),
            }
        })
    }

    fn subscribe<'a>(
        &'a self,
        address: &'a str,
    ) -> BoxFuture<'a, Result<Subscription, TransportError>> {
        Box::pin(async move {
            let mut acks = self.subscribing.lock().await;
            let (tx, subscription) = Subscription::channel();
            if let Ok(mut r) = self.routes.lock() {
                r.push((address.to_owned(), tx));
            }
            self.client
                .subscribe(address, QoS::AtLeastOnce)
                .await
                .map_err(TransportError::new)?;
            match tokio::time::timeout(CONNECT_TIMEOUT, acks.recv()).await {
                Ok(Some(Ok(()))) => Ok(subscription),
                Ok(Some(Err(refused))) => Err(TransportError::new(refused)),
                Ok(None) => Err(TransportError::new("the MQTT connection ended")),
                Err(_) => Err(TransportError::new(
                    "the MQTT broker did not acknowledge the subscription within 10 s",
                )),
            }
        })
    }
}

/// Why a broker refused a subscription, in words (MQTT 5 SUBACK reason codes).
fn refusal(code: &rumqttc::v5::mqttbytes::v5::SubscribeReasonCode) -> &'static str {
    use rumqttc::v5::mqttbytes::v5::SubscribeReasonCode as Code;
    match code {
        Code::Success(_) => "granted",
        Code::Failure | Code::Unspecified => "unspecified error",
        Code::ImplementationSpecific => "implementation-specific error",
        Code::NotAuthorized => "not authorized",
        Code::TopicFilterInvalid => "the topic filter is invalid",
        Code::PkidInUse => "the packet identifier is in use",
        Code::QuotaExceeded => "quota exceeded",
        Code::SharedSubscriptionsNotSupported => "shared subscriptions are not supported",
        Code::SubscriptionIdNotSupported => "subscription identifiers are not supported",
        Code::WildcardSubscriptionsNotSupported => "wildcard subscriptions are not supported",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_bindings_shape_the_connection() {
        let bindings = MqttBindings {
            client_id: Some("shop-workflows"),
            clean_session: Some(false),
            keep_alive_secs: Some(30),
            maximum_packet_size: Some(65_536),
        };
        let o = options("localhost:1884", Some(("shop", "s")), &bindings)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.client_id(), "shop-workflows");
        assert!(!o.clean_start());
        assert_eq!(o.keep_alive(), Duration::from_secs(30));
        assert_eq!(o.broker_address(), ("localhost".to_owned(), 1884));
        assert_eq!(o.max_packet_size(), Some(65_536));
    }

    #[test]
    fn a_keep_alive_rumqttc_refuses_is_left_at_its_default_instead_of_panicking() {
        let bindings = MqttBindings {
            keep_alive_secs: Some(1),
            ..MqttBindings::NONE
        };
        let o = options("mqtt://127.0.0.1", None, &bindings).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.keep_alive(), Duration::from_secs(60));
        assert_eq!(o.broker_address(), ("127.0.0.1".to_owned(), 1883));
    }
}
