//! gh: the token variables in the environment, `gh --version`, and `gh auth token --hostname HOST`
//! as the user's environment has it and without any token variable (the stored login).
//!
//! In a GitHub Actions job gh is not asked for the token: the job's token is `GITHUB_TOKEN`
//! whatever the host kind (see [`super::actions`]), where gh would read only the Enterprise
//! variables for an Enterprise Server host and find nothing. In other CI gh's answer counts, and
//! the job's variables stand in when gh has none.
//!
//! Always passes `--hostname`: gh 2.23 ignores `GH_HOST` for `auth token`. The token gh prints
//! goes straight into a [`Secret`]; it never reaches `Facts` as text.

use std::thread;

use ghcr_doctor_checks::{
    ALL_TOKEN_ENV_VARS, EnvToken, GhFacts, GhTokenAnswer, GhTokenFacts, Probe, ProbeError, ProbeErrorKind, Request,
    Secret,
};

use crate::process::{RawOutput, find_program, lossy, run_process, shown};
use crate::{Settings, panicked};

/// The token variables that are set and not empty, in the precedence that applies: in an Actions
/// job the job's ([`super::actions::job_token_vars`]), else the host's own in gh's order; then
/// the others.
pub(crate) fn env_tokens(request: &Request, settings: &Settings) -> Vec<EnvToken> {
    let first: Vec<&str> = if super::actions::in_actions(&settings.env) {
        super::actions::job_token_vars(request, true)
    } else {
        super::host(request).token_env_vars().to_vec()
    };
    let others = ALL_TOKEN_ENV_VARS.iter().copied().filter(|v| !first.contains(v));
    first
        .iter()
        .copied()
        .chain(others)
        .filter_map(|var| {
            let value = settings.env.non_empty(var)?;
            Some(EnvToken { var: var.to_owned(), secret: Secret::new(value) })
        })
        .collect()
}

/// `gh` on PATH with its version, and what `gh auth token` yields; in CI the job's token where
/// that is the rule (an Actions job) or where gh has none.
pub(crate) fn gather(
    request: &Request,
    env_tokens: &[EnvToken],
    settings: &Settings,
) -> (Probe<GhFacts>, Probe<GhTokenFacts>) {
    let actions = super::actions::in_actions(&settings.env);
    let from_env = super::actions::job_token(request, actions, env_tokens);
    let job_token = |t: &EnvToken| GhTokenFacts { effective: GhTokenAnswer::Token(t.secret.clone()), stored: None };
    let Some(path) = find_program("gh", &settings.env) else {
        let gh = Probe::Done(GhFacts { path: None, version: Probe::Skipped });
        // In CI gh is optional: the token comes from the job's variables.
        let token = from_env.map_or(Probe::Skipped, |t| Probe::Done(job_token(t)));
        return (gh, token);
    };
    let timeout = settings.timeout;
    if request.ci && actions {
        // The Actions rule, not gh's: `gh auth token` is not asked (ghcr-facts §6.3).
        let version = match run_process("gh", &["--version"], None, &settings.env, timeout) {
            Ok(out) => Probe::Done(out.to_output()),
            Err(e) => Probe::Failed(e),
        };
        let gh = Probe::Done(GhFacts { path: Some(path.display().to_string()), version });
        return (gh, from_env.map_or(Probe::Skipped, |t| Probe::Done(job_token(t))));
    }
    let host = super::host(request).name.as_str();
    let args = ["auth", "token", "--hostname", host];
    let (version, effective, stored) = thread::scope(|s| {
        let version = s.spawn(|| run_process("gh", &["--version"], None, &settings.env, timeout));
        let stored = (!env_tokens.is_empty()).then(|| {
            s.spawn(|| {
                let bare = settings.env.clone().without(&ALL_TOKEN_ENV_VARS);
                token_answer(run_process("gh", &args, None, &bare, timeout))
            })
        });
        let effective = token_answer(run_process("gh", &args, None, &settings.env, timeout));
        let version = version.join().unwrap_or_else(|_| Err(panicked()));
        let stored = stored.map(|h| h.join().unwrap_or_else(|_| GhTokenAnswer::Failed(panicked())));
        (version, effective, stored)
    });
    let version = match version {
        Ok(out) => Probe::Done(out.to_output()),
        Err(e) => Probe::Failed(e),
    };
    let gh = Probe::Done(GhFacts { path: Some(path.display().to_string()), version });
    let token = match (effective, from_env) {
        // CI outside Actions: gh has no token for the host (an Enterprise Server host with only
        // `GITHUB_TOKEN` set), so the job's variable is the token the job would hand to docker.
        (GhTokenAnswer::NoToken { .. }, Some(t)) => GhTokenFacts { stored, ..job_token(t) },
        (effective, _) => GhTokenFacts { effective, stored },
    };
    (gh, Probe::Done(token))
}

