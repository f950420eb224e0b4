//! docker's client configuration (`config.json`) and the credentials docker would send to the
//! registry host: `DOCKER_AUTH_CONFIG` > `credHelpers[host]` > `credsStore` > `auths[host]`.
//!
//! Reads only; never writes. A config docker could not load (bad JSON, an `auth` value that is
//! not base64 `user:secret`) is `Malformed`: docker then ignores the whole file and pulls
//! anonymously (real-behaviour §3.8). Helper errors are reduced to a short secret-free line.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ghcr_doctor_checks::{
    CredentialLookup, CredentialStore, DockerConfigState, DockerCredentialFacts, ProbeError, ProbeErrorKind, Secret,
    StoredCredential,
};
use serde_json::{Map, Value};

use crate::Settings;
use crate::process::{find_program, lossy, run_process, shown};

/// What the helper protocol prints for an unknown server.
const NOT_FOUND: &str = "credentials not found in native keychain";

/// The largest config.json read (real ones are a few KiB).
const CONFIG_CAP: u64 = 4 * 1024 * 1024;

/// config.json as docker would load it.
pub(crate) struct DockerConfig {
    pub path: String,
    pub state: DockerConfigState,
    /// The parsed document, also when docker would reject it for an invalid `auth` value.
    json: Option<Map<String, Value>>,
}

impl DockerConfig {
    /// The parsed document when docker would load it.
    pub(crate) fn loaded(&self) -> Option<&Map<String, Value>> {
        if self.state == DockerConfigState::Loaded { self.json.as_ref() } else { None }
    }

    /// `currentContext`, when the file is loaded and names one.
    pub(crate) fn current_context(&self) -> Option<&str> {
        key(self.loaded()?, "currentContext")?.as_str().filter(|s| !s.is_empty())
    }
}

/// Where docker keeps its `config.json`: `$DOCKER_CONFIG/config.json`, else
/// `$HOME/.docker/config.json`.
pub fn config_path(settings: &Settings) -> Option<PathBuf> {
    if let Some(dir) = settings.env.path_var("DOCKER_CONFIG") {
        return Some(dir.join("config.json"));
    }
    let home = settings
        .env
        .path_var("HOME")
        .or_else(|| if cfg!(windows) { settings.env.path_var("USERPROFILE") } else { None });
    home.map(|home| home.join(".docker").join("config.json"))
}

pub(crate) fn load(settings: &Settings) -> DockerConfig {
    load_path(config_path(settings), settings)
}

/// A config.json at `path` as docker would load it (`None`: no home to look in).
pub(crate) fn load_path(path: Option<PathBuf>, settings: &Settings) -> DockerConfig {
    let Some(path) = path else {
        return DockerConfig { path: String::new(), state: DockerConfigState::Missing, json: None };
    };
    let shown = path.display().to_string();
    let malformed = |detail: String, json| DockerConfig {
        path: shown.clone(),
        state: DockerConfigState::Malformed { detail },
        json,
    };
    let bytes = match crate::files::read_regular(&path, CONFIG_CAP, settings.timeout) {
        Ok(b) => b,
        Err(crate::FileError::Missing) => {
            return DockerConfig { path: shown, state: DockerConfigState::Missing, json: None };
        }
        Err(e) => return malformed(e.to_string(), None),
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        // serde_json's message names the line and column ("... at line 3 column 5").
        Err(e) => return malformed(e.to_string(), None),
    };
    let Value::Object(map) = value else {
        return malformed("the file is not a JSON object".into(), None);
    };
    match validate(&map) {
        Ok(()) => DockerConfig { path: shown, state: DockerConfigState::Loaded, json: Some(map) },
        Err(detail) => malformed(detail, Some(map)),
    }
}

/// The top-level `name` as docker's decoder (Go's encoding/json) finds it: the exact key, else one
/// that differs only in case (`CREDSSTORE`; real-behaviour §3.10).
pub(crate) fn key<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

