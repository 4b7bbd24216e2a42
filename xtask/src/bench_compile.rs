//! `cargo xtask bench-compile`: what editing a workflow costs at build time, against editing
//! the same workflow written by hand. Each run touches the seed Arazzo file (build.rs reruns
//! and regenerates, the `arazzo!` macro expands again, the crate recompiles), then touches
//! `generated-example/src/hand_written.rs` (the crate recompiles), timing `cargo build` after
//! each; the two alternate so that drift on the machine hits both alike.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

const ARAZZO: &str = "fixtures/twilio/create-conversation-with-webhook.arazzo.yaml";
const HAND_WRITTEN: &str = "generated-example/src/hand_written.rs";

pub fn run(runs: usize) -> ExitCode {
    let workspace = super::workspace();
    eprintln!("xtask: bench-compile: a first build, not timed");
    if build().is_none() {
        return ExitCode::FAILURE;
    }
    let mut arazzo = Vec::new();
    let mut hand = Vec::new();
    for run in 1..=runs {
        for (file, times) in [(ARAZZO, &mut arazzo), (HAND_WRITTEN, &mut hand)] {
            if let Err(e) = touch(&workspace.join(file)) {
                eprintln!("xtask: cannot touch {file}: {e}");
                return ExitCode::FAILURE;
            }
            let Some(took) = build() else {
                return ExitCode::FAILURE;
            };
            eprintln!("xtask: run {run}/{runs}: after touching {file}: {took:.2?}");
            times.push(took);
        }
    }
    let (a, h) = (median(&mut arazzo), median(&mut hand));
    println!("| change | `cargo build -p generated-example` (median of {runs}) |");
    println!("|---|---:|");
    println!("| touch `{ARAZZO}` | {:.2} s |", a.as_secs_f64());
    println!("| touch `{HAND_WRITTEN}` | {:.2} s |", h.as_secs_f64());
    println!(
        "| ratio | **{:.2}×** |",
        a.as_secs_f64() / h.as_secs_f64().max(f64::EPSILON)
    );
    ExitCode::SUCCESS
}

fn build() -> Option<Duration> {
    let mut command = super::cargo();
    command.args(["build", "--quiet", "-p", "generated-example"]);
    let start = Instant::now();
    super::run("cargo build -p generated-example", &mut command).then(|| start.elapsed())
}

/// Sets the file's modification time to now, as `touch` does: Cargo sees a change.
fn touch(path: &Path) -> std::io::Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)?
        .set_modified(SystemTime::now())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}
