//! The real thing, for tests that prove a verdict against docker itself: a private `dockerd`
//! (Debian `docker.io` 20.10), a real CNCF distribution registry (Debian `docker-registry` 2.8)
//! with token auth behind the ghcr.io-protocol [`JwtTokenService`], the loopback GitHub API
//! ([`ApiServer`]) and a gh configuration directory for the real gh, all over one [`SharedWorld`]
//! (real-behaviour §3.1, §3.2, §4.2).
//!
//! - [`RealEnv::start`] starts everything on 127.0.0.1 (free ports) and a unix socket in a temp
//!   dir; [`RealEnv::push_images`] builds a 10-byte image with `docker import`, pushes it under
//!   the given names with a transient token that may push, and removes the local copies.
//! - Every process started here is stopped on drop, also while a failing test unwinds: SIGTERM,
//!   then SIGKILL after a grace period (dockerd's own containerd too), and the temp dirs go.
//! - Nothing outside the temp dirs is written: dockerd gets its own `--config-file` (so neither
//!   `/etc/docker/daemon.json` is read nor `/etc/docker/key.json` created) and never touches
//!   `/var/run/docker.sock`. (dockerd 20.10 still creates the empty `/run/docker/plugins`.)
//! - [`require_components`]: with `CI` set, missing binaries or not being root fail the test;
//!   elsewhere the test is skipped with a note ([`require_docker_components`]: the same without
//!   gh).
//! - [`Dockerd`], the registry process, [`run`] and [`import_tiny_image`] are shared with
//!   [`crate::gitlab::RealGitlab`] (the same registry behind GitLab's `/jwt/auth`).
//!
//! The docker client is always `/usr/bin/docker` (the Debian 20.10 client CI has), never
//! whatever `docker` comes first on PATH. Tokens are only ever written to stdin
//! (`docker login --password-stdin`), never put in argv, and never printed.

use std::fs;
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::api::ApiServer;
use crate::ghconfig::GhConfigDir;
use crate::jwt::{ISSUER, JwtTokenService, SigningKey};
use crate::world::{RegistryConfig, Role, SharedWorld, Token};
use crate::{client, jwt};

/// Debian's docker daemon.
pub const DOCKERD: &str = "/usr/sbin/dockerd";
/// Debian's docker client (20.10). Always used by absolute path.
pub const DOCKER: &str = "/usr/bin/docker";
/// Debian's CNCF distribution registry (2.8).
pub const DOCKER_REGISTRY: &str = "/usr/bin/docker-registry";
/// Debian's gh (2.23).
pub const GH: &str = "/usr/bin/gh";
/// `PATH` for processes run against the environment: Debian's docker and gh, not
/// `/usr/local/bin/docker`.
pub const PATH: &str = "/usr/bin:/bin";

/// How long dockerd and the registry may take to answer after start.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a SIGTERMed process gets before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(10);
/// Upper bound for one docker command against the loopback registry.
pub const DOCKER_TIMEOUT: Duration = Duration::from_secs(120);

/// What is missing to run the real-docker tests here (binaries, root).
pub fn missing_components() -> Vec<String> {
    missing_of(&[DOCKERD, DOCKER, DOCKER_REGISTRY, GH, jwt::OPENSSL])
}

/// What is missing for the real-docker tests that do not need gh (the GitLab ones).
pub fn missing_docker_components() -> Vec<String> {
    missing_of(&[DOCKERD, DOCKER, DOCKER_REGISTRY, jwt::OPENSSL])
}

fn missing_of(binaries: &[&str]) -> Vec<String> {
    let mut missing: Vec<String> =
        binaries.iter().filter(|p| !Path::new(p).is_file()).map(|p| format!("{p} not found")).collect();
    if !is_root() {
        missing.push("not running as root (dockerd needs root)".to_owned());
    }
    missing
}

