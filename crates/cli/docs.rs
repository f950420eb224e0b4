//! `ghcr-doctor docs`: writes a team's onboarding guide, check reference and troubleshooting
//! page (Japanese and English, or one of them) from its `ghcr-doctor.toml`, with the same
//! generator `cargo xtask docs` uses for this repository: GitLab's pages when the config names a
//! GitLab forge (or every image is on `registry.gitlab.com`), GitHub's otherwise.

use ghcr_doctor_checks::{Access, ExitStatus, Forge, GITLAB_COM_REGISTRY, GithubHost, GitlabHost, Lang, Msg};
use ghcr_doctor_guide::write::{Mode, ensure_files};
use ghcr_doctor_guide::{GuideInput, generate};
use ghcr_doctor_probe::Env;

use crate::args::{DocsArgs, LangArg};
use crate::config::{self, TeamConfig};
use crate::{apply_color, fail_usage, language, out, texts};

pub fn run(args: DocsArgs, env: &Env) -> ExitStatus {
    apply_color(&args.common);
    let lang = language::choose(args.common.lang, None, env);
    let path = match args.config.clone().or_else(|| std::env::current_dir().ok().and_then(|d| config::discover(&d))) {
        Some(p) => p,
        None => return fail_usage(lang, texts::DOCS_NEEDS_CONFIG.get(lang)),
    };
    let team: TeamConfig = match config::load(&path) {
        Ok(t) => t,
        Err(e) => return fail_usage(lang, &e.render(lang)),
    };
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let command = format!("ghcr-doctor docs --config {} --out {}", path.display(), args.out.display());
    let mut input = guide_input(team, &file_name, &command);
    if let Some(only) = args.common.lang {
        input.langs = vec![match only {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }];
    }
    let files = generate(&input);
    match ensure_files(&args.out, &files, Mode::Write) {
        Ok(changed) => {
            let msg = Msg::new(texts::DOCS_WRITTEN)
                .arg("n", files.len())
                .arg("changed", changed.len())
                .arg("dir", args.out.display());
            out::stdout_line(&msg.render(lang));
            ExitStatus::Success
        }
        Err(e) => fail_usage(lang, &format!("{}: {e}", args.out.display())),
    }
}

/// The generator's input for a team's config: its GitLab forge (`forge = "gitlab"`, or images
/// all on `registry.gitlab.com`, as `check` selects the family), else its GitHub host. Shared
/// with `cargo xtask docs`.
pub fn guide_input(team: TeamConfig, config_file: &str, command: &str) -> GuideInput {
    let on_gitlab_com =
        !team.images.is_empty() && team.host.is_none() && team.images.iter().all(|i| i.registry == GITLAB_COM_REGISTRY);
    let forge = match team.gitlab.or_else(|| on_gitlab_com.then(GitlabHost::gitlab_com)) {
        Some(gitlab) => Forge::Gitlab(gitlab),
        None => Forge::Github(team.host.unwrap_or_else(GithubHost::github_com)),
    };
    GuideInput::for_team(&forge, team.images, team.access.unwrap_or(Access::Pull), config_file, command)
}
