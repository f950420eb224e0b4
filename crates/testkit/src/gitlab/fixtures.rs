//! Fixture secrets shaped like GitLab's (gitlab-facts §7: `glpat-`, `gldt-`, `glcbt-`, legacy
//! 20-character PATs) and a ready-made [`standard_world`]. None is a real credential: they are
//! fixed strings only the fakes accept. [`ALL_SECRETS`] is for leak scans.

use super::world::{
    AccessLevel, AccessToken, DeployToken, GitlabProject, GitlabUser, GitlabWorld, JobToken, OauthToken,
    RegistryAccessLevel,
};

/// alice's PAT with `read_registry`.
pub const GLPAT_ALICE_READ: &str = "glpat-FAKEaliceReadReg0001";
/// alice's PAT with `read_registry, write_registry`.
pub const GLPAT_ALICE_WRITE: &str = "glpat-FAKEaliceWriteReg002";
/// alice's PAT with `api`.
pub const GLPAT_ALICE_API: &str = "glpat-FAKEaliceApiScope003";
/// alice's PAT with `read_api` (pulls by code, gitlab-facts §3.1).
pub const GLPAT_ALICE_READ_API: &str = "glpat-FAKEaliceReadApi0004";
/// alice's PAT with `write_registry` only (cannot pull).
pub const GLPAT_ALICE_WRITE_ONLY: &str = "glpat-FAKEaliceWriteOnly05";
/// alice's PAT with `read_user, read_repository` (no registry ability).
pub const GLPAT_ALICE_NO_REGISTRY: &str = "glpat-FAKEaliceNoRegistry6";
/// alice's revoked PAT (`read_registry`).
pub const GLPAT_REVOKED: &str = "glpat-FAKEaliceRevoked0007";
/// alice's expired PAT (`read_registry`).
pub const GLPAT_EXPIRED: &str = "glpat-FAKEaliceExpired0008";
/// A PAT nobody knows.
pub const GLPAT_UNKNOWN: &str = "glpat-FAKEnobodyKnowsIt009";
/// bob's legacy 20-character PAT (no prefix) with `read_registry`.
pub const LEGACY_PAT_BOB: &str = "FAKElegacyBobPat0010";
/// Project access token of `acme/app` (bot user, Developer) with `read_registry, write_registry`.
pub const GLPAT_APP_PROJECT_TOKEN: &str = "glpat-FAKEappProjectTok011";
/// Deploy token of `acme/app` with `read_registry`; username `gitlab+deploy-token-1`.
pub const GLDT_APP_READ: &str = "gldt-FAKEappDeployRead0012";
/// Deploy token of `acme/app` with `read_registry, write_registry`; `gitlab+deploy-token-2`.
pub const GLDT_APP_WRITE: &str = "gldt-FAKEappDeployWrite013";
/// The username of [`GLDT_APP_READ`].
pub const GLDT_APP_READ_USER: &str = "gitlab+deploy-token-1";
/// The username of [`GLDT_APP_WRITE`].
pub const GLDT_APP_WRITE_USER: &str = "gitlab+deploy-token-2";
/// A running job of `acme/app`, pipeline user alice.
pub const GLCBT_APP_JOB: &str = "glcbt-64_FAKEappRunningJob014";
/// A running job of `acme/tools` (allowlisted by `acme/app`), pipeline user alice.
pub const GLCBT_TOOLS_JOB: &str = "glcbt-64_FAKEtoolsRunningJob15";
/// A finished job of `acme/app`.
pub const GLCBT_FINISHED_JOB: &str = "glcbt-64_FAKEappFinishedJob016";
/// alice's OAuth token (no prefix; `api`).
pub const OAUTH_ALICE: &str = "FAKEoauthAlice0000000000000000000000000000000000000000000000000017";
/// alice's account password (no 2FA).
pub const ALICE_PASSWORD: &str = "FAKE-alice-password-18";
/// carol's account password (carol has 2FA enabled: refused like a wrong one).
pub const CAROL_PASSWORD: &str = "FAKE-carol-password-19";

/// Every fixture secret, for leak scans.
pub const ALL_SECRETS: &[&str] = &[
    GLPAT_ALICE_READ,
    GLPAT_ALICE_WRITE,
    GLPAT_ALICE_API,
    GLPAT_ALICE_READ_API,
    GLPAT_ALICE_WRITE_ONLY,
    GLPAT_ALICE_NO_REGISTRY,
    GLPAT_REVOKED,
    GLPAT_EXPIRED,
    GLPAT_UNKNOWN,
    LEGACY_PAT_BOB,
    GLPAT_APP_PROJECT_TOKEN,
    GLDT_APP_READ,
    GLDT_APP_WRITE,
    GLCBT_APP_JOB,
    GLCBT_TOOLS_JOB,
    GLCBT_FINISHED_JOB,
    OAUTH_ALICE,
    ALICE_PASSWORD,
    CAROL_PASSWORD,
];

