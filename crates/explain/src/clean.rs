//! Line cleaning before matching: ANSI colour escapes, carriage returns, control characters,
//! GitHub Actions timestamps and `##[error]`-style markers, `::error::` workflow commands.

/// Writes the cleaned form of `raw` into `out` (cleared first).
///
/// - ANSI escapes (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, two-byte `ESC x`) are dropped;
/// - `\r` (CRLF endings, progress rewrites) and other control characters become spaces, tabs stay;
/// - leading `2024-05-01T10:00:00.1234567Z ` timestamps, `##[group]`/`##[error]`/... markers and
///   `::error file=...::` command prefixes are removed (in any order, repeatedly);
/// - surrounding whitespace and a byte-order mark are trimmed.
pub fn clean_line(raw: &str, out: &mut String) {
    out.clear();
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if raw.bytes().all(|b| b >= 0x20 || b == b'\t') {
        out.push_str(raw);
    } else {
        strip_controls(raw, out);
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
            c => out.push(c),
        }
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
    fn keeps_text_that_only_looks_like_a_prefix() {
        assert_eq!(clean("::notaprefix"), "::notaprefix");
        assert_eq!(clean("2024-05-01 is a date"), "2024-05-01 is a date");
        assert_eq!(clean("##[ unterminated"), "##[ unterminated");
    }
}
