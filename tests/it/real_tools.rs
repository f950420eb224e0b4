//! The doctor with Debian's real `gh` (token discovery from `GH_CONFIG_DIR`/hosts.yml, the
//! environment's precedence, not logged in, version parsing) and the real docker CLI (a missing
//! socket, an endpoint that accepts and never answers). A missing tool fails the test when `CI`
//! is set; elsewhere it returns with a note.

use std::net::TcpListener;
use std::path::Path;

use ghcr_doctor_testkit::{GhConfigDir, GhHost, HostsShape, fixtures};
use serde_json::Value;

use crate::harness::Doctor;

const GH: &str = "/usr/bin/gh";
const DOCKER: &str = "/usr/bin/docker";
const APP: &str = "ghcr.io/acme/app:latest";

/// Whether `tool` is installed; in CI its absence fails the test.
fn have(tool: &str, test: &str) -> bool {
    if Path::new(tool).exists() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{test}: {tool} is required in CI (apt-get install gh docker.io)");
    eprintln!("note: {test} needs {tool}; skipped outside CI");
    false
}

/// A doctor whose `gh` is the real one, configured by a fresh `GH_CONFIG_DIR`.
fn with_real_gh() -> (Doctor, GhConfigDir) {
    let mut d = Doctor::new();
    std::fs::remove_file(d.bin.dir().join("gh")).unwrap();
    std::os::unix::fs::symlink(GH, d.bin.dir().join("gh")).unwrap();
    let gh = GhConfigDir::new().unwrap();
    d.env("GH_CONFIG_DIR", &gh.path().display().to_string());
    d.env("GH_NO_UPDATE_NOTIFIER", "1");
    d.env("GH_PROMPT_DISABLED", "1");
    (d, gh)
}

fn check<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()
}

#[test]
fn real_gh_hands_over_its_stored_token_and_its_version_is_read() {
    if !have(GH, "real_gh_hands_over_its_stored_token") {
        return;
    }
    let (d, gh) = with_real_gh();
    gh.write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(fixtures::GHO_OCTOCAT))]).unwrap();
    let json = d.run(&["check", APP, "--json"]).json();
    let installed = check(&json, "gh-installed");
    let version = installed["evidence"]["version"].as_str().unwrap();
    assert!(semver_like(version), "{version}");
    // Debian 12's gh is 2.23: it works, with the advice to upgrade.
    if version.starts_with("2.23.") {
        assert_eq!((installed["status"].as_str(), installed["cause"].as_str()), (Some("warn"), Some("gh-too-old")));
    }
    let auth = check(&json, "gh-auth");
    assert_eq!(auth["status"], "pass", "{auth:#}");
    assert_eq!(auth["evidence"]["login"], "octocat");
    assert_eq!(auth["evidence"]["source"], "gh");
    assert_eq!(auth["evidence"]["token"], "gho_****");
    assert_eq!(check(&json, "registry-access")["status"], "pass");

    // The newer multi-account hosts.yml shape is read too.
    gh.write_hosts(HostsShape::MultiAccount, &[GhHost::new("github.com", "octocat", Some(fixtures::GHO_OCTOCAT))])
        .unwrap();
    assert_eq!(check(&d.run(&["check", APP, "--json"]).json(), "gh-auth")["status"], "pass");
}

