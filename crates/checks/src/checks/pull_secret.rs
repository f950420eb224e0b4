//! The `pull-secret` check (`check --pull-secret FILE IMAGE`): which entry of a Kubernetes image
//! pull secret the kubelet would send for the image (`PullSecret::lookup`, the kubelet's own
//! matching), and the registry's answer to that credential — the same token request and manifest
//! `HEAD` that `registry-access` makes for docker's, made by the probe with the Secret's entry.
//!
//! UNCONFIRMED: that the container runtime, like docker, does not fall back to anonymous access
//! when the Secret's credential is refused (containerd's resolver sends the credential it was
//! given). The kubelet tries every matching entry in turn and stops at the first that works; so
//! does the probe when the registry refuses the first (`Facts::pull_secret_fallbacks`).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::parse::{Denial, classify_denial, registry_words};
use crate::{
    CauseId, CheckId, Finding, GithubFacts, ImageFacts, ImageRef, Msg, Outcome, Probe, PullSecret, PullSecretEntry,
    PullSecretForm, Status, TokenKind, t,
};

pub static CHECK: Check = Check {
    id: K::PullSecret,
    title: t!("Kubernetes pull secret", "Kubernetes のイメージ pull 用 Secret"),
    what: t!(
        "With `--pull-secret FILE`: which entry of the Secret the kubelet sends for the image (its key matching: `ghcr.io`, `https://ghcr.io/v1/`, `ghcr.io/OWNER` path prefixes, `*.` host globs, most specific first), then the registry's answer to that credential: the token request and `HEAD /v2/OWNER/NAME/manifests/TAG`.",
        "`--pull-secret FILE` を指定したとき、kubelet がそのイメージに対して Secret のどのエントリを送るかを調べ（キーの照合規則：`ghcr.io`、`https://ghcr.io/v1/`、`ghcr.io/OWNER` のようなパスの前方一致、`*.` のホスト名のワイルドカード、より具体的なものが優先）、その認証情報に対するレジストリの応答（トークンの要求と `HEAD /v2/OWNER/NAME/manifests/TAG`）を確かめます。"
    ),
    why: t!(
        "A pull secret holds a copy of a token made when the Secret was created. Pods fail with `ImagePullBackOff` when no entry matches the image's registry or when that copy has expired or was revoked.",
        "pull 用の Secret には、作成した時点のトークンのコピーが入っています。イメージのレジストリに合うエントリがないときや、そのコピーが期限切れ・取り消し済みのとき、Pod は `ImagePullBackOff` で失敗します。"
    ),
    depends_on: &[K::GithubHost],
    in_ci: true,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, gh: &GithubFacts) -> Outcome {
    let id = CheckId::PullSecret;
    let Some(secret) = &ctx.request.pull_secret else {
        return Outcome::skipped(id, Msg::new(t!("No pull secret given.", "pull 用の Secret は指定されていません。")));
    };
    let form = match secret.form {
        PullSecretForm::DockerConfigJson => "kubernetes.io/dockerconfigjson",
        PullSecretForm::DockerCfg => "kubernetes.io/dockercfg",
        PullSecretForm::Bare => ".dockerconfigjson",
    };
    let mut evidence = vec![
        ("pull secret", format!("{} ({form}, {}/{})", secret.path, secret.fix_namespace(), secret.fix_name())),
        ("keys", secret.keys().join(", ")),
    ];
    let mut findings = Vec::new();
    for (image, facts) in ctx.request.images.iter().zip(&ctx.facts.images) {
        let entries = secret.entries_for(image);
        evidence.push(("matching keys", format!("{image}: {}", keys_of(&entries))));
        let finding = image_finding(ctx, gh, secret, image, facts, entries.first().copied());
        let finding = match entries.get(1..).filter(|rest| !rest.is_empty() && finding.status != Status::Pass) {
            Some(rest) => fall_through(ctx, image, facts, entries[0], rest, finding),
            None => finding,
        };
        findings.push(finding.subject(image.to_string()));
    }
    if findings.is_empty() {
        return Outcome::skipped(
            id,
            Msg::new(t!(
                "No image given: `--pull-secret FILE IMAGE` names the image the pod pulls.",
                "イメージが指定されていません。`--pull-secret FILE IMAGE` の形で、Pod が pull するイメージを指定してください。"
            )),
        );
    }
    Outcome::new(id, findings, evidence)
}

