//! The real docker CLI (Debian 20.10) and daemon against Debian's distribution registry 2.8
//! behind the fake GitLab's `/jwt/auth` ([`RealGitlab`]): what docker itself prints for the
//! GitLab cases of gitlab-facts §0 and §6. One `#[test]` starts everything once (about a second)
//! and runs the cases in order, each with a fresh `DOCKER_CONFIG`; every case prints its docker
//! stderr, and a summary table is printed at the end (`--nocapture` to see it on success).
//!
//! Guarded like the other real-docker tests: with `CI` set, missing components fail; elsewhere
//! the test is skipped with a note.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

use std::path::{Path, PathBuf};
use std::time::Duration;

use ghcr_doctor_testkit::client;
use ghcr_doctor_testkit::gitlab::fixtures::*;
use ghcr_doctor_testkit::real_docker::{self, CmdOutput};
use ghcr_doctor_testkit::{RealGitlab, SharedGitlabWorld};

struct Case {
    name: &'static str,
    command: String,
    out: CmdOutput,
}

struct Runner {
    env: RealGitlab,
    cases: Vec<Case>,
    failures: Vec<String>,
}

impl Runner {
    fn config(&self) -> PathBuf {
        ghcr_doctor_testkit::real_docker::fresh_docker_config(self.env.work.path())
    }

    fn login(&mut self, name: &'static str, config: &Path, user: &str, secret: &str) -> CmdOutput {
        let host = self.env.registry_host();
        self.login_to(name, &host, config, user, secret)
    }

    fn login_to(&mut self, name: &'static str, host: &str, config: &Path, user: &str, secret: &str) -> CmdOutput {
        let out = self.env.docker_login_to(host, config, user, secret).expect("docker login runs");
        let command = format!("docker login {host} -u {user} --password-stdin  # {}", mask(secret));
        self.record(name, command, out.clone());
        out
    }

    fn docker(&mut self, name: &'static str, config: &Path, args: &[&str]) -> CmdOutput {
        let out = self.env.docker_run(config, args).expect("docker runs");
        self.record(name, format!("docker {}", args.join(" ")), out.clone());
        out
    }

    fn record(&mut self, name: &'static str, command: String, out: CmdOutput) {
        eprintln!("--- [{name}] $ {command}\n    rc={:?}", out.code);
        for line in out.stdout.lines() {
            eprintln!("    stdout| {line}");
        }
        for line in out.stderr.lines() {
            eprintln!("    stderr| {line}");
        }
        for secret in ALL_SECRETS {
            if out.stdout.contains(secret) || out.stderr.contains(secret) {
                self.failures.push(format!("[{name}] docker printed a secret ({})", mask(secret)));
            }
        }
        self.cases.push(Case { name, command, out });
    }

    fn expect(&mut self, name: &str, out: &CmdOutput, success: bool, stderr_has: &[&str]) {
        if out.success() != success {
            self.failures.push(format!("[{name}] expected success={success}: {}", out.describe()));
        }
        for s in stderr_has {
            if !out.stderr.contains(s) {
                self.failures.push(format!("[{name}] stderr lacks {s:?}: {}", out.describe()));
            }
        }
    }
}

fn mask(secret: &str) -> String {
    ghcr_doctor_testkit::gitlab::mask(secret)
}

