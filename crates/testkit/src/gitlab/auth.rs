//! The `/jwt/auth` decision, pure over a [`GitlabWorld`]: who the Basic credentials are
//! ([`identify`], gitlab-facts §3), what their scopes let them do in the registry (abilities,
//! gitlab-facts §3.1), which actions each requested scope gets (gitlab-facts §4, §9, §10), and
//! the exact error bodies of gitlab-facts §4. [`decide_jwt_auth`] is what the HTTP handler in
//! the `/jwt/auth` HTTP handler renders; tests may call it directly.
//!
//! The order follows GitLab's `JwtController` and `ContainerRegistryAuthenticationService`:
//! authenticate the Basic credentials (401) → unknown `service` (404, empty) → registry disabled
//! on the instance (404 `registry not enabled`) → no registry ability (403 `access forbidden`) →
//! process the scopes (unauthorized actions and scopes are dropped, never refused) → anonymous
//! with nothing granted (403 `access forbidden`) → push to a protected path (403) → 200 with a
//! JWT whose `access` may be reduced or empty.

use std::collections::BTreeSet;

use super::world::{
    AccessDeniedWording, CI_JOB_USER, GitlabProject, GitlabSettings, GitlabWorld, ProjectVisibility,
    RegistryAccessLevel, SERVICE, is_ancestor, looks_like_token,
};
use crate::http::json_str;

/// What an authenticated actor may do (the subset of GitLab's authentication abilities that
/// matters for the registry; gitlab-facts §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ability {
    ReadProject,
    DownloadCode,
    PushCode,
    ReadContainerImage,
    CreateContainerImage,
    AdminContainerImage,
    BuildDownloadCode,
    BuildPushCode,
    BuildReadContainerImage,
    BuildCreateContainerImage,
    BuildDestroyContainerImage,
}

impl Ability {
    fn is_registry(self) -> bool {
        matches!(
            self,
            Ability::ReadContainerImage
                | Ability::CreateContainerImage
                | Ability::AdminContainerImage
                | Ability::BuildReadContainerImage
                | Ability::BuildCreateContainerImage
                | Ability::BuildDestroyContainerImage
        )
    }
}

/// `full_authentication_abilities` (scope `api`, and an account password).
const FULL: &[Ability] = &[
    Ability::ReadProject,
    Ability::DownloadCode,
    Ability::PushCode,
    Ability::ReadContainerImage,
    Ability::CreateContainerImage,
    Ability::AdminContainerImage,
];
/// `read_only_authentication_abilities` (scope `read_api`, and anonymous requests).
const READ_ONLY: &[Ability] = &[Ability::ReadProject, Ability::DownloadCode, Ability::ReadContainerImage];
/// `build_authentication_abilities` (CI job tokens).
const BUILD: &[Ability] = &[
    Ability::ReadProject,
    Ability::BuildDownloadCode,
    Ability::BuildPushCode,
    Ability::BuildReadContainerImage,
    Ability::BuildCreateContainerImage,
    Ability::BuildDestroyContainerImage,
];

/// `abilities_for_scopes` (gitlab-facts §3.1): `api` → full; `read_api` → read-only incl.
/// `read_container_image`; `read_registry` → `read_container_image`; `write_registry` →
/// `create_container_image`; `read_repository` → `download_code`; `write_repository` →
/// `download_code push_code`. Registry scopes count only while the instance registry is enabled.
pub fn abilities_for_scopes(scopes: &[String], registry_enabled: bool) -> BTreeSet<Ability> {
    let mut out = BTreeSet::new();
    for scope in scopes {
        let add: &[Ability] = match scope.as_str() {
            "api" => FULL,
            "read_api" => READ_ONLY,
            "read_registry" if registry_enabled => &[Ability::ReadContainerImage],
            "write_registry" if registry_enabled => &[Ability::CreateContainerImage],
            "read_repository" => &[Ability::DownloadCode],
            "write_repository" => &[Ability::DownloadCode, Ability::PushCode],
            _ => &[],
        };
        out.extend(add.iter().copied());
    }
    out
}

