//! `check --report [FILE|-]`: a Markdown report to paste into an issue, a pull request or a chat
//! when the fix needs someone else. The header (versions of ghcr-doctor, gh and docker, the OS,
//! the host and its kind), the check table, the failing checks with their evidence, the root
//! cause, who must act and what they click or run (with the link when the names are kept), and
//! the next steps — in the language chosen (`--report-lang`), without colour or progress lines,
//! tokens masked as everywhere, names replaced when `--anonymize` is given.
//!
//! Also the one file `check` may write: the report, only when asked, atomically (a temporary
//! file in the same directory, renamed over the target), never over something that is not a
//! regular file.

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use ghcr_doctor_checks::{
    Access, CauseId, Facts, Finding, HostKind, Lang, Msg, Outcome, Report, Request, Status, Text, check, command_lines,
    fill, parse_gh_version, t,
};

use crate::anonymize::Anonymizer;
use crate::{github, texts};

// ---------------------------------------------------------------------------------------------
// Texts

const COL_ITEM: Text = t!("Item", "項目");
const COL_VALUE: Text = t!("Value", "値");
const COL_CHECK: Text = t!("Check", "チェック");
const COL_STATUS: Text = t!("Status", "状態");
const COL_CAUSE: Text = t!("Cause", "原因");
const ROW_OS: Text = t!("OS", "OS");
const ROW_HOST: Text = t!("GitHub host", "GitHub のホスト");
const ROW_REGISTRY: Text = t!("Registry", "レジストリ");
const ROW_ACCESS: Text = t!("Access", "アクセス");
const ROW_CI: Text = t!("CI self-check", "CI のセルフチェック");
const ROW_IMAGES: Text = t!("Images", "イメージ");
const ROW_NAMES: Text = t!("Names", "名前");
const YES: Text = t!("yes", "はい");
const NO: Text = t!("no", "いいえ");
const NONE_GIVEN: Text = t!("none given", "指定なし");
const KIND_TENANCY: Text = t!(
    "GHE.com (GitHub Enterprise Cloud with data residency)",
    "GHE.com（データ所在地付きの GitHub Enterprise Cloud）"
);
const KIND_ENTERPRISE: Text = t!("GitHub Enterprise Server", "GitHub Enterprise Server");
const NOT_INSTALLED: Text = t!("not installed", "インストールされていません");
const NOT_LOOKED_AT: Text = t!("not looked at", "確認していません");
const NO_ANSWER: Text = t!("no answer", "応答がありません");
const UNREADABLE: Text = t!("version not readable", "バージョンを読み取れません");
const DOCKER_WITH_DAEMON: Text = t!("{client} (daemon {server})", "{client}（デーモン {server}）");
const DOCKER_NO_DAEMON: Text = t!("{client} (no daemon answered)", "{client}（デーモンが応答しません）");
const PODMAN_AS_DOCKER: Text = t!("{version} (runs as `docker`)", "{version}（`docker` として動作）");
const NAMES_KEPT: Text = t!("as they are", "そのまま");
const NAMES_ANONYMIZED: Text = t!("replaced (`--anonymize`)", "置き換え済み（`--anonymize`）");

const H_CHECKS: Text = t!("Checks", "チェック");
const H_PROBLEMS: Text = t!("Problems", "問題");
const H_ROOT_CAUSE: Text = t!("Root cause", "根本原因");
const H_WHO: Text = t!("Who must act", "対応が必要な人");
const H_NEXT: Text = t!("Next steps (in this order)", "次の手順（この順に実行します）");
const EVIDENCE: Text = t!("Evidence", "根拠");
const ID_AFTER: Text = t!(" (`{id}`)", "（`{id}`）");
const LINKS_LEFT_OUT: Text = t!(
    "The links are left out: the names in this report are placeholders.",
    "このレポートの名前はプレースホルダーのため、リンクは省略しています。"
);
const FOOTER_KEPT: Text = t!(
    "Tokens are masked. Logins, organization, repository, image and host names are shown as they are; `--anonymize` replaces them.",
    "トークンはマスクしています。ログイン名、組織名、リポジトリ名、イメージ名、ホスト名はそのまま表示しています。`--anonymize` を付けると置き換えます。"
);
const FOOTER_ANONYMIZED: Text = t!(
    "Tokens are masked. Logins, organization, repository, image and non-public host names are replaced with placeholders (`user-1`, `org-1`, `repo-1`, `image-1`, `ghe-host-1`, `gitlab-host-1`), the same one for the same name.",
    "トークンはマスクしています。ログイン名、組織名、リポジトリ名、イメージ名、公開されていないホスト名は、プレースホルダー（`user-1`、`org-1`、`repo-1`、`image-1`、`ghe-host-1`、`gitlab-host-1`）に置き換えています。同じ名前は同じプレースホルダーになります。"
);
const THE_REPOSITORY: Text = t!("the workflow's repository", "ワークフローのリポジトリ");

