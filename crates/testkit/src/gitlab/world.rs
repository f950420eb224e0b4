//! [`GitlabWorld`]: the state of the fake GitLab (users, access/deploy/job/OAuth tokens, groups,
//! projects with their registry repositories, instance settings, failure modes, request log),
//! and [`SharedGitlabWorld`], the handle the running servers and the test share.
//!
//! Every fake server reads the world on each request, so a test may change it while they run
//! (`world.edit(|w| ...)`). Secrets are the keys of the token maps, wrapped in [`SecretKey`]
//! whose `Debug` is masked (`glpat-****`): printing the world never shows a token or password.
//!
//! Facts: gitlab-facts §3 (who is who), §5 (token lifetime), §7 (token kinds, scopes, prefixes),
//! §9 (projects), §10 (CI job tokens and the allowlist).

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::world::AuthScheme;

/// `service=` of GitLab's registry (gitlab-facts §2; `SERVICES` in jwt_controller.rb).
pub const SERVICE: &str = "container_registry";
/// The login a CI job token must be sent with (`CI_JOB_USER`, gitlab-facts §3, §10).
pub const CI_JOB_USER: &str = "gitlab-ci-token";
/// The JWT issuer of GitLab's sample registry config (gitlab-facts §5; Linux-package installs use
/// `omnibus-gitlab-issuer`, GitLab.com's value is UNCONFIRMED).
pub const DEFAULT_ISSUER: &str = "gitlab-issuer";

/// A secret used as a map key. `Debug`/`Display` show only the kind prefix ([`mask`]); lookups
/// take a `&str` (`map.get(secret)`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn new(secret: &str) -> SecretKey {
        SecretKey(secret.to_owned())
    }
    /// The secret itself (for writing it to a docker stdin or a config file, never to a log).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SecretKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(&self.0))
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(&self.0))
    }
}

/// Token prefixes GitLab documents (gitlab-facts §7, "Token prefixes").
pub const TOKEN_PREFIXES: &[&str] = &[
    "glpat-", "gloas-", "gldt-", "glrtr-", "glrt-", "glcbt-", "glptt-", "glft-", "glimt-", "glagent-", "glwt-",
    "glsoat-", "glffct-",
];

/// The masked form of a secret for messages: its documented prefix plus `****` (`glpat-****`,
/// `gldt-****`, `glcbt-****`), or `****` when it has none (legacy PATs, passwords).
pub fn mask(secret: &str) -> String {
    match TOKEN_PREFIXES.iter().find(|p| secret.starts_with(**p)) {
        Some(p) => format!("{p}****"),
        None => "****".to_owned(),
    }
}

/// Whether a secret looks like a token, so GitLab never tries it as a password
/// (`Authn::AgnosticTokenIdentifier.token?`, gitlab-facts §3). Modelled as "starts with a
/// documented prefix"; whether a legacy 20-character PAT also counts is UNCONFIRMED (it does not
/// matter for the answers: PATs are looked up before the password).
pub fn looks_like_token(secret: &str) -> bool {
    TOKEN_PREFIXES.iter().any(|p| secret.starts_with(p))
}

/// A project or group member's role (GitLab's access levels 10/20/30/40).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessLevel {
    Guest = 10,
    Reporter = 20,
    Developer = 30,
    Maintainer = 40,
}

impl AccessLevel {
    pub fn value(self) -> u32 {
        self as u32
    }
}

/// `visibility` of a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectVisibility {
    Public,
    Internal,
    Private,
}

impl ProjectVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectVisibility::Public => "public",
            ProjectVisibility::Internal => "internal",
            ProjectVisibility::Private => "private",
        }
    }
}

/// `container_registry_access_level` of a project (gitlab-facts §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryAccessLevel {
    /// Everyone who can see the project.
    Enabled,
    /// Project members only.
    Private,
    /// No registry: every scope on the project is dropped.
    Disabled,
}

impl RegistryAccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistryAccessLevel::Enabled => "enabled",
            RegistryAccessLevel::Private => "private",
            RegistryAccessLevel::Disabled => "disabled",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitlabUser {
    pub username: String,
    pub id: u64,
    pub name: String,
    /// The account password (for `docker login -u USER` with a password). Masked in `Debug`.
    pub password: Option<SecretKey>,
    /// `two_factor_enabled` in `/user`; a correct password is then refused like a wrong one
    /// (gitlab-facts §3).
    pub two_factor_enabled: bool,
    /// Instance administrator (`registry:catalog:*`, reads and pushes everywhere).
    pub admin: bool,
    /// Bot user of a project or group access token (`bot` in `/user`).
    pub bot: bool,
}

