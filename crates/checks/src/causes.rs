//! The cause catalogue: one record per cause id — which checks report it, its title, why it
//! happens and how to fix it (both languages side by side), its fix as a typed builder, who meets
//! it, whether only pasted logs show it, the stand-ins for values only a real run knows, and the
//! error strings users actually see (verbatim from ghcr-facts.md). `check`, `explain`, `fix` and
//! the generated docs all read these records, so they can never disagree.

use crate::{CauseId, CheckId, FixCtx, FixStep, ImageRef, Lang, Os, Reference, Text, fill, t};

/// Everything the doctor and the docs say about one cause.
#[derive(Debug)]
pub struct CauseInfo {
    pub id: CauseId,
    /// The checks that report this cause, the one that tells it apart first (for causes known
    /// only from logs: the check `explain` points to). Tested against what evaluation emits.
    pub checks: &'static [CheckId],
    pub title: Text,
    /// What it means and why it happens. Placeholders: those of [`FixCtx::args`], plus the ones
    /// in `stand_ins`, which the finding that reports the cause fills in with real values.
    pub why: Text,
    /// What to do, in words; the commands come from `fix_steps`.
    pub fix: Text,
    /// The commands that fix it, in order, filled from the context. Causes fixed only outside the
    /// terminal (an org owner's setting, a browser step) have none; their fix text says what to do.
    pub fix_steps: fn(&FixCtx) -> Vec<FixStep>,
    /// Error messages users see for it, verbatim (ghcr-facts.md).
    pub symptoms: &'static [&'static str],
    /// Who meets it: the onboarding guide lists the common causes of a step and names the rare ones.
    pub audience: Audience,
    /// Known only from pasted logs: no live check reports it (`explain` recognises it).
    pub log_only: bool,
    /// Readable stand-ins for placeholders only a real run can fill (`{config}`: the path of
    /// docker's config file), for the docs and `explain`.
    pub stand_ins: &'static [(&'static str, Text)],
}

impl CauseInfo {
    /// The home check: the one that reports it first, or tells it apart.
    pub fn check(&self) -> CheckId {
        self.checks[0]
    }

    /// Its title, in `family`'s words (GitLab's where GitHub's names GitHub or its packages).
    pub fn title_in(&self, family: crate::Family) -> Text {
        match family {
            crate::Family::Gitlab => GITLAB_TITLES.iter().find(|(c, _)| *c == self.id).map_or(self.title, |(_, t)| *t),
            crate::Family::Github => self.title,
        }
    }

    /// Why it happens, in `family`'s words (GitLab has its own for the causes both share).
    pub fn why_in(&self, family: crate::Family) -> Text {
        gitlab_texts(self.id, family).map_or(self.why, |(why, _)| why)
    }

    /// What to do, in `family`'s words.
    pub fn fix_in(&self, family: crate::Family) -> Text {
        gitlab_texts(self.id, family).map_or(self.fix, |(_, fix)| fix)
    }

    /// The commands that fix it for these values.
    pub fn fix_steps(&self, ctx: &FixCtx) -> Vec<FixStep> {
        (self.fix_steps)(ctx)
    }
}

/// Who meets a cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone setting up their machine.
    Everyone,
    /// Mostly CI, other registries or unusual set-ups.
    Rare,
    /// Only teams that push: rare for a team that only pulls.
    Pushing,
}

/// The context's values plus the stand-ins of every cause, in `lang`, for filling cause texts
/// without a real finding (the docs, `explain`). The same name always has the same stand-in.
pub fn stand_in_args(ctx: &FixCtx, lang: Lang) -> Vec<(&'static str, String)> {
    let mut args = ctx.args();
    for (name, text) in CAUSES.iter().flat_map(|c| c.stand_ins) {
        if !args.iter().any(|(n, _)| n == name) {
            let value = fill(text.get(lang), &ctx.args());
            args.push((name, value));
        }
    }
    args
}

/// The causes a GitLab run can name (gitlab-facts §0–§14): GitLab's own, the shared ones its
/// checks report, the docker-side causes of the checks every family runs, and the log-only
/// causes whose text docker prints for any registry. What the GitLab docs document; evaluation
/// tests pin it to what the GitLab scenarios emit. Not `rate-limited`: gitlab-facts documents
/// no 429 from GitLab's registry.
pub const GITLAB_CAUSES: &[CauseId] = &[
    CauseId::GlabMissing,
    CauseId::ToolFailed,
    CauseId::HostMismatch,
    CauseId::RegistryUnavailable,
    CauseId::Network,
    CauseId::Timeout,
    CauseId::UnexpectedResponse,
    CauseId::NoCredentials,
    CauseId::TokenInvalid,
    CauseId::GlabConfigMode,
    CauseId::MissingRegistryScope,
    CauseId::GitlabTwoFactorPassword,
    CauseId::GitlabAccessForbidden,
    CauseId::JobTokenOtherProject,
    CauseId::JobTokenNotAllowed,
    CauseId::DockerMissing,
    CauseId::PodmanMissing,
    CauseId::DaemonUnreachable,
    CauseId::DaemonPermission,
    CauseId::CredentialHelperMissing,
    CauseId::CredentialHelperError,
    CauseId::StaleCredentials,
    CauseId::PlaintextCredentials,
    CauseId::MalformedDockerConfig,
    CauseId::SudoRootConfig,
    CauseId::WslDesktopHelper,
    CauseId::ConfigKeyTypo,
    CauseId::NonTtyLogin,
    CauseId::NoPackageAccess,
    CauseId::NoWriteAccess,
    CauseId::TagNotFound,
    CauseId::RegistryTokenExpired,
    CauseId::InvalidReference,
    CauseId::ClientBug,
];

/// The causes `family`'s docs document, in catalogue order: every cause for GitHub (whose
/// reference is also `explain`'s, across families), [`GITLAB_CAUSES`] for GitLab.
pub fn documented_causes(family: crate::Family) -> impl Iterator<Item = &'static CauseInfo> {
    CAUSES.iter().filter(move |c| family == crate::Family::Github || GITLAB_CAUSES.contains(&c.id))
}

/// The catalogue entry of a cause.
pub fn cause_info(id: CauseId) -> &'static CauseInfo {
    CAUSES.iter().find(|c| c.id == id).expect("every cause id has a catalogue entry (tested)")
}

const GLAB_CONFIG_STAND_IN: Text = t!("~/.config/glab-cli/config.yml", "~/.config/glab-cli/config.yml");
const CONFIG_STAND_IN: Text = t!("~/.docker/config.json", "~/.docker/config.json");
const HELPER_STAND_IN: Text = t!("docker-credential-HELPER", "docker-credential-HELPER");
const USER_CONFIG_STAND_IN: Text = t!("/home/USER/.docker/config.json", "/home/USER/.docker/config.json");
const KEY_STAND_IN: Text = t!("credStore", "credStore");
const RIGHT_KEY_STAND_IN: Text = t!("credsStore", "credsStore");
const DETAIL_STAND_IN: Text = t!("line and column", "行と列");
const SSO_URL_STAND_IN: Text =
    t!("{web}/orgs/{owner}/sso?authorization_request=…", "{web}/orgs/{owner}/sso?authorization_request=…");

fn no_commands(_: &FixCtx) -> Vec<FixStep> {
    Vec::new()
}

/// A fine-grained or classic token refused: a fresh gh login (an OAuth token), then docker's
/// copy replaced by it.
fn relogin_with_a_classic_token(c: &FixCtx) -> Vec<FixStep> {
    let mut steps: Vec<FixStep> =
        if c.ci { Vec::new() } else { c.unset_env().into_iter().chain([c.gh_login()]).collect() };
    steps.extend(c.docker_relogin());
    steps
}

/// In a workflow, the lower-cased image name built from `GITHUB_REPOSITORY_OWNER` (which may
/// have capitals): `${GITHUB_REPOSITORY_OWNER,,}` lower-cases it in bash.
fn lower_case_in_the_workflow(c: &FixCtx) -> Vec<FixStep> {
    let Ok(image) = c.image.parse::<ImageRef>() else { return Vec::new() };
    if !c.ci {
        return Vec::new();
    }
    let from_variable = c.repository_owner.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(&image.owner));
    let owner = if from_variable { "${GITHUB_REPOSITORY_OWNER,,}".to_owned() } else { image.owner.clone() };
    let reference = match &image.reference {
        Reference::Tag(t) => format!(":{t}"),
        Reference::Digest(d) => format!("@{d}"),
    };
    vec![FixStep::Manual(format!(
        "echo \"IMAGE={}/{owner}/{}{reference}\" >> \"$GITHUB_ENV\"",
        image.registry, image.name
    ))]
}

/// A new GitLab token into the client's store: drop the old copy, read the token without echo,
/// log in through a pipe (gitlab-facts §12: `--password-stdin`); in a GitLab job, the job's own
/// `CI_REGISTRY_*` variables. Outside a GitLab run (the docs, `explain` about a GitHub image),
/// GitLab.com stands in. GitLab requires a user name with a personal access token but does not
/// evaluate it (gitlab-facts §3), so `"$USER"` is as good as any.
fn gitlab_token_login(c: &FixCtx) -> Vec<FixStep> {
    if c.family == crate::Family::Gitlab {
        return c.docker_relogin();
    }
    let mut gitlab = c.clone();
    gitlab.family = crate::Family::Gitlab;
    gitlab.host = "gitlab.com".into();
    gitlab.registry = crate::GITLAB_COM_REGISTRY.into();
    gitlab.login = "\"$USER\"".into();
    gitlab.env_var = None;
    gitlab.docker_credential()
}

/// In the job's own project, or with a token of the project that holds the image.
fn job_token_elsewhere(c: &FixCtx) -> Vec<FixStep> {
    if c.ci { Vec::new() } else { gitlab_token_login(c) }
}

/// GitLab's own words for the causes both families share (gitlab-facts §3–§13).
fn gitlab_texts(id: CauseId, family: crate::Family) -> Option<(Text, Text)> {
    if family != crate::Family::Gitlab {
        return None;
    }
    GITLAB_TEXTS.iter().find(|(c, ..)| *c == id).map(|(_, why, fix)| (*why, *fix))
}

/// The titles of shared causes that name GitHub or its packages, as a GitLab run tells them.
const GITLAB_TITLES: &[(CauseId, Text)] = &[
    (
        CauseId::HostMismatch,
        t!(
            "The image's registry does not belong to the configured GitLab",
            "イメージのレジストリが、設定された GitLab のものではありません"
        ),
    ),
    (CauseId::NoPackageAccess, t!("You have no access to `{image}`", "`{image}` へのアクセス権がありません")),
];

