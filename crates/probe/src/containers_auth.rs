//! podman's (and skopeo's, buildah's) credentials: the containers-auth.json(5) files in the order
//! podman reads them, host and namespace keys, and per-registry `credHelpers` (ghcr-facts §5.5).
//!
//! Order (as Debian's podman 4.3.1 reads them, checked by `tests/it/podman.rs` against
//! `podman login --get-login`): `REGISTRY_AUTH_FILE` when set, in place of the primary
//! `${XDG_RUNTIME_DIR}/containers/auth.json` (`/run/containers/UID/auth.json` without
//! `XDG_RUNTIME_DIR`); then, also after `REGISTRY_AUTH_FILE` (podman 4.3.1; newer
//! containers/image reads only that file: UNCONFIRMED), `${XDG_CONFIG_HOME:-$HOME/.config}/containers/auth.json`,
//! `$DOCKER_CONFIG/config.json` or `$HOME/.docker/config.json`, and `$HOME/.dockercfg` (the
//! legacy format: a top-level map of host → entry). The first file with a credential for the
//! image wins; a missing file is skipped; a file podman cannot parse, or whose matching `auth`
//! is not base64 `user:secret`, stops the lookup (podman fails with `Error: get credentials`);
//! a helper's "not found" goes on to the next file. Within a file `credHelpers[host]` comes
//! first, then the most specific of `host/owner/name`, …, `host`, then a key that names the host
//! with a scheme (`https://ghcr.io/v1/`). `credsStore` is not read by podman.
//!
//! Reads only; never writes. Helper errors and secrets are handled by `credentials.rs`.

use std::path::PathBuf;

use ghcr_doctor_checks::{
    CredentialLookup, CredentialStore, DockerConfigState, DockerCredentialFacts, OtherStoreFacts,
};
use serde_json::{Map, Value};

use crate::Settings;
use crate::credentials::{entry_lookup, helper_get, non_empty_str};

/// The largest auth file read (real ones are a few KiB).
const AUTH_FILE_CAP: u64 = 4 * 1024 * 1024;

/// One file podman reads credentials from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthFile {
    pub path: PathBuf,
    /// `~/.dockercfg`: the host map is the whole document, not `auths`.
    pub legacy: bool,
}

/// Where `podman login` writes (and the first file podman reads): `REGISTRY_AUTH_FILE`, else
/// `${XDG_RUNTIME_DIR}/containers/auth.json` on Linux (`/run/containers/UID/auth.json` when
/// `XDG_RUNTIME_DIR` is unset), `$HOME/.config/containers/auth.json` elsewhere.
pub fn primary_auth_file(settings: &Settings) -> Option<PathBuf> {
    if let Some(file) = settings.env.path_var("REGISTRY_AUTH_FILE") {
        return Some(file);
    }
    if !cfg!(target_os = "linux") {
        return settings.env.path_var("HOME").map(|h| h.join(".config/containers/auth.json"));
    }
    match settings.env.path_var("XDG_RUNTIME_DIR") {
        Some(dir) => Some(dir.join("containers/auth.json")),
        None => Some(PathBuf::from(format!("/run/containers/{}/auth.json", uid()))),
    }
}

#[cfg(unix)]
fn uid() -> u32 {
    rustix::process::getuid().as_raw()
}

#[cfg(not(unix))]
fn uid() -> u32 {
    0
}

/// Every file podman reads, in order, without duplicates.
pub fn auth_files(settings: &Settings) -> Vec<AuthFile> {
    let env = &settings.env;
    let home = env.path_var("HOME");
    let mut files: Vec<AuthFile> = Vec::new();
    let mut push = |path: Option<PathBuf>, legacy: bool| {
        if let Some(path) = path
            && !files.iter().any(|f| f.path == path)
        {
            files.push(AuthFile { path, legacy });
        }
    };
    // A `XDG_RUNTIME_DIR` that does not exist: podman warns and skips the primary file.
    let runtime_dir_missing = env.path_var("REGISTRY_AUTH_FILE").is_none()
        && cfg!(target_os = "linux")
        && env.path_var("XDG_RUNTIME_DIR").is_some_and(|d| !d.is_dir());
    if !runtime_dir_missing {
        push(primary_auth_file(settings), false);
    }
    let config_home = env.path_var("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config")));
    push(config_home.map(|d| d.join("containers/auth.json")), false);
    let docker = env.path_var("DOCKER_CONFIG").or_else(|| home.as_ref().map(|h| h.join(".docker")));
    push(docker.map(|d| d.join("config.json")), false);
    push(home.map(|h| h.join(".dockercfg")), true);
    files
}

