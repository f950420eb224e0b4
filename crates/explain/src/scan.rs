//! The streaming scanner: feeds log lines one at a time through cleaning, a cheap anchor
//! prefilter (four-byte prefixes of every rule's first needles, checked against a bit table), the
//! full rules of the anchored candidates, and image extraction; keeps only the best hit per cause.

use std::sync::OnceLock;

use ghcr_doctor_checks::CauseId;

use crate::clean::clean_line;
use crate::image::{self, HOST_NEEDLES, ImageMention};
use crate::rules::{Condition, RULES, Rule};
use crate::{Confidence, Explanation, Match};

/// At most this many bytes of a line are inspected; the rest of a longer line is ignored.
pub const LINE_INSPECT_LIMIT: usize = 8 * 1024;
/// Evidence is cut to about this many bytes around the match.
pub const EVIDENCE_LIMIT: usize = 300;
/// Distinct image mentions remembered for the whole text.
const MENTION_LIMIT: usize = 64;

/// What a non-rule anchor tells the scanner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signal {
    /// A registry host: extract image mentions from this line.
    Host,
    Push,
    Gitlab,
    Login,
}

#[derive(Clone, Copy, Debug)]
enum Trigger {
    Rule(usize),
    Signal(Signal),
}

const SIGNAL_NEEDLES: &[(&str, Signal)] = &[
    ("the push refers to repository", Signal::Push),
    (": pushed", Signal::Push),
    (": pushing", Signal::Push),
    ("layer already exists", Signal::Push),
    ("pushing layers", Signal::Push),
    ("pushing manifest", Signal::Push),
    ("gitlab", Signal::Gitlab),
    ("ci_registry", Signal::Gitlab),
    ("login succeeded", Signal::Login),
];

const BLOOM_BITS: usize = 1 << 16;

