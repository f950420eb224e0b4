//! `onboarding.md`: the page a new team member follows on day one. Ordered steps, each tied to
//! the checks that verify it: why it matters, what to run (always the fix steps of a cause), how
//! to check it worked, and what goes wrong (the causes those checks report). The page's frame and
//! GitHub's seven steps are written here, GitLab's in [`crate::onboarding_gitlab`], both
//! languages side by side.

use std::fmt::Write as _;

use ghcr_doctor_checks::{
    Access, Audience, CauseId, CauseInfo, CheckId, Family, FixCtx, GithubHost, Lang, Os, Text, t,
};

use crate::markdown::{self, fix_block, fix_block_in, full_fix_block, look_block};
use crate::onboarding_gitlab as gitlab;
use crate::page::Page;
use crate::words;

const TITLE: Text =
    t!("Day one: pulling the team's container images", "初日の準備：チームのコンテナーイメージを pull する");

const INTRO: Text = t!(
    "This guide takes a new machine to a working `docker pull` of the team's images. Follow the steps in order: each one says why it matters, what to run, how to check that it worked, and what usually goes wrong. It takes about fifteen minutes, most of them spent installing software.\n\nYou will not create a personal access token. docker borrows the token of the GitHub CLI (gh), so your GitHub login is the only credential you manage, and the token never appears on a command line.",
    "このガイドでは、新しいマシンでチームのイメージを `docker pull` できるようになるまでを説明します。手順は上から順に進めてください。各手順には、なぜ必要か、何を実行するか、うまくいったかの確認方法、よくある失敗を書いています。所要時間は 15 分ほどで、その大半はソフトウェアのインストールです。\n\n個人用アクセストークンを作る必要はありません。docker は GitHub CLI（gh）のトークンを借りて使うので、あなたが管理する認証情報は GitHub のログインだけです。トークンがコマンドラインに現れることもありません。"
);

const SETTINGS_TITLE: Text = t!("The team's settings", "チームの設定");
const SETTINGS_FROM_CONFIG: Text = t!(
    "These values come from `{file}` at the root of the team's repository; the commands below already use them.",
    "以下の値はチームのリポジトリのルートにある `{file}` から取っています。このページのコマンドには、すでにこれらの値が入っています。"
);
const SETTINGS_PLACEHOLDERS: Text = t!(
    "This guide was generated without a team config, so `OWNER`, `IMAGE` and `TAG` stand for your image's owner, name and tag. A team that adds a `ghcr-doctor.toml` to its repository gets this guide with its real values from `ghcr-doctor docs`.",
    "このガイドはチームの設定ファイルなしで生成されているため、`OWNER`、`IMAGE`、`TAG` はそれぞれイメージの所有者、名前、タグを表します。チームのリポジトリに `ghcr-doctor.toml` を置いて `ghcr-doctor docs` を実行すると、実際の値が入ったガイドを生成できます。"
);
const SETTING_HOST: Text = t!("GitHub: `{host}`", "GitHub：`{host}`");
const SETTING_REGISTRY: Text = t!("Container registry: `{registry}`", "コンテナーレジストリ：`{registry}`");
const SETTING_PULL: Text = t!(
    "Access: pull (the token needs the `{scope}` scope)",
    "アクセス：pull（トークンに `{scope}` スコープが必要です）"
);
const SETTING_PUSH: Text = t!(
    "Access: pull and push (the token needs the `{scope}` scope)",
    "アクセス：pull と push（トークンに `{scope}` スコープが必要です）"
);
const SETTING_IMAGES: Text = t!("Images:", "イメージ：");
const SETTING_LOGIN: Text = t!(
    "Your GitHub login: the commands ask gh for it (`{ask}`), so they run as they are once gh is logged in (step 2).",
    "あなたの GitHub ログイン名：コマンドが gh から取得します（`{ask}`）。手順 2 で gh にログインしたあとは、コマンドをそのまま実行できます。"
);

