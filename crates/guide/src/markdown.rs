//! The Markdown building blocks every page shares: the "generated, do not edit" header, anchors,
//! and code blocks. A block of fix commands is always the cause record's fix steps (per operating
//! system when the commands differ by system) and is preceded by a `<!-- fix: CAUSE -->` marker,
//! so tests can check that the docs print exactly what the doctor prints.

use std::fmt::Write as _;

use ghcr_doctor_checks::{CauseId, FixCtx, Os, cause_info, command_lines};

use crate::page::{DOC_OSES, Page};
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

/// The commands that fix `cause` per documented operating system, or one list when they do not
/// depend on it. Systems without a command are left out.
pub fn commands_by_os(cause: CauseId, ctx: &FixCtx) -> Vec<(Option<Os>, Vec<String>)> {
    let per_os: Vec<(Os, Vec<String>)> = DOC_OSES
        .iter()
        .map(|&os| {
            let mut c = ctx.clone();
            c.os = os;
            (os, command_lines(&cause_info(cause).fix_steps(&c)))
        })
        .collect();
    if per_os.iter().all(|(_, cmds)| *cmds == per_os[0].1) {
        let cmds = per_os.into_iter().next().map(|(_, c)| c).unwrap_or_default();
        return if cmds.is_empty() { Vec::new() } else { vec![(None, cmds)] };
    }
    per_os.into_iter().filter(|(_, cmds)| !cmds.is_empty()).map(|(os, cmds)| (Some(os), cmds)).collect()
}

/// Writes the marked block of the commands that fix `cause`, keeping only those `keep` accepts.
/// Writes nothing when no command is left.
pub fn fix_block(out: &mut String, page: &Page, cause: CauseId, keep: impl Fn(&str) -> bool) {
    let mut body = String::new();
    for (os, cmds) in commands_by_os(cause, page.ctx()) {
        let cmds: Vec<&String> = cmds.iter().filter(|c| keep(c)).collect();
        if cmds.is_empty() {
            continue;
        }
        if let Some(os) = os {
            let _ = writeln!(body, "# {}", page.t(words::os_label(os)));
        }
        for c in cmds {
            let _ = writeln!(body, "{c}");
        }
    }
    if !body.is_empty() {
        let _ = writeln!(out, "{FIX_MARKER}{cause} -->\n```sh\n{body}```\n");
    }
}

/// Writes all the commands that fix `cause`.
pub fn full_fix_block(out: &mut String, page: &Page, cause: CauseId) {
    fix_block(out, page, cause, |_| true);
}

/// Writes a block of commands that only look (versions, status, a pull): no fix marker.
pub fn look_block(out: &mut String, lines: &[String]) {
    let _ = writeln!(out, "```sh\n{}\n```\n", lines.join("\n"));
}

/// Writes an error message verbatim, in a block so it can be searched and copied as is.
pub fn message_block(out: &mut String, message: &str) {
    let _ = writeln!(out, "```text\n{message}\n```\n");
}

/// A catalogue text as Markdown: its lines indented by four spaces (a workflow snippet, say)
/// become a fenced block, so they are not folded into the paragraph around them.
pub fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        match (line.strip_prefix("    "), in_code) {
            (Some(code), false) => {
                out.truncate(out.trim_end().len());
                let _ = write!(out, "\n\n```\n{code}\n");
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
            "Add this:\n\n```\npermissions:\n  packages: read\n```\n\nThen retry."
        );
        assert_eq!(prose("Add:\n    x: 1"), "Add:\n\n```\nx: 1\n```");
    }
}
