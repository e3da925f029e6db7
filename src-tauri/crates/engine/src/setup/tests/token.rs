//! Token lifetimes: the expiry warning and the token's creation date.

use super::*;

#[test]
fn token_warnings_start_a_month_before_the_expected_expiry() {
    let saved_at = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(); // 2026-01-01
    let mut t = crate::config::TargetSettings {
        id: "aws-1".into(),
        kind: targets::Kind::Aws,
        name: "AWS".into(),
        base_url: "https://scim.us-east-1.amazonaws.com/t/scim/v2".into(),
        local_endpoint: false,
        auth: TargetAuth::Bearer,
        jumpcloud_app_id: None,
        manage_groups: true,
        validated_domains: vec![],
        created_at: saved_at,
        token_saved_at: Some(saved_at),
        token_created_on: None,
    };
    let day = |d: i64| saved_at + chrono::Duration::days(d);
    assert_eq!(token_warning(&t, day(300)), None);
    let soon = token_warning(&t, day(350)).unwrap();
    assert!(soon.contains("expires in about 15 days"), "{soon}");
    assert!(soon.contains("2026-01-01"));
    assert!(
        soon.contains("third-party"),
        "AWS's year is a secondary source"
    );
    let past = token_warning(&t, day(400)).unwrap();
    assert!(past.contains("probably expired (35 days ago)"), "{past}");

    // Axis documents one year itself; StrongDM documents no lifetime at all.
    t.kind = targets::Kind::Axis;
    assert!(!token_warning(&t, day(350)).unwrap().contains("third-party"));
    t.kind = targets::Kind::StrongDm;
    assert_eq!(token_warning(&t, day(400)), None);
    // Without a save date there is nothing to count from.
    t.kind = targets::Kind::Aws;
    t.token_saved_at = None;
    assert_eq!(token_warning(&t, day(400)), None);
}

#[test]
fn the_token_creation_date_defaults_to_the_save_day_is_kept_and_drives_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let mut draft = TargetDraft::new(
        targets::Kind::Aws,
        "AWS",
        "https://scim.us-east-1.amazonaws.com/t/scim/v2",
    );
    let first = save_target(dir.path(), &secrets, &draft, Some(bearer(TOKEN))).unwrap();
    assert_eq!(first.token_created_on, Some(Utc::now().date_naive()));

    // The admin enters the vendor's date; it goes to settings.json (not secret).
    let created = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    draft.id = Some(first.id.clone());
    draft.token_created_on = Some(created);
    let second = save_target(dir.path(), &secrets, &draft, None).unwrap();
    assert_eq!(second.token_created_on, Some(created));
    assert!(settings_text(dir.path()).contains("\"token_created_on\": \"2025-03-01\""));
    // An edit that says nothing about the date keeps it.
    draft.token_created_on = None;
    draft.name = "AWS prod".into();
    let third = save_target(dir.path(), &secrets, &draft, None).unwrap();
    assert_eq!(third.token_created_on, Some(created));
    // A new token without a date was created today.
    let fourth = save_target(dir.path(), &secrets, &draft, Some(bearer("new-token"))).unwrap();
    assert_eq!(fourth.token_created_on, Some(Utc::now().date_naive()));
    // A date in the future is refused, nothing saved.
    draft.token_created_on = Some(Utc::now().date_naive() + chrono::Days::new(10));
    let err = save_target(dir.path(), &secrets, &draft, None).unwrap_err();
    assert!(err.to_string().contains("in the future"), "{err}");
    assert!(matches!(
        parse_token_date("01/03/2025"),
        Err(Error::InvalidSetting(_))
    ));
    assert_eq!(parse_token_date(" 2025-03-01 ").unwrap(), created);

    // The warning counts from the creation date, not from the save date.
    let mut t = third.clone();
    let now = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(); // 2026-01-01
    t.token_saved_at = Some(now);
    t.token_created_on = chrono::NaiveDate::from_ymd_opt(2025, 1, 20);
    let warning = token_warning(&t, now).expect("created 2025-01-20: 19 days left of 365");
    assert!(
        warning.contains("The token created on 2025-01-20"),
        "{warning}"
    );
    assert!(warning.contains("expires in about 19 days"), "{warning}");
    t.token_created_on = None;
    assert_eq!(
        token_warning(&t, now),
        None,
        "counted from the save day: a year left"
    );
}