pub const STDOUT_TAKES_THE_REPORT: Text = t!(
    "`--report -` writes the report to stdout in place of the usual output; drop `--json`/`--format`, or give `--report FILE`",
    "`--report -` は通常の出力の代わりにレポートを標準出力に書きます。`--json` や `--format` を外すか、`--report FILE` を指定してください"
);
pub const NOT_A_REGULAR_FILE: Text = t!(
    "`{path}` exists and is not a regular file; the report is written only to a new or regular file",
    "`{path}` は通常のファイルではありません。レポートは新しいファイルか通常のファイルにだけ書き込みます"
);
pub const NO_DIRECTORY: Text = t!(
    "cannot write the report to `{path}`: the directory `{dir}` does not exist",
    "レポートを `{path}` に書き込めません。ディレクトリ `{dir}` がありません"
);
pub const LOOKS_LIKE_AN_IMAGE: Text = t!(
    "; `{path}` looks like an image: put the images before `--report`, or write `--report=FILE`",
    "。`{path}` はイメージのようです。イメージは `--report` より前に書くか、`--report=FILE` と書いてください"
);
pub const WRITE_FAILED: Text =
    t!("cannot write the report to `{path}`: {error}", "レポートを `{path}` に書き込めません：{error}");
pub const CHECK_ONLY: Text = t!(
    "`--report` and `--anonymize` belong to `ghcr-doctor check`",
    "`--report` と `--anonymize` は `ghcr-doctor check` のオプションです"
);

// ---------------------------------------------------------------------------------------------
// Who must act

/// Where a person who must act clicks: the page a link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    /// The package's settings (Manage access, Manage Actions access), the URL shape the cause
    /// texts use: `{web}/orgs/{owner}/packages/container/{name}/settings` (`users/` for a user).
    PackageSettings,
    /// Organization settings → Packages. The URL shape is UNCONFIRMED: GitHub's docs give the
    /// click path only.
    OrgPackages,
    /// Organization settings → Third-party Access → OAuth app policy (GitHub docs, "Approving
    /// OAuth apps for your organization"). The URL shape is UNCONFIRMED, as above.
    OauthAppPolicy,
    /// Enterprise Server's Management Console, on port 8443 with TLS (GitHub docs, "Management
    /// Console" REST page).
    ManagementConsole,
}

/// Who must act on a cause that the member cannot fix alone, and what they click or run.
/// Placeholders: the finding's (`{owner}`, `{image}`, `{login}`, `{host}`, `{level}`, …), plus
/// `{role}` (Read or Write) and `{repository}` (the job's, in code, or "the workflow's repository").
struct WhoActs {
    cause: CauseId,
    who: Text,
    what: Text,
    page: Option<Page>,
}

