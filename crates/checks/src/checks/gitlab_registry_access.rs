//! The `registry-access` check for GitLab, per image: the token `/jwt/auth` gives for the
//! credentials docker would send, the JWT's `access` claim compared with the actions needed, then
//! the manifest (gitlab-facts §2–§6). GitLab answers a refused scope with 200 and fewer (or no)
//! actions, so no access, a missing project and a disabled registry look alike; only
//! `GET /api/v4/projects/:path` with `read_api` tells them apart (§13), and the finding says when
//! it could not.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::checks::gitlab_auth::source_text;
use crate::checks::gitlab_token_scopes::in_job_project;
use crate::checks::registry_access::manifest_finding;
use crate::ctx::Ctx;
use crate::{
    Access, CauseId, Finding, GitlabCredential, GitlabCredentialSource, GitlabFacts, GitlabTokenKind, HttpAnswer,
    ImageFacts, ImageRef, Msg, Outcome, Probe, RegistryGrant, Status, Text, TokenSelf, scope_allows, t,
};

pub static CHECK: Check = Check {
    id: K::RegistryAccess,
    title: t!("Access to the team's images", "チームのイメージへのアクセス"),
    what: t!(
        "For each image: the token GitLab's `/jwt/auth` issues for the credentials docker would send, the actions it grants (`pull`, and `push` to push), and the manifest.",
        "イメージごとに、docker が送る認証情報に対して GitLab の `/jwt/auth` が発行するトークン、そのトークンが与える操作（`pull`、push するなら `push` も）、そしてマニフェストを確認します。"
    ),
    why: t!(
        "GitLab issues a token even when it grants nothing, and the registry then answers only `denied: requested access to the resource is denied`: the grant says which of the causes it is.",
        "GitLab は何の権限も与えない場合でもトークンを発行し、レジストリは `denied: requested access to the resource is denied` としか返しません。与えられた権限を見れば、原因がどれかが分かります。"
    ),
    depends_on: &[K::GitlabHost],
    in_ci: true,
    evaluate: Evaluate::Gitlab(evaluate),
};

fn evaluate(ctx: &Ctx, gitlab: &GitlabFacts) -> Outcome {
    let id = K::RegistryAccess;
    if ctx.request.images.is_empty() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "No images given: pass one (`ghcr-doctor check registry.gitlab.com/GROUP/PROJECT:TAG`) or list `images` in ghcr-doctor.toml.",
                "イメージが指定されていません。引数で指定するか（`ghcr-doctor check registry.gitlab.com/GROUP/PROJECT:TAG`）、ghcr-doctor.toml の `images` に書いてください。"
            )),
        );
    }
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    for (i, (image, facts)) in ctx.request.images.iter().zip(&ctx.facts.images).enumerate() {
        let project = gitlab.projects.get(i).unwrap_or(&Probe::Skipped);
        if let Some(grant) = facts.credential_token.done().and_then(|a| RegistryGrant::of(a, &image.repository())) {
            evidence.push(("granted", format!("{image}: [{}]", grant.actions.join(", "))));
        }
        findings.extend(
            image_findings(ctx, gitlab, image, facts, project).into_iter().map(|f| f.subject(image.to_string())),
        );
    }
    Outcome::new(id, findings, evidence)
}

/// The scopes GitLab reported for the registry credential, when it is a personal token it knows.
fn credential_scopes(gitlab: &GitlabFacts, c: &GitlabCredential) -> Option<TokenSelf> {
    let answer =
        if gitlab.api_token() == Some(&c.secret) { &gitlab.api_token_self } else { &gitlab.registry_token_self };
    answer.done().map(TokenSelf::parse)
}

