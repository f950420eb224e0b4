//! `ghcr-doctor setup-docker` through the real binary: shown first, confirmed by `--yes` only
//! outside CI, atomic with the mode kept, every other key kept, a backup beside it, the plaintext
//! `auths` entry dropped only after the pull probe through the helper succeeds, `--undo`; and a
//! malformed or unreachable config left untouched with the reason.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use ghcr_doctor_testkit::GhFake;
use ghcr_doctor_testkit::fixtures::{GHO_NO_PACKAGES, GHO_OCTOCAT, GHP_EXPIRED};
use serde_json::Value;

use crate::credential_helper::HELPER;
use crate::harness::Doctor;

const IMAGE: &str = "ghcr.io/acme/app:latest";

fn with_helper(d: &Doctor) {
    std::os::unix::fs::symlink(HELPER, d.bin.dir().join("docker-credential-ghcr-doctor")).unwrap();
}

/// octocat's plaintext login plus keys setup-docker must keep, mode 0600.
fn plaintext_config(d: &Doctor) -> Value {
    d.docker_plaintext_login("octocat", GHO_OCTOCAT);
    let mut v: Value = serde_json::from_str(&fs::read_to_string(d.docker_config_path()).unwrap()).unwrap();
    v["currentContext"] = "default".into();
    v["proxies"] = serde_json::json!({"default": {"httpProxy": "http://proxy:3128"}});
    v["credHelpers"] = serde_json::json!({"quay.io": "secretservice"});
    v["auths"]["other.io"] = serde_json::json!({"auth": "eDp5"});
    fs::write(d.docker_config_path(), serde_json::to_string(&v).unwrap()).unwrap();
    fs::set_permissions(d.docker_config_path(), fs::Permissions::from_mode(0o600)).unwrap();
    v
}

fn config(d: &Doctor) -> Value {
    serde_json::from_str(&fs::read_to_string(d.docker_config_path()).unwrap()).unwrap()
}

