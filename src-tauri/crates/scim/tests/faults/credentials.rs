//! Credentials are sent but never shown, and observers get redacted excerpts.

use super::*;

#[tokio::test]
async fn credentials_are_sent_but_never_shown() {
    // A careless server that echoes the Authorization header in its error.
    let fault = Fault::start(|seen, _| {
        let auth = seen.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned());
        scim(401, json!({"status": "401", "detail": format!("bad credentials: {}", auth.unwrap_or_default())}))
    })
    .await;
    let secret = "sup3r-s3cret-v4lue";
    let auths = [
        Auth::Bearer(Secret::new(secret)),
        Auth::Basic {
            key_id: "key-1".into(),
            secret: Secret::new(secret),
        },
        Auth::Header {
            name: "x-api-key".into(),
            value: Secret::new(secret),
        },
    ];
    for auth in auths {
        let mut cfg = fault.config();
        cfg.auth = auth.clone();
        let client = Client::new(cfg.clone()).unwrap();
        let err = client.get_user("u1").await.unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert!(err
            .hint()
            .contains("Token expired, revoked or for another tenant"));
        for text in [
            format!("{err}"),
            format!("{err:?}"),
            format!("{cfg:?}"),
            format!("{client:?}"),
            format!("{auth:?}"),
        ] {
            assert!(!text.contains(secret), "secret leaked via {auth:?}: {text}");
        }
    }
    let seen = fault.seen();
    assert_eq!(seen[0].headers["authorization"], format!("Bearer {secret}"));
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("key-1:{secret}"));
    assert_eq!(seen[1].headers["authorization"], format!("Basic {basic}"));
    assert_eq!(seen[2].headers["x-api-key"], secret);
    assert!(seen[2].headers.get("authorization").is_none());
    let ua = seen[0].headers["user-agent"].to_str().unwrap();
    assert!(ua.starts_with("scim-companion/"), "{ua}");
}

#[tokio::test]
async fn observer_gets_redacted_excerpts() {
    let fault = Fault::start(|_, _| scim(201, json!({"id": "u1", "userName": "x"}))).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let client = fault
        .client()
        .with_observer(Arc::new(move |ex: &scim::Exchange| {
            sink.lock().unwrap().push(ex.clone())
        }));
    let mut u = User::new("x");
    u.password = Some(Secret::new("pw-9f8e7d"));
    client.create_user(&u).await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, Some(201));
    let req = log[0].request_excerpt.as_deref().unwrap();
    assert!(
        req.contains("\"userName\":\"x\"") && !req.contains("pw-9f8e7d"),
        "{req}"
    );
    // The password did reach the server.
    assert_eq!(fault.seen()[0].json()["password"], "pw-9f8e7d");
}
