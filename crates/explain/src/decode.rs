//! Input decoding, before anything looks at lines: the encoding is decided once from the start of
//! the input (a UTF-8 or UTF-16 byte-order mark, or UTF-16 without one, recognised by its NUL
//! bytes), UTF-16 LE/BE is turned into UTF-8 (surrogate pairs and odd bytes across chunk
//! boundaries included), and NUL bytes left in UTF-8 text are dropped. Streaming: output depends
//! only on the bytes, never on how they were cut into chunks.

/// How many leading bytes decide the encoding when there is no byte-order mark.
const SNIFF: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    /// Not decided yet: fewer than [`SNIFF`] bytes seen and no byte-order mark.
    Unknown,
    Utf8,
    Utf16 {
        little_endian: bool,
    },
}

/// Turns raw input chunks into UTF-8 (possibly invalid where the input was) without NUL bytes.
pub struct Decoder {
    encoding: Encoding,
    /// Bytes held back: the undecided start, or the odd byte of a UTF-16 unit.
    pending: Vec<u8>,
    /// A high surrogate waiting for its low half.
    high_surrogate: Option<u16>,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder { encoding: Encoding::Unknown, pending: Vec::new(), high_surrogate: None }
    }

    /// Decodes `input`, appending UTF-8 to `out`.
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) {
        match self.encoding {
            Encoding::Unknown => {
                self.pending.extend_from_slice(input);
                if let Some(encoding) = sniff(&self.pending, false) {
                    self.start(encoding, out);
                }
            }
            Encoding::Utf8 => push_without_nul(input, out),
            Encoding::Utf16 { little_endian } => self.utf16(input, little_endian, out),
        }
    }

    /// Flushes what is held back at the end of the input.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.encoding == Encoding::Unknown {
            let encoding = sniff(&self.pending, true).unwrap_or(Encoding::Utf8);
            self.start(encoding, out);
        }
        if let Encoding::Utf16 { .. } = self.encoding
            && (self.high_surrogate.take().is_some() || !self.pending.is_empty())
        {
            self.pending.clear();
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }

    fn start(&mut self, encoding: Encoding, out: &mut Vec<u8>) {
        self.encoding = encoding;
        let held = std::mem::take(&mut self.pending);
        let body = match (encoding, held.as_slice()) {
            (Encoding::Utf8, [0xef, 0xbb, 0xbf, rest @ ..]) => rest,
            (Encoding::Utf16 { little_endian: true }, [0xff, 0xfe, rest @ ..]) => rest,
            (Encoding::Utf16 { little_endian: false }, [0xfe, 0xff, rest @ ..]) => rest,
            (_, all) => all,
        };
        let body = body.to_vec();
        self.decode(&body, out);
    }

    fn utf16(&mut self, input: &[u8], little_endian: bool, out: &mut Vec<u8>) {
        let mut bytes = input;
        if let Some(&odd) = self.pending.first() {
            let Some((&next, rest)) = bytes.split_first() else { return };
            self.pending.clear();
            self.unit(
                if little_endian { u16::from_le_bytes([odd, next]) } else { u16::from_be_bytes([odd, next]) },
                out,
            );
            bytes = rest;
        }
        let mut pairs = bytes.chunks_exact(2);
        for pair in &mut pairs {
            let unit = if little_endian {
                u16::from_le_bytes([pair[0], pair[1]])
            } else {
                u16::from_be_bytes([pair[0], pair[1]])
            };
            self.unit(unit, out);
        }
        self.pending.extend_from_slice(pairs.remainder());
    }

    fn unit(&mut self, unit: u16, out: &mut Vec<u8>) {
        let c = match (self.high_surrogate.take(), unit) {
            (None, 0xd800..=0xdbff) => {
                self.high_surrogate = Some(unit);
                return;
            }
            (Some(high), 0xdc00..=0xdfff) => {
                char::from_u32(0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00))
            }
            (Some(_), _) => {
                out.extend_from_slice("\u{fffd}".as_bytes());
                self.unit(unit, out);
                return;
            }
            (None, 0) => return,
            (None, _) => char::from_u32(u32::from(unit)),
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.unwrap_or('\u{fffd}').encode_utf8(&mut buf).as_bytes());
    }
}

