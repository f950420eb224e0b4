//! The `registry-access` check: the registry's own answer for each image, asked as docker would,
//! read together with the packages API and, in Actions, with the job's environment.
//!
//! In a job the answers speak of the job: what its token may do (or that it has none, with the
//! `docker/login-action` step for the job's registry), and docker's login on a self-hosted
//! runner holding another job's token (ghcr-facts §6.4).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::parse::*;
use crate::parse::{Unexpected, unexpected};
use crate::{
    Access, CauseId, CheckId, DeclaredPermission, Finding, GithubFacts, HttpAnswer, ImageFacts, ImageRef, Msg, Outcome,
    PermissionLevel, Probe, Status, StoredCredential, TokenKind, t,
};

pub static CHECK: Check = Check {
    id: K::RegistryAccess,
    title: t!("Access to the team's images", "チームのイメージへのアクセス"),
    what: t!(
        "For each image, the registry's own answer, asked as docker would: an anonymous token request (public or not), the token request with docker's credentials, then `HEAD /v2/OWNER/NAME/manifests/TAG`; with push access also the `pull,push` token. The packages API tells a missing package from a private one.",
        "イメージごとに、docker と同じ手順でレジストリ自身の応答を確かめます。まず匿名でトークンを要求し（公開かどうか）、次に docker の認証情報でトークンを要求し、`HEAD /v2/OWNER/NAME/manifests/TAG` を送ります。push の場合は `pull,push` のトークンも要求します。パッケージ API を使って、パッケージが存在しないのか、プライベートなだけなのかも見分けます。"
    ),
    why: t!(
        "This is what `docker pull` will meet. `docker login` succeeding proves only that the token is a GitHub token, not that it may read the package.",
        "これが `docker pull` の実際の結果になります。`docker login` が成功しても、それはトークンが GitHub のトークンであることを示すだけで、パッケージを読めることの証明にはなりません。"
    ),
    depends_on: &[K::GithubHost],
    in_ci: true,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, gh: &GithubFacts) -> Outcome {
    let id = CheckId::RegistryAccess;
    if ctx.request.images.is_empty() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "No images given: pass one (`ghcr-doctor check ghcr.io/OWNER/IMAGE:TAG`) or list `images` in ghcr-doctor.toml.",
                "イメージが指定されていません。引数で指定するか（`ghcr-doctor check ghcr.io/OWNER/IMAGE:TAG`）、ghcr-doctor.toml の `images` に書いてください。"
            )),
        );
    }
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    for (i, (image, facts)) in ctx.request.images.iter().zip(&ctx.facts.images).enumerate() {
        let package = gh.packages.get(i).unwrap_or(&Probe::Skipped);
        if let Some(p) = package.done() {
            evidence.push(("package", format!("{image}: HTTP {}", p.status)));
        }
        findings.push(image_finding(ctx, gh, image, facts, package).subject(image.to_string()));
    }
    Outcome::new(id, findings, evidence)
}

fn image_finding(
    ctx: &Ctx,
    gh: &GithubFacts,
    image: &ImageRef,
    f: &ImageFacts,
    package: &Probe<HttpAnswer>,
) -> Finding {
    let finding = image_answer(ctx, gh, image, f, package);
    match foreign_job_login(ctx) {
        // Another job's token works now, for that job's repository, until that job ends.
        Some(c) if finding.status == Status::Pass => ctx.finding(
            Status::Warn,
            CauseId::StaleCredentials,
            Msg::new(t!(
                "docker's login for `{registry}` holds another job's token ({stored}), not this job's `{var}` ({token}). The registry accepts it for `{image}` now, but it carries that job's permissions and stops working when that job ends. Log in in this job with `docker/login-action` (`registry: {registry}`) before this step, and give each runner its own `DOCKER_CONFIG`.",
                "docker の `{registry}` のログインには、このジョブの `{var}`（{token}）ではなく、別のジョブのトークン（{stored}）が入っています。今は `{image}` に使えますが、権限はそのジョブのもので、そのジョブが終わると使えなくなります。このステップより前に、このジョブで `docker/login-action`（`registry: {registry}`）を使ってログインし、ランナーごとに別々の `DOCKER_CONFIG` を使ってください。"
            ))
            .arg("registry", &image.registry)
            .arg("image", image)
            .arg("stored", c.secret.masked())
            .arg("var", ctx.token_var.unwrap_or("GITHUB_TOKEN"))
            .arg("token", ctx.token.map(super::super::secret::Secret::masked).unwrap_or_default()),
            Some(image),
        ),
        _ => finding,
    }
}

