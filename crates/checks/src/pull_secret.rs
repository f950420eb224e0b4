//! A Kubernetes image pull secret as the doctor read it (`PullSecret`), what was wrong with a file
//! that is not one (`PullSecretError`, in both languages), and the kubelet's rule for which of its
//! entries it sends for an image (`PullSecret::lookup`) — pure: the probe reads and decodes the file.
//!
//! The kubelet's matching is `pkg/credentialprovider/keyring.go` (kubernetes/kubernetes,
//! `BasicDockerKeyring.Add` / `Lookup` / `urlsMatch`) and the "Interpretation of config.json"
//! section of https://kubernetes.io/docs/concepts/containers/images/:
//! - a key without a scheme gets `https://`; it is parsed as a URL; a path starting `/v1/` or
//!   `/v2/` counts as the host alone; the key is host + path (host alone for `/` or no path);
//! - the keys are de-duplicated and sorted in reverse, so `ghcr.io/acme` comes before `ghcr.io`
//!   ("most specific paths are matched first");
//! - a key matches the image (`ghcr.io/acme/app:1`, no scheme) when the ports are equal, both
//!   hosts have the same number of dot-separated parts, each part matches as a `filepath.Match`
//!   glob (`*.example.com` does not match `example.com`), and the key's path is a string prefix
//!   of the image's path;
//! - every matching entry is returned in that order; the kubelet pulls with each in turn and stops
//!   at the first that works (`pkg/kubelet/kuberuntime/kuberuntime_image.go`, `PullImage`: `for _,
//!   currentCreds := range creds`), looking up the repository without its tag (`repoToPull`).

use crate::{Msg, Secret, StoredCredential, t};

/// Which kind of file the credentials came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullSecretForm {
    /// A Secret of `type: kubernetes.io/dockerconfigjson` (`.dockerconfigjson`: `{"auths":{…}}`).
    DockerConfigJson,
    /// The legacy `type: kubernetes.io/dockercfg` (`.dockercfg`: a map host → entry).
    DockerCfg,
    /// A bare `.dockerconfigjson` document (`{"auths":{…}}`), no Secret around it.
    Bare,
}

/// One entry of the secret: its key as written and the credential it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullSecretEntry {
    pub key: String,
    pub username: String,
    pub secret: Secret,
}

impl PullSecretEntry {
    /// What the kubelet sends with this entry: its user name and password, as basic auth.
    pub fn credential(&self) -> StoredCredential {
        StoredCredential { username: self.username.clone(), secret: self.secret.clone(), identity_token: false }
    }
}

/// A pull secret the doctor read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullSecret {
    /// The file as the user named it.
    pub path: String,
    pub form: PullSecretForm,
    /// `metadata.name` and `metadata.namespace`, when the file is a Secret that has them.
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The entries in the file's order.
    pub entries: Vec<PullSecretEntry>,
}

/// The name a fix recreates the Secret under when the file has none (a bare file).
pub const DEFAULT_SECRET_NAME: &str = "ghcr-pull";
/// The namespace a fix uses when the file names none (kubectl's own default).
pub const DEFAULT_NAMESPACE: &str = "default";

impl PullSecret {
    /// The entries the kubelet would try for `image`, most specific key first.
    pub fn entries_for(&self, image: &crate::ImageRef) -> Vec<&PullSecretEntry> {
        self.lookup(&format!("{}/{}", image.registry, image.repository()))
    }

    /// The entries the kubelet would send for `repository` (`REGISTRY/OWNER/NAME`, no scheme),
    /// most specific key first.
    pub fn lookup(&self, image: &str) -> Vec<&PullSecretEntry> {
        let mut index: Vec<(String, usize)> =
            self.entries.iter().enumerate().filter_map(|(i, e)| normalised_key(&e.key).map(|k| (k, i))).collect();
        // keyring.go: sort.Sort(sort.Reverse(sort.StringSlice(dk.index))) — byte order, reversed;
        // entries under the same normalised key keep the file's order.
        index.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        index.into_iter().filter(|(k, _)| key_matches(k, image)).map(|(_, i)| &self.entries[i]).collect()
    }

    /// The keys as written, for messages.
    pub fn keys(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.key.as_str()).collect()
    }

    /// The name a fix recreates it under.
    pub fn fix_name(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_SECRET_NAME)
    }

    /// The namespace a fix recreates it in.
    pub fn fix_namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }
}

/// keyring.go `Add`: the index key of a config key (scheme dropped, `/v1/`, `/v2/` = the host).
fn normalised_key(key: &str) -> Option<String> {
    let rest = key.strip_prefix("https://").or_else(|| key.strip_prefix("http://")).unwrap_or(key);
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if host.is_empty() {
        return None;
    }
    let path = if path.starts_with("/v2/") || path.starts_with("/v1/") { &path[3..] } else { path };
    Some(if path.is_empty() || path == "/" { host.to_owned() } else { format!("{host}{path}") })
}

