//! `cargo xtask conformance [--cases N] [--seed S]`: the generated code of documents nobody
//! chose, against the reference interpreter (crate `conformance`), on the same scripted
//! servers. Every case kept under `fixtures/conformance/` runs too: the cases that once
//! disagreed, and project fixtures with scripts of their own (`project-fixtures.yaml`). A
//! disagreement prints both sides and how to keep the case. `diff-peer` (and
//! `cargo xtask test`) also run the Python arazzo-runner on the same cases (`diff_peer.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use conformance::case::{Case, Outcome};

/// What `cargo xtask test` runs: a fixed seed, this many cases of each family (the general
/// ones and the plain ones), a few hundred in all.
pub const DEFAULT_CASES: usize = 150;
pub const DEFAULT_SEED: u64 = 28;

/// Compares the generated code with the reference on `count` cases of each family from
/// `seed`, and with the Python arazzo-runner too when `peer`.
pub fn run(count: usize, seed: u64, peer: bool) -> ExitCode {
    let outcome = cases(count, seed).and_then(|(all, kept)| {
        let prepared = prepare(all)?;
        run_generated(&prepared)?;
        let agreed = compare(&prepared, kept, count, seed)?;
        let peer_agreed = if peer {
            super::diff_peer::compare(&prepared)?
        } else {
            true
        };
        Ok(agreed && peer_agreed)
    });
    match outcome {
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

/// The cases kept as JSON, then those made from the project's fixtures.
fn kept(root: &Path) -> Result<Vec<Case>, String> {
    let mut all = kept_json(root)?;
    all.extend(super::fixture_cases::cases(root)?);
    Ok(all)
}

fn kept_json(root: &Path) -> Result<Vec<Case>, String> {
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

/// The cases written out, checked and run by the reference: what `compare` and `diff-peer`
/// start from.
pub struct Prepared {
    pub dir: PathBuf,
    pub expected: Vec<(Case, Outcome)>,
    refused: BTreeMap<String, usize>,
    unsupported: BTreeMap<String, usize>,
    pub broken: Vec<String>,
}

/// Every case kept in `fixtures/conformance/`, and `count` generated from `seed` of each
/// family: the general cases and the plain ones (which every runner should run alike).
pub fn cases(count: usize, seed: u64) -> Result<(Vec<Case>, usize), String> {
    let mut all = kept(&super::workspace())?;
    let kept_count = all.len();
    all.extend(conformance::strategy::cases(seed, count));
    all.extend(conformance::strategy::plain_cases(seed, count));
    Ok((all, kept_count))
}

/// Writes each case under `target/conformance/cases/`, keeps those the checker accepts and the
/// reference can run, with what the reference gave.
pub fn prepare(all: Vec<Case>) -> Result<Prepared, String> {
    let dir = super::workspace().join("target/conformance/cases");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut prepared = Prepared {
        dir: dir.clone(),
        expected: Vec::new(),
        refused: BTreeMap::new(),
        unsupported: BTreeMap::new(),
        broken: Vec::new(),
    };
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
            prepared.broken.push(format!(
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
            *prepared.refused.entry(codes.join(", ")).or_default() += 1;
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
                prepared.expected.push((case, outcome));
            }
            Err(why) => {
                *prepared.unsupported.entry(why.0).or_default() += 1;
                let _ = std::fs::remove_dir_all(&here);
            }
        }
    }
    Ok(prepared)
}

/// Builds the generated code of the prepared cases into one binary and runs it: each case gets
/// `actual.json`.
pub fn run_generated(prepared: &Prepared) -> Result<(), String> {
    let built = super::run(
        "cargo run -p conformance --bin run_cases",
        super::cargo()
            .args(["run", "--quiet", "-p", "conformance", "--bin", "run_cases"])
            .env("ARAZZO_CONFORMANCE_CASES", &prepared.dir),
    );
    if built {
        Ok(())
    } else {
        Err("the generated cases did not build or run".to_owned())
    }
}

/// What the generated code of `case` gave (`actual.json`), or why there is nothing.
pub fn actual(prepared: &Prepared, case: &Case) -> Result<Outcome, String> {
    let here = prepared.dir.join(&case.name);
    if let Ok(why) = std::fs::read_to_string(here.join("not-generated.txt")) {
        return Err(format!("checked, then not generated:\n{why}"));
    }
    let text = std::fs::read_to_string(here.join("actual.json")).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|_| text)
}

fn compare(
    prepared: &Prepared,
    kept_count: usize,
    count: usize,
    seed: u64,
) -> Result<bool, String> {
    let mut disagreements = 0;
    let mut broken = prepared.broken.clone();
    for (case, want) in &prepared.expected {
        match actual(prepared, case) {
            Ok(got) if got == *want => {}
            Ok(got) => {
                disagreements += 1;
                let here = prepared.dir.join(&case.name);
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
            Err(why) => broken.push(format!("{}: {why}", case.name)),
        }
    }
    eprintln!(
        "xtask: conformance: {} cases ({} kept, {count} general and {count} plain of seed {seed}); {} refused by the checker, {} outside the reference's reach, {} compared, {} disagreed",
        kept_count + 2 * count,
        kept_count,
        prepared.refused.values().sum::<usize>(),
        prepared.unsupported.values().sum::<usize>(),
        prepared.expected.len(),
        disagreements
    );
    for (codes, n) in &prepared.refused {
        eprintln!("  refused {n}×: {codes}");
    }
    for (why, n) in &prepared.unsupported {
        eprintln!("  not run by the reference {n}×: {why}");
    }
    for b in &broken {
        eprintln!("\nxtask: conformance: {b}");
    }
    Ok(disagreements == 0 && broken.is_empty())
}

pub fn show(outcome: &Outcome) -> String {
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
