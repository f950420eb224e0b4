//! ghcr-doctor's documentation generator: the onboarding guide, the check and cause reference
//! and the troubleshooting index, in Japanese and English, from the check registry and the cause
//! catalogue of `ghcr-doctor-checks`, with every command built by the cause records' fix steps; plus the
//! terminal text of `ghcr-doctor explain ID`.
//!
//! Generation is pure and deterministic (registry order, no timestamps, `\n` line endings): the
//! only I/O lives in [`write`] (writing files and checking that committed ones are fresh).
//! - [`GuideInput::for_team`] builds the input from a team's (already validated) config; the
//!   family of its forge decides which checks, causes, steps and words the pages have;
//! - [`generate`] turns a [`GuideInput`] into [`GeneratedFile`]s (`ja/onboarding.md`, …);
//! - [`explain_id`] explains one check or cause id in the terminal.

mod config;
mod explain;
mod markdown;
mod onboarding;
mod onboarding_gitlab;
mod page;
mod reference;
mod troubleshooting;
mod words;
pub mod write;

use std::path::PathBuf;

use ghcr_doctor_checks::{Check, Family, FixCtx, ImageRef, Lang, checks, checks_by_id};

pub use explain::{explain_id, explainable_ids};
pub use markdown::FIX_MARKER;

/// The command this workspace regenerates its own docs with.
pub const XTASK_COMMAND: &str = "cargo xtask docs";

/// What the pages are generated from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuideInput {
    /// The values fix commands and texts are filled with; owner, package and image are those of
    /// the first team image (placeholders without a config).
    pub ctx: FixCtx,
    /// The team's images, in config order; empty without a config.
    pub images: Vec<ImageRef>,
    /// The languages to generate, in this order.
    pub langs: Vec<Lang>,
    /// The config file the values come from (shown in the pages), or `None` for placeholders.
    pub config_file: Option<String>,
    /// The command that regenerates the files, named in their "do not edit" header.
    pub command: String,
}

impl GuideInput {
    /// Both languages, readable placeholders for what only a team config knows (`OWNER`,
    /// `IMAGE`, `TAG`); the login is asked from gh ([`with_derived_values`]).
    pub fn placeholders() -> GuideInput {
        GuideInput {
            ctx: with_derived_values(&FixCtx::placeholders()),
            images: Vec::new(),
            langs: Lang::ALL.to_vec(),
            config_file: None,
            command: XTASK_COMMAND.to_owned(),
        }
    }

    /// The images the guide tells the reader to pull, as written (a placeholder without config).
    pub fn image_names(&self) -> Vec<String> {
        if self.images.is_empty() {
            vec![self.ctx.image.clone()]
        } else {
            self.images.iter().map(ToString::to_string).collect()
        }
    }

    /// The distinct image owners (organizations or users), in first-seen order.
    pub fn owners(&self) -> Vec<String> {
        let mut owners: Vec<String> = Vec::new();
        for owner in self.images.iter().map(|i| &i.owner).chain(self.images.is_empty().then_some(&self.ctx.owner)) {
            if !owners.contains(owner) {
                owners.push(owner.clone());
            }
        }
        owners
    }
}

/// The checks `family`'s docs document, in registry order: every check id once for GitHub (its
/// reference is also `explain`'s), the GitLab run's checks (GitLab's own `token-scopes` and
/// `registry-access`) for GitLab.
pub fn documented_checks(family: Family) -> Box<dyn Iterator<Item = &'static Check>> {
    match family {
        Family::Github => Box::new(checks_by_id()),
        Family::Gitlab => Box::new(checks(Family::Gitlab)),
    }
}

/// The reader's GitHub login as the docs print it: asked from gh when the command runs, so a
/// pasted block needs no editing once gh is logged in (`gh api user --jq .login`, as in
/// ghcr-facts §4.5). Hosts other than github.com get `--hostname`, as `gh auth token` does.
pub fn gh_login(host: &str) -> String {
    format!("\"$({})\"", gh_login_command(host))
}

/// The gh command that prints the reader's login on `host`.
pub fn gh_login_command(host: &str) -> String {
    if host == "github.com" {
        "gh api user --jq .login".to_owned()
    } else {
        format!("gh api --hostname {host} user --jq .login")
    }
}

/// `ctx` with the values a command can derive filled in, for the docs and `explain ID`, which
/// know no real login: the placeholder login (`YOUR_GITHUB_LOGIN` of [`FixCtx::placeholders`])
/// becomes [`gh_login`]. A real login (`check`, `fix`) is kept as it is.
pub fn with_derived_values(ctx: &FixCtx) -> FixCtx {
    let mut ctx = ctx.clone();
    if ctx.login == FixCtx::placeholders().login {
        ctx.login = gh_login(&ctx.host);
    }
    ctx
}

/// One generated file, relative to the output directory (`ja/onboarding.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// The kinds of page generated for each language, in output order.
pub const PAGES: [&str; 3] = ["onboarding.md", "checks.md", "troubleshooting.md"];

/// Every Markdown page for every language of `input`, deterministically.
pub fn generate(input: &GuideInput) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    for &lang in &input.langs {
        let page = page::Page::new(input, lang);
        for (name, contents) in [
            (PAGES[0], onboarding::render(&page)),
            (PAGES[1], reference::render(&page)),
            (PAGES[2], troubleshooting::render(&page)),
        ] {
            files.push(GeneratedFile { path: PathBuf::from(lang.code()).join(name), contents });
        }
    }
    files
}
