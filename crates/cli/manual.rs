//! `ghcr-doctor man` and `ghcr-doctor completions SHELL`: the man page in either language (with
//! ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES) and the shell completion scripts (descriptions
//! in either language where the shell shows them), both from the bilingual definition in
//! `args.rs`. `cargo xtask docs` writes the same into `docs/man` and `docs/completions`.

use std::fmt::Write as _;
use std::io::Write as _;

use clap_complete::Shell;
use ghcr_doctor_checks::{ExitStatus, Lang, Text, t};

use crate::args::{self, BIN, CompletionsArgs, ManArgs};
use crate::help::{EXAMPLES, EXIT_STATUSES, default_spec, exit_meaning, values_spec, with_specs};

pub fn run_man(args: ManArgs) -> ExitStatus {
    let _ = std::io::stdout().lock().write_all(man_page(args.lang).as_bytes());
    ExitStatus::Success
}

pub fn run_completions(args: CompletionsArgs) -> ExitStatus {
    let _ = std::io::stdout().lock().write_all(completion(args.shell, args.lang).as_bytes());
    ExitStatus::Success
}

/// The completion script for `shell`, with descriptions in `lang`.
pub fn completion(shell: Shell, lang: Lang) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut args::command(lang), BIN, &mut out);
    let script = String::from_utf8(out).expect("clap_complete writes UTF-8");
    if shell == Shell::Bash { fix_bash_case_labels(&script) } else { script }
}

/// clap_complete (4.6.11 and before, clap-rs/clap#6421) spells a hyphenated bin name two ways
/// in the bash script: the loop over the words sets `cmd="ghcr__doctor__subcmd__check"`, the
/// case labels that should match it read `ghcr__subcmd__doctor__subcmd__check)`. No label ever
/// matched, so nothing after a subcommand completed (`ghcr-doctor check --co<TAB>`). The labels
/// are written the way the loop spells them; when clap_complete is fixed this changes nothing.
fn fix_bash_case_labels(script: &str) -> String {
    const SEP: &str = "__subcmd__";
    let wrong = format!("{}{SEP}", BIN.replace('-', SEP));
    let right = format!("{}{SEP}", BIN.replace('-', "__"));
    script.replace(&wrong, &right)
}

/// Section headings.
const NAME: Text = t!("NAME", "名前");
const SYNOPSIS: Text = t!("SYNOPSIS", "書式");
const DESCRIPTION: Text = t!("DESCRIPTION", "説明");
const OPTIONS: Text = t!("OPTIONS", "オプション");
const COMMANDS: Text = t!("COMMANDS", "コマンド");
const ENVIRONMENT: Text = t!("ENVIRONMENT", "環境変数");
const FILES: Text = t!("FILES", "ファイル");
const EXIT_STATUS: Text = t!("EXIT STATUS", "終了ステータス");
const EXAMPLES_HEADING: Text = t!("EXAMPLES", "例");
const SEE_ALSO: Text = t!("SEE ALSO", "関連項目");
const MANUAL: Text = t!("User Commands", "ユーザーコマンド");

const DESCRIPTION_TEXT: [Text; 3] = [
    t!(
        "ghcr-doctor looks at everything between you and GitHub's container registry (ghcr.io; containers.HOST on GitHub Enterprise Server; containers.SUB.ghe.com on GHE.com): gh, your GitHub host, the token's scopes, SAML SSO, the Docker daemon, docker's stored credentials, and the registry's own answer for your team's images. It names the one root cause and prints the exact commands that fix it, filled in with your host, login and image.",
        "ghcr-doctor は、あなたと GitHub のコンテナレジストリ（ghcr.io。GitHub Enterprise Server では containers.HOST、GHE.com では containers.SUB.ghe.com）の間にあるものをすべて確認します。gh、GitHub のホスト、トークンのスコープ、SAML SSO、Docker デーモン、docker が保存している認証情報、そしてチームのイメージに対するレジストリ自身の応答です。そのうえで根本原因を 1 つに絞り、ホスト・ログイン名・イメージを埋め込んだ、そのまま実行できる修正コマンドを表示します。"
    ),
    t!(
        "Without a subcommand it runs `check`. `check` only reads: it never writes a file, never logs docker in or out and never refreshes a token. `fix` applies the plan only after showing it and asking.",
        "サブコマンドを省略すると `check` を実行します。`check` は読み取るだけで、ファイルを書き込んだり、docker にログイン・ログアウトしたり、トークンを更新したりはしません。`fix` は計画を示して確認を取ってから実行します。"
    ),
    t!(
        "The language of the output is `--lang`, else `GHCR_DOCTOR_LANG`, else the team config's `lang`, else the locale.",
        "出力の言語は `--lang`、`GHCR_DOCTOR_LANG`、チームの設定ファイルの `lang`、ロケールの順に決まります。"
    ),
];

