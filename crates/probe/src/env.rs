//! `Env`: a snapshot of the environment variables the probe reads and hands to child processes.
//!
//! Everything the probe does is decided from this snapshot, never from `std::env` directly, so
//! tests inject one and child processes get exactly it. Its `Debug` shows names only: values hold
//! tokens (`GH_TOKEN`, `DOCKER_AUTH_CONFIG`).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;

/// A snapshot of environment variables. Values are kept as the OS gave them: a path that is not
/// UTF-8 (`DOCKER_CONFIG`, `GH_CONFIG_DIR`) reaches files and child processes unchanged; only the
/// text view ([`Env::get`]) leaves such a value out.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, OsString>,
}

impl Env {
    /// The current process's environment.
    #[allow(clippy::disallowed_methods)] // the one read of the process environment
    pub fn from_process() -> Env {
        let vars = std::env::vars_os().map(|(k, v)| (k.to_string_lossy().into_owned(), v)).collect();
        Env { vars }
    }

    /// An environment holding exactly these pairs (later duplicates win).
    pub fn from_pairs<K: Into<String>, V: Into<OsString>>(pairs: impl IntoIterator<Item = (K, V)>) -> Env {
        Env { vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }

    /// The value of `name` as the OS has it (possibly empty, possibly not UTF-8).
    pub fn get_os(&self, name: &str) -> Option<&OsStr> {
        if let Some(v) = self.vars.get(name) {
            return Some(v);
        }
        if cfg!(windows) {
            return self.vars.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_os_str());
        }
        None
    }

    /// A path-valued variable when it is set and not empty, whatever its encoding.
    pub fn path_var(&self, name: &str) -> Option<std::path::PathBuf> {
        self.get_os(name).filter(|v| !v.is_empty()).map(std::path::PathBuf::from)
    }

    /// The value of `name` as set (possibly empty), when it is UTF-8 text. On Windows names are
    /// case-insensitive.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_os(name).and_then(OsStr::to_str)
    }

    /// The value of `name` when it is set and not empty (how gh and docker read their variables).
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// The home directory: `HOME`, on Windows also `USERPROFILE`.
    pub fn home(&self) -> Option<&str> {
        self.non_empty("HOME").or_else(|| if cfg!(windows) { self.non_empty("USERPROFILE") } else { None })
    }

    /// `PATH`, where programs are looked up.
    pub fn path(&self) -> Option<&str> {
        self.get("PATH")
    }

    /// Whether this is a CI run: `GITHUB_ACTIONS=true`, or `CI` set to anything but empty,
    /// `false` or `0` (so `CI=false` on a developer's machine is not CI). The one CI detection.
    pub fn is_ci(&self) -> bool {
        self.get("GITHUB_ACTIONS") == Some("true")
            || self.non_empty("CI").is_some_and(|v| !v.eq_ignore_ascii_case("false") && v != "0")
    }

    /// This environment with `name` set to `value`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<OsString>) -> Env {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// This environment without the given variables.
    pub fn without(mut self, names: &[&str]) -> Env {
        self.vars.retain(|k, _| !names.iter().any(|n| k == n || (cfg!(windows) && k.eq_ignore_ascii_case(n))));
        self
    }

    /// All variables, for handing to a child process (values exactly as the OS gave them).
    pub fn vars(&self) -> impl Iterator<Item = (&str, &OsStr)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_os_str()))
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env").field("names", &self.vars.keys().collect::<Vec<_>>()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_masks() {
        let env = Env::from_pairs([("HOME", "/h"), ("GH_TOKEN", "ghp_secretvalue"), ("EMPTY", "")]);
        assert_eq!(env.home(), Some("/h"));
        assert_eq!(env.get("EMPTY"), Some(""));
        assert_eq!(env.non_empty("EMPTY"), None);
        let env = env.without(&["GH_TOKEN"]);
        assert_eq!(env.get("GH_TOKEN"), None);
        let shown = format!("{:?}", Env::from_pairs([("GH_TOKEN", "ghp_secretvalue")]));
        assert!(shown.contains("GH_TOKEN") && !shown.contains("secretvalue"), "{shown}");
    }

    #[test]
    fn ci_is_github_actions_or_a_ci_variable_that_is_not_false() {
        let ci = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().copied()).is_ci();
        assert!(ci(&[("GITHUB_ACTIONS", "true")]));
        assert!(ci(&[("CI", "true")]));
        assert!(ci(&[("CI", "1")]));
        assert!(!ci(&[("CI", "false")]));
        assert!(!ci(&[("CI", "FALSE")]));
        assert!(!ci(&[("CI", "0")]));
        assert!(!ci(&[("CI", "")]));
        assert!(!ci(&[("GITHUB_ACTIONS", "false")]));
        assert!(!ci(&[]));
    }
}
