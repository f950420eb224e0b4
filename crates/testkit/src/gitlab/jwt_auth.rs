//! `GET /jwt/auth` on the GitLab host: the HTTP side of [`decide_jwt_auth`] and the registry
//! JWT itself (gitlab-facts §2, §4, §5).
//!
//! - Credentials: HTTP Basic only; any other `Authorization` is an anonymous request.
//! - `scope` may repeat and each value may hold several space-separated scopes.
//! - 200 `{"token":"<JWT>"}` only (no `expires_in`, no `issued_at`); the JWT is RS256 with the
//!   header `{"kid":...,"typ":"JWT","alg":"RS256"}` (`kid` = the libtrust key id as
//!   [`crate::jwt`] computes it) and the claims, in GitLab's order, `auth_type`, `access`, `user`,
//!   `jti`, `aud` (= `service`), `sub` (absent for deploy tokens and anonymous), `iss`, `iat`,
//!   `nbf` (= `iat - 5`), `exp` (= `iat` + `container_registry_token_expire_delay` minutes).
//! - 401 / 403 / 404 bodies byte for byte as in gitlab-facts §4 (see [`super::auth`]).
//!
//! The response `Content-Type` is Rails' default for `render json:`
//! (`application/json; charset=utf-8`); no capture in the facts shows it (UNCONFIRMED).

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::auth::{Actor, GrantedAccess, Identity, JwtAuthDecision, access_denied_body, decide_jwt_auth};
use super::world::{GitlabSettings, GitlabWorld, SERVICE, SharedGitlabWorld};
use crate::http::{Request, Response, json_obj, json_str};
use crate::jwt::SigningKey;
use crate::registry::basic_creds;

/// `Content-Type` of GitLab's JSON answers (Rails' default, UNCONFIRMED for `/jwt/auth`).
pub const RAILS_JSON: &str = "application/json; charset=utf-8";

/// A granted decision, carried out of the world lock to be signed.
pub(crate) struct ToSign {
    settings: GitlabSettings,
    service: String,
    identity: Identity,
    access: Vec<GrantedAccess>,
}

