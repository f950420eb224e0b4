//! The test harness: runs the real `ghcr-doctor` binary with a cleared environment, a temporary
//! HOME, fake `gh`/`docker` on PATH, a listening docker socket, and the loopback GitHub API and
//! registry from testkit. Also redaction of run-specific values (ports, temp paths, timings, the
//! version) for snapshots, and the secret scan every scenario goes through.

use std::collections::BTreeMap;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ghcr_doctor_testkit::{
    ApiServer, CredHelperFake, DockerFake, FakeBin, GhFake, RegistryServer, SharedWorld, fixtures,
};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_ghcr-doctor");

/// One prepared machine for the doctor to look at.
pub struct Doctor {
    pub home: tempfile::TempDir,
    pub bin: FakeBin,
    pub world: SharedWorld,
    pub api: ApiServer,
    pub registry: RegistryServer,
    env: BTreeMap<String, String>,
    _socket: UnixListener,
}

/// What one run printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON, validated against the committed schema of its kind.
    pub fn json(&self) -> Value {
        parse_output_json(self.stdout.as_bytes())
    }
}

/// A machine-readable output of the doctor, parsed and validated against the committed JSON
/// Schema of its kind (`docs/schema/report.schema.json` for `check --json`, `explain.schema.json`,
/// `list.schema.json`): every test that reads one proves the contract holds.
pub fn parse_output_json(stdout: &[u8]) -> Value {
    let text = String::from_utf8_lossy(stdout);
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{text}"));
    let schema = if value.get("next_steps").is_some() {
        "report.schema.json"
    } else if value.get("matches").is_some() || value.get("text").is_some() {
        "explain.schema.json"
    } else {
        "list.schema.json"
    };
    assert_valid(schema, &value);
    value
}

/// Panics with every violation when `value` does not validate against `docs/schema/NAME`.
pub fn assert_valid(name: &str, value: &Value) {
    let errors = schema_errors(name, value);
    assert!(errors.is_empty(), "output does not match {name}:\n{}\n{value:#}", errors.join("\n"));
}

/// Every violation of `docs/schema/NAME` in `value`.
pub fn schema_errors(name: &str, value: &Value) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema").join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name} is not a schema: {e}"));
    validator.iter_errors(value).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

impl Doctor {
    /// gh 2.45 logged in as octocat with `read:packages`, docker running and logged in to
    /// ghcr.io with the same token through a credential helper, the standard world.
    pub fn new() -> Doctor {
        let home = tempfile::tempdir().unwrap();
        let bin = FakeBin::new().unwrap();
        let world = SharedWorld::new(fixtures::standard_world());
        let api = ApiServer::start(world.clone()).unwrap();
        let registry = RegistryServer::start(world.clone()).unwrap();
        let socket_path = home.path().join("docker.sock");
        let socket = UnixListener::bind(&socket_path).unwrap();
        // PATH: the fakes, then only the few utilities they use, so that a real gh or docker
        // installed on this machine is never found by accident.
        let tools = home.path().join(".tools");
        std::fs::create_dir_all(&tools).unwrap();
        for tool in ["cat", "sleep", "head", "tr"] {
            std::os::unix::fs::symlink(Path::new("/bin").join(tool), tools.join(tool)).unwrap();
        }
        let mut env = BTreeMap::new();
        env.insert("HOME".into(), home.path().display().to_string());
        env.insert("PATH".into(), format!("{}:{}", bin.dir().display(), tools.display()));
        env.insert("DOCKER_HOST".into(), format!("unix://{}", socket_path.display()));
        env.insert("GHCR_DOCTOR_API_URL".into(), api.base_url().to_owned());
        env.insert("GHCR_DOCTOR_REGISTRY_URL".into(), registry.base_url().to_owned());
        let doctor = Doctor { home, bin, world, api, registry, env, _socket: socket };
        doctor.gh(GhFake::with_version("2.45.0 (2024-03-04)", "v2.45.0").token("github.com", fixtures::GHO_OCTOCAT));
        doctor.docker(DockerFake::running());
        doctor.docker_helper_login("octocat", fixtures::GHO_OCTOCAT);
        doctor
    }

