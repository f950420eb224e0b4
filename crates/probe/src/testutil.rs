//! The probe's tests run on crates/testkit's fixtures; this only adds the one thing the test kit
//! cannot know, the probe's own [`Env`] built from a fake PATH.

pub use ghcr_doctor_testkit::fixture::{Bin as FakeBin, HttpFixture};
pub use ghcr_doctor_testkit::http::{Request, Response as Reply};

use crate::Env;

/// The isolated environment of a fake PATH.
pub trait BinEnv {
    fn env(&self) -> Env;
}

impl BinEnv for FakeBin {
    fn env(&self) -> Env {
        Env::from_pairs(self.env_pairs())
    }
}
