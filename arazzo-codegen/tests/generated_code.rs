//! The generated code of every fixture that generates, pinned for review. `generated-example`
//! compiles the same modules under `#![deny(warnings)]` and runs them against mock servers.

use arazzo_codegen::{Settings, generate_file};

/// Snapshots the module of every Arazzo document in `fixtures/<folder>`; returns how many.
fn snapshot_all(folder: &str) -> usize {
    let dir = std::path::Path::new("../fixtures").join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".arazzo.yaml"))
        .collect();
    names.sort();
    for name in &names {
        let (code, report) = generate_file(&dir.join(name), &Settings::default())
            .unwrap_or_else(|r| panic!("{name}:\n{}", r.render()));
        assert!(
            report.diagnostics().is_empty(),
            "{name}:\n{}",
            report.render()
        );
        let stem = name.trim_end_matches(".arazzo.yaml");
        laid_out_as_rustfmt_would(name, &code);
        insta::assert_snapshot!(format!("{folder}__{stem}"), code);
    }
    names.len()
}

/// The layout a reader of hand-written Rust expects: lines of at most 100 characters (doc
/// comments wrapped), and a blank line between items.
fn laid_out_as_rustfmt_would(name: &str, code: &str) {
    for (i, line) in code.lines().enumerate() {
        assert!(
            line.chars().count() <= 100,
            "{name}:{}: a line of {} characters:\n{line}",
            i + 1,
            line.chars().count()
        );
    }
    let lines: Vec<&str> = code.lines().collect();
    for pair in lines.windows(2) {
        let [prev, next] = pair else { continue };
        let item = [
            "pub fn ",
            "fn ",
            "async fn ",
            "pub async fn ",
            "impl",
            "mod ",
            "struct ",
            "enum ",
            "///",
        ]
        .iter()
        .any(|start| next.trim_start().starts_with(start));
        let same_indent =
            prev.len() - prev.trim_start().len() == next.len() - next.trim_start().len();
        assert!(
            !(prev.trim() == "}" && item && same_indent),
            "{name}: no blank line between items:\n{prev}\n{next}"
        );
    }
}

#[test]
fn twilio_fixtures_generate_reviewed_code() {
    assert_eq!(snapshot_all("twilio"), 4);
}

#[test]
fn request_shape_fixtures_generate_reviewed_code() {
    assert!(snapshot_all("codegen") >= 1);
}

#[test]
fn valid_fixtures_generate_reviewed_code() {
    assert!(snapshot_all("valid") >= 1);
}

#[test]
fn generation_is_deterministic() {
    let path = std::path::Path::new("../fixtures/codegen/requests.arazzo.yaml");
    let first = generate_file(path, &Settings::default())
        .map(|(c, _)| c)
        .unwrap_or_default();
    let second = generate_file(path, &Settings::default())
        .map(|(c, _)| c)
        .unwrap_or_default();
    assert!(!first.is_empty());
    assert_eq!(first, second);
}
