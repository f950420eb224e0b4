//! ghcr-doctor's knowledge, free of I/O: check and cause ids, their texts in Japanese and
//! English, the facts the probe gathers, and the pure evaluation that turns facts into a report.

mod facts;
mod host;
mod ids;
mod image;
mod lang;
mod msg;
mod request;

pub use facts::*;
pub use host::{ALL_TOKEN_ENV_VARS, GithubHost, HostKind};
pub use ids::{CauseId, CheckId};
pub use image::{ImageRef, ImageRefError, Reference};
pub use lang::{Lang, Text};
pub use msg::{Msg, fill};
pub use request::{Access, Os, Request};
