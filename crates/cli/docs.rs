//! `ghcr-doctor docs`: writes a team's onboarding guide, check reference and troubleshooting
//! page (Japanese and English, or one of them) from its `ghcr-doctor.toml`, with the same
//! generator `cargo xtask docs` uses for this repository.

use ghcr_doctor_checks::{Access, ExitStatus, GithubHost, Lang, Msg};
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
    let host = team.host.unwrap_or_else(GithubHost::github_com);
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let command = format!("ghcr-doctor docs --config {} --out {}", path.display(), args.out.display());
    let mut input = GuideInput::for_team(&host, team.images, team.access.unwrap_or(Access::Pull), &file_name, &command);
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
