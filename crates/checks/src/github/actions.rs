//! GitHub Actions: what a job's environment says about itself ([`ActionsFacts`], gathered by the
//! probe from `GITHUB_*` variables, the event payload and the workflow file), and the pure
//! reading of it that evaluation needs: whether the run is a pull request from a fork, and which
//! `packages` permission the workflow gives the job's `GITHUB_TOKEN` (ghcr-facts §6.1).
//!
//! The workflow file is read with a small indentation-based scanner, not a YAML parser: it
//! understands block and flow mappings and the `read-all`/`write-all` shorthands, which is what
//! `permissions:` is written with. Anything it cannot read is "unknown", never a guess.

use crate::{Probe, StoredCredential};

/// The Actions environment of the job, as the probe found it. Present when the run is in CI
/// mode or `GITHUB_ACTIONS=true`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ActionsFacts {
    /// `GITHUB_ACTIONS=true`: a GitHub Actions runner (not just `--ci` or `CI`).
    pub github_actions: bool,
    /// `GITHUB_EVENT_NAME`: `push`, `pull_request`, `pull_request_target`, ...
    pub event_name: Option<String>,
    /// `pull_request.head.repo.fork` of the event payload (`GITHUB_EVENT_PATH`); `None` when the
    /// payload has no pull request or could not be read.
    pub head_repo_fork: Option<bool>,
    /// `pull_request.head.repo.full_name` of the event payload.
    pub head_repository: Option<String>,
    /// `GITHUB_REPOSITORY`: `owner/repo` the workflow runs in.
    pub repository: Option<String>,
    /// `GITHUB_REPOSITORY_OWNER`, as GitHub spells it (may have capitals).
    pub repository_owner: Option<String>,
    /// `GITHUB_SERVER_URL`: `https://github.com` or an Enterprise Server's URL.
    pub server_url: Option<String>,
    /// `GITHUB_ACTOR`.
    pub actor: Option<String>,
    /// `GITHUB_JOB`: the job's id (its key under `jobs:`).
    pub job: Option<String>,
    /// The workflow file relative to the repository (from `GITHUB_WORKFLOW_REF`).
    pub workflow_path: Option<String>,
    /// The workflow file's text in the job's checkout (`GITHUB_WORKSPACE`); `Skipped` when there
    /// is no checkout or no workflow reference.
    pub workflow: Probe<String>,
    /// The job's token, used for the registry requests because docker holds no login for the
    /// registry host yet (the doctor ran before `docker/login-action`). `None` when docker's
    /// own credentials were used, or there is no token.
    pub job_credential: Option<StoredCredential>,
    /// The variable `job_credential` comes from (`GITHUB_TOKEN`, `GH_TOKEN`).
    pub job_token_var: Option<String>,
}

/// A level of the `packages` permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PermissionLevel {
    None,
    Read,
    Write,
}

impl PermissionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionLevel::None => "none",
            PermissionLevel::Read => "read",
            PermissionLevel::Write => "write",
        }
    }
}

/// What the workflow file says about the job's `packages` permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclaredPermission {
    /// A `permissions:` block sets it (unlisted permissions are `none`). `job_level`: the job's
    /// own block, else the workflow's top-level one.
    Declared { level: PermissionLevel, job_level: bool },
    /// Neither the job nor the workflow has `permissions:`: the repository's default applies
    /// (read-only for organizations and repositories created since February 2023).
    Default,
}

impl ActionsFacts {
    /// A `pull_request` run whose head is in a fork: its `GITHUB_TOKEN` is read-only.
    pub fn is_fork_pull_request(&self) -> bool {
        if self.event_name.as_deref() != Some("pull_request") {
            return false;
        }
        match (self.head_repo_fork, &self.head_repository, &self.repository) {
            (Some(fork), _, _) => fork,
            (None, Some(head), Some(base)) => !head.eq_ignore_ascii_case(base),
            _ => false,
        }
    }

    /// The `packages` permission the workflow declares for this job; `None` when the workflow
    /// file or the job is not known.
    pub fn declared_packages(&self) -> Option<DeclaredPermission> {
        declared_packages_permission(self.workflow.done()?, self.job.as_deref()?)
    }

    /// `github.com` for `https://github.com`, else the server's host (Enterprise Server).
    pub fn server_host(&self) -> Option<String> {
        let url = self.server_url.as_deref()?.trim();
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split('/').next()?.to_ascii_lowercase();
        (!host.is_empty()).then_some(host)
    }
}

/// One meaningful line of a YAML file: its indentation and its text without the comment.
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

fn lines(yaml: &str) -> Vec<Line<'_>> {
    yaml.lines()
        .filter_map(|raw| {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let mut text = raw.trim();
            if text.is_empty() || text.starts_with('#') || text == "---" {
                return None;
            }
            if let Some(i) = text.find(" #") {
                text = text[..i].trim_end();
            }
            Some(Line { indent, text })
        })
        .collect()
}

/// `key: value` → (`key`, `value`), unquoting the key. `None` for a line that is not a mapping entry.
fn entry(text: &str) -> Option<(&str, &str)> {
    let (key, value) = if let Some(rest) = text.strip_suffix(':') {
        (rest, "")
    } else {
        let i = text.find(": ")?;
        (&text[..i], text[i + 2..].trim())
    };
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.starts_with("- ")).then_some((key, value))
}