    pub fn gh(&self, spec: GhFake) -> &Self {
        self.bin.gh(&spec).unwrap();
        self
    }

    pub fn no_gh(&self) -> &Self {
        let _ = std::fs::remove_file(self.bin.dir().join("gh"));
        self
    }

    pub fn docker(&self, spec: DockerFake) -> &Self {
        self.bin.docker(&spec).unwrap();
        self
    }

    pub fn no_docker(&self) -> &Self {
        let _ = std::fs::remove_file(self.bin.dir().join("docker"));
        self
    }

    pub fn docker_config_path(&self) -> PathBuf {
        self.home.path().join(".docker/config.json")
    }

    pub fn docker_config(&self, json: &str) -> &Self {
        let path = self.docker_config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, json).unwrap();
        self
    }

    /// docker logged in to ghcr.io through the `fake` credential helper.
    pub fn docker_helper_login(&self, user: &str, secret: &str) -> &Self {
        self.bin.credential_helper("fake", &CredHelperFake::new().entry("ghcr.io", user, secret)).unwrap();
        self.docker_config(r#"{"credsStore": "fake"}"#)
    }

    /// docker logged in to ghcr.io with the credentials in config.json itself (base64).
    pub fn docker_plaintext_login(&self, user: &str, secret: &str) -> &Self {
        let auth = ghcr_doctor_testkit::http::base64_encode(format!("{user}:{secret}").as_bytes());
        self.docker_config(&format!(
            "{{\n\t\"auths\": {{\n\t\t\"ghcr.io\": {{\n\t\t\t\"auth\": \"{auth}\"\n\t\t}}\n\t}}\n}}"
        ))
    }

    pub fn docker_logged_out(&self) -> &Self {
        self.docker_config("{}")
    }

    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.into(), value.into());
        self
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args).env_clear().envs(&self.env).current_dir(self.home.path()).stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().expect("run ghcr-doctor");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_no_secret(&run.stdout);
        assert_no_secret(&run.stderr);
        run
    }

    /// Replaces what differs between runs (ports, temp paths) with stable names.
    pub fn redact(&self, text: &str) -> String {
        // The version too, so that a release bump does not rewrite every snapshot.
        // How the daemon is started depends on whether this machine runs systemd (the evaluation
        // tests pin both); snapshots must not.
        text.replace(concat!("ghcr-doctor ", env!("CARGO_PKG_VERSION")), "ghcr-doctor [version]")
            .replace("sudo systemctl start docker", "[start the docker service]")
            .replace("sudo service docker start", "[start the docker service]")
            .replace(self.registry.base_url().trim_end_matches('/'), "http://REGISTRY")
            .replace(self.api.base_url().trim_end_matches('/'), "http://API")
            .replace(&self.home.path().display().to_string(), "$HOME")
            .replace(&self.bin.dir().display().to_string(), "$BIN")
    }

    /// Every file under HOME with its bytes (to prove a run changed nothing).
    pub fn home_snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(self.home.path(), &mut files);
        files
    }
}

fn collect(dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            collect(&path, files);
        } else if kind.is_file() {
            files.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
}

/// Fails when any fixture token appears in `text`.
pub fn assert_no_secret(text: &str) {
    for token in fixtures::ALL_TOKENS {
        assert!(!text.contains(token), "a token leaked into the output:\n{text}");
        // Not even the secret part after the prefix.
        let (_, body) = token.split_once('_').unwrap();
        assert!(!text.contains(body), "a token's body leaked into the output:\n{text}");
    }
}

/// Zeroes `duration_ms` so JSON snapshots are stable.
pub fn stable_json(mut v: Value) -> Value {
    if let Some(checks) = v.get_mut("checks").and_then(Value::as_array_mut) {
        for c in checks {
            c["duration_ms"] = Value::from(0);
        }
    }
    if let Some(version) = v.get_mut("tool_version") {
        *version = Value::from("VERSION");
    }
    v
}
