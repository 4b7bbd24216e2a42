//! `cargo xtask bench-corpus`: every Arazzo document of the shared corpus
//! (`$ARAZZO_UPSTREAM_FIXTURES/arazzo`), checked and generated (lenient compatibility, as other
//! runners' documents need), and the ratio of the two times per document: generation must stay
//! within a small factor of what checking (loading and parsing everything) costs, whatever the
//! document. Reports the median and the worst ratio, as a Markdown table for BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use arazzo_codegen::{Compatibility, Settings, check_file, generate_file, work};

/// Each side's time is the fastest of this many runs.
const RUNS: usize = 3;

pub fn run() -> ExitCode {
    let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES").map(PathBuf::from) else {
        eprintln!(
            "xtask: bench-corpus needs ARAZZO_UPSTREAM_FIXTURES (the shared corpus); nothing was measured"
        );
        return ExitCode::FAILURE;
    };
    let dir = super::workspace().join(dir).join("arazzo");
    let mut documents = Vec::new();
    collect(&dir, &mut documents);
    documents.sort();
    // Each run reads and parses everything again: the per-process cache would make checking
    // look free.
    let settings = Settings::new()
        .with_compatibility(Compatibility::Lenient)
        .with_parse_cache(false);
    let mut rows: Vec<(f64, f64, u64, u64, String)> = Vec::new();
    let mut refused = 0;
    for doc in &documents {
        let (check, check_work) = fastest(|| {
            let _ = check_file(doc, &settings);
        });
        let generated = generate_file(doc, &settings).is_ok();
        if !generated {
            refused += 1;
            continue;
        }
        let (generate, generate_work) = fastest(|| {
            let _ = generate_file(doc, &settings);
        });
        let name = doc
            .strip_prefix(&dir)
            .map_or_else(|_| doc.display().to_string(), |p| p.display().to_string());
        rows.push((
            generate.as_secs_f64() / check.as_secs_f64().max(1e-9),
            check.as_secs_f64() * 1e3,
            check_work,
            generate_work,
            name,
        ));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(worst) = rows.last() else {
        eprintln!(
            "xtask: bench-corpus: no document of {} generates",
            dir.display()
        );
        return ExitCode::FAILURE;
    };
    let median = rows.get(rows.len() / 2).map_or(0.0, |r| r.0);
    println!(
        "| shared corpus: {} Arazzo documents, {} generated (lenient), {refused} refused | generation / check |",
        documents.len(),
        rows.len()
    );
    println!("|---|---:|");
    println!("| median | {median:.2}× |");
    for r in rows.iter().rev().take(5) {
        println!(
            "| `{}` (check {:.1} ms, work {} → {}) | {:.2}× |",
            r.4, r.1, r.2, r.3, r.0
        );
    }
    eprintln!(
        "xtask: bench-corpus: worst ratio {:.2}× ({})",
        worst.0, worst.4
    );
    ExitCode::SUCCESS
}

/// The fastest of `RUNS` runs of `f`, and the work units it counted.
fn fastest(mut f: impl FnMut()) -> (Duration, u64) {
    let mut best = Duration::MAX;
    let mut units = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let ((), counted) = work::counted(&mut f);
        best = best.min(start.elapsed());
        units = counted;
    }
    (best, units)
}

/// The Arazzo documents under `dir`: YAML or JSON files whose text declares `arazzo`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
            continue;
        }
        let named = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if !named {
            continue;
        }
        let declares = std::fs::read_to_string(&path).is_ok_and(|t| {
            t.lines()
                .take(20)
                .any(|l| l.trim_start().starts_with("arazzo:") || l.contains("\"arazzo\""))
        });
        if declares {
            out.push(path);
        }
    }
}
