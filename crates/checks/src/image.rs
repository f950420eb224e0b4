//! Image references (`ghcr.io/acme/app:1.2`, `containers.HOST/o/n@sha256:...`): parsing and the
//! validation GHCR and docker apply (lower-case names, tag syntax), with a suggestion when wrong.

use std::fmt;

/// A parsed, valid image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// The registry host as written (`ghcr.io`).
    pub registry: String,
    /// The owner (user or organization), the first path component.
    pub owner: String,
    /// The package name: the rest of the path (`app` or `repo/app`).
    pub name: String,
    /// `tag` or `sha256:...`.
    pub reference: Reference,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reference {
    Tag(String),
    Digest(String),
}

impl ImageRef {
    /// `owner/name`, the repository path in the registry API.
    pub fn repository(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
    /// The tag or digest as used in `/v2/.../manifests/{reference}`.
    pub fn reference_str(&self) -> &str {
        match &self.reference {
            Reference::Tag(t) | Reference::Digest(t) => t,
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reference {
            Reference::Tag(t) => write!(f, "{}/{}/{}:{}", self.registry, self.owner, self.name, t),
            Reference::Digest(d) => write!(f, "{}/{}/{}@{}", self.registry, self.owner, self.name, d),
        }
    }
}

/// Why an image reference is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageRefError {
    Empty,
    /// `acme/app`: docker would go to Docker Hub, not to GitHub's registry.
    NoRegistry {
        suggestion: String,
    },
    /// `ghcr.io/app`: GHCR images live under an owner.
    NoOwner,
    /// Upper-case letters in the path (docker rejects them; GHCR owners must be lower case).
    UpperCase {
        suggestion: String,
    },
    /// A path component or tag with characters docker does not allow.
    BadComponent {
        component: String,
    },
    BadTag {
        tag: String,
    },
    BadDigest {
        digest: String,
    },
    /// `https://ghcr.io/acme/app`: image references have no scheme.
    Scheme {
        suggestion: String,
    },
    /// Spaces, newlines or other control characters inside the reference.
    BadCharacters,
    /// The repository name is longer than the 255 characters docker accepts.
    TooLong {
        length: usize,
    },
}

impl ImageRefError {
    /// English and Japanese description with the offending part.
    pub fn describe(&self) -> crate::Msg {
        use crate::{Msg, t};
        match self {
            ImageRefError::Empty => Msg::new(t!("the image reference is empty", "イメージ参照が空です")),
            ImageRefError::NoRegistry { suggestion } => Msg::new(t!(
                "the image reference has no registry host (docker would look on Docker Hub); did you mean `{suggestion}`?",
                "イメージ参照にレジストリのホスト名がありません（このままでは docker は Docker Hub を探します）。`{suggestion}` ではありませんか？"
            ))
            .arg("suggestion", suggestion),
            ImageRefError::NoOwner => Msg::new(t!(
                "the image reference has no owner: GitHub's registry expects `REGISTRY/OWNER/NAME:TAG`",
                "イメージ参照に所有者がありません。GitHub のレジストリでは `REGISTRY/OWNER/NAME:TAG` の形が必要です"
            )),
            ImageRefError::UpperCase { suggestion } => Msg::new(t!(
                "image names must be lower case (even when the GitHub owner name has capitals); use `{suggestion}`",
                "イメージ名は小文字でなければなりません（GitHub の所有者名に大文字が含まれていても同じです）。`{suggestion}` を使ってください"
            ))
            .arg("suggestion", suggestion),
            ImageRefError::BadComponent { component } => Msg::new(t!(
                "`{component}` is not a valid repository name component (allowed: a-z, 0-9, `.`, `_`, `-`)",
                "`{component}` はリポジトリ名の要素として使えません（使える文字は a-z、0-9、`.`、`_`、`-` です）"
            ))
            .arg("component", component),
            ImageRefError::BadTag { tag } => Msg::new(t!(
                "`{tag}` is not a valid tag (up to 128 of A-Z a-z 0-9 `_` `.` `-`, not starting with `.` or `-`)",
                "`{tag}` はタグとして使えません（A-Z a-z 0-9 `_` `.` `-` の最大 128 文字で、先頭は `.` と `-` 以外です）"
            ))
            .arg("tag", tag),
            ImageRefError::Scheme { suggestion } => Msg::new(t!(
                "image references have no scheme (`https://`); use `{suggestion}`",
                "イメージ参照にはスキーム（`https://`）を付けません。`{suggestion}` を使ってください"
            ))
            .arg("suggestion", suggestion),
            ImageRefError::BadCharacters => Msg::new(t!(
                "the image reference contains spaces, line breaks or control characters",
                "イメージ参照に空白、改行、または制御文字が含まれています"
            )),
            ImageRefError::TooLong { length } => Msg::new(t!(
                "the repository name is {length} characters long; docker accepts at most 255",
                "リポジトリ名が {length} 文字あります。docker が受け付けるのは 255 文字までです"
            ))
            .arg("length", length),
            ImageRefError::BadDigest { digest } => Msg::new(t!(
                "`{digest}` is not a valid digest (expected `sha256:` and 64 hex digits)",
                "`{digest}` はダイジェストとして正しくありません（`sha256:` と 16 進数 64 桁が必要です）"
            ))
            .arg("digest", digest),
        }
    }
}

fn valid_component(c: &str) -> bool {
    // docker's path-component grammar: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
    let bytes = c.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_alphanumeric() || !bytes[bytes.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && matches!(bytes[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-');
        if !ok || start == i {
            return false;
        }
    }
    true
}

fn valid_tag(t: &str) -> bool {
    let bytes = t.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b'_')
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

fn looks_like_host(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost"
}

impl std::str::FromStr for ImageRef {
    type Err = ImageRefError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ImageRefError::Empty);
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ImageRefError::BadCharacters);
        }
        for scheme in ["https://", "http://"] {
            if let Some(rest) = s.strip_prefix(scheme) {
                return Err(ImageRefError::Scheme { suggestion: rest.to_ascii_lowercase() });
            }
        }
        let (path_part, reference) = if let Some((p, d)) = s.split_once('@') {
            let hex = d.strip_prefix("sha256:").unwrap_or("");
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
                return Err(ImageRefError::BadDigest { digest: d.to_owned() });
            }
            (p, Reference::Digest(d.to_owned()))
        } else {
            // A ':' after the last '/' starts the tag (a ':' before it is a registry port).
            let last_slash = s.rfind('/').unwrap_or(0);
            match s[last_slash..].find(':') {
                Some(i) => {
                    let tag = &s[last_slash + i + 1..];
                    if !valid_tag(tag) {
                        return Err(ImageRefError::BadTag { tag: tag.to_owned() });
                    }
                    (&s[..last_slash + i], Reference::Tag(tag.to_owned()))
                }
                None => (s, Reference::Tag("latest".to_owned())),
            }
        };
        let mut parts = path_part.split('/');
        let first = parts.next().unwrap_or("");
        if !looks_like_host(first) {
            return Err(ImageRefError::NoRegistry { suggestion: format!("ghcr.io/{}", s.to_ascii_lowercase()) });
        }
        let registry = first.to_ascii_lowercase();
        let rest: Vec<&str> = parts.collect();
        if rest.len() < 2 {
            return Err(ImageRefError::NoOwner);
        }
        let path = rest.join("/");
        // docker's limit on the repository name (registry host included).
        let length = first.len() + 1 + path.len();
        if length > 255 {
            return Err(ImageRefError::TooLong { length });
        }
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            let lowered = s.replacen(&path, &path.to_ascii_lowercase(), 1);
            return Err(ImageRefError::UpperCase { suggestion: lowered });
        }
        if let Some(bad) = rest.iter().find(|c| !valid_component(c)) {
            return Err(ImageRefError::BadComponent { component: (*bad).to_owned() });
        }
        Ok(ImageRef { registry, owner: rest[0].to_owned(), name: rest[1..].join("/"), reference })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<ImageRef, ImageRefError> {
        s.parse()
    }

    #[test]
    fn parses_tags_digests_ports_and_nested_names() {
        let i = parse("ghcr.io/acme/app:1.2").unwrap();
        assert_eq!(
            (i.registry.as_str(), i.owner.as_str(), i.name.as_str(), i.reference_str()),
            ("ghcr.io", "acme", "app", "1.2")
        );
        assert_eq!(parse("ghcr.io/acme/app").unwrap().reference_str(), "latest");
        let nested = parse("containers.ghe.example/acme/repo/app:main").unwrap();
        assert_eq!(nested.name, "repo/app");
        assert_eq!(nested.to_string(), "containers.ghe.example/acme/repo/app:main");
        let port = parse("127.0.0.1:5555/org/app").unwrap();
        assert_eq!((port.registry.as_str(), port.reference_str()), ("127.0.0.1:5555", "latest"));
        let d = format!("ghcr.io/a/b@sha256:{}", "a".repeat(64));
        assert!(matches!(parse(&d).unwrap().reference, Reference::Digest(_)));
    }

    #[test]
    fn rejects_what_docker_and_ghcr_reject() {
        assert_eq!(
            parse("ghcr.io/Acme/App:v1"),
            Err(ImageRefError::UpperCase { suggestion: "ghcr.io/acme/app:v1".into() })
        );
        assert_eq!(parse("acme/app"), Err(ImageRefError::NoRegistry { suggestion: "ghcr.io/acme/app".into() }));
        assert_eq!(parse("ghcr.io/app"), Err(ImageRefError::NoOwner));
        assert!(matches!(parse("ghcr.io/a/b:-x"), Err(ImageRefError::BadTag { .. })));
        assert!(matches!(parse("ghcr.io/a/b@sha256:zz"), Err(ImageRefError::BadDigest { .. })));
        assert!(matches!(parse("ghcr.io/a/b..c"), Err(ImageRefError::BadComponent { .. })));
        assert!(matches!(parse("  "), Err(ImageRefError::Empty)));
        assert_eq!(
            parse("https://ghcr.io/acme/app:1"),
            Err(ImageRefError::Scheme { suggestion: "ghcr.io/acme/app:1".into() })
        );
        assert_eq!(parse("ghcr.io/acme/app:1\n::error title=x::y"), Err(ImageRefError::BadCharacters));
        assert!(matches!(parse(&format!("ghcr.io/acme/{}", "a".repeat(250))), Err(ImageRefError::TooLong { .. })));
    }
}
