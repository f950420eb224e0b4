//! `Check`: what one check of the pipeline is — its stable id, its texts in both languages, its
//! dependencies, whether it runs in CI, and its pure evaluation function.

use crate::ctx::Ctx;
use crate::{CAUSES, CauseId, CheckId, Outcome, Text};

/// One check of the pipeline.
pub struct Check {
    pub id: CheckId,
    pub title: Text,
    /// What is checked, and how (for `list`, `explain` and the docs).
    pub what: Text,
    /// Why it matters to a new team member.
    pub why: Text,
    /// Checks that must not have failed for this one to be meaningful.
    pub depends_on: &'static [CheckId],
    /// Whether it is evaluated in CI mode (where gh is not needed).
    pub in_ci: bool,
    pub evaluate: fn(&Ctx) -> Outcome,
}

impl Check {
    /// The causes it can report, from the cause records (tested against what evaluation emits);
    /// causes known only from pasted logs are not among them.
    pub fn causes(&self) -> impl Iterator<Item = CauseId> + '_ {
        CAUSES.iter().filter(|c| !c.log_only && c.checks.contains(&self.id)).map(|c| c.id)
    }
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.id).finish_non_exhaustive()
    }
}
