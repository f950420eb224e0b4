//! The `sso` check: for each organization that owns an image, SAML SSO, OAuth App restrictions, the
//! classic-PAT policy and a pending invitation.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{CauseId, CheckId, Finding, GithubFacts, HttpAnswer, Msg, Outcome, Probe, Status, TokenKind, t};

pub static CHECK: Check = Check {
    id: K::Sso,
    title: t!("Organizations and single sign-on (SSO)", "組織とシングルサインオン（SSO）"),
    what: t!(
        "For each image owner that is an organization, `GET /orgs/ORG`: SAML SSO authorization (`X-GitHub-SSO`), OAuth App restrictions, the classic-PAT policy, and `GET /user/memberships/orgs/ORG` for a pending invitation.",
        "イメージの所有者が組織であれば、それぞれに `GET /orgs/ORG` を送り、SAML SSO の承認（`X-GitHub-SSO`）、OAuth アプリの制限、クラシック PAT のポリシーを確認します。さらに `GET /user/memberships/orgs/ORG` で招待が保留中でないかを確認します。"
    ),
    why: t!(
        "On GitHub Enterprise Cloud, SSO is the usual hidden cause: the registry says only `denied`, while the API says exactly what is wrong.",
        "GitHub Enterprise Cloud では、SSO がよくある隠れた原因です。レジストリは `denied` としか言いませんが、API は何が問題かを正確に教えてくれます。"
    ),
    depends_on: &[K::GhAuth],
    in_ci: true,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, gh: &GithubFacts) -> Outcome {
    let id = CheckId::Sso;
    if ctx.request.images.is_empty() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "No images given, so no organizations to look at (pass an image or list `images` in ghcr-doctor.toml).",
                "イメージが指定されていないため、確認する組織がありません（イメージを指定するか、ghcr-doctor.toml の `images` に書いてください）。"
            )),
        );
    }
    let mut findings = Vec::new();
    for owner in &gh.owners {
        let image = ctx.request.images.iter().find(|i| i.owner == owner.owner);
        let answer = match &owner.org {
            Probe::Done(a) => a,
            Probe::Failed(e) => {
                findings.push(ctx.probe_failure(e, &format!("GET /orgs/{}", owner.owner), image).subject(&owner.owner));
                continue;
            }
            Probe::Skipped => continue,
        };
        let what = format!("GET /orgs/{}", owner.owner);
        let membership = owner.membership.done().filter(|_| answer.status == 200);
        let odd = ctx.unexpected(answer, true, &what, image).or_else(|| {
            membership
                .and_then(|m| ctx.unexpected(m, true, &format!("GET /user/memberships/orgs/{}", owner.owner), image))
        });
        if let Some(finding) = odd {
            findings.push(finding.subject(&owner.owner));
            continue;
        }
        let message = answer.api_message().unwrap_or_default();
        let o = &owner.owner;
        // App tokens, the job's `GITHUB_TOKEN` among them, are authorized for SSO automatically
        // (ghcr-facts §2.2).
        let job_token =
            ctx.request.ci && ctx.token.is_some_and(|t| TokenKind::of(t.expose()) == TokenKind::AppInstallation);
        let finding = match answer.status {
            200 if job_token => Finding::pass(
                Msg::new(t!(
                    "`{owner}` is an organization; the job's installation token needs no SSO authorization (tokens created by apps are authorized automatically).",
                    "`{owner}` は組織です。ジョブのインストールトークンには SSO の承認は不要です（アプリが作成したトークンは自動的に承認されます）。"
                ))
                .arg("owner", o),
            ),
            200 => match owner.membership.done() {
                Some(m) if m.status == 200 && membership_state(m).as_deref() == Some("pending") => ctx.finding(
                    Status::Fail,
                    CauseId::OrgMembershipPending,
                    Msg::new(t!("Your invitation to `{owner}` is still pending.", "`{owner}` への招待がまだ保留中です。")).arg("owner", o),
                    image,
                ),
                Some(m) if m.status == 200 => Finding::pass(
                    Msg::new(t!("Member of `{owner}`; the token may access it.", "`{owner}` のメンバーで、トークンでアクセスできます。")).arg("owner", o),
                ),
                _ => Finding::pass(
                    Msg::new(t!(
                        "`{owner}` is an organization and the token may access it (membership not visible).",
                        "`{owner}` は組織で、トークンでアクセスできます（メンバーシップは確認できませんでした）。"
                    ))
                    .arg("owner", o),
                ),
            },
            404 => Finding::pass(
                Msg::new(t!(
                    "`{owner}` is a user account (or an organization this token cannot see): no SSO applies.",
                    "`{owner}` はユーザーアカウント（またはこのトークンからは見えない組織）のため、SSO は関係ありません。"
                ))
                .arg("owner", o),
            ),
            403 if answer.header("x-github-sso").is_some_and(|h| h.trim_start().starts_with("required")) => {
                let url = ctx.sso_url(o).unwrap_or_default();
                ctx.finding(
                    Status::Fail,
                    CauseId::SsoNotAuthorized,
                    Msg::new(t!(
                        "`{owner}` enforces SAML SSO and the token is not authorized for it. Authorize: {url}",
                        "`{owner}` は SAML SSO を必須にしていますが、トークンが承認されていません。承認用 URL：{url}"
                    ))
                    .arg("owner", o)
                    .arg("url", &url),
                    image,
                )
                .fix_arg("url", url)
            }
            403 if message.contains("OAuth App access restrictions") => ctx.finding(
                Status::Fail,
                CauseId::OauthAppRestricted,
                Msg::new(t!("`{owner}` restricts OAuth apps: {message}", "`{owner}` は OAuth アプリを制限しています：{message}"))
                    .arg("owner", o)
                    .arg("message", &message),
                image,
            ),
            403 if message.contains("forbids access via a personal access token (classic)") => ctx.finding(
                Status::Fail,
                CauseId::ClassicPatForbidden,
                Msg::new(t!("`{owner}` forbids classic personal access tokens.", "`{owner}` はクラシックの個人用アクセストークンを禁止しています。"))
                    .arg("owner", o),
                image,
            ),
            status => Finding::new(
                Status::Warn,
                Msg::new(t!("`GET /orgs/{owner}` answered HTTP {status}: {message}", "`GET /orgs/{owner}` が HTTP {status} を返しました：{message}"))
                    .arg("owner", o)
                    .arg("status", status)
                    .arg("message", &message),
            ),
        };
        findings.push(finding.subject(o.clone()));
    }
    if findings.is_empty() {
        return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。")));
    }
    Outcome::new(id, findings, vec![])
}

fn membership_state(answer: &HttpAnswer) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
    v.get("state")?.as_str().map(str::to_owned)
}
