//! The prefilter: short lower-case "gates" that every rule anchor, signal and registry-host needle
//! contains (tested), searched with SIMD multi-substring search (Teddy, from `aho-corasick`'s
//! packed searchers; an Aho-Corasick DFA where the CPU lacks the instructions) over the
//! ASCII-lower-cased input. Only lines with a gate are cleaned and matched, so ordinary CI noise
//! costs about as much as `grep` does.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// The gates, lower case. Each is a piece of the needles that start rules or set signals; short
/// enough to cover many needles, long enough to be rare in ordinary build output.
pub const GATES: &[&str] = &[
    // refusals and their statuses
    "enied",
    "uthori",
    "uthenti",
    "orbid",
    "nknown",
    "ot found",
    "status",
    "nsufficient",
    "xpired",
    "nvalid",
    "xpected scopes",
    "nstallation not allowed",
    "saml",
    "x-github-sso",
    "ccess restrictions",
    "ersonal access",
    "packages service",
    "not known",
    "repository name",
    "valid repository",
    "pull access",
    "anonymous token",
    "oauth token",
    "docker -d",
    "desktop is not running",
    "initialized",
    "freedesktop",
    "github cli",
    "name is valid",
    "shared librar",
    "dbus-launch",
    "gpg: ",
    "no stored credential",
    "no matching manifest",
    "specified platform",
    "emporarily unavailable",
    "needed permissions",
    "not authorized",
    "artifactregistry",
    "nauthenticated",
    "error occurred trying",
    "keychain",
    "errsecinteraction",
    "eeds the \"",
    "required scopes",
    "following scopes",
    "services aren't available",
    "really bad day",
    "code: ",
    "manifest not found",
    "authentication failure",
    "alias",
    "short-name",
    "error connecting to",
    "internet connection",
    "github cli in",
    "missing required scope",
    "not accessible by integration",
    "wrong login",
    "error: image",
    "username and password required",
    "make sure your credentials",
    "element not found",
    "/packages/",
    "ermissions:",
    "docker run",
    "default tag",
    "unable to find image",
    "pulling",
    "trying to pull",
    "plain text",
    "plaintext",
    "compose pull",
    "docker pull",
    "podman pull",
    "\"auth\"",
    "password authentication",
    "username or token",
    "requires authentication",
    "podman",
    "unable to start",
    "failed to start",
    "raw.sock",
    "command 'docker'",
    "command 'gh'",
    "deadlineexceeded",
    "transport connection",
    "goaway",
    "expected number of bytes",
    "broken pipe",
    "does not exist locally",
    "name invalid",
    "tag invalid",
    "name_invalid",
    "tag_invalid",
    "authenticating creds",
    "pull qps",
    "symbol lookup",
    "activatable",
    "decryption failed",
    "inappropriate ioctl",
    "retrieve credentials",
    "personal access token",
    "pull request from",
    "github_head_ref",
    "oomany",
    "any req",
    "ate limit",
    "ratelimit",
    "ate-limit",
    "etry-after",
    "owercase",
    "eference",
    "library/",
    "server error",
    "ervice unavail",
    "ad gateway",
    "ateway time",
    "equest time",
    "v1 container",
    // credentials and config
    "redential",
    "implemented",
    "d-bus",
    "interaction is not",
    "stub received",
    "locked collection",
    "logon session",
    "nencrypted",
    "onfig file",
    "nmarshal",
    "assword",
    "manual registry",
    "eychain",
    // daemon and programs
    "aemon",
    "docker.sock",
    "docker_engine",
    "%2fpipe%2f",
    "ocker api",
    "during connect",
    "elevated",
    "dockerdesktop",
    "route and version",
    "not recognized",
    "command not found",
    "locate executable",
    "executable file",
    "ocker: not found",
    "such command",
    "nknown command",
    "logged in",
    "no longer valid",
    "nvironment variable",
    "bad credentials",
    "failed to log in",
    // clients with known bugs
    "tryloginwithreghost",
    "hostname part",
    "conflicting auth",
    "uth challenge",
    "httpoci",
    // transport
    "such host",
    "name resolution",
    "hostname resolution",
    "resolve host",
    "dns resolution",
    "not resolve",
    "misbehaving",
    "nodename",
    "no address associated",
    "usable address",
    "enotfound",
    "eai_again",
    "lookup",
    "domain name",
    "x509",
    "ertificate",
    "tls:",
    "tls handshake",
    "proxy",
    "efused",
    "by peer",
    "nreachable",
    "route to host",
    "forcibly closed",
    "connectex",
    "wsarecv",
    "imeout",
    "imed out",
    "timedout",
    "eadline",
    "ancel",
    "eof",
    "looking for beginning",
    "error parsing http",
    "ttps client",
    "不明です",
    "接続できませんでした",
    "見つかりません",
    "拒否されました",
    // context: pushes, logins, GitLab, Actions
    "push",
    "lready exists",
    "riting blob",
    "blobs/upload",
    "login",
    "ogging into",
    "ucceeded",
    "itlab",
    "ci_registry",
    "ci_job_token",
    "jwt/auth",
    "##[",
    "::group::",
    "buildx",
    "/home/runner",
    "github_token",
    "github_actions",
    "actions/",
    "refs/pull",
    "pull_request",
    "from a fork",
    "forked repositor",
    "ackages: ",
    "requesting bear",
    "manager.go",
    "specified policies",
    // registry hosts
    "ghcr.io",
    "containers.",
    "127.0.0.1:",
    "localhost:",
];

