//! `docker-credential-ghcr-doctor`: a docker credential helper backed by gh. docker (and podman,
//! skopeo, buildah through `credHelpers`) asks it on every pull and push, and it answers with the
//! token gh holds *now*, so no copy of the token lives in docker's store to go stale.
//!
//! The protocol (ghcr-facts §5.1): the verb is the first argument; `get` reads the bare server URL
//! on stdin and prints `{"ServerURL","Username","Secret"}`; errors go to **stdout** with exit 1;
//! `credentials not found in native keychain` is the one message docker treats as "no
//! credentials". `store` and `erase` succeed without storing anything (the login is gh's), and
//! `list` names the registries docker's `config.json` hands to this helper.
//!
//! The token is read from `gh auth token --hostname HOST`'s stdout and written only to our stdout,
//! as the protocol requires: never to a file, an argument or stderr.

use std::time::Duration;

use ghcr_doctor_checks::{Lang, ProbeErrorKind, Text, redact, t};
use ghcr_doctor_probe::{Env, run_process};
use serde_json::{Map, Value, json};

/// The helper's name in `credHelpers` (`docker-credential-` + this is the program).
pub const HELPER_NAME: &str = "ghcr-doctor";

/// The user name the helper answers with. GHCR ignores the user name when the password is a
/// token (ghcr-facts §1.1); that Enterprise Server's and GHE.com's registries do the same is
/// UNCONFIRMED (they run the same registry service, ghcr-facts §3).
pub const USERNAME: &str = "ghcr-doctor";

/// What the protocol calls "no credentials": docker then goes on anonymously.
pub const NOT_FOUND: &str = "credentials not found in native keychain";

/// How long `gh auth token` may take (it reads a file or the keyring, no network).
const GH_TIMEOUT: Duration = Duration::from_secs(10);

/// What the helper prints on stdout and how it exits.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub stdout: String,
    pub code: i32,
}

impl Answer {
    fn ok(stdout: String) -> Answer {
        Answer { stdout, code: 0 }
    }
    fn error(message: String) -> Answer {
        Answer { stdout: format!("{message}\n"), code: 1 }
    }
}

/// The GitHub host whose gh login answers for a registry server URL: `ghcr.io` → `github.com`,
/// `containers.HOST` → `HOST` (Enterprise Server and `SUB.ghe.com`, ghcr-facts §3). Accepts the
/// forms docker and podman pass: bare host, `https://host`, `host/`, `host/v2/`, with a port.
pub fn github_host_for(server_url: &str) -> Option<String> {
    let url = server_url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url);
    let host = rest.split('/').next().unwrap_or(rest).to_ascii_lowercase();
    let valid = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !valid {
        return None;
    }
    if host == "ghcr.io" {
        return Some("github.com".into());
    }
    let github = host.strip_prefix("containers.")?;
    (!github.is_empty() && github.contains('.')).then(|| github.to_owned())
}

/// The loopback registry of the end-to-end tests: the server named by `GHCR_DOCTOR_REGISTRY_URL`
/// (the same override the doctor's probe honours) answers with github.com's login.
fn test_alias(server_url: &str, env: &Env) -> Option<String> {
    let authority = |url: &str| {
        let url = url.trim();
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        rest.split('/').next().unwrap_or(rest).to_ascii_lowercase()
    };
    let alias = authority(env.non_empty("GHCR_DOCTOR_REGISTRY_URL")?);
    (!alias.is_empty() && alias == authority(server_url)).then(|| "github.com".to_owned())
}

/// Runs one verb of the protocol. `stdin` is what docker wrote (read fully by the caller).
pub fn answer(verb: &str, stdin: &str, env: &Env) -> Answer {
    let lang = crate::language::choose(None, None, env);
    match verb {
        "get" => get(stdin, env, lang),
        // The login is gh's: nothing to store, and nothing to erase (docker logout still
        // succeeds; `gh auth logout` is what ends the login).
        "store" | "erase" => Answer::ok(String::new()),
        "list" => Answer::ok(list(env)),
        "version" => Answer::ok(format!("docker-credential-{HELPER_NAME} {}\n", env!("CARGO_PKG_VERSION"))),
        other => Answer::error(fill(
            t!(
                "docker-credential-ghcr-doctor: unknown verb `{verb}`; docker calls it with get, store, erase, list or version.",
                "docker-credential-ghcr-doctor：`{verb}` という操作はありません。docker は get、store、erase、list、version のいずれかで呼び出します。"
            ),
            lang,
            &[("verb", other)],
        )),
    }
}

