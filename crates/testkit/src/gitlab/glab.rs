//! A fake `glab` (the GitLab CLI is not packaged in Debian 12, gitlab-facts §11) and glab
//! configuration directories.
//!
//! [`FakeBin::glab`] writes a `#!/bin/sh` glab from a [`GlabFake`] spec that answers as glab
//! v1.79.0's source does (gitlabhq/cli @ 45aa37b, read for this kit):
//! - `glab --version` / `-v` / `version`: `glab 1.79.0 (COMMIT)` on stdout (`version.Scheme`,
//!   root.go's version template, root_test.go).
//! - `glab auth status [--hostname H] [--all] [--show-token]`: everything on stderr (status.go):
//!   per host `HOST`, `  ✓ Logged in to HOST as USER (SOURCE)` or `  x HOST: API call failed:
//!   ERROR`, the git/API protocol and endpoint lines, `  ✓ Token found: ****...` or
//!   `  ! No token found (...)`; then the env warning and, on a failure,
//!   `x could not authenticate to one or more of the configured GitLab instances.` (exit 1).
//!   SOURCE is computed when the fake runs, like glab's `GetWithSource`: the env variable name
//!   (`GITLAB_TOKEN`, `GITLAB_ACCESS_TOKEN`, `OAUTH_TOKEN`, which beat the file), `keyring`, or
//!   the config file path glab would use (`$GLAB_CONFIG_DIR/config.yml`, legacy
//!   `~/.config/glab-cli/config.yml`, `$XDG_CONFIG_HOME/glab-cli/config.yml`).
//! - Errors are printed as fang prints them when stderr is not a terminal: the error text and a
//!   newline. With no host: ``No GitLab instances have been authenticated with glab. Run `glab
//!   auth login` to authenticate.`` plus an empty line (the error text ends in `\n`), exit 1.
//! - `glab auth docker-helper get|store|erase` (only for versions ≥ 1.62.0): `get` reads the
//!   server URL on stdin and prints docker's credential JSON (`{"ServerURL","Username","Secret"}`)
//!   for the first host whose `container_registry_domains` lists it, from the config file or
//!   keyring only (never `GITLAB_TOKEN`), or fails with the documented errors; `store` and
//!   `erase` refuse (helper.go: `... manual registry logins. ...` for store, `... logouts. ...`
//!   for erase — the facts quote only the first).
//! - Every command first checks the config file's mode like glab's `config.Init`: not 0600 →
//!   `failed to read configuration:  PATH has the permissions 644, but glab requires 600.` +
//!   ``Consider running `chmod 600 PATH` `` on stderr, exit 2 (main.go, config_file.go).
//!
//! The canned API results stand in for glab's `GET /api/v4/user`; the fake does not read the
//! config file's contents (only its mode and path), and does not detect hosts from git remotes.
//!
//! [`GlabConfigDir`] writes `config.yml` in glab's format with mode 0600 (or any other mode, to
//! test the refusal). Calls are appended to `calls.log` (argv, and the server URL for
//! docker-helper); no secret is ever in argv or the log.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fakebin::{FakeBin, Output, sh_quote, write_output};

/// glab's version the facts were compiled against.
pub const GLAB_VERSION: &str = "1.79.0";
/// The commit shown by the default fake (the short hash of the source snapshot read; real
/// releases show goreleaser's `ShortCommit`).
pub const GLAB_COMMIT: &str = "45aa37be";
/// The first version with `glab auth docker-helper` (gitlab-facts §11).
pub const DOCKER_HELPER_SINCE: (u64, u64, u64) = (1, 62, 0);
/// gitlab.com's default `container_registry_domains`.
pub const GITLAB_COM_REGISTRY_DOMAINS: &[&str] = &["gitlab.com", "gitlab.com:443", "registry.gitlab.com"];
/// The env variables glab takes a token from, in its order.
pub const GLAB_TOKEN_VARS: &[&str] = &["GITLAB_TOKEN", "GITLAB_ACCESS_TOKEN", "OAUTH_TOKEN"];
/// Variables [`GlabConfigDir::apply_env`] removes (tokens, host selection, CI auto-login).
pub const GLAB_ENV_VARS: &[&str] = &[
    "GITLAB_TOKEN",
    "GITLAB_ACCESS_TOKEN",
    "OAUTH_TOKEN",
    "GITLAB_HOST",
    "GITLAB_URI",
    "GL_HOST",
    "GITLAB_API_HOST",
    "GLAB_CONFIG_DIR",
    "GLAB_ENABLE_CI_AUTOLOGIN",
];

