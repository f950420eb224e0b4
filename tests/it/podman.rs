//! podman (and skopeo) as the client, with Debian's real `podman` and `skopeo` against testkit's
//! loopback registry: credentials written by the real `podman login --password-stdin`, and the
//! doctor must find the same file, key and user that `podman login --get-login` and `skopeo login
//! --get-login` report (`REGISTRY_AUTH_FILE`, `${XDG_RUNTIME_DIR}/containers/auth.json`, a
//! namespace key); a pull that skopeo can or cannot make is the one the doctor passes or fails;
//! podman chosen automatically when docker is not installed, with no docker-daemon failure; no
//! token in any output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ghcr_doctor_testkit::fixtures::{GHO_OCTOCAT, GHP_WRITE};
use ghcr_doctor_testkit::real_docker::{CmdOutput, run};
use serde_json::Value;

use crate::harness::{Doctor, assert_no_secret};

const PODMAN: &str = "/usr/bin/podman";
const SKOPEO: &str = "/usr/bin/skopeo";
const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

/// A doctor whose machine has podman and no docker, and the real tools' environment beside it.
struct Machine {
    d: Doctor,
    /// What podman and skopeo run with (HOME, XDG_RUNTIME_DIR, REGISTRY_AUTH_FILE, PATH).
    env: BTreeMap<String, String>,
    /// podman's storage, outside HOME (a `check` must leave HOME as it was).
    _storage: tempfile::TempDir,
    storage: PathBuf,
}

impl Machine {
    fn new() -> Machine {
        assert!(Path::new(PODMAN).is_file() && Path::new(SKOPEO).is_file(), "Debian's podman and skopeo are required");
        let mut d = Doctor::new();
        d.no_docker();
        std::os::unix::fs::symlink(PODMAN, d.bin.dir().join("podman")).unwrap();
        let runtime = d.home.path().join("run");
        fs::create_dir_all(&runtime).unwrap();
        d.env("XDG_RUNTIME_DIR", &runtime.display().to_string()).env("GHCR_DOCTOR_LANG", "en");
        let storage = tempfile::tempdir().unwrap();
        let mut env = BTreeMap::new();
        env.insert("HOME".to_owned(), d.home.path().display().to_string());
        env.insert("XDG_RUNTIME_DIR".to_owned(), runtime.display().to_string());
        // The doctor's fake bin first: the credential helpers the tests install are found there.
        env.insert("PATH".to_owned(), format!("{}:/usr/bin:/bin", d.bin.dir().display()));
        let mut m = Machine { d, env, storage: storage.path().to_owned(), _storage: storage };
        // Every podman started here (also the one `fix` runs) keeps its storage in the temp dir,
        // not in /var/lib/containers.
        let conf = m.storage.join("storage.conf");
        let (root, runroot) = (m.storage.join("root"), m.storage.join("runroot"));
        let text = format!(
            "[storage]\ndriver = \"vfs\"\ngraphroot = \"{}\"\nrunroot = \"{}\"\n",
            root.display(),
            runroot.display()
        );
        fs::write(&conf, text).unwrap();
        m.set("CONTAINERS_STORAGE_CONF", &conf);
        m
    }

    /// Sets a variable for the doctor and the real tools alike.
    fn set(&mut self, key: &str, value: &Path) {
        self.d.env(key, &value.display().to_string());
        self.env.insert(key.to_owned(), value.display().to_string());
    }

    fn registry(&self) -> String {
        self.d.registry.host()
    }

    fn tool(&self, program: &str, args: &[&str], stdin: Option<&str>) -> CmdOutput {
        let mut cmd = Command::new(program);
        if program == PODMAN {
            let root = self.storage.join("root");
            let runroot = self.storage.join("runroot");
            cmd.arg("--root").arg(root).arg("--runroot").arg(runroot).args(["--storage-driver", "vfs"]);
        }
        cmd.args(args).env_clear().envs(&self.env).current_dir(self.d.home.path());
        let out = run(&mut cmd, stdin.map(str::as_bytes), TOOL_TIMEOUT).expect("the tool runs");
        assert_no_secret(&out.stdout);
        assert_no_secret(&out.stderr);
        out
    }

    /// The real `podman login --password-stdin` to `key` (a host or a namespace).
    fn login(&self, key: &str, user: &str, token: &str) {
        let out = self.tool(PODMAN, &["login", "--tls-verify=false", "-u", user, "--password-stdin", key], Some(token));
        assert!(out.success(), "podman login {key}: {}", out.describe());
    }

