//! Fixes as data: [`FixStep`], one command of a fix, typed, rendered once as the shell line every
//! output shows (human, JSON, GitHub annotations, Markdown) and executed by `ghcr-doctor fix`
//! without parsing strings back; and [`FixCtx`], the values steps and cause texts are filled with.

use std::fmt;

use crate::{Access, Client, Family, Os};

/// Where `docker login --password-stdin` reads the secret from: always a pipe, never argv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Password {
    /// `gh auth token` (`--hostname HOST` when the host is not github.com).
    GhToken { hostname: Option<String> },
    /// `echo "$VAR"`: a variable the job already has (CI).
    EnvVar(String),
}

/// One command of a fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixStep {
    /// `gh auth refresh -h HOST -s SCOPE`: adds a scope to gh's login (browser or one-time code).
    GhAuthRefresh { host: String, scope: String },
    /// `gh auth login -h HOST -s SCOPE`: a new login (browser or one-time code).
    GhAuthLogin { host: String, scope: String },
    /// `docker logout REGISTRY` (`podman logout` when podman is the client).
    DockerLogout { client: Client, registry: String },
    /// `PASSWORD | docker login REGISTRY -u USER --password-stdin` (or `podman login`).
    DockerLogin { client: Client, registry: String, username: String, password: Password },
    /// `ghcr-doctor setup-docker --registry REGISTRY`: docker (or podman) asks gh (through
    /// `docker-credential-ghcr-doctor`) on every pull, so no copy of the token can go stale.
    /// `alternative` is the one-off login that copies the token into the client's store instead.
    SetupDocker { registry: String, alternative: Box<FixStep> },
    /// `unset VAR`: only the user's own shell can do this.
    Unset { var: String },
    /// `docker pull IMAGE` / `docker push IMAGE` (or podman's): the step that shows the fix worked.
    Retry { client: Client, access: Access, image: String },
    /// `ghcr-doctor check`: look again (when there is no image to retry).
    CheckAgain,
    /// `kubectl create secret docker-registry NAME -n NAMESPACE --docker-server=SERVER
    /// --docker-username=USER --docker-password="$(PASSWORD)" --dry-run=client -o yaml | kubectl
    /// apply -f -`: the pull secret recreated with a current token. Shown only, never run by the
    /// doctor: the token appears only in the user's own shell's command substitution.
    KubectlPullSecret { name: String, namespace: String, server: String, username: String, password: Password },
    /// A command only the user runs (installing, starting the daemon, a workflow line).
    Manual(String),
}

impl fmt::Display for FixStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixStep::GhAuthRefresh { host, scope } => write!(f, "gh auth refresh -h {host} -s {scope}"),
            FixStep::GhAuthLogin { host, scope } => write!(f, "gh auth login -h {host} -s {scope}"),
            FixStep::DockerLogout { client, registry } => write!(f, "{} logout {registry}", client.command()),
            FixStep::DockerLogin { client, registry, username, password } => {
                match password {
                    Password::GhToken { hostname } => f.write_str(&gh_auth_token(hostname.as_deref()))?,
                    Password::EnvVar(var) => write!(f, "echo \"${var}\"")?,
                }
                write!(f, " | {} login {registry} -u {username} --password-stdin", client.command())
            }
            FixStep::SetupDocker { registry, .. } => write!(f, "ghcr-doctor setup-docker --registry {registry}"),
            FixStep::Unset { var } => write!(f, "unset {var}"),
            FixStep::Retry { client, access: Access::Pull, image } => write!(f, "{} pull {image}", client.command()),
            FixStep::Retry { client, access: Access::Push, image } => write!(f, "{} push {image}", client.command()),
            FixStep::CheckAgain => f.write_str("ghcr-doctor check"),
            FixStep::KubectlPullSecret { name, namespace, server, username, password } => {
                write!(
                    f,
                    "kubectl create secret docker-registry {name} -n {namespace} --docker-server={server} --docker-username={username} --docker-password="
                )?;
                match password {
                    Password::GhToken { hostname } => write!(f, "\"$({})\"", gh_auth_token(hostname.as_deref()))?,
                    Password::EnvVar(var) => write!(f, "\"${var}\"")?,
                }
                f.write_str(" --dry-run=client -o yaml | kubectl apply -f -")
            }
            FixStep::Manual(command) => f.write_str(command),
        }
    }
}

/// `gh auth token`, with `--hostname HOST` off github.com.
fn gh_auth_token(hostname: Option<&str>) -> String {
    match hostname {
        None => "gh auth token".to_owned(),
        Some(h) => format!("gh auth token --hostname {h}"),
    }
}

/// Renders steps as their shell lines.
pub fn command_lines(steps: &[FixStep]) -> Vec<String> {
    steps.iter().map(ToString::to_string).collect()
}

