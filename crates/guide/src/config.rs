//! The guide's input for a team: host, images and access (already parsed and validated by the
//! CLI's config module, the one reader of `ghcr-doctor.toml`) turned into a [`GuideInput`].

use ghcr_doctor_checks::{Access, FixCtx, GithubHost, ImageRef, Lang};

use crate::GuideInput;

impl GuideInput {
    /// The generator's input for a team: values from its config, both languages, and `command`
    /// named in the "do not edit" header. `config_file` is how the pages refer to the file.
    pub fn for_team(
        host: &GithubHost,
        images: Vec<ImageRef>,
        access: Access,
        config_file: &str,
        command: &str,
    ) -> GuideInput {
        let mut ctx = FixCtx::placeholders();
        ctx.host = host.name.clone();
        ctx.registry = host.registry_host();
        ctx.access = access;
        match images.first() {
            Some(first) => {
                ctx.image = first.to_string();
                ctx.owner = first.owner.clone();
                ctx.package = first.name.clone();
            }
            None => ctx.image = format!("{}/OWNER/IMAGE:TAG", ctx.registry),
        }
        GuideInput {
            ctx: crate::with_derived_values(&ctx),
            images,
            langs: Lang::ALL.to_vec(),
            config_file: Some(config_file.to_owned()),
            command: command.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_config_fills_the_context() {
        let host = GithubHost::parse("octocorp.ghe.com").unwrap();
        let images = vec!["containers.octocorp.ghe.com/infra/api:1".parse().unwrap()];
        let input = GuideInput::for_team(&host, images, Access::Push, "ghcr-doctor.toml", "cargo xtask docs");
        assert_eq!(input.ctx.host, "octocorp.ghe.com");
        assert_eq!(input.ctx.registry, "containers.octocorp.ghe.com");
        assert_eq!((input.ctx.owner.as_str(), input.ctx.package.as_str()), ("infra", "api"));
        assert_eq!(input.ctx.access, Access::Push);
        assert_eq!(input.ctx.login, "\"$(gh api --hostname octocorp.ghe.com user --jq .login)\"");
        let com = GithubHost::parse("github.com").unwrap();
        let input = GuideInput::for_team(&com, Vec::new(), Access::Pull, "ghcr-doctor.toml", "cargo xtask docs");
        assert_eq!(input.ctx.login, "\"$(gh api user --jq .login)\"");
        assert_eq!(input.ctx.image, "ghcr.io/OWNER/IMAGE:TAG");
    }
}
