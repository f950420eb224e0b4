//! The Homebrew formula links the man page and the completions (issue 10). dist's formula keeps
//! every non-binary file in pkgshare (cargo-dist issue #2429), so the release's own publish job
//! (.github/workflows/publish-homebrew.yml) runs .github/homebrew/patch-formula.py on it. These
//! tests run that script on the formula dist 0.34.0 generated for this project
//! (tests/homebrew/ghcr-doctor.rb: `dist build --artifacts=global`, which leaves out the `sha256`
//! lines when no archive was built), check the result with `ruby -c`, and run its `install` under a
//! stand-in of Homebrew's DSL (tests/homebrew/formula_dsl.rb) over an archive laid out as dist
//! lays it out, to see where each file lands.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `tool` runs; in CI its absence fails the test (`.ci/run` installs ruby).
fn have(tool: &str, test: &str) -> bool {
    if Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{test}: {tool} is required in CI (apt-get install ruby)");
    eprintln!("note: {test} needs {tool}; skipped outside CI");
    false
}

fn patch(formula: &Path) -> Output {
    Command::new("python3").arg(root().join(".github/homebrew/patch-formula.py")).arg(formula).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of dist's formula in a fresh directory.
fn dist_formula(dir: &Path) -> PathBuf {
    let formula = dir.join("ghcr-doctor.rb");
    fs::copy(root().join("tests/homebrew/ghcr-doctor.rb"), &formula).unwrap();
    formula
}

/// An unpacked release archive as dist builds it: the binary, the docs Homebrew installs itself,
/// and each `include` entry of dist-workspace.toml at the root under its own name.
fn unpacked_archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    fs::create_dir_all(&archive).unwrap();
    for binary in ["ghcr-doctor", "docker-credential-ghcr-doctor"] {
        fs::write(archive.join(binary), "#!/bin/sh\n").unwrap();
    }
    for doc in ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        fs::copy(root().join(doc), archive.join(doc)).unwrap();
    }
    fs::copy(root().join("docs/man/ghcr-doctor.1"), archive.join("ghcr-doctor.1")).unwrap();
    copy_dir(&root().join("docs/completions"), &archive.join("completions"));
    archive
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() { copy_dir(&path, &dest) } else { fs::copy(&path, &dest).map(drop).unwrap() }
    }
}

/// Runs the formula's `install` and returns the files it left under the prefix.
fn install(formula: &Path, dir: &Path) -> Vec<String> {
    let prefix = dir.join("prefix");
    let out = Command::new("ruby")
        .arg(root().join("tests/homebrew/formula_dsl.rb"))
        .args([formula, &unpacked_archive(dir), &prefix])
        .output()
        .unwrap();
    assert!(out.status.success(), "formula_dsl.rb failed:\n{}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn the_patched_formula_installs_the_man_page_and_completions_where_homebrew_looks() {
    if !have("ruby", "the_patched_formula_installs_the_man_page_and_completions_where_homebrew_looks") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let formula = dist_formula(dir.path());
    let out = patch(&formula);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let check = Command::new("ruby").arg("-c").arg(&formula).output().unwrap();
    assert!(check.status.success(), "ruby -c: {}", text(&check.stderr));

    let files = install(&formula, dir.path());
    for expected in [
        "bin/ghcr-doctor",
        "bin/docker-credential-ghcr-doctor",
        "share/man/man1/ghcr-doctor.1",
        "etc/bash_completion.d/ghcr-doctor",
        "share/zsh/site-functions/_ghcr-doctor",
        "share/fish/vendor_completions.d/ghcr-doctor.fish",
        // What Homebrew has no place for stays in pkgshare.
        "share/ghcr-doctor/completions/ghcr-doctor.ps1",
        "share/ghcr-doctor/completions/ghcr-doctor.elv",
        "share/ghcr-doctor/completions/ja/ghcr-doctor.zsh",
    ] {
        assert!(files.iter().any(|f| f == expected), "{expected} not installed; installed: {files:#?}");
    }
    // Each linked file is moved, not also left in pkgshare.
    for moved in ["ghcr-doctor.1", "completions/ghcr-doctor.bash", "completions/ghcr-doctor.zsh"] {
        let in_pkgshare = format!("share/ghcr-doctor/{moved}");
        assert!(!files.contains(&in_pkgshare), "{in_pkgshare} is still there: {files:#?}");
    }
}

#[test]
fn dist_s_formula_alone_leaves_the_man_page_in_pkgshare() {
    // What the patch is for, shown through the same stand-in: without it, man never finds the page.
    if !have("ruby", "dist_s_formula_alone_leaves_the_man_page_in_pkgshare") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = install(&dist_formula(dir.path()), dir.path());
    assert!(files.iter().any(|f| f == "share/ghcr-doctor/ghcr-doctor.1"), "{files:#?}");
    assert!(!files.iter().any(|f| f.starts_with("share/man/") || f.starts_with("etc/")), "{files:#?}");
}

#[test]
fn the_patch_refuses_a_formula_it_already_patched_or_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let formula = dist_formula(dir.path());
    assert!(patch(&formula).status.success());
    let once = fs::read(&formula).unwrap();
    let again = patch(&formula);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already patched"), "{}", text(&again.stderr));
    assert_eq!(fs::read(&formula).unwrap(), once, "a refused patch leaves the file as it was");

    // A template that no longer has dist's pkgshare line: refused, file untouched.
    let unknown = dir.path().join("unknown.rb");
    let original = fs::read_to_string(root().join("tests/homebrew/ghcr-doctor.rb")).unwrap();
    let changed = original.replace("pkgshare.install(*leftover_contents)", "share.install(*leftover_contents)");
    assert_ne!(changed, original);
    fs::write(&unknown, &changed).unwrap();
    let out = patch(&unknown);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown formula shape"), "{}", text(&out.stderr));
    assert_eq!(fs::read_to_string(&unknown).unwrap(), changed);
}

#[test]
fn the_release_runs_the_patching_publish_job_not_dist_s_own() {
    let read = |p: &str| fs::read_to_string(root().join(p)).unwrap();
    let release = read(".github/workflows/release.yml");
    assert!(release.contains("uses: ./.github/workflows/publish-homebrew.yml"), "regenerate with `dist generate`");
    // dist 0.34.0 writes `uses: $/…`, which GitHub rejects; README's "Releasing" has the fix.
    assert!(!release.contains("uses: $/"), "apply the `sed` line after `dist generate` (README, Releasing)");
    assert!(!release.contains("publish-homebrew-formula:"), "dist's own job would publish the unpatched formula");
    let job = read(".github/workflows/publish-homebrew.yml");
    assert!(job.contains("python3 ../source/.github/homebrew/patch-formula.py"), "{job}");
    assert!(job.contains("secrets.HOMEBREW_TAP_TOKEN") && job.contains("ghcr-doctor/homebrew-tap"));
}
