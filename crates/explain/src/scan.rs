//! The streaming scanner. Input bytes are decoded ([`crate::decode`]), cut into lines at `\n`,
//! `\r\n` and lone `\r`, and lines longer than [`WINDOW`] into overlapping windows at fixed
//! offsets, so the result never depends on how the input was chunked. The gate prefilter
//! ([`crate::gate`]) skips lines no rule can match; a gated window is cleaned, its needles found
//! in one Aho-Corasick pass, its structure parsed ([`crate::shape`]), its signals recorded, and
//! the rules its needles anchor are tried. Which rule speaks for a line is decided at the end,
//! when every signal of the log is known; memory stays bounded by the window, the read chunk and
//! a capped number of distinct line records.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use ghcr_doctor_checks::CauseId;

use crate::clean::clean_line;
use crate::decode::Decoder;
use crate::gate::Gate;
use crate::image::{self, HOST_NEEDLES, ImageMention};
use crate::rules::{RULES, Rule, Signal, Tier};
use crate::shape::Shape;
use crate::{Confidence, Explanation, Match};

/// Lines longer than this are looked at in windows of this size.
pub const WINDOW: usize = 16 * 1024;
/// Consecutive windows of a long line overlap by this much, so a message shorter than this is
/// always whole in one window.
pub const OVERLAP: usize = 2 * 1024;
/// Evidence is cut to about this many bytes around the match.
pub const EVIDENCE_LIMIT: usize = 300;
/// Distinct image mentions remembered for the whole text.
const MENTION_LIMIT: usize = 64;
/// Distinct line records (matched rules × the signals seen before) kept until the end; later
/// ones are decided at once with the signals seen so far.
const RECORD_LIMIT: usize = 512;

const STEP: usize = WINDOW - OVERLAP;
/// Lines up to this long are also read joined to the line before them, for a message wrapped onto
/// two lines (terminal width, `kubectl describe`, forum posts).
const JOIN_LIMIT: usize = 1024;

/// Signal needles: text that sets a [`Signal`] wherever it appears.
const SIGNAL_NEEDLES: &[(&str, Signal)] = &[
    ("the push refers to", Signal::Push),
    (": pushed", Signal::PushProgress),
    (": pushing", Signal::PushProgress),
    ("layer already exists", Signal::PushProgress),
    ("image already exists", Signal::PushProgress),
    ("pushing layers", Signal::Push),
    ("pushing manifest", Signal::PushProgress),
    ("pushing [", Signal::PushProgress),
    ("failed to push", Signal::Push),
    ("writing blob", Signal::Push),
    ("blobs/upload", Signal::Push),
    ("docker push ", Signal::Push),
    ("podman push ", Signal::Push),
    ("buildah push ", Signal::Push),
    ("helm push ", Signal::Push),
    ("oras push ", Signal::Push),
    ("crane push ", Signal::Push),
    ("\"push\" on destination", Signal::Push),
    ("gitlab", Signal::Gitlab),
    ("ci_registry", Signal::Gitlab),
    ("ci_job_token", Signal::Gitlab),
    ("jwt/auth", Signal::Gitlab),
    ("login succeeded", Signal::LoginSucceeded),
    ("docker/login-action", Signal::Actions),
    ("docker/build-push-action", Signal::Actions),
    ("docker/setup-buildx-action", Signal::Actions),
    ("buildx failed with", Signal::Actions),
    ("buildx call failed with", Signal::Actions),
    ("/home/runner/", Signal::Actions),
    ("github_token", Signal::Actions),
    ("github_actions", Signal::Actions),
    ("actions/checkout", Signal::Actions),
    ("::group::", Signal::Actions),
    ("refs/pull/", Signal::PullRequest),
    ("event_name: pull_request", Signal::PullRequest),
    ("event_name=pull_request", Signal::PullRequest),
    ("\"event_name\": \"pull_request\"", Signal::PullRequest),
    ("from a fork", Signal::PullRequest),
    ("forked repositor", Signal::PullRequest),
    ("pull_request", Signal::PullRequest),
    ("pull request from", Signal::PullRequest),
    ("github_head_ref=", Signal::PullRequest),
    ("permissions:", Signal::PermissionsBlock),
    ("docker pull ", Signal::Pull),
    ("docker run ", Signal::Pull),
    ("podman pull ", Signal::Pull),
    ("compose pull", Signal::Pull),
    ("using default tag", Signal::Pull),
    ("unable to find image", Signal::Pull),
    ("pulling from ", Signal::Pull),
    ("pulling fs layer", Signal::Pull),
    ("trying to pull ", Signal::Pull),
    ("pulling image", Signal::Pull),
    ("packages: write", Signal::PackagesWrite),
    ("packages: read", Signal::PackagesRead),
    ("packages: none", Signal::PackagesRead),
];

