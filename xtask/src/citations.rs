//! Citations resolve: every `NAME §N` cited in the sources (code comments, the explain rules'
//! `source:` strings, the `#` headers of the explain corpus) names one of the fact files in
//! `docs/reference/` and a section heading that file has. `docs/reference/README.md` says how to
//! cite; the test here is what keeps it true.
//!
//! What counts as a citation: a section sign followed by a number of one to three parts. The word
//! right before it is the file's name (`ghcr-facts`, `gitlab-facts` or `real-behaviour`); after a
//! list separator (`,` `;` `/` `+` `(` `and`, a line break) it continues the last name seen in the
//! same file; after a dash following another citation it ends a range, whose every number is
//! checked. Any other word before it fails, except an outside standard written `RFC <number>`.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use crate::docs::project_root;

    /// The fact files a citation may name, each `docs/reference/<name>.md`.
    const NAMES: [&str; 3] = ["ghcr-facts", "gitlab-facts", "real-behaviour"];
    /// The section sign, spelled as an escape so this file cites nothing itself.
    const SIGN: char = '\u{a7}';
    /// The directories scanned, relative to the repository root.
    const ROOTS: [&str; 4] = ["crates", "xtask", "tests", "benches"];
    /// Text files (not Rust) whose `#` header is scanned: the explain corpus.
    const TEXT_DIR: &str = "crates/explain/tests";

    /// A section number: `[1]`, `[1, 2]`, `[1, 7, 3]`.
    type Number = Vec<u32>;

    /// One cited section, after ranges are expanded.
    #[derive(Debug, PartialEq)]
    struct Citation {
        line: usize,
        name: String,
        number: Number,
    }

    /// What one text cites, and what in it is not a valid citation (line, message).
    #[derive(Debug, Default)]
    struct Scan {
        citations: Vec<Citation>,
        problems: Vec<(usize, String)>,
    }

    fn is_word_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '-' || c == '_'
    }

    /// The word `text` ends with (letters, digits, `-`, `_`), possibly empty.
    fn last_word(text: &str) -> &str {
        let start =
            text.char_indices().rev().take_while(|&(_, c)| is_word_char(c)).last().map_or(text.len(), |(i, _)| i);
        &text[start..]
    }

    /// The number right after a section sign, and how many bytes it takes; `None` if no digit follows.
    fn parse_number(text: &str) -> Option<(Number, usize)> {
        let bytes = text.as_bytes();
        let mut parts = Vec::new();
        let mut i = 0;
        loop {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
            parts.push(text[start..i].parse().ok()?);
            let more =
                parts.len() < 3 && bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !more {
                return Some((parts, i));
            }
            i += 1;
        }
    }

    fn show(number: &[u32]) -> String {
        number.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
    }

    /// Every citation in `text`, with the name each one belongs to.
    fn scan(text: &str) -> Scan {
        let mut out = Scan::default();
        let mut current: Option<String> = None;
        // The end (byte offset) and number of the previous citation, for ranges.
        let mut previous: Option<(usize, Number)> = None;
        for (pos, c) in text.char_indices() {
            if c != SIGN {
                continue;
            }
            let after = pos + SIGN.len_utf8();
            let Some((number, len)) = parse_number(&text[after..]) else { continue };
            let line = text[..pos].matches('\n').count() + 1;
            let before = text[..pos].trim_end();

            // A range, `@0–@2` in the notation of the tests below: a dash right after the previous
            // citation. Its first end was recorded already.
            if let Some(dash) = before.strip_suffix(['–', '-'])
                && let (Some((end, first)), Some(name)) = (&previous, &current)
                && dash.trim_end().len() == *end
            {
                let (first, last) = (first.clone(), number.clone());
                let same_level = first.len() == last.len() && first[..first.len() - 1] == last[..last.len() - 1];
                let (a, b) = (first[first.len() - 1], last[last.len() - 1]);
                if !same_level || a >= b {
                    out.problems.push((line, format!("bad range {}–{}", show(&first), show(&last))));
                } else {
                    for k in a + 1..=b {
                        let mut n = first.clone();
                        *n.last_mut().unwrap() = k;
                        out.citations.push(Citation { line, name: name.clone(), number: n });
                    }
                }
                previous = Some((after + len, number));
                continue;
            }

            let word = last_word(before);
            let name = if NAMES.contains(&word) {
                current = Some(word.to_string());
                word.to_string()
            } else if word.is_empty() || word == "and" || word == "or" {
                match &current {
                    Some(name) => name.clone(),
                    None => {
                        out.problems.push((line, format!("{SIGN}{} has no file name before it", show(&number))));
                        continue;
                    }
                }
            } else if word.bytes().all(|b| b.is_ascii_digit())
                && last_word(before[..before.len() - word.len()].trim_end()) == "RFC"
            {
                continue;
            } else {
                out.problems.push((
                    line,
                    format!("`{word} {SIGN}{}` cites an unknown name (use one of {})", show(&number), NAMES.join(", ")),
                ));
                continue;
            };
            out.citations.push(Citation { line, name, number: number.clone() });
            previous = Some((after + len, number));
        }
        out
    }

    /// The section numbers of a fact file's headings: `## 1.`, `### 1.2 `, `#### 1.7.3 `, outside
    /// code blocks. A number that appears twice is returned in the second set.
    fn headings(markdown: &str) -> (BTreeSet<Number>, BTreeSet<Number>) {
        let (mut seen, mut twice) = (BTreeSet::new(), BTreeSet::new());
        let mut in_code = false;
        for line in markdown.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code {
                continue;
            }
            let hashes = line.bytes().take_while(|&b| b == b'#').count();
            let Some(rest) = line[hashes..].strip_prefix(' ') else { continue };
            let Some((number, len)) = parse_number(rest) else { continue };
            let tail = &rest[len..];
            let well_formed = match (hashes, number.len()) {
                (2, 1) => tail.starts_with('.'),
                (3, 2) | (4, 3) => tail.is_empty() || tail.starts_with(' '),
                _ => false,
            };
            if well_formed && !seen.insert(number.clone()) {
                twice.insert(number);
            }
        }
        (seen, twice)
    }

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && name != "node_modules" {
                    walk(&path, out);
                }
            } else {
                out.push(path);
            }
        }
    }

    /// The text of a file that may hold citations: a whole Rust file, or the leading `#` lines of
    /// a corpus file. `None` for anything else.
    fn citing_text(root: &Path, path: &Path) -> Option<String> {
        let ext = path.extension()?;
        if ext == "rs" {
            return std::fs::read_to_string(path).ok();
        }
        if ext == "txt" && path.starts_with(root.join(TEXT_DIR)) {
            let text = std::fs::read_to_string(path).ok()?;
            let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
            return Some(header.join("\n"));
        }
        None
    }

    #[test]
    fn citations_resolve_to_reference_headings() {
        let root = project_root();
        let reference = root.join("docs/reference");
        let mut sections = BTreeMap::new();
        let mut problems = Vec::new();
        for name in NAMES {
            let path = reference.join(format!("{name}.md"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let (seen, twice) = headings(&text);
            for n in twice {
                problems.push(format!("docs/reference/{name}.md: heading {} appears twice", show(&n)));
            }
            sections.insert(name, seen);
        }

        let mut files = Vec::new();
        for dir in ROOTS {
            walk(&root.join(dir), &mut files);
        }
        files.sort();
        let mut checked: BTreeMap<String, usize> = BTreeMap::new();
        for path in &files {
            let Some(text) = citing_text(&root, path) else { continue };
            let shown = path.strip_prefix(&root).unwrap_or(path).display().to_string();
            let scanned = scan(&text);
            for (line, message) in scanned.problems {
                problems.push(format!("{shown}:{line}: {message}"));
            }
            for c in scanned.citations {
                if !sections[c.name.as_str()].contains(&c.number) {
                    problems.push(format!(
                        "{shown}:{}: `{} {SIGN}{}`: docs/reference/{}.md has no heading {}",
                        c.line,
                        c.name,
                        show(&c.number),
                        c.name,
                        show(&c.number)
                    ));
                }
                *checked.entry(c.name).or_default() += 1;
            }
        }
        let total: usize = checked.values().sum();
        eprintln!("citations checked: {total} {checked:?}");
        assert!(problems.is_empty(), "citations that do not resolve:\n{}", problems.join("\n"));
        assert!(total > 150, "found only {total} citations: is the walk still looking in the right places?");
    }

    /// Writes `@` as the section sign, so the test inputs below cite nothing in this file.
    fn cite(text: &str) -> String {
        text.replace('@', &SIGN.to_string())
    }

    fn found(text: &str) -> Vec<(String, String)> {
        let s = scan(&cite(text));
        assert!(s.problems.is_empty(), "{text}: {:?}", s.problems);
        s.citations.into_iter().map(|c| (c.name, show(&c.number))).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn lists_ranges_and_continuations_belong_to_the_last_name() {
        assert_eq!(
            found("ghcr-facts @0, @1.2; real-behaviour @3.3 ghcr403, @3.9 and @1.7.3/@2 (@4.3 item 6)"),
            pairs(&[
                ("ghcr-facts", "0"),
                ("ghcr-facts", "1.2"),
                ("real-behaviour", "3.3"),
                ("real-behaviour", "3.9"),
                ("real-behaviour", "1.7.3"),
                ("real-behaviour", "2"),
                ("real-behaviour", "4.3"),
            ])
        );
        assert_eq!(
            found("(ghcr-facts @0–@2, gitlab-facts @1.1-@1.3)"),
            pairs(&[
                ("ghcr-facts", "0"),
                ("ghcr-facts", "1"),
                ("ghcr-facts", "2"),
                ("gitlab-facts", "1.1"),
                ("gitlab-facts", "1.2"),
                ("gitlab-facts", "1.3"),
            ])
        );
        // A sentence's full stop is not part of the number; a string continued on the next line
        // keeps its name.
        assert_eq!(
            found("follow ghcr-facts @2. Where \\\n                 @3.5 skopeo"),
            pairs(&[("ghcr-facts", "2"), ("ghcr-facts", "3.5")])
        );
        assert_eq!(found("RFC 4648 @10 test vectors; a lone @ sign"), pairs(&[]));
    }

    #[test]
    fn other_names_and_nameless_citations_are_refused() {
        for text in ["facts @1", "real @3.3", "see @2", "@1.1 first"] {
            let s = scan(&cite(text));
            assert!(s.citations.is_empty() && s.problems.len() == 1, "{text}: {s:?}");
        }
        assert_eq!(scan(&cite("ghcr-facts @1\nand\nfacts @2")).problems[0].0, 3);
        assert!(!scan(&cite("ghcr-facts @3–@1")).problems.is_empty());
    }

    #[test]
    fn headings_are_read_by_level() {
        let md = "# Title\n## 0. Matrix\n## 1. Registry\n### 1.1 Endpoints\n#### 1.7.3 Socket\n\
                  ### Key findings\n```text\n## 9. in a code block\n```\n### 2 wrong\n## 3 wrong\n### 1.1 Again\n";
        let (seen, twice) = headings(md);
        let shown: Vec<String> = seen.iter().map(|n| show(n)).collect();
        assert_eq!(shown, ["0", "1", "1.1", "1.7.3"]);
        assert_eq!(twice.into_iter().map(|n| show(&n)).collect::<Vec<_>>(), ["1.1"]);
    }
}
