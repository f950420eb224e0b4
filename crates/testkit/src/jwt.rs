//! A ghcr.io-protocol token service that issues RS256 JWTs a real CNCF distribution registry
//! (Debian `docker-registry` 2.8) accepts, for tests with the real docker daemon
//! (real-behaviour §3.1, ghcr-facts §1.1).
//!
//! - [`SigningKey`]: an RSA key, its self-signed certificate (the registry's
//!   `auth.token.rootcertbundle`) and its libtrust key id (the JWT header's `kid`, which
//!   distribution 2.8 looks the certificate up by); it signs JWTs ([`SigningKey::sign`], or
//!   [`SigningKey::sign_json`] with the JSON texts as given) and verifies their signature (for
//!   hermetic registries that check the tokens themselves, like the GitLab fake's).
//! - [`JwtTokenService`]: `GET /token?scope=repository:OWNER/NAME:ACTIONS&service=...` with Basic
//!   `user:token`, decided by the same pure [`decide_token`] as the hermetic
//!   [`crate::RegistryServer`], and answered with the same status codes and [`RegistryError`]
//!   bodies. Only a granted decision differs: it is a JWT with the claims of real-behaviour §3.1
//!   (`iss`, `sub`, `aud` = the requested `service`, `exp`, `nbf`, `iat`, `jti`,
//!   `access: [{type: "repository", name, actions}]`).
//!
//! Where the real registry cannot say what ghcr.io says:
//! - ghcr.io's anonymous tokens are opaque (not JWTs); distribution needs a JWT for every token.
//! - [`crate::NoAccessMode::ReducedToken`]: the token is issued with the granted subset of actions,
//!   but the *registry* then answers a missing action itself, with distribution's 401
//!   `UNAUTHORIZED` `authentication required` + `error="insufficient_scope"` (real-behaviour §3.4),
//!   not ghcr.io's 403 `DENIED` `invalid token` or the deferred installation text.
//!
//! # Why the `openssl` CLI
//! Signing shells out to `openssl` (key generation once, `openssl dgst -sha256 -sign` per token,
//! a few milliseconds each) instead of pulling in the `rsa` and `sha2` crates: it adds no
//! dependency and no compile time to the workspace, it is the signer the recorded reference
//! server used (real-behaviour-assets/tokensrv.py), and Debian's `ca-certificates`, which CI
//! installs anyway, depends on `openssl`. Only the tests that drive the real registry need it.

