//! `Page`: one language's view of the generator input, and the one place texts are filled with
//! their `{placeholders}` (the [`FixCtx`] values, plus readable stand-ins for the values only a
//! real run knows, such as the path of docker's config file).

use ghcr_doctor_checks::{CauseInfo, Check, CheckId, Family, FixCtx, Lang, Os, Text, fill, stand_in_args};

use crate::GuideInput;

/// The operating systems whose install and start commands the docs show, in display order.
pub const DOC_OSES: [Os; 3] = [Os::MacOs, Os::Linux, Os::Windows];

/// How a fix marker names an operating system: `<!-- fix: gh-missing macos -->`.
pub fn os_code(os: Os) -> &'static str {
    match os {
        Os::MacOs => "macos",
        Os::Linux => "linux",
        Os::Windows => "windows",
        Os::Other => "other",
    }
}

/// The info string of a block of commands for `os`: the Windows commands are PowerShell, the
/// others POSIX shell (pasted into bash or zsh alike).
pub fn shell_of(os: Option<Os>) -> &'static str {
    match os {
        Some(Os::Windows) => "powershell",
        _ => "sh",
    }
}

pub struct Page<'a> {
    pub input: &'a GuideInput,
    pub lang: Lang,
    args: Vec<(&'static str, String)>,
}

impl<'a> Page<'a> {
    pub fn new(input: &'a GuideInput, lang: Lang) -> Page<'a> {
        Page { input, lang, args: doc_args(&input.ctx, lang) }
    }

    pub fn ctx(&self) -> &FixCtx {
        &self.input.ctx
    }

    pub fn family(&self) -> Family {
        self.input.ctx.family
    }

    /// The checks this page documents, in registry order ([`crate::documented_checks`]).
    pub fn checks(&self) -> impl Iterator<Item = &'static Check> {
        crate::documented_checks(self.family())
    }

    /// The causes this page documents, in catalogue order.
    pub fn causes(&self) -> impl Iterator<Item = &'static CauseInfo> {
        ghcr_doctor_checks::documented_causes(self.family())
    }

    /// The check a cause is documented under: the first of its checks that this page documents
    /// (`token-invalid` is `gh-auth`'s on GitHub's pages, `gitlab-auth`'s on GitLab's).
    pub fn home(&self, cause: &CauseInfo) -> CheckId {
        cause.checks.iter().copied().find(|k| self.checks().any(|c| c.id == *k)).unwrap_or(cause.check())
    }

    /// The messages users see for `cause` that this family's users can meet: GitLab's pages leave
    /// out the ones that name `ghcr.io` (the same docker text with GitHub's host in it).
    pub fn symptoms(&self, cause: &CauseInfo) -> Vec<&'static str> {
        let gitlab = self.family() == Family::Gitlab;
        cause.symptoms.iter().copied().filter(|s| !(gitlab && s.contains("ghcr.io"))).collect()
    }

    /// A cause's title, why it happens and what to do, in this family's words, in this page's language.
    pub fn title(&self, cause: &CauseInfo) -> String {
        self.t(cause.title_in(self.family()))
    }

    pub fn why(&self, cause: &CauseInfo) -> String {
        self.t(cause.why_in(self.family()))
    }

    pub fn fix(&self, cause: &CauseInfo) -> String {
        self.t(cause.fix_in(self.family()))
    }

    /// The text of `family`'s variant: `github` on GitHub's pages, `gitlab` on GitLab's.
    pub fn either(&self, github: Text, gitlab: Text) -> String {
        self.t(if self.family() == Family::Gitlab { gitlab } else { github })
    }

    /// `text` in this page's language, placeholders filled.
    pub fn t(&self, text: Text) -> String {
        fill(text.get(self.lang), &self.args)
    }

    /// `text` filled with this page's values plus `extra` (which win).
    pub fn t_with(&self, text: Text, extra: &[(&'static str, String)]) -> String {
        let mut args = extra.to_vec();
        args.extend(self.args.iter().cloned());
        fill(text.get(self.lang), &args)
    }

    /// The link to the same page in the other language, when both are generated.
    pub fn other_lang(&self) -> Option<Lang> {
        let other = if self.lang == Lang::Ja { Lang::En } else { Lang::Ja };
        self.input.langs.contains(&other).then_some(other)
    }
}

/// The values for `{placeholders}` in texts: the context's own, then the causes' stand-ins for
/// values that only a real run knows (`{config}`, `{helper}`, `{detail}`).
pub fn doc_args(ctx: &FixCtx, lang: Lang) -> Vec<(&'static str, String)> {
    stand_in_args(ctx, lang)
}
