//! The fake GitLab over real sockets: every `/jwt/auth` answer of gitlab-facts §4 byte for byte,
//! the JWT (gitlab-facts §5), the identification order (§3), scopes and abilities (§3.1), job
//! tokens (§10), the path → project mapping (§1), the hermetic registry's challenges and errors
//! (§1), the API (§8, §9), the failure modes, and the fake glab (§11).
//!
//! Signing and verifying JWTs shells out to `openssl` (as crate::jwt does): without it the tests
//! that need a JWT fail in CI and are skipped with a note elsewhere.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use ghcr_doctor_testkit::client::{self, ClientResponse, basic};
use ghcr_doctor_testkit::gitlab::fixtures::*;
use ghcr_doctor_testkit::gitlab::{
    AccessDeniedWording, AccessLevel, AccessToken, GitlabApiServer, GitlabProject, GitlabRegistryServer,
    GitlabServerKind, GitlabSettings, GitlabWorld, GlabApiResult, GlabConfigDir, GlabFake, GlabHost, GlabToken,
    JwtAuthDecision, SharedGitlabWorld, decide_jwt_auth, project_for_path,
};
use ghcr_doctor_testkit::jwt::base64url_decode;
use ghcr_doctor_testkit::{AuthScheme, FakeBin};
use serde_json::Value;

// ---- the exact bodies of gitlab-facts §1 and §4 ---------------------------------------------

const BASIC_DENIED: &str = r#"{"errors":[{"code":"UNAUTHORIZED","message":"HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you're required to use a token instead of a password. If a token was provided, it was either incorrect, expired, or improperly scoped. See https://gitlab.com/help/user/profile/account/two_factor_authentication_troubleshooting.md#error-http-basic-access-denied-if-a-password-was-provided-for-git-authentication-"}]}"#;
const BASIC_DENIED_2023: &str = r#"{"errors":[{"code":"UNAUTHORIZED","message":"HTTP Basic: Access denied. The provided password or token is incorrect or your account has 2FA enabled and you must use a personal access token instead of a password. See https://gitlab.com/help/user/profile/account/two_factor_authentication#troubleshooting"}]}"#;
const BASIC_DENIED_2019: &str = r#"{"errors":[{"code":"UNAUTHORIZED","message":"HTTP Basic: Access denied\nYou must use a personal access token with 'api' scope for Git over HTTP.\nYou can generate one at https://gitlab.com/profile/personal_access_tokens"}]}"#;
const FORBIDDEN: &str = r#"{"errors":[{"code":"DENIED","message":"access forbidden"}],"http_status":403}"#;
const FORBIDDEN_PLAIN: &str = r#"{"errors":[{"code":"DENIED","message":"access forbidden"}]}"#;
const NOT_ENABLED: &str = r#"{"errors":[{"code":"UNAVAILABLE","message":"registry not enabled"}],"http_status":404}"#;
const PROTECTED: &str =
    r#"{"errors":[{"code":"DENIED","message":"Pushing to protected repository path forbidden"}],"http_status":403}"#;
const V2_CHALLENGE_BODY: &str =
    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}\n";

// ---- helpers --------------------------------------------------------------------------------

fn openssl(test: &str) -> bool {
    if Path::new(ghcr_doctor_testkit::jwt::OPENSSL).is_file() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: /usr/bin/openssl is required in CI (Debian's `openssl`)");
    }
    eprintln!("note: skipping {test}: /usr/bin/openssl not found");
    false
}

struct Gitlab {
    world: SharedGitlabWorld,
    api: GitlabApiServer,
    registry: GitlabRegistryServer,
}

fn start() -> Gitlab {
    start_with(standard_world())
}

fn start_with(world: GitlabWorld) -> Gitlab {
    let world = SharedGitlabWorld::new(world);
    let api = GitlabApiServer::start(world.clone()).unwrap();
    let registry = GitlabRegistryServer::start(world.clone(), &api).unwrap();
    Gitlab { world, api, registry }
}