#[test]
fn real_gh_an_exported_token_shadows_the_stored_login() {
    if !have(GH, "real_gh_an_exported_token_shadows_the_stored_login") {
        return;
    }
    let (mut d, gh) = with_real_gh();
    gh.write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(fixtures::GHO_OCTOCAT))]).unwrap();
    d.env("GITHUB_TOKEN", fixtures::GHP_REPO_ONLY);
    d.env("GH_TOKEN", fixtures::GHP_WRITE);
    let json = d.run(&["check", APP, "--json"]).json();
    let auth = check(&json, "gh-auth");
    assert_eq!((auth["status"].as_str(), auth["cause"].as_str()), (Some("warn"), Some("env-token-override")));
    assert_eq!(auth["evidence"]["source"], "GH_TOKEN", "GH_TOKEN wins over GITHUB_TOKEN and hosts.yml");
    assert_eq!(auth["evidence"]["token"], "ghp_****");
    let unset = auth["fix"]["commands"].as_array().unwrap();
    assert_eq!(unset[0], "unset GH_TOKEN");

    // For an Enterprise Server host, GH_ENTERPRISE_TOKEN is read and GH_TOKEN is not.
    gh.write_hosts(HostsShape::Legacy, &[GhHost::new("github.example.com", "octocat", Some(fixtures::GHO_OCTOCAT))])
        .unwrap();
    d.env("GH_ENTERPRISE_TOKEN", fixtures::GHP_REPO_ONLY);
    let json = d.run(&["check", "--host", "github.example.com", "--json"]).json();
    let auth = check(&json, "gh-auth");
    assert_eq!(auth["evidence"]["source"], "GH_ENTERPRISE_TOKEN", "{auth:#}");
}

#[test]
fn real_gh_not_logged_in() {
    if !have(GH, "real_gh_not_logged_in") {
        return;
    }
    let (d, _gh) = with_real_gh();
    let json = d.run(&["check", APP, "--json"]).json();
    let auth = check(&json, "gh-auth");
    assert_eq!(auth["cause"], "not-logged-in");
    assert!(auth["message"].as_str().unwrap().contains("no oauth token"), "{auth:#}");
    assert_eq!(json["next_steps"][0], "gh auth login -h github.com -s read:packages");
}

#[test]
fn real_docker_cli_without_a_daemon() {
    if !have(DOCKER, "real_docker_cli_without_a_daemon") {
        return;
    }
    let mut d = Doctor::new();
    std::fs::remove_file(d.bin.dir().join("docker")).unwrap();
    std::os::unix::fs::symlink(DOCKER, d.bin.dir().join("docker")).unwrap();
    d.env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    let json = d.run(&["check", APP, "--json"]).json();
    let daemon = check(&json, "docker-daemon");
    assert_eq!(daemon["cause"], "daemon-unreachable", "{daemon:#}");
    assert_eq!(daemon["evidence"]["endpoint_source"], "DOCKER_HOST");

    // A TCP endpoint that refuses: the socket cannot be looked at, docker's own message decides.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    d.env("DOCKER_HOST", &format!("tcp://127.0.0.1:{port}"));
    let json = d.run(&["check", APP, "--json"]).json();
    assert_eq!(check(&json, "docker-daemon")["cause"], "daemon-unreachable");
}

#[test]
fn real_docker_cli_against_an_endpoint_that_never_answers_times_out() {
    if !have(DOCKER, "real_docker_cli_against_an_endpoint_that_never_answers") {
        return;
    }
    let mut d = Doctor::new();
    std::fs::remove_file(d.bin.dir().join("docker")).unwrap();
    std::os::unix::fs::symlink(DOCKER, d.bin.dir().join("docker")).unwrap();
    // Accepts connections (the kernel's backlog) and never answers.
    let hole = TcpListener::bind("127.0.0.1:0").unwrap();
    d.env("DOCKER_HOST", &format!("tcp://{}", hole.local_addr().unwrap()));
    let started = std::time::Instant::now();
    let json = d.run(&["check", APP, "--json", "--timeout", "1"]).json();
    let daemon = check(&json, "docker-daemon");
    assert_eq!(daemon["cause"], "timeout", "{daemon:#}");
    // The rest of the report is still there.
    assert_eq!(check(&json, "registry-access")["status"], "pass");
    // A sanity bound, not a benchmark: docker would hang forever without the doctor's timeout.
    assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
}

fn semver_like(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() >= 3 && parts[..2].iter().all(|p| p.parse::<u32>().is_ok())
}
