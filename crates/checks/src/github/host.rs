//! Which GitHub the team uses, and what follows from it: the REST API base, the container
//! registry host, and which token environment variables gh reads (ghcr-facts §2.7, §3, §4.4).

/// The kind of GitHub a host name denotes (gh's own classification, go-gh `auth.go`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// github.com, including Enterprise Cloud organizations (registry `ghcr.io`).
    GithubCom,
    /// GitHub Enterprise Cloud with data residency: `SUB.ghe.com`.
    Tenancy { subdomain: String },
    /// GitHub Enterprise Server at its own host name.
    Enterprise,
}

/// A GitHub host as configured (`host` in ghcr-doctor.toml or `--host`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GithubHost {
    /// Normalised: lower case, no scheme, no trailing slash; `*.github.com` becomes `github.com`.
    pub name: String,
    pub kind: HostKind,
}

impl GithubHost {
    /// Normalises and classifies a host name. Returns `None` for something that is not a host
    /// name (spaces, paths, empty).
    pub fn parse(input: &str) -> Option<GithubHost> {
        let mut name = input.trim().to_ascii_lowercase();
        for scheme in ["https://", "http://"] {
            if let Some(rest) = name.strip_prefix(scheme) {
                name = rest.to_owned();
            }
        }
        let name = name.trim_end_matches('/').to_owned();
        let valid = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
            && !name.starts_with(['.', '-', ':']);
        if !valid {
            return None;
        }
        if name == "github.com" || name.ends_with(".github.com") {
            return Some(GithubHost { name: "github.com".into(), kind: HostKind::GithubCom });
        }
        if let Some(sub) = name.strip_suffix(".ghe.com")
            && !sub.is_empty()
            && !sub.contains('.')
        {
            return Some(GithubHost { kind: HostKind::Tenancy { subdomain: sub.to_owned() }, name });
        }
        Some(GithubHost { name, kind: HostKind::Enterprise })
    }

    pub fn github_com() -> GithubHost {
        GithubHost { name: "github.com".into(), kind: HostKind::GithubCom }
    }

    /// The REST API base URL, with a trailing slash.
    pub fn api_base(&self) -> String {
        match &self.kind {
            HostKind::GithubCom => "https://api.github.com/".into(),
            HostKind::Tenancy { subdomain } => format!("https://api.{subdomain}.ghe.com/"),
            HostKind::Enterprise => format!("https://{}/api/v3/", self.name),
        }
    }

    /// The container registry host name images are tagged with.
    pub fn registry_host(&self) -> String {
        match &self.kind {
            HostKind::GithubCom => "ghcr.io".into(),
            HostKind::Tenancy { .. } | HostKind::Enterprise => format!("containers.{}", self.name),
        }
    }

    /// The web UI base, for links in fixes (`https://github.com`).
    pub fn web_base(&self) -> String {
        format!("https://{}", self.name)
    }

    /// The token environment variables gh reads for this host, first wins (ghcr-facts §4.4).
    /// For github.com and `*.ghe.com` (gh ≥ 2.32): `GH_TOKEN`, `GITHUB_TOKEN`; for Enterprise
    /// Server: `GH_ENTERPRISE_TOKEN`, `GITHUB_ENTERPRISE_TOKEN`.
    pub fn token_env_vars(&self) -> &'static [&'static str] {
        match self.kind {
            HostKind::GithubCom | HostKind::Tenancy { .. } => &["GH_TOKEN", "GITHUB_TOKEN"],
            HostKind::Enterprise => &["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"],
        }
    }
}

/// Every token variable gh knows, whatever the host.
pub const ALL_TOKEN_ENV_VARS: [&str; 4] =
    ["GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_hosts_like_gh() {
        let com = GithubHost::parse("https://GitHub.com/").unwrap();
        assert_eq!((com.api_base(), com.registry_host()), ("https://api.github.com/".into(), "ghcr.io".into()));
        assert_eq!(GithubHost::parse("api.github.com").unwrap().kind, HostKind::GithubCom);
        let t = GithubHost::parse("octocorp.ghe.com").unwrap();
        assert_eq!(t.api_base(), "https://api.octocorp.ghe.com/");
        assert_eq!(t.registry_host(), "containers.octocorp.ghe.com");
        let e = GithubHost::parse("github.example.com").unwrap();
        assert_eq!(e.kind, HostKind::Enterprise);
        assert_eq!(e.api_base(), "https://github.example.com/api/v3/");
        assert_eq!(e.registry_host(), "containers.github.example.com");
        assert_eq!(e.token_env_vars(), ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"]);
        assert!(GithubHost::parse("not a host").is_none());
        assert!(GithubHost::parse("").is_none());
    }
}
