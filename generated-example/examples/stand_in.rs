//! The example's Twilio stand-in as a process of its own, for `cargo xtask bench-peers`: prints
//! its address on one line, then serves until its standard input closes.

use std::io::{BufRead, Write};

fn main() {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stand_in: no runtime: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async {
        let server = generated_example::mock::twilio_unrecorded().await;
        println!("{}", server.uri());
        let _ = std::io::stdout().flush();
        // Serve until the bench closes our standard input (or dies).
        let _ = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin()
                .lock()
                .read_line(&mut line)
                .is_ok_and(|n| n > 0)
            {
                line.clear();
            }
        })
        .await;
        drop(server);
    });
}
