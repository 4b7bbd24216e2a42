//! Project automation. `cargo xtask test` is the one command CI runs (`.ci/run`).

use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test    format check, clippy (-D warnings) and every test of the workspace
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
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

fn test() -> ExitCode {
    if std::env::var_os("ARAZZO_UPSTREAM_FIXTURES").is_none() {
        eprintln!(
            "xtask: ARAZZO_UPSTREAM_FIXTURES is not set: the upstream Arazzo suite will NOT run \
             (.ci/run sets it to ../shared/fixtures-upstream)"
        );
    }
    let steps: [(&str, Command); 3] = [
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
                "--",
                "-D",
                "warnings",
            ]);
            c
        }),
        ("cargo test", {
            let mut c = cargo();
            // A pending or mismatched snapshot fails the run instead of being written.
            c.args(["test", "--workspace"]).env("INSTA_UPDATE", "no");
            c
        }),
    ];
    for (what, mut command) in steps {
        if !run(what, &mut command) {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
