//! clap's usage errors in the user's language: one bilingual template per [`ErrorKind`] (and per
//! suggestion), filled from the error's context, in clap's own structure (`error:` line, `tip:`
//! lines, the usage, "For more information, try '--help'.") and with its exit code 2. English
//! is printed by clap itself; the tests check that these templates in English are clap's text to
//! the byte, so the Japanese has the same shape. Also the one error clap cannot see: a bare word
//! close to a subcommand's name (`ghcr-doctor chek`), which the top level would otherwise take
//! for an image reference.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::builder::StyledStr;
use clap::builder::styling::{Style, Styles};
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use ghcr_doctor_checks::{Lang, Text, fill, t};

/// clap's indentation of `tip:` lines and value lists.
const TAB: &str = "  ";

/// Prints a usage error (or clap's help and version, which carry their own text) in `lang`.
pub fn print(error: clap::Error, lang: Lang) {
    let _ = match lang {
        Lang::En => error.print(),
        Lang::Ja => error.apply::<Japanese>().print(),
    };
}

/// clap's error formatter, in Japanese.
pub struct Japanese;

impl ErrorFormatter for Japanese {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        render(error, Lang::Ja)
    }
}

/// The same templates in English (what the tests compare with clap's own rendering).
#[cfg(test)]
pub struct English;

#[cfg(test)]
impl ErrorFormatter for English {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        render(error, Lang::En)
    }
}

const ERROR: Text = t!("error:", "エラー:");
const TIP: Text = t!("tip:", "ヒント:");
pub const USAGE: Text = t!("Usage:", "使い方:");
const TRY_HELP: Text = t!("For more information, try '{help}'.", "詳しくは '{help}' を実行してください。");
const POSSIBLE_VALUES: Text = t!("possible values", "指定できる値");
const SUBCOMMANDS: Text = t!("subcommands", "サブコマンド");

/// One error's text, following clap's `RichFormatter` step by step.
fn render<F: ErrorFormatter>(error: &clap::error::Error<F>, lang: Lang) -> StyledStr {
    let styles = Styles::styled();
    let paint = |style: &Style, text: &str| format!("{style}{text}{style:#}");
    let (valid, invalid, literal) = (styles.get_valid(), styles.get_invalid(), styles.get_literal());
    let string = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let quoted = |style, s: &str| format!("'{}'", paint(style, s));
    let mut out = format!("{} ", paint(styles.get_error(), ERROR.get(lang)));

    match message(error, lang, &|s| quoted(invalid, s), &|s| quoted(literal, s), &|s| paint(valid, s)) {
        Some(message) => out.push_str(&message),
        // As clap: the kind's text, else the underlying error (never `error.to_string()`, which
        // would come back here).
        None => out.push_str(&match kind_text(error.kind()) {
            Some(text) => text.get(lang).to_owned(),
            None => std::error::Error::source(error).map_or_else(
                || t!("unknown cause", "原因不明のエラーです").get(lang).to_owned(),
                std::string::ToString::to_string,
            ),
        }),
    }
    if let Some(v) = error.get(ContextKind::ValidValue).filter(|_| error.kind() == ErrorKind::InvalidValue) {
        values_list(&mut out, POSSIBLE_VALUES.get(lang), v, &|s| paint(valid, s));
    }
    if let Some(v) = error.get(ContextKind::ValidSubcommand).filter(|_| error.kind() == ErrorKind::MissingSubcommand) {
        if string(ContextKind::InvalidSubcommand).is_some() {
            values_list(&mut out, SUBCOMMANDS.get(lang), v, &|s| paint(valid, s));
        }
    }

    let tip = format!("{TAB}{}", paint(valid, TIP.get(lang)));
    let mut suggested = false;
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, Similar::Subcommand),
        (ContextKind::SuggestedArg, Similar::Argument),
        (ContextKind::SuggestedValue, Similar::Value),
    ] {
        let names: Vec<&str> = match error.get(kind) {
            Some(ContextValue::String(s)) => vec![s.as_str()],
            Some(ContextValue::Strings(v)) => v.iter().map(String::as_str).collect(),
            _ => continue,
        };
        out.push('\n');
        if !suggested {
            out.push('\n');
            suggested = true;
        }
        let listed = names.iter().map(|n| quoted(valid, n)).collect::<Vec<_>>().join(", ");
        let text = what.text(names.len() == 1);
        let _ = write!(out, "{tip} {}", fill(text.get(lang), &[("names", listed)]));
    }
    if let Some(ContextValue::StyledStrs(suggestions)) = error.get(ContextKind::Suggested) {
        if !suggested {
            out.push('\n');
        }
        for s in suggestions {
            let _ = write!(
                out,
                "\n{tip} {}",
                suggestion(&s.to_string(), lang, &|s| paint(valid, s), &|s| paint(invalid, s))
            );
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        out.push_str("\n\n");
        out.push_str(&localize_usage(&usage.ansi().to_string(), lang));
    }
    let _ = write!(out, "\n\n{}\n", fill(TRY_HELP.get(lang), &[("help", paint(literal, "--help"))]));
    StyledStr::from(out)
}

