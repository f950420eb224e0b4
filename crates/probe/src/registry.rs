//! The container registry, as docker talks to it (ghcr-facts §1.1): `GET /v2/` for the
//! challenge, the token endpoint anonymously and with docker's stored credentials, `HEAD` of the
//! manifest with the bearer token docker would end up with, and the `pull,push` token.
//!
//! The base is `GHCR_DOCTOR_REGISTRY_URL` when set; then a realm on the canonical registry host
//! is moved onto that base too. Registry tokens stay in memory: a successful token answer is
//! stored with an empty body. GHCR tokens are not JWTs and are never decoded.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use ghcr_doctor_checks::{
    Access, HttpAnswer, ImageFacts, ImageRef, ManifestAuth, Probe, Request, Secret, StoredCredential,
};

use crate::http::{Auth, Http, Method, encode_component, join};
use crate::progress::{Board, Fact};
use crate::sched::{Lane, Lanes, Priority};
use crate::{Settings, timed};

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
    /// GitLab: its host and base URL (`GHCR_DOCTOR_API_URL` or `https://HOST`). The token realm
    /// is `/jwt/auth` there, on another host than the registry's (gitlab-facts §1, §12), and its
    /// tokens are JWTs whose claims are kept (never the token).
    gitlab: Option<(String, String)>,
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
        let gitlab = request.forge.gitlab().map(|g| (g.name.clone(), crate::gitlab::base_url(request, settings)));
        Registry { http, base, host, overridden, gitlab }
    }

    /// The realm asked before the challenge is in: GHCR's `/token` with its host as the service
    /// (ghcr-facts §1.1); GitLab's `/jwt/auth` with `service=container_registry` (gitlab-facts §2).
    pub(crate) fn guess(&self) -> Challenge {
        match &self.gitlab {
            Some((_, base)) => Challenge { realm: join(base, "jwt/auth"), service: "container_registry".into() },
            None => self.challenge(&Probe::Skipped),
        }
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
    /// For GitLab, a realm on the GitLab host goes to its base URL (`GHCR_DOCTOR_API_URL`).
    fn rewrite_realm(&self, realm: &str) -> String {
        let Ok(uri) = realm.parse::<ureq::http::Uri>() else { return realm.to_owned() };
        let rest = uri.path_and_query().map_or("/", ureq::http::uri::PathAndQuery::as_str);
        match (uri.authority(), &self.gitlab) {
            (Some(a), Some((host, base))) if a.as_str().eq_ignore_ascii_case(host) => {
                format!("{}{}", base.trim_end_matches('/'), rest)
            }
            (Some(a), _) if self.overridden && a.as_str().eq_ignore_ascii_case(&self.host) => {
                format!("{}{}", self.base, rest)
            }
            _ => realm.to_owned(),
        }
    }

    /// One token request: the answer (body emptied when it succeeded) and the token it carried.
    pub(crate) fn token(
        &self,
        challenge: &Challenge,
        scope: &str,
        auth: Auth<'_>,
    ) -> (Probe<HttpAnswer>, Option<Secret>) {
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
                answer.body = match (&self.gitlab, &token) {
                    (Some(_), Some(t)) => jwt_claims(t.expose()),
                    _ => String::new(),
                };
                (Probe::Done(answer), token)
            }
        }
    }

    /// `HEAD` of the image's manifest with `bearer`.
    pub(crate) fn manifest(&self, image: &ImageRef, bearer: &Secret) -> Probe<HttpAnswer> {
        into_probe(self.http.send(Method::Head, &self.manifest_url(image), Auth::Bearer(bearer), Some(MANIFEST_ACCEPT)))
    }

    fn manifest_url(&self, image: &ImageRef) -> String {
        join(&self.base, &format!("v2/{}/manifests/{}", image.repository(), image.reference_str()))
    }
}

