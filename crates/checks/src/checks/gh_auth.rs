//! The `gh-auth` check: the token gh (or the environment) yields, where it comes from, and whether
//! GitHub accepts it.
//!
//! In CI the token is the job's (in GitHub Actions `GITHUB_TOKEN` whatever the host kind,
//! ghcr-facts §6.3): no token means the registry is asked with docker's login alone, never a
//! `gh auth login` in a job, and an installation token is described by what the job's token may
//! do: its repository, the workflow's `packages` permission, read-only from forks, job-long.

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
    // In CI there is no login to make: without a token in the job's environment the registry is
    // asked with docker's own login (what `docker/login-action` stored).
    let no_job_token = || {
        Outcome::skipped(
            id,
            Msg::new(t!(
                "No token in the job's environment (`GITHUB_TOKEN`, `GH_TOKEN`); `registry-access` checks with docker's login (`docker/login-action`).",
                "ジョブの環境変数にトークン（`GITHUB_TOKEN`、`GH_TOKEN`）がありません。`registry-access` は docker のログイン（`docker/login-action`）で確認します。"
            )),
        )
    };
    let tokens = match &gh.gh_token {
        Probe::Done(t) => t,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "gh auth token", None)], vec![]),
        Probe::Skipped if ctx.request.ci => return no_job_token(),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let token = match &tokens.effective {
        GhTokenAnswer::Token(t) => t,
        GhTokenAnswer::Failed(e) => {
            return Outcome::new(id, vec![ctx.probe_failure(e, "gh auth token", None)], vec![]);
        }
        GhTokenAnswer::NoToken { .. } if ctx.request.ci => return no_job_token(),
        GhTokenAnswer::NoToken { message } => {
            let msg = Msg::new(t!(
                "gh has no token for {host} (gh said: `{said}`).",
                "gh に {host} のトークンがありません（gh の出力：`{said}`）。"
            ))
            .arg("host", host)
            .arg("said", message.lines().next().unwrap_or(""));
            return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::NotLoggedIn, msg, None)], vec![]);
        }
    };
    let source = ctx.token_var.map_or_else(|| "gh".into(), str::to_owned);
    let mut evidence = vec![("token", token.masked()), ("source", source.clone())];
    let mut findings = Vec::new();
    match &gh.api_user {
        Probe::Done(a) if ctx.unexpected(a, true, "GET /user", None).is_some() => {
            findings.extend(ctx.unexpected(a, true, "GET /user", None));
        }
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
        Probe::Done(a) if a.status == 401 => {
            let text = if ctx.request.ci {
                t!(
                    "GitHub rejected the job's token from {source} ({token}): `401 Bad credentials`. A job's `GITHUB_TOKEN` is valid only while its job runs (24 hours at most), so a token saved from another job no longer works; a secret holding a personal access token may have expired or been revoked: replace the secret.",
                    "GitHub はジョブの {source} のトークン（{token}）を拒否しました：`401 Bad credentials`。ジョブの `GITHUB_TOKEN` が使えるのはそのジョブの実行中（最長 24 時間）だけなので、別のジョブから保存したトークンはもう使えません。個人用アクセストークンを入れたシークレットなら、期限切れか取り消されています。シークレットを入れ替えてください。"
                )
            } else {
                t!(
                    "GitHub rejected the token from {source} ({token}): `401 Bad credentials`.",
                    "GitHub は {source} のトークン（{token}）を拒否しました：`401 Bad credentials`。"
                )
            };
            let msg = Msg::new(text).arg("source", &source).arg("token", token.masked());
            findings.push(ctx.finding(Status::Fail, CauseId::TokenInvalid, msg, None));
        }
        // An installation token (Actions' `GITHUB_TOKEN`) belongs to no user: `/user` refuses it
        // with `Resource not accessible by integration`, and the registry is asked directly.
        Probe::Done(a)
            if a.status == 403 && TokenKind::of(token.expose()) == TokenKind::AppInstallation && ctx.request.ci =>
        {
            findings.push(Finding::pass(job_token_message(ctx, token, &source)));
        }
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
        // The probe's detail names the URL really asked (an override included); this names the call.
        Probe::Failed(e) => findings.push(ctx.probe_failure(e, "GET /user", None)),
        Probe::Skipped => {}
    }
    // In a job the environment's token is the intended one: no override to warn about.
    if let (Some(var), Some(GhTokenAnswer::Token(stored)), false) = (ctx.token_var, &tokens.stored, ctx.request.ci)
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

/// What the job's installation token is (ghcr-facts §6.3): limited to the workflow's repository,
/// with the `packages` permission the workflow gives it (read-only in a pull request from a
/// fork), until the job ends.
fn job_token_message(ctx: &Ctx, token: &crate::Secret, source: &str) -> Msg {
    let actions = ctx.actions();
    let repository = match actions.and_then(|a| a.repository.clone()) {
        Some(r) => Msg::new(t!("`{repository}`", " `{repository}` ")).arg("repository", r),
        None => Msg::new(t!("the workflow's repository", "ワークフローのリポジトリ")),
    };
    let fork = match actions.filter(|a| a.is_fork_pull_request()) {
        Some(a) => Msg::new(t!(
            " (read-only in this run: a pull request from the fork `{head}`)",
            "（このフォーク `{head}` からのプルリクエストの実行では読み取り専用）"
        ))
        .arg("head", a.head_repository.as_deref().unwrap_or("?")),
        None => Msg::new(t!("", "")),
    };
    Msg::new(t!(
        "The job's installation token ({token}, from {source}): valid for {repository} only, with the `packages` permission the workflow gives it{fork}, until the job ends (24 hours at most). It belongs to no user, so `GET /user` does not answer for it; `registry-access` asks the registry what it may do.",
        "ジョブのインストールトークン（{token}、{source} から）です。使えるのは{repository}だけで、`packages` の権限はワークフローが与えたとおりです{fork}。有効なのはジョブが終わるまで（最長 24 時間）です。ユーザーのトークンではないため `GET /user` には答えません。何ができるかは `registry-access` でレジストリに直接確認します。"
    ))
    .arg("token", token.masked())
    .arg("source", source)
    .arg_msg("repository", repository)
    .arg_msg("fork", fork)
}
