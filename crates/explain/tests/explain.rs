//! Behaviour of the public API beyond the corpus: the JSON shape, ranking and ambiguity, line
//! numbers, streaming across chunk boundaries, huge lines, invalid UTF-8, a 50 MB log, and
//! (proptest) that no input panics.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

use std::io::{self, Read};

use ghcr_doctor_checks::{CauseId, CheckId};
use ghcr_doctor_explain::{Confidence, WINDOW, explain_bytes, explain_reader, explain_str};
use proptest::prelude::*;

/// A reader that hands out at most `step` bytes per call, to cut lines at every possible place.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The library's part of `explain --json`, as JSON.
fn json_of(e: &ghcr_doctor_explain::Explanation) -> serde_json::Value {
    serde_json::to_value(e.to_json()).unwrap()
}

#[test]
fn json_has_the_documented_shape() {
    let e = explain_str(
        "$ docker pull ghcr.io/acme/app:1.2\nError response from daemon: pull access denied for ghcr.io/acme/app, \
         repository does not exist or may require 'docker login': denied: permission_denied: The token provided does \
         not match expected scopes.\n",
    );
    let json = json_of(&e);
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["registry"], "ghcr.io");
    assert_eq!(json["image"], "ghcr.io/acme/app:1.2");
    assert_eq!(json["owner"], "acme");
    assert_eq!(json["matches"][0]["cause"], "missing-scope");
    assert_eq!(json["matches"][0]["confidence"], "high");
    assert_eq!(json["matches"][0]["line_number"], 2);
    assert!(json["matches"][0]["evidence"].as_str().unwrap().starts_with("Error response from daemon: pull access"));
    assert_eq!(json["matches"][1]["cause"], "fine-grained-pat");
    assert_eq!(json["matches"][1]["confidence"], "medium");
    assert_eq!(json["ambiguous"], true);
    assert_eq!(json["distinguishing_check"], "token-scopes");
    assert!(json["matches"][0].get("rule").is_none(), "the rule name is not part of the JSON");
}

#[test]
fn unknown_text_matches_nothing() {
    for text in ["", "\n\n", "hello world", "Error: Process completed with exit code 1.", "Login Succeeded"] {
        let e = explain_str(text);
        assert!(e.matches.is_empty(), "{text:?} matched {:?}", e.matches);
        assert!(!e.is_known());
        assert!(!e.ambiguous);
        assert_eq!(e.distinguishing_check, None);
        assert_eq!(json_of(&e)["matches"], serde_json::json!([]));
    }
}