const TOP_OPTIONS: Text = t!(
    "Without a subcommand, and for `check` and `fix`:",
    "サブコマンドを省略したとき、および `check` と `fix` のオプションです。"
);
const SAME_OPTIONS: Text = t!("Takes the options under OPTIONS.", "「オプション」の節のオプションを指定できます。");
const SAME_OPTIONS_AND: Text = t!(
    "Takes the options under OPTIONS, and:",
    "「オプション」の節のオプションに加えて、次のオプションを指定できます。"
);

/// The environment variables ghcr-doctor reads (crates/probe and crates/cli read no others).
const ENVIRONMENT_VARS: &[(&str, Text)] = &[
    (
        "GHCR_DOCTOR_LANG",
        t!(
            "Language of the output, `ja` or `en`: after `--lang`, before the config's `lang` and the locale.",
            "出力の言語（`ja` か `en`）です。`--lang` の次、設定ファイルの `lang` とロケールより先に使います。"
        ),
    ),
    (
        "LC_ALL, LC_MESSAGES, LANG",
        t!(
            "The locale, the first one set: a value starting with `ja` means Japanese, anything else English.",
            "ロケールです（最初に設定されているもの）。`ja` で始まる値なら日本語、それ以外は英語になります。"
        ),
    ),
    (
        "GHCR_DOCTOR_API_URL",
        t!(
            "Base URL of the GitHub REST API to use instead of the host's own (tests, unusual networks); `http://` only for loopback addresses.",
            "ホスト本来のものの代わりに使う GitHub REST API のベース URL です（テストや特殊なネットワーク向け）。`http://` はループバックアドレスのときだけ使えます。"
        ),
    ),
    (
        "GHCR_DOCTOR_REGISTRY_URL",
        t!(
            "Base URL of the container registry to use instead of the host's own; `http://` only for loopback addresses.",
            "ホスト本来のものの代わりに使うコンテナレジストリのベース URL です。`http://` はループバックアドレスのときだけ使えます。"
        ),
    ),
    (
        "NO_COLOR",
        t!(
            "Set and not empty: no colour, unless `--color always`.",
            "空でない値なら色を付けません（`--color always` のときを除きます）。"
        ),
    ),
    (
        "CLICOLOR_FORCE",
        t!(
            "Set and not empty: colour even when the output is not a terminal, unless `--color never`.",
            "空でない値なら、出力先が端末でなくても色を付けます（`--color never` のときを除きます）。"
        ),
    ),
    (
        "CI, GITHUB_ACTIONS",
        t!(
            "`GITHUB_ACTIONS=true`, or `CI` set to anything but empty, `false` or `0`, is a CI run: the self-check of `--ci`, and `fix` refuses to run.",
            "`GITHUB_ACTIONS=true`、または空・`false`・`0` 以外の `CI` があれば CI での実行とみなします。`--ci` のセルフチェックになり、`fix` は実行しません。"
        ),
    ),
    (
        "GITHUB_SERVER_URL",
        t!(
            "In CI, the GitHub host when neither `--host` nor the config names one.",
            "CI で、`--host` も設定ファイルもホストを指定していないときに使う GitHub のホストです。"
        ),
    ),
    (
        "GITHUB_REPOSITORY, GITHUB_REPOSITORY_OWNER, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_ACTOR, GITHUB_JOB, GITHUB_WORKFLOW_REF, GITHUB_WORKSPACE",
        t!(
            "In CI, which job this is (repository, event, workflow), to tell for example a pull request from a fork.",
            "CI で、どのジョブか（リポジトリ、イベント、ワークフロー）を知るために読みます。たとえばフォークからのプルリクエストを見分けます。"
        ),
    ),
    (
        "GITHUB_STEP_SUMMARY",
        t!(
            "`--format github` appends the job summary to this file.",
            "`--format github` のとき、このファイルにジョブのサマリーを追記します。"
        ),
    ),
    (
        "GITLAB_TOKEN, GITLAB_ACCESS_TOKEN, OAUTH_TOKEN, GLAB_CONFIG_DIR",
        t!(
            "GitLab: the token to check, in glab's order, before glab's config (in `GLAB_CONFIG_DIR`, else `~/.config/glab-cli`). Shown masked only.",
            "GitLab で確認するトークンです。glab と同じ順に読み、その後に glab の設定（`GLAB_CONFIG_DIR`、なければ `~/.config/glab-cli`）を読みます。伏せた形でだけ表示します。"
        ),
    ),
    (
        "GITLAB_CI, CI_JOB_TOKEN, CI_REGISTRY, CI_REGISTRY_USER, CI_REGISTRY_PASSWORD, CI_DEPLOY_USER, CI_DEPLOY_PASSWORD, CI_PROJECT_PATH, CI_CONFIG_PATH",
        t!(
            "In a GitLab CI job: the job's registry credentials and project (what the job token may push and pull), and the CI file each Code Quality issue of `--format gitlab` points at (default `.gitlab-ci.yml`).",
            "GitLab CI のジョブで読みます。ジョブのレジストリの認証情報とプロジェクト（ジョブトークンで push・pull できる範囲）と、`--format gitlab` の Code Quality の各項目が指す CI ファイル（既定値は `.gitlab-ci.yml`）です。"
        ),
    ),
    (
        "GH_TOKEN, GITHUB_TOKEN, GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN",
        t!(
            "Tokens gh uses instead of its stored login: `GH_TOKEN` and `GITHUB_TOKEN` for github.com and GHE.com, the `ENTERPRISE` ones for Enterprise Server; in CI, the job's token. A token is only ever shown masked (its prefix).",
            "gh が保存済みのログインの代わりに使うトークンです。github.com と GHE.com では `GH_TOKEN` と `GITHUB_TOKEN`、Enterprise Server では `ENTERPRISE` の付くものを使います。CI ではジョブのトークンです。トークンは必ず伏せて（先頭部分だけ）表示します。"
        ),
    ),
    (
        "DOCKER_CONFIG",
        t!(
            "Directory of docker's `config.json` (credentials, credential helpers, current context); default `~/.docker`.",
            "docker の `config.json`（認証情報、認証ヘルパー、現在のコンテキスト）があるディレクトリです。既定値は `~/.docker` です。"
        ),
    ),
    (
        "DOCKER_HOST, DOCKER_CONTEXT",
        t!(
            "Which Docker daemon to look at, as docker decides: `DOCKER_HOST`, else `DOCKER_CONTEXT`, else the current context in `config.json`.",
            "確認する Docker デーモンです。docker と同じく `DOCKER_HOST`、なければ `DOCKER_CONTEXT`、なければ `config.json` の現在のコンテキストの順に決まります。"
        ),
    ),
    (
        "DOCKER_AUTH_CONFIG",
        t!(
            "Credentials in `config.json` form (as some CI runners set); when set, docker's credentials are read from it instead of the file.",
            "`config.json` と同じ形式の認証情報です（CI ランナーが設定することがあります）。設定されていれば、ファイルの代わりにここから docker の認証情報を読みます。"
        ),
    ),
    (
        "REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, XDG_CONFIG_HOME",
        t!(
            "With podman as the client: its auth files, in podman's order (`REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`; then `$XDG_CONFIG_HOME/containers/auth.json`, docker's `config.json`, `~/.dockercfg`).",
            "クライアントが podman のとき、その認証ファイルを podman と同じ順に探します（`REGISTRY_AUTH_FILE`、なければ `$XDG_RUNTIME_DIR/containers/auth.json`。次に `$XDG_CONFIG_HOME/containers/auth.json`、docker の `config.json`、`~/.dockercfg`）。"
        ),
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        t!(
            "The proxy for the requests to GitHub and the registry (also in lower case; `ALL_PROXY` first); `NO_PROXY` lists hosts reached directly.",
            "GitHub とレジストリへのリクエストに使うプロキシです（小文字でも可。`ALL_PROXY` が優先）。`NO_PROXY` には直接つなぐホストを書きます。"
        ),
    ),
    (
        "SSL_CERT_FILE",
        t!(
            "A PEM bundle of trusted CA certificates (for example GitHub Enterprise Server behind a private CA), as gh and docker honour it.",
            "信頼する CA 証明書の PEM ファイルです（たとえば社内 CA の証明書を使う GitHub Enterprise Server）。gh や docker と同じように使います。"
        ),
    ),
    (
        "HOME, PATH",
        t!(
            "Where docker's configuration is found, and where `gh`, `docker` and `podman` are looked up.",
            "docker の設定ファイルを探す場所と、`gh`、`docker`、`podman` を探す場所です。"
        ),
    ),
];

