//! The Rust each published crate needs, feature by feature, is what the manifests and the
//! README say. Only one toolchain is at hand, so instead of building with older ones this
//! compares what is declared with what every dependency declares (`rust-version` in its
//! manifest, read through `cargo metadata`), in each feature set (`cargo tree`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Version = (u64, u64, u64);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo(args: &[&str]) -> String {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo {}: {e}", args.join(" ")));
    assert!(
        output.status.success(),
        "cargo {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn parse(version: &str) -> Option<Version> {
    let mut parts = version.trim().split('.').map(|p| p.parse::<u64>().ok());
    Some((
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
        parts.next().flatten().unwrap_or(0),
    ))
}

fn show((major, minor, patch): Version) -> String {
    if patch == 0 {
        format!("{major}.{minor}")
    } else {
        format!("{major}.{minor}.{patch}")
    }
}

/// `rust-version` of every package in the graph with every feature on: `name version` → it.
fn declared() -> HashMap<String, Version> {
    let metadata = cargo(&["metadata", "--format-version", "1", "--all-features"]);
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).unwrap_or_else(|e| panic!("cargo metadata: {e}"));
    let mut out = HashMap::new();
    let packages = metadata.get("packages").and_then(|p| p.as_array());
    for package in packages.into_iter().flatten() {
        let field = |name: &str| package.get(name).and_then(|v| v.as_str());
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            continue;
        };
        if let Some(rust) = field("rust_version").and_then(parse) {
            out.insert(format!("{name} {version}"), rust);
        }
    }
    out
}

/// The newest Rust any package `package` builds with `features` needs, and the package.
fn needed(package: &str, features: &str, declared: &HashMap<String, Version>) -> (Version, String) {
    let mut args = vec![
        "tree",
        "-p",
        package,
        "-e",
        "normal,build",
        "--prefix",
        "none",
    ];
    args.extend(["-f", "{p}"]);
    if !features.is_empty() {
        args.extend(["--features", features]);
    }
    let mut newest = ((0, 0, 0), String::new());
    for line in cargo(&args).lines() {
        let mut words = line.split_whitespace();
        let (Some(name), Some(version)) = (words.next(), words.next()) else {
            continue;
        };
        let key = format!("{name} {}", version.trim_start_matches('v'));
        if let Some(&rust) = declared.get(&key)
            && rust > newest.0
        {
            newest = (rust, key);
        }
    }
    newest
}

/// The README's table under "Minimum Rust": `feature` → version.
fn readme_table() -> HashMap<String, Version> {
    let readme = std::fs::read_to_string(workspace().join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    let section = readme
        .split("\n## Minimum Rust\n")
        .nth(1)
        .unwrap_or_else(|| panic!("README.md has no section `## Minimum Rust`"));
    let section = section.split("\n## ").next().unwrap_or("");
    let mut out = HashMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        if let [feature, rust, ..] = cells.as_slice() {
            let rust = parse(rust).unwrap_or_else(|| panic!("README.md: `{rust}` in {row}"));
            out.insert(feature.trim_matches('`').to_owned(), rust);
        }
    }
    out
}

#[test]
fn rust_version_is_true_for_every_feature() {
    let declared = declared();
    let table = readme_table();
    let manifest = std::fs::read_to_string(workspace().join("Cargo.toml"))
        .unwrap_or_else(|e| panic!("Cargo.toml: {e}"));
    let workspace_rust = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .and_then(|v| parse(v.trim_matches('"')))
        .unwrap_or_else(|| panic!("Cargo.toml declares no workspace rust-version"));
    assert_eq!(
        table.get("default").copied(),
        Some(workspace_rust),
        "the README's `default` row and the workspace's rust-version differ"
    );
    let sets: [(&str, &[&str]); 4] = [
        (
            "arazzo-runtime",
            &["", "xpath", "nats", "mqtt", "mock", "restate"],
        ),
        ("arazzo-codegen", &["", "xpath"]),
        ("arazzo-macros", &["", "xpath"]),
        ("cargo-arazzo", &[""]),
    ];
    let mut wrong = Vec::new();
    for (package, features) in sets {
        for feature in features {
            let row = if feature.is_empty() {
                "default"
            } else {
                feature
            };
            let (needs, by) = needed(package, feature, &declared);
            let needs = needs.max(workspace_rust);
            let said = table.get(row).copied().unwrap_or(workspace_rust);
            // Each row is the newest its feature set needs, in whichever crate has the feature.
            if needs > said {
                wrong.push(format!(
                    "{package} with `{row}` needs Rust {} ({by}), the README says {}",
                    show(needs),
                    show(said)
                ));
            }
        }
    }
    for (row, said) in &table {
        let exact = sets.iter().any(|(package, features)| {
            features
                .iter()
                .filter(|f| **f == row.as_str() || (f.is_empty() && row == "default"))
                .any(|f| needed(package, f, &declared).0.max(workspace_rust) == *said)
        });
        if !exact {
            wrong.push(format!(
                "no crate with `{row}` needs the README's Rust {}",
                show(*said)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
