//! Pure evaluation: `evaluate(request, facts) -> Report`, and one function per check. Nothing
//! here touches the outside world; every interpretation of what gh, docker, the API and the
//! registry said lives here, so it is all testable with hand-built `Facts`.

use crate::actions::{DeclaredPermission, PermissionLevel};
use crate::causes::{FixCtx, fix_commands};
use crate::{
    Access, ActionsFacts, CauseId, CheckId, CredentialLookup, CredentialStore, DockerConfigState, Facts, Finding,
    GhTokenAnswer, HostKind, HttpAnswer, ImageFacts, ImageRef, Msg, Outcome, Probe, ProbeError, ProbeErrorKind, Report,
    Request, Secret, SocketState, Status, StoredCredential, TokenKind, t,
};

/// The oldest gh with `gh auth token`.
pub const GH_MINIMUM: semver::Version = semver::Version::new(2, 17, 0);
/// gh 2.40 brought multiple accounts and the status format the docs describe.
pub const GH_RECOMMENDED: semver::Version = semver::Version::new(2, 40, 0);
/// Scopes far beyond what pulling or pushing needs.
pub const BROAD_SCOPES: &[&str] = &["delete:packages", "admin:org", "delete_repo", "admin:enterprise", "site_admin"];

/// The request, the facts, and what follows from them that several checks need.
pub struct Ctx<'a> {
    pub request: &'a Request,
    pub facts: &'a Facts,
    /// The token gh (or, in CI, the environment) yields.
    pub token: Option<&'a Secret>,
    /// The environment variable that token comes from, if any.
    pub token_var: Option<&'a str>,
    /// The login `GET /user` returned.
    pub login: Option<String>,
    /// `X-OAuth-Scopes` of `GET /user`, when sent.
    pub scopes: Option<Vec<String>>,
}

impl<'a> Ctx<'a> {
    pub fn new(request: &'a Request, facts: &'a Facts) -> Ctx<'a> {
        let token = facts.gh_token.done().and_then(|t| t.effective.token());
        let token_var =
            token.and_then(|tok| facts.env_tokens.iter().find(|e| &e.secret == tok)).map(|e| e.var.as_str());
        let user = facts.api_user.done().filter(|a| a.status == 200);
        Ctx {
            request,
            facts,
            token,
            token_var,
            login: user.and_then(login_of),
            scopes: user.and_then(|a| a.header("x-oauth-scopes")).map(parse_scopes),
        }
    }

    /// Fix-command values for this run, about `image` if given (else the first image).
    pub fn fix(&self, image: Option<&ImageRef>) -> FixCtx {
        let image = image.or(self.request.images.first());
        FixCtx {
            host: self.request.host.name.clone(),
            registry: self.request.registry_host(),
            login: self
                .login
                .clone()
                .or_else(|| self.docker_credential().map(|c| c.username.clone()).filter(|u| u != "<token>"))
                .or_else(|| self.actions().and_then(|a| a.actor.clone()).filter(|_| self.request.ci))
                .unwrap_or_else(|| {
                    if self.request.ci { "${{ github.actor }}".into() } else { "YOUR_GITHUB_LOGIN".into() }
                }),
            image: image
                .map(|i| i.to_string())
                .unwrap_or_else(|| format!("{}/OWNER/IMAGE:TAG", self.request.registry_host())),
            owner: image.map(|i| i.owner.clone()).unwrap_or_else(|| "OWNER".into()),
            package: image.map(|i| i.name.clone()).unwrap_or_else(|| "IMAGE".into()),
            env_var: self.token_var.map(str::to_owned),
            access: self.request.access,
            os: self.request.os,
            ci: self.request.ci,
        }
    }

    /// A finding about `cause`, with its commands filled for `image`.
    fn finding(&self, status: Status, cause: CauseId, message: Msg, image: Option<&ImageRef>) -> Finding {
        let fix = self.fix(image);
        let mut finding = Finding::new(status, message).cause(cause).commands(fix_commands(cause, &fix));
        finding.fix_args = fix.args();
        finding
    }

    /// The credential docker would send, if it can find one.
    pub fn docker_credential(&self) -> Option<&'a StoredCredential> {
        let creds = self.facts.docker_credentials.done()?;
        if let DockerConfigState::Malformed { .. } = creds.config {
            return None;
        }
        match &creds.lookup {
            CredentialLookup::Found(c) => Some(c),
            _ => None,
        }
    }

    /// The SSO authorization URL GitHub sent for `owner` (`X-GitHub-SSO: required; url=...`).
    fn sso_url(&self, owner: &str) -> Option<String> {
        let answer = self.facts.owners.iter().find(|o| o.owner == owner)?.org.done()?;
        answer.header("x-github-sso").and_then(sso_url)
    }

    /// The Actions job's environment, when gathered.
    pub fn actions(&self) -> Option<&'a ActionsFacts> {
        self.facts.actions.as_ref()
    }

    /// The credential the registry requests were made with: docker's, else (in CI, before
    /// `docker/login-action` ran) the job's token.
    pub fn registry_credential(&self) -> Option<&'a StoredCredential> {
        self.docker_credential().or_else(|| self.actions().and_then(|a| a.job_credential.as_ref()))
    }

    /// Whether docker's stored secret is the token gh holds.
    fn docker_uses_gh_token(&self) -> bool {
        matches!((self.docker_credential(), self.token), (Some(c), Some(t)) if &c.secret == t)
    }

    /// What GitHub said about docker's stored secret: gh's `/user` answer when it is the same
    /// token, else the separate probe.
    fn docker_secret_user(&self) -> Option<&'a HttpAnswer> {
        if self.docker_uses_gh_token() { self.facts.api_user.done() } else { self.facts.docker_secret_user.done() }
    }
}

/// Evaluates every check in registry order and assembles the report.
pub fn evaluate(request: &Request, facts: &Facts) -> Report {
    let ctx = Ctx::new(request, facts);
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut blocked: Vec<CheckId> = Vec::new();
    for check in crate::CHECKS {
        if request.ci && !check.in_ci {
            outcomes.push(Outcome::skipped(
                check.id,
                Msg::new(t!(
                    "Not needed in CI: the job's token comes from the environment.",
                    "CI では不要です。ジョブのトークンは環境変数から渡されます。"
                )),
            ));
            continue;
        }
        let failed_dep = check
            .depends_on
            .iter()
            .find(|dep| blocked.contains(dep) || outcomes.iter().any(|o| o.check == **dep && o.status == Status::Fail));
        if let Some(dep) = failed_dep {
            blocked.push(check.id);
            outcomes.push(Outcome::skipped(
                check.id,
                Msg::new(t!(
                    "Skipped: `{dep}` must pass first.",
                    "スキップしました。先に `{dep}` が成功する必要があります。"
                ))
                .arg("dep", dep),
            ));
            continue;
        }
        let mut outcome = (check.evaluate)(&ctx);
        outcome.duration_ms = facts.durations_ms.iter().find(|(id, _)| *id == check.id).map(|(_, ms)| *ms).unwrap_or(0);
        outcomes.push(outcome);
    }
    report(&ctx, outcomes)
}

fn report(ctx: &Ctx, outcomes: Vec<Outcome>) -> Report {
    let status = outcomes.iter().map(|o| o.status).max_by_key(|s| s.severity()).unwrap_or(Status::Pass);
    let status = if status == Status::Skip { Status::Pass } else { status };
    let root_cause = outcomes.iter().find(|o| o.status == Status::Fail).and_then(Outcome::cause);
    // Failures first; only when nothing fails do warnings' fixes become next steps.
    let wanted = if status == Status::Fail { Status::Fail } else { Status::Warn };
    let mut next_steps: Vec<String> = Vec::new();
    for o in outcomes.iter().filter(|o| o.status == wanted) {
        for c in o.commands() {
            if !next_steps.contains(&c) {
                next_steps.push(c);
            }
        }
    }
    if status == Status::Fail && !next_steps.is_empty() {
        let verb = match ctx.request.access {
            Access::Pull => "pull",
            Access::Push => "push",
        };
        for image in &ctx.request.images {
            next_steps.push(format!("docker {verb} {image}"));
        }
        if ctx.request.images.is_empty() {
            next_steps.push("ghcr-doctor check".into());
        }
    }
    Report { outcomes, status, root_cause, next_steps }
}

