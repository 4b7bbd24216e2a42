//! The seed workflow written by hand with `reqwest`: what a careful person would write for the
//! same two requests. The yardstick of the benchmarks: run time (`benches/runtime.rs`) and
//! compile time (`cargo xtask bench-compile`, which touches this file).

use arazzo_runtime::reqwest;
use arazzo_runtime::serde_json::Value;

/// Credentials and where to send the requests.
pub struct Account<'a> {
    pub base: &'a str,
    pub sid: &'a str,
    pub token: &'a str,
}

/// What the workflow sends.
pub struct Webhook<'a> {
    pub friendly_name: &'a str,
    pub target: &'a str,
    pub configuration_url: &'a str,
    pub configuration_method: &'a str,
}

/// Creates a conversation, attaches a scoped webhook; returns both `sid`s. Panics on failure,
/// as a benchmark may.
pub async fn create_conversation_with_webhook(
    http: &reqwest::Client,
    account: &Account<'_>,
    webhook: &Webhook<'_>,
) -> (Option<String>, Option<String>) {
    let create = http
        .post(format!("{}/v1/Conversations", account.base))
        .basic_auth(account.sid, Some(account.token))
        .form(&[("FriendlyName", webhook.friendly_name)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    if create.status().as_u16() != 201 {
        panic!("create failed");
    }
    let created: Value = create.json().await.unwrap_or_default();
    let conversation = created
        .get("sid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let attach = http
        .post(format!(
            "{}/v1/Conversations/{}/Webhooks",
            account.base,
            conversation.as_deref().unwrap_or_default()
        ))
        .basic_auth(account.sid, Some(account.token))
        .form(&[
            ("Target", webhook.target),
            ("Configuration.Url", webhook.configuration_url),
            ("Configuration.Method", webhook.configuration_method),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    if attach.status().as_u16() != 201 {
        panic!("attach failed");
    }
    let attached: Value = attach.json().await.unwrap_or_default();
    (
        conversation,
        attached
            .get("sid")
            .and_then(Value::as_str)
            .map(str::to_owned),
    )
}

/// The same workflow written by hand with the guarantees the generated client gives by default:
/// each request bounded in time (30 s for the whole request, 15 s of silence while the body is
/// read), the body read up to a size limit, and a tracing span per workflow, step and request.
/// What `cargo xtask bench-instructions --client` measures to tell the cost of those guarantees
/// from the cost of the generated code's own structure.
pub async fn create_conversation_with_webhook_bounded(
    http: &reqwest::Client,
    account: &Account<'_>,
    webhook: &Webhook<'_>,
) -> (Option<String>, Option<String>) {
    use tracing::Instrument;
    async {
        let created = bounded_form(
            http,
            account,
            format!("{}/v1/Conversations", account.base),
            &[("FriendlyName", webhook.friendly_name)],
        )
        .instrument(tracing::info_span!("step", step = "createConversation"))
        .await;
        let conversation = created
            .get("sid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let attached = bounded_form(
            http,
            account,
            format!(
                "{}/v1/Conversations/{}/Webhooks",
                account.base,
                conversation.as_deref().unwrap_or_default()
            ),
            &[
                ("Target", webhook.target),
                ("Configuration.Url", webhook.configuration_url),
                ("Configuration.Method", webhook.configuration_method),
            ],
        )
        .instrument(tracing::info_span!("step", step = "attachWebhook"))
        .await;
        let webhook = attached
            .get("sid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (conversation, webhook)
    }
    .instrument(tracing::info_span!("workflow"))
    .await
}

/// One form POST expecting a 201, within the bounds above; its JSON body.
async fn bounded_form(
    http: &reqwest::Client,
    account: &Account<'_>,
    url: String,
    form: &[(&str, &str)],
) -> Value {
    use std::time::Duration;
    use tracing::Instrument;
    const LIMIT: usize = 16 * 1024 * 1024;
    let exchange = async {
        let mut response = http
            .post(url)
            .basic_auth(account.sid, Some(account.token))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if response.status().as_u16() != 201 {
            panic!("request failed");
        }
        let mut body = Vec::new();
        while let Some(chunk) = tokio::time::timeout(Duration::from_secs(15), response.chunk())
            .await
            .unwrap_or_else(|_| panic!("silence"))
            .unwrap_or_else(|e| panic!("{e}"))
        {
            if body.len() + chunk.len() > LIMIT {
                panic!("too large");
            }
            body.extend_from_slice(&chunk);
        }
        arazzo_runtime::serde_json::from_slice(&body).unwrap_or_default()
    };
    tokio::time::timeout(Duration::from_secs(30), exchange)
        .instrument(tracing::info_span!("request", method = "POST"))
        .await
        .unwrap_or_else(|_| panic!("timed out"))
}
