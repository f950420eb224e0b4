//! Reads the Kubernetes pull secret of `check --pull-secret FILE`: a `kubernetes.io/dockerconfigjson`
//! Secret as `kubectl get secret NAME -o yaml` (or `-o json`) prints it — `data[".dockerconfigjson"]`
//! in base64, or `stringData` in clear —, the legacy `kubernetes.io/dockercfg` (`.dockercfg`: a map
//! host → entry), or a bare `.dockerconfigjson` document (`{"auths": {…}}`).
//!
//! Entries decode as the kubelet's `DockerConfigEntry` does (pkg/credentialprovider/config.go,
//! kubernetes/kubernetes): `username`/`password`, overridden by `auth` = base64(`user:password`)
//! split at the first `:`. Reads only; the secrets stay `Secret`s, and no error message carries
//! any part of the file's values (the parsers name only lines and columns).
//!
//! Also the kubelet's fall-through ([`fallbacks`]): when the registry refuses the first matching
//! entry (asked on the registry's lane with the other image facts), the next matching entries
//! are asked in turn, token request then manifest `HEAD`, up to the first that works.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ghcr_doctor_checks::{
    Facts, Probe, PullSecret, PullSecretAttempt, PullSecretEntry, PullSecretError, PullSecretForm, Request, Secret,
};
use serde_json::{Map, Value};

use crate::registry::{Registry, basic_of};
use crate::{FileError, Settings, read_regular};

/// The largest file read (a Secret is limited to 1 MiB by the API server).
const SECRET_CAP: u64 = 1024 * 1024;

const DOCKER_CONFIG_JSON: &str = ".dockerconfigjson";
const DOCKER_CFG: &str = ".dockercfg";

/// Reads and decodes the pull secret at `path`.
pub fn read_pull_secret(path: &Path, settings: &Settings) -> Result<PullSecret, PullSecretError> {
    let bytes = read_regular(path, SECRET_CAP, settings.timeout)
        .map_err(|e: FileError| PullSecretError::Unreadable(e.to_string()))?;
    parse(&path.display().to_string(), &bytes)
}

/// With `--pull-secret`, when the registry refused the first matching entry's token request: the
/// further matching entries, asked in the kubelet's order until one pulls. Nothing when the
/// first was accepted (a missing tag is no credential's fault) or the registry did not answer.
pub(crate) fn fallbacks(request: &Request, facts: &Facts, registry: &Registry<'_>) -> Vec<PullSecretAttempt> {
    let (Some(secret), Some(image), Some(first)) = (&request.pull_secret, request.images.first(), facts.images.first())
    else {
        return Vec::new();
    };
    let refused = first.credential_token.done().is_some_and(|a| a.status != 200);
    if !refused || !matches!(facts.registry_ping, Probe::Done(_)) {
        return Vec::new();
    }
    let challenge = registry.challenge(&facts.registry_ping);
    let scope = format!("repository:{}:pull", image.repository());
    let mut attempts = Vec::new();
    for entry in secret.entries_for(image).into_iter().skip(1) {
        let credential = entry.credential();
        let (token, bearer) = registry.token(&challenge, &scope, basic_of(&credential));
        let manifest = bearer.map_or(Probe::Skipped, |b| registry.manifest(image, &b));
        let attempt = PullSecretAttempt { key: entry.key.clone(), token, manifest };
        let pulls = attempt.pulls();
        attempts.push(attempt);
        if pulls {
            break;
        }
    }
    attempts
}

