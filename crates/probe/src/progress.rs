//! How far a gathering is, for a live display: which groups of facts are settled (final), the
//! facts so far, and the calls still in flight with how long each has been waiting.
//!
//! [`needs`] says which groups each check's evaluation reads — its own facts and the ones every
//! finding's fix context reads (the token, the login, docker's credential) — so a check whose
//! needs are all settled evaluates over the partial facts exactly as over the final ones (the
//! CLI prints its line then; a test holds `needs` to that). The [`Board`] is where the gatherer's
//! threads put each group as it settles; the caller's thread waits on it and sees the progress.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use ghcr_doctor_checks::{
    CheckId, Facts, ForgeFacts, GithubFacts, GitlabFacts, ImageFacts, ManifestAuth, Probe, Request,
};

/// A group of facts that becomes final at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// The token variables, gh and its token, the Actions job (with its credential).
    Login = 0,
    /// docker's config.json and credential store.
    DockerCredentials,
    /// The docker CLI and daemon.
    Docker,
    /// `GET /v2/`.
    RegistryPing,
    /// `GET /user` with gh's token.
    ApiUser,
    /// `GET /user` with docker's stored secret.
    DockerSecretUser,
    /// `GET /orgs/{o}` and the memberships.
    Owners,
    /// The packages API.
    Packages,
    /// The registry's answers about every image.
    Images,
    /// `--pull-secret`: the further matching entries asked after a refused first one.
    PullSecretFallbacks,
}

impl Fact {
    pub const ALL: [Fact; 10] = [
        Fact::Login,
        Fact::DockerCredentials,
        Fact::Docker,
        Fact::RegistryPing,
        Fact::ApiUser,
        Fact::DockerSecretUser,
        Fact::Owners,
        Fact::Packages,
        Fact::Images,
        Fact::PullSecretFallbacks,
    ];

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// What every check reads through its findings' fix context (the token, the login, docker's
/// credential, the Actions job) besides its own facts.
const COMMON: [Fact; 3] = [Fact::Login, Fact::DockerCredentials, Fact::ApiUser];

/// The fact groups `check`'s evaluation reads.
pub fn needs(check: CheckId) -> &'static [Fact] {
    use Fact as F;
    match check {
        CheckId::GhInstalled | CheckId::GhAuth | CheckId::GlabInstalled => &COMMON,
        // GitLab reads the token answers of both API calls (the registry credential's arrives
        // with docker's secret answer); GitHub's read only `/user`, which COMMON holds.
        CheckId::TokenScopes | CheckId::GitlabAuth => {
            &[F::Login, F::DockerCredentials, F::ApiUser, F::DockerSecretUser]
        }
        CheckId::GitlabHost => &[F::Login, F::DockerCredentials, F::ApiUser, F::RegistryPing],
        CheckId::GithubHost => &[F::Login, F::DockerCredentials, F::ApiUser, F::RegistryPing],
        CheckId::Sso => &[F::Login, F::DockerCredentials, F::ApiUser, F::Owners],
        CheckId::DockerDaemon => &[F::Login, F::DockerCredentials, F::ApiUser, F::Docker],
        CheckId::DockerCredentials => &[F::Login, F::DockerCredentials, F::ApiUser, F::DockerSecretUser],
        CheckId::RegistryAccess | CheckId::PullSecret => &Fact::ALL,
    }
}

/// A call still in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// The group it feeds.
    pub fact: Fact,
    /// `gh auth token`, `GET https://api.github.com/user` (never a secret: no query, no header).
    pub what: String,
    /// How long it has been running.
    pub elapsed: Duration,
}

/// The state of a gathering, as its caller sees it.
pub struct Progress<'a> {
    /// The facts so far: a group not settled yet holds its initial `Skipped` values.
    pub facts: &'a Facts,
    settled: u16,
    /// Calls in flight, the longest-running first.
    pub waiting: &'a [Waiting],
}

