//! The check registry: one `static CHECKS` in documentation (and output) order. Each check has
//! a stable id, its texts in both languages, its dependencies, the causes it can report, and a
//! pure evaluation function over [`Ctx`].

use crate::eval;
use crate::{CauseId, CheckId, Ctx, Outcome, Text, t};

/// One check of the pipeline.
pub struct Check {
    pub id: CheckId,
    pub title: Text,
    /// What is checked, and how (for `list`, `explain` and the docs).
    pub what: Text,
    /// Why it matters to a new team member.
    pub why: Text,
    /// Checks that must not have failed for this one to be meaningful.
    pub depends_on: &'static [CheckId],
    /// Every cause it can report.
    pub causes: &'static [CauseId],
    /// Whether it is evaluated in CI mode (where gh is not needed).
    pub in_ci: bool,
    pub evaluate: fn(&Ctx) -> Outcome,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The check with this id.
pub fn check(id: CheckId) -> &'static Check {
    CHECKS.iter().find(|c| c.id == id).expect("every check id is in the registry (tested)")
}

use CauseId as C;
use CheckId as K;

pub static CHECKS: &[Check] = &[
    Check {
        id: K::GhInstalled,
        title: t!("GitHub CLI (gh)", "GitHub CLI（gh）"),
        what: t!(
            "`gh` is on PATH and `gh --version` reports at least 2.17.0 (which added `gh auth token`); versions before 2.40.0 get a warning.",
            "`gh` が PATH にあり、`gh --version` が 2.17.0（`gh auth token` が追加されたバージョン）以上であることを確認します。2.40.0 より前のバージョンには警告を出します。"
        ),
        why: t!(
            "gh holds your GitHub login. Handing its token to docker avoids creating yet another long-lived personal access token.",
            "gh はあなたの GitHub ログインを管理します。gh のトークンを docker に渡せば、有効期限の長い個人用アクセストークンをまた一つ作る必要がなくなります。"
        ),
        depends_on: &[],
        causes: &[C::GhMissing, C::GhTooOld, C::Timeout],
        in_ci: false,
        evaluate: eval::gh_installed,
    },
    Check {
        id: K::GithubHost,
        title: t!("GitHub host and registry", "GitHub のホストとレジストリ"),
        what: t!(
            "Which GitHub the team uses (github.com and Enterprise Cloud: registry `ghcr.io`; `SUB.ghe.com`: `containers.SUB.ghe.com`; Enterprise Server: `containers.HOST`), whether the registry answers, and whether every image belongs to it.",
            "チームが使う GitHub の種類（github.com と Enterprise Cloud ならレジストリは `ghcr.io`、`SUB.ghe.com` なら `containers.SUB.ghe.com`、Enterprise Server なら `containers.HOST`）と、レジストリが応答するか、すべてのイメージがそのレジストリのものかを確認します。"
        ),
        why: t!(
            "The token, the API and the registry must all belong to the same GitHub; a token for one never works on another.",
            "トークン、API、レジストリはすべて同じ GitHub のものでなければなりません。ある GitHub のトークンは、別の GitHub では使えません。"
        ),
        depends_on: &[],
        causes: &[C::RegistryUnavailable, C::HostMismatch, C::Network, C::Timeout],
        in_ci: true,
        evaluate: eval::github_host,
    },
    Check {
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
        causes: &[C::NotLoggedIn, C::TokenInvalid, C::EnvTokenOverride, C::Network, C::Timeout],
        in_ci: true,
        evaluate: eval::gh_auth,
    },
    Check {
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
        causes: &[C::MissingScope, C::FineGrainedPat, C::BroadScopes],
        in_ci: true,
        evaluate: eval::token_scopes,
    },
    Check {
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
        causes: &[
            C::SsoNotAuthorized,
            C::OauthAppRestricted,
            C::ClassicPatForbidden,
            C::OrgMembershipPending,
            C::Network,
            C::Timeout,
        ],
        in_ci: true,
        evaluate: eval::sso,
    },
    Check {
        id: K::DockerDaemon,
        title: t!("Docker daemon", "Docker デーモン"),
        what: t!(
            "`docker` is on PATH, which endpoint it uses (`DOCKER_HOST`, `DOCKER_CONTEXT`, the current context), whether its socket can be opened, and `docker version --format '{{json .}}'` reaches the server.",
            "`docker` が PATH にあるか、どのエンドポイント（`DOCKER_HOST`、`DOCKER_CONTEXT`、現在のコンテキスト）を使うか、そのソケットを開けるか、`docker version --format '{{json .}}'` がサーバーに届くかを確認します。"
        ),
        why: t!(
            "The daemon does the pull; docker prints one vague message for most ways of not reaching it, so the doctor looks at the socket itself.",
            "pull を実際に行うのはデーモンです。docker はデーモンにつながらない理由がほとんど何であっても同じあいまいなメッセージを出すため、ghcr-doctor はソケットを直接調べます。"
        ),
        depends_on: &[],
        causes: &[C::DockerMissing, C::DaemonUnreachable, C::DaemonPermission, C::Timeout],
        in_ci: true,
        evaluate: eval::docker_daemon,
    },
    Check {
        id: K::DockerCredentials,
        title: t!("docker's stored credentials", "docker に保存された認証情報"),
        what: t!(
            "What docker will send to the registry: `config.json` (`credHelpers`, else `credsStore`, else `auths`), the credential helper's answer, the kind of the stored token, whether it is the token gh holds, and whether GitHub still accepts it.",
            "docker がレジストリに送る認証情報を確認します。`config.json`（`credHelpers`、なければ `credsStore`、なければ `auths`）、認証情報ヘルパーの応答、保存されたトークンの種類、それが gh のトークンと同じか、GitHub がまだ受け付けるかを調べます。"
        ),
        why: t!(
            "docker keeps whatever token it was last given. An old PAT left there is the classic stale-login trap, and a missing helper makes docker pull anonymously without a word.",
            "docker は最後に渡されたトークンをそのまま持ち続けます。古い PAT が残っているのは、よくある「古いログイン」の落とし穴です。また、ヘルパーがないと docker は何も言わずに匿名で pull します。"
        ),
        depends_on: &[],
        causes: &[
            C::CredentialHelperMissing,
            C::StaleCredentials,
            C::PlaintextCredentials,
            C::MalformedDockerConfig,
            C::FineGrainedPat,
            C::MissingScope,
            C::NoCredentials,
            C::Timeout,
        ],
        in_ci: true,
        evaluate: eval::docker_credentials,
    },
    Check {
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
        causes: &[
            C::NoCredentials,
            C::StaleCredentials,
            C::MissingScope,
            C::FineGrainedPat,
            C::SsoNotAuthorized,
            C::ClassicPatForbidden,
            C::NoPackageAccess,
            C::NoWriteAccess,
            C::ActionsTokenNoAccess,
            C::MissingPackagesPermission,
            C::ForkPullRequest,
            C::PackageCreationForbidden,
            C::TagNotFound,
            C::RateLimited,
            C::InvalidReference,
            C::Network,
            C::Timeout,
        ],
        in_ci: true,
        evaluate: eval::registry_access,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cause_info;

    #[test]
    fn registry_holds_every_check_once_in_id_order() {
        let ids: Vec<CheckId> = CHECKS.iter().map(|c| c.id).collect();
        assert_eq!(ids, CheckId::ALL);
    }

    #[test]
    fn dependencies_point_backwards() {
        for (i, c) in CHECKS.iter().enumerate() {
            for dep in c.depends_on {
                let j = CHECKS.iter().position(|d| d.id == *dep).unwrap();
                assert!(j < i, "{} depends on a later check {}", c.id, dep);
            }
        }
    }

    #[test]
    fn every_cause_is_reported_or_told_apart_by_a_check() {
        for cause in CauseId::ALL {
            let home = cause_info(*cause).check;
            assert!(CheckId::ALL.contains(&home));
        }
    }
}
