//! [`World`]: the state of the fake GitHub (users, tokens, orgs, packages, modes, request log).
//!
//! Both fake servers read the same world on every request through a [`SharedWorld`]
//! (`Arc<Mutex<World>>`), so a test can change it while the servers run and the next request
//! sees the change. Construction is builder style (`World::new().with_user(..)`), edits while
//! running go through [`SharedWorld::edit`] and the `*_mut` accessors.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use ghcr_doctor_checks::TokenKind;

/// A package role (GitHub's package access levels; ordered Read < Write < Admin).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Read,
    Write,
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Private,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub login: String,
    pub id: u64,
    pub name: Option<String>,
}

/// The Actions side of a `ghs_` installation token (`GITHUB_TOKEN`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installation {
    /// `owner/repo` the workflow runs in.
    pub repository: String,
    /// `permissions: packages:` of the job: `None` (no access), `Read` or `Write`.
    pub packages: Option<Role>,
}

/// One token the fake GitHub knows. The secret itself is the key in [`World::tokens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The user the token belongs to (for `ghs_`: the bot login, e.g. `github-actions[bot]`).
    pub login: String,
    /// Set from the secret's prefix by [`World::with_token`]/[`World::add_token`].
    pub kind: TokenKind,
    /// The raw `X-OAuth-Scopes` value, e.g. `"gist, read:org, repo"` (only sent for classic/OAuth).
    pub scopes: String,
    /// `false`: expired or revoked (GitHub answers as for an unknown token).
    pub valid: bool,
    /// Orgs (by login) this classic/OAuth token is SAML-SSO authorized for.
    pub sso_authorized_orgs: BTreeSet<String>,
    /// Present for Actions `GITHUB_TOKEN`-style `ghs_` tokens.
    pub installation: Option<Installation>,
}

impl Token {
    /// A valid token of `login` with no scopes; the kind is set when it is added to a world.
    pub fn new(login: &str) -> Token {
        Token {
            login: login.to_owned(),
            kind: TokenKind::Unknown,
            scopes: String::new(),
            valid: true,
            sso_authorized_orgs: BTreeSet::new(),
            installation: None,
        }
    }
    /// Sets the raw `X-OAuth-Scopes` value (`"repo, read:org, read:packages"`).
    pub fn scopes(mut self, scopes: &str) -> Token {
        self.scopes = scopes.to_owned();
        self
    }
    /// Marks the token expired/revoked.
    pub fn invalid(mut self) -> Token {
        self.valid = false;
        self
    }
    pub fn sso_authorized(mut self, org: &str) -> Token {
        self.sso_authorized_orgs.insert(org.to_ascii_lowercase());
        self
    }
    /// Makes this an Actions installation token for `repository` (`owner/repo`) with the job's
    /// `packages:` permission.
    pub fn actions(mut self, repository: &str, packages: Option<Role>) -> Token {
        self.installation = Some(Installation { repository: repository.to_owned(), packages });
        self
    }

    /// The scopes as a list.
    pub fn scope_list(&self) -> Vec<&str> {
        self.scopes.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
    }

    /// Whether the token carries `scope`, counting GitHub's implications (`write:X` implies
    /// `read:X`; `admin:X` implies both; ghcr-facts §1.4).
    pub fn has_scope(&self, scope: &str) -> bool {
        let list = self.scope_list();
        if list.contains(&scope) {
            return true;
        }
        let Some((level, what)) = scope.split_once(':') else { return false };
        let implied_by: &[&str] = match level {
            "read" => &["write", "admin"],
            "write" => &["admin"],
            _ => &[],
        };
        implied_by.iter().any(|l| list.contains(&format!("{l}:{what}").as_str()))
    }