/// The `auth_type` claim (gitlab-facts §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthType {
    PersonalAccessToken,
    DeployToken,
    Build,
    GitlabOrLdap,
    None,
}

impl AuthType {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::PersonalAccessToken => "personal_access_token",
            AuthType::DeployToken => "deploy_token",
            AuthType::Build => "build",
            AuthType::GitlabOrLdap => "gitlab_or_ldap",
            AuthType::None => "none",
        }
    }
}

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// No Basic credentials.
    Anonymous,
    /// A user, through a personal/project/group access token or the account password.
    User { username: String, user_id: u64 },
    /// A deploy token (no user).
    DeployToken { id: u64, username: String },
    /// A running CI job: its project and the pipeline user.
    Job { username: String, user_id: u64, project: String },
}

/// The result of authenticating `/jwt/auth`'s Basic credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub actor: Actor,
    pub auth_type: AuthType,
    pub abilities: BTreeSet<Ability>,
}

impl Identity {
    /// No credentials: read-only abilities, no actor (gitlab-facts §3.1).
    pub fn anonymous() -> Identity {
        Identity { actor: Actor::Anonymous, auth_type: AuthType::None, abilities: READ_ONLY.iter().copied().collect() }
    }
    pub fn can(&self, ability: Ability) -> bool {
        self.abilities.contains(&ability)
    }
    /// The `sub` claim: the username; none for deploy tokens and anonymous (gitlab-facts §5).
    pub fn subject(&self) -> Option<&str> {
        match &self.actor {
            Actor::User { username, .. } | Actor::Job { username, .. } => Some(username),
            Actor::DeployToken { .. } | Actor::Anonymous => None,
        }
    }
}

/// `Gitlab::Auth.find_for_git_client` (gitlab-facts §3), in order: job token (only with login
/// `gitlab-ci-token`, only while the job runs) → personal/project/group access token (active;
/// the login is not checked) → deploy token (active; the login must be its username) → account
/// password (last; never for token-shaped secrets; refused for 2FA accounts and when password
/// authentication for Git is off). `None`: not authenticated — every reason renders the same 401.
///
/// Service tokens, LFS tokens and OAuth tokens (the steps GitLab tries between) are not
/// modelled: an OAuth token here is not accepted (UNCONFIRMED, see [`super::OauthToken`]).
pub fn identify(world: &GitlabWorld, login: &str, secret: &str) -> Option<Identity> {
    let registry = world.settings.registry_enabled;
    if login == CI_JOB_USER
        && let Some(job) = world.job_tokens.get(secret)
        && job.running
        && let Some(user) = world.user(&job.username)
    {
        return Some(Identity {
            actor: Actor::Job { username: user.username.clone(), user_id: user.id, project: job.project.clone() },
            auth_type: AuthType::Build,
            abilities: BUILD.iter().copied().collect(),
        });
    }
    if let Some(token) = world.access_tokens.get(secret)
        && token.is_active()
        && let Some(user) = world.user(&token.username)
    {
        return Some(Identity {
            actor: Actor::User { username: user.username.clone(), user_id: user.id },
            auth_type: AuthType::PersonalAccessToken,
            abilities: abilities_for_scopes(&token.scopes, registry),
        });
    }
    if let Some(token) = world.deploy_tokens.get(secret)
        && token.is_active()
        && login == token.username
    {
        return Some(Identity {
            actor: Actor::DeployToken { id: token.id, username: token.username.clone() },
            auth_type: AuthType::DeployToken,
            abilities: abilities_for_scopes(&token.scopes, registry),
        });
    }
    if looks_like_token(secret) || !world.settings.password_authentication_for_git {
        return None;
    }
    let user = world.user(login)?;
    if user.password.as_ref().map(super::world::SecretKey::expose) != Some(secret) {
        return None;
    }
    // A correct password on a 2FA account raises MissingPersonalAccessTokenError, which the
    // controller renders exactly like a failed login (gitlab-facts §3).
    if user.two_factor_enabled {
        return None;
    }
    Some(Identity {
        actor: Actor::User { username: user.username.clone(), user_id: user.id },
        auth_type: AuthType::GitlabOrLdap,
        abilities: FULL.iter().copied().collect(),
    })
}

