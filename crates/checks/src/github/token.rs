//! GitHub's token kinds, read from their prefixes (ghcr-facts §2.6), which of them carry
//! scopes, and the packages scopes an access needs (ghcr-facts §1.4).

use crate::Access;

/// Every GitHub token prefix, longest first where one starts another.
pub const TOKEN_PREFIXES: &[&str] = &["github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"];

/// GitHub token kinds, by prefix (ghcr-facts §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// `ghp_`: personal access token (classic).
    ClassicPat,
    /// `gho_`: OAuth token (what `gh auth login` stores).
    OAuth,
    /// `ghu_`: GitHub App user-to-server token.
    AppUser,
    /// `ghs_`: GitHub App installation token, including Actions' `GITHUB_TOKEN`.
    AppInstallation,
    /// `github_pat_`: fine-grained personal access token (not accepted by GitHub Packages).
    FineGrainedPat,
    /// Anything else (pre-2021 40-hex tokens, passwords, other registries).
    Unknown,
}

impl TokenKind {
    /// The kind of a token, read from its prefix.
    pub fn of(token: &str) -> TokenKind {
        if token.starts_with("github_pat_") {
            TokenKind::FineGrainedPat
        } else if token.starts_with("ghp_") {
            TokenKind::ClassicPat
        } else if token.starts_with("gho_") {
            TokenKind::OAuth
        } else if token.starts_with("ghu_") {
            TokenKind::AppUser
        } else if token.starts_with("ghs_") {
            TokenKind::AppInstallation
        } else {
            TokenKind::Unknown
        }
    }
    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::ClassicPat => "ghp_",
            TokenKind::OAuth => "gho_",
            TokenKind::AppUser => "ghu_",
            TokenKind::AppInstallation => "ghs_",
            TokenKind::FineGrainedPat => "github_pat_",
            TokenKind::Unknown => "",
        }
    }
    /// Whether GitHub sends `X-OAuth-Scopes` for this kind (classic PATs and OAuth tokens only).
    pub fn has_scopes(self) -> bool {
        matches!(self, TokenKind::ClassicPat | TokenKind::OAuth | TokenKind::Unknown)
    }
}

/// The classic scope an access needs: `read:packages` to pull, `write:packages` to push
/// (`write:packages` implies `read:packages`).
pub fn packages_scope(access: Access) -> &'static str {
    match access {
        Access::Pull => "read:packages",
        Access::Push => "write:packages",
    }
}