/// What one file says about the key.
enum FileAnswer {
    Missing,
    Malformed(String),
    /// Loaded: the store and what it holds (`NotFound` goes on to the next file).
    Loaded {
        store: CredentialStore,
        lookup: CredentialLookup,
        key: Option<String>,
        plaintext: bool,
    },
}

/// What podman would send to `registry_host` for the repository `repository` (`owner/name`, from
/// the first image; `None`: host keys only).
pub(crate) fn gather(registry_host: &str, repository: Option<&str>, settings: &Settings) -> DockerCredentialFacts {
    let files = auth_files(settings);
    let primary = primary_auth_file(settings).map(|p| p.display().to_string()).unwrap_or_default();
    let mut facts = DockerCredentialFacts {
        config_path: primary,
        config: DockerConfigState::Missing,
        registry_host: registry_host.to_owned(),
        store: CredentialStore::File,
        lookup: CredentialLookup::NotFound,
        plaintext_in_file: false,
        own_helper_on_path: crate::credentials::own_helper_on_path(settings),
        // sudo's root config, WSL's `.exe` helpers and docker's ignored keys are docker's.
        other: OtherStoreFacts::default(),
        auth_key: None,
    };
    for file in &files {
        let shown = file.path.display().to_string();
        match lookup_in(file, registry_host, repository, settings) {
            FileAnswer::Missing => {}
            FileAnswer::Malformed(detail) => {
                facts.config_path = shown;
                facts.config = DockerConfigState::Malformed { detail };
                return facts;
            }
            FileAnswer::Loaded { lookup: CredentialLookup::NotFound, .. } => {
                facts.config = DockerConfigState::Loaded;
            }
            FileAnswer::Loaded { store, lookup, key, plaintext } => {
                facts.config_path = shown;
                facts.config = DockerConfigState::Loaded;
                facts.store = store;
                facts.lookup = lookup;
                facts.auth_key = key;
                facts.plaintext_in_file = plaintext;
                return facts;
            }
        }
    }
    facts
}

fn lookup_in(file: &AuthFile, host: &str, repository: Option<&str>, settings: &Settings) -> FileAnswer {
    let bytes = match crate::files::read_regular(&file.path, AUTH_FILE_CAP, settings.timeout) {
        Ok(b) => b,
        Err(crate::FileError::Missing) => return FileAnswer::Missing,
        Err(e) => return FileAnswer::Malformed(e.to_string()),
    };
    let map = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return FileAnswer::Malformed("the file is not a JSON object".into()),
        Err(e) => return FileAnswer::Malformed(e.to_string()),
    };
    let (auths, helpers) = if file.legacy {
        (Some(&map), None)
    } else {
        match (object_of(&map, "auths"), object_of(&map, "credHelpers")) {
            (Ok(auths), Ok(helpers)) => (auths, helpers),
            (Err(why), _) | (_, Err(why)) => return FileAnswer::Malformed(why),
        }
    };
    // Helpers are keyed by the registry host only, also for a namespaced lookup.
    if let Some(name) = helpers.and_then(|h| h.get(host)).and_then(Value::as_str).filter(|s| !s.is_empty()) {
        return FileAnswer::Loaded {
            store: CredentialStore::Helper { name: name.to_owned(), per_host: true },
            lookup: helper_get(name, host, settings),
            key: Some(host.to_owned()),
            plaintext: false,
        };
    }
    let not_found = FileAnswer::Loaded {
        store: CredentialStore::File,
        lookup: CredentialLookup::NotFound,
        key: None,
        plaintext: false,
    };
    let Some(auths) = auths else { return not_found };
    let Some((key, entry)) = matching_entry(auths, host, repository, file.legacy) else { return not_found };
    let Some(entry) = entry.as_object() else {
        return FileAnswer::Malformed(format!("`auths[\"{key}\"]` is not an object"));
    };
    match entry_lookup(entry) {
        Ok(lookup) => {
            let plaintext = non_empty_str(entry, "auth").is_some() || non_empty_str(entry, "identitytoken").is_some();
            FileAnswer::Loaded { store: CredentialStore::File, lookup, key: Some(key), plaintext }
        }
        Err(why) => FileAnswer::Malformed(format!("`auths[\"{key}\"].auth` {why}")),
    }
}

