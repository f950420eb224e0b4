//! The one place the CLI writes: stdout and stderr through anstream, which strips colour when the
//! terminal or the user (`--color`, `NO_COLOR`) does not want it. A failed write (a closed pipe,
//! a full disk) is dropped, never a panic.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

/// Writes `text` to stdout as it is.
pub fn stdout(text: &str) {
    let mut out = anstream::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes `text` and a newline to stdout.
pub fn stdout_line(text: &str) {
    stdout(&format!("{text}\n"));
}

/// Writes `text` and a newline to stderr.
pub fn stderr_line(text: &str) {
    let _ = anstream::stderr().write_all(format!("{text}\n").as_bytes());
}
