//! The durable-run tests' Restate server: `@restatedev/restate-server` from the npm registry
//! (pinned, installed into `.tools/restate`, which git ignores). The tests start their own
//! servers (a fresh journal each, on loopback) and find the binary through
//! `ARAZZO_RESTATE_SERVER`.

use std::path::{Path, PathBuf};

use crate::npm;

const RESTATE_SERVER_VERSION: &str = "1.7.12";

/// Installs the server when missing; `(ARAZZO_RESTATE_SERVER, the binary's path)`.
pub fn install(workspace: &Path) -> Result<(&'static str, PathBuf), String> {
    let prefix = workspace.join(".tools/restate");
    npm::install(
        &prefix,
        "@restatedev/restate-server",
        RESTATE_SERVER_VERSION,
    )?;
    // The package runs its platform's binary through Node; the tests run the binary itself, so
    // that stopping it stops the server.
    let scope = prefix.join("node_modules/@restatedev");
    let binary = std::fs::read_dir(&scope)
        .map_err(|e| format!("cannot read {}: {e}", scope.display()))?
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("restate-server-")
        })
        .map(|entry| entry.path().join("bin/restate-server"))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!(
                "npm installed no restate-server binary for this platform under {}",
                scope.display()
            )
        })?;
    Ok(("ARAZZO_RESTATE_SERVER", binary))
}
