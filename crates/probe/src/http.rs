//! The HTTP client: one ureq agent per run and proxy choice, shared by every check, so each host
//! gets one pool of kept-alive connections (as many as [`crate::sched`] lets requests run at
//! once); a timeout per request that never reaches past the run's overall deadline; no redirects;
//! bodies capped; plain `http://` only to loopback addresses.
//!
//! Statuses are data, never errors (`http_status_as_error(false)`). Failures map to
//! `ProbeErrorKind::Timeout` or `Network`; details name the method and URL, which never hold a
//! secret (tokens travel only in headers).

use std::io::Read;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ghcr_doctor_checks::{HttpAnswer, ProbeError, ProbeErrorKind, Secret, redact};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ureq::tls::{RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::{Agent, Proxy};

use crate::Env;

/// The most of a body that is kept.
pub(crate) const BODY_CAP: u64 = 64 * 1024;

pub(crate) const USER_AGENT: &str = concat!("ghcr-doctor/", env!("CARGO_PKG_VERSION"));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
        }
    }
}

/// An `Authorization` header value. Kept as a [`Secret`] so it never shows in `Debug`.
pub(crate) enum Auth<'a> {
    None,
    /// GitHub API: `Authorization: token <tok>`.
    Token(&'a Secret),
    /// Registry: `Authorization: Bearer <registry token>`.
    Bearer(&'a Secret),
    /// GitLab API: `PRIVATE-TOKEN: <token>` (gitlab-facts §8).
    PrivateToken(&'a Secret),
    /// Token endpoint: `Authorization: Basic base64(user:secret)`.
    Basic {
        username: &'a str,
        secret: &'a Secret,
    },
}

impl Auth<'_> {
    /// The header's name and value.
    fn header(&self) -> Option<(&'static str, Secret)> {
        let authorization = |value: String| Some(("Authorization", Secret::new(value)));
        match self {
            Auth::None => None,
            Auth::Token(t) => authorization(format!("token {}", t.expose())),
            Auth::Bearer(t) => authorization(format!("Bearer {}", t.expose())),
            Auth::PrivateToken(t) => Some(("PRIVATE-TOKEN", (*t).clone())),
            Auth::Basic { username, secret } => {
                authorization(format!("Basic {}", STANDARD.encode(format!("{username}:{}", secret.expose()))))
            }
        }
    }
}

pub(crate) struct Http {
    /// For loopback targets: never through a proxy.
    direct: Agent,
    /// For everything else: the proxy from the environment snapshot, if any.
    proxied: Agent,
    /// The limit of one request.
    timeout: Duration,
    /// When the whole run must be over: no request waits past it, none starts after it.
    deadline: Option<Instant>,
}

impl Http {
    /// Each request limited to `timeout`, with no overall deadline.
    pub(crate) fn new(env: &Env, timeout: Duration) -> Http {
        let roots = roots_from(env);
        let agent = |proxy: Option<Proxy>| {
            let config = Agent::config_builder()
                .tls_config(TlsConfig::builder().root_certs(roots.clone()).build())
                .timeout_global(Some(timeout))
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(USER_AGENT)
                .proxy(proxy)
                // Keep every connection the scheduler may open at once, so none is set up twice.
                .max_idle_connections_per_host(crate::sched::CONNECTIONS_PER_HOST)
                .max_idle_connections(4 * crate::sched::CONNECTIONS_PER_HOST)
                .build();
            Agent::with_parts(config, DefaultConnector::default(), OnceResolver::default())
        };
        Http { direct: agent(None), proxied: agent(proxy_from(env)), timeout, deadline: None }
    }

    /// As [`Http::new`], and no request reaches past `deadline`.
    pub(crate) fn with_deadline(env: &Env, timeout: Duration, deadline: Instant) -> Http {
        Http { deadline: Some(deadline), ..Http::new(env, timeout) }
    }

    /// Closes every connection, interrupting requests still in flight (answers nobody waits
    /// for any more: a speculative request that turned out not to be needed).
    pub(crate) fn abort(&self) {
        self.direct.clone().shutdown();
        self.proxied.clone().shutdown();
    }

    /// The time a request may take now: its own limit, or what is left before the deadline.
    fn budget(&self) -> Duration {
        match self.deadline {
            Some(d) => self.timeout.min(d.saturating_duration_since(Instant::now())),
            None => self.timeout,
        }
    }

    /// One request. `accept` defaults to ureq's; the body is kept up to [`BODY_CAP`].
    pub(crate) fn send(
        &self,
        method: Method,
        url: &str,
        auth: Auth<'_>,
        accept: Option<&str>,
    ) -> Result<HttpAnswer, ProbeError> {
        let what = format!("{} {url}", method.name());
        let loopback = check_url(url)?;
        let budget = self.budget();
        if budget.is_zero() {
            return Err(ProbeError::new(
                ProbeErrorKind::Timeout,
                format!("{what}: not sent, the time limit for the whole run ({} s) was reached", secs(self.timeout)),
            ));
        }
        let agent = if loopback { &self.direct } else { &self.proxied };
        let mut request = match method {
            Method::Get => agent.get(url),
            Method::Head => agent.head(url),
        };
        if budget < self.timeout {
            request = request.config().timeout_global(Some(budget)).build();
        }
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        if let Some((name, value)) = auth.header() {
            request = request.header(name, value.expose());
        }
        let response = request.call().map_err(|e| map_error(&what, e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (k.as_str().to_ascii_lowercase(), redact(&String::from_utf8_lossy(v.as_bytes())).into_owned())
            })
            .collect();
        let mut body = Vec::new();
        if method != Method::Head {
            // One byte past the cap tells a body that is too large (or endless) from one that fits.
            response
                .into_body()
                .into_reader()
                .take(BODY_CAP + 1)
                .read_to_end(&mut body)
                .map_err(|e| map_error(&what, ureq::Error::Io(e)))?;
        }
        let truncated = body.len() as u64 > BODY_CAP;
        body.truncate(usize::try_from(BODY_CAP).unwrap_or(usize::MAX));
        // The body stays raw here: a token answer carries the registry token the caller takes
        // out of it. Callers redact an answer (`HttpAnswer::redacted`) before it becomes a fact.
        Ok(HttpAnswer { status, headers, body: String::from_utf8_lossy(&body).into_owned(), truncated })
    }
}

/// Looks each host up once per run (ureq's resolver looks up, on a thread of its own, before
/// every request, also one that reuses a kept-alive connection); an address literal (loopback
/// fakes) needs no lookup at all.
#[derive(Debug, Default)]
struct OnceResolver {
    known: std::sync::Mutex<std::collections::HashMap<String, ResolvedSocketAddrs>>,
}

impl Resolver for OnceResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return DefaultResolver::default().resolve(uri, config, timeout);
        };
        let Some(key) = DefaultResolver::host_and_port(scheme, authority) else {
            return DefaultResolver::default().resolve(uri, config, timeout);
        };
        let known = || self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(addrs) = known().get(&key) {
            return Ok(addrs.clone());
        }
        let addrs = match key.parse::<std::net::SocketAddr>() {
            Ok(literal) => {
                let mut addrs = self.empty();
                addrs.push(literal);
                addrs
            }
            Err(_) => DefaultResolver::default().resolve(uri, config, timeout)?,
        };
        known().insert(key, addrs.clone());
        Ok(addrs)
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{s:.0}") } else { format!("{s:.1}") }
}