impl Gitlab {
    /// `GET /jwt/auth?service=container_registry&scope=...` (one `scope=` per element).
    fn auth(&self, scopes: &[&str], creds: Option<(&str, &str)>) -> ClientResponse {
        let mut q = String::from("service=container_registry");
        for s in scopes {
            q.push_str(&format!("&scope={}", ghcr_doctor_testkit::http::percent_encode(s)));
        }
        self.auth_query(&q, creds)
    }
    /// docker login's token request: no scope.
    fn login(&self, creds: Option<(&str, &str)>) -> ClientResponse {
        let user = creds.map_or("", |c| c.0);
        let q = format!("account={user}&client_id=docker&offline_token=true&service=container_registry");
        self.auth_query(&q, creds)
    }
    fn auth_query(&self, query: &str, creds: Option<(&str, &str)>) -> ClientResponse {
        let auth = creds.map(|(u, p)| basic(u, p));
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        client::get(&format!("{}?{query}", self.api.jwt_realm()), &headers).unwrap()
    }
    /// The granted `access` of a 200 answer.
    fn access(&self, scopes: &[&str], creds: Option<(&str, &str)>) -> Value {
        let r = self.auth(scopes, creds);
        assert_eq!(r.status, 200, "{}", r.body);
        claims(&token_of(&r))["access"].clone()
    }
    /// Only the actions of the first access item (empty when nothing was granted).
    fn actions(&self, scope: &str, creds: Option<(&str, &str)>) -> Vec<String> {
        let access = self.access(&[scope], creds);
        access
            .as_array()
            .unwrap()
            .first()
            .map(|a| a["actions"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    }
    fn api_get(&self, path: &str, headers: &[(&str, &str)]) -> ClientResponse {
        client::get(&format!("{}{}", self.api.api_url(), path), headers).unwrap()
    }
    fn registry(&self, method: &str, path: &str, bearer: Option<&str>) -> ClientResponse {
        let auth = bearer.map(|b| format!("Bearer {b}"));
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        client::request(method, &format!("{}{}", self.registry.base_url(), path.trim_start_matches('/')), &headers, &[])
            .unwrap()
    }
}

fn token_of(r: &ClientResponse) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

fn part(token: &str, i: usize) -> String {
    String::from_utf8(base64url_decode(token.split('.').nth(i).unwrap()).unwrap()).unwrap()
}

fn claims(token: &str) -> Value {
    serde_json::from_str(&part(token, 1)).unwrap()
}

/// The keys of a JSON object text in order (serde_json's default map sorts them).
fn keys_in_order(json: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0;
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 && bytes.get(i + 1) == Some(&b':') {
                    keys.push(json[start..i].to_owned());
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

// ---- /jwt/auth: 401 ---------------------------------------------------------------------------

#[test]
fn every_failed_authentication_is_the_same_401_byte_for_byte() {
    if !openssl("every_failed_authentication_is_the_same_401") {
        return;
    }
    let g = start();
    let cases: &[(&str, &str, &str)] = &[
        ("wrong password", "alice", "not-her-password"),
        ("2FA account, correct password", "carol", CAROL_PASSWORD),
        ("unknown PAT", "alice", GLPAT_UNKNOWN),
        ("revoked PAT", "alice", GLPAT_REVOKED),
        ("expired PAT", "alice", GLPAT_EXPIRED),
        ("deploy token, wrong username", "alice", GLDT_APP_READ),
        ("job token, login not gitlab-ci-token", "alice", GLCBT_APP_JOB),
        ("finished job", "gitlab-ci-token", GLCBT_FINISHED_JOB),
        ("unknown user", "nobody", "whatever"),
        ("OAuth token (not accepted, UNCONFIRMED)", "alice", OAUTH_ALICE),
    ];
    for (what, user, secret) in cases {
        for r in [g.login(Some((user, secret))), g.auth(&["repository:acme/public:pull"], Some((user, secret)))] {
            assert_eq!(r.status, 401, "{what}");
            assert_eq!(r.body, BASIC_DENIED, "{what}");
            assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"), "{what}");
            assert!(!r.body.contains(secret));
        }
    }
    // Basic is checked before the service.
    let r = g.auth_query("service=other", Some(("alice", "wrong")));
    assert_eq!((r.status, r.body.as_str()), (401, BASIC_DENIED));
    // Password authentication for Git off: even alice's correct password.
    g.world.edit(|w| w.settings.password_authentication_for_git = false);
    assert_eq!(g.login(Some(("alice", ALICE_PASSWORD))).body, BASIC_DENIED);
}

#[test]
fn the_older_401_wordings() {
    let g = start();
    g.world.edit(|w| w.settings.access_denied_wording = AccessDeniedWording::V2023);
    assert_eq!(g.login(Some(("alice", "wrong"))).body, BASIC_DENIED_2023);
    g.world.edit(|w| w.settings.access_denied_wording = AccessDeniedWording::V2019);
    assert_eq!(g.login(Some(("alice", "wrong"))).body, BASIC_DENIED_2019);
    // A self-managed help URL (UNCONFIRMED: GitLab renders its own help_page_url).
    g.world.edit(|w| {
        w.settings.access_denied_wording = AccessDeniedWording::Current;
        w.settings.help_base_url = "https://gitlab.example.com".into();
    });
    assert_eq!(
        g.login(Some(("alice", "wrong"))).body,
        BASIC_DENIED.replace("https://gitlab.com", "https://gitlab.example.com")
    );
}

#[test]
fn a_2fa_password_is_refused_exactly_like_a_wrong_one() {
    let g = start();
    let correct = g.login(Some(("carol", CAROL_PASSWORD)));
    let wrong = g.login(Some(("carol", "wrong-password")));
    assert_eq!((correct.status, &correct.headers, &correct.body), (wrong.status, &wrong.headers, &wrong.body));
    assert_eq!(correct.status, 401);
    // Without 2FA the same password works (gitlab_or_ldap).
    g.world.edit(|w| w.user_mut("carol").unwrap().two_factor_enabled = false);
    if openssl("a_2fa_password_is_refused_exactly_like_a_wrong_one") {
        let t = token_of(&g.login(Some(("carol", CAROL_PASSWORD))));
        assert_eq!(claims(&t)["auth_type"], "gitlab_or_ldap");
    }
}

// ---- /jwt/auth: 403, 404 -----------------------------------------------------------------------

#[test]
fn access_forbidden_403_with_and_without_http_status() {
    if !openssl("access_forbidden_403") {
        return;
    }
    let g = start();
    // Authenticated, no registry ability (read_user, read_repository).
    for r in [
        g.login(Some(("alice", GLPAT_ALICE_NO_REGISTRY))),
        g.auth(&["repository:acme/app:pull"], Some(("alice", GLPAT_ALICE_NO_REGISTRY))),
    ] {
        assert_eq!((r.status, r.body.as_str()), (403, FORBIDDEN));
        assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    }
    // Anonymous with nothing granted: docker login without credentials, private/internal/missing
    // projects, push.
    assert_eq!(g.login(None).body, FORBIDDEN);
    for scope in [
        "repository:acme/app:pull",
        "repository:acme/internal:pull",
        "repository:acme/does-not-exist:pull",
        "repository:acme/members-only:pull",
        "repository:acme/app:pull,push",
        "repository:acme/public:push",
    ] {
        let r = g.auth(&[scope], None);
        assert_eq!((r.status, r.body.as_str()), (403, FORBIDDEN), "{scope}");
    }
    // Anonymous pull of a public project: a token with pull only (push dropped).
    assert_eq!(g.actions("repository:acme/public:pull,push", None), ["pull"]);
    // UNCONFIRMED http_status off.
    g.world.edit(|w| w.settings.error_body_http_status = false);
    assert_eq!(g.login(None).body, FORBIDDEN_PLAIN);
}

#[test]
fn registry_not_enabled_unknown_service_and_protected_path() {
    let g = start();
    let r = g.auth_query("service=dependency_proxy&scope=repository:acme/app:pull", Some(("alice", GLPAT_ALICE_READ)));
    assert_eq!((r.status, r.body.as_str()), (404, ""), "unknown service: head :not_found");
    let r = g.auth_query("scope=repository:acme/app:pull", None);
    assert_eq!((r.status, r.body.as_str()), (404, ""), "no service at all");
    g.world.edit(|w| w.settings.registry_enabled = false);
    let r = g.login(Some(("alice", GLPAT_ALICE_READ)));
    assert_eq!((r.status, r.body.as_str()), (404, NOT_ENABLED));
    assert_eq!(g.login(None).body, NOT_ENABLED);
    g.world.edit(|w| {
        w.settings.registry_enabled = true;
        w.settings.error_body_http_status = false;
    });
    g.world.edit(|w| {
        let p = w.project_mut("acme/app").unwrap();
        p.protected_paths.push(ghcr_doctor_testkit::gitlab::ProtectedPath {
            pattern: "acme/app/release*".into(),
            minimum_access_level_for_push: AccessLevel::Maintainer,
        });
    });
    let r = g.auth(&["repository:acme/app/release-1:pull,push"], Some(("alice", GLPAT_ALICE_WRITE)));
    assert_eq!((r.status, r.body.as_str()), (403, PROTECTED.replace(r#","http_status":403"#, "").as_str()));
    if openssl("registry_not_enabled_unknown_service_and_protected_path") {
        // Pull only, or another path: not protected.
        assert_eq!(g.actions("repository:acme/app/release-1:pull", Some(("alice", GLPAT_ALICE_WRITE))), ["pull"]);
        assert_eq!(
            g.actions("repository:acme/app/web:pull,push", Some(("alice", GLPAT_ALICE_WRITE))),
            ["pull", "push"]
        );
        g.world.edit(|w| w.settings.error_body_http_status = true);
        g.world.edit(|w| {
            w.project_mut("acme/app").unwrap().members.insert("alice".into(), AccessLevel::Maintainer);
        });
        assert_eq!(
            g.actions("repository:acme/app/release-1:pull,push", Some(("alice", GLPAT_ALICE_WRITE))),
            ["pull", "push"],
            "a Maintainer may push there"
        );
        g.world.edit(|w| {
            w.project_mut("acme/app").unwrap().members.insert("alice".into(), AccessLevel::Developer);
        });
    }
    let r = g.auth(&["repository:acme/app/release-1:push"], Some(("alice", GLPAT_ALICE_WRITE)));
    assert_eq!((r.status, r.body.as_str()), (403, PROTECTED));
}

// ---- /jwt/auth: 200 and the JWT -----------------------------------------------------------------

#[test]
fn the_jwt_header_and_claims() {
    if !openssl("the_jwt_header_and_claims") {
        return;
    }
    let g = start();
    let r = g.auth(&["repository:acme/app:pull,push"], Some(("any-login", GLPAT_ALICE_WRITE)));
    assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(keys_in_order(&r.body), ["token"], "only the token: no expires_in, no issued_at");
    let token = token_of(&r);
    assert_eq!(token.split('.').count(), 3, "a real JWT");
    let kid = g.api.signing_key().kid().to_owned();
    assert_eq!(part(&token, 0), format!(r#"{{"kid":"{kid}","typ":"JWT","alg":"RS256"}}"#));
    assert_eq!(kid.split(':').count(), 12, "libtrust key id");
    assert!(g.api.signing_key().verify(&token).unwrap(), "RS256 signature by the GitLab host's key");
    let raw = part(&token, 1);
    assert_eq!(keys_in_order(&raw), ["auth_type", "access", "user", "jti", "aud", "sub", "iss", "iat", "nbf", "exp"]);
    let c = claims(&token);
    assert_eq!(c["auth_type"], "personal_access_token");
    assert_eq!(c["aud"], "container_registry");
    assert_eq!(c["sub"], "alice");
    assert_eq!(c["iss"], "gitlab-issuer");
    let iat = c["iat"].as_u64().unwrap();
    assert_eq!(c["nbf"].as_u64().unwrap(), iat - 5);
    assert_eq!(c["exp"].as_u64().unwrap(), iat + 5 * 60, "5 minutes: self-managed default");
    assert_eq!(c["jti"].as_str().unwrap().len(), 36);
    let app = g.world.lock().project("acme/app").unwrap().clone();
    let root = g.world.lock().root_namespace_id("acme/app").unwrap();
    assert_eq!(
        c["access"],
        serde_json::json!([{"type": "repository", "name": "acme/app", "actions": ["pull", "push"],
            "meta": {"project_path": "acme/app", "project_id": app.id, "root_namespace_id": root}}])
    );
    assert_eq!(keys_in_order(&serde_json::to_string(&c["access"][0]).unwrap()).len(), 4);
    // The nested user token (contents UNCONFIRMED beyond user_info's fields).
    let user = claims(c["user"].as_str().unwrap());
    let alice_id = g.world.lock().user("alice").unwrap().id;
    assert_eq!(
        user["user_info"],
        serde_json::json!({"token_type": "personal_access_token", "username": "alice", "user_id": alice_id})
    );

    // GitLab.com: 15 minutes.
    g.world.edit(|w| w.settings = GitlabSettings::gitlab_com());
    let c = claims(&token_of(&g.auth(&["repository:acme/app:pull"], Some(("alice", GLPAT_ALICE_READ)))));
    assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 900);
    // A seconds-level lifetime for the mid-push expiry case.
    g.world.edit(|w| w.settings.jwt_lifetime_override = Some(Duration::from_secs(2)));
    let c = claims(&token_of(&g.auth(&["repository:acme/app:pull"], Some(("alice", GLPAT_ALICE_READ)))));
    assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 2);
}

#[test]
fn deploy_job_password_and_anonymous_claims() {
    if !openssl("deploy_job_password_and_anonymous_claims") {
        return;
    }
    let g = start();
    let c = claims(&token_of(&g.auth(&["repository:acme/app:pull"], Some((GLDT_APP_READ_USER, GLDT_APP_READ)))));
    assert_eq!(c["auth_type"], "deploy_token");
    assert!(c.get("sub").is_none(), "no sub for deploy tokens");
    assert_eq!(claims(c["user"].as_str().unwrap())["user_info"]["deploy_token_id"], 1);
    assert_eq!(c["access"][0]["actions"], serde_json::json!(["pull"]));
    let c = claims(&token_of(&g.auth(&["repository:acme/app:pull"], Some(("gitlab-ci-token", GLCBT_APP_JOB)))));
    assert_eq!((c["auth_type"].as_str(), c["sub"].as_str()), (Some("build"), Some("alice")));
    let c = claims(&token_of(&g.auth(&["repository:acme/app:pull"], Some(("alice", ALICE_PASSWORD)))));
    assert_eq!(c["auth_type"], "gitlab_or_ldap");
    let raw = part(&token_of(&g.auth(&["repository:acme/public:pull"], None)), 1);
    assert_eq!(
        keys_in_order(&raw),
        ["auth_type", "access", "jti", "aud", "iss", "iat", "nbf", "exp"],
        "nil claims dropped"
    );
    assert_eq!(claims_from_raw(&raw)["auth_type"], "none");
    // A logged-in docker login: 200 with an empty access list.
    let c = claims(&token_of(&g.login(Some(("alice", GLPAT_ALICE_READ)))));
    assert_eq!(c["access"], serde_json::json!([]));
    g.world.edit(|w| w.settings.jwt_user_claim = false);
    let c = claims(&token_of(&g.login(Some(("alice", GLPAT_ALICE_READ)))));
    assert!(c.get("user").is_none());
}

fn claims_from_raw(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap()
}

#[test]
fn the_identification_order() {
    if !openssl("the_identification_order") {
        return;
    }
    let g = start();
    let auth_type = |user: &str, secret: &str| -> Option<String> {
        let r = g.login(Some((user, secret)));
        (r.status == 200).then(|| claims(&token_of(&r))["auth_type"].as_str().unwrap().to_owned())
    };
    // Job tokens only with the login gitlab-ci-token.
    assert_eq!(auth_type("gitlab-ci-token", GLCBT_APP_JOB).as_deref(), Some("build"));
    assert_eq!(auth_type("alice", GLCBT_APP_JOB), None);
    // PATs: the login is not evaluated (not even gitlab-ci-token stops them).
    for login in ["alice", "bob", "anything", "gitlab-ci-token"] {
        assert_eq!(auth_type(login, GLPAT_ALICE_READ).as_deref(), Some("personal_access_token"), "{login}");
    }
    assert_eq!(auth_type("bob", LEGACY_PAT_BOB).as_deref(), Some("personal_access_token"), "legacy 20-char PAT");
    assert_eq!(auth_type("x", GLPAT_APP_PROJECT_TOKEN).as_deref(), Some("personal_access_token"), "project token");
    // Deploy tokens: the login must be the token's username.
    assert_eq!(auth_type(GLDT_APP_READ_USER, GLDT_APP_READ).as_deref(), Some("deploy_token"));
    assert_eq!(auth_type(GLDT_APP_WRITE_USER, GLDT_APP_READ), None, "another deploy token's username");
    assert_eq!(auth_type("gitlab-ci-token", GLDT_APP_READ), None);
    // HTTP Basic only: a Bearer token on /jwt/auth is an anonymous request.
    let bearer = format!("Bearer {GLPAT_ALICE_READ}");
    let r = client::get(
        &format!("{}?service=container_registry&client_id=docker&offline_token=true", g.api.jwt_realm()),
        &[("Authorization", &bearer)],
    )
    .unwrap();
    assert_eq!((r.status, r.body.as_str()), (403, FORBIDDEN));
    // Passwords last, never for token-shaped secrets.
    assert_eq!(auth_type("alice", ALICE_PASSWORD).as_deref(), Some("gitlab_or_ldap"));
    g.world.edit(|w| {
        w.user_mut("alice").unwrap().password =
            Some(ghcr_doctor_testkit::gitlab::SecretKey::new("glpat-isReallyAPassword"));
    });
    assert_eq!(auth_type("alice", "glpat-isReallyAPassword"), None, "a token-shaped password is never tried");
    // The pure decision agrees.
    let w = g.world.lock();
    assert_eq!(
        decide_jwt_auth(&w, Some("container_registry"), Some(("alice", GLCBT_APP_JOB)), &[] as &[&str]),
        JwtAuthDecision::AccessDenied
    );
}

#[test]
fn abilities_per_scope_and_reduced_access() {
    if !openssl("abilities_per_scope_and_reduced_access") {
        return;
    }
    let g = start();
    let a = |scope: &str, secret: &str| g.actions(scope, Some(("alice", secret)));
    let pp = "repository:acme/app:pull,push";
    assert_eq!(a(pp, GLPAT_ALICE_READ), ["pull"], "read_registry: push dropped");
    assert_eq!(a(pp, GLPAT_ALICE_WRITE), ["pull", "push"]);
    assert_eq!(a(pp, GLPAT_ALICE_API), ["pull", "push"], "api pulls and pushes");
    assert_eq!(a(pp, GLPAT_ALICE_READ_API), ["pull"], "read_api pulls (gitlab-facts §3.1)");
    assert_eq!(a(pp, GLPAT_ALICE_WRITE_ONLY), ["push"], "write_registry without read_registry");
    assert!(a("repository:acme/app:pull", GLPAT_ALICE_WRITE_ONLY).is_empty(), "cannot pull");
    assert_eq!(a(pp, ALICE_PASSWORD), ["pull", "push"], "password: full abilities");
    // No access, missing project, registry disabled, single component: 200 with nothing.
    for scope in [
        "repository:acme/members-only:pull",
        "repository:acme/missing:pull",
        "repository:acme/no-registry:pull,push",
        "repository:app:pull",
        "repository:acme/app:bogus",
    ] {
        let r = g.auth(&[scope], Some(("alice", GLPAT_ALICE_WRITE)));
        assert_eq!(claims(&token_of(&r))["access"], serde_json::json!([]), "{scope}");
    }
    // Roles: Reporter pulls, only Developer+ pushes.
    assert_eq!(a("repository:acme/reporter-only:pull,push", GLPAT_ALICE_WRITE), ["pull"]);
    // Internal: any signed-in user pulls, nobody anonymous.
    assert_eq!(a("repository:acme/internal:pull,push", GLPAT_ALICE_WRITE), ["pull"]);
    // delete and * need Maintainer (UNCONFIRMED) and api.
    assert!(a("repository:acme/app:delete", GLPAT_ALICE_API).is_empty());
    g.world.edit(|w| {
        w.project_mut("acme/app").unwrap().members.insert("alice".into(), AccessLevel::Maintainer);
    });
    assert_eq!(a("repository:acme/app:delete,*", GLPAT_ALICE_API), ["delete", "*"]);
    assert!(a("repository:acme/app:delete", GLPAT_ALICE_WRITE).is_empty(), "write_registry cannot delete");
    // Deploy tokens: their project only, write needs write_registry.
    let d = |scope: &str, user: &str, secret: &str| g.actions(scope, Some((user, secret)));
    assert_eq!(d(pp, GLDT_APP_READ_USER, GLDT_APP_READ), ["pull"]);
    assert_eq!(d(pp, GLDT_APP_WRITE_USER, GLDT_APP_WRITE), ["pull", "push"]);
    assert!(d("repository:acme/other:pull", GLDT_APP_WRITE_USER, GLDT_APP_WRITE).is_empty());
    assert_eq!(d("repository:acme/public:pull", GLDT_APP_READ_USER, GLDT_APP_READ), ["pull"], "public (UNCONFIRMED)");
}

#[test]
fn scopes_repeat_split_on_spaces_and_map_to_projects() {
    if !openssl("scopes_repeat_split_on_spaces_and_map_to_projects") {
        return;
    }
    let g = start();
    let creds = Some(("alice", GLPAT_ALICE_WRITE));
    let names = |access: &Value| -> Vec<String> {
        access.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect()
    };
    let repeated = g.access(&["repository:acme/app:pull", "repository:acme/other:pull,push"], creds);
    assert_eq!(names(&repeated), ["acme/app", "acme/other"]);
    let spaced = g.access(&["repository:acme/app:pull repository:acme/other:pull,push"], creds);
    assert_eq!(spaced, repeated);
    // The longest of the first three prefixes that is a project; lower-cased.
    let access = g.access(&["repository:Some/Group/My_Project/my/image:pull"], creds);
    assert_eq!(access[0]["name"], "some/group/my_project/my/image");
    assert_eq!(access[0]["meta"]["project_path"], "some/group/my_project");
    let w = g.world.lock();
    let (p, image) = project_for_path(&w, "some/group/my_project/my/image").unwrap();
    assert_eq!((p.path.as_str(), image.as_str()), ("some/group/my_project", "my/image"));
    let (p, image) = project_for_path(&w, "acme/app/web").unwrap();
    assert_eq!((p.path.as_str(), image.as_str()), ("acme/app", "web"));
    assert!(project_for_path(&w, "acme").is_none(), "one component is invalid");
    assert!(project_for_path(&w, "a/b/c/d/e").is_none());
    // registry:catalog:* only for administrators.
    drop(w);
    assert_eq!(g.access(&["registry:catalog:*"], creds), serde_json::json!([]));
    g.world.edit(|w| w.user_mut("alice").unwrap().admin = true);
    assert_eq!(
        g.access(&["registry:catalog:*"], creds),
        serde_json::json!([{"type": "registry", "name": "catalog", "actions": ["*"]}])
    );
}

// ---- CI job tokens (gitlab-facts §10) ---------------------------------------------------------

#[test]
fn job_tokens_push_only_to_their_own_project() {
    if !openssl("job_tokens_push_only_to_their_own_project") {
        return;
    }
    let g = start();
    let job = |scope: &str, secret: &str| g.actions(scope, Some(("gitlab-ci-token", secret)));
    assert_eq!(job("repository:acme/app:pull,push", GLCBT_APP_JOB), ["pull", "push"], "own project");
    assert_eq!(job("repository:acme/app/web:pull,push", GLCBT_APP_JOB), ["pull", "push"], "own project's image");
    // alice is a Developer of acme/other, but a job token never pushes elsewhere; not allowlisted.
    assert!(job("repository:acme/other:pull,push", GLCBT_APP_JOB).is_empty());
    // acme/app allowlists acme/tools: pull yes, push no.
    assert_eq!(job("repository:acme/app:pull,push", GLCBT_TOOLS_JOB), ["pull"]);
    // The pipeline user's role limits the job too.
    g.world.edit(|w| {
        w.project_mut("acme/app").unwrap().members.insert("alice".into(), AccessLevel::Reporter);
    });
    assert_eq!(job("repository:acme/app:pull,push", GLCBT_APP_JOB), ["pull"]);
}

#[test]
fn cross_project_pull_needs_the_allowlist() {
    if !openssl("cross_project_pull_needs_the_allowlist") {
        return;
    }
    let g = start();
    let job = |scope: &str| g.actions(scope, Some(("gitlab-ci-token", GLCBT_APP_JOB)));
    assert!(job("repository:acme/other:pull").is_empty(), "private, not allowlisted");
    g.world.edit(|w| {
        w.project_mut("acme/other").unwrap().job_token_allowlist.insert("acme/app".into());
    });
    assert_eq!(job("repository:acme/other:pull"), ["pull"], "allowlisted and the user can read");
    // Allowlisted by group (17.0+).
    g.world.edit(|w| {
        let p = w.project_mut("acme/other").unwrap();
        p.job_token_allowlist.clear();
        p.job_token_allowlist.insert("acme".into());
    });
    assert_eq!(job("repository:acme/other:pull"), ["pull"]);
    // Allowlisted, but the pipeline user cannot read the target.
    g.world.edit(|w| {
        w.project_mut("acme/other").unwrap().members.remove("alice");
    });
    assert!(job("repository:acme/other:pull").is_empty());
    // Public/internal projects with an open registry: no allowlist needed; members-only: needed.
    assert_eq!(job("repository:acme/public:pull"), ["pull"]);
    assert_eq!(job("repository:acme/internal:pull"), ["pull"]);
    g.world.edit(|w| {
        w.project_mut("acme/members-only").unwrap().members.insert("alice".into(), AccessLevel::Developer);
    });
    assert!(job("repository:acme/members-only:pull").is_empty());
    // A finished job is not authenticated at all.
    let r = g.auth(&["repository:acme/app:pull"], Some(("gitlab-ci-token", GLCBT_FINISHED_JOB)));
    assert_eq!((r.status, r.body.as_str()), (401, BASIC_DENIED));
}

// ---- failure modes ------------------------------------------------------------------------------

#[test]
fn a_proxy_stripping_authorization_turns_login_into_access_forbidden() {
    if !openssl("a_proxy_stripping_authorization") {
        return;
    }
    let g = start();
    assert_eq!(g.login(Some(("alice", GLPAT_ALICE_READ))).status, 200);
    g.world.edit(|w| w.modes.strip_jwt_authorization = true);
    g.world.clear_log();
    let r = g.login(Some(("alice", GLPAT_ALICE_READ)));
    assert_eq!((r.status, r.body.as_str()), (403, FORBIDDEN), "docker login → denied: access forbidden");
    // A public pull still works (anonymously); the API is not behind that proxy.
    assert_eq!(g.actions("repository:acme/public:pull", Some(("alice", GLPAT_ALICE_READ))), ["pull"]);
    let r = g.api_get("personal_access_tokens/self", &[("PRIVATE-TOKEN", GLPAT_ALICE_READ)]);
    assert_eq!(r.status, 200);
    let log = g.world.log();
    assert_eq!(log[0].server, GitlabServerKind::JwtAuth);
    assert_eq!((log[0].auth.clone(), log[0].authorization_stripped), (AuthScheme::None, true));
    assert_eq!(log[2].server, GitlabServerKind::Api);
    assert_eq!(log[2].token_header, Some("PRIVATE-TOKEN"));
    assert!(!format!("{log:?}").contains(GLPAT_ALICE_READ));
}

#[test]
fn hangs_until_cleared() {
    let g = start();
    g.world.edit(|w| w.modes.hang_api = true);
    let mut s = TcpStream::connect(g.api.host()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    s.write_all(b"GET /api/v4/user HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buf = [0u8; 64];
    let e = s.read(&mut buf).unwrap_err();
    assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "{e}");
    g.world.edit(|w| w.modes.hang_api = false);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).unwrap();
    assert!(String::from_utf8_lossy(&rest).starts_with("HTTP/1.1 401"), "answers once cleared");
    g.world.edit(|w| w.modes.hang_registry = true);
    let mut s = TcpStream::connect(g.registry.host()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    s.write_all(b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert!(s.read(&mut buf).is_err());
    g.world.edit(|w| w.modes.hang_registry = false);
}

// ---- the hermetic registry (gitlab-facts §1) -----------------------------------------------------

#[test]
fn v2_challenge_names_the_gitlab_host() {
    let g = start();
    let r = g.registry("GET", "/v2/", None);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate").unwrap(),
        format!(r#"Bearer realm="http://127.0.0.1:{}/jwt/auth",service="container_registry""#, g.api.port())
    );
    assert_ne!(g.api.port(), g.registry.port(), "the realm host is not the registry host");
    assert_eq!(r.body, V2_CHALLENGE_BODY);
    assert_eq!(r.body.len(), 87, "Content-Length: 87 as on registry.gitlab.com");
    assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(r.header("docker-distribution-api-version"), Some("registry/2.0"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let r = g.registry("HEAD", "/v2/acme/app/manifests/latest", None);
    assert_eq!(
        r.header("www-authenticate").unwrap(),
        format!(
            r#"Bearer realm="http://127.0.0.1:{}/jwt/auth",service="container_registry",scope="repository:acme/app:pull""#,
            g.api.port()
        )
    );
    let r = g.registry("POST", "/v2/acme/app/blobs/uploads/", None);
    assert!(r.header("www-authenticate").unwrap().ends_with(r#",scope="repository:acme/app:pull,push""#));
    assert_eq!(
        r.body,
        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"acme/app\",\"ProjectPath\":\"\",\"Action\":\"pull\"},{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"acme/app\",\"ProjectPath\":\"\",\"Action\":\"push\"}]}]}\n"
    );
}

#[test]
fn manifests_with_a_jwt() {
    if !openssl("manifests_with_a_jwt") {
        return;
    }
    let g = start();
    let t = token_of(
        &g.auth(&["repository:acme/app:pull", "repository:acme/app/nope:pull"], Some(("alice", GLPAT_ALICE_READ))),
    );
    let r = g.registry("HEAD", "/v2/acme/app/manifests/latest", Some(&t));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("docker-content-digest"), Some(DIGEST_LATEST));
    assert_eq!(r.header("content-type"), Some("application/vnd.docker.distribution.manifest.v2+json"));
    assert_eq!(r.body, "");
    assert_eq!(g.registry("GET", &format!("/v2/acme/app/manifests/{DIGEST_LATEST}"), Some(&t)).status, 200);
    let r = g.registry("GET", "/v2/acme/app/manifests/missing", Some(&t));
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"missing\"}}]}\n"
    );
    let r = g.registry("GET", "/v2/acme/app/nope/manifests/latest", Some(&t));
    assert_eq!(r.status, 404);
    assert!(
        r.body.starts_with(r#"{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry""#)
    );
    assert_eq!(g.registry("GET", "/v2/", Some(&t)).status, 200);
}

#[test]
fn missing_actions_and_bad_tokens_are_401_challenges() {
    if !openssl("missing_actions_and_bad_tokens_are_401_challenges") {
        return;
    }
    let g = start();
    let realm = g.api.jwt_realm();
    // Logged in without access to acme/other (alice is no member of acme/members-only): 200 + [].
    let t = token_of(&g.auth(&["repository:acme/members-only:pull"], Some(("alice", GLPAT_ALICE_READ))));
    let r = g.registry("HEAD", "/v2/acme/members-only/manifests/latest", Some(&t));
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate").unwrap(),
        format!(
            r#"Bearer realm="{realm}",service="container_registry",scope="repository:acme/members-only:pull",error="insufficient_scope""#
        )
    );
    // Pull-only token on an upload: insufficient_scope, scope pull,push.
    let t = token_of(&g.auth(&["repository:acme/app:pull,push"], Some(("alice", GLPAT_ALICE_READ))));
    let r = g.registry("POST", "/v2/acme/app/blobs/uploads/", Some(&t));
    assert_eq!(r.status, 401);
    assert!(
        r.header("www-authenticate")
            .unwrap()
            .ends_with(r#"scope="repository:acme/app:pull,push",error="insufficient_scope""#)
    );
    // Tampered, foreign or garbage tokens: invalid_token.
    let mut tampered = t.clone();
    tampered.insert(tampered.len() - 3, 'A');
    tampered.pop();
    let foreign_dir = tempfile::tempdir().unwrap();
    let foreign = ghcr_doctor_testkit::jwt::SigningKey::generate(foreign_dir.path()).unwrap();
    let forged = foreign
        .sign_json(&ghcr_doctor_testkit::gitlab::jwt_auth::header_json(g.api.signing_key()), &part(&t, 1))
        .unwrap();
    for bad in [tampered.as_str(), forged.as_str(), "not-a-jwt"] {
        let r = g.registry("GET", "/v2/acme/app/manifests/latest", Some(bad));
        assert_eq!(r.status, 401);
        assert!(
            r.header("www-authenticate")
                .unwrap()
                .ends_with(r#"scope="repository:acme/app:pull",error="invalid_token""#)
        );
        assert!(r.body.starts_with(
            r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository""#
        ));
    }
    // A wrong issuer in the registry's eyes.
    g.world.edit(|w| w.settings.issuer = "omnibus-gitlab-issuer".into());
    let r = g.registry("HEAD", "/v2/acme/app/manifests/latest", Some(&t));
    assert!(r.header("www-authenticate").unwrap().ends_with(r#"error="invalid_token""#));
}

#[test]
fn an_expired_jwt_is_invalid_token_after_the_leeway() {
    if !openssl("an_expired_jwt_is_invalid_token_after_the_leeway") {
        return;
    }
    let g = start();
    let t = token_of(&g.auth(&["repository:acme/app:pull,push"], Some(("alice", GLPAT_ALICE_WRITE))));
    let head = |g: &Gitlab| g.registry("HEAD", "/v2/acme/app/manifests/latest", Some(&t));
    assert_eq!(head(&g).status, 200);
    g.world.edit(|w| w.modes.registry_clock_offset_secs = 300 + 55);
    assert_eq!(head(&g).status, 200, "within exp + 60 s leeway");
    g.world.edit(|w| w.modes.registry_clock_offset_secs = 300 + 65);
    let r = head(&g);
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().ends_with(r#"error="invalid_token""#));
    // A token issued "long ago" (the backdate knob) is expired from the start.
    g.world.edit(|w| {
        w.modes.registry_clock_offset_secs = 0;
        w.settings.jwt_lifetime_override = Some(Duration::from_secs(1));
        w.settings.jwt_backdate = Duration::from_secs(120);
    });
    let old = token_of(&g.auth(&["repository:acme/app:pull,push"], Some(("alice", GLPAT_ALICE_WRITE))));
    let r = g.registry("POST", "/v2/acme/app/blobs/uploads/", Some(&old));
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().ends_with(r#"error="invalid_token""#));
}

#[test]
fn uploads_need_push_and_cancel_needs_delete() {
    if !openssl("uploads_need_push_and_cancel_needs_delete") {
        return;
    }
    let g = start();
    let t = token_of(&g.auth(&["repository:acme/app:pull,push"], Some(("alice", GLPAT_ALICE_WRITE))));
    let r = g.registry("POST", "/v2/acme/app/blobs/uploads/", Some(&t));
    assert_eq!(r.status, 202);
    let location = r.header("location").unwrap().to_owned();
    assert!(location.starts_with("/v2/acme/app/blobs/uploads/"), "{location}");
    assert!(r.header("docker-upload-uuid").is_some());
    // DELETE → the `delete` action (gitlab-facts §1): a pull,push token cannot cancel.
    let r = g.registry("DELETE", &location, Some(&t));
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().contains(r#"scope="repository:acme/app:delete""#));
    g.world.edit(|w| {
        w.project_mut("acme/app").unwrap().members.insert("alice".into(), AccessLevel::Maintainer);
    });
    let admin = token_of(&g.auth(&["repository:acme/app:*"], Some(("alice", GLPAT_ALICE_API))));
    assert_eq!(g.registry("DELETE", &location, Some(&admin)).status, 204, "`*` covers every action");
    assert_eq!(g.registry("POST", "/v2/acme/app/blobs/uploads/", Some(&admin)).status, 202);
    // Job token: own project yes, other project no.
    let job = token_of(&g.auth(&["repository:acme/other:pull,push"], Some(("gitlab-ci-token", GLCBT_APP_JOB))));
    assert_eq!(g.registry("POST", "/v2/acme/other/blobs/uploads/", Some(&job)).status, 401);
}

// ---- the API (gitlab-facts §8, §9) ------------------------------------------------------------------

const REVOKED: &str =
    r#"{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}"#;
const EXPIRED: &str = r#"{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}"#;
const UNAUTHORIZED: &str = r#"{"message":"401 Unauthorized"}"#;
const NOT_A_PAT: &str =
    r#"{"message":"400 Bad request - This endpoint requires token type to be a personal access token"}"#;
const NO_PROJECT: &str = r#"{"message":"404 Project Not Found"}"#;

#[test]
fn personal_access_tokens_self() {
    let g = start();
    let bearer = format!("Bearer {GLPAT_ALICE_READ}");
    for headers in [[("PRIVATE-TOKEN", GLPAT_ALICE_READ)], [("Authorization", bearer.as_str())]] {
        let r = g.api_get("personal_access_tokens/self", &headers);
        assert_eq!(r.status, 200, "any scope may read itself");
        assert_eq!(
            keys_in_order(&r.body),
            [
                "id",
                "name",
                "revoked",
                "created_at",
                "description",
                "scopes",
                "user_id",
                "last_used_at",
                "last_used_ips",
                "active",
                "expires_at"
            ]
        );
        let j = r.json();
        assert_eq!(j["scopes"], serde_json::json!(["read_registry"]));
        assert_eq!((j["active"].as_bool(), j["revoked"].as_bool()), (Some(true), Some(false)));
        assert_eq!(j["user_id"], g.world.lock().user("alice").unwrap().id);
        assert!(j["expires_at"].as_str().unwrap().len() == 10);
    }
    let pat = |secret: &str| g.api_get("personal_access_tokens/self", &[("PRIVATE-TOKEN", secret)]);
    assert_eq!((pat(GLPAT_REVOKED).status, pat(GLPAT_REVOKED).body), (401, REVOKED.to_owned()));
    assert_eq!((pat(GLPAT_EXPIRED).status, pat(GLPAT_EXPIRED).body), (401, EXPIRED.to_owned()));
    for unknown in [GLPAT_UNKNOWN, GLDT_APP_READ, GLCBT_APP_JOB] {
        assert_eq!((pat(unknown).status, pat(unknown).body), (401, UNAUTHORIZED.to_owned()));
    }
    assert_eq!(pat(GLPAT_APP_PROJECT_TOKEN).status, 200, "project tokens are PATs (UNCONFIRMED)");
    assert_eq!(pat(LEGACY_PAT_BOB).json()["user_id"], g.world.lock().user("bob").unwrap().id);
    let r = g.api_get("personal_access_tokens/self", &[("Authorization", &format!("Bearer {OAUTH_ALICE}"))]);
    assert_eq!((r.status, r.body.as_str()), (400, NOT_A_PAT));
    let r = g.api_get("personal_access_tokens/self", &[("JOB-TOKEN", GLCBT_APP_JOB)]);
    assert_eq!((r.status, r.body.as_str()), (401, UNAUTHORIZED), "job tokens are not accepted there");
    let r = g.api_get("personal_access_tokens/self", &[]);
    assert_eq!((r.status, r.body.as_str()), (401, UNAUTHORIZED));
}

#[test]
fn user_endpoint_scopes_and_two_factor() {
    let g = start();
    g.world.edit(|w| {
        w.add_access_token("glpat-FAKEcarolReadUser0020", AccessToken::personal("carol", "read_user"));
    });
    let r = g.api_get("user", &[("PRIVATE-TOKEN", GLPAT_ALICE_NO_REGISTRY)]);
    assert_eq!(r.status, 200);
    assert_eq!(keys_in_order(&r.body), ["id", "username", "name", "state", "web_url", "bot", "two_factor_enabled"]);
    assert_eq!((r.json()["username"].as_str(), r.json()["two_factor_enabled"].as_bool()), (Some("alice"), Some(false)));
    let r = g.api_get("user", &[("PRIVATE-TOKEN", "glpat-FAKEcarolReadUser0020")]);
    assert_eq!(r.json()["two_factor_enabled"], true);
    for scope_ok in [GLPAT_ALICE_API, GLPAT_ALICE_READ_API] {
        assert_eq!(g.api_get("user", &[("PRIVATE-TOKEN", scope_ok)]).status, 200);
    }
    let r = g.api_get("user", &[("PRIVATE-TOKEN", GLPAT_ALICE_READ)]);
    assert_eq!(r.status, 403);
    assert_eq!(
        r.body,
        r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api read_user"}"#
    );
    assert_eq!(g.api_get("user", &[("PRIVATE-TOKEN", GLPAT_APP_PROJECT_TOKEN)]).status, 403);
    assert_eq!(g.api_get("user", &[("JOB-TOKEN", GLCBT_APP_JOB)]).body, UNAUTHORIZED);
    assert_eq!(g.api_get("user", &[("PRIVATE-TOKEN", GLDT_APP_READ)]).body, UNAUTHORIZED);
    assert_eq!(g.api_get("user", &[("PRIVATE-TOKEN", GLPAT_REVOKED)]).body, REVOKED);
    let r = g.api_get("user", &[("Authorization", &format!("Bearer {OAUTH_ALICE}"))]);
    assert_eq!(r.json()["username"], "alice");
}

#[test]
fn projects_by_id_or_path() {
    let g = start();
    let id = g.world.lock().project("acme/app").unwrap().id;
    let read_api = [("PRIVATE-TOKEN", GLPAT_ALICE_READ_API)];
    for path in [format!("projects/{id}"), "projects/acme%2Fapp".to_owned(), "projects/ACME%2FApp".to_owned()] {
        let r = g.api_get(&path, &read_api);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.json()["path_with_namespace"], "acme/app");
        assert_eq!(r.json()["container_registry_access_level"], "enabled");
        assert_eq!(r.json()["visibility"], "private");
    }
    let r = g.api_get("projects/acme%2Fno-registry", &read_api);
    assert_eq!(
        (r.json()["container_registry_access_level"].as_str(), r.json()["container_registry_enabled"].as_bool()),
        (Some("disabled"), Some(false))
    );
    for invisible in ["projects/acme%2Fmissing", "projects/999999", "projects/acme%2Fmembers-only%2Fx"] {
        let r = g.api_get(invisible, &read_api);
        assert_eq!((r.status, r.body.as_str()), (404, NO_PROJECT), "{invisible}");
    }
    // Not a member of a private project: 404, as for a missing one.
    g.world.edit(|w| w.add_project(GitlabProject::new("acme/secret")));
    assert_eq!(g.api_get("projects/acme%2Fsecret", &read_api).body, NO_PROJECT);
    // Anonymous: public only.
    assert_eq!(g.api_get("projects/acme%2Fpublic", &[]).status, 200);
    assert_eq!(g.api_get("projects/acme%2Finternal", &[]).body, NO_PROJECT);
    assert_eq!(g.api_get("projects/acme%2Fapp", &[]).body, NO_PROJECT);
    assert_eq!(g.api_get("projects/acme%2Finternal", &[("PRIVATE-TOKEN", GLPAT_ALICE_API)]).status, 200);
    // A registry-only token cannot call the projects API.
    let r = g.api_get("projects/acme%2Fpublic", &[("PRIVATE-TOKEN", GLPAT_ALICE_READ)]);
    assert_eq!(r.status, 403);
    assert!(r.body.contains(r#""error":"insufficient_scope""#));
    let r = g.api_get("projects/acme%2Fmembers-only", &[]);
    assert_eq!(r.json()["container_registry_access_level"], "private");
    assert_eq!(g.api_get("projects/acme%2Fapp", &[("PRIVATE-TOKEN", GLPAT_EXPIRED)]).body, EXPIRED);
}

// ---- the fake glab (gitlab-facts §11) ------------------------------------------------------------------

fn run_glab(
    bin: &FakeBin,
    cfg: Option<&GlabConfigDir>,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &str,
) -> (i32, String, String) {
    let mut cmd = Command::new(bin.dir().join("glab"));
    cmd.args(args).env_clear().env("PATH", bin.isolated_path()).env("HOME", bin.dir().join("home"));
    if let Some(c) = cfg {
        c.apply_env(&mut cmd);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn glab_world() -> (FakeBin, GlabConfigDir, GlabFake) {
    let bin = FakeBin::new().unwrap();
    let cfg_dir = GlabConfigDir::new().unwrap();
    let spec = GlabFake::new()
        .host(
            GlabHost::gitlab_com("alice", GlabToken::Config(GLPAT_ALICE_READ.into())),
            GlabApiResult::LoggedIn("alice".into()),
        )
        .host(
            GlabHost::new("gitlab.example.com", "bob", GlabToken::Keyring(LEGACY_PAT_BOB.into()))
                .registry_domains(&["registry.example.com", "gitlab.example.com:5050"]),
            GlabApiResult::failed_status("gitlab.example.com", 401, "401 Unauthorized"),
        );
    cfg_dir.write(&spec.config).unwrap();
    bin.glab(&spec).unwrap();
    (bin, cfg_dir, spec)
}

#[test]
fn glab_version_and_auth_status() {
    let (bin, cfg, _) = glab_world();
    assert_eq!(
        run_glab(&bin, Some(&cfg), &["--version"], &[], ""),
        (0, "glab 1.79.0 (45aa37be)\n".into(), String::new())
    );
    assert_eq!(run_glab(&bin, Some(&cfg), &["version"], &[], "").1, "glab 1.79.0 (45aa37be)\n");
    let path = cfg.config_path().display().to_string();
    let (code, out, err) = run_glab(&bin, Some(&cfg), &["auth", "status"], &[], "");
    assert_eq!((code, out.as_str()), (1, ""), "all on stderr; a failed host fails the command");
    assert_eq!(
        err,
        format!(
            "gitlab.com\n  ✓ Logged in to gitlab.com as alice ({path})\n  ✓ Git operations for gitlab.com configured to use https protocol.\n  ✓ API calls for gitlab.com are made over https protocol.\n  ✓ REST API Endpoint: https://gitlab.com/api/v4/\n  ✓ GraphQL Endpoint: https://gitlab.com/api/graphql/\n  ✓ Token found: **************************\n\
             gitlab.example.com\n  x gitlab.example.com: API call failed: GET https://gitlab.example.com/api/v4/user: 401 {{message: 401 Unauthorized}}\n  ✓ Git operations for gitlab.example.com configured to use https protocol.\n  ✓ API calls for gitlab.example.com are made over https protocol.\n  ✓ REST API Endpoint: https://gitlab.example.com/api/v4/\n  ✓ GraphQL Endpoint: https://gitlab.example.com/api/graphql/\n  ✓ Token found: **************************\n\
             \nx could not authenticate to one or more of the configured GitLab instances.\n"
        )
    );
    let (code, _, err) = run_glab(&bin, Some(&cfg), &["auth", "status", "--hostname", "gitlab.com"], &[], "");
    assert_eq!(code, 0);
    assert!(err.ends_with("  ✓ Token found: **************************\n") && !err.contains("example"));
    // The env token beats the file: its name is the source, and the warning follows.
    let (code, _, err) = run_glab(
        &bin,
        Some(&cfg),
        &["auth", "status", "--hostname", "gitlab.com"],
        &[("GITLAB_TOKEN", GLPAT_ALICE_API)],
        "",
    );
    assert_eq!(code, 0);
    assert!(err.contains("  ✓ Logged in to gitlab.com as alice (GITLAB_TOKEN)\n"), "{err}");
    assert!(err.ends_with("\n! One of GITLAB_TOKEN, GITLAB_ACCESS_TOKEN, OAUTH_TOKEN environment variables is set. It will be used for all authentication.\n"));
    assert!(!err.contains(GLPAT_ALICE_API));
    // GITLAB_HOST selects a non-gitlab.com host; an unknown host is refused.
    let (_, _, err) = run_glab(&bin, Some(&cfg), &["auth", "status"], &[("GITLAB_HOST", "gitlab.example.com")], "");
    assert!(err.starts_with("gitlab.example.com\n") && !err.contains("gitlab.com as"));
    let (code, _, err) = run_glab(&bin, Some(&cfg), &["auth", "status", "--hostname", "other.example"], &[], "");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "x other.example has not been authenticated with glab. Run `glab auth login --hostname other.example` to authenticate.\n"
    );
    // Keyring source.
    let spec = GlabFake::new().host(
        GlabHost::new("gitlab.example.com", "bob", GlabToken::Keyring(LEGACY_PAT_BOB.into())),
        GlabApiResult::LoggedIn("bob".into()),
    );
    bin.glab(&spec).unwrap();
    let (code, _, err) = run_glab(&bin, Some(&cfg), &["auth", "status"], &[], "");
    assert_eq!(code, 0);
    assert!(err.contains("  ✓ Logged in to gitlab.example.com as bob (keyring)\n"), "{err}");
    // No token at all.
    let spec = GlabFake::new().host(
        GlabHost::new("gitlab.example.com", "bob", GlabToken::None),
        GlabApiResult::failed_status("gitlab.example.com", 401, "401 Unauthorized"),
    );
    bin.glab(&spec).unwrap();
    let (_, _, err) = run_glab(&bin, Some(&cfg), &["auth", "status"], &[], "");
    assert!(err.contains("  ! No token found (checked config file, keyring, and environment variables).\n"));
    // No host configured.
    bin.glab(&GlabFake::new()).unwrap();
    assert_eq!(
        run_glab(&bin, Some(&cfg), &["auth", "status"], &[], ""),
        (
            1,
            String::new(),
            "No GitLab instances have been authenticated with glab. Run `glab auth login` to authenticate.\n\n".into()
        )
    );
    assert!(!bin.calls().join("\n").contains("glpat-"), "no secret in the call log");
}

#[test]
fn glab_config_file_mode_and_location() {
    let (bin, cfg, spec) = glab_world();
    let mode = |p: &Path| std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions()) & 0o777;
    assert_eq!(mode(&cfg.config_path()), 0o600);
    let yaml = std::fs::read_to_string(cfg.config_path()).unwrap();
    assert!(yaml.starts_with("host: gitlab.com\nhosts:\n    gitlab.com:\n"), "{yaml}");
    cfg.write_with_mode(&spec.config, 0o644).unwrap();
    assert_eq!(mode(&cfg.config_path()), 0o644);
    let path = cfg.config_path().display().to_string();
    for args in [&["--version"][..], &["auth", "status"][..]] {
        assert_eq!(
            run_glab(&bin, Some(&cfg), args, &[], ""),
            (
                2,
                String::new(),
                format!(
                    "failed to read configuration:  {path} has the permissions 644, but glab requires 600.\nConsider running `chmod 600 {path}`\n"
                )
            )
        );
    }
    // Without GLAB_CONFIG_DIR: ~/.config/glab-cli/config.yml (XDG default on Linux).
    let home = bin.dir().join("home");
    std::fs::create_dir_all(home.join(".config/glab-cli")).unwrap();
    let legacy = home.join(".config/glab-cli/config.yml");
    std::fs::write(&legacy, spec.config.to_yaml()).unwrap();
    std::fs::set_permissions(&legacy, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (_, _, err) = run_glab(&bin, None, &["auth", "status", "--hostname", "gitlab.com"], &[], "");
    assert!(err.contains(&format!("as alice ({})", legacy.display())), "{err}");
}

#[test]
fn glab_docker_helper() {
    let (bin, cfg, _) = glab_world();
    let get = |url: &str| run_glab(&bin, Some(&cfg), &["auth", "docker-helper", "get"], &[], url);
    assert_eq!(
        get("registry.gitlab.com\n"),
        (
            0,
            format!(
                "{{\"ServerURL\":\"registry.gitlab.com\",\"Username\":\"alice\",\"Secret\":\"{GLPAT_ALICE_READ}\"}}\n"
            ),
            String::new()
        )
    );
    let (code, out, _) = get("gitlab.example.com:5050");
    assert_eq!(code, 0);
    assert!(out.contains(r#""Username":"bob""#), "keyring tokens are served");
    assert_eq!(
        get("registry.other.com"),
        (1, String::new(), "no hostname associated with registryURL: registry.other.com\n".into())
    );
    assert_eq!(get(""), (1, String::new(), "no credentials server URL\n".into()));
    let (code, _, err) = run_glab(
        &bin,
        Some(&cfg),
        &["auth", "docker-helper", "store"],
        &[],
        r#"{"ServerURL":"registry.gitlab.com","Username":"u","Secret":"s"}"#,
    );
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "glab auth docker-helper does not support manual registry logins. Remove the glab credential helper for registry.gitlab.com if you'd like to manually handle credentials for this registry.\n"
    );
    let (code, _, err) = run_glab(&bin, Some(&cfg), &["auth", "docker-helper", "erase"], &[], "registry.gitlab.com\n");
    assert_eq!(code, 1);
    assert!(err.starts_with("glab auth docker-helper does not support manual registry logouts. Remove the glab credential helper for registry.gitlab.com"));
    assert_eq!(
        run_glab(&bin, Some(&cfg), &["auth", "docker-helper", "list"], &[], "").2,
        "invalid argument \"list\" for \"glab auth docker-helper\"\n"
    );
    assert_eq!(
        run_glab(&bin, Some(&cfg), &["auth", "docker-helper"], &[], "").2,
        "arg is missing - valid args: [store get erase]\n"
    );
    // The env token is not used by the helper; no user → the documented error.
    let spec = GlabFake::new().host(
        GlabHost { user: None, ..GlabHost::gitlab_com("x", GlabToken::None) },
        GlabApiResult::LoggedIn("x".into()),
    );
    bin.glab(&spec).unwrap();
    assert_eq!(get("registry.gitlab.com").2, "glab user for this registryURL (hostname) is empty\n");
    let spec =
        GlabFake::new().host(GlabHost::gitlab_com("alice", GlabToken::None), GlabApiResult::LoggedIn("alice".into()));
    bin.glab(&spec).unwrap();
    let (code, _, err) = run_glab(
        &bin,
        Some(&cfg),
        &["auth", "docker-helper", "get"],
        &[("GITLAB_TOKEN", GLPAT_ALICE_API)],
        "registry.gitlab.com",
    );
    assert_eq!((code, err.as_str()), (1, "glab token for this registryURL (hostname) is empty\n"));
    // docker-credential-glab, as configure-docker writes it.
    let spec = GlabFake::new().host(
        GlabHost::gitlab_com("alice", GlabToken::Config(GLPAT_ALICE_READ.into())),
        GlabApiResult::LoggedIn("alice".into()),
    );
    bin.glab(&spec).unwrap();
    let helper = bin.glab_docker_credential_helper().unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&helper).unwrap().permissions()) & 0o777,
        0o700
    );
    let mut cmd = Command::new(&helper);
    cfg.apply_env(&mut cmd);
    let mut child =
        cmd.arg("get").env("PATH", bin.isolated_path()).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"registry.gitlab.com\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(r#""Username":"alice""#));
    // Before 1.62.0 there is no docker-helper (UNCONFIRMED rendering: glab auth's help).
    bin.glab(&GlabFake::with_version("1.61.0")).unwrap();
    assert_eq!(get("registry.gitlab.com"), (0, "Manage glab's authentication state.\n".into(), String::new()));
    assert!(bin.calls().iter().any(|c| c == "glab auth docker-helper get registry.gitlab.com"));
    assert!(!bin.calls().join("\n").contains(GLPAT_ALICE_READ));
}

// ---- no secret anywhere but where it belongs ---------------------------------------------------------

#[test]
fn no_secret_in_debug_output_or_logs() {
    let g = start();
    let _ = g.login(Some(("alice", GLPAT_ALICE_READ)));
    let _ = g.api_get("user", &[("PRIVATE-TOKEN", GLPAT_ALICE_API)]);
    let world = format!("{:?}", *g.world.lock());
    let dump = format!("{world}\n{:?}", g.world.log());
    for secret in ALL_SECRETS {
        assert!(!dump.contains(secret), "{} leaked", ghcr_doctor_testkit::gitlab::mask(secret));
    }
    assert!(dump.contains("glpat-****"));
}