impl GitlabUser {
    pub fn new(username: &str) -> GitlabUser {
        GitlabUser {
            username: username.to_owned(),
            id: 0,
            name: username.to_owned(),
            password: None,
            two_factor_enabled: false,
            admin: false,
            bot: false,
        }
    }
    pub fn password(mut self, password: &str) -> GitlabUser {
        self.password = Some(SecretKey::new(password));
        self
    }
    pub fn two_factor(mut self) -> GitlabUser {
        self.two_factor_enabled = true;
        self
    }
    pub fn admin(mut self) -> GitlabUser {
        self.admin = true;
        self
    }
}

/// Which kind of access token (all `glpat-`, all PATs of a (bot) user; gitlab-facts §7, §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessTokenKind {
    Personal,
    Project,
    Group,
}

/// A personal, project or group access token. The secret is its key in
/// [`GitlabWorld::access_tokens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    pub id: u64,
    pub kind: AccessTokenKind,
    pub name: String,
    pub description: String,
    /// The owner (for project/group tokens: the bot user).
    pub username: String,
    /// PAT scopes (gitlab-facts §7): `api`, `read_api`, `read_registry`, `write_registry`,
    /// `read_repository`, `write_repository`, `read_user`, ...
    pub scopes: Vec<String>,
    pub revoked: bool,
    /// `YYYY-MM-DD`; the token is expired from midnight UTC of that day (gitlab-facts §7).
    pub expires_at: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl AccessToken {
    /// An active personal access token of `username` with `scopes` (comma or space separated).
    pub fn personal(username: &str, scopes: &str) -> AccessToken {
        AccessToken {
            id: 0,
            kind: AccessTokenKind::Personal,
            name: "ghcr-doctor test token".to_owned(),
            description: String::new(),
            username: username.to_owned(),
            scopes: split_scopes(scopes),
            revoked: false,
            expires_at: Some(date_in_days(365)),
            created_at: "2025-01-15T09:00:00.000Z".to_owned(),
            last_used_at: None,
        }
    }
    pub fn revoked(mut self) -> AccessToken {
        self.revoked = true;
        self
    }
    /// Expired yesterday.
    pub fn expired(mut self) -> AccessToken {
        self.expires_at = Some(date_in_days(-1));
        self
    }
    pub fn expires_at(mut self, date: Option<&str>) -> AccessToken {
        self.expires_at = date.map(str::to_owned);
        self
    }
    pub fn named(mut self, name: &str) -> AccessToken {
        self.name = name.to_owned();
        self
    }
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
    /// Expired at midnight UTC of `expires_at` (gitlab-facts §7).
    pub fn is_expired(&self) -> bool {
        self.expires_at.as_deref().is_some_and(|d| d <= today().as_str())
    }
    /// `active` in the API: neither revoked nor expired (GitLab looks PATs up with
    /// `state: 'active'`, gitlab-facts §3).
    pub fn is_active(&self) -> bool {
        !self.revoked && !self.is_expired()
    }
}

/// A deploy token (`gldt-`), of a project or a group. The secret is its key in
/// [`GitlabWorld::deploy_tokens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployToken {
    /// `N` of the default username `gitlab+deploy-token-N`.
    pub id: u64,
    pub name: String,
    /// The Basic username it must be sent with (gitlab-facts §3).
    pub username: String,
    /// `read_repository`, `read_registry`, `write_registry`, ... (gitlab-facts §7).
    pub scopes: Vec<String>,
    /// Full path of the project it belongs to.
    pub project: Option<String>,
    /// Full path of the group it belongs to (covers the group's projects).
    pub group: Option<String>,
    pub revoked: bool,
    pub expires_at: Option<String>,
}

