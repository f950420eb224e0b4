//! The generator inputs the guide tests share: the repository's own example config, an
//! Enterprise Server team that pushes, no config at all, and a self-managed GitLab team that
//! pushes (as docs/gitlab/ghcr-doctor.toml).

use ghcr_doctor_checks::{Access, Forge, GithubHost, GitlabHost};
use ghcr_doctor_guide::GuideInput;

pub fn team(host: &str, images: &[&str], access: Access, command: &str) -> GuideInput {
    let images = images.iter().map(|i| i.parse().unwrap()).collect();
    GuideInput::for_team(&Forge::Github(GithubHost::parse(host).unwrap()), images, access, "ghcr-doctor.toml", command)
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

/// The example GitLab team: a self-managed GitLab whose registry has its own host, pushing.
pub fn gitlab() -> GuideInput {
    let images = ["registry.example.com/platform/api:main", "registry.example.com/platform/tools/migrate:main"]
        .iter()
        .map(|i| i.parse().unwrap())
        .collect();
    let host = GitlabHost::parse("gitlab.example.com", "registry.example.com").unwrap();
    GuideInput::for_team(&Forge::Gitlab(host), images, Access::Push, "ghcr-doctor.toml", "cargo xtask docs")
}

/// Other shapes of input: Enterprise Server with push access, no config at all, and GitLab.
pub fn variants() -> Vec<GuideInput> {
    let ghes = team(
        "github.example.com",
        &["containers.github.example.com/platform/api:1.2", "containers.github.example.com/data/etl:2"],
        Access::Push,
        "ghcr-doctor docs --config ghcr-doctor.toml --out docs",
    );
    vec![example(), ghes, GuideInput::placeholders(), gitlab()]
}
