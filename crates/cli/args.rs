//! The command line, defined once in both languages: every subcommand, argument and possible
//! value with its [`Text`], built with clap's builder API for one language ([`command`]), and the
//! typed values `main_with_args` dispatches on, read back from clap's matches ([`Cli`]). The same
//! definition feeds `--help`, the usage errors, the man page and the shell completions; a help
//! text without its Japanese (or English) half does not compile. How the help is laid out
//! (headings, examples, defaults, wrapping) is `help.rs`'s business.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, ValueEnum, value_parser};
use clap_complete::Shell;
use ghcr_doctor_checks::{Lang, Text, t};

/// The binary's name, as the man page, the completions and the usage lines spell it.
pub const BIN: &str = "ghcr-doctor";

/// Subcommand names.
pub mod sub {
    pub const CHECK: &str = "check";
    pub const LIST: &str = "list";
    pub const EXPLAIN: &str = "explain";
    pub const FIX: &str = "fix";
    pub const DOCS: &str = "docs";
    pub const COMPLETIONS: &str = "completions";
    pub const MAN: &str = "man";
    pub const SETUP_DOCKER: &str = "setup-docker";
    pub const HELP: &str = "help";
    /// Every subcommand but `help`, in the order of the help.
    pub const ALL: [&str; 8] = [CHECK, LIST, EXPLAIN, FIX, SETUP_DOCKER, DOCS, COMPLETIONS, MAN];
}

/// Argument ids, shared by the definition and the read-back.
mod id {
    pub const IMAGES: &str = "images";
    pub const PUSH: &str = "push";
    pub const HOST: &str = "host";
    pub const FORGE: &str = "forge";
    pub const CLIENT: &str = "client";
    pub const CONFIG: &str = "config";
    pub const FORMAT: &str = "format";
    pub const JSON: &str = "json";
    pub const TIMEOUT: &str = "timeout";
    pub const STRICT: &str = "strict";
    pub const CI: &str = "ci";
    pub const VERBOSE: &str = "verbose";
    pub const REPORT: &str = "report";
    pub const REPORT_LANG: &str = "report-lang";
    pub const ANONYMIZE: &str = "anonymize";
    pub const PULL_SECRET: &str = "pull-secret";
    pub const CODE_QUALITY: &str = "codequality";
    pub const REGISTRY: &str = "registry";
    pub const UNDO: &str = "undo";
    pub const LANG: &str = "lang";
    pub const COLOR: &str = "color";
    pub const INPUT: &str = "input";
    pub const STDIN: &str = "stdin";
    pub const YES: &str = "yes";
    pub const OUT: &str = "out";
    pub const SHELL: &str = "shell";
    pub const COMMAND: &str = "command";
    pub const HELP: &str = "help";
    pub const VERSION: &str = "version";
}

pub const ABOUT: Text = t!(
    "Diagnoses why docker cannot pull from or push to GitHub Container Registry, and prints the exact fix",
    "docker が GitHub Container Registry から pull・push できない原因を調べ、直すためのコマンドを表示します"
);

