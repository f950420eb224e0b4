//! [`GitlabRegistryServer`]: a hermetic GitLab container registry on its own loopback port (the
//! registry host), behind the token realm of a [`GitlabApiServer`] (the GitLab host;
//! gitlab-facts §1, §12). No real registry is needed.
//!
//! - `GET /v2/` without a token → 401, `Www-Authenticate: Bearer
//!   realm="http://127.0.0.1:APIPORT/jwt/auth",service="container_registry"` and the 87-byte body
//!   `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}\n`.
//! - Repository requests are challenged with `scope="repository:NAME:ACTIONS"` (GET/HEAD →
//!   `pull`; POST/PUT/PATCH → `pull,push`; DELETE → `delete`); a Bearer JWT is validated like the
//!   GitLab fork does (RS256 signature with the API server's key, `kid`, `iss`, `aud`, `exp`/`nbf`
//!   with 60 s leeway) → `error="invalid_token"`, and checked for the actions →
//!   `error="insufficient_scope"`; always 401 `UNAUTHORIZED` `authentication required` with the
//!   access records as `detail` (gitlab-facts §1).
//! - `HEAD/GET /v2/NAME/manifests/REF` → 200, or 404 `MANIFEST_UNKNOWN` (detail `{"Tag":...}`)
//!   / `NAME_UNKNOWN`; `POST /v2/NAME/blobs/uploads/` → 202 + `Location`; `DELETE` on the upload
//!   → 204; `GET /v2/_catalog` (scope `registry:catalog:*`).
//! - The image path → project mapping is [`super::auth::project_for_path`].

use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::api::{GitlabApiServer, hang_while, log_entry};
use super::auth::project_for_path;
use super::world::{GitlabServerKind, GitlabWorld, SERVICE, SharedGitlabWorld};
use crate::http::{Listener, Request, Response, json_obj, json_str};
use crate::jwt::{SigningKey, base64url_decode};

/// The registry accepts a JWT up to 60 s after `exp` and 60 s before `nbf` (GitLab fork
/// registry/auth/token/token.go `Leeway`; distribution 2.8 has the same).
pub const LEEWAY_SECS: i64 = 60;

/// The manifest the fake serves for every existing tag (a Docker v2 manifest; its digest is the
/// world's, not the hash of this text).
pub const MANIFEST_BODY: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}"#;
/// Its media type.
pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// One access record of a request (GitLab fork `auth.Access`: `Type`, `Class`, `Name`,
/// `ProjectPath`, `Action`; no JSON tags, so Go's field names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRecord {
    pub resource_type: String,
    pub name: String,
    pub action: String,
}

impl AccessRecord {
    fn json(&self) -> String {
        // `ProjectPath` is filled from the request context in GitLab's fork; its value in a
        // challenge body is UNCONFIRMED (empty here). `Class` is empty for repositories.
        json_obj(&[
            ("Type", json_str(&self.resource_type)),
            ("Class", json_str("")),
            ("Name", json_str(&self.name)),
            ("ProjectPath", json_str("")),
            ("Action", json_str(&self.action)),
        ])
    }
}

/// The access records of `method` on repository `name` (gitlab-facts §1).
pub fn access_records(method: &str, name: &str) -> Vec<AccessRecord> {
    let rec = |action: &str| AccessRecord {
        resource_type: "repository".to_owned(),
        name: name.to_owned(),
        action: action.to_owned(),
    };
    match method {
        "GET" | "HEAD" => vec![rec("pull")],
        "POST" | "PUT" | "PATCH" => vec![rec("pull"), rec("push")],
        "DELETE" => vec![rec("delete")],
        _ => Vec::new(),
    }
}

/// Why a bearer token was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeError {
    /// No token: a plain challenge.
    None,
    /// Malformed, badly signed, wrong `kid`/`iss`/`aud`, expired or not yet valid.
    InvalidToken,
    /// Valid, but an action is missing.
    InsufficientScope,
}