/// Where a host's token is stored.
#[derive(Clone, PartialEq, Eq)]
pub enum GlabToken {
    /// `token:` in `config.yml`.
    Config(String),
    /// The OS keyring (`glab auth login --use-keyring`): `token:` empty in the file.
    Keyring(String),
    /// No token stored.
    None,
}

impl std::fmt::Debug for GlabToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlabToken::Config(t) => write!(f, "Config({})", super::world::mask(t)),
            GlabToken::Keyring(t) => write!(f, "Keyring({})", super::world::mask(t)),
            GlabToken::None => f.write_str("None"),
        }
    }
}

impl GlabToken {
    fn secret(&self) -> Option<&str> {
        match self {
            GlabToken::Config(t) | GlabToken::Keyring(t) => Some(t),
            GlabToken::None => None,
        }
    }
}

/// One `hosts:` entry of glab's `config.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlabHost {
    pub host: String,
    pub user: Option<String>,
    pub token: GlabToken,
    pub api_host: Option<String>,
    pub api_protocol: Option<String>,
    pub git_protocol: Option<String>,
    /// `container_registry_domains` (comma-joined in the file); `None` = key absent.
    pub container_registry_domains: Option<Vec<String>>,
}

impl GlabHost {
    /// A self-managed host as `glab auth login` leaves it (`api_protocol: https`,
    /// `git_protocol: https`, `api_host` = host), without registry domains.
    pub fn new(host: &str, user: &str, token: GlabToken) -> GlabHost {
        GlabHost {
            host: host.to_owned(),
            user: Some(user.to_owned()),
            token,
            api_host: Some(host.to_owned()),
            api_protocol: Some("https".to_owned()),
            git_protocol: Some("https".to_owned()),
            container_registry_domains: None,
        }
    }
    /// gitlab.com with its default registry domains.
    pub fn gitlab_com(user: &str, token: GlabToken) -> GlabHost {
        GlabHost::new("gitlab.com", user, token).registry_domains(GITLAB_COM_REGISTRY_DOMAINS)
    }
    pub fn registry_domains(mut self, domains: &[&str]) -> GlabHost {
        self.container_registry_domains = Some(domains.iter().map(|d| (*d).to_owned()).collect());
        self
    }
    pub fn git_protocol(mut self, protocol: &str) -> GlabHost {
        self.git_protocol = Some(protocol.to_owned());
        self
    }
}

/// glab's `config.yml`: the default `host:` and the `hosts:` entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlabConfig {
    pub default_host: String,
    pub hosts: Vec<GlabHost>,
}

impl GlabConfig {
    pub fn new(hosts: Vec<GlabHost>) -> GlabConfig {
        GlabConfig { default_host: "gitlab.com".to_owned(), hosts }
    }
    /// Renders the YAML (4-space indentation as glab's yaml.v3 writes it; gitlab-facts §11).
    pub fn to_yaml(&self) -> String {
        fn kv(out: &mut String, k: &str, v: Option<&str>) {
            match v {
                Some(v) if !v.is_empty() => out.push_str(&format!("        {k}: {v}\n")),
                Some(_) => out.push_str(&format!("        {k}:\n")),
                None => {}
            }
        }
        let mut out = format!("host: {}\nhosts:\n", self.default_host);
        for h in &self.hosts {
            out.push_str(&format!("    {}:\n", h.host));
            kv(&mut out, "api_protocol", h.api_protocol.as_deref());
            kv(&mut out, "api_host", h.api_host.as_deref());
            let token = match &h.token {
                GlabToken::Config(t) => t.as_str(),
                GlabToken::Keyring(_) | GlabToken::None => "",
            };
            kv(&mut out, "token", Some(token));
            kv(
                &mut out,
                "container_registry_domains",
                h.container_registry_domains.as_ref().map(|d| d.join(",")).as_deref(),
            );
            kv(&mut out, "git_protocol", h.git_protocol.as_deref());
            kv(&mut out, "user", h.user.as_deref());
        }
        out
    }
}

/// What glab's `GET /api/v4/user` gave for a host in `glab auth status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GlabApiResult {
    /// `✓ Logged in to HOST as USER (SOURCE)`.
    LoggedIn(String),
    /// `x HOST: API call failed: ERROR`.
    Failed(String),
}

