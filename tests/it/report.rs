//! `check --report` and `--anonymize` end to end. Every scenario of `scenarios.rs` passes through
//! [`scan`] (called from its `verdict`): its Markdown report is snapshotted in English and
//! Japanese, and with `--anonymize` every output — human, JSON, `--format github` (annotations,
//! log and step summary) and the report in both languages — is scanned for the fixture tokens
//! and for the scenario's logins, organizations, image names, enterprise hosts and HOME.
//! Also: the report file is the only thing a run writes, atomically and never over a
//! non-regular file; `--report-lang`; who must act, with the link only when names are kept; a
//! CI job's repository and actor.

use ghcr_doctor_testkit::fixtures;
use serde_json::Value;

use crate::harness::{Doctor, assert_no_secret};

/// Names that are also English words in the catalogue's texts ("OAuth app"): for these, only the
/// forms a name takes in an output count (`/app`, `app/`, `` `app` ``, `app:`).
const WORDS: &[&str] = &["app", "secret"];

/// The names a scenario's outputs could reveal: the standard world's login, the owners and
/// names of the images in `args`, and the `--host` given.
fn names_of(args: &[&str]) -> Vec<String> {
    let mut names = vec!["octocat".to_owned()];
    let mut host_next = false;
    for arg in args {
        if host_next {
            names.push((*arg).to_owned());
            host_next = false;
            continue;
        }
        if *arg == "--host" {
            host_next = true;
            continue;
        }
        let path = arg.split(['@']).next().unwrap();
        let path = path.rsplit_once(':').filter(|(_, tag)| !tag.contains('/')).map_or(path, |(p, _)| p);
        let parts: Vec<&str> = path.split('/').collect();
        if let [registry, owner, name @ ..] = parts.as_slice()
            && !name.is_empty()
        {
            if let Some(host) = registry.strip_prefix("containers.") {
                names.push(host.to_owned());
            }
            names.push((*owner).to_owned());
            names.push(name.join("/"));
        }
    }
    names.sort();
    names.dedup();
    names
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Panics when `text` reveals one of `names` (whole names, any case) or the HOME directory.
pub fn assert_anonymous(text: &str, names: &[String], home: &str, what: &str) {
    assert!(!text.contains(home), "{what}: HOME leaked:\n{text}");
    // The fake API writes the org and login into the SSO link's request id (hex), as a real one
    // would identify the user's authorization: it is left out.
    let ids = text.split("authorization_request=").skip(1);
    assert!(ids.clone().all(|rest| rest.starts_with('…')), "{what}: an SSO request id leaked:\n{text}");
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for name in names {
        let name = name.to_ascii_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(&name) {
            let (s, e) = (from + at, from + at + name.len());
            from = e;
            let before = s.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(e).copied();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            let as_a_name = !WORDS.contains(&name.as_str())
                || matches!(before, Some(b'/' | b'`'))
                || matches!(after, Some(b'/' | b'`' | b':'));
            assert!(!as_a_name, "{what}: `{name}` is not anonymized:\n{text}");
        }
    }
}

/// The report of `check ARGS` in both languages (snapshotted as `report_NAME`), then every
/// output with `--anonymize` scanned for tokens and names.
pub fn scan(name: &str, doctor: &Doctor, args: &[&str], code: i32, plain: &Value) {
    let run = |extra: &[&str]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.extend_from_slice(extra);
        let ran = doctor.run(&all);
        assert_eq!(ran.code, code, "{name} {extra:?}: exit code\n{}\n{}", ran.stdout, ran.stderr);
        ran
    };
    let en = run(&["--lang", "en", "--report", "-"]);
    let ja = run(&["--lang", "ja", "--report", "-"]);
    for report in [&en.stdout, &ja.stdout] {
        assert!(report.starts_with("### ghcr-doctor "), "{name}: the report is the only output:\n{report}");
        assert!(!report.contains('\u{1b}'), "{name}: no colour codes in a report");
    }
    let snapshot = format!("--- en\n{}--- ja\n{}", stable(doctor, &en.stdout), stable(doctor, &ja.stdout));
    insta::assert_snapshot!(format!("report_{name}"), snapshot);

    let names = names_of(args);
    let home = doctor.home.path().display().to_string();
    for extra in [
        &["--anonymize", "--lang", "en", "--report", "-"][..],
        &["--anonymize", "--lang", "ja", "--report", "-"],
        &["--anonymize", "--lang", "en", "-v"],
        &["--anonymize", "--json"],
    ] {
        let ran = run(extra);
        assert_anonymous(&ran.stdout, &names, &home, &format!("{name} {extra:?}"));
        assert_anonymous(&ran.stderr, &names, &home, &format!("{name} {extra:?} (stderr)"));
        if extra.contains(&"--json") {
            // Ids, statuses and causes stay as they are.
            let verdict = |v: &Value| {
                let checks = v["checks"].as_array().unwrap().iter();
                let checks: Vec<_> =
                    checks.map(|c| (c["id"].clone(), c["status"].clone(), c["cause"].clone())).collect();
                (v["status"].clone(), v["root_cause"].clone(), v["tool_version"].clone(), checks)
            };
            assert_eq!(verdict(&ran.json()), verdict(plain), "{name}: --anonymize changed the verdict");
        }
    }
    // `--format github`: annotations and log on stdout, the step summary in its file.
    let summary = doctor.home.path().join("summary.md");
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--anonymize", "--format", "github", "--lang", "ja"]);
    let out = doctor.command(&all).env("GITHUB_STEP_SUMMARY", &summary).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{name} --format github");
    let written = std::fs::read_to_string(&summary).unwrap();
    std::fs::remove_file(&summary).unwrap();
    for text in [String::from_utf8_lossy(&out.stdout).into_owned(), written] {
        assert_no_secret(&text);
        assert_anonymous(&text, &names, &home, &format!("{name} --format github"));
    }
}

