//! The GitHub family's side of gathering: the token variables, gh and its token (the login), the
//! Actions job's environment, and the REST API's answers about the user, the image owners and
//! their packages. [`crate::gather`] runs these beside the shared docker and registry chains.
//!
//! The API requests go out as soon as what they need is known, all at once on the API lane:
//!
//! ```text
//! docker's store:  GET /user with docker's stored secret (usually gh's token: then it is gh's
//!                  /user, sent before gh has answered, and it opens the API connection early)
//! gh's token:      GET /user (when it differs) ‖ per owner GET /orgs/{o} ‖ its membership
//!                  ‖ per image the packages API under /orgs/ (‖ under /users/, when a worker
//!                  is free now; else only once /orgs/{o} said the owner is a user)
//! ```
//!
//! Which answers count is decided exactly as when each request waited for `/orgs/{o}`: the
//! membership only for an organization (200), the package under `/orgs/` for 200 or 403, else
//! under `/users/`; an answer that does not count is dropped, so the facts are the same. The
//! requests sent ahead of that answer — the membership of an owner that turns out to be a user,
//! the package under the path that turns out wrong — are about the owners and images the
//! request names, and at most one per owner and one per image.

pub(crate) mod actions;
mod api;
mod gh;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use ghcr_doctor_checks::{
    ActionsFacts, EnvToken, GhFacts, GhTokenFacts, GithubHost, HttpAnswer, OwnerFacts, Probe, Request, Secret,
    StoredCredential,
};

use crate::http::Http;
use crate::progress::{Board, Fact};
use crate::sched::{Done, Group, Lane, Lanes, Priority};
use crate::{Settings, timed};
use api::PackagePath;

/// The GitHub host of a request. Only called for GitHub requests.
pub(crate) fn host(request: &Request) -> &GithubHost {
    request.forge.github().expect("the GitHub side is gathered only for a GitHub forge")
}

/// What is known at time zero, without starting a process: the token variables and the Actions
/// job's environment.
pub(crate) struct Early {
    pub env_tokens: Vec<EnvToken>,
    pub actions: Option<ActionsFacts>,
}

impl Early {
    pub(crate) fn gather(request: &Request, settings: &Settings) -> Early {
        Early { env_tokens: gh::env_tokens(request, settings), actions: actions::gather(request, settings) }
    }

    /// The Actions facts once docker's store is known: in CI, before `docker/login-action` ran
    /// (docker holds nothing for the registry host), with the job's token as the credential the
    /// registry requests use, as docker would after the login.
    pub(crate) fn actions_given(&self, request: &Request, docker_has_none: bool) -> Option<ActionsFacts> {
        let mut actions = self.actions.clone();
        if let Some(a) = actions.as_mut().filter(|_| docker_has_none) {
            let token = actions::job_token(request, a.github_actions, &self.env_tokens);
            actions::add_job_credential(a, token);
        }
        actions
    }
}

/// In an Actions job on the configured host, the API is the job's own `GITHUB_API_URL`. The
/// `api` module takes its base from `GHCR_DOCTOR_API_URL`, so the job's URL is handed to it
/// that way; an explicit `GHCR_DOCTOR_API_URL` (tests, unusual networks) still wins. `None`:
/// the settings as they are.
fn job_api_settings(request: &Request, settings: &Settings) -> Option<Settings> {
    if settings.env.non_empty("GHCR_DOCTOR_API_URL").is_some() {
        return None;
    }
    let base = actions::job_api_base(request, &settings.env)?;
    Some(Settings { env: settings.env.clone().with("GHCR_DOCTOR_API_URL", base), ..settings.clone() })
}

/// gh: on PATH, its version and its token, with the wall time of its calls.
pub(crate) fn gh(request: &Request, early: &Early, settings: &Settings) -> (Probe<GhFacts>, Probe<GhTokenFacts>, u64) {
    let ((gh, token), ms) = timed(|| gh::gather(request, &early.env_tokens, settings));
    (gh, token, ms)
}

/// The token gh (or, in CI, the environment) yields.
pub(crate) fn token_of(gh_token: &Probe<GhTokenFacts>) -> Option<&Secret> {
    gh_token.done().and_then(|t| t.effective.token())
}

/// One owner's answers so far.
#[derive(Default)]
struct OwnerState {
    org: Option<Probe<HttpAnswer>>,
    membership: Option<Probe<HttpAnswer>>,
    /// Where its packages are, once `/orgs/{o}` answered (`None` inside: nowhere to ask).
    path: Option<Option<PackagePath>>,
    /// Images whose `/users/` package request waits for that answer.
    deferred: Vec<usize>,
}