const BEFORE_TITLE: Text = t!("Before you start", "始める前に");
const BEFORE: Text = t!(
    "Each step ends with a check by `ghcr-doctor`, which runs the same checks as this page and prints the exact fix for whatever is wrong. Install it first, with one of the commands below for your system; `ghcr-doctor --version` should then print a version.\n\nRunning `ghcr-doctor check` early is fine: the checks of steps you have not done yet fail, and a check whose prerequisite failed is shown as skipped (`[-]`). `ghcr-doctor explain ID` explains any check or cause id on this page.",
    "各手順の最後に `ghcr-doctor` で確認します。ghcr-doctor はこのページと同じ項目を確認し、問題があれば正確な修正コマンドを表示します。まず下のお使いのシステム向けのコマンドでインストールし、`ghcr-doctor --version` でバージョンが表示されることを確かめてください。\n\n途中で `ghcr-doctor check` を実行してもかまいません。まだ終えていない手順のチェックは失敗し、前提となるチェックが失敗したものはスキップ（`[-]`）と表示されます。このページに出てくるチェックや原因の ID は、`ghcr-doctor explain ID` で詳しい説明を表示できます。"
);

const INSTALL_HOMEBREW: Text = t!(
    "With Homebrew (macOS and Linux), instead:",
    "Homebrew を使う場合（macOS と Linux）は、代わりに次を実行します。"
);

/// The release installers (cargo-dist's), from the repository the crates name.
fn install_blocks(p: &Page, out: &mut String) {
    let releases = format!("{}/releases/latest/download", env!("CARGO_PKG_REPOSITORY"));
    let owner = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/").split('/').next().unwrap_or("");
    let unix = format!("curl --proto '=https' --tlsv1.2 -LsSf {releases}/ghcr-doctor-installer.sh | sh");
    let windows = format!("powershell -ExecutionPolicy Bypass -c \"irm {releases}/ghcr-doctor-installer.ps1 | iex\"");
    let _ = writeln!(
        out,
        "**{} / {}**\n\n```sh\n{unix}\n```\n",
        p.t(words::os_label(Os::MacOs)),
        p.t(words::os_label(Os::Linux))
    );
    let _ = writeln!(out, "**{}**\n\n```powershell\n{windows}\n```\n", p.t(words::os_label(Os::Windows)));
    let _ = writeln!(out, "{}\n\n```sh\nbrew install {owner}/tap/ghcr-doctor\n```\n", p.t(INSTALL_HOMEBREW));
}

const RUN_IN_REPO: Text = t!(
    "Run it inside the team's repository, where it finds `{file}`.",
    "ghcr-doctor は、`{file}` のあるチームのリポジトリの中で実行します。"
);

const STEP: Text = t!("Step {n}. {title}", "手順 {n}. {title}");
const WHY: Text = t!("Why it matters", "なぜ必要か");
const DO: Text = t!("What to do", "やること");
const VERIFY: Text = t!("Check that it worked", "確認する");
const WRONG: Text = t!("What can go wrong", "うまくいかないとき");
const CHECK_LINE: Text = t!(
    "Run `ghcr-doctor check`: the {lines} should start with `[✓]`.",
    "`ghcr-doctor check` を実行し、{lines}が `[✓]` で始まっていることを確認します。"
);
const CHECK_LINE_ONE: Text = t!("line ending in {id}", "末尾に {id} とある行");
const CHECK_LINE_MANY: Text = t!("lines ending in {ids}", "末尾に {ids} とある各行");
/// A check id as the line of `ghcr-doctor check` ends with it: `(gh-auth)` in English,
/// `（gh-auth）` in Japanese, so the Japanese page names the id alone (docs/STYLE.md).
const CHECK_ID: Text = t!("`({id})`", "`{id}`");
const AND: Text = t!(" and ", "、");
const WRONG_INTRO: Text = t!(
    "`ghcr-doctor check` names the cause and prints its fix; the reference explains each one:",
    "`ghcr-doctor check` が原因を特定し、修正方法を表示します。それぞれの原因の詳細はリファレンスを参照してください。"
);

const RARE: Text = t!(
    "Rarer, mostly in CI or with other registries: {ids}.",
    "まれなケース（主に CI や他のレジストリで起きるもの）：{ids}"
);

const DONE_TITLE: Text = t!("When something breaks later", "あとで問題が起きたら");
const DONE: Text = t!(
    "Tokens expire, organizations turn on SSO, and docker keeps old credentials. When a pull or push fails later, run `ghcr-doctor check` first: it names the root cause and prints the commands to run, in order. If you only have an error message, search for it in the [troubleshooting page](troubleshooting.md); every check and cause is described in the [reference](checks.md).",
    "トークンの期限切れ、組織での SSO の有効化、docker に残った古い認証情報など、あとから問題が起きることもあります。pull や push が失敗したら、まず `ghcr-doctor check` を実行してください。根本原因を特定し、実行すべきコマンドを順番に表示します。エラーメッセージしか手元にない場合は、[トラブルシューティング](troubleshooting.md)のページでメッセージを検索してください。すべてのチェックと原因は[リファレンス](checks.md)で説明しています。"
);

