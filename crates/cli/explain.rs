//! `ghcr-doctor explain`: a pasted error message or whole log (`-`/`--stdin`, streamed) becomes
//! the registry, image and ranked causes it reveals, each with its explanation and the fix
//! commands filled from what the text shows; a check or cause id prints that id's explanation,
//! the same text the generated docs hold. Offline: nothing here touches the network.

use std::fmt::Write as _;

use ghcr_doctor_checks::{
    CauseId, CheckId, ExitStatus, FixCtx, GithubHost, Lang, Msg, cause_info, command_lines, fill, stand_in_args,
};
use ghcr_doctor_explain::{Explanation, explain_reader, explain_str};
use ghcr_doctor_probe::Env;
use owo_colors::OwoColorize;

use crate::args::{ExplainArgs, Format};
use crate::json::{self, CauseTextJson, ExplainIdJson, ExplainJson, ExplainTextJson};
use crate::{apply_color, fail_usage, language, out, texts};

pub fn run(args: ExplainArgs, env: &Env) -> ExitStatus {
    apply_color(&args.common);
    let lang = language::choose(args.common.lang, None, env);
    let from_stdin = args.stdin || args.input.as_deref() == Some("-");
    let json = args.json || args.format == Format::Json;
    let explanation = if from_stdin {
        match explain_reader(std::io::stdin().lock()) {
            Ok(e) => e,
            Err(e) => return fail_usage(lang, &Msg::new(texts::STDIN_ERROR).arg("error", e).render(lang)),
        }
    } else {
        let Some(text) = args.input.as_deref() else {
            return fail_usage(lang, texts::EXPLAIN_NEEDS_INPUT.get(lang));
        };
        let id = text.trim();
        if CheckId::parse(id).is_some() || CauseId::parse(id).is_some() {
            return explain_id(id, lang, json);
        }
        explain_str(text)
    };
    let ctx = fix_ctx(&explanation);
    if json {
        out::stdout_line(&json::to_line(&to_json(&explanation, &ctx, lang)));
    } else {
        let text = render(&explanation, &ctx, lang);
        out::stdout(&text);
    }
    if explanation.is_known() { ExitStatus::Success } else { ExitStatus::Failure }
}

/// `explain ID`: the same explanation the generated reference holds.
fn explain_id(id: &str, lang: Lang, json: bool) -> ExitStatus {
    let ctx = FixCtx::placeholders();
    let text = ghcr_doctor_guide::explain_id(id, lang, &ctx).unwrap_or_default();
    if json {
        let answer = ExplainIdJson { schema_version: json::SCHEMA_VERSION, id: id.to_owned(), lang, text };
        out::stdout_line(&json::to_line(&ExplainJson::Id(answer)));
    } else {
        out::stdout(&text);
    }
    ExitStatus::Success
}

/// Fix values from what the text reveals; readable placeholders for the rest.
fn fix_ctx(e: &Explanation) -> FixCtx {
    let mut ctx = FixCtx::placeholders();
    if let Some(registry) = &e.registry {
        ctx.registry = registry.clone();
        let host = match registry.strip_prefix("containers.") {
            Some(h) => GithubHost::parse(h),
            None => Some(GithubHost::github_com()),
        };
        if let Some(host) = host {
            ctx.host = host.name;
        }
    }
    if let Some(image) = &e.image {
        ctx.image = image.clone();
        if let Ok(parsed) = image.parse::<ghcr_doctor_checks::ImageRef>() {
            ctx.package = parsed.name;
        }
    }
    if let Some(owner) = &e.owner {
        ctx.owner = owner.clone();
    }
    ctx
}

fn args_for(ctx: &FixCtx, lang: Lang) -> Vec<(&'static str, String)> {
    stand_in_args(ctx, lang)
}

/// The command that tells ambiguous causes apart on the user's own machine.
fn check_command(e: &Explanation) -> String {
    match &e.image {
        Some(image) => format!("ghcr-doctor check {image}"),
        None => "ghcr-doctor check".into(),
    }
}

fn to_json(e: &Explanation, ctx: &FixCtx, lang: Lang) -> ExplainJson {
    let args = args_for(ctx, lang);
    let explanations = e
        .matches
        .iter()
        .map(|m| {
            let info = cause_info(m.cause);
            CauseTextJson {
                cause: m.cause,
                title: fill(info.title.get(lang), &args),
                why: fill(info.why.get(lang), &args),
                fix: fill(info.fix.get(lang), &args),
                commands: command_lines(&info.fix_steps(ctx)),
            }
        })
        .collect();
    ExplainJson::Text(ExplainTextJson { explanation: e.to_json(), lang, explanations, suggestion: check_command(e) })
}

fn render(e: &Explanation, ctx: &FixCtx, lang: Lang) -> String {
    let mut out = String::new();
    let args = args_for(ctx, lang);
    if let Some(registry) = &e.registry {
        let _ = writeln!(out, "{}{registry}", texts::label(texts::REGISTRY, lang).bold());
    }
    if let Some(image) = &e.image {
        let _ = writeln!(out, "{}{image}", texts::label(texts::IMAGE, lang).bold());
    }
    if !e.is_known() {
        let _ = writeln!(out, "{}", Msg::new(texts::EXPLAIN_UNKNOWN).arg("command", check_command(e)).render(lang));
        return out;
    }
    if e.ambiguous {
        let check = e.distinguishing_check.unwrap_or(CheckId::RegistryAccess);
        let msg = Msg::new(texts::EXPLAIN_AMBIGUOUS).arg("command", check_command(e)).arg("check", check);
        let _ = writeln!(out, "{}", msg.render(lang).yellow());
    }
    for m in &e.matches {
        let info = cause_info(m.cause);
        let _ = writeln!(
            out,
            "\n{} {}{}",
            format!("[{}]", confidence_word(m.confidence, lang)).bold(),
            fill(info.title.get(lang), &args).bold(),
            crate::human::after_title(m.cause, lang)
        );
        let line = Msg::new(texts::EXPLAIN_LINE).arg("n", m.line_number).arg("text", &m.evidence);
        let _ = writeln!(out, "    {}", line.render(lang).dimmed());
        let _ = writeln!(out, "    {}{}", texts::label(texts::WHY, lang).bold(), fill(info.why.get(lang), &args));
        let _ = writeln!(out, "    {}{}", texts::label(texts::FIX, lang).bold(), fill(info.fix.get(lang), &args));
        for command in info.fix_steps(ctx) {
            let _ = writeln!(out, "      $ {}", command.cyan());
        }
    }
    out
}

fn confidence_word(c: ghcr_doctor_explain::Confidence, lang: Lang) -> &'static str {
    use ghcr_doctor_explain::Confidence::*;
    match c {
        High => texts::CONFIDENCE_HIGH.get(lang),
        Medium => texts::CONFIDENCE_MEDIUM.get(lang),
        Low => texts::CONFIDENCE_LOW.get(lang),
    }
}
