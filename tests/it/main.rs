//! End-to-end tests of the ghcr-doctor binary (one test binary links faster on 2 cores).

mod cli_basics;
mod harness;
mod scenarios;
