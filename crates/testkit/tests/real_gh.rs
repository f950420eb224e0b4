//! The REAL gh against [`ApiServer`] through `http_unix_socket` (real-behaviour §1.7.3).
//!
//! Without gh on PATH this test returns early with a note, unless `CI` is set: then it fails,
//! so CI cannot silently skip the only check that the fake speaks gh's protocol.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use ghcr_doctor_testkit::fixtures::{GHO_OCTOCAT, GHO_UNKNOWN, standard_world};
use ghcr_doctor_testkit::{ApiServer, GhConfigDir, GhHost, HostsShape, SharedWorld};

fn find_gh() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("gh")).find(|p| p.is_file())
}

/// Runs gh with a 30 s guard (gh has no client timeout of its own).
fn run_gh(gh: &PathBuf, cfg: &GhConfigDir, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(gh);
    cmd.args(args);
    cfg.apply_env(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("gh {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn real_gh_sees_the_login_through_the_unix_socket() {
    let Some(gh) = find_gh() else {
        if std::env::var_os("CI").is_some() {
            panic!("gh is not on PATH but CI is set: install gh (Debian: apt-get install gh)");
        }
        eprintln!("note: gh not found on PATH; skipping the real-gh test (set CI to make this fail)");
        return;
    };
    let cfg = GhConfigDir::new().unwrap();
    let world = SharedWorld::new(standard_world());
    let api = ApiServer::start_with_socket(world.clone(), cfg.socket_path()).unwrap();
    cfg.set_http_unix_socket(api.socket_path().unwrap()).unwrap();
    cfg.write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(GHO_OCTOCAT))]).unwrap();

    let out = run_gh(&gh, &cfg, &["api", "user"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "gh api user: {stdout} / {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["login"], "octocat");

    let out = run_gh(&gh, &cfg, &["auth", "status", "--hostname", "github.com"], &[]);
    // gh 2.23 prints everything to stderr, newer versions print success to stdout.
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "gh auth status: {text}");
    assert!(text.contains("octocat"), "{text}");
    assert!(!text.contains(GHO_OCTOCAT), "gh masks the token");

    // A token the fake does not know: 401 Bad credentials, as gh reports it.
    let out = run_gh(&gh, &cfg, &["api", "user"], &[("GH_TOKEN", GHO_UNKNOWN)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Bad credentials (HTTP 401)"));

    let log = world.log();
    assert!(log.iter().all(|l| l.via_unix_socket));
    assert!(log.iter().any(|l| l.host.as_deref() == Some("api.github.com") && l.path == "/user"), "{log:?}");
}
