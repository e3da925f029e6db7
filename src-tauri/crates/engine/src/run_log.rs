//! Recording into the local sync history: what the engine did against a target, as runs with
//! their SCIM requests (test connection) or their drift counts and snapshot (diff).
//!
//! Recording never decides whether the work itself succeeded: callers log a recording failure
//! and still return the work's result, so a broken history file cannot break a connection check.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use history::{
    hash_attributes, DiffSnapshot, History, NewOperation, NewRun, ObjectKind, ObjectState,
    OperationOutcome, RunCounts, RunId, RunKind, RunOutcome, Sensitive,
};
use serde_json::{json, Value};

use crate::connection::{self, ConnectionReport};
use crate::target_work::TargetWork;
use crate::workspace::{TargetInfo, Workspace};

/// Version written on every run; the workspace shares one version across crates.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Collects the SCIM exchanges of one run through the client's observer hook.
/// Clones share the same log.
#[derive(Clone, Default)]
pub struct ExchangeLog {
    entries: Arc<Mutex<Vec<Captured>>>,
}

struct Captured {
    finished_at: DateTime<Utc>,
    exchange: scim::Exchange,
}

impl ExchangeLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// An observer for `scim::Client::with_observer` that appends to this log.
    pub fn observer(&self) -> scim::Observer {
        let entries = self.entries.clone();
        Arc::new(move |exchange: &scim::Exchange| {
            entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(Captured {
                    finished_at: Utc::now(),
                    exchange: exchange.clone(),
                });
        })
    }

    /// The captured exchanges as history operations, in the order they finished.
    pub fn operations(&self) -> Vec<NewOperation> {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(operation_of)
            .collect()
    }
}

