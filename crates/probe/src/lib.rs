//! ghcr-doctor's single I/O seam: everything the doctor learns from the outside world
//! (processes, files, environment, HTTP) is gathered here into [`Facts`], with a timeout on every
//! external call. Evaluation elsewhere is pure and reads only `Facts`.
//!
//! [`gather`] runs the independent chains concurrently on scoped threads (no async runtime):
//!
//! ```text
//! throughout:  docker: which, endpoint (maybe `docker context inspect`), socket ‖ `docker version`
//! phase 1:     gh: which, `--version` ‖ `auth token` ‖ `auth token` without env tokens
//!              ‖ config.json, then the credential helper
//!              ‖ GET /v2/ (the challenge)
//! phase 2:     GET /user with gh's token ‖ GET /user with docker's secret (when it differs)
//!              ‖ per owner: GET /orgs/{o}, then membership ‖ packages API of its images
//!              ‖ per image: anonymous ‖ credential ‖ push token, then HEAD manifest
//! ```
//!
//! A call that depends on a server that already failed to answer (the registry ping, an owner's
//! `/orgs` answer) is skipped instead of waiting out another timeout. Nothing here writes a file
//! or changes a login.

mod credentials;
mod docker;
mod env;
mod files;
mod github;
mod http;
mod process;
mod registry;
#[cfg(all(test, unix))]
mod tests;
#[cfg(all(test, unix))]
mod testutil;

use std::thread;
use std::time::Duration;

use ghcr_doctor_checks::{
    CheckId, CredentialLookup, DockerConfigState, Facts, ForgeFacts, ImageFacts, ImageRef, ManifestAuth, Probe,
    ProbeError, ProbeErrorKind, Request,
};

pub use credentials::config_path as docker_config_path;
pub use env::Env;
pub use files::{FileError, check_regular, read_regular};
pub use process::{OUTPUT_CAP, RawOutput, find_program, run_interactive, run_process, stop_children_on_signals};

/// How to gather.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The limit for each external call (one process or one HTTP request).
    pub timeout: Duration,
    /// The environment snapshot everything is decided from and child processes receive.
    pub env: Env,
}

impl Settings {
    /// The current process's environment and the given per-call timeout.
    pub fn from_process(timeout: Duration) -> Settings {
        Settings { timeout, env: Env::from_process() }
    }
}

/// Gathers every fact for `request`. Never panics on bad input and never blocks past the
/// timeouts: the run ends about when its slowest chain of calls does.
pub fn gather(request: &Request, settings: &Settings) -> Facts {
    let http = http::Http::new(&settings.env, settings.timeout);
    let registry = registry::Registry::new(request, settings, &http);
    let config = credentials::load(settings);
    let registry_host = request.registry_host();

    thread::scope(|s| {
        let docker = s.spawn(|| timed(|| docker::gather(&config, settings)));

        // Phase 1: the forge's login, the credential store and the registry ping, side by side.
        let (mut login, (ping, ping_ms), (creds, creds_ms)) = thread::scope(|s1| {
            let ping = s1.spawn(|| timed(|| registry.ping()));
            let creds = s1.spawn(|| timed(|| credentials::gather(&config, &registry_host, settings)));
            let login = github::Login::gather(request, settings);
            let ping = ping.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0));
            let creds = match creds.join() {
                Ok((c, ms)) => (Probe::Done(c), ms),
                Err(_) => (Probe::Failed(panicked()), 0),
            };
            (login, ping, creds)
        });

        let stored = match creds.done().map(|c| &c.lookup) {
            Some(CredentialLookup::Found(c)) => Some(c),
            _ => None,
        };
        let challenge = registry.challenge(&ping);
        let docker_has_none = creds.done().is_some_and(|c| {
            c.lookup == CredentialLookup::NotFound && !matches!(c.config, DockerConfigState::Malformed { .. })
        });
        if docker_has_none {
            login.use_job_credential(request);
        }
        let token = login.token();
        let registry_credential = stored.or(login.job_credential());

        // Phase 2: everything that needed a token, credentials or the challenge.
        let (api, (images, images_ms)) = thread::scope(|s2| {
            let image_threads: Vec<_> = request
                .images
                .iter()
                .map(|image| {
                    let (registry, challenge, ping) = (&registry, &challenge, &ping);
                    s2.spawn(move || {
                        timed(|| match ping {
                            // The registry answered: ask it about the image.
                            Probe::Done(_) => registry.image(image, challenge, registry_credential, request.access),
                            _ => skipped_image(image),
                        })
                    })
                })
                .collect();
            let api = github::ApiAnswers::gather(request, settings, &http, token, stored);
            let (mut images, mut images_ms) = (Vec::new(), 0);
            for (image, h) in request.images.iter().zip(image_threads) {
                let (facts, ms) = h.join().unwrap_or_else(|_| (skipped_image(image), 0));
                images.push(facts);
                images_ms = images_ms.max(ms);
            }
            (api, (images, images_ms))
        });
        let (docker, docker_ms) = docker.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0));
        let (gh_ms, user_ms, secret_ms, owners_ms) = (login.ms, api.api_user.1, api.docker_secret_user.1, api.owners.1);
        // Each check's facts: the calls along its chain (what it waited for before them excluded).
        let durations_ms = vec![
            (CheckId::GhInstalled, gh_ms),
            (CheckId::GithubHost, ping_ms),
            (CheckId::GhAuth, gh_ms + user_ms),
            (CheckId::TokenScopes, user_ms),
            (CheckId::Sso, owners_ms),
            (CheckId::DockerDaemon, docker_ms),
            (CheckId::DockerCredentials, creds_ms + secret_ms),
            (CheckId::RegistryAccess, ping_ms + images_ms),
        ];
        Facts {
            forge: ForgeFacts::Github(github::facts(login, api)),
            docker,
            docker_credentials: creds,
            registry_ping: ping,
            images,
            durations_ms,
        }
    })
}

/// Runs `f` and measures it in milliseconds.
pub(crate) fn timed<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let start = std::time::Instant::now();
    let value = f();
    (value, u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX))
}

fn skipped_image(image: &ImageRef) -> ImageFacts {
    ImageFacts {
        reference: image.to_string(),
        anonymous_token: Probe::Skipped,
        credential_token: Probe::Skipped,
        manifest: Probe::Skipped,
        manifest_auth: ManifestAuth::None,
        push_token: Probe::Skipped,
    }
}

pub(crate) fn panicked() -> ProbeError {
    ProbeError::new(ProbeErrorKind::Io, "internal error: a probe thread panicked")
}