/// Commands that log in, for the login host and whether a password was typed.
const LOGIN_COMMANDS: &[&str] = &[
    "docker login",
    "podman login",
    "nerdctl login",
    "buildah login",
    "skopeo login",
    "oras login",
    "helm registry login",
    "crane auth login",
    "finch login",
];

#[derive(Clone, Copy)]
enum Needle {
    /// Anchors (first-pattern needles) of these rules: an index into `Tables::anchored`.
    Anchor(usize),
    Signal(Signal),
    Host,
    /// Text that [`Analysis::parsed_signals`] reads further.
    Parse(Parse),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parse {
    Login,
    PushTarget,
    Helper,
}

/// The Actions runner's log markers (`##[group]`, `##[error]`), which cleaning removes: looked for
/// in the raw text of every region and window, so the signal does not depend on the prefilter.
const ACTIONS_MARKER: &[u8] = b"##[";

/// Everything built once: the gates, the needle automaton and what each needle means.
struct Tables {
    gate: Gate,
    needles: AhoCorasick,
    texts: Vec<&'static str>,
    meaning: Vec<Vec<Needle>>,
    /// For each anchor group: the rules it anchors.
    anchored: Vec<Vec<usize>>,
}

impl Tables {
    fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::build)
    }

    fn build() -> Tables {
        let mut texts: Vec<&'static str> = Vec::new();
        let mut meaning: Vec<Vec<Needle>> = Vec::new();
        let mut anchored: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<&'static str, usize> = HashMap::new();
        let mut add =
            |text: &'static str, what: Needle, texts: &mut Vec<&'static str>, meaning: &mut Vec<Vec<Needle>>| {
                let i = *index.entry(text).or_insert_with(|| {
                    texts.push(text);
                    meaning.push(Vec::new());
                    texts.len() - 1
                });
                meaning[i].push(what);
            };
        for (r, rule) in RULES.iter().enumerate() {
            for &needle in rule.patterns[0].needles() {
                anchored.push(vec![r]);
                add(needle, Needle::Anchor(anchored.len() - 1), &mut texts, &mut meaning);
            }
        }
        for &(needle, signal) in SIGNAL_NEEDLES {
            add(needle, Needle::Signal(signal), &mut texts, &mut meaning);
        }
        for needle in HOST_NEEDLES {
            add(needle, Needle::Host, &mut texts, &mut meaning);
        }
        for needle in LOGIN_COMMANDS.iter().chain(&["logging into "]) {
            add(needle, Needle::Parse(Parse::Login), &mut texts, &mut meaning);
        }
        add("the push refers to", Needle::Parse(Parse::PushTarget), &mut texts, &mut meaning);
        add("docker-credential-", Needle::Parse(Parse::Helper), &mut texts, &mut meaning);
        // A contiguous NFA: a fraction of a DFA's memory, and it only runs on gated lines.
        let needles = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .expect("the needles compile");
        Tables { gate: Gate::new(), needles, texts, meaning, anchored }
    }
}

/// One line (window) that some rules matched, kept until the end.
struct Record {
    line_number: usize,
    /// (rule, evidence) for every rule whose patterns held, best-ranked first.
    matched: Vec<(usize, String)>,
    /// Signals seen up to and including this line.
    before: u32,
    /// A line that says it will retry or is only a warning about an attempt.
    transient: bool,
    mentions: Vec<ImageMention>,
}

/// The best hit so far for one cause.
#[derive(Clone, Debug)]
struct Hit {
    cause: CauseId,
    confidence: Confidence,
    specificity: usize,
    line_number: usize,
    /// Position of the cause in its rule's list (the rule's own ranking).
    cause_position: usize,
    rule: usize,
    evidence: String,
    mentions: Vec<ImageMention>,
}

impl Hit {
    fn rank(&self) -> (u8, Tier, usize) {
        (self.confidence.weight(), RULES[self.rule].tier, self.specificity)
    }
}

