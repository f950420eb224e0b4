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
use crate::{apply_color, fail_usage, human, out, setup_docker, texts};

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
        FixStep::DockerLogout { .. }
        | FixStep::DockerLogin { password: Password::GhToken { .. }, .. }
        | FixStep::SetupDocker { .. } => Actor::Doctor,
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
        if let Some(alternative) = human::alternative(step, lang) {
            say(&format!("     {}\n", alternative.dimmed()));
        }
    }
    if !args.yes && !confirm(lang) {
        say(&format!("{}\n", texts::FIX_CANCELLED.get(lang)));
        return before.exit_status(args.check.strict);
    }

    let steps = without_needless_logouts(steps);
    // The file the client's login, logout and setup-docker write: docker's config.json or
    // podman's primary auth file.
    let config = setup_docker::target(&plan).map(|(path, _)| path);
    let backup = match config.as_deref().map(Backup::take).transpose() {
        Ok(backup) => backup,
        Err(e) => return fail_usage(lang, &Msg::new(texts::FIX_NO_BACKUP).arg("error", e).render(lang)),
    };
    for step in &steps {
        if let Err(message) = apply(step, &plan, terminal, lang) {
            say(&format!("{} {}\n", "✗".red(), message));
            // A docker step failed: put docker's credentials back as they were, stop there.
            if matches!(actor(step, terminal), Actor::Doctor) {
                if let Some(backup) = &backup {
                    let restored = backup.restore();
                    let text = if restored.is_ok() { texts::FIX_RESTORED } else { texts::FIX_RESTORE_FAILED };
                    say(&format!("{}\n", Msg::new(text).arg("config", backup.path.display()).render(lang)));
                }
                break;
            }
        }
    }
    if let Some(backup) = &backup {
        say(&format!("{}\n", backup.changes(lang)));
    }

    let after = diagnose(&plan);
    say(&format!("\n{}\n", texts::FIX_AFTER.get(lang).bold()));
    say(&human::render(&after, &plan.request, lang, false));
    say(&before_after(&before, &after, lang));
    after.exit_status(args.check.strict)
}

/// `docker logout R` right before `docker login R` is dropped: the login overwrites the stored
/// credential, and a logout whose login then fails would leave docker with nothing.
fn without_needless_logouts(steps: &[FixStep]) -> Vec<FixStep> {
    let mut kept: Vec<FixStep> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let logs_in_next =
            |r: &str| matches!(steps.get(i + 1), Some(FixStep::DockerLogin { registry, .. }) if registry == r);
        if let FixStep::DockerLogout { registry, .. } = step
            && logs_in_next(registry)
        {
            continue;
        }
        kept.push(step.clone());
    }
    kept
}

/// docker's config.json as it was before `fix` changed anything, kept beside it.
struct Backup {
    path: std::path::PathBuf,
    /// `None`: there was no config.json.
    before: Option<Vec<u8>>,
    copy: Option<std::path::PathBuf>,
}

impl Backup {
    /// Copies `path` to `path.ghcr-doctor-backup` (when it exists) before anything changes, as
    /// private as the file itself (it may hold credentials).
    fn take(path: &std::path::Path) -> std::io::Result<Backup> {
        let before = match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let copy = match &before {
            Some(bytes) => {
                let copy = setup_docker::backup_path(path);
                setup_docker::write_atomically(&copy, bytes).map_err(std::io::Error::other)?;
                Some(copy)
            }
            None => None,
        };
        Ok(Backup { path: path.to_owned(), before, copy })
    }

