//! The JSON report (`--format json`): schema version 1 of the contract in
//! shared/design/architecture-sketch.md, plus additive fields (`root_cause`, `findings`).
//! One object on stdout, no colour; text fields follow `--lang`, ids and commands never do.

use ghcr_doctor_checks::{Finding, Lang, Report, Request, check, command_lines};
use serde_json::{Map, Value, json};

pub const SCHEMA_VERSION: u32 = 1;

fn finding_json(f: &Finding, lang: Lang) -> Value {
    json!({
        "status": f.status,
        "cause": f.cause,
        "subject": f.subject,
        "message": f.message.render(lang),
        "commands": command_lines(&f.steps),
    })
}

pub fn render(report: &Report, request: &Request, lang: Lang) -> Value {
    let checks: Vec<Value> = report
        .outcomes
        .iter()
        .map(|o| {
            let relevant: Vec<&Finding> = o.findings.iter().filter(|f| f.status == o.status).collect();
            let message = relevant.iter().map(|f| f.message.render(lang)).collect::<Vec<_>>().join("\n");
            let mut fix_texts: Vec<String> = Vec::new();
            for text in relevant.iter().filter_map(|f| f.fix_text(lang)) {
                if !fix_texts.contains(&text) {
                    fix_texts.push(text);
                }
            }
            let evidence: Map<String, Value> =
                o.evidence.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect();
            let commands = command_lines(&o.steps());
            let fix = if fix_texts.is_empty() && commands.is_empty() {
                Value::Null
            } else {
                json!({ "text": fix_texts.join("\n"), "commands": commands })
            };
            json!({
                "id": o.check,
                "status": o.status,
                "cause": o.cause(),
                "title": check(o.check).title.get(lang),
                "message": message,
                "evidence": evidence,
                "fix": fix,
                "duration_ms": o.duration_ms,
                "findings": o.findings.iter().map(|f| finding_json(f, lang)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "lang": lang,
        "host": request.forge.host_name(),
        "registry": request.registry_host(),
        "access": request.access,
        "ci": request.ci,
        "status": report.status,
        "root_cause": report.root_cause,
        "checks": checks,
        "next_steps": command_lines(&report.next_steps),
    })
}
