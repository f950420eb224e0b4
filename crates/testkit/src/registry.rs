//! The fake ghcr.io: registry (`/v2/...`) and token service (`/token`) on one loopback port, in
//! ghcr.io's protocol (ghcr-facts §1.1–§1.2, real-behaviour §3).
//!
//! The access decision of `/token` is the pure function [`decide_token`] over a [`World`], so a
//! JWT-issuing token service in front of a real `docker-registry` can reuse it. This server
//! issues opaque tokens (base64 of `v1:<repos>:<n>`, NOT a JWT, like ghcr.io's anonymous tokens)
//! and remembers what each one allows in [`World::issued`].
//!
//! Behaviour that the facts mark UNCONFIRMED is switchable in [`RegistryConfig`] and noted at
//! each place with `UNCONFIRMED`.

use std::io;
use std::net::TcpListener;
use std::sync::Arc;

use crate::http::{Listener, Request, Response, base64_decode, base64_encode, json_obj, json_str};
use crate::world::{
    AuthScheme, InvalidCredentialsMode, IssuedToken, LoggedRequest, NoAccessMode, RegistryConfig, Role, ServerKind,
    SharedWorld, SsoRegistryMode, TokenKind, Visibility, World, same,
};

/// A registry error: HTTP status and one `{"code","message"}` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl RegistryError {
    pub fn new(status: u16, code: &str, message: &str) -> RegistryError {
        RegistryError { status, code: code.to_owned(), message: message.to_owned() }
    }
    /// `{"errors":[{"code":"DENIED","message":"denied"}]}`, compact as ghcr.io sends it.
    pub fn body(&self) -> String {
        format!(r#"{{"errors":[{{"code":{},"message":{}}}]}}"#, json_str(&self.code), json_str(&self.message))
    }

    /// 403 `requested access to the resource is denied`: anonymous, private or missing package.
    pub fn anonymous_denied() -> Self {
        Self::new(403, "DENIED", "requested access to the resource is denied")
    }
    /// 401 `authentication required` (the `/v2/` challenge body).
    pub fn authentication_required() -> Self {
        Self::new(401, "UNAUTHORIZED", "authentication required")
    }
    /// 401 for expired/revoked/unknown tokens.
    pub fn unauthenticated() -> Self {
        Self::new(401, "UNAUTHORIZED", "unauthenticated: User cannot be authenticated with the token provided.")
    }
    /// 403 `denied`.
    pub fn denied() -> Self {
        Self::new(403, "DENIED", "denied")
    }
    /// 403 for classic/OAuth tokens without the package scope, and fine-grained PATs.
    pub fn scopes_mismatch() -> Self {
        Self::new(403, "DENIED", "permission_denied: The token provided does not match expected scopes.")
    }
    /// 403 when the org forbids classic PATs (verbatim registry text, ghcr-facts §1.2).
    pub fn classic_pat_forbidden(org: &str) -> Self {
        Self::new(
            403,
            "DENIED",
            &format!(
                "permission_denied: `{org}` forbids access via a personal access token (classic). Please use a \
                 GitHub App, OAuth App, or a personal access token with fine-grained permissions."
            ),
        )
    }
    /// 403 `permission_denied: write_package` / `create_package`.
    pub fn permission_denied(what: &str) -> Self {
        Self::new(403, "DENIED", &format!("permission_denied: {what}"))
    }
    /// 403 `installation not allowed to {Read,Write,Create} organization package`.
    pub fn installation_not_allowed(action: &str) -> Self {
        Self::new(403, "DENIED", &format!("installation not allowed to {action} organization package"))
    }
    /// 403 `invalid token`: a bearer ghcr.io rejects on a manifest request (ghcr-facts §1.1).
    pub fn invalid_token() -> Self {
        Self::new(403, "DENIED", "invalid token")
    }
    /// 404 `manifest unknown`.
    pub fn manifest_unknown() -> Self {
        Self::new(404, "MANIFEST_UNKNOWN", "manifest unknown")
    }
    /// 429 `TOOMANYREQUESTS`.
    pub fn too_many_requests(message: &str) -> Self {
        Self::new(429, "TOOMANYREQUESTS", message)
    }
}

