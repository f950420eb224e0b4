//! Readers of what gh, GitHub and the registry answered: scope headers, gh's version line, the SSO
//! header, the login in `/user`, and the documented registry refusals.

use crate::HttpAnswer;

/// `X-OAuth-Scopes: repo, read:org` → `["repo", "read:org"]`.
pub fn parse_scopes(header: &str) -> Vec<String> {
    header.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

pub(crate) fn login_of(answer: &HttpAnswer) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
    v.get("login")?.as_str().map(str::to_owned)
}

/// Whether `scopes` grant `needed` (`write:X` implies `read:X`, as GitHub and gh treat it).
pub fn has_scope(scopes: &[String], needed: &str) -> bool {
    scopes.iter().any(|s| {
        s == needed
            || (needed == "read:packages" && s == "write:packages")
            || (needed == "read:org" && s == "admin:org")
    })
}

/// The version in `gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)`.
pub fn parse_gh_version(stdout: &str) -> Option<semver::Version> {
    let line = stdout.lines().find(|l| l.trim_start().starts_with("gh version "))?;
    let word = line.trim_start().strip_prefix("gh version ")?.split_whitespace().next()?;
    let word = word.trim_start_matches('v');
    semver::Version::parse(word).ok().or_else(|| semver::Version::parse(&format!("{word}.0")).ok())
}

/// The `url=` of `X-GitHub-SSO: required; url=https://...` (gh's own regex `\burl=([^;]+)`).
pub fn sso_url(header: &str) -> Option<String> {
    let start = header.find("url=")? + 4;
    let url = header[start..].split(';').next()?.trim();
    (!url.is_empty()).then(|| url.to_owned())
}

/// What a registry error answer says, by its documented messages (ghcr-facts §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    /// `permission_denied: The token provided does not match expected scopes.`
    Scope,
    /// `unauthenticated: User cannot be authenticated with the token provided.`
    Unauthenticated,
    /// `installation not allowed to {Read,Write,Create} organization package`
    Installation,
    /// `permission_denied: write_package` / `create_package`
    Write,
    /// `` `org` forbids access via a personal access token (classic) ``
    ClassicForbidden,
    /// `429 Too Many Requests` / `TOOMANYREQUESTS`
    RateLimited,
    /// `denied`, `requested access to the resource is denied`, `invalid token`, `unauthorized`.
    Generic,
}

pub fn classify_denial(answer: &HttpAnswer) -> Denial {
    let text = format!("{} {:?}", answer.body, answer.registry_errors()).to_ascii_lowercase();
    if answer.status == 429 || text.contains("toomanyrequests") {
        Denial::RateLimited
    } else if text.contains("does not match expected scopes") {
        Denial::Scope
    } else if text.contains("user cannot be authenticated") {
        Denial::Unauthenticated
    } else if text.contains("installation not allowed") {
        Denial::Installation
    } else if text.contains("forbids access via a personal access token (classic)") {
        Denial::ClassicForbidden
    } else if text.contains("write_package") || text.contains("create_package") {
        Denial::Write
    } else {
        Denial::Generic
    }
}

/// The registry's own words, for messages: `DENIED: denied` or `HTTP 403`.
pub(crate) fn registry_words(answer: &HttpAnswer) -> String {
    match answer.registry_errors().first() {
        Some((code, message)) if !message.is_empty() => format!("{code}: {message}"),
        _ => format!("HTTP {}", answer.status),
    }
}

/// How an answer fails to be what its endpoint documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unexpected {
    /// A 3xx to `location` (the doctor never follows redirects; GitHub's API and registry do not
    /// send them for these requests).
    Redirect { location: String },
    /// An HTML page.
    Html,
    /// More than the 64 KiB the probe keeps.
    TooLarge,
    /// Not JSON where JSON is due.
    NotJson,
    /// A token endpoint's success without a token in it.
    NoToken,
}

/// Why `answer` is not what its endpoint documents, if it is not. `json`: the endpoint answers
/// JSON (the API, the token endpoint).
pub fn unexpected(answer: &HttpAnswer, json: bool) -> Option<Unexpected> {
    if (300..400).contains(&answer.status) {
        let location = answer.header("location").unwrap_or("").to_owned();
        return Some(Unexpected::Redirect { location });
    }
    if answer.truncated {
        return Some(Unexpected::TooLarge);
    }
    let content_type = answer.header("content-type").unwrap_or("").to_ascii_lowercase();
    if content_type.contains("text/html") || answer.body.trim_start().starts_with('<') {
        return Some(Unexpected::Html);
    }
    let is_json = serde_json::from_str::<serde_json::Value>(&answer.body).is_ok();
    (json && (200..300).contains(&answer.status) && !is_json).then_some(Unexpected::NotJson)
}

/// The `realm` of a `Bearer realm="…",service="…"` challenge.
pub(crate) fn bearer_realm(header: &str) -> Option<String> {
    let (scheme, rest) = header.trim().split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let at = rest.to_ascii_lowercase().find("realm=")?;
    let value = rest[at + "realm=".len()..].trim_start();
    let realm = match value.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => value.split(',').next()?.trim(),
    };
    (!realm.is_empty()).then(|| realm.to_owned())
}