/// In a job: docker's own login holds an installation token other than the job's — another
/// job's login left in the runner user's docker config (ghcr-facts §6.4).
fn foreign_job_login<'a>(ctx: &Ctx<'a>) -> Option<&'a StoredCredential> {
    let job = ctx.token.filter(|t| ctx.request.ci && TokenKind::of(t.expose()) == TokenKind::AppInstallation)?;
    ctx.docker_credential()
        .filter(|c| TokenKind::of(c.secret.expose()) == TokenKind::AppInstallation && &c.secret != job)
}

/// The job's token variable when the registry was asked with it because docker has no login yet.
fn job_credential_var(ctx: &Ctx) -> Option<String> {
    if !ctx.request.ci || ctx.docker_credential().is_some() {
        return None;
    }
    let actions = ctx.actions()?;
    actions.job_credential.as_ref()?;
    Some(actions.job_token_var.clone().unwrap_or_else(|| "GITHUB_TOKEN".into()))
}

/// In a job without any credential: how the job logs docker in to `registry`.
fn job_login_hint(registry: &str) -> Msg {
    Msg::new(t!(
        "Log docker in first with `docker/login-action` (`registry: {registry}`, `username: ${{ github.actor }}`, `password: ${{ secrets.GITHUB_TOKEN }}`), or give this step `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` in its `env:` (the ghcr-doctor Action passes its `token` input so).",
        "先に `docker/login-action`（`registry: {registry}`、`username: ${{ github.actor }}`、`password: ${{ secrets.GITHUB_TOKEN }}`）で docker にログインするか、このステップの `env:` に `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` を設定してください（ghcr-doctor の Action は `token` 入力をこの形で渡します）。"
    ))
    .arg("registry", registry)
}

/// The note on a pass through the job's token: docker itself still has to be logged in.
fn job_pass_note(ctx: &Ctx, registry: &str) -> Msg {
    match job_credential_var(ctx) {
        Some(_) => Msg::new(t!(
            " (docker has no login for `{registry}` yet; `docker/login-action` with `registry: {registry}` and this token as `password` gives it this access)",
            "（docker はまだ `{registry}` にログインしていません。`registry: {registry}` を指定し、このトークンを `password` にした `docker/login-action` でログインすると、このアクセス権になります）"
        ))
        .arg("registry", registry),
        None => Msg::new(t!("", "")),
    }
}

