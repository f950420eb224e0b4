//! `--anonymize`: replaces the names a report reveals — logins, organizations, repositories,
//! image names, non-public GitHub and GitLab hosts and the home directory — with stable
//! placeholders (`user-1`, `org-1`, `repo-1`, `image-1`, `ghe-host-1`, `gitlab-host-1`, `~`), the same placeholder for the same
//! value throughout one run. Public hosts (`github.com`, `ghcr.io`, `registry.gitlab.com`, …)
//! stay; ids, statuses, cause ids, scopes and tool versions are never touched.
//!
//! It acts on the report before rendering, not on the rendered text: every user value reaches an
//! output only through a message argument, a fix step, a cause text's argument, an evidence value,
//! a subject or the request, so [`Anonymizer::report`] and [`Anonymizer::request`] replace exactly
//! those, and every renderer (human, JSON, GitHub, the Markdown report) is handed the anonymized
//! pair by the one call site in `check.rs`. The static texts are left alone, so an image named
//! `app` does not turn "OAuth app" into "OAuth image-1". Inside a value, [`Anonymizer::text`] is
//! the one replacement: whole names only (`app` is not replaced inside `apply` or `app-repo`),
//! ASCII case-insensitive (GitHub names are), longest value first, in one pass, so a placeholder
//! is never replaced again.
//!
//! The values come from the request and the facts: the image owners and names, the login of
//! `GET /user` (gh's token and docker's), docker's stored user name, the Actions job's actor,
//! repository and owner (`GITHUB_REPOSITORY`, also from the environment), the GHE.com or
//! Enterprise Server host, a self-managed GitLab's host and registry, and `HOME`.

use ghcr_doctor_checks::{
    Arg, Facts, Finding, FixStep, Forge, GithubHost, HostKind, ImageRef, Msg, Outcome, Password, Report, Request,
};
use ghcr_doctor_probe::Env;

/// Hosts that are public knowledge and stay as they are, whatever names they contain.
const PUBLIC_HOSTS: &[&str] = &[
    "github.com",
    "api.github.com",
    "ghcr.io",
    "ghe.com",
    "gitlab.com",
    "registry.gitlab.com",
    "docker.com",
    "docker.io",
];

/// What a value is, for its placeholder and for how it may match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    User,
    Org,
    Repo,
    Image,
    Host,
    Home,
    GitlabHost,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Org => "org",
            Kind::Repo => "repo",
            Kind::Image => "image",
            Kind::Host => "ghe-host",
            Kind::Home => "~",
            Kind::GitlabHost => "gitlab-host",
        }
    }
}

#[derive(Clone, Debug)]
struct Pattern {
    /// Lower case (matching ignores ASCII case).
    value: String,
    placeholder: String,
    kind: Kind,
}

/// The replacements of one run.
#[derive(Clone, Debug, Default)]
pub struct Anonymizer {
    /// Longest value first, so `acme/app-repo` wins over `acme`.
    patterns: Vec<Pattern>,
}

/// Collects values in a fixed order, so numbering is stable: `user-1` is the first login seen.
#[derive(Default)]
struct Builder {
    patterns: Vec<Pattern>,
    counts: [usize; 7],
}

impl Builder {
    fn add(&mut self, kind: Kind, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() || !is_identity(value) {
            return None;
        }
        let lower = value.to_ascii_lowercase();
        if kind != Kind::Home && PUBLIC_HOSTS.contains(&lower.as_str()) {
            return None;
        }
        // The same value keeps its first placeholder, whatever it is seen as later.
        if let Some(p) = self.patterns.iter().find(|p| p.value == lower) {
            return Some(p.placeholder.clone());
        }
        let placeholder = match kind {
            Kind::Home => "~".to_owned(),
            _ => {
                let n = &mut self.counts[kind as usize];
                *n += 1;
                format!("{}-{n}", kind.prefix())
            }
        };
        self.patterns.push(Pattern { value: lower, placeholder: placeholder.clone(), kind });
        Some(placeholder)
    }

