//! The `docker-credentials` check: what docker will send to the registry host, and whether GitHub
//! still accepts it.

use crate::CheckId as K;
use crate::check::{Check, Evaluate};
use crate::ctx::Ctx;
use crate::parse::*;
use crate::{
    CauseId, CheckId, Client, ConfiguredCredential, CredentialLookup, CredentialStore, DockerConfigState,
    DockerCredentialFacts, Finding, Msg, Outcome, Probe, ProbeErrorKind, Status, StoredCredential, TokenKind,
    UnknownKeyValue, packages_scope, t,
};

pub static CHECK: Check = Check {
    id: K::DockerCredentials,
    title: t!("docker's stored credentials", "docker に保存された認証情報"),
    what: t!(
        "What docker will send to the registry: `config.json` (`credHelpers`, else `credsStore`, else `auths`), the credential helper's answer, the kind of the stored token, whether it is the token gh holds (on GitHub), and whether the forge still accepts it.",
        "docker がレジストリに送る認証情報を確認します。`config.json`（`credHelpers`、なければ `credsStore`、なければ `auths`）、認証情報ヘルパーの応答、保存されたトークンの種類、それが gh のトークンと同じか（GitHub の場合）、フォージ（GitHub または GitLab）がまだ受け付けるかを調べます。"
    ),
    why: t!(
        "docker keeps whatever token it was last given. An old PAT left there is the classic stale-login trap, and a missing helper makes docker pull anonymously without a word.",
        "docker は最後に渡されたトークンをそのまま持ち続けます。古い PAT が残っているのは、よくある「古いログイン」の落とし穴です。また、ヘルパーがないと docker は何も言わずに匿名で pull します。"
    ),
    depends_on: &[],
    in_ci: true,
    evaluate: Evaluate::Shared(evaluate),
};