fn image_answer(ctx: &Ctx, gh: &GithubFacts, image: &ImageRef, f: &ImageFacts, package: &Probe<HttpAnswer>) -> Finding {
    let registry = &image.registry;
    for (probe, what) in [
        (&f.anonymous_token, "token"),
        (&f.credential_token, "token"),
        (&f.manifest, "manifest"),
        (&f.push_token, "push token"),
    ] {
        if let Probe::Failed(e) = probe {
            return ctx.probe_failure(e, &format!("{registry} {what}"), Some(image));
        }
    }
    // Answers that are not the registry's: a token endpoint's 200 keeps its body only when the
    // probe found no token in it (it empties the body when it takes one); a manifest is no page.
    let token_answers = [(&f.anonymous_token, "token"), (&f.credential_token, "token"), (&f.push_token, "push token")];
    for (answer, what) in token_answers.iter().filter_map(|(p, what)| p.done().map(|a| (a, *what))) {
        let without_token = answer.status == 200 && (!answer.body.is_empty() || answer.truncated);
        // Not `json`: the probe emptied the body of an answer it took a token from.
        let odd = unexpected(answer, false).or_else(|| without_token.then_some(Unexpected::NoToken));
        if let Some(how) = odd {
            return ctx.unexpected_finding(&how, answer.status, &format!("{registry} {what}"), Some(image));
        }
    }
    if let Some(finding) =
        f.manifest.done().and_then(|m| ctx.unexpected(m, false, &format!("{registry} manifest"), Some(image)))
    {
        return finding;
    }
    let msg = |text| {
        Msg::new(text).arg("client", ctx.facts.client.client.command()).arg("image", image).arg("registry", registry)
    };
    let anonymous_ok = f.anonymous_token.done().is_some_and(|a| a.status == 200);
    let credential = ctx.registry_credential();
    let pull = match f.credential_token.done() {
        None => {
            if anonymous_ok {
                manifest_finding(ctx, image, f, true)
            } else if ctx.request.ci {
                let m = msg(t!(
                    "`{image}` is private or does not exist, and this job has no credential for `{registry}`: docker has no login there and the job's environment has no `GITHUB_TOKEN`. {hint}",
                    "`{image}` はプライベートか存在しません。また、このジョブには `{registry}` の認証情報がありません。docker はログインしておらず、ジョブの環境変数にも `GITHUB_TOKEN` がありません。{hint}"
                ))
                .arg_msg("hint", job_login_hint(registry));
                ctx.finding(Status::Fail, CauseId::NoCredentials, m, Some(image))
            } else {
                let mut m = msg(t!(
                    "`{image}` is private or does not exist, and {client} has no credentials for `{registry}`.",
                    "`{image}` はプライベートか存在しません。また、{client} に `{registry}` の認証情報がありません。"
                ));
                if let Some(p) = package.done().filter(|p| p.status == 200) {
                    let visibility = serde_json::from_str::<serde_json::Value>(&p.body)
                        .ok()
                        .and_then(|v| v.get("visibility").and_then(|x| x.as_str()).map(str::to_owned))
                        .unwrap_or_else(|| "private".into());
                    m = msg(t!(
                        "`{image}` exists ({visibility}), and {client} has no credentials for `{registry}`.",
                        "`{image}` は存在します（{visibility}）。しかし {client} に `{registry}` の認証情報がありません。"
                    ))
                    .arg("visibility", visibility);
                }
                ctx.finding(Status::Fail, CauseId::NoCredentials, m, Some(image))
            }
        }
        Some(a) if a.status == 200 => manifest_finding(ctx, image, f, false),
        Some(a) => actions_denial(ctx, gh, image, a, Access::Pull, credential)
            .unwrap_or_else(|| denial_finding(ctx, gh, image, a, anonymous_ok, credential)),
    };
    if ctx.request.access == Access::Push && pull.status != Status::Pass {
        // A new package cannot be pulled, but the push may still create it: the push token decides.
        match (credential, f.push_token.done()) {
            (Some(_), Some(a)) if a.status == 200 => {
                if let Some(var) = job_credential_var(ctx) {
                    return Finding::pass(
                        msg(t!(
                            "The job's `{var}` can push `{image}`; it cannot be pulled yet (the tag or the package does not exist yet), and the push creates it{note}.",
                            "ジョブの `{var}` で `{image}` に push できます。まだ pull はできません（タグまたはパッケージがまだ存在しません）が、push によって作成されます{note}。"
                        ))
                        .arg("var", var)
                        .arg_msg("note", job_pass_note(ctx, registry)),
                    );
                }
                return Finding::pass(msg(t!(
                    "{client} can push `{image}`; it cannot be pulled yet (the tag or the package does not exist yet), and the push creates it.",
                    "{client} は `{image}` に push できます。まだ pull はできません（タグまたはパッケージがまだ存在しません）が、push によって作成されます。"
                )));
            }
            (Some(_), Some(a)) => {
                if let Some(finding) = actions_denial(ctx, gh, image, a, Access::Push, credential) {
                    return finding;
                }
            }
            _ => {}
        }
    }
    if pull.status != Status::Pass || ctx.request.access == Access::Pull {
        return pull;
    }
    match (credential, f.push_token.done()) {
        (None, _) if ctx.request.ci => ctx.finding(
            Status::Fail,
            CauseId::NoCredentials,
            msg(t!(
                "Pushing to `{image}` needs a login to `{registry}`, and this job has none: docker has no login there and the job's environment has no `GITHUB_TOKEN`. {hint}",
                "`{image}` に push するには `{registry}` へのログインが必要ですが、このジョブにはありません。docker はログインしておらず、ジョブの環境変数にも `GITHUB_TOKEN` がありません。{hint}"
            ))
            .arg_msg("hint", job_login_hint(registry)),
            Some(image),
        ),
        (None, _) => ctx.finding(
            Status::Fail,
            CauseId::NoCredentials,
            msg(t!(
                "Pushing to `{image}` needs {client} to be logged in to `{registry}`.",
                "`{image}` に push するには、{client} が `{registry}` にログインしている必要があります。"
            )),
            Some(image),
        ),
        (Some(_), Some(a)) if a.status == 200 => match job_credential_var(ctx) {
            Some(var) => Finding::pass(
                msg(t!(
                    "The job's `{var}` can pull and push `{image}`{note}.",
                    "ジョブの `{var}` で `{image}` を pull も push もできます{note}。"
                ))
                .arg("var", var)
                .arg_msg("note", job_pass_note(ctx, registry)),
            ),
            None => Finding::pass(msg(t!(
                "{client} can pull and push `{image}`.",
                "{client} は `{image}` を pull も push もできます。"
            ))),
        },
        (Some(c), Some(a)) => {
            if let Some(finding) = actions_denial(ctx, gh, image, a, Access::Push, credential) {
                return finding;
            }
            if foreign_job_login(ctx).is_some() && classify_denial(a) != Denial::RateLimited {
                return foreign_denial(ctx, image, a);
            }
            let cause = match classify_denial(a) {
                Denial::Scope if TokenKind::of(c.secret.expose()) == TokenKind::FineGrainedPat => {
                    CauseId::FineGrainedPat
                }
                Denial::Scope => CauseId::MissingScope,
                Denial::Installation => CauseId::ActionsTokenNoAccess,
                Denial::RateLimited => CauseId::RateLimited,
                Denial::Unauthenticated => CauseId::StaleCredentials,
                Denial::ClassicForbidden => CauseId::ClassicPatForbidden,
                Denial::Write | Denial::Generic => CauseId::NoWriteAccess,
            };
            ctx.finding(
                Status::Fail,
                cause,
                msg(t!(
                    "The registry refuses a push to `{image}`: `{said}`.",
                    "レジストリは `{image}` への push を拒否しました：`{said}`。"
                ))
                .arg("said", registry_words(a)),
                Some(image),
            )
        }
        (Some(_), None) => pull,
    }
}

