//! The generator inputs the guide tests share: the repository's own example config, an
//! Enterprise Server team that pushes, and no config at all.

use ghcr_doctor_checks::{Access, GithubHost};
use ghcr_doctor_guide::GuideInput;

pub fn team(host: &str, images: &[&str], access: Access, command: &str) -> GuideInput {
    let images = images.iter().map(|i| i.parse().unwrap()).collect();
    GuideInput::for_team(&GithubHost::parse(host).unwrap(), images, access, "ghcr-doctor.toml", command)
}

/// The repository's own example config (ghcr-doctor.toml at the root).
pub fn example() -> GuideInput {
    team(
        "github.com",
        &["ghcr.io/example-org/web:main", "ghcr.io/example-org/worker:main"],
        Access::Pull,
        "cargo xtask docs",
    )
}

/// Other shapes of input: Enterprise Server with push access, and no config at all.
pub fn variants() -> Vec<GuideInput> {
    let ghes = team(
        "github.example.com",
        &["containers.github.example.com/platform/api:1.2", "containers.github.example.com/data/etl:2"],
        Access::Push,
        "ghcr-doctor docs --config ghcr-doctor.toml --out docs",
    );
    vec![example(), ghes, GuideInput::placeholders()]
}
