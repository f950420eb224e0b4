//! The run's bounds through the real binary (issue #14, items 5 and 10): 10,000 images in
//! bounded threads and memory (peak `Threads:` and `VmHWM:` of the child from `/proc`), and on a
//! pseudo-terminal (`script` from util-linux) the header at once, live progress, and a run whose
//! servers accept and never answer ending at `--timeout`, not at a multiple of it; no progress
//! in JSON, the GitHub format or CI.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::fixture::HttpFixture;

use crate::harness::{Doctor, assert_no_secret, parse_output_json};

/// The most threads a run may use, whatever the number of images: two lanes of at most 16 HTTP
/// workers and the thread that starts them, gh, docker, the credential store and their pipe
/// readers, main.
const MAX_THREADS: u64 = 48;
/// The most memory (peak resident set) for 10,000 images.
const MAX_RSS_KB: u64 = 256 * 1024;

/// `Threads:` and `VmHWM:` (kB) of a running process.
fn threads_and_peak_rss(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    Some((field("Threads:")?, field("VmHWM:")?))
}

#[test]
fn ten_thousand_images_run_in_bounded_threads_and_memory() {
    let d = Doctor::new();
    let images: Vec<String> = (0..10_000).map(|i| format!("  \"ghcr.io/acme/app-{i}:1\",")).collect();
    std::fs::write(d.home.path().join("ghcr-doctor.toml"), format!("images = [\n{}\n]\n", images.join("\n"))).unwrap();
    let started = Instant::now();
    let mut child = d
        .command(&["check", "--json", "--timeout", "600"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let (mut peak_threads, mut peak_rss) = (0, 0);
    let status = loop {
        if let Some((threads, rss)) = threads_and_peak_rss(child.id()) {
            peak_threads = peak_threads.max(threads);
            peak_rss = peak_rss.max(rss);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = started.elapsed();
    let stdout = reader.join().unwrap().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    eprintln!(
        "10,000 images: peak {peak_threads} threads, peak RSS {} MB, {:.1} s",
        peak_rss / 1024,
        elapsed.as_secs_f64()
    );
    assert_eq!(status.code(), Some(1), "the made-up packages fail, nothing crashes:\n{stderr}");
    let report = parse_output_json(&stdout);
    let access = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "registry-access").unwrap();
    assert_eq!(access["findings"].as_array().unwrap().len(), 10_000, "one finding per image");
    assert!(peak_threads <= MAX_THREADS, "{peak_threads} threads for 10,000 images");
    assert!(peak_rss <= MAX_RSS_KB, "peak RSS {peak_rss} kB for 10,000 images");
}

/// Runs `args` of the doctor on a pseudo-terminal; what it printed, each chunk with its time.
fn on_a_terminal(d: &Doctor, args: &[&str]) -> Option<(Vec<(Duration, String)>, Duration)> {
    if !Path::new("/usr/bin/script").exists() {
        assert!(std::env::var_os("CI").is_none(), "script (util-linux) is required in CI");
        eprintln!("note: the terminal tests need /usr/bin/script; skipped outside CI");
        return None;
    }
    let inner = d.command(args);
    let line = std::iter::once(crate::harness::BIN).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
    let mut cmd = Command::new("/usr/bin/script");
    cmd.args(["-qfec", &line, "/dev/null"]).env_clear().current_dir(d.home.path()).stdin(Stdio::null());
    for (k, v) in inner.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.env("TERM", "xterm");
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut chunks = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => chunks.push((started.elapsed(), String::from_utf8_lossy(&buf[..n]).into_owned())),
        }
    }
    child.wait().unwrap();
    let elapsed = started.elapsed();
    let text: String = chunks.iter().map(|(_, c)| c.as_str()).collect();
    assert_no_secret(&text);
    Some((chunks, elapsed))
}

/// A doctor whose GitHub API and registry accept connections and never answer.
fn hung() -> (Doctor, HttpFixture) {
    let hole = HttpFixture::blackhole();
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_API_URL", &hole.url("/"));
    d.env("GHCR_DOCTOR_REGISTRY_URL", &hole.url("/"));
    d.env("GHCR_DOCTOR_LANG", "en");
    (d, hole)
}

#[test]
fn on_a_terminal_the_header_comes_at_once_and_a_hung_run_ends_at_the_timeout() {
    let (d, _hole) = hung();
    let Some((chunks, elapsed)) = on_a_terminal(&d, &["check", "ghcr.io/acme/app:1", "--timeout", "3"]) else {
        return;
    };
    let text: String = chunks.iter().map(|(_, c)| c.as_str()).collect();
    let first = chunks.iter().find(|(_, c)| c.contains("ghcr-doctor")).map(|(t, _)| *t).unwrap();
    eprintln!(
        "terminal, all hung, --timeout 3: first line after {} ms, whole run {:.2} s",
        first.as_millis(),
        elapsed.as_secs_f64()
    );
    assert!(first < Duration::from_secs(1), "the header took {first:?}:\n{text}");
    // gh answers with a token, then every API call and the registry hang: one timeout in all,
    // not one per link of the chain (before: 6 s and more).
    assert!(elapsed >= Duration::from_millis(2900), "the hung calls were not waited for: {elapsed:?}\n{text}");
    assert!(elapsed < Duration::from_millis(4500), "took {elapsed:?}:\n{text}");
    let waiting = chunks.iter().find(|(_, c)| c.contains("waiting for")).map(|(t, _)| *t);
    assert!(waiting.is_some_and(|t| t < Duration::from_millis(2500)), "no waiting line in time:\n{text}");
    assert!(text.contains("\u{1b}[2K"), "the waiting line is redrawn in place:\n{text}");
    // The final report is all there, in registry order, without a waiting line left over.
    let report = text.rsplit("\u{1b}[2K").next().unwrap();
    assert!(!report.contains("waiting for"), "{text}");
    let order = ["(gh-installed)", "(github-host)", "(gh-auth)", "(sso)", "(docker-daemon)", "(registry-access)"];
    let at: Vec<usize> =
        order.iter().map(|id| text.find(id).unwrap_or_else(|| panic!("{id} missing:\n{text}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "not in registry order:\n{text}");
    assert!(text.contains("no answer in time"), "{text}");
    assert!(text.contains("failed,"), "the summary is there:\n{text}");
}

#[test]
fn a_check_is_shown_as_soon_as_it_is_decided() {
    // Everything answers at once but `docker version`, which hangs: the checks before
    // docker-daemon are on screen long before the run ends.
    let mut d = Doctor::new();
    d.docker(ghcr_doctor_testkit::DockerFake::hanging());
    d.env("GHCR_DOCTOR_LANG", "en");
    let Some((chunks, elapsed)) = on_a_terminal(&d, &["check", "ghcr.io/acme/app:latest", "--timeout", "3"]) else {
        return;
    };
    let text: String = chunks.iter().map(|(_, c)| c.as_str()).collect();
    let at = |needle: &str| chunks.iter().find(|(_, c)| c.contains(needle)).map(|(t, _)| *t);
    let sso = at("(sso)").unwrap_or_else(|| panic!("{text}"));
    assert!(sso < Duration::from_secs(2), "sso waited for docker: {sso:?}\n{text}");
    assert!(at("(docker-daemon)").is_some_and(|t| t > Duration::from_millis(2900)), "{text}");
    assert!(text.contains("docker version"), "the waiting line names the call:\n{text}");
    assert!(elapsed < Duration::from_millis(4500), "took {elapsed:?}");
}

#[test]
fn no_progress_in_json_the_github_format_or_ci() {
    let (d, _hole) = hung();
    for args in [
        &["check", "ghcr.io/acme/app:1", "--timeout", "1", "--json"][..],
        &["check", "ghcr.io/acme/app:1", "--timeout", "1", "--format", "github"],
        &["check", "ghcr.io/acme/app:1", "--timeout", "1", "--ci"],
    ] {
        let Some((chunks, _)) = on_a_terminal(&d, args) else { return };
        let text: String = chunks.iter().map(|(_, c)| c.as_str()).collect();
        assert!(!text.contains("waiting for") && !text.contains("\u{1b}[2K"), "{args:?}:\n{text}");
        if args.contains(&"--json") {
            parse_output_json(text.as_bytes());
        }
    }
    // Through a pipe, the human report is the report, nothing else.
    let run = d.run(&["check", "ghcr.io/acme/app:1", "--timeout", "1"]);
    assert!(!run.stdout.contains("waiting for") && !run.stdout.contains('\u{1b}'), "{}", run.stdout);
    assert!(run.stdout.starts_with("ghcr-doctor "), "{}", run.stdout);
}
