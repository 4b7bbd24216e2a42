//! `cargo xtask conformance [--cases N] [--seed S]`: the generated code of documents nobody
//! chose, against the reference interpreter (crate `conformance`), on the same scripted
//! servers. Every case kept under `fixtures/conformance/` runs too: the cases that once
//! disagreed. A disagreement prints both sides and how to keep the case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use conformance::case::{Case, Outcome};

/// What `cargo xtask test` runs: a fixed seed, a few hundred cases.
pub const DEFAULT_CASES: usize = 200;
pub const DEFAULT_SEED: u64 = 28;

pub fn run(cases: usize, seed: u64) -> ExitCode {
    match compare(cases, seed) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: conformance: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--cases N --seed S`.
pub fn args(args: &[&str]) -> Option<(usize, u64)> {
    let (mut cases, mut seed) = (DEFAULT_CASES, DEFAULT_SEED);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next()?;
        match *flag {
            "--cases" => cases = value.parse().ok()?,
            "--seed" => seed = value.parse().ok()?,
            _ => return None,
        }
    }
    Some((cases, seed))
}

fn kept(root: &Path) -> Result<Vec<Case>, String> {
    let dir = root.join("fixtures/conformance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))
        })
        .collect()
}

fn compare(count: usize, seed: u64) -> Result<bool, String> {
    let root = super::workspace();
    let dir = root.join("target/conformance/cases");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut all = kept(&root)?;
    let kept_count = all.len();
    all.extend(conformance::strategy::cases(seed, count));
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    let mut unsupported: BTreeMap<String, usize> = BTreeMap::new();
    let mut expected: Vec<(Case, Outcome)> = Vec::new();
    let mut broken = Vec::new();
    for case in all {
        let here = dir.join(&case.name);
        std::fs::create_dir_all(&here).map_err(|e| e.to_string())?;
        let write = |name: &str, text: String| {
            std::fs::write(here.join(name), text).map_err(|e| e.to_string())
        };
        write("flow.arazzo.yaml", case.arazzo.clone())?;
        write(
            "api.openapi.json",
            serde_json::to_string_pretty(&case.openapi).map_err(|e| e.to_string())?,
        )?;
        let report = arazzo_codegen::check_file(
            &here.join("flow.arazzo.yaml"),
            &arazzo_codegen::Settings::default(),
        );
        if report
            .diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "internal-error")
        {
            broken.push(format!(
                "{}: the checker broke:\n{}",
                case.name,
                report.render()
            ));
        }
        if report.has_errors() {
            let codes: Vec<&str> = report
                .diagnostics()
                .iter()
                .filter(|d| d.severity == arazzo_codegen::Severity::Error)
                .map(|d| d.code.as_str())
                .collect();
            *refused.entry(codes.join(", ")).or_default() += 1;
            let _ = std::fs::remove_dir_all(&here);
            continue;
        }
        match conformance::reference::run(&case) {
            Ok(outcome) => {
                write(
                    "case.json",
                    serde_json::to_string_pretty(&case).map_err(|e| e.to_string())?,
                )?;
                write(
                    "expected.json",
                    serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string())?,
                )?;
                expected.push((case, outcome));
            }
            Err(why) => {
                *unsupported.entry(why.0).or_default() += 1;
                let _ = std::fs::remove_dir_all(&here);
            }
        }
    }
    let built = super::run(
        "cargo run -p conformance --bin run_cases",
        super::cargo()
            .args(["run", "--quiet", "-p", "conformance", "--bin", "run_cases"])
            .env("ARAZZO_CONFORMANCE_CASES", &dir),
    );
    if !built {
        return Err("the generated cases did not build or run".to_owned());
    }
    let mut disagreements = 0;
    for (case, want) in &expected {
        let here = dir.join(&case.name);
        if let Ok(why) = std::fs::read_to_string(here.join("not-generated.txt")) {
            broken.push(format!(
                "{}: checked, then not generated:\n{why}",
                case.name
            ));
            continue;
        }
        let text = std::fs::read_to_string(here.join("actual.json")).map_err(|e| e.to_string())?;
        let got: Result<Outcome, _> = serde_json::from_str(&text);
        match got {
            Ok(got) if got == *want => {}
            Ok(got) => {
                disagreements += 1;
                eprintln!(
                    "\nxtask: conformance: case {} disagrees ({}):\n  reference: {}\n  generated: {}\n  to keep it: cp {} fixtures/conformance/{}.json",
                    case.name,
                    here.join("flow.arazzo.yaml").display(),
                    show(want),
                    show(&got),
                    here.join("case.json").display(),
                    case.name
                );
            }
            Err(_) => broken.push(format!("{}: {text}", case.name)),
        }
    }
    eprintln!(
        "xtask: conformance: {} cases ({} kept, seed {seed}); {} refused by the checker, {} outside the reference's reach, {} compared, {} disagreed",
        kept_count + count,
        kept_count,
        refused.values().sum::<usize>(),
        unsupported.values().sum::<usize>(),
        expected.len(),
        disagreements
    );
    for (codes, n) in &refused {
        eprintln!("  refused {n}×: {codes}");
    }
    for (why, n) in &unsupported {
        eprintln!("  not run by the reference {n}×: {why}");
    }
    for b in &broken {
        eprintln!("\nxtask: conformance: {b}");
    }
    Ok(disagreements == 0 && broken.is_empty())
}

fn show(outcome: &Outcome) -> String {
    let result = match &outcome.result {
        Ok(outputs) => format!("ok {}", conformance::case::canonical(outputs)),
        Err(f) => format!(
            "{} in {}/{} (status {:?})",
            f.kind,
            f.workflow,
            f.step.as_deref().unwrap_or("-"),
            f.status
        ),
    };
    format!("{result}\n    requests: {}", outcome.requests.join(" | "))
}
