//! The CLI's own words (headings, labels, summaries), in both languages side by side.

use ghcr_doctor_checks::{Text, t};

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
pub const HEADER: Text = t!(
    "ghcr-doctor {version}: {host} → {registry} ({access})",
    "ghcr-doctor {version}：{host} → {registry}（{access}）"
);
pub const ACCESS_PULL: Text = t!("pull", "pull");
pub const ACCESS_PUSH: Text = t!("push", "push");
pub const NO_IMAGES_HINT: Text = t!(
    "No images given: the registry checks were skipped. Pass an image or list `images` in ghcr-doctor.toml.",
    "イメージが指定されていないため、レジストリの確認をスキップしました。イメージを指定するか、ghcr-doctor.toml の `images` に書いてください。"
);
pub const BAD_IMAGE: Text =
    t!("invalid image reference `{image}`: {why}", "イメージ参照 `{image}` が正しくありません：{why}");
pub const BAD_HOST: Text = t!("`{host}` is not a host name", "`{host}` はホスト名ではありません");
pub const BAD_TIMEOUT: Text = t!(
    "--timeout must be a number of seconds between 0.1 and 600",
    "--timeout には 0.1 から 600 までの秒数を指定してください"
);
pub const ERROR: Text = t!("error", "エラー");
