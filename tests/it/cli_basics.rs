//! The command line itself: help with examples, `--version`, `list`, team config discovery and
//! its errors (file, line, problem, in the user's language, exit 2), bad image references, and
//! the read-only promise (a run leaves every file under HOME byte-identical).

use ghcr_doctor_testkit::fixtures;

use crate::harness::Doctor;

#[test]
fn help_has_examples_and_version_is_printed() {
    let d = Doctor::new();
    let help = d.run(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Examples:") && help.stdout.contains("ghcr-doctor check ghcr.io/acme/app:main"));
    assert!(help.stdout.contains("Exit codes: 0"));
    let version = d.run(&["--version"]);
    assert_eq!(version.stdout.trim(), format!("ghcr-doctor {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn list_shows_every_check_in_both_languages() {
    let d = Doctor::new();
    let en = d.run(&["list", "--lang", "en"]);
    let ja = d.run(&["list", "--lang", "ja"]);
    for id in [
        "gh-installed",
        "github-host",
        "gh-auth",
        "glab-installed",
        "gitlab-host",
        "gitlab-auth",
        "token-scopes",
        "sso",
        "docker-daemon",
        "docker-credentials",
        "registry-access",
        "pull-secret",
    ] {
        assert!(en.stdout.contains(id) && ja.stdout.contains(id), "{id}");
    }
    assert!(ja.stdout.contains("トークンのスコープ"));
    let json = d.run(&["list", "--format", "json"]).json();
    assert_eq!(json["checks"].as_array().unwrap().len(), 12, "each id once, also the ones both families run");
}

#[test]
fn images_come_from_the_team_config_found_in_a_parent_directory() {
    let d = Doctor::new();
    std::fs::write(d.home.path().join("ghcr-doctor.toml"), "images = [\"ghcr.io/acme/app:latest\"]\nlang = \"ja\"\n")
        .unwrap();
    let sub = d.home.path().join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let out = d.command(&["--json"]).current_dir(&sub).output().unwrap();
    let json = crate::harness::parse_output_json(&out.stdout);
    assert_eq!(json["lang"], "ja");
    assert_eq!(json["checks"][7]["status"], "pass");
    assert_eq!(json["checks"][7]["findings"][0]["subject"], "ghcr.io/acme/app:latest");
}

#[test]
fn config_errors_name_file_line_and_problem_and_exit_2() {
    let d = Doctor::new();
    let path = d.home.path().join("ghcr-doctor.toml");
    std::fs::write(&path, "host = \"github.com\"\nimages = [\"ghcr.io/Acme/App:1\"]\n").unwrap();
    let en = d.run(&["check", "--lang", "en"]);
    assert_eq!(en.code, 2);
    assert_eq!(
        d.redact(&en.stderr),
        "error: error in $HOME/ghcr-doctor.toml:2: image `ghcr.io/Acme/App:1`: image names must be lower case (even when the GitHub owner name has capitals); use `ghcr.io/acme/app:1`\n"
    );
    let ja = d.run(&["check", "--lang", "ja"]);
    assert_eq!(ja.code, 2);
    assert!(ja.stderr.contains("ghcr-doctor.toml:2 にエラーがあります"), "{}", ja.stderr);

    std::fs::write(&path, "hots = \"github.com\"\n").unwrap();
    let unknown = d.run(&["check", "--lang", "en"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("ghcr-doctor.toml:1") && unknown.stderr.contains("hots"), "{}", unknown.stderr);

    std::fs::write(&path, "images = [\n").unwrap();
    assert_eq!(d.run(&["check"]).code, 2);
    let missing = d.run(&["check", "--config", "/nonexistent/ghcr-doctor.toml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("/nonexistent/ghcr-doctor.toml"));
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message() {
    let d = Doctor::new();
    let image = d.run(&["check", "acme/app", "--lang", "en"]);
    assert_eq!(image.code, 2);
    assert!(image.stderr.contains("did you mean `ghcr.io/acme/app`"), "{}", image.stderr);
    let ja = d.run(&["check", "ghcr.io/acme/app:-bad", "--lang", "ja"]);
    assert_eq!(ja.code, 2);
    assert!(ja.stderr.contains("タグとして使えません"), "{}", ja.stderr);
    assert_eq!(d.run(&["check", "--timeout", "0"]).code, 2);
    assert_eq!(d.run(&["check", "--host", "not a host"]).code, 2);
    assert_eq!(d.run(&["--format", "yaml"]).code, 2);
}

#[test]
fn language_follows_the_environment_when_no_flag_is_given() {
    let mut d = Doctor::new();
    d.env("LANG", "ja_JP.UTF-8");
    assert_eq!(d.run(&["--json"]).json()["lang"], "ja");
    d.env("GHCR_DOCTOR_LANG", "en");
    assert_eq!(d.run(&["--json"]).json()["lang"], "en");
}

#[test]
fn colour_only_when_asked_and_never_in_json() {
    let mut d = Doctor::new();
    let plain = d.run(&["check", "ghcr.io/acme/app:latest"]);
    assert!(!plain.stdout.contains('\u{1b}'), "not a terminal: no colour");
    let forced = d.run(&["check", "ghcr.io/acme/app:latest", "--color", "always"]);
    assert!(forced.stdout.contains("\u{1b}["));
    d.env("CLICOLOR_FORCE", "1");
    assert!(d.run(&["check", "ghcr.io/acme/app:latest"]).stdout.contains("\u{1b}["));
    assert!(!d.run(&["check", "ghcr.io/acme/app:latest", "--json"]).stdout.contains('\u{1b}'));
    d.env("NO_COLOR", "1");
    assert!(!d.run(&["check", "ghcr.io/acme/app:latest", "--color", "never"]).stdout.contains('\u{1b}'));
}

#[test]
fn a_run_changes_no_file() {
    let d = Doctor::new();
    d.docker_plaintext_login("octocat", fixtures::GHP_EXPIRED);
    std::fs::write(d.home.path().join("ghcr-doctor.toml"), "images = [\"ghcr.io/acme/app:latest\"]\n").unwrap();
    let before = d.home_snapshot();
    for args in [&["check"][..], &["check", "--json", "-v"], &["check", "--push"]] {
        d.run(args);
    }
    assert_eq!(d.home_snapshot(), before, "check must be read-only");
    let calls = d.bin.calls().join("\n");
    for forbidden in ["login", "logout", "refresh", "store", "erase"] {
        assert!(!calls.contains(forbidden), "a check ran `{forbidden}`:\n{calls}");
    }
}

#[test]
fn fix_refuses_without_a_terminal_and_in_ci_and_changes_nothing() {
    let mut d = Doctor::new();
    d.docker_logged_out();
    let before = d.home_snapshot();
    let no_tty = d.run(&["fix", "ghcr.io/acme/app:latest", "--lang", "en"]);
    assert_eq!(no_tty.code, 2);
    assert!(no_tty.stderr.contains("stdin is not a terminal") && no_tty.stderr.contains("--yes"), "{}", no_tty.stderr);
    // `CI=false` is not CI: refused for having no terminal, not for being in CI.
    d.env("CI", "false");
    let not_ci = d.run(&["fix", "ghcr.io/acme/app:latest", "--lang", "en"]);
    assert_eq!(not_ci.code, 2);
    assert!(not_ci.stderr.contains("stdin is not a terminal"), "{}", not_ci.stderr);
    assert!(!not_ci.stderr.contains("never runs in CI"), "{}", not_ci.stderr);
    d.env("CI", "true");
    let ci = d.run(&["fix", "--yes", "ghcr.io/acme/app:latest", "--lang", "ja"]);
    assert_eq!(ci.code, 2);
    assert!(ci.stderr.contains("CI では実行しません"), "{}", ci.stderr);
    assert_eq!(d.home_snapshot(), before);
    assert!(!d.bin.calls().join("\n").contains("login"), "nothing was run");
}

#[test]
fn the_committed_schemas_reject_what_the_contract_does_not_allow() {
    let d = Doctor::new();
    let report = d.run(&["check", "--json"]).json();
    for (path, bad) in [
        ("/status", serde_json::json!("broken")),
        ("/checks/0/id", serde_json::json!("no-such-check")),
        ("/next_steps", serde_json::json!("not a list")),
    ] {
        let mut broken = report.clone();
        *broken.pointer_mut(path).unwrap() = bad;
        assert!(!crate::harness::schema_errors("report.schema.json", &broken).is_empty(), "{path} accepted");
    }
    let mut missing = report.clone();
    missing.as_object_mut().unwrap().remove("checks");
    assert!(!crate::harness::schema_errors("report.schema.json", &missing).is_empty(), "a report without checks");
}
