//! Read benchmark: seeds N users into a running scim2-server (via /Bulk, not
//! timed), then reads them all with the client at one or more page sizes and
//! prints wall time and request count. Prints figures; asserts nothing
//! beyond "every user was read".
//!
//! cargo run --release -p scim --example read_bench -- \
//!     --base-url http://127.0.0.1:8080/v2 [--token T] [--users 10000] [--seed] [--page-sizes 100,1000]

use std::time::Instant;

use scim::{Auth, Client, ClientConfig, Paging, Secret};
use serde_json::json;

struct Args {
    base_url: String,
    token: Option<String>,
    users: usize,
    seed: bool,
    page_sizes: Vec<u32>,
}

fn parse_args() -> Args {
    let mut args = Args {
        base_url: String::new(),
        token: None,
        users: 10_000,
        seed: false,
        page_sizes: vec![100, 1000],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--base-url" => args.base_url = value(),
            "--token" => args.token = Some(value()),
            "--users" => args.users = value().parse().expect("--users N"),
            "--seed" => args.seed = true,
            "--page-sizes" => {
                args.page_sizes = value()
                    .split(',')
                    .map(|p| p.trim().parse().expect("--page-sizes 100,1000"))
                    .collect()
            }
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!args.base_url.is_empty(), "--base-url is required");
    args
}

/// Seeds through /Bulk in batches of 1000 (scim2-server's maxOperations);
/// one POST per user would make seeding, not reading, the slow part.
async fn seed(base_url: &str, token: Option<&str>, users: usize) {
    let http = reqwest::Client::new();
    let started = Instant::now();
    for batch_start in (0..users).step_by(1000) {
        let ops: Vec<_> = (batch_start..(batch_start + 1000).min(users))
            .map(|i| {
                json!({
                    "method": "POST", "path": "/Users", "bulkId": format!("b{i}"),
                    "data": {
                        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                        "userName": format!("bench{i:05}@example.com"),
                        "name": {"givenName": "Bench", "familyName": format!("User{i:05}")},
                        "displayName": format!("Bench User {i:05}"),
                        "emails": [{"value": format!("bench{i:05}@example.com"), "primary": true, "type": "work"}],
                        "active": true
                    }
                })
            })
            .collect();
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops});
        let mut req = http
            .post(format!("{}/Bulk", base_url.trim_end_matches('/')))
            .header("content-type", "application/scim+json")
            .body(body.to_string());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("bulk request");
        assert!(
            resp.status().is_success(),
            "bulk seeding failed: {}",
            resp.status()
        );
    }
    eprintln!(
        "seeded {users} users in {:.1} s (not part of the figures)",
        started.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    if args.seed {
        seed(&args.base_url, args.token.as_deref(), args.users).await;
    }
    for page_size in &args.page_sizes {
        let auth = args
            .token
            .as_ref()
            .map_or(Auth::None, |t| Auth::Bearer(Secret::new(t.as_str())));
        let mut cfg = ClientConfig::new(args.base_url.clone(), auth);
        cfg.paging = Paging::Index {
            page_size: *page_size,
        };
        let client = Client::new(cfg).expect("client");
        let started = Instant::now();
        let users = client.list_all_users(None).await.expect("list all users");
        let wall = started.elapsed();
        assert_eq!(users.len(), args.users, "read every seeded user");
        let stats = client.stats();
        println!(
            "scim-client\tpage={page_size}\tusers={}\trequests={}\tretries={}\twall_ms={}",
            users.len(),
            stats.requests,
            stats.retries,
            wall.as_millis()
        );
    }
}
