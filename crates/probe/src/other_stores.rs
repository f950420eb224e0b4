//! The credential stores beside docker's own config that real pulls end up using: the invoking
//! user's config when the doctor runs as root under `sudo` (docker under `sudo` reads root's,
//! the `$HOME` of the sudo environment), WSL (where Docker Desktop's helper is reachable only as
//! `docker-credential-desktop.exe`), and config.json keys docker does not know and ignores.
//!
//! Reads only: no helper of the invoking user is run (as root it would ask root's keychain),
//! and every file read is capped and timed out (`files.rs`). Two test-only overrides:
//! `GHCR_DOCTOR_PASSWD` (a passwd file instead of `/etc/passwd`) and `GHCR_DOCTOR_OSRELEASE`
//! (a file instead of `/proc/sys/kernel/osrelease`).

use std::path::{Path, PathBuf};

use ghcr_doctor_checks::{
    ConfiguredCredential, CredentialLookup, OtherStoreFacts, SudoUserConfig, UnknownConfigKey, UnknownKeyValue,
};
use serde_json::{Map, Value};

use crate::Settings;
use crate::credentials::{DockerConfig, file_lookup, key, key_host, load_path};
use crate::process::find_program;

/// The largest passwd or osrelease file read.
const SMALL_FILE_CAP: u64 = 4 * 1024 * 1024;

/// The keys of docker/cli's `ConfigFile` (cli/config/configfile/file.go). docker decodes the
/// file with Go's encoding/json, which also accepts a key that differs only in case
/// (`CREDSSTORE`), so only keys no known key matches case-insensitively are ignored
/// (real-behaviour §3.10: docker 28.2.2 runs the helper named by `CREDSSTORE`, and none named by
/// `credStore` or `credsHelpers`).
const KNOWN_KEYS: &[&str] = &[
    "auths",
    "HttpHeaders",
    "psFormat",
    "imagesFormat",
    "networksFormat",
    "pluginsFormat",
    "volumesFormat",
    "statsFormat",
    "detachKeys",
    "credsStore",
    "credHelpers",
    "serviceInspectFormat",
    "servicesFormat",
    "tasksFormat",
    "secretFormat",
    "configFormat",
    "nodesFormat",
    "pruneFilters",
    "proxies",
    "experimental",
    "stackOrchestrator",
    "kubernetes",
    "currentContext",
    "cliPluginsExtraDirs",
    "plugins",
    "aliases",
    "features",
];

/// What lies around `config` for `registry_host`; `lookup` is what docker's own store held.
pub(crate) fn gather(
    config: &DockerConfig,
    registry_host: &str,
    lookup: &CredentialLookup,
    settings: &Settings,
) -> OtherStoreFacts {
    let windows_helper = match lookup {
        CredentialLookup::HelperMissing { program } => {
            find_program(&format!("{program}.exe"), &settings.env).map(|p| p.display().to_string())
        }
        _ => None,
    };
    OtherStoreFacts {
        sudo: sudo_user_config(registry_host, settings),
        wsl: wsl(settings),
        windows_helper,
        unknown_keys: config.loaded().map(|m| unknown_keys(m, registry_host)).unwrap_or_default(),
    }
}

#[cfg(unix)]
fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}

/// As root with `SUDO_USER` naming another user: that user's own config and what it holds.
fn sudo_user_config(registry_host: &str, settings: &Settings) -> Option<SudoUserConfig> {
    if !running_as_root() {
        return None;
    }
    let user = settings.env.non_empty("SUDO_USER").filter(|u| *u != "root")?;
    let passwd = settings.env.path_var("GHCR_DOCTOR_PASSWD").unwrap_or_else(|| PathBuf::from("/etc/passwd"));
    let home = crate::files::read_regular(&passwd, SMALL_FILE_CAP, settings.timeout)
        .ok()
        .and_then(|bytes| home_of(&String::from_utf8_lossy(&bytes), user));
    let path = home.map(|h| h.join(".docker").join("config.json"));
    let holds = match &path {
        Some(p) => configured(&load_path(Some(p.clone()), settings), registry_host),
        None => ConfiguredCredential::Nothing,
    };
    Some(SudoUserConfig { user: user.to_owned(), config_path: path.map(|p| p.display().to_string()), holds })
}

/// The home directory of `user` in a passwd(5) file (`name:password:uid:gid:gecos:home:shell`).
fn home_of(passwd: &str, user: &str) -> Option<PathBuf> {
    passwd.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 7 && fields[0] == user && !fields[5].is_empty()).then(|| PathBuf::from(fields[5]))
    })
}

