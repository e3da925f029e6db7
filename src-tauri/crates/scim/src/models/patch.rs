use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::urn;

/// A PATCH request body (RFC 7644 §3.5.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
pub struct PatchOp {
    pub schemas: Vec<String>,
    #[serde(rename = "Operations")]
    pub operations: Vec<PatchOperation>,
}

impl PatchOp {
    pub fn new(operations: Vec<PatchOperation>) -> Self {
        Self {
            schemas: vec![urn::PATCH_OP.to_owned()],
            operations,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "scim/")]
pub enum PatchOpKind {
    Add,
    Replace,
    Remove,
}

/// One operation: `path` is optional for add/replace, required for remove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
pub struct PatchOperation {
    pub op: PatchOpKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<Value>,
}

impl PatchOperation {
    pub fn add(path: Option<&str>, value: Value) -> Self {
        Self {
            op: PatchOpKind::Add,
            path: path.map(str::to_owned),
            value: Some(value),
        }
    }

    pub fn replace(path: Option<&str>, value: Value) -> Self {
        Self {
            op: PatchOpKind::Replace,
            path: path.map(str::to_owned),
            value: Some(value),
        }
    }

    pub fn remove(path: impl Into<String>, value: Option<Value>) -> Self {
        Self {
            op: PatchOpKind::Remove,
            path: Some(path.into()),
            value,
        }
    }
}
