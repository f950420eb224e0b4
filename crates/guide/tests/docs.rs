//! The generated pages, through the public API: snapshots for a fixed team config, every id in
//! every page kind in both languages, every printed command equal to what the cause's fix steps yield
//! (so the docs and the doctor agree), determinism, and `explain_id`.

mod inputs;

use ghcr_doctor_checks::{
    CAUSES, CauseId, Family, FixCtx, Lang, Os, cause_info, checks, checks_by_id, command_lines, documented_causes,
    stand_in_args,
};
use ghcr_doctor_guide::{
    FIX_MARKER, GeneratedFile, GuideInput, PAGES, documented_checks, explain_id, explainable_ids, generate,
};
use inputs::{example, variants};

/// The shell lines of the cause's fix steps.
fn fix_commands(cause: CauseId, ctx: &FixCtx) -> Vec<String> {
    command_lines(&cause_info(cause).fix_steps(ctx))
}

fn file<'a>(files: &'a [GeneratedFile], lang: Lang, page: &str) -> &'a str {
    let path = std::path::Path::new(lang.code()).join(page);
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{} is generated", path.display())).contents
}

#[test]
fn generates_three_pages_per_language_in_a_fixed_order() {
    let paths: Vec<String> =
        generate(&example()).iter().map(|f| f.path.display().to_string().replace('\\', "/")).collect();
    assert_eq!(
        paths,
        [
            "ja/onboarding.md",
            "ja/checks.md",
            "ja/troubleshooting.md",
            "en/onboarding.md",
            "en/checks.md",
            "en/troubleshooting.md"
        ]
    );
}

#[test]
fn snapshots_of_every_page_for_the_example_config() {
    let files = generate(&example());
    for lang in Lang::ALL {
        for page in PAGES {
            let name = format!("{}_{}", lang.code(), page.trim_end_matches(".md"));
            insta::assert_snapshot!(name, file(&files, lang, page));
        }
    }
}

#[test]
fn snapshot_of_the_onboarding_guide_with_placeholders() {
    let files = generate(&GuideInput::placeholders());
    insta::assert_snapshot!("placeholders_en_onboarding", file(&files, Lang::En, "onboarding.md"));
}

#[test]
fn every_check_and_cause_id_appears_in_every_page_kind_in_both_languages() {
    for input in variants().into_iter().filter(|i| i.ctx.family == Family::Github) {
        let files = generate(&input);
        for lang in Lang::ALL {
            for page in PAGES {
                let text = file(&files, lang, page);
                // The onboarding guide walks the GitHub family's checks and their causes; the
                // reference holds every id.
                let github: Vec<ghcr_doctor_checks::CheckId> = checks(Family::Github).map(|c| c.id).collect();
                let onboarding = page == "onboarding.md";
                // The troubleshooting index lists checks by the causes they are home to.
                let listed = |c: &&ghcr_doctor_checks::Check| {
                    github.contains(&c.id)
                        || (!onboarding
                            && (page != "troubleshooting.md" || CAUSES.iter().any(|cause| cause.check() == c.id)))
                };
                let ids = checks_by_id().filter(listed).map(|c| c.id.as_str()).chain(
                    CAUSES
                        .iter()
                        .filter(|c| !onboarding || c.checks.iter().any(|k| github.contains(k)))
                        .map(|c| c.id.as_str()),
                );
                assert_mentions(text, ids, lang, page);
            }
        }
    }
}

