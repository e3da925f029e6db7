//! Apply against the dialect simulators: convergence, idempotent replay, confirmation, failed
//! reads, throttling and an interrupted run. The same flow against a real scim2-server is in
//! the top-level `tests/apply` suite.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};

use history::{History, RunOutcome, StepState};
use sim::target::{Dialect, Fault, FaultConfig, FaultScope, SimConfig, SimHandle, SimTarget};

use super::*;
use crate::clients::client_for;
use crate::plan::{intents_for_user, provision_policy};
use crate::workspace::{Target, TargetInfo, Workspace};

/// The demo directory against a simulator this test controls, seeded with the demo's drift.
fn workspace(kind: targets::Kind, dialect: Dialect) -> (Workspace, SimHandle) {
    let mut ws = crate::demo::workspace().unwrap();
    let handle = SimTarget::spawn_in_thread(SimConfig::new(dialect)).unwrap();
    let app = match kind {
        targets::Kind::Aws => "AWS IAM Identity Center",
        targets::Kind::StrongDm => "StrongDM",
        _ => "Generic SCIM app",
    };
    crate::demo::seed_target(&handle, kind, app, &ws.directory).unwrap();
    let app_id = ws
        .directory
        .applications
        .iter()
        .find(|a| a.display_label.as_deref() == Some(app) || a.display_name.as_deref() == Some(app))
        .unwrap()
        .id
        .clone();
    let auth = scim::Auth::Bearer(scim::Secret::new(handle.token().to_owned()));
    ws.targets.push(Target {
        info: TargetInfo {
            id: "probe".into(),
            name: "Probe".into(),
            kind,
            base_url: handle.base_url().to_owned(),
            simulated: true,
        },
        client: client_for(kind, handle.base_url(), auth).unwrap(),
        app_id,
        settings: targets::Settings::default_for(kind),
    });
    (ws, handle)
}

/// The simulator target every test here works on.
fn probe(ws: &Workspace) -> TargetWork<'_> {
    TargetWork::new(ws, "probe").unwrap()
}

async fn plan_now(ws: &Workspace, policy: &Policy) -> Plan {
    probe(ws)
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    probe(ws).plan(policy).unwrap().plan.clone()
}

fn approve_all(plan: &Plan) -> ApplyRequest {
    ApplyRequest {
        policy: plan.policy.clone(),
        approved: plan.intents(),
        confirm_destructive: Some(plan.counts.destructive),
        // Reviewed as the admin would: a tripped guard overridden with its exact number.
        override_guard: plan.guard.tripped.then_some(plan.guard.deprovisions),
        provision_one: false,
    }
}

async fn apply(ws: &Workspace, h: &History, req: &ApplyRequest) -> Result<ApplyOutcome> {
    probe(ws)
        .apply(req, h, |_| {}, &CancellationToken::new())
        .await
}