/// One step of the guide.
pub(crate) struct Step {
    pub title: Text,
    /// The checks that verify the step; the causes they own are what goes wrong.
    pub checks: &'static [CheckId],
    pub why: Text,
    /// What to do: prose and fix blocks.
    pub body: fn(&Page, &mut String),
    /// How to see it worked, before `ghcr-doctor check`.
    pub verify: Text,
    /// The commands that only look (printed unmarked, after `verify`).
    pub look: fn(&Page) -> Vec<String>,
}

/// The daemon step, the same for every family.
pub(crate) const DOCKER_DAEMON_STEP: Step = Step {
    title: t!("Make docker able to reach its daemon", "docker からデーモンに接続できるようにする"),
    checks: &[CheckId::DockerDaemon],
    why: t!(
        "The `docker` command only sends requests; the Docker daemon does the actual pull. docker prints the same vague message for most ways of not reaching it, so it is worth making sure it works before logging in.",
        "`docker` コマンドはリクエストを送るだけで、実際に pull するのは Docker デーモンです。デーモンに接続できない原因はいくつもありますが、docker はそのほとんどで同じあいまいなメッセージを出します。そのため、ログインの前にデーモンが動いていることを確かめておきます。"
    ),
    body: docker_daemon,
    verify: t!(
        "`docker version` prints a “Server” section as well as the “Client” one:",
        "`docker version` を実行し、「Client」だけでなく「Server」の情報も表示されることを確認します。"
    ),
    look: |_| vec!["docker version".into()],
};

/// The last step, the same for every family but for why it proves the set-up and what `body`
/// adds after each image's `docker pull` ([`pull_each_image`]).
pub(crate) const fn pull_step(why: Text, body: fn(&Page, &mut String)) -> Step {
    Step {
        title: t!("Pull the team's images", "チームのイメージを pull する"),
        checks: &[CheckId::RegistryAccess],
        why,
        body,
        verify: t!(
            "Every pull ends with `Status: Downloaded newer image` or `Status: Image is up to date`.",
            "すべての pull が `Status: Downloaded newer image` または `Status: Image is up to date` で終わることを確認します。"
        ),
        look: |_| Vec::new(),
    }
}

/// The pull step's first lines: each of the team's images, `docker pull`ed.
pub(crate) fn pull_each_image(p: &Page, out: &mut String) {
    para(out, p, t!("Pull each of the team's images:", "チームのイメージを一つずつ pull します。"));
    look_block(out, &p.input.image_names().iter().map(|i| format!("docker pull {i}")).collect::<Vec<_>>());
}