/// Feeds bytes and produces the [`Explanation`]. [`crate::explain_str`],
/// [`crate::explain_bytes`] and [`crate::explain_reader`] wrap it; use it directly to feed a
/// stream from elsewhere.
pub struct Scanner {
    tables: &'static Tables,
    decoder: Decoder,
    decoded: Vec<u8>,
    /// Decoded bytes not looked at yet: the start of the current, unfinished line.
    buf: Vec<u8>,
    /// Scratch: the lower-cased region for the gate search.
    lower: Vec<u8>,
    /// The 1-based number of the line that starts at `buf[0]`.
    line_number: usize,
    /// `buf[0]` continues a line whose first windows were already looked at.
    continued: bool,
    /// The last line before `buf` (when short), for messages wrapped onto the next line.
    last_line: Vec<u8>,
    /// A gated line that ended a region, to be joined to the first line of the next one.
    pending_join: Option<(Vec<u8>, usize)>,
    analysis: Analysis,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Scanner {
    pub fn new() -> Scanner {
        let tables = Tables::get();
        Scanner {
            tables,
            decoder: Decoder::new(),
            decoded: Vec::new(),
            buf: Vec::new(),
            lower: Vec::new(),
            line_number: 1,
            continued: false,
            last_line: Vec::new(),
            pending_join: None,
            analysis: Analysis::new(tables),
        }
    }

    /// Feeds the next piece of input, cut anywhere.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.decoded.clear();
        self.decoder.decode(bytes, &mut self.decoded);
        self.buf.extend_from_slice(&self.decoded);
        self.drain(false);
    }

    /// The explanation of everything fed.
    pub fn finish(mut self) -> Explanation {
        self.decoded.clear();
        self.decoder.finish(&mut self.decoded);
        self.buf.extend_from_slice(&self.decoded);
        self.drain(true);
        self.analysis.finish()
    }

    /// Looks at the complete lines in `buf`, and at the finished windows of an unfinished one.
    fn drain(&mut self, at_end: bool) {
        let end = if at_end { self.buf.len() } else { complete_end(&self.buf) };
        let buf = std::mem::take(&mut self.buf);
        if end > 0 {
            self.scan_region(&buf[..end]);
        }
        if end > 0 {
            self.continued = false;
        }
        let mut consumed = end;
        if !at_end {
            // An unfinished line longer than a window: its windows that end before the data does
            // are final whatever comes next.
            while buf.len() - consumed > WINDOW {
                self.window(&buf[consumed..consumed + WINDOW]);
                consumed += STEP;
                self.continued = true;
            }
        }
        self.buf = buf;
        self.buf.drain(..consumed);
    }

    /// Scans a region of whole lines (the last may lack its break only at the end of input).
    fn scan_region(&mut self, region: &[u8]) {
        self.actions_marker(region);
        if let Some((line, number)) = self.pending_join.take()
            && !self.continued
        {
            let first_end = memchr::memchr2(b'\n', b'\r', region).unwrap_or(region.len());
            if first_end <= JOIN_LIMIT {
                self.analysis.joined(&line, &region[..first_end], number);
            }
        }
        self.lower.clear();
        self.lower.extend(region.iter().map(u8::to_ascii_lowercase));
        let lower = std::mem::take(&mut self.lower);
        let mut cursor = self.tables.gate.cursor();
        let mut pos = 0;
        while pos < region.len() {
            let Some(hit) = cursor.next_hit(&lower, pos) else {
                self.line_number += count_breaks(&region[pos..]);
                break;
            };
            let start = memchr::memrchr2(b'\n', b'\r', &region[pos..hit]).map_or(pos, |i| pos + i + 1);
            self.line_number += count_breaks(&region[pos..start]);
            let end = memchr::memchr2(b'\n', b'\r', &region[hit..]).map_or(region.len(), |i| hit + i);
            if self.line(&region[start..end]) {
                self.join_neighbours(region, start, end);
            }
            pos = match region.get(end) {
                None => region.len(),
                Some(b'\r') if region.get(end + 1) == Some(&b'\n') => end + 2,
                Some(_) => end + 1,
            };
            if end < region.len() {
                self.line_number += 1;
            }
        }
        self.lower = lower;
        // The region ends with a line break: remember its last line for the next region.
        let (ps, pe) = line_before(region, region.len());
        self.last_line.clear();
        if !(ps == 0 && self.continued) && pe - ps <= JOIN_LIMIT && !region.is_empty() {
            self.last_line.extend_from_slice(&region[ps..pe]);
        }
    }

