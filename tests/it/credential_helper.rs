//! `docker-credential-ghcr-doctor`, the gh-backed docker credential helper, through the real
//! binary: the protocol's verbs and server-URL forms, every error path scanned for the token,
//! the argv of the gh it starts read from `/proc/PID/cmdline`, and — with Debian's real gh, docker
//! CLI and daemon and the real registry behind testkit's token service — a `docker pull` through
//! the helper that keeps working after gh's token changes, with nothing re-logged.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::fixtures::{ALL_TOKENS, GHO_OCTOCAT, GHP_WRITE, standard_world};
use ghcr_doctor_testkit::real_docker::{self, run};
use ghcr_doctor_testkit::{FakeBin, GhHost, HostsShape, RealEnv, SharedWorld};

pub const HELPER: &str = env!("CARGO_BIN_EXE_docker-credential-ghcr-doctor");

/// Runs the helper with exactly `env` (plus nothing), `verb` and `stdin`.
fn helper(verb: &str, stdin: &str, env: &[(&str, String)]) -> (i32, String, String) {
    let mut cmd = Command::new(HELPER);
    cmd.arg(verb).env_clear().stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd, Some(stdin.as_bytes()), Duration::from_secs(30)).expect("the helper runs");
    (out.code.unwrap_or(-1), out.stdout, out.stderr)
}

/// A fake gh (alone on PATH: no real gh is found) whose every run appends its own `/proc/$$/cmdline` (NULs as spaces) to `cmdline.log`
/// and then does `body`.
fn fake_gh(bin: &FakeBin, body: &str) {
    let log = bin.dir().join("cmdline.log");
    bin.script(
        "gh",
        &format!(
            "#!/bin/sh\n/usr/bin/tr '\\000' ' ' < /proc/$$/cmdline >> '{}'; echo >> '{}'\n{body}\n",
            log.display(),
            log.display()
        ),
    )
    .unwrap();
}

fn no_token_in(texts: &[&str]) {
    for text in texts {
        for t in ALL_TOKENS {
            assert!(!text.contains(t), "a token leaked: {text}");
        }
    }
}

#[test]
fn get_answers_with_gh_token_for_every_server_url_form() {
    let bin = FakeBin::new().unwrap();
    fake_gh(
        &bin,
        &format!(
            r#"[ "$1 $2 $3 $4" = "auth token --hostname github.com" ] && echo {GHO_OCTOCAT} && exit 0
[ "$4" = "github.example.com" ] && echo {GHP_WRITE} && exit 0
echo "no oauth token found for $4" >&2; exit 1"#
        ),
    );
    let env = [("PATH", bin.dir().display().to_string()), ("GHCR_DOCTOR_LANG", "en".into())];
    for (url, token) in [
        ("ghcr.io", GHO_OCTOCAT),
        ("https://ghcr.io", GHO_OCTOCAT),
        ("ghcr.io\n", GHO_OCTOCAT),
        ("containers.github.example.com", GHP_WRITE),
    ] {
        let (code, stdout, stderr) = helper("get", url, &env);
        assert_eq!(code, 0, "{url}: {stdout}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["ServerURL"], url.trim());
        assert_eq!(v["Secret"], token);
        assert_eq!(v["Username"], "ghcr-doctor");
        assert!(stderr.is_empty(), "{stderr}");
    }
    // gh got only `auth token --hostname HOST`: no token in any argv it was started with.
    let cmdlines = fs::read_to_string(bin.dir().join("cmdline.log")).unwrap();
    let lines: Vec<&str> = cmdlines.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "{cmdlines}");
    for line in &lines {
        assert!(
            line.ends_with("gh auth token --hostname github.com ")
                || line.ends_with("gh auth token --hostname github.example.com "),
            "{line}"
        );
    }
    no_token_in(&[&cmdlines]);
    // A GHE.com tenant: the host is the tenant's.
    let (code, stdout, _) = helper("get", "containers.octocorp.ghe.com", &env);
    assert_eq!(code, 1);
    assert!(stdout.contains("gh auth login -h octocorp.ghe.com -s read:packages"), "{stdout}");
    assert!(stdout.contains("no oauth token found for octocorp.ghe.com"), "{stdout}");
}