    /// A GitHub host: an Enterprise Server host becomes `ghe-host-N`; a GHE.com host keeps its
    /// `.ghe.com` suffix (`ghe-host-N.ghe.com`), so the host kind still shows; github.com stays.
    fn host(&mut self, host: &GithubHost) {
        match &host.kind {
            HostKind::GithubCom => {}
            HostKind::Enterprise => {
                self.add(Kind::Host, &host.name);
            }
            HostKind::Tenancy { .. } => {
                let lower = host.name.to_ascii_lowercase();
                if self.patterns.iter().any(|p| p.value == lower) {
                    return;
                }
                self.counts[Kind::Host as usize] += 1;
                let placeholder = format!("ghe-host-{}.ghe.com", self.counts[Kind::Host as usize]);
                self.patterns.push(Pattern { value: lower, placeholder, kind: Kind::Host });
            }
        }
    }

    /// `owner/repo`: the owner as an organization (unless already known as a user), the
    /// repository's own name as `repo-N`, and the pair as `org-N/repo-N`.
    fn repository(&mut self, full: &str) {
        let Some((owner, name)) = full.trim().split_once('/') else { return };
        let owner_placeholder = self.add(Kind::Org, owner);
        let name_placeholder = self.add(Kind::Repo, name);
        if let (Some(o), Some(n)) = (owner_placeholder, name_placeholder) {
            let lower = full.trim().to_ascii_lowercase();
            if !self.patterns.iter().any(|p| p.value == lower) {
                self.patterns.push(Pattern { value: lower, placeholder: format!("{o}/{n}"), kind: Kind::Repo });
            }
        }
    }

    /// An image's owner and name (a nested name also in its URL-encoded form, `repo%2Fapp`).
    fn image(&mut self, owner: &str, name: &str, owner_is_user: bool) {
        self.add(if owner_is_user { Kind::User } else { Kind::Org }, owner);
        if let Some(placeholder) = self.add(Kind::Image, name)
            && name.contains('/')
        {
            let encoded = name.replace('/', "%2f").to_ascii_lowercase();
            if !self.patterns.iter().any(|p| p.value == encoded) {
                self.patterns.push(Pattern { value: encoded, placeholder, kind: Kind::Image });
            }
        }
    }

    /// An image's registry: `containers.HOST` names a GitHub host; another registry that is not
    /// public, a loopback address or an IP address is a host of its own.
    fn registry(&mut self, registry: &str, kind: Kind) {
        if let Some(host) = registry.strip_prefix("containers.").and_then(GithubHost::parse) {
            self.host(&host);
            return;
        }
        let name = registry.split(':').next().unwrap_or("");
        let address = name == "localhost" || name.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        // `gitlab.example.com:5050` of a known `gitlab.example.com` is replaced through its host.
        let known = self.patterns.iter().any(|p| p.value == name.to_ascii_lowercase());
        if !address && !known {
            self.add(kind, registry);
        }
    }

    /// A self-managed GitLab: its host and its registry become `gitlab-host-N` (GitLab.com's are
    /// public and stay).
    fn gitlab(&mut self, gitlab: &ghcr_doctor_checks::GitlabHost) {
        self.add(Kind::GitlabHost, &gitlab.name);
        self.registry(&gitlab.registry, Kind::GitlabHost);
    }

    fn home(&mut self, home: Option<&str>) {
        // `/` or a drive root would replace every path: only a real directory counts.
        if let Some(home) = home.map(|h| h.trim_end_matches(['/', '\\'])).filter(|h| h.len() > 3) {
            self.add(Kind::Home, home);
        }
    }

    fn build(mut self) -> Anonymizer {
        self.patterns.sort_by_key(|p| std::cmp::Reverse(p.value.len()));
        Anonymizer { patterns: self.patterns }
    }
}

/// Whether `value` names someone: not a bot, not a placeholder the doctor writes when it does not
/// know the name (`YOUR_GITHUB_LOGIN`, `${{ github.actor }}`, `<token>`).
fn is_identity(value: &str) -> bool {
    !value.ends_with("[bot]")
        && !value.contains(['$', '<', '{', ' '])
        && !value.starts_with("YOUR_")
        && !matches!(value, "OWNER" | "IMAGE" | "oauth2accesstoken")
}

