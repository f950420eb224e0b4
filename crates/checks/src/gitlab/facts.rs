//! What the GitLab family gathers: the token variables glab reads, glab and its config, the GitLab
//! CI job's variables, `/api/v4/personal_access_tokens/self` and `/api/v4/projects/:id`
//! (gitlab-facts §8–§11), and the credential the registry was asked with.

use crate::{EnvToken, HttpAnswer, Probe, ProcessOutput, Secret};

/// The token variables glab reads, in its precedence order (gitlab-facts §11; `GL_TOKEN` is not
/// read).
pub const GITLAB_TOKEN_VARS: &[&str] = &["GITLAB_TOKEN", "GITLAB_ACCESS_TOKEN", "OAUTH_TOKEN"];

/// Everything gathered from GitLab's side for one run.
#[derive(Clone, Debug, Default)]
pub struct GitlabFacts {
    /// Where `which glab` found it; `None` when glab is not on PATH (it is optional).
    pub glab_path: Option<String>,
    /// `glab --version`; `Skipped` when glab is missing.
    pub glab_version: Probe<ProcessOutput>,
    /// The first of [`GITLAB_TOKEN_VARS`] that is set.
    pub env_token: Option<EnvToken>,
    /// glab's config file and what it holds for the GitLab host.
    pub glab_config: GlabConfigFacts,
    /// The GitLab CI job's variables (`GITLAB_CI=true`).
    pub ci: Option<GitlabCiFacts>,
    /// The credential the registry was asked with: docker's stored one, else the job's.
    pub registry_credential: Option<GitlabCredential>,
    /// `GET /api/v4/personal_access_tokens/self` with the API token (the variable, else glab's);
    /// `Skipped` without one.
    pub api_token_self: Probe<HttpAnswer>,
    /// The same with the registry credential's secret when it is a personal access token other
    /// than the API token; `Skipped` otherwise.
    pub registry_token_self: Probe<HttpAnswer>,
    /// Per image, in request order: `GET /api/v4/projects/:path` for the project the image
    /// belongs to, with a token that has `read_api` or `api` (only such a token can tell no
    /// access, a missing project and a disabled registry apart, §13); `Skipped` otherwise.
    pub projects: Vec<Probe<HttpAnswer>>,
}

impl GitlabFacts {
    /// The API token: the variable's, else glab's stored one.
    pub fn api_token(&self) -> Option<&Secret> {
        self.env_token.as_ref().map(|e| &e.secret).or(self.glab_config.token())
    }
}

/// glab's config file (gitlab-facts §11).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GlabConfigFacts {
    /// The file glab reads (`GLAB_CONFIG_DIR`, `~/.config/glab-cli`, the XDG places), if any.
    pub path: Option<String>,
    pub state: GlabConfigState,
}

