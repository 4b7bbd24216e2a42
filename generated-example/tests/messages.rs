//! Generated message steps against real brokers and a validating HTTP mock, all started by
//! `cargo xtask test`: the pet purchase (AsyncAPI 3.0 over MQTT 5 with Mosquitto; the pet found
//! through Prism) and the kitchen (AsyncAPI 2.6 over NATS). A task plays the service on its own
//! connection: it answers each order, first with a message of another correlation (which the
//! workflow skips), or with what the test needs (a malformed reply, a refusal, silence).

use arazzo_runtime::message::mqtt::MqttTransport;
use arazzo_runtime::message::nats::NatsTransport;
use arazzo_runtime::message::{IncomingMessage, OutgoingMessage, Transport};
use arazzo_runtime::{Error, serde_json};
use generated_example::{kitchen, pet_purchase};

/// The URL of `name` in `var` (`name=url;name=url`), or why the test does not run.
fn env_url(var: &str, name: Option<&str>) -> Option<String> {
    let Ok(value) = std::env::var(var) else {
        eprintln!(
            "{var} is not set: this message test was NOT run (`cargo xtask test` starts what it needs)"
        );
        return None;
    };
    match name {
        None => Some(value),
        Some(name) => value
            .split(';')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_owned),
    }
}

fn json(payload: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&payload).unwrap_or_default()
}

fn header<'m>(m: &'m IncomingMessage, name: &str) -> &'m str {
    m.header(name).unwrap_or_default()
}

/// How the order service answers an order.
#[derive(Clone, Copy)]
enum Answer {
    Confirm,
    Reject,
    NotJson,
}

/// The order service: takes the order `id` from `pets/orders/place` (tests run side by side on
/// one broker), answers on `pets/orders/confirmed` with another correlation's confirmation
/// first, then its own.
async fn order_service(
    broker: &str,
    id: &'static str,
    answer: Answer,
) -> tokio::task::JoinHandle<IncomingMessage> {
    let service = MqttTransport::connect_as(broker, Some(("shop", "shop-secret")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut orders = service
        .subscribe("pets/orders/place")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        let order = loop {
            let Some(order) = orders.next().await else {
                panic!("no order came");
            };
            if header(&order, "orderRequestId") == id {
                break order;
            }
        };
        let pet = serde_json::from_slice::<serde_json::Value>(&order.payload)
            .ok()
            .and_then(|p| p.get("petId").and_then(serde_json::Value::as_i64))
            .unwrap_or_default();
        let reply = |correlation: &str, payload: Vec<u8>| OutgoingMessage {
            headers: vec![("orderRequestId".to_owned(), correlation.to_owned())],
            payload,
            content_type: Some("application/json".to_owned()),
        };
        let other = reply(
            "someone-else",
            json(serde_json::json!({"orderId": 1, "status": "confirmed"})),
        );
        service
            .send("pets/orders/confirmed", other)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let payload = match answer {
            Answer::Confirm => {
                json(serde_json::json!({"orderId": 1000 + pet, "status": "confirmed"}))
            }
            Answer::Reject => {
                json(serde_json::json!({"orderId": 1000 + pet, "status": "rejected"}))
            }
            Answer::NotJson => b"order confirmed".to_vec(),
        };
        service
            .send("pets/orders/confirmed", reply(id, payload))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        order
    })
}

/// The pet purchase client, or `None` when its servers are not running. The broker asks for
/// the shop's password (the orders' `userPassword` scheme).
fn pet_client() -> Option<(pet_purchase::Client, String)> {
    let shop = env_url("ARAZZO_PRISM", Some("shop"))?;
    let broker = env_url("ARAZZO_MQTT_AUTH", None)?;
    let client = pet_purchase::Client::new()
        .with_shop_url(&shop)
        .with_orders_server(&broker)
        .with_orders_user_password("shop", "shop-secret");
    Some((client, broker))
}

fn purchase(id: &str) -> pet_purchase::PurchasePetInput {
    pet_purchase::PurchasePetInput {
        order_correlation_id: id.to_owned(),
        quantity: Some(2),
    }
}

