//! `Facts`: everything the doctor learned from the outside world, as plain data.
//!
//! The probe crate fills this in (processes, files, HTTP); evaluation only reads it. Facts hold
//! observations, not conclusions: raw exit codes, stderr, HTTP statuses, headers and bodies, so
//! that every interpretation is pure and testable. Secrets only ever appear as [`Secret`], whose
//! `Debug` is masked and which is never serialized.

use crate::{GithubFacts, Secret};

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

/// Everything gathered for one run: what the forge (its CLI and API) said, and what docker and
/// the registry said, which every family shares.
#[derive(Clone, Debug)]
pub struct Facts {
    /// The forge's own facts: its CLI, its token, its API.
    pub forge: ForgeFacts,
    /// The docker CLI, its endpoint, the socket and `docker version`.
    pub docker: Probe<DockerFacts>,
    /// What docker would send to the registry host.
    pub docker_credentials: Probe<DockerCredentialFacts>,
    /// `GET {registry}/v2/`: whether the registry host resolves and answers.
    pub registry_ping: Probe<HttpAnswer>,
    /// One entry per image, in request order: the registry's answers.
    pub images: Vec<ImageFacts>,
    /// Wall time spent gathering each check's facts, in milliseconds (filled by the probe).
    pub durations_ms: Vec<(crate::CheckId, u64)>,
}

/// The facts of one registry family.
#[derive(Clone, Debug)]
pub enum ForgeFacts {
    Github(GithubFacts),
}

impl Facts {
    /// GitHub's facts, when this run is about GitHub.
    pub fn github(&self) -> Option<&GithubFacts> {
        match &self.forge {
            ForgeFacts::Github(g) => Some(g),
        }
    }
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ManifestAuth {
    #[default]
    None,
    Anonymous,
    Credentials,
}
