//! `check --pull-secret FILE IMAGE` through the real binary: every form of pull secret kubectl
//! prints or docker writes, read and matched as the kubelet does, the loopback registry asked with
//! the Secret's credential (not docker's), the kubectl fix, bad files as exit 2 with a bilingual
//! message, no token in any output, and a Secret made by the real `kubectl` (offline, with
//! `--dry-run=client`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use ghcr_doctor_testkit::fixtures::{GHO_NO_PACKAGES, GHO_OCTOCAT, GHP_EXPIRED, GHP_WRITE};
use ghcr_doctor_testkit::http::base64_encode;
use ghcr_doctor_testkit::real_docker::run;
use ghcr_doctor_testkit::{AuthScheme, Token};
use serde_json::Value;

use crate::harness::{Doctor, Run};

const APP: &str = "ghcr.io/acme/app:latest";
const KUBECTL: &str = "/usr/bin/kubectl";
/// A test-only password the loopback world accepts as octocat's (`read:packages`); it is not
/// token-shaped, so it may go into the argv of the real kubectl that builds the Secret.
const KUBECTL_PASS: &str = "kubectl-fixture-password-1";

fn b64(text: &str) -> String {
    base64_encode(text.as_bytes())
}

/// A `.dockerconfigjson` with one entry `key` → `user:token` in `auth`.
fn config(key: &str, user: &str, token: &str) -> String {
    format!(r#"{{"auths":{{"{key}":{{"auth":"{}"}}}}}}"#, b64(&format!("{user}:{token}")))
}

/// The Secret as `kubectl get secret regcred -n apps -o yaml` prints it.
fn secret_yaml(docker_config: &str) -> String {
    format!(
        "apiVersion: v1\ndata:\n  .dockerconfigjson: {}\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: apps\ntype: kubernetes.io/dockerconfigjson\n",
        b64(docker_config)
    )
}

fn write(d: &Doctor, name: &str, text: &str) -> PathBuf {
    let path = d.home.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn check_with(d: &Doctor, file: &Path, extra: &[&str]) -> Run {
    let file = file.display().to_string();
    let mut args = vec!["check", "--pull-secret", &file, APP];
    if !extra.contains(&"--lang") {
        args.extend(["--lang", "en"]);
    }
    args.extend_from_slice(extra);
    d.run(&args)
}

fn outcome<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no {id}: {json}"))
}

/// The pull-secret check's (status, cause) and the run's next steps.
fn verdict(d: &Doctor, file: &Path) -> (String, String, Vec<String>, Run) {
    let run = check_with(d, file, &["--json"]);
    let json = run.json();
    let c = outcome(&json, "pull-secret");
    let steps = json["next_steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    (c["status"].as_str().unwrap().into(), c["cause"].as_str().unwrap_or("-").into(), steps, run)
}

#[test]
fn every_form_of_pull_secret_is_read_and_its_credential_is_what_the_registry_is_asked_with() {
    let d = Doctor::new();
    let good = config("ghcr.io", "kube-user", GHP_WRITE);
    let json_secret = format!(
        r#"{{"apiVersion":"v1","kind":"Secret","metadata":{{"name":"regcred","namespace":"apps"}},"type":"kubernetes.io/dockerconfigjson","data":{{".dockerconfigjson":"{}"}}}}"#,
        b64(&good)
    );
    let string_data = format!(
        "kind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{good}'\n"
    );
    let dockercfg = format!(
        "kind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockercfg\ndata:\n  .dockercfg: {}\n",
        b64(&format!(r#"{{"https://ghcr.io/v1/":{{"auth":"{}"}}}}"#, b64(&format!("kube-user:{GHP_WRITE}"))))
    );
    let bare = config("https://ghcr.io", "kube-user", GHP_WRITE);
    for (name, text) in [
        ("yaml", secret_yaml(&good)),
        ("json", json_secret),
        ("stringData", string_data),
        ("dockercfg", dockercfg),
        ("bare", bare),
    ] {
        let file = write(&d, &format!("{name}.secret"), &text);
        let before = d.home_snapshot();
        d.world.clear_log();
        let (status, cause, steps, run) = verdict(&d, &file);
        assert_eq!((status.as_str(), cause.as_str(), run.code), ("pass", "-", 0), "{name}: {}", run.stdout);
        assert!(steps.is_empty(), "{name}: {steps:?}");
        // docker's own path is not the kubelet's.
        let json = run.json();
        assert_eq!(outcome(&json, "docker-credentials")["status"], "skip", "{name}");
        // The registry was asked with the Secret's credential, not docker's (octocat's helper login).
        let log = d.world.log();
        let basic = |user: &str| {
            log.iter().any(|r| r.path.starts_with("/token") && r.auth == AuthScheme::Basic { user: user.into() })
        };
        assert!(basic("kube-user") && !basic("octocat"), "{name}: {log:?}");
        assert_eq!(d.home_snapshot(), before, "{name}: check changed a file");
    }
}

#[test]
fn no_matching_key_names_the_keys_found_and_the_one_needed() {
    let d = Doctor::new();
    let file = write(&d, "s.yaml", &secret_yaml(&config("registry.example.com", "octocat", GHO_OCTOCAT)));
    let (status, cause, steps, run) = verdict(&d, &file);
    assert_eq!((status.as_str(), cause.as_str(), run.code), ("fail", "pull-secret-no-entry", 1), "{}", run.stdout);
    assert_eq!(
        steps,
        [
            "kubectl create secret docker-registry regcred -n apps --docker-server=ghcr.io --docker-username=octocat --docker-password=\"$(gh auth token)\" --dry-run=client -o yaml | kubectl apply -f -"
        ]
    );
    let human = check_with(&d, &file, &[]);
    assert!(human.stdout.contains("its keys are `registry.example.com`"), "{}", human.stdout);
    assert!(human.stdout.contains("needs one for `ghcr.io`"), "{}", human.stdout);
    // A path prefix for another owner does not match either; a public image needs no entry.
    let file = write(&d, "other.yaml", &secret_yaml(&config("ghcr.io/other", "octocat", GHO_OCTOCAT)));
    assert_eq!(verdict(&d, &file).1, "pull-secret-no-entry");
    let public =
        d.run(&["check", "--json", "--pull-secret", &file.display().to_string(), "ghcr.io/acme/public-app:latest"]);
    assert_eq!(outcome(&public.json(), "pull-secret")["status"], "pass", "{}", public.stdout);
}

#[test]
fn a_stale_token_in_the_secret_is_refused_by_the_registry_while_docker_is_fine() {
    let d = Doctor::new();
    let file = write(&d, "s.yaml", &secret_yaml(&config("ghcr.io/acme", "octocat", GHP_EXPIRED)));
    let (status, cause, steps, run) = verdict(&d, &file);
    assert_eq!((status.as_str(), cause.as_str(), run.code), ("fail", "pull-secret-stale", 1), "{}", run.stdout);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert!(steps[0].starts_with("kubectl create secret docker-registry regcred -n apps"), "{steps:?}");
    let human = check_with(&d, &file, &["--lang", "ja"]);
    assert!(human.stdout.contains("ghp_****"), "the token is shown masked:\n{}", human.stdout);
    assert!(human.stdout.contains("期限切れか、取り消されています"), "{}", human.stdout);
    // A token without `read:packages` is the registry's other answer, with gh's refresh first.
    let file = write(&d, "scope.yaml", &secret_yaml(&config("ghcr.io", "octocat", GHO_NO_PACKAGES)));
    let (status, cause, steps, _) = verdict(&d, &file);
    assert_eq!((status.as_str(), cause.as_str()), ("fail", "missing-scope"));
    assert!(steps.last().unwrap().starts_with("kubectl create secret docker-registry"), "{steps:?}");
}

#[test]
fn a_refused_first_entry_falls_through_to_the_next_as_the_kubelet_does() {
    let d = Doctor::new();
    let auth = |user: &str, token: &str| b64(&format!("{user}:{token}"));
    let docker_config = format!(
        r#"{{"auths":{{"ghcr.io/acme":{{"auth":"{}"}},"https://ghcr.io":{{"auth":"{}"}}}}}}"#,
        auth("old-user", GHP_EXPIRED),
        auth("kube-user", GHO_OCTOCAT)
    );
    let file = write(&d, "two.yaml", &secret_yaml(&docker_config));
    d.world.clear_log();
    let (status, cause, _, run) = verdict(&d, &file);
    assert_eq!((status.as_str(), cause.as_str(), run.code), ("warn", "pull-secret-stale", 0), "{}", run.stdout);
    let human = check_with(&d, &file, &[]);
    assert!(human.stdout.contains("then tries `https://ghcr.io`, which the registry accepts"), "{}", human.stdout);
    // Both entries were asked, most specific first.
    let users: Vec<String> = d
        .world
        .log()
        .into_iter()
        .filter(|r| r.path.starts_with("/token"))
        .filter_map(|r| match r.auth {
            AuthScheme::Basic { user } => Some(user),
            _ => None,
        })
        .collect();
    assert_eq!(users.first().map(String::as_str), Some("old-user"), "{users:?}");
    assert!(users.contains(&"kube-user".to_owned()), "{users:?}");
    // With the working entry refused too, the verdict is the first entry's.
    let docker_config = docker_config.replace(&auth("kube-user", GHO_OCTOCAT), &auth("kube-user", GHP_EXPIRED));
    let file = write(&d, "two.yaml", &secret_yaml(&docker_config));
    let (status, cause, _, _) = verdict(&d, &file);
    assert_eq!((status.as_str(), cause.as_str()), ("fail", "pull-secret-stale"));
    assert!(check_with(&d, &file, &[]).stdout.contains("the registry refuses them too"));
}

#[test]
fn no_token_and_no_auth_value_appears_in_any_output() {
    let d = Doctor::new();
    for token in [GHO_OCTOCAT, GHP_EXPIRED] {
        let docker_config = config("ghcr.io", "octocat", token);
        let file = write(&d, "s.yaml", &secret_yaml(&docker_config));
        for format in [
            &[][..],
            &["--json"][..],
            &["--format", "github"][..],
            &["--lang", "ja", "-v"][..],
            &["--report", "-"][..],
            &["--anonymize", "--json"][..],
        ] {
            let run = check_with(&d, &file, format);
            assert!(matches!(run.code, 0 | 1), "{format:?}: {}{}", run.stdout, run.stderr);
            // The harness scans for every fixture token; the file's base64 values too.
            for encoded in [b64(&format!("octocat:{token}")), b64(&docker_config)] {
                assert!(!run.stdout.contains(&encoded) && !run.stderr.contains(&encoded), "{}", run.stdout);
            }
        }
    }
}

#[test]
fn bad_files_are_usage_errors_naming_the_file_and_the_problem() {
    let d = Doctor::new();
    let secret = |ty: &str, data: &str| format!("kind: Secret\nmetadata:\n  name: x\ntype: {ty}\ndata:\n  {data}\n");
    let cases = [
        ("empty.yaml", String::new(), "the file is empty"),
        ("list.yaml", "- a\n- b\n".into(), "is not a Kubernetes Secret"),
        ("broken.yaml", "kind: Secret\n  type: [oops\n".into(), "neither YAML nor JSON"),
        ("opaque.yaml", secret("Opaque", "a: Yg=="), "`type: Opaque`"),
        ("nokey.yaml", secret("kubernetes.io/dockerconfigjson", "other: Yg=="), "no `.dockerconfigjson`"),
        (
            "base64.yaml",
            secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson: '*not*base64*'"),
            "is not valid base64",
        ),
        (
            "inner.yaml",
            secret("kubernetes.io/dockerconfigjson", &format!(".dockerconfigjson: {}", b64("{oops"))),
            "is not the JSON docker writes",
        ),
        ("auth.json", r#"{"auths":{"ghcr.io":{"auth":"bm9jb2xvbg=="}}}"#.into(), "does not decode to `user:password`"),
    ];
    for (name, text, problem) in cases {
        let file = write(&d, name, &text);
        let run = check_with(&d, &file, &[]);
        assert_eq!(run.code, 2, "{name}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(name) && run.stderr.contains(problem), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        let ja = check_with(&d, &file, &["--lang", "ja"]);
        assert_eq!(ja.code, 2);
        assert!(ja.stderr.contains("pull 用の Secret ではありません"), "{name}: {}", ja.stderr);
    }
    let missing = d.home.path().join("missing.yaml");
    let run = check_with(&d, &missing, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.yaml") && run.stderr.contains("does not exist"), "{}", run.stderr);
    // One image: the one the pod pulls.
    let file = write(&d, "ok.yaml", &secret_yaml(&config("ghcr.io", "octocat", GHO_OCTOCAT)));
    let two = d.run(&["check", "--pull-secret", &file.display().to_string(), APP, "ghcr.io/acme/public-app:latest"]);
    assert_eq!(two.code, 2, "{}", two.stderr);
    assert!(two.stderr.contains("exactly one image"), "{}", two.stderr);
}

#[test]
fn a_secret_made_by_the_real_kubectl_is_read_and_matched() {
    if !Path::new(KUBECTL).exists() {
        assert!(std::env::var_os("CI").is_none(), "kubectl is required in CI (apt-get install kubernetes-client)");
        eprintln!("note: this test needs {KUBECTL}; skipped outside CI");
        return;
    }
    let d = Doctor::new();
    d.world.edit(|w| w.add_token(KUBECTL_PASS, Token::new("octocat").scopes("read:packages")));
    let kube_home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(KUBECTL);
    cmd.args([
        "create",
        "secret",
        "docker-registry",
        "regcred",
        "-n",
        "apps",
        "--docker-server=ghcr.io",
        "--docker-username=octocat",
        &format!("--docker-password={KUBECTL_PASS}"),
        "--dry-run=client",
        "-o",
        "yaml",
    ])
    .env_clear()
    .env("HOME", kube_home.path())
    .env("PATH", "/usr/bin:/bin")
    .env("KUBECONFIG", kube_home.path().join("none"))
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let out = run(&mut cmd, None, Duration::from_secs(60)).expect("kubectl runs");
    assert_eq!(out.code, Some(0), "kubectl failed: {}", out.stderr);
    assert!(out.stdout.contains("type: kubernetes.io/dockerconfigjson"), "{}", out.stdout);
    let file = write(&d, "kubectl.yaml", &out.stdout);
    let (status, cause, _, run) = verdict(&d, &file);
    assert_eq!((status.as_str(), cause.as_str(), run.code), ("pass", "-", 0), "{}", run.stdout);
    let human = check_with(&d, &file, &["-v"]);
    assert!(human.stdout.contains("The kubelet sends the entry `ghcr.io` (user `octocat`"), "{}", human.stdout);
    assert!(!human.stdout.contains(KUBECTL_PASS), "{}", human.stdout);
}
