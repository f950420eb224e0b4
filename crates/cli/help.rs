//! The help, in the language the doctor would use for its report: that language is found before
//! clap parses (`--lang` in the arguments, `GHCR_DOCTOR_LANG`, the team config's `lang`, the
//! locale), then the bilingual definition of `args.rs` is built in it and laid out here:
//! headings, `[default: …]`/`[possible values: …]`, the examples (the same commands in both
//! languages), the exit codes, and Japanese line breaking (clap breaks lines only at spaces and
//! counts a kanji as one column). [`parse`] is the whole front door: help, version and usage
//! errors are printed here, everything else is handed back as a [`Cli`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use clap::builder::styling::Styles;
use clap::error::ErrorKind;
use ghcr_doctor_checks::{ExitStatus, Lang, Text, fill, t};
use ghcr_doctor_probe::Env;

use crate::args::{self, BIN, Cli, LangArg, sub};
use crate::{config, language, usage_error};

/// Reads the arguments; `Err` means everything is said (help, version or a usage error) and the
/// process exits with that status.
pub fn parse(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, env: &Env) -> Result<Cli, ExitStatus> {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cwd = std::env::current_dir().ok();
    let lang = language_for(&args, env, cwd.as_deref());
    parse_in(args, lang)
}

fn parse_in(args: Vec<OsString>, lang: Lang) -> Result<Cli, ExitStatus> {
    let mut cmd = view(args::command(lang), lang);
    if let Some(typo) = usage_error::subcommand_typo(&mut cmd, &args) {
        return Err(report(typo, lang));
    }
    let args = usage_error::subcommand_first(&cmd, args);
    let matches = cmd.try_get_matches_from_mut(&args).map_err(|e| report(e, lang))?;
    if let Some(target) = args::help_target(&matches) {
        // `help check` is `check --help`.
        let argv0 = args.first().cloned().unwrap_or_else(|| BIN.into());
        let again = [argv0].into_iter().chain(target.map(OsString::from)).chain([OsString::from("--help")]).collect();
        return Err(parse_in(again, lang).err().unwrap_or(ExitStatus::Success));
    }
    Ok(Cli::from_matches(&matches, lang))
}

/// Prints what clap stopped with and says how to exit: 0 for help and version, 2 for errors.
fn report(error: clap::Error, lang: Lang) -> ExitStatus {
    let status = if error.use_stderr() { ExitStatus::Usage } else { ExitStatus::Success };
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand if lang != Lang::En => {
            // The usage's further lines are indented under clap's English heading.
            let text = align_usage(&error.render().ansi().to_string(), lang);
            let _ = if error.use_stderr() {
                std::io::Write::write_all(&mut anstream::stderr(), text.as_bytes())
            } else {
                std::io::Write::write_all(&mut anstream::stdout(), text.as_bytes())
            };
        }
        _ => usage_error::print(error, lang),
    }
    status
}

/// The language of the help and the usage errors: the order the report uses (`--lang`,
/// `GHCR_DOCTOR_LANG`, the team config's `lang`, the locale), read before clap parses. A config
/// that cannot be read or is invalid does not count here (the check reports it).
pub fn language_for(args: &[OsString], env: &Env, cwd: Option<&Path>) -> Lang {
    let (mut flag, mut config_path) = (None, None);
    let mut rest = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = rest.next() {
        let lang_value = |v: &str| LangArg::from_str(v, false).ok();
        match arg.split_once('=') {
            _ if arg == "--" => break,
            Some(("--lang", v)) => flag = lang_value(v).or(flag),
            Some(("--config", v)) => config_path = Some(PathBuf::from(v)),
            _ if arg == "--lang" => flag = rest.next().and_then(|v| lang_value(&v)).or(flag),
            _ if arg == "--config" => config_path = rest.next().map(|v| PathBuf::from(&*v)).or(config_path),
            _ => {}
        }
    }
    let decided = flag.is_some() || env.get("GHCR_DOCTOR_LANG").and_then(Lang::from_code).is_some();
    let team = if decided {
        None
    } else {
        config_path.or_else(|| cwd.and_then(config::discover)).and_then(|p| config::load(&p).ok()).and_then(|c| c.lang)
    };
    language::choose(flag, team, env)
}

