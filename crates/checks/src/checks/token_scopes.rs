//! The `token-scopes` check: the token's kind and its `X-OAuth-Scopes` against what pulling or
//! pushing needs.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::parse::*;
use crate::{CauseId, CheckId, Finding, GithubFacts, Msg, Outcome, Status, TokenKind, packages_scope, t};

/// Scopes far beyond what pulling or pushing needs.
pub const BROAD_SCOPES: &[&str] = &["delete:packages", "admin:org", "delete_repo", "admin:enterprise", "site_admin"];

pub static CHECK: Check = Check {
    id: K::TokenScopes,
    title: t!("Token scopes", "トークンのスコープ"),
    what: t!(
        "The token's scopes (`X-OAuth-Scopes`) include `read:packages` to pull, `write:packages` to push; the token is not a fine-grained PAT; it has no far broader scopes than needed.",
        "トークンのスコープ（`X-OAuth-Scopes`）に、pull なら `read:packages`、push なら `write:packages` が含まれているか、トークンが fine-grained PAT でないか、必要以上に強いスコープが付いていないかを確認します。"
    ),
    why: t!(
        "gh's default login has no package scope, and `docker login` succeeds anyway, so the missing scope shows up only as `denied` at pull time.",
        "gh の標準のログインにはパッケージのスコープがありません。それでも `docker login` は成功するため、スコープ不足は pull のときに `denied` として初めて表に出ます。"
    ),
    depends_on: &[K::GhAuth],
    in_ci: true,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, _: &GithubFacts) -> Outcome {
    let id = CheckId::TokenScopes;
    let Some(token) = ctx.token else {
        return Outcome::skipped(id, Msg::new(t!("No token to look at.", "確認するトークンがありません。")));
    };
    let needed = packages_scope(ctx.request.access);
    let kind = TokenKind::of(token.expose());
    if kind == TokenKind::FineGrainedPat {
        let msg = Msg::new(t!(
            "The token is a fine-grained personal access token ({token}); GitHub Packages does not accept those.",
            "トークンが fine-grained の個人用アクセストークン（{token}）です。GitHub Packages はこの種類を受け付けません。"
        ))
        .arg("token", token.masked());
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::FineGrainedPat, msg, None)], vec![]);
    }
    if kind == TokenKind::AppInstallation && ctx.request.ci {
        // The job's `GITHUB_TOKEN` (ghcr-facts §6.3): the workflow's `permissions:` decide.
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "The job's token ({token}) carries permissions, not scopes: the workflow's `permissions:` decide (`packages: {level}` to {access}), and `registry-access` shows what it may do.",
                "ジョブのトークン（{token}）はスコープではなく権限（permissions）を持ちます。決めるのはワークフローの `permissions:` です（{access} には `packages: {level}`）。何ができるかは `registry-access` で確認します。"
            ))
            .arg("token", token.masked())
            .arg("level", ctx.fix(None).level())
            .arg("access", if ctx.request.access == crate::Access::Push { "push" } else { "pull" }),
        );
    }
    if !kind.has_scopes() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "{token} tokens carry permissions, not scopes; `registry-access` shows what this one may do.",
                "{token} のトークンはスコープではなく権限（permissions）を持ちます。このトークンで何ができるかは `registry-access` で確認します。"
            ))
            .arg("token", token.masked()),
        );
    }
    let Some(scopes) = &ctx.scopes else {
        return Outcome::new(
            id,
            vec![Finding::new(
                Status::Warn,
                Msg::new(t!(
                    "GitHub sent no `X-OAuth-Scopes` for this token, so its scopes are unknown.",
                    "GitHub がこのトークンの `X-OAuth-Scopes` を返さなかったため、スコープがわかりません。"
                )),
            )],
            vec![],
        );
    };
    let shown = if scopes.is_empty() { "(none)".to_owned() } else { scopes.join(", ") };
    let evidence = vec![("scopes", shown.clone())];
    let mut findings = Vec::new();
    if has_scope(scopes, needed) {
        findings.push(Finding::pass(
            Msg::new(t!(
                "The token has `{needed}` (scopes: {scopes}).",
                "トークンに `{needed}` があります（スコープ：{scopes}）。"
            ))
            .arg("needed", needed)
            .arg("scopes", &shown),
        ));
    } else {
        let text = if ctx.request.ci {
            // A job cannot add a scope to a token: the secret is replaced, or the job's own token used.
            t!(
                "The job's token lacks `{needed}` (it has: {scopes}). Put a token with `{needed}` in the secret, or use the job's own `GITHUB_TOKEN` with `permissions: packages: {level}`.",
                "ジョブのトークンに `{needed}` がありません（現在のスコープ：{scopes}）。`{needed}` を持つトークンをシークレットに入れるか、`permissions: packages: {level}` を付けてジョブ自身の `GITHUB_TOKEN` を使ってください。"
            )
        } else {
            t!(
                "The token lacks `{needed}` (it has: {scopes}).",
                "トークンに `{needed}` がありません（現在のスコープ：{scopes}）。"
            )
        };
        let msg = Msg::new(text).arg("needed", needed).arg("scopes", &shown).arg("level", ctx.fix(None).level());
        findings.push(ctx.finding(Status::Fail, CauseId::MissingScope, msg, None));
    }
    let broad: Vec<&str> = BROAD_SCOPES.iter().copied().filter(|b| scopes.iter().any(|s| s == b)).collect();
    if !broad.is_empty() {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::BroadScopes,
                Msg::new(t!(
                    "The token also carries {broad}, far more than `{needed}` needs.",
                    "トークンには {broad} も付いています。`{needed}` に必要な範囲をはるかに超えています。"
                ))
                .arg("broad", broad.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", "))
                .arg("needed", needed),
                None,
            ),
        );
    }
    Outcome::new(id, findings, evidence)
}