// ---------------------------------------------------------------------------------------------
// Reading answers

/// `X-OAuth-Scopes: repo, read:org` → `["repo", "read:org"]`.
pub fn parse_scopes(header: &str) -> Vec<String> {
    header.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn login_of(answer: &HttpAnswer) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
    v.get("login")?.as_str().map(str::to_owned)
}

/// Whether `scopes` grant `needed` (`write:X` implies `read:X`, as GitHub and gh treat it).
pub fn has_scope(scopes: &[String], needed: &str) -> bool {
    scopes.iter().any(|s| {
        s == needed
            || (needed == "read:packages" && s == "write:packages")
            || (needed == "read:org" && s == "admin:org")
    })
}

/// The version in `gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)`.
pub fn parse_gh_version(stdout: &str) -> Option<semver::Version> {
    let line = stdout.lines().find(|l| l.trim_start().starts_with("gh version "))?;
    let word = line.trim_start().strip_prefix("gh version ")?.split_whitespace().next()?;
    let word = word.trim_start_matches('v');
    semver::Version::parse(word).ok().or_else(|| semver::Version::parse(&format!("{word}.0")).ok())
}

/// The `url=` of `X-GitHub-SSO: required; url=https://...` (gh's own regex `\burl=([^;]+)`).
pub fn sso_url(header: &str) -> Option<String> {
    let start = header.find("url=")? + 4;
    let url = header[start..].split(';').next()?.trim();
    (!url.is_empty()).then(|| url.to_owned())
}

/// What a registry error answer says, by its documented messages (ghcr-facts §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    /// `permission_denied: The token provided does not match expected scopes.`
    Scope,
    /// `unauthenticated: User cannot be authenticated with the token provided.`
    Unauthenticated,
    /// `installation not allowed to {Read,Write,Create} organization package`
    Installation,
    /// `permission_denied: write_package` / `create_package`
    Write,
    /// `` `org` forbids access via a personal access token (classic) ``
    ClassicForbidden,
    /// `429 Too Many Requests` / `TOOMANYREQUESTS`
    RateLimited,
    /// `denied`, `requested access to the resource is denied`, `invalid token`, `unauthorized`.
    Generic,
}

pub fn classify_denial(answer: &HttpAnswer) -> Denial {
    let text = format!("{} {:?}", answer.body, answer.registry_errors()).to_ascii_lowercase();
    if answer.status == 429 || text.contains("toomanyrequests") {
        Denial::RateLimited
    } else if text.contains("does not match expected scopes") {
        Denial::Scope
    } else if text.contains("user cannot be authenticated") {
        Denial::Unauthenticated
    } else if text.contains("installation not allowed") {
        Denial::Installation
    } else if text.contains("forbids access via a personal access token (classic)") {
        Denial::ClassicForbidden
    } else if text.contains("write_package") || text.contains("create_package") {
        Denial::Write
    } else {
        Denial::Generic
    }
}

/// The registry's own words, for messages: `DENIED: denied` or `HTTP 403`.
fn registry_words(answer: &HttpAnswer) -> String {
    match answer.registry_errors().first() {
        Some((code, message)) if !message.is_empty() => format!("{code}: {message}"),
        _ => format!("HTTP {}", answer.status),
    }
}

fn probe_failure(ctx: &Ctx, error: &ProbeError, what: &str, image: Option<&ImageRef>) -> Finding {
    let (cause, text) = match error.kind {
        ProbeErrorKind::Timeout => (
            CauseId::Timeout,
            t!("{what}: no answer in time ({detail}).", "{what}：時間内に応答がありませんでした（{detail}）。"),
        ),
        ProbeErrorKind::Network => (
            CauseId::Network,
            t!("{what}: could not connect ({detail}).", "{what}：接続できませんでした（{detail}）。"),
        ),
        ProbeErrorKind::Io | ProbeErrorKind::Malformed => (
            CauseId::Network,
            t!("{what}: unusable answer ({detail}).", "{what}：応答を解釈できませんでした（{detail}）。"),
        ),
    };
    let f = ctx.finding(Status::Fail, cause, Msg::new(text).arg("what", what).arg("detail", &error.detail), image);
    match image {
        Some(i) => f.subject(i.to_string()),
        None => f,
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

pub fn gh_installed(ctx: &Ctx) -> Outcome {
    let id = CheckId::GhInstalled;
    let gh = match &ctx.facts.gh {
        Probe::Done(gh) => gh,
        Probe::Failed(e) => return Outcome::new(id, vec![probe_failure(ctx, e, "gh", None)], vec![]),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let Some(path) = &gh.path else {
        let msg = Msg::new(t!("`gh` was not found on PATH.", "PATH に `gh` が見つかりません。"));
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::GhMissing, msg, None)], vec![]);
    };
    let mut evidence = vec![("path", path.clone())];
    let out = match &gh.version {
        Probe::Done(out) => out,
        Probe::Failed(e) => return Outcome::new(id, vec![probe_failure(ctx, e, "gh --version", None)], evidence),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let Some(version) = parse_gh_version(&out.stdout) else {
        let first =
            out.stdout.lines().chain(out.stderr.lines()).next().unwrap_or("").chars().take(120).collect::<String>();
        let msg = Msg::new(t!(
            "Could not read gh's version from `gh --version` (it printed `{output}`).",
            "`gh --version` の出力からバージョンを読み取れませんでした（出力：`{output}`）。"
        ))
        .arg("output", first);
        return Outcome::new(id, vec![Finding::new(Status::Warn, msg)], evidence);
    };
    evidence.push(("version", version.to_string()));
    let finding = if version < GH_MINIMUM {
        ctx.finding(
            Status::Fail,
            CauseId::GhTooOld,
            Msg::new(t!(
                "gh {version} is older than 2.17.0 and has no `gh auth token`.",
                "gh {version} は 2.17.0 より古く、`gh auth token` がありません。"
            ))
            .arg("version", &version),
            None,
        )
    } else if version < GH_RECOMMENDED {
        ctx.finding(
            Status::Warn,
            CauseId::GhTooOld,
            Msg::new(t!(
                "gh {version} works, but 2.40.0 or later is recommended (multiple accounts, `*.ghe.com` hosts, current `gh auth status`).",
                "gh {version} でも動きますが、2.40.0 以降をおすすめします（複数アカウント、`*.ghe.com` ホスト、現在の `gh auth status` に対応しています）。"
            ))
            .arg("version", &version),
            None,
        )
    } else {
        Finding::pass(
            Msg::new(t!("gh {version} at `{path}`.", "gh {version}（`{path}`）。"))
                .arg("version", &version)
                .arg("path", path),
        )
    };
    Outcome::new(id, vec![finding], evidence)
}

pub fn github_host(ctx: &Ctx) -> Outcome {
    let id = CheckId::GithubHost;
    let host = &ctx.request.host;
    let registry = ctx.request.registry_host();
    let evidence = vec![("host", host.name.clone()), ("api", host.api_base()), ("registry", registry.clone())];
    let mut findings = Vec::new();
    let intro = match &host.kind {
        HostKind::GithubCom => Msg::new(t!(
            "github.com: API `{api}`, registry `{registry}`. Enterprise Cloud organizations use the same hosts; there, SAML SSO is the usual trap (see `sso`).",
            "github.com です。API は `{api}`、レジストリは `{registry}` です。Enterprise Cloud の組織も同じホストを使います。その場合は SAML SSO がよくある落とし穴です（`sso` を参照してください）。"
        )),
        HostKind::Tenancy { .. } => Msg::new(t!(
            "GitHub Enterprise Cloud with data residency ({host}): API `{api}`, registry `{registry}`.",
            "データ所在地付きの GitHub Enterprise Cloud（{host}）です。API は `{api}`、レジストリは `{registry}` です。"
        )),
        HostKind::Enterprise => Msg::new(t!(
            "GitHub Enterprise Server ({host}): API `{api}`, registry `{registry}` (needs GitHub Packages and subdomain isolation).",
            "GitHub Enterprise Server（{host}）です。API は `{api}`、レジストリは `{registry}` です（GitHub Packages とサブドメイン分離が必要です）。"
        )),
    }
    .arg("host", &host.name)
    .arg("api", host.api_base())
    .arg("registry", &registry);
    findings.push(Finding::pass(intro));

    let server = ctx.actions().filter(|_| ctx.request.ci).and_then(|a| a.server_url.clone());
    for image in ctx.request.images.iter().filter(|i| i.registry != registry) {
        let text = match server {
            Some(_) => t!(
                "`{image}` is on `{other}`, but this job runs on {server} (`GITHUB_SERVER_URL`), whose registry is `{registry}`: the job's `GITHUB_TOKEN` is not valid on `{other}`. Name the image `{registry}/...` and log in to `{registry}`.",
                "`{image}` は `{other}` にありますが、このジョブは {server}（`GITHUB_SERVER_URL`）で動いており、そのレジストリは `{registry}` です。ジョブの `GITHUB_TOKEN` は `{other}` では使えません。イメージ名を `{registry}/...` にし、`{registry}` にログインしてください。"
            ),
            None => t!(
                "`{image}` is on `{other}`, but images of {host} are on `{registry}`.",
                "`{image}` は `{other}` にありますが、{host} のイメージは `{registry}` にあります。"
            ),
        };
        findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::HostMismatch,
                Msg::new(text)
                    .arg("server", server.as_deref().unwrap_or(""))
                    .arg("image", image)
                    .arg("other", &image.registry)
                    .arg("host", &host.name)
                    .arg("registry", &registry),
                Some(image),
            )
            .subject(image.to_string()),
        );
    }

    let unavailable = |detail: String| {
        ctx.finding(
            Status::Fail,
            CauseId::RegistryUnavailable,
            Msg::new(t!(
                "`{registry}` did not answer as a container registry ({detail}).",
                "`{registry}` がコンテナーレジストリとして応答しませんでした（{detail}）。"
            ))
            .arg("registry", &registry)
            .arg("detail", detail),
            None,
        )
    };
    match &ctx.facts.registry_ping {
        Probe::Skipped => {}
        Probe::Failed(e) if e.kind == ProbeErrorKind::Timeout => {
            findings.push(probe_failure(ctx, e, &format!("https://{registry}/v2/"), None))
        }
        Probe::Failed(e) => match host.kind {
            HostKind::GithubCom => findings.push(probe_failure(ctx, e, &format!("https://{registry}/v2/"), None)),
            _ => findings.push(unavailable(e.detail.clone())),
        },
        Probe::Done(answer) => {
            let is_registry = matches!(answer.status, 200 | 401)
                || answer.header("docker-distribution-api-version").is_some()
                || answer.header("www-authenticate").is_some_and(|h| h.to_ascii_lowercase().starts_with("bearer"));
            if !is_registry {
                findings.push(unavailable(format!("HTTP {}", answer.status)));
            }
        }
    }
    Outcome::new(id, findings, evidence)
}

