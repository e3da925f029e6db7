//! Test Connection against the real scim2-server behind a gateway that answers its discovery
//! endpoints with an HTML 404 page: the check falls back to the read probe, reports discovery as
//! unavailable with what the probe found, and a wrong token still fails with the token hint.

use engine::connection::DiscoveryState;
use engine::setup::{test_target_config, TargetDraft};
use sim::target::{FaultConfig, FaultProxy};
use test_support::scim2_server::Scim2Server;

const TOKEN: &str = "scim2-token-61e0c4d2";

fn draft(base_url: &str) -> TargetDraft {
    let mut d = TargetDraft::new(targets::Kind::Generic, "scim2-server", base_url);
    d.local_endpoint = true;
    d
}

fn bearer(token: &str) -> targets::Credentials {
    targets::Credentials::Bearer {
        token: token.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scim2_server_without_discovery_is_reachable_and_says_so() {
    let server = Scim2Server::start(TOKEN);
    let proxy = FaultProxy::spawn_in_thread(&server.base_url, FaultConfig::default()).unwrap();

    // Control: through the proxy with discovery visible, the server serves it.
    let served = test_target_config(&draft(&proxy.base_url()), &bearer(TOKEN))
        .await
        .unwrap();
    assert_eq!(served.discovery, DiscoveryState::Available);

    proxy.hide_discovery(true);
    let report = test_target_config(&draft(&proxy.base_url()), &bearer(TOKEN))
        .await
        .unwrap();
    assert_eq!(
        report.discovery,
        DiscoveryState::Unavailable { status: 404 }
    );
    assert_eq!(report.user_count, Some(0), "the probe's totalResults");
    assert!(!report.patch, "unknown capabilities are not claimed");
    let probes: Vec<_> = proxy
        .request_log()
        .into_iter()
        .filter(|r| r.path.ends_with("/Users") && r.status == 200)
        .collect();
    assert!(!probes.is_empty(), "the read probe reached the server");

    let err = test_target_config(&draft(&proxy.base_url()), &bearer("not-the-token"))
        .await
        .unwrap_err();
    match &err {
        engine::Error::Scim(e) => assert_eq!(e.status(), Some(401)),
        other => panic!("expected the probe's 401, got {other:?}"),
    }
    assert!(err.hint().unwrap().contains("Token expired, revoked"));
}
