//! ghcr-doctor's knowledge, free of I/O: check and cause ids, their texts in Japanese and
//! English, the facts the probe gathers, and the pure evaluation that turns facts into a report.

mod causes;
mod check;
mod checks;
mod ctx;
mod facts;
mod family;
mod fix;
mod github;
mod gitlab;
mod ids;
mod image;
mod lang;
mod msg;
mod observation;
mod outcome;
mod parse;
mod pull_secret;
mod redact;
mod registry;
mod request;
mod runner;
mod secret;

pub use causes::{Audience, CAUSES, CauseInfo, GITLAB_CAUSES, cause_info, documented_causes, stand_in_args};
pub use check::{Check, Evaluate};
pub use checks::docker_credentials::misspelled_credential_key;
pub use checks::gh_installed::{GH_MINIMUM, GH_RECOMMENDED};
pub use checks::token_scopes::BROAD_SCOPES;
pub use ctx::Ctx;
pub use facts::*;
pub use family::{Family, Forge};
pub use fix::{FixCtx, FixStep, Password, command_lines};
pub use github::*;
pub use gitlab::*;
pub use ids::{CauseId, CheckId};
pub use image::{ImageRef, ImageRefError, Reference};
pub use lang::{Lang, Text};
pub use msg::{Arg, Msg, escape_controls, fill};
pub use observation::{HttpAnswer, Probe, ProbeError, ProbeErrorKind, ProcessOutput};
pub use outcome::{ExitStatus, Finding, Outcome, Report, Status};
pub use parse::{Denial, Unexpected, classify_denial, has_scope, parse_gh_version, parse_scopes, sso_url, unexpected};
pub use pull_secret::{
    DEFAULT_NAMESPACE, DEFAULT_SECRET_NAME, PullSecret, PullSecretEntry, PullSecretError, PullSecretForm,
};
pub use redact::redact;
pub use registry::{CHECKS, check, checks, checks_by_id, checks_for};
pub use request::{Access, Client, Os, Request};
pub use runner::evaluate;
pub use secret::{Secret, known_prefix};
