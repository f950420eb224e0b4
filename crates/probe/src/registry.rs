//! The container registry, as docker talks to it (ghcr-facts §1.1): `GET /v2/` for the
//! challenge, the token endpoint anonymously and with docker's stored credentials, `HEAD` of the
//! manifest with the bearer token docker would end up with, and the `pull,push` token.
//!
//! The base is `GHCR_DOCTOR_REGISTRY_URL` when set; then a realm on the canonical registry host
//! is moved onto that base too. Registry tokens stay in memory: a successful token answer is
//! stored with an empty body. GHCR tokens are not JWTs and are never decoded.

use std::thread;

use ghcr_doctor_checks::{
    Access, HttpAnswer, ImageFacts, ImageRef, ManifestAuth, Probe, Request, Secret, StoredCredential,
};

use crate::Settings;
use crate::http::{Auth, Http, Method, encode_component, join};

/// The manifest media types docker accepts (OCI index and manifest, docker list and v2).
const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

pub(crate) struct Registry<'a> {
    http: &'a Http,
    /// `https://ghcr.io` or the override, without a trailing slash.
    base: String,
    /// `ghcr.io`, `containers.HOST`: the canonical host, also the default `service`.
    host: String,
    overridden: bool,
}

/// Where to ask for a token, from the `/v2/` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub realm: String,
    pub service: String,
}

impl<'a> Registry<'a> {
    pub(crate) fn new(request: &Request, settings: &Settings, http: &'a Http) -> Registry<'a> {
        let host = request.registry_host();
        let (base, overridden) = match settings.env.non_empty("GHCR_DOCTOR_REGISTRY_URL") {
            Some(url) => (url.trim_end_matches('/').to_owned(), true),
            None => (format!("https://{host}"), false),
        };
        Registry { http, base, host, overridden }
    }

    pub(crate) fn ping(&self) -> Probe<HttpAnswer> {
        into_probe(self.http.send(Method::Get, &join(&self.base, "v2/"), Auth::None, None))
    }

    /// The challenge's realm and service; `{registry}/token` and the registry host when the ping
    /// has no Bearer challenge.
    pub(crate) fn challenge(&self, ping: &Probe<HttpAnswer>) -> Challenge {
        let parsed = ping.done().and_then(|a| a.header("www-authenticate")).and_then(parse_bearer);
        let realm = parsed.as_ref().and_then(|(r, _)| r.clone()).unwrap_or_else(|| join(&self.base, "token"));
        let service = parsed.and_then(|(_, s)| s).unwrap_or_else(|| self.host.clone());
        Challenge { realm: self.rewrite_realm(&realm), service }
    }

    /// With an override, a realm on the canonical host goes to the override base instead.
    fn rewrite_realm(&self, realm: &str) -> String {
        if !self.overridden {
            return realm.to_owned();
        }
        let Ok(uri) = realm.parse::<ureq::http::Uri>() else { return realm.to_owned() };
        match uri.authority() {
            Some(a) if a.as_str().eq_ignore_ascii_case(&self.host) => {
                let rest = uri.path_and_query().map_or("/", ureq::http::uri::PathAndQuery::as_str);
                format!("{}{}", self.base, rest)
            }
            _ => realm.to_owned(),
        }
    }

    /// One token request: the answer (body emptied when it succeeded) and the token it carried.
    fn token(&self, challenge: &Challenge, scope: &str, auth: Auth<'_>) -> (Probe<HttpAnswer>, Option<Secret>) {
        let sep = if challenge.realm.contains('?') { '&' } else { '?' };
        let url = format!(
            "{}{sep}scope={}&service={}",
            challenge.realm,
            encode_component(scope),
            encode_component(&challenge.service)
        );
        match self.http.send(Method::Get, &url, auth, None) {
            Err(e) => (Probe::Failed(e), None),
            Ok(mut answer) => {
                if !(200..300).contains(&answer.status) {
                    return (Probe::Done(answer.redacted()), None);
                }
                let token = serde_json::from_str::<serde_json::Value>(&answer.body).ok().and_then(|v| {
                    ["token", "access_token"]
                        .iter()
                        .find_map(|k| v.get(k).and_then(|t| t.as_str()).filter(|t| !t.is_empty()).map(Secret::new))
                });
                answer.body.clear();
                (Probe::Done(answer), token)
            }
        }
    }

    /// The chain for one image (everything but the packages API).
    pub(crate) fn image(
        &self,
        image: &ImageRef,
        challenge: &Challenge,
        credential: Option<&StoredCredential>,
        access: Access,
    ) -> ImageFacts {
        let repo = image.repository();
        let pull = format!("repository:{repo}:pull");
        let ((anonymous_token, anon), (credential_token, cred), push_token) = thread::scope(|s| {
            let cred = s.spawn(|| match credential {
                Some(c) => self.token(challenge, &pull, basic_of(c)),
                None => (Probe::Skipped, None),
            });
            let push = s.spawn(|| match credential {
                Some(c) if access == Access::Push => {
                    self.token(challenge, &format!("repository:{repo}:pull,push"), basic_of(c)).0
                }
                _ => Probe::Skipped,
            });
            let anon = self.token(challenge, &pull, Auth::None);
            let cred = cred.join().unwrap_or((Probe::Skipped, None));
            (anon, cred, push.join().unwrap_or(Probe::Skipped))
        });
        let ok = |p: &Probe<HttpAnswer>| p.done().is_some_and(|a| a.status == 200);
        let (manifest_auth, bearer) = match (cred, anon) {
            (Some(t), _) if ok(&credential_token) => (ManifestAuth::Credentials, Some(t)),
            (_, Some(t)) if ok(&anonymous_token) => (ManifestAuth::Anonymous, Some(t)),
            _ => (ManifestAuth::None, None),
        };
        let manifest = match &bearer {
            Some(token) => {
                let path = format!("v2/{repo}/manifests/{}", image.reference_str());
                into_probe(self.http.send(
                    Method::Head,
                    &join(&self.base, &path),
                    Auth::Bearer(token),
                    Some(MANIFEST_ACCEPT),
                ))
            }
            None => Probe::Skipped,
        };
        ImageFacts {
            reference: image.to_string(),
            anonymous_token,
            credential_token,
            manifest,
            manifest_auth,
            push_token,
        }
    }
}

fn basic_of(c: &StoredCredential) -> Auth<'_> {
    Auth::Basic { username: &c.username, secret: &c.secret }
}

fn into_probe(result: Result<HttpAnswer, ghcr_doctor_checks::ProbeError>) -> Probe<HttpAnswer> {
    match result {
        Ok(a) => Probe::Done(a.redacted()),
        Err(e) => Probe::Failed(e),
    }
}

/// `Bearer realm="...",service="...",scope="..."` → (realm, service). `None` for other schemes.
pub(crate) fn parse_bearer(header: &str) -> Option<(Option<String>, Option<String>)> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut realm = None;
    let mut service = None;
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect::<String>().trim().to_ascii_lowercase();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = chars.by_ref().take_while(|c| *c != ',').collect::<String>().trim().to_owned();
        }
        match key.as_str() {
            "realm" => realm = Some(value),
            "service" => service = Some(value),
            _ => {}
        }
    }
    Some((realm, service))
}
