//! The generated Twilio workflows against Prism, an OpenAPI mock server that validates every
//! request: against the project's fixture descriptions (`ARAZZO_PRISM`) and Twilio's real ones
//! (`ARAZZO_PRISM_UPSTREAM`). `cargo xtask test` starts the servers and fails on any request
//! Prism logs as invalid.

use generated_example::{autopilot, configuration, conversations, ip_messaging};

/// `name=url;name=url` → the url of `name`.
fn url(var: &str, name: &str) -> Option<String> {
    let value = std::env::var(var).ok()?;
    value
        .split(';')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

async fn run_all(var: &str) {
    let Some(conversations_url) = url(var, "conversations") else {
        eprintln!(
            "{var} is not set: the Prism conformance suite was NOT run (`cargo xtask test` runs it)"
        );
        return;
    };
    let (autopilot_url, chat_url) = (
        url(var, "autopilot").unwrap_or_default(),
        url(var, "chat").unwrap_or_default(),
    );

    let output = conversations::Client::new()
        .with_conversations_url(&conversations_url)
        .with_account_sid_auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token")
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: Some("Support".to_owned()),
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: "https://hooks.example.com/events".to_owned(),
            configuration_method: Some(
                conversations::CreateConversationWithWebhookInputConfigurationMethod::Post,
            ),
        })
        .await
        .unwrap_or_else(|e| panic!("{var}: {e}"));
    assert!(
        output.conversation_sid.is_some_and(|s| s.starts_with("CH")),
        "{var}"
    );
    assert!(
        output.webhook_sid.is_some_and(|s| s.starts_with("WH")),
        "{var}"
    );

    configuration::Client::new()
        .with_conversations_url(&conversations_url)
        .with_account_sid_auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token")
        .configure_conversations_webhooks(configuration::ConfigureConversationsWebhooksInput {
            post_webhook_url: "https://hooks.example.com/post".to_owned(),
            method: Some(configuration::ConfigureConversationsWebhooksInputMethod::Post),
            filters: Some(vec![
                "onMessageAdded".to_owned(),
                "onConversationRemoved".to_owned(),
            ]),
        })
        .await
        .unwrap_or_else(|e| panic!("{var}: {e}"));

    let output = autopilot::Client::new()
        .with_autopilot_url(&autopilot_url)
        .with_account_sid_auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token")
        .register_assistant_webhook(autopilot::RegisterAssistantWebhookInput {
            assistant_sid: "UAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(),
            unique_name: "events".to_owned(),
            events: "onDialogueStart onDialogueEnd".to_owned(),
            webhook_url: "https://hooks.example.com/autopilot".to_owned(),
        })
        .await
        .unwrap_or_else(|e| panic!("{var}: {e}"));
    assert!(output.webhook_sid.is_some(), "{var}");

    let output = ip_messaging::Client::new()
        .with_chat_url(&chat_url)
        .with_account_sid_auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token")
        .attach_channel_webhook(ip_messaging::AttachChannelWebhookInput {
            service_sid: "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(),
            channel_sid: "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(),
            url: "https://hooks.example.com/chat".to_owned(),
            filters: Some(vec!["onMessageSent".to_owned(), "onMemberAdded".to_owned()]),
        })
        .await
        .unwrap_or_else(|e| panic!("{var}: {e}"));
    assert!(output.webhook_sid.is_some(), "{var}");
}

#[tokio::test]
async fn the_seed_workflows_pass_prism_on_the_fixture_descriptions() {
    run_all("ARAZZO_PRISM").await;
}

#[tokio::test]
async fn the_seed_workflows_pass_prism_on_twilios_real_descriptions() {
    if std::env::var_os("ARAZZO_UPSTREAM_FIXTURES").is_some()
        && std::env::var_os("ARAZZO_PRISM_UPSTREAM").is_none()
    {
        eprintln!(
            "ARAZZO_PRISM_UPSTREAM is not set: run through `cargo xtask test` to check against Twilio's descriptions"
        );
    }
    run_all("ARAZZO_PRISM_UPSTREAM").await;
}
