//! Generated workflows as durable Restate services (feature `durable`): the seed workflow
//! (service `CreateConversationWithWebhook`), the Conversations configuration workflow, whose
//! read retries on 5xx (`ConversationsConfigurationWebhook`), and the control-flow fixture's
//! polling job (`ControlFlow`). Register it with a Restate server (`restate deployments
//! register URL`, or the admin API), then invoke a workflow through the server's ingress:
//!
//! ```sh
//! curl localhost:8080/CreateConversationWithWebhook/create_conversation_with_webhook \
//!   --json '{"friendlyName": "Support", "target": "webhook",
//!            "configurationUrl": "https://hooks.example.com/twilio"}'
//! ```

use std::net::SocketAddr;

use arazzo_runtime::restate_sdk::endpoint::Endpoint;
use clap::Parser;
use generated_example::{configuration, control_flow, conversations};

/// Serve generated workflows as durable Restate services.
///
/// Twilio credentials come from `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` (test values when
/// unset).
#[derive(Parser)]
#[command(name = "durable", version)]
struct Args {
    /// Where the services listen for the Restate server.
    #[arg(long, default_value = "127.0.0.1:9080")]
    listen: SocketAddr,

    /// Send the Twilio workflows' requests to this server instead of Twilio's.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// Send every request to a generated mock server at this address instead (each source
    /// under `/<source name>`, as the `mock` modules serve them).
    #[arg(long, value_name = "URL", conflicts_with = "base_url")]
    mock: Option<String>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let sid = std::env::var("TWILIO_ACCOUNT_SID").unwrap_or_else(|_| "ACtest".to_owned());
    let token = std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_else(|_| "test".to_owned());
    let twilio_url = match (&args.base_url, &args.mock) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(mock)) => Some(format!("{mock}/conversations")),
        (None, None) => None,
    };
    let mut seed = conversations::Client::new().with_account_sid_auth_token(&sid, &token);
    let mut configuration = configuration::Client::new().with_account_sid_auth_token(&sid, &token);
    if let Some(url) = &twilio_url {
        seed = seed.with_conversations_url(url);
        configuration = configuration.with_conversations_url(url);
    }
    let mut jobs = control_flow::Client::new();
    if let Some(mock) = &args.mock {
        jobs = jobs.with_jobs_url(format!("{mock}/jobs"));
    }
    let builder = conversations::durable::register(Endpoint::builder(), seed);
    let builder = configuration::durable::register(builder, configuration);
    let endpoint = control_flow::durable::register(builder, jobs).build();
    eprintln!(
        "durable: serving Restate services `{}`, `{}` and `{}` on {}",
        conversations::durable::SERVICE,
        configuration::durable::SERVICE,
        control_flow::durable::SERVICE,
        args.listen
    );
    if let Err(e) = arazzo_runtime::durable::serve(endpoint, args.listen).await {
        eprintln!("durable: cannot serve on {}: {e}", args.listen);
        std::process::exit(1);
    }
}