    /// A gated line `region[start..end]` read joined to the line before and to the line after,
    /// for a message wrapped across two lines (terminal width, `kubectl describe`, forum posts).
    /// The line after the last one of a region is the first of the next region.
    fn join_neighbours(&mut self, region: &[u8], start: usize, end: usize) {
        let line = &region[start..end];
        if line.len() > JOIN_LIMIT {
            return;
        }
        let number = self.line_number;
        let previous: Option<Vec<u8>> = if start == 0 {
            (!self.continued).then(|| self.last_line.clone())
        } else {
            let (ps, pe) = line_before(region, start);
            (!(ps == 0 && self.continued)).then(|| region[ps..pe].to_vec())
        };
        if let Some(previous) = previous.filter(|p| !p.is_empty() && p.len() <= JOIN_LIMIT) {
            self.analysis.joined(&previous, line, number);
        }
        let after = match region.get(end) {
            Some(b'\r') if region.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => return,
        };
        if after >= region.len() {
            self.pending_join = Some((line.to_vec(), number));
            return;
        }
        let next_end = memchr::memchr2(b'\n', b'\r', &region[after..]).map_or(region.len(), |i| after + i);
        if next_end - after <= JOIN_LIMIT {
            self.analysis.joined(line, &region[after..next_end], number);
        }
    }

    /// One whole line: in windows when it is long. Whether it is worth joining to its neighbours.
    fn line(&mut self, line: &[u8]) -> bool {
        if line.len() <= WINDOW {
            return self.analysis.window(line, self.line_number);
        }
        let mut at = 0;
        loop {
            let end = (at + WINDOW).min(line.len());
            self.window(&line[at..end]);
            if end == line.len() {
                break;
            }
            at += STEP;
        }
        false
    }

    /// A window of a long line: looked at when it holds a gate.
    fn window(&mut self, window: &[u8]) {
        self.actions_marker(window);
        self.lower.clear();
        self.lower.extend(window.iter().map(u8::to_ascii_lowercase));
        if self.tables.gate.any(&self.lower) {
            self.analysis.window(window, self.line_number);
        }
    }
}

impl Scanner {
    fn actions_marker(&mut self, bytes: &[u8]) {
        if self.analysis.signals & Signal::Actions.bit() == 0 && memchr::memmem::find(bytes, ACTIONS_MARKER).is_some() {
            self.analysis.signals |= Signal::Actions.bit();
        }
    }
}

/// The start and end of the line before the one starting at `start` (its break excluded).
fn line_before(region: &[u8], start: usize) -> (usize, usize) {
    let mut pe = start;
    if pe > 0 && region[pe - 1] == b'\n' {
        pe -= 1;
        if pe > 0 && region[pe - 1] == b'\r' {
            pe -= 1;
        }
    } else if pe > 0 && region[pe - 1] == b'\r' {
        pe -= 1;
    }
    let ps = memchr::memrchr2(b'\n', b'\r', &region[..pe]).map_or(0, |i| i + 1);
    (ps, pe)
}

/// The end of the last complete line in `buf`: after its `\n`, or after a lone `\r` that is not
/// the last byte (it could still be the start of `\r\n`).
fn complete_end(buf: &[u8]) -> usize {
    let tail = memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1);
    match memchr::memrchr(b'\r', &buf[tail..]) {
        Some(r) if tail + r + 1 < buf.len() => tail + r + 1,
        Some(r) => memchr::memrchr(b'\r', &buf[tail..tail + r]).map_or(tail, |q| tail + q + 1),
        None => tail,
    }
}

/// Line breaks in `bytes`: `\n`, `\r\n` and lone `\r` count one each.
fn count_breaks(bytes: &[u8]) -> usize {
    let mut n = memchr::memchr_iter(b'\n', bytes).count();
    if memchr::memchr(b'\r', bytes).is_some() {
        n += memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).count();
    }
    n
}

/// What the windows showed: signals, image mentions and line records.
struct Analysis {
    tables: &'static Tables,
    cleaned: String,
    lower: String,
    found: Vec<bool>,
    found_list: Vec<usize>,
    signals: u32,
    login_hosts: Vec<String>,
    push_hosts: Vec<String>,
    mentions: Vec<ImageMention>,
    line_mentions: Vec<ImageMention>,
    records: Vec<Record>,
    seen: HashMap<(Vec<usize>, u32), ()>,
    hits: Vec<Hit>,
}

impl Analysis {
    fn new(tables: &'static Tables) -> Analysis {
        Analysis {
            tables,
            cleaned: String::new(),
            lower: String::new(),
            found: vec![false; tables.meaning.len()],
            found_list: Vec::new(),
            signals: 0,
            login_hosts: Vec::new(),
            push_hosts: Vec::new(),
            mentions: Vec::new(),
            line_mentions: Vec::new(),
            records: Vec::new(),
            seen: HashMap::new(),
            hits: Vec::new(),
        }
    }

