//! The real-transcript corpus in `tests/real/{dev,heldout}`: loading (the `# KEY: value` header
//! block of tests/real/README.md, UTF-16 files decoded for the header and re-encoded for the
//! body, so `explain` sees the bytes PowerShell wrote) and scoring (top-1, top-3, silent share).
//! Shared by `tests/real.rs` and `benches/explain.rs` through `#[path]`.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// One labelled transcript.
pub struct Transcript {
    pub name: String,
    pub expect: String,
    pub also: Vec<String>,
    pub image: Option<String>,
    pub client: String,
    pub source: String,
    /// The transcript as `explain` gets it: in the file's own encoding, header removed.
    pub body: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

fn decode(bytes: &[u8]) -> (Encoding, String) {
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| if le { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xff, 0xfe, rest @ ..] => (Encoding::Utf16Le, utf16(rest, true)),
        [0xfe, 0xff, rest @ ..] => (Encoding::Utf16Be, utf16(rest, false)),
        _ => (Encoding::Utf8, String::from_utf8_lossy(bytes).into_owned()),
    }
}

fn encode(encoding: Encoding, text: &str) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf16Le => [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        Encoding::Utf16Be => [0xfe, 0xff].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
    }
}

const KEYS: &[&str] = &["expect", "also", "image", "client", "source", "note"];

/// Parses one corpus file.
pub fn parse(name: &str, bytes: &[u8]) -> Transcript {
    let (encoding, text) = decode(bytes);
    let mut t = Transcript {
        name: name.to_string(),
        expect: String::new(),
        also: Vec::new(),
        image: None,
        client: String::new(),
        source: String::new(),
        body: Vec::new(),
    };
    let mut offset = 0;
    while offset < text.len() {
        let rest = &text[offset..];
        let end = rest.find('\n').map_or(rest.len(), |p| p + 1);
        let line = rest[..end].trim_end_matches(['\r', '\n']);
        let Some((key, value)) = line.strip_prefix("# ").and_then(|l| l.split_once(": ")) else { break };
        if !KEYS.contains(&key) {
            break;
        }
        let value = value.trim().to_string();
        match key {
            "expect" => t.expect = value,
            "also" => t.also = value.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            "image" => t.image = Some(value),
            "client" => t.client = value,
            "source" => t.source = value,
            _ => {}
        }
        offset += end;
    }
    t.body = match encoding {
        Encoding::Utf8 => bytes[offset..].to_vec(),
        other => encode(other, &text[offset..]),
    };
    t
}

/// The directory of one part (`dev`, `heldout`).
pub fn part_dir(part: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real").join(part)
}

/// Every transcript of one part, by file name.
pub fn load_part(part: &str) -> Vec<Transcript> {
    let mut paths: Vec<PathBuf> = fs::read_dir(part_dir(part))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse(&p.file_name().unwrap().to_string_lossy(), &fs::read(p).unwrap())).collect()
}

/// What `explain` said about one transcript, as cause ids (best first).
pub struct Verdict {
    pub causes: Vec<String>,
}

impl Verdict {
    pub fn top(&self) -> &str {
        self.causes.first().map_or("unknown", String::as_str)
    }
}

/// The scores of one part.
#[derive(Default)]
pub struct Score {
    pub total: usize,
    pub top1: usize,
    pub top3: usize,
    /// Transcripts with a known cause that got "No known cause".
    pub silent: usize,
    /// Transcripts with a known cause.
    pub known: usize,
    /// Top answer is the label or one of its `# also:` ids.
    pub lenient: usize,
}

fn pct(n: usize, d: usize) -> f64 {
    100.0 * n as f64 / d.max(1) as f64
}

impl Score {
    pub fn add(&mut self, t: &Transcript, v: &Verdict) -> bool {
        self.total += 1;
        let right = v.top() == t.expect;
        if t.expect == "unknown" {
            if right {
                self.top1 += 1;
                self.top3 += 1;
                self.lenient += 1;
            }
            return right;
        }
        self.known += 1;
        if right {
            self.top1 += 1;
        }
        if right || t.also.iter().any(|a| a == v.top()) {
            self.lenient += 1;
        }
        if v.causes.iter().take(3).any(|c| *c == t.expect) {
            self.top3 += 1;
        }
        if v.causes.is_empty() {
            self.silent += 1;
        }
        right
    }

    pub fn top1_pct(&self) -> f64 {
        pct(self.top1, self.total)
    }
    pub fn top3_pct(&self) -> f64 {
        pct(self.top3, self.total)
    }
    /// Share of the transcripts with a known cause that got none.
    pub fn silent_pct(&self) -> f64 {
        pct(self.silent, self.known)
    }
    pub fn lenient_pct(&self) -> f64 {
        pct(self.lenient, self.total)
    }

    pub fn line(&self, part: &str) -> String {
        format!(
            "{part}: {} transcripts, top-1 {:.1}% ({}), top-3 {:.1}% ({}), silent {:.1}% ({} of {}), top-1 incl. `# also:` {:.1}%",
            self.total,
            self.top1_pct(),
            self.top1,
            self.top3_pct(),
            self.top3,
            self.silent_pct(),
            self.silent,
            self.known,
            self.lenient_pct()
        )
    }
}