/// The whole command line in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let l = |text: Text| text.get(lang);
    let subcommands = vec![
        clap::Command::new(sub::CHECK)
            .about(l(t!(
                "Run every check (the default when no subcommand is given)",
                "すべてのチェックを実行します（サブコマンドを省略したときの動作）"
            )))
            .args(check_args(lang)),
        clap::Command::new(sub::LIST)
            .about(l(t!("List every check id with its title", "すべてのチェックの ID と名前を一覧表示します")))
            .args([short_format(lang), lang_arg(lang), color_arg(lang)]),
        clap::Command::new(sub::EXPLAIN)
            .about(l(t!(
                "Explain a pasted error message or log, or a check or cause id",
                "貼り付けたエラーやログ、チェックや原因の ID を説明します"
            )))
            .args([
                Arg::new(id::INPUT).value_name("TEXT|ID|-").help(l(t!(
                    "The error text, a check or cause id, or `-` to read a whole log from stdin",
                    "エラーのテキスト、チェックか原因の ID、または標準入力からログ全体を読むための `-` を指定します"
                ))),
                flag(id::STDIN, l(t!("Read the log from stdin (same as `-`)", "標準入力からログを読みます（`-` と同じです）")))
                    .conflicts_with(id::INPUT),
                short_format(lang),
                json_flag(lang),
                lang_arg(lang),
                color_arg(lang),
            ]),
        clap::Command::new(sub::FIX)
            .about(l(t!(
                "Run the checks, show the fix plan, apply it after asking once, and check again",
                "チェックして修正の計画を示し、確認のうえ実行して再チェックします"
            )))
            .args(check_args(lang))
            .arg(flag(
                id::YES,
                l(t!("Apply the plan without asking (never in CI)", "確認せずに計画を実行します（CI では実行しません）")),
            )),
        clap::Command::new(sub::SETUP_DOCKER)
            .about(l(t!(
                "Make docker ask gh for the token on every pull (the `ghcr-doctor` credential helper), so no copy goes stale",
                "pull のたびに docker が gh にトークンを尋ねるように設定します（認証情報ヘルパー `ghcr-doctor`）。古いコピーが残らなくなります"
            )))
            // Its `--registry` is the host to set up; it is GitHub's only (no `--forge`).
            .args(check_args(lang).into_iter().filter(|a| a.get_id() != id::REGISTRY && a.get_id() != id::FORGE))
            .args([
                Arg::new(id::REGISTRY).long(id::REGISTRY).value_name("HOST").help(l(t!(
                    "Registry host to set up [default: the one the GitHub host uses, e.g. ghcr.io]",
                    "設定するレジストリのホストです（省略時は GitHub のホストに対応するもの。例：ghcr.io）"
                ))),
                flag(id::YES, l(t!("Write without asking (never in CI)", "確認せずに書き込みます（CI では実行しません）"))),
                flag(
                    id::UNDO,
                    l(t!(
                        "Put docker's config back as it was before setup-docker",
                        "docker の設定を setup-docker の実行前の状態に戻します"
                    )),
                ),
            ]),
        clap::Command::new(sub::DOCS)
            .about(l(t!(
                "Write the onboarding guide, check reference and troubleshooting page for a team",
                "チーム向けの導入ガイド、チェック一覧、トラブル対処法を書き出します"
            )))
            .args([
                Arg::new(id::CONFIG).long("config").value_name("PATH").value_parser(value_parser!(PathBuf)).help(l(t!(
                    "Team config whose forge, host, images and access fill the pages (GitLab's for `forge = \"gitlab\"`) [default: ghcr-doctor.toml here or in a parent]",
                    "ページに入れるフォージ、ホスト、イメージ、アクセスを読むチームの設定ファイルです（`forge = \"gitlab\"` なら GitLab 用のページになります。省略時はこのディレクトリか親ディレクトリの `ghcr-doctor.toml`）"
                ))),
                Arg::new(id::OUT).long("out").value_name("DIR").required(true).value_parser(value_parser!(PathBuf)).help(
                    l(t!(
                        "Directory to write into (ja/ and en/ below it)",
                        "書き出し先のディレクトリです（その下に `ja/` と `en/` を作ります）"
                    )),
                ),
                lang_arg(lang),
                color_arg(lang),
            ]),
        clap::Command::new(sub::COMPLETIONS)
            .about(l(t!(
                "Print the completion script for a shell",
                "シェルの補完スクリプトを標準出力に書き出します"
            )))
            .args([
                Arg::new(id::SHELL).value_name("SHELL").required(true).value_parser(value_parser!(Shell)).help(l(t!(
                    "The shell to complete for",
                    "補完を使うシェルです"
                ))),
                lang_arg(lang),
            ]),
        clap::Command::new(sub::MAN)
            .about(l(t!("Print the man page", "man ページを標準出力に書き出します")))
            .arg(lang_arg(lang)),
    ];
    debug_assert!(subcommands.iter().map(clap::Command::get_name).eq(sub::ALL), "`sub::ALL` lists the subcommands");
    let names: Vec<PossibleValue> = sub::ALL
        .iter()
        .zip(&subcommands)
        .map(|(name, s)| PossibleValue::new(*name).help(s.get_about().cloned().unwrap_or_default()))
        .collect();
    let help = clap::Command::new(sub::HELP)
        .about(l(t!(
            "Print this message or the help of the given subcommand",
            "このヘルプ、または指定したサブコマンドのヘルプを表示します"
        )))
        .args([
            Arg::new(id::COMMAND)
                .value_name("COMMAND")
                .value_parser(PossibleValuesParser::new(names))
                .hide_possible_values(true)
                .help(l(t!("The subcommand whose help to print", "ヘルプを表示するサブコマンドです"))),
            lang_arg(lang),
        ]);
    let top = clap::Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .about(l(ABOUT))
        .args_conflicts_with_subcommands(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .args(check_args(lang))
        .subcommands(subcommands)
        .subcommand(help);
    with_help_flag(top, lang).arg(
        Arg::new(id::VERSION)
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(l(t!("Print version", "バージョンを表示します"))),
    )
}

