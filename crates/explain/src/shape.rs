//! The structure of one cleaned, lower-cased log line, as far as the rules need it: the HTTP
//! statuses it reports (`403 Forbidden`, `status code 401`, `invalid status code from registry
//! 403 (Forbidden)`), the methods (`HEAD "https://…"`, `from POST request to`), the kinds of
//! registry endpoint it names (ping `/v2/`, manifests, blob uploads, token endpoints with and
//! without a pull or push scope, GitLab's `/jwt/auth`, the Docker daemon's own API), and the host
//! a failed DNS lookup asked for.

/// A kind of endpoint named on the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// `/v2/` alone: the ping every login and pull starts with.
    Ping,
    /// `/v2/O/N/manifests/R`.
    Manifest,
    /// `/v2/O/N/blobs/uploads/`: the start of a push.
    BlobUpload,
    /// `/v2/O/N/blobs/sha256:…`.
    Blob,
    /// `/v2/O/N/tags/list`.
    Tags,
    /// Any token endpoint (`/token`, `/jwt/auth`, `/oauth2/token`).
    Token,
    /// A token request without a repository scope: a login.
    TokenLogin,
    /// A token request whose scope asks for `push`.
    TokenPush,
    /// GitLab's token endpoint `/jwt/auth`.
    JwtAuth,
    /// The registry v1 API (`/v1/repositories/…`), docker 1.x.
    V1,
    /// GitLab's REST API (`/api/v4/`).
    GitlabApi,
    /// GitHub's REST API (`api.github.com`, `/api/v3/`).
    GithubApi,
    /// The Docker daemon's own API: its socket, named pipe, TCP port or `/vN.NN/` paths.
    DaemonApi,
}

impl PathKind {
    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// An HTTP method named on the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
}

impl Method {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// What the host of a failed DNS lookup (`lookup HOST`) looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupHost {
    /// A misspelling of `ghcr.io` (`ghrc.io`, `gchr.io`, `ghcr.oi`).
    GhcrTypo,
    /// A GitHub Enterprise Server registry host, `containers.HOST`.
    GhesRegistry,
}

/// The structure of one line.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    statuses: Vec<u16>,
    paths: u32,
    methods: u8,
    lookup: Option<String>,
    library_host_name: bool,
}

const REASONS: &[&str] = &[
    "forbidden",
    "unauthorized",
    "not found",
    "too many requests",
    "internal server error",
    "server error",
    "bad gateway",
    "service unavailable",
    "service temporarily unavailable",
    "gateway time",
    "request time",
];

const METHODS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("head", Method::Head),
    ("post", Method::Post),
    ("put", Method::Put),
    ("patch", Method::Patch),
];

impl Shape {
    /// Parses a cleaned, ASCII-lower-cased line.
    pub fn parse(lower: &str) -> Shape {
        let mut shape = Shape::default();
        shape.find_statuses(lower);
        shape.find_paths(lower);
        shape.find_methods(lower);
        shape.lookup = lookup_host(lower);
        shape.library_host_name = library_host_name(lower);
        shape
    }

    pub fn has_status(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    pub fn has_status_in(&self, low: u16, high: u16) -> bool {
        self.statuses.iter().any(|s| (low..=high).contains(s))
    }

    pub fn has_path(&self, kind: PathKind) -> bool {
        self.paths & kind.bit() != 0
    }

    pub fn has_method(&self, method: Method) -> bool {
        self.methods & method.bit() != 0
    }

    /// What the looked-up host of a DNS failure on this line is, if it is one of the known kinds.
    pub fn lookup_is(&self, kind: LookupHost) -> bool {
        let Some(host) = self.lookup.as_deref() else { return false };
        match kind {
            LookupHost::GhcrTypo => host != "ghcr.io" && is_ghcr_typo(host),
            LookupHost::GhesRegistry => host.starts_with("containers.") && host.len() > "containers.".len() + 2,
        }
    }

    /// A registry host parsed as a Docker Hub image name: `docker.io/library/registry.local`.
    pub fn host_parsed_as_name(&self) -> bool {
        self.library_host_name
    }

    fn find_statuses(&mut self, lower: &str) {
        let bytes = lower.as_bytes();
        let mut i = 0;
        while i + 3 <= bytes.len() {
            if !(bytes[i] == b'4' || bytes[i] == b'5')
                || !bytes[i + 1].is_ascii_digit()
                || !bytes[i + 2].is_ascii_digit()
            {
                i += 1;
                continue;
            }
            let before_ok =
                i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'.' | b'_' | b'-' | b'/'));
            let after = bytes.get(i + 3).copied();
            let after_ok = after.is_none_or(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/')));
            if before_ok && after_ok {
                let status = u16::from(bytes[i] - b'0') * 100
                    + u16::from(bytes[i + 1] - b'0') * 10
                    + u16::from(bytes[i + 2] - b'0');
                let rest = lower[i + 3..].trim_start_matches([' ', '(', ':', '-']);
                let reason = REASONS.iter().any(|r| rest.starts_with(r));
                let lead = &lower[i.saturating_sub(28)..i];
                let framed =
                    ["status", "http", "code", "error", "returned", "failed with"].iter().any(|w| lead.contains(w));
                if (reason || framed) && status <= 599 && !self.statuses.contains(&status) {
                    self.statuses.push(status);
                }
            }
            i += 3;
        }
    }

