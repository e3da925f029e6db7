use std::sync::Mutex;

use drift::{DriftRowKind, DriftRowState};
use sim::target::{Dialect, Fault, FaultScope, SimConfig, SimHandle, SimTarget};
use tokio_util::sync::CancellationToken;

use super::*;
use crate::clients::client_for;
use crate::demo;
use crate::workspace::{Target, TargetInfo, Workspace};

/// Target `id` of `ws`, to diff.
fn on<'a>(ws: &'a Workspace, id: &str) -> TargetWork<'a> {
    TargetWork::new(ws, id).unwrap()
}

fn count(report: &DiffReport, state: DriftRowState) -> KindCounts {
    report
        .counts()
        .into_iter()
        .find(|(s, _)| *s == state)
        .map(|(_, c)| c)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_aws_diff_finds_the_seeded_drift_and_keeps_it() {
    let ws = demo::workspace().unwrap();
    let seen = Mutex::new(Vec::new());
    let report = on(&ws, "demo-aws")
        .diff(|p| seen.lock().unwrap().push(p), &CancellationToken::new())
        .await
        .unwrap();

    // The demo seeds missing users and a missing group, changed attributes, accounts made by
    // hand, users disabled by hand, ineligible users and membership differences.
    let missing = count(&report, DriftRowState::Missing);
    assert!(missing.groups == 1 && missing.memberships > 0);
    assert!(count(&report, DriftRowState::Unmanaged).users >= 1);
    assert!(count(&report, DriftRowState::Disabled).users >= 1);
    assert!(count(&report, DriftRowState::Conflict).users >= 1);
    assert!(count(&report, DriftRowState::Changed).users > 0);
    assert!(count(&report, DriftRowState::Ineligible).users > 0);
    assert!(count(&report, DriftRowState::InSync).users > 0);
    assert_eq!(
        (missing.users, missing.groups, missing.memberships),
        (
            report.drift.summary.users.missing,
            report.drift.summary.groups.missing,
            report.drift.summary.memberships_to_add
        ),
        "row counts agree with drift's own summary"
    );
    assert!(report.requests > 2, "the whole target was read");

    // Progress: reading first, then AWS memberships (a query per user), comparing, done.
    let phases: Vec<DiffPhase> = seen.lock().unwrap().iter().map(|p| p.phase).collect();
    assert_eq!(phases.first(), Some(&DiffPhase::Reading));
    assert!(phases.contains(&DiffPhase::Memberships));
    assert_eq!(phases.last(), Some(&DiffPhase::Done));
    let last = *seen.lock().unwrap().last().unwrap();
    assert_eq!(last.users_read as usize, report.actual_user_count());

    // Kept for paging and details.
    let kept = ws.last_diff("demo-aws").unwrap();
    assert!(Arc::ptr_eq(&kept, &report));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_filter_by_state_kind_search_and_attribute() {
    let ws = demo::workspace().unwrap();
    let report = on(&ws, "demo-aws")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();

    let changed_users = RowQuery {
        states: vec![DriftRowState::Changed],
        kinds: vec![DriftRowKind::User],
        ..Default::default()
    };
    let (total, page) = report.query(&changed_users, 0, 3);
    assert_eq!(total as u32, count(&report, DriftRowState::Changed).users);
    assert!(page.len() <= 3);
    assert!(page
        .iter()
        .all(|r| r.state == DriftRowState::Changed && r.kind == DriftRowKind::User));

    // The demo renames some titles: the attribute filter finds exactly those rows.
    let by_title = RowQuery {
        attribute: Some("title".into()),
        ..Default::default()
    };
    let (titles, rows) = report.query(&by_title, 0, 1000);
    assert!(titles > 0);
    assert!(rows
        .iter()
        .all(|r| r.changed_attributes.iter().any(|a| a == "title")));

    // Search is case-insensitive over labels and reasons.
    let label = rows[0].label.to_uppercase();
    let (found, hits) = report.query(
        &RowQuery {
            search: label,
            ..Default::default()
        },
        0,
        10,
    );
    assert!(found >= 1 && hits.iter().any(|r| r.key == rows[0].key));

    // Paging past the end gives the total and no rows.
    let (all, none) = report.query(&RowQuery::default(), report.rows.len(), 50);
    assert_eq!(all, report.rows.len());
    assert!(none.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn detail_shows_both_sides_changes_and_reasons() {
    let ws = demo::workspace().unwrap();
    let report = on(&ws, "demo-aws")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();

    let changed = report
        .rows
        .iter()
        .find(|r| r.state == DriftRowState::Changed && r.kind == DriftRowKind::User)
        .unwrap();
    let detail = ws
        .diff_detail("demo-aws", DriftRowKind::User, &changed.key)
        .unwrap();
    assert!(detail.jumpcloud.is_some() && detail.expected.is_some() && detail.actual.is_some());
    assert!(!detail.changes.is_empty());
    let change = &detail.changes[0];
    assert_ne!(change.expected, change.actual);

    let ineligible = report
        .rows
        .iter()
        .find(|r| r.state == DriftRowState::Ineligible && r.kind == DriftRowKind::User)
        .unwrap();
    let detail = ws
        .diff_detail("demo-aws", DriftRowKind::User, &ineligible.key)
        .unwrap();
    assert!(detail.jumpcloud.is_some());
    assert!(detail.expected.is_none(), "nothing would be pushed");
    assert!(!detail.reasons.is_empty());
    assert!(ineligible.reason.contains(&detail.reasons[0].text));

    // Memberships of AWS groups were read separately and shown on the group.
    let group = report
        .rows
        .iter()
        .find(|r| r.kind == DriftRowKind::Group && r.target_id.is_some())
        .unwrap();
    let detail = ws
        .diff_detail("demo-aws", DriftRowKind::Group, &group.key)
        .unwrap();
    let actual = detail.actual.unwrap();
    assert!(actual["members"].as_array().is_some_and(|m| !m.is_empty()));

    assert!(matches!(
        ws.diff_detail("demo-aws", DriftRowKind::User, "no-such-row"),
        Err(Error::UnknownRow { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_carry_every_row() {
    let ws = demo::workspace().unwrap();
    let report = on(&ws, "demo-generic")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let csv = report.export(ExportFormat::Csv);
    assert_eq!(csv.lines().count(), report.rows.len() + 1);
    assert!(csv.starts_with("kind,state,label"));
    let json: serde_json::Value = serde_json::from_str(&report.export(ExportFormat::Json)).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), report.rows.len());
    assert_eq!(json["target"]["id"], "demo-generic");
    // Filtered by state, as the CLI's --state asks: only those rows, the header kept.
    let missing = report
        .rows
        .iter()
        .filter(|r| r.state == DriftRowState::Missing)
        .count();
    assert!(missing > 0);
    let only = report.export_states(ExportFormat::Csv, &[DriftRowState::Missing]);
    assert_eq!(only.lines().count(), missing + 1);
    let html = report.export(ExportFormat::Html);
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(
        html.matches("<tr class=").count(),
        report.rows.len() + crate::diff::STATES.len()
    );
}

#[tokio::test]
async fn unknown_target_and_no_diff_yet_are_errors() {
    let ws = demo::workspace().unwrap();
    assert!(matches!(
        ws.last_diff("demo-aws"),
        Err(Error::NoDiff(id)) if id == "demo-aws"
    ));
    assert!(matches!(
        TargetWork::new(&ws, "nope"),
        Err(Error::UnknownTarget(_))
    ));
}

/// A target of the demo workspace whose simulator the test controls.
fn add_target(ws: &mut Workspace, config: SimConfig) -> SimHandle {
    let handle = SimTarget::spawn_in_thread(config).unwrap();
    handle.seed_demo(250, 8, 3).unwrap();
    let app_id = ws.targets[0].app_id.clone();
    let auth = scim::Auth::Bearer(scim::Secret::new(handle.token().to_owned()));
    ws.targets.push(Target {
        info: TargetInfo {
            id: "probe".into(),
            name: "Probe".into(),
            kind: targets::Kind::Generic,
            base_url: handle.base_url().to_owned(),
            simulated: true,
        },
        client: client_for(targets::Kind::Generic, handle.base_url(), auth).unwrap(),
        app_id,
        settings: targets::Settings::default_for(targets::Kind::Generic),
    });
    handle
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_read_gives_an_error_not_a_partial_diff() {
    let mut ws = demo::workspace().unwrap();
    let sim = add_target(&mut ws, SimConfig::new(Dialect::Generic).with_token("t"));
    let first = on(&ws, "probe")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();

    // The third read (a later page of users or groups) is refused.
    sim.push_fault_for(FaultScope::Reads, Fault::Delay(0));
    sim.push_fault_for(FaultScope::Reads, Fault::Delay(0));
    sim.push_fault_for(FaultScope::Reads, Fault::Status(403));
    let err = on(&ws, "probe")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Scim(e) if e.status() == Some(403)),
        "{err}"
    );
    // The earlier complete result stays; nothing from the failed run replaced it.
    assert!(Arc::ptr_eq(&ws.last_diff("probe").unwrap(), &first));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_slow_read_promptly() {
    let mut ws = demo::workspace().unwrap();
    let sim = add_target(&mut ws, SimConfig::new(Dialect::Generic).with_token("t"));
    sim.set_faults(sim::target::FaultConfig {
        latency_ms: 2_000,
        ..Default::default()
    });
    let ws = Arc::new(ws);
    let token = CancellationToken::new();
    let run = {
        let ws = ws.clone();
        let token = token.clone();
        tokio::spawn(async move { on(&ws, "probe").diff(|_| {}, &token).await.map(|_| ()) })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let started = Instant::now();
    token.cancel();
    let result = run.await.unwrap();
    assert!(matches!(result, Err(Error::Cancelled(_))), "{result:?}");
    assert!(started.elapsed() < std::time::Duration::from_millis(1_000));
    assert!(matches!(ws.last_diff("probe"), Err(Error::NoDiff(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_filter_lists_one_groups_memberships() {
    let ws = demo::workspace().unwrap();
    let report = on(&ws, "demo-aws")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let memberships: Vec<&DriftRow> = report
        .rows
        .iter()
        .filter(|r| r.kind == DriftRowKind::Membership)
        .collect();
    let first = memberships.first().expect("the demo has membership drift");
    let (group, _) = first.key.split_once('/').unwrap();
    let of_group = memberships
        .iter()
        .filter(|r| r.key.starts_with(&format!("{group}/")))
        .count();
    assert!(
        report
            .rows
            .iter()
            .any(|r| r.kind == DriftRowKind::Group && r.key == group),
        "the key is the group row's key"
    );

    let query = RowQuery {
        group: Some(group.to_owned()),
        ..Default::default()
    };
    let (total, rows) = report.query(&query, 0, 1000);
    assert_eq!(total, of_group);
    assert!(total < memberships.len() || memberships.len() == of_group);
    assert!(rows
        .iter()
        .all(|r| r.kind == DriftRowKind::Membership && r.key.starts_with(group)));

    // A key prefix is not the same group.
    let prefix = RowQuery {
        group: Some(group[..group.len() - 1].to_owned()),
        ..Default::default()
    };
    assert_eq!(report.query(&prefix, 0, 10).0, 0);
}