fn image_findings(
    ctx: &Ctx,
    gitlab: &GitlabFacts,
    image: &ImageRef,
    f: &ImageFacts,
    project: &Probe<HttpAnswer>,
) -> Vec<Finding> {
    let Some(credential) = &gitlab.registry_credential else {
        return vec![anonymous_finding(ctx, image, f)];
    };
    let answer = match &f.credential_token {
        Probe::Done(a) => a,
        Probe::Failed(e) => return vec![ctx.probe_failure(e, "GET /jwt/auth", Some(image))],
        Probe::Skipped => {
            return vec![Finding::new(
                Status::Warn,
                Msg::new(t!("`{image}` was not asked about.", "`{image}` は確認していません。")).arg("image", image),
            )];
        }
    };
    let msg = |text: Text| {
        Msg::new(text)
            .arg("image", image)
            .arg("registry", &image.registry)
            .arg("user", &credential.username)
            .arg("token", credential.secret.masked())
            .arg_msg("kind", Msg::new(credential.kind().title()))
            .arg_msg("source", source_text(ctx, credential.source))
            .arg("client", ctx.facts.client.client.command())
    };
    let fail = |cause, text| vec![ctx.finding(Status::Fail, cause, msg(text), Some(image))];
    let scopes = credential_scopes(gitlab, credential);
    match answer.status {
        401 => match (credential.kind(), credential.source) {
            (GitlabTokenKind::Password, _) => fail(
                CauseId::GitlabTwoFactorPassword,
                t!(
                    "GitLab refused `{user}` with the secret from {source} (`HTTP Basic: Access denied`). It is not token-shaped, so it is most likely the account password: with two-factor authentication on, GitLab refuses even the right one, exactly as a wrong one.",
                    "GitLab は{source}の `{user}` と秘密情報を拒否しました（`HTTP Basic: Access denied`）。トークンの形をしていないため、アカウントのパスワードである可能性が高いです。2 要素認証が有効なアカウントでは、正しいパスワードでも、間違ったパスワードと同じように拒否されます。"
                ),
            ),
            (_, GitlabCredentialSource::Docker) => fail(
                CauseId::StaleCredentials,
                t!(
                    "GitLab refuses the {kind} ({token}) {client} holds for `{registry}` (`HTTP Basic: Access denied`): it was revoked, has expired, or is not the one you think. {client} sends it even for public images, so every pull fails.",
                    "{client} が `{registry}` 用に保存している{kind}（{token}）を GitLab が拒否しました（`HTTP Basic: Access denied`）。失効したか、期限が切れたか、思っているものとは別のトークンです。{client} は公開イメージでもこれを送るため、すべての pull が失敗します。"
                ),
            ),
            _ => fail(
                CauseId::TokenInvalid,
                t!(
                    "GitLab refuses the {kind} ({token}) from {source} (`HTTP Basic: Access denied`): it was revoked, has expired (a job token ends with its job), or the user name does not match it.",
                    "GitLab は{source}の{kind}（{token}）を拒否しました（`HTTP Basic: Access denied`）。失効したか、期限が切れたか（ジョブトークンはジョブの終了とともに無効になります）、ユーザー名が合っていません。"
                ),
            ),
        },
        403 if answer.registry_errors().iter().any(|(_, m)| m.contains("protected repository path")) => fail(
            CauseId::NoWriteAccess,
            t!(
                "GitLab forbids pushing to `{image}`: the repository path is protected (`Pushing to protected repository path forbidden`), and your role is below the one it requires.",
                "GitLab は `{image}` への push を禁止しました。リポジトリのパスが保護されており（`Pushing to protected repository path forbidden`）、あなたのロールが必要なロールに届いていません。"
            ),
        ),
        403 => {
            let known_good = scopes.as_ref().and_then(TokenSelf::scopes).is_some_and(|s| scope_allows(s, Access::Pull));
            if known_good {
                fail(
                    CauseId::GitlabAccessForbidden,
                    t!(
                        "`/jwt/auth` answered `access forbidden`, as to a login without credentials, although GitLab's API knows the token ({token}) as active with a registry scope: something between you and GitLab (a proxy) drops the `Authorization` header.",
                        "GitLab の API ではトークン（{token}）がレジストリのスコープ付きで有効と確認できたのに、`/jwt/auth` は認証情報なしのログインと同じ `access forbidden` を返しました。あなたと GitLab の間にあるもの（プロキシ）が `Authorization` ヘッダーを取り除いています。"
                    ),
                )
            } else {
                fail(
                    CauseId::MissingRegistryScope,
                    t!(
                        "`/jwt/auth` answered `access forbidden` for the {kind} ({token}): it has no scope that reaches the registry (`read_registry`, `write_registry`, `read_api` or `api`).",
                        "`/jwt/auth` は{kind}（{token}）に `access forbidden` を返しました。レジストリに届くスコープ（`read_registry`、`write_registry`、`read_api`、`api`）がありません。"
                    ),
                )
            }
        }
        404 => fail(
            CauseId::RegistryUnavailable,
            t!(
                "GitLab answered `registry not enabled`: the container registry is turned off on this GitLab instance.",
                "GitLab は `registry not enabled` を返しました。この GitLab インスタンスではコンテナレジストリが無効になっています。"
            ),
        ),
        200 => granted_findings(ctx, gitlab, image, f, project, credential, scopes.as_ref(), &msg),
        status => fail(
            CauseId::UnexpectedResponse,
            t!(
                "`/jwt/auth` answered HTTP {status}, which GitLab does not send.",
                "`/jwt/auth` が HTTP {status} を返しました。GitLab が返さない応答です。"
            ),
        )
        .into_iter()
        .map(|f| Finding { message: f.message.arg("status", status), ..f })
        .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn granted_findings(
    ctx: &Ctx,
    gitlab: &GitlabFacts,
    image: &ImageRef,
    f: &ImageFacts,
    project: &Probe<HttpAnswer>,
    credential: &GitlabCredential,
    scopes: Option<&TokenSelf>,
    msg: &dyn Fn(Text) -> Msg,
) -> Vec<Finding> {
    let repository = image.repository();
    let grant = f.credential_token.done().and_then(|a| RegistryGrant::of(a, &repository));
    let fail = |cause, text| vec![ctx.finding(Status::Fail, cause, msg(text), Some(image))];
    let kind = credential.kind();
    let job_project = gitlab.ci.as_ref().and_then(|c| c.project_path.clone());
    let outside_job = kind == GitlabTokenKind::Job && job_project.as_deref().is_some_and(|p| !in_job_project(image, p));
    let known_scopes = scopes.and_then(TokenSelf::scopes);
    if !grant.as_ref().is_some_and(|g| g.allows("pull")) {
        if outside_job {
            return fail(
                CauseId::JobTokenNotAllowed,
                t!(
                    "GitLab issued a token that grants nothing on `{image}` to this job's token: the image's project does not list this job's project in its CI/CD job token allowlist (or the pipeline user cannot read it).",
                    "GitLab はこのジョブのトークンに、`{image}` に対して何の権限もないトークンを発行しました。イメージのプロジェクトの CI/CD ジョブトークン許可リストにこのジョブのプロジェクトが登録されていません（またはパイプラインのユーザーにそのプロジェクトの閲覧権限がありません）。"
                ),
            );
        }
        if known_scopes.is_some_and(|s| !scope_allows(s, Access::Pull)) {
            return fail(
                CauseId::MissingRegistryScope,
                t!(
                    "GitLab issued a token that grants nothing on `{image}`: the {kind} ({token}) has no scope that lets it pull (`read_registry`, `read_api` or `api`).",
                    "GitLab は `{image}` に対して何の権限もないトークンを発行しました。{kind}（{token}）に pull できるスコープ（`read_registry`、`read_api`、`api`）がありません。"
                ),
            );
        }
        return vec![no_access_finding(ctx, image, project, msg)];
    }
    if ctx.request.access == Access::Push {
        let push = f.push_token.done();
        let push_grant = push.and_then(|a| RegistryGrant::of(a, &repository));
        if !push_grant.as_ref().is_some_and(|g| g.allows("push")) {
            if kind == GitlabTokenKind::Job && (outside_job || job_project.is_none()) {
                return fail(
                    CauseId::JobTokenOtherProject,
                    t!(
                        "The job token may pull `{image}` but not push it: a CI/CD job token pushes only to its own project's registry.",
                        "ジョブトークンで `{image}` を pull することはできますが、push はできません。CI/CD ジョブトークンが push できるのは、自分のプロジェクトのレジストリだけです。"
                    ),
                );
            }
            if known_scopes.is_some_and(|s| !scope_allows(s, Access::Push)) {
                return fail(
                    CauseId::MissingRegistryScope,
                    t!(
                        "The {kind} ({token}) may pull `{image}` but not push it: it lacks `write_registry` (or `api`).",
                        "{kind}（{token}）で `{image}` を pull することはできますが、push はできません。`write_registry`（または `api`）がありません。"
                    ),
                );
            }
            if push.is_some_and(|a| a.registry_errors().iter().any(|(_, m)| m.contains("protected repository path"))) {
                return fail(
                    CauseId::NoWriteAccess,
                    t!(
                        "GitLab forbids pushing to `{image}`: the repository path is protected (`Pushing to protected repository path forbidden`).",
                        "GitLab は `{image}` への push を禁止しました。リポジトリのパスが保護されています（`Pushing to protected repository path forbidden`）。"
                    ),
                );
            }
            return fail(
                CauseId::NoWriteAccess,
                t!(
                    "GitLab lets `{user}` pull `{image}` but not push it: pushing needs at least the Developer role in the project (or a deploy token with `write_registry`).",
                    "GitLab は `{user}` に `{image}` の pull を許可していますが、push は許可していません。push にはプロジェクトの Developer 以上のロール（またはデプロイトークンの `write_registry`）が必要です。"
                ),
            );
        }
    }
    // Pushing a new tag is the usual push: the grant decides, and a missing manifest is expected.
    let new_tag = ctx.request.access == Access::Push && f.manifest.done().is_some_and(|m| m.status == 404);
    let mut findings = vec![if new_tag {
        Finding::pass(msg(t!(
            "GitLab lets the {kind} ({token}) push `{image}`; the tag does not exist yet, and the push creates it.",
            "{kind}（{token}）で `{image}` に push できます。タグはまだ存在しませんが、push によって作成されます。"
        )))
    } else {
        manifest_finding(ctx, image, f, false)
    }];
    if let Some(lifetime) = grant.and_then(|g| g.lifetime_s).filter(|s| ctx.request.access == Access::Push && *s <= 300)
    {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::RegistryTokenExpired,
                Msg::new(t!(
                    "GitLab's registry tokens here last {minutes} minutes (`exp - iat` of the token; GitLab sends no `expires_in`): a push that takes longer fails midway with `unauthorized: authentication required`.",
                    "ここでの GitLab のレジストリトークンの有効期間は {minutes} 分です（トークンの `exp - iat`。GitLab は `expires_in` を返しません）。それより長くかかる push は、途中で `unauthorized: authentication required` により失敗します。"
                ))
                .arg("minutes", lifetime / 60),
                Some(image),
            ),
        );
    }
    findings
}