pub fn gh_auth(ctx: &Ctx) -> Outcome {
    let id = CheckId::GhAuth;
    let host = &ctx.request.host.name;
    let tokens = match &ctx.facts.gh_token {
        Probe::Done(t) => t,
        Probe::Failed(e) => return Outcome::new(id, vec![probe_failure(ctx, e, "gh auth token", None)], vec![]),
        Probe::Skipped if ctx.request.ci => {
            return Outcome::skipped(
                id,
                Msg::new(t!(
                    "No token in the job's environment (`GITHUB_TOKEN`, `GH_TOKEN`); `registry-access` checks with docker's login (`docker/login-action`).",
                    "ジョブの環境変数にトークン（`GITHUB_TOKEN`、`GH_TOKEN`）がありません。`registry-access` は docker のログイン（`docker/login-action`）で確認します。"
                )),
            );
        }
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let token = match &tokens.effective {
        GhTokenAnswer::Token(t) => t,
        GhTokenAnswer::Failed(e) => {
            return Outcome::new(id, vec![probe_failure(ctx, e, "gh auth token", None)], vec![]);
        }
        GhTokenAnswer::NoToken { message } => {
            let msg = if ctx.request.ci {
                Msg::new(t!(
                    "No token for {host}: set `GITHUB_TOKEN` (or `GH_TOKEN`) in the job's environment.",
                    "{host} のトークンがありません。ジョブの環境変数に `GITHUB_TOKEN`（または `GH_TOKEN`）を設定してください。"
                ))
            } else {
                Msg::new(t!(
                    "gh has no token for {host} (gh said: `{said}`).",
                    "gh に {host} のトークンがありません（gh の出力：`{said}`）。"
                ))
            };
            let msg = msg.arg("host", host).arg("said", message.lines().next().unwrap_or(""));
            return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::NotLoggedIn, msg, None)], vec![]);
        }
    };
    let source = ctx.token_var.map(str::to_owned).unwrap_or_else(|| "gh".into());
    let mut evidence = vec![("token", token.masked()), ("source", source.clone())];
    let mut findings = Vec::new();
    match &ctx.facts.api_user {
        Probe::Done(a) if a.status == 200 => {
            let login = ctx.login.clone().unwrap_or_default();
            evidence.push(("login", login.clone()));
            findings.push(Finding::pass(
                Msg::new(t!(
                    "Logged in to {host} as `{login}` ({token}, from {source}).",
                    "{host} に `{login}` としてログインしています（{token}、{source} から）。"
                ))
                .arg("host", host)
                .arg("login", login)
                .arg("token", token.masked())
                .arg("source", &source),
            ));
        }
        Probe::Done(a) if a.status == 401 => findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::TokenInvalid,
                Msg::new(t!(
                    "GitHub rejected the token from {source} ({token}): `401 Bad credentials`.",
                    "GitHub は {source} のトークン（{token}）を拒否しました：`401 Bad credentials`。"
                ))
                .arg("source", &source)
                .arg("token", token.masked()),
                None,
            ),
        ),
        // An installation token (Actions' `GITHUB_TOKEN`) belongs to no user: `/user` refuses it
        // with `Resource not accessible by integration`, and the registry is asked directly.
        Probe::Done(a) if a.status == 403 && token.kind() == TokenKind::AppInstallation => {
            findings.push(Finding::pass(
                Msg::new(t!(
                    "The job's installation token ({token}, from {source}); it belongs to no user, so `GET /user` does not answer for it and `registry-access` asks the registry itself.",
                    "ジョブのインストールトークン（{token}、{source} から）です。ユーザーのトークンではないため `GET /user` には答えません。アクセス権は `registry-access` でレジストリに直接確認します。"
                ))
                .arg("token", token.masked())
                .arg("source", &source),
            ))
        }
        Probe::Done(a) => findings.push(Finding::new(
            Status::Fail,
            Msg::new(t!(
                "`GET /user` answered HTTP {status}: {message}",
                "`GET /user` が HTTP {status} を返しました：{message}"
            ))
            .arg("status", a.status)
            .arg("message", a.api_message().unwrap_or_default()),
        )),
        Probe::Failed(e) => findings.push(probe_failure(ctx, e, &format!("{}user", ctx.request.host.api_base()), None)),
        Probe::Skipped => {}
    }
    if let (Some(var), Some(GhTokenAnswer::Token(stored))) = (ctx.token_var, &tokens.stored)
        && stored != token
    {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::EnvTokenOverride,
                Msg::new(t!(
                    "`{var}` ({token}) is used instead of gh's stored login ({stored}).",
                    "gh に保存されたログイン（{stored}）ではなく、`{var}`（{token}）が使われています。"
                ))
                .arg("var", var)
                .arg("token", token.masked())
                .arg("stored", stored.masked()),
                None,
            ),
        );
    }
    Outcome::new(id, findings, evidence)
}