/// What a token grants on one repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoAccess {
    /// `owner/name`.
    pub repository: String,
    /// Granted actions (`pull`, `push`), a subset of what was asked.
    pub actions: Vec<String>,
    /// With [`NoAccessMode::ReducedToken`]: the denial `/token` did not give, to be answered by
    /// the registry when the missing action is attempted.
    pub deferred_denial: Option<RegistryError>,
}

/// The answer of `/token`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenDecision {
    /// 200 with a token for `subject` (None = anonymous) granting `access`.
    Issue {
        subject: Option<String>,
        access: Vec<RepoAccess>,
    },
    Deny(RegistryError),
}

/// One requested scope `repository:NAME:ACTIONS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeRequest {
    pub repository: String,
    pub actions: Vec<String>,
}

/// Parses `scope` parameters (each may hold several space-separated scopes). Non-repository
/// scopes (`registry:catalog:*`) are ignored.
pub fn parse_scopes(scopes: &[impl AsRef<str>]) -> Vec<ScopeRequest> {
    let mut out = Vec::new();
    for s in scopes {
        for one in s.as_ref().split(' ').filter(|x| !x.is_empty()) {
            let Some(rest) = one.strip_prefix("repository:") else { continue };
            let Some((repo, actions)) = rest.rsplit_once(':') else { continue };
            let actions: Vec<String> = actions.split(',').filter(|a| !a.is_empty()).map(str::to_owned).collect();
            out.push(ScopeRequest { repository: repo.to_owned(), actions });
        }
    }
    out
}

