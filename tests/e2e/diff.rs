//! The Diff page in the real window on the demo: diff a demo target, check the tiles against what
//! the engine finds in-process for the same demo seed, filter, open a changed user side by side,
//! then find the run on the History page with its point on the drift chart.

use std::time::Duration;

use engine::diff::{DriftRowKind, DriftRowState, KindCounts};
use fantoccini::Locator;
use scim_companion_tests::app_driver::{
    all_by_test_id, eventually, test_id_selector, text_of, AppSession,
};
use scim_companion_tests::ids;

const TARGET: &str = "demo-aws";

/// The `data-state` of every rendered table row, once the rows of the current filter arrived.
async fn row_states(app: &AppSession) -> Vec<String> {
    let mut states = Vec::new();
    for badge in all_by_test_id(app, ids::DIFF_ROW_STATE).await {
        if let Ok(Some(state)) = badge.attr("data-state").await {
            states.push(state);
        }
    }
    states
}

/// WebKit can report new elements before it paints them; give it a moment before a screenshot.
async fn settle_and_screenshot(app: &AppSession, name: &str) {
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.screenshot(name).await;
}

fn total(c: &KindCounts) -> u32 {
    c.users + c.groups + c.memberships
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_demo_target_then_history_lists_and_charts_it() {
    // What the engine finds for the same demo seed, computed here without the window.
    let (ws, report) = crate::demo_diff(TARGET).await;
    let counts = report.counts();
    let count = |s: DriftRowState| {
        counts
            .iter()
            .find(|(state, _)| *state == s)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    };
    for state in [
        DriftRowState::Missing,
        DriftRowState::Changed,
        DriftRowState::Disabled,
        DriftRowState::Unmanaged,
        DriftRowState::Ineligible,
    ] {
        assert!(total(&count(state)) > 0, "the demo seeds {state:?} rows");
    }

    let app = AppSession::start().await;
    app.open_diff_for(TARGET).await;
    app.by_test_id(ids::DIFF_INTRO).await;
    app.click(ids::DIFF_RUN).await;

    // Every tile shows the engine's count for its state (users, groups and memberships).
    for (state, c) in &counts {
        let expected = total(c).to_string();
        let shown = app
            .text_when(&ids::diff_count(engine::diff::state_name(*state)), |t| {
                t == expected
            })
            .await;
        assert_eq!(shown, expected, "{state:?} tile");
    }
    assert!(
        app.text_when(ids::DIFF_META, |t| t.contains("rows drift"))
            .await
            .contains(&format!(
                "{} of {} rows drift",
                report.drifted(),
                report.rows.len()
            )),
        "the run line names the drifted rows"
    );
    // By default the table lists the rows that differ.
    let first = eventually(&app, "drift-rows", || async {
        let states = row_states(&app).await;
        (!states.is_empty()).then_some(states)
    })
    .await;
    assert!(first.iter().all(|s| s != "in_sync"), "{first:?}");
    settle_and_screenshot(&app, "diff").await;

    // Each state the demo seeds has rows in the table: filter to it (on the users tab) and read
    // them, drift states and the ones that say why nothing is written alike.
    for state in [
        DriftRowState::Missing,
        DriftRowState::Changed,
        DriftRowState::Disabled,
        DriftRowState::LeftAsIs,
        DriftRowState::Unmanaged,
        DriftRowState::Ineligible,
    ] {
        let users = count(state).users;
        if users == 0 {
            continue;
        }
        let id = engine::diff::state_name(state);
        app.click(&ids::diff_filter(id)).await;
        let expected = format!("{users} {}", if users == 1 { "row" } else { "rows" });
        app.text_when(ids::DIFF_SHOWN, |t| t == expected).await;
        let states = eventually(&app, &format!("{id}-rows"), || async {
            let states = row_states(&app).await;
            (!states.is_empty() && states.iter().all(|s| s == id)).then_some(states)
        })
        .await;
        assert!(states.len() as u32 <= users);

        if state == DriftRowState::Ineligible {
            // The reason is shown in words, as the target profile gives it.
            let reason = app.text_when(ids::DIFF_ROW_REASON, |t| !t.is_empty()).await;
            assert!(
                report
                    .rows
                    .iter()
                    .any(|r| r.state == DriftRowState::Ineligible && r.reason == reason),
                "{reason:?} is an ineligible row's reason"
            );
        }
        // Toggle the filter off again.
        app.click(&ids::diff_filter(id)).await;
    }

    // A changed user side by side: the highlighted change is the engine's, both values shown.
    app.click(&ids::diff_filter("changed")).await;
    let label = eventually(&app, "changed-row", || async {
        let states = row_states(&app).await;
        if states.is_empty() || states.iter().any(|s| s != "changed") {
            return None;
        }
        all_by_test_id(&app, ids::DIFF_ROW_LABEL)
            .await
            .into_iter()
            .next()
    })
    .await;
    let name = text_of(&label).await;
    label.click().await.unwrap();
    app.text_when(ids::DIFF_DETAIL_LABEL, |t| t == name).await;
    let row = report
        .rows
        .iter()
        .find(|r| {
            r.kind == DriftRowKind::User && r.state == DriftRowState::Changed && r.label == name
        })
        .expect("the opened row is a changed user of the engine's diff");
    let detail = ws
        .diff_detail(TARGET, DriftRowKind::User, &row.key)
        .expect("engine detail");
    let changes = eventually(&app, "detail-changes", || async {
        let found = all_by_test_id(&app, ids::DIFF_CHANGE).await;
        (!found.is_empty()).then_some(found)
    })
    .await;
    assert_eq!(changes.len(), detail.changes.len());
    let paths = all_by_test_id(&app, ids::DIFF_CHANGE_PATH).await;
    let expected = all_by_test_id(&app, ids::DIFF_CHANGE_EXPECTED).await;
    let actual = all_by_test_id(&app, ids::DIFF_CHANGE_ACTUAL).await;
    for (i, change) in detail.changes.iter().enumerate() {
        assert_eq!(text_of(&paths[i]).await, change.path);
        let (e, a) = (text_of(&expected[i]).await, text_of(&actual[i]).await);
        assert!(
            !e.is_empty() && !a.is_empty() && e != a,
            "{}: {e:?} vs {a:?}",
            change.path
        );
        if let Some(s) = change.expected.as_str() {
            assert_eq!(e, s);
        }
        if let Some(s) = change.actual.as_str() {
            assert_eq!(a, s);
        }
    }
    let highlighted = all_by_test_id(&app, ids::DIFF_FIELD_CHANGED).await;
    assert!(
        !highlighted.is_empty(),
        "a changed field is highlighted side by side"
    );
    let first = text_of(&highlighted[0]).await;
    assert!(
        detail
            .changes
            .iter()
            .any(|c| first.starts_with(c.path.split('[').next().unwrap_or_default())),
        "the highlighted row {first:?} is a changed attribute"
    );
    settle_and_screenshot(&app, "diff-detail").await;

    // History lists the run, and the drift chart has its point with the same counts.
    app.click(&ids::nav("history")).await;
    app.by_test_id(ids::PAGE_HISTORY).await;
    let diff_run = eventually(&app, "history-diff-run", || async {
        for run in all_by_test_id(&app, ids::HISTORY_RUN).await {
            if run.attr("data-kind").await.ok().flatten().as_deref() == Some("diff") {
                return Some(run);
            }
        }
        None
    })
    .await;
    let kind = diff_run
        .find(Locator::Css(&test_id_selector(ids::HISTORY_RUN_KIND)))
        .await
        .unwrap();
    assert_eq!(text_of(&kind).await, "Diff");
    let outcome = diff_run
        .find(Locator::Css(&test_id_selector(ids::HISTORY_RUN_OUTCOME)))
        .await
        .unwrap();
    assert_eq!(text_of(&outcome).await, "Succeeded");

    let users_and_groups = |states: &[DriftRowState]| -> u32 {
        states
            .iter()
            .map(|s| {
                let c = count(*s);
                c.users + c.groups
            })
            .sum()
    };
    let expected_points = [
        ("missing", users_and_groups(&[DriftRowState::Missing])),
        // History keeps four series: extra is every target-only object, changed every
        // object on both sides that differs.
        (
            "extra",
            users_and_groups(&[DriftRowState::Extra, DriftRowState::Unmanaged]),
        ),
        (
            "changed",
            users_and_groups(&[
                DriftRowState::Changed,
                DriftRowState::Conflict,
                DriftRowState::Deactivate,
                DriftRowState::Disabled,
                DriftRowState::Decision,
            ]),
        ),
    ];
    let points = eventually(&app, "history-chart-point", || async {
        let found = all_by_test_id(&app, ids::HISTORY_CHART_POINT).await;
        (!found.is_empty()).then_some(found)
    })
    .await;
    assert_eq!(
        points.len(),
        expected_points.len(),
        "one run: one point per series"
    );
    for point in &points {
        let series = point.attr("data-series").await.unwrap().unwrap_or_default();
        let value = point.attr("data-value").await.unwrap().unwrap_or_default();
        let (_, expected) = expected_points
            .iter()
            .find(|(s, _)| *s == series)
            .unwrap_or_else(|| panic!("unknown series {series}"));
        assert_eq!(value, expected.to_string(), "{series} point");
    }
    settle_and_screenshot(&app, "diff-history").await;
    app.close().await;
}
