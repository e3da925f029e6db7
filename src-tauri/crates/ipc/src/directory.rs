//! Reading the JumpCloud directory of a configured workspace: progress of a read and its result.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::DirectorySummary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DirectoryReadPhase {
    /// Users, groups and applications lists.
    Collections,
    /// Group memberships and application bindings.
    Relations,
    Done,
}

/// One step of a JumpCloud read, streamed to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryReadProgress {
    pub phase: DirectoryReadPhase,
    pub done: u32,
    pub total: u32,
    pub requests: u32,
}

/// What a finished read brought: the new directory counts and the read's own figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryReadResult {
    pub directory: DirectorySummary,
    pub requests: u32,
    pub duration_ms: u32,
}
