//! `Check`: what one check of the pipeline is — its stable id, its texts in both languages, its
//! dependencies, whether it runs in CI, and its pure evaluation function.

use crate::ctx::Ctx;
use crate::{CauseId, CheckId, Outcome, Text};

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
    /// Every cause it can report.
    pub causes: &'static [CauseId],
    /// Whether it is evaluated in CI mode (where gh is not needed).
    pub in_ci: bool,
    pub evaluate: fn(&Ctx) -> Outcome,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.id).finish_non_exhaustive()
    }
}