impl GlabApiResult {
    /// The error text of a failed `/user` call as glab's tests render it:
    /// `GET https://HOST/api/v4/user: STATUS {message: MESSAGE}` (status_test.go). UNCONFIRMED
    /// against a real failure (the tests use mocked errors).
    pub fn failed_status(host: &str, status: u16, message: &str) -> GlabApiResult {
        GlabApiResult::Failed(format!("GET https://{host}/api/v4/user: {status} {{message: {message}}}"))
    }
}

/// The fake glab's spec.
#[derive(Clone, Debug)]
pub struct GlabFake {
    /// `1.79.0` (without `v`).
    pub version: String,
    pub commit: String,
    /// The configuration the fake pretends to have read (usually the one written to the
    /// [`GlabConfigDir`] too).
    pub config: GlabConfig,
    /// Per host (same order as `config.hosts`): the `/user` result; missing entries count as
    /// logged in as the host's `user`.
    pub api_results: Vec<GlabApiResult>,
    /// What `glab auth docker-helper ...` answers on versions before 1.62.0. UNCONFIRMED: cobra
    /// runs the non-runnable `glab auth` and prints its help (exit 0); only its first line is
    /// reproduced.
    pub pre_helper_output: Output,
    /// Every invocation hangs.
    pub hang: bool,
}

impl GlabFake {
    /// glab 1.79.0 with no host configured.
    pub fn new() -> GlabFake {
        GlabFake::with_version(GLAB_VERSION)
    }
    pub fn with_version(version: &str) -> GlabFake {
        GlabFake {
            version: version.trim_start_matches('v').to_owned(),
            commit: GLAB_COMMIT.to_owned(),
            config: GlabConfig::new(Vec::new()),
            api_results: Vec::new(),
            pre_helper_output: Output::ok("Manage glab's authentication state.\n"),
            hang: false,
        }
    }
    /// Adds a host with its `/user` result.
    pub fn host(mut self, host: GlabHost, result: GlabApiResult) -> GlabFake {
        self.config.hosts.push(host);
        self.api_results.push(result);
        self
    }
    /// Sets the config's default `host:`.
    pub fn default_host(mut self, host: &str) -> GlabFake {
        self.config.default_host = host.to_owned();
        self
    }
    /// Whether this version has `glab auth docker-helper`.
    pub fn has_docker_helper(&self) -> bool {
        parse_version(&self.version).is_some_and(|v| v >= DOCKER_HELPER_SINCE)
    }
}

impl Default for GlabFake {
    fn default() -> Self {
        GlabFake::new()
    }
}

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let core = v.trim_start_matches('v').split(['-', '+']).next()?;
    let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
    Some((it.next()??, it.next().flatten().unwrap_or(0), it.next().flatten().unwrap_or(0)))
}