    /// One window (a whole line, or a piece of a long one).
    /// Returns whether the window could be part of a message wrapped across lines: some rule
    /// matched it, or a rule's anchor (other than the ubiquitous `status`) is in it.
    fn window(&mut self, bytes: &[u8], line_number: usize) -> bool {
        let text = String::from_utf8_lossy(bytes);
        clean_line(&text, &mut self.cleaned);
        if self.cleaned.len() < 4 {
            return false;
        }
        self.lower.clear();
        self.lower.push_str(&self.cleaned);
        self.lower.make_ascii_lowercase();

        for &i in &self.found_list {
            self.found[i] = false;
        }
        self.found_list.clear();
        for m in self.tables.needles.find_overlapping_iter(self.lower.as_str()) {
            let i = m.pattern().as_usize();
            if !self.found[i] {
                self.found[i] = true;
                self.found_list.push(i);
            }
        }
        let mut anchors: Vec<usize> = Vec::new();
        let mut host_seen = false;
        let mut parse: Vec<Parse> = Vec::new();
        let mut joinable = false;
        for &i in &self.found_list {
            for meaning in &self.tables.meaning[i] {
                match *meaning {
                    Needle::Anchor(a) => {
                        anchors.extend_from_slice(&self.tables.anchored[a]);
                        joinable |= self.tables.texts[i] != "status";
                    }
                    Needle::Signal(s) => {
                        let not_a_pull_request = s == Signal::PullRequest
                            && (self.lower.contains("pull_request_target") || github_head_ref_empty(&self.lower));
                        if !not_a_pull_request {
                            self.signals |= s.bit();
                        }
                        if s == Signal::PushProgress {
                            self.signals |= Signal::Push.bit();
                        }
                    }
                    Needle::Host => host_seen = true,
                    Needle::Parse(p) => parse.push(p),
                }
            }
        }
        self.parsed_signals(&parse);
        self.line_mentions.clear();
        if host_seen {
            image::mentions_in_line(&self.cleaned, &self.lower, &mut self.line_mentions);
            for mention in &self.line_mentions {
                if self.mentions.len() < MENTION_LIMIT && !self.mentions.contains(mention) {
                    self.mentions.push(mention.clone());
                }
            }
        }
        if anchors.is_empty() {
            return false;
        }
        anchors.sort_unstable();
        anchors.dedup();
        let shape = Shape::parse(&self.lower);
        let mut matched: Vec<(usize, String)> = Vec::new();
        for &r in &anchors {
            if let Some(position) = rule_position(&RULES[r], &self.lower, &shape) {
                matched.push((r, evidence(&self.cleaned, position)));
            }
        }
        joinable |= !matched.is_empty();
        let transient = self.lower.contains("retrying in") || self.lower.contains("level=warning");
        let mentions = self.line_mentions.clone();
        self.record(matched, line_number, transient, mentions);
        joinable
    }

    /// Keeps a line's matches until the end (one record per distinct rules × earlier signals).
    fn record(
        &mut self,
        mut matched: Vec<(usize, String)>,
        line_number: usize,
        transient: bool,
        mentions: Vec<ImageMention>,
    ) {
        if matched.is_empty() {
            return;
        }
        matched.sort_by(|a, b| RULES[b.0].line_rank().cmp(&RULES[a.0].line_rank()).then(a.0.cmp(&b.0)));
        let before = self.signals & before_mask();
        let key = (matched.iter().map(|m| m.0).collect::<Vec<_>>(), before);
        if self.seen.contains_key(&key) {
            return;
        }
        let record = Record { line_number, matched, before: self.signals, transient, mentions };
        if self.records.len() < RECORD_LIMIT {
            self.seen.insert(key, ());
            self.records.push(record);
        } else {
            let signals = self.signals;
            self.decide(&record, signals);
        }
    }

