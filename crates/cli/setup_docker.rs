//! `ghcr-doctor setup-docker`: makes docker ask gh on every pull, by writing
//! `credHelpers.REGISTRY = "ghcr-doctor"` into docker's `config.json` (ghcr-facts §5.1: a
//! per-registry helper wins over `credsStore` and `auths`). The change is shown first and made
//! only after a yes on a terminal or `--yes` (never in CI); it is written atomically (a temp file
//! beside it, the same mode, then a rename), every other key is kept, and the original is copied
//! to `config.json.ghcr-doctor-backup` first. The plaintext `auths.REGISTRY` entry, now unused, is
//! removed only after a pull probe through the helper succeeds. `--undo` restores the backup.
//! A malformed or unwritable config changes nothing and says why (exit 2).
//!
//! With podman as the client the file is podman's primary auth file, the one `podman login`
//! writes (`REGISTRY_AUTH_FILE`, else `${XDG_RUNTIME_DIR}/containers/auth.json`; checked in
//! tests/it/podman.rs): podman honours `credHelpers` there before any `auths` key of the host.

use std::fs;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use ghcr_doctor_checks::{CheckId, Client, ExitStatus, Lang, Msg, Status, t};
use ghcr_doctor_probe::{Env, find_program};
use serde_json::{Map, Value};

use crate::args::SetupDockerArgs;
use crate::check::{Plan, diagnose, plan};
use crate::credential_helper::HELPER_NAME;
use crate::{apply_color, fail_usage, out};

const PROGRAM: &str = "docker-credential-ghcr-doctor";

fn say(text: &str) {
    out::stdout(text);
}

/// `config.json.ghcr-doctor-backup` beside the file (also `fix`'s backup).
pub(crate) fn backup_path(config: &Path) -> PathBuf {
    let mut name = config.file_name().unwrap_or_default().to_os_string();
    name.push(".ghcr-doctor-backup");
    config.with_file_name(name)
}

/// The file as a JSON object (`None` when it does not exist), or why it cannot be changed.
fn read_config(path: &Path) -> Result<Option<Map<String, Value>>, String> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| format!("it is not valid JSON: {e}"))?;
    let Value::Object(map) = value else { return Err("it is not a JSON object".into()) };
    if map.get("credHelpers").is_some_and(|h| !h.is_object() && !h.is_null()) {
        return Err("`credHelpers` is not an object".into());
    }
    if map.get("auths").is_some_and(|h| !h.is_object() && !h.is_null()) {
        return Err("`auths` is not an object".into());
    }
    Ok(Some(map))
}

/// Writes `bytes` to `path` atomically: a temp file in the same directory with the original's
/// mode (0600 for a new file: it may hold credentials), synced, then renamed over it.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().ok_or("the path has no directory")?;
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mode = fs::metadata(path).map(|m| m.permissions());
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| format!("cannot write: {e}"))?;
    match mode {
        Ok(perms) => fs::set_permissions(tmp.path(), perms),
        Err(_) => set_private(tmp.path()),
    }
    .map_err(|e| format!("cannot set the file mode: {e}"))?;
    tmp.persist(path).map_err(|e| format!("cannot replace {}: {}", path.display(), e.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_: &Path) -> std::io::Result<()> {
    Ok(())
}

fn render(map: &Map<String, Value>) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(map).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text.into_bytes()
}

fn confirm(lang: Lang) -> bool {
    say(t!("Write this? [y/N] ", "書き込みますか？ [y/N] ").get(lang));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes" | "はい")
}

fn msg(text: ghcr_doctor_checks::Text) -> Msg {
    Msg::new(text)
}

/// The file setup-docker changes for the run's client, and the client's command name: docker's
/// `config.json`, or podman's primary auth file. `None`: neither `DOCKER_CONFIG` nor `HOME`.
pub(crate) fn target(plan: &Plan) -> Option<(PathBuf, &'static str)> {
    let client = plan.request.client.unwrap_or_default();
    let path = match client {
        Client::Docker => ghcr_doctor_probe::docker_config_path(&plan.settings),
        Client::Podman => ghcr_doctor_probe::podman_auth_file(&plan.settings),
    };
    path.map(|p| (p, client.command()))
}

pub(crate) fn no_home(lang: Lang) -> String {
    t!("neither DOCKER_CONFIG nor HOME is set", "DOCKER_CONFIG も HOME も設定されていません").get(lang).to_owned()
}

/// The change setup-docker is about to make, worked out before anything is written.
pub(crate) struct Change {
    path: PathBuf,
    /// `docker` or `podman`, for the messages.
    client: &'static str,
    registry: String,
    /// The file as it is (`None`: there is none).
    original: Option<Map<String, Value>>,
    /// The file with `credHelpers.REGISTRY = "ghcr-doctor"`.
    routed: Map<String, Value>,
    /// `auths.REGISTRY` is there, to be removed after a pull probe through the helper works.
    has_auth: bool,
}

