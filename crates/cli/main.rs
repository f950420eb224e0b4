//! The `ghcr-doctor` binary.
fn main() {}