/// The values fix steps and cause texts are filled with: the user's real ones in `check`, the
/// team's config or readable placeholders in the docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixCtx {
    /// GitHub host: `github.com`, `octocorp.ghe.com`, `github.example.com`.
    pub host: String,
    /// Registry host: `ghcr.io`, `containers.HOST`.
    pub registry: String,
    /// GitHub login used as docker's user name.
    pub login: String,
    /// The image to pull or push.
    pub image: String,
    /// The image owner (organization or user).
    pub owner: String,
    /// The package name within the owner (`app`, `repo/app`).
    pub package: String,
    /// The token environment variable in effect, if the token comes from one.
    pub env_var: Option<String>,
    pub access: Access,
    pub os: Os,
    /// CI mode: the token comes from the job, never from an interactive gh login.
    pub ci: bool,
    /// gh's token has the scope this access needs while docker holds a different token: logging
    /// docker in with gh's token is the whole fix.
    pub gh_token_suffices: bool,
    /// `GITHUB_REPOSITORY_OWNER` of the Actions job, as GitHub spells it (may have capitals).
    pub repository_owner: Option<String>,
    /// systemd runs here, so `systemctl` starts services (else `service`).
    pub systemd: bool,
    /// `docker-credential-ghcr-doctor` is on PATH and gh holds the login (no token variable), so
    /// `ghcr-doctor setup-docker` can make docker ask gh on every pull.
    pub own_helper_usable: bool,
    /// docker already asks gh for this registry (`credHelpers` names ghcr-doctor's helper):
    /// fixing gh's login is the whole fix.
    pub docker_asks_gh: bool,
    /// The config.json docker reads (`~/.docker/config.json` in the docs), for steps that edit it.
    pub docker_config: String,
    /// `check --pull-secret`: the Secret's name and namespace. Then a new login is the Secret
    /// recreated (`kubectl create secret docker-registry … | kubectl apply -f -`), not docker's.
    pub pull_secret: Option<(String, String)>,
    /// The container client the login, logout and retry commands are for.
    pub client: Client,
    /// The forge's family: GitLab logins take a GitLab token (`GITLAB_TOKEN`, or in a GitLab
    /// job its `CI_REGISTRY_*` variables), never gh's.
    pub family: Family,
    /// glab's config file (`~/.config/glab-cli/config.yml` in the docs).
    pub glab_config: String,
}

impl FixCtx {
    /// Placeholders for documentation without a team config.
    pub fn placeholders() -> FixCtx {
        FixCtx {
            host: "github.com".into(),
            registry: "ghcr.io".into(),
            login: "YOUR_GITHUB_LOGIN".into(),
            image: "ghcr.io/OWNER/IMAGE:TAG".into(),
            owner: "OWNER".into(),
            package: "IMAGE".into(),
            env_var: None,
            access: Access::Pull,
            os: Os::Linux,
            ci: false,
            gh_token_suffices: false,
            repository_owner: None,
            systemd: true,
            own_helper_usable: false,
            docker_asks_gh: false,
            docker_config: "~/.docker/config.json".into(),
            pull_secret: None,
            client: Client::Docker,
            family: Family::Github,
            glab_config: "~/.config/glab-cli/config.yml".into(),
        }
    }

