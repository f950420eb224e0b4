//! The fake ghcr.io over real sockets: challenge, `/token` in every mode, manifests, uploads.

use ghcr_doctor_testkit::client::{self, ClientResponse, basic};
use ghcr_doctor_testkit::fixtures::*;
use ghcr_doctor_testkit::{
    AuthScheme, InvalidCredentialsMode, NoAccessMode, Org, Package, RegistryServer, Role, ServerKind, SharedWorld,
    SsoRegistryMode, Token, TokenDecision, decide_token,
};

const DENIED: &str = r#"{"errors":[{"code":"DENIED","message":"denied"}]}"#;
const ANON_DENIED: &str = r#"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#;
const AUTH_REQUIRED: &str = r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#;
const UNAUTHENTICATED: &str = r#"{"errors":[{"code":"UNAUTHORIZED","message":"unauthenticated: User cannot be authenticated with the token provided."}]}"#;
const SCOPES: &str = r#"{"errors":[{"code":"DENIED","message":"permission_denied: The token provided does not match expected scopes."}]}"#;

fn start() -> (SharedWorld, RegistryServer) {
    let world = SharedWorld::new(standard_world());
    let reg = RegistryServer::start(world.clone()).unwrap();
    (world, reg)
}

fn token(reg: &RegistryServer, repo: &str, actions: &str, creds: Option<(&str, &str)>) -> ClientResponse {
    let url = format!("{}token?scope=repository:{repo}:{actions}&service=ghcr.io", reg.base_url());
    let auth = creds.map(|(u, p)| basic(u, p));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    client::get(&url, &headers).unwrap()
}

fn bearer_of(r: &ClientResponse) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

