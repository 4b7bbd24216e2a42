//! Real message brokers for the tests of message steps, from Debian's packages (pinned upstream
//! versions, unpacked into `.tools/`): NATS's `nats-server` and Eclipse Mosquitto (MQTT 5). Both
//! listen on loopback only and stop when dropped. Tests find them through `ARAZZO_NATS` and
//! `ARAZZO_MQTT`, and `ARAZZO_NATS_AUTH` and `ARAZZO_MQTT_AUTH` (ones that ask for a password).

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::debian::{self, Package};

const NATS_PORT: u16 = 4691;
const MQTT_PORT: u16 = 4692;
/// A second NATS server that asks for a user and password (`ARAZZO_NATS_AUTH`): the tests of
/// `userPassword` security schemes log in as `kitchen` / `kitchen-secret`.
const NATS_AUTH_PORT: u16 = 4693;
/// A second Mosquitto listener that asks for a user and password (`ARAZZO_MQTT_AUTH`): `shop` /
/// `shop-secret`.
const MQTT_AUTH_PORT: u16 = 4694;

const NATS: &[Package] = &[Package {
    name: "nats-server",
    upstream: "2.9.10",
}];

/// Mosquitto and the libraries it links that a bare Debian machine lacks.
const MOSQUITTO: &[Package] = &[
    Package {
        name: "mosquitto",
        upstream: "2.0.11",
    },
    Package {
        name: "libcjson1",
        upstream: "1.7.15",
    },
    Package {
        name: "libdlt2",
        upstream: "2.18.8",
    },
    Package {
        name: "libwrap0",
        upstream: "7.6.q",
    },
    Package {
        name: "libnsl2",
        upstream: "1.3.0",
    },
];

/// The running brokers; each stopped when dropped, whatever happened meanwhile.
pub struct Brokers {
    children: Vec<Child>,
    pub env: Vec<(&'static str, String)>,
}

impl Drop for Brokers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn start(workspace: &Path) -> Result<Brokers, String> {
    let logs = workspace.join("target/brokers");
    std::fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let mut brokers = Brokers {
        children: Vec::new(),
        env: Vec::new(),
    };

    let nats = debian::install(workspace, "nats", NATS)?;
    let log = logs.join("nats.log");
    brokers.children.push(spawn(
        Command::new(nats.join("usr/sbin/nats-server")).args([
            "-a",
            "127.0.0.1",
            "-p",
            &NATS_PORT.to_string(),
        ]),
        &log,
    )?);
    crate::npm::wait_until_listening("nats-server", NATS_PORT, &log)?;
    brokers
        .env
        .push(("ARAZZO_NATS", format!("nats://127.0.0.1:{NATS_PORT}")));
    let log = logs.join("nats-auth.log");
    brokers.children.push(spawn(
        Command::new(nats.join("usr/sbin/nats-server")).args([
            "-a",
            "127.0.0.1",
            "-p",
            &NATS_AUTH_PORT.to_string(),
            "--user",
            "kitchen",
            "--pass",
            "kitchen-secret",
        ]),
        &log,
    )?);
    crate::npm::wait_until_listening("nats-server (with a password)", NATS_AUTH_PORT, &log)?;
    brokers.env.push((
        "ARAZZO_NATS_AUTH",
        format!("nats://127.0.0.1:{NATS_AUTH_PORT}"),
    ));

    let mosquitto = debian::install(workspace, "mosquitto", MOSQUITTO)?;
    let libraries = ["usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu"]
        .map(|l| mosquitto.join(l).display().to_string())
        .join(":");
    // One listener open to anyone, one that asks for the password `mosquitto_passwd` hashes.
    let passwords = logs.join("mosquitto.passwords");
    let _ = std::fs::remove_file(&passwords);
    let hashed = Command::new(mosquitto.join("usr/bin/mosquitto_passwd"))
        .args(["-c", "-b"])
        .arg(&passwords)
        .args(["shop", "shop-secret"])
        .env("LD_LIBRARY_PATH", &libraries)
        .status()
        .map_err(|e| format!("cannot run mosquitto_passwd: {e}"))?;
    if !hashed.success() {
        return Err(format!("mosquitto_passwd failed ({hashed})"));
    }
    let config = logs.join("mosquitto.conf");
    std::fs::write(
        &config,
        format!(
            "per_listener_settings true\nlistener {MQTT_PORT} 127.0.0.1\nallow_anonymous true\nlistener {MQTT_AUTH_PORT} 127.0.0.1\nallow_anonymous false\npassword_file {}\n",
            passwords.display()
        ),
    )
    .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
    let log = logs.join("mosquitto.log");
    brokers.children.push(spawn(
        Command::new(mosquitto.join("usr/sbin/mosquitto"))
            .arg("-c")
            .arg(&config)
            .env("LD_LIBRARY_PATH", libraries),
        &log,
    )?);
    crate::npm::wait_until_listening("mosquitto", MQTT_PORT, &log)?;
    crate::npm::wait_until_listening("mosquitto (with a password)", MQTT_AUTH_PORT, &log)?;
    brokers
        .env
        .push(("ARAZZO_MQTT", format!("mqtt://127.0.0.1:{MQTT_PORT}")));
    brokers.env.push((
        "ARAZZO_MQTT_AUTH",
        format!("mqtt://127.0.0.1:{MQTT_AUTH_PORT}"),
    ));
    Ok(brokers)
}

fn spawn(command: &mut Command, log: &Path) -> Result<Child, String> {
    let out =
        std::fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))
}