impl Anonymizer {
    /// The names of a finished run: the request's images and host, what the facts say about the
    /// user and the job, and the environment's `HOME` and `GITHUB_*` names.
    pub fn for_run(request: &Request, facts: &Facts, env: &Env) -> Anonymizer {
        let mut b = Builder::default();
        b.home(env.home());
        if let Some(host) = request.forge.github() {
            b.host(host);
        }
        if let Some(gitlab) = request.forge.gitlab() {
            b.gitlab(gitlab);
        }
        let github = facts.github();
        // Logins first: an image owner that is the user becomes `user-N`, not `org-N`.
        let login_of = |answer: Option<&ghcr_doctor_checks::HttpAnswer>| {
            let answer = answer.filter(|a| a.status == 200)?;
            let v: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
            v.get("login")?.as_str().map(str::to_owned)
        };
        let mut logins: Vec<String> = Vec::new();
        logins.extend(login_of(github.and_then(|g| g.api_user.done())));
        logins.extend(login_of(github.and_then(|g| g.docker_secret_user.done())));
        if let Some(ghcr_doctor_checks::CredentialLookup::Found(c)) = facts.docker_credentials.done().map(|c| &c.lookup)
        {
            logins.push(c.username.clone());
        }
        let actions = github.and_then(|g| g.actions.as_ref());
        if let Some(a) = actions {
            logins.extend(a.actor.clone());
            logins.extend(a.job_credential.as_ref().map(|c| c.username.clone()));
        }
        logins.extend(env.non_empty("GITHUB_ACTOR").map(str::to_owned));
        for login in &logins {
            b.add(Kind::User, login);
        }
        // Owners GitHub answered 404 for on `/orgs/{owner}` are users.
        let owner_is_user = |owner: &str| {
            github
                .and_then(|g| g.owners.iter().find(|o| o.owner == owner))
                .and_then(|o| o.org.done())
                .is_some_and(|a| a.status == 404)
        };
        for image in &request.images {
            b.image(&image.owner, &image.name, owner_is_user(&image.owner));
            b.registry(&image.registry, Kind::Host);
        }
        let mut repositories: Vec<String> = Vec::new();
        if let Some(a) = actions {
            repositories.extend(a.repository.clone());
            repositories.extend(a.head_repository.clone());
            if let Some(owner) = &a.repository_owner {
                b.add(Kind::Org, owner);
            }
            if let Some(host) = a.server_host().as_deref().and_then(GithubHost::parse) {
                b.host(&host);
            }
        }
        repositories.extend(env.non_empty("GITHUB_REPOSITORY").map(str::to_owned));
        for repository in &repositories {
            b.repository(repository);
        }
        if let Some(owner) = env.non_empty("GITHUB_REPOSITORY_OWNER") {
            b.add(Kind::Org, owner);
        }
        b.build()
    }

    /// The names in command-line arguments alone, for a run stopped by a usage error before
    /// anything was gathered: the images as written (valid or not), the host, and the environment.
    pub fn for_args(images: &[String], host: Option<&GithubHost>, env: &Env) -> Anonymizer {
        let mut b = Builder::default();
        b.home(env.home());
        if let Some(host) = host {
            b.host(host);
        }
        if let Some(actor) = env.non_empty("GITHUB_ACTOR") {
            b.add(Kind::User, actor);
        }
        for raw in images {
            let path = raw.trim().split('@').next().unwrap_or("");
            let last_slash = path.rfind('/').unwrap_or(0);
            let path = match path[last_slash..].find(':') {
                Some(i) => &path[..last_slash + i],
                None => path,
            };
            let parts: Vec<&str> = path.split('/').collect();
            if let [registry, owner, name @ ..] = parts.as_slice()
                && !name.is_empty()
            {
                b.registry(registry, Kind::Host);
                b.image(owner, &name.join("/"), false);
            }
        }
        if let Some(repository) = env.non_empty("GITHUB_REPOSITORY") {
            b.repository(repository);
        }
        if let Some(owner) = env.non_empty("GITHUB_REPOSITORY_OWNER") {
            b.add(Kind::Org, owner);
        }
        b.build()
    }