/// A token answer and the token it carried.
type TokenAnswer = (Probe<HttpAnswer>, Option<Secret>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Anonymous,
    Credential,
    Push,
}

/// Which realm a token request went to.
const GUESSED: usize = 0;
const CHALLENGED: usize = 1;

/// The token answers of one image at one realm.
#[derive(Default)]
struct Tokens {
    anonymous: Option<TokenAnswer>,
    credential: Option<TokenAnswer>,
    push: Option<Probe<HttpAnswer>>,
}

enum Realm {
    /// The ping has not answered yet.
    Undecided,
    /// The challenge names the realm that was guessed: the early token requests stand.
    Guessed,
    /// It names another one: the token requests go there, the early answers are dropped.
    Other(Challenge),
    /// The registry did not answer the ping: nothing is asked about the images.
    Unreachable,
}

#[derive(Default)]
struct ImageState {
    tokens: [Tokens; 2],
    manifest_sent: bool,
    manifest: Option<Probe<HttpAnswer>>,
    manifest_auth: ManifestAuth,
    facts: Option<ImageFacts>,
    /// Its facts are final; later answers (at a realm given up) are ignored.
    done: bool,
}

struct RunState {
    realm: Realm,
    /// `None` until docker's store (or the Actions job) has said what it holds.
    credential: Option<Option<StoredCredential>>,
    images: Vec<ImageState>,
    remaining: usize,
}

/// The registry's side of a run, as dependent requests on the registry lane:
///
/// ```text
/// time zero:          GET /v2/ ‖ per image the anonymous token at the guessed realm
/// docker's store:     per image the credential token (and the push token) at the guessed realm
/// the ping's answer:  the challenge's realm is the guessed one → the answers stand;
///                     another one → the token requests again, there; no answer → nothing more
/// both tokens:        HEAD of the manifest with the token docker would end up with
/// ```
///
/// The guessed realm is, for GHCR, the registry's own `/token` with its host as the service
/// (ghcr-facts §1.1: `https://ghcr.io/token`, `service="ghcr.io"`), what `challenge` falls back
/// to anyway; for GitLab, `/jwt/auth` on the GitLab host (`Registry::guess`). So the token
/// requests need not wait a round trip for the challenge. They ask only about the
/// images the request names, at the registry host docker's credential is stored for.
pub(crate) struct ImagesRun<'a> {
    registry: &'a Registry<'a>,
    request: &'a Request,
    board: &'a Board,
    guess: Challenge,
    started: Instant,
    state: Mutex<RunState>,
}

