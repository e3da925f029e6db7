//! One check: diff each selected target and sum up what the default plan would write.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{ErrorKind, Session, TargetInfo, TargetProblem, WorkspaceMode};

/// What a check found: the CLI's JSON summary, the webhook's body, the alerts' input.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSummary {
    pub checked_at: String,
    pub mode: &'static str,
    pub status: Status,
    pub targets: Vec<TargetCheck>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "WatchStatus")]
pub enum Status {
    InSync,
    Drift,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetCheck {
    pub id: String,
    pub name: String,
    pub status: Status,
    /// Rows the default plan would write, per state (missing, changed, deactivate, extra).
    pub drift: BTreeMap<&'static str, usize>,
    /// Rows that wait for a person (conflict, decision).
    pub needs_decision: usize,
    pub rows: usize,
    pub requests: u64,
    pub duration_ms: u64,
    /// The default plan would deactivate or delete more than the deletion guard allows.
    pub guard_tripped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_warning: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<CheckError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckError {
    pub code: ErrorKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl CheckSummary {
    pub fn new(mode: &'static str, targets: Vec<TargetCheck>) -> Self {
        let status = if targets.iter().any(|t| t.status == Status::Failed) {
            Status::Failed
        } else if targets.iter().any(|t| t.status == Status::Drift) {
            Status::Drift
        } else {
            Status::InSync
        };
        CheckSummary {
            checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            mode,
            status,
            targets,
        }
    }

    /// A check that could not start (no data folder, unreadable settings, no secrets folder).
    pub fn could_not_start(message: String, hint: Option<String>) -> Self {
        CheckSummary::new(
            "unknown",
            vec![TargetCheck::failed(
                "",
                "",
                ErrorKind::InvalidInput,
                message,
                hint,
            )],
        )
    }
}

impl TargetCheck {
    pub fn failed(
        id: &str,
        name: &str,
        code: ErrorKind,
        message: String,
        hint: Option<String>,
    ) -> TargetCheck {
        TargetCheck {
            id: id.to_owned(),
            name: name.to_owned(),
            status: Status::Failed,
            drift: BTreeMap::new(),
            needs_decision: 0,
            rows: 0,
            requests: 0,
            duration_ms: 0,
            guard_tripped: false,
            token_warning: None,
            error: Some(CheckError {
                code,
                message,
                hint,
            }),
        }
    }

    /// Rows the default plan would write, all states together.
    pub fn drift_total(&self) -> usize {
        self.drift.values().sum()
    }
}

/// Says why a listed target cannot be used, in the words of the secret source the front-end
/// uses (the CLI names the environment variable or file; the app names the keychain).
pub type ExplainUnusable<'a> = &'a (dyn Fn(&str, &TargetProblem) -> (String, String) + Sync);

/// Checks the selected targets (all when `selected` is empty) of the session's workspace, one
/// after the other. Unknown ids are failed checks that list the known ones.
pub async fn check_targets(
    session: &Session,
    selected: &[String],
    explain_unusable: ExplainUnusable<'_>,
) -> CheckSummary {
    let workspace = session.workspace();
    let mode = match workspace.mode() {
        WorkspaceMode::Demo => "demo",
        WorkspaceMode::Configured => "configured",
    };
    let listed = workspace.targets();
    let mut results = Vec::new();
    for id in selected {
        if !listed.iter().any(|t| &t.id == id) {
            let known: Vec<&str> = listed.iter().map(|t| t.id.as_str()).collect();
            results.push(TargetCheck::failed(
                id,
                id,
                ErrorKind::NotFound,
                format!(
                    "unknown target `{id}`; known targets: {}",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
                Some("`scim-companion targets list` shows the configured targets.".to_owned()),
            ));
        }
    }
    let chosen: Vec<TargetInfo> = listed
        .into_iter()
        .filter(|t| selected.is_empty() || selected.contains(&t.id))
        .collect();
    drop(workspace);
    for info in &chosen {
        results.push(check_target(session, info, explain_unusable).await);
    }
    CheckSummary::new(mode, results)
}

/// Diffs one target (recorded in the history) and sums up what the default plan would do.
async fn check_target(
    session: &Session,
    info: &TargetInfo,
    explain_unusable: ExplainUnusable<'_>,
) -> TargetCheck {
    let workspace = session.workspace();
    if let Some(problem) = workspace.target_problem(&info.id) {
        let (reason, hint) = explain_unusable(&info.id, problem);
        let code = crate::Error::TargetUnavailable {
            id: info.id.clone(),
            problem: problem.clone(),
        }
        .kind();
        return TargetCheck::failed(&info.id, &info.name, code, reason, Some(hint));
    }
    let token_warning = workspace
        .target_settings(&info.id)
        .and_then(|t| crate::setup::token_warning(t, chrono::Utc::now()));
    drop(workspace);
    let handle = match session.target(&info.id) {
        Ok(handle) => handle,
        Err(e) => {
            return TargetCheck::failed(&info.id, &info.name, e.kind(), e.to_string(), e.hint())
        }
    };
    let report = match handle.diff(|_| {}).await {
        Ok(report) => report,
        Err(e) => {
            let mut check =
                TargetCheck::failed(&info.id, &info.name, e.kind(), e.to_string(), e.hint());
            check.token_warning = token_warning;
            return check;
        }
    };
    let mut drift = BTreeMap::new();
    for row in report.rows.iter().filter(|r| r.state.is_drift()) {
        *drift.entry(crate::diff::state_name(row.state)).or_insert(0) += 1;
    }
    // The plan the app would propose with the saved limits: would the guard stop it?
    let policy = drift::plan::Policy {
        deletion_guard: crate::guard::SAVED_LIMITS_ONLY,
        ..drift::plan::Policy::default()
    };
    let guard_tripped = handle
        .plan(&policy)
        .is_ok_and(|plan| plan.plan.guard.tripped);
    TargetCheck {
        id: info.id.clone(),
        name: info.name.clone(),
        status: if drift.is_empty() {
            Status::InSync
        } else {
            Status::Drift
        },
        drift,
        needs_decision: report.needs_decision(),
        rows: report.rows.len(),
        requests: report.requests,
        duration_ms: u64::try_from(report.duration.as_millis()).unwrap_or(u64::MAX),
        guard_tripped,
        token_warning,
        error: None,
    }
}