enum Searcher {
    Packed(Vec<packed::Searcher>),
    Automaton(AhoCorasick),
}

/// The compiled gates.
pub struct Gate {
    searcher: Searcher,
}

impl Gate {
    pub fn new() -> Gate {
        let mut packed_searchers = Vec::new();
        for chunk in GATES.chunks(60) {
            let mut builder = packed::Config::new().match_kind(packed::MatchKind::LeftmostFirst).builder();
            builder.extend(chunk);
            match builder.build() {
                Some(s) => packed_searchers.push(s),
                None => {
                    packed_searchers.clear();
                    break;
                }
            }
        }
        let searcher = if packed_searchers.is_empty() {
            let ac = AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostFirst)
                .build(GATES)
                .expect("the gates compile");
            Searcher::Automaton(ac)
        } else {
            Searcher::Packed(packed_searchers)
        };
        Gate { searcher }
    }

    /// A cursor over one lower-cased haystack, finding gate hits in order.
    pub fn cursor(&self) -> Cursor<'_> {
        let n = match &self.searcher {
            Searcher::Packed(s) => s.len(),
            Searcher::Automaton(_) => 1,
        };
        Cursor { gate: self, next: vec![None; n] }
    }

    /// Whether `lower` holds any gate.
    pub fn any(&self, lower: &[u8]) -> bool {
        match &self.searcher {
            Searcher::Packed(searchers) => searchers.iter().any(|s| s.find(lower).is_some()),
            Searcher::Automaton(ac) => ac.is_match(lower),
        }
    }
}

/// Finds gate hits at or after a position, remembering each searcher's next hit so that a
/// haystack is scanned about once whatever the number of searchers.
pub struct Cursor<'g> {
    gate: &'g Gate,
    /// Per searcher: the start of its next hit at or after the last position asked for
    /// (`Some(usize::MAX)` = none left), or `None` = not searched yet.
    next: Vec<Option<usize>>,
}

impl Cursor<'_> {
    /// The first gate hit in `lower[from..]`, as an absolute position.
    pub fn next_hit(&mut self, lower: &[u8], from: usize) -> Option<usize> {
        let mut best = usize::MAX;
        for (i, slot) in self.next.iter_mut().enumerate() {
            let cached = match *slot {
                Some(p) if p >= from => p,
                _ => {
                    let found = match &self.gate.searcher {
                        Searcher::Packed(searchers) => {
                            searchers[i].find_in(lower, aho_corasick::Span::from(from..lower.len()))
                        }
                        Searcher::Automaton(ac) => ac.find(Input::new(lower).range(from..)),
                    };
                    let p = found.map_or(usize::MAX, |m| m.start());
                    *slot = Some(p);
                    p
                }
            };
            best = best.min(cached);
        }
        (best != usize::MAX).then_some(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_are_lower_case_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for gate in GATES {
            assert_eq!(*gate, gate.to_lowercase(), "{gate}");
            assert!(gate.len() >= 3, "{gate} is too short");
            assert!(seen.insert(gate), "{gate} twice");
        }
    }

    #[test]
    fn the_cursor_finds_hits_in_order_from_any_position() {
        let gate = Gate::new();
        let hay = b"nothing here; then denied: denied and later a proxyconnect";
        let mut cursor = gate.cursor();
        let first = cursor.next_hit(hay, 0).unwrap();
        assert_eq!(&hay[first..first + 5], b"enied");
        let second = cursor.next_hit(hay, first + 1).unwrap();
        assert!(second > first);
        let last = cursor.next_hit(hay, 45).unwrap();
        assert_eq!(&hay[last..last + 5], b"proxy");
        assert_eq!(cursor.next_hit(hay, hay.len()), None);
        assert!(gate.any(b"x509: certificate"));
        assert!(!gate.any(b"compiling serde_json v1.0.140"));
    }
}