/// Whether this process runs as root (real uid 0, from `/proc/self/status`).
pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status").ok().is_some_and(|s| {
        s.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|v| v.split_whitespace().next()) == Some("0")
    })
}

/// `true` when everything is there. Otherwise panics when `CI` is set (CI must not skip the
/// proof silently) and prints a note and returns `false` elsewhere.
pub fn require_components(test: &str) -> bool {
    require(test, missing_components())
}

/// [`require_components`] without gh (for [`crate::gitlab::RealGitlab`]).
pub fn require_docker_components(test: &str) -> bool {
    require(test, missing_docker_components())
}

fn require(test: &str, missing: Vec<String>) -> bool {
    if missing.is_empty() {
        return true;
    }
    let what = missing.join("; ");
    if std::env::var_os("CI").is_some() {
        panic!(
            "{test}: the real docker components are required in CI but {what}. Install Debian's \
             `gh docker.io docker-registry openssl ca-certificates` and run as root."
        );
    }
    eprintln!("note: skipping {test}: {what} (set CI to make this a failure)");
    false
}

/// What a finished command printed.
#[derive(Clone, Debug)]
pub struct CmdOutput {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl CmdOutput {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
    /// `rc=N` and both streams, for assertion messages.
    pub fn describe(&self) -> String {
        format!("rc={:?}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs `cmd` with `stdin` (or /dev/null), capturing both streams, killing it after `timeout`.
pub fn run(cmd: &mut Command, stdin: Option<&[u8]>, timeout: Duration) -> io::Result<CmdOutput> {
    let start = Instant::now();
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| io::Error::new(e.kind(), format!("cannot run {cmd:?}: {e}")))?;
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let data = data.to_vec();
        thread::spawn(move || {
            let _ = pipe.write_all(&data);
        });
    }
    let out = reader(child.stdout.take());
    let err = reader(child.stderr.take());
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(io::ErrorKind::TimedOut, format!("{cmd:?} did not finish in {timeout:?}")));
        }
        thread::sleep(Duration::from_millis(5));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok(CmdOutput { code: status.code(), stdout, stderr, elapsed: start.elapsed() })
}

