//! The command line, defined with clap: subcommands, flags, help text with examples. The same
//! definition feeds `--help`, the man page and the shell completions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  ghcr-doctor                                   check the images listed in ./ghcr-doctor.toml
  ghcr-doctor check ghcr.io/acme/app:main       check one image (pull access)
  ghcr-doctor check --push ghcr.io/acme/app:1.2 check that you may push it
  ghcr-doctor check --json | jq .next_steps     machine-readable verdict
  ghcr-doctor --lang ja                         answer in Japanese
  ghcr-doctor explain \"denied: denied\"          what a pasted error means
  docker pull IMAGE 2>&1 | ghcr-doctor explain -
  ghcr-doctor explain missing-scope             explain a cause id
  ghcr-doctor fix                               show the fix plan, ask once, apply it, check again
  ghcr-doctor docs --out docs/ghcr              write the team's onboarding guide (ja and en)
  ghcr-doctor list                              every check id and its title

Exit codes: 0 no check failed (warnings allowed), 1 a check failed (or a warning with --strict),
2 usage, configuration or internal error.";

/// Finds out why docker cannot pull from (or push to) GitHub's container registry, names the
/// root cause, and prints the exact commands that fix it, in Japanese or English.
#[derive(Debug, Parser)]
#[command(name = "ghcr-doctor", version, about, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every check (the default when no subcommand is given)
    Check(CheckArgs),
    /// List every check id with its title
    List(ListArgs),
    /// Explain a pasted error message or log, or a check or cause id
    Explain(ExplainArgs),
    /// Run the checks, show the fix plan, apply it after asking once, and check again
    Fix(FixArgs),
    /// Write the onboarding guide, check reference and troubleshooting page for a team
    Docs(DocsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// GitHub Actions annotations plus a step summary
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

/// Options shared by every subcommand that prints.
#[derive(Debug, Clone, Args, Default)]
pub struct CommonArgs {
    /// Language of the output [default: GHCR_DOCTOR_LANG, the config's `lang`, then the locale]
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// When to use colour (also honours NO_COLOR and CLICOLOR_FORCE)
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    /// Images to check, e.g. ghcr.io/acme/app:main [default: `images` in ghcr-doctor.toml]
    #[arg(value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Check push access (needs write:packages) instead of pull
    #[arg(long)]
    pub push: bool,
    /// GitHub host: github.com, SUB.ghe.com or an Enterprise Server host [default: from config, else github.com]
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// Team config file [default: ghcr-doctor.toml in this directory or a parent]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Seconds to wait for gh, docker and the servers: for each call, and for the run as a whole (a chain of calls does not add its timeouts up)
    #[arg(long, value_name = "SECONDS", default_value = "10")]
    pub timeout: f64,
    /// Treat warnings as failures (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// Run as a CI self-check: no gh needed, token from the job's environment [default: on when GITHUB_ACTIONS=true]
    #[arg(long)]
    pub ci: bool,
    /// Show evidence and timings for every check
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format (human or json)
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The error text, a check or cause id, or `-` to read a whole log from stdin
    #[arg(value_name = "TEXT|ID|-")]
    pub input: Option<String>,
    /// Read the log from stdin (same as `-`)
    #[arg(long, conflicts_with = "input")]
    pub stdin: bool,
    /// Output format (human or json)
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    /// Apply the plan without asking (never in CI)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Team config whose host, images and access fill the commands [default: ghcr-doctor.toml here or in a parent]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Directory to write into (ja/ and en/ below it)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}
