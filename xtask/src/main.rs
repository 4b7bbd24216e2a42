//! Project automation. `cargo xtask test` is the one command CI runs (`.ci/run`).

mod bench_compile;
mod bench_corpus;
mod bench_durable;
mod bench_instructions;
mod bench_peers;
mod brokers;
mod conformance;
mod debian;
mod diff_peer;
mod fixture_cases;
mod npm;
mod oidc;
mod package;
mod prism;
mod restate;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test            regen --check, format check, clippy (-D warnings), every test, package, 300
                  generated workflows against the reference semantics and the Python
                  arazzo-runner
  regen           regenerate the checked-in generated code and every snapshot
  regen --check   fail if the checked-in generated code differs from a fresh generation
  package         package the four published crates (cargo package --workspace) and run
                  each one's tests from its unpacked form, against the others' packages
  conformance [--cases N] [--seed S]
                  generated documents (N general and N plain, default 150, from seed S) and
                  every case kept in fixtures/conformance/: their generated code against the
                  reference interpreter on the same scripted servers
  diff-peer [--cases N] [--seed S]
                  conformance, and the Python arazzo-runner (PyPI, pinned, in .tools/) on the
                  same cases; a disagreement on a case that uses none of the listed
                  divergences fails
  bench-corpus    every Arazzo document of the shared corpus (ARAZZO_UPSTREAM_FIXTURES),
                  checked and generated: the median and worst generation/check time ratio
  bench-compile [RUNS]
                  build time after touching the seed Arazzo file vs its hand-written
                  equivalent (median of RUNS, default 5), as a Markdown table
  bench-instructions [--client]
                  instructions per run of the seed workflow, generated vs hand-written
                  (callgrind; needs valgrind), as a Markdown table; --client: the client
                  alone, the server in a process of its own, and the workflow future sizes
  bench-peers [ROUNDS] [RUNS]
                  time per run of the seed workflow: generated, hand-written and the
                  Python arazzo-runner (PyPI, pinned, in .tools/), on one stand-in server
                  pinned to one CPU (default 5 rounds of 300 runs), as a Markdown table
  bench-durable [RUNS]
                  time per run of the seed workflow, plain against durable through a real
                  Restate server (npm, pinned, in .tools/), in three rounds of RUNS runs a
                  side (default 200), as a Markdown table
";

