//! The CLI's own words (headings, labels, summaries), in both languages side by side.

use ghcr_doctor_checks::{Lang, Text, t};

/// A label and its separator: `Why: ` in English, `理由：` in Japanese.
pub fn label(text: Text, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}: ", text.en),
        Lang::Ja => format!("{}：", text.ja),
    }
}

pub const ROOT_CAUSE: Text = t!("Root cause", "根本原因");
pub const NEXT_STEPS: Text = t!("Next steps (run in this order):", "次の手順（この順に実行してください）：");
pub const WHY: Text = t!("Why", "理由");
pub const FIX: Text = t!("Fix", "対処");
pub const SEE_ABOVE: Text = t!("(`{cause}`: explained above)", "（`{cause}`：説明は上にあります）");
pub const ALL_GOOD: Text = t!("No problems found.", "問題は見つかりませんでした。");
pub const SUMMARY: Text = t!(
    "{fail} failed, {warn} warnings, {pass} passed, {skip} skipped",
    "失敗 {fail} 件、警告 {warn} 件、成功 {pass} 件、スキップ {skip} 件"
);
/// `ghcr-doctor 0.1.0: github.com → ghcr.io (pull)`, the first line of every report.
pub fn header(request: &ghcr_doctor_checks::Request, lang: Lang) -> String {
    let access = match request.access {
        ghcr_doctor_checks::Access::Pull => ACCESS_PULL,
        ghcr_doctor_checks::Access::Push => ACCESS_PUSH,
    };
    // docker's header stays as it always was; podman is named.
    let header = if request.client == Some(ghcr_doctor_checks::Client::Podman) { HEADER_PODMAN } else { HEADER };
    ghcr_doctor_checks::Msg::new(header)
        .arg("version", env!("CARGO_PKG_VERSION"))
        .arg("host", request.forge.host_name())
        .arg("registry", request.registry_host())
        .arg("access", access.get(lang))
        .render(lang)
}

pub const HEADER: Text = t!(
    "ghcr-doctor {version}: {host} → {registry} ({access})",
    "ghcr-doctor {version}：{host} → {registry}（{access}）"
);
pub const HEADER_PODMAN: Text = t!(
    "ghcr-doctor {version}: {host} → {registry} ({access}, with podman)",
    "ghcr-doctor {version}：{host} → {registry}（{access}、podman を使用）"
);
pub const ACCESS_PULL: Text = t!("pull", "pull");
pub const ACCESS_PUSH: Text = t!("push", "push");
pub const NO_IMAGES_HINT: Text = t!(
    "No images given: the registry checks were skipped. Pass an image or list `images` in ghcr-doctor.toml.",
    "イメージが指定されていないため、レジストリの確認をスキップしました。イメージを指定するか、ghcr-doctor.toml の `images` に書いてください。"
);
pub const BAD_IMAGE: Text =
    t!("invalid image reference `{image}`: {why}", "イメージ参照 `{image}` が正しくありません：{why}");
