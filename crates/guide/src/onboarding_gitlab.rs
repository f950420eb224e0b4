//! The GitLab team's day one (`onboarding.md` when the config names a GitLab forge): five steps
//! in the order of the GitLab run's checks — glab (optional), a personal access token with the
//! registry scopes, the docker daemon, docker's login through a pipe, the pull — and a section on
//! GitLab CI jobs, which log in with their own variables. The frame of the page is
//! [`crate::onboarding`]'s; the facts are gitlab-facts §3, §8–§12.

use std::fmt::Write as _;

use ghcr_doctor_checks::{Access, CauseId, CheckId, FixCtx, Text, t};

use crate::markdown::{fix_block_in, full_fix_block};
use crate::onboarding::{DOCKER_DAEMON_STEP, Step, para, pull_each_image, pull_step};
use crate::page::Page;

pub(crate) const INTRO: Text = t!(
    "This guide takes a new machine to a working `docker pull` of the team's images on GitLab. Follow the steps in order: each one says why it matters, what to run, how to check that it worked, and what usually goes wrong. It takes about fifteen minutes, most of them spent installing software.\n\nYou will create one personal access token with only the registry scopes, and hand it to docker through a pipe, so it never appears on a command line or in your shell history. Your GitLab password does not work for the registry when two-factor authentication is on.",
    "このガイドでは、新しいマシンで GitLab 上のチームのイメージを `docker pull` できるようになるまでを説明します。手順は上から順に進めてください。各手順には、なぜ必要か、何を実行するか、うまくいったかの確認方法、よくある失敗を書いています。所要時間は 15 分ほどで、その大半はソフトウェアのインストールです。\n\nレジストリ用のスコープだけを付けた個人用アクセストークンを 1 つ作り、パイプで docker に渡します。そのため、トークンがコマンドラインやシェルの履歴に残ることはありません。2 要素認証を有効にしている場合、GitLab のパスワードではレジストリにログインできません。"
);

pub(crate) const SETTING_HOST: Text = t!("GitLab: `{host}`", "GitLab：`{host}`");
pub(crate) const SETTING_PULL: Text = t!(
    "Access: pull (the token needs the `read_registry` scope)",
    "アクセス：pull（トークンに `read_registry` スコープが必要です）"
);
pub(crate) const SETTING_PUSH: Text = t!(
    "Access: pull and push (the token needs the `read_registry` and `write_registry` scopes)",
    "アクセス：pull と push（トークンに `read_registry` と `write_registry` のスコープが必要です）"
);
pub(crate) const SETTING_LOGIN: Text = t!(
    "Your user name: GitLab does not check the user name that comes with a personal access token, so the commands use `$USER` and run as they are. With a deploy token, use its own user name (`gitlab+deploy-token-N`) instead.",
    "ユーザー名：個人用アクセストークンと一緒に送るユーザー名を GitLab は確認しないため、コマンドでは `$USER` を使っており、そのまま実行できます。デプロイトークンを使う場合は、代わりにそのトークンのユーザー名（`gitlab+deploy-token-N`）を使ってください。"
);

pub(crate) const DONE: Text = t!(
    "Tokens expire, roles change, and docker keeps old credentials. When a pull or push fails later, run `ghcr-doctor check` first: it names the root cause and prints the commands to run, in order. If you only have an error message, search for it in the [troubleshooting page](troubleshooting.md); every check and cause is described in the [reference](checks.md).",
    "トークンの期限切れ、ロールの変更、docker に残った古い認証情報など、あとから問題が起きることもあります。pull や push が失敗したら、まず `ghcr-doctor check` を実行してください。根本原因を特定し、実行すべきコマンドを順番に表示します。エラーメッセージしか手元にない場合は、[トラブルシューティング](troubleshooting.md)のページでメッセージを検索してください。すべてのチェックと原因は[リファレンス](checks.md)で説明しています。"
);

