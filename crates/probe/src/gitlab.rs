//! The GitLab family's side of gathering (gitlab-facts §8–§11): the token variables glab reads,
//! glab and its config file, the GitLab CI job's variables, and the API's answers about the
//! tokens (`/api/v4/personal_access_tokens/self`, never `/api/v4/user`, which refuses a token
//! with only `read_registry`) and the projects (`/api/v4/projects/:path`). [`gather`] runs these
//! beside the shared docker and registry chains:
//!
//! ```text
//! time zero:       glab --version ‖ docker ‖ docker's store ‖ GET /v2/ ‖ per image the anonymous
//!                  token at the guessed realm (GITLAB/jwt/auth) ‖ /personal_access_tokens/self
//!                  with the API token (the variable's, else glab's)
//! docker's store:  per image the credential (and push) token ‖ /self with docker's secret
//! the /self answer: per image /projects/:path, with a token that has `read_api` or `api`
//! ```
//!
//! Nothing here runs glab's credential helper or reads the keyring: a token held only there is
//! reported as such.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Instant;

use ghcr_doctor_checks::{
    Client, EnvToken, GITLAB_TOKEN_VARS, GitlabCiFacts, GitlabCredential, GitlabCredentialSource, GitlabHost,
    GlabConfigFacts, GlabConfigState, HttpAnswer, ImageRef, Probe, Request, Secret, StoredCredential, TokenSelf,
};

use crate::http::{Auth, Http, Method, encode_component, join};
use crate::progress::{Board, Fact};
use crate::{Settings, containers_auth, credentials, docker, find_program, run_process, sched, timed};

/// glab's config is small; anything larger is not glab's.
const GLAB_CONFIG_CAP: u64 = 256 * 1024;

/// The GitLab host of a request. Only called for GitLab requests.
pub(crate) fn host(request: &Request) -> &GitlabHost {
    request.forge.gitlab().expect("the GitLab side is gathered only for a GitLab forge")
}

/// GitLab's base URL: `GHCR_DOCTOR_API_URL` (under which `/api/v4/…` and `/jwt/auth` live) or
/// `https://HOST`, without a trailing slash.
pub(crate) fn base_url(request: &Request, settings: &Settings) -> String {
    match settings.env.non_empty("GHCR_DOCTOR_API_URL") {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => host(request).web_base(),
    }
}

/// The first of glab's token variables that is set.
fn env_token(settings: &Settings) -> Option<EnvToken> {
    GITLAB_TOKEN_VARS.iter().find_map(|var| {
        let value = settings.env.non_empty(var)?.trim();
        (!value.is_empty()).then(|| EnvToken { var: (*var).to_owned(), secret: Secret::new(value) })
    })
}

/// The GitLab CI job's variables, when `GITLAB_CI=true`.
fn ci(settings: &Settings) -> Option<GitlabCiFacts> {
    let env = &settings.env;
    if env.get("GITLAB_CI") != Some("true") {
        return None;
    }
    let text = |k: &str| env.non_empty(k).map(|v| v.trim().to_owned());
    let secret = |k: &str| env.non_empty(k).map(|v| Secret::new(v.trim()));
    Some(GitlabCiFacts {
        project_path: text("CI_PROJECT_PATH"),
        registry: text("CI_REGISTRY"),
        server_url: text("CI_SERVER_URL"),
        job_token: secret("CI_JOB_TOKEN"),
        registry_user: text("CI_REGISTRY_USER"),
        registry_password: secret("CI_REGISTRY_PASSWORD"),
        deploy_user: text("CI_DEPLOY_USER"),
        deploy_password: secret("CI_DEPLOY_PASSWORD"),
    })
}

/// The files glab looks for, in its order (gitlab-facts §11): `GLAB_CONFIG_DIR`, the legacy
/// `~/.config/glab-cli`, `XDG_CONFIG_HOME` (macOS: `~/Library/Application Support`, Windows:
/// `%APPDATA%`), then each of `XDG_CONFIG_DIRS` (`/etc/xdg`).
fn glab_config_candidates(settings: &Settings) -> Vec<PathBuf> {
    let env = &settings.env;
    let file = |dir: PathBuf| dir.join("config.yml");
    if let Some(dir) = env.path_var("GLAB_CONFIG_DIR") {
        return vec![file(dir)];
    }
    let mut candidates = Vec::new();
    if let Some(home) = env.home() {
        candidates.push(file(Path::new(home).join(".config").join("glab-cli")));
    }
    if let Some(xdg) = env.path_var("XDG_CONFIG_HOME") {
        candidates.push(file(xdg.join("glab-cli")));
    } else if cfg!(target_os = "macos") {
        if let Some(home) = env.home() {
            candidates.push(file(Path::new(home).join("Library/Application Support/glab-cli")));
        }
    } else if cfg!(windows) {
        if let Some(appdata) = env.path_var("APPDATA") {
            candidates.push(file(appdata.join("glab-cli")));
        }
    }
    let dirs = env.non_empty("XDG_CONFIG_DIRS").unwrap_or("/etc/xdg");
    candidates.extend(dirs.split(':').filter(|d| !d.is_empty()).map(|d| file(Path::new(d).join("glab-cli"))));
    candidates
}

