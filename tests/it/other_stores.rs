//! The other credential stores real pulls use (issue 15, part 6), through the real binary and
//! Debian's real docker CLI: root's config under `sudo`, Docker Desktop's `.exe` helper under
//! WSL, and misspelled config.json keys. Each test first shows with the real `docker` what it
//! reads (its credential helper `get` runs before the daemon is contacted, so a socket that does
//! not exist is enough), then that the doctor names the cause, and that no token is printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ghcr_doctor_testkit::fixtures::{ALL_TOKENS, GHO_OCTOCAT};
use ghcr_doctor_testkit::real_docker::{self, DOCKER, run};
use ghcr_doctor_testkit::{CredHelperFake, http::base64_encode};
use serde_json::Value;

use crate::harness::{Doctor, Run};

const APP: &str = "ghcr.io/acme/app:latest";

/// The real docker CLI is there (and, for the sudo test, this runs as root, as CI does). CI must
/// not skip: it panics there; elsewhere it notes why and the test returns.
fn require(test: &str, root: bool) -> bool {
    let mut missing = Vec::new();
    if !Path::new(DOCKER).is_file() {
        missing.push(format!("{DOCKER} not found"));
    }
    if root && !real_docker::is_root() {
        missing.push("not running as root".to_owned());
    }
    if missing.is_empty() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{test} needs {missing:?} in CI");
    eprintln!("{test}: skipped here: {}", missing.join(", "));
    false
}

/// Runs the real `docker ARGS` with exactly `env`, the daemon at a socket that does not exist.
fn real_docker(d: &Doctor, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(DOCKER);
    cmd.args(args)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", d.bin.dir().display()))
        .env("HOME", d.home.path())
        .env("DOCKER_HOST", format!("unix://{}", d.home.path().join("no-daemon.sock").display()));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd, None, Duration::from_secs(60)).expect("the real docker runs");
    format!("{}{}", out.stdout, out.stderr)
}

/// The `docker-credentials` check of a `check --json` run.
fn credentials_check(run: &Run) -> Value {
    let json = run.json();
    json["checks"].as_array().unwrap().iter().find(|c| c["id"] == "docker-credentials").unwrap().clone()
}

fn causes(check: &Value) -> Vec<String> {
    check["findings"].as_array().unwrap().iter().filter_map(|f| f["cause"].as_str().map(str::to_owned)).collect()
}

fn no_token(text: &str) {
    for t in ALL_TOKENS {
        assert!(!text.contains(t), "a token leaked:\n{text}");
    }
}

fn plaintext_login(user: &str, secret: &str) -> String {
    let auth = base64_encode(format!("{user}:{secret}").as_bytes());
    format!("{{\"auths\":{{\"ghcr.io\":{{\"auth\":\"{auth}\"}}}}}}")
}

/// A passwd file naming `user` with `home`.
fn passwd(dir: &Path, user: &str, home: &Path) -> PathBuf {
    let path = dir.join("passwd");
    std::fs::write(
        &path,
        format!("root:x:0:0:root:/root:/bin/bash\n{user}:x:1000:1000:Alice,,,:{}:/bin/sh\n", home.display()),
    )
    .unwrap();
    path
}

