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

    pub(crate) fn get(&self, path: &str, token: &Secret) -> Probe<HttpAnswer> {
        match self.http.send(Method::Get, &join(&self.base, path), Auth::Token(token), Some(ACCEPT)) {
            Ok(answer) => Probe::Done(answer.redacted()),
            Err(e) => Probe::Failed(e),
        }
    }

    /// `GET /orgs/{owner}`, and for an organization (200) the caller's membership.
    /// `GET /orgs/{owner}`: 200 an organization, 404 a user, 403 SSO or a restriction.
    pub(crate) fn org(&self, owner: &str, token: &Secret) -> Probe<HttpAnswer> {
        self.get(&format!("orgs/{}", encode_component(owner)), token)
    }

    /// `GET /user/memberships/orgs/{owner}`: whether an invitation is still pending.
    pub(crate) fn membership(&self, owner: &str, token: &Secret) -> Probe<HttpAnswer> {
        self.get(&format!("user/memberships/orgs/{}", encode_component(owner)), token)
    }

    /// The package's metadata: under `/orgs/` when the owner answered as an organization (200, or
    /// 403 for SSO and restrictions), else under `/users/`. Nested names are escaped
    /// (`repo/app` → `repo%2Fapp`).
    pub(crate) fn package(&self, image: &ImageRef, org: &Probe<HttpAnswer>, token: &Secret) -> Probe<HttpAnswer> {
        let kind = match org {
            Probe::Done(a) if a.status == 200 || a.status == 403 => "orgs",
            _ => "users",
        };
        let path =
            format!("{kind}/{}/packages/container/{}", encode_component(&image.owner), encode_component(&image.name));
        self.get(&path, token)
    }
}
