//! Running external programs (`gh`, `docker`, `docker-credential-*`) with a hard timeout.
//!
//! Programs are looked up on the snapshot's `PATH` and get exactly the snapshot as their
//! environment. stdin is null unless bytes are given; stdout and stderr are drained on their own
//! threads (no pipe deadlock) and capped. Every child starts a process group of its own: on
//! timeout the whole group is killed (a grandchild holding the pipes too) and the child reaped,
//! and [`stop_children_on_signals`] kills every group still running when the doctor gets SIGINT
//! or SIGTERM, then exits with the conventional status (130, 143).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use ghcr_doctor_checks::{ProbeError, ProbeErrorKind, ProcessOutput, redact};

use crate::Env;

/// The most of stdout or stderr that is kept; the rest is read and dropped.
pub const OUTPUT_CAP: usize = 1024 * 1024;

/// What a finished process printed, as raw bytes (stdout may hold a secret: `gh auth token`).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawOutput {
    /// `None` when killed by a signal.
    pub exit_code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl RawOutput {
    /// Lossily decoded and redacted, for `Facts`. Only for programs whose stdout carries no
    /// secret by design (a token that shows up anyway is masked).
    pub fn to_output(&self) -> ProcessOutput {
        ProcessOutput { exit_code: self.exit_code, stdout: shown(&self.stdout), stderr: shown(&self.stderr) }
    }
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
    }
}

impl std::fmt::Debug for RawOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawOutput")
            .field("exit_code", &self.exit_code)
            .field("stdout_len", &self.stdout.len())
            .field("stderr", &shown(&self.stderr))
            .finish()
    }
}

/// Raw output as text, unredacted: only for output that is itself a secret (`gh auth token`)
/// or that is parsed and never shown.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Output as text that may be shown or kept in `Facts`: lossily decoded, tokens masked.
pub(crate) fn shown(bytes: &[u8]) -> String {
    redact(&String::from_utf8_lossy(bytes)).into_owned()
}

/// Where `program` is on `env`'s PATH.
pub fn find_program(program: &str, env: &Env) -> Option<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    which::which_in(program, env.path(), cwd).ok()
}

/// Runs `program` (looked up on `env`'s PATH) with exactly `env` as its environment, feeding
/// `stdin` if given, and kills it when `timeout` passes (`ProbeErrorKind::Timeout`). A program
/// not on PATH or failing to start is `ProbeErrorKind::Io`. Arguments must never hold a secret.
pub fn run_process(
    program: &str,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &Env,
    timeout: Duration,
) -> Result<RawOutput, ProbeError> {
    let path = find_program(program, env)
        .ok_or_else(|| ProbeError::new(ProbeErrorKind::Io, format!("`{program}` was not found on PATH")))?;
    run_path(&path, program, args, stdin, env, timeout)
}

/// The process groups of the children running now (their leaders' pids).
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn running() -> std::sync::MutexGuard<'static, Vec<u32>> {
    RUNNING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Kills the process group led by `pid` (the child and everything it started).
fn kill_group(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

/// On SIGINT or SIGTERM: kill every running child's group, then exit 130 (SIGINT) or 143
/// (SIGTERM), as a shell reports a process stopped that way. Called once, by `main`.
pub fn stop_children_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else { return };
        thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                for pid in running().drain(..) {
                    kill_group(pid);
                }
                std::process::exit(if signal == SIGINT { 130 } else { 143 });
            }
        });
    }
}

/// `ETXTBSY` ("Text file busy"): an executable just written is still open for writing in a child
/// that another thread forked and has not exec'd yet. It clears within milliseconds; retry a few
/// times, as Go's os/exec does.
const TEXT_FILE_BUSY: i32 = 26;

fn spawn_retrying_busy(command: &mut Command) -> std::io::Result<Child> {
    let mut attempt = 0;
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(TEXT_FILE_BUSY) && attempt < 10 => {
                attempt += 1;
                thread::sleep(Duration::from_millis(5 * attempt));
            }
            result => return result,
        }
    }
}

fn run_path(
    path: &std::path::Path,
    program: &str,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &Env,
    timeout: Duration,
) -> Result<RawOutput, ProbeError> {
    let deadline = Instant::now() + timeout;
    #[allow(clippy::disallowed_methods)] // the probe's process runner
    let mut command = Command::new(path);
    command
        .args(args)
        .env_clear()
        .envs(env.vars())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let child = spawn_retrying_busy(&mut command)
        .map_err(|e| ProbeError::new(ProbeErrorKind::Io, format!("could not start `{program}`: {e}")))?;
    let pid = child.id();
    running().push(pid);
    let result = wait_for(child, program, args, stdin, deadline, timeout);
    running().retain(|p| *p != pid);
    result
}

/// Feeds stdin, drains the output and waits until the child exits or `deadline` passes.
fn wait_for(
    mut child: Child,
    program: &str,
    args: &[&str],
    stdin: Option<&[u8]>,
    deadline: Instant,
    timeout: Duration,
) -> Result<RawOutput, ProbeError> {
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let bytes = bytes.to_vec();
        // A child that never reads must not block us: write on a thread of its own.
        thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());

    let pid = child.id();
    let status = match wait_until(child, deadline) {
        Ok(Some(status)) => status,
        Ok(None) => {
            return Err(ProbeError::new(
                ProbeErrorKind::Timeout,
                format!("`{program} {}` did not finish within {} s and was stopped", args.join(" "), secs(timeout)),
            ));
        }
        Err(e) => {
            kill_group(pid);
            return Err(ProbeError::new(ProbeErrorKind::Io, format!("waiting for `{program}` failed: {e}")));
        }
    };
    // The pipes close when the child exits, unless a grandchild still holds them: wait for the
    // readers only until the deadline (plus a moment, so a fast child's output is never lost).
    let grace = deadline.max(Instant::now() + Duration::from_millis(200));
    let stdout = stdout.recv_timeout(grace.saturating_duration_since(Instant::now())).unwrap_or_default();
    let stderr = stderr.recv_timeout(grace.saturating_duration_since(Instant::now())).unwrap_or_default();
    Ok(RawOutput { exit_code: status.code(), stdout, stderr })
}