/// What docker's loader rejects beyond JSON syntax: wrong types for the keys we read, and
/// `auth` values that do not decode to `user:secret`.
fn validate(map: &Map<String, Value>) -> Result<(), String> {
    for name in ["credsStore", "currentContext"] {
        if key(map, name).is_some_and(|v| !v.is_string() && !v.is_null()) {
            return Err(format!("`{name}` is not a string"));
        }
    }
    if let Some(helpers) = key(map, "credHelpers").filter(|v| !v.is_null()) {
        let ok = helpers.as_object().is_some_and(|m| m.values().all(Value::is_string));
        if !ok {
            return Err("`credHelpers` is not an object of strings".into());
        }
    }
    if let Some(auths) = key(map, "auths").filter(|v| !v.is_null()) {
        let Some(auths) = auths.as_object() else { return Err("`auths` is not an object".into()) };
        for (host, entry) in auths {
            if !entry.is_object() && !entry.is_null() {
                return Err(format!("`auths[\"{host}\"]` is not an object"));
            }
            if let Some(auth) = entry.get("auth").and_then(Value::as_str).filter(|a| !a.is_empty()) {
                decode_auth(auth).map_err(|why| format!("`auths[\"{host}\"].auth` {why}"))?;
            }
        }
    }
    Ok(())
}

/// base64(`user:secret`) → (user, secret), as docker's `decodeAuth`.
pub(crate) fn decode_auth(auth: &str) -> Result<(String, String), &'static str> {
    let bytes = STANDARD.decode(auth).map_err(|_| "is not valid base64")?;
    let text = String::from_utf8_lossy(&bytes);
    let (user, secret) = text.split_once(':').ok_or("does not decode to `user:secret`")?;
    Ok((user.to_owned(), secret.trim_matches('\0').to_owned()))
}

/// `https://ghcr.io/`, `ghcr.io/v1/` → `ghcr.io` (docker's `ConvertToHostname`).
pub(crate) fn key_host(key: &str) -> &str {
    let rest = key.strip_prefix("https://").or_else(|| key.strip_prefix("http://")).unwrap_or(key);
    rest.split('/').next().unwrap_or(rest)
}

/// The `auths` entry for `host`: the exact key first, then any key docker normalises to it.
fn auth_entry<'a>(auths: Option<&'a Value>, host: &str) -> Option<&'a Map<String, Value>> {
    let auths = auths?.as_object()?;
    auths
        .get(host)
        .or_else(|| auths.iter().find(|(k, _)| key_host(k).eq_ignore_ascii_case(host)).map(|(_, v)| v))?
        .as_object()
}

pub(crate) fn non_empty_str<'a>(entry: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    entry.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// What an `auths` map holds for `host`.
pub(crate) fn file_lookup(auths: Option<&Value>, host: &str) -> Result<CredentialLookup, &'static str> {
    let Some(entry) = auth_entry(auths, host) else { return Ok(CredentialLookup::NotFound) };
    entry_lookup(entry)
}

/// The credential one `auths` entry holds: `auth` (base64 `user:secret`), or an `identitytoken`.
pub(crate) fn entry_lookup(entry: &Map<String, Value>) -> Result<CredentialLookup, &'static str> {
    let (username, password) = match non_empty_str(entry, "auth") {
        Some(auth) => decode_auth(auth)?,
        None => (String::new(), String::new()),
    };
    if let Some(token) = non_empty_str(entry, "identitytoken") {
        return Ok(CredentialLookup::Found(StoredCredential {
            username,
            secret: Secret::new(token),
            identity_token: true,
        }));
    }
    if password.is_empty() && username.is_empty() {
        return Ok(CredentialLookup::NotFound);
    }
    Ok(CredentialLookup::Found(StoredCredential { username, secret: Secret::new(password), identity_token: false }))
}

