//! `explain_id`: the terminal text of `ghcr-doctor explain ID` for a check or cause id: the
//! same texts and the same fix steps as the generated reference, as plain text with light
//! Markdown (backticks kept), filled with the caller's [`FixCtx`] (a placeholder login asked
//! from gh). Its commands follow the docs' rules: one operating system per list, and a command
//! that waits for input ends its list (docs/STYLE.md).

use std::fmt::Write as _;

use ghcr_doctor_checks::{CAUSES, CauseId, CheckId, FixCtx, Lang, Text, cause_info, check, checks_by_id, fill, t};

use crate::markdown::{paste_blocks, steps_by_os};
use crate::page::doc_args;
use crate::words;

const WHAT: Text = t!("What is checked", "確認する内容");
const WHY_CHECK: Text = t!("Why it matters", "なぜ重要か");
const DEPENDS: Text = t!("Depends on", "前提となるチェック");
const CAUSES_TITLE: Text = t!("Causes it can report", "報告する原因");
const MORE: Text = t!(
    "Run `ghcr-doctor explain CAUSE` for one of them.",
    "各原因の詳細は `ghcr-doctor explain 原因のID` で表示できます。"
);
const REPORTED_BY: Text = t!("Reported by check `{check}` ({title}).", "チェック `{check}`（{title}）が報告します。");
const SEEN: Text = t!("What you see", "表示されるメッセージ");
const WHY_CAUSE: Text = t!("Why it happens", "原因");
const FIX: Text = t!("Fix", "対処方法");
const RUN: Text = t!("Run", "実行するコマンド");
/// `{space}` is the space between a system's name and Japanese, left out after a full-width
/// bracket (docs/STYLE.md).
const RUN_ON: Text = t!("Run on {os}", "{os}{space}で実行するコマンド");
const RUN_THEN: Text = t!("When that command has finished, run", "そのコマンドが終わったら実行するコマンド");
/// Ends a heading line.
const END: Text = t!(":", "：");

/// The explanation of a check id or a cause id in `lang`, filled from `ctx`; `None` for an
/// unknown id.
pub fn explain_id(id: &str, lang: Lang, ctx: &FixCtx) -> Option<String> {
    let ctx = &crate::with_derived_values(ctx);
    let args = doc_args(ctx, lang);
    let t = |text: Text| fill(text.get(lang), &args);
    if let Some(id) = CheckId::parse(id) {
        return Some(explain_check(id, lang, &t));
    }
    CauseId::parse(id).map(|id| explain_cause(id, ctx, lang, &t))
}

fn explain_check(id: CheckId, lang: Lang, t: &dyn Fn(Text) -> String) -> String {
    let c = check(id);
    let mut out = format!("{id}{}{}\n\n", words::COLON.get(lang), t(c.title));
    section(&mut out, &format!("{}{}", t(WHAT), t(END)), &t(c.what));
    section(&mut out, &format!("{}{}", t(WHY_CHECK), t(END)), &t(c.why));
    if !c.depends_on.is_empty() {
        let deps: Vec<&str> = c.depends_on.iter().map(|d| d.as_str()).collect();
        section(&mut out, &format!("{}{}", t(DEPENDS), t(END)), &deps.join(words::LIST_SEP.get(lang)));
    }
    let _ = writeln!(out, "{}{}", t(CAUSES_TITLE), t(END));
    let width = c.causes().map(|c| c.as_str().len()).max().unwrap_or(0);
    for cause in c.causes() {
        let _ = writeln!(out, "  {:width$}  {}", cause.as_str(), t(cause_info(cause).title));
    }
    let _ = writeln!(out, "\n{}", t(MORE));
    out
}

fn explain_cause(id: CauseId, ctx: &FixCtx, lang: Lang, t: &dyn Fn(Text) -> String) -> String {
    let info = cause_info(id);
    let home = check(info.check());
    let mut out = format!("{id}{}{}\n", words::COLON.get(lang), t(info.title));
    let by = fill(REPORTED_BY.get(lang), &[("check", info.check().to_string()), ("title", t(home.title))]);
    let _ = writeln!(out, "{by}\n");
    if !info.symptoms.is_empty() {
        let _ = writeln!(out, "{}{}", t(SEEN), t(END));
        for symptom in info.symptoms {
            let _ = writeln!(out, "  {symptom}");
        }
        out.push('\n');
    }
    section(&mut out, &format!("{}{}", t(WHY_CAUSE), t(END)), &t(info.why));
    section(&mut out, &format!("{}{}", t(FIX), t(END)), &t(info.fix));
    for (os, steps) in steps_by_os(id, ctx) {
        for (i, block) in paste_blocks(&steps).iter().enumerate() {
            let heading = match (i, os) {
                (0, None) => t(RUN),
                (0, Some(os)) => {
                    let os = t(words::os_label(os));
                    let space = if os.ends_with('）') { "" } else { " " };
                    fill(RUN_ON.get(lang), &[("os", os.clone()), ("space", space.to_owned())])
                }
                _ => t(RUN_THEN),
            };
            let _ = writeln!(out, "{heading}{}", t(END));
            for command in block {
                let _ = writeln!(out, "  {command}");
            }
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `Heading:` then the text, indented by two spaces.
fn section(out: &mut String, heading: &str, body: &str) {
    let _ = writeln!(out, "{heading}");
    for line in body.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out.push('\n');
}

/// Every id `explain_id` knows, checks first (for completions and tests).
pub fn explainable_ids() -> impl Iterator<Item = &'static str> {
    checks_by_id().map(|c| c.id.as_str()).chain(CAUSES.iter().map(|c| c.id.as_str()))
}
