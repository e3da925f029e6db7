//! Time and HTTP requests to snapshot a 5,000-user, 300-group directory through the JumpCloud
//! simulator, the way `scim-companion jumpcloud snapshot` reads it (default options).
//!
//! ```text
//! cargo run --release -p sim --example jumpcloud_snapshot_bench [-- RUNS]
//! ```
//! Prints figures; asserts only that each snapshot equals the seeded directory.

use std::time::Instant;

use jumpcloud::{CancellationToken, Client, ClientConfig, SnapshotOptions};
use sim::jumpcloud::{generate, SeedSpec, SimConfig, SimServer};

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let spec = SeedSpec {
        users: 5000,
        groups: 300,
        apps: 8,
        seed: 2026,
    };
    let mut expected = generate(&spec);
    let server = SimServer::start(expected.clone(), SimConfig::default())
        .await
        .expect("simulator starts");
    expected.normalize();
    let options = SnapshotOptions::default();
    println!(
        "JumpCloud snapshot: {} users, {} groups, {} applications; concurrency {}; {} worker threads",
        spec.users,
        spec.groups,
        spec.apps,
        options.concurrency,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for run in 1..=runs {
        server.reset_counters();
        let client = Client::new(
            ClientConfig::with_base_url(server.api_key(), &server.base_url())
                .expect("loopback URL"),
        )
        .expect("client");
        let started = Instant::now();
        let directory = client
            .snapshot(&options, |_| {}, &CancellationToken::new())
            .await
            .expect("snapshot");
        let took = started.elapsed();
        assert_eq!(
            directory, expected,
            "snapshot differs from the seeded directory"
        );
        let by_route = server.requests_by_route();
        let top: Vec<String> = by_route.iter().map(|(r, n)| format!("{r}={n}")).collect();
        println!(
            "run {run}: {:.3} s, {} requests (server), {} (client); {}",
            took.as_secs_f64(),
            server.requests(),
            client.request_count(),
            top.join(" ")
        );
    }
}
