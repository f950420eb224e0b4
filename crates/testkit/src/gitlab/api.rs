//! [`GitlabApiServer`]: the fake GitLab host on one loopback port — the REST API
//! (`/api/v4/...`, gitlab-facts §8, §9) and the registry token realm `/jwt/auth`
//! ([`super::jwt_auth`]). The realm is on the GitLab host, not on the registry host
//! (gitlab-facts §1, §12), so the registry's challenge names this server.
//!
//! API endpoints: `GET /api/v4/personal_access_tokens/self`, `GET /api/v4/user`,
//! `GET /api/v4/projects/:id` (numeric id or URL-encoded path). Tokens arrive as
//! `PRIVATE-TOKEN: <token>` or `Authorization: Bearer <token>` (personal, project and group
//! access tokens; OAuth tokens through Bearer only) or `JOB-TOKEN: <token>`. None of the modelled
//! endpoints is on the job-token list (gitlab-facts §8), so a `JOB-TOKEN` header is ignored
//! there (the request is anonymous) and a job token sent as a private token is unknown (401);
//! deploy tokens are unknown to the API (401 `{"message":"401 Unauthorized"}`, gitlab-facts §7,
//! §8). How GitLab renders a job token on an endpoint that does not accept it is UNCONFIRMED.
//!
//! Failure modes ([`super::GitlabModes`]): a proxy that strips `Authorization` on `/jwt/auth`,
//! hangs, latency. Every request is logged (scheme and header names, never a secret).

use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use super::jwt_auth;
use super::world::{
    AccessToken, GitlabLoggedRequest, GitlabProject, GitlabServerKind, GitlabWorld, OauthToken, ProjectVisibility,
    SharedGitlabWorld,
};
use crate::http::{Listener, Request, Response, json_obj, json_str, percent_decode};
use crate::jwt::SigningKey;
use crate::registry::auth_scheme;

/// `{"message":"401 Unauthorized"}`: no token, an unknown token, or a deploy token.
pub const UNAUTHORIZED_BODY: &str = r#"{"message":"401 Unauthorized"}"#;
/// 401 for a revoked token (api_guard.rb).
pub const REVOKED_BODY: &str =
    r#"{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}"#;
/// 401 for an expired token (api_guard.rb).
pub const EXPIRED_BODY: &str = r#"{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}"#;
/// 400 on `/personal_access_tokens/self` for a token that is not a PAT.
pub const NOT_A_PAT_BODY: &str =
    r#"{"message":"400 Bad request - This endpoint requires token type to be a personal access token"}"#;
/// 404 for an unknown or invisible project.
pub const PROJECT_NOT_FOUND_BODY: &str = r#"{"message":"404 Project Not Found"}"#;
/// 404 for a route the fake does not know. UNCONFIRMED (Grape's route-not-found body).
pub const ROUTE_NOT_FOUND_BODY: &str = r#"{"error":"404 Not Found"}"#;

/// The `scope` text of the 403 on `GET /user` (the scopes the endpoint accepts). UNCONFIRMED:
/// gitlab-facts §8 presumes `api read_api read_user`.
pub const USER_ACCEPTED_SCOPES: &str = "api read_api read_user";
/// The `scope` text of the 403 on `GET /projects/:id`. UNCONFIRMED (gitlab-facts §9).
pub const PROJECT_ACCEPTED_SCOPES: &str = "api read_api";

/// The 403 `insufficient_scope` body with the endpoint's accepted scopes (gitlab-facts §8).
pub fn insufficient_scope_body(accepted: &str) -> String {
    json_obj(&[
        ("error", json_str("insufficient_scope")),
        ("error_description", json_str("The request requires higher privileges than provided by the access token.")),
        ("scope", json_str(accepted)),
    ])
}

/// Longest a hang lasts even if the mode is never cleared.
const MAX_HANG: Duration = Duration::from_secs(600);

/// The fake GitLab host (API + `/jwt/auth`). Stops on drop.
pub struct GitlabApiServer {
    base_url: String,
    port: u16,
    world: SharedGitlabWorld,
    key: Arc<SigningKey>,
    _key_dir: tempfile::TempDir,
    _listener: Listener,
}

impl GitlabApiServer {
    /// Starts on `127.0.0.1:0` with a signing key of its own (the RSA key itself is generated
    /// once per process and shared, see [`super::signing_key_in`]).
    pub fn start(world: SharedGitlabWorld) -> io::Result<GitlabApiServer> {
        let dir = tempfile::Builder::new().prefix("ghd-gitlab-key").tempdir()?;
        let key = Arc::new(super::signing_key_in(dir.path())?);
        Self::start_inner(world, key, dir)
    }

