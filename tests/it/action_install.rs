//! The Action's installer (`action/install.sh`) with the real bash, curl, tar and sha256sum
//! against a loopback server that plays GitHub's release download URLs: `GET
//! /OWNER/REPO/releases/download/vX.Y.Z/FILE` answers 302 to an object URL (as github.com does),
//! which answers 200 with the file; an unknown release or file is 404. The archives are built
//! here the way `dist` lays them out (`ghcr-doctor-TARGET/ghcr-doctor` in a .tar.gz, the binary
//! at the root of a .zip) and hold a tiny fake `ghcr-doctor`; the `.sha256` files have dist's
//! `HASH *FILE` form. `cargo` is a fake that records its arguments, so the fallback never
//! compiles. Every case asserts the exit status, the messages and what the tool cache holds.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ghcr_doctor_testkit::http::{Handler, Listener, Request, Response};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/action/install.sh");
const REPO: &str = "acme/ghcr-doctor";
const LINUX_X64: &str = "x86_64-unknown-linux-musl";

// ---- the fake release host --------------------------------------------------------------

/// Assets by their github.com path (`/OWNER/REPO/releases/download/TAG/FILE`).
type Assets = Arc<Mutex<BTreeMap<String, Vec<u8>>>>;

/// github.com's release downloads on loopback, plus a second object host that cuts bodies short
/// (for the assets in `truncated`).
struct Releases {
    assets: Assets,
    truncated: Arc<Mutex<BTreeSet<String>>>,
    log: Arc<Mutex<Vec<String>>>,
    base: String,
    _listener: Listener,
    _truncating: Truncating,
}

impl Releases {
    fn start() -> Releases {
        let assets: Assets = Arc::default();
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let truncated: Arc<Mutex<BTreeSet<String>>> = Arc::default();
        let truncating = Truncating::start(assets.clone(), log.clone());
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", tcp.local_addr().unwrap());
        let handler: Handler = {
            let (assets, truncated, log, base) = (assets.clone(), truncated.clone(), log.clone(), base.clone());
            let cut = truncating.url.clone();
            Arc::new(move |req: &Request| {
                log.lock().unwrap().push(format!("{} {}", req.method, req.path));
                let assets = assets.lock().unwrap();
                if let Some(asset) = req.path.strip_prefix("/objects") {
                    return match assets.get(asset) {
                        Some(body) => Response::new(200)
                            .header("Content-Type", "application/octet-stream")
                            .header("Content-Disposition", format!("attachment; filename={}", file_name(asset)))
                            .body(body.clone()),
                        None => Response::new(404).body("Not Found"),
                    };
                }
                if !assets.contains_key(&req.path) {
                    return Response::new(404).header("Content-Type", "text/plain; charset=utf-8").body("Not Found");
                }
                let host = if truncated.lock().unwrap().contains(&req.path) { &cut } else { &base };
                Response::new(302).header("Location", format!("{host}/objects{}?sp=r&sig=loopback", req.path))
            })
        };
        let listener = Listener::tcp(tcp, handler).unwrap();
        Releases { assets, truncated, log, base, _listener: listener, _truncating: truncating }
    }

    /// `file` in release `tag` of acme/ghcr-doctor.
    fn publish(&self, tag: &str, file: &str, body: Vec<u8>) {
        self.publish_in(REPO, tag, file, body);
    }

    fn publish_in(&self, repo: &str, tag: &str, file: &str, body: Vec<u8>) {
        self.assets.lock().unwrap().insert(format!("/{repo}/releases/download/{tag}/{file}"), body);
    }

    /// An archive and its dist-style `.sha256`, in release `tag`.
    fn publish_archive(&self, tag: &str, archive: &Archive) {
        self.publish(tag, &archive.name, archive.bytes.clone());
        self.publish(tag, &format!("{}.sha256", archive.name), archive.sha256_file().into_bytes());
    }

