//! The explain benchmark: generates a ~40 MB CI-like log with a few real errors buried in it (one
//! 10 MB into a 20 MB line), times `explain_reader` on it and `grep -E` with four alternatives on
//! the same file in the same run (best of several runs each), prints both throughputs in MB/s and
//! explain's peak memory, then the scores on both parts of the real corpus (top-1, top-3, silent
//! share). `cargo bench -p ghcr-doctor-explain --bench explain`.

#![allow(clippy::disallowed_methods, clippy::print_stdout)] // a benchmark starts grep and prints its numbers

#[path = "../tests/support/real.rs"]
mod real;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ghcr_doctor_checks::CauseId;
use ghcr_doctor_explain::{explain_bytes, explain_reader};
use real::{Score, Verdict, load_part};

const TARGET: u64 = 40 * 1024 * 1024;
const RUNS: usize = 5;

/// Ordinary CI output: compiler, package managers, tests, docker build progress, Actions
/// decorations, URLs; a few lines carry words the prefilter looks at (`status`, `push`, `login`).
const NOISE: &[&str] = &[
    "2024-05-01T10:00:00.1234567Z #12 [build 4/9] RUN cargo build --release --locked",
    "2024-05-01T10:00:00.1234567Z #12 12.34    Compiling serde_json v1.0.140",
    "2024-05-01T10:00:00.1234567Z #12 13.02    Compiling tokio v1.44.2",
    "2024-05-01T10:00:00.1234567Z \x1b[36;1m##[group]Run actions/cache@v4\x1b[0m",
    "2024-05-01T10:00:00.1234567Z 5bf90f44bb0d: Downloading [=====>                                   ]  12.3MB/45.6MB",
    "2024-05-01T10:00:00.1234567Z npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory",
    "2024-05-01T10:00:00.1234567Z added 1342 packages, and audited 1343 packages in 41s",
    "2024-05-01T10:00:00.1234567Z test registry::tests::pull_from_ghcr_io_works ... ok",
    "2024-05-01T10:00:00.1234567Z tests/test_api.py::test_create_user PASSED                                  [ 42%]",
    "2024-05-01T10:00:00.1234567Z warning: unused variable: `token` --> src/auth.rs:42:9",
    "2024-05-01T10:00:00.1234567Z [INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.pom",
    "2024-05-01T10:00:00.1234567Z #7 sha256:9cb31e2e37eab1bff50f727e979fcacb509e225fb853433a6fe21d2fb34e6305 12.58MB / 29.15MB 1.2s",
    "2024-05-01T10:00:00.1234567Z Receiving objects:  47% (1410/3000), 12.00 MiB | 23.11 MiB/s",
    "2024-05-01T10:00:00.1234567Z   ✓ renders the dashboard (241 ms)",
    "2024-05-01T10:00:00.1234567Z Status: Downloaded newer image for node:20-alpine",
    "2024-05-01T10:00:00.1234567Z ##[endgroup]",
];

/// The lines buried in the log, and the cause each should be explained as (the first is context).
const ERRORS: &[(&str, Option<CauseId>)] = &[
    ("2024-05-01T10:00:00.1234567Z The push refers to repository [ghcr.io/acme/huge]", None),
    (
        "2024-05-01T10:00:00.1234567Z ##[error]denied: permission_denied: write_package",
        Some(CauseId::ActionsTokenNoAccess),
    ),
    (
        "2024-05-01T10:00:00.1234567Z ##[error]Error response from daemon: toomanyrequests: retry-after: 880.092µs, allowed: 44000/minute",
        Some(CauseId::RateLimited),
    ),
];

