//! gh: the token variables in the environment, `gh --version`, and `gh auth token --hostname HOST`
//! as the user's environment has it and without any token variable (the stored login).
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

/// The token variables that are set and not empty: the host's own (in gh's precedence order)
/// first, then the others.
pub(crate) fn env_tokens(request: &Request, settings: &Settings) -> Vec<EnvToken> {
    let host_vars = super::host(request).token_env_vars();
    let others = ALL_TOKEN_ENV_VARS.iter().filter(|v| !host_vars.contains(v));
    host_vars
        .iter()
        .chain(others)
        .filter_map(|var| {
            let value = settings.env.non_empty(var)?;
            Some(EnvToken { var: (*var).to_owned(), secret: Secret::new(value) })
        })
        .collect()
}

/// `gh` on PATH with its version, and what `gh auth token` yields.
pub(crate) fn gather(
    request: &Request,
    env_tokens: &[EnvToken],
    settings: &Settings,
) -> (Probe<GhFacts>, Probe<GhTokenFacts>) {
    let Some(path) = find_program("gh", &settings.env) else {
        let gh = Probe::Done(GhFacts { path: None, version: Probe::Skipped });
        // In CI gh is optional: the token comes from the host's variables, as gh would take it.
        let from_env = super::actions::job_token(request, env_tokens);
        let token = match from_env {
            Some(t) => Probe::Done(GhTokenFacts { effective: GhTokenAnswer::Token(t.secret.clone()), stored: None }),
            None => Probe::Skipped,
        };
        return (gh, token);
    };
    let host = super::host(request).name.as_str();
    let args = ["auth", "token", "--hostname", host];
    let timeout = settings.timeout;
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
    (gh, Probe::Done(GhTokenFacts { effective, stored }))
}

fn token_answer(result: Result<RawOutput, ProbeError>) -> GhTokenAnswer {
    match result {
        Err(e) => GhTokenAnswer::Failed(e),
        Ok(out) if out.exit_code.is_none() => {
            GhTokenAnswer::Failed(ProbeError::new(ProbeErrorKind::Io, "`gh auth token` was killed by a signal"))
        }
        Ok(out) => {
            let token = lossy(&out.stdout).trim().to_owned();
            if out.success() && !token.is_empty() {
                GhTokenAnswer::Token(Secret::new(token))
            } else {
                GhTokenAnswer::NoToken { message: shown(&out.stderr).trim().to_owned() }
            }
        }
    }
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