pub(crate) fn manifest_finding(ctx: &Ctx, image: &ImageRef, f: &ImageFacts, anonymous: bool) -> Finding {
    let msg = |text| {
        Msg::new(text)
            .arg("client", ctx.facts.client.client.command())
            .arg("image", image)
            .arg("registry", &image.registry)
    };
    match f.manifest.done() {
        Some(m) if (200..300).contains(&m.status) => {
            if anonymous {
                Finding::pass(msg(t!("`{image}` is public; {client} pulls it without logging in.", "`{image}` は公開されているため、{client} はログインせずに pull できます。")))
            } else if let Some(var) = job_credential_var(ctx) {
                Finding::pass(
                    msg(t!("The job's `{var}` can pull `{image}`{note}.", "ジョブの `{var}` で `{image}` を pull できます{note}。"))
                        .arg("var", var)
                        .arg_msg("note", job_pass_note(ctx, &image.registry)),
                )
            } else {
                Finding::pass(msg(t!("{client} can pull `{image}` with its stored credentials.", "{client} は保存された認証情報で `{image}` を pull できます。")))
            }
        }
        Some(m) if m.status == 404 => ctx.finding(
            Status::Fail,
            CauseId::TagNotFound,
            msg(t!(
                "The registry has no manifest for `{image}` (`manifest unknown`): the tag or digest does not exist.",
                "レジストリに `{image}` のマニフェストがありません（`manifest unknown`）。タグまたはダイジェストが存在しません。"
            )),
            Some(image),
        ),
        Some(m) if m.status == 429 => ctx.finding(
            Status::Fail,
            CauseId::RateLimited,
            msg(t!("The registry rate-limits requests for `{image}` (HTTP 429).", "レジストリが `{image}` へのリクエストを制限しています（HTTP 429）。")),
            Some(image),
        ),
        Some(m) if matches!(m.status, 401 | 403) => ctx.finding(
            Status::Fail,
            CauseId::NoPackageAccess,
            msg(t!(
                "The registry gave a token but refused the manifest of `{image}` (HTTP {status}): no access to this package.",
                "レジストリはトークンを発行しましたが、`{image}` のマニフェストを拒否しました（HTTP {status}）。このパッケージへのアクセス権がありません。"
            ))
            .arg("status", m.status),
            Some(image),
        ),
        Some(m) => Finding::new(
            Status::Fail,
            msg(t!("The manifest request for `{image}` answered HTTP {status}.", "`{image}` のマニフェスト要求が HTTP {status} を返しました。")).arg("status", m.status),
        ),
        None => Finding::new(
            Status::Warn,
            msg(t!("The manifest of `{image}` was not requested.", "`{image}` のマニフェストは要求していません。")),
        ),
    }
}

