//! Finding the registry and image a log talks about: plain references (`ghcr.io/acme/app:1.2`,
//! `containers.HOST/o/n@sha256:...`, `127.0.0.1:5555/org/app:1`), registry API URLs
//! (`Head "https://ghcr.io/v2/O/N/manifests/T"` → `ghcr.io/O/N:T`) and token URLs
//! (`scope=repository%3AO%2FN%3Apull` → `ghcr.io/O/N`).

/// The host needles (lower case) that start a registry mention.
pub const HOST_NEEDLES: &[&str] = &["ghcr.io", "containers.", "127.0.0.1:", "localhost:", "registry.gitlab.com"];

/// A registry, and maybe a repository and tag/digest, found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageMention {
    /// `ghcr.io`, `containers.ghe.example.com`, `127.0.0.1:5555`.
    pub registry: String,
    /// `owner/name` (as written, case kept).
    pub repository: Option<String>,
    /// `:tag` or `@sha256:...`, with its separator.
    pub reference: Option<String>,
}

impl ImageMention {
    /// `registry/repository[:tag|@digest]`, or `None` without a repository.
    pub fn image(&self) -> Option<String> {
        let repository = self.repository.as_ref()?;
        Some(format!("{}/{}{}", self.registry, repository, self.reference.as_deref().unwrap_or("")))
    }

    /// The owner: the first component of the repository.
    pub fn owner(&self) -> Option<&str> {
        self.repository.as_deref().and_then(|r| r.split('/').next())
    }

    fn same_repository(&self, other: &ImageMention) -> bool {
        self.registry == other.registry
            && self.repository.as_deref().map(str::to_ascii_lowercase)
                == other.repository.as_deref().map(str::to_ascii_lowercase)
    }
}

/// Every mention on one cleaned line, in order. `lower` is `line` ASCII-lowercased (same byte
/// offsets).
pub fn mentions_in_line(line: &str, lower: &str, out: &mut Vec<ImageMention>) {
    let mut found_here: Vec<(usize, ImageMention)> = Vec::new();
    for needle in HOST_NEEDLES {
        let mut from = 0;
        while let Some(found) = lower[from..].find(needle) {
            let start = from + found;
            from = start + needle.len();
            if let Some((mention, end)) = mention_at(line, lower, start, needle) {
                from = from.max(end);
                found_here.push((start, mention));
            }
        }
    }
    found_here.sort_by_key(|(start, _)| *start);
    for (_, mention) in found_here {
        if !out.contains(&mention) {
            out.push(mention);
        }
    }
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// The mention starting at `start` (where `needle` was found), and where it ends.
fn mention_at(line: &str, lower: &str, start: usize, needle: &str) -> Option<(ImageMention, usize)> {
    let bytes = lower.as_bytes();
    // `service=ghcr.io` in token URLs is not a mention of its own
    if start > 0 && (is_host_byte(bytes[start - 1]) || matches!(bytes[start - 1], b'_' | b'=')) {
        return None;
    }
    let mut end = start + needle.len();
    match needle {
        "containers." => {
            while end < bytes.len() && is_host_byte(bytes[end]) {
                end += 1;
            }
            while end > start + needle.len() && bytes[end - 1] == b'.' {
                end -= 1;
            }
            let tail = &lower[start + needle.len()..end];
            if tail.len() < 3 || !tail.contains('.') {
                return None;
            }
        }
        "127.0.0.1:" | "localhost:" => {
            let digits = bytes[end..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            end += digits;
        }
        _ => {
            if bytes.get(end).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-') {
                return None;
            }
        }
    }
    let registry = lower[start..end].to_string();
    // `docker://ghcr.io/o/n:t` (skopeo/podman transport) is a reference, not a URL
    let is_url = lower[..start].ends_with("http://") || lower[..start].ends_with("https://");
    let mut mention = ImageMention { registry, repository: None, reference: None };
    let rest = &line[end..];
    if is_url {
        if let Some(path) = rest.strip_prefix("/v2/") {
            let (repository, reference) = parse_api_path(path);
            mention.repository = repository;
            mention.reference = reference;
        } else if rest.starts_with("/token") {
            mention.repository = parse_token_scope(rest);
        }
    } else if let Some(path) = rest.strip_prefix('/') {
        let (repository, reference, used) = parse_reference_path(path);
        mention.repository = repository;
        mention.reference = reference;
        end += 1 + used;
    }
    Some((mention, end))
}

fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/')
}

