use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::ErrorKind;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
}

fn drifted(counts: &[(&'static str, usize)]) -> TargetCheck {
    let mut check = TargetCheck::failed("aws", "AWS prod", ErrorKind::Network, String::new(), None);
    check.error = None;
    check.drift = counts.iter().copied().collect::<BTreeMap<_, _>>();
    check.status = if counts.is_empty() {
        Status::InSync
    } else {
        Status::Drift
    };
    check
}

fn run(state: &mut WatchState, check: TargetCheck, now: DateTime<Utc>) -> Vec<AlertKind> {
    let summary = CheckSummary::new("configured", vec![check]);
    alerts(state, &summary, now)
        .into_iter()
        .map(|a| a.kind)
        .collect()
}

#[test]
fn alert_kinds_are_named_as_in_json() {
    for kind in [
        AlertKind::DriftAppeared,
        AlertKind::DriftGrew,
        AlertKind::CheckFailed,
        AlertKind::TokenExpiring,
        AlertKind::GuardWouldTrip,
        AlertKind::SafeChangesApplied,
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}

#[test]
fn drift_is_announced_when_it_appears_and_when_it_grows_not_while_it_stays() {
    let mut state = WatchState::default();
    assert_eq!(run(&mut state, drifted(&[]), at(0)), vec![]);
    assert_eq!(
        run(&mut state, drifted(&[("missing", 2)]), at(4)),
        vec![AlertKind::DriftAppeared]
    );
    assert_eq!(
        run(&mut state, drifted(&[("missing", 2)]), at(8)),
        vec![],
        "the same drift"
    );
    assert_eq!(
        run(&mut state, drifted(&[("missing", 1)]), at(9)),
        vec![],
        "less drift is not news"
    );
    assert_eq!(
        run(
            &mut state,
            drifted(&[("missing", 1), ("changed", 1)]),
            at(10)
        ),
        vec![AlertKind::DriftGrew],
        "a new state grew although the total stayed"
    );
    assert_eq!(run(&mut state, drifted(&[]), at(11)), vec![]);
    assert_eq!(
        run(&mut state, drifted(&[("extra", 1)]), at(12)),
        vec![AlertKind::DriftAppeared],
        "back in sync, then drift again"
    );
}

#[test]
fn a_first_check_with_drift_announces_it_with_counts() {
    let mut state = WatchState::default();
    let summary = CheckSummary::new("demo", vec![drifted(&[("missing", 3), ("changed", 1)])]);
    let raised = alerts(&mut state, &summary, at(1));
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].target_id, "aws");
    assert_eq!(raised[0].title, "AWS prod: drift from JumpCloud");
    assert_eq!(raised[0].body, "4 row(s) differ: 1 changed, 3 missing.");
    assert_eq!(state.last_checked("aws"), Some(at(1)));
}

#[test]
fn a_failure_is_announced_once_and_does_not_forget_the_drift_it_hid() {
    let mut state = WatchState::default();
    run(&mut state, drifted(&[("missing", 2)]), at(0));
    let failed = || {
        TargetCheck::failed(
            "aws",
            "AWS prod",
            ErrorKind::Unauthorized,
            "401 from the target".into(),
            Some("Update the token.".into()),
        )
    };
    let summary = CheckSummary::new("configured", vec![failed()]);
    let raised = alerts(&mut state, &summary, at(1));
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::CheckFailed);
    assert_eq!(raised[0].body, "401 from the target Update the token.");
    assert_eq!(
        run(&mut state, failed(), at(2)),
        vec![],
        "the same failure again"
    );
    let mut other = failed();
    other.error.as_mut().unwrap().code = ErrorKind::Network;
    assert_eq!(run(&mut state, other, at(3)), vec![AlertKind::CheckFailed]);
    assert_eq!(
        run(&mut state, drifted(&[("missing", 2)]), at(4)),
        vec![],
        "the drift before the failure was announced already"
    );
}

#[test]
fn a_check_that_could_not_start_raises_an_alert_without_a_target() {
    let mut state = WatchState::default();
    let summary = CheckSummary::could_not_start("no settings".into(), None);
    let raised = alerts(&mut state, &summary, at(0));
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::CheckFailed);
    assert_eq!(raised[0].title, "Drift check: the check failed");
    assert!(state.targets.is_empty());
}

#[test]
fn the_guard_and_the_token_are_announced_when_they_start_and_the_token_weekly() {
    let mut state = WatchState::default();
    let mut check = drifted(&[("deactivate", 40)]);
    check.guard_tripped = true;
    check.token_warning = Some("The token expires in about 20 days.".into());
    assert_eq!(
        run(&mut state, check.clone(), at(0)),
        vec![
            AlertKind::DriftAppeared,
            AlertKind::GuardWouldTrip,
            AlertKind::TokenExpiring
        ]
    );
    assert_eq!(run(&mut state, check.clone(), at(20)), vec![]);
    let week_later = at(0) + chrono::Duration::days(7);
    assert_eq!(
        run(&mut state, check.clone(), week_later),
        vec![AlertKind::TokenExpiring]
    );
    check.token_warning = None;
    check.guard_tripped = false;
    run(&mut state, check.clone(), week_later);
    check.token_warning = Some("again".into());
    check.guard_tripped = true;
    assert_eq!(
        run(&mut state, check, week_later),
        vec![AlertKind::GuardWouldTrip, AlertKind::TokenExpiring],
        "a new token's warning and a guard that trips again are news"
    );
}