/// The encoding of a text starting with `start`, or `None` while more bytes could change the
/// answer (`complete` = there are no more bytes).
fn sniff(start: &[u8], complete: bool) -> Option<Encoding> {
    if let [0xef, 0xbb, 0xbf, ..] = start {
        return Some(Encoding::Utf8);
    }
    if let [a @ (0xff | 0xfe), b @ (0xff | 0xfe), rest @ ..] = start
        && a != b
    {
        // A UTF-16 byte-order mark, unless what follows is plainly 8-bit text (`\xff\xfe` can be
        // garbage at the start of a log).
        if rest.len() < SNIFF - 2 && !complete {
            return None;
        }
        let pairs = rest.chunks_exact(2);
        let n = pairs.len();
        let text = |b: u8| (0x20..0x7f).contains(&b) || matches!(b, b'\n' | b'\r' | b'\t');
        let eight_bit = pairs.filter(|p| text(p[0]) && text(p[1])).count();
        if n >= 4 && eight_bit * 2 > n {
            return Some(Encoding::Utf8);
        }
        return Some(Encoding::Utf16 { little_endian: *a == 0xff });
    }
    let could_be_bom = matches!(start, [] | [0xff | 0xfe | 0xef] | [0xef, 0xbb] | [0xef, 0xbb, _]);
    if start.len() < SNIFF && !complete {
        // Without a byte-order mark, UTF-16 shows in the first bytes: wait for them, unless the
        // first pair already rules it out.
        let ruled_out = start.len() >= 2 && start[0] != 0 && start[1] != 0 && !could_be_bom;
        return ruled_out.then_some(Encoding::Utf8);
    }
    // UTF-16 without a byte-order mark: ASCII text has a NUL in every other byte.
    let pairs = start.len() / 2;
    if pairs >= 2 {
        let (mut low_nul, mut high_nul) = (0, 0);
        for pair in start.chunks_exact(2) {
            match (pair[0], pair[1]) {
                (0, 0) => {}
                (_, 0) => low_nul += 1,
                (0, _) => high_nul += 1,
                _ => {}
            }
        }
        if low_nul * 4 >= pairs * 3 {
            return Some(Encoding::Utf16 { little_endian: true });
        }
        if high_nul * 4 >= pairs * 3 {
            return Some(Encoding::Utf16 { little_endian: false });
        }
    }
    Some(Encoding::Utf8)
}

fn push_without_nul(input: &[u8], out: &mut Vec<u8>) {
    if memchr::memchr(0, input).is_none() {
        out.extend_from_slice(input);
    } else {
        out.extend(input.iter().copied().filter(|&b| b != 0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_steps(bytes: &[u8], step: usize) -> String {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for chunk in bytes.chunks(step.max(1)) {
            d.decode(chunk, &mut out);
        }
        d.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if little_endian { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf16_with_and_without_bom_in_any_chunking() {
        let text = "PS C:\\> docker pull ghcr.io/acme/app\r\nError: そのようなホストは不明です 🐳\r\n";
        for little_endian in [true, false] {
            for bom in [true, false] {
                let bytes = utf16(text, little_endian, bom);
                for step in [1, 2, 3, 5, 64, 4096] {
                    assert_eq!(decode_in_steps(&bytes, step), text, "le={little_endian} bom={bom} step={step}");
                }
            }
        }
    }

    #[test]
    fn utf8_keeps_its_bytes_drops_nul_and_the_bom() {
        assert_eq!(decode_in_steps(b"\xef\xbb\xbfdenied\n", 1), "denied\n");
        assert_eq!(decode_in_steps(b"de\0nied\0\n", 3), "denied\n");
        assert_eq!(decode_in_steps(b"ab", 1), "ab");
        assert_eq!(decode_in_steps(b"", 1), "");
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.decode(b"\xff\xff\xc3", &mut out);
        d.finish(&mut out);
        assert_eq!(out, b"\xff\xff\xc3", "invalid UTF-8 is passed on for the lossy reader");
    }

    #[test]
    fn a_bom_followed_by_8_bit_text_is_not_utf16() {
        let garbage = b"\xff\xfe garbage \xc3\x28\nError response from daemon: manifest unknown\n";
        for step in [1, 3, 100] {
            let mut d = Decoder::new();
            let mut out = Vec::new();
            for chunk in garbage.chunks(step) {
                d.decode(chunk, &mut out);
            }
            d.finish(&mut out);
            assert_eq!(out, garbage, "step {step}");
        }
    }

    #[test]
    fn broken_utf16_never_panics() {
        assert_eq!(decode_in_steps(&[0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00], 1), "\u{fffd}A");
        assert_eq!(decode_in_steps(&[0xff, 0xfe, 0x41], 1), "\u{fffd}");
        assert_eq!(decode_in_steps(&[0xff, 0xfe, 0x00, 0xdc], 1), "\u{fffd}");
    }
}
