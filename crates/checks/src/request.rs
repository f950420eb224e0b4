//! What the user asked for: the forge, the images, pull or push, CI or not, and the OS for install
//! hints.

use crate::{Forge, ImageRef, PullSecret};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Pull,
    Push,
}

impl Access {
    pub fn parse(s: &str) -> Option<Access> {
        match s {
            "pull" => Some(Access::Pull),
            "push" => Some(Access::Push),
            _ => None,
        }
    }
}

/// The container client that pulls: docker (through its daemon) or podman (daemonless; skopeo
/// and buildah read the same containers-auth.json files).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Client {
    #[default]
    Docker,
    Podman,
}

impl Client {
    pub fn parse(s: &str) -> Option<Client> {
        match s {
            "docker" => Some(Client::Docker),
            "podman" => Some(Client::Podman),
            _ => None,
        }
    }

    /// The command's name: `docker`, `podman`.
    pub fn command(self) -> &'static str {
        match self {
            Client::Docker => "docker",
            Client::Podman => "podman",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
    Other,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(target_os = "linux") {
            Os::Linux
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Other
        }
    }
}

/// One run's question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The forge (registry family and host) the images belong to.
    pub forge: Forge,
    pub images: Vec<ImageRef>,
    pub access: Access,
    /// Running in CI (GitHub Actions or `--ci`): no gh needed, no prompts.
    pub ci: bool,
    pub os: Os,
    /// The `host:port` of `GHCR_DOCTOR_REGISTRY_URL` when the images are named after it rather
    /// than after the canonical registry host (a real daemon pulling from a loopback registry
    /// must use that name, and docker keeps its credentials under it).
    pub registry_alias: Option<String>,
    /// `check --pull-secret FILE`: the Kubernetes pull secret whose credential the kubelet would
    /// send for the image; the registry is asked with it instead of docker's.
    pub pull_secret: Option<PullSecret>,
    /// The client the run is about: `--client`, the config's `client`, else what the probe picks
    /// from what is installed (`ghcr_doctor_probe::client`), decided once when the run is planned.
    /// `None` (a bare `Request::new`): the probe picks when it gathers.
    pub client: Option<Client>,
}

impl Request {
    pub fn new(forge: Forge) -> Request {
        Request {
            forge,
            images: Vec::new(),
            access: Access::Pull,
            ci: false,
            os: Os::current(),
            registry_alias: None,
            pull_secret: None,
            client: None,
        }
    }

    /// The registry host docker talks to and keeps credentials under: the host's registry
    /// (`ghcr.io`, `containers.HOST`), or the alias when one is set.
    pub fn registry_host(&self) -> String {
        self.registry_alias.clone().unwrap_or_else(|| self.forge.registry_host())
    }

    /// The pull secret's entry the kubelet would send for `image` first, if any.
    pub fn pull_secret_entry(&self, image: &ImageRef) -> Option<&crate::PullSecretEntry> {
        self.pull_secret.as_ref()?.entries_for(image).into_iter().next()
    }

    /// The distinct image owners, in first-seen order.
    pub fn owners(&self) -> Vec<String> {
        let mut owners: Vec<String> = Vec::new();
        for image in &self.images {
            if !owners.contains(&image.owner) {
                owners.push(image.owner.clone());
            }
        }
        owners
    }
}