    /// From now on the object host breaks this file's download off halfway.
    fn truncate(&self, tag: &str, file: &str) {
        self.truncated.lock().unwrap().insert(format!("/{REPO}/releases/download/{tag}/{file}"));
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// An object host that announces the whole body in `Content-Length` and then sends only half of
/// it before closing: the download breaks off in the middle.
struct Truncating {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Truncating {
    fn start(assets: Assets, log: Arc<Mutex<Vec<String>>>) -> Truncating {
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", tcp.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            for conn in tcp.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = conn else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    continue;
                }
                let target = line.split(' ').nth(1).unwrap_or("/").split('?').next().unwrap_or("/");
                log.lock().unwrap().push(format!("GET truncating:{target}"));
                let path = target.strip_prefix("/objects").unwrap_or(target).to_owned();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                }
                let body = assets.lock().unwrap().get(&path).cloned().unwrap_or_default();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body[..body.len() / 2]);
                let _ = stream.flush();
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        Truncating { url, stop, thread: Some(thread) }
    }
}

impl Drop for Truncating {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.url["http://".len()..].parse().unwrap(), Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// ---- release archives -------------------------------------------------------------------

/// A release archive as dist builds it, holding a fake `ghcr-doctor` that prints `version_line`.
struct Archive {
    name: String,
    bytes: Vec<u8>,
}

impl Archive {
    fn tar_gz(target: &str, version_line: &str) -> Archive {
        Archive::build(target, &fake_binary(version_line), ".tar.gz", "ghcr-doctor")
    }

    fn zip(target: &str, version_line: &str) -> Archive {
        Archive::build(target, &fake_binary(version_line), ".zip", "ghcr-doctor.exe")
    }

    /// A tarball whose `ghcr-doctor` is `script`.
    fn tar_gz_with(target: &str, script: &str) -> Archive {
        Archive::build(target, script, ".tar.gz", "ghcr-doctor")
    }

    fn build(target: &str, script: &str, ext: &str, exe: &str) -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let stem = format!("ghcr-doctor-{target}");
        // Tarballs have their files under a directory named like the archive, zips at the root.
        let root = if ext == ".zip" { dir.path().join("root") } else { dir.path().join("root").join(&stem) };
        std::fs::create_dir_all(root.join("completions")).unwrap();
        std::fs::write(root.join(exe), script).unwrap();
        make_executable(&root.join(exe));
        std::fs::write(root.join("README.md"), "# ghcr-doctor\n").unwrap();
        std::fs::write(root.join("ghcr-doctor.1"), ".TH ghcr-doctor 1\n").unwrap();
        std::fs::write(root.join("completions/ghcr-doctor.bash"), "complete -F _ghcr_doctor ghcr-doctor\n").unwrap();
        let name = format!("{stem}{ext}");
        let out = dir.path().join(&name);
        let status = if ext == ".zip" {
            Command::new("zip").arg("-qr").arg(&out).arg(".").current_dir(&root).status()
        } else {
            Command::new("tar").arg("-czf").arg(&out).arg(&stem).current_dir(dir.path().join("root")).status()
        };
        assert!(status.unwrap().success(), "packing {name}");
        Archive { name, bytes: std::fs::read(out).unwrap() }
    }

    /// `HASH *FILE` and a blank line, as dist writes `FILE.sha256`.
    fn sha256_file(&self) -> String {
        format!("{} *{}\n\n", sha256_hex(&self.bytes), self.name)
    }
}

/// A `ghcr-doctor` that answers `--version` with `version_line`.
fn fake_binary(version_line: &str) -> String {
    format!("#!/bin/sh\nif [ \"$1\" = --version ]; then echo '{version_line}'; exit 0; fi\nexit 3\n")
}