// This belongs with each cause's record in causes.rs (a `who_acts` field); it lives here while
// that file is being changed elsewhere.
static WHO_ACTS: &[WhoActs] = &[
    WhoActs {
        cause: CauseId::NoPackageAccess,
        who: t!(
            "An admin of the package `{image}`, or an owner of `{owner}`",
            "パッケージ `{image}` の管理者、または `{owner}` のオーナー"
        ),
        what: t!(
            "In the package's settings → Manage access, add `{login}` (or their team) with the {role} role.",
            "パッケージの設定 → Manage access で、`{login}`（またはそのチーム）を {role} ロールで追加します。"
        ),
        page: Some(Page::PackageSettings),
    },
    WhoActs {
        cause: CauseId::NoWriteAccess,
        who: t!(
            "An admin of the package `{image}`, or an owner of `{owner}`",
            "パッケージ `{image}` の管理者、または `{owner}` のオーナー"
        ),
        what: t!(
            "In the package's settings → Manage access, give `{login}` the Write role; for a workflow, add its repository under Manage Actions access with the Write role.",
            "パッケージの設定 → Manage access で、`{login}` に Write ロールを付与します。ワークフローの場合は、Manage Actions access でそのリポジトリを Write ロールで追加します。"
        ),
        page: Some(Page::PackageSettings),
    },
    WhoActs {
        cause: CauseId::ActionsTokenNoAccess,
        who: t!("An admin of the package `{image}`", "パッケージ `{image}` の管理者"),
        what: t!(
            "In the package's settings → Manage Actions access → Add Repository, add {repository} with the {role} role.",
            "パッケージの設定 → Manage Actions access → Add Repository で、{repository}を {role} ロールで追加します。"
        ),
        page: Some(Page::PackageSettings),
    },
    WhoActs {
        cause: CauseId::PackageCreationForbidden,
        who: t!("An owner of the organization `{owner}`", "組織 `{owner}` のオーナー"),
        what: t!(
            "In Organization settings → Packages, allow the package to be created (\"Package creation\") and keep \"Inherit access from source repository\" on; or create the package once by hand and give {repository} the Write role under its Manage Actions access.",
            "Organization settings → Packages で、パッケージの作成（「Package creation」）を許可し、「Inherit access from source repository」を有効のままにします。または、パッケージを一度手動で作成し、その Manage Actions access で、{repository}に Write ロールを付与します。"
        ),
        page: Some(Page::OrgPackages),
    },
    WhoActs {
        cause: CauseId::OauthAppRestricted,
        who: t!("An owner of the organization `{owner}`", "組織 `{owner}` のオーナー"),
        what: t!(
            "In Organization settings → Third-party Access → OAuth app policy, click Review next to GitHub CLI, then Grant access (GitHub CLI is listed once a member has requested access).",
            "Organization settings → Third-party Access → OAuth app policy で、GitHub CLI の横の Review をクリックし、Grant access をクリックします（メンバーがアクセスをリクエストすると GitHub CLI が一覧に表示されます）。"
        ),
        page: Some(Page::OauthAppPolicy),
    },
    WhoActs {
        cause: CauseId::RegistryUnavailable,
        who: t!("The site administrator of `{host}`", "`{host}` のサイト管理者"),
        what: t!(
            "In the Management Console → Packages, enable GitHub Packages (with its storage). The registry at `containers.{host}` also needs subdomain isolation, with wildcard DNS and a TLS certificate for `*.{host}`.",
            "Management Console → Packages で、GitHub Packages を（ストレージとあわせて）有効にします。`containers.{host}` のレジストリには、サブドメイン分離と、`*.{host}` のワイルドカード DNS と TLS 証明書も必要です。"
        ),
        page: Some(Page::ManagementConsole),
    },
    WhoActs {
        cause: CauseId::MissingPackagesPermission,
        who: t!(
            "A maintainer of {repository} (who may change its workflows)",
            "{repository}のメンテナー（ワークフローを変更できる人）"
        ),
        what: t!(
            "In the workflow file, add `packages: {level}` to the job's `permissions:`, keeping `contents: read`.",
            "ワークフローファイルのジョブの `permissions:` に、`contents: read` を残したまま `packages: {level}` を追加します。"
        ),
        page: None,
    },
    WhoActs {
        cause: CauseId::ForkPullRequest,
        who: t!(
            "A maintainer of {repository} (who may change its workflows)",
            "{repository}のメンテナー（ワークフローを変更できる人）"
        ),
        what: t!(
            "Change the workflow so that pull requests from forks build without pushing (see the fix above).",
            "フォークからのプルリクエストでは push せずにビルドだけを行うよう、ワークフローを変更します（上の対処を参照してください）。"
        ),
        page: None,
    },
];

/// Who must act on `cause` for this request, if it is someone other than the member. The site
/// administrator exists only on Enterprise Server.
fn who_acts(cause: CauseId, request: &Request) -> Option<&'static WhoActs> {
    let entry = WHO_ACTS.iter().find(|w| w.cause == cause)?;
    let enterprise = request.forge.github().is_some_and(|h| h.kind == HostKind::Enterprise);
    (cause != CauseId::RegistryUnavailable || enterprise).then_some(entry)
}

