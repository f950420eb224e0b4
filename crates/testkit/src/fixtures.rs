//! Well-known fixture tokens shaped like real GitHub tokens (ghcr-facts §2.6), for leak tests
//! (grep output for them) and a ready-made [`standard_world`].
//!
//! None of these is a real credential: they are fixed strings that only the fakes accept.

use crate::world::{MemberState, Org, OrgRole, Package, Role, Token, World};

/// `gho_` + 36: octocat's gh OAuth token (`repo, read:org, gist, read:packages`).
pub const GHO_OCTOCAT: &str = "gho_FAKEoctocatOAuthToken000000000000001";
/// `gho_` + 36: octocat's OAuth token without `read:packages` (gh's default login scopes).
pub const GHO_NO_PACKAGES: &str = "gho_FAKEoctocatNoPackagesScope0000000002";
/// `ghp_` + 36: classic PAT with `read:packages, write:packages`.
pub const GHP_WRITE: &str = "ghp_FAKEclassicPatWritePackages000000003";
/// `ghp_` + 36: classic PAT with `repo` only.
pub const GHP_REPO_ONLY: &str = "ghp_FAKEclassicPatRepoOnly00000000000004";
/// `ghp_` + 36: expired/revoked classic PAT.
pub const GHP_EXPIRED: &str = "ghp_FAKEclassicPatExpired000000000000005";
/// `github_pat_` + 22 + `_` + 59: fine-grained PAT.
pub const GITHUB_PAT_FINE: &str =
    "github_pat_FAKEfineGrained0000006_FAKEfineGrainedPersonalAccessTokenForGhcrDoctorTests0000006";
/// `ghs_` + 36: Actions `GITHUB_TOKEN` of `acme/app-repo` with `packages: write`.
pub const GHS_ACTIONS: &str = "ghs_FAKEactionsInstallationToken00000007";
/// `gho_` + 36: a token no fake knows (answers as bad credentials).
pub const GHO_UNKNOWN: &str = "gho_FAKEunknownTokenNobodyKnows000000008";
/// `ghs_` + 36: another job's `GITHUB_TOKEN` (of `acme/other-repo`), expired with its job: what a
/// self-hosted runner's docker config may still hold (ghcr-facts §6.4).
pub const GHS_OTHER_JOB: &str = "ghs_FAKEotherJobsExpiredToken00000000009";

/// Every fixture token, for leak scans.
pub const ALL_TOKENS: &[&str] = &[
    GHO_OCTOCAT,
    GHO_NO_PACKAGES,
    GHP_WRITE,
    GHP_REPO_ONLY,
    GHP_EXPIRED,
    GITHUB_PAT_FINE,
    GHS_ACTIONS,
    GHO_UNKNOWN,
    GHS_OTHER_JOB,
];

/// Digest of the `latest` tags in [`standard_world`].
pub const DIGEST_LATEST: &str = "sha256:6d1c9b6bd0b3b4d1e2f3a4b5c6d7e8f90123456789abcdef0123456789abcdef";