/// Decodes a pull secret's bytes.
pub fn parse(path: &str, bytes: &[u8]) -> Result<PullSecret, PullSecretError> {
    let document = document(bytes)?;
    let Value::Object(map) = document else { return Err(PullSecretError::NotASecret) };
    let is_secret = map.get("kind").and_then(Value::as_str) == Some("Secret");
    if !is_secret {
        if map.contains_key("kind") || !map.contains_key("auths") {
            return Err(PullSecretError::NotASecret);
        }
        let entries = entries(auths_of(&map, DOCKER_CONFIG_JSON)?)?;
        return Ok(PullSecret { path: path.into(), form: PullSecretForm::Bare, name: None, namespace: None, entries });
    }
    let kind = map.get("type").and_then(Value::as_str).unwrap_or("Opaque");
    let (form, key) = match kind {
        "kubernetes.io/dockerconfigjson" => (PullSecretForm::DockerConfigJson, DOCKER_CONFIG_JSON),
        "kubernetes.io/dockercfg" => (PullSecretForm::DockerCfg, DOCKER_CFG),
        other => return Err(PullSecretError::WrongType(other.to_owned())),
    };
    let inner = inner_document(&map, key)?;
    let inner: Value =
        serde_json::from_slice(&inner).map_err(|e| PullSecretError::BadInnerJson { key, detail: e.to_string() })?;
    let Value::Object(inner) = inner else {
        return Err(PullSecretError::BadInnerJson { key, detail: "it is not a JSON object".into() });
    };
    let auths = match form {
        PullSecretForm::DockerCfg => &inner,
        _ => auths_of(&inner, key)?,
    };
    let metadata = map.get("metadata");
    let text = |field: &str| metadata.and_then(|m| m.get(field)).and_then(Value::as_str).map(str::to_owned);
    Ok(PullSecret {
        path: path.into(),
        form,
        name: text("name"),
        namespace: text("namespace"),
        entries: entries(auths)?,
    })
}

/// The file as a document: JSON when it looks like JSON (docker's tab-indented files are not
/// valid YAML), else YAML.
fn document(bytes: &[u8]) -> Result<Value, PullSecretError> {
    let text = String::from_utf8_lossy(bytes);
    if text.trim_start().starts_with('{') {
        if let Ok(v) = serde_json::from_str(&text) {
            return Ok(v);
        }
    }
    if text.trim().is_empty() {
        return Err(PullSecretError::NotYaml("the file is empty".into()));
    }
    serde_yaml_ng::from_str::<Value>(&text).map_err(|e| PullSecretError::NotYaml(e.to_string()))
}

/// `stringData[key]` (the API server merges it over `data`), else `data[key]` decoded.
fn inner_document(secret: &Map<String, Value>, key: &'static str) -> Result<Vec<u8>, PullSecretError> {
    if let Some(clear) = secret.get("stringData").and_then(|d| d.get(key)).and_then(Value::as_str) {
        return Ok(clear.as_bytes().to_vec());
    }
    let encoded = secret.get("data").and_then(|d| d.get(key)).ok_or(PullSecretError::MissingKey(key))?;
    let encoded = encoded.as_str().ok_or(PullSecretError::BadBase64(key))?;
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(compact).map_err(|_| PullSecretError::BadBase64(key))
}

fn auths_of<'a>(
    document: &'a Map<String, Value>,
    key: &'static str,
) -> Result<&'a Map<String, Value>, PullSecretError> {
    document
        .get("auths")
        .and_then(Value::as_object)
        .ok_or_else(|| PullSecretError::BadInnerJson { key, detail: "it has no `auths` object".into() })
}

fn entries(auths: &Map<String, Value>) -> Result<Vec<PullSecretEntry>, PullSecretError> {
    if auths.is_empty() {
        return Err(PullSecretError::NoEntries);
    }
    auths.iter().map(|(key, entry)| entry_of(key, entry)).collect()
}

