//! Peak memory of a workflow whose server sends a 256 MiB body, with the default body limit
//! (16 MiB) and with none. Each case runs in a process of its own, since a process's peak
//! memory only grows; the figure is the kernel's high-water mark of resident memory (Linux).
//!
//! `cargo bench -p generated-example --bench body_limit`

use std::time::Duration;

use arazzo_runtime::{Error, Limits};
use generated_example::control_flow::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY_MIB: usize = 256;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(case) = args
        .iter()
        .position(|a| a == "--case")
        .and_then(|i| args.get(i + 1))
    {
        run_case(case);
        return;
    }
    let me = args.first().cloned().unwrap_or_default();
    println!("| limit | outcome | peak resident memory |");
    println!("|---|---|---:|");
    for case in ["default", "none"] {
        let out = std::process::Command::new(&me)
            .args(["--case", case])
            .output()
            .unwrap_or_else(|e| panic!("{me}: {e}"));
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

fn run_case(case: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let base = large_body_server().await;
        let limits = match case {
            "none" => Limits::unbounded(),
            _ => Limits::default(),
        }
        .with_request_timeout(Some(Duration::from_secs(120)));
        let client = Client::new().with_jobs_url(base).with_limits(limits);
        let outcome = match client.fetch_report().await {
            Ok(_) => "read whole".to_owned(),
            Err(Error::BodyTooLarge { limit_bytes, .. }) => {
                format!("`BodyTooLarge` at {} MiB", limit_bytes / (1024 * 1024))
            }
            Err(e) => format!("{e}"),
        };
        let limit = match case {
            "none" => "none".to_owned(),
            _ => format!(
                "default ({} MiB)",
                arazzo_runtime::DEFAULT_MAX_BODY_BYTES / (1024 * 1024)
            ),
        };
        println!("| {limit} | {outcome} | {} MiB |", peak_mib());
    });
}

/// The process's high-water mark of resident memory.
fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024)
}

/// A loopback server whose every answer is a JSON body of `BODY_MIB` MiB, sent chunked.
async fn large_body_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let opening = "{\"rows\": 1, \"pad\": \"";
                let _ = socket
                    .write_all(format!("{:x}\r\n{opening}\r\n", opening.len()).as_bytes())
                    .await;
                let pad = format!("{:x}\r\n{}\r\n", 1 << 20, "x".repeat(1 << 20));
                for _ in 0..BODY_MIB {
                    if socket.write_all(pad.as_bytes()).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"2\r\n\"}\r\n0\r\n\r\n").await;
            });
        }
    });
    format!("http://{address}")
}