    /// What `podman login --get-login KEY` says (`None` when not logged in).
    fn get_login(&self, program: &str, key: &str) -> Option<String> {
        let out = self.tool(program, &["login", "--get-login", key], None);
        out.success().then(|| out.stdout.trim().to_owned())
    }

    /// `check --json IMAGE`: the report, HOME unchanged by it.
    fn check(&self, image: &str) -> Value {
        let before = self.d.home_snapshot();
        let r = self.d.run(&["check", "--json", image]);
        assert_eq!(before, self.d.home_snapshot(), "check changed a file under HOME");
        let json = r.json();
        assert_eq!(json["client"], "podman", "{json:#}");
        json
    }
}

fn outcome(report: &Value, id: &str) -> Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap_or_default()
}

/// The doctor's view of the credential: (auth file, user).
fn doctor_credential(report: &Value) -> (String, String) {
    let creds = outcome(report, "docker-credentials");
    let evidence = &creds["evidence"];
    (evidence["config"].as_str().unwrap_or("").to_owned(), evidence["username"].as_str().unwrap_or("").to_owned())
}

#[test]
fn podman_login_in_xdg_runtime_dir_is_found_and_needs_no_daemon() {
    let m = Machine::new();
    let registry = m.registry();
    m.login(&registry, "octocat", GHO_OCTOCAT);
    // podman login writes the primary file, `${XDG_RUNTIME_DIR}/containers/auth.json`.
    let primary = m.d.home.path().join("run/containers/auth.json");
    assert!(primary.is_file(), "podman login wrote elsewhere");
    let stored = fs::read_to_string(&primary).unwrap();
    assert!(stored.contains(&format!("\"{registry}\"")), "{stored}");
    assert_eq!(m.get_login(PODMAN, &registry).as_deref(), Some("octocat"));
    assert_eq!(m.get_login(SKOPEO, &registry).as_deref(), Some("octocat"));

    let report = m.check(&format!("{registry}/acme/app:latest"));
    assert_eq!(doctor_credential(&report), (primary.display().to_string(), "octocat".to_owned()));
    let creds = outcome(&report, "docker-credentials");
    assert_eq!(creds["status"], "pass", "{creds:#}");
    assert!(creds["message"].as_str().unwrap().starts_with("podman sends"), "{creds:#}");
    let daemon = outcome(&report, "docker-daemon");
    assert_eq!(daemon["status"], "pass", "{daemon:#}");
    assert!(daemon["message"].as_str().unwrap().contains("podman needs no daemon"), "{daemon:#}");
    assert_eq!(outcome(&report, "registry-access")["status"], "pass", "{report:#}");
    // skopeo, reading the same files, gets the manifest: the pull the doctor passes.
    let inspect = m.tool(
        SKOPEO,
        &["inspect", "--raw", "--tls-verify=false", &format!("docker://{registry}/acme/app:latest")],
        None,
    );
    assert!(inspect.success(), "{}", inspect.describe());

    // The human report names podman in its header and never mentions a daemon to start.
    let human = m.d.run(&["check", &format!("{registry}/acme/app:latest")]);
    assert!(human.stdout.lines().next().unwrap().contains("with podman"), "{}", human.stdout);
    assert!(!human.stdout.contains("systemctl") && !human.stdout.contains("dockerd"), "{}", human.stdout);
}