    /// Two neighbouring lines read as one: the rules that hold on the join and on neither line
    /// alone (a message wrapped across the two), recorded at `line_number`.
    fn joined(&mut self, first: &[u8], second: &[u8], line_number: usize) {
        let (mut a, mut b) = (String::new(), String::new());
        clean_line(&String::from_utf8_lossy(first), &mut a);
        clean_line(&String::from_utf8_lossy(second), &mut b);
        if a.len() < 4 || b.len() < 4 {
            return;
        }
        let joined = format!("{a} {b}");
        let lower = joined.to_ascii_lowercase();
        let mut anchors: Vec<usize> = Vec::new();
        for m in self.tables.needles.find_overlapping_iter(lower.as_str()) {
            for meaning in &self.tables.meaning[m.pattern().as_usize()] {
                if let Needle::Anchor(x) = *meaning {
                    anchors.extend_from_slice(&self.tables.anchored[x]);
                }
            }
        }
        if anchors.is_empty() {
            return;
        }
        anchors.sort_unstable();
        anchors.dedup();
        let shape = Shape::parse(&lower);
        let alone: Vec<(String, Shape)> = [a, b]
            .into_iter()
            .map(|t| {
                let l = t.to_ascii_lowercase();
                let s = Shape::parse(&l);
                (l, s)
            })
            .collect();
        let mut matched = Vec::new();
        // Fallbacks (a bare word) would pair unrelated neighbours; they never count on a join.
        for r in anchors.into_iter().filter(|&r| RULES[r].tier > Tier::Fallback) {
            let Some(position) = rule_position(&RULES[r], &lower, &shape) else { continue };
            if alone.iter().any(|(l, s)| rule_position(&RULES[r], l, s).is_some()) {
                continue;
            }
            matched.push((r, evidence(&joined, position)));
        }
        self.record(matched, line_number, false, Vec::new());
    }

    /// Signals that need more than a needle: logins (their host and whether a password was
    /// typed), the host a push goes to, a credential helper run by hand.
    fn parsed_signals(&mut self, parse: &[Parse]) {
        let lower = self.lower.as_str();
        let trimmed = lower.trim_end();
        if trimmed.ends_with("password:") || trimmed.ends_with("password: ") {
            self.signals |= Signal::PasswordLogin.bit();
        }
        if !parse.contains(&Parse::Login) {
            return self.push_target_and_helper(parse);
        }
        for command in LOGIN_COMMANDS {
            if let Some(at) = lower.find(command) {
                let piped = lower[..at].contains('|');
                self.signals |= Signal::LoginCommand.bit();
                let (host, password_flag, user_flag) = login_args(&lower[at + command.len()..]);
                if user_flag && !password_flag && !piped {
                    self.signals |= Signal::PasswordLogin.bit();
                }
                push_host(&mut self.login_hosts, host.unwrap_or_else(|| "docker.io".into()));
            }
        }
        if let Some(at) = lower.find("logging into ") {
            self.signals |= Signal::LoginCommand.bit();
            let rest = &lower[at + 13..];
            let host: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '…').collect();
            let host = host.trim_end_matches('.');
            let host = if host == "docker" && rest.starts_with("docker hub") { "docker.io" } else { host };
            if !host.is_empty() {
                push_host(&mut self.login_hosts, host.to_string());
            }
        }
        self.push_target_and_helper(parse);
    }

    /// The host a push goes to (`The push refers to repository [HOST/…]`), a helper run by hand.
    fn push_target_and_helper(&mut self, parse: &[Parse]) {
        let lower = self.lower.as_str();
        if !parse.contains(&Parse::PushTarget) && !parse.contains(&Parse::Helper) {
            return;
        }
        for marker in ["the push refers to repository [", "the push refers to a repository ["] {
            if let Some(at) = lower.find(marker) {
                let reference: String = lower[at + marker.len()..].chars().take_while(|&c| c != ']').collect();
                let first = reference.split('/').next().unwrap_or("");
                let host = if reference.contains('/')
                    && (first.contains('.') || first.contains(':') || first == "localhost")
                {
                    first.to_string()
                } else {
                    "docker.io".into()
                };
                push_host(&mut self.push_hosts, host);
            }
        }
        if let Some(at) = lower.find("docker-credential-") {
            let rest = &lower[at + 18..];
            let name =
                rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')).count();
            let verb = rest[name..].trim_start();
            if name > 0 && ["get", "store", "list", "erase"].iter().any(|v| verb.starts_with(v)) {
                self.signals |= Signal::HelperCall.bit();
            }
        }
    }

    /// Folds one record into the hits: the best rule the signals allow speaks for the line.
    fn decide(&mut self, record: &Record, signals: u32) {
        let Some((r, evidence)) = record.matched.iter().find(|(r, _)| RULES[*r].allowed(signals)) else { return };
        let rule = &RULES[*r];
        let specificity = rule.specificity();
        for (cause_position, &(cause, confidence)) in rule.causes.iter().enumerate() {
            let confidence =
                if record.transient && confidence == Confidence::High { Confidence::Medium } else { confidence };
            let candidate = (confidence.weight(), rule.tier, specificity);
            let existing = self.hits.iter().position(|h| h.cause == cause);
            if let Some(e) = existing
                && self.hits[e].rank() >= candidate
            {
                continue;
            }
            let hit = Hit {
                cause,
                confidence,
                specificity,
                line_number: record.line_number,
                cause_position,
                rule: *r,
                evidence: evidence.clone(),
                mentions: record.mentions.clone(),
            };
            match existing {
                Some(e) => self.hits[e] = hit,
                None => self.hits.push(hit),
            }
        }
    }

    fn finish(mut self) -> Explanation {
        let mut last = self.signals;
        // A `permissions:` block that does not list `packages: write` leaves the token without it.
        if last & Signal::PermissionsBlock.bit() != 0 && last & Signal::PackagesWrite.bit() == 0 {
            last |= Signal::PackagesRead.bit();
        }
        if !self.login_hosts.is_empty()
            && !self.push_hosts.is_empty()
            && !self.push_hosts.iter().any(|h| self.login_hosts.contains(h))
        {
            last |= Signal::HostMismatch.bit();
        }
        let records = std::mem::take(&mut self.records);
        for record in &records {
            let signals = (record.before & before_mask()) | (last & !before_mask());
            self.decide(record, signals);
        }
        let mut hits = self.hits;
        hits.sort_by(|a, b| {
            b.rank()
                .cmp(&a.rank())
                .then(a.line_number.cmp(&b.line_number))
                .then(a.cause_position.cmp(&b.cause_position))
        });
        let top = hits.first();
        let top_rule: Option<&Rule> = top.map(|h| &RULES[h.rule]);
        let ambiguous = top_rule.is_some_and(|r| r.causes.len() > 1);
        let distinguishing_check = if ambiguous { top_rule.and_then(|r| r.distinguishing_check) } else { None };
        let chosen = image::choose(top.map_or(&[][..], |h| h.mentions.as_slice()), &self.mentions);
        Explanation {
            registry: chosen.as_ref().map(|m| m.registry.clone()),
            image: chosen.as_ref().and_then(ImageMention::image),
            owner: chosen.as_ref().and_then(|m| m.owner().map(str::to_string)),
            matches: hits
                .into_iter()
                .map(|h| Match {
                    cause: h.cause,
                    confidence: h.confidence,
                    evidence: h.evidence,
                    line_number: h.line_number,
                    rule: RULES[h.rule].name,
                })
                .collect(),
            ambiguous,
            distinguishing_check,
        }
    }
}

