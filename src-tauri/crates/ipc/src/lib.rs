//! The data that crosses the Tauri IPC boundary.
//!
//! The desktop shell converts core types into these DTOs; the UI's TypeScript types are generated
//! from them by ts-rs (see `ui/src/bindings`), so the two sides cannot drift apart unnoticed.

mod error;
mod overview;
mod saml;

pub use error::{ErrorCode, IpcError};
pub use overview::{
    AppInfo, DirectorySummary, HomeOverview, StatusState, TargetCard, TargetKind, TargetStatus,
    WorkspaceMode,
};
pub use self::saml::{SamlBuild, SamlField, SamlFieldKind, SamlUserOption};