/// Generated files checked in for review: `(fixture, file)`, relative to `generated-example/`.
const CHECKED_IN: &[(&str, &str)] = &[(
    "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml",
    "src/generated/create_conversation_with_webhook.rs",
)];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["test"] => test(),
        ["regen"] => regen(false),
        ["package"] => match package::check(&workspace(), env!("CARGO_PKG_VERSION")) {
            true => ExitCode::SUCCESS,
            false => ExitCode::FAILURE,
        },
        ["regen", "--check"] => regen(true),
        ["conformance", rest @ ..] => match conformance::args(rest) {
            Some((cases, seed)) => conformance::run(cases, seed, false),
            None => {
                eprint!("{USAGE}");
                ExitCode::from(2)
            }
        },
        ["diff-peer", rest @ ..] => match conformance::args(rest) {
            Some((cases, seed)) => conformance::run(cases, seed, true),
            None => {
                eprint!("{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench-corpus"] => bench_corpus::run(),
        ["bench-compile"] => bench_compile::run(5),
        ["bench-instructions"] => bench_instructions::run(),
        ["bench-instructions", "--client"] => bench_instructions::client_only(),
        ["bench-peers"] => bench_peers::run(5, 300),
        ["bench-durable"] => bench_durable::run(200),
        ["bench-durable", runs] => match runs.parse::<usize>() {
            Ok(n) if n > 0 => bench_durable::run(n),
            _ => {
                eprint!("{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench-peers", rounds, runs] => match (rounds.parse::<usize>(), runs.parse::<usize>()) {
            (Ok(r), Ok(n)) if r > 0 && n > 0 => bench_peers::run(r, n),
            _ => {
                eprint!("{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench-compile", runs] => match runs.parse::<usize>() {
            Ok(n) if n > 0 => bench_compile::run(n),
            _ => {
                eprint!("{USAGE}");
                ExitCode::from(2)
            }
        },
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    c.current_dir(workspace());
    c
}

fn run(what: &str, command: &mut Command) -> bool {
    eprintln!("xtask: {what}");
    match command.status() {
        Ok(status) if status.success() => true,
        Ok(status) => {
            eprintln!("xtask: {what} failed ({status})");
            false
        }
        Err(e) => {
            eprintln!("xtask: could not start {what}: {e}");
            false
        }
    }
}

/// Regenerates (or, with `check`, compares) the checked-in files; snapshots too when writing.
fn regen(check: bool) -> ExitCode {
    let example = workspace().join("generated-example");
    // Generated headers name the fixture relative to the working directory: keep it fixed.
    if let Err(e) = std::env::set_current_dir(&example) {
        eprintln!("xtask: cannot enter {}: {e}", example.display());
        return ExitCode::FAILURE;
    }
    let mut drift = Vec::new();
    for (fixture, file) in CHECKED_IN {
        let code = match arazzo_codegen::generate_file(
            Path::new(fixture),
            &arazzo_codegen::Settings::default(),
        ) {
            Ok((code, _)) => code,
            Err(report) => {
                eprintln!("{}", report.render());
                return ExitCode::FAILURE;
            }
        };
        let path = Path::new(file);
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if current == code {
            continue;
        }
        if check {
            drift.push(file.to_string());
        } else {
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(path, &code));
            if let Err(e) = written {
                eprintln!("xtask: cannot write {file}: {e}");
                return ExitCode::FAILURE;
            }
            eprintln!("xtask: regenerated generated-example/{file}");
        }
    }
    if check {
        if drift.is_empty() {
            eprintln!("xtask: checked-in generated code is up to date");
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "xtask: generated code is out of date: {}; run `cargo xtask regen` and review the diff",
            drift.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let mut snapshots = cargo();
    snapshots
        .args(["test", "--workspace", "--all-features", "--quiet"])
        .env("INSTA_UPDATE", "always")
        .env("INSTA_FORCE_PASS", "1");
    if run("cargo test (updating snapshots)", &mut snapshots) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn test() -> ExitCode {
    if std::env::var_os("ARAZZO_UPSTREAM_FIXTURES").is_none() {
        eprintln!(
            "xtask: ARAZZO_UPSTREAM_FIXTURES is not set: the upstream Arazzo suite will NOT run \
             (.ci/run sets it to ../shared/fixtures-upstream)"
        );
    }
    if regen(true) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let steps: [(&str, Command); 6] = [
        ("cargo fmt --check", {
            let mut c = cargo();
            c.args(["fmt", "--all", "--", "--check"]);
            c
        }),
        ("cargo clippy", {
            let mut c = cargo();
            c.args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]);
            c
        }),
        // As a user's crate builds without `arazzo-runtime`'s `mock` feature (test builds turn
        // it on through the dev-dependencies): generated modules compile without their test
        // doubles, which would not compile here if the runtime's gate let them through.
        ("cargo check -p generated-example (default features)", {
            let mut c = cargo();
            c.args(["check", "-p", "generated-example"]);
            c
        }),
        // The documentation users read, generated code's included: rustdoc's lints (a type
        // such as `array<object>` read as an HTML tag, a broken link) fail the run.
        ("cargo doc", {
            let mut c = cargo();
            c.args(["doc", "--no-deps", "--all-features", "-p", "arazzo-runtime"])
                .args(["-p", "arazzo-codegen", "-p", "generated-example"])
                .env("RUSTDOCFLAGS", "-D warnings");
            c
        }),
        // As a user's `cargo doc` documents the runtime: without its optional features, whose
        // items a link must not assume.
        ("cargo doc -p arazzo-runtime (default features)", {
            let mut c = cargo();
            c.args(["doc", "--no-deps", "-p", "arazzo-runtime"])
                .env("RUSTDOCFLAGS", "-D warnings");
            c
        }),
        ("cargo test", {
            let mut c = cargo();
            // A pending or mismatched snapshot fails the run instead of being written.
            c.args(["test", "--workspace", "--all-features", "--no-fail-fast"])
                .env("INSTA_UPDATE", "no");
            c
        }),
    ];
    // Prism runs while the tests do, and stops when `servers` is dropped, whatever happens.
    let upstream = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES").map(PathBuf::from);
    let servers = match prism::start_all(&workspace(), upstream.as_deref()) {
        Ok(servers) => servers,
        Err(e) => {
            eprintln!("xtask: the Prism conformance suite cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let provider = match oidc::start(&workspace()) {
        Ok(provider) => provider,
        Err(e) => {
            eprintln!("xtask: the OpenID Connect provider for the OAuth tests cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let brokers = match brokers::start(&workspace()) {
        Ok(brokers) => brokers,
        Err(e) => {
            eprintln!("xtask: the message brokers for the message step tests cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let restate = match restate::install(&workspace()) {
        Ok(restate) => restate,
        Err(e) => {
            eprintln!(
                "xtask: the Restate server for the durable-run tests cannot be installed: {e}"
            );
            return ExitCode::FAILURE;
        }
    };
    let mut steps = steps;
    if let Some((_, test)) = steps.last_mut() {
        test.env(restate.0, &restate.1);
        for (var, value) in servers.env.iter().chain(&brokers.env) {
            test.env(var, value);
        }
        test.env(provider.env.0, &provider.env.1);
    }
    for (what, mut command) in steps {
        if !run(what, &mut command) {
            return ExitCode::FAILURE;
        }
    }
    if !package::check(&workspace(), env!("CARGO_PKG_VERSION")) {
        return ExitCode::FAILURE;
    }
    let violations = prism::violations(&servers);
    if !violations.is_empty() {
        eprintln!(
            "xtask: Prism found invalid requests:\n  {}",
            violations.join("\n  ")
        );
        return ExitCode::FAILURE;
    }
    // Second opinions: generated documents, their generated code against the reference
    // interpreter and against the Python arazzo-runner (`cargo xtask diff-peer --cases N`
    // runs more).
    eprintln!(
        "xtask: conformance (generated workflows against the reference semantics and a peer)"
    );
    conformance::run(conformance::DEFAULT_CASES, conformance::DEFAULT_SEED, true)
}
