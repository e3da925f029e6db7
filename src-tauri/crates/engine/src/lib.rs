//! Orchestration shared by the desktop app and the CLI: which directory and targets the admin
//! works with, connection checks, and (as they land) diff, plan, apply and history recording.
//! No UI types here: the shell and the CLI present what this crate returns.

mod clients;
pub mod config;
mod connection;
mod demo;
pub mod diff;
pub mod directory_read;
mod directory_swap;
mod error;
pub mod history;
pub mod saml;
pub mod setup;
mod workspace;

pub use connection::ConnectionReport;
pub use diff::{DiffPhase, DiffProgress, DiffReport, ExportFormat, RowQuery};
pub use error::{Error, Result};
pub use workspace::{DirectorySummary, TargetInfo, TargetProblem, Workspace, WorkspaceMode};
