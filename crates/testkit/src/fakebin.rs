//! [`FakeBin`]: `#!/bin/sh` stand-ins for `gh`, `docker` and `docker-credential-NAME` (and
//! `glab`, see [`crate::gitlab::glab`]), written into a temporary directory that tests put first
//! on `PATH`.
//!
//! The canned outputs live in data files next to the scripts (`NAME.d/`), and the scripts `cat`
//! them, so a token never appears in any argv. Each call appends its argv (or, for credential
//! helpers, the verb and the server URL) to `calls.log`; secrets are never logged.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// What one fake invocation prints.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    /// stdout, exit 0.
    pub fn ok(stdout: &str) -> Output {
        Output { stdout: stdout.to_owned(), stderr: String::new(), code: 0 }
    }
    /// stderr, exit `code`.
    pub fn fail(stderr: &str, code: i32) -> Output {
        Output { stdout: String::new(), stderr: stderr.to_owned(), code }
    }
}

/// The fake `gh`.
#[derive(Clone, Debug)]
pub struct GhFake {
    /// `gh --version` / `gh version` output.
    pub version: Output,
    /// `gh auth token [--hostname H | -h H]` per host (default host `github.com`). Hosts not listed
    /// answer `no oauth token` on stderr with exit 1 (gh 2.23).
    pub tokens: Vec<(String, Output)>,
    /// Every invocation hangs (`exec sleep 600`).
    pub hang: bool,
    /// Only `gh auth token` hangs.
    pub hang_auth_token: bool,
}

impl GhFake {
    /// `gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)` and no tokens.
    pub fn new() -> GhFake {
        GhFake::with_version("2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)", "v2.23.0")
    }
    /// `gh version {version}` + the release URL line for `{tag}`.
    pub fn with_version(version: &str, tag: &str) -> GhFake {
        GhFake {
            version: Output::ok(&format!("gh version {version}\nhttps://github.com/cli/cli/releases/tag/{tag}\n")),
            tokens: Vec::new(),
            hang: false,
            hang_auth_token: false,
        }
    }
    /// `gh auth token --hostname host` prints `token`.
    pub fn token(mut self, host: &str, token: &str) -> GhFake {
        self.tokens.push((host.to_owned(), Output::ok(&format!("{token}\n"))));
        self
    }
    /// `gh auth token --hostname host` answers `output`.
    pub fn token_output(mut self, host: &str, output: Output) -> GhFake {
        self.tokens.push((host.to_owned(), output));
        self
    }
}

impl Default for GhFake {
    fn default() -> Self {
        GhFake::new()
    }
}

/// The fake `docker`: `docker version ...` and `docker info ...` answer canned outputs; other
/// subcommands print `fake docker: unsupported` and exit 1.
#[derive(Clone, Debug)]
pub struct DockerFake {
    pub version: Output,
    pub info: Output,
    pub hang: bool,
}

/// `Client` part of `docker version --format '{{json .}}'` of docker 28.2.2 (real-behaviour §2).
pub const DOCKER_CLIENT_JSON: &str = r#"{"Version":"28.2.2","ApiVersion":"1.50","DefaultAPIVersion":"1.50","GitCommit":"e6534b4","GoVersion":"go1.24.3","Os":"linux","Arch":"amd64","BuildTime":"Fri May 30 12:07:14 2025","Context":"default"}"#;