fn evaluate(ctx: &Ctx) -> Outcome {
    let id = CheckId::DockerCredentials;
    let creds = match &ctx.facts.docker_credentials {
        Probe::Done(c) => c,
        Probe::Failed(e) => return Outcome::new(id, vec![ctx.probe_failure(e, "docker config.json", None)], vec![]),
        Probe::Skipped => return Outcome::skipped(id, Msg::new(t!("Not looked at.", "確認していません。"))),
    };
    let registry = &creds.registry_host;
    let client = ctx.facts.client.client;
    let mut evidence = vec![("config", creds.config_path.clone())];
    if let Some(key) = &creds.auth_key {
        evidence.push(("auth_key", key.clone()));
    }
    let store = match &creds.store {
        CredentialStore::Helper { name, .. } => format!("docker-credential-{name}"),
        CredentialStore::File if client == Client::Podman => creds.config_path.clone(),
        CredentialStore::File => "config.json".into(),
        CredentialStore::EnvAuthConfig => "DOCKER_AUTH_CONFIG".into(),
    };
    evidence.push(("store", store.clone()));
    if let DockerConfigState::Malformed { detail } = &creds.config {
        // podman does not skip a bad file: it stops with `Error: get credentials: … reading JSON
        // file`, as Debian's podman 4.3.1 does (tests/it/podman.rs: `podman login --get-login` fails).
        let msg = if client == Client::Podman {
            Msg::new(t!(
                "podman cannot read `{config}` ({detail}); it stops with `Error: get credentials` instead of trying the next file.",
                "podman は `{config}` を読めません（{detail}）。次のファイルを試さずに `Error: get credentials` で止まります。"
            ))
        } else {
            Msg::new(t!(
                "docker cannot use `{config}` ({detail}); it ignores the file and pulls anonymously.",
                "docker は `{config}` を使えません（{detail}）。docker はこのファイルを無視して匿名で pull します。"
            ))
        }
        .arg("config", &creds.config_path)
        .arg("detail", detail);
        let f = ctx
            .finding(Status::Fail, CauseId::MalformedDockerConfig, msg, None)
            .fix_arg("config", &creds.config_path)
            .fix_arg("detail", detail);
        return Outcome::new(id, vec![f], evidence);
    }
    let mut findings = Vec::new();
    let sudo = sudo_finding(ctx, creds);
    if let Some(s) = &creds.other.sudo {
        evidence
            .push(("sudo", format!("root for {}; their config: {}", s.user, s.config_path.as_deref().unwrap_or("-"))));
    }
    match &creds.lookup {
        CredentialLookup::HelperMissing { program } if wsl_desktop_exe(creds) => {
            evidence.push(("wsl", creds.other.wsl.clone().unwrap_or_default()));
            findings.push(
                ctx.finding(
                    Status::Fail,
                    CauseId::WslDesktopHelper,
                    Msg::new(t!(
                        "`{config}` names the helper `desktop`, but under WSL only `{exe}` is on PATH; docker looks for `{program}`, does not find it, and will pull anonymously.",
                        "`{config}` ではヘルパー `desktop` が指定されていますが、WSL の PATH にあるのは `{exe}` だけです。docker は `{program}` を探しても見つからないため、匿名で pull します。"
                    ))
                    .arg("config", &creds.config_path)
                    .arg("exe", creds.other.windows_helper.as_deref().unwrap_or_default())
                    .arg("program", program),
                    None,
                )
                .fix_arg("config", &creds.config_path),
            );
        }
        CredentialLookup::HelperMissing { program } => findings.push(
            ctx.finding(
                Status::Fail,
                CauseId::CredentialHelperMissing,
                Msg::new(t!(
                    "`{config}` names the credential helper `{program}`, which is not on PATH; {client} will pull anonymously.",
                    "`{config}` で認証情報ヘルパー `{program}` が指定されていますが、PATH にありません。{client} は匿名で pull します。"
                ))
                .arg("client", client.command())
                .arg("config", &creds.config_path)
                .arg("program", program),
                None,
            )
            .fix_arg("config", &creds.config_path)
            .fix_arg("helper", program),
        ),
        CredentialLookup::HelperFailed(e) if e.kind == ProbeErrorKind::Timeout => {
            findings.push(ctx.probe_failure(e, &store, None));
        }
        // The helper is there but fails (an uninitialised pass store, a locked keychain, no D-Bus
        // session, a verb it does not implement): docker can neither read nor save logins there.
        // ghcr-doctor's own helper fails only when gh has no token for the host; its message
        // names the `gh auth login` to run.
        CredentialLookup::HelperFailed(e) => {
            let ours = matches!(&creds.store, CredentialStore::Helper { name, .. } if live_helper(name) == Some("gh"));
            let cause = if ours { CauseId::NotLoggedIn } else { CauseId::CredentialHelperError };
            let msg = Msg::new(t!("`{store}` failed: {detail}", "`{store}` が失敗しました：{detail}"))
                .arg("store", &store)
                .arg("detail", &e.detail);
            let finding = ctx.finding(Status::Fail, cause, msg, None);
            findings.push(if ours {
                finding
            } else {
                finding.fix_arg("config", &creds.config_path).fix_arg("helper", &store)
            });
        }
        CredentialLookup::NotFound if ctx.actions().is_some_and(|a| a.job_credential.is_some()) => {
            let var = ctx.actions().and_then(|a| a.job_token_var.clone()).unwrap_or_else(|| "GITHUB_TOKEN".into());
            findings.push(Finding::pass(
                Msg::new(t!(
                    "docker has no login for `{registry}` yet, so `registry-access` uses the job's `{var}`, as `docker/login-action` with `password: ${{ secrets.GITHUB_TOKEN }}` would store it.",
                    "docker はまだ `{registry}` にログインしていないため、`registry-access` はジョブの `{var}` を使って確認します。`password: ${{ secrets.GITHUB_TOKEN }}` を指定した `docker/login-action` が保存するのと同じトークンです。"
                ))
                .arg("registry", registry)
                .arg("var", var),
            ));
        }
        CredentialLookup::NotFound if sudo.is_some() => {}
        CredentialLookup::NotFound => findings.push(ctx.finding(
            Status::Warn,
            CauseId::NoCredentials,
            Msg::new(t!(
                "{client} has no credentials for `{registry}` ({store}); it will pull anonymously, which works for public images only.",
                "{client} に `{registry}` の認証情報がありません（{store}）。匿名で pull するため、取得できるのは公開イメージだけです。"
            ))
            .arg("client", client.command())
            .arg("registry", registry)
            .arg("store", &store),
            None,
        )),
        CredentialLookup::Found(c) => {
            evidence.push(("username", c.username.clone()));
            evidence.push(("token", c.secret.masked()));
            let finding = stored_credential_finding(ctx, c, registry);
            match &creds.store {
                CredentialStore::Helper { name, .. } if finding.status == Status::Pass => {
                    match live_helper(name) {
                        Some(cli) => {
                            evidence.push(("helper", format!("asks {cli} on every pull")));
                            findings.push(live_helper_finding(ctx, cli, &store, c, registry));
                        }
                        None => findings.push(finding),
                    }
                }
                _ => findings.push(finding),
            }
        }
    }
    // On a CI runner docker/login-action always writes the file, and the job's token dies with
    // the job: no warning there. Nor for podman: base64 in auth.json is its documented default
    // (containers-auth.json(5)), and the cause's fix (`credsStore`) is one podman does not read.
    if creds.plaintext_in_file
        && matches!(creds.store, CredentialStore::File)
        && !ctx.request.ci
        && client == Client::Docker
    {
        findings.push(
            ctx.finding(
                Status::Warn,
                CauseId::PlaintextCredentials,
                Msg::new(t!(
                    "The credentials for `{registry}` are stored unencrypted (base64) in `{config}`.",
                    "`{registry}` の認証情報が `{config}` に暗号化されずに（base64 で）保存されています。"
                ))
                .arg("registry", registry)
                .arg("config", &creds.config_path),
                None,
            )
            .fix_arg("config", &creds.config_path),
        );
    }
    findings.extend(sudo);
    findings.extend(key_typo_findings(ctx, creds));
    Outcome::new(id, findings, evidence)
}

