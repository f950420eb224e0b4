//! The command line's own words in both languages, end to end: snapshots of `--help` for the top
//! level and every subcommand in Japanese and English and of three typical usage errors; the
//! language chosen as for the report (`--lang`, `GHCR_DOCTOR_LANG`, the team config's `lang`, the
//! locale; a broken config does not break `--help`); a bare word close to a subcommand; `man`
//! and `completions` printing what `cargo xtask docs` committed; and the bash completion driven
//! in a real bash.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::BIN;

/// What one run printed, in a directory of its own (no team config unless the test writes one).
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_clear().env("PATH", "/nonexistent").env("LANG", "C").current_dir(dir).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Out {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), args, env)
}

/// Columns in a terminal: East Asian wide characters take two.
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| {
            let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
}

const SUBCOMMANDS: [&str; 8] = ["check", "list", "explain", "fix", "docs", "completions", "man", "help"];

/// English words of clap's that must not be left in the Japanese help.
const CLAP_ENGLISH: [&str; 9] = [
    "Usage:",
    "Commands:",
    "Arguments:",
    "Options:",
    "Print help",
    "Print version",
    "[default:",
    "[possible values:",
    "Examples:",
];

#[test]
fn help_of_every_subcommand_in_both_languages() {
    for sub in std::iter::once(None).chain(SUBCOMMANDS.map(Some)) {
        for lang in ["en", "ja"] {
            let mut args: Vec<&str> = sub.into_iter().collect();
            args.extend(["--help", "--lang", lang]);
            let help = run(&args, &[]);
            assert_eq!((help.code, help.stderr.as_str()), (0, ""), "{args:?}");
            let name = format!("help_{}_{lang}", sub.unwrap_or("top"));
            insta::assert_snapshot!(name, help.stdout);

            let short: Vec<&str> = args.iter().map(|a| if *a == "--help" { "-h" } else { a }).collect();
            assert_eq!(run(&short, &[]).stdout, help.stdout, "-h is --help: {args:?}");
            if let Some(sub) = sub.filter(|s| *s != "help") {
                assert_eq!(run(&["help", sub, "--lang", lang], &[]).stdout, help.stdout, "help {sub}");
            }
            let width = if lang == "ja" { 80 } else { 100 };
            for line in help.stdout.lines() {
                assert!(columns(line) <= width, "{args:?}: a line wider than {width} columns:\n{line}");
            }
            if lang == "ja" {
                for word in CLAP_ENGLISH {
                    assert!(!help.stdout.contains(word), "{args:?}: `{word}` left in English:\n{}", help.stdout);
                }
                assert!(help.stdout.contains("使い方: ghcr-doctor") && help.stdout.contains("ヘルプを表示します"));
            }
        }
    }
    // The examples are the same commands in both languages.
    let (en, ja) = (run(&["--help", "--lang", "en"], &[]).stdout, run(&["--help", "--lang", "ja"], &[]).stdout);
    let commands =
        |help: &str| help.lines().filter(|l| l.starts_with("  ghcr-doctor ")).map(str::to_owned).collect::<Vec<_>>();
    assert!(commands(&en).len() >= 10);
    assert_eq!(commands(&en), commands(&ja));
}

