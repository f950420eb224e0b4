//! The fake GitHub REST API over TCP and a unix socket: statuses, key headers, exact bodies.

use ghcr_doctor_testkit::client::{self, ClientResponse};
use ghcr_doctor_testkit::fixtures::*;
use ghcr_doctor_testkit::{ApiServer, AuthScheme, InstallationUserMode, ServerKind, SharedWorld};

fn start() -> (SharedWorld, ApiServer) {
    let world = SharedWorld::new(standard_world());
    let api = ApiServer::start(world.clone()).unwrap();
    (world, api)
}

fn get(api: &ApiServer, path: &str, token: Option<&str>) -> ClientResponse {
    let auth = token.map(|t| format!("token {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    client::get(&format!("{}{}", api.base_url(), path.trim_start_matches('/')), &headers).unwrap()
}

#[test]
fn root_and_user_with_scopes() {
    let (w, api) = start();
    assert!(api.base_url().starts_with("http://127.0.0.1:") && api.base_url().ends_with('/'));
    let r = get(&api, "/", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-oauth-scopes"), Some("gist, read:org, read:packages, repo"));
    assert!(r.header("x-accepted-oauth-scopes").is_some());
    assert_eq!(r.header("x-github-media-type"), Some("github.v3; format=json"));
    assert!(r.header("x-github-request-id").is_some());
    let r = get(&api, "/user", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["login"], "octocat");
    assert_eq!(r.json()["type"], "User");
    // Bearer works too; the log keeps the scheme, never the secret.
    let b = format!("Bearer {GHP_WRITE}");
    let r = client::get(&format!("{}user", api.base_url()), &[("Authorization", &b)]).unwrap();
    assert_eq!(r.header("x-oauth-scopes"), Some("read:packages, write:packages"));
    let log = w.log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].server, ServerKind::Api);
    assert_eq!(log[1].auth, AuthScheme::Token);
    assert_eq!(log[2].auth, AuthScheme::Bearer);
    assert!(!format!("{log:?}").contains(GHO_OCTOCAT));
}

#[test]
fn non_classic_tokens_send_no_scopes_header() {
    let (_w, api) = start();
    let r = get(&api, "/", Some(GITHUB_PAT_FINE));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-oauth-scopes"), None);
    let r = get(&api, "/", Some(GHS_ACTIONS));
    assert_eq!(r.header("x-oauth-scopes"), None);
}

#[test]
fn bad_credentials() {
    let (_w, api) = start();
    for t in [GHO_UNKNOWN, GHP_EXPIRED] {
        for path in ["/", "/user", "/orgs/acme", "/orgs/acme/packages/container/app"] {
            let r = get(&api, path, Some(t));
            assert_eq!(r.status, 401, "{path}");
            assert_eq!(
                r.body,
                r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#
            );
            assert_eq!(r.header("x-oauth-scopes"), None);
        }
    }
}

#[test]
fn installation_token_on_user() {
    let (w, api) = start();
    let r = get(&api, "/user", Some(GHS_ACTIONS));
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["message"], "Resource not accessible by integration");
    w.edit(|w| w.api.installation_user = InstallationUserMode::Ok);
    let r = get(&api, "/user", Some(GHS_ACTIONS));
    assert_eq!(r.json()["login"], "github-actions[bot]");
}

#[test]
fn orgs_and_sso_and_policies() {
    let (_w, api) = start();
    let r = get(&api, "/orgs/acme", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!((j["login"].as_str(), j["type"].as_str()), (Some("acme"), Some("Organization")));
    assert!(j["id"].as_u64().is_some());
    for who in ["octocat", "nobody"] {
        let r = get(&api, &format!("/orgs/{who}"), Some(GHO_OCTOCAT));
        assert_eq!(r.status, 404);
        assert_eq!(r.json()["message"], "Not Found");
        assert_eq!(r.json()["status"], "404");
    }
    let r = get(&api, "/orgs/sso-corp", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 403);
    let sso = r.header("x-github-sso").unwrap();
    assert!(sso.starts_with("required; url=https://github.com/orgs/sso-corp/sso?authorization_request="), "{sso}");
    assert_eq!(
        r.body,
        r#"{"message": "Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.", "documentation_url": "https://docs.github.com"}"#
    );
    // Fine-grained PATs are SSO-authorized at creation.
    assert_eq!(get(&api, "/orgs/sso-corp", Some(GITHUB_PAT_FINE)).status, 200);
    let r = get(&api, "/orgs/locked", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "Although you appear to have the correct authorization credentials, the `locked` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited."
    );
    let r = get(&api, "/orgs/locked", Some(GHP_WRITE));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "locked forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions."
    );
}