/// The `/token` decision, pure over the world (ghcr-facts §0, §1.1, §1.2).
///
/// `creds` are the Basic-auth user and secret (the user name is not checked, as on ghcr.io);
/// `scopes` the raw `scope` parameters. Order of checks: rate limit; anonymous; invalid token;
/// no repository scope (docker login: any valid token passes); fine-grained PAT; Actions
/// installation token; then per scope: org classic-PAT policy, SSO, OAuth App restriction,
/// classic scopes, and finally package access.
pub fn decide_token(world: &World, creds: Option<(&str, &str)>, scopes: &[impl AsRef<str>]) -> TokenDecision {
    let cfg = &world.registry;
    if cfg.rate_limited {
        return TokenDecision::Deny(RegistryError::too_many_requests(&cfg.rate_limit_message));
    }
    let wanted = parse_scopes(scopes);
    let Some((_user, secret)) = creds else { return decide_anonymous(world, &wanted) };
    let token = match world.token(secret) {
        Some(t) if t.valid => t,
        _ => {
            return TokenDecision::Deny(match cfg.invalid_credentials {
                InvalidCredentialsMode::Unauthenticated => RegistryError::unauthenticated(),
                InvalidCredentialsMode::Denied => RegistryError::denied(),
            });
        }
    };
    let subject = Some(token.login.clone());
    if wanted.is_empty() {
        // docker login asks for no repository scope: any valid GitHub credential passes
        // (ghcr-facts §5.2). UNCONFIRMED for fine-grained PATs and tokens without
        // read:packages; modelled as accepted.
        return TokenDecision::Issue { subject, access: Vec::new() };
    }
    match token.kind {
        // ghcr-facts §1.2/§1.3: fine-grained PATs get the scopes message. ghu_ (App
        // user-to-server) tokens carry no classic scopes either: UNCONFIRMED, same answer.
        TokenKind::FineGrainedPat | TokenKind::AppUser => {
            return TokenDecision::Deny(RegistryError::scopes_mismatch());
        }
        TokenKind::AppInstallation => return decide_installation(world, token, &wanted),
        TokenKind::ClassicPat | TokenKind::OAuth | TokenKind::Unknown => {}
    }
    let mut access = Vec::new();
    for scope in &wanted {
        let owner = scope.repository.split('/').next().unwrap_or_default();
        if let Some(org) = world.org(owner) {
            if org.forbids_classic_pat && token.kind == TokenKind::ClassicPat {
                return TokenDecision::Deny(RegistryError::classic_pat_forbidden(&org.login));
            }
            if org.sso_required && !token.is_sso_authorized(&org.login) {
                // UNCONFIRMED (ghcr-facts §1.2, §8): see SsoRegistryMode.
                let denial = match cfg.sso {
                    SsoRegistryMode::Unauthorized => Some(RegistryError::authentication_required()),
                    SsoRegistryMode::Denied => Some(RegistryError::denied()),
                    SsoRegistryMode::LegacySamlMessage => Some(RegistryError::new(
                        401,
                        "UNAUTHORIZED",
                        "Resource protected by organization SAML enforcement. You must grant your personal token \
                         access to this organization.",
                    )),
                    SsoRegistryMode::NotEnforced => None,
                };
                if let Some(d) = denial {
                    return TokenDecision::Deny(d);
                }
            }
            // UNCONFIRMED (ghcr-facts §2.3): off unless oauth_restriction_enforced.
            if org.oauth_app_restricted && token.kind == TokenKind::OAuth && cfg.oauth_restriction_enforced {
                return TokenDecision::Deny(RegistryError::denied());
            }
        }
        let push = scope.actions.iter().any(|a| a != "pull");
        let needed = if push { "write:packages" } else { "read:packages" };
        if !token.has_scope(needed) {
            return TokenDecision::Deny(RegistryError::scopes_mismatch());
        }
        let package = world.package_by_repository(&scope.repository);
        let mut granted = Vec::new();
        let mut denial = None;
        if push {
            let allowed = match package {
                Some(p) => world.role_of(&token.login, p) >= Some(Role::Write),
                None => world.can_create(&token.login, owner),
            };
            if allowed {
                granted = scope.actions.clone();
            } else {
                denial = Some(RegistryError::permission_denied(if package.is_some() {
                    "write_package"
                } else {
                    "create_package"
                }));
            }
        }
        if granted.is_empty() && scope.actions.iter().any(|a| a == "pull") {
            if package.is_some_and(|p| world.can_read(&token.login, p)) {
                granted.push("pull".to_owned());
            } else if denial.is_none() {
                // UNCONFIRMED (ghcr-facts §8): see NoAccessMode.
                denial = Some(match cfg.no_access {
                    NoAccessMode::DenyAtToken => RegistryError::denied(),
                    NoAccessMode::ReducedToken => RegistryError::invalid_token(),
                });
            }
        }
        match (denial, cfg.no_access) {
            (Some(d), NoAccessMode::DenyAtToken) => return TokenDecision::Deny(d),
            (d, _) => {
                access.push(RepoAccess { repository: scope.repository.clone(), actions: granted, deferred_denial: d });
            }
        }
    }
    TokenDecision::Issue { subject, access }
}

fn decide_anonymous(world: &World, wanted: &[ScopeRequest]) -> TokenDecision {
    let mut access = Vec::new();
    for scope in wanted {
        let public = world.package_by_repository(&scope.repository).is_some_and(|p| p.visibility == Visibility::Public);
        // Anonymous push, even to a public package: UNCONFIRMED, modelled as the same 403.
        if !public || scope.actions.iter().any(|a| a != "pull") {
            return TokenDecision::Deny(RegistryError::anonymous_denied());
        }
        access.push(RepoAccess {
            repository: scope.repository.clone(),
            actions: vec!["pull".to_owned()],
            deferred_denial: None,
        });
    }
    // No scope at all, anonymously: UNCONFIRMED; modelled as a token without access
    // (distribution's behaviour).
    TokenDecision::Issue { subject: None, access }
}

