//! End-to-end tests of the ghcr-doctor binary (one test binary links faster on 2 cores).

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // tests start the binary and the real tools, and report to the test log

mod action_install;
mod bounds;
mod ci_mode;
mod cli_basics;
mod credential_helper;
mod explain_cli;
mod gitlab;
mod hardening;
mod harness;
mod help;
mod homebrew_formula;
mod other_stores;
mod podman;
mod pull_secret;
mod real_docker;
mod real_gitlab;
mod real_tools;
mod release_config;
mod report;
mod scenarios;
mod setup_docker;