#[test]
fn real_docker_against_the_gitlab_fakes() {
    if !real_docker::require_docker_components("real_docker_against_the_gitlab_fakes") {
        return;
    }
    let world = SharedGitlabWorld::new(standard_world());
    let env = RealGitlab::start(world.clone()).unwrap_or_else(|e| panic!("cannot start the real GitLab set-up: {e}"));
    eprintln!("started in {:?}; registry {} behind {}", env.started_in, env.registry_host(), env.gitlab.jwt_realm());
    env.push_images(&["acme/app:latest", "acme/other:latest", "acme/members-only:latest"])
        .unwrap_or_else(|e| panic!("seeding failed: {e}\n{}", env.registry_log()));
    let mut r = Runner { env, cases: Vec::new(), failures: Vec::new() };
    let app = r.env.reference("acme/app:latest");
    let other = r.env.reference("acme/other:latest");
    let denied_project = r.env.reference("acme/members-only:latest");

    // 1. A PAT with read_registry pulls.
    let c = r.config();
    let out = r.login("pat-login", &c, "alice", GLPAT_ALICE_READ);
    r.expect("pat-login", &out, true, &[]);
    r.env.remove_local(&app);
    let out = r.docker("pat-pull", &c, &["pull", &app]);
    r.expect("pat-pull", &out, true, &[]);

    // 2. A deploy token (with its username) pulls.
    let c = r.config();
    let out = r.login("deploy-token-login", &c, GLDT_APP_READ_USER, GLDT_APP_READ);
    r.expect("deploy-token-login", &out, true, &[]);
    r.env.remove_local(&app);
    let out = r.docker("deploy-token-pull", &c, &["pull", &app]);
    r.expect("deploy-token-pull", &out, true, &[]);
    // ... but not with another username.
    let c = r.config();
    let out = r.login("deploy-token-wrong-username", &c, "alice", GLDT_APP_READ);
    r.expect("deploy-token-wrong-username", &out, false, &["unauthorized: HTTP Basic: Access denied."]);

    // 3. A job token pushes to its own project, not to another one.
    let c = r.config();
    let out = r.login("job-token-login", &c, "gitlab-ci-token", GLCBT_APP_JOB);
    r.expect("job-token-login", &out, true, &[]);
    let own = r.env.reference("acme/app:from-job");
    r.env.build_local(&own).expect("build the tiny image");
    let out = r.docker("job-token-push-own-project", &c, &["push", &own]);
    r.expect("job-token-push-own-project", &out, true, &[]);
    let foreign = r.env.reference("acme/other:from-job");
    r.env.build_local(&foreign).expect("build the tiny image");
    let out = r.docker("job-token-push-other-project", &c, &["push", &foreign]);
    r.expect("job-token-push-other-project", &out, false, &["denied: requested access to the resource is denied"]);
    r.env.remove_local(&other);
    let out = r.docker("job-token-pull-other-project-not-allowlisted", &c, &["pull", &other]);
    r.expect(
        "job-token-pull-other-project-not-allowlisted",
        &out,
        false,
        &["requested access to the resource is denied"],
    );

    // 4. The JWT expires before the push uses it: login works with a fresh token; the push's
    //    token is issued "long ago" (1 s lifetime, backdated beyond the registry's 60 s leeway).
    let c = r.config();
    let out = r.login("expiry-login", &c, "alice", GLPAT_ALICE_WRITE);
    r.expect("expiry-login", &out, true, &[]);
    let expiring = r.env.reference("acme/app:expiring");
    r.env.build_local(&expiring).expect("build the tiny image");
    r.env.world.edit(|w| {
        w.settings.jwt_lifetime_override = Some(Duration::from_secs(1));
        w.settings.jwt_backdate = Duration::from_secs(120);
    });
    let out = r.docker("expired-jwt-push", &c, &["push", &expiring]);
    r.expect("expired-jwt-push", &out, false, &["unauthorized: authentication required"]);
    r.env.world.edit(|w| {
        w.settings.jwt_lifetime_override = None;
        w.settings.jwt_backdate = Duration::ZERO;
    });

    // 4b. The JWT expires while a layer uploads: the token is valid for 1-2 s after issuance
    //     (2 s lifetime, backdated by the registry's 60 s leeway); the 8 MiB layer goes through a
    //     proxy at 2 MiB/s, so the upload outlasts it on any machine.
    let proxy = r.env.throttled_registry(2 << 20).expect("throttling proxy");
    let c = r.config();
    let out = r.login_to("slow-login", &proxy.host(), &c, "alice", GLPAT_ALICE_WRITE);
    r.expect("slow-login", &out, true, &[]);
    let big = format!("{}/acme/app:large", proxy.host());
    r.env.build_local_large(&big, 8 << 20).expect("build the large image");
    r.env.world.edit(|w| {
        w.settings.jwt_lifetime_override = Some(Duration::from_secs(2));
        w.settings.jwt_backdate = Duration::from_secs(60);
    });
    let started = std::time::Instant::now();
    let out = r.docker("jwt-expires-mid-push", &c, &["push", &big]);
    let (elapsed, sent) = (started.elapsed(), proxy.bytes_sent());
    eprintln!("    (failed after {elapsed:?}, {sent} bytes of the layer upload had reached the registry)");
    r.expect("jwt-expires-mid-push", &out, false, &["unauthorized: authentication required"]);
    // The token was good when the push started (an expired one fails at once, as above), and the
    // refusal came after the token's 1-2 s, with the layer on its way.
    if sent < 1 << 20 || elapsed < Duration::from_secs(2) {
        r.failures.push(format!("[jwt-expires-mid-push] not a mid-push failure: {sent} bytes after {elapsed:?}"));
    }
    r.env.world.edit(|w| {
        w.settings.jwt_lifetime_override = None;
        w.settings.jwt_backdate = Duration::ZERO;
    });
    r.env.remove_local(&big);
    drop(proxy);

    // 5. A proxy strips Authorization on /jwt/auth: the login becomes anonymous.
    r.env.world.edit(|w| w.modes.strip_jwt_authorization = true);
    let c = r.config();
    let out = r.login("login-authorization-stripped", &c, "alice", GLPAT_ALICE_READ);
    r.expect("login-authorization-stripped", &out, false, &["denied: access forbidden"]);
    r.env.world.edit(|w| w.modes.strip_jwt_authorization = false);

    // 6. A wrong password, and a 2FA account's correct password: the same answer.
    let c = r.config();
    let wrong = r.login("login-wrong-password", &c, "alice", "FAKE-not-the-password");
    r.expect("login-wrong-password", &wrong, false, &["unauthorized: HTTP Basic: Access denied. If a password"]);
    let c = r.config();
    let twofa = r.login("login-2fa-correct-password", &c, "carol", CAROL_PASSWORD);
    r.expect("login-2fa-correct-password", &twofa, false, &[]);
    if twofa.stderr != wrong.stderr {
        r.failures.push(format!("2FA password and wrong password differ:\n{}\n{}", twofa.stderr, wrong.stderr));
    }

    // 7. More documented renderings: no registry scope, anonymous pull of a private project,
    //    logged in without access, missing tag, push with a read-only token.
    let c = r.config();
    let out = r.login("login-no-registry-scope", &c, "alice", GLPAT_ALICE_NO_REGISTRY);
    r.expect("login-no-registry-scope", &out, false, &["denied: access forbidden"]);
    let c = r.config();
    r.env.remove_local(&app);
    let out = r.docker("anonymous-pull-private", &c, &["pull", &app]);
    r.expect("anonymous-pull-private", &out, false, &["denied: access forbidden"]);
    let c = r.config();
    let out = r.login("login-read-pat", &c, "alice", GLPAT_ALICE_READ);
    r.expect("login-read-pat", &out, true, &[]);
    let out = r.docker("pull-without-access", &c, &["pull", &denied_project]);
    r.expect("pull-without-access", &out, false, &["requested access to the resource is denied"]);
    let missing = r.env.reference("acme/app:no-such-tag");
    let out = r.docker("pull-missing-tag", &c, &["pull", &missing]);
    r.expect("pull-missing-tag", &out, false, &["manifest unknown"]);
    let readonly = r.env.reference("acme/app:read-only-push");
    r.env.build_local(&readonly).expect("build the tiny image");
    let out = r.docker("push-with-read-only-pat", &c, &["push", &readonly]);
    r.expect("push-with-read-only-pat", &out, false, &["denied: requested access to the resource is denied"]);

    // 8. The push probe of gitlab-facts §1 against the real registry (plain HTTP, no docker):
    //    POST an upload with a pull,push JWT → 202 + Location; cancelling it is a DELETE, which
    //    needs the `delete` action, so a pull,push token gets 401 insufficient_scope.
    let realm = r.env.gitlab.jwt_realm();
    let auth = client::basic("alice", GLPAT_ALICE_WRITE);
    let t = client::get(
        &format!("{realm}?service=container_registry&scope=repository:acme/app:pull,push"),
        &[("Authorization", &auth)],
    )
    .expect("jwt/auth")
    .json()["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let bearer = format!("Bearer {t}");
    let post = client::request(
        "POST",
        &format!("{}/v2/acme/app/blobs/uploads/", r.env.registry_url()),
        &[("Authorization", &bearer)],
        &[],
    )
    .expect("POST");
    eprintln!(
        "--- [push-probe] POST /v2/acme/app/blobs/uploads/ → {} Location: {:?}",
        post.status,
        post.header("location")
    );
    if post.status != 202 || post.header("location").is_none() {
        r.failures.push(format!("[push-probe] POST: {} {:?} {}", post.status, post.headers, post.body));
    }
    let location = post.header("location").unwrap_or_default().to_owned();
    let target = location.strip_prefix(&r.env.registry_url()).unwrap_or(&location).to_owned();
    let del =
        client::request("DELETE", &format!("{}{target}", r.env.registry_url()), &[("Authorization", &bearer)], &[])
            .expect("DELETE");
    eprintln!(
        "--- [push-probe] DELETE upload → {} {}\n    www-authenticate: {:?}",
        del.status,
        del.body.trim(),
        del.header("www-authenticate")
    );
    if del.status != 401
        || !del.header("www-authenticate").unwrap_or_default().contains(r#"error="insufficient_scope""#)
    {
        r.failures.push(format!("[push-probe] DELETE: {} {:?} {}", del.status, del.headers, del.body));
    }

    eprintln!("\n| case | command | rc | docker stderr |\n|---|---|---|---|");
    for case in &r.cases {
        let stderr = case.out.stderr.trim().replace('\n', " ⏎ ");
        eprintln!("| {} | `{}` | {:?} | {} |", case.name, case.command, case.out.code, stderr);
    }
    if !r.failures.is_empty() {
        panic!(
            "{} mismatch(es):\n{}\n--- registry log\n{}",
            r.failures.len(),
            r.failures.join("\n"),
            r.env.registry_log()
        );
    }
}