/// A GitLab team's pages: the GitLab run's checks and every cause it can name, in every page
/// kind and both languages, and nothing of GitHub's login (gh, `read:packages`, SSO).
#[test]
fn a_gitlab_teams_pages_document_the_gitlab_run_and_nothing_of_githubs_login() {
    let input = inputs::gitlab();
    let files = generate(&input);
    assert_eq!(files.len(), 6);
    for lang in Lang::ALL {
        for page in PAGES {
            let text = file(&files, lang, page);
            let checks = documented_checks(Family::Gitlab).map(|c| c.id.as_str());
            let causes = documented_causes(Family::Gitlab).map(|c| c.id.as_str());
            if page == "troubleshooting.md" {
                assert_mentions(text, causes, lang, page);
            } else {
                assert_mentions(text, checks.chain(causes), lang, page);
            }
            for github in ["gh auth", "gh api", "read:packages", "write:packages", "GITHUB_TOKEN", "ghcr.io/", "`sso`"]
            {
                assert!(!text.contains(github), "{}/{page} mentions {github}", lang.code());
            }
            for other in ["sso-not-authorized", "fine-grained-pat", "gh-missing", "pull-secret-stale"] {
                assert!(!text.contains(&format!("`{other}`")), "{}/{page} documents {other}", lang.code());
            }
        }
        let onboarding = file(&files, lang, "onboarding.md");
        assert!(onboarding.contains(&input.ctx.token_page()), "{}: the token page", lang.code());
        assert!(onboarding.contains("docker login registry.example.com -u \"$USER\" --password-stdin"));
        assert!(onboarding.contains(
            "echo \"$CI_REGISTRY_PASSWORD\" | docker login \"$CI_REGISTRY\" -u \"$CI_REGISTRY_USER\" --password-stdin"
        ));
        assert!(onboarding.contains("codequality: gl-code-quality-report.json"));
        let reference = file(&files, lang, "checks.md");
        for cause in documented_causes(Family::Gitlab) {
            let why =
                ghcr_doctor_checks::fill(cause.why_in(Family::Gitlab).get(lang), &stand_in_args(&input.ctx, lang));
            let first_words: String = why.chars().take(12).collect();
            assert!(reference.contains(&first_words), "{}: {} in GitLab's words", lang.code(), cause.id);
        }
    }
}

fn assert_mentions<'a>(text: &str, ids: impl Iterator<Item = &'a str>, lang: Lang, page: &str) {
    for id in ids {
        let mentioned = text.contains(&format!("`{id}`")) || text.contains(&format!("`({id})`"));
        assert!(mentioned, "{}/{page} does not mention `{id}`", lang.code());
    }
}

#[test]
fn the_reference_has_an_anchor_for_every_id_and_links_only_to_existing_anchors() {
    let files = generate(&example());
    for lang in Lang::ALL {
        let reference = file(&files, lang, "checks.md");
        let anchors: Vec<&str> =
            checks_by_id().map(|c| c.id.as_str()).chain(CAUSES.iter().map(|c| c.id.as_str())).collect();
        for id in &anchors {
            assert_eq!(reference.matches(&format!("<a id=\"{id}\"></a>")).count(), 1, "anchor {id}");
        }
        for page in PAGES {
            let text = file(&files, lang, page);
            for (i, _) in text.match_indices("checks.md#").chain(text.match_indices("](#")) {
                let rest = &text[i..];
                let target = &rest[rest.find('#').unwrap() + 1..rest.find(')').unwrap()];
                assert!(anchors.contains(&target), "{}/{page}: link to missing anchor #{target}", lang.code());
            }
        }
    }
}

/// A fenced block of a page: the cause (and system) of its `<!-- fix: ID [OS] -->` marker, its
/// info string, and its lines.
struct Block {
    cause: Option<Marker>,
    info: String,
    lines: Vec<String>,
    /// The text between the previous block and this one (its marker excluded), line by line.
    before: Vec<String>,
}

/// What a `<!-- fix: ID [OS] -->` marker names: the cause, and the system when the commands
/// differ by system.
type Marker = (CauseId, Option<Os>);

/// What the pages say between two blocks of one fix (the first ends with a command that waits
/// for input).
const THEN_RUN: [&str; 2] =
    ["When that command has finished, run:", "そのコマンドが終わったら、次のコマンドを実行します。"];

