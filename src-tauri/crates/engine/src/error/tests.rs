use super::*;

fn scim_status(status: u16) -> Error {
    Error::from(scim::Error::Http(Box::new(scim::HttpError {
        method: "GET".into(),
        path: "/Users".into(),
        status,
        scim_type: None,
        detail: None,
        vendor_error: None,
        retry_after: None,
        body_excerpt: String::new(),
        attempts: 1,
    })))
}

#[test]
fn scim_statuses_have_the_kind_the_admin_acts_on() {
    for (status, kind) in [
        (401, ErrorKind::Unauthorized),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (412, ErrorKind::Conflict),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::RemoteError),
    ] {
        assert_eq!(scim_status(status).kind(), kind, "{status}");
    }
    assert_eq!(
        Error::from(scim::Error::Cancelled).kind(),
        ErrorKind::Cancelled
    );
}

#[test]
fn a_history_failure_in_the_engine_is_storage_even_when_a_run_is_missing() {
    let e = Error::from(history::Error::RunNotFound(history::RunId(3)));
    assert_eq!(e.kind(), ErrorKind::Storage);
    assert_eq!(
        ErrorKind::from(&history::Error::RunNotFound(history::RunId(3))),
        ErrorKind::NotFound
    );
}

#[test]
fn a_cancellation_names_its_job_and_only_a_cancellation_is_renamed() {
    let e = Error::Cancelled(Job::Diff).cancelled_as(Job::ApplyRead);
    assert!(matches!(e, Error::Cancelled(Job::ApplyRead)));
    assert_eq!(
        e.to_string(),
        "the apply was cancelled while reading the target; nothing was written"
    );
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(e.hint().is_none());
    let other = Error::NoDiff("t".into()).cancelled_as(Job::Apply);
    assert!(matches!(other, Error::NoDiff(_)));
}