fn sha256_hex(bytes: &[u8]) -> String {
    let mut child = Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().split_whitespace().next().unwrap().to_owned()
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// ---- one runner -------------------------------------------------------------------------

/// A fake runner: tool cache, temp dir, `GITHUB_OUTPUT`, and a PATH whose `cargo` only records.
struct Runner {
    dir: tempfile::TempDir,
    env: BTreeMap<String, String>,
}

/// What one run of install.sh did.
struct Ran {
    code: i32,
    out: String,
    elapsed: Duration,
}

impl Runner {
    /// A Linux X64 runner using the action at `ref_` of acme/ghcr-doctor, downloads from `releases`.
    fn new(releases: &Releases, ref_: &str) -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["toolcache", "temp", "home", "bin"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        // `cargo install ... --root DIR` records its argv and leaves a fake binary in DIR/bin.
        let cargo = dir.path().join("bin/cargo");
        std::fs::write(
            &cargo,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nroot=\nwhile [ $# -gt 0 ]; do\n  \
                 if [ \"$1\" = --root ]; then root=$2; fi\n  shift\ndone\nmkdir -p \"$root/bin\"\n\
                 printf '#!/bin/sh\\necho \"ghcr-doctor 1.0.0 (from source)\"\\n' > \"$root/bin/ghcr-doctor\"\n\
                 chmod +x \"$root/bin/ghcr-doctor\"\n",
                dir.path().join("cargo-calls.log").display()
            ),
        )
        .unwrap();
        make_executable(&cargo);
        let p = |s: &str| dir.path().join(s).display().to_string();
        let env = [
            ("PATH", format!("{}:/usr/bin:/bin", p("bin"))),
            ("HOME", p("home")),
            ("RUNNER_OS", "Linux".into()),
            ("RUNNER_ARCH", "X64".into()),
            ("RUNNER_TOOL_CACHE", p("toolcache")),
            ("RUNNER_TEMP", p("temp")),
            ("GITHUB_OUTPUT", p("output")),
            ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR").into()),
            ("GHCR_DOCTOR_ACTION_REF", ref_.into()),
            ("GHCR_DOCTOR_ACTION_REPOSITORY", REPO.into()),
            ("GHCR_DOCTOR_RELEASE_BASE_URL", releases.base.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Runner { dir, env }
    }

    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    fn unset(&mut self, key: &str) -> &mut Self {
        self.env.remove(key);
        self
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    fn run(&self) -> Ran {
        let start = Instant::now();
        let out: Output =
            Command::new("bash").arg(SCRIPT).env_clear().envs(&self.env).stdin(Stdio::null()).output().unwrap();
        let elapsed = start.elapsed();
        let out_text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        Ran { code: out.status.code().unwrap_or(-1), out: out_text, elapsed }
    }

    /// `key=value` lines the script wrote to GITHUB_OUTPUT.
    fn outputs(&self) -> BTreeMap<String, String> {
        std::fs::read_to_string(self.path("output"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn cargo_calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.path("cargo-calls.log"))
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Every file under the tool cache, relative to it.
    fn tool_cache(&self) -> Vec<String> {
        let mut files = Vec::new();
        list(&self.path("toolcache"), &self.path("toolcache"), &mut files);
        files.sort();
        files
    }

    /// Whatever is left in RUNNER_TEMP.
    fn temp_leftovers(&self) -> Vec<String> {
        let mut files = Vec::new();
        list(&self.path("temp"), &self.path("temp"), &mut files);
        files
    }

    /// Nothing installed, nothing half-installed, no output claiming a binary.
    fn assert_nothing_installed(&self, ran: &Ran) {
        assert_eq!(self.tool_cache(), Vec::<String>::new(), "{}", ran.out);
        assert_eq!(self.temp_leftovers(), Vec::<String>::new(), "{}", ran.out);
        assert!(!self.outputs().contains_key("path"), "{:?}", self.outputs());
        assert_eq!(self.cargo_calls(), Vec::<String>::new(), "{}", ran.out);
    }
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            list(root, &path, out);
            if std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()) {
                out.push(format!("{}/", path.strip_prefix(root).unwrap().display()));
            }
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

/// Whether `tool` runs; in CI its absence fails the test (`.ci/run` installs it).
fn have(tool: &str) -> bool {
    if Command::new(tool).arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{tool} is required in CI (apt-get install {tool})");
    eprintln!("note: {tool} is not installed; that case is skipped outside CI");
    false
}

fn assert_code(ran: &Ran, code: i32) {
    assert_eq!(ran.code, code, "exit code; output:\n{}", ran.out);
}

fn linux_release(releases: &Releases, tag: &str) -> Archive {
    let archive = Archive::tar_gz(LINUX_X64, "ghcr-doctor 1.0.0");
    releases.publish_archive(tag, &archive);
    archive
}

const DOWNLOAD: &str = "/acme/ghcr-doctor/releases/download";

// ---- the cases --------------------------------------------------------------------------

#[test]
fn release_tag_downloads_verifies_and_caches_the_binary_in_seconds() {
    let releases = Releases::start();
    let archive = linux_release(&releases, "v1.0.0");
    let runner = Runner::new(&releases, "v1.0.0");

    let ran = runner.run();
    assert_code(&ran, 0);
    eprintln!("action install: release tag to a ready binary over loopback in {} ms", ran.elapsed.as_millis());
    assert!(ran.elapsed < Duration::from_secs(20), "took {:?}", ran.elapsed);
    let sha = sha256_hex(&archive.bytes);
    assert!(ran.out.contains(&format!("{DOWNLOAD}/v1.0.0/ghcr-doctor-{LINUX_X64}.tar.gz")), "{}", ran.out);
    assert!(ran.out.contains(&format!("sha256 verified: {sha}")), "{}", ran.out);
    assert!(ran.out.contains("ghcr-doctor 1.0.0 ready at ") && ran.out.contains("(release) in "), "{}", ran.out);
    assert_eq!(
        runner.tool_cache(),
        [
            "ghcr-doctor/1.0.0/x64.complete",
            "ghcr-doctor/1.0.0/x64/README.md",
            "ghcr-doctor/1.0.0/x64/completions/ghcr-doctor.bash",
            "ghcr-doctor/1.0.0/x64/ghcr-doctor",
            "ghcr-doctor/1.0.0/x64/ghcr-doctor.1",
        ]
    );
    let bin = runner.path("toolcache/ghcr-doctor/1.0.0/x64/ghcr-doctor");
    let outputs = runner.outputs();
    assert_eq!(outputs.get("path").map(String::as_str), Some(bin.to_str().unwrap()));
    assert_eq!((outputs["version"].as_str(), outputs["source"].as_str()), ("1.0.0", "release"));
    assert_eq!(runner.temp_leftovers(), Vec::<String>::new());
    assert_eq!(runner.cargo_calls(), Vec::<String>::new());
    // github.com's redirect to the object URL was followed, for the archive and its checksum.
    let object = format!("GET /objects{DOWNLOAD}/v1.0.0/ghcr-doctor-{LINUX_X64}.tar.gz");
    assert_eq!(
        releases.requests(),
        [
            format!("GET {DOWNLOAD}/v1.0.0/ghcr-doctor-{LINUX_X64}.tar.gz"),
            object.clone(),
            format!("GET {DOWNLOAD}/v1.0.0/ghcr-doctor-{LINUX_X64}.tar.gz.sha256"),
            format!("{object}.sha256"),
        ]
    );

    // A second job on the same runner finds it in the tool cache and downloads nothing.
    std::fs::remove_file(runner.path("output")).unwrap();
    let again = runner.run();
    assert_code(&again, 0);
    assert!(again.out.contains("found ghcr-doctor 1.0.0 in the tool cache"), "{}", again.out);
    assert_eq!(runner.outputs()["source"], "cache");
    assert_eq!(releases.requests().len(), 4);
}

#[test]
fn the_version_input_overrides_the_ref() {
    let releases = Releases::start();
    linux_release(&releases, "v1.0.0");
    let mut runner = Runner::new(&releases, "main");
    runner.set("GHCR_DOCTOR_VERSION", "1.0.0");
    let ran = runner.run();
    assert_code(&ran, 0);
    assert_eq!(runner.outputs()["source"], "release");
    assert!(runner.path("toolcache/ghcr-doctor/1.0.0/x64/ghcr-doctor").is_file());
    assert_eq!(runner.cargo_calls(), Vec::<String>::new());

    // `v` in front is accepted too; something else is a usage error before any download.
    let mut bad = Runner::new(&releases, "v1.0.0");
    bad.set("GHCR_DOCTOR_VERSION", "latest");
    let ran = bad.run();
    assert_code(&ran, 2);
    assert!(ran.out.contains("the version input must be a release version such as 1.0.0 or v1.0.0, not 'latest'"));
    bad.assert_nothing_installed(&ran);
}

#[test]
fn checksum_mismatch_fails_clearly_and_installs_nothing() {
    let releases = Releases::start();
    let archive = Archive::tar_gz(LINUX_X64, "ghcr-doctor 1.0.0");
    releases.publish("v1.0.0", &archive.name, archive.bytes.clone());
    let wrong = "0".repeat(64);
    releases.publish("v1.0.0", &format!("{}.sha256", archive.name), format!("{wrong} *{}\n", archive.name).into());
    let runner = Runner::new(&releases, "v1.0.0");
    let ran = runner.run();
    assert_code(&ran, 1);
    let actual = sha256_hex(&archive.bytes);
    assert!(
        ran.out.contains(&format!(
            "::error title=ghcr-doctor install::checksum mismatch for {}: {}.sha256 says {wrong} but the download \
             has {actual}; nothing was installed",
            archive.name, archive.name
        )),
        "{}",
        ran.out
    );
    runner.assert_nothing_installed(&ran);
}

#[test]
fn a_missing_checksum_file_fails_instead_of_installing_unverified() {
    let releases = Releases::start();
    let archive = Archive::tar_gz(LINUX_X64, "ghcr-doctor 1.0.0");
    releases.publish("v1.0.0", &archive.name, archive.bytes.clone());
    let runner = Runner::new(&releases, "v1.0.0");
    let ran = runner.run();
    assert_code(&ran, 1);
    assert!(ran.out.contains("the archive cannot be verified, so nothing was installed"), "{}", ran.out);
    runner.assert_nothing_installed(&ran);
}

#[test]
fn a_tag_without_a_release_falls_back_to_cargo_install_and_says_why() {
    let releases = Releases::start();
    linux_release(&releases, "v1.0.0");
    let runner = Runner::new(&releases, "v9.9.9");
    let ran = runner.run();
    assert_code(&ran, 0);
    assert!(
        ran.out.contains(&format!(
            "the ref 'v9.9.9' has no release with ghcr-doctor-{LINUX_X64}.tar.gz ({}{DOWNLOAD}/v9.9.9/ghcr-doctor-\
             {LINUX_X64}.tar.gz answered 404), so there is no prebuilt binary to download",
            releases.base
        )),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("takes a few minutes"), "{}", ran.out);
    let root = runner.path("temp/ghcr-doctor");
    assert_eq!(
        runner.cargo_calls(),
        [format!("install --locked --path {} --root {}", env!("CARGO_MANIFEST_DIR"), root.display())]
    );
    assert!(!runner.cargo_calls()[0].contains("--quiet"));
    let outputs = runner.outputs();
    assert_eq!(outputs["path"], root.join("bin/ghcr-doctor").display().to_string());
    assert_eq!(outputs["source"], "cargo");
    assert!(ran.out.contains("ghcr-doctor 1.0.0 (from source) ready at"), "{}", ran.out);
    assert_eq!(runner.tool_cache(), Vec::<String>::new());
}

#[test]
fn a_branch_or_sha_ref_builds_from_source_without_asking_for_a_release() {
    let releases = Releases::start();
    for ref_ in ["main", "0123456789abcdef0123456789abcdef01234567"] {
        let runner = Runner::new(&releases, ref_);
        let ran = runner.run();
        assert_code(&ran, 0);
        assert!(
            ran.out
                .contains(&format!("the ref '{ref_}' is not a release tag (vX.Y.Z), so there is no prebuilt binary")),
            "{}",
            ran.out
        );
        let pin = format!("Pin a release tag (uses: acme/ghcr-doctor@v{})", env!("CARGO_PKG_VERSION"));
        assert!(ran.out.contains(&pin), "{}", ran.out);
        assert_eq!(runner.cargo_calls().len(), 1);
        assert_eq!(runner.outputs()["source"], "cargo");
    }
    assert_eq!(releases.requests(), Vec::<String>::new());
}

#[test]
fn an_explicit_version_without_a_release_fails_instead_of_building_other_source() {
    let releases = Releases::start();
    let mut runner = Runner::new(&releases, "main");
    runner.set("GHCR_DOCTOR_VERSION", "v9.9.9");
    let ran = runner.run();
    assert_code(&ran, 1);
    assert!(ran.out.contains("there is no release v9.9.9 of acme/ghcr-doctor with"), "{}", ran.out);
    runner.assert_nothing_installed(&ran);
}

#[test]
fn a_truncated_download_fails_and_leaves_no_half_installed_binary() {
    let releases = Releases::start();
    let archive = linux_release(&releases, "v1.0.0");
    releases.truncate("v1.0.0", &archive.name);
    let runner = Runner::new(&releases, "v1.0.0");
    let ran = runner.run();
    assert_code(&ran, 1);
    assert!(
        ran.out.contains(&format!(
            "downloading {}{DOWNLOAD}/v1.0.0/{} failed (curl exit code 18, HTTP status 200); nothing was installed",
            releases.base, archive.name
        )),
        "{}",
        ran.out
    );
    assert!(releases.requests().iter().any(|r| r.starts_with("GET truncating:/objects")), "{:?}", releases.requests());
    runner.assert_nothing_installed(&ran);
}

#[test]
fn a_binary_that_does_not_run_is_not_installed() {
    let releases = Releases::start();
    releases.publish_archive("v1.0.0", &Archive::tar_gz_with(LINUX_X64, "#!/bin/sh\nexit 126\n"));
    let runner = Runner::new(&releases, "v1.0.0");
    let ran = runner.run();
    assert_code(&ran, 1);
    assert!(
        ran.out.contains("the downloaded ghcr-doctor does not run on this runner; nothing was installed"),
        "{}",
        ran.out
    );
    runner.assert_nothing_installed(&ran);
}

#[test]
fn an_unsupported_os_or_arch_names_the_supported_ones() {
    let releases = Releases::start();
    linux_release(&releases, "v1.0.0");
    for (os, arch) in [("Linux", "ARM"), ("Windows", "ARM64"), ("Linux", "X86"), ("FreeBSD", "X64")] {
        let mut runner = Runner::new(&releases, "v1.0.0");
        runner.set("RUNNER_OS", os).set("RUNNER_ARCH", arch);
        let ran = runner.run();
        assert_code(&ran, 2);
        assert!(
            ran.out.contains(&format!(
                "no ghcr-doctor release is built for RUNNER_OS='{os}' RUNNER_ARCH='{arch}'; releases exist for: \
                 Linux X64, Linux ARM64, macOS X64, macOS ARM64, Windows X64."
            )),
            "{}",
            ran.out
        );
        runner.assert_nothing_installed(&ran);
    }
    assert_eq!(releases.requests(), Vec::<String>::new());
}

#[test]
fn each_supported_runner_gets_its_own_dist_archive() {
    let releases = Releases::start();
    let cases = [
        ("Linux", "ARM64", "aarch64-unknown-linux-musl", "arm64", "ghcr-doctor"),
        ("macOS", "X64", "x86_64-apple-darwin", "x64", "ghcr-doctor"),
        ("macOS", "ARM64", "aarch64-apple-darwin", "arm64", "ghcr-doctor"),
        ("Windows", "X64", "x86_64-pc-windows-msvc", "x64", "ghcr-doctor.exe"),
    ];
    for (os, arch, target, cache_arch, exe) in cases {
        if os == "Windows" && !have("zip") {
            continue;
        }
        let archive = if os == "Windows" {
            Archive::zip(target, "ghcr-doctor 1.0.0")
        } else {
            Archive::tar_gz(target, "ghcr-doctor 1.0.0")
        };
        releases.publish_archive("v1.0.0", &archive);
        let mut runner = Runner::new(&releases, "v1.0.0");
        runner.set("RUNNER_OS", os).set("RUNNER_ARCH", arch);
        let ran = runner.run();
        assert_code(&ran, 0);
        assert!(ran.out.contains(&format!("{DOWNLOAD}/v1.0.0/{}", archive.name)), "{}", ran.out);
        assert!(runner.path(&format!("toolcache/ghcr-doctor/1.0.0/{cache_arch}/{exe}")).is_file(), "{os} {arch}");
        assert!(runner.path(&format!("toolcache/ghcr-doctor/1.0.0/{cache_arch}.complete")).is_file());
    }
}

#[test]
fn the_ref_and_repository_come_from_the_checkout_path_or_cargo_toml_when_the_context_is_empty() {
    let releases = Releases::start();
    linux_release(&releases, "v1.0.0");
    // github.action_ref/_repository empty (actions/runner#2473): the runner's checkout path
    // _actions/OWNER/REPO/REF still says both.
    let mut runner = Runner::new(&releases, "");
    runner
        .unset("GHCR_DOCTOR_ACTION_REPOSITORY")
        .set("GITHUB_ACTION_PATH", "/home/runner/work/_actions/acme/ghcr-doctor/v1.0.0");
    let ran = runner.run();
    assert_code(&ran, 0);
    assert_eq!(runner.outputs()["source"], "release");

    // No repository anywhere: Cargo.toml's `repository`, the one place the project names it.
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let repository = manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = \"https://github.com/"))
        .and_then(|r| r.strip_suffix('"'))
        .expect("Cargo.toml [workspace.package] repository = \"https://github.com/OWNER/REPO\"");
    let archive = Archive::tar_gz(LINUX_X64, "ghcr-doctor 1.0.0");
    releases.publish_in(repository, "v1.0.0", &archive.name, archive.bytes.clone());
    releases.publish_in(repository, "v1.0.0", &format!("{}.sha256", archive.name), archive.sha256_file().into());
    let mut runner = Runner::new(&releases, "v1.0.0");
    runner.unset("GHCR_DOCTOR_ACTION_REPOSITORY").unset("GITHUB_ACTION_PATH");
    let ran = runner.run();
    assert_code(&ran, 0);
    assert!(ran.out.contains(&format!("/{repository}/releases/download/v1.0.0/{}", archive.name)), "{}", ran.out);
    assert_eq!(runner.outputs()["source"], "release");
}

#[test]
fn the_base_url_override_is_refused_unless_it_is_loopback() {
    let releases = Releases::start();
    for url in ["http://example.com", "https://127.0.0.1", "http://127.0.0.1.example.com", "http://10.0.0.1:8080"] {
        let mut runner = Runner::new(&releases, "v1.0.0");
        runner.set("GHCR_DOCTOR_RELEASE_BASE_URL", url);
        let ran = runner.run();
        assert_code(&ran, 2);
        assert!(
            ran.out.contains("GHCR_DOCTOR_RELEASE_BASE_URL is only for tests and must be http://127.0.0.1"),
            "{}",
            ran.out
        );
        runner.assert_nothing_installed(&ran);
    }
    assert_eq!(releases.requests(), Vec::<String>::new());
}

#[test]
fn the_script_passes_shellcheck() {
    if !have("shellcheck") {
        return;
    }
    let out = Command::new("shellcheck").arg(SCRIPT).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
