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
        let codes: Vec<&str> = report
            .diagnostics()
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert!(
            codes.contains(&expected_code),
            "{name}: expected a `{expected_code}` diagnostic, got {codes:?}"
        );
        for d in report.diagnostics().iter() {
            assert!(d.is_located(), "{name}: `{}` has no location", d.code);
        }
        insta::assert_snapshot!(report.render());
    });
    assert!(seen >= 40, "only {seen} invalid fixtures found");
}
