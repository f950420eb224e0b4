//! `Page`: one language's view of the generator input, and the one place texts are filled with
//! their `{placeholders}` (the [`FixCtx`] values, plus readable stand-ins for the values only a
//! real run knows, such as the path of docker's config file).

use ghcr_doctor_checks::{FixCtx, Lang, Os, Text, fill, stand_in_args};

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
