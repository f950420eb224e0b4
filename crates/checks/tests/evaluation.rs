//! Pure evaluation tests: hand-built `Facts` for a healthy machine, then one scenario per cause,
//! each asserting the cause where it must appear and snapshotting the whole verdict in English
//! and Japanese. No I/O: this is the layer where every interpretation is pinned down.

use ghcr_doctor_checks::*;

const GH_TOKEN: &str = "gho_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const OLD_PAT: &str = "ghp_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const FINE: &str = "github_pat_CCCCCCCCCCCCCCCCCCCCCC_DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD";
const ENV_PAT: &str = "ghp_EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE";
const IMAGE: &str = "ghcr.io/acme/app:main";

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> HttpAnswer {
    HttpAnswer {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect(),
        body: body.into(),
        truncated: false,
    }
}

fn user(scopes: &str) -> HttpAnswer {
    answer(200, &[("X-OAuth-Scopes", scopes)], r#"{"login":"alice","id":1,"type":"User"}"#)
}

fn bad_credentials() -> HttpAnswer {
    answer(
        401,
        &[],
        r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#,
    )
}

fn registry_error(status: u16, code: &str, message: &str) -> HttpAnswer {
    answer(status, &[], &format!(r#"{{"errors":[{{"code":"{code}","message":"{message}"}}]}}"#))
}

fn token_ok() -> HttpAnswer {
    answer(200, &[], "")
}

/// The GitHub side of a scenario's facts.
fn gh(f: &mut Facts) -> &mut GithubFacts {
    match &mut f.forge {
        ForgeFacts::Github(g) => g,
        ForgeFacts::Gitlab(_) => unreachable!("a GitHub scenario"),
    }
}

struct Scenario {
    request: Request,
    facts: Facts,
}

impl Scenario {
    /// Everything set up: gh 2.45 logged in with read:packages, member of acme, docker running
    /// and logged in with gh's token, a private image that exists.
    fn healthy() -> Scenario {
        let mut request = Request::new(Forge::Github(GithubHost::github_com()));
        request.images = vec![IMAGE.parse().unwrap()];
        request.os = Os::Linux;
        let github = GithubFacts {
            env_tokens: vec![],
            gh: Probe::Done(GhFacts {
                path: Some("/usr/bin/gh".into()),
                version: Probe::Done(ProcessOutput {
                    exit_code: Some(0),
                    stdout: "gh version 2.45.0 (2024-03-04)\nhttps://github.com/cli/cli/releases/tag/v2.45.0\n".into(),
                    stderr: String::new(),
                }),
            }),
            gh_token: Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::Token(Secret::new(GH_TOKEN)),
                stored: None,
            }),
            api_user: Probe::Done(user("gist, read:org, read:packages, repo")),
            owners: vec![OwnerFacts {
                owner: "acme".into(),
                org: Probe::Done(answer(200, &[], r#"{"login":"acme","id":9,"type":"Organization"}"#)),
                membership: Probe::Done(answer(200, &[], r#"{"state":"active","role":"member"}"#)),
            }],
            docker_secret_user: Probe::Skipped,
            packages: vec![Probe::Done(answer(200, &[], r#"{"name":"app","visibility":"private"}"#))],
            actions: None,
        };
        let facts = Facts {
            forge: ForgeFacts::Github(github),
            client: ClientFacts { client: Client::Docker, path: Some("/usr/bin/docker".into()) },
            docker: Probe::Done(DockerFacts {
                path: Some("/usr/bin/docker".into()),
                endpoint: DockerEndpoint { url: "unix:///var/run/docker.sock".into(), source: "default".into() },
                socket: Some(SocketState::Connectable),
                version: Probe::Done(ProcessOutput {
                    exit_code: Some(0),
                    stdout: r#"{"Client":{"Version":"28.2.2"},"Server":{"Version":"28.2.2"}}"#.into(),
                    stderr: String::new(),
                }),
                systemd: true,
            }),
            docker_credentials: Probe::Done(DockerCredentialFacts {
                config_path: "/home/alice/.docker/config.json".into(),
                config: DockerConfigState::Loaded,
                registry_host: "ghcr.io".into(),
                store: CredentialStore::Helper { name: "pass".into(), per_host: false },
                lookup: CredentialLookup::Found(StoredCredential {
                    username: "alice".into(),
                    secret: Secret::new(GH_TOKEN),
                    identity_token: false,
                }),
                plaintext_in_file: false,
                own_helper_on_path: false,
                other: OtherStoreFacts::default(),
                auth_key: None,
            }),
            registry_ping: Probe::Done(registry_error(401, "UNAUTHORIZED", "authentication required")),
            images: vec![ImageFacts {
                reference: IMAGE.into(),
                anonymous_token: Probe::Done(registry_error(
                    403,
                    "DENIED",
                    "requested access to the resource is denied",
                )),
                credential_token: Probe::Done(token_ok()),
                manifest: Probe::Done(answer(200, &[("docker-content-digest", "sha256:abc")], "")),
                manifest_auth: ManifestAuth::Credentials,
                push_token: Probe::Skipped,
            }],
            durations_ms: vec![],
            pull_secret_fallbacks: vec![],
        };
        Scenario { request, facts }
    }

    fn with(mut self, change: impl FnOnce(&mut Request, &mut Facts)) -> Scenario {
        change(&mut self.request, &mut self.facts);
        self
    }

    fn report(&self) -> Report {
        evaluate(&self.request, &self.facts)
    }

    /// The verdict as text, both languages, for a snapshot.
    fn render(&self) -> String {
        let report = self.report();
        let mut out = String::new();
        for o in &report.outcomes {
            out.push_str(&format!("{} {} {}\n", o.check, o.status.as_str(), o.cause().map_or("-", |c| c.as_str())));
            for f in &o.findings {
                for lang in [Lang::En, Lang::Ja] {
                    out.push_str(&format!("  {}: {}\n", lang, f.message.render(lang)));
                }
                if matches!(f.status, Status::Fail | Status::Warn) {
                    for lang in [Lang::En, Lang::Ja] {
                        if let Some(fix) = f.fix_text(lang) {
                            out.push_str(&format!("  fix {lang}: {fix}\n"));
                        }
                    }
                }
                for c in &f.steps {
                    out.push_str(&format!("    $ {c}\n"));
                }
            }
        }
        out.push_str(&format!(
            "status: {}\nroot cause: {:?}\nnext steps:\n",
            report.status.as_str(),
            report.root_cause
        ));
        for s in &report.next_steps {
            out.push_str(&format!("  {s}\n"));
        }
        for secret in [GH_TOKEN, OLD_PAT, FINE, ENV_PAT] {
            assert!(!out.contains(secret), "a token leaked into the rendered verdict");
        }
        out
    }
}

fn cause_of(report: &Report, check: CheckId) -> Option<CauseId> {
    report.outcome(check).and_then(Outcome::cause)
}

fn status_of(report: &Report, check: CheckId) -> Status {
    report.outcome(check).unwrap().status
}

#[test]
fn healthy_machine_passes_everything_with_no_next_steps() {
    let r = Scenario::healthy().report();
    assert_eq!(r.status, Status::Pass);
    assert!(r.next_steps.is_empty());
    assert_eq!(r.exit_status(true), ExitStatus::Success);
}

#[test]
fn gh_missing_skips_its_dependents_instead_of_cascading() {
    let r = Scenario::healthy()
        .with(|_, f| gh(f).gh = Probe::Done(GhFacts { path: None, version: Probe::Skipped }))
        .report();
    for id in [CheckId::GhAuth, CheckId::TokenScopes, CheckId::Sso] {
        assert_eq!(status_of(&r, id), Status::Skip, "{id}");
    }
    assert_eq!(r.root_cause, Some(CauseId::GhMissing));
}

fn gh_version(stdout: &str) -> impl FnOnce(&mut Request, &mut Facts) + '_ {
    move |_, f| {
        gh(f).gh = Probe::Done(GhFacts {
            path: Some("/usr/bin/gh".into()),
            version: Probe::Done(ProcessOutput { exit_code: Some(0), stdout: stdout.into(), stderr: String::new() }),
        });
    }
}

#[test]
fn offline_the_next_steps_start_with_the_network_and_promise_nothing_that_needs_it() {
    let r = Scenario::healthy()
        .with(|_, f| {
            f.registry_ping =
                Probe::Failed(ProbeError::new(ProbeErrorKind::Network, "dial tcp: lookup ghcr.io: no such host"));
            gh(f).api_user = Probe::Failed(ProbeError::new(ProbeErrorKind::Network, "GET /user: no such host"));
        })
        .report();
    assert_eq!(r.root_cause, Some(CauseId::Network));
    assert_eq!(command_lines(&r.next_steps), ["curl -sI https://ghcr.io/v2/", "ghcr-doctor check"]);
}

#[test]
fn without_systemd_the_daemon_is_started_with_service() {
    let s = Scenario::healthy().with(|r, f| {
        docker_with(Some(SocketState::Missing), Probe::Skipped)(r, f);
        if let Probe::Done(d) = &mut f.docker {
            d.systemd = false;
        }
    });
    let steps = command_lines(&s.report().next_steps);
    assert!(steps.contains(&"sudo service docker start".to_owned()), "{steps:?}");
    assert!(!steps.iter().any(|c| c.contains("systemctl")), "{steps:?}");
}

#[test]
fn missing_scope_gives_refresh_login_pull_in_order() {
    let r = Scenario::healthy()
        .with(|_, f| {
            gh(f).api_user = Probe::Done(user("gist, read:org, repo, workflow"));
            f.images[0].credential_token = Probe::Done(registry_error(
                403,
                "DENIED",
                "permission_denied: The token provided does not match expected scopes.",
            ));
        })
        .report();
    assert_eq!(
        command_lines(&r.next_steps),
        [
            "gh auth refresh -h github.com -s read:packages",
            "gh auth token | docker login ghcr.io -u alice --password-stdin",
            "docker pull ghcr.io/acme/app:main"
        ]
    );
    assert_eq!(r.root_cause, Some(CauseId::MissingScope));
    assert_eq!(cause_of(&r, CheckId::RegistryAccess), Some(CauseId::MissingScope));
}

fn sso_org_answer() -> HttpAnswer {
    answer(
        403,
        &[(
            "X-GitHub-SSO",
            "required; url=https://github.com/orgs/acme/sso?authorization_request=AZSCKtL4U8yX1H3sCQIVnVgmjmon5fWxks5YrqhJgah0b2tlbl9pZM4EuMz4",
        )],
        r#"{"message": "Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.", "documentation_url": "https://docs.github.com"}"#,
    )
}

#[test]
fn sso_explains_the_registry_denial_too() {
    let r = Scenario::healthy()
        .with(|_, f| {
            gh(f).owners[0].org = Probe::Done(sso_org_answer());
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "denied"));
        })
        .report();
    assert_eq!(cause_of(&r, CheckId::RegistryAccess), Some(CauseId::SsoNotAuthorized));
    let sso = r.outcome(CheckId::Sso).unwrap().headline();
    assert!(sso.message.render(Lang::En).contains("https://github.com/orgs/acme/sso?authorization_request="));
}

fn docker_with(socket: Option<SocketState>, version: Probe<ProcessOutput>) -> impl FnOnce(&mut Request, &mut Facts) {
    move |_, f| {
        f.docker = Probe::Done(DockerFacts {
            path: Some("/usr/bin/docker".into()),
            endpoint: DockerEndpoint { url: "unix:///var/run/docker.sock".into(), source: "default".into() },
            socket,
            version,
            systemd: true,
        });
    }
}

fn creds(change: impl FnOnce(&mut DockerCredentialFacts)) -> impl FnOnce(&mut Request, &mut Facts) {
    move |_, f| {
        if let Probe::Done(c) = &mut f.docker_credentials {
            change(c);
        }
    }
}

fn stale_pat(r: &mut Request, f: &mut Facts) {
    creds(|c| {
        c.store = CredentialStore::File;
        c.plaintext_in_file = true;
        c.lookup = CredentialLookup::Found(StoredCredential {
            username: "alice".into(),
            secret: Secret::new(OLD_PAT),
            identity_token: false,
        });
    })(r, f);
    gh(f).docker_secret_user = Probe::Done(bad_credentials());
    f.images[0].credential_token = Probe::Done(registry_error(
        401,
        "UNAUTHORIZED",
        "unauthenticated: User cannot be authenticated with the token provided.",
    ));
    f.images[0].manifest = Probe::Skipped;
}

/// A GitHub Actions push job of `acme/app-repo` whose docker has no login yet: the registry was
/// asked with the job's `GITHUB_TOKEN`, and the push token was refused with `said`.
fn actions_push(workflow: &str, said: &str, change: impl FnOnce(&mut ActionsFacts)) -> Scenario {
    const GHS: &str = "ghs_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
    Scenario::healthy().with(|r, f| {
        r.ci = true;
        r.access = Access::Push;
        gh(f).gh = Probe::Skipped;
        gh(f).env_tokens = vec![EnvToken { var: "GITHUB_TOKEN".into(), secret: Secret::new(GHS) }];
        gh(f).gh_token = Probe::Done(GhTokenFacts { effective: GhTokenAnswer::Token(Secret::new(GHS)), stored: None });
        gh(f).api_user = Probe::Done(answer(403, &[], r#"{"message":"Resource not accessible by integration"}"#));
        creds(|c| c.lookup = CredentialLookup::NotFound)(r, f);
        f.images[0].push_token = Probe::Done(registry_error(403, "DENIED", said));
        let mut actions = ActionsFacts {
            github_actions: true,
            event_name: Some("push".into()),
            repository: Some("acme/app-repo".into()),
            repository_owner: Some("acme".into()),
            server_url: Some("https://github.com".into()),
            actor: Some("alice".into()),
            job: Some("image".into()),
            workflow_path: Some(".github/workflows/image.yml".into()),
            workflow: Probe::Done(workflow.into()),
            job_credential: Some(StoredCredential {
                username: "alice".into(),
                secret: Secret::new(GHS),
                identity_token: false,
            }),
            job_token_var: Some("GITHUB_TOKEN".into()),
            ..ActionsFacts::default()
        };
        change(&mut actions);
        gh(f).actions = Some(actions);
    })
}

const GHS_JOB: &str = "ghs_GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG";
const GHS_OTHER_JOB: &str = "ghs_HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH";

/// An Actions pull job of `acme/app-repo` on the Enterprise Server `ghe.example.com`, as
/// GitHub's page on the automatic token describes it (ghcr-facts §6.3): the job's installation
/// token in `GITHUB_TOKEN`, docker not logged in yet, so the registry was asked with the job's
/// token, which may pull `containers.ghe.example.com/acme/app:main`.
fn ghes_job(change: impl FnOnce(&mut Request, &mut Facts)) -> Scenario {
    Scenario::healthy().with(|r, f| {
        r.ci = true;
        r.forge = Forge::Github(GithubHost::parse("ghe.example.com").unwrap());
        r.images = vec!["containers.ghe.example.com/acme/app:main".parse().unwrap()];
        gh(f).env_tokens = vec![EnvToken { var: "GITHUB_TOKEN".into(), secret: Secret::new(GHS_JOB) }];
        gh(f).gh_token =
            Probe::Done(GhTokenFacts { effective: GhTokenAnswer::Token(Secret::new(GHS_JOB)), stored: None });
        gh(f).api_user = Probe::Done(answer(403, &[], r#"{"message":"Resource not accessible by integration"}"#));
        gh(f).owners[0].membership = Probe::Done(answer(404, &[], r#"{"message":"Not Found"}"#));
        gh(f).packages = vec![Probe::Done(answer(404, &[], r#"{"message":"Package not found."}"#))];
        f.images[0].reference = "containers.ghe.example.com/acme/app:main".into();
        creds(|c| {
            c.registry_host = "containers.ghe.example.com".into();
            c.lookup = CredentialLookup::NotFound;
        })(r, f);
        gh(f).actions = Some(ActionsFacts {
            github_actions: true,
            event_name: Some("push".into()),
            repository: Some("acme/app-repo".into()),
            repository_owner: Some("acme".into()),
            server_url: Some("https://ghe.example.com".into()),
            actor: Some("octocat".into()),
            job: Some("image".into()),
            workflow_path: Some(".github/workflows/image.yml".into()),
            workflow: Probe::Done(WORKFLOW_READ.into()),
            job_credential: Some(StoredCredential {
                username: "octocat".into(),
                secret: Secret::new(GHS_JOB),
                identity_token: false,
            }),
            job_token_var: Some("GITHUB_TOKEN".into()),
            ..ActionsFacts::default()
        });
        change(r, f);
    })
}

/// docker's config on the runner holds another job's (expired) installation token.
fn another_jobs_login(r: &mut Request, f: &mut Facts) {
    creds(|c| {
        c.lookup = CredentialLookup::Found(StoredCredential {
            username: "someone".into(),
            secret: Secret::new(GHS_OTHER_JOB),
            identity_token: false,
        });
    })(r, f);
    if let Some(a) = gh(f).actions.as_mut() {
        a.job_credential = None;
        a.job_token_var = None;
    }
    gh(f).docker_secret_user = Probe::Done(bad_credentials());
    f.images[0].credential_token = Probe::Done(registry_error(
        401,
        "UNAUTHORIZED",
        "unauthenticated: User cannot be authenticated with the token provided.",
    ));
    f.images[0].manifest = Probe::Skipped;
}

/// `--pull-secret`: a Secret `regcred` in `apps` with one entry `key` → `token`, which the
/// registry was asked with (the healthy answers: token issued, manifest found).
fn pull_secret(key: &'static str, token: &'static str) -> impl FnOnce(&mut Request, &mut Facts) {
    move |r, _| {
        r.pull_secret = Some(PullSecret {
            path: "regcred.yaml".into(),
            form: PullSecretForm::DockerConfigJson,
            name: Some("regcred".into()),
            namespace: Some("apps".into()),
            entries: vec![PullSecretEntry { key: key.into(), username: "alice".into(), secret: Secret::new(token) }],
        });
    }
}

/// The pull secret's credential refused at the token endpoint with `status`/`code`/`message`.
fn pull_secret_refused(
    key: &'static str,
    token: &'static str,
    status: u16,
    code: &'static str,
    message: &'static str,
) -> impl FnOnce(&mut Request, &mut Facts) {
    move |r, f| {
        pull_secret(key, token)(r, f);
        f.images[0].credential_token = Probe::Done(registry_error(status, code, message));
        f.images[0].manifest = Probe::Skipped;
    }
}

const WORKFLOW_READ: &str = "on: push\njobs:\n  image:\n    permissions:\n      contents: read\n      packages: read\n";
const WORKFLOW_READ_ONLY: &str =
    "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n";
const WORKFLOW_WRITE: &str =
    "on: push\njobs:\n  image:\n    permissions:\n      contents: read\n      packages: write\n";

/// Which checks report which causes is declared once, in the cause records; the scenario suite
/// shows what evaluation really emits. Both must agree: every emitted pair is declared, every
/// declared pair is emitted by some scenario, and a cause no scenario emits is marked log-only.
#[test]
fn the_cause_records_say_exactly_which_checks_report_them() {
    let mut emitted: Vec<(CheckId, CauseId)> = Vec::new();
    for (name, scenario) in all_scenarios() {
        for outcome in scenario.report().outcomes {
            for cause in outcome.findings.iter().filter_map(|f| f.cause) {
                let declared = cause_info(cause).checks.contains(&outcome.check);
                assert!(declared, "{name}: `{}` reports `{cause}`, which its record does not list", outcome.check);
                if !emitted.contains(&(outcome.check, cause)) {
                    emitted.push((outcome.check, cause));
                }
            }
        }
    }
    let mut wrong: Vec<String> = Vec::new();
    for cause in CAUSES {
        let emitted_by: Vec<CheckId> = emitted.iter().filter(|(_, c)| *c == cause.id).map(|(k, _)| *k).collect();
        if cause.log_only && !emitted_by.is_empty() {
            wrong.push(format!("`{}` is marked log-only but {emitted_by:?} report it", cause.id));
        }
        for check in cause.checks.iter().filter(|k| !cause.log_only && !emitted_by.contains(k)) {
            wrong.push(format!("no scenario shows `{check}` reporting `{}`", cause.id));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// In a job no finding, next step or fix text sends anyone to `gh auth login`/`refresh`, and
/// `not-logged-in` (gh's login) is never the verdict: the token is the job's (ghcr-facts §6.3).
#[test]
fn no_job_is_told_to_log_gh_in() {
    let mut jobs = 0;
    for (name, scenario) in all_scenarios().into_iter().filter(|(_, s)| s.request.ci) {
        jobs += 1;
        let report = scenario.report();
        let rendered = scenario.render();
        assert!(!rendered.contains("gh auth login") && !rendered.contains("gh auth refresh"), "{name}:\n{rendered}");
        assert!(
            report.outcomes.iter().flat_map(|o| &o.findings).all(|f| f.cause != Some(CauseId::NotLoggedIn)),
            "{name}"
        );
    }
    assert!(jobs >= 10, "only {jobs} job scenarios");
}

#[test]
fn an_enterprise_server_job_is_read_as_a_job_not_as_a_developer_machine() {
    let report = ghes_job(|_, _| {}).report();
    assert_eq!(report.status, Status::Pass, "{:?}", report.outcomes);
    let auth = report.outcome(CheckId::GhAuth).unwrap().headline().message.render(Lang::En);
    assert!(auth.contains("valid for `acme/app-repo` only") && auth.contains("until the job ends"), "{auth}");
    let access = report.outcome(CheckId::RegistryAccess).unwrap().headline().message.render(Lang::En);
    assert!(
        access.starts_with("The job's `GITHUB_TOKEN` can pull `containers.ghe.example.com/acme/app:main`"),
        "{access}"
    );
    assert!(access.contains("`docker/login-action` with `registry: containers.ghe.example.com`"), "{access}");
    // The missing registry is not a permission: nothing about `permissions:` to add.
    let report = ghes_job(|_, f| f.registry_ping = Probe::Done(answer(404, &[], "<html>"))).report();
    let host = report.outcome(CheckId::GithubHost).unwrap().headline().message.render(Lang::En);
    assert!(host.contains("not a missing permission") && host.contains("https://ghe.example.com"), "{host}");
    assert_eq!(report.outcome(CheckId::RegistryAccess).unwrap().status, Status::Skip);
    assert!(report.next_steps.is_empty(), "{:?}", report.next_steps);
}

/// podman as the client (at `path`), docker not installed: its credential from a namespace key
/// in `${XDG_RUNTIME_DIR}/containers/auth.json`.
fn podman(path: Option<&str>) -> Scenario {
    Scenario::healthy().with(|_, f| {
        f.client = ClientFacts { client: Client::Podman, path: path.map(str::to_owned) };
        f.docker = Probe::Skipped;
        if let Probe::Done(c) = &mut f.docker_credentials {
            c.config_path = "/run/user/1000/containers/auth.json".into();
            c.store = CredentialStore::File;
            c.auth_key = Some("ghcr.io/acme".into());
            c.plaintext_in_file = true;
        }
    })
}

#[test]
fn podman_is_never_told_to_start_a_daemon_and_its_fixes_name_podman() {
    let s = podman(Some("/usr/bin/podman")).with(|_, f| {
        gh(f).api_user = Probe::Done(user("gist, read:org, repo"));
        gh(f).docker_secret_user = Probe::Done(user("gist, read:org, repo"));
    });
    let report = s.report();
    let daemon = report.outcome(CheckId::DockerDaemon).unwrap();
    assert_eq!(daemon.status, Status::Pass);
    assert!(daemon.headline().message.render(Lang::En).contains("podman needs no daemon"));
    assert!(daemon.headline().message.render(Lang::Ja).contains("デーモンを使わず"));
    let lines = command_lines(&report.next_steps);
    assert!(!lines.is_empty(), "{report:?}");
    for line in &lines {
        assert!(!line.contains("docker") && !line.contains("systemctl") && !line.contains("service"), "{line}");
    }
    assert!(lines.iter().any(|l| l == "podman pull ghcr.io/acme/app:main"), "{lines:?}");
    let creds = report.outcome(CheckId::DockerCredentials).unwrap().headline().message.render(Lang::En);
    assert!(creds.starts_with("podman"), "{creds}");
}

#[test]
fn podman_names_the_auth_file_and_key_its_credential_came_from() {
    let report = podman(Some("/usr/bin/podman")).report();
    let creds = report.outcome(CheckId::DockerCredentials).unwrap();
    let en = creds.findings[0].message.render(Lang::En);
    assert!(en.contains("from `/run/user/1000/containers/auth.json`, key `ghcr.io/acme`"), "{en}");
    let ja = creds.findings[0].message.render(Lang::Ja);
    assert!(ja.contains("`/run/user/1000/containers/auth.json` のキー `ghcr.io/acme` から"), "{ja}");
}

/// Every scenario: its name (the snapshot's), the scenario, and the check whose status and cause
/// it pins. Each becomes a test; together they are the suite the cause records are checked against.
macro_rules! scenarios {
    ($(($name:ident, $scenario:expr, $check:expr, $status:expr, $cause:expr $(,)?)),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let s: Scenario = $scenario;
                let report = s.report();
                assert_eq!(status_of(&report, $check), $status, "status of {}", $check);
                assert_eq!(cause_of(&report, $check), $cause, "cause of {}", $check);
                insta::assert_snapshot!(stringify!($name), s.render());
            }
        )*

        fn all_scenarios() -> Vec<(&'static str, Scenario)> {
            vec![$((stringify!($name), $scenario)),*]
        }
    };
}

scenarios![
    (
        all_set_up, Scenario::healthy(), CheckId::RegistryAccess, Status::Pass, None
    ),
    (
        gh_missing,
        Scenario::healthy().with(|_, f| gh(f).gh = Probe::Done(GhFacts { path: None, version: Probe::Skipped })),
        CheckId::GhInstalled,
        Status::Fail,
        Some(CauseId::GhMissing)
    ),
    (
        gh_too_old,
        Scenario::healthy().with(gh_version("gh version 2.14.7 (2022-08-25)\n")),
        CheckId::GhInstalled,
        Status::Fail,
        Some(CauseId::GhTooOld)
    ),
    (
        gh_debian_2_23_warns,
        Scenario::healthy().with(gh_version(
            "gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)\nhttps://github.com/cli/cli/releases/tag/v2.23.0\n"
        )),
        CheckId::GhInstalled,
        Status::Warn,
        Some(CauseId::GhTooOld)
    ),
    (
        gh_version_garbage,
        Scenario::healthy().with(gh_version("\u{1b}[31mSegmentation fault\n")),
        CheckId::GhInstalled,
        Status::Warn,
        None
    ),
    (
        gh_hangs,
        Scenario::healthy().with(|_, f| {
            gh(f).gh = Probe::Done(GhFacts {
                path: Some("/usr/bin/gh".into()),
                version: Probe::Failed(ProbeError::new(ProbeErrorKind::Timeout, "killed after 10 s")),
            });
        }),
        CheckId::GhInstalled,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        not_logged_in,
        Scenario::healthy().with(|_, f| {
            gh(f).gh_token = Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::NoToken { message: "no oauth token".into() },
                stored: None,
            });
            gh(f).api_user = Probe::Skipped;
        }),
        CheckId::GhAuth,
        Status::Fail,
        Some(CauseId::NotLoggedIn)
    ),
    (
        token_invalid,
        Scenario::healthy().with(|_, f| gh(f).api_user = Probe::Done(bad_credentials())),
        CheckId::GhAuth,
        Status::Fail,
        Some(CauseId::TokenInvalid)
    ),
    (
        env_token_overrides_stored_login,
        Scenario::healthy().with(|_, f| {
            gh(f).env_tokens = vec![EnvToken { var: "GH_TOKEN".into(), secret: Secret::new(ENV_PAT) }];
            gh(f).gh_token = Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::Token(Secret::new(ENV_PAT)),
                stored: Some(GhTokenAnswer::Token(Secret::new(GH_TOKEN))),
            });
            gh(f).api_user = Probe::Done(user("read:packages, repo"));
            gh(f).docker_secret_user = Probe::Done(user("gist, read:org, read:packages, repo"));
        }),
        CheckId::GhAuth,
        Status::Warn,
        Some(CauseId::EnvTokenOverride)
    ),
    (
        missing_scope,
        Scenario::healthy().with(|_, f| {
            gh(f).api_user = Probe::Done(user("gist, read:org, repo, workflow"));
            f.images[0].credential_token = Probe::Done(registry_error(
                403,
                "DENIED",
                "permission_denied: The token provided does not match expected scopes.",
            ));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::TokenScopes,
        Status::Fail,
        Some(CauseId::MissingScope)
    ),
    (
        push_needs_write_packages,
        Scenario::healthy().with(|r, f| {
            r.access = Access::Push;
            f.images[0].push_token = Probe::Done(registry_error(
                403,
                "DENIED",
                "permission_denied: The token provided does not match expected scopes.",
            ));
        }),
        CheckId::TokenScopes,
        Status::Fail,
        Some(CauseId::MissingScope)
    ),
    (
        fine_grained_pat,
        Scenario::healthy().with(|_, f| {
            gh(f).gh_token = Probe::Done(GhTokenFacts { effective: GhTokenAnswer::Token(Secret::new(FINE)), stored: None });
            gh(f).api_user = Probe::Done(answer(200, &[], r#"{"login":"alice"}"#));
        }),
        CheckId::TokenScopes,
        Status::Fail,
        Some(CauseId::FineGrainedPat)
    ),
    (
        broad_scopes_warn,
        Scenario::healthy().with(|_, f| gh(f).api_user = Probe::Done(user("admin:org, delete:packages, read:packages, repo"))),
        CheckId::TokenScopes,
        Status::Warn,
        Some(CauseId::BroadScopes)
    ),
    (
        sso_not_authorized,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].org = Probe::Done(sso_org_answer());
            gh(f).owners[0].membership = Probe::Skipped;
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "denied"));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::SsoNotAuthorized)
    ),
    (
        oauth_app_restricted,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].org = Probe::Done(answer(403, &[], r#"{"message":"Although you appear to have the correct authorization credentials, the `acme` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited.","documentation_url":"https://docs.github.com/articles/restricting-access-to-your-organization-s-data/"}"#));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::OauthAppRestricted)
    ),
    (
        classic_pat_forbidden,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].org = Probe::Done(answer(403, &[], r#"{"message":"acme forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions."}"#));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::ClassicPatForbidden)
    ),
    (
        org_membership_pending,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].membership = Probe::Done(answer(200, &[], r#"{"state":"pending","role":"member"}"#));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::OrgMembershipPending)
    ),
    (
        ghes_registry_unavailable,
        Scenario::healthy().with(|r, f| {
            r.forge = Forge::Github(GithubHost::parse("github.example.com").unwrap());
            r.images = vec!["containers.github.example.com/acme/app:main".parse().unwrap()];
            f.registry_ping = Probe::Failed(ProbeError::new(
                ProbeErrorKind::Network,
                "dial tcp: lookup containers.github.example.com: no such host",
            ));
        }),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::RegistryUnavailable)
    ),
    (
        image_on_another_registry,
        Scenario::healthy().with(|r, _| r.images = vec!["containers.octocorp.ghe.com/acme/app:main".parse().unwrap()]),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::HostMismatch)
    ),
    (
        podman_needs_no_daemon,
        podman(Some("/usr/bin/podman")),
        CheckId::DockerDaemon,
        Status::Pass,
        None
    ),
    (
        podman_missing,
        podman(None),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::PodmanMissing)
    ),
    (
        docker_missing,
        Scenario::healthy().with(|_, f| {
            f.docker = Probe::Done(DockerFacts {
                path: None,
                endpoint: DockerEndpoint { url: "unix:///var/run/docker.sock".into(), source: "default".into() },
                socket: None,
                version: Probe::Skipped,
                systemd: true,
            });
        }),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::DockerMissing)
    ),
    (
        daemon_socket_missing,
        Scenario::healthy().with(docker_with(Some(SocketState::Missing), Probe::Skipped)),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::DaemonUnreachable)
    ),
    (
        daemon_permission,
        Scenario::healthy().with(docker_with(Some(SocketState::PermissionDenied), Probe::Skipped)),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::DaemonPermission)
    ),
    (
        daemon_down_docker_20_10_json,
        Scenario::healthy().with(|_, f| {
            docker_with(
                None,
                Probe::Done(ProcessOutput {
                    exit_code: Some(1),
                    stdout: r#"{"Client":{"Version":"20.10.24+dfsg1"},"Server":null}"#.into(),
                    stderr: "Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?\n"
                        .into(),
                }),
            )(&mut Request::new(Forge::Github(GithubHost::github_com())), f);
        }),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::DaemonUnreachable)
    ),
    (
        daemon_hangs,
        Scenario::healthy().with(docker_with(
            Some(SocketState::Connectable),
            Probe::Failed(ProbeError::new(ProbeErrorKind::Timeout, "killed after 10 s"))
        )),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        credential_helper_missing,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.store = CredentialStore::Helper { name: "desktop".into(), per_host: false };
                c.lookup = CredentialLookup::HelperMissing { program: "docker-credential-desktop".into() };
            })(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::CredentialHelperMissing)
    ),
    (
        ghcr_doctor_helper_asks_gh,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.store = CredentialStore::Helper { name: "ghcr-doctor".into(), per_host: true };
                c.lookup = CredentialLookup::Found(StoredCredential {
                    username: "ghcr-doctor".into(),
                    secret: Secret::new(GH_TOKEN),
                    identity_token: false,
                });
            })(r, f);
            gh(f).docker_secret_user = Probe::Done(user("gist, read:org, read:packages, repo"));
        }),
        CheckId::DockerCredentials,
        Status::Pass,
        None
    ),
    (
        ghcr_doctor_helper_without_gh_login,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.store = CredentialStore::Helper { name: "ghcr-doctor".into(), per_host: true };
                c.lookup = CredentialLookup::HelperFailed(ProbeError::new(
                    ProbeErrorKind::Io,
                    "`docker-credential-ghcr-doctor get` failed (exit code 1): docker-credential-ghcr-doctor: gh has no token for github.com (gh: no oauth token found for github.com). Run `gh auth login -h github.com -s read:packages`, then `ghcr-doctor check`.",
                ));
            })(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::NotLoggedIn)
    ),
    (
        credential_helper_fails,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.store = CredentialStore::Helper { name: "pass".into(), per_host: false };
                c.lookup = CredentialLookup::HelperFailed(ProbeError::new(
                    ProbeErrorKind::Io,
                    "`docker-credential-pass get` failed (exit code 1): pass store is uninitialized",
                ));
            })(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::CredentialHelperError)
    ),
    (
        no_credentials_private_image,
        Scenario::healthy().with(|r, f| {
            creds(|c| c.lookup = CredentialLookup::NotFound)(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoCredentials)
    ),
    (
        public_image_without_login,
        Scenario::healthy().with(|r, f| {
            creds(|c| c.lookup = CredentialLookup::NotFound)(r, f);
            f.images[0].anonymous_token = Probe::Done(token_ok());
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest_auth = ManifestAuth::Anonymous;
        }),
        CheckId::RegistryAccess,
        Status::Pass,
        None
    ),
    (
        stale_stored_pat,
        Scenario::healthy().with(stale_pat),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::StaleCredentials)
    ),
    (
        stale_credentials_break_a_public_image,
        Scenario::healthy().with(|r, f| {
            stale_pat(r, f);
            gh(f).docker_secret_user = Probe::Skipped;
            f.images[0].anonymous_token = Probe::Done(token_ok());
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "denied"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::StaleCredentials)
    ),
    (
        sudo_root_has_no_login_but_the_user_has,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.config_path = "/root/.docker/config.json".into();
                c.store = CredentialStore::File;
                c.lookup = CredentialLookup::NotFound;
                c.other.sudo = Some(SudoUserConfig {
                    user: "alice".into(),
                    config_path: Some("/home/alice/.docker/config.json".into()),
                    holds: ConfiguredCredential::Helper { name: "pass".into() },
                });
            })(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest_auth = ManifestAuth::Anonymous;
        }),
        CheckId::DockerCredentials,
        Status::Warn,
        Some(CauseId::SudoRootConfig)
    ),
    (
        sudo_root_holds_another_login,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.config_path = "/root/.docker/config.json".into();
                c.other.sudo = Some(SudoUserConfig {
                    user: "alice".into(),
                    config_path: Some("/home/alice/.docker/config.json".into()),
                    holds: ConfiguredCredential::Helper { name: "secretservice".into() },
                });
            })(r, f);
        }),
        CheckId::DockerCredentials,
        Status::Warn,
        Some(CauseId::SudoRootConfig)
    ),
    (
        sudo_with_the_users_home_kept_is_no_finding,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.other.sudo = Some(SudoUserConfig {
                    user: "alice".into(),
                    config_path: Some(c.config_path.clone()),
                    holds: ConfiguredCredential::Helper { name: "pass".into() },
                });
            })(r, f);
        }),
        CheckId::DockerCredentials,
        Status::Pass,
        None
    ),
    (
        wsl_desktop_helper_only_as_exe,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.store = CredentialStore::Helper { name: "desktop".into(), per_host: false };
                c.lookup = CredentialLookup::HelperMissing { program: "docker-credential-desktop".into() };
                c.other.wsl = Some("WSL_DISTRO_NAME=Ubuntu".into());
                c.other.windows_helper = Some("/usr/bin/docker-credential-desktop.exe".into());
            })(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::WslDesktopHelper)
    ),
    (
        config_key_typo_names_a_helper,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.other.unknown_keys = vec![
                    UnknownConfigKey { key: "credStore".into(), value: UnknownKeyValue::Text("desktop".into()) },
                    UnknownConfigKey { key: "credsHelper".into(), value: UnknownKeyValue::Object { for_registry: false } },
                    UnknownConfigKey { key: "colour".into(), value: UnknownKeyValue::Text("red".into()) },
                ];
            })(r, f);
        }),
        CheckId::DockerCredentials,
        Status::Warn,
        Some(CauseId::ConfigKeyTypo)
    ),
    (
        malformed_docker_config,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.config = DockerConfigState::Malformed { detail: "expected `,` or `}` at line 4 column 3".into() };
                c.lookup = CredentialLookup::NotFound;
            })(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::MalformedDockerConfig)
    ),
    (
        docker_holds_a_fine_grained_pat,
        Scenario::healthy().with(|r, f| {
            creds(|c| {
                c.lookup = CredentialLookup::Found(StoredCredential {
                    username: "alice".into(),
                    secret: Secret::new(FINE),
                    identity_token: false,
                });
            })(r, f);
            gh(f).docker_secret_user = Probe::Done(answer(200, &[], r#"{"login":"alice"}"#));
            f.images[0].credential_token = Probe::Done(registry_error(
                403,
                "DENIED",
                "permission_denied: The token provided does not match expected scopes.",
            ));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::FineGrainedPat)
    ),
    (
        no_package_access,
        Scenario::healthy().with(|_, f| {
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "denied"));
            f.images[0].manifest = Probe::Skipped;
            gh(f).packages[0] = Probe::Done(answer(404, &[], r#"{"message":"Package not found.","status":"404"}"#));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoPackageAccess)
    ),
    (
        no_package_access_invalid_token_variant,
        Scenario::healthy().with(|_, f| {
            f.images[0].manifest = Probe::Done(registry_error(403, "DENIED", "invalid token"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoPackageAccess)
    ),
    (
        tag_not_found,
        Scenario::healthy().with(|_, f| f.images[0].manifest = Probe::Done(answer(404, &[], ""))),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::TagNotFound)
    ),
    (
        push_without_write_role,
        Scenario::healthy().with(|r, f| {
            r.access = Access::Push;
            gh(f).api_user = Probe::Done(user("read:packages, write:packages"));
            f.images[0].push_token = Probe::Done(registry_error(403, "DENIED", "permission_denied: write_package"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoWriteAccess)
    ),
    (
        actions_token_without_package_access,
        Scenario::healthy().with(|r, f| {
            r.ci = true;
            gh(f).gh = Probe::Skipped;
            gh(f).env_tokens = vec![EnvToken {
                var: "GITHUB_TOKEN".into(),
                secret: Secret::new("ghs_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
            }];
            gh(f).gh_token = Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::Token(Secret::new("ghs_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")),
                stored: None,
            });
            gh(f).api_user = Probe::Done(answer(403, &[], r#"{"message":"Resource not accessible by integration"}"#));
            creds(|c| {
                c.lookup = CredentialLookup::Found(StoredCredential {
                    username: "x-access-token".into(),
                    secret: Secret::new("ghs_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
                    identity_token: false,
                });
            })(r, f);
            f.images[0].credential_token =
                Probe::Done(registry_error(403, "DENIED", "installation not allowed to Read organization package"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::ActionsTokenNoAccess)
    ),
    (
        actions_job_without_packages_permission,
        actions_push(WORKFLOW_READ_ONLY, "installation not allowed to Write organization package", |_| {}),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::MissingPackagesPermission)
    ),
    (
        actions_fork_pull_request,
        actions_push(WORKFLOW_WRITE, "installation not allowed to Write organization package", |a| {
            a.event_name = Some("pull_request".into());
            a.head_repo_fork = Some(true);
            a.head_repository = Some("mallory/app-repo".into());
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::ForkPullRequest)
    ),
    (
        actions_package_creation_forbidden,
        actions_push(WORKFLOW_WRITE, "installation not allowed to Create organization package", |_| {}),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::PackageCreationForbidden)
    ),
    (
        actions_package_not_granted,
        actions_push(WORKFLOW_WRITE, "installation not allowed to Write organization package", |_| {}),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::ActionsTokenNoAccess)
    ),
    (
        ghes_job_pulls_with_its_github_token,
        ghes_job(|_, _| {}),
        CheckId::GhAuth,
        Status::Pass,
        None
    ),
    (
        ghes_job_without_a_container_registry,
        ghes_job(|_, f| {
            f.registry_ping = Probe::Failed(ProbeError::new(
                ProbeErrorKind::Network,
                "dial tcp: lookup containers.ghe.example.com: no such host",
            ));
        }),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::RegistryUnavailable)
    ),
    (
        ghes_job_where_containers_host_is_no_registry,
        ghes_job(|_, f| f.registry_ping = Probe::Done(answer(404, &[("content-type", "text/html")], "<html>"))),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::RegistryUnavailable)
    ),
    (
        job_without_any_token_or_login,
        ghes_job(|_, f| {
            gh(f).env_tokens = vec![];
            gh(f).gh_token = Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::NoToken { message: "no oauth token".into() },
                stored: None,
            });
            gh(f).api_user = Probe::Skipped;
            gh(f).owners[0].org = Probe::Skipped;
            gh(f).owners[0].membership = Probe::Skipped;
            gh(f).packages = vec![Probe::Skipped];
            if let Some(a) = gh(f).actions.as_mut() {
                a.job_credential = None;
                a.job_token_var = None;
            }
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoCredentials)
    ),
    (
        job_docker_holds_another_jobs_expired_login,
        ghes_job(another_jobs_login),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::StaleCredentials)
    ),
    (
        job_docker_holds_another_jobs_valid_login,
        ghes_job(|r, f| {
            another_jobs_login(r, f);
            gh(f).docker_secret_user = Probe::Done(answer(403, &[], r#"{"message":"Resource not accessible by integration"}"#));
            f.images[0].credential_token = Probe::Done(token_ok());
            f.images[0].manifest = Probe::Done(answer(200, &[("docker-content-digest", "sha256:abc")], ""));
        }),
        CheckId::RegistryAccess,
        Status::Warn,
        Some(CauseId::StaleCredentials)
    ),
    (
        job_on_another_server_than_the_configured_host,
        ghes_job(|r, _| {
            r.forge = Forge::Github(GithubHost::github_com());
            r.images = vec![IMAGE.parse().unwrap()];
        }),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::HostMismatch)
    ),
    (
        rate_limited,
        Scenario::healthy().with(|_, f| {
            f.images[0].credential_token =
                Probe::Done(registry_error(429, "TOOMANYREQUESTS", "retry-after: 880.092µs, allowed: 44000/minute"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::RateLimited)
    ),
    (
        registry_unreachable,
        Scenario::healthy().with(|_, f| {
            f.images[0].anonymous_token =
                Probe::Failed(ProbeError::new(ProbeErrorKind::Network, "dial tcp: lookup ghcr.io: no such host"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::Network)
    ),
    (
        registry_hangs,
        Scenario::healthy().with(|_, f| {
            f.images[0].manifest = Probe::Failed(ProbeError::new(ProbeErrorKind::Timeout, "no answer after 10 s"));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        classic_pat_refused_by_the_registry,
        Scenario::healthy().with(|_, f| {
            f.images[0].credential_token = Probe::Done(registry_error(
                403,
                "DENIED",
                "permission_denied: `acme` forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions.",
            ));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::ClassicPatForbidden)
    ),
    (
        registry_host_does_not_resolve,
        Scenario::healthy().with(|_, f| {
            f.registry_ping =
                Probe::Failed(ProbeError::new(ProbeErrorKind::Network, "dial tcp: lookup ghcr.io: no such host"));
        }),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::Network)
    ),
    (
        registry_ping_hangs,
        Scenario::healthy().with(|_, f| {
            f.registry_ping = Probe::Failed(ProbeError::new(ProbeErrorKind::Timeout, "GET https://ghcr.io/v2/: timeout"));
        }),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        api_unreachable,
        Scenario::healthy().with(|_, f| {
            gh(f).api_user = Probe::Failed(ProbeError::new(
                ProbeErrorKind::Network,
                "GET https://api.github.com/user: connection refused",
            ));
        }),
        CheckId::GhAuth,
        Status::Fail,
        Some(CauseId::Network)
    ),
    (
        gh_auth_token_hangs,
        Scenario::healthy().with(|_, f| {
            gh(f).gh_token = Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::Failed(ProbeError::new(ProbeErrorKind::Timeout, "killed after 10 s")),
                stored: None,
            });
            gh(f).api_user = Probe::Skipped;
        }),
        CheckId::GhAuth,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        org_lookup_unreachable,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].org = Probe::Failed(ProbeError::new(
                ProbeErrorKind::Network,
                "GET https://api.github.com/orgs/acme: connection reset",
            ));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::Network)
    ),
    (
        org_lookup_hangs,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].org =
                Probe::Failed(ProbeError::new(ProbeErrorKind::Timeout, "GET https://api.github.com/orgs/acme: timeout"));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        credential_helper_hangs,
        Scenario::healthy().with(creds(|c| {
            c.lookup = CredentialLookup::HelperFailed(ProbeError::new(
                ProbeErrorKind::Timeout,
                "`docker-credential-pass get` did not finish within 10 s and was stopped",
            ));
        })),
        CheckId::DockerCredentials,
        Status::Fail,
        Some(CauseId::Timeout)
    ),
    (
        captive_portal_answers_the_api,
        Scenario::healthy().with(|_, f| {
            gh(f).api_user = Probe::Done(answer(200, &[("Content-Type", "text/html")], "<html><body>Log in to the Wi-Fi</body></html>"));
        }),
        CheckId::GhAuth,
        Status::Fail,
        Some(CauseId::UnexpectedResponse)
    ),
    (
        proxy_redirects_the_org_lookup,
        Scenario::healthy().with(|_, f| {
            gh(f).owners[0].org = Probe::Done(answer(302, &[("Location", "http://portal.example/login")], ""));
        }),
        CheckId::Sso,
        Status::Fail,
        Some(CauseId::UnexpectedResponse)
    ),
    (
        captive_portal_answers_the_registry_ping,
        Scenario::healthy().with(|_, f| {
            f.registry_ping = Probe::Done(answer(200, &[("Content-Type", "text/html")], "<html>portal</html>"));
        }),
        CheckId::GithubHost,
        Status::Fail,
        Some(CauseId::UnexpectedResponse)
    ),
    (
        token_endpoint_answers_a_huge_page,
        Scenario::healthy().with(|_, f| {
            f.images[0].credential_token =
                Probe::Done(HttpAnswer { truncated: true, ..answer(200, &[], "xxxxxxxxxxxxxxxx") });
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::UnexpectedResponse)
    ),
    (
        gh_auth_token_prints_garbage,
        Scenario::healthy().with(|_, f| {
            gh(f).gh_token = Probe::Done(GhTokenFacts {
                effective: GhTokenAnswer::Failed(ProbeError::new(
                    ProbeErrorKind::Malformed,
                    "`gh auth token` printed 52 bytes that are not a token",
                )),
                stored: None,
            });
            gh(f).api_user = Probe::Skipped;
        }),
        CheckId::GhAuth,
        Status::Fail,
        Some(CauseId::ToolFailed)
    ),
    (
        gh_cannot_start,
        Scenario::healthy().with(|_, f| {
            gh(f).gh = Probe::Done(GhFacts {
                path: Some("/usr/bin/gh".into()),
                version: Probe::Failed(ProbeError::new(ProbeErrorKind::Io, "could not start `gh`: Exec format error")),
            });
        }),
        CheckId::GhInstalled,
        Status::Fail,
        Some(CauseId::ToolFailed)
    ),
    (
        docker_version_killed,
        Scenario::healthy().with(docker_with(
            Some(SocketState::Connectable),
            Probe::Done(ProcessOutput { exit_code: None, stdout: String::new(), stderr: String::new() }),
        )),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::ToolFailed)
    ),
    (
        daemon_down_without_systemd,
        Scenario::healthy().with(|r, f| {
            docker_with(Some(SocketState::Missing), Probe::Skipped)(r, f);
            if let Probe::Done(d) = &mut f.docker {
                d.systemd = false;
            }
        }),
        CheckId::DockerDaemon,
        Status::Fail,
        Some(CauseId::DaemonUnreachable)
    ),
    (
        pull_secret_good,
        Scenario::healthy().with(pull_secret("https://ghcr.io/v1/", GH_TOKEN)),
        CheckId::PullSecret,
        Status::Pass,
        None
    ),
    (
        pull_secret_no_entry,
        Scenario::healthy().with(|r, f| {
            pull_secret("registry.example.com", GH_TOKEN)(r, f);
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::PullSecretNoEntry)
    ),
    (
        pull_secret_stale,
        Scenario::healthy().with(pull_secret_refused(
            "ghcr.io",
            OLD_PAT,
            401,
            "UNAUTHORIZED",
            "unauthenticated: User cannot be authenticated with the token provided."
        )),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::PullSecretStale)
    ),
    (
        // UNCONFIRMED (checks/pull_secret.rs): that the container runtime, like docker, does not
        // fall back to anonymous access for a public image when the Secret's credential is refused.
        pull_secret_refused_for_a_public_image,
        Scenario::healthy().with(|r, f| {
            pull_secret_refused("ghcr.io", ENV_PAT, 403, "DENIED", "denied")(r, f);
            f.images[0].anonymous_token = Probe::Done(token_ok());
        }),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::PullSecretStale)
    ),
    (
        pull_secret_tries_the_other_entries_next,
        Scenario::healthy().with(|r, f| {
            pull_secret_refused(
                "ghcr.io/acme",
                OLD_PAT,
                401,
                "UNAUTHORIZED",
                "unauthenticated: User cannot be authenticated with the token provided.",
            )(r, f);
            let secret = r.pull_secret.as_mut().unwrap();
            secret.entries.push(PullSecretEntry {
                key: "ghcr.io".into(),
                username: "bob".into(),
                secret: Secret::new(GH_TOKEN),
            });
            secret.entries.push(PullSecretEntry {
                key: "quay.io".into(),
                username: "carol".into(),
                secret: Secret::new(GH_TOKEN),
            });
        }),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::PullSecretStale)
    ),
    (
        pull_secret_falls_through_to_a_working_entry,
        Scenario::healthy().with(|r, f| {
            pull_secret_refused(
                "ghcr.io/acme",
                OLD_PAT,
                401,
                "UNAUTHORIZED",
                "unauthenticated: User cannot be authenticated with the token provided.",
            )(r, f);
            r.pull_secret.as_mut().unwrap().entries.push(PullSecretEntry {
                key: "https://ghcr.io".into(),
                username: "bob".into(),
                secret: Secret::new(GH_TOKEN),
            });
            f.pull_secret_fallbacks = vec![PullSecretAttempt {
                key: "https://ghcr.io".into(),
                token: Probe::Done(token_ok()),
                manifest: Probe::Done(answer(200, &[], "")),
            }];
        }),
        CheckId::PullSecret,
        Status::Warn,
        Some(CauseId::PullSecretStale)
    ),
    (
        pull_secret_every_entry_refused,
        Scenario::healthy().with(|r, f| {
            pull_secret_refused("ghcr.io/acme", OLD_PAT, 403, "DENIED", "denied")(r, f);
            r.pull_secret.as_mut().unwrap().entries.push(PullSecretEntry {
                key: "ghcr.io".into(),
                username: "bob".into(),
                secret: Secret::new(ENV_PAT),
            });
            f.pull_secret_fallbacks = vec![PullSecretAttempt {
                key: "ghcr.io".into(),
                token: Probe::Done(registry_error(403, "DENIED", "denied")),
                manifest: Probe::Skipped,
            }];
        }),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::NoPackageAccess)
    ),
    (
        pull_secret_holds_a_job_token,
        Scenario::healthy().with(pull_secret("ghcr.io", GHS_JOB)),
        CheckId::PullSecret,
        Status::Warn,
        Some(CauseId::PullSecretStale)
    ),
    (
        pull_secret_missing_scope,
        Scenario::healthy().with(pull_secret_refused(
            "ghcr.io/acme",
            OLD_PAT,
            403,
            "DENIED",
            "permission_denied: The token provided does not match expected scopes."
        )),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::MissingScope)
    ),
    (
        pull_secret_fine_grained,
        Scenario::healthy().with(pull_secret_refused(
            "ghcr.io",
            FINE,
            403,
            "DENIED",
            "permission_denied: The token provided does not match expected scopes."
        )),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::FineGrainedPat)
    ),
    (
        pull_secret_sso,
        Scenario::healthy().with(|r, f| {
            pull_secret_refused("ghcr.io", GH_TOKEN, 403, "DENIED", "denied")(r, f);
            gh(f).owners[0].org = Probe::Done(answer(
                403,
                &[("X-GitHub-SSO", "required; url=https://github.com/orgs/acme/sso?authorization_request=x")],
                r#"{"message":"Resource protected by organization SAML enforcement."}"#,
            ));
        }),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::SsoNotAuthorized)
    ),
    (
        pull_secret_no_package_access,
        Scenario::healthy().with(pull_secret_refused("ghcr.io", ENV_PAT, 403, "DENIED", "denied")),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::NoPackageAccess)
    ),
    (
        pull_secret_tag_not_found,
        Scenario::healthy().with(|r, f| {
            pull_secret("ghcr.io", GH_TOKEN)(r, f);
            f.images[0].manifest = Probe::Done(answer(404, &[], ""));
        }),
        CheckId::PullSecret,
        Status::Fail,
        Some(CauseId::TagNotFound)
    ),
    (gitlab_all_set_up, Scenario::gitlab(), CheckId::RegistryAccess, Status::Pass, None),
    (
        gitlab_glab_missing,
        Scenario::gitlab().with(|_, f| {
            gl(f).glab_path = None;
            gl(f).glab_version = Probe::Skipped;
        }),
        CheckId::GlabInstalled,
        Status::Warn,
        Some(CauseId::GlabMissing)
    ),
    (
        gitlab_glab_hangs,
        Scenario::gitlab().with(|_, f| {
            gl(f).glab_version = Probe::Failed(ProbeError::new(ProbeErrorKind::Io, "`glab` exited with 2"));
        }),
        CheckId::GlabInstalled,
        Status::Fail,
        Some(CauseId::ToolFailed)
    ),
    (
        gitlab_registry_unreachable,
        Scenario::gitlab().with(|_, f| {
            f.registry_ping = Probe::Failed(ProbeError::new(ProbeErrorKind::Network, "connection refused"));
        }),
        CheckId::GitlabHost,
        Status::Fail,
        Some(CauseId::Network)
    ),
    (
        gitlab_image_on_another_registry,
        Scenario::gitlab().with(|r, _| r.images = vec!["registry.example.com/acme/app:latest".parse().unwrap()]),
        CheckId::GitlabHost,
        Status::Fail,
        Some(CauseId::HostMismatch)
    ),
    (
        gitlab_registry_not_gitlabs,
        Scenario::gitlab().with(|_, f| {
            f.registry_ping = Probe::Done(answer(401, &[("Www-Authenticate", r#"Bearer realm="https://auth.example.com/token",service="x""#)], ""));
        }),
        CheckId::GitlabHost,
        Status::Fail,
        Some(CauseId::HostMismatch)
    ),
    (
        gitlab_registry_answers_html,
        Scenario::gitlab().with(|_, f| {
            f.registry_ping = Probe::Done(answer(502, &[("Content-Type", "text/html")], "<html>proxy</html>"));
        }),
        CheckId::GitlabHost,
        Status::Fail,
        Some(CauseId::UnexpectedResponse)
    ),
    (
        gitlab_env_token_revoked,
        Scenario::gitlab().with(|_, f| {
            let g = gl(f);
            g.env_token = Some(EnvToken { var: "GITLAB_TOKEN".into(), secret: Secret::new("glpat-FAKEaliceRevoked0007") });
            g.api_token_self = Probe::Done(answer(401, &[], r#"{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}"#));
        }),
        CheckId::GitlabAuth,
        Status::Warn,
        Some(CauseId::TokenInvalid)
    ),
    (
        gitlab_nothing_at_all,
        Scenario::gitlab().with(|_, f| {
            if let Probe::Done(c) = &mut f.docker_credentials {
                c.lookup = CredentialLookup::NotFound;
            }
            let g = gl(f);
            g.registry_credential = None;
            g.registry_token_self = Probe::Skipped;
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::GitlabAuth,
        Status::Warn,
        Some(CauseId::NoCredentials)
    ),
    (
        gitlab_glab_config_mode,
        Scenario::gitlab().with(|_, f| {
            let g = gl(f);
            g.glab_config = GlabConfigFacts { path: Some("/home/alice/.config/glab-cli/config.yml".into()), state: GlabConfigState::BadMode { mode: 0o644 } };
        }),
        CheckId::GitlabAuth,
        Status::Warn,
        Some(CauseId::GlabConfigMode)
    ),
    (
        gitlab_token_without_registry_scope,
        Scenario::gitlab().with(|_, f| {
            gl(f).registry_token_self = Probe::Done(token_self("read_user, read_repository"));
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "access forbidden"));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::TokenScopes,
        Status::Fail,
        Some(CauseId::MissingRegistryScope)
    ),
    (
        gitlab_jwt_auth_forbidden_without_scope_info,
        Scenario::gitlab().with(|_, f| {
            gl(f).registry_token_self = Probe::Skipped;
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "access forbidden"));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::MissingRegistryScope)
    ),
    (
        gitlab_proxy_strips_authorization,
        Scenario::gitlab().with(|_, f| {
            f.images[0].credential_token = Probe::Done(registry_error(403, "DENIED", "access forbidden"));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::GitlabAccessForbidden)
    ),
    (
        gitlab_stale_token_in_docker,
        Scenario::gitlab().with(|_, f| {
            gl(f).registry_token_self = Probe::Done(answer(401, &[], r#"{"message":"401 Unauthorized"}"#));
            f.images[0].credential_token = Probe::Done(access_denied());
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::StaleCredentials)
    ),
    (
        gitlab_two_factor_password,
        Scenario::gitlab().with(gl_docker_holds("carol", "correct horse battery staple")).with(|_, f| {
            gl(f).registry_token_self = Probe::Skipped;
            f.images[0].credential_token = Probe::Done(access_denied());
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::GitlabTwoFactorPassword)
    ),
    (
        gitlab_finished_job_token,
        Scenario::gitlab().with(gl_job("acme/app")).with(|_, f| {
            f.images[0].credential_token = Probe::Done(access_denied());
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::TokenInvalid)
    ),
    (
        gitlab_instance_registry_disabled,
        Scenario::gitlab().with(|_, f| {
            f.images[0].credential_token = Probe::Done(registry_error(404, "UNAVAILABLE", "registry not enabled"));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::RegistryUnavailable)
    ),
    (
        gitlab_no_access,
        Scenario::gitlab().with(|_, f| {
            f.images[0].credential_token = Probe::Done(granted(&[], 900));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoPackageAccess)
    ),
    (
        gitlab_write_only_scope,
        Scenario::gitlab().with(|_, f| {
            gl(f).registry_token_self = Probe::Done(token_self("write_registry"));
            f.images[0].credential_token = Probe::Done(granted(&[], 900));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::MissingRegistryScope)
    ),
    (
        gitlab_job_token_outside_the_allowlist,
        Scenario::gitlab().with(gl_job("acme/tools")).with(|_, f| {
            f.images[0].credential_token = Probe::Done(granted(&[], 300));
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::JobTokenNotAllowed)
    ),
    (
        gitlab_job_token_push_elsewhere,
        Scenario::gitlab().with(gl_job("acme/tools")).with(|r, f| {
            r.access = Access::Push;
            f.images[0].credential_token = Probe::Done(granted(&["pull"], 900));
            f.images[0].push_token = Probe::Done(granted(&["pull"], 900));
        }),
        CheckId::TokenScopes,
        Status::Fail,
        Some(CauseId::JobTokenOtherProject)
    ),
    (
        gitlab_job_token_push_elsewhere_at_the_registry,
        Scenario::gitlab().with(gl_job("acme/tools")).with(|r, f| {
            r.access = Access::Push;
            f.images[0].credential_token = Probe::Done(granted(&["pull"], 900));
            f.images[0].push_token = Probe::Done(granted(&["pull"], 900));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::JobTokenOtherProject)
    ),
    (
        gitlab_push_needs_developer,
        Scenario::gitlab().with(|r, f| {
            r.access = Access::Push;
            gl(f).registry_token_self = Probe::Done(token_self("read_registry, write_registry"));
            f.images[0].push_token = Probe::Done(granted(&["pull"], 900));
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoWriteAccess)
    ),
    (
        gitlab_push_outlives_the_token,
        Scenario::gitlab().with(|r, f| {
            r.access = Access::Push;
            gl(f).registry_token_self = Probe::Done(token_self("read_registry, write_registry"));
            f.images[0].credential_token = Probe::Done(granted(&["pull"], 300));
            f.images[0].push_token = Probe::Done(granted(&["pull", "push"], 300));
        }),
        CheckId::RegistryAccess,
        Status::Warn,
        Some(CauseId::RegistryTokenExpired)
    ),
    (
        gitlab_private_without_login,
        Scenario::gitlab().with(|_, f| {
            if let Probe::Done(c) = &mut f.docker_credentials {
                c.lookup = CredentialLookup::NotFound;
            }
            gl(f).registry_credential = None;
            f.images[0].credential_token = Probe::Skipped;
            f.images[0].manifest = Probe::Skipped;
        }),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::NoCredentials)
    ),
    (
        gitlab_tag_not_found,
        Scenario::gitlab().with(|_, f| f.images[0].manifest = Probe::Done(answer(404, &[], ""))),
        CheckId::RegistryAccess,
        Status::Fail,
        Some(CauseId::TagNotFound)
    ),
    (
        gitlab_push_of_a_new_tag,
        Scenario::gitlab().with(|r, f| {
            r.access = Access::Push;
            gl(f).registry_token_self = Probe::Done(token_self("read_registry, write_registry"));
            f.images[0].push_token = Probe::Done(granted(&["pull", "push"], 900));
            f.images[0].manifest = Probe::Done(answer(404, &[], ""));
        }),
        CheckId::RegistryAccess,
        Status::Pass,
        None
    ),
];

#[test]
fn misspelled_credential_keys_are_named_only_when_docker_would_have_used_them() {
    let text = || UnknownKeyValue::Text("desktop".into());
    let entry = || UnknownKeyValue::Object { for_registry: true };
    let cases = [
        ("credStore", text(), Some("credsStore")),
        ("credsHelpers", entry(), Some("credHelpers")),
        ("credHelper", entry(), Some("credHelpers")),
        ("credshelpers", entry(), Some("credHelpers")),
        ("auth", entry(), Some("auths")),
        // The shape docker would have read under the right key is not there: nothing is lost.
        ("credStore", entry(), None),
        ("credHelper", UnknownKeyValue::Object { for_registry: false }, None),
        ("auth", text(), None),
        ("credStore", UnknownKeyValue::Other, None),
        // Not close to any credential key.
        ("paths", entry(), None),
        ("colour", text(), None),
    ];
    for (key, value, want) in cases {
        assert_eq!(misspelled_credential_key(key, &value), want, "{key} {value:?}");
    }
}

// GitLab (gitlab-facts): a machine with docker logged in to registry.gitlab.com with alice's
// `read_registry` token, the realm `/jwt/auth` on gitlab.com, a private image that exists.

const GLPAT: &str = "glpat-FAKEaliceReadReg0001";
const GL_IMAGE: &str = "registry.gitlab.com/acme/app:latest";

/// `/jwt/auth`'s answer as the probe keeps it: the JWT's claims, granting `actions` on acme/app.
fn granted(actions: &[&str], lifetime: i64) -> HttpAnswer {
    let actions: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
    answer(
        200,
        &[],
        &format!(
            r#"{{"access":[{{"type":"repository","name":"acme/app","actions":[{}]}}],"iat":1000,"exp":{},"auth_type":"personal_access_token"}}"#,
            actions.join(","),
            1000 + lifetime
        ),
    )
}

fn token_self(scopes: &str) -> HttpAnswer {
    let scopes: Vec<String> = scopes.split(", ").map(|s| format!("\"{s}\"")).collect();
    answer(
        200,
        &[],
        &format!(
            r#"{{"id":1,"name":"laptop","revoked":false,"scopes":[{}],"active":true,"expires_at":null}}"#,
            scopes.join(",")
        ),
    )
}

fn access_denied() -> HttpAnswer {
    registry_error(
        401,
        "UNAUTHORIZED",
        "HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you're required to use a token instead of a password.",
    )
}

/// The GitLab side of a scenario's facts.
fn gl(f: &mut Facts) -> &mut GitlabFacts {
    match &mut f.forge {
        ForgeFacts::Gitlab(g) => g,
        ForgeFacts::Github(_) => unreachable!("a GitLab scenario"),
    }
}

/// docker's (and so the registry's) credential is `user`/`secret`.
fn gl_docker_holds(user: &'static str, secret: &'static str) -> impl FnOnce(&mut Request, &mut Facts) {
    move |_, f| {
        if let Probe::Done(c) = &mut f.docker_credentials {
            c.lookup = CredentialLookup::Found(StoredCredential {
                username: user.into(),
                secret: Secret::new(secret),
                identity_token: false,
            });
        }
        gl(f).registry_credential = Some(GitlabCredential {
            username: user.into(),
            secret: Secret::new(secret),
            source: GitlabCredentialSource::Docker,
        });
    }
}

/// A GitLab job of `project` whose job token is the registry's credential (docker holds none).
fn gl_job(project: &'static str) -> impl FnOnce(&mut Request, &mut Facts) {
    move |r, f| {
        r.ci = true;
        if let Probe::Done(c) = &mut f.docker_credentials {
            c.lookup = CredentialLookup::NotFound;
        }
        let g = gl(f);
        g.ci = Some(GitlabCiFacts { project_path: Some(project.into()), ..GitlabCiFacts::default() });
        g.registry_credential = Some(GitlabCredential {
            username: "gitlab-ci-token".into(),
            secret: Secret::new("glcbt-64_FAKEjob"),
            source: GitlabCredentialSource::CiRegistry,
        });
        g.registry_token_self = Probe::Skipped;
    }
}

impl Scenario {
    fn gitlab() -> Scenario {
        let mut healthy = Scenario::healthy();
        let mut request = Request::new(Forge::Gitlab(GitlabHost::gitlab_com()));
        request.images = vec![GL_IMAGE.parse().unwrap()];
        request.os = Os::Linux;
        let gitlab = GitlabFacts {
            glab_path: Some("/usr/bin/glab".into()),
            glab_version: Probe::Done(ProcessOutput {
                exit_code: Some(0),
                stdout: "glab 1.79.0 (2025-12-12)\n".into(),
                stderr: String::new(),
            }),
            registry_credential: Some(GitlabCredential {
                username: "alice".into(),
                secret: Secret::new(GLPAT),
                source: GitlabCredentialSource::Docker,
            }),
            registry_token_self: Probe::Done(token_self("read_registry")),
            projects: vec![Probe::Skipped],
            ..GitlabFacts::default()
        };
        healthy.facts.forge = ForgeFacts::Gitlab(gitlab);
        if let Probe::Done(c) = &mut healthy.facts.docker_credentials {
            c.registry_host = "registry.gitlab.com".into();
            c.lookup = CredentialLookup::Found(StoredCredential {
                username: "alice".into(),
                secret: Secret::new(GLPAT),
                identity_token: false,
            });
        }
        healthy.facts.registry_ping = Probe::Done(answer(
            401,
            &[("Www-Authenticate", r#"Bearer realm="https://gitlab.com/jwt/auth",service="container_registry""#)],
            r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}"#,
        ));
        healthy.facts.images = vec![ImageFacts {
            reference: GL_IMAGE.into(),
            anonymous_token: Probe::Done(registry_error(403, "DENIED", "access forbidden")),
            credential_token: Probe::Done(granted(&["pull"], 900)),
            manifest: Probe::Done(answer(200, &[("docker-content-digest", "sha256:abc")], "")),
            manifest_auth: ManifestAuth::Credentials,
            push_token: Probe::Skipped,
        }];
        Scenario { request, facts: healthy.facts }
    }
}

#[test]
fn a_gitlab_run_evaluates_gitlabs_checks_in_order() {
    let report = Scenario::gitlab().report();
    let ids: Vec<&str> = report.outcomes.iter().map(|o| o.check.as_str()).collect();
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
    assert_eq!(report.status, Status::Pass, "{:?}", report.outcomes);
}

/// GitLab's fix commands take a GitLab token through a pipe, never gh's.
#[test]
fn gitlab_fixes_never_mention_gh() {
    for (name, scenario) in all_scenarios().into_iter().filter(|(n, _)| n.starts_with("gitlab_")) {
        let report = scenario.report();
        for line in command_lines(&report.next_steps) {
            assert!(!line.contains("gh auth") && !line.contains("GITHUB_TOKEN"), "{name}: {line}");
            assert!(!line.contains("glpat-"), "{name}: a token in a command: {line}");
        }
    }
}

/// [`GITLAB_CAUSES`] is what a GitLab run can name: every cause a GitLab scenario emits is in it,
/// and each member is emitted by one, reported by a check every family runs, or known only
/// from logs.
#[test]
fn the_gitlab_cause_set_is_what_gitlab_runs_name() {
    let mut emitted: Vec<CauseId> = Vec::new();
    for (name, scenario) in all_scenarios().into_iter().filter(|(n, _)| n.starts_with("gitlab_")) {
        for cause in scenario.report().outcomes.iter().flat_map(|o| o.findings.iter().filter_map(|f| f.cause)) {
            assert!(GITLAB_CAUSES.contains(&cause), "{name} names `{cause}`, which GITLAB_CAUSES lacks");
            emitted.push(cause);
        }
    }
    let shared: Vec<CheckId> = checks(Family::Gitlab).filter(|c| c.family().is_none()).map(|c| c.id).collect();
    for &id in GITLAB_CAUSES {
        let info = cause_info(id);
        let by_shared = info.checks.iter().any(|k| shared.contains(k));
        assert!(emitted.contains(&id) || by_shared || info.log_only, "no GitLab scenario names `{id}`");
    }
    let documented: Vec<CauseId> = documented_causes(Family::Gitlab).map(|c| c.id).collect();
    assert_eq!(documented.len(), GITLAB_CAUSES.len());
    assert!(!documented.contains(&CauseId::SsoNotAuthorized) && !documented.contains(&CauseId::GhMissing));
    assert_eq!(documented_causes(Family::Github).count(), CAUSES.len());
}
