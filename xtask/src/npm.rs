//! Test servers from the npm registry: installed pinned into `.tools/<name>` (git ignores it)
//! when missing or of another version, and waited for once started.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Installs `package@version` into `prefix` unless that very version is there; returns the
/// package's folder.
pub fn install(prefix: &Path, package: &str, version: &str) -> Result<PathBuf, String> {
    let folder = prefix.join("node_modules").join(package);
    let current = std::fs::read_to_string(folder.join("package.json"))
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")));
    if current {
        return Ok(folder);
    }
    eprintln!(
        "xtask: installing {package}@{version} into {}",
        prefix.display()
    );
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(prefix)
        .arg(format!("{package}@{version}"))
        .status()
        .map_err(|e| format!("cannot run npm (Node.js is needed for {package}): {e}"))?;
    if !status.success() || !folder.exists() {
        return Err(format!(
            "npm could not install {package}@{version} ({status})"
        ));
    }
    Ok(folder)
}

/// Waits up to a minute for something to listen on `port` of loopback.
pub fn wait_until_listening(what: &str, port: u16, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "{what} did not start on port {port}; see {}",
        log.display()
    ))
}