    fn find_paths(&mut self, lower: &str) {
        let mut from = 0;
        while let Some(at) = lower[from..].find("/v2/") {
            let start = from + at + 4;
            let path = url_tail(&lower[start..]);
            let kind = if path.is_empty() {
                PathKind::Ping
            } else if path.contains("/manifests/") {
                PathKind::Manifest
            } else if path.contains("/blobs/upload") {
                PathKind::BlobUpload
            } else if path.contains("/blobs/") {
                PathKind::Blob
            } else if path.contains("/tags/") {
                PathKind::Tags
            } else if path.starts_with("token") {
                PathKind::Token
            } else {
                from = start;
                continue;
            };
            self.paths |= kind.bit();
            from = start;
        }
        if lower.contains("failed with status code [manifests ") {
            self.paths |= PathKind::Manifest.bit();
        }
        for marker in ["/token?", "/token\"", "/token:", "/jwt/auth", "/oauth2/token", "/v2/token"] {
            let mut from = 0;
            while let Some(at) = lower[from..].find(marker) {
                let start = from + at;
                let url = url_tail(&lower[start..]);
                self.paths |= PathKind::Token.bit();
                if marker == "/jwt/auth" {
                    self.paths |= PathKind::JwtAuth.bit();
                }
                match url.find("scope=") {
                    // Without a query string it is a `POST` with the scope in the body (BuildKit).
                    None if url.contains('?') => self.paths |= PathKind::TokenLogin.bit(),
                    None => {}
                    Some(s) => {
                        let scope = &url[s..];
                        if ["%3apush", ":push", "%2cpush", ",push", "%3a%2a", ":*"].iter().any(|p| scope.contains(p)) {
                            self.paths |= PathKind::TokenPush.bit();
                        }
                    }
                }
                from = start + marker.len();
            }
        }
        if lower.contains("/v1/repositories/") || lower.contains("/v1/users/") {
            self.paths |= PathKind::V1.bit();
        }
        if lower.contains("/api/v4/") {
            self.paths |= PathKind::GitlabApi.bit();
        }
        if lower.contains("api.github.com") || lower.contains("/api/v3/") || lower.contains("/api/graphql") {
            self.paths |= PathKind::GithubApi.bit();
        }
        if [
            "docker.sock",
            "pipe/docker_engine",
            "pipe\\docker_engine",
            "%2fpipe%2fdocker",
            "/_ping",
            ":2375",
            ":2376",
            "dockerdesktoplinuxengine",
        ]
        .iter()
        .any(|n| lower.contains(n))
            || daemon_version_path(lower)
        {
            self.paths |= PathKind::DaemonApi.bit();
        }
    }

    fn find_methods(&mut self, lower: &str) {
        for &(name, method) in METHODS {
            let mut from = 0;
            while let Some(at) = lower[from..].find(name) {
                let start = from + at;
                from = start + name.len();
                let before_ok = start == 0 || !lower.as_bytes()[start - 1].is_ascii_alphanumeric();
                let rest = &lower[from..];
                let after_ok = rest.starts_with(" request")
                    || rest.starts_with(" http")
                    || rest.starts_with(" \"http")
                    || rest.starts_with(" /v2/")
                    || rest.starts_with(" \"/v2/");
                if before_ok && after_ok {
                    self.methods |= method.bit();
                    break;
                }
            }
        }
    }
}

/// The URL or path at the start of `s`, up to a quote, space or `: ` (lower case already).
fn url_tail(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '"' | '\'' | ' ' | '\\' | '`' | ')' | ']' | ',' | ';')
                || (c == ':' && s[i + 1..].starts_with(' '))
        })
        .map_or(s.len(), |(i, _)| i);
    let tail = &s[..end];
    tail.strip_suffix(':').unwrap_or(tail)
}

/// `/v1.40/…` right after a host: the Docker Engine API.
fn daemon_version_path(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(at) = lower[from..].find("/v1.") {
        let start = from + at + 4;
        let digits = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        if (2..=3).contains(&digits) && bytes.get(start + digits) == Some(&b'/') {
            return true;
        }
        from = start;
    }
    false
}

/// The host in `lookup HOST` (Go's resolver errors), if the line has one.
fn lookup_host(lower: &str) -> Option<String> {
    let at = lower.find("lookup ")?;
    let host: String =
        lower[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_string())
}