/// `map[name]` as an object; absent or `null` is `None`.
fn object_of<'a>(map: &'a Map<String, Value>, name: &str) -> Result<Option<&'a Map<String, Value>>, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(format!("`{name}` is not an object")),
    }
}

/// The most specific key for `host/repository`: `host/owner/name`, …, `host` (exact matches;
/// the legacy file knows hosts only), then a key naming the host with a scheme
/// (`https://ghcr.io/v1/`, and in the legacy file any path).
fn matching_entry<'a>(
    auths: &'a Map<String, Value>,
    host: &str,
    repository: Option<&str>,
    legacy: bool,
) -> Option<(String, &'a Value)> {
    let mut keys = Vec::new();
    if let Some(repository) = repository.filter(|_| !legacy) {
        let mut key = format!("{host}/{repository}");
        loop {
            keys.push(key.clone());
            match key.rfind('/') {
                Some(i) if i > host.len() => key.truncate(i),
                _ => break,
            }
        }
    }
    keys.push(host.to_owned());
    if let Some((key, value)) = keys.iter().find_map(|k| auths.get_key_value(k.as_str())) {
        return Some((key.clone(), value));
    }
    auths.iter().find(|(k, _)| normalized_host(k, legacy).eq_ignore_ascii_case(host)).map(|(k, v)| (k.clone(), v))
}