fn denial_finding(
    ctx: &Ctx,
    gh: &GithubFacts,
    image: &ImageRef,
    answer: &HttpAnswer,
    anonymous_ok: bool,
    credential: Option<&StoredCredential>,
) -> Finding {
    let said = registry_words(answer);
    let msg = |text| {
        Msg::new(text)
            .arg("client", ctx.facts.client.client.command())
            .arg("image", image)
            .arg("registry", &image.registry)
            .arg("said", &said)
    };
    let secret_kind = credential.map(|c| TokenKind::of(c.secret.expose()));
    let docker_token_rejected = ctx.docker_secret_user().is_some_and(|a| a.status == 401);
    let sso_blocked = gh.owners.iter().any(|o| {
        o.owner == image.owner && o.org.done().is_some_and(|a| a.status == 403 && a.header("x-github-sso").is_some())
    });
    if foreign_job_login(ctx).is_some() && classify_denial(answer) != Denial::RateLimited {
        return foreign_denial(ctx, image, answer);
    }
    let (cause, text) = match classify_denial(answer) {
        Denial::RateLimited => (
            CauseId::RateLimited,
            t!("The registry rate-limits requests: `{said}`.", "レジストリのレート制限に達しました：`{said}`。"),
        ),
        Denial::Scope if secret_kind == Some(TokenKind::FineGrainedPat) => (
            CauseId::FineGrainedPat,
            t!(
                "The registry rejects {client}'s fine-grained token: `{said}`.",
                "レジストリが {client} の fine-grained トークンを拒否しました：`{said}`。"
            ),
        ),
        Denial::Scope => (
            CauseId::MissingScope,
            t!(
                "The registry says {client}'s token lacks the package scope: `{said}`.",
                "レジストリによると、{client} のトークンにパッケージのスコープがありません：`{said}`。"
            ),
        ),
        Denial::Unauthenticated => (
            CauseId::StaleCredentials,
            t!(
                "The registry rejects {client}'s stored credentials: `{said}`.",
                "レジストリが {client} に保存された認証情報を拒否しました：`{said}`。"
            ),
        ),
        Denial::Installation => (
            CauseId::ActionsTokenNoAccess,
            t!(
                "The registry refuses the installation token: `{said}`.",
                "レジストリがインストールトークンを拒否しました：`{said}`。"
            ),
        ),
        Denial::ClassicForbidden => (
            CauseId::ClassicPatForbidden,
            t!(
                "The registry refuses the classic token by organization policy: `{said}`.",
                "組織のポリシーにより、レジストリがクラシックトークンを拒否しました：`{said}`。"
            ),
        ),
        Denial::Write => (
            CauseId::NoWriteAccess,
            t!(
                "The registry refuses write access to `{image}`: `{said}`.",
                "レジストリが `{image}` への書き込みを拒否しました：`{said}`。"
            ),
        ),
        Denial::Generic if docker_token_rejected => (
            CauseId::StaleCredentials,
            t!(
                "The registry answers `{said}` because {client}'s stored token for `{registry}` is no longer valid.",
                "{client} が `{registry}` 用に保存しているトークンがもう有効でないため、レジストリは `{said}` を返します。"
            ),
        ),
        Denial::Generic if sso_blocked && ctx.docker_uses_gh_token() => (
            CauseId::SsoNotAuthorized,
            t!(
                "The registry answers `{said}`: the token is not authorized for `{owner}`'s SAML SSO.",
                "レジストリは `{said}` を返します。トークンが `{owner}` の SAML SSO で承認されていないためです。"
            ),
        ),
        Denial::Generic if anonymous_ok => (
            CauseId::StaleCredentials,
            t!(
                "`{image}` is public, but {client}'s stored credentials are refused (`{said}`), and {client} does not fall back to anonymous access.",
                "`{image}` は公開されていますが、{client} に保存された認証情報が拒否され（`{said}`）、{client} は匿名アクセスに切り替えません。"
            ),
        ),
        Denial::Generic => (
            CauseId::NoPackageAccess,
            t!(
                "The token is valid but the registry refuses `{image}` (`{said}`): the package is private and not shared with you, or it does not exist.",
                "トークンは有効ですが、レジストリは `{image}` を拒否しました（`{said}`）。パッケージがプライベートで共有されていないか、存在しません。"
            ),
        ),
    };
    let mut finding = ctx.finding(Status::Fail, cause, msg(text).arg("owner", &image.owner), Some(image));
    if let Some(url) = ctx.sso_url(&image.owner) {
        finding = finding.fix_arg("url", url);
    }
    finding
}

