//! The JSON Schemas of ghcr-doctor's machine-readable outputs (`check --json`, `explain --json`,
//! `list --format json`), generated from the output types in `ghcr_doctor::json` into
//! `docs/schema/`, pretty-printed with a trailing newline.

use std::path::PathBuf;

use ghcr_doctor_guide::GeneratedFile;

/// `schema/*.schema.json`, relative to `docs/`.
pub fn files() -> Result<Vec<GeneratedFile>, String> {
    ghcr_doctor::json::schemas()
        .into_iter()
        .map(|(name, schema)| {
            let text = serde_json::to_string_pretty(&schema).map_err(|e| format!("{name}: {e}"))?;
            Ok(GeneratedFile { path: PathBuf::from("schema").join(name), contents: format!("{text}\n") })
        })
        .collect()
}