impl GlabConfigFacts {
    /// The token glab holds for the host, when the file is usable.
    pub fn token(&self) -> Option<&Secret> {
        match &self.state {
            GlabConfigState::Loaded { token, .. } => token.as_ref(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum GlabConfigState {
    /// No config file in any of glab's places.
    #[default]
    Missing,
    /// Not mode 0600: glab refuses to read it (`%s has the permissions %o, but glab requires 600.`).
    BadMode { mode: u32 },
    /// Unreadable or not the YAML glab writes.
    Malformed { detail: String },
    Loaded {
        /// The host's `token` (an empty one means the keyring holds it, which is not read).
        token: Option<Secret>,
        /// The host's `user`.
        user: Option<String>,
        /// The host entry exists with an empty token: glab looks in the keyring (`glab:HOST`).
        keyring: bool,
        /// The hosts the file has entries for, in file order.
        hosts: Vec<String>,
    },
}

/// The GitLab CI job's variables (gitlab-facts §10).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitlabCiFacts {
    /// `CI_PROJECT_PATH`: the job's own project.
    pub project_path: Option<String>,
    /// `CI_REGISTRY`: `host[:port]`.
    pub registry: Option<String>,
    /// `CI_SERVER_URL`.
    pub server_url: Option<String>,
    /// `CI_JOB_TOKEN`.
    pub job_token: Option<Secret>,
    /// `CI_REGISTRY_USER` (`gitlab-ci-token`) and `CI_REGISTRY_PASSWORD` (the job token).
    pub registry_user: Option<String>,
    pub registry_password: Option<Secret>,
    /// `CI_DEPLOY_USER` / `CI_DEPLOY_PASSWORD` (a deploy token named `gitlab-deploy-token`).
    pub deploy_user: Option<String>,
    pub deploy_password: Option<Secret>,
}

/// A credential for the registry and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitlabCredential {
    pub username: String,
    pub secret: Secret,
    pub source: GitlabCredentialSource,
}

impl GitlabCredential {
    pub fn kind(&self) -> crate::GitlabTokenKind {
        crate::GitlabTokenKind::of(&self.username, self.secret.expose())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GitlabCredentialSource {
    /// docker's (or podman's) store for the registry host.
    Docker,
    /// `CI_REGISTRY_USER` / `CI_REGISTRY_PASSWORD` (docker holds none yet).
    CiRegistry,
    /// `CI_DEPLOY_USER` / `CI_DEPLOY_PASSWORD`.
    CiDeploy,
}

/// What `/api/v4/personal_access_tokens/self` said (gitlab-facts §8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSelf {
    /// 200: the token's name, scopes, whether it is active, and its expiry date.
    Token { name: String, scopes: Vec<String>, active: bool, revoked: bool, expires_at: Option<String> },
    /// 401 `invalid_token`: revoked or expired (the description says which).
    Invalid { description: String },
    /// 401 `401 Unauthorized`: GitLab knows no such token.
    Unknown,
    /// 400: not a personal access token (an OAuth token).
    NotPersonal,
    /// Anything else.
    Other { status: u16 },
}

impl TokenSelf {
    pub fn parse(answer: &HttpAnswer) -> TokenSelf {
        let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_default();
        let text = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        match answer.status {
            200 => TokenSelf::Token {
                name: text("name").unwrap_or_default(),
                scopes: json
                    .get("scopes")
                    .and_then(|s| s.as_array())
                    .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default(),
                active: json.get("active").and_then(serde_json::Value::as_bool).unwrap_or(true),
                revoked: json.get("revoked").and_then(serde_json::Value::as_bool).unwrap_or(false),
                expires_at: text("expires_at"),
            },
            401 if text("error").as_deref() == Some("invalid_token") => {
                TokenSelf::Invalid { description: text("error_description").unwrap_or_default() }
            }
            401 => TokenSelf::Unknown,
            400 => TokenSelf::NotPersonal,
            status => TokenSelf::Other { status },
        }
    }

    /// The scopes of a known, active token.
    pub fn scopes(&self) -> Option<&[String]> {
        match self {
            TokenSelf::Token { scopes, active: true, revoked: false, .. } => Some(scopes),
            _ => None,
        }
    }
}

/// What a `/jwt/auth` answer granted, from the JWT the probe decoded (gitlab-facts §5: GitLab's
/// registry tokens are real JWTs; the probe keeps only the `access`, `iat`, `exp` and `auth_type`
/// claims, never the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryGrant {
    /// The actions granted on `repository`.
    pub actions: Vec<String>,
    /// `exp - iat` in seconds, when both are there.
    pub lifetime_s: Option<i64>,
    pub auth_type: Option<String>,
}

impl RegistryGrant {
    /// The grant for `repository` in a token answer's claims; `None` when the body holds none.
    pub fn of(answer: &HttpAnswer, repository: &str) -> Option<RegistryGrant> {
        if answer.status != 200 {
            return None;
        }
        let claims: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
        let access = claims.get("access")?.as_array()?;
        let actions = access
            .iter()
            .filter(|a| a.get("type").and_then(|t| t.as_str()) == Some("repository"))
            .filter(|a| a.get("name").and_then(|n| n.as_str()).is_some_and(|n| n.eq_ignore_ascii_case(repository)))
            .flat_map(|a| a.get("actions").and_then(|x| x.as_array()).cloned().unwrap_or_default())
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect();
        let num = |k: &str| claims.get(k).and_then(serde_json::Value::as_i64);
        Some(RegistryGrant {
            actions,
            lifetime_s: num("exp").zip(num("iat")).map(|(e, i)| e - i),
            auth_type: claims.get("auth_type").and_then(|a| a.as_str()).map(str::to_owned),
        })
    }

    pub fn allows(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a == action || a == "*")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> HttpAnswer {
        HttpAnswer { status, headers: Vec::new(), body: body.into(), truncated: false }
    }

    #[test]
    fn token_self_answers_follow_the_facts() {
        let ok = answer(
            200,
            r#"{"id":4,"name":"laptop","revoked":false,"scopes":["read_registry"],"active":true,"expires_at":null}"#,
        );
        assert_eq!(TokenSelf::parse(&ok).scopes(), Some(&["read_registry".to_owned()][..]));
        let revoked = answer(
            401,
            r#"{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}"#,
        );
        assert!(matches!(TokenSelf::parse(&revoked), TokenSelf::Invalid { .. }));
        assert_eq!(TokenSelf::parse(&answer(401, r#"{"message":"401 Unauthorized"}"#)), TokenSelf::Unknown);
        assert_eq!(TokenSelf::parse(&answer(400, "{}")), TokenSelf::NotPersonal);
    }

    #[test]
    fn grants_are_read_per_repository() {
        let a = answer(
            200,
            r#"{"access":[{"type":"repository","name":"acme/app","actions":["pull"]}],"iat":100,"exp":400,"auth_type":"personal_access_token"}"#,
        );
        let g = RegistryGrant::of(&a, "acme/app").unwrap();
        assert!(g.allows("pull") && !g.allows("push"));
        assert_eq!(g.lifetime_s, Some(300));
        assert!(RegistryGrant::of(&a, "acme/other").unwrap().actions.is_empty());
        assert!(RegistryGrant::of(&answer(200, r#"{"access":[]}"#), "acme/app").unwrap().actions.is_empty());
    }
}