fn reader(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// A long-running child stopped on drop: SIGTERM, wait up to [`STOP_GRACE`], then SIGKILL.
pub(crate) struct Managed {
    name: &'static str,
    child: Child,
}

impl Managed {
    pub(crate) fn spawn(name: &'static str, cmd: &mut Command, log: &Path) -> io::Result<Managed> {
        let log = fs::File::create(log)?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot start {name}: {e}")))?;
        Ok(Managed { name, child })
    }

    pub(crate) fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the process; `true` when it ended on SIGTERM.
    pub(crate) fn stop(&mut self) -> bool {
        if self.exited().is_some() {
            return true;
        }
        signal("TERM", self.child.id());
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        eprintln!("testkit: {} (pid {}) ignored SIGTERM; killing it", self.name, self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

impl Drop for Managed {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends `SIG{name}` to one process id (std has only SIGKILL, and unsafe code is forbidden), with
/// the shell's builtin `kill` (procps' `/bin/kill` is not in every Debian image).
fn signal(name: &str, pid: u32) {
    let _ = Command::new("/bin/sh")
        .args(["-c", &format!("kill -s {name} {pid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A private dockerd on a unix socket in a temp dir (vfs, no bridge, no iptables).
pub struct Dockerd {
    process: Managed,
    socket: PathBuf,
    dir: PathBuf,
    /// Declared last: removed after the process is gone.
    _temp: tempfile::TempDir,
}

impl Dockerd {
    /// Starts dockerd and waits until `docker version` reaches it (about 0.1 s here).
    pub fn start() -> io::Result<Dockerd> {
        // Short path: the exec-root holds unix sockets (108-byte `sun_path`).
        let temp = tempfile::Builder::new().prefix("ghd-dockerd").tempdir_in("/tmp")?;
        let dir = temp.path().to_owned();
        let socket = dir.join("docker.sock");
        let config = dir.join("daemon.json");
        // `deprecated-key-path` keeps dockerd 20.10 from creating /etc/docker/key.json.
        fs::write(&config, serde_json::json!({"deprecated-key-path": dir.join("key.json")}).to_string())?;
        let mut cmd = Command::new(DOCKERD);
        cmd.args(["--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none"])
            .args(["--log-level", "warn"])
            .arg("--data-root")
            .arg(dir.join("data"))
            .arg("--exec-root")
            .arg(dir.join("exec"))
            .arg("--pidfile")
            .arg(dir.join("dockerd.pid"))
            .arg("--config-file")
            .arg(&config)
            .arg("--host")
            .arg(format!("unix://{}", socket.display()))
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        let process = Managed::spawn("dockerd", &mut cmd, &dir.join("dockerd.log"))?;
        let mut dockerd = Dockerd { process, socket, dir, _temp: temp };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let probe = run(
                dockerd.docker(&dockerd.dir.join("no-config")).args(["version", "--format", "{{.Server.Version}}"]),
                None,
                Duration::from_secs(10),
            );
            if probe.as_ref().is_ok_and(CmdOutput::success) {
                return Ok(dockerd);
            }
            if let Some(status) = dockerd.process.exited() {
                return Err(io::Error::other(format!("dockerd exited ({status}):\n{}", dockerd.log())));
            }
            if Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("dockerd did not answer in {START_TIMEOUT:?}:\n{}", dockerd.log()),
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// `unix:///tmp/ghd-dockerd.../docker.sock`, for `DOCKER_HOST`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// `/usr/bin/docker` with a clean environment: `HOME` (a dir next to the socket), `PATH`
    /// ([`PATH`]), `DOCKER_HOST` and `DOCKER_CONFIG`.
    pub fn docker(&self, docker_config: &Path) -> Command {
        let mut cmd = Command::new(DOCKER);
        cmd.env_clear()
            .env("HOME", self.dir.join("home"))
            .env("PATH", PATH)
            .env("DOCKER_HOST", self.host())
            .env("DOCKER_CONFIG", docker_config);
        cmd
    }

    /// dockerd's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("dockerd.log")).unwrap_or_default()
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        if !self.process.stop() {
            // dockerd was killed: its containerd (own process group) would outlive it.
            let pid = fs::read_to_string(self.dir.join("exec/containerd/containerd.pid")).unwrap_or_default();
            if let Ok(pid) = pid.trim().parse::<u32>() {
                signal("KILL", pid);
            }
        }
    }
}

/// A running `docker-registry serve` with token auth on a free loopback port; its config and log
/// live in the caller's directory. Stopped on drop.
pub(crate) struct RegistryProcess {
    process: Managed,
    port: u16,
    dir: PathBuf,
}

impl RegistryProcess {
    /// Writes `dir/config.yml` (realm, service, issuer, rootcertbundle) and starts the registry,
    /// waiting until `/v2/` answers its 401 challenge (about 0.05 s). The port is chosen by
    /// binding port 0 and releasing it; if someone takes it meanwhile, it retries (5 times).
    pub(crate) fn start(dir: &Path, realm: &str, service: &str, issuer: &str, cert: &Path) -> io::Result<Self> {
        let mut last_error = None;
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
            let config = dir.join("config.yml");
            fs::write(&config, registry_config(dir, port, realm, service, issuer, cert))?;
            let mut cmd = Command::new(DOCKER_REGISTRY);
            cmd.arg("serve").arg(&config).env_clear().env("PATH", PATH);
            let process = Managed::spawn("docker-registry", &mut cmd, &dir.join("registry.log"))?;
            let mut registry = RegistryProcess { process, port, dir: dir.to_owned() };
            match registry.wait_ready() {
                Ok(()) => return Ok(registry),
                Err(e) => {
                    last_error = Some(e);
                    registry.process.stop();
                }
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("docker-registry did not start")))
    }

    fn wait_ready(&mut self) -> io::Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if client::get(&format!("http://127.0.0.1:{}/v2/", self.port), &[]).is_ok_and(|r| r.status == 401) {
                return Ok(());
            }
            if let Some(status) = self.process.exited() {
                return Err(io::Error::other(format!("docker-registry exited ({status}):\n{}", self.log())));
            }
            if Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("docker-registry silent:\n{}", self.log()),
                ));
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// The registry's log so far.
    pub(crate) fn log(&self) -> String {
        fs::read_to_string(self.dir.join("registry.log")).unwrap_or_default()
    }
}

/// A real distribution registry with token auth, its [`JwtTokenService`] and signing key.
pub struct RealRegistry {
    /// Declared first: stopped before the token service and the temp dir go.
    registry: RegistryProcess,
    tokens: JwtTokenService,
    _temp: tempfile::TempDir,
}

impl RealRegistry {
    /// Starts the token service and `docker-registry serve` on free loopback ports and waits
    /// until `/v2/` answers its 401 challenge (about 0.05 s). The registry's `service` is the
    /// world's `registry.service` (`ghcr.io` by default).
    pub fn start(world: SharedWorld) -> io::Result<RealRegistry> {
        let temp = tempfile::Builder::new().prefix("ghd-registry").tempdir()?;
        let dir = temp.path().to_owned();
        let key = Arc::new(SigningKey::generate(&dir)?);
        let service = world.lock().registry.service.clone();
        let tokens = JwtTokenService::start(world, key.clone())?;
        let registry = RegistryProcess::start(&dir, &tokens.realm(), &service, ISSUER, key.cert_path())?;
        Ok(RealRegistry { registry, tokens, _temp: temp })
    }

    /// `127.0.0.1:PORT`: the registry host docker names images after and keeps credentials under.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.registry.port())
    }

    /// `http://127.0.0.1:PORT`, for `GHCR_DOCTOR_REGISTRY_URL`.
    pub fn url(&self) -> String {
        format!("http://{}", self.host())
    }

    pub fn port(&self) -> u16 {
        self.registry.port()
    }

    pub fn token_service(&self) -> &JwtTokenService {
        &self.tokens
    }

    /// The registry's log so far.
    pub fn log(&self) -> String {
        self.registry.log()
    }
}

/// distribution's `config.yml` (real-behaviour-assets/config.yml, with this test's paths, realm,
/// service and issuer).
fn registry_config(dir: &Path, port: u16, realm: &str, service: &str, issuer: &str, cert: &Path) -> String {
    format!(
        "version: 0.1\n\
         log:\n  level: warn\n  formatter: text\n  accesslog:\n    disabled: true\n\
         storage:\n  filesystem:\n    rootdirectory: {data}\n  delete:\n    enabled: true\n\
         http:\n  addr: 127.0.0.1:{port}\n  headers:\n    X-Content-Type-Options: [nosniff]\n\
         auth:\n  token:\n    realm: {realm}\n    service: {service}\n    issuer: {issuer}\n    rootcertbundle: {cert}\n",
        data = dir.join("data").display(),
        cert = cert.display(),
    )
}

/// Builds the tiny test image (one 10-byte file `hello.txt`, `docker import`ed, no internet) as
/// `reference` in `dockerd`, using `dir` for the root fs and tarball.
pub fn import_tiny_image(dockerd: &Dockerd, dir: &Path, docker_config: &Path, reference: &str) -> io::Result<()> {
    fs::create_dir_all(dir.join("rootfs"))?;
    fs::write(dir.join("rootfs/hello.txt"), "ghcr-doc\n")?;
    let tar = run(
        Command::new("/bin/tar").arg("-C").arg(dir.join("rootfs")).arg("-cf").arg(dir.join("tiny.tar")).arg("."),
        None,
        DOCKER_TIMEOUT,
    )?;
    check(&tar, "tar")?;
    let tarball = dir.join("tiny.tar");
    let import = run(
        dockerd.docker(docker_config).args(["import", &tarball.to_string_lossy(), reference]),
        None,
        DOCKER_TIMEOUT,
    )?;
    check(&import, "docker import")
}

/// A new `DOCKER_CONFIG` directory under `work`, a different one on every call (not created:
/// docker creates it on login), so each scenario starts with an empty store.
pub fn fresh_docker_config(work: &Path) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    work.join(format!("docker-config-{}", NEXT.fetch_add(1, Ordering::Relaxed)))
}

/// The whole environment over one world: API (TCP + gh's unix socket), gh config dir, real
/// registry + token service, private dockerd. Dropped in reverse order of need: dockerd first.
pub struct RealEnv {
    pub dockerd: Dockerd,
    pub registry: RealRegistry,
    pub api: ApiServer,
    /// `GH_CONFIG_DIR` with `http_unix_socket` pointing at [`RealEnv::api`]; write `hosts.yml`
    /// per scenario.
    pub gh: GhConfigDir,
    pub world: SharedWorld,
    /// Scratch space (docker configs, the image tarball, HOME).
    pub work: tempfile::TempDir,
    /// How long [`RealEnv::start`] took.
    pub started_in: Duration,
}

/// The login of the transient token [`RealEnv::push_images`] pushes with.
pub const SEEDER_LOGIN: &str = "ghcr-doctor-seeder";
/// Its secret (`gho_` + 36). Exists in the world only while images are pushed.
const SEEDER_TOKEN: &str = "gho_TESTKITtransientSeederPushToken00000";

impl RealEnv {
    /// `program` as a user of this environment runs it: cleared environment, scratch HOME and
    /// cwd, Debian's docker and gh on [`PATH`], gh's config dir, `docker_config`, the API and
    /// registry overrides, English.
    pub fn command(&self, program: &str, docker_config: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear();
        self.gh.apply_env(&mut cmd);
        cmd.current_dir(self.work.path())
            .env("HOME", self.work.path().join("home"))
            .env("PATH", PATH)
            .env("DOCKER_HOST", self.dockerd.host())
            .env("DOCKER_CONFIG", docker_config)
            .env("GHCR_DOCTOR_API_URL", self.api.base_url())
            .env("GHCR_DOCTOR_REGISTRY_URL", self.registry.url())
            .env("GHCR_DOCTOR_LANG", "en");
        cmd
    }

    /// Starts the API, the registry and dockerd (in parallel with the key generation).
    pub fn start(world: SharedWorld) -> io::Result<RealEnv> {
        let start = Instant::now();
        let (dockerd, registry) = thread::scope(|s| {
            let dockerd = s.spawn(Dockerd::start);
            let registry = RealRegistry::start(world.clone());
            (dockerd.join().unwrap_or_else(|_| Err(io::Error::other("dockerd start panicked"))), registry)
        });
        let (dockerd, registry) = (dockerd?, registry?);
        let gh = GhConfigDir::new()?;
        let api = ApiServer::start_with_socket(world.clone(), gh.socket_path())?;
        gh.set_http_unix_socket(&gh.socket_path())?;
        let work = tempfile::Builder::new().prefix("ghd-work").tempdir()?;
        fs::create_dir_all(work.path().join("home"))?;
        Ok(RealEnv { dockerd, registry, api, gh, world, work, started_in: start.elapsed() })
    }

    /// `127.0.0.1:PORT/{image}`: an image name as docker and the doctor see it.
    pub fn reference(&self, image: &str) -> String {
        format!("{}/{image}", self.registry.host())
    }

    /// `/usr/bin/docker` against this dockerd with `DOCKER_CONFIG` = `docker_config`.
    pub fn docker(&self, docker_config: &Path) -> Command {
        self.dockerd.docker(docker_config)
    }

    /// `docker login 127.0.0.1:PORT -u login --password-stdin` (the secret goes to stdin only).
    pub fn docker_login(&self, docker_config: &Path, login: &str, secret: &str) -> io::Result<CmdOutput> {
        let mut cmd = self.docker(docker_config);
        cmd.args(["login", &self.registry.host(), "-u", login, "--password-stdin"]);
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

    /// Pushes a tiny image (one 10-byte file, `docker import`ed, no internet) as each of
    /// `images` (`OWNER/NAME:TAG`, packages that must exist in the world), then removes the local
    /// copies. The push uses a transient `gho_` token of [`SEEDER_LOGIN`] with `write:packages`,
    /// SSO-authorized everywhere and Admin on each package; afterwards the world is put back as
    /// it was (the request log kept) and each package's tag points at the pushed digest.
    /// Returns `(image, digest)` pairs.
    pub fn push_images(&self, images: &[&str]) -> io::Result<Vec<(String, String)>> {
        let dir = self.work.path().join("seed");
        let config = dir.join("docker-config");
        let base = self.reference("ghcr-doctor-seed/base:1");
        import_tiny_image(&self.dockerd, &dir, &config, &base)?;

        let saved = self.world.lock().clone();
        let mut parsed = Vec::new();
        for image in images {
            let (repo, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
            let (owner, name) = repo
                .split_once('/')
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("not OWNER/NAME:TAG: {image}")))?;
            parsed.push((image.to_string(), owner.to_owned(), name.to_owned(), tag.to_owned()));
        }
        let result = self.world.edit(|w| {
            let mut token = Token::new(SEEDER_LOGIN).scopes("read:packages, write:packages");
            for org in w.orgs.values() {
                token = token.sso_authorized(&org.login);
            }
            w.add_token(SEEDER_TOKEN, token);
            w.registry = RegistryConfig {
                service: w.registry.service.clone(),
                realm: w.registry.realm.clone(),
                ..RegistryConfig::default()
            };
            for (image, owner, name, _) in &parsed {
                match w.package_mut(owner, name) {
                    Some(p) => {
                        p.grants.insert(SEEDER_LOGIN.to_owned(), Role::Admin);
                    }
                    None => return Err(io::Error::other(format!("{image}: no such package in the world"))),
                }
            }
            Ok(())
        });
        let pushed = result.and_then(|()| {
            check(&self.docker_login(&config, SEEDER_LOGIN, SEEDER_TOKEN)?, "docker login (seeder)")?;
            let mut pushed = Vec::new();
            for (image, ..) in &parsed {
                let reference = self.reference(image);
                check(&self.docker_run(&config, &["tag", &base, &reference])?, "docker tag")?;
                let out = self.docker_run(&config, &["push", &reference])?;
                check(&out, &format!("docker push {reference}"))?;
                let digest = out
                    .stdout
                    .split_whitespace()
                    .find(|w| w.starts_with("sha256:"))
                    .ok_or_else(|| io::Error::other(format!("no digest in docker push output: {}", out.stdout)))?;
                pushed.push((image.clone(), digest.to_owned()));
                self.remove_local(&reference);
            }
            Ok(pushed)
        });
        let _ = self.docker_run(&config, &["logout", &self.registry.host()]);
        self.remove_local(&base);
        self.world.edit(|w| {
            let log = std::mem::take(&mut w.log);
            *w = saved;
            w.log = log;
            if let Ok(pushed) = &pushed {
                for ((_, owner, name, tag), (_, digest)) in parsed.iter().zip(pushed) {
                    if let Some(p) = w.package_mut(owner, name) {
                        p.tags.insert(tag.clone(), digest.clone());
                    }
                }
            }
        });
        pushed
    }
}

pub(crate) fn check(out: &CmdOutput, what: &str) -> io::Result<()> {
    if out.success() { Ok(()) } else { Err(io::Error::other(format!("{what} failed: {}", out.describe()))) }
}
