//! The published crates as crates.io would hold them: packaged from the workspace, unpacked, and
//! tested there against one another, with nothing of the workspace around them (its fixtures,
//! its other crates' sources, its profiles).

use std::path::Path;
use std::process::Command;

/// The crates users install, in the order they depend on one another.
const PUBLISHED: [&str; 4] = [
    "arazzo-codegen",
    "arazzo-macros",
    "arazzo-runtime",
    "cargo-arazzo",
];

/// Packages every published crate and runs each one's tests from its unpacked form.
///
/// `cargo package` runs without its own verification: the tests below build every package
/// against the others' packaged forms (what verification does) and then run them, so the
/// packages are built once, not twice.
pub fn check(workspace: &Path, version: &str) -> bool {
    let mut package = super::cargo();
    package
        .args(["package", "--workspace", "--no-verify", "--allow-dirty"])
        .args(["--exclude", "xtask", "--exclude", "generated-example"])
        .args(["--exclude", "conformance"]);
    if !super::run("cargo package --workspace", &mut package) {
        return false;
    }
    let unpacked = workspace.join("target").join("package");
    // `--no-verify` leaves the packages packed: each is unpacked afresh, as crates.io's would be.
    for name in PUBLISHED {
        let dir = unpacked.join(format!("{name}-{version}"));
        let _ = std::fs::remove_dir_all(&dir);
        let mut untar = Command::new("tar");
        untar
            .current_dir(&unpacked)
            // `-m`: the files get the time they are unpacked, not the fixed one cargo writes
            // into every package, so cargo sees them as changed and builds them again (with
            // the fixed time, a target folder kept from an earlier run served stale builds).
            .args(["-xzmf", &format!("{name}-{version}.crate")]);
        if !super::run(&format!("unpack {name}-{version}.crate"), &mut untar) {
            return false;
        }
    }
    let patches: Vec<String> = PUBLISHED
        .iter()
        .map(|name| format!("patch.crates-io.{name}.path=\"{name}-{version}\""))
        .collect();
    PUBLISHED.iter().all(|name| {
        let mut test = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        test.current_dir(&unpacked)
            .args([
                "test",
                "--manifest-path",
                &format!("{name}-{version}/Cargo.toml"),
            ])
            // The runtime's `mock` documentation runs a test on a generated module. Its other
            // features are the workspace's to test: built here too, they would build their
            // dependencies again in another feature set (gigabytes of disk, minutes of CI).
            .args(if *name == "arazzo-runtime" {
                &["--features", "mock"][..]
            } else {
                &[][..]
            })
            // Its dependencies are the ones the workspace built: reused, not built again.
            .env("CARGO_TARGET_DIR", workspace.join("target"))
            .env("INSTA_UPDATE", "no");
        for patch in &patches {
            test.args(["--config", patch]);
        }
        super::run(&format!("cargo test (the packaged {name})"), &mut test)
    })
}
