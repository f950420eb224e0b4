//! Test kit for ghcr-doctor: loopback fakes of GitHub that answer with the real status codes,
//! headers and bodies (ghcr-facts §0–§2, real-behaviour §1.7.3 and §3), plus fake executables
//! and gh configuration directories. Used only by tests and benchmarks; std threads only.
//!
//! - [`World`] / [`SharedWorld`]: users, tokens, orgs, packages, modes and the request log,
//!   editable while the servers run.
//! - [`ApiServer`]: the GitHub REST API (TCP, and optionally a unix socket for gh's
//!   `http_unix_socket`).
//! - [`RegistryServer`]: ghcr.io's registry and `/token` service; the decision is the pure
//!   [`decide_token`].
//! - [`FakeBin`], [`GhConfigDir`], [`fixtures`] and a tiny [`client`].
//! - [`gitlab`]: the same for GitLab (gitlab-facts): [`GitlabWorld`] / [`SharedGitlabWorld`],
//!   [`GitlabApiServer`] (`/api/v4` and `/jwt/auth`), [`GitlabRegistryServer`], the fake `glab`
//!   ([`GlabFake`], [`GlabConfigDir`]) and [`RealGitlab`] (real dockerd and registry).
//!
//! ```no_run
//! use ghcr_doctor_testkit::{client, fixtures, ApiServer, RegistryServer, SharedWorld};
//! let world = SharedWorld::new(fixtures::standard_world());
//! let api = ApiServer::start(world.clone()).unwrap();
//! let registry = RegistryServer::start(world.clone()).unwrap();
//! let auth = format!("token {}", fixtures::GHO_OCTOCAT);
//! let user = client::get(&format!("{}user", api.base_url()), &[("Authorization", &auth)]).unwrap();
//! assert_eq!(user.json()["login"], "octocat");
//! let url = format!("{}token?scope=repository:acme/public-app:pull&service=ghcr.io", registry.base_url());
//! assert_eq!(client::get(&url, &[]).unwrap().status, 200);
//! world.edit(|w| w.registry.rate_limited = true);
//! ```

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test kit starts real processes and reports to the test log

pub mod api;
pub mod client;
pub mod fakebin;
pub mod fixture;
pub mod fixtures;
pub mod ghconfig;
pub mod gitlab;
pub mod http;
pub mod jwt;
pub mod real_docker;
pub mod registry;
pub mod world;

pub use api::ApiServer;
pub use fakebin::{CredHelperFake, DockerFake, FakeBin, GhFake, Output};
pub use ghconfig::{GhConfigDir, GhHost, HostsShape};
pub use gitlab::{
    GitlabApiServer, GitlabRegistryServer, GitlabWorld, GlabConfigDir, GlabFake, RealGitlab, SharedGitlabWorld,
};
pub use jwt::{JwtTokenService, SigningKey};
pub use real_docker::{RealEnv, RealRegistry};
pub use registry::{RegistryError, RegistryServer, RepoAccess, TokenDecision, decide_token};
pub use world::*;
