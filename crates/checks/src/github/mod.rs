//! The GitHub registry family: github.com with `ghcr.io`, GHE.com and Enterprise Server with
//! `containers.HOST`. Host kinds, token kinds and prefixes, scope names, the facts gh and the API
//! give, and the Actions job's environment.

mod actions;
mod facts;
mod host;
mod token;

pub use actions::{ActionsFacts, DeclaredPermission, PermissionLevel, declared_packages_permission};
pub use facts::{EnvToken, GhFacts, GhTokenAnswer, GhTokenFacts, GithubFacts, OwnerFacts};
pub use host::{ALL_TOKEN_ENV_VARS, GithubHost, HostKind};
pub use token::{TOKEN_PREFIXES, TokenKind, packages_scope};