fn os_named(code: &str) -> Os {
    match code {
        "macos" => Os::MacOs,
        "linux" => Os::Linux,
        "windows" => Os::Windows,
        other => panic!("a fix marker names an unknown system {other}"),
    }
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut marker: Option<Marker> = None;
    let mut open: Option<Block> = None;
    let mut before: Vec<String> = Vec::new();
    for line in markdown.lines() {
        if let Some(block) = open.as_mut() {
            if line == "```" {
                out.push(open.take().unwrap());
            } else {
                block.lines.push(line.to_owned());
            }
        } else if let Some(rest) = line.strip_prefix(FIX_MARKER) {
            let rest = rest.strip_suffix(" -->").expect("marker ends with -->");
            let (id, os) = match rest.split_once(' ') {
                Some((id, os)) => (id, Some(os_named(os))),
                None => (rest, None),
            };
            let cause = CauseId::parse(id).unwrap_or_else(|| panic!("marker names an unknown cause {id}"));
            marker = Some((cause, os));
        } else if let Some(info) = line.strip_prefix("```") {
            let before = std::mem::take(&mut before);
            open = Some(Block { cause: marker.take(), info: info.to_owned(), lines: Vec::new(), before });
        } else if !line.is_empty() {
            assert!(marker.is_none(), "a fix marker is followed directly by its block, not by {line:?}");
            before.push(line.to_owned());
        }
    }
    assert!(open.is_none(), "every block is closed");
    out
}

/// What `fix_commands` yields for `cause` on each system the docs show, in display order: one
/// entry without a system when the commands are the same everywhere; systems without commands
/// are left out.
fn expected_commands(cause: CauseId, ctx: &FixCtx) -> Vec<(Option<Os>, Vec<String>)> {
    let per_os: Vec<(Os, Vec<String>)> = [Os::MacOs, Os::Linux, Os::Windows]
        .into_iter()
        .map(|os| (os, fix_commands(cause, &FixCtx { os, ..ctx.clone() })))
        .collect();
    if per_os.iter().all(|(_, c)| *c == per_os[0].1) {
        let commands = per_os[0].1.clone();
        return if commands.is_empty() { Vec::new() } else { vec![(None, commands)] };
    }
    per_os.into_iter().filter(|(_, c)| !c.is_empty()).map(|(os, c)| (Some(os), c)).collect()
}

/// The commands `expected_commands` yields for one system (or for all, `None`).
fn expected_for(cause: CauseId, os: Option<Os>, ctx: &FixCtx) -> Vec<String> {
    let expected = expected_commands(cause, ctx);
    expected.into_iter().find(|(o, _)| *o == os).map_or_else(
        || {
            panic!("a block of {cause} for {os:?}, but fix_commands has none for it");
        },
        |(_, c)| c,
    )
}

/// The fixes of a page: a block with the same marker as the block right before it, with only
/// [`THEN_RUN`] between them, continues that fix (split where a command waits for input).
fn fixes(blocks: &[Block]) -> Vec<(Marker, Vec<String>)> {
    let mut out: Vec<(Marker, Vec<String>)> = Vec::new();
    let mut last: Option<Marker> = None;
    for block in blocks {
        let continues = block.before.len() == 1 && THEN_RUN.contains(&block.before[0].as_str());
        match block.cause {
            Some(marker) if continues && last == Some(marker) => {
                out.last_mut().unwrap().1.extend(block.lines.iter().cloned());
            }
            Some(marker) => out.push((marker, block.lines.clone())),
            None => {}
        }
        last = block.cause;
    }
    out
}

fn is_subsequence(part: &[String], whole: &[String]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|p| rest.any(|w| w == p))
}