/// glab's config file and what it holds for `host`.
pub fn glab_config(host: &str, settings: &Settings) -> GlabConfigFacts {
    let Some(path) = glab_config_candidates(settings).into_iter().find(|p| p.exists()) else {
        return GlabConfigFacts::default();
    };
    let shown = path.display().to_string();
    let state = read_glab_config(&path, host, settings);
    GlabConfigFacts { path: Some(shown), state }
}

fn read_glab_config(path: &Path, host: &str, settings: &Settings) -> GlabConfigState {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if meta.is_file() && mode != 0o600 {
                return GlabConfigState::BadMode { mode };
            }
        }
    }
    let bytes = match crate::read_regular(path, GLAB_CONFIG_CAP, settings.timeout) {
        Ok(b) => b,
        Err(e) => return GlabConfigState::Malformed { detail: e.to_string() },
    };
    parse_glab_config(&String::from_utf8_lossy(&bytes), host)
}

/// glab's YAML: `hosts:` → `HOST:` → `token`, `user` (gitlab-facts §11). The secret never goes
/// into a message: a YAML error is reported by its position only.
pub(crate) fn parse_glab_config(text: &str, host: &str) -> GlabConfigState {
    let value: serde_yaml_ng::Value = match serde_yaml_ng::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let at = e.location().map_or_else(String::new, |l| format!(" at line {}, column {}", l.line(), l.column()));
            return GlabConfigState::Malformed { detail: format!("not valid YAML{at}") };
        }
    };
    let hosts = match value.get("hosts") {
        None | Some(serde_yaml_ng::Value::Null) => None,
        Some(h @ serde_yaml_ng::Value::Mapping(_)) => Some(h),
        Some(_) => return GlabConfigState::Malformed { detail: "`hosts` is not a mapping".into() },
    };
    let names: Vec<String> = hosts
        .and_then(|h| h.as_mapping())
        .map(|m| m.keys().filter_map(|k| k.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let entry = hosts.and_then(|h| h.get(host));
    let text = |k: &str| entry.and_then(|e| e.get(k)).and_then(|v| v.as_str()).map(str::trim).filter(|v| !v.is_empty());
    let token = text("token").map(Secret::new);
    GlabConfigState::Loaded {
        keyring: entry.is_some() && token.is_none(),
        token,
        user: text("user").map(str::to_owned),
        hosts: names,
    }
}

/// `glab --version`: where glab is and what it says; `Skipped` when it is not on PATH.
fn glab(settings: &Settings) -> (Option<String>, Probe<ghcr_doctor_checks::ProcessOutput>) {
    let Some(path) = find_program("glab", &settings.env) else { return (None, Probe::Skipped) };
    let version = match run_process("glab", &["--version"], None, &settings.env, settings.timeout) {
        Ok(out) => Probe::Done(out.to_output()),
        Err(e) => Probe::Failed(e),
    };
    (Some(path.display().to_string()), version)
}

/// The credential the registry is asked with: docker's stored one, else in a GitLab job the
/// job's `CI_REGISTRY_USER`/`CI_REGISTRY_PASSWORD` (what `docker login` in the job would store),
/// else `CI_DEPLOY_USER`/`CI_DEPLOY_PASSWORD`.
pub(crate) fn registry_credential(
    stored: Option<&StoredCredential>,
    ci: Option<&GitlabCiFacts>,
) -> Option<GitlabCredential> {
    if let Some(c) = stored {
        return Some(GitlabCredential {
            username: c.username.clone(),
            secret: c.secret.clone(),
            source: GitlabCredentialSource::Docker,
        });
    }
    let ci = ci?;
    let pair = |user: &Option<String>, secret: &Option<Secret>, source| {
        Some(GitlabCredential { username: user.clone()?, secret: secret.clone()?, source })
    };
    pair(&ci.registry_user, &ci.registry_password, GitlabCredentialSource::CiRegistry)
        .or_else(|| pair(&ci.deploy_user, &ci.deploy_password, GitlabCredentialSource::CiDeploy))
}

/// `GET /api/v4/personal_access_tokens/self` with `token` (`PRIVATE-TOKEN`).
fn token_self(http: &Http, base: &str, token: &Secret) -> Probe<HttpAnswer> {
    let url = join(base, "api/v4/personal_access_tokens/self");
    into_probe(http.send(Method::Get, &url, Auth::PrivateToken(token), Some("application/json")))
}

/// The project paths an image may belong to, longest first: GitLab takes the longest of the first
/// three path prefixes that is a project, and a project has at least two components
/// (gitlab-facts §1, `lib/container_registry/path.rb`).
pub(crate) fn project_candidates(image: &ImageRef) -> Vec<String> {
    let repository = image.repository().to_ascii_lowercase();
    let parts: Vec<&str> = repository.split('/').collect();
    (2..=parts.len().min(3)).rev().map(|n| parts[..n].join("/")).collect()
}

/// `GET /api/v4/projects/:path` for the longest candidate that exists (the last answer when none
/// does).
fn project(http: &Http, base: &str, image: &ImageRef, token: &Secret) -> Probe<HttpAnswer> {
    let mut last = Probe::Skipped;
    for path in project_candidates(image) {
        let url = join(base, &format!("api/v4/projects/{}", encode_component(&path)));
        last = into_probe(http.send(Method::Get, &url, Auth::PrivateToken(token), Some("application/json")));
        if last.done().is_none_or(|a| a.status != 404) {
            break;
        }
    }
    last
}

fn into_probe(result: Result<HttpAnswer, ghcr_doctor_checks::ProbeError>) -> Probe<HttpAnswer> {
    match result {
        Ok(a) => Probe::Done(a.redacted()),
        Err(e) => Probe::Failed(e),
    }
}

/// The token that may ask the projects API: one whose `/self` answer lists `read_api` or `api`.
fn project_token<'a>(candidates: &[(&'a Secret, &Probe<HttpAnswer>)]) -> Option<&'a Secret> {
    candidates.iter().find_map(|(secret, answer)| {
        let scopes = TokenSelf::parse(answer.done()?).scopes()?.to_vec();
        scopes.iter().any(|s| s == "read_api" || s == "api").then_some(*secret)
    })
}

