//! The docker CLI and its daemon: `which docker`, the endpoint docker will use and where that
//! choice came from (ghcr-facts §5.3), what a connect to a `unix://` socket shows, and
//! `docker version --format '{{json .}}'`.
//!
//! docker 28 gives one message for a missing socket, a stale socket and a regular file
//! (real-behaviour §4.3 item 6), so the socket is examined here directly. docker hangs forever
//! against an endpoint that accepts but never answers: every docker call has the timeout.

use std::thread;
use std::time::Duration;

use ghcr_doctor_checks::{DockerEndpoint, DockerFacts, Probe, SocketState};

use crate::Settings;
use crate::credentials::DockerConfig;
use crate::process::{find_program, lossy, run_process};

/// docker's default daemon address on this OS.
pub(crate) fn default_host() -> &'static str {
    if cfg!(windows) { "npipe:////./pipe/docker_engine" } else { "unix:///var/run/docker.sock" }
}

pub(crate) fn gather(config: &DockerConfig, settings: &Settings) -> Probe<DockerFacts> {
    let path = find_program("docker", &settings.env);
    let has_docker = path.is_some();
    let (endpoint, socket, version) = thread::scope(|s| {
        // `docker version` does not depend on the endpoint we work out: run it alongside.
        let version = s.spawn(|| {
            if !has_docker {
                return Probe::Skipped;
            }
            match run_process("docker", &["version", "--format", "{{json .}}"], None, &settings.env, settings.timeout) {
                Ok(out) => Probe::Done(out.to_output()),
                Err(e) => Probe::Failed(e),
            }
        });
        let endpoint = endpoint(config, has_docker, settings);
        let socket = endpoint.url.strip_prefix("unix://").and_then(|p| socket_state(p, settings.timeout));
        let version = version.join().unwrap_or(Probe::Skipped);
        (endpoint, socket, version)
    });
    let systemd = std::path::Path::new("/run/systemd/system").is_dir();
    Probe::Done(DockerFacts { path: path.map(|p| p.display().to_string()), endpoint, socket, version, systemd })
}

/// `DOCKER_HOST` > `DOCKER_CONTEXT` > `currentContext` in config.json > the default. A named
/// context's address comes from `docker context inspect`; it is empty when that fails (no docker,
/// unknown context), and then `docker version`'s stderr says why.
pub(crate) fn endpoint(config: &DockerConfig, has_docker: bool, settings: &Settings) -> DockerEndpoint {
    if let Some(host) = settings.env.non_empty("DOCKER_HOST") {
        return DockerEndpoint { url: host.to_owned(), source: "DOCKER_HOST".into() };
    }
    let (name, source) = if let Some(name) = settings.env.non_empty("DOCKER_CONTEXT") {
        (name, format!("DOCKER_CONTEXT={name}"))
    } else if let Some(name) = config.current_context() {
        (name, format!("currentContext={name}"))
    } else {
        return DockerEndpoint { url: default_host().into(), source: "default".into() };
    };
    let url = if name == "default" {
        default_host().to_owned()
    } else if has_docker {
        context_host(name, settings).unwrap_or_default()
    } else {
        String::new()
    };
    DockerEndpoint { url, source }
}

fn context_host(name: &str, settings: &Settings) -> Option<String> {
    let args = ["context", "inspect", name, "--format", "{{json .Endpoints.docker.Host}}"];
    let out = run_process("docker", &args, None, &settings.env, settings.timeout).ok()?;
    if !out.success() {
        return None;
    }
    serde_json::from_str::<String>(lossy(&out.stdout).trim()).ok().filter(|s| !s.is_empty())
}

/// What `stat` and a connect show for a unix socket path.
#[cfg(unix)]
pub(crate) fn socket_state(path: &str, timeout: Duration) -> Option<SocketState> {
    use std::io::ErrorKind;
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::net::UnixStream;

    match std::fs::metadata(path) {
        Err(e) if e.kind() == ErrorKind::PermissionDenied => return Some(SocketState::PermissionDenied),
        Err(_) => return Some(SocketState::Missing),
        Ok(m) if !m.file_type().is_socket() => return Some(SocketState::NotASocket),
        Ok(_) => {}
    }
    // A connect to a listener whose backlog is full blocks: never wait past the timeout.
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_owned();
    thread::spawn(move || {
        let state = match UnixStream::connect(&owned) {
            Ok(_) => SocketState::Connectable,
            Err(e) => match e.kind() {
                ErrorKind::PermissionDenied => SocketState::PermissionDenied,
                ErrorKind::NotFound => SocketState::Missing,
                _ => SocketState::Refused,
            },
        };
        let _ = tx.send(state);
    });
    // Still blocked at the timeout: something listens (a refusal is immediate).
    Some(rx.recv_timeout(timeout).unwrap_or(SocketState::Connectable))
}

