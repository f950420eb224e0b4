//! `--format gitlab`: the output for a GitLab CI job (gitlab-facts §14). The human report, with
//! each check in a collapsible job log section (collapsed when it passed or was skipped, open
//! when it needs attention), and a Code Quality report, the JSON GitLab shows in merge requests,
//! written to `--codequality FILE` (`gl-code-quality-report.json` by default).

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use ghcr_doctor_checks::{CheckId, Finding, Lang, Msg, Outcome, Report, Request, Status, Text, check, t};
use ghcr_doctor_probe::Env;
use serde_json::{Value, json};

use crate::{human, out, report, texts};

/// Where the Code Quality report goes unless `--codequality` says.
pub const DEFAULT_CODE_QUALITY: &str = "gl-code-quality-report.json";

pub const WRITE_FAILED: Text = t!(
    "cannot write the Code Quality report to `{path}`: {error}",
    "Code Quality レポートを `{path}` に書き込めません：{error}"
);

pub const CODE_QUALITY_NEEDS_FORMAT: Text =
    t!("`--codequality` goes with `--format gitlab`", "`--codequality` は `--format gitlab` と一緒に使います");

/// Prints the sectioned log and writes the Code Quality report; the error is the message for a
/// report that could not be written (the caller exits 2).
pub fn render(
    report: &Report,
    request: &Request,
    lang: Lang,
    verbose: bool,
    code_quality: &Path,
    env: &Env,
) -> Result<(), String> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // The colour is stripped from the human pieces before the markers go around them.
    let colour = out::colour_wanted();
    let plain = |text: String| if colour { text } else { anstream::adapter::strip_str(&text).to_string() };
    let mut log = plain(human::render_header(request, lang));
    let mut explained = Vec::new();
    for outcome in &report.outcomes {
        let body = plain(human::render_outcome(outcome, lang, verbose, &mut explained));
        log.push_str(&section(outcome, &body, now));
    }
    log.push_str(&plain(human::render_footer(report, request, lang)));
    out::stdout_raw(&log);

    let config = env.non_empty("CI_CONFIG_PATH").unwrap_or(".gitlab-ci.yml");
    let issues = code_quality_issues(report, lang, config);
    let text = format!("{}\n", serde_json::to_string_pretty(&issues).expect("JSON values serialize"));
    report::write_atomically(code_quality, &text)
        .map_err(|e| Msg::new(WRITE_FAILED).arg("path", code_quality.display()).arg("error", e).render(lang))
}

/// One check's lines between GitLab's section markers; its first line (the status line) is the
/// section's header.
fn section(outcome: &Outcome, body: &str, now: u64) -> String {
    let name = section_name(outcome.check);
    let collapsed = matches!(outcome.status, Status::Pass | Status::Skip);
    let (header, rest) = body.split_once('\n').unwrap_or((body, ""));
    format!(
        "\x1b[0Ksection_start:{now}:{name}[collapsed={collapsed}]\r\x1b[0K{header}\n{rest}\x1b[0Ksection_end:{now}:{name}\r\x1b[0K\n"
    )
}

/// `ghcr_doctor_token_scopes`: the check id in the characters every documented section name
/// uses (which ones GitLab accepts is UNCONFIRMED, gitlab-facts §14).
fn section_name(check: CheckId) -> String {
    format!("ghcr_doctor_{}", check.as_str().replace('-', "_"))
}

/// A Code Quality issue per finding that fails or warns; `[]` when there is none.
fn code_quality_issues(report: &Report, lang: Lang, config: &str) -> Value {
    let issues: Vec<Value> = report
        .outcomes
        .iter()
        .flat_map(|o| o.findings.iter().map(move |f| (o.check, f)))
        .filter(|(_, f)| matches!(f.status, Status::Fail | Status::Warn))
        .map(|(check_id, finding)| {
            let cause = finding.cause.map_or("finding", |c| c.as_str());
            json!({
                "description": description(check_id, finding, lang),
                "check_name": format!("ghcr-doctor/{check_id}/{cause}"),
                "fingerprint": fingerprint(check_id, cause, finding.subject.as_deref().unwrap_or("")),
                "severity": if finding.status == Status::Fail { "major" } else { "minor" },
                "location": { "path": config, "lines": { "begin": 1 } },
            })
        })
        .collect();
    Value::Array(issues)
}

/// The check's title, what was found and the cause's fix, on one line (the widget shows one).
fn description(check_id: CheckId, finding: &Finding, lang: Lang) -> String {
    let title = format!("{}{}", check(check_id).title.get(lang), human::after_title(check_id, lang));
    let separator = if lang == Lang::Ja { "：" } else { ": " };
    let mut text = format!("{title}{separator}{}", finding.message.render(lang));
    if let Some(fix) = finding.fix_text(lang) {
        text.push(' ');
        text.push_str(&texts::label(texts::FIX, lang));
        text.push_str(&fix);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Stable across runs and languages, different per check, cause and image.
fn fingerprint(check_id: CheckId, cause: &str, subject: &str) -> String {
    fnv1a_64(&[check_id.as_str(), cause, subject].join("\0"))
}

/// FNV-1a, 64 bits, in hex: a short, stable hash (not a secret's).
fn fnv1a_64(text: &str) -> String {
    let hash =
        text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv_1a_and_tell_findings_apart() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(fnv1a_64(""), "cbf29ce484222325");
        assert_eq!(fnv1a_64("a"), "af63dc4c8601ec8c");
        assert_eq!(fnv1a_64("foobar"), "85944171f73967e8");
        assert_eq!(fingerprint(CheckId::TokenScopes, "x", "img"), fnv1a_64("token-scopes\0x\0img"));
        assert_ne!(
            fingerprint(CheckId::RegistryAccess, "token-invalid", "a"),
            fingerprint(CheckId::RegistryAccess, "token-invalid", "b")
        );
    }

    #[test]
    fn section_names_use_only_the_documented_characters() {
        for check in ghcr_doctor_checks::checks_by_id() {
            let name = section_name(check.id);
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{name}");
        }
    }
}
