//! The `github-host` check: which GitHub the team uses, its API and registry hosts, whether the
//! registry answers, and whether every image belongs to it.
//!
//! In an Actions job also whether the host is the job's own (`GITHUB_SERVER_URL`), and, on
//! Enterprise Server, a missing container registry told apart from a missing permission: before
//! 3.5, without GitHub Packages or without subdomain isolation there is no `containers.HOST`,
//! and no `permissions:` or package setting changes that (ghcr-facts §3, §6.3).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::parse::unexpected;
use crate::{CauseId, CheckId, Finding, GithubFacts, HostKind, Msg, Outcome, Probe, ProbeErrorKind, Status, t};

pub static CHECK: Check = Check {
    id: K::GithubHost,
    title: t!("GitHub host and registry", "GitHub のホストとレジストリ"),
    what: t!(
        "Which GitHub the team uses (github.com and Enterprise Cloud: registry `ghcr.io`; `SUB.ghe.com`: `containers.SUB.ghe.com`; Enterprise Server: `containers.HOST`), whether the registry answers, and whether every image belongs to it.",
        "チームが使う GitHub の種類（github.com と Enterprise Cloud ならレジストリは `ghcr.io`、`SUB.ghe.com` なら `containers.SUB.ghe.com`、Enterprise Server なら `containers.HOST`）と、レジストリが応答するか、すべてのイメージがそのレジストリのものかを確認します。"
    ),
    why: t!(
        "The token, the API and the registry must all belong to the same GitHub; a token for one never works on another.",
        "トークン、API、レジストリはすべて同じ GitHub のものでなければなりません。ある GitHub のトークンは、別の GitHub では使えません。"
    ),
    depends_on: &[],
    in_ci: true,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, _: &GithubFacts) -> Outcome {
    let id = CheckId::GithubHost;
    let host = ctx.github_host();
    let registry = ctx.request.registry_host();
    let evidence = vec![("host", host.name.clone()), ("api", host.api_base()), ("registry", registry.clone())];
    let mut findings = Vec::new();
    let intro = match &host.kind {
        HostKind::GithubCom => Msg::new(t!(
            "github.com: API `{api}`, registry `{registry}`. Enterprise Cloud organizations use the same hosts; there, SAML SSO is the usual trap (see `sso`).",
            "github.com です。API は `{api}`、レジストリは `{registry}` です。Enterprise Cloud の組織も同じホストを使います。その場合は SAML SSO がよくある落とし穴です（`sso` を参照してください）。"
        )),
        HostKind::Tenancy { .. } => Msg::new(t!(
            "GitHub Enterprise Cloud with data residency ({host}): API `{api}`, registry `{registry}`.",
            "データ所在地付きの GitHub Enterprise Cloud（{host}）です。API は `{api}`、レジストリは `{registry}` です。"
        )),
        HostKind::Enterprise => Msg::new(t!(
            "GitHub Enterprise Server ({host}): API `{api}`, registry `{registry}` (needs GitHub Packages and subdomain isolation).",
            "GitHub Enterprise Server（{host}）です。API は `{api}`、レジストリは `{registry}` です（GitHub Packages とサブドメイン分離が必要です）。"
        )),
    }
    .arg("host", &host.name)
    .arg("api", host.api_base())
    .arg("registry", &registry);
    findings.push(Finding::pass(intro));

    let server = ctx.actions().filter(|_| ctx.request.ci).and_then(|a| a.server_url.clone());
    // The job's token is valid only on the job's own server.
    if let Some(actions) = ctx.actions().filter(|a| ctx.request.ci && a.github_actions)
        && let Some(server_host) = actions.server_host().and_then(|h| crate::GithubHost::parse(&h))
        && server_host.name != host.name
    {
        findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::HostMismatch,
                Msg::new(t!(
                    "ghcr-doctor checks {host} (`host` in ghcr-doctor.toml, or `--host`), but this job runs on {server} (`GITHUB_SERVER_URL`): the job's `GITHUB_TOKEN` is valid only there.",
                    "ghcr-doctor は {host}（ghcr-doctor.toml の `host` または `--host`）を確認していますが、このジョブは {server}（`GITHUB_SERVER_URL`）で動いています。ジョブの `GITHUB_TOKEN` はそこでしか使えません。"
                ))
                .arg("host", &host.name)
                .arg("server", server.as_deref().unwrap_or(&server_host.name)),
                None,
            ),
        );
    }
    for image in ctx.request.images.iter().filter(|i| i.registry != registry) {
        let text = match server {
            Some(_) => t!(
                "`{image}` is on `{other}`, but this job runs on {server} (`GITHUB_SERVER_URL`), whose registry is `{registry}`: the job's `GITHUB_TOKEN` is not valid on `{other}`. Name the image `{registry}/...` and log in to `{registry}`.",
                "`{image}` は `{other}` にありますが、このジョブは {server}（`GITHUB_SERVER_URL`）で動いており、そのレジストリは `{registry}` です。ジョブの `GITHUB_TOKEN` は `{other}` では使えません。イメージ名を `{registry}/...` にし、`{registry}` にログインしてください。"
            ),
            None => t!(
                "`{image}` is on `{other}`, but images of {host} are on `{registry}`.",
                "`{image}` は `{other}` にありますが、{host} のイメージは `{registry}` にあります。"
            ),
        };
        findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::HostMismatch,
                Msg::new(text)
                    .arg("server", server.as_deref().unwrap_or(""))
                    .arg("image", image)
                    .arg("other", &image.registry)
                    .arg("host", &host.name)
                    .arg("registry", &registry),
                Some(image),
            )
            .subject(image.to_string()),
        );
    }

    // In a job on Enterprise Server: say that the server lacks the registry, which no workflow
    // permission can give it (ghcr-facts §3, §6.3).
    let job_on_ghes = ctx.request.ci && host.kind == HostKind::Enterprise;
    let job_server = server.clone().unwrap_or_else(|| host.web_base());
    let unavailable = |detail: String, answered: bool| {
        let text = match (job_on_ghes, answered) {
            (true, false) => t!(
                "`{registry}` could not be reached ({detail}): this job's server {server} serves no container registry at that name. GitHub Enterprise Server serves one at `containers.HOST` only from 3.5 on, with GitHub Packages and subdomain isolation enabled; without subdomain isolation (wildcard DNS and certificate for `*.HOST`) the name does not exist. This is not a missing permission: no `permissions:` or package setting changes it.",
                "`{registry}` に接続できませんでした（{detail}）。このジョブのサーバー {server} は、この名前でコンテナーレジストリを提供していません。GitHub Enterprise Server が `containers.HOST` でレジストリを提供するのは 3.5 以降で、GitHub Packages とサブドメイン分離が有効な場合だけです。サブドメイン分離（`*.HOST` のワイルドカード DNS と証明書）がなければ、この名前自体が存在しません。権限の不足ではないため、`permissions:` やパッケージの設定では解決しません。"
            ),
            (true, true) => t!(
                "`{registry}` answered, but not as a container registry ({detail}): this job's server {server} serves no Container registry at that name. GitHub Enterprise Server has one only from 3.5 on, with GitHub Packages enabled. This is not a missing permission: no `permissions:` or package setting changes it.",
                "`{registry}` は応答しましたが、コンテナーレジストリとしてではありません（{detail}）。このジョブのサーバー {server} は、この名前でコンテナーレジストリを提供していません。GitHub Enterprise Server でレジストリが使えるのは 3.5 以降で、GitHub Packages が有効な場合だけです。権限の不足ではないため、`permissions:` やパッケージの設定では解決しません。"
            ),
            (false, _) => t!(
                "`{registry}` did not answer as a container registry ({detail}).",
                "`{registry}` がコンテナーレジストリとして応答しませんでした（{detail}）。"
            ),
        };
        ctx.finding(
            Status::Fail,
            CauseId::RegistryUnavailable,
            Msg::new(text).arg("registry", &registry).arg("detail", detail).arg("server", &job_server),
            None,
        )
    };
    match &ctx.facts.registry_ping {
        Probe::Skipped => {}
        Probe::Failed(e) if e.kind == ProbeErrorKind::Timeout => {
            findings.push(ctx.probe_failure(e, &format!("https://{registry}/v2/"), None));
        }
        Probe::Failed(e) => match host.kind {
            HostKind::GithubCom => findings.push(ctx.probe_failure(e, &format!("https://{registry}/v2/"), None)),
            _ => findings.push(unavailable(e.detail.clone(), false)),
        },
        // On github.com a page where `ghcr.io/v2/` should answer is something in between; on an
        // Enterprise Server it is as likely the server itself without a container registry.
        Probe::Done(answer) if matches!(host.kind, HostKind::GithubCom) && unexpected(answer, false).is_some() => {
            findings.extend(ctx.unexpected(answer, false, &format!("GET https://{registry}/v2/"), None));
        }
        Probe::Done(answer) => {
            let is_registry = (matches!(answer.status, 200 | 401) && unexpected(answer, false).is_none())
                || answer.header("docker-distribution-api-version").is_some()
                || answer.header("www-authenticate").is_some_and(|h| h.to_ascii_lowercase().starts_with("bearer"));
            if !is_registry {
                findings.push(unavailable(format!("HTTP {}", answer.status), true));
            }
        }
    }
    Outcome::new(id, findings, evidence)
}
