//! The `gitlab-auth` check: which GitLab credentials this run has and where each comes from, in
//! glab's precedence (`GITLAB_TOKEN`, `GITLAB_ACCESS_TOKEN`, `OAUTH_TOKEN`, then glab's config
//! file), the credential docker sends the registry (its store, else in a GitLab job
//! `CI_REGISTRY_USER`/`CI_REGISTRY_PASSWORD` or `CI_DEPLOY_USER`/`CI_DEPLOY_PASSWORD`), and what
//! `/api/v4/personal_access_tokens/self` says of the API token (gitlab-facts §8, §10, §11). Deploy
//! and job tokens cannot be verified through the API: `registry-access` asks `/jwt/auth`.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{
    CauseId, Finding, GitlabCredentialSource, GitlabFacts, GitlabTokenKind, GlabConfigState, Msg, Outcome, Probe,
    Status, TokenSelf, t,
};

pub static CHECK: Check = Check {
    id: K::GitlabAuth,
    title: t!("GitLab credentials", "GitLab の認証情報"),
    what: t!(
        "Which GitLab token this run has and from where (`GITLAB_TOKEN`, `GITLAB_ACCESS_TOKEN`, `OAUTH_TOKEN`, glab's config; in GitLab CI the job's variables), which credential docker sends the registry, and whether GitLab knows the token as active (`GET /api/v4/personal_access_tokens/self`).",
        "この実行で使える GitLab のトークンとその出どころ（`GITLAB_TOKEN`、`GITLAB_ACCESS_TOKEN`、`OAUTH_TOKEN`、glab の設定ファイル、GitLab CI ではジョブの変数）、docker がレジストリに送る認証情報、そして GitLab がそのトークンを有効と認めているか（`GET /api/v4/personal_access_tokens/self`）を確認します。"
    ),
    why: t!(
        "With two-factor authentication GitLab's registry refuses the account password; a revoked or expired token, or a token other than the one you think, is refused with the same words.",
        "2 要素認証が有効なアカウントでは、GitLab のレジストリはアカウントのパスワードを受け付けません。失効・期限切れのトークンや、思っていたものとは別のトークンも、同じ文言で拒否されます。"
    ),
    depends_on: &[],
    in_ci: true,
    evaluate: Evaluate::Gitlab(evaluate),
};

/// Where a credential of the registry comes from, for messages.
pub(crate) fn source_text(ctx: &Ctx, source: GitlabCredentialSource) -> Msg {
    match source {
        GitlabCredentialSource::Docker => {
            Msg::new(t!("{client}'s store", "{client} の保存領域")).arg("client", ctx.facts.client.client.command())
        }
        GitlabCredentialSource::CiRegistry => {
            Msg::new(t!("`CI_REGISTRY_USER`/`CI_REGISTRY_PASSWORD`", "`CI_REGISTRY_USER`/`CI_REGISTRY_PASSWORD`"))
        }
        GitlabCredentialSource::CiDeploy => {
            Msg::new(t!("`CI_DEPLOY_USER`/`CI_DEPLOY_PASSWORD`", "`CI_DEPLOY_USER`/`CI_DEPLOY_PASSWORD`"))
        }
    }
}