/// The first entry failed and others match: what the kubelet's next tries give (the probe asked
/// them in turn when the first was refused; otherwise they are only named).
fn fall_through(
    ctx: &Ctx,
    image: &ImageRef,
    f: &ImageFacts,
    first: &PullSecretEntry,
    rest: &[&PullSecretEntry],
    finding: Finding,
) -> Finding {
    let attempts = &ctx.facts.pull_secret_fallbacks;
    let quoted = |keys: &mut dyn Iterator<Item = &str>| keys.map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    if let Some(working) = attempts.iter().find(|a| a.pulls()) {
        let said = f.credential_token.done().map(registry_words).unwrap_or_default();
        return ctx.finding(
            Status::Warn,
            CauseId::PullSecretStale,
            Msg::new(t!(
                "The registry refuses the first entry the kubelet sends for `{image}`, `{key}` ({token}): `{said}`. The kubelet then tries `{working}`, which the registry accepts, so pods pull, after a refused attempt every time. Recreate the Secret with one current entry.",
                "kubelet が `{image}` に最初に送るエントリ `{key}`（{token}）を、レジストリが拒否しました：`{said}`。kubelet は続けて `{working}` を試し、こちらは受け付けられるため Pod は pull できます。ただし毎回、拒否される試行を経てからになります。現在のトークンのエントリ一つで Secret を作り直してください。"
            ))
            .arg("image", image)
            .arg("key", &first.key)
            .arg("token", first.secret.masked())
            .arg("said", said)
            .arg("working", &working.key),
            Some(image),
        );
    }
    let next = if attempts.is_empty() {
        Msg::new(t!(
            "The kubelet then tries the other matching entries ({others}); ghcr-doctor asked with the first, most specific one only.",
            "kubelet は続けて、ほかに合うエントリ（{others}）も試します。ghcr-doctor が確かめたのは、最初の最も具体的なエントリだけです。"
        ))
        .arg("others", quoted(&mut rest.iter().map(|e| e.key.as_str())))
    } else {
        Msg::new(t!(
            "The kubelet then tries the other matching entries ({others}); the registry refuses them too.",
            "kubelet は続けて、ほかに合うエントリ（{others}）も試しますが、レジストリはそれらも拒否します。"
        ))
        .arg("others", quoted(&mut attempts.iter().map(|a| a.key.as_str())))
    };
    let mut finding = finding;
    finding.message =
        Msg::new(t!("{finding} {next}", "{finding}{next}")).arg_msg("finding", finding.message).arg_msg("next", next);
    finding
}

fn keys_of(entries: &[&PullSecretEntry]) -> String {
    if entries.is_empty() { "-".into() } else { entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>().join(", ") }
}