/// WSL, the helper `desktop` missing and `docker-credential-desktop.exe` on PATH: Docker
/// Desktop's helper reached through interop only by its `.exe` name (docker/for-win#12091,
/// #6652; ddev/ddev#2342: the integration writes `"credsStore": "desktop.exe"`). docker on Linux
/// looks the helper up without adding `.exe` (real-behaviour §3.10; ghcr-facts §5.6).
fn wsl_desktop_exe(creds: &DockerCredentialFacts) -> bool {
    creds.other.wsl.is_some()
        && creds.other.windows_helper.is_some()
        && matches!(&creds.store, CredentialStore::Helper { name, .. } if name == "desktop")
}

/// As root under `sudo`: the invoking user's config holds a credential for the registry that
/// root's (the one `sudo docker` reads) lacks or holds differently. Nothing when both are the
/// same file (sudo kept `HOME`).
fn sudo_finding(ctx: &Ctx, creds: &DockerCredentialFacts) -> Option<Finding> {
    let sudo = creds.other.sudo.as_ref()?;
    let user_config = sudo.config_path.as_deref()?;
    if user_config == creds.config_path {
        return None;
    }
    let theirs = match &sudo.holds {
        ConfiguredCredential::Nothing => return None,
        ConfiguredCredential::Helper { name } => format!("docker-credential-{name}"),
        ConfiguredCredential::File(c) => format!("`auths` ({})", c.username),
    };
    let same = match (&sudo.holds, &creds.store, &creds.lookup) {
        (_, _, CredentialLookup::NotFound | CredentialLookup::HelperMissing { .. }) => None,
        (ConfiguredCredential::Helper { name }, CredentialStore::Helper { name: root, .. }, _) => Some(name == root),
        (ConfiguredCredential::File(c), _, CredentialLookup::Found(r)) => Some(c.secret == r.secret),
        _ => Some(false),
    };
    let msg = match same {
        Some(true) => return None,
        None => Msg::new(t!(
            "ghcr-doctor runs as root under sudo for `{user}`: `sudo docker` reads root's `{config}`, which has no credentials for `{registry}`, while `{user_config}` has them ({theirs}).",
            "ghcr-doctor は、`{user}` が実行した sudo で root として動いています。`sudo docker` が読むのは root の `{config}` で、そこには `{registry}` の認証情報がありません。一方、`{user_config}` には認証情報があります（{theirs}）。"
        )),
        Some(false) => Msg::new(t!(
            "ghcr-doctor runs as root under sudo for `{user}`: `sudo docker` sends root's credentials for `{registry}` from `{config}`, not the ones in `{user_config}` ({theirs}).",
            "ghcr-doctor は、`{user}` が実行した sudo で root として動いています。`sudo docker` は `{registry}` に `{config}` にある root の認証情報を送り、`{user_config}` にある認証情報（{theirs}）は使いません。"
        )),
    };
    let msg = msg
        .arg("user", &sudo.user)
        .arg("config", &creds.config_path)
        .arg("registry", &creds.registry_host)
        .arg("user_config", user_config)
        .arg("theirs", theirs);
    Some(
        ctx.finding(Status::Warn, CauseId::SudoRootConfig, msg, None)
            .fix_arg("config", &creds.config_path)
            .fix_arg("user_config", user_config),
    )
}