/// The first line's message from the kind's template and the context, when the context has what
/// the template needs (else clap's kind text is used, as clap does).
fn message<F: ErrorFormatter>(
    error: &clap::error::Error<F>,
    lang: Lang,
    bad: &dyn Fn(&str) -> String,
    lit: &dyn Fn(&str) -> String,
    good: &dyn Fn(&str) -> String,
) -> Option<String> {
    let string = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let number = |kind| match error.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    };
    let arg = string(ContextKind::InvalidArg);
    let value = string(ContextKind::InvalidValue);
    let said = |text: Text, args: &[(&str, String)]| Some(fill(text.get(lang), args));
    let were = |n: isize| if n > 1 { " were provided" } else { " was provided" }.to_owned();
    match error.kind() {
        ErrorKind::ArgumentConflict => {
            let prior = error.get(ContextKind::PriorArg);
            let subject = match (arg, string(ContextKind::InvalidSubcommand)) {
                (Some(a), _) if prior == Some(&ContextValue::String(a.to_owned())) => {
                    return said(
                        t!("the argument {arg} cannot be used multiple times", "引数 {arg} は 1 回しか指定できません"),
                        &[("arg", bad(a))],
                    );
                }
                (Some(a), _) => fill(t!("the argument {arg}", "引数 {arg}").get(lang), &[("arg", bad(a))]),
                (None, Some(s)) => fill(t!("the subcommand {sub}", "サブコマンド {sub}").get(lang), &[("sub", bad(s))]),
                (None, None) => return None,
            };
            match prior {
                Some(ContextValue::String(v)) => said(
                    t!("{subject} cannot be used with {prior}", "{subject} は {prior} と一緒には使えません"),
                    &[("subject", subject), ("prior", bad(v))],
                ),
                Some(ContextValue::Strings(values)) => {
                    let mut line = fill(
                        t!("{subject} cannot be used with:", "{subject} は次の引数と一緒には使えません:").get(lang),
                        &[("subject", subject)],
                    );
                    for v in values {
                        let _ = write!(line, "\n{TAB}{}", bad_plain(v, bad));
                    }
                    Some(line)
                }
                Some(_) => said(
                    t!(
                        "{subject} cannot be used with one or more of the other specified arguments",
                        "{subject} は、ほかに指定した引数と一緒には使えません"
                    ),
                    &[("subject", subject)],
                ),
                None => {
                    said(t!("{subject} cannot be used with", "{subject} は一緒には使えません"), &[("subject", subject)])
                }
            }
        }
        ErrorKind::NoEquals => said(
            t!("equal sign is needed when assigning values to {arg}", "{arg} に値を渡すときは等号（=）が必要です"),
            &[("arg", bad(arg?))],
        ),
        ErrorKind::InvalidValue if value?.is_empty() => said(
            t!("a value is required for {arg} but none was supplied", "{arg} には値が必要ですが、指定されていません"),
            &[("arg", bad(arg?))],
        ),
        ErrorKind::InvalidValue => said(
            t!("invalid value {value} for {arg}", "{arg} に {value} は指定できません"),
            &[("value", bad(value?)), ("arg", lit(arg?))],
        ),
        ErrorKind::InvalidSubcommand => said(
            t!("unrecognized subcommand {sub}", "{sub} というサブコマンドはありません"),
            &[("sub", bad(string(ContextKind::InvalidSubcommand)?))],
        ),
        ErrorKind::MissingRequiredArgument => {
            let Some(ContextValue::Strings(missing)) = error.get(ContextKind::InvalidArg) else { return None };
            let mut line =
                t!("the following required arguments were not provided:", "次の必須の引数が指定されていません:")
                    .get(lang)
                    .to_owned();
            for m in missing {
                let _ = write!(line, "\n{TAB}{}", good(m));
            }
            Some(line)
        }
        ErrorKind::MissingSubcommand => said(
            t!(
                "{sub} requires a subcommand but one was not provided",
                "{sub} にはサブコマンドが必要ですが、指定されていません"
            ),
            &[("sub", bad(string(ContextKind::InvalidSubcommand)?))],
        ),
        ErrorKind::TooManyValues => said(
            t!(
                "unexpected value {value} for {arg} found; no more were expected",
                "{arg} に余分な値 {value} があります。これ以上の値は指定できません"
            ),
            &[("value", bad(value?)), ("arg", lit(arg?))],
        ),
        ErrorKind::TooFewValues => {
            let (actual, min) = (number(ContextKind::ActualNumValues)?, number(ContextKind::MinValues)?);
            said(
                t!(
                    "{min} values required by {arg}; only {actual}{were}",
                    "{arg} には値が {min} 個必要ですが、{actual} 個しか指定されていません"
                ),
                &[
                    ("min", good(&min.to_string())),
                    ("arg", lit(arg?)),
                    ("actual", bad_plain(&actual.to_string(), bad)),
                    ("were", were(actual)),
                ],
            )
        }
        ErrorKind::ValueValidation => {
            let mut line = fill(
                t!("invalid value {value} for {arg}", "{arg} に {value} は指定できません").get(lang),
                &[("value", bad(value?)), ("arg", lit(arg?))],
            );
            if let Some(source) = std::error::Error::source(error) {
                let _ = write!(line, ": {source}");
            }
            Some(line)
        }
        ErrorKind::WrongNumberOfValues => {
            let (actual, expected) = (number(ContextKind::ActualNumValues)?, number(ContextKind::ExpectedNumValues)?);
            said(
                t!(
                    "{num} values required for {arg} but {actual}{were}",
                    "{arg} には値が {num} 個必要ですが、{actual} 個指定されています"
                ),
                &[
                    ("num", good(&expected.to_string())),
                    ("arg", lit(arg?)),
                    ("actual", bad_plain(&actual.to_string(), bad)),
                    ("were", were(actual)),
                ],
            )
        }
        ErrorKind::UnknownArgument => {
            said(t!("unexpected argument {arg} found", "想定していない引数 {arg} があります"), &[("arg", bad(arg?))])
        }
        _ => None,
    }
}