#[test]
fn every_command_in_the_docs_is_what_fix_commands_yields_for_the_same_cause() {
    for input in variants() {
        let files = generate(&input);
        let host = &input.ctx.host;
        let looks: Vec<String> =
            ["gh --version", &format!("gh auth status -h {host}"), "docker version", "glab --version"]
                .into_iter()
                .map(str::to_owned)
                .chain(input.image_names().iter().map(|i| format!("docker pull {i}")))
                .collect();
        for f in &files {
            let page = f.path.file_name().unwrap().to_str().unwrap();
            let all = blocks(&f.contents);
            let blocks: Vec<&Block> = all.iter().filter(|b| b.info == "sh" || b.info == "powershell").collect();
            // The release installers of "Before you start": one per system, not a fix of a cause.
            let installer = |b: &Block| {
                b.lines.len() == 1
                    && (b.lines[0].contains("/releases/latest/download/ghcr-doctor-installer.")
                        || b.lines[0].ends_with("/tap/ghcr-doctor"))
            };
            for block in blocks.iter().filter(|b| !installer(b)) {
                assert!(!block.lines.is_empty(), "{}: empty block", f.path.display());
                let windows = block.cause.is_some_and(|(_, os)| os == Some(Os::Windows));
                assert_eq!(block.info == "powershell", windows, "{}: {:?}", f.path.display(), block.lines);
                if block.cause.is_none() {
                    assert_eq!(page, "onboarding.md", "{}: every block of commands names its cause", f.path.display());
                    for c in &block.lines {
                        assert!(looks.contains(c), "{}: {c:?} is neither a fix nor a look", f.path.display());
                    }
                }
            }
            for ((cause, os), commands) in fixes(&all) {
                let expected = expected_for(cause, os, &input.ctx);
                if page == "onboarding.md" {
                    // The guide also shows what the tool prints once its credential helper is
                    // installed (`ghcr-doctor setup-docker`), and GitLab's what it prints in a job.
                    let with_helper = FixCtx { own_helper_usable: true, ..input.ctx.clone() };
                    let in_job = FixCtx { ci: true, ..input.ctx.clone() };
                    assert!(
                        is_subsequence(&commands, &expected)
                            || is_subsequence(&commands, &expected_for(cause, os, &with_helper))
                            || (input.ctx.family == Family::Gitlab
                                && is_subsequence(&commands, &expected_for(cause, os, &in_job))),
                        "{}: {commands:?} is not part of fix_commands({cause}, {os:?}) = {expected:?}",
                        f.path.display()
                    );
                } else {
                    assert_eq!(commands, expected, "{}: fix_commands({cause}, {os:?})", f.path.display());
                }
            }
            if page != "onboarding.md" {
                let shown: Vec<Marker> = fixes(&all).into_iter().map(|(m, _)| m).collect();
                for (cause, _) in &shown {
                    for (os, _) in expected_commands(*cause, &input.ctx) {
                        assert!(
                            shown.contains(&(*cause, os)),
                            "{}: {cause} lacks its {os:?} commands",
                            f.path.display()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_cause_with_commands_shows_them_in_the_reference_and_the_troubleshooting_page() {
    let input = example();
    let files = generate(&input);
    for lang in Lang::ALL {
        for page in ["checks.md", "troubleshooting.md"] {
            let marked: Vec<CauseId> =
                blocks(file(&files, lang, page)).iter().filter_map(|b| b.cause.map(|(c, _)| c)).collect();
            for cause in CAUSES.iter().filter(|c| !expected_commands(c.id, &input.ctx).is_empty()) {
                assert!(marked.contains(&cause.id), "{}/{page} shows no commands for {}", lang.code(), cause.id);
            }
        }
    }
}

#[test]
fn every_error_message_appears_verbatim_in_the_troubleshooting_page() {
    let files = generate(&example());
    for lang in Lang::ALL {
        let messages: Vec<String> = blocks(file(&files, lang, "troubleshooting.md"))
            .into_iter()
            .filter(|b| b.info == "text")
            .map(|b| b.lines.join("\n"))
            .collect();
        for cause in CAUSES {
            for symptom in cause.symptoms {
                assert_eq!(messages.iter().filter(|m| m == symptom).count(), 1, "{}: {symptom}", lang.code());
            }
        }
    }
}

#[test]
fn output_is_deterministic_with_lf_endings_a_header_and_no_unfilled_placeholders() {
    for input in variants() {
        let files = generate(&input);
        assert_eq!(files, generate(&input));
        for f in &files {
            let text = &f.contents;
            assert!(!text.contains('\r') && text.ends_with('\n') && !text.ends_with("\n\n"), "{}", f.path.display());
            let first = text.lines().next().unwrap();
            assert!(first.starts_with("<!-- ") && first.contains(&format!("`{}`", input.command)), "{first}");
            let ja = f.path.starts_with("ja");
            assert!(first.contains(if ja { "手で編集しないでください" } else { "Do not edit by hand" }), "{first}");
            for name in [
                "host", "registry", "login", "image", "owner", "name", "web", "scope", "var", "config", "helper",
                "detail", "url", "file", "command", "n", "title", "ids", "id", "lines", "text", "value", "check",
                "checks", "fix", "level",
            ] {
                assert!(!text.contains(&format!("{{{name}}}")), "{}: unfilled {{{name}}}", f.path.display());
            }
        }
    }
}

#[test]
fn the_japanese_pages_carry_the_glossary_and_no_english_headings() {
    let files = generate(&example());
    for page in ["onboarding.md", "checks.md"] {
        let ja = file(&files, Lang::Ja, page);
        assert!(ja.contains("## 用語集"), "{page}");
        for term in
            ["トークン", "スコープ", "組織", "シングルサインオン（SSO）", "認証情報ヘルパー", "レジストリ", "デーモン"]
        {
            assert!(ja.contains(term), "{page}: {term}");
        }
        let mut in_block = false;
        for line in ja.lines() {
            if line.starts_with("```") {
                in_block = !in_block;
            }
            if in_block || !line.starts_with('#') {
                continue;
            }
            assert!(
                line.chars().any(|c| c > '\u{3000}') || line.contains('`'),
                "{page}: heading not in Japanese: {line}"
            );
        }
    }
}

/// `cargo xtask docs` and `ghcr-doctor docs --out DIR` differ only in the command the first line
/// names: the rest of every page is the same bytes.
#[test]
fn only_the_header_depends_on_the_command_that_generates_the_pages() {
    let xtask = generate(&example());
    let mut input = example();
    input.command = "ghcr-doctor docs --config /src/team/ghcr-doctor.toml --out /tmp/docs".into();
    let cli = generate(&input);
    assert_eq!(xtask.len(), cli.len());
    for (a, b) in xtask.iter().zip(&cli) {
        assert_eq!(a.path, b.path);
        assert_ne!(a.contents, b.contents, "the header names the command");
        let body = |text: &str| text.split_once('\n').map(|(_, rest)| rest.to_owned()).unwrap();
        assert_eq!(body(&a.contents), body(&b.contents), "{}", a.path.display());
    }
}

#[test]
fn a_single_language_has_no_link_to_the_other() {
    let mut input = example();
    input.langs = vec![Lang::En];
    let files = generate(&input);
    assert_eq!(files.len(), 3);
    assert!(files.iter().all(|f| !f.contents.contains("../ja/")));
}

#[test]
fn explain_id_knows_every_check_and_cause_and_nothing_else() {
    let ctx = example().ctx;
    for id in explainable_ids() {
        for lang in Lang::ALL {
            let text = explain_id(id, lang, &ctx).unwrap_or_else(|| panic!("{id}"));
            let colon = if lang == Lang::Ja { "：" } else { ": " };
            assert!(text.starts_with(&format!("{id}{colon}")) && text.ends_with('\n'), "{text}");
        }
    }
    assert_eq!(explainable_ids().count(), checks_by_id().count() + CAUSES.len());
    assert!(explain_id("no-such-id", Lang::En, &ctx).is_none());
}

#[test]
fn explain_prints_the_same_commands_as_the_doctor() {
    let mut ctx = example().ctx;
    ctx.login = "alice".into();
    for cause in CAUSES {
        let text = explain_id(cause.id.as_str(), Lang::En, &ctx).unwrap();
        for command in fix_commands(cause.id, &ctx) {
            assert!(text.contains(&format!("  {command}\n")), "{}: {command}", cause.id);
        }
    }
}

#[test]
fn snapshots_of_explain() {
    let mut ctx = example().ctx;
    ctx.login = "alice".into();
    for lang in Lang::ALL {
        for id in ["token-scopes", "missing-scope"] {
            insta::assert_snapshot!(format!("explain_{id}_{}", lang.code()), explain_id(id, lang, &ctx).unwrap());
        }
    }
}