fn user_names(handle: &SimHandle) -> Vec<String> {
    handle
        .users()
        .iter()
        .filter_map(|u| u["userName"].as_str().map(str::to_lowercase))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applying_everything_converges_and_a_second_apply_writes_nothing() {
    for (kind, dialect) in [
        (targets::Kind::Generic, Dialect::Generic),
        (targets::Kind::Aws, Dialect::Aws),
        (targets::Kind::StrongDm, Dialect::StrongDm),
    ] {
        let (ws, handle) = workspace(kind, dialect);
        let h = History::open_in_memory().await.unwrap();
        let policy = Policy {
            managed_only: false,
            ..Policy::default()
        };
        let plan = plan_now(&ws, &policy).await;
        assert!(
            plan.counts.creates > 0 && plan.counts.updates > 0,
            "{kind:?}: {:?}",
            plan.counts
        );
        let req = approve_all(&plan);

        let done = apply(&ws, &h, &req).await.unwrap();
        assert_eq!(
            done.outcome,
            RunOutcome::Succeeded,
            "{kind:?}: {}",
            done.summary
        );
        // The diff read before the writes is stale now: no plan is made from it.
        assert!(matches!(probe(&ws).plan(&policy), Err(Error::StaleDiff(_))));
        assert!(ws.last_diff("probe").is_ok(), "its rows still page");
        assert_eq!(done.counts.failed, 0);
        assert_eq!(done.steps.len(), plan.operations.len());
        // Every step is journalled and finished.
        let steps = h.steps(done.run_id).await.unwrap();
        assert_eq!(steps.len(), plan.operations.len());
        assert!(steps.iter().all(|s| s.state == StepState::Succeeded));

        // What is left is only what the plan refuses to touch (conflicts, ineligible, ...).
        let after = plan_now(&ws, &policy).await;
        assert!(
            after.operations.is_empty(),
            "{kind:?}: still planned: {:?}",
            after.operations.iter().map(|o| &o.id).collect::<Vec<_>>()
        );
        let names = user_names(&handle);
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "no duplicate accounts");

        // The same reviewed plan again: re-read, nothing needed, zero writes.
        handle.reset_stats();
        let again = apply(&ws, &h, &req).await.unwrap();
        assert!(again.steps.is_empty());
        assert_eq!(again.counts.no_longer_needed as usize, req.approved.len());
        assert_eq!(handle.stats().writes, 0, "{kind:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_operations_need_their_exact_count_confirmed() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let h = History::open_in_memory().await.unwrap();
    let policy = Policy {
        managed_only: false,
        ..Policy::default()
    };
    let plan = plan_now(&ws, &policy).await;
    assert!(plan.counts.destructive > 0);
    handle.reset_stats();
    for confirm in [None, Some(plan.counts.destructive - 1)] {
        let req = ApplyRequest {
            confirm_destructive: confirm,
            ..approve_all(&plan)
        };
        let err = apply(&ws, &h, &req).await.unwrap_err();
        assert!(
            matches!(err, Error::ConfirmationRequired { destructive, .. } if destructive == plan.counts.destructive),
            "{err}"
        );
        assert!(err.hint().unwrap().contains("nothing was written"));
    }
    assert_eq!(handle.stats().writes, 0);

    // Upsert-only: nothing destructive, so nothing to confirm.
    let safe = plan_now(
        &ws,
        &Policy {
            upsert_only: true,
            ..policy
        },
    )
    .await;
    assert_eq!(safe.counts.destructive, 0);
    let done = apply(
        &ws,
        &h,
        &ApplyRequest {
            confirm_destructive: None,
            ..approve_all(&safe)
        },
    )
    .await
    .unwrap();
    assert_eq!(done.outcome, RunOutcome::Succeeded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_read_writes_nothing_and_records_no_apply() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let h = History::open_in_memory().await.unwrap();
    let plan = plan_now(&ws, &Policy::default()).await;
    handle.reset_stats();
    // Every read fails (more 503s than the retry policy tries).
    for _ in 0..50 {
        handle.push_fault_for(FaultScope::Reads, Fault::Status(503));
    }
    let err = apply(&ws, &h, &approve_all(&plan)).await.unwrap_err();
    assert!(matches!(err, Error::Scim(_)), "{err}");
    assert_eq!(handle.stats().writes, 0);
    let runs = h
        .list_runs(&Default::default(), history::RunPage::first(10))
        .await
        .unwrap();
    assert!(runs.is_empty(), "no apply run without a complete read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_writes_complete_without_retrying_early() {
    let (mut ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let target = ws.targets.last_mut().unwrap();
    let mut config = target.client.config().clone();
    // Enough attempts that no operation meets a 429 on every one (0.3^10), so the run can be
    // asserted to succeed; the cap itself is tested in the scim crate.
    config.retry.max_attempts = 10;
    target.client = scim::Client::new(config).unwrap();
    let h = History::open_in_memory().await.unwrap();
    let plan = plan_now(&ws, &Policy::default()).await;
    handle.reset_stats();
    handle.set_faults(FaultConfig {
        throttle_rate: 0.3,
        retry_after_secs: 1,
        scope: FaultScope::Writes,
        ..FaultConfig::default()
    });
    let done = apply(&ws, &h, &approve_all(&plan)).await.unwrap();
    assert_eq!(done.outcome, RunOutcome::Succeeded, "{}", done.summary);
    let stats = handle.stats();
    assert!(
        stats.by_status.get(&429).copied().unwrap_or(0) > 0,
        "{stats:?}"
    );
    let violations = handle.retry_violations();
    assert!(
        violations.is_empty(),
        "retried before Retry-After: {violations:?}"
    );

    assert!(plan_now(&ws, &Policy::default())
        .await
        .operations
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_apply_is_recorded_and_a_rerun_converges_without_duplicates() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let h = History::open_in_memory().await.unwrap();
    let plan = plan_now(&ws, &Policy::default()).await;
    let req = approve_all(&plan);
    handle.set_faults(FaultConfig {
        latency_ms: 20,
        scope: FaultScope::Writes,
        ..FaultConfig::default()
    });
    let cancel = CancellationToken::new();
    let finished = AtomicU32::new(0);
    let stopped = probe(&ws)
        .apply(
            &req,
            &h,
            |p| {
                if let ApplyProgress::Applying(t) = p {
                    finished.store(t.done, Ordering::Relaxed);
                    if t.done >= 5 {
                        cancel.cancel();
                    }
                }
            },
            &cancel,
        )
        .await
        .unwrap();
    assert_eq!(stopped.outcome, RunOutcome::Cancelled);
    let steps = h.steps(stopped.run_id).await.unwrap();
    let done = steps
        .iter()
        .filter(|s| s.state == StepState::Succeeded)
        .count();
    assert!(done >= 5 && done < steps.len(), "{done} of {}", steps.len());
    assert!(steps
        .iter()
        .any(|s| s.state == StepState::Skipped && s.detail.contains("cancelled")));

    handle.clear_faults();
    let rerun = apply(&ws, &h, &req).await.unwrap();
    assert_eq!(rerun.outcome, RunOutcome::Succeeded, "{}", rerun.summary);
    assert!(rerun.counts.no_longer_needed as usize >= 1);
    let after = plan_now(&ws, &Policy::default()).await;
    assert!(after.operations.is_empty());
    let names = user_names(&handle);
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no duplicate accounts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioning_one_user_touches_only_that_user() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let h = History::open_in_memory().await.unwrap();
    let plan = plan_now(&ws, &provision_policy()).await;
    let create = plan
        .operations
        .iter()
        .find(|o| o.action == OpAction::CreateUser)
        .expect("the demo has missing users");
    let source = create.source_id.clone().unwrap();
    let intents = intents_for_user(&plan, &source);
    assert!(intents.contains(&create.id));
    let before = handle.user_count();
    let done = apply(
        &ws,
        &h,
        &ApplyRequest {
            policy: provision_policy(),
            approved: intents,
            confirm_destructive: None,
            override_guard: None,
            provision_one: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(done.outcome, RunOutcome::Succeeded, "{}", done.summary);
    let run = h.run(done.run_id).await.unwrap().run;
    assert_eq!(run.kind, history::RunKind::ProvisionOne);
    assert_eq!(handle.user_count(), before + 1);
    assert!(done
        .steps
        .iter()
        .all(|s| s.op_id == create.id || s.action == OpAction::AddMembers));
    assert!(handle
        .users()
        .iter()
        .any(|u| u["externalId"].as_str() == Some(source.as_str())));
}

/// Issue 14: the diff and the plan agree. After a complete apply under the default policy no
/// row is in a drift state (so `diff --detailed-exitcode` exits 0), users disabled by hand in
/// the target stay disabled, and nothing JumpCloud would not write was written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_complete_default_apply_the_diff_has_no_drift_and_disabled_users_stay_disabled() {
    for (kind, dialect) in [
        (targets::Kind::Generic, Dialect::Generic),
        (targets::Kind::Aws, Dialect::Aws),
        (targets::Kind::StrongDm, Dialect::StrongDm),
    ] {
        let (ws, handle) = workspace(kind, dialect);
        let h = History::open_in_memory().await.unwrap();
        let policy = Policy::default();
        let plan = plan_now(&ws, &policy).await;
        let report = ws.last_diff("probe").unwrap();
        assert!(report.drifted() > 0, "{kind:?}: the demo seeds drift");
        let disabled: Vec<String> = report
            .rows
            .iter()
            .filter(|r| r.state == drift::DriftRowState::Disabled)
            .filter_map(|r| r.target_id.clone())
            .collect();
        assert!(
            !disabled.is_empty(),
            "{kind:?}: the demo disables users by hand"
        );
        // Suspended JumpCloud users the target lacks are left as is, not missing.
        assert!(report
            .rows
            .iter()
            .all(|r| r.reason_code != drift::DriftCode::MissingInactive
                || r.state == drift::DriftRowState::LeftAsIs));

        let done = apply(&ws, &h, &approve_all(&plan)).await.unwrap();
        assert_eq!(
            done.outcome,
            RunOutcome::Succeeded,
            "{kind:?}: {}",
            done.summary
        );

        let after = plan_now(&ws, &policy).await;
        let report = ws.last_diff("probe").unwrap();
        let drifting: Vec<_> = report.rows.iter().filter(|r| r.state.is_drift()).collect();
        assert!(
            drifting.is_empty(),
            "{kind:?}: drift after apply: {drifting:#?}"
        );
        assert_eq!(report.drifted(), 0);
        assert!(after.operations.is_empty(), "{kind:?}");
        for id in &disabled {
            let user = handle
                .users()
                .into_iter()
                .find(|u| u["id"].as_str() == Some(id.as_str()))
                .unwrap();
            assert_eq!(
                user["active"],
                serde_json::json!(false),
                "{kind:?}: {id} re-enabled"
            );
        }
        // Re-enabling stays on offer for each of them.
        for id in &disabled {
            assert!(after
                .decisions
                .iter()
                .any(|d| d.id == format!("user.reenable:{id}")));
        }
    }
}

/// Saves `limits` as the workspace's guard (what Settings or settings.json would hold).
fn save_guard(ws: &Workspace, limits: drift::plan::DeletionGuard) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ws.save_deletion_guard(dir.path(), limits).unwrap();
    dir
}

/// A guard the demo's plan trips: any single deactivation or deletion is over it.
fn tight_guard() -> drift::plan::DeletionGuard {
    drift::plan::DeletionGuard {
        max_count: 0,
        max_percent: 100.0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tripped_guard_writes_nothing_without_the_exact_override() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let _dir = save_guard(&ws, tight_guard());
    let h = History::open_in_memory().await.unwrap();
    let policy = Policy {
        managed_only: false,
        ..Policy::default()
    };
    let plan = plan_now(&ws, &policy).await;
    let n = plan.guard.deprovisions;
    assert!(n > 0 && plan.guard.tripped, "{:?}", plan.guard);
    assert_eq!(plan.guard.max_count, 0, "the preview shows the saved limit");
    handle.reset_stats();
    // The destructive count confirmed alone, or with a wrong override number: refused.
    for offered in [
        None,
        Some(n - 1),
        Some(n + 1),
        Some(plan.counts.destructive + 7),
    ] {
        let req = ApplyRequest {
            override_guard: offered,
            ..approve_all(&plan)
        };
        let err = apply(&ws, &h, &req).await.unwrap_err();
        assert!(
            matches!(err, Error::GuardTripped { deprovisions, .. } if deprovisions == n),
            "{offered:?}: {err}"
        );
        assert!(err
            .hint()
            .unwrap()
            .contains(&format!("--override-guard {n}")));
    }
    assert_eq!(handle.stats().writes, 0, "a tripped guard wrote");
    let runs = h
        .list_runs(&Default::default(), history::RunPage::first(10))
        .await
        .unwrap();
    assert!(runs.is_empty(), "no apply recorded");

    // The override alone does not replace the destructive confirmation.
    let err = apply(
        &ws,
        &h,
        &ApplyRequest {
            override_guard: Some(n),
            confirm_destructive: None,
            ..approve_all(&plan)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::ConfirmationRequired { .. }), "{err}");
    assert_eq!(handle.stats().writes, 0);

    // The exact number: applied.
    let done = apply(
        &ws,
        &h,
        &ApplyRequest {
            override_guard: Some(n),
            ..approve_all(&plan)
        },
    )
    .await
    .unwrap();
    assert_eq!(done.outcome, RunOutcome::Succeeded, "{}", done.summary);
    assert!(handle.stats().writes > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_cannot_loosen_the_saved_guard() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let _dir = save_guard(&ws, tight_guard());
    let h = History::open_in_memory().await.unwrap();
    // Limits no plan could trip, as a script or an edited UI would send them.
    let loose = Policy {
        managed_only: false,
        deletion_guard: drift::plan::DeletionGuard {
            max_count: u32::MAX,
            max_percent: 100.0,
        },
        ..Policy::default()
    };
    let plan = plan_now(&ws, &loose).await;
    assert!(plan.guard.tripped, "the preview ignored the saved limit");
    handle.reset_stats();
    // Even a request carrying a plan whose verdict says "not tripped" is re-checked.
    let mut forged = plan.clone();
    forged.guard.tripped = false;
    forged.policy = loose.clone();
    let err = apply(&ws, &h, &approve_all(&forged)).await.unwrap_err();
    assert!(matches!(err, Error::GuardTripped { .. }), "{err}");
    assert_eq!(handle.stats().writes, 0);

    // A share out of range is refused before anything is read or written.
    for bad in [0.0, 150.0, f64::NAN] {
        let req = ApplyRequest {
            policy: Policy {
                deletion_guard: drift::plan::DeletionGuard {
                    max_count: 10,
                    max_percent: bad,
                },
                ..loose.clone()
            },
            ..approve_all(&plan)
        };
        let err = apply(&ws, &h, &req).await.unwrap_err();
        assert!(matches!(err, Error::InvalidGuard(_)), "{bad}: {err}");
        assert!(matches!(
            probe(&ws).plan(&req.policy),
            Err(Error::InvalidGuard(_))
        ));
    }
    assert_eq!(handle.stats().writes, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stricter_run_limit_applies_for_that_run() {
    let (ws, handle) = workspace(targets::Kind::Generic, Dialect::Generic);
    let h = History::open_in_memory().await.unwrap();
    let plan = plan_now(
        &ws,
        &Policy {
            managed_only: false,
            ..Policy::default()
        },
    )
    .await;
    let n = plan.guard.deprovisions;
    assert!(n > 0 && !plan.guard.tripped, "{:?}", plan.guard);
    handle.reset_stats();
    let req = ApplyRequest {
        policy: Policy {
            deletion_guard: drift::plan::DeletionGuard {
                max_count: n - 1,
                max_percent: 100.0,
            },
            ..plan.policy.clone()
        },
        ..approve_all(&plan)
    };
    let err = apply(&ws, &h, &req).await.unwrap_err();
    assert!(matches!(err, Error::GuardTripped { .. }), "{err}");
    assert_eq!(handle.stats().writes, 0);
}