/// An error answer of `/jwt/auth` (gitlab-facts §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtAuthError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl JwtAuthError {
    /// 403 `DENIED` `access forbidden`.
    pub fn access_forbidden() -> JwtAuthError {
        JwtAuthError { status: 403, code: "DENIED", message: "access forbidden".to_owned() }
    }
    /// 404 `UNAVAILABLE` `registry not enabled`.
    pub fn registry_not_enabled() -> JwtAuthError {
        JwtAuthError { status: 404, code: "UNAVAILABLE", message: "registry not enabled".to_owned() }
    }
    /// 403 `DENIED` `Pushing to protected repository path forbidden`.
    pub fn protected_path() -> JwtAuthError {
        JwtAuthError {
            status: 403,
            code: "DENIED",
            message: "Pushing to protected repository path forbidden".to_owned(),
        }
    }
    /// `{"errors":[{"code":...,"message":...}]}`, plus `,"http_status":N` when `http_status`
    /// (UNCONFIRMED on the wire, see [`GitlabSettings::error_body_http_status`]).
    pub fn body(&self, http_status: bool) -> String {
        let errors = format!(r#"{{"code":{},"message":{}}}"#, json_str(self.code), json_str(&self.message));
        if http_status {
            format!(r#"{{"errors":[{errors}],"http_status":{}}}"#, self.status)
        } else {
            format!(r#"{{"errors":[{errors}]}}"#)
        }
    }
}

/// The 401 `message` (gitlab-facts §4) in the chosen wording, with `help_base` (e.g.
/// `https://gitlab.com`) in its URLs.
pub fn access_denied_message(wording: AccessDeniedWording, help_base: &str) -> String {
    let base = help_base.trim_end_matches('/');
    match wording {
        AccessDeniedWording::Current => format!(
            "HTTP Basic: Access denied. If a password was provided for Git authentication, the password was \
             incorrect or you're required to use a token instead of a password. If a token was provided, it was \
             either incorrect, expired, or improperly scoped. See {base}/help/user/profile/account/\
             two_factor_authentication_troubleshooting.md#error-http-basic-access-denied-if-a-password-was-provided-\
             for-git-authentication-"
        ),
        AccessDeniedWording::V2023 => format!(
            "HTTP Basic: Access denied. The provided password or token is incorrect or your account has 2FA enabled \
             and you must use a personal access token instead of a password. See \
             {base}/help/user/profile/account/two_factor_authentication#troubleshooting"
        ),
        AccessDeniedWording::V2019 => format!(
            "HTTP Basic: Access denied\nYou must use a personal access token with 'api' scope for Git over HTTP.\n\
             You can generate one at {base}/profile/personal_access_tokens"
        ),
    }
}

/// The 401 body: `{"errors":[{"code":"UNAUTHORIZED","message":"HTTP Basic: Access denied. ..."}]}`
/// (no `http_status`: `render_access_denied` builds its own hash).
pub fn access_denied_body(settings: &GitlabSettings) -> String {
    let message = access_denied_message(settings.access_denied_wording, &settings.help_base_url);
    format!(r#"{{"errors":[{{"code":"UNAUTHORIZED","message":{}}}]}}"#, json_str(&message))
}

/// One granted entry of the JWT's `access` claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantedAccess {
    /// `repository` or `registry` (`registry:catalog:*`).
    pub resource_type: String,
    /// The repository path as requested, lower case (or `catalog`).
    pub name: String,
    /// The authorized subset of the requested actions, in request order.
    pub actions: Vec<String>,
    /// `meta` (`project_path`, `project_id`, `root_namespace_id`) for repositories.
    pub project: Option<ProjectMeta>,
}

/// `meta` of a repository access entry (gitlab-facts §5). GitLab also sends
/// `tag_deny_access_patterns`; its shape is not in the facts, so it is left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectMeta {
    pub project_path: String,
    pub project_id: u64,
    pub root_namespace_id: Option<u64>,
}

/// What `/jwt/auth` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwtAuthDecision {
    /// 401 with [`access_denied_body`].
    AccessDenied,
    /// 404 with an empty body (unknown `service`).
    UnknownService,
    /// 403/404 with [`JwtAuthError::body`].
    Error(JwtAuthError),
    /// 200 `{"token":"<JWT>"}`; `access` may be empty.
    Issue { identity: Identity, access: Vec<GrantedAccess> },
}