/// Works out the change for `registry` in the client's file (from [`target`]); `Err` says why
/// nothing can change. `Ok(None)`: the client already asks gh and holds no copy.
pub(crate) fn prepare(
    (path, client): (PathBuf, &'static str),
    env: &Env,
    registry: &str,
    lang: Lang,
) -> Result<Option<Change>, String> {
    let unchanged = |why: &str| {
        msg(t!("`{config}` was not changed: {why}", "`{config}` は変更していません：{why}"))
            .arg("config", path.display())
            .arg("why", why)
            .render(lang)
    };
    let original = read_config(&path).map_err(|why| unchanged(&why))?;
    if find_program(PROGRAM, env).is_none() {
        let why = msg(t!(
            "`{program}` is not on PATH, and {client} would then pull anonymously without a word. Install it with ghcr-doctor (it is built beside it) and run this again.",
            "`{program}` が PATH にありません。このままでは {client} は何も言わずに匿名で pull します。ghcr-doctor と一緒にインストールしてから（同じ場所にビルドされます）、もう一度実行してください。"
        ))
        .arg("program", PROGRAM)
        .arg("client", client)
        .render(lang);
        return Err(unchanged(&why));
    }
    let mut routed = original.clone().unwrap_or_default();
    let already = routed.get("credHelpers").and_then(|h| h.get(registry)).and_then(Value::as_str) == Some(HELPER_NAME);
    let has_auth = routed.get("auths").and_then(|a| a.get(registry)).is_some();
    if already && !has_auth {
        return Ok(None);
    }
    let helpers = routed.entry("credHelpers").or_insert_with(|| Value::Object(Map::new()));
    if !helpers.is_object() {
        *helpers = Value::Object(Map::new());
    }
    if let Some(h) = helpers.as_object_mut() {
        h.insert(registry.to_owned(), Value::String(HELPER_NAME.into()));
    }
    Ok(Some(Change { path, client, registry: registry.to_owned(), original, routed, has_auth }))
}

impl Change {
    /// What will be written, for the user to confirm.
    fn describe(&self, lang: Lang) -> String {
        let registry = &self.registry;
        msg(t!(
            "ghcr-doctor will set `credHelpers[\"{registry}\"] = \"{helper}\"` in `{config}`, so {client} asks gh for a token on every pull and keeps no copy. Every other key stays; the original is kept as `{backup}`.{auths}\n",
            "ghcr-doctor は `{config}` に `credHelpers[\"{registry}\"] = \"{helper}\"` を設定します。これで {client} は pull のたびに gh にトークンを問い合わせ、コピーを保存しません。ほかのキーはそのまま残り、元のファイルは `{backup}` として保存されます。{auths}\n"
        ))
        .arg("client", self.client)
        .arg("registry", registry)
        .arg("helper", HELPER_NAME)
        .arg("config", self.path.display())
        .arg("backup", backup_path(&self.path).display())
        .arg(
            "auths",
            if self.has_auth {
                msg(t!(
                    " The old `auths[\"{registry}\"]` entry is removed once a pull probe through the helper succeeds.",
                    " 古い `auths[\"{registry}\"]` のエントリーは、ヘルパー経由の pull の確認が成功してから削除します。"
                ))
                .arg("registry", registry)
                .render(lang)
            } else {
                String::new()
            },
        )
        .render(lang)
    }

    /// Backs the file up (once), writes the route through gh, and, when docker also holds a copy,
    /// probes a pull through the helper and removes the copy only if that works. `Err`: the
    /// message for the user; the copy stays.
    pub(crate) fn apply(mut self, plan: &Plan, lang: Lang) -> Result<(), String> {
        let shown = self.path.display().to_string();
        let registry = self.registry.clone();
        let unchanged = |why: &str| {
            msg(t!("`{config}` was not changed: {why}", "`{config}` は変更していません：{why}"))
                .arg("config", &shown)
                .arg("why", why)
                .render(lang)
        };
        let backup = backup_path(&self.path);
        if let Some(original) = &self.original
            && !backup.exists()
        {
            write_atomically(&backup, &render(original)).map_err(|why| unchanged(&why))?;
        }
        write_atomically(&self.path, &render(&self.routed)).map_err(|why| unchanged(&why))?;
        say(&msg(t!("Wrote `{config}`.\n", "`{config}` を書き込みました。\n")).arg("config", &shown).render(lang));
        if !self.has_auth {
            return Ok(());
        }
        // The pull probe: the doctor's own pipeline, now through the helper.
        let report = diagnose(plan);
        let status = |id: CheckId| report.outcomes.iter().find(|o| o.check == id).map(|o| o.status);
        let creds_ok = status(CheckId::DockerCredentials) == Some(Status::Pass);
        let access_ok = status(CheckId::RegistryAccess).is_none_or(|s| s != Status::Fail);
        if !(creds_ok && access_ok) {
            return Err(msg(t!(
                "The pull probe through the helper did not succeed, so `auths[\"{registry}\"]` stays. Run `ghcr-doctor check` to see why.",
                "ヘルパー経由の pull の確認が成功しなかったため、`auths[\"{registry}\"]` は残しています。原因は `ghcr-doctor check` で確認してください。"
            ))
            .arg("registry", &registry)
            .render(lang));
        }
        if let Some(auths) = self.routed.get_mut("auths").and_then(Value::as_object_mut) {
            auths.remove(&registry);
        }
        write_atomically(&self.path, &render(&self.routed)).map_err(|why| unchanged(&why))?;
        say(&msg(t!(
            "The pull probe through the helper succeeded; removed the old `auths[\"{registry}\"]` entry.\n",
            "ヘルパー経由の pull の確認が成功したため、古い `auths[\"{registry}\"]` のエントリーを削除しました。\n"
        ))
        .arg("registry", &registry)
        .render(lang));
        Ok(())
    }
}

pub fn run(args: SetupDockerArgs, env: Env) -> ExitStatus {
    apply_color(&args.check.common);
    let plan = match plan(&args.check, env.clone()) {
        Ok(p) => p,
        Err((lang, message)) => return fail_usage(lang, &message),
    };
    let lang = plan.lang;
    let registry = args.registry.clone().unwrap_or_else(|| plan.request.registry_host()).to_ascii_lowercase();
    let Some((path, client)) = target(&plan) else {
        return fail_usage(lang, &no_home(lang));
    };
    let shown = path.display().to_string();
    let not_now = |why: &str| {
        let m = msg(t!("`{config}` was not changed: {why}", "`{config}` は変更していません：{why}"))
            .arg("config", &shown)
            .arg("why", why);
        fail_usage(lang, &m.render(lang))
    };
    if args.check.ci || env.is_ci() {
        return not_now(t!("setup-docker never runs in CI", "setup-docker は CI では実行しません").get(lang));
    }
    if args.undo {
        return match read_config(&path) {
            Ok(config) => undo(&path, config, &registry, lang),
            Err(why) => not_now(&why),
        };
    }
    let change = match prepare((path.clone(), client), &env, &registry, lang) {
        Ok(Some(change)) => change,
        Ok(None) => {
            say(&msg(t!(
                "{client} already asks gh for `{registry}` (`credHelpers` in `{config}`); nothing to do.\n",
                "{client} はすでに `{registry}` の認証情報を gh に問い合わせています（`{config}` の `credHelpers`）。変更は不要です。\n"
            ))
            .arg("client", client)
            .arg("registry", &registry)
            .arg("config", &shown)
            .render(lang));
            return ExitStatus::Success;
        }
        Err(message) => return fail_usage(lang, &message),
    };
    say(&change.describe(lang));
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return not_now(
                t!(
                    "stdin is not a terminal; run it in a terminal or pass `--yes`",
                    "標準入力が端末ではありません。端末で実行するか、`--yes` を付けてください"
                )
                .get(lang),
            );
        }
        if !confirm(lang) {
            return not_now(t!("not confirmed", "確認されませんでした").get(lang));
        }
    }
    match change.apply(&plan, lang) {
        Ok(()) => ExitStatus::Success,
        Err(message) => {
            say(&format!("{message}\n"));
            ExitStatus::Failure
        }
    }
}

