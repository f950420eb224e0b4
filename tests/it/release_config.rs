//! The release configuration agrees with itself: dist's targets (`dist-workspace.toml`) are the
//! ones the README lists and cover every runner `action/install.sh` downloads for, with the
//! archive formats the installer and `cargo binstall` expect; the archives' extra files exist;
//! one repository URL (`[workspace.package] repository`) is the one the README, the examples and
//! the Homebrew tap name; the version is the same in the manifests, the changelog and the man
//! page; `release.yml` is dist's, of the dist version configured; and every crate that
//! `cargo install ghcr-doctor` needs has what crates.io requires. (`cargo package` itself runs in
//! `.ci/run`.)

use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn toml_of(path: &str) -> toml::Table {
    read(path).parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dist() -> toml::Table {
    toml_of("dist-workspace.toml")["dist"].as_table().unwrap().clone()
}

fn strings(value: &toml::Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

/// `OWNER/REPO` of `[workspace.package] repository`.
fn repository() -> String {
    let manifest = toml_of("Cargo.toml");
    let url = manifest["workspace"]["package"]["repository"].as_str().unwrap().to_owned();
    url.strip_prefix("https://github.com/").expect("a github.com repository").to_owned()
}

#[test]
fn dist_targets_are_the_documented_ones_and_cover_every_runner_the_action_downloads_for() {
    let targets: BTreeSet<String> = strings(&dist()["targets"]).into_iter().collect();
    let expected = [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ];
    assert_eq!(targets, expected.iter().map(std::string::ToString::to_string).collect());
    let readme = read("README.md");
    for target in &targets {
        assert!(readme.contains(&format!("`{target}`")), "README.md's Install section does not list {target}");
    }
    let script = read("action/install.sh");
    let downloads: Vec<&str> =
        script.lines().filter_map(|l| l.split("target=").nth(1)).map(|t| t.split([' ', ';']).next().unwrap()).collect();
    assert_eq!(downloads.len(), 5, "{downloads:?}");
    for target in downloads {
        assert!(targets.contains(target), "install.sh downloads {target}, which dist does not build");
    }
    // .tar.gz everywhere but Windows (dist's default .zip): what install.sh and binstall unpack.
    assert_eq!(dist()["unix-archive"].as_str(), Some(".tar.gz"));
    assert!(dist().get("windows-archive").is_none_or(|v| v.as_str() == Some(".zip")));
    let manifest = toml_of("Cargo.toml");
    let binstall = &manifest["package"]["metadata"]["binstall"];
    assert!(
        binstall["pkg-url"].as_str().unwrap().ends_with("/releases/download/v{ version }/{ name }-{ target }.tar.gz")
    );
    let windows = &binstall["overrides"]["x86_64-pc-windows-msvc"];
    assert_eq!(
        (windows["pkg-fmt"].as_str(), windows["bin-dir"].as_str()),
        (Some("zip"), Some("{ bin }{ binary-ext }"))
    );
}

#[test]
fn archives_get_the_man_page_completions_readme_changelog_and_licences() {
    let include = strings(&dist()["include"]);
    assert_eq!(include, ["docs/man/ghcr-doctor.1", "docs/completions/"]);
    for path in &include {
        assert!(Path::new(ROOT).join(path).exists(), "{path} is missing: run `cargo xtask docs`");
    }
    let completions: BTreeSet<String> = std::fs::read_dir(Path::new(ROOT).join("docs/completions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let expected: BTreeSet<String> =
        ["ghcr-doctor.bash", "ghcr-doctor.elv", "ghcr-doctor.fish", "ghcr-doctor.ps1", "ghcr-doctor.zsh", "ja"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(completions, expected, "every shell, and the Japanese descriptions in ja/");
    // dist picks these up by name next to the manifest.
    for file in ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(Path::new(ROOT).join(file).is_file(), "{file}");
    }
    assert!(read("LICENSE-APACHE").contains("Apache License\n                           Version 2.0, January 2004"));
    assert!(read("LICENSE-MIT").starts_with("MIT License\n"));
    assert_eq!(toml_of("Cargo.toml")["workspace"]["package"]["license"].as_str(), Some("MIT OR Apache-2.0"));
    assert_eq!(strings(&dist()["installers"]), ["shell", "powershell", "homebrew"]);
}

#[test]
fn one_repository_is_named_everywhere() {
    let repo = repository();
    let manifest = toml_of("Cargo.toml");
    assert_eq!(
        manifest["workspace"]["package"]["homepage"].as_str(),
        Some(format!("https://github.com/{repo}").as_str())
    );
    let owner = repo.split('/').next().unwrap();
    assert_eq!(dist()["tap"].as_str(), Some(format!("{owner}/homebrew-tap").as_str()));
    let readme = read("README.md");
    assert!(readme.contains(&format!("brew install {owner}/tap/ghcr-doctor")), "README.md: the Homebrew command");
    for (file, text) in [
        ("README.md", readme.clone()),
        (".github/workflows/example-push.yml", read(".github/workflows/example-push.yml")),
        (".github/workflows/example-pull.yml", read(".github/workflows/example-pull.yml")),
    ] {
        let mut named = 0;
        for (i, _) in text.match_indices("github.com/") {
            let path: String = text[i + "github.com/".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || "-_./".contains(*c))
                .collect();
            let mut parts = path.split('/');
            let at = format!("{}/{}", parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            assert_eq!(at, repo, "{file} names github.com/{path}");
            named += 1;
        }
        for (i, _) in text.match_indices("/ghcr-doctor@") {
            let start = text[..i].rfind([' ', '`']).unwrap() + 1;
            assert_eq!(&text[start..i + "/ghcr-doctor".len()], repo, "{file}: `uses:` of another repository");
            named += 1;
        }
        assert!(named > 0, "{file} names no repository");
    }
    // A release tag, not a branch, is what the docs tell people to use.
    assert!(readme.contains(&format!("uses: {repo}@v{VERSION}")), "README.md: `uses:` at the release tag");
}

#[test]
fn the_version_is_the_same_in_manifests_changelog_and_man_page() {
    let manifest = toml_of("Cargo.toml");
    assert_eq!(manifest["workspace"]["package"]["version"].as_str(), Some(VERSION));
    let deps = manifest["workspace"]["dependencies"].as_table().unwrap();
    for name in ["ghcr-doctor-checks", "ghcr-doctor-probe", "ghcr-doctor-explain", "ghcr-doctor-guide"] {
        assert_eq!(deps[name]["version"].as_str(), Some(format!("={VERSION}").as_str()), "{name}'s pin");
    }
    let changelog = read("CHANGELOG.md");
    assert!(changelog.contains(&format!("\n## [{VERSION}] - ")), "CHANGELOG.md has no entry for {VERSION}");
    // roff escapes the hyphen: `"ghcr\-doctor 1.0.0"`.
    assert!(read("docs/man/ghcr-doctor.1").contains(&format!("\"ghcr\\-doctor {VERSION}\"")));
}

#[test]
fn release_yml_is_generated_by_the_configured_dist_version() {
    let release = read(".github/workflows/release.yml");
    assert!(release.starts_with("# This file was autogenerated by dist: "), "regenerate it with `dist generate`");
    let dist_version = dist()["cargo-dist-version"].as_str().unwrap().to_owned();
    assert!(release.contains(&format!("/cargo-dist/releases/download/v{dist_version}/")), "run `dist generate`");
    assert!(read("README.md").contains(&format!("cargo install cargo-dist --locked --version {dist_version}")));
}

#[test]
fn every_crate_cargo_install_needs_can_be_published() {
    let members = ["Cargo.toml", "crates/checks/Cargo.toml", "crates/probe/Cargo.toml", "crates/explain/Cargo.toml"]
        .into_iter()
        .chain(["crates/guide/Cargo.toml", "crates/testkit/Cargo.toml", "xtask/Cargo.toml"]);
    for path in members {
        let package = toml_of(path)["package"].as_table().unwrap().clone();
        let unpublished = package.get("publish").and_then(toml::Value::as_bool) == Some(false);
        let name = package["name"].as_str().unwrap();
        assert_eq!(unpublished, matches!(name, "ghcr-doctor-testkit" | "xtask"), "{path}: publish");
        assert!(package["description"].as_str().is_some_and(|d| !d.is_empty()), "{path}: description");
        for key in ["version", "license", "repository", "edition"] {
            let inherited = package.get(key).and_then(|v| v.get("workspace")).and_then(toml::Value::as_bool);
            assert_eq!(inherited, Some(true), "{path}: {key}.workspace = true");
        }
    }
}