pub(crate) static STEPS: &[Step] = &[
    Step {
        title: t!("Install the GitLab CLI (glab), if you want it", "必要なら GitLab CLI（glab）をインストールする"),
        checks: &[CheckId::GlabInstalled],
        why: t!(
            "docker does not need glab, and neither does this guide. glab is GitLab's own command line: if you use it for other work, `ghcr-doctor` also reads its login to tell which token is yours and what it may do.",
            "docker にもこのガイドにも glab は必要ありません。glab は GitLab 公式のコマンドラインツールです。ほかの作業で glab を使う場合は、`ghcr-doctor` がそのログインも読み取り、どのトークンが使われ、何ができるかを確認します。"
        ),
        body: install_glab,
        verify: t!("`glab --version` prints the version:", "`glab --version` でバージョンを確認します。"),
        look: |_| vec!["glab --version".into()],
    },
    Step {
        title: t!("Create a personal access token on `{host}`", "`{host}` で個人用アクセストークンを作成する"),
        checks: &[CheckId::GitlabHost, CheckId::GitlabAuth, CheckId::TokenScopes],
        why: t!(
            "The team's images are on `{registry}`, the registry of `{host}`, and it takes a token rather than your password: with two-factor authentication on, GitLab refuses the password with the same message as a wrong one. The token needs a registry scope, and nothing more.",
            "チームのイメージがある `{registry}` は `{host}` のレジストリで、パスワードではなくトークンでログインします。2 要素認証を有効にしていると、GitLab は正しいパスワードでも、間違ったパスワードと同じメッセージで拒否します。トークンに必要なのはレジストリ用のスコープだけです。"
        ),
        body: create_token,
        verify: t!(
            "The token is listed on the same page, under “Active personal access tokens”, with its scopes and expiry date.",
            "同じページの「Active personal access tokens」に、スコープと有効期限とともにトークンが表示されることを確認します。"
        ),
        look: |_| Vec::new(),
    },
    DOCKER_DAEMON_STEP,
    Step {
        title: t!("Log docker in to `{registry}` with the token", "トークンで docker を `{registry}` にログインさせる"),
        checks: &[CheckId::DockerCredentials],
        why: t!(
            "docker sends the registry the credential it stored at `docker login`, and keeps that copy until you log in again. When the token expires or is revoked, every pull fails, even of public images, until the copy is replaced.",
            "docker は `docker login` で保存した認証情報をレジストリに送り、ログインし直すまでそのコピーを使い続けます。トークンが期限切れになったり取り消されたりすると、コピーを置き換えるまで、公開イメージも含めてすべての pull が失敗します。"
        ),
        body: docker_login,
        verify: t!(
            "`docker login` ends with `Login Succeeded`.",
            "`docker login` が `Login Succeeded` で終わることを確認します。"
        ),
        look: |_| Vec::new(),
    },
    pull_step(
        t!(
            "This is the goal, and the only real proof: GitLab decides per project whether your token may read its registry.",
            "ここがゴールであり、唯一の確かな確認方法です。トークンでレジストリを読めるかどうかは、GitLab がプロジェクトごとに判断します。"
        ),
        pull_images,
    ),
];

fn install_glab(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "Skip this step if you do not use glab: the `glab-installed` line of `ghcr-doctor check` then warns, and nothing else depends on it. Otherwise install it (Debian and Ubuntu do not package it; https://gitlab.com/gitlab-org/cli#installation lists every way):",
            "glab を使わない場合は、この手順を飛ばしてかまいません。`ghcr-doctor check` の `glab-installed` の行は警告になりますが、ほかのチェックには影響しません。使う場合はインストールします（Debian と Ubuntu にはパッケージがありません。https://gitlab.com/gitlab-org/cli#installation にすべての方法が載っています）。"
        ),
    );
    full_fix_block(out, p, CauseId::GlabMissing);
}

fn create_token(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "Open {token_page} while signed in to `{host}`; the scopes the team needs are already selected there. Give the token a name you will recognise (the machine's, for example), pick an expiry date, and select “Create token”. Copy the token right away: GitLab shows it only once. Keep it in your password manager, not in a file.",
            "`{host}` にサインインした状態で {token_page} を開きます。チームに必要なスコープは、すでに選択された状態で開きます。あとで見分けられる名前（マシン名など）を付け、有効期限を選んで「Create token」を選択します。トークンはすぐにコピーしてください。GitLab が表示するのは一度だけです。ファイルではなく、パスワードマネージャーに保管してください。"
        ),
    );
    para(
        out,
        p,
        t!(
            "Do not add more scopes than these. `read_api` and `api` would also let docker pull (and `api` push), but they open the whole API to anyone who finds the token. A deploy token or a project access token works too, if the team gives you one instead.",
            "これ以外のスコープは追加しないでください。`read_api` や `api` でも docker は pull できます（`api` なら push も）が、トークンを手に入れた人に API 全体への権限を与えてしまいます。チームからデプロイトークンやプロジェクトアクセストークンを渡された場合は、それを使ってもかまいません。"
        ),
    );
}

