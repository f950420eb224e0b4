//! `cargo xtask`: the workspace's own tasks. One task so far, `docs`: regenerate (or, with
//! `--check`, only verify) everything under `docs/` that is generated.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a build tool: it prints its results and may run tools

mod citations;
mod cli_docs;
mod docs;
mod schemas;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask docs [--check]

  docs          regenerate docs/{ja,en}/*.md, docs/man/ghcr-doctor.1, docs/completions/* and docs/schema/*
  docs --check  only check that the committed files are up to date (exit 1 if not)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        ["docs"] => ghcr_doctor_guide::write::Mode::Write,
        ["docs", "--check"] => ghcr_doctor_guide::write::Mode::Check,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match docs::run(mode) {
        Ok(docs::Outcome { written, stale }) => {
            if !stale.is_empty() && mode == ghcr_doctor_guide::write::Mode::Check {
                eprintln!("{}", docs::stale_message(&stale, false));
                return ExitCode::FAILURE;
            }
            match mode {
                ghcr_doctor_guide::write::Mode::Check => println!("docs: {written} generated files are up to date"),
                ghcr_doctor_guide::write::Mode::Write => {
                    println!("docs: {written} files generated, {} updated", stale.len());
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
