//! `troubleshooting.md`: every error message of the cause catalogue, verbatim and once, with
//! the causes that produce it and their fixes, so that pasting the message into the page search
//! finds the cause. Messages are grouped under the check of their first cause (registry order);
//! causes without a message of their own close the page. A GitLab team's page has the GitLab
//! run's causes only.

use std::fmt::Write as _;

use ghcr_doctor_checks::{CauseInfo, Text, t};

use crate::markdown::{self, full_fix_block, message_block, prose, ref_link};
use crate::page::Page;
use crate::words;

const TITLE: Text = t!("Troubleshooting by error message", "エラーメッセージ別トラブルシューティング");
const GITHUB_INTRO: Text = t!(
    "Search this page (Ctrl+F, or ⌘F on macOS) for a distinctive part of the error you see, such as the text after the image name: `denied: denied`, `unauthorized`, `manifest unknown`, `does not match expected scopes`. The messages below are verbatim; `OWNER`, `IMAGE` and `TAG` stand for the parts of your image name and `HOST` for your GitHub host. Some messages have several possible causes: `ghcr-doctor check` tells which one is yours, and prints the fix with your own values.",
    "表示されたエラーのうち特徴的な部分を、このページ内で検索してください（Ctrl+F、macOS では ⌘F）。たとえばイメージ名より後ろの `denied: denied`、`unauthorized`、`manifest unknown`、`does not match expected scopes` などです。以下のメッセージは実際の表示のとおりに載せています。`OWNER`、`IMAGE`、`TAG` はイメージ名の各部分を、`HOST` は GitHub のホスト名を表します。原因が複数考えられるメッセージもあります。`ghcr-doctor check` を実行すると、どれが当てはまるかを特定し、あなた自身の値で対処方法を表示します。"
);
const GITLAB_INTRO: Text = t!(
    "Search this page (Ctrl+F, or ⌘F on macOS) for a distinctive part of the error you see, such as the text after the image name: `denied: access forbidden`, `HTTP Basic: Access denied`, `unauthorized: authentication required`, `manifest unknown`. The messages below are verbatim; `OWNER`, `IMAGE` and `TAG` stand for the parts of your image name and `HOST` for your registry host. Some messages have several possible causes: `ghcr-doctor check` tells which one is yours, and prints the fix with your own values.",
    "表示されたエラーのうち特徴的な部分を、このページ内で検索してください（Ctrl+F、macOS では ⌘F）。たとえばイメージ名より後ろの `denied: access forbidden`、`HTTP Basic: Access denied`、`unauthorized: authentication required`、`manifest unknown` などです。以下のメッセージは実際の表示のとおりに載せています。`OWNER`、`IMAGE`、`TAG` はイメージ名の各部分を、`HOST` はレジストリのホスト名を表します。原因が複数考えられるメッセージもあります。`ghcr-doctor check` を実行すると、どれが当てはまるかを特定し、あなた自身の値で対処方法を表示します。"
);
/// Labels above the causes of a message: bold, without a colon, because paragraphs follow, not
/// a block or a list (docs/STYLE.md).
const ONE_CAUSE: Text = t!("**Cause**", "**原因**");
const MANY_CAUSES: Text = t!("**Possible causes**", "**考えられる原因**");
const CAUSE_LINE: Text = t!("**{title}** ({id}, check {check}). {fix}", "**{title}**（{id}、チェック {check}）。{fix}");
const SILENT_TITLE: Text = t!("Problems without an error message", "エラーメッセージが出ない問題");
const SILENT_INTRO: Text = t!(
    "These causes have no message of their own: a tool fails with one of the messages above, or works with a hidden risk. `ghcr-doctor check` reports them.",
    "以下の原因には特有のエラーメッセージがありません。ツールが上のいずれかのメッセージで失敗するか、問題を抱えたまま動作します。`ghcr-doctor check` で検出できます。"
);

pub fn render(p: &Page) -> String {
    let mut out = markdown::header(p, "troubleshooting.md", &p.t(TITLE));
    let _ = writeln!(out, "{}\n", p.either(GITHUB_INTRO, GITLAB_INTRO));
    let entries = entries(p);
    for check in p.checks() {
        let mine: Vec<&Entry> = entries.iter().filter(|e| p.home(e.causes[0]) == check.id).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## `{}`{}{}\n", check.id, p.t(words::COLON), p.t(check.title));
        for entry in mine {
            render_entry(p, &mut out, entry);
        }
    }
    let _ = writeln!(out, "## {}\n\n{}\n", p.t(SILENT_TITLE), p.t(SILENT_INTRO));
    for cause in p.causes().filter(|c| p.symptoms(c).is_empty()) {
        render_cause(p, &mut out, cause);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Messages that share exactly the same causes, shown together.
struct Entry {
    messages: Vec<&'static str>,
    causes: Vec<&'static CauseInfo>,
}

/// Every message once, grouped by the set of causes that produce it, in registry order (the
/// home check of a message's first cause, then catalogue order).
fn entries(p: &Page) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let home_order = |c: &CauseInfo| p.checks().position(|k| k.id == p.home(c)).unwrap_or(usize::MAX);
    let mut by_home: Vec<&'static CauseInfo> = p.causes().collect();
    by_home.sort_by_key(|c| home_order(c));
    for cause in by_home {
        for message in p.symptoms(cause) {
            if entries.iter().any(|e| e.messages.contains(&message)) {
                continue;
            }
            let causes: Vec<&'static CauseInfo> = p.causes().filter(|c| p.symptoms(c).contains(&message)).collect();
            match entries.iter_mut().find(|e| same_causes(&e.causes, &causes)) {
                Some(entry) => entry.messages.push(message),
                None => entries.push(Entry { messages: vec![message], causes }),
            }
        }
    }
    entries
}

fn same_causes(a: &[&CauseInfo], b: &[&CauseInfo]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id)
}

/// The messages, then every cause that produces them.
fn render_entry(p: &Page, out: &mut String, entry: &Entry) {
    for message in &entry.messages {
        message_block(out, message);
    }
    let _ = writeln!(out, "{}\n", p.t(if entry.causes.len() == 1 { ONE_CAUSE } else { MANY_CAUSES }));
    for cause in &entry.causes {
        render_cause(p, out, cause);
    }
}

fn render_cause(p: &Page, out: &mut String, cause: &CauseInfo) {
    let line = p.t_with(
        CAUSE_LINE,
        &[
            ("title", p.title(cause)),
            ("id", ref_link(cause.id.as_str())),
            ("check", format!("[`{home}`](checks.md#{home})", home = p.home(cause))),
            ("fix", prose(&p.fix(cause))),
        ],
    );
    let _ = writeln!(out, "{line}\n");
    full_fix_block(out, p, cause.id);
}