/// The why and fix of shared causes as a GitLab run tells them.
const GITLAB_TEXTS: &[(CauseId, Text, Text)] = &[
    (
        CauseId::HostMismatch,
        t!(
            "Images of {host} live on `{registry}`. An image on another registry is checked against the wrong GitLab, and its token will not work there.",
            "{host} のイメージは `{registry}` にあります。別のレジストリのイメージを指定すると、違う GitLab に対して確認することになり、トークンも通用しません。"
        ),
        t!(
            "Set `host` and `registry` in `ghcr-doctor.toml` (or `--host` and `--registry`) to the GitLab that holds the image, or fix the image name.",
            "`ghcr-doctor.toml` の `host` と `registry`（または `--host` と `--registry`）をイメージのある GitLab に合わせるか、イメージ名を直してください。"
        ),
    ),
    (
        CauseId::RegistryUnavailable,
        t!(
            "The container registry of {host} is turned off (GitLab answers `registry not enabled`), or `{registry}` did not answer as a registry. On a self-managed GitLab the administrator turns the registry on and gives it its own host, or a port of GitLab's host such as 5050 (`registry_external_url`).",
            "{host} のコンテナーレジストリが無効になっている（GitLab が `registry not enabled` を返す）か、`{registry}` がレジストリとして応答しませんでした。セルフマネージドの GitLab では、管理者がレジストリを有効にし、専用のホストか、GitLab のホストの 5050 などのポートを割り当てます（`registry_external_url`）。"
        ),
        t!(
            "Check `host` and `registry` in `ghcr-doctor.toml`. If they are right, ask your GitLab administrator whether the container registry is enabled and at which address.",
            "`ghcr-doctor.toml` の `host` と `registry` を確認してください。正しければ、コンテナーレジストリが有効になっているか、どのアドレスで使えるかを GitLab の管理者に確認してください。"
        ),
    ),
    (
        CauseId::TagNotFound,
        t!(
            "Authentication and access are fine and the project's registry exists, but it has no manifest for this tag or digest.",
            "認証とアクセス権には問題がなく、プロジェクトのレジストリも存在しますが、このタグ（またはダイジェスト）のマニフェストがありません。"
        ),
        t!(
            "Check the tag (typos, a tag not pushed yet by CI, a branch tag that was replaced) on the project's container registry page.",
            "プロジェクトのコンテナーレジストリのページでタグを確認してください（タイプミス、CI がまだ push していないタグ、置き換えられたブランチのタグなど）。"
        ),
    ),
    (
        CauseId::SudoRootConfig,
        t!(
            "Under `sudo`, docker reads root's `{config}` (the `HOME` of the sudo environment), not the `{user_config}` of the user who ran sudo. Your `docker login` for `{registry}` is in your own config, so `sudo docker pull` sends root's credentials, or none, and private images fail.",
            "`sudo` の下では、docker は sudo を実行したユーザーの `{user_config}` ではなく、root の `{config}`（sudo 環境の `HOME`）を読みます。`{registry}` への `docker login` はあなた自身の設定に保存されているため、`sudo docker pull` は root の認証情報を送るか、何も送りません。その結果、非公開のイメージの pull が失敗します。"
        ),
        t!(
            "Run docker without sudo: add yourself to the `docker` group (membership is as powerful as root), log out and in again so the group takes effect, and pull without sudo. Or log root in too, with the token through a pipe: `echo \"$GITLAB_TOKEN\" | sudo docker login {registry} -u {login} --password-stdin`.",
            "sudo を使わずに docker を実行してください。自分を `docker` グループに追加し（このグループのメンバーは root と同等の権限を持ちます）、グループを有効にするために一度ログアウトしてログインし直してから、sudo なしで pull します。または、トークンをパイプで渡して root でもログインしてください：`echo \"$GITLAB_TOKEN\" | sudo docker login {registry} -u {login} --password-stdin`"
        ),
    ),
    (
        CauseId::InvalidReference,
        t!(
            "Image names must be lower case, even when the group or project path has capitals, and tags allow only letters, digits, `_`, `.` and `-`.",
            "イメージ名は、グループやプロジェクトのパスに大文字が含まれていても、小文字で書く必要があります。また、タグに使えるのは英数字、`_`、`.`、`-` だけです。"
        ),
        t!("Write the image name in lower case.", "イメージ名を小文字で書いてください。"),
    ),
    (
        CauseId::NoCredentials,
        t!(
            "Nothing is sent, so GitLab treats the pull as anonymous: that works for public projects only; a private or internal project answers `denied: access forbidden`.",
            "認証情報が送られないため、GitLab は pull を匿名として扱います。公開プロジェクトでは動きますが、非公開や内部公開のプロジェクトでは `denied: access forbidden` が返ります。"
        ),
        t!(
            "Create a token with the scopes it needs at {token_page} (they are preselected there) and log in with it through a pipe; in GitLab CI, log in with the job's `CI_REGISTRY_USER` and `CI_REGISTRY_PASSWORD`.",
            "{token_page} で必要なスコープを付けたトークンを作成し（スコープは選択済みの状態で開きます）、パイプで渡してログインしてください。GitLab CI では、ジョブの `CI_REGISTRY_USER` と `CI_REGISTRY_PASSWORD` でログインしてください。"
        ),
    ),
    (
        CauseId::StaleCredentials,
        t!(
            "docker sends the token it stored at its last `docker login`, and GitLab no longer accepts it (revoked, or expired: access tokens must expire since GitLab 16.0). GitLab refuses bad credentials even for public projects, so every pull fails with `HTTP Basic: Access denied`.",
            "docker は前回の `docker login` で保存したトークンを送りますが、GitLab はもうそれを受け付けません（失効したか、期限切れです。GitLab 16.0 からアクセストークンには有効期限が必須です）。GitLab は公開プロジェクトでも誤った認証情報を拒否するため、すべての pull が `HTTP Basic: Access denied` で失敗します。"
        ),
        t!(
            "Drop the old copy, create a new token at {token_page} and log in with it through a pipe.",
            "古いコピーを削除し、{token_page} で新しいトークンを作成して、パイプで渡してログインしてください。"
        ),
    ),
    (
        CauseId::TokenInvalid,
        t!(
            "GitLab does not know the token as active: it was revoked, it expired (access tokens expire at midnight UTC on their expiry date; a CI/CD job token ends with its job), or it is not the one you think. GitLab answers all of these with the same `HTTP Basic: Access denied`.",
            "GitLab はこのトークンを有効なものとして認識していません。失効したか、期限が切れたか（アクセストークンは有効期限の日の UTC 0 時に失効し、CI/CD ジョブトークンはジョブの終了とともに無効になります）、思っているものとは別のトークンです。GitLab はどの場合も同じ `HTTP Basic: Access denied` を返します。"
        ),
        t!(
            "Create a new token at {token_page} and use it instead; in GitLab CI, use the running job's own variables.",
            "{token_page} で新しいトークンを作成して、代わりに使ってください。GitLab CI では、実行中のジョブ自身の変数を使ってください。"
        ),
    ),
    (
        CauseId::NoPackageAccess,
        t!(
            "GitLab issued a token that grants nothing on the image, and its registry then answers only `denied: requested access to the resource is denied`. The same happens when you have no role in a private project (pulling needs Reporter or more), when the project does not exist, and when its registry is disabled.",
            "GitLab はイメージに対して何の権限もないトークンを発行し、レジストリは `denied: requested access to the resource is denied` としか返しません。非公開プロジェクトでロールがない場合（pull には Reporter 以上が必要です）、プロジェクトが存在しない場合、レジストリが無効な場合も同じになります。"
        ),
        t!(
            "Check the image path (group/project/image). Then ask a Maintainer of the project to add you with at least the Reporter role, or to enable its container registry (Settings → General → Visibility, project features, permissions).",
            "イメージのパス（グループ/プロジェクト/イメージ）を確認してください。そのうえで、プロジェクトの Maintainer に Reporter 以上のロールで追加してもらうか、コンテナレジストリを有効にしてもらってください（Settings → General → Visibility, project features, permissions）。"
        ),
    ),
    (
        CauseId::NoWriteAccess,
        t!(
            "GitLab lets you pull but not push: pushing needs at least the Developer role in the project (a deploy token needs `write_registry`), and a protected repository path needs the role it names.",
            "GitLab では pull はできますが push はできません。push にはプロジェクトの Developer 以上のロール（デプロイトークンなら `write_registry`）が必要で、保護されたリポジトリのパスにはそこで指定されたロールが必要です。"
        ),
        t!(
            "Ask a Maintainer of the project for the Developer role, or push with a project access token that has it and `write_registry`.",
            "プロジェクトの Maintainer に Developer のロールを依頼するか、そのロールと `write_registry` を持つプロジェクトアクセストークンで push してください。"
        ),
    ),
];