/// The headings and the few words of the help that are not in the definition.
const ARGUMENTS: Text = t!("Arguments", "引数");
const OPTIONS: Text = t!("Options", "オプション");
const COMMANDS: Text = t!("Commands", "コマンド");
const EXAMPLES_HEADING: Text = t!("Examples:", "例:");
const DEFAULT: Text = t!("[default: {value}]", "［既定値：{value}］");
const POSSIBLE: Text = t!("[possible values: {values}]", "［指定できる値：{values}］");
const EXIT_CODES: Text = t!("Exit codes: {codes}.", "終了コード: {codes}です。");
const EXIT_CODE: Text = t!("{code} {meaning}", "{code} は{meaning}");

/// Japanese lines are broken here at this many columns (a kanji is two): option help sits right
/// of its option (at most 27 columns in), about and after-help texts start at the margin, and a
/// subcommand's about also sits in its parent's list of commands (15 columns in).
const HELP_WIDTH: usize = 52;
const TEXT_WIDTH: usize = 80;
const SUBCOMMAND_ABOUT_WIDTH: usize = 64;

/// One example: the same command in both languages, what it does in each.
pub struct Example {
    pub command: &'static str,
    /// The subcommand whose help shows it too.
    pub subcommand: &'static str,
    pub what: Text,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        command: "ghcr-doctor",
        subcommand: sub::CHECK,
        what: t!("Check the images listed in ./ghcr-doctor.toml", "./ghcr-doctor.toml に書かれたイメージを確認します"),
    },
    Example {
        command: "ghcr-doctor check ghcr.io/acme/app:main",
        subcommand: sub::CHECK,
        what: t!("Check one image (pull access)", "1 つのイメージを確認します（pull の権限）"),
    },
    Example {
        command: "ghcr-doctor check --push ghcr.io/acme/app:1.2",
        subcommand: sub::CHECK,
        what: t!("Check that you may push it", "push できるかを確認します"),
    },
    Example {
        command: "ghcr-doctor check --json | jq .next_steps",
        subcommand: sub::CHECK,
        what: t!("Machine-readable verdict", "結果をプログラムで読める形で出力します"),
    },
    Example {
        command: "ghcr-doctor check --format gitlab registry.gitlab.com/acme/app:main",
        subcommand: sub::CHECK,
        what: t!(
            "In a GitLab CI job: log sections plus gl-code-quality-report.json",
            "GitLab CI のジョブで、ログのセクションと gl-code-quality-report.json を出力します"
        ),
    },
    Example {
        command: "ghcr-doctor --lang ja",
        subcommand: sub::CHECK,
        what: t!("Answer in Japanese", "日本語で答えます"),
    },
    Example {
        command: "ghcr-doctor explain \"denied: denied\"",
        subcommand: sub::EXPLAIN,
        what: t!("What a pasted error means", "貼り付けたエラーの意味を説明します"),
    },
    Example {
        command: "docker pull IMAGE 2>&1 | ghcr-doctor explain -",
        subcommand: sub::EXPLAIN,
        what: t!("What a whole log means", "ログ全体の意味を説明します"),
    },
    Example {
        command: "ghcr-doctor explain missing-scope",
        subcommand: sub::EXPLAIN,
        what: t!("Explain a cause id", "原因の ID を説明します"),
    },
    Example {
        command: "ghcr-doctor fix",
        subcommand: sub::FIX,
        what: t!(
            "Show the fix plan, ask once, apply it, check again",
            "修正の計画を示し、一度確認してから実行し、もう一度確認します"
        ),
    },
    Example {
        command: "ghcr-doctor docs --out docs/ghcr",
        subcommand: sub::DOCS,
        what: t!(
            "Write the team's onboarding guide (ja and en)",
            "チームのオンボーディングガイドを書き出します（ja と en）"
        ),
    },
    Example {
        command: "ghcr-doctor docs --config gitlab/ghcr-doctor.toml --out docs/gitlab",
        subcommand: sub::DOCS,
        what: t!(
            "The same for a GitLab team (its config says `forge = \"gitlab\"`)",
            "GitLab のチーム用に同じものを書き出します（設定ファイルに `forge = \"gitlab\"` と書きます）"
        ),
    },
    Example {
        command: "ghcr-doctor list",
        subcommand: sub::LIST,
        what: t!("Every check id and its title", "すべてのチェックの ID と名前"),
    },
    Example {
        command: "ghcr-doctor completions zsh > ~/.zfunc/_ghcr-doctor",
        subcommand: sub::COMPLETIONS,
        what: t!("Install the zsh completions", "zsh の補完をインストールします"),
    },
    Example {
        command: "ghcr-doctor man --lang ja | man -l -",
        subcommand: sub::MAN,
        what: t!("Read the manual in Japanese", "日本語のマニュアルを読みます"),
    },
];