/// Every anchor needle by its first four bytes, plus a bit table of their hashes for the quick
/// "nothing here" answer on ordinary log lines.
struct AnchorIndex {
    bloom: Vec<u64>,
    /// (first four bytes as little-endian u32, needle, what it triggers), sorted by the u32.
    anchors: Vec<(u32, &'static str, Trigger)>,
}

fn gram(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn gram_hash(g: u32) -> usize {
    (g.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

impl AnchorIndex {
    fn get() -> &'static AnchorIndex {
        static INDEX: OnceLock<AnchorIndex> = OnceLock::new();
        INDEX.get_or_init(AnchorIndex::build)
    }

    fn build() -> AnchorIndex {
        let mut anchors = Vec::new();
        for (i, rule) in RULES.iter().enumerate() {
            for needle in rule.patterns[0].needles() {
                anchors.push((gram(needle.as_bytes()), *needle, Trigger::Rule(i)));
            }
        }
        for needle in HOST_NEEDLES {
            anchors.push((gram(needle.as_bytes()), *needle, Trigger::Signal(Signal::Host)));
        }
        for &(needle, signal) in SIGNAL_NEEDLES {
            anchors.push((gram(needle.as_bytes()), needle, Trigger::Signal(signal)));
        }
        anchors.sort_by_key(|a| a.0);
        let mut bloom = vec![0u64; BLOOM_BITS / 64];
        for a in &anchors {
            let h = gram_hash(a.0);
            bloom[h / 64] |= 1 << (h % 64);
        }
        AnchorIndex { bloom, anchors }
    }
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
    fn rank(&self) -> (u8, usize) {
        (self.confidence.weight(), self.specificity)
    }
}

/// Feeds lines and produces the [`Explanation`]. [`crate::explain_str`] and
/// [`crate::explain_reader`] wrap it; use it directly to feed lines from elsewhere.
pub struct Scanner {
    index: &'static AnchorIndex,
    line_number: usize,
    cleaned: String,
    lower: String,
    push_seen: bool,
    gitlab_seen: bool,
    login_succeeded: bool,
    hits: Vec<Hit>,
    mentions: Vec<ImageMention>,
    line_mentions: Vec<ImageMention>,
    fired_rules: Vec<usize>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner {
            index: AnchorIndex::get(),
            line_number: 0,
            cleaned: String::new(),
            lower: String::new(),
            push_seen: false,
            gitlab_seen: false,
            login_succeeded: false,
            hits: Vec::new(),
            mentions: Vec::new(),
            line_mentions: Vec::new(),
            fired_rules: Vec::new(),
        }
    }

    /// Feeds one line (without its `\n`; a trailing `\r` is fine). Only the first
    /// [`LINE_INSPECT_LIMIT`] bytes are looked at; invalid UTF-8 is replaced.
    pub fn push_line(&mut self, line: &[u8]) {
        self.line_number += 1;
        let line = &line[..line.len().min(LINE_INSPECT_LIMIT)];
        if line.len() < 4 {
            return;
        }
        let text = String::from_utf8_lossy(line);
        clean_line(&text, &mut self.cleaned);
        if self.cleaned.len() < 4 {
            return;
        }
        self.lower.clear();
        self.lower.push_str(&self.cleaned);
        self.lower.make_ascii_lowercase();
        self.scan_anchors();
    }

    fn scan_anchors(&mut self) {
        let index = self.index;
        let bytes = self.lower.as_bytes();
        let mut host_seen = false;
        self.fired_rules.clear();
        for i in 0..=bytes.len() - 4 {
            let g = gram(&bytes[i..]);
            let h = gram_hash(g);
            if index.bloom[h / 64] & (1 << (h % 64)) == 0 {
                continue;
            }
            let first = index.anchors.partition_point(|a| a.0 < g);
            for &(anchor_gram, needle, trigger) in &index.anchors[first..] {
                if anchor_gram != g {
                    break;
                }
                if !bytes[i..].starts_with(needle.as_bytes()) {
                    continue;
                }
                match trigger {
                    Trigger::Rule(r) => {
                        if !self.fired_rules.contains(&r) {
                            self.fired_rules.push(r);
                        }
                    }
                    Trigger::Signal(Signal::Host) => host_seen = true,
                    Trigger::Signal(Signal::Push) => self.push_seen = true,
                    Trigger::Signal(Signal::Gitlab) => self.gitlab_seen = true,
                    Trigger::Signal(Signal::Login) => self.login_succeeded = true,
                }
            }
        }
        self.line_mentions.clear();
        if host_seen {
            image::mentions_in_line(&self.cleaned, &self.lower, &mut self.line_mentions);
            for mention in &self.line_mentions {
                if self.mentions.len() < MENTION_LIMIT && !self.mentions.contains(mention) {
                    self.mentions.push(mention.clone());
                }
            }
        }
        if !self.fired_rules.is_empty() {
            self.evaluate_rules();
        }
    }

    fn condition_holds(&self, condition: Condition) -> bool {
        match condition {
            Condition::PushSeen => self.push_seen,
            Condition::GitlabSeen => self.gitlab_seen,
            Condition::LoginSucceeded => self.login_succeeded,
        }
    }

    /// Runs the anchored rules fully; the most specific one that holds speaks for the line.
    fn evaluate_rules(&mut self) {
        let mut best: Option<(usize, usize)> = None; // (rule, position)
        for &r in &self.fired_rules {
            let rule = &RULES[r];
            if !rule.when.iter().all(|&c| self.condition_holds(c)) {
                continue;
            }
            let Some(position) = rule_position(rule, &self.lower) else { continue };
            let better = match best {
                None => true,
                Some((b, _)) => {
                    rule.line_rank() > RULES[b].line_rank() || (rule.line_rank() == RULES[b].line_rank() && r < b)
                }
            };
            if better {
                best = Some((r, position));
            }
        }
        let Some((r, position)) = best else { return };
        let rule = &RULES[r];
        let specificity = rule.specificity();
        for (cause_position, &(cause, confidence)) in rule.causes.iter().enumerate() {
            let candidate_rank = (confidence.weight(), specificity);
            let existing = self.hits.iter().position(|h| h.cause == cause);
            if let Some(e) = existing
                && self.hits[e].rank() >= candidate_rank
            {
                continue;
            }
            let hit = Hit {
                cause,
                confidence,
                specificity,
                line_number: self.line_number,
                cause_position,
                rule: r,
                evidence: evidence(&self.cleaned, position),
                mentions: self.line_mentions.clone(),
            };
            match existing {
                Some(e) => self.hits[e] = hit,
                None => self.hits.push(hit),
            }
        }
    }

    /// The explanation of everything fed so far.
    pub fn finish(self) -> Explanation {
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

/// Where the rule holds on the line (the first pattern's position), if all its patterns hold.
fn rule_position(rule: &Rule, lower: &str) -> Option<usize> {
    let mut first = None;
    for pattern in rule.patterns {
        let at = pattern.find(lower)?;
        first.get_or_insert(at);
    }
    first
}

/// The cleaned line, or a window of it around `position` when it is long.
fn evidence(line: &str, position: usize) -> String {
    if line.len() <= EVIDENCE_LIMIT {
        return line.to_string();
    }
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
    fn every_rule_anchor_is_indexed() {
        let index = AnchorIndex::get();
        for (i, rule) in RULES.iter().enumerate() {
            for needle in rule.patterns[0].needles() {
                assert!(index.anchors.iter().any(|a| a.1 == *needle && matches!(a.2, Trigger::Rule(r) if r == i)));
            }
        }
    }
}
