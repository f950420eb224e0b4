//! The hardening issue's defects, reproduced through the real binary against hostile or broken
//! surroundings: tokens planted in what gh, docker, a credential helper, the API and the registry
//! print must come out masked in every format and in the step summary.

use ghcr_doctor_testkit::fixture::HttpFixture;
use ghcr_doctor_testkit::http::Response;
use ghcr_doctor_testkit::{DockerFake, GhFake, Output};

use crate::harness::Doctor;

/// Tokens no fixture uses, so finding one in an output can only mean it was echoed.
const PLANTED_PAT: &str = "ghp_PLANTEDplantedPLANTEDplanted012345";
const PLANTED_OAUTH: &str = "gho_PLANTEDplantedPLANTEDplanted012345";
const PLANTED_GITLAB: &str = "glpat-PLANTEDplanted0123";

fn assert_masked(what: &str, text: &str) {
    for token in [PLANTED_PAT, PLANTED_OAUTH, PLANTED_GITLAB] {
        assert!(!text.contains(token), "{what} echoes a planted token:\n{text}");
    }
}

#[test]
fn external_text_is_masked_in_every_format_and_the_step_summary() {
    let mut d = Doctor::new();
    // gh's version line and its stderr, docker's stderr and a helper's message all carry a token.
    d.gh(GhFake {
        version: Output::ok(&format!("error: could not parse config near {PLANTED_OAUTH}\n")),
        tokens: vec![("github.com".into(), Output::fail(&format!("token {PLANTED_PAT} is not valid\n"), 1))],
        hang: false,
        hang_auth_token: false,
    });
    d.docker(DockerFake::daemon_error(&format!("error during connect: auth {PLANTED_GITLAB} refused\n")));
    d.docker_config(r#"{"credsStore":"leaky"}"#);
    d.bin
        .script("docker-credential-leaky", &format!("#!/bin/sh\necho 'keychain says {PLANTED_PAT}'\nexit 1\n"))
        .unwrap();
    // The registry's error bodies quote a token too.
    let registry = HttpFixture::start(|req| match req.route() {
        "/v2/" => Response::new(401)
            .header("WWW-Authenticate", "Bearer realm=\"/token\",service=\"ghcr.io\"")
            .json(r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#),
        _ => Response::new(403)
            .json(&format!(r#"{{"errors":[{{"code":"DENIED","message":"bad token {PLANTED_OAUTH}"}}]}}"#)),
    });
    d.env("GHCR_DOCTOR_REGISTRY_URL", &registry.url("/"));
    let summary = d.home.path().join("summary.md");
    d.env("GITHUB_STEP_SUMMARY", &summary.display().to_string());
    for args in [
        vec!["check", "ghcr.io/acme/app:1", "--lang", "en"],
        vec!["check", "ghcr.io/acme/app:1", "--lang", "ja", "-v"],
        vec!["check", "ghcr.io/acme/app:1", "--json"],
        vec!["check", "ghcr.io/acme/app:1", "--format", "github"],
    ] {
        let run = d.run(&args);
        assert_masked(&format!("{args:?} stdout"), &run.stdout);
        assert_masked(&format!("{args:?} stderr"), &run.stderr);
        assert!(run.stdout.contains("****"), "{args:?}: the masked form is shown:\n{}", run.stdout);
    }
    assert_masked("the step summary", &std::fs::read_to_string(&summary).unwrap());
    // The helper that runs but fails is a failure with its own cause, not one without.
    let json: serde_json::Value =
        serde_json::from_str(&d.run(&["check", "ghcr.io/acme/app:1", "--json"]).stdout).unwrap();
    let creds = json["checks"].as_array().unwrap().iter().find(|c| c["id"] == "docker-credentials").unwrap();
    assert_eq!(creds["status"], "fail", "{creds}");
    assert!(creds["findings"].as_array().unwrap().iter().any(|f| f["cause"] == "credential-helper-error"), "{creds}");
}

#[test]
fn a_captive_portal_answering_everything_with_200_is_no_all_clear() {
    let mut d = Doctor::new();
    let portal = |big: bool| {
        HttpFixture::start(move |_| {
            let page = if big {
                "<html>".to_owned() + &"x".repeat(200 * 1024)
            } else {
                "<html><body>Please log in to the Wi-Fi</body></html>".to_owned()
            };
            Response::new(200).header("Content-Type", "text/html").body(page)
        })
    };
    for big in [false, true] {
        let server = portal(big);
        d.env("GHCR_DOCTOR_API_URL", &server.url("/"));
        d.env("GHCR_DOCTOR_REGISTRY_URL", &server.url("/"));
        let run = d.run(&["check", "ghcr.io/acme/app:1", "--push", "--json"]);
        assert_eq!(run.code, 1, "a page instead of GitHub must fail:\n{}", run.stdout);
        let report = run.json();
        assert_eq!(report["root_cause"], "unexpected-response", "{report:#}");
        for text in ["Logged in to github.com as ``", "Member of", "docker can push", "docker can pull"] {
            assert!(!run.stdout.contains(text), "{text:?} is a false all-clear:\n{}", run.stdout);
        }
        let human = d.run(&["check", "ghcr.io/acme/app:1", "--push", "--lang", "en"]);
        assert!(human.stdout.contains("curl -sI https://ghcr.io/v2/"), "{}", human.stdout);
    }
}

/// Runs the doctor and kills it if it has not finished within `limit` (a hang fails the test
/// instead of hanging it): exit code, stdout, stderr and how long it took.
fn run_bounded(
    d: &Doctor,
    args: &[&str],
    limit: std::time::Duration,
) -> (Option<i32>, String, String, std::time::Duration) {
    use std::io::Read;
    let start = std::time::Instant::now();
    let mut child = d
        .command(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (code, out, err, start.elapsed())
}

#[test]
fn a_config_json_that_is_a_device_or_a_fifo_is_refused_at_once() {
    let d = Doctor::new();
    let config = d.docker_config_path();
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&config);
    std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
    let limit = std::time::Duration::from_secs(20);
    let (code, out, _, took) =
        run_bounded(&d, &["check", "ghcr.io/acme/app:1", "--lang", "en", "--timeout", "2"], limit);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("a device, not a regular file"), "the file and the problem are named:\n{out}");
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    std::fs::remove_file(&config).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&config).status().unwrap().success());
    let (code, out, _, _) = run_bounded(&d, &["check", "ghcr.io/acme/app:1", "--lang", "en", "--timeout", "2"], limit);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("a FIFO (named pipe), not a regular file"), "{out}");
}

