//! End-to-end tests of the ghcr-doctor binary (one test binary links faster on 2 cores).

mod ci_mode;
mod cli_basics;
mod explain_cli;
mod harness;
mod help;
mod real_docker;
mod real_tools;
mod scenarios;
