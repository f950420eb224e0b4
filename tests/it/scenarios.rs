//! Hermetic end-to-end scenarios, one per cause: the real binary against fake gh/docker and the
//! loopback API and registry. Each asserts the exit code and the cause in the JSON, and
//! snapshots the human report in English and Japanese plus the JSON.

use ghcr_doctor_testkit::{DockerFake, GhFake, MemberState, Output, fixtures};
use serde_json::Value;

use crate::harness::{Doctor, stable_json};

/// Runs `check ARGS` in en, ja and JSON; asserts exit code and `check_id`'s cause; snapshots.
fn verdict(name: &str, doctor: &Doctor, args: &[&str], code: i32, check_id: &str, cause: Option<&str>) -> Value {
    let with = |extra: &[&str]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.extend_from_slice(extra);
        doctor.run(&all)
    };
    let json_run = with(&["--json"]);
    let json = json_run.json();
    assert_eq!(json_run.code, code, "exit code\n{}\n{}", json_run.stdout, json_run.stderr);
    let check = json["checks"].as_array().unwrap().iter().find(|c| c["id"] == check_id).unwrap();
    assert_eq!(check["cause"].as_str(), cause, "cause of {check_id}: {check:#}");
    let en = with(&["--lang", "en"]);
    let ja = with(&["--lang", "ja"]);
    assert_eq!((en.code, ja.code), (code, code));
    let snapshot = format!(
        "exit {code}\n--- en\n{}--- ja\n{}--- json\n{}\n",
        doctor.redact(&en.stdout),
        doctor.redact(&ja.stdout),
        doctor.redact(&serde_json::to_string_pretty(&stable_json(json.clone())).unwrap())
    );
    insta::assert_snapshot!(name, snapshot);
    // Verbose output shows evidence; it must not leak either (checked by `run`).
    with(&["-v"]);
    // The Markdown report in both languages, and every format with `--anonymize`, scanned.
    crate::report::scan(name, doctor, args, code, &json);
    json
}

const APP: &str = "ghcr.io/acme/app:latest";

#[test]
fn all_set_up() {
    let d = Doctor::new();
    let json = verdict("all_set_up", &d, &[APP], 0, "registry-access", None);
    assert_eq!(json["status"], "pass");
    assert_eq!(json["next_steps"], serde_json::json!([]));
}

#[test]
fn public_image_without_login() {
    let d = Doctor::new();
    d.docker_logged_out();
    let json =
        verdict("public_image_without_login", &d, &["ghcr.io/acme/public-app:latest"], 0, "registry-access", None);
    assert_eq!(json["checks"][6]["cause"], "no-credentials"); // a warning only
}

#[test]
fn public_image_with_stale_credentials() {
    let d = Doctor::new();
    d.docker_helper_login("octocat", fixtures::GHP_EXPIRED);
    let json = verdict(
        "public_image_with_stale_credentials",
        &d,
        &["ghcr.io/acme/public-app:latest"],
        1,
        "registry-access",
        Some("stale-credentials"),
    );
    assert_eq!(
        json["next_steps"],
        serde_json::json!([
            "docker logout ghcr.io",
            "gh auth token | docker login ghcr.io -u octocat --password-stdin",
            "docker pull ghcr.io/acme/public-app:latest"
        ])
    );
}

#[test]
fn gh_missing() {
    let d = Doctor::new();
    d.no_gh();
    verdict("gh_missing", &d, &[APP], 1, "gh-installed", Some("gh-missing"));
}

#[test]
fn gh_too_old() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.14.7 (2022-08-25)", "v2.14.7").token("github.com", fixtures::GHO_OCTOCAT));
    verdict("gh_too_old", &d, &[APP], 1, "gh-installed", Some("gh-too-old"));
}

#[test]
fn not_logged_in() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0"));
    let json = verdict("not_logged_in", &d, &[APP], 1, "gh-auth", Some("not-logged-in"));
    assert_eq!(json["next_steps"][0], "gh auth login -h github.com -s read:packages");
}

#[test]
fn token_invalid() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", fixtures::GHP_EXPIRED));
    verdict("token_invalid", &d, &[APP], 1, "gh-auth", Some("token-invalid"));
}