#[test]
fn the_help_speaks_the_language_the_report_would() {
    let ja = run(&["--help", "--lang", "ja"], &[]).stdout;
    let en = run(&["--help", "--lang", "en"], &[]).stdout;
    assert_ne!(ja, en);
    assert_eq!(run(&["--help"], &[("LANG", "ja_JP.UTF-8")]).stdout, ja, "LANG=ja_JP.UTF-8 ghcr-doctor --help");
    assert_eq!(run(&["--help"], &[("LC_ALL", "ja_JP.UTF-8")]).stdout, ja);
    assert_eq!(run(&["--help"], &[("GHCR_DOCTOR_LANG", "ja")]).stdout, ja);
    assert_eq!(run(&["--help", "--lang", "en"], &[("GHCR_DOCTOR_LANG", "ja"), ("LANG", "ja_JP.UTF-8")]).stdout, en);
    assert_eq!(run(&["--help"], &[("GHCR_DOCTOR_LANG", "en"), ("LANG", "ja_JP.UTF-8")]).stdout, en);
    let check_ja = run(&["check", "-h", "--lang", "ja"], &[]);
    assert!(check_ja.stdout.starts_with("すべてのチェックを実行します"), "{}", check_ja.stdout);
    assert!(run(&["check", "--lang=ja", "-h"], &[]).stdout.starts_with("すべてのチェックを実行します"));

    // The team config's `lang`, found in a parent directory, as the check finds it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ghcr-doctor.toml"), "lang = \"ja\"\n").unwrap();
    let sub = dir.path().join("src");
    std::fs::create_dir(&sub).unwrap();
    assert_eq!(run_in(&sub, &["--help"], &[]).stdout, ja, "config lang");
    assert_eq!(run_in(&sub, &["--help"], &[("GHCR_DOCTOR_LANG", "en")]).stdout, en, "env before config");
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "lang = \"en\"\n").unwrap();
    assert_eq!(run_in(&sub, &["--config", other.to_str().unwrap(), "--help"], &[]).stdout, en, "--config");

    // A broken config does not break --help: the locale decides, and the check reports the file.
    std::fs::write(dir.path().join("ghcr-doctor.toml"), "lang = \"ja\"\nimages = [\n").unwrap();
    let help = run_in(&sub, &["--help"], &[]);
    assert_eq!((help.code, help.stdout), (0, en));
    let broken = run_in(&sub, &["--help"], &[("LANG", "ja_JP.UTF-8")]);
    assert_eq!((broken.code, broken.stdout), (0, ja));
    let check = run_in(&sub, &["check"], &[]);
    assert_eq!(check.code, 2);
    assert!(check.stderr.contains("ghcr-doctor.toml:"), "{}", check.stderr);
}

#[test]
fn three_typical_usage_errors_in_both_languages() {
    for (name, args) in [
        ("usage_error_subcommand_typo", &["chekc", "--jsn"][..]),
        ("usage_error_unknown_flag", &["check", "--jsn"]),
        ("usage_error_invalid_value", &["check", "--format", "yaml"]),
    ] {
        for lang in ["en", "ja"] {
            let mut all = vec!["--lang", lang];
            all.extend(args);
            let out = run(&all, &[]);
            assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{all:?}");
            insta::assert_snapshot!(format!("{name}_{lang}"), out.stderr);
        }
    }
    // The locale alone is enough, and clap's structure and exit code are kept.
    let ja = run(&["--lang", "ja", "chekc", "--jsn"], &[]);
    assert_eq!(run(&["chekc", "--jsn"], &[("LANG", "ja_JP.UTF-8")]).stderr, ja.stderr);
    let en = run(&["chekc", "--jsn"], &[]);
    assert_eq!(ja.stderr.lines().count(), en.stderr.lines().count(), "same structure:\n{}\n{}", ja.stderr, en.stderr);
}

#[test]
fn a_bare_word_close_to_a_subcommand_suggests_it() {
    let chek = run(&["chek"], &[]);
    assert_eq!(chek.code, 2);
    assert!(chek.stderr.starts_with("error: unrecognized subcommand 'chek'\n"), "{}", chek.stderr);
    assert!(chek.stderr.contains("tip: a similar subcommand exists: 'check'"), "{}", chek.stderr);
    assert!(!chek.stderr.contains("ghcr.io/chek"), "not taken for an image: {}", chek.stderr);
    let explian = run(&["explian", "denied"], &[("LANG", "ja_JP.UTF-8")]);
    assert_eq!(explian.code, 2);
    assert!(explian.stderr.contains("似たサブコマンドがあります: 'explain'"), "{}", explian.stderr);
    // Not close to a subcommand: still the image reference's own error.
    let nginx = run(&["nginx", "--lang", "en"], &[]);
    assert_eq!(nginx.code, 2);
    assert!(nginx.stderr.contains("did you mean `ghcr.io/nginx`"), "{}", nginx.stderr);
    // A subcommand after top-level options is that subcommand, not an image.
    let after = run(&["--lang", "ja", "list", "--format", "json"], &[]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&after.stdout).unwrap()["lang"], "ja");
}

/// A generated file without its "generated by" note.
fn committed(path: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    text.lines().filter(|l| !l.contains("Generated by `cargo xtask docs`")).map(|l| format!("{l}\n")).collect()
}

