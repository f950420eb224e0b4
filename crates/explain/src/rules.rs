//! The pattern table: which pasted error text points at which cause, with what confidence.
//!
//! Rules are data. Each one is a list of case-insensitive substring patterns that must all hold
//! on one cleaned log line, an optional condition on what the log showed earlier (a push in
//! progress, a GitLab registry, a successful `docker login`), the causes it points at with their
//! confidence (the first listed is the most likely), the live check that tells the causes apart
//! when there are several, and where in the fact references the rendering is documented
//! (`ghcr-facts §N`, `gitlab-facts §N`, `real-behaviour §N`: sections of docs/reference/*.md).
//!
//! Ranking: on one line only the most specific matching rule counts (see [`Rule::line_rank`]); across
//! lines, causes rank by confidence, then specificity, then first occurrence.
//!
//! Needles are written in lower case (lines are ASCII-lowercased before matching) and are at
//! least four bytes long: the first pattern's needles are the anchors the scanner looks for.

use crate::Confidence::{self, High, Low, Medium};
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
}

/// Something the log showed on this line or on an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Push progress (`The push refers to repository`, `...: Pushed`, `pushing layers`).
    PushSeen,
    /// A GitLab registry (`registry.gitlab.com`, `$CI_REGISTRY`, the word `gitlab`).
    GitlabSeen,
    /// `Login Succeeded`: the credentials were valid a moment before.
    LoginSucceeded,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// A short stable name, for tests and debugging.
    pub name: &'static str,
    /// All must hold on the line; the first one's needles are the anchors.
    pub patterns: &'static [Pattern],
    /// All must hold (see [`Condition`]).
    pub when: &'static [Condition],
    /// The causes, most likely first.
    pub causes: &'static [(CauseId, Confidence)],
    /// The live check that tells the causes apart when there are several.
    pub distinguishing_check: Option<CheckId>,
    /// Where the rendering is documented.
    pub source: &'static str,
}

impl Pattern {
    /// The needles whose presence this pattern needs (none for `Lacks`).
    pub fn needles(&self) -> &[&'static str] {
        match self {
            Pattern::Has(n) | Pattern::Bare(n) => std::slice::from_ref(n),
            Pattern::Any(ns) | Pattern::AnyBare(ns) => ns,
            Pattern::Lacks(_) => &[],
        }
    }

    /// Where the pattern holds in `lower` (the start of the first needle found), `Some(0)` for a
    /// satisfied `Lacks`, `None` when it does not hold.
    pub fn find(&self, lower: &str) -> Option<usize> {
        match self {
            Pattern::Has(n) => lower.find(n),
            Pattern::Any(ns) => ns.iter().filter_map(|n| lower.find(n)).min(),
            Pattern::Bare(n) => find_bare(lower, n),
            Pattern::AnyBare(ns) => ns.iter().filter_map(|n| find_bare(lower, n)).min(),
            Pattern::Lacks(n) => (!lower.contains(n)).then_some(0),
        }
    }
}

/// The first occurrence of `needle` that is not continued by a word character or `:`.
fn find_bare(lower: &str, needle: &str) -> Option<usize> {
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
    /// the shortest one). Longer required text = more specific.
    pub fn specificity(&self) -> usize {
        self.patterns.iter().map(|p| p.needles().iter().map(|n| n.len()).min().unwrap_or(0)).sum()
    }

    /// How the rule ranks against other rules matching the same line: the most specific wins,
    /// then the one with more conditions (it knows more), then the most confident.
    pub fn line_rank(&self) -> (usize, usize, u8) {
        (self.specificity(), self.when.len(), self.top_confidence().weight())
    }

    /// The highest confidence among its causes.
    pub fn top_confidence(&self) -> Confidence {
        self.causes.iter().map(|&(_, c)| c).max_by_key(|c| c.weight()).unwrap_or(Low)
    }
}

use Condition::{GitlabSeen, LoginSucceeded, PushSeen};
use Pattern::{Any, AnyBare, Bare, Has, Lacks};

