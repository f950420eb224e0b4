//! The machine-readable outputs as types: the `check --json` report, the `explain --json` answer
//! and the `list --format json` catalogue. Serialized with serde (one object on stdout, no
//! colour; text fields follow `--lang`, ids and commands never do) and described by JSON Schemas
//! generated from these same types (`docs/schema/*.schema.json`, written by `cargo xtask docs`).
//! Schema version 1 of the contract in shared/design/architecture-sketch.md; changes are additive.

use std::collections::BTreeMap;

use ghcr_doctor_checks::{
    Access, CauseId, CheckId, Client, Finding, Lang, Outcome, Report, Request, Status, check, command_lines,
};
use ghcr_doctor_explain::ExplanationJson;
use schemars::JsonSchema;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

/// `ghcr-doctor check --json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReportJson {
    /// The version of this shape (1); changes are additive.
    pub schema_version: u32,
    /// ghcr-doctor's version.
    pub tool_version: String,
    /// The language of the text fields.
    pub lang: Lang,
    /// The registry family: `github` or `gitlab`.
    pub family: ghcr_doctor_checks::Family,
    /// The forge's host: `github.com`, `SUB.ghe.com`, an Enterprise Server host, `gitlab.com` or
    /// a self-managed GitLab host.
    pub host: String,
    /// The registry host the images are on.
    pub registry: String,
    pub access: Access,
    /// The container client the run is about (`--client`, else the one installed).
    pub client: Client,
    /// Whether the run was a CI self-check.
    pub ci: bool,
    /// The worst status over all checks (skip counts as pass).
    pub status: Status,
    /// The first failing check's cause: the one thing to fix first.
    pub root_cause: Option<CauseId>,
    /// One entry per check, in output order.
    pub checks: Vec<CheckJson>,
    /// The commands to run, in order.
    pub next_steps: Vec<String>,
}

/// One check's verdict.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CheckJson {
    pub id: CheckId,
    pub status: Status,
    /// The cause of the headline finding.
    pub cause: Option<CauseId>,
    pub title: String,
    /// The messages of the findings that carry the check's status, one per line.
    pub message: String,
    /// Facts worth showing (never secrets; tokens masked).
    pub evidence: BTreeMap<String, String>,
    /// How to fix it, when the check failed or warned.
    pub fix: Option<FixJson>,
    /// Wall time of gathering this check's facts.
    pub duration_ms: u64,
    /// Every statement the check makes, about the whole check or one image or organization.
    pub findings: Vec<FindingJson>,
}

/// A check's fix.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FixJson {
    /// What to do, in words.
    pub text: String,
    /// The commands that fix it, in order.
    pub commands: Vec<String>,
}

/// One finding of a check.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingJson {
    pub status: Status,
    pub cause: Option<CauseId>,
    /// The image or organization this is about.
    pub subject: Option<String>,
    pub message: String,
    pub commands: Vec<String>,
}

impl ReportJson {
    pub fn new(report: &Report, request: &Request, lang: Lang) -> ReportJson {
        ReportJson {
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            lang,
            family: request.forge.family(),
            host: request.forge.host_name().to_owned(),
            registry: request.registry_host(),
            access: request.access,
            client: request.client.unwrap_or_default(),
            ci: request.ci,
            status: report.status,
            root_cause: report.root_cause,
            checks: report.outcomes.iter().map(|o| CheckJson::new(o, lang)).collect(),
            next_steps: command_lines(&report.next_steps),
        }
    }
}

impl CheckJson {
    fn new(o: &Outcome, lang: Lang) -> CheckJson {
        let relevant: Vec<&Finding> = o.findings.iter().filter(|f| f.status == o.status).collect();
        let message = relevant.iter().map(|f| f.message.render(lang)).collect::<Vec<_>>().join("\n");
        let mut fix_texts: Vec<String> = Vec::new();
        for text in relevant.iter().filter_map(|f| f.fix_text(lang)) {
            if !fix_texts.contains(&text) {
                fix_texts.push(text);
            }
        }
        let commands = command_lines(&o.steps());
        let fix =
            (!fix_texts.is_empty() || !commands.is_empty()).then(|| FixJson { text: fix_texts.join("\n"), commands });
        CheckJson {
            id: o.check,
            status: o.status,
            cause: o.cause(),
            title: check(o.check).title.get(lang).to_owned(),
            message,
            evidence: o.evidence.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            fix,
            duration_ms: o.duration_ms,
            findings: o.findings.iter().map(|f| FindingJson::new(f, lang)).collect(),
        }
    }
}

impl FindingJson {
    fn new(f: &Finding, lang: Lang) -> FindingJson {
        FindingJson {
            status: f.status,
            cause: f.cause,
            subject: f.subject.clone(),
            message: f.message.render(lang),
            commands: command_lines(&f.steps),
        }
    }
}

/// `ghcr-doctor explain --json`: the answer for a pasted text, or the explanation of an id.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ExplainJson {
    Text(ExplainTextJson),
    Id(ExplainIdJson),
}

/// What a pasted message or log means.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExplainTextJson {
    #[serde(flatten)]
    pub explanation: ExplanationJson,
    /// The language of the texts.
    pub lang: Lang,
    /// One entry per match, in the same order: the cause's texts and fix commands, filled with
    /// what the text reveals.
    pub explanations: Vec<CauseTextJson>,
    /// The command that looks at the user's machine directly.
    pub suggestion: String,
}

/// A cause's texts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CauseTextJson {
    pub cause: CauseId,
    pub title: String,
    pub why: String,
    pub fix: String,
    pub commands: Vec<String>,
}

/// `explain ID --json`: the explanation of a check or cause id.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExplainIdJson {
    pub schema_version: u32,
    /// The check or cause id.
    pub id: String,
    pub lang: Lang,
    /// The explanation as plain text (the same as the generated reference).
    pub text: String,
}

/// `ghcr-doctor list --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListJson {
    pub schema_version: u32,
    pub lang: Lang,
    pub checks: Vec<ListedCheckJson>,
}

/// One check of the catalogue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListedCheckJson {
    pub id: CheckId,
    pub title: String,
    /// The causes it can report.
    pub causes: Vec<CauseId>,
    /// The checks that must not have failed for it to run.
    pub depends_on: Vec<CheckId>,
}

impl ListJson {
    pub fn new(lang: Lang) -> ListJson {
        let checks = ghcr_doctor_checks::checks_by_id()
            .map(|c| ListedCheckJson {
                id: c.id,
                title: c.title.get(lang).to_owned(),
                causes: c.causes().collect(),
                depends_on: c.depends_on.to_vec(),
            })
            .collect();
        ListJson { schema_version: SCHEMA_VERSION, lang, checks }
    }
}

/// `value` as one line of JSON. The types hold only strings, numbers and maps with string keys,
/// so serialization cannot fail.
pub fn to_line(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("the output types always serialize")
}

/// The JSON Schemas of the outputs, by file name under `docs/schema/`.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    let schema = |s: schemars::Schema| s.to_value();
    vec![
        ("report.schema.json", schema(schemars::schema_for!(ReportJson))),
        ("explain.schema.json", schema(schemars::schema_for!(ExplainJson))),
        ("list.schema.json", schema(schemars::schema_for!(ListJson))),
    ]
}