/// A world most tests can start from:
/// - user `octocat` with [`GHO_OCTOCAT`], [`GHO_NO_PACKAGES`], [`GHP_WRITE`], [`GHP_REPO_ONLY`],
///   [`GHP_EXPIRED`] (invalid), [`GITHUB_PAT_FINE`]; `github-actions[bot]` with [`GHS_ACTIONS`]
///   (repo `acme/app-repo`, `packages: write`) and [`GHS_OTHER_JOB`] (another job's, expired).
/// - org `acme` (octocat active member), org `sso-corp` (SSO required, octocat active member),
///   org `locked` (OAuth App restricted, forbids classic PATs, octocat active member).
/// - packages: `acme/app` private (octocat Read, `acme/app-repo` Actions Write, tag `latest`),
///   `acme/public-app` public (tag `latest`), `acme/tools/cli` private nested (octocat Write),
///   `acme/secret` private (no grants), `octocat/hello` private user package (tag `latest`),
///   `sso-corp/app` private (octocat Read), `locked/app` private (octocat Read).
pub fn standard_world() -> World {
    World::new()
        .with_user("octocat")
        .with_token(GHO_OCTOCAT, Token::new("octocat").scopes("gist, read:org, read:packages, repo"))
        .with_token(GHO_NO_PACKAGES, Token::new("octocat").scopes("gist, read:org, repo"))
        .with_token(GHP_WRITE, Token::new("octocat").scopes("read:packages, write:packages"))
        .with_token(GHP_REPO_ONLY, Token::new("octocat").scopes("repo"))
        .with_token(GHP_EXPIRED, Token::new("octocat").scopes("read:packages").invalid())
        .with_token(GITHUB_PAT_FINE, Token::new("octocat"))
        .with_token(GHS_ACTIONS, Token::new("github-actions[bot]").actions("acme/app-repo", Some(Role::Write)))
        .with_token(
            GHS_OTHER_JOB,
            Token::new("github-actions[bot]").actions("acme/other-repo", Some(Role::Write)).invalid(),
        )
        .with_org(Org::new("acme").active_member("octocat"))
        .with_org(Org::new("sso-corp").sso().member("octocat", MemberState::Active, OrgRole::Member))
        .with_org(Org::new("locked").oauth_restricted().forbid_classic_pat().active_member("octocat"))
        .with_package(
            Package::new("acme", "app")
                .grant("octocat", Role::Read)
                .actions_repo("acme/app-repo", Role::Write)
                .linked_to("acme/app-repo")
                .tag("latest", DIGEST_LATEST),
        )
        .with_package(Package::new("acme", "public-app").public().tag("latest", DIGEST_LATEST))
        .with_package(Package::new("acme", "tools/cli").grant("octocat", Role::Write).tag("1.0", DIGEST_LATEST))
        .with_package(Package::new("acme", "secret").tag("latest", DIGEST_LATEST))
        .with_package(Package::new("octocat", "hello").tag("latest", DIGEST_LATEST))
        .with_package(Package::new("sso-corp", "app").grant("octocat", Role::Read).tag("latest", DIGEST_LATEST))
        .with_package(Package::new("locked", "app").grant("octocat", Role::Read).tag("latest", DIGEST_LATEST))
}

/// [`standard_world`] as the GitHub at `host` serves it ([`World::served_as`]): `github.com`,
/// `SUB.ghe.com`, or an Enterprise Server host (API under `/api/v3`).
pub fn world_for(host: &str) -> World {
    standard_world().served_as(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_tokens_have_real_shapes() {
        for t in [
            GHO_OCTOCAT,
            GHO_NO_PACKAGES,
            GHP_WRITE,
            GHP_REPO_ONLY,
            GHP_EXPIRED,
            GHS_ACTIONS,
            GHO_UNKNOWN,
            GHS_OTHER_JOB,
        ] {
            let (_, body) = t.split_once('_').unwrap();
            assert_eq!(body.len(), 36, "{t}");
            assert!(body.chars().all(|c| c.is_ascii_alphanumeric()), "{t}");
        }
        let rest = GITHUB_PAT_FINE.strip_prefix("github_pat_").unwrap();
        let (a, b) = rest.split_once('_').unwrap();
        assert_eq!((a.len(), b.len()), (22, 59));
        assert!(a.chars().chain(b.chars()).all(|c| c.is_ascii_alphanumeric()));
    }
}

#[cfg(test)]
mod host_tests {
    use super::*;
    use crate::{ApiServer, RegistryServer, SharedWorld, client};

    #[test]
    fn an_enterprise_server_world_serves_its_api_under_api_v3_and_names_its_registry() {
        let world = SharedWorld::new(world_for("ghe.example.com"));
        let api = ApiServer::start(world.clone()).unwrap();
        let registry = RegistryServer::start(world.clone()).unwrap();
        let auth = format!("token {GHO_OCTOCAT}");
        let user = client::get(&format!("{}user", api.enterprise_base_url()), &[("Authorization", &auth)]).unwrap();
        assert_eq!(user.json()["login"], "octocat");
        let root = client::get(&format!("{}user", api.base_url()), &[("Authorization", &auth)]).unwrap();
        assert_eq!(root.status, 404, "only under /api/v3");
        let ping = client::get(&format!("{}v2/", registry.base_url()), &[]).unwrap();
        assert!(ping.header("www-authenticate").unwrap().contains(r#"service="containers.ghe.example.com""#));
        world.edit(|w| w.registry.not_a_registry = true);
        let ping = client::get(&format!("{}v2/", registry.base_url()), &[]).unwrap();
        assert_eq!((ping.status, ping.header("docker-distribution-api-version")), (404, None));
        // GHE.com: the registry's own service name, the API at the root as on api.SUB.ghe.com.
        let tenancy = world_for("octocorp.ghe.com");
        assert_eq!(tenancy.registry.service, "containers.octocorp.ghe.com");
        assert_eq!(tenancy.api.only_under, None);
        assert_eq!(world_for("github.com").registry.service, "ghcr.io");
    }
}