/// The signals that count only on their line or later ones (see [`Signal::before_only`]).
const BEFORE_ONLY: [Signal; 4] = [Signal::Push, Signal::PushProgress, Signal::LoginSucceeded, Signal::HelperCall];

fn before_mask() -> u32 {
    BEFORE_ONLY.iter().fold(0, |m, s| m | s.bit())
}

/// `GITHUB_HEAD_REF=` with nothing after it: an environment dump of a run that is no pull request.
fn github_head_ref_empty(lower: &str) -> bool {
    lower.find("github_head_ref=").is_some_and(|at| lower[at + 16..].chars().next().is_none_or(char::is_whitespace))
}

fn push_host(hosts: &mut Vec<String>, host: String) {
    let host = normalize_host(&host);
    if !host.is_empty() && hosts.len() < 16 && !hosts.contains(&host) {
        hosts.push(host);
    }
}

/// `https://index.docker.io/v1/` → `docker.io`; `ghcr.io/` → `ghcr.io`.
fn normalize_host(host: &str) -> String {
    let host = host.trim_start_matches("https://").trim_start_matches("http://");
    let host = host.split('/').next().unwrap_or("").trim_matches(['"', '\'', '.', ',']);
    match host {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" | "hub.docker.com" => "docker.io".into(),
        h => h.to_string(),
    }
}

/// The arguments after a login command: the host (first non-flag word), whether a password was
/// passed (`-p`, `--password`, `--password-stdin`), whether a user was (`-u`, `--username`).
fn login_args(rest: &str) -> (Option<String>, bool, bool) {
    let mut host = None;
    let (mut password, mut user) = (false, false);
    let mut words = rest.split_whitespace();
    while let Some(word) = words.next() {
        if matches!(word, "|" | "&&" | ";" | "||") || word.starts_with('#') {
            break;
        }
        match word {
            "-p" | "--password" => {
                password = true;
                words.next();
            }
            "-u" | "--username" => {
                user = true;
                words.next();
            }
            w if w.starts_with("--password") || w.starts_with("-p=") => password = true,
            w if w.starts_with("--username=") || w.starts_with("-u=") => user = true,
            w if w.starts_with('-') => {}
            w if host.is_none() && !w.starts_with('$') && !w.starts_with("${") => host = Some(w.to_string()),
            _ => {}
        }
    }
    (host, password, user)
}

