//! The GitHub REST API: `GET /user`, `GET /orgs/{owner}` with the membership, and the packages
//! API for each image, all with `Authorization: token <tok>`.
//!
//! The base is `GHCR_DOCTOR_API_URL` when set (tests, unusual networks), else the host's own.

use ghcr_doctor_checks::{HttpAnswer, ImageRef, Probe, Request, Secret};

use crate::Settings;
use crate::http::{Auth, Http, Method, encode_component, join};

const ACCEPT: &str = "application/vnd.github+json";

pub(crate) struct Api<'a> {
    http: &'a Http,
    base: String,
}

impl<'a> Api<'a> {
    pub(crate) fn new(request: &Request, settings: &Settings, http: &'a Http) -> Api<'a> {
        let base = match settings.env.non_empty("GHCR_DOCTOR_API_URL") {
            Some(url) => url.to_owned(),
            None => super::host(request).api_base(),
        };
        Api { http, base }
    }

    /// The full URL of `path` (for showing what is in flight: no secret in it).
    pub(crate) fn url(&self, path: &str) -> String {
        join(&self.base, path)
    }

    pub(crate) fn get(&self, path: &str, token: &Secret) -> Probe<HttpAnswer> {
        match self.http.send(Method::Get, &join(&self.base, path), Auth::Token(token), Some(ACCEPT)) {
            Ok(answer) => Probe::Done(answer.redacted()),
            Err(e) => Probe::Failed(e),
        }
    }

    /// `GET /orgs/{owner}`: 200 an organization, 404 a user, 403 SSO or a restriction.
    pub(crate) fn org(&self, owner: &str, token: &Secret) -> Probe<HttpAnswer> {
        self.get(&org_path(owner), token)
    }

    /// `GET /user/memberships/orgs/{owner}`: whether an invitation is still pending.
    pub(crate) fn membership(&self, owner: &str, token: &Secret) -> Probe<HttpAnswer> {
        self.get(&membership_path(owner), token)
    }

    /// The package's metadata under `path`.
    pub(crate) fn package(&self, image: &ImageRef, path: PackagePath, token: &Secret) -> Probe<HttpAnswer> {
        self.get(&package_path(image, path), token)
    }
}

pub(crate) fn org_path(owner: &str) -> String {
    format!("orgs/{}", encode_component(owner))
}

pub(crate) fn membership_path(owner: &str) -> String {
    format!("user/memberships/orgs/{}", encode_component(owner))
}

/// Where a package's metadata is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PackagePath {
    /// `/orgs/{o}/packages/container/{name}`
    Orgs = 0,
    /// `/users/{o}/packages/container/{name}`
    Users = 1,
}

impl PackagePath {
    /// Under `/orgs/` when the owner answered as an organization (200, or 403 for SSO and
    /// restrictions), else under `/users/`; nowhere when `/orgs/{o}` was not answered at all.
    pub(crate) fn for_org_answer(org: &Probe<HttpAnswer>) -> Option<PackagePath> {
        match org {
            Probe::Done(a) if a.status == 200 || a.status == 403 => Some(PackagePath::Orgs),
            Probe::Done(_) => Some(PackagePath::Users),
            _ => None,
        }
    }
}

/// Nested names are escaped (`repo/app` → `repo%2Fapp`).
pub(crate) fn package_path(image: &ImageRef, path: PackagePath) -> String {
    let kind = match path {
        PackagePath::Orgs => "orgs",
        PackagePath::Users => "users",
    };
    format!("{kind}/{}/packages/container/{}", encode_component(&image.owner), encode_component(&image.name))
}