pub fn token_scopes(ctx: &Ctx) -> Outcome {
    let id = CheckId::TokenScopes;
    let Some(token) = ctx.token else {
        return Outcome::skipped(id, Msg::new(t!("No token to look at.", "確認するトークンがありません。")));
    };
    let needed = ctx.request.access.scope();
    let kind = token.kind();
    if kind == TokenKind::FineGrainedPat {
        let msg = Msg::new(t!(
            "The token is a fine-grained personal access token ({token}); GitHub Packages does not accept those.",
            "トークンが fine-grained の個人用アクセストークン（{token}）です。GitHub Packages はこの種類を受け付けません。"
        ))
        .arg("token", token.masked());
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::FineGrainedPat, msg, None)], vec![]);
    }
    if !kind.has_scopes() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "{token} tokens carry permissions, not scopes; `registry-access` shows what this one may do.",
                "{token} のトークンはスコープではなく権限（permissions）を持ちます。このトークンで何ができるかは `registry-access` で確認します。"
            ))
            .arg("token", token.masked()),
        );
    }
    let Some(scopes) = &ctx.scopes else {
        return Outcome::new(
            id,
            vec![Finding::new(
                Status::Warn,
                Msg::new(t!(
                    "GitHub sent no `X-OAuth-Scopes` for this token, so its scopes are unknown.",
                    "GitHub がこのトークンの `X-OAuth-Scopes` を返さなかったため、スコープがわかりません。"
                )),
            )],
            vec![],
        );
    };
    let shown = if scopes.is_empty() { "(none)".to_owned() } else { scopes.join(", ") };
    let evidence = vec![("scopes", shown.clone())];
    let mut findings = Vec::new();
    if has_scope(scopes, needed) {
        findings.push(Finding::pass(
            Msg::new(t!(
                "The token has `{needed}` (scopes: {scopes}).",
                "トークンに `{needed}` があります（スコープ：{scopes}）。"
            ))
            .arg("needed", needed)
            .arg("scopes", &shown),
        ));
    } else {
        findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::MissingScope,
                Msg::new(t!(
                    "The token lacks `{needed}` (it has: {scopes}).",
                    "トークンに `{needed}` がありません（現在のスコープ：{scopes}）。"
                ))
                .arg("needed", needed)
                .arg("scopes", &shown),
                None,
            ),
        );
    }
    let broad: Vec<&str> = BROAD_SCOPES.iter().copied().filter(|b| scopes.iter().any(|s| s == b)).collect();
    if !broad.is_empty() {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::BroadScopes,
                Msg::new(t!(
                    "The token also carries {broad}, far more than `{needed}` needs.",
                    "トークンには {broad} も付いています。`{needed}` に必要な範囲をはるかに超えています。"
                ))
                .arg("broad", broad.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", "))
                .arg("needed", needed),
                None,
            ),
        );
    }
    Outcome::new(id, findings, evidence)
}

pub fn sso(ctx: &Ctx) -> Outcome {
    let id = CheckId::Sso;
    if ctx.request.images.is_empty() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "No images given, so no organizations to look at (pass an image or list `images` in ghcr-doctor.toml).",
                "イメージが指定されていないため、確認する組織がありません（イメージを指定するか、ghcr-doctor.toml の `images` に書いてください）。"
            )),
        );
    }
    let mut findings = Vec::new();
    for owner in &ctx.facts.owners {
        let image = ctx.request.images.iter().find(|i| i.owner == owner.owner);
        let answer = match &owner.org {
            Probe::Done(a) => a,
            Probe::Failed(e) => {
                findings
                    .push(probe_failure(ctx, e, &format!("GET /orgs/{}", owner.owner), image).subject(&owner.owner));
                continue;
            }
            Probe::Skipped => continue,
        };
        let message = answer.api_message().unwrap_or_default();
        let o = &owner.owner;
        let finding = match answer.status {
            200 => match owner.membership.done() {
                Some(m) if m.status == 200 && membership_state(m).as_deref() == Some("pending") => ctx.finding(
                    Status::Fail,
                    CauseId::OrgMembershipPending,
                    Msg::new(t!("Your invitation to `{owner}` is still pending.", "`{owner}` への招待がまだ保留中です。")).arg("owner", o),
                    image,
                ),
                Some(m) if m.status == 200 => Finding::pass(
                    Msg::new(t!("Member of `{owner}`; the token may access it.", "`{owner}` のメンバーで、トークンでアクセスできます。")).arg("owner", o),
                ),
                _ => Finding::pass(
                    Msg::new(t!(
                        "`{owner}` is an organization and the token may access it (membership not visible).",
                        "`{owner}` は組織で、トークンでアクセスできます（メンバーシップは確認できませんでした）。"
                    ))
                    .arg("owner", o),
                ),
            },
            404 => Finding::pass(
                Msg::new(t!(
                    "`{owner}` is a user account (or an organization this token cannot see): no SSO applies.",
                    "`{owner}` はユーザーアカウント（またはこのトークンからは見えない組織）のため、SSO は関係ありません。"
                ))
                .arg("owner", o),
            ),
            403 if answer.header("x-github-sso").is_some_and(|h| h.trim_start().starts_with("required")) => {
                let url = ctx.sso_url(o).unwrap_or_default();
                ctx.finding(
                    Status::Fail,
                    CauseId::SsoNotAuthorized,
                    Msg::new(t!(
                        "`{owner}` enforces SAML SSO and the token is not authorized for it. Authorize: {url}",
                        "`{owner}` は SAML SSO を必須にしていますが、トークンが承認されていません。承認用 URL：{url}"
                    ))
                    .arg("owner", o)
                    .arg("url", &url),
                    image,
                )
                .fix_arg("url", url)
            }
            403 if message.contains("OAuth App access restrictions") => ctx.finding(
                Status::Fail,
                CauseId::OauthAppRestricted,
                Msg::new(t!("`{owner}` restricts OAuth apps: {message}", "`{owner}` は OAuth アプリを制限しています：{message}"))
                    .arg("owner", o)
                    .arg("message", &message),
                image,
            ),
            403 if message.contains("forbids access via a personal access token (classic)") => ctx.finding(
                Status::Fail,
                CauseId::ClassicPatForbidden,
                Msg::new(t!("`{owner}` forbids classic personal access tokens.", "`{owner}` はクラシックの個人用アクセストークンを禁止しています。"))
                    .arg("owner", o),
                image,
            ),
            status => Finding::new(
                Status::Warn,
                Msg::new(t!("`GET /orgs/{owner}` answered HTTP {status}: {message}", "`GET /orgs/{owner}` が HTTP {status} を返しました：{message}"))
                    .arg("owner", o)
                    .arg("status", status)
                    .arg("message", &message),
            ),
        };
        findings.push(finding.subject(o.clone()));
    }
    if findings.is_empty() {
        return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。")));
    }
    Outcome::new(id, findings, vec![])
}

fn membership_state(answer: &HttpAnswer) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
    v.get("state")?.as_str().map(str::to_owned)
}

