//! Durable runs against a real Restate server (`ARAZZO_RESTATE_SERVER`, installed pinned by
//! `cargo xtask test`): the generated workflows served by the `durable` binary, invoked through
//! Restate's ingress, the binary killed and restarted in the middle of a run. The APIs are the
//! generated mocks, in this process, so they count what was really sent.
#![cfg(feature = "durable")]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use arazzo_runtime::mock::Answer;
use generated_example::{configuration, control_flow, conversations};
use serde_json::{Value, json};

/// One Restate server at a time: each test has its own, with a fresh journal.
static ONE_SERVER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Fails the test with what went wrong (for the helpers: clippy allows `unwrap` in tests only).
fn fail<E: std::fmt::Display, T>(e: E) -> T {
    panic!("{e}")
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port on loopback: {e}"))
}

/// Kills the process when dropped, whatever happened meanwhile.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A Restate server on loopback, its data in a directory of its own, removed when dropped.
struct Restate {
    _process: Process,
    dir: PathBuf,
    ingress: String,
    admin: String,
    http: reqwest::Client,
}

impl Drop for Restate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Restate {
    /// `None` (and a message saying so) when `ARAZZO_RESTATE_SERVER` is unset; a binary that is
    /// not there fails the test.
    async fn start(test: &str) -> Option<Restate> {
        let Some(binary) = std::env::var_os("ARAZZO_RESTATE_SERVER").map(PathBuf::from) else {
            eprintln!(
                "{test}: not run: ARAZZO_RESTATE_SERVER is unset (`cargo xtask test` installs \
                 restate-server and sets it)"
            );
            return None;
        };
        assert!(
            binary.is_file(),
            "ARAZZO_RESTATE_SERVER names {}, which is not there",
            binary.display()
        );
        let dir =
            std::env::temp_dir().join(format!("arazzo-restate-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let (ingress, admin, node) = (free_port(), free_port(), free_port());
        let log = std::fs::File::create(dir.join("server.log"))
            .unwrap_or_else(|e| panic!("cannot create the server's log: {e}"));
        let child = Command::new(binary)
            .arg("--no-logo")
            .current_dir(&dir)
            .env("RESTATE_BASE_DIR", &dir)
            .env("RESTATE_DISABLE_TELEMETRY", "true")
            .env(
                "RESTATE_INGRESS__BIND_ADDRESS",
                format!("127.0.0.1:{ingress}"),
            )
            .env("RESTATE_ADMIN__BIND_ADDRESS", format!("127.0.0.1:{admin}"))
            .env("RESTATE_BIND_ADDRESS", format!("127.0.0.1:{node}"))
            .env(
                "RESTATE_ADVERTISED_ADDRESS",
                format!("http://127.0.0.1:{node}"),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().unwrap_or_else(|e| {
                panic!("cannot share the server's log: {e}")
            })))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start restate-server: {e}"));
        let restate = Restate {
            _process: Process(child),
            dir,
            ingress: format!("http://127.0.0.1:{ingress}"),
            admin: format!("http://127.0.0.1:{admin}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap_or_else(fail),
        };
        let health = format!("{}/health", restate.admin);
        until("the Restate server is up", || {
            let request = restate.http.get(&health).send();
            async move { request.await.is_ok_and(|r| r.status().is_success()) }
        })
        .await;
        Some(restate)
    }

    /// Registers the durable services listening on `port`.
    async fn register(&self, port: u16) {
        let response = self
            .http
            .post(format!("{}/deployments", self.admin))
            .json(&json!({ "uri": format!("http://127.0.0.1:{port}") }))
            .send()
            .await
            .unwrap_or_else(fail);
        assert!(
            response.status().is_success(),
            "registering the services: {}",
            response.text().await.unwrap_or_default()
        );
    }

    /// Invokes `service`/`handler` without waiting: its invocation id.
    async fn send(&self, service: &str, handler: &str, input: Value) -> String {
        let response: Value = self
            .http
            .post(format!("{}/{service}/{handler}/send", self.ingress))
            .json(&input)
            .send()
            .await
            .unwrap_or_else(fail)
            .json()
            .await
            .unwrap_or_else(fail);
        response
            .get("invocationId")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no invocation id in {response}"))
            .to_owned()
    }

    /// Starts the seed workflow with `input` without waiting: the invocation id.
    async fn seed(&self, input: Value) -> String {
        let handler = "create_conversation_with_webhook";
        self.send(conversations::durable::SERVICE, handler, input)
            .await
    }

    /// Waits for invocation `id` to end: the status and text Restate gives.
    async fn attach(&self, id: &str) -> (u16, String) {
        let response = self
            .http
            .get(format!("{}/restate/invocation/{id}/attach", self.ingress))
            .send()
            .await
            .unwrap_or_else(fail);
        (
            response.status().as_u16(),
            response.text().await.unwrap_or_else(fail),
        )
    }

    /// Waits for invocation `id` to end: its output.
    async fn output(&self, id: &str) -> Value {
        let (status, body) = self.attach(id).await;
        assert_eq!(status, 200, "invocation {id} failed: {body}");
        serde_json::from_str(&body).unwrap_or_else(fail)
    }

    /// The rows of a SQL query on Restate's system tables.
    async fn query(&self, sql: &str) -> Vec<Value> {
        let response: Value = self
            .http
            .post(format!("{}/query", self.admin))
            .header("accept", "application/json")
            .json(&json!({ "query": sql }))
            .send()
            .await
            .unwrap_or_else(fail)
            .json()
            .await
            .unwrap_or_else(fail);
        match response.get("rows") {
            Some(Value::Array(rows)) => rows.clone(),
            _ => panic!("no rows in {response}"),
        }
    }

    /// The journal of invocation `id`: each entry's type (`Command: Run`, `Command: Sleep`, …)
    /// and name.
    async fn journal(&self, id: &str) -> Vec<(String, String)> {
        let sql =
            format!("SELECT entry_type, name FROM sys_journal WHERE id = '{id}' ORDER BY index");
        let text = |row: &Value, k: &str| {
            row.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        self.query(&sql)
            .await
            .iter()
            .map(|row| (text(row, "entry_type"), text(row, "name")))
            .collect()
    }

    /// The names of invocation `id`'s journaled step exchanges (`ctx.run`), in order.
    async fn runs(&self, id: &str) -> Vec<String> {
        let journal = self.journal(id).await.into_iter();
        journal
            .filter(|(kind, _)| kind == "Command: Run")
            .map(|(_, name)| name)
            .collect()
    }

    /// Every entry of invocation `id`'s journal as Restate stores it (its raw bytes, as the
    /// query API gives them in hexadecimal), one after the other.
    async fn raw_journal(&self, id: &str) -> Vec<u8> {
        let sql = format!("SELECT raw FROM sys_journal WHERE id = '{id}' ORDER BY index");
        let hex: String = self
            .query(&sql)
            .await
            .iter()
            .filter_map(|row| row.get("raw").and_then(Value::as_str))
            .collect();
        hex.as_bytes()
            .chunks(2)
            .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
            .collect()
    }
}

/// A Restate server and the `durable` binary it knows, the binary's requests going to the
/// generated mock at `mock`; `None` when the server is not available (see [`Restate::start`]).
async fn serving(test: &str, mock: &str) -> Option<(Restate, Process, u16)> {
    let restate = Restate::start(test).await?;
    let port = free_port();
    let process = service(port, mock).await;
    restate.register(port).await;
    Some((restate, process, port))
}

/// The credentials the `durable` binary sends: what its journal must never hold.
const ACCOUNT_SID: &str = "AC-durable-test";
const AUTH_TOKEN: &str = "token-never-journaled";

/// The Basic encoding of those credentials, as the `Authorization` header carries it.
fn basic_encoding() -> String {
    let request = reqwest::Client::new()
        .get("http://x.test")
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .build()
        .unwrap_or_else(fail);
    let header = request.headers().get("authorization").map(|v| v.to_str());
    match header {
        Some(Ok(value)) => value.trim_start_matches("Basic ").to_owned(),
        _ => panic!("reqwest made no Authorization header"),
    }
}

/// The `durable` binary serving on `port`, its requests going to the generated mock at `mock`.
async fn service(port: u16, mock: &str) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_durable"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--mock", mock])
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start the durable binary: {e}"));
    let process = Process(child);
    until("the durable services listen", || async move {
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
    })
    .await;
    process
}

