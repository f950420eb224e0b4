//! The runner: evaluates the checks of the request's family in registry order (a check whose dependency failed is
//! skipped with the reason, never a second failure) and assembles the report: the worst status,
//! the root cause and the ordered, de-duplicated next steps.

use crate::ctx::Ctx;
use crate::{CauseId, CheckId, Facts, FixStep, Msg, Outcome, Report, Request, Status, t};

/// Evaluates every check in registry order and assembles the report.
pub fn evaluate(request: &Request, facts: &Facts) -> Report {
    let ctx = Ctx::new(request, facts);
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut blocked: Vec<CheckId> = Vec::new();
    for check in crate::registry::checks_for(request) {
        // With a pull secret, docker's own path is not the kubelet's.
        let docker_path =
            matches!(check.id, CheckId::DockerDaemon | CheckId::DockerCredentials | CheckId::RegistryAccess);
        if docker_path && request.pull_secret.is_some() {
            outcomes.push(Outcome::skipped(
                check.id,
                Msg::new(t!(
                    "Not used with `--pull-secret`: the kubelet sends the Secret's credential, not docker's.",
                    "`--pull-secret` では使いません。kubelet が送るのは docker の認証情報ではなく、Secret の認証情報です。"
                )),
            ));
            continue;
        }
        if request.ci && !check.in_ci {
            outcomes.push(Outcome::skipped(
                check.id,
                Msg::new(t!(
                    "Not needed in CI: the job's token comes from the environment.",
                    "CI では不要です。ジョブのトークンは環境変数から渡されます。"
                )),
            ));
            continue;
        }
        let failed_dep = check
            .depends_on
            .iter()
            .find(|dep| blocked.contains(dep) || outcomes.iter().any(|o| o.check == **dep && o.status == Status::Fail));
        if let Some(dep) = failed_dep {
            blocked.push(check.id);
            outcomes.push(Outcome::skipped(
                check.id,
                Msg::new(t!(
                    "Skipped: `{dep}` must pass first.",
                    "スキップしました。先に `{dep}` が成功する必要があります。"
                ))
                .arg("dep", dep),
            ));
            continue;
        }
        let Some(mut outcome) = check.run(&ctx) else { continue };
        outcome.duration_ms = facts.durations_ms.iter().find(|(id, _)| *id == check.id).map_or(0, |(_, ms)| *ms);
        outcomes.push(outcome);
    }
    report(&ctx, outcomes)
}

fn report(ctx: &Ctx, outcomes: Vec<Outcome>) -> Report {
    let status = outcomes.iter().map(|o| o.status).max_by_key(|s| s.severity()).unwrap_or(Status::Pass);
    let status = if status == Status::Skip { Status::Pass } else { status };
    let root_cause = outcomes.iter().find(|o| o.status == Status::Fail).and_then(Outcome::cause);
    // Failures first; only when nothing fails do warnings' fixes become next steps.
    let wanted = if status == Status::Fail { Status::Fail } else { Status::Warn };
    let mut next_steps: Vec<FixStep> = Vec::new();
    for o in outcomes.iter().filter(|o| o.status == wanted) {
        for c in o.steps() {
            if !next_steps.contains(&c) {
                next_steps.push(c);
            }
        }
    }
    // Offline, every other step needs the network too: first the network, then look again.
    if root_cause == Some(CauseId::Network) {
        let network = outcomes.iter().flat_map(|o| &o.findings).find(|f| f.cause == Some(CauseId::Network));
        let mut offline: Vec<FixStep> = network.map(|f| f.steps.clone()).unwrap_or_default();
        offline.push(FixStep::CheckAgain);
        return Report { outcomes, status, root_cause, next_steps: offline };
    }
    // `docker pull` proves nothing about the kubelet's pull.
    if status == Status::Fail && !next_steps.is_empty() && ctx.request.pull_secret.is_none() {
        let (access, client) = (ctx.request.access, ctx.facts.client.client);
        next_steps.extend(ctx.request.images.iter().map(|i| FixStep::Retry { client, access, image: i.to_string() }));
        if ctx.request.images.is_empty() {
            next_steps.push(FixStep::CheckAgain);
        }
    }
    Report { outcomes, status, root_cause, next_steps }
}
