//! The fake GitLab, starting with its state and what its registry token realm `/jwt/auth`
//! decides. Every answer follows `shared/reference/gitlab-facts.md` (cited as
//! gitlab-facts §N); behaviour the facts mark UNCONFIRMED is marked so where it is modelled and
//! is switchable in [`GitlabSettings`] / [`GitlabModes`] or the fake's spec.
//!
//! - [`GitlabWorld`] / [`SharedGitlabWorld`] (world.rs): users, tokens, groups, projects,
//!   repositories, settings, modes and the request log, editable while the servers run.
//! - [`decide_jwt_auth`] and [`identify`] (auth.rs): the pure `/jwt/auth` decision.
//! - [`fixtures`]: fixture secrets and a ready-made world.

pub mod auth;
pub mod fixtures;
pub mod world;

use std::io;
use std::path::Path;
use std::sync::OnceLock;

pub use auth::{
    Ability, Actor, AuthType, GrantedAccess, Identity, JwtAuthDecision, JwtAuthError, ProjectMeta, decide_jwt_auth,
    identify, project_for_path,
};
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