/// What a loaded config names for `host`: `credHelpers[host]`, else `credsStore`, else
/// `auths[host]` (ghcr-facts §5.1), without running the helper.
fn configured(config: &DockerConfig, host: &str) -> ConfiguredCredential {
    let Some(map) = config.loaded() else { return ConfiguredCredential::Nothing };
    let helper = |v: Option<&Value>| v.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(name) =
        helper(key(map, "credHelpers").and_then(|h| h.get(host))).or_else(|| helper(key(map, "credsStore")))
    {
        return ConfiguredCredential::Helper { name };
    }
    match file_lookup(key(map, "auths"), host) {
        Ok(CredentialLookup::Found(c)) => ConfiguredCredential::File(c),
        _ => ConfiguredCredential::Nothing,
    }
}

/// WSL: `WSL_DISTRO_NAME` (set in every WSL session), else a kernel release naming Microsoft.
fn wsl(settings: &Settings) -> Option<String> {
    if let Some(name) = settings.env.non_empty("WSL_DISTRO_NAME") {
        return Some(format!("WSL_DISTRO_NAME={name}"));
    }
    let path =
        settings.env.path_var("GHCR_DOCTOR_OSRELEASE").unwrap_or_else(|| PathBuf::from("/proc/sys/kernel/osrelease"));
    let release = crate::files::read_regular(&path, SMALL_FILE_CAP, settings.timeout).ok()?;
    String::from_utf8_lossy(&release).to_ascii_lowercase().contains("microsoft").then(|| shown(&path))
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The top-level keys docker ignores, with the shape of their values.
fn unknown_keys(map: &Map<String, Value>, host: &str) -> Vec<UnknownConfigKey> {
    map.iter()
        .filter(|(key, _)| !KNOWN_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)))
        .map(|(key, value)| UnknownConfigKey {
            key: key.clone(),
            value: match value {
                Value::String(s) if !s.is_empty() => UnknownKeyValue::Text(s.clone()),
                Value::Object(entries) => UnknownKeyValue::Object {
                    for_registry: entries.keys().any(|k| key_host(k).eq_ignore_ascii_case(host)),
                },
                _ => UnknownKeyValue::Other,
            },
        })
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::testutil::{BinEnv, FakeBin};
    use std::time::Duration;

    fn settings(bin: &FakeBin) -> Settings {
        Settings { timeout: Duration::from_secs(10), env: bin.env() }
    }

    #[test]
    fn home_comes_from_the_passwd_line_of_the_user() {
        let passwd =
            "# comment\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/sh\nbad line\n";
        assert_eq!(home_of(passwd, "alice"), Some(PathBuf::from("/home/alice")));
        assert_eq!(home_of(passwd, "root"), Some(PathBuf::from("/root")));
        assert_eq!(home_of(passwd, "bob"), None);
        assert_eq!(home_of(passwd, "bad line"), None);
    }

    #[test]
    fn unknown_keys_are_those_no_known_key_matches_in_any_case() {
        let map: Map<String, Value> = serde_json::from_str(
            r#"{"credStore":"desktop","CREDSSTORE":"pass","credsHelpers":{"https://ghcr.io":"x"},"auth":{"quay.io":{}},"auths":{},"n":1}"#,
        )
        .unwrap();
        let keys = unknown_keys(&map, "ghcr.io");
        let found: Vec<_> = keys.iter().map(|k| (k.key.as_str(), k.value.clone())).collect();
        assert_eq!(
            found,
            vec![
                ("auth", UnknownKeyValue::Object { for_registry: false }),
                ("credStore", UnknownKeyValue::Text("desktop".into())),
                ("credsHelpers", UnknownKeyValue::Object { for_registry: true }),
                ("n", UnknownKeyValue::Other),
            ]
        );
    }

    #[test]
    fn wsl_is_seen_from_the_variable_or_the_kernel_release() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin);
        bin.write("osrelease", "6.6.87.2-microsoft-standard-WSL2\n");
        let env = s.env.clone().with("GHCR_DOCTOR_OSRELEASE", bin.path("osrelease"));
        let with = |env: crate::Env| wsl(&Settings { env, ..s.clone() });
        assert_eq!(with(env.clone()), Some(bin.path("osrelease").display().to_string()));
        assert_eq!(with(env.clone().with("WSL_DISTRO_NAME", "Ubuntu")), Some("WSL_DISTRO_NAME=Ubuntu".into()));
        bin.write("osrelease", "6.1.0-18-amd64\n");
        assert_eq!(with(env), None);
    }
}
