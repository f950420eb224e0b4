//! The team config, `ghcr-doctor.toml`: where it is found, what it may hold, and errors that
//! name the file, the line and the problem in the user's language.

use std::path::{Path, PathBuf};

use ghcr_doctor_checks::{Access, Client, GithubHost, GitlabHost, ImageRef, Lang, Msg, escape_controls, t};
use serde::Deserialize;

pub const FILE_NAME: &str = "ghcr-doctor.toml";

/// The largest team config read.
const CONFIG_CAP: u64 = 1024 * 1024;

/// The file as written. Unknown keys are an error (a typo must not be silently ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    forge: Option<String>,
    host: Option<String>,
    registry: Option<String>,
    #[serde(default)]
    images: Vec<String>,
    access: Option<String>,
    lang: Option<String>,
    client: Option<String>,
}

/// A validated team config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamConfig {
    pub path: Option<PathBuf>,
    pub host: Option<GithubHost>,
    /// `forge = "gitlab"`: the GitLab host and its registry (`host`, `registry`).
    pub gitlab: Option<GitlabHost>,
    pub images: Vec<ImageRef>,
    pub access: Option<Access>,
    pub lang: Option<Lang>,
    /// `client = "docker"|"podman"`; `--client` wins.
    pub client: Option<Client>,
}

/// A config problem, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub problem: Msg,
}

impl ConfigError {
    pub fn render(&self, lang: Lang) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.path.display()),
            None => self.path.display().to_string(),
        };
        Msg::new(t!("error in {place}: {problem}", "{place} にエラーがあります：{problem}"))
            .arg("place", place)
            .arg("problem", self.problem.render(lang))
            .render(lang)
    }
}

/// `ghcr-doctor.toml` in `dir` or the nearest parent that has one.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<TeamConfig, ConfigError> {
    let cannot_read = |error: String| ConfigError {
        path: path.to_owned(),
        line: None,
        problem: Msg::new(t!("cannot read the file: {error}", "ファイルを読めません：{error}")).arg("error", error),
    };
    // Only a regular file, and only so much of it: a FIFO or a device must not hang the run.
    let bytes = ghcr_doctor_probe::read_regular(path, CONFIG_CAP, std::time::Duration::from_secs(10))
        .map_err(|e| cannot_read(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| cannot_read("it is not UTF-8 text".into()))?;
    parse(path, &text)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The 1-based line where `needle` (a string value) first appears, for pointing at bad values.
fn line_of_value(text: &str, needle: &str) -> Option<usize> {
    let quoted = [format!("\"{needle}\""), format!("'{needle}'")];
    quoted.iter().find_map(|q| text.find(q.as_str())).map(|o| line_of(text, o))
}

pub fn parse(path: &Path, text: &str) -> Result<TeamConfig, ConfigError> {
    let err = |line: Option<usize>, problem: Msg| ConfigError { path: path.to_owned(), line, problem };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        err(line, Msg::new(t!("{message}", "TOML として読めません：{message}")).arg("message", e.message().trim()))
    })?;
    let gitlab = match raw.forge.as_deref() {
        None | Some("github") => None,
        Some("gitlab") => Some(gitlab_host(raw.host.as_deref(), raw.registry.as_deref()).map_err(|problem| {
            err(raw.registry.as_deref().or(raw.host.as_deref()).and_then(|v| line_of_value(text, v)), problem)
        })?),
        Some(other) => {
            return Err(err(
                line_of_value(text, other),
                Msg::new(t!(
                    "`forge` must be \"github\" or \"gitlab\", not \"{value}\"",
                    "`forge` は \"github\" か \"gitlab\" のどちらかです（\"{value}\" は使えません）"
                ))
                .arg("value", other),
            ));
        }
    };
    if gitlab.is_none() && raw.registry.is_some() {
        return Err(err(
            None,
            Msg::new(t!(
                "`registry` is for `forge = \"gitlab\"`: GitHub's registry follows from `host`",
                "`registry` は `forge = \"gitlab\"` のときに使います。GitHub のレジストリは `host` から決まります"
            )),
        ));
    }
    let host = match raw.host.as_ref().filter(|_| gitlab.is_none()) {
        Some(h) => Some(GithubHost::parse(h).ok_or_else(|| {
            err(
                line_of_value(text, h),
                Msg::new(t!(
                    "`host = \"{value}\"` is not a host name",
                    "`host = \"{value}\"` はホスト名ではありません"
                ))
                .arg("value", h),
            )
        })?),
        None => None,
    };
    let mut images = Vec::new();
    for raw_image in &raw.images {
        let image: ImageRef = raw_image.parse().map_err(|e: ghcr_doctor_checks::ImageRefError| {
            err(
                line_of_value(text, raw_image),
                Msg::new(t!("image `{image}`: {why}", "イメージ `{image}`：{why}"))
                    .arg("image", escape_controls(raw_image))
                    .arg_msg("why", e.describe()),
            )
        })?;
        images.push(image);
    }
    let access = match &raw.access {
        Some(a) => Some(Access::parse(a).ok_or_else(|| {
            err(
                line_of_value(text, a),
                Msg::new(t!(
                    "`access` must be \"pull\" or \"push\", not \"{value}\"",
                    "`access` は \"pull\" か \"push\" のどちらかです（\"{value}\" は使えません）"
                ))
                .arg("value", a),
            )
        })?),
        None => None,
    };
    let lang = match &raw.lang {
        Some(l) => Some(Lang::from_code(l).ok_or_else(|| {
            err(
                line_of_value(text, l),
                Msg::new(t!(
                    "`lang` must be \"ja\" or \"en\", not \"{value}\"",
                    "`lang` は \"ja\" か \"en\" のどちらかです（\"{value}\" は使えません）"
                ))
                .arg("value", l),
            )
        })?),
        None => None,
    };
    let client = match &raw.client {
        Some(c) => Some(Client::parse(c).ok_or_else(|| {
            err(
                line_of_value(text, c),
                Msg::new(t!(
                    "`client` must be \"docker\" or \"podman\", not \"{value}\"",
                    "`client` は \"docker\" か \"podman\" のどちらかです（\"{value}\" は使えません）"
                ))
                .arg("value", c),
            )
        })?),
        None => None,
    };
    Ok(TeamConfig { path: Some(path.to_owned()), host, gitlab, images, access, lang, client })
}