/// One requested scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestedScope {
    pub resource_type: String,
    pub name: String,
    pub actions: Vec<String>,
}

/// Parses the `scope` parameters: every value is also split on spaces (docker sends several
/// scopes in one parameter, gitlab-facts §2); each scope is `type:name:actions`, actions split on
/// `,`. Malformed scopes are dropped.
pub fn parse_scopes(values: &[impl AsRef<str>]) -> Vec<RequestedScope> {
    let mut out = Vec::new();
    for value in values {
        for one in value.as_ref().split(' ').filter(|s| !s.is_empty()) {
            let mut parts = one.splitn(3, ':');
            let (Some(t), Some(name), Some(actions)) = (parts.next(), parts.next(), parts.next()) else { continue };
            out.push(RequestedScope {
                resource_type: t.to_owned(),
                name: name.to_owned(),
                actions: actions.split(',').filter(|a| !a.is_empty()).map(str::to_owned).collect(),
            });
        }
    }
    out
}

/// `ContainerRegistry::Path#repository_project` (gitlab-facts §1): the path is lower-cased, a
/// one-component path is invalid, and the project is the longest of the first 3 prefixes that
/// is a project. Returns the project and the image path below it (`""` for the project's own
/// image).
pub fn project_for_path<'w>(world: &'w GitlabWorld, path: &str) -> Option<(&'w GitlabProject, String)> {
    let path = path.to_ascii_lowercase();
    let components: Vec<&str> = path.split('/').collect();
    if components.len() < 2 || components.iter().any(|c| c.is_empty()) {
        return None;
    }
    (1..=components.len().min(3)).rev().find_map(|n| {
        let candidate = components[..n].join("/");
        world.project(&candidate).map(|p| (p, components[n..].join("/")))
    })
}