#[test]
fn every_error_path_goes_to_stdout_with_the_fix_and_no_token() {
    let bin = FakeBin::new().unwrap();
    let env = [("PATH", bin.dir().display().to_string()), ("GHCR_DOCTOR_LANG", "en".into())];
    let mut seen = Vec::new();
    // gh missing.
    let (code, stdout, stderr) = helper("get", "ghcr.io", &env);
    assert_eq!(code, 1);
    assert!(stdout.contains("(`gh`) is not on PATH") && stdout.contains("ghcr-doctor check"), "{stdout}");
    seen.push((stdout, stderr));
    // Not logged in; gh's stderr echoes a token (masked by the helper).
    fake_gh(&bin, &format!("echo 'no oauth token found for github.com {GHO_OCTOCAT}' >&2; exit 1"));
    let (code, stdout, stderr) = helper("get", "ghcr.io", &env);
    assert_eq!(code, 1);
    assert!(stdout.contains("gh auth login -h github.com -s read:packages"), "{stdout}");
    assert!(stdout.contains("(gh: no oauth token"), "gh's own words are kept: {stdout}");
    seen.push((stdout, stderr));
    // gh prints something that is not one token (two words: never passed on).
    fake_gh(&bin, &format!("echo 'warning {GHO_OCTOCAT}'; exit 0"));
    let (code, stdout, stderr) = helper("get", "ghcr.io", &env);
    assert_eq!(code, 1);
    seen.push((stdout, stderr));
    // gh exits 0 with nothing.
    fake_gh(&bin, "exit 0");
    let (code, stdout, stderr) = helper("get", "ghcr.io", &env);
    assert_eq!(code, 1);
    seen.push((stdout, stderr));
    // Not a GitHub registry: the protocol's "not found", so docker goes on without credentials.
    let (code, stdout, stderr) = helper("get", "https://index.docker.io/v1/", &env);
    assert_eq!((code, stdout.as_str()), (1, "credentials not found in native keychain\n"));
    seen.push((stdout, stderr));
    // Unknown verb.
    let (code, stdout, stderr) = helper("frob", "", &env);
    assert_eq!(code, 1);
    seen.push((stdout, stderr));
    for (stdout, stderr) in &seen {
        assert!(stderr.is_empty(), "the helper never writes to stderr: {stderr}");
        no_token_in(&[stdout]);
    }
}

#[test]
fn gh_hanging_is_cut_off_and_explained() {
    let bin = FakeBin::new().unwrap();
    fake_gh(&bin, "exec /bin/sleep 600");
    let env = [("PATH", bin.dir().display().to_string()), ("GHCR_DOCTOR_LANG", "ja".into())];
    let started = Instant::now();
    let (code, stdout, stderr) = helper("get", "ghcr.io", &env);
    assert!(started.elapsed() < Duration::from_secs(25), "{:?}", started.elapsed());
    assert_eq!(code, 1);
    assert!(stdout.contains("10 秒以内に応答しませんでした") && stdout.contains("`ghcr-doctor check`"), "{stdout}");
    assert!(stderr.is_empty());
}

#[test]
fn store_erase_list_version() {
    let home = tempfile::tempdir().unwrap();
    let dc = home.path().join("dc");
    fs::create_dir_all(&dc).unwrap();
    fs::write(
        dc.join("config.json"),
        r#"{"credHelpers":{"ghcr.io":"ghcr-doctor","containers.ghe.example.com":"ghcr-doctor","quay.io":"other"}}"#,
    )
    .unwrap();
    let env = [("PATH", "/nonexistent".to_owned()), ("DOCKER_CONFIG", dc.display().to_string())];
    let store = format!(r#"{{"ServerURL":"ghcr.io","Username":"octocat","Secret":"{GHO_OCTOCAT}"}}"#);
    let (code, stdout, stderr) = helper("store", &store, &env);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    // Nothing was written anywhere.
    assert_eq!(fs::read_dir(&dc).unwrap().count(), 1);
    no_token_in(&[&fs::read_to_string(dc.join("config.json")).unwrap()]);
    assert_eq!(helper("erase", "ghcr.io", &env).0, 0);
    let (code, stdout, _) = helper("list", "", &env);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v, serde_json::json!({"ghcr.io": "ghcr-doctor", "containers.ghe.example.com": "ghcr-doctor"}));
    let (code, stdout, _) = helper("version", "", &env);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("docker-credential-ghcr-doctor "), "{stdout}");
}

/// A directory with the helper and a gh wrapper that records its argv, then runs Debian's gh.
fn helper_path(dir: &Path) -> String {
    fs::create_dir_all(dir).unwrap();
    std::os::unix::fs::symlink(HELPER, dir.join("docker-credential-ghcr-doctor")).unwrap();
    let log = dir.join("gh-cmdline.log");
    let wrapper = format!(
        "#!/bin/sh\ntr '\\000' ' ' < /proc/$$/cmdline >> '{log}'; echo >> '{log}'\nexec {gh} \"$@\"\n",
        log = log.display(),
        gh = real_docker::GH
    );
    fs::write(dir.join("gh"), wrapper).unwrap();
    let mut perms = fs::metadata(dir.join("gh")).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(dir.join("gh"), perms).unwrap();
    format!("{}:{}", dir.display(), real_docker::PATH)
}