fn operation_of(captured: &Captured) -> NewOperation {
    let ex = &captured.exchange;
    let elapsed = TimeDelta::milliseconds(i64::try_from(ex.elapsed_ms).unwrap_or(i64::MAX));
    let ok = ex.status.is_some_and(|s| (200..300).contains(&s));
    let error_body = ex
        .response_excerpt
        .as_deref()
        .filter(|_| !ok)
        .and_then(|body| serde_json::from_str::<Value>(body).ok());
    let error_detail = match (ok, ex.status) {
        (true, _) => None,
        (false, Some(status)) => Some(
            error_body
                .as_ref()
                .and_then(|b| b.get("detail"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("HTTP {status}")),
        ),
        (false, None) => Some("no response (network error, timeout or cancelled)".to_owned()),
    };
    NewOperation {
        started_at: captured.finished_at - elapsed,
        method: ex.method.clone(),
        path: ex.path.clone(),
        resource_kind: resource_kind(&ex.path).to_owned(),
        resource_label: String::new(),
        status: ex.status,
        latency_ms: Some(u32::try_from(ex.elapsed_ms).unwrap_or(u32::MAX)),
        outcome: if ok {
            OperationOutcome::Succeeded
        } else {
            OperationOutcome::Failed
        },
        scim_type: error_body
            .as_ref()
            .and_then(|b| b.get("scimType"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        error_detail,
        request_excerpt: ex.request_excerpt.clone(),
        response_excerpt: ex.response_excerpt.clone(),
        modified_attributes: Vec::new(),
    }
}

/// "Users/123" -> "User"; discovery endpoints keep their own name.
fn resource_kind(path: &str) -> &str {
    match path.split(['/', '?']).next().unwrap_or_default() {
        "Users" => "User",
        "Groups" => "Group",
        other => other,
    }
}

/// Every credential value a client sends, so the history redactor removes them even when a
/// target echoes one back in a body.
/// A custom header's name is registered too, so `X-Custom-Auth: <value>` is removed even in a
/// spelling the value match misses (for example cut by an excerpt's length cap).
pub(crate) fn secrets_of(auth: &scim::Auth) -> Vec<Sensitive<'_>> {
    match auth {
        scim::Auth::Bearer(token) => vec![Sensitive::Value(token.expose())],
        scim::Auth::Basic { secret, .. } => vec![Sensitive::Value(secret.expose())],
        scim::Auth::Header { name, value } => vec![
            Sensitive::Value(value.expose()),
            Sensitive::HeaderName(name),
        ],
        scim::Auth::None => Vec::new(),
    }
}

/// Registers the saved JumpCloud API key with `history`'s redactor, so no text written there
/// can carry it. A locked or missing keychain registers nothing (then no key was read either).
pub fn register_jumpcloud_key(history: &History, store: &dyn secrets::SecretStore) {
    if let Ok(Some(key)) = store.get(&crate::setup::jumpcloud_account()) {
        history.add_secret(key.expose());
    }
}

impl TargetWork<'_> {
    /// [`TargetWork::test_connection`], recorded as a `test_connection` run. A recording
    /// failure is logged, never returned: the check's own result stands.
    pub async fn test_connection_recorded(
        &self,
        history: &History,
    ) -> crate::Result<ConnectionReport> {
        let target = self.target;
        for secret in secrets_of(&target.client.config().auth) {
            history.add_secret(secret);
        }
        let log = ExchangeLog::new();
        let started = Utc::now();
        let result = connection::check(&target.client.with_observer(log.observer())).await;
        if let Err(e) = record_test_connection(history, &target.info, started, &log, &result).await
        {
            tracing::warn!(target_id = self.id(), error = %e, "could not record the connection check in history");
        }
        result
    }
}

/// The session's connection check of target `id`, recorded when a history is given. A listed
/// target that cannot be used answers [`crate::Error::TargetUnavailable`] with the reason, an
/// unlisted one [`crate::Error::UnknownTarget`], whether or not a history is open.
pub(crate) async fn check_target(
    workspace: &Workspace,
    id: &str,
    history: Option<&History>,
) -> crate::Result<ConnectionReport> {
    let work = TargetWork::new(workspace, id)?;
    match history {
        Some(history) => work.test_connection_recorded(history).await,
        None => work.test_connection().await,
    }
}

/// Records one connection check: a `test_connection` run with one operation per SCIM request.
pub async fn record_test_connection(
    history: &History,
    target: &TargetInfo,
    started: DateTime<Utc>,
    log: &ExchangeLog,
    result: &crate::Result<ConnectionReport>,
) -> history::Result<RunId> {
    let run_id = history
        .start_run(new_run(RunKind::TestConnection, target, started))
        .await?;
    history.record_operations(run_id, &log.operations()).await?;
    let (outcome, summary) = match result {
        Ok(report) => (RunOutcome::Succeeded, report.summary()),
        Err(error) => (RunOutcome::Failed, error.to_string()),
    };
    history
        .finish_run(run_id, outcome, &RunCounts::default(), &summary)
        .await?;
    Ok(run_id)
}

/// Records one finished diff: a `diff` run with its SCIM requests, its counts and a snapshot of
/// every row, so the drift-over-time chart and "compare with previous run" have data.
///
/// Counts: `missing`, `extra` (unmanaged and formerly managed) and `changed` add users and
/// groups; `changed` also includes conflicts and accounts to deactivate (both exist on the two
/// sides but differ); membership changes and the breakdown are in the summary text.
pub async fn record_diff(
    history: &History,
    target: &TargetInfo,
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    drift: &drift::Drift,
    operations: &[NewOperation],
) -> history::Result<RunId> {
    let run_id = history
        .start_run(new_run(RunKind::Diff, target, started))
        .await?;
    history.record_operations(run_id, operations).await?;
    history
        .save_diff_snapshot(run_id, &snapshot_of(drift))
        .await?;
    let (counts, summary) = diff_counts(drift, finished - started);
    history
        .finish_run(run_id, RunOutcome::Succeeded, &counts, &summary)
        .await?;
    Ok(run_id)
}

pub(crate) fn new_run(kind: RunKind, target: &TargetInfo, started: DateTime<Utc>) -> NewRun {
    let mut run = NewRun::new(kind, &target.id, &target.name, APP_VERSION);
    run.started_at = started;
    run
}

pub(crate) fn diff_counts(drift: &drift::Drift, took: TimeDelta) -> (RunCounts, String) {
    let (u, g) = (&drift.summary.users, &drift.summary.groups);
    let extra = |c: &drift::DriftCounts| c.extra_unmanaged + c.extra_formerly_managed;
    let conflicts = u.conflicts + g.conflicts;
    let deactivate = u.deactivate + g.deactivate;
    let decisions = u.decisions + g.decisions;
    let disabled = u.disabled + g.disabled;
    let left = u.left_as_is + g.left_as_is;
    let counts = RunCounts {
        missing: u.missing + g.missing,
        extra: extra(u) + extra(g),
        changed: u.changed + g.changed + conflicts + deactivate + decisions + disabled,
        ineligible: u.ineligible + g.ineligible + left,
        ..RunCounts::default()
    };
    let summary = format!(
        "{} missing, {} extra, {} changed ({} conflicts, {} to deactivate, {} decisions, \
         {} disabled in the target), {} ineligible or left as is; memberships +{} -{}; \
         {} in sync; took {} ms",
        counts.missing,
        counts.extra,
        counts.changed,
        conflicts,
        deactivate,
        decisions,
        disabled,
        counts.ineligible,
        drift.summary.memberships_to_add,
        drift.summary.memberships_to_remove,
        u.in_sync + g.in_sync,
        took.num_milliseconds().max(0),
    );
    (counts, summary)
}

/// One entry per drift row: its key, a state, and a hash of what differs (reason and changed
/// values), so a row that stays "changed" with new values still shows in a delta.
pub(crate) fn snapshot_of(drift: &drift::Drift) -> DiffSnapshot {
    let mut snapshot = DiffSnapshot::default();
    for (kind, resources) in [
        (ObjectKind::User, &drift.users),
        (ObjectKind::Group, &drift.groups),
    ] {
        let categories = [
            (ObjectState::InSync, &resources.in_sync),
            (ObjectState::Missing, &resources.missing),
            (ObjectState::Changed, &resources.changed),
            (ObjectState::Changed, &resources.conflicts),
            (ObjectState::Changed, &resources.deactivate),
            (ObjectState::Changed, &resources.disabled),
            (ObjectState::Changed, &resources.decisions),
            (ObjectState::Ineligible, &resources.left_as_is),
            (ObjectState::Ineligible, &resources.ineligible),
            (ObjectState::Extra, &resources.extra.unmanaged),
            (ObjectState::Extra, &resources.extra.formerly_managed),
        ];
        for (state, entries) in categories {
            for entry in entries {
                let changes: Vec<Value> = entry
                    .changes
                    .iter()
                    .map(|c| json!([c.path, c.expected, c.actual]))
                    .collect();
                let hash =
                    hash_attributes(&json!({"reason": entry.reason_code, "changes": changes}));
                snapshot.push(kind, entry.key(), state, hash);
            }
        }
    }
    for row in drift.rows() {
        if row.kind == drift::DriftRowKind::Membership {
            let state = match row.state {
                drift::DriftRowState::Missing => ObjectState::Missing,
                drift::DriftRowState::LeftAsIs => ObjectState::Ineligible,
                _ => ObjectState::Extra,
            };
            let hash = hash_attributes(&json!({"reason": row.reason_code}));
            snapshot.push(ObjectKind::Membership, row.key, state, hash);
        }
    }
    snapshot
}

#[cfg(test)]
mod tests {
    use super::*;
    use drift::{Actual, CompareSpec, Expected, ExpectedGroup, ExpectedUser, KnownSources};
    use history::{OperationPage, RunFilter, RunPage};

    const ANN: &str = "5f1b2c3d4e5f60718293a4b1";
    const BOB: &str = "5f1b2c3d4e5f60718293a4b2";
    const CAT: &str = "5f1b2c3d4e5f60718293a4b3";
    const ENG: &str = "5f1b2c3d4e5f60718293a4c1";

    fn target() -> TargetInfo {
        TargetInfo {
            id: "t1".into(),
            name: "Test target".into(),
            kind: targets::Kind::Generic,
            base_url: "http://127.0.0.1:1/scim/v2".into(),
            simulated: true,
        }
    }

    fn user(id: &str, name: &str, title: &str) -> ExpectedUser {
        ExpectedUser {
            source_id: id.into(),
            label: name.into(),
            resource: json!({"userName": name, "title": title, "active": true}).into(),
        }
    }

    /// Ann in sync, Bob missing, Cat changed (title), one unmanaged account, and the group
    /// in the target without Ann.
    fn sample_drift(cat_title_in_target: &str) -> drift::Drift {
        let expected = Expected {
            users: vec![
                user(ANN, "ann@x.test", "Eng"),
                user(BOB, "bob@x.test", "Eng"),
                user(CAT, "cat@x.test", "Lead"),
            ],
            groups: vec![ExpectedGroup {
                source_id: ENG.into(),
                label: "Engineering".into(),
                resource: json!({"displayName": "Engineering"}).into(),
                member_source_ids: vec![ANN.into()],
                not_created_because: Vec::new(),
            }],
            ..Default::default()
        };
        let actual = Actual {
            users: vec![
                json!({"id": "u1", "externalId": ANN, "userName": "ann@x.test", "title": "Eng", "active": true}).into(),
                json!({"id": "u3", "externalId": CAT, "userName": "cat@x.test", "title": cat_title_in_target, "active": true}).into(),
                json!({"id": "u9", "userName": "breakglass@x.test", "active": true}).into(),
            ],
            groups: vec![
                json!({"id": "g1", "externalId": ENG, "displayName": "Engineering", "members": []}).into(),
            ],
            ..Default::default()
        };
        let known = KnownSources::new([ANN, BOB, CAT].map(String::from), [ENG.to_string()]);
        drift::diff(
            &expected,
            &actual,
            &CompareSpec::jumpcloud_default(),
            &known,
        )
    }

    #[test]
    fn counts_and_snapshot_follow_the_drift_rows() {
        let drift = sample_drift("Old title");
        let (counts, summary) = diff_counts(&drift, TimeDelta::milliseconds(42));
        assert_eq!((counts.missing, counts.extra, counts.changed), (1, 1, 1));
        assert!(summary.contains("memberships +1 -0"), "{summary}");
        assert!(summary.contains("took 42 ms"), "{summary}");

        let snapshot = snapshot_of(&drift);
        let state_of = |kind, key: &str| {
            snapshot
                .entries
                .iter()
                .find(|e| e.kind == kind && e.key == key)
                .map(|e| e.state)
        };
        assert_eq!(state_of(ObjectKind::User, ANN), Some(ObjectState::InSync));
        assert_eq!(state_of(ObjectKind::User, BOB), Some(ObjectState::Missing));
        assert_eq!(state_of(ObjectKind::User, CAT), Some(ObjectState::Changed));
        assert_eq!(state_of(ObjectKind::User, "u9"), Some(ObjectState::Extra));
        assert_eq!(
            state_of(ObjectKind::Membership, &format!("{ENG}/{ANN}")),
            Some(ObjectState::Missing)
        );
        assert_eq!(snapshot.entries.len(), drift.rows().len());
    }

    #[tokio::test]
    async fn diff_runs_feed_drift_over_time_and_the_delta() {
        let history = History::open_in_memory().await.unwrap();
        let t = target();
        let now = Utc::now();
        let first = record_diff(&history, &t, now, now, &sample_drift("Old title"), &[])
            .await
            .unwrap();
        let second = record_diff(&history, &t, now, now, &sample_drift("Other title"), &[])
            .await
            .unwrap();

        let points = history.drift_over_time("t1", 10).await.unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].run_id, first);
        assert_eq!(
            (points[1].missing, points[1].extra, points[1].changed),
            (1, 1, 1)
        );

        // Cat stays "changed" but with other values: the delta must name exactly Cat.
        let delta = history.diff_since_previous(second).await.unwrap();
        assert_eq!(delta.previous_run_id, Some(first));
        assert!(delta.appeared.is_empty() && delta.disappeared.is_empty());
        assert_eq!(delta.changed.len(), 1);
        assert_eq!(delta.changed[0].key, CAT);
        assert!(delta.changed[0].values_changed);
    }

    fn exchange(
        method: &str,
        path: &str,
        status: Option<u16>,
        body: Option<&str>,
    ) -> scim::Exchange {
        scim::Exchange {
            method: method.into(),
            path: path.into(),
            status,
            attempts: 1,
            elapsed_ms: 12,
            request_excerpt: None,
            response_excerpt: body.map(str::to_owned),
        }
    }

    #[tokio::test]
    async fn test_connection_run_keeps_each_request_without_the_token() {
        let history = History::open_in_memory().await.unwrap();
        let token = "demo-token-secret-123";
        history.add_secret(token);
        let log = ExchangeLog::new();
        let observe = log.observer();
        observe(&exchange(
            "GET",
            "ServiceProviderConfig",
            Some(200),
            Some("{}"),
        ));
        observe(&exchange(
            "GET",
            "Users?count=1",
            Some(401),
            Some(&format!(
                r#"{{"detail":"bad token {token}","scimType":"invalidValue"}}"#
            )),
        ));
        let result: crate::Result<ConnectionReport> = Err(crate::Error::UnknownTarget("t1".into()));
        let run_id = record_test_connection(&history, &target(), Utc::now(), &log, &result)
            .await
            .unwrap();

        let runs = history
            .list_runs(&RunFilter::default(), RunPage::first(10))
            .await
            .unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].kind, RunKind::TestConnection);
        assert_eq!(runs[0].outcome, RunOutcome::Failed);
        assert_eq!(runs[0].operation_count, 2);

        let ops = history
            .operations(run_id, OperationPage::first(10))
            .await
            .unwrap();
        assert_eq!(ops[0].op.resource_kind, "ServiceProviderConfig");
        assert_eq!(ops[0].op.outcome, OperationOutcome::Succeeded);
        assert_eq!(ops[1].op.resource_kind, "User");
        assert_eq!(ops[1].op.status, Some(401));
        assert_eq!(ops[1].op.scim_type.as_deref(), Some("invalidValue"));
        let detail = ops[1].op.error_detail.as_deref().unwrap();
        assert!(
            detail.starts_with("bad token") && !detail.contains(token),
            "{detail}"
        );
        let export = history.export_run_json(run_id).await.unwrap().to_string();
        assert!(!export.contains(token));
    }

    /// The JumpCloud key (from the keychain) and a Generic target's custom auth header are
    /// scrubbed from what a run stores, even when a server echoes them back.
    #[tokio::test]
    async fn the_jumpcloud_key_and_a_custom_header_never_reach_the_history() {
        use secrets::SecretStore as _;
        const KEY: &str = "jc-key-4b1d9e7f2a";
        const VALUE: &str = "hdr-value-77c1e0";
        let history = History::open_in_memory().await.unwrap();
        let store = secrets::MemorySecrets::new();
        store.set(&crate::setup::jumpcloud_account(), KEY).unwrap();
        register_jumpcloud_key(&history, &store);
        let auth = scim::Auth::Header {
            name: "X-Custom-Auth".into(),
            value: scim::Secret::new(VALUE),
        };
        for item in secrets_of(&auth) {
            history.add_secret(item);
        }
        let log = ExchangeLog::new();
        let observe = log.observer();
        // The value cut short by an excerpt cap still goes: the header name is known.
        let echoed = format!(
            "bad request: the key {KEY} is unknown\nX-Custom-Auth: {}",
            &VALUE[..8]
        );
        observe(&exchange("GET", "Users", Some(400), Some(&echoed)));
        let result: crate::Result<ConnectionReport> = Err(crate::Error::UnknownTarget("t1".into()));
        let run_id = record_test_connection(&history, &target(), Utc::now(), &log, &result)
            .await
            .unwrap();
        let export = history.export_run_json(run_id).await.unwrap().to_string();
        let csv = history.export_run_csv(run_id).await.unwrap();
        for text in [&export, &csv] {
            assert!(!text.contains(KEY), "{text}");
            assert!(!text.contains(&VALUE[..8]), "{text}");
        }
        assert!(export.contains("X-Custom-Auth: [REDACTED]"), "{export}");
    }
}
