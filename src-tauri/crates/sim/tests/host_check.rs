//! DNS rebinding: a page on attacker.example that resolves its own name to 127.0.0.1 reaches the
//! simulators with `Host: attacker.example:<port>`. Both simulators refuse such requests before
//! they look at credentials or data; loopback names still work.

#![allow(clippy::unwrap_used)]

use reqwest::{Client, StatusCode};
use sim::jumpcloud::{demo_directory, SimConfig as JcConfig, SimServer};
use sim::target::{Dialect, SimConfig, SimTarget};

async fn get(url: &str, host: &str, auth: (&str, &str)) -> StatusCode {
    Client::new()
        .get(url)
        .header("host", host)
        .header(auth.0, auth.1)
        .send()
        .await
        .expect("request")
        .status()
}

#[tokio::test]
async fn the_target_simulator_answers_only_loopback_hosts() {
    let sim = SimTarget::start(SimConfig::new(Dialect::Generic))
        .await
        .unwrap();
    sim.seed_demo(3, 1, 7).unwrap();
    let url = format!("{}/Users", sim.base_url());
    let port = sim.addr().port();
    let auth = sim.auth_header();
    for foreign in [
        format!("attacker.example:{port}"),
        "attacker.example".to_owned(),
        format!("localhost.attacker.example:{port}"),
    ] {
        assert_eq!(
            get(&url, &foreign, ("authorization", &auth)).await,
            StatusCode::MISDIRECTED_REQUEST,
            "{foreign}"
        );
    }
    for own in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(
            get(&url, &own, ("authorization", &auth)).await,
            StatusCode::OK,
            "{own}"
        );
    }
}

#[tokio::test]
async fn the_jumpcloud_simulator_answers_only_loopback_hosts() {
    let sim = SimServer::start(demo_directory(), JcConfig::default())
        .await
        .unwrap();
    let url = format!("{}/api/systemusers", sim.base_url());
    let port = sim.addr().port();
    let key = sim.api_key().to_owned();
    assert_eq!(
        get(
            &url,
            &format!("attacker.example:{port}"),
            ("x-api-key", &key)
        )
        .await,
        StatusCode::MISDIRECTED_REQUEST
    );
    assert_eq!(sim.requests(), 0, "a refused request reaches no handler");
    assert_eq!(
        get(&url, &format!("[::1]:{port}"), ("x-api-key", &key)).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_simulator_run_has_its_own_credentials() {
    let a = SimTarget::start(SimConfig::new(Dialect::Aws))
        .await
        .unwrap();
    let b = SimTarget::start(SimConfig::new(Dialect::Aws))
        .await
        .unwrap();
    assert_ne!(a.token(), b.token());
    assert!(a.token().len() >= 32);
    let x = SimServer::start(demo_directory(), JcConfig::default())
        .await
        .unwrap();
    let y = SimServer::start(demo_directory(), JcConfig::default())
        .await
        .unwrap();
    assert_ne!(x.api_key(), y.api_key());
}