/// Which store docker uses for `host`, what it holds, and whether the file has a plaintext secret.
pub(crate) fn gather(config: &DockerConfig, registry_host: &str, settings: &Settings) -> DockerCredentialFacts {
    let plaintext_in_file = config
        .json
        .as_ref()
        .and_then(|m| auth_entry(key(m, "auths"), registry_host))
        .is_some_and(|e| non_empty_str(e, "auth").is_some() || non_empty_str(e, "identitytoken").is_some());
    let (store, lookup) = resolve(config, registry_host, settings);
    let other = crate::other_stores::gather(config, registry_host, &lookup, settings);
    DockerCredentialFacts {
        config_path: config.path.clone(),
        config: config.state.clone(),
        registry_host: registry_host.to_owned(),
        store,
        lookup,
        plaintext_in_file,
        own_helper_on_path: own_helper_on_path(settings),
        other,
        auth_key: None,
    }
}

fn resolve(config: &DockerConfig, host: &str, settings: &Settings) -> (CredentialStore, CredentialLookup) {
    if let Some(raw) = settings.env.non_empty("DOCKER_AUTH_CONFIG") {
        let lookup = match serde_json::from_str::<Value>(raw) {
            Err(e) => failed(ProbeErrorKind::Malformed, format!("DOCKER_AUTH_CONFIG is not valid JSON: {e}")),
            Ok(v) => file_lookup(v.get("auths"), host).unwrap_or_else(|why| {
                failed(ProbeErrorKind::Malformed, format!("DOCKER_AUTH_CONFIG: `auths[\"{host}\"].auth` {why}"))
            }),
        };
        return (CredentialStore::EnvAuthConfig, lookup);
    }
    let Some(map) = config.loaded() else { return (CredentialStore::File, CredentialLookup::NotFound) };
    let per_host = key(map, "credHelpers").and_then(|h| h.get(host)).and_then(Value::as_str).filter(|s| !s.is_empty());
    let global = key(map, "credsStore").and_then(Value::as_str).filter(|s| !s.is_empty());
    match (per_host, global) {
        (Some(name), _) => {
            (CredentialStore::Helper { name: name.into(), per_host: true }, helper_get(name, host, settings))
        }
        (None, Some(name)) => {
            (CredentialStore::Helper { name: name.into(), per_host: false }, helper_get(name, host, settings))
        }
        // Validated on load, so the `auth` value decodes.
        (None, None) => {
            (CredentialStore::File, file_lookup(key(map, "auths"), host).unwrap_or(CredentialLookup::NotFound))
        }
    }
}

fn failed(kind: ProbeErrorKind, detail: String) -> CredentialLookup {
    CredentialLookup::HelperFailed(ProbeError::new(kind, detail))
}

/// `docker-credential-ghcr-doctor` is on PATH (`ghcr-doctor setup-docker` can route through gh).
pub(crate) fn own_helper_on_path(settings: &Settings) -> bool {
    find_program("docker-credential-ghcr-doctor", &settings.env).is_some()
}

