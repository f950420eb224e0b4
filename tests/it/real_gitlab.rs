//! The GitLab family's proof that a verdict predicts docker: the REAL docker CLI and daemon
//! (Debian 20.10) and Debian's distribution registry 2.8 behind the testkit's GitLab `/jwt/auth`
//! ([`RealGitlab`], configured as gitlab-facts §12 configures a self-managed registry), and the
//! ghcr-doctor binary run as for a self-managed GitLab (`--forge gitlab --host gitlab.example.com
//! --registry 127.0.0.1:PORT`). For each case the doctor runs first (it changes nothing), then
//! `docker pull`/`docker push`, and the two must agree:
//!
//! - the PAT pull and the deploy-token pull work, and the doctor says so;
//! - a CI job's token pushing to another project: the doctor names `job-token-other-project`
//!   before the push, and the real push is refused;
//! - a push that outlasts the registry JWT: the doctor warns `registry-token-expired` (the
//!   lifetime read from the JWT's `exp − iat`), and the real push of a large layer through a
//!   throttled link fails mid-way with `unauthorized: authentication required`; `explain` on
//!   docker's text lists the same cause.
//!
//! The table `case | doctor verdict | docker outcome` is written to
//! `target/real-gitlab-scenarios.md` for CI to `cat`. Where the real registry is not GitLab's
//! fork, see the notes in crates/testkit/src/gitlab/real.rs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::gitlab::fixtures::{
    self, GLCBT_TOOLS_JOB, GLDT_APP_READ, GLDT_APP_READ_USER, GLPAT_ALICE_READ, GLPAT_ALICE_WRITE,
};
use ghcr_doctor_testkit::real_docker::{self, CmdOutput, run};
use ghcr_doctor_testkit::{RealGitlab, SharedGitlabWorld};

use crate::real_docker::{target_dir, timed_out};
use serde_json::Value;

const HOST: &str = "gitlab.example.com";

struct Runner {
    env: RealGitlab,
    rows: Vec<String>,
    failures: Vec<String>,
}

impl Runner {
    fn config(&self) -> PathBuf {
        real_docker::fresh_docker_config(self.env.work.path())
    }

    /// `ghcr-doctor check --json` for a self-managed GitLab whose registry is `registry`.
    fn doctor(&self, config: &Path, registry: &str, extra_env: &[(&str, &str)], args: &[&str]) -> (CmdOutput, Value) {
        let mut cmd = self.env.command(env!("CARGO_BIN_EXE_ghcr-doctor"), config);
        cmd.envs(extra_env.iter().copied())
            .env("GHCR_DOCTOR_REGISTRY_URL", format!("http://{registry}"))
            .args(["check", "--json", "--forge", "gitlab", "--host", HOST, "--registry", registry])
            .args(args);
        let out = run(&mut cmd, None, Duration::from_secs(120)).unwrap_or_else(|e| timed_out(&e));
        assert_no_secret(&out);
        let json = serde_json::from_str::<Value>(&out.stdout).unwrap_or(Value::Null);
        if json.is_object() {
            crate::harness::assert_valid("report.schema.json", &json);
        }
        (out, json)
    }

    fn docker(&self, config: &Path, args: &[&str]) -> CmdOutput {
        run(self.env.docker(config).args(args), None, real_docker::DOCKER_TIMEOUT).unwrap_or_else(|e| timed_out(&e))
    }

    fn login(&mut self, case: &str, host: &str, config: &Path, user: &str, secret: &str) {
        let out = self.env.docker_login_to(host, config, user, secret).unwrap_or_else(|e| timed_out(&e));
        if !out.success() {
            self.failures.push(format!("[{case}] docker login failed: {}", out.describe()));
        }
    }

