//! Plan and apply in the real window on the demo: diff the generic demo target, review the plan
//! (counts equal what the engine plans in-process for the same demo seed), uncheck one
//! operation, apply with the typed confirmation, read the result and the re-read plan of what is
//! left, open the run in History and see its journal of succeeded steps, then diff again and see
//! the applied drift gone.

use std::time::Duration;

use engine::diff::DriftRowState;
use engine::plan::Policy;
use fantoccini::elements::Element;
use fantoccini::Locator;
use scim_companion_tests::app_driver::{test_id_selector, AppSession};
use scim_companion_tests::ids;
use serde_json::{json, Value};

const TARGET: &str = "demo-generic";

/// Waits until no element with `data-testid=<id>` is on the page.
async fn wait_gone(app: &AppSession, id: &str) {
    let selector = test_id_selector(id);
    for _ in 0..150 {
        let found = app
            .client
            .find_all(Locator::Css(&selector))
            .await
            .unwrap_or_default();
        if found.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("[data-testid={id}] did not go away");
}

/// The checkbox of the row `data-id=<id>` among the `row_test_id` rows (operations, decisions).
async fn row_checkbox(app: &AppSession, row_test_id: &str, id: &str, what: &str) -> Element {
    let selector = format!("{}[data-id=\"{id}\"] input", test_id_selector(row_test_id));
    app.client
        .find(Locator::Css(&selector))
        .await
        .unwrap_or_else(|e| panic!("{what} ({selector}): {e}"))
}

/// Confirms a destructive apply by typing the target's name: Apply stays disabled until then.
async fn confirm_by_name(app: &AppSession, target_name: &str) {
    let confirm = app.by_test_id(ids::PLAN_CONFIRM_APPLY).await;
    assert!(
        !confirm.is_enabled().await.unwrap(),
        "disabled until the name is typed"
    );
    app.fill(ids::PLAN_CONFIRM_INPUT, target_name).await;
    assert!(confirm.is_enabled().await.unwrap());
    confirm.click().await.unwrap();
}

/// The applied plan's counts line, once it is shown; something must have succeeded.
async fn applied_summary(app: &AppSession) -> String {
    let summary = app
        .text_when(&ids::part::counts(ids::PLAN_RESULT), |t| {
            t.contains("succeeded")
        })
        .await;
    assert!(!summary.starts_with("0 succeeded"), "{summary}");
    summary
}

/// The app started on the demo, with the generic demo target diffed on the Diff page.
async fn app_with_diff() -> AppSession {
    let app = AppSession::start().await;
    app.open_diff_for(TARGET).await;
    app.click(ids::DIFF_RUN).await;
    app.text_when(ids::DIFF_META, |t| t.contains("rows drift"))
        .await;
    app
}

async fn settle_and_screenshot(app: &AppSession, name: &str) {
    tokio::time::sleep(Duration::from_millis(800)).await;
    let shot = app.screenshot(name).await;
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    let _ = std::fs::copy(&shot, docs.join(format!("{name}.png")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_plan_apply_with_confirmation_then_diff_again() {
    let (ws, report) = crate::demo_diff(TARGET).await;
    // The safe default may plan nothing destructive on the demo; then review with
    // "manage only JumpCloud's objects" off, which plans the demo's extra accounts too.
    let mut planned = engine::TargetWork::new(&ws, TARGET)
        .expect("the demo target")
        .plan(&Policy::default())
        .expect("plan");
    let unmanaged = planned.plan.counts.destructive == 0;
    if unmanaged {
        let policy = Policy {
            managed_only: false,
            ..Policy::default()
        };
        planned = engine::TargetWork::new(&ws, TARGET)
            .expect("the demo target")
            .plan(&policy)
            .expect("plan");
    }
    let counts = &planned.plan.counts;
    assert!(counts.creates > 0, "the demo plans creates");
    let destructive = counts.destructive;
    let missing_before: u32 = report
        .counts()
        .iter()
        .find(|(s, _)| *s == DriftRowState::Missing)
        .map(|(_, c)| c.users + c.groups + c.memberships)
        .unwrap_or_default();

    let app = app_with_diff().await;
    app.click(ids::DIFF_REVIEW_PLAN).await;
    app.by_test_id(ids::PAGE_PLAN).await;
    if unmanaged {
        app.text_when(ids::PLAN_COUNT_OPERATIONS, |t| !t.is_empty())
            .await;
        app.click(ids::PLAN_MANAGED_ONLY).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // The page shows what the engine plans.
    for (id, n) in [
        (ids::PLAN_COUNT_OPERATIONS, counts.operations),
        (ids::PLAN_COUNT_CREATES, counts.creates),
        (ids::PLAN_COUNT_UPDATES, counts.updates),
        (ids::PLAN_COUNT_DEACTIVATIONS, counts.deactivations),
        (ids::PLAN_COUNT_DELETIONS, counts.deletions),
        (ids::PLAN_COUNT_MEMBERS_ADDED, counts.members_added),
        (ids::PLAN_COUNT_MEMBERS_REMOVED, counts.members_removed),
        (ids::PLAN_COUNT_SKIPPED, counts.skipped),
    ] {
        let want = n.to_string();
        let shown = app.text_when(id, |t| t.contains(&want)).await;
        assert!(shown.contains(&want), "{id}: {shown} vs {want}");
    }
    let ops = app
        .client
        .find_all(Locator::Css(&test_id_selector(ids::PLAN_OP)))
        .await
        .unwrap();
    assert_eq!(ops.len() as u32, counts.operations.min(100 * 10));

    // Uncheck one operation that is not a create (the creates must land for the re-diff check).
    let non_create = planned
        .plan
        .operations
        .iter()
        .find(|o| {
            !o.destructive
                && !matches!(
                    o.action,
                    engine::plan::OpAction::CreateUser | engine::plan::OpAction::CreateGroup
                )
        })
        .map(|o| o.id.clone());
    let mut selected = counts.operations;
    if let Some(id) = &non_create {
        let row = row_checkbox(&app, ids::PLAN_OP, id, "row of the op to uncheck").await;
        row.click().await.unwrap();
        selected -= 1;
    }
    let label = app
        .text_when(ids::PLAN_APPLY, |t| {
            t.contains(&format!("Apply {selected} "))
        })
        .await;
    assert!(label.contains(&selected.to_string()));
    settle_and_screenshot(&app, "plan-review").await;

    app.click(ids::PLAN_APPLY).await;
    // Over the (default) deletion guard: its own override step first.
    if planned.plan.guard.tripped {
        let n = planned.plan.guard.deprovisions.to_string();
        app.by_test_id(ids::GUARD_OVERRIDE).await;
        app.by_test_id(ids::GUARD_OVERRIDE_INPUT)
            .await
            .send_keys(&n)
            .await
            .unwrap();
        app.click(ids::GUARD_OVERRIDE_CONTINUE).await;
    }
    if destructive > 0 {
        app.by_test_id(ids::PLAN_CONFIRM).await;
        confirm_by_name(&app, &report.target_name).await;
    }
    let summary = applied_summary(&app).await;
    let outcome = app.attr(ids::PLAN_RESULT, "data-outcome").await;
    assert!(
        outcome == "succeeded" || outcome == "partial",
        "outcome {outcome}: {summary}"
    );
    let succeeded: u32 = summary
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("succeeded count");

    // The page reads the target again and re-plans: what was applied is no longer planned.
    wait_gone(&app, ids::PLAN_REREAD).await;
    let left: u32 = app
        .text_when(ids::PLAN_COUNT_OPERATIONS, |t| {
            t.parse::<u32>().is_ok_and(|n| n < counts.operations)
        })
        .await
        .parse()
        .unwrap();
    assert!(
        left < counts.operations,
        "{left} operations left of {}",
        counts.operations
    );
    assert!(
        app.client
            .find_all(Locator::Css(&test_id_selector(ids::PLAN_REREAD_ERROR)))
            .await
            .unwrap()
            .is_empty(),
        "the re-read worked"
    );
    settle_and_screenshot(&app, "plan-result").await;

    // The result links straight to the run in History, with its journal of steps.
    app.click(&ids::part::history(ids::PLAN_RESULT)).await;
    app.by_test_id(ids::PAGE_HISTORY).await;
    app.by_test_id(ids::HISTORY_RUN_DETAIL).await;
    let tally = app
        .text_when(ids::HISTORY_STEPS_TALLY, |t| t.contains("succeeded"))
        .await;
    assert!(
        tally.starts_with(&format!("{succeeded} succeeded")),
        "steps {tally} vs {succeeded} succeeded"
    );
    let rows = app
        .client
        .find_all(Locator::Css(&test_id_selector(ids::HISTORY_STEP)))
        .await
        .unwrap();
    assert!(!rows.is_empty(), "the Steps table shows rows");
    for row in &rows {
        let state = row.attr("data-state").await.unwrap().unwrap_or_default();
        assert!(
            state == "succeeded" || (outcome == "partial" && state != "running"),
            "step state {state}"
        );
    }
    settle_and_screenshot(&app, "history-apply-steps").await;

    // Diff again: what was created is no longer missing.
    app.click(&ids::nav("diff")).await;
    app.by_test_id(ids::PAGE_DIFF).await;
    app.click(ids::DIFF_RUN).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.text_when(ids::DIFF_META, |t| t.contains("rows drift"))
        .await;
    let missing_after: u32 = app
        .text_when(&ids::diff_count("missing"), |_| true)
        .await
        .parse()
        .unwrap_or(u32::MAX);
    assert!(
        missing_after < missing_before,
        "missing {missing_before} -> {missing_after}"
    );
    assert_eq!(
        missing_after, 0,
        "every missing user, group and member was applied"
    );
    app.close().await;
}

/// "Provision this user now" on a missing user in the Diff detail: the result lists the user's
/// create as succeeded, and after a new diff the user is no longer missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provision_one_missing_user_from_the_diff_detail() {
    use engine::diff::{DriftCode, DriftRowKind};
    use scim_companion_tests::app_driver::{all_by_test_id, eventually, text_of};

    let (_ws, report) = crate::demo_diff(TARGET).await;
    let row = report
        .rows
        .iter()
        .find(|r| r.kind == DriftRowKind::User && r.reason_code == DriftCode::Missing)
        .expect("the demo has a missing, active user");
    let name = row.label.clone();
    // Searched by JumpCloud id: plain ASCII, and unique.
    let source_id = row
        .source_id
        .clone()
        .expect("a missing user has a JumpCloud id");

    let app = app_with_diff().await;
    // Find the user's row by name and open it.
    let open_row = |expect_state: &'static str| {
        let app = &app;
        let name = name.clone();
        let source_id = source_id.clone();
        async move {
            app.by_test_id(ids::DIFF_SEARCH)
                .await
                .clear()
                .await
                .unwrap();
            app.by_test_id(ids::DIFF_SEARCH)
                .await
                .send_keys(&source_id)
                .await
                .unwrap();
            eventually(app, "the user's row", || async {
                for badge in all_by_test_id(app, ids::DIFF_ROW_STATE).await {
                    let state = badge.attr("data-state").await.ok().flatten();
                    if state.as_deref() == Some(expect_state) {
                        return Some(());
                    }
                }
                None
            })
            .await;
            let label = eventually(app, "the user's label", || async {
                for label in all_by_test_id(app, ids::DIFF_ROW_LABEL).await {
                    if text_of(&label).await == name {
                        return Some(label);
                    }
                }
                None
            })
            .await;
            label.click().await.unwrap();
            app.text_when(ids::DIFF_DETAIL_LABEL, |t| t == name).await;
        }
    };
    open_row("missing").await;
    app.click(ids::DIFF_PROVISION_USER).await;
    let result = app.by_test_id(ids::PROVISION_RESULT).await;
    assert_eq!(
        result.attr("data-outcome").await.unwrap().as_deref(),
        Some("succeeded")
    );
    let steps = all_by_test_id(&app, &ids::part::step(ids::PROVISION_RESULT)).await;
    assert!(!steps.is_empty());
    let first = text_of(&steps[0]).await;
    assert_eq!(
        steps[0].attr("data-state").await.unwrap().as_deref(),
        Some("succeeded"),
        "{first}"
    );
    assert!(
        first.contains(&name) && first.contains("created"),
        "{first}"
    );
    settle_and_screenshot(&app, "provision-user").await;

    // A new diff: the user is in the target now.
    app.click(ids::DIFF_DETAIL_CLOSE).await;
    app.click(ids::DIFF_RUN).await;
    app.text_when(ids::DIFF_META, |t| t.contains("rows drift"))
        .await;
    // In-sync rows are hidden by default: show them to find the user.
    app.click(ids::DIFF_HIDE_IN_SYNC).await;
    open_row("in_sync").await;
    app.close().await;
}

/// Issue 15 item 4: limits saved on the Settings page hold on the Plan page. A plan over them
/// gets its own override step (a typed number, enabled only for the exact count of deactivations
/// and deletions) before the usual typed confirmation; and the IPC cannot skip the step, since
/// the engine re-checks the guard on apply whatever the window sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_over_the_saved_guard_needs_its_own_override_step() {
    let app = app_with_diff().await;
    // Settings: any single deactivation or deletion is over the guard.
    app.click(&ids::nav("settings")).await;
    app.by_test_id(ids::GUARD_SETTINGS).await;
    let count = app.by_test_id(ids::GUARD_MAX_COUNT).await;
    count.clear().await.unwrap();
    count.send_keys("0").await.unwrap();
    let percent = app.by_test_id(ids::GUARD_MAX_PERCENT).await;
    percent.clear().await.unwrap();
    percent.send_keys("0").await.unwrap();
    app.text_when(ids::GUARD_PROBLEM, |t| t.contains("above 0"))
        .await;
    percent.clear().await.unwrap();
    percent.send_keys("100").await.unwrap();
    app.click(ids::GUARD_SAVE).await;
    app.text_when(ids::GUARD_NOTICE, |t| t.contains("Saved"))
        .await;
    let settings =
        std::fs::read_to_string(app.data_dir().join("settings.json")).unwrap_or_default();
    assert!(settings.contains("deletion_guard"), "{settings}");

    app.click(&ids::nav("diff")).await;
    app.click(ids::DIFF_REVIEW_PLAN).await;
    app.by_test_id(ids::PAGE_PLAN).await;
    app.text_when(ids::PLAN_COUNT_OPERATIONS, |t| !t.is_empty())
        .await;
    // Manage every object, so the demo's extra accounts are deactivated too.
    app.click(ids::PLAN_MANAGED_ONLY).await;
    app.text_when(ids::PLAN_GUARD_BANNER, |t| t.contains("tripped"))
        .await;
    let limits = app
        .text_when(ids::PLAN_GUARD_LIMITS, |t| t.contains("at most 0"))
        .await;
    assert!(limits.contains("100%"), "{limits}");
    let n: u32 = app
        .text_when(ids::PLAN_COUNT_DEACTIVATIONS, |t| t.parse::<u32>().is_ok())
        .await
        .parse::<u32>()
        .unwrap()
        + app
            .text_when(ids::PLAN_COUNT_DELETIONS, |t| t.parse::<u32>().is_ok())
            .await
            .parse::<u32>()
            .unwrap();
    assert!(n > 0);

    // Straight to the IPC with the confirmation count plan_preview gives and no override:
    // the engine refuses, nothing is written.
    let policy = json!({ "upsert_only": false, "managed_only": false,
                         "guard_max_count": 100000, "guard_max_percent": 100.0 });
    let preview = app
        .client
        .execute_async(
            r#"const [policy, done] = arguments;
               window.__TAURI_INTERNALS__.invoke('plan_preview', { targetId: 'demo-generic', policy })
                 .then((v) => done({ ok: v }), (e) => done({ err: e }));"#,
            vec![policy.clone()],
        )
        .await
        .unwrap();
    let view = &preview["ok"];
    assert_eq!(view["guard"]["tripped"], json!(true), "{preview}");
    let intents: Vec<Value> = view["operations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["intents"].as_array().unwrap().clone())
        .collect();
    let refused = app
        .client
        .execute_async(
            r#"const [policy, approved, confirm, done] = arguments;
               const channel = '__CHANNEL__:' + window.__TAURI_INTERNALS__.transformCallback(() => {});
               window.__TAURI_INTERNALS__.invoke('plan_apply', { targetId: 'demo-generic', policy,
                 approved, confirmDestructive: confirm, overrideGuard: null, onProgress: channel })
                 .then((v) => done({ ok: v }), (e) => done({ err: e }));"#,
            vec![policy, json!(intents), view["counts"]["destructive"].clone()],
        )
        .await
        .unwrap();
    assert_eq!(refused["err"]["code"], json!("guard_tripped"), "{refused}");
    println!(
        "plan_apply without the override: {}",
        refused["err"]["message"]
    );

    // The window: the guard step, then the usual confirmation.
    app.click(ids::PLAN_APPLY).await;
    app.by_test_id(ids::GUARD_OVERRIDE).await;
    assert!(
        app.client
            .find(Locator::Css(&test_id_selector(ids::PLAN_CONFIRM)))
            .await
            .is_err(),
        "the typed confirmation comes only after the guard step"
    );
    let go = app.by_test_id(ids::GUARD_OVERRIDE_CONTINUE).await;
    assert!(!go.is_enabled().await.unwrap(), "disabled until the number");
    let input = app.by_test_id(ids::GUARD_OVERRIDE_INPUT).await;
    input.send_keys(&(n + 1).to_string()).await.unwrap();
    assert!(!go.is_enabled().await.unwrap(), "a wrong number");
    input.clear().await.unwrap();
    input.send_keys(&n.to_string()).await.unwrap();
    assert!(go.is_enabled().await.unwrap());
    settle_and_screenshot(&app, "plan-guard-override").await;
    go.click().await.unwrap();
    wait_gone(&app, ids::GUARD_OVERRIDE).await;
    app.by_test_id(ids::PLAN_CONFIRM).await;
    let name = demo::workspace()
        .expect("demo workspace")
        .target(TARGET)
        .expect("the generic demo target")
        .name
        .clone();
    confirm_by_name(&app, &name).await;
    applied_summary(&app).await;
    app.close().await;
}

/// Issue 14: a user someone disabled in the target is shown as "disabled in target" on the
/// Diff page and is never re-enabled by the default plan; on the Plan page the re-enable is a
/// decision, and ticking it (an explicit choice) re-plans with exactly that write added.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_disabled_in_the_target_is_re_enabled_only_when_chosen() {
    let (ws, _) = crate::demo_diff(TARGET).await;
    let planned = engine::TargetWork::new(&ws, TARGET)
        .expect("the demo target")
        .plan(&Policy::default())
        .expect("plan");
    let decision = planned
        .plan
        .decisions
        .iter()
        .find(|d| d.kind == engine::plan::DecisionKind::Reenable)
        .expect("the demo disables a user by hand")
        .clone();
    assert!(planned.plan.operations.iter().all(|o| o.id != decision.id));

    let app = app_with_diff().await;
    // The Diff page has a tile for the state, and the row says why nothing is written.
    let disabled = app
        .text_when(&ids::diff_count("disabled"), |t| t != "0")
        .await;
    assert!(disabled.parse::<u32>().unwrap_or(0) >= 1, "{disabled}");
    app.click(ids::DIFF_REVIEW_PLAN).await;
    app.by_test_id(ids::PAGE_PLAN).await;
    let before: u32 = app
        .text_when(ids::PLAN_COUNT_OPERATIONS, |t| t.parse::<u32>().is_ok())
        .await
        .parse()
        .unwrap();
    assert_eq!(before, planned.plan.counts.operations);
    let reenable = format!(
        "{}[data-kind=\"reenable\"]",
        test_id_selector(ids::PLAN_DECISION)
    );
    let row = Locator::Css(&reenable);
    let found = app.client.find_all(row).await.unwrap();
    assert!(!found.is_empty(), "re-enable decisions listed");
    let check = row_checkbox(
        &app,
        ids::PLAN_DECISION,
        &decision.id,
        "the decision's checkbox",
    )
    .await;
    assert!(
        !check.is_selected().await.unwrap(),
        "never chosen by default"
    );
    settle_and_screenshot(&app, "plan-decisions").await;
    check.click().await.unwrap();

    // The re-plan adds exactly the chosen write, and it is selected for the apply.
    let want = (before + 1).to_string();
    app.text_when(ids::PLAN_COUNT_OPERATIONS, |t| t == want)
        .await;
    let op = row_checkbox(
        &app,
        ids::PLAN_OP,
        &decision.id,
        "the re-enable operation is planned",
    )
    .await;
    assert!(op.is_selected().await.unwrap());
}
