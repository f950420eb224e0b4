//! The GitHub Actions job's own environment: the `GITHUB_*` variables, the event payload at
//! `GITHUB_EVENT_PATH` (is the pull request's head a fork?) and the workflow file in the job's
//! checkout (`GITHUB_WORKSPACE` + the path in `GITHUB_WORKFLOW_REF`), gathered into
//! [`ActionsFacts`]. What they mean is decided in evaluation.
//!
//! Also the Actions rules for the job's token and API (ghcr-facts §6.3), which differ from gh's
//! rule for a developer machine: in a job (`GITHUB_ACTIONS=true`) the token is `GITHUB_TOKEN`
//! (what the ghcr-doctor Action's `token` input becomes), whatever the host kind, where gh reads
//! only `GH_ENTERPRISE_TOKEN`/`GITHUB_ENTERPRISE_TOKEN` for an Enterprise Server host; and the
//! API is `GITHUB_API_URL` when the job runs on the configured host (`GITHUB_SERVER_URL`).
//! Outside Actions gh's own precedence stays.
//!
//! And the job's token for the registry: in CI, when docker holds no login for the registry
//! host yet (the doctor runs before `docker/login-action`), the registry is asked with the token
//! the job has in its environment, as `docker/login-action` would store it.

use ghcr_doctor_checks::{ActionsFacts, EnvToken, Probe, ProbeError, ProbeErrorKind, Request, StoredCredential};

use crate::{Env, Settings};

/// The largest event payload or workflow file read (both are far smaller in practice).
const FILE_CAP: u64 = 4 * 1024 * 1024;

/// The Actions facts, in CI mode or on an Actions runner; `None` otherwise.
pub(crate) fn gather(request: &Request, settings: &Settings) -> Option<ActionsFacts> {
    let env = &settings.env;
    let github_actions = env.get("GITHUB_ACTIONS") == Some("true");
    if !request.ci && !github_actions {
        return None;
    }
    let var = |name: &str| env.non_empty(name).map(str::to_owned);
    let repository = var("GITHUB_REPOSITORY");
    let read = |path: &str| read_capped(path, settings.timeout);
    let (head_repo_fork, head_repository) = match env.non_empty("GITHUB_EVENT_PATH").map(read) {
        Some(Ok(text)) => pull_request_head(&text),
        _ => (None, None),
    };
    let workflow_path = var("GITHUB_WORKFLOW_REF").and_then(|r| workflow_path(&r, repository.as_deref()));
    let workflow = match (env.non_empty("GITHUB_WORKSPACE"), &workflow_path) {
        (Some(workspace), Some(path)) => match read(&std::path::Path::new(workspace).join(path).to_string_lossy()) {
            Ok(text) => Probe::Done(text),
            Err(crate::FileError::Missing) => Probe::Skipped,
            Err(e) => Probe::Failed(ProbeError::new(ProbeErrorKind::Io, e.to_string())),
        },
        _ => Probe::Skipped,
    };
    Some(ActionsFacts {
        github_actions,
        event_name: var("GITHUB_EVENT_NAME"),
        head_repo_fork,
        head_repository,
        repository,
        repository_owner: var("GITHUB_REPOSITORY_OWNER"),
        server_url: var("GITHUB_SERVER_URL"),
        actor: var("GITHUB_ACTOR"),
        job: var("GITHUB_JOB"),
        workflow_path,
        workflow,
        job_credential: None,
        job_token_var: None,
    })
}

/// A GitHub Actions job: `GITHUB_ACTIONS=true` (not merely `--ci` or `CI`).
pub(crate) fn in_actions(env: &Env) -> bool {
    env.get("GITHUB_ACTIONS") == Some("true")
}

/// The token variables of a job, first wins. In Actions `GITHUB_TOKEN` (the job's token, and the
/// Action's `token` input), then `GH_TOKEN`, then the host's own gh variables, whatever the host
/// kind. In other CI the host's own variables first (as gh takes them), then `GH_TOKEN` and
/// `GITHUB_TOKEN`, which a job may set on Enterprise Server too.
pub(crate) fn job_token_vars(request: &Request, actions: bool) -> Vec<&'static str> {
    let host_vars = super::host(request).token_env_vars().iter().copied();
    let ordered: Vec<&'static str> = if actions {
        ["GITHUB_TOKEN", "GH_TOKEN"].into_iter().chain(host_vars).collect()
    } else {
        host_vars.chain(["GH_TOKEN", "GITHUB_TOKEN"]).collect()
    };
    let mut vars = Vec::new();
    for var in ordered {
        if !vars.contains(&var) {
            vars.push(var);
        }
    }
    vars
}