/// Every exit status, in order. Adding a variant to `ExitStatus` fails to compile here until it
/// is listed and explained.
pub const EXIT_STATUSES: [ExitStatus; 5] =
    [ExitStatus::Success, ExitStatus::Failure, ExitStatus::Usage, ExitStatus::Interrupted, ExitStatus::Terminated];

/// What an exit status means, as the end of "{code} …" (English) or "{code} は…" (Japanese).
pub fn exit_meaning(status: ExitStatus) -> Text {
    match status {
        ExitStatus::Success => {
            t!("no check failed (warnings allowed)", "失敗したチェックがないとき（警告だけなら 0 です）")
        }
        ExitStatus::Failure => {
            t!("a check failed (or a warning with --strict)", "チェックが失敗したとき（`--strict` では警告も含みます）")
        }
        ExitStatus::Usage => t!("usage, configuration or internal error", "使い方や設定の誤り、または内部エラーのとき"),
        ExitStatus::Interrupted => t!("interrupted (Ctrl-C)", "中断されたとき（Ctrl-C）"),
        ExitStatus::Terminated => t!("stopped by SIGTERM", "SIGTERM で停止されたとき"),
    }
}

/// The definition laid out for `--help` in `lang`.
pub fn view(cmd: clap::Command, lang: Lang) -> clap::Command {
    view_command(cmd, lang, true)
}

fn view_command(cmd: clap::Command, lang: Lang, top: bool) -> clap::Command {
    let name = cmd.get_name().to_owned();
    let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
    let mut after = String::new();
    let examples: Vec<&Example> = EXAMPLES.iter().filter(|e| top || e.subcommand == name).collect();
    if !examples.is_empty() {
        let header = Styles::styled().get_header().to_owned();
        after.push_str(&format!("{header}{}{header:#}\n", EXAMPLES_HEADING.get(lang)));
        for e in examples {
            after.push_str(&format!(
                "  {}\n{}\n",
                e.command,
                indent(&wrap_in(e.what.get(lang), lang, TEXT_WIDTH - 6), 6)
            ));
        }
    }
    if top {
        let codes: Vec<String> = EXIT_STATUSES
            .iter()
            .map(|s| {
                fill(
                    EXIT_CODE.get(lang),
                    &[("code", s.code().to_string()), ("meaning", exit_meaning(*s).get(lang).to_owned())],
                )
            })
            .collect();
        let line = fill(EXIT_CODES.get(lang), &[("codes", codes.join(t!(", ", "、").get(lang)))]);
        after.push('\n');
        after.push_str(&wrap_in(&line, lang, TEXT_WIDTH));
    }
    let about = wrap_in(&about, lang, if top { TEXT_WIDTH } else { SUBCOMMAND_ABOUT_WIDTH });
    let mut cmd = cmd
        .about(about)
        .subcommand_help_heading(COMMANDS.get(lang))
        .mut_args(|a| view_arg(a, lang))
        .mut_subcommands(|s| view_command(s, lang, false));
    if !after.is_empty() {
        cmd = cmd.after_help(after.trim_end().to_owned());
    }
    if lang != Lang::En {
        let usage = Styles::styled().get_usage().to_owned();
        let heading = usage_error::USAGE.get(lang);
        cmd = cmd.help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage}{heading}{usage:#} {{usage}}\n\n{{all-args}}{{after-help}}"
        ));
    }
    cmd
}

