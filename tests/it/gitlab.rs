//! GitLab's container registry end to end, hermetic: the real binary against the testkit's
//! loopback GitLab (its API, `/jwt/auth` issuing real JWTs, and its registry), a fake `glab`
//! and a fake docker. One scenario per cause the live pipeline reports for GitLab; each asserts
//! the exit code and the cause in the JSON, and snapshots the human report in English and
//! Japanese plus the JSON. Every run is scanned for every fixture secret.

use std::collections::BTreeMap;
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::{Command, Stdio};

use ghcr_doctor_testkit::gitlab::{
    GitlabApiServer, GitlabRegistryServer, GlabConfig, GlabConfigDir, GlabFake, GlabHost, GlabToken, SharedGitlabWorld,
    fixtures,
};
use ghcr_doctor_testkit::{CredHelperFake, DockerFake, FakeBin};
use serde_json::Value;

use crate::harness::{BIN, Run, stable_json};

const APP: &str = "registry.gitlab.com/acme/app:latest";

/// One prepared machine, about GitLab.com's registry played by loopback servers.
struct GitlabDoctor {
    home: tempfile::TempDir,
    bin: FakeBin,
    world: SharedGitlabWorld,
    api: GitlabApiServer,
    registry: GitlabRegistryServer,
    glab_dir: GlabConfigDir,
    env: BTreeMap<String, String>,
    _socket: UnixListener,
}

impl GitlabDoctor {
    /// docker running and logged in to registry.gitlab.com as alice with a `read_registry` PAT;
    /// no glab; the standard world.
    fn new() -> GitlabDoctor {
        let home = tempfile::tempdir().unwrap();
        let bin = FakeBin::new().unwrap();
        let world = SharedGitlabWorld::new(fixtures::standard_world());
        let api = GitlabApiServer::start(world.clone()).unwrap();
        let registry = GitlabRegistryServer::start(world.clone(), &api).unwrap();
        let socket_path = home.path().join("docker.sock");
        let socket = UnixListener::bind(&socket_path).unwrap();
        let tools = home.path().join(".tools");
        std::fs::create_dir_all(&tools).unwrap();
        for tool in ["cat", "sleep", "head", "tr"] {
            std::os::unix::fs::symlink(Path::new("/bin").join(tool), tools.join(tool)).unwrap();
        }
        let glab_dir = GlabConfigDir::new().unwrap();
        let mut env = BTreeMap::new();
        env.insert("HOME".into(), home.path().display().to_string());
        env.insert("PATH".into(), format!("{}:{}", bin.dir().display(), tools.display()));
        env.insert("DOCKER_HOST".into(), format!("unix://{}", socket_path.display()));
        env.insert("GHCR_DOCTOR_API_URL".into(), api.base_url().to_owned());
        env.insert("GHCR_DOCTOR_REGISTRY_URL".into(), registry.base_url().to_owned());
        env.insert("GLAB_CONFIG_DIR".into(), glab_dir.path().display().to_string());
        let doctor = GitlabDoctor { home, bin, world, api, registry, glab_dir, env, _socket: socket };
        doctor.bin.docker(&DockerFake::running()).unwrap();
        doctor.docker_login("alice", fixtures::GLPAT_ALICE_READ);
        doctor
    }

    /// [`GitlabDoctor::new`] plus glab 1.79.0 logged in to gitlab.com as alice with the same
    /// `read_registry` PAT in its config: every check passes.
    fn with_glab_logged_in() -> GitlabDoctor {
        let mut d = GitlabDoctor::new();
        let host = GlabHost::gitlab_com("alice", GlabToken::Config(fixtures::GLPAT_ALICE_READ.into()));
        d.bin
            .glab(
                &GlabFake::with_version("1.79.0")
                    .host(host.clone(), ghcr_doctor_testkit::gitlab::GlabApiResult::LoggedIn("alice".into())),
            )
            .unwrap();
        d.glab_dir.write(&GlabConfig::new(vec![host])).unwrap();
        d.env("TERM", "dumb");
        d
    }

