//! The hand-written yardstick of the benchmarks sends exactly the requests the generated seed
//! workflow sends, so comparing their costs compares like with like.

use generated_example::conversations::{
    Client, CreateConversationWithWebhookInput,
    CreateConversationWithWebhookInputConfigurationMethod as Method,
    CreateConversationWithWebhookInputTarget as Target,
};
use generated_example::hand_written::{Account, Webhook, create_conversation_with_webhook};
use wiremock::MockServer;

mod common;
use common::{body, header};

/// `(method, path, content type, authorization, body)` of each request.
async fn seen(server: &MockServer) -> Vec<[String; 5]> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            [
                r.method.to_string(),
                r.url.path().to_owned(),
                header(r, "content-type").unwrap_or_default(),
                header(r, "authorization").unwrap_or_default(),
                body(r),
            ]
        })
        .collect()
}

#[tokio::test]
async fn the_yardstick_sends_what_the_generated_workflow_sends() {
    let generated_server = generated_example::mock::twilio().await;
    let output = Client::new()
        .with_conversations_url(generated_server.uri())
        .with_account_sid_auth_token("ACbench", "token")
        .create_conversation_with_webhook(CreateConversationWithWebhookInput {
            friendly_name: Some("Support".to_owned()),
            target: Target::Webhook,
            configuration_url: "https://hooks.example.com/events".to_owned(),
            configuration_method: Some(Method::Post),
        })
        .await
        .unwrap();

    let hand_server = generated_example::mock::twilio().await;
    let base = hand_server.uri();
    let by_hand = create_conversation_with_webhook(
        &reqwest::Client::new(),
        &Account {
            base: &base,
            sid: "ACbench",
            token: "token",
        },
        &Webhook {
            friendly_name: "Support",
            target: "webhook",
            configuration_url: "https://hooks.example.com/events",
            configuration_method: "post",
        },
    )
    .await;

    assert_eq!((output.conversation_sid, output.webhook_sid), by_hand);
    assert_eq!(seen(&generated_server).await, seen(&hand_server).await);
}