#[test]
fn a_fifo_as_the_step_summary_does_not_hang_the_job() {
    let mut d = Doctor::new();
    let summary = d.home.path().join("summary-fifo");
    assert!(std::process::Command::new("mkfifo").arg(&summary).status().unwrap().success());
    d.env("GITHUB_STEP_SUMMARY", &summary.display().to_string());
    let (code, out, err, _) = run_bounded(
        &d,
        &["check", "ghcr.io/acme/app:latest", "--format", "github"],
        std::time::Duration::from_secs(20),
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("GITHUB_STEP_SUMMARY") && err.contains("FIFO"), "the summary problem is reported:\n{err}");
}

/// Processes whose command line contains `marker` (from /proc), e.g. a leftover `sleep 613`.
fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(marker) {
                found.push(cmdline);
            }
        }
    }
    found
}

fn wait_until_gone(marker: &str) -> Vec<String> {
    for _ in 0..50 {
        if processes_with(marker).is_empty() {
            return Vec::new();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    processes_with(marker)
}

#[test]
fn a_timeout_kills_the_whole_process_group_no_grandchild_survives() {
    let d = Doctor::new();
    // gh waits on a grandchild that holds the pipes; killing gh alone would leave it behind.
    d.bin.script("gh", "#!/bin/sh\nsleep 613\nexit 0\n").unwrap();
    let (_, out, _, took) =
        run_bounded(&d, &["check", "ghcr.io/acme/app:latest", "--timeout", "1"], std::time::Duration::from_secs(30));
    assert!(out.contains("timeout") || out.contains("in time"), "{out}");
    assert!(took < std::time::Duration::from_secs(15), "took {took:?}");
    assert_eq!(wait_until_gone("sleep 613"), Vec::<String>::new(), "a grandchild survived the timeout");
}

#[test]
fn sigint_and_sigterm_stop_the_children_and_exit_with_the_conventional_status() {
    for (signal, status, marker) in [("INT", 130, "sleep 617"), ("TERM", 143, "sleep 619")] {
        let d = Doctor::new();
        d.bin.script("gh", &format!("#!/bin/sh\n{marker}\n")).unwrap();
        let mut child = d
            .command(&["check", "ghcr.io/acme/app:latest", "--timeout", "60"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if !processes_with(marker).is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(!processes_with(marker).is_empty(), "gh did not start");
        let sent = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(sent.unwrap().success());
        let code = child.wait().unwrap().code();
        assert_eq!(code, Some(status), "SIG{signal}");
        assert_eq!(wait_until_gone(marker), Vec::<String>::new(), "SIG{signal} left gh's child running");
    }
}

#[test]
fn the_doctors_own_tool_failures_are_named_for_what_they_are() {
    let d = Doctor::new();
    let cause_of = |run: &crate::harness::Run, check: &str| {
        let report = run.json();
        let found = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == check).cloned().unwrap();
        (found["status"].as_str().unwrap().to_owned(), found["cause"].as_str().unwrap_or("-").to_owned())
    };
    // Garbage from `gh auth token` is not sent anywhere, so it cannot come back as "network".
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0")
        .token_output("github.com", Output::ok("<html>not a token at all</html>\n")));
    let run = d.run(&["check", "ghcr.io/acme/app:latest", "--json"]);
    assert_eq!(cause_of(&run, "gh-auth"), ("fail".into(), "tool-failed".into()), "{}", run.stdout);
    // gh killed (a shell reports 137) is not "not logged in".
    d.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0")
        .token_output("github.com", Output::fail("Killed\n", 137)));
    let run = d.run(&["check", "ghcr.io/acme/app:latest", "--json"]);
    assert_eq!(cause_of(&run, "gh-auth"), ("fail".into(), "tool-failed".into()), "{}", run.stdout);
    // docker printing garbage with no error is docker's failure, not an unreachable daemon.
    d.docker(DockerFake { version: Output::ok("\u{1b}[31mSegmentation fault\n"), ..DockerFake::running() });
    let run = d.run(&["check", "ghcr.io/acme/app:latest", "--json"]);
    assert_eq!(cause_of(&run, "docker-daemon"), ("fail".into(), "tool-failed".into()), "{}", run.stdout);
    assert!(!run.stdout.contains("sudo systemctl start docker"), "{}", run.stdout);
}

#[test]
fn image_references_with_a_scheme_or_a_line_break_are_refused_clearly() {
    let d = Doctor::new();
    let run = d.run(&["check", "https://ghcr.io/acme/app:1", "--lang", "en"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no scheme") && run.stderr.contains("`ghcr.io/acme/app:1`"), "{}", run.stderr);
    let injected = "ghcr.io/acme/app:1\n::error title=x::injected";
    let run = d.run(&["check", injected, "--format", "github"]);
    assert_eq!(run.code, 2);
    for line in run.stdout.lines().chain(run.stderr.lines()) {
        assert!(!line.starts_with("::error title=x::"), "a workflow command of the input's choosing:\n{line}");
    }
}

#[test]
fn in_github_format_the_log_cannot_issue_workflow_commands() {
    let d = Doctor::new();
    // A registry error message whose text carries a line break and a workflow command.
    let registry = HttpFixture::start(|req| match req.route() {
        "/v2/" => Response::new(401)
            .header("WWW-Authenticate", "Bearer realm=\"/token\",service=\"ghcr.io\"")
            .json(r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#),
        _ => Response::new(403).json(r#"{"errors":[{"code":"DENIED","message":"denied\n::error title=evil::owned"}]}"#),
    });
    let mut d = d;
    d.env("GHCR_DOCTOR_REGISTRY_URL", &registry.url("/"));
    let run = d.run(&["check", "ghcr.io/acme/app:latest", "--format", "github"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let stop = lines.iter().position(|l| l.starts_with("::stop-commands::")).expect("the log is fenced");
    let token = lines[stop].trim_start_matches("::stop-commands::");
    assert!(token.len() >= 16, "the token is long enough not to be guessed: {token}");
    let resume = lines.iter().position(|l| *l == format!("::{token}::")).expect("commands resume after the log");
    for (i, line) in lines.iter().enumerate() {
        if line.contains("::error title=evil::") {
            assert!(i > stop && i < resume, "line {i} acts as a workflow command:\n{}", run.stdout);
        }
    }
    // Another run uses another token.
    let again = d.run(&["check", "ghcr.io/acme/app:latest", "--format", "github"]);
    assert!(!again.stdout.contains(&format!("::stop-commands::{token}")), "the token is not reused");
}

#[test]
fn a_full_or_closed_stdout_never_panics() {
    let d = Doctor::new();
    for args in [vec!["check", "ghcr.io/acme/app:latest", "--json"], vec!["explain", "missing-scope", "--json"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = d.command(&args).stdin(std::process::Stdio::null()).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write the output") && !stderr.contains("panicked"), "{stderr}");
    }
    // A reader that stops early: the doctor ends quietly.
    let mut child = d
        .command(&["check", "ghcr.io/acme/app:latest", "--lang", "en"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("cannot write"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "no panic exit");
}

#[test]
fn offline_the_plan_starts_with_the_network_and_promises_nothing_that_needs_it() {
    let mut d = Doctor::new();
    // A port nothing listens on: connection refused for the API and the registry.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let url = format!("http://{closed}/");
    d.env("GHCR_DOCTOR_API_URL", &url);
    d.env("GHCR_DOCTOR_REGISTRY_URL", &url);
    let report = d.run(&["check", "ghcr.io/acme/app:latest", "--json"]).json();
    assert_eq!(report["root_cause"], "network", "{report:#}");
    assert_eq!(report["next_steps"], serde_json::json!(["curl -sI https://ghcr.io/v2/", "ghcr-doctor check"]));
}

#[test]
fn fix_yes_keeps_the_old_login_when_the_new_one_fails() {
    let d = Doctor::new();
    d.docker_plaintext_login("octocat", ghcr_doctor_testkit::fixtures::GHP_EXPIRED);
    let before = std::fs::read(d.docker_config_path()).unwrap();
    // The fake docker answers `login` with a failure (no network, say): logging out first would
    // have left `auths` empty.
    let run = d.run(&["fix", "--yes", "ghcr.io/acme/app:latest", "--lang", "en"]);
    assert_eq!(std::fs::read(d.docker_config_path()).unwrap(), before, "config.json is as it was:\n{}", run.stdout);
    let ran: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("$ ")).collect();
    assert!(ran.iter().any(|l| l.contains("docker login")), "the login was tried: {ran:?}");
    assert!(!ran.iter().any(|l| l.contains("docker logout")), "no logout before a login that replaces it: {ran:?}");
    assert!(run.stdout.contains("is back as it was before `fix`"), "{}", run.stdout);
    assert!(d.docker_config_path().with_extension("json.ghcr-doctor-backup").is_file(), "a backup was kept");
    assert_eq!(run.code, 1, "the problem is still there and fix says so");
}

#[test]
fn a_docker_config_path_that_is_not_utf8_is_read_where_docker_reads_it() {
    use std::os::unix::ffi::OsStrExt;
    let d = Doctor::new();
    let dir = d.home.path().join(std::ffi::OsStr::from_bytes(b"docker-\xff"));
    std::fs::create_dir_all(&dir).unwrap();
    let auth = ghcr_doctor_testkit::http::base64_encode(
        format!("octocat:{}", ghcr_doctor_testkit::fixtures::GHO_OCTOCAT).as_bytes(),
    );
    std::fs::write(dir.join("config.json"), format!(r#"{{"auths":{{"ghcr.io":{{"auth":"{auth}"}}}}}}"#)).unwrap();
    let out = d
        .command(&["check", "ghcr.io/acme/app:latest", "--json"])
        .env("DOCKER_CONFIG", dir.as_os_str())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let report = crate::harness::parse_output_json(&out.stdout);
    let creds = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "docker-credentials").unwrap().clone();
    assert_eq!(creds["evidence"]["username"], "octocat", "the file under the non-UTF-8 path was read: {creds:#}");
}

#[test]
fn a_body_trickling_past_the_timeout_is_a_timeout_not_a_network_failure() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let head = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nWWW-Authenticate: Bearer realm=\"/token\",service=\"ghcr.io\"\r\nContent-Length: 100000\r\n\r\n";
                let _ = stream.write_all(head.as_bytes());
                for _ in 0..100 {
                    if stream.write_all(b" ").is_err() {
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(300));
                }
            });
        }
    });
    let mut d = Doctor::new();
    d.env("GHCR_DOCTOR_REGISTRY_URL", &format!("http://{addr}/"));
    let (_, out, _, took) = run_bounded(
        &d,
        &["check", "ghcr.io/acme/app:latest", "--json", "--timeout", "2"],
        std::time::Duration::from_secs(40),
    );
    let report = crate::harness::parse_output_json(out.as_bytes());
    let host = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "github-host").unwrap().clone();
    assert_eq!(host["cause"], "timeout", "{host:#}");
    assert!(took < std::time::Duration::from_secs(20), "took {took:?}");
}