    /// Records a case: the doctor's verdict on `check_id` against docker's outcome.
    fn record(&mut self, case: &str, json: &Value, check_id: &str, want: Want, docker: &CmdOutput) {
        let status = json["status"].as_str().unwrap_or("?");
        let check = json["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == check_id));
        let check_status = check.and_then(|c| c["status"].as_str()).unwrap_or("?");
        let cause = check.and_then(|c| c["cause"].as_str()).unwrap_or("-");
        let docker_text = docker.stderr.trim();
        assert_no_secret(docker);
        eprintln!("--- [{case}] docker rc={:?}\n{docker_text}", docker.code);
        let mut fail = |why: String| self.failures.push(format!("[{case}] {why}\n{json:#}"));
        if json["family"] != "gitlab" {
            fail("the report is not the GitLab family's".to_owned());
        }
        match want {
            Want::Works => {
                if status == "fail" || check_status != "pass" {
                    fail(format!("docker should work, the doctor says {status}, {check_id} {check_status}/{cause}"));
                }
                if !docker.success() {
                    fail(format!("docker failed: {}", docker.describe()));
                }
            }
            Want::Refused { cause: want_cause, root, docker_says } => {
                if cause != want_cause || json["root_cause"].as_str() != root {
                    fail(format!(
                        "the doctor names {cause} (root {:?}) on {check_id}; expected {want_cause} (root {root:?})",
                        json["root_cause"]
                    ));
                }
                if docker.success() || !docker_text.contains(docker_says) {
                    fail(format!("docker should fail with {docker_says:?}: {}", docker.describe()));
                }
            }
        }
        let last = docker_text.lines().last().unwrap_or("ok");
        let docker_cell = if docker.success() { "ok".to_owned() } else { format!("rc {:?}: `{last}`", docker.code) };
        self.rows.push(format!(
            "| {case} | {status}: {check_id} {check_status}/{cause} | {} |",
            docker_cell.replace('|', "\\|")
        ));
    }
}

#[derive(Clone, Copy)]
enum Want {
    Works,
    /// The doctor names `cause` on the check (and `root` as the root cause, if any); docker
    /// fails, printing `docker_says`.
    Refused {
        cause: &'static str,
        root: Option<&'static str>,
        docker_says: &'static str,
    },
}

fn assert_no_secret(out: &CmdOutput) {
    for secret in fixtures::ALL_SECRETS {
        assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret), "a secret leaked: {}", out.describe());
    }
}