static STEPS: &[Step] = &[
    Step {
        title: t!("Install the GitHub CLI (gh)", "GitHub CLI（gh）をインストールする"),
        checks: &[CheckId::GhInstalled],
        why: t!(
            "gh keeps your GitHub login. In step 6, docker gets its token from gh instead of from a personal access token you would have to create, store and renew. You need gh 2.17.0 or later, the first version with `gh auth token`; 2.40.0 or later is recommended.",
            "gh はあなたの GitHub ログインを管理します。手順 6 では、docker が使うトークンを gh から受け取ります。そのため、自分で作成・保管・更新しなければならない個人用アクセストークンは不要です。`gh auth token` が使えるのは gh 2.17.0 からなので、それ以降のバージョンが必要です（2.40.0 以降を推奨します）。"
        ),
        body: install_gh,
        verify: t!("`gh --version` prints the version:", "`gh --version` でバージョンを確認します。"),
        look: |_| vec!["gh --version".into()],
    },
    Step {
        title: t!("Log gh in to `{host}`", "gh で `{host}` にログインする"),
        checks: &[CheckId::GithubHost, CheckId::GhAuth],
        why: t!(
            "The token, the API and the registry must all belong to the same GitHub: the team's images are on `{registry}`, the registry of `{host}`, so gh must be logged in to `{host}`. Asking for the `{scope}` scope now saves work in step 3.",
            "トークン、API、レジストリはすべて同じ GitHub のものでなければなりません。チームのイメージがある `{registry}` は `{host}` のレジストリなので、gh も `{host}` にログインしている必要があります。ここで `{scope}` スコープも要求しておくと、手順 3 の作業が省けます。"
        ),
        body: log_in,
        verify: t!(
            "`gh auth status` should say that you are logged in to `{host}`, and the “Token scopes” line should list `{scope}`:",
            "`gh auth status` を実行し、`{host}` にログインしていること、「Token scopes」の行に `{scope}` が含まれていることを確認します。"
        ),
        look: |p| vec![format!("gh auth status -h {}", p.ctx().host)],
    },
    Step {
        title: t!("Give the token the `{scope}` scope", "トークンに `{scope}` スコープを追加する"),
        checks: &[CheckId::TokenScopes],
        why: t!(
            "The registry serves images only to tokens with `{scope}`, and gh's default login does not ask for it. `docker login` succeeds without it, so a missing scope shows up only later, as `denied` on pull.",
            "レジストリがイメージを渡すのは、`{scope}` スコープを持つトークンに対してだけです。gh の標準のログインではこのスコープは要求されません。スコープがなくても `docker login` は成功してしまうため、スコープ不足は後になって pull の `denied` として初めて表に出ます。"
        ),
        body: add_scope,
        verify: t!(
            "The “Token scopes” line of `gh auth status` now lists `{scope}`:",
            "`gh auth status` の「Token scopes」の行に `{scope}` が含まれていることを確認します。"
        ),
        look: |p| vec![format!("gh auth status -h {}", p.ctx().host)],
    },
    Step {
        title: t!(
            "Authorize the token for the organization's single sign-on (SSO)",
            "組織のシングルサインオン（SSO）でトークンを承認する"
        ),
        checks: &[CheckId::Sso],
        why: t!(
            "An organization on GitHub Enterprise Cloud can require SAML single sign-on. Its packages are then visible only to tokens authorized for that SSO, and the registry answers a bare `denied` or `unauthorized` when the token is not, which says nothing about SSO.",
            "GitHub Enterprise Cloud の組織では、SAML シングルサインオン（SSO）を必須にできます。その場合、組織のパッケージには SSO で承認されたトークンでしかアクセスできません。承認されていないトークンに対してレジストリが返すのは `denied` や `unauthorized` だけで、SSO が原因だとはわかりません。"
        ),
        body: authorize_sso,
        verify: t!(
            "There is nothing to look at by hand here: only the API tells whether the token is authorized.",
            "この手順には手で確認できる項目はありません。トークンが承認されているかどうかは API でしかわからないためです。"
        ),
        look: |_| Vec::new(),
    },
    DOCKER_DAEMON_STEP,
    Step {
        title: t!("Let docker ask gh for the token", "docker が gh にトークンを問い合わせるようにする"),
        checks: &[CheckId::DockerCredentials],
        why: t!(
            "By itself docker does not ask gh for a token: `docker login` stores a copy, and docker sends that copy with every pull until someone logs in again. After `gh auth refresh`, a new login or a revoked token, the copy is stale and even public images fail. `docker-credential-ghcr-doctor`, a credential helper installed with ghcr-doctor, asks gh for its current token on every pull instead, so docker keeps no copy that can go stale.",
            "docker は自分からは gh にトークンを問い合わせません。`docker login` はトークンのコピーを保存し、docker は誰かがログインし直すまで pull のたびにそのコピーを送ります。`gh auth refresh` や新しいログインのあと、またはトークンが取り消されたあとは、そのコピーが古くなり、公開イメージの pull まで失敗します。ghcr-doctor と一緒にインストールされる認証情報ヘルパー `docker-credential-ghcr-doctor` を使うと、pull のたびに gh から現在のトークンを取得するので、古くなるコピーが docker に残りません。"
        ),
        body: docker_credentials,
        verify: t!(
            "`~/.docker/config.json` has `\"credHelpers\": {\"{registry}\": \"ghcr-doctor\"}`, and `ghcr-doctor check` says that docker asks gh for `{registry}` on every pull.",
            "`~/.docker/config.json` に `\"credHelpers\": {\"{registry}\": \"ghcr-doctor\"}` が入り、`ghcr-doctor check` が「docker は pull のたびに `{registry}` のトークンを gh に問い合わせる」と表示することを確認します。"
        ),
        look: |_| Vec::new(),
    },
    pull_step(
        t!(
            "This is the goal, and the only real proof: the registry decides per package whether your token may read it.",
            "ここがゴールであり、唯一の確かな確認方法です。トークンでパッケージを読めるかどうかは、レジストリがパッケージごとに判断します。"
        ),
        pull_images,
    ),
];