const ONE: Option<CheckId> = None;
const REGISTRY_ACCESS: Option<CheckId> = Some(CheckId::RegistryAccess);

/// The table. Order does not matter for ranking (confidence, then specificity, then the first
/// line wins); it is grouped by theme for reading.
pub static RULES: &[Rule] = &[
    // ---- GHCR messages that name their cause -------------------------------------------------
    Rule {
        name: "scope-mismatch",
        patterns: &[Has("does not match expected scopes")],
        when: &[],
        causes: &[(MissingScope, High), (FineGrainedPat, Medium)],
        distinguishing_check: Some(CheckId::TokenScopes),
        source: "ghcr-facts §0, §1.2: `denied: permission_denied: The token provided does not match expected scopes.` \
                 (pull: brunowego/cookbooks; push: daltoniam/switchboard#139; also fine-grained PATs)",
    },
    Rule {
        name: "write-package",
        patterns: &[Any(&["permission_denied: write_package", "permission_denied: create_package"])],
        when: &[],
        causes: &[(NoWriteAccess, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §1.2, §6.1: `denied: permission_denied: write_package` / `create_package` \
                 (mcuadros/ofelia#202, tridz-dev/huf#349)",
    },
    Rule {
        name: "installation-not-allowed",
        patterns: &[Has("installation not allowed to"), Has("organization package")],
        when: &[],
        causes: &[(ActionsTokenNoAccess, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §1.2: `denied: installation not allowed to {Read,Write,Create} organization package` \
                 (actions/runner#1039, 030/n3dr#560; crane `DENIED: ...`)",
    },
    Rule {
        name: "classic-pat-forbidden",
        patterns: &[Has("forbids access via a personal access token (classic)")],
        when: &[],
        causes: &[(ClassicPatForbidden, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §1.2: ``denied: permission_denied: `<org>` forbids access via a personal access token \
                 (classic)...`` (brunowego/cookbooks, refined-github#6951)",
    },
    Rule {
        name: "fine-grained-lifetime-policy",
        patterns: &[Has("forbids access via a fine-grained personal access token")],
        when: &[],
        causes: &[(FineGrainedPat, Medium)],
        distinguishing_check: ONE,
        source: "ghcr-facts §1.2: `The 'NixOS' organization forbids access via a fine-grained personal access tokens if \
                 the token's lifetime is greater than 90 days` (NixOS/org#247)",
    },
    Rule {
        name: "user-cannot-be-authenticated",
        patterns: &[Has("user cannot be authenticated with the token provided")],
        when: &[],
        causes: &[(StaleCredentials, High), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "ghcr-facts §0, §1.1: `unauthorized: unauthenticated: User cannot be authenticated with the token \
                 provided.` on login, pull and push (getwud/wud#219, autc04/Retro68#274)",
    },
    Rule {
        name: "saml-enforcement",
        patterns: &[Any(&["saml enforcement", "x-github-sso: required"])],
        when: &[],
        causes: &[(SsoNotAuthorized, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §1.2 (legacy docker.pkg.github.com: `unauthorized: Resource protected by organization SAML \
                 enforcement...`), §2.2 (REST body and `X-GitHub-SSO: required; url=...`, gh GraphQL wording)",
    },
    Rule {
        name: "oauth-app-restrictions",
        patterns: &[Has("oauth app access restrictions")],
        when: &[],
        causes: &[(OauthAppRestricted, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §2.3: ``...the `<org>` organization has enabled OAuth App access restrictions, meaning that \
                 data access to third-parties is limited.``",
    },
    Rule {
        name: "legacy-packages-unauthenticated",
        patterns: &[Has("could not be authenticated by the github packages service")],
        when: &[],
        causes: &[(TokenInvalid, Medium), (MissingScope, Medium)],
        distinguishing_check: Some(CheckId::TokenScopes),
        source: "ghcr-facts §1.2: legacy registry `unauthorized: Your request could not be authenticated by the GitHub \
                 Packages service. Please ensure your access token is valid and has the appropriate scopes configured.`",
    },
    Rule {
        name: "package-not-found-api",
        patterns: &[Has("package not found")],
        when: &[],
        causes: &[(NoPackageAccess, Medium)],
        distinguishing_check: ONE,
        source: "ghcr-facts §2.4: REST `{\"message\":\"Package not found.\"...}`, gh `gh: Package not found. (HTTP 404)` \
                 (missing or no access)",
    },
    Rule {
        name: "permission-denied-other",
        patterns: &[Has("permission_denied")],
        when: &[],
        causes: &[(NoPackageAccess, Medium)],
        distinguishing_check: ONE,
        source: "ghcr-facts §1.2: GHCR's `denied: permission_denied: <reason>` family; fallback for reasons not listed",
    },
    // ---- GitLab --------------------------------------------------------------------------------
    Rule {
        name: "gitlab-access-forbidden",
        patterns: &[Has("denied: access forbidden")],
        when: &[],
        causes: &[(GitlabAccessForbidden, High)],
        distinguishing_check: ONE,
        source: "gitlab-facts §4, §6 (`/jwt/auth` 403 `access forbidden`, as docker renders it)",
    },
    Rule {
        name: "auth-required-after-gitlab-push",
        patterns: &[Has("unauthorized: authentication required")],
        when: &[PushSeen, GitlabSeen],
        causes: &[(RegistryTokenExpired, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §6.2: GitLab registry JWTs last 5 min (15 on GitLab.com); expiry during a long push shows \
                 `unauthorized: authentication required`",
    },
    Rule {
        name: "auth-required-after-push",
        patterns: &[Has("unauthorized: authentication required")],
        when: &[PushSeen],
        causes: &[(RegistryTokenExpired, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §6.2 (registry token expiry mid-push), §1.1 (GHCR's UNAUTHORIZED `authentication required`)",
    },
    Rule {
        name: "auth-required",
        patterns: &[Has("unauthorized: authentication required")],
        when: &[],
        causes: &[(NoCredentials, Medium), (RegistryTokenExpired, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: GHCR answers an unauthenticated request with UNAUTHORIZED `authentication required`; \
                 real-behaviour §3.5 (skopeo `errors:` list)",
    },
    // ---- Registry answers: tag, rate limit, reference syntax ----------------------------------
    Rule {
        name: "manifest-unknown",
        patterns: &[Has("manifest unknown")],
        when: &[],
        causes: &[(TagNotFound, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §1.2, §5.4; real-behaviour §3.3 `manifest for X not found: manifest unknown: manifest unknown`, \
                 §3.5 skopeo `reading manifest T in X: manifest unknown`",
    },
    Rule {
        name: "containerd-not-found",
        patterns: &[
            Bare(": not found"),
            Any(&["failed to resolve reference", "failed to pull and unpack", "ghcr.io/", "containers."]),
        ],
        when: &[],
        causes: &[(TagNotFound, High)],
        distinguishing_check: ONE,
        source: "synthetic variant of ghcr-facts §1.2 `manifest unknown` as containerd/BuildKit/kubelet/helm render it \
                 (`failed to resolve reference \"R\": R: not found`)",
    },
    Rule {
        name: "name-unknown",
        patterns: &[Has("name unknown")],
        when: &[],
        causes: &[(TagNotFound, Medium)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.4: `NameUnknown` → `repository X not found: ...` (GHCR itself reports missing repos as \
                 unauthorized/denied, §1.1); mapped to tag-not-found, the closest cause",
    },
    Rule {
        name: "toomanyrequests",
        patterns: &[Any(&["toomanyrequests", "429 too many requests"])],
        when: &[],
        causes: &[(RateLimited, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §1.2: `toomanyrequests: retry-after: ..., allowed: 44000/minute`, HTTP 429",
    },
    Rule {
        name: "invalid-reference",
        patterns: &[Any(&["invalid reference format", "repository name must be lowercase"])],
        when: &[],
        causes: &[(InvalidReference, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §3 (owner/name must be lower case); docker's `invalid reference format: repository name \
                 must be lowercase`",
    },
    // ---- docker login ------------------------------------------------------------------------
    Rule {
        name: "login-denied-denied",
        patterns: &[Any(&["/v2/\": denied: denied", "/v2/: denied: denied"])],
        when: &[],
        causes: &[(TokenInvalid, High), (MissingScope, Low)],
        distinguishing_check: Some(CheckId::TokenScopes),
        source: "ghcr-facts §0, §1.2: login `Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied` \
                 (old engines: no quotes); real-behaviour §3.3 ghcr403, §3.9 (bad or under-scoped PAT)",
    },
    Rule {
        name: "login-denied",
        patterns: &[AnyBare(&["/v2/\": denied", "/v2/: denied"])],
        when: &[],
        causes: &[(TokenInvalid, High), (MissingScope, Low)],
        distinguishing_check: Some(CheckId::TokenScopes),
        source: "real-behaviour §3.3 denied-default: login `Error response from daemon: Get \".../v2/\": denied`",
    },
    Rule {
        name: "login-unauthorized",
        patterns: &[AnyBare(&["/v2/\": unauthorized", "/v2/: unauthorized"])],
        when: &[],
        causes: &[(TokenInvalid, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.3: token endpoint's UNAUTHORIZED default message collapses to bare `unauthorized` on \
                 `Get \".../v2/\"` (docker login)",
    },
    Rule {
        name: "login-bad-password",
        patterns: &[Any(&["bad username or password", "incorrect username or password"]), Lacks("/manifests/")],
        when: &[],
        causes: &[(TokenInvalid, High), (StaleCredentials, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "real-behaviour §3.3 (login: `Get \".../v2/\": unauthorized: bad username or password`), §3.5 (skopeo \
                 `unable to retrieve auth token: invalid username/password: unauthorized: ...`)",
    },
    Rule {
        name: "pull-bad-password",
        patterns: &[Any(&["bad username or password", "incorrect username or password"]), Has("/manifests/")],
        when: &[],
        causes: &[(StaleCredentials, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.3: stored wrong password on pull `Head \".../manifests/T\": unauthorized: bad username or \
                 password` (also for public images)",
    },
    Rule {
        name: "invalid-username-password",
        patterns: &[Has("invalid username/password")],
        when: &[],
        causes: &[(TokenInvalid, Medium), (StaleCredentials, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "real-behaviour §3.5: skopeo/containers-image `unable to retrieve auth token: invalid username/password: \
                 unauthorized`",
    },
    Rule {
        name: "stored-credentials-invalid",
        patterns: &[Has("stored credentials invalid or expired")],
        when: &[],
        causes: &[(StaleCredentials, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.2: re-login with stored creds prints `Stored credentials invalid or expired`",
    },
    Rule {
        name: "login-attempt-failed-401",
        patterns: &[Has("login attempt to"), Has("failed with status: 401")],
        when: &[],
        causes: &[(TokenInvalid, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.2: `login attempt to https://ghcr.io/v2/ failed with status: 401 Unauthorized`",
    },
    Rule {
        name: "non-tty-login",
        patterns: &[Has("cannot perform an interactive login from a non")],
        when: &[],
        causes: &[(NonTtyLogin, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.1: `Error: Cannot perform an interactive login from a non TTY device` / current \
                 `error: cannot perform an interactive login from a non-TTY device`; real-behaviour §3.8",
    },
    Rule {
        name: "password-stdin-needs-username",
        patterns: &[Has("--password-stdin option requires --username")],
        when: &[],
        causes: &[(NonTtyLogin, Medium)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.1: `the --password-stdin option requires --username to be set` (scripted login without \
                 -u; mapped to non-tty-login, the closest cause)",
    },
    Rule {
        name: "plaintext-credentials",
        patterns: &[Any(&["will be stored unencrypted", "credentials are stored unencrypted"])],
        when: &[],
        causes: &[(PlaintextCredentials, Low)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.1: `WARNING! Your password will be stored unencrypted in ...` (<28) / `WARNING! Your \
                 credentials are stored unencrypted in '...'` (>=28); a warning, not why a pull fails",
    },
    // ---- Pull/push refusals that several causes produce ------------------------------------------
    Rule {
        name: "token-endpoint-denied-denied",
        patterns: &[Has("denied: denied"), Has("/token?")],
        when: &[],
        causes: &[(StaleCredentials, High), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: go-containerregistry `GET https://ghcr.io/token?scope=...: DENIED: denied` \
                 (stale credentials, sigstore/scaffolding#127)",
    },
    Rule {
        name: "denied-denied",
        patterns: &[Has("denied: denied")],
        when: &[],
        causes: &[(StaleCredentials, Medium), (NoPackageAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §0, §1.2: `Head \"https://ghcr.io/v2/O/N/manifests/T\": denied: denied` = stale stored \
                 credentials (even for public images, fixed by `docker logout ghcr.io`) or no access; real-behaviour §3.3 ghcr403",
    },
    Rule {
        name: "bare-denied-after-login",
        patterns: &[AnyBare(&["daemon: denied", "error from registry: denied", "\": denied"])],
        when: &[LoginSucceeded],
        causes: &[(NoPackageAccess, High), (MissingScope, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2, §5.2: `Login Succeeded` then pull `Error response from daemon: denied` (token valid, \
                 no access; ekalinin/awsping#15)",
    },
    Rule {
        name: "bare-denied",
        patterns: &[AnyBare(&["daemon: denied", "error from registry: denied", "\": denied"])],
        when: &[],
        causes: &[(NoPackageAccess, Medium), (StaleCredentials, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §0, §1.2: `Error response from daemon: denied`, containerd store `error from registry: \
                 denied`; real-behaviour §3.3 denied-default `Head \"...\": denied`",
    },
    Rule {
        name: "manifest-head-unauthorized",
        patterns: &[AnyBare(&["\": unauthorized", "error from registry: unauthorized"])],
        when: &[],
        causes: &[(NoCredentials, High), (StaleCredentials, Low), (SsoNotAuthorized, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §0, §1.2: `Head \"https://ghcr.io/v2/O/N/manifests/T\": unauthorized` (anonymous pull of a \
                 private or missing package; compose v1 `ERROR: Head ...`), containerd `error from registry: \
                 unauthorized`; real-behaviour §3.3 anon-reject (also stale creds)",
    },
    Rule {
        name: "manifest-url-unauthorized",
        patterns: &[Bare(": unauthorized"), Has("/manifests/")],
        when: &[],
        causes: &[(NoCredentials, High), (StaleCredentials, Low), (SsoNotAuthorized, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2: the same bare `unauthorized` on a manifest URL as old engines print it (no quotes)",
    },
    Rule {
        name: "daemon-unauthorized",
        patterns: &[Bare("daemon: unauthorized")],
        when: &[],
        causes: &[(NoCredentials, Medium), (SsoNotAuthorized, Medium), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.2: cli/cli#5174 attributes `Error response from daemon: unauthorized` to an SSO org \
                 (UNCONFIRMED for ghcr.io)",
    },
    Rule {
        name: "requested-access-denied-after-login",
        patterns: &[Has("requested access to the resource is denied")],
        when: &[LoginSucceeded],
        causes: &[(NoPackageAccess, High), (MissingScope, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.3: `pull access denied for X, repository does not exist or may require 'docker login': \
                 denied: requested access to the resource is denied` with a valid login = no pull right",
    },
    Rule {
        name: "requested-access-denied",
        patterns: &[Has("requested access to the resource is denied")],
        when: &[],
        causes: &[(NoCredentials, Medium), (NoPackageAccess, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.3, §3.7, pitfall 10: not logged in, logged in without pull right and missing repo all give \
                 `... denied: requested access to the resource is denied`; ghcr-facts §1.1 (crane `DENIED: requested \
                 access...` at /token), real-behaviour §3.5 (skopeo `errors:`)",
    },
    Rule {
        name: "pull-access-denied-other",
        patterns: &[Has("pull access denied")],
        when: &[],
        causes: &[(NoCredentials, Low), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §5.4: classic engine prefix `pull access denied for X, repository does not exist or may \
                 require 'docker login': <registry message>`, fallback when the message is not known",
    },
    Rule {
        name: "anonymous-token-refused",
        patterns: &[Has("failed to fetch anonymous token")],
        when: &[],
        causes: &[(NoCredentials, High)],
        distinguishing_check: ONE,
        source: "synthetic variant of ghcr-facts §1.1 (anonymous token request for a private or missing repo is \
                 refused) as containerd/BuildKit/kubelet/helm word it when no credentials are configured",
    },
    Rule {
        name: "oauth-token-403",
        patterns: &[Has("failed to fetch oauth token"), Has("403")],
        when: &[],
        causes: &[(StaleCredentials, Medium), (NoPackageAccess, Medium), (NoCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: BuildKit/containerd `failed to authorize: failed to fetch oauth token: unexpected \
                 status from GET request to https://ghcr.io/token?...: 403 Forbidden`",
    },
    Rule {
        name: "oauth-token-401",
        patterns: &[Has("failed to fetch oauth token"), Has("401")],
        when: &[],
        causes: &[(StaleCredentials, Medium), (TokenInvalid, Medium)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "synthetic variant of ghcr-facts §1.1 (token endpoint refuses Basic credentials) in BuildKit's wording",
    },
    Rule {
        name: "manifest-head-403",
        patterns: &[Has("unexpected status from head request"), Has("403")],
        when: &[],
        causes: &[(NoPackageAccess, Medium), (StaleCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "real-behaviour §3.9: newer daemons `failed to resolve reference \"ghcr.io/...\": unexpected status from HEAD \
                 request to https://ghcr.io/v2/.../manifests/...: 403 Forbidden` (jbenshetler/mcp-ragex#2)",
    },
    Rule {
        name: "manifest-head-401",
        patterns: &[Has("unexpected status from head request"), Has("401")],
        when: &[],
        causes: &[(NoCredentials, Medium), (StaleCredentials, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "synthetic variant of real-behaviour §3.9 (HEAD 403 form) with the 401 of ghcr-facts §1.1",
    },
    Rule {
        name: "blob-upload-403",
        patterns: &[Has("blobs/uploads"), Has("403")],
        when: &[],
        causes: &[(NoWriteAccess, Medium), (InvalidReference, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: `POST /v2/O/N/blobs/uploads/` 401/403 = no push (radius-project#12623); invalid tag \
                 names also give 403 there (tue-robotics/tue-env#708)",
    },
    Rule {
        name: "bearer-token-403",
        patterns: &[Has("requesting bearer token"), Has("403")],
        when: &[],
        causes: &[(StaleCredentials, Medium), (NoCredentials, Medium), (NoPackageAccess, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1 (skopeo `Requesting bearer token: received unexpected HTTP status: 403 Forbidden`); \
                 real-behaviour §3.5 (`invalid status code from registry 403 (Forbidden)`: wrong password or anonymous)",
    },
    Rule {
        name: "invalid-token",
        patterns: &[Has("denied: invalid token")],
        when: &[],
        causes: &[(StaleCredentials, Medium), (RegistryTokenExpired, Low)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §1.1: GHCR rejects a bearer token on a manifest request with DENIED `invalid token` \
                 (keel-hq/keel#632)",
    },
    Rule {
        name: "token-has-expired",
        patterns: &[Has("your token has expired")],
        when: &[],
        causes: &[(RegistryTokenExpired, Medium), (StaleCredentials, Medium)],
        distinguishing_check: REGISTRY_ACCESS,
        source: "ghcr-facts §8: `unauthorized: Your token has expired` (UNCONFIRMED, a single README)",
    },
    // ---- Registry availability ----------------------------------------------------------------------
    Rule {
        name: "registry-5xx",
        patterns: &[Any(&["received unexpected http status: 5", "invalid status code from registry 5"])],
        when: &[],
        causes: &[(RegistryUnavailable, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.3 force500 `received unexpected HTTP status: 500 Internal Server Error`; §3.5 skopeo \
                 `invalid status code from registry 500 (Internal Server Error)`",
    },
    Rule {
        name: "http-5xx",
        patterns: &[Any(&["500 internal server error", "502 bad gateway", "503 service unavailable", "504 gateway"])],
        when: &[],
        causes: &[(RegistryUnavailable, Medium)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.3 (5xx from the token endpoint) in other tools' wording",
    },
    // ---- docker daemon and credential helpers ----------------------------------------------------
    Rule {
        name: "daemon-unreachable",
        patterns: &[Any(&[
            "cannot connect to the docker daemon",
            "failed to connect to the docker api at",
            "the docker daemon is not running",
        ])],
        when: &[],
        causes: &[(DaemonUnreachable, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §5.3; real-behaviour §2.1: `Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is \
                 the docker daemon running?`; v29 `failed to connect to the docker API at ...`; Windows wording",
    },
    Rule {
        name: "daemon-permission",
        patterns: &[Any(&[
            "permission denied while trying to connect to the docker",
            "docker.sock: connect: permission denied",
            "must be run with elevated privileges",
        ])],
        when: &[],
        causes: &[(DaemonPermission, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §5.3; real-behaviour §2.3: `permission denied while trying to connect to the Docker daemon socket \
                 at ...` (<=28) / `... to the docker API at ...` (v29+); Windows elevated-privileges wording",
    },
    Rule {
        name: "credential-helper-missing",
        patterns: &[
            Has("docker-credential-"),
            Any(&["executable file not found", "resolves to executable in current directory"]),
        ],
        when: &[],
        causes: &[(CredentialHelperMissing, High)],
        distinguishing_check: ONE,
        source: "ghcr-facts §0, §5.1; real-behaviour §3.7: `error getting credentials - err: exec: \"docker-credential-desktop\": \
                 executable file not found in $PATH, out: ``` and the 20.10 `resolves to executable in current \
                 directory` variant",
    },
    Rule {
        name: "credentials-not-found-in-keychain",
        patterns: &[Has("credentials not found in native keychain")],
        when: &[],
        causes: &[(NoCredentials, Medium)],
        distinguishing_check: ONE,
        source: "ghcr-facts §5.1: credential helpers' not-found text `credentials not found in native keychain`",
    },
    Rule {
        name: "malformed-docker-config",
        patterns: &[Any(&["error loading config file", "error parsing config file", "unmarshaling json at"])],
        when: &[],
        causes: &[(MalformedDockerConfig, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.8: `WARNING: Error parsing config file (.../config.json): unexpected EOF` (28), `WARNING: \
                 Error loading config file: ...` (20.10), skopeo `reading JSON file ...: unmarshaling JSON at ...`",
    },
    Rule {
        name: "docker-missing",
        patterns: &[Any(&["docker: command not found", "'docker' is not recognized as an internal or external"])],
        when: &[],
        causes: &[(DockerMissing, High)],
        distinguishing_check: ONE,
        source: "synthetic: the shells' own not-found wording (bash, cmd.exe)",
    },
    // ---- gh -------------------------------------------------------------------------------------
    Rule {
        name: "gh-not-logged-in",
        patterns: &[Any(&["you are not logged into any github hosts", "to get started with github cli, please run"])],
        when: &[],
        causes: &[(NotLoggedIn, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §1.2: gh 2.23 `You are not logged into any GitHub hosts. Run gh auth login to authenticate.`",
    },
    Rule {
        name: "gh-missing",
        patterns: &[Any(&["gh: command not found", "'gh' is not recognized as an internal or external"])],
        when: &[],
        causes: &[(GhMissing, High)],
        distinguishing_check: ONE,
        source: "synthetic: the shells' own not-found wording (bash, cmd.exe)",
    },
    Rule {
        name: "gh-token-no-longer-valid",
        patterns: &[Has("token in"), Has("is no longer valid")],
        when: &[],
        causes: &[(TokenInvalid, Medium), (Network, Low)],
        distinguishing_check: Some(CheckId::GhAuth),
        source: "real-behaviour §1.3: `The github.com token in .../hosts.yml is no longer valid.` (gh 2.23 says this for \
                 transport errors too, pitfall 2)",
    },
    Rule {
        name: "gh-env-token",
        patterns: &[Has("environment variable is being used for authentication")],
        when: &[],
        causes: &[(EnvTokenOverride, Low)],
        distinguishing_check: ONE,
        source: "real-behaviour §1.5: `The value of the GH_TOKEN environment variable is being used for authentication.`",
    },
    // ---- network ----------------------------------------------------------------------------------
    Rule {
        name: "dns",
        patterns: &[Any(&["no such host", "temporary failure in name resolution", "server misbehaving"])],
        when: &[],
        causes: &[(Network, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §1.3: `dial tcp: lookup api.github.com on 10.255.255.53:53: no such host`; Go resolver wording",
    },
    Rule {
        name: "tls-certificate",
        patterns: &[Any(&["x509: ", "tls: failed to verify certificate"])],
        when: &[],
        causes: &[(Network, High)],
        distinguishing_check: ONE,
        source: "issue brief: `x509: certificate ...` (TLS interception, missing CA) → network",
    },
    Rule {
        name: "proxy",
        patterns: &[Has("proxyconnect tcp")],
        when: &[],
        causes: &[(Network, High)],
        distinguishing_check: ONE,
        source: "issue brief: Go's `proxyconnect tcp: ...` (HTTP(S)_PROXY unreachable or refusing) → network",
    },
    Rule {
        name: "connection-failed",
        patterns: &[Any(&[
            "connect: connection refused",
            "connection reset by peer",
            "network is unreachable",
            "no route to host",
        ])],
        when: &[],
        causes: &[(Network, High)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.6: registry or token server down `dial tcp 127.0.0.1:5556: connect: connection refused`",
    },
    Rule {
        name: "http-to-https",
        patterns: &[Has("server gave http response to https client")],
        when: &[],
        causes: &[(Network, Medium)],
        distinguishing_check: ONE,
        source: "real-behaviour §3.5: skopeo `http: server gave HTTP response to HTTPS client` (a proxy or plain-HTTP endpoint)",
    },
    Rule {
        name: "timeout",
        patterns: &[Any(&[
            "i/o timeout",
            "context deadline exceeded",
            "tls handshake timeout",
            "client.timeout exceeded",
            "request canceled while waiting for connection",
            "connection timed out",
            "operation timed out",
        ])],
        when: &[],
        causes: &[(Timeout, High)],
        distinguishing_check: ONE,
        source: "issue brief and real-behaviour §2.2 (no client timeouts): Go's `i/o timeout`, `context deadline exceeded`, \
                 `net/http: TLS handshake timeout`",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_are_lower_case_and_anchors_are_four_bytes() {
        for rule in RULES {
            assert!(!rule.patterns.is_empty(), "{}", rule.name);
            assert!(!matches!(rule.patterns[0], Pattern::Lacks(_)), "{} starts with Lacks", rule.name);
            assert!(!rule.causes.is_empty(), "{}", rule.name);
            assert!(!rule.source.is_empty(), "{}", rule.name);
            if rule.causes.len() > 1 {
                assert!(rule.distinguishing_check.is_some(), "{} is ambiguous but names no check", rule.name);
            }
            for (i, pattern) in rule.patterns.iter().enumerate() {
                let needles: Vec<&str> = match pattern {
                    Pattern::Lacks(n) => vec![n],
                    p => p.needles().to_vec(),
                };
                for needle in needles {
                    assert_eq!(needle, needle.to_ascii_lowercase(), "{}", rule.name);
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
}
