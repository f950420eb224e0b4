//! [`GhConfigDir`]: a temporary `GH_CONFIG_DIR` with `hosts.yml` (gh 2.23 and ≥2.40 shapes,
//! ghcr-facts §4.4) and `config.yml` (`http_unix_socket:` to drive the real gh against
//! [`crate::ApiServer`], real-behaviour §1.7.3).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which gh wrote `hosts.yml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostsShape {
    /// gh < 2.40 (e.g. 2.23): host-level `oauth_token`, `user`, `git_protocol`.
    Legacy,
    /// gh ≥ 2.40: `users:` map plus the active `user` (and `oauth_token` with insecure storage).
    MultiAccount,
}

/// One host entry of `hosts.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GhHost {
    pub host: String,
    /// The active account.
    pub user: String,
    /// The active token; `None` = kept in the keyring (not in the file).
    pub token: Option<String>,
    pub git_protocol: String,
    /// Further accounts (≥2.40 shape only): login and token (None = keyring).
    pub other_users: Vec<(String, Option<String>)>,
}

impl GhHost {
    pub fn new(host: &str, user: &str, token: Option<&str>) -> GhHost {
        GhHost {
            host: host.to_owned(),
            user: user.to_owned(),
            token: token.map(str::to_owned),
            git_protocol: "https".to_owned(),
            other_users: Vec::new(),
        }
    }
    pub fn other_user(mut self, login: &str, token: Option<&str>) -> GhHost {
        self.other_users.push((login.to_owned(), token.map(str::to_owned)));
        self
    }
}

/// Renders `hosts.yml`.
pub fn hosts_yml(shape: HostsShape, hosts: &[GhHost]) -> String {
    let mut out = String::new();
    for h in hosts {
        out.push_str(&format!("{}:\n", h.host));
        match shape {
            HostsShape::Legacy => {
                if let Some(t) = &h.token {
                    out.push_str(&format!("    oauth_token: {t}\n"));
                }
                out.push_str(&format!("    user: {}\n    git_protocol: {}\n", h.user, h.git_protocol));
            }
            HostsShape::MultiAccount => {
                out.push_str("    users:\n");
                let mut users = vec![(h.user.clone(), h.token.clone())];
                users.extend(h.other_users.iter().cloned());
                for (login, token) in users {
                    out.push_str(&format!("        {login}:\n"));
                    if let Some(t) = token {
                        out.push_str(&format!("            oauth_token: {t}\n"));
                    }
                }
                out.push_str(&format!("    git_protocol: {}\n    user: {}\n", h.git_protocol, h.user));
                if let Some(t) = &h.token {
                    out.push_str(&format!("    oauth_token: {t}\n"));
                }
            }
        }
    }
    out
}

/// Token variables gh reads (ghcr-facts §4.4); [`GhConfigDir::apply_env`] removes them.
pub const GH_ENV_VARS: &[&str] =
    &["GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_HOST", "GH_CONFIG_DIR"];

/// A temporary gh configuration directory. Removed on drop.
pub struct GhConfigDir {
    dir: tempfile::TempDir,
}

impl GhConfigDir {
    pub fn new() -> io::Result<GhConfigDir> {
        Ok(GhConfigDir { dir: tempfile::Builder::new().prefix("ghcr-doctor-gh").tempdir()? })
    }
    /// The value for `GH_CONFIG_DIR`.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    /// A path inside the directory for the API server's unix socket (short enough for
    /// `sun_path`).
    pub fn socket_path(&self) -> PathBuf {
        self.path().join("api.sock")
    }
    /// Writes `hosts.yml`.
    pub fn write_hosts(&self, shape: HostsShape, hosts: &[GhHost]) -> io::Result<()> {
        self.write_hosts_raw(&hosts_yml(shape, hosts))
    }
    pub fn write_hosts_raw(&self, yaml: &str) -> io::Result<()> {
        fs::write(self.path().join("hosts.yml"), yaml)
    }
    /// Writes `config.yml` with `http_unix_socket: <socket>` (every gh HTTP request then goes
    /// over that socket as plain HTTP, for any host).
    pub fn set_http_unix_socket(&self, socket: &Path) -> io::Result<()> {
        self.write_config_raw(&format!("http_unix_socket: {}\n", socket.display()))
    }
    pub fn write_config_raw(&self, yaml: &str) -> io::Result<()> {
        fs::write(self.path().join("config.yml"), yaml)
    }
    /// Points `cmd` (a gh invocation) at this directory: sets `GH_CONFIG_DIR`, removes token and
    /// host variables, disables prompts and the update notifier, and keeps gh's state and
    /// cache inside the temporary directory.
    pub fn apply_env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        for v in GH_ENV_VARS {
            cmd.env_remove(v);
        }
        cmd.env("GH_CONFIG_DIR", self.path())
            .env("GH_NO_UPDATE_NOTIFIER", "1")
            .env("GH_PROMPT_DISABLED", "1")
            .env("NO_COLOR", "1")
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .env("XDG_DATA_HOME", self.path().join("data"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_shape_matches_gh_2_23() {
        let y = hosts_yml(HostsShape::Legacy, &[GhHost::new("github.com", "octocat", Some("gho_X"))]);
        assert_eq!(y, "github.com:\n    oauth_token: gho_X\n    user: octocat\n    git_protocol: https\n");
    }

    #[test]
    fn multi_account_shape() {
        let h = GhHost::new("github.com", "alice", Some("gho_A")).other_user("bob", None);
        let y = hosts_yml(HostsShape::MultiAccount, &[h]);
        assert_eq!(
            y,
            "github.com:\n    users:\n        alice:\n            oauth_token: gho_A\n        bob:\n    \
             git_protocol: https\n    user: alice\n    oauth_token: gho_A\n"
        );
    }
}