#[test]
fn real_docker_pulls_through_the_helper_and_follows_gh_token_changes() {
    if !real_docker::require_components("real_docker_pulls_through_the_helper_and_follows_gh_token_changes") {
        return;
    }
    let world = SharedWorld::new(standard_world());
    let env = RealEnv::start(world.clone()).unwrap_or_else(|e| panic!("cannot start the real environment: {e}"));
    env.push_images(&["acme/app:latest"])
        .unwrap_or_else(|e| panic!("cannot push: {e}\n--- registry log\n{}", env.registry.log()));
    let reference = env.reference("acme/app:latest");
    let path = helper_path(&env.work.path().join("helper-bin"));
    let config = env.work.path().join("docker-helper");
    fs::create_dir_all(&config).unwrap();
    let registry = env.registry.host();
    fs::write(config.join("config.json"), format!(r#"{{"credHelpers":{{"{registry}":"ghcr-doctor"}}}}"#)).unwrap();
    env.gh.write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(GHO_OCTOCAT))]).unwrap();
    let pull = || {
        env.remove_local(&reference);
        let mut cmd = env.docker(&config);
        env.gh.apply_env(&mut cmd);
        cmd.env("PATH", &path).env("GHCR_DOCTOR_REGISTRY_URL", env.registry.url()).args(["pull", &reference]);
        run(&mut cmd, None, real_docker::DOCKER_TIMEOUT).unwrap()
    };
    let first = pull();
    assert!(first.success(), "docker pull through the helper failed: {}\n{}", first.describe(), env.registry.log());
    // gh's token changes (a refresh, a new scope): the old one is revoked, hosts.yml holds the new.
    world.edit(|w| w.token_mut(GHO_OCTOCAT).unwrap().valid = false);
    env.gh.write_hosts(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some(GHP_WRITE))]).unwrap();
    let second = pull();
    assert!(second.success(), "the pull after the token change failed: {}", second.describe());
    // `check` knows the helper: docker asks gh on every pull, and the registry is probed with
    // what the helper answered.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ghcr-doctor"));
    cmd.args(["check", "--json", &reference]).env_clear();
    env.gh.apply_env(&mut cmd);
    cmd.current_dir(env.work.path())
        .env("HOME", env.work.path().join("home"))
        .env("PATH", &path)
        .env("DOCKER_HOST", env.dockerd.host())
        .env("DOCKER_CONFIG", &config)
        .env("GHCR_DOCTOR_API_URL", env.api.base_url())
        .env("GHCR_DOCTOR_REGISTRY_URL", env.registry.url())
        .env("GHCR_DOCTOR_LANG", "en");
    let check = run(&mut cmd, None, Duration::from_secs(120)).unwrap();
    no_token_in(&[&check.stdout, &check.stderr]);
    let report = crate::harness::parse_output_json(check.stdout.as_bytes());
    let outcome =
        |id: &str| report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap_or_default();
    let creds = outcome("docker-credentials");
    assert_eq!(creds["status"], "pass", "{creds:#}");
    assert!(creds.to_string().contains("docker asks gh for"), "{creds:#}");
    assert_eq!(outcome("registry-access")["status"], "pass", "{report:#}");
    // Control: the same world with the old token copied into docker's store fails — the trap the
    // helper removes.
    let copied = env.work.path().join("docker-copied");
    fs::create_dir_all(&copied).unwrap();
    world.edit(|w| w.token_mut(GHO_OCTOCAT).unwrap().valid = true);
    env.docker_login(&copied, "octocat", GHO_OCTOCAT).unwrap();
    world.edit(|w| w.token_mut(GHO_OCTOCAT).unwrap().valid = false);
    env.remove_local(&reference);
    let stale = run(env.docker(&copied).args(["pull", &reference]), None, real_docker::DOCKER_TIMEOUT).unwrap();
    assert!(!stale.success(), "a revoked copied token should fail: {}", stale.describe());
    // docker kept no copy of any token, and gh was started with no token in its argv.
    let stored = fs::read_to_string(config.join("config.json")).unwrap();
    let cmdlines = fs::read_to_string(env.work.path().join("helper-bin/gh-cmdline.log")).unwrap();
    assert!(
        // The helper's `auth token` calls, and the doctor's own `gh --version` when it checks.
        cmdlines
            .lines()
            .filter(|l| !l.is_empty())
            .all(|l| l.ends_with("auth token --hostname github.com ") || l.ends_with("gh --version ")),
        "{cmdlines}"
    );
    assert!(cmdlines.lines().filter(|l| !l.is_empty()).count() >= 2, "{cmdlines}");
    for out in [&first, &second] {
        no_token_in(&[&out.stdout, &out.stderr]);
    }
    no_token_in(&[&stored, &cmdlines]);
}
