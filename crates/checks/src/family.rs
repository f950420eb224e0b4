//! Registry families: the forges whose login, tokens, API and checks the doctor knows. A run is
//! about one [`Forge`] (a family and its host); the checks that run, the facts gathered and the
//! fix commands follow from it.

use crate::GithubHost;

/// A registry family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Github,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Github => "github",
        }
    }
}

/// The forge a run is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Forge {
    Github(GithubHost),
}

impl Forge {
    pub fn family(&self) -> Family {
        match self {
            Forge::Github(_) => Family::Github,
        }
    }

    /// The forge's host name as configured (`github.com`, `ghe.example.com`).
    pub fn host_name(&self) -> &str {
        match self {
            Forge::Github(h) => &h.name,
        }
    }

    /// The container registry host its images are tagged with.
    pub fn registry_host(&self) -> String {
        match self {
            Forge::Github(h) => h.registry_host(),
        }
    }

    /// The GitHub host, when the forge is GitHub.
    pub fn github(&self) -> Option<&GithubHost> {
        match self {
            Forge::Github(h) => Some(h),
        }
    }
}
