//! `Msg`: a bilingual template with its arguments, rendered late in the user's language.

use crate::{Lang, Text};

/// A [`Text`] plus the values of its `{placeholders}`. Arguments never hold secrets (masked
/// tokens at most); a plain argument is the same in both languages, a nested `Msg` is rendered
/// in the language of the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub text: Text,
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of one placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Plain(String),
    Localized(Box<Msg>),
}

impl Msg {
    pub fn new(text: Text) -> Msg {
        Msg { text, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, Arg::Plain(value.to_string())));
        self
    }

    /// A placeholder whose value is itself bilingual.
    pub fn arg_msg(mut self, name: &'static str, value: Msg) -> Msg {
        self.args.push((name, Arg::Localized(Box::new(value))));
        self
    }

    /// Fills `{name}` placeholders; an unknown placeholder is left as written.
    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Arg::Plain(s) => s.clone(),
                    Arg::Localized(m) => m.render(lang),
                };
                (*k, value)
            })
            .collect();
        fill(self.text.get(lang), &args)
    }
}

/// `text` as typed, with line breaks and other control characters shown as escapes (`\n`), for
/// quoting user input in a message: it can then never start a line of its own (a workflow
/// command in a CI log) or move the cursor.
pub fn escape_controls(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
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
