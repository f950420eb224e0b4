//! The Markdown building blocks every page shares: the "generated, do not edit" header, anchors,
//! and code blocks. A block of fix commands is always the cause record's fix steps, one
//! operating system per block when the commands differ by system, and safe to paste whole (a
//! command that waits for input ends its block); each block is preceded by a
//! `<!-- fix: CAUSE [OS] -->` marker, so tests can check that the docs print exactly what the
//! doctor prints (docs/STYLE.md has the rules).

use std::fmt::Write as _;

use ghcr_doctor_checks::{CauseId, FixCtx, FixStep, Os, cause_info};

use crate::page::{DOC_OSES, Page, os_code, shell_of};
use crate::words;

/// Opens the HTML comment that precedes every block of fix commands: `<!-- fix: missing-scope -->`.
pub const FIX_MARKER: &str = "<!-- fix: ";

/// The first lines of every page: the "generated, do not edit" comment in the page's language
/// and a link to the same page in the other language.
pub fn header(page: &Page, file: &str, title: &str) -> String {
    let mut out = String::new();
    let command = ("command", page.input.command.clone());
    let note = match &page.input.config_file {
        Some(file) => page.t_with(words::GENERATED_FROM_CONFIG, &[command, ("file", file.clone())]),
        None => page.t_with(words::GENERATED_FROM_PLACEHOLDERS, &[command]),
    };
    let _ = writeln!(out, "<!-- {note} -->\n");
    let _ = writeln!(out, "# {title}\n");
    if let Some(other) = page.other_lang() {
        let _ = writeln!(out, "[{}](../{}/{file})\n", words::LANG_NAME.get(other), other.code());
    }
    out
}

/// An HTML anchor for a check or cause id, so `checks.md#missing-scope` is stable in both languages.
pub fn anchor(id: &str) -> String {
    format!("<a id=\"{id}\"></a>")
}

/// A link to the reference entry of a check or cause id.
pub fn ref_link(id: &str) -> String {
    format!("[`{id}`](checks.md#{id})")
}

/// The steps that fix `cause` per documented operating system, or one list when they do not
/// depend on it. Systems without a command are left out.
pub fn steps_by_os(cause: CauseId, ctx: &FixCtx) -> Vec<(Option<Os>, Vec<FixStep>)> {
    let per_os: Vec<(Os, Vec<FixStep>)> = DOC_OSES
        .iter()
        .map(|&os| {
            let mut c = ctx.clone();
            c.os = os;
            (os, cause_info(cause).fix_steps(&c))
        })
        .collect();
    if per_os.iter().all(|(_, steps)| *steps == per_os[0].1) {
        let steps = per_os.into_iter().next().map(|(_, s)| s).unwrap_or_default();
        return if steps.is_empty() { Vec::new() } else { vec![(None, steps)] };
    }
    per_os.into_iter().filter(|(_, steps)| !steps.is_empty()).map(|(os, steps)| (Some(os), steps)).collect()
}

/// Whether a step waits for the reader at the terminal: gh's browser login asks to press Enter
/// (or shows a one-time code), sudo asks for a password, `read` waits for a GitLab token. Lines
/// pasted after such a step would be read as its input, so it ends its block.
pub fn waits_for_input(step: &FixStep) -> bool {
    match step {
        FixStep::GhAuthLogin { .. } | FixStep::GhAuthRefresh { .. } => true,
        FixStep::Manual(command) => command.starts_with("sudo ") || command.contains("read -r "),
        _ => false,
    }
}

/// `steps` as paste-safe blocks of shell lines: each block ends with the first step that
/// waits for input, if any.
pub fn paste_blocks(steps: &[FixStep]) -> Vec<Vec<String>> {
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for step in steps {
        current.push(step.to_string());
        if waits_for_input(step) {
            blocks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Writes the commands that fix `cause`, keeping only those `keep` accepts: one labelled group
/// per operating system when they differ by system, each made of paste-safe blocks
/// ([`paste_blocks`]), every block preceded by its `<!-- fix: CAUSE [OS] -->` marker. Writes
/// nothing when no command is left.
pub fn fix_block(out: &mut String, page: &Page, cause: CauseId, keep: impl Fn(&str) -> bool) {
    fix_block_in(out, page, cause, page.ctx(), keep);
}

/// [`fix_block`] for another context than the page's: the same cause on a machine that differs
/// in one fact (ghcr-doctor's credential helper installed, say).
pub fn fix_block_in(out: &mut String, page: &Page, cause: CauseId, ctx: &FixCtx, keep: impl Fn(&str) -> bool) {
    for (os, steps) in steps_by_os(cause, ctx) {
        let steps: Vec<FixStep> = steps.into_iter().filter(|s| keep(&s.to_string())).collect();
        if steps.is_empty() {
            continue;
        }
        if let Some(os) = os {
            let _ = writeln!(out, "**{}**\n", page.t(words::os_label(os)));
        }
        let marker = match os {
            Some(os) => format!("{FIX_MARKER}{cause} {} -->", os_code(os)),
            None => format!("{FIX_MARKER}{cause} -->"),
        };
        for (i, block) in paste_blocks(&steps).iter().enumerate() {
            if i > 0 {
                let _ = writeln!(out, "{}\n", page.t(words::THEN_RUN));
            }
            let _ = writeln!(out, "{marker}\n```{}\n{}\n```\n", shell_of(os), block.join("\n"));
        }
    }
}

/// Writes all the commands that fix `cause`.
pub fn full_fix_block(out: &mut String, page: &Page, cause: CauseId) {
    fix_block(out, page, cause, |_| true);
}

/// Writes a block of commands that only look (versions, status, a pull): no fix marker; the
/// same on every system.
pub fn look_block(out: &mut String, lines: &[String]) {
    let _ = writeln!(out, "```{}\n{}\n```\n", shell_of(None), lines.join("\n"));
}

/// Writes an error message verbatim, in a block so it can be searched and copied as is.
pub fn message_block(out: &mut String, message: &str) {
    let _ = writeln!(out, "```text\n{message}\n```\n");
}

/// A catalogue text as Markdown: its lines indented by four spaces become a fenced block, so
/// they are not folded into the paragraph around them. In the catalogue those lines are always
/// workflow YAML (a `permissions:` block, an `if:` condition), hence `yaml`.
pub fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        match (line.strip_prefix("    "), in_code) {
            (Some(code), false) => {
                out.truncate(out.trim_end().len());
                let _ = write!(out, "\n\n```yaml\n{code}\n");
                in_code = true;
            }
            (Some(code), true) => {
                let _ = writeln!(out, "{code}");
            }
            (None, true) => {
                let _ = write!(out, "```\n\n{line}\n");
                in_code = false;
            }
            (None, false) => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if in_code {
        out.push_str("```\n");
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn indented_lines_become_a_fenced_block() {
        assert_eq!(prose("one line"), "one line");
        assert_eq!(
            prose("Add this:\n    permissions:\n      packages: read\nThen retry."),
            "Add this:\n\n```yaml\npermissions:\n  packages: read\n```\n\nThen retry."
        );
        assert_eq!(prose("Add:\n    x: 1"), "Add:\n\n```yaml\nx: 1\n```");
    }
}