#[test]
fn gitlab_verdicts_agree_with_real_docker() {
    if !real_docker::require_docker_components("gitlab_verdicts_agree_with_real_docker") {
        return;
    }
    let started = Instant::now();
    let env = RealGitlab::start(SharedGitlabWorld::new(fixtures::standard_world()))
        .unwrap_or_else(|e| panic!("cannot start the real GitLab set-up: {e}"));
    env.push_images(&["acme/app:latest"])
        .unwrap_or_else(|e| panic!("cannot push the image: {e}\n--- registry log\n{}", env.registry_log()));
    let mut r = Runner { env, rows: Vec::new(), failures: Vec::new() };
    let registry = r.env.registry_host();
    let app = r.env.reference("acme/app:latest");

    // 1. A personal access token with read_registry, logged in through stdin.
    let c = r.config();
    r.login("PAT pull", &registry, &c, "alice", GLPAT_ALICE_READ);
    let (_, json) = r.doctor(&c, &registry, &[], &[&app]);
    r.env.remove_local(&app);
    let pulled = r.docker(&c, &["pull", &app]);
    r.record("PAT pull (read_registry)", &json, "registry-access", Want::Works, &pulled);
    r.env.remove_local(&app);

    // 2. A deploy token with read_registry (the API cannot see it; `/jwt/auth` can).
    let c = r.config();
    r.login("deploy-token pull", &registry, &c, GLDT_APP_READ_USER, GLDT_APP_READ);
    let (_, json) = r.doctor(&c, &registry, &[], &[&app]);
    let pulled = r.docker(&c, &["pull", &app]);
    r.record("deploy-token pull (read_registry)", &json, "registry-access", Want::Works, &pulled);
    r.env.remove_local(&app);

    // 3. A job of acme/tools pushes to acme/app with its job token: the doctor, from the job's
    //    variables, before the job's `docker login`; then the job's login and push.
    let c = r.config();
    let job = [
        ("CI", "true"),
        ("GITLAB_CI", "true"),
        ("CI_SERVER_URL", "https://gitlab.example.com"),
        ("CI_PROJECT_PATH", "acme/tools"),
        ("CI_REGISTRY", registry.as_str()),
        ("CI_REGISTRY_USER", "gitlab-ci-token"),
        ("CI_REGISTRY_PASSWORD", GLCBT_TOOLS_JOB),
        ("CI_JOB_TOKEN", GLCBT_TOOLS_JOB),
    ];
    let (_, json) = r.doctor(&c, &registry, &job, &["--push", &app]);
    r.login("job-token push", &registry, &c, "gitlab-ci-token", GLCBT_TOOLS_JOB);
    let tagged = r.env.reference("acme/app:from-tools");
    r.env.build_local(&tagged).expect("build the tiny image");
    let pushed = r.docker(&c, &["push", &tagged]);
    let want = Want::Refused {
        cause: "job-token-other-project",
        root: Some("job-token-other-project"),
        docker_says: "denied: requested access to the resource is denied",
    };
    r.record("job token pushes to another project", &json, "registry-access", want, &pushed);
    r.env.remove_local(&tagged);

    // 4. A push that outlasts the registry JWT: a 2 s lifetime, issued 60 s back (the registry's
    //    leeway), and an 8 MiB layer through a link at 2 MiB/s.
    let proxy = r.env.throttled_registry(2 << 20).expect("throttling proxy");
    let slow = proxy.host();
    let c = r.config();
    r.login("expiring push", &slow, &c, "alice", GLPAT_ALICE_WRITE);
    let big = format!("{slow}/acme/app:large");
    r.env.build_local_large(&big, 8 << 20).expect("build the large image");
    r.env.world.edit(|w| {
        w.settings.jwt_lifetime_override = Some(Duration::from_secs(2));
        w.settings.jwt_backdate = Duration::from_secs(60);
    });
    let (_, json) = r.doctor(&c, &slow, &[], &["--push", &big]);
    let pushed = r.docker(&c, &["push", &big]);
    r.env.world.edit(|w| {
        w.settings.jwt_lifetime_override = None;
        w.settings.jwt_backdate = Duration::ZERO;
    });
    let want = Want::Refused {
        cause: "registry-token-expired",
        root: None,
        docker_says: "unauthorized: authentication required",
    };
    r.record("push outlasts the registry JWT", &json, "registry-access", want, &pushed);
    if json["status"] != "warn" {
        r.failures.push(format!("[expiring push] a warning (the push may still work if it is quick): {json:#}"));
    }
    let mut explain = r.env.command(env!("CARGO_BIN_EXE_ghcr-doctor"), &c);
    explain.args(["explain", "--json", pushed.stderr.trim()]);
    let explained = run(&mut explain, None, Duration::from_secs(60)).unwrap_or_else(|e| timed_out(&e));
    let causes: Vec<String> = serde_json::from_str::<Value>(&explained.stdout).ok().map_or_else(Vec::new, |v| {
        v["matches"].as_array().into_iter().flatten().filter_map(|m| m["cause"].as_str().map(str::to_owned)).collect()
    });
    if !causes.iter().any(|c| c == "registry-token-expired") {
        r.failures.push(format!("[expiring push] explain's matches {causes:?} lack registry-token-expired"));
    }
    r.env.remove_local(&big);
    drop(proxy);

    let mut table = String::from(
        "# ghcr-doctor's GitLab verdicts against the real docker\n\n\
         Debian docker 20.10 client and daemon, distribution 2.8 registry, the testkit's GitLab `/jwt/auth`.\n\n\
         | case | doctor verdict | docker outcome |\n|---|---|---|\n",
    );
    for row in &r.rows {
        let _ = writeln!(table, "{row}");
    }
    let _ = writeln!(
        table,
        "\nSet-up ready in {:.2} s; whole run {:.1} s.",
        r.env.started_in.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for f in &r.failures {
        let _ = writeln!(table, "- disagreement: {}", f.lines().next().unwrap_or_default());
    }
    eprintln!("\n{table}");
    let target = target_dir();
    let _ = std::fs::create_dir_all(&target);
    let _ = std::fs::write(target.join("real-gitlab-scenarios.md"), &table);
    assert!(r.failures.is_empty(), "{} disagreement(s):\n\n{}", r.failures.len(), r.failures.join("\n\n"));
}
