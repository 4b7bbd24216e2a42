//! Every document under `fixtures/invalid/` has one problem. Its file name starts with the code
//! of the diagnostic it must produce (`unknown-parameter--snake-case.arazzo.yaml`); the full
//! rendered output is pinned by a snapshot.

use arazzo_codegen::{Settings, check_file};

#[test]
fn each_invalid_fixture_yields_its_located_diagnostic() {
    let mut seen = 0;
    insta::glob!("../../fixtures/invalid", "*.arazzo.*", |path| {
        seen += 1;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let expected_code = name.split("--").next().unwrap_or_default();
        // Relative, so rendered paths do not depend on where the checkout lives.
        let relative = std::path::Path::new("../fixtures/invalid").join(name);
        let report = check_file(&relative, &Settings::default());
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(
            codes.contains(&expected_code),
            "{name}: expected a `{expected_code}` diagnostic, got {codes:?}"
        );
        for d in report.diagnostics.iter() {
            assert!(d.span.is_some(), "{name}: `{}` has no location", d.code);
        }
        insta::assert_snapshot!(report.render());
    });
    assert!(seen >= 40, "only {seen} invalid fixtures found");
}

#[test]
fn huge_scalars_are_refused_with_a_limit_error() {
    let dir = std::env::temp_dir().join(format!("arazzo-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.join("huge.arazzo.yaml");
    let text = format!(
        "arazzo: 1.0.1\ninfo:\n  title: {}\n  version: 1.0.0\n",
        "x".repeat(2048)
    );
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write: {e}"));
    let mut settings = Settings::default();
    settings.limits.max_scalar_bytes = 1024;
    let report = check_file(&path, &settings);
    let first = report
        .diagnostics
        .iter()
        .next()
        .map(|d| (d.code.as_str(), d.message.clone()));
    assert_eq!(
        first,
        Some((
            "input-limit",
            "a scalar of 2048 bytes is longer than the limit of 1024 bytes".to_owned()
        ))
    );
    let _ = std::fs::remove_dir_all(dir);
}