fn image_finding(
    ctx: &Ctx,
    gh: &GithubFacts,
    secret: &PullSecret,
    image: &ImageRef,
    f: &ImageFacts,
    entry: Option<&PullSecretEntry>,
) -> Finding {
    for probe in [&f.anonymous_token, &f.credential_token, &f.manifest] {
        if let Probe::Failed(e) = probe {
            return Finding::new(
                Status::Fail,
                Msg::new(t!(
                    "Could not ask `{registry}` about `{image}`: {detail}.",
                    "`{registry}` に `{image}` について問い合わせられませんでした：{detail}。"
                ))
                .arg("registry", &image.registry)
                .arg("image", image)
                .arg("detail", &e.detail),
            );
        }
    }
    let msg = |text| {
        Msg::new(text)
            .arg("image", image)
            .arg("registry", &image.registry)
            .arg("owner", &image.owner)
            .arg("secret", secret.fix_name())
            .arg("file", &secret.path)
    };
    let anonymous_ok = f.anonymous_token.done().is_some_and(|a| a.status == 200);
    let manifest_ok = f.manifest.done().is_some_and(|m| (200..300).contains(&m.status));
    let Some(entry) = entry else {
        if anonymous_ok && manifest_ok {
            return Finding::pass(msg(t!(
                "No entry of `{secret}` matches `{image}`, so the kubelet pulls it anonymously; it is public, so that works.",
                "`{secret}` には `{image}` に合うエントリがないため、kubelet は匿名で pull します。公開イメージなので成功します。"
            )));
        }
        let keys = if secret.entries.is_empty() {
            "-".to_owned()
        } else {
            secret.keys().iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        };
        return ctx.finding(
            Status::Fail,
            CauseId::PullSecretNoEntry,
            msg(t!(
                "No entry of the Secret `{secret}` ({file}) matches `{image}`: its keys are {keys}, and the kubelet needs one for `{registry}` (`{registry}`, or a path prefix such as `{registry}/{owner}`). Without one it pulls anonymously, and `{image}` is private or does not exist.",
                "Secret `{secret}`（{file}）には `{image}` に合うエントリがありません。キーは {keys} で、kubelet には `{registry}` 用のキー（`{registry}`、または `{registry}/{owner}` のようなパスの前方一致）が必要です。合うキーがないと kubelet は匿名で pull しますが、`{image}` はプライベートか存在しません。"
            ))
            .arg("keys", keys),
            Some(image),
        );
    };
    let kind = TokenKind::of(entry.secret.expose());
    let msg = |text| {
        msg(text)
            .arg("key", &entry.key)
            .arg("user", &entry.username)
            .arg("token", entry.secret.masked())
            .arg_msg("lifetime", lifetime(kind))
    };
    let Some(answer) = f.credential_token.done() else {
        return Finding::new(
            Status::Warn,
            msg(t!(
                "The registry was not asked with the entry `{key}` for `{image}`.",
                "エントリ `{key}` を使った `{image}` の問い合わせは行っていません。"
            )),
        );
    };
    if answer.status == 200 {
        return match f.manifest.done() {
            Some(m) if (200..300).contains(&m.status) && kind == TokenKind::AppInstallation => ctx.finding(
                Status::Warn,
                CauseId::PullSecretStale,
                msg(t!(
                    "The kubelet sends the entry `{key}` (user `{user}`, token {token}) and the registry lets it pull `{image}` now, but it will not for long. {lifetime}",
                    "kubelet はエントリ `{key}`（ユーザー `{user}`、トークン {token}）を送り、今はレジストリが `{image}` の pull を許可しています。しかし長くは使えません。{lifetime}"
                )),
                Some(image),
            ),
            Some(m) if (200..300).contains(&m.status) => Finding::pass(msg(t!(
                "The kubelet sends the entry `{key}` (user `{user}`, token {token}) and the registry lets it pull `{image}`. {lifetime}",
                "kubelet はエントリ `{key}`（ユーザー `{user}`、トークン {token}）を送り、レジストリは `{image}` の pull を許可しています。{lifetime}"
            ))),
            Some(m) if m.status == 404 => ctx.finding(
                Status::Fail,
                CauseId::TagNotFound,
                msg(t!(
                    "The Secret's credential is accepted, but the registry has no manifest for `{image}` (`manifest unknown`): the tag or digest does not exist.",
                    "Secret の認証情報は受け付けられましたが、レジストリに `{image}` のマニフェストがありません（`manifest unknown`）。タグまたはダイジェストが存在しません。"
                )),
                Some(image),
            ),
            Some(m) if matches!(m.status, 401 | 403) => ctx.finding(
                Status::Fail,
                CauseId::NoPackageAccess,
                msg(t!(
                    "The registry gave the Secret's credential a token but refused the manifest of `{image}` (HTTP {status}): no access to this package.",
                    "レジストリは Secret の認証情報にトークンを発行しましたが、`{image}` のマニフェストを拒否しました（HTTP {status}）。このパッケージへのアクセス権がありません。"
                ))
                .arg("status", m.status),
                Some(image),
            ),
            Some(m) => Finding::new(
                Status::Fail,
                msg(t!(
                    "The manifest request for `{image}` answered HTTP {status}.",
                    "`{image}` のマニフェスト要求が HTTP {status} を返しました。"
                ))
                .arg("status", m.status),
            ),
            None => Finding::new(
                Status::Warn,
                msg(t!("The manifest of `{image}` was not requested.", "`{image}` のマニフェストは要求していません。")),
            ),
        };
    }
    let said = registry_words(answer);
    let msg = |text| msg(text).arg("said", &said);
    let sso_blocked = gh.owners.iter().any(|o| {
        o.owner == image.owner && o.org.done().is_some_and(|a| a.status == 403 && a.header("x-github-sso").is_some())
    });
    let gh_token_in_secret = ctx.token.is_some_and(|t| t == &entry.secret);
    let stale = t!(
        "The registry refuses the credential the kubelet sends for `{image}` (the entry `{key}`, user `{user}`, token {token}): `{said}`. The token copied into the Secret has expired or was revoked. {lifetime}",
        "kubelet が `{image}` に送る認証情報（エントリ `{key}`、ユーザー `{user}`、トークン {token}）を、レジストリが拒否しました：`{said}`。Secret にコピーされたトークンが期限切れか、取り消されています。{lifetime}"
    );
    let (cause, text) = match classify_denial(answer) {
        Denial::Scope if kind == TokenKind::FineGrainedPat => (
            CauseId::FineGrainedPat,
            t!(
                "The registry rejects the fine-grained token in the Secret's entry `{key}` ({token}): `{said}`. {lifetime}",
                "Secret のエントリ `{key}` の fine-grained トークン（{token}）を、レジストリが拒否しました：`{said}`。{lifetime}"
            ),
        ),
        Denial::Scope => (
            CauseId::MissingScope,
            t!(
                "The registry says the token in the Secret's entry `{key}` ({token}) lacks the package scope: `{said}`.",
                "レジストリによると、Secret のエントリ `{key}` のトークン（{token}）にパッケージのスコープがありません：`{said}`。"
            ),
        ),
        Denial::Unauthenticated | Denial::Installation => (CauseId::PullSecretStale, stale),
        Denial::Generic if sso_blocked && gh_token_in_secret => (
            CauseId::SsoNotAuthorized,
            t!(
                "The registry answers `{said}` for the Secret's entry `{key}`: its token (gh's, {token}) is not authorized for `{owner}`'s SAML SSO.",
                "レジストリは Secret のエントリ `{key}` に `{said}` を返します。そのトークン（gh のもの、{token}）が `{owner}` の SAML SSO で承認されていないためです。"
            ),
        ),
        Denial::Generic if answer.status == 401 || anonymous_ok => (CauseId::PullSecretStale, stale),
        Denial::Generic => (
            CauseId::NoPackageAccess,
            t!(
                "The Secret's token ({token}, user `{user}`) is valid but the registry refuses `{image}` (`{said}`): the package is private and not shared with that user, or it does not exist.",
                "Secret のトークン（{token}、ユーザー `{user}`）は有効ですが、レジストリは `{image}` を拒否しました（`{said}`）。パッケージがプライベートでそのユーザーに共有されていないか、存在しません。"
            ),
        ),
        Denial::RateLimited | Denial::ClassicForbidden | Denial::Write => {
            return Finding::new(
                Status::Fail,
                msg(t!(
                    "The registry refuses the Secret's entry `{key}` for `{image}`: `{said}`.",
                    "レジストリは `{image}` について Secret のエントリ `{key}` を拒否しました：`{said}`。"
                )),
            );
        }
    };
    let mut finding = ctx.finding(Status::Fail, cause, msg(text), Some(image));
    if let Some(url) = ctx.sso_url(&image.owner) {
        finding = finding.fix_arg("url", url);
    }
    finding
}

