//! The check registry: every check in documentation (and output) order, one line each. A check
//! lives in its own module under `checks/`.

use crate::check::Check;
use crate::checks::{
    docker_credentials, docker_daemon, gh_auth, gh_installed, github_host, gitlab_auth, gitlab_host,
    gitlab_registry_access, gitlab_token_scopes, glab_installed, pull_secret, registry_access, sso, token_scopes,
};
use crate::{CheckId, Family};

pub static CHECKS: &[&Check] = &[
    &gh_installed::CHECK,
    &github_host::CHECK,
    &gh_auth::CHECK,
    &glab_installed::CHECK,
    &gitlab_host::CHECK,
    &gitlab_auth::CHECK,
    &token_scopes::CHECK,
    &gitlab_token_scopes::CHECK,
    &sso::CHECK,
    &docker_daemon::CHECK,
    &docker_credentials::CHECK,
    &registry_access::CHECK,
    &gitlab_registry_access::CHECK,
    &pull_secret::CHECK,
];

/// Every check id once, in registry order, by its first entry: what the docs, `list` and
/// `explain` describe (`token-scopes` and `registry-access` by GitHub's entry, which comes first).
pub fn checks_by_id() -> impl Iterator<Item = &'static Check> {
    CHECKS.iter().copied().enumerate().filter(|(i, c)| CHECKS[..*i].iter().all(|d| d.id != c.id)).map(|(_, c)| c)
}

/// The checks a run of `family` evaluates, in output order.
pub fn checks(family: Family) -> impl Iterator<Item = &'static Check> {
    CHECKS.iter().copied().filter(move |c| c.family().is_none_or(|f| f == family))
}

/// The checks `request` evaluates, in output order: its family's, with `pull-secret` only when a
/// pull secret is given (the runner, the live display and their tests share this one rule).
pub fn checks_for(request: &crate::Request) -> impl Iterator<Item = &'static Check> + '_ {
    checks(request.forge.family()).filter(move |c| c.id != CheckId::PullSecret || request.pull_secret.is_some())
}

/// The check with this id: its first entry (`token-scopes` and `registry-access` have one per
/// family, with the same title).
pub fn check(id: CheckId) -> &'static Check {
    CHECKS.iter().copied().find(|c| c.id == id).expect("every check id is in the registry (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_holds_every_check_id_in_id_order_and_each_once_per_family() {
        let mut ids: Vec<CheckId> = CHECKS.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids, CheckId::ALL);
        for family in [Family::Github, Family::Gitlab] {
            let ids: Vec<CheckId> = checks(family).map(|c| c.id).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(ids.len(), unique.len(), "{family:?}: {ids:?}");
        }
    }

    #[test]
    fn each_family_runs_the_checks_its_issue_names() {
        let ids = |f| checks(f).map(|c| c.id.as_str()).collect::<Vec<_>>();
        assert_eq!(
            ids(Family::Gitlab),
            [
                "glab-installed",
                "gitlab-host",
                "gitlab-auth",
                "token-scopes",
                "docker-daemon",
                "docker-credentials",
                "registry-access",
            ]
        );
        assert!(!ids(Family::Github).contains(&"gitlab-auth"));
        for gitlab in checks(Family::Gitlab) {
            assert_eq!(check(gitlab.id).title, gitlab.title, "{}: one title for both families", gitlab.id);
        }
    }

    #[test]
    fn dependencies_point_backwards() {
        for (i, c) in CHECKS.iter().enumerate() {
            for dep in c.depends_on {
                let j = CHECKS
                    .iter()
                    .position(|d| d.id == *dep && d.family().is_none_or(|f| c.family() == Some(f)))
                    .unwrap();
                assert!(j < i, "{} depends on a later check {}", c.id, dep);
            }
        }
    }
}