// ---------------------------------------------------------------------------------------------
// The header's facts

/// What the report says about the machine and the run besides the checks, read from the facts
/// (already anonymized where it names someone).
pub struct Context {
    /// `linux x86_64`.
    os: String,
    gh: Text,
    gh_version: Option<String>,
    docker: DockerVersion,
    /// Image owners GitHub answered 404 for on `/orgs/{owner}`: users, whose package pages are
    /// under `/users/`.
    user_owners: Vec<String>,
    /// The Actions job's `owner/repo`.
    repository: Option<String>,
    anonymized: bool,
}

enum DockerVersion {
    Unknown(Text),
    Docker { client: String, server: Option<String> },
    Podman { version: String },
}

impl Context {
    pub fn new(facts: &Facts, anonymizer: Option<&Anonymizer>) -> Context {
        let name = |s: &str| anonymizer.map_or_else(|| s.to_owned(), |a| a.text(s));
        let github = facts.github();
        let (gh, gh_version) = match github.map(|g| &g.gh) {
            Some(ghcr_doctor_checks::Probe::Done(g)) if g.path.is_none() => (NOT_INSTALLED, None),
            Some(ghcr_doctor_checks::Probe::Done(g)) => match &g.version {
                ghcr_doctor_checks::Probe::Done(out) => {
                    (UNREADABLE, parse_gh_version(&out.stdout).map(|v| v.to_string()))
                }
                ghcr_doctor_checks::Probe::Failed(_) => (NO_ANSWER, None),
                ghcr_doctor_checks::Probe::Skipped => (NOT_LOOKED_AT, None),
            },
            Some(ghcr_doctor_checks::Probe::Failed(_)) => (NO_ANSWER, None),
            _ => (NOT_LOOKED_AT, None),
        };
        let docker = match &facts.docker {
            ghcr_doctor_checks::Probe::Done(d) if d.path.is_none() => DockerVersion::Unknown(NOT_INSTALLED),
            ghcr_doctor_checks::Probe::Done(d) => match &d.version {
                ghcr_doctor_checks::Probe::Done(out) => docker_version(&out.stdout),
                ghcr_doctor_checks::Probe::Failed(_) => DockerVersion::Unknown(NO_ANSWER),
                ghcr_doctor_checks::Probe::Skipped => DockerVersion::Unknown(NOT_LOOKED_AT),
            },
            ghcr_doctor_checks::Probe::Failed(_) => DockerVersion::Unknown(NO_ANSWER),
            ghcr_doctor_checks::Probe::Skipped => DockerVersion::Unknown(NOT_LOOKED_AT),
        };
        let user_owners = github
            .map(|g| {
                g.owners
                    .iter()
                    .filter(|o| o.org.done().is_some_and(|a| a.status == 404))
                    .map(|o| name(&o.owner))
                    .collect()
            })
            .unwrap_or_default();
        let repository = github.and_then(|g| g.actions.as_ref()).and_then(|a| a.repository.as_deref()).map(name);
        Context {
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            gh,
            gh_version,
            docker,
            user_owners,
            repository,
            anonymized: anonymizer.is_some(),
        }
    }
}