fn token_answer(result: Result<RawOutput, ProbeError>) -> GhTokenAnswer {
    match result {
        Err(e) => GhTokenAnswer::Failed(e),
        Ok(out) if out.exit_code.is_none() => {
            GhTokenAnswer::Failed(ProbeError::new(ProbeErrorKind::Io, "`gh auth token` was killed by a signal"))
        }
        // gh says "no token" with exit 1 (4: authentication required); anything else — 137 from a
        // shell whose gh was killed, a crash — is gh failing, not a missing login.
        Ok(out) if !matches!(out.exit_code, Some(0 | 1 | 4)) => GhTokenAnswer::Failed(ProbeError::new(
            ProbeErrorKind::Io,
            format!("`gh auth token` exited with {} ({})", out.exit_code.unwrap_or(-1), first_line(&out.stderr)),
        )),
        Ok(out) if !out.success() => GhTokenAnswer::NoToken { message: shown(&out.stderr).trim().to_owned() },
        Ok(out) => {
            let token = lossy(&out.stdout).trim().to_owned();
            if token.is_empty() {
                GhTokenAnswer::NoToken { message: shown(&out.stderr).trim().to_owned() }
            } else if !looks_like_a_token(&token) {
                // Never sent anywhere: garbage in an Authorization header fails as "network".
                GhTokenAnswer::Failed(ProbeError::new(
                    ProbeErrorKind::Malformed,
                    format!("`gh auth token` printed {} bytes that are not a token", token.len()),
                ))
            } else {
                GhTokenAnswer::Token(Secret::new(token))
            }
        }
    }
}

