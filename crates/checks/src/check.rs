//! `Check`: what one check of the pipeline is — its stable id, its texts in both languages, its
//! dependencies, whether it runs in CI, and its pure evaluation function, which also says which
//! registry family the check belongs to.

use crate::ctx::Ctx;
use crate::{CAUSES, CauseId, CheckId, Family, ForgeFacts, GithubFacts, GitlabFacts, Outcome, Text};

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
    pub evaluate: Evaluate,
}

/// A check's evaluation, and the family whose facts it reads.
#[derive(Clone, Copy)]
pub enum Evaluate {
    /// Any family: reads only the shared facts (docker, the registry).
    Shared(fn(&Ctx) -> Outcome),
    /// The GitHub family.
    Github(fn(&Ctx, &GithubFacts) -> Outcome),
    /// The GitLab family.
    Gitlab(fn(&Ctx, &GitlabFacts) -> Outcome),
}

impl Check {
    /// The family it belongs to; `None` for checks every family runs.
    pub fn family(&self) -> Option<Family> {
        match self.evaluate {
            Evaluate::Shared(_) => None,
            Evaluate::Github(_) => Some(Family::Github),
            Evaluate::Gitlab(_) => Some(Family::Gitlab),
        }
    }

    /// Evaluates it over `facts`; `None` when the facts are another family's.
    pub fn run(&self, ctx: &Ctx) -> Option<Outcome> {
        match (self.evaluate, &ctx.facts.forge) {
            (Evaluate::Shared(f), _) => Some(f(ctx)),
            (Evaluate::Github(f), ForgeFacts::Github(g)) => Some(f(ctx, g)),
            (Evaluate::Gitlab(f), ForgeFacts::Gitlab(g)) => Some(f(ctx, g)),
            _ => None,
        }
    }

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
