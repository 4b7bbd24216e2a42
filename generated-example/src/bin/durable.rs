//! The seed workflow as a durable Restate service (feature `durable`): serves handler
//! `create_conversation_with_webhook` of service `CreateConversationWithWebhook` for a Restate
//! server to call. Register it with the server (`restate deployments register URL`, or the
//! admin API), then invoke it through the server's ingress:
//!
//! ```sh
//! curl localhost:8080/CreateConversationWithWebhook/create_conversation_with_webhook \
//!   --json '{"friendlyName": "Support", "target": "webhook",
//!            "configurationUrl": "https://hooks.example.com/twilio"}'
//! ```

use std::net::SocketAddr;

use arazzo_runtime::restate_sdk::endpoint::Endpoint;
use arazzo_runtime::restate_sdk::http_server::HttpServer;
use clap::Parser;
use generated_example::conversations;

/// Serve the seed workflow as a durable Restate service.
///
/// Twilio credentials come from `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`.
#[derive(Parser)]
#[command(name = "durable", version)]
struct Args {
    /// Where the service listens for the Restate server.
    #[arg(long, default_value = "127.0.0.1:9080")]
    listen: SocketAddr,

    /// Send the workflow's requests to this server instead of Twilio's.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let sid = std::env::var("TWILIO_ACCOUNT_SID").unwrap_or_else(|_| "ACtest".to_owned());
    let token = std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_else(|_| "test".to_owned());
    let mut client = conversations::Client::new().with_account_sid_auth_token(&sid, &token);
    if let Some(url) = &args.base_url {
        client = client.with_conversations_url(url);
    }
    let endpoint = conversations::durable::register(Endpoint::builder(), client).build();
    eprintln!(
        "durable: serving Restate service `{}` on {}",
        conversations::durable::SERVICE,
        args.listen
    );
    HttpServer::new(endpoint)
        .listen_and_serve(args.listen)
        .await;
}
