//! The `gitlab-host` check: which GitLab the images belong to (GitLab.com or self-managed), that
//! their registry host is that GitLab's, and that the registry answers `/v2/` with a Bearer
//! challenge whose realm is GitLab's `/jwt/auth` (gitlab-facts §1, §12: on self-managed GitLab
//! the realm host is not the registry host, so the challenge is followed, never guessed).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{CauseId, Finding, GitlabFacts, Msg, Outcome, Probe, Status, t};

pub static CHECK: Check = Check {
    id: K::GitlabHost,
    title: t!("GitLab host and registry", "GitLab のホストとレジストリ"),
    what: t!(
        "The images are on the GitLab's registry host (`registry.gitlab.com`, or the `registry` of ghcr-doctor.toml), and `GET /v2/` there answers with GitLab's token realm (`/jwt/auth`).",
        "イメージが GitLab のレジストリのホスト（`registry.gitlab.com`、または ghcr-doctor.toml の `registry`）にあり、そこへの `GET /v2/` が GitLab のトークン発行先（`/jwt/auth`）を返すことを確認します。"
    ),
    why: t!(
        "Self-managed GitLab serves its registry on another host or port (`registry.example.com`, `gitlab.example.com:5050`) and issues its tokens on the GitLab host: a wrong name or an unreachable registry fails before any token matters.",
        "セルフマネージドの GitLab では、レジストリは別のホストやポート（`registry.example.com`、`gitlab.example.com:5050`）で動き、トークンは GitLab 本体のホストが発行します。名前の誤りや、レジストリに届かないことによる失敗は、トークン以前の問題です。"
    ),
    depends_on: &[],
    in_ci: true,
    evaluate: Evaluate::Gitlab(evaluate),
};

fn evaluate(ctx: &Ctx, _: &GitlabFacts) -> Outcome {
    let id = K::GitlabHost;
    let host = ctx.gitlab_host();
    let registry = ctx.request.registry_host();
    let mut evidence = vec![("host", host.name.clone()), ("registry", registry.clone())];
    let mut findings = Vec::new();
    for image in ctx.request.images.iter().filter(|i| i.registry != registry) {
        let msg = Msg::new(t!(
            "`{image}` is on `{other}`, but the registry of {host} is `{registry}` (set `registry` in ghcr-doctor.toml, or `--registry`, if it is another one).",
            "`{image}` は `{other}` にありますが、{host} のレジストリは `{registry}` です（別のホストであれば、ghcr-doctor.toml の `registry` か `--registry` で指定してください）。"
        ))
        .arg("image", image)
        .arg("other", &image.registry)
        .arg("host", &host.name)
        .arg("registry", &registry);
        findings.push(ctx.finding(Status::Fail, CauseId::HostMismatch, msg, Some(image)).subject(image.to_string()));
    }
    match &ctx.facts.registry_ping {
        Probe::Failed(e) => findings.push(ctx.probe_failure(e, &format!("GET https://{registry}/v2/"), None)),
        Probe::Skipped => {}
        Probe::Done(answer) => {
            let realm = answer.header("www-authenticate").and_then(crate::parse::bearer_realm);
            if let Some(realm) = &realm {
                evidence.push(("realm", realm.clone()));
            }
            match realm {
                Some(realm) if realm.trim_end_matches('/').ends_with("/jwt/auth") => {
                    findings.push(Finding::pass(
                        Msg::new(t!(
                            "`{registry}` answers and issues its tokens at `{realm}` ({host}).",
                            "`{registry}` は応答し、トークンを `{realm}`（{host}）で発行しています。"
                        ))
                        .arg("registry", &registry)
                        .arg("realm", &realm)
                        .arg("host", &host.name),
                    ));
                }
                Some(realm) => findings.push(ctx.finding(
                    Status::Fail,
                    CauseId::HostMismatch,
                    Msg::new(t!(
                        "`{registry}` issues its tokens at `{realm}`, not at a GitLab's `/jwt/auth`: it is not GitLab's registry (is `forge = \"gitlab\"` right for it?).",
                        "`{registry}` はトークンを `{realm}` で発行しており、GitLab の `/jwt/auth` ではありません。GitLab のレジストリではないようです（`forge = \"gitlab\"` の指定は正しいですか？）。"
                    ))
                    .arg("registry", &registry)
                    .arg("realm", &realm),
                    None,
                )),
                None if answer.status == 200 => findings.push(Finding::new(
                    Status::Warn,
                    Msg::new(t!(
                        "`{registry}` answers `/v2/` without asking for a login: it has no authentication, and anyone can pull.",
                        "`{registry}` は `/v2/` にログインを求めずに応答しました。認証が設定されておらず、誰でも pull できる状態です。"
                    ))
                    .arg("registry", &registry),
                )),
                None => {
                    if let Some(f) = ctx.unexpected(answer, false, &format!("GET https://{registry}/v2/"), None) {
                        findings.push(f);
                    } else {
                        findings.push(ctx.finding(
                            Status::Fail,
                            CauseId::UnexpectedResponse,
                            Msg::new(t!(
                                "`{registry}` answered `/v2/` with HTTP {status} and no Bearer challenge: something other than GitLab's registry answers there.",
                                "`{registry}` は `/v2/` に HTTP {status} で応答し、Bearer のチャレンジを返しませんでした。GitLab のレジストリ以外のものが応答しています。"
                            ))
                            .arg("registry", &registry)
                            .arg("status", answer.status),
                            None,
                        ));
                    }
                }
            }
        }
    }
    Outcome::new(id, findings, evidence)
}
