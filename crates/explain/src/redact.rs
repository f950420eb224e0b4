//! Masking token-shaped strings in the text `explain` quotes back (the evidence of a match), so a
//! pasted log never makes ghcr-doctor print a secret: GitHub tokens (`ghp_`, `gho_`, `ghu_`,
//! `ghs_`, `ghr_`, `github_pat_`), GitLab tokens (`glpat-`, `gldt-`, `glcbt-`, `glrt-`, `gloas-`,
//! `glptt-`, `glft-`), Docker Hub tokens (`dckr_pat_`), JWTs (`eyJ….….…`) and base64 `user:token`
//! pairs (HTTP Basic, `"auth"` in config.json) keep only their prefix: `gho_****`, `eyJ****`,
//! `****`.

use std::borrow::Cow;

/// Prefixes that start a token, and the shortest body that makes a string token-shaped.
const PREFIXES: &[(&str, usize)] = &[
    ("github_pat_", 20),
    ("ghp_", 16),
    ("gho_", 16),
    ("ghu_", 16),
    ("ghs_", 16),
    ("ghr_", 16),
    ("glpat-", 16),
    ("gldt-", 16),
    ("glcbt-", 16),
    ("glrt-", 16),
    ("gloas-", 16),
    ("glptt-", 16),
    ("glft-", 16),
    ("dckr_pat_", 16),
];

/// The shortest base64 run that is checked for a `user:token` pair.
const MIN_BASIC: usize = 16;

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// `text` with every token-shaped string masked to its prefix (borrowed when there is none).
pub fn mask_tokens(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // A token starts at a word boundary.
        let boundary = i == 0 || !is_token_byte(bytes[i - 1]) && bytes[i - 1] != b'+' && bytes[i - 1] != b'/';
        if !boundary {
            i += 1;
            continue;
        }
        let Some((len, keep)) = token_at(bytes, i) else {
            i += 1;
            continue;
        };
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..i]);
        out.push_str(keep);
        out.push_str("****");
        i += len;
        copied = i;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
    }
}

/// The token starting at `at`: its length and the prefix to keep.
fn token_at(bytes: &[u8], at: usize) -> Option<(usize, &'static str)> {
    let rest = &bytes[at..];
    for &(prefix, min) in PREFIXES {
        if rest.starts_with(prefix.as_bytes()) {
            let body = rest[prefix.len()..].iter().take_while(|&&b| is_token_byte(b)).count();
            if body >= min {
                return Some((prefix.len() + body, prefix));
            }
        }
    }
    if rest.starts_with(b"eyJ")
        && let Some(len) = jwt_len(rest)
    {
        return Some((len, "eyJ"));
    }
    let run = rest.iter().take_while(|&&b| is_base64_byte(b)).count();
    if run >= MIN_BASIC {
        let padding = rest[run..].iter().take(2).take_while(|&&b| b == b'=').count();
        if is_basic_pair(&rest[..run + padding]) {
            return Some((run + padding, ""));
        }
    }
    None
}

/// `header.payload.signature`, three base64url parts (the signature may be empty).
fn jwt_len(s: &[u8]) -> Option<usize> {
    let part =
        |from: usize| s[from..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').count();
    let header = part(0);
    if header < 10 || s.get(header) != Some(&b'.') {
        return None;
    }
    let payload = part(header + 1);
    if payload < 10 || s.get(header + 1 + payload) != Some(&b'.') {
        return None;
    }
    let signature = part(header + 2 + payload);
    Some(header + 2 + payload + signature)
}

/// Whether `s` is base64 of `user:secret` (printable ASCII, a colon with text on both sides).
fn is_basic_pair(s: &[u8]) -> bool {
    let Some(decoded) = base64_decode(s) else { return false };
    let Some(colon) = decoded.iter().position(|&b| b == b':') else { return false };
    colon > 0 && decoded.len() - colon > 4 && decoded.iter().all(|&b| (0x21..0x7f).contains(&b))
}

fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let body: Vec<u8> = s.iter().copied().take_while(|&b| b != b'=').collect();
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for b in body {
        acc = (acc << 6) | u32::from(value(b)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GHO: &str = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
    const PAT: &str = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS";
    const GLPAT: &str = "glpat-xXxXxXxXxXxXxXxXxXxX";
    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMH0.c2lnbmF0dXJlLWJ5dGVz";

    #[test]
    fn tokens_keep_only_their_prefix() {
        assert_eq!(mask_tokens(&format!("echo {GHO} | docker login")), "echo gho_**** | docker login");
        assert_eq!(mask_tokens(&format!("password={PAT}.")), "password=github_pat_****.");
        assert_eq!(mask_tokens(&format!("-p {GLPAT}")), "-p glpat-****");
        for prefix in
            ["ghp_", "ghu_", "ghs_", "ghr_", "gldt-", "glcbt-", "glrt-", "gloas-", "glptt-", "glft-", "dckr_pat_"]
        {
            let token = format!("{prefix}0123456789abcdefghij");
            assert_eq!(mask_tokens(&format!("'{token}'")), format!("'{prefix}****'"));
        }
        assert_eq!(mask_tokens(&format!("Authorization: Bearer {JWT}")), "Authorization: Bearer eyJ****");
    }

    #[test]
    fn basic_pairs_are_masked_whole() {
        // base64("alice:ghp_0123456789abcdefghij")
        let basic = "YWxpY2U6Z2hwXzAxMjM0NTY3ODlhYmNkZWZnaGlq";
        assert_eq!(mask_tokens(&format!("Authorization: Basic {basic}")), "Authorization: Basic ****");
        assert_eq!(mask_tokens(&format!("{{\"auth\":\"{basic}\"}}")), "{\"auth\":\"****\"}");
        // base64("x:abc") is too short to be a secret; plain base64 of text without a colon stays.
        assert_eq!(
            mask_tokens("sha256:9cb31e2e37eab1bff50f727e979fcacb509e225fb853433a6fe21d2fb34e6305"),
            "sha256:9cb31e2e37eab1bff50f727e979fcacb509e225fb853433a6fe21d2fb34e6305"
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in [
            "Error response from daemon: Head \"https://ghcr.io/v2/acme/app/manifests/1.2\": denied: denied",
            "gho_short and ghp_ and github_pat_x",
            "scope=repository%3Aacme%2Fapp%3Apull&service=ghcr.io",
            "/home/runner/work/dnsbl_exporter/dnsbl_exporter/dnsbl-exporter-0.3.0.tgz",
            "",
        ] {
            assert!(matches!(mask_tokens(text), Cow::Borrowed(t) if t == text), "{text}");
        }
    }

    #[test]
    fn a_token_inside_a_word_is_not_split() {
        assert_eq!(mask_tokens("xgho_0123456789abcdefghij"), "xgho_0123456789abcdefghij");
        let twice = format!("{GHO}{GHO}");
        let masked = mask_tokens(&twice);
        assert!(!masked.contains("16C7e42F"), "{masked}");
    }
}
