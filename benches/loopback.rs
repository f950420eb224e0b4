//! Loopback benchmark with the real tools (run with `cargo bench --bench loopback`; needs root,
//! Debian's gh, docker CLI and daemon, and the distribution registry, like the real-docker
//! tests): `ghcr-doctor check 127.0.0.1:PORT/acme/app:1` against a private dockerd, the real
//! registry behind the ghcr.io-protocol token service and the loopback GitHub API, side by side
//! with its own unavoidable subprocesses — `gh --version`, `gh auth token`, `docker version` —
//! started together (the parallel floor). The two are alternated, `RUNS` times each, in one run;
//! it prints both medians and their ratio. The target (issue #16) is ≤ 1.15x. The stand-in for
//! ghcr.io runs on this machine, so its token service hands the same JWT out again for the same
//! grant instead of forking `openssl` for every request (crates/testkit/src/jwt.rs): on two cores
//! that signing took the CPU from the gh under test. It prints numbers
//! and asserts only that the doctor finds no failure (Debian's gh 2.23 is a warning), so a slow machine never fails a build.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a benchmark starts the real tools and prints its numbers

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::real_docker::{self, PATH};
use ghcr_doctor_testkit::{GhHost, HostsShape, RealEnv, SharedWorld, fixtures};

const RUNS: usize = 41;

fn main() {
    let missing = real_docker::missing_components();
    if !missing.is_empty() {
        println!("loopback: skipped ({})", missing.join(", "));
        return;
    }
    let env = RealEnv::start(SharedWorld::new(fixtures::standard_world()))
        .unwrap_or_else(|e| panic!("cannot start the real environment: {e}"));
    env.push_images(&["acme/app:1"]).unwrap_or_else(|e| panic!("cannot push the image: {e}"));
    env.gh
        .write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(fixtures::GHO_OCTOCAT))])
        .unwrap();
    let docker_config = env.work.path().join("docker-config");
    let login = env.docker_login(&docker_config, "octocat", fixtures::GHO_OCTOCAT).unwrap();
    assert!(login.success(), "docker login: {}", login.describe());
    let image = env.reference("acme/app:1");

    let command = |program: &str, args: &[&str]| {
        let mut cmd = env.command(program, &docker_config);
        cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    };
    let doctor = env!("CARGO_BIN_EXE_ghcr-doctor");
    let run_doctor = || {
        let started = Instant::now();
        let out = command(doctor, &["check", &image, "--json"]).output().unwrap();
        let elapsed = started.elapsed();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_ne!(report["status"], "fail", "the doctor must not fail here:\n{report:#}");
        let checks = report["checks"].as_array().unwrap();
        let settled: Vec<(String, u64)> = checks
            .iter()
            .map(|c| (c["id"].as_str().unwrap().to_owned(), c["duration_ms"].as_u64().unwrap_or(0)))
            .collect();
        (elapsed, settled)
    };
    let run_floor = || {
        let started = Instant::now();
        let children: Vec<_> = [
            ("gh", vec!["--version"]),
            ("gh", vec!["auth", "token", "--hostname", "github.com"]),
            ("docker", vec!["version", "--format", "{{json .}}"]),
        ]
        .iter()
        .map(|(program, args)| command(&which(program), args).spawn().unwrap())
        .collect();
        for child in children {
            child.wait_with_output().unwrap();
        }
        started.elapsed()
    };

    // Warm the page cache and both servers once, then alternate.
    run_doctor();
    run_floor();
    let (mut doctor_walls, mut floor_walls, mut settled) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (wall, checks) = run_doctor();
        doctor_walls.push(wall);
        settled.push(checks);
        floor_walls.push(run_floor());
    }
    let median = |walls: &mut Vec<Duration>| {
        walls.sort();
        walls[walls.len() / 2].as_secs_f64() * 1000.0
    };
    let (doctor_ms, floor_ms) = (median(&mut doctor_walls), median(&mut floor_walls));
    println!("loopback: {RUNS} alternated runs each, real gh, docker CLI and dockerd, `check {image}`");
    println!("  ghcr-doctor check (median)            {doctor_ms:7.1} ms");
    println!("  gh --version ‖ gh auth token ‖ docker version (median) {floor_ms:7.1} ms");
    println!("  check / floor                         {:7.2}x   (target ≤ 1.15x)", doctor_ms / floor_ms);
    // The time along each check's own chain of calls (the JSON's `duration_ms`; what it waited
    // for before them excluded): where the time beyond the floor goes.
    println!("  each check's own chain (median ms):");
    for (i, (id, _)) in settled[0].iter().enumerate() {
        let mut at: Vec<u64> = settled.iter().map(|run| run[i].1).collect();
        at.sort_unstable();
        println!("    {id:<20} {:5}", at[at.len() / 2]);
    }
}

/// `program` on the benchmark's PATH (Debian's gh and docker, never /usr/local/bin).
fn which(program: &str) -> String {
    PATH.split(':').map(|d| Path::new(d).join(program)).find(|p| p.is_file()).unwrap().display().to_string()
}