/// Restores the backup; without one, removes only the `credHelpers` entry that names ghcr-doctor.
fn undo(path: &Path, config: Option<Map<String, Value>>, registry: &str, lang: Lang) -> ExitStatus {
    let backup = backup_path(path);
    let shown = path.display().to_string();
    if backup.exists() {
        let restored = match read_config(&backup) {
            Ok(Some(map)) => map,
            Ok(None) | Err(_) => {
                let m = msg(t!("the backup `{backup}` is unreadable", "バックアップ `{backup}` を読めません"))
                    .arg("backup", backup.display().to_string());
                return fail_usage(lang, &m.render(lang));
            }
        };
        if let Err(why) = write_atomically(path, &render(&restored)) {
            return fail_usage(lang, &why);
        }
        let _ = fs::remove_file(&backup);
        say(&msg(t!("Restored `{config}` from its backup.\n", "`{config}` をバックアップから元に戻しました。\n"))
            .arg("config", &shown)
            .render(lang));
        return ExitStatus::Success;
    }
    let Some(mut map) = config else {
        say(t!("Nothing to undo.\n", "元に戻すものはありません。\n").get(lang));
        return ExitStatus::Success;
    };
    let removed = map
        .get_mut("credHelpers")
        .and_then(Value::as_object_mut)
        .filter(|h| h.get(registry).and_then(Value::as_str) == Some(HELPER_NAME))
        .and_then(|h| h.remove(registry))
        .is_some();
    if !removed {
        say(t!("Nothing to undo.\n", "元に戻すものはありません。\n").get(lang));
        return ExitStatus::Success;
    }
    if let Err(why) = write_atomically(path, &render(&map)) {
        return fail_usage(lang, &why);
    }
    say(&msg(t!(
        "Removed `credHelpers[\"{registry}\"]` from `{config}`.\n",
        "`{config}` から `credHelpers[\"{registry}\"]` を削除しました。\n"
    ))
    .arg("registry", registry)
    .arg("config", &shown)
    .render(lang));
    ExitStatus::Success
}