impl DeployToken {
    /// A project deploy token; `id` 0 gets the next id and the username `gitlab+deploy-token-N`
    /// when added to a world.
    pub fn for_project(project: &str, scopes: &str) -> DeployToken {
        DeployToken {
            id: 0,
            name: "ghcr-doctor deploy token".to_owned(),
            username: String::new(),
            scopes: split_scopes(scopes),
            project: Some(project.to_ascii_lowercase()),
            group: None,
            revoked: false,
            expires_at: None,
        }
    }
    pub fn for_group(group: &str, scopes: &str) -> DeployToken {
        DeployToken { project: None, group: Some(group.to_ascii_lowercase()), ..DeployToken::for_project("", scopes) }
    }
    /// A custom username instead of `gitlab+deploy-token-N`.
    pub fn username(mut self, username: &str) -> DeployToken {
        self.username = username.to_owned();
        self
    }
    pub fn revoked(mut self) -> DeployToken {
        self.revoked = true;
        self
    }
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
    pub fn is_active(&self) -> bool {
        !self.revoked && self.expires_at.as_deref().is_none_or(|d| d > today().as_str())
    }
    /// Whether the token belongs to `project_path` (its project, or a group above it).
    pub fn covers(&self, project_path: &str) -> bool {
        let p = project_path.to_ascii_lowercase();
        self.project.as_deref() == Some(p.as_str()) || self.group.as_deref().is_some_and(|g| is_ancestor(g, &p))
    }
}

/// A CI job token (`glcbt-`, `CI_JOB_TOKEN` = `CI_REGISTRY_PASSWORD`). The secret is its key in
/// [`GitlabWorld::job_tokens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobToken {
    pub job_id: u64,
    /// Full path of the project the job runs in.
    pub project: String,
    /// The pipeline user, whose rights limit the token (gitlab-facts §3).
    pub username: String,
    /// Valid only while the job runs (gitlab-facts §3, §10).
    pub running: bool,
}

impl JobToken {
    pub fn running(project: &str, username: &str) -> JobToken {
        JobToken { job_id: 0, project: project.to_ascii_lowercase(), username: username.to_owned(), running: true }
    }
    pub fn finished(mut self) -> JobToken {
        self.running = false;
        self
    }
}

/// An OAuth access token (e.g. from `glab auth login`'s web flow; no `gl` prefix, gitlab-facts
/// §7 UNCONFIRMED). Only the REST API knows it: `/personal_access_tokens/self` answers 400 for it
/// (gitlab-facts §8). At `/jwt/auth` it is not accepted: the facts name the OAuth step of the
/// identification order but not its rule (UNCONFIRMED).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OauthToken {
    pub username: String,
    pub scopes: Vec<String>,
}

impl OauthToken {
    pub fn new(username: &str, scopes: &str) -> OauthToken {
        OauthToken { username: username.to_owned(), scopes: split_scopes(scopes) }
    }
}

/// A group (namespace). Created for every parent path of a project; members inherit down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitlabGroup {
    pub path: String,
    pub id: u64,
    pub members: BTreeMap<String, AccessLevel>,
}

/// A protection rule for registry paths: pushing to a matching repository needs
/// `minimum_access_level_for_push` (else 403 `Pushing to protected repository path forbidden`,
/// gitlab-facts §4). The matching (exact path, or a prefix ending in `*`) and the level model are
/// UNCONFIRMED: only the message is documented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectedPath {
    pub pattern: String,
    pub minimum_access_level_for_push: AccessLevel,
}