/// The keys docker's credential lookup reads, and how far a misspelling may be from each.
const CREDENTIAL_KEYS: &[(&str, usize)] = &[("credsStore", 2), ("credHelpers", 2), ("auths", 1)];

/// The credential key `key` misspells, when docker would have used what it holds there: a helper
/// name for `credsStore`, an entry for the registry for `credHelpers` and `auths`.
pub fn misspelled_credential_key(key: &str, value: &UnknownKeyValue) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    let (right, _) = CREDENTIAL_KEYS
        .iter()
        .map(|(k, max)| (*k, *max, strsim::damerau_levenshtein(&lower, &k.to_ascii_lowercase())))
        .filter(|(_, max, d)| d <= max)
        .min_by_key(|(_, _, d)| *d)
        .map(|(k, _, d)| (k, d))?;
    let matters = match value {
        UnknownKeyValue::Text(_) => right == "credsStore",
        UnknownKeyValue::Object { for_registry } => *for_registry && right != "credsStore",
        UnknownKeyValue::Other => false,
    };
    matters.then_some(right)
}

fn key_typo_findings(ctx: &Ctx, creds: &DockerCredentialFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for unknown in &creds.other.unknown_keys {
        let Some(right) = misspelled_credential_key(&unknown.key, &unknown.value) else { continue };
        let msg = Msg::new(t!(
            "docker ignores `{key}` in `{config}`; did you mean `{right_key}`?",
            "docker は `{config}` の `{key}` を無視します。`{right_key}` のつもりではありませんか？"
        ))
        .arg("key", &unknown.key)
        .arg("config", &creds.config_path)
        .arg("right_key", right);
        findings.push(
            ctx.finding(Status::Warn, CauseId::ConfigKeyTypo, msg, None)
                .fix_arg("config", &creds.config_path)
                .fix_arg("key", &unknown.key)
                .fix_arg("right_key", right),
        );
    }
    findings
}

/// The CLI a credential helper asks for its token on every `get`, when it keeps no copy of its
/// own: ghcr-doctor's (gh) and `glab auth docker-helper` (gitlab-facts: `docker-credential-glab`).
pub fn live_helper(name: &str) -> Option<&'static str> {
    match name {
        "ghcr-doctor" => Some("gh"),
        "glab" => Some("glab"),
        _ => None,
    }
}

