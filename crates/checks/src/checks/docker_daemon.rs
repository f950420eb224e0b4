//! The `docker-daemon` check: the docker CLI, the endpoint it uses, its socket and the daemon's answer.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::{CauseId, CheckId, Client, Finding, Msg, Outcome, Probe, SocketState, Status, t};

pub static CHECK: Check = Check {
    id: K::DockerDaemon,
    title: t!("Docker daemon", "Docker デーモン"),
    what: t!(
        "`docker` is on PATH, which endpoint it uses (`DOCKER_HOST`, `DOCKER_CONTEXT`, the current context), whether its socket can be opened, and `docker version --format '{{json .}}'` reaches the server.",
        "`docker` が PATH にあるか、どのエンドポイント（`DOCKER_HOST`、`DOCKER_CONTEXT`、現在のコンテキスト）を使うか、そのソケットを開けるか、`docker version --format '{{json .}}'` がサーバーに届くかを確認します。"
    ),
    why: t!(
        "The daemon does the pull; docker prints one vague message for most ways of not reaching it, so the doctor looks at the socket itself.",
        "pull を実際に行うのはデーモンです。デーモンに接続できない原因はいくつもありますが、docker はそのほとんどで同じあいまいなメッセージを出します。そのため、ghcr-doctor はソケットを直接調べます。"
    ),
    depends_on: &[],
    in_ci: true,
    evaluate: Evaluate::Shared(evaluate),
};

