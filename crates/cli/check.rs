//! `ghcr-doctor check`: turns arguments and the team config into a `Request`, gathers facts
//! through the probe, evaluates them and renders the report — anonymized first when asked
//! (`--anonymize`), then in the chosen format, and as the Markdown report (`--report`). On a
//! terminal, with no report or anonymizing asked for, it is shown live (`live.rs`).

use std::io::IsTerminal;
use std::time::Duration;

use ghcr_doctor_checks::{
    Access, ExitStatus, Facts, Forge, GithubHost, ImageRef, ImageRefError, Lang, Msg, Report, Request, escape_controls,
    evaluate,
};
use ghcr_doctor_probe::{Env, Settings, gather, gather_with, read_pull_secret};

use crate::anonymize::Anonymizer;
use crate::args::{CheckArgs, Format};
use crate::config::{self, TeamConfig};
use crate::live::Live;
use crate::report::{self, Destination};
use crate::{apply_color, fail_usage, github, gitlab, human, json, language, out, texts};

/// Everything a run needs, resolved from flags, the config and the environment.
pub struct Plan {
    pub request: Request,
    pub lang: Lang,
    pub format: Format,
    pub settings: Settings,
}

/// Resolves flags, config and environment into a [`Plan`], or an error message and exit 2.
pub fn plan(args: &CheckArgs, env: Env) -> Result<Plan, (Lang, String)> {
    let early_lang = language::choose(args.common.lang, None, &env);
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| config::discover(&d)),
    };
    let team = match &config_path {
        Some(p) => config::load(p).map_err(|e| (early_lang, e.render(early_lang)))?,
        None => TeamConfig {
            path: None,
            host: None,
            gitlab: None,
            images: Vec::new(),
            access: None,
            lang: None,
            client: None,
        },
    };
    let lang = language::choose(args.common.lang, team.lang, &env);
    let ci = args.ci || env.is_ci();
    let images = images(args, &team, lang)?;
    // GitLab: named by `--forge gitlab`, by `forge = "gitlab"`, or by images all on GitLab.com's
    // registry (without a GitHub host asked for).
    let on_gitlab_com = !images.is_empty()
        && images.iter().all(|i| i.registry == ghcr_doctor_checks::GITLAB_COM_REGISTRY)
        && args.host.is_none();
    let gitlab = match args.forge {
        Some(crate::args::ForgeArg::Gitlab) => Some(
            config::gitlab_host(args.host.as_deref(), args.registry.as_deref()).map_err(|m| (lang, m.render(lang)))?,
        ),
        Some(_) => None,
        None if args.registry.is_some() => {
            return Err((lang, texts::REGISTRY_NEEDS_GITLAB.get(lang).to_owned()));
        }
        None => team.gitlab.clone().or_else(|| on_gitlab_com.then(ghcr_doctor_checks::GitlabHost::gitlab_com)),
    };
    let forge = match gitlab {
        Some(g) => Forge::Gitlab(g),
        None => Forge::Github(github_host(args, &team, &env, ci, lang)?),
    };
    if let Forge::Github(_) = &forge {
        let alias = registry_alias(env.get("GHCR_DOCTOR_REGISTRY_URL"), &images);
        if let Some(image) = images.iter().find(|i| !names_a_forge(&i.registry, alias.as_deref())) {
            let message = Msg::new(texts::NO_FORGE_FOR_REGISTRY).arg("image", image).arg("registry", &image.registry);
            return Err((lang, message.render(lang)));
        }
    }
    plan_for(args, env, team, lang, ci, images, forge)
}

/// The GitHub host: `--host`, the config's, in CI the job's server, else github.com.
fn github_host(
    args: &CheckArgs,
    team: &TeamConfig,
    env: &Env,
    ci: bool,
    lang: Lang,
) -> Result<GithubHost, (Lang, String)> {
    Ok(match &args.host {
        Some(h) => GithubHost::parse(h).ok_or_else(|| (lang, Msg::new(texts::BAD_HOST).arg("host", h).render(lang)))?,
        // In CI the job's own server decides (GITHUB_SERVER_URL), after the team config.
        None => {
            team.host.clone().or_else(|| github::server_host(env).filter(|_| ci)).unwrap_or_else(GithubHost::github_com)
        }
    })
}

