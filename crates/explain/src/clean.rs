//! Line cleaning before matching: ANSI colour escapes, carriage returns, control characters,
//! GitHub Actions timestamps and `##[error]`-style markers, `::error::` workflow commands, and
//! what copying from a web page does to a log (typographic quotes and dashes, non-breaking
//! spaces, HTML entities).

/// Writes the cleaned form of `raw` into `out` (cleared first).
///
/// - ANSI escapes (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, two-byte `ESC x`) are dropped;
/// - `\r` (CRLF endings, progress rewrites) and other control characters become spaces, tabs stay;
/// - leading `2024-05-01T10:00:00.1234567Z ` timestamps, `##[group]`/`##[error]`/... markers and
///   `::error file=...::` command prefixes are removed (in any order, repeatedly);
/// - typographic quotes become `"` and `'`, en and em dashes `-` and `--`, non-breaking and other
///   Unicode spaces a space, zero-width characters go, and `&quot;` `&#39;` `&amp;` `&lt;` `&gt;`
///   are decoded (text pasted from forums and rendered issue pages);
/// - surrounding whitespace and a byte-order mark are trimmed.
pub fn clean_line(raw: &str, out: &mut String) {
    out.clear();
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if raw.bytes().all(|b| (0x20..0x80).contains(&b) || b == b'\t') {
        out.push_str(raw);
    } else {
        strip_controls(raw, out);
    }
    if out.contains('&') {
        decode_entities(out);
    }
    let start = prefix_len(out);
    let end = out.trim_end().len();
    if start >= end {
        out.clear();
    } else {
        out.truncate(end);
        out.drain(..start);
    }
}

fn strip_controls(raw: &str, out: &mut String) {
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    // CSI: parameters and intermediates, then one final byte in @..~
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    // OSC: up to BEL or ST (ESC \)
                    while let Some(c) = chars.next() {
                        if c == '\x07' {
                            break;
                        }
                        if c == '\x1b' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push(' '),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ff02}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{ff07}' => out.push('\''),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => out.push('-'),
            '\u{2014}' | '\u{2015}' => out.push_str("--"),
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => out.push(' '),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c => out.push(c),
        }
    }
}

/// Decodes the few HTML entities a copied log carries, in place.
fn decode_entities(text: &mut String) {
    const ENTITIES: &[(&str, &str)] = &[
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ];
    if ENTITIES.iter().any(|(e, _)| text.contains(e)) {
        let mut decoded = text.clone();
        for (entity, plain) in ENTITIES {
            decoded = decoded.replace(entity, plain);
        }
        *text = decoded;
    }
}

/// The length of the leading noise: whitespace, timestamps and log markers.
fn prefix_len(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut pos = 0;
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let rest = &bytes[pos..];
        if let Some(n) = timestamp_len(rest) {
            pos += n;
        } else if rest.starts_with(b"##[") {
            match rest.iter().position(|&b| b == b']') {
                Some(close) if close <= 20 => pos += close + 1,
                _ => return pos,
            }
        } else if rest.starts_with(b"::")
            && let Some(close) = find_subslice(&rest[2..], b"::")
            && close <= 200
            && rest.get(2).is_some_and(u8::is_ascii_lowercase)
        {
            pos += 2 + close + 2;
        } else {
            return pos;
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (or `+hh:mm`) followed by a space; returns the length with
/// the space.
fn timestamp_len(s: &[u8]) -> Option<usize> {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    if s.len() < SHAPE.len() + 1 {
        return None;
    }
    for (i, &want) in SHAPE.iter().enumerate() {
        let ok = match want {
            b'd' => s[i].is_ascii_digit(),
            b'T' => s[i] == b'T' || s[i] == b' ',
            other => s[i] == other,
        };
        if !ok {
            return None;
        }
    }
    let mut pos = SHAPE.len();
    if s.get(pos) == Some(&b'.') {
        pos += 1;
        while s.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
    }
    match s.get(pos) {
        Some(b'Z') => pos += 1,
        Some(b'+' | b'-') if s.len() >= pos + 6 && s[pos + 3] == b':' => pos += 6,
        _ => {}
    }
    match s.get(pos) {
        Some(b' ' | b'\t') => Some(pos + 1),
        None => Some(pos),
        _ => None,
    }
}

fn find_subslice(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        let mut out = String::new();
        clean_line(s, &mut out);
        out
    }

    #[test]
    fn strips_actions_decorations() {
        assert_eq!(clean("2024-05-01T10:00:00.1234567Z ##[error]Error: denied\r"), "Error: denied");
        assert_eq!(
            clean("2024-05-01T10:00:00.1234567Z ##[group]Run docker/login-action@v3"),
            "Run docker/login-action@v3"
        );
        assert_eq!(clean("::error file=a.yml,line=3::Error: x"), "Error: x");
        assert_eq!(clean("\u{feff}  hello  "), "hello");
    }

    #[test]
    fn strips_ansi() {
        assert_eq!(clean("\x1b[31;1mERROR\x1b[0m: failed"), "ERROR: failed");
        assert_eq!(clean("\x1b]8;;http://x\x07link\x1b]8;;\x1b\\"), "link");
        assert_eq!(clean("2024-05-01T10:00:00Z \x1b[36;1m##[error]\x1b[0mboom"), "boom");
    }

    #[test]
    fn undoes_what_web_pages_do_to_a_log() {
        assert_eq!(
            clean("Head \u{201c}https://ghcr.io/v2/a/b/manifests/1\u{201d}: unauthorized"),
            "Head \"https://ghcr.io/v2/a/b/manifests/1\": unauthorized"
        );
        assert_eq!(clean("docker login \u{2014}username x\u{a0}ghcr.io"), "docker login --username x ghcr.io");
        assert_eq!(clean("Head &quot;https://x/v2/&quot;: denied &amp; more"), "Head \"https://x/v2/\": denied & more");
        assert_eq!(clean("caf\u{e9} \u{30db}\u{30b9}\u{30c8}"), "caf\u{e9} \u{30db}\u{30b9}\u{30c8}");
    }

    #[test]
    fn keeps_text_that_only_looks_like_a_prefix() {
        assert_eq!(clean("::notaprefix"), "::notaprefix");
        assert_eq!(clean("2024-05-01 is a date"), "2024-05-01 is a date");
        assert_eq!(clean("##[ unterminated"), "##[ unterminated");
    }
}
