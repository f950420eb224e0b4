//! `--format github`: GitHub Actions workflow commands. One `::error` (or `::warning`)
//! annotation per failed (or warning) check on stdout, escaped as the workflow-command format
//! requires, then the human report for the job log, and a Markdown report appended to
//! `$GITHUB_STEP_SUMMARY` when it is set. Also what the CLI reads from the Actions environment
//! before a run: the GitHub host from `GITHUB_SERVER_URL`.

use std::fmt::Write as _;

use ghcr_doctor_checks::{
    Access, CauseId, CheckId, Finding, FixCtx, Forge, GithubHost, ImageRef, ImageRefError, Lang, Msg, Outcome, Report,
    Request, Status, Text, cause_info, check, command_lines, escape_controls, t,
};
use ghcr_doctor_probe::Env;

use crate::anonymize::Anonymizer;
use crate::args::{CheckArgs, Format};
use crate::{human, out, texts};

const COL_CHECK: Text = t!("Check", "チェック");
const COL_STATUS: Text = t!("Status", "状態");
const COL_CAUSE: Text = t!("Cause", "原因");
const USAGE_EXIT: Text = t!(
    "ghcr-doctor stopped before checking anything (exit code 2).",
    "ghcr-doctor は確認を始める前に終了しました（終了コード 2）。"
);
const LOWER_CASE_IN_WORKFLOW: Text = t!(
    "In a workflow, build the name in lower case: the command below does it in a `run:` step.",
    "ワークフローでは、小文字にした名前を組み立ててください。下のコマンドを `run:` ステップで実行すると小文字になります。"
);

// ---------------------------------------------------------------------------------------------
// The Actions environment, read before the run

/// The GitHub host of the job's server: `GITHUB_SERVER_URL` (`https://github.com` → github.com,
/// an Enterprise Server's URL → its host).
pub fn server_host(env: &Env) -> Option<GithubHost> {
    GithubHost::parse(env.non_empty("GITHUB_SERVER_URL")?.trim().trim_end_matches('/'))
}

// ---------------------------------------------------------------------------------------------
// Workflow commands

/// Escapes a workflow command's message: `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as data, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error title=ghcr-doctor CHECK-ID::message`.
pub fn annotation(level: &str, check: CheckId, message: &str) -> String {
    format!("::{level} title={}::{}", escape_property(&format!("ghcr-doctor {check}")), escape_data(message))
}

/// One finding as plain text: the message, why, the fix and its commands.
fn finding_text(f: &Finding, lang: Lang) -> String {
    let mut out = f.message.render(lang);
    if let Some(why) = f.cause_why(lang) {
        let _ = write!(out, "\n{}{why}", texts::label(texts::WHY, lang));
    }
    if let Some(fix) = f.fix_text(lang) {
        let _ = write!(out, "\n{}{fix}", texts::label(texts::FIX, lang));
    }
    for c in &f.steps {
        let _ = write!(out, "\n$ {c}");
    }
    out
}

/// The findings of an outcome that carry its status.
fn headline_findings(o: &Outcome) -> impl Iterator<Item = &Finding> {
    o.findings.iter().filter(move |f| f.status == o.status)
}

/// The annotations of a report, one line each (with a trailing newline).
pub fn annotations(report: &Report, lang: Lang, strict: bool) -> String {
    let mut out = String::new();
    for o in &report.outcomes {
        let level = match o.status {
            Status::Fail => "error",
            Status::Warn if strict => "error",
            Status::Warn => "warning",
            Status::Pass | Status::Skip => continue,
        };
        let message = headline_findings(o).map(|f| finding_text(f, lang)).collect::<Vec<_>>().join("\n\n");
        out.push_str(&annotation(level, o.check, &message));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The step summary

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Warn => "⚠️",
        Status::Fail => "❌",
        Status::Skip => "➖",
    }
}