fn install_gh(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "Install gh with your system's package manager:",
            "お使いのシステムのパッケージマネージャーで gh をインストールします。"
        ),
    );
    full_fix_block(out, p, CauseId::GhMissing);
    para(
        out,
        p,
        t!(
            "If gh is already installed, `gh --version` shows its version. To upgrade an old one:",
            "すでに gh が入っている場合は、`gh --version` でバージョンを確認できます。古い場合は次のコマンドで更新します。"
        ),
    );
    full_fix_block(out, p, CauseId::GhTooOld);
    para(
        out,
        p,
        t!(
            "Debian and Ubuntu ship older releases of gh (Debian 12 has 2.23). GitHub's own apt repository has current ones: https://github.com/cli/cli/blob/trunk/docs/install_linux.md",
            "Debian や Ubuntu の標準パッケージの gh は古いことがあります（Debian 12 は 2.23）。最新版は GitHub 公式の apt リポジトリから入手できます：https://github.com/cli/cli/blob/trunk/docs/install_linux.md"
        ),
    );
}

fn log_in(p: &Page, out: &mut String) {
    let owner = ("owner", p.input.owners().first().cloned().unwrap_or_else(|| p.ctx().owner.clone()));
    para_with(
        out,
        p,
        &[owner],
        t!(
            "If `{owner}` uses single sign-on (step 4), first sign in at {web}/orgs/{owner}/sso in your default browser: a token created during an active SSO session is authorized for the organization right away.",
            "`{owner}` がシングルサインオン（SSO）を使っている場合（手順 4）は、先に既定のブラウザーで {web}/orgs/{owner}/sso を開いてサインインしておきます。SSO のセッションが有効な間に作られたトークンは、その場で組織に対して承認されます。"
        ),
    );
    para(
        out,
        p,
        t!(
            "Then log in. When gh asks how to authenticate, choose “Login with a web browser”: gh then gets its own OAuth token, which the registry accepts. gh opens the browser, or shows a one-time code to enter at {web}/login/device.",
            "次にログインします。認証方法を聞かれたら「Login with a web browser」を選んでください。こうすると gh は自分の OAuth トークンを取得し、レジストリもそれを受け付けます。gh がブラウザーを開くか、{web}/login/device で入力するワンタイムコードを表示します。"
        ),
    );
    full_fix_block(out, p, CauseId::NotLoggedIn);
    let var = GithubHost::parse(&p.ctx().host).map_or("GH_TOKEN", |h| h.token_env_vars()[0]);
    para_with(
        out,
        p,
        &[("var", var.to_owned())],
        t!(
            "If gh answers that “the value of the `{var}` environment variable is being used for authentication”, a token exported in your shell overrides gh's login: remove the variable (and the line in your shell profile that sets it) and log in again.",
            "gh が「The value of the `{var}` environment variable is being used for authentication.」と表示した場合は、シェルで export したトークンが gh のログインより優先されています。その変数を削除して（設定しているシェルの設定ファイルの行も消して）、もう一度ログインしてください。"
        ),
    );
}

fn add_scope(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "If you logged in exactly as in step 2, the scope is already there. If gh was logged in before, add the scope; gh keeps the scopes the token already has and opens the browser once more:",
            "手順 2 のとおりにログインした場合、スコープはすでに付いています。以前から gh にログインしていた場合は、次のコマンドでスコープを追加します。既存のスコープはそのまま残り、もう一度ブラウザーが開きます。"
        ),
    );
    let docker_login = p.ctx().docker_login().to_string();
    fix_block(out, p, CauseId::MissingScope, |c| c != docker_login);
    para(
        out,
        p,
        t!(
            "Do not give docker a fine-grained token (`github_pat_…`) instead: the registry rejects them, even freshly issued ones, with the same message as a missing scope.",
            "代わりに fine-grained トークン（`github_pat_…`）を docker に渡すのはやめてください。発行したばかりでもレジストリに拒否され、スコープ不足のときと同じメッセージが出ます。"
        ),
    );
}