const FILES_LIST: &[(&str, Text)] = &[
    (
        "ghcr-doctor.toml",
        t!(
            "The team config (`host`, `images`, `access`, `lang`, `client`), looked up in the current directory and its parents unless `--config` names one. Command-line values win over the file; an error in it is reported with its line and exit status 2.",
            "チームの設定ファイル（`host`、`images`、`access`、`lang`、`client`）です。`--config` で指定しなければ、このディレクトリと親ディレクトリから探します。コマンドラインの値が設定ファイルより優先されます。誤りがあれば行番号とともに報告し、終了ステータス 2 で終わります。"
        ),
    ),
    (
        "$DOCKER_CONFIG/config.json, ~/.docker/config.json",
        t!(
            "docker's configuration, read but never written by `check`.",
            "docker の設定ファイルです。`check` は読むだけで書き込みません。"
        ),
    ),
    (
        "$REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json",
        t!(
            "podman's (and skopeo's, buildah's) credentials, read but never written by `check`; `setup-docker` with podman as the client writes the first one, where `podman login` writes.",
            "podman（と skopeo、buildah）の認証情報です。`check` は読むだけで書き込みません。クライアントが podman のとき、`setup-docker` は `podman login` と同じく最初のファイルに書き込みます。"
        ),
    ),
];

