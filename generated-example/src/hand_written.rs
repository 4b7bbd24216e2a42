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