fn map_error(what: &str, e: ureq::Error) -> ProbeError {
    let kind = match &e {
        ureq::Error::Timeout(_) => ProbeErrorKind::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => ProbeErrorKind::Timeout,
        // A body that trickles past the deadline: the reader's I/O error carries ureq's timeout.
        ureq::Error::Io(io)
            if io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_))) =>
        {
            ProbeErrorKind::Timeout
        }
        _ => ProbeErrorKind::Network,
    };
    ProbeError::new(kind, format!("{what}: {e}"))
}

/// Accepts `https://` anywhere and `http://` only to loopback hosts. Returns whether the host is
/// loopback.
pub(crate) fn check_url(url: &str) -> Result<bool, ProbeError> {
    let uri: ureq::http::Uri =
        url.parse().map_err(|_| ProbeError::new(ProbeErrorKind::Network, format!("not a valid URL: {url}")))?;
    let host = uri.host().unwrap_or("");
    let loopback = is_loopback(host);
    match uri.scheme_str() {
        Some("https") => Ok(loopback),
        Some("http") if loopback => Ok(true),
        Some("http") => Err(ProbeError::new(
            ProbeErrorKind::Network,
            format!("refusing plain http to non-loopback host {host} ({url}); use https"),
        )),
        _ => Err(ProbeError::new(ProbeErrorKind::Network, format!("unsupported URL (want https://): {url}"))),
    }
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The largest certificate bundle read (Debian's is about 200 KiB).
const CERT_FILE_CAP: u64 = 16 * 1024 * 1024;

/// The trusted roots: the PEM bundle in `SSL_CERT_FILE` when it holds certificates (as gh and
/// docker, both Go programs, honour it: GitHub Enterprise Server behind a private CA), else the
/// bundled Mozilla roots.
fn roots_from(env: &Env) -> RootCerts {
    let pem = env.non_empty("SSL_CERT_FILE").and_then(|path| {
        crate::files::read_regular(std::path::Path::new(path), CERT_FILE_CAP, Duration::from_secs(5)).ok()
    });
    let Some(pem) = pem else {
        return RootCerts::WebPki;
    };
    let certs: Vec<_> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect();
    if certs.is_empty() { RootCerts::WebPki } else { RootCerts::new_with_certs(&certs) }
}

/// The proxy curl-like tools would use, read from the snapshot (ureq's own lookup reads the
/// process environment, which tests do not control).
fn proxy_from(env: &Env) -> Option<Proxy> {
    let url = ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]
        .iter()
        .find_map(|name| env.non_empty(name))?;
    let parsed = Proxy::new(url).ok()?;
    let mut builder = Proxy::builder(parsed.protocol()).host(parsed.host()).port(parsed.port());
    if let Some(user) = parsed.username() {
        builder = builder.username(user);
    }
    if let Some(password) = parsed.password() {
        builder = builder.password(password);
    }
    let no_proxy = env.non_empty("NO_PROXY").or_else(|| env.non_empty("no_proxy")).unwrap_or("");
    for entry in no_proxy.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        builder = builder.no_proxy(entry);
    }
    builder.build().ok()
}

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a path segment or query value: `repo/app` becomes `repo%2Fapp`.
pub(crate) fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, NOT_UNRESERVED).to_string()
}