fn docker_login(p: &Page, out: &mut String) {
    para(
        out,
        p,
        t!(
            "The first command waits for the token without showing it: paste the token and press Enter. The next one hands it to docker through a pipe, so the token appears neither on a command line nor in your shell history:",
            "最初のコマンドは、トークンを画面に表示せずに入力を待ちます。トークンを貼り付けて Enter キーを押してください。次のコマンドはトークンをパイプで docker に渡すため、トークンはコマンドラインにもシェルの履歴にも残りません。"
        ),
    );
    full_fix_block(out, p, CauseId::NoCredentials);
    para(
        out,
        p,
        t!(
            "docker keeps a copy of the token in `~/.docker/config.json`, or in the system keychain when a credential helper is set up. When the token expires or you replace it, log out first and log in again the same way:",
            "docker はトークンのコピーを `~/.docker/config.json` に保存します（認証情報ヘルパーを設定している場合は OS のキーチェーンなどに保存します）。トークンが期限切れになったときや置き換えるときは、先にログアウトしてから、同じ方法でログインし直してください。"
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
                "The team's config asks for push access too, so `ghcr-doctor check` also checks that you may push: the `write_registry` scope and at least the Developer role in each project.",
                "チームの設定では push のアクセスも求められているため、`ghcr-doctor check` は push できるかどうか（`write_registry` スコープと、各プロジェクトでの Developer 以上のロール）も確認します。"
            ),
        );
    }
    para(
        out,
        p,
        t!(
            "If a pull is denied although every check before passed, you probably have no role in the project yet: a private project needs at least the Reporter role, which a Maintainer of the project can give you. GitLab answers the same for a project that does not exist and for a registry that is turned off; `ghcr-doctor check` tells them apart only when the token also has `read_api`, and says so when it cannot.",
            "それまでのチェックがすべて成功しているのに pull が拒否される場合は、まだプロジェクトでのロールがない可能性が高いです。非公開のプロジェクトには Reporter 以上のロールが必要です。プロジェクトの Maintainer に付与してもらってください。GitLab は、プロジェクトが存在しない場合やレジストリが無効な場合にも同じ応答を返します。`ghcr-doctor check` がこれらを見分けられるのはトークンに `read_api` もある場合だけで、見分けられないときはそのことを表示します。"
        ),
    );
}

const CI_TITLE: Text = t!("In GitLab CI", "GitLab CI の場合");
const CI_LOGIN: Text = t!(
    "Jobs do not use your personal token: GitLab gives every job its own credentials for the registry of its instance. Log in with the job's variables:",
    "ジョブではあなたの個人用トークンを使いません。GitLab は各ジョブに、そのインスタンスのレジストリ用の認証情報を渡します。ジョブの変数でログインしてください。"
);
const CI_LIMITS: Text = t!(
    "The job token pushes only to the job's own project, and pulls from another project only when that project's CI/CD job token allowlist names the job's project. To check a job before it pushes, run `ghcr-doctor check --format gitlab` in it: each check gets a collapsible section of the job log, and the merge request shows the findings from the Code Quality report:",
    "ジョブトークンで push できるのはジョブ自身のプロジェクトだけです。ほかのプロジェクトから pull できるのは、そのプロジェクトの CI/CD ジョブトークンの許可リストにジョブのプロジェクトが登録されている場合だけです。push の前にジョブを確認するには、ジョブの中で `ghcr-doctor check --format gitlab` を実行します。チェックごとにジョブログの折りたたみセクションが作られ、Code Quality レポートの結果がマージリクエストに表示されます。"
);

/// The GitLab CI section: the job's own login, what the job token may do, and the self-check.
pub(crate) fn in_ci(p: &Page, out: &mut String) {
    let _ = writeln!(out, "## {}\n\n{}\n", p.t(CI_TITLE), p.t(CI_LOGIN));
    let job = FixCtx { ci: true, ..p.ctx().clone() };
    fix_block_in(out, p, CauseId::NoCredentials, &job, |_| true);
    let _ = writeln!(out, "{}\n", p.t(CI_LIMITS));
    let access = if p.ctx().access == Access::Push { " --push" } else { "" };
    let image = p.input.image_names().first().cloned().unwrap_or_default();
    let _ = writeln!(
        out,
        "```yaml\nregistry-self-check:\n  script:\n    - ghcr-doctor check --format gitlab{access} {image}\n  artifacts:\n    when: always\n    reports:\n      codequality: gl-code-quality-report.json\n```\n"
    );
}