/// Where the rule holds on the line (its first text pattern's position), if all its patterns hold.
fn rule_position(rule: &Rule, lower: &str, shape: &Shape) -> Option<usize> {
    let mut first = None;
    for pattern in rule.patterns {
        let at = pattern.find(lower, shape)?;
        if pattern.is_text() {
            first.get_or_insert(at);
        }
    }
    Some(first.unwrap_or(0))
}

/// The cleaned line, or a window of it around `position` when it is long; tokens masked.
fn evidence(line: &str, position: usize) -> String {
    let cut = if line.len() <= EVIDENCE_LIMIT {
        line.to_string()
    } else {
        let mut start = position.min(line.len()).saturating_sub(EVIDENCE_LIMIT / 3);
        while !line.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + EVIDENCE_LIMIT).min(line.len());
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let mut out = String::with_capacity(end - start + 8);
        if start > 0 {
            out.push('…');
        }
        out.push_str(&line[start..end]);
        if end < line.len() {
            out.push('…');
        }
        out
    };
    ghcr_doctor_checks::redact(&cut).into_owned()
}

#[cfg(test)]
/// The needles that must each hold a gate: rule anchors, signal needles, registry hosts.
pub fn gated_needles() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = RULES.iter().flat_map(|r| r.patterns[0].needles().iter().copied()).collect();
    all.extend(SIGNAL_NEEDLES.iter().map(|(n, _)| *n));
    all.extend(HOST_NEEDLES.iter().copied());
    all.extend(LOGIN_COMMANDS.iter().copied());
    all.extend(["logging into ", "the push refers to", "password:", "docker-credential-"]);
    all
}

#[cfg(test)]
/// Whether some gate lies inside `needle`.
pub fn has_gate(needle: &str) -> bool {
    crate::gate::GATES.iter().any(|g| needle.contains(g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_windowed_around_the_match() {
        let line = format!("{}needle{}", "a".repeat(1000), "b".repeat(1000));
        let ev = evidence(&line, 1000);
        assert!(ev.contains("needle"));
        assert!(ev.len() <= EVIDENCE_LIMIT + 6);
        assert!(ev.starts_with('…') && ev.ends_with('…'));
        let multibyte = "é".repeat(400);
        let ev = evidence(&multibyte, 301);
        assert!(ev.len() <= EVIDENCE_LIMIT + 6);
    }

    #[test]
    fn every_needle_the_scanner_relies_on_holds_a_gate() {
        let missing: Vec<&str> = gated_needles().into_iter().filter(|n| !has_gate(n)).collect();
        assert!(missing.is_empty(), "needles without a gate: {missing:?}");
    }

    #[test]
    fn line_breaks_and_complete_lines() {
        assert_eq!(count_breaks(b"a\nb\r\nc\rd"), 3);
        assert_eq!(count_breaks(b"\r\r\n\n"), 3);
        assert_eq!(complete_end(b"a\nb"), 2);
        assert_eq!(complete_end(b"a\r"), 0, "a trailing \\r may be the start of \\r\\n");
        assert_eq!(complete_end(b"a\rb\r"), 2);
        assert_eq!(complete_end(b"a\r\nb\rc"), 5);
        assert_eq!(complete_end(b"abc"), 0);
    }

    #[test]
    fn the_before_only_signals_are_listed() {
        for s in BEFORE_ONLY {
            assert!(s.before_only());
        }
        for (_, s) in SIGNAL_NEEDLES {
            assert_eq!(s.before_only(), BEFORE_ONLY.contains(s), "{s:?}");
        }
    }

    #[test]
    fn login_arguments() {
        assert_eq!(login_args(" ghcr.io -u alice --password-stdin"), (Some("ghcr.io".into()), true, true));
        assert_eq!(login_args(" -u user registry.gitlab.com"), (Some("registry.gitlab.com".into()), false, true));
        assert_eq!(login_args(" -u gitlab-ci-token -p $CI_JOB_TOKEN $CI_REGISTRY"), (None, true, true));
        assert_eq!(login_args(""), (None, false, false));
        assert_eq!(normalize_host("https://index.docker.io/v1/"), "docker.io");
    }
}
