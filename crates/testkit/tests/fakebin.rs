//! The fake executables and gh config directories, run for real through `/bin/sh`.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::fixtures::{GHO_OCTOCAT, GHP_WRITE};
use ghcr_doctor_testkit::{CredHelperFake, DockerFake, FakeBin, GhFake, Output};

fn run(bin: &FakeBin, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(args[0])
        .args(&args[1..])
        .env("PATH", bin.isolated_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn gh_version_and_tokens_per_host() {
    let bin = FakeBin::new().unwrap();
    bin.gh(&GhFake::new()
        .token("github.com", GHO_OCTOCAT)
        .token_output("ghe.example.com", Output::fail("no oauth token\n", 1)))
        .unwrap();
    let (code, out, _) = run(&bin, &["gh", "--version"], "");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)\nhttps://github.com/cli/cli/releases/tag/v2.23.0\n"
    );
    assert_eq!(
        run(&bin, &["gh", "auth", "token", "--hostname", "github.com"], ""),
        (0, format!("{GHO_OCTOCAT}\n"), String::new())
    );
    assert_eq!(run(&bin, &["gh", "auth", "token"], "").1, format!("{GHO_OCTOCAT}\n"));
    assert_eq!(
        run(&bin, &["gh", "auth", "token", "-h", "ghe.example.com"], ""),
        (1, String::new(), "no oauth token\n".into())
    );
    assert_eq!(run(&bin, &["gh", "auth", "token", "--hostname=other.test"], "").0, 1);
    let calls = bin.calls();
    assert_eq!(calls[0], "gh --version");
    assert!(!calls.join("\n").contains(GHO_OCTOCAT), "no secret in argv or the log");
}

#[test]
fn gh_hang_is_killable() {
    let bin = FakeBin::new().unwrap();
    bin.gh(&GhFake { hang_auth_token: true, ..GhFake::new() }).unwrap();
    assert_eq!(run(&bin, &["gh", "--version"], "").0, 0);
    let mut child = Command::new("gh")
        .args(["auth", "token"])
        .env("PATH", bin.isolated_path())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(child.try_wait().unwrap().is_none(), "still running");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn docker_states() {
    let bin = FakeBin::new().unwrap();
    bin.docker(&DockerFake::running()).unwrap();
    let (code, out, _) = run(&bin, &["docker", "version", "--format", "{{json .}}"], "");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["Server"]["Version"], "20.10.24+dfsg1");
    bin.docker(&DockerFake::daemon_down("unix:///var/run/docker.sock")).unwrap();
    let (code, out, err) = run(&bin, &["docker", "version", "--format", "{{json .}}"], "");
    assert_eq!(code, 1);
    assert!(out.contains(r#""Server":null"#));
    assert_eq!(
        err,
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"
    );
    bin.docker(&DockerFake::hanging()).unwrap();
    let t0 = Instant::now();
    let mut child = Command::new("docker").arg("version").env("PATH", bin.isolated_path()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(child.try_wait().unwrap().is_none());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(5));
}

#[test]
fn credential_helper_protocol() {
    let bin = FakeBin::new().unwrap();
    bin.credential_helper("fake", &CredHelperFake::new().entry("ghcr.io", "octocat", GHP_WRITE)).unwrap();
    let (code, out, _) = run(&bin, &["docker-credential-fake", "get"], "ghcr.io\n");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["Username"].as_str(), v["Secret"].as_str()), (Some("octocat"), Some(GHP_WRITE)));
    assert_eq!(v["ServerURL"], "ghcr.io");
    let (code, out, _) = run(&bin, &["docker-credential-fake", "get"], "https://index.docker.io/v1/");
    assert_eq!((code, out.as_str()), (1, "credentials not found in native keychain\n"));
    let (_, out, _) = run(&bin, &["docker-credential-fake", "list"], "");
    assert_eq!(out.trim(), r#"{"ghcr.io":"octocat"}"#);
    assert!(!bin.calls().join("\n").contains(GHP_WRITE));
    assert!(bin.credential_helper("../evil", &CredHelperFake::new()).is_err());
}