/// Whether `identity` may do `action` (`pull`, `push`, `delete`, `*`) on `project`
/// (`can_access?`; gitlab-facts §3.1, §9, §10).
pub fn can_access(world: &GitlabWorld, identity: &Identity, project: &GitlabProject, action: &str) -> bool {
    if project.container_registry_access_level == RegistryAccessLevel::Disabled {
        return false;
    }
    let s = &world.settings;
    match (&identity.actor, action) {
        (Actor::Anonymous, "pull") => identity.can(Ability::ReadContainerImage) && anonymous_can_read(project),
        (Actor::Anonymous, _) => false,
        (Actor::User { username, .. }, _) => {
            let admin = world.user(username).is_some_and(|u| u.admin);
            let level = world.access_level(username, project);
            match action {
                "pull" => {
                    identity.can(Ability::ReadContainerImage) && (admin || user_can_read(world, username, project))
                }
                "push" => identity.can(Ability::CreateContainerImage) && (admin || level >= Some(s.push_min_access)),
                // UNCONFIRMED: the role needed for `delete`/`*` (see delete_min_access).
                "delete" | "*" => {
                    identity.can(Ability::AdminContainerImage) && (admin || level >= Some(s.delete_min_access))
                }
                _ => false,
            }
        }
        (Actor::DeployToken { .. }, _) => {
            let Some(token) = deploy_token_of(world, identity) else { return false };
            match action {
                // A deploy token reads its own project(s); a public project with an enabled
                // registry is readable by anyone (inferred from GitLab's anonymous policy:
                // UNCONFIRMED for deploy tokens).
                "pull" => {
                    identity.can(Ability::ReadContainerImage)
                        && (token.covers(&project.path) || anonymous_can_read(project))
                }
                "push" => identity.can(Ability::CreateContainerImage) && token.covers(&project.path),
                _ => false,
            }
        }
        (Actor::Job { username, project: own, .. }, _) => {
            let own = own == &project.path;
            let level = world.access_level(username, project);
            match action {
                // Own project; another one only if the pipeline user can read it and the target
                // allowlists the job's project, or (not allowlisted) the target is public or
                // internal with its registry open to everyone (gitlab-facts §10).
                "pull" => {
                    identity.can(Ability::BuildReadContainerImage)
                        && (own
                            || (user_can_read(world, username, project)
                                && (job_allowlisted(identity, project)
                                    || (project.visibility != ProjectVisibility::Private
                                        && project.container_registry_access_level == RegistryAccessLevel::Enabled))))
                }
                // "Build can push only to the project from which it originates", within the
                // pipeline user's rights (gitlab-facts §3, §10).
                "push" => identity.can(Ability::BuildCreateContainerImage) && own && level >= Some(s.push_min_access),
                "delete" | "*" => {
                    identity.can(Ability::BuildDestroyContainerImage) && own && level >= Some(s.delete_min_access)
                }
                _ => false,
            }
        }
    }
}

fn anonymous_can_read(project: &GitlabProject) -> bool {
    project.visibility == ProjectVisibility::Public
        && project.container_registry_access_level == RegistryAccessLevel::Enabled
}

/// `can?(user, :read_container_image, project)`: public → everyone, internal → every signed-in
/// user, private → members; a members-only registry → members (UNCONFIRMED for internal/public
/// projects with a members-only registry, gitlab-facts §9). Members need
/// [`GitlabSettings::pull_min_access`].
fn user_can_read(world: &GitlabWorld, username: &str, project: &GitlabProject) -> bool {
    if world.user(username).is_some_and(|u| u.admin) {
        return true;
    }
    let member = world.access_level(username, project) >= Some(world.settings.pull_min_access);
    if project.container_registry_access_level == RegistryAccessLevel::Private {
        return member;
    }
    match project.visibility {
        ProjectVisibility::Public | ProjectVisibility::Internal => true,
        ProjectVisibility::Private => member,
    }
}

fn job_allowlisted(identity: &Identity, target: &GitlabProject) -> bool {
    let Actor::Job { project: source, .. } = &identity.actor else { return false };
    target.job_token_allowlist.iter().any(|entry| is_ancestor(entry, source))
}

fn deploy_token_of<'w>(world: &'w GitlabWorld, identity: &Identity) -> Option<&'w super::world::DeployToken> {
    let Actor::DeployToken { id, .. } = &identity.actor else { return None };
    world.deploy_tokens.values().find(|t| t.id == *id)
}

