//! Run exports, shaped like provisioning-log downloads: one row per step.

use super::History;
use crate::model::{Operation, RunDetail, RunId};
use crate::{defuse_formula, Result};

/// CSV header; one row per operation.
pub const CSV_COLUMNS: [&str; 14] = [
    "run_id",
    "time",
    "target",
    "action",
    "method",
    "path",
    "object_kind",
    "object",
    "http_status",
    "outcome",
    "latency_ms",
    "modified_attributes",
    "scim_type",
    "error",
];

impl History {
    /// `{ "run": RunDetail, "operations": [Operation, ...] }`.
    pub async fn export_run_json(&self, id: RunId) -> Result<serde_json::Value> {
        let detail = self.run(id).await?;
        let operations = self.all_operations(id).await?;
        Ok(serde_json::json!({ "run": detail, "operations": operations }))
    }

    /// CSV with [`CSV_COLUMNS`], one row per operation in order.
    pub async fn export_run_csv(&self, id: RunId) -> Result<String> {
        let detail = self.run(id).await?;
        let operations = self.all_operations(id).await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(CSV_COLUMNS)?;
        for op in &operations {
            // Target names, object labels and server error text come from outside.
            out.write_record(
                csv_row(&detail, op)
                    .iter()
                    .map(|c| defuse_formula(c).into_owned()),
            )?;
        }
        let bytes = out
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
    }
}

fn csv_row(detail: &RunDetail, operation: &Operation) -> [String; 14] {
    let op = &operation.op;
    [
        operation.run_id.to_string(),
        op.started_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        detail.run.target_name.clone(),
        action(&op.method).to_owned(),
        op.method.clone(),
        op.path.clone(),
        op.resource_kind.clone(),
        op.resource_label.clone(),
        op.status.map(|s| s.to_string()).unwrap_or_default(),
        op.outcome.as_str().to_owned(),
        op.latency_ms.map(|l| l.to_string()).unwrap_or_default(),
        op.modified_attributes.join(";"),
        op.scim_type.clone().unwrap_or_default(),
        op.error_detail.clone().unwrap_or_default(),
    ]
}

/// Provisioning-log style verb for an HTTP method.
fn action(method: &str) -> &'static str {
    match method.to_ascii_uppercase().as_str() {
        "POST" => "create",
        "PUT" | "PATCH" => "update",
        "DELETE" => "delete",
        "GET" => "read",
        _ => "other",
    }
}