fn view_arg(arg: clap::Arg, lang: Lang) -> clap::Arg {
    let heading = if arg.is_positional() { ARGUMENTS } else { OPTIONS };
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = with_specs(help, default_spec(&arg, lang).into_iter().chain(values_spec(&arg, lang)).collect(), lang);
    let takes_values = arg.get_action().takes_values();
    arg.help(wrap_in(&help, lang, HELP_WIDTH))
        .help_heading(heading.get(lang))
        .hide_default_value(takes_values)
        .hide_possible_values(takes_values)
}

/// `[default: …]` in `lang`, as clap would add it in English.
pub fn default_spec(arg: &clap::Arg, lang: Lang) -> Option<String> {
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    (arg.get_action().takes_values() && !arg.is_hide_default_value_set() && !defaults.is_empty())
        .then(|| fill(DEFAULT.get(lang), &[("value", defaults.join(" "))]))
}

/// `[possible values: …]` in `lang`, as clap would add it in English.
pub fn values_spec(arg: &clap::Arg, lang: Lang) -> Option<String> {
    let values: Vec<String> =
        arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_owned()).collect();
    (arg.get_action().takes_values() && !arg.is_hide_possible_values_set() && !values.is_empty())
        .then(|| fill(POSSIBLE.get(lang), &[("values", values.join(t!(", ", "、").get(lang)))]))
}

/// A help text with its specs after it: `text [default: 10]`, `テキスト［既定値：10］`.
pub fn with_specs(help: String, specs: Vec<String>, lang: Lang) -> String {
    if specs.is_empty() {
        return help;
    }
    let gap = if lang == Lang::En { " " } else { "" };
    format!("{help}{gap}{}", specs.join(gap))
}

/// clap's help with the usage's further lines indented under the heading in `lang`.
fn align_usage(help: &str, lang: Lang) -> String {
    let heading = usage_error::USAGE.get(lang);
    let Some(start) = help.find(heading) else { return help.to_owned() };
    let end = help[start..].find("\n\n").map_or(help.len(), |e| start + e);
    format!("{}{}{}", &help[..start], usage_error::reindent_usage(&help[start..end], heading), &help[end..])
}

fn indent(text: &str, by: usize) -> String {
    text.lines().map(|l| format!("{:by$}{l}", "")).collect::<Vec<_>>().join("\n")
}

/// `text` broken into lines of at most `width` columns when `lang` is Japanese; English is left
/// to clap.
fn wrap_in(text: &str, lang: Lang, width: usize) -> String {
    match lang {
        Lang::En => text.to_owned(),
        Lang::Ja => wrap(text, width),
    }
}

/// Columns a character takes in a terminal: two for East Asian wide and full-width characters.
pub fn char_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Columns a text takes (ANSI escape sequences take none).
pub fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => width += char_width(c),
        }
    }
    width
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー')
}

/// Characters a Japanese line must not start with, and must not end with (kinsoku).
const NO_LINE_START: &str =
    "、。，．・：；？！）」』】〕］｝〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々…‥)],.:;!?";
const NO_LINE_END: &str = "（「『【〔［｛〈《([";

/// Breaks `text` into lines of at most `width` columns: at spaces, and between two characters
/// where one is Japanese, except before closing punctuation, after opening brackets and inside
/// a katakana word. A `code span` or a ［spec］ is never broken, nor is an English word.
pub fn wrap(text: &str, width: usize) -> String {
    text.split('\n').map(|p| wrap_paragraph(p, width)).collect::<Vec<_>>().join("\n")
}

