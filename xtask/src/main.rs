//! `cargo xtask`: the workspace's own tasks.
fn main() {}
