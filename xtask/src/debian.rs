//! Test servers from Debian's packages: the pinned upstream version of each package (and the
//! libraries it needs that the machine lacks) downloaded with `apt-get download` and unpacked
//! with `dpkg -x` into `.tools/<name>` (git ignores it). Nothing is installed system-wide.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A package and the upstream version it must have (any Debian revision of it: the archive
/// keeps only the newest revision, which security updates replace).
pub struct Package {
    pub name: &'static str,
    pub upstream: &'static str,
}

/// Unpacks `packages` into `.tools/<tool>/root` unless that very set is there; returns the root.
pub fn install(workspace: &Path, tool: &str, packages: &[Package]) -> Result<PathBuf, String> {
    let dir = workspace.join(".tools").join(tool);
    let root = dir.join("root");
    let marker = dir.join("installed");
    let wanted: String = packages
        .iter()
        .map(|p| format!("{} {}\n", p.name, p.upstream))
        .collect();
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) && root.exists() {
        return Ok(root);
    }
    let debs = dir.join("debs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&debs).map_err(|e| format!("cannot create {}: {e}", debs.display()))?;
    for p in packages {
        let version = match candidate(p) {
            Ok(v) => v,
            // A fresh machine may have no package lists yet: read them once, then ask again.
            Err(_) => {
                eprintln!("xtask: reading Debian's package lists (apt-get update)");
                let _ = Command::new("apt-get").args(["update", "-q"]).status();
                candidate(p)?
            }
        };
        eprintln!("xtask: downloading Debian package {}={version}", p.name);
        let ok = Command::new("apt-get")
            .args(["download", "-q", &format!("{}={version}", p.name)])
            .current_dir(&debs)
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?
            .success();
        if !ok {
            return Err(format!("apt-get could not download {}={version}", p.name));
        }
    }
    for entry in std::fs::read_dir(&debs).map_err(|e| e.to_string())? {
        let deb = entry.map_err(|e| e.to_string())?.path();
        let ok = Command::new("dpkg")
            .arg("-x")
            .arg(&deb)
            .arg(&root)
            .status()
            .map_err(|e| format!("cannot run dpkg: {e}"))?
            .success();
        if !ok {
            return Err(format!("dpkg could not unpack {}", deb.display()));
        }
    }
    std::fs::write(&marker, wanted).map_err(|e| e.to_string())?;
    Ok(root)
}

/// The archive's version of `p` whose upstream part is the pinned one.
fn candidate(p: &Package) -> Result<String, String> {
    let output = Command::new("apt-cache")
        .args(["madison", p.name])
        .output()
        .map_err(|e| format!("cannot run apt-cache: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .filter_map(|line| line.split('|').nth(1).map(str::trim))
        .find(|version| {
            let upstream = version.split_once(':').map_or(*version, |(_, v)| v);
            upstream
                .rsplit_once('-')
                .is_some_and(|(u, _)| u == p.upstream)
        })
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "Debian's archive has no {} {} (apt-cache madison: {}); update the pin in xtask/src/brokers.rs, or run `apt-get update`",
                p.name,
                p.upstream,
                text.trim()
            )
        })
}