impl ProtectedPath {
    pub fn matches(&self, repository: &str) -> bool {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => repository.starts_with(prefix),
            None => self.pattern == repository,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitlabProject {
    /// Full path, lower case (`group/sub/project`).
    pub path: String,
    pub id: u64,
    pub visibility: ProjectVisibility,
    pub container_registry_access_level: RegistryAccessLevel,
    /// Direct members (username, lower case → level); group members are inherited.
    pub members: BTreeMap<String, AccessLevel>,
    /// CI/CD job token allowlist: full paths of projects (or groups, 17.0+) whose job tokens may
    /// access this project (gitlab-facts §10). The project itself is always allowed.
    pub job_token_allowlist: BTreeSet<String>,
    /// Registry repositories: path below the project (`""` = the project's own image, `web` =
    /// `group/project/web`) → tag → manifest digest.
    pub repositories: BTreeMap<String, BTreeMap<String, String>>,
    pub protected_paths: Vec<ProtectedPath>,
}

impl GitlabProject {
    /// A private project with the registry enabled, no members, no repositories.
    pub fn new(path: &str) -> GitlabProject {
        GitlabProject {
            path: path.to_ascii_lowercase(),
            id: 0,
            visibility: ProjectVisibility::Private,
            container_registry_access_level: RegistryAccessLevel::Enabled,
            members: BTreeMap::new(),
            job_token_allowlist: BTreeSet::new(),
            repositories: BTreeMap::new(),
            protected_paths: Vec::new(),
        }
    }
    pub fn visibility(mut self, visibility: ProjectVisibility) -> GitlabProject {
        self.visibility = visibility;
        self
    }
    pub fn public(self) -> GitlabProject {
        self.visibility(ProjectVisibility::Public)
    }
    pub fn internal(self) -> GitlabProject {
        self.visibility(ProjectVisibility::Internal)
    }
    pub fn registry(mut self, level: RegistryAccessLevel) -> GitlabProject {
        self.container_registry_access_level = level;
        self
    }
    pub fn member(mut self, username: &str, level: AccessLevel) -> GitlabProject {
        self.members.insert(username.to_ascii_lowercase(), level);
        self
    }
    /// Allows job tokens of `project_or_group` (full path).
    pub fn allow_job_tokens_from(mut self, project_or_group: &str) -> GitlabProject {
        self.job_token_allowlist.insert(project_or_group.to_ascii_lowercase());
        self
    }
    /// A tag of the project's own image (`group/project:TAG`).
    pub fn tag(self, tag: &str, digest: &str) -> GitlabProject {
        self.image_tag("", tag, digest)
    }
    /// A tag of the image `group/project/IMAGE:TAG` (`image` may be nested, `""` = the project's
    /// own image).
    pub fn image_tag(mut self, image: &str, tag: &str, digest: &str) -> GitlabProject {
        self.repositories.entry(image.to_ascii_lowercase()).or_default().insert(tag.to_owned(), digest.to_owned());
        self
    }
    /// An image repository without tags (it exists, every tag is unknown).
    pub fn empty_image(mut self, image: &str) -> GitlabProject {
        self.repositories.entry(image.to_ascii_lowercase()).or_default();
        self
    }
    pub fn protect(mut self, pattern: &str, minimum_access_level_for_push: AccessLevel) -> GitlabProject {
        self.protected_paths
            .push(ProtectedPath { pattern: pattern.to_ascii_lowercase(), minimum_access_level_for_push });
        self
    }
    /// The project's name (last path segment).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
    /// The full registry repository name of `image` (`""` = the project path itself).
    pub fn repository_name(&self, image: &str) -> String {
        if image.is_empty() { self.path.clone() } else { format!("{}/{image}", self.path) }
    }
}

/// The `message` wording of the `/jwt/auth` 401 (gitlab-facts §4: the current one and two older
/// ones; a doctor must match all three).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AccessDeniedWording {
    /// 2025: `HTTP Basic: Access denied. If a password was provided for Git authentication, ...`
    #[default]
    Current,
    /// 2023: `HTTP Basic: Access denied. The provided password or token is incorrect or your
    /// account has 2FA enabled ...`
    V2023,
    /// ≤2019: `HTTP Basic: Access denied` + `You must use a personal access token with 'api'
    /// scope for Git over HTTP.` + `You can generate one at ...` (newline separated).
    V2019,
}

/// Instance-wide settings.
#[derive(Clone, Debug)]
pub struct GitlabSettings {
    /// The container registry is enabled on the instance (else `/jwt/auth` answers 404
    /// `registry not enabled`, gitlab-facts §4).
    pub registry_enabled: bool,
    /// `container_registry_token_expire_delay` in minutes: 5 self-managed default, 15 on
    /// GitLab.com (gitlab-facts §5).
    pub container_registry_token_expire_delay: u64,
    /// Test knob, not a GitLab setting: the JWT lifetime in seconds instead of the delay above
    /// (for the mid-push expiry case).
    pub jwt_lifetime_override: Option<Duration>,
    /// Test knob: issue JWTs as if this long ago (`iat`, `nbf` and `exp` shifted back), i.e. a
    /// token that has outlived its lifetime by the time it is used.
    pub jwt_backdate: Duration,
    /// The registry's `issuer` (`iss`).
    pub issuer: String,
    /// "Allow password authentication for Git over HTTP(S)" (gitlab-facts §3); off refuses every
    /// password with the same 401.
    pub password_authentication_for_git: bool,
    pub access_denied_wording: AccessDeniedWording,
    /// Base of the help URL in the 401 message. GitLab renders `help_page_url` of the instance;
    /// `https://gitlab.com` is the captured value (gitlab-facts §4). That self-managed instances
    /// show their own URL is inferred from the code: UNCONFIRMED.
    pub help_base_url: String,
    /// UNCONFIRMED (gitlab-facts §4): the service's error hash carries `http_status` and the
    /// controller renders the whole hash, so the 403/404 bodies probably end in
    /// `,"http_status":403}`. `true` (default, as the code reads) adds it; `false` sends only
    /// `{"errors":[...]}`.
    pub error_body_http_status: bool,
    /// Include the `user` claim (a nested JWT with `user_info`, gitlab-facts §5). The nested
    /// token's signer and any claims besides `user_info` are UNCONFIRMED; it is signed with the
    /// same key here.
    pub jwt_user_claim: bool,
    /// Minimum role to pull from a private project or a members-only registry. UNCONFIRMED
    /// (not in the facts; Reporter as in GitLab's permission table).
    pub pull_min_access: AccessLevel,
    /// Minimum role to push (gitlab-facts §0: "no Developer role" refuses a push).
    pub push_min_access: AccessLevel,
    /// Minimum role for the `delete` and `*` actions. UNCONFIRMED.
    pub delete_min_access: AccessLevel,
    /// `web_url` base in API answers; `None` = the API server's own base URL.
    pub web_url: Option<String>,
}

impl Default for GitlabSettings {
    fn default() -> Self {
        GitlabSettings {
            registry_enabled: true,
            container_registry_token_expire_delay: 5,
            jwt_lifetime_override: None,
            jwt_backdate: Duration::ZERO,
            issuer: DEFAULT_ISSUER.to_owned(),
            password_authentication_for_git: true,
            access_denied_wording: AccessDeniedWording::Current,
            help_base_url: "https://gitlab.com".to_owned(),
            error_body_http_status: true,
            jwt_user_claim: true,
            pull_min_access: AccessLevel::Reporter,
            push_min_access: AccessLevel::Developer,
            delete_min_access: AccessLevel::Maintainer,
            web_url: None,
        }
    }
}

impl GitlabSettings {
    /// GitLab.com's token lifetime (15 minutes).
    pub fn gitlab_com() -> GitlabSettings {
        GitlabSettings { container_registry_token_expire_delay: 15, ..GitlabSettings::default() }
    }
    /// `exp - iat`.
    pub fn jwt_lifetime(&self) -> Duration {
        self.jwt_lifetime_override.unwrap_or(Duration::from_secs(self.container_registry_token_expire_delay * 60))
    }
}

/// Failure injection. There is deliberately no rate limit: GitLab's registry rate limiting is not
/// documented in the facts.
#[derive(Clone, Debug, Default)]
pub struct GitlabModes {
    /// A proxy in front of GitLab drops `Authorization` on `/jwt/auth`: every login becomes an
    /// anonymous one (gitlab-facts §4, §13).
    pub strip_jwt_authorization: bool,
    /// The API (`/api/v4/...`) accepts the request and never answers (until cleared).
    pub hang_api: bool,
    /// `/jwt/auth` never answers (until cleared).
    pub hang_jwt_auth: bool,
    /// The hermetic registry never answers (until cleared).
    pub hang_registry: bool,
    /// Injected before every API and `/jwt/auth` answer.
    pub api_latency: Duration,
    /// Injected before every hermetic-registry answer.
    pub registry_latency: Duration,
    /// The hermetic registry's clock runs this many seconds ahead (JWT expiry tests).
    pub registry_clock_offset_secs: i64,
}

/// Which fake GitLab server logged a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GitlabServerKind {
    /// `/api/v4/...` (and anything else on the GitLab host but `/jwt/auth`).
    Api,
    /// `/jwt/auth` on the GitLab host.
    JwtAuth,
    /// The hermetic registry.
    Registry,
}

