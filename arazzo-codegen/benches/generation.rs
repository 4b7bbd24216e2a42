//! Generation against the cost of only parsing the same description (`cargo bench -p
//! arazzo-codegen`). Needs `ARAZZO_UPSTREAM_FIXTURES` (Twilio's real descriptions); without it
//! the benchmarks say so and measure nothing. Results and the machine are in BENCHMARKS.md.

use std::path::PathBuf;

use arazzo_codegen::{Settings, generate_file};

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES") else {
        eprintln!("ARAZZO_UPSTREAM_FIXTURES is not set: the generation benchmarks were NOT run");
        return;
    };
    if !upstream_dir(&dir).is_dir() {
        eprintln!(
            "ARAZZO_UPSTREAM_FIXTURES is set but `{}` is not a folder",
            upstream_dir(&dir).display()
        );
        std::process::exit(1);
    }
    divan::main();
}

/// The folder, relative paths taken from the workspace root (as `.ci/run` gives it), since
/// Cargo runs benchmarks from the package's folder.
fn upstream_dir(dir: &std::ffi::OsStr) -> PathBuf {
    workspace("").join(dir)
}

fn upstream(file: &str) -> PathBuf {
    upstream_dir(&std::env::var_os("ARAZZO_UPSTREAM_FIXTURES").unwrap_or_default())
        .join("twilio")
        .join(file)
}

fn workspace(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(file)
}

/// `(label, Arazzo document, source name, real description)`.
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "conversations_680kb",
        "fixtures/twilio/create-conversation-with-webhook.arazzo.yaml",
        "conversations",
        "twilio_conversations_v1.yaml",
    ),
    (
        "api_v2010_1_5mb",
        "fixtures/bench/api-v2010-send-message.arazzo.yaml",
        "api",
        "twilio_api_v2010.yaml",
    ),
];

#[divan::bench(args = ["conversations_680kb", "api_v2010_1_5mb"])]
fn bare_serde_yaml_parse(bencher: divan::Bencher, label: &str) {
    let Some((_, _, _, real)) = CASES.iter().find(|c| c.0 == label) else {
        return;
    };
    let text = std::fs::read_to_string(upstream(real))
        .unwrap_or_else(|e| panic!("{}: {e}", upstream(real).display()));
    bencher.bench(|| serde_yaml::from_str::<serde_yaml::Value>(divan::black_box(&text)).is_ok());
}

#[divan::bench(args = ["conversations_680kb", "api_v2010_1_5mb"])]
fn load_check_generate(bencher: divan::Bencher, label: &str) {
    let Some((_, document, source, real)) = CASES.iter().find(|c| c.0 == label) else {
        return;
    };
    let settings = Settings::default()
        .with_source_file(*source, upstream(real))
        .with_parse_cache(false);
    let path = workspace(document);
    // A benchmark of a failing generation would measure nothing worth knowing.
    if let Err(report) = generate_file(&path, &settings) {
        panic!("{}", report.render());
    }
    bencher.bench(|| {
        generate_file(divan::black_box(&path), &settings)
            .map(|(code, _)| code.len())
            .unwrap_or(0)
    });
}