/// A value styled as invalid but without the quotes `bad` adds.
fn bad_plain(s: &str, bad: &dyn Fn(&str) -> String) -> String {
    let quoted = bad(s);
    quoted.strip_prefix('\'').and_then(|q| q.strip_suffix('\'')).map(str::to_owned).unwrap_or(quoted)
}

/// clap's generic text for a kind (when the context is missing).
fn kind_text(kind: ErrorKind) -> Option<Text> {
    Some(match kind {
        ErrorKind::InvalidValue => t!("one of the values isn't valid for an argument", "引数の値が正しくありません"),
        ErrorKind::UnknownArgument => t!("unexpected argument found", "想定していない引数があります"),
        ErrorKind::InvalidSubcommand => t!("unrecognized subcommand", "そのサブコマンドはありません"),
        ErrorKind::NoEquals => {
            t!(
                "equal is needed when assigning values to one of the arguments",
                "引数に値を渡すときは等号（=）が必要です"
            )
        }
        ErrorKind::ValueValidation => t!("invalid value for one of the arguments", "引数の値が正しくありません"),
        ErrorKind::TooManyValues => t!("unexpected value for an argument found", "引数に余分な値があります"),
        ErrorKind::TooFewValues => t!("more values required for an argument", "引数の値が足りません"),
        ErrorKind::WrongNumberOfValues => {
            t!("too many or too few values for an argument", "引数の値の数が正しくありません")
        }
        ErrorKind::ArgumentConflict => t!(
            "an argument cannot be used with one or more of the other specified arguments",
            "一緒には使えない引数が指定されています"
        ),
        ErrorKind::MissingRequiredArgument => {
            t!("one or more required arguments were not provided", "必須の引数が指定されていません")
        }
        ErrorKind::MissingSubcommand => {
            t!("a subcommand is required but one was not provided", "サブコマンドが必要ですが、指定されていません")
        }
        ErrorKind::InvalidUtf8 => {
            t!("invalid UTF-8 was detected in one or more arguments", "引数に UTF-8 として正しくない文字があります")
        }
        _ => return None,
    })
}

