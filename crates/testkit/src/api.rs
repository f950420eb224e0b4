//! The fake GitHub REST API (and a minimal GraphQL `viewer`), over TCP and optionally a unix
//! socket for the real gh's `http_unix_socket` (real-behaviour §1.7.3: gh then sends plain HTTP
//! with the original `Host:` and paths; enterprise paths carry `/api/v3`, which is stripped, and
//! GraphQL arrives at `/graphql` or `/api/graphql`).
//!
//! Status codes, headers and bodies follow ghcr-facts §2. Where the facts have no exact text,
//! the fake answers in GitHub's documented error shape and says `UNCONFIRMED` next to it.

use std::io;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::http::{Listener, Request, Response, json_obj, json_str, percent_decode, percent_encode};
use crate::world::{
    ApiConfig, InstallationUserMode, LoggedRequest, MemberState, Org, OrgRole, Package, ServerKind, SharedWorld, Token,
    TokenKind, World,
};

/// The `documentation_url` GitHub uses for bad credentials and generic errors.
pub const DOCS_REST: &str = "https://docs.github.com/rest";
/// The SSO error body, verbatim from GitHub's REST authentication docs (ghcr-facts §2.2).
pub const SSO_BODY: &str = r#"{"message": "Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.", "documentation_url": "https://docs.github.com"}"#;
/// `{"message":"Bad credentials",...}` (ghcr-facts §2.1).
pub const BAD_CREDENTIALS_BODY: &str =
    r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#;

const DOC_PKG_ORG: &str = "https://docs.github.com/rest/packages/packages#get-a-package-for-an-organization";
const DOC_PKG_USER: &str = "https://docs.github.com/rest/packages/packages#get-a-package-for-a-user";
const DOC_PKG_SELF: &str = "https://docs.github.com/rest/packages/packages#get-a-package-for-the-authenticated-user";
const DOC_ORG: &str = "https://docs.github.com/rest/orgs/orgs#get-an-organization";
const DOC_MEMBERSHIP: &str =
    "https://docs.github.com/rest/orgs/members#get-an-organization-membership-for-the-authenticated-user";
const DOC_USER: &str = "https://docs.github.com/rest/users/users#get-the-authenticated-user";

/// The `message`/`documentation_url`/`status` error body GitHub's REST API sends.
pub fn api_error_body(message: &str, documentation_url: &str, status: u16) -> String {
    json_obj(&[
        ("message", json_str(message)),
        ("documentation_url", json_str(documentation_url)),
        ("status", json_str(&status.to_string())),
    ])
}

/// The OAuth App access restriction message (ghcr-facts §2.3, verbatim).
pub fn oauth_restriction_message(org: &str) -> String {
    format!(
        "Although you appear to have the correct authorization credentials, the `{org}` organization has enabled \
         OAuth App access restrictions, meaning that data access to third-parties is limited."
    )
}

/// The API variant of the classic-PAT policy message (ghcr-facts §1.2).
pub fn classic_pat_policy_message(org: &str) -> String {
    format!(
        "{org} forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a \
         personal access token with fine-grained permissions."
    )
}

/// The fake REST API. Stops (and removes its socket file) on drop.
pub struct ApiServer {
    base_url: String,
    socket: Option<PathBuf>,
    world: SharedWorld,
    _tcp: Listener,
    _unix: Option<Listener>,
}

impl ApiServer {
    /// Starts on `127.0.0.1:0`.
    pub fn start(world: SharedWorld) -> io::Result<ApiServer> {
        Self::start_inner(world, None)
    }

    /// Starts on `127.0.0.1:0` and also on the unix socket `socket` (for gh's `http_unix_socket`).
    /// An existing file at that path is replaced.
    pub fn start_with_socket(world: SharedWorld, socket: impl AsRef<Path>) -> io::Result<ApiServer> {
        Self::start_inner(world, Some(socket.as_ref().to_owned()))
    }