/// A refusal of the job's installation token (`GITHUB_TOKEN`), read with what the Actions
/// environment says: a fork's read-only token, a `permissions:` block without `packages`, a
/// package that does not grant the repository access, or a package the job may not create.
/// `None` when this is not an Actions token refusal (then the generic reading applies).
fn actions_denial(
    ctx: &Ctx,
    gh: &GithubFacts,
    image: &ImageRef,
    answer: &HttpAnswer,
    access: Access,
    credential: Option<&StoredCredential>,
) -> Option<Finding> {
    let actions = ctx.actions().filter(|_| ctx.request.ci)?;
    if TokenKind::of(credential?.secret.expose()) != TokenKind::AppInstallation || foreign_job_login(ctx).is_some() {
        return None;
    }
    let denial = classify_denial(answer);
    if !matches!(denial, Denial::Installation | Denial::Write | Denial::Generic) {
        return None;
    }
    let said = registry_words(answer);
    let lower = said.to_ascii_lowercase();
    let create = lower.contains("create organization package") || lower.contains("create_package");
    let needed = match access {
        Access::Pull => PermissionLevel::Read,
        Access::Push => PermissionLevel::Write,
    };
    let repository = actions.repository.clone().unwrap_or_else(|| "OWNER/REPO".into());
    let repo_owner = repository.split('/').next().unwrap_or_default().to_owned();
    let is_org = gh
        .owners
        .iter()
        .find(|o| o.owner == image.owner)
        .and_then(|o| o.org.done())
        .is_none_or(|a| a.status == 200 || a.status == 403);
    let settings = format!(
        "{}/{}/{}/packages/container/{}/settings",
        ctx.github_host().web_base(),
        if is_org { "orgs" } else { "users" },
        image.owner,
        image.name.replace('/', "%2F")
    );
    let msg = |text| {
        Msg::new(text)
            .arg("image", image)
            .arg("said", &said)
            .arg("repository", &repository)
            .arg("repo_owner", &repo_owner)
            .arg("owner", &image.owner)
            .arg("needed", needed.as_str())
            .arg("job", actions.job.as_deref().unwrap_or("?"))
            .arg("workflow", actions.workflow_path.as_deref().unwrap_or("?"))
            .arg("settings", &settings)
            .arg("role", if needed == PermissionLevel::Write { "Write" } else { "Read" })
    };
    let finding =
        |cause, message: Msg| ctx.finding(Status::Fail, cause, message, Some(image)).fix_arg("repository", &repository);

    if access == Access::Push && actions.is_fork_pull_request() {
        let head = actions.head_repository.clone().unwrap_or_else(|| "?".into());
        return Some(finding(
            CauseId::ForkPullRequest,
            msg(t!(
                "This run is a pull request from the fork `{head}`, so the job's `GITHUB_TOKEN` is read-only and the registry refuses the push to `{image}`: `{said}`.",
                "この実行はフォーク `{head}` からのプルリクエストのため、ジョブの `GITHUB_TOKEN` は読み取り専用で、レジストリは `{image}` への push を拒否しました：`{said}`。"
            ))
            .arg("head", head),
        ));
    }
    let declared = actions.declared_packages();
    let missing = match declared {
        Some(DeclaredPermission::Declared { level, job_level: true }) if level < needed => Some(
            msg(t!(
                "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): the job `{job}` in `{workflow}` has `permissions:` without `packages: {needed}` (it gives `packages: {level}`).",
                "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。`{workflow}` のジョブ `{job}` の `permissions:` に `packages: {needed}` がありません（現在は `packages: {level}` です）。"
            ))
            .arg("level", level.as_str()),
        ),
        Some(DeclaredPermission::Declared { level, job_level: false }) if level < needed => Some(
            msg(t!(
                "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): `{workflow}` has a workflow-wide `permissions:` without `packages: {needed}` (it gives `packages: {level}`), and the job `{job}` has no `permissions:` of its own.",
                "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。`{workflow}` のワークフロー全体の `permissions:` に `packages: {needed}` がなく（現在は `packages: {level}` です）、ジョブ `{job}` には独自の `permissions:` がありません。"
            ))
            .arg("level", level.as_str()),
        ),
        Some(DeclaredPermission::Default) if access == Access::Push => Some(msg(t!(
            "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): neither the job `{job}` nor `{workflow}` sets `permissions:`, so the token has the repository's default permissions, which are read-only for organizations and repositories created since February 2023.",
            "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。ジョブ `{job}` にも `{workflow}` にも `permissions:` がないため、トークンにはリポジトリの標準の権限しかありません。2023 年 2 月以降に作られた組織やリポジトリでは、標準の権限は読み取り専用です。"
        ))),
        _ => None,
    };
    if let Some(message) = missing {
        return Some(finding(CauseId::MissingPackagesPermission, message));
    }
    // The job has the permission, or the workflow could not be read: the package side decides.
    let note = match declared {
        Some(_) => Msg::new(t!("", "")),
        None => Msg::new(t!(
            " The workflow file was not readable (no checkout?), so also check that the job has `permissions: packages: {needed}`.",
            "ワークフローファイルを読めなかったため（チェックアウト前？）、ジョブに `permissions: packages: {needed}` があることも確認してください。"
        ))
        .arg("needed", needed.as_str()),
    };
    if create && access == Access::Push {
        let text = if !repo_owner.is_empty() && !repo_owner.eq_ignore_ascii_case(&image.owner) {
            t!(
                "`{image}` does not exist yet, and the job's `GITHUB_TOKEN` of `{repository}` may create packages only under `{repo_owner}`, not under `{owner}`: `{said}`.{note}",
                "`{image}` はまだ存在しません。`{repository}` のジョブの `GITHUB_TOKEN` がパッケージを作成できるのは `{repo_owner}` の下だけで、`{owner}` の下には作成できません：`{said}`。{note}"
            )
        } else {
            t!(
                "`{image}` does not exist yet, and `{owner}` does not let the workflow of `{repository}` create it: `{said}`.{note}",
                "`{image}` はまだ存在せず、`{owner}` は `{repository}` のワークフローによる作成を許可していません：`{said}`。{note}"
            )
        };
        return Some(finding(CauseId::PackageCreationForbidden, msg(text).arg_msg("note", note)));
    }
    let cause = if denial == Denial::Write { CauseId::NoWriteAccess } else { CauseId::ActionsTokenNoAccess };
    Some(finding(
        cause,
        msg(t!(
            "The registry refuses the job's `GITHUB_TOKEN` for `{image}` (`{said}`): the package is not linked to `{repository}` and does not grant it the {role} role under Manage Actions access ({settings}).{note}",
            "レジストリはジョブの `GITHUB_TOKEN` による `{image}` へのアクセスを拒否しました（`{said}`）。パッケージが `{repository}` に紐付いておらず、Manage Actions access でも {role} ロールが付与されていません（{settings}）。{note}"
        ))
        .arg_msg("note", note),
    ))
}