/// A GitLab host and its registry, as `--forge gitlab --host H --registry R` or the config give
/// them: GitLab.com by default (registry `registry.gitlab.com`); a self-managed host needs its
/// registry named, since it may be another host or port (gitlab-facts §12).
pub fn gitlab_host(host: Option<&str>, registry: Option<&str>) -> Result<GitlabHost, Msg> {
    let host = host.unwrap_or("gitlab.com");
    let registry = match registry {
        Some(r) => r,
        None if ghcr_doctor_checks::GitlabHost::parse(host, "x").is_some_and(|h| h.is_gitlab_com()) => {
            ghcr_doctor_checks::GITLAB_COM_REGISTRY
        }
        None => {
            return Err(Msg::new(t!(
                "self-managed GitLab `{host}` needs its registry host too: `registry = \"registry.example.com\"` (or `--registry`), e.g. `{host}:5050`",
                "セルフマネージドの GitLab `{host}` には、レジストリのホストも指定が必要です：`registry = \"registry.example.com\"`（または `--registry`）。例：`{host}:5050`"
            ))
            .arg("host", host));
        }
    };
    GitlabHost::parse(host, registry).ok_or_else(|| {
        Msg::new(t!("`{host}` / `{registry}` is not a host name", "`{host}` / `{registry}` はホスト名ではありません"))
            .arg("host", host)
            .arg("registry", registry)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<TeamConfig, ConfigError> {
        parse(Path::new("ghcr-doctor.toml"), text)
    }

    #[test]
    fn reads_a_full_config() {
        let c = parse_str(
            "host = \"github.com\"\nimages = [\"ghcr.io/acme/app:main\"]\naccess = \"push\"\nlang = \"ja\"\n",
        )
        .unwrap();
        assert_eq!(c.host.unwrap().name, "github.com");
        assert_eq!(c.images[0].to_string(), "ghcr.io/acme/app:main");
        assert_eq!((c.access, c.lang), (Some(Access::Push), Some(Lang::Ja)));
        assert_eq!(parse_str("client = \"podman\"\n").unwrap().client, Some(Client::Podman));
        let e = parse_str("\nclient = \"nerdctl\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.render(Lang::En).contains("`client` must be \"docker\" or \"podman\""), "{}", e.render(Lang::En));
    }

    #[test]
    fn errors_name_the_line_and_the_problem_in_both_languages() {
        let e = parse_str("host = \"github.com\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.render(Lang::En).starts_with("error in ghcr-doctor.toml:2: "), "{}", e.render(Lang::En));
        assert!(e.render(Lang::En).contains("colour"));
        assert!(e.render(Lang::Ja).contains("エラーがあります"));

        let e = parse_str("images = [\n  \"ghcr.io/Acme/App:1\",\n]\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.render(Lang::En).contains("ghcr.io/acme/app:1"), "{}", e.render(Lang::En));
        assert!(e.render(Lang::Ja).contains("小文字"), "{}", e.render(Lang::Ja));

        let e = parse_str("access = \"pul\"\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse_str("images = [unclosed\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn discovers_the_file_in_a_parent_directory() {
        let dir = std::env::temp_dir().join(format!("ghcr-doctor-config-test-{}", std::process::id()));
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&nested), Some(dir.join(FILE_NAME)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