/// `-h`/`--help` in `lang` on this command and every subcommand (clap's own says "Print help").
fn with_help_flag(cmd: clap::Command, lang: Lang) -> clap::Command {
    cmd.disable_help_flag(true)
        .arg(
            Arg::new(id::HELP)
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t!("Print help", "ヘルプを表示します").get(lang)),
        )
        .mut_subcommands(|s| with_help_flag(s, lang))
}

fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name).long(name).action(ArgAction::SetTrue).help(help)
}

fn check_args(lang: Lang) -> Vec<Arg> {
    let l = |text: Text| text.get(lang);
    vec![
        Arg::new(id::IMAGES).value_name("IMAGE").action(ArgAction::Append).help(l(t!(
            "Images to check, e.g. ghcr.io/acme/app:main [default: `images` in ghcr-doctor.toml]",
            "確認するイメージです（例：ghcr.io/acme/app:main。省略時は `ghcr-doctor.toml` の `images`）"
        ))),
        flag(
            id::PUSH,
            l(t!(
                "Check push access (needs `write:packages`) instead of pull",
                "pull ではなく push の権限を確認します（`write:packages` が必要です）"
            )),
        ),
        Arg::new(id::HOST).long("host").value_name("HOST").help(l(t!(
            "GitHub host: github.com, SUB.ghe.com or an Enterprise Server host; with `--forge gitlab`, the GitLab host [default: from config, else github.com]",
            "GitHub のホストです。github.com、SUB.ghe.com、または Enterprise Server のホストを指定します。`--forge gitlab` では GitLab のホストです（省略時は設定ファイルの値、なければ github.com）"
        ))),
        Arg::new(id::FORGE)
            .long(id::FORGE)
            .value_name("FORGE")
            .value_parser(choices::<ForgeArg>(lang, ForgeArg::help))
            .help(l(t!(
                "The forge the images belong to: github or gitlab [default: gitlab for images on registry.gitlab.com, else the config's, else github]",
                "イメージがあるフォージです。github か gitlab を指定します（省略時は registry.gitlab.com のイメージなら gitlab、それ以外は設定ファイルの値、なければ github）"
            ))),
        Arg::new(id::REGISTRY).long(id::REGISTRY).value_name("HOST").help(l(t!(
            "With `--forge gitlab`: the self-managed GitLab's registry host (`registry.example.com`, `gitlab.example.com:5050`)",
            "`--forge gitlab` と一緒に使います。セルフマネージドの GitLab のレジストリのホストです（`registry.example.com`、`gitlab.example.com:5050`）"
        ))),
        Arg::new(id::CLIENT)
            .long(id::CLIENT)
            .value_name("CLIENT")
            .value_parser(choices::<ClientArg>(lang, ClientArg::help))
            .help(l(t!(
                "The container client that pulls [default: docker when it is on PATH, podman when only podman is]",
                "pull するコンテナクライアントです（省略時は PATH に docker があれば docker、podman だけがあれば podman）"
            ))),
        Arg::new(id::CONFIG).long("config").value_name("PATH").value_parser(value_parser!(PathBuf)).help(l(t!(
            "Team config file [default: ghcr-doctor.toml in this directory or a parent]",
            "チームの設定ファイルです（省略時はこのディレクトリか親ディレクトリの `ghcr-doctor.toml`）"
        ))),
        Arg::new(id::FORMAT)
            .long("format")
            .value_name("FORMAT")
            .value_parser(choices::<Format>(lang, Format::help))
            .help(l(t!("Output format", "出力の形式です"))),
        json_flag(lang).conflicts_with(id::FORMAT),
        Arg::new(id::CODE_QUALITY).long(id::CODE_QUALITY).value_name("FILE").value_parser(value_parser!(PathBuf)).help(
            l(t!(
                "With `--format gitlab`: where to write the Code Quality report [default: gl-code-quality-report.json]",
                "`--format gitlab` と一緒に使います。Code Quality レポートを書き出す先です（省略時は `gl-code-quality-report.json`）"
            )),
        ),
        Arg::new(id::TIMEOUT).long("timeout").value_name("SECONDS").default_value("10").value_parser(seconds(lang)).help(
            l(t!(
                "Seconds to wait for gh, docker and the servers, per call and for the whole run",
                "gh、docker、サーバーを待つ秒数です（呼び出しごとと、実行全体の上限です）"
            )),
        ),
        flag(id::STRICT, l(t!("Treat warnings as failures (exit 1)", "警告も失敗として扱います（終了コード 1）"))),
        flag(
            id::CI,
            l(t!(
                "Run as a CI self-check: no gh needed, token from the job's environment [default: on when GITHUB_ACTIONS=true]",
                "CI のセルフチェックとして実行します。gh は不要で、トークンはジョブの環境から取ります（`GITHUB_ACTIONS=true` のときは自動で有効です）"
            )),
        ),
        flag(id::VERBOSE, l(t!("Show evidence and timings for every check", "すべてのチェックの根拠と所要時間を表示します")))
            .short('v'),
        Arg::new(id::REPORT)
            .long(id::REPORT)
            .value_name("FILE|-")
            .num_args(0..=1)
            .default_missing_value("-")
            .value_parser(value_parser!(PathBuf))
            .help(l(t!(
                "Also write a Markdown report to paste into an issue or a chat: to FILE, or with `-` (or no value) to stdout in place of the usual output",
                "issue やチャットに貼り付ける Markdown のレポートも書き出します。FILE に書くか、`-`（または値なし）で通常の出力の代わりに標準出力へ書きます"
            ))),
        Arg::new(id::REPORT_LANG)
            .long(id::REPORT_LANG)
            .value_name("LANG")
            .requires(id::REPORT)
            .value_parser(choices::<LangArg>(lang, LangArg::help))
            .help(l(t!(
                "Language of the report [default: the language of the output]",
                "レポートの言語です（省略時は出力と同じ言語）"
            ))),
        flag(
            id::ANONYMIZE,
            l(t!(
                "Replace logins, organization, repository, image and non-public host names with placeholders (`user-1`, `org-1`, `ghe-host-1`) in every output",
                "ログイン名、組織名、リポジトリ名、イメージ名、公開されていないホスト名を、すべての出力でプレースホルダー（`user-1`、`org-1`、`ghe-host-1`）に置き換えます"
            )),
        ),
        Arg::new(id::PULL_SECRET).long(id::PULL_SECRET).value_name("FILE").value_parser(value_parser!(PathBuf)).help(l(
            t!(
                "Diagnose a Kubernetes image pull secret instead of docker's login: a `kubernetes.io/dockerconfigjson` Secret as `kubectl get secret NAME -o yaml` prints it, or a bare `.dockerconfigjson`; give the one image the pod pulls",
                "docker のログインの代わりに、Kubernetes のイメージ pull 用 Secret を診断します。`kubectl get secret NAME -o yaml` が出力する `kubernetes.io/dockerconfigjson` の Secret か、`.dockerconfigjson` そのものを指定し、Pod が pull するイメージを一つ指定してください"
            )
        )),
        lang_arg(lang),
        color_arg(lang),
    ]
}