#[test]
fn under_sudo_docker_reads_roots_config_and_the_doctor_names_sudo_root_config() {
    if !require("under_sudo_docker_reads_roots_config", true) {
        return;
    }
    let mut d = Doctor::new();
    // alice ran `docker login ghcr.io` as herself; root has a login too, for now.
    let alice = tempfile::tempdir().unwrap();
    let alice_config = alice.path().join(".docker/config.json");
    std::fs::create_dir_all(alice_config.parent().unwrap()).unwrap();
    std::fs::write(&alice_config, plaintext_login("octocat", GHO_OCTOCAT)).unwrap();
    d.docker_config(&plaintext_login("octocat", GHO_OCTOCAT));

    // The real docker as root in sudo's environment (HOME root's, SUDO_USER alice): logging out
    // changes root's config and leaves alice's alone. docker follows HOME, not SUDO_USER.
    let said = real_docker(&d, &["logout", "ghcr.io"], &[("SUDO_USER", "alice")]);
    assert!(said.contains("Removing login credentials for ghcr.io"), "{said}");
    let root_now = std::fs::read_to_string(d.docker_config_path()).unwrap();
    assert!(!root_now.contains("ghcr.io"), "root's login is gone: {root_now}");
    assert_eq!(std::fs::read_to_string(&alice_config).unwrap(), plaintext_login("octocat", GHO_OCTOCAT));

    // Without SUDO_USER the doctor only sees root's empty config.
    let before = credentials_check(&d.run(&["check", "--json", APP]));
    assert_eq!(causes(&before), ["no-credentials"], "{before:#}");

    // As root under sudo for alice: it reads root's config, as `sudo docker` does, names alice's,
    // and says why her login is not used.
    let passwd = passwd(alice.path(), "alice", alice.path());
    d.env("SUDO_USER", "alice").env("GHCR_DOCTOR_PASSWD", &passwd.display().to_string());
    let home = d.home_snapshot();
    let run = d.run(&["check", "--json", APP]);
    let check = credentials_check(&run);
    assert_eq!(check["cause"], "sudo-root-config", "{check:#}");
    assert_eq!(causes(&check), ["sudo-root-config"], "it replaces no-credentials: {check:#}");
    assert_eq!(check["evidence"]["config"], d.docker_config_path().display().to_string());
    assert!(check["evidence"]["sudo"].as_str().unwrap().contains(&alice_config.display().to_string()), "{check:#}");
    let message = check["message"].as_str().unwrap();
    assert!(
        message.contains(&alice_config.display().to_string()) && message.contains("`auths` (octocat)"),
        "{message}"
    );
    let commands: Vec<&str> =
        check["findings"][0]["commands"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(commands, ["sudo usermod -aG docker \"$USER\""]);
    assert_eq!(d.home_snapshot(), home, "check changed nothing");
    for lang in ["en", "ja"] {
        let human = d.run(&["check", "--lang", lang, "-v", APP]);
        let said = if lang == "en" {
            "runs as root under sudo for `alice`"
        } else {
            "sudo で root として動いています"
        };
        assert!(human.stdout.contains(said) && human.stdout.contains("sudo usermod -aG docker"), "{}", human.stdout);
        no_token(&human.stdout);
        no_token(&human.stderr);
    }
    no_token(&run.stdout);

    // sudo that kept alice's HOME: docker and the doctor read her own config, nothing to say.
    d.env("HOME", &alice.path().display().to_string());
    let kept = credentials_check(&d.run(&["check", "--json", APP]));
    assert!(!causes(&kept).contains(&"sudo-root-config".to_owned()), "{kept:#}");
}

#[test]
fn under_wsl_only_the_exe_helper_is_on_path_and_its_fix_makes_docker_use_it() {
    if !require("under_wsl_only_the_exe_helper_is_on_path", false) {
        return;
    }
    let mut d = Doctor::new();
    // Docker Desktop's helper, reachable from WSL only by its Windows name.
    d.bin.credential_helper("desktop.exe", &CredHelperFake::new().entry("ghcr.io", "octocat", GHO_OCTOCAT)).unwrap();
    d.docker_config(r#"{"auths":{},"credsStore":"desktop"}"#);
    let osrelease = d.home.path().join("osrelease");
    d.env("GHCR_DOCTOR_OSRELEASE", &osrelease.display().to_string());

    // The real docker looks for `docker-credential-desktop`, without `.exe`: the helper never runs.
    real_docker(&d, &["pull", APP], &[]);
    assert!(!d.bin.calls().iter().any(|c| c.starts_with("docker-credential-desktop.exe get")), "{:?}", d.bin.calls());

    // Not WSL: just a missing helper.
    std::fs::write(&osrelease, "6.1.0-18-amd64\n").unwrap();
    let plain = credentials_check(&d.run(&["check", "--json", APP]));
    assert_eq!(plain["cause"], "credential-helper-missing", "{plain:#}");

    // WSL (the kernel release says so): the `.exe` helper is named, with the edit that fixes it.
    std::fs::write(&osrelease, "5.15.167.4-microsoft-standard-WSL2\n").unwrap();
    let run = d.run(&["check", "--json", APP]);
    let check = credentials_check(&run);
    assert_eq!(check["cause"], "wsl-desktop-helper", "{check:#}");
    assert_eq!(check["evidence"]["wsl"], osrelease.display().to_string());
    let config = d.docker_config_path().display().to_string();
    let sed = format!("sed -i 's/\"desktop\"/\"desktop.exe\"/g' {config}");
    assert_eq!(run.json()["next_steps"][0], sed.as_str());
    no_token(&run.stdout);
    for lang in ["en", "ja"] {
        let human = d.run(&["check", "--lang", lang, APP]);
        assert!(
            human.stdout.contains("docker-credential-desktop.exe") && human.stdout.contains(&sed),
            "{}",
            human.stdout
        );
    }
    // WSL_DISTRO_NAME alone says WSL too.
    std::fs::write(&osrelease, "6.1.0-18-amd64\n").unwrap();
    d.env("WSL_DISTRO_NAME", "Ubuntu");
    assert_eq!(credentials_check(&d.run(&["check", "--json", APP]))["cause"], "wsl-desktop-helper");

    // The printed step, run for real: the real docker now asks `docker-credential-desktop.exe`,
    // and so does the doctor, which finds gh's token there.
    let status = Command::new("/bin/sh").arg("-c").arg(&sed).status().unwrap();
    assert!(status.success());
    real_docker(&d, &["pull", APP], &[]);
    assert!(d.bin.calls().iter().any(|c| c == "docker-credential-desktop.exe get ghcr.io"), "{:?}", d.bin.calls());
    let fixed = credentials_check(&d.run(&["check", "--json", APP]));
    assert_eq!(fixed["status"], "pass", "{fixed:#}");
    assert_eq!(fixed["evidence"]["store"], "docker-credential-desktop.exe");
}

#[test]
fn a_misspelled_credential_key_is_ignored_by_docker_and_named_by_the_doctor() {
    if !require("a_misspelled_credential_key_is_ignored_by_docker", false) {
        return;
    }
    let d = Doctor::new(); // the `fake` helper holds octocat's login for ghcr.io
    for (typo, right, config) in [
        ("credStore", "credsStore", r#"{"credStore":"fake"}"#.to_owned()),
        ("credsHelpers", "credHelpers", r#"{"credsHelpers":{"ghcr.io":"fake"}}"#.to_owned()),
        ("auth", "auths", plaintext_login("octocat", GHO_OCTOCAT).replace("\"auths\"", "\"auth\"")),
    ] {
        d.docker_config(&config);
        let _ = std::fs::remove_file(d.bin.dir().join("calls.log"));
        // The real docker ignores the key without a word: no helper runs.
        let said = real_docker(&d, &["pull", APP], &[]);
        assert!(!said.contains(typo), "{said}");
        assert!(
            !d.bin.calls().iter().any(|c| c.starts_with("docker-credential-fake get")),
            "{typo}: {:?}",
            d.bin.calls()
        );

        let run = d.run(&["check", "--json", APP]);
        let check = credentials_check(&run);
        assert_eq!(causes(&check), ["no-credentials", "config-key-typo"], "{typo}: {check:#}");
        let typo_finding =
            check["findings"].as_array().unwrap().iter().find(|f| f["cause"] == "config-key-typo").unwrap();
        let message = typo_finding["message"].as_str().unwrap();
        assert!(message.contains(&format!("`{typo}`")) && message.contains(&format!("`{right}`")), "{message}");
        no_token(&run.stdout);
        let ja = d.run(&["check", "--lang", "ja", APP]);
        assert!(ja.stdout.contains(&format!("`{right}` のつもりではありませんか")), "{}", ja.stdout);
        no_token(&ja.stdout);

        // With the right key the real docker asks the helper, and the doctor has nothing to say.
        d.docker_config(&config.replacen(&format!("\"{typo}\""), &format!("\"{right}\""), 1));
        real_docker(&d, &["pull", APP], &[]);
        if right != "auths" {
            assert!(
                d.bin.calls().iter().any(|c| c == "docker-credential-fake get ghcr.io"),
                "{right}: {:?}",
                d.bin.calls()
            );
        }
        let fixed = credentials_check(&d.run(&["check", "--json", APP]));
        assert!(!causes(&fixed).iter().any(|c| c == "config-key-typo" || c == "no-credentials"), "{right}: {fixed:#}");
    }
    // A key close to a credential key whose value docker would not have used there: no warning.
    d.docker_config(r#"{"credsStore":"fake","auth":{"quay.io":{}}}"#);
    let quiet = credentials_check(&d.run(&["check", "--json", APP]));
    assert_eq!(quiet["status"], "pass", "{quiet:#}");
}
