//! The GitLab registry family: GitLab.com with `registry.gitlab.com`, and self-managed GitLab
//! with its own registry host (`registry.example.com` or `gitlab.example.com:5050`). The host
//! pair, token kinds and the scopes that reach the registry, what glab, the environment, the API
//! and `/jwt/auth` gave (gitlab-facts §1–§13).

mod facts;
mod host;
mod token;

pub use facts::{
    GITLAB_TOKEN_VARS, GitlabCiFacts, GitlabCredential, GitlabCredentialSource, GitlabFacts, GlabConfigFacts,
    GlabConfigState, RegistryGrant, TokenSelf,
};
pub use host::{GITLAB_COM_REGISTRY, GitlabHost};
pub use token::{GITLAB_TOKEN_PREFIXES, GitlabTokenKind, scope_allows};
