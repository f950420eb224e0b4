//! A loopback fake GitHub for smoke tests outside `cargo test` (the `.ci/run` self-check): starts
//! the fake REST API and the fake ghcr.io registry over `fixtures::standard_world()`, prints
//! `api=URL`, `registry=URL` and `actions_token=TOKEN` (the world's fake Actions token, for the
//! caller's `GITHUB_TOKEN`) on three lines, and serves until stdin is closed or the time limit
//! (first argument, seconds, default 300) runs out.
//!
//! A second argument names the GitHub to play (`fixtures::world_for`): `github.com` (the
//! default), `SUB.ghe.com`, or an Enterprise Server host such as `ghe.example.com`, whose API is
//! served only under `/api/v3/` (and `api=` ends so) and whose registry is `containers.HOST`.
//!
//! ```text
//! coproc FAKE { cargo run -q -p ghcr-doctor-testkit --example fake-github -- 120 ghe.example.com; }
//! read -r api <&"${FAKE[0]}"; read -r registry <&"${FAKE[0]}"; read -r token <&"${FAKE[0]}"
//! ```

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

use ghcr_doctor_testkit::{ApiServer, RegistryServer, SharedWorld, fixtures};

fn main() -> std::io::Result<()> {
    let limit = std::env::args().nth(1).and_then(|s| s.parse::<u64>().ok()).unwrap_or(300);
    let host = std::env::args().nth(2).unwrap_or_else(|| "github.com".to_owned());
    let world = fixtures::world_for(&host);
    let enterprise = world.api.only_under.is_some();
    let world = SharedWorld::new(world);
    let api = ApiServer::start(world.clone())?;
    let registry = RegistryServer::start(world)?;
    let mut out = std::io::stdout().lock();
    let api_url = if enterprise { api.enterprise_base_url() } else { api.base_url().to_owned() };
    writeln!(out, "api={api_url}")?;
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
