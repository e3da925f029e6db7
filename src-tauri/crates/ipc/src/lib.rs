//! The data that crosses the Tauri IPC boundary.
//!
//! Core types become these DTOs through the `From` impls here (the shell only calls `.into()`),
//! and every `engine::Error` becomes an [`IpcError`] in one exhaustive mapping built on
//! `engine::Error::kind()` and `hint()`. The UI's TypeScript types are generated from the DTOs by
//! ts-rs (see `ui/src/bindings`), so the two sides cannot drift apart unnoticed.
//!
//! A DTO that carries a secret in from the UI ([`JumpCloudForm`], the wizard's
//! `targets::Credentials`) has no `Serialize`, and the secret is a `secrets::Secret` (redacted in
//! `Debug`, zeroed when dropped), so it cannot travel back out. This does not compile:
//! ```compile_fail
//! let form: ipc::JumpCloudForm = serde_json::from_str(
//!     r#"{"region":"us","org_id":null,"base_url":null,"api_key":"k"}"#,
//! ).unwrap();
//! let _ = serde_json::to_string(&form);
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod diff;
mod directory;
mod error;
mod files;
mod history;
mod overview;
mod plan;
mod saml;
mod setup;
mod watch;

pub use self::saml::{SamlBuild, SamlField, SamlFieldKind, SamlUserOption};
pub use diff::{
    DiffAttrChange, DiffDetail, DiffExportFormat, DiffKind, DiffPhase, DiffProgress, DiffReason,
    DiffRow, DiffRowQuery, DiffRowsPage, DiffState, DiffStateCount, DiffSummary,
};
pub use directory::{DirectoryReadPhase, DirectoryReadProgress, DirectoryReadResult};
pub use error::{capitalise, ErrorCode, IpcError};
pub use files::{ExportRequest, UiPreferences};
pub use history::{HistoryExportFormat, HistoryInfo};
pub use overview::{
    AppInfo, DirectorySummary, HomeOverview, StatusState, TargetCard, TargetKind, TargetStatus,
    WorkspaceMode,
};
pub use plan::{
    ApplyCountsDto, ApplyOutcomeDto, ApplyPhase, ApplyProgressDto, ApplyStepDto, ApplyStepState,
    PlanAction, PlanCountsDto, PlanDecision, PlanDecisionKind, PlanGuard, PlanOperation,
    PlanPolicy, PlanSkipped, PlanSkippedKind, PlanView, MEMBER_LABELS,
};
pub use setup::{
    DiscoveryStatus, JumpCloudApp, JumpCloudConnection, JumpCloudForm, JumpCloudRegion,
    KeychainStatus, ProbeResult, RemoveResult, ResourceTypeDto, SavedAuth, SavedTarget, SetupState,
    TargetDraft, UrlCheck, WriteTestResult,
};
pub use watch::{
    Alert, AlertKind, BackgroundJob, LastCheck, WatchCheckResult, WatchOverview, WatchRunner,
    WatchStatus, WatchTarget, SCHEDULE_CHOICES,
};
