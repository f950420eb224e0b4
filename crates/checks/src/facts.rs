//! `Facts`: everything the doctor learned from the outside world, as plain data.
//!
//! The probe crate fills this in (processes, files, HTTP); evaluation only reads it. Facts hold
//! observations, not conclusions: raw exit codes, stderr, HTTP statuses, headers and bodies, so
//! that every interpretation is pure and testable. Secrets only ever appear as [`Secret`], whose
//! `Debug` is masked and which is never serialized.

use std::fmt;

/// The outcome of gathering one fact.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Probe<T> {
    /// Not attempted: something it needs was not there (reason for humans in `Facts` context).
    #[default]
    Skipped,
    Done(T),
    Failed(ProbeError),
}

impl<T> Probe<T> {
    pub fn done(&self) -> Option<&T> {
        match self {
            Probe::Done(t) => Some(t),
            _ => None,
        }
    }
    pub fn error(&self) -> Option<&ProbeError> {
        match self {
            Probe::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// Why gathering a fact failed. `detail` never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeError {
    pub kind: ProbeErrorKind,
    pub detail: String,
}

impl ProbeError {
    pub fn new(kind: ProbeErrorKind, detail: impl Into<String>) -> Self {
        ProbeError { kind, detail: detail.into() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeErrorKind {
    /// The process or server did not answer within the timeout (the process was killed).
    Timeout,
    /// DNS, connection refused, TLS, proxy: the peer could not be reached.
    Network,
    /// The process could not be started, or a file could not be read.
    Io,
    /// The answer came but made no sense (garbage output, invalid JSON).
    Malformed,
}

/// A secret (token or password). `Debug` and `Display` show only the masked form; it is never
/// serialized. The raw value is reachable only through [`Secret::expose`], which the probe uses
/// to talk to servers and to feed docker's stdin.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The token kind, read from its prefix.
    pub fn kind(&self) -> TokenKind {
        TokenKind::of(&self.0)
    }
    /// The prefix only, as gh does: `gho_****`. Tokens without a known prefix show `****`.
    pub fn masked(&self) -> String {
        format!("{}****", self.kind().prefix())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// GitHub token kinds, by prefix (ghcr-facts §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// `ghp_`: personal access token (classic).
    ClassicPat,
    /// `gho_`: OAuth token (what `gh auth login` stores).
    OAuth,
    /// `ghu_`: GitHub App user-to-server token.
    AppUser,
    /// `ghs_`: GitHub App installation token, including Actions' `GITHUB_TOKEN`.
    AppInstallation,
    /// `github_pat_`: fine-grained personal access token (not accepted by GitHub Packages).
    FineGrainedPat,
    /// Anything else (pre-2021 40-hex tokens, passwords, other registries).
    Unknown,
}

impl TokenKind {
    pub fn of(token: &str) -> TokenKind {
        if token.starts_with("github_pat_") {
            TokenKind::FineGrainedPat
        } else if token.starts_with("ghp_") {
            TokenKind::ClassicPat
        } else if token.starts_with("gho_") {
            TokenKind::OAuth
        } else if token.starts_with("ghu_") {
            TokenKind::AppUser
        } else if token.starts_with("ghs_") {
            TokenKind::AppInstallation
        } else {
            TokenKind::Unknown
        }
    }
    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::ClassicPat => "ghp_",
            TokenKind::OAuth => "gho_",
            TokenKind::AppUser => "ghu_",
            TokenKind::AppInstallation => "ghs_",
            TokenKind::FineGrainedPat => "github_pat_",
            TokenKind::Unknown => "",
        }
    }
    /// Whether GitHub sends `X-OAuth-Scopes` for this kind (classic PATs and OAuth tokens only).
    pub fn has_scopes(self) -> bool {
        matches!(self, TokenKind::ClassicPat | TokenKind::OAuth | TokenKind::Unknown)
    }
}

/// What a finished process printed. Never holds a secret: the probe strips token output.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ProcessOutput {
    /// `None` when killed by a signal.
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// One HTTP answer. Header names are lower case. `body` is kept (capped at 64 KiB) only for
/// answers that carry no secret: the probe drops the body of a successful registry token answer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpAnswer {
    /// The first header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// `message` of a GitHub API JSON error body, if any.
    pub fn api_message(&self) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        v.get("message")?.as_str().map(str::to_owned)
    }
    /// The `(code, message)` pairs of a registry error body `{"errors":[{"code":..,"message":..}]}`.
    pub fn registry_errors(&self) -> Vec<(String, String)> {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&self.body) else { return Vec::new() };
        let Some(errors) = v.get("errors").and_then(|e| e.as_array()) else { return Vec::new() };
        errors
            .iter()
            .map(|e| {
                let s = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
                (s("code"), s("message"))
            })
            .collect()
    }
}