fn evaluate(ctx: &Ctx, gitlab: &GitlabFacts) -> Outcome {
    let id = K::GitlabAuth;
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    if let Some(path) = &gitlab.glab_config.path {
        evidence.push(("glab_config", path.clone()));
    }
    match &gitlab.glab_config.state {
        GlabConfigState::BadMode { mode } => {
            let path = gitlab.glab_config.path.clone().unwrap_or_default();
            findings.push(
                ctx.finding(
                    Status::Warn,
                    CauseId::GlabConfigMode,
                    Msg::new(t!(
                        "glab refuses to read `{path}`: its permissions are {mode}, and glab requires 600.",
                        "glab は `{path}` を読み込みません。パーミッションが {mode} で、glab は 600 を求めるためです。"
                    ))
                    .arg("path", &path)
                    .arg("mode", format!("{mode:o}")),
                    None,
                )
                .fix_arg("glab_config", &path),
            );
        }
        GlabConfigState::Loaded { keyring: true, .. } => findings.push(Finding::pass(
            Msg::new(t!(
                "glab keeps the token for {host} in the system keyring (`glab:{host}`); ghcr-doctor does not read it.",
                "glab は {host} のトークンをシステムのキーリング（`glab:{host}`）に保存しています。ghcr-doctor はこれを読みません。"
            ))
            .arg("host", &ctx.gitlab_host().name),
        )),
        _ => {}
    }
    let api_source = match (&gitlab.env_token, gitlab.glab_config.token()) {
        (Some(e), _) => Some(format!("`{}`", e.var)),
        (None, Some(_)) => Some(format!("glab ({})", gitlab.glab_config.path.as_deref().unwrap_or("config.yml"))),
        (None, None) => None,
    };
    if let (Some(token), Some(source)) = (gitlab.api_token(), &api_source) {
        evidence.push(("api_token", token.masked()));
        let finding = api_token_finding(ctx, &gitlab.api_token_self, &token.masked(), source);
        // A bad API token that the registry does not get (docker holds another) is a warning:
        // replacing docker's working login with it would break pulls. Dropping the variable is
        // the fix then.
        let sent = gitlab.registry_credential.as_ref().is_some_and(|c| &c.secret == token);
        let finding = if finding.status == Status::Fail && finding.cause == Some(CauseId::TokenInvalid) && !sent {
            let unset = gitlab.env_token.as_ref().map(|e| crate::FixStep::Unset { var: e.var.clone() });
            Finding { status: Status::Warn, steps: unset.into_iter().collect(), ..finding }
        } else {
            finding
        };
        findings.push(finding);
    }
    match &gitlab.registry_credential {
        Some(c) => {
            let kind = c.kind();
            evidence.push(("registry_credential", format!("{} ({})", c.username, kind.as_str())));
            let text = match kind {
                GitlabTokenKind::Job => t!(
                    "The registry gets the CI/CD job token ({token}) as `{user}` from {source}: it pulls from this project and projects that allow it, and pushes only to this project.",
                    "レジストリには {source}から CI/CD ジョブトークン（{token}）が `{user}` として送られます。pull できるのはこのプロジェクトと、許可しているプロジェクトだけで、push できるのはこのプロジェクトだけです。"
                ),
                GitlabTokenKind::Deploy => t!(
                    "The registry gets a deploy token ({token}) as `{user}` from {source}; GitLab's API cannot verify deploy tokens, so `registry-access` asks the registry.",
                    "レジストリには {source}からデプロイトークン（{token}）が `{user}` として送られます。GitLab の API ではデプロイトークンを確かめられないため、`registry-access` でレジストリに問い合わせます。"
                ),
                GitlabTokenKind::Password => t!(
                    "The registry gets `{user}` with a secret that is not token-shaped ({token}) from {source}: most likely an account password, which GitLab refuses for accounts with two-factor authentication.",
                    "レジストリには {source}から `{user}` と、トークンの形をしていない秘密情報（{token}）が送られます。アカウントのパスワードである可能性が高く、2 要素認証が有効なアカウントでは GitLab に拒否されます。"
                ),
                GitlabTokenKind::Personal => t!(
                    "The registry gets an access token ({token}) as `{user}` from {source}.",
                    "レジストリには {source}からアクセストークン（{token}）が `{user}` として送られます。"
                ),
            };
            findings.push(Finding::pass(
                Msg::new(text)
                    .arg("token", c.secret.masked())
                    .arg("user", &c.username)
                    .arg_msg("source", source_text(ctx, c.source)),
            ));
        }
        None if api_source.is_none() => findings.push(ctx.finding(
            Status::Warn,
            CauseId::NoCredentials,
            Msg::new(t!(
                "No GitLab credential: no token variable, no token in glab's config, and {client} holds nothing for `{registry}`. Only public images can be pulled.",
                "GitLab の認証情報がありません。トークンの環境変数も glab の設定ファイルのトークンもなく、{client} も `{registry}` 用の認証情報を保存していません。pull できるのは公開イメージだけです。"
            ))
            .arg("client", ctx.facts.client.client.command())
            .arg("registry", ctx.request.registry_host()),
            None,
        )),
        None => findings.push(Finding::new(
            Status::Warn,
            Msg::new(t!(
                "{client} holds nothing for `{registry}`: the registry gets no credential until you log {client} in.",
                "{client} は `{registry}` 用の認証情報を保存していません。{client} にログインするまで、レジストリには認証情報が送られません。"
            ))
            .arg("client", ctx.facts.client.client.command())
            .arg("registry", ctx.request.registry_host()),
        )),
    }
    Outcome::new(id, findings, evidence)
}

