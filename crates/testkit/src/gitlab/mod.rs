//! The fake GitLab: GitLab's REST API, its registry token realm `/jwt/auth`, a hermetic GitLab
//! container registry, a fake `glab`, and the real distribution registry behind `/jwt/auth` for
//! real-docker tests. Every answer follows `shared/reference/gitlab-facts.md` (cited as
//! gitlab-facts §N); behaviour the facts mark UNCONFIRMED is marked so where it is modelled and
//! is switchable in [`GitlabSettings`] / [`GitlabModes`] or the fake's spec.
//!
//! - [`GitlabWorld`] / [`SharedGitlabWorld`] (world.rs): users, tokens, groups, projects,
//!   repositories, settings, modes and the request log, editable while the servers run.
//! - [`decide_jwt_auth`] and [`identify`] (auth.rs): the pure `/jwt/auth` decision.
//! - [`GitlabApiServer`] (api.rs + jwt_auth.rs): `/api/v4/...` and `/jwt/auth` on one port (the
//!   GitLab host).
//! - [`GitlabRegistryServer`] (registry.rs): the registry host, validating the JWTs.
//! - [`GlabFake`], [`GlabConfigDir`] (glab.rs): glab stand-ins and config directories.
//! - [`RealGitlab`] (real.rs): real dockerd + Debian's distribution registry behind `/jwt/auth`.
//! - [`fixtures`]: fixture secrets and a ready-made world.
//!
//! ```no_run
//! use ghcr_doctor_testkit::client::{self, basic};
//! use ghcr_doctor_testkit::gitlab::{GitlabApiServer, GitlabRegistryServer, SharedGitlabWorld, fixtures};
//! let world = SharedGitlabWorld::new(fixtures::standard_world());
//! let gitlab = GitlabApiServer::start(world.clone()).unwrap();
//! let registry = GitlabRegistryServer::start(world.clone(), &gitlab).unwrap();
//! let url = format!("{}?service=container_registry&scope=repository:acme/app:pull", gitlab.jwt_realm());
//! let r = client::get(&url, &[("Authorization", &basic("alice", fixtures::GLPAT_ALICE_READ))]).unwrap();
//! assert_eq!(r.status, 200);
//! ```

pub mod api;
pub mod auth;
pub mod fixtures;
pub mod glab;
pub mod jwt_auth;
pub mod real;
pub mod registry;
pub mod world;

use std::io;
use std::path::Path;
use std::sync::OnceLock;

pub use api::GitlabApiServer;
pub use auth::{
    Ability, Actor, AuthType, GrantedAccess, Identity, JwtAuthDecision, JwtAuthError, ProjectMeta, decide_jwt_auth,
    identify, project_for_path,
};
pub use glab::{GlabApiResult, GlabConfig, GlabConfigDir, GlabFake, GlabHost, GlabToken};
pub use real::RealGitlab;
pub use registry::GitlabRegistryServer;
pub use world::*;

/// A [`crate::jwt::SigningKey`] in `dir`. The RSA key is generated once per process (about a
/// quarter second of CPU) and kept in memory; each call writes it to `dir` with a fresh
/// certificate, so every server still owns its files.
pub fn signing_key_in(dir: &Path) -> io::Result<crate::jwt::SigningKey> {
    static PEM: OnceLock<Vec<u8>> = OnceLock::new();
    if let Some(pem) = PEM.get() {
        return crate::jwt::SigningKey::from_private_key_pem(dir, pem);
    }
    let key = crate::jwt::SigningKey::generate(dir)?;
    let _ = PEM.set(key.private_key_pem()?);
    Ok(key)
}