/// One line of ASCII token characters, of a length a token can have (GitHub plans for 255).
fn looks_like_a_token(token: &str) -> bool {
    (1..=512).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn first_line(bytes: &[u8]) -> String {
    shown(bytes).lines().find(|l| !l.trim().is_empty()).unwrap_or("no output").trim().chars().take(200).collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::testutil::{BinEnv, FakeBin};
    use ghcr_doctor_checks::{Forge, GithubHost};
    use std::time::Duration;

    /// A fake gh: `--version` prints gh 2.23's banner; `auth token` prints `$GH_TOKEN` if set,
    /// else the stored token file, else fails like gh; it records its arguments.
    fn fake_gh(bin: &FakeBin, stored: Option<&str>) {
        if let Some(t) = stored {
            bin.write("stored-token", t);
        }
        let stored_file = bin.path("stored-token");
        bin.script(
            "gh",
            &format!(
                r#"echo "$@" >> "{log}"
if [ "$1" = "--version" ]; then
  echo "gh version 2.23.0 (2023-02-27 Debian 2.23.0+dfsg1-1)"; echo "https://github.com/cli/cli/releases/tag/v2.23.0"; exit 0
fi
if [ -n "$GH_TOKEN" ]; then echo "$GH_TOKEN"; exit 0; fi
if [ -f "{stored}" ]; then cat "{stored}"; echo; exit 0; fi
echo "no oauth token" >&2; exit 1"#,
                log = bin.path("gh.log").display(),
                stored = stored_file.display()
            ),
        );
    }

    fn settings(env: crate::Env) -> Settings {
        Settings { timeout: Duration::from_secs(10), env }
    }

    #[test]
    fn version_and_stored_token() {
        let bin = FakeBin::new().unwrap();
        fake_gh(&bin, Some("gho_storedtoken"));
        let request = Request::new(Forge::Github(GithubHost::github_com()));
        let settings = settings(bin.env());
        let (gh, token) = gather(&request, &[], &settings);
        let gh = gh.done().unwrap();
        assert!(gh.path.as_deref().unwrap().ends_with("/gh"));
        assert!(gh.version.done().unwrap().stdout.starts_with("gh version 2.23.0"));
        let token = token.done().unwrap();
        assert_eq!(token.effective.token().unwrap().expose(), "gho_storedtoken");
        assert_eq!(token.stored, None);
        let log = std::fs::read_to_string(bin.path("gh.log")).unwrap();
        assert!(log.contains("auth token --hostname github.com"), "{log}");
    }

    #[test]
    fn no_token_keeps_stderr() {
        let bin = FakeBin::new().unwrap();
        fake_gh(&bin, None);
        let request = Request::new(Forge::Github(GithubHost::github_com()));
        let (_, token) = gather(&request, &[], &settings(bin.env()));
        assert_eq!(token.done().unwrap().effective, GhTokenAnswer::NoToken { message: "no oauth token".into() });
    }

    #[test]
    fn env_token_reruns_without_token_variables() {
        let bin = FakeBin::new().unwrap();
        fake_gh(&bin, None);
        let request = Request::new(Forge::Github(GithubHost::github_com()));
        let settings = settings(bin.env().with("GH_TOKEN", "ghp_fromenv").with("GITHUB_ENTERPRISE_TOKEN", "x1"));
        let tokens = env_tokens(&request, &settings);
        assert_eq!(tokens.iter().map(|t| t.var.as_str()).collect::<Vec<_>>(), ["GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN"]);
        let (_, token) = gather(&request, &tokens, &settings);
        let token = token.done().unwrap();
        assert_eq!(token.effective.token().unwrap().expose(), "ghp_fromenv");
        assert_eq!(token.stored, Some(GhTokenAnswer::NoToken { message: "no oauth token".into() }));
    }

    #[test]
    fn enterprise_hosts_put_their_variables_first() {
        let request = Request::new(Forge::Github(GithubHost::parse("github.example.com").unwrap()));
        let settings =
            settings(crate::Env::from_pairs([("GH_TOKEN", "a"), ("GH_ENTERPRISE_TOKEN", "b"), ("GITHUB_TOKEN", "")]));
        let tokens = env_tokens(&request, &settings);
        assert_eq!(tokens.iter().map(|t| t.var.as_str()).collect::<Vec<_>>(), ["GH_ENTERPRISE_TOKEN", "GH_TOKEN"]);
    }

    #[test]
    fn missing_gh_in_ci_uses_the_host_variable() {
        let bin = FakeBin::new().unwrap();
        let mut request = Request::new(Forge::Github(GithubHost::github_com()));
        let settings = settings(bin.env().with("GITHUB_TOKEN", "ghs_actions"));
        let tokens = env_tokens(&request, &settings);
        let (gh, token) = gather(&request, &tokens, &settings);
        assert_eq!(gh.done().unwrap().path, None);
        assert_eq!(token, Probe::Skipped);
        request.ci = true;
        let (_, token) = gather(&request, &tokens, &settings);
        let token = token.done().unwrap();
        assert_eq!(token.effective.token().unwrap().expose(), "ghs_actions");
        assert_eq!(token.stored, None);
    }

    #[test]
    fn an_actions_job_on_enterprise_server_uses_github_token_and_not_gh() {
        // gh reads only the Enterprise variables for this host and would find no token.
        let bin = FakeBin::new().unwrap();
        fake_gh(&bin, None);
        let mut request = Request::new(Forge::Github(GithubHost::parse("ghe.example.com").unwrap()));
        request.ci = true;
        let settings = settings(bin.env().with("GITHUB_ACTIONS", "true").with("GITHUB_TOKEN", "ghs_job"));
        let tokens = env_tokens(&request, &settings);
        assert_eq!(tokens.iter().map(|t| t.var.as_str()).collect::<Vec<_>>(), ["GITHUB_TOKEN"]);
        let (gh, token) = gather(&request, &tokens, &settings);
        assert!(gh.done().unwrap().version.done().is_some(), "gh itself is still looked at");
        let token = token.done().unwrap();
        assert_eq!(token.effective.token().unwrap().expose(), "ghs_job");
        assert_eq!(token.stored, None);
        let log = std::fs::read_to_string(bin.path("gh.log")).unwrap();
        assert!(!log.contains("auth token"), "gh's token rule is not the job's: {log}");

        // GITHUB_TOKEN wins over GH_TOKEN in a job, and gh is not asked even on github.com.
        let mut request = Request::new(Forge::Github(GithubHost::github_com()));
        request.ci = true;
        let settings = settings.env.clone().with("GH_TOKEN", "ghp_other");
        let settings = Settings { timeout: Duration::from_secs(10), env: settings };
        let tokens = env_tokens(&request, &settings);
        assert_eq!(tokens.iter().map(|t| t.var.as_str()).collect::<Vec<_>>(), ["GITHUB_TOKEN", "GH_TOKEN"]);
        let (_, token) = gather(&request, &tokens, &settings);
        assert_eq!(token.done().unwrap().effective.token().unwrap().expose(), "ghs_job");
    }

    #[test]
    fn other_ci_keeps_gh_and_falls_back_to_the_job_variable() {
        let bin = FakeBin::new().unwrap();
        fake_gh(&bin, None);
        let mut request = Request::new(Forge::Github(GithubHost::parse("ghe.example.com").unwrap()));
        let settings = settings(bin.env().with("CI", "true").with("GITHUB_TOKEN", "ghs_job"));
        let tokens = env_tokens(&request, &settings);
        let (_, token) = gather(&request, &tokens, &settings);
        assert!(matches!(token.done().unwrap().effective, GhTokenAnswer::NoToken { .. }), "not CI: gh's answer");
        request.ci = true;
        let (_, token) = gather(&request, &tokens, &settings);
        let token = token.done().unwrap();
        assert_eq!(token.effective.token().unwrap().expose(), "ghs_job");
        let log = std::fs::read_to_string(bin.path("gh.log")).unwrap();
        assert!(log.contains("auth token --hostname ghe.example.com"), "gh was asked first: {log}");
    }

    #[test]
    fn a_hanging_gh_is_a_failed_answer() {
        let bin = FakeBin::new().unwrap();
        bin.script("gh", "exec sleep 60");
        let request = Request::new(Forge::Github(GithubHost::github_com()));
        let settings = Settings { timeout: Duration::from_millis(300), env: bin.env() };
        let (gh, token) = gather(&request, &[], &settings);
        assert_eq!(gh.done().unwrap().version.error().unwrap().kind, ProbeErrorKind::Timeout);
        assert!(
            matches!(&token.done().unwrap().effective, GhTokenAnswer::Failed(e) if e.kind == ProbeErrorKind::Timeout)
        );
    }
}