pub fn docker_daemon(ctx: &Ctx) -> Outcome {
    let id = CheckId::DockerDaemon;
    let docker = match &ctx.facts.docker {
        Probe::Done(d) => d,
        Probe::Failed(e) => return Outcome::new(id, vec![probe_failure(ctx, e, "docker", None)], vec![]),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let Some(path) = &docker.path else {
        if ctx.request.ci {
            return Outcome::skipped(
                id,
                Msg::new(t!(
                    "`docker` is not on PATH in this job; `registry-access` asks the registry directly, and pushing with buildah, crane or kaniko needs no daemon.",
                    "このジョブの PATH には `docker` がありません。`registry-access` はレジストリに直接確認します。buildah、crane、kaniko で push する場合はデーモンは不要です。"
                )),
            );
        }
        let msg = Msg::new(t!("`docker` was not found on PATH.", "PATH に `docker` が見つかりません。"));
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::DockerMissing, msg, None)], vec![]);
    };
    let endpoint = &docker.endpoint;
    let evidence =
        vec![("path", path.clone()), ("endpoint", endpoint.url.clone()), ("endpoint_source", endpoint.source.clone())];
    let socket_problem = match docker.socket {
        Some(SocketState::PermissionDenied) => Some((
            CauseId::DaemonPermission,
            Msg::new(t!(
                "Permission denied on the socket `{url}`: your user may not open it.",
                "ソケット `{url}` への接続が拒否されました（Permission denied）。このユーザーには開く権限がありません。"
            ))
            .arg("url", &endpoint.url),
        )),
        Some(state @ (SocketState::Missing | SocketState::NotASocket | SocketState::Refused)) => {
            let (what_en, what_ja) = match state {
                SocketState::Missing => ("the socket file does not exist", "ソケットファイルが存在しません"),
                SocketState::NotASocket => ("the path is not a socket", "そのパスはソケットではありません"),
                _ => (
                    "nothing listens on the socket (a stale socket file)",
                    "ソケットで何も待ち受けていません（古いソケットファイルが残っています）",
                ),
            };
            Some((
                CauseId::DaemonUnreachable,
                Msg::new(t!(
                    "The daemon at `{url}` ({source}) is not reachable: {what_en}.",
                    "`{url}`（{source}）のデーモンに接続できません：{what_ja}。"
                ))
                .arg("url", &endpoint.url)
                .arg("source", &endpoint.source)
                .arg("what_en", what_en)
                .arg("what_ja", what_ja),
            ))
        }
        Some(SocketState::Connectable) | None => None,
    };
    if let Some((cause, msg)) = socket_problem {
        return Outcome::new(id, vec![ctx.finding(Status::Fail, cause, msg, None)], evidence);
    }
    let out = match &docker.version {
        Probe::Done(out) => out,
        Probe::Failed(e) => return Outcome::new(id, vec![probe_failure(ctx, e, "docker version", None)], evidence),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let json: Option<serde_json::Value> = out.stdout.lines().find_map(|l| serde_json::from_str(l.trim()).ok());
    let server_version = json
        .as_ref()
        .and_then(|v| v.get("Server"))
        .filter(|s| !s.is_null())
        .and_then(|s| s.get("Version"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let client_version =
        json.as_ref().and_then(|v| v.pointer("/Client/Version")).and_then(|v| v.as_str()).unwrap_or("?").to_owned();
    match server_version {
        Some(server) if out.exit_code == Some(0) || out.stderr.trim().is_empty() => {
            let mut evidence = evidence;
            evidence.push(("client_version", client_version.clone()));
            evidence.push(("server_version", server.clone()));
            let msg = Msg::new(t!(
                "docker {client} talks to daemon {server} at `{url}`.",
                "docker {client} が `{url}` のデーモン {server} と通信できます。"
            ))
            .arg("client", client_version)
            .arg("server", server)
            .arg("url", &endpoint.url);
            Outcome::new(id, vec![Finding::pass(msg)], evidence)
        }
        _ => {
            let said = out.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
            let cause = if said.to_ascii_lowercase().contains("permission denied") {
                CauseId::DaemonPermission
            } else {
                CauseId::DaemonUnreachable
            };
            let msg = Msg::new(t!(
                "The daemon at `{url}` ({source}) is not reachable: docker said `{said}`",
                "`{url}`（{source}）のデーモンに接続できません。docker の出力：`{said}`"
            ))
            .arg("url", &endpoint.url)
            .arg("source", &endpoint.source)
            .arg("said", said);
            Outcome::new(id, vec![ctx.finding(Status::Fail, cause, msg, None)], evidence)
        }
    }
}

pub fn docker_credentials(ctx: &Ctx) -> Outcome {
    let id = CheckId::DockerCredentials;
    let creds = match &ctx.facts.docker_credentials {
        Probe::Done(c) => c,
        Probe::Failed(e) => return Outcome::new(id, vec![probe_failure(ctx, e, "docker config.json", None)], vec![]),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let registry = &creds.registry_host;
    let mut evidence = vec![("config", creds.config_path.clone())];
    let store = match &creds.store {
        CredentialStore::Helper { name, .. } => format!("docker-credential-{name}"),
        CredentialStore::File => "config.json".into(),
        CredentialStore::EnvAuthConfig => "DOCKER_AUTH_CONFIG".into(),
    };
    evidence.push(("store", store.clone()));
    if let DockerConfigState::Malformed { detail } = &creds.config {
        let msg = Msg::new(t!(
            "`{config}` is not valid JSON ({detail}); docker ignores it and pulls anonymously.",
            "`{config}` が正しい JSON ではありません（{detail}）。docker はこのファイルを無視して匿名で pull します。"
        ))
        .arg("config", &creds.config_path)
        .arg("detail", detail);
        let f = ctx
            .finding(Status::Fail, CauseId::MalformedDockerConfig, msg, None)
            .fix_arg("config", &creds.config_path)
            .fix_arg("detail", detail);
        return Outcome::new(id, vec![f], evidence);
    }
    let mut findings = Vec::new();
    match &creds.lookup {
        CredentialLookup::HelperMissing { program } => findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::CredentialHelperMissing,
                Msg::new(t!(
                    "`{config}` names the credential helper `{program}`, which is not on PATH; docker will pull anonymously.",
                    "`{config}` で認証情報ヘルパー `{program}` が指定されていますが、PATH にありません。docker は匿名で pull します。"
                ))
                .arg("config", &creds.config_path)
                .arg("program", program),
                None,
            )
            .fix_arg("config", &creds.config_path)
            .fix_arg("helper", program),
        ),
        CredentialLookup::HelperFailed(e) if e.kind == ProbeErrorKind::Timeout => {
            findings.push(probe_failure(ctx, e, &store, None))
        }
        CredentialLookup::HelperFailed(e) => findings.push(Finding::new(
            Status::Fail,
            Msg::new(t!("`{store}` failed: {detail}", "`{store}` が失敗しました：{detail}")).arg("store", &store).arg("detail", &e.detail),
        )),
        CredentialLookup::NotFound if ctx.actions().is_some_and(|a| a.job_credential.is_some()) => {
            let var = ctx.actions().and_then(|a| a.job_token_var.clone()).unwrap_or_else(|| "GITHUB_TOKEN".into());
            findings.push(Finding::pass(
                Msg::new(t!(
                    "docker has no login for `{registry}` yet, so `registry-access` uses the job's `{var}`, as `docker/login-action` with `password: ${{ secrets.GITHUB_TOKEN }}` would store it.",
                    "docker はまだ `{registry}` にログインしていないため、`registry-access` はジョブの `{var}` を使って確認します。`password: ${{ secrets.GITHUB_TOKEN }}` を指定した `docker/login-action` が保存するのと同じトークンです。"
                ))
                .arg("registry", registry)
                .arg("var", var),
            ))
        }
        CredentialLookup::NotFound => findings.push(ctx.finding(
            Status::Warn,
            CauseId::NoCredentials,
            Msg::new(t!(
                "docker has no credentials for `{registry}` ({store}); it will pull anonymously, which works for public images only.",
                "docker に `{registry}` の認証情報がありません（{store}）。匿名で pull するため、取得できるのは公開イメージだけです。"
            ))
            .arg("registry", registry)
            .arg("store", &store),
            None,
        )),
        CredentialLookup::Found(c) => {
            evidence.push(("username", c.username.clone()));
            evidence.push(("token", c.secret.masked()));
            findings.push(stored_credential_finding(ctx, c, registry));
        }
    }
    // On a CI runner docker/login-action always writes the file, and the job's token dies with
    // the job: no warning there.
    if creds.plaintext_in_file && matches!(creds.store, CredentialStore::File) && !ctx.request.ci {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::PlaintextCredentials,
                Msg::new(t!(
                    "The credentials for `{registry}` are stored unencrypted (base64) in `{config}`.",
                    "`{registry}` の認証情報が `{config}` に暗号化されずに（base64 で）保存されています。"
                ))
                .arg("registry", registry)
                .arg("config", &creds.config_path),
                None,
            )
            .fix_arg("config", &creds.config_path),
        );
    }
    Outcome::new(id, findings, evidence)
}

