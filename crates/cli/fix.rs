//! `ghcr-doctor fix`: runs the checks, shows the plan (the next steps, in order), asks once on a
//! terminal (`--yes` skips the question), applies what can be applied safely, prints what only
//! the user can do (a browser step, an owner's setting), then checks again and reports before and
//! after. Never in CI, never without a terminal unless `--yes`. Tokens reach docker only through
//! its stdin: `gh auth token` is read into memory and fed to `docker login --password-stdin`.

use std::io::{BufRead, IsTerminal, Write};

use ghcr_doctor_checks::{ExitStatus, FixStep, Lang, Msg, Password, Report, Secret, Status};
use ghcr_doctor_probe::{Env, run_interactive, run_process};
use owo_colors::OwoColorize;

use crate::args::FixArgs;
use crate::check::{Plan, diagnose, plan};
use crate::{apply_color, fail_usage, human, out, texts};

/// Who carries out a step of the plan.
#[derive(Debug, PartialEq, Eq)]
enum Actor {
    /// ghcr-doctor runs it (docker logout, docker login fed from `gh auth token`).
    Doctor,
    /// gh asks the user at this terminal (browser or one-time code).
    Terminal,
    /// Only the user can (their shell's variables, installing, sudo, the closing pull).
    User,
}

fn actor(step: &FixStep, terminal: bool) -> Actor {
    match step {
        FixStep::DockerLogout { .. } | FixStep::DockerLogin { password: Password::GhToken { .. }, .. } => Actor::Doctor,
        FixStep::GhAuthRefresh { .. } | FixStep::GhAuthLogin { .. } if terminal => Actor::Terminal,
        _ => Actor::User,
    }
}

fn say(text: &str) {
    out::stdout(text);
}

pub fn run(args: FixArgs, env: Env) -> ExitStatus {
    apply_color(&args.check.common);
    if args.check.report.is_some() || args.check.anonymize {
        let lang = crate::language::choose(args.check.common.lang, None, &env);
        return fail_usage(lang, crate::report::CHECK_ONLY.get(lang));
    }
    let in_ci = args.check.ci || env.is_ci();
    let plan = match plan(&args.check, env) {
        Ok(p) => p,
        Err((lang, message)) => return fail_usage(lang, &message),
    };
    let lang = plan.lang;
    if in_ci {
        return fail_usage(lang, texts::FIX_NOT_IN_CI.get(lang));
    }
    let terminal = std::io::stdin().is_terminal();
    if !terminal && !args.yes {
        return fail_usage(lang, texts::FIX_NEEDS_TERMINAL.get(lang));
    }

    let before = diagnose(&plan);
    say(&human::render(&before, &plan.request, lang, false));
    let steps = &before.next_steps;
    if before.status != Status::Fail || steps.is_empty() {
        return before.exit_status(args.check.strict);
    }
    say(&format!("\n{}\n", texts::FIX_PLAN.get(lang).bold()));
    for (i, step) in steps.iter().enumerate() {
        let how = match actor(step, terminal) {
            Actor::User => texts::FIX_YOU_RUN.get(lang),
            Actor::Doctor | Actor::Terminal => texts::FIX_WE_RUN.get(lang),
        };
        say(&format!("  {}. {}  {}\n", i + 1, step.cyan(), how.dimmed()));
    }
    if !args.yes && !confirm(lang) {
        say(&format!("{}\n", texts::FIX_CANCELLED.get(lang)));
        return before.exit_status(args.check.strict);
    }

    for step in steps {
        if let Err(message) = apply(step, &plan, terminal, lang) {
            say(&format!("{} {}\n", "✗".red(), message));
        }
    }

    let after = diagnose(&plan);
    say(&format!("\n{}\n", texts::FIX_AFTER.get(lang).bold()));
    say(&human::render(&after, &plan.request, lang, false));
    say(&before_after(&before, &after, lang));
    after.exit_status(args.check.strict)
}

fn confirm(lang: Lang) -> bool {
    say(texts::FIX_CONFIRM.get(lang));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes" | "はい")
}