/// docker asks a CLI on every pull: what it sends is that CLI's current token, so it cannot go
/// stale in docker's store. The helper was found on PATH and answered (or the lookup would not
/// be `Found`).
fn live_helper_finding(ctx: &Ctx, cli: &str, program: &str, c: &StoredCredential, registry: &str) -> Finding {
    let msg = if cli == "gh" && ctx.docker_uses_gh_token() {
        Msg::new(t!(
            "{client} asks gh for `{registry}` on every pull: `{program}` is on PATH and answered with gh's current token ({token}), so no copy can go stale.",
            "{client} は pull のたびに `{registry}` の認証情報を gh に問い合わせます。`{program}` は PATH にあり、gh の現在のトークン（{token}）を返しました。{client} 側にコピーが残らないため、古くなることはありません。"
        ))
    } else {
        Msg::new(t!(
            "{client} asks {cli} for `{registry}` on every pull: `{program}` is on PATH and answered ({token}).",
            "{client} は pull のたびに `{registry}` の認証情報を {cli} に問い合わせます。`{program}` は PATH にあり、応答しました（{token}）。"
        ))
    };
    Finding::pass(
        msg.arg("client", client_of(ctx))
            .arg("cli", cli)
            .arg("program", program)
            .arg("token", c.secret.masked())
            .arg("registry", registry),
    )
}

fn stored_credential_finding(ctx: &Ctx, c: &StoredCredential, registry: &str) -> Finding {
    let masked = c.secret.masked();
    if let Some(gitlab) = ctx.facts.gitlab() {
        return gitlab_stored_finding(ctx, gitlab, c, registry);
    }
    if TokenKind::of(c.secret.expose()) == TokenKind::FineGrainedPat {
        return ctx.finding(
            Status::Fail,
            CauseId::FineGrainedPat,
            Msg::new(t!(
                "docker holds a fine-grained token ({token}) for `{registry}`; GitHub Packages rejects those.",
                "docker が `{registry}` 用に fine-grained トークン（{token}）を保存しています。GitHub Packages はこの種類を拒否します。"
            ))
            .arg("token", &masked)
            .arg("registry", registry),
            None,
        );
    }
    let same = ctx.docker_uses_gh_token();
    match ctx.docker_secret_user() {
        Some(a) if a.status == 401 => {
            let msg = if same {
                Msg::new(t!(
                    "docker holds gh's token ({token}) for `{registry}`, and GitHub rejects it (`401 Bad credentials`).",
                    "docker は `{registry}` 用に gh と同じトークン（{token}）を保存していますが、GitHub はこれを拒否しました（`401 Bad credentials`）。"
                ))
            } else {
                Msg::new(t!(
                    "docker holds another, older token ({token}) for `{registry}`, not gh's, and GitHub rejects it (`401 Bad credentials`).",
                    "docker は `{registry}` 用に gh とは別の古いトークン（{token}）を保存しており、GitHub はこれを拒否しました（`401 Bad credentials`）。"
                ))
            };
            ctx.finding(Status::Fail, CauseId::StaleCredentials, msg.arg("token", &masked).arg("registry", registry), None)
        }
        Some(a) if a.status == 200 => {
            let scopes = a.header("x-oauth-scopes").map(parse_scopes);
            let needed = packages_scope(ctx.request.access);
            match scopes {
                Some(s) if TokenKind::of(c.secret.expose()).has_scopes() && !has_scope(&s, needed) => {
                    ctx.finding(
                        Status::Fail,
                        CauseId::MissingScope,
                        Msg::new(t!(
                            "{client}'s token for `{registry}` ({token}) lacks `{needed}`.",
                            "{client} が `{registry}` 用に保存しているトークン（{token}）に `{needed}` がありません。"
                        ))
                        .arg("client", client_of(ctx))
                        .arg("registry", registry)
                        .arg("token", &masked)
                        .arg("needed", needed),
                        None,
                    )
                }
                _ if same => Finding::pass(
                    Msg::new(t!(
                        "{client} sends gh's token ({token}) as `{user}` to `{registry}`{from}.",
                        "{client} は `{registry}` に gh と同じトークン（{token}）を `{user}` として送ります{from}。"
                    ))
                    .arg("client", client_of(ctx))
                    .arg_msg("from", source_note(ctx))
                    .arg("token", &masked)
                    .arg("user", &c.username)
                    .arg("registry", registry),
                ),
                _ => Finding::pass(
                    Msg::new(t!(
                        "{client} sends a valid token ({token}) as `{user}` to `{registry}` (not the one gh holds){from}.",
                        "{client} は `{registry}` に有効なトークン（{token}）を `{user}` として送ります（gh のトークンとは別のものです）{from}。"
                    ))
                    .arg("client", client_of(ctx))
                    .arg_msg("from", source_note(ctx))
                    .arg("token", &masked)
                    .arg("user", &c.username)
                    .arg("registry", registry),
                ),
            }
        }
        _ => Finding::pass(
            Msg::new(t!(
                "{client} sends credentials as `{user}` ({token}) to `{registry}`{from}; GitHub was not asked about them.",
                "{client} は `{registry}` に `{user}`（{token}）として認証情報を送ります{from}。GitHub での有効性は確認していません。"
            ))
            .arg("client", client_of(ctx))
            .arg_msg("from", source_note(ctx))
            .arg("token", &masked)
            .arg("user", &c.username)
            .arg("registry", registry),
        ),
    }
}

