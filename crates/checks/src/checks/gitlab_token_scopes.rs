//! The `token-scopes` check for GitLab: the scopes `/api/v4/personal_access_tokens/self` reports
//! for the token the registry gets, against what pulling or pushing needs (gitlab-facts §3.1:
//! `read_registry`, `read_api` or `api` to pull; `write_registry` or `api` as well to push). For a
//! CI/CD job token it says before the push what the token may do: push only to the job's own
//! project (§10, §13: pushing there works, whatever some docs say).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{
    Access, CauseId, Finding, GitlabFacts, GitlabTokenKind, Msg, Outcome, Probe, Status, TokenSelf, scope_allows, t,
};

pub static CHECK: Check = Check {
    id: K::TokenScopes,
    title: t!("Token scopes", "トークンのスコープ"),
    what: t!(
        "The scopes GitLab reports for the token the registry gets (`read_registry`, or `read_api`/`api`, to pull; `write_registry` or `api` as well to push); for a CI/CD job token, whether the images are in the job's own project.",
        "レジストリに送られるトークンについて GitLab が返すスコープ（pull には `read_registry`、または `read_api`/`api`、push にはさらに `write_registry` か `api`）を確認します。CI/CD ジョブトークンの場合は、イメージがジョブ自身のプロジェクトにあるかを確認します。"
    ),
    why: t!(
        "`docker login` succeeds with a token that cannot pull or push, so a missing scope shows up only at pull or push time, as a generic `denied`.",
        "pull も push もできないトークンでも `docker login` は成功するため、スコープ不足は pull や push のときに、一般的な `denied` として初めて表に出ます。"
    ),
    depends_on: &[K::GitlabAuth],
    in_ci: true,
    evaluate: Evaluate::Gitlab(evaluate),
};

/// Whether the image is in the job's own project (`CI_PROJECT_PATH`): its repository path is the
/// project path or below it.
pub(crate) fn in_job_project(image: &crate::ImageRef, project: &str) -> bool {
    let repository = image.repository().to_ascii_lowercase();
    let project = project.trim_matches('/').to_ascii_lowercase();
    repository == project || repository.starts_with(&format!("{project}/"))
}

fn evaluate(ctx: &Ctx, gitlab: &GitlabFacts) -> Outcome {
    let id = K::TokenScopes;
    let Some(credential) = &gitlab.registry_credential else {
        return Outcome::skipped(
            id,
            Msg::new(t!("No registry credential to look at.", "確認するレジストリの認証情報がありません。")),
        );
    };
    let access = ctx.request.access;
    match credential.kind() {
        GitlabTokenKind::Job => {
            let project = gitlab.ci.as_ref().and_then(|c| c.project_path.clone());
            let mut findings = Vec::new();
            if let (Access::Push, Some(project)) = (access, &project) {
                for image in ctx.request.images.iter().filter(|i| !in_job_project(i, project)) {
                    let msg = Msg::new(t!(
                        "`{image}` is not in this job's project `{project}`: the job token pushes only to its own project, so this push will be refused.",
                        "`{image}` はこのジョブのプロジェクト `{project}` にありません。ジョブトークンが push できるのは自分のプロジェクトだけなので、この push は拒否されます。"
                    ))
                    .arg("image", image)
                    .arg("project", project);
                    findings.push(
                        ctx.finding(Status::Fail, CauseId::JobTokenOtherProject, msg, Some(image))
                            .subject(image.to_string()),
                    );
                }
            }
            if findings.is_empty() {
                findings.push(Finding::pass(
                    Msg::new(t!(
                        "A CI/CD job token has no scopes: it pulls from `{project}` and from projects whose job token allowlist names it, and pushes to `{project}` only.",
                        "CI/CD ジョブトークンにスコープはありません。pull できるのは `{project}` と、ジョブトークンの許可リストにこのプロジェクトを登録しているプロジェクトで、push できるのは `{project}` だけです。"
                    ))
                    .arg("project", project.as_deref().unwrap_or("CI_PROJECT_PATH")),
                ));
            }
            Outcome::new(id, findings, vec![])
        }
        GitlabTokenKind::Deploy | GitlabTokenKind::Password => Outcome::skipped(
            id,
            Msg::new(t!(
                "GitLab's API cannot say what a {kind} may do; `registry-access` reads what `/jwt/auth` grants.",
                "{kind}で何ができるかは GitLab の API では確かめられません。`registry-access` で `/jwt/auth` が与える権限を確認します。"
            ))
            .arg_msg("kind", Msg::new(credential.kind().title())),
        ),
        GitlabTokenKind::Personal => {
            let answer = if gitlab.api_token() == Some(&credential.secret) {
                &gitlab.api_token_self
            } else {
                &gitlab.registry_token_self
            };
            let answer = match answer {
                Probe::Done(a) => a,
                Probe::Failed(e) => {
                    return Outcome::new(
                        id,
                        vec![ctx.probe_failure(e, "GET /api/v4/personal_access_tokens/self", None)],
                        vec![],
                    );
                }
                Probe::Skipped => {
                    return Outcome::skipped(id, Msg::new(t!("The token was not asked about.", "トークンは確認していません。")));
                }
            };
            let token = TokenSelf::parse(answer);
            let Some(scopes) = token.scopes() else {
                return Outcome::skipped(
                    id,
                    Msg::new(t!(
                        "GitLab does not report scopes for this token (HTTP {status}).",
                        "GitLab はこのトークンのスコープを返しませんでした（HTTP {status}）。"
                    ))
                    .arg("status", answer.status),
                );
            };
            let evidence = vec![("scopes", scopes.join(", "))];
            let needed = match access {
                Access::Pull => "read_registry",
                Access::Push => "read_registry, write_registry",
            };
            let finding = if scope_allows(scopes, access) {
                Finding::pass(
                    Msg::new(t!(
                        "The token ({token}) has `{scopes}`, enough to {access}.",
                        "トークン（{token}）には `{scopes}` があり、{access} に十分です。"
                    ))
                    .arg("token", credential.secret.masked())
                    .arg("scopes", scopes.join(", "))
                    .arg("access", access_word(access)),
                )
            } else {
                ctx.finding(
                    Status::Fail,
                    CauseId::MissingRegistryScope,
                    Msg::new(t!(
                        "The access token ({token}) has `{scopes}` but no scope that lets it {access}: it needs `{needed}` (or `api`).",
                        "アクセストークン（{token}）には `{scopes}` がありますが、{access} できるスコープがありません。`{needed}`（または `api`）が必要です。"
                    ))
                    .arg("token", credential.secret.masked())
                    .arg("scopes", if scopes.is_empty() { "-".to_owned() } else { scopes.join(", ") })
                    .arg("access", access_word(access))
                    .arg("needed", needed),
                    None,
                )
            };
            Outcome::new(id, vec![finding], evidence)
        }
    }
}

fn access_word(access: Access) -> &'static str {
    match access {
        Access::Pull => "pull",
        Access::Push => "push",
    }
}
