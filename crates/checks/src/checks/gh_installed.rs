//! The `gh-installed` check: gh on PATH and new enough (`gh auth token` needs 2.17.0).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::parse::*;
use crate::{CauseId, CheckId, Finding, GithubFacts, Msg, Outcome, Probe, Status, t};

/// The oldest gh with `gh auth token`.
pub const GH_MINIMUM: semver::Version = semver::Version::new(2, 17, 0);
/// gh 2.40 brought multiple accounts and the status format the docs describe.
pub const GH_RECOMMENDED: semver::Version = semver::Version::new(2, 40, 0);

pub static CHECK: Check = Check {
    id: K::GhInstalled,
    title: t!("GitHub CLI (gh)", "GitHub CLI（gh）"),
    what: t!(
        "`gh` is on PATH and `gh --version` reports at least 2.17.0 (which added `gh auth token`); versions before 2.40.0 get a warning.",
        "`gh` が PATH にあり、`gh --version` が 2.17.0（`gh auth token` が追加されたバージョン）以上であることを確認します。2.40.0 より前のバージョンには警告を出します。"
    ),
    why: t!(
        "gh holds your GitHub login. Handing its token to docker avoids creating yet another long-lived personal access token.",
        "gh はあなたの GitHub ログインを管理します。gh のトークンを docker に渡せば、有効期限の長い個人用アクセストークンをまた一つ作る必要がなくなります。"
    ),
    depends_on: &[],
    in_ci: false,
    evaluate: Evaluate::Github(evaluate),
};

fn evaluate(ctx: &Ctx, gh: &GithubFacts) -> Outcome {
    let id = CheckId::GhInstalled;
    let gh = match &gh.gh {
        Probe::Done(gh) => gh,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "gh", None)], vec![]),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let Some(path) = &gh.path else {
        let msg = Msg::new(t!("`gh` was not found on PATH.", "PATH に `gh` が見つかりません。"));
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::GhMissing, msg, None)], vec![]);
    };
    let mut evidence = vec![("path", path.clone())];
    let out = match &gh.version {
        Probe::Done(out) => out,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "gh --version", None)], evidence),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let Some(version) = parse_gh_version(&out.stdout) else {
        let first =
            out.stdout.lines().chain(out.stderr.lines()).next().unwrap_or("").chars().take(120).collect::<String>();
        let msg = Msg::new(t!(
            "Could not read gh's version from `gh --version` (it printed `{output}`).",
            "`gh --version` の出力からバージョンを読み取れませんでした（出力：`{output}`）。"
        ))
        .arg("output", first);
        return Outcome::new(id, vec![Finding::new(Status::Warn, msg)], evidence);
    };
    evidence.push(("version", version.to_string()));
    let finding = if version < GH_MINIMUM {
        ctx.finding(
            Status::Fail,
            CauseId::GhTooOld,
            Msg::new(t!(
                "gh {version} is older than 2.17.0 and has no `gh auth token`.",
                "gh {version} は 2.17.0 より古く、`gh auth token` がありません。"
            ))
            .arg("version", &version),
            None,
        )
    } else if version < GH_RECOMMENDED {
        ctx.finding(
            Status::Warn,
            CauseId::GhTooOld,
            Msg::new(t!(
                "gh {version} works, but 2.40.0 or later is recommended (multiple accounts, `*.ghe.com` hosts, the newer `gh auth status` output).",
                "gh {version} でも動きますが、2.40.0 以降をおすすめします。2.40.0 以降は、複数アカウント、`*.ghe.com` のホスト、`gh auth status` の新しい出力形式に対応しています。"
            ))
            .arg("version", &version),
            None,
        )
    } else {
        Finding::pass(
            Msg::new(t!("gh {version} at `{path}`.", "gh {version}（`{path}`）。"))
                .arg("version", &version)
                .arg("path", path),
        )
    };
    Outcome::new(id, vec![finding], evidence)
}