/// What `docker-helper get` answers for one server URL.
fn helper_answer(url: &str, h: &GlabHost) -> Output {
    // helper.go `Get`: user from the file, token from the file or keyring (never the env).
    let Some(user) = h.user.as_deref().filter(|u| !u.is_empty()) else {
        return Output::fail("glab user for this registryURL (hostname) is empty\n", 1);
    };
    let Some(token) = h.token.secret().filter(|t| !t.is_empty()) else {
        return Output::fail("glab token for this registryURL (hostname) is empty\n", 1);
    };
    let json = serde_json::json!({"ServerURL": url, "Username": user, "Secret": token});
    // docker-credential-helpers encodes Credentials{ServerURL, Username, Secret} in that order.
    let text =
        format!(r#"{{"ServerURL":{},"Username":{},"Secret":{}}}"#, json["ServerURL"], json["Username"], json["Secret"]);
    Output::ok(&format!("{text}\n"))
}

impl FakeBin {
    /// Writes `glab`.
    pub fn glab(&self, spec: &GlabFake) -> io::Result<PathBuf> {
        let d = self.data_dir("glab")?;
        fs::write(d.join("version.out"), format!("glab {} ({})\n", spec.version, spec.commit))?;
        fs::write(d.join("default_host"), &spec.config.default_host)?;
        let mut hosts = String::new();
        let mut seen_domains: Vec<String> = Vec::new();
        let mut k = 0;
        for (i, h) in spec.config.hosts.iter().enumerate() {
            hosts.push_str(&h.host);
            hosts.push('\n');
            let result = spec
                .api_results
                .get(i)
                .cloned()
                .unwrap_or_else(|| GlabApiResult::LoggedIn(h.user.clone().unwrap_or_default()));
            match result {
                GlabApiResult::LoggedIn(user) => fs::write(d.join(format!("h{i}.user")), user)?,
                GlabApiResult::Failed(error) => {
                    fs::write(d.join(format!("h{i}.failed")), format!("  x {}: API call failed: {error}\n", h.host))?;
                }
            }
            fs::write(
                d.join(format!("h{i}.source")),
                match &h.token {
                    GlabToken::Config(_) => "config",
                    GlabToken::Keyring(_) => "keyring",
                    GlabToken::None => "",
                },
            )?;
            if let Some(t) = h.token.secret() {
                fs::write(d.join(format!("h{i}.token")), t)?;
            }
            fs::write(d.join(format!("h{i}.extra")), status_extra_lines(h))?;
            for domain in h.container_registry_domains.iter().flatten() {
                if seen_domains.contains(domain) {
                    continue;
                }
                seen_domains.push(domain.clone());
                fs::write(d.join(format!("helper{k}.url")), domain)?;
                write_output(&d, &format!("helper{k}"), &helper_answer(domain, h))?;
                k += 1;
            }
        }
        fs::write(d.join("hosts"), hosts)?;
        write_output(&d, "prehelper", &spec.pre_helper_output)?;
        let hang = if spec.hang { "exec sleep 600\n" } else { "" };
        let helper = if spec.has_docker_helper() { "helper \"$@\"" } else { "emit prehelper" };
        let script = GLAB_SCRIPT
            .replace("@DATA@", &sh_quote(&d))
            .replace("@LOG@", &sh_quote(&self.dir().join("calls.log")))
            .replace("@HANG@", hang)
            .replace("@HELPER@", helper);
        self.write_script("glab", &script)
    }

    /// Writes `docker-credential-glab` as `glab auth configure-docker` does (`#!/bin/sh -eu` /
    /// `glab auth docker-helper "$@"`, mode 0700), calling the `glab` in this directory.
    pub fn glab_docker_credential_helper(&self) -> io::Result<PathBuf> {
        let glab = self.dir().join("glab");
        let path = self.write_script(
            "docker-credential-glab",
            &format!("#!/bin/sh -eu\n{} auth docker-helper \"$@\"\n", sh_quote(&glab)),
        )?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
        Ok(path)
    }
}

/// The lines after the login line (status.go): git protocol, then API protocol + REST + GraphQL
/// endpoints when `api_protocol` is set.
fn status_extra_lines(h: &GlabHost) -> String {
    let mut out = String::new();
    if let Some(p) = h.git_protocol.as_deref().filter(|p| !p.is_empty()) {
        out.push_str(&format!("  ✓ Git operations for {} configured to use {p} protocol.\n", h.host));
    }
    if let Some(p) = h.api_protocol.as_deref().filter(|p| !p.is_empty()) {
        let api_host = h.api_host.as_deref().filter(|a| !a.is_empty()).unwrap_or(&h.host);
        out.push_str(&format!("  ✓ API calls for {} are made over {p} protocol.\n", h.host));
        out.push_str(&format!("  ✓ REST API Endpoint: {p}://{api_host}/api/v4/\n"));
        out.push_str(&format!("  ✓ GraphQL Endpoint: {p}://{}/api/graphql/\n", h.host));
    }
    out
}

const GLAB_SCRIPT: &str = r#"#!/bin/sh
D=@DATA@
LOG=@LOG@
printf 'glab %s\n' "$*" >> "$LOG"
@HANG@emit() { cat "$D/$1.out"; cat "$D/$1.err" >&2; exit "$(cat "$D/$1.code")"; }

# config.Init: the config file glab reads must have mode 0600 (config_file.go, perms.go).
if [ -n "${GLAB_CONFIG_DIR:-}" ]; then
  CFGFILE="$GLAB_CONFIG_DIR/config.yml"
  READ="$CFGFILE"
else
  LEGACY="${HOME:-/nonexistent}/.config/glab-cli"
  XDGH="${XDG_CONFIG_HOME:-${HOME:-/nonexistent}/.config}/glab-cli"
  if [ -f "$LEGACY/config.yml" ]; then CFGFILE="$LEGACY/config.yml"; else CFGFILE="$XDGH/config.yml"; fi
  READ=""
  for c in "$LEGACY/config.yml" "$XDGH/config.yml"; do
    if [ -f "$c" ]; then READ="$c"; break; fi
  done
  if [ -z "$READ" ]; then
    OLDIFS=$IFS; IFS=:
    for x in ${XDG_CONFIG_DIRS:-/etc/xdg}; do
      if [ -f "$x/glab-cli/config.yml" ]; then READ="$x/glab-cli/config.yml"; break; fi
    done
    IFS=$OLDIFS
  fi
fi
if [ -n "$READ" ] && [ -f "$READ" ]; then
  m=$(stat -c %a "$READ")
  if [ "$m" != 600 ]; then
    printf 'failed to read configuration:  %s has the permissions %s, but glab requires 600.\nConsider running `chmod 600 %s`\n' "$READ" "$m" "$READ" >&2
    exit 2
  fi
fi

status() {
  host=""; all=0; show=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --hostname) host="$2"; shift 2 ;;
      --hostname=*) host="${1#--hostname=}"; shift ;;
      -a|--all) all=1; shift ;;
      -t|--show-token) show=1; shift ;;
      *) printf 'unknown flag: %s\n' "$1" >&2; exit 1 ;;
    esac
  done
  if [ ! -s "$D/hosts" ]; then
    printf 'No GitLab instances have been authenticated with glab. Run `glab auth login` to authenticate.\n\n' >&2
    exit 1
  fi
  if [ -z "$host" ] && [ "$all" = 0 ]; then
    def="${GITLAB_HOST:-${GITLAB_URI:-${GL_HOST:-}}}"
    [ -n "$def" ] || def=$(cat "$D/default_host")
    if [ "$def" != gitlab.com ]; then host="$def"; fi
  fi
  if [ -n "$host" ] && ! grep -qxF -- "$host" "$D/hosts"; then
    printf 'x %s has not been authenticated with glab. Run `glab auth login --hostname %s` to authenticate.\n' "$host" "$host" >&2
    exit 1
  fi
  envvar=""; envval=""
  for v in GITLAB_TOKEN GITLAB_ACCESS_TOKEN OAUTH_TOKEN; do
    eval "val=\${$v:-}"
    if [ -n "$val" ]; then envvar=$v; envval=$val; break; fi
  done
  failed=0; i=0
  while IFS= read -r h; do
    if [ -z "$host" ] || [ "$host" = "$h" ]; then
      src=$(cat "$D/h$i.source"); tok=""
      [ -f "$D/h$i.token" ] && tok=$(cat "$D/h$i.token")
      if [ -n "$envvar" ]; then src=$envvar; tok=$envval
      elif [ "$src" != keyring ]; then src=$CFGFILE
      fi
      printf '%s\n' "$h" >&2
      if [ -f "$D/h$i.failed" ]; then
        cat "$D/h$i.failed" >&2; failed=1
      else
        printf '  ✓ Logged in to %s as %s (%s)\n' "$h" "$(cat "$D/h$i.user")" "$src" >&2
      fi
      cat "$D/h$i.extra" >&2
      if [ -z "$tok" ]; then
        printf '  ! No token found (checked config file, keyring, and environment variables).\n' >&2
      elif [ "$show" = 1 ]; then
        printf '  ✓ Token found: %s\n' "$tok" >&2
      else
        printf '  ✓ Token found: **************************\n' >&2
      fi
    fi
    i=$((i+1))
  done < "$D/hosts"
  if [ -n "$envvar" ]; then
    printf '\n! One of GITLAB_TOKEN, GITLAB_ACCESS_TOKEN, OAUTH_TOKEN environment variables is set. It will be used for all authentication.\n' >&2
  fi
  if [ "$failed" = 1 ]; then
    printf '\nx could not authenticate to one or more of the configured GitLab instances.\n' >&2
    exit 1
  fi
  exit 0
}

