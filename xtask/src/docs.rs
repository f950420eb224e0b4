//! `cargo xtask docs`: this workspace's own use of the guide generator. Reads `ghcr-doctor.toml`
//! at the repository root and generates the Japanese and English guides into `docs/`; reads the
//! example GitLab team's `docs/gitlab/ghcr-doctor.toml` and generates its guides beside it (plus
//! the man page and completions of [`crate::cli_docs`] and the JSON Schemas of [`crate::schemas`]), and keeps them
//! fresh: `docs_are_fresh` (a plain `#[test]`) regenerates everything and fails when anything
//! changed, rewriting the files outside CI and only reporting them in CI.

use std::path::{Path, PathBuf};

use ghcr_doctor_checks::Lang;
use ghcr_doctor_guide::write::{Mode, ensure_files, stale_message as guide_stale_message};
use ghcr_doctor_guide::{GeneratedFile, GuideInput, XTASK_COMMAND};

/// The config the workspace's docs are generated from, at the repository root.
const CONFIG_FILE: &str = "ghcr-doctor.toml";
/// The example GitLab team's config, under `docs/`; its guides go to the same directory.
const GITLAB_DIR: &str = "gitlab";

/// What a run did.
pub struct Outcome {
    /// How many files were generated.
    pub written: usize,
    /// The files that were missing or different (rewritten in [`Mode::Write`]).
    pub stale: Vec<PathBuf>,
}

/// The repository root: the parent of this crate's manifest directory.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository root").to_path_buf()
}

/// Where the generated files go.
pub fn docs_dir() -> PathBuf {
    project_root().join("docs")
}

/// The generator's input from the config at `path` (GitHub's or GitLab's pages, as its forge
/// says), or placeholders when there is none.
pub fn input(path: &Path) -> Result<GuideInput, String> {
    if !path.exists() {
        return Ok(GuideInput::placeholders());
    }
    let team = ghcr_doctor::config::load(path).map_err(|e| e.render(Lang::En))?;
    Ok(ghcr_doctor::docs::guide_input(team, CONFIG_FILE, XTASK_COMMAND))
}

/// Every generated file, relative to `docs/`: the guides (the GitLab team's under `gitlab/`),
/// then the man page, completions and schemas.
pub fn generate() -> Result<Vec<GeneratedFile>, String> {
    let mut files = ghcr_doctor_guide::generate(&input(&project_root().join(CONFIG_FILE))?);
    let gitlab = input(&docs_dir().join(GITLAB_DIR).join(CONFIG_FILE))?;
    files.extend(
        ghcr_doctor_guide::generate(&gitlab)
            .into_iter()
            .map(|f| GeneratedFile { path: Path::new(GITLAB_DIR).join(f.path), contents: f.contents }),
    );
    files.extend(crate::cli_docs::files()?);
    files.extend(crate::schemas::files()?);
    Ok(files)
}

/// Generates everything and writes (or, in [`Mode::Check`], only compares) it under `docs/`.
pub fn run(mode: Mode) -> Result<Outcome, String> {
    let files = generate()?;
    let stale = ensure_files(&docs_dir(), &files, mode).map_err(|e| e.to_string())?;
    Ok(Outcome { written: files.len(), stale })
}

/// What to tell about stale files.
pub fn stale_message(stale: &[PathBuf], rewritten: bool) -> String {
    guide_stale_message(stale, Path::new("docs"), XTASK_COMMAND, rewritten)
}

/// The generated docs match what is committed. Outside CI this rewrites stale files (so a
/// second run passes) and fails; in CI (`CI` set) it only fails, naming the command to run.
#[test]
fn docs_are_fresh() {
    let in_ci = ghcr_doctor_probe::Env::from_process().is_ci();
    let outcome = run(if in_ci { Mode::Check } else { Mode::Write }).unwrap();
    assert!(outcome.stale.is_empty(), "{}", stale_message(&outcome.stale, !in_ci));
}
