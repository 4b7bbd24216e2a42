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
fn message_fixtures_generate_reviewed_code() {
    assert_eq!(snapshot_all("asyncapi"), 2);
}

#[test]
fn oauth_fixtures_generate_reviewed_code() {
    assert_eq!(snapshot_all("oauth"), 2);
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

/// Arazzo 1.1 reads every 1.0 document the same way: a 1.0.1 fixture whose version line says
/// 1.1.0 generates the same module, byte for byte below the header.
#[test]
fn a_1_0_document_declared_1_1_generates_the_same_code() {
    let from = std::path::Path::new("../fixtures/codegen");
    let to = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("declared-1-1");
    std::fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let mut compared = 0;
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_else(|e| panic!("{e}"));
        let text = match text.strip_prefix("arazzo: 1.0.1\n") {
            Some(rest) => format!("arazzo: 1.1.0\n{rest}"),
            None => text,
        };
        std::fs::write(to.join(&name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let name = entry.unwrap_or_else(|e| panic!("{e}")).file_name();
        let name = name.to_string_lossy();
        let original = std::fs::read_to_string(from.join(&*name)).unwrap_or_default();
        if !name.ends_with(".arazzo.yaml") || !original.starts_with("arazzo: 1.0.1\n") {
            continue;
        }
        let generate = |dir: &std::path::Path| {
            let (code, _) = generate_file(&dir.join(&*name), &Settings::default())
                .unwrap_or_else(|r| panic!("{name}:\n{}", r.render()));
            // Below the header; the file's path, which docs and criteria quote, set aside.
            code.lines()
                .skip(2)
                .map(without_directories)
                .collect::<Vec<_>>()
        };
        let (before, after) = (generate(from), generate(&to));
        let first_difference = before.iter().zip(&after).position(|(a, b)| a != b);
        assert!(
            first_difference.is_none() && before.len() == after.len(),
            "{name}: line {first_difference:?} differs"
        );
        compared += 1;
    }
    assert!(compared >= 4, "only {compared} 1.0.1 fixtures compared");
}

/// `line` with the directories of each Arazzo document's path taken out.
fn without_directories(line: &str) -> String {
    const SUFFIX: &str = ".arazzo.yaml";
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(SUFFIX) {
        let start = rest[..at]
            .rfind(|c: char| c == '`' || c == '"' || c.is_whitespace())
            .map_or(0, |i| i + 1);
        let name_start = rest[start..at]
            .rfind(['/', '\\'])
            .map_or(start, |i| start + i + 1);
        out.push_str(&rest[..start]);
        out.push_str(&rest[name_start..at + SUFFIX.len()]);
        rest = &rest[at + SUFFIX.len()..];
    }
    out.push_str(rest);
    out
}