fn fill(text: Text, lang: Lang, args: &[(&str, &str)]) -> String {
    let mut s = text.get(lang).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

fn get(stdin: &str, env: &Env, lang: Lang) -> Answer {
    let server = stdin.trim();
    let Some(host) = github_host_for(server).or_else(|| test_alias(server, env)) else {
        // Not a GitHub registry (a `credsStore` sends every registry here): no credentials, so
        // docker goes on as it would without the helper.
        return Answer::error(NOT_FOUND.into());
    };
    let args = [("host", host.as_str())];
    let out = match run_process("gh", &["auth", "token", "--hostname", &host], None, env, GH_TIMEOUT) {
        Ok(out) => out,
        Err(e) if e.kind == ProbeErrorKind::Timeout => {
            return Answer::error(fill(
                t!(
                    "docker-credential-ghcr-doctor: `gh auth token --hostname {host}` did not answer within 10 seconds. Run `ghcr-doctor check` to see why.",
                    "docker-credential-ghcr-doctor：`gh auth token --hostname {host}` が 10 秒以内に応答しませんでした。原因は `ghcr-doctor check` で確認してください。"
                ),
                lang,
                &args,
            ));
        }
        Err(_) => {
            return Answer::error(fill(
                t!(
                    "docker-credential-ghcr-doctor: GitHub CLI (`gh`) is not on PATH, so there is no token for {host}. Install gh, run `gh auth login -h {host} -s read:packages`, then `ghcr-doctor check`.",
                    "docker-credential-ghcr-doctor：GitHub CLI（`gh`）が PATH にないため、{host} のトークンを取得できません。gh をインストールして `gh auth login -h {host} -s read:packages` を実行し、`ghcr-doctor check` で確認してください。"
                ),
                lang,
                &args,
            ));
        }
    };
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.success() || token.is_empty() || token.contains(char::is_whitespace) {
        // gh's own words ("no oauth token found for github.com"), masked in case they hold a
        // token, first line only.
        let said =
            redact(&String::from_utf8_lossy(&out.stderr)).lines().map(str::trim).find(|l| !l.is_empty()).map(|l| {
                let short: String = l.chars().filter(|c| !c.is_control()).take(160).collect();
                format!(" (gh: {short})")
            });
        let said = said.unwrap_or_default();
        let args = [("host", host.as_str()), ("said", said.as_str())];
        return Answer::error(fill(
            t!(
                "docker-credential-ghcr-doctor: gh has no token for {host}{said}. Run `gh auth login -h {host} -s read:packages`, then `ghcr-doctor check`.",
                "docker-credential-ghcr-doctor：gh に {host} のトークンがありません{said}。`gh auth login -h {host} -s read:packages` を実行してから、`ghcr-doctor check` で確認してください。"
            ),
            lang,
            &args,
        ));
    }
    let body = json!({ "ServerURL": server, "Username": USERNAME, "Secret": token });
    Answer::ok(format!("{body}\n"))
}

/// `{"REGISTRY": "ghcr-doctor"}` for every registry docker's `config.json` hands to this helper
/// (`credHelpers`), or every registry when it is the `credsStore`. Never runs gh.
fn list(env: &Env) -> String {
    let path = match (env.non_empty("DOCKER_CONFIG"), env.home()) {
        (Some(dir), _) => std::path::PathBuf::from(dir).join("config.json"),
        (None, Some(home)) => std::path::PathBuf::from(home).join(".docker").join("config.json"),
        (None, None) => return "{}\n".into(),
    };
    let config: Value = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(Value::Null);
    let mut hosts = Map::new();
    if let Some(helpers) = config.get("credHelpers").and_then(Value::as_object) {
        for (registry, helper) in helpers {
            if helper.as_str() == Some(HELPER_NAME) && github_host_for(registry).is_some() {
                hosts.insert(registry.clone(), Value::String(USERNAME.into()));
            }
        }
    }
    if config.get("credsStore").and_then(Value::as_str) == Some(HELPER_NAME) {
        if let Some(auths) = config.get("auths").and_then(Value::as_object) {
            for registry in auths.keys().filter(|r| github_host_for(r).is_some()) {
                hosts.insert(registry.clone(), Value::String(USERNAME.into()));
            }
        }
    }
    format!("{}\n", Value::Object(hosts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_map_to_github_hosts() {
        for (url, host) in [
            ("ghcr.io", Some("github.com")),
            ("https://ghcr.io", Some("github.com")),
            ("https://GHCR.io/v2/", Some("github.com")),
            ("containers.github.example.com", Some("github.example.com")),
            ("https://containers.octocorp.ghe.com/", Some("octocorp.ghe.com")),
            ("containers.ghes.local:8443", Some("ghes.local:8443")),
            ("docker.io", None),
            ("https://index.docker.io/v1/", None),
            ("containers.", None),
            ("containers.localhost", None),
            ("", None),
            ("ghcr.io evil", None),
        ] {
            assert_eq!(github_host_for(url).as_deref(), host, "{url}");
        }
    }

    #[test]
    fn store_erase_and_unknown_verbs() {
        let env = Env::from_pairs([("PATH", "/nonexistent"), ("GHCR_DOCTOR_LANG", "en")]);
        assert_eq!(answer("store", r#"{"ServerURL":"ghcr.io","Username":"x","Secret":"s"}"#, &env).code, 0);
        assert_eq!(answer("erase", "ghcr.io", &env), Answer { stdout: String::new(), code: 0 });
        let a = answer("frobnicate", "", &env);
        assert_eq!(a.code, 1);
        assert!(a.stdout.contains("`frobnicate`"), "{a:?}");
        // A registry that is not GitHub's: the protocol's "no credentials".
        assert_eq!(answer("get", "docker.io", &env), Answer { stdout: format!("{NOT_FOUND}\n"), code: 1 });
        // gh missing: the fix, in the user's language.
        let a = answer("get", "ghcr.io", &env);
        assert_eq!(a.code, 1);
        assert!(a.stdout.contains("gh auth login -h github.com -s read:packages"), "{a:?}");
        let ja = Env::from_pairs([("PATH", "/nonexistent"), ("GHCR_DOCTOR_LANG", "ja")]);
        assert!(answer("get", "ghcr.io", &ja).stdout.contains("インストール"));
    }
}
