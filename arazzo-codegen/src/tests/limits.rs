//! Limits on what the loader reads hold, with a located error when exceeded.

use crate::{Settings, check_file};

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
        .diagnostics()
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
