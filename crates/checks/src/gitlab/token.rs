//! GitLab's token kinds as the registry tells them apart (gitlab-facts §3, §7): by prefix and by
//! the Basic user name, and which scopes reach the registry (§3.1: `read_api` and `api` pull
//! too, `api` pushes; a push needs pull as well).

use crate::{Access, Text, t};

/// GitLab's token prefixes (gitlab-facts §7), for masking: `glpat-****`.
pub const GITLAB_TOKEN_PREFIXES: &[&str] = &[
    "glpat-", "gldt-", "glcbt-", "gloas-", "glrtr-", "glrt-", "glptt-", "glft-", "glimt-", "glagent-", "glwt-",
    "glsoat-", "glffct-",
];

/// What kind of secret a credential is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitlabTokenKind {
    /// Personal, project or group access token (`glpat-`, or a legacy 20-character one).
    Personal,
    /// Deploy token (`gldt-`, or user `gitlab+deploy-token-N`).
    Deploy,
    /// CI/CD job token (`glcbt-`, or user `gitlab-ci-token`).
    Job,
    /// Not token-shaped: most likely the account password (gitlab-facts §13).
    Password,
}

impl GitlabTokenKind {
    /// Classifies a Basic credential: the user name first (GitLab's own order, §3), then the
    /// secret's prefix. A secret with no known prefix that is not 20 characters of a legacy PAT
    /// is taken for a password: GitLab never tries a token-shaped secret as a password (§3).
    pub fn of(username: &str, secret: &str) -> GitlabTokenKind {
        if username == "gitlab-ci-token" || secret.starts_with("glcbt-") {
            return GitlabTokenKind::Job;
        }
        if username.starts_with("gitlab+deploy-token") || secret.starts_with("gldt-") {
            return GitlabTokenKind::Deploy;
        }
        if secret.starts_with("glpat-") || is_legacy_pat(secret) {
            return GitlabTokenKind::Personal;
        }
        GitlabTokenKind::Password
    }

    /// Whether `/api/v4/personal_access_tokens/self` can say what it is (§8: personal, project
    /// and group tokens; deploy and job tokens cannot be verified through the API).
    pub fn verifiable(self) -> bool {
        self == GitlabTokenKind::Personal
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GitlabTokenKind::Personal => "personal access token",
            GitlabTokenKind::Deploy => "deploy token",
            GitlabTokenKind::Job => "CI/CD job token",
            GitlabTokenKind::Password => "password",
        }
    }

    /// The kind in words, both languages.
    pub fn title(self) -> Text {
        match self {
            GitlabTokenKind::Personal => t!("access token", "アクセストークン"),
            GitlabTokenKind::Deploy => t!("deploy token", "デプロイトークン"),
            GitlabTokenKind::Job => t!("CI/CD job token", "CI/CD ジョブトークン"),
            GitlabTokenKind::Password => t!("password", "パスワード"),
        }
    }
}

/// The legacy PAT shape: 20 characters from the token alphabet, no prefix (§7).
fn is_legacy_pat(secret: &str) -> bool {
    secret.len() == 20 && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether `scopes` let a personal, project, group or deploy token do `access` in the registry
/// (§3.1): pull needs `read_registry`, `read_api` or `api`; push needs `write_registry` or `api`
/// and the pull right too.
pub fn scope_allows(scopes: &[String], access: Access) -> bool {
    let has = |s: &str| scopes.iter().any(|x| x == s);
    let pull = has("read_registry") || has("read_api") || has("api");
    match access {
        Access::Pull => pull,
        Access::Push => pull && (has("write_registry") || has("api")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn kinds_follow_gitlabs_order() {
        assert_eq!(GitlabTokenKind::of("gitlab-ci-token", "anything"), GitlabTokenKind::Job);
        assert_eq!(GitlabTokenKind::of("gitlab+deploy-token-3", "abc"), GitlabTokenKind::Deploy);
        assert_eq!(GitlabTokenKind::of("alice", &format!("glpat-{}", "x".repeat(20))), GitlabTokenKind::Personal);
        assert_eq!(GitlabTokenKind::of("bob", &"a".repeat(20)), GitlabTokenKind::Personal);
        assert_eq!(GitlabTokenKind::of("carol", "correct horse battery"), GitlabTokenKind::Password);
    }

    #[test]
    fn registry_scopes_include_the_api_ones() {
        assert!(scope_allows(&scopes(&["read_api"]), Access::Pull));
        assert!(!scope_allows(&scopes(&["read_api"]), Access::Push));
        assert!(scope_allows(&scopes(&["api"]), Access::Push));
        assert!(!scope_allows(&scopes(&["write_registry"]), Access::Pull));
        assert!(!scope_allows(&scopes(&["write_registry"]), Access::Push));
        assert!(scope_allows(&scopes(&["read_registry", "write_registry"]), Access::Push));
        assert!(!scope_allows(&scopes(&["read_user", "read_repository"]), Access::Pull));
    }
}