    /// Puts the file back as it was (atomically, with its mode: a temporary file renamed over it).
    fn restore(&self) -> std::io::Result<()> {
        match &self.before {
            Some(bytes) => setup_docker::write_atomically(&self.path, bytes).map_err(std::io::Error::other),
            None => match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }

    /// What changed in the file: `unchanged`, or the registries whose entries changed.
    fn changes(&self, lang: Lang) -> String {
        let now = std::fs::read(&self.path).ok();
        if now == self.before {
            return Msg::new(texts::FIX_CONFIG_UNCHANGED).arg("config", self.path.display()).render(lang);
        }
        let auths = |bytes: &Option<Vec<u8>>| -> Vec<(String, String)> {
            let value: serde_json::Value =
                bytes.as_deref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or_default();
            let mut entries: Vec<(String, String)> = ["auths", "credHelpers"]
                .iter()
                .filter_map(|key| value.get(key).and_then(|v| v.as_object()))
                .flat_map(|m| m.iter().map(|(k, v)| (k.clone(), v.to_string())))
                .collect();
            entries.sort();
            entries
        };
        let (old, new) = (auths(&self.before), auths(&now));
        let mut changed: Vec<String> =
            old.iter().chain(&new).filter(|e| !(old.contains(e) && new.contains(e))).map(|(k, _)| k.clone()).collect();
        changed.dedup();
        let backup = self.copy.as_ref().map_or_else(String::new, |c| c.display().to_string());
        Msg::new(texts::FIX_CONFIG_CHANGED)
            .arg("config", self.path.display())
            .arg("registries", if changed.is_empty() { "-".to_owned() } else { changed.join(", ") })
            .arg("backup", backup)
            .render(lang)
    }
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
        (FixStep::DockerLogout { client, registry }, Actor::Doctor) => {
            ran();
            let program = client.command();
            let out = run_process(program, &["logout", registry], None, env, timeout).map_err(|e| e.detail)?;
            if !out.success() {
                return Err(failed(&format!("{program} logout"), &out.stderr));
            }
        }
        (
            FixStep::DockerLogin { client, registry, username, password: Password::GhToken { hostname } },
            Actor::Doctor,
        ) => {
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
                client.command(),
                &["login", registry, "-u", username, "--password-stdin"],
                Some(&stdin),
                env,
                timeout,
            )
            .map_err(|e| e.detail)?;
            if !out.success() {
                return Err(failed(&format!("{} login", client.command()), &out.stderr));
            }
        }
        (FixStep::SetupDocker { registry, .. }, Actor::Doctor) => {
            ran();
            let target = setup_docker::target(plan).ok_or_else(|| setup_docker::no_home(lang))?;
            if let Some(change) = setup_docker::prepare(target, env, registry, lang)? {
                change.apply(plan, lang)?;
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
    use ghcr_doctor_checks::Client;

    use super::*;

    #[test]
    fn the_doctor_runs_docker_steps_gh_asks_at_a_terminal_and_the_user_does_the_rest() {
        let login = FixStep::DockerLogin {
            client: Client::Docker,
            registry: "ghcr.io".into(),
            username: "alice".into(),
            password: Password::GhToken { hostname: None },
        };
        assert_eq!(actor(&login, false), Actor::Doctor);
        assert_eq!(
            actor(&FixStep::DockerLogout { client: Client::Docker, registry: "ghcr.io".into() }, false),
            Actor::Doctor
        );
        let refresh = FixStep::GhAuthRefresh { host: "github.com".into(), scope: "read:packages".into() };
        assert_eq!(actor(&refresh, true), Actor::Terminal);
        assert_eq!(actor(&refresh, false), Actor::User);
        let in_ci = FixStep::DockerLogin {
            client: Client::Docker,
            registry: "ghcr.io".into(),
            username: "alice".into(),
            password: Password::EnvVar("GITHUB_TOKEN".into()),
        };
        assert_eq!(actor(&in_ci, true), Actor::User);
        assert_eq!(actor(&FixStep::Unset { var: "GH_TOKEN".into() }, true), Actor::User);
        assert_eq!(actor(&FixStep::Manual("sudo systemctl start docker".into()), true), Actor::User);
        // A pull secret is recreated by the user only: the doctor never runs kubectl.
        let kubectl = FixStep::KubectlPullSecret {
            name: "regcred".into(),
            namespace: "apps".into(),
            server: "ghcr.io".into(),
            username: "alice".into(),
            password: Password::GhToken { hostname: None },
        };
        assert_eq!((actor(&kubectl, true), actor(&kubectl, false)), (Actor::User, Actor::User));
    }
}