use std::io::{self, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::http::{Listener, Request, Response, base64_decode, base64_encode, json_obj, json_str};
use crate::registry::{RegistryError, TokenDecision, basic_creds, bearer, challenge, decide_token, error_response};
use crate::world::{IssuedToken, LoggedRequest, ServerKind, SharedWorld};

/// The `openssl` binary (Debian's path; CI installs it through `ca-certificates`).
pub const OPENSSL: &str = "/usr/bin/openssl";

/// The `iss` claim, and the `auth.token.issuer` the registry must be configured with.
pub const ISSUER: &str = "ghcr-doctor-testkit";

/// Lifetime of an issued JWT.
const TOKEN_TTL: Duration = Duration::from_secs(300);

/// An RSA signing key with its certificate, public key and libtrust key id. The files live in
/// the directory given to [`SigningKey::generate`] / [`SigningKey::from_private_key_pem`] (the
/// caller owns and removes it).
#[derive(Debug)]
pub struct SigningKey {
    key: PathBuf,
    cert: PathBuf,
    public: PathBuf,
    kid: String,
}

impl SigningKey {
    /// Generates `token.key` (RSA 2048) and a self-signed `token.crt` in `dir` and computes the
    /// key id.
    pub fn generate(dir: &Path) -> io::Result<SigningKey> {
        let key = dir.join("token.key");
        let cert = dir.join("token.crt");
        let mut cmd = Command::new(OPENSSL);
        cmd.args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj"])
            .arg("/CN=ghcr-doctor-testkit token signer")
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert);
        openssl(&mut cmd, &[])?;
        Self::with_cert(dir, key, cert)
    }

    /// Writes an existing RSA private key (PEM, e.g. [`SigningKey::private_key_pem`] of another
    /// key) as `token.key` in `dir`, a fresh self-signed `token.crt` for it, and computes the key
    /// id. Much cheaper than [`SigningKey::generate`] (no key generation), so tests that start
    /// many servers can share one key.
    pub fn from_private_key_pem(dir: &Path, key_pem: &[u8]) -> io::Result<SigningKey> {
        let key = dir.join("token.key");
        let cert = dir.join("token.crt");
        std::fs::write(&key, key_pem)?;
        std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        let mut cmd = Command::new(OPENSSL);
        cmd.args(["req", "-x509", "-new", "-days", "2", "-subj"])
            .arg("/CN=ghcr-doctor-testkit token signer")
            .arg("-key")
            .arg(&key)
            .arg("-out")
            .arg(&cert);
        openssl(&mut cmd, &[])?;
        Self::with_cert(dir, key, cert)
    }

    /// Derives `token.pub` and the key id from the certificate.
    fn with_cert(dir: &Path, key: PathBuf, cert: PathBuf) -> io::Result<SigningKey> {
        let pem = openssl(Command::new(OPENSSL).args(["x509", "-pubkey", "-noout", "-in"]).arg(&cert), &[])?;
        let public = dir.join("token.pub");
        std::fs::write(&public, &pem)?;
        let der = openssl(Command::new(OPENSSL).args(["pkey", "-pubin", "-outform", "DER"]), &pem)?;
        let digest = openssl(Command::new(OPENSSL).args(["dgst", "-sha256", "-binary"]), &der)?;
        let kid = libtrust_key_id(&digest);
        Ok(SigningKey { key, cert, public, kid })
    }

    /// The private key (PEM), for [`SigningKey::from_private_key_pem`].
    pub fn private_key_pem(&self) -> io::Result<Vec<u8>> {
        std::fs::read(&self.key)
    }

    /// The public key (PEM, `SubjectPublicKeyInfo`).
    pub fn public_key_path(&self) -> &Path {
        &self.public
    }

    /// The certificate (PEM), for the registry's `rootcertbundle`.
    pub fn cert_path(&self) -> &Path {
        &self.cert
    }

    /// The libtrust key id, e.g. `XPCN:D4GI:TXMT:...`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// `base64url(header).base64url(claims).base64url(RS256 signature)`, header
    /// `{"typ":"JWT","alg":"RS256","kid":...}`.
    pub fn sign(&self, claims: &serde_json::Value) -> io::Result<String> {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": self.kid});
        self.sign_json(&header.to_string(), &claims.to_string())
    }

    /// `base64url(header_json).base64url(claims_json).base64url(RS256 signature)` with the JSON
    /// texts exactly as given (for issuers whose field order matters, e.g. GitLab's
    /// `{"kid":...,"typ":"JWT","alg":"RS256"}`).
    pub fn sign_json(&self, header_json: &str, claims_json: &str) -> io::Result<String> {
        let input = format!("{}.{}", base64url(header_json.as_bytes()), base64url(claims_json.as_bytes()));
        let mut cmd = Command::new(OPENSSL);
        cmd.args(["dgst", "-sha256", "-sign"]).arg(&self.key);
        let signature = openssl(&mut cmd, input.as_bytes())?;
        Ok(format!("{input}.{}", base64url(&signature)))
    }

    /// Whether `token`'s RS256 signature was made by this key (`openssl dgst -verify`). Only the
    /// signature: header and claims are the caller's business. `Ok(false)` for a malformed token.
    pub fn verify(&self, token: &str) -> io::Result<bool> {
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Ok(false);
        };
        let Some(signature) = base64url_decode(signature) else { return Ok(false) };
        let dir = self.public.parent().unwrap_or_else(|| Path::new("/tmp"));
        let mut file = tempfile::Builder::new().prefix("sig").tempfile_in(dir)?;
        file.write_all(&signature)?;
        file.flush()?;
        let out = Command::new(OPENSSL)
            .args(["dgst", "-sha256", "-verify"])
            .arg(&self.public)
            .arg("-signature")
            .arg(file.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .and_then(|mut child| {
                let mut stdin = child.stdin.take().expect("piped");
                stdin.write_all(format!("{header}.{claims}").as_bytes())?;
                drop(stdin);
                child.wait()
            })
            .map_err(|e| io::Error::new(e.kind(), format!("cannot run {OPENSSL} ({e})")))?;
        Ok(out.success())
    }
}

