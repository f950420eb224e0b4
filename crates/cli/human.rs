//! The human report: a status line per check in registry order, the explanation and fix of
//! each problem, then the root cause and one numbered "next steps" block; in pieces (header,
//! one check, footer) so that a terminal can be shown each check as soon as it is decided. Colour is added here
//! with owo-colors and stripped by anstream when the terminal or the user does not want it.

use std::fmt::Write as _;

use ghcr_doctor_checks::{CauseId, Finding, FixStep, Lang, Msg, Outcome, Report, Request, Status, Text, check, t};
use owo_colors::OwoColorize;

use crate::texts;

/// A check or cause id after a title: ` (gh-installed)` in English, `（gh-installed）` in
/// Japanese, whose brackets are always full-width (docs/STYLE.md).
const ID_AFTER_TITLE: Text = t!(" ({id})", "（{id}）");

pub(crate) fn after_title(id: impl std::fmt::Display, lang: Lang) -> String {
    Msg::new(ID_AFTER_TITLE).arg("id", id).render(lang)
}

fn mark(status: Status) -> String {
    match status {
        Status::Pass => "[✓]".green().to_string(),
        Status::Warn => "[!]".yellow().to_string(),
        Status::Fail => "[✗]".red().to_string(),
        Status::Skip => "[-]".dimmed().to_string(),
    }
}

pub fn render(report: &Report, request: &Request, lang: Lang, verbose: bool) -> String {
    let mut out = render_header(request, lang);
    let mut explained: Vec<CauseId> = Vec::new();
    for outcome in &report.outcomes {
        out.push_str(&render_outcome(outcome, lang, verbose, &mut explained));
    }
    out.push_str(&render_footer(report, request, lang));
    out
}

/// The header line and the blank line after it.
pub fn render_header(request: &Request, lang: Lang) -> String {
    format!("{}\n\n", texts::header(request, lang).bold())
}

/// One check's status line and findings; `explained` carries the causes already explained by
/// the checks before it.
pub fn render_outcome(outcome: &Outcome, lang: Lang, verbose: bool, explained: &mut Vec<CauseId>) -> String {
    let mut out = String::new();
    let title = check(outcome.check).title.get(lang);
    let _ = writeln!(out, "{} {}{}", mark(outcome.status), title.bold(), after_title(outcome.check, lang).dimmed());
    for finding in &outcome.findings {
        render_finding(&mut out, finding, outcome.findings.len() > 1, lang, explained);
    }
    if verbose {
        for (key, value) in &outcome.evidence {
            let _ = writeln!(out, "    {}", format!("{key}: {value}").dimmed());
        }
        let _ = writeln!(out, "    {}", format!("{} ms", outcome.duration_ms).dimmed());
    }
    out
}

/// The root cause, the next steps and the summary.
pub fn render_footer(report: &Report, request: &Request, lang: Lang) -> String {
    let mut out = String::new();
    let counts = |s: Status| report.outcomes.iter().filter(|o| o.status == s).count();
    let _ = writeln!(out);
    if let (Some(cause), Some(title)) = (report.root_cause, report.root_cause_title(lang)) {
        let _ =
            writeln!(out, "{}{title}{}", texts::label(texts::ROOT_CAUSE, lang).red().bold(), after_title(cause, lang));
    }
    if !report.next_steps.is_empty() {
        let _ = writeln!(out, "{}", texts::NEXT_STEPS.get(lang).bold());
        for (i, step) in report.next_steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, step.cyan());
            if let Some(alternative) = alternative(step, lang) {
                let _ = writeln!(out, "     {}", alternative.dimmed());
            }
        }
    } else if report.status == Status::Pass {
        let _ = writeln!(out, "{}", texts::ALL_GOOD.get(lang).green());
    }
    if request.images.is_empty() {
        let _ = writeln!(out, "{}", texts::NO_IMAGES_HINT.get(lang).dimmed());
    }
    let summary = Msg::new(texts::SUMMARY)
        .arg("fail", counts(Status::Fail))
        .arg("warn", counts(Status::Warn))
        .arg("pass", counts(Status::Pass))
        .arg("skip", counts(Status::Skip))
        .render(lang);
    let _ = writeln!(out, "{}", summary.dimmed());
    out
}

/// The shell comment under a step that has a one-off alternative: paste-safe, since the shell
/// ignores it.
pub fn alternative(step: &FixStep, lang: Lang) -> Option<String> {
    let FixStep::SetupDocker { alternative, .. } = step else { return None };
    let client = match alternative.as_ref() {
        FixStep::DockerLogin { client, .. } => client.command(),
        _ => "docker",
    };
    Some(
        Msg::new(t!(
            "# {client} asks gh on every pull, so nothing goes stale. One-off instead (a copy that goes stale): {command}",
            "# {client} が pull のたびに gh に問い合わせるので、古くなりません。一度だけのログインなら（コピーが古くなります）：{command}"
        ))
        .arg("client", client)
        .arg("command", alternative.to_string())
        .render(lang),
    )
}

/// One finding; a cause's explanation and fix text are printed the first time it appears only.
fn render_finding(out: &mut String, finding: &Finding, several: bool, lang: Lang, explained: &mut Vec<CauseId>) {
    let bullet = if several { format!("{} ", mark(finding.status)) } else { String::new() };
    let _ = writeln!(out, "    {bullet}{}", finding.message.render(lang));
    if !matches!(finding.status, Status::Fail | Status::Warn) {
        return;
    }
    match finding.cause {
        Some(cause) if explained.contains(&cause) => {
            let see = Msg::new(texts::SEE_ABOVE).arg("cause", cause).render(lang);
            let _ = writeln!(out, "      {}", see.dimmed());
            return;
        }
        Some(cause) => explained.push(cause),
        None => {}
    }
    if let Some(why) = finding.cause_why(lang) {
        let _ = writeln!(out, "      {}{}", texts::label(texts::WHY, lang).bold(), why);
    }
    if let Some(fix) = finding.fix_text(lang) {
        let _ = writeln!(out, "      {}{}", texts::label(texts::FIX, lang).bold(), fix);
    }
    for command in &finding.steps {
        let _ = writeln!(out, "        $ {}", command.cyan());
    }
}