/// The job's token in CI, by [`job_token_vars`]; `None` outside CI.
pub(crate) fn job_token<'a>(request: &Request, actions: bool, env_tokens: &'a [EnvToken]) -> Option<&'a EnvToken> {
    if !request.ci {
        return None;
    }
    job_token_vars(request, actions).into_iter().find_map(|var| env_tokens.iter().find(|t| t.var == var))
}

/// The job's REST API base: `GITHUB_API_URL` (with a trailing slash) in an Actions job whose
/// server (`GITHUB_SERVER_URL`) is the configured host. `None` elsewhere, and when the team's
/// config names another host: then that host's own API applies.
pub(crate) fn job_api_base(request: &Request, env: &Env) -> Option<String> {
    if !in_actions(env) {
        return None;
    }
    let url = env.non_empty("GITHUB_API_URL")?.trim();
    let server = env.non_empty("GITHUB_SERVER_URL")?.trim().trim_end_matches('/');
    let server = ghcr_doctor_checks::GithubHost::parse(server)?;
    if server.name != super::host(request).name || url.is_empty() {
        return None;
    }
    Some(if url.ends_with('/') { url.to_owned() } else { format!("{url}/") })
}

/// Fills in the job's credential when docker holds none for the registry host.
pub(crate) fn add_job_credential(actions: &mut ActionsFacts, token: Option<&EnvToken>) {
    let Some(token) = token else { return };
    // The registry does not check the user name for a token; docker/login-action sends the actor.
    let username = actions.actor.clone().unwrap_or_else(|| "x-access-token".into());
    actions.job_credential = Some(StoredCredential { username, secret: token.secret.clone(), identity_token: false });
    actions.job_token_var = Some(token.var.clone());
}

fn read_capped(path: &str, timeout: std::time::Duration) -> Result<String, crate::FileError> {
    let bytes = crate::files::read_regular(std::path::Path::new(path), FILE_CAP, timeout)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `pull_request.head.repo.fork` and `.full_name` of an event payload.
fn pull_request_head(payload: &str) -> (Option<bool>, Option<String>) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(payload) else { return (None, None) };
    let repo = v.pointer("/pull_request/head/repo");
    (
        repo.and_then(|r| r.get("fork")).and_then(serde_json::Value::as_bool),
        repo.and_then(|r| r.get("full_name")).and_then(serde_json::Value::as_str).map(str::to_owned),
    )
}