/// `  [possible values: a, b]` after the message.
fn values_list(out: &mut String, name: &str, values: &ContextValue, good: &dyn Fn(&str) -> String) {
    let ContextValue::Strings(values) = values else { return };
    if values.is_empty() {
        return;
    }
    let listed = values.iter().map(|v| good(&escape(v))).collect::<Vec<_>>().join(", ");
    let _ = write!(out, "\n{TAB}[{name}: {listed}]");
}

/// A value as clap lists it: quoted when it has white space.
fn escape(v: &str) -> String {
    if v.is_empty() || v.contains(char::is_whitespace) { format!("{v:?}") } else { v.to_owned() }
}

/// What a `tip:` line says is similar.
#[derive(Clone, Copy)]
enum Similar {
    Subcommand,
    Argument,
    Value,
}

impl Similar {
    /// The sentence for one name (`single`) or several.
    fn text(self, single: bool) -> Text {
        match (self, single) {
            (Similar::Subcommand, true) => {
                t!("a similar subcommand exists: {names}", "似たサブコマンドがあります: {names}")
            }
            (Similar::Subcommand, false) => {
                t!("some similar subcommands exist: {names}", "似たサブコマンドがあります: {names}")
            }
            (Similar::Argument, true) => t!("a similar argument exists: {names}", "似た引数があります: {names}"),
            (Similar::Argument, false) => t!("some similar arguments exist: {names}", "似た引数があります: {names}"),
            (Similar::Value, true) => t!("a similar value exists: {names}", "似た値があります: {names}"),
            (Similar::Value, false) => t!("some similar values exist: {names}", "似た値があります: {names}"),
        }
    }
}

/// clap's free-form suggestions (the few sentences its parser writes), recognised by their
/// English shape and said again in `lang`; anything else is kept as clap wrote it.
fn suggestion(plain: &str, lang: Lang, good: &dyn Fn(&str) -> String, bad: &dyn Fn(&str) -> String) -> String {
    let quoted = |s: &str, style: &dyn Fn(&str) -> String| format!("'{}'", style(s));
    let parts: Vec<&str> = plain.split('\'').collect();
    match parts.as_slice() {
        ["to pass ", value, " as a value, use ", command, ""] => fill(
            t!("to pass {value} as a value, use {command}", "{value} を値として渡すには {command} としてください")
                .get(lang),
            &[("value", quoted(value, bad)), ("command", quoted(command, good))],
        ),
        ["subcommand ", sub, " exists; to use it, remove the ", "--", " before it"] => fill(
            t!(
                "subcommand {sub} exists; to use it, remove the {dashes} before it",
                "サブコマンド {sub} があります。使うには前にある {dashes} を外してください"
            )
            .get(lang),
            &[("sub", quoted(sub, good)), ("dashes", quoted("--", bad))],
        ),
        ["", command, " exists"] => {
            fill(t!("{command} exists", "{command} があります").get(lang), &[("command", quoted(command, good))])
        }
        _ => plain.to_owned(),
    }
}

/// clap's usage block (`Usage: ghcr-doctor …`, further lines indented under the first) with the
/// heading in `lang` and the further lines indented to match it.
pub fn localize_usage(ansi: &str, lang: Lang) -> String {
    let style = Styles::styled().get_usage().to_owned();
    let english = format!("{style}{}{style:#} ", USAGE.en);
    let Some(rest) = ansi.strip_prefix(&english).or_else(|| ansi.strip_prefix("Usage: ")) else {
        return ansi.to_owned();
    };
    let heading = USAGE.get(lang);
    format!("{style}{heading}{style:#} {}", reindent_usage(rest, heading))
}

