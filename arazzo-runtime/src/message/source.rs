//! An AsyncAPI source as the generated client holds it: the servers its description names, and
//! the transport its messages go through (set by the user, or connected on first use to the
//! first server whose protocol a feature of this crate speaks).

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::OnceCell;

use super::{Transport, TransportError};
use crate::auth::Secret;
use crate::error::Error;

/// A server of an AsyncAPI description: `protocol` and where (`host` and `pathname` in 3.0,
/// `url` in 2.x).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Server {
    pub name: &'static str,
    pub protocol: &'static str,
    pub url: &'static str,
    /// The server's MQTT bindings (`bindings.mqtt`), used when the client connects over MQTT.
    pub mqtt: MqttBindings,
}

/// What an AsyncAPI MQTT server binding says of the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MqttBindings {
    pub client_id: Option<&'static str>,
    pub clean_session: Option<bool>,
    pub keep_alive_secs: Option<u64>,
    pub maximum_packet_size: Option<u32>,
}

impl MqttBindings {
    /// No binding: the client's defaults.
    pub const NONE: MqttBindings = MqttBindings {
        client_id: None,
        clean_session: None,
        keep_alive_secs: None,
        maximum_packet_size: None,
    };
}

/// The messages of one AsyncAPI source of a generated client. Clones share the connection.
#[derive(Clone)]
pub struct MessageSource {
    pub name: &'static str,
    /// The client method that sets its transport, named in errors.
    pub setter: &'static str,
    servers: &'static [Server],
    /// Replaces the servers' address (`with_<source>_server`).
    url: Option<Arc<str>>,
    /// The server's `userPassword` security scheme: user name and password.
    user_password: Option<(Arc<str>, Secret)>,
    transport: Arc<OnceCell<Arc<dyn Transport>>>,
}

impl std::fmt::Debug for MessageSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageSource")
            .field("name", &self.name)
            .field("servers", &self.servers)
            .field("url", &self.url)
            .field("user", &self.user_password.as_ref().map(|(u, _)| u))
            .field("connected", &self.transport.initialized())
            .finish()
    }
}

impl MessageSource {
    pub fn new(name: &'static str, setter: &'static str, servers: &'static [Server]) -> Self {
        MessageSource {
            name,
            setter,
            servers,
            url: None,
            user_password: None,
            transport: Arc::new(OnceCell::new()),
        }
    }

    /// Connects, on first use, as `user` with `password` (a `userPassword` security scheme).
    pub fn set_user_password(&mut self, user: &str, password: Secret) {
        self.user_password = Some((Arc::from(user), password));
        self.transport = Arc::new(OnceCell::new());
    }

    /// Sends and receives through `transport`.
    pub fn set_transport(&mut self, transport: impl Transport) {
        let shared: Arc<dyn Transport> = Arc::new(transport);
        self.transport = Arc::new(OnceCell::new_with(Some(shared)));
    }

    /// Connects, on first use, to `url` instead of the description's server.
    pub fn set_url(&mut self, url: &str) {
        self.url = Some(Arc::from(url));
        self.transport = Arc::new(OnceCell::new());
    }

    /// The transport: the one set, else one connected now (once per client) to the first
    /// server whose protocol a feature of this crate speaks.
    pub(crate) async fn transport(
        &self,
        workflow: &'static str,
        step: &'static str,
    ) -> Result<Arc<dyn Transport>, Error> {
        self.transport
            .get_or_try_init(|| self.connect(workflow, step))
            .await
            .cloned()
    }

    async fn connect(
        &self,
        workflow: &'static str,
        step: &'static str,
    ) -> Result<Arc<dyn Transport>, Error> {
        let no_transport = |protocol: &str| Error::NoTransport {
            workflow,
            step,
            source_name: self.name,
            protocol: protocol.to_owned(),
            setter: self.setter,
        };
        let Some(server) = self.servers.first() else {
            return Err(no_transport("(the description names no server)"));
        };
        let url = self.url.as_deref().unwrap_or(server.url);
        let login = self
            .user_password
            .as_ref()
            .map(|(user, password)| (&**user, password.expose()));
        let broker = |source: TransportError| Error::Broker {
            workflow,
            step,
            source_name: self.name,
            doing: "connecting",
            source,
        };
        match server.protocol {
            #[cfg(feature = "nats")]
            "nats" => super::nats::NatsTransport::connect_as(url, login)
                .await
                .map(|t| Arc::new(t) as Arc<dyn Transport>)
                .map_err(broker),
            #[cfg(feature = "mqtt")]
            "mqtt" | "mqtts" => super::mqtt::MqttTransport::connect_bound(url, login, &server.mqtt)
                .await
                .map(|t| Arc::new(t) as Arc<dyn Transport>)
                .map_err(broker),
            other => {
                let _ = (url, broker, login);
                Err(no_transport(other))
            }
        }
    }
}

/// A channel address with its `{name}` parameters filled. A value that would change the
/// address's structure (a level separator or a wildcard of MQTT, NATS or AMQP, white space) or
/// an empty one is refused, as a path parameter `..` is.
pub fn address(
    workflow: &'static str,
    step: &'static str,
    template: &'static str,
    parameters: &[(&'static str, &'static str, Option<Value>)],
) -> Result<String, Error> {
    let mut out = template.to_owned();
    for (name, expression, value) in parameters {
        let Some(value) = value else {
            return Err(Error::MissingValue {
                workflow,
                step,
                what: "channel parameter",
                name,
                expression,
            });
        };
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if text.is_empty()
            || text
                .chars()
                .any(|c| matches!(c, '/' | '.' | '*' | '>' | '+' | '#') || c.is_whitespace())
        {
            return Err(Error::ChannelParameter {
                workflow,
                step,
                parameter: name,
                value: text,
            });
        }
        out = out.replace(&format!("{{{name}}}"), &text);
    }
    Ok(out)
}