    fn start_inner(world: SharedGitlabWorld, key: Arc<SigningKey>, dir: tempfile::TempDir) -> io::Result<Self> {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let port = tcp.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}/");
        let w = world.clone();
        let k = key.clone();
        let base = base_url.clone();
        let jti = Arc::new(AtomicU64::new(1));
        let listener = Listener::tcp(tcp, Arc::new(move |req: &Request| handle(&w, &k, &jti, &base, req)))?;
        Ok(GitlabApiServer { base_url, port, world, key, _key_dir: dir, _listener: listener })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// `http://127.0.0.1:PORT/api/v4/`
    pub fn api_url(&self) -> String {
        format!("{}api/v4/", self.base_url)
    }
    /// `http://127.0.0.1:PORT/jwt/auth`: the registry's token realm.
    pub fn jwt_realm(&self) -> String {
        format!("{}jwt/auth", self.base_url)
    }
    /// `127.0.0.1:PORT`: the GitLab host.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    /// The key registry JWTs are signed with (its certificate is the registry's
    /// `rootcertbundle`).
    pub fn signing_key(&self) -> &Arc<SigningKey> {
        &self.key
    }
    pub fn world(&self) -> &SharedGitlabWorld {
        &self.world
    }
}

/// Sleeps while `hanging` says so (re-read every 20 ms), at most [`MAX_HANG`].
pub(crate) fn hang_while(shared: &SharedGitlabWorld, hanging: impl Fn(&GitlabWorld) -> bool) {
    let start = Instant::now();
    while hanging(&shared.lock()) && start.elapsed() < MAX_HANG {
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn log_entry(server: GitlabServerKind, req: &Request, stripped: bool) -> GitlabLoggedRequest {
    let token_header = if req.header("private-token").is_some() {
        Some("PRIVATE-TOKEN")
    } else if req.header("job-token").is_some() {
        Some("JOB-TOKEN")
    } else {
        None
    };
    GitlabLoggedRequest {
        server,
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.raw_query.clone(),
        auth: auth_scheme(req),
        token_header,
        host: req.header("host").map(str::to_owned),
        authorization_stripped: stripped,
    }
}

fn handle(shared: &SharedGitlabWorld, key: &SigningKey, jti: &AtomicU64, base: &str, req: &Request) -> Response {
    let is_jwt = req.path == "/jwt/auth";
    let mut req = req.clone();
    let latency = {
        let mut w = shared.lock();
        let stripped = is_jwt && w.modes.strip_jwt_authorization && req.header("authorization").is_some();
        if stripped {
            req.headers.retain(|(k, _)| k != "authorization");
        }
        let kind = if is_jwt { GitlabServerKind::JwtAuth } else { GitlabServerKind::Api };
        w.log.push(log_entry(kind, &req, stripped));
        w.modes.api_latency
    };
    if is_jwt {
        hang_while(shared, |w| w.modes.hang_jwt_auth);
    } else {
        hang_while(shared, |w| w.modes.hang_api);
    }
    if !latency.is_zero() {
        std::thread::sleep(latency);
    }
    if is_jwt {
        if req.method != "GET" {
            // Only `get 'jwt/auth'` is routed; Rails' 404 for other methods. UNCONFIRMED body.
            return Response::new(404);
        }
        return jwt_auth::respond(shared, key, jti, &req);
    }
    let w = shared.lock();
    api(&w, base, &req)
}

/// Who called the API.
enum Caller<'w> {
    Anonymous,
    Pat(&'w AccessToken),
    Oauth(&'w OauthToken),
}

impl Caller<'_> {
    fn scopes(&self) -> &[String] {
        match self {
            Caller::Anonymous => &[],
            Caller::Pat(t) => &t.scopes,
            Caller::Oauth(t) => &t.scopes,
        }
    }
    fn username(&self) -> Option<&str> {
        match self {
            Caller::Anonymous => None,
            Caller::Pat(t) => Some(&t.username),
            Caller::Oauth(t) => Some(&t.username),
        }
    }
    fn has_any_scope(&self, accepted: &[&str]) -> bool {
        self.scopes().iter().any(|s| accepted.contains(&s.as_str()))
    }
}

fn json(status: u16, body: impl Into<Vec<u8>>) -> Response {
    Response::new(status).header("Content-Type", "application/json").body(body)
}

/// Resolves the token headers. `Err` is the 401 to send.
fn caller<'w>(w: &'w GitlabWorld, req: &Request) -> Result<Caller<'w>, Response> {
    let bearer = req.header("authorization").and_then(|v| {
        let (scheme, rest) = v.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
    });
    let (secret, via_bearer) = match (req.header("private-token"), bearer) {
        (Some(t), _) => (t.trim(), false),
        (None, Some(t)) => (t, true),
        // JOB-TOKEN is ignored: no modelled endpoint accepts job tokens.
        (None, None) => return Ok(Caller::Anonymous),
    };
    if let Some(token) = w.access_tokens.get(secret) {
        // AccessTokenValidationService: expired is checked before revoked. UNCONFIRMED order
        // for a token that is both.
        if token.is_expired() {
            return Err(json(401, EXPIRED_BODY));
        }
        if token.revoked {
            return Err(json(401, REVOKED_BODY));
        }
        if w.user(&token.username).is_none() {
            return Err(json(401, UNAUTHORIZED_BODY));
        }
        return Ok(Caller::Pat(token));
    }
    if via_bearer && let Some(token) = w.oauth_tokens.get(secret) {
        return Ok(Caller::Oauth(token));
    }
    Err(json(401, UNAUTHORIZED_BODY))
}