helper() {
  if [ $# -ne 1 ]; then printf 'arg is missing - valid args: [store get erase]\n' >&2; exit 1; fi
  case "$1" in
    get|store|erase) ;;
    *) printf 'invalid argument "%s" for "glab auth docker-helper"\n' "$1" >&2; exit 1 ;;
  esac
  IN=$(cat)
  case "$1" in
    get)
      url=$(printf '%s' "$IN" | tr -d '\r\n' | sed 's/^[[:space:]]*//;s/[[:space:]]*$//')
      printf 'glab auth docker-helper get %s\n' "$url" | head -c 300 >> "$LOG"
      if [ -z "$url" ]; then printf 'no credentials server URL\n' >&2; exit 1; fi
      for f in "$D"/helper*.url; do
        [ -f "$f" ] || continue
        if [ "$(cat "$f")" = "$url" ]; then n=${f##*/}; emit "${n%.url}"; fi
      done
      printf 'no hostname associated with registryURL: %s\n' "$url" >&2
      exit 1 ;;
    store)
      url=$(printf '%s' "$IN" | sed -n 's/.*"ServerURL"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n 1)
      if [ -z "$url" ]; then printf 'no credentials server URL\n' >&2; exit 1; fi
      printf "glab auth docker-helper does not support manual registry logins. Remove the glab credential helper for %s if you'd like to manually handle credentials for this registry.\n" "$url" >&2
      exit 1 ;;
    erase)
      url=$(printf '%s' "$IN" | tr -d '\r\n' | sed 's/^[[:space:]]*//;s/[[:space:]]*$//')
      if [ -z "$url" ]; then printf 'no credentials server URL\n' >&2; exit 1; fi
      printf "glab auth docker-helper does not support manual registry logouts. Remove the glab credential helper for %s if you'd like to manually handle credentials for this registry.\n" "$url" >&2
      exit 1 ;;
  esac
}

