//! The generated pages, through the public API: snapshots for a fixed team config, every id in
//! every page kind in both languages, every printed command equal to what the cause's fix steps yield
//! (so the docs and the doctor agree), determinism, and `explain_id`.

use ghcr_doctor_checks::{Access, CAUSES, CHECKS, CauseId, FixCtx, GithubHost, Lang, Os, cause_info, command_lines};

/// The shell lines of the cause's fix steps.
fn fix_commands(cause: CauseId, ctx: &FixCtx) -> Vec<String> {
    command_lines(&cause_info(cause).fix_steps(ctx))
}
use ghcr_doctor_guide::{FIX_MARKER, GeneratedFile, GuideInput, PAGES, explain_id, explainable_ids, generate};

fn team(host: &str, images: &[&str], access: Access, command: &str) -> GuideInput {
    let images = images.iter().map(|i| i.parse().unwrap()).collect();
    GuideInput::for_team(&GithubHost::parse(host).unwrap(), images, access, "ghcr-doctor.toml", command)
}

/// The repository's own example config (ghcr-doctor.toml at the root).
fn example() -> GuideInput {
    team(
        "github.com",
        &["ghcr.io/example-org/web:main", "ghcr.io/example-org/worker:main"],
        Access::Pull,
        "cargo xtask docs",
    )
}

/// Other shapes of input: Enterprise Server with push access, and no config at all.
fn variants() -> Vec<GuideInput> {
    let ghes = team(
        "github.example.com",
        &["containers.github.example.com/platform/api:1.2", "containers.github.example.com/data/etl:2"],
        Access::Push,
        "ghcr-doctor docs --config ghcr-doctor.toml --out docs",
    );
    vec![example(), ghes, GuideInput::placeholders()]
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
    for input in variants() {
        let files = generate(&input);
        for lang in Lang::ALL {
            for page in PAGES {
                let text = file(&files, lang, page);
                let ids = CHECKS.iter().map(|c| c.id.as_str()).chain(CAUSES.iter().map(|c| c.id.as_str()));
                for id in ids {
                    let mentioned = text.contains(&format!("`{id}`")) || text.contains(&format!("`({id})`"));
                    assert!(mentioned, "{}/{page} does not mention `{id}`", lang.code());
                }
            }
        }
    }
}

#[test]
fn the_reference_has_an_anchor_for_every_id_and_links_only_to_existing_anchors() {
    let files = generate(&example());
    for lang in Lang::ALL {
        let reference = file(&files, lang, "checks.md");
        let anchors: Vec<&str> =
            CHECKS.iter().map(|c| c.id.as_str()).chain(CAUSES.iter().map(|c| c.id.as_str())).collect();
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

/// A fenced block of a page: the cause of its `<!-- fix: ID -->` marker, its info string, and
/// its lines.
struct Block {
    cause: Option<CauseId>,
    info: String,
    lines: Vec<String>,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut marker: Option<CauseId> = None;
    let mut open: Option<Block> = None;
    for line in markdown.lines() {
        if let Some(block) = open.as_mut() {
            if line == "```" {
                out.push(open.take().unwrap());
            } else {
                block.lines.push(line.to_owned());
            }
        } else if let Some(rest) = line.strip_prefix(FIX_MARKER) {
            let id = rest.strip_suffix(" -->").expect("marker ends with -->");
            marker = Some(CauseId::parse(id).unwrap_or_else(|| panic!("marker names an unknown cause {id}")));
        } else if let Some(info) = line.strip_prefix("```") {
            open = Some(Block { cause: marker.take(), info: info.to_owned(), lines: Vec::new() });
        } else if !line.is_empty() {
            assert!(marker.is_none(), "a fix marker is followed directly by its block, not by {line:?}");
        }
    }
    assert!(open.is_none(), "every block is closed");
    out
}

/// What `fix_commands` yields for `cause` on the systems the docs show, in display order.
fn expected_commands(cause: CauseId, ctx: &FixCtx) -> Vec<String> {
    let per_os: Vec<Vec<String>> = [Os::MacOs, Os::Linux, Os::Windows]
        .into_iter()
        .map(|os| fix_commands(cause, &FixCtx { os, ..ctx.clone() }))
        .collect();
    if per_os.iter().all(|c| *c == per_os[0]) { per_os[0].clone() } else { per_os.concat() }
}

fn is_subsequence(part: &[String], whole: &[String]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|p| rest.any(|w| w == p))
}

#[test]
fn every_command_in_the_docs_is_what_fix_commands_yields_for_the_same_cause() {
    for input in variants() {
        let files = generate(&input);
        let looks: Vec<String> =
            ["gh --version".to_owned(), format!("gh auth status -h {}", input.ctx.host), "docker version".to_owned()]
                .into_iter()
                .chain(input.image_names().iter().map(|i| format!("docker pull {i}")))
                .collect();
        for f in &files {
            let page = f.path.file_name().unwrap().to_str().unwrap();
            for block in blocks(&f.contents).into_iter().filter(|b| b.info == "sh") {
                let commands: Vec<String> = block.lines.iter().filter(|l| !l.starts_with('#')).cloned().collect();
                assert!(!commands.is_empty(), "{}: empty block", f.path.display());
                match block.cause {
                    Some(cause) => {
                        let expected = expected_commands(cause, &input.ctx);
                        if page == "onboarding.md" {
                            assert!(
                                is_subsequence(&commands, &expected),
                                "{}: {commands:?} is not part of fix_commands({cause}) = {expected:?}",
                                f.path.display()
                            );
                        } else {
                            assert_eq!(commands, expected, "{}: fix_commands({cause})", f.path.display());
                        }
                    }
                    None => {
                        assert_eq!(
                            page,
                            "onboarding.md",
                            "{}: every block of commands names its cause",
                            f.path.display()
                        );
                        for c in &commands {
                            assert!(looks.contains(c), "{}: {c:?} is neither a fix nor a look", f.path.display());
                        }
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
            let marked: Vec<CauseId> = blocks(file(&files, lang, page)).iter().filter_map(|b| b.cause).collect();
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
            assert!(text.starts_with(&format!("{id}: ")) && text.ends_with('\n'), "{text}");
        }
    }
    assert_eq!(explainable_ids().count(), CHECKS.len() + CAUSES.len());
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