fn authorize_sso(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "Skip this step if the organizations below do not use SSO; `ghcr-doctor check` tells you (the `sso` line passes). Otherwise open the SSO page of each organization that owns team images, sign in, and then refresh gh's login so that its token is authorized:",
            "下の組織が SSO を使っていなければ、この手順は不要です（`ghcr-doctor check` の `sso` の行が成功していればわかります）。SSO を使っている場合は、チームのイメージを所有する組織ごとに SSO のページを開いてサインインし、そのあと gh のログインを更新して、トークンが承認されるようにします。"
        ),
    );
    for owner in p.input.owners() {
        let _ = writeln!(out, "- `{owner}`{}https://{}/orgs/{owner}/sso", p.t(words::COLON), p.ctx().host);
    }
    out.push('\n');
    let docker_login = p.ctx().docker_login().to_string();
    fix_block(out, p, CauseId::SsoNotAuthorized, |c| c != docker_login);
    para(
        out,
        p,
        t!(
            "If you were invited to the organization but have not accepted yet, accept first at {web}/orgs/{owner}/invitation: until then its private packages are invisible to you.",
            "組織に招待されていてまだ承諾していない場合は、先に {web}/orgs/{owner}/invitation で承諾してください。承諾するまで、組織のプライベートなパッケージは見えません。"
        ),
    );
}

fn docker_daemon(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "Install Docker if `docker` is not there yet (Docker Desktop on macOS and Windows):",
            "`docker` がまだなければ Docker をインストールします（macOS と Windows では Docker Desktop です）。"
        ),
    );
    full_fix_block(out, p, CauseId::DockerMissing);
    para(out, p, t!("Start the daemon:", "デーモンを起動します。"));
    full_fix_block(out, p, CauseId::DaemonUnreachable);
    para(
        out,
        p,
        t!(
            "On Linux, let your user talk to the daemon without `sudo` by joining the `docker` group (membership in `docker` is equivalent to root on that machine):",
            "Linux では、ユーザーを `docker` グループに追加して、`sudo` なしでデーモンを使えるようにします（`docker` グループのメンバーは、そのマシンの root と同等の権限を持ちます）。"
        ),
    );
    full_fix_block(out, p, CauseId::DaemonPermission);
    para(
        out,
        p,
        t!(
            "Then log out and log in again: only a new login session has the group, so opening another terminal window is not enough.",
            "そのあと、一度ログアウトしてログインし直してください。グループが有効になるのは新しいログインセッションだけなので、端末のウィンドウを開き直すだけでは足りません。"
        ),
    );
}

fn docker_credentials(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "Run this once. It shows the change to `~/.docker/config.json` and asks before writing; every other setting stays, and the original is kept beside it as a backup:",
            "これを一度だけ実行します。`~/.docker/config.json` への変更内容を表示し、書き込む前に確認します。ほかの設定はそのまま残り、元のファイルはバックアップとして同じ場所に保存されます。"
        ),
    );
    // What `check` prints for this cause once ghcr-doctor's helper is installed.
    let with_helper = FixCtx { own_helper_usable: true, ..p.ctx().clone() };
    fix_block_in(out, p, CauseId::NoCredentials, &with_helper, |_| true);
    para(
        out,
        p,
        t!(
            "If docker was logged in to `{registry}` before, setup-docker removes that old copy only after a pull through the helper works. `ghcr-doctor setup-docker --undo` puts the file back as it was.",
            "以前に docker を `{registry}` にログインさせていた場合、setup-docker はヘルパー経由の pull が成功してから古いコピーを削除します。`ghcr-doctor setup-docker --undo` を実行すると、ファイルを元に戻せます。"
        ),
    );
    para(
        out,
        p,
        t!(
            "When the helper is the problem, `ghcr-doctor check` names it. The usual three: gh has no login for `{host}` (docker then prints `error getting credentials`; run step 2 again, nothing else); `docker-credential-ghcr-doctor` is not on PATH in the shell docker runs from (`executable file not found in $PATH`: install ghcr-doctor again, or undo as above); or `sudo docker` usually reads root's config, not yours (run docker without `sudo`, step 5).",
            "ヘルパーが原因のときは、`ghcr-doctor check` がそれを指摘します。よくあるのは次の 3 つです。gh に `{host}` のログインがない（docker は `error getting credentials` と表示します。手順 2 をやり直すだけで直ります）。docker を実行するシェルの PATH に `docker-credential-ghcr-doctor` がない（`executable file not found in $PATH`。ghcr-doctor をインストールし直すか、上の方法で元に戻してください）。`sudo docker` はたいていあなたではなく root の設定を読む（`sudo` なしで docker を実行してください。手順 5 を参照）。"
        ),
    );
    para(
        out,
        p,
        t!(
            "Without the helper (docker runs where ghcr-doctor is not installed, for example), log docker in with gh's token instead. The command asks gh for your user name too, so paste it as it is:",
            "ヘルパーを使えない場合（ghcr-doctor がインストールされていない場所で docker を実行する場合など）は、代わりに gh のトークンで docker をログインさせます。ユーザー名も gh から取得するので、そのまま貼り付けて実行できます。"
        ),
    );
    full_fix_block(out, p, CauseId::NoCredentials);
    para(
        out,
        p,
        t!(
            "This stores a copy: run it again whenever gh's token changes (after `gh auth refresh` or `gh auth login`). An old token left in docker is the classic trap: it breaks even public images, because docker does not fall back to anonymous access. To replace one, log out first:",
            "この方法ではコピーが保存されます。gh のトークンが変わったとき（`gh auth refresh` や `gh auth login` のあと）は、毎回ログインし直してください。docker に古いトークンが残っているのは、よくある落とし穴です。docker は匿名アクセスに切り替えないため、公開イメージの pull まで失敗します。古いトークンを置き換えるときは、先にログアウトします。"
        ),
    );
    full_fix_block(out, p, CauseId::StaleCredentials);
}