/// Runs one openssl command with `input` on stdin and returns stdout; an error carries stderr.
fn openssl(cmd: &mut Command, input: &[u8]) -> io::Result<Vec<u8>> {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| {
        io::Error::new(e.kind(), format!("cannot run {OPENSSL} ({e}); install Debian's `openssl` package"))
    })?;
    let mut stdin = child.stdin.take().expect("piped");
    let data = input.to_vec();
    // openssl reads all of its input before writing, but a writer thread keeps this safe anyway.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output()?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// libtrust's key id (what distribution matches a JWT's `kid` against): the first 30 bytes of
/// the SHA-256 of the DER `SubjectPublicKeyInfo`, base32 without padding, in groups of four
/// joined by `:` (real-behaviour §3.1).
pub fn libtrust_key_id(spki_sha256: &[u8]) -> String {
    let b32 = base32(&spki_sha256[..spki_sha256.len().min(30)]);
    b32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(":")
}

/// RFC 4648 base32 without padding.
fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0);
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[(acc >> bits) as usize & 31] as char);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[(acc << (5 - bits)) as usize & 31] as char);
    }
    out
}

/// base64url without padding (JWS compact serialization).
pub fn base64url(data: &[u8]) -> String {
    base64_encode(data).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// Decodes base64url (padding optional). `None` on invalid input.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    if s.contains(['+', '/']) {
        return None;
    }
    base64_decode(&s.replace('-', "+").replace('_', "/"))
}

/// The JWT-issuing `/token` service on `127.0.0.1:PORT`. Stops on drop.
pub struct JwtTokenService {
    base_url: String,
    world: SharedWorld,
    _listener: Listener,
}

/// How long an issued JWT is handed out again for the same decision (subject, service and
/// granted access) instead of signing a new one. Signing forks `openssl` (a few milliseconds of
/// CPU); ghcr.io signs on its own servers, so a stand-in that signs on the machine under test
/// would take the CPU from the client being measured (benches/loopback.rs). The decision itself
/// is still made for every request, so a revoked login is refused at once; only an identical
/// grant reuses the token, well inside its [`TOKEN_TTL`].
const REUSE_FOR: Duration = Duration::from_secs(30);

/// The JWTs issued lately, by decision: `(subject, service, access)` → (token, issued at).
type Recent = std::sync::Mutex<Vec<((Option<String>, String, String), String, SystemTime)>>;

