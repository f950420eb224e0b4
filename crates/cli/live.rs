//! Live progress on a terminal, in the spirit of `flutter doctor`: the header at once, each
//! check's block as soon as it is decided (still in registry order), and under them one line
//! `… TITLE: waiting for CALL (N s)` for the check that is pending, redrawn in place. Only for the
//! human format on a terminal outside CI; pipes, JSON, the GitHub format and CI get the report
//! in one piece, as before.
//!
//! A check is decided when every group of facts it reads is settled (`ghcr_doctor_probe::needs`);
//! its block is then rendered from the facts so far, which give it the same outcome as the final
//! facts. At the end the blocks shown are compared with the final report's; should one differ,
//! the whole final report follows, so what stays on screen is never wrong.

use ghcr_doctor_checks::{CauseId, CheckId, Lang, Msg, Report, Request, Text, checks_for, evaluate, t};
use ghcr_doctor_probe::Progress;
use owo_colors::OwoColorize;

use crate::{human, out};

const WAITING: Text = t!("{check}: waiting for {what} ({secs} s)", "{check}：{what} を待っています（{secs} 秒）");
const WAITING_SOMETHING: Text = t!("{check}: waiting ({secs} s)", "{check}：待っています（{secs} 秒）");
const UPDATED: Text = t!(
    "(Some lines above changed once every answer was in; the complete report:)",
    "（すべての応答がそろい、上の行の一部が変わりました。最終的なレポートは次のとおりです：）"
);

/// The widest waiting line, in terminal columns (a wrapped line could not be redrawn in place).
const WIDTH: usize = 78;
/// A call shows in the waiting line once it has taken this long.
const SHOW_AFTER_SECS: u64 = 1;

pub struct Live<'a> {
    request: &'a Request,
    lang: Lang,
    verbose: bool,
    /// The terminal can erase a line (`TERM` is not `dumb`): the waiting line is shown.
    redraw: bool,
    /// The checks of the run, in output order.
    ids: Vec<CheckId>,
    /// The blocks shown so far, one per check.
    shown: Vec<String>,
    explained: Vec<CauseId>,
    /// The waiting line on screen, if any.
    waiting: Option<String>,
}

impl<'a> Live<'a> {
    /// Prints the header at once.
    pub fn start(request: &'a Request, lang: Lang, verbose: bool, redraw: bool) -> Live<'a> {
        out::stdout(&human::render_header(request, lang));
        let ids = checks_for(request).map(|c| c.id).collect();
        Live { request, lang, verbose, redraw, ids, shown: Vec::new(), explained: Vec::new(), waiting: None }
    }

    /// Shows what the progress decided and what is still awaited.
    pub fn update(&mut self, progress: &Progress<'_>) {
        let decided = self.ids.iter().take_while(|id| progress.decided(**id)).count();
        let mut text = String::new();
        if decided > self.shown.len() {
            let report = evaluate(self.request, progress.facts);
            for outcome in &report.outcomes[self.shown.len()..decided.min(report.outcomes.len())] {
                let block = human::render_outcome(outcome, self.lang, self.verbose, &mut self.explained);
                text.push_str(&block);
                self.shown.push(block);
            }
        }
        let waiting = self.ids.get(self.shown.len()).and_then(|id| self.waiting_line(*id, progress));
        if text.is_empty() && waiting == self.waiting {
            return;
        }
        let mut screen = self.erase();
        screen.push_str(&text);
        if let Some(line) = &waiting {
            screen.push_str(&line.dimmed().to_string());
        }
        self.waiting = waiting;
        out::stdout(&screen);
    }

    /// The rest of the report: the checks not shown yet and the footer.
    pub fn finish(mut self, report: &Report) {
        let mut screen = self.erase();
        let mut explained = Vec::new();
        let finals: Vec<String> =
            report.outcomes.iter().map(|o| human::render_outcome(o, self.lang, self.verbose, &mut explained)).collect();
        if finals.get(..self.shown.len()) == Some(&self.shown[..]) {
            for block in &finals[self.shown.len()..] {
                screen.push_str(block);
            }
            screen.push_str(&human::render_footer(report, self.request, self.lang));
        } else {
            screen.push_str(&format!("\n{}\n", UPDATED.get(self.lang).dimmed()));
            screen.push_str(&human::render(report, self.request, self.lang, self.verbose));
        }
        out::stdout(&screen);
    }

    /// Clears the waiting line, if one is on screen.
    fn erase(&mut self) -> String {
        match self.waiting.take() {
            Some(_) => "\r\x1b[2K".to_owned(),
            None => String::new(),
        }
    }

    fn waiting_line(&self, id: CheckId, progress: &Progress<'_>) -> Option<String> {
        if !self.redraw {
            return None;
        }
        let title = ghcr_doctor_checks::check(id).title.get(self.lang);
        let line = match progress.waiting_for(id) {
            Some(w) if w.elapsed.as_secs() >= SHOW_AFTER_SECS => Msg::new(WAITING)
                .arg("check", title)
                .arg("what", &w.what)
                .arg("secs", w.elapsed.as_secs())
                .render(self.lang),
            Some(_) => return None,
            None => {
                let secs = progress.waiting.first().map(|w| w.elapsed.as_secs())?;
                if secs < SHOW_AFTER_SECS {
                    return None;
                }
                Msg::new(WAITING_SOMETHING).arg("check", title).arg("secs", secs).render(self.lang)
            }
        };
        Some(format!("… {}", fit(&line, WIDTH - 2)))
    }
}

/// `line` cut to `width` terminal columns (East Asian wide characters count two), with `…`.
fn fit(line: &str, width: usize) -> String {
    let columns = |c: char| if is_wide(c) { 2 } else { 1 };
    if line.chars().map(columns).sum::<usize>() <= width {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        if used + columns(c) > width - 1 {
            break;
        }
        used += columns(c);
        out.push(c);
    }
    out.push('…');
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_to_the_terminal_width() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("0123456789abc", 10), "012345678…");
        let ja = "組織とシングルサインオン：GET を待っています";
        let cut = fit(ja, 20);
        assert!(cut.ends_with('…'));
        assert!(cut.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum::<usize>() <= 20, "{cut}");
    }
}
