//! Registry families: the forges whose login, tokens, API and checks the doctor knows. A run is
//! about one [`Forge`] (a family and its host); the checks that run, the facts gathered and the
//! fix commands follow from it.

use crate::{GithubHost, GitlabHost};

/// A registry family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Github,
    Gitlab,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Github => "github",
            Family::Gitlab => "gitlab",
        }
    }
}

/// The forge a run is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Forge {
    Github(GithubHost),
    Gitlab(GitlabHost),
}

impl Forge {
    pub fn family(&self) -> Family {
        match self {
            Forge::Github(_) => Family::Github,
            Forge::Gitlab(_) => Family::Gitlab,
        }
    }

    /// The forge's host name as configured (`github.com`, `ghe.example.com`).
    pub fn host_name(&self) -> &str {
        match self {
            Forge::Github(h) => &h.name,
            Forge::Gitlab(h) => &h.name,
        }
    }

    /// The container registry host its images are tagged with.
    pub fn registry_host(&self) -> String {
        match self {
            Forge::Github(h) => h.registry_host(),
            Forge::Gitlab(h) => h.registry.clone(),
        }
    }

    /// The GitHub host, when the forge is GitHub.
    pub fn github(&self) -> Option<&GithubHost> {
        match self {
            Forge::Github(h) => Some(h),
            Forge::Gitlab(_) => None,
        }
    }

    /// The GitLab host, when the forge is GitLab.
    pub fn gitlab(&self) -> Option<&GitlabHost> {
        match self {
            Forge::Gitlab(h) => Some(h),
            Forge::Github(_) => None,
        }
    }
}