impl Progress<'_> {
    pub fn settled(&self, fact: Fact) -> bool {
        self.settled & fact.bit() != 0
    }

    /// Whether `check` evaluates now as it will over the final facts.
    pub fn decided(&self, check: CheckId) -> bool {
        needs(check).iter().all(|f| self.settled(*f))
    }

    /// The longest-running call that `check` still waits for.
    pub fn waiting_for(&self, check: CheckId) -> Option<&Waiting> {
        let needed = needs(check);
        self.waiting.iter().find(|w| needed.contains(&w.fact) && !self.settled(w.fact))
    }
}

/// How long each chain took, for `Facts::durations_ms`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Timings {
    pub gh: u64,
    pub ping: u64,
    pub creds: u64,
    pub docker: u64,
    pub user: u64,
    pub secret: u64,
    pub owners: u64,
    pub images: u64,
}

impl Timings {
    /// Each check's facts: the calls along its own chain (what it waited for before them excluded).
    fn durations(&self) -> Vec<(CheckId, u64)> {
        vec![
            (CheckId::GhInstalled, self.gh),
            (CheckId::GithubHost, self.ping),
            (CheckId::GhAuth, self.gh + self.user),
            (CheckId::GlabInstalled, self.gh),
            (CheckId::GitlabHost, self.ping),
            (CheckId::GitlabAuth, self.user + self.secret),
            (CheckId::TokenScopes, self.user),
            (CheckId::Sso, self.owners),
            (CheckId::DockerDaemon, self.docker),
            (CheckId::DockerCredentials, self.creds + self.secret),
            (CheckId::RegistryAccess, self.images),
            (CheckId::PullSecret, self.images),
        ]
    }
}

struct State {
    facts: Facts,
    timings: Timings,
    settled: u16,
    /// Calls in flight: id, group, label, start.
    inflight: Vec<(u64, Fact, String, Instant)>,
    next_id: u64,
}

/// Where the gatherer's threads put each group of facts as it settles.
pub(crate) struct Board {
    state: Mutex<State>,
    changed: Condvar,
}

impl Board {
    /// Every fact at its initial value: `Skipped`, an entry per owner and per image.
    pub(crate) fn new(request: &Request) -> Board {
        let skipped = || vec![Probe::Skipped; request.images.len()];
        let forge = match request.forge.family() {
            ghcr_doctor_checks::Family::Github => {
                ForgeFacts::Github(GithubFacts { packages: skipped(), ..GithubFacts::default() })
            }
            ghcr_doctor_checks::Family::Gitlab => {
                ForgeFacts::Gitlab(GitlabFacts { projects: skipped(), ..GitlabFacts::default() })
            }
        };
        let facts = Facts {
            forge,
            client: ghcr_doctor_checks::ClientFacts::default(),
            docker: Probe::Skipped,
            docker_credentials: Probe::Skipped,
            registry_ping: Probe::Skipped,
            images: request.images.iter().map(|i| skipped_image(&i.to_string())).collect(),
            durations_ms: Timings::default().durations(),
            pull_secret_fallbacks: Vec::new(),
        };
        let state = State { facts, timings: Timings::default(), settled: 0, inflight: Vec::new(), next_id: 0 };
        Board { state: Mutex::new(state), changed: Condvar::new() }
    }

