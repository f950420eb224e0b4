//! The `glab-installed` check: glab (the GitLab CLI) on PATH. glab is optional — the registry
//! needs only a token — so its absence is a warning with install hints, never a failure
//! (gitlab-facts §11: glab is not packaged in Debian 12).

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{CauseId, Finding, GitlabFacts, Msg, Outcome, Probe, Status, t};

pub static CHECK: Check = Check {
    id: K::GlabInstalled,
    title: t!("GitLab CLI (glab)", "GitLab CLI（glab）"),
    what: t!(
        "`glab` is on PATH and `glab --version` answers. glab is optional: without it you log docker in with a token yourself.",
        "`glab` が PATH にあり、`glab --version` が応答することを確認します。glab は任意です。なくても、トークンを使って自分で docker にログインできます。"
    ),
    why: t!(
        "glab can keep your GitLab login and, since v1.62.0, hand it to docker as a credential helper (`glab auth configure-docker`), so no token copy in docker's store goes stale.",
        "glab は GitLab のログインを保持でき、v1.62.0 からは docker の認証情報ヘルパーとしてそのログインを docker に渡せます（`glab auth configure-docker`）。そのため、docker のストアに保存したトークンのコピーが古くなることがありません。"
    ),
    depends_on: &[],
    in_ci: false,
    evaluate: Evaluate::Gitlab(evaluate),
};

fn evaluate(ctx: &Ctx, gitlab: &GitlabFacts) -> Outcome {
    let id = K::GlabInstalled;
    let Some(path) = &gitlab.glab_path else {
        let msg = Msg::new(t!(
            "`glab` was not found on PATH. It is optional: the checks below use your token and docker's login.",
            "PATH に `glab` が見つかりません。glab は任意です。以下のチェックは、あなたのトークンと docker のログインを使って確認します。"
        ));
        return Outcome::new(id, vec![ctx.finding(Status::Warn, CauseId::GlabMissing, msg, None)], vec![]);
    };
    let evidence = vec![("path", path.clone())];
    let out = match &gitlab.glab_version {
        Probe::Done(out) => out,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "glab --version", None)], evidence),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let first = out.stdout.lines().next().unwrap_or("").trim().chars().take(120).collect::<String>();
    let finding = Finding::pass(
        Msg::new(t!("{version} at `{path}`.", "{version}（`{path}`）。")).arg("version", first).arg("path", path),
    );
    Outcome::new(id, vec![finding], evidence)
}
