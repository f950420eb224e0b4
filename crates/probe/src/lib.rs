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

mod actions;
mod base64;
mod credentials;
mod docker;
mod env;
mod gh;
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
    CheckId, CredentialLookup, DockerConfigState, Facts, HttpAnswer, ImageFacts, ImageRef, ManifestAuth, OwnerFacts,
    Probe, ProbeError, ProbeErrorKind, Request, Secret,
};

pub use env::Env;
pub use process::{OUTPUT_CAP, RawOutput, find_program, run_interactive, run_process};

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
    let api = github::Api::new(request, settings, &http);
    let registry = registry::Registry::new(request, settings, &http);
    let env_tokens = gh::env_tokens(request, settings);
    let config = credentials::load(settings);
    let registry_host = request.registry_host();
    let mut actions = actions::gather(request, settings);

    thread::scope(|s| {
        let docker = s.spawn(|| timed(|| docker::gather(&config, settings)));

        // Phase 1: gh, the credential store and the registry ping, side by side.
        let ((gh, gh_token, gh_ms), (ping, ping_ms), (creds, creds_ms)) = thread::scope(|s1| {
            let ping = s1.spawn(|| timed(|| registry.ping()));
            let creds = s1.spawn(|| timed(|| credentials::gather(&config, &registry_host, settings)));
            let ((gh, gh_token), gh_ms) = timed(|| gh::gather(request, &env_tokens, settings));
            let ping = ping.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0));
            let creds = match creds.join() {
                Ok((c, ms)) => (Probe::Done(c), ms),
                Err(_) => (Probe::Failed(panicked()), 0),
            };
            ((gh, gh_token, gh_ms), ping, creds)
        });

        let token: Option<Secret> = gh_token.done().and_then(|t| t.effective.token()).cloned();
        let token = token.as_ref();
        let stored = match creds.done().map(|c| &c.lookup) {
            Some(CredentialLookup::Found(c)) => Some(c),
            _ => None,
        };
        let challenge = registry.challenge(&ping);
        // In CI, before docker/login-action ran: ask the registry with the job's token.
        let docker_has_none = creds.done().is_some_and(|c| {
            c.lookup == CredentialLookup::NotFound && !matches!(c.config, DockerConfigState::Malformed { .. })
        });
        if let Some(a) = actions.as_mut().filter(|_| docker_has_none) {
            actions::add_job_credential(a, actions::job_token(request, &env_tokens));
        }
        let job_credential = actions.as_ref().and_then(|a| a.job_credential.as_ref());
        let registry_credential = stored.or(job_credential);

        // Phase 2: everything that needed a token, credentials or the challenge.
        let phase2 = thread::scope(|s2| {
            let api_user = s2.spawn(|| {
                timed(|| match token {
                    Some(t) => api.get("user", t),
                    None => Probe::Skipped,
                })
            });
            let docker_secret_user = s2.spawn(|| {
                timed(|| match stored {
                    Some(c) if !c.secret.expose().is_empty() && Some(&c.secret) != token => api.get("user", &c.secret),
                    _ => Probe::Skipped,
                })
            });
            let owner_threads: Vec<_> = request
                .owners()
                .into_iter()
                .map(|owner| {
                    let api = &api;
                    s2.spawn(move || timed(|| owner_chain(api, request, owner, token)))
                })
                .collect();
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

            let (mut images, mut images_ms) = (Vec::new(), 0);
            for (image, h) in request.images.iter().zip(image_threads) {
                let (facts, ms) = h.join().unwrap_or_else(|_| (skipped_image(image), 0));
                images.push(facts);
                images_ms = images_ms.max(ms);
            }
            let (mut owners, mut owners_ms) = (Vec::new(), 0);
            for (owner, h) in request.owners().into_iter().zip(owner_threads) {
                let ((facts, packages), ms) = h.join().unwrap_or_else(|_| {
                    let failed = OwnerFacts { owner, org: Probe::Failed(panicked()), membership: Probe::Skipped };
                    ((failed, Vec::new()), 0)
                });
                for (i, package) in packages {
                    images[i].package = package;
                }
                owners.push(facts);
                owners_ms = owners_ms.max(ms);
            }
            Phase2 {
                api_user: api_user.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0)),
                docker_secret_user: docker_secret_user.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0)),
                owners: (owners, owners_ms),
                images: (images, images_ms),
            }
        });
        let Phase2 { api_user: (api_user, user_ms), docker_secret_user: (docker_secret_user, secret_ms), .. } = phase2;
        let ((owners, owners_ms), (images, images_ms)) = (phase2.owners, phase2.images);
        let (docker, docker_ms) = docker.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0));
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
            env_tokens,
            gh,
            gh_token,
            api_user,
            owners,
            docker,
            docker_credentials: creds,
            docker_secret_user,
            registry_ping: ping,
            images,
            durations_ms,
            actions,
        }
    })
}

struct Phase2 {
    api_user: (Probe<HttpAnswer>, u64),
    docker_secret_user: (Probe<HttpAnswer>, u64),
    owners: (Vec<OwnerFacts>, u64),
    images: (Vec<ImageFacts>, u64),
}

/// Runs `f` and measures it in milliseconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let start = std::time::Instant::now();
    let value = f();
    (value, u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX))
}

/// One owner: `GET /orgs/{owner}`, then its membership and the packages API for each of its
/// images, side by side. Packages are skipped when `/orgs` did not answer at all.
fn owner_chain(
    api: &github::Api<'_>,
    request: &Request,
    owner: String,
    token: Option<&Secret>,
) -> (OwnerFacts, Vec<(usize, Probe<HttpAnswer>)>) {
    let org = match token {
        Some(t) => api.org(&owner, t),
        None => Probe::Skipped,
    };
    // The membership and the packages both need only the `/orgs` answer: ask side by side.
    let (membership, packages) = thread::scope(|s| {
        let membership = s.spawn(|| match (token, &org) {
            (Some(t), Probe::Done(a)) if a.status == 200 => api.membership(&owner, t),
            _ => Probe::Skipped,
        });
        let handles: Vec<_> = request
            .images
            .iter()
            .enumerate()
            .filter(|(_, image)| image.owner == owner)
            .map(|(i, image)| {
                let org = &org;
                (
                    i,
                    s.spawn(move || match (token, org) {
                        (Some(t), Probe::Done(_)) => api.package(image, org, t),
                        _ => Probe::Skipped,
                    }),
                )
            })
            .collect();
        let packages = handles
            .into_iter()
            .map(|(i, h)| (i, h.join().unwrap_or_else(|_| Probe::Failed(panicked()))))
            .collect::<Vec<_>>();
        (membership.join().unwrap_or_else(|_| Probe::Failed(panicked())), packages)
    });
    (OwnerFacts { owner, org, membership }, packages)
}

fn skipped_image(image: &ImageRef) -> ImageFacts {
    ImageFacts {
        reference: image.to_string(),
        anonymous_token: Probe::Skipped,
        credential_token: Probe::Skipped,
        manifest: Probe::Skipped,
        manifest_auth: ManifestAuth::None,
        push_token: Probe::Skipped,
        package: Probe::Skipped,
    }
}

pub(crate) fn panicked() -> ProbeError {
    ProbeError::new(ProbeErrorKind::Io, "internal error: a probe thread panicked")
}