    /// `value` with every known name replaced by its placeholder: the one string replacement.
    pub fn text(&self, value: &str) -> String {
        if self.patterns.is_empty() {
            return value.to_owned();
        }
        let bytes = value.as_bytes();
        let public = public_spans(value);
        let mut out = String::with_capacity(value.len());
        let mut i = 0;
        let mut copied = 0;
        while i < bytes.len() {
            if !value.is_char_boundary(i) {
                i += 1;
                continue;
            }
            if let Some(p) = self.match_at(value, i, &public) {
                out.push_str(&value[copied..i]);
                out.push_str(&p.placeholder);
                i += p.value.len();
                copied = i;
                continue;
            }
            i += 1;
        }
        out.push_str(&value[copied..]);
        mask_authorization_requests(&out)
    }

    fn match_at(&self, value: &str, i: usize, public: &[(usize, usize)]) -> Option<&Pattern> {
        let bytes = value.as_bytes();
        let before = i.checked_sub(1).map(|j| bytes[j]);
        self.patterns.iter().find(|p| {
            let end = i + p.value.len();
            if end > bytes.len() || !bytes[i..end].eq_ignore_ascii_case(p.value.as_bytes()) {
                return false;
            }
            let after = bytes.get(end).copied();
            match p.kind {
                // A path: whole directory names only (`/home/al` is not in `/home/alice`).
                Kind::Home => after.is_none_or(|b| !is_word(b) && b != b'.'),
                // Names and hosts: whole words, and never a piece of a public host.
                _ => {
                    before.is_none_or(|b| !is_word(b))
                        && after.is_none_or(|b| !is_word(b))
                        && (p.kind == Kind::Host || !public.iter().any(|&(s, e)| i < e && s < end))
                }
            }
        })
    }

    /// A message with its argument values anonymized (its text is the catalogue's and stays).
    pub fn msg(&self, msg: &Msg) -> Msg {
        let args = msg
            .args
            .iter()
            .map(|(name, arg)| {
                let arg = match arg {
                    Arg::Plain(s) => Arg::Plain(self.text(s)),
                    Arg::Localized(m) => Arg::Localized(Box::new(self.msg(m))),
                };
                (*name, arg)
            })
            .collect();
        Msg { text: msg.text, args }
    }

    pub fn step(&self, step: &FixStep) -> FixStep {
        let t = |s: &String| self.text(s);
        let pass = |password: &Password| match password {
            Password::GhToken { hostname } => Password::GhToken { hostname: hostname.as_ref().map(t) },
            Password::EnvVar(var) => Password::EnvVar(var.clone()),
        };
        match step {
            FixStep::GhAuthRefresh { host, scope } => FixStep::GhAuthRefresh { host: t(host), scope: scope.clone() },
            FixStep::GhAuthLogin { host, scope } => FixStep::GhAuthLogin { host: t(host), scope: scope.clone() },
            FixStep::DockerLogout { client, registry } => {
                FixStep::DockerLogout { client: *client, registry: t(registry) }
            }
            FixStep::SetupDocker { registry, alternative } => {
                FixStep::SetupDocker { registry: t(registry), alternative: Box::new(self.step(alternative)) }
            }
            FixStep::DockerLogin { client, registry, username, password } => FixStep::DockerLogin {
                client: *client,
                registry: t(registry),
                username: t(username),
                password: pass(password),
            },
            FixStep::KubectlPullSecret { name, namespace, server, username, password: p } => {
                FixStep::KubectlPullSecret {
                    name: t(name),
                    namespace: t(namespace),
                    server: t(server),
                    username: t(username),
                    password: pass(p),
                }
            }
            FixStep::Unset { var } => FixStep::Unset { var: var.clone() },
            FixStep::Retry { client, access, image } => {
                FixStep::Retry { client: *client, access: *access, image: t(image) }
            }
            FixStep::CheckAgain => FixStep::CheckAgain,
            FixStep::Manual(command) => FixStep::Manual(t(command)),
        }
    }

    pub fn finding(&self, f: &Finding) -> Finding {
        Finding {
            status: f.status,
            cause: f.cause,
            subject: f.subject.as_deref().map(|s| self.text(s)),
            message: self.msg(&f.message),
            steps: f.steps.iter().map(|s| self.step(s)).collect(),
            fix_args: f.fix_args.iter().map(|(k, v)| (*k, self.text(v))).collect(),
            family: f.family,
        }
    }