impl DockerFake {
    /// A client 28.2.2 talking to a running 20.10 daemon.
    pub fn running() -> DockerFake {
        let server = r#"{"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24+dfsg1","Details":{"ApiVersion":"1.41","Arch":"amd64","Experimental":"false","GitCommit":"5d6db84","GoVersion":"go1.19.8","MinAPIVersion":"1.12","Os":"linux"}}],"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84","GoVersion":"go1.19.8","Os":"linux","Arch":"amd64"}"#;
        DockerFake {
            version: Output::ok(&format!("{{\"Client\":{DOCKER_CLIENT_JSON},\"Server\":{server}}}\n")),
            info: Output::ok("{\"ServerVersion\":\"20.10.24+dfsg1\",\"OSType\":\"linux\"}\n"),
            hang: false,
        }
    }
    /// No daemon at `endpoint` (e.g. `unix:///var/run/docker.sock`): `"Server":null`, the
    /// connection error on stderr, exit 1 (real-behaviour §2.1).
    pub fn daemon_down(endpoint: &str) -> DockerFake {
        let err = format!("Cannot connect to the Docker daemon at {endpoint}. Is the docker daemon running?\n");
        DockerFake::daemon_error(&err)
    }
    /// `"Server":null` with this stderr (e.g. the permission-denied text), exit 1.
    pub fn daemon_error(stderr: &str) -> DockerFake {
        DockerFake {
            version: Output {
                stdout: format!(r#"{{"Client":{DOCKER_CLIENT_JSON},"Server":null}}"#) + "\n",
                stderr: stderr.to_owned(),
                code: 1,
            },
            info: Output { stdout: String::new(), stderr: stderr.to_owned(), code: 1 },
            hang: false,
        }
    }
    /// Every invocation hangs (daemon endpoint that accepts but never answers).
    pub fn hanging() -> DockerFake {
        DockerFake { hang: true, ..DockerFake::running() }
    }
}

/// The fake `docker-credential-NAME`: `get` looks the server URL up (exact match) and prints
/// `{"ServerURL","Username","Secret"}`, or `credentials not found in native keychain` on stdout
/// with exit 1; `list` prints URL → username; `store`/`erase` succeed without effect.
#[derive(Clone, Debug, Default)]
pub struct CredHelperFake {
    /// (server URL, username, secret)
    pub entries: Vec<(String, String, String)>,
    pub hang: bool,
}

impl CredHelperFake {
    pub fn new() -> CredHelperFake {
        CredHelperFake::default()
    }
    pub fn entry(mut self, server_url: &str, username: &str, secret: &str) -> CredHelperFake {
        self.entries.push((server_url.to_owned(), username.to_owned(), secret.to_owned()));
        self
    }
}

/// A temporary directory of fake executables. Removed on drop.
pub struct FakeBin {
    dir: tempfile::TempDir,
}

impl FakeBin {
    pub fn new() -> io::Result<FakeBin> {
        Ok(FakeBin { dir: tempfile::Builder::new().prefix("ghcr-doctor-fakebin").tempdir()? })
    }

    /// The directory to put first on `PATH`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `PATH` with this directory only (plus `/bin:/usr/bin` for `cat`/`sleep`); use this to be
    /// sure no real tool is picked up.
    pub fn isolated_path(&self) -> String {
        format!("{}:/bin:/usr/bin", self.dir().display())
    }

    /// `PATH` with this directory in front of `existing`.
    pub fn path_before(&self, existing: &str) -> String {
        if existing.is_empty() {
            self.dir().display().to_string()
        } else {
            format!("{}:{existing}", self.dir().display())
        }
    }

    /// Lines of `calls.log` (argv of each call; verb and URL for helpers).
    pub fn calls(&self) -> Vec<String> {
        fs::read_to_string(self.dir().join("calls.log"))
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Writes `gh`.
    pub fn gh(&self, spec: &GhFake) -> io::Result<PathBuf> {
        let d = self.data_dir("gh")?;
        write_output(&d, "version", &spec.version)?;
        for (i, (host, out)) in spec.tokens.iter().enumerate() {
            fs::write(d.join(format!("host{i}")), host)?;
            write_output(&d, &format!("token{i}"), out)?;
        }
        let hang = if spec.hang { "exec sleep 600\n" } else { "" };
        let hang_token = if spec.hang_auth_token { "exec sleep 600" } else { ":" };
        let script = format!(
            r#"#!/bin/sh
D={d}
printf 'gh %s\n' "$*" >> {log}
{hang}emit() {{ cat "$D/$1.out"; cat "$D/$1.err" >&2; exit "$(cat "$D/$1.code")"; }}
case "$1" in
  --version|version) emit version ;;
  auth)
    if [ "$2" = token ]; then
      {hang_token}
      host=github.com
      shift 2
      while [ $# -gt 0 ]; do
        case "$1" in
          --hostname|-h) host="$2"; shift 2 ;;
          --hostname=*) host="${{1#--hostname=}}"; shift ;;
          *) shift ;;
        esac
      done
      for f in "$D"/host*; do
        [ -f "$f" ] || continue
        if [ "$(cat "$f")" = "$host" ]; then emit "token${{f##*/host}}"; fi
      done
      echo "no oauth token" >&2
      exit 1
    fi
    echo "fake gh: unsupported: $*" >&2; exit 1 ;;
  *) echo "fake gh: unsupported: $*" >&2; exit 1 ;;
