//! `Msg`: a bilingual template with its arguments, rendered late in the user's language.

use crate::{Lang, Text};

/// A [`Text`] plus the values of its `{placeholders}`. Arguments never hold secrets (masked
/// tokens at most) and are the same in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub text: Text,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(text: Text) -> Msg {
        Msg { text, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }

    /// Fills `{name}` placeholders; an unknown placeholder is left as written.
    pub fn render(&self, lang: Lang) -> String {
        fill(self.text.get(lang), &self.args)
    }
}

/// Replaces every `{name}` in `template` with its value from `args`.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if after[..end].bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && end > 0 => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_placeholders_and_keeps_others() {
        let args = [("host", "github.com".to_string())];
        assert_eq!(
            fill("gh auth refresh -h {host} {x} {{json .}}", &args),
            "gh auth refresh -h github.com {x} {{json .}}"
        );
    }
}
