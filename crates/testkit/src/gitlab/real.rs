//! [`RealGitlab`]: the real thing for GitLab — a private `dockerd` (Debian `docker.io` 20.10) and
//! Debian's CNCF distribution registry (2.8) configured the way GitLab's docs configure a
//! self-compiled registry (gitlab-facts §12: `realm: <gitlab>/jwt/auth`, `service:
//! container_registry`, `issuer`, `rootcertbundle`), behind the fake GitLab host
//! ([`GitlabApiServer`]: `/jwt/auth` and `/api/v4`), all over one [`SharedGitlabWorld`]. A real
//! `docker login/pull/push` against it goes through GitLab's `/jwt/auth` answers.
//!
//! Reuses [`crate::real_docker`]: [`Dockerd`], the registry process, `run`, the tiny image. Short
//! JWT lifetimes come from [`super::GitlabSettings::jwt_lifetime_override`] and
//! [`super::GitlabSettings::jwt_backdate`].
//!
//! Where the real registry is not GitLab's fork (it checks the JWT itself, so what it answers is
//! distribution 2.8's behaviour):
//! - The 401 `detail` access records have no `ProjectPath` (upstream `auth.Resource` has `Type`,
//!   `Class`, `Name`); the fork adds it. docker prints none of it.
//! - A tag or repository that does not exist: upstream answers `MANIFEST_UNKNOWN` for a missing
//!   tag of an unknown repository too; the fork answers `NAME_UNKNOWN` for unknown repositories
//!   (gitlab-facts §1). The hermetic [`super::GitlabRegistryServer`] follows the fork.
//! - The `meta` of `access` items (`project_path`, ...) is ignored upstream; the fork uses it for
//!   its metadata database.
//! - Both accept a JWT until 60 s after `exp`, so a token "expired" by a few seconds still works:
//!   the mid-push expiry case needs [`super::GitlabSettings::jwt_backdate`] beyond the leeway.
//! - The challenge, the `insufficient_scope`/`invalid_token` errors, the 401 body and the `*`
//!   action are the same code in both.
//!
//! Tokens only ever go to docker's stdin (`docker login --password-stdin`), never into argv.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::api::GitlabApiServer;
use super::world::{AccessLevel, AccessToken, GitlabModes, GitlabSettings, SERVICE, SharedGitlabWorld};
use crate::real_docker::{self, CmdOutput, DOCKER_TIMEOUT, Dockerd, RegistryProcess, check, run};

/// The user [`RealGitlab::push_images`] pushes as.
pub const SEEDER_USER: &str = "ghcr-doctor-gitlab-seeder";
/// Its transient `api` PAT (exists in the world only while images are pushed).
const SEEDER_TOKEN: &str = "glpat-TESTKITseederPushOnly";

/// dockerd, the real registry and the fake GitLab host over one world. Dropped dockerd first.
pub struct RealGitlab {
    pub dockerd: Dockerd,
    registry: RegistryProcess,
    /// The GitLab host: `/jwt/auth` (the registry's realm) and `/api/v4`.
    pub gitlab: GitlabApiServer,
    pub world: SharedGitlabWorld,
    /// Scratch space (docker configs, the image tarball).
    pub work: tempfile::TempDir,
    /// Holds the registry's config, data and log.
    _registry_dir: tempfile::TempDir,
    /// How long [`RealGitlab::start`] took.
    pub started_in: Duration,
}

impl RealGitlab {
    /// Starts dockerd (in parallel), the GitLab host and `docker-registry serve` with
    /// `realm: http://127.0.0.1:GITLABPORT/jwt/auth`, `service: container_registry`,
    /// `issuer` = the world's `settings.issuer` and the GitLab host's certificate as
    /// `rootcertbundle`.
    pub fn start(world: SharedGitlabWorld) -> io::Result<RealGitlab> {
        let start = Instant::now();
        let (dockerd, parts) = thread::scope(|s| {
            let dockerd = s.spawn(Dockerd::start);
            let parts = (|| -> io::Result<_> {
                let gitlab = GitlabApiServer::start(world.clone())?;
                let dir = tempfile::Builder::new().prefix("ghd-gitlab-registry").tempdir()?;
                let issuer = world.lock().settings.issuer.clone();
                let registry = RegistryProcess::start(
                    dir.path(),
                    &gitlab.jwt_realm(),
                    SERVICE,
                    &issuer,
                    gitlab.signing_key().cert_path(),
                )?;
                Ok((gitlab, dir, registry))
            })();
            (dockerd.join().unwrap_or_else(|_| Err(io::Error::other("dockerd start panicked"))), parts)
        });
        let (dockerd, (gitlab, registry_dir, registry)) = (dockerd?, parts?);
        let work = tempfile::Builder::new().prefix("ghd-gitlab-work").tempdir()?;
        Ok(RealGitlab {
            dockerd,
            registry,
            gitlab,
            world,
            work,
            _registry_dir: registry_dir,
            started_in: start.elapsed(),
        })
    }