/// The children of the mapping entry at `at`: the following lines indented deeper.
fn children<'a, 'b>(all: &'b [Line<'a>], at: usize) -> &'b [Line<'a>] {
    let indent = all[at].indent;
    let end = all[at + 1..].iter().position(|l| l.indent <= indent).map_or(all.len(), |p| at + 1 + p);
    &all[at + 1..end]
}

/// The index of the direct child `key` among `block` (lines of one mapping).
fn find_key(block: &[Line<'_>], key: &str) -> Option<usize> {
    let indent = block.first()?.indent;
    block.iter().position(|l| l.indent == indent && entry(l.text).is_some_and(|(k, _)| k == key))
}

fn level(value: &str) -> Option<PermissionLevel> {
    match value.trim().trim_matches(|c| c == '"' || c == '\'') {
        "none" => Some(PermissionLevel::None),
        "read" => Some(PermissionLevel::Read),
        "write" => Some(PermissionLevel::Write),
        _ => None,
    }
}

/// The `packages` level a `permissions:` value gives; `None` when it cannot be read.
fn packages_level(value: &str, block: &[Line<'_>]) -> Option<PermissionLevel> {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    match value {
        "read-all" => return Some(PermissionLevel::Read),
        "write-all" => return Some(PermissionLevel::Write),
        "" => {}
        flow if flow.starts_with('{') && flow.ends_with('}') => {
            let inner = &flow[1..flow.len() - 1];
            for pair in inner.split(',').filter(|p| !p.trim().is_empty()) {
                let (k, v) = pair.split_once(':')?;
                if k.trim().trim_matches(|c| c == '"' || c == '\'') == "packages" {
                    return level(v);
                }
            }
            return Some(PermissionLevel::None);
        }
        // An expression or something else this scanner does not understand.
        _ => return None,
    }
    match find_key(block, "packages") {
        Some(i) => level(entry(block[i].text)?.1),
        None if block.is_empty() => None,
        None => Some(PermissionLevel::None),
    }
}

/// The `packages` permission `workflow` gives to the job `job`: the job's `permissions:`, else
/// the workflow's, else the repository default. `None` when the job is not in the file or the
/// value cannot be read.
pub fn declared_packages_permission(workflow: &str, job: &str) -> Option<DeclaredPermission> {
    let all = lines(workflow);
    let top: Vec<usize> = (0..all.len()).filter(|&i| all[i].indent == 0).collect();
    let top_key = |key: &str| top.iter().copied().find(|&i| entry(all[i].text).is_some_and(|(k, _)| k == key));
    let jobs = top_key("jobs")?;
    let job_block = children(&all, jobs);
    let job_at = find_key(job_block, job)?;
    let job_offset = jobs + 1 + job_at;
    let job_children = children(&all, job_offset);
    if let Some(p) = find_key(job_children, "permissions") {
        let at = job_offset + 1 + p;
        let value = entry(all[at].text)?.1;
        let level = packages_level(value, children(&all, at))?;
        return Some(DeclaredPermission::Declared { level, job_level: true });
    }
    if let Some(at) = top_key("permissions") {
        let value = entry(all[at].text)?.1;
        let level = packages_level(value, children(&all, at))?;
        return Some(DeclaredPermission::Declared { level, job_level: false });
    }
    Some(DeclaredPermission::Default)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKFLOW: &str = "\
name: build # the name
on:
  push:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo 'permissions: write-all'
  push:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write   # needed to push
    steps:
      - uses: actions/checkout@v4
  'flow':
    permissions: { contents: read, packages: read }
  all:
    permissions: write-all
  empty:
    permissions: {}
";

    fn declared(job: &str) -> Option<DeclaredPermission> {
        declared_packages_permission(WORKFLOW, job)
    }

    #[test]
    fn reads_job_then_workflow_permissions() {
        use DeclaredPermission::*;
        use PermissionLevel as L;
        assert_eq!(declared("push"), Some(Declared { level: L::Write, job_level: true }));
        assert_eq!(declared("test"), Some(Declared { level: L::None, job_level: false }));
        assert_eq!(declared("flow"), Some(Declared { level: L::Read, job_level: true }));
        assert_eq!(declared("all"), Some(Declared { level: L::Write, job_level: true }));
        assert_eq!(declared("empty"), Some(Declared { level: L::None, job_level: true }));
        assert_eq!(declared("missing"), None);
        let no_permissions = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n";
        assert_eq!(declared_packages_permission(no_permissions, "build"), Some(Default));
        let expression = "on: push\njobs:\n  build:\n    permissions: ${{ fromJSON(x) }}\n";
        assert_eq!(declared_packages_permission(expression, "build"), None);
    }

    #[test]
    fn fork_pull_requests_and_server_hosts() {
        let mut a = ActionsFacts { event_name: Some("pull_request".into()), ..ActionsFacts::default() };
        assert!(!a.is_fork_pull_request());
        a.head_repo_fork = Some(true);
        assert!(a.is_fork_pull_request());
        a.event_name = Some("pull_request_target".into());
        assert!(!a.is_fork_pull_request());
        a = ActionsFacts {
            event_name: Some("pull_request".into()),
            repository: Some("acme/app-repo".into()),
            head_repository: Some("mallory/app-repo".into()),
            ..ActionsFacts::default()
        };
        assert!(a.is_fork_pull_request());
        a.server_url = Some("https://github.com".into());
        assert_eq!(a.server_host().as_deref(), Some("github.com"));
        a.server_url = Some("https://GitHub.Example.com/".into());
        assert_eq!(a.server_host().as_deref(), Some("github.example.com"));
    }
}