impl JwtTokenService {
    /// Starts on `127.0.0.1:0`, deciding over `world` and signing with `key`.
    pub fn start(world: SharedWorld, key: Arc<SigningKey>) -> io::Result<JwtTokenService> {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let port = tcp.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}/");
        let realm = format!("{base_url}token");
        let w = world.clone();
        let jti = Arc::new(AtomicU64::new(0));
        let recent = Arc::new(Recent::default());
        let listener = Listener::tcp(tcp, Arc::new(move |req: &Request| handle(&w, &key, &realm, &jti, &recent, req)))?;
        Ok(JwtTokenService { base_url, world, _listener: listener })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:PORT/token`, the registry's `auth.token.realm`.
    pub fn realm(&self) -> String {
        format!("{}token", self.base_url)
    }

    pub fn world(&self) -> &SharedWorld {
        &self.world
    }
}

fn handle(
    shared: &SharedWorld,
    key: &SigningKey,
    realm: &str,
    jti: &AtomicU64,
    recent: &Recent,
    req: &Request,
) -> Response {
    let cfg = {
        let mut w = shared.lock();
        w.log.push(LoggedRequest::of(ServerKind::Registry, req));
        w.registry.clone()
    };
    if !cfg.latency.is_zero() {
        std::thread::sleep(cfg.latency);
    }
    if req.path != "/token" {
        return Response::new(404).header("content-type", "text/plain").body("404 page not found\n");
    }
    if let Some(status) = cfg.force_status {
        return error_response(&RegistryError::new(status, "UNKNOWN", "forced error"));
    }
    // ghcr-facts §1.1: a Bearer PAT on /token gets the 401 challenge, not a token.
    if bearer(req).is_some() {
        return challenge(&cfg, realm, "repository:user/image:pull");
    }
    let creds = basic_creds(req);
    let scopes = req.query_all("scope");
    let decision = decide_token(&shared.lock(), creds.as_ref().map(|(u, p)| (u.as_str(), p.as_str())), &scopes);
    let (subject, access) = match decision {
        TokenDecision::Deny(e) => return error_response(&e),
        TokenDecision::Issue { subject, access } => (subject, access),
    };
    let service = req.query_all("service").first().map_or_else(|| cfg.service.clone(), |s| (*s).to_owned());
    let decided = (subject.clone(), service.clone(), format!("{access:?}"));
    let reusable = {
        let mut recent = recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.retain(|(_, _, at)| at.elapsed().is_ok_and(|age| age < REUSE_FOR));
        recent.iter().find(|(d, ..)| *d == decided).map(|(_, token, _)| token.clone())
    };
    if let Some(token) = reusable {
        return Response::new(200)
            .header("content-type", "application/json")
            .body(json_obj(&[("token", json_str(&token))]));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let n = jti.fetch_add(1, Ordering::SeqCst);
    let claims = json!({
        "iss": ISSUER,
        "sub": subject.clone().unwrap_or_default(),
        "aud": service,
        "exp": now + TOKEN_TTL.as_secs(),
        "nbf": now.saturating_sub(10),
        "iat": now,
        "jti": format!("{:016x}{:08x}{n:08x}", now, std::process::id()),
        "access": access.iter().map(|a| json!({
            "type": "repository",
            "name": a.repository,
            "actions": a.actions,
        })).collect::<Vec<_>>(),
    });
    let token = match key.sign(&claims) {
        Ok(t) => t,
        Err(e) => return error_response(&RegistryError::new(500, "UNKNOWN", &format!("token signing failed: {e}"))),
    };
    shared.lock().issued.insert(token.clone(), IssuedToken { subject, access });
    recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((decided, token.clone(), SystemTime::now()));
    // ghcr.io answers `{"token":"..."}` only (no expiry, no refresh token).
    Response::new(200).header("content-type", "application/json").body(json_obj(&[("token", json_str(&token))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same grant is answered with the same JWT (no second `openssl` signing); the decision
    /// is still made per request, so a revoked token is refused at once.
    #[test]
    fn an_identical_grant_reuses_its_jwt_and_a_revoked_login_is_refused_at_once() {
        if !Path::new(OPENSSL).exists() {
            assert!(std::env::var_os("CI").is_none(), "openssl is required in CI");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let world = SharedWorld::new(crate::fixtures::standard_world());
        let service =
            JwtTokenService::start(world.clone(), Arc::new(SigningKey::generate(dir.path()).unwrap())).unwrap();
        let url = format!("{}?scope=repository:acme/app:pull&service=ghcr.io", service.realm());
        let auth = crate::client::basic("octocat", crate::fixtures::GHO_OCTOCAT);
        let token = || crate::client::get(&url, &[("Authorization", &auth)]).unwrap();
        let (first, second) = (token(), token());
        assert_eq!((first.status, second.status), (200, 200), "{}", first.body);
        assert_eq!(first.json()["token"], second.json()["token"]);
        let other =
            crate::client::get(&url.replace("acme/app:pull", "acme/app:pull,push"), &[("Authorization", &auth)]);
        assert_ne!(other.unwrap().json()["token"], first.json()["token"], "another grant, another JWT");
        world.edit(|w| {
            w.tokens.remove(crate::fixtures::GHO_OCTOCAT);
        });
        assert_ne!(token().status, 200, "a revoked token gets no JWT, reused or not");
    }

    #[test]
    fn base32_matches_rfc4648() {
        // RFC 4648 §10 test vectors, padding removed.
        for (input, want) in
            [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB")]
        {
            assert_eq!(base32(input.as_bytes()), want);
        }
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn key_id_is_twelve_groups_of_four() {
        let kid = libtrust_key_id(&[0xAB; 32]);
        assert_eq!(kid.split(':').count(), 12, "{kid}");
        assert!(kid.split(':').all(|g| g.len() == 4));
    }

    #[test]
    fn base64url_has_no_padding_or_plus() {
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64url_decode("+/8"), None);
    }
}
