//! `cargo xtask bench-durable [RUNS]`: the seed workflow's time per run, plain against durable
//! (through a real Restate server, pinned from npm), both against the same generated mock;
//! the ignored `durable_overhead` test of `generated-example/tests/durable.rs`, built in release.

use std::process::ExitCode;

pub fn run(runs: usize) -> ExitCode {
    let (var, binary) = match super::restate::install(&super::workspace()) {
        Ok(installed) => installed,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut command = super::cargo();
    command
        .args([
            "test",
            "--release",
            "-p",
            "generated-example",
            "--all-features",
        ])
        .args(["--test", "durable", "durable_overhead", "--"])
        .args(["--ignored", "--nocapture", "--test-threads=1"])
        .env(var, binary)
        .env("DURABLE_RUNS", runs.to_string());
    if super::run("the durable overhead benchmark", &mut command) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