#[test]
fn memberships() {
    let (w, api) = start();
    let r = get(&api, "/user/memberships/orgs/acme", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!((j["state"].as_str(), j["role"].as_str()), (Some("active"), Some("member")));
    assert_eq!(j["organization"]["login"], "acme");
    w.edit(|w| {
        let org = w.org_mut("acme").unwrap();
        org.members.clear();
    });
    assert_eq!(get(&api, "/user/memberships/orgs/acme", Some(GHO_OCTOCAT)).status, 404);
    w.edit(|w| {
        let org = w.org_mut("acme").unwrap();
        *org = org.clone().member(
            "octocat",
            ghcr_doctor_testkit::MemberState::Pending,
            ghcr_doctor_testkit::OrgRole::Admin,
        );
    });
    let j = get(&api, "/user/memberships/orgs/acme", Some(GHO_OCTOCAT)).json();
    assert_eq!((j["state"].as_str(), j["role"].as_str()), (Some("pending"), Some("admin")));
    assert_eq!(get(&api, "/user/memberships/orgs/sso-corp", Some(GHO_OCTOCAT)).status, 403);
}

#[test]
fn packages() {
    let (w, api) = start();
    let r = get(&api, "/orgs/acme/packages/container/app", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    let j = r.json();
    for field in [
        "id",
        "name",
        "package_type",
        "url",
        "html_url",
        "version_count",
        "visibility",
        "owner",
        "repository",
        "created_at",
        "updated_at",
    ] {
        assert!(j.get(field).is_some(), "{field}");
    }
    assert_eq!(j["visibility"], "private");
    assert_eq!(j["package_type"], "container");
    assert_eq!(j["repository"]["full_name"], "acme/app-repo");
    // Nested names must be encoded.
    let r = get(&api, "/orgs/acme/packages/container/tools%2Fcli", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["name"], "tools/cli");
    assert!(r.json()["url"].as_str().unwrap().ends_with("/packages/container/tools%2Fcli"));
    assert_eq!(get(&api, "/orgs/acme/packages/container/tools/cli", Some(GHO_OCTOCAT)).status, 404);
    // Missing and no-access look the same.
    let not_found = r#"{"message":"Package not found.","documentation_url":"https://docs.github.com/rest/packages/packages#get-a-package-for-an-organization","status":"404"}"#;
    for name in ["secret", "missing"] {
        let r = get(&api, &format!("/orgs/acme/packages/container/{name}"), Some(GHO_OCTOCAT));
        assert_eq!((r.status, r.body.as_str()), (404, not_found));
    }
    // Scope required.
    let r = get(&api, "/orgs/acme/packages/container/app", Some(GHO_NO_PACKAGES));
    assert_eq!(r.status, 403);
    assert_eq!(r.header("x-accepted-oauth-scopes"), Some("read:packages"));
    assert_eq!(r.header("x-oauth-scopes"), Some("gist, read:org, repo"));
    assert!(r.json()["message"].as_str().unwrap().contains("read:packages"));
    // App installation token → 404.
    assert_eq!(get(&api, "/orgs/acme/packages/container/app", Some(GHS_ACTIONS)).status, 404);
    // User packages.
    let r = get(&api, "/users/octocat/packages/container/hello", Some(GHO_OCTOCAT));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["owner"]["type"], "User");
    assert_eq!(get(&api, "/user/packages/container/hello", Some(GHO_OCTOCAT)).status, 200);
    // Public packages are visible to anyone authenticated; visibility is editable live.
    w.edit(|w| w.package_mut("acme", "secret").unwrap().visibility = ghcr_doctor_testkit::Visibility::Public);
    let r = get(&api, "/orgs/acme/packages/container/secret", Some(GHO_OCTOCAT));
    assert_eq!(r.json()["visibility"], "public");
    // SSO applies to org packages.
    assert_eq!(get(&api, "/orgs/sso-corp/packages/container/app", Some(GHO_OCTOCAT)).status, 403);
}

#[test]
fn enterprise_prefix_graphql_and_force_status() {
    let (w, api) = start();
    let r = get(&api, "/api/v3/user", Some(GHO_OCTOCAT));
    assert_eq!(r.json()["login"], "octocat");
    let body = br#"{"query":"query UserCurrent{viewer{login}}"}"#;
    let auth = format!("token {GHO_OCTOCAT}");
    let r = client::request("POST", &format!("{}graphql", api.base_url()), &[("Authorization", &auth)], body).unwrap();
    assert_eq!(r.body, r#"{"data":{"viewer":{"login":"octocat"}}}"#);
    let r =
        client::request("POST", &format!("{}api/graphql", api.base_url()), &[("Authorization", &auth)], body).unwrap();
    assert_eq!(r.status, 200);
    w.edit(|w| w.api.force_status = Some(500));
    let r = get(&api, "/user", Some(GHO_OCTOCAT));
    assert_eq!((r.status, r.body.as_str()), (500, r#"{"message":"forced error"}"#));
}

#[test]
fn unix_socket_serves_gh_style_requests() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("api.sock");
    let world = SharedWorld::new(standard_world());
    let api = ApiServer::start_with_socket(world.clone(), &sock).unwrap();
    assert_eq!(api.socket_path(), Some(sock.as_path()));
    let auth = format!("token {GHO_OCTOCAT}");
    let r = client::request_unix(&sock, "GET", "api.github.com", "/user", &[("Authorization", &auth)], &[]).unwrap();
    assert_eq!(r.json()["login"], "octocat");
    let r = client::request_unix(&sock, "GET", "ghe.example.com", "/api/v3/user", &[("Authorization", &auth)], &[])
        .unwrap();
    assert_eq!(r.json()["login"], "octocat");
    let log = world.log();
    assert!(log.iter().all(|l| l.via_unix_socket));
    assert_eq!(log[1].host.as_deref(), Some("ghe.example.com"));
    assert_eq!(log[1].path, "/api/v3/user");
    drop(api);
    assert!(!sock.exists(), "socket file removed on drop");
}

#[test]
fn silent_clients_do_not_block_others() {
    let (_w, api) = start();
    let addr = api.base_url().trim_start_matches("http://").trim_end_matches('/').to_owned();
    let _idle = std::net::TcpStream::connect(&addr).unwrap();
    let t0 = std::time::Instant::now();
    assert_eq!(get(&api, "/", Some(GHO_OCTOCAT)).status, 200);
    assert!(t0.elapsed() < std::time::Duration::from_secs(2));
}