esac
"#,
            d = sh_quote(&d),
            log = sh_quote(&self.dir().join("calls.log")),
        );
        self.write_script("gh", &script)
    }

    /// Writes `docker`.
    pub fn docker(&self, spec: &DockerFake) -> io::Result<PathBuf> {
        let d = self.data_dir("docker")?;
        write_output(&d, "version", &spec.version)?;
        write_output(&d, "info", &spec.info)?;
        let hang = if spec.hang { "exec sleep 600\n" } else { "" };
        let script = format!(
            r#"#!/bin/sh
D={d}
printf 'docker %s\n' "$*" >> {log}
{hang}emit() {{ cat "$D/$1.out"; cat "$D/$1.err" >&2; exit "$(cat "$D/$1.code")"; }}
for a in "$@"; do
  case "$a" in
    version) emit version ;;
    info) emit info ;;
  esac
done
echo "fake docker: unsupported: $*" >&2
exit 1
"#,
            d = sh_quote(&d),
            log = sh_quote(&self.dir().join("calls.log")),
        );
        self.write_script("docker", &script)
    }

    /// Writes `docker-credential-{name}`.
    pub fn credential_helper(&self, name: &str, spec: &CredHelperFake) -> io::Result<PathBuf> {
        // `.` for Windows names reached through WSL interop (`desktop.exe`).
        if name.is_empty()
            || name.starts_with('.')
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad credential helper name"));
        }
        let program = format!("docker-credential-{name}");
        let d = self.data_dir(&program)?;
        let mut list = serde_json::Map::new();
        for (i, (url, user, secret)) in spec.entries.iter().enumerate() {
            fs::write(d.join(format!("e{i}.url")), url)?;
            let json = serde_json::json!({"ServerURL": url, "Username": user, "Secret": secret});
            fs::write(d.join(format!("e{i}.json")), format!("{json}\n"))?;
            list.insert(url.clone(), serde_json::Value::String(user.clone()));
        }
        fs::write(d.join("list.json"), format!("{}\n", serde_json::Value::Object(list)))?;
        let hang = if spec.hang { "exec sleep 600\n" } else { "" };
        let script = format!(
            r#"#!/bin/sh
D={d}
IN=$(cat)
case "$1" in
  get|erase) printf '{program} %s %s\n' "$1" "$(printf '%s' "$IN" | tr -d '\r\n' | head -c 300)" >> {log} ;;
  *) printf '{program} %s\n' "$1" >> {log} ;;
esac
{hang}case "$1" in
  get)
    url=$(printf '%s' "$IN" | tr -d '\r\n')
    for f in "$D"/e*.url; do
      [ -f "$f" ] || continue
      if [ "$(cat "$f")" = "$url" ]; then cat "${{f%.url}}.json"; exit 0; fi
    done
    echo "credentials not found in native keychain"
    exit 1 ;;
  list) cat "$D/list.json" ;;
  store|erase) exit 0 ;;
  version) echo "{program} (ghcr-doctor fake) v0.0.0" ;;
  *) echo "unknown action $1"; exit 1 ;;
esac
"#,
            d = sh_quote(&d),
            log = sh_quote(&self.dir().join("calls.log")),
        );
        self.write_script(&program, &script)
    }

    /// Writes an arbitrary script (e.g. a `docker-credential-x` that fails oddly).
    pub fn script(&self, name: &str, body: &str) -> io::Result<PathBuf> {
        self.write_script(name, body)
    }

    pub(crate) fn data_dir(&self, program: &str) -> io::Result<PathBuf> {
        let d = self.dir().join(format!("{program}.d"));
        if d.exists() {
            fs::remove_dir_all(&d)?;
        }
        fs::create_dir_all(&d)?;
        Ok(d)
    }

    pub(crate) fn write_script(&self, name: &str, body: &str) -> io::Result<PathBuf> {
        let path = self.dir().join(name);
        // Write to a temp name and rename, so a concurrently running fake never sees half a file.
        let tmp = self.dir().join(format!(".{name}.tmp"));
        fs::write(&tmp, body)?;
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))?;
        fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

pub(crate) fn write_output(dir: &Path, key: &str, out: &Output) -> io::Result<()> {
    fs::write(dir.join(format!("{key}.out")), &out.stdout)?;
    fs::write(dir.join(format!("{key}.err")), &out.stderr)?;
    fs::write(dir.join(format!("{key}.code")), out.code.to_string())
}

/// Single-quotes a path for sh.
pub(crate) fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}