fn pull_images(p: &Page, out: &mut String) {
    pull_each_image(p, out);
    if p.ctx().access == Access::Push {
        para(
            out,
            p,
            t!(
                "The team's config asks for push access too, so `ghcr-doctor check` also checks that you may push: the `{scope}` scope and the Write role on each package.",
                "チームの設定では push のアクセスも求められているため、`ghcr-doctor check` は push できるかどうか（`{scope}` スコープと、各パッケージの Write ロール）も確認します。"
            ),
        );
    }
    para(
        out,
        p,
        t!(
            "If a pull is denied although every check before passed, the package has probably not been shared with you yet: ask an admin of the package to give you (or your team) the Read role.",
            "それまでのチェックがすべて成功しているのに pull が拒否される場合は、パッケージがまだあなたに共有されていない可能性が高いです。パッケージの管理者に、あなた（またはあなたのチーム）へ Read ロールを付与してもらってください。"
        ),
    );
    // Only `--pull-secret` runs the `pull-secret` check, so it is named here, not in the check line.
    para(
        out,
        p,
        t!(
            "Pulling in Kubernetes? The cluster sends the token of its pull secret, not yours: save it with `kubectl get secret NAME -o yaml > secret.yaml` and run `ghcr-doctor check --pull-secret secret.yaml IMAGE`. Its line ends in `(pull-secret)`; what goes wrong there is [`pull-secret-no-entry`](checks.md#pull-secret-no-entry) or [`pull-secret-stale`](checks.md#pull-secret-stale).",
            "Kubernetes で pull する場合、クラスターが送るのはあなたのトークンではなく、pull 用の Secret のトークンです。`kubectl get secret NAME -o yaml > secret.yaml` で保存し、`ghcr-doctor check --pull-secret secret.yaml IMAGE` を実行してください。末尾に `(pull-secret)` とある行が結果です。よくある原因は [`pull-secret-no-entry`](checks.md#pull-secret-no-entry) と [`pull-secret-stale`](checks.md#pull-secret-stale) です。"
        ),
    );
}

/// Writes one paragraph.
pub(crate) fn para(out: &mut String, p: &Page, text: Text) {
    para_with(out, p, &[], text);
}

