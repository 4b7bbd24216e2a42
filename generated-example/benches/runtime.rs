//! The generated seed workflow against a hand-written function that sends exactly the same two
//! requests with `reqwest` and extracts the same fields, both against the same in-process server
//! on loopback; one at a time and 64 at once (`cargo bench -p generated-example`).

use std::sync::OnceLock;

use generated_example::conversations::{
    Client, CreateConversationWithWebhookInput,
    CreateConversationWithWebhookInputConfigurationMethod as Method,
    CreateConversationWithWebhookInputTarget as Target,
};
use generated_example::hand_written::{Account, Webhook, create_conversation_with_webhook};
use wiremock::MockServer;

// Counts allocations per iteration, so the report shows them beside the times.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

struct World {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
    http: reqwest::Client,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let server = runtime.block_on(generated_example::mock::twilio_unrecorded());
        let world = World {
            runtime,
            server,
            http: reqwest::Client::new(),
        };
        // Open the connections both sides share before any sample, so that whichever benchmark
        // runs first does not pay for them alone.
        let client = client(&world);
        let base = world.server.uri();
        world.runtime.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..64 {
                let (client, http, base) = (client.clone(), world.http.clone(), base.clone());
                set.spawn(async move {
                    generated(&client).await;
                    hand_written(&http, &base).await;
                });
            }
            while set.join_next().await.is_some() {}
        });
        world
    })
}

fn input() -> CreateConversationWithWebhookInput {
    CreateConversationWithWebhookInput {
        friendly_name: Some("Support".to_owned()),
        target: Target::Webhook,
        configuration_url: "https://hooks.example.com/events".to_owned(),
        configuration_method: Some(Method::Post),
    }
}

async fn generated(client: &Client) -> (Option<String>, Option<String>) {
    let output = client
        .create_conversation_with_webhook(input())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (output.conversation_sid, output.webhook_sid)
}

async fn hand_written(http: &reqwest::Client, base: &str) -> (Option<String>, Option<String>) {
    let account = Account {
        base,
        sid: "ACbench",
        token: "token",
    };
    let webhook = Webhook {
        friendly_name: "Support",
        target: "webhook",
        configuration_url: "https://hooks.example.com/events",
        configuration_method: "post",
    };
    create_conversation_with_webhook(http, &account, &webhook).await
}

fn client(w: &World) -> Client {
    Client::new()
        .with_http_client(w.http.clone())
        .with_conversations_url(w.server.uri())
        .with_account_sid_auth_token("ACbench", "token")
}

#[divan::bench(sample_count = 300)]
fn sequential_generated(bencher: divan::Bencher) {
    let w = world();
    let client = client(w);
    bencher.bench(|| w.runtime.block_on(generated(&client)));
}

#[divan::bench(sample_count = 300)]
fn sequential_hand_written(bencher: divan::Bencher) {
    let w = world();
    let base = w.server.uri();
    bencher.bench(|| w.runtime.block_on(hand_written(&w.http, &base)));
}

#[divan::bench(sample_count = 1000)]
fn concurrent_64_generated(bencher: divan::Bencher) {
    let w = world();
    let client = client(w);
    bencher.bench(|| {
        w.runtime.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..64 {
                let client = client.clone();
                set.spawn(async move { generated(&client).await });
            }
            while set.join_next().await.is_some() {}
        })
    });
}

#[divan::bench(sample_count = 1000)]
fn concurrent_64_hand_written(bencher: divan::Bencher) {
    let w = world();
    let base = w.server.uri();
    bencher.bench(|| {
        w.runtime.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..64 {
                let (http, base) = (w.http.clone(), base.clone());
                set.spawn(async move { hand_written(&http, &base).await });
            }
            while set.join_next().await.is_some() {}
        })
    });
}
