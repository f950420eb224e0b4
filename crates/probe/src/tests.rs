//! End-to-end tests of [`gather`](crate::gather) against a loopback fixture playing the GitHub
//! API and a GHCR-like registry, with fake `gh` and credential helpers on PATH.

use std::time::{Duration, Instant};

use ghcr_doctor_checks::{
    Access, CredentialLookup, Forge, GhTokenAnswer, GithubHost, ManifestAuth, Probe, ProbeErrorKind, Request,
};

use base64::Engine as _;

use crate::testutil::{BinEnv, FakeBin, HttpFixture, Reply, Request as Seen};
use crate::{Settings, gather};

const GH_TOKEN: &str = "ghp_plantedGhToken123";
const DOCKER_SECRET: &str = "dockerPlantedSecret456";
const ANON_TOKEN: &str = "djE6YW5vbnltb3VzUGxhbnRlZA";
const CRED_TOKEN: &str = "djE6Y3JlZGVudGlhbFBsYW50ZWQ";

#[derive(Clone, Copy)]
struct World {
    /// What the token endpoint answers to Basic credentials.
    creds_status: u16,
    /// Whether the owner is an organization.
    org: bool,
}

fn serve(world: World, req: &Seen) -> Reply {
    let auth = req.header("authorization").unwrap_or("");
    match (req.method.as_str(), req.route()) {
        ("GET", "/v2/") => Reply::new(401)
            .header(
                "WWW-Authenticate",
                r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull""#,
            )
            .json(r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#),
        ("GET", "/token") if auth.starts_with("Basic ") => match world.creds_status {
            200 => Reply::new(200).json(&format!(r#"{{"token":"{CRED_TOKEN}"}}"#)),
            s => Reply::new(s).json(r#"{"errors":[{"code":"DENIED","message":"denied"}]}"#),
        },
        ("GET", "/token") => Reply::new(200).json(&format!(r#"{{"token":"{ANON_TOKEN}"}}"#)),
        ("HEAD", path) if path.starts_with("/v2/") => {
            if auth == format!("Bearer {ANON_TOKEN}") || auth == format!("Bearer {CRED_TOKEN}") {
                Reply::new(200).header("Docker-Content-Digest", "sha256:abc")
            } else {
                Reply::new(401)
            }
        }
        ("GET", "/api/user") if auth == format!("token {GH_TOKEN}") => {
            Reply::new(200).header("X-OAuth-Scopes", "repo, read:packages").json(r#"{"login":"alice"}"#)
        }
        ("GET", "/api/user") => Reply::new(401).json(r#"{"message":"Bad credentials","status":"401"}"#),
        ("GET", "/api/orgs/acme") if world.org => Reply::new(200).json(r#"{"login":"acme"}"#),
        ("GET", "/api/user/memberships/orgs/acme") => Reply::new(200).json(r#"{"state":"active","role":"member"}"#),
        ("GET", p) if p.contains("/packages/container/") => Reply::new(200).json(r#"{"visibility":"private"}"#),
        _ => Reply::new(404).json(r#"{"message":"Not Found"}"#),
    }
}

struct Setup {
    bin: FakeBin,
    fixture: HttpFixture,
    settings: Settings,
}

fn setup(world: World, docker_login: bool) -> Setup {
    let fixture = HttpFixture::start(move |req| serve(world, req));
    let bin = FakeBin::new().unwrap();
    bin.script(
        "gh",
        r#"[ "$1" = "--version" ] && { echo "gh version 2.23.0 (2023-02-27)"; exit 0; }
[ -n "$GH_TOKEN" ] && { echo "$GH_TOKEN"; exit 0; }
echo "no oauth token" >&2; exit 1"#,
    );
    if docker_login {
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("alice:{DOCKER_SECRET}"));
        bin.write("dc/config.json", &format!(r#"{{"auths":{{"ghcr.io":{{"auth":"{auth}"}}}}}}"#));
    }
    let env = bin
        .env()
        .with("GH_TOKEN", GH_TOKEN)
        .with("DOCKER_CONFIG", bin.path("dc").display().to_string())
        .with("DOCKER_HOST", format!("unix://{}", bin.path("no.sock").display()))
        .with("GHCR_DOCTOR_API_URL", fixture.url("/api/"))
        .with("GHCR_DOCTOR_REGISTRY_URL", fixture.url("/"));
    Setup { bin, fixture, settings: Settings { timeout: Duration::from_secs(10), env } }
}

fn request(images: &[&str], access: Access) -> Request {
    let mut r = Request::new(Forge::Github(GithubHost::github_com()));
    r.images = images.iter().map(|i| i.parse().unwrap()).collect();
    r.access = access;
    r
}

#[test]
fn anonymous_token_reaches_the_manifest() {
    let t = setup(World { creds_status: 200, org: true }, false);
    let facts = gather(&request(&["ghcr.io/acme/app:1.0"], Access::Pull), &t.settings);
    assert_eq!(facts.registry_ping.done().unwrap().status, 401);
    let image = &facts.images[0];
    assert_eq!(image.reference, "ghcr.io/acme/app:1.0");
    let anon = image.anonymous_token.done().unwrap();
    assert_eq!((anon.status, anon.body.as_str()), (200, ""), "token bodies are dropped");
    assert_eq!(image.credential_token, Probe::Skipped);
    assert_eq!(image.manifest_auth, ManifestAuth::Anonymous);
    assert_eq!(image.manifest.done().unwrap().status, 200);
    assert_eq!(image.push_token, Probe::Skipped);

    // The realm on ghcr.io was moved onto the override, with docker's query.
    let seen = t.fixture.requests();
    let token_req = seen.iter().find(|r| r.route() == "/token").unwrap();
    assert_eq!(token_req.query("scope").as_deref(), Some("repository:acme/app:pull"));
    assert_eq!(token_req.query("service").as_deref(), Some("ghcr.io"));
    let head = seen.iter().find(|r| r.method == "HEAD").unwrap();
    assert_eq!(head.path, "/v2/acme/app/manifests/1.0");
    assert!(head.header("accept").unwrap().contains("application/vnd.oci.image.index.v1+json"));
}

#[test]
fn rejected_credentials_fall_back_to_the_anonymous_token() {
    let t = setup(World { creds_status: 403, org: true }, true);
    let facts = gather(&request(&["ghcr.io/acme/app:1.0"], Access::Push), &t.settings);
    let creds = facts.docker_credentials.done().unwrap();
    assert!(creds.plaintext_in_file);
    assert!(matches!(&creds.lookup, CredentialLookup::Found(c) if c.username == "alice"));
    let image = &facts.images[0];
    let cred = image.credential_token.done().unwrap();
    assert_eq!(cred.status, 403);
    assert_eq!(cred.registry_errors(), [("DENIED".to_owned(), "denied".to_owned())], "error bodies are kept");
    assert_eq!(image.manifest_auth, ManifestAuth::Anonymous);
    assert_eq!(image.push_token.done().unwrap().status, 403);
    let push = t.fixture.requests().into_iter().find(|r| r.query("scope").is_some_and(|s| s.ends_with("pull,push")));
    assert!(push.is_some());
    // docker's secret differs from gh's token: it was tried on /user.
    assert_eq!(facts.github().unwrap().docker_secret_user.done().unwrap().status, 401);
}

#[test]
fn accepted_credentials_carry_the_manifest_request() {
    let t = setup(World { creds_status: 200, org: true }, true);
    let facts = gather(&request(&["ghcr.io/acme/app:1.0"], Access::Pull), &t.settings);
    let image = &facts.images[0];
    assert_eq!(image.manifest_auth, ManifestAuth::Credentials);
    assert_eq!(image.credential_token.done().unwrap().body, "");
    let head = t.fixture.requests().into_iter().find(|r| r.method == "HEAD").unwrap();
    assert_eq!(head.header("authorization"), Some(format!("Bearer {CRED_TOKEN}").as_str()));
}

#[test]
fn github_api_owner_membership_and_packages() {
    let t = setup(World { creds_status: 200, org: true }, false);
    let facts = gather(&request(&["ghcr.io/acme/repo/app:1", "ghcr.io/acme/other"], Access::Pull), &t.settings);
    assert_eq!(facts.github().unwrap().env_tokens.len(), 1);
    let token = facts.github().unwrap().gh_token.done().unwrap();
    assert_eq!(token.effective.token().unwrap().expose(), GH_TOKEN);
    assert_eq!(token.stored, Some(GhTokenAnswer::NoToken { message: "no oauth token".into() }));
    let user = facts.github().unwrap().api_user.done().unwrap();
    assert_eq!((user.status, user.header("x-oauth-scopes")), (200, Some("repo, read:packages")));
    assert_eq!(facts.github().unwrap().owners.len(), 1);
    assert_eq!(facts.github().unwrap().owners[0].org.done().unwrap().status, 200);
    assert!(facts.github().unwrap().owners[0].membership.done().unwrap().body.contains("active"));
    assert_eq!(facts.github().unwrap().packages[0].done().unwrap().status, 200);
    let seen: Vec<String> = t.fixture.requests().into_iter().map(|r| r.path).collect();
    assert!(seen.contains(&"/api/orgs/acme/packages/container/repo%2Fapp".to_owned()), "{seen:?}");
    assert!(seen.contains(&"/api/orgs/acme/packages/container/other".to_owned()), "{seen:?}");
    let user_req = t.fixture.requests().into_iter().find(|r| r.path == "/api/user").unwrap();
    assert_eq!(user_req.header("accept"), Some("application/vnd.github+json"));
    // No docker login: nothing to compare against gh's token.
    assert_eq!(facts.github().unwrap().docker_secret_user, Probe::Skipped);
}

#[test]
fn a_user_owner_uses_the_users_packages_endpoint() {
    let t = setup(World { creds_status: 200, org: false }, false);
    let facts = gather(&request(&["ghcr.io/acme/app"], Access::Pull), &t.settings);
    assert_eq!(facts.github().unwrap().owners[0].org.done().unwrap().status, 404);
    assert_eq!(facts.github().unwrap().owners[0].membership, Probe::Skipped);
    assert!(t.fixture.requests().iter().any(|r| r.path == "/api/users/acme/packages/container/app"));
}

#[test]
fn planted_secrets_never_show_in_debug_output() {
    let t = setup(World { creds_status: 200, org: true }, true);
    let mut request = request(&["ghcr.io/acme/app:1.0"], Access::Push);
    request.ci = true;
    let facts = gather(&request, &t.settings);
    assert!(facts.images[0].manifest.done().is_some());
    let shown = format!("{facts:?} {:?}", t.settings);
    for secret in [GH_TOKEN, DOCKER_SECRET, ANON_TOKEN, CRED_TOKEN] {
        assert!(!shown.contains(secret), "{secret} leaked into {shown}");
    }
    let _ = &t.bin;
}

#[test]
fn plain_http_to_a_non_loopback_api_is_refused() {
    let mut t = setup(World { creds_status: 200, org: true }, false);
    t.settings.env = t.settings.env.clone().with("GHCR_DOCTOR_API_URL", "http://api.example.com/");
    let facts = gather(&request(&["ghcr.io/acme/app"], Access::Pull), &t.settings);
    let err = facts.github().unwrap().api_user.error().unwrap();
    assert_eq!(err.kind, ProbeErrorKind::Network);
    assert!(err.detail.contains("refusing plain http to non-loopback"), "{err:?}");
    assert!(t.fixture.requests().iter().all(|r| !r.path.starts_with("/api/")));
}

#[test]
fn everything_hanging_still_ends_near_the_timeout() {
    let hole = HttpFixture::blackhole();
    let bin = FakeBin::new().unwrap();
    bin.script("gh", "exec sleep 60");
    bin.script("docker", "exec sleep 60");
    bin.script("docker-credential-slow", "exec sleep 60");
    bin.write("dc/config.json", r#"{"credsStore":"slow","currentContext":"remote"}"#);
    let timeout = Duration::from_millis(500);
    let env = bin
        .env()
        .with("GH_TOKEN", GH_TOKEN)
        .with("DOCKER_CONFIG", bin.path("dc").display().to_string())
        .with("GHCR_DOCTOR_API_URL", hole.url("/"))
        .with("GHCR_DOCTOR_REGISTRY_URL", hole.url("/"));
    let settings = Settings { timeout, env };
    let start = Instant::now();
    let facts = gather(&request(&["ghcr.io/acme/app", "ghcr.io/beta/app"], Access::Push), &settings);
    let elapsed = start.elapsed();
    // Longest chain: docker context inspect, or gh then one API call: two timeouts.
    assert!(elapsed < timeout * 3 + Duration::from_secs(2), "took {elapsed:?}");
    assert!(
        matches!(&facts.github().unwrap().gh_token.done().unwrap().effective, GhTokenAnswer::Failed(e) if e.kind == ProbeErrorKind::Timeout)
    );
    assert_eq!(facts.registry_ping.error().unwrap().kind, ProbeErrorKind::Timeout);
    assert!(
        matches!(&facts.docker_credentials.done().unwrap().lookup, CredentialLookup::HelperFailed(e) if e.kind == ProbeErrorKind::Timeout)
    );
    assert_eq!(facts.docker.done().unwrap().version.error().unwrap().kind, ProbeErrorKind::Timeout);
    assert_eq!(facts.images[0].anonymous_token, Probe::Skipped);
}

/// An Actions job on Enterprise Server, as GitHub's page on the automatic token describes it:
/// `GITHUB_SERVER_URL`/`GITHUB_API_URL` of the server, the job's installation token in
/// `GITHUB_TOKEN`, and a gh on the self-hosted runner that knows no token for the host (it reads
/// only `GH_ENTERPRISE_TOKEN`). The token is the job's, and the API is `GITHUB_API_URL`.
#[test]
fn an_enterprise_server_job_uses_its_token_and_its_api_url() {
    const JOB_TOKEN: &str = "ghs_plantedJobToken789";
    let fixture = HttpFixture::start(|req: &Seen| match req.route() {
        "/api/v3/user" => Reply::new(403).json(r#"{"message":"Resource not accessible by integration"}"#),
        "/api/v3/orgs/acme" => Reply::new(200).json(r#"{"login":"acme"}"#),
        "/v2/" => Reply::new(401)
            .header(
                "WWW-Authenticate",
                r#"Bearer realm="https://containers.ghe.example.com/token",service="containers.ghe.example.com""#,
            )
            .json(r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#),
        "/token" => Reply::new(200).json(&format!(r#"{{"token":"{CRED_TOKEN}"}}"#)),
        r if r.starts_with("/v2/") => Reply::new(200).header("Docker-Content-Digest", "sha256:abc"),
        _ => Reply::new(404).json(r#"{"message":"Not Found"}"#),
    });
    let bin = FakeBin::new().unwrap();
    let gh_log = bin.path("gh.log");
    bin.script(
        "gh",
        &format!(
            r#"echo "$@" >> "{}"
[ "$1" = "--version" ] && {{ echo "gh version 2.23.0 (2023-02-27)"; exit 0; }}
echo "no oauth token" >&2; exit 1"#,
            gh_log.display()
        ),
    );
    let env = bin
        .env()
        .with("CI", "true")
        .with("GITHUB_ACTIONS", "true")
        .with("GITHUB_SERVER_URL", "https://ghe.example.com")
        .with("GITHUB_API_URL", fixture.url("/api/v3"))
        .with("GITHUB_TOKEN", JOB_TOKEN)
        .with("GITHUB_REPOSITORY", "acme/app-repo")
        .with("DOCKER_CONFIG", bin.path("dc").display().to_string())
        .with("DOCKER_HOST", format!("unix://{}", bin.path("no.sock").display()))
        .with("GHCR_DOCTOR_REGISTRY_URL", fixture.url("/"));
    let settings = Settings { timeout: Duration::from_secs(10), env };
    let mut request = Request::new(Forge::Github(GithubHost::parse("ghe.example.com").unwrap()));
    request.images = vec!["containers.ghe.example.com/acme/app:1".parse().unwrap()];
    request.ci = true;
    let facts = gather(&request, &settings);
    let github = facts.github().unwrap();
    assert_eq!(github.gh_token.done().unwrap().effective.token().unwrap().expose(), JOB_TOKEN);
    assert_eq!(github.api_user.done().unwrap().status, 403);
    assert_eq!(github.owners[0].org.done().unwrap().status, 200);
    let actions = github.actions.as_ref().unwrap();
    assert_eq!(actions.job_token_var.as_deref(), Some("GITHUB_TOKEN"));
    assert_eq!(facts.images[0].manifest.done().unwrap().status, 200);
    let seen: Vec<String> = fixture.requests().into_iter().map(|r| r.route().to_owned()).collect();
    assert!(seen.contains(&"/api/v3/user".to_owned()) && seen.contains(&"/api/v3/orgs/acme".to_owned()), "{seen:?}");
    let token_req = fixture.requests().into_iter().find(|r| r.route() == "/token").unwrap();
    assert_eq!(token_req.query("service").as_deref(), Some("containers.ghe.example.com"));
    let gh_calls = std::fs::read_to_string(&gh_log).unwrap();
    assert!(gh_calls.contains("--version") && !gh_calls.contains("auth token"), "{gh_calls}");
}

/// The facts of `fact`'s group put back to what they are before it settles.
fn reset(facts: &mut ghcr_doctor_checks::Facts, initial: &ghcr_doctor_checks::Facts, fact: crate::Fact) {
    use crate::Fact;
    let (Some(g), Some(i)) = (github_mut(facts), initial.github()) else { unreachable!() };
    match fact {
        Fact::Login => {
            g.env_tokens.clone_from(&i.env_tokens);
            g.gh = i.gh.clone();
            g.gh_token = i.gh_token.clone();
            g.actions.clone_from(&i.actions);
        }
        Fact::ApiUser => g.api_user = i.api_user.clone(),
        Fact::DockerSecretUser => g.docker_secret_user = i.docker_secret_user.clone(),
        Fact::Owners => g.owners.clone_from(&i.owners),
        Fact::Packages => g.packages.clone_from(&i.packages),
        Fact::DockerCredentials => facts.docker_credentials = initial.docker_credentials.clone(),
        Fact::Docker => facts.docker = initial.docker.clone(),
        Fact::RegistryPing => facts.registry_ping = initial.registry_ping.clone(),
        Fact::Images => facts.images.clone_from(&initial.images),
        Fact::PullSecretFallbacks => facts.pull_secret_fallbacks.clone_from(&initial.pull_secret_fallbacks),
    }
}

fn github_mut(facts: &mut ghcr_doctor_checks::Facts) -> Option<&mut ghcr_doctor_checks::GithubFacts> {
    match &mut facts.forge {
        ghcr_doctor_checks::ForgeFacts::Github(g) => Some(g),
        ghcr_doctor_checks::ForgeFacts::Gitlab(_) => None,
    }
}

/// `needs` is what the live display relies on: once the groups a check (and every check before
/// it) reads are settled, the facts so far give it the outcome the final facts give it. Held over
/// the partial facts the gatherer really showed, and over the least settled facts that decide each
/// check (every other group still at its initial value), in many worlds.
#[test]
fn a_decided_check_evaluates_over_the_partial_facts_as_over_the_final_ones() {
    use crate::{Fact, gather_with, needs, progress::Board};
    use ghcr_doctor_checks::{checks_for, evaluate};
    let mut cases = 0;
    for creds_status in [200, 403] {
        for org in [true, false] {
            for docker_login in [true, false] {
                for (access, ci, gh_token) in [
                    (Access::Pull, false, true),
                    (Access::Push, false, true),
                    (Access::Pull, true, true),
                    (Access::Pull, false, false),
                ] {
                    let mut t = setup(World { creds_status, org }, docker_login);
                    if !gh_token {
                        t.settings.env = t.settings.env.clone().without(&["GH_TOKEN"]);
                    }
                    let mut request = request(&["ghcr.io/acme/app:1.0", "ghcr.io/acme/tools/cli"], access);
                    request.ci = ci;
                    let ids: Vec<_> = checks_for(&request).map(|c| c.id).collect();
                    let mut shown = Vec::new();
                    let facts = gather_with(&request, &t.settings, &mut |p| {
                        let decided = ids.iter().take_while(|id| p.decided(**id)).count();
                        shown.push((decided, evaluate(&request, p.facts)));
                    });
                    let last = evaluate(&request, &facts);
                    for (decided, partial) in &shown {
                        assert_eq!(partial.outcomes[..*decided], last.outcomes[..*decided]);
                    }
                    assert!(
                        shown.last().is_some_and(|(d, _)| *d == ids.len()),
                        "every check ends decided: {:?} of {ids:?} (creds {creds_status}, org {org}, docker {docker_login}, ci {ci}, token {gh_token})",
                        shown.last().map(|s| s.0)
                    );

                    let initial = Board::new(&request).into_facts();
                    for i in 0..ids.len() {
                        let mut masked = facts.clone();
                        for fact in Fact::ALL {
                            if !ids[..=i].iter().any(|id| needs(*id).contains(&fact)) {
                                reset(&mut masked, &initial, fact);
                            }
                        }
                        let partial = evaluate(&request, &masked);
                        assert_eq!(
                            partial.outcomes[..=i],
                            last.outcomes[..=i],
                            "{} reads a group outside its needs (creds {creds_status}, org {org}, docker {docker_login}, ci {ci}, token {gh_token})",
                            ids[i]
                        );
                    }
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 32);
}

/// Requests sent ahead of the answer they depend on are only about the owners and images the
/// request names, each at most once; the answers that do not count are dropped.
#[test]
fn speculative_requests_stay_about_the_named_owners_and_images() {
    for org in [true, false] {
        let t = setup(World { creds_status: 200, org }, true);
        let facts = gather(&request(&["ghcr.io/acme/app:1.0", "ghcr.io/acme/other:2"], Access::Pull), &t.settings);
        let mut seen: Vec<String> =
            t.fixture.requests().into_iter().map(|r| format!("{} {}", r.method, r.path)).collect();
        seen.sort();
        let allowed = [
            "GET /v2/",
            "GET /token",
            "HEAD /v2/acme/app/manifests/1.0",
            "HEAD /v2/acme/other/manifests/2",
            "GET /api/user",
            "GET /api/orgs/acme",
            "GET /api/user/memberships/orgs/acme",
            "GET /api/orgs/acme/packages/container/app",
            "GET /api/orgs/acme/packages/container/other",
            "GET /api/users/acme/packages/container/app",
            "GET /api/users/acme/packages/container/other",
        ];
        for path in &seen {
            assert!(allowed.contains(&path.as_str()), "{path} is not about what the request names: {seen:?}");
            let times = seen.iter().filter(|p| *p == path).count();
            // /token: anonymous and with credentials per image; /user: gh's token and docker's.
            let most = match path.as_str() {
                "GET /token" => 4,
                "GET /api/user" => 2,
                _ => 1,
            };
            assert!(times <= most, "{path} sent {times} times: {seen:?}");
        }
        let github = facts.github().unwrap();
        // The answers are those the dependent order gives.
        assert_eq!(github.owners[0].membership.done().is_some(), org, "membership only for an organization");
        let wanted = if org { "orgs" } else { "users" };
        assert!(github.packages.iter().all(|p| p.done().is_some_and(|a| a.status == 200)));
        assert!(seen.iter().any(|p| p.starts_with(&format!("GET /api/{wanted}/acme/packages/"))));
    }
}

/// A challenge naming another realm than the registry's own `/token`: the token requests are
/// made again there, and the manifest carries a token from there.
#[test]
fn a_realm_other_than_the_guessed_one_is_asked_again() {
    let fixture = HttpFixture::start(|req| match (req.method.as_str(), req.route()) {
        ("GET", "/v2/") => Reply::new(401)
            .header("WWW-Authenticate", r#"Bearer realm="https://ghcr.io/auth/token",service="ghcr.io""#)
            .json(r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#),
        ("GET", "/token") => Reply::new(200).json(r#"{"token":"guessed"}"#),
        ("GET", "/auth/token") => Reply::new(200).json(r#"{"token":"right"}"#),
        ("HEAD", _) if req.header("authorization") == Some("Bearer right") => Reply::new(200),
        ("HEAD", _) => Reply::new(401),
        _ => Reply::new(404).json(r#"{"message":"Not Found"}"#),
    });
    let bin = FakeBin::new().unwrap();
    let env = bin
        .env()
        .with("DOCKER_CONFIG", bin.path("dc").display().to_string())
        .with("GHCR_DOCTOR_API_URL", fixture.url("/api/"))
        .with("GHCR_DOCTOR_REGISTRY_URL", fixture.url("/"));
    let settings = Settings { timeout: Duration::from_secs(10), env };
    let facts = gather(&request(&["ghcr.io/acme/app:1.0"], Access::Pull), &settings);
    let image = &facts.images[0];
    assert_eq!(image.manifest_auth, ManifestAuth::Anonymous);
    assert_eq!(image.manifest.done().unwrap().status, 200);
    let realm = fixture.requests().into_iter().find(|r| r.route() == "/auth/token").unwrap();
    assert_eq!(realm.query("scope").as_deref(), Some("repository:acme/app:pull"));
}

/// `--timeout` bounds the whole run: a gh that takes most of it leaves the API calls only the
/// rest (before, each call of the chain had the whole timeout again).
#[test]
fn the_timeout_bounds_the_whole_chain() {
    let hole = HttpFixture::blackhole();
    let bin = FakeBin::new().unwrap();
    bin.script(
        "gh",
        r#"[ "$1" = "--version" ] && { echo "gh version 2.23.0"; exit 0; }
sleep 0.7; echo gho_slowButThere"#,
    );
    bin.script("docker", "exit 1");
    let env = bin
        .env()
        .with("DOCKER_CONFIG", bin.path("dc").display().to_string())
        .with("GHCR_DOCTOR_API_URL", hole.url("/"))
        .with("GHCR_DOCTOR_REGISTRY_URL", hole.url("/"));
    let settings = Settings { timeout: Duration::from_secs(1), env };
    let start = Instant::now();
    let facts = gather(&request(&["ghcr.io/acme/app"], Access::Pull), &settings);
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    let github = facts.github().unwrap();
    assert!(github.gh_token.done().unwrap().effective.token().is_some());
    assert_eq!(github.api_user.error().unwrap().kind, ProbeErrorKind::Timeout);
    assert_eq!(github.owners[0].org.error().unwrap().kind, ProbeErrorKind::Timeout);
}

/// One kept-alive pool per host: requests that follow others reuse their connections.
#[test]
fn requests_share_kept_alive_connections() {
    use ghcr_doctor_testkit::http::{Listener, Serving, forward_to};
    let t = setup(World { creds_status: 200, org: true }, false);
    let backend = t.fixture.url("").trim_start_matches("http://").parse().unwrap();
    let front = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let front_url = format!("http://{}/", front.local_addr().unwrap());
    let serving = Serving::network(Duration::ZERO, Duration::from_millis(20));
    let counters = serving.counters.clone().unwrap();
    let _front = Listener::tcp_serving(front, forward_to(backend), serving).unwrap();
    let settings = Settings { env: t.settings.env.clone().with("GHCR_DOCTOR_REGISTRY_URL", &front_url), ..t.settings };
    let images = ["ghcr.io/acme/a:1", "ghcr.io/acme/b:1", "ghcr.io/acme/c:1"];
    let facts = gather(&request(&images, Access::Pull), &settings);
    assert!(facts.images.iter().all(|i| i.manifest.done().is_some_and(|a| a.status == 200)));
    let (connections, requests) = counters.get();
    // The ping and three tokens at once, then three manifests on the same connections.
    assert_eq!(requests, 7);
    assert!(connections <= 4, "{connections} connections for {requests} requests");
}

#[test]
fn the_client_is_docker_when_on_path_podman_when_only_podman_is_and_the_request_wins() {
    use ghcr_doctor_checks::Client;
    let bin = FakeBin::new().unwrap();
    let settings = Settings { timeout: Duration::from_secs(5), env: bin.env() };
    let r = request(&[], Access::Pull);
    let pick = |r: &Request| crate::client(r, &settings);
    // Neither: docker (docker-daemon then says it is missing).
    assert_eq!((pick(&r).client, pick(&r).path), (Client::Docker, None));
    bin.script("podman", "exit 0");
    let only_podman = pick(&r);
    assert_eq!(only_podman.client, Client::Podman);
    assert!(only_podman.path.unwrap().ends_with("/podman"));
    let mark = bin.path("docker-ran");
    bin.script("docker", &format!(": > '{}'; exit 0", mark.display()));
    assert_eq!(pick(&r).client, Client::Docker);
    let asked = Request { client: Some(Client::Podman), ..r.clone() };
    assert_eq!(pick(&asked).client, Client::Podman);
    // With docker as the client docker is run; with podman, nothing of docker's is asked.
    gather(&r, &settings);
    assert!(mark.exists());
    std::fs::remove_file(&mark).unwrap();
    let facts = gather(&asked, &settings);
    assert_eq!(facts.client.client, Client::Podman);
    assert_eq!(facts.docker, Probe::Skipped);
    assert!(!mark.exists(), "docker was run for a podman user");
}