    /// The report with every value anonymized; ids, statuses and the cause stay.
    pub fn report(&self, report: &Report) -> Report {
        let outcomes = report
            .outcomes
            .iter()
            .map(|o| Outcome {
                check: o.check,
                status: o.status,
                findings: o.findings.iter().map(|f| self.finding(f)).collect(),
                evidence: o.evidence.iter().map(|(k, v)| (*k, self.text(v))).collect(),
                duration_ms: o.duration_ms,
            })
            .collect();
        Report {
            outcomes,
            status: report.status,
            root_cause: report.root_cause,
            next_steps: report.next_steps.iter().map(|s| self.step(s)).collect(),
        }
    }

    /// The request as the renderers show it: host, registry alias and images anonymized.
    pub fn request(&self, request: &Request) -> Request {
        let mut out = request.clone();
        out.forge = match &request.forge {
            Forge::Github(host) => Forge::Github(self.github_host(host)),
            // GitLab host names pass through the text map like every other name.
            Forge::Gitlab(host) => Forge::Gitlab(ghcr_doctor_checks::GitlabHost {
                name: self.text(&host.name),
                registry: self.text(&host.registry),
            }),
        };
        out.registry_alias = request.registry_alias.as_deref().map(|a| self.text(a));
        out.images = request.images.iter().map(|i| self.image(i)).collect();
        out
    }

    fn github_host(&self, host: &GithubHost) -> GithubHost {
        let name = self.text(&host.name);
        let kind = match &host.kind {
            HostKind::Tenancy { subdomain } => HostKind::Tenancy {
                subdomain: name.strip_suffix(".ghe.com").map_or_else(|| subdomain.clone(), str::to_owned),
            },
            other => other.clone(),
        };
        GithubHost { name, kind }
    }

    fn image(&self, image: &ImageRef) -> ImageRef {
        ImageRef {
            registry: self.text(&image.registry),
            owner: self.text(&image.owner),
            name: self.text(&image.name),
            reference: image.reference.clone(),
        }
    }
}