    /// `127.0.0.1:PORT`: the registry host (images are named after it, docker keeps credentials
    /// under it). Not the GitLab host.
    pub fn registry_host(&self) -> String {
        format!("127.0.0.1:{}", self.registry.port())
    }

    /// `http://127.0.0.1:PORT`.
    pub fn registry_url(&self) -> String {
        format!("http://{}", self.registry_host())
    }

    /// `127.0.0.1:PORT/{image}`.
    pub fn reference(&self, image: &str) -> String {
        format!("{}/{image}", self.registry_host())
    }

    /// The registry's log so far.
    pub fn registry_log(&self) -> String {
        self.registry.log()
    }

    /// `/usr/bin/docker` against this dockerd with `DOCKER_CONFIG` = `docker_config`.
    pub fn docker(&self, docker_config: &Path) -> Command {
        self.dockerd.docker(docker_config)
    }

    /// `program` as a user of this self-managed GitLab runs it: cleared environment, scratch HOME
    /// and cwd, Debian's docker on [`real_docker::PATH`], `docker_config`, the GitLab base URL
    /// and the registry as the overrides, English.
    pub fn command(&self, program: &str, docker_config: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .current_dir(self.work.path())
            .env("HOME", self.work.path().join("home"))
            .env("PATH", real_docker::PATH)
            .env("DOCKER_HOST", self.dockerd.host())
            .env("DOCKER_CONFIG", docker_config)
            .env("GHCR_DOCTOR_API_URL", self.gitlab.base_url())
            .env("GHCR_DOCTOR_REGISTRY_URL", self.registry_url())
            .env("GHCR_DOCTOR_LANG", "en");
        cmd
    }

    /// `docker login REGISTRY -u login --password-stdin` (the secret goes to stdin only).
    pub fn docker_login(&self, docker_config: &Path, login: &str, secret: &str) -> io::Result<CmdOutput> {
        self.docker_login_to(&self.registry_host(), docker_config, login, secret)
    }

    /// `docker login HOST -u login --password-stdin`, e.g. for a [`ThrottledProxy`]'s host.
    pub fn docker_login_to(
        &self,
        host: &str,
        docker_config: &Path,
        login: &str,
        secret: &str,
    ) -> io::Result<CmdOutput> {
        let mut cmd = self.docker(docker_config);
        cmd.args(["login", host, "-u", login, "--password-stdin"]);
        run(&mut cmd, Some(format!("{secret}\n").as_bytes()), DOCKER_TIMEOUT)
    }

    /// Runs `docker ARGS` with `DOCKER_CONFIG` = `docker_config`.
    pub fn docker_run(&self, docker_config: &Path, args: &[&str]) -> io::Result<CmdOutput> {
        run(self.docker(docker_config).args(args), None, DOCKER_TIMEOUT)
    }

    /// Removes a local image if present (so that the next pull really pulls).
    pub fn remove_local(&self, reference: &str) {
        let _ = self.docker_run(&self.work.path().join("docker-none"), &["image", "rm", "-f", reference]);
    }

    /// Builds the tiny image locally as `reference` (for pushes).
    pub fn build_local(&self, reference: &str) -> io::Result<()> {
        let dir = self.work.path().join("tiny");
        real_docker::import_tiny_image(&self.dockerd, &dir, &self.work.path().join("docker-build"), reference)
    }

    /// Builds an image locally as `reference` with one layer holding `payload` random bytes
    /// (`/dev/urandom`, so gzip cannot shrink it): a push that takes a while, for the case of a
    /// JWT that expires while layers upload.
    pub fn build_local_large(&self, reference: &str, payload: usize) -> io::Result<()> {
        let dir = self.work.path().join("large");
        let rootfs = dir.join("rootfs");
        fs::create_dir_all(&rootfs)?;
        let mut random = fs::File::open("/dev/urandom")?;
        let mut file = fs::File::create(rootfs.join("payload.bin"))?;
        io::copy(&mut (&mut random).take(payload as u64), &mut file)?;
        let tarball = dir.join("large.tar");
        let tar = run(
            Command::new("/bin/tar").arg("-C").arg(&rootfs).arg("-cf").arg(&tarball).arg("."),
            None,
            DOCKER_TIMEOUT,
        )?;
        check(&tar, "tar")?;
        let config = self.work.path().join("docker-build");
        let import =
            run(self.docker(&config).args(["import", &tarball.to_string_lossy(), reference]), None, DOCKER_TIMEOUT)?;
        let _ = fs::remove_dir_all(&dir);
        check(&import, "docker import")
    }

    /// A [`ThrottledProxy`] in front of the registry: images named after its host go through it,
    /// at `bytes_per_sec` towards the registry (so a push takes as long as the test needs).
    pub fn throttled_registry(&self, bytes_per_sec: u64) -> io::Result<ThrottledProxy> {
        ThrottledProxy::start(SocketAddr::from(([127, 0, 0, 1], self.registry.port())), bytes_per_sec)
    }