const EXPLAIN_EXIT: Text = t!(
    "`explain` exits 0 when it recognised a cause and 1 when not.",
    "`explain` は原因が分かったときに 0、分からなかったときに 1 で終わります。"
);

/// The man page in `lang`.
pub fn man_page(lang: Lang) -> String {
    let l = |text: Text| text.get(lang);
    let mut cmd = args::command(lang);
    cmd.build();
    // preconv (run by man) reads the encoding from this line.
    let mut out = String::from(".\\\" -*- coding: UTF-8 -*-\n");
    let _ = writeln!(
        out,
        ".TH {} 1 \"\" {} {}",
        escape(&BIN.to_uppercase()),
        quote(&format!("{BIN} {}", env!("CARGO_PKG_VERSION"))),
        quote(l(MANUAL))
    );
    // No hyphenation (host names, flags) and no stretched spaces (Japanese lines have few).
    out.push_str(".nh\n.ad l\n");
    section(&mut out, l(NAME));
    let _ = writeln!(out, "{} \\- {}", escape(BIN), inline(l(args::ABOUT)));

    section(&mut out, l(SYNOPSIS));
    let top_usage = usage(&mut cmd);
    for (i, line) in top_usage.lines().enumerate() {
        if i > 0 {
            out.push_str(".br\n");
        }
        out.push_str(&synopsis(line.trim()));
    }

    section(&mut out, l(DESCRIPTION));
    for (i, paragraph) in DESCRIPTION_TEXT.iter().enumerate() {
        if i > 0 {
            out.push_str(".PP\n");
        }
        let _ = writeln!(out, "{}", inline(l(*paragraph)));
    }

    section(&mut out, l(OPTIONS));
    let _ = writeln!(out, "{}", inline(l(TOP_OPTIONS)));
    // What `check` and `fix` share with the top level (each has its own `--help`, only the top
    // level has `--version`).
    let top_ids: Vec<String> =
        cmd.get_arguments().map(|a| a.get_id().to_string()).filter(|id| id != "help" && id != "version").collect();
    for arg in cmd.get_arguments() {
        option(&mut out, arg, lang);
    }

    section(&mut out, l(COMMANDS));
    for sub in cmd.get_subcommands_mut() {
        let usage = usage(sub);
        let _ = writeln!(out, ".SS {}", quote(usage.trim()));
        let _ = writeln!(out, "{}", inline(&sub.get_about().map(ToString::to_string).unwrap_or_default()));
        let shares_all = top_ids.iter().all(|id| sub.get_arguments().any(|a| a.get_id() == id.as_str()));
        let own: Vec<&clap::Arg> = sub
            .get_arguments()
            .filter(|a| a.get_id() != "help" && !(shares_all && top_ids.iter().any(|id| a.get_id() == id.as_str())))
            .collect();
        if shares_all {
            let _ = writeln!(out, ".PP\n{}", inline(l(if own.is_empty() { SAME_OPTIONS } else { SAME_OPTIONS_AND })));
        }
        for arg in own {
            option(&mut out, arg, lang);
        }
    }

    section(&mut out, l(ENVIRONMENT));
    for (names, text) in ENVIRONMENT_VARS {
        term(&mut out, &names.split(", ").map(|n| format!("\\fB{}\\fR", escape(n))).collect::<Vec<_>>().join(", "));
        let _ = writeln!(out, "{}", inline(l(*text)));
    }

    section(&mut out, l(FILES));
    for (names, text) in FILES_LIST {
        term(&mut out, &names.split(", ").map(|n| format!("\\fI{}\\fR", escape(n))).collect::<Vec<_>>().join(", "));
        let _ = writeln!(out, "{}", inline(l(*text)));
    }

    section(&mut out, l(EXIT_STATUS));
    for status in EXIT_STATUSES {
        term(&mut out, &format!("\\fB{}\\fR", status.code()));
        let _ = writeln!(out, "{}", inline(&capitalize(l(exit_meaning(status)))));
    }
    let _ = writeln!(out, ".PP\n{}", inline(l(EXPLAIN_EXIT)));

    section(&mut out, l(EXAMPLES_HEADING));
    for example in EXAMPLES {
        term(&mut out, &format!("\\fB{}\\fR", escape(example.command)));
        let _ = writeln!(out, "{}", inline(l(example.what)));
    }

    section(&mut out, l(SEE_ALSO));
    out.push_str("\\fBgh\\fR(1), \\fBdocker\\fR(1), \\fBdocker\\-login\\fR(1)\n");
    out
}