/// The images: the arguments, else the config's.
fn images(args: &CheckArgs, team: &TeamConfig, lang: Lang) -> Result<Vec<ImageRef>, (Lang, String)> {
    Ok(if args.images.is_empty() {
        team.images.clone()
    } else {
        args.images
            .iter()
            .map(|raw| {
                raw.parse::<ImageRef>().map_err(|e: ImageRefError| {
                    (
                        lang,
                        Msg::new(texts::BAD_IMAGE)
                            .arg("image", escape_controls(raw))
                            .arg_msg("why", e.describe())
                            .render(lang),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    })
}

fn plan_for(
    args: &CheckArgs,
    env: Env,
    team: TeamConfig,
    lang: Lang,
    ci: bool,
    images: Vec<ImageRef>,
    forge: Forge,
) -> Result<Plan, (Lang, String)> {
    if !(0.1..=600.0).contains(&args.timeout) {
        return Err((lang, texts::BAD_TIMEOUT.get(lang).to_owned()));
    }
    let access = if args.push { Access::Push } else { team.access.unwrap_or(Access::Pull) };
    let mut request = Request::new(forge);
    request.registry_alias = registry_alias(env.get("GHCR_DOCTOR_REGISTRY_URL"), &images);
    request.images = images;
    request.access = access;
    request.ci = ci;
    request.client = args.client.map(crate::args::ClientArg::client).or(team.client);
    let format = if args.json { Format::Json } else { args.format.unwrap_or(Format::Human) };
    let settings = Settings { timeout: Duration::from_secs_f64(args.timeout), env };
    if let Some(path) = &args.pull_secret {
        if request.images.len() != 1 {
            return Err((lang, texts::PULL_SECRET_ONE_IMAGE.get(lang).to_owned()));
        }
        let secret = read_pull_secret(path, &settings).map_err(|e| {
            let file = escape_controls(&path.display().to_string());
            (lang, Msg::new(texts::BAD_PULL_SECRET).arg("file", file).arg_msg("why", e.describe()).render(lang))
        })?;
        request.pull_secret = Some(secret);
    }
    // A glab config glab itself cannot read is bad input, as a malformed team config is.
    if let Some(gitlab) = request.forge.gitlab()
        && let ghcr_doctor_checks::GlabConfigFacts {
            path: Some(path),
            state: ghcr_doctor_checks::GlabConfigState::Malformed { detail },
        } = ghcr_doctor_probe::glab_config(&gitlab.name, &settings)
    {
        let message = Msg::new(texts::BAD_GLAB_CONFIG).arg("path", escape_controls(&path)).arg("detail", detail);
        return Err((lang, message.render(lang)));
    }
    // Decided once (a `which`), so the header, every renderer and `fix` name the same client.
    request.client = Some(ghcr_doctor_probe::client(&request, &settings).client);
    Ok(Plan { request, lang, format, settings })
}

/// Whether an image's registry belongs to a forge the doctor knows without being told: GitHub's
/// (`ghcr.io`, `containers.HOST` of Enterprise Server and GHE.com, ghcr-facts §3), GitLab.com's,
/// or the loopback registry named by `GHCR_DOCTOR_REGISTRY_URL`. A self-managed GitLab's
/// registry can have any name, so it must be named (`--forge gitlab --registry`).
fn names_a_forge(registry: &str, alias: Option<&str>) -> bool {
    registry == "ghcr.io"
        || registry.starts_with("containers.")
        || registry == ghcr_doctor_checks::GITLAB_COM_REGISTRY
        || alias == Some(registry)
}

/// The override's `host:port` when the images are named after it (see `Request::registry_alias`).
fn registry_alias(override_url: Option<&str>, images: &[ImageRef]) -> Option<String> {
    let url = override_url?.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next()?.to_ascii_lowercase();
    images.iter().any(|i| i.registry == authority).then_some(authority)
}

/// Gathers and evaluates.
pub fn diagnose(plan: &Plan) -> Report {
    gather_and_evaluate(plan).1
}

/// Gathers and evaluates, keeping the facts (the report's header and the names `--anonymize`
/// replaces come from them).
fn gather_and_evaluate(plan: &Plan) -> (Facts, Report) {
    let facts = gather(&plan.request, &plan.settings);
    let report = evaluate(&plan.request, &facts);
    (facts, report)
}

pub fn run(args: CheckArgs, env: Env) -> ExitStatus {
    apply_color(&args.common);
    let plan = match plan(&args, env.clone()) {
        Ok(p) => p,
        Err((lang, message)) => {
            github::report_usage_error(&args, lang, &env);
            let message = if args.anonymize { usage_anonymizer(&args, &env).text(&message) } else { message };
            return fail_usage(lang, &message);
        }
    };
    if args.code_quality.is_some() && plan.format != Format::Gitlab {
        return fail_usage(plan.lang, gitlab::CODE_QUALITY_NEEDS_FORMAT.get(plan.lang));
    }
    if plan.format == Format::Human
        && !plan.request.ci
        && args.report.is_none()
        && !args.anonymize
        && std::io::stdout().is_terminal()
    {
        // On a terminal: the header at once, each check as soon as it is decided.
        let redraw = plan.settings.env.get("TERM") != Some("dumb");
        let mut live = Live::start(&plan.request, plan.lang, args.verbose, redraw);
        let facts = gather_with(&plan.request, &plan.settings, &mut |progress| live.update(progress));
        let report = evaluate(&plan.request, &facts);
        live.finish(&report);
        return report.exit_status(args.strict);
    }
    let destination = args.report.as_deref().map(Destination::from_arg);
    match &destination {
        Some(Destination::Stdout) if args.json || args.format.is_some() => {
            return fail_usage(plan.lang, report::STDOUT_TAKES_THE_REPORT.get(plan.lang));
        }
        Some(Destination::File(path)) => {
            if let Err(message) = report::check_destination(path, plan.lang) {
                return fail_usage(plan.lang, &message);
            }
        }
        _ => {}
    }
    let (facts, report) = gather_and_evaluate(&plan);
    // Every output is rendered from this one pair: with `--anonymize`, no format sees a real name.
    let anonymizer = args.anonymize.then(|| Anonymizer::for_run(&plan.request, &facts, &plan.settings.env));
    let (shown, request) = match &anonymizer {
        Some(a) => (a.report(&report), a.request(&plan.request)),
        None => (report.clone(), plan.request.clone()),
    };
    if destination != Some(Destination::Stdout) {
        match plan.format {
            Format::Json => out::stdout_line(&json::to_line(&json::ReportJson::new(&shown, &request, plan.lang))),
            Format::Github => {
                github::render(&shown, &request, plan.lang, &plan.settings.env, args.verbose, args.strict);
            }
            Format::Human => {
                let text = human::render(&shown, &request, plan.lang, args.verbose);
                out::stdout(&text);
            }
            Format::Gitlab => {
                let path = args.code_quality.clone().unwrap_or_else(|| gitlab::DEFAULT_CODE_QUALITY.into());
                if let Err(message) =
                    gitlab::render(&shown, &request, plan.lang, args.verbose, &path, &plan.settings.env)
                {
                    return fail_usage(plan.lang, &message);
                }
            }
        }
    }
    if let Some(destination) = destination {
        let lang = args.report_lang.map_or(plan.lang, |l| language::choose(Some(l), None, &plan.settings.env));
        let context = report::Context::new(&facts, anonymizer.as_ref());
        let markdown = report::render(&shown, &request, &context, lang);
        match destination {
            Destination::Stdout => out::stdout(&markdown),
            Destination::File(path) => {
                if let Err(e) = report::write_atomically(&path, &markdown) {
                    let message =
                        Msg::new(report::WRITE_FAILED).arg("path", path.display()).arg("error", e).render(plan.lang);
                    return fail_usage(plan.lang, &message);
                }
            }
        }
    }
    report.exit_status(args.strict)
}

/// The names a usage error may echo (the image arguments, the host, the job's names).
fn usage_anonymizer(args: &CheckArgs, env: &Env) -> Anonymizer {
    let host = args.host.as_deref().and_then(GithubHost::parse).or_else(|| github::server_host(env));
    Anonymizer::for_args(&args.images, host.as_ref(), env)
}
