//! The checks, one module each: its registry entry (`CHECK`), its evaluation and its messages.

pub(crate) mod docker_credentials;
pub(crate) mod docker_daemon;
pub(crate) mod gh_auth;
pub(crate) mod gh_installed;
pub(crate) mod github_host;
pub(crate) mod gitlab_auth;
pub(crate) mod gitlab_host;
pub(crate) mod gitlab_registry_access;
pub(crate) mod gitlab_token_scopes;
pub(crate) mod glab_installed;
pub(crate) mod pull_secret;
pub(crate) mod registry_access;
pub(crate) mod sso;
pub(crate) mod token_scopes;