/// The versions in `docker version --format '{{json .}}'`. podman (the `podman-docker` shim runs
/// podman as `docker`) prints `APIVersion` where docker prints `ApiVersion` (measured with podman
/// 4.3.1 and docker 28.2.2 here; other podman versions UNCONFIRMED).
fn docker_version(stdout: &str) -> DockerVersion {
    let Some(json) = stdout.lines().find_map(|l| serde_json::from_str::<serde_json::Value>(l.trim()).ok()) else {
        return DockerVersion::Unknown(UNREADABLE);
    };
    let version = |part: &str| json.pointer(&format!("/{part}/Version")).and_then(|v| v.as_str()).map(str::to_owned);
    let Some(client) = version("Client") else { return DockerVersion::Unknown(UNREADABLE) };
    let client_obj = json.get("Client");
    let podman = client_obj.is_some_and(|c| c.get("APIVersion").is_some() && c.get("ApiVersion").is_none());
    if podman {
        return DockerVersion::Podman { version: client };
    }
    DockerVersion::Docker { client, server: version("Server") }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// A bold label: `**Why:** ` in English, `**理由**：` in Japanese (the colon outside: CommonMark
/// does not close `**` after punctuation that a letter follows, which Japanese has no space for).
fn bold_label(text: Text, lang: Lang) -> String {
    match lang {
        Lang::En => format!("**{}:** ", text.en),
        Lang::Ja => format!("**{}**：", text.ja),
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `text` as a code span, with a longer fence when it holds backticks.
fn code(text: &str) -> String {
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Warn => "⚠️",
        Status::Fail => "❌",
        Status::Skip => "➖",
    }
}

fn problem(o: &Outcome) -> bool {
    matches!(o.status, Status::Fail | Status::Warn)
}

fn headline(o: &Outcome) -> impl Iterator<Item = &Finding> {
    o.findings.iter().filter(move |f| f.status == o.status)
}

/// The Markdown report. `report` and `request` are what the other outputs show (anonymized when
/// asked); `context` holds the versions.
pub fn render(report: &Report, request: &Request, context: &Context, lang: Lang) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "### {}\n", texts::header(request, lang));
    header_table(&mut md, request, context, lang);
    checks_table(&mut md, report, lang);

    if report.outcomes.iter().any(problem) {
        let _ = writeln!(md, "#### {}\n", H_PROBLEMS.get(lang));
        for o in report.outcomes.iter().filter(|o| problem(o)) {
            problem_section(&mut md, o, lang);
        }
    }
    if let (Some(cause), Some(title)) = (report.root_cause, report.root_cause_title(lang)) {
        let _ = writeln!(md, "#### {}\n", H_ROOT_CAUSE.get(lang));
        let _ = writeln!(md, "{title}{}\n", Msg::new(ID_AFTER).arg("id", cause).render(lang));
    }
    who_section(&mut md, report, request, context, lang);
    if !report.next_steps.is_empty() {
        let _ = writeln!(md, "#### {}\n", H_NEXT.get(lang));
        for (i, step) in command_lines(&report.next_steps).iter().enumerate() {
            let _ = writeln!(md, "{}. {}", i + 1, code(step));
        }
        md.push('\n');
    } else if report.status == Status::Pass {
        let _ = writeln!(md, "{}\n", texts::ALL_GOOD.get(lang));
    }
    let counts = |s: Status| report.outcomes.iter().filter(|o| o.status == s).count();
    let summary = Msg::new(texts::SUMMARY)
        .arg("fail", counts(Status::Fail))
        .arg("warn", counts(Status::Warn))
        .arg("pass", counts(Status::Pass))
        .arg("skip", counts(Status::Skip))
        .render(lang);
    let footer = if context.anonymized { FOOTER_ANONYMIZED } else { FOOTER_KEPT };
    let _ = writeln!(md, "_{summary}_\n\n_{}_", footer.get(lang));
    md
}

fn header_table(md: &mut String, request: &Request, context: &Context, lang: Lang) {
    let mut rows: Vec<(String, String)> = Vec::new();
    let kind = match request.forge.github().map(|h| &h.kind) {
        Some(HostKind::Tenancy { .. }) => Some(KIND_TENANCY),
        Some(HostKind::Enterprise) => Some(KIND_ENTERPRISE),
        Some(HostKind::GithubCom) | None => None,
    };
    let host = format!(
        "{}{}",
        code(request.forge.host_name()),
        kind.map(|k| bracketed(k.get(lang), lang)).unwrap_or_default()
    );
    rows.push((ROW_OS.get(lang).into(), context.os.clone()));
    rows.push((ROW_HOST.get(lang).into(), host));
    rows.push((ROW_REGISTRY.get(lang).into(), code(&request.registry_host())));
    let access = match request.access {
        Access::Pull => texts::ACCESS_PULL,
        Access::Push => texts::ACCESS_PUSH,
    };
    rows.push((ROW_ACCESS.get(lang).into(), access.get(lang).into()));
    rows.push((ROW_CI.get(lang).into(), if request.ci { YES } else { NO }.get(lang).into()));
    let images = if request.images.is_empty() {
        NONE_GIVEN.get(lang).to_owned()
    } else {
        let sep = if lang == Lang::Ja { "、" } else { ", " };
        request.images.iter().map(|i| code(&i.to_string())).collect::<Vec<_>>().join(sep)
    };
    rows.push((ROW_IMAGES.get(lang).into(), images));
    rows.push(("gh".into(), context.gh_version.clone().unwrap_or_else(|| context.gh.get(lang).to_owned())));
    let docker = match &context.docker {
        DockerVersion::Unknown(text) => ("docker", text.get(lang).to_owned()),
        DockerVersion::Docker { client, server: Some(server) } => {
            ("docker", Msg::new(DOCKER_WITH_DAEMON).arg("client", client).arg("server", server).render(lang))
        }
        DockerVersion::Docker { client, server: None } => {
            ("docker", Msg::new(DOCKER_NO_DAEMON).arg("client", client).render(lang))
        }
        DockerVersion::Podman { version } => {
            ("podman", Msg::new(PODMAN_AS_DOCKER).arg("version", version).render(lang))
        }
    };
    rows.push((docker.0.into(), docker.1));
    let names = if context.anonymized { NAMES_ANONYMIZED } else { NAMES_KEPT };
    rows.push((ROW_NAMES.get(lang).into(), names.get(lang).into()));

    let _ = writeln!(md, "| {} | {} |\n|---|---|", COL_ITEM.get(lang), COL_VALUE.get(lang));
    for (k, v) in rows {
        let _ = writeln!(md, "| {} | {} |", cell(&k), cell(&v));
    }
    md.push('\n');
}