/// The API's side of a run: its requests on the API lane, its answers onto the board.
pub(crate) struct ApiRun<'a> {
    api: api::Api<'a>,
    request: &'a Request,
    board: &'a Board,
    owners: Vec<String>,
    /// The owner index of each image.
    owner_of: Vec<usize>,
    users: Group,
    /// `GET /user` with docker's stored secret, and with gh's token.
    user_by_stored: Mutex<Option<(Probe<HttpAnswer>, u64)>>,
    user_by_token: Mutex<Option<(Probe<HttpAnswer>, u64)>>,
    owner_jobs: Group,
    owner_state: Vec<Mutex<OwnerState>>,
    package_jobs: Group,
    /// Per image: the answers under `/orgs/` and under `/users/`.
    packages: Vec<Mutex<[Option<Probe<HttpAnswer>>; 2]>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// docker's stored secret, when it is one to try on the API.
fn stored_secret(stored: Option<&StoredCredential>) -> Option<&Secret> {
    stored.map(|c| &c.secret).filter(|s| !s.expose().is_empty())
}

impl<'a> ApiRun<'a> {
    pub(crate) fn new(request: &'a Request, settings: &Settings, http: &'a Http, board: &'a Board) -> ApiRun<'a> {
        let owners = request.owners();
        let owner_of = request.images.iter().map(|i| owners.iter().position(|o| *o == i.owner).unwrap_or(0)).collect();
        ApiRun {
            api: api::Api::new(request, job_api_settings(request, settings).as_ref().unwrap_or(settings), http),
            request,
            board,
            owner_state: owners.iter().map(|_| Mutex::default()).collect(),
            owners,
            owner_of,
            users: Group::default(),
            user_by_stored: Mutex::default(),
            user_by_token: Mutex::default(),
            owner_jobs: Group::default(),
            package_jobs: Group::default(),
            packages: request.images.iter().map(|_| Mutex::default()).collect(),
        }
    }

    /// `GET /user` with `secret` into `slot`.
    fn ask_user(&'a self, lanes: &Lanes<'a>, secret: Secret, slot: &'a Mutex<Option<(Probe<HttpAnswer>, u64)>>) {
        self.users.add();
        lanes.submit(Lane::Api, Priority::First, move |_| {
            let _done = Done(&self.users);
            let _call = self.board.track(Fact::ApiUser, format!("GET {}", self.api.url("user")));
            *lock(slot) = Some(timed(|| self.api.get("user", &secret)));
        });
    }

    /// docker's store is known: its secret goes to `GET /user` at once (gh's token is usually
    /// the same secret, and then this is the `/user` request gh's token needs).
    pub(crate) fn stored_known(&'a self, lanes: &Lanes<'a>, stored: Option<&StoredCredential>) {
        if let Some(secret) = stored_secret(stored) {
            self.ask_user(lanes, secret.clone(), &self.user_by_stored);
        }
    }

    /// gh's token is known (and docker's store, which `stored_known` was told): everything else
    /// goes out; then this waits for the answers and settles them on the board.
    pub(crate) fn token_known(&'a self, lanes: &Lanes<'a>, token: Option<&Secret>, stored: Option<&StoredCredential>) {
        let started = Instant::now();
        let stored = stored_secret(stored);
        let same = token.is_some() && token == stored;
        if let Some(t) = token.filter(|_| !same) {
            self.ask_user(lanes, t.clone(), &self.user_by_token);
        }
        if let Some(t) = token {
            self.ask_owners(lanes, t);
        }

        self.users.wait();
        let by_stored = lock(&self.user_by_stored).take();
        let by_token = lock(&self.user_by_token).take();
        let (api_user, docker_secret_user) = match (token, same) {
            (None, _) => ((Probe::Skipped, 0), by_stored),
            (Some(_), true) => (by_stored.unwrap_or((Probe::Skipped, 0)), None),
            (Some(_), false) => (by_token.unwrap_or((Probe::Skipped, 0)), by_stored),
        };
        let docker_secret_user = docker_secret_user.unwrap_or((Probe::Skipped, 0));
        self.board.settle_github(Fact::ApiUser, |g, t| {
            (g.api_user, t.user) = api_user;
        });
        self.board.settle_github(Fact::DockerSecretUser, |g, t| {
            (g.docker_secret_user, t.secret) = docker_secret_user;
        });

        self.owner_jobs.wait();
        let owners: Vec<OwnerFacts> = self
            .owners
            .iter()
            .zip(&self.owner_state)
            .map(|(owner, state)| {
                let mut state = lock(state);
                let org = state.org.take().unwrap_or(Probe::Skipped);
                let membership = match &org {
                    Probe::Done(a) if a.status == 200 => state.membership.take().unwrap_or(Probe::Skipped),
                    _ => Probe::Skipped,
                };
                OwnerFacts { owner: owner.clone(), org, membership }
            })
            .collect();
        let owners_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let paths: Vec<Option<PackagePath>> = owners.iter().map(|o| PackagePath::for_org_answer(&o.org)).collect();
        self.board.settle_github(Fact::Owners, |g, t| {
            g.owners = owners;
            t.owners = owners_ms;
        });

        self.package_jobs.wait();
        let packages: Vec<Probe<HttpAnswer>> = self
            .packages
            .iter()
            .zip(&self.owner_of)
            .map(|(answers, owner)| {
                let mut answers = lock(answers);
                match paths[*owner] {
                    Some(path) => answers[path as usize].take().unwrap_or(Probe::Skipped),
                    None => Probe::Skipped,
                }
            })
            .collect();
        self.board.settle_github(Fact::Packages, |g, _| g.packages = packages);
    }

    /// Per owner `/orgs/{o}` and the membership; per image its package, under both paths while the
    /// owner's kind is unknown.
    fn ask_owners(&'a self, lanes: &Lanes<'a>, token: &Secret) {
        for (o, owner) in self.owners.iter().enumerate() {
            self.owner_jobs.add();
            let t = token.clone();
            lanes.submit(Lane::Api, Priority::First, move |lanes| {
                let _done = Done(&self.owner_jobs);
                let org = {
                    let _call = self.board.track(Fact::Owners, format!("GET {}", self.api.url(&api::org_path(owner))));
                    self.api.org(owner, &t)
                };
                let path = PackagePath::for_org_answer(&org);
                let mut state = lock(&self.owner_state[o]);
                state.org = Some(org);
                state.path = Some(path);
                for i in std::mem::take(&mut state.deferred) {
                    if path == Some(PackagePath::Users) {
                        self.ask_package(lanes, i, PackagePath::Users, t.clone(), Priority::First);
                    } else {
                        self.package_jobs.done();
                    }
                }
            });
            self.owner_jobs.add();
            let t = token.clone();
            lanes.submit(Lane::Api, Priority::Normal, move |_| {
                let _done = Done(&self.owner_jobs);
                let _call =
                    self.board.track(Fact::Owners, format!("GET {}", self.api.url(&api::membership_path(owner))));
                let membership = self.api.membership(owner, &t);
                lock(&self.owner_state[o]).membership = Some(membership);
            });
        }
        for i in 0..self.request.images.len() {
            self.package_jobs.add();
            self.ask_package(lanes, i, PackagePath::Orgs, token.clone(), Priority::Normal);
            // The other path only if it can go out now without holding anything up; else only
            // once `/orgs/{o}` said it is the one.
            self.package_jobs.add();
            let mut state = lock(&self.owner_state[self.owner_of[i]]);
            match state.path {
                Some(Some(PackagePath::Users)) => {
                    self.ask_package(lanes, i, PackagePath::Users, token.clone(), Priority::First);
                }
                Some(_) => self.package_jobs.done(),
                None => {
                    let job = self.package_job(i, PackagePath::Users, token.clone());
                    if lanes.submit_if_free(Lane::Api, job).is_err() {
                        state.deferred.push(i);
                    }
                }
            }
        }
    }

    /// Queues image `i`'s package request under `path` (counted in `package_jobs` already).
    fn ask_package(&'a self, lanes: &Lanes<'a>, i: usize, path: PackagePath, token: Secret, priority: Priority) {
        lanes.submit(Lane::Api, priority, self.package_job(i, path, token));
    }

    fn package_job(&'a self, i: usize, path: PackagePath, token: Secret) -> impl FnOnce(&Lanes<'a>) + Send + 'a {
        move |_| {
            let _done = Done(&self.package_jobs);
            // Not sent when the owner's answer already says the package is elsewhere.
            if lock(&self.owner_state[self.owner_of[i]]).path.is_some_and(|p| p != Some(path)) {
                return;
            }
            let image = &self.request.images[i];
            let answer = {
                let _call =
                    self.board.track(Fact::Packages, format!("GET {}", self.api.url(&api::package_path(image, path))));
                self.api.package(image, path, &token)
            };
            lock(&self.packages[i])[path as usize] = Some(answer);
        }
    }
}