/// One request as a fake GitLab server saw it. Never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitlabLoggedRequest {
    pub server: GitlabServerKind,
    pub method: String,
    pub path: String,
    pub query: String,
    /// The `Authorization` scheme as GitLab saw it (after a stripping proxy).
    pub auth: AuthScheme,
    /// `PRIVATE-TOKEN` or `JOB-TOKEN` when that header was sent.
    pub token_header: Option<&'static str>,
    pub host: Option<String>,
    /// The stripping proxy removed an `Authorization` header from this request.
    pub authorization_stripped: bool,
}

/// The whole fake GitLab.
#[derive(Clone, Debug, Default)]
pub struct GitlabWorld {
    /// Username (lower case) → user.
    pub users: BTreeMap<String, GitlabUser>,
    pub access_tokens: BTreeMap<SecretKey, AccessToken>,
    pub deploy_tokens: BTreeMap<SecretKey, DeployToken>,
    pub job_tokens: BTreeMap<SecretKey, JobToken>,
    pub oauth_tokens: BTreeMap<SecretKey, OauthToken>,
    /// Full path (lower case) → group.
    pub groups: BTreeMap<String, GitlabGroup>,
    /// Full path (lower case) → project.
    pub projects: BTreeMap<String, GitlabProject>,
    pub settings: GitlabSettings,
    pub modes: GitlabModes,
    pub log: Vec<GitlabLoggedRequest>,
    next_id: u64,
    next_deploy_token: u64,
    next_job: u64,
}