/// Writes one paragraph with extra placeholder values.
pub(crate) fn para_with(out: &mut String, p: &Page, extra: &[(&'static str, String)], text: Text) {
    let _ = writeln!(out, "{}\n", p.t_with(text, extra));
}

/// The page: GitHub's steps, or GitLab's for a GitLab team.
pub fn render(p: &Page) -> String {
    let on_gitlab = p.family() == Family::Gitlab;
    let steps = if on_gitlab { gitlab::STEPS } else { STEPS };
    let mut out = markdown::header(p, "onboarding.md", &p.t(TITLE));
    let _ = writeln!(out, "{}\n", p.either(INTRO, gitlab::INTRO));
    settings(p, &mut out);
    let before = p.t(BEFORE);
    let (first, rest) = before.split_once("\n\n").unwrap_or((&before, ""));
    let _ = write!(out, "## {}\n\n{first}", p.t(BEFORE_TITLE));
    if let Some(file) = &p.input.config_file {
        let _ = write!(
            out,
            "{}{}",
            if p.lang == Lang::Ja { "" } else { " " },
            p.t_with(RUN_IN_REPO, &[("file", file.clone())])
        );
    }
    let _ = writeln!(out, "\n");
    install_blocks(p, &mut out);
    let _ = writeln!(out, "{rest}\n");
    for (i, step) in steps.iter().enumerate() {
        render_step(p, &mut out, i + 1, step);
    }
    if on_gitlab {
        gitlab::in_ci(p, &mut out);
    }
    let _ = writeln!(out, "## {}\n\n{}\n", p.t(DONE_TITLE), p.either(DONE, gitlab::DONE));
    out.push_str(&words::glossary(p.lang, p.family()));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn settings(p: &Page, out: &mut String) {
    let _ = writeln!(out, "## {}\n", p.t(SETTINGS_TITLE));
    match &p.input.config_file {
        Some(file) => {
            let _ = writeln!(out, "{}\n", p.t_with(SETTINGS_FROM_CONFIG, &[("file", file.clone())]));
        }
        None => {
            let _ = writeln!(out, "{}\n", p.t(SETTINGS_PLACEHOLDERS));
        }
    }
    let (github_access, gitlab_access) = match p.ctx().access {
        Access::Pull => (SETTING_PULL, gitlab::SETTING_PULL),
        Access::Push => (SETTING_PUSH, gitlab::SETTING_PUSH),
    };
    for line in
        [p.either(SETTING_HOST, gitlab::SETTING_HOST), p.t(SETTING_REGISTRY), p.either(github_access, gitlab_access)]
    {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(out, "- {}", p.t(SETTING_IMAGES));
    for image in p.input.image_names() {
        let _ = writeln!(out, "  - `{image}`");
    }
    if p.family() == Family::Gitlab {
        let _ = writeln!(out, "- {}\n", p.t(gitlab::SETTING_LOGIN));
    } else {
        let ask = ("ask", crate::gh_login_command(&p.ctx().host));
        let _ = writeln!(out, "- {}\n", p.t_with(SETTING_LOGIN, &[ask]));
    }
}

fn render_step(p: &Page, out: &mut String, n: usize, step: &Step) {
    let title = p.t_with(STEP, &[("n", n.to_string()), ("title", p.t(step.title))]);
    let _ = writeln!(out, "## {title}\n");
    let _ = writeln!(out, "### {}\n\n{}\n", p.t(WHY), p.t(step.why));
    let _ = writeln!(out, "### {}\n", p.t(DO));
    (step.body)(p, out);
    let _ = writeln!(out, "### {}\n\n{}\n", p.t(VERIFY), p.t(step.verify));
    let look = (step.look)(p);
    if !look.is_empty() {
        look_block(out, &look);
    }
    let _ = writeln!(out, "{}\n", check_line(p, step.checks));
    let _ = writeln!(out, "### {}\n\n{}\n", p.t(WRONG), p.t(WRONG_INTRO));
    let (rare, common): (Vec<&CauseInfo>, Vec<&CauseInfo>) =
        p.causes().filter(|c| step.checks.contains(&p.home(c))).partition(|c| is_rare(p, c));
    for cause in common {
        let title =
            p.t_with(words::TITLE_WITH_ID, &[("title", p.title(cause)), ("id", markdown::ref_link(cause.id.as_str()))]);
        let _ = writeln!(out, "- {title}");
    }
    out.push('\n');
    if !rare.is_empty() {
        let ids: Vec<String> = rare.iter().map(|c| markdown::ref_link(c.id.as_str())).collect();
        let _ = writeln!(out, "{}\n", p.t_with(RARE, &[("ids", ids.join(words::LIST_SEP.get(p.lang)))]));
    }
}

/// Causes a new member on their own machine rarely meets (CI, other registries, push problems
/// when the team only pulls): named in one line instead of the list.
fn is_rare(p: &Page, cause: &CauseInfo) -> bool {
    match cause.audience {
        Audience::Everyone => false,
        Audience::Rare => true,
        Audience::Pushing => p.ctx().access == Access::Pull,
    }
}

/// "Run `ghcr-doctor check`: the line ending in `(gh-auth)` should start with `[✓]`."
fn check_line(p: &Page, checks: &[CheckId]) -> String {
    let ids: Vec<String> = checks.iter().map(|c| p.t_with(CHECK_ID, &[("id", c.to_string())])).collect();
    let lines = if ids.len() == 1 {
        p.t_with(CHECK_LINE_ONE, &[("id", ids[0].clone())])
    } else {
        p.t_with(CHECK_LINE_MANY, &[("ids", ids.join(AND.get(p.lang)))])
    };
    p.t_with(CHECK_LINE, &[("lines", lines)])
}
