//! ghcr-doctor's command line: parsing, the team config, choosing the language and the colour,
//! running the pipeline (probe → evaluate → render) and mapping the verdict to an exit code.
//! The binary is a thin `main`; xtask reuses [`cli::command`] for the man page and completions.

mod args;
mod check;
pub mod config;
mod docs;
mod explain;
mod fix;
mod github;
mod human;
pub mod json;
mod language;
mod live;
mod out;
mod texts;

pub use args::Cli;

use std::ffi::OsString;

use args::{ColorArg, Command, CommonArgs, Format, ListArgs};
use clap::Parser;
use ghcr_doctor_checks::{CHECKS, ExitStatus, Lang};
use ghcr_doctor_probe::Env;

/// The clap definition, for the man page and shell completions.
pub mod cli {
    pub fn command() -> clap::Command {
        <super::Cli as clap::CommandFactory>::command()
    }
}

/// Runs ghcr-doctor with these arguments and returns how the process should exit.
pub fn main_with_args(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitStatus {
    let parsed = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitStatus::Usage } else { ExitStatus::Success };
        }
    };
    // The one read of the process's environment: everything below decides from this snapshot.
    let env = Env::from_process();
    match parsed.command {
        None => check::run(parsed.check, env),
        Some(Command::Check(a)) => check::run(a, env),
        Some(Command::List(a)) => list(a, &env),
        Some(Command::Explain(a)) => explain::run(a, &env),
        Some(Command::Fix(a)) => fix::run(a, env),
        Some(Command::Docs(a)) => docs::run(a, &env),
    }
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
    let width = CHECKS.iter().map(|c| c.id.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in CHECKS {
        out.push_str(&format!("{:width$}  {}\n", c.id.as_str(), c.title.get(lang)));
    }
    out::stdout(&out);
    ExitStatus::Success
}