fn entry_of(key: &str, entry: &Value) -> Result<PullSecretEntry, PullSecretError> {
    let Some(entry) = entry.as_object() else {
        return Err(PullSecretError::BadInnerJson {
            key: DOCKER_CONFIG_JSON,
            detail: format!("the entry `{key}` is not an object"),
        });
    };
    let field = |name: &str| entry.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (mut username, mut password) = (field("username"), field("password"));
    let auth = field("auth");
    if !auth.is_empty() {
        let bad = |why| PullSecretError::BadAuth { key: key.to_owned(), why };
        let decoded = STANDARD.decode(auth.trim()).map_err(|_| bad("is not valid base64"))?;
        let decoded = String::from_utf8(decoded).map_err(|_| bad("is not text"))?;
        let (user, pass) = decoded.split_once(':').ok_or_else(|| bad("does not decode to `user:password`"))?;
        username = user.to_owned();
        password = pass.to_owned();
    }
    Ok(PullSecretEntry { key: key.to_owned(), username, secret: Secret::new(password) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `u:pw` and `v:pw2` in base64, and a whole `.dockerconfigjson` in base64.
    const AUTH: &str = "dTpwdw==";
    fn b64(s: &str) -> String {
        STANDARD.encode(s)
    }

    fn config(key: &str) -> String {
        format!(r#"{{"auths":{{"{key}":{{"auth":"{AUTH}"}}}}}}"#)
    }

    #[test]
    fn every_form_reads_to_the_same_entry() {
        let yaml = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: apps\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {}\n",
            b64(&config("ghcr.io"))
        );
        let json = format!(
            r#"{{"apiVersion":"v1","kind":"Secret","metadata":{{"name":"regcred","namespace":"apps"}},"type":"kubernetes.io/dockerconfigjson","data":{{".dockerconfigjson":"{}"}}}}"#,
            b64(&config("ghcr.io"))
        );
        let string_data = format!(
            "kind: Secret\nmetadata:\n  name: regcred\n  namespace: apps\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{}'\n",
            config("ghcr.io")
        );
        let cfg = format!(
            "kind: Secret\nmetadata:\n  name: regcred\n  namespace: apps\ntype: kubernetes.io/dockercfg\ndata:\n  .dockercfg: {}\n",
            b64(&format!(r#"{{"ghcr.io":{{"auth":"{AUTH}"}}}}"#))
        );
        for text in [yaml, json, string_data, cfg] {
            let s = parse("f", text.as_bytes()).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
            assert_eq!((s.name.as_deref(), s.namespace.as_deref()), (Some("regcred"), Some("apps")));
            assert_eq!(s.entries.len(), 1);
            let e = &s.entries[0];
            assert_eq!((e.key.as_str(), e.username.as_str(), e.secret.expose()), ("ghcr.io", "u", "pw"));
        }
        let bare =
            parse("f", b"{\n\t\"auths\": {\"https://ghcr.io\": {\"username\": \"v\", \"password\": \"pw2\"}}\n}")
                .unwrap();
        assert_eq!((bare.form, bare.name.as_ref()), (PullSecretForm::Bare, None));
        assert_eq!((bare.entries[0].username.as_str(), bare.entries[0].secret.expose()), ("v", "pw2"));
    }

    #[test]
    fn bad_input_is_an_error_never_a_panic() {
        let secret = |ty: &str, data: &str| format!("kind: Secret\ntype: {ty}\ndata:\n  {data}\n");
        let cases: Vec<(String, PullSecretError)> = vec![
            ("".into(), PullSecretError::NotYaml("the file is empty".into())),
            ("- a\n- b\n".into(), PullSecretError::NotASecret),
            ("kind: ConfigMap\n".into(), PullSecretError::NotASecret),
            (secret("Opaque", "a: b"), PullSecretError::WrongType("Opaque".into())),
            (secret("kubernetes.io/dockerconfigjson", "other: x"), PullSecretError::MissingKey(".dockerconfigjson")),
            (
                secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson: '*not base64*'"),
                PullSecretError::BadBase64(".dockerconfigjson"),
            ),
            (
                secret("kubernetes.io/dockerconfigjson", &format!(".dockerconfigjson: {}", b64("{}"))),
                PullSecretError::BadInnerJson { key: ".dockerconfigjson", detail: "it has no `auths` object".into() },
            ),
            (r#"{"auths":{}}"#.into(), PullSecretError::NoEntries),
            (
                r#"{"auths":{"ghcr.io":{"auth":"bm9jb2xvbg=="}}}"#.into(),
                PullSecretError::BadAuth { key: "ghcr.io".into(), why: "does not decode to `user:password`" },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse("f", text.as_bytes()).unwrap_err(), expected, "{text}");
        }
        let not_json = secret("kubernetes.io/dockerconfigjson", &format!(".dockerconfigjson: {}", b64("{oops")));
        assert!(matches!(parse("f", not_json.as_bytes()), Err(PullSecretError::BadInnerJson { .. })));
        assert!(matches!(parse("f", b"key: [unclosed"), Err(PullSecretError::NotYaml(d)) if d.contains("line")));
    }
}
