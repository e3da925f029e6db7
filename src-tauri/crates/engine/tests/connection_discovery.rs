//! Test Connection against targets without SCIM discovery (no source documents
//! `/ServiceProviderConfig` for StrongDM, Axis or Unity): the check falls back to the read
//! probe, reports discovery as unavailable and still reports what the probe found; a bad token
//! still fails with the token hint.

#![allow(clippy::unwrap_used)]

use engine::connection::{self, DiscoveryState};
use engine::setup::{test_target_config, TargetDraft};
use engine::Error;
use sim::target::{Dialect, DiscoveryEndpoints, SimConfig, SimTarget};

const TOKEN: &str = "sim-token-5c1d0e7a2b";
const KEY_ID: &str = "key-4f2a";
const SECRET: &str = "secret-9d8c7b6a";

fn kind_of(dialect: Dialect) -> targets::Kind {
    match dialect {
        Dialect::Generic => targets::Kind::Generic,
        Dialect::Aws => targets::Kind::Aws,
        Dialect::StrongDm => targets::Kind::StrongDm,
        Dialect::Unity => targets::Kind::Unity,
        Dialect::Axis => targets::Kind::Axis,
    }
}

fn start(dialect: Dialect, discovery: DiscoveryEndpoints) -> sim::target::SimHandle {
    let config = SimConfig::new(dialect)
        .with_token(TOKEN)
        .with_basic(KEY_ID, SECRET)
        .with_discovery(discovery);
    let sim = SimTarget::spawn_in_thread(config).unwrap();
    sim.seed_demo(12, 2, 7).unwrap();
    sim
}

fn draft(dialect: Dialect, base_url: &str) -> TargetDraft {
    let mut d = TargetDraft::new(kind_of(dialect), "no discovery", base_url);
    d.local_endpoint = true;
    d
}

/// The credential each profile asks for first (Unity: key ID and secret).
fn credentials(dialect: Dialect, token: &str) -> targets::Credentials {
    match dialect {
        Dialect::Unity => targets::Credentials::Basic {
            key_id: KEY_ID.into(),
            secret_key: if token == TOKEN { SECRET } else { token }.into(),
        },
        _ => targets::Credentials::Bearer {
            token: token.into(),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_discovery_falls_back_to_the_read_probe_on_every_dialect() {
    // Every dialect with a SCIM 404; a gateway's HTML 404 and a 501 on one dialect each (a 501
    // is retried like any 5xx, which makes it slow to repeat).
    let cases = Dialect::ALL
        .into_iter()
        .map(|d| (d, DiscoveryEndpoints::NotFound, 404))
        .chain([
            (Dialect::Axis, DiscoveryEndpoints::HtmlNotFound, 404),
            (Dialect::StrongDm, DiscoveryEndpoints::NotImplemented, 501),
        ]);
    for (dialect, gap, status) in cases {
        let sim = start(dialect, gap);
        let report = test_target_config(
            &draft(dialect, sim.base_url()),
            &credentials(dialect, TOKEN),
        )
        .await
        .unwrap_or_else(|e| panic!("{dialect:?} {gap:?}: {e}"));
        assert_eq!(
            report.discovery,
            DiscoveryState::Unavailable { status },
            "{dialect:?} {gap:?}"
        );
        assert_eq!(report.user_count, Some(12), "{dialect:?} {gap:?}");
        // Unknown capabilities are not claimed.
        assert!(!report.patch && !report.filter && !report.bulk);
        assert_eq!(report.schemas, None);
        assert_eq!(report.resource_types, None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_discovery_is_reported_as_available() {
    let sim = start(Dialect::StrongDm, DiscoveryEndpoints::Served);
    let report = test_target_config(
        &draft(Dialect::StrongDm, sim.base_url()),
        &credentials(Dialect::StrongDm, TOKEN),
    )
    .await
    .unwrap();
    assert_eq!(report.discovery, DiscoveryState::Available);
    assert!(report.patch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_still_fails_when_discovery_is_missing() {
    for dialect in [Dialect::StrongDm, Dialect::Axis, Dialect::Unity] {
        let sim = start(dialect, DiscoveryEndpoints::HtmlNotFound);
        let err = test_target_config(
            &draft(dialect, sim.base_url()),
            &credentials(dialect, "wrong-secret"),
        )
        .await
        .unwrap_err();
        match &err {
            Error::Scim(e) => assert_eq!(e.status(), Some(401), "{dialect:?}"),
            other => panic!("{dialect:?}: expected the probe's 401, got {other:?}"),
        }
        let hint = err.hint().unwrap();
        assert!(hint.contains("Token expired, revoked"), "{hint}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_probe_sends_no_start_index() {
    let sim = start(Dialect::Aws, DiscoveryEndpoints::NotFound);
    test_target_config(
        &draft(Dialect::Aws, sim.base_url()),
        &credentials(Dialect::Aws, TOKEN),
    )
    .await
    .unwrap();
    let probes: Vec<String> = sim
        .request_log()
        .into_iter()
        .filter(|r| r.path == "/Users")
        .map(|r| r.query.unwrap_or_default())
        .collect();
    assert_eq!(probes, ["count=1"], "one probe, AWS paging rules");
}

/// The Home card's check (saved targets) takes the same fallback.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_target_check_reports_discovery_unavailable() {
    let sim = start(Dialect::Axis, DiscoveryEndpoints::NotFound);
    let client = scim::Client::new(scim::ClientConfig::new(
        sim.base_url(),
        scim::Auth::Bearer(scim::Secret::new(TOKEN)),
    ))
    .unwrap();
    let report = connection::check(&client).await.unwrap();
    assert_eq!(
        report.discovery,
        DiscoveryState::Unavailable { status: 404 }
    );
    assert_eq!(report.user_count, Some(12));
    assert!(
        report.summary().contains("discovery unavailable"),
        "{}",
        report.summary()
    );

    // A 401 on discovery is an authentication failure, never "unavailable".
    let wrong = scim::Client::new(scim::ClientConfig::new(
        sim.base_url(),
        scim::Auth::Bearer(scim::Secret::new("wrong")),
    ))
    .unwrap();
    let served = start(Dialect::Axis, DiscoveryEndpoints::Served);
    let wrong_served = scim::Client::new(scim::ClientConfig::new(
        served.base_url(),
        scim::Auth::Bearer(scim::Secret::new("wrong")),
    ))
    .unwrap();
    for c in [&wrong, &wrong_served] {
        let err = connection::check(c).await.unwrap_err();
        assert!(
            matches!(&err, Error::Scim(e) if e.status() == Some(401)),
            "{err:?}"
        );
    }
}
