//! The one place the CLI writes: stdout and stderr through anstream, which strips colour when the
//! terminal or the user (`--color`, `NO_COLOR`) does not want it. A failed write never panics: the
//! first failure is kept, [`finish`] turns it into the exit status (a closed pipe ends quietly,
//! any other write error is reported and exits 2).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{ErrorKind, Write};
use std::sync::Mutex;

use ghcr_doctor_checks::{ExitStatus, Lang, Msg, t};

/// The first failed write to stdout, if any.
static FAILED: Mutex<Option<std::io::Error>> = Mutex::new(None);

/// Writes `text` to stdout as it is.
pub fn stdout(text: &str) {
    write_to(&mut anstream::stdout(), text);
}

/// Writes `text` to stdout past anstream, escape sequences and all: GitLab's log section markers
/// are escape sequences that anstream would strip with the colour. The caller strips the colour
/// itself unless [`colour_wanted`].
pub fn stdout_raw(text: &str) {
    write_to(&mut std::io::stdout(), text);
}

/// Whether stdout gets colour (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`, a terminal), as anstream
/// decides it.
pub fn colour_wanted() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

fn write_to(out: &mut impl Write, text: &str) {
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        let mut failed = FAILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        failed.get_or_insert(e);
    }
}

/// The run's exit status once its output is written: `status`, unless writing failed. A closed
/// pipe (`ghcr-doctor check | head -1`) ends quietly with `status`; any other write error (a full
/// disk) is reported on stderr and exits 2.
pub fn finish(status: ExitStatus, lang: Lang) -> ExitStatus {
    let failed = FAILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    match failed {
        None => status,
        Some(e) if e.kind() == ErrorKind::BrokenPipe => status,
        Some(e) => {
            let message = Msg::new(t!(
                "ghcr-doctor: cannot write the output: {error}",
                "ghcr-doctor：出力を書き込めません：{error}"
            ));
            stderr_line(&message.arg("error", e).render(lang));
            ExitStatus::Usage
        }
    }
}

/// Writes `text` and a newline to stdout.
pub fn stdout_line(text: &str) {
    stdout(&format!("{text}\n"));
}

/// Writes `text` and a newline to stderr.
pub fn stderr_line(text: &str) {
    let _ = anstream::stderr().write_all(format!("{text}\n").as_bytes());
}
