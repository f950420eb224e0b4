//! A loopback fake GitHub for smoke tests outside `cargo test` (the `.ci/run` self-check): starts
//! the fake REST API and the fake ghcr.io registry over `fixtures::standard_world()`, prints
//! `api=URL`, `registry=URL` and `actions_token=TOKEN` (the world's fake Actions token, for the
//! caller's `GITHUB_TOKEN`) on three lines, and serves until stdin is closed or the time limit
//! (first argument, seconds, default 300) runs out.
//!
//! ```text
//! coproc FAKE { cargo run -q -p ghcr-doctor-testkit --example fake-github; }
//! read -r api <&"${FAKE[0]}"; read -r registry <&"${FAKE[0]}"; read -r token <&"${FAKE[0]}"
//! ```

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

use ghcr_doctor_testkit::{ApiServer, RegistryServer, SharedWorld, fixtures};

fn main() -> std::io::Result<()> {
    let limit = std::env::args().nth(1).and_then(|s| s.parse::<u64>().ok()).unwrap_or(300);
    let world = SharedWorld::new(fixtures::standard_world());
    let api = ApiServer::start(world.clone())?;
    let registry = RegistryServer::start(world)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "api={}", api.base_url())?;
    writeln!(out, "registry={}", registry.base_url())?;
    writeln!(out, "actions_token={}", fixtures::GHS_ACTIONS)?;
    out.flush()?;
    drop(out);
    let (done, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        let _ = done.send(());
    });
    let _ = wait.recv_timeout(Duration::from_secs(limit));
    Ok(())
}