#[test]
fn due_targets_follow_each_interval_and_never_checked_ones_are_due() {
    let mut schedule = WatchSchedule::default();
    schedule.set("a", Some(4)).unwrap();
    schedule.set("b", Some(1)).unwrap();
    assert!(schedule.set("c", Some(0)).is_err());
    assert!(schedule.set("c", Some(MAX_EVERY_HOURS + 1)).is_err());
    let hour = Duration::from_secs(3600);
    let mut state = WatchState::default();
    assert_eq!(due_targets(&schedule, &state, at(0), hour), vec!["a", "b"]);
    run(
        &mut state,
        {
            let mut c = drifted(&[]);
            c.id = "a".into();
            c
        },
        at(0),
    );
    run(
        &mut state,
        {
            let mut c = drifted(&[]);
            c.id = "b".into();
            c
        },
        at(0),
    );
    assert!(due_targets(&schedule, &state, at(0), hour).is_empty());
    assert_eq!(due_targets(&schedule, &state, at(1), hour), vec!["b"]);
    assert_eq!(due_targets(&schedule, &state, at(4), hour), vec!["a", "b"]);
    schedule.set("a", None).unwrap();
    assert_eq!(due_targets(&schedule, &state, at(4), hour), vec!["b"]);
}

#[test]
fn the_state_survives_a_save_and_a_damaged_file_reads_as_never_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = WatchState::default();
    run(&mut state, drifted(&[("missing", 1)]), at(3));
    state.save(dir.path()).unwrap();
    assert_eq!(WatchState::load(dir.path()), state);
    std::fs::write(dir.path().join(STATE_FILE), b"{not json").unwrap();
    assert_eq!(WatchState::load(dir.path()), WatchState::default());
}

#[test]
fn the_schedule_is_kept_in_settings_beside_the_other_keys() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        WatchSchedule::load(dir.path()).unwrap(),
        WatchSchedule::default()
    );
    crate::config::save_history_retention(dir.path(), Some(history::Retention::KeepRuns(5)))
        .unwrap();
    let mut schedule = WatchSchedule::default();
    schedule.set("aws", Some(4)).unwrap();
    schedule.save(dir.path()).unwrap();
    assert_eq!(WatchSchedule::load(dir.path()).unwrap(), schedule);
    assert!(crate::config::load_history_retention(dir.path())
        .unwrap()
        .is_some());
    WatchSchedule::default().save(dir.path()).unwrap();
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("settings.json")).unwrap()).unwrap();
    assert!(raw.get(crate::config::WATCH_KEY).is_none(), "{raw}");
}

mod with_the_demo {
    use std::sync::Arc;

    use super::super::*;
    use crate::{demo, Session, Start};

    async fn demo_session(dir: &std::path::Path) -> Arc<Session> {
        Arc::new(
            Session::open(
                dir,
                Arc::new(secrets::MemorySecrets::default()),
                Start::Demo,
                demo::workspace,
            )
            .await
            .unwrap(),
        )
    }

    fn never(_: &str, p: &crate::TargetProblem) -> (String, String) {
        panic!("the demo's targets are usable: {p}")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn safe_changes_are_applied_only_when_chosen_and_never_destructive_ones() {
        let dir = tempfile::tempdir().unwrap();
        let session = demo_session(dir.path()).await;
        // The AWS demo has drift of every kind, a deactivation among it.
        let ids = ["demo-aws".to_owned()];
        let summary = check_targets(&session, &ids, &never).await;
        assert_eq!(summary.status, Status::Drift, "{summary:?}");
        let before = summary.targets[0].drift.clone();
        let destructive_before: usize = ["deactivate", "extra"]
            .iter()
            .filter_map(|s| before.get(s))
            .sum();
        assert!(
            destructive_before > 0,
            "the demo has destructive drift: {before:?}"
        );

        // Not chosen: nothing is applied.
        let mut schedule = WatchSchedule::default();
        schedule.set("demo-aws", Some(4)).unwrap();
        assert!(apply_safe_where_chosen(&session, &summary, &schedule)
            .await
            .is_empty());
        let again = check_targets(&session, &ids, &never).await;
        assert_eq!(
            again.targets[0].drift, before,
            "a check alone writes nothing"
        );

        // Chosen: the safe part runs, journalled, and only the destructive drift stays.
        schedule.set_apply_safe("demo-aws", true).unwrap();
        let applied = apply_safe_where_chosen(&session, &again, &schedule).await;
        assert_eq!(applied.len(), 1, "{applied:?}");
        assert_eq!(applied[0].kind, AlertKind::SafeChangesApplied);
        assert!(
            applied[0].title.ends_with("safe changes applied"),
            "{applied:?}"
        );
        let after = check_targets(&session, &ids, &never).await;
        let left = &after.targets[0].drift;
        for state in left.keys() {
            assert!(
                ["deactivate", "extra"].contains(state),
                "only destructive drift may stay, found {state}: {left:?} (before {before:?})"
            );
        }
        let destructive_after: usize = left.values().sum();
        assert_eq!(
            destructive_after, destructive_before,
            "no deactivation or deletion ran: {left:?} vs {before:?}"
        );
        let history = session.history().store().unwrap();
        let runs = history
            .list_runs(&history::RunFilter::default(), history::RunPage::first(50))
            .await
            .unwrap();
        assert!(
            runs.iter().any(|r| r.kind == history::RunKind::Apply),
            "the apply is journalled: {runs:?}"
        );

        // Nothing safe left: no apply, no alert.
        assert!(apply_safe_where_chosen(&session, &after, &schedule)
            .await
            .is_empty());
        assert!(
            schedule.set_apply_safe("nope", true).is_err(),
            "only for a scheduled target"
        );
    }
}
