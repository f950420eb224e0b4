//! `ghcr-doctor fix`: runs the checks, shows the plan (the next steps, in order), asks once on a
//! terminal (`--yes` skips the question), applies what can be applied safely, prints what only
//! the user can do (a browser step, an owner's setting), then checks again and reports before and
//! after. Never in CI, never without a terminal unless `--yes`. Tokens reach docker only through
//! its stdin: `gh auth token` is read into memory and fed to `docker login --password-stdin`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, Stdio};

use ghcr_doctor_checks::{Lang, Msg, Report, Secret, Status};
use ghcr_doctor_probe::run_process;
use owo_colors::OwoColorize;

use crate::args::FixArgs;
use crate::check::{Plan, diagnose, plan};
use crate::{apply_color, fail_usage, human, texts};

/// One step of the plan, recognised from a fix command the evaluation produced.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// `docker logout REGISTRY`
    DockerLogout { registry: String },
    /// `gh auth token [--hostname HOST] | docker login REGISTRY -u LOGIN --password-stdin`
    DockerLogin { host: String, registry: String, login: String },
    /// `gh auth refresh ...` / `gh auth login ...`: needs the user at a terminal (browser or code).
    GhInteractive { args: Vec<String> },
    /// Anything else (`unset VAR`, `sudo ...`, `docker pull`): shown, not run.
    Manual(String),
}

fn parse_step(command: &str) -> Step {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["docker", "logout", registry] => Step::DockerLogout { registry: (*registry).to_owned() },
        ["gh", "auth", "token", rest @ ..] => {
            let (host, rest) = match rest {
                ["--hostname", host, rest @ ..] => ((*host).to_owned(), rest),
                rest => ("github.com".to_owned(), rest),
            };
            match rest {
                ["|", "docker", "login", registry, "-u", login, "--password-stdin"] => {
                    Step::DockerLogin { host, registry: (*registry).to_owned(), login: (*login).to_owned() }
                }
                _ => Step::Manual(command.to_owned()),
            }
        }
        ["gh", "auth", "refresh" | "login", ..] => {
            Step::GhInteractive { args: words[1..].iter().map(|w| (*w).to_owned()).collect() }
        }
        _ => Step::Manual(command.to_owned()),
    }
}

fn say(text: &str) {
    let _ = anstream::stdout().write_all(text.as_bytes());
}

pub fn run(args: FixArgs) -> i32 {
    apply_color(&args.check.common);
    let env = ghcr_doctor_probe::Env::from_process();
    let in_ci = args.check.ci || env.get("GITHUB_ACTIONS") == Some("true") || env.non_empty("CI").is_some();
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
    let steps: Vec<Step> = before.next_steps.iter().map(|c| parse_step(c)).collect();
    if before.status != Status::Fail || steps.is_empty() {
        return before.exit_code(args.check.strict);
    }
    say(&format!("\n{}\n", texts::FIX_PLAN.get(lang).bold()));
    for (i, step) in before.next_steps.iter().enumerate() {
        let how = match &steps[i] {
            Step::Manual(_) => texts::FIX_YOU_RUN.get(lang),
            Step::GhInteractive { .. } if !terminal => texts::FIX_YOU_RUN.get(lang),
            _ => texts::FIX_WE_RUN.get(lang),
        };
        say(&format!("  {}. {}  {}\n", i + 1, step.cyan(), how.dimmed()));
    }
    if !args.yes && !confirm(lang) {
        say(&format!("{}\n", texts::FIX_CANCELLED.get(lang)));
        return before.exit_code(args.check.strict);
    }

    for step in &steps {
        if let Err(message) = apply(step, &plan, terminal, lang) {
            say(&format!("{} {}\n", "✗".red(), message));
        }
    }

    let after = diagnose(&plan);
    say(&format!("\n{}\n", texts::FIX_AFTER.get(lang).bold()));
    say(&human::render(&after, &plan.request, lang, false));
    say(&before_after(&before, &after, lang));
    after.exit_code(args.check.strict)
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
fn apply(step: &Step, plan: &Plan, terminal: bool, lang: Lang) -> Result<(), String> {
    let env = &plan.settings.env;
    let timeout = plan.settings.timeout;
    let ran = |command: String| say(&format!("{} {}\n", "$".dimmed(), command.cyan()));
    let failed = |what: &str, stderr: &[u8]| {
        let said = String::from_utf8_lossy(stderr).lines().next().unwrap_or("").trim().to_owned();
        Msg::new(texts::FIX_STEP_FAILED).arg("step", what).arg("said", said).render(lang)
    };
    match step {
        Step::DockerLogout { registry } => {
            ran(format!("docker logout {registry}"));
            let out = run_process("docker", &["logout", registry], None, env, timeout).map_err(|e| e.detail)?;
            if !out.success() {
                return Err(failed("docker logout", &out.stderr));
            }
        }
        Step::DockerLogin { host, registry, login } => {
            ran(format!("gh auth token --hostname {host} | docker login {registry} -u {login} --password-stdin"));
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
                &["login", registry, "-u", login, "--password-stdin"],
                Some(&stdin),
                env,
                timeout,
            )
            .map_err(|e| e.detail)?;
            if !out.success() {
                return Err(failed("docker login", &out.stderr));
            }
        }
        Step::GhInteractive { args } => {
            if !terminal {
                say(&format!("{} gh {}\n", texts::FIX_SKIPPED_INTERACTIVE.get(lang), args.join(" ")));
                return Ok(());
            }
            ran(format!("gh {}", args.join(" ")));
            // The user answers gh (browser or one-time code) directly: no timeout here.
            let status = Command::new("gh")
                .args(args)
                .env_clear()
                .envs(env.vars())
                .stdin(Stdio::inherit())
                .stdout(Stdio::inherit())
                .stderr(Stdio::inherit())
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(failed(&format!("gh {}", args.join(" ")), b""));
            }
        }
        Step::Manual(command) => say(&format!("{} {}\n", texts::FIX_YOU_RUN.get(lang), command)),
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
    fn recognises_the_commands_evaluation_produces() {
        assert_eq!(parse_step("docker logout ghcr.io"), Step::DockerLogout { registry: "ghcr.io".into() });
        assert_eq!(
            parse_step("gh auth token | docker login ghcr.io -u alice --password-stdin"),
            Step::DockerLogin { host: "github.com".into(), registry: "ghcr.io".into(), login: "alice".into() }
        );
        assert_eq!(
            parse_step(
                "gh auth token --hostname ghe.example | docker login containers.ghe.example -u a --password-stdin"
            ),
            Step::DockerLogin {
                host: "ghe.example".into(),
                registry: "containers.ghe.example".into(),
                login: "a".into()
            }
        );
        assert!(matches!(parse_step("gh auth refresh -h github.com -s read:packages"), Step::GhInteractive { .. }));
        assert_eq!(parse_step("unset GH_TOKEN"), Step::Manual("unset GH_TOKEN".into()));
        assert_eq!(parse_step("sudo systemctl start docker"), Step::Manual("sudo systemctl start docker".into()));
    }
}
