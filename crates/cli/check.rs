//! `ghcr-doctor check`: turns arguments and the team config into a `Request`, gathers facts
//! through the probe, evaluates them and renders the report (on a terminal, live: `live.rs`).

use std::io::IsTerminal;
use std::time::Duration;

use ghcr_doctor_checks::{
    Access, ExitStatus, Forge, GithubHost, ImageRef, ImageRefError, Lang, Msg, Report, Request, evaluate,
};
use ghcr_doctor_probe::{Env, Settings, gather, gather_with};

use crate::args::{CheckArgs, Format};
use crate::config::{self, TeamConfig};
use crate::live::Live;
use crate::{apply_color, fail_usage, github, human, json, language, out, texts};

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
        None => TeamConfig { path: None, host: None, images: Vec::new(), access: None, lang: None },
    };
    let lang = language::choose(args.common.lang, team.lang, &env);
    let ci = args.ci || env.is_ci();
    let host = match &args.host {
        Some(h) => GithubHost::parse(h).ok_or_else(|| (lang, Msg::new(texts::BAD_HOST).arg("host", h).render(lang)))?,
        // In CI the job's own server decides (GITHUB_SERVER_URL), after the team config.
        None => team
            .host
            .clone()
            .or_else(|| github::server_host(&env).filter(|_| ci))
            .unwrap_or_else(GithubHost::github_com),
    };
    let images = if args.images.is_empty() {
        team.images.clone()
    } else {
        args.images
            .iter()
            .map(|raw| {
                raw.parse::<ImageRef>().map_err(|e: ImageRefError| {
                    (lang, Msg::new(texts::BAD_IMAGE).arg("image", raw).arg_msg("why", e.describe()).render(lang))
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    if !(0.1..=600.0).contains(&args.timeout) {
        return Err((lang, texts::BAD_TIMEOUT.get(lang).to_owned()));
    }
    let access = if args.push { Access::Push } else { team.access.unwrap_or(Access::Pull) };
    let mut request = Request::new(Forge::Github(host));
    request.registry_alias = registry_alias(env.get("GHCR_DOCTOR_REGISTRY_URL"), &images);
    request.images = images;
    request.access = access;
    request.ci = ci;
    let format = if args.json { Format::Json } else { args.format.unwrap_or(Format::Human) };
    let settings = Settings { timeout: Duration::from_secs_f64(args.timeout), env };
    Ok(Plan { request, lang, format, settings })
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
    let facts = gather(&plan.request, &plan.settings);
    evaluate(&plan.request, &facts)
}

pub fn run(args: CheckArgs, env: Env) -> ExitStatus {
    apply_color(&args.common);
    let plan = match plan(&args, env.clone()) {
        Ok(p) => p,
        Err((lang, message)) => {
            github::report_usage_error(&args, lang, &env);
            return fail_usage(lang, &message);
        }
    };
    if plan.format == Format::Human && !plan.request.ci && std::io::stdout().is_terminal() {
        // On a terminal: the header at once, each check as soon as it is decided.
        let redraw = plan.settings.env.get("TERM") != Some("dumb");
        let mut live = Live::start(&plan.request, plan.lang, args.verbose, redraw);
        let facts = gather_with(&plan.request, &plan.settings, &mut |progress| live.update(progress));
        let report = evaluate(&plan.request, &facts);
        live.finish(&report);
        return report.exit_status(args.strict);
    }
    let report = diagnose(&plan);
    match plan.format {
        Format::Json => out::stdout_line(&json::to_line(&json::ReportJson::new(&report, &plan.request, plan.lang))),
        Format::Github => {
            github::render(&report, &plan.request, plan.lang, &plan.settings.env, args.verbose, args.strict);
        }
        Format::Human => {
            let text = human::render(&report, &plan.request, plan.lang, args.verbose);
            out::stdout(&text);
        }
    }
    report.exit_status(args.strict)
}