/// A command's usage without the heading (`ghcr-doctor check [OPTIONS] [IMAGE]...`).
fn usage(cmd: &mut clap::Command) -> String {
    let usage = cmd.render_usage().to_string();
    usage.strip_prefix("Usage: ").unwrap_or(&usage).replace("\n       ", "\n")
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, ".SH {}", quote(title));
}

fn term(out: &mut String, tag: &str) {
    let _ = writeln!(out, ".TP\n{tag}");
}

/// A synopsis line: the command words bold, the rest as written.
fn synopsis(line: &str) -> String {
    let words_end = line.find(" [").into_iter().chain(line.find(" <")).min().unwrap_or(line.len());
    format!("\\fB{}\\fR{}\n", escape(&line[..words_end]), escape(&line[words_end..]))
}

/// One option: its flags and value, then its help, defaults and values.
fn option(out: &mut String, arg: &clap::Arg, lang: Lang) {
    let value = arg.get_value_names().map(|v| v.iter().map(|n| format!("\\fI{}\\fR", escape(n))).collect::<Vec<_>>());
    let mut tag = Vec::new();
    if let Some(short) = arg.get_short() {
        tag.push(format!("\\fB\\-{short}\\fR"));
    }
    if let Some(long) = arg.get_long() {
        tag.push(format!("\\fB\\-\\-{}\\fR", escape(long)));
    }
    let mut tag = tag.join(", ");
    match (value, arg.is_positional()) {
        (Some(v), true) => {
            let dots = if matches!(arg.get_action(), clap::ArgAction::Append) { "..." } else { "" };
            tag = format!("{}{dots}", v.join(" "));
        }
        (Some(v), false) if arg.get_action().takes_values() => tag = format!("{tag} {}", v.join(" ")),
        _ => {}
    }
    term(out, &tag);
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let described: Vec<_> = arg.get_possible_values().into_iter().filter(|v| v.get_help().is_some()).collect();
    // Values described one by one are listed below instead of in `[possible values: …]`.
    let values = if described.is_empty() { values_spec(arg, lang) } else { None };
    let text = with_specs(help, default_spec(arg, lang).into_iter().chain(values).collect(), lang);
    let _ = writeln!(out, "{}", inline(&text));
    if !described.is_empty() {
        out.push_str(".RS\n");
        for v in described {
            term(out, &format!("\\fB{}\\fR", escape(v.get_name())));
            let _ = writeln!(out, "{}", inline(&v.get_help().map(ToString::to_string).unwrap_or_default()));
        }
        out.push_str(".RE\n");
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Text for roff: backslashes and hyphens escaped (a `-` in a flag must stay an ASCII hyphen
/// when copied), `code spans` in bold, and a line never starting with a control character.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("\\fB{}\\fR", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    if out.starts_with(['.', '\'']) { format!("\\&{out}") } else { out }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// A macro argument in double quotes (roff has no escape for `"` inside, so it becomes `''`).
fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text).replace('"', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_page_has_every_section_option_variable_and_status_in_both_languages() {
        for lang in Lang::ALL {
            let page = man_page(lang);
            for heading in
                [NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, ENVIRONMENT, FILES, EXIT_STATUS, EXAMPLES_HEADING]
            {
                assert!(page.contains(&format!(".SH {}\n", quote(heading.get(lang)))), "{lang}: {}", heading.get(lang));
            }
            for var in
                ["GHCR_DOCTOR_LANG", "GHCR_DOCTOR_API_URL", "GHCR_DOCTOR_REGISTRY_URL", "NO_COLOR", "CLICOLOR_FORCE"]
                    .into_iter()
                    .chain([
                        "GITHUB_ACTIONS",
                        "GH_ENTERPRISE_TOKEN",
                        "GITHUB_ENTERPRISE_TOKEN",
                        "DOCKER_CONFIG",
                        "DOCKER_HOST",
                    ])
                    .chain(["DOCKER_CONTEXT", "DOCKER_AUTH_CONFIG", "HTTPS_PROXY", "NO_PROXY", "SSL_CERT_FILE"])
            {
                assert!(page.contains(&format!("\\fB{}\\fR", escape(var))), "{lang}: {var}");
            }
            for status in EXIT_STATUSES {
                assert!(page.contains(&format!(".TP\n\\fB{}\\fR\n", status.code())), "{lang}: {}", status.code());
            }
            for flag in [
                "push", "host", "config", "format", "json", "timeout", "strict", "ci", "verbose", "lang", "color",
                "yes", "out", "stdin",
            ] {
                assert!(page.contains(&format!("\\fB\\-\\-{flag}\\fR")), "{lang}: --{flag}");
            }
            for example in EXAMPLES {
                assert!(page.contains(&escape(example.command)), "{lang}: {}", example.command);
            }
            for sub in ["check", "list", "explain", "fix", "docs", "completions", "man", "help"] {
                assert!(page.contains(&format!(".SS \"ghcr\\-doctor {sub}")), "{lang}: {sub}");
            }
            for line in page.lines() {
                assert!(
                    !line.starts_with('\'') && !line.trim().is_empty(),
                    "{lang}: a roff control or blank line: {line:?}"
                );
            }
        }
        assert!(man_page(Lang::Ja).contains("確認するイメージです"));
    }

    #[test]
    fn bash_case_labels_are_spelled_as_the_loop_spells_them() {
        let script = completion(Shell::Bash, Lang::En);
        let set: Vec<&str> =
            script.lines().filter_map(|l| l.trim().strip_prefix("cmd=\"")?.strip_suffix('"')).collect();
        let labels: Vec<&str> = script
            .lines()
            .filter_map(|l| l.strip_prefix("        ")?.strip_suffix(')'))
            .filter(|l| !l.contains(' '))
            .collect();
        assert!(labels.len() > 8, "{labels:?}");
        for label in labels {
            assert!(set.contains(&label), "case label `{label}` is never set by the loop");
        }
    }

    #[test]
    fn completions_describe_in_the_language_asked() {
        for shell in [Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
            let ja = completion(shell, Lang::Ja);
            let en = completion(shell, Lang::En);
            assert!(ja.contains("pull ではなく push の権限を確認します"), "{shell}");
            assert!(en.contains("instead of pull") && !en.contains("確認します"), "{shell}");
        }
    }
}
