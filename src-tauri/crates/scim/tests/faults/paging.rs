//! Paging: cursors, start indexes, short and empty pages, the discovered page-size cap.

use super::*;

#[tokio::test]
async fn cursor_paging_follows_next_cursor_and_never_sends_start_index() {
    let fault = Fault::start(|seen, _| {
        let (ids, next) = match seen.param("cursor").unwrap_or("<absent>") {
            "" => (vec!["u1", "u2"], Some("c1")),
            "c1" => (vec!["u3", "u4"], Some("c2")),
            "c2" => (vec!["u5"], None),
            other => panic!("unexpected cursor {other:?}"),
        };
        let mut body = json!({"itemsPerPage": ids.len(), "Resources": users_page(&ids)});
        if let Some(n) = next {
            body["nextCursor"] = json!(n);
        }
        scim(200, body)
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 500 };
    let users = Client::new(cfg)
        .unwrap()
        .list_all_users(Some(&Filter::eq("userName", "x")))
        .await
        .unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let seen = fault.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.path, "/scim/v2/Users");
        assert!(
            s.param("startIndex").is_none(),
            "startIndex sent: {:?}",
            s.query
        );
        assert_eq!(s.param("count"), Some("100"), "count clamped to AWS max");
        assert_eq!(s.param("filter"), Some(r#"userName eq "x""#));
    }
}

#[tokio::test]
async fn count_sends_no_paging_position_even_for_cursor_targets() {
    let fault = Fault::start(|seen, _| {
        assert!(seen.param("cursor").is_none() && seen.param("startIndex").is_none(), "{:?}", seen.query);
        scim(200, json!({"totalResults": 4321, "itemsPerPage": 1, "startIndex": 1, "Resources": users_page(&["u1"])}))
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 100 };
    let client = Client::new(cfg).unwrap();
    assert_eq!(client.count::<User>().await.unwrap(), Some(4321));
    assert_eq!(
        client.check_connection().await.unwrap().users_total,
        Some(4321)
    );
    assert!(fault.seen().iter().all(|s| s.param("count") == Some("1")));
}

#[tokio::test]
async fn cursor_paging_stops_when_the_server_repeats_a_cursor() {
    let fault = Fault::start(|_, n| {
        scim(
            200,
            json!({"Resources": users_page(&[&format!("u{n}")]), "nextCursor": "same"}),
        )
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 10 };
    let err = Client::new(cfg)
        .unwrap()
        .list_all_users(None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PagingLoop { .. }), "{err:?}");
    assert_eq!(fault.seen().len(), 2);
}

#[tokio::test]
async fn index_paging_detects_a_server_that_ignores_start_index() {
    let fault = Fault::start(|_, _| {
        scim(200, json!({"totalResults": 100, "itemsPerPage": 2, "startIndex": 1, "Resources": users_page(&["a", "b"])}))
    })
    .await;
    let err = fault.client().list_all_users(None).await.unwrap_err();
    assert!(matches!(err, Error::PagingLoop { pages: 2, .. }), "{err:?}");
    assert_eq!(fault.seen().len(), 2);
}

#[tokio::test]
async fn index_paging_advances_by_short_pages_and_stops_at_total() {
    // The server caps pages at 2 whatever count we ask for.
    let all = ["a", "b", "c", "d", "e"];
    let fault = Fault::start(move |seen, _| {
        let start: usize = seen.param("startIndex").unwrap().parse().unwrap();
        let page: Vec<&str> = all.iter().skip(start - 1).take(2).copied().collect();
        scim(200, json!({"totalResults": 5, "itemsPerPage": page.len(), "startIndex": start, "Resources": users_page(&page)}))
    })
    .await;
    let reports = Mutex::new(Vec::new());
    let users: Vec<User> = fault
        .client()
        .list_all_with_progress(None, &|p| {
            reports.lock().unwrap().push((p.fetched, p.total, p.pages))
        })
        .await
        .unwrap();
    assert_eq!(users.len(), 5);
    assert_eq!(
        *reports.lock().unwrap(),
        [(2, Some(5), 1), (4, Some(5), 2), (5, Some(5), 3)]
    );
    let starts: Vec<_> = fault
        .seen()
        .iter()
        .map(|s| s.param("startIndex").unwrap().to_owned())
        .collect();
    assert_eq!(starts, ["1", "3", "5"]);
    assert!(fault.seen().iter().all(|s| s.param("count") == Some("100")));
}

#[tokio::test]
async fn index_paging_without_total_stops_on_an_empty_page() {
    let all = ["a", "b", "c"];
    let fault = Fault::start(move |seen, _| {
        let start: usize = seen.param("startIndex").unwrap().parse().unwrap();
        let page: Vec<&str> = all.iter().skip(start - 1).take(2).copied().collect();
        scim(200, json!({"Resources": users_page(&page)}))
    })
    .await;
    let users = fault.client().list_all_users(None).await.unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(fault.seen().len(), 3, "pages of 2, 1, then empty");
}

#[tokio::test]
async fn discovered_max_results_caps_the_page_size() {
    let fault = Fault::start(|seen, _| {
        if seen.path.ends_with("ServiceProviderConfig") {
            return scim(200, json!({"filter": {"supported": true, "maxResults": 7}}));
        }
        scim(200, json!({"totalResults": 0, "Resources": []}))
    })
    .await;
    let client = fault.client();
    client.service_provider_config().await.unwrap();
    client.list_all_users(None).await.unwrap();
    assert_eq!(fault.seen()[1].param("count"), Some("7"));
}
