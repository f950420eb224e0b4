//! ghcr-doctor's single I/O seam: everything the doctor learns from the outside world
//! (processes, files, environment, HTTP) is gathered here into [`Facts`], with a timeout on every
//! external call. Evaluation elsewhere is pure and reads only `Facts`.
//!
//! [`gather`] starts every call as soon as what it needs is known (no async runtime):
//!
//! ```text
//! time zero:       gh (`auth token` ‖ `--version` ‖ without env tokens) ‖ docker ‖ docker's store
//!                  ‖ GET /v2/ ‖ per image the anonymous token (registry.rs: at the guessed realm)
//! docker's store:  per image the credential (and push) token ‖ GET /user with its secret
//! gh's token:      GET /user ‖ per owner /orgs and the membership ‖ per image the packages API
//!                  (github/mod.rs says which of these are sent ahead of the answer they depend on)
//! both tokens:     HEAD of the image's manifest
//! the image facts: with `--pull-secret`, if the first matching entry was refused, the next ones
//! ```
//!
//! With `--pull-secret` the registry is asked with the Secret's entry the kubelet would send, in
//! place of docker's credential (`registry_credential`).
//!
//! HTTP requests run on bounded lanes (`sched.rs`: a fixed number of workers, so of kept-alive
//! connections, per host) over one HTTP client: thousands of images take the same threads as one.
//! The per-call timeout is also the overall deadline: no request starts, or waits, past
//! `Settings::timeout` after the start, so a chain of calls cannot add its timeouts up. A call
//! that depends on a server that already failed to answer (the registry ping, an owner's `/orgs`
//! answer) is skipped instead of waiting out another timeout. [`gather_with`] shows the progress
//! (which groups of facts are final, what is still in flight) while it waits. Nothing here
//! writes a file or changes a login.

mod containers_auth;
mod credentials;
mod docker;
mod env;
mod files;
mod github;
mod gitlab;
mod http;
mod other_stores;
mod process;
pub mod progress;
mod pull_secret;
mod registry;
mod sched;
#[cfg(all(test, unix))]
mod tests;
#[cfg(all(test, unix))]
mod testutil;

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use ghcr_doctor_checks::{
    Client, ClientFacts, CredentialLookup, DockerConfigState, DockerCredentialFacts, Facts, ImageRef, Probe,
    ProbeError, ProbeErrorKind, PullSecretEntry, Request, StoredCredential,
};

pub use containers_auth::primary_auth_file as podman_auth_file;
pub use credentials::config_path as docker_config_path;
pub use env::Env;
pub use files::{FileError, check_regular, read_regular};
pub use gitlab::glab_config;
pub use process::{OUTPUT_CAP, RawOutput, find_program, run_interactive, run_process, stop_children_on_signals};
pub use progress::{Fact, Progress, Waiting, needs};
pub use pull_secret::read_pull_secret;

/// How to gather.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The limit for each external call (one process or one HTTP request), and for the HTTP side
    /// of the whole run: no request waits past this much time after the start.
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

/// How often [`gather_with`] shows the progress while calls are in flight.
pub(crate) const TICK: Duration = Duration::from_millis(250);

/// Gathers every fact for `request`. Never panics on bad input and never blocks past the
/// timeouts: the run ends about when its slowest chain of calls does.
pub fn gather(request: &Request, settings: &Settings) -> Facts {
    gather_inner(request, settings, None)
}

