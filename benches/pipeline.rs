//! Pipeline benchmark (run with `cargo bench --bench pipeline`): the whole fact gathering and
//! evaluation against loopback fakes with injected latencies — gh 200 ms, docker 300 ms, every
//! HTTP answer 100 ms — printing the wall time next to the critical path and the sequential sum.
//! The target is a wall time within 1.15x of the critical path. It prints numbers; it asserts
//! nothing, so a slow machine never fails a build.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its numbers

use std::time::{Duration, Instant};

use ghcr_doctor_checks::{Forge, GithubHost, Request, evaluate};
use ghcr_doctor_probe::{Env, Settings, gather};
use ghcr_doctor_testkit::{ApiServer, FakeBin, RegistryServer, SharedWorld, fixtures};

const GH_MS: u64 = 200;
const DOCKER_MS: u64 = 300;
const HTTP_MS: u64 = 100;
const RUNS: usize = 7;

fn main() {
    let home = tempfile::tempdir().unwrap();
    let bin = FakeBin::new().unwrap();
    let world = SharedWorld::new(fixtures::standard_world());
    world.edit(|w| {
        w.api.latency = Duration::from_millis(HTTP_MS);
        w.registry.latency = Duration::from_millis(HTTP_MS);
    });
    let api = ApiServer::start(world.clone()).unwrap();
    let registry = RegistryServer::start(world.clone()).unwrap();
    let gh_secs = GH_MS as f64 / 1000.0;
    let docker_secs = DOCKER_MS as f64 / 1000.0;
    bin.script(
        "gh",
        &format!(
            "#!/bin/sh\nsleep {gh_secs}\ncase \"$1\" in\n  --version) echo 'gh version 2.45.0 (2024-03-04)';;\n  auth) cat \"$(dirname \"$0\")/gh.token\";;\nesac\n"
        ),
    )
    .unwrap();
    std::fs::write(bin.dir().join("gh.token"), format!("{}\n", fixtures::GHO_OCTOCAT)).unwrap();
    bin.script(
        "docker",
        &format!("#!/bin/sh\nsleep {docker_secs}\necho '{{\"Client\":{{\"Version\":\"28.2.2\"}},\"Server\":{{\"Version\":\"28.2.2\"}}}}'\n"),
    )
    .unwrap();
    let auth = {
        let raw = format!("octocat:{}", fixtures::GHO_OCTOCAT);
        ghcr_doctor_testkit::http::base64_encode(raw.as_bytes())
    };
    std::fs::create_dir_all(home.path().join(".docker")).unwrap();
    std::fs::write(
        home.path().join(".docker/config.json"),
        format!(r#"{{"auths":{{"ghcr.io":{{"auth":"{auth}"}}}}}}"#),
    )
    .unwrap();

    let env = Env::from_pairs([
        ("HOME".to_owned(), home.path().display().to_string()),
        ("PATH".to_owned(), format!("{}:/bin:/usr/bin", bin.dir().display())),
        ("DOCKER_HOST".to_owned(), "tcp://127.0.0.1:9".to_owned()),
        ("GHCR_DOCTOR_API_URL".to_owned(), api.base_url().to_owned()),
        ("GHCR_DOCTOR_REGISTRY_URL".to_owned(), registry.base_url().to_owned()),
    ]);
    let settings = Settings { timeout: Duration::from_secs(10), env };
    let mut request = Request::new(Forge::Github(GithubHost::github_com()));
    request.images =
        vec!["ghcr.io/acme/app:latest".parse().unwrap(), "ghcr.io/acme/public-app:latest".parse().unwrap()];

    // The dependency chains (each arrow waits for the previous answer):
    //   gh auth token → GET /orgs/acme → GET /user/memberships/orgs/acme         200 + 100 + 100
    //   gh auth token → GET /orgs/acme → GET /orgs/acme/packages/container/app   200 + 100 + 100
    //   GET /v2/ → token (anonymous | with credentials) → HEAD manifest           100 + 100 + 100
    //   docker version                                                            300
    let critical_ms = (GH_MS + 2 * HTTP_MS).max(3 * HTTP_MS).max(DOCKER_MS);
    // Every call one after the other: gh --version and gh auth token; /user, /orgs, membership;
    // per image: anonymous token, credential token, manifest, packages API; the ping; docker.
    let images = request.images.len() as u64;
    let sequential_ms = 2 * GH_MS + 3 * HTTP_MS + images * 4 * HTTP_MS + HTTP_MS + DOCKER_MS;

    let mut walls = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let facts = gather(&request, &settings);
        let report = evaluate(&request, &facts);
        walls.push(started.elapsed());
        if report.status == ghcr_doctor_checks::Status::Fail {
            for o in report.outcomes.iter().filter(|o| o.status == ghcr_doctor_checks::Status::Fail) {
                eprintln!("{}: {}", o.check, o.headline().message.render(ghcr_doctor_checks::Lang::En));
            }
            panic!("the benchmark world must be healthy");
        }
    }
    walls.sort();
    let median = walls[RUNS / 2].as_secs_f64() * 1000.0;
    let best = walls[0].as_secs_f64() * 1000.0;
    println!(
        "pipeline: {RUNS} runs, latencies gh {GH_MS} ms, docker {DOCKER_MS} ms, HTTP {HTTP_MS} ms, {images} images"
    );
    println!("  wall (median)   {median:7.1} ms   (best {best:.1} ms)");
    println!("  critical path   {critical_ms:7} ms");
    println!("  sequential sum  {sequential_ms:7} ms");
    println!("  wall / critical {:7.2}x   (target ≤ 1.15x)", median / critical_ms as f64);
    println!("  sequential / wall {:5.2}x", sequential_ms as f64 / median);
}