impl<'a> ImagesRun<'a> {
    pub(crate) fn new(registry: &'a Registry<'a>, request: &'a Request, board: &'a Board) -> ImagesRun<'a> {
        let images = request.images.iter().map(|_| ImageState::default()).collect();
        let state = RunState { realm: Realm::Undecided, credential: None, images, remaining: request.images.len() };
        ImagesRun {
            registry,
            request,
            board,
            guess: registry.guess(),
            started: Instant::now(),
            state: Mutex::new(state),
        }
    }

    fn lock(&self) -> MutexGuard<'_, RunState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Time zero: the ping and the anonymous tokens.
    pub(crate) fn start(&'a self, lanes: &Lanes<'a>) {
        if self.request.images.is_empty() {
            self.board.settle(Fact::Images, |_, _| {});
        }
        lanes.submit(Lane::Registry, Priority::First, move |lanes| {
            let (ping, ms) = {
                let _call = self.board.track(Fact::RegistryPing, format!("GET {}", join(&self.registry.base, "v2/")));
                timed(|| self.registry.ping())
            };
            self.ping_answered(lanes, ping, ms);
        });
        for i in 0..self.request.images.len() {
            self.ask(lanes, i, (GUESSED, self.guess.clone()), Kind::Anonymous, None);
        }
    }

    /// What docker would send (docker's stored credential, else the Actions job's), once known.
    pub(crate) fn credential_known(&'a self, lanes: &Lanes<'a>, credential: Option<StoredCredential>) {
        let mut state = self.lock();
        state.credential = Some(credential.clone());
        let realm = match &state.realm {
            Realm::Undecided | Realm::Guessed => (GUESSED, self.guess.clone()),
            Realm::Other(c) => (CHALLENGED, c.clone()),
            Realm::Unreachable => return,
        };
        for i in 0..self.request.images.len() {
            self.ask_with_credential(lanes, &mut state, i, &realm, credential.as_ref());
            self.advance(lanes, &mut state, i);
        }
    }

    fn ask_with_credential(
        &'a self,
        lanes: &Lanes<'a>,
        state: &mut RunState,
        i: usize,
        realm: &(usize, Challenge),
        credential: Option<&StoredCredential>,
    ) {
        let tokens = &mut state.images[i].tokens[realm.0];
        match credential {
            None => {
                tokens.credential = Some((Probe::Skipped, None));
                tokens.push = Some(Probe::Skipped);
            }
            Some(c) => {
                if self.request.access != Access::Push {
                    tokens.push = Some(Probe::Skipped);
                } else {
                    self.ask(lanes, i, realm.clone(), Kind::Push, Some(c.clone()));
                }
                self.ask(lanes, i, realm.clone(), Kind::Credential, Some(c.clone()));
            }
        }
    }

    /// One token request for image `i` at the realm of `generation`.
    fn ask(
        &'a self,
        lanes: &Lanes<'a>,
        i: usize,
        (generation, challenge): (usize, Challenge),
        kind: Kind,
        credential: Option<StoredCredential>,
    ) {
        let priority = if kind == Kind::Push { Priority::Normal } else { Priority::First };
        lanes.submit(Lane::Registry, priority, move |lanes| {
            let repo = self.request.images[i].repository();
            let answer = {
                let _call = self.board.track(Fact::Images, format!("GET {}", challenge.realm));
                match (&credential, kind) {
                    (_, Kind::Anonymous) => {
                        self.registry.token(&challenge, &format!("repository:{repo}:pull"), Auth::None)
                    }
                    (Some(c), Kind::Credential) => {
                        self.registry.token(&challenge, &format!("repository:{repo}:pull"), basic_of(c))
                    }
                    (Some(c), Kind::Push) => {
                        self.registry.token(&challenge, &format!("repository:{repo}:pull,push"), basic_of(c))
                    }
                    (None, _) => (Probe::Skipped, None),
                }
            };
            let mut state = self.lock();
            let tokens = &mut state.images[i].tokens[generation];
            match kind {
                Kind::Anonymous => tokens.anonymous = Some(answer),
                Kind::Credential => tokens.credential = Some(answer),
                Kind::Push => tokens.push = Some(answer.0),
            }
            self.advance(lanes, &mut state, i);
        });
    }

    fn ping_answered(&'a self, lanes: &Lanes<'a>, ping: Probe<HttpAnswer>, ms: u64) {
        let mut state = self.lock();
        state.realm = match &ping {
            Probe::Done(_) => match self.registry.challenge(&ping) {
                c if c == self.guess => Realm::Guessed,
                c => Realm::Other(c),
            },
            _ => Realm::Unreachable,
        };
        self.board.settle(Fact::RegistryPing, |facts, timings| {
            facts.registry_ping = ping;
            timings.ping = ms;
        });
        if let Realm::Other(c) = &state.realm {
            let realm = (CHALLENGED, c.clone());
            let credential = state.credential.clone();
            for i in 0..self.request.images.len() {
                self.ask(lanes, i, realm.clone(), Kind::Anonymous, None);
                if let Some(credential) = &credential {
                    self.ask_with_credential(lanes, &mut state, i, &realm, credential.as_ref());
                }
            }
        }
        for i in 0..self.request.images.len() {
            self.advance(lanes, &mut state, i);
        }
    }

    /// Takes image `i` as far as its answers allow: the manifest request once both tokens are in,
    /// the image's facts once everything is.
    fn advance(&'a self, lanes: &Lanes<'a>, state: &mut RunState, i: usize) {
        let generation = match state.realm {
            Realm::Undecided => return,
            Realm::Guessed => GUESSED,
            Realm::Other(_) => CHALLENGED,
            Realm::Unreachable => {
                let reference = self.request.images[i].to_string();
                return self.finish(state, i, crate::progress::skipped_image(&reference));
            }
        };
        let image = &mut state.images[i];
        if image.done {
            return;
        }
        let tokens = &image.tokens[generation];
        let (Some(anonymous), Some(credential)) = (&tokens.anonymous, &tokens.credential) else { return };
        if !image.manifest_sent {
            image.manifest_sent = true;
            let ok = |p: &Probe<HttpAnswer>| p.done().is_some_and(|a| a.status == 200);
            let (auth, bearer) = match (credential, anonymous) {
                ((p, Some(t)), _) if ok(p) => (ManifestAuth::Credentials, Some(t.clone())),
                (_, (p, Some(t))) if ok(p) => (ManifestAuth::Anonymous, Some(t.clone())),
                _ => (ManifestAuth::None, None),
            };
            image.manifest_auth = auth;
            match bearer {
                None => image.manifest = Some(Probe::Skipped),
                Some(bearer) => lanes.submit(Lane::Registry, Priority::First, move |lanes| {
                    let ref_ = &self.request.images[i];
                    let manifest = {
                        let _call =
                            self.board.track(Fact::Images, format!("HEAD {}", self.registry.manifest_url(ref_)));
                        self.registry.manifest(ref_, &bearer)
                    };
                    let mut state = self.lock();
                    state.images[i].manifest = Some(manifest);
                    self.advance(lanes, &mut state, i);
                }),
            }
        }
        let image = &mut state.images[i];
        let tokens = &mut image.tokens[generation];
        let (Some(manifest), Some(push)) = (&image.manifest, &tokens.push) else { return };
        let facts = ImageFacts {
            reference: self.request.images[i].to_string(),
            anonymous_token: tokens.anonymous.take().map_or(Probe::Skipped, |a| a.0),
            credential_token: tokens.credential.take().map_or(Probe::Skipped, |a| a.0),
            manifest: manifest.clone(),
            manifest_auth: image.manifest_auth,
            push_token: push.clone(),
        };
        self.finish(state, i, facts);
    }

    fn finish(&self, state: &mut RunState, i: usize, facts: ImageFacts) {
        let image = &mut state.images[i];
        if image.done {
            return;
        }
        *image = ImageState { facts: Some(facts), done: true, ..ImageState::default() };
        state.remaining -= 1;
        if state.remaining == 0 {
            let images: Vec<ImageFacts> = state.images.iter_mut().filter_map(|s| s.facts.take()).collect();
            let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.board.settle(Fact::Images, |f, t| {
                f.images = images;
                t.images = ms;
            });
        }
    }
}

/// A GitLab registry JWT's `access`, `iat`, `exp` and `auth_type` claims as JSON (gitlab-facts
/// §5), decoded without verification; `{}` when it is not a JWT. The signature and the nested
/// `user` claim are dropped: what is kept says what was granted, not who holds it.
pub(crate) fn jwt_claims(token: &str) -> String {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap_or_default();
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='));
    let claims: serde_json::Value =
        decoded.ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(serde_json::Value::Null);
    let mut kept = serde_json::Map::new();
    for key in ["access", "iat", "exp", "auth_type"] {
        if let Some(v) = claims.get(key) {
            kept.insert(key.to_owned(), v.clone());
        }
    }
    serde_json::Value::Object(kept).to_string()
}

pub(crate) fn basic_of(c: &StoredCredential) -> Auth<'_> {
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