fn manifest(reg: &RegistryServer, method: &str, repo: &str, reference: &str, bearer: Option<&str>) -> ClientResponse {
    let url = format!("{}v2/{repo}/manifests/{reference}", reg.base_url());
    let auth = bearer.map(|b| format!("Bearer {b}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    client::request(method, &url, &headers, &[]).unwrap()
}

#[test]
fn v2_without_auth_is_the_ghcr_challenge() {
    let (_w, reg) = start();
    let r = client::get(&format!("{}v2/", reg.base_url()), &[]).unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate").unwrap(),
        format!(r#"Bearer realm="{}token",service="ghcr.io",scope="repository:user/image:pull""#, reg.base_url())
    );
    assert_eq!(r.header("docker-distribution-api-version"), Some("registry/2.0"));
    assert!(r.header("x-github-request-id").is_some());
    assert_eq!(r.body, format!("{AUTH_REQUIRED}\n"));
    assert_eq!(r.body.len(), 73, "ghcr-facts §1.1: 73 bytes");
}

#[test]
fn realm_and_service_are_configurable() {
    let (w, reg) = start();
    w.edit(|w| {
        w.registry.service = "containers.ghe.test".into();
        w.registry.realm = Some("https://containers.ghe.test/token".into());
    });
    let r = client::get(&format!("{}v2/", reg.base_url()), &[]).unwrap();
    assert_eq!(
        r.header("www-authenticate").unwrap(),
        r#"Bearer realm="https://containers.ghe.test/token",service="containers.ghe.test",scope="repository:user/image:pull""#
    );
    assert_eq!(reg.realm(), "https://containers.ghe.test/token");
}

#[test]
fn anonymous_public_gets_an_opaque_token_and_the_manifest() {
    let (w, reg) = start();
    let r = token(&reg, "acme/public-app", "pull", None);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let t = bearer_of(&r);
    assert_eq!(t.matches('.').count(), 0, "not a JWT");
    let decoded = String::from_utf8(ghcr_doctor_testkit::http::base64_decode(&t).unwrap()).unwrap();
    assert!(decoded.starts_with("v1:acme/public-app:"), "{decoded}");
    let m = manifest(&reg, "HEAD", "acme/public-app", "latest", Some(&t));
    assert_eq!(m.status, 200);
    assert_eq!(m.header("docker-content-digest"), Some(DIGEST_LATEST));
    assert_eq!(m.header("content-type"), Some("application/vnd.oci.image.index.v1+json"));
    assert_eq!(m.body, "", "HEAD has no body");
    let m = manifest(&reg, "GET", "acme/public-app", DIGEST_LATEST, Some(&t));
    assert_eq!(m.status, 200);
    assert!(m.body.contains("schemaVersion"));
    let log = w.log();
    assert_eq!(log[0].server, ServerKind::Registry);
    assert_eq!(log[0].path, "/token");
    assert_eq!(log[0].auth, AuthScheme::None);
    assert_eq!(log[1].auth, AuthScheme::Bearer);
}

#[test]
fn anonymous_private_or_missing_is_denied() {
    let (_w, reg) = start();
    for repo in ["acme/app", "acme/does-not-exist", "user/image"] {
        let r = token(&reg, repo, "pull", None);
        assert_eq!((r.status, r.body.trim_end()), (403, ANON_DENIED), "{repo}");
    }
    let r = token(&reg, "acme/public-app", "push,pull", None);
    assert_eq!(r.status, 403);
}

#[test]
fn invalid_tokens_in_both_renderings() {
    let (w, reg) = start();
    for secret in [GHP_EXPIRED, GHO_UNKNOWN, "not-a-token"] {
        let r = token(&reg, "acme/app", "pull", Some(("octocat", secret)));
        assert_eq!((r.status, r.body.trim_end()), (401, UNAUTHENTICATED));
    }
    w.edit(|w| w.registry.invalid_credentials = InvalidCredentialsMode::Denied);
    let r = token(&reg, "acme/public-app", "pull", Some(("octocat", GHP_EXPIRED)));
    assert_eq!((r.status, r.body.trim_end()), (403, DENIED), "stale creds break public pulls too");
    // docker login: no scope.
    let url = format!("{}token?account=octocat&client_id=docker&offline_token=true&service=ghcr.io", reg.base_url());
    let r = client::get(&url, &[("Authorization", &basic("octocat", GHP_EXPIRED))]).unwrap();
    assert_eq!((r.status, r.body.trim_end()), (403, DENIED));
    let r = client::get(&url, &[("Authorization", &basic("octocat", GHO_NO_PACKAGES))]).unwrap();
    assert_eq!(r.status, 200, "login passes with any valid token");
}

#[test]
fn bearer_pat_on_token_endpoint_is_challenged() {
    let (_w, reg) = start();
    let url = format!("{}token?scope=repository:acme/app:pull&service=ghcr.io", reg.base_url());
    let r = client::get(&url, &[("Authorization", &format!("Bearer {GHO_OCTOCAT}"))]).unwrap();
    assert_eq!((r.status, r.body.trim_end()), (401, AUTH_REQUIRED));
    assert!(r.header("www-authenticate").is_some());
}

#[test]
fn missing_scopes_and_fine_grained() {
    let (_w, reg) = start();
    let r = token(&reg, "acme/app", "pull", Some(("octocat", GHO_NO_PACKAGES)));
    assert_eq!((r.status, r.body.trim_end()), (403, SCOPES));
    let r = token(&reg, "acme/public-app", "pull", Some(("octocat", GHP_REPO_ONLY)));
    assert_eq!((r.status, r.body.trim_end()), (403, SCOPES), "scope check applies to public packages too");
    let r = token(&reg, "acme/app", "push,pull", Some(("octocat", GHO_OCTOCAT)));
    assert_eq!((r.status, r.body.trim_end()), (403, SCOPES), "push needs write:packages");
    let r = token(&reg, "acme/app", "pull", Some(("octocat", GITHUB_PAT_FINE)));
    assert_eq!((r.status, r.body.trim_end()), (403, SCOPES));
}

#[test]
fn org_forbidding_classic_pats() {
    let (_w, reg) = start();
    let r = token(&reg, "locked/app", "pull", Some(("octocat", GHP_WRITE)));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.body.trim_end(),
        r#"{"errors":[{"code":"DENIED","message":"permission_denied: `locked` forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions."}]}"#
    );
    // OAuth tokens are not classic PATs; the OAuth App restriction is not enforced by default.
    assert_eq!(token(&reg, "locked/app", "pull", Some(("octocat", GHO_OCTOCAT))).status, 200);
}

#[test]
fn oauth_restriction_mode() {
    let (w, reg) = start();
    w.edit(|w| w.registry.oauth_restriction_enforced = true);
    let r = token(&reg, "locked/app", "pull", Some(("octocat", GHO_OCTOCAT)));
    assert_eq!((r.status, r.body.trim_end()), (403, DENIED));
}

#[test]
fn sso_modes() {
    let (w, reg) = start();
    let r = token(&reg, "sso-corp/app", "pull", Some(("octocat", GHO_OCTOCAT)));
    assert_eq!((r.status, r.body.trim_end()), (401, AUTH_REQUIRED));
    w.edit(|w| w.registry.sso = SsoRegistryMode::Denied);
    let r = token(&reg, "sso-corp/app", "pull", Some(("octocat", GHO_OCTOCAT)));
    assert_eq!((r.status, r.body.trim_end()), (403, DENIED));
    w.edit(|w| w.registry.sso = SsoRegistryMode::LegacySamlMessage);
    let r = token(&reg, "sso-corp/app", "pull", Some(("octocat", GHO_OCTOCAT)));
    assert_eq!(r.status, 401);
    assert!(r.body.contains("Resource protected by organization SAML enforcement."));
    w.edit(|w| w.registry.sso = SsoRegistryMode::NotEnforced);
    assert_eq!(token(&reg, "sso-corp/app", "pull", Some(("octocat", GHO_OCTOCAT))).status, 200);
    w.edit(|w| {
        w.registry.sso = SsoRegistryMode::Unauthorized;
        w.token_mut(GHO_OCTOCAT).unwrap().sso_authorized_orgs.insert("sso-corp".into());
    });
    assert_eq!(token(&reg, "sso-corp/app", "pull", Some(("octocat", GHO_OCTOCAT))).status, 200);
}

#[test]
fn granted_pull_then_manifest_known_and_unknown() {
    let (_w, reg) = start();
    let t = bearer_of(&token(&reg, "acme/app", "pull", Some(("whatever-user", GHO_OCTOCAT))));
    let m = manifest(&reg, "HEAD", "acme/app", "latest", Some(&t));
    assert_eq!(m.status, 200);
    assert_eq!(m.header("docker-content-digest"), Some(DIGEST_LATEST));
    let m = manifest(&reg, "HEAD", "acme/app", "nope", Some(&t));
    assert_eq!((m.status, m.body.trim_end()), (404, ""), "HEAD: no body");
    let m = manifest(&reg, "GET", "acme/app", "nope", Some(&t));
    assert_eq!(
        (m.status, m.body.trim_end()),
        (404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#)
    );
    // Without (or with an unknown) bearer: challenge with the real scope.
    for b in [None, Some("garbage")] {
        let m = manifest(&reg, "GET", "acme/app", "latest", b);
        assert_eq!(m.status, 401);
        assert!(m.header("www-authenticate").unwrap().ends_with(r#"scope="repository:acme/app:pull""#));
        assert_eq!(m.body.trim_end(), AUTH_REQUIRED);
    }
    // A token for another repository is rejected.
    let m = manifest(&reg, "GET", "acme/public-app", "latest", Some(&t));
    assert_eq!((m.status, m.body.trim_end()), (403, r#"{"errors":[{"code":"DENIED","message":"invalid token"}]}"#));
    // Nested names.
    let t = bearer_of(&token(&reg, "acme/tools/cli", "pull", Some(("octocat", GHO_OCTOCAT))));
    assert_eq!(manifest(&reg, "HEAD", "acme/tools/cli", "1.0", Some(&t)).status, 200);
    // /v2/ with a valid bearer.
    let r = client::get(&format!("{}v2/", reg.base_url()), &[("Authorization", &format!("Bearer {t}"))]).unwrap();
    assert_eq!(r.status, 200);
}

#[test]
fn no_access_modes() {
    let (w, reg) = start();
    for repo in ["acme/secret", "acme/missing"] {
        let r = token(&reg, repo, "pull", Some(("octocat", GHO_OCTOCAT)));
        assert_eq!((r.status, r.body.trim_end()), (403, DENIED), "{repo}");
    }
    w.edit(|w| w.registry.no_access = NoAccessMode::ReducedToken);
    let t = bearer_of(&token(&reg, "acme/secret", "pull", Some(("octocat", GHO_OCTOCAT))));
    let m = manifest(&reg, "GET", "acme/secret", "latest", Some(&t));
    assert_eq!((m.status, m.body.trim_end()), (403, r#"{"errors":[{"code":"DENIED","message":"invalid token"}]}"#));
}

#[test]
fn push_rights() {
    let (w, reg) = start();
    let upload = |repo: &str, bearer: Option<&str>| {
        let auth = bearer.map(|b| format!("Bearer {b}"));
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        client::request("POST", &format!("{}v2/{repo}/blobs/uploads/", reg.base_url()), &headers, &[]).unwrap()
    };
    // Read-only grant → write_package.
    let r = token(&reg, "acme/app", "push,pull", Some(("octocat", GHP_WRITE)));
    assert_eq!(r.body.trim_end(), r#"{"errors":[{"code":"DENIED","message":"permission_denied: write_package"}]}"#);
    // New package in someone else's namespace → create_package.
    let r = token(&reg, "someone/new", "push,pull", Some(("octocat", GHP_WRITE)));
    assert_eq!(r.body.trim_end(), r#"{"errors":[{"code":"DENIED","message":"permission_denied: create_package"}]}"#);
    // Write grant → 202.
    let t = bearer_of(&token(&reg, "acme/tools/cli", "push,pull", Some(("octocat", GHP_WRITE))));
    let u = upload("acme/tools/cli", Some(&t));
    assert_eq!(u.status, 202);
    assert!(u.header("location").unwrap().starts_with("/v2/acme/tools/cli/blobs/uploads/"));
    assert!(u.header("docker-upload-uuid").is_some());
    // New package in an org octocat belongs to → allowed.
    assert_eq!(token(&reg, "acme/brand-new", "push,pull", Some(("octocat", GHP_WRITE))).status, 200);
    // A pull-only token cannot upload; no token → challenge with push scope.
    let t = bearer_of(&token(&reg, "acme/app", "pull", Some(("octocat", GHO_OCTOCAT))));
    assert_eq!(upload("acme/app", Some(&t)).status, 403);
    let u = upload("acme/app", None);
    assert_eq!(u.status, 401);
    assert!(u.header("www-authenticate").unwrap().ends_with(r#"scope="repository:acme/app:pull,push""#));
    // Reduced-token mode defers the write denial to the upload.
    w.edit(|w| w.registry.no_access = NoAccessMode::ReducedToken);
    let t = bearer_of(&token(&reg, "acme/app", "push,pull", Some(("octocat", GHP_WRITE))));
    let u = upload("acme/app", Some(&t));
    assert_eq!(
        (u.status, u.body.trim_end()),
        (403, r#"{"errors":[{"code":"DENIED","message":"permission_denied: write_package"}]}"#)
    );
    assert_eq!(manifest(&reg, "HEAD", "acme/app", "latest", Some(&t)).status, 200, "pull still granted");
}

#[test]
fn actions_installation_tokens() {
    let (w, reg) = start();
    let creds = Some(("x-access-token", GHS_ACTIONS));
    assert_eq!(token(&reg, "acme/app", "push,pull", creds).status, 200);
    let r = token(&reg, "acme/secret", "pull", creds);
    assert_eq!(
        (r.status, r.body.trim_end()),
        (403, r#"{"errors":[{"code":"DENIED","message":"installation not allowed to Read organization package"}]}"#)
    );
    let r = token(&reg, "acme/secret", "push,pull", creds);
    assert!(r.body.contains("installation not allowed to Write organization package"), "{}", r.body);
    // New package in the workflow repo's org: allowed unless the org disabled it.
    assert_eq!(token(&reg, "acme/new-one", "push,pull", creds).status, 200);
    w.edit(|w| w.org_mut("acme").unwrap().actions_can_create_packages = false);
    let r = token(&reg, "acme/new-one", "push,pull", creds);
    assert!(r.body.contains("installation not allowed to Create organization package"), "{}", r.body);
    // Job with packages: read only.
    w.edit(|w| w.token_mut(GHS_ACTIONS).unwrap().installation.as_mut().unwrap().packages = Some(Role::Read));
    let r = token(&reg, "acme/app", "push,pull", creds);
    assert!(r.body.contains("Write organization package"));
    assert_eq!(token(&reg, "acme/app", "pull", creds).status, 200);
    // Reduced-token mode: the installation text shows up at the manifest.
    w.edit(|w| w.registry.no_access = NoAccessMode::ReducedToken);
    let t = bearer_of(&token(&reg, "acme/secret", "pull", creds));
    let m = manifest(&reg, "GET", "acme/secret", "latest", Some(&t));
    assert!(m.body.contains("installation not allowed to Read organization package"));
}

#[test]
fn rate_limit_force_status_and_latency() {
    let (w, reg) = start();
    w.edit(|w| w.registry.rate_limited = true);
    let r = token(&reg, "acme/public-app", "pull", None);
    assert_eq!(
        (r.status, r.body.trim_end()),
        (429, r#"{"errors":[{"code":"TOOMANYREQUESTS","message":"retry-after: 880.092µs, allowed: 44000/minute"}]}"#)
    );
    assert_eq!(manifest(&reg, "HEAD", "acme/public-app", "latest", Some("x")).status, 429);
    w.edit(|w| {
        w.registry.rate_limited = false;
        w.registry.force_status = Some(503);
    });
    assert_eq!(client::get(&format!("{}v2/", reg.base_url()), &[]).unwrap().status, 503);
    w.edit(|w| {
        w.registry.force_status = None;
        w.registry.latency = std::time::Duration::from_millis(150);
    });
    let t0 = std::time::Instant::now();
    assert_eq!(client::get(&format!("{}v2/", reg.base_url()), &[]).unwrap().status, 401);
    assert!(t0.elapsed() >= std::time::Duration::from_millis(150));
}

#[test]
fn decide_token_is_pure_and_reusable() {
    let mut world = standard_world();
    world.add_org(Org::new("solo"));
    world.add_package(Package::new("solo", "img").grant("octocat", Role::Write));
    world.add_token("ghp_FAKEanotherClassicPat00000000000009", Token::new("octocat").scopes("write:packages"));
    let d = decide_token(
        &world,
        Some(("u", "ghp_FAKEanotherClassicPat00000000000009")),
        &["repository:solo/img:push,pull"],
    );
    match d {
        TokenDecision::Issue { subject, access } => {
            assert_eq!(subject.as_deref(), Some("octocat"));
            assert_eq!(access[0].actions, vec!["push", "pull"]);
        }
        other => panic!("{other:?}"),
    }
    // Several scopes in one parameter, and one denied among them.
    let d = decide_token(&world, None, &["repository:acme/public-app:pull repository:acme/app:pull"]);
    assert!(matches!(d, TokenDecision::Deny(e) if e.status == 403));
    assert!(world.issued.is_empty(), "deciding issues nothing");
}

#[test]
fn server_stops_on_drop() {
    let (_w, reg) = start();
    let url = format!("{}v2/", reg.base_url());
    drop(reg);
    assert!(client::get(&url, &[]).is_err());
}