/// Actions `GITHUB_TOKEN` (`ghs_`): access only through "Manage Actions access" (capped by the
/// job's `packages:` permission), or creation of a new package in the workflow repo's owner.
fn decide_installation(world: &World, token: &crate::world::Token, wanted: &[ScopeRequest]) -> TokenDecision {
    let cfg = &world.registry;
    let mut access = Vec::new();
    for scope in wanted {
        let owner = scope.repository.split('/').next().unwrap_or_default();
        let org = world.org(owner);
        let package = world.package_by_repository(&scope.repository);
        let (repo, cap) = match &token.installation {
            Some(i) => (i.repository.to_ascii_lowercase(), i.packages),
            None => (String::new(), None),
        };
        let role = package.and_then(|p| p.actions_repos.get(&repo).copied()).min(cap);
        let push = scope.actions.iter().any(|a| a != "pull");
        // For user-owned packages the "organization package" texts do not apply;
        // UNCONFIRMED: modelled with the generic texts (write_package/create_package, denied).
        let denial_for = |action: &str| -> RegistryError {
            if org.is_some() {
                RegistryError::installation_not_allowed(action)
            } else {
                match action {
                    "Write" => RegistryError::permission_denied("write_package"),
                    "Create" => RegistryError::permission_denied("create_package"),
                    _ => RegistryError::denied(),
                }
            }
        };
        let mut granted = Vec::new();
        let mut denial = None;
        if push {
            match package {
                Some(_) if role >= Some(Role::Write) => granted = scope.actions.clone(),
                Some(_) => denial = Some(denial_for("Write")),
                None => {
                    let same_owner = repo.split('/').next().is_some_and(|o| same(o, owner));
                    let may_create =
                        cap >= Some(Role::Write) && same_owner && org.is_none_or(|o| o.actions_can_create_packages);
                    if may_create {
                        granted = scope.actions.clone();
                    } else {
                        denial = Some(denial_for("Create"));
                    }
                }
            }
        }
        if granted.is_empty() && scope.actions.iter().any(|a| a == "pull") {
            let readable = package.is_some_and(|p| p.visibility == Visibility::Public || role >= Some(Role::Read));
            if readable {
                granted.push("pull".to_owned());
            } else if denial.is_none() {
                denial = Some(denial_for("Read"));
            }
        }
        match (denial, cfg.no_access) {
            (Some(d), NoAccessMode::DenyAtToken) => return TokenDecision::Deny(d),
            (d, _) => {
                access.push(RepoAccess { repository: scope.repository.clone(), actions: granted, deferred_denial: d });
            }
        }
    }
    TokenDecision::Issue { subject: Some(token.login.clone()), access }
}

/// Registers an issued token in the world and returns its opaque value (base64 of
/// `v1:<repositories>:<counter>`, shaped like ghcr.io's anonymous tokens; not a JWT).
pub fn issue_token(world: &mut World, subject: Option<String>, access: Vec<RepoAccess>) -> String {
    let n = world.next_counter();
    let repos: Vec<&str> = access.iter().map(|a| a.repository.as_str()).collect();
    let raw = format!("v1:{}:{:019}", repos.join(","), 1_665_880_120_352_967_284u64 + n);
    let token = base64_encode(raw.as_bytes());
    world.issued.insert(token.clone(), IssuedToken { subject, access });
    token
}

/// The fake ghcr.io. Stops on drop.
pub struct RegistryServer {
    base_url: String,
    port: u16,
    world: SharedWorld,
    _listener: Listener,
}

impl RegistryServer {
    /// Starts on `127.0.0.1:0`.
    pub fn start(world: SharedWorld) -> io::Result<RegistryServer> {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let port = tcp.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}/");
        let w = world.clone();
        let base = base_url.clone();
        let listener = Listener::tcp(tcp, Arc::new(move |req: &Request| handle(&w, &base, req)))?;
        Ok(RegistryServer { base_url, port, world, _listener: listener })
    }
    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// `127.0.0.1:PORT`, the registry host as docker would write it.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    /// The realm advertised in challenges (configured realm or `<base>token`).
    pub fn realm(&self) -> String {
        realm(&self.world.lock().registry, &self.base_url)
    }
    pub fn world(&self) -> &SharedWorld {
        &self.world
    }
}