/// Splits a scheme-less URL into host parts, port and path (keyring.go `splitUrl`).
fn split(url: &str) -> (Vec<&str>, &str, &str) {
    let (authority, path) = match url.find('/') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, p),
        _ => (authority, ""),
    };
    (host.split('.').collect(), port, path)
}

/// keyring.go `urlsMatch`: same port, same number of host parts, each part a glob match, and
/// the key's path a prefix of the image's.
fn key_matches(key: &str, image: &str) -> bool {
    let (key_parts, key_port, key_path) = split(key);
    let (image_parts, image_port, image_path) = split(image);
    key_port == image_port
        && key_parts.len() == image_parts.len()
        && image_path.starts_with(key_path)
        && key_parts.iter().zip(&image_parts).all(|(k, i)| glob_match(k.as_bytes(), i.as_bytes()))
}

/// Go's `filepath.Match` on one host part (no separators in it): `*`, `?`, `[…]` classes with
/// `^` negation and ranges, `\` escapes. A malformed pattern matches nothing, as Go's error does.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| glob_match(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && glob_match(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some((&c, tail)) = text.split_first() else { return false };
            match class_match(rest, c) {
                Some((matched, after)) => matched && glob_match(after, tail),
                None => false,
            }
        }
        Some((b'\\', rest)) => match rest.split_first() {
            Some((&p, after)) => text.first() == Some(&p) && glob_match(after, &text[1..]),
            None => false,
        },
        Some((&p, rest)) => text.first() == Some(&p) && glob_match(rest, &text[1..]),
    }
}

/// A `[…]` class (after the `[`) against `c`: whether it matched and the pattern after `]`.
fn class_match(pattern: &[u8], c: u8) -> Option<(bool, &[u8])> {
    let (negated, mut rest) = match pattern.split_first() {
        Some((b'^', r)) => (true, r),
        _ => (false, pattern),
    };
    let mut matched = false;
    let mut first = true;
    loop {
        match rest.split_first() {
            None => return None,
            Some((b']', after)) if !first => return Some((matched != negated, after)),
            _ => {}
        }
        first = false;
        let (lo, after) = class_char(rest)?;
        let (hi, after) = match after.split_first() {
            Some((b'-', r)) if r.first() != Some(&b']') => class_char(r)?,
            _ => (lo, after),
        };
        if lo <= c && c <= hi {
            matched = true;
        }
        rest = after;
    }
}

fn class_char(pattern: &[u8]) -> Option<(u8, &[u8])> {
    match pattern.split_first()? {
        (b'\\', r) => r.split_first().map(|(c, r)| (*c, r)),
        (c, r) => Some((*c, r)),
    }
}