/// Waits until the child exits (`Some`) or `deadline` passes (`None`: its group is then killed
/// and the child reaped). A thread blocks in `wait`, so the exit is seen the moment it happens,
/// not at the next poll: `gh auth token` is on the critical path of every run.
#[cfg(unix)]
fn wait_until(mut child: Child, deadline: Instant) -> std::io::Result<Option<ExitStatus>> {
    let pid = child.id();
    let (exited, exit) = mpsc::channel();
    thread::spawn(move || {
        let _ = exited.send(child.wait());
    });
    match exit.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(status) => status.map(Some),
        Err(_) => {
            kill_group(pid);
            // SIGKILL ends the group at once; the waiting thread reaps the child.
            let _ = exit.recv_timeout(Duration::from_secs(1));
            Ok(None)
        }
    }
}

/// Elsewhere (no process groups to kill from another thread): poll.
#[cfg(not(unix))]
fn wait_until(mut child: Child, deadline: Instant) -> std::io::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `program` with the user's terminal as its stdin, stdout and stderr, for a step the user
/// answers themselves (`gh auth refresh`: a browser or a one-time code). The one call without a
/// timeout: the user decides how long it takes. Returns the exit code (`None`: killed by a signal).
pub fn run_interactive(program: &str, args: &[&str], env: &Env) -> Result<Option<i32>, ProbeError> {
    let path = find_program(program, env)
        .ok_or_else(|| ProbeError::new(ProbeErrorKind::Io, format!("`{program}` was not found on PATH")))?;
    #[allow(clippy::disallowed_methods)] // the one interactive, untimed call
    let status = Command::new(path)
        .args(args)
        .env_clear()
        .envs(env.vars())
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| ProbeError::new(ProbeErrorKind::Io, format!("could not start `{program}`: {e}")))?;
    Ok(status.code())
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{s:.0}") } else { format!("{s:.1}") }
}

/// Reads a pipe to its end on a thread of its own, keeping at most [`OUTPUT_CAP`] bytes.
fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    match pipe {
        None => {
            let _ = tx.send(Vec::new());
        }
        Some(mut pipe) => {
            thread::spawn(move || {
                let mut kept = Vec::new();
                let mut buf = [0u8; 8192];
                loop {
                    match pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            let room = OUTPUT_CAP.saturating_sub(kept.len());
                            kept.extend_from_slice(&buf[..n.min(room)]);
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
                let _ = tx.send(kept);
            });
        }
    }
    rx
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::testutil::{BinEnv, FakeBin};

    #[test]
    fn captures_output_exit_code_and_stdin() {
        let bin = FakeBin::new().unwrap();
        bin.script("echoer", "cat; echo err >&2; printf '\\377\\376 garbage'; exit 3");
        let out = run_process("echoer", &[], Some(b"hello "), &bin.env(), Duration::from_secs(10)).unwrap();
        assert_eq!(out.exit_code, Some(3));
        let shown = out.to_output();
        assert!(shown.stdout.starts_with("hello "), "{shown:?}");
        assert!(shown.stdout.contains('\u{fffd}'));
        assert_eq!(shown.stderr, "err\n");
    }

    #[test]
    fn gets_exactly_the_snapshot_environment() {
        let bin = FakeBin::new().unwrap();
        bin.script("showenv", "echo \"[$ONLY_HERE][$CARGO_PKG_NAME]\"");
        let env = bin.env().with("ONLY_HERE", "yes");
        let out = run_process("showenv", &[], None, &env, Duration::from_secs(10)).unwrap();
        assert_eq!(lossy(&out.stdout), "[yes][]\n");
    }

    #[test]
    fn a_hanging_process_is_killed_at_the_timeout() {
        let bin = FakeBin::new().unwrap();
        bin.script("hang", "echo started; exec sleep 60");
        let timeout = Duration::from_millis(300);
        let start = Instant::now();
        let err = run_process("hang", &[], None, &bin.env(), timeout).unwrap_err();
        assert_eq!(err.kind, ProbeErrorKind::Timeout, "{err:?}");
        assert!(start.elapsed() < timeout + Duration::from_secs(2), "took {:?}", start.elapsed());
    }

    #[test]
    fn a_grandchild_holding_the_pipes_does_not_block() {
        let bin = FakeBin::new().unwrap();
        // sh waits on sleep; killing sh leaves sleep holding stdout open.
        bin.script("hangchild", "sleep 60; true");
        let timeout = Duration::from_millis(300);
        let start = Instant::now();
        let err = run_process("hangchild", &[], None, &bin.env(), timeout).unwrap_err();
        assert_eq!(err.kind, ProbeErrorKind::Timeout);
        assert!(start.elapsed() < timeout + Duration::from_secs(2), "took {:?}", start.elapsed());
    }

    #[test]
    fn a_missing_program_is_an_io_error() {
        let bin = FakeBin::new().unwrap();
        let err = run_process("nosuchprogram", &[], None, &bin.env(), Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.kind, ProbeErrorKind::Io);
    }
}