/// As [`gather`], calling `on_progress` on the caller's thread whenever a group of facts settles
/// and, while calls are in flight, a few times a second.
pub fn gather_with(request: &Request, settings: &Settings, on_progress: &mut dyn FnMut(&Progress<'_>)) -> Facts {
    gather_inner(request, settings, Some(on_progress))
}

/// docker's store as the other chains need it.
struct Store {
    /// docker's stored credential (also when config.json is malformed: it is still asked about).
    stored: Option<StoredCredential>,
    /// The Actions facts with the job's credential when docker holds none.
    actions: Option<ghcr_doctor_checks::ActionsFacts>,
}

fn gather_inner(request: &Request, settings: &Settings, on_progress: Option<&mut dyn FnMut(&Progress<'_>)>) -> Facts {
    let deadline = Instant::now() + settings.timeout;
    let http = http::Http::with_deadline(&settings.env, settings.timeout, deadline);
    if request.forge.gitlab().is_some() {
        let board = progress::Board::new(request);
        gitlab::gather(request, settings, &board, &http, on_progress);
        thread::spawn(move || drop(http));
        return board.into_facts();
    }
    let registry = registry::Registry::new(request, settings, &http);
    let config = credentials::load(settings);
    let registry_host = request.registry_host();
    let client = client(request, settings);
    let repository = request.images.first().map(ImageRef::repository);
    let early = github::Early::gather(request, settings);
    let board = progress::Board::new(request);
    board.set_client(client.clone());
    let images = registry::ImagesRun::new(&registry, request, &board);
    let api = github::ApiRun::new(request, settings, &http, &board);
    let store: (Mutex<Option<Store>>, Condvar) = Default::default();
    let lanes = sched::Lanes::default();

    thread::scope(|s| {
        // Time zero, in the order the first answers are needed: the registry's requests (a worker
        // starts for each), docker's store, gh, docker; the API lane's workers start once docker's
        // store or gh has answered.
        sched::start_workers(s, &lanes);
        images.start(&lanes);
        s.spawn(|| {
            let (creds, ms) = {
                let what = match client.client {
                    Client::Docker => "docker config.json",
                    Client::Podman => "podman auth.json",
                };
                let _call = board.track(progress::Fact::DockerCredentials, what);
                timed(|| match client.client {
                    Client::Docker => credentials::gather(&config, &registry_host, settings),
                    Client::Podman => containers_auth::gather(&registry_host, repository.as_deref(), settings),
                })
            };
            let outcome = store_of(request, &early, &creds);
            api.stored_known(&lanes, outcome.stored.as_ref());
            images.credential_known(&lanes, registry_credential(request, &outcome));
            board.settle(progress::Fact::DockerCredentials, |f, t| {
                f.docker_credentials = Probe::Done(creds);
                t.creds = ms;
            });
            *store.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
            store.1.notify_all();
        });
        s.spawn(|| {
            let (gh, gh_token, ms) = {
                let _call = board.track(progress::Fact::Login, "gh auth token");
                github::gh(request, &early, settings)
            };
            let outcome = {
                let mut slot = store.0.lock().unwrap_or_else(PoisonError::into_inner);
                loop {
                    match slot.take() {
                        Some(o) => break o,
                        None => slot = store.1.wait(slot).unwrap_or_else(PoisonError::into_inner),
                    }
                }
            };
            let token = github::token_of(&gh_token).cloned();
            board.settle_github(progress::Fact::Login, |g, t| {
                g.env_tokens = early.env_tokens.clone();
                g.gh = gh;
                g.gh_token = gh_token;
                g.actions = outcome.actions;
                t.gh = ms;
            });
            api.token_known(&lanes, token.as_ref(), outcome.stored.as_ref());
        });
        s.spawn(|| {
            let (facts, ms) = {
                let _call = board.track(progress::Fact::Docker, "docker version");
                // podman has no daemon: nothing of docker's is asked.
                timed(|| match client.client {
                    Client::Docker => docker::gather(&config, settings),
                    Client::Podman => Probe::Skipped,
                })
            };
            board.settle(progress::Fact::Docker, |f, t| {
                f.docker = facts;
                t.docker = ms;
            });
        });
        s.spawn(|| {
            // The kubelet's next tries need the first entry's answer (and the ping's challenge).
            let facts = board.facts_once(&[progress::Fact::RegistryPing, progress::Fact::Images]);
            let attempts = {
                let _call = board.track(progress::Fact::PullSecretFallbacks, "pull secret: the next entries");
                pull_secret::fallbacks(request, &facts, &registry)
            };
            board.settle(progress::Fact::PullSecretFallbacks, |f, _| f.pull_secret_fallbacks = attempts);
        });
        board.wait_all(TICK, on_progress);
        // Every fact is in: what is still queued or in flight is speculation nobody needs.
        lanes.close();
        if board.in_flight() > 0 {
            http.abort();
        }
    });
    // The lanes' jobs borrowed the runs and the board: they go first.
    drop(lanes);
    drop(images);
    drop(api);
    drop(registry);
    // Closing the kept-alive connections takes a millisecond or two: not on the caller's time.
    thread::spawn(move || drop(http));
    board.into_facts()
}

/// The client this run is about: the request's when it names one; else docker when it is on
/// PATH, podman when only podman is, and docker when neither is (`docker-daemon` then says docker
/// is missing).
pub fn client(request: &Request, settings: &Settings) -> ClientFacts {
    let on_path = |c: Client| find_program(c.command(), &settings.env).map(|p| p.display().to_string());
    if let Some(client) = request.client {
        return ClientFacts { client, path: on_path(client) };
    }
    match (on_path(Client::Docker), on_path(Client::Podman)) {
        (None, Some(path)) => ClientFacts { client: Client::Podman, path: Some(path) },
        (docker, _) => ClientFacts { client: Client::Docker, path: docker },
    }
}

/// What docker's store holds for the other chains.
fn store_of(request: &Request, early: &github::Early, creds: &DockerCredentialFacts) -> Store {
    let stored = match &creds.lookup {
        CredentialLookup::Found(c) => Some(c.clone()),
        _ => None,
    };
    let docker_has_none =
        creds.lookup == CredentialLookup::NotFound && !matches!(creds.config, DockerConfigState::Malformed { .. });
    Store { stored, actions: early.actions_given(request, docker_has_none) }
}

/// The credential the registry is asked with: with `--pull-secret`, the Secret's entry the kubelet
/// would send for the image (`check --pull-secret` takes one image); else docker's, else the job's.
fn registry_credential(request: &Request, store: &Store) -> Option<StoredCredential> {
    if request.pull_secret.is_some() {
        return request
            .images
            .first()
            .and_then(|image| request.pull_secret_entry(image))
            .map(PullSecretEntry::credential);
    }
    store.stored.clone().or_else(|| job_credential(store))
}

fn job_credential(store: &Store) -> Option<StoredCredential> {
    store.actions.as_ref().and_then(|a| a.job_credential.clone())
}

/// Runs `f` and measures it in milliseconds.
pub(crate) fn timed<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let start = std::time::Instant::now();
    let value = f();
    (value, u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX))
}

pub(crate) fn panicked() -> ProbeError {
    ProbeError::new(ProbeErrorKind::Io, "internal error: a probe thread panicked")
}