/// `acme/app/.github/workflows/ci.yml@refs/heads/main` → `.github/workflows/ci.yml`.
fn workflow_path(workflow_ref: &str, repository: Option<&str>) -> Option<String> {
    let path = workflow_ref.split('@').next()?;
    let path = match repository {
        Some(repo) if path.len() > repo.len() && path[..repo.len()].eq_ignore_ascii_case(repo) => &path[repo.len()..],
        // Another repository's reusable workflow, or no GITHUB_REPOSITORY: skip `owner/repo`.
        _ => path.splitn(3, '/').nth(2)?,
    };
    let path = path.trim_start_matches('/');
    (!path.is_empty() && !path.split('/').any(|c| c == "..")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Env;
    use ghcr_doctor_checks::{Forge, GithubHost, Secret};
    use std::time::Duration;

    #[test]
    fn reads_the_job_environment_the_payload_and_the_workflow() {
        let dir = tempfile::tempdir().unwrap();
        let event = dir.path().join("event.json");
        std::fs::write(&event, r#"{"pull_request":{"head":{"repo":{"fork":true,"full_name":"mallory/app"}}}}"#)
            .unwrap();
        std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
        std::fs::write(dir.path().join(".github/workflows/ci.yml"), "on: push\n").unwrap();
        let env = Env::from_pairs([
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
            ("GITHUB_REPOSITORY", "Acme/app"),
            ("GITHUB_REPOSITORY_OWNER", "Acme"),
            ("GITHUB_WORKFLOW_REF", "Acme/app/.github/workflows/ci.yml@refs/pull/1/merge"),
            ("GITHUB_WORKSPACE", dir.path().to_str().unwrap()),
            ("GITHUB_JOB", "build"),
        ]);
        let settings = Settings { timeout: Duration::from_secs(1), env };
        let mut request = Request::new(Forge::Github(GithubHost::github_com()));
        request.ci = true;
        let a = gather(&request, &settings).unwrap();
        assert!(a.github_actions && a.is_fork_pull_request());
        assert_eq!(a.head_repository.as_deref(), Some("mallory/app"));
        assert_eq!(a.workflow_path.as_deref(), Some(".github/workflows/ci.yml"));
        assert_eq!(a.workflow, Probe::Done("on: push\n".into()));
        assert_eq!(a.job.as_deref(), Some("build"));

        let settings = Settings { timeout: Duration::from_secs(1), env: Env::default() };
        request.ci = false;
        assert_eq!(gather(&request, &settings), None);
    }

    #[test]
    fn the_job_token_on_enterprise_server_may_be_github_token() {
        let mut request = Request::new(Forge::Github(GithubHost::parse("github.example.com").unwrap()));
        let tokens = vec![EnvToken { var: "GITHUB_TOKEN".into(), secret: Secret::new("ghs_x") }];
        assert!(job_token(&request, true, &tokens).is_none(), "only in CI");
        request.ci = true;
        assert_eq!(job_token(&request, false, &tokens).map(|t| t.var.as_str()), Some("GITHUB_TOKEN"));
        assert_eq!(job_token(&request, true, &tokens).map(|t| t.var.as_str()), Some("GITHUB_TOKEN"));
        assert_eq!(workflow_path("o/r/.github/workflows/a.yml@v1", None).as_deref(), Some(".github/workflows/a.yml"));
        assert_eq!(workflow_path("o/r/../../etc/passwd@v1", Some("o/r")), None);
    }

    #[test]
    fn in_actions_github_token_comes_first_whatever_the_host_kind() {
        for host in ["github.com", "octocorp.ghe.com", "ghe.example.com"] {
            let request = Request::new(Forge::Github(GithubHost::parse(host).unwrap()));
            let vars = job_token_vars(&request, true);
            assert_eq!(&vars[..2], ["GITHUB_TOKEN", "GH_TOKEN"], "{host}");
            assert_eq!(vars.iter().filter(|v| **v == "GITHUB_TOKEN").count(), 1, "{host}: {vars:?}");
        }
        // Outside Actions gh's order: the Enterprise variables first for an Enterprise Server host.
        let ghes = Request::new(Forge::Github(GithubHost::parse("ghe.example.com").unwrap()));
        assert_eq!(
            job_token_vars(&ghes, false),
            ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"]
        );
        let mut ghes = ghes;
        ghes.ci = true;
        let tokens = vec![
            EnvToken { var: "GH_ENTERPRISE_TOKEN".into(), secret: Secret::new("ghp_enterprise") },
            EnvToken { var: "GITHUB_TOKEN".into(), secret: Secret::new("ghs_job") },
        ];
        assert_eq!(job_token(&ghes, true, &tokens).map(|t| t.var.as_str()), Some("GITHUB_TOKEN"));
        assert_eq!(job_token(&ghes, false, &tokens).map(|t| t.var.as_str()), Some("GH_ENTERPRISE_TOKEN"));
    }

    #[test]
    fn the_job_api_is_github_api_url_on_the_jobs_own_server() {
        let ghes = Request::new(Forge::Github(GithubHost::parse("ghe.example.com").unwrap()));
        let job = Env::from_pairs([
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_SERVER_URL", "https://GHE.example.com/"),
            ("GITHUB_API_URL", "https://ghe.example.com/api/v3"),
        ]);
        assert_eq!(job_api_base(&ghes, &job).as_deref(), Some("https://ghe.example.com/api/v3/"));
        // Not an Actions job, or the team's config names another host: that host's own API.
        assert_eq!(job_api_base(&ghes, &job.clone().without(&["GITHUB_ACTIONS"])), None);
        let other = Request::new(Forge::Github(GithubHost::github_com()));
        assert_eq!(job_api_base(&other, &job), None);
        assert_eq!(job_api_base(&ghes, &job.clone().without(&["GITHUB_API_URL"])), None);
        let tenancy = Request::new(Forge::Github(GithubHost::parse("octocorp.ghe.com").unwrap()));
        let job = Env::from_pairs([
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_SERVER_URL", "https://octocorp.ghe.com"),
            ("GITHUB_API_URL", "https://api.octocorp.ghe.com/"),
        ]);
        assert_eq!(job_api_base(&tenancy, &job).as_deref(), Some("https://api.octocorp.ghe.com/"));
    }
}
