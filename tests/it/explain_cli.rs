//! `ghcr-doctor explain` end to end: pasted text, a whole log on stdin, ids, unknown text, the
//! exit codes (0 matched, 1 unknown, 2 usage), and snapshots of the human output in both
//! languages.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::harness::BIN;

fn explain(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.arg("explain").args(args).env_clear().env("PATH", "/nonexistent");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SCOPES: &str = "Error response from daemon: pull access denied for ghcr.io/acme/app, repository does not exist or may require 'docker login': denied: permission_denied: The token provided does not match expected scopes.";
const DENIED: &str = "Error response from daemon: Head \"https://ghcr.io/v2/acme/app/manifests/1.2\": denied: denied";

#[test]
fn a_pasted_message_in_both_languages() {
    for (name, text) in [("scopes", SCOPES), ("denied", DENIED)] {
        for lang in ["en", "ja"] {
            let (code, stdout, _) = explain(&[text, "--lang", lang], None);
            assert_eq!(code, 0);
            insta::assert_snapshot!(format!("explain_{name}_{lang}"), stdout);
        }
    }
}

#[test]
fn json_names_registry_image_and_ranked_causes() {
    let (code, stdout, _) = explain(&[SCOPES, "--json"], None);
    assert_eq!(code, 0);
    let v = crate::harness::parse_output_json(stdout.as_bytes());
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["registry"], "ghcr.io");
    assert_eq!(v["matches"][0]["cause"], "missing-scope");
    assert_eq!(v["matches"][0]["confidence"], "high");
    assert_eq!(v["explanations"][0]["commands"][0], "gh auth refresh -h github.com -s read:packages");
    let (_, stdout, _) = explain(&[DENIED, "--json"], None);
    let v = crate::harness::parse_output_json(stdout.as_bytes());
    assert_eq!(v["ambiguous"], true);
    assert_eq!(v["image"], "ghcr.io/acme/app:1.2");
    assert_eq!(v["suggestion"], "ghcr-doctor check ghcr.io/acme/app:1.2");
}

#[test]
fn unknown_text_is_honest_and_exits_1() {
    let (code, stdout, _) = explain(&["everything is fine", "--json"], None);
    assert_eq!(code, 1);
    let v = crate::harness::parse_output_json(stdout.as_bytes());
    assert_eq!(v["matches"], serde_json::json!([]));
    let (code, stdout, _) = explain(&["everything is fine", "--lang", "ja"], None);
    assert_eq!(code, 1);
    assert!(stdout.contains("既知の原因はありません"), "{stdout}");
}

#[test]
fn a_whole_log_on_stdin_with_noise_crlf_and_invalid_utf8() {
    let mut log = Vec::new();
    for i in 0..20_000 {
        log.extend_from_slice(
            format!("2024-05-01T10:00:00.1234567Z #{i} pulling layer \x1b[32mok\x1b[0m\r\n").as_bytes(),
        );
    }
    log.extend_from_slice(b"\xff\xfe garbage\r\n");
    log.extend_from_slice(b"2024-05-01T10:00:01.0000000Z ##[error]Error response from daemon: manifest unknown\r\n");
    let (code, stdout, _) = explain(&["-", "--json"], Some(&log));
    assert_eq!(code, 0);
    let v = crate::harness::parse_output_json(stdout.as_bytes());
    assert_eq!(v["matches"][0]["cause"], "tag-not-found");
    assert_eq!(v["matches"][0]["line_number"], 20_002);
    let (code, _, _) = explain(&["--stdin", "--json"], Some(b"denied: access forbidden\n"));
    assert_eq!(code, 0);
}

#[test]
fn ids_print_the_reference_text_and_usage_errors_exit_2() {
    let (code, stdout, _) = explain(&["sso-not-authorized", "--lang", "en"], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("sso-not-authorized"), "{stdout}");
    let (code, stdout, _) = explain(&["registry-access", "--lang", "ja"], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("registry-access"), "{stdout}");
    let (code, _, stderr) = explain(&[], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("error"), "{stderr}");
}
