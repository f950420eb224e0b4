//! The check registry: every check in documentation (and output) order, one line each. A check
//! lives in its own module under `checks/`.

use crate::check::Check;
use crate::checks::{
    docker_credentials, docker_daemon, gh_auth, gh_installed, github_host, pull_secret, registry_access, sso,
    token_scopes,
};
use crate::{CheckId, Family};

pub static CHECKS: &[&Check] = &[
    &gh_installed::CHECK,
    &github_host::CHECK,
    &gh_auth::CHECK,
    &token_scopes::CHECK,
    &sso::CHECK,
    &docker_daemon::CHECK,
    &docker_credentials::CHECK,
    &registry_access::CHECK,
    &pull_secret::CHECK,
];

/// The checks a run of `family` evaluates, in output order.
pub fn checks(family: Family) -> impl Iterator<Item = &'static Check> {
    CHECKS.iter().copied().filter(move |c| c.family().is_none_or(|f| f == family))
}

/// The checks `request` evaluates, in output order: its family's, with `pull-secret` only when a
/// pull secret is given (the runner, the live display and their tests share this one rule).
pub fn checks_for(request: &crate::Request) -> impl Iterator<Item = &'static Check> + '_ {
    checks(request.forge.family()).filter(move |c| c.id != CheckId::PullSecret || request.pull_secret.is_some())
}

/// The check with this id.
pub fn check(id: CheckId) -> &'static Check {
    CHECKS.iter().copied().find(|c| c.id == id).expect("every check id is in the registry (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_holds_every_check_once_in_id_order() {
        let ids: Vec<CheckId> = CHECKS.iter().map(|c| c.id).collect();
        assert_eq!(ids, CheckId::ALL);
    }

    #[test]
    fn dependencies_point_backwards() {
        for (i, c) in CHECKS.iter().enumerate() {
            for dep in c.depends_on {
                let j = CHECKS.iter().position(|d| d.id == *dep).unwrap();
                assert!(j < i, "{} depends on a later check {}", c.id, dep);
            }
        }
    }
}