    /// docker logged in to registry.gitlab.com through the `fake` credential helper.
    fn docker_login(&self, user: &str, secret: &str) -> &Self {
        self.bin.credential_helper("fake", &CredHelperFake::new().entry("registry.gitlab.com", user, secret)).unwrap();
        self.docker_config(r#"{"credsStore": "fake"}"#)
    }

    fn docker_config(&self, json: &str) -> &Self {
        let path = self.home.path().join(".docker/config.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, json).unwrap();
        self
    }

    fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.into(), value.into());
        self
    }

    /// A GitLab CI job of `project` with its job token as `CI_REGISTRY_PASSWORD`; docker holds
    /// nothing yet (the job's `docker login` comes later).
    fn job(&mut self, project: &str, job_token: &str) -> &mut Self {
        self.docker_config("{}");
        for (k, v) in [
            ("CI", "true"),
            ("GITLAB_CI", "true"),
            ("CI_PROJECT_PATH", project),
            ("CI_REGISTRY", "registry.gitlab.com"),
            ("CI_SERVER_URL", "https://gitlab.com"),
            ("CI_REGISTRY_USER", "gitlab-ci-token"),
            ("CI_REGISTRY_PASSWORD", job_token),
            ("CI_JOB_TOKEN", job_token),
        ] {
            self.env(k, v);
        }
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args).env_clear().envs(&self.env).current_dir(self.home.path()).stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().expect("run ghcr-doctor");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        for secret in fixtures::ALL_SECRETS {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "a fixture secret leaked:\n{}{}",
                run.stdout,
                run.stderr
            );
        }
        crate::harness::assert_no_secret(&run.stdout);
        crate::harness::assert_no_secret(&run.stderr);
        run
    }

    fn redact(&self, text: &str) -> String {
        // The registry the run was pointed at: the loopback one, or a scenario's own.
        let registry = self.env.get("GHCR_DOCTOR_REGISTRY_URL").map_or(self.registry.base_url(), String::as_str);
        let text = text
            .replace(concat!("ghcr-doctor ", env!("CARGO_PKG_VERSION")), "ghcr-doctor [version]")
            .replace(registry.trim_end_matches('/'), "http://REGISTRY")
            .replace(self.api.base_url().trim_end_matches('/'), "http://GITLAB")
            .replace(&self.glab_dir.path().display().to_string(), "$GLAB_CONFIG_DIR")
            .replace(&self.home.path().display().to_string(), "$HOME")
            .replace(&self.bin.dir().display().to_string(), "$BIN");
        dates_redacted(text)
    }
}