/// Every cause, in id order.
pub static CAUSES: &[CauseInfo] = &[
    CauseInfo {
        id: CauseId::GhMissing,
        checks: &[CheckId::GhInstalled],
        title: t!("GitHub CLI (gh) is not installed", "GitHub CLI（gh）がインストールされていません"),
        why: t!(
            "ghcr-doctor uses gh to find your GitHub login and token, and the recommended way to log docker in is to hand it gh's token (`gh auth token`), so no long-lived personal access token is needed.",
            "ghcr-doctor は gh を使って GitHub のログインとトークンを調べます。また、docker へのログインには gh のトークン（`gh auth token`）を渡す方法をおすすめしています。こうすれば有効期限の長い個人用アクセストークンを新しく作らずに済みます。"
        ),
        fix: t!(
            "Install gh with your system's package manager (see https://cli.github.com for other systems), then run `ghcr-doctor check` again.",
            "お使いのシステムのパッケージマネージャーで gh をインストールしてから（その他のシステムは https://cli.github.com を参照してください）、もう一度 `ghcr-doctor check` を実行してください。"
        ),
        fix_steps: |c| c.per_os("brew install gh", "sudo apt install gh", Some("winget install --id GitHub.cli")),
        symptoms: &["gh: command not found", "'gh' is not recognized as an internal or external command"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::GhTooOld,
        checks: &[CheckId::GhInstalled],
        title: t!("gh is too old", "gh のバージョンが古すぎます"),
        why: t!(
            "`gh auth token` exists only since gh 2.17.0, so older versions cannot hand their token to docker. Versions before 2.40.0 also lack multiple accounts (`gh auth switch`) and, before 2.32.0, do not know `*.ghe.com` hosts; Debian 12 ships 2.23.",
            "`gh auth token` は gh 2.17.0 から追加されたコマンドのため、それより古い gh ではトークンを docker に渡せません。また 2.40.0 より前は複数アカウント（`gh auth switch`）に対応しておらず、2.32.0 より前は `*.ghe.com` のホストを認識しません。Debian 12 に含まれる gh は 2.23 です。"
        ),
        fix: t!(
            "Upgrade gh. On Debian and Ubuntu, GitHub's own apt repository has current releases (https://github.com/cli/cli/blob/trunk/docs/install_linux.md).",
            "gh を更新してください。Debian や Ubuntu では、GitHub 公式の apt リポジトリから最新版を入手できます（https://github.com/cli/cli/blob/trunk/docs/install_linux.md）。"
        ),
        fix_steps: |c| {
            c.per_os("brew upgrade gh", "sudo apt install --only-upgrade gh", Some("winget upgrade --id GitHub.cli"))
        },
        symptoms: &["unknown command \"token\" for \"gh auth\""],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::NotLoggedIn,
        checks: &[CheckId::GhAuth, CheckId::DockerCredentials],
        title: t!("gh is not logged in to {host}", "gh が {host} にログインしていません"),
        why: t!(
            "gh has no token for {host}, so there is nothing to hand to docker and nothing to check scopes or SSO with.",
            "gh に {host} のトークンがないため、docker に渡すトークンも、スコープや SSO を確かめるためのトークンもありません。"
        ),
        fix: t!(
            "Log in with the `{scope}` scope; gh opens the browser (or shows a one-time code).",
            "`{scope}` スコープ付きでログインしてください。gh がブラウザーを開きます（またはワンタイムコードを表示します）。"
        ),
        // In a job there is nobody to log in: the token comes from the job (ghcr-facts §6.3).
        fix_steps: |c| if c.ci { Vec::new() } else { vec![c.gh_login()] },
        symptoms: &[
            "no oauth token",
            "You are not logged into any GitHub hosts. Run gh auth login to authenticate.",
            "You are not logged into any GitHub hosts. To log in, run: gh auth login",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::EnvTokenOverride,
        checks: &[CheckId::GhAuth],
        title: t!("`{var}` overrides gh's stored login", "`{var}` が gh に保存されたログインより優先されています"),
        why: t!(
            "gh uses a token from the environment (`{var}`) before the login it has stored, and `gh auth login`/`gh auth refresh` refuse to change anything while it is set. A forgotten export of an old token is a frequent surprise.",
            "gh は、保存済みのログインよりも環境変数（`{var}`）のトークンを優先します。この変数が設定されている間は `gh auth login` や `gh auth refresh` も実行を拒否します。古いトークンを export したまま忘れていた、というのはよくある落とし穴です。"
        ),
        fix: t!(
            "If you did not mean to use that token, remove the variable (and from your shell profile) so gh uses its stored login.",
            "そのトークンを使うつもりがなければ、変数を削除して（シェルの設定ファイルからも消して）、gh が保存済みのログインを使うようにしてください。"
        ),
        fix_steps: |c| vec![c.unset_env().unwrap_or_else(|| FixStep::Unset { var: "GH_TOKEN".into() })],
        symptoms: &["The value of the GH_TOKEN environment variable is being used for authentication."],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::TokenInvalid,
        checks: &[CheckId::GhAuth, CheckId::GitlabAuth, CheckId::RegistryAccess],
        title: t!("The token is expired or revoked", "トークンが期限切れか、取り消されています"),
        why: t!(
            "GitHub answered `401 Bad credentials` for the token: it expired, was revoked, or was deleted.",
            "GitHub はこのトークンに `401 Bad credentials` を返しました。トークンの期限が切れたか、取り消されたか、削除されています。"
        ),
        fix: t!("Log in again to get a fresh token.", "もう一度ログインして、新しいトークンを取得してください。"),
        // In a job a fresh token is the job's own, or a new secret: nothing to run there.
        fix_steps: |c| {
            if c.family == crate::Family::Gitlab {
                gitlab_token_login(c)
            } else if c.ci {
                Vec::new()
            } else {
                c.unset_env().into_iter().chain([c.gh_login()]).collect()
            }
        },
        symptoms: &[
            "HTTP 401: Bad credentials (https://api.github.com/user)",
            "The token in GH_TOKEN is invalid.",
            "unauthorized: unauthenticated: User cannot be authenticated with the token provided.",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::MissingScope,
        checks: &[CheckId::TokenScopes, CheckId::DockerCredentials, CheckId::RegistryAccess, CheckId::PullSecret],
        title: t!("The token lacks the `{scope}` scope", "トークンに `{scope}` スコープがありません"),
        why: t!(
            "The container registry accepts a classic token only with `read:packages` for pulls and `write:packages` for pushes (`write:packages` implies `read:packages`). gh's default login asks for `repo`, `read:org` and `gist` only. `docker login` still succeeds, because it checks no repository scope, so the error shows up only at pull or push.",
            "コンテナーレジストリがクラシックトークンを受け付けるのは、pull なら `read:packages`、push なら `write:packages` のスコープがあるときだけです（`write:packages` は `read:packages` を含みます）。gh の標準のログインで要求されるのは `repo`、`read:org`、`gist` だけです。`docker login` はリポジトリのスコープを確認しないので成功してしまい、エラーは pull や push のときに初めて出ます。"
        ),
        fix: t!(
            "Add the scope to gh's token (this keeps the existing scopes), then log docker in again with the new token.",
            "gh のトークンにスコープを追加し（既存のスコープはそのまま残ります）、新しいトークンで docker にログインし直してください。"
        ),
        fix_steps: |c| {
            if c.gh_token_suffices {
                return c.docker_credential();
            }
            let mut steps = c.gh_with_scope();
            steps.extend(c.docker_credential());
            steps
        },
        symptoms: &[
            "denied: permission_denied: The token provided does not match expected scopes.",
            "Error response from daemon: pull access denied for ghcr.io/OWNER/IMAGE, repository does not exist or may require 'docker login': denied: permission_denied: The token provided does not match expected scopes.",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::FineGrainedPat,
        checks: &[CheckId::TokenScopes, CheckId::DockerCredentials, CheckId::RegistryAccess, CheckId::PullSecret],
        title: t!(
            "A fine-grained token (`github_pat_`) is used for the registry",
            "レジストリに fine-grained トークン（`github_pat_`）が使われています"
        ),
        why: t!(
            "GitHub Packages accepts only classic personal access tokens and OAuth tokens such as gh's; fine-grained tokens are rejected even when freshly issued, with the same message as a missing scope.",
            "GitHub Packages が受け付けるのは、クラシックの個人用アクセストークンと、gh のトークンのような OAuth トークンだけです。fine-grained トークンは発行したばかりでも拒否され、スコープ不足のときと同じメッセージが出ます。"
        ),
        fix: t!(
            "Use gh's OAuth token instead: log gh in with `{scope}` and log docker in with `gh auth token`.",
            "代わりに gh の OAuth トークンを使ってください。`{scope}` 付きで gh にログインし、`gh auth token` で docker にログインします。"
        ),
        fix_steps: relogin_with_a_classic_token,
        symptoms: &["denied: permission_denied: The token provided does not match expected scopes."],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::BroadScopes,
        checks: &[CheckId::TokenScopes],
        title: t!("The token has far broader scopes than needed", "トークンに必要以上に強いスコープが付いています"),
        why: t!(
            "Pulling needs only `read:packages` (pushing `write:packages`). A token that can also delete packages or administer the organization does much more damage if it leaks, and docker keeps a copy of it.",
            "pull に必要なのは `read:packages`（push なら `write:packages`）だけです。パッケージの削除や組織の管理までできるトークンは、漏れたときの被害が大きくなります。しかも docker はそのトークンのコピーを保存します。"
        ),
        fix: t!(
            "Remove the scopes you do not need (`gh auth refresh -h {host} --remove-scopes SCOPE`, gh 2.32 or later), or use a separate token with only `{scope}` for docker.",
            "不要なスコープを外すか（gh 2.32 以降の `gh auth refresh -h {host} --remove-scopes SCOPE`）、docker 用に `{scope}` だけを持つ別のトークンを使ってください。"
        ),
        fix_steps: no_commands,
        symptoms: &[],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::SsoNotAuthorized,
        checks: &[CheckId::Sso, CheckId::RegistryAccess, CheckId::PullSecret],
        title: t!(
            "The token is not authorized for SAML single sign-on (SSO) of `{owner}`",
            "トークンが `{owner}` のシングルサインオン（SSO）で承認されていません"
        ),
        why: t!(
            "`{owner}` enforces SAML SSO (GitHub Enterprise Cloud). Its packages are visible only to tokens authorized for that SSO. gh's OAuth token is authorized only if you had an active SSO session when you logged in; a classic PAT must be authorized by hand after it is created. The registry then answers only a generic `denied` or `unauthorized`.",
            "`{owner}` は SAML シングルサインオン（SSO）を必須にしています（GitHub Enterprise Cloud）。その組織のパッケージには、SSO で承認されたトークンでしかアクセスできません。gh の OAuth トークンは、ログインした時点で SSO セッションが有効だった場合にだけ承認されます。クラシック PAT は作成後に手動で承認する必要があります。レジストリ側は `denied` や `unauthorized` としか返さないため、原因に気づきにくいです。"
        ),
        fix: t!(
            "For gh's token: start an SSO session at {web}/orgs/{owner}/sso, then refresh gh's login and log docker in again. For a classic PAT: open {url} (valid for about an hour), or Settings → Developer settings → Personal access tokens → Configure SSO → Authorize.",
            "gh のトークンの場合は、{web}/orgs/{owner}/sso で SSO セッションを開始してから gh のログインを更新し、docker にログインし直してください。クラシック PAT の場合は {url} を開くか（有効期限は約 1 時間です）、Settings → Developer settings → Personal access tokens → Configure SSO → Authorize で承認してください。"
        ),
        fix_steps: |c| {
            let mut steps = c.gh_with_scope();
            steps.extend(c.docker_credential());
            steps
        },
        symptoms: &[
            "Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.",
            "GraphQL error: Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.",
            "Error response from daemon: unauthorized",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[("url", SSO_URL_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::OauthAppRestricted,
        checks: &[CheckId::Sso],
        title: t!(
            "`{owner}` restricts OAuth apps, and gh is not approved",
            "`{owner}` が OAuth アプリを制限しており、gh が承認されていません"
        ),
        why: t!(
            "The organization has enabled OAuth App access restrictions, so the token gh received through its OAuth app cannot read the organization's data. Whether this also blocks registry pulls is not documented (UNCONFIRMED); the API refuses it.",
            "この組織は OAuth アプリのアクセス制限を有効にしているため、gh が OAuth アプリ経由で受け取ったトークンでは組織のデータを読めません。レジストリからの pull までブロックされるかどうかは公式に記載がありません（未確認）が、API は拒否します。"
        ),
        fix: t!(
            "Ask an owner of `{owner}` to approve GitHub CLI under Settings → Third-party access, or request approval when gh's login page offers it.",
            "`{owner}` のオーナーに、Settings → Third-party access で GitHub CLI を承認してもらってください。gh のログイン画面で承認をリクエストすることもできます。"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "Although you appear to have the correct authorization credentials, the `OWNER` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited.",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::ClassicPatForbidden,
        checks: &[CheckId::Sso, CheckId::RegistryAccess],
        title: t!(
            "`{owner}` forbids classic personal access tokens",
            "`{owner}` はクラシックの個人用アクセストークンを禁止しています"
        ),
        why: t!(
            "The organization's policy rejects personal access tokens (classic), and GitHub Packages does not accept fine-grained tokens, so a PAT cannot be used at all. gh's OAuth token is not a PAT.",
            "組織のポリシーでクラシックの個人用アクセストークンが拒否されます。一方で GitHub Packages は fine-grained トークンを受け付けないため、PAT は使えません。gh の OAuth トークンは PAT ではないので使えます。"
        ),
        fix: t!(
            "Use gh's OAuth token: log gh in with `{scope}`, then log docker in with `gh auth token`.",
            "gh の OAuth トークンを使ってください。`{scope}` 付きで gh にログインし、`gh auth token` で docker にログインします。"
        ),
        fix_steps: relogin_with_a_classic_token,
        symptoms: &[
            "denied: permission_denied: `OWNER` forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions.",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::OrgMembershipPending,
        checks: &[CheckId::Sso],
        title: t!("Your invitation to `{owner}` is not accepted yet", "`{owner}` への招待をまだ承諾していません"),
        why: t!(
            "You were invited to the organization but have not accepted, so its private packages are not visible to you yet.",
            "組織に招待されていますが、まだ承諾していないため、組織のプライベートなパッケージにはまだアクセスできません。"
        ),
        fix: t!(
            "Accept the invitation at {web}/orgs/{owner}/invitation.",
            "{web}/orgs/{owner}/invitation で招待を承諾してください。"
        ),
        fix_steps: no_commands,
        symptoms: &[],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::RegistryUnavailable,
        checks: &[CheckId::GithubHost, CheckId::RegistryAccess],
        title: t!(
            "The container registry `{registry}` is not available",
            "コンテナーレジストリ `{registry}` に接続できません"
        ),
        why: t!(
            "On GitHub Enterprise Server the registry lives at `containers.HOST` and exists only when the site administrator has enabled GitHub Packages and subdomain isolation (wildcard DNS and a certificate for `*.HOST`). The host did not resolve or did not answer as a registry.",
            "GitHub Enterprise Server では、レジストリは `containers.HOST` にあります。サイト管理者が GitHub Packages とサブドメイン分離（`*.HOST` のワイルドカード DNS と証明書）を有効にしている場合にだけ使えます。このホストは名前解決できないか、レジストリとして応答しませんでした。"
        ),
        fix: t!(
            "Check the host name in `ghcr-doctor.toml`. If it is right, ask your site administrator whether GitHub Packages and subdomain isolation are enabled.",
            "`ghcr-doctor.toml` のホスト名を確認してください。正しければ、GitHub Packages とサブドメイン分離が有効になっているかをサイト管理者に確認してください。"
        ),
        fix_steps: no_commands,
        symptoms: &["dial tcp: lookup containers.HOST: no such host"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::HostMismatch,
        checks: &[CheckId::GithubHost, CheckId::GitlabHost],
        title: t!(
            "The image's registry does not belong to the configured GitHub host",
            "イメージのレジストリが、設定された GitHub ホストのものではありません"
        ),
        why: t!(
            "Images of {host} live on `{registry}`. An image on another registry is checked against the wrong GitHub, and its token will not work there.",
            "{host} のイメージは `{registry}` にあります。別のレジストリのイメージを指定すると、違う GitHub に対して確認することになり、トークンも通用しません。"
        ),
        fix: t!(
            "Set `host` in `ghcr-doctor.toml` (or `--host`) to the GitHub that owns the image, or fix the image name.",
            "`ghcr-doctor.toml` の `host`（または `--host`）をイメージを所有する GitHub に合わせるか、イメージ名を直してください。"
        ),
        fix_steps: no_commands,
        symptoms: &[],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::DockerMissing,
        checks: &[CheckId::DockerDaemon],
        title: t!("The docker CLI is not installed", "docker CLI がインストールされていません"),
        why: t!(
            "Without the docker command there is nothing to pull or push with.",
            "docker コマンドがなければ、pull も push もできません。"
        ),
        fix: t!(
            "Install Docker (Docker Desktop on macOS and Windows, the docker.io or docker-ce package on Linux).",
            "Docker をインストールしてください（macOS と Windows では Docker Desktop、Linux では docker.io または docker-ce パッケージ）。"
        ),
        fix_steps: |c| {
            c.per_os(
                "brew install --cask docker",
                "sudo apt install docker.io",
                Some("winget install --id Docker.DockerDesktop"),
            )
        },
        symptoms: &["docker: command not found"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::DaemonUnreachable,
        checks: &[CheckId::DockerDaemon],
        title: t!(
            "The Docker daemon is not running or not reachable",
            "Docker デーモンが起動していないか、接続できません"
        ),
        why: t!(
            "The docker CLI talks to a daemon, which does the actual pull. The endpoint it uses (`DOCKER_HOST`, `DOCKER_CONTEXT`, or the current context) does not answer. docker prints the same message for a missing socket, a stale socket and a refused TCP port.",
            "docker CLI はデーモンと通信し、実際の pull はデーモンが行います。使われているエンドポイント（`DOCKER_HOST`、`DOCKER_CONTEXT`、または現在のコンテキスト）が応答しません。ソケットがない場合も、古いソケットが残っている場合も、TCP 接続が拒否された場合も、docker は同じメッセージを出します。"
        ),
        fix: t!(
            "Start the daemon (Docker Desktop on macOS and Windows, the docker service on Linux), or point `DOCKER_HOST`/`DOCKER_CONTEXT` at the right one.",
            "デーモンを起動してください（macOS と Windows では Docker Desktop、Linux では docker サービス）。または `DOCKER_HOST` や `DOCKER_CONTEXT` を正しいデーモンに向けてください。"
        ),
        fix_steps: |c| {
            let linux = if c.systemd { "sudo systemctl start docker" } else { "sudo service docker start" };
            c.per_os("open -a Docker", linux, None)
        },
        symptoms: &[
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
            "failed to connect to the docker API at unix:///var/run/docker.sock; check if the path is correct and if the daemon is running: dial unix /var/run/docker.sock: connect: no such file or directory",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::DaemonPermission,
        checks: &[CheckId::DockerDaemon],
        title: t!("No permission to use the Docker daemon's socket", "Docker デーモンのソケットを使う権限がありません"),
        why: t!(
            "The daemon runs, but its socket belongs to root and the `docker` group, and your user is in neither.",
            "デーモンは動いていますが、ソケットの所有者は root と `docker` グループで、あなたのユーザーはどちらにも属していません。"
        ),
        fix: t!(
            "Add your user to the `docker` group, then log out and log in again: only a new login session has the group, so opening another terminal window is not enough. Membership in `docker` is equivalent to root on this machine.",
            "ユーザーを `docker` グループに追加してから、一度ログアウトしてログインし直してください。グループが有効になるのは新しいログインセッションだけなので、端末のウィンドウを開き直すだけでは足りません。`docker` グループのメンバーは、このマシンの root と同等の権限を持つ点に注意してください。"
        ),
        // Only the group change: a new login session cannot be started from a pasted command
        // (`newgrp` would open a subshell and run the rest of a pasted block elsewhere), so the
        // fix text says to log in again; on a self-hosted runner the runner's service must start
        // again to get the group.
        fix_steps: |c| match c.os {
            Os::Linux | Os::Other => vec![FixStep::Manual("sudo usermod -aG docker \"$USER\"".into())],
            Os::MacOs | Os::Windows => Vec::new(),
        },
        symptoms: &[
            "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
            "permission denied while trying to connect to the docker API at unix:///var/run/docker.sock",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::CredentialHelperMissing,
        checks: &[CheckId::DockerCredentials],
        title: t!(
            "docker's credential helper is not installed",
            "docker の認証情報ヘルパーがインストールされていません"
        ),
        why: t!(
            "`{config}` tells docker to keep credentials in `{helper}`, but that program is not on PATH. docker then silently pulls anonymously, so private images fail with `pull access denied`, and `docker login` fails with `error storing credentials`.",
            "`{config}` では認証情報を `{helper}` に保存するよう設定されていますが、そのプログラムが PATH にありません。この場合 docker は何も言わずに匿名で pull するため、プライベートなイメージは `pull access denied` で失敗し、`docker login` も `error storing credentials` で失敗します。"
        ),
        fix: t!(
            "Install the helper, or remove the `credsStore`/`credHelpers` entry from `{config}` (a leftover of Docker Desktop is common), then log docker in again.",
            "ヘルパーをインストールするか、`{config}` から `credsStore` や `credHelpers` の設定を削除してください（Docker Desktop の設定が残っていることがよくあります）。そのあと docker にログインし直してください。"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "error getting credentials - err: exec: \"docker-credential-desktop\": executable file not found in $PATH, out: ``",
            "error storing credentials - err: exec: \"docker-credential-desktop\": executable file not found in $PATH, out: ``",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN), ("helper", HELPER_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::NoCredentials,
        checks: &[CheckId::RegistryAccess, CheckId::DockerCredentials, CheckId::GitlabAuth],
        title: t!("docker has no credentials for `{registry}`", "docker に `{registry}` の認証情報がありません"),
        why: t!(
            "docker sends nothing, so the registry treats the pull as anonymous. That works for public images only; a private or missing image answers `unauthorized` (or `denied: requested access to the resource is denied`).",
            "docker は認証情報を送らないため、レジストリは匿名の pull として扱います。これで取得できるのは公開イメージだけです。プライベートなイメージや存在しないイメージには `unauthorized`（または `denied: requested access to the resource is denied`）が返ります。"
        ),
        fix: t!(
            "Log docker in with gh's token, through a pipe, so the token never appears in the command line or shell history.",
            "gh のトークンをパイプで渡して docker にログインしてください。こうするとトークンがコマンドラインやシェルの履歴に残りません。"
        ),
        fix_steps: FixCtx::docker_credential,
        symptoms: &[
            "Error response from daemon: Head \"https://ghcr.io/v2/OWNER/IMAGE/manifests/TAG\": unauthorized",
            "Error response from daemon: error from registry: unauthorized",
            "denied: requested access to the resource is denied",
            "pull access denied for ghcr.io/OWNER/IMAGE, repository does not exist or may require 'docker login'",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::StaleCredentials,
        checks: &[CheckId::DockerCredentials, CheckId::RegistryAccess],
        title: t!(
            "docker holds old or invalid credentials for `{registry}`",
            "docker が `{registry}` の古い（無効な）認証情報を持っています"
        ),
        why: t!(
            "docker sends the credentials it stored at its last `docker login`, typically an old, expired or revoked personal access token. The registry rejects them, and this breaks even public images, because docker does not fall back to anonymous access.",
            "docker は前回の `docker login` で保存した認証情報を送ります。多くの場合、それは古い、期限切れ、または取り消された個人用アクセストークンです。レジストリはこれを拒否します。docker は匿名アクセスに切り替えないため、公開イメージの pull まで失敗します。"
        ),
        fix: t!(
            "Remove the stored credentials, then log in again with gh's current token.",
            "保存された認証情報を削除してから、gh の現在のトークンでログインし直してください。"
        ),
        fix_steps: FixCtx::docker_relogin,
        symptoms: &[
            "Error response from daemon: Head \"https://ghcr.io/v2/OWNER/IMAGE/manifests/TAG\": denied: denied",
            "Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied",
            "unauthorized: unauthenticated: User cannot be authenticated with the token provided.",
            "Error response from daemon: error from registry: denied",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::PlaintextCredentials,
        checks: &[CheckId::DockerCredentials],
        title: t!("docker stores the token unencrypted", "docker がトークンを暗号化せずに保存しています"),
        why: t!(
            "The token is in `{config}` as base64, which is not encryption: anyone who can read the file has your token.",
            "トークンは `{config}` に base64 で保存されています。base64 は暗号化ではないため、このファイルを読める人なら誰でもトークンを取り出せます。"
        ),
        fix: t!(
            "Configure a credential helper (`credsStore`: osxkeychain, wincred, pass or secretservice) and log in again. See https://docs.docker.com/go/credential-store/.",
            "認証情報ヘルパー（`credsStore` に osxkeychain、wincred、pass、secretservice のいずれか）を設定して、ログインし直してください。詳しくは https://docs.docker.com/go/credential-store/ を参照してください。"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "WARNING! Your password will be stored unencrypted in /root/.docker/config.json.",
            "WARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::MalformedDockerConfig,
        checks: &[CheckId::DockerCredentials],
        title: t!("docker's config.json is not valid JSON", "docker の config.json が正しい JSON ではありません"),
        why: t!(
            "docker cannot read `{config}`, so it ignores the credentials in it and pulls anonymously. podman, whose auth files have the same format, stops instead with `Error: get credentials` and does not try its next file.",
            "docker は `{config}` を読めないため、そこにある認証情報を無視して匿名で pull します。同じ形式の認証ファイルを使う podman は、この場合 `Error: get credentials` で止まり、次のファイルを試しません。"
        ),
        fix: t!(
            "Fix the file at the position shown ({detail}), or move it away and log in again.",
            "表示された位置（{detail}）を修正するか、ファイルを別の場所に移してからログインし直してください。"
        ),
        fix_steps: no_commands,
        symptoms: &[],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN), ("detail", DETAIL_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::NoPackageAccess,
        checks: &[CheckId::RegistryAccess, CheckId::PullSecret],
        title: t!("You have no access to the package `{image}`", "パッケージ `{image}` へのアクセス権がありません"),
        why: t!(
            "The token is valid and has the right scope, but the package is private and has not been shared with you (or it does not exist). Only the package's admins, or the owners of `{owner}`, can grant access.",
            "トークンは有効でスコープも足りていますが、パッケージがプライベートで、あなたに共有されていません（またはパッケージが存在しません）。アクセス権を付与できるのは、パッケージの管理者か `{owner}` のオーナーだけです。"
        ),
        fix: t!(
            "Check the image name. Then ask an admin of the package to add you (or your team) with the Read role under the package's settings → Manage access: {web}/orgs/{owner}/packages/container/package/{name}.",
            "まずイメージ名を確認してください。そのうえで、パッケージの管理者に、パッケージの設定 → Manage access で Read ロールを付けてあなた（またはあなたのチーム）を追加してもらってください：{web}/orgs/{owner}/packages/container/package/{name}"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "Error response from daemon: denied",
            "denied: denied",
            "denied: requested access to the resource is denied",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::NoWriteAccess,
        checks: &[CheckId::RegistryAccess],
        title: t!("You cannot push to `{image}`", "`{image}` に push できません"),
        why: t!(
            "You can authenticate, but you do not have the Write role on this package (`write_package`), or may not create a new package in `{owner}` (`create_package`). In Actions: a package first pushed by hand is not linked to the repository, so the workflow's token gets no write access until it is granted under Manage Actions access.",
            "認証はできていますが、このパッケージの Write ロールがないか（`write_package`）、`{owner}` に新しいパッケージを作る権限がありません（`create_package`）。Actions の場合、最初に手動で push したパッケージはリポジトリに紐付いていないため、Manage Actions access で付与するまでワークフローのトークンには書き込み権限がありません。"
        ),
        fix: t!(
            "Ask a package admin to give you (or the workflow's repository, under Manage Actions access) the Write role.",
            "パッケージの管理者に、あなた（またはワークフローのリポジトリ。Manage Actions access で設定します）へ Write ロールを付与してもらってください。"
        ),
        fix_steps: no_commands,
        symptoms: &["denied: permission_denied: write_package", "denied: permission_denied: create_package"],
        audience: Audience::Pushing,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::ActionsTokenNoAccess,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "The workflow's token has no access to the package",
            "ワークフローのトークンにパッケージへのアクセス権がありません"
        ),
        why: t!(
            "GitHub Actions' `GITHUB_TOKEN` reaches only packages linked to the workflow's repository or granted to it under the package's Manage Actions access. Since February 2023 new organizations also give the token read-only permissions by default, so pushing needs `permissions: packages: write` on the job.",
            "GitHub Actions の `GITHUB_TOKEN` がアクセスできるのは、ワークフローのリポジトリに紐付いたパッケージか、パッケージの Manage Actions access で許可されたパッケージだけです。また 2023 年 2 月以降に作られた組織では、トークンの権限が標準で読み取り専用になっているため、push するにはジョブに `permissions: packages: write` が必要です。"
        ),
        fix: t!(
            "Grant the workflow's repository access in the package's settings → Manage Actions access → Add Repository, with the Read role to pull or Write to push (a package admin can do this).",
            "パッケージの設定 → Manage Actions access → Add Repository で、ワークフローのリポジトリにアクセスを許可してください。pull なら Read、push なら Write のロールを選びます（パッケージの管理者が設定できます）。"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "denied: installation not allowed to Read organization package",
            "denied: installation not allowed to Write organization package",
            "denied: installation not allowed to Create organization package",
        ],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::TagNotFound,
        checks: &[CheckId::RegistryAccess, CheckId::PullSecret],
        title: t!("The tag does not exist: `{image}`", "タグが存在しません：`{image}`"),
        why: t!(
            "Authentication and access are fine and the package exists, but it has no manifest for this tag or digest.",
            "認証とアクセス権には問題がなく、パッケージも存在しますが、このタグ（またはダイジェスト）のマニフェストがありません。"
        ),
        fix: t!(
            "Check the tag (typos, a tag not pushed yet by CI, a branch tag that was replaced) on the package's page.",
            "パッケージのページでタグを確認してください（タイプミス、CI がまだ push していないタグ、置き換えられたブランチのタグなど）。"
        ),
        fix_steps: no_commands,
        symptoms: &["manifest unknown", "Error response from daemon: manifest unknown"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::RateLimited,
        checks: &[CheckId::RegistryAccess],
        title: t!("The registry is rate limiting requests", "レジストリのレート制限に達しました"),
        why: t!(
            "The registry answered `429 Too Many Requests`. GitHub publishes no limit for its container registry.",
            "レジストリが `429 Too Many Requests` を返しました。GitHub はコンテナーレジストリの制限値を公開していません。"
        ),
        fix: t!(
            "Wait a moment and retry; spread out parallel pulls in CI.",
            "少し待ってから再試行してください。CI では並列の pull を分散させてください。"
        ),
        fix_steps: no_commands,
        symptoms: &["toomanyrequests: retry-after: 880.092µs, allowed: 44000/minute"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::NonTtyLogin,
        checks: &[CheckId::DockerCredentials],
        title: t!("docker login was run without a terminal", "端末のない環境で docker login が実行されました"),
        why: t!(
            "Without `--password-stdin`, docker login asks for the password interactively, which fails in scripts and CI.",
            "`--password-stdin` を付けないと docker login は対話的にパスワードを尋ねるため、スクリプトや CI では失敗します。"
        ),
        fix: t!(
            "Pipe the token in with `--password-stdin`.",
            "`--password-stdin` を使ってトークンをパイプで渡してください。"
        ),
        fix_steps: FixCtx::docker_credential,
        symptoms: &[
            "Error: Cannot perform an interactive login from a non TTY device",
            "error: cannot perform an interactive login from a non-TTY device",
        ],
        audience: Audience::Rare,
        log_only: true,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::InvalidReference,
        checks: &[CheckId::RegistryAccess],
        title: t!("The image reference is not valid", "イメージ参照が正しくありません"),
        why: t!(
            "Image names must be lower case, even when the GitHub owner has capitals (`${GITHUB_REPOSITORY_OWNER,,}` lower-cases it in a workflow), and tags allow only letters, digits, `_`, `.` and `-`.",
            "イメージ名は、GitHub の所有者名に大文字が含まれていても、小文字で書く必要があります（ワークフローでは `${GITHUB_REPOSITORY_OWNER,,}` で小文字にできます）。また、タグに使えるのは英数字、`_`、`.`、`-` だけです。"
        ),
        fix: t!("Write the image name in lower case.", "イメージ名を小文字で書いてください。"),
        fix_steps: lower_case_in_the_workflow,
        symptoms: &["invalid reference format: repository name must be lowercase"],
        audience: Audience::Everyone,
        log_only: true,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::Network,
        checks: &[CheckId::RegistryAccess, CheckId::GithubHost, CheckId::GhAuth, CheckId::Sso, CheckId::GitlabHost],
        title: t!("The network connection failed", "ネットワーク接続に失敗しました"),
        why: t!(
            "The host could not be reached: DNS, a proxy, a firewall, or a TLS certificate problem (often a company proxy that replaces certificates).",
            "ホストに到達できませんでした。DNS、プロキシ、ファイアウォール、または TLS 証明書の問題です（証明書を差し替える社内プロキシが原因のことがよくあります）。"
        ),
        fix: t!(
            "Check the connection and the proxy settings (`HTTPS_PROXY`, docker's proxy settings), then retry.",
            "接続とプロキシの設定（`HTTPS_PROXY`、docker のプロキシ設定）を確認してから再試行してください。"
        ),
        fix_steps: |c| vec![FixStep::Manual(format!("curl -sI https://{}/v2/", c.registry))],
        symptoms: &[
            "dial tcp: lookup ghcr.io: no such host",
            "x509: certificate signed by unknown authority",
            "proxyconnect tcp",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::Timeout,
        checks: &[
            CheckId::RegistryAccess,
            CheckId::GhInstalled,
            CheckId::GithubHost,
            CheckId::GhAuth,
            CheckId::Sso,
            CheckId::DockerDaemon,
            CheckId::DockerCredentials,
        ],
        title: t!("No answer within the time limit", "制限時間内に応答がありませんでした"),
        why: t!(
            "A program or server did not answer in time, and ghcr-doctor stopped waiting (gh and docker have no time limit of their own and can hang forever).",
            "プログラムまたはサーバーが時間内に応答しなかったため、ghcr-doctor は待つのをやめました（gh と docker には独自のタイムアウトがなく、いつまでも止まったままになることがあります）。"
        ),
        fix: t!(
            "Retry, or allow more time with `--timeout SECONDS`; check the proxy and the Docker daemon if it keeps happening.",
            "再試行するか、`--timeout SECONDS` で待ち時間を延ばしてください。何度も起きる場合はプロキシと Docker デーモンを確認してください。"
        ),
        fix_steps: no_commands,
        symptoms: &["context deadline exceeded", "i/o timeout", "net/http: TLS handshake timeout"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::RegistryTokenExpired,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "The registry token expired during a long operation",
            "長い処理の途中でレジストリのトークンが期限切れになりました"
        ),
        why: t!(
            "Registry tokens are short-lived (GitLab: 5 minutes by default, 15 on GitLab.com); a long push of big layers can outlive them and fail with `unauthorized: authentication required`.",
            "レジストリのトークンは有効期間が短く（GitLab では標準で 5 分、GitLab.com では 15 分）、大きなレイヤーの push に時間がかかると途中で期限が切れ、`unauthorized: authentication required` で失敗します。"
        ),
        fix: t!(
            "Retry the push; on GitLab, an administrator can raise the token lifetime.",
            "push を再試行してください。GitLab では管理者がトークンの有効期間を延ばせます。"
        ),
        fix_steps: no_commands,
        symptoms: &["unauthorized: authentication required"],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::GitlabAccessForbidden,
        checks: &[CheckId::RegistryAccess],
        title: t!("GitLab's registry forbids this access", "GitLab のレジストリがこのアクセスを禁止しています"),
        why: t!(
            "This message comes from GitLab, not GitHub: the token lacks `read_registry` (pull) or `write_registry` (push), or the job token is not allowed for that project.",
            "このメッセージは GitHub ではなく GitLab のものです。トークンに `read_registry`（pull）または `write_registry`（push）がないか、ジョブトークンがそのプロジェクトで許可されていません。"
        ),
        fix: t!(
            "Use a token with `read_registry`/`write_registry`, or in GitLab CI log in with `$CI_REGISTRY_USER` and `$CI_REGISTRY_PASSWORD`.",
            "`read_registry` や `write_registry` を持つトークンを使うか、GitLab CI では `$CI_REGISTRY_USER` と `$CI_REGISTRY_PASSWORD` でログインしてください。"
        ),
        fix_steps: no_commands,
        symptoms: &["denied: access forbidden"],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::MissingPackagesPermission,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "The job's `GITHUB_TOKEN` lacks the `packages` permission it needs",
            "ジョブの `GITHUB_TOKEN` に必要な `packages` の権限がありません"
        ),
        why: t!(
            "A workflow's `GITHUB_TOKEN` has only the permissions that the job's (or else the workflow's) `permissions:` block lists; a block that does not list `packages` sets it to `none`. Without any block the repository's default applies, and that default has been read-only for organizations and repositories created since February 2023. The registry then answers `installation not allowed to Write organization package` (or `permission_denied: write_package`), the same words as for a package that does not grant the repository access.",
            "ワークフローの `GITHUB_TOKEN` が持つのは、ジョブの（なければワークフロー全体の）`permissions:` に書かれた権限だけです。`packages` を書かずに `permissions:` を置くと、`packages` は `none` になります。`permissions:` がまったくなければリポジトリの標準設定が使われ、2023 年 2 月以降に作られた組織やリポジトリでは、その標準は読み取り専用です。このときレジストリは `installation not allowed to Write organization package`（または `permission_denied: write_package`）を返します。これは、パッケージがリポジトリにアクセスを許可していない場合と同じメッセージです。"
        ),
        fix: t!(
            "Give the job the permission in the workflow file (a `permissions:` block replaces the defaults, so keep `contents: read` for `actions/checkout`):\n    permissions:\n      contents: read\n      packages: {level}",
            "ワークフローファイルのジョブに権限を追加してください（`permissions:` を書くと標準の権限が置き換わるため、`actions/checkout` に必要な `contents: read` も書いてください）：\n    permissions:\n      contents: read\n      packages: {level}"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "denied: installation not allowed to Write organization package",
            "denied: installation not allowed to Create organization package",
            "denied: permission_denied: write_package",
        ],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::ForkPullRequest,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "A pull request from a fork cannot push to `{registry}`",
            "フォークからのプルリクエストでは `{registry}` に push できません"
        ),
        why: t!(
            "For `pull_request` events from a fork, GitHub gives the workflow a read-only `GITHUB_TOKEN`, whatever its `permissions:` say, so that code from outside the repository cannot publish packages. The push is refused with `installation not allowed to Write organization package` or `permission_denied: write_package`.",
            "フォークからの `pull_request` イベントでは、`permissions:` の内容にかかわらず、GitHub はワークフローに読み取り専用の `GITHUB_TOKEN` を渡します。リポジトリ外のコードがパッケージを公開できないようにするためです。push は `installation not allowed to Write organization package` や `permission_denied: write_package` で拒否されます。"
        ),
        fix: t!(
            "Do not push from pull requests of forks: build without pushing there and push on `push` events, or guard the login and push steps:\n    if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository\nWith `docker/build-push-action`, `push: ${{ github.event_name != 'pull_request' }}` builds without pushing in pull requests.",
            "フォークからのプルリクエストでは push しないでください。そこではビルドだけを行い、push は `push` イベントで行うか、ログインと push のステップに次の条件を付けてください：\n    if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository\n`docker/build-push-action` では、`push: ${{ github.event_name != 'pull_request' }}` とするとプルリクエストではビルドだけを行います。"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "denied: installation not allowed to Write organization package",
            "denied: permission_denied: write_package",
        ],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::PackageCreationForbidden,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "The workflow may not create the package `{image}`",
            "ワークフローはパッケージ `{image}` を作成できません"
        ),
        why: t!(
            "The package does not exist yet, so the push would create it, and the registry refuses (`installation not allowed to Create organization package`, `permission_denied: create_package`). A workflow's `GITHUB_TOKEN` can create a package only under its own repository's owner, and only while the organization lets new packages inherit access from their source repository; the organization may also limit which package visibilities may be created.",
            "パッケージがまだ存在しないため、push するとパッケージが新しく作られますが、レジストリはそれを拒否しました（`installation not allowed to Create organization package`、`permission_denied: create_package`）。ワークフローの `GITHUB_TOKEN` がパッケージを作れるのは、そのリポジトリの所有者の下だけで、しかも組織が「新しいパッケージはソースリポジトリのアクセス権を引き継ぐ」設定にしている場合に限られます。また、組織は作成できるパッケージの公開範囲を制限していることがあります。"
        ),
        fix: t!(
            "Check the image name first: a typo makes a new package. Then ask an owner of `{owner}` to allow it (Organization settings → Packages: \"Package creation\" and \"Inherit access from source repository\"), or create the package once by hand with a personal access token (classic) with `write:packages` and grant the repository the Write role under the package's Manage Actions access: {web}/orgs/{owner}/packages/container/{name}/settings",
            "まずイメージ名を確認してください。タイプミスがあると新しいパッケージになります。そのうえで、`{owner}` のオーナーに作成を許可してもらうか（Organization settings → Packages の「Package creation」と「Inherit access from source repository」）、`write:packages` 付きのクラシック PAT で一度手動でパッケージを作成し、パッケージの Manage Actions access でリポジトリに Write ロールを付与してください：{web}/orgs/{owner}/packages/container/{name}/settings"
        ),
        fix_steps: no_commands,
        symptoms: &[
            "denied: installation not allowed to Create organization package",
            "denied: permission_denied: create_package",
        ],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::UnexpectedResponse,
        checks: &[CheckId::RegistryAccess, CheckId::GithubHost, CheckId::GhAuth, CheckId::Sso, CheckId::GitlabHost],
        title: t!(
            "Something between you and `{registry}` answered in its place",
            "`{registry}` の代わりに、途中の何かが応答しています"
        ),
        why: t!(
            "A request got an answer that is not what the endpoint documents: an HTML page where JSON is due, a redirect, or a body larger than any real answer. That is what a proxy's error page, a captive portal (hotel or café Wi-Fi) or a TLS-inspecting firewall sends, so ghcr-doctor does not read it as a pass.",
            "エンドポイントの仕様とは違う応答が返ってきました。JSON が返るはずのところに HTML のページが返った、リダイレクトされた、実際の応答ではありえない大きさの本文が返った、のいずれかです。プロキシのエラーページ、キャプティブポータル（ホテルやカフェの Wi-Fi）、TLS を検査するファイアウォールがこのような応答を返すため、ghcr-doctor はこれを成功とは判断しません。"
        ),
        fix: t!(
            "Open any web page to log in to a captive portal, check `HTTPS_PROXY` and `NO_PROXY` (and docker's proxy settings), then compare with the command below, which should show `401` and `docker-distribution-api-version: registry/2.0`.",
            "キャプティブポータルであれば、どれかの Web ページを開いてログインしてください。`HTTPS_PROXY` と `NO_PROXY`（と docker のプロキシ設定）を確認してから、下のコマンドの結果と比べてください。正しく届いていれば `401` と `docker-distribution-api-version: registry/2.0` が表示されます。"
        ),
        fix_steps: |c| vec![FixStep::Manual(format!("curl -sI https://{}/v2/", c.registry))],
        symptoms: &[],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::ToolFailed,
        checks: &[CheckId::GhAuth, CheckId::DockerDaemon, CheckId::GhInstalled, CheckId::GlabInstalled],
        title: t!(
            "A program the doctor asked failed in a way it does not document",
            "ghcr-doctor が呼び出したプログラムが、想定外の形で失敗しました"
        ),
        why: t!(
            "gh, docker or a credential helper was killed, crashed, could not be started, or printed something unreadable, so what it would have said is unknown. This is not a login or daemon problem by itself, and ghcr-doctor does not guess one.",
            "gh、docker、または認証情報ヘルパーが強制終了されたか、クラッシュしたか、起動できなかったか、読み取れない出力を返しました。そのため、本来の答えはわかりません。これだけではログインやデーモンの問題とは言えないため、ghcr-doctor は原因を推測しません。"
        ),
        fix: t!(
            "Run the program named above yourself to see what it prints, fix or reinstall it, then run `ghcr-doctor check` again.",
            "上に示したプログラムを自分で実行して出力を確認し、修正するか入れ直してから、もう一度 `ghcr-doctor check` を実行してください。"
        ),
        fix_steps: no_commands,
        symptoms: &[],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::CredentialHelperError,
        checks: &[CheckId::DockerCredentials],
        title: t!(
            "docker's credential helper `{helper}` runs but fails",
            "docker の認証情報ヘルパー `{helper}` は実行されますが、失敗しています"
        ),
        why: t!(
            "`{config}` tells docker to keep credentials in `{helper}`. The program is installed, but it fails when docker asks it to store or look up a login: a `pass` store that was never initialised (`pass init`), a locked macOS keychain or one that cannot ask for its password in this session (ssh, CI), no D-Bus session or secret service for `secretservice`, a token too long for `wincred`, or a helper that does not implement `store` at all (`ecr-login`, glab's helper). docker then cannot save the login (`error storing credentials`) or sends nothing (`error getting credentials`).",
            "`{config}` では、認証情報を `{helper}` に保存するよう設定されています。プログラムはインストールされていますが、docker がログイン情報の保存や取得を頼むと失敗します。よくある原因は、初期化されていない `pass` のストア（`pass init` が未実行）、ロックされた macOS のキーチェーンや、このセッション（ssh や CI）ではパスワードを尋ねられないキーチェーン、`secretservice` に必要な D-Bus セッションやシークレットサービスがないこと、`wincred` には長すぎるトークン、そもそも `store` を実装していないヘルパー（`ecr-login` や glab のヘルパー）です。この場合 docker はログイン情報を保存できないか（`error storing credentials`）、何も送りません（`error getting credentials`）。"
        ),
        fix: t!(
            "Make the helper work, or stop using it: initialise pass with your GPG key (`pass init KEY_ID`), unlock the keychain (`security unlock-keychain`), or run inside a desktop session for secretservice; otherwise remove `credsStore` from `{config}` (or name the helper in `credHelpers` only for the registries it serves). Then log docker in again.",
            "ヘルパーが動くようにするか、使うのをやめてください。pass なら GPG キーで初期化し（`pass init KEY_ID`）、キーチェーンならロックを解除し（`security unlock-keychain`）、secretservice ならデスクトップのセッション内で実行します。それが難しければ `{config}` から `credsStore` を削除してください（そのヘルパーが扱うレジストリだけを `credHelpers` に書く方法もあります）。そのあと docker にログインし直してください。"
        ),
        fix_steps: |c| {
            let mut steps = Vec::new();
            if c.os == Os::MacOs {
                steps.push(FixStep::Manual("security unlock-keychain ~/Library/Keychains/login.keychain-db".into()));
            }
            steps.extend(c.docker_credential());
            steps
        },
        symptoms: &[
            "Error saving credentials: error storing credentials - err: exit status 1, out: `pass store is uninitialized`",
            "error getting credentials - err: exit status 1, out: `Cannot autolaunch D-Bus without X11 $DISPLAY`",
            "Error saving credentials: error storing credentials - err: exit status 1, out: `User interaction is not allowed.`",
        ],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN), ("helper", HELPER_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::GitlabTwoFactorPassword,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "The account password was refused: the account uses two-factor authentication",
            "アカウントのパスワードが拒否されました（2 要素認証が有効なアカウントです）"
        ),
        why: t!(
            "With two-factor authentication on (on GitLab.com required for any sign-in with a password since April 2026), GitLab's registry does not accept the account password, even the right one, and answers with the same `HTTP Basic: Access denied` as for a wrong password. Docker Hub says `please use personal access token to login`. Only a token works there.",
            "2 要素認証（2FA）が有効なアカウントでは（GitLab.com では 2026 年 4 月から、パスワードを使うサインインに必須です）、GitLab のレジストリは正しいパスワードであっても受け付けず、パスワードが間違っているときと同じ `HTTP Basic: Access denied` を返します。Docker Hub の場合は `please use personal access token to login` と表示されます。使えるのはトークンだけです。"
        ),
        fix: t!(
            "Create a personal access token with `read_registry` (and `write_registry` to push) at {token_page} (on Docker Hub, a personal access token) and log in with it as the password, through a pipe.",
            "{token_page} で `read_registry`（push するなら `write_registry` も）を付けた個人用アクセストークンを作成し（Docker Hub の場合は Personal access token）、それをパスワードとしてパイプで渡してログインしてください。"
        ),
        fix_steps: gitlab_token_login,
        symptoms: &[
            "unauthorized: please use personal access token to login",
            "HTTP Basic: Access denied. The provided password or token is incorrect or your account has 2FA enabled and you must use a personal access token instead of a password. See https://gitlab.com/help/user/profile/account/two_factor_authentication#troubleshooting",
        ],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::ClientBug,
        checks: &[CheckId::DockerDaemon],
        title: t!("A bug in this version of the client", "このバージョンのクライアントの不具合です"),
        why: t!(
            "The message comes from a known bug of one client release, not from the token, the registry or the network: nerdctl 0.16.0's login (`tryLoginWithRegHost` … `404`), nerdctl 0.7's lookup of the ghcr.io login, rpm-ostree 2022.18's `Conflicting authentication options`, docker before 1.11 against registries with token authentication, old osxkeychain helpers on logout, the OCI client of Dev Containers 0.292.0.",
            "このメッセージは、トークン、レジストリ、ネットワークの問題ではなく、特定のクライアントのリリースにある既知の不具合によるものです。例：nerdctl 0.16.0 のログイン（`tryLoginWithRegHost` … `404`）、nerdctl 0.7 の ghcr.io のログイン情報の検索、rpm-ostree 2022.18 の `Conflicting authentication options`、トークン認証のレジストリに対する 1.11 より前の docker、ログアウト時の古い osxkeychain ヘルパー、Dev Containers 0.292.0 の OCI クライアント。"
        ),
        fix: t!(
            "Upgrade the client that printed the message to a release with the fix, or go back to the last release that worked.",
            "メッセージを出したクライアントを、修正が入ったリリースに更新してください。または、最後に動いていたリリースに戻してください。"
        ),
        fix_steps: no_commands,
        symptoms: &["error: Conflicting authentication options"],
        audience: Audience::Rare,
        log_only: true,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::MissingRegistryScope,
        checks: &[CheckId::RegistryAccess, CheckId::TokenScopes],
        title: t!(
            "The GitLab token lacks `read_registry` or `write_registry`",
            "GitLab のトークンに `read_registry` または `write_registry` がありません"
        ),
        why: t!(
            "GitLab's registry lets a personal, project, group or deploy token pull only with `read_registry` (or `read_api`/`api`), and push only with `write_registry` as well; a token with `write_registry` alone can do neither. The pull or push is then refused with the generic `denied: requested access to the resource is denied`.",
            "GitLab のレジストリでは、個人・プロジェクト・グループ・デプロイの各トークンで pull するには `read_registry`（または `read_api`、`api`）が、push するにはさらに `write_registry` が必要です。`write_registry` だけのトークンでは、どちらもできません。このとき pull や push は、一般的な `denied: requested access to the resource is denied` で拒否されます。"
        ),
        fix: t!(
            "Create a token with the scopes it needs at {token_page} (they are preselected there; a deploy token is used with its own username), paste it at the silent prompt, and log in with it.",
            "{token_page} で必要なスコープを付けたトークンを作成し（スコープは選択済みの状態で開きます。デプロイトークンは専用のユーザー名で使います）、表示されない入力欄に貼り付けて、それでログインしてください。"
        ),
        fix_steps: gitlab_token_login,
        symptoms: &[],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::JobTokenNotAllowed,
        checks: &[CheckId::RegistryAccess],
        title: t!(
            "This project's CI job token may not reach the other project's registry",
            "このプロジェクトの CI ジョブトークンでは、ほかのプロジェクトのレジストリにアクセスできません"
        ),
        why: t!(
            "In GitLab CI the job token (`CI_JOB_TOKEN`, the same value as `CI_REGISTRY_PASSWORD`, which the runner also uses to pull the job's images) reaches another project only when that project lists this one in its CI/CD job token allowlist, and it never pushes to another project. The registry answers only with the generic `requested access to the resource is denied`.",
            "GitLab CI のジョブトークン（`CI_JOB_TOKEN`。`CI_REGISTRY_PASSWORD` も同じ値で、Runner がジョブのイメージを取得するときにも使います）がほかのプロジェクトにアクセスできるのは、そのプロジェクトの CI/CD ジョブトークンの許可リストにこのプロジェクトが登録されている場合だけです。また、ほかのプロジェクトへの push はできません。レジストリは一般的な `requested access to the resource is denied` しか返しません。"
        ),
        fix: t!(
            "In the project that holds the image, open Settings → CI/CD → Job token permissions and add this project (or its group) to the allowlist. To push to another project, use a project or group access token with `write_registry` instead.",
            "イメージがあるプロジェクトで Settings → CI/CD → Job token permissions を開き、許可リストにこのプロジェクト（またはグループ）を追加してください。ほかのプロジェクトに push する場合は、代わりに `write_registry` を付けたプロジェクトまたはグループのアクセストークンを使ってください。"
        ),
        fix_steps: no_commands,
        symptoms: &[],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::SudoRootConfig,
        checks: &[CheckId::DockerCredentials],
        title: t!(
            "`sudo docker` uses root's config, not yours",
            "`sudo docker` はあなたではなく root の設定を使います"
        ),
        why: t!(
            "Under `sudo`, docker reads root's `{config}` (the `HOME` of the sudo environment), not the `{user_config}` of the user who ran sudo. Your `docker login` for `{registry}` is in your own config, so `sudo docker pull` sends root's credentials, or none, and private images fail.",
            "`sudo` の下では、docker は sudo を実行したユーザーの `{user_config}` ではなく、root の `{config}`（sudo 環境の `HOME`）を読みます。`{registry}` への `docker login` はあなた自身の設定に保存されているため、`sudo docker pull` は root の認証情報を送るか、何も送りません。その結果、プライベートなイメージの pull が失敗します。"
        ),
        fix: t!(
            "Run docker without sudo: add yourself to the `docker` group (membership is as powerful as root), log out and in again so the group takes effect, and pull without sudo. Or log root in too: `gh auth token | sudo docker login {registry} -u {login} --password-stdin`.",
            "sudo を使わずに docker を実行してください。自分を `docker` グループに追加し（このグループのメンバーは root と同等の権限を持ちます）、グループを有効にするために一度ログアウトしてログインし直してから、sudo なしで pull します。または root でもログインしてください：`gh auth token | sudo docker login {registry} -u {login} --password-stdin`"
        ),
        // As for daemon-permission: the group takes effect at the next login (the fix text says
        // so), so a retry in the same block would only fail; in a job, where the runner's
        // service would have to start again, the fix text alone.
        fix_steps: |c| match (c.ci, c.os) {
            (false, Os::Linux | Os::Other) => vec![FixStep::Manual("sudo usermod -aG docker \"$USER\"".into())],
            _ => Vec::new(),
        },
        symptoms: &[],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN), ("user_config", USER_CONFIG_STAND_IN)],
    },
    // ghcr-facts §5.6. UNCONFIRMED: where a `desktop` config inside WSL comes from (a copied
    // Windows config, the integration off) and that turning the integration on rewrites it.
    CauseInfo {
        id: CauseId::WslDesktopHelper,
        checks: &[CheckId::DockerCredentials],
        title: t!(
            "Under WSL, Docker Desktop's helper is `docker-credential-desktop.exe`",
            "WSL では Docker Desktop のヘルパーは `docker-credential-desktop.exe` です"
        ),
        why: t!(
            "`{config}` names the helper `desktop`, but in WSL Docker Desktop's helper is a Windows program, reachable only by its full name `docker-credential-desktop.exe`. docker looks for `docker-credential-desktop` without `.exe`, does not find it, and pulls anonymously. Docker Desktop's WSL integration writes `\"credsStore\": \"desktop.exe\"` for this reason; a config copied from Windows or written with the integration off says `desktop`.",
            "`{config}` ではヘルパーとして `desktop` が指定されています。しかし WSL では Docker Desktop のヘルパーは Windows のプログラムで、`docker-credential-desktop.exe` という完全な名前でしか呼び出せません。docker は `.exe` なしの `docker-credential-desktop` を探し、見つからないため匿名で pull します。Docker Desktop の WSL 連携が `\"credsStore\": \"desktop.exe\"` と書くのはこのためです。Windows からコピーした設定や、連携をオフにした状態で書かれた設定では `desktop` になっています。"
        ),
        fix: t!(
            "In `{config}`, change the helper name `\"desktop\"` to `\"desktop.exe\"` (the command below does it), or turn on WSL integration for this distribution in Docker Desktop. Then log docker in again if needed.",
            "`{config}` のヘルパー名 `\"desktop\"` を `\"desktop.exe\"` に変更してください（下のコマンドで変更できます）。または Docker Desktop でこのディストリビューションの WSL 連携をオンにしてください。必要ならそのあと docker にログインし直してください。"
        ),
        fix_steps: |c| {
            vec![
                FixStep::Manual(format!("sed -i 's/\"desktop\"/\"desktop.exe\"/g' {}", shell_path(&c.docker_config))),
                c.retry(c.image.clone()),
            ]
        },
        symptoms: &[
            "error getting credentials - err: exec: \"docker-credential-desktop\": executable file not found in $PATH, out: ``",
        ],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::ConfigKeyTypo,
        checks: &[CheckId::DockerCredentials],
        title: t!(
            "docker ignores a misspelled key in config.json",
            "docker は config.json の綴りの違うキーを無視します"
        ),
        why: t!(
            "docker reads only the keys it knows (`credsStore`, `credHelpers`, `auths`, …; upper or lower case does not matter) and skips every other key without a word. A misspelled `{key}` therefore does nothing: the helper or login it holds is never used, and docker falls back to the next store or pulls anonymously.",
            "docker は知っているキー（`credsStore`、`credHelpers`、`auths` など。大文字と小文字の違いは問いません）だけを読み、それ以外のキーは何も言わずに読み飛ばします。そのため綴りの違う `{key}` は何の効果もありません。そこに書かれたヘルパーやログイン情報は使われず、docker は次の保存先を使うか匿名で pull します。"
        ),
        fix: t!(
            "Rename `{key}` to `{right_key}` in `{config}` (if `{right_key}` is already there, keep the one you mean and delete the other), then run `ghcr-doctor check` again.",
            "`{config}` の `{key}` を `{right_key}` に名前を変えてください（`{right_key}` がすでにある場合は、意図した方を残してもう一方を削除します）。そのあと、もう一度 `ghcr-doctor check` を実行してください。"
        ),
        fix_steps: |_| vec![FixStep::CheckAgain],
        symptoms: &[],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[("config", CONFIG_STAND_IN), ("key", KEY_STAND_IN), ("right_key", RIGHT_KEY_STAND_IN)],
    },
    CauseInfo {
        id: CauseId::PullSecretNoEntry,
        checks: &[CheckId::PullSecret],
        title: t!(
            "The pull secret has no entry for `{registry}`",
            "pull 用の Secret に `{registry}` のエントリがありません"
        ),
        why: t!(
            "The kubelet sends a Secret's credential only for images whose name matches one of its keys: the registry host (`{registry}`, `https://{registry}`, `https://{registry}/v1/`), a path prefix (`{registry}/{owner}`) or a `*.` host glob. A Secret made for another registry, or with a typo in `--docker-server`, is silently not used and the pull goes out anonymously, which fails for a private image.",
            "kubelet が Secret の認証情報を送るのは、イメージ名がいずれかのキーに合うときだけです。キーはレジストリのホスト名（`{registry}`、`https://{registry}`、`https://{registry}/v1/`）、パスの前方一致（`{registry}/{owner}`）、または `*.` のホスト名のワイルドカードです。別のレジストリ用に作った Secret や、`--docker-server` を書き間違えた Secret は黙って無視され、pull は匿名で行われるため、プライベートイメージでは失敗します。"
        ),
        fix: t!(
            "Recreate the Secret with `--docker-server={registry}` and gh's current token (the command reads the token in your shell; the doctor never runs it), and make sure the pod's `imagePullSecrets` names it.",
            "`--docker-server={registry}` と gh の現在のトークンで Secret を作り直し（トークンはあなたのシェルの中で読み込まれます。ghcr-doctor がこのコマンドを実行することはありません）、Pod の `imagePullSecrets` にその名前があることを確認してください。"
        ),
        fix_steps: |c| vec![c.pull_secret_apply()],
        symptoms: &[],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::PullSecretStale,
        checks: &[CheckId::PullSecret],
        title: t!(
            "The pull secret holds an expired or revoked token",
            "pull 用の Secret に期限切れか取り消し済みのトークンが入っています"
        ),
        why: t!(
            "A pull secret is a copy of a token taken when it was created, and nothing refreshes it. The registry refuses it once the token is gone: a fine-grained or classic token reached its expiry date, gh's OAuth token was revoked (a logout, a revoked authorization), or an Actions `GITHUB_TOKEN`, which expires when its job ends, was copied in. Pods then fail with `ImagePullBackOff`, even for public images.",
            "pull 用の Secret は作成した時点のトークンのコピーで、自動では更新されません。トークンが無効になると、レジストリはそれを拒否します。fine-grained トークンやクラシックトークンが有効期限を過ぎた、gh の OAuth トークンが取り消された（ログアウトや承認の取り消し）、またはジョブの終了時に失効する Actions の `GITHUB_TOKEN` をコピーした、といった場合です。Pod は `ImagePullBackOff` で失敗し、公開イメージでも失敗します。"
        ),
        fix: t!(
            "Recreate the Secret with gh's current token (the command reads the token in your shell; the doctor never runs it). Never put a `GITHUB_TOKEN` in a pull secret.",
            "gh の現在のトークンで Secret を作り直してください（トークンはあなたのシェルの中で読み込まれます。ghcr-doctor がこのコマンドを実行することはありません）。`GITHUB_TOKEN` は決して pull 用の Secret に入れないでください。"
        ),
        fix_steps: |c| vec![c.pull_secret_apply()],
        symptoms: &["unauthorized: unauthenticated: User cannot be authenticated with the token provided."],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::PodmanMissing,
        checks: &[CheckId::DockerDaemon],
        title: t!("The podman CLI is not installed", "podman CLI がインストールされていません"),
        why: t!(
            "podman was chosen as the client (`--client podman`), but the `podman` command is not on PATH, so there is nothing to pull or push with.",
            "クライアントに podman が指定されていますが（`--client podman`）、PATH に `podman` コマンドがありません。このままでは pull も push もできません。"
        ),
        fix: t!(
            "Install podman (the podman package on Linux, `brew install podman` on macOS), or check with `--client docker` if docker is the client you use.",
            "podman をインストールしてください（Linux では podman パッケージ、macOS では `brew install podman`）。docker を使っている場合は `--client docker` で確認してください。"
        ),
        fix_steps: |c| c.per_os("brew install podman", "sudo apt install podman", None),
        symptoms: &["podman: command not found"],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::JobTokenOtherProject,
        checks: &[CheckId::TokenScopes, CheckId::RegistryAccess],
        title: t!(
            "The CI/CD job token cannot push to another project",
            "CI/CD ジョブトークンではほかのプロジェクトに push できません"
        ),
        why: t!(
            "A job token (`CI_JOB_TOKEN`, the same value as `CI_REGISTRY_PASSWORD`) pushes to the registry of the project the job runs in, and nowhere else; pushing there works, whatever some pages of GitLab's docs say. `{image}` is in another project, so the push is refused with `denied: requested access to the resource is denied`.",
            "ジョブトークン（`CI_JOB_TOKEN`。`CI_REGISTRY_PASSWORD` も同じ値です）が push できるのは、ジョブが動いているプロジェクトのレジストリだけです（GitLab のドキュメントの一部の記述とは異なり、そこへの push はできます）。`{image}` はほかのプロジェクトにあるため、push は `denied: requested access to the resource is denied` で拒否されます。"
        ),
        fix: t!(
            "Push to this project's registry (`$CI_REGISTRY_IMAGE`), or create a project or group access token with `write_registry` in the target project, store it as a masked CI/CD variable and log in with it.",
            "このプロジェクトのレジストリ（`$CI_REGISTRY_IMAGE`）に push するか、push 先のプロジェクトで `write_registry` を付けたプロジェクトまたはグループのアクセストークンを作成し、マスクした CI/CD 変数に保存して、それでログインしてください。"
        ),
        fix_steps: job_token_elsewhere,
        symptoms: &["denied: requested access to the resource is denied"],
        audience: Audience::Pushing,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::GlabMissing,
        checks: &[CheckId::GlabInstalled],
        title: t!("GitLab CLI (glab) is not installed", "GitLab CLI（glab）がインストールされていません"),
        why: t!(
            "glab is optional. With it, `glab auth login` keeps your GitLab login and `glab auth configure-docker` (glab 1.62.0 or later) lets docker ask glab on every pull, so no token copy goes stale. Debian 12 does not package it.",
            "glab は任意です。glab があれば、`glab auth login` で GitLab のログインを保持でき、`glab auth configure-docker`（glab 1.62.0 以降）で docker が pull のたびに glab に問い合わせるようになるため、トークンのコピーが古くなりません。Debian 12 には glab のパッケージがありません。"
        ),
        fix: t!(
            "Install glab if you want it (https://gitlab.com/gitlab-org/cli#installation); without it, log docker in with a token.",
            "必要であれば glab をインストールしてください（https://gitlab.com/gitlab-org/cli#installation）。なくても、トークンで docker にログインできます。"
        ),
        // Linux has no package every distribution ships (Debian 12 has none): the link only.
        fix_steps: |c| match c.os {
            Os::MacOs => vec![FixStep::Manual("brew install glab".into())],
            Os::Windows => vec![FixStep::Manual("winget install --id GLab.GLab".into())],
            Os::Linux | Os::Other => Vec::new(),
        },
        symptoms: &["glab: command not found"],
        audience: Audience::Everyone,
        log_only: false,
        stand_ins: &[],
    },
    CauseInfo {
        id: CauseId::GlabConfigMode,
        checks: &[CheckId::GitlabAuth],
        title: t!("glab refuses its own config file", "glab が自分の設定ファイルを読み込みません"),
        why: t!(
            "glab reads its config only when the file's mode is 600 (readable by you alone), because it holds your token; otherwise every glab command stops with `{glab_config} has the permissions …, but glab requires 600.`",
            "glab の設定ファイルにはトークンが含まれるため、glab はファイルのモードが 600（あなただけが読める状態）のときにだけ読み込みます。それ以外のモードでは、glab のすべてのコマンドが `{glab_config} has the permissions …, but glab requires 600.` で止まります。"
        ),
        fix: t!("Make the file readable by you alone.", "ファイルをあなただけが読める状態にしてください。"),
        fix_steps: |c| vec![FixStep::Manual(format!("chmod 600 {}", shell_path(&c.glab_config)))],
        symptoms: &["but glab requires 600."],
        audience: Audience::Rare,
        log_only: false,
        stand_ins: &[("glab_config", GLAB_CONFIG_STAND_IN)],
    },
];

/// A path for a shell line: as it is when it needs no quoting (`~/` must stay unquoted to
/// expand), else in single quotes.
fn shell_path(path: &str) -> String {
    if path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-~+@%".contains(c)) {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Access, FixCtx, command_lines};

    #[test]
    fn every_cause_has_exactly_one_entry_with_text_in_both_languages() {
        for id in CauseId::ALL {
            let n = CAUSES.iter().filter(|c| c.id == *id).count();
            assert_eq!(n, 1, "{id} must have one catalogue entry");
            let c = cause_info(*id);
            for text in [c.title, c.why, c.fix] {
                assert!(!text.en.trim().is_empty() && !text.ja.trim().is_empty(), "{id}");
                assert!(text.ja.chars().any(|ch| ch > '\u{3000}'), "{id}: Japanese text must be Japanese: {}", text.ja);
            }
            assert!(!c.checks.is_empty(), "{id} names the check that reports it");
        }
    }

    #[test]
    fn missing_scope_fix_depends_on_where_the_token_comes_from() {
        let mut ctx = FixCtx::placeholders();
        ctx.login = "alice".into();
        let missing_scope = cause_info(CauseId::MissingScope);
        assert_eq!(
            command_lines(&missing_scope.fix_steps(&ctx)),
            [
                "gh auth refresh -h github.com -s read:packages",
                "gh auth token | docker login ghcr.io -u alice --password-stdin"
            ]
        );
        ctx.env_var = Some("GH_TOKEN".into());
        ctx.access = Access::Push;
        assert_eq!(
            command_lines(&missing_scope.fix_steps(&ctx)),
            [
                "unset GH_TOKEN",
                "gh auth login -h github.com -s write:packages",
                "gh auth token | docker login ghcr.io -u alice --password-stdin"
            ]
        );
        ctx.gh_token_suffices = true;
        assert_eq!(
            command_lines(&missing_scope.fix_steps(&ctx)),
            ["gh auth token | docker login ghcr.io -u alice --password-stdin"]
        );
    }

    #[test]
    fn no_fix_runs_gh_auth_or_reads_gh_in_a_job() {
        for host in ["github.com", "octocorp.ghe.com", "ghe.example.com"] {
            for access in [Access::Pull, Access::Push] {
                for env_var in [None, Some("GITHUB_TOKEN"), Some("GH_TOKEN")] {
                    let mut ctx = FixCtx::placeholders();
                    ctx.ci = true;
                    ctx.host = host.into();
                    ctx.registry = if host == "github.com" { "ghcr.io".into() } else { format!("containers.{host}") };
                    ctx.access = access;
                    ctx.env_var = env_var.map(str::to_owned);
                    for cause in CAUSES {
                        for step in cause.fix_steps(&ctx) {
                            let line = step.to_string();
                            assert!(
                                !matches!(step, FixStep::GhAuthLogin { .. } | FixStep::GhAuthRefresh { .. })
                                    && !line.contains("gh auth")
                                    && !line.contains("newgrp"),
                                "{}: `{line}` in a job on {host}",
                                cause.id
                            );
                        }
                    }
                }
            }
        }
        // Outside a job the same causes do give gh's commands.
        let ctx = FixCtx::placeholders();
        assert_eq!(
            command_lines(&cause_info(CauseId::NotLoggedIn).fix_steps(&ctx)),
            ["gh auth login -h github.com -s read:packages"]
        );
    }

    #[test]
    fn an_upper_case_image_in_a_workflow_gets_the_lower_casing_line() {
        let mut ctx = FixCtx::placeholders();
        ctx.image = "ghcr.io/acme/app:1".into();
        let invalid = cause_info(CauseId::InvalidReference);
        assert!(invalid.fix_steps(&ctx).is_empty(), "outside a workflow there is nothing to run");
        ctx.ci = true;
        ctx.repository_owner = Some("Acme".into());
        assert_eq!(
            command_lines(&invalid.fix_steps(&ctx)),
            ["echo \"IMAGE=ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/app:1\" >> \"$GITHUB_ENV\""]
        );
    }
}