/// Not examined off Unix.
#[cfg(not(unix))]
pub(crate) fn socket_state(_path: &str, _timeout: Duration) -> Option<SocketState> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::credentials;
    use crate::testutil::{BinEnv, FakeBin};
    use ghcr_doctor_checks::ProbeErrorKind;
    use std::os::unix::net::UnixListener;

    fn settings(bin: &FakeBin, extra: &[(&str, &str)]) -> Settings {
        let mut env = bin.env().with("DOCKER_CONFIG", bin.path("dc").display().to_string());
        for (k, v) in extra {
            env = env.with(*k, *v);
        }
        Settings { timeout: Duration::from_secs(10), env }
    }

    fn facts(s: &Settings) -> DockerFacts {
        gather(&credentials::load(s), s).done().unwrap().clone()
    }

    #[test]
    fn endpoint_resolution_order() {
        let bin = FakeBin::new().unwrap();
        bin.script("docker", r#"[ "$1" = context ] && echo "\"unix:///ctx/$3.sock\"" && exit 0; echo '{"Client":{}}'"#);
        bin.write("dc/config.json", r#"{"currentContext":"fromfile"}"#);
        let s = settings(&bin, &[]);
        assert_eq!(
            facts(&s).endpoint,
            DockerEndpoint { url: "unix:///ctx/fromfile.sock".into(), source: "currentContext=fromfile".into() }
        );
        let s = settings(&bin, &[("DOCKER_CONTEXT", "colima")]);
        assert_eq!(facts(&s).endpoint.url, "unix:///ctx/colima.sock");
        assert_eq!(facts(&s).endpoint.source, "DOCKER_CONTEXT=colima");
        let s = settings(&bin, &[("DOCKER_CONTEXT", "colima"), ("DOCKER_HOST", "tcp://127.0.0.1:2375")]);
        let f = facts(&s);
        assert_eq!(
            (f.endpoint.url.as_str(), f.endpoint.source.as_str(), f.socket),
            ("tcp://127.0.0.1:2375", "DOCKER_HOST", None)
        );
        bin.write("dc/config.json", "{}");
        let f = facts(&settings(&bin, &[]));
        assert_eq!((f.endpoint.url.as_str(), f.endpoint.source.as_str()), (default_host(), "default"));
    }

    #[test]
    fn unknown_context_leaves_the_url_empty() {
        let bin = FakeBin::new().unwrap();
        bin.script("docker", r#"echo 'context "nosuch": context not found' >&2; exit 1"#);
        let f = facts(&settings(&bin, &[("DOCKER_CONTEXT", "nosuch")]));
        assert_eq!(f.endpoint.url, "");
        assert_eq!(f.version.done().unwrap().exit_code, Some(1));
    }

    #[test]
    fn socket_states() {
        let bin = FakeBin::new().unwrap();
        let missing = bin.path("missing.sock");
        let regular = bin.write("regular-file", "x");
        let stale = bin.path("stale.sock");
        drop(UnixListener::bind(&stale).unwrap()); // the file stays, nobody listens
        let live = bin.path("live.sock");
        let _listener = UnixListener::bind(&live).unwrap();
        let t = Duration::from_secs(5);
        assert_eq!(socket_state(missing.to_str().unwrap(), t), Some(SocketState::Missing));
        assert_eq!(socket_state(regular.to_str().unwrap(), t), Some(SocketState::NotASocket));
        assert_eq!(socket_state(stale.to_str().unwrap(), t), Some(SocketState::Refused));
        assert_eq!(socket_state(live.to_str().unwrap(), t), Some(SocketState::Connectable));

        let host = format!("unix://{}", missing.display());
        let f = facts(&settings(&bin, &[("DOCKER_HOST", &host)]));
        assert_eq!((f.path, f.socket, f.version), (None, Some(SocketState::Missing), Probe::Skipped));
    }

    #[test]
    fn version_output_is_kept_and_a_hang_is_killed() {
        let bin = FakeBin::new().unwrap();
        bin.script(
            "docker",
            r#"echo '{"Client":{"Version":"28.2.2"},"Server":null}'; echo "Cannot connect to the Docker daemon at $DOCKER_HOST. Is the docker daemon running?" >&2; exit 1"#,
        );
        let f = facts(&settings(&bin, &[("DOCKER_HOST", "unix:///nonexistent.sock")]));
        let v = f.version.done().unwrap();
        assert_eq!(v.exit_code, Some(1));
        assert!(v.stdout.contains("\"Server\":null"));
        assert!(v.stderr.contains("at unix:///nonexistent.sock."), "{v:?}");

        bin.script("docker", "exec sleep 60");
        let s =
            Settings { timeout: Duration::from_millis(300), ..settings(&bin, &[("DOCKER_HOST", "tcp://127.0.0.1:1")]) };
        let start = std::time::Instant::now();
        let f = facts(&s);
        assert_eq!(f.version.error().unwrap().kind, ProbeErrorKind::Timeout);
        assert!(start.elapsed() < Duration::from_millis(300) + Duration::from_secs(2));
    }
}