/// The `Www-Authenticate` value (distribution's `challengeParams`): `Bearer realm=..,service=..`
/// plus `,scope=".."` (resources space-separated, actions comma-separated) and `,error=".."`.
pub fn challenge_header(realm: &str, records: &[AccessRecord], error: ChallengeError) -> String {
    let mut s = format!(r#"Bearer realm="{realm}",service="{SERVICE}""#);
    let mut scopes: Vec<(String, Vec<String>)> = Vec::new();
    for r in records {
        let resource = format!("{}:{}", r.resource_type, r.name);
        match scopes.iter_mut().find(|(res, _)| *res == resource) {
            Some((_, actions)) => actions.push(r.action.clone()),
            None => scopes.push((resource, vec![r.action.clone()])),
        }
    }
    if !scopes.is_empty() {
        let scope: Vec<String> = scopes.iter().map(|(res, a)| format!("{res}:{}", a.join(","))).collect();
        s.push_str(&format!(r#",scope="{}""#, scope.join(" ")));
    }
    match error {
        ChallengeError::None => {}
        ChallengeError::InvalidToken => s.push_str(r#",error="invalid_token""#),
        ChallengeError::InsufficientScope => s.push_str(r#",error="insufficient_scope""#),
    }
    s
}

/// The 401 body: `UNAUTHORIZED` `authentication required` with the access records as `detail`
/// (`null` when there are none, as on `/v2/`), newline-terminated (Go's JSON encoder).
pub fn challenge_body(records: &[AccessRecord]) -> String {
    let detail = if records.is_empty() {
        "null".to_owned()
    } else {
        format!("[{}]", records.iter().map(AccessRecord::json).collect::<Vec<_>>().join(","))
    };
    format!(r#"{{"errors":[{{"code":"UNAUTHORIZED","message":"authentication required","detail":{detail}}}]}}"#) + "\n"
}

fn registry_response(status: u16) -> Response {
    Response::new(status)
        .header("Docker-Distribution-Api-Version", "registry/2.0")
        .header("X-Content-Type-Options", "nosniff")
}

/// A registry error with `detail` omitted when `None` (`omitempty`).
fn error_response(status: u16, code: &str, message: &str, detail: Option<String>) -> Response {
    let mut fields = vec![("code", json_str(code)), ("message", json_str(message))];
    if let Some(d) = detail {
        fields.push(("detail", d));
    }
    registry_response(status)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(format!(r#"{{"errors":[{}]}}"#, json_obj(&fields)) + "\n")
}

fn challenge(realm: &str, records: &[AccessRecord], error: ChallengeError) -> Response {
    registry_response(401)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Www-Authenticate", challenge_header(realm, records, error))
        .body(challenge_body(records))
}

/// The `access` claim of an accepted token: (type, name) → actions.
pub type GrantedActions = Vec<(String, String, Vec<String>)>;

/// Validates a registry JWT as the registry does: signature (by `key`), `alg`/`kid`, `iss` =
/// `issuer`, `aud` = `container_registry`, `nbf - 60 <= now <= exp + 60`. `None`: invalid.
pub fn validate_jwt(key: &SigningKey, issuer: &str, token: &str, now: i64) -> Option<GrantedActions> {
    let mut parts = token.split('.');
    let header: serde_json::Value = serde_json::from_slice(&base64url_decode(parts.next()?)?).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&base64url_decode(parts.next()?)?).ok()?;
    if header["alg"] != "RS256" || header["kid"] != key.kid() || claims["iss"] != issuer {
        return None;
    }
    let aud_ok = match &claims["aud"] {
        serde_json::Value::String(s) => s == SERVICE,
        serde_json::Value::Array(a) => a.iter().any(|v| v == SERVICE),
        _ => false,
    };
    let exp = claims["exp"].as_i64()?;
    let nbf = claims["nbf"].as_i64().unwrap_or(i64::MIN + LEEWAY_SECS);
    if !aud_ok || now > exp + LEEWAY_SECS || now < nbf - LEEWAY_SECS {
        return None;
    }
    if !key.verify(token).unwrap_or(false) {
        return None;
    }
    let mut out = Vec::new();
    for item in claims["access"].as_array().cloned().unwrap_or_default() {
        let actions = item["actions"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        out.push((item["type"].as_str()?.to_owned(), item["name"].as_str()?.to_owned(), actions));
    }
    Some(out)
}

/// Whether the granted actions cover every record (`*` covers all actions).
pub fn covers(granted: &GrantedActions, records: &[AccessRecord]) -> bool {
    records.iter().all(|r| {
        granted.iter().any(|(t, n, actions)| {
            *t == r.resource_type && *n == r.name && actions.iter().any(|a| a == "*" || *a == r.action)
        })
    })
}

/// The hermetic GitLab registry. Stops on drop.
pub struct GitlabRegistryServer {
    base_url: String,
    port: u16,
    realm: String,
    world: SharedGitlabWorld,
    _listener: Listener,
}

impl GitlabRegistryServer {
    /// Starts on `127.0.0.1:0` behind `api`'s `/jwt/auth`, trusting its signing key.
    pub fn start(world: SharedGitlabWorld, api: &GitlabApiServer) -> io::Result<GitlabRegistryServer> {
        Self::start_with(world, api.jwt_realm(), api.signing_key().clone())
    }

    /// Starts with an explicit realm (e.g. `https://gitlab.example.com/jwt/auth` to test clients'
    /// realm handling) and trusted key.
    pub fn start_with(world: SharedGitlabWorld, realm: String, key: Arc<SigningKey>) -> io::Result<Self> {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let port = tcp.local_addr()?.port();
        let w = world.clone();
        let r = realm.clone();
        let listener = Listener::tcp(tcp, Arc::new(move |req: &Request| handle(&w, &key, &r, req)))?;
        Ok(GitlabRegistryServer {
            base_url: format!("http://127.0.0.1:{port}/"),
            port,
            realm,
            world,
            _listener: listener,
        })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// `127.0.0.1:PORT`: the registry host images are named after.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    /// The realm in its challenges.
    pub fn realm(&self) -> &str {
        &self.realm
    }
    pub fn world(&self) -> &SharedGitlabWorld {
        &self.world
    }
}

fn bearer(req: &Request) -> Option<&str> {
    let v = req.header("authorization")?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

fn handle(shared: &SharedGitlabWorld, key: &SigningKey, realm: &str, req: &Request) -> Response {
    let (latency, offset, issuer) = {
        let mut w = shared.lock();
        w.log.push(log_entry(GitlabServerKind::Registry, req, false));
        (w.modes.registry_latency, w.modes.registry_clock_offset_secs, w.settings.issuer.clone())
    };
    hang_while(shared, |w| w.modes.hang_registry);
    if !latency.is_zero() {
        std::thread::sleep(latency);
    }
    let Some(rest) = req.path.strip_prefix("/v2/") else {
        return Response::new(404).header("Content-Type", "text/plain; charset=utf-8").body("404 page not found\n");
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() as i64 + offset;

    // What the request needs.
    enum Route<'a> {
        Base,
        Catalog,
        Manifest(&'a str, &'a str),
        Upload(&'a str),
        UploadCancel(&'a str),
    }
    let route = if rest.is_empty() {
        Route::Base
    } else if rest == "_catalog" {
        Route::Catalog
    } else if let Some((name, reference)) = rest.rsplit_once("/manifests/") {
        Route::Manifest(name, reference)
    } else if let Some(name) = rest.strip_suffix("/blobs/uploads/").or_else(|| rest.strip_suffix("/blobs/uploads")) {
        Route::Upload(name)
    } else if let Some((name, _uuid)) = rest.rsplit_once("/blobs/uploads/") {
        Route::UploadCancel(name)
    } else {
        return error_response(404, "UNSUPPORTED", "The operation is unsupported.", None);
    };
    let records = match &route {
        Route::Base => Vec::new(),
        Route::Catalog => vec![AccessRecord {
            resource_type: "registry".to_owned(),
            name: "catalog".to_owned(),
            action: "*".to_owned(),
        }],
        Route::Manifest(name, _) | Route::Upload(name) | Route::UploadCancel(name) => access_records(&req.method, name),
    };
    let Some(token) = bearer(req) else { return challenge(realm, &records, ChallengeError::None) };
    let Some(granted) = validate_jwt(key, &issuer, token, now) else {
        return challenge(realm, &records, ChallengeError::InvalidToken);
    };
    if !covers(&granted, &records) {
        return challenge(realm, &records, ChallengeError::InsufficientScope);
    }
    let w = shared.lock();
    match route {
        Route::Base => registry_response(200).header("Content-Type", "application/json; charset=utf-8").body("{}"),
        Route::Catalog => {
            let mut names: Vec<String> =
                w.projects.values().flat_map(|p| p.repositories.keys().map(|image| p.repository_name(image))).collect();
            names.sort();
            let list = names.iter().map(|n| json_str(n)).collect::<Vec<_>>().join(",");
            registry_response(200)
                .header("Content-Type", "application/json; charset=utf-8")
                .body(format!(r#"{{"repositories":[{list}]}}"#) + "\n")
        }
        Route::Manifest(name, reference) => manifest(&w, &req.method, name, reference),
        Route::Upload(name) => {
            if req.method != "POST" {
                return error_response(405, "UNSUPPORTED", "The operation is unsupported.", None);
            }
            let n = w.log.len();
            let uuid = format!("{n:08x}-6e1a-4b5c-9d2e-{:012x}", u64::from(std::process::id()));
            registry_response(202)
                .header("Location", format!("/v2/{name}/blobs/uploads/{uuid}"))
                .header("Docker-Upload-UUID", uuid)
                .header("Range", "0-0")
        }
        Route::UploadCancel(_) => {
            if req.method != "DELETE" {
                return error_response(405, "UNSUPPORTED", "The operation is unsupported.", None);
            }
            registry_response(204)
        }
    }
}

fn manifest(w: &GitlabWorld, method: &str, name: &str, reference: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return error_response(405, "UNSUPPORTED", "The operation is unsupported.", None);
    }
    let tags = project_for_path(w, name).and_then(|(project, image)| project.repositories.get(&image));
    let Some(tags) = tags else {
        // gitlab-facts §1: unknown repository. The `detail` (`{"Name":...}`, distribution's
        // `ErrRepositoryUnknown`) is UNCONFIRMED.
        let detail = json_obj(&[("Name", json_str(name))]);
        return error_response(404, "NAME_UNKNOWN", "repository name not known to registry", Some(detail));
    };
    let digest = if reference.starts_with("sha256:") {
        tags.values().find(|d| *d == reference).cloned()
    } else {
        tags.get(reference).cloned()
    };
    match digest {
        Some(digest) => registry_response(200)
            .header("Content-Type", MANIFEST_MEDIA_TYPE)
            .header("Docker-Content-Digest", digest.clone())
            .header("Etag", format!("\"{digest}\""))
            .body(MANIFEST_BODY),
        None => {
            // `ErrTagUnknown{Tag}` (gitlab-facts §1); for a digest the detail shape is
            // UNCONFIRMED (distribution's `ErrManifestUnknownRevision`).
            let detail = if reference.starts_with("sha256:") {
                json_obj(&[("Name", json_str(name)), ("Revision", json_str(reference))])
            } else {
                json_obj(&[("Tag", json_str(reference))])
            };
            error_response(404, "MANIFEST_UNKNOWN", "manifest unknown", Some(detail))
        }
    }
}