fn json_flag(lang: Lang) -> Arg {
    flag(id::JSON, t!("Same as `--format json`", "`--format json` と同じです").get(lang))
}

/// `--format` of `list` and `explain`, `human` unless asked.
fn short_format(lang: Lang) -> Arg {
    Arg::new(id::FORMAT)
        .long("format")
        .value_name("FORMAT")
        .default_value("human")
        .value_parser(choices::<Format>(lang, Format::help))
        .help(t!("Output format (human or json)", "出力の形式です（human か json）").get(lang))
}

fn lang_arg(lang: Lang) -> Arg {
    Arg::new(id::LANG).long("lang").value_name("LANG").value_parser(choices::<LangArg>(lang, LangArg::help)).help(
        t!(
            "Language of the output [default: GHCR_DOCTOR_LANG, the config's `lang`, then the locale]",
            "出力の言語です（省略時は `GHCR_DOCTOR_LANG`、設定ファイルの `lang`、ロケールの順に決まります）"
        )
        .get(lang),
    )
}

fn color_arg(lang: Lang) -> Arg {
    Arg::new(id::COLOR)
        .long("color")
        .value_name("COLOR")
        .default_value("auto")
        .value_parser(choices::<ColorArg>(lang, ColorArg::help))
        .help(
            t!(
                "When to use colour (also honours NO_COLOR and CLICOLOR_FORCE)",
                "色を付けるかどうかです（`NO_COLOR` と `CLICOLOR_FORCE` にも従います）"
            )
            .get(lang),
        )
}