/// ` (text)` in English, `（text）` in Japanese.
fn bracketed(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(" ({text})"),
        Lang::Ja => format!("（{text}）"),
    }
}

fn checks_table(md: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(md, "#### {}\n", H_CHECKS.get(lang));
    let _ = writeln!(
        md,
        "| | {} | {} | {} |\n|---|---|---|---|",
        COL_CHECK.get(lang),
        COL_STATUS.get(lang),
        COL_CAUSE.get(lang)
    );
    for o in &report.outcomes {
        let cause = o.cause().filter(|_| problem(o)).map(|c| code(c.as_str())).unwrap_or_default();
        let title = format!("{}{}", check(o.check).title.get(lang), Msg::new(ID_AFTER).arg("id", o.check).render(lang));
        let _ = writeln!(md, "| {} | {} | {} | {} |", icon(o.status), cell(&title), o.status.as_str(), cause);
    }
    md.push('\n');
}

fn problem_section(md: &mut String, o: &Outcome, lang: Lang) {
    let title = check(o.check).title.get(lang);
    let _ = writeln!(md, "##### {} {title}{}\n", icon(o.status), Msg::new(ID_AFTER).arg("id", o.check).render(lang));
    for f in headline(o) {
        let _ = writeln!(md, "{}\n", f.message.render(lang));
        if let Some(why) = f.cause_why(lang) {
            let _ = writeln!(md, "{}{why}\n", bold_label(texts::WHY, lang));
        }
        if let Some(fix) = f.fix_text(lang) {
            let _ = writeln!(md, "{}{}", bold_label(texts::FIX, lang), github::markdown_text(&fix));
        }
        if !f.steps.is_empty() {
            let _ = writeln!(md, "```sh\n{}\n```\n", command_lines(&f.steps).join("\n"));
        }
    }
    if !o.evidence.is_empty() {
        let _ = writeln!(md, "**{}**\n", EVIDENCE.get(lang));
        let colon = if lang == Lang::Ja { "：" } else { ": " };
        for (key, value) in &o.evidence {
            let _ = writeln!(md, "- `{key}`{colon}{value}");
        }
        md.push('\n');
    }
}