/// What `/personal_access_tokens/self` said of the API token.
fn api_token_finding(ctx: &Ctx, answer: &Probe<crate::HttpAnswer>, masked: &str, source: &str) -> Finding {
    let answer = match answer {
        Probe::Done(a) => a,
        Probe::Failed(e) => return ctx.probe_failure(e, "GET /api/v4/personal_access_tokens/self", None),
        Probe::Skipped => {
            return Finding::pass(
                Msg::new(t!(
                    "The token from {source} ({token}) was not asked about.",
                    "{source}のトークン（{token}）は確認していません。"
                ))
                .arg("source", source)
                .arg("token", masked),
            );
        }
    };
    if let Some(f) = ctx.unexpected(answer, true, "GET /api/v4/personal_access_tokens/self", None) {
        return f;
    }
    match TokenSelf::parse(answer) {
        TokenSelf::Token { name, scopes, active: true, revoked: false, expires_at } => Finding::pass(
            Msg::new(t!(
                "The token from {source} ({token}) is `{name}`, active, with scopes `{scopes}`{expiry}.",
                "{source}のトークン（{token}）は `{name}` で有効です。スコープは `{scopes}` です{expiry}。"
            ))
            .arg("source", source)
            .arg("token", masked)
            .arg("name", name)
            .arg("scopes", scopes.join(", "))
            .arg_msg(
                "expiry",
                match expires_at {
                    Some(date) => Msg::new(t!(" (expires on {date})", "（有効期限は {date}）")).arg("date", date),
                    None => Msg::new(t!("", "")),
                },
            ),
        ),
        TokenSelf::Token { .. } | TokenSelf::Invalid { .. } | TokenSelf::Unknown => {
            let detail = match TokenSelf::parse(answer) {
                TokenSelf::Invalid { description } => description,
                TokenSelf::Unknown => "401 Unauthorized".into(),
                _ => "inactive".into(),
            };
            ctx.finding(
                Status::Fail,
                CauseId::TokenInvalid,
                Msg::new(t!(
                    "GitLab does not accept the token from {source} ({token}): `{detail}` (revoked, expired or unknown).",
                    "GitLab は{source}のトークン（{token}）を受け付けませんでした：`{detail}`（失効、期限切れ、または存在しないトークンです）。"
                ))
                .arg("source", source)
                .arg("token", masked)
                .arg("detail", detail),
                None,
            )
        }
        TokenSelf::NotPersonal => Finding::pass(
            Msg::new(t!(
                "The token from {source} ({token}) is not a personal access token (an OAuth token, as `glab auth login` in the browser makes); its scopes cannot be read.",
                "{source}のトークン（{token}）は個人用アクセストークンではありません（ブラウザーでの `glab auth login` が作る OAuth トークンです）。スコープは読み取れません。"
            ))
            .arg("source", source)
            .arg("token", masked),
        ),
        TokenSelf::Other { status } => ctx.finding(
            Status::Fail,
            CauseId::UnexpectedResponse,
            Msg::new(t!(
                "`GET /api/v4/personal_access_tokens/self` answered HTTP {status}, which GitLab does not document for it.",
                "`GET /api/v4/personal_access_tokens/self` が HTTP {status} を返しました。GitLab がこのエンドポイントについて文書化していない応答です。"
            ))
            .arg("status", status),
            None,
        ),
    }
}