/// The values of a `ValueEnum`, each with its help in `lang`.
fn choices<E: ValueEnum + Clone + Send + Sync + 'static>(
    lang: Lang,
    help: fn(&E) -> Text,
) -> impl TypedValueParser<Value = E> {
    let values: Vec<PossibleValue> =
        E::value_variants().iter().filter_map(|v| Some(v.to_possible_value()?.help(help(v).get(lang)))).collect();
    PossibleValuesParser::new(values).map(|s| E::from_str(&s, false).expect("a possible value names a variant"))
}

/// A number of seconds, with the complaint in `lang`.
fn seconds(lang: Lang) -> impl TypedValueParser<Value = f64> {
    move |s: &str| -> Result<f64, String> {
        s.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            t!("expected a number of seconds, such as 10 or 2.5", "10 や 2.5 のような秒数を指定してください")
                .get(lang)
                .to_owned()
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Gitlab,
}

impl Format {
    fn help(&self) -> Text {
        match self {
            Format::Human => t!("text for a terminal", "端末で読むためのテキスト"),
            Format::Json => t!("one JSON object", "JSON オブジェクト 1 つ"),
            Format::Github => t!(
                "GitHub Actions annotations plus a step summary",
                "GitHub Actions のアノテーションとジョブのサマリー"
            ),
            Format::Gitlab => t!(
                "GitLab CI: collapsible job log sections plus a Code Quality report",
                "GitLab CI の折りたたみできるジョブログのセクションと Code Quality レポート"
            ),
        }
    }
}

/// `--client`: docker or podman.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientArg {
    Docker,
    Podman,
}

impl ClientArg {
    fn help(&self) -> Text {
        match self {
            ClientArg::Docker => t!("the docker CLI and its daemon", "docker CLI とそのデーモン"),
            ClientArg::Podman => t!(
                "podman (daemonless; reads containers-auth.json like skopeo and buildah)",
                "podman（デーモン不要。skopeo や buildah と同じく containers-auth.json を読みます）"
            ),
        }
    }

    pub fn client(self) -> ghcr_doctor_checks::Client {
        match self {
            ClientArg::Docker => ghcr_doctor_checks::Client::Docker,
            ClientArg::Podman => ghcr_doctor_checks::Client::Podman,
        }
    }
}

/// `--forge`: github or gitlab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForgeArg {
    Github,
    Gitlab,
}

