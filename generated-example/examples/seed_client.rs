//! One side of `cargo xtask bench-peers`: runs the seed workflow `RUNS` times one after another
//! against the stand-in at `URL`, generated (`generated`) or hand-written with reqwest
//! (`hand-written`), and prints the median and mean wall time per workflow in microseconds.
//!
//! `seed_client generated|generated-unbounded|hand-written|hand-written-bounded URL RUNS`

use std::time::Instant;

use generated_example::conversations::{
    Client, CreateConversationWithWebhookInput,
    CreateConversationWithWebhookInputConfigurationMethod,
    CreateConversationWithWebhookInputTarget,
};
use generated_example::hand_written::{
    Account, Webhook, create_conversation_with_webhook, create_conversation_with_webhook_bounded,
};

/// Untimed runs first: connections opened, caches warm.
const WARM_UP: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (side, url, runs) = match args.as_slice() {
        [side, url, runs] => (
            side.clone(),
            url.clone(),
            runs.parse::<usize>().unwrap_or(0),
        ),
        _ => {
            eprintln!(
                "usage: seed_client generated|generated-unbounded|hand-written|hand-written-bounded \
                 URL RUNS"
            );
            std::process::exit(2);
        }
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        eprintln!("seed_client: no runtime");
        std::process::exit(1);
    };
    let http = reqwest::Client::new();
    let client = Client::new()
        .with_http_client(http.clone())
        .with_conversations_url(&url)
        .with_account_sid_auth_token("ACtest", "secret");
    // The generated client without its time and size bounds, to tell what they cost.
    let client = if side == "generated-unbounded" {
        client.with_limits(arazzo_runtime::Limits::unbounded())
    } else {
        client
    };
    let account = Account {
        base: &url,
        sid: "ACtest",
        token: "secret",
    };
    let webhook = Webhook {
        friendly_name: "Support",
        target: "webhook",
        configuration_url: "https://hooks.example.test/events",
        configuration_method: "post",
    };
    // What each side's workflow future weighs (what waits on the network, moved between
    // async layers).
    let future_bytes = match side.as_str() {
        "generated" | "generated-unbounded" => {
            let input = CreateConversationWithWebhookInput {
                friendly_name: None,
                target: CreateConversationWithWebhookInputTarget::Webhook,
                configuration_url: String::new(),
                configuration_method: None,
            };
            std::mem::size_of_val(&client.create_conversation_with_webhook(input))
        }
        "hand-written-bounded" => std::mem::size_of_val(&create_conversation_with_webhook_bounded(
            &http, &account, &webhook,
        )),
        _ => std::mem::size_of_val(&create_conversation_with_webhook(&http, &account, &webhook)),
    };
    let mut times = Vec::with_capacity(runs);
    runtime.block_on(async {
        for i in 0..WARM_UP + runs {
            let start = Instant::now();
            let sid = match side.as_str() {
                "generated" | "generated-unbounded" => {
                    let input = CreateConversationWithWebhookInput {
                        friendly_name: Some("Support".to_owned()),
                        target: CreateConversationWithWebhookInputTarget::Webhook,
                        configuration_url: "https://hooks.example.test/events".to_owned(),
                        configuration_method: Some(
                            CreateConversationWithWebhookInputConfigurationMethod::Post,
                        ),
                    };
                    match client.create_conversation_with_webhook(input).await {
                        Ok(out) => out.webhook_sid,
                        Err(e) => {
                            eprintln!("seed_client: {e}");
                            std::process::exit(1);
                        }
                    }
                }
                "hand-written-bounded" => {
                    create_conversation_with_webhook_bounded(&http, &account, &webhook)
                        .await
                        .1
                }
                _ => {
                    create_conversation_with_webhook(&http, &account, &webhook)
                        .await
                        .1
                }
            };
            if sid.is_none() {
                eprintln!("seed_client: no webhook sid");
                std::process::exit(1);
            }
            if i >= WARM_UP {
                times.push(start.elapsed().as_secs_f64() * 1e6);
            }
        }
    });
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    println!("median_us={median:.1} mean_us={mean:.1} future_bytes={future_bytes}");
}
