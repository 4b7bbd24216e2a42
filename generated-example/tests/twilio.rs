//! The generated Twilio workflows against an in-process mock server: the exact requests sent
//! and the typed outputs returned.

use arazzo_runtime::mock::Answer;
use generated_example::{autopilot, configuration, conversations, ip_messaging};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{body, header};

// base64("ACtest:secret")
const BASIC: &str = "Basic QUN0ZXN0OnNlY3JldA==";

#[tokio::test]
async fn the_seed_workflow_creates_a_conversation_and_attaches_its_webhook() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/Conversations"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"sid": "CH0123", "friendly_name": "Support"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/Conversations/CH0123/Webhooks"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"sid": "WH4567", "target": "webhook"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = conversations::Client::new()
        .with_conversations_url(server.uri())
        .with_account_sid_auth_token("ACtest", "secret");
    let output = client
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: Some("Support".to_owned()),
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: "https://hooks.example.test/events?x=1&y=2".to_owned(),
            configuration_method: Some(
                conversations::CreateConversationWithWebhookInputConfigurationMethod::Post,
            ),
        })
        .await
        .unwrap();
    assert_eq!(output.conversation_sid.as_deref(), Some("CH0123"));
    assert_eq!(output.webhook_sid.as_deref(), Some("WH4567"));

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2);
    let (create, attach) = (&requests[0], &requests[1]);
    assert_eq!(create.url.path(), "/v1/Conversations");
    assert_eq!(body(create), "FriendlyName=Support");
    assert_eq!(
        header(create, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header(create, "authorization").as_deref(), Some(BASIC));
    assert_eq!(attach.url.path(), "/v1/Conversations/CH0123/Webhooks");
    assert_eq!(
        body(attach),
        "Target=webhook&Configuration.Url=https%3A%2F%2Fhooks.example.test%2Fevents%3Fx%3D1%26y%3D2&Configuration.Method=post"
    );
    assert_eq!(header(attach, "authorization").as_deref(), Some(BASIC));
}

#[tokio::test]
async fn absent_optional_inputs_are_left_out_of_the_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"sid": "CH1"})))
        .mount(&server)
        .await;
    let client = conversations::Client::new()
        .with_conversations_url(server.uri())
        .with_account_sid_auth_token("ACtest", "secret");
    client
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: None,
            target: conversations::CreateConversationWithWebhookInputTarget::Studio,
            configuration_url: "https://x.test".to_owned(),
            configuration_method: None,
        })
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(body(&requests[0]), "");
    assert_eq!(
        body(&requests[1]),
        "Target=studio&Configuration.Url=https%3A%2F%2Fx.test"
    );
}

#[tokio::test]
async fn a_criterion_that_does_not_hold_names_the_step_status_and_location() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"code": 20001, "message": "Invalid Target"})),
        )
        .mount(&server)
        .await;
    let client = conversations::Client::new()
        .with_conversations_url(server.uri())
        .with_account_sid_auth_token("ACtest", "secret");
    let err = client
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: None,
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: "https://x.test".to_owned(),
            configuration_method: None,
        })
        .await
        .unwrap_err();
    match &err {
        arazzo_runtime::Error::CriterionFailed {
            workflow,
            step,
            criterion,
            location,
            status,
            body_excerpt,
        } => {
            assert_eq!(*workflow, "create-conversation-with-webhook");
            assert_eq!(*step, "createConversation");
            assert_eq!(*criterion, "$statusCode == 201");
            assert_eq!(
                location.to_string(),
                "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml:43:13"
            );
            assert_eq!(*status, 400);
            assert_eq!(body_excerpt, r#"{"code":20001,"message":"Invalid Target"}"#);
        }
        other => panic!("{other:?}"),
    }
    // Nothing after the failing step is sent.
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
}