/// Why a file the user named is not a pull secret the doctor can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullSecretError {
    /// Missing, unreadable, not a regular file, too large (the probe's words).
    Unreadable(String),
    /// Neither YAML nor JSON (the parser's words, with line and column).
    NotYaml(String),
    /// A document, but not a mapping with `kind: Secret` or `auths`.
    NotASecret,
    /// A Secret of another `type`.
    WrongType(String),
    /// A Secret without its `.dockerconfigjson` (or `.dockercfg`) in `data` or `stringData`.
    MissingKey(&'static str),
    /// `data[KEY]` is not base64.
    BadBase64(&'static str),
    /// The decoded document is not the JSON it must be.
    BadInnerJson { key: &'static str, detail: String },
    /// An entry's `auth` is not base64 `user:password`.
    BadAuth { key: String, why: &'static str },
    /// No entries at all.
    NoEntries,
}

impl PullSecretError {
    /// What is wrong, in both languages (without the file name, which the caller adds).
    pub fn describe(&self) -> Msg {
        match self {
            PullSecretError::Unreadable(detail) => {
                Msg::new(t!("it cannot be read: {detail}", "読み込めません：{detail}")).arg("detail", detail)
            }
            PullSecretError::NotYaml(detail) => Msg::new(t!(
                "it is neither YAML nor JSON: {detail}",
                "YAML としても JSON としても読めません：{detail}"
            ))
            .arg("detail", detail),
            PullSecretError::NotASecret => Msg::new(t!(
                "it is not a Kubernetes Secret (`kind: Secret`) nor a `.dockerconfigjson` document (`{\"auths\": {…}}`)",
                "Kubernetes の Secret（`kind: Secret`）でも、`.dockerconfigjson` の形式（`{\"auths\": {…}}`）でもありません"
            )),
            PullSecretError::WrongType(kind) => Msg::new(t!(
                "the Secret has `type: {kind}`; an image pull secret has `type: kubernetes.io/dockerconfigjson` (or the legacy `kubernetes.io/dockercfg`)",
                "この Secret は `type: {kind}` です。イメージの pull に使う Secret は `type: kubernetes.io/dockerconfigjson`（または旧形式の `kubernetes.io/dockercfg`）です"
            ))
            .arg("kind", kind),
            PullSecretError::MissingKey(key) => Msg::new(t!(
                "the Secret has no `{key}` in `data` or `stringData`",
                "この Secret の `data` にも `stringData` にも `{key}` がありません"
            ))
            .arg("key", key),
            PullSecretError::BadBase64(key) => Msg::new(t!(
                "`data[\"{key}\"]` is not valid base64",
                "`data[\"{key}\"]` が正しい base64 ではありません"
            ))
            .arg("key", key),
            PullSecretError::BadInnerJson { key, detail } => Msg::new(t!(
                "`{key}` is not the JSON docker writes: {detail}",
                "`{key}` が docker の書く JSON の形式ではありません：{detail}"
            ))
            .arg("key", key)
            .arg("detail", detail),
            PullSecretError::BadAuth { key, why } => Msg::new(t!(
                "the `auth` of the entry `{key}` {why}",
                "エントリ `{key}` の `auth` が不正です（{why}）"
            ))
            .arg("key", key)
            .arg("why", why),
            PullSecretError::NoEntries => Msg::new(t!(
                "it holds no registry entries (`auths` is empty)",
                "レジストリのエントリが一つもありません（`auths` が空です）"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(keys: &[&str]) -> PullSecret {
        PullSecret {
            path: "s.yaml".into(),
            form: PullSecretForm::DockerConfigJson,
            name: None,
            namespace: None,
            entries: keys
                .iter()
                .map(|k| PullSecretEntry { key: (*k).into(), username: format!("u-{k}"), secret: Secret::new("x") })
                .collect(),
        }
    }

    fn matched(keys: &[&str], image: &str) -> Vec<String> {
        secret(keys).lookup(image).into_iter().map(|e| e.key.clone()).collect()
    }

    #[test]
    fn key_forms_docker_and_kubectl_write_all_match_the_host() {
        for key in ["ghcr.io", "https://ghcr.io", "https://ghcr.io/", "https://ghcr.io/v1/", "http://ghcr.io/v2/"] {
            assert_eq!(matched(&[key], "ghcr.io/acme/app:1"), [key], "{key}");
        }
        assert!(matched(&["docker.io", "ghcr.io.evil.example"], "ghcr.io/acme/app:1").is_empty());
    }

    #[test]
    fn path_prefixes_match_most_specific_first() {
        let keys = ["ghcr.io", "ghcr.io/acme", "ghcr.io/other"];
        assert_eq!(matched(&keys, "ghcr.io/acme/app:1"), ["ghcr.io/acme", "ghcr.io"]);
        assert_eq!(matched(&keys, "ghcr.io/zed/app:1"), ["ghcr.io"]);
        // A string prefix, as keyring.go's strings.HasPrefix: `ghcr.io/acme` also covers `acme-x`.
        assert_eq!(matched(&["ghcr.io/acme"], "ghcr.io/acme-x/app:1"), ["ghcr.io/acme"]);
        assert!(matched(&["ghcr.io/acme/app"], "ghcr.io/acme/other:1").is_empty());
    }

    #[test]
    fn globs_match_one_host_part_each() {
        // The examples of kubernetes.io "Interpretation of config.json".
        assert!(matched(&["*.kubernetes.io"], "kubernetes.io/a/b").is_empty());
        assert_eq!(matched(&["*.kubernetes.io"], "abc.kubernetes.io/a/b").len(), 1);
        assert!(matched(&["*.*.kubernetes.io"], "abc.kubernetes.io/a/b").is_empty());
        assert_eq!(matched(&["*.*.kubernetes.io"], "abc.def.kubernetes.io/a/b").len(), 1);
        assert_eq!(matched(&["prefix.*.io"], "prefix.kubernetes.io/a/b").len(), 1);
        assert_eq!(matched(&["*-good.kubernetes.io"], "prefix-good.kubernetes.io/a/b").len(), 1);
        assert_eq!(matched(&["containers.*.ghe.com"], "containers.octo.ghe.com/a/b:1").len(), 1);
        assert_eq!(matched(&["ghcr.i?"], "ghcr.io/a/b").len(), 1);
        assert_eq!(matched(&["ghcr.[h-j]o"], "ghcr.io/a/b").len(), 1);
        assert!(matched(&["ghcr.[^i]o"], "ghcr.io/a/b").is_empty());
        assert!(matched(&["ghcr.[io"], "ghcr.io/a/b").is_empty(), "a malformed class matches nothing");
    }

    #[test]
    fn ports_must_be_equal() {
        assert_eq!(matched(&["127.0.0.1:5000"], "127.0.0.1:5000/acme/app:1").len(), 1);
        assert!(matched(&["127.0.0.1:5000"], "127.0.0.1:5001/acme/app:1").is_empty());
        assert!(matched(&["127.0.0.1"], "127.0.0.1:5000/acme/app:1").is_empty());
    }

    #[test]
    fn fix_names_default_for_a_bare_file() {
        let mut s = secret(&["ghcr.io"]);
        assert_eq!((s.fix_name(), s.fix_namespace()), ("ghcr-pull", "default"));
        s.name = Some("regcred".into());
        s.namespace = Some("apps".into());
        assert_eq!((s.fix_name(), s.fix_namespace()), ("regcred", "apps"));
    }
}