/// Polls `ready` every 50 ms for up to a minute; fails the test naming `what` after that.
async fn until<F, Fut>(what: &str, mut ready: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready().await {
        assert!(Instant::now() < deadline, "waited a minute for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn support_thread() -> Value {
    json!({
        "friendlyName": "Support",
        "target": "webhook",
        "configurationUrl": "https://hooks.example.test/events",
    })
}

#[tokio::test]
async fn the_seed_workflow_through_restate_gives_the_plain_outputs() {
    let _one = ONE_SERVER.lock().await;
    let mock = conversations::mock::Mock::start().await;
    let plain = conversations::Client::new()
        .with_mock(&mock)
        .create_conversation_with_webhook(serde_json::from_value(support_thread()).unwrap())
        .await
        .unwrap();
    let Some((restate, _service, _)) = serving("seed", &mock.uri()).await else {
        return;
    };

    let id = restate.seed(support_thread()).await;
    let durable = restate.output(&id).await;

    assert_eq!(durable, serde_json::to_value(&plain).unwrap());
    assert_eq!(mock.create_conversation().calls(), 2);
    assert_eq!(mock.create_conversation_scoped_webhook().calls(), 2);
    // Each step's exchange is one entry of the journal, named after the step.
    let runs = restate.runs(&id).await;
    assert_eq!(runs, ["createConversation", "attachWebhook"]);
    // The journal holds the responses, and nothing of the credentials the requests carried
    // (the token, or the Basic pair's encoding).
    let journal = String::from_utf8_lossy(&restate.raw_journal(&id).await).into_owned();
    assert!(journal.contains(r#""status":201"#), "{journal}");
    assert!(!journal.contains(AUTH_TOKEN), "the token is in the journal");
    assert!(
        !journal.contains(&basic_encoding()),
        "the Basic pair is in the journal"
    );
}

#[tokio::test]
async fn a_run_killed_between_its_steps_resumes_without_sending_step_one_again() {
    let _one = ONE_SERVER.lock().await;
    let mock = conversations::mock::Mock::start().await;
    mock.create_conversation()
        .answer(Answer::status(201).json(json!({"sid": "CH1"})));
    // The first attempt of step 2 hangs: the process is killed while it waits.
    mock.create_conversation_scoped_webhook().answers([
        Answer::status(201)
            .json(json!({"sid": "WH-never"}))
            .delay(Duration::from_secs(30)),
        Answer::status(201).json(json!({"sid": "WH2"})),
    ]);
    let Some((restate, first, port)) = serving("crash", &mock.uri()).await else {
        return;
    };
    let id = restate.seed(support_thread()).await;
    until("step 2 is sent", || async {
        mock.create_conversation_scoped_webhook().calls() == 1
    })
    .await;
    drop(first);
    let _second = service(port, &mock.uri()).await;

    let output = restate.output(&id).await;

    assert_eq!(
        output,
        json!({"conversationSid": "CH1", "webhookSid": "WH2"})
    );
    assert_eq!(
        mock.create_conversation().calls(),
        1,
        "step 1 was sent again"
    );
    assert_eq!(mock.create_conversation_scoped_webhook().calls(), 2);
    assert_eq!(
        mock.create_conversation_scoped_webhook().requests()[1].conversation_sid,
        "CH1"
    );
}

#[tokio::test]
async fn a_retry_wait_spans_a_restart() {
    let _one = ONE_SERVER.lock().await;
    let mock = configuration::mock::Mock::start().await;
    mock.fetch_configuration_webhook().answers([
        Answer::status(500).body("try again", "text/plain"),
        Answer::status(200).json(json!({"post_webhook_url": "https://old.test"})),
    ]);
    let Some((restate, first, port)) = serving("retry", &mock.uri()).await else {
        return;
    };
    let id = restate
        .send(
            configuration::durable::SERVICE,
            "configure_conversations_webhooks",
            json!({"postWebhookUrl": "https://new.test"}),
        )
        .await;
    // The 500 is journaled, then the run sleeps its `retryAfter` (1 s) durably: the process
    // is killed during that sleep and stays down past its end.
    until("the journal holds the sleep", || {
        let restate = &restate;
        let id = &id;
        async move {
            restate
                .journal(id)
                .await
                .iter()
                .any(|(kind, _)| kind == "Command: Sleep")
        }
    })
    .await;
    drop(first);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _second = service(port, &mock.uri()).await;

    let output = restate.output(&id).await;

    assert_eq!(output["previousUrl"], "https://old.test");
    assert_eq!(mock.fetch_configuration_webhook().calls(), 2);
    assert_eq!(mock.update_configuration_webhook().calls(), 1);
    let journal = restate.journal(&id).await;
    let sleeps = journal.iter().filter(|(kind, _)| kind == "Command: Sleep");
    assert_eq!(sleeps.count(), 1, "one durable sleep in {journal:?}");
}

#[tokio::test]
async fn a_polling_loop_resumes_after_a_restart() {
    let _one = ONE_SERVER.lock().await;
    let mock = control_flow::mock::Mock::start().await;
    mock.create_job()
        .answer(Answer::status(202).json(json!({"id": "job-7", "state": "pending"})));
    let state = |state: &str| Answer::status(200).json(json!({"id": "job-7", "state": state}));
    // The third poll hangs: the process is killed while it waits.
    mock.get_job().answers([
        state("queued"),
        state("running"),
        state("done").delay(Duration::from_secs(30)),
        state("done"),
    ]);
    mock.delete_job().expect(0);
    let Some((restate, first, port)) = serving("polling", &mock.uri()).await else {
        return;
    };
    let id = restate
        .send(
            control_flow::durable::SERVICE,
            "run_job",
            json!({"kind": "export"}),
        )
        .await;
    until("the third poll is sent", || async {
        mock.get_job().calls() == 3
    })
    .await;
    drop(first);
    let _second = service(port, &mock.uri()).await;

    let output = restate.output(&id).await;

    assert_eq!(output["state"], "done");
    // The two polls answered before the crash were not sent again; the one cut off was.
    assert_eq!(mock.get_job().calls(), 4);
    assert_eq!(mock.create_job().calls(), 1);
    mock.verify();
}

#[tokio::test]
async fn a_failed_workflow_fails_its_invocation_for_good() {
    let _one = ONE_SERVER.lock().await;
    let mock = conversations::mock::Mock::start().await;
    // A server that echoes the request's credentials in its error.
    let echoed = basic_encoding();
    mock.create_conversation().answer(
        Answer::status(400).json(json!({"message": "FriendlyName too long", "auth": echoed})),
    );
    let Some((restate, _service, _)) = serving("failure", &mock.uri()).await else {
        return;
    };
    let id = restate.seed(support_thread()).await;

    let (status, text) = restate.attach(&id).await;

    // Terminal: the workflow's own error, answered at once and never retried.
    assert_eq!(status, 500, "{text}");
    assert!(
        text.contains(
            "step `createConversation`: criterion `$statusCode == 201` \
             (../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml:43:13) did not \
             hold; status 400"
        ),
        "{text}"
    );
    assert_eq!(mock.create_conversation().calls(), 1);
    assert_eq!(mock.create_conversation_scoped_webhook().calls(), 0);
    // The error Restate keeps shows no credential, though the run rebuilt it from the journal.
    assert!(text.contains(r#"\"auth\":\"***\""#), "{text}");
    assert!(
        !text.contains(&echoed) && !text.contains(AUTH_TOKEN),
        "{text}"
    );
}

#[tokio::test]
async fn an_input_that_does_not_fit_is_refused_with_400() {
    let _one = ONE_SERVER.lock().await;
    let mock = conversations::mock::Mock::start().await;
    let Some((restate, _service, _)) = serving("input", &mock.uri()).await else {
        return;
    };
    let id = restate.seed(json!({"target": "carrier-pigeon"})).await;

    let (status, text) = restate.attach(&id).await;

    assert_eq!(status, 400, "{text}");
    assert!(text.contains("the input does not fit"), "{text}");
    assert_eq!(mock.create_conversation().calls(), 0);
}

/// The per-workflow cost of a durable run against the plain mode: `cargo xtask bench-durable`
/// (release build), not run by `cargo xtask test`. The seed workflow against the same generated
/// mock, `DURABLE_RUNS` runs a side (default 200), in rounds that alternate which side goes
/// first; prints each round's medians and their ratio as Markdown rows. Asserts only that both
/// sides give the same outputs.
#[tokio::test]
#[ignore = "a benchmark: cargo xtask bench-durable"]
async fn durable_overhead() {
    let _one = ONE_SERVER.lock().await;
    let runs: usize = std::env::var("DURABLE_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let mock = conversations::mock::Mock::start().await;
    let Some((restate, _service, _)) = serving("overhead", &mock.uri()).await else {
        return;
    };
    let client = conversations::Client::new().with_mock(&mock);
    let input = support_thread();
    let invoke = format!(
        "{}/{}/create_conversation_with_webhook",
        restate.ingress,
        conversations::durable::SERVICE
    );
    let plain = || async {
        let typed = serde_json::from_value(input.clone()).unwrap();
        let output = client
            .create_conversation_with_webhook(typed)
            .await
            .unwrap();
        serde_json::to_value(output).unwrap()
    };
    let durable = || async {
        let response = restate
            .http
            .post(&invoke)
            .json(&input)
            .send()
            .await
            .unwrap();
        response.json::<Value>().await.unwrap()
    };
    assert_eq!(plain().await, durable().await);
    println!("| round | plain, median | durable, median | ratio |");
    println!("|---:|---:|---:|---:|");
    for round in 1..=3 {
        let mut times = [Vec::with_capacity(runs), Vec::with_capacity(runs)];
        let order = if round % 2 == 1 { [0, 1] } else { [1, 0] };
        for side in order {
            for _ in 0..runs {
                let start = Instant::now();
                let output = if side == 0 {
                    plain().await
                } else {
                    durable().await
                };
                times[side].push(start.elapsed());
                assert!(output.get("webhookSid").is_some(), "{output}");
            }
        }
        let [plain_median, durable_median] = times.map(|mut t| {
            t.sort();
            t[t.len() / 2]
        });
        println!(
            "| {round} | {:.2} ms | {:.2} ms | {:.1}× |",
            plain_median.as_secs_f64() * 1e3,
            durable_median.as_secs_f64() * 1e3,
            durable_median.as_secs_f64() / plain_median.as_secs_f64()
        );
    }
}

#[tokio::test]
async fn a_transport_failure_is_retried_by_restate_within_the_step() {
    let _one = ONE_SERVER.lock().await;
    let mock = conversations::mock::Mock::start().await;
    // The API is down at first: nothing listens where the service sends its requests.
    let down = free_port();
    let api = format!("http://127.0.0.1:{down}");
    let Some((restate, _service, _)) = serving("transport", &api).await else {
        return;
    };
    let id = restate.seed(support_thread()).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Then it comes up: a forwarder on that port to the mock.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", down))
        .await
        .unwrap();
    let target = mock.uri().trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });

    let output = restate.output(&id).await;

    assert!(output.get("webhookSid").is_some(), "{output}");
    assert_eq!(mock.create_conversation().calls(), 1);
    // Retried inside the step's one journal entry, not by starting the run over.
    let runs = restate.runs(&id).await;
    assert_eq!(runs, ["createConversation", "attachWebhook"]);
}

#[tokio::test]
async fn dependencies_and_child_workflows_run_in_one_journal() {
    let _one = ONE_SERVER.lock().await;
    let mock = control_flow::mock::Mock::start().await;
    mock.get_report()
        .answer(Answer::status(200).json(json!({"rows": 12})));
    mock.create_job()
        .answer(Answer::status(202).json(json!({"id": "j1", "state": "pending"})));
    mock.get_job()
        .answer(Answer::status(200).json(json!({"id": "j1", "state": "done"})));
    let Some((restate, _service, _)) = serving("nested", &mock.uri()).await else {
        return;
    };
    let id = restate
        .send(
            control_flow::durable::SERVICE,
            "nested",
            json!({"kind": "backup"}),
        )
        .await;

    let output = restate.output(&id).await;

    assert_eq!(output, json!({"state": "done", "rows": 12}));
    // `dependsOn: [fetch-report]` first, then the child workflow `run-job`'s steps.
    let runs = restate.runs(&id).await;
    assert_eq!(runs, ["report", "create", "poll"]);
}