pub const BAD_PULL_SECRET: Text = t!(
    "`{file}` is not a pull secret ghcr-doctor can read: {why}",
    "`{file}` は ghcr-doctor が読める pull 用の Secret ではありません：{why}"
);
pub const PULL_SECRET_ONE_IMAGE: Text = t!(
    "--pull-secret needs exactly one image: the one the pod pulls (`ghcr-doctor check --pull-secret FILE IMAGE`)",
    "--pull-secret には、Pod が pull するイメージを一つだけ指定してください（`ghcr-doctor check --pull-secret FILE IMAGE`）"
);
pub const BAD_HOST: Text = t!("`{host}` is not a host name", "`{host}` はホスト名ではありません");
pub const BAD_TIMEOUT: Text = t!(
    "--timeout must be a number of seconds between 0.1 and 600",
    "--timeout には 0.1 から 600 までの秒数を指定してください"
);
pub const ERROR: Text = t!("error", "エラー");
pub const REGISTRY: Text = t!("Registry", "レジストリ");
pub const IMAGE: Text = t!("Image", "イメージ");
pub const CONFIDENCE_HIGH: Text = t!("high", "確度：高");
pub const CONFIDENCE_MEDIUM: Text = t!("medium", "確度：中");
pub const CONFIDENCE_LOW: Text = t!("low", "確度：低");
pub const EXPLAIN_LINE: Text = t!("line {n}: {text}", "{n} 行目：{text}");
pub const EXPLAIN_AMBIGUOUS: Text = t!(
    "This message has more than one possible cause (all listed below). `{command}` tells them apart on your machine (check `{check}`).",
    "このメッセージには複数の原因が考えられます（下にすべて挙げます）。`{command}` を実行すると、あなたの環境でどれが原因かを見分けられます（チェック `{check}`）。"
);
pub const EXPLAIN_UNKNOWN: Text = t!(
    "No known cause matches this text. Run `{command}` to look at your machine directly.",
    "このテキストに当てはまる既知の原因はありません。`{command}` を実行して、あなたの環境を直接確認してください。"
);
pub const EXPLAIN_NEEDS_INPUT: Text = t!(
    "give the error text, a check or cause id, or `-` to read a log from stdin",
    "エラーのテキスト、チェックか原因の ID、または標準入力からログを読む `-` を指定してください"
);
pub const STDIN_ERROR: Text = t!("cannot read stdin: {error}", "標準入力を読めません：{error}");
pub const FIX_NOT_IN_CI: Text = t!(
    "`ghcr-doctor fix` never runs in CI; change the workflow as `ghcr-doctor check` explains",
    "`ghcr-doctor fix` は CI では実行しません。`ghcr-doctor check` の説明に従ってワークフローを変更してください"
);
pub const FIX_NEEDS_TERMINAL: Text = t!(
    "`ghcr-doctor fix` asks before it changes anything, and stdin is not a terminal; run it in a terminal or pass `--yes`",
    "`ghcr-doctor fix` は変更の前に確認を求めますが、標準入力が端末ではありません。端末で実行するか、`--yes` を付けてください"
);
pub const FIX_PLAN: Text = t!("The plan:", "実行する計画：");
pub const FIX_WE_RUN: Text = t!("(ghcr-doctor runs this)", "（ghcr-doctor が実行します）");
pub const FIX_YOU_RUN: Text = t!("(you do this yourself)", "（ご自身で実行してください）");
pub const FIX_CONFIRM: Text = t!("Apply the plan? [y/N] ", "この計画を実行しますか？ [y/N] ");
pub const FIX_CANCELLED: Text = t!("Nothing was changed.", "何も変更していません。");
pub const FIX_AFTER: Text = t!("Checking again:", "もう一度確認します：");
pub const FIX_BEFORE_AFTER: Text = t!("Before → after:", "変更前 → 変更後：");
pub const FIX_STEP_FAILED: Text = t!("`{step}` failed: {said}", "`{step}` が失敗しました：{said}");
pub const FIX_SKIPPED_INTERACTIVE: Text = t!(
    "Needs you at a terminal (browser or one-time code), run it yourself:",
    "端末での操作（ブラウザーまたはワンタイムコード）が必要です。ご自身で実行してください："
);
pub const DOCS_NEEDS_CONFIG: Text = t!(
    "no ghcr-doctor.toml here or in a parent directory; pass `--config PATH`",
    "このディレクトリにも親ディレクトリにも ghcr-doctor.toml がありません。`--config PATH` で指定してください"
);
pub const DOCS_WRITTEN: Text = t!(
    "{n} files in {dir} ({changed} written, the rest already up to date)",
    "{dir} に {n} 個のファイルがあります（{changed} 個を書き込み、残りは最新でした）"
);
pub const FIX_NO_BACKUP: Text = t!(
    "cannot back up docker's config.json before changing it ({error}); nothing was changed",
    "変更の前に docker の config.json をバックアップできません（{error}）。何も変更していません"
);
pub const FIX_RESTORED: Text = t!(
    "`{config}` is back as it was before `fix` (a step failed, so the rest was not run).",
    "ステップが失敗したため、`{config}` を `fix` の実行前の状態に戻しました（残りのステップは実行していません）。"
);
pub const FIX_RESTORE_FAILED: Text = t!(
    "`{config}` could not be restored; its copy from before `fix` is beside it (`.ghcr-doctor-backup`).",
    "`{config}` を元に戻せませんでした。`fix` 実行前のコピーが同じ場所にあります（`.ghcr-doctor-backup`）。"
);
pub const FIX_CONFIG_UNCHANGED: Text = t!("`{config}` is unchanged.", "`{config}` は変更されていません。");
pub const FIX_CONFIG_CHANGED: Text = t!(
    "`{config}` changed for: {registries} (the copy from before is `{backup}`).",
    "`{config}` の次のエントリが変わりました：{registries}（変更前のコピーは `{backup}` です）。"
);

pub const REGISTRY_NEEDS_GITLAB: Text = t!(
    "`--registry` names a self-managed GitLab's registry: use it with `--forge gitlab`",
    "`--registry` はセルフマネージドの GitLab のレジストリを指定します。`--forge gitlab` と一緒に使ってください"
);

pub const NO_FORGE_FOR_REGISTRY: Text = t!(
    "`{image}` is on `{registry}`, which is neither a GitHub registry (`ghcr.io`, `containers.HOST`) nor GitLab.com's (`registry.gitlab.com`). If it is a self-managed GitLab's registry, name it: `--forge gitlab --host GITLAB_HOST --registry {registry}`, or `forge`, `host` and `registry` in ghcr-doctor.toml",
    "`{image}` は `{registry}` にありますが、これは GitHub のレジストリ（`ghcr.io`、`containers.HOST`）でも GitLab.com のレジストリ（`registry.gitlab.com`）でもありません。セルフマネージドの GitLab のレジストリであれば、`--forge gitlab --host GITLAB_HOST --registry {registry}` か、ghcr-doctor.toml の `forge`、`host`、`registry` で指定してください"
);

pub const BAD_GLAB_CONFIG: Text = t!(
    "glab's config file `{path}` cannot be read ({detail}); glab itself would fail on it. Fix or remove it (`glab auth login` writes a new one).",
    "glab の設定ファイル `{path}` を読み込めません（{detail}）。glab 自身もこのファイルでは失敗します。修正するか削除してください（`glab auth login` で新しく作成できます）。"
);