/// `ghrc.io`, `gchr.io`, `ghcr.oi`, `ghcr.com`: one or two edits away from `ghcr.io`, or
/// `ghcr.io` with the dot in the wrong place.
fn is_ghcr_typo(host: &str) -> bool {
    let near = edit_distance(host, "ghcr.io") <= 2;
    let looks_like = host.starts_with('g') && (host.contains("hcr") || host.contains("hrc") || host.contains("chr"));
    near && looks_like && host.len() >= 5
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return 3;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let swap = i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1];
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if swap {
                cur[j] = cur[j].min(prev[j - 1]);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// `docker.io/library/NAME` where NAME has a dot or a port: a registry host taken for an image.
fn library_host_name(lower: &str) -> bool {
    let Some(at) = lower.find("docker.io/library/") else { return false };
    let name: String =
        lower[at + 18..].chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    name.contains('.') && !name.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_need_a_reason_or_a_frame() {
        let s =
            Shape::parse("unexpected status from post request to https://ghcr.io/v2/o/n/blobs/uploads/: 403 forbidden");
        assert!(s.has_status(403) && s.has_method(Method::Post) && s.has_path(PathKind::BlobUpload));
        assert!(Shape::parse("response status code 401: unauthorized").has_status(401));
        assert!(Shape::parse("invalid status code from registry 403 (forbidden)").has_status(403));
        assert!(Shape::parse("(http code 500) server error - get https://x/v2/").has_status(500));
        assert!(Shape::parse("error: http 403: forbidden").has_status(403));
        let digest = Shape::parse("blobs/sha256:9cb31e2e37eab1b403ff50f727e979fcacb509e 403x 1403 forbidden");
        assert!(digest.statuses.is_empty(), "{:?}", digest.statuses);
        assert!(Shape::parse("downloading 404 packages").statuses.is_empty());
    }

    #[test]
    fn endpoint_kinds() {
        let login = Shape::parse(
            "get https://gitlab.com/jwt/auth?offline_token=true&service=container_registry: 401 unauthorized",
        );
        assert!(login.has_path(PathKind::JwtAuth) && login.has_path(PathKind::TokenLogin) && login.has_status(401));
        let post = Shape::parse(
            "failed to fetch oauth token: unexpected status from post request to https://ghcr.io/token: 403 forbidden",
        );
        assert!(post.has_path(PathKind::Token) && !post.has_path(PathKind::TokenLogin) && post.has_status(403));
        let pull =
            Shape::parse("get \"https://ghcr.io/token?scope=repository%3aacme%2fapp%3apull&service=ghcr.io\": eof");
        assert!(
            pull.has_path(PathKind::Token)
                && !pull.has_path(PathKind::TokenLogin)
                && !pull.has_path(PathKind::TokenPush)
        );
        let push =
            Shape::parse("get https://ghcr.io/token?scope=repository%3aacme%2fapp%3apull%2cpush&service=ghcr.io");
        assert!(push.has_path(PathKind::TokenPush));
        assert!(Shape::parse("get \"https://ghcr.io/v2/\": denied: denied").has_path(PathKind::Ping));
        assert!(Shape::parse("head https://ghcr.io/v2/o/n/manifests/latest: denied").has_path(PathKind::Manifest));
        assert!(Shape::parse("post http://docker:2375/v1.40/auth: dial tcp").has_path(PathKind::DaemonApi));
        assert!(Shape::parse("open //./pipe/docker_engine: the system").has_path(PathKind::DaemonApi));
        assert!(Shape::parse("get http://%2fvar%2frun%2fdocker.sock/v1.27/info").has_path(PathKind::DaemonApi));
        assert!(!Shape::parse("get https://ghcr.io/v2/o/n/manifests/v1.2/x").has_path(PathKind::DaemonApi));
        assert!(Shape::parse("index.docker.io/v1/repositories/library/ubuntu/images").has_path(PathKind::V1));
    }

    #[test]
    fn lookup_hosts() {
        assert!(Shape::parse("dial tcp: lookup ghrc.io: no such host").lookup_is(LookupHost::GhcrTypo));
        assert!(Shape::parse("dial tcp: lookup gchr.io on 1.1.1.1:53: no such host").lookup_is(LookupHost::GhcrTypo));
        assert!(!Shape::parse("dial tcp: lookup ghcr.io: no such host").lookup_is(LookupHost::GhcrTypo));
        assert!(!Shape::parse("dial tcp: lookup docker on 10.0.0.1:53: no such host").lookup_is(LookupHost::GhcrTypo));
        assert!(!Shape::parse("lookup gcr.io: no such host").lookup_is(LookupHost::GhcrTypo));
        assert!(Shape::parse("lookup containers.ghe.example.com: no such host").lookup_is(LookupHost::GhesRegistry));
        assert!(
            Shape::parse("reading manifest 5000 in docker.io/library/registry.localhost: errors:")
                .host_parsed_as_name()
        );
        assert!(!Shape::parse("docker.io/library/nginx:1.19").host_parsed_as_name());
    }
}