/// A usage's further lines, which clap indents by the width of `Usage: `, indented by the width
/// of `heading` and a space instead.
pub fn reindent_usage(usage: &str, heading: &str) -> String {
    let clap_indent = format!("\n{:width$}", "", width = USAGE.en.len() + 1);
    usage.replace(&clap_indent, &format!("\n{:width$}", "", width = crate::help::display_width(heading) + 1))
}

/// `ghcr-doctor chek`: clap takes a bare word at the top level for an image (the top level
/// accepts `check`'s arguments), and the check then rejects it as an image reference. A word
/// with neither `/` nor `:` is never an image the doctor can check, so when it is close to a
/// subcommand's name (clap's own measure: Jaro similarity above 0.7) this is the error clap
/// would give without the image argument: `unrecognized subcommand`, with the similar names.
pub fn subcommand_typo(cmd: &mut clap::Command, args: &[OsString]) -> Option<clap::Error> {
    let (_, word) = first_positional(cmd, args)?;
    if word.contains(['/', ':']) || cmd.find_subcommand(&word).is_some() {
        return None;
    }
    let mut similar: Vec<(f64, String)> = cmd
        .get_subcommands()
        .flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases()))
        .map(|name| (strsim::jaro(&word, name), name.to_owned()))
        .filter(|(confidence, _)| *confidence > 0.7)
        .collect();
    if similar.is_empty() {
        return None;
    }
    // As clap orders them: least similar first.
    similar.sort_by(|a, b| a.0.total_cmp(&b.0));
    cmd.build();
    let usage = cmd.render_usage();
    let mut error = clap::Error::new(ErrorKind::InvalidSubcommand).with_cmd(cmd);
    error.insert(ContextKind::InvalidSubcommand, ContextValue::String(word));
    error
        .insert(ContextKind::SuggestedSubcommand, ContextValue::Strings(similar.into_iter().map(|(_, n)| n).collect()));
    error.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    Some(error)
}

/// `ghcr-doctor --lang ja check --json`: once the top level has read an option, clap takes every
/// word for an image (`args_conflicts_with_subcommands`, so that `ghcr-doctor IMAGE` works), and
/// `check` would be rejected as an image reference. A subcommand's name is never an image (it has
/// neither `/` nor `:`), so it is moved in front of the options, which then belong to it (and
/// are checked against it: `ghcr-doctor --push list` is still an error).
pub fn subcommand_first(cmd: &clap::Command, mut args: Vec<OsString>) -> Vec<OsString> {
    if let Some((index, word)) = first_positional(cmd, &args) {
        if index > 1 && cmd.find_subcommand(&word).is_some() {
            let name = args.remove(index);
            args.insert(1, name);
        }
    }
    args
}