#[test]
fn man_and_completions_print_what_the_docs_hold() {
    let man = run(&["man"], &[]);
    assert_eq!(man.code, 0);
    assert_eq!(man.stdout, committed("docs/man/ghcr-doctor.1"));
    assert_eq!(run(&["man", "--lang", "ja"], &[]).stdout, committed("docs/man/ja/ghcr-doctor.1"));
    assert_eq!(run(&["man"], &[("LANG", "ja_JP.UTF-8")]).stdout, committed("docs/man/ja/ghcr-doctor.1"));
    assert!(man.stdout.contains(".SH \"ENVIRONMENT\"") && man.stdout.contains(".SH \"EXIT STATUS\""));
    for (shell, file) in [("bash", "ghcr-doctor.bash"), ("zsh", "ghcr-doctor.zsh"), ("fish", "ghcr-doctor.fish")]
        .into_iter()
        .chain([("powershell", "ghcr-doctor.ps1"), ("elvish", "ghcr-doctor.elv")])
    {
        let out = run(&["completions", shell, "--lang", "en"], &[]);
        assert_eq!(out.code, 0, "{shell}");
        assert_eq!(out.stdout.trim_end(), committed(&format!("docs/completions/{file}")).trim_end(), "{shell}");
        if shell != "bash" {
            let ja = run(&["completions", shell, "--lang", "ja"], &[]).stdout;
            assert_eq!(ja.trim_end(), committed(&format!("docs/completions/ja/{file}")).trim_end(), "{shell} ja");
            assert!(ja.contains("pull ではなく push の権限を確認します"), "{shell}: Japanese descriptions");
        }
    }
    let bad = run(&["completions", "tcsh", "--lang", "ja"], &[]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("'tcsh' は指定できません"), "{}", bad.stderr);
}

/// The man page as man would typeset it, when groff is installed: no warnings in either language.
#[test]
fn the_man_pages_typeset_without_warnings() {
    if !Path::new("/usr/bin/groff").exists() {
        eprintln!("note: groff is not installed; the man pages' roff is checked by the unit tests only");
        return;
    }
    for (path, extra) in [("docs/man/ghcr-doctor.1", None), ("docs/man/ja/ghcr-doctor.1", Some("-mja"))] {
        let out = Command::new("groff")
            .args(["-k", "-Tutf8", "-man", "-ww"])
            .args(extra)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "{path}:\n{stderr}");
        // Bold and underline are overstruck (`X\bX`, `_\bX`): keep the last character.
        let mut text = String::new();
        for c in String::from_utf8_lossy(&out.stdout).chars() {
            if c == '\u{8}' {
                text.pop();
            } else {
                text.push(c);
            }
        }
        for word in ["ghcr-doctor", "GHCR_DOCTOR_LANG", "SSL_CERT_FILE", "130"] {
            assert!(text.contains(word), "{path}: {word}");
        }
    }
}

/// `COMP_WORDS`/`COMP_CWORD` as bash sets them for the last word, then what the script offers.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_ghcr__doctor ghcr-doctor \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = Command::new("bash").arg("--norc").arg("-c").arg(program).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[test]
fn bash_completes_subcommands_and_their_options_in_a_real_bash() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ghcr-doctor.bash");
    std::fs::write(&script, run(&["completions", "bash"], &[]).stdout).unwrap();
    let offers = |words: &[&str]| bash_complete(&script, words);
    let mut co = offers(&["ghcr-doctor", "check", "--co"]);
    co.sort();
    assert_eq!(co, ["--codequality", "--color", "--config"]);
    assert_eq!(offers(&["ghcr-doctor", "ex"]), ["explain"]);
    assert_eq!(offers(&["ghcr-doctor", "fix", "--y"]), ["--yes"]);
    assert_eq!(offers(&["ghcr-doctor", "explain", "--st"]), ["--stdin"]);
    assert_eq!(offers(&["ghcr-doctor", "list", "--format", "j"]), ["json"]);
    assert_eq!(offers(&["ghcr-doctor", "completions", "fi"]), ["fish"]);
    assert_eq!(offers(&["ghcr-doctor", "--lang", "ja", "check", "--pus"]), ["--push"]);
    assert_eq!(offers(&["ghcr-doctor", "check", "--pul"]), ["--pull-secret"]);
    assert!(offers(&["ghcr-doctor", "help", ""]).contains(&"explain".to_owned()));
}
