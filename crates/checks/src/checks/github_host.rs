//! The `github-host` check: which GitHub the team uses, its API and registry hosts, whether the
//! registry answers, and whether every image belongs to it.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
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

    let unavailable = |detail: String| {
        ctx.finding(
            Status::Fail,
            CauseId::RegistryUnavailable,
            Msg::new(t!(
                "`{registry}` did not answer as a container registry ({detail}).",
                "`{registry}` がコンテナーレジストリとして応答しませんでした（{detail}）。"
            ))
            .arg("registry", &registry)
            .arg("detail", detail),
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
            _ => findings.push(unavailable(e.detail.clone())),
        },
        Probe::Done(answer) => {
            let is_registry = matches!(answer.status, 200 | 401)
                || answer.header("docker-distribution-api-version").is_some()
                || answer.header("www-authenticate").is_some_and(|h| h.to_ascii_lowercase().starts_with("bearer"));
            if !is_registry {
                findings.push(unavailable(format!("HTTP {}", answer.status)));
            }
        }
    }
    Outcome::new(id, findings, evidence)
}
