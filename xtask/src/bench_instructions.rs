//! `cargo xtask bench-instructions`: instructions per workflow run, generated against
//! hand-written, counted by `valgrind --tool=callgrind` (repeatable, unlike wall-clock time on a
//! shared machine). Each side runs the runtime benchmark's `sequential_*` case twice, with a
//! small and a large sample count (each the median of three runs); the difference divided by the extra runs is the cost of one
//! workflow, with the set-up (server start, connection warm-up) cancelled out.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const SMALL: u64 = 20;
const LARGE: u64 = 1020;
/// Each count is the median of this many runs: the runtime's worker threads spin a little
/// differently every time.
const REPEATS: usize = 3;

pub fn run() -> ExitCode {
    let Some(binary) = bench_binary() else {
        return ExitCode::FAILURE;
    };
    let mut rows = Vec::new();
    for case in ["sequential_generated", "sequential_hand_written"] {
        let (Some(small), Some(large)) =
            (median(&binary, case, SMALL), median(&binary, case, LARGE))
        else {
            return ExitCode::FAILURE;
        };
        let per_run = large.saturating_sub(small) as f64 / (LARGE - SMALL) as f64;
        eprintln!("xtask: {case}: {small} / {large} instructions → {per_run:.0} per workflow");
        rows.push((case, per_run));
    }
    let (generated, hand) = match rows.as_slice() {
        [(_, g), (_, h)] => (*g, *h),
        _ => return ExitCode::FAILURE,
    };
    println!("| | instructions per workflow |");
    println!("|---|---:|");
    println!("| generated | {:.1} k |", generated / 1000.0);
    println!("| hand-written | {:.1} k |", hand / 1000.0);
    println!("| ratio | **{:.3}×** |", generated / hand.max(1.0));
    ExitCode::SUCCESS
}

/// Builds the runtime benchmark (release) and returns its executable.
fn bench_binary() -> Option<PathBuf> {
    let output = super::cargo()
        .args([
            "bench",
            "--no-run",
            "-p",
            "generated-example",
            "--bench",
            "runtime",
            "--message-format",
            "json",
        ])
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            eprintln!(
                "xtask: building the runtime benchmark failed:\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("xtask: could not start cargo: {e}");
            return None;
        }
    };
    let found = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m.pointer("/target/name").and_then(|n| n.as_str()) == Some("runtime"))
        .find_map(|m| m.get("executable")?.as_str().map(PathBuf::from));
    if found.is_none() {
        eprintln!("xtask: cargo built no `runtime` benchmark executable");
    }
    found
}

/// The sides `seed_client` runs.
const SIDES: [&str; 4] = [
    "generated",
    "hand-written",
    "generated-unbounded",
    "hand-written-bounded",
];

/// The client alone: `examples/seed_client` under callgrind, the stand-in server in a process of
/// its own (not counted), each side's count per workflow the difference between `LARGE` and
/// `SMALL` runs (each the median of `REPEATS`), and each side's workflow future size.
pub fn client_only() -> ExitCode {
    let Some(examples) = super::bench_peers::examples() else {
        return ExitCode::FAILURE;
    };
    let (server, url) = match super::bench_peers::stand_in(Command::new(examples.join("stand_in")))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    };
    let client = examples.join("seed_client");
    let mut rows = Vec::new();
    // The two sides as users meet them, then each with the other's guarantees: the generated
    // client without its time and size bounds, the hand-written one with them (and spans).
    for side in SIDES {
        let count_runs = |runs: u64| {
            let mut counts = (0..REPEATS)
                .map(|_| {
                    let args = [side.to_owned(), url.clone(), runs.to_string()];
                    callgrind(&client, &args, &format!("{side}-{runs}"))
                })
                .collect::<Option<Vec<u64>>>()?;
            counts.sort_unstable();
            counts.get(REPEATS / 2).copied()
        };
        let (Some(small), Some(large)) = (count_runs(SMALL), count_runs(LARGE)) else {
            return ExitCode::FAILURE;
        };
        let per_run = large.saturating_sub(small) as f64 / (LARGE - SMALL) as f64;
        let bytes = Command::new(&client)
            .args([side, url.as_str(), "1"])
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("future_bytes=")?.parse::<u64>().ok())
            })
            .unwrap_or(0);
        eprintln!("xtask: {side}: {small} / {large} instructions → {per_run:.0} per workflow");
        rows.push((side, per_run, bytes));
    }
    drop(server);
    let count = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .map_or(1.0, |r| r.1.max(1.0))
    };
    let (hand, bounded) = (count("hand-written"), count("hand-written-bounded"));
    println!(
        "| client only | instructions per workflow | ratio to hand-written | \
         ratio to hand-written-bounded | workflow future |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (side, per_run, bytes) in &rows {
        println!(
            "| {side} | {:.1} k | {:.3}× | {:.3}× | {bytes} bytes |",
            per_run / 1000.0,
            per_run / hand,
            per_run / bounded,
        );
    }
    ExitCode::SUCCESS
}

fn median(binary: &Path, case: &str, samples: u64) -> Option<u64> {
    let mut counts = (0..REPEATS)
        .map(|_| count(binary, case, samples))
        .collect::<Option<Vec<u64>>>()?;
    counts.sort_unstable();
    counts.get(REPEATS / 2).copied()
}

/// Instructions of one callgrind run of `case` with `samples` samples of one iteration.
fn count(binary: &Path, case: &str, samples: u64) -> Option<u64> {
    let args = [
        "--bench".to_owned(),
        case.to_owned(),
        "--sample-size".to_owned(),
        "1".to_owned(),
        "--sample-count".to_owned(),
        samples.to_string(),
    ];
    callgrind(binary, &args, &format!("{case}-{samples}"))
}

/// Instructions of one callgrind run of `binary` with `args`.
fn callgrind(binary: &Path, args: &[String], case: &str) -> Option<u64> {
    let out = std::env::temp_dir().join(format!("arazzo-callgrind-{case}.out"));
    let status = Command::new("valgrind")
        .args(["--tool=callgrind", "--quiet"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(binary)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            eprintln!("xtask: valgrind {case} failed ({s})");
            return None;
        }
        Err(e) => {
            eprintln!("xtask: could not start valgrind (is it installed?): {e}");
            return None;
        }
    }
    let text = std::fs::read_to_string(&out).ok()?;
    let _ = std::fs::remove_file(&out);
    let total = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok());
    if total.is_none() {
        eprintln!("xtask: no instruction total in callgrind's output for {case}");
    }
    total
}