    pub fn is_sso_authorized(&self, org: &str) -> bool {
        self.sso_authorized_orgs.contains(&org.to_ascii_lowercase())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberState {
    Active,
    Pending,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgRole {
    Admin,
    Member,
    BillingManager,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    pub state: MemberState,
    pub role: OrgRole,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    pub login: String,
    pub id: u64,
    /// SAML SSO enforced: classic/OAuth tokens need [`Token::sso_authorized`].
    pub sso_required: bool,
    /// Base of the SSO URL in `X-GitHub-SSO` (default `https://github.com`).
    pub sso_url_base: String,
    /// OAuth App access restrictions enabled (affects `gho_` tokens).
    pub oauth_app_restricted: bool,
    /// The org forbids personal access tokens (classic).
    pub forbids_classic_pat: bool,
    pub members: BTreeMap<String, Membership>,
    /// Active members may create new packages by pushing (GitHub's default).
    pub members_can_create_packages: bool,
    /// Actions tokens of this org's repositories may create new packages (the org setting
    /// "Inherit access from source repository" left on).
    pub actions_can_create_packages: bool,
}

impl Org {
    pub fn new(login: &str) -> Org {
        Org {
            login: login.to_owned(),
            id: 0,
            sso_required: false,
            sso_url_base: "https://github.com".to_owned(),
            oauth_app_restricted: false,
            forbids_classic_pat: false,
            members: BTreeMap::new(),
            members_can_create_packages: true,
            actions_can_create_packages: true,
        }
    }
    pub fn sso(mut self) -> Org {
        self.sso_required = true;
        self
    }
    pub fn oauth_restricted(mut self) -> Org {
        self.oauth_app_restricted = true;
        self
    }
    pub fn forbid_classic_pat(mut self) -> Org {
        self.forbids_classic_pat = true;
        self
    }
    pub fn member(mut self, login: &str, state: MemberState, role: OrgRole) -> Org {
        self.members.insert(login.to_ascii_lowercase(), Membership { state, role });
        self
    }
    /// Shorthand: an active plain member.
    pub fn active_member(self, login: &str) -> Org {
        self.member(login, MemberState::Active, OrgRole::Member)
    }
    pub fn membership(&self, login: &str) -> Option<Membership> {
        self.members.get(&login.to_ascii_lowercase()).copied()
    }
    /// The SSO URL GitHub puts into `X-GitHub-SSO` (deterministic per org and token owner).
    pub fn sso_url(&self, login: &str) -> String {
        let request: String = format!("{}{}", self.login, login)
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .chars()
            .take(40)
            .collect();
        format!("{}/orgs/{}/sso?authorization_request={}", self.sso_url_base, self.login, request)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// User or org login.
    pub owner: String,
    /// Package name, may be nested (`repo/app`).
    pub name: String,
    pub id: u64,
    pub visibility: Visibility,
    /// Per-user roles (people granted access in the package settings).
    pub grants: BTreeMap<String, Role>,
    /// "Manage Actions access": `owner/repo` → role for that repo's `GITHUB_TOKEN`.
    pub actions_repos: BTreeMap<String, Role>,
    /// Tag → manifest digest (`sha256:...`).
    pub tags: BTreeMap<String, String>,
    /// Linked repository (`owner/repo`), shown as `repository` in the REST answer.
    pub repository: Option<String>,
}

impl Package {
    /// A private package without grants or tags.
    pub fn new(owner: &str, name: &str) -> Package {
        Package {
            owner: owner.to_owned(),
            name: name.to_owned(),
            id: 0,
            visibility: Visibility::Private,
            grants: BTreeMap::new(),
            actions_repos: BTreeMap::new(),
            tags: BTreeMap::new(),
            repository: None,
        }
    }
    pub fn public(mut self) -> Package {
        self.visibility = Visibility::Public;
        self
    }
    pub fn private(mut self) -> Package {
        self.visibility = Visibility::Private;
        self
    }
    pub fn grant(mut self, login: &str, role: Role) -> Package {
        self.grants.insert(login.to_ascii_lowercase(), role);
        self
    }
    pub fn actions_repo(mut self, repo: &str, role: Role) -> Package {
        self.actions_repos.insert(repo.to_ascii_lowercase(), role);
        self
    }
    pub fn tag(mut self, tag: &str, digest: &str) -> Package {
        self.tags.insert(tag.to_owned(), digest.to_owned());
        self
    }
    pub fn linked_to(mut self, repo: &str) -> Package {
        self.repository = Some(repo.to_owned());
        self
    }
    /// `owner/name`, the registry repository path.
    pub fn repository_path(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

/// How `/token` answers credentials that are unknown, expired or revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InvalidCredentialsMode {
    /// 401 `UNAUTHORIZED` `unauthenticated: User cannot be authenticated with the token provided.`
    /// (ghcr-facts §1.1: expired/revoked PAT).
    #[default]
    Unauthenticated,
    /// 403 `DENIED` `denied`: the other rendering seen on ghcr.io (`denied: denied` on login and
    /// on pulls with stale stored credentials, ghcr-facts §1.2).
    Denied,
}

/// What `/token` does for valid credentials that lack access to a private (or missing) package.
///
/// UNCONFIRMED (ghcr-facts §8): whether ghcr.io refuses at `/token` or issues a reduced token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NoAccessMode {
    /// 403 `DENIED` `denied` at `/token` (matches `Error response from daemon: denied`, and the
    /// push case, which is documented to fail at `/token`).
    #[default]
    DenyAtToken,
    /// 200 with a token lacking the action; the later manifest request answers 403 `DENIED`
    /// `invalid token` (ghcr-facts §1.1, keel-hq/keel#632), and a blob upload answers the denial
    /// that `/token` would have given (crane saw `installation not allowed to Write organization
    /// package` at `POST .../blobs/uploads/`, ghcr-facts §1.2).
    ReducedToken,
}

/// How `/token` answers a classic/OAuth token not SSO-authorized for the package's org.
///
/// UNCONFIRMED (ghcr-facts §1.2, §8): no ghcr.io-specific string is known; only generic
/// `unauthorized`/`denied` were reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SsoRegistryMode {
    /// 401 `UNAUTHORIZED` `authentication required` (docker shows plain `unauthorized`, as
    /// attributed to an SSO org in cli/cli#5174).
    #[default]
    Unauthorized,
    /// 403 `DENIED` `denied`.
    Denied,
    /// 401 `UNAUTHORIZED` with the legacy docker.pkg.github.com SAML text.
    LegacySamlMessage,
    /// The registry does not enforce SSO at all.
    NotEnforced,
}

/// Settings of the fake registry and its token service.
#[derive(Clone, Debug)]
pub struct RegistryConfig {
    /// `service=` advertised in the challenge (default `ghcr.io`).
    pub service: String,
    /// `realm=` advertised in the challenge; `None` = `<registry base>/token`.
    pub realm: Option<String>,
    pub invalid_credentials: InvalidCredentialsMode,
    pub no_access: NoAccessMode,
    pub sso: SsoRegistryMode,
    /// UNCONFIRMED (ghcr-facts §2.3): whether OAuth App access restrictions reach ghcr.io.
    /// `false` (default): not enforced at the registry; `true`: 403 `DENIED` `denied` for `gho_`.
    pub oauth_restriction_enforced: bool,
    /// Answer every registry request (incl. `/token`) with 429 `TOOMANYREQUESTS`.
    pub rate_limited: bool,
    /// The 429 message (default the observed pull variant).
    pub rate_limit_message: String,
    /// Injected before every answer.
    pub latency: Duration,
    /// Answer every request with this status and a registry `UNKNOWN` error body.
    pub force_status: Option<u16>,
    /// Play a `containers.HOST` of an Enterprise Server without a Container registry (before
    /// 3.5, or GitHub Packages off): every request gets a 404 HTML page and no registry headers.
    /// UNCONFIRMED (ghcr-facts §6.3): what such a server really answers is not known.
    pub not_a_registry: bool,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig {
            service: "ghcr.io".to_owned(),
            realm: None,
            invalid_credentials: InvalidCredentialsMode::default(),
            no_access: NoAccessMode::default(),
            sso: SsoRegistryMode::default(),
            oauth_restriction_enforced: false,
            rate_limited: false,
            rate_limit_message: "retry-after: 880.092µs, allowed: 44000/minute".to_owned(),
            latency: Duration::ZERO,
            force_status: None,
            not_a_registry: false,
        }
    }
}

/// How `GET /user` answers an installation (`ghs_`) token.
///
/// UNCONFIRMED: not in the facts file. GitHub answers 403 `Resource not accessible by
/// integration` for installation tokens on `/user`; gh itself learns the bot login over GraphQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InstallationUserMode {
    #[default]
    Forbidden,
    /// 200 with the token's login (e.g. `github-actions[bot]`).
    Ok,
}

/// Settings of the fake REST API.
#[derive(Clone, Debug, Default)]
pub struct ApiConfig {
    pub installation_user: InstallationUserMode,
    /// UNCONFIRMED (ghcr-facts §2.5, §8): require `read:org` on `/user/memberships/orgs/{org}`
    /// (403 when missing). Off by default.
    pub membership_requires_read_org: bool,
    /// Injected before every answer.
    pub latency: Duration,
    /// Answer every request with this status and `{"message":"forced error"}`.
    pub force_status: Option<u16>,
    /// Serve the REST API only under this path (`/api/v3` on Enterprise Server, ghcr-facts
    /// §2.7); any other path answers 404. `None` (default): at the root and under `/api/v3`.
    pub only_under: Option<String>,
}

/// Which fake server logged a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    Api,
    Registry,
}