/// `process_scope` for every requested scope: repositories get the authorized subset of
/// `pull`/`push`/`delete`/`*` (unknown actions and scopes without a project are dropped);
/// `registry:catalog:*` only for administrators.
pub fn grant(world: &GitlabWorld, identity: &Identity, scopes: &[RequestedScope]) -> Vec<GrantedAccess> {
    let mut out = Vec::new();
    for scope in scopes {
        match scope.resource_type.as_str() {
            "registry" => {
                let admin = match &identity.actor {
                    Actor::User { username, .. } => world.user(username).is_some_and(|u| u.admin),
                    _ => false,
                };
                if admin && scope.name == "catalog" && scope.actions.iter().any(|a| a == "*") {
                    out.push(GrantedAccess {
                        resource_type: "registry".to_owned(),
                        name: "catalog".to_owned(),
                        actions: vec!["*".to_owned()],
                        project: None,
                    });
                }
            }
            "repository" => {
                let Some((project, _image)) = project_for_path(world, &scope.name) else { continue };
                let mut actions: Vec<String> = Vec::new();
                for a in &scope.actions {
                    if matches!(a.as_str(), "pull" | "push" | "delete" | "*")
                        && !actions.contains(a)
                        && can_access(world, identity, project, a)
                    {
                        actions.push(a.clone());
                    }
                }
                if actions.is_empty() {
                    continue;
                }
                out.push(GrantedAccess {
                    resource_type: "repository".to_owned(),
                    name: scope.name.to_ascii_lowercase(),
                    actions,
                    project: Some(ProjectMeta {
                        project_path: project.path.clone(),
                        project_id: project.id,
                        root_namespace_id: world.root_namespace_id(&project.path),
                    }),
                });
            }
            _ => {}
        }
    }
    out
}

/// The whole `/jwt/auth` decision. `creds` are the Basic login and secret (`None`: no Basic
/// header); `scopes` the raw `scope` parameter values.
pub fn decide_jwt_auth(
    world: &GitlabWorld,
    service: Option<&str>,
    creds: Option<(&str, &str)>,
    scopes: &[impl AsRef<str>],
) -> JwtAuthDecision {
    let identity = match creds {
        None => Identity::anonymous(),
        Some((login, secret)) => match identify(world, login, secret) {
            Some(identity) => identity,
            None => return JwtAuthDecision::AccessDenied,
        },
    };
    if service != Some(SERVICE) {
        return JwtAuthDecision::UnknownService;
    }
    if !world.settings.registry_enabled {
        return JwtAuthDecision::Error(JwtAuthError::registry_not_enabled());
    }
    if !identity.abilities.iter().any(|a| a.is_registry()) {
        return JwtAuthDecision::Error(JwtAuthError::access_forbidden());
    }
    let access = grant(world, &identity, &parse_scopes(scopes));
    // `unless scopes.any? || current_user || deploy_token || project`: only an anonymous caller
    // with nothing granted is refused here (gitlab-facts §4).
    if access.is_empty() && identity.actor == Actor::Anonymous {
        return JwtAuthDecision::Error(JwtAuthError::access_forbidden());
    }
    if push_protected(world, &identity, &access) {
        return JwtAuthDecision::Error(JwtAuthError::protected_path());
    }
    JwtAuthDecision::Issue { identity, access }
}