/// Everything gathered for one run.
#[derive(Clone, Debug, Default)]
pub struct Facts {
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
    /// The docker CLI, its endpoint, the socket and `docker version`.
    pub docker: Probe<DockerFacts>,
    /// What docker would send to the registry host.
    pub docker_credentials: Probe<DockerCredentialFacts>,
    /// `GET /user` with docker's stored secret, when it differs from gh's token.
    pub docker_secret_user: Probe<HttpAnswer>,
    /// `GET {registry}/v2/`: whether the registry host resolves and answers.
    pub registry_ping: Probe<HttpAnswer>,
    /// One entry per image, in request order.
    pub images: Vec<ImageFacts>,
    /// Wall time spent gathering each check's facts, in milliseconds (filled by the probe).
    pub durations_ms: Vec<(crate::CheckId, u64)>,
    /// The GitHub Actions job's own environment, in CI mode or on an Actions runner.
    pub actions: Option<crate::ActionsFacts>,
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerFacts {
    /// Where `which docker` found the CLI; `None` when docker is not on PATH.
    pub path: Option<String>,
    /// The daemon endpoint docker will use and where that choice came from.
    pub endpoint: DockerEndpoint,
    /// For `unix://` endpoints: what a connect to the socket showed.
    pub socket: Option<SocketState>,
    /// `docker version --format '{{json .}}'`.
    pub version: Probe<ProcessOutput>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerEndpoint {
    /// e.g. `unix:///var/run/docker.sock`, `tcp://host:2376`, `npipe:////./pipe/docker_engine`.
    pub url: String,
    /// `default`, `DOCKER_HOST`, `DOCKER_CONTEXT=name`, `currentContext=name` (config.json).
    pub source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketState {
    Missing,
    NotASocket,
    PermissionDenied,
    /// The path is a socket but nothing listens (stale socket file).
    Refused,
    Connectable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerCredentialFacts {
    /// `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`.
    pub config_path: String,
    pub config: DockerConfigState,
    /// The registry host credentials are looked up for (`ghcr.io`, `containers.HOST`).
    pub registry_host: String,
    /// Which store docker uses for that host.
    pub store: CredentialStore,
    /// What that store holds for the host.
    pub lookup: CredentialLookup,
    /// `auths[host]` has a base64 `auth` value in the file itself.
    pub plaintext_in_file: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DockerConfigState {
    Missing,
    /// Unreadable or not valid JSON: docker ignores it and pulls anonymously.
    Malformed {
        detail: String,
    },
    Loaded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialStore {
    /// `docker-credential-NAME`, chosen by `credHelpers[host]` (`per_host`) or `credsStore`.
    Helper { name: String, per_host: bool },
    /// `auths[host]` in config.json.
    File,
    /// `DOCKER_AUTH_CONFIG` (docker/cli ≥ 28.3) takes precedence over every store.
    EnvAuthConfig,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialLookup {
    Found(StoredCredential),
    NotFound,
    /// The helper program is not on PATH: docker silently pulls anonymously.
    HelperMissing {
        program: String,
    },
    /// The helper ran but failed (its stdout/stderr message, secret-free).
    HelperFailed(ProbeError),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCredential {
    pub username: String,
    pub secret: Secret,
    /// Stored as an identity token (`<token>` username in helpers, `identitytoken` in the file).
    pub identity_token: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageFacts {
    /// The image reference as given (already validated).
    pub reference: String,
    /// `GET /token?scope=repository:O/N:pull&service=S` without credentials.
    pub anonymous_token: Probe<HttpAnswer>,
    /// The same with docker's stored credentials (Basic auth); `Skipped` without credentials.
    pub credential_token: Probe<HttpAnswer>,
    /// `HEAD /v2/O/N/manifests/TAG` with the bearer token docker would end up with.
    pub manifest: Probe<HttpAnswer>,
    /// Which token the manifest request carried.
    pub manifest_auth: ManifestAuth,
    /// With push access: the token for `pull,push` with docker's credentials.
    pub push_token: Probe<HttpAnswer>,
    /// `GET /orgs/{o}/packages/container/{name}` (or `/users/...`) with gh's token.
    pub package: Probe<HttpAnswer>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ManifestAuth {
    #[default]
    None,
    Anonymous,
    Credentials,
}
