//! Conformance against a real OpenAPI mock server: Prism (pinned, installed with npm into
//! `.tools/prism`, which git ignores) validates every request the generated Twilio workflows
//! send, against the project's fixtures and, with `ARAZZO_UPSTREAM_FIXTURES`, against Twilio's
//! real descriptions.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::npm;

const PRISM_VERSION: &str = "5.16.0";

/// `(source name, fixture description, upstream description if there is one)`.
const DESCRIPTIONS: &[(&str, &str, Option<&str>)] = &[
    (
        "conversations",
        "fixtures/twilio/conversations.openapi.yaml",
        Some("twilio/twilio_conversations_v1.yaml"),
    ),
    (
        "autopilot",
        "fixtures/twilio/autopilot.openapi.yaml",
        Some("twilio/twilio_autopilot_v1.yaml"),
    ),
    (
        "chat",
        "fixtures/twilio/ip-messaging.openapi.yaml",
        Some("twilio/twilio_ip_messaging_v2.yaml"),
    ),
    // The HTTP half of the message workflows' tests.
    ("shop", "fixtures/asyncapi/pet-shop.openapi.yaml", None),
];

/// Running Prism servers; stopped when dropped, whatever happened meanwhile.
pub struct Servers {
    children: Vec<Child>,
    pub logs: Vec<PathBuf>,
    /// `ARAZZO_PRISM` (fixtures) and `ARAZZO_PRISM_UPSTREAM`: `name=url;name=url`.
    pub env: Vec<(&'static str, String)>,
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Installs Prism when missing.
fn install(workspace: &Path) -> Result<PathBuf, String> {
    let prefix = workspace.join(".tools/prism");
    npm::install(&prefix, "@stoplight/prism-cli", PRISM_VERSION)?;
    Ok(prefix.join("node_modules/.bin/prism"))
}

/// A copy of `description` (as JSON) in which array properties of form bodies state OpenAPI's
/// default encoding (`style: form, explode: true`): Prism 5 reads repeated keys as an array
/// only when told so. Nothing else changes.
fn with_explicit_form_encoding(description: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(description)
        .map_err(|e| format!("cannot read {}: {e}", description.display()))?;
    // A development tool's conversion of a description to JSON: the bare parse is enough here
    // (the generator's own located parser is internal to it).
    let mut json: serde_json::Value = serde_yaml::from_str(&text)
        .map_err(|e| format!("cannot parse {}: {e}", description.display()))?;
    if let Some(paths) = json.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut().filter_map(|i| i.as_object_mut()) {
            for op in item.values_mut().filter_map(|o| o.as_object_mut()) {
                let Some(media) = op
                    .get_mut("requestBody")
                    .and_then(|b| b.get_mut("content"))
                    .and_then(|c| c.get_mut("application/x-www-form-urlencoded"))
                    .and_then(|m| m.as_object_mut())
                else {
                    continue;
                };
                let arrays: Vec<String> = media
                    .get("schema")
                    .and_then(|s| s.get("properties"))
                    .and_then(|p| p.as_object())
                    .map(|p| {
                        p.iter()
                            .filter(|(_, s)| s.get("type").is_some_and(|t| t == "array"))
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if arrays.is_empty() {
                    continue;
                }
                let encoding = media
                    .entry("encoding")
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(encoding) = encoding.as_object_mut() {
                    for name in arrays {
                        encoding.entry(name).or_insert_with(
                            || serde_json::json!({"style": "form", "explode": true}),
                        );
                    }
                }
            }
        }
    }
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

fn start(bin: &Path, description: &Path, port: u16, log: &Path) -> Result<Child, String> {
    let log_file =
        std::fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err_file = log_file.try_clone().map_err(|e| e.to_string())?;
    Command::new(bin)
        // Without `--errors`: invalid requests still get a 422 (and a log line), while Prism's
        // own generated responses, which may not match the description's patterns, pass.
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(description)
        .stdin(Stdio::null())
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(err_file))
        .spawn()
        .map_err(|e| format!("cannot start Prism: {e}"))
}

/// Starts one Prism per description (fixtures, and upstream when available).
pub fn start_all(workspace: &Path, upstream: Option<&Path>) -> Result<Servers, String> {
    let bin = install(workspace)?;
    let dir = workspace.join("target/prism");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut servers = Servers {
        children: Vec::new(),
        logs: Vec::new(),
        env: Vec::new(),
    };
    let mut port = 4610;
    let mut sets: Vec<(&'static str, Vec<(&str, PathBuf)>)> = vec![(
        "ARAZZO_PRISM",
        DESCRIPTIONS
            .iter()
            .map(|(name, fixture, _)| (*name, workspace.join(fixture)))
            .collect(),
    )];
    if let Some(upstream) = upstream {
        sets.push((
            "ARAZZO_PRISM_UPSTREAM",
            DESCRIPTIONS
                .iter()
                .filter_map(|(name, _, real)| Some((*name, upstream.join((*real)?))))
                .collect(),
        ));
    }
    let mut pending = Vec::new();
    for (var, descriptions) in sets {
        let mut urls = Vec::new();
        for (name, description) in descriptions {
            let copy = dir.join(format!("{var}-{name}.json").to_lowercase());
            with_explicit_form_encoding(&description, &copy)?;
            let log = dir.join(format!("{var}-{name}.log").to_lowercase());
            servers.children.push(start(&bin, &copy, port, &log)?);
            servers.logs.push(log.clone());
            pending.push((port, log));
            urls.push(format!("{name}=http://127.0.0.1:{port}"));
            port += 1;
        }
        servers.env.push((var, urls.join(";")));
    }
    for (port, log) in pending {
        npm::wait_until_listening("Prism", port, &log)?;
    }
    Ok(servers)
}

/// Requests Prism found invalid, from its logs.
pub fn violations(servers: &Servers) -> Vec<String> {
    let mut found = Vec::new();
    for log in &servers.logs {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        // Problems with what was sent; Prism's own responses are not ours to judge.
        let request_problem = |l: &&str| {
            l.contains("[VALIDATOR]")
                && !l.contains("Violation: response")
                && (l.contains("did not pass") || l.contains("✖"))
        };
        for line in text.lines().filter(request_problem) {
            found.push(format!(
                "{}: {}",
                log.file_name().and_then(|n| n.to_str()).unwrap_or(""),
                line.trim()
            ));
        }
    }
    found
}
