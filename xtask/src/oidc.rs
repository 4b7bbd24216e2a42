//! A real OpenID Connect provider for the OAuth tests: `oidc-provider` from the npm registry
//! (pinned, installed into `.tools/oidc`), run by `xtask/oidc/server.mjs` on loopback, and
//! stopped when dropped. Tests find it through `ARAZZO_OIDC`.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::npm;

const OIDC_PROVIDER_VERSION: &str = "9.13.3";
const PORT: u16 = 4690;

/// The running provider; stopped when dropped, whatever happened meanwhile.
pub struct Provider {
    child: Child,
    /// `ARAZZO_OIDC`: the issuer's URL.
    pub env: (&'static str, String),
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(workspace: &Path) -> Result<Provider, String> {
    let prefix = workspace.join(".tools/oidc");
    npm::install(&prefix, "oidc-provider", OIDC_PROVIDER_VERSION)?;
    // Beside its `node_modules`, so that the script's import finds the package.
    let script = prefix.join("server.mjs");
    std::fs::copy(workspace.join("xtask/oidc/server.mjs"), &script)
        .map_err(|e| format!("cannot copy the provider's script: {e}"))?;
    let dir = workspace.join("target/oidc");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let log = dir.join("provider.log");
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err_file = log_file.try_clone().map_err(|e| e.to_string())?;
    let child = Command::new("node")
        .arg(&script)
        .env("PORT", PORT.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(err_file))
        .spawn()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let provider = Provider {
        child,
        env: ("ARAZZO_OIDC", format!("http://127.0.0.1:{PORT}")),
    };
    npm::wait_until_listening("oidc-provider", PORT, &log)?;
    Ok(provider)
}
