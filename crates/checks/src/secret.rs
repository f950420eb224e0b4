//! `Secret`: a token or password that can never be printed. `Debug` and `Display` show only the
//! prefix (`gho_****`), as gh does; it is never serialized. The raw value is reachable only
//! through [`Secret::expose`], which the probe uses to talk to servers and to feed docker's stdin.

use std::fmt;

/// A secret (token or password).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The prefix only: `gho_****`. A secret without a known prefix shows `****`.
    pub fn masked(&self) -> String {
        format!("{}****", known_prefix(&self.0))
    }
}

/// The known token prefix `token` starts with (any family's), or `""`.
pub fn known_prefix(token: &str) -> &'static str {
    crate::github::TOKEN_PREFIXES
        .iter()
        .chain(crate::GITLAB_TOKEN_PREFIXES)
        .copied()
        .find(|p| token.starts_with(p))
        .unwrap_or("")
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}
