//! What one attempt to learn something from the outside world came back with: [`Probe`] (done,
//! failed, or not attempted), [`ProbeError`], and the raw answers — a process's exit code and
//! output, an HTTP status, headers and body. Both the shared and the families' facts are made
//! of these.

/// The outcome of gathering one fact.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Probe<T> {
    /// Not attempted: something it needs was not there (reason for humans in `Facts` context).
    #[default]
    Skipped,
    Done(T),
    Failed(ProbeError),
}

impl<T> Probe<T> {
    pub fn done(&self) -> Option<&T> {
        match self {
            Probe::Done(t) => Some(t),
            _ => None,
        }
    }
    pub fn error(&self) -> Option<&ProbeError> {
        match self {
            Probe::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// Why gathering a fact failed. `detail` never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeError {
    pub kind: ProbeErrorKind,
    pub detail: String,
}

impl ProbeError {
    pub fn new(kind: ProbeErrorKind, detail: impl Into<String>) -> Self {
        ProbeError { kind, detail: detail.into() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeErrorKind {
    /// The process or server did not answer within the timeout (the process was killed).
    Timeout,
    /// DNS, connection refused, TLS, proxy: the peer could not be reached.
    Network,
    /// The process could not be started, or a file could not be read.
    Io,
    /// The answer came but made no sense (garbage output, invalid JSON).
    Malformed,
}

/// What a finished process printed. Never holds a secret: the probe strips token output.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ProcessOutput {
    /// `None` when killed by a signal.
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// One HTTP answer. Header names are lower case. `body` is kept (capped at 64 KiB) only for
/// answers that carry no secret: the probe drops the body of a successful registry token answer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body was larger than the cap (64 KiB) and was cut there: no documented answer is.
    pub truncated: bool,
}

impl HttpAnswer {
    /// This answer with tokens masked in its body and headers, as a fact may hold it.
    pub fn redacted(mut self) -> HttpAnswer {
        self.body = crate::redact(&self.body).into_owned();
        for (_, value) in &mut self.headers {
            *value = crate::redact(value).into_owned();
        }
        self
    }

    /// The first header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// `message` of a GitHub API JSON error body, if any.
    pub fn api_message(&self) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        v.get("message")?.as_str().map(str::to_owned)
    }
    /// The `(code, message)` pairs of a registry error body `{"errors":[{"code":..,"message":..}]}`.
    pub fn registry_errors(&self) -> Vec<(String, String)> {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&self.body) else { return Vec::new() };
        let Some(errors) = v.get("errors").and_then(|e| e.as_array()) else { return Vec::new() };
        errors
            .iter()
            .map(|e| {
                let s = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
                (s("code"), s("message"))
            })
            .collect()
    }
}