#[test]
fn missing_scope() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", fixtures::GHO_NO_PACKAGES));
    d.docker_helper_login("octocat", fixtures::GHO_NO_PACKAGES);
    let json = verdict("missing_scope", &d, &[APP], 1, "token-scopes", Some("missing-scope"));
    assert_eq!(json["root_cause"], "missing-scope");
    assert_eq!(
        json["next_steps"],
        serde_json::json!([
            "gh auth refresh -h github.com -s read:packages",
            "gh auth token | docker login ghcr.io -u octocat --password-stdin",
            "docker pull ghcr.io/acme/app:latest"
        ])
    );
}

#[test]
fn fine_grained_pat() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", fixtures::GITHUB_PAT_FINE));
    verdict("fine_grained_pat", &d, &[APP], 1, "token-scopes", Some("fine-grained-pat"));
}

#[test]
fn sso_not_authorized() {
    let d = Doctor::new();
    let json =
        verdict("sso_not_authorized", &d, &["ghcr.io/sso-corp/app:latest"], 1, "sso", Some("sso-not-authorized"));
    assert!(json["checks"][4]["message"].as_str().unwrap().contains("/orgs/sso-corp/sso?authorization_request="));
}

#[test]
fn oauth_app_restricted() {
    let d = Doctor::new();
    verdict("oauth_app_restricted", &d, &["ghcr.io/locked/app:latest"], 1, "sso", Some("oauth-app-restricted"));
}

#[test]
fn classic_pat_forbidden() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", fixtures::GHP_WRITE));
    d.docker_helper_login("octocat", fixtures::GHP_WRITE);
    verdict("classic_pat_forbidden", &d, &["ghcr.io/locked/app:latest"], 1, "sso", Some("classic-pat-forbidden"));
}

#[test]
fn org_membership_pending() {
    let d = Doctor::new();
    d.world.edit(|w| {
        let org = w.org_mut("acme").unwrap();
        org.members.insert(
            "octocat".into(),
            ghcr_doctor_testkit::Membership { state: MemberState::Pending, role: ghcr_doctor_testkit::OrgRole::Member },
        );
    });
    verdict("org_membership_pending", &d, &[APP], 1, "sso", Some("org-membership-pending"));
}

#[test]
fn enterprise_server_without_registry() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_REGISTRY_URL", "http://127.0.0.1:9/");
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.example.com", fixtures::GHO_OCTOCAT));
    verdict(
        "enterprise_server_without_registry",
        &d,
        &["--host", "github.example.com", "containers.github.example.com/acme/app:latest"],
        1,
        "github-host",
        Some("registry-unavailable"),
    );
}

#[test]
fn image_on_another_registry() {
    let d = Doctor::new();
    verdict(
        "image_on_another_registry",
        &d,
        &["containers.octocorp.ghe.com/acme/app:latest"],
        1,
        "github-host",
        Some("host-mismatch"),
    );
}

#[test]
fn docker_missing() {
    let d = Doctor::new();
    d.no_docker();
    verdict("docker_missing", &d, &[APP], 1, "docker-daemon", Some("docker-missing"));
}

#[test]
fn daemon_socket_missing() {
    let mut d = Doctor::new();
    d.env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    d.docker(DockerFake::daemon_down("unix:///nonexistent/docker.sock"));
    verdict("daemon_socket_missing", &d, &[APP], 1, "docker-daemon", Some("daemon-unreachable"));
}

#[test]
fn daemon_permission_denied() {
    let mut d = Doctor::new();
    d.env("DOCKER_HOST", "tcp://127.0.0.1:9");
    d.docker(DockerFake::daemon_error("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.50/version\": dial unix /var/run/docker.sock: connect: permission denied\n"));
    verdict("daemon_permission_denied", &d, &[APP], 1, "docker-daemon", Some("daemon-permission"));
}

