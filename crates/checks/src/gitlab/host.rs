//! Which GitLab the team uses: the GitLab host (web, API and the `/jwt/auth` realm) and its
//! registry host, which on self-managed GitLab is another host or port (gitlab-facts §12).

/// A GitLab host and its container registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitlabHost {
    /// The GitLab host, normalised (lower case, no scheme): `gitlab.com`, `gitlab.example.com`.
    pub name: String,
    /// The registry host images are tagged with: `registry.gitlab.com`, `registry.example.com`,
    /// `gitlab.example.com:5050`.
    pub registry: String,
}

/// GitLab.com's registry host (gitlab-facts §1).
pub const GITLAB_COM_REGISTRY: &str = "registry.gitlab.com";

impl GitlabHost {
    pub fn gitlab_com() -> GitlabHost {
        GitlabHost { name: "gitlab.com".into(), registry: GITLAB_COM_REGISTRY.into() }
    }

    /// A self-managed GitLab: `host` and `registry` as configured (scheme and trailing `/`
    /// dropped). `None` when either is not a host name.
    pub fn parse(host: &str, registry: &str) -> Option<GitlabHost> {
        let name = normalise(host)?;
        let registry = normalise(registry)?;
        Some(GitlabHost { name, registry })
    }

    pub fn is_gitlab_com(&self) -> bool {
        self.name == "gitlab.com"
    }

    /// `https://gitlab.example.com`.
    pub fn web_base(&self) -> String {
        format!("https://{}", self.name)
    }

    /// The token page with `scopes` preselected (gitlab-facts §11: glab's token tip).
    pub fn token_page(&self, scopes: &str) -> String {
        format!("{}/-/user_settings/personal_access_tokens?scopes={scopes}", self.web_base())
    }
}

/// A host name (`host` or `host:port`), normalised; `None` for anything else.
pub fn normalise(input: &str) -> Option<String> {
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
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_managed_hosts_are_normalised() {
        let h = GitlabHost::parse("https://GitLab.Example.com/", "gitlab.example.com:5050").unwrap();
        assert_eq!((h.name.as_str(), h.registry.as_str()), ("gitlab.example.com", "gitlab.example.com:5050"));
        assert_eq!(
            h.token_page("read_registry"),
            "https://gitlab.example.com/-/user_settings/personal_access_tokens?scopes=read_registry"
        );
        assert!(GitlabHost::parse("gitlab example", "r").is_none());
        assert!(GitlabHost::gitlab_com().is_gitlab_com());
    }
}
