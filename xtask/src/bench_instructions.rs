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

fn median(binary: &Path, case: &str, samples: u64) -> Option<u64> {
    let mut counts = (0..REPEATS)
        .map(|_| count(binary, case, samples))
        .collect::<Option<Vec<u64>>>()?;
    counts.sort_unstable();
    counts.get(REPEATS / 2).copied()
}

/// Instructions of one callgrind run of `case` with `samples` samples of one iteration.
fn count(binary: &Path, case: &str, samples: u64) -> Option<u64> {
    let out = std::env::temp_dir().join(format!("arazzo-callgrind-{case}-{samples}.out"));
    let status = Command::new("valgrind")
        .args(["--tool=callgrind", "--quiet"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(binary)
        .args(["--bench", case, "--sample-size", "1", "--sample-count"])
        .arg(samples.to_string())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            eprintln!("xtask: valgrind {case} ({samples} samples) failed ({s})");
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
