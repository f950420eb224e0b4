//! The `ghcr-doctor` executable: everything lives in the library so xtask can reuse the CLI
//! definition; this only hands over the process's arguments and environment.
fn main() {
    std::process::exit(ghcr_doctor::main_with_args(std::env::args_os()).code());
}