/// A report with what differs between machines and runs replaced.
fn stable(doctor: &Doctor, report: &str) -> String {
    doctor.redact(report).replace(&format!("| {} {} |", std::env::consts::OS, std::env::consts::ARCH), "| [os] |")
}

const SECRET: &str = "ghcr.io/acme/secret:latest";

#[test]
fn a_report_file_is_the_only_thing_a_run_writes() {
    let d = Doctor::new();
    let before = d.home_snapshot();
    let path = d.home.path().join("report.md");
    let ran = d.run(&["check", SECRET, "--lang", "en", "--report", path.to_str().unwrap()]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout.contains("[✗] Access to the team's images (registry-access)"),
        "the usual output:\n{}",
        ran.stdout
    );
    let report = std::fs::read_to_string(&path).unwrap();
    assert!(report.contains("#### Root cause"), "{report}");
    let mut after = d.home_snapshot();
    assert_eq!(after.remove(&path).as_deref(), Some(report.as_bytes()));
    assert_eq!(before, after, "nothing but the report changed under HOME");

    // An existing regular file is replaced whole; no temporary file stays behind.
    std::fs::write(&path, "old and much longer than nothing").unwrap();
    assert_eq!(d.run(&["check", SECRET, "--report", path.to_str().unwrap(), "--anonymize"]).code, 1);
    let replaced = std::fs::read_to_string(&path).unwrap();
    assert!(replaced.starts_with("### ghcr-doctor") && !replaced.contains("old and"), "{replaced}");
    assert_eq!(d.home_snapshot().len(), before.len() + 1, "one new file: the report");
}

#[test]
fn a_report_is_never_written_over_what_is_not_a_regular_file() {
    let d = Doctor::new();
    let dir = d.home.path().join("reports");
    std::fs::create_dir(&dir).unwrap();
    let link = d.home.path().join("link.md");
    let target = d.home.path().join("target.md");
    std::fs::write(&target, "keep me").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for path in [&dir, &link] {
        let ran = d.run(&["check", SECRET, "--lang", "en", "--report", path.to_str().unwrap()]);
        assert_eq!(ran.code, 2, "{}", ran.stderr);
        assert!(ran.stderr.contains("is not a regular file"), "{}", ran.stderr);
        assert!(ran.stdout.is_empty(), "refused before anything was checked");
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none());
    // An image swallowed as the file name is named as such.
    let ran = d.run(&["check", "--lang", "en", "--report", SECRET]);
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("looks like an image: put the images before `--report`"), "{}", ran.stderr);
    // The report on stdout takes the place of the usual output, so no other format goes there.
    let ran = d.run(&["check", SECRET, "--json", "--report", "-"]);
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("`--report -` writes the report to stdout"), "{}", ran.stderr);
    // `fix` has neither option.
    let ran = d.run(&["fix", "--yes", "--anonymize", SECRET]);
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("belong to `ghcr-doctor check`"), "{}", ran.stderr);
}

#[test]
fn the_report_has_its_own_language() {
    let d = Doctor::new();
    let path = d.home.path().join("for-the-admin.md");
    let ran = d.run(&["check", SECRET, "--lang", "ja", "--report", path.to_str().unwrap(), "--report-lang", "en"]);
    assert!(ran.stdout.contains("根本原因："), "the terminal stays Japanese:\n{}", ran.stdout);
    let report = std::fs::read_to_string(&path).unwrap();
    assert!(report.contains("#### Who must act") && !report.contains("根本原因"), "{report}");
    let ran = d.run(&["check", SECRET, "--lang", "en", "--report", "--report-lang", "ja"]);
    assert!(ran.stdout.contains("#### 対応が必要な人") && ran.stdout.contains("（pull）"), "{}", ran.stdout);
    // `--report-lang` alone is a usage error: there is no report to write.
    assert_eq!(d.run(&["check", SECRET, "--report-lang", "ja"]).code, 2);
}

