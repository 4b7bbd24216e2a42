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

    /// Waits for invocation `id` to end: its output.
    async fn output(&self, id: &str) -> Value {
        let response = self
            .http
            .get(format!("{}/restate/invocation/{id}/attach", self.ingress))
            .send()
            .await
            .unwrap_or_else(fail);
        let status = response.status();
        let body = response.text().await.unwrap_or_else(fail);
        assert!(
            status.is_success(),
            "invocation {id} failed ({status}): {body}"
        );
        serde_json::from_str(&body).unwrap_or_else(fail)
    }

    /// Waits for invocation `id` to end in failure: the status and text Restate gives.
    async fn failure(&self, id: &str) -> (u16, String) {
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

    /// The journal of invocation `id`: each entry's type (`Command: Run`, `Command: Sleep`, …)
    /// and name.
    async fn journal(&self, id: &str) -> Vec<(String, String)> {
        let query =
            format!("SELECT entry_type, name FROM sys_journal WHERE id = '{id}' ORDER BY index");
        let response: Value = self
            .http
            .post(format!("{}/query", self.admin))
            .header("accept", "application/json")
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap_or_else(fail)
            .json()
            .await
            .unwrap_or_else(fail);
        response
            .get("rows")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("no rows in {response}"))
            .iter()
            .map(|row| {
                let text = |k: &str| {
                    row.get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                (text("entry_type"), text("name"))
            })
            .collect()
    }
}

/// The `durable` binary serving on `port`, its requests going to the generated mock at `mock`.
async fn service(port: u16, mock: &str) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_durable"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--mock", mock])
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
    let Some(restate) = Restate::start("seed").await else {
        return;
    };
    let mock = conversations::mock::Mock::start().await;
    let plain = conversations::Client::new()
        .with_mock(&mock)
        .create_conversation_with_webhook(serde_json::from_value(support_thread()).unwrap())
        .await
        .unwrap();
    let port = free_port();
    let _service = service(port, &mock.uri()).await;
    restate.register(port).await;

    let id = restate
        .send(
            conversations::durable::SERVICE,
            "create_conversation_with_webhook",
            support_thread(),
        )
        .await;
    let durable = restate.output(&id).await;

    assert_eq!(durable, serde_json::to_value(&plain).unwrap());
    assert_eq!(mock.create_conversation().calls(), 2);
    assert_eq!(mock.create_conversation_scoped_webhook().calls(), 2);
    // Each step's exchange is one entry of the journal, named after the step.
    let runs: Vec<String> = restate
        .journal(&id)
        .await
        .into_iter()
        .filter(|(kind, _)| kind == "Command: Run")
        .map(|(_, name)| name)
        .collect();
    assert_eq!(runs, ["createConversation", "attachWebhook"]);
}

#[tokio::test]
async fn a_run_killed_between_its_steps_resumes_without_sending_step_one_again() {
    let _one = ONE_SERVER.lock().await;
    let Some(restate) = Restate::start("crash").await else {
        return;
    };
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
    let port = free_port();
    let first = service(port, &mock.uri()).await;
    restate.register(port).await;
    let id = restate
        .send(
            conversations::durable::SERVICE,
            "create_conversation_with_webhook",
            support_thread(),
        )
        .await;
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
    let Some(restate) = Restate::start("retry").await else {
        return;
    };
    let mock = configuration::mock::Mock::start().await;
    mock.fetch_configuration_webhook().answers([
        Answer::status(500).body("try again", "text/plain"),
        Answer::status(200).json(json!({"post_webhook_url": "https://old.test"})),
    ]);
    let port = free_port();
    let first = service(port, &mock.uri()).await;
    restate.register(port).await;
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
    let Some(restate) = Restate::start("polling").await else {
        return;
    };
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
    let port = free_port();
    let first = service(port, &mock.uri()).await;
    restate.register(port).await;
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
    let Some(restate) = Restate::start("failure").await else {
        return;
    };
    let mock = conversations::mock::Mock::start().await;
    mock.create_conversation()
        .answer(Answer::status(400).json(json!({"message": "FriendlyName too long"})));
    let port = free_port();
    let _service = service(port, &mock.uri()).await;
    restate.register(port).await;
    let id = restate
        .send(
            conversations::durable::SERVICE,
            "create_conversation_with_webhook",
            support_thread(),
        )
        .await;

    let (status, text) = restate.failure(&id).await;

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
}

#[tokio::test]
async fn an_input_that_does_not_fit_is_refused_with_400() {
    let _one = ONE_SERVER.lock().await;
    let Some(restate) = Restate::start("input").await else {
        return;
    };
    let mock = conversations::mock::Mock::start().await;
    let port = free_port();
    let _service = service(port, &mock.uri()).await;
    restate.register(port).await;
    let id = restate
        .send(
            conversations::durable::SERVICE,
            "create_conversation_with_webhook",
            json!({"target": "carrier-pigeon"}),
        )
        .await;

    let (status, text) = restate.failure(&id).await;

    assert_eq!(status, 400, "{text}");
    assert!(text.contains("the input does not fit"), "{text}");
    assert_eq!(mock.create_conversation().calls(), 0);
}
