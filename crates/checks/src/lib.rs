//! ghcr-doctor's knowledge, free of I/O: check and cause ids, their texts in Japanese and
//! English, the facts the probe gathers, and the pure evaluation that turns facts into a report.

mod actions;
mod causes;
mod eval;
mod facts;
mod host;
mod ids;
mod image;
mod lang;
mod msg;
mod outcome;
mod registry;
mod request;

pub use actions::{ActionsFacts, DeclaredPermission, PermissionLevel, declared_packages_permission};
pub use causes::{CAUSES, CauseInfo, FixCtx, cause_info, fix_commands};
pub use eval::{
    BROAD_SCOPES, Ctx, Denial, GH_MINIMUM, GH_RECOMMENDED, classify_denial, evaluate, has_scope, parse_gh_version,
    parse_scopes, sso_url,
};
pub use facts::*;
pub use host::{ALL_TOKEN_ENV_VARS, GithubHost, HostKind};
pub use ids::{CauseId, CheckId};
pub use image::{ImageRef, ImageRefError, Reference};
pub use lang::{Lang, Text};
pub use msg::{Arg, Msg, fill};
pub use outcome::{Finding, Outcome, Report, Status};
pub use registry::{CHECKS, Check, check};
pub use request::{Access, Os, Request};
