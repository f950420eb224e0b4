//! The GitHub family's side of gathering: the token variables, gh and its token (the login), the
//! Actions job's environment, and the REST API's answers about the user, the image owners and
//! their packages. [`crate::gather`] runs these beside the shared docker and registry chains.

pub(crate) mod actions;
mod api;
mod gh;

use std::thread;

use ghcr_doctor_checks::{
    EnvToken, GhFacts, GhTokenFacts, GithubFacts, GithubHost, HttpAnswer, OwnerFacts, Probe, Request, Secret,
    StoredCredential,
};

use crate::http::Http;
use crate::{Settings, panicked, timed};

/// The GitHub host of a request. Only called for GitHub requests.
pub(crate) fn host(request: &Request) -> &GithubHost {
    request.forge.github().expect("the GitHub side is gathered only for a GitHub forge")
}

/// Phase one: who the user is to gh, before any API call.
pub(crate) struct Login {
    pub env_tokens: Vec<EnvToken>,
    pub gh: Probe<GhFacts>,
    pub gh_token: Probe<GhTokenFacts>,
    pub actions: Option<ghcr_doctor_checks::ActionsFacts>,
    /// Wall time of gh's calls.
    pub ms: u64,
}

impl Login {
    pub(crate) fn gather(request: &Request, settings: &Settings) -> Login {
        let env_tokens = gh::env_tokens(request, settings);
        let actions = actions::gather(request, settings);
        let ((gh, gh_token), ms) = timed(|| gh::gather(request, &env_tokens, settings));
        Login { env_tokens, gh, gh_token, actions, ms }
    }

    /// The token gh (or, in CI, the environment) yields.
    pub(crate) fn token(&self) -> Option<&Secret> {
        self.gh_token.done().and_then(|t| t.effective.token())
    }

    /// In CI, before `docker/login-action` ran (docker holds nothing for the registry host): the
    /// job's token, which the registry requests then use as docker would after the login.
    pub(crate) fn use_job_credential(&mut self, request: &Request) {
        if let Some(a) = self.actions.as_mut() {
            let token = actions::job_token(request, a.github_actions, &self.env_tokens);
            actions::add_job_credential(a, token);
        }
    }

    pub(crate) fn job_credential(&self) -> Option<&StoredCredential> {
        self.actions.as_ref().and_then(|a| a.job_credential.as_ref())
    }
}

/// Phase two: what the API says, all of it needing the token.
pub(crate) struct ApiAnswers {
    pub api_user: (Probe<HttpAnswer>, u64),
    pub docker_secret_user: (Probe<HttpAnswer>, u64),
    pub owners: (Vec<OwnerFacts>, u64),
    pub packages: Vec<Probe<HttpAnswer>>,
}

impl ApiAnswers {
    /// `GET /user` with gh's token and with docker's stored secret (when it differs), and per
    /// owner `GET /orgs/{o}` with the membership and the packages API of its images.
    pub(crate) fn gather(
        request: &Request,
        settings: &Settings,
        http: &Http,
        token: Option<&Secret>,
        stored: Option<&StoredCredential>,
    ) -> ApiAnswers {
        let api_settings = job_api_settings(request, settings);
        let api = api::Api::new(request, api_settings.as_ref().unwrap_or(settings), http);
        thread::scope(|s| {
            let api = &api;
            let api_user = s.spawn(move || {
                timed(|| match token {
                    Some(t) => api.get("user", t),
                    None => Probe::Skipped,
                })
            });
            let docker_secret_user = s.spawn(move || {
                timed(|| match stored {
                    Some(c) if !c.secret.expose().is_empty() && Some(&c.secret) != token => api.get("user", &c.secret),
                    _ => Probe::Skipped,
                })
            });
            let owner_threads: Vec<_> = request
                .owners()
                .into_iter()
                .map(|owner| s.spawn(move || timed(|| owner_chain(api, request, owner, token))))
                .collect();
            let mut packages = vec![Probe::Skipped; request.images.len()];
            let (mut owners, mut owners_ms) = (Vec::new(), 0);
            for (owner, h) in request.owners().into_iter().zip(owner_threads) {
                let ((facts, owner_packages), ms) = h.join().unwrap_or_else(|_| {
                    let failed = OwnerFacts { owner, org: Probe::Failed(panicked()), membership: Probe::Skipped };
                    ((failed, Vec::new()), 0)
                });
                for (i, package) in owner_packages {
                    packages[i] = package;
                }
                owners.push(facts);
                owners_ms = owners_ms.max(ms);
            }
            ApiAnswers {
                api_user: api_user.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0)),
                docker_secret_user: docker_secret_user.join().unwrap_or_else(|_| (Probe::Failed(panicked()), 0)),
                owners: (owners, owners_ms),
                packages,
            }
        })
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

/// Both phases' results as the GitHub family's facts.
pub(crate) fn facts(login: Login, api: ApiAnswers) -> GithubFacts {
    GithubFacts {
        env_tokens: login.env_tokens,
        gh: login.gh,
        gh_token: login.gh_token,
        api_user: api.api_user.0,
        owners: api.owners.0,
        docker_secret_user: api.docker_secret_user.0,
        packages: api.packages,
        actions: login.actions,
    }
}

/// One owner: `GET /orgs/{owner}`, then its membership and the packages API for each of its
/// images, side by side. Packages are skipped when `/orgs` did not answer at all.
fn owner_chain(
    api: &api::Api<'_>,
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
