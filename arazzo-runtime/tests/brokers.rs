//! The runtime's transports against real brokers: NATS (`nats-server`, through `ARAZZO_NATS`)
//! and MQTT 5 (Mosquitto, through `ARAZZO_MQTT`), both started by `cargo xtask test`. A workflow's
//! side subscribes first; the service's side (another connection) then answers: messages of
//! other correlations are skipped, headers and content type arrive, a payload that is not JSON
//! is a typed error, and silence ends in a delivery that did not complete.
#![cfg(all(feature = "nats", feature = "mqtt"))]

use std::time::Duration;

use arazzo_runtime::__private::{
    Correlation, Expect, MessageSource, MqttBindings, Server, Wait, receive, send, subscribe,
};
use arazzo_runtime::message::{OutgoingMessage, Transport};
use arazzo_runtime::message::{mqtt::MqttTransport, nats::NatsTransport};
use arazzo_runtime::{Error, serde_json::Value};

const JSON: Expect = Expect {
    json: true,
    max_bytes: 64 * 1024,
    content_type: "application/json",
};

fn broker(var: &str) -> Option<String> {
    let url = std::env::var(var).ok();
    if url.is_none() {
        eprintln!(
            "{var} is not set: this broker test was NOT run (`cargo xtask test` starts the broker)"
        );
    }
    url
}

fn order(correlation: &str, payload: &str) -> OutgoingMessage {
    OutgoingMessage {
        headers: vec![("orderRequestId".to_owned(), correlation.to_owned())],
        payload: payload.as_bytes().to_vec(),
        content_type: Some("application/json".to_owned()),
    }
}

fn mine() -> Correlation {
    Correlation {
        in_header: true,
        pointer: &["orderRequestId"],
        value: Value::String("order-mine".to_owned()),
    }
}

fn wait(ms: u64) -> Wait {
    Wait::of(None, Duration::from_millis(ms))
}

/// One workflow's exchange with a service on `topic`, each on its own connection.
async fn exchange(workflow: &MessageSource, service: &dyn Transport, topic: &str) {
    let mut subscription = subscribe(workflow, "w", "confirm", topic)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    service
        .send(topic, order("order-other", r#"{"orderId": 1}"#))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    service
        .send(topic, order("order-mine", r#"{"orderId": 2}"#))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let got = receive(
        &mut subscription,
        "w",
        "confirm",
        Some(&mine()),
        JSON,
        wait(5000),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(got.completed());
    assert_eq!(
        got.message_payload().and_then(|p| p.get("orderId")),
        Some(&Value::from(2)),
        "the message of the other correlation is skipped"
    );
    assert_eq!(
        got.message_header("orderRequestId"),
        Some(Value::String("order-mine".to_owned()))
    );

    // Nothing more comes: the wait ends in a delivery that did not complete.
    let silent = receive(
        &mut subscription,
        "w",
        "confirm",
        Some(&mine()),
        JSON,
        wait(300),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!silent.completed());

    // A matching message that is not JSON is the step's typed error.
    service
        .send(topic, order("order-mine", "order 3 confirmed"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    match receive(
        &mut subscription,
        "w",
        "confirm",
        Some(&mine()),
        JSON,
        wait(5000),
    )
    .await
    {
        Err(Error::MalformedMessage {
            payload_excerpt,
            step,
            ..
        }) => {
            assert_eq!(payload_excerpt, "order 3 confirmed");
            assert_eq!(step, "confirm");
        }
        other => panic!("expected a malformed message, got {other:?}"),
    }

    // The workflow's own sends go through the same source.
    let echo = send(
        workflow,
        "w",
        "place",
        topic,
        order("order-mine", r#"{"orderId": 4}"#),
        wait(5000),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(echo.completed());
    let back = receive(
        &mut subscription,
        "w",
        "confirm",
        Some(&mine()),
        JSON,
        wait(5000),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back.message_payload().and_then(|p| p.get("orderId")),
        Some(&Value::from(4))
    );
}

#[tokio::test]
async fn nats_carries_messages_headers_and_correlations() {
    let Some(url) = broker("ARAZZO_NATS") else {
        return;
    };
    static SERVERS: &[Server] = &[Server {
        name: "local",
        protocol: "nats",
        url: "nats://127.0.0.1:4222",
        mqtt: MqttBindings::NONE,
    }];
    let mut workflow = MessageSource::new("orders", "with_orders_transport", SERVERS);
    // The description's server is replaced by the test broker; the protocol picks the transport.
    workflow.set_url(&url);
    let service = NatsTransport::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    exchange(&workflow, &service, "pets.orders.confirmed").await;
}

#[tokio::test]
async fn mqtt_5_carries_messages_user_properties_and_correlations() {
    let Some(url) = broker("ARAZZO_MQTT") else {
        return;
    };
    static SERVERS: &[Server] = &[Server {
        name: "broker",
        protocol: "mqtt",
        url: "localhost:1883",
        mqtt: MqttBindings::NONE,
    }];
    let mut workflow = MessageSource::new("orders", "with_orders_transport", SERVERS);
    workflow.set_url(&url);
    let service = MqttTransport::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    exchange(&workflow, &service, "pets/orders/confirmed").await;
}

#[tokio::test]
async fn a_source_without_a_transport_for_its_protocol_says_how_to_give_one() {
    static SERVERS: &[Server] = &[Server {
        name: "cluster",
        protocol: "kafka",
        url: "localhost:9092",
        mqtt: MqttBindings::NONE,
    }];
    let workflow = MessageSource::new("orders", "with_orders_transport", SERVERS);
    match subscribe(&workflow, "w", "confirm", "orders").await {
        Err(e @ Error::NoTransport { .. }) => {
            let text = e.to_string();
            assert!(text.contains("`kafka`"), "{text}");
            assert!(text.contains("with_orders_transport"), "{text}");
        }
        other => panic!("expected NoTransport, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_broker_is_a_typed_error_naming_the_source() {
    static SERVERS: &[Server] = &[Server {
        name: "gone",
        protocol: "nats",
        url: "nats://127.0.0.1:9",
        mqtt: MqttBindings::NONE,
    }];
    let workflow = MessageSource::new("orders", "with_orders_transport", SERVERS);
    match subscribe(&workflow, "w", "confirm", "orders").await {
        Err(Error::Broker {
            source_name, doing, ..
        }) => {
            assert_eq!(source_name, "orders");
            assert_eq!(doing, "connecting");
        }
        other => panic!("expected a broker error, got {other:?}"),
    }
}