fn who_section(md: &mut String, report: &Report, request: &Request, context: &Context, lang: Lang) {
    let role = match request.access {
        Access::Pull => "Read",
        Access::Push => "Write",
    };
    let mut lines: Vec<String> = Vec::new();
    for f in report.outcomes.iter().filter(|o| problem(o)).flat_map(headline) {
        let Some(who) = f.cause.and_then(|c| who_acts(c, request)) else { continue };
        let named = f.fix_args.iter().find(|(k, _)| *k == "repository").map(|(_, v)| v.as_str());
        let repository = named.or(context.repository.as_deref()).map_or_else(
            || THE_REPOSITORY.get(lang).to_owned(),
            // In Japanese a code span is followed by a space before the particle (docs/STYLE.md, section 2).
            |r| if lang == Lang::Ja { format!("`{r}` ") } else { format!("`{r}`") },
        );
        // Ours first: `fill` takes the first value of a name.
        let mut args: Vec<(&str, String)> = vec![("role", role.to_owned()), ("repository", repository)];
        args.extend(f.fix_args.iter().map(|(k, v)| (*k, v.clone())));
        let colon = if lang == Lang::Ja { "：" } else { ": " };
        let mut line =
            format!("- **{}**{colon}{}", fill(who.who.get(lang), &args).trim(), fill(who.what.get(lang), &args));
        if let Some(url) = who.page.filter(|_| !context.anonymized).and_then(|p| page_url(p, &args, context)) {
            // No space after Japanese full-width punctuation (docs/STYLE.md, section 2).
            let _ = if lang == Lang::Ja { write!(line, "<{url}>") } else { write!(line, " <{url}>") };
        }
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(md, "#### {}\n", H_WHO.get(lang));
    for line in lines {
        let _ = writeln!(md, "{line}");
    }
    if context.anonymized {
        let _ = writeln!(md, "\n{}", LINKS_LEFT_OUT.get(lang));
    }
    md.push('\n');
}

/// The page of `page` for the finding's values; `None` when a value is missing.
fn page_url(page: Page, args: &[(&str, String)], context: &Context) -> Option<String> {
    let get = |k: &str| args.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
    let (web, owner, host) = (get("web")?, get("owner")?, get("host")?);
    Some(match page {
        Page::PackageSettings => {
            let name = get("name")?.replace('/', "%2F");
            let scope =
                if context.user_owners.iter().any(|u| u.eq_ignore_ascii_case(owner)) { "users" } else { "orgs" };
            format!("{web}/{scope}/{owner}/packages/container/{name}/settings")
        }
        Page::OrgPackages => format!("{web}/organizations/{owner}/settings/packages"),
        Page::OauthAppPolicy => format!("{web}/organizations/{owner}/settings/oauth_application_policy"),
        Page::ManagementConsole => format!("https://{host}:8443/setup/settings"),
    })
}

// ---------------------------------------------------------------------------------------------
// Writing the file

/// Where the report goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
}

impl Destination {
    pub fn from_arg(arg: &Path) -> Destination {
        if arg.as_os_str() == "-" { Destination::Stdout } else { Destination::File(arg.to_owned()) }
    }
}

/// Refuses, before anything is gathered, a destination the report cannot be written to: a path
/// that exists and is not a regular file, or whose directory does not exist. The message is in
/// the user's language.
pub fn check_destination(path: &Path, lang: Lang) -> Result<(), String> {
    let shown = path.display().to_string();
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.file_type().is_file()
    {
        return Err(Msg::new(NOT_A_REGULAR_FILE).arg("path", &shown).render(lang));
    }
    let dir = directory_of(path);
    if !dir.is_dir() {
        let mut message = Msg::new(NO_DIRECTORY).arg("path", &shown).arg("dir", dir.display()).render(lang);
        if shown.parse::<ghcr_doctor_checks::ImageRef>().is_ok() {
            message.push_str(&Msg::new(LOOKS_LIKE_AN_IMAGE).arg("path", &shown).render(lang));
        }
        return Err(message);
    }
    Ok(())
}

fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes `contents` to `path` atomically: a new temporary file next to it, flushed to disk,
/// then renamed over `path`. A path that is not a regular file is refused, and a failed write
/// leaves no temporary file behind.
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.file_type().is_file()
    {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let dir = directory_of(path);
    let name = path.file_name().map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let (temp, mut file) = create_temp(&dir, &name)?;
    let written = file.write_all(contents.as_bytes()).and_then(|()| file.sync_all());
    drop(file);
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed
}