/// `docker-credential-NAME get` with the bare host on stdin, as docker (and podman) runs it.
pub(crate) fn helper_get(name: &str, host: &str, settings: &Settings) -> CredentialLookup {
    let program = format!("docker-credential-{name}");
    if find_program(&program, &settings.env).is_none() {
        return CredentialLookup::HelperMissing { program };
    }
    let out = match run_process(&program, &["get"], Some(host.as_bytes()), &settings.env, settings.timeout) {
        Ok(out) => out,
        Err(e) => return CredentialLookup::HelperFailed(e),
    };
    // stdout holds the secret on success: parsed raw, shown only redacted.
    let stdout = lossy(&out.stdout);
    if !out.success() {
        if stdout.contains(NOT_FOUND) || lossy(&out.stderr).contains(NOT_FOUND) {
            return CredentialLookup::NotFound;
        }
        let code = out.exit_code.map_or("a signal".to_owned(), |c| format!("exit code {c}"));
        let message = clean_message(&shown(&out.stdout)).or_else(|| clean_message(&shown(&out.stderr)));
        let detail = match message {
            Some(m) => format!("`{program} get` failed ({code}): {m}"),
            None => format!("`{program} get` failed ({code})"),
        };
        return failed(ProbeErrorKind::Io, detail);
    }
    let parsed: Option<Value> = serde_json::from_str(stdout.trim()).ok();
    let field = |k: &str| parsed.as_ref().and_then(|v| v.get(k)).and_then(Value::as_str).map(str::to_owned);
    match (parsed.as_ref().map(Value::is_object), field("Username"), field("Secret")) {
        (Some(true), username, secret) => {
            let username = username.unwrap_or_default();
            let secret = secret.unwrap_or_default();
            if username.is_empty() && secret.is_empty() {
                return CredentialLookup::NotFound;
            }
            CredentialLookup::Found(StoredCredential {
                identity_token: username == "<token>",
                username,
                secret: Secret::new(secret),
            })
        }
        _ => {
            failed(ProbeErrorKind::Malformed, format!("`{program} get` printed something that is not credentials JSON"))
        }
    }
}

