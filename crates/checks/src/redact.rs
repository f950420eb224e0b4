//! Redaction: the one function every piece of external text passes through before it can reach
//! `Facts` or an output (gh's and docker's stderr, a helper's message, an HTTP body or header,
//! a pasted log line). Token-shaped strings keep only their prefix, as gh shows them: GitHub's
//! (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab's (`glpat-` and its family),
//! Docker Hub's (`dckr_pat_`), JWTs (`eyJ…`), and base64 `user:secret` pairs (docker's `auth`,
//! HTTP Basic). `explain` masks the lines it quotes with it too.

use std::borrow::Cow;

/// GitLab's token prefixes (gitlab-facts §7), longest first where one starts another.
const GITLAB_PREFIXES: &[&str] = &[
    "glpat-", "gldt-", "glcbt-", "glrtr-", "glrt-", "gloas-", "glptt-", "glft-", "glimt-", "glagent-", "glwt-",
    "glsoat-", "glffct-",
];

/// Docker Hub's personal access tokens.
const DOCKER_HUB_PREFIXES: &[&str] = &["dckr_pat_"];

/// The shortest tail after a prefix that counts as a token (shorter is a word like `ghs_x`).
const MIN_TAIL: usize = 8;

/// `text` with every token-shaped string masked to its prefix (`gho_****`).
pub fn redact(text: &str) -> Cow<'_, str> {
    if !might_hold_a_secret(text) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        // Prefixed tokens anywhere; a JWT or a base64 pair only where a word starts.
        let at_word_start = i == 0 || !is_base64_byte(bytes[i - 1]) && !is_token_byte(bytes[i - 1]);
        if let Some((len, keep)) = text.is_char_boundary(i).then(|| secret_at(&text[i..], at_word_start)).flatten() {
            out.push_str(&text[copied..i]);
            out.push_str(&text[i..i + keep]);
            out.push_str("****");
            i += len;
            copied = i;
            continue;
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// A cheap test that skips the scan for ordinary text.
fn might_hold_a_secret(text: &str) -> bool {
    text.contains("gh") || text.contains("gl") || text.contains("dckr") || text.contains("eyJ") || text.len() >= 16
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// At the start of `s`: the length of a secret and how much of it to keep.
fn secret_at(s: &str, at_word_start: bool) -> Option<(usize, usize)> {
    let prefix = crate::github::TOKEN_PREFIXES
        .iter()
        .chain(GITLAB_PREFIXES)
        .chain(DOCKER_HUB_PREFIXES)
        .find(|p| s.starts_with(*p))
        .map(|p| p.len());
    if let Some(prefix) = prefix {
        let tail = s[prefix..].bytes().take_while(|&b| is_token_byte(b)).count();
        return (tail >= MIN_TAIL).then_some((prefix + tail, prefix));
    }
    if !at_word_start {
        return None;
    }
    if let Some(len) = jwt_len(s) {
        return Some((len, 3));
    }
    base64_pair_len(s).map(|len| (len, 0))
}

/// `eyJ` + base64url + `.` + base64url + `.` + base64url: a JWT (header, claims, signature).
fn jwt_len(s: &str) -> Option<usize> {
    if !s.starts_with("eyJ") {
        return None;
    }
    let bytes = s.as_bytes();
    let part = |from: usize| {
        bytes[from..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').count()
    };
    let header = part(0);
    if header < 10 || bytes.get(header) != Some(&b'.') {
        return None;
    }
    let claims = part(header + 1);
    if claims < 10 || bytes.get(header + 1 + claims) != Some(&b'.') {
        return None;
    }
    let signature = part(header + claims + 2);
    Some(header + claims + 2 + signature)
}

/// A standard-base64 word of at least 12 characters that decodes to `user:secret` text.
fn base64_pair_len(s: &str) -> Option<usize> {
    let len = s.bytes().take_while(|&b| is_base64_byte(b)).count();
    if len < 12 || len % 4 != 0 {
        return None;
    }
    let decoded = decode_base64(&s.as_bytes()[..len])?;
    let text = std::str::from_utf8(&decoded).ok()?;
    let (user, secret) = text.split_once(':')?;
    let printable = |t: &str| t.chars().all(|c| !c.is_control());
    (!user.is_empty() && secret.len() >= 4 && printable(user) && printable(secret)).then_some(len)
}

/// Padded standard base64; `None` when it is not.
fn decode_base64(input: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let quads = input.len() / 4;
    for (qi, quad) in input.chunks_exact(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && qi + 1 != quads) {
            return None;
        }
        let mut n: u32 = 0;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | u32::from(value(c)?);
        }
        n <<= 6 * pad as u32;
        let got = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&got[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    //! Token-shaped inputs are assembled with `format!`, so that no token-shaped literal stands
    //! in the source.
    use super::*;

    #[test]
    fn masks_every_token_shape_to_its_prefix() {
        let ghp = format!("ghp_{}", "FAKEredactTestClassicPat0000000000002");
        let gho = format!("gho_{}", "FAKEredactTestOAuthToken000000001");
        let cases = [
            (format!("token {gho} rejected"), "token gho_**** rejected"),
            (ghp.clone(), "ghp_****"),
            ("ghs_abcdefgh12345678,ghu_abcdefgh12345678".to_owned(), "ghs_****,ghu_****"),
            (format!("github_pat_{}", "11AAAAAAA0aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), "github_pat_****"),
            (format!("PRIVATE-TOKEN: glpat-{}", "xxxxxxxxxxxxxxxxxxxx"), "PRIVATE-TOKEN: glpat-****"),
            (
                "deploy gldt-abcdefghijklmnop and glcbt-64_abcdefghijklmnopq".to_owned(),
                "deploy gldt-**** and glcbt-****",
            ),
            ("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl".to_owned(), "Bearer eyJ****"),
            (r#""auth": "YWxpY2U6Z2hwX3NlY3JldHNlY3JldA==""#.to_owned(), r#""auth": "****""#),
            ("Authorization: Basic eDpnb29kcGFzcw==".to_owned(), "Authorization: Basic ****"),
            (format!("password={ghp}"), "password=ghp_****"),
            (format!("x{ghp}"), "xghp_****"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(&input), want, "{input}");
        }
    }

    /// The cases `explain`'s own masking had before it called this function.
    #[test]
    fn masks_what_explain_quotes() {
        let gho = format!("gho_{}", "FAKEexplainQuotedOAuthToken000000003");
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMH0.c2lnbmF0dXJlLWJ5dGVz";
        assert_eq!(redact(&format!("echo {gho} | docker login")), "echo gho_**** | docker login");
        assert_eq!(
            redact(&format!("password=github_pat_{}.", "11FAKE0123456789_abcdefghijklmnopqrstuvwxyz")),
            "password=github_pat_****."
        );
        assert_eq!(redact(&format!("-p glpat-{}", "FAKExXxXxXxXxXxXxXxX")), "-p glpat-****");
        for prefix in
            ["ghp_", "ghu_", "ghs_", "ghr_", "gldt-", "glcbt-", "glrt-", "gloas-", "glptt-", "glft-", "dckr_pat_"]
        {
            let token = format!("{prefix}FAKE0123456789abcdefghij");
            assert_eq!(redact(&format!("'{token}'")), format!("'{prefix}****'"));
        }
        assert_eq!(redact(&format!("Authorization: Bearer {jwt}")), "Authorization: Bearer eyJ****");
        // base64("alice:ghp_FAKE0123456789abcdef"), as a header and as docker's `auth`.
        let basic = "YWxpY2U6Z2hwX0ZBS0UwMTIzNDU2Nzg5YWJjZGVm";
        assert_eq!(redact(&format!("Authorization: Basic {basic}")), "Authorization: Basic ****");
        assert_eq!(redact(&format!("{{\"auth\":\"{basic}\"}}")), "{\"auth\":\"****\"}");
        // Two tokens run together leave nothing of either.
        let twice = format!("{gho}{gho}");
        assert!(!redact(&twice).contains("explainQuoted"), "{}", redact(&twice));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for text in [
            "",
            "denied: denied",
            "gh auth token | docker login ghcr.io -u alice --password-stdin",
            "ghs_x is short",
            "see https://github.com/orgs/acme/sso?authorization_request=abc",
            "sha256:3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80",
            "Error response from daemon: Head \"https://ghcr.io/v2/acme/app/manifests/1.2\": unauthorized",
            "gho_short and ghp_ and github_pat_x",
            "scope=repository%3Aacme%2Fapp%3Apull&service=ghcr.io",
            "/home/runner/work/dnsbl_exporter/dnsbl_exporter/dnsbl-exporter-0.3.0.tgz",
            "sha256:9cb31e2e37eab1bff50f727e979fcacb509e225fb853433a6fe21d2fb34e6305",
        ] {
            assert!(matches!(redact(text), Cow::Borrowed(t) if t == text), "{text}");
        }
    }

    #[test]
    fn never_panics_on_any_text() {
        for text in ["gh", "ghp_", "eyJ", "eyJaaaaaaaaaa.", "é😀ghp_abcdefghijk", "=====", "YWxp:Y2U="] {
            let _ = redact(text);
        }
    }
}