/// Answers one `/jwt/auth` request: decides under the world lock, signs after releasing it.
pub(crate) fn respond(shared: &SharedGitlabWorld, key: &SigningKey, jti: &AtomicU64, req: &Request) -> Response {
    let decided = {
        let w = shared.lock();
        decide_request(&w, req)
    };
    let t = match decided {
        Ok(t) => t,
        Err(response) => return response,
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let n = jti.fetch_add(1, Ordering::SeqCst);
    match registry_jwt(key, &t.settings, &t.service, &t.identity, &t.access, now, n) {
        Ok(token) => {
            Response::new(200).header("Content-Type", RAILS_JSON).body(json_obj(&[("token", json_str(&token))]))
        }
        Err(e) => Response::new(500)
            .header("Content-Type", "text/plain")
            .body(format!("ghcr-doctor testkit: JWT signing failed: {e}\n")),
    }
}

/// Decides `req` over `world` and renders every non-200 answer.
pub(crate) fn decide_request(world: &GitlabWorld, req: &Request) -> Result<ToSign, Response> {
    let creds = basic_creds(req);
    let scopes = req.query_all("scope");
    let service = req.query_all("service").first().map(|s| (*s).to_owned());
    let decision =
        decide_jwt_auth(world, service.as_deref(), creds.as_ref().map(|(u, p)| (u.as_str(), p.as_str())), &scopes);
    match decision {
        JwtAuthDecision::AccessDenied => {
            Err(Response::new(401).header("Content-Type", RAILS_JSON).body(access_denied_body(&world.settings)))
        }
        // `head :not_found`
        JwtAuthDecision::UnknownService => Err(Response::new(404)),
        JwtAuthDecision::Error(e) => Err(Response::new(e.status)
            .header("Content-Type", RAILS_JSON)
            .body(e.body(world.settings.error_body_http_status))),
        JwtAuthDecision::Issue { identity, access } => Ok(ToSign {
            settings: world.settings.clone(),
            service: service.unwrap_or_else(|| SERVICE.to_owned()),
            identity,
            access,
        }),
    }
}

/// The registry JWT for a granted decision, issued at `now` (seconds; shifted back by
/// [`GitlabSettings::jwt_backdate`]); `n` makes the `jti` unique.
pub fn registry_jwt(
    key: &SigningKey,
    settings: &GitlabSettings,
    service: &str,
    identity: &Identity,
    access: &[GrantedAccess],
    now: u64,
    n: u64,
) -> io::Result<String> {
    let iat = now.saturating_sub(settings.jwt_backdate.as_secs());
    let exp = iat + settings.jwt_lifetime().as_secs();
    let mut claims: Vec<(&str, String)> = vec![
        ("auth_type", json_str(identity.auth_type.as_str())),
        ("access", format!("[{}]", access.iter().map(access_json).collect::<Vec<_>>().join(","))),
    ];
    if settings.jwt_user_claim
        && let Some(user_info) = user_info_json(identity)
    {
        let nested = key.sign_json(&header_json(key), &json_obj(&[("user_info", user_info)]))?;
        claims.push(("user", json_str(&nested)));
    }
    claims.push(("jti", json_str(&uuid_like(now, n))));
    claims.push(("aud", json_str(service)));
    if let Some(sub) = identity.subject() {
        claims.push(("sub", json_str(sub)));
    }
    claims.push(("iss", json_str(&settings.issuer)));
    claims.push(("iat", iat.to_string()));
    claims.push(("nbf", iat.saturating_sub(5).to_string()));
    claims.push(("exp", exp.to_string()));
    key.sign_json(&header_json(key), &json_obj(&claims))
}

/// `{"kid":"...","typ":"JWT","alg":"RS256"}` (gitlab-facts §5, rsa_token.rb's order).
pub fn header_json(key: &SigningKey) -> String {
    json_obj(&[("kid", json_str(key.kid())), ("typ", json_str("JWT")), ("alg", json_str("RS256"))])
}

/// One `access` item: `{"type","name","actions","meta"}`.
fn access_json(a: &GrantedAccess) -> String {
    let actions = format!("[{}]", a.actions.iter().map(|x| json_str(x)).collect::<Vec<_>>().join(","));
    let mut fields = vec![("type", json_str(&a.resource_type)), ("name", json_str(&a.name)), ("actions", actions)];
    if let Some(meta) = &a.project {
        fields.push((
            "meta",
            json_obj(&[
                ("project_path", json_str(&meta.project_path)),
                ("project_id", meta.project_id.to_string()),
                ("root_namespace_id", meta.root_namespace_id.map_or_else(|| "null".to_owned(), |id| id.to_string())),
            ]),
        ));
    }
    json_obj(&fields)
}

/// `user_info` of the nested `user` token: `token_type`, `username` and `user_id` (or
/// `deploy_token_id`). The `token_type` values are UNCONFIRMED (the `auth_type` strings here).
fn user_info_json(identity: &Identity) -> Option<String> {
    let token_type = json_str(identity.auth_type.as_str());
    match &identity.actor {
        Actor::Anonymous => None,
        Actor::User { username, user_id } | Actor::Job { username, user_id, .. } => Some(json_obj(&[
            ("token_type", token_type),
            ("username", json_str(username)),
            ("user_id", user_id.to_string()),
        ])),
        Actor::DeployToken { id, username } => Some(json_obj(&[
            ("token_type", token_type),
            ("username", json_str(username)),
            ("deploy_token_id", id.to_string()),
        ])),
    }
}

/// A version-4-shaped UUID (GitLab's `jti` is `SecureRandom.uuid`), unique per process.
fn uuid_like(now: u64, n: u64) -> String {
    let pid = u64::from(std::process::id());
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        now & 0xffff_ffff,
        pid & 0xffff,
        (n >> 12) & 0xfff,
        n & 0xfff,
        (now.wrapping_mul(0x9e37_79b9) ^ (pid << 20) ^ n) & 0xffff_ffff_ffff
    )
}