/// `.NAME.PID-N.tmp` in `dir`, created new (never an existing file).
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for n in 0..100 {
        let temp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary file name left")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_who_acts_entry_is_bilingual_and_fills_its_placeholders() {
        for w in WHO_ACTS {
            for text in [w.who, w.what] {
                assert!(text.ja.chars().any(|c| c > '\u{3000}'), "{}: {}", w.cause, text.ja);
                let prose: String = text.ja.split('`').step_by(2).collect();
                assert!(!prose.contains(['(', ')', ',']), "{}: half-width punctuation in {}", w.cause, text.ja);
                assert!(!text.en.contains(['（', '）', '。']), "{}: {}", w.cause, text.en);
            }
            assert_eq!(WHO_ACTS.iter().filter(|o| o.cause == w.cause).count(), 1, "{}", w.cause);
        }
        let args = [
            ("web", "https://github.com".to_owned()),
            ("owner", "acme".to_owned()),
            ("host", "github.com".to_owned()),
            ("name", "tools/cli".to_owned()),
        ];
        let context = Context {
            os: String::new(),
            gh: NOT_LOOKED_AT,
            gh_version: None,
            docker: DockerVersion::Unknown(NOT_LOOKED_AT),
            user_owners: vec!["octocat".into()],
            repository: None,
            anonymized: false,
        };
        assert_eq!(
            page_url(Page::PackageSettings, &args, &context).unwrap(),
            "https://github.com/orgs/acme/packages/container/tools%2Fcli/settings"
        );
        let mut user = args.clone();
        user[1].1 = "OctoCat".into();
        assert!(
            page_url(Page::PackageSettings, &user, &context).unwrap().starts_with("https://github.com/users/OctoCat/")
        );
        assert_eq!(
            page_url(Page::ManagementConsole, &args, &context).unwrap(),
            "https://github.com:8443/setup/settings"
        );
    }

    #[test]
    fn the_site_administrator_exists_only_on_enterprise_server() {
        let com = Request::new(ghcr_doctor_checks::Forge::Github(ghcr_doctor_checks::GithubHost::github_com()));
        let ghes = Request::new(ghcr_doctor_checks::Forge::Github(
            ghcr_doctor_checks::GithubHost::parse("ghe.example.com").unwrap(),
        ));
        assert!(who_acts(CauseId::RegistryUnavailable, &com).is_none());
        assert!(who_acts(CauseId::RegistryUnavailable, &ghes).is_some());
        assert!(who_acts(CauseId::NoPackageAccess, &com).is_some());
        assert!(who_acts(CauseId::MissingScope, &com).is_none(), "the member fixes a scope alone");
    }

    #[test]
    fn podman_is_told_apart_from_docker() {
        // `podman version --format '{{json .}}'` of podman 4.3.1 and `docker version` of 28.2.2.
        let podman = r#"{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","GitCommit":"","BuiltTime":"Thu Jan  1 00:00:00 1970","Built":0,"OsArch":"linux/amd64","Os":"linux"}}"#;
        assert!(matches!(docker_version(podman), DockerVersion::Podman { version } if version == "4.3.1"));
        let docker = r#"{"Client":{"Version":"28.2.2","ApiVersion":"1.50","DefaultAPIVersion":"1.50","Os":"linux","Arch":"amd64","Context":"default"},"Server":{"Version":"28.2.2"}}"#;
        assert!(
            matches!(docker_version(docker), DockerVersion::Docker { client, server: Some(s) } if client == "28.2.2" && s == "28.2.2")
        );
        let no_daemon = r#"{"Client":{"Version":"28.2.2","ApiVersion":"1.50"},"Server":null}"#;
        assert!(matches!(docker_version(no_daemon), DockerVersion::Docker { server: None, .. }));
        assert!(matches!(docker_version("garbage"), DockerVersion::Unknown(_)));
    }

    #[test]
    fn the_file_is_written_atomically_and_only_over_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        write_atomically(&path, "one").unwrap();
        write_atomically(&path, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["report.md"], "no temporary file is left");
        let sub = dir.path().join("a-directory");
        std::fs::create_dir(&sub).unwrap();
        assert!(write_atomically(&sub, "x").is_err());
        assert!(check_destination(&sub, Lang::En).unwrap_err().contains("is not a regular file"));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert!(write_atomically(&link, "x").is_err(), "a symlink is not followed");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        }
        let missing = dir.path().join("no/such/dir.md");
        assert!(check_destination(&missing, Lang::Ja).unwrap_err().contains("ディレクトリ"));
        let image = check_destination(Path::new("ghcr.io/acme/app:1"), Lang::En).unwrap_err();
        assert!(image.contains("looks like an image"), "{image}");
        assert!(check_destination(&path, Lang::En).is_ok() && check_destination(Path::new("new.md"), Lang::En).is_ok());
    }
}