#[test]
fn denied_denied_is_ambiguous_and_names_the_registry_access_check() {
    let e =
        explain_str(r#"Error response from daemon: Head "https://ghcr.io/v2/acme/app/manifests/1.2": denied: denied"#);
    let causes: Vec<CauseId> = e.matches.iter().map(|m| m.cause).collect();
    assert_eq!(causes, [CauseId::StaleCredentials, CauseId::NoPackageAccess]);
    assert!(e.matches.iter().all(|m| m.confidence == Confidence::Medium));
    assert!(e.ambiguous);
    assert_eq!(e.distinguishing_check, Some(CheckId::RegistryAccess));
    assert_eq!(e.image.as_deref(), Some("ghcr.io/acme/app:1.2"));
}

#[test]
fn ranking_prefers_confidence_then_specificity_then_first_line() {
    // A high-confidence cause on a later line beats a medium one on an earlier line.
    let e = explain_str("Error response from daemon: denied\nmanifest unknown\n");
    assert_eq!(e.top().unwrap().cause, CauseId::TagNotFound);
    assert_eq!(e.top().unwrap().line_number, 2);
    // One entry per cause, the first occurrence kept.
    let e = explain_str("manifest unknown\nmanifest unknown\nmanifest unknown\n");
    assert_eq!(e.matches.len(), 1);
    assert_eq!(e.matches[0].line_number, 1);
}

#[test]
fn the_most_specific_rule_speaks_for_a_line() {
    // `pull access denied` alone is a weak hint; the scope message on the same line decides.
    let e = explain_str(
        "Error response from daemon: pull access denied for ghcr.io/acme/base, repository does not exist or may \
         require 'docker login': denied: installation not allowed to Read organization package",
    );
    assert_eq!(e.matches.len(), 1);
    assert_eq!(e.matches[0].cause, CauseId::ActionsTokenNoAccess);
    assert!(!e.ambiguous);
}

#[test]
fn context_earlier_in_the_log_sharpens_a_generic_message() {
    let bare = "unauthorized: authentication required";
    assert_eq!(explain_str(bare).top().unwrap().cause, CauseId::NoCredentials);
    let pushed = format!("The push refers to repository [registry.gitlab.com/g/p]\nabc123: Pushed\n{bare}");
    let top = explain_str(&pushed).matches[0].clone();
    assert_eq!((top.cause, top.confidence), (CauseId::RegistryTokenExpired, Confidence::High));
    let after_login = "Login Succeeded\nError response from daemon: denied";
    let top = explain_str(after_login).matches[0].clone();
    assert_eq!((top.cause, top.confidence), (CauseId::NoPackageAccess, Confidence::High));
}

#[test]
fn actions_decorations_ansi_and_crlf_are_cleaned_from_evidence() {
    let log = "2024-05-01T10:00:00.1234567Z ##[group]Run docker push\r\n\
               2024-05-01T10:00:01.1234567Z \x1b[31;1m##[error]denied: permission_denied: write_package\x1b[0m\r\n";
    let e = explain_str(log);
    let m = &e.matches[0];
    // `##[group]` makes it an Actions job: the workflow's token, not a person, was refused.
    assert_eq!(m.cause, CauseId::ActionsTokenNoAccess);
    assert_eq!(m.evidence, "denied: permission_denied: write_package");
    assert_eq!(m.line_number, 2);
}

#[test]
fn image_comes_from_urls_and_token_scopes() {
    let e = explain_str(
        "Error: GET https://ghcr.io/token?scope=repository%3Aacme%2Ftools%2Fcli%3Apull&service=ghcr.io: DENIED: denied",
    );
    assert_eq!(e.image.as_deref(), Some("ghcr.io/acme/tools/cli"));
    assert_eq!(e.owner.as_deref(), Some("acme"));
    let e = explain_str(r#"Error response from daemon: Get "https://containers.ghe.example.com/v2/": denied: denied"#);
    assert_eq!(e.registry.as_deref(), Some("containers.ghe.example.com"));
    assert_eq!(e.image, None);
}

#[test]
fn evidence_is_capped_and_keeps_the_match() {
    let line = format!("{} toomanyrequests: retry-after: 1s {}", "x".repeat(3000), "y".repeat(3000));
    let e = explain_str(&line);
    let evidence = &e.matches[0].evidence;
    assert!(evidence.len() <= 310, "{} bytes", evidence.len());
    assert!(evidence.contains("toomanyrequests"));
}

#[test]
fn text_anywhere_in_an_absurdly_long_line_is_found() {
    let early = format!("manifest unknown {}\n", "z".repeat(5_000_000));
    assert_eq!(explain_reader(early.as_bytes()).unwrap().top().unwrap().cause, CauseId::TagNotFound);
    // An error 10 MB into a 20 MB line, in a window boundary's neighbourhood or not.
    for offset in [10_000_000, WINDOW - 5, 3 * WINDOW - 1000, WINDOW * 7] {
        let mut line = "x".repeat(offset);
        line.push_str(" denied: permission_denied: write_package ");
        line.push_str(&"y".repeat(20_000_000 - offset));
        line.push_str("\nnext line\n");
        let e = explain_reader(line.as_bytes()).unwrap();
        assert_eq!(e.top().map(|m| m.cause), Some(CauseId::NoWriteAccess), "offset {offset}");
        assert_eq!(e.top().unwrap().line_number, 1);
        assert!(e.top().unwrap().evidence.contains("write_package"));
        assert_eq!(e, explain_str(&line), "offset {offset}");
    }
}

#[test]
fn invalid_utf8_is_tolerated() {
    let mut bytes = b"\xff\xfe garbage \xc3\x28\nError response from daemon: \xe2\x82 manifest unknown\n".to_vec();
    bytes.extend_from_slice(b"\x80\x80\x80");
    let e = explain_reader(&bytes[..]).unwrap();
    assert_eq!(e.top().unwrap().cause, CauseId::TagNotFound);
    assert_eq!(e.top().unwrap().line_number, 2);
}

#[test]
fn reader_and_str_agree_whatever_the_chunking() {
    let log = "2024-05-01T10:00:00.1234567Z Login Succeeded\r\n\
               $ docker pull ghcr.io/acme/app:1.2\r\n\
               Error response from daemon: pull access denied for ghcr.io/acme/app, repository does not exist or may \
               require 'docker login': denied: requested access to the resource is denied\r\n\
               trailing line without newline";
    let expected = explain_str(log);
    for step in [1, 2, 3, 7, 64, 4096] {
        let got = explain_reader(Trickle { data: log.as_bytes(), step }).unwrap();
        assert_eq!(got, expected, "step {step}");
    }
    assert_eq!(expected.top().unwrap().cause, CauseId::NoPackageAccess);
    assert_eq!(expected.top().unwrap().line_number, 3);
}

/// About 50 MB of realistic CI noise with one error near the end.
fn big_log() -> (Vec<u8>, usize) {
    const TARGET: usize = 50 * 1024 * 1024;
    let noise = [
        "2024-05-01T10:00:00.1234567Z #12 [build 4/9] RUN cargo build --release --locked",
        "2024-05-01T10:00:00.1234567Z #12 12.34    Compiling serde_json v1.0.140",
        "2024-05-01T10:00:00.1234567Z \x1b[36;1m##[group]Run actions/cache@v4\x1b[0m",
        "2024-05-01T10:00:00.1234567Z 5bf90f44bb0d: Downloading [=====>        ]  12.3MB/45.6MB",
        "2024-05-01T10:00:00.1234567Z npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory",
        "2024-05-01T10:00:00.1234567Z Error: this is a test-suite error about a user record that was denied by a mock",
        "2024-05-01T10:00:00.1234567Z test registry::tests::pull_from_ghcr_io_works ... ok",
        "2024-05-01T10:00:00.1234567Z warning: unused variable: `token` --> src/auth.rs:42:9",
    ];
    let mut log = Vec::with_capacity(TARGET + 4096);
    let mut lines = 0;
    while log.len() < TARGET {
        log.extend_from_slice(noise[lines % noise.len()].as_bytes());
        log.extend_from_slice(b"\r\n");
        lines += 1;
        if lines == 200_000 {
            log.extend_from_slice(b"2024-05-01T10:00:00.1234567Z $ docker push ghcr.io/acme/huge:9.9\n");
            lines += 1;
        }
    }
    log.extend_from_slice(b"2024-05-01T10:00:00.1234567Z ##[error]denied: permission_denied: write_package\n");
    lines += 1;
    log.extend_from_slice(b"2024-05-01T10:00:00.1234567Z ##[error]Process completed with exit code 1.\n");
    (log, lines)
}

#[test]
fn a_50_mb_log_streams_through_explain_reader() {
    let (log, error_line) = big_log();
    assert!(log.len() >= 50 * 1024 * 1024);
    let started = std::time::Instant::now();
    let e = explain_reader(&log[..]).unwrap();
    eprintln!("50 MB log: {:?} ({} bytes)", started.elapsed(), log.len());
    let causes: Vec<CauseId> = e.matches.iter().map(|m| m.cause).collect();
    // An Actions log: the job's token first, a person's missing Write role second.
    assert_eq!(causes, [CauseId::ActionsTokenNoAccess, CauseId::NoWriteAccess, CauseId::MissingPackagesPermission]);
    assert!(e.matches.iter().all(|m| m.line_number == error_line), "{:?}", e.matches);
    assert_eq!(e.image.as_deref(), Some("ghcr.io/acme/huge:9.9"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), step in 1usize..100) {
        let e = explain_reader(Trickle { data: &bytes, step }).unwrap();
        prop_assert!(e.matches.iter().all(|m| m.evidence.len() <= 310 && m.line_number >= 1));
        let _ = json_of(&e);
    }

    #[test]
    fn log_like_text_never_panics_and_both_entry_points_agree(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just("ghcr.io/".to_string()),
                Just("https://ghcr.io/v2/".to_string()),
                Just("/manifests/".to_string()),
                Just("token?scope=repository%3A".to_string()),
                Just("%2".to_string()),
                Just("containers.".to_string()),
                Just("127.0.0.1:".to_string()),
                Just("denied: denied".to_string()),
                Just("\": unauthorized".to_string()),
                Just("manifest unknown".to_string()),
                Just("\x1b[31m".to_string()),
                Just("##[error]".to_string()),
                Just("2024-05-01T10:00:00.1234567Z ".to_string()),
                Just("\r\n".to_string()),
                Just("\n".to_string()),
                Just("@sha256:".to_string()),
                "[a-zA-Z0-9:/@._\\-\"' ]{0,12}",
                "\\PC{0,6}",
            ],
            0..60,
        ),
        step in 1usize..50,
    ) {
        let text: String = pieces.concat();
        let from_str = explain_str(&text);
        let from_reader = explain_reader(Trickle { data: text.as_bytes(), step }).unwrap();
        prop_assert_eq!(from_str, from_reader);
    }

    #[test]
    fn huge_lines_never_panic(len in 0usize..200_000, fill in any::<u8>(), tail in "\\PC{0,40}") {
        let mut bytes = vec![fill; len];
        bytes.extend_from_slice(tail.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(b"manifest unknown");
        let e = explain_reader(&bytes[..]).unwrap();
        prop_assert!(e.matches.iter().any(|m| m.cause == CauseId::TagNotFound));
    }
}

#[test]
fn utf16_cr_only_and_nul_padded_logs_are_read() {
    let log = "PS C:\\> docker pull ghcr.io/acme/app:1.2\r\nError response from daemon: manifest unknown\r\n";
    let mut le = vec![0xff, 0xfe];
    le.extend(log.encode_utf16().flat_map(u16::to_le_bytes));
    let be: Vec<u8> = log.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let cr_only = log.replace("\r\n", "\r");
    let nul: Vec<u8> = log.bytes().flat_map(|b| [b, 0]).collect();
    for (shape, bytes) in [("utf-16le", le), ("utf-16be without bom", be), ("cr", cr_only.into_bytes()), ("nul", nul)] {
        let e = explain_bytes(&bytes);
        assert_eq!(e.top().map(|m| (m.cause, m.line_number)), Some((CauseId::TagNotFound, 2)), "{shape}");
        assert_eq!(e.image.as_deref(), Some("ghcr.io/acme/app:1.2"), "{shape}");
        for step in [1, 3, 4096] {
            assert_eq!(explain_reader(Trickle { data: &bytes, step }).unwrap(), e, "{shape} step {step}");
        }
    }
}

#[test]
fn tokens_on_a_quoted_line_are_masked_in_the_evidence_and_the_json() {
    let token = "ghp_FAKEexplainQuotedClassicPat000000004";
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMH0.c2lnbmF0dXJlLWJ5dGVz";
    let log = format!(
        "+ echo {token} | docker login ghcr.io -u alice --password-stdin\n\
         Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied (token {token}, bearer {jwt})\n"
    );
    let e = explain_str(&log);
    assert_eq!(e.top().unwrap().cause, CauseId::TokenInvalid);
    let json = serde_json::to_string(&e.to_json()).unwrap();
    assert!(!json.contains("16C7e42F") && !json.contains("eyJzdWIi"), "{json}");
    assert!(e.top().unwrap().evidence.contains("ghp_****") && e.top().unwrap().evidence.contains("eyJ****"));
}

/// Renderings the corpus does not hold, written from the clients' own wording: each must point at
/// its cause first (or stay silent when it reports no failure).
#[test]
fn common_renderings_of_each_cause() {
    let cases: &[(&str, Option<CauseId>)] = &[
        (
            "HEAD https://ghcr.io/v2/acme/app/manifests/latest: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)",
            Some(CauseId::NoCredentials),
        ),
        (
            "failed to resolve reference \"ghcr.io/acme/app:1\": pulling from host ghcr.io failed with status code [manifests 1]: 401 Unauthorized",
            Some(CauseId::NoCredentials),
        ),
        (
            "Error: initializing source docker://ghcr.io/acme/app:latest: reading manifest latest in ghcr.io/acme/app: unauthorized",
            Some(CauseId::NoCredentials),
        ),
        (
            "docker.credentials.errors.StoreError: Credentials store docker-credential-desktop exited with \"No stored credential for https://index.docker.io/v1/\".",
            Some(CauseId::NoCredentials),
        ),
        (
            "ERROR: failed to solve: ghcr.io/acme/app:1: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://ghcr.io/token: 403 Forbidden",
            Some(CauseId::StaleCredentials),
        ),
        ("Error: logging into \"ghcr.io\": invalid username/password", Some(CauseId::TokenInvalid)),
        (
            "Error response from daemon: Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password",
            Some(CauseId::TokenInvalid),
        ),
        (
            "Error saving credentials: error storing credentials - err: exit status 1, out: `The specified item already exists in the keychain.`",
            Some(CauseId::CredentialHelperError),
        ),
        (
            "Error calling StartServiceByName for org.freedesktop.secrets: Timeout was reached",
            Some(CauseId::CredentialHelperError),
        ),
        (
            "error getting credentials - err: exec: \"docker-credential-gcloud\": executable file not found in $PATH, out: ``",
            Some(CauseId::CredentialHelperMissing),
        ),
        ("TOOMANYREQUESTS: Too Many Requests (HAP429).", Some(CauseId::RateLimited)),
        (
            "Error response from daemon: unknown: <html><head><title>503 Service Temporarily Unavailable</title></head></html>",
            Some(CauseId::RegistryUnavailable),
        ),
        (
            "error parsing HTTP 502 response body: invalid character '<' looking for beginning of value: \"<html>502 Bad Gateway</html>\"",
            Some(CauseId::RegistryUnavailable),
        ),
        (
            "error during connect: In the default daemon configuration on Windows, the docker client must be run with elevated privileges to connect.: Get \"http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/version\": open //./pipe/docker_engine: The system cannot find the file specified.",
            Some(CauseId::DaemonUnreachable),
        ),
        (
            "Get http:///var/run/docker.sock/v1.20/version: dial unix /var/run/docker.sock: permission denied. Are you trying to connect to a TLS-enabled daemon without TLS?",
            Some(CauseId::DaemonPermission),
        ),
        (
            "dial tcp: lookup ghcr.io: getaddrinfow: The requested name is valid, but no data of the requested type was found.",
            Some(CauseId::Network),
        ),
        (
            "Get \"https://ghcr.io/v2/\": dial tcp: lookup ghcr.io on [::1]:53: read udp [::1]:1->[::1]:53: read: connection refused",
            Some(CauseId::Network),
        ),
        ("dial tcp: lookup ghrc.io: no such host", Some(CauseId::HostMismatch)),
        ("Error: ghcr.io/acme/charts/app:1.2.3: not found", Some(CauseId::TagNotFound)),
        ("/bin/sh: 1: docker: not found", Some(CauseId::DockerMissing)),
        (
            "gh: This API operation needs the \"read:packages\" scope. To request it, run:  gh auth refresh -h github.com -s read:packages",
            Some(CauseId::MissingScope),
        ),
        ("Error response from daemon: Get \"https://ghcr.io/v2/\": context deadline exceeded", Some(CauseId::Timeout)),
        (
            "nerdctl login registry.gitlab.com -u user\nFATA[0012] failed to fetch oauth token: unexpected status from GET request to https://gitlab.com/jwt/auth?offline_token=true&service=container_registry: 401 Unauthorized",
            Some(CauseId::GitlabTwoFactorPassword),
        ),
        ("Login Succeeded", None),
        ("WARNING! Using --password via the CLI is insecure. Use --password-stdin.", None),
        ("Status: Downloaded newer image for ghcr.io/acme/app:latest", None),
        (
            "Removing login credentials for https://index.docker.io/v1/\nWARNING: could not erase credentials: error erasing credentials - err: exit status 1, out: `credentials not found in native keychain`",
            None,
        ),
    ];
    for (text, want) in cases {
        assert_eq!(explain_str(text).top().map(|m| m.cause), *want, "{text}");
    }
}

#[test]
fn log_context_decides_among_the_actions_causes() {
    let refused =
        "#12 ERROR: failed to push ghcr.io/acme/app:1: denied: installation not allowed to Write organization package";
    let top = |log: String| explain_str(&log).top().map(|m| m.cause);
    assert_eq!(top(refused.to_string()), Some(CauseId::MissingPackagesPermission));
    let pr = format!("Fetching the repository\n  git fetch +refs/pull/42/merge:refs/remotes/pull/42/merge\n{refused}");
    assert_eq!(top(pr), Some(CauseId::ForkPullRequest));
    let granted = format!("GITHUB_TOKEN Permissions\n  Contents: read\n  Packages: write\n{refused}");
    assert_eq!(top(granted), Some(CauseId::ActionsTokenNoAccess));
    let read_only = format!("permissions:\n  contents: read\n{refused}");
    assert_eq!(top(read_only), Some(CauseId::MissingPackagesPermission));
    let elsewhere = "Logging into ghcr.io...\nLogin Succeeded\nThe push refers to repository [docker.io/acme/app]\n\
                     denied: requested access to the resource is denied";
    assert_eq!(top(elsewhere.to_string()), Some(CauseId::HostMismatch));
}

#[test]
fn a_message_wrapped_onto_the_next_line_is_read_whole() {
    let log = "#12 ERROR: failed to push ghcr.io/acme/app:1: denied: installation not allowed to\n\
               Write organization package\n\
               Error: Process completed with exit code 1.\n";
    let e = explain_str(log);
    assert_eq!(e.top().map(|m| (m.cause, m.line_number)), Some((CauseId::MissingPackagesPermission, 1)));
    assert!(e.top().unwrap().evidence.contains("installation not allowed to Write organization package"));
    for step in [1, 5, 17] {
        assert_eq!(explain_reader(Trickle { data: log.as_bytes(), step }).unwrap(), e, "step {step}");
    }
    // Two unrelated lines do not make a message together.
    let unrelated = "test registry::tests::pull_from_ghcr_io_works ... ok\nError: a user record was denied by a mock\n";
    assert!(explain_str(unrelated).matches.is_empty(), "{:?}", explain_str(unrelated).matches);
}