    /// The client, known before anything is gathered (every check's messages name it).
    pub(crate) fn set_client(&self, client: ghcr_doctor_checks::ClientFacts) {
        self.lock().facts.client = client;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `fact`'s values (and its timing) and marks it settled.
    pub(crate) fn settle(&self, fact: Fact, write: impl FnOnce(&mut Facts, &mut Timings)) {
        let mut state = self.lock();
        let State { facts, timings, .. } = &mut *state;
        write(facts, timings);
        state.facts.durations_ms = state.timings.durations();
        state.settled |= fact.bit();
        drop(state);
        self.changed.notify_all();
    }

    /// Writes the GitHub facts of `fact`.
    pub(crate) fn settle_github(&self, fact: Fact, write: impl FnOnce(&mut GithubFacts, &mut Timings)) {
        self.settle(fact, |facts, timings| {
            if let ForgeFacts::Github(g) = &mut facts.forge {
                write(g, timings);
            }
        });
    }

    /// Writes the GitLab facts of `fact`.
    pub(crate) fn settle_gitlab(&self, fact: Fact, write: impl FnOnce(&mut GitlabFacts, &mut Timings)) {
        self.settle(fact, |facts, timings| {
            if let ForgeFacts::Gitlab(g) = &mut facts.forge {
                write(g, timings);
            }
        });
    }

    /// Records a call in flight until the returned guard is dropped.
    pub(crate) fn track(&self, fact: Fact, what: impl Into<String>) -> Tracked<'_> {
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id += 1;
        state.inflight.push((id, fact, what.into(), Instant::now()));
        Tracked { board: self, id }
    }

    /// Blocks until every group is settled, showing `on_progress` (when given) each change and,
    /// while calls are in flight, every `tick`.
    pub(crate) fn wait_all(&self, tick: Duration, mut on_progress: Option<&mut dyn FnMut(&Progress<'_>)>) {
        let all = Fact::ALL.iter().fold(0, |bits, f| bits | f.bit());
        let mut state = self.lock();
        let mut shown = None;
        loop {
            if let Some(show) =
                on_progress.as_mut().filter(|_| shown != Some(state.settled) || !state.inflight.is_empty())
            {
                let now = Instant::now();
                let mut waiting: Vec<Waiting> = state
                    .inflight
                    .iter()
                    .map(|(_, fact, what, since)| Waiting {
                        fact: *fact,
                        what: what.clone(),
                        elapsed: now.saturating_duration_since(*since),
                    })
                    .collect();
                waiting.sort_by_key(|w| std::cmp::Reverse(w.elapsed));
                let settled = state.settled;
                let facts = state.facts.clone();
                drop(state);
                show(&Progress { facts: &facts, settled, waiting: &waiting });
                shown = Some(settled);
                state = self.lock();
            }
            // Done once all is settled and, for a display, once that last state has been shown
            // (a group may settle while the one before it is being shown).
            if state.settled == all {
                if on_progress.is_none() || shown == Some(all) {
                    return;
                }
                continue;
            }
            let (next, _) = self.changed.wait_timeout(state, tick).unwrap_or_else(PoisonError::into_inner);
            state = next;
        }
    }

    /// Blocks until every group in `facts` is settled, then gives the facts so far.
    pub(crate) fn facts_once(&self, facts: &[Fact]) -> Facts {
        let wanted = facts.iter().fold(0, |bits, f| bits | f.bit());
        let mut state = self.lock();
        while state.settled & wanted != wanted {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.facts.clone()
    }

    /// How many calls are still in flight.
    pub(crate) fn in_flight(&self) -> usize {
        self.lock().inflight.len()
    }

    pub(crate) fn into_facts(self) -> Facts {
        self.state.into_inner().unwrap_or_else(PoisonError::into_inner).facts
    }
}

/// A call in flight on the [`Board`]; dropping it ends the record.
pub(crate) struct Tracked<'a> {
    board: &'a Board,
    id: u64,
}

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        let mut state = self.board.lock();
        state.inflight.retain(|(id, ..)| *id != self.id);
    }
}

/// An image the registry was not asked about.
pub(crate) fn skipped_image(reference: &str) -> ImageFacts {
    ImageFacts {
        reference: reference.to_owned(),
        anonymous_token: Probe::Skipped,
        credential_token: Probe::Skipped,
        manifest: Probe::Skipped,
        manifest_auth: ManifestAuth::None,
        push_token: Probe::Skipped,
    }
}
