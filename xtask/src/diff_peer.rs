//! `cargo xtask diff-peer [--cases N] [--seed S]`: the Jentic `arazzo-runner` (PyPI, pinned,
//! in a virtual environment under `.tools/`) and the generated code, on the same cases and the
//! same scripted stand-in answers (`conformance`'s cases, and every case kept in
//! `fixtures/conformance/`, project fixtures included). The requests and the outcome (outputs, or failed) must agree,
//! unless the case uses a construct where the two differ on purpose: each such divergence is
//! listed once below and in docs/decisions.md ("The Jentic runner, compared"), with its reason.
//! A disagreement on a case that uses none of them is a failure to explain.

use std::collections::BTreeMap;
use std::process::Command;

use conformance::case::{Case, Outcome};

use super::conformance::Prepared;
use serde_json::Value;

/// The constructs on which the peer and this project differ on purpose, by name, with what the
/// peer does (docs/decisions.md gives the reasons).
pub const DIVERGENCES: &[(&str, &str)] = &[
    (
        "goto-workflow",
        "starts the workflow a `goto` names but never runs it, and goes on with the next step",
    ),
    (
        "retry",
        "does not run a step again on `retry`: it goes on with the next step (and never reads `retryLimit`)",
    ),
    (
        "workflow-actions",
        "ignores a workflow's `successActions` and `failureActions`",
    ),
    (
        "step-depends-on",
        "ignores step `dependsOn`: steps run in document order",
    ),
    (
        "workflow-depends-on",
        "runs a workflow's `dependsOn` each time a workflow names it: a dependency shared by two runs twice",
    ),
    (
        "workflows-expression",
        "has no `$workflows.<id>…` expressions (it reads a `$dependencies.<id>.<name>` of its own): such a read is null",
    ),
    (
        "loop",
        "has no step budget: a loop that does not end never returns",
    ),
    (
        "failed-step-outputs",
        "keeps a failed step's outputs (read from the failed response) when the run goes on",
    ),
    (
        "action-criteria",
        "evaluates an action's criteria without the step's response: `$statusCode` is absent (a comparison with it is false) and `$response…` raises, after which the workflow goes on with the next step",
    ),
    (
        "absent-payload-value",
        "sends a payload member whose value is absent as `null`; the generated code leaves it out",
    ),
];

/// Runs the peer on every prepared case (whose generated code already ran) and compares.
pub fn compare(prepared: &Prepared) -> Result<bool, String> {
    let root = super::workspace();
    let python = super::bench_peers::python_runner(&root)
        .ok_or("the Python arazzo-runner could not be installed, so nothing was compared")?;
    eprintln!("xtask: the Python arazzo-runner on every case");
    let mut child = Command::new(&python)
        .arg(root.join("xtask/peers/arazzo_runner_cases.py"))
        .arg(&prepared.dir)
        .spawn()
        .map_err(|e| format!("cannot run the peer: {e}"))?;
    // A guard, not a speed target: each case has 3 s of patience in the script, so this is
    // far past what a working run takes; a hung peer fails the run instead of the CI's limit.
    let guard = std::time::Duration::from_secs(60 + 4 * prepared.expected.len() as u64);
    let started = std::time::Instant::now();
    let status = loop {
        match child
            .try_wait()
            .map_err(|e| format!("cannot wait for the peer: {e}"))?
        {
            Some(status) => break status,
            None if started.elapsed() > guard => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the peer's script ran past {} s and was stopped: a case hangs",
                    guard.as_secs()
                ));
            }
            None => std::thread::sleep(std::time::Duration::from_millis(200)),
        }
    };
    if !status.success() {
        return Err(format!("the peer's script failed ({status})"));
    }
    let mut agreed = 0;
    let mut explained: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unexplained = 0;
    for (case, _) in &prepared.expected {
        let here = prepared.dir.join(&case.name);
        let generated = super::conformance::actual(prepared, case)?;
        let text = std::fs::read_to_string(here.join("peer.json")).map_err(|e| e.to_string())?;
        let peer: Outcome = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if agree(&generated, &peer) {
            agreed += 1;
            continue;
        }
        let found = constructs(case);
        if found.is_empty() {
            unexplained += 1;
            eprintln!(
                "\nxtask: diff-peer: case {} disagrees, and uses none of the listed divergences ({}):\n  generated: {}\n  peer:      {}",
                case.name,
                here.join("flow.arazzo.yaml").display(),
                super::conformance::show(&generated),
                super::conformance::show(&peer)
            );
        } else {
            for f in found {
                *explained.entry(f).or_default() += 1;
            }
        }
    }
    let compared = prepared.expected.len();
    eprintln!(
        "xtask: diff-peer: {compared} cases run by both; {agreed} agree, {} differ where a listed divergence applies, {unexplained} differ without one",
        compared - agreed - unexplained
    );
    for (name, what) in DIVERGENCES {
        let n = explained.get(name).copied().unwrap_or(0);
        eprintln!("  {n:>4} with {name}: the peer {what}");
    }
    Ok(unexplained == 0)
}

/// Whether the two sides did the same: the same requests, and the same outputs or both failed
/// (their errors are not comparable).
fn agree(generated: &Outcome, peer: &Outcome) -> bool {
    generated.requests == peer.requests
        && match (&generated.result, &peer.result) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        }
}

/// The listed divergences whose constructs `case` uses.
fn constructs(case: &Case) -> Vec<&'static str> {
    let doc: Value = serde_yaml::from_str(&case.arazzo).unwrap_or(Value::Null);
    let workflows = doc
        .get("workflows")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut note = |name: &'static str, holds: bool| {
        if holds && !found.contains(&name) {
            found.push(name);
        }
    };
    note("workflows-expression", case.arazzo.contains("$workflows."));
    for w in &workflows {
        note("workflow-depends-on", w.get("dependsOn").is_some());
        note(
            "workflow-actions",
            w.get("successActions").is_some() || w.get("failureActions").is_some(),
        );
        let steps = w
            .get("steps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let position = |id: &str| {
            steps
                .iter()
                .position(|s| s.get("stepId").and_then(Value::as_str) == Some(id))
        };
        for (i, step) in steps.iter().enumerate() {
            note("step-depends-on", step.get("dependsOn").is_some());
            note(
                "absent-payload-value",
                step.pointer("/requestBody/payload")
                    .and_then(Value::as_object)
                    .is_some_and(|p| {
                        p.values()
                            .any(|v| v.as_str().is_some_and(|t| t.starts_with('$')))
                    }),
            );
            for (list, failure) in [("onSuccess", false), ("onFailure", true)] {
                for a in step
                    .get(list)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let kind = a.get("type").and_then(Value::as_str).unwrap_or_default();
                    note("action-criteria", a.get("criteria").is_some());
                    note("retry", kind == "retry");
                    note(
                        "goto-workflow",
                        kind == "goto" && a.get("workflowId").is_some(),
                    );
                    let target = a.get("stepId").and_then(Value::as_str).and_then(position);
                    note("loop", kind == "goto" && target.is_some_and(|t| t <= i));
                    note(
                        "failed-step-outputs",
                        failure && kind == "goto" && target.is_some(),
                    );
                }
            }
        }
    }
    found
}