/// A grant of nothing that the token's scopes do not explain: no access, a missing project or a
/// disabled registry, told apart by the projects API when it was asked.
fn no_access_finding(ctx: &Ctx, image: &ImageRef, project: &Probe<HttpAnswer>, msg: &dyn Fn(Text) -> Msg) -> Finding {
    let text = match project.done() {
        Some(a) if a.status == 404 => t!(
            "GitLab issued a token that grants nothing on `{image}`, and the projects API does not find its project (`404 Project Not Found`): the path is wrong, or `{user}` cannot see the project.",
            "GitLab は `{image}` に対して何の権限もないトークンを発行しました。また、プロジェクトの API でもそのプロジェクトが見つかりません（`404 Project Not Found`）。パスが間違っているか、`{user}` からプロジェクトが見えません。"
        ),
        Some(a)
            if a.status == 200
                && serde_json::from_str::<serde_json::Value>(&a.body)
                    .ok()
                    .and_then(|v| v.get("container_registry_access_level").and_then(|l| l.as_str()).map(str::to_owned))
                    .as_deref()
                    == Some("disabled") =>
        {
            t!(
                "GitLab issued a token that grants nothing on `{image}`: the project exists, but its container registry is disabled (`container_registry_access_level: disabled`).",
                "GitLab は `{image}` に対して何の権限もないトークンを発行しました。プロジェクトは存在しますが、コンテナレジストリが無効になっています（`container_registry_access_level: disabled`）。"
            )
        }
        Some(a) if a.status == 200 => t!(
            "GitLab issued a token that grants nothing on `{image}`: the project exists, but `{user}` has no role in it that may pull (private projects need at least Reporter, or a deploy token of the project).",
            "GitLab は `{image}` に対して何の権限もないトークンを発行しました。プロジェクトは存在しますが、`{user}` には pull できるロールがありません（非公開プロジェクトでは Reporter 以上のロール、またはプロジェクトのデプロイトークンが必要です）。"
        ),
        _ => t!(
            "GitLab issued a token that grants nothing on `{image}`. GitLab answers the same for no access, a project that does not exist and a disabled registry; only a token with `read_api` can tell them apart through the projects API, and none was at hand.",
            "GitLab は `{image}` に対して何の権限もないトークンを発行しました。アクセス権がない場合、プロジェクトが存在しない場合、レジストリが無効な場合のどれでも GitLab は同じ応答を返します。これらを見分けられるのは `read_api` を持つトークンでプロジェクトの API を呼んだときだけですが、そのようなトークンがありませんでした。"
        ),
    };
    ctx.finding(Status::Fail, CauseId::NoPackageAccess, msg(text), Some(image))
}

