//! `Facts`: everything the doctor learned from the outside world, as plain data.
//!
//! The probe crate fills this in (processes, files, HTTP); evaluation only reads it. Facts hold
//! observations, not conclusions: raw exit codes, stderr, HTTP statuses, headers and bodies, so
//! that every interpretation is pure and testable. Secrets only ever appear as [`Secret`], whose
//! `Debug` is masked and which is never serialized.

use crate::{GithubFacts, GitlabFacts, HttpAnswer, Probe, ProbeError, ProcessOutput, Secret};

/// Everything gathered for one run: what the forge (its CLI and API) said, and what docker and
/// the registry said, which every family shares.
#[derive(Clone, Debug)]
pub struct Facts {
    /// The forge's own facts: its CLI, its token, its API.
    pub forge: ForgeFacts,
    /// The container client that pulls (docker or podman) and how it was chosen.
    pub client: ClientFacts,
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
    /// `--pull-secret`: when the registry refused the first matching entry, the next matching
    /// entries asked in turn, as the kubelet tries them, up to the first that works.
    pub pull_secret_fallbacks: Vec<PullSecretAttempt>,
}

/// One further entry of a pull secret asked of the registry: the token request with it and,
/// with a token, the manifest `HEAD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullSecretAttempt {
    pub key: String,
    pub token: Probe<HttpAnswer>,
    pub manifest: Probe<HttpAnswer>,
}

impl PullSecretAttempt {
    /// The registry gave a token and the manifest is there: the kubelet's pull works with it.
    pub fn pulls(&self) -> bool {
        self.token.done().is_some_and(|a| a.status == 200)
            && self.manifest.done().is_some_and(|m| (200..300).contains(&m.status))
    }
}

/// The container client this run is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientFacts {
    pub client: crate::Client,
    /// Where `which` found the client's command; `None` when it is not on PATH.
    pub path: Option<String>,
}

/// The facts of one registry family.
#[derive(Clone, Debug)]
pub enum ForgeFacts {
    Github(GithubFacts),
    Gitlab(GitlabFacts),
}

impl Facts {
    /// GitHub's facts, when this run is about GitHub.
    pub fn github(&self) -> Option<&GithubFacts> {
        match &self.forge {
            ForgeFacts::Github(g) => Some(g),
            ForgeFacts::Gitlab(_) => None,
        }
    }

    /// GitLab's facts, when this run is about GitLab.
    pub fn gitlab(&self) -> Option<&GitlabFacts> {
        match &self.forge {
            ForgeFacts::Gitlab(g) => Some(g),
            ForgeFacts::Github(_) => None,
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
    /// systemd manages services on this machine (`/run/systemd/system` exists): `systemctl`
    /// can start the daemon; elsewhere (WSL without systemd, containers) `service` does.
    pub systemd: bool,
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
    /// docker: `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. podman: the
    /// containers-auth.json file the credential came from (or that failed to load), else the
    /// primary file (`REGISTRY_AUTH_FILE`, `${XDG_RUNTIME_DIR}/containers/auth.json`).
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
    /// `docker-credential-ghcr-doctor` is on PATH, so `ghcr-doctor setup-docker` can route this
    /// registry through gh.
    pub own_helper_on_path: bool,
    /// The stores beside this one that real pulls end up using: root's under `sudo`, Docker
    /// Desktop's helper under WSL, keys docker ignores.
    pub other: OtherStoreFacts,
    /// podman: the `auths` key that matched (`ghcr.io`, or a namespace such as `ghcr.io/acme`);
    /// `None` for docker, which knows host keys only.
    pub auth_key: Option<String>,
}

/// What `crates/probe/src/other_stores.rs` found around docker's own config.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OtherStoreFacts {
    /// The doctor runs as root with `SUDO_USER` set: the invoking user's own config. docker under
    /// `sudo` reads root's (`$HOME` of the sudo environment), which is what `config_path` is.
    pub sudo: Option<SudoUserConfig>,
    /// This is WSL, and how that was seen (`WSL_DISTRO_NAME`, `/proc/sys/kernel/osrelease`).
    pub wsl: Option<String>,
    /// When the helper is missing: where `docker-credential-NAME.exe` is on PATH (WSL interop
    /// reaches Windows programs only by their `.exe` name).
    pub windows_helper: Option<String>,
    /// Top-level keys of config.json that docker does not know (and so ignores), in key order.
    pub unknown_keys: Vec<UnknownConfigKey>,
}

/// The invoking user's config under `sudo`, read without running any helper of theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SudoUserConfig {
    /// `SUDO_USER`.
    pub user: String,
    /// `HOME/.docker/config.json` from the passwd database; `None` when the user is not in it.
    pub config_path: Option<String>,
    /// What that config names for the registry host.
    pub holds: ConfiguredCredential,
}

/// What a config.json names for one registry host, without asking any helper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfiguredCredential {
    /// Nothing (also: no file, or one docker could not load).
    Nothing,
    /// `credHelpers[host]` or `credsStore`: `docker-credential-NAME` holds it.
    Helper { name: String },
    /// `auths[host]` in the file.
    File(StoredCredential),
}

/// A top-level config.json key docker does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownConfigKey {
    pub key: String,
    pub value: UnknownKeyValue,
}

/// The shape of an unknown key's value: what it would do under the key it resembles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownKeyValue {
    /// A non-empty string (what `credsStore` holds: a helper name).
    Text(String),
    /// An object; `for_registry` when one of its keys names the registry host (as the keys of
    /// `credHelpers` and `auths` do).
    Object {
        for_registry: bool,
    },
    Other,
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