impl GitlabWorld {
    pub fn new() -> GitlabWorld {
        GitlabWorld { next_id: 100, next_deploy_token: 0, next_job: 7000, ..GitlabWorld::default() }
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    // ---- builder style -------------------------------------------------------------------

    pub fn with_user(mut self, user: GitlabUser) -> GitlabWorld {
        self.add_user(user);
        self
    }
    pub fn with_access_token(mut self, secret: &str, token: AccessToken) -> GitlabWorld {
        self.add_access_token(secret, token);
        self
    }
    pub fn with_deploy_token(mut self, secret: &str, token: DeployToken) -> GitlabWorld {
        self.add_deploy_token(secret, token);
        self
    }
    pub fn with_job_token(mut self, secret: &str, token: JobToken) -> GitlabWorld {
        self.add_job_token(secret, token);
        self
    }
    pub fn with_oauth_token(mut self, secret: &str, token: OauthToken) -> GitlabWorld {
        self.add_oauth_token(secret, token);
        self
    }
    pub fn with_project(mut self, project: GitlabProject) -> GitlabWorld {
        self.add_project(project);
        self
    }
    pub fn with_group_member(mut self, group: &str, username: &str, level: AccessLevel) -> GitlabWorld {
        self.add_group_member(group, username, level);
        self
    }
    pub fn with_settings(mut self, settings: GitlabSettings) -> GitlabWorld {
        self.settings = settings;
        self
    }

    // ---- edits ----------------------------------------------------------------------------

    /// Adds or replaces a user (its id kept when replaced, else the next id).
    pub fn add_user(&mut self, mut user: GitlabUser) -> &mut GitlabUser {
        let key = user.username.to_ascii_lowercase();
        if user.id == 0 {
            user.id = match self.users.get(&key) {
                Some(old) => old.id,
                None => self.fresh_id(),
            };
        }
        self.users.insert(key.clone(), user);
        self.users.get_mut(&key).expect("just inserted")
    }
    /// Adds a user with defaults if missing.
    pub fn ensure_user(&mut self, username: &str) -> &mut GitlabUser {
        let key = username.to_ascii_lowercase();
        if !self.users.contains_key(&key) {
            self.add_user(GitlabUser::new(username));
        }
        self.users.get_mut(&key).expect("present")
    }
    /// Adds an access token (its owner is created if missing).
    pub fn add_access_token(&mut self, secret: &str, mut token: AccessToken) {
        if token.id == 0 {
            token.id = self.fresh_id();
        }
        self.ensure_user(&token.username.clone());
        self.access_tokens.insert(SecretKey::new(secret), token);
    }
    /// A project access token: a bot user `project_{id}_bot` (a fixture name, not GitLab's exact
    /// scheme) that is a member of `project` at `level`, and its `glpat-` token.
    pub fn add_project_access_token(&mut self, secret: &str, project: &str, level: AccessLevel, scopes: &str) {
        let project = project.to_ascii_lowercase();
        let id = self.project(&project).map_or(0, |p| p.id);
        let bot = format!("project_{id}_bot");
        self.ensure_user(&bot).bot = true;
        if let Some(p) = self.project_mut(&project) {
            p.members.insert(bot.clone(), level);
        }
        let mut token = AccessToken::personal(&bot, scopes);
        token.kind = AccessTokenKind::Project;
        self.add_access_token(secret, token);
    }
    /// A group access token: bot user `group_{id}_bot`, member of `group` at `level`.
    pub fn add_group_access_token(&mut self, secret: &str, group: &str, level: AccessLevel, scopes: &str) {
        let group = group.to_ascii_lowercase();
        self.ensure_group(&group);
        let id = self.groups.get(&group).map_or(0, |g| g.id);
        let bot = format!("group_{id}_bot");
        self.ensure_user(&bot).bot = true;
        self.add_group_member(&group, &bot, level);
        let mut token = AccessToken::personal(&bot, scopes);
        token.kind = AccessTokenKind::Group;
        self.add_access_token(secret, token);
    }
    /// Adds a deploy token; without an id it gets the next `N`, and without a username
    /// `gitlab+deploy-token-N`.
    pub fn add_deploy_token(&mut self, secret: &str, mut token: DeployToken) {
        if token.id == 0 {
            self.next_deploy_token += 1;
            token.id = self.next_deploy_token;
        }
        if token.username.is_empty() {
            token.username = format!("gitlab+deploy-token-{}", token.id);
        }
        self.deploy_tokens.insert(SecretKey::new(secret), token);
    }
    pub fn add_job_token(&mut self, secret: &str, mut token: JobToken) {
        if token.job_id == 0 {
            self.next_job += 1;
            token.job_id = self.next_job;
        }
        self.ensure_user(&token.username.clone());
        self.job_tokens.insert(SecretKey::new(secret), token);
    }
    pub fn add_oauth_token(&mut self, secret: &str, token: OauthToken) {
        self.ensure_user(&token.username.clone());
        self.oauth_tokens.insert(SecretKey::new(secret), token);
    }
    /// Adds or replaces a project (id kept when replaced); its parent groups are created, and
    /// its members' users too.
    pub fn add_project(&mut self, mut project: GitlabProject) {
        project.path = project.path.to_ascii_lowercase();
        let segments: Vec<&str> = project.path.split('/').collect();
        for i in 1..segments.len() {
            self.ensure_group(&segments[..i].join("/"));
        }
        if project.id == 0 {
            project.id = match self.projects.get(&project.path) {
                Some(old) => old.id,
                None => self.fresh_id(),
            };
        }
        for member in project.members.keys().cloned().collect::<Vec<_>>() {
            self.ensure_user(&member);
        }
        self.projects.insert(project.path.clone(), project);
    }
    pub fn remove_project(&mut self, path: &str) {
        self.projects.remove(&path.to_ascii_lowercase());
    }
    pub fn ensure_group(&mut self, path: &str) -> &mut GitlabGroup {
        let key = path.to_ascii_lowercase();
        if !self.groups.contains_key(&key) {
            let id = self.fresh_id();
            self.groups.insert(key.clone(), GitlabGroup { path: key.clone(), id, members: BTreeMap::new() });
        }
        self.groups.get_mut(&key).expect("present")
    }
    pub fn add_group_member(&mut self, group: &str, username: &str, level: AccessLevel) {
        self.ensure_user(username);
        self.ensure_group(group).members.insert(username.to_ascii_lowercase(), level);
    }

    pub fn user_mut(&mut self, username: &str) -> Option<&mut GitlabUser> {
        self.users.get_mut(&username.to_ascii_lowercase())
    }
    pub fn project_mut(&mut self, path: &str) -> Option<&mut GitlabProject> {
        self.projects.get_mut(&path.to_ascii_lowercase())
    }
    pub fn access_token_mut(&mut self, secret: &str) -> Option<&mut AccessToken> {
        self.access_tokens.get_mut(secret)
    }
    pub fn deploy_token_mut(&mut self, secret: &str) -> Option<&mut DeployToken> {
        self.deploy_tokens.get_mut(secret)
    }
    pub fn job_token_mut(&mut self, secret: &str) -> Option<&mut JobToken> {
        self.job_tokens.get_mut(secret)
    }

    // ---- lookups --------------------------------------------------------------------------

    pub fn user(&self, username: &str) -> Option<&GitlabUser> {
        self.users.get(&username.to_ascii_lowercase())
    }
    pub fn user_by_id(&self, id: u64) -> Option<&GitlabUser> {
        self.users.values().find(|u| u.id == id)
    }
    pub fn project(&self, path: &str) -> Option<&GitlabProject> {
        self.projects.get(&path.to_ascii_lowercase())
    }
    pub fn project_by_id(&self, id: u64) -> Option<&GitlabProject> {
        self.projects.values().find(|p| p.id == id)
    }
    /// The id of the top-level namespace of `path`.
    pub fn root_namespace_id(&self, path: &str) -> Option<u64> {
        let root = path.split('/').next()?;
        self.groups.get(&root.to_ascii_lowercase()).map(|g| g.id)
    }
    /// A member's effective level: the highest of the project's own and its groups'.
    pub fn access_level(&self, username: &str, project: &GitlabProject) -> Option<AccessLevel> {
        let user = username.to_ascii_lowercase();
        let direct = project.members.get(&user).copied();
        let inherited = self
            .groups
            .values()
            .filter(|g| is_ancestor(&g.path, &project.path))
            .filter_map(|g| g.members.get(&user).copied())
            .max();
        direct.max(inherited)
    }

    /// Requests logged so far.
    pub fn requests(&self) -> &[GitlabLoggedRequest] {
        &self.log
    }
}

/// Whether `group` is `path` itself or one of its parent paths.
pub(crate) fn is_ancestor(group: &str, path: &str) -> bool {
    path == group || path.strip_prefix(group).is_some_and(|rest| rest.starts_with('/'))
}

/// Splits `"api, read_registry"` or `"api read_registry"`.
fn split_scopes(scopes: &str) -> Vec<String> {
    scopes.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    date_in_days(0)
}

/// The UTC date `days` from today as `YYYY-MM-DD` (negative: in the past).
pub fn date_in_days(days: i64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
    let (y, m, d) = civil_from_days(now.div_euclid(86_400) + days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A [`GitlabWorld`] shared between the test and the running servers.
#[derive(Clone, Debug, Default)]
pub struct SharedGitlabWorld(Arc<Mutex<GitlabWorld>>);

impl SharedGitlabWorld {
    pub fn new(world: GitlabWorld) -> SharedGitlabWorld {
        SharedGitlabWorld(Arc::new(Mutex::new(world)))
    }
    /// Locks the world (a poisoned lock, from a panicking test thread, is recovered).
    pub fn lock(&self) -> MutexGuard<'_, GitlabWorld> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    /// Runs `f` on the locked world.
    pub fn edit<R>(&self, f: impl FnOnce(&mut GitlabWorld) -> R) -> R {
        f(&mut self.lock())
    }
    /// A copy of the request log.
    pub fn log(&self) -> Vec<GitlabLoggedRequest> {
        self.lock().log.clone()
    }
    pub fn clear_log(&self) {
        self.lock().log.clear();
    }
}

impl From<GitlabWorld> for SharedGitlabWorld {
    fn from(world: GitlabWorld) -> Self {
        SharedGitlabWorld::new(world)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_only_the_prefix() {
        assert_eq!(mask("glpat-abcdefghijklmnopqrst"), "glpat-****");
        assert_eq!(mask("gldt-xyz"), "gldt-****");
        assert_eq!(mask("glcbt-64_abc"), "glcbt-****");
        assert_eq!(mask("abcdefghijklmnopqrst"), "****");
        assert_eq!(format!("{:?}", SecretKey::new("glpat-secret")), "glpat-****");
        assert!(looks_like_token("glpat-x") && looks_like_token("glrtr-x") && !looks_like_token("hunter2"));
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_088), (2024, 12, 31));
        assert!(date_in_days(-1) < today() && today() < date_in_days(1));
        assert!(AccessToken::personal("a", "api").expired().is_expired());
        assert!(!AccessToken::personal("a", "api").is_expired());
        assert!(AccessToken::personal("a", "api").expires_at(Some(&today())).is_expired(), "midnight UTC");
    }

    #[test]
    fn groups_and_levels() {
        let w = GitlabWorld::new()
            .with_project(GitlabProject::new("Acme/Sub/App").member("dev", AccessLevel::Developer))
            .with_group_member("acme", "lead", AccessLevel::Maintainer)
            .with_group_member("acme/sub", "dev", AccessLevel::Reporter)
            .with_deploy_token("gldt-x", DeployToken::for_group("acme", "read_registry"));
        let p = w.project("acme/sub/app").unwrap();
        assert_eq!(w.access_level("dev", p), Some(AccessLevel::Developer));
        assert_eq!(w.access_level("LEAD", p), Some(AccessLevel::Maintainer));
        assert_eq!(w.access_level("other", p), None);
        assert!(w.groups.contains_key("acme/sub"));
        assert_eq!(w.root_namespace_id("acme/sub/app"), Some(w.groups["acme"].id));
        let d = &w.deploy_tokens["gldt-x"];
        assert_eq!(d.username, "gitlab+deploy-token-1");
        assert!(d.covers("acme/sub/app") && !d.covers("acmeco/app"));
        assert!(!format!("{w:?}").contains("gldt-x"), "secrets are masked in Debug");
    }
}
