//! ghcr-doctor's command line: parsing, the team config, choosing the language and the colour,
//! running the pipeline (probe → evaluate → render) and mapping the verdict to an exit code.
//! The binary is a thin `main`; xtask reuses [`cli`] for the man page and completions.

mod anonymize;
mod args;
mod check;
pub mod config;
pub mod credential_helper;
pub mod docs;
mod explain;
mod fix;
mod github;
mod gitlab;
mod help;
mod human;
pub mod json;
mod language;
mod live;
mod manual;
mod out;
mod report;
mod setup_docker;
mod texts;
mod usage_error;

pub use args::Cli;

use std::ffi::OsString;

use args::{ColorArg, Command, CommonArgs, Format, ListArgs};
use ghcr_doctor_checks::{ExitStatus, Lang, checks_by_id};
use ghcr_doctor_probe::Env;

/// The command line in either language, for the man page and the shell completions.
pub mod cli {
    pub use crate::args::{BIN, command};
    pub use crate::manual::{completion, man_page};
    pub use clap_complete::Shell;
}

/// Runs ghcr-doctor with these arguments and returns how the process should exit.
pub fn main_with_args(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitStatus {
    ghcr_doctor_probe::stop_children_on_signals();
    // The one read of the process's environment: everything below decides from this snapshot.
    let env = Env::from_process();
    let parsed = match help::parse(args, &env) {
        Ok(cli) => cli,
        Err(status) => return status,
    };
    // Only for the rare message about output that could not be written.
    let lang = language::choose(None, None, &env);
    let status = match parsed.command {
        None => check::run(parsed.check, env),
        Some(Command::Check(a)) => check::run(a, env),
        Some(Command::List(a)) => list(a, &env),
        Some(Command::Explain(a)) => explain::run(a, &env),
        Some(Command::Fix(a)) => fix::run(a, env),
        Some(Command::Docs(a)) => docs::run(a, &env),
        Some(Command::Completions(a)) => manual::run_completions(a),
        Some(Command::Man(a)) => manual::run_man(a),
        Some(Command::SetupDocker(a)) => setup_docker::run(a, env),
    };
    out::finish(status, lang)
}

/// Applies `--color` for everything written through anstream.
fn apply_color(common: &CommonArgs) {
    let choice = match common.color {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Prints an error in the user's language to stderr and returns [`ExitStatus::Usage`].
fn fail_usage(lang: Lang, message: &str) -> ExitStatus {
    out::stderr_line(&format!("{}: {message}", texts::ERROR.get(lang)));
    ExitStatus::Usage
}

fn list(args: ListArgs, env: &Env) -> ExitStatus {
    apply_color(&args.common);
    let lang = language::choose(args.common.lang, None, env);
    if args.format == Format::Json {
        out::stdout_line(&json::to_line(&json::ListJson::new(lang)));
        return ExitStatus::Success;
    }
    let width = checks_by_id().map(|c| c.id.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in checks_by_id() {
        out.push_str(&format!("{:width$}  {}\n", c.id.as_str(), c.title.get(lang)));
    }
    out::stdout(&out);
    ExitStatus::Success
}
