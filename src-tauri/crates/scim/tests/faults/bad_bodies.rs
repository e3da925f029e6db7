//! Bad bodies: HTML, truncated JSON, plain text, and bodies over the size cap.

use super::*;

#[tokio::test]
async fn html_page_on_success_is_not_json_with_title() {
    let fault = Fault::start(|_, _| {
        reply(
            200,
            "text/html; charset=utf-8",
            "<html><head><title>Sign in - Portal</title></head><body>x</body></html>",
        )
    })
    .await;
    let err = fault.client().list_all_users(None).await.unwrap_err();
    match &err {
        Error::NotJson { title, status, .. } => {
            assert_eq!(title.as_deref(), Some("Sign in - Portal"));
            assert_eq!(*status, 200);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("Sign in - Portal"));
}

#[tokio::test]
async fn html_404_on_discovery_points_at_the_base_url() {
    let fault = Fault::start(|_, _| {
        reply(
            404,
            "text/html",
            "<html><title>404 Not Found</title></html>",
        )
    })
    .await;
    let err = fault.client().service_provider_config().await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(
        err.hint().contains("tenant ID / base URL"),
        "{}",
        err.hint()
    );
    assert!(err.to_string().contains("404 Not Found"), "{err}");
}

#[tokio::test]
async fn truncated_json_is_reported_as_such() {
    let fault = Fault::start(|_, _| {
        reply(
            200,
            "application/scim+json",
            r#"{"totalResults": 3, "Resources": [{"id": "u1", "userN"#,
        )
    })
    .await;
    let err = fault.client().list_all_users(None).await.unwrap_err();
    match &err {
        Error::MalformedJson { message, .. } => assert!(message.contains("truncated"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        fault.seen().len(),
        3,
        "a cut-off read is repeated up to the cap"
    );
}

#[tokio::test]
async fn plain_text_success_is_not_json() {
    let fault = Fault::start(|_, _| reply(200, "text/plain", "OK")).await;
    let err = fault.client().get_user("u1").await.unwrap_err();
    assert!(
        matches!(err, Error::NotJson { ref content_type, .. } if content_type == "text/plain"),
        "{err:?}"
    );
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let big = "x".repeat(64 * 1024);
    let fault = Fault::start(move |_, _| reply(200, "application/scim+json", big.clone())).await;
    let mut cfg = fault.config();
    cfg.max_body_bytes = 16 * 1024;
    let err = Client::new(cfg).unwrap().get_user("u1").await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 16384, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn chunked_bodies_over_the_cap_are_refused() {
    // Raw TCP: a chunked reply has no Content-Length to check up front.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b'a'; 8192];
        for _ in 0..64 {
            let head = format!("{:x}\r\n", chunk.len());
            if sock.write_all(head.as_bytes()).await.is_err()
                || sock.write_all(&chunk).await.is_err()
                || sock.write_all(b"\r\n").await.is_err()
            {
                return;
            }
        }
        let _ = sock.write_all(b"0\r\n\r\n").await;
    });
    let mut cfg = ClientConfig::new(format!("http://127.0.0.1:{port}/"), Auth::None);
    cfg.max_body_bytes = 32 * 1024;
    let err = Client::new(cfg).unwrap().get_user("u1").await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
}