fn client_of(ctx: &Ctx) -> &'static str {
    ctx.facts.client.client.command()
}

/// For podman, which file and key the credential came from (` (from `FILE`, key `KEY`)`): podman
/// reads several files and namespace keys, and the first match wins. Empty for docker, whose
/// single config.json the evidence names.
fn source_note(ctx: &Ctx) -> Msg {
    match podman_source(ctx) {
        Some((file, key)) => Msg::new(t!(" (from `{file}`, key `{key}`)", "（`{file}` のキー `{key}` から）"))
            .arg("file", file)
            .arg("key", key),
        None => Msg::new(t!("", "")),
    }
}

fn podman_source(ctx: &Ctx) -> Option<(String, String)> {
    if ctx.facts.client.client != Client::Podman {
        return None;
    }
    let creds = ctx.facts.docker_credentials.done()?;
    let key = creds.auth_key.clone().unwrap_or_else(|| creds.registry_host.clone());
    Some((creds.config_path.clone(), key))
}

/// GitLab: what `/api/v4/personal_access_tokens/self` said of the secret docker holds (deploy and
/// job tokens cannot be asked; `registry-access` reads what `/jwt/auth` grants them).
fn gitlab_stored_finding(ctx: &Ctx, gitlab: &crate::GitlabFacts, c: &StoredCredential, registry: &str) -> Finding {
    let kind = crate::GitlabTokenKind::of(&c.username, c.secret.expose());
    let answer =
        if gitlab.api_token() == Some(&c.secret) { &gitlab.api_token_self } else { &gitlab.registry_token_self };
    let msg = |text| {
        Msg::new(text)
            .arg("client", client_of(ctx))
            .arg_msg("from", source_note(ctx))
            .arg("token", c.secret.masked())
            .arg("user", &c.username)
            .arg("registry", registry)
            .arg_msg("kind", Msg::new(kind.title()))
    };
    match answer.done().map(crate::TokenSelf::parse) {
        Some(crate::TokenSelf::Invalid { .. } | crate::TokenSelf::Unknown) if kind.verifiable() => ctx.finding(
            Status::Fail,
            CauseId::StaleCredentials,
            msg(t!(
                "{client} holds a token ({token}) for `{registry}` that GitLab no longer accepts (revoked, expired or unknown){from}.",
                "{client} は `{registry}` 用に、GitLab がもう受け付けないトークン（{token}）を保存しています（失効、期限切れ、または存在しないトークンです）{from}。"
            )),
            None,
        ),
        Some(crate::TokenSelf::Token { active: true, revoked: false, .. }) => Finding::pass(msg(t!(
            "{client} sends an active access token ({token}) as `{user}` to `{registry}`{from}.",
            "{client} は `{registry}` に有効なアクセストークン（{token}）を `{user}` として送ります{from}。"
        ))),
        _ => Finding::pass(msg(t!(
            "{client} sends a {kind} as `{user}` ({token}) to `{registry}`{from}; `registry-access` shows what GitLab grants it.",
            "{client} は `{registry}` に {kind} を `{user}`（{token}）として送ります{from}。GitLab が与える権限は `registry-access` で確認します。"
        ))),
    }
}
