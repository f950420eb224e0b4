//! Small building blocks for the probe's unit tests: [`HttpFixture`], a loopback server that
//! answers every request with a closure and records what it received (or, as a blackhole,
//! accepts and never answers), and [`Bin`], a temporary PATH of `#!/bin/sh` scripts plus the
//! few real tools they use, so no real `gh` or `docker` leaks in.

use std::io;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::http::{Listener, Request, Response};

impl Request {
    /// The path without the query.
    pub fn route(&self) -> &str {
        &self.path
    }
    /// The first value of a query parameter, decoded.
    pub fn query(&self, key: &str) -> Option<String> {
        self.query_all(key).first().map(|v| (*v).to_owned())
    }
}

impl Response {
    /// A JSON body with its content type.
    pub fn json(self, body: &str) -> Response {
        self.header("Content-Type", "application/json").body(body.to_owned())
    }
}

/// A loopback HTTP server answering with a closure, recording every request.
pub struct HttpFixture {
    addr: String,
    requests: Arc<Mutex<Vec<Request>>>,
    _listener: Option<Listener>,
}

impl HttpFixture {
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> HttpFixture {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address").to_string();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let recording = move |req: &Request| {
            seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(req.clone());
            handler(req)
        };
        let listener = Listener::tcp(listener, Arc::new(recording)).expect("the accept loop starts");
        HttpFixture { addr, requests, _listener: Some(listener) }
    }

    /// Accepts connections and never answers (the connections are held until the process ends).
    pub fn blackhole() -> HttpFixture {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address").to_string();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                held.push(stream);
            }
        });
        HttpFixture { addr, requests: Arc::default(), _listener: None }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

/// A temporary directory whose `bin/` of `#!/bin/sh` scripts and `tools/` of real `cat`, `sleep`,
/// `env`, `tr` and `head` become the whole PATH, with `home/` as HOME.
pub struct Bin {
    dir: tempfile::TempDir,
}

impl Bin {
    pub fn new() -> io::Result<Bin> {
        let dir = tempfile::Builder::new().prefix("ghcr-doctor-bin").tempdir()?;
        std::fs::create_dir(dir.path().join("bin"))?;
        std::fs::create_dir(dir.path().join("tools"))?;
        for tool in ["cat", "sleep", "env", "tr", "head"] {
            if let Some(real) = ["/bin", "/usr/bin"].iter().map(|d| Path::new(d).join(tool)).find(|p| p.exists()) {
                std::os::unix::fs::symlink(real, dir.path().join("tools").join(tool))?;
            }
        }
        Ok(Bin { dir })
    }

    /// Writes an executable `#!/bin/sh` script named `name` into `bin/`.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        let path = self.path("bin").join(name);
        // Write to a temp name and rename, so no writer holds it open when it runs ("text file busy").
        let tmp = self.dir.path().join(format!(".{name}.tmp"));
        std::fs::write(&tmp, format!("#!/bin/sh\n{body}\n")).expect("the script is written");
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755)).expect("the script is executable");
        std::fs::rename(&tmp, &path).expect("the script is in place");
        path
    }

    /// `PATH` and `HOME` of the isolated environment.
    pub fn env_pairs(&self) -> [(String, String); 2] {
        [
            ("PATH".into(), format!("{}:{}", self.path("bin").display(), self.path("tools").display())),
            ("HOME".into(), self.path("home").display().to_string()),
        ]
    }

    /// A path under the temporary directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `contents` to `rel` under the temporary directory, creating its parents.
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the parent directory is created");
        }
        std::fs::write(&path, contents).expect("the file is written");
        path
    }
}
