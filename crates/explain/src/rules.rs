//! The pattern table: which pasted error text points at which cause, with what confidence.
//!
//! Rules are data. Each one is a list of patterns that must all hold on one cleaned, lower-cased
//! log line (a window of it when the line is very long): substrings, bare message endings, and
//! the line's structure from [`crate::shape`] (HTTP status, method, kind of endpoint, the host a
//! DNS lookup failed for); the context signals the log must (or must not) have shown
//! ([`Signal`]: a push in progress, `Login Succeeded`, a GitLab registry, an Actions job and its
//! token permissions, a pull request, an interactive password login…); the causes it points at
//! with their confidence (the first listed is the most likely); the live check that tells them
//! apart when there are several; and where the rendering is documented (`ghcr-facts §N`,
//! `gitlab-facts §N`, `real-behaviour §N`, or the corpus transcript it was first seen in).
//!
//! Ranking on one line: the rule of the highest [`Tier`] wins, then the most specific (see
//! [`Rule::line_rank`]). Tiers encode how error chains read: what the client was talking to (the
//! daemon, a misspelt registry host) outranks how the connection failed (DNS, TLS, refused,
//! timeout), which outranks the registry's message, which outranks what the client was doing
//! (`failed to fetch anonymous token: …` only frames the real failure). Across lines, causes rank
//! by confidence, then specificity, then first occurrence. A rule without causes marks a line as
//! known to be harmless (a logout that found nothing to erase).
//!
//! Needles are lower case; the first pattern of every rule is a text pattern, and each of its
//! needles contains one of the gates of [`crate::gate`], so the scanner's prefilter never skips
//! a line a rule could match (tested).

use crate::Confidence::{self, High, Low, Medium};
use crate::shape::{LookupHost, Method, PathKind, Shape};
use ghcr_doctor_checks::{CauseId, CauseId::*, CheckId};

/// One test applied to a lower-cased, cleaned line.
#[derive(Clone, Copy, Debug)]
pub enum Pattern {
    /// The needle occurs.
    Has(&'static str),
    /// One of the needles occurs.
    Any(&'static [&'static str]),
    /// The needle occurs and ends the message there: it is followed by the end of the line or by
    /// a character that cannot continue it (not a letter, digit, `:`, `_` or `-`). Tells a bare
    /// `": unauthorized"` apart from `": unauthorized: bad username or password"`.
    Bare(&'static str),
    /// One of the needles occurs bare (see [`Pattern::Bare`]).
    AnyBare(&'static [&'static str]),
    /// The needle does not occur. Never the first pattern of a rule.
    Lacks(&'static str),
    /// None of the needles occurs. Never the first pattern of a rule.
    LacksAny(&'static [&'static str]),
    /// The line reports this HTTP status.
    Status(u16),
    /// The line reports an HTTP status in this range.
    StatusIn(u16, u16),
    /// The line reports no HTTP status in this range.
    NoStatusIn(u16, u16),
    /// The line names an endpoint of this kind.
    Path(PathKind),
    /// The line names no endpoint of this kind.
    NoPath(PathKind),
    /// The line names this HTTP method.
    Method(Method),
    /// The host of the line's failed DNS lookup is of this kind.
    Lookup(LookupHost),
    /// A registry host was parsed as a Docker Hub image name (`docker.io/library/registry.local`).
    HostAsName,
}

/// Something the log showed. Most signals count wherever they appear; [`Signal::before_only`]
/// ones count only on the line itself or earlier (a `Login Succeeded` after the error does not
/// explain it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A push (`The push refers to repository`, `failed to push`, blob uploads, `docker push`).
    Push,
    /// Layers of a push already went up (`…: Pushed`, `Pushing [==>  ]`, `Layer already exists`):
    /// the push has been running for a while.
    PushProgress,
    /// A GitLab registry (`registry.gitlab.com`, `$CI_REGISTRY`, `gitlab-ci-token`, `/jwt/auth`).
    Gitlab,
    /// `Login Succeeded`: the credentials were valid a moment before.
    LoginSucceeded,
    /// A GitHub Actions job (`##[group]`, `docker/login-action`, `buildx failed with:`, runner paths).
    Actions,
    /// A pull request run (`refs/pull/N/merge`, `event_name: pull_request`, "from a fork").
    PullRequest,
    /// The job's token may write packages (`Packages: write` in the token permissions or workflow).
    PackagesWrite,
    /// The job's token may only read packages (`Packages: read` / `none`, or a `permissions:`
    /// block without `packages: write`).
    PackagesRead,
    /// A `permissions:` block (the workflow's, or the runner's `GITHUB_TOKEN Permissions`).
    PermissionsBlock,
    /// A login that asked for (or typed) a password: an interactive `docker login -u USER`,
    /// `nerdctl login`, a `Password:` prompt.
    PasswordLogin,
    /// A credential helper run by hand (`docker-credential-NAME get|store|list|erase`).
    HelperCall,
    /// The log logged in to one registry and pushed to another (`docker login ghcr.io`, then
    /// `The push refers to repository [docker.io/…]`).
    HostMismatch,
    /// A login command (`docker login`, `podman login`, `helm registry login`, login-action's
    /// `Logging into …`).
    LoginCommand,
    /// A pull (`docker pull`, `docker run`, `Using default tag`, `Pulling from`, a build's `FROM`).
    Pull,
}

impl Signal {
    /// Signals that count only when seen on the line or before it.
    pub fn before_only(self) -> bool {
        matches!(self, Signal::Push | Signal::PushProgress | Signal::LoginSucceeded | Signal::HelperCall)
    }

    pub(crate) fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// How a rule ranks against other rules that match the same line (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Last resort: a bare word with nothing else known.
    Fallback,
    /// What the client was doing, or a generic registry refusal.
    Message,
    /// A message that names its cause, or context that settles a generic one.
    Specific,
    /// How the connection failed: DNS, TLS, proxy, refused, timed out.
    Transport,
    /// What the client was talking to: the Docker daemon, a misspelt or non-existent registry host.
    Target,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// A short stable name, for tests and debugging.
    pub name: &'static str,
    /// All must hold on the line; the first is a text pattern whose needles are the anchors.
    pub patterns: &'static [Pattern],
    /// All must have been seen (see [`Signal`]).
    pub when: &'static [Signal],
    /// None may have been seen.
    pub unless: &'static [Signal],
    /// The causes, most likely first. Empty: a known harmless line.
    pub causes: &'static [(CauseId, Confidence)],
    /// The live check that tells the causes apart when there are several.
    pub distinguishing_check: Option<CheckId>,
    pub tier: Tier,
    /// Where the rendering is documented.
    pub source: &'static str,
}

impl Pattern {
    /// The needles whose presence this pattern needs (none for the others).
    pub fn needles(&self) -> &[&'static str] {
        match self {
            Pattern::Has(n) | Pattern::Bare(n) => std::slice::from_ref(n),
            Pattern::Any(ns) | Pattern::AnyBare(ns) => ns,
            _ => &[],
        }
    }

    /// Needles this pattern must not see.
    pub fn forbidden(&self) -> &[&'static str] {
        match self {
            Pattern::Lacks(n) => std::slice::from_ref(n),
            Pattern::LacksAny(ns) => ns,
            _ => &[],
        }
    }

    /// Whether the pattern is text (it has needles).
    pub fn is_text(&self) -> bool {
        !self.needles().is_empty()
    }

    /// Where the pattern holds in `lower` (the start of the first needle found), `Some(0)` for a
    /// satisfied non-text pattern, `None` when it does not hold.
    pub fn find(&self, lower: &str, shape: &Shape) -> Option<usize> {
        let holds = |b: bool| b.then_some(0);
        match *self {
            Pattern::Has(n) => lower.find(n),
            Pattern::Any(ns) => ns.iter().filter_map(|n| lower.find(n)).min(),
            Pattern::Bare(n) => find_bare(lower, n),
            Pattern::AnyBare(ns) => ns.iter().filter_map(|n| find_bare(lower, n)).min(),
            Pattern::Lacks(n) => holds(!lower.contains(n)),
            Pattern::LacksAny(ns) => holds(!ns.iter().any(|n| lower.contains(n))),
            Pattern::Status(s) => holds(shape.has_status(s)),
            Pattern::StatusIn(a, b) => holds(shape.has_status_in(a, b)),
            Pattern::NoStatusIn(a, b) => holds(!shape.has_status_in(a, b)),
            Pattern::Path(k) => holds(shape.has_path(k)),
            Pattern::NoPath(k) => holds(!shape.has_path(k)),
            Pattern::Method(m) => holds(shape.has_method(m)),
            Pattern::Lookup(k) => holds(shape.lookup_is(k)),
            Pattern::HostAsName => holds(shape.host_parsed_as_name()),
        }
    }

    /// How much text the pattern requires (structure counts as a short needle).
    fn weight(&self) -> usize {
        match self {
            Pattern::Lacks(_) | Pattern::LacksAny(_) | Pattern::NoStatusIn(..) | Pattern::NoPath(_) => 0,
            p if p.is_text() => p.needles().iter().map(|n| n.len()).min().unwrap_or(0),
            _ => 6,
        }
    }
}

/// The first occurrence of `needle` that is not continued by a word character or `:`.
pub(crate) fn find_bare(lower: &str, needle: &str) -> Option<usize> {
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(found) = lower[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        match bytes.get(end) {
            None => return Some(start),
            Some(&b) if !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-')) => return Some(start),
            Some(_) => from = start + 1,
        }
    }
    None
}

impl Rule {
    /// How specific the rule is: the total length of the text it requires (for an alternative,
    /// the shortest one; structure counts 6). Longer required text = more specific.
    pub fn specificity(&self) -> usize {
        self.patterns.iter().map(Pattern::weight).sum()
    }

    /// How the rule ranks against other rules matching the same line: the higher tier wins, then
    /// the one that needed more of the log's context (it knows more), then the most specific, then
    /// the most confident.
    pub fn line_rank(&self) -> (Tier, usize, usize, u8) {
        (self.tier, self.when.len(), self.specificity(), self.top_confidence().weight())
    }

    /// The highest confidence among its causes.
    pub fn top_confidence(&self) -> Confidence {
        self.causes.iter().map(|&(_, c)| c).max_by_key(|c| c.weight()).unwrap_or(Low)
    }

    /// Whether the signals allow the rule.
    pub fn allowed(&self, signals: u32) -> bool {
        self.when.iter().all(|s| signals & s.bit() != 0) && !self.unless.iter().any(|s| signals & s.bit() != 0)
    }
}

use Pattern::{
    Any, AnyBare, Bare, Has, HostAsName, Lacks, LacksAny, Lookup, NoPath, NoStatusIn, Path, Status, StatusIn,
};
use Signal::{
    Actions, Gitlab, HelperCall, HostMismatch as PushedElsewhere, LoginCommand, LoginSucceeded, PackagesRead,
    PackagesWrite, PasswordLogin, Pull, PullRequest, Push, PushProgress,
};
use Tier::{Fallback, Message, Specific, Target, Transport};

const ONE: Option<CheckId> = None;
const REGISTRY_ACCESS: Option<CheckId> = Some(CheckId::RegistryAccess);
const CREDENTIALS: Option<CheckId> = Some(CheckId::DockerCredentials);

/// The defaults most rows keep.
const RULE: Rule = Rule {
    name: "",
    patterns: &[],
    when: &[],
    unless: &[],
    causes: &[],
    distinguishing_check: ONE,
    tier: Message,
    source: "",
};

/// Registry hosts GitHub serves (`ghcr.io`, `containers.HOST`).
const GITHUB_REGISTRY: Pattern = Any(&["ghcr.io", "containers."]);