/// Runs one step; `Err` carries a message for the user (never a secret).
fn apply(step: &FixStep, plan: &Plan, terminal: bool, lang: Lang) -> Result<(), String> {
    let env = &plan.settings.env;
    let timeout = plan.settings.timeout;
    let ran = || say(&format!("{} {}\n", "$".dimmed(), step.to_string().cyan()));
    let failed = |what: &str, stderr: &[u8]| {
        let said = String::from_utf8_lossy(stderr).lines().next().unwrap_or("").trim().to_owned();
        Msg::new(texts::FIX_STEP_FAILED).arg("step", what).arg("said", said).render(lang)
    };
    match (step, actor(step, terminal)) {
        (FixStep::DockerLogout { registry }, Actor::Doctor) => {
            ran();
            let out = run_process("docker", &["logout", registry], None, env, timeout).map_err(|e| e.detail)?;
            if !out.success() {
                return Err(failed("docker logout", &out.stderr));
            }
        }
        (FixStep::DockerLogin { registry, username, password: Password::GhToken { hostname } }, Actor::Doctor) => {
            ran();
            let host = hostname.as_deref().unwrap_or("github.com");
            let token =
                run_process("gh", &["auth", "token", "--hostname", host], None, env, timeout).map_err(|e| e.detail)?;
            if !token.success() {
                return Err(failed("gh auth token", &token.stderr));
            }
            let secret = Secret::new(String::from_utf8_lossy(&token.stdout).trim().to_owned());
            let mut stdin = secret.expose().as_bytes().to_vec();
            stdin.push(b'\n');
            let out = run_process(
                "docker",
                &["login", registry, "-u", username, "--password-stdin"],
                Some(&stdin),
                env,
                timeout,
            )
            .map_err(|e| e.detail)?;
            if !out.success() {
                return Err(failed("docker login", &out.stderr));
            }
        }
        (FixStep::GhAuthRefresh { host, scope } | FixStep::GhAuthLogin { host, scope }, Actor::Terminal) => {
            ran();
            let verb = if matches!(step, FixStep::GhAuthRefresh { .. }) { "refresh" } else { "login" };
            // The user answers gh (browser or one-time code) directly: no timeout here.
            let status = run_interactive("gh", &["auth", verb, "-h", host, "-s", scope], env).map_err(|e| e.detail)?;
            if status != Some(0) {
                return Err(failed(&step.to_string(), b""));
            }
        }
        (FixStep::GhAuthRefresh { .. } | FixStep::GhAuthLogin { .. }, _) => {
            say(&format!("{} {step}\n", texts::FIX_SKIPPED_INTERACTIVE.get(lang)));
        }
        _ => say(&format!("{} {step}\n", texts::FIX_YOU_RUN.get(lang))),
    }
    Ok(())
}

/// `check-id: fail → pass` lines for every check whose status changed.
fn before_after(before: &Report, after: &Report, lang: Lang) -> String {
    let mut out = format!("\n{}\n", texts::FIX_BEFORE_AFTER.get(lang).bold());
    for (b, a) in before.outcomes.iter().zip(&after.outcomes) {
        if b.status != a.status {
            out.push_str(&format!("  {}: {} → {}\n", b.check, b.status.as_str(), a.status.as_str()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_doctor_runs_docker_steps_gh_asks_at_a_terminal_and_the_user_does_the_rest() {
        let login = FixStep::DockerLogin {
            registry: "ghcr.io".into(),
            username: "alice".into(),
            password: Password::GhToken { hostname: None },
        };
        assert_eq!(actor(&login, false), Actor::Doctor);
        assert_eq!(actor(&FixStep::DockerLogout { registry: "ghcr.io".into() }, false), Actor::Doctor);
        let refresh = FixStep::GhAuthRefresh { host: "github.com".into(), scope: "read:packages".into() };
        assert_eq!(actor(&refresh, true), Actor::Terminal);
        assert_eq!(actor(&refresh, false), Actor::User);
        let in_ci = FixStep::DockerLogin {
            registry: "ghcr.io".into(),
            username: "alice".into(),
            password: Password::EnvVar("GITHUB_TOKEN".into()),
        };
        assert_eq!(actor(&in_ci, true), Actor::User);
        assert_eq!(actor(&FixStep::Unset { var: "GH_TOKEN".into() }, true), Actor::User);
        assert_eq!(actor(&FixStep::Manual("sudo systemctl start docker".into()), true), Actor::User);
    }
}
