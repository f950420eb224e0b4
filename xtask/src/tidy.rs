//! Tidy tests over the source tree: every Rust file opens with a `//!` doc comment saying what it
//! owns, and the checks crate stays free of I/O (evaluation is pure by construction, not by
//! convention).

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::docs::project_root;

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && name != "target" && name != "node_modules" && name != "corpus" {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn all_rust_files() -> Vec<PathBuf> {
        let root = project_root();
        let mut files = Vec::new();
        for dir in ["crates", "xtask", "tests", "benches"] {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 40, "found only {} files", files.len());
        files
    }

    #[test]
    fn every_rust_file_opens_with_a_doc_comment() {
        let missing: Vec<String> = all_rust_files()
            .into_iter()
            .filter(|p| !std::fs::read_to_string(p).unwrap().trim_start().starts_with("//!"))
            .map(|p| p.display().to_string())
            .collect();
        assert!(missing.is_empty(), "files without a `//!` doc comment:\n{}", missing.join("\n"));
    }

    #[test]
    fn the_checks_crate_does_no_io() {
        let mut files = Vec::new();
        rust_files(&project_root().join("crates/checks/src"), &mut files);
        let forbidden = ["std::process", "std::fs", "std::net", "std::io", "Instant::now", "SystemTime", "std::env"];
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for word in forbidden {
                assert!(!text.contains(word), "{} uses `{word}`: evaluation must stay pure", file.display());
            }
        }
    }
}