/// Digest of every `latest` tag in [`standard_world`].
pub const DIGEST_LATEST: &str = "sha256:5f0b6e4c2d1a3b8e9f7c6d5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";

/// A world most tests can start from:
/// - users: alice (password [`ALICE_PASSWORD`], all `GLPAT_ALICE_*`, [`OAUTH_ALICE`]), bob
///   ([`LEGACY_PAT_BOB`]), carol (2FA, password [`CAROL_PASSWORD`]), root (admin).
/// - projects (registry enabled unless said): `acme/app` private (alice and carol Developer,
///   `latest`, image `web:1.0`, allowlists job tokens of `acme/tools`); `acme/tools` private
///   (alice Developer); `acme/other` private (alice Developer, `latest`, no allowlist);
///   `acme/public` public (`latest`); `acme/internal` internal (`latest`); `acme/members-only`
///   public with a members-only registry (`latest`); `acme/no-registry` private, registry
///   disabled (alice Developer); `some/group/my_project` private (alice Developer, image
///   `my/image:1`); `acme/reporter-only` private (alice Reporter, `latest`).
/// - deploy tokens [`GLDT_APP_READ`], [`GLDT_APP_WRITE`] of `acme/app`; project access token
///   [`GLPAT_APP_PROJECT_TOKEN`]; job tokens [`GLCBT_APP_JOB`], [`GLCBT_TOOLS_JOB`] (running),
///   [`GLCBT_FINISHED_JOB`].
pub fn standard_world() -> GitlabWorld {
    let dev = AccessLevel::Developer;
    let mut w = GitlabWorld::new()
        .with_user(GitlabUser::new("alice").password(ALICE_PASSWORD))
        .with_user(GitlabUser::new("bob"))
        .with_user(GitlabUser::new("carol").password(CAROL_PASSWORD).two_factor())
        .with_user(GitlabUser::new("root").admin())
        .with_project(
            GitlabProject::new("acme/app")
                .member("alice", dev)
                .member("carol", dev)
                .tag("latest", DIGEST_LATEST)
                .image_tag("web", "1.0", DIGEST_LATEST)
                .allow_job_tokens_from("acme/tools"),
        )
        .with_project(GitlabProject::new("acme/tools").member("alice", dev))
        .with_project(GitlabProject::new("acme/other").member("alice", dev).tag("latest", DIGEST_LATEST))
        .with_project(GitlabProject::new("acme/public").public().tag("latest", DIGEST_LATEST))
        .with_project(GitlabProject::new("acme/internal").internal().tag("latest", DIGEST_LATEST))
        .with_project(
            GitlabProject::new("acme/members-only")
                .public()
                .registry(RegistryAccessLevel::Private)
                .tag("latest", DIGEST_LATEST),
        )
        .with_project(
            GitlabProject::new("acme/no-registry").member("alice", dev).registry(RegistryAccessLevel::Disabled),
        )
        .with_project(GitlabProject::new("some/group/my_project").member("alice", dev).image_tag(
            "my/image",
            "1",
            DIGEST_LATEST,
        ))
        .with_project(
            GitlabProject::new("acme/reporter-only")
                .member("alice", AccessLevel::Reporter)
                .tag("latest", DIGEST_LATEST),
        )
        .with_access_token(GLPAT_ALICE_READ, AccessToken::personal("alice", "read_registry"))
        .with_access_token(GLPAT_ALICE_WRITE, AccessToken::personal("alice", "read_registry, write_registry"))
        .with_access_token(GLPAT_ALICE_API, AccessToken::personal("alice", "api"))
        .with_access_token(GLPAT_ALICE_READ_API, AccessToken::personal("alice", "read_api"))
        .with_access_token(GLPAT_ALICE_WRITE_ONLY, AccessToken::personal("alice", "write_registry"))
        .with_access_token(GLPAT_ALICE_NO_REGISTRY, AccessToken::personal("alice", "read_user, read_repository"))
        .with_access_token(GLPAT_REVOKED, AccessToken::personal("alice", "read_registry").revoked())
        .with_access_token(GLPAT_EXPIRED, AccessToken::personal("alice", "read_registry").expired())
        .with_access_token(LEGACY_PAT_BOB, AccessToken::personal("bob", "read_registry"))
        .with_deploy_token(GLDT_APP_READ, DeployToken::for_project("acme/app", "read_registry"))
        .with_deploy_token(GLDT_APP_WRITE, DeployToken::for_project("acme/app", "read_registry, write_registry"))
        .with_job_token(GLCBT_APP_JOB, JobToken::running("acme/app", "alice"))
        .with_job_token(GLCBT_TOOLS_JOB, JobToken::running("acme/tools", "alice"))
        .with_job_token(GLCBT_FINISHED_JOB, JobToken::running("acme/app", "alice").finished())
        .with_oauth_token(OAUTH_ALICE, OauthToken::new("alice", "api"));
    w.add_project_access_token(GLPAT_APP_PROJECT_TOKEN, "acme/app", dev, "read_registry, write_registry");
    w
}