fn evaluate(ctx: &Ctx) -> Outcome {
    let id = CheckId::DockerDaemon;
    if ctx.facts.client.client == Client::Podman {
        return podman(ctx);
    }
    let docker = match &ctx.facts.docker {
        Probe::Done(d) => d,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "docker", None)], vec![]),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let Some(path) = &docker.path else {
        if ctx.request.ci {
            return Outcome::skipped(
                id,
                Msg::new(t!(
                    "`docker` is not on PATH in this job; `registry-access` asks the registry directly, and pushing with buildah, crane or kaniko needs no daemon.",
                    "このジョブの PATH には `docker` がありません。`registry-access` はレジストリに直接確認します。buildah、crane、kaniko で push する場合はデーモンは不要です。"
                )),
            );
        }
        let msg = Msg::new(t!("`docker` was not found on PATH.", "PATH に `docker` が見つかりません。"));
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::DockerMissing, msg, None)], vec![]);
    };
    let endpoint = &docker.endpoint;
    let evidence =
        vec![("path", path.clone()), ("endpoint", endpoint.url.clone()), ("endpoint_source", endpoint.source.clone())];
    let socket_problem = match docker.socket {
        Some(SocketState::PermissionDenied) => Some((
            CauseId::DaemonPermission,
            Msg::new(t!(
                "Permission denied on the socket `{url}`: your user may not open it.",
                "ソケット `{url}` への接続が拒否されました（Permission denied）。このユーザーには開く権限がありません。"
            ))
            .arg("url", &endpoint.url),
        )),
        Some(state @ (SocketState::Missing | SocketState::NotASocket | SocketState::Refused)) => {
            let (what_en, what_ja) = match state {
                SocketState::Missing => ("the socket file does not exist", "ソケットファイルが存在しません"),
                SocketState::NotASocket => ("the path is not a socket", "そのパスはソケットではありません"),
                _ => (
                    "nothing listens on the socket (a stale socket file)",
                    "ソケットで何も待ち受けていません（古いソケットファイルが残っています）",
                ),
            };
            Some((
                CauseId::DaemonUnreachable,
                Msg::new(t!(
                    "The daemon at `{url}` ({source}) is not reachable: {what_en}.",
                    "`{url}`（{source}）のデーモンに接続できません：{what_ja}。"
                ))
                .arg("url", &endpoint.url)
                .arg("source", &endpoint.source)
                .arg("what_en", what_en)
                .arg("what_ja", what_ja),
            ))
        }
        Some(SocketState::Connectable) | None => None,
    };
    if let Some((cause, msg)) = socket_problem {
        return Outcome::new(id, vec![ctx.finding(Status::Fail, cause, msg, None)], evidence);
    }
    let out = match &docker.version {
        Probe::Done(out) => out,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "docker version", None)], evidence),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let json: Option<serde_json::Value> = out.stdout.lines().find_map(|l| serde_json::from_str(l.trim()).ok());
    let server_version = json
        .as_ref()
        .and_then(|v| v.get("Server"))
        .filter(|s| !s.is_null())
        .and_then(|s| s.get("Version"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let client_version =
        json.as_ref().and_then(|v| v.pointer("/Client/Version")).and_then(|v| v.as_str()).unwrap_or("?").to_owned();
    match server_version {
        Some(server) if out.exit_code == Some(0) || out.stderr.trim().is_empty() => {
            let mut evidence = evidence;
            evidence.push(("client_version", client_version.clone()));
            evidence.push(("server_version", server.clone()));
            let msg = Msg::new(t!(
                "docker {client} talks to daemon {server} at `{url}`.",
                "docker {client} が `{url}` のデーモン {server} と通信できます。"
            ))
            .arg("client", client_version)
            .arg("server", server)
            .arg("url", &endpoint.url);
            Outcome::new(id, vec![Finding::pass(msg)], evidence)
        }
        // docker killed, or printing neither its JSON nor an error: docker itself is the problem.
        _ if out.exit_code.is_none() || (json.is_none() && out.stderr.trim().is_empty()) => {
            let how = match out.exit_code {
                None => Msg::new(t!("was killed by a signal", "シグナルで強制終了されました")),
                Some(code) => Msg::new(t!(
                    "printed nothing readable (exit code {code})",
                    "読み取れる出力を返しませんでした（終了コード {code}）"
                ))
                .arg("code", code),
            };
            let msg = Msg::new(t!("`docker version` {how}.", "`docker version` は{how}。")).arg_msg("how", how);
            Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::ToolFailed, msg, None)], evidence)
        }
        _ => {
            let said = out.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
            let cause = if said.to_ascii_lowercase().contains("permission denied") {
                CauseId::DaemonPermission
            } else {
                CauseId::DaemonUnreachable
            };
            let msg = Msg::new(t!(
                "The daemon at `{url}` ({source}) is not reachable: docker said `{said}`",
                "`{url}`（{source}）のデーモンに接続できません。docker の出力：`{said}`"
            ))
            .arg("url", &endpoint.url)
            .arg("source", &endpoint.source)
            .arg("said", said);
            Outcome::new(id, vec![ctx.finding(Status::Fail, cause, msg, None)], evidence)
        }
    }
}

/// podman is daemonless (and often rootless): each `podman pull` does the pull in its own process,
/// so there is no daemon to reach and nothing to start; only the command itself must be there.
fn podman(ctx: &Ctx) -> Outcome {
    let id = CheckId::DockerDaemon;
    let client = &ctx.facts.client;
    let Some(path) = &client.path else {
        let msg = Msg::new(t!(
            "The client is podman, but `podman` was not found on PATH.",
            "クライアントは podman ですが、PATH に `podman` が見つかりません。"
        ));
        return Outcome::new(id, vec![ctx.finding(Status::Fail, CauseId::PodmanMissing, msg, None)], vec![]);
    };
    let msg = Msg::new(t!(
        "The client is podman (`{path}`): podman needs no daemon, it pulls in its own process, so there is no docker daemon to reach or start.",
        "クライアントは podman（`{path}`）です。podman はデーモンを使わず、自分のプロセスで pull します。そのため、接続や起動が必要な docker デーモンはありません。"
    ))
    .arg("path", path);
    Outcome::new(id, vec![Finding::pass(msg)], vec![("client", "podman".to_owned()), ("path", path.clone())])
}