/// The `authorization_request=` of an SSO link (`/orgs/ORG/sso?authorization_request=…`) opens
/// the authorization of the user's token for about an hour, so it is left out: `…`.
fn mask_authorization_requests(value: &str) -> String {
    const KEY: &str = "authorization_request=";
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(KEY) {
        let (head, tail) = rest.split_at(at + KEY.len());
        out.push_str(head);
        let len = tail.bytes().take_while(|&b| is_word(b) || b == b'%' || b == b'.').count();
        if len > 0 {
            out.push('…');
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Where public host names occur in `value` (as whole host names), as byte ranges.
fn public_spans(value: &str) -> Vec<(usize, usize)> {
    let lower = value.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut spans = Vec::new();
    for host in PUBLIC_HOSTS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(host) {
            let (s, e) = (from + at, from + at + host.len());
            if bytes.get(e).is_none_or(|&b| !is_word(b)) {
                // `api.github.com` and `x.ghe.com` protect their whole host name.
                let start = lower[..s].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'));
                spans.push((start.map_or(0, |p| p + 1), e));
            }
            from = e;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use ghcr_doctor_checks::{Access, CauseId, Status, t};

    fn anonymizer(users: &[&str], images: &[(&str, &str)], host: Option<&str>, home: Option<&str>) -> Anonymizer {
        let mut b = Builder::default();
        b.home(home);
        if let Some(h) = host {
            b.host(&GithubHost::parse(h).unwrap());
        }
        for u in users {
            b.add(Kind::User, u);
        }
        for (owner, name) in images {
            b.image(owner, name, false);
        }
        b.build()
    }

    #[test]
    fn the_same_name_gets_the_same_placeholder_in_commands_urls_and_prose() {
        let a = anonymizer(&["octocat"], &[("acme", "app"), ("acme", "tools/cli")], None, None);
        assert_eq!(
            a.text("gh auth token | docker login ghcr.io -u octocat --password-stdin"),
            "gh auth token | docker login ghcr.io -u user-1 --password-stdin"
        );
        assert_eq!(
            a.text("https://github.com/orgs/acme/packages/container/package/app"),
            "https://github.com/orgs/org-1/packages/container/package/image-1"
        );
        assert_eq!(
            a.text("ghcr.io/acme/tools/cli:1.0 and ghcr.io/Acme/App"),
            "ghcr.io/org-1/image-2:1.0 and ghcr.io/org-1/image-1"
        );
        assert_eq!(a.text("/orgs/acme/packages/container/tools%2Fcli"), "/orgs/org-1/packages/container/image-2");
        assert_eq!(
            a.text("Logged in as `octocat`; `acme`のメンバーです"),
            "Logged in as `user-1`; `org-1`のメンバーです"
        );
    }

    #[test]
    fn sso_links_lose_their_authorization_request() {
        let a = anonymizer(&["octocat"], &[("sso-corp", "app")], None, None);
        assert_eq!(
            a.text("Authorize: https://github.com/orgs/sso-corp/sso?authorization_request=73736f2d636f7270 (valid)"),
            "Authorize: https://github.com/orgs/org-1/sso?authorization_request=… (valid)"
        );
    }

    #[test]
    fn only_whole_names_are_replaced() {
        let mut b = Builder::default();
        b.image("acme", "app", false);
        b.repository("acme/app-repo");
        let a = b.build();
        assert_eq!(a.text("apply app-repo app acme/app-repo acmecorp"), "apply repo-1 image-1 org-1/repo-1 acmecorp");
        assert_eq!(a.text("application app.yml"), "application image-1.yml");
    }

    #[test]
    fn public_hosts_stay_and_private_hosts_are_replaced() {
        let a = anonymizer(&["github", "docker"], &[("gitlab", "app")], Some("ghe.example.com"), None);
        assert_eq!(
            a.text("https://api.github.com/ ghcr.io/gitlab/app registry.gitlab.com docs.docker.com github"),
            "https://api.github.com/ ghcr.io/org-1/image-1 registry.gitlab.com docs.docker.com user-1"
        );
        assert_eq!(
            a.text("containers.ghe.example.com/gitlab/app https://ghe.example.com/api/v3/"),
            "containers.ghe-host-1/org-1/image-1 https://ghe-host-1/api/v3/"
        );
        let t = anonymizer(&[], &[], Some("octocorp.ghe.com"), None);
        assert_eq!(
            t.text("https://api.octocorp.ghe.com/ containers.octocorp.ghe.com"),
            "https://api.ghe-host-1.ghe.com/ containers.ghe-host-1.ghe.com"
        );
        let github_com = anonymizer(&[], &[], Some("github.com"), None);
        assert!(github_com.patterns.is_empty());
    }

    #[test]
    fn a_self_managed_gitlab_host_and_registry_are_replaced_and_gitlab_com_stays() {
        let mut b = Builder::default();
        b.gitlab(&ghcr_doctor_checks::GitlabHost::parse("gitlab.acme.internal", "gitlab.acme.internal:5050").unwrap());
        b.gitlab(&ghcr_doctor_checks::GitlabHost::parse("git.corp.example", "registry.corp.example").unwrap());
        b.gitlab(&ghcr_doctor_checks::GitlabHost::gitlab_com());
        let a = b.build();
        assert_eq!(
            a.text("https://gitlab.acme.internal/-/user_settings/personal_access_tokens docker login gitlab.acme.internal:5050"),
            "https://gitlab-host-1/-/user_settings/personal_access_tokens docker login gitlab-host-1:5050"
        );
        assert_eq!(
            a.text("https://git.corp.example/jwt/auth registry.corp.example/acme/app registry.gitlab.com gitlab.com"),
            "https://gitlab-host-2/jwt/auth gitlab-host-3/acme/app registry.gitlab.com gitlab.com"
        );
    }

    #[test]
    fn the_home_directory_becomes_a_tilde() {
        let a = anonymizer(&["alice"], &[], None, Some("/home/alice/"));
        assert_eq!(a.text("/home/alice/.docker/config.json"), "~/.docker/config.json");
        assert_eq!(a.text("unix:///home/alice/.docker/run/docker.sock"), "unix://~/.docker/run/docker.sock");
        assert_eq!(a.text("/home/alicex/x and /home/alice"), "/home/alicex/x and ~");
        assert!(anonymizer(&[], &[], None, Some("/")).patterns.is_empty(), "a root HOME replaces nothing");
    }

    #[test]
    fn bots_and_stand_ins_are_not_names() {
        let a = anonymizer(
            &["github-actions[bot]", "YOUR_GITHUB_LOGIN", "${{ github.actor }}", "<token>"],
            &[],
            None,
            None,
        );
        assert!(a.patterns.is_empty());
    }

    #[test]
    fn a_placeholder_is_never_replaced_again() {
        // A login that looks like a placeholder of another kind.
        let a = anonymizer(&["org-1", "octocat"], &[("acme", "app")], None, None);
        assert_eq!(a.text("org-1 octocat acme"), "user-1 user-2 org-1");
    }

    #[test]
    fn reports_keep_their_texts_ids_and_statuses() {
        let a = anonymizer(&["octocat"], &[("acme", "app")], None, None);
        let msg = Msg::new(t!("The OAuth app of {who} (app)", "{who} の OAuth app（app）")).arg("who", "octocat");
        let finding = Finding::new(Status::Fail, msg)
            .cause(CauseId::NoPackageAccess)
            .subject("ghcr.io/acme/app:1")
            .steps(vec![FixStep::Retry {
                client: ghcr_doctor_checks::Client::Docker,
                access: Access::Pull,
                image: "ghcr.io/acme/app:1".into(),
            }])
            .fix_arg("owner", "acme");
        let report = Report {
            outcomes: vec![Outcome::new(
                ghcr_doctor_checks::CheckId::RegistryAccess,
                vec![finding],
                vec![("user", "octocat".into())],
            )],
            status: Status::Fail,
            root_cause: Some(CauseId::NoPackageAccess),
            next_steps: vec![FixStep::Manual("docker pull ghcr.io/acme/app:1".into())],
        };
        let out = a.report(&report);
        let f = &out.outcomes[0].findings[0];
        assert_eq!(f.message.render(ghcr_doctor_checks::Lang::En), "The OAuth app of user-1 (app)");
        assert_eq!(f.subject.as_deref(), Some("ghcr.io/org-1/image-1:1"));
        assert_eq!(f.steps[0].to_string(), "docker pull ghcr.io/org-1/image-1:1");
        assert_eq!(f.fix_args, [("owner", "org-1".to_owned())]);
        assert_eq!(out.outcomes[0].evidence, [("user", "user-1".to_owned())]);
        assert_eq!((out.status, out.root_cause, f.cause), (Status::Fail, Some(CauseId::NoPackageAccess), f.cause));
        assert_eq!(out.next_steps[0].to_string(), "docker pull ghcr.io/org-1/image-1:1");
    }

    #[test]
    fn requests_show_the_placeholders() {
        let a = anonymizer(&[], &[("acme", "app")], Some("ghe.example.com"), None);
        let mut request = Request::new(Forge::Github(GithubHost::parse("ghe.example.com").unwrap()));
        request.images = vec!["containers.ghe.example.com/acme/app:1".parse().unwrap()];
        let out = a.request(&request);
        assert_eq!((out.forge.host_name(), out.registry_host()), ("ghe-host-1", "containers.ghe-host-1".into()));
        assert_eq!(out.images[0].to_string(), "containers.ghe-host-1/org-1/image-1:1");
        let t = anonymizer(&[], &[], Some("octocorp.ghe.com"), None);
        let request = Request::new(Forge::Github(GithubHost::parse("octocorp.ghe.com").unwrap()));
        let host = t.request(&request).forge.github().unwrap().clone();
        assert_eq!(
            (host.name.as_str(), host.api_base()),
            ("ghe-host-1.ghe.com", "https://api.ghe-host-1.ghe.com/".into())
        );
    }

    #[test]
    fn arguments_alone_name_the_images_of_a_usage_error() {
        let env = Env::from_pairs([("GITHUB_REPOSITORY", "Acme/app-repo"), ("HOME", "/home/runner")]);
        let a = Anonymizer::for_args(&["ghcr.io/Acme/App:latest".into()], None, &env);
        assert_eq!(
            a.text("invalid image reference `ghcr.io/Acme/App:latest`; run in /home/runner/work for Acme/app-repo"),
            "invalid image reference `ghcr.io/org-1/image-1:latest`; run in ~/work for org-1/repo-1"
        );
    }
}