    /// Pushes the tiny image as each of `images` (`group/project[/image]:tag`; the projects must
    /// exist), then removes the local copies. It pushes as [`SEEDER_USER`] with a transient `api`
    /// PAT and Maintainer on every project, with default settings and modes; afterwards the
    /// world is put back (the request log kept) and each pushed tag is recorded in its
    /// project's repositories. Returns `(image, digest)` pairs.
    pub fn push_images(&self, images: &[&str]) -> io::Result<Vec<(String, String)>> {
        let config = self.work.path().join("seed-docker-config");
        let base = self.reference("ghcr-doctor-seed/base:1");
        self.build_local(&base)?;
        let saved = self.world.lock().clone();
        let result = self.world.edit(|w| {
            w.settings = GitlabSettings { issuer: w.settings.issuer.clone(), ..GitlabSettings::default() };
            w.modes = GitlabModes::default();
            w.add_access_token(SEEDER_TOKEN, AccessToken::personal(SEEDER_USER, "api"));
            for image in images {
                let (repo, _) = image.rsplit_once(':').unwrap_or((image, "latest"));
                let path = super::project_for_path(w, repo).map(|(p, _)| p.path.clone());
                match path.and_then(|p| w.project_mut(&p)) {
                    Some(p) => {
                        p.members.insert(SEEDER_USER.to_owned(), AccessLevel::Maintainer);
                    }
                    None => return Err(io::Error::other(format!("{image}: no such project in the world"))),
                }
            }
            Ok(())
        });
        let pushed = result.and_then(|()| {
            check(&self.docker_login(&config, SEEDER_USER, SEEDER_TOKEN)?, "docker login (seeder)")?;
            let mut pushed = Vec::new();
            for image in images {
                let reference = self.reference(image);
                check(&self.docker_run(&config, &["tag", &base, &reference])?, "docker tag")?;
                let out = self.docker_run(&config, &["push", &reference])?;
                check(&out, &format!("docker push {reference}"))?;
                let digest = out
                    .stdout
                    .split_whitespace()
                    .find(|w| w.starts_with("sha256:"))
                    .ok_or_else(|| io::Error::other(format!("no digest in docker push output: {}", out.stdout)))?;
                pushed.push(((*image).to_owned(), digest.to_owned()));
                self.remove_local(&reference);
            }
            Ok(pushed)
        });
        let _ = self.docker_run(&config, &["logout", &self.registry_host()]);
        let _ = fs::remove_dir_all(&config);
        self.remove_local(&base);
        self.world.edit(|w| {
            let log = std::mem::take(&mut w.log);
            *w = saved;
            w.log = log;
            if let Ok(pushed) = &pushed {
                for (image, digest) in pushed {
                    let (repo, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
                    let found = super::project_for_path(w, repo).map(|(p, img)| (p.path.clone(), img));
                    if let Some((path, img)) = found
                        && let Some(p) = w.project_mut(&path)
                    {
                        p.repositories.entry(img).or_default().insert(tag.to_owned(), digest.clone());
                    }
                }
            }
        });
        pushed
    }
}

/// A loopback TCP proxy that forwards to `upstream`, limiting the client → upstream direction to
/// a rate (the other direction is not limited). Used to make a layer upload outlast a short JWT
/// deterministically, whatever the machine's speed. Stops accepting on drop; open connections
/// end when either side closes.
pub struct ThrottledProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
    thread: Option<thread::JoinHandle<()>>,
}

impl ThrottledProxy {
    pub fn start(upstream: SocketAddr, bytes_per_sec: u64) -> io::Result<ThrottledProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicU64::new(0));
        let (flag, counter) = (stop.clone(), sent.clone());
        let thread = thread::Builder::new().name(format!("testkit-throttle-{}", addr.port())).spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = conn else { continue };
                let Ok(server) = TcpStream::connect(upstream) else { continue };
                let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else { continue };
                let counter = counter.clone();
                thread::spawn(move || pipe(client, server, Some((bytes_per_sec.max(1), counter))));
                thread::spawn(move || pipe(server2, client2, None));
            }
        })?;
        Ok(ThrottledProxy { addr, stop, sent, thread: Some(thread) })
    }

    /// `127.0.0.1:PORT`: name images after this host to push through the proxy.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Bytes forwarded towards the upstream so far.
    pub fn bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for ThrottledProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Copies `from` → `to` until EOF or an error, optionally at a limited rate, then shuts both
/// down (so the peer's copy ends too).
fn pipe(mut from: TcpStream, mut to: TcpStream, limit: Option<(u64, Arc<AtomicU64>)>) {
    let mut buf = [0u8; 16 * 1024];
    let start = Instant::now();
    let mut total = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        total += n as u64;
        if let Some((rate, counter)) = &limit {
            counter.fetch_add(n as u64, Ordering::SeqCst);
            let due = Duration::from_secs_f64(total as f64 / *rate as f64);
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                thread::sleep(wait);
            }
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
