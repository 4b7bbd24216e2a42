//! `cargo xtask bench-peers [ROUNDS] [RUNS]`: the seed workflow per run, generated against
//! hand-written (reqwest) against the Python `arazzo-runner` from PyPI executing the same
//! document in-process, all on the example's stand-in server in a process of its own.
//!
//! On a 2-core machine a wake-up across CPUs costs more than a workflow on loopback, so the
//! server and every client are pinned to CPU 0 (`taskset`, when there is one). Each round runs
//! the three sides once, `RUNS` workflows each, in an order that rotates from round to round;
//! the table gives the median over rounds of each side's median. Not part of `cargo xtask test`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

/// The runner measured, pinned like every other tool.
const ARAZZO_RUNNER: &str = "arazzo-runner==0.9.6";
const SEED: &str = "fixtures/twilio/create-conversation-with-webhook.arazzo.yaml";
const SEED_SOURCE: &str = "fixtures/twilio/conversations.openapi.yaml";
const SEED_SERVER: &str = "https://conversations.twilio.com";

pub fn run(rounds: usize, runs: usize) -> ExitCode {
    match measure(rounds, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: bench-peers: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds `generated-example`'s examples (release) and gives their folder.
pub fn examples() -> Option<PathBuf> {
    super::run(
        "cargo build --release -p generated-example --examples",
        super::cargo().args([
            "build",
            "--release",
            "-p",
            "generated-example",
            "--examples",
        ]),
    )
    .then(|| super::workspace().join("target/release/examples"))
}

/// The stand-in server, stopped when dropped.
pub struct StandIn(Child);

/// Starts the stand-in (`command` runs `examples/stand_in`) and reads its address.
pub fn stand_in(mut command: Command) -> Result<(StandIn, String), String> {
    let mut server = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the stand-in: {e}"))?;
    let stdout = server.stdout.take();
    let server = StandIn(server);
    let mut url = String::new();
    if let Some(out) = stdout {
        BufReader::new(out)
            .read_line(&mut url)
            .map_err(|e| format!("the stand-in said nothing: {e}"))?;
    }
    let url = url.trim().to_owned();
    if !url.starts_with("http://") {
        return Err(format!("the stand-in gave no address (`{url}`)"));
    }
    Ok((server, url))
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn measure(rounds: usize, runs: usize) -> Result<(), String> {
    let root = super::workspace();
    let examples = examples().ok_or("the examples did not build")?;
    let python = python_runner(&root);
    let pin = Command::new("taskset").arg("--version").output().is_ok();
    if !pin {
        eprintln!("xtask: no `taskset`: the server and the clients are not pinned to one CPU");
    }
    let command = |program: &Path| {
        let mut c = if pin {
            let mut c = Command::new("taskset");
            c.args(["-c", "0"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        c.stderr(Stdio::inherit());
        c
    };

    let (server, url) = stand_in(command(&examples.join("stand_in")))?;
    let document = match &python {
        Some(_) => Some(pointed_at(&root, &url)?),
        None => None,
    };

    let mut sides: Vec<(&str, Vec<f64>)> =
        vec![("generated", Vec::new()), ("hand-written", Vec::new())];
    if python.is_some() {
        sides.push(("arazzo-runner", Vec::new()));
    }
    let mut startups = Vec::new();
    for round in 0..rounds {
        for k in 0..sides.len() {
            let i = (round + k) % sides.len();
            let Some((side, medians)) = sides.get_mut(i) else {
                continue;
            };
            let output = match (*side, &python, &document) {
                ("arazzo-runner", Some(py), Some(doc)) => command(py)
                    .arg(root.join("xtask/peers/arazzo_runner_bench.py"))
                    .arg(doc)
                    .arg(runs.to_string())
                    .output(),
                _ => command(&examples.join("seed_client"))
                    .args([*side, url.as_str(), &runs.to_string()])
                    .output(),
            }
            .map_err(|e| format!("cannot run {side}: {e}"))?;
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            if !output.status.success() {
                return Err(format!("{side} failed ({}): {text}", output.status));
            }
            let median = field(&text, "median_us").ok_or(format!("{side} said: {text}"))?;
            eprintln!(
                "xtask: round {}, {side}: {median:.1} µs per workflow",
                round + 1
            );
            medians.push(median);
            if let Some(startup) = field(&text, "startup_us") {
                startups.push(startup);
            }
        }
    }
    drop(server);

    let value = |name: &str| {
        sides
            .iter()
            .find(|(s, _)| *s == name)
            .map(|(_, m)| median(m))
    };
    let generated = value("generated").unwrap_or(0.0);
    println!(
        "| seed workflow, {rounds} rounds of {runs} runs, server and clients on one CPU | per workflow (median) | vs generated |"
    );
    println!("|---|---:|---:|");
    for (side, medians) in &sides {
        let m = median(medians);
        println!(
            "| {side} | {m:.1} µs | {:.2}× |",
            m / generated.max(f64::MIN_POSITIVE)
        );
    }
    if !startups.is_empty() {
        println!(
            "| arazzo-runner start-up (import and load, once per process) | {:.1} ms | |",
            median(&startups) / 1000.0
        );
    }
    if python.is_none() {
        println!("\nPython 3 was not found: the Python arazzo-runner was NOT measured.");
    }
    Ok(())
}

/// The venv's Python with the pinned runner installed (`.tools/arazzo-runner/venv`), or `None`
/// when the machine has no Python 3 (said once).
pub fn python_runner(root: &Path) -> Option<PathBuf> {
    let venv = root.join(".tools/arazzo-runner/venv");
    let python = venv.join("bin/python");
    let marker = venv.join(ARAZZO_RUNNER);
    if marker.is_file() && python.is_file() {
        return Some(python);
    }
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status();
    match created {
        Ok(s) if s.success() => {}
        _ => {
            eprintln!(
                "xtask: Python 3 (with venv) not found: the Python arazzo-runner is NOT measured"
            );
            return None;
        }
    }
    let installed = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", ARAZZO_RUNNER])
        .status();
    match installed {
        Ok(s) if s.success() => {
            let _ = std::fs::write(&marker, "");
            Some(python)
        }
        _ => {
            eprintln!(
                "xtask: `pip install {ARAZZO_RUNNER}` failed: the Python arazzo-runner is NOT measured"
            );
            None
        }
    }
}

/// A copy of the seed and its description whose server is the stand-in at `url`.
fn pointed_at(root: &Path, url: &str) -> Result<PathBuf, String> {
    let dir = root.join("target/bench-peers");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let source = std::fs::read_to_string(root.join(SEED_SOURCE))
        .map_err(|e| format!("cannot read {SEED_SOURCE}: {e}"))?;
    if !source.contains(SEED_SERVER) {
        return Err(format!("{SEED_SOURCE} no longer names {SEED_SERVER}"));
    }
    let name = |p: &str| {
        Path::new(p)
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default()
    };
    std::fs::write(
        dir.join(name(SEED_SOURCE)),
        source.replace(SEED_SERVER, url),
    )
    .and_then(|()| std::fs::copy(root.join(SEED), dir.join(name(SEED))).map(|_| ()))
    .map_err(|e| format!("cannot write the runner's copy of the seed: {e}"))?;
    Ok(dir.join(name(SEED)))
}

/// `name=<number>` in a side's output.
fn field(text: &str, name: &str) -> Option<f64> {
    text.split_whitespace()
        .find_map(|w| w.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}
