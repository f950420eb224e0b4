//! The `docker-credential-ghcr-doctor` executable: reads the verb and stdin, answers through
//! [`ghcr_doctor::credential_helper`], and writes only to stdout (the protocol's channel, errors
//! included). Nothing is ever written to stderr.

use std::io::{Read, Write};

fn main() {
    let verb = std::env::args().nth(1).unwrap_or_default();
    let mut input = String::new();
    // `list` and `version` get no stdin from docker; reading an empty or closed one is harmless.
    if matches!(verb.as_str(), "get" | "store" | "erase") {
        let _ = std::io::stdin().take(1024 * 1024).read_to_string(&mut input);
    }
    let env = ghcr_doctor_probe::Env::from_process();
    let answer = ghcr_doctor::credential_helper::answer(&verb, &input, &env);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(answer.stdout.as_bytes());
    let _ = out.flush();
    std::process::exit(answer.code);
}