fn stored_credential_finding(ctx: &Ctx, c: &StoredCredential, registry: &str) -> Finding {
    let masked = c.secret.masked();
    if c.secret.kind() == TokenKind::FineGrainedPat {
        return ctx.finding(
            Status::Fail,
            CauseId::FineGrainedPat,
            Msg::new(t!(
                "docker holds a fine-grained token ({token}) for `{registry}`; GitHub Packages rejects those.",
                "docker が `{registry}` 用に fine-grained トークン（{token}）を保存しています。GitHub Packages はこの種類を拒否します。"
            ))
            .arg("token", &masked)
            .arg("registry", registry),
            None,
        );
    }
    let same = ctx.docker_uses_gh_token();
    match ctx.docker_secret_user() {
        Some(a) if a.status == 401 => {
            let msg = if same {
                Msg::new(t!(
                    "docker holds gh's token ({token}) for `{registry}`, and GitHub rejects it (`401 Bad credentials`).",
                    "docker は `{registry}` 用に gh と同じトークン（{token}）を保存していますが、GitHub はこれを拒否しました（`401 Bad credentials`）。"
                ))
            } else {
                Msg::new(t!(
                    "docker holds another, older token ({token}) for `{registry}`, not gh's, and GitHub rejects it (`401 Bad credentials`).",
                    "docker は `{registry}` 用に gh とは別の古いトークン（{token}）を保存しており、GitHub はこれを拒否しました（`401 Bad credentials`）。"
                ))
            };
            ctx.finding(Status::Fail, CauseId::StaleCredentials, msg.arg("token", &masked).arg("registry", registry), None)
        }
        Some(a) if a.status == 200 => {
            let scopes = a.header("x-oauth-scopes").map(parse_scopes);
            let needed = ctx.request.access.scope();
            match scopes {
                Some(s) if c.secret.kind().has_scopes() && !has_scope(&s, needed) => {
                    let mut f = ctx.finding(
                        Status::Fail,
                        CauseId::MissingScope,
                        Msg::new(t!(
                            "docker's token for `{registry}` ({token}) lacks `{needed}`.",
                            "docker が `{registry}` 用に保存しているトークン（{token}）に `{needed}` がありません。"
                        ))
                        .arg("registry", registry)
                        .arg("token", &masked)
                        .arg("needed", needed),
                        None,
                    );
                    if !same && ctx.scopes.as_deref().is_some_and(|s| has_scope(s, needed)) {
                        // gh's own token is fine: logging docker in with it is the whole fix.
                        f.commands = vec![ctx.fix(None).docker_login()];
                    }
                    f
                }
                _ if same => Finding::pass(
                    Msg::new(t!(
                        "docker sends gh's token ({token}) as `{user}` to `{registry}`.",
                        "docker は `{registry}` に gh と同じトークン（{token}）を `{user}` として送ります。"
                    ))
                    .arg("token", &masked)
                    .arg("user", &c.username)
                    .arg("registry", registry),
                ),
                _ => Finding::pass(
                    Msg::new(t!(
                        "docker sends a valid token ({token}) as `{user}` to `{registry}` (not the one gh holds).",
                        "docker は `{registry}` に有効なトークン（{token}）を `{user}` として送ります（gh のトークンとは別のものです）。"
                    ))
                    .arg("token", &masked)
                    .arg("user", &c.username)
                    .arg("registry", registry),
                ),
            }
        }
        _ => Finding::pass(
            Msg::new(t!(
                "docker sends credentials as `{user}` ({token}) to `{registry}`; GitHub was not asked about them.",
                "docker は `{registry}` に `{user}`（{token}）として認証情報を送ります。GitHub での有効性は確認していません。"
            ))
            .arg("token", &masked)
            .arg("user", &c.username)
            .arg("registry", registry),
        ),
    }
}

pub fn registry_access(ctx: &Ctx) -> Outcome {
    let id = CheckId::RegistryAccess;
    if ctx.request.images.is_empty() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "No images given: pass one (`ghcr-doctor check ghcr.io/OWNER/IMAGE:TAG`) or list `images` in ghcr-doctor.toml.",
                "イメージが指定されていません。引数で指定するか（`ghcr-doctor check ghcr.io/OWNER/IMAGE:TAG`）、ghcr-doctor.toml の `images` に書いてください。"
            )),
        );
    }
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    for (image, facts) in ctx.request.images.iter().zip(&ctx.facts.images) {
        if let Some(p) = facts.package.done() {
            evidence.push(("package", format!("{image}: HTTP {}", p.status)));
        }
        findings.push(image_finding(ctx, image, facts).subject(image.to_string()));
    }
    Outcome::new(id, findings, evidence)
}

