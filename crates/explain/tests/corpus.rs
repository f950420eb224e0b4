//! Accuracy over the labelled corpus in `tests/corpus/`: each file opens with `# expect: CAUSE`
//! (or `unknown`), optionally `# also: CAUSE, CAUSE` (must be among the matches) and
//! `# image: REF` (the image that must be found), then `# source: ...`, then the transcript.
//! Prints `corpus: N transcripts, top-1 accuracy X%` and one line per miss; fails below 95%.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

use std::fs;
use std::path::{Path, PathBuf};

use ghcr_doctor_explain::{Explanation, explain_reader, explain_str};

const MIN_TRANSCRIPTS: usize = 90;
const MIN_ACCURACY: f64 = 95.0;

struct Transcript {
    name: String,
    expect: String,
    also: Vec<String>,
    image: Option<String>,
    source: String,
    body: Vec<u8>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn load(path: &Path) -> Transcript {
    let bytes = fs::read(path).unwrap();
    let mut transcript = Transcript {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        expect: String::new(),
        also: Vec::new(),
        image: None,
        source: String::new(),
        body: Vec::new(),
    };
    let mut rest: &[u8] = &bytes;
    loop {
        let end = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |p| p + 1);
        let line = String::from_utf8_lossy(&rest[..end]);
        let line = line.trim_end_matches(['\r', '\n']);
        let Some((key, value)) = line.strip_prefix("# ").and_then(|l| l.split_once(": ")) else { break };
        match key {
            "expect" => transcript.expect = value.trim().to_string(),
            "also" => transcript.also = value.split(',').map(|s| s.trim().to_string()).collect(),
            "image" => transcript.image = Some(value.trim().to_string()),
            "source" => transcript.source = value.trim().to_string(),
            _ => break,
        }
        rest = &rest[end..];
    }
    transcript.body = rest.to_vec();
    transcript
}

fn load_all() -> Vec<Transcript> {
    let mut paths: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load(p)).collect()
}

/// Why the explanation does not meet the transcript's labels, if it does not.
fn problems(t: &Transcript, got: &Explanation) -> Vec<String> {
    let mut problems = Vec::new();
    let top = got.top().map_or("unknown", |m| m.cause.as_str());
    if top != t.expect {
        let all: Vec<String> = got.matches.iter().map(|m| format!("{}({})", m.cause, m.confidence.as_str())).collect();
        problems.push(format!("expected {}, got {} [{}]", t.expect, top, all.join(", ")));
    }
    for also in &t.also {
        if !got.matches.iter().any(|m| m.cause.as_str() == also) {
            problems.push(format!("{also} not among the matches"));
        }
    }
    if t.image.is_some() && got.image != t.image {
        problems.push(format!("image: expected {:?}, got {:?}", t.image, got.image));
    }
    problems
}

#[test]
fn corpus_top1_accuracy() {
    let transcripts = load_all();
    let mut correct = 0;
    let mut misses = Vec::new();
    for t in &transcripts {
        assert!(!t.expect.is_empty(), "{}: no `# expect:` header", t.name);
        assert!(!t.source.is_empty(), "{}: no `# source:` header", t.name);
        let got = explain_reader(&t.body[..]).unwrap();
        let same = explain_str(&String::from_utf8_lossy(&t.body));
        assert_eq!(got, same, "{}: explain_reader and explain_str disagree", t.name);
        let problems = problems(t, &got);
        if problems.is_empty() {
            correct += 1;
        } else {
            misses.push(format!("  miss {}: {}", t.name, problems.join("; ")));
        }
    }
    let n = transcripts.len();
    let accuracy = 100.0 * correct as f64 / n.max(1) as f64;
    println!("corpus: {n} transcripts, top-1 accuracy {accuracy:.1}%");
    for miss in &misses {
        println!("{miss}");
    }
    assert!(n >= MIN_TRANSCRIPTS, "corpus has {n} transcripts, want at least {MIN_TRANSCRIPTS}");
    assert!(accuracy >= MIN_ACCURACY, "top-1 accuracy {accuracy:.1}% is below {MIN_ACCURACY}%");
}

#[test]
fn corpus_covers_every_cause_the_issue_names() {
    let transcripts = load_all();
    let labelled: std::collections::BTreeSet<&str> = transcripts.iter().map(|t| t.expect.as_str()).collect();
    for cause in [
        "missing-scope",
        "no-write-access",
        "actions-token-no-access",
        "classic-pat-forbidden",
        "fine-grained-pat",
        "stale-credentials",
        "token-invalid",
        "no-credentials",
        "no-package-access",
        "sso-not-authorized",
        "oauth-app-restricted",
        "tag-not-found",
        "rate-limited",
        "invalid-reference",
        "non-tty-login",
        "daemon-unreachable",
        "daemon-permission",
        "credential-helper-missing",
        "network",
        "timeout",
        "registry-token-expired",
        "gitlab-access-forbidden",
        "unknown",
    ] {
        assert!(labelled.contains(cause), "no transcript expects {cause}");
    }
    assert!(transcripts.iter().filter(|t| t.expect == "unknown").count() >= 4, "want a handful of unknown texts");
    assert!(transcripts.iter().any(|t| t.body.windows(2).any(|w| w == b"\r\n")), "want CRLF transcripts");
    assert!(transcripts.iter().any(|t| t.body.contains(&0x1b)), "want ANSI transcripts");
}