/// Gathers every fact of a GitLab run. The same chains as GitHub's for docker and the registry;
/// the forge's own calls are few, so they run on threads of their own.
pub(crate) fn gather(
    request: &Request,
    settings: &Settings,
    board: &Board,
    http: &Http,
    on_progress: Option<&mut dyn FnMut(&crate::Progress<'_>)>,
) {
    let gitlab = host(request);
    let base = base_url(request, settings);
    let base = base.as_str();
    let registry = crate::registry::Registry::new(request, settings, http);
    let config = credentials::load(settings);
    let registry_host = request.registry_host();
    let client = crate::client(request, settings);
    let repository = request.images.first().map(ImageRef::repository);
    board.set_client(client.clone());
    let images = crate::registry::ImagesRun::new(&registry, request, board);
    let lanes = sched::Lanes::default();
    let started = Instant::now();
    let env_token = env_token(settings);
    let glab_config = glab_config(&gitlab.name, settings);
    let ci = ci(settings);
    let api_token = env_token.as_ref().map(|e| e.secret.clone()).or_else(|| glab_config.token().cloned());
    board.settle(Fact::Owners, |_, _| {});
    board.settle(Fact::Packages, |_, _| {});

    thread::scope(|s| {
        sched::start_workers(s, &lanes);
        images.start(&lanes);
        let api_self = s.spawn(|| {
            let _call = board.track(Fact::ApiUser, "GET /api/v4/personal_access_tokens/self");
            api_token.as_ref().map_or(Probe::Skipped, |t| token_self(http, base, t))
        });
        s.spawn(|| {
            let (path, version) = {
                let _call = board.track(Fact::Login, "glab --version");
                glab(settings)
            };
            let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            board.settle_gitlab(Fact::Login, |g, t| {
                g.glab_path = path;
                g.glab_version = version;
                g.env_token = env_token.clone();
                g.glab_config = glab_config.clone();
                g.ci = ci.clone();
                t.gh = ms;
            });
        });
        s.spawn(|| {
            let (facts, ms) = {
                let _call = board.track(Fact::Docker, "docker version");
                timed(|| match client.client {
                    Client::Docker => docker::gather(&config, settings),
                    Client::Podman => Probe::Skipped,
                })
            };
            board.settle(Fact::Docker, |f, t| {
                f.docker = facts;
                t.docker = ms;
            });
        });
        s.spawn(|| {
            let (creds, ms) = {
                let _call = board.track(Fact::DockerCredentials, "docker config.json");
                timed(|| match client.client {
                    Client::Docker => credentials::gather(&config, &registry_host, settings),
                    Client::Podman => containers_auth::gather(&registry_host, repository.as_deref(), settings),
                })
            };
            let stored = match &creds.lookup {
                ghcr_doctor_checks::CredentialLookup::Found(c) => Some(c.clone()),
                _ => None,
            };
            let credential = registry_credential(stored.as_ref(), ci.as_ref());
            let for_registry = if request.pull_secret.is_some() {
                request
                    .images
                    .first()
                    .and_then(|i| request.pull_secret_entry(i))
                    .map(ghcr_doctor_checks::PullSecretEntry::credential)
            } else {
                credential.as_ref().map(|c| StoredCredential {
                    username: c.username.clone(),
                    secret: c.secret.clone(),
                    identity_token: false,
                })
            };
            images.credential_known(&lanes, for_registry);
            board.settle(Fact::DockerCredentials, |f, t| {
                f.docker_credentials = Probe::Done(creds);
                t.creds = ms;
            });
            // docker's secret asked about itself, when it is a personal token other than the API's.
            let other = credential
                .as_ref()
                .filter(|c| c.kind().verifiable() && api_token.as_ref() != Some(&c.secret))
                .map(|c| c.secret.clone());
            let (registry_self, secret_ms) = {
                let _call = board.track(Fact::DockerSecretUser, "GET /api/v4/personal_access_tokens/self");
                timed(|| other.as_ref().map_or(Probe::Skipped, |t| token_self(http, base, t)))
            };
            let api_self = api_self.join().unwrap_or_else(|_| Probe::Failed(crate::panicked()));
            let mut candidates: Vec<(&Secret, &Probe<HttpAnswer>)> = Vec::new();
            if let Some(t) = &api_token {
                candidates.push((t, &api_self));
            }
            if let Some(t) = &other {
                candidates.push((t, &registry_self));
            }
            let (projects, user_ms) = {
                let _call = board.track(Fact::ApiUser, "GET /api/v4/projects/:path");
                timed(|| match project_token(&candidates) {
                    Some(token) => thread::scope(|p| {
                        let asks: Vec<_> =
                            request.images.iter().map(|i| p.spawn(move || project(http, base, i, token))).collect();
                        asks.into_iter()
                            .map(|h| h.join().unwrap_or_else(|_| Probe::Failed(crate::panicked())))
                            .collect()
                    }),
                    None => vec![Probe::Skipped; request.images.len()],
                })
            };
            board.settle_gitlab(Fact::DockerSecretUser, |g, t| {
                g.registry_credential = credential.clone();
                g.registry_token_self = registry_self;
                t.secret = secret_ms;
            });
            board.settle_gitlab(Fact::ApiUser, |g, t| {
                g.api_token_self = api_self;
                g.projects = projects;
                t.user = user_ms;
            });
        });
        s.spawn(|| {
            let facts = board.facts_once(&[Fact::RegistryPing, Fact::Images]);
            let attempts = {
                let _call = board.track(Fact::PullSecretFallbacks, "pull secret: the next entries");
                crate::pull_secret::fallbacks(request, &facts, &registry)
            };
            board.settle(Fact::PullSecretFallbacks, |f, _| f.pull_secret_fallbacks = attempts);
        });
        board.wait_all(crate::TICK, on_progress);
        lanes.close();
        if board.in_flight() > 0 {
            http.abort();
        }
    });
    drop(lanes);
    drop(images);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glab_config_gives_the_hosts_token_and_user() {
        let yaml = "git_protocol: ssh\nhost: gitlab.com\nhosts:\n  gitlab.com:\n    token: glpat-abc\n    user: alice\n  gitlab.example.com:\n    token: \"\"\n";
        match parse_glab_config(yaml, "gitlab.com") {
            GlabConfigState::Loaded { token, user, keyring, hosts } => {
                assert_eq!(token.unwrap().expose(), "glpat-abc");
                assert_eq!(user.as_deref(), Some("alice"));
                assert!(!keyring);
                assert_eq!(hosts, ["gitlab.com", "gitlab.example.com"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_glab_config(yaml, "gitlab.example.com"),
            GlabConfigState::Loaded { token: None, keyring: true, .. }
        ));
        assert!(matches!(parse_glab_config("hosts: [1, 2]", "gitlab.com"), GlabConfigState::Malformed { .. }));
        match parse_glab_config("hosts:\n  gitlab.com:\n    token: glpat-secret\n  bad: [", "gitlab.com") {
            GlabConfigState::Malformed { detail } => assert!(!detail.contains("glpat-secret"), "{detail}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn project_candidates_are_the_first_three_prefixes_longest_first() {
        let image: ImageRef = "registry.gitlab.com/group/sub/proj/img:1".parse().unwrap();
        assert_eq!(project_candidates(&image), ["group/sub/proj", "group/sub"]);
        let image: ImageRef = "registry.gitlab.com/acme/app:1".parse().unwrap();
        assert_eq!(project_candidates(&image), ["acme/app"]);
    }
}