fn image_finding(ctx: &Ctx, image: &ImageRef, f: &ImageFacts) -> Finding {
    let registry = &image.registry;
    for (probe, what) in [
        (&f.anonymous_token, "token"),
        (&f.credential_token, "token"),
        (&f.manifest, "manifest"),
        (&f.push_token, "push token"),
    ] {
        if let Probe::Failed(e) = probe {
            return probe_failure(ctx, e, &format!("{registry} {what}"), Some(image));
        }
    }
    let msg = |text| Msg::new(text).arg("image", image).arg("registry", registry);
    let anonymous_ok = f.anonymous_token.done().is_some_and(|a| a.status == 200);
    let credential = ctx.registry_credential();
    let pull = match f.credential_token.done() {
        None => {
            if anonymous_ok {
                manifest_finding(ctx, image, f, true)
            } else {
                let mut m = msg(t!(
                    "`{image}` is private or does not exist, and docker has no credentials for `{registry}`.",
                    "`{image}` はプライベートか存在しません。また、docker に `{registry}` の認証情報がありません。"
                ));
                if let Some(p) = f.package.done().filter(|p| p.status == 200) {
                    let visibility = serde_json::from_str::<serde_json::Value>(&p.body)
                        .ok()
                        .and_then(|v| v.get("visibility").and_then(|x| x.as_str()).map(str::to_owned))
                        .unwrap_or_else(|| "private".into());
                    m = msg(t!(
                        "`{image}` exists ({visibility}), and docker has no credentials for `{registry}`.",
                        "`{image}` は存在します（{visibility}）。しかし docker に `{registry}` の認証情報がありません。"
                    ))
                    .arg("visibility", visibility);
                }
                ctx.finding(Status::Fail, CauseId::NoCredentials, m, Some(image))
            }
        }
        Some(a) if a.status == 200 => manifest_finding(ctx, image, f, false),
        Some(a) => actions_denial(ctx, image, a, Access::Pull, credential)
            .unwrap_or_else(|| denial_finding(ctx, image, a, anonymous_ok, credential)),
    };
    if ctx.request.access == Access::Push && pull.status != Status::Pass {
        // A new package cannot be pulled, but the push may still create it: the push token decides.
        match (credential, f.push_token.done()) {
            (Some(_), Some(a)) if a.status == 200 => {
                return Finding::pass(msg(t!(
                    "docker can push `{image}`; it cannot be pulled yet (the tag or the package does not exist yet), and the push creates it.",
                    "docker は `{image}` に push できます。まだ pull はできません（タグまたはパッケージがまだ存在しません）が、push によって作成されます。"
                )));
            }
            (Some(_), Some(a)) => {
                if let Some(finding) = actions_denial(ctx, image, a, Access::Push, credential) {
                    return finding;
                }
            }
            _ => {}
        }
    }
    if pull.status != Status::Pass || ctx.request.access == Access::Pull {
        return pull;
    }
    match (credential, f.push_token.done()) {
        (None, _) => ctx.finding(
            Status::Fail,
            CauseId::NoCredentials,
            msg(t!(
                "Pushing to `{image}` needs docker to be logged in to `{registry}`.",
                "`{image}` に push するには、docker が `{registry}` にログインしている必要があります。"
            )),
            Some(image),
        ),
        (Some(_), Some(a)) if a.status == 200 => Finding::pass(msg(t!(
            "docker can pull and push `{image}`.",
            "docker は `{image}` を pull も push もできます。"
        ))),
        (Some(c), Some(a)) => {
            if let Some(finding) = actions_denial(ctx, image, a, Access::Push, credential) {
                return finding;
            }
            let cause = match classify_denial(a) {
                Denial::Scope if c.secret.kind() == TokenKind::FineGrainedPat => CauseId::FineGrainedPat,
                Denial::Scope => CauseId::MissingScope,
                Denial::Installation => CauseId::ActionsTokenNoAccess,
                Denial::RateLimited => CauseId::RateLimited,
                Denial::Unauthenticated => CauseId::StaleCredentials,
                Denial::ClassicForbidden => CauseId::ClassicPatForbidden,
                Denial::Write | Denial::Generic => CauseId::NoWriteAccess,
            };
            ctx.finding(
                Status::Fail,
                cause,
                msg(t!(
                    "The registry refuses a push to `{image}`: `{said}`.",
                    "レジストリは `{image}` への push を拒否しました：`{said}`。"
                ))
                .arg("said", registry_words(a)),
                Some(image),
            )
        }
        (Some(_), None) => pull,
    }
}

fn manifest_finding(ctx: &Ctx, image: &ImageRef, f: &ImageFacts, anonymous: bool) -> Finding {
    let msg = |text| Msg::new(text).arg("image", image).arg("registry", &image.registry);
    match f.manifest.done() {
        Some(m) if (200..300).contains(&m.status) => {
            if anonymous {
                Finding::pass(msg(t!("`{image}` is public; docker pulls it without logging in.", "`{image}` は公開されているため、docker はログインせずに pull できます。")))
            } else {
                Finding::pass(msg(t!("docker can pull `{image}` with its stored credentials.", "docker は保存された認証情報で `{image}` を pull できます。")))
            }
        }
        Some(m) if m.status == 404 => ctx.finding(
            Status::Fail,
            CauseId::TagNotFound,
            msg(t!(
                "The registry has no manifest for `{image}` (`manifest unknown`): the tag or digest does not exist.",
                "レジストリに `{image}` のマニフェストがありません（`manifest unknown`）。タグまたはダイジェストが存在しません。"
            )),
            Some(image),
        ),
        Some(m) if m.status == 429 => ctx.finding(
            Status::Fail,
            CauseId::RateLimited,
            msg(t!("The registry rate-limits requests for `{image}` (HTTP 429).", "レジストリが `{image}` へのリクエストを制限しています（HTTP 429）。")),
            Some(image),
        ),
        Some(m) if matches!(m.status, 401 | 403) => ctx.finding(
            Status::Fail,
            CauseId::NoPackageAccess,
            msg(t!(
                "The registry gave a token but refused the manifest of `{image}` (HTTP {status}): no access to this package.",
                "レジストリはトークンを発行しましたが、`{image}` のマニフェストを拒否しました（HTTP {status}）。このパッケージへのアクセス権がありません。"
            ))
            .arg("status", m.status),
            Some(image),
        ),
        Some(m) => Finding::new(
            Status::Fail,
            msg(t!("The manifest request for `{image}` answered HTTP {status}.", "`{image}` のマニフェスト要求が HTTP {status} を返しました。")).arg("status", m.status),
        ),
        None => Finding::new(
            Status::Warn,
            msg(t!("The manifest of `{image}` was not requested.", "`{image}` のマニフェストは要求していません。")),
        ),
    }
}

fn denial_finding(
    ctx: &Ctx,
    image: &ImageRef,
    answer: &HttpAnswer,
    anonymous_ok: bool,
    credential: Option<&StoredCredential>,
) -> Finding {
    let said = registry_words(answer);
    let msg = |text| Msg::new(text).arg("image", image).arg("registry", &image.registry).arg("said", &said);
    let secret_kind = credential.map(|c| c.secret.kind());
    let docker_token_rejected = ctx.docker_secret_user().is_some_and(|a| a.status == 401);
    let sso_blocked = ctx.facts.owners.iter().any(|o| {
        o.owner == image.owner && o.org.done().is_some_and(|a| a.status == 403 && a.header("x-github-sso").is_some())
    });
    let (cause, text) = match classify_denial(answer) {
        Denial::RateLimited => (
            CauseId::RateLimited,
            t!(
                "The registry rate-limits requests: `{said}`.",
                "レジストリにリクエスト数を制限されています：`{said}`。"
            ),
        ),
        Denial::Scope if secret_kind == Some(TokenKind::FineGrainedPat) => (
            CauseId::FineGrainedPat,
            t!(
                "The registry rejects docker's fine-grained token: `{said}`.",
                "レジストリが docker の fine-grained トークンを拒否しました：`{said}`。"
            ),
        ),
        Denial::Scope => (
            CauseId::MissingScope,
            t!(
                "The registry says docker's token lacks the package scope: `{said}`.",
                "レジストリによると、docker のトークンにパッケージのスコープがありません：`{said}`。"
            ),
        ),
        Denial::Unauthenticated => (
            CauseId::StaleCredentials,
            t!(
                "The registry rejects docker's stored credentials: `{said}`.",
                "レジストリが docker に保存された認証情報を拒否しました：`{said}`。"
            ),
        ),
        Denial::Installation => (
            CauseId::ActionsTokenNoAccess,
            t!(
                "The registry refuses the installation token: `{said}`.",
                "レジストリがインストールトークンを拒否しました：`{said}`。"
            ),
        ),
        Denial::ClassicForbidden => (
            CauseId::ClassicPatForbidden,
            t!(
                "The registry refuses the classic token by organization policy: `{said}`.",
                "組織のポリシーにより、レジストリがクラシックトークンを拒否しました：`{said}`。"
            ),
        ),
        Denial::Write => (
            CauseId::NoWriteAccess,
            t!(
                "The registry refuses write access to `{image}`: `{said}`.",
                "レジストリが `{image}` への書き込みを拒否しました：`{said}`。"
            ),
        ),
        Denial::Generic if docker_token_rejected => (
            CauseId::StaleCredentials,
            t!(
                "The registry answers `{said}` because docker's stored token for `{registry}` is no longer valid.",
                "docker が `{registry}` 用に保存しているトークンがもう有効でないため、レジストリは `{said}` を返します。"
            ),
        ),
        Denial::Generic if sso_blocked && ctx.docker_uses_gh_token() => (
            CauseId::SsoNotAuthorized,
            t!(
                "The registry answers `{said}`: the token is not authorized for `{owner}`'s SAML SSO.",
                "レジストリは `{said}` を返します。トークンが `{owner}` の SAML SSO で承認されていないためです。"
            ),
        ),
        Denial::Generic if anonymous_ok => (
            CauseId::StaleCredentials,
            t!(
                "`{image}` is public, but docker's stored credentials are refused (`{said}`), and docker does not fall back to anonymous access.",
                "`{image}` は公開されていますが、docker に保存された認証情報が拒否され（`{said}`）、docker は匿名アクセスに切り替えません。"
            ),
        ),
        Denial::Generic => (
            CauseId::NoPackageAccess,
            t!(
                "The token is valid but the registry refuses `{image}` (`{said}`): the package is private and not shared with you, or it does not exist.",
                "トークンは有効ですが、レジストリは `{image}` を拒否しました（`{said}`）。パッケージがプライベートで共有されていないか、存在しません。"
            ),
        ),
    };
    let mut finding = ctx.finding(Status::Fail, cause, msg(text).arg("owner", &image.owner), Some(image));
    if let Some(url) = ctx.sso_url(&image.owner) {
        finding = finding.fix_arg("url", url);
    }
    if cause == CauseId::MissingScope
        && !ctx.docker_uses_gh_token()
        && ctx.scopes.as_deref().is_some_and(|s| has_scope(s, ctx.request.access.scope()))
    {
        // gh's token already has the scope; docker just holds another one.
        finding.commands = vec![ctx.fix(Some(image)).docker_login()];
    }
    finding
}