/// DNS failures as Go, glibc, musl, macOS, Windows (English, Japanese), curl, Node and Python
/// word them.
const DNS: &[&str] = &[
    "no such host",
    "temporary failure in name resolution",
    "server misbehaving",
    "name or service not known",
    "name does not resolve",
    "name has no usable address",
    "no address associated with hostname",
    "nodename nor servname provided",
    "no such host is known",
    "the requested name is valid, but no data",
    "temporary error during hostname resolution",
    "could not resolve host",
    "getaddrinfo enotfound",
    "getaddrinfo eai_again",
    "failed to resolve host",
    "failed to lookup address information",
    "unknownhostexception",
    "dns resolution failed",
    "invalid domain name",
    "そのようなホストは不明です",
];

/// The table. Order does not matter for ranking; it is grouped by theme for reading. Every row ends
/// in `..RULE`, also when it sets every field, so rows read alike.
#[allow(clippy::needless_update)]
pub static RULES: &[Rule] = &[
    // ---- GHCR messages that name their cause -------------------------------------------------
    Rule {
        name: "scope-mismatch",
        patterns: &[Has("does not match expected scopes")],
        causes: &[(MissingScope, High), (FineGrainedPat, Medium)],
        distinguishing_check: Some(CheckId::TokenScopes),
        tier: Specific,
        source: "ghcr-facts §0, §1.2: `denied: permission_denied: The token provided does not match expected scopes.` \
                 (pull: brunowego/cookbooks; push: daltoniam/switchboard#139; also fine-grained PATs)",
        ..RULE
    },
    Rule {
        name: "api-needs-packages-scope",
        patterns: &[Any(&[
            "needs the \"read:packages\" scope",
            "needs the \"write:packages\" scope",
            "has not been granted the required scopes",
            "requires one of the following scopes",
        ])],
        causes: &[(MissingScope, High)],
        tier: Specific,
        source: "ghcr-facts §2.1, §4.5: gh `This API operation needs the \"read:packages\" scope. To request it, run: gh auth \
                 refresh -h github.com -s read:packages`; GraphQL `Your token has not been granted the required scopes`",
        ..RULE
    },
    Rule {
        name: "write-package-from-a-pull-request",
        patterns: &[Has("permission_denied: write_package")],
        when: &[PullRequest],
        causes: &[(ForkPullRequest, High), (ActionsTokenNoAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1 and the fork-pull-request record: a pull request from a fork gets a read-only \
                 `GITHUB_TOKEN`, refused with `permission_denied: write_package`",
        ..RULE
    },
    Rule {
        name: "write-package-read-only-token",
        patterns: &[Has("permission_denied: write_package")],
        when: &[PackagesRead],
        unless: &[PullRequest, PackagesWrite],
        causes: &[(MissingPackagesPermission, High), (ActionsTokenNoAccess, Low), (NoWriteAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1: the runner's token permissions show `Packages: read`; the job needs `packages: write`",
        ..RULE
    },
    Rule {
        name: "write-package-by-hand",
        patterns: &[Has("permission_denied: write_package")],
        when: &[PasswordLogin],
        unless: &[Actions],
        causes: &[(NoWriteAccess, High), (MissingScope, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §0 row 6, §1.2: a person logged in with a password or PAT may not write the package",
        ..RULE
    },
    Rule {
        name: "write-package-in-actions",
        patterns: &[Has("permission_denied: write_package")],
        when: &[Actions],
        causes: &[(ActionsTokenNoAccess, Medium), (NoWriteAccess, Medium), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §0 row 6, §6.1: in a workflow, `denied: permission_denied: write_package` most often means a \
                 package not linked to the repository or not granted under Manage Actions access (tridz-dev/huf#349; \
                 corpus dev/001, dev/006)",
        ..RULE
    },
    Rule {
        name: "write-package",
        patterns: &[Has("permission_denied: write_package")],
        causes: &[(NoWriteAccess, Medium), (ActionsTokenNoAccess, Medium), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §0 row 6, §1.2: `denied: permission_denied: write_package`: authenticated, but no Write role \
                 on the package (a real `docker push` with a read-only grant prints exactly this, tests/it/real_docker.rs); \
                 in a workflow see write-package-in-actions",
        ..RULE
    },
    Rule {
        name: "create-package-in-actions",
        patterns: &[Has("permission_denied: create_package")],
        when: &[Actions],
        causes: &[(PackageCreationForbidden, Medium), (NoWriteAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.2, §6.1: a workflow's token refused `create_package`: the organization does not let the \
                 workflow create the package",
        ..RULE
    },
    Rule {
        name: "create-package",
        patterns: &[Has("permission_denied: create_package")],
        causes: &[(NoWriteAccess, Medium), (PackageCreationForbidden, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.2, §6.1: `denied: permission_denied: create_package` (the push would create a package)",
        ..RULE
    },
    Rule {
        name: "installation-write-from-a-pull-request",
        patterns: &[Has("installation not allowed to write organization package")],
        when: &[PullRequest],
        causes: &[(ForkPullRequest, High), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1; fork-pull-request record: `installation not allowed to Write organization package` in a \
                 pull request run",
        ..RULE
    },
    Rule {
        name: "installation-write-with-packages-write",
        patterns: &[Has("installation not allowed to write organization package")],
        when: &[PackagesWrite],
        unless: &[PullRequest],
        causes: &[(ActionsTokenNoAccess, High), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1: the job's token had `packages: write` and was still refused, so the package does not \
                 grant the repository access (Manage Actions access)",
        ..RULE
    },
    Rule {
        name: "installation-write-read-only-token",
        patterns: &[Has("installation not allowed to write organization package")],
        when: &[PackagesRead],
        unless: &[PullRequest, PackagesWrite],
        causes: &[(MissingPackagesPermission, High), (ActionsTokenNoAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1: the log shows the job's token with `Packages: read` (or a `permissions:` block without \
                 `packages: write`)",
        ..RULE
    },
    Rule {
        name: "installation-write",
        patterns: &[Has("installation not allowed to write organization package")],
        causes: &[(MissingPackagesPermission, Medium), (ActionsTokenNoAccess, Medium), (ForkPullRequest, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §0 row 7, §1.2, §6.1: `denied: installation not allowed to Write organization package`: the \
                 installation token (`GITHUB_TOKEN`) may not write; most often the job lacks `packages: write` \
                 (corpus dev/129), else the package does not grant the repository access, or a fork's pull request",
        ..RULE
    },
    Rule {
        name: "installation-create",
        patterns: &[Has("installation not allowed to create organization package")],
        unless: &[PullRequest],
        causes: &[(PackageCreationForbidden, High), (ActionsTokenNoAccess, Low), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.2, §6.1: `denied: installation not allowed to Create organization package` (030/n3dr#560)",
        ..RULE
    },
    Rule {
        name: "installation-create-from-a-pull-request",
        patterns: &[Has("installation not allowed to create organization package")],
        when: &[PullRequest],
        causes: &[(ForkPullRequest, High), (PackageCreationForbidden, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1: a pull request's read-only token may not create the package either",
        ..RULE
    },
    Rule {
        name: "installation-read",
        patterns: &[Has("installation not allowed to read organization package")],
        causes: &[(ActionsTokenNoAccess, High)],
        tier: Specific,
        source: "ghcr-facts §0 row 7, §1.2: `denied: installation not allowed to Read organization package` \
                 (actions/runner#1039)",
        ..RULE
    },
    Rule {
        name: "installation-not-allowed-other",
        patterns: &[Has("installation not allowed to")],
        causes: &[(ActionsTokenNoAccess, Medium), (MissingPackagesPermission, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2: the `installation not allowed to …` family (Dependabot/App tokens)",
        ..RULE
    },
    Rule {
        name: "classic-pat-forbidden",
        patterns: &[Has("forbids access via a personal access token (classic)")],
        causes: &[(ClassicPatForbidden, High)],
        tier: Specific,
        source: "ghcr-facts §0, §1.2: ``denied: permission_denied: `<org>` forbids access via a personal access token \
                 (classic)...`` (brunowego/cookbooks, refined-github#6951)",
        ..RULE
    },
    Rule {
        name: "fine-grained-lifetime-policy",
        patterns: &[Has("forbids access via a fine-grained personal access token")],
        causes: &[(FineGrainedPat, Medium)],
        tier: Specific,
        source: "ghcr-facts §1.2: `The 'NixOS' organization forbids access via a fine-grained personal access tokens if \
                 the token's lifetime is greater than 90 days` (NixOS/org#247)",
        ..RULE
    },
    Rule {
        name: "user-cannot-be-authenticated",
        patterns: &[Has("user cannot be authenticated with the token provided")],
        causes: &[(StaleCredentials, High), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        tier: Specific,
        source: "ghcr-facts §0, §1.1: `unauthorized: unauthenticated: User cannot be authenticated with the token \
                 provided.` on login, pull and push (getwud/wud#219, autc04/Retro68#274)",
        ..RULE
    },
    Rule {
        name: "saml-enforcement",
        patterns: &[Any(&["saml enforcement", "x-github-sso: required", "enabled or enforced saml sso", "saml sso"])],
        causes: &[(SsoNotAuthorized, High)],
        tier: Specific,
        source: "ghcr-facts §1.2 (legacy docker.pkg.github.com: `unauthorized: Resource protected by organization SAML \
                 enforcement...`), §2.2 (REST body and `X-GitHub-SSO: required; url=...`, gh GraphQL wording)",
        ..RULE
    },
    Rule {
        name: "oauth-app-restrictions",
        patterns: &[Has("oauth app access restrictions")],
        causes: &[(OauthAppRestricted, High)],
        tier: Specific,
        source: "ghcr-facts §2.3: ``...the `<org>` organization has enabled OAuth App access restrictions, meaning that \
                 data access to third-parties is limited.``",
        ..RULE
    },
    Rule {
        name: "legacy-packages-unauthenticated",
        patterns: &[Has("could not be authenticated by the github packages service")],
        causes: &[(TokenInvalid, Medium), (MissingScope, Medium)],
        distinguishing_check: Some(CheckId::TokenScopes),
        tier: Specific,
        source: "ghcr-facts §1.2: legacy registry `unauthorized: Your request could not be authenticated by the GitHub \
                 Packages service. Please ensure your access token is valid and has the appropriate scopes configured.`",
        ..RULE
    },
    Rule {
        name: "package-not-found-api",
        patterns: &[Has("package not found")],
        causes: &[(NoPackageAccess, Medium)],
        source: "ghcr-facts §2.4: REST `{\"message\":\"Package not found.\"...}`, gh `gh: Package not found. (HTTP 404)` \
                 (missing or no access)",
        ..RULE
    },
    Rule {
        name: "permission-denied-other",
        patterns: &[Has("permission_denied")],
        causes: &[(NoPackageAccess, Medium)],
        source: "ghcr-facts §1.2: GHCR's `denied: permission_denied: <reason>` family; fallback for reasons not listed",
        ..RULE
    },
    // ---- Pushes refused in GitHub Actions without a message (BuildKit's bare 403) ---------------
    Rule {
        name: "push-403-from-a-pull-request",
        patterns: &[Any(&["forbidden", "unexpected status: 403"]), Status(403)],
        when: &[Push, PullRequest],
        causes: &[(ForkPullRequest, High), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1; fork-pull-request record: BuildKit's 403 on a push from a pull request run",
        ..RULE
    },
    Rule {
        name: "push-403-with-packages-write",
        patterns: &[Any(&["forbidden", "unexpected status: 403"]), Status(403), GITHUB_REGISTRY],
        when: &[Push, PackagesWrite],
        unless: &[PullRequest],
        causes: &[(ActionsTokenNoAccess, High), (MissingPackagesPermission, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1: a 403 on push although the job's token may write packages: the package does not grant \
                 the repository access",
        ..RULE
    },
    Rule {
        name: "blob-upload-403-ghcr",
        patterns: &[Any(&["forbidden", "status code 403"]), Status(403), Path(PathKind::BlobUpload), GITHUB_REGISTRY],
        unless: &[PasswordLogin],
        causes: &[
            (MissingPackagesPermission, Medium),
            (ActionsTokenNoAccess, Medium),
            (ForkPullRequest, Low),
            (NoWriteAccess, Low),
        ],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.1 (`POST /v2/O/N/blobs/uploads/` 401/403 = no push), §6.1; BuildKit in Actions: \
                 `unexpected status from POST request to https://ghcr.io/v2/O/N/blobs/uploads/: 403 Forbidden` when the \
                 job lacks `packages: write` (corpus dev/130, dev/133)",
        ..RULE
    },
    Rule {
        name: "manifest-put-403-ghcr",
        patterns: &[
            Any(&["forbidden", "status code 403"]),
            Status(403),
            Path(PathKind::Manifest),
            Any(&["put request", "put \"http", "put http", "patch request"]),
            GITHUB_REGISTRY,
        ],
        unless: &[PasswordLogin],
        causes: &[
            (MissingPackagesPermission, Medium),
            (ActionsTokenNoAccess, Medium),
            (ForkPullRequest, Low),
            (NoWriteAccess, Low),
        ],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.1, §6.1: a `PUT` of the manifest refused with 403 is a push without write access, like the \
                 blob upload",
        ..RULE
    },
    Rule {
        name: "oauth-token-403-while-pushing-in-actions",
        patterns: &[Has("failed to fetch oauth token"), Any(&["403", "forbidden"])],
        when: &[Push, Actions],
        unless: &[PullRequest],
        causes: &[(MissingPackagesPermission, Medium), (ActionsTokenNoAccess, Medium), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.1, §6.1: BuildKit asks the token endpoint for `pull,push` (in the `POST` body); in a workflow a \
                 403 there means the job's token may not write the package",
        ..RULE
    },
    Rule {
        name: "blob-head-403-ghcr",
        patterns: &[Any(&["forbidden", "status code 403"]), Status(403), Path(PathKind::Blob), GITHUB_REGISTRY],
        when: &[Push],
        unless: &[PasswordLogin],
        causes: &[
            (ActionsTokenNoAccess, Medium),
            (MissingPackagesPermission, Low),
            (ForkPullRequest, Low),
            (NoWriteAccess, Low),
        ],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1; BuildKit's `unexpected status from HEAD request to https://ghcr.io/v2/O/N/blobs/sha256:…: \
                 403 Forbidden` while pushing: a HEAD only reads, and a job token that may read packages is refused \
                 a read only when the package does not grant the repository access (corpus dev/002)",
        ..RULE
    },
    Rule {
        name: "push-bare-403",
        patterns: &[Bare("unexpected status: 403 forbidden")],
        when: &[Push],
        unless: &[PasswordLogin],
        causes: &[
            (MissingPackagesPermission, Medium),
            (ActionsTokenNoAccess, Medium),
            (ForkPullRequest, Low),
            (NoWriteAccess, Low),
        ],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §6.1; older BuildKit prints only `unexpected status: 403 Forbidden` after `pushing layers` \
                 (corpus dev/003)",
        ..RULE
    },
    Rule {
        name: "blob-upload-403",
        patterns: &[Has("blobs/upload"), Status(403)],
        causes: &[(NoWriteAccess, Medium), (InvalidReference, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: `POST /v2/O/N/blobs/uploads/` 401/403 = no push (radius-project#12623); invalid tag \
                 names also give 403 there (tue-robotics/tue-env#708)",
        ..RULE
    },
    Rule {
        name: "blob-upload-401",
        patterns: &[Has("blobs/upload"), Any(&["401", "unauthorized"])],
        unless: &[LoginSucceeded],
        causes: &[(NoCredentials, Medium), (NoWriteAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1 (401 on the upload = the push was not authenticated); crane `POST …/blobs/uploads/: \
                 UNAUTHORIZED` without a login (corpus dev/190)",
        ..RULE
    },
    // ---- GitLab --------------------------------------------------------------------------------
    Rule {
        name: "gitlab-access-forbidden",
        patterns: &[Has("denied: access forbidden")],
        causes: &[(GitlabAccessForbidden, High)],
        tier: Specific,
        source: "gitlab-facts §0 rows 3-4, §4 (`/jwt/auth` 403 `access forbidden`, as docker renders it)",
        ..RULE
    },
    Rule {
        name: "gitlab-http-basic-on-pull",
        patterns: &[Has("http basic: access denied"), Any(&["/manifests/", "/blobs/", "pull"])],
        causes: &[(StaleCredentials, High), (TokenInvalid, Low)],
        distinguishing_check: CREDENTIALS,
        tier: Specific,
        source: "gitlab-facts §0 row 2: `unauthorized: HTTP Basic: Access denied…` while pulling = stale stored credentials",
        ..RULE
    },
    Rule {
        name: "gitlab-http-basic-password",
        patterns: &[Has("http basic: access denied"), LacksAny(&["/manifests/", "/blobs/"])],
        when: &[PasswordLogin],
        causes: &[(GitlabTwoFactorPassword, Medium), (TokenInvalid, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §0 row 1, §3, §13: the same 401 for a wrong token and for the account password of a 2FA \
                 account; a typed password makes the 2FA case the likely one",
        ..RULE
    },
    Rule {
        name: "gitlab-http-basic",
        patterns: &[Has("http basic: access denied"), LacksAny(&["/manifests/", "/blobs/"])],
        causes: &[(TokenInvalid, Medium), (GitlabTwoFactorPassword, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §0 row 1, §4: `unauthorized: HTTP Basic: Access denied. If a password was provided…` at login",
        ..RULE
    },
    Rule {
        name: "gitlab-2fa-legacy",
        patterns: &[Has("must use a personal access token with 'api' scope")],
        causes: &[(GitlabTwoFactorPassword, High)],
        tier: Specific,
        source: "gitlab-facts §4: up to 2019 GitLab answered a 2FA account's password with `HTTP Basic: Access denied` / \
                 `You must use a personal access token with 'api' scope for Git over HTTP.`",
        ..RULE
    },
    Rule {
        name: "personal-access-token-required",
        patterns: &[Any(&["please use personal access token", "use a personal access token to log in"])],
        causes: &[(GitlabTwoFactorPassword, High), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "Docker Hub's equivalent of GitLab's 2FA refusal: `unauthorized: please use personal access token to login` \
                 (corpus dev/100); gitlab-facts §3 (2FA accounts need a token)",
        ..RULE
    },
    Rule {
        name: "gitlab-jwt-401-password",
        patterns: &[Has("jwt/auth"), Any(&["401", "unauthorized"])],
        when: &[PasswordLogin],
        causes: &[(GitlabTwoFactorPassword, Medium), (TokenInvalid, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §0 row 1, §13: containerd/nerdctl `failed to fetch oauth token: unexpected status from GET \
                 request to https://gitlab.com/jwt/auth?offline_token=true…: 401 Unauthorized` after a typed password \
                 (corpus dev/101)",
        ..RULE
    },
    Rule {
        name: "gitlab-jwt-401-with-scope",
        patterns: &[Has("jwt/auth"), Any(&["401", "unauthorized"]), NoPath(PathKind::TokenLogin)],
        causes: &[(StaleCredentials, Medium), (TokenInvalid, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §0 row 2, §2: a `/jwt/auth` request with a repository scope is a pull or push, not a login; its \
                 401 refuses the credentials docker stored",
        ..RULE
    },
    Rule {
        name: "gitlab-jwt-401",
        patterns: &[Has("jwt/auth"), Any(&["401", "unauthorized"])],
        causes: &[(TokenInvalid, Medium), (GitlabTwoFactorPassword, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §4: `/jwt/auth` answers 401 for any credential it does not accept",
        ..RULE
    },
    Rule {
        name: "gitlab-jwt-403",
        patterns: &[Has("jwt/auth"), Any(&["403", "forbidden"])],
        causes: &[(MissingRegistryScope, Medium), (GitlabAccessForbidden, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §0 row 3, §4: `/jwt/auth` 403 `access forbidden`: no scope that reaches the registry",
        ..RULE
    },
    Rule {
        name: "gitlab-runner-job-image-denied",
        patterns: &[
            Has("requested access to the resource is denied"),
            Any(&["with specified policies", "(manager.go:"]),
        ],
        causes: &[(JobTokenNotAllowed, High), (NoPackageAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §10: the runner pulls the job image with the job token; a project that does not allow this \
                 project's job token gives the generic `pull access denied … requested access to the resource is denied` \
                 (corpus dev/120, dev/121)",
        ..RULE
    },
    Rule {
        name: "gitlab-push-denied",
        patterns: &[Has("requested access to the resource is denied")],
        when: &[Gitlab, Push],
        causes: &[(MissingRegistryScope, Medium), (JobTokenNotAllowed, Medium), (NoWriteAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §0 row 6: a push refused with `denied: requested access to the resource is denied` = a token \
                 without `write_registry`, no Developer role, or a job token pushing to another project",
        ..RULE
    },
    Rule {
        name: "gitlab-api-403",
        patterns: &[Any(&["forbidden", "status"]), Has("/api/v4/"), Any(&["403", "forbidden"])],
        causes: &[(MissingScope, High), (MissingRegistryScope, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "gitlab-facts §12: tools that list projects need `read_api`; `Request to https://gitlab.com/api/v4/projects… \
                 failed with status 403: Forbidden` (microsoft/vscode-docker#3321)",
        ..RULE
    },
    Rule {
        name: "auth-required-after-gitlab-push",
        patterns: &[Has("authentication required")],
        when: &[PushProgress, Gitlab],
        unless: &[PasswordLogin],
        causes: &[(RegistryTokenExpired, High)],
        tier: Specific,
        source: "ghcr-facts §6.2, gitlab-facts §0 row 7: GitLab registry JWTs last 5 min (15 on GitLab.com); expiry during a \
                 long push shows `unauthorized: authentication required`",
        ..RULE
    },
    Rule {
        name: "auth-required-after-push",
        patterns: &[Has("unauthorized: authentication required")],
        when: &[PushProgress],
        causes: &[(RegistryTokenExpired, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §6.2 (registry token expiry mid-push), §1.1 (GHCR's UNAUTHORIZED `authentication required`)",
        ..RULE
    },
    Rule {
        name: "auth-required",
        patterns: &[Any(&[
            "unauthorized: authentication required",
            "authentication is required",
            ": authentication required",
        ])],
        causes: &[(NoCredentials, Medium), (RegistryTokenExpired, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: GHCR answers an unauthenticated request with UNAUTHORIZED `authentication required`; \
                 real-behaviour §3.5 (skopeo `errors:` list); Artifactory's `Authentication is required`",
        ..RULE
    },
    // ---- Registry answers: tag, rate limit, reference syntax ----------------------------------
    Rule {
        name: "oci-client-codes",
        patterns: &[Any(&["code: manifestunknown", "code: nameunknown", "image manifest not found"])],
        causes: &[(TagNotFound, High)],
        tier: Specific,
        source: "Rust OCI clients (oci-distribution/oci-client) print the registry's error in Debug form (`code: \
                 ManifestUnknown`), or `Image manifest not found`",
        ..RULE
    },
    Rule {
        name: "oci-client-unauthorized",
        patterns: &[Any(&["code: unauthorized", "not authorized: url", "authentication failure: "])],
        causes: &[(NoCredentials, Medium), (TokenInvalid, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "Rust OCI clients: `code: Unauthorized` in the error envelope, `Not authorized: url …`, `Authentication failure: …`",
        ..RULE
    },
    Rule {
        name: "oci-client-denied",
        patterns: &[Has("code: denied")],
        causes: &[(NoPackageAccess, Medium), (StaleCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "Rust OCI clients: `code: Denied` in the error envelope (ghcr-facts §1.1 DENIED)",
        ..RULE
    },
    Rule {
        name: "manifest-unknown",
        patterns: &[Any(&["manifest unknown", "manifest_unknown"])],
        causes: &[(TagNotFound, High)],
        tier: Specific,
        source: "ghcr-facts §0, §1.2, §5.4; real-behaviour §3.3 `manifest for X not found: manifest unknown: manifest unknown`, \
                 §3.5 skopeo `reading manifest T in X: manifest unknown`",
        ..RULE
    },
    Rule {
        name: "image-not-tagged-for-the-registry",
        patterns: &[Has("does not exist locally with the tag")],
        causes: &[(HostMismatch, Medium), (TagNotFound, Low)],
        distinguishing_check: Some(CheckId::GithubHost),
        tier: Specific,
        source: "docker push: `An image does not exist locally with the tag: ghcr.io/o/n`: the image was built or tagged under \
                 another name (ghcr-facts §3: it must start with `ghcr.io/OWNER/`)",
        ..RULE
    },
    Rule {
        name: "name-or-tag-invalid",
        patterns: &[Any(&["name invalid", "tag invalid", "name_invalid", "tag_invalid"])],
        causes: &[(InvalidReference, High)],
        tier: Specific,
        source: "the registry's `NAME_INVALID` / `TAG_INVALID` codes (distribution spec), as clients print them",
        ..RULE
    },
    Rule {
        name: "containerd-not-found",
        patterns: &[
            Bare(": not found"),
            Any(&["failed to resolve reference", "pull and unpack", ".io/", "oci://", ":5000/"]),
        ],
        causes: &[(TagNotFound, High)],
        tier: Specific,
        source: "ghcr-facts §1.2 `manifest unknown` as containerd/BuildKit/kubelet/helm render it (`failed to resolve \
                 reference \"R\": R: not found`; corpus dev/282)",
        ..RULE
    },
    Rule {
        name: "manifest-404",
        patterns: &[Any(&["not found", "status"]), Status(404), Path(PathKind::Manifest)],
        causes: &[(TagNotFound, High)],
        tier: Specific,
        source: "real-behaviour §3.4 (a missing tag answers 404 MANIFEST_UNKNOWN) in the wording of clients that print the \
                 status (`response status code 404`, `unexpected status code …/manifests/T: 404 Not Found`)",
        ..RULE
    },
    Rule {
        name: "image-not-found-v1",
        patterns: &[Has("error: image "), Bare(" not found")],
        causes: &[(NoPackageAccess, Medium), (NoCredentials, Medium), (TagNotFound, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "docker 1.x: `Error: image o/n:latest not found` for a missing or private repository",
        ..RULE
    },
    Rule {
        name: "tag-not-found-v1",
        patterns: &[Any(&["not found in repository", "tag not found", "manifest not found"])],
        causes: &[(TagNotFound, High)],
        tier: Specific,
        source: "docker 1.x: `Tag latest not found in repository docker.io/o/n`; ghcr-facts §5.4 (`manifest for X not \
                 found`)",
        ..RULE
    },
    Rule {
        name: "no-matching-platform",
        patterns: &[Any(&["no matching manifest for", "does not provide the specified platform"])],
        causes: &[(TagNotFound, Medium)],
        tier: Specific,
        source: "the tag exists but has no manifest for this platform (`no matching manifest for linux/arm64/v8 in the \
                 manifest list entries`); tag-not-found is the closest cause",
        ..RULE
    },
    Rule {
        name: "name-unknown",
        patterns: &[Any(&["name unknown", "name_unknown", "repository name not known to registry"])],
        causes: &[(TagNotFound, Medium), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §5.4: `NameUnknown` → `repository X not found: ...`; gitlab-facts §1 (`NAME_UNKNOWN` \
                 `repository name not known to registry`); GHCR itself reports missing repos as unauthorized/denied",
        ..RULE
    },
    Rule {
        name: "too-many-requests",
        patterns: &[Any(&[
            "toomanyrequests",
            "too many requests",
            "rate limit",
            "ratelimit",
            "rate-limit",
            "pull qps exceeded",
        ])],
        causes: &[(RateLimited, High)],
        tier: Specific,
        source: "ghcr-facts §0, §1.2: `toomanyrequests: retry-after: ..., allowed: 44000/minute`, HTTP 429; Docker Hub's \
                 `You have reached your pull rate limit`; oras-py and Jib `Too Many Requests` (corpus dev/236, dev/241)",
        ..RULE
    },
    Rule {
        name: "retry-after-allowed",
        patterns: &[Has("retry-after:"), Has("allowed:")],
        causes: &[(RateLimited, High)],
        tier: Specific,
        source: "ghcr-facts §1.2: GHCR's rate-limit message `retry-after: 1.889377ms, allowed: 2000/minute` without its code \
                 (oras-py logger, corpus dev/236)",
        ..RULE
    },
    Rule {
        name: "status-429",
        patterns: &[Has("status"), Status(429)],
        causes: &[(RateLimited, High)],
        tier: Specific,
        source: "ghcr-facts §1.2: HTTP `429 Too Many Requests` as a bare status (`response status code 429`)",
        ..RULE
    },
    Rule {
        name: "invalid-reference",
        patterns: &[Any(&[
            "invalid reference format",
            "must be lowercase",
            "could not parse reference",
            "invalid repository name",
            "repository name must have",
            "invalid tag format",
            "is not a valid repository/tag",
            "invalid reference:",
            "invalid_reference",
            "invalid image name",
        ])],
        causes: &[(InvalidReference, High)],
        tier: Specific,
        source: "ghcr-facts §3 (owner/name must be lower case); docker's `invalid reference format: repository name must be \
                 lowercase`, buildx `invalid tag \"…\": repository name must be lowercase` (corpus dev/112-118)",
        ..RULE
    },
    Rule {
        name: "short-name-not-resolved",
        patterns: &[Any(&["did not resolve to an alias", "short-name resolution"])],
        causes: &[(HostMismatch, Medium), (InvalidReference, Medium)],
        distinguishing_check: Some(CheckId::GithubHost),
        tier: Specific,
        source: "podman/buildah: `short-name \"app\" did not resolve to an alias and no unqualified-search registries are \
                 defined`: the image name lacks its registry host (`ghcr.io/OWNER/…`)",
        ..RULE
    },
    Rule {
        name: "host-parsed-as-image-name",
        patterns: &[Has("docker.io/library/"), HostAsName],
        causes: &[(InvalidReference, High)],
        tier: Specific,
        source: "skopeo/containers-image: `docker://registry.localhost:5000` names no repository, so it reads as \
                 `docker.io/library/registry.localhost` with tag `5000` (corpus dev/117)",
        ..RULE
    },
    // ---- docker login and the token endpoint ---------------------------------------------------
    Rule {
        name: "ping-refused-while-pulling",
        patterns: &[AnyBare(&[
            "/v2/\": denied",
            "/v2/: denied",
            "/v2/\": unauthorized",
            "/v2/: unauthorized",
            "/v2/\": denied: denied",
            "/v2/: denied: denied",
            "/v2/\": unauthorized: incorrect username or password",
            "/v2/: unauthorized: incorrect username or password",
            "/v2/\": unauthorized: bad username or password",
            "/v2/: unauthorized: bad username or password",
        ])],
        when: &[Pull],
        unless: &[LoginCommand],
        causes: &[(StaleCredentials, High), (TokenInvalid, Low)],
        distinguishing_check: CREDENTIALS,
        tier: Specific,
        source: "ghcr-facts §5.2: a pull starts at `GET /v2/` with the stored credentials; when no login was run, a refusal \
                 there (`Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password`) is the \
                 stored login going stale",
        ..RULE
    },
    Rule {
        name: "login-denied-denied",
        patterns: &[Any(&["/v2/\": denied: denied", "/v2/: denied: denied"])],
        causes: &[(TokenInvalid, High), (MissingScope, Low)],
        distinguishing_check: Some(CheckId::TokenScopes),
        tier: Specific,
        source: "ghcr-facts §0, §1.2: login `Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied` \
                 (old engines: no quotes); real-behaviour §3.3 ghcr403, §3.9 (bad or under-scoped PAT)",
        ..RULE
    },
    Rule {
        name: "login-denied",
        patterns: &[AnyBare(&["/v2/\": denied", "/v2/: denied"])],
        causes: &[(TokenInvalid, High), (MissingScope, Low)],
        distinguishing_check: Some(CheckId::TokenScopes),
        tier: Specific,
        source: "real-behaviour §3.3 denied-default: login `Error response from daemon: Get \".../v2/\": denied`",
        ..RULE
    },
    Rule {
        name: "login-unauthorized",
        patterns: &[AnyBare(&["/v2/\": unauthorized", "/v2/: unauthorized"])],
        causes: &[(TokenInvalid, High)],
        tier: Specific,
        source: "real-behaviour §3.3: token endpoint's UNAUTHORIZED default message collapses to bare `unauthorized` on \
                 `Get \".../v2/\"` (docker login)",
        ..RULE
    },
    Rule {
        name: "login-token-refused",
        patterns: &[
            Any(&["denied", "unauthorized", "forbidden", "status"]),
            Path(PathKind::TokenLogin),
            NoPath(PathKind::JwtAuth),
        ],
        causes: &[(TokenInvalid, High), (StaleCredentials, Low)],
        distinguishing_check: Some(CheckId::GhAuth),
        tier: Specific,
        source: "ghcr-facts §5.2: a login asks the token endpoint for no repository scope; a refusal there means bad \
                 credentials (`GET https://ghcr.io/token?service=ghcr.io: DENIED: denied`, corpus dev/296)",
        ..RULE
    },
    Rule {
        name: "login-bad-password",
        patterns: &[Any(&["bad username or password", "incorrect username or password"]), Lacks("/manifests/")],
        causes: &[(TokenInvalid, High), (StaleCredentials, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        tier: Specific,
        source: "real-behaviour §3.3 (login: `Get \".../v2/\": unauthorized: bad username or password`), §3.5 (skopeo \
                 `unable to retrieve auth token: invalid username/password: unauthorized: ...`)",
        ..RULE
    },
    Rule {
        name: "pull-bad-password",
        patterns: &[Any(&["bad username or password", "incorrect username or password"]), Has("/manifests/")],
        causes: &[(StaleCredentials, High)],
        tier: Specific,
        source: "real-behaviour §3.3: stored wrong password on pull `Head \".../manifests/T\": unauthorized: bad username or \
                 password` (also for public images)",
        ..RULE
    },
    Rule {
        name: "podman-login-invalid",
        patterns: &[Has("invalid username/password"), Any(&["logging into", "login"])],
        causes: &[(TokenInvalid, High), (StaleCredentials, Low)],
        distinguishing_check: Some(CheckId::GhAuth),
        tier: Specific,
        source: "gitlab-facts §0 row 10: podman `logging into \"HOST\": invalid username/password`",
        ..RULE
    },
    Rule {
        name: "invalid-username-password-anonymous",
        patterns: &[Has("invalid username/password"), Any(&["authentication is required", "authentication required"])],
        causes: &[(NoCredentials, High), (CredentialHelperError, Low)],
        distinguishing_check: CREDENTIALS,
        tier: Specific,
        source: "containers/image: `unable to retrieve auth token: invalid username/password: unknown: Authentication is \
                 required`: the registry saw no credentials at all (corpus dev/197)",
        ..RULE
    },
    Rule {
        name: "invalid-username-password-on-pull",
        patterns: &[
            Has("invalid username/password"),
            Any(&["/manifests/", "reading manifest", "initializing source", "pulling", "trying to pull"]),
        ],
        causes: &[(StaleCredentials, Medium), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "real-behaviour §3.5: containers/image refusing the stored credentials while pulling (the login itself is \
                 not being made): stale credentials, as `bad username or password` on a manifest",
        ..RULE
    },
    Rule {
        name: "invalid-username-password",
        patterns: &[Has("invalid username/password")],
        causes: &[(TokenInvalid, Medium), (StaleCredentials, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "real-behaviour §3.5: skopeo/containers-image `unable to retrieve auth token: invalid username/password: \
                 unauthorized`",
        ..RULE
    },
    Rule {
        name: "v1-wrong-login",
        patterns: &[Has("wrong login/password")],
        causes: &[(TokenInvalid, High)],
        tier: Specific,
        source: "docker 1.x's v1 login: `Wrong login/password, please try again`",
        ..RULE
    },
    Rule {
        name: "stored-credentials-invalid",
        patterns: &[Has("stored credentials invalid or expired")],
        causes: &[(StaleCredentials, Medium)],
        tier: Specific,
        source: "ghcr-facts §5.2: re-login with stored creds prints `Stored credentials invalid or expired` (a consequence: the \
                 error of the new login says why, corpus dev/100)",
        ..RULE
    },
    Rule {
        name: "login-attempt-failed-401",
        patterns: &[Has("login attempt to"), Any(&["failed with status: 401", "failed with status: 403"])],
        causes: &[(TokenInvalid, High)],
        tier: Specific,
        source: "ghcr-facts §5.2: `login attempt to https://ghcr.io/v2/ failed with status: 401 Unauthorized`",
        ..RULE
    },
    Rule {
        name: "non-tty-login",
        patterns: &[Has("cannot perform an interactive login from a non")],
        causes: &[(NonTtyLogin, High)],
        tier: Specific,
        source: "ghcr-facts §5.1: `Error: Cannot perform an interactive login from a non TTY device` / current \
                 `error: cannot perform an interactive login from a non-TTY device`; real-behaviour §3.8",
        ..RULE
    },
    Rule {
        name: "password-stdin-needs-username",
        patterns: &[Has("--password-stdin option requires --username")],
        causes: &[(NonTtyLogin, Medium)],
        source: "ghcr-facts §5.1: `the --password-stdin option requires --username to be set` (scripted login without \
                 -u; mapped to non-tty-login, the closest cause)",
        ..RULE
    },
    Rule {
        name: "plaintext-auth-in-config",
        patterns: &[Any(&["\"auth\": \"", "\"auth\":\""])],
        causes: &[(PlaintextCredentials, Low)],
        source: "ghcr-facts §5.1: config.json's `auths` entries hold `{\"auth\": base64(\"user:token\")}` when no credential \
                 helper is configured (the value is masked when quoted)",
        ..RULE
    },
    Rule {
        name: "plaintext-credentials",
        patterns: &[Any(&[
            "will be stored unencrypted",
            "credentials are stored unencrypted",
            "stored in plain text",
            "stored in plaintext",
        ])],
        causes: &[(PlaintextCredentials, Low)],
        source: "ghcr-facts §5.1: `WARNING! Your password will be stored unencrypted in ...` (<28) / `WARNING! Your \
                 credentials are stored unencrypted in '...'` (>=28); a warning, not why a pull fails",
        ..RULE
    },
    // ---- Pull/push refusals that several causes produce ------------------------------------------
    Rule {
        name: "token-endpoint-denied-denied",
        patterns: &[Has("denied: denied"), Path(PathKind::Token), NoPath(PathKind::TokenLogin)],
        causes: &[(StaleCredentials, High), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §1.1: go-containerregistry `GET https://ghcr.io/token?scope=...: DENIED: denied` \
                 (stale credentials, sigstore/scaffolding#127); helm `response status code 403: denied: denied`",
        ..RULE
    },
    Rule {
        name: "denied-denied-after-login",
        patterns: &[Has("denied: denied")],
        when: &[LoginSucceeded],
        causes: &[(NoPackageAccess, High), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §5.2: a fresh `Login Succeeded` rules out stale credentials; the token has no access",
        ..RULE
    },
    Rule {
        name: "denied-denied",
        patterns: &[Has("denied: denied")],
        causes: &[(StaleCredentials, Medium), (NoPackageAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §0, §1.2: `Head \"https://ghcr.io/v2/O/N/manifests/T\": denied: denied` = stale stored \
                 credentials (even for public images, fixed by `docker logout ghcr.io`) or no access; real-behaviour §3.3 ghcr403",
        ..RULE
    },
    Rule {
        name: "bare-denied-after-login",
        patterns: &[
            AnyBare(&["daemon: denied", "error from registry: denied", "\": denied", ": denied"]),
            Lacks("denied: denied"),
        ],
        when: &[LoginSucceeded],
        causes: &[(NoPackageAccess, High), (MissingScope, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2, §5.2: `Login Succeeded` then pull `Error response from daemon: denied` (token valid, \
                 no access; ekalinin/awsping#15)",
        ..RULE
    },
    Rule {
        name: "bare-denied",
        patterns: &[AnyBare(&["daemon: denied", "error from registry: denied", "\": denied"])],
        causes: &[(NoPackageAccess, Medium), (StaleCredentials, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §0, §1.2: `Error response from daemon: denied`, containerd store `error from registry: \
                 denied`; real-behaviour §3.3 denied-default `Head \"...\": denied`",
        ..RULE
    },
    Rule {
        name: "bare-denied-on-a-manifest",
        patterns: &[
            Bare(": denied"),
            Any(&["/manifests/", "reading manifest", "initializing source", "error reading"]),
            Lacks("denied: denied"),
        ],
        causes: &[(NoPackageAccess, Medium), (StaleCredentials, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2 `denied` on a manifest as old engines (no quotes, corpus dev/210) and podman/skopeo \
                 (`reading manifest T in ghcr.io/O/N: denied`) print it",
        ..RULE
    },
    Rule {
        name: "manifest-head-unauthorized",
        patterns: &[AnyBare(&["\": unauthorized", "error from registry: unauthorized"])],
        causes: &[(NoCredentials, High), (StaleCredentials, Low), (SsoNotAuthorized, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §0, §1.2: `Head \"https://ghcr.io/v2/O/N/manifests/T\": unauthorized` (anonymous pull of a \
                 private or missing package; compose v1 `ERROR: Head ...`), containerd `error from registry: \
                 unauthorized`; real-behaviour §3.3 anon-reject (also stale creds)",
        ..RULE
    },
    Rule {
        name: "manifest-url-unauthorized",
        patterns: &[Bare(": unauthorized"), Any(&["/manifests/", "reading manifest", "initializing source"])],
        causes: &[(NoCredentials, High), (StaleCredentials, Low), (SsoNotAuthorized, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2: the same bare `unauthorized` on a manifest URL as old engines and podman print it",
        ..RULE
    },
    Rule {
        name: "daemon-unauthorized",
        patterns: &[Bare("daemon: unauthorized")],
        causes: &[(NoCredentials, Medium), (SsoNotAuthorized, Medium), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2: cli/cli#5174 attributes `Error response from daemon: unauthorized` to an SSO org \
                 (UNCONFIRMED for ghcr.io)",
        ..RULE
    },
    Rule {
        name: "manifest-401",
        patterns: &[Any(&["unauthorized", "status"]), Status(401), Path(PathKind::Manifest)],
        unless: &[LoginSucceeded],
        causes: &[(NoCredentials, High), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1, §1.2: 401 on a manifest = the pull was anonymous (kubelet `unexpected status code \
                 …/manifests/T: 401 Unauthorized`, corpus dev/176)",
        ..RULE
    },
    Rule {
        name: "requested-access-denied-after-login",
        patterns: &[Has("requested access to the resource is denied")],
        when: &[LoginSucceeded],
        causes: &[(NoPackageAccess, High), (MissingScope, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.3: `pull access denied for X, repository does not exist or may require 'docker login': \
                 denied: requested access to the resource is denied` with a valid login = no pull right",
        ..RULE
    },
    Rule {
        name: "push-denied-to-another-registry",
        patterns: &[Any(&[
            "requested access to the resource is denied",
            "insufficient_scope",
            "denied",
            "unauthorized",
        ])],
        when: &[Push, PushedElsewhere],
        causes: &[(HostMismatch, High), (NoWriteAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ghcr-facts §3: an image tagged without `ghcr.io/` is pushed to Docker Hub, which the `ghcr.io` login does \
                 not cover (docker/build-push-action#363)",
        ..RULE
    },
    Rule {
        name: "requested-access-denied",
        patterns: &[Has("requested access to the resource is denied")],
        causes: &[(NoCredentials, Medium), (NoPackageAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.3, §3.7, pitfall 10: not logged in, logged in without pull right and missing repo all give \
                 `... denied: requested access to the resource is denied`; ghcr-facts §1.1 (crane `DENIED: requested \
                 access...` at /token), real-behaviour §3.5 (skopeo `errors:`)",
        ..RULE
    },
    Rule {
        name: "pull-access-denied-hub-name",
        patterns: &[Bare("may require 'docker login'")],
        causes: &[(NoPackageAccess, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §5.4: `pull access denied for X, repository does not exist or may require 'docker login'` with \
                 no registry message: older engines on Docker Hub, usually a wrong image name (corpus dev/207, dev/208)",
        ..RULE
    },
    Rule {
        name: "pull-access-denied-other",
        patterns: &[Has("pull access denied")],
        causes: &[(NoCredentials, Low), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §5.4: classic engine prefix `pull access denied for X, repository does not exist or may \
                 require 'docker login': <registry message>`, fallback when the message is not known",
        ..RULE
    },
    Rule {
        name: "no-pull-access",
        patterns: &[Has("does not exist or no pull access")],
        causes: &[(NoPackageAccess, Medium), (NoCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "docker 1.13: `repository O/N not found: does not exist or no pull access` (corpus dev/206)",
        ..RULE
    },
    Rule {
        name: "insufficient-scope",
        patterns: &[Has("insufficient_scope")],
        causes: &[(NoCredentials, Medium), (NoPackageAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.4: a token without the requested access gets `error=\"insufficient_scope\"`; helm, \
                 containerd and oras `server message: insufficient_scope: authorization failed`",
        ..RULE
    },
    Rule {
        name: "not-authorized-to-the-resource",
        patterns: &[Has("access to the requested resource is not authorized")],
        causes: &[(NoCredentials, Medium), (NoWriteAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "Quay's UNAUTHORIZED `access to the requested resource is not authorized` (corpus dev/190)",
        ..RULE
    },
    Rule {
        name: "cloud-registry-no-permission",
        patterns: &[Any(&[
            "you don't have the needed permissions",
            "is not authorized to perform",
            "permission \"artifactregistry.",
        ])],
        causes: &[(NoPackageAccess, Medium), (NoCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "Google Container/Artifact Registry and ECR refusals (`unauthorized: You don't have the needed permissions to \
                 perform this operation, and you may have invalid credentials.`, corpus dev/106)",
        ..RULE
    },
    Rule {
        name: "unauthenticated-request",
        patterns: &[Has("unauthenticated request")],
        causes: &[(NoCredentials, High)],
        tier: Specific,
        source: "Artifact Registry's `denied: Unauthenticated request. Unauthenticated requests do not have permission …`",
        ..RULE
    },
    Rule {
        name: "registry-authorization-expired",
        patterns: &[Has("authorization token has expired")],
        causes: &[(StaleCredentials, Medium), (RegistryTokenExpired, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "ECR's `Your authorization token has expired. Reauthenticate and try again.` (its login lasts 12 hours)",
        ..RULE
    },
    Rule {
        name: "login-action-no-secret-in-a-pull-request",
        patterns: &[Has("username and password required")],
        when: &[PullRequest],
        causes: &[(ForkPullRequest, High), (NoCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "docker/login-action's `Username and password required`: the secrets were empty, as they are for pull \
                 requests from forks",
        ..RULE
    },
    Rule {
        name: "login-action-no-secret",
        patterns: &[Has("username and password required")],
        causes: &[(NoCredentials, Medium), (ForkPullRequest, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "docker/login-action's `Username and password required`: the secret it was given is empty or missing",
        ..RULE
    },
    Rule {
        name: "jib-credentials",
        patterns: &[Any(&["make sure your credentials for", "unauthorized for "])],
        causes: &[(NoCredentials, Medium), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "Jib's `Unauthorized for ghcr.io/o/n` / `perhaps you should make sure your credentials for 'ghcr.io/o/n' are \
                 set up correctly`",
        ..RULE
    },
    Rule {
        name: "no-basic-auth-credentials",
        patterns: &[Has("no basic auth credentials")],
        causes: &[(NoCredentials, High)],
        tier: Specific,
        source: "docker's `no basic auth credentials`: nothing stored for the registry (legacy docker.pkg.github.com, \
                 corpus dev/168, dev/188)",
        ..RULE
    },
    Rule {
        name: "anonymous-token-refused",
        patterns: &[Has("failed to fetch anonymous token")],
        causes: &[(NoCredentials, High)],
        source: "ghcr-facts §1.1 (anonymous token request for a private or missing repo is refused) as \
                 containerd/BuildKit/kubelet/helm word it when no credentials are configured",
        ..RULE
    },
    Rule {
        name: "oauth-token-403",
        patterns: &[Has("failed to fetch oauth token"), Any(&["403", "forbidden"])],
        causes: &[(StaleCredentials, Medium), (NoPackageAccess, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: BuildKit/containerd `failed to authorize: failed to fetch oauth token: unexpected \
                 status from GET request to https://ghcr.io/token?...: 403 Forbidden`",
        ..RULE
    },
    Rule {
        name: "oauth-token-401",
        patterns: &[Has("failed to fetch oauth token"), Any(&["401", "unauthorized"])],
        causes: &[(StaleCredentials, Medium), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "ghcr-facts §1.1 (the token endpoint refuses Basic credentials) in BuildKit's wording",
        ..RULE
    },
    Rule {
        name: "token-403",
        patterns: &[Any(&["forbidden", "denied", "status"]), Path(PathKind::Token), NoPath(PathKind::TokenLogin)],
        causes: &[(StaleCredentials, Medium), (NoPackageAccess, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: the token endpoint refuses stale credentials and private or missing repositories with \
                 403 DENIED, in any client's wording",
        ..RULE
    },
    Rule {
        name: "manifest-403",
        patterns: &[Any(&["forbidden", "status"]), Status(403), Path(PathKind::Manifest)],
        causes: &[(NoPackageAccess, Medium), (StaleCredentials, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.9: newer daemons `failed to resolve reference \"ghcr.io/...\": unexpected status from HEAD \
                 request to https://ghcr.io/v2/.../manifests/...: 403 Forbidden` (jbenshetler/mcp-ragex#2)",
        ..RULE
    },
    Rule {
        name: "login-bearer-token-refused",
        patterns: &[
            Any(&["requesting bearer token", "requesting bear token"]),
            Any(&["authenticating creds for", "logging into"]),
        ],
        causes: &[(TokenInvalid, High), (StaleCredentials, Low)],
        distinguishing_check: Some(CheckId::GhAuth),
        tier: Specific,
        source: "podman login: `Error: authenticating creds for \"ghcr.io\": Requesting bearer token: invalid status code from \
                 registry 403 (Forbidden)`: the token endpoint refused the credentials being logged in",
        ..RULE
    },
    Rule {
        name: "bearer-token-403-gitlab",
        patterns: &[Any(&["requesting bearer token", "requesting bear token"]), Any(&["403", "forbidden"])],
        when: &[Gitlab],
        causes: &[(NoPackageAccess, Medium), (NoCredentials, Medium), (GitlabAccessForbidden, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "gitlab-facts §0 rows 3, 4, 9, §4: GitLab's `/jwt/auth` answers bad credentials with 401 and no access \
                 (anonymous on a private project, a token without a registry scope) with 403",
        ..RULE
    },
    Rule {
        name: "bearer-token-403",
        patterns: &[Any(&["requesting bearer token", "requesting bear token"]), Any(&["403", "forbidden"])],
        causes: &[(StaleCredentials, Medium), (NoCredentials, Medium), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1 (skopeo `Requesting bearer token: received unexpected HTTP status: 403 Forbidden`); \
                 real-behaviour §3.5 (`invalid status code from registry 403 (Forbidden)`: wrong password or anonymous); \
                 older containers/image wrote `bear token`",
        ..RULE
    },
    Rule {
        name: "bearer-token-401",
        patterns: &[Any(&["requesting bearer token", "requesting bear token"]), Any(&["401", "unauthorized"])],
        causes: &[(StaleCredentials, Medium), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "gitlab-facts §0 row 10: the token endpoint's 401 as containers/image words it",
        ..RULE
    },
    Rule {
        name: "invalid-token",
        patterns: &[Has("denied: invalid token")],
        causes: &[(StaleCredentials, Medium), (RegistryTokenExpired, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: GHCR rejects a bearer token on a manifest request with DENIED `invalid token` \
                 (keel-hq/keel#632)",
        ..RULE
    },
    Rule {
        name: "token-has-expired",
        patterns: &[Any(&["your token has expired", "token has expired", "token is expired"])],
        causes: &[(RegistryTokenExpired, Medium), (StaleCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §8: `unauthorized: Your token has expired` (UNCONFIRMED, a single README)",
        ..RULE
    },
    Rule {
        name: "status-401",
        patterns: &[Any(&["unauthorized", "status"]), Status(401)],
        causes: &[(NoCredentials, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §1.1: a registry's 401 = not authenticated (fallback for wordings not listed)",
        ..RULE
    },
    Rule {
        name: "status-403",
        patterns: &[Any(&["forbidden", "status"]), Status(403)],
        causes: &[(NoPackageAccess, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §1.1: a registry's 403 = authenticated without access, or refused credentials (fallback)",
        ..RULE
    },
    Rule {
        name: "unauthorized-other-message",
        patterns: &[Has("unauthorized: ")],
        causes: &[(NoCredentials, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §0 row 1: a registry's UNAUTHORIZED with a message not listed (fallback)",
        ..RULE
    },
    Rule {
        name: "denied-other-message",
        patterns: &[Has("denied: "), Lacks("permission denied")],
        causes: &[(NoPackageAccess, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §0 row 2: a registry's DENIED with a message not listed (fallback)",
        ..RULE
    },
    Rule {
        name: "bare-forbidden",
        patterns: &[
            AnyBare(&["\": forbidden", ": forbidden"]),
            Any(&["registry", "/v2/", "pull", "push", "image", "manifest", "daemon"]),
        ],
        causes: &[(NoPackageAccess, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §1.1: a bare 403 `Forbidden` from a registry (fallback)",
        ..RULE
    },
    Rule {
        name: "bare-unauthorized",
        patterns: &[Bare("unauthorized"), Any(&["registry", "/v2/", "pull", "push", "image", "manifest", "daemon"])],
        causes: &[(NoCredentials, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §0 row 1: a registry's bare `unauthorized` (fallback for framings not listed)",
        ..RULE
    },
    Rule {
        name: "bare-denied-fallback",
        patterns: &[
            Bare("denied"),
            Any(&["registry", "/v2/", "pull", "push", "image", "manifest", "daemon"]),
            Lacks("permission denied"),
        ],
        causes: &[(NoPackageAccess, Low), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Fallback,
        source: "ghcr-facts §0 row 2: a registry's bare `denied` (fallback for framings not listed)",
        ..RULE
    },
    // ---- Registry availability ----------------------------------------------------------------------
    Rule {
        name: "registry-5xx",
        patterns: &[
            Any(&[
                "received unexpected http status: 5",
                "invalid status code from registry 5",
                "status",
                "server error",
                "bad gateway",
                "service unavailable",
                "gateway time",
            ]),
            StatusIn(500, 599),
            NoPath(PathKind::DaemonApi),
        ],
        causes: &[(RegistryUnavailable, High)],
        tier: Specific,
        source: "real-behaviour §3.3 force500 `received unexpected HTTP status: 500 Internal Server Error`; §3.5 skopeo \
                 `invalid status code from registry 500 (Internal Server Error)`; Docker Hub 503 (corpus dev/252)",
        ..RULE
    },
    Rule {
        name: "http-5xx",
        patterns: &[
            Any(&[
                "500 internal server error",
                "502 bad gateway",
                "503 service unavailable",
                "504 gateway time",
                "service unavailable",
                "service temporarily unavailable",
                "bad gateway",
                "gateway time-out",
                "gateway timeout",
                "our services aren't available right now",
                "we're having a really bad day",
            ]),
            NoPath(PathKind::DaemonApi),
        ],
        causes: &[(RegistryUnavailable, Medium)],
        source: "real-behaviour §3.3 (5xx from the token endpoint) in other tools' wording",
        ..RULE
    },
    Rule {
        name: "v1-registry-fallback",
        patterns: &[Has("can't talk to a v1 container registry")],
        causes: &[(RegistryUnavailable, High), (Network, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "containers/image falls back to the v1 protocol only when `/v2/` did not answer: the registry was not \
                 reachable as a registry (corpus dev/257)",
        ..RULE
    },
    // ---- docker daemon ---------------------------------------------------------------------------
    Rule {
        name: "daemon-unreachable",
        patterns: &[Any(&[
            "cannot connect to the docker daemon",
            "failed to connect to the docker api at",
            "docker daemon is not running",
            "is 'docker -d' running",
            "docker desktop is not running",
            "an error occurred trying to connect",
            "cannot connect to podman",
            "unable to connect to podman",
            "docker desktop is unable to start",
            "docker desktop failed to start",
        ])],
        causes: &[(DaemonUnreachable, High)],
        tier: Target,
        source: "ghcr-facts §0, §5.3; real-behaviour §2.1: `Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is \
                 the docker daemon running?`; v29 `failed to connect to the docker API at ...`; docker 1.x wording",
        ..RULE
    },
    Rule {
        name: "daemon-hint-tls",
        patterns: &[Has("trying to connect to a tls-enabled daemon without tls")],
        causes: &[(DaemonUnreachable, High)],
        source: "docker 1.x adds `Are you trying to connect to a TLS-enabled daemon without TLS?` to any socket error; the \
                 error before it decides (a `permission denied` is the socket's permission)",
        ..RULE
    },
    Rule {
        name: "daemon-hint-elevated",
        patterns: &[Any(&["must be run with elevated privileges", "must be run elevated"])],
        causes: &[(DaemonPermission, Medium), (DaemonUnreachable, Medium)],
        distinguishing_check: Some(CheckId::DockerDaemon),
        source: "ghcr-facts §5.3: Windows adds `the docker client must be run with elevated privileges to connect` to any pipe \
                 error; the pipe's own error (`Access is denied` or `cannot find the file specified`) decides",
        ..RULE
    },
    Rule {
        name: "error-during-connect",
        patterns: &[Has("error during connect")],
        causes: &[(DaemonUnreachable, High), (Network, Low)],
        distinguishing_check: Some(CheckId::DockerDaemon),
        tier: Target,
        source: "ghcr-facts §5.3: the CLI's `error during connect: …` frames a failure to reach the daemon itself (dind \
                 service missing, wrong `DOCKER_HOST`, Docker Desktop not running; corpus dev/066-073)",
        ..RULE
    },
    Rule {
        name: "daemon-endpoint-missing",
        patterns: &[
            Any(&["docker.sock", "docker.raw.sock", "docker_engine", "%2fpipe%2fdocker", "dockerdesktoplinuxengine"]),
            Any(&[
                "no such file or directory",
                "cannot find the file specified",
                "connection refused",
                "指定されたファイルが見つかりません",
            ]),
        ],
        causes: &[(DaemonUnreachable, High)],
        tier: Target,
        source: "ghcr-facts §5.3: the daemon's socket or named pipe is missing (`dial unix /var/run/docker.sock: connect: no \
                 such file or directory`, `open \\\\.\\pipe\\docker_engine: The system cannot find the file specified.`)",
        ..RULE
    },
    Rule {
        name: "docker-api-route-error",
        patterns: &[Has("for api route and version")],
        causes: &[(DaemonUnreachable, High)],
        tier: Target,
        source: "Docker Desktop's `request returned 500 Internal Server Error for API route and version http://%2F%2F.%2Fpipe%2F…`: \
                 the CLI reached Docker Desktop but not a running engine",
        ..RULE
    },
    Rule {
        name: "daemon-permission",
        patterns: &[Any(&[
            "permission denied while trying to connect to the docker",
            "docker.sock: connect: permission denied",
            "docker.sock: permission denied",
        ])],
        causes: &[(DaemonPermission, High)],
        tier: Target,
        source: "ghcr-facts §0, §5.3; real-behaviour §2.3: `permission denied while trying to connect to the Docker daemon socket \
                 at ...` (<=28) / `... to the docker API at ...` (v29+); docker 1.x `dial unix …docker.sock: permission \
                 denied`; Windows elevated-privileges wording",
        ..RULE
    },
    Rule {
        name: "daemon-pipe-access-denied",
        patterns: &[
            Any(&["docker_engine", "%2fpipe%2fdocker"]),
            Any(&["access is denied", "アクセスが拒否されました"]),
        ],
        causes: &[(DaemonPermission, High)],
        tier: Target,
        source: "ghcr-facts §5.3: Windows `open //./pipe/docker_engine: Access is denied.` (not in docker-users / not elevated)",
        ..RULE
    },
    // ---- credential helpers ------------------------------------------------------------------------
    Rule {
        name: "credential-helper-missing",
        patterns: &[
            Any(&["exec: \"docker-credential-", "exec: docker-credential-", "docker-credential-"]),
            Any(&["executable file not found", "resolves to executable in current directory"]),
            LacksAny(&["exec: \"pass\"", "exec: \"gpg", "exec: \"security\"", "exec: \"dbus"]),
        ],
        causes: &[(CredentialHelperMissing, High)],
        tier: Target,
        source: "ghcr-facts §0, §5.1; real-behaviour §3.7: `error getting credentials - err: exec: \"docker-credential-desktop\": \
                 executable file not found in $PATH, out: ``` and the 20.10 `resolves to executable in current \
                 directory` variant",
        ..RULE
    },
    Rule {
        name: "helper-not-found-on-erase",
        patterns: &[Has("erasing credentials"), Has("credentials not found in native keychain")],
        causes: &[],
        tier: Target,
        source: "ghcr-facts §5.1: the helpers' not-found answer on `docker logout` only says nothing was stored (corpus \
                 dev/308)",
        ..RULE
    },
    Rule {
        name: "helper-raw-keychain-not-found-on-erase",
        patterns: &[Has("erasing credentials"), Any(&["could not be found in the keychain", "element not found"])],
        causes: &[(ClientBug, Low), (CredentialHelperError, Low)],
        distinguishing_check: CREDENTIALS,
        tier: Target,
        source: "docker/docker-credential-helpers#59, docker/cli#204: old osxkeychain helpers passed the keychain's own \
                 not-found text, and the CLI erased the same entry twice on logout (corpus dev/011)",
        ..RULE
    },
    Rule {
        name: "helper-says-not-found",
        patterns: &[Any(&[
            "credentials not found in native keychain",
            "could not be found in the keychain",
            "is not in the password store",
            "no stored credential",
        ])],
        causes: &[(NoCredentials, Medium)],
        tier: Target,
        source: "ghcr-facts §5.1; real-behaviour §3.7: a helper's `get` for a host it holds nothing for prints \
                 `credentials not found in native keychain`",
        ..RULE
    },
    Rule {
        name: "wincred-element-not-found",
        patterns: &[Has("element not found"), Any(&["getting credentials", "credential"])],
        causes: &[(NoCredentials, Medium)],
        tier: Target,
        source: "wincred's not-found answer (`Element not found.`) to `get`: nothing stored for the registry",
        ..RULE
    },
    Rule {
        name: "credential-helper-failed",
        patterns: &[
            Any(&[
                "error getting credentials",
                "error storing credentials",
                "error listing credentials",
                "error erasing credentials",
                "error saving credentials",
                "credentials store docker-credential-",
                "failed to get credentials",
                "unable to get credentials",
                "error getting credentials from",
            ]),
            LacksAny(&[
                "credentials not found in native keychain",
                "could not be found in the keychain",
                "no stored credential",
                "element not found",
            ]),
        ],
        causes: &[(CredentialHelperError, High)],
        tier: Specific,
        source: "ghcr-facts §5.1: a helper that runs but fails: `error storing credentials - err: exit status 1, out: \
                 `pass store is uninitialized``, `Cannot autolaunch D-Bus without X11 $DISPLAY`, `User interaction is not \
                 allowed.`, `The stub received bad data.`, `not implemented` (corpus dev/021-046)",
        ..RULE
    },
    Rule {
        name: "credential-helper-failure-text",
        patterns: &[Any(&[
            "pass store is uninitialized",
            "pass not initialized",
            "cannot autolaunch d-bus",
            "user interaction is not allowed",
            "the stub received bad data",
            "locked collection",
            "specified logon session does not exist",
            "no credentials server url",
            "org.freedesktop.secrets",
            "error while loading shared libraries",
            "does not support manual registry logins",
            "gpg: decryption failed",
            "dbus-launch",
            "keychain cannot be found",
            "errsecinteractionnotallowed",
            "symbol lookup error",
            "not activatable",
            "gpg: public key decryption failed",
            "inappropriate ioctl for device",
        ])],
        causes: &[(CredentialHelperError, High)],
        tier: Target,
        source: "the helpers' own failure texts (docker-credential-helpers#105, #140, #198, #24, #296, docker/cli#4323; \
                 glab's docker helper, gitlab-facts §11)",
        ..RULE
    },
    Rule {
        name: "unable-to-retrieve-credentials",
        patterns: &[Any(&["unable to retrieve credentials", "failed to retrieve credentials"])],
        causes: &[(CredentialHelperError, Medium), (NoCredentials, Low)],
        distinguishing_check: CREDENTIALS,
        source: "helm and oras when the credential store cannot be read (`unable to retrieve credentials`)",
        ..RULE
    },
    Rule {
        name: "credential-helper-verb-not-implemented",
        patterns: &[Has("not implemented")],
        when: &[HelperCall],
        causes: &[(CredentialHelperError, High)],
        tier: Specific,
        source: "a helper that does not implement a verb (`docker-credential-ecr-login store` → `not implemented`, \
                 awslabs/amazon-ecr-credential-helper#574)",
        ..RULE
    },
    Rule {
        name: "malformed-docker-config",
        patterns: &[Any(&[
            "error loading config file",
            "error parsing config file",
            "unmarshaling json at",
            "invalid auth config file",
        ])],
        causes: &[(MalformedDockerConfig, High)],
        tier: Specific,
        source: "real-behaviour §3.8: `WARNING: Error parsing config file (.../config.json): unexpected EOF` (28), `WARNING: \
                 Error loading config file: ...` (20.10), skopeo `reading JSON file ...: unmarshaling JSON at ...`",
        ..RULE
    },
    // ---- missing programs ---------------------------------------------------------------------------
    Rule {
        name: "docker-missing",
        patterns: &[Any(&[
            "docker: command not found",
            "'docker' is not recognized as",
            "the term 'docker' is not recognized",
            "unable to locate executable file: docker",
            "command not found: docker",
            "exec: \"docker\": executable file not found",
            "docker: not found",
            "command 'docker' not found",
            "command 'docker' could not be found",
        ])],
        causes: &[(DockerMissing, High)],
        tier: Target,
        source: "the shells' own not-found wording (bash, zsh, sh, cmd.exe, PowerShell), Go's `exec: \"docker\"`, and \
                 @actions/io's `Unable to locate executable file: docker` (corpus dev/083)",
        ..RULE
    },
    // ---- gh -------------------------------------------------------------------------------------
    Rule {
        name: "gh-not-logged-in",
        patterns: &[Any(&["you are not logged into any github hosts", "to get started with github cli, please run"])],
        causes: &[(NotLoggedIn, High)],
        tier: Specific,
        source: "real-behaviour §1.2: gh 2.23 `You are not logged into any GitHub hosts. Run gh auth login to authenticate.`",
        ..RULE
    },
    Rule {
        name: "gh-missing",
        patterns: &[Any(&[
            "gh: command not found",
            "'gh' is not recognized as",
            "the term 'gh' is not recognized",
            "unable to locate executable file: gh",
            "command not found: gh",
            "exec: \"gh\": executable file not found",
            "command 'gh' not found",
        ])],
        causes: &[(GhMissing, High)],
        tier: Target,
        source: "the shells' own not-found wording (bash, zsh, cmd.exe, PowerShell; corpus dev/097)",
        ..RULE
    },
    Rule {
        name: "gh-is-another-program",
        patterns: &[Has("no such command \"auth\"")],
        causes: &[(GhMissing, Medium)],
        tier: Specific,
        source: "a `gh` on PATH that is not GitHub CLI (a Click program: `Error: No such command \"auth\".`, cli/cli#4652)",
        ..RULE
    },
    Rule {
        name: "gh-too-old",
        patterns: &[Any(&[
            "unknown command \"auth\" for \"gh\"",
            "unknown command \"token\" for \"gh auth\"",
            "unknown command \"switch\" for \"gh auth\"",
            "unknown command \"setup-git\" for \"gh auth\"",
        ])],
        causes: &[(GhTooOld, High)],
        tier: Specific,
        source: "ghcr-facts §4.1: `gh auth token` since 2.17.0, `gh auth switch` since 2.40.0; gh 0.11 had no `auth` at all \
                 (cli/cli#1742)",
        ..RULE
    },
    Rule {
        name: "gh-token-no-longer-valid",
        patterns: &[Any(&["is no longer valid", "is invalid"]), Has("token in")],
        causes: &[(TokenInvalid, High), (Network, Low)],
        distinguishing_check: Some(CheckId::GhAuth),
        tier: Specific,
        source: "real-behaviour §1.3: `The github.com token in .../hosts.yml is no longer valid.`; ghcr-facts §4.2 (2.40+: \
                 `The token in keyring is invalid.`)",
        ..RULE
    },
    Rule {
        name: "gh-bad-credentials",
        patterns: &[Any(&["bad credentials", "failed to log in to github.com account"])],
        causes: &[(TokenInvalid, High)],
        tier: Specific,
        source: "ghcr-facts §2.1: the API's `401 Bad credentials`; gh's `X Failed to log in to github.com account …`",
        ..RULE
    },
    Rule {
        name: "gh-network",
        patterns: &[Any(&[
            "error connecting to api.github.com",
            "error connecting to github.com",
            "check your internet connection",
        ])],
        causes: &[(Network, High)],
        tier: Transport,
        source: "gh's `error connecting to api.github.com` / `check your internet connection or https://githubstatus.com`",
        ..RULE
    },
    Rule {
        name: "gh-in-actions-without-token",
        patterns: &[Has("to use github cli in a github actions workflow")],
        causes: &[(NotLoggedIn, High)],
        tier: Specific,
        source: "gh in a workflow with no token: `To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment \
                 variable.`",
        ..RULE
    },
    Rule {
        name: "gh-missing-required-scope",
        patterns: &[Has("missing required scope")],
        causes: &[(MissingScope, High)],
        tier: Specific,
        source: "ghcr-facts §4.5: gh's `error validating token: missing required scope 'read:org'`",
        ..RULE
    },
    Rule {
        name: "resource-not-accessible-by-integration",
        patterns: &[Has("resource not accessible by integration")],
        causes: &[(MissingPackagesPermission, Medium), (ActionsTokenNoAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "the API's 403 `Resource not accessible by integration`: the job's `GITHUB_TOKEN` lacks the permission",
        ..RULE
    },
    Rule {
        name: "packages-api-404",
        patterns: &[Any(&["not found", "status"]), Has("/packages/"), Status(404)],
        causes: &[(NoPackageAccess, Medium)],
        source: "ghcr-facts §2.4: the packages API answers a missing or invisible package with 404",
        ..RULE
    },
    Rule {
        name: "not-accessible-by-pat",
        patterns: &[Has("not accessible by personal access token")],
        causes: &[(FineGrainedPat, Medium), (MissingScope, Medium)],
        distinguishing_check: Some(CheckId::TokenScopes),
        tier: Specific,
        source: "the API's 403 `Resource not accessible by personal access token`: a fine-grained token without the \
                 permission (ghcr-facts §1.3)",
        ..RULE
    },
    Rule {
        name: "git-password-authentication-removed",
        patterns: &[Any(&["support for password authentication was removed", "invalid username or token"])],
        causes: &[(TokenInvalid, High)],
        tier: Specific,
        source: "GitHub's `Support for password authentication was removed on August 13, 2021. Please use a personal access \
                 token instead.`: a password where a token is needed",
        ..RULE
    },
    Rule {
        name: "api-requires-authentication",
        patterns: &[Has("requires authentication")],
        causes: &[(NotLoggedIn, Medium), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "the GitHub API's 401 `Requires authentication`: no token was sent",
        ..RULE
    },
    Rule {
        name: "gh-env-token",
        patterns: &[Has("environment variable is being used for authentication")],
        causes: &[(EnvTokenOverride, Medium)],
        tier: Specific,
        source: "real-behaviour §1.5: `The value of the GH_TOKEN environment variable is being used for authentication.`",
        ..RULE
    },
    // ---- clients with known bugs --------------------------------------------------------------------
    Rule {
        name: "nerdctl-login-404",
        patterns: &[Has("tryloginwithreghost"), Any(&["status code 404", "404 not found"])],
        causes: &[(ClientBug, High)],
        tier: Specific,
        source: "containerd/nerdctl#715, rancher-desktop#1673: nerdctl 0.16.0 `failed to call tryLoginWithRegHost \
                 error=\"unexpected status code 404\"`, fixed in 0.16.1",
        ..RULE
    },
    Rule {
        name: "nerdctl-auth-hostname",
        patterns: &[Has("expected the hostname part of ac.serveraddress")],
        causes: &[(ClientBug, High)],
        tier: Specific,
        source: "containerd/nerdctl#121: nerdctl 0.7 could not match the ghcr.io auth entry; fixed upstream",
        ..RULE
    },
    Rule {
        name: "conflicting-authentication-options",
        patterns: &[Has("conflicting authentication options")],
        causes: &[(ClientBug, High)],
        tier: Specific,
        source: "bootc-dev/containers-image-proxy-rs#44: rpm-ostree 2022.18 regression, fixed in 2022.19",
        ..RULE
    },
    Rule {
        name: "no-successful-auth-challenge",
        patterns: &[Has("no successful auth challenge")],
        causes: &[(ClientBug, Medium), (TokenInvalid, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "docker < 1.11 could not log in to token-auth registries such as GitLab's (gitlab-org/gitlab-ce#17802)",
        ..RULE
    },
    Rule {
        name: "devcontainers-oci-bearer",
        patterns: &[Has("[httpoci]"), Has("bearer token")],
        causes: &[(ClientBug, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Specific,
        source: "microsoft/vscode-remote-release#8449: Dev Containers 0.292.0's OCI client failed to fetch the bearer token \
                 for public features; 0.288.1 works",
        ..RULE
    },
    // ---- network ----------------------------------------------------------------------------------
    Rule {
        name: "dns-ghcr-typo",
        patterns: &[Any(DNS), Lookup(LookupHost::GhcrTypo)],
        causes: &[(HostMismatch, High), (Network, Low)],
        distinguishing_check: Some(CheckId::GithubHost),
        tier: Target,
        source: "ghcr-facts §3: a misspelt registry host (`lookup ghrc.io: no such host`, corpus dev/107)",
        ..RULE
    },
    Rule {
        name: "dns-ghes-registry",
        patterns: &[Any(DNS), Lookup(LookupHost::GhesRegistry)],
        causes: &[(RegistryUnavailable, High), (Network, Medium)],
        distinguishing_check: Some(CheckId::GithubHost),
        tier: Target,
        source: "ghcr-facts §3; the registry-unavailable record: `dial tcp: lookup containers.HOST: no such host` (GitHub \
                 Packages or subdomain isolation not enabled on the Enterprise Server)",
        ..RULE
    },
    Rule {
        name: "dns",
        patterns: &[Any(DNS)],
        causes: &[(Network, High)],
        tier: Transport,
        source: "real-behaviour §1.3: `dial tcp: lookup api.github.com on 10.255.255.53:53: no such host`; the resolvers' \
                 wordings (Go, glibc, musl, macOS, Windows in English and Japanese, curl, Node, Python)",
        ..RULE
    },
    Rule {
        name: "dns-lookup-timeout",
        patterns: &[Has("lookup "), Any(&["i/o timeout", "timed out", "timeout"])],
        causes: &[(Network, High), (Timeout, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Transport,
        source: "Go's resolver when the DNS server does not answer: `dial tcp: lookup ghcr.io: i/o timeout` (corpus dev/143)",
        ..RULE
    },
    Rule {
        name: "dns-server-failed",
        patterns: &[Has("lookup "), Any(&[":53: ", ":53->", "read udp", "dial udp"])],
        causes: &[(Network, High), (Timeout, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Transport,
        source: "Go's resolver when the DNS server does not answer or refuses: `lookup ghcr.io on 10.0.2.3:53: read udp \
                 …: i/o timeout`, `read: connection refused` (corpus dev/163, dev/166)",
        ..RULE
    },
    Rule {
        name: "tls-certificate",
        patterns: &[Any(&[
            "x509: ",
            "tls: failed to verify certificate",
            "certificate signed by unknown authority",
            "certificate has expired",
            "certificate is not valid",
            "ssl certificate problem",
            "unable to get local issuer certificate",
            "certificate_verify_failed",
            "self signed certificate in certificate chain",
            "self-signed certificate in certificate chain",
            "tls: handshake failure",
            "first record does not look like a tls handshake",
        ])],
        causes: &[(Network, High)],
        tier: Transport,
        source: "TLS interception or a missing CA (`x509: certificate signed by unknown authority`, corpus dev/145-152), \
                 curl's and Python's wording",
        ..RULE
    },
    Rule {
        name: "proxy",
        patterns: &[Any(&[
            "proxyconnect tcp",
            "error connecting to proxy",
            "proxy authentication required",
            "proxy error",
        ])],
        causes: &[(Network, High)],
        tier: Transport,
        source: "Go's `proxyconnect tcp: ...` (HTTP(S)_PROXY unreachable or refusing), `http: error connecting to proxy` \
                 (corpus dev/148, dev/156, dev/161)",
        ..RULE
    },
    Rule {
        name: "connection-failed",
        patterns: &[Any(&[
            "connection refused",
            "connection reset by peer",
            "network is unreachable",
            "no route to host",
            "forcibly closed by the remote host",
            "connectex:",
            "wsarecv:",
            "host is unreachable",
            "transport connection broken",
            "server sent goaway",
            "接続できませんでした",
        ])],
        causes: &[(Network, High)],
        tier: Transport,
        source: "real-behaviour §3.6: registry or token server down `dial tcp 127.0.0.1:5556: connect: connection refused`; \
                 Windows `connectex:`/`wsarecv:` in any language",
        ..RULE
    },
    Rule {
        name: "broken-download",
        patterns: &[
            Any(&["failed to read expected number of bytes", "broken pipe"]),
            Any(&["http", "registry", "/v2/", "blob", "layer", "failed to solve", "pull"]),
        ],
        causes: &[(Network, Medium)],
        tier: Transport,
        source: "a transfer cut off midway (`failed to read expected number of bytes: unexpected EOF`, `write: broken pipe`)",
        ..RULE
    },
    Rule {
        name: "connection-eof",
        patterns: &[AnyBare(&[": eof", "unexpected eof"]), Any(&["http", "/v2/", "registry", "dial", "image", "pull"])],
        causes: &[(Network, Medium), (RegistryUnavailable, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Transport,
        source: "Go's `Get \"https://…\": EOF`: the connection was closed before an answer (proxy, firewall, MTU)",
        ..RULE
    },
    Rule {
        name: "non-registry-answer",
        patterns: &[
            Any(&[
                "error parsing http response",
                "invalid character '<' looking for beginning of value",
                "408 request time",
            ]),
            NoStatusIn(500, 599),
        ],
        causes: &[(Network, Medium), (RegistryUnavailable, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Transport,
        source: "an HTML page where the registry's JSON was expected: something between client and registry answered \
                 (proxy, captive portal, MTU problems; corpus dev/160)",
        ..RULE
    },
    Rule {
        name: "http-to-https",
        patterns: &[Has("server gave http response to https client")],
        causes: &[(Network, Medium)],
        tier: Transport,
        source: "real-behaviour §3.5: skopeo `http: server gave HTTP response to HTTPS client` (a proxy or plain-HTTP endpoint)",
        ..RULE
    },
    Rule {
        name: "timeout",
        patterns: &[Any(&[
            "i/o timeout",
            "context deadline exceeded",
            "deadlineexceeded",
            "tls handshake timeout",
            "client.timeout exceeded",
            "request canceled while waiting for connection",
            "connection timed out",
            "operation timed out",
            "timed out waiting",
            "etimedout",
        ])],
        causes: &[(Timeout, High), (Network, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        tier: Transport,
        source: "issue brief and real-behaviour §2.2 (no client timeouts): Go's `i/o timeout`, `context deadline exceeded`, \
                 `net/http: TLS handshake timeout`; by the corpus' convention a deadline or handshake timeout with no other \
                 cause is a timeout (proxies and firewalls come second)",
        ..RULE
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_well_formed() {
        for rule in RULES {
            assert!(!rule.name.is_empty(), "a rule without a name");
            assert!(!rule.patterns.is_empty(), "{}", rule.name);
            assert!(rule.patterns[0].is_text(), "{} must start with a text pattern", rule.name);
            assert!(!rule.source.is_empty(), "{}", rule.name);
            if rule.causes.len() > 1 {
                assert!(rule.distinguishing_check.is_some(), "{} is ambiguous but names no check", rule.name);
            }
            if rule.causes.is_empty() {
                assert!(rule.name.contains("erase"), "{}: only known-harmless lines have no cause", rule.name);
            }
            for (i, pattern) in rule.patterns.iter().enumerate() {
                for needle in pattern.needles().iter().chain(pattern.forbidden()) {
                    assert_eq!(*needle, needle.to_lowercase(), "{}", rule.name);
                    let min = if i == 0 { 4 } else { 3 };
                    assert!(needle.len() >= min, "{}: needle {needle:?} too short", rule.name);
                }
            }
        }
    }

    #[test]
    fn rule_names_are_unique() {
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }

    #[test]
    fn bare_needs_the_message_to_end() {
        assert!(find_bare("head \"x\": unauthorized", "\": unauthorized").is_some());
        assert!(find_bare("head \"x\": unauthorized   0.5s", "\": unauthorized").is_some());
        assert!(find_bare("head \"x\": unauthorized: bad username", "\": unauthorized").is_none());
        assert!(find_bare("a\": unauthorized: x; b\": unauthorized", "\": unauthorized").is_some());
    }

    #[test]
    fn tiers_read_error_chains_from_the_target_down() {
        assert!(Target > Transport && Transport > Specific && Specific > Message && Message > Fallback);
    }
}
