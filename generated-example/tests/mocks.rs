//! The generated test doubles, as a user's tests meet them: `mock::Mock` (a local server for
//! the operations a document's workflows call) and `mock::Fake` (the workflows themselves),
//! with feature `mock` of `arazzo-runtime` on in this crate's dev-dependencies.

use std::time::Duration;

use arazzo_runtime::Error;
use arazzo_runtime::mock::{self, Answer};
use generated_example::{configuration, control_flow, conversations};
use serde_json::json;

fn support_thread() -> conversations::CreateConversationWithWebhookInput {
    conversations::CreateConversationWithWebhookInput {
        friendly_name: Some("Support".to_owned()),
        target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
        configuration_url: "https://hooks.example.test/events".to_owned(),
        configuration_method: None,
    }
}

#[tokio::test]
async fn the_seed_workflow_runs_against_the_mock_with_no_set_up() {
    let mock = conversations::mock::Mock::start().await;
    let client = conversations::Client::new().with_mock(&mock);

    let output = client
        .create_conversation_with_webhook(support_thread())
        .await
        .unwrap();

    // The description's own examples: the schemas' `sid` examples.
    let conversation = output.conversation_sid.unwrap();
    assert!(conversation.starts_with("CH"), "{conversation}");
    assert!(output.webhook_sid.unwrap().starts_with("WH"));
    let created = mock.create_conversation().requests();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].body, json!({"FriendlyName": "Support"}));
    // A placeholder credential went where the real one would.
    assert_eq!(
        created[0].request.header("authorization"),
        Some("Basic bW9jazptb2NrLXBhc3N3b3Jk")
    );
    assert!(!format!("{:?}", created[0]).contains("bW9jaz"));
    let attached = mock.create_conversation_scoped_webhook().requests();
    assert_eq!(attached[0].conversation_sid, conversation);
    assert_eq!(attached[0].body["Target"], "webhook");
    mock.verify();
}

#[tokio::test]
async fn programmed_answers_reach_the_typed_outputs_and_errors() {
    let mock = conversations::mock::Mock::start().await;
    mock.create_conversation()
        .answer(Answer::status(201).json(json!({"sid": "CH0123"})));
    mock.create_conversation_scoped_webhook()
        .answer(Answer::status(400).json(json!({"code": 20001, "message": "Invalid Target"})));
    let client = conversations::Client::new()
        .with_account_sid_auth_token("ACtest", "secret")
        .with_mock(&mock);

    let err = client
        .create_conversation_with_webhook(support_thread())
        .await
        .unwrap_err();

    match err {
        Error::CriterionFailed {
            step,
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!((step, status), ("attachWebhook", 400));
            assert!(body_excerpt.contains("Invalid Target"));
        }
        other => panic!("unexpected error: {other}"),
    }
    let attached = mock.create_conversation_scoped_webhook().requests();
    assert_eq!(attached[0].conversation_sid, "CH0123");
    // The user's own credential is kept, and sent to the mock.
    assert_eq!(
        attached[0].request.header("authorization"),
        Some("Basic QUN0ZXN0OnNlY3JldA==")
    );
}

#[tokio::test]
async fn a_500_then_a_retry() {
    let mock = configuration::mock::Mock::start().await;
    mock.fetch_configuration_webhook().answers([
        Answer::status(500).body("try again", "text/plain"),
        // The answer's header reaches the workflow: its Retry-After wins over `retryAfter`.
        Answer::status(503).header("Retry-After", "2"),
        Answer::status(200).json(json!({"post_webhook_url": "https://old.test"})),
    ]);
    // A client made by `with_mock` records its retry waits instead of waiting.
    let client = configuration::Client::new().with_mock(&mock);

    let output = client
        .configure_conversations_webhooks(configuration::ConfigureConversationsWebhooksInput {
            post_webhook_url: "https://new.test".to_owned(),
            method: None,
            filters: Some(vec!["onMessageAdded".to_owned()]),
        })
        .await
        .unwrap();

    assert_eq!(output.previous_url.as_deref(), Some("https://old.test"));
    assert_eq!(mock.fetch_configuration_webhook().calls(), 3);
    assert_eq!(
        mock.waits(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    let updated = mock.update_configuration_webhook().requests();
    assert_eq!(
        updated[0].body,
        json!({"PostWebhookUrl": "https://new.test", "Filters": "onMessageAdded", "Target": "webhook"})
    );
    mock.verify();
}

#[tokio::test]
async fn a_goto_loop_of_three_answers() {
    let mock = control_flow::mock::Mock::start().await;
    mock.create_job()
        .answer(Answer::status(202).json(json!({"id": "job-7", "state": "pending"})));
    mock.get_job().answers(
        ["queued", "running", "done"]
            .map(|state| Answer::status(200).json(json!({"id": "job-7", "state": state}))),
    );
    mock.delete_job().expect(0);
    let client = control_flow::Client::new().with_mock(&mock);

    let output = client
        .run_job(control_flow::RunJobInput {
            kind: Some("export".to_owned()),
        })
        .await
        .unwrap();

    assert_eq!(output.state, "done");
    let polls = mock.get_job().requests();
    assert_eq!(polls.len(), 3);
    assert!(polls.iter().all(|p| p.id == "job-7"));
    mock.verify();
}

#[tokio::test]
async fn verification_lists_missing_and_unexpected_requests() {
    let mock = conversations::mock::Mock::start().await;
    mock.create_conversation().expect(2);
    let client = conversations::Client::new().with_mock(&mock);
    client
        .create_conversation_with_webhook(support_thread())
        .await
        .unwrap();
    // A request the workflows never send.
    let stray = reqwest::get(format!("{}/conversations/v1/Services", mock.uri()))
        .await
        .unwrap();
    assert_eq!(stray.status(), 404);

    let report = mock.check().unwrap_err();
    assert_eq!(
        report.to_string(),
        "the mock was not used as expected:\n  \
         - missing: `CreateConversation` (POST /v1/Conversations, step `createConversation`) \
         expected 2 requests, got 1 request\n  \
         - unexpected: GET /conversations/v1/Services matches no operation the workflows call \
         (answered 404)\n\
         requests received:\n  \
         `CreateConversation` (POST /v1/Conversations, step `createConversation`): 1 request\n  \
         `CreateConversationScopedWebhook` (POST /v1/Conversations/{ConversationSid}/Webhooks, \
         step `attachWebhook`): 1 request\n"
    );
    assert_eq!(mock.unexpected()[0].path(), "/conversations/v1/Services");

    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mock.verify()));
    let message = panicked.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("missing: `CreateConversation`"),
        "{message}"
    );
}