/// The first line of a helper's error output, short, and never a JSON document (which could hold
/// a secret).
fn clean_message(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.starts_with('{') || line.starts_with('[') {
        return None;
    }
    let mut short: String = line.chars().filter(|c| !c.is_control()).take(200).collect();
    if line.chars().count() > 200 {
        short.push('…');
    }
    Some(short)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::testutil::{BinEnv, FakeBin};
    use std::time::Duration;

    fn settings(bin: &FakeBin) -> Settings {
        Settings {
            timeout: Duration::from_secs(10),
            env: bin.env().with("DOCKER_CONFIG", bin.path("dc").display().to_string()),
        }
    }

    fn facts(bin: &FakeBin, settings: &Settings) -> DockerCredentialFacts {
        let _ = bin;
        gather(&load(settings), "ghcr.io", settings)
    }

    /// A helper that answers for `ghcr.io` and says "not found" for anything else.
    fn helper(bin: &FakeBin, name: &str, secret: &str) {
        bin.script(
            &format!("docker-credential-{name}"),
            &format!(
                r#"read -r host || true
echo "$1 $host" >> "{log}"
if [ "$host" = "ghcr.io" ]; then echo '{{"ServerURL":"ghcr.io","Username":"alice","Secret":"{secret}"}}'; exit 0; fi
echo "credentials not found in native keychain"; exit 1"#,
                log = bin.path("helper.log").display()
            ),
        );
    }

    #[test]
    fn missing_config_is_the_empty_file_store() {
        let bin = FakeBin::new().unwrap();
        let f = facts(&bin, &settings(&bin));
        assert_eq!(f.config, DockerConfigState::Missing);
        assert_eq!(
            (f.store, f.lookup, f.plaintext_in_file),
            (CredentialStore::File, CredentialLookup::NotFound, false)
        );
        assert!(f.config_path.ends_with("dc/config.json"));
        // Without DOCKER_CONFIG the file is under HOME.
        let s = Settings { timeout: Duration::from_secs(1), env: bin.env() };
        assert!(gather(&load(&s), "ghcr.io", &s).config_path.ends_with("home/.docker/config.json"));
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let bin = FakeBin::new().unwrap();
        bin.write("dc/config.json", "{\n  \"auths\": {\n    \"ghcr.io\": {\"auth\": \"eDpnb29kcGFzcw==\"}\n  ,\n");
        let f = facts(&bin, &settings(&bin));
        let DockerConfigState::Malformed { detail } = &f.config else { panic!("{f:?}") };
        assert!(detail.contains("line") && detail.contains("column"), "{detail}");
        assert_eq!((f.store, f.lookup), (CredentialStore::File, CredentialLookup::NotFound));
        bin.write("dc/config.json", "");
        assert!(matches!(facts(&bin, &settings(&bin)).config, DockerConfigState::Malformed { .. }));
        bin.write("dc/config.json", "[1]");
        assert!(matches!(facts(&bin, &settings(&bin)).config, DockerConfigState::Malformed { .. }));
    }

    #[test]
    fn invalid_base64_is_malformed_not_a_panic() {
        let bin = FakeBin::new().unwrap();
        bin.write("dc/config.json", r#"{"auths":{"ghcr.io":{"auth":"not*base64"}}}"#);
        let f = facts(&bin, &settings(&bin));
        let DockerConfigState::Malformed { detail } = &f.config else { panic!("{f:?}") };
        assert!(detail.contains("base64"), "{detail}");
        assert_eq!(f.lookup, CredentialLookup::NotFound);
        bin.write("dc/config.json", r#"{"auths":{"ghcr.io":{"auth":"bm9jb2xvbg=="}}}"#); // "nocolon"
        assert!(matches!(facts(&bin, &settings(&bin)).config, DockerConfigState::Malformed { .. }));
    }

    #[test]
    fn plaintext_file_credentials_and_key_forms() {
        let bin = FakeBin::new().unwrap();
        bin.write("dc/config.json", r#"{"auths":{"https://ghcr.io/":{"auth":"eDpnb29kcGFzcw=="}}}"#);
        let f = facts(&bin, &settings(&bin));
        assert_eq!(f.config, DockerConfigState::Loaded);
        assert!(f.plaintext_in_file);
        let CredentialLookup::Found(c) = &f.lookup else { panic!("{f:?}") };
        assert_eq!((c.username.as_str(), c.secret.expose(), c.identity_token), ("x", "goodpass", false));
        bin.write("dc/config.json", r#"{"auths":{"ghcr.io":{"identitytoken":"idtok"}}}"#);
        let CredentialLookup::Found(c) = facts(&bin, &settings(&bin)).lookup else { panic!() };
        assert!(c.identity_token);
        bin.write("dc/config.json", r#"{"auths":{"ghcr.io":{}}}"#);
        let f = facts(&bin, &settings(&bin));
        assert_eq!((f.lookup, f.plaintext_in_file), (CredentialLookup::NotFound, false));
    }

    #[test]
    fn store_resolution_order() {
        let bin = FakeBin::new().unwrap();
        helper(&bin, "perhost", "from-perhost");
        helper(&bin, "global", "from-global");
        let auth_entry = r#""auths":{"ghcr.io":{"auth":"eDpmcm9tZmlsZQ=="}}"#; // x:fromfile
        bin.write(
            "dc/config.json",
            &format!(r#"{{{auth_entry},"credsStore":"global","credHelpers":{{"ghcr.io":"perhost"}}}}"#),
        );
        let s = settings(&bin);
        let f = facts(&bin, &s);
        assert_eq!(f.store, CredentialStore::Helper { name: "perhost".into(), per_host: true });
        let CredentialLookup::Found(c) = &f.lookup else { panic!("{f:?}") };
        assert_eq!((c.username.as_str(), c.secret.expose()), ("alice", "from-perhost"));
        assert!(f.plaintext_in_file, "the file still holds a secret");
        assert_eq!(std::fs::read_to_string(bin.path("helper.log")).unwrap(), "get ghcr.io\n");

        bin.write(
            "dc/config.json",
            &format!(r#"{{{auth_entry},"credsStore":"global","credHelpers":{{"other.io":"perhost"}}}}"#),
        );
        let f = facts(&bin, &s);
        assert_eq!(f.store, CredentialStore::Helper { name: "global".into(), per_host: false });
        assert!(matches!(&f.lookup, CredentialLookup::Found(c) if c.secret.expose() == "from-global"));

        bin.write("dc/config.json", &format!("{{{auth_entry}}}"));
        let f = facts(&bin, &s);
        assert_eq!(f.store, CredentialStore::File);
        assert!(matches!(&f.lookup, CredentialLookup::Found(c) if c.secret.expose() == "fromfile"));

        // DOCKER_AUTH_CONFIG wins over everything.
        let env_cfg = r#"{"auths":{"ghcr.io":{"auth":"eTpmcm9tZW52"}}}"#; // y:fromenv
        let s2 = Settings { env: s.env.clone().with("DOCKER_AUTH_CONFIG", env_cfg), ..s };
        let f = facts(&bin, &s2);
        assert_eq!(f.store, CredentialStore::EnvAuthConfig);
        assert!(matches!(&f.lookup, CredentialLookup::Found(c) if c.username == "y" && c.secret.expose() == "fromenv"));
        let s3 = Settings { env: s2.env.clone().with("DOCKER_AUTH_CONFIG", "{oops"), ..s2 };
        assert!(
            matches!(facts(&bin, &s3).lookup, CredentialLookup::HelperFailed(e) if e.kind == ProbeErrorKind::Malformed)
        );
    }

    #[test]
    fn helper_missing_not_found_and_failing() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin);
        bin.write("dc/config.json", r#"{"auths":{},"credsStore":"desktop"}"#);
        assert_eq!(
            facts(&bin, &s).lookup,
            CredentialLookup::HelperMissing { program: "docker-credential-desktop".into() }
        );
        helper(&bin, "desktop", "s3cret");
        let f = gather(&load(&s), "containers.github.example.com", &s);
        assert_eq!(f.lookup, CredentialLookup::NotFound);
        bin.script("docker-credential-desktop", "echo 'error: keychain locked'; exit 1");
        let CredentialLookup::HelperFailed(e) = facts(&bin, &s).lookup else { panic!() };
        assert_eq!(e.detail, "`docker-credential-desktop get` failed (exit code 1): error: keychain locked");
        bin.script("docker-credential-desktop", "echo '{\"Secret\": \"leak\"'; exit 1");
        let CredentialLookup::HelperFailed(e) = facts(&bin, &s).lookup else { panic!() };
        assert!(!e.detail.contains("leak"), "{e:?}");
        bin.script("docker-credential-desktop", "echo 'garbage leak'; exit 0");
        let CredentialLookup::HelperFailed(e) = facts(&bin, &s).lookup else { panic!() };
        assert_eq!(e.kind, ProbeErrorKind::Malformed);
        assert!(!e.detail.contains("leak"));
        bin.script(
            "docker-credential-desktop",
            "echo '{\"ServerURL\":\"ghcr.io\",\"Username\":\"<token>\",\"Secret\":\"idt\"}'",
        );
        let CredentialLookup::Found(c) = facts(&bin, &s).lookup else { panic!() };
        assert!(c.identity_token);
    }

    #[test]
    fn keys_that_differ_only_in_case_are_read_as_docker_reads_them() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin);
        helper(&bin, "desktop", "s3cret");
        bin.write("dc/config.json", r#"{"CREDSSTORE":"desktop"}"#);
        let f = facts(&bin, &s);
        assert_eq!(f.store, CredentialStore::Helper { name: "desktop".into(), per_host: false });
        assert!(matches!(f.lookup, CredentialLookup::Found(_)), "{:?}", f.lookup);
        assert!(f.other.unknown_keys.is_empty(), "not a typo: {:?}", f.other.unknown_keys);
        bin.write("dc/config.json", r#"{"CredsStore":7}"#);
        assert!(matches!(load(&s).state, DockerConfigState::Malformed { .. }));
    }

    #[test]
    fn current_context_is_read_from_a_loaded_file() {
        let bin = FakeBin::new().unwrap();
        let s = settings(&bin);
        bin.write("dc/config.json", r#"{"currentContext":"colima"}"#);
        assert_eq!(load(&s).current_context(), Some("colima"));
        bin.write("dc/config.json", r#"{"currentContext":"colima","auths":{"x":{"auth":"!"}}}"#);
        assert_eq!(load(&s).current_context(), None);
    }
}