/// Text with indented lines (4 spaces: YAML in fix texts) turned into fenced code blocks.
pub(crate) fn markdown_text(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        let code = line.strip_prefix("    ");
        match (code, in_code) {
            (Some(c), false) => {
                out.push_str("\n```yaml\n");
                out.push_str(c);
                out.push('\n');
                in_code = true;
            }
            (Some(c), true) => {
                out.push_str(c);
                out.push('\n');
            }
            (None, true) => {
                out.push_str("```\n");
                out.push_str(line);
                out.push('\n');
                in_code = false;
            }
            (None, false) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if in_code {
        out.push_str("```\n");
    }
    out
}

/// `**Why**: ` / `**理由**：`: the colon outside the bold, which GitHub's Markdown does not close
/// after punctuation followed by a Japanese letter.
fn bold_label(text: Text, lang: Lang) -> String {
    match lang {
        Lang::En => format!("**{}**: ", text.en),
        Lang::Ja => format!("**{}**：", text.ja),
    }
}

/// The Markdown report for `$GITHUB_STEP_SUMMARY`.
pub fn summary(report: &Report, request: &Request, lang: Lang, footer: Option<Text>) -> String {
    let header = texts::header(request, lang);
    let mut md = format!("## {header}\n\n");
    let _ = writeln!(md, "| | {} | {} | {} |", COL_CHECK.get(lang), COL_STATUS.get(lang), COL_CAUSE.get(lang));
    md.push_str("|---|---|---|---|\n");
    for o in &report.outcomes {
        let cause = o.cause().filter(|_| matches!(o.status, Status::Fail | Status::Warn));
        let _ = writeln!(
            md,
            "| {} | {}{} | {} | {} |",
            icon(o.status),
            check(o.check).title.get(lang),
            crate::human::after_title(format!("`{}`", o.check), lang),
            o.status.as_str(),
            cause.map(|c| format!("`{c}`")).unwrap_or_default()
        );
    }
    for o in report.outcomes.iter().filter(|o| matches!(o.status, Status::Fail | Status::Warn)) {
        let _ = write!(md, "\n### {} {} (`{}`)\n", icon(o.status), check(o.check).title.get(lang), o.check);
        for f in headline_findings(o) {
            let _ = write!(md, "\n{}\n", f.message.render(lang));
            if let Some(why) = f.cause_why(lang) {
                let _ = write!(md, "\n{}{why}\n", bold_label(texts::WHY, lang));
            }
            if let Some(fix) = f.fix_text(lang) {
                let _ = write!(md, "\n{}{}", bold_label(texts::FIX, lang), markdown_text(&fix));
            }
            if !f.steps.is_empty() {
                let _ = write!(md, "\n```sh\n{}\n```\n", command_lines(&f.steps).join("\n"));
            }
        }
    }
    md.push('\n');
    if let (Some(cause), Some(title)) = (report.root_cause, report.root_cause_title(lang)) {
        let _ = writeln!(
            md,
            "{}{title}{}\n",
            bold_label(texts::ROOT_CAUSE, lang),
            crate::human::after_title(format!("`{cause}`"), lang)
        );
    }
    if !report.next_steps.is_empty() {
        let _ = writeln!(md, "**{}**\n", texts::NEXT_STEPS.get(lang));
        for (i, step) in report.next_steps.iter().enumerate() {
            let _ = writeln!(md, "{}. `{step}`", i + 1);
        }
        md.push('\n');
    } else if report.status == Status::Pass {
        let _ = writeln!(md, "{}\n", texts::ALL_GOOD.get(lang));
    }
    if let Some(footer) = footer {
        let _ = writeln!(md, "{}\n", footer.get(lang));
    }
    let counts = |s: Status| report.outcomes.iter().filter(|o| o.status == s).count();
    let counts = Msg::new(texts::SUMMARY)
        .arg("fail", counts(Status::Fail))
        .arg("warn", counts(Status::Warn))
        .arg("pass", counts(Status::Pass))
        .arg("skip", counts(Status::Skip))
        .render(lang);
    let _ = writeln!(md, "_{counts}_");
    md
}

/// Appends `markdown` to `$GITHUB_STEP_SUMMARY` when set; a failure is reported, not fatal.
fn append_summary(env: &Env, markdown: &str) {
    let Some(path) = env.non_empty("GITHUB_STEP_SUMMARY") else { return };
    // A FIFO or a device would block the open: only a regular file, or a new one.
    let written =
        ghcr_doctor_probe::check_regular(std::path::Path::new(path)).map_err(|e| e.to_string()).and_then(|_| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{markdown}\n").as_bytes()))
                .map_err(|e| e.to_string())
        });
    if let Err(e) = written {
        out::stderr_line(&annotation("warning", CheckId::RegistryAccess, &format!("GITHUB_STEP_SUMMARY: {e}")));
    }
}

fn print(text: &str) {
    out::stdout(text);
}