/// Which `Authorization` scheme a request used. Never holds a secret (Basic keeps the user name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    None,
    /// `Authorization: token X`
    Token,
    /// `Authorization: Bearer X`
    Bearer,
    /// `Authorization: Basic base64(user:secret)`
    Basic {
        user: String,
    },
    /// Another scheme, by name.
    Other(String),
}

/// One request as seen by a fake server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    pub server: ServerKind,
    pub method: String,
    /// Raw path as sent (still percent-encoded, `/api/v3` not stripped).
    pub path: String,
    /// Raw query string (without `?`).
    pub query: String,
    pub auth: AuthScheme,
    /// The `Host:` header.
    pub host: Option<String>,
    pub via_unix_socket: bool,
}

/// What one registry bearer token issued by the fake `/token` allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedToken {
    /// Login of the credentials, `None` for anonymous tokens.
    pub subject: Option<String>,
    pub access: Vec<crate::registry::RepoAccess>,
}

/// The whole fake GitHub.
#[derive(Clone, Debug, Default)]
pub struct World {
    pub users: BTreeMap<String, User>,
    /// Secret → token.
    pub tokens: BTreeMap<String, Token>,
    pub orgs: BTreeMap<String, Org>,
    pub packages: Vec<Package>,
    pub api: ApiConfig,
    pub registry: RegistryConfig,
    pub log: Vec<LoggedRequest>,
    /// Registry bearer tokens handed out by `/token`.
    pub issued: BTreeMap<String, IssuedToken>,
    next_id: u64,
    counter: u64,
}