/// containers/image's `normalizeAuthFileKey`: the scheme is stripped, and with it (or in the
/// legacy file) the path.
fn normalized_host(key: &str, legacy: bool) -> &str {
    let stripped = key.strip_prefix("http://").or_else(|| key.strip_prefix("https://"));
    match stripped {
        Some(rest) => rest.split('/').next().unwrap_or(rest),
        None if legacy => key.split('/').next().unwrap_or(key),
        None => key,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::testutil::{BinEnv, FakeBin};
    use std::time::Duration;

    fn auth(user: &str) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:pw-{user}"))
    }

    fn entry(key: &str, user: &str) -> String {
        format!(r#""{key}":{{"auth":"{}"}}"#, auth(user))
    }

    /// HOME, XDG_RUNTIME_DIR (existing) under the fake bin's directory.
    fn settings(bin: &FakeBin, extra: &[(&str, String)]) -> Settings {
        std::fs::create_dir_all(bin.path("run")).unwrap();
        let mut env = bin.env().with("XDG_RUNTIME_DIR", bin.path("run").display().to_string());
        for (k, v) in extra {
            env = env.with(*k, v.clone());
        }
        Settings { timeout: Duration::from_secs(10), env }
    }

    fn user_of(f: &DockerCredentialFacts) -> Option<String> {
        match &f.lookup {
            CredentialLookup::Found(c) => Some(c.username.clone()),
            _ => None,
        }
    }

    #[test]
    fn file_order_and_which_file_answered() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin, &[]);
        let files: Vec<_> = auth_files(&s).iter().map(|f| (f.path.clone(), f.legacy)).collect();
        assert_eq!(
            files,
            vec![
                (bin.path("run/containers/auth.json"), false),
                (bin.path("home/.config/containers/auth.json"), false),
                (bin.path("home/.docker/config.json"), false),
                (bin.path("home/.dockercfg"), true),
            ]
        );
        let f = gather("ghcr.io", Some("acme/app"), &s);
        assert_eq!((f.config.clone(), f.lookup.clone()), (DockerConfigState::Missing, CredentialLookup::NotFound));
        assert_eq!(f.config_path, bin.path("run/containers/auth.json").display().to_string());

        bin.write("home/.dockercfg", &format!("{{{}}}", entry("https://ghcr.io/v1/", "legacy")));
        let f = gather("ghcr.io", Some("acme/app"), &s);
        assert_eq!(user_of(&f).as_deref(), Some("legacy"));
        assert!(f.config_path.ends_with("home/.dockercfg") && f.plaintext_in_file);
        bin.write("home/.docker/config.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("ghcr.io", "docker")));
        assert_eq!(user_of(&gather("ghcr.io", None, &s)).as_deref(), Some("docker"));
        // A file without the key goes on to the next one.
        bin.write("home/.config/containers/auth.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("quay.io", "q")));
        assert_eq!(user_of(&gather("ghcr.io", None, &s)).as_deref(), Some("docker"));
        bin.write("run/containers/auth.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("ghcr.io", "primary")));
        let f = gather("ghcr.io", None, &s);
        assert_eq!((user_of(&f).as_deref(), f.auth_key.as_deref()), (Some("primary"), Some("ghcr.io")));
        assert!(f.config_path.ends_with("run/containers/auth.json"));

        // REGISTRY_AUTH_FILE comes first (and replaces the primary file); DOCKER_CONFIG moves
        // docker's file.
        let own = bin.write("own.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("ghcr.io", "own")));
        let s2 = settings(&bin, &[("REGISTRY_AUTH_FILE", own.display().to_string())]);
        assert_eq!(auth_files(&s2)[0].path, own);
        assert!(!auth_files(&s2).iter().any(|f| f.path == bin.path("run/containers/auth.json")));
        assert_eq!(user_of(&gather("ghcr.io", None, &s2)).as_deref(), Some("own"));
        let s3 = settings(&bin, &[("DOCKER_CONFIG", bin.path("dc").display().to_string())]);
        assert_eq!(auth_files(&s3)[2].path, bin.path("dc/config.json"));
        // Without XDG_RUNTIME_DIR the primary file is per uid under /run/containers (root's podman
        // 4.3.1 writes `/run/containers/0/auth.json` there).
        let s5 = Settings { timeout: Duration::from_secs(1), env: bin.env() };
        let uid = rustix::process::getuid().as_raw();
        assert_eq!(primary_auth_file(&s5), Some(PathBuf::from(format!("/run/containers/{uid}/auth.json"))));
        // An XDG_RUNTIME_DIR that does not exist: podman skips the primary file.
        let s4 = settings(&bin, &[("XDG_RUNTIME_DIR", bin.path("nosuch").display().to_string())]);
        assert_eq!(auth_files(&s4)[0].path, bin.path("home/.config/containers/auth.json"));
    }

    #[test]
    fn the_most_specific_namespace_key_wins() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin, &[]);
        bin.write(
            "run/containers/auth.json",
            &format!(
                r#"{{"auths":{{{},{},{}}}}}"#,
                entry("ghcr.io", "host"),
                entry("ghcr.io/acme", "org"),
                entry("ghcr.io/acme/team/app", "repo")
            ),
        );
        let key = |repo| gather("ghcr.io", Some(repo), &s).auth_key;
        assert_eq!(key("acme/team/app").as_deref(), Some("ghcr.io/acme/team/app"));
        assert_eq!(key("acme/team/other").as_deref(), Some("ghcr.io/acme"));
        assert_eq!(key("acme/app").as_deref(), Some("ghcr.io/acme"));
        assert_eq!(key("other/app").as_deref(), Some("ghcr.io"));
        // A namespace key does not answer for the bare host or another owner.
        bin.write("run/containers/auth.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("ghcr.io/acme", "org")));
        assert_eq!(gather("ghcr.io", Some("other/app"), &s).lookup, CredentialLookup::NotFound);
        assert_eq!(gather("ghcr.io", None, &s).lookup, CredentialLookup::NotFound);
        // With a port (the loopback registry's alias).
        bin.write("run/containers/auth.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("127.0.0.1:5000/acme", "org")));
        assert_eq!(user_of(&gather("127.0.0.1:5000", Some("acme/app"), &s)).as_deref(), Some("org"));
    }

    #[test]
    fn cred_helpers_are_asked_and_creds_store_is_not() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin, &[]);
        bin.script(
            "docker-credential-fake",
            &format!(
                r#"read -r host || true
echo "$1 $host" >> "{log}"
[ "$host" = "ghcr.io" ] && echo '{{"ServerURL":"ghcr.io","Username":"helper","Secret":"from-helper"}}' && exit 0
echo "credentials not found in native keychain"; exit 1"#,
                log = bin.path("helper.log").display()
            ),
        );
        bin.write(
            "run/containers/auth.json",
            &format!(r#"{{"credHelpers":{{"ghcr.io":"fake"}},"auths":{{{}}}}}"#, entry("ghcr.io/acme", "file")),
        );
        let f = gather("ghcr.io", Some("acme/app"), &s);
        assert_eq!(f.store, CredentialStore::Helper { name: "fake".into(), per_host: true });
        assert_eq!(user_of(&f).as_deref(), Some("helper"));
        assert!(!f.plaintext_in_file);
        assert_eq!(std::fs::read_to_string(bin.path("helper.log")).unwrap(), "get ghcr.io\n");
        // The helper's "not found" goes on to the next file.
        bin.write("run/containers/auth.json", r#"{"credHelpers":{"containers.x.example":"fake"}}"#);
        bin.write("home/.docker/config.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("containers.x.example", "d")));
        bin.write("home/.config/containers/auth.json", r#"{"credHelpers":{"containers.x.example":"fake"}}"#);
        assert_eq!(user_of(&gather("containers.x.example", None, &s)).as_deref(), Some("d"));
        // `credsStore` is docker's only.
        bin.write("run/containers/auth.json", r#"{"credsStore":"fake"}"#);
        let _ = std::fs::remove_file(bin.path("home/.docker/config.json"));
        assert_eq!(gather("ghcr.io", None, &s).lookup, CredentialLookup::NotFound);
        // A helper that is not on PATH stops the lookup there.
        bin.write("run/containers/auth.json", r#"{"credHelpers":{"ghcr.io":"nosuch"}}"#);
        let f = gather("ghcr.io", None, &s);
        assert_eq!(f.lookup, CredentialLookup::HelperMissing { program: "docker-credential-nosuch".into() });
        assert!(f.config_path.ends_with("run/containers/auth.json"));
    }

    #[test]
    fn a_malformed_file_stops_the_lookup_and_is_named() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin, &[]);
        bin.write("home/.docker/config.json", &format!(r#"{{"auths":{{{}}}}}"#, entry("ghcr.io", "docker")));
        for (text, needle) in [
            ("{\"auths\": {", "EOF"),
            ("[1]", "not a JSON object"),
            (r#"{"auths":[]}"#, "`auths` is not an object"),
            (r#"{"auths":{"ghcr.io":{"auth":"not*base64"}}}"#, "base64"),
            (r#"{"auths":{"ghcr.io":"x"}}"#, "is not an object"),
        ] {
            bin.write("home/.config/containers/auth.json", text);
            let f = gather("ghcr.io", None, &s);
            let DockerConfigState::Malformed { detail } = &f.config else { panic!("{text}: {f:?}") };
            assert!(detail.contains(needle), "{text}: {detail}");
            assert!(f.config_path.ends_with(".config/containers/auth.json"), "{}", f.config_path);
            assert_eq!(f.lookup, CredentialLookup::NotFound);
        }
        // An entry podman never decodes does not matter.
        bin.write("home/.config/containers/auth.json", r#"{"auths":{"quay.io":{"auth":"!"}}}"#);
        assert_eq!(user_of(&gather("ghcr.io", None, &s)).as_deref(), Some("docker"));
    }
}
