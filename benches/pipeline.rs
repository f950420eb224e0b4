//! Pipeline benchmark (run with `cargo bench --bench pipeline`): the whole fact gathering and
//! evaluation for two organizations and three images, against the loopback fakes behind a
//! modelled network — every answer takes a 150 ms round trip and every new connection a
//! two-round-trip handshake (TCP + TLS, 300 ms) before its first answer; gh takes 100 ms per
//! call, docker 40 ms. Each run starts cold (a new HTTP agent: no connection is reused between
//! runs).
//!
//! It prints the median wall time next to the ideal of issue #16 (gh, one handshake and one round
//! trip: 550 ms), next to the floor of this shape (the registry's own chain — handshake, token,
//! manifest — cannot be shorter than 600 ms, whatever the scheduling) and next to the chain the
//! schedule before issue #16 made: the API waited for gh and the registry ping (450 ms), then
//! `/orgs`, then membership and packages, each on a new connection (1350 ms; that schedule
//! measured 1359 ms here). The target is a wall time within 1.1x of the ideal. It also counts
//! the connections and requests each server saw, so speculation shows. It prints numbers and
//! asserts only that the modelled world is healthy, so a slow machine never fails a build.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its numbers

use std::net::TcpListener;
use std::time::{Duration, Instant};

use ghcr_doctor_checks::{Forge, GithubHost, Lang, Request, Status, evaluate};
use ghcr_doctor_probe::{Env, Settings, gather};
use ghcr_doctor_testkit::http::{Counters, Listener, Serving, forward_to};
use ghcr_doctor_testkit::{ApiServer, FakeBin, Org, Package, RegistryServer, Role, SharedWorld, fixtures};

const GH_MS: u64 = 100;
const DOCKER_MS: u64 = 40;
const RTT_MS: u64 = 150;
const HANDSHAKE_MS: u64 = 2 * RTT_MS;
const RUNS: usize = 9;

/// A modelled network in front of a loopback server: its base URL, the listener and its counters.
struct Network {
    base: String,
    counters: std::sync::Arc<Counters>,
    _listener: Listener,
}

impl Network {
    fn in_front_of(backend_base: &str) -> Network {
        let backend = backend_base.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/", tcp.local_addr().unwrap());
        let serving = Serving::network(Duration::from_millis(HANDSHAKE_MS), Duration::from_millis(RTT_MS));
        let counters = serving.counters.clone().unwrap();
        let listener = Listener::tcp_serving(tcp, forward_to(backend), serving).unwrap();
        Network { base, counters, _listener: listener }
    }
}

fn main() {
    let home = tempfile::tempdir().unwrap();
    let bin = FakeBin::new().unwrap();
    let world = SharedWorld::new(
        fixtures::standard_world().with_org(Org::new("globex").active_member("octocat")).with_package(
            Package::new("globex", "api").grant("octocat", Role::Read).tag("latest", fixtures::DIGEST_LATEST),
        ),
    );
    let api = ApiServer::start(world.clone()).unwrap();
    let registry = RegistryServer::start(world.clone()).unwrap();
    let api_net = Network::in_front_of(api.base_url());
    let registry_net = Network::in_front_of(registry.base_url());
    // The challenge sends clients to the token service through the network too.
    world.edit(|w| w.registry.realm = Some(format!("{}token", registry_net.base)));

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
    let auth = ghcr_doctor_testkit::http::base64_encode(format!("octocat:{}", fixtures::GHO_OCTOCAT).as_bytes());
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
        ("GHCR_DOCTOR_API_URL".to_owned(), api_net.base.clone()),
        ("GHCR_DOCTOR_REGISTRY_URL".to_owned(), registry_net.base.clone()),
    ]);
    let settings = Settings { timeout: Duration::from_secs(10), env };
    let mut request = Request::new(Forge::Github(GithubHost::github_com()));
    request.images = ["ghcr.io/acme/app:latest", "ghcr.io/acme/public-app:latest", "ghcr.io/globex/api:latest"]
        .iter()
        .map(|i| i.parse().unwrap())
        .collect();

    let ideal_ms = GH_MS + HANDSHAKE_MS + RTT_MS;
    // The registry's chain: a new connection for the token, then the manifest with that token.
    let floor_ms = (HANDSHAKE_MS + 2 * RTT_MS).max(ideal_ms);
    // Before issue #16: max(gh, the ping on a new connection), then `GET /orgs/{o}`, then
    // membership and packages, each on a new connection.
    let chain_ms = GH_MS.max(HANDSHAKE_MS + RTT_MS) + 2 * (HANDSHAKE_MS + RTT_MS);

    let mut walls = Vec::new();
    let (api_before, registry_before) = (api_net.counters.get(), registry_net.counters.get());
    for _ in 0..RUNS {
        let started = Instant::now();
        let facts = gather(&request, &settings);
        let report = evaluate(&request, &facts);
        walls.push(started.elapsed());
        if report.status == Status::Fail {
            for o in report.outcomes.iter().filter(|o| o.status == Status::Fail) {
                eprintln!("{}: {}", o.check, o.headline().message.render(Lang::En));
            }
            panic!("the benchmark world must be healthy");
        }
    }
    let per_run = |now: (usize, usize), before: (usize, usize)| {
        ((now.0 - before.0) as f64 / RUNS as f64, (now.1 - before.1) as f64 / RUNS as f64)
    };
    let (api_conns, api_requests) = per_run(api_net.counters.get(), api_before);
    let (reg_conns, reg_requests) = per_run(registry_net.counters.get(), registry_before);
    walls.sort();
    let median = walls[RUNS / 2].as_secs_f64() * 1000.0;
    let best = walls[0].as_secs_f64() * 1000.0;
    println!(
        "pipeline: {RUNS} cold runs, gh {GH_MS} ms, docker {DOCKER_MS} ms, round trip {RTT_MS} ms, \
         handshake {HANDSHAKE_MS} ms per new connection, 2 organizations, {} images",
        request.images.len()
    );
    println!("  wall (median)      {median:7.1} ms   (best {best:.1} ms)");
    println!("  ideal              {ideal_ms:7} ms   (gh + handshake + one round trip)");
    println!("  floor of the shape {floor_ms:7} ms   (registry: handshake + token + manifest)");
    println!("  chain before #16   {chain_ms:7} ms   (gh and ping → /orgs → packages, new connections)");
    println!("  wall / ideal       {:7.2}x   (target ≤ 1.10x)", median / ideal_ms as f64);
    println!("  wall / floor       {:7.2}x", median / floor_ms as f64);
    println!(
        "  per run: API {api_conns:.1} connections, {api_requests:.1} requests; registry {reg_conns:.1} connections, {reg_requests:.1} requests"
    );
}
