//! The guide's input for a team: host, images and access (already parsed and validated by the
//! CLI's config module, the one reader of `ghcr-doctor.toml`) turned into a [`GuideInput`], for
//! a GitHub team or a GitLab one.

use ghcr_doctor_checks::{Access, Family, FixCtx, Forge, ImageRef, Lang};

use crate::GuideInput;

impl GuideInput {
    /// The generator's input for a team on `forge`: values from its config, both languages, and
    /// `command` named in the "do not edit" header. `config_file` is how the pages refer to the
    /// file. The forge's family picks the pages' checks, causes and words. On GitLab the user
    /// name in the commands is `"$USER"`: GitLab does not evaluate the user name that comes with
    /// a personal access token (gitlab-facts §3), so the pasted command works as it is.
    pub fn for_team(
        forge: &Forge,
        images: Vec<ImageRef>,
        access: Access,
        config_file: &str,
        command: &str,
    ) -> GuideInput {
        let mut ctx = FixCtx::placeholders();
        ctx.family = forge.family();
        ctx.host = forge.host_name().to_owned();
        ctx.registry = forge.registry_host();
        if ctx.family == Family::Gitlab {
            ctx.login = GITLAB_LOGIN.to_owned();
        }
        GuideInput::with_images(ctx, images, access, config_file, command)
    }

    fn with_images(
        mut ctx: FixCtx,
        images: Vec<ImageRef>,
        access: Access,
        config_file: &str,
        command: &str,
    ) -> GuideInput {
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

/// The user name GitLab's docs log docker in with (see [`GuideInput::for_team`]).
const GITLAB_LOGIN: &str = "\"$USER\"";

#[cfg(test)]
mod tests {
    use super::*;
    use ghcr_doctor_checks::{GithubHost, GitlabHost};

    #[test]
    fn a_team_config_fills_the_context() {
        let host = GithubHost::parse("octocorp.ghe.com").unwrap();
        let images = vec!["containers.octocorp.ghe.com/infra/api:1".parse().unwrap()];
        let input =
            GuideInput::for_team(&Forge::Github(host), images, Access::Push, "ghcr-doctor.toml", "cargo xtask docs");
        assert_eq!(input.ctx.host, "octocorp.ghe.com");
        assert_eq!(input.ctx.registry, "containers.octocorp.ghe.com");
        assert_eq!((input.ctx.owner.as_str(), input.ctx.package.as_str()), ("infra", "api"));
        assert_eq!(input.ctx.access, Access::Push);
        assert_eq!(input.ctx.login, "\"$(gh api --hostname octocorp.ghe.com user --jq .login)\"");
        let com = GithubHost::parse("github.com").unwrap();
        let input =
            GuideInput::for_team(&Forge::Github(com), Vec::new(), Access::Pull, "ghcr-doctor.toml", "cargo xtask docs");
        assert_eq!(input.ctx.login, "\"$(gh api user --jq .login)\"");
        assert_eq!(input.ctx.image, "ghcr.io/OWNER/IMAGE:TAG");
    }

    #[test]
    fn a_gitlab_team_config_fills_the_context() {
        let host = GitlabHost::parse("gitlab.example.com", "registry.example.com").unwrap();
        let images = vec!["registry.example.com/acme/app:1".parse().unwrap()];
        let input =
            GuideInput::for_team(&Forge::Gitlab(host), images, Access::Pull, "ghcr-doctor.toml", "cargo xtask docs");
        assert_eq!(input.ctx.family, Family::Gitlab);
        assert_eq!(
            (input.ctx.host.as_str(), input.ctx.registry.as_str()),
            ("gitlab.example.com", "registry.example.com")
        );
        assert_eq!((input.ctx.owner.as_str(), input.ctx.package.as_str()), ("acme", "app"));
        assert_eq!(input.ctx.login, "\"$USER\"");
        assert_eq!(
            input.ctx.token_page(),
            "https://gitlab.example.com/-/user_settings/personal_access_tokens?scopes=read_registry"
        );
    }
}