fn wrap_paragraph(text: &str, width: usize) -> String {
    // Unbreakable pieces, and whether a space came before each.
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut space_before = false;
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            space_before = true;
            prev = None;
            continue;
        }
        let mut piece = String::from(c);
        if let Some(close) = match c {
            '`' => Some('`'),
            '［' => Some('］'),
            _ => None,
        } {
            for d in chars.by_ref() {
                piece.push(d);
                if d == close {
                    break;
                }
            }
        }
        let last = piece.chars().last().unwrap_or(c);
        let breakable = space_before
            || prev.is_some_and(|p| {
                (char_width(p) == 2 || char_width(c) == 2)
                    && !NO_LINE_START.contains(c)
                    && !NO_LINE_END.contains(p)
                    && !(is_katakana(p) && is_katakana(c))
            });
        match pieces.last_mut() {
            Some((_, current)) if !breakable => current.push_str(&piece),
            _ => pieces.push((space_before, piece)),
        }
        space_before = false;
        prev = Some(last);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (space, piece) in pieces {
        let gap = usize::from(space && !line.is_empty());
        if !line.is_empty() && display_width(&line) + gap + display_width(&piece) > width {
            lines.push(std::mem::take(&mut line));
        } else if gap == 1 {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    lines.push(line);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        std::iter::once(BIN).chain(args.iter().copied()).map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_found_before_parsing_in_the_report_order() {
        let dir = tempfile_dir("lang");
        std::fs::write(dir.join("ghcr-doctor.toml"), "lang = \"ja\"\n").unwrap();
        let env = |pairs: &'static [(&'static str, &'static str)]| Env::from_pairs(pairs.iter().copied());
        let c_locale = env(&[("LANG", "C")]);
        assert_eq!(language_for(&os(&["check", "-h", "--lang", "ja"]), &c_locale, None), Lang::Ja);
        assert_eq!(language_for(&os(&["--lang=ja", "--help"]), &c_locale, None), Lang::Ja);
        assert_eq!(language_for(&os(&["--lang", "en"]), &env(&[("GHCR_DOCTOR_LANG", "ja")]), Some(&dir)), Lang::En);
        assert_eq!(language_for(&os(&["--help"]), &env(&[("GHCR_DOCTOR_LANG", "en")]), Some(&dir)), Lang::En);
        assert_eq!(language_for(&os(&["--help"]), &env(&[("LANG", "en_US.UTF-8")]), Some(&dir)), Lang::Ja, "config");
        assert_eq!(language_for(&os(&["--help"]), &env(&[("LANG", "ja_JP.UTF-8")]), None), Lang::Ja, "locale");
        assert_eq!(language_for(&os(&["--lang", "xx", "-h"]), &c_locale, None), Lang::En, "clap reports the bad value");
        assert_eq!(language_for(&os(&["explain", "--", "--lang", "ja"]), &c_locale, None), Lang::En, "after `--`");
        let other = dir.join("other.toml");
        std::fs::write(&other, "lang = \"en\"\n").unwrap();
        let explicit = os(&["--config", other.to_str().unwrap(), "-h"]);
        assert_eq!(language_for(&explicit, &env(&[("LANG", "ja_JP.UTF-8")]), Some(&dir)), Lang::En, "--config");
        std::fs::write(dir.join("ghcr-doctor.toml"), "lang = \"klingon\"\n").unwrap();
        assert_eq!(
            language_for(&os(&["--help"]), &env(&[("LANG", "ja_JP.UTF-8")]), Some(&dir)),
            Lang::Ja,
            "a broken config"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ghcr-doctor-help-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn japanese_is_broken_between_characters_but_not_inside_code_or_words() {
        let text = "チームの設定ファイルです（省略時はこのディレクトリか親ディレクトリの `ghcr-doctor.toml`）";
        let wrapped = wrap(text, 30);
        for line in wrapped.lines() {
            assert!(display_width(line) <= 30, "{line:?} in\n{wrapped}");
        }
        assert!(wrapped.contains("`ghcr-doctor.toml`）"), "{wrapped}");
        let squeezed = |s: &str| s.replace(['\n', ' '], "");
        assert_eq!(squeezed(&wrapped), squeezed(text), "nothing but spaces is lost");
        let wrapped = wrap("pull ではなく push の権限を確認します（`write:packages` が必要です）", 24);
        assert!(!wrapped.lines().any(|l| l.starts_with(['）', '、', '。', ' '])), "{wrapped}");
        assert!(!wrapped.lines().any(|l| l.ends_with('（')), "{wrapped}");
        assert_eq!(wrap("short", 80), "short");
        assert_eq!(display_width("日本語 abc"), 10);
        assert_eq!(display_width("\u{1b}[1m使い方:\u{1b}[0m"), 7);
    }
}
