//! The two languages ghcr-doctor speaks, and `Text`: one user-facing string in both.
//!
//! `Text` has no default and no constructor that takes one language, so a check or cause without
//! its Japanese (or English) text does not compile.

use std::fmt;

/// A language of the user interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The code used on the command line, in config files and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// `ja`, `ja_JP.UTF-8`, `ja-JP` mean Japanese; `en*` English; anything else is `None`.
    pub fn from_code(s: &str) -> Option<Lang> {
        let lower = s.trim().to_ascii_lowercase();
        if lower == "ja" || lower.starts_with("ja_") || lower.starts_with("ja-") || lower.starts_with("ja.") {
            Some(Lang::Ja)
        } else if lower == "en" || lower.starts_with("en_") || lower.starts_with("en-") || lower.starts_with("en.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language a POSIX locale value asks for: `ja*` is Japanese, anything else English.
    /// `C` and `POSIX` are English.
    pub fn from_locale(value: &str) -> Lang {
        if value.trim().to_ascii_lowercase().starts_with("ja") { Lang::Ja } else { Lang::En }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One user-facing text, in both languages. Placeholders are written `{name}` and filled by
/// [`Msg`](crate::Msg).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub ja: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }
}

/// Shorthand for a [`Text`] literal: `t!("English", "日本語")`.
#[macro_export]
macro_rules! t {
    ($en:expr, $ja:expr $(,)?) => {
        $crate::Text { en: $en, ja: $ja }
    };
}