case "$1" in
  --version|-v|version|v) cat "$D/version.out"; exit 0 ;;
  auth)
    case "$2" in
      status) shift 2; status "$@" ;;
      docker-helper) shift 2; @HELPER@ ;;
    esac ;;
esac
printf 'fake glab: unsupported: %s\n' "$*" >&2
exit 1
"#;

/// A temporary glab configuration directory (for `GLAB_CONFIG_DIR`). Removed on drop.
pub struct GlabConfigDir {
    dir: tempfile::TempDir,
}

impl GlabConfigDir {
    pub fn new() -> io::Result<GlabConfigDir> {
        Ok(GlabConfigDir { dir: tempfile::Builder::new().prefix("ghcr-doctor-glab").tempdir()? })
    }
    /// The value for `GLAB_CONFIG_DIR`.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    /// `<dir>/config.yml`.
    pub fn config_path(&self) -> PathBuf {
        self.path().join("config.yml")
    }
    /// Writes `config.yml` with mode 0600, as glab does.
    pub fn write(&self, config: &GlabConfig) -> io::Result<()> {
        self.write_raw(&config.to_yaml(), 0o600)
    }
    /// Writes `config.yml` with another mode (e.g. 0644, which glab refuses to read).
    pub fn write_with_mode(&self, config: &GlabConfig, mode: u32) -> io::Result<()> {
        self.write_raw(&config.to_yaml(), mode)
    }
    /// Writes `yaml` as `config.yml` with `mode` (set explicitly, whatever the umask).
    pub fn write_raw(&self, yaml: &str, mode: u32) -> io::Result<()> {
        let path = self.config_path();
        fs::write(&path, yaml)?;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))
    }
    /// Points `cmd` (a glab invocation) at this directory: sets `GLAB_CONFIG_DIR` and `NO_COLOR`,
    /// removes the token, host and CI auto-login variables.
    pub fn apply_env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        for v in GLAB_ENV_VARS {
            cmd.env_remove(v);
        }
        cmd.env("GLAB_CONFIG_DIR", self.path()).env("NO_COLOR", "1")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_yaml_shape() {
        let cfg = GlabConfig::new(vec![
            GlabHost::gitlab_com("alice", GlabToken::Config("glpat-X".into())),
            GlabHost::new("gitlab.example.com", "bob", GlabToken::Keyring("glpat-Y".into())).git_protocol("ssh"),
        ]);
        assert_eq!(
            cfg.to_yaml(),
            "host: gitlab.com\nhosts:\n    gitlab.com:\n        api_protocol: https\n        api_host: gitlab.com\n        \
             token: glpat-X\n        container_registry_domains: gitlab.com,gitlab.com:443,registry.gitlab.com\n        \
             git_protocol: https\n        user: alice\n    gitlab.example.com:\n        api_protocol: https\n        \
             api_host: gitlab.example.com\n        token:\n        git_protocol: ssh\n        user: bob\n"
        );
        assert!(!format!("{cfg:?}").contains("glpat-Y"));
    }

    #[test]
    fn versions() {
        assert!(GlabFake::with_version("1.62.0").has_docker_helper());
        assert!(GlabFake::with_version("v1.79.0").has_docker_helper());
        assert!(!GlabFake::with_version("1.61.9").has_docker_helper());
        assert!(!GlabFake::with_version("1.32").has_docker_helper());
    }
}