#[test]
fn who_must_act_is_named_with_the_link_when_names_are_kept() {
    let d = Doctor::new();
    let ran = d.run(&["check", SECRET, "--lang", "en", "--report", "-"]);
    let who = "- **An admin of the package `ghcr.io/acme/secret:latest`, or an owner of `acme`**: In the package's settings → Manage access, add `octocat` (or their team) with the Read role. <https://github.com/orgs/acme/packages/container/secret/settings>";
    assert!(ran.stdout.contains(who), "{}", ran.stdout);
    let ran = d.run(&["check", SECRET, "--lang", "ja", "--report", "-", "--anonymize"]);
    let who = "- **パッケージ `ghcr.io/org-1/image-1:latest` の管理者、または `org-1` のオーナー**：パッケージの設定 → Manage access で、`user-1`（またはそのチーム）を Read ロールで追加します。";
    assert!(ran.stdout.contains(who), "{}", ran.stdout);
    assert!(!ran.stdout.contains("<https://"), "no link with placeholders:\n{}", ran.stdout);
    insta::assert_snapshot!("report_anonymized_no_package_access_ja", stable(&d, &ran.stdout));

    let ran = d.run(&["check", "ghcr.io/locked/app:latest", "--lang", "en", "--report", "-"]);
    assert!(
        ran.stdout.contains("OAuth app policy, click Review next to GitHub CLI")
            && ran.stdout.contains("<https://github.com/organizations/locked/settings/oauth_application_policy>"),
        "{}",
        ran.stdout
    );
}

#[test]
fn anonymized_outputs_agree_on_every_placeholder() {
    // The same login and image in the human output, the JSON and the report.
    let d = Doctor::new();
    d.docker_logged_out();
    let args = ["check", "ghcr.io/acme/app:latest", "--lang", "en", "--anonymize"];
    let human = d.run(&args).stdout;
    let json = d.run(&[&args[..], &["--json"]].concat()).json();
    let report = d.run(&[&args[..], &["--report", "-"]].concat()).stdout;
    let login = "gh auth token | docker login ghcr.io -u user-1 --password-stdin";
    assert_eq!(json["next_steps"], serde_json::json!([login, "docker pull ghcr.io/org-1/image-1:latest"]));
    assert!(human.contains(login) && report.contains(&format!("1. `{login}`")), "{human}\n{report}");
    assert!(human.contains("Logged in to github.com as `user-1`"), "{human}");
    assert!(report.contains("| Names | replaced (`--anonymize`) |"), "{report}");
    insta::assert_snapshot!("report_anonymized_private_image_without_login_en", stable(&d, &report));
}

#[test]
fn a_ci_job_hides_its_repository_and_actor() {
    let mut d = Doctor::new();
    d.docker_logged_out();
    for (k, v) in [
        ("CI", "true"),
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_TOKEN", fixtures::GHS_ACTIONS),
        ("GITHUB_REPOSITORY", "acme/app-repo"),
        ("GITHUB_REPOSITORY_OWNER", "acme"),
        ("GITHUB_ACTOR", "octocat"),
        ("GITHUB_EVENT_NAME", "push"),
        ("GITHUB_SERVER_URL", "https://github.com"),
    ] {
        d.env(k, v);
    }
    let args = ["check", "--push", SECRET, "--lang", "en", "--report", "-"];
    let plain = d.run(&args);
    assert_eq!(plain.code, 1, "{}", plain.stdout);
    assert!(
        plain.stdout.contains("Manage Actions access → Add Repository, add `acme/app-repo` with the Write role."),
        "{}",
        plain.stdout
    );
    let ran = d.run(&[&args[..], &["--anonymize"]].concat());
    assert!(
        ran.stdout.contains("Manage Actions access → Add Repository, add `org-1/repo-1` with the Write role."),
        "{}",
        ran.stdout
    );
    let names = ["octocat", "acme", "app-repo", "secret"].map(str::to_owned);
    assert_anonymous(&ran.stdout, &names, &d.home.path().display().to_string(), "CI report");
    let json = d.run(&["check", "--push", SECRET, "--anonymize", "--json"]);
    assert_anonymous(&json.stdout, &names, &d.home.path().display().to_string(), "CI JSON");
}

#[test]
fn an_enterprise_host_is_a_placeholder_that_keeps_its_shape() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_REGISTRY_URL", "http://127.0.0.1:9/");
    let ran = d.run(&[
        "check",
        "--host",
        "github.example.com",
        "containers.github.example.com/acme/app:latest",
        "--lang",
        "en",
        "--anonymize",
        "--report",
        "-",
    ]);
    assert!(
        ran.stdout.starts_with("### ghcr-doctor ")
            && ran.stdout.contains(": ghe-host-1 → containers.ghe-host-1 (pull)"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("| GitHub host | `ghe-host-1` (GitHub Enterprise Server) |"), "{}", ran.stdout);
    assert!(ran.stdout.contains("**The site administrator of `ghe-host-1`**"), "{}", ran.stdout);
}