/// `base` (with or without a trailing slash) joined with `path` (without a leading slash).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{HttpFixture, Reply};

    #[test]
    fn plain_http_only_to_loopback() {
        assert_eq!(check_url("https://ghcr.io/v2/"), Ok(false));
        assert_eq!(check_url("http://127.0.0.1:8080/"), Ok(true));
        assert_eq!(check_url("http://127.4.5.6/"), Ok(true));
        assert_eq!(check_url("http://localhost:1/x"), Ok(true));
        assert_eq!(check_url("http://[::1]:9/"), Ok(true));
        let err = check_url("http://ghcr.io/v2/").unwrap_err();
        assert_eq!(err.kind, ProbeErrorKind::Network);
        assert!(err.detail.contains("refusing plain http to non-loopback"), "{err:?}");
        assert!(check_url("http://10.0.0.1/").is_err());
        assert!(check_url("ftp://127.0.0.1/").is_err());
        let http = Http::new(&Env::default(), Duration::from_secs(1));
        let err = http.send(Method::Get, "http://example.com/", Auth::None, None).unwrap_err();
        assert!(err.detail.contains("refusing plain http"));
    }

    #[test]
    fn keeps_status_lowercase_headers_and_body_and_sends_auth() {
        let fixture = HttpFixture::start(|req| {
            let auth = req.header("authorization").unwrap_or("-").to_owned();
            Reply::new(401).header("WWW-Authenticate", "Bearer realm=\"x\"").body(format!("auth={auth}"))
        });
        let http = Http::new(&Env::default(), Duration::from_secs(5));
        let secret = Secret::new("ghp_abc");
        let answer = http.send(Method::Get, &fixture.url("/user"), Auth::Token(&secret), None).unwrap();
        assert_eq!(answer.status, 401);
        assert_eq!(answer.header("www-authenticate"), Some("Bearer realm=\"x\""));
        assert!(answer.headers.iter().all(|(k, _)| k == &k.to_ascii_lowercase()));
        assert_eq!(answer.body, "auth=token ghp_abc");
        let basic = Auth::Basic { username: "x", secret: &Secret::new("goodpass") };
        let answer = http.send(Method::Get, &fixture.url("/token"), basic, None).unwrap();
        assert_eq!(answer.body, "auth=Basic eDpnb29kcGFzcw==");
        let req = &fixture.requests()[0];
        assert_eq!(req.header("user-agent"), Some(USER_AGENT));
    }

    #[test]
    fn redirects_are_not_followed() {
        let fixture = HttpFixture::start(|req| {
            if req.path == "/a" { Reply::new(302).header("Location", "/b") } else { Reply::new(200).body("followed") }
        });
        let http = Http::new(&Env::default(), Duration::from_secs(5));
        let answer = http.send(Method::Get, &fixture.url("/a"), Auth::None, None).unwrap();
        assert_eq!(answer.status, 302);
        assert_eq!(fixture.requests().len(), 1);
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let fixture = HttpFixture::blackhole();
        let http = Http::new(&Env::default(), Duration::from_millis(300));
        let start = std::time::Instant::now();
        let err = http.send(Method::Get, &fixture.url("/"), Auth::None, None).unwrap_err();
        assert_eq!(err.kind, ProbeErrorKind::Timeout, "{err:?}");
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn ssl_cert_file_replaces_the_bundled_roots_only_when_it_holds_certificates() {
        assert!(matches!(roots_from(&Env::default()), RootCerts::WebPki));
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, b"not a certificate\n\xff").unwrap();
        let env = Env::from_pairs([("SSL_CERT_FILE", garbage.display().to_string())]);
        assert!(matches!(roots_from(&env), RootCerts::WebPki));
        let system = "/etc/ssl/certs/ca-certificates.crt";
        if std::path::Path::new(system).exists() {
            let env = Env::from_pairs([("SSL_CERT_FILE", system)]);
            assert!(matches!(roots_from(&env), RootCerts::Specific(_)));
        }
    }

    #[test]
    fn encodes_components() {
        assert_eq!(encode_component("repo/app"), "repo%2Fapp");
        assert_eq!(encode_component("repository:o/n:pull,push"), "repository%3Ao%2Fn%3Apull%2Cpush");
        assert_eq!(join("http://127.0.0.1:1/", "/user"), "http://127.0.0.1:1/user");
    }
}
