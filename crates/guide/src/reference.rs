//! `checks.md`: the reference of every check (registry order) and, under the check that reports
//! it, every cause: the error messages users see (verbatim), why it happens, and the fix with
//! its commands. A GitLab team's page has the GitLab run's checks and causes, in GitLab's words.

use std::fmt::Write as _;

use ghcr_doctor_checks::{CauseInfo, Check, Text, t};

use crate::markdown::{self, anchor, full_fix_block, message_block, prose};
use crate::page::Page;
use crate::words;

const TITLE: Text = t!("Checks and causes: reference", "チェックと原因のリファレンス");
const INTRO: Text = t!(
    "`ghcr-doctor check` runs these checks in this order. A check whose prerequisite failed is skipped (`[-]`) instead of failing a second time. Each check can report the causes listed under it; every cause comes with the error messages people actually see, why it happens, and the fix. Commands use the values of the team's config; `ghcr-doctor check` prints the same commands with your own values.",
    "`ghcr-doctor check` は、以下のチェックをこの順に実行します。前提となるチェックが失敗した場合、そのチェックはもう一度失敗させずにスキップ（`[-]`）します。各チェックは、その下に挙げた原因を報告します。原因ごとに、実際に表示されるエラーメッセージ、起きる理由、対処方法を説明しています。コマンドにはチームの設定の値が入っています。`ghcr-doctor check` は、同じコマンドをあなた自身の値で表示します。"
);
const CONTENTS: Text = t!("Contents", "目次");
const WHAT: Text = t!("**What is checked.** {text}", "**確認する内容**：{text}");
const WHY: Text = t!("**Why it matters.** {text}", "**なぜ重要か**：{text}");
const DEPENDS: Text = t!("Depends on: {value}", "前提となるチェック：{value}");
const NOTHING: Text = t!("nothing", "なし");
const IN_CI: Text = t!("Runs in CI mode (`--ci`): {value}", "CI モード（`--ci`）での実行：{value}");
const REPORTS: Text = t!("Can report: {value}", "報告する原因：{value}");
const REPORTED_BY: Text = t!("reported by {check}", "{check} が報告します。");
const ALSO_BY: Text = t!("; also by {checks}", "{checks} も報告します。");
const SEEN: Text = t!("What you see", "表示されるメッセージ");
const CAUSE_WHY: Text = t!("Why it happens", "原因");
const FIX: Text = t!("Fix", "対処方法");

pub fn render(p: &Page) -> String {
    let mut out = markdown::header(p, "checks.md", &p.t(TITLE));
    let _ = writeln!(out, "{}\n", p.t(INTRO));
    contents(p, &mut out);
    for check in p.checks() {
        render_check(p, &mut out, check);
        for cause in p.causes().filter(|c| p.home(c) == check.id) {
            render_cause(p, &mut out, cause);
        }
    }
    out.push_str(&words::glossary(p.lang, p.family()));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn contents(p: &Page, out: &mut String) {
    let _ = writeln!(out, "## {}\n", p.t(CONTENTS));
    for check in p.checks() {
        let colon = p.t(words::COLON);
        let _ = writeln!(out, "- [`{}`](#{}){colon}{}", check.id, check.id, p.t(check.title));
        for cause in p.causes().filter(|c| p.home(c) == check.id) {
            let _ = writeln!(out, "  - [`{}`](#{}){colon}{}", cause.id, cause.id, p.title(cause));
        }
    }
    out.push('\n');
}

fn render_check(p: &Page, out: &mut String, check: &Check) {
    let _ =
        writeln!(out, "{}\n\n## `{}`{}{}\n", anchor(check.id.as_str()), check.id, p.t(words::COLON), p.t(check.title));
    let _ = writeln!(out, "{}\n", p.t_with(WHAT, &[("text", prose(&p.t(check.what)))]));
    let _ = writeln!(out, "{}\n", p.t_with(WHY, &[("text", prose(&p.t(check.why)))]));
    let sep = words::LIST_SEP.get(p.lang);
    let depends = if check.depends_on.is_empty() {
        p.t(NOTHING)
    } else {
        check.depends_on.iter().map(|d| format!("[`{d}`](#{d})")).collect::<Vec<_>>().join(sep)
    };
    let in_ci = p.t(if check.in_ci { words::YES } else { words::NO });
    let documented: Vec<_> = p.causes().map(|c| c.id).collect();
    let reports = check
        .causes()
        .filter(|c| documented.contains(c))
        .map(|c| format!("[`{c}`](#{c})"))
        .collect::<Vec<_>>()
        .join(sep);
    for (label, value) in [(DEPENDS, depends), (IN_CI, in_ci), (REPORTS, reports)] {
        let _ = writeln!(out, "- {}", p.t_with(label, &[("value", value)]));
    }
    out.push('\n');
}

fn render_cause(p: &Page, out: &mut String, cause: &CauseInfo) {
    let _ = writeln!(out, "{}\n\n### {}\n", anchor(cause.id.as_str()), p.title(cause));
    let home = p.home(cause);
    let mut by = p.t_with(REPORTED_BY, &[("check", format!("[`{home}`](#{home})"))]);
    let others: Vec<String> = p
        .checks()
        .filter(|k| k.id != home && cause.checks.contains(&k.id))
        .map(|k| format!("[`{}`](#{})", k.id, k.id))
        .collect();
    if !others.is_empty() {
        by.push_str(&p.t_with(ALSO_BY, &[("checks", others.join(words::LIST_SEP.get(p.lang)))]));
    }
    let _ = writeln!(out, "`{}` · {by}\n", cause.id);
    let _ = writeln!(out, "#### {}\n", p.t(SEEN));
    let symptoms = p.symptoms(cause);
    if symptoms.is_empty() {
        let _ = writeln!(out, "{}\n", p.t(words::NO_MESSAGE));
    }
    for symptom in symptoms {
        message_block(out, symptom);
    }
    let _ = writeln!(out, "#### {}\n\n{}\n", p.t(CAUSE_WHY), prose(&p.why(cause)));
    let _ = writeln!(out, "#### {}\n\n{}\n", p.t(FIX), prose(&p.fix(cause)));
    full_fix_block(out, p, cause.id);
}
