//! Throughput figures for the simulator (prints, never asserts times). Ignored by default:
//! `cargo test -p sim --test target_throughput -- --ignored --nocapture`.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use reqwest::Client;
use serde_json::{json, Value};
use sim::target::{generate_groups, generate_users, Dialect, SimConfig, SimTarget};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "prints figures; run on demand"]
async fn figures() {
    let n = 10_000;
    for dialect in [Dialect::Aws, Dialect::Generic] {
        let h = SimTarget::start(SimConfig::new(dialect).with_max_results(100))
            .await
            .unwrap();
        let t = Instant::now();
        let users = h.seed_users(generate_users(n, 1)).unwrap();
        let ids: Vec<String> = users
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_string())
            .collect();
        h.seed_groups(generate_groups(100, &ids, 100, 1)).unwrap();
        println!(
            "{dialect:?}: seeded {n} users + 100 groups in {:?}",
            t.elapsed()
        );

        let client = Client::new();
        let t = Instant::now();
        let mut seen = 0;
        let mut requests = 0;
        let mut next: Option<String> = Some(String::new());
        let mut start = 1;
        while let Some(cursor) = next.take() {
            let url = match dialect {
                Dialect::Aws => format!(
                    "{}/Users?count=100&cursor={}",
                    h.base_url(),
                    cursor
                        .replace('+', "%2B")
                        .replace('/', "%2F")
                        .replace('=', "%3D")
                ),
                _ => format!("{}/Users?count=100&startIndex={start}", h.base_url()),
            };
            let page: Value = client
                .get(url)
                .header("Authorization", h.auth_header())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            requests += 1;
            let got = page["Resources"].as_array().unwrap().len();
            seen += got;
            start += got;
            next = match dialect {
                Dialect::Aws => page["nextCursor"].as_str().map(str::to_string),
                _ => (got > 0 && seen < n).then(String::new),
            };
        }
        let el = t.elapsed();
        println!(
            "{dialect:?}: listed {seen} users in {requests} pages, {el:?} ({:.0} pages/s)",
            requests as f64 / el.as_secs_f64()
        );

        let t = Instant::now();
        for i in 0..1000 {
            let body = json!({"userName": format!("new{i}@example.com"), "displayName": "N", "name": {"givenName": "N", "familyName": "M"},
                              "emails": [{"value": format!("new{i}@example.com"), "primary": true}]});
            let r = client
                .post(format!("{}/Users", h.base_url()))
                .header("Authorization", h.auth_header())
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
        }
        let el = t.elapsed();
        println!(
            "{dialect:?}: 1000 sequential creates in {el:?} ({:.0}/s)",
            1000.0 / el.as_secs_f64()
        );

        let t = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..8 {
            let (client, base, auth, ids) = (
                client.clone(),
                h.base_url().to_string(),
                h.auth_header(),
                ids.clone(),
            );
            tasks.push(tokio::spawn(async move {
                for i in 0..250 {
                    let id = &ids[(w * 250 + i) % ids.len()];
                    let r = client
                        .get(format!("{base}/Users/{id}"))
                        .header("Authorization", &auth)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let el = t.elapsed();
        println!(
            "{dialect:?}: 2000 GETs by id over 8 tasks in {el:?} ({:.0}/s)",
            2000.0 / el.as_secs_f64()
        );
        let filter = format!(
            "{}/Groups?filter=members%20eq%20%22{}%22",
            h.base_url(),
            ids[5]
        );
        let t = Instant::now();
        let r: Value = client
            .get(filter)
            .header("Authorization", h.auth_header())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        println!(
            "{dialect:?}: member-of filter over 100 groups in {:?} ({} hits)",
            t.elapsed(),
            r["Resources"].as_array().unwrap().len()
        );
    }
}