#[tokio::test]
async fn a_pet_found_over_http_is_ordered_by_message_and_confirmed_by_its_reply() {
    let Some((client, broker)) = pet_client() else {
        return;
    };
    let service = order_service(&broker, "order-confirm", Answer::Confirm).await;
    let output = client
        .purchase_pet(purchase("order-confirm"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Prism answers with the schema's example pet, 7; the service's reply skips past the
    // confirmation of someone else's order.
    assert_eq!(output.pet_id, 7);
    assert_eq!(output.order_id, 1007);
    let order = service.await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(header(&order, "orderRequestId"), "order-confirm");
    let sent: serde_json::Value =
        serde_json::from_slice(&order.payload).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent, serde_json::json!({"petId": 7, "quantity": 2}));
}

#[tokio::test]
async fn a_reply_that_is_not_json_is_a_typed_error_of_the_receive_step() {
    let Some((client, broker)) = pet_client() else {
        return;
    };
    let _service = order_service(&broker, "order-garbled", Answer::NotJson).await;
    match client.purchase_pet(purchase("order-garbled")).await {
        Err(Error::MalformedMessage {
            step,
            payload_excerpt,
            content_type,
            ..
        }) => {
            assert_eq!(step, "confirmOrder");
            assert_eq!(payload_excerpt, "order confirmed");
            assert_eq!(content_type, "application/json");
        }
        other => panic!("expected a malformed message, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refusal_fails_the_success_criterion_on_the_message() {
    let Some((client, broker)) = pet_client() else {
        return;
    };
    let _service = order_service(&broker, "order-refused", Answer::Reject).await;
    match client.purchase_pet(purchase("order-refused")).await {
        Err(e @ Error::MessageCriterionFailed { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("$message.payload.status == 'confirmed'"),
                "{text}"
            );
            assert!(text.contains("pet-purchase.arazzo.yaml:54:"), "{text}");
            assert!(text.contains("rejected"), "{text}");
        }
        other => panic!("expected a failed criterion, got {other:?}"),
    }
}

/// The kitchen's server asks for a password (its `userPassword` scheme).
fn kitchen_client() -> Option<(kitchen::Client, String)> {
    let broker = env_url("ARAZZO_NATS_AUTH", None)?;
    let client = kitchen::Client::new()
        .with_kitchen_server(&broker)
        .with_kitchen_user_password("kitchen", "kitchen-secret");
    Some((client, broker))
}

async fn kitchen_side(broker: &str) -> NatsTransport {
    NatsTransport::connect_as(broker, Some(("kitchen", "kitchen-secret")))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn ticket(id: &str, station: &str) -> kitchen::CookDishInput {
    kitchen::CookDishInput {
        ticket_id: id.to_owned(),
        dish: "ramen".to_owned(),
        table: 4,
        station: Some(station.to_owned()),
    }
}

#[tokio::test]
async fn a_ticket_sent_to_its_station_comes_back_as_a_dish_matched_by_the_payload() {
    let Some((client, broker)) = kitchen_client() else {
        return;
    };
    let kitchen = kitchen_side(&broker).await;
    let mut tickets = kitchen
        .subscribe("kitchen.tickets.wok")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let cook = tokio::spawn(async move {
        let Some(ticket) = tickets.next().await else {
            panic!("no ticket came");
        };
        let id = header(&ticket, "ticketId").to_owned();
        for (ticket_id, dish) in [("another-table", "soup"), (id.as_str(), "ramen")] {
            let ready = OutgoingMessage {
                headers: Vec::new(),
                payload: json(
                    serde_json::json!({"ticketId": ticket_id, "dish": dish, "seconds": 42.5}),
                ),
                content_type: Some("application/json".to_owned()),
            };
            kitchen
                .send("kitchen.ready", ready)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        ticket
    });
    let output = client
        .cook_dish(ticket("ticket-wok-1", "wok"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.dish, "ramen");
    assert_eq!(output.seconds, Some(42.5));
    let sent = cook.await.unwrap_or_else(|e| panic!("{e}"));
    let payload: serde_json::Value =
        serde_json::from_slice(&sent.payload).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(payload, serde_json::json!({"dish": "ramen", "table": 4}));
}

#[tokio::test]
async fn silence_past_the_timeout_takes_the_failure_actions() {
    let Some((client, _)) = kitchen_client() else {
        return;
    };
    // Nobody cooks: the receive times out, is retried once, then `giveUp` ends the run.
    match client.cook_dish(ticket("ticket-silent", "grill")).await {
        Err(Error::Ended { step, action, .. }) => {
            assert_eq!(step, "ready");
            assert_eq!(action, "giveUp");
        }
        other => panic!("expected the giveUp action, got {other:?}"),
    }
}

#[tokio::test]
async fn a_channel_parameter_that_would_change_the_address_is_refused() {
    let Some((client, _)) = kitchen_client() else {
        return;
    };
    match client.cook_dish(ticket("ticket-dot", "wok.>")).await {
        Err(Error::ChannelParameter {
            parameter, value, ..
        }) => {
            assert_eq!(parameter, "station");
            assert_eq!(value, "wok.>");
        }
        other => panic!("expected a refused channel parameter, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_asks_for_a_password_refuses_a_client_without_one() {
    let Some(broker) = env_url("ARAZZO_NATS_AUTH", None) else {
        return;
    };
    let client = kitchen::Client::new().with_kitchen_server(&broker);
    match client.cook_dish(ticket("ticket-anonymous", "wok")).await {
        Err(e @ Error::Broker { .. }) => {
            let text = e.to_string();
            assert!(text.contains("connecting"), "{text}");
            assert!(text.contains("source `kitchen`"), "{text}");
            assert!(!text.contains("kitchen-secret"), "{text}");
        }
        other => panic!("expected the broker to refuse, got {other:?}"),
    }
    // The password is nowhere in what the client shows of itself.
    let with_password = kitchen::Client::new()
        .with_kitchen_server(&broker)
        .with_kitchen_user_password("kitchen", "kitchen-secret");
    let shown = format!("{with_password:?}");
    assert!(!shown.contains("kitchen-secret"), "{shown}");
    assert!(shown.contains("kitchen"), "{shown}");
}

#[tokio::test]
async fn an_mqtt_broker_that_asks_for_a_password_refuses_a_wrong_one() {
    let Some(shop) = env_url("ARAZZO_PRISM", Some("shop")) else {
        return;
    };
    let Some(broker) = env_url("ARAZZO_MQTT_AUTH", None) else {
        return;
    };
    let client = pet_purchase::Client::new()
        .with_shop_url(&shop)
        .with_orders_server(&broker)
        .with_orders_user_password("shop", "not-the-secret");
    match client.purchase_pet(purchase("order-wrong-password")).await {
        Err(e @ Error::Broker { .. }) => {
            let text = e.to_string();
            assert!(text.contains("connecting"), "{text}");
            assert!(!text.contains("not-the-secret"), "{text}");
        }
        other => panic!("expected the broker to refuse, got {other:?}"),
    }
}
