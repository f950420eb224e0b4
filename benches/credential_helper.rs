//! Credential-helper latency with the real gh (run with `cargo bench --bench credential_helper`;
//! needs Debian's gh on PATH): `docker-credential-ghcr-doctor get` answering `ghcr.io`, as docker
//! runs it on every pull, side by side with `gh auth token --hostname github.com` alone (the part
//! of it no helper can avoid), both reading the same `hosts.yml` in a private `GH_CONFIG_DIR`.
//! The two are alternated, `RUNS` times each, in one run; it prints both medians, the helper's
//! own overhead and the ratio (issue #15 asks for the median of 20). It asserts only that both
//! answer with the token, so a slow machine never fails a build; the token is never printed.

#![allow(clippy::disallowed_methods, clippy::print_stdout)] // a benchmark starts the real tools and prints its numbers

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::{GhConfigDir, GhHost, HostsShape, fixtures};

const RUNS: usize = 20;

fn main() {
    let Ok(gh) = which::which("gh") else {
        println!("credential_helper: skipped (gh is not on PATH)");
        return;
    };
    let config = GhConfigDir::new().unwrap();
    config
        .write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(fixtures::GHO_OCTOCAT))])
        .unwrap();
    let helper = env!("CARGO_BIN_EXE_docker-credential-ghcr-doctor");
    // The helper finds gh on PATH, as under docker.
    let path = gh.parent().unwrap().display().to_string();
    let command = |program: &str, args: &[&str]| {
        let mut cmd = Command::new(program);
        config.apply_env(cmd.args(args).env("PATH", &path));
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    };
    let run_helper = || {
        let started = Instant::now();
        let mut child = command(helper, &["get"]).spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"ghcr.io\n").unwrap();
        let out = child.wait_with_output().unwrap();
        let elapsed = started.elapsed();
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the helper answers JSON");
        assert!(out.status.success() && answer["Secret"] == fixtures::GHO_OCTOCAT, "the helper must answer gh's token");
        elapsed
    };
    let run_gh = || {
        let started = Instant::now();
        let out = command(gh.to_str().unwrap(), &["auth", "token", "--hostname", "github.com"]).output().unwrap();
        let elapsed = started.elapsed();
        assert!(out.status.success() && out.stdout.trim_ascii() == fixtures::GHO_OCTOCAT.as_bytes(), "gh auth token");
        elapsed
    };

    run_helper();
    run_gh();
    let (mut helper_walls, mut gh_walls) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        helper_walls.push(run_helper());
        gh_walls.push(run_gh());
    }
    let median = |walls: &mut Vec<Duration>| {
        walls.sort();
        walls[walls.len() / 2].as_secs_f64() * 1000.0
    };
    let (helper_ms, gh_ms) = (median(&mut helper_walls), median(&mut gh_walls));
    println!(
        "credential_helper: `docker-credential-ghcr-doctor get` {helper_ms:.1} ms, `gh auth token` alone {gh_ms:.1} ms (medians of {RUNS}, alternated); helper overhead {:.1} ms, {:.2}x",
        helper_ms - gh_ms,
        helper_ms / gh_ms
    );
}