    fn start_inner(world: SharedWorld, socket: Option<PathBuf>) -> io::Result<ApiServer> {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let base_url = format!("http://127.0.0.1:{}/", tcp.local_addr()?.port());
        let w = world.clone();
        let handler: crate::http::Handler = Arc::new(move |req: &Request| handle(&w, req));
        let tcp_listener = Listener::tcp(tcp, handler.clone())?;
        let unix = match &socket {
            Some(p) => Some(Listener::unix(p, handler)?),
            None => None,
        };
        Ok(ApiServer { base_url, socket, world, _tcp: tcp_listener, _unix: unix })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// `http://127.0.0.1:PORT/api/v3/`: the API as an Enterprise Server serves it.
    pub fn enterprise_base_url(&self) -> String {
        format!("{}api/v3/", self.base_url)
    }
    /// The unix socket, when started with one.
    pub fn socket_path(&self) -> Option<&Path> {
        self.socket.as_deref()
    }
    pub fn world(&self) -> &SharedWorld {
        &self.world
    }
}

enum Caller {
    Anonymous,
    Invalid,
    Valid(Token),
}

/// Per-answer context: the caller and the common headers.
struct Ctx {
    caller: Caller,
    request_id: String,
}

impl Ctx {
    fn respond(&self, status: u16, body: String, accepted_scopes: Option<&str>) -> Response {
        let mut r = Response::new(status)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("X-GitHub-Media-Type", "github.v3; format=json")
            .header("X-GitHub-Request-Id", self.request_id.clone());
        if let Caller::Valid(t) = &self.caller {
            // ghcr-facts §2.1: only classic PATs and OAuth tokens carry X-OAuth-Scopes.
            if t.kind.has_scopes() {
                r = r.header("X-OAuth-Scopes", t.scopes.clone());
            }
            if let Some(a) = accepted_scopes {
                r = r.header("X-Accepted-OAuth-Scopes", a);
            }
        }
        r.body(body)
    }
    fn error(&self, status: u16, message: &str, doc: &str) -> Response {
        self.respond(status, api_error_body(message, doc, status), None)
    }
    fn not_found(&self, doc: &str) -> Response {
        self.error(404, "Not Found", doc)
    }
}

fn handle(shared: &SharedWorld, req: &Request) -> Response {
    let (cfg, request_id, caller) = {
        let mut w = shared.lock();
        w.log.push(LoggedRequest::of(ServerKind::Api, req));
        let n = w.next_counter();
        let id = format!("{:04X}:{:05X}:{:07X}:{:07X}:{:08X}", 0xC1C2 + n % 0x1000, n * 11, n * 37, n * 139, n);
        (w.api.clone(), id, caller(&w, req))
    };
    if !cfg.latency.is_zero() {
        std::thread::sleep(cfg.latency);
    }
    let ctx = Ctx { caller, request_id };
    if let Some(status) = cfg.force_status {
        return ctx.respond(status, r#"{"message":"forced error"}"#.to_owned(), None);
    }
    let w = shared.lock();
    route(&w, &cfg, &ctx, req)
}

fn caller(world: &World, req: &Request) -> Caller {
    let Some(v) = req.header("authorization") else { return Caller::Anonymous };
    let (scheme, secret) = v.split_once(' ').unwrap_or((v, ""));
    if !scheme.eq_ignore_ascii_case("token") && !scheme.eq_ignore_ascii_case("bearer") {
        return Caller::Invalid;
    }
    match world.token(secret.trim()) {
        Some(t) if t.valid => Caller::Valid(t.clone()),
        _ => Caller::Invalid,
    }
}

fn route(w: &World, cfg: &ApiConfig, ctx: &Ctx, req: &Request) -> Response {
    if let Some(prefix) = &cfg.only_under
        && !(req.path == *prefix || req.path.starts_with(&format!("{prefix}/")))
    {
        return ctx.not_found(DOCS_REST);
    }
    let mut path = req.path.as_str();
    if path == "/api/graphql" {
        path = "/graphql";
    } else if let Some(rest) = path.strip_prefix("/api/v3") {
        path = if rest.is_empty() { "/" } else { rest };
    }
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    if matches!(ctx.caller, Caller::Invalid) {
        return ctx.respond(401, BAD_CREDENTIALS_BODY.to_owned(), None);
    }
    if path == "/graphql" {
        return graphql(w, ctx, req);
    }
    if req.method != "GET" && req.method != "HEAD" {
        return ctx.not_found(DOCS_REST);
    }
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        [""] => ctx.respond(
            200,
            json_obj(&[
                ("current_user_url", json_str("https://api.github.com/user")),
                ("organization_url", json_str("https://api.github.com/orgs/{org}")),
            ]),
            Some(""),
        ),
        ["user"] => user(w, cfg, ctx),
        ["users", login] => match w.user(&percent_decode(login)) {
            Some(u) if w.org(&u.login).is_none() => ctx.respond(200, user_json(&u.login, u.id, "User"), Some("")),
            _ => match w.org(&percent_decode(login)) {
                Some(o) => ctx.respond(200, user_json(&o.login, o.id, "Organization"), Some("")),
                None => ctx.not_found("https://docs.github.com/rest/users/users#get-a-user"),
            },
        },
        ["orgs", org] => org_endpoint(w, ctx, &percent_decode(org)),
        ["user", "memberships", "orgs", org] => membership(w, cfg, ctx, &percent_decode(org)),
        ["orgs", org, "packages", "container", name] => {
            package(w, ctx, PackageRoute::Org(percent_decode(org)), &percent_decode(name))
        }
        ["users", user, "packages", "container", name] => {
            package(w, ctx, PackageRoute::User(percent_decode(user)), &percent_decode(name))
        }
        ["user", "packages", "container", name] => package(w, ctx, PackageRoute::Me, &percent_decode(name)),
        _ => ctx.not_found(DOCS_REST),
    }
}

fn user_json(login: &str, id: u64, kind: &str) -> String {
    json_obj(&[
        ("login", json_str(login)),
        ("id", id.to_string()),
        ("type", json_str(kind)),
        ("site_admin", "false".to_owned()),
    ])
}

fn user(w: &World, cfg: &ApiConfig, ctx: &Ctx) -> Response {
    let Caller::Valid(token) = &ctx.caller else {
        return ctx.error(401, "Requires authentication", DOC_USER);
    };
    if token.kind == TokenKind::AppInstallation && cfg.installation_user == InstallationUserMode::Forbidden {
        // UNCONFIRMED (not in the facts): GitHub's answer to installation tokens on /user.
        return ctx.error(403, "Resource not accessible by integration", DOC_USER);
    }
    let (login, id, name) = match w.user(&token.login) {
        Some(u) => (u.login.clone(), u.id, u.name.clone()),
        None => (token.login.clone(), 1, None),
    };
    let body = json_obj(&[
        ("login", json_str(&login)),
        ("id", id.to_string()),
        ("type", json_str("User")),
        ("site_admin", "false".to_owned()),
        ("name", name.map_or_else(|| "null".to_owned(), |n| json_str(&n))),
    ]);
    ctx.respond(200, body, Some(""))
}

fn graphql(w: &World, ctx: &Ctx, req: &Request) -> Response {
    let token = match &ctx.caller {
        Caller::Valid(t) => t,
        _ => {
            return ctx.respond(
                401,
                json_obj(&[
                    ("message", json_str("This endpoint requires you to be authenticated.")),
                    (
                        "documentation_url",
                        json_str("https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"),
                    ),
                ]),
                None,
            );
        }
    };
    let query = serde_json::from_slice::<serde_json::Value>(&req.body)
        .ok()
        .and_then(|v| v.get("query").and_then(|q| q.as_str()).map(str::to_owned))
        .unwrap_or_else(|| req.query_all("query").first().map(std::string::ToString::to_string).unwrap_or_default());
    if query.contains("viewer") {
        let login = w.user(&token.login).map_or_else(|| token.login.clone(), |u| u.login.clone());
        let body = format!(r#"{{"data":{{"viewer":{{"login":{}}}}}}}"#, json_str(&login));
        return ctx.respond(200, body, Some(""));
    }
    ctx.respond(200, r#"{"errors":[{"message":"query not supported by the ghcr-doctor fake"}]}"#.to_owned(), Some(""))
}

/// The org policies that stop a token before the org's data (SSO, OAuth App restrictions,
/// classic-PAT ban), in that order.
fn org_gate(ctx: &Ctx, org: &Org) -> Option<Response> {
    let Caller::Valid(token) = &ctx.caller else { return None };
    // Fine-grained PATs are SSO-authorized at creation; app tokens are authorized automatically.
    let sso_applies = matches!(token.kind, TokenKind::ClassicPat | TokenKind::OAuth | TokenKind::Unknown);
    if org.sso_required && sso_applies && !token.is_sso_authorized(&org.login) {
        let header = format!("required; url={}", org.sso_url(&token.login));
        return Some(ctx.respond(403, SSO_BODY.to_owned(), None).header("X-GitHub-SSO", header));
    }
    if org.oauth_app_restricted && token.kind == TokenKind::OAuth {
        // documentation_url: UNCONFIRMED (the message itself is verbatim from the facts).
        let doc = "https://docs.github.com/articles/restricting-access-to-your-organization-s-data/";
        return Some(ctx.error(403, &oauth_restriction_message(&org.login), doc));
    }
    if org.forbids_classic_pat && token.kind == TokenKind::ClassicPat {
        return Some(ctx.error(403, &classic_pat_policy_message(&org.login), DOCS_REST));
    }
    None
}

fn org_endpoint(w: &World, ctx: &Ctx, name: &str) -> Response {
    let Some(org) = w.org(name) else { return ctx.not_found(DOC_ORG) };
    if let Some(r) = org_gate(ctx, org) {
        return r;
    }
    let api = format!("https://api.github.com/orgs/{}", org.login);
    let body = json_obj(&[
        ("login", json_str(&org.login)),
        ("id", org.id.to_string()),
        ("url", json_str(&api)),
        ("html_url", json_str(&format!("https://github.com/{}", org.login))),
        ("type", json_str("Organization")),
    ]);
    ctx.respond(200, body, Some(""))
}

fn membership(w: &World, cfg: &ApiConfig, ctx: &Ctx, name: &str) -> Response {
    let Caller::Valid(token) = &ctx.caller else {
        return ctx.error(401, "Requires authentication", DOC_MEMBERSHIP);
    };
    let Some(org) = w.org(name) else { return ctx.not_found(DOC_MEMBERSHIP) };
    if let Some(r) = org_gate(ctx, org) {
        return r;
    }
    if cfg.membership_requires_read_org && token.kind.has_scopes() && !token.has_scope("read:org") {
        // UNCONFIRMED (ghcr-facts §2.5): scope and wording.
        return ctx
            .respond(
                403,
                api_error_body("You need at least read:org scope to get a membership.", DOC_MEMBERSHIP, 403),
                None,
            )
            .header("X-Accepted-OAuth-Scopes", "admin:org, read:org, repo, user, write:org");
    }
    let Some(m) = org.membership(&token.login) else { return ctx.not_found(DOC_MEMBERSHIP) };
    let user_id = w.user(&token.login).map_or(1, |u| u.id);
    let state = match m.state {
        MemberState::Active => "active",
        MemberState::Pending => "pending",
    };
    let role = match m.role {
        OrgRole::Admin => "admin",
        OrgRole::Member => "member",
        OrgRole::BillingManager => "billing_manager",
    };
    let org_url = format!("https://api.github.com/orgs/{}", org.login);
    let body = json_obj(&[
        ("url", json_str(&format!("{org_url}/memberships/{}", token.login))),
        ("state", json_str(state)),
        ("role", json_str(role)),
        ("organization_url", json_str(&org_url)),
        (
            "organization",
            json_obj(&[("login", json_str(&org.login)), ("id", org.id.to_string()), ("url", json_str(&org_url))]),
        ),
        ("user", user_json(&token.login, user_id, "User")),
    ]);
    ctx.respond(200, body, Some("admin:org, read:org, repo, user, write:org"))
}

enum PackageRoute {
    Org(String),
    User(String),
    Me,
}

fn package(w: &World, ctx: &Ctx, route: PackageRoute, name: &str) -> Response {
    let doc = match route {
        PackageRoute::Org(_) => DOC_PKG_ORG,
        PackageRoute::User(_) => DOC_PKG_USER,
        PackageRoute::Me => DOC_PKG_SELF,
    };
    let Caller::Valid(token) = &ctx.caller else { return ctx.error(401, "Requires authentication", doc) };
    let not_found = || ctx.respond(404, api_error_body("Package not found.", doc, 404), Some("read:packages"));
    let owner = match &route {
        PackageRoute::Org(o) => {
            let Some(org) = w.org(o) else { return not_found() };
            if let Some(r) = org_gate(ctx, org) {
                return r;
            }
            org.login.clone()
        }
        PackageRoute::User(u) => u.clone(),
        PackageRoute::Me => token.login.clone(),
    };
    match token.kind {
        TokenKind::ClassicPat | TokenKind::OAuth | TokenKind::Unknown => {
            if !token.has_scope("read:packages") {
                // UNCONFIRMED wording: GitHub's observed variants are "...scope to list packages."
                // and "...scope to get a package's versions."; this is the same shape.
                return ctx.respond(
                    403,
                    api_error_body("You need at least read:packages scope to get a package.", doc, 403),
                    Some("read:packages"),
                );
            }
        }
        // ghcr-facts §2.4: an App installation token gets 404 where a PAT works.
        // Fine-grained PATs / ghu_: UNCONFIRMED, modelled the same (packages lack FG support).
        TokenKind::AppInstallation | TokenKind::FineGrainedPat | TokenKind::AppUser => return not_found(),
    }
    let Some(p) = w.package(&owner, name) else { return not_found() };
    if !w.can_read(&token.login, p) {
        return not_found();
    }
    ctx.respond(200, package_json(w, p), Some("read:packages"))
}

/// The package object (fields per ghcr-facts §2.4).
pub fn package_json(w: &World, p: &Package) -> String {
    let is_org = w.org(&p.owner).is_some();
    let owner_id = if is_org { w.org(&p.owner).map(|o| o.id) } else { w.user(&p.owner).map(|u| u.id) }.unwrap_or(1);
    let (api_kind, html_kind, owner_type) =
        if is_org { ("orgs", "orgs", "Organization") } else { ("users", "users", "User") };
    let enc = percent_encode(&p.name);
    let repository = match &p.repository {
        Some(full) => {
            let short = full.rsplit('/').next().unwrap_or(full);
            let owner = full.split('/').next().unwrap_or(&p.owner);
            json_obj(&[
                ("id", (p.id + 500_000).to_string()),
                ("name", json_str(short)),
                ("full_name", json_str(full)),
                ("owner", json_obj(&[("login", json_str(owner))])),
            ])
        }
        None => "null".to_owned(),
    };
    json_obj(&[
        ("id", p.id.to_string()),
        ("name", json_str(&p.name)),
        ("package_type", json_str("container")),
        ("owner", user_json(&p.owner, owner_id, owner_type)),
        ("version_count", p.tags.len().max(1).to_string()),
        ("visibility", json_str(p.visibility.as_str())),
        ("url", json_str(&format!("https://api.github.com/{api_kind}/{}/packages/container/{enc}", p.owner))),
        ("created_at", json_str("2024-01-02T03:04:05Z")),
        ("updated_at", json_str("2024-06-07T08:09:10Z")),
        ("repository", repository),
        ("html_url", json_str(&format!("https://github.com/{html_kind}/{}/packages/container/package/{enc}", p.owner))),
    ])
}
