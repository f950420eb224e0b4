//! The stable identifiers of checks and causes. They are part of the public contract (JSON,
//! exit codes, `explain ID`, docs anchors): new ones may be added, none is renamed or reused.

use std::fmt;

macro_rules! id_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)* }

        impl $name {
            /// Every id, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The kebab-case id.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $id,)* }
            }

            /// Parses a kebab-case id.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($id => Some($name::$variant),)* _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($id),*] })
            }
        }
    };
}

id_enum! {
    /// A check of the pipeline, in registry (output) order.
    CheckId {
        GhInstalled = "gh-installed",
        GithubHost = "github-host",
        GhAuth = "gh-auth",
        GlabInstalled = "glab-installed",
        GitlabHost = "gitlab-host",
        GitlabAuth = "gitlab-auth",
        TokenScopes = "token-scopes",
        Sso = "sso",
        DockerDaemon = "docker-daemon",
        DockerCredentials = "docker-credentials",
        RegistryAccess = "registry-access",
        PullSecret = "pull-secret",
    }
}

id_enum! {
    /// Why a check failed or warned, or what a pasted error message means.
    CauseId {
        GhMissing = "gh-missing",
        GhTooOld = "gh-too-old",
        NotLoggedIn = "not-logged-in",
        EnvTokenOverride = "env-token-override",
        TokenInvalid = "token-invalid",
        MissingScope = "missing-scope",
        FineGrainedPat = "fine-grained-pat",
        BroadScopes = "broad-scopes",
        SsoNotAuthorized = "sso-not-authorized",
        OauthAppRestricted = "oauth-app-restricted",
        ClassicPatForbidden = "classic-pat-forbidden",
        OrgMembershipPending = "org-membership-pending",
        RegistryUnavailable = "registry-unavailable",
        HostMismatch = "host-mismatch",
        DockerMissing = "docker-missing",
        DaemonUnreachable = "daemon-unreachable",
        DaemonPermission = "daemon-permission",
        CredentialHelperMissing = "credential-helper-missing",
        NoCredentials = "no-credentials",
        StaleCredentials = "stale-credentials",
        PlaintextCredentials = "plaintext-credentials",
        MalformedDockerConfig = "malformed-docker-config",
        NoPackageAccess = "no-package-access",
        NoWriteAccess = "no-write-access",
        ActionsTokenNoAccess = "actions-token-no-access",
        TagNotFound = "tag-not-found",
        RateLimited = "rate-limited",
        NonTtyLogin = "non-tty-login",
        InvalidReference = "invalid-reference",
        Network = "network",
        Timeout = "timeout",
        RegistryTokenExpired = "registry-token-expired",
        GitlabAccessForbidden = "gitlab-access-forbidden",
        MissingPackagesPermission = "missing-packages-permission",
        ForkPullRequest = "fork-pull-request",
        PackageCreationForbidden = "package-creation-forbidden",
        UnexpectedResponse = "unexpected-response",
        ToolFailed = "tool-failed",
        CredentialHelperError = "credential-helper-error",
        GitlabTwoFactorPassword = "gitlab-2fa-password",
        ClientBug = "client-bug",
        MissingRegistryScope = "missing-registry-scope",
        JobTokenNotAllowed = "job-token-not-allowed",
        SudoRootConfig = "sudo-root-config",
        WslDesktopHelper = "wsl-desktop-helper",
        ConfigKeyTypo = "config-key-typo",
        PullSecretNoEntry = "pull-secret-no-entry",
        PullSecretStale = "pull-secret-stale",
        PodmanMissing = "podman-missing",
        JobTokenOtherProject = "job-token-other-project",
        GlabMissing = "glab-missing",
        GlabConfigMode = "glab-config-mode",
    }
}