/// The registry refuses docker's login because it holds another job's token (ghcr-facts §6.4).
fn foreign_denial(ctx: &Ctx, image: &ImageRef, answer: &HttpAnswer) -> Finding {
    let stored = foreign_job_login(ctx).map(|c| c.secret.masked()).unwrap_or_default();
    ctx.finding(
        Status::Fail,
        CauseId::StaleCredentials,
        Msg::new(t!(
            "docker's login for `{registry}` holds another job's token ({stored}), not this job's `{var}` ({token}), and the registry refuses it: `{said}`. On a self-hosted runner a login outlives its job when the post step of `docker/login-action` did not run (a cancelled job, `logout: false`) or `docker login` ran in a `run:` step, and runners under one user share its docker config (`~/.docker/config.json`, or `$DOCKER_CONFIG`); that job's token expired with it. Log in in this job with `docker/login-action` (`registry: {registry}`) before this step, and give each runner its own `DOCKER_CONFIG`.",
            "docker の `{registry}` のログインには、このジョブの `{var}`（{token}）ではなく別のジョブのトークン（{stored}）が入っており、レジストリはそれを拒否しました：`{said}`。セルフホストランナーでは、`docker/login-action` の後処理が実行されなかったとき（ジョブのキャンセル、`logout: false`）や、`run:` ステップで `docker login` を実行したときに、ログインがジョブの後まで残ります。また、同じユーザーで動くランナーは docker の設定（`~/.docker/config.json` または `$DOCKER_CONFIG`）を共有します。そのジョブのトークンはジョブとともに期限切れになっています。このステップより前に、このジョブで `docker/login-action`（`registry: {registry}`）を使ってログインし、ランナーごとに別々の `DOCKER_CONFIG` を使ってください。"
        ))
        .arg("registry", &image.registry)
        .arg("stored", stored)
        .arg("var", ctx.token_var.unwrap_or("GITHUB_TOKEN"))
        .arg("token", ctx.token.map(super::super::secret::Secret::masked).unwrap_or_default())
        .arg("said", registry_words(answer)),
        Some(image),
    )
}