fn realm(cfg: &RegistryConfig, base: &str) -> String {
    cfg.realm.clone().unwrap_or_else(|| format!("{base}token"))
}

impl LoggedRequest {
    /// The log entry for `req` as `server` saw it (the auth scheme, never the secret).
    pub(crate) fn of(server: ServerKind, req: &Request) -> LoggedRequest {
        LoggedRequest {
            server,
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.raw_query.clone(),
            auth: auth_scheme(req),
            host: req.header("host").map(str::to_owned),
            via_unix_socket: req.via_unix,
        }
    }
}

pub(crate) fn auth_scheme(req: &Request) -> AuthScheme {
    let Some(v) = req.header("authorization") else { return AuthScheme::None };
    let (scheme, rest) = v.split_once(' ').unwrap_or((v, ""));
    match scheme.to_ascii_lowercase().as_str() {
        "token" => AuthScheme::Token,
        "bearer" => AuthScheme::Bearer,
        "basic" => {
            let user = base64_decode(rest)
                .map(|b| String::from_utf8_lossy(&b).split(':').next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            AuthScheme::Basic { user }
        }
        other => AuthScheme::Other(other.to_owned()),
    }
}

pub(crate) fn basic_creds(req: &Request) -> Option<(String, String)> {
    let v = req.header("authorization")?;
    let (scheme, rest) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = String::from_utf8(base64_decode(rest)?).ok()?;
    let (u, p) = raw.split_once(':')?;
    Some((u.to_owned(), p.to_owned()))
}

pub(crate) fn bearer(req: &Request) -> Option<&str> {
    let v = req.header("authorization")?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

fn handle(shared: &SharedWorld, base: &str, req: &Request) -> Response {
    let (cfg, request_id) = {
        let mut w = shared.lock();
        w.log.push(LoggedRequest::of(ServerKind::Registry, req));
        let n = w.next_counter();
        (w.registry.clone(), format!("{:04X}:{:05X}:{:07X}:{:07X}:{:08X}", n % 0xFFFF, n * 7, n * 31, n * 131, n))
    };
    if !cfg.latency.is_zero() {
        std::thread::sleep(cfg.latency);
    }
    let realm = realm(&cfg, base);
    let answer = route(shared, &cfg, &realm, req);
    answer.header("x-github-request-id", request_id)
}

pub(crate) fn error_response(e: &RegistryError) -> Response {
    Response::new(e.status)
        .header("content-type", "application/json")
        .header("docker-distribution-api-version", "registry/2.0")
        // ghcr.io's bodies end in a newline (Go's JSON encoder): 73 bytes for the /v2/ challenge.
        .body(e.body() + "\n")
}

pub(crate) fn challenge(cfg: &RegistryConfig, realm: &str, scope: &str) -> Response {
    error_response(&RegistryError::authentication_required())
        .header("www-authenticate", format!(r#"Bearer realm="{realm}",service="{}",scope="{scope}""#, cfg.service))
}

fn route(shared: &SharedWorld, cfg: &RegistryConfig, realm: &str, req: &Request) -> Response {
    if let Some(status) = cfg.force_status {
        return error_response(&RegistryError::new(status, "UNKNOWN", "forced error"));
    }
    if cfg.not_a_registry {
        // UNCONFIRMED (ghcr-facts §6.3): a web server's 404 page, no registry headers.
        return Response::new(404)
            .header("content-type", "text/html; charset=utf-8")
            .body("<!DOCTYPE html><title>Page not found</title>");
    }
    let path = req.path.as_str();
    if path == "/token" {
        return token_endpoint(shared, cfg, realm, req);
    }
    if cfg.rate_limited {
        return error_response(&RegistryError::too_many_requests(&cfg.rate_limit_message));
    }
    if path == "/" {
        return Response::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body("<!DOCTYPE html><title>GitHub Packages</title>");
    }
    let Some(rest) = path.strip_prefix("/v2/") else {
        return Response::new(404).header("content-type", "text/plain").body("404 page not found\n");
    };
    let issued = bearer(req).and_then(|t| shared.lock().issued.get(t).cloned());
    if rest.is_empty() {
        return match issued {
            Some(_) => Response::new(200)
                .header("content-type", "application/json")
                .header("docker-distribution-api-version", "registry/2.0")
                .body("{}"),
            None => challenge(cfg, realm, "repository:user/image:pull"),
        };
    }
    if let Some((name, reference)) = rest.rsplit_once("/manifests/") {
        if req.method != "GET" && req.method != "HEAD" {
            return error_response(&RegistryError::new(405, "UNSUPPORTED", "The operation is unsupported."));
        }
        let Some(issued) = issued else { return challenge(cfg, realm, &format!("repository:{name}:pull")) };
        let grant = issued.access.iter().find(|a| a.repository == name);
        if !grant.is_some_and(|g| g.actions.iter().any(|a| a == "pull")) {
            // Reduced token: the manifest request is where ghcr.io says "invalid token" (ghcr-facts §1.1);
            // for Actions tokens the installation text is kept.
            let e = grant
                .and_then(|g| g.deferred_denial.clone())
                .filter(|d| d.message.starts_with("installation"))
                .unwrap_or_else(RegistryError::invalid_token);
            return error_response(&e);
        }
        let digest = {
            let w = shared.lock();
            w.package_by_repository(name).and_then(|p| {
                if reference.starts_with("sha256:") {
                    p.tags.values().find(|d| *d == reference).cloned()
                } else {
                    p.tags.get(reference).cloned()
                }
            })
        };
        return match digest {
            Some(digest) => {
                let body =
                    r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
                Response::new(200)
                    .header("content-type", "application/vnd.oci.image.index.v1+json")
                    .header("docker-content-digest", digest)
                    .header("docker-distribution-api-version", "registry/2.0")
                    .body(body)
            }
            None => error_response(&RegistryError::manifest_unknown()),
        };
    }
    if let Some(name) = rest.strip_suffix("/blobs/uploads/").or_else(|| rest.strip_suffix("/blobs/uploads")) {
        if req.method != "POST" {
            return error_response(&RegistryError::new(405, "UNSUPPORTED", "The operation is unsupported."));
        }
        let Some(issued) = issued else { return challenge(cfg, realm, &format!("repository:{name}:pull,push")) };
        let grant = issued.access.iter().find(|a| a.repository == name);
        if !grant.is_some_and(|g| g.actions.iter().any(|a| a == "push")) {
            let e = grant.and_then(|g| g.deferred_denial.clone()).unwrap_or_else(RegistryError::invalid_token);
            return error_response(&e);
        }
        let uuid = format!("{:08x}-0000-4000-8000-{:012x}", shared.lock().next_counter(), 0xfa4e);
        return Response::new(202)
            .header("docker-distribution-api-version", "registry/2.0")
            .header("docker-upload-uuid", uuid.clone())
            .header("location", format!("/v2/{name}/blobs/uploads/{uuid}"))
            .header("range", "0-0");
    }
    error_response(&RegistryError::new(404, "NOT_FOUND", "not found (unsupported by the ghcr-doctor fake)"))
}

fn token_endpoint(shared: &SharedWorld, cfg: &RegistryConfig, realm: &str, req: &Request) -> Response {
    // ghcr-facts §1.1: a Bearer PAT on /token gets the 401 challenge, not a token.
    if bearer(req).is_some() {
        return challenge(cfg, realm, "repository:user/image:pull");
    }
    let creds = basic_creds(req);
    let scopes = req.query_all("scope");
    let mut w = shared.lock();
    let decision = decide_token(&w, creds.as_ref().map(|(u, p)| (u.as_str(), p.as_str())), &scopes);
    match decision {
        TokenDecision::Issue { subject, access } => {
            let token = issue_token(&mut w, subject, access);
            Response::new(200).header("content-type", "application/json").body(json_obj(&[("token", json_str(&token))]))
        }
        TokenDecision::Deny(e) => error_response(&e),
    }
}