/// No credential: the anonymous token decides (public projects pull without one).
fn anonymous_finding(ctx: &Ctx, image: &ImageRef, f: &ImageFacts) -> Finding {
    let msg = |text| {
        Msg::new(text)
            .arg("image", image)
            .arg("registry", &image.registry)
            .arg("client", ctx.facts.client.client.command())
    };
    match &f.anonymous_token {
        Probe::Failed(e) => ctx.probe_failure(e, "GET /jwt/auth", Some(image)),
        Probe::Done(a) if a.status == 200 && RegistryGrant::of(a, &image.repository()).is_some_and(|g| g.allows("pull")) => {
            if ctx.request.access == Access::Push {
                ctx.finding(
                    Status::Fail,
                    CauseId::NoCredentials,
                    msg(t!(
                        "{client} holds no credential for `{registry}`: `{image}` is public, but pushing needs a login.",
                        "{client} は `{registry}` 用の認証情報を保存していません。`{image}` は公開されていますが、push にはログインが必要です。"
                    )),
                    Some(image),
                )
            } else {
                manifest_finding(ctx, image, f, true)
            }
        }
        _ => ctx.finding(
            Status::Fail,
            CauseId::NoCredentials,
            msg(t!(
                "{client} holds no credential for `{registry}`, and `{image}` is not public (`denied: access forbidden` without a login).",
                "{client} は `{registry}` 用の認証情報を保存しておらず、`{image}` は公開されていません（ログインなしでは `denied: access forbidden`）。"
            )),
            Some(image),
        ),
    }
}
