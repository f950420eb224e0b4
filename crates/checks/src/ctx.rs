//! `Ctx`: the request, the facts, and what follows from them that several checks need (the
//! token and where it comes from, the login, the scopes, docker's credential), plus the helpers
//! that build findings with their fix commands filled in.

use crate::parse::{Unexpected, has_scope, login_of, parse_scopes, sso_url, unexpected};
use crate::{
    ActionsFacts, CauseId, CredentialLookup, CredentialStore, DockerConfigState, Facts, Finding, FixCtx, GithubHost,
    HttpAnswer, ImageRef, Msg, ProbeError, ProbeErrorKind, Request, Secret, Status, StoredCredential, cause_info,
    packages_scope, t,
};

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
        let github = facts.github();
        let token = github.and_then(|g| g.gh_token.done()).and_then(|t| t.effective.token());
        let token_var =
            token.and_then(|tok| github?.env_tokens.iter().find(|e| &e.secret == tok)).map(|e| e.var.as_str());
        let user = github.and_then(|g| g.api_user.done()).filter(|a| a.status == 200);
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
            host: self.request.forge.host_name().to_owned(),
            registry: self.request.registry_host(),
            login: self.gitlab_login().or_else(|| self.login.clone()).or_else(|| self.fix_login_fallback()).unwrap_or_else(|| {
                if self.request.ci { "${{ github.actor }}".into() } else { "YOUR_GITHUB_LOGIN".into() }
            }),
            image: image.map_or_else(
                || format!("{}/OWNER/IMAGE:TAG", self.request.registry_host()),
                std::string::ToString::to_string,
            ),
            owner: image.map_or_else(|| "OWNER".into(), |i| i.owner.clone()),
            package: image.map_or_else(|| "IMAGE".into(), |i| i.name.clone()),
            env_var: self
                .token_var
                .map(str::to_owned)
                .or_else(|| self.facts.gitlab().and_then(|g| g.env_token.as_ref()).map(|e| e.var.clone())),
            access: self.request.access,
            os: self.request.os,
            ci: self.request.ci,
            gh_token_suffices: !self.docker_uses_gh_token()
                && self.scopes.as_deref().is_some_and(|s| has_scope(s, packages_scope(self.request.access))),
            repository_owner: self.actions().and_then(|a| a.repository_owner.clone()),
            systemd: self.facts.docker.done().is_none_or(|d| d.systemd),
            own_helper_usable: self.token.is_some()
                && self.facts.docker_credentials.done().is_some_and(|c| c.own_helper_on_path),
            docker_asks_gh: self.facts.docker_credentials.done().is_some_and(|c| {
                matches!(&c.store, CredentialStore::Helper { name, .. } if crate::checks::docker_credentials::live_helper(name) == Some("gh"))
            }),
            docker_config: self
                .facts
                .docker_credentials
                .done()
                .map(|c| c.config_path.clone())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "~/.docker/config.json".into()),
            pull_secret: self
                .request
                .pull_secret
                .as_ref()
                .map(|s| (s.fix_name().to_owned(), s.fix_namespace().to_owned())),
            client: self.facts.client.client,
            family: self.request.forge.family(),
            glab_config: self
                .facts
                .gitlab()
                .and_then(|g| g.glab_config.path.clone())
                .unwrap_or_else(|| "~/.config/glab-cli/config.yml".into()),
        }
    }

    /// GitLab: the user name for docker's login — the one docker already sends (unless it is a job
    /// token's), glab's, else `"$USER"` (GitLab does not evaluate it for an access token).
    fn gitlab_login(&self) -> Option<String> {
        let gitlab = self.facts.gitlab()?;
        let sent = gitlab.registry_credential.as_ref().filter(|c| c.kind() != crate::GitlabTokenKind::Job);
        let glab = match &gitlab.glab_config.state {
            crate::GlabConfigState::Loaded { user, .. } => user.clone(),
            _ => None,
        };
        Some(sent.map(|c| c.username.clone()).or(glab).unwrap_or_else(|| "\"$USER\"".into()))
    }

    /// The user name for docker's login when `GET /user` named none: on a machine the one docker
    /// already uses; in a job the job's actor (`GITHUB_ACTOR`) first, since docker's stored name
    /// may be another job's on a shared runner.
    fn fix_login_fallback(&self) -> Option<String> {
        // `--pull-secret`: the user name the Secret already has (GHCR does not check it).
        if self.request.pull_secret.is_some() {
            let image = self.request.images.first()?;
            return self.request.pull_secret_entry(image).map(|e| e.username.clone()).filter(|u| !u.is_empty());
        }
        let docker = || self.docker_credential().map(|c| c.username.clone()).filter(|u| u != "<token>");
        if self.request.ci { self.actions().and_then(|a| a.actor.clone()).or_else(docker) } else { docker() }
    }

    /// A finding about `cause`, with its commands filled for `image`.
    pub(crate) fn finding(&self, status: Status, cause: CauseId, message: Msg, image: Option<&ImageRef>) -> Finding {
        let fix = self.fix(image);
        let mut finding = Finding::new(status, message).cause(cause).steps(cause_info(cause).fix_steps(&fix));
        finding.fix_args = fix.args();
        finding.family = self.request.forge.family();
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
    pub(crate) fn sso_url(&self, owner: &str) -> Option<String> {
        let answer = self.facts.github()?.owners.iter().find(|o| o.owner == owner)?.org.done()?;
        answer.header("x-github-sso").and_then(sso_url)
    }

    /// The Actions job's environment, when gathered.
    pub fn actions(&self) -> Option<&'a ActionsFacts> {
        self.facts.github()?.actions.as_ref()
    }

    /// The credential the registry requests were made with: docker's, else (in CI, before
    /// `docker/login-action` ran) the job's token.
    pub fn registry_credential(&self) -> Option<&'a StoredCredential> {
        self.docker_credential().or_else(|| self.actions().and_then(|a| a.job_credential.as_ref()))
    }

    /// Whether docker's stored secret is the token gh holds.
    pub(crate) fn docker_uses_gh_token(&self) -> bool {
        matches!((self.docker_credential(), self.token), (Some(c), Some(t)) if &c.secret == t)
    }

    /// What GitHub said about docker's stored secret: gh's `/user` answer when it is the same
    /// token, else the separate probe.
    pub(crate) fn docker_secret_user(&self) -> Option<&'a HttpAnswer> {
        let github = self.facts.github()?;
        if self.docker_uses_gh_token() { github.api_user.done() } else { github.docker_secret_user.done() }
    }

    /// The GitLab host of the run. Only GitLab checks call this, and they run only for GitLab.
    pub(crate) fn gitlab_host(&self) -> &'a crate::GitlabHost {
        self.request.forge.gitlab().expect("GitLab checks run only for a GitLab forge")
    }

    /// The GitHub host of the run. Only GitHub checks call this, and they run only for GitHub.
    pub(crate) fn github_host(&self) -> &'a GithubHost {
        self.request.forge.github().expect("GitHub checks run only for a GitHub forge")
    }

    /// A failing finding when `answer` is not what the endpoint `what` documents (a proxy's page,
    /// a captive portal): never read as a pass.
    pub(crate) fn unexpected(
        &self,
        answer: &HttpAnswer,
        json: bool,
        what: &str,
        image: Option<&ImageRef>,
    ) -> Option<Finding> {
        unexpected(answer, json).map(|how| self.unexpected_finding(&how, answer.status, what, image))
    }

    /// The finding for an answer of `status` from `what` that is `how` instead of documented.
    pub(crate) fn unexpected_finding(
        &self,
        how: &Unexpected,
        status: u16,
        what: &str,
        image: Option<&ImageRef>,
    ) -> Finding {
        let how = match how {
            Unexpected::Redirect { location } => Msg::new(t!(
                "with a redirect to `{location}` (HTTP {status})",
                "リダイレクト（HTTP {status}、`{location}` へ）で"
            ))
            .arg("location", location),
            Unexpected::Html => Msg::new(t!("with an HTML page (HTTP {status})", "HTML のページ（HTTP {status}）で")),
            Unexpected::TooLarge => Msg::new(t!("with a body over 64 KiB", "64 KiB を超える本文で")),
            Unexpected::NotJson => {
                Msg::new(t!("with a body that is not JSON (HTTP {status})", "JSON ではない本文（HTTP {status}）で"))
            }
            Unexpected::NoToken => {
                Msg::new(t!("with no token in its body (HTTP {status})", "本文にトークンがない状態（HTTP {status}）で"))
            }
        }
        .arg("status", status);
        let message = Msg::new(t!(
            "`{what}` answered {how}, not as the endpoint does: a proxy, a captive portal or a firewall is answering instead.",
            "`{what}` は、{how}応答しました。エンドポイント本来の応答ではないため、プロキシ、キャプティブポータル、ファイアウォールのいずれかが代わりに応答しています。"
        ))
        .arg("what", what)
        .arg_msg("how", how);
        let finding = self.finding(Status::Fail, CauseId::UnexpectedResponse, message, image);
        match image {
            Some(i) => finding.subject(i.to_string()),
            None => finding,
        }
    }

    /// A failure to gather a fact (timeout, network, unusable answer) as a finding about `what`.
    pub fn probe_failure(&self, error: &ProbeError, what: &str, image: Option<&ImageRef>) -> Finding {
        let (cause, text) = match error.kind {
            ProbeErrorKind::Timeout => (
                CauseId::Timeout,
                t!("{what}: no answer in time ({detail}).", "{what}：時間内に応答がありませんでした（{detail}）。"),
            ),
            ProbeErrorKind::Network => (
                CauseId::Network,
                t!("{what}: could not connect ({detail}).", "{what}：接続できませんでした（{detail}）。"),
            ),
            // The probe's Io and Malformed are about programs and files, never the network.
            ProbeErrorKind::Io | ProbeErrorKind::Malformed => (
                CauseId::ToolFailed,
                t!("{what}: unusable answer ({detail}).", "{what}：応答を解釈できませんでした（{detail}）。"),
            ),
        };
        let f = self.finding(Status::Fail, cause, Msg::new(text).arg("what", what).arg("detail", &error.detail), image);
        match image {
            Some(i) => f.subject(i.to_string()),
            None => f,
        }
    }
}