/// A refusal of the job's installation token (`GITHUB_TOKEN`), read with what the Actions
/// environment says: a fork's read-only token, a `permissions:` block without `packages`, a
/// package that does not grant the repository access, or a package the job may not create.
/// `None` when this is not an Actions token refusal (then the generic reading applies).
fn actions_denial(
    ctx: &Ctx,
    image: &ImageRef,
    answer: &HttpAnswer,
    access: Access,
    credential: Option<&StoredCredential>,
) -> Option<Finding> {
    let actions = ctx.actions().filter(|_| ctx.request.ci)?;
    if credential?.secret.kind() != TokenKind::AppInstallation {
        return None;
    }
    let denial = classify_denial(answer);
    if !matches!(denial, Denial::Installation | Denial::Write | Denial::Generic) {
        return None;
    }
    let said = registry_words(answer);
    let lower = said.to_ascii_lowercase();
    let create = lower.contains("create organization package") || lower.contains("create_package");
    let needed = match access {
        Access::Pull => PermissionLevel::Read,
        Access::Push => PermissionLevel::Write,
    };
    let repository = actions.repository.clone().unwrap_or_else(|| "OWNER/REPO".into());
    let repo_owner = repository.split('/').next().unwrap_or_default().to_owned();
    let is_org = ctx
        .facts
        .owners
        .iter()
        .find(|o| o.owner == image.owner)
        .and_then(|o| o.org.done())
        .is_none_or(|a| a.status == 200 || a.status == 403);
    let settings = format!(
        "{}/{}/{}/packages/container/{}/settings",
        ctx.request.host.web_base(),
        if is_org { "orgs" } else { "users" },
        image.owner,
        image.name.replace('/', "%2F")
    );
    let msg = |text| {
        Msg::new(text)
            .arg("image", image)
            .arg("said", &said)
            .arg("repository", &repository)
            .arg("repo_owner", &repo_owner)
            .arg("owner", &image.owner)
            .arg("needed", needed.as_str())
            .arg("job", actions.job.as_deref().unwrap_or("?"))
            .arg("workflow", actions.workflow_path.as_deref().unwrap_or("?"))
            .arg("settings", &settings)
            .arg("role", if needed == PermissionLevel::Write { "Write" } else { "Read" })
    };
    let finding =
        |cause, message: Msg| ctx.finding(Status::Fail, cause, message, Some(image)).fix_arg("repository", &repository);

    if access == Access::Push && actions.is_fork_pull_request() {
        let head = actions.head_repository.clone().unwrap_or_else(|| "?".into());
        return Some(finding(
            CauseId::ForkPullRequest,
            msg(t!(
                "This run is a pull request from the fork `{head}`, so the job's `GITHUB_TOKEN` is read-only and the registry refuses the push to `{image}`: `{said}`.",
                "この実行はフォーク `{head}` からのプルリクエストのため、ジョブの `GITHUB_TOKEN` は読み取り専用で、レジストリは `{image}` への push を拒否しました：`{said}`。"
            ))
            .arg("head", head),
        ));
    }
    let declared = actions.declared_packages();
    let missing = match declared {
        Some(DeclaredPermission::Declared { level, job_level: true }) if level < needed => Some(
            msg(t!(
                "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): the job `{job}` in `{workflow}` has `permissions:` without `packages: {needed}` (it gives `packages: {level}`).",
                "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。`{workflow}` のジョブ `{job}` の `permissions:` に `packages: {needed}` がありません（現在は `packages: {level}` です）。"
            ))
            .arg("level", level.as_str()),
        ),
        Some(DeclaredPermission::Declared { level, job_level: false }) if level < needed => Some(
            msg(t!(
                "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): `{workflow}` has a workflow-wide `permissions:` without `packages: {needed}` (it gives `packages: {level}`), and the job `{job}` has no `permissions:` of its own.",
                "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。`{workflow}` のワークフロー全体の `permissions:` に `packages: {needed}` がなく（現在は `packages: {level}` です）、ジョブ `{job}` には独自の `permissions:` がありません。"
            ))
            .arg("level", level.as_str()),
        ),
        Some(DeclaredPermission::Default) if access == Access::Push => Some(msg(t!(
            "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): neither the job `{job}` nor `{workflow}` sets `permissions:`, so the token has the repository's default permissions, which are read-only for organizations and repositories created since February 2023.",
            "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。ジョブ `{job}` にも `{workflow}` にも `permissions:` がないため、トークンにはリポジトリの標準の権限しかありません。2023 年 2 月以降に作られた組織やリポジトリでは、標準の権限は読み取り専用です。"
        ))),
        _ => None,
    };
    if let Some(message) = missing {
        return Some(finding(CauseId::MissingPackagesPermission, message));
    }
    // The job has the permission, or the workflow could not be read: the package side decides.
    let note = match declared {
        Some(_) => Msg::new(t!("", "")),
        None => Msg::new(t!(
            " The workflow file was not readable (no checkout?), so also check that the job has `permissions: packages: {needed}`.",
            "ワークフローファイルを読めなかったため（チェックアウト前？）、ジョブに `permissions: packages: {needed}` があることも確認してください。"
        ))
        .arg("needed", needed.as_str()),
    };
    if create && access == Access::Push {
        let text = if !repo_owner.is_empty() && !repo_owner.eq_ignore_ascii_case(&image.owner) {
            t!(
                "`{image}` does not exist yet, and the job's `GITHUB_TOKEN` of `{repository}` may create packages only under `{repo_owner}`, not under `{owner}`: `{said}`.{note}",
                "`{image}` はまだ存在しません。`{repository}` のジョブの `GITHUB_TOKEN` がパッケージを作成できるのは `{repo_owner}` の下だけで、`{owner}` の下には作成できません：`{said}`。{note}"
            )
        } else {
            t!(
                "`{image}` does not exist yet, and `{owner}` does not let the workflow of `{repository}` create it: `{said}`.{note}",
                "`{image}` はまだ存在せず、`{owner}` は `{repository}` のワークフローによる作成を許可していません：`{said}`。{note}"
            )
        };
        return Some(finding(CauseId::PackageCreationForbidden, msg(text).arg_msg("note", note)));
    }
    let cause = if denial == Denial::Write { CauseId::NoWriteAccess } else { CauseId::ActionsTokenNoAccess };
    Some(finding(
        cause,
        msg(t!(
            "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): the package is not linked to `{repository}` and does not grant it the {role} role under Manage Actions access ({settings}).{note}",
            "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。パッケージが `{repository}` に紐付いておらず、Manage Actions access でも {role} ロールが付与されていません（{settings}）。{note}"
        ))
        .arg_msg("note", note),
    ))
}
