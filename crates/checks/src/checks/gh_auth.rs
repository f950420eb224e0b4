//! The `gh-auth` check: the token gh (or the environment) yields, where it comes from, and whether
//! GitHub accepts it.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{CauseId, CheckId, Finding, GhTokenAnswer, GithubFacts, Msg, Outcome, Probe, Status, TokenKind, t};

pub static CHECK: Check = Check {
    id: K::GhAuth,
    title: t!("GitHub login", "GitHub へのログイン"),
    what: t!(
        "`gh auth token --hostname HOST` yields a token, where it comes from (an environment variable or gh's stored login), and `GET /user` accepts it; the login it returns fills in the fix commands.",
        "`gh auth token --hostname HOST` でトークンが得られるか、そのトークンがどこから来ているか（環境変数か gh に保存されたログインか）、`GET /user` がそれを受け付けるかを確認します。返ってきたログイン名は修正コマンドに使われます。"
    ),
    why: t!(
        "Without a valid token nothing else can work, and an old token exported in the shell silently wins over gh's login.",
        "有効なトークンがなければ何も動きません。また、シェルで export した古いトークンは、gh のログインよりも黙って優先されます。"
    ),
    depends_on: &[K::GhInstalled],
    in_ci: true,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, gh: &GithubFacts) -> Outcome {
    let id = CheckId::GhAuth;
    let host = ctx.request.forge.host_name();
    let tokens = match &gh.gh_token {
        Probe::Done(t) => t,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "gh auth token", None)], vec![]),
        Probe::Skipped if ctx.request.ci => {
            return Outcome::skipped(
                id,
                Msg::new(t!(
                    "No token in the job's environment (`GITHUB_TOKEN`, `GH_TOKEN`); `registry-access` checks with docker's login (`docker/login-action`).",
                    "ジョブの環境変数にトークン（`GITHUB_TOKEN`、`GH_TOKEN`）がありません。`registry-access` は docker のログイン（`docker/login-action`）で確認します。"
                )),
            );
        }
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let token = match &tokens.effective {
        GhTokenAnswer::Token(t) => t,
        GhTokenAnswer::Failed(e) => {
            return Outcome::new(id, vec![ctx.probe_failure(e, "gh auth token", None)], vec![]);
        }
        GhTokenAnswer::NoToken { message } => {
            let msg = if ctx.request.ci {
                Msg::new(t!(
                    "No token for {host}: set `GITHUB_TOKEN` (or `GH_TOKEN`) in the job's environment.",
                    "{host} のトークンがありません。ジョブの環境変数に `GITHUB_TOKEN`（または `GH_TOKEN`）を設定してください。"
                ))
            } else {
                Msg::new(t!(
                    "gh has no token for {host} (gh said: `{said}`).",
                    "gh に {host} のトークンがありません（gh の出力：`{said}`）。"
                ))
            };
            let msg = msg.arg("host", host).arg("said", message.lines().next().unwrap_or(""));
            return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::NotLoggedIn, msg, None)], vec![]);
        }
    };
    let source = ctx.token_var.map_or_else(|| "gh".into(), str::to_owned);
    let mut evidence = vec![("token", token.masked()), ("source", source.clone())];
    let mut findings = Vec::new();
    match &gh.api_user {
        Probe::Done(a) if a.status == 200 => {
            let login = ctx.login.clone().unwrap_or_default();
            evidence.push(("login", login.clone()));
            findings.push(Finding::pass(
                Msg::new(t!(
                    "Logged in to {host} as `{login}` ({token}, from {source}).",
                    "{host} に `{login}` としてログインしています（{token}、{source} から）。"
                ))
                .arg("host", host)
                .arg("login", login)
                .arg("token", token.masked())
                .arg("source", &source),
            ));
        }
        Probe::Done(a) if a.status == 401 => findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::TokenInvalid,
                Msg::new(t!(
                    "GitHub rejected the token from {source} ({token}): `401 Bad credentials`.",
                    "GitHub は {source} のトークン（{token}）を拒否しました：`401 Bad credentials`。"
                ))
                .arg("source", &source)
                .arg("token", token.masked()),
                None,
            ),
        ),
        // An installation token (Actions' `GITHUB_TOKEN`) belongs to no user: `/user` refuses it
        // with `Resource not accessible by integration`, and the registry is asked directly.
        Probe::Done(a) if a.status == 403 && TokenKind::of(token.expose()) == TokenKind::AppInstallation => {
            findings.push(Finding::pass(
                Msg::new(t!(
                    "The job's installation token ({token}, from {source}); it belongs to no user, so `GET /user` does not answer for it and `registry-access` asks the registry itself.",
                    "ジョブのインストールトークン（{token}、{source} から）です。ユーザーのトークンではないため `GET /user` には答えません。アクセス権は `registry-access` でレジストリに直接確認します。"
                ))
                .arg("token", token.masked())
                .arg("source", &source),
            ));
        }
        Probe::Done(a) => findings.push(Finding::new(
            Status::Fail,
            Msg::new(t!(
                "`GET /user` answered HTTP {status}: {message}",
                "`GET /user` が HTTP {status} を返しました：{message}"
            ))
            .arg("status", a.status)
            .arg("message", a.api_message().unwrap_or_default()),
        )),
        Probe::Failed(e) => findings.push(ctx.probe_failure(e, &format!("{}user", ctx.github_host().api_base()), None)),
        Probe::Skipped => {}
    }
    if let (Some(var), Some(GhTokenAnswer::Token(stored))) = (ctx.token_var, &tokens.stored)
        && stored != token
    {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::EnvTokenOverride,
                Msg::new(t!(
                    "`{var}` ({token}) is used instead of gh's stored login ({stored}).",
                    "gh に保存されたログイン（{stored}）ではなく、`{var}`（{token}）が使われています。"
                ))
                .arg("var", var)
                .arg("token", token.masked())
                .arg("stored", stored.masked()),
                None,
            ),
        );
    }
    Outcome::new(id, findings, evidence)
}