/// How long a token of `kind` in a pull secret keeps working (GitHub's "Token expiration and
/// revocation": a PAT is revoked at its expiration date, an OAuth token when its authorization
/// is revoked; the Actions token: ghcr-facts §6.3).
fn lifetime(kind: TokenKind) -> Msg {
    Msg::new(match kind {
        TokenKind::OAuth => t!(
            "gh's OAuth token (`gho_`) has no expiry date, but it is tied to your login: it stops working when gh logs out or its authorization is revoked, and the cluster pulls as you.",
            "gh の OAuth トークン（`gho_`）には有効期限の日付がありませんが、あなたのログインに結び付いています。gh がログアウトしたり承認が取り消されたりすると使えなくなり、クラスターはあなたとして pull します。"
        ),
        TokenKind::FineGrainedPat => t!(
            "A fine-grained token (`github_pat_`) expires on its expiry date, and GitHub Packages does not accept it at all.",
            "fine-grained トークン（`github_pat_`）は有効期限の日付に失効します。また、GitHub Packages はこのトークンをそもそも受け付けません。"
        ),
        TokenKind::ClassicPat => t!(
            "A classic token (`ghp_`) stops working on its expiry date, if it was given one, or when it is revoked.",
            "クラシックトークン（`ghp_`）は、有効期限を設定していればその日に、または取り消されたときに使えなくなります。"
        ),
        TokenKind::AppInstallation => t!(
            "An Actions `GITHUB_TOKEN` (`ghs_`) expires when its job ends (24 hours at most): never put one in a pull secret.",
            "Actions の `GITHUB_TOKEN`（`ghs_`）はジョブの終了時（最長 24 時間）に失効します。pull 用の Secret には決して入れないでください。"
        ),
        TokenKind::AppUser | TokenKind::Unknown => t!("", ""),
    })
}