fn is_tag_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// `owner/name[:tag|@digest]`: the repository (at least two components), the reference, and the
/// bytes used.
fn parse_reference_path(path: &str) -> (Option<String>, Option<String>, usize) {
    let bytes = path.as_bytes();
    let mut end = bytes.iter().take_while(|&&b| is_path_byte(b)).count();
    while end > 0 && matches!(bytes[end - 1], b'.' | b'/' | b'-' | b'_') {
        end -= 1;
    }
    let repository = &path[..end];
    let components: Vec<&str> = repository.split('/').collect();
    if components.len() < 2 || components.iter().any(|c| c.is_empty()) {
        return (None, None, end);
    }
    let (reference, used) = parse_reference_suffix(&path[end..]);
    (Some(repository.to_string()), reference, end + used)
}

/// `:tag` or `@sha256:hex` at the start of `s`.
fn parse_reference_suffix(s: &str) -> (Option<String>, usize) {
    let bytes = s.as_bytes();
    match bytes.first() {
        Some(b':') => {
            let mut n = bytes[1..].iter().take_while(|&&b| is_tag_byte(b)).count().min(128);
            while n > 0 && bytes[n] == b'.' {
                n -= 1;
            }
            if n == 0 || !bytes[1].is_ascii_alphanumeric() && bytes[1] != b'_' {
                return (None, 0);
            }
            (Some(s[..1 + n].to_string()), 1 + n)
        }
        Some(b'@') => digest_len(&s[1..]).map_or((None, 0), |n| (Some(s[..1 + n].to_string()), 1 + n)),
        _ => (None, 0),
    }
}

/// `sha256:<hex>` length.
fn digest_len(s: &str) -> Option<usize> {
    let algo = s.find(':')?;
    if algo == 0 || algo > 16 || !s[..algo].bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let hex = s[algo + 1..].bytes().take_while(u8::is_ascii_hexdigit).count();
    (hex >= 8).then_some(algo + 1 + hex)
}

/// After `/v2/`: `O/N/manifests/T` → (`O/N`, `:T`); `O/N/blobs/...`, `O/N/tags/list` → (`O/N`, None).
fn parse_api_path(path: &str) -> (Option<String>, Option<String>) {
    let end = path.bytes().take_while(|&b| is_path_byte(b) || b == b':').count();
    let path = &path[..end];
    for marker in ["/manifests/", "/blobs/", "/tags/", "/referrers/"] {
        if let Some(at) = path.rfind(marker) {
            let repository = &path[..at];
            if repository.is_empty() {
                return (None, None);
            }
            let reference = if marker == "/manifests/" {
                let after = &path[at + marker.len()..];
                match digest_len(after) {
                    Some(n) => Some(format!("@{}", &after[..n])),
                    None => {
                        let n = after.bytes().take_while(|&b| is_tag_byte(b)).count();
                        let tag = after[..n].trim_end_matches('.');
                        (!tag.is_empty()).then(|| format!(":{tag}"))
                    }
                }
            } else {
                None
            };
            return (Some(repository.to_string()), reference);
        }
    }
    (None, None)
}

