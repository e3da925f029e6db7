//! Orchestration shared by the desktop app and the CLI: which directory and targets the admin
//! works with, connection checks, diff, plan, apply and history recording.
//! No UI types here: the shell and the CLI present what this crate returns.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod apply;
pub mod clients;
pub mod config;
pub mod connection;
#[cfg(test)]
mod demo;
pub mod diff;
pub mod directory_read;
mod error;
pub mod guard;
mod logging;
pub mod plan;
pub mod private_dir;
pub mod run_log;
pub mod saml;
pub mod session;
pub mod setup;
mod target_work;
pub mod watch;
mod workspace;

pub use apply::{ApplyOutcome, ApplyProgress, ApplyRequest, ApplyTally};
pub use connection::{ConnectionReport, DiscoveryState};
pub use diff::{DiffPhase, DiffProgress, DiffReport, ExportFormat, RowQuery};
pub use error::{Error, ErrorKind, Job, Result, TargetProblem};
pub use logging::init_logging;
pub use plan::PlanReport;
pub use session::{DiffEvent, JobKind, Session, Start};
pub use target_work::TargetWork;
pub use workspace::{
    DemoBuilder, DirectorySummary, KeepAlive, Target as WorkspaceTarget, TargetInfo, Workspace,
    WorkspaceMode,
};
