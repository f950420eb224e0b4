//! Reading the files the doctor looks at (docker's `config.json`, the Actions event payload and
//! workflow, `SSL_CERT_FILE`, the team config): only regular files, at most a cap, within the
//! timeout. A FIFO would block the read forever and `/dev/zero` would fill memory, so both are
//! refused before the file is opened, with a message that names the file.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Why a file was not read.
#[derive(Debug)]
pub enum FileError {
    Missing,
    /// A FIFO, a device, a socket or a directory.
    NotRegular {
        path: PathBuf,
        kind: &'static str,
    },
    TooLarge {
        path: PathBuf,
        cap: u64,
    },
    /// The read did not finish within the timeout (a hung network file system).
    Timeout {
        path: PathBuf,
    },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Missing => f.write_str("the file does not exist"),
            FileError::NotRegular { path, kind } => {
                write!(f, "{} is {kind}, not a regular file; it was not read", path.display())
            }
            FileError::TooLarge { path, cap } => {
                write!(f, "{} is larger than {} KiB; it was not read", path.display(), cap / 1024)
            }
            FileError::Timeout { path } => write!(f, "reading {} did not finish in time", path.display()),
            FileError::Io { path, error } => write!(f, "cannot read {}: {error}", path.display()),
        }
    }
}

/// What a non-regular file is, for the message.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() { "a directory" } else { "not a regular file" }
}

/// Whether `path` may be opened for reading or appending without blocking: it is a regular file
/// (symlinks followed), or it does not exist yet.
pub fn check_regular(path: &Path) -> Result<bool, FileError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(true),
        Ok(meta) => Err(FileError::NotRegular { path: path.to_owned(), kind: kind_of(&meta) }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(FileError::Io { path: path.to_owned(), error }),
    }
}

/// The bytes of the regular file `path`, at most `cap` of them, within `timeout`.
pub fn read_regular(path: &Path, cap: u64, timeout: Duration) -> Result<Vec<u8>, FileError> {
    if !check_regular(path)? {
        return Err(FileError::Missing);
    }
    let owned = path.to_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::fs::File::open(&owned).and_then(|file| {
            let mut bytes = Vec::new();
            file.take(cap + 1).read_to_end(&mut bytes).map(|_| bytes)
        });
        let _ = tx.send(result);
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(bytes)) if bytes.len() as u64 > cap => Err(FileError::TooLarge { path: path.to_owned(), cap }),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => Err(FileError::Io { path: path.to_owned(), error }),
        Err(_) => Err(FileError::Timeout { path: path.to_owned() }),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // mkfifo makes the FIFO
    fn refuses_fifos_devices_and_oversized_files_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let t = Duration::from_secs(2);
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let start = std::time::Instant::now();
        assert!(matches!(read_regular(&fifo, 1024, t), Err(FileError::NotRegular { .. })));
        assert!(start.elapsed() < Duration::from_secs(1), "a FIFO must not be opened");
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let err = read_regular(&zero, 1024, t).unwrap_err();
        assert!(err.to_string().contains("a device"), "{err}");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert!(matches!(read_regular(&big, 1024, t), Err(FileError::TooLarge { .. })));
        let small = dir.path().join("small");
        std::fs::write(&small, b"{}").unwrap();
        assert_eq!(read_regular(&small, 1024, t).unwrap(), b"{}");
        assert!(matches!(read_regular(&dir.path().join("none"), 1024, t), Err(FileError::Missing)));
    }
}
