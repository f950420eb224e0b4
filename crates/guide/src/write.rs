//! The crate's only I/O: writing generated files under an output directory, and checking that
//! committed ones are fresh (rust-analyzer's `ensure_file_contents`, over a set of files).

use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// What to do with a file whose contents differ from the generated ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite it (`cargo xtask docs`, and the freshness test outside CI).
    Write,
    /// Leave it alone and only report it (`--check`, and the freshness test in CI).
    Check,
}

/// Compares every file under `dir` with its generated contents (line endings normalised to
/// `\n`) and, in [`Mode::Write`], rewrites those that differ, creating directories as needed.
/// Returns the paths (relative to `dir`) that were missing or different, in `files` order.
pub fn ensure_files(dir: &Path, files: &[GeneratedFile], mode: Mode) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        let current = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text.replace("\r\n", "\n")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        };
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        stale.push(file.path.clone());
        if mode == Mode::Write {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.contents)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        }
    }
    Ok(stale)
}

/// What a stale check says: which files, and what to run. `rewritten` tells whether the files
/// have just been rewritten (outside CI) or were left alone (in CI, or with `--check`).
pub fn stale_message(stale: &[PathBuf], dir: &Path, command: &str, rewritten: bool) -> String {
    let list: Vec<String> = stale.iter().map(|p| format!("    {}", dir.join(p).display())).collect();
    if rewritten {
        format!(
            "{} generated file(s) were out of date and have been rewritten:\n{}\nReview and commit them; the next run passes.",
            stale.len(),
            list.join("\n")
        )
    } else {
        format!(
            "{} generated file(s) are out of date:\n{}\n\n    NOTE: run `{command}` locally and commit the updated files\n",
            stale.len(),
            list.join("\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_missing_and_different_files_and_reports_them() {
        let dir = std::env::temp_dir().join(format!("ghcr-doctor-guide-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = vec![
            GeneratedFile { path: "ja/a.md".into(), contents: "a\n".into() },
            GeneratedFile { path: "b.md".into(), contents: "b\n".into() },
        ];
        assert_eq!(ensure_files(&dir, &files, Mode::Check).unwrap().len(), 2);
        assert!(!dir.join("b.md").exists(), "check mode never writes");
        assert_eq!(ensure_files(&dir, &files, Mode::Write).unwrap().len(), 2);
        assert_eq!(ensure_files(&dir, &files, Mode::Check).unwrap(), Vec::<PathBuf>::new());
        std::fs::write(dir.join("b.md"), "b\r\n").unwrap();
        assert_eq!(ensure_files(&dir, &files, Mode::Check).unwrap(), Vec::<PathBuf>::new(), "CRLF is fresh");
        std::fs::write(dir.join("b.md"), "old\n").unwrap();
        assert_eq!(ensure_files(&dir, &files, Mode::Check).unwrap(), vec![PathBuf::from("b.md")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