/// `repository_path_push_protected?` over the granted push scopes, for users and jobs (by the
/// user's level). Deploy tokens are not checked (UNCONFIRMED).
fn push_protected(world: &GitlabWorld, identity: &Identity, access: &[GrantedAccess]) -> bool {
    let username = match &identity.actor {
        Actor::User { username, .. } | Actor::Job { username, .. } => username,
        _ => return false,
    };
    access.iter().filter(|a| a.actions.iter().any(|x| x == "push" || x == "*")).any(|a| {
        let Some((project, _)) = project_for_path(world, &a.name) else { return false };
        let level = world.access_level(username, project);
        project
            .protected_paths
            .iter()
            .any(|rule| rule.matches(&a.name) && level < Some(rule.minimum_access_level_for_push))
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    fn decide(creds: Option<(&str, &str)>, scopes: &[&str]) -> JwtAuthDecision {
        decide_jwt_auth(&standard_world(), Some(SERVICE), creds, scopes)
    }

    fn actions(creds: Option<(&str, &str)>, scope: &str) -> Vec<String> {
        match decide(creds, &[scope]) {
            JwtAuthDecision::Issue { access, .. } => access.first().map(|a| a.actions.clone()).unwrap_or_default(),
            other => panic!("{scope}: {other:?}"),
        }
    }

    #[test]
    fn decisions_in_gitlabs_order() {
        assert_eq!(decide(Some(("alice", "wrong")), &[]), JwtAuthDecision::AccessDenied);
        assert_eq!(
            decide_jwt_auth(&standard_world(), Some("other"), Some(("alice", "wrong")), &[] as &[&str]),
            JwtAuthDecision::AccessDenied,
            "Basic before service"
        );
        assert_eq!(
            decide_jwt_auth(&standard_world(), Some("other"), None, &[] as &[&str]),
            JwtAuthDecision::UnknownService
        );
        assert_eq!(decide(None, &[]), JwtAuthDecision::Error(JwtAuthError::access_forbidden()));
        assert_eq!(
            decide(Some(("alice", GLPAT_ALICE_NO_REGISTRY)), &[]),
            JwtAuthDecision::Error(JwtAuthError::access_forbidden())
        );
        let mut w = standard_world();
        w.settings.registry_enabled = false;
        assert_eq!(
            decide_jwt_auth(&w, Some(SERVICE), None, &[] as &[&str]),
            JwtAuthDecision::Error(JwtAuthError::registry_not_enabled())
        );
        assert!(
            matches!(decide(Some(("x", GLPAT_ALICE_READ)), &[]), JwtAuthDecision::Issue { access, .. } if access.is_empty())
        );
    }

    #[test]
    fn who_is_who() {
        let w = standard_world();
        let kind = |login: &str, secret: &str| identify(&w, login, secret).map(|i| i.auth_type);
        assert_eq!(kind(CI_JOB_USER, GLCBT_APP_JOB), Some(AuthType::Build));
        assert_eq!(kind("alice", GLCBT_APP_JOB), None);
        assert_eq!(kind(CI_JOB_USER, GLCBT_FINISHED_JOB), None);
        assert_eq!(kind("whoever", GLPAT_ALICE_READ), Some(AuthType::PersonalAccessToken));
        assert_eq!(kind("alice", GLPAT_REVOKED), None);
        assert_eq!(kind("alice", GLPAT_EXPIRED), None);
        assert_eq!(kind(GLDT_APP_READ_USER, GLDT_APP_READ), Some(AuthType::DeployToken));
        assert_eq!(kind("alice", GLDT_APP_READ), None);
        assert_eq!(kind("alice", ALICE_PASSWORD), Some(AuthType::GitlabOrLdap));
        assert_eq!(kind("carol", CAROL_PASSWORD), None, "2FA");
        assert_eq!(identify(&w, "gitlab+deploy-token-1", GLDT_APP_READ).unwrap().subject(), None);
    }

    #[test]
    fn abilities_and_job_rules() {
        let pat = |secret| Some(("alice", secret));
        assert_eq!(actions(pat(GLPAT_ALICE_READ_API), "repository:acme/app:pull,push"), ["pull"]);
        assert_eq!(actions(pat(GLPAT_ALICE_API), "repository:acme/app:pull,push"), ["pull", "push"]);
        assert_eq!(actions(pat(GLPAT_ALICE_WRITE_ONLY), "repository:acme/app:pull,push"), ["push"]);
        let job = |secret| Some((CI_JOB_USER, secret));
        assert_eq!(actions(job(GLCBT_APP_JOB), "repository:acme/app:pull,push"), ["pull", "push"]);
        assert!(actions(job(GLCBT_APP_JOB), "repository:acme/other:pull,push").is_empty());
        assert_eq!(actions(job(GLCBT_TOOLS_JOB), "repository:acme/app:pull,push"), ["pull"]);
        assert_eq!(actions(None, "repository:acme/public:pull,push"), ["pull"]);
        let scopes = parse_scopes(&["repository:a/b:pull repository:c/d:pull,push", "registry:catalog:*"]);
        assert_eq!(scopes.len(), 3);
        assert_eq!(scopes[1].actions, ["pull", "push"]);
    }
}