    /// The GitLab scopes this access needs, as the token page's `scopes=` takes them.
    pub fn gitlab_scopes(&self) -> &'static str {
        match self.access {
            Access::Pull => "read_registry",
            Access::Push => "read_registry,write_registry",
        }
    }

    /// The GitLab token page with the scopes preselected (gitlab-facts §11); GitLab.com's outside
    /// a GitLab run.
    pub fn token_page(&self) -> String {
        let host = if self.family == Family::Gitlab { self.host.as_str() } else { "gitlab.com" };
        format!("https://{host}/-/user_settings/personal_access_tokens?scopes={}", self.gitlab_scopes())
    }

    /// `read:packages` or `write:packages`.
    pub fn scope(&self) -> &'static str {
        crate::packages_scope(self.access)
    }

    /// The `packages:` permission a workflow job needs: `read` or `write`.
    pub fn level(&self) -> &'static str {
        match self.access {
            Access::Pull => "read",
            Access::Push => "write",
        }
    }

    /// The values for `{placeholders}` in cause texts.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("host", self.host.clone()),
            ("registry", self.registry.clone()),
            ("login", self.login.clone()),
            ("image", self.image.clone()),
            ("owner", self.owner.clone()),
            ("name", self.package.clone()),
            ("web", format!("https://{}", self.host)),
            ("scope", self.scope().to_owned()),
            ("var", self.env_var.clone().unwrap_or_else(|| "GH_TOKEN".into())),
            ("level", self.level().to_owned()),
            ("token_page", self.token_page()),
        ]
    }

    /// `gh auth token | docker login ...` (in CI: `echo "$GITHUB_TOKEN" | docker login ...`); for
    /// a pull secret, the Secret recreated with that token instead.
    pub fn docker_login(&self) -> FixStep {
        if self.pull_secret.is_some() {
            return self.pull_secret_apply();
        }
        if self.family == Family::Gitlab && self.ci && self.env_var.is_none() {
            // A GitLab job's own variables (gitlab-facts §10, §12).
            return FixStep::DockerLogin {
                client: self.client,
                registry: "\"$CI_REGISTRY\"".into(),
                username: "\"$CI_REGISTRY_USER\"".into(),
                password: Password::EnvVar("CI_REGISTRY_PASSWORD".into()),
            };
        }
        FixStep::DockerLogin {
            client: self.client,
            registry: self.registry.clone(),
            username: self.login.clone(),
            password: self.password(),
        }
    }

    /// Where a new login's token comes from: gh's (`--hostname` off github.com), in CI the job's.
    fn password(&self) -> Password {
        if self.family == Family::Gitlab {
            return Password::EnvVar(self.env_var.clone().unwrap_or_else(|| "GITLAB_TOKEN".into()));
        }
        if self.ci {
            Password::EnvVar(self.env_var.clone().unwrap_or_else(|| "GITHUB_TOKEN".into()))
        } else {
            Password::GhToken { hostname: (self.host != "github.com").then(|| self.host.clone()) }
        }
    }

    /// The pull secret recreated with gh's current token, under its own name and namespace
    /// (`ghcr-pull` in `default` for a bare file, or in the docs).
    pub fn pull_secret_apply(&self) -> FixStep {
        let (name, namespace) = self
            .pull_secret
            .clone()
            .unwrap_or_else(|| (crate::DEFAULT_SECRET_NAME.into(), crate::DEFAULT_NAMESPACE.into()));
        FixStep::KubectlPullSecret {
            name,
            namespace,
            server: self.registry.clone(),
            username: self.login.clone(),
            password: self.password(),
        }
    }

    /// How docker (or, with `--pull-secret`, the Secret) gets gh's token: nothing when docker
    /// already asks gh; `ghcr-doctor setup-docker` (nothing stored, nothing goes stale) when the
    /// helper is installed and gh holds the login outside CI, with the one-off `docker login` as
    /// its alternative; else that login.
    pub fn docker_credential(&self) -> Vec<FixStep> {
        let login = self.docker_login();
        // GitLab: a token read without echo (POSIX `stty -echo`, as `read -s` is not), unless a
        // variable holds it already, then the login.
        if self.family == Family::Gitlab {
            if self.ci || self.env_var.is_some() || self.pull_secret.is_some() {
                return vec![login];
            }
            return vec![FixStep::Manual("stty -echo; read -r GITLAB_TOKEN; stty echo".into()), login];
        }
        // A pull secret (the kubectl step), CI's job token, a token variable: that login only.
        if self.pull_secret.is_some() || self.ci || self.env_var.is_some() {
            return vec![login];
        }
        if self.docker_asks_gh {
            return Vec::new();
        }
        if !self.own_helper_usable {
            return vec![login];
        }
        vec![FixStep::SetupDocker { registry: self.registry.clone(), alternative: Box::new(login) }]
    }

    /// `docker logout` (drop the stale copy), then docker's new credential. With the helper the
    /// logout is left out: `credHelpers` wins over the stored copy, which setup-docker removes
    /// once a pull through the helper works.
    pub fn docker_relogin(&self) -> Vec<FixStep> {
        let credential = self.docker_credential();
        match credential.iter().find(|s| !matches!(s, FixStep::Manual(_))) {
            Some(FixStep::DockerLogin { .. }) => [vec![self.docker_logout()], credential].concat(),
            _ => credential,
        }
    }

    pub fn docker_logout(&self) -> FixStep {
        FixStep::DockerLogout { client: self.client, registry: self.registry.clone() }
    }

    /// `docker pull IMAGE` (or push; podman's when podman is the client).
    pub fn retry(&self, image: String) -> FixStep {
        FixStep::Retry { client: self.client, access: self.access, image }
    }

    pub fn gh_login(&self) -> FixStep {
        FixStep::GhAuthLogin { host: self.host.clone(), scope: self.scope().to_owned() }
    }

    pub fn gh_refresh(&self) -> FixStep {
        FixStep::GhAuthRefresh { host: self.host.clone(), scope: self.scope().to_owned() }
    }

    /// `unset VAR` when the token comes from a variable.
    pub fn unset_env(&self) -> Option<FixStep> {
        self.env_var.as_ref().map(|var| FixStep::Unset { var: var.clone() })
    }

    /// The steps that give gh a token with the needed scope: drop the overriding variable and log
    /// in, or add the scope to the stored login. None in CI, where the job's token is fixed.
    pub fn gh_with_scope(&self) -> Vec<FixStep> {
        if self.ci {
            return Vec::new();
        }
        match self.unset_env() {
            Some(unset) => vec![unset, self.gh_login()],
            None => vec![self.gh_refresh()],
        }
    }

    /// One command per operating system family, for install and start hints.
    pub fn per_os(&self, mac: &str, linux: &str, windows: Option<&str>) -> Vec<FixStep> {
        let command = match self.os {
            Os::MacOs => Some(mac),
            Os::Windows => windows,
            Os::Linux | Os::Other => Some(linux),
        };
        command.map(|c| FixStep::Manual(c.to_owned())).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_commands_never_put_the_token_in_argv() {
        let mut ctx = FixCtx::placeholders();
        ctx.login = "alice".into();
        assert_eq!(ctx.docker_login().to_string(), "gh auth token | docker login ghcr.io -u alice --password-stdin");
        ctx.host = "github.example.com".into();
        ctx.registry = "containers.github.example.com".into();
        assert_eq!(
            ctx.docker_login().to_string(),
            "gh auth token --hostname github.example.com | docker login containers.github.example.com -u alice --password-stdin"
        );
        ctx.ci = true;
        assert_eq!(
            ctx.docker_login().to_string(),
            "echo \"$GITHUB_TOKEN\" | docker login containers.github.example.com -u alice --password-stdin"
        );
    }

    #[test]
    fn the_helper_is_the_durable_fix_only_where_it_can_work() {
        let mut ctx = FixCtx::placeholders();
        ctx.login = "alice".into();
        let login = ctx.docker_login();
        assert_eq!(ctx.docker_credential(), std::slice::from_ref(&login), "no helper installed: the login");
        assert_eq!(ctx.docker_relogin(), [ctx.docker_logout(), login.clone()]);
        ctx.own_helper_usable = true;
        let durable = ctx.docker_credential();
        assert_eq!(command_lines(&durable), ["ghcr-doctor setup-docker --registry ghcr.io"]);
        assert_eq!(
            durable,
            [FixStep::SetupDocker { registry: "ghcr.io".into(), alternative: Box::new(login.clone()) }]
        );
        assert_eq!(ctx.docker_relogin(), durable, "no logout before the helper");
        ctx.docker_asks_gh = true;
        assert_eq!(ctx.docker_credential(), [], "docker already asks gh: nothing to do for docker");
        ctx.env_var = Some("GH_TOKEN".into());
        assert_eq!(
            ctx.docker_credential(),
            std::slice::from_ref(&login),
            "a token variable: docker's helper would not see it"
        );
        ctx.env_var = None;
        ctx.docker_asks_gh = false;
        ctx.pull_secret = Some(("regcred".into(), "apps".into()));
        assert_eq!(ctx.docker_credential(), [ctx.pull_secret_apply()], "a pull secret: kubectl, not setup-docker");
        ctx.pull_secret = None;
        ctx.ci = true;
        assert_eq!(ctx.docker_credential(), [ctx.docker_login()], "CI: the job's token, never setup-docker");
    }

    #[test]
    fn a_pull_secret_is_recreated_with_the_token_in_a_command_substitution() {
        let mut ctx = FixCtx::placeholders();
        ctx.login = "alice".into();
        let expected = "kubectl create secret docker-registry ghcr-pull -n default --docker-server=ghcr.io --docker-username=alice --docker-password=\"$(gh auth token)\" --dry-run=client -o yaml | kubectl apply -f -";
        assert_eq!(ctx.pull_secret_apply().to_string(), expected);
        ctx.pull_secret = Some(("regcred".into(), "apps".into()));
        assert_eq!(
            ctx.docker_login().to_string(),
            "kubectl create secret docker-registry regcred -n apps --docker-server=ghcr.io --docker-username=alice --docker-password=\"$(gh auth token)\" --dry-run=client -o yaml | kubectl apply -f -"
        );
    }

    #[test]
    fn podman_commands_name_podman() {
        let mut ctx = FixCtx::placeholders();
        ctx.login = "alice".into();
        ctx.client = Client::Podman;
        assert_eq!(ctx.docker_login().to_string(), "gh auth token | podman login ghcr.io -u alice --password-stdin");
        assert_eq!(ctx.docker_logout().to_string(), "podman logout ghcr.io");
        assert_eq!(ctx.retry("ghcr.io/acme/app:1".into()).to_string(), "podman pull ghcr.io/acme/app:1");
    }
}