#[test]
fn registry_auth_file_comes_first_as_podman_and_skopeo_say() {
    let mut m = Machine::new();
    let registry = m.registry();
    // A login in the primary file, then another one in REGISTRY_AUTH_FILE, which wins.
    m.login(&registry, "decoy", GHP_WRITE);
    let own = m.d.home.path().join("auth/own.json");
    fs::create_dir_all(own.parent().unwrap()).unwrap();
    m.set("REGISTRY_AUTH_FILE", &own);
    m.login(&registry, "octocat", GHO_OCTOCAT);
    assert!(own.is_file(), "podman login did not write REGISTRY_AUTH_FILE");
    assert_eq!(m.get_login(PODMAN, &registry).as_deref(), Some("octocat"));
    assert_eq!(m.get_login(SKOPEO, &registry).as_deref(), Some("octocat"));
    let report = m.check(&format!("{registry}/acme/app:latest"));
    assert_eq!(doctor_credential(&report), (own.display().to_string(), "octocat".to_owned()));

    // REGISTRY_AUTH_FILE takes the primary file's place: with nothing for the host there, the
    // login in `${XDG_RUNTIME_DIR}/containers/auth.json` is not read at all.
    fs::write(&own, r#"{"auths":{}}"#).unwrap();
    assert_eq!(m.get_login(PODMAN, &registry), None);
    assert_eq!(m.get_login(SKOPEO, &registry), None);
    let report = m.check(&format!("{registry}/acme/app:latest"));
    assert_eq!(doctor_credential(&report), (own.display().to_string(), String::new()));
    assert_eq!(outcome(&report, "docker-credentials")["cause"], "no-credentials", "{report:#}");
    // But Debian's podman 4.3.1 reads on past it, to docker's config.json (newer
    // containers/image reads only REGISTRY_AUTH_FILE: UNCONFIRMED, and not what this podman does).
    let auth = ghcr_doctor_testkit::http::base64_encode(format!("docker-user:{GHO_OCTOCAT}").as_bytes());
    m.d.docker_config(&format!(r#"{{"credsStore":"fake","auths":{{"{registry}":{{"auth":"{auth}"}}}}}}"#));
    assert_eq!(m.get_login(PODMAN, &registry).as_deref(), Some("docker-user"));
    assert_eq!(m.get_login(SKOPEO, &registry).as_deref(), Some("docker-user"));
    let report = m.check(&format!("{registry}/acme/app:latest"));
    let docker_config = m.d.docker_config_path().display().to_string();
    assert_eq!(doctor_credential(&report), (docker_config, "docker-user".to_owned()));
}

#[test]
fn a_namespace_key_wins_for_its_images_only() {
    let m = Machine::new();
    let registry = m.registry();
    m.login(&registry, "host-user", GHP_WRITE);
    // podman logs in to a namespace as well (`podman login HOST/NAMESPACE`).
    m.login(&format!("{registry}/acme"), "acme-user", GHO_OCTOCAT);
    let primary = m.d.home.path().join("run/containers/auth.json");
    let stored: Value = serde_json::from_str(&fs::read_to_string(&primary).unwrap()).unwrap();
    assert!(stored["auths"].get(format!("{registry}/acme")).is_some(), "{stored}");
    for (image, user, key) in [
        ("acme/app:latest", "acme-user", format!("{registry}/acme")),
        ("octocat/hello:latest", "host-user", registry.clone()),
    ] {
        let repository = image.split(':').next().unwrap();
        assert_eq!(m.get_login(PODMAN, &format!("{registry}/{repository}")).as_deref(), Some(user), "{image}");
        assert_eq!(m.get_login(SKOPEO, &format!("{registry}/{repository}")).as_deref(), Some(user), "{image}");
        let report = m.check(&format!("{registry}/{image}"));
        assert_eq!(doctor_credential(&report), (primary.display().to_string(), user.to_owned()), "{image}");
        let creds = outcome(&report, "docker-credentials");
        assert_eq!(creds["evidence"]["auth_key"], key.as_str(), "{creds:#}");
        assert!(creds["message"].as_str().unwrap().contains(&format!("key `{key}`")), "{creds:#}");
    }
}

#[test]
fn a_revoked_token_fails_skopeo_and_the_doctor_alike_with_podman_fixes() {
    let m = Machine::new();
    let registry = m.registry();
    // A login that worked, then GitHub revoked the token (the stale-copy trap).
    m.login(&registry, "octocat", GHO_OCTOCAT);
    m.d.world.edit(|w| w.token_mut(GHO_OCTOCAT).unwrap().valid = false);
    let image = format!("{registry}/acme/app:latest");
    let inspect = m.tool(SKOPEO, &["inspect", "--raw", "--tls-verify=false", &format!("docker://{image}")], None);
    assert!(!inspect.success(), "skopeo should be refused: {}", inspect.describe());
    let report = m.check(&image);
    assert_eq!(report["status"], "fail", "{report:#}");
    assert_eq!(outcome(&report, "docker-daemon")["status"], "pass");
    let steps: Vec<&str> = report["next_steps"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(
        steps.iter().any(|s| s.ends_with(&format!("| podman login {registry} -u octocat --password-stdin"))),
        "{steps:?}"
    );
    assert!(steps.contains(&format!("podman pull {image}").as_str()), "{steps:?}");
    assert!(steps.iter().all(|s| !s.contains("docker")), "{steps:?}");
    // A malformed auth file: podman refuses to go on, and the doctor names the file.
    let primary = m.d.home.path().join("run/containers/auth.json");
    fs::write(&primary, "{\"auths\": {").unwrap();
    assert_eq!(m.get_login(PODMAN, &registry), None);
    let report = m.check(&image);
    let creds = outcome(&report, "docker-credentials");
    assert_eq!((creds["status"].as_str(), creds["cause"].as_str()), (Some("fail"), Some("malformed-docker-config")));
    assert!(creds["message"].as_str().unwrap().contains(&primary.display().to_string()), "{creds:#}");
}

#[test]
fn docker_on_path_stays_the_default_and_client_podman_without_podman_says_so() {
    let d = Doctor::new();
    let r = d.run(&["check", "--json", "ghcr.io/acme/app:latest"]);
    assert_eq!(r.json()["client"], "docker");
    let r = d.run(&["check", "--json", "--client", "podman", "ghcr.io/acme/app:latest"]);
    let report = r.json();
    assert_eq!(report["client"], "podman");
    let daemon = outcome(&report, "docker-daemon");
    assert_eq!((daemon["status"].as_str(), daemon["cause"].as_str()), (Some("fail"), Some("podman-missing")));
    let bad = d.run(&["check", "--client", "nerdctl"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn setup_docker_makes_podman_ask_gh_through_its_own_auth_file_and_undoes() {
    let mut m = Machine::new();
    std::os::unix::fs::symlink(crate::credential_helper::HELPER, m.d.bin.dir().join("docker-credential-ghcr-doctor"))
        .unwrap();
    // The helper maps the loopback registry to github.com (as for docker's tests).
    let url = m.d.registry.base_url().to_owned();
    m.env.insert("GHCR_DOCTOR_REGISTRY_URL".to_owned(), url);
    let registry = m.registry();
    let image = format!("{registry}/acme/app:latest");
    m.login(&registry, "octocat", GHO_OCTOCAT);
    let primary = m.d.home.path().join("run/containers/auth.json");
    let original: Value = serde_json::from_str(&fs::read_to_string(&primary).unwrap()).unwrap();
    let docker_config = fs::read(m.d.docker_config_path()).unwrap();

    let r = m.d.run(&["setup-docker", "--yes", &image]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&primary.display().to_string()), "the podman file is named: {}", r.stdout);
    assert!(r.stdout.contains("so podman asks gh"), "{}", r.stdout);
    assert!(r.stdout.contains("pull probe through the helper succeeded"), "{}", r.stdout);
    let now: Value = serde_json::from_str(&fs::read_to_string(&primary).unwrap()).unwrap();
    assert_eq!(now["credHelpers"][&registry], "ghcr-doctor", "{now}");
    assert!(now["auths"].get(&registry).is_none(), "the copy is gone: {now}");
    let backup = primary.with_file_name("auth.json.ghcr-doctor-backup");
    assert_eq!(serde_json::from_str::<Value>(&fs::read_to_string(&backup).unwrap()).unwrap(), original);
    assert_eq!(fs::read(m.d.docker_config_path()).unwrap(), docker_config, "docker's config.json is not podman's");
    // podman itself now asks the helper (its user name is the helper's), and skopeo can pull.
    assert_eq!(m.get_login(PODMAN, &registry).as_deref(), Some("ghcr-doctor"));
    let inspect = m.tool(SKOPEO, &["inspect", "--raw", "--tls-verify=false", &format!("docker://{image}")], None);
    assert!(inspect.success(), "{}", inspect.describe());
    let report = m.check(&image);
    let creds = outcome(&report, "docker-credentials");
    assert!(creds["message"].as_str().unwrap().starts_with("podman asks gh for"), "{creds:#}");
    assert!(fs::read_to_string(&primary).unwrap().find("gho_").is_none(), "no token in the file");

    let r = m.d.run(&["setup-docker", "--undo", &image]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let restored: Value = serde_json::from_str(&fs::read_to_string(&primary).unwrap()).unwrap();
    assert_eq!(restored, original);
    assert_eq!(m.get_login(PODMAN, &registry).as_deref(), Some("octocat"));
}

/// The real pull: Debian's podman pulls from the real distribution registry behind testkit's
/// token service (rootful, `--storage-driver vfs`, storage in a temp dir), and the doctor's
/// verdict is the pull's, before and after GitHub revokes the token podman holds.
#[test]
fn real_podman_pull_matches_the_verdict() {
    use ghcr_doctor_testkit::RealRegistry;
    use ghcr_doctor_testkit::real_docker::DOCKER_REGISTRY;

    assert!(Path::new(DOCKER_REGISTRY).is_file(), "Debian's docker-registry is required");
    let mut m = Machine::new();
    let real = RealRegistry::start(m.d.world.clone()).expect("the real registry starts");
    m.d.env("GHCR_DOCTOR_REGISTRY_URL", &real.url());
    let registry = real.host();
    let image = format!("{registry}/acme/tools/cli:1.0");
    // A 9-byte image, imported and pushed by podman itself (octocat may write acme/tools/cli).
    let rootfs = m.storage.join("rootfs");
    fs::create_dir_all(&rootfs).unwrap();
    fs::write(rootfs.join("hello.txt"), "ghcr-doc\n").unwrap();
    let tarball = m.storage.join("tiny.tar");
    let tar =
        run(Command::new("/bin/tar").arg("-C").arg(&rootfs).arg("-cf").arg(&tarball).arg("."), None, TOOL_TIMEOUT)
            .unwrap();
    assert!(tar.success(), "{}", tar.describe());
    let import = m.tool(PODMAN, &["import", &tarball.display().to_string(), &image], None);
    assert!(import.success(), "{}", import.describe());
    m.login(&registry, "octocat", GHP_WRITE);
    let push = m.tool(PODMAN, &["push", "--tls-verify=false", &image], None);
    assert!(push.success(), "{}\n{}", push.describe(), real.log());
    let rmi = m.tool(PODMAN, &["rmi", &image], None);
    assert!(rmi.success(), "{}", rmi.describe());
    // The developer's own login: gh's read token.
    m.login(&registry, "octocat", GHO_OCTOCAT);

    let report = m.check(&image);
    assert_eq!(outcome(&report, "registry-access")["status"], "pass", "{report:#}");
    assert_eq!(outcome(&report, "docker-daemon")["status"], "pass", "{report:#}");
    let pull = m.tool(PODMAN, &["pull", "--tls-verify=false", &image], None);
    assert!(pull.success(), "podman pull: {}\n{}", pull.describe(), real.log());
    let rmi = m.tool(PODMAN, &["rmi", &image], None);
    assert!(rmi.success(), "{}", rmi.describe());

    m.d.world.edit(|w| w.token_mut(GHO_OCTOCAT).unwrap().valid = false);
    let report = m.check(&image);
    assert_eq!(report["status"], "fail", "{report:#}");
    let pull = m.tool(PODMAN, &["pull", "--tls-verify=false", &image], None);
    assert!(!pull.success(), "a revoked token should not pull: {}", pull.describe());
    let steps: Vec<&str> = report["next_steps"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(steps.contains(&format!("podman pull {image}").as_str()), "{steps:?}");
}

#[test]
fn fix_logs_podman_in_again_with_gh_token_through_a_pipe() {
    let mut m = Machine::new();
    let registry = m.registry();
    // podman may speak plain HTTP to the loopback registry (the doctor's `podman login` has no
    // `--tls-verify=false`): a registries.conf of this test's own, for podman and the doctor.
    let conf = m.storage.join("registries.conf");
    fs::write(&conf, format!("[[registry]]\nlocation = \"{registry}\"\ninsecure = true\n")).unwrap();
    m.set("CONTAINERS_REGISTRIES_CONF", &conf);
    m.login(&registry, "octocat", GHO_OCTOCAT);
    // GitHub revoked that token; gh now holds a fresh one.
    m.d.world.edit(|w| w.token_mut(GHO_OCTOCAT).unwrap().valid = false);
    m.d.gh(ghcr_doctor_testkit::GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", GHP_WRITE));
    let image = format!("{registry}/acme/app:latest");
    let r = m.d.run(&["fix", "--yes", &image]);
    assert!(
        r.stdout.contains(&format!("gh auth token | podman login {registry} -u octocat --password-stdin")),
        "{}",
        r.stdout
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let primary = m.d.home.path().join("run/containers/auth.json");
    assert!(r.stdout.contains(&primary.display().to_string()), "the changed file is named: {}", r.stdout);
    assert_eq!(m.get_login(PODMAN, &registry).as_deref(), Some("octocat"));
    let inspect = m.tool(SKOPEO, &["inspect", "--raw", "--tls-verify=false", &format!("docker://{image}")], None);
    assert!(inspect.success(), "the new login pulls: {}", inspect.describe());
    assert_eq!(outcome(&m.check(&image), "docker-credentials")["status"], "pass");
}