fn generate(path: &Path) -> u64 {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let mut written = 0u64;
    let mut i = 0usize;
    let mut next_error = 0;
    while written < TARGET {
        let line = NOISE[(i * 7 + i / 13) % NOISE.len()];
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        written += line.len() as u64 + 1;
        i += 1;
        // The errors at a third, half and the end of the log.
        let due = [TARGET / 3, TARGET / 2, TARGET - 200];
        if next_error < ERRORS.len() && written >= due[next_error] {
            writeln!(out, "{}", ERRORS[next_error].0).unwrap();
            written += ERRORS[next_error].0.len() as u64 + 1;
            next_error += 1;
        }
        // A 20 MB line (a minified JSON dump) with an error 10 MB into it.
        if i == 1000 {
            let chunk = "{\"k\":\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\"},";
            let half = 10 * 1024 * 1024 / chunk.len();
            for _ in 0..half {
                out.write_all(chunk.as_bytes()).unwrap();
            }
            out.write_all(b"\"err\":\"dial tcp: lookup ghcr.io on 10.0.0.2:53: no such host\",").unwrap();
            for _ in 0..half {
                out.write_all(chunk.as_bytes()).unwrap();
            }
            out.write_all(b"\n").unwrap();
            written += (2 * half * chunk.len() + 64) as u64;
        }
    }
    out.flush().unwrap();
    fs::metadata(path).unwrap().len()
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let value = f();
        best = best.min(started.elapsed());
        last = Some(value);
    }
    (best, last.unwrap())
}

fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// The process's peak resident memory (`VmHWM`), in MB; Linux only.
fn peak_rss_mb() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("ghcr-doctor-explain-bench-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ci.log");
    let size = generate(&path);
    println!("log: {:.1} MB, with 3 real errors, one of them 10 MB into a 20 MB line", size as f64 / 1e6);

    // Peak memory of explain alone: reset the high-water mark (Linux clear_refs 5), then stream.
    let reset = fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = peak_rss_mb();
    let started = Instant::now();
    let e = explain_reader(File::open(&path).unwrap()).unwrap();
    let first = started.elapsed();
    let after = peak_rss_mb();
    let causes: Vec<CauseId> = e.matches.iter().map(|m| m.cause).collect();
    for cause in ERRORS.iter().filter_map(|(_, c)| c.as_ref()) {
        assert!(causes.contains(cause), "the bench's {cause} was not found: {causes:?}");
    }
    assert!(causes.contains(&CauseId::Network), "the error 10 MB into the long line was missed: {causes:?}");

    let (explain_time, _) = best(RUNS, || explain_reader(File::open(&path).unwrap()).unwrap());
    let grep = Command::new("grep").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    // grep in the environment's locale and in the C locale (usually faster); explain is compared
    // with the faster of the two.
    let grep_run = |c_locale: bool| {
        best(RUNS, || {
            let mut cmd = Command::new("grep");
            if c_locale {
                cmd.env("LC_ALL", "C");
            }
            let out = cmd
                .args(["-c", "-E", "denied|unauthorized|manifest unknown|toomanyrequests"])
                .arg(&path)
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
    };
    println!(
        "explain_reader: {:.0} MB/s (best of {RUNS}: {:.0} ms; first run {:.0} ms)",
        mb_per_s(size, explain_time),
        explain_time.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3
    );
    if grep {
        let (locale, lines) = grep_run(false);
        let (c, _) = grep_run(true);
        for (name, t) in [("grep -E (4 alternatives)", locale), ("LC_ALL=C grep -E (4 alternatives)", c)] {
            println!(
                "{name}: {:.0} MB/s (best of {RUNS}: {:.0} ms, {lines} matching lines)",
                mb_per_s(size, t),
                t.as_secs_f64() * 1e3
            );
        }
        let fastest = locale.min(c);
        println!(
            "explain takes {:.2}x the time of the faster grep (target: at most 2x)",
            explain_time.as_secs_f64() / fastest.as_secs_f64()
        );
    } else {
        println!("grep -E: skipped, no grep on PATH");
    }
    match (reset, before, after) {
        (true, Some(b), Some(a)) => {
            println!("peak memory while explaining: {a:.1} MB (process was at {b:.1} MB before)");
        }
        _ => println!("peak memory: not measurable here (needs Linux /proc)"),
    }
    fs::remove_dir_all(&dir).ok();

    for part in ["dev", "heldout"] {
        let mut score = Score::default();
        for t in load_part(part) {
            let v = Verdict {
                causes: explain_bytes(&t.body).matches.iter().map(|m| m.cause.as_str().to_string()).collect(),
            };
            score.add(&t, &v);
        }
        println!("{}", score.line(part));
    }
}