/// `/token?...scope=repository%3AO%2FN%3Apull...` → `O/N`.
fn parse_token_scope(rest: &str) -> Option<String> {
    let at = rest.find("scope=")?;
    let value: String = rest[at + 6..].chars().take_while(|&c| !matches!(c, '&' | '"' | '\'' | ' ' | '\\')).collect();
    let decoded = percent_decode(&value);
    let scope = decoded.strip_prefix("repository:")?;
    let (repository, _actions) = scope.rsplit_once(':')?;
    (repository.contains('/') && repository.bytes().all(is_path_byte)).then(|| repository.to_string())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Picks the image for the report: a mention on the line of the best match if there is one
/// (with a tag if that line has one; else completed with a tag seen elsewhere for the same
/// repository), else the first mention with a
/// tag, else the first with a repository, else the first registry.
pub fn choose<'a>(on_best_line: &'a [ImageMention], all: &'a [ImageMention]) -> Option<ImageMention> {
    let with_repo = |m: &&ImageMention| m.repository.is_some();
    let with_reference = |m: &&ImageMention| m.reference.is_some();
    if let Some(best) = on_best_line.iter().find(with_reference).or_else(|| on_best_line.iter().find(with_repo)) {
        if best.reference.is_none()
            && let Some(tagged) = all.iter().find(|m| m.reference.is_some() && m.same_repository(best))
        {
            return Some(tagged.clone());
        }
        return Some(best.clone());
    }
    all.iter()
        .find(|m| m.reference.is_some())
        .or_else(|| all.iter().find(with_repo))
        .or_else(|| on_best_line.first())
        .or_else(|| all.first())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        mentions_in_line(line, &line.to_ascii_lowercase(), &mut out);
        out.iter().map(|m| m.image().unwrap_or_else(|| format!("<{}>", m.registry))).collect()
    }

    #[test]
    fn plain_references() {
        assert_eq!(images("docker pull ghcr.io/acme/app:1.2"), ["ghcr.io/acme/app:1.2"]);
        assert_eq!(images("pull access denied for ghcr.io/acme/app, repository"), ["ghcr.io/acme/app"]);
        assert_eq!(images("manifest for ghcr.io/acme/app:2 not found: manifest unknown"), ["ghcr.io/acme/app:2"]);
        assert_eq!(images("ghcr.io/acme/app:1.2: not found"), ["ghcr.io/acme/app:1.2"]);
        assert_eq!(
            images("x containers.ghe.example.com/o/n@sha256:0123456789abcdef y"),
            ["containers.ghe.example.com/o/n@sha256:0123456789abcdef"]
        );
        assert_eq!(images("127.0.0.1:5555/org/app:1"), ["127.0.0.1:5555/org/app:1"]);
        assert_eq!(images("docker login ghcr.io -u x"), ["<ghcr.io>"]);
        assert_eq!(images("[ghcr.io/Acme/App:latest]"), ["ghcr.io/Acme/App:latest"]);
        assert_eq!(images("my-ghcr.io/x/y notghcr.iox/a/b"), Vec::<String>::new());
        assert_eq!(images(r#"image name \"docker://127.0.0.1:5555/org/app:1\": x"#), ["127.0.0.1:5555/org/app:1"]);
    }

    #[test]
    fn urls() {
        assert_eq!(
            images(r#"Head "https://ghcr.io/v2/acme/app/manifests/1.2": denied: denied"#),
            ["ghcr.io/acme/app:1.2"]
        );
        assert_eq!(
            images("Head https://ghcr.io/v2/acme/app/manifests/latest: unauthorized"),
            ["ghcr.io/acme/app:latest"]
        );
        assert_eq!(images(r#"Get "https://ghcr.io/v2/": denied: denied"#), ["<ghcr.io>"]);
        assert_eq!(
            images("GET https://ghcr.io/token?scope=repository%3Achainguard-dev%2Fapko%3Apull&service=ghcr.io: DENIED"),
            ["ghcr.io/chainguard-dev/apko"]
        );
        assert_eq!(images("POST https://ghcr.io/v2/acme/tools/cli/blobs/uploads/: DENIED"), ["ghcr.io/acme/tools/cli"]);
    }
}