#[tokio::test]
async fn missing_credentials_are_an_error_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = conversations::Client::new().with_conversations_url(server.uri());
    let err = client
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: None,
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: "https://x.test".to_owned(),
            configuration_method: None,
        })
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow `create-conversation-with-webhook`, step `createConversation`: the operation requires `accountSid_authToken` credentials; set them on the client with `with_account_sid_auth_token`"
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn the_configuration_workflow_reads_then_updates() {
    // The generated mock: one method per operation the workflow calls.
    let mock = configuration::mock::Mock::start().await;
    mock.fetch_configuration_webhook().answer(
        Answer::status(200).json(json!({"post_webhook_url": "https://old.test", "method": "GET"})),
    );
    mock.update_configuration_webhook()
        .answer(Answer::status(200).json(json!({"post_webhook_url": "https://new.test"})));
    let client = configuration::Client::new()
        .with_account_sid_auth_token("ACtest", "secret")
        .with_mock(&mock);
    let output = client
        .configure_conversations_webhooks(configuration::ConfigureConversationsWebhooksInput {
            post_webhook_url: "https://new.test".to_owned(),
            method: Some(configuration::ConfigureConversationsWebhooksInputMethod::Post),
            filters: Some(vec![
                "onMessageAdded".to_owned(),
                "onConversationRemoved".to_owned(),
            ]),
        })
        .await
        .unwrap();
    assert_eq!(output.previous_url.as_deref(), Some("https://old.test"));
    assert_eq!(output.post_webhook_url.as_deref(), Some("https://new.test"));
    assert!(
        mock.fetch_configuration_webhook().requests()[0]
            .request
            .body()
            .is_empty()
    );
    assert_eq!(
        mock.update_configuration_webhook().requests()[0].request.body(),
        b"PostWebhookUrl=https%3A%2F%2Fnew.test&Method=POST&Filters=onMessageAdded&Filters=onConversationRemoved&Target=webhook"
    );
    mock.verify();
}

#[tokio::test]
async fn the_autopilot_workflow_registers_a_webhook() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"sid": "UM9"})))
        .mount(&server)
        .await;
    let client = autopilot::Client::new()
        .with_autopilot_url(server.uri())
        .with_account_sid_auth_token("ACtest", "secret");
    let output = client
        .register_assistant_webhook(autopilot::RegisterAssistantWebhookInput {
            assistant_sid: "UA/../admin".to_owned(),
            unique_name: "events".to_owned(),
            events: "onDialogueStart onDialogueEnd".to_owned(),
            webhook_url: "https://hooks.example.test/a".to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(output.webhook_sid.as_deref(), Some("UM9"));
    let requests = server.received_requests().await.unwrap_or_default();
    // A path parameter stays inside its segment, whatever it contains.
    assert_eq!(
        requests[0].url.path(),
        "/v1/Assistants/UA%2F..%2Fadmin/Webhooks"
    );
    assert_eq!(
        body(&requests[0]),
        "UniqueName=events&Events=onDialogueStart+onDialogueEnd&WebhookUrl=https%3A%2F%2Fhooks.example.test%2Fa&WebhookMethod=POST"
    );
}

#[tokio::test]
async fn ip_messaging_filters_are_sent_as_repeated_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/Services/IS1/Channels/CH2/Webhooks"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"sid": "WH3"})))
        .mount(&server)
        .await;
    let client = ip_messaging::Client::new()
        .with_chat_url(server.uri())
        .with_account_sid_auth_token("ACtest", "secret");
    let output = client
        .attach_channel_webhook(ip_messaging::AttachChannelWebhookInput {
            service_sid: "IS1".to_owned(),
            channel_sid: "CH2".to_owned(),
            url: "https://hooks.example.test/chat".to_owned(),
            filters: Some(vec!["onMessageSent".to_owned(), "onMemberAdded".to_owned()]),
        })
        .await
        .unwrap();
    assert_eq!(output.webhook_sid.as_deref(), Some("WH3"));
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        body(&requests[0]),
        "Type=webhook&Configuration.Url=https%3A%2F%2Fhooks.example.test%2Fchat&Configuration.Method=POST&Configuration.Filters=onMessageSent&Configuration.Filters=onMemberAdded"
    );
}

/// The seed through another way in: the same API, the same requests.
macro_rules! same_client {
    ($test:ident, $module:path) => {
        #[tokio::test]
        async fn $test() {
            use $module as generated;
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(201).set_body_json(json!({"sid": "CH7"})))
                .mount(&server)
                .await;
            let output = generated::Client::new()
                .with_conversations_url(server.uri())
                .with_account_sid_auth_token("ACtest", "secret")
                .create_conversation_with_webhook(generated::CreateConversationWithWebhookInput {
                    friendly_name: None,
                    target: generated::CreateConversationWithWebhookInputTarget::Webhook,
                    configuration_url: "https://x.test".to_owned(),
                    configuration_method: None,
                })
                .await
                .unwrap();
            assert_eq!(output.conversation_sid.as_deref(), Some("CH7"));
            let requests = server.received_requests().await.unwrap_or_default();
            assert_eq!(body(&requests[1]), "Target=webhook&Configuration.Url=https%3A%2F%2Fx.test");
            assert_eq!(header(&requests[1], "authorization").as_deref(), Some(BASIC));
        }
    };
}

same_client!(
    the_macro_generates_the_same_client,
    generated_example::conversations_by_macro
);
same_client!(
    the_checked_in_module_is_the_same_client,
    generated_example::conversations_checked_in
);
