//! Runs the generated code of every case under `$ARAZZO_CONFORMANCE_CASES` against a scripted
//! stand-in server, and writes what it gave next to each case (`actual.json`). The cases are
//! compiled into this binary by the crate's build script.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arazzo_runtime::{Error, Sleeper};
use conformance::case::{Case, Failure, Outcome, STEP_BUDGET, Scripted, path_matches, request};
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod cases {
    include!(concat!(env!("OUT_DIR"), "/cases.rs"));
}

/// Answers each request with the next answer of its operation's script.
struct Stand {
    operations: Vec<(String, String, String)>,
    script: Arc<Mutex<Scripted>>,
}

impl Respond for Stand {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let method = request.method.as_str().to_lowercase();
        let path = request.url.path();
        let Some((_, _, id)) = self
            .operations
            .iter()
            .find(|(m, p, _)| *m == method && path_matches(p, path))
        else {
            return ResponseTemplate::new(599);
        };
        let answer = match self.script.lock() {
            Ok(mut s) => s.answer(id),
            Err(_) => return ResponseTemplate::new(599),
        };
        ResponseTemplate::new(answer.status).set_body_json(answer.body)
    }
}

fn failure(e: &Error) -> Failure {
    let kind = match e {
        Error::CriterionFailed { .. } => "CriterionFailed",
        Error::Ended { .. } => "Ended",
        Error::StepBudgetExceeded { .. } => "StepBudgetExceeded",
        Error::MissingValue { .. } => "MissingValue",
        Error::OutputType { .. } => "OutputType",
        Error::ChildInput { .. } => "ChildInput",
        Error::Transport { .. } => "Transport",
        _ => "Other",
    };
    Failure {
        kind: kind.to_owned(),
        workflow: e.workflow().to_owned(),
        step: e.step().map(str::to_owned),
        status: e.status(),
    }
}

async fn run_case(dir: &Path) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(dir.join("case.json")).map_err(|e| e.to_string())?;
    let case: Case = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Stand {
            operations: case.operations(),
            script: Arc::new(Mutex::new(Scripted::new(case.server.clone()))),
        })
        .mount(&server)
        .await;
    let (sleeper, _) = Sleeper::recording();
    let result = cases::run(
        &case.name,
        &server.uri(),
        case.inputs.clone(),
        STEP_BUDGET,
        sleeper,
    )
    .await
    .ok_or_else(|| format!("case `{}` is not compiled in", case.name))??;
    let requests = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let body = (!r.body.is_empty())
                .then(|| serde_json::from_slice::<Value>(&r.body).ok())
                .flatten();
            request(
                r.method.as_str(),
                r.url.path(),
                r.url.query(),
                body.as_ref(),
            )
        })
        .collect();
    Ok(Outcome {
        requests,
        result: result.map_err(|e| failure(&e)),
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::var_os("ARAZZO_CONFORMANCE_CASES").map(PathBuf::from) else {
        eprintln!("run_cases: set ARAZZO_CONFORMANCE_CASES to the folder of the cases");
        return std::process::ExitCode::from(2);
    };
    for (name, why) in cases::NOT_GENERATED {
        let _ = std::fs::write(dir.join(name).join("not-generated.txt"), why);
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    entries.sort();
    for case in entries {
        let written = match run_case(&case).await {
            Ok(outcome) => serde_json::to_string_pretty(&outcome).unwrap_or_default(),
            Err(why) => serde_json::json!({"error": why}).to_string(),
        };
        if let Err(e) = std::fs::write(case.join("actual.json"), written) {
            eprintln!("run_cases: cannot write {}: {e}", case.display());
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}