#[test]
fn sets_up_the_helper_drops_the_copy_after_the_probe_and_undoes() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_LANG", "en");
    with_helper(&d);
    let original = plaintext_config(&d);
    let r = d.run(&["setup-docker", "--yes", IMAGE]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(r#"`credHelpers["ghcr.io"] = "ghcr-doctor"`"#), "shown first: {}", r.stdout);
    assert!(r.stdout.contains("pull probe through the helper succeeded"), "{}", r.stdout);
    let now = config(&d);
    assert_eq!(now["credHelpers"], serde_json::json!({"quay.io": "secretservice", "ghcr.io": "ghcr-doctor"}));
    assert!(now["auths"].get("ghcr.io").is_none(), "the copy is gone: {now}");
    assert_eq!(now["auths"]["other.io"], original["auths"]["other.io"]);
    assert_eq!((&now["currentContext"], &now["proxies"]), (&original["currentContext"], &original["proxies"]));
    let mode = fs::metadata(d.docker_config_path()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let backup = d.docker_config_path().with_file_name("config.json.ghcr-doctor-backup");
    let saved: Value = serde_json::from_str(&fs::read_to_string(&backup).unwrap()).unwrap();
    assert_eq!(saved, original);
    // check now reports the helper.
    let c = d.run(&["check", "--json", IMAGE]);
    let report = c.json();
    let creds = report["checks"].as_array().unwrap().iter().find(|o| o["id"] == "docker-credentials").unwrap();
    assert_eq!(creds["status"], "pass", "{creds:#}");
    assert!(creds.to_string().contains("docker asks gh for `ghcr.io` on every pull"), "{creds:#}");
    // A second run has nothing to do.
    let again = d.run(&["setup-docker", "--yes", IMAGE]);
    assert_eq!(again.code, 0);
    assert!(again.stdout.contains("nothing to do"), "{}", again.stdout);
    // --undo restores the original.
    let u = d.run(&["setup-docker", "--undo"]);
    assert_eq!(u.code, 0, "{}{}", u.stdout, u.stderr);
    assert_eq!(config(&d), original);
    assert!(!backup.exists());
}

#[test]
fn keeps_the_copy_when_the_pull_probe_fails() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_LANG", "en");
    with_helper(&d);
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", GHP_EXPIRED));
    plaintext_config(&d);
    let r = d.run(&["setup-docker", "--yes", IMAGE]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("did not succeed, so `auths[\"ghcr.io\"]` stays"), "{}", r.stdout);
    let now = config(&d);
    assert_eq!(now["credHelpers"]["ghcr.io"], "ghcr-doctor");
    assert!(now["auths"].get("ghcr.io").is_some());
}

#[test]
fn changes_nothing_without_consent_in_ci_without_the_helper_or_on_a_bad_file() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_LANG", "en");
    plaintext_config(&d);
    let before = d.home_snapshot();
    // Helper not on PATH.
    let r = d.run(&["setup-docker", "--yes"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`docker-credential-ghcr-doctor` is not on PATH"), "{}", r.stderr);
    with_helper(&d);
    // No terminal, no --yes (stdin is null).
    let r = d.run(&["setup-docker"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("stdin is not a terminal"), "{}", r.stderr);
    assert!(r.stdout.contains("credHelpers"), "the change is still shown: {}", r.stdout);
    // CI, even with --yes.
    d.env("CI", "true");
    let r = d.run(&["setup-docker", "--yes"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("never runs in CI"), "{}", r.stderr);
    d.env("CI", "");
    assert_eq!(d.home_snapshot(), before, "nothing was written");
    // Malformed: the file and the problem, nothing written.
    d.docker_config("{\"auths\": {\"ghcr.io\": {}},\n");
    let before = d.home_snapshot();
    let r = d.run(&["setup-docker", "--yes"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".docker/config.json` was not changed: it is not valid JSON"), "{}", r.stderr);
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
    d.docker_config(r#"{"credHelpers": ["ghcr.io"]}"#);
    let r = d.run(&["setup-docker", "--yes"]);
    assert!(r.code == 2 && r.stderr.contains("`credHelpers` is not an object"), "{}", r.stderr);
    d.docker_config("{\"auths\": {\"ghcr.io\": {}},\n");
    assert_eq!(d.home_snapshot(), before);
    // A config path that cannot be read (its directory is a file).
    let blocker = d.home.path().join("blocker");
    fs::write(&blocker, "").unwrap();
    d.env("DOCKER_CONFIG", &blocker.join("dc").display().to_string());
    let r = d.run(&["setup-docker", "--yes"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("was not changed"), "{}", r.stderr);
    assert_eq!(fs::read(&blocker).unwrap(), b"");
}

/// A stale copy in docker's store with the helper installed: `check` names setup-docker as the
/// fix with the one-off login as a shell comment under it, and `fix --yes` routes docker through
/// gh, drops the copy after the probe, keeps a backup, and checks again to a pass.
#[test]
fn fix_offers_the_helper_as_the_durable_fix_and_applies_it() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_LANG", "en");
    d.docker_plaintext_login("octocat", GHP_EXPIRED);
    let without = d.run(&["check", "--json", IMAGE]).json();
    assert_eq!(
        without["next_steps"],
        serde_json::json!([
            "docker logout ghcr.io",
            "gh auth token | docker login ghcr.io -u octocat --password-stdin",
            format!("docker pull {IMAGE}")
        ]),
        "no helper installed: the login"
    );
    with_helper(&d);
    let json = d.run(&["check", "--json", IMAGE]).json();
    assert_eq!(json["root_cause"], "stale-credentials", "{json:#}");
    assert_eq!(
        json["next_steps"],
        serde_json::json!(["ghcr-doctor setup-docker --registry ghcr.io", format!("docker pull {IMAGE}")])
    );
    let human = d.run(&["check", IMAGE]);
    assert!(
        human.stdout.contains("1. ghcr-doctor setup-docker --registry ghcr.io\n     # docker asks gh on every pull, so nothing goes stale. One-off instead (a copy that goes stale): gh auth token | docker login ghcr.io -u octocat --password-stdin"),
        "{}",
        human.stdout
    );
    let ja = d.run(&["check", "--lang", "ja", IMAGE]);
    assert!(ja.stdout.contains("# docker が pull のたびに gh に問い合わせるので、古くなりません。"), "{}", ja.stdout);

    let fixed = d.run(&["fix", "--yes", IMAGE]);
    assert_eq!(fixed.code, 0, "{}\n{}", fixed.stdout, fixed.stderr);
    assert!(fixed.stdout.contains("$ ghcr-doctor setup-docker --registry ghcr.io"), "{}", fixed.stdout);
    assert!(fixed.stdout.contains("removed the old `auths[\"ghcr.io\"]` entry"), "{}", fixed.stdout);
    assert!(fixed.stdout.contains("docker-credentials: fail → pass"), "{}", fixed.stdout);
    assert!(!fixed.stdout.contains(GHO_OCTOCAT) && !fixed.stdout.contains(GHP_EXPIRED), "no token printed");
    let now = config(&d);
    assert_eq!(now["credHelpers"]["ghcr.io"], "ghcr-doctor");
    assert!(now["auths"].get("ghcr.io").is_none(), "{now}");
    let backup = d.docker_config_path().with_file_name("config.json.ghcr-doctor-backup");
    let mode = fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup holds the stale credential: private");
    // With docker asking gh, a scope gh lacks is fixed in gh alone: no docker step at all.
    assert_eq!(d.run(&["check", "--json", IMAGE]).json()["status"], "pass");
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", GHO_NO_PACKAGES));
    let scope = d.run(&["check", "--json", IMAGE]).json();
    assert_eq!(scope["root_cause"], "missing-scope", "{scope:#}");
    assert_eq!(
        scope["next_steps"],
        serde_json::json!(["gh auth refresh -h github.com -s read:packages", format!("docker pull {IMAGE}")])
    );
}