/// Every `YYYY-MM-DD` as `[date]`: the fake's tokens expire a year from today, so their dates
/// change every day.
fn dates_redacted(text: String) -> String {
    let bytes = text.as_bytes();
    let is_date = |i: usize| {
        bytes.len() >= i + 10
            && bytes[i..i + 10]
                .iter()
                .enumerate()
                .all(|(k, b)| if k == 4 || k == 7 { *b == b'-' } else { b.is_ascii_digit() })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if is_date(i) {
            out.push_str("[date]");
            i += 10;
        } else {
            let ch = text[i..].chars().next().expect("inside the string");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Runs `check ARGS` in en, ja and JSON; asserts exit code and `check_id`'s cause; snapshots.
fn verdict(name: &str, d: &GitlabDoctor, args: &[&str], code: i32, check_id: &str, cause: Option<&str>) -> Value {
    let with = |extra: &[&str]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.extend_from_slice(extra);
        d.run(&all)
    };
    let json_run = with(&["--json"]);
    let json = json_run.json();
    assert_eq!(json_run.code, code, "exit code\n{}\n{}", json_run.stdout, json_run.stderr);
    assert_eq!(json["family"], "gitlab");
    let check = json["checks"].as_array().unwrap().iter().find(|c| c["id"] == check_id).unwrap();
    assert_eq!(check["cause"].as_str(), cause, "cause of {check_id}: {json:#}");
    let en = with(&["--lang", "en"]);
    let ja = with(&["--lang", "ja"]);
    assert_eq!((en.code, ja.code), (code, code));
    with(&["-v"]);
    let snapshot = format!(
        "exit {code}\n--- en\n{}--- ja\n{}--- json\n{}\n",
        d.redact(&en.stdout),
        d.redact(&ja.stdout),
        d.redact(&serde_json::to_string_pretty(&stable_json(json.clone())).unwrap())
    );
    insta::assert_snapshot!(format!("gitlab_{name}"), snapshot);
    json
}

fn steps(json: &Value) -> Vec<String> {
    json["next_steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

#[test]
fn pat_pull_all_set_up() {
    let d = GitlabDoctor::new();
    let json = verdict("pat_pull_all_set_up", &d, &[APP], 0, "registry-access", None);
    let ids: Vec<&str> = json["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "glab-installed",
            "gitlab-host",
            "gitlab-auth",
            "token-scopes",
            "docker-daemon",
            "docker-credentials",
            "registry-access"
        ]
    );
    assert_eq!(json["checks"][0]["cause"], "glab-missing", "glab is optional: a warning");
    assert_eq!(json["status"], "warn");
    // The doctor asked the token about itself, never `/api/v4/user`.
    let paths: Vec<String> = d.world.edit(|w| w.requests().iter().map(|r| r.path.clone()).collect());
    assert!(paths.iter().any(|p| p == "/api/v4/personal_access_tokens/self"), "{paths:?}");
    assert!(!paths.iter().any(|p| p == "/api/v4/user"), "{paths:?}");
}

#[test]
fn deploy_token_pull() {
    let d = GitlabDoctor::new();
    d.docker_login(fixtures::GLDT_APP_READ_USER, fixtures::GLDT_APP_READ);
    let json = verdict("deploy_token_pull", &d, &[APP], 0, "registry-access", None);
    assert_eq!(json["checks"][3]["status"], "skip", "deploy tokens cannot be asked through the API");
}

#[test]
fn glab_installed_with_its_token() {
    let d = GitlabDoctor::with_glab_logged_in();
    let json = verdict("glab_installed_with_its_token", &d, &[APP], 0, "glab-installed", None);
    assert_eq!(json["status"], "pass");
}

#[test]
fn glab_config_readable_by_others_warns() {
    let d = GitlabDoctor::new();
    let host = GlabHost::gitlab_com("alice", GlabToken::Config(fixtures::GLPAT_ALICE_READ.into()));
    d.glab_dir.write_with_mode(&GlabConfig::new(vec![host]), 0o644).unwrap();
    let json = verdict("glab_config_mode", &d, &[APP], 0, "gitlab-auth", Some("glab-config-mode"));
    assert!(steps(&json).iter().any(|s| s.starts_with("chmod 600 ")), "{json:#}");
}

#[test]
fn malformed_glab_config_is_bad_input() {
    let d = GitlabDoctor::new();
    d.glab_dir.write_raw("hosts:\n  gitlab.com:\n    token: [\n", 0o600).unwrap();
    for (lang, words) in [("en", "glab"), ("ja", "glab")] {
        let run = d.run(&["check", APP, "--lang", lang]);
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(words) && run.stderr.contains("config.yml"), "{}", run.stderr);
    }
}

#[test]
fn missing_registry_scope() {
    let d = GitlabDoctor::new();
    d.docker_login("alice", fixtures::GLPAT_ALICE_NO_REGISTRY);
    let json = verdict("missing_registry_scope", &d, &[APP], 1, "token-scopes", Some("missing-registry-scope"));
    assert_eq!(json["checks"][6]["cause"], "missing-registry-scope");
    let steps = steps(&json);
    assert!(steps.contains(&"docker logout registry.gitlab.com".to_owned()), "{steps:?}");
    assert!(
        steps.iter().any(|s| s.ends_with("| docker login registry.gitlab.com -u alice --password-stdin")),
        "{steps:?}"
    );
}

#[test]
fn write_only_token_cannot_pull() {
    let d = GitlabDoctor::new();
    d.docker_login("alice", fixtures::GLPAT_ALICE_WRITE_ONLY);
    verdict("write_only_token", &d, &[APP], 1, "registry-access", Some("missing-registry-scope"));
}

#[test]
fn read_api_token_pulls() {
    let d = GitlabDoctor::new();
    d.docker_login("alice", fixtures::GLPAT_ALICE_READ_API);
    let json = verdict("read_api_token_pulls", &d, &[APP], 0, "token-scopes", None);
    assert_eq!(json["checks"][6]["status"], "pass");
}

#[test]
fn stale_credentials_in_docker() {
    let d = GitlabDoctor::new();
    d.docker_login("alice", fixtures::GLPAT_REVOKED);
    verdict("stale_credentials", &d, &[APP], 1, "docker-credentials", Some("stale-credentials"));
}

#[test]
fn token_invalid_in_the_variable() {
    let mut d = GitlabDoctor::new();
    d.env("GITLAB_TOKEN", fixtures::GLPAT_EXPIRED);
    let json = verdict("token_invalid_variable", &d, &[APP], 0, "gitlab-auth", Some("token-invalid"));
    // docker's own login works: the fix drops the variable, it does not replace docker's login.
    assert_eq!(steps(&json), ["unset GITLAB_TOKEN"], "{json:#}");
}

#[test]
fn two_factor_password() {
    let d = GitlabDoctor::new();
    d.docker_login("carol", fixtures::CAROL_PASSWORD);
    let json = verdict("two_factor_password", &d, &[APP], 1, "registry-access", Some("gitlab-2fa-password"));
    let text = d.run(&["check", APP, "--lang", "en"]).stdout;
    assert!(text.contains("most likely"), "worded as likely: {text}");
    assert_eq!(json["root_cause"], "gitlab-2fa-password");
}

#[test]
fn proxy_strips_authorization() {
    let d = GitlabDoctor::new();
    d.world.edit(|w| w.modes.strip_jwt_authorization = true);
    verdict("access_forbidden_proxy", &d, &[APP], 1, "registry-access", Some("gitlab-access-forbidden"));
}

#[test]
fn no_credentials_for_a_private_project() {
    let d = GitlabDoctor::new();
    d.docker_config("{}");
    verdict("no_credentials", &d, &[APP], 1, "registry-access", Some("no-credentials"));
}

#[test]
fn public_project_without_login() {
    let d = GitlabDoctor::new();
    d.docker_config("{}");
    verdict("public_without_login", &d, &["registry.gitlab.com/acme/public:latest"], 0, "registry-access", None);
}

#[test]
fn no_access_told_apart_with_read_api() {
    let mut d = GitlabDoctor::new();
    d.env("GITLAB_TOKEN", fixtures::GLPAT_ALICE_READ_API);
    d.docker_login("alice", fixtures::GLPAT_ALICE_READ_API);
    let json = verdict(
        "registry_disabled",
        &d,
        &["registry.gitlab.com/acme/no-registry:latest"],
        1,
        "registry-access",
        Some("no-package-access"),
    );
    let text = d.run(&["check", "registry.gitlab.com/acme/no-registry:latest", "--lang", "en"]).stdout;
    assert!(text.contains("container registry is disabled"), "{text}");
    assert_eq!(json["root_cause"], "no-package-access");
    let missing = d.run(&["check", "registry.gitlab.com/acme/missing:latest", "--lang", "en", "--json"]).json();
    assert_eq!(missing["checks"][6]["cause"], "no-package-access");
    assert!(missing["checks"][6]["message"].as_str().unwrap().contains("404 Project Not Found"), "{missing:#}");
}

#[test]
fn no_access_without_read_api_says_it_cannot_tell() {
    let d = GitlabDoctor::new();
    let json = verdict(
        "no_access_cannot_tell",
        &d,
        &["registry.gitlab.com/acme/no-registry:latest"],
        1,
        "registry-access",
        Some("no-package-access"),
    );
    assert!(json["checks"][6]["message"].as_str().unwrap().contains("read_api"), "{json:#}");
}

#[test]
fn tag_not_found() {
    let d = GitlabDoctor::new();
    verdict("tag_not_found", &d, &["registry.gitlab.com/acme/app:nope"], 1, "registry-access", Some("tag-not-found"));
}

/// The shared causes, as a GitLab run names them: the daemon, a registry that cannot be reached,
/// and one that accepts and never answers.
#[test]
fn daemon_unreachable() {
    let mut d = GitlabDoctor::new();
    d.env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    d.bin.docker(&DockerFake::daemon_down("unix:///nonexistent/docker.sock")).unwrap();
    verdict("daemon_unreachable", &d, &[APP], 1, "docker-daemon", Some("daemon-unreachable"));
}

#[test]
fn registry_unreachable() {
    let mut d = GitlabDoctor::new();
    d.env("GHCR_DOCTOR_REGISTRY_URL", "http://127.0.0.1:9/");
    verdict("registry_unreachable", &d, &[APP], 1, "gitlab-host", Some("network"));
}

#[test]
fn registry_that_never_answers_times_out() {
    let hole = ghcr_doctor_testkit::fixture::HttpFixture::blackhole();
    let mut d = GitlabDoctor::new();
    d.env("GHCR_DOCTOR_REGISTRY_URL", &hole.url("/"));
    let started = std::time::Instant::now();
    verdict("registry_timeout", &d, &[APP, "--timeout", "1"], 1, "gitlab-host", Some("timeout"));
    // Four runs of one second each (JSON, en, ja, -v): a sanity bound, not a benchmark.
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
}

#[test]
fn push_without_write_registry() {
    let d = GitlabDoctor::new();
    let json = verdict("push_without_write", &d, &[APP, "--push"], 1, "token-scopes", Some("missing-registry-scope"));
    assert!(steps(&json).iter().all(|s| !s.contains("gh ")), "{json:#}");
}

#[test]
fn push_warns_of_the_short_registry_token() {
    let d = GitlabDoctor::new();
    d.docker_login("alice", fixtures::GLPAT_ALICE_WRITE);
    let json =
        verdict("push_token_lifetime", &d, &[APP, "--push"], 0, "registry-access", Some("registry-token-expired"));
    assert!(json["checks"][6]["message"].as_str().unwrap().contains("5 minutes"), "{json:#}");
}

#[test]
fn job_token_pushes_to_its_own_project() {
    let mut d = GitlabDoctor::new();
    d.job("acme/app", fixtures::GLCBT_APP_JOB);
    let json = verdict("job_token_own_project_push", &d, &[APP, "--push"], 0, "token-scopes", None);
    let ids: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.is_empty(), "{json:#}");
}

#[test]
fn job_token_push_to_another_project() {
    let mut d = GitlabDoctor::new();
    d.job("acme/tools", fixtures::GLCBT_TOOLS_JOB);
    let json =
        verdict("job_token_other_project", &d, &[APP, "--push"], 1, "token-scopes", Some("job-token-other-project"));
    assert_eq!(json["checks"][6]["cause"], "job-token-other-project", "the registry agrees: {json:#}");
}

#[test]
fn job_token_pull_outside_the_allowlist() {
    let mut d = GitlabDoctor::new();
    d.job("acme/app", fixtures::GLCBT_APP_JOB);
    let json = verdict(
        "job_token_not_allowed",
        &d,
        &["registry.gitlab.com/acme/other:latest"],
        1,
        "registry-access",
        Some("job-token-not-allowed"),
    );
    assert_eq!(steps(&json), Vec::<String>::new(), "only the other project's settings fix it: {json:#}");
}

#[test]
fn finished_job_token_is_invalid() {
    let mut d = GitlabDoctor::new();
    d.job("acme/app", fixtures::GLCBT_FINISHED_JOB);
    let json = verdict("job_token_finished", &d, &[APP], 1, "registry-access", Some("token-invalid"));
    assert!(steps(&json).iter().all(|s| !s.contains("read -r")), "no prompt in a job: {json:#}");
}

#[test]
fn self_managed_needs_its_registry_named() {
    let d = GitlabDoctor::new();
    for lang in ["en", "ja"] {
        let run = d.run(&["check", "--forge", "gitlab", "--host", "gitlab.example.com", "--lang", lang]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("gitlab.example.com:5050"), "{}", run.stderr);
    }
    let run = d.run(&["check", "--registry", "registry.example.com"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let config = d.home.path().join("ghcr-doctor.toml");
    std::fs::write(&config, "forge = \"gitee\"\n").unwrap();
    let run = d.run(&["check", APP]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`forge`"), "{}", run.stderr);
}

/// An image on a registry no forge is known for (not GitHub's, not GitLab.com's, not named by
/// `--registry` or the config) stops the run with exit 2 in both languages, saying how to name
/// a self-managed GitLab's registry; with it named, the same image is checked.
#[test]
fn a_registry_that_matches_no_forge_is_bad_input() {
    let d = GitlabDoctor::new();
    for (lang, words) in [("en", "neither a GitHub registry"), ("ja", "GitHub のレジストリ（")] {
        let run = d.run(&["check", "--lang", lang, "gitlab.example.com:5050/acme/app:1"]);
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(run.stderr.contains(words), "{}", run.stderr);
        assert!(
            run.stderr.contains("--forge gitlab --host GITLAB_HOST --registry gitlab.example.com:5050"),
            "{}",
            run.stderr
        );
    }
    let run = d.run(&["check", "--json", "docker.io/library/alpine"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let named = &[
        "check",
        "--json",
        "--forge",
        "gitlab",
        "--host",
        "gitlab.example.com",
        "--registry",
        "gitlab.example.com:5050",
    ];
    let run = d.run(&[&named[..], &["gitlab.example.com:5050/acme/app:latest"]].concat());
    assert_eq!(run.json()["family"], "gitlab", "{}", run.stdout);
}

#[test]
fn self_managed_gitlab_from_the_config() {
    let d = GitlabDoctor::new();
    std::fs::write(
        d.home.path().join("ghcr-doctor.toml"),
        "forge = \"gitlab\"\nhost = \"gitlab.example.com\"\nregistry = \"gitlab.example.com:5050\"\nimages = [\"gitlab.example.com:5050/acme/app:latest\"]\n",
    )
    .unwrap();
    d.bin
        .credential_helper(
            "fake",
            &CredHelperFake::new().entry("gitlab.example.com:5050", "alice", fixtures::GLPAT_ALICE_READ),
        )
        .unwrap();
    let json = d.run(&["check", "--json"]).json();
    assert_eq!(
        (json["family"].as_str(), json["host"].as_str(), json["registry"].as_str()),
        (Some("gitlab"), Some("gitlab.example.com"), Some("gitlab.example.com:5050"))
    );
    assert_eq!(json["checks"][6]["status"], "pass", "{json:#}");
    // `--anonymize`: the self-managed host and its registry become `gitlab-host-1`, in every format.
    for format in [&["--json"][..], &["--lang", "en"], &["--lang", "ja"], &["--report", "-"], &["--format", "gitlab"]] {
        let run = d.run(&[&["check", "--anonymize"][..], format].concat());
        let out = format!("{}{}", run.stdout, run.stderr);
        assert!(!out.contains("gitlab.example.com"), "{format:?} leaks the host:\n{out}");
        assert!(out.contains("gitlab-host-1"), "{format:?}:\n{out}");
    }
    let report = std::fs::read_to_string(d.home.path().join("gl-code-quality-report.json")).unwrap();
    assert!(!report.contains("gitlab.example.com"), "the Code Quality report leaks the host:\n{report}");
}

#[test]
fn check_is_read_only_and_unchanged_files_stay() {
    let d = GitlabDoctor::new();
    let before = std::fs::read(d.home.path().join(".docker/config.json")).unwrap();
    d.run(&["check", APP, "--push"]);
    assert_eq!(std::fs::read(d.home.path().join(".docker/config.json")).unwrap(), before);
}

// ---------------------------------------------------------------------------------------------
// `--format gitlab`: job log sections and the Code Quality report (gitlab-facts §14)

/// The sections of a `--format gitlab` log: (name, collapsed, header, body) in order; asserts
/// that each start has its end and that nothing is left between them unclosed.
fn sections(log: &str) -> Vec<(String, bool, String, String)> {
    let mut found = Vec::new();
    let mut rest = log;
    while let Some(at) = rest.find("\x1b[0Ksection_start:") {
        let after = &rest[at + "\x1b[0Ksection_start:".len()..];
        let (marker, after) = after.split_once("\r\x1b[0K").expect("a start marker ends with \\r\\e[0K");
        let (timestamp, name_and_options) = marker.split_once(':').unwrap();
        assert!(timestamp.parse::<u64>().is_ok_and(|t| t > 1_600_000_000), "a UNIX timestamp: {marker}");
        let (name, options) = name_and_options.split_once('[').unwrap();
        let collapsed = match options {
            "collapsed=true]" => true,
            "collapsed=false]" => false,
            other => panic!("options {other}"),
        };
        let (header, after) = after.split_once('\n').unwrap();
        let end = format!("\x1b[0Ksection_end:{timestamp}:{name}\r\x1b[0K\n");
        let end_at = after.find(&end).unwrap_or_else(|| panic!("no end for {name} in {after:?}"));
        assert!(!after[..end_at].contains("section_start:"), "sections do not nest");
        found.push((name.to_owned(), collapsed, header.to_owned(), after[..end_at].to_owned()));
        rest = &after[end_at + end.len()..];
    }
    found
}

#[test]
fn gitlab_format_writes_sections_and_a_code_quality_report() {
    let mut d = GitlabDoctor::new();
    d.job("acme/tools", fixtures::GLCBT_TOOLS_JOB).env("CI_CONFIG_PATH", "ci/build.gitlab-ci.yml");
    let json = d.run(&["check", APP, "--push", "--json"]).json();
    let statuses: Vec<(String, String)> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().replace('-', "_"), c["status"].as_str().unwrap().to_owned()))
        .collect();

    let mut fingerprints = Vec::new();
    for lang in ["en", "ja"] {
        let run = d.run(&["check", APP, "--push", "--format", "gitlab", "--lang", lang]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains("\x1b[3") && !run.stdout.contains("\x1b[1m"), "no colour when not asked");
        let found = sections(&run.stdout);
        assert_eq!(found.len(), statuses.len(), "one section per check:\n{}", run.stdout);
        for ((name, collapsed, header, _), (id, status)) in found.iter().zip(&statuses) {
            assert_eq!(name, &format!("ghcr_doctor_{id}"));
            assert_eq!(*collapsed, status == "pass" || status == "skip", "{name} is {status}");
            assert!(header.contains(&id.replace('_', "-")), "the status line heads it: {header}");
        }
        assert!(found.iter().any(|s| s.1) && found.iter().any(|s| !s.1), "{found:#?}");
        let token_scopes = found.iter().find(|s| s.0 == "ghcr_doctor_token_scopes").unwrap();
        assert!(!token_scopes.1 && token_scopes.3.contains("acme/tools"), "the failure is open: {token_scopes:?}");
        // The root cause and the next steps stay outside every section.
        let root_cause = if lang == "en" { "Root cause" } else { "根本原因" };
        let tail = &run.stdout[run.stdout.rfind("section_end:").unwrap()..];
        assert!(tail.contains(root_cause), "{}", run.stdout);

        let report = std::fs::read_to_string(d.home.path().join("gl-code-quality-report.json")).unwrap();
        crate::harness::assert_no_secret(&report);
        for secret in fixtures::ALL_SECRETS {
            assert!(!report.contains(secret), "a secret in the Code Quality report");
        }
        let issues: Vec<Value> = serde_json::from_str::<Value>(&report).unwrap().as_array().unwrap().clone();
        let failing = statuses.iter().filter(|(_, s)| s == "fail" || s == "warn").count();
        assert!(issues.len() >= failing, "an issue per failing or warning check: {issues:#?}");
        for issue in &issues {
            assert_eq!(issue["location"], serde_json::json!({"path": "ci/build.gitlab-ci.yml", "lines": {"begin": 1}}));
            assert!(["major", "minor"].contains(&issue["severity"].as_str().unwrap()), "{issue}");
            assert!(!issue["description"].as_str().unwrap().contains('\n'), "{issue}");
        }
        let scopes = issues
            .iter()
            .find(|i| i["check_name"] == "ghcr-doctor/token-scopes/job-token-other-project")
            .unwrap_or_else(|| panic!("{issues:#?}"));
        assert_eq!(scopes["severity"], "major");
        let description = scopes["description"].as_str().unwrap();
        assert!(description.contains("acme/tools"), "{description}");
        if lang == "ja" {
            assert!(description.contains("対処"), "the description is in the run's language: {description}");
        }
        let mut prints: Vec<String> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap().to_owned()).collect();
        let count = prints.len();
        prints.sort();
        prints.dedup();
        assert_eq!(prints.len(), count, "fingerprints are unique: {issues:#?}");
        fingerprints.push(prints);
    }
    assert_eq!(fingerprints[0], fingerprints[1], "the same findings keep their fingerprints across languages");

    // A clean run: every section collapsed, and an empty report at the path asked for.
    let clean = GitlabDoctor::with_glab_logged_in();
    let run = clean.run(&["check", APP, "--format", "gitlab", "--codequality", "out/cq.json"]);
    assert_eq!(run.code, 2, "the directory does not exist: {}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("Code Quality") && run.stderr.contains("out/cq.json"), "{}", run.stderr);
    std::fs::create_dir(clean.home.path().join("out")).unwrap();
    let run = clean.run(&["check", APP, "--format", "gitlab", "--codequality", "out/cq.json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let found = sections(&run.stdout);
    assert_eq!(found.len(), 7);
    assert!(found.iter().all(|s| s.1), "{found:#?}");
    assert_eq!(std::fs::read_to_string(clean.home.path().join("out/cq.json")).unwrap(), "[]\n");

    // `--codequality` without `--format gitlab` is a usage error.
    let run = clean.run(&["check", APP, "--codequality", "x.json", "--lang", "ja"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`--format gitlab` と一緒に使います"), "{}", run.stderr);
}

/// `ghcr-doctor docs` writes a GitLab team's pages when its config names a GitLab forge, and
/// when every image is on `registry.gitlab.com` without one; a GitHub config still gets GitHub's.
#[test]
fn docs_follow_the_forge_of_the_team_config() {
    let d = crate::harness::Doctor::new();
    let cases = [
        (
            "forge = \"gitlab\"\nhost = \"gitlab.example.com\"\nregistry = \"gitlab.example.com:5050\"\nimages = [\"gitlab.example.com:5050/acme/app:1\"]\n",
            "https://gitlab.example.com/-/user_settings/personal_access_tokens?scopes=read_registry",
            "docker login gitlab.example.com:5050 -u \"$USER\" --password-stdin",
        ),
        (
            "images = [\"registry.gitlab.com/acme/app:main\"]\naccess = \"push\"\n",
            "https://gitlab.com/-/user_settings/personal_access_tokens?scopes=read_registry,write_registry",
            "docker login registry.gitlab.com -u \"$USER\" --password-stdin",
        ),
        (
            "images = [\"ghcr.io/acme/app:main\"]\n",
            "gh auth login",
            "gh auth token | docker login ghcr.io -u \"$(gh api user --jq .login)\" --password-stdin",
        ),
    ];
    for (i, (config, token_step, login)) in cases.into_iter().enumerate() {
        let path = d.home.path().join(format!("team-{i}.toml"));
        std::fs::write(&path, config).unwrap();
        let out = d.home.path().join(format!("docs-{i}"));
        let run = d.run(&["docs", "--config", path.to_str().unwrap(), "--out", out.to_str().unwrap(), "--lang", "en"]);
        assert_eq!(run.code, 0, "{config}: {}", run.stderr);
        let onboarding = std::fs::read_to_string(out.join("en/onboarding.md")).unwrap();
        assert!(onboarding.contains(token_step), "{config}: {token_step}");
        assert!(onboarding.contains(login), "{config}: {login}");
        let gitlab = i < 2;
        assert_eq!(onboarding.contains("## In GitLab CI"), gitlab, "{config}");
        let reference = std::fs::read_to_string(out.join("en/checks.md")).unwrap();
        assert_eq!(reference.contains("<a id=\"sso-not-authorized\"></a>"), !gitlab, "{config}");
        assert!(reference.contains("<a id=\"job-token-other-project\"></a>"), "{config}");
    }
}
