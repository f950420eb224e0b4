//! What the GitHub family gathers: the token variables, gh and its token, the API's answers about
//! the user, the image owners and the packages, and the Actions job's environment.

use crate::{ActionsFacts, HttpAnswer, Probe, ProbeError, ProcessOutput, Secret};

/// Everything gathered from GitHub's side for one run.
#[derive(Clone, Debug, Default)]
pub struct GithubFacts {
    /// Token environment variables that gh would use for the configured host, in gh's
    /// precedence order (first wins). Empty when none is set.
    pub env_tokens: Vec<EnvToken>,
    /// `gh` on PATH and `gh --version`.
    pub gh: Probe<GhFacts>,
    /// `gh auth token --hostname HOST`, and the same without token env vars (the stored login).
    pub gh_token: Probe<GhTokenFacts>,
    /// `GET /user` on the API with the token gh (or the environment) yields.
    pub api_user: Probe<HttpAnswer>,
    /// One entry per distinct image owner: `GET /orgs/{owner}` and the membership.
    pub owners: Vec<OwnerFacts>,
    /// `GET /user` with docker's stored secret, when it differs from gh's token.
    pub docker_secret_user: Probe<HttpAnswer>,
    /// One entry per image, in request order: `GET /orgs/{o}/packages/container/{name}` (or
    /// `/users/...`) with gh's token.
    pub packages: Vec<Probe<HttpAnswer>>,
    /// The GitHub Actions job's own environment, in CI mode or on an Actions runner.
    pub actions: Option<ActionsFacts>,
}

/// A token found in the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvToken {
    /// `GH_TOKEN`, `GITHUB_TOKEN`, `GH_ENTERPRISE_TOKEN` or `GITHUB_ENTERPRISE_TOKEN`.
    pub var: String,
    pub secret: Secret,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GhFacts {
    /// Where `which gh` found it; `None` when gh is not on PATH.
    pub path: Option<String>,
    /// `gh --version`; `Skipped` when gh is missing.
    pub version: Probe<ProcessOutput>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GhTokenFacts {
    /// `gh auth token --hostname HOST` as the user's environment has it.
    pub effective: GhTokenAnswer,
    /// The same with every token env var removed: the login gh has stored. `None` when no
    /// token env var applies (then `effective` already is the stored login).
    pub stored: Option<GhTokenAnswer>,
}

/// What `gh auth token` answered. stdout (the token) is only ever kept as a [`Secret`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GhTokenAnswer {
    Token(Secret),
    /// Exit code non-zero: `no oauth token` and the like. `message` is stderr, trimmed.
    NoToken {
        message: String,
    },
    Failed(ProbeError),
}

impl GhTokenAnswer {
    pub fn token(&self) -> Option<&Secret> {
        match self {
            GhTokenAnswer::Token(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerFacts {
    /// The image owner as written in the image reference.
    pub owner: String,
    /// `GET /orgs/{owner}`: 200 organization, 404 a user (or invisible), 403 SSO / restrictions.
    pub org: Probe<HttpAnswer>,
    /// `GET /user/memberships/orgs/{owner}` (only for organizations).
    pub membership: Probe<HttpAnswer>,
}
