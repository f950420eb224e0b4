//! The result of evaluating checks: per-check `Outcome`s made of `Finding`s, and the `Report`
//! that names the root cause and the ordered, de-duplicated next steps.

use crate::{CauseId, CheckId, FixStep, Lang, Msg, cause_info, fill};

/// A check's status. `Skip` means it could not be evaluated (a dependency failed, or it does
/// not apply here); it never counts as a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
    /// Higher is worse: fail > warn > pass > skip.
    pub fn severity(self) -> u8 {
        match self {
            Status::Skip => 0,
            Status::Pass => 1,
            Status::Warn => 2,
            Status::Fail => 3,
        }
    }
}

/// One statement a check makes, about the whole check or one subject (an image, an org).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub status: Status,
    pub cause: Option<CauseId>,
    /// The image or organization this is about, when a check looks at several.
    pub subject: Option<String>,
    pub message: Msg,
    /// Commands that fix it, in order, filled with the user's real values.
    pub steps: Vec<FixStep>,
    /// Extra arguments for the cause's fix text (`{url}`, `{config}`, ...).
    pub fix_args: Vec<(&'static str, String)>,
    /// The family of the run: the cause's texts are that family's (`CauseInfo::why_in`).
    pub family: crate::Family,
}

impl Finding {
    pub fn new(status: Status, message: Msg) -> Finding {
        Finding {
            status,
            cause: None,
            subject: None,
            message,
            steps: Vec::new(),
            fix_args: Vec::new(),
            family: crate::Family::Github,
        }
    }
    pub fn pass(message: Msg) -> Finding {
        Finding::new(Status::Pass, message)
    }
    pub fn cause(mut self, cause: CauseId) -> Finding {
        self.cause = Some(cause);
        self
    }
    pub fn subject(mut self, subject: impl Into<String>) -> Finding {
        self.subject = Some(subject.into());
        self
    }
    pub fn steps(mut self, steps: Vec<FixStep>) -> Finding {
        self.steps = steps;
        self
    }
    pub fn fix_arg(mut self, name: &'static str, value: impl Into<String>) -> Finding {
        self.fix_args.push((name, value.into()));
        self
    }
    /// The cause's title, filled with this finding's values.
    pub fn cause_title(&self, lang: Lang) -> Option<String> {
        self.cause.map(|c| fill(cause_info(c).title_in(self.family).get(lang), &self.fix_args))
    }
    /// The cause's explanation, filled with this finding's values.
    pub fn cause_why(&self, lang: Lang) -> Option<String> {
        self.cause.map(|c| fill(cause_info(c).why_in(self.family).get(lang), &self.fix_args))
    }
    /// The cause's fix text, filled with this finding's values.
    pub fn fix_text(&self, lang: Lang) -> Option<String> {
        self.cause.map(|c| fill(cause_info(c).fix_in(self.family).get(lang), &self.fix_args))
    }
}

/// What one check concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub check: CheckId,
    /// The worst status among the findings (`Skip` when skipped).
    pub status: Status,
    /// At least one finding; the first with the worst status is the headline.
    pub findings: Vec<Finding>,
    /// Facts worth showing (never secrets; tokens masked): `("scopes", "repo, read:org")`.
    pub evidence: Vec<(&'static str, String)>,
    /// Wall time of gathering this check's facts, filled by the runner.
    pub duration_ms: u64,
}

impl Outcome {
    pub fn new(check: CheckId, findings: Vec<Finding>, evidence: Vec<(&'static str, String)>) -> Outcome {
        let status = findings.iter().map(|f| f.status).max_by_key(|s| s.severity()).unwrap_or(Status::Skip);
        Outcome { check, status, findings, evidence, duration_ms: 0 }
    }

    pub fn skipped(check: CheckId, reason: Msg) -> Outcome {
        Outcome::new(check, vec![Finding::new(Status::Skip, reason)], Vec::new())
    }

    /// The first finding with the outcome's status.
    pub fn headline(&self) -> &Finding {
        self.findings.iter().find(|f| f.status == self.status).unwrap_or(&self.findings[0])
    }

    /// The cause of the headline finding.
    pub fn cause(&self) -> Option<CauseId> {
        self.headline().cause
    }

    /// Fix steps of all findings with the outcome's status, in order, without repeats.
    pub fn steps(&self) -> Vec<FixStep> {
        let mut out: Vec<FixStep> = Vec::new();
        for f in self.findings.iter().filter(|f| f.status == self.status) {
            for c in &f.steps {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
        out
    }
}

/// How a run ends, as the process exit status: the one source of exit codes (a contract that
/// scripts and CI read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: no check failed (warnings allowed); `explain` recognised a cause.
    Success,
    /// 1: a check failed (or a warning under `--strict`); `explain` recognised nothing.
    Failure,
    /// 2: a usage, configuration or internal error.
    Usage,
    /// 130: stopped by SIGINT (128 + 2), as shells report it.
    Interrupted,
    /// 143: stopped by SIGTERM (128 + 15).
    Terminated,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Interrupted => 130,
            ExitStatus::Terminated => 143,
        }
    }
}

/// The whole run's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// Worst status over all checks (skip counts as pass).
    pub status: Status,
    /// The first failing check's cause in registry order: the one thing to fix first.
    pub root_cause: Option<CauseId>,
    /// The commands to run, in order, without repeats.
    pub next_steps: Vec<FixStep>,
}

impl Report {
    pub fn outcome(&self, check: CheckId) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.check == check)
    }
    /// The root cause's title, filled with the values of the finding that reported it.
    pub fn root_cause_title(&self, lang: Lang) -> Option<String> {
        let cause = self.root_cause?;
        let finding =
            self.outcomes.iter().flat_map(|o| &o.findings).find(|f| f.cause == Some(cause) && f.status == Status::Fail);
        Some(finding.and_then(|f| f.cause_title(lang)).unwrap_or_else(|| cause_info(cause).title.get(lang).to_owned()))
    }

    /// The exit status per the contract: no failure, or a failure (a warning under `strict`).
    pub fn exit_status(&self, strict: bool) -> ExitStatus {
        match self.status {
            Status::Fail => ExitStatus::Failure,
            Status::Warn if strict => ExitStatus::Failure,
            _ => ExitStatus::Success,
        }
    }
}