fn api(w: &GitlabWorld, base: &str, req: &Request) -> Response {
    let Some(rest) = req.path.strip_prefix("/api/v4/") else { return json(404, ROUTE_NOT_FOUND_BODY) };
    let rest = rest.trim_end_matches('/');
    if req.method != "GET" && req.method != "HEAD" {
        return json(404, ROUTE_NOT_FOUND_BODY);
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let known = matches!(segments.as_slice(), ["personal_access_tokens", "self"] | ["user"] | ["projects", _]);
    if !known {
        return json(404, ROUTE_NOT_FOUND_BODY);
    }
    let caller = match caller(w, req) {
        Ok(c) => c,
        Err(response) => return response,
    };
    let web = w.settings.web_url.clone().unwrap_or_else(|| base.trim_end_matches('/').to_owned());
    match segments.as_slice() {
        ["personal_access_tokens", "self"] => match caller {
            Caller::Anonymous => json(401, UNAUTHORIZED_BODY),
            // `allow_access_with_scope(all_available_scopes)`: any scope may read itself.
            Caller::Pat(t) => json(200, pat_json(w, t)),
            Caller::Oauth(_) => json(400, NOT_A_PAT_BODY),
        },
        ["user"] => {
            let Some(username) = caller.username() else { return json(401, UNAUTHORIZED_BODY) };
            if !caller.has_any_scope(&["api", "read_api", "read_user"]) {
                return json(403, insufficient_scope_body(USER_ACCEPTED_SCOPES));
            }
            match w.user(username) {
                Some(u) => json(
                    200,
                    json_obj(&[
                        ("id", u.id.to_string()),
                        ("username", json_str(&u.username)),
                        ("name", json_str(&u.name)),
                        ("state", json_str("active")),
                        ("web_url", json_str(&format!("{web}/{}", u.username))),
                        ("bot", u.bot.to_string()),
                        ("two_factor_enabled", u.two_factor_enabled.to_string()),
                    ]),
                ),
                None => json(401, UNAUTHORIZED_BODY),
            }
        }
        ["projects", id] => {
            if !matches!(caller, Caller::Anonymous) && !caller.has_any_scope(&["api", "read_api"]) {
                return json(403, insufficient_scope_body(PROJECT_ACCEPTED_SCOPES));
            }
            let project = match id.parse::<u64>() {
                Ok(n) => w.project_by_id(n),
                Err(_) => w.project(&percent_decode(id)),
            };
            match project.filter(|p| visible(w, caller.username(), p)) {
                Some(p) => json(200, project_json(p, &web)),
                None => json(404, PROJECT_NOT_FOUND_BODY),
            }
        }
        _ => json(404, ROUTE_NOT_FOUND_BODY),
    }
}

/// Project visibility for the API: public → everyone, internal → signed-in users, private →
/// members (any level) and administrators.
fn visible(w: &GitlabWorld, username: Option<&str>, p: &GitlabProject) -> bool {
    match (p.visibility, username) {
        (ProjectVisibility::Public, _) => true,
        (_, None) => false,
        (ProjectVisibility::Internal, Some(_)) => true,
        (ProjectVisibility::Private, Some(u)) => w.user(u).is_some_and(|u| u.admin) || w.access_level(u, p).is_some(),
    }
}

/// `/personal_access_tokens/self` (gitlab-facts §8, the documented field order).
fn pat_json(w: &GitlabWorld, t: &AccessToken) -> String {
    let scopes = format!("[{}]", t.scopes.iter().map(|s| json_str(s)).collect::<Vec<_>>().join(","));
    let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "null".to_owned(), json_str);
    json_obj(&[
        ("id", t.id.to_string()),
        ("name", json_str(&t.name)),
        ("revoked", t.revoked.to_string()),
        ("created_at", json_str(&t.created_at)),
        ("description", json_str(&t.description)),
        ("scopes", scopes),
        ("user_id", w.user(&t.username).map_or(0, |u| u.id).to_string()),
        ("last_used_at", opt(&t.last_used_at)),
        ("last_used_ips", "[]".to_owned()),
        ("active", t.is_active().to_string()),
        ("expires_at", opt(&t.expires_at)),
    ])
}

fn project_json(p: &GitlabProject, web: &str) -> String {
    let path = p.name();
    json_obj(&[
        ("id", p.id.to_string()),
        ("name", json_str(path)),
        ("path", json_str(path)),
        ("path_with_namespace", json_str(&p.path)),
        ("visibility", json_str(p.visibility.as_str())),
        ("web_url", json_str(&format!("{web}/{}", p.path))),
        // Deprecated boolean next to the access level (gitlab-facts §9).
        ("container_registry_enabled", (p.container_registry_access_level.as_str() != "disabled").to_string()),
        ("container_registry_access_level", json_str(p.container_registry_access_level.as_str())),
    ])
}