impl World {
    pub fn new() -> World {
        World { next_id: 1000, ..World::default() }
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A monotonically increasing number (request ids, issued tokens).
    pub fn next_counter(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    // ---- builder style -------------------------------------------------------------------

    pub fn with_user(mut self, login: &str) -> World {
        self.add_user(login);
        self
    }
    pub fn with_token(mut self, secret: &str, token: Token) -> World {
        self.add_token(secret, token);
        self
    }
    pub fn with_org(mut self, org: Org) -> World {
        self.add_org(org);
        self
    }
    pub fn with_package(mut self, package: Package) -> World {
        self.add_package(package);
        self
    }

    /// This world as the GitHub at `host` serves it (ghcr-facts §2.7, §3): github.com as it is;
    /// `SUB.ghe.com` with the registry service `containers.SUB.ghe.com` and SSO URLs on the host;
    /// an Enterprise Server host likewise with `containers.HOST`, and the API only under
    /// `/api/v3`. The registry's texts stay ghcr.io's: UNCONFIRMED for the other hosts
    /// (ghcr-facts §6.3).
    pub fn served_as(mut self, host: &str) -> World {
        let Some(host) = ghcr_doctor_checks::GithubHost::parse(host) else { return self };
        if host.kind == ghcr_doctor_checks::HostKind::GithubCom {
            return self;
        }
        self.registry.service = host.registry_host();
        for org in self.orgs.values_mut() {
            org.sso_url_base = host.web_base();
        }
        if host.kind == ghcr_doctor_checks::HostKind::Enterprise {
            self.api.only_under = Some("/api/v3".to_owned());
        }
        self
    }

    // ---- edits ----------------------------------------------------------------------------

    /// Adds (or returns) a user; ids are assigned in order.
    pub fn add_user(&mut self, login: &str) -> &mut User {
        let key = login.to_ascii_lowercase();
        if !self.users.contains_key(&key) {
            let id = self.fresh_id();
            self.users.insert(key.clone(), User { login: login.to_owned(), id, name: None });
        }
        self.users.get_mut(&key).expect("just inserted")
    }
    /// Adds a token; its kind is read from the secret's prefix and its user is created.
    pub fn add_token(&mut self, secret: &str, mut token: Token) {
        token.kind = TokenKind::of(secret);
        self.add_user(&token.login.clone());
        self.tokens.insert(secret.to_owned(), token);
    }
    pub fn add_org(&mut self, mut org: Org) {
        if org.id == 0 {
            org.id = self.fresh_id();
        }
        self.orgs.insert(org.login.to_ascii_lowercase(), org);
    }
    /// Adds or replaces a package (same owner and name).
    pub fn add_package(&mut self, mut package: Package) {
        if package.id == 0 {
            package.id = self.fresh_id();
        }
        self.packages.retain(|p| !(same(&p.owner, &package.owner) && p.name == package.name));
        self.packages.push(package);
    }
    pub fn remove_package(&mut self, owner: &str, name: &str) {
        self.packages.retain(|p| !(same(&p.owner, owner) && p.name == name));
    }

    pub fn token_mut(&mut self, secret: &str) -> Option<&mut Token> {
        self.tokens.get_mut(secret)
    }
    pub fn org_mut(&mut self, login: &str) -> Option<&mut Org> {
        self.orgs.get_mut(&login.to_ascii_lowercase())
    }
    pub fn package_mut(&mut self, owner: &str, name: &str) -> Option<&mut Package> {
        self.packages.iter_mut().find(|p| same(&p.owner, owner) && p.name == name)
    }

    // ---- lookups --------------------------------------------------------------------------

    pub fn token(&self, secret: &str) -> Option<&Token> {
        self.tokens.get(secret)
    }
    pub fn user(&self, login: &str) -> Option<&User> {
        self.users.get(&login.to_ascii_lowercase())
    }
    pub fn org(&self, login: &str) -> Option<&Org> {
        self.orgs.get(&login.to_ascii_lowercase())
    }
    pub fn package(&self, owner: &str, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| same(&p.owner, owner) && p.name == name)
    }
    /// The package behind a registry repository path `owner/name` (name may be nested).
    pub fn package_by_repository(&self, repository: &str) -> Option<&Package> {
        let (owner, name) = repository.split_once('/')?;
        self.package(owner, name)
    }

    /// The role `login` has on `package` as a person: owner of a user package → Admin; active
    /// org admin → Admin; otherwise the explicit grant. Visibility is not considered.
    pub fn role_of(&self, login: &str, package: &Package) -> Option<Role> {
        if same(login, &package.owner) {
            return Some(Role::Admin);
        }
        let membership = self.org(&package.owner).and_then(|o| o.membership(login));
        if membership.is_some_and(|m| m.state == MemberState::Active && m.role == OrgRole::Admin) {
            return Some(Role::Admin);
        }
        package.grants.get(&login.to_ascii_lowercase()).copied()
    }

    /// Whether `login` can read `package` (public, or any role).
    pub fn can_read(&self, login: &str, package: &Package) -> bool {
        package.visibility == Visibility::Public || self.role_of(login, package).is_some()
    }

    /// Whether `login` may create a new package under `owner` by pushing.
    pub fn can_create(&self, login: &str, owner: &str) -> bool {
        if same(login, owner) {
            return true;
        }
        self.org(owner).is_some_and(|o| {
            o.members_can_create_packages && o.membership(login).is_some_and(|m| m.state == MemberState::Active)
        })
    }

    /// Requests logged so far.
    pub fn requests(&self) -> &[LoggedRequest] {
        &self.log
    }
}

/// GitHub logins are case-insensitive.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// A [`World`] shared between the test and the running servers.
#[derive(Clone, Debug, Default)]
pub struct SharedWorld(Arc<Mutex<World>>);

impl SharedWorld {
    pub fn new(world: World) -> SharedWorld {
        SharedWorld(Arc::new(Mutex::new(world)))
    }
    /// Locks the world (a poisoned lock, from a panicking test thread, is recovered).
    pub fn lock(&self) -> MutexGuard<'_, World> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    /// Runs `f` on the locked world.
    pub fn edit<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.lock())
    }
    /// A copy of the request log.
    pub fn log(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }
    pub fn clear_log(&self) {
        self.lock().log.clear();
    }
}

impl From<World> for SharedWorld {
    fn from(world: World) -> Self {
        SharedWorld::new(world)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_implication() {
        let t = Token::new("a").scopes("repo, write:packages");
        assert!(t.has_scope("read:packages"));
        assert!(t.has_scope("write:packages"));
        assert!(!t.has_scope("delete:packages"));
        let t = Token::new("a").scopes("gist, read:org, repo");
        assert!(!t.has_scope("read:packages"));
        assert!(t.has_scope("read:org"));
        assert!(Token::new("a").scopes("admin:org").has_scope("read:org"));
    }

    #[test]
    fn roles() {
        let w = World::new()
            .with_org(Org::new("acme").member("boss", MemberState::Active, OrgRole::Admin).active_member("dev"))
            .with_package(Package::new("acme", "app").grant("reader", Role::Read));
        let p = w.package("ACME", "app").unwrap();
        assert_eq!(w.role_of("boss", p), Some(Role::Admin));
        assert_eq!(w.role_of("dev", p), None);
        assert_eq!(w.role_of("reader", p), Some(Role::Read));
        assert!(w.can_create("dev", "acme"));
        assert!(!w.can_create("reader", "acme"));
        assert!(w.can_create("reader", "reader"));
    }
}