/// The first argument at the top level that is neither an option nor an option's value, and
/// where it is.
fn first_positional(cmd: &clap::Command, args: &[OsString]) -> Option<(usize, String)> {
    let takes_value = |arg: Option<&clap::Arg>| arg.is_some_and(|a| a.get_action().takes_values());
    let mut rest = args.iter().enumerate().skip(1);
    while let Some((index, arg)) = rest.next() {
        let arg = arg.to_str()?;
        if arg == "--" {
            return None;
        }
        if let Some(long) = arg.strip_prefix("--") {
            if !long.contains('=') && takes_value(cmd.get_arguments().find(|a| a.get_long() == Some(long))) {
                rest.next();
            }
        } else if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let last = shorts.chars().last();
            if shorts.chars().count() == 1 && takes_value(cmd.get_arguments().find(|a| a.get_short() == last)) {
                rest.next();
            }
        } else {
            return Some((index, arg.to_owned()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{BIN, command};

    fn error(args: &[&str]) -> clap::Error {
        let mut cmd = crate::help::view(command(Lang::En), Lang::En);
        let args: Vec<OsString> = std::iter::once(BIN).chain(args.iter().copied()).map(OsString::from).collect();
        if let Some(e) = subcommand_typo(&mut cmd, &args) {
            return e;
        }
        let args = subcommand_first(&cmd, args);
        cmd.try_get_matches_from(args).expect_err("a usage error")
    }

    /// The templates in English are clap's own text, styles included: the Japanese has clap's
    /// structure because it is rendered by the same steps.
    #[test]
    fn the_english_templates_reproduce_clap() {
        for args in [
            &["--jsn"][..],
            &["check", "--jsn"],
            &["check", "--format", "yaml"],
            &["check", "--format", "jsn"],
            &["check", "--format"],
            &["check", "--json", "--format", "json"],
            &["check", "--lang", "ja", "--lang", "en"],
            &["docs", "--out"],
            &["--yes"],
            &["docs"],
            &["chek"],
            &["--lang", "ja", "chekc", "--jsn"],
            &["check", "--timeout", "soon"],
            &["explain", "a", "b"],
            &["explain", "--foo"],
            &["completions", "tcsh"],
            &["help", "chek"],
        ] {
            let e = error(args);
            let clap = e.render().ansi().to_string();
            let ours = e.apply::<English>().render().ansi().to_string();
            assert_eq!(ours, clap, "{args:?}\nclap:\n{clap}\nours:\n{ours}");
        }
    }

    #[test]
    fn japanese_errors_keep_clap_structure_and_name_the_suggestion() {
        let e = error(&["--lang", "ja", "chekc", "--jsn"]).apply::<Japanese>();
        assert_eq!(e.exit_code(), 2);
        let text = e.render().to_string();
        assert!(text.starts_with("エラー: 'chekc' というサブコマンドはありません\n\n  ヒント: 似たサブコマンドがあります: 'check'\n\n使い方: ghcr-doctor [OPTIONS] [IMAGE]...\n        ghcr-doctor <COMMAND>\n"), "{text}");
        assert!(text.ends_with("\n\n詳しくは '--help' を実行してください。\n"), "{text}");
        let text = error(&["check", "--jsn"]).apply::<Japanese>().render().to_string();
        assert!(
            text.contains("想定していない引数 '--jsn' があります") && text.contains("似た引数があります: '--json'"),
            "{text}"
        );
        let text = error(&["explain", "--foo"]).apply::<Japanese>().render().to_string();
        assert!(text.contains("'--foo' を値として渡すには '-- --foo' としてください"), "{text}");
    }

    #[test]
    fn a_bare_word_close_to_a_subcommand_is_a_typo_and_anything_else_is_not() {
        let typo = |args: &[&str]| {
            let mut cmd = command(Lang::En);
            let args: Vec<OsString> = std::iter::once(BIN).chain(args.iter().copied()).map(OsString::from).collect();
            subcommand_typo(&mut cmd, &args).map(|e| e.get(ContextKind::SuggestedSubcommand).cloned())
        };
        let one = |name: &str| Some(Some(ContextValue::Strings(vec![name.to_owned()])));
        assert_eq!(typo(&["chek"]), one("check"));
        assert_eq!(typo(&["--lang", "ja", "chekc", "--jsn"]), one("check"));
        assert_eq!(typo(&["--timeout", "5", "lsit"]), one("list"));
        assert_eq!(typo(&["explian"]), one("explain"));
        assert_eq!(typo(&["check"]), None, "a subcommand");
        assert_eq!(typo(&["ghcr.io/acme/chek"]), None, "an image");
        assert_eq!(typo(&["chek:1"]), None, "an image with a tag");
        assert_eq!(typo(&["nginx"]), None, "not close to any subcommand");
        assert_eq!(typo(&["--host", "chek"]), None, "an option's value");
        assert_eq!(typo(&["--", "chek"]), None, "after `--`");
    }

    #[test]
    fn a_subcommand_after_top_level_options_is_the_subcommand() {
        let moved = |args: &[&str]| {
            let args: Vec<OsString> = std::iter::once(BIN).chain(args.iter().copied()).map(OsString::from).collect();
            subcommand_first(&command(Lang::En), args)
                .into_iter()
                .skip(1)
                .map(|a| a.into_string().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(moved(&["--lang", "ja", "check", "--json"]), ["check", "--lang", "ja", "--json"]);
        assert_eq!(moved(&["-v", "--color=never", "list"]), ["list", "-v", "--color=never"]);
        assert_eq!(moved(&["check", "--lang", "ja"]), ["check", "--lang", "ja"], "already first");
        assert_eq!(
            moved(&["--push", "ghcr.io/a/b:1", "check"]),
            ["--push", "ghcr.io/a/b:1", "check"],
            "after an image"
        );
        assert_eq!(moved(&["--host", "check"]), ["--host", "check"], "an option's value");
        assert_eq!(moved(&["--", "check"]), ["--", "check"], "after `--`");
    }
}