#[tokio::test]
async fn too_many_requests_are_reported_too() {
    let mock = control_flow::mock::Mock::start().await;
    mock.create_job()
        .answer(Answer::status(202).json(json!({"id": "j"})));
    mock.get_job().expect(1).answers([
        Answer::status(200).json(json!({"state": "running"})),
        Answer::status(200).json(json!({"state": "done"})),
    ]);
    let client = control_flow::Client::new().with_mock(&mock);
    client
        .run_job(control_flow::RunJobInput { kind: None })
        .await
        .unwrap();
    let report = mock.check().unwrap_err().to_string();
    assert!(
        report.contains(
            "- too many: `getJob` (GET /jobs/{id}, step `poll`, `look`) expected 1 request, got 2 requests"
        ),
        "{report}"
    );
}

/// Code a user writes around a generated workflow: it takes any `Workflows`.
async fn open_support_thread(
    workflows: &impl conversations::Workflows,
    hook: &str,
) -> Result<String, String> {
    let output = workflows
        .create_conversation_with_webhook(conversations::CreateConversationWithWebhookInput {
            friendly_name: Some("Support".to_owned()),
            target: conversations::CreateConversationWithWebhookInputTarget::Webhook,
            configuration_url: hook.to_owned(),
            configuration_method: None,
        })
        .await
        .map_err(|e| format!("Twilio refused: {e}"))?;
    output
        .conversation_sid
        .ok_or_else(|| "no conversation".to_owned())
}

#[tokio::test]
async fn handlers_are_tested_with_a_fake_and_no_http() {
    let fake = conversations::mock::Fake::new();
    fake.on_create_conversation_with_webhook().returns(
        conversations::CreateConversationWithWebhookOutput {
            conversation_sid: Some("CH42".to_owned()),
            webhook_sid: Some("WH42".to_owned()),
        },
    );
    assert_eq!(
        open_support_thread(&fake, "https://a.test").await,
        Ok("CH42".to_owned())
    );

    fake.on_create_conversation_with_webhook().fails(|| {
        mock::criterion_failed(
            "create-conversation-with-webhook",
            "createConversation",
            503,
            "busy",
        )
    });
    let err = open_support_thread(&fake, "https://b.test")
        .await
        .unwrap_err();
    assert!(
        err.contains("step `createConversation`") && err.contains("status 503"),
        "{err}"
    );

    let calls = fake.on_create_conversation_with_webhook().calls();
    let hooks: Vec<&str> = calls.iter().map(|c| c.configuration_url.as_str()).collect();
    assert_eq!(hooks, ["https://a.test", "https://b.test"]);

    // The same handler runs the real workflow through the client.
    let server = conversations::mock::Mock::start().await;
    let client = conversations::Client::new().with_mock(&server);
    assert!(
        open_support_thread(&client, "https://c.test")
            .await
            .unwrap()
            .starts_with("CH")
    );
}

#[tokio::test]
async fn a_fake_with_nothing_programmed_says_which_setter_programs_it() {
    let fake = conversations::mock::Fake::new();
    let run = tokio::spawn(async move { open_support_thread(&fake, "https://a.test").await });
    let panic = run.await.unwrap_err().into_panic();
    let message = panic.downcast_ref::<String>().unwrap();
    assert_eq!(
        message,
        "the fake of workflow `create-conversation-with-webhook` was called with nothing \
         programmed: call `on_create_conversation_with_webhook()` with `.returns(…)`, \
         `.fails(…)` or `.with(…)` first"
    );
}