/// Renders a finished run: annotations, the human report for the log, the step summary.
pub fn render(report: &Report, request: &Request, lang: Lang, env: &Env, verbose: bool, strict: bool) {
    print(&annotations(report, lang, strict));
    // The human report quotes what servers and tools said: between `stop-commands` and the
    // resume line no line of it can act as a workflow command, whatever it holds.
    let token = stop_token();
    print(&format!("::stop-commands::{token}\n"));
    print(&human::render(report, request, lang, verbose));
    print(&format!("::{token}::\n"));
    append_summary(env, &summary(report, request, lang, None));
}

/// A token no input can guess, for `::stop-commands::` (the std hasher is seeded at random per
/// process).
fn stop_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("ghcr-doctor-{:016x}", hasher.finish())
}

// ---------------------------------------------------------------------------------------------
// Image references that stop the run (exit 2) still get their annotation

/// The `InvalidReference` finding for an image argument docker would reject. An owner with
/// capitals gets the workflow's `${GITHUB_REPOSITORY_OWNER,,}` spelling.
pub fn invalid_reference(raw: &str, error: &ImageRefError, env: &Env) -> Finding {
    let message = Msg::new(texts::BAD_IMAGE).arg("image", escape_controls(raw)).arg_msg("why", error.describe());
    let mut finding =
        Finding::new(Status::Fail, message).cause(CauseId::InvalidReference).subject(escape_controls(raw));
    if let ImageRefError::UpperCase { suggestion } = error {
        let mut ctx = FixCtx::placeholders();
        ctx.image = suggestion.clone();
        ctx.ci = true;
        ctx.repository_owner = env.non_empty("GITHUB_REPOSITORY_OWNER").map(str::to_owned);
        finding.steps = cause_info(CauseId::InvalidReference).fix_steps(&ctx);
    }
    if !finding.steps.is_empty() {
        finding.message = Msg::new(t!("{message}\n{hint}", "{message}\n{hint}"))
            .arg_msg("message", finding.message)
            .arg_msg("hint", Msg::new(LOWER_CASE_IN_WORKFLOW));
    }
    finding
}

/// With `--format github`, the annotation and step summary for image arguments that stop the
/// run before anything is checked (the caller then exits 2 as for any usage error).
pub fn report_usage_error(args: &CheckArgs, lang: Lang, env: &Env) {
    if args.format != Some(Format::Github) {
        return;
    }
    let findings: Vec<Finding> = args
        .images
        .iter()
        .filter_map(|raw| raw.parse::<ImageRef>().err().map(|e| invalid_reference(raw, &e, env)))
        .collect();
    if findings.is_empty() {
        return;
    }
    let outcome = Outcome::new(CheckId::RegistryAccess, findings, Vec::new());
    let report = Report {
        outcomes: vec![outcome],
        status: Status::Fail,
        root_cause: Some(CauseId::InvalidReference),
        next_steps: Vec::new(),
    };
    let host = args
        .host
        .as_deref()
        .and_then(GithubHost::parse)
        .or_else(|| server_host(env).filter(|_| args.ci || env.is_ci()))
        .unwrap_or_else(GithubHost::github_com);
    let mut request = Request::new(Forge::Github(host));
    request.access = if args.push { Access::Push } else { Access::Pull };
    let (report, request) = if args.anonymize {
        let a = Anonymizer::for_args(&args.images, request.forge.github(), env);
        (a.report(&report), a.request(&request))
    } else {
        (report, request)
    };
    print(&annotations(&report, lang, args.strict));
    append_summary(env, &summary(&report, &request, lang, Some(USAGE_EXIT)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_workflow_command_format_requires() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a: b, c%\n"), "a%3A b%2C c%25%0A");
        assert_eq!(
            annotation("error", CheckId::RegistryAccess, "line 1\nline: 2, %"),
            "::error title=ghcr-doctor registry-access::line 1%0Aline: 2, %25"
        );
    }

    #[test]
    fn the_server_host_comes_from_the_environment() {
        let env = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().copied());
        assert_eq!(server_host(&env(&[("GITHUB_SERVER_URL", "https://github.com")])).unwrap().name, "github.com");
        let ghes = server_host(&env(&[("GITHUB_SERVER_URL", "https://GHE.example.com/")])).unwrap();
        assert_eq!(ghes.registry_host(), "containers.ghe.example.com");
    }

    #[test]
    fn indented_fix_lines_become_code_blocks() {
        assert_eq!(
            markdown_text("Add:\n    permissions:\n      packages: write\nDone."),
            "Add:\n\n```yaml\npermissions:\n  packages: write\n```\nDone.\n"
        );
    }
}