#[test]
fn credential_helper_missing() {
    let d = Doctor::new();
    d.docker_config(r#"{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}"#);
    verdict("credential_helper_missing", &d, &[APP], 1, "docker-credentials", Some("credential-helper-missing"));
}

#[test]
fn private_image_without_login() {
    let d = Doctor::new();
    d.docker_logged_out();
    let json = verdict("private_image_without_login", &d, &[APP], 1, "registry-access", Some("no-credentials"));
    assert_eq!(
        json["next_steps"],
        serde_json::json!([
            "gh auth token | docker login ghcr.io -u octocat --password-stdin",
            "docker pull ghcr.io/acme/app:latest"
        ])
    );
}

#[test]
fn stale_plaintext_credentials() {
    let d = Doctor::new();
    d.docker_plaintext_login("octocat", fixtures::GHP_EXPIRED);
    verdict("stale_plaintext_credentials", &d, &[APP], 1, "docker-credentials", Some("stale-credentials"));
}

#[test]
fn plaintext_credentials_warn() {
    let d = Doctor::new();
    d.docker_plaintext_login("octocat", fixtures::GHO_OCTOCAT);
    let json =
        verdict("plaintext_credentials_warn", &d, &[APP], 0, "docker-credentials", Some("plaintext-credentials"));
    assert_eq!(json["status"], "warn");
    assert_eq!(d.run(&["check", APP, "--strict"]).code, 1, "--strict turns the warning into a failure");
}

#[test]
fn malformed_docker_config() {
    let d = Doctor::new();
    d.docker_config("{\n  \"auths\": {\n    \"ghcr.io\": {\"auth\": \"x\"}\n  \n");
    verdict("malformed_docker_config", &d, &[APP], 1, "docker-credentials", Some("malformed-docker-config"));
}

#[test]
fn no_package_access() {
    let d = Doctor::new();
    verdict("no_package_access", &d, &["ghcr.io/acme/secret:latest"], 1, "registry-access", Some("no-package-access"));
}

#[test]
fn tag_not_found() {
    let d = Doctor::new();
    verdict("tag_not_found", &d, &["ghcr.io/acme/app:nope"], 1, "registry-access", Some("tag-not-found"));
}

#[test]
fn push_without_write_packages() {
    let d = Doctor::new();
    verdict("push_without_write_packages", &d, &["--push", APP], 1, "token-scopes", Some("missing-scope"));
}

#[test]
fn push_without_write_role() {
    let d = Doctor::new();
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", fixtures::GHP_WRITE));
    d.docker_helper_login("octocat", fixtures::GHP_WRITE);
    verdict("push_without_write_role", &d, &["--push", APP], 1, "registry-access", Some("no-write-access"));
}

#[test]
fn rate_limited() {
    let d = Doctor::new();
    d.world.edit(|w| w.registry.rate_limited = true);
    verdict("rate_limited", &d, &[APP], 1, "registry-access", Some("rate-limited"));
}

#[test]
fn registry_unreachable() {
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_REGISTRY_URL", "http://127.0.0.1:9/");
    verdict("registry_unreachable", &d, &[APP], 1, "github-host", Some("network"));
}

#[test]
fn hung_gh_and_docker_time_out_without_hanging_the_run() {
    let d = Doctor::new();
    let mut gh = GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0");
    gh.hang = true;
    d.gh(gh);
    d.docker(DockerFake::hanging());
    let started = std::time::Instant::now();
    let run = d.run(&["check", APP, "--json", "--timeout", "1"]);
    let json = run.json();
    assert_eq!(run.code, 1);
    let cause = |id: &str| json["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["cause"].clone();
    assert_eq!(cause("gh-installed"), "timeout");
    assert_eq!(cause("docker-daemon"), "timeout");
    // Registry checks still ran with docker's stored credentials.
    assert_eq!(cause("registry-access"), Value::Null);
    // A sanity bound, not a benchmark: the run must not wait for the hung processes (600 s).
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
}

#[test]
fn gh_garbage_output_is_reported_not_a_crash() {
    let d = Doctor::new();
    let mut gh = GhFake::with_version("x", "x");
    gh.version = Output { stdout: "\u{fffd}\u{1b}[31m\0garbage".into(), stderr: String::new(), code: 0 };
    d.gh(gh);
    let run = d.run(&["check", APP, "--json"]);
    assert_eq!(run.json()["checks"][0]["status"], "warn");
}
