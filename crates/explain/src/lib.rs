//! `ghcr-doctor explain`, the library: turns pasted error text (one message or a whole CI log of
//! any size, in UTF-8 or UTF-16) into the registry and image it mentions and the ranked cause ids
//! behind it, offline.
//!
//! - [`explain_str`] / [`explain_bytes`] / [`explain_reader`] (streams: chunked reads, any line
//!   length, lines split on `\n`, `\r\n` and lone `\r`, invalid UTF-8 tolerated; the same answer
//!   however the input is cut);
//! - [`Explanation`] serializes to the `explain --json` shape (`schema_version` 1); the evidence
//!   it quotes has token-shaped strings masked (`ghcr_doctor_checks::redact`, the one redaction);
//! - [`RULES`] is the pattern table, one row per documented rendering, with its source.
//!
//! Matching reads the line's structure, not only its words: the registry's error message, the
//! HTTP method, endpoint and status, the client's framing (a tiered error chain), and what the
//! rest of the log showed (a `Login Succeeded`, a push, an Actions job and its token
//! permissions, a GitLab registry). A gate prefilter keeps large logs about as fast as `grep`.

mod clean;
mod decode;
mod gate;
mod image;
mod rules;
mod scan;
mod shape;

use std::io::{self, Read};

use ghcr_doctor_checks::{CauseId, CheckId};
use serde::Serialize;

pub use clean::clean_line;
pub use rules::{Pattern, RULES, Rule, Signal, Tier};
pub use scan::{EVIDENCE_LIMIT, OVERLAP, Scanner, WINDOW};
pub use shape::{LookupHost, Method, PathKind, Shape};

/// The JSON schema version of [`Explanation`].
pub const SCHEMA_VERSION: u32 = 1;

/// How sure a match is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The message names this cause (or the log's context pins it).
    High,
    /// One of a few causes that produce this message.
    Medium,
    /// Possible, but other causes are more likely.
    Low,
}

impl Confidence {
    /// 3 for high, 2 for medium, 1 for low: bigger is surer.
    pub fn weight(self) -> u8 {
        match self {
            Confidence::High => 3,
            Confidence::Medium => 2,
            Confidence::Low => 1,
        }
    }

    /// `high`, `medium`, `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// One cause the text points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Match {
    pub cause: CauseId,
    pub confidence: Confidence,
    /// The cleaned line that matched (a window of about [`EVIDENCE_LIMIT`] bytes when long).
    pub evidence: String,
    /// 1-based line number in the input.
    pub line_number: usize,
    /// The name of the [`Rule`] that matched (not part of the JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub rule: &'static str,
}

/// What the text says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The registry host found (`ghcr.io`, `containers.HOST`, `127.0.0.1:5555`).
    pub registry: Option<String>,
    /// The image found (`ghcr.io/acme/app:1.2`), preferring the one on the best match's line.
    pub image: Option<String>,
    /// The image's owner (`acme`).
    pub owner: Option<String>,
    /// Causes, best first: highest confidence, then most specific rule, then first occurrence;
    /// one entry per cause. Empty = unknown.
    pub matches: Vec<Match>,
    /// The best match's message is produced by several causes (all listed in `matches`).
    pub ambiguous: bool,
    /// When ambiguous: the live check (`ghcr-doctor check IMAGE`) that tells them apart.
    pub distinguishing_check: Option<CheckId>,
}

impl Explanation {
    /// The best match, if any.
    pub fn top(&self) -> Option<&Match> {
        self.matches.first()
    }

    /// Whether anything matched (the CLI exits 0 when it did, 1 when not).
    pub fn is_known(&self) -> bool {
        !self.matches.is_empty()
    }

    /// The library's part of the `explain --json` object.
    pub fn to_json(&self) -> ExplanationJson {
        ExplanationJson {
            schema_version: SCHEMA_VERSION,
            registry: self.registry.clone(),
            image: self.image.clone(),
            owner: self.owner.clone(),
            matches: self.matches.clone(),
            ambiguous: self.ambiguous,
            distinguishing_check: self.distinguishing_check,
        }
    }
}

/// What the text says, as the `explain --json` object has it (the CLI adds the texts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ExplanationJson {
    /// The version of this shape; changes are additive.
    pub schema_version: u32,
    /// The registry host found, e.g. `ghcr.io`.
    pub registry: Option<String>,
    /// The image found, e.g. `ghcr.io/acme/app:1.2`.
    pub image: Option<String>,
    /// The image's owner.
    pub owner: Option<String>,
    /// Causes, best first; empty when nothing is recognised.
    pub matches: Vec<Match>,
    /// The best match's message is produced by several causes (all in `matches`).
    pub ambiguous: bool,
    /// When ambiguous: the live check that tells the causes apart.
    pub distinguishing_check: Option<CheckId>,
}

/// Explains text held in memory.
pub fn explain_str(text: &str) -> Explanation {
    explain_bytes(text.as_bytes())
}

/// Explains bytes held in memory (UTF-8, UTF-16 with or without a byte-order mark, or anything).
pub fn explain_bytes(bytes: &[u8]) -> Explanation {
    let mut scanner = Scanner::new();
    for chunk in bytes.chunks(READ_CHUNK) {
        scanner.feed(chunk);
    }
    scanner.finish()
}

/// Size of the chunks read from the reader.
const READ_CHUNK: usize = 64 * 1024;

/// Explains text read from `reader` (e.g. stdin), streaming: memory stays bounded by the chunk
/// size plus a window of the current line, whatever the input size or line length.
pub fn explain_reader(mut reader: impl Read) -> io::Result<Explanation> {
    let mut scanner = Scanner::new();
    let mut chunk = vec![0u8; READ_CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        scanner.feed(&chunk[..n]);
    }
    Ok(scanner.finish())
}