impl ForgeArg {
    fn help(&self) -> Text {
        match self {
            ForgeArg::Github => {
                t!("github.com, GHE.com or Enterprise Server", "github.com、GHE.com、または Enterprise Server")
            }
            ForgeArg::Gitlab => t!("GitLab.com or self-managed GitLab", "GitLab.com、またはセルフマネージドの GitLab"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

impl LangArg {
    fn help(&self) -> Text {
        match self {
            LangArg::Ja => t!("Japanese", "日本語"),
            LangArg::En => t!("English", "英語"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorArg {
    fn help(&self) -> Text {
        match self {
            ColorArg::Auto => t!("colour on a terminal", "端末のときだけ色を付けます"),
            ColorArg::Always => t!("always colour", "常に色を付けます"),
            ColorArg::Never => t!("never colour", "色を付けません"),
        }
    }
}

/// What was asked for: a subcommand, or (without one) the check with the top-level arguments.
#[derive(Debug)]
pub struct Cli {
    pub command: Option<Command>,
    pub check: CheckArgs,
}

#[derive(Debug)]
pub enum Command {
    Check(CheckArgs),
    List(ListArgs),
    Explain(ExplainArgs),
    Fix(FixArgs),
    SetupDocker(SetupDockerArgs),
    Docs(DocsArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Options shared by every subcommand that prints.
#[derive(Debug, Clone, Default)]
pub struct CommonArgs {
    pub lang: Option<LangArg>,
    pub color: ColorArg,
}

#[derive(Debug, Clone, Default)]
pub struct CheckArgs {
    pub images: Vec<String>,
    pub push: bool,
    pub host: Option<String>,
    /// `--forge github|gitlab`.
    pub forge: Option<ForgeArg>,
    /// `--registry`: a self-managed GitLab's registry host.
    pub registry: Option<String>,
    pub client: Option<ClientArg>,
    pub config: Option<PathBuf>,
    pub format: Option<Format>,
    pub json: bool,
    pub timeout: f64,
    pub strict: bool,
    pub ci: bool,
    pub verbose: bool,
    /// `--report [FILE|-]`: also a Markdown report (to stdout with `-`, in place of the usual output).
    pub report: Option<PathBuf>,
    /// `--report-lang`: the report's own language.
    pub report_lang: Option<LangArg>,
    /// `--anonymize`: names replaced by placeholders in every output.
    pub anonymize: bool,
    /// `--pull-secret FILE`: the Kubernetes pull secret to diagnose instead of docker's login.
    pub pull_secret: Option<PathBuf>,
    /// `--codequality FILE`: where `--format gitlab` writes its Code Quality report.
    pub code_quality: Option<PathBuf>,
    pub common: CommonArgs,
}

#[derive(Debug)]
pub struct ListArgs {
    pub format: Format,
    pub common: CommonArgs,
}

#[derive(Debug)]
pub struct ExplainArgs {
    pub input: Option<String>,
    pub stdin: bool,
    pub format: Format,
    pub json: bool,
    pub common: CommonArgs,
}

#[derive(Debug)]
pub struct FixArgs {
    pub check: CheckArgs,
    pub yes: bool,
}

#[derive(Debug)]
pub struct SetupDockerArgs {
    pub check: CheckArgs,
    /// `--registry`: the registry host to set up.
    pub registry: Option<String>,
    pub yes: bool,
    pub undo: bool,
}

#[derive(Debug)]
pub struct DocsArgs {
    pub config: Option<PathBuf>,
    pub out: PathBuf,
    pub common: CommonArgs,
}

/// `completions SHELL`; `lang` is already resolved (as for the help).
#[derive(Debug)]
pub struct CompletionsArgs {
    pub shell: Shell,
    pub lang: Lang,
}

/// `man`; `lang` is already resolved (as for the help).
#[derive(Debug)]
pub struct ManArgs {
    pub lang: Lang,
}

impl Cli {
    /// Reads the matches of [`command`] back; `lang` is the language the help was in.
    pub fn from_matches(m: &ArgMatches, lang: Lang) -> Cli {
        let command = m.subcommand().map(|(name, m)| match name {
            sub::CHECK => Command::Check(CheckArgs::from_matches(m)),
            sub::LIST => Command::List(ListArgs { format: one(m, id::FORMAT), common: CommonArgs::from_matches(m) }),
            sub::EXPLAIN => Command::Explain(ExplainArgs {
                input: m.get_one::<String>(id::INPUT).cloned(),
                stdin: m.get_flag(id::STDIN),
                format: one(m, id::FORMAT),
                json: m.get_flag(id::JSON),
                common: CommonArgs::from_matches(m),
            }),
            sub::FIX => Command::Fix(FixArgs { check: CheckArgs::from_matches(m), yes: m.get_flag(id::YES) }),
            sub::SETUP_DOCKER => Command::SetupDocker(SetupDockerArgs {
                check: CheckArgs { registry: None, ..CheckArgs::from_matches(m) },
                registry: m.get_one::<String>(id::REGISTRY).cloned(),
                yes: m.get_flag(id::YES),
                undo: m.get_flag(id::UNDO),
            }),
            sub::DOCS => Command::Docs(DocsArgs {
                config: m.get_one::<PathBuf>(id::CONFIG).cloned(),
                out: one(m, id::OUT),
                common: CommonArgs::from_matches(m),
            }),
            sub::COMPLETIONS => Command::Completions(CompletionsArgs { shell: one(m, id::SHELL), lang }),
            sub::MAN => Command::Man(ManArgs { lang }),
            other => unreachable!("subcommand `{other}` is defined but not read back"),
        });
        Cli { command, check: CheckArgs::from_matches(m) }
    }
}

/// The subcommand `help` asks about (`None`: the top level), when it is `help`.
pub fn help_target(m: &ArgMatches) -> Option<Option<String>> {
    let (sub::HELP, m) = m.subcommand()? else { return None };
    Some(m.get_one::<String>(id::COMMAND).cloned())
}

/// A value that is required or has a default.
fn one<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> T {
    m.get_one::<T>(id).cloned().unwrap_or_else(|| unreachable!("`{id}` is required or has a default"))
}

impl CommonArgs {
    fn from_matches(m: &ArgMatches) -> CommonArgs {
        CommonArgs {
            lang: m.get_one::<LangArg>(id::LANG).copied(),
            color: m.get_one(id::COLOR).copied().unwrap_or_default(),
        }
    }
}

impl CheckArgs {
    fn from_matches(m: &ArgMatches) -> CheckArgs {
        CheckArgs {
            images: m.get_many::<String>(id::IMAGES).map(|v| v.cloned().collect()).unwrap_or_default(),
            push: m.get_flag(id::PUSH),
            host: m.get_one::<String>(id::HOST).cloned(),
            forge: m.try_get_one::<ForgeArg>(id::FORGE).ok().flatten().copied(),
            registry: m.get_one::<String>(id::REGISTRY).cloned(),
            client: m.get_one::<ClientArg>(id::CLIENT).copied(),
            config: m.get_one::<PathBuf>(id::CONFIG).cloned(),
            format: m.get_one::<Format>(id::FORMAT).copied(),
            json: m.get_flag(id::JSON),
            timeout: one(m, id::TIMEOUT),
            strict: m.get_flag(id::STRICT),
            ci: m.get_flag(id::CI),
            verbose: m.get_flag(id::VERBOSE),
            report: m.get_one::<PathBuf>(id::REPORT).cloned(),
            report_lang: m.get_one::<LangArg>(id::REPORT_LANG).copied(),
            anonymize: m.get_flag(id::ANONYMIZE),
            pull_secret: m.get_one::<PathBuf>(id::PULL_SECRET).cloned(),
            code_quality: m.get_one::<PathBuf>(id::CODE_QUALITY).cloned(),
            common: CommonArgs::from_matches(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(lang: Lang, args: &[&str]) -> Cli {
        let m = command(lang).try_get_matches_from(std::iter::once(BIN).chain(args.iter().copied())).unwrap();
        Cli::from_matches(&m, lang)
    }

    #[test]
    fn the_definition_is_valid_in_both_languages() {
        for lang in Lang::ALL {
            command(lang).debug_assert();
        }
    }

    #[test]
    fn every_subcommand_and_argument_reads_back() {
        let cli = parse(Lang::En, &["ghcr.io/a/b:1", "--push", "--timeout", "2.5", "-v", "--lang", "ja"]);
        assert_eq!(cli.check.client, None);
        let podman = parse(Lang::En, &["--client", "podman"]);
        assert_eq!(podman.check.client.map(ClientArg::client), Some(ghcr_doctor_checks::Client::Podman));
        assert!(command(Lang::En).try_get_matches_from([BIN, "--client", "nerdctl"]).is_err());
        assert!(cli.command.is_none());
        assert_eq!(cli.check.images, ["ghcr.io/a/b:1"]);
        assert!(cli.check.push && cli.check.verbose && !cli.check.strict);
        assert_eq!((cli.check.timeout, cli.check.common.lang), (2.5, Some(LangArg::Ja)));
        let Some(Command::Check(c)) =
            parse(Lang::Ja, &["check", "--format", "github", "--host", "h.example", "--ci"]).command
        else {
            panic!("check")
        };
        assert_eq!(
            (c.format, c.host.as_deref(), c.ci, c.timeout),
            (Some(Format::Github), Some("h.example"), true, 10.0)
        );
        let Some(Command::List(l)) = parse(Lang::En, &["list", "--color", "never"]).command else { panic!("list") };
        assert_eq!((l.format, l.common.color), (Format::Human, ColorArg::Never));
        let Some(Command::Explain(e)) = parse(Lang::En, &["explain", "-", "--json"]).command else { panic!("explain") };
        assert_eq!((e.input.as_deref(), e.json, e.stdin), (Some("-"), true, false));
        let Some(Command::Fix(f)) = parse(Lang::En, &["fix", "--yes", "--strict"]).command else { panic!("fix") };
        assert!(f.yes && f.check.strict);
        let Some(Command::Docs(d)) = parse(Lang::En, &["docs", "--out", "o", "--config", "c.toml"]).command else {
            panic!("docs")
        };
        assert_eq!((d.out, d.config), (PathBuf::from("o"), Some(PathBuf::from("c.toml"))));
        let Some(Command::Completions(c)) = parse(Lang::Ja, &["completions", "zsh"]).command else {
            panic!("completions")
        };
        assert_eq!((c.shell, c.lang), (Shell::Zsh, Lang::Ja));
        assert!(matches!(parse(Lang::En, &["man"]).command, Some(Command::Man(ManArgs { lang: Lang::En }))));
        let m = command(Lang::En).try_get_matches_from([BIN, "help", "fix"]).unwrap();
        assert_eq!(help_target(&m), Some(Some("fix".to_owned())));
    }

    #[test]
    fn every_text_differs_between_the_languages() {
        fn texts(cmd: &clap::Command, out: &mut Vec<(String, String)>) {
            out.push((
                cmd.get_name().to_owned(),
                cmd.get_about().map(std::string::ToString::to_string).unwrap_or_default(),
            ));
            for a in cmd.get_arguments() {
                let name = format!("{} {}", cmd.get_name(), a.get_id());
                out.push((name.clone(), a.get_help().map(std::string::ToString::to_string).unwrap_or_default()));
                for v in a.get_possible_values() {
                    out.push((
                        format!("{name}={}", v.get_name()),
                        v.get_help().map(std::string::ToString::to_string).unwrap_or_default(),
                    ));
                }
            }
            for s in cmd.get_subcommands() {
                texts(s, out);
            }
        }
        let (mut en, mut ja) = (Vec::new(), Vec::new());
        texts(&command(Lang::En), &mut en);
        texts(&command(Lang::Ja), &mut ja);
        assert_eq!(en.len(), ja.len());
        // Shell names are values of clap_complete's enum, without help of ours.
        let shells = |name: &str| name.starts_with("completions shell=");
        for ((name, en), (_, ja)) in en.iter().zip(&ja).filter(|((n, _), _)| !shells(n)) {
            assert!(!en.is_empty(), "{name} has no English text");
            assert!(en.is_ascii(), "{name}: English text with non-ASCII characters: {en}");
            assert!(!ja.is_ascii(), "{name}: the Japanese text is not Japanese: {ja}");
        }
    }
}
