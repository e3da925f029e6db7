//! One module per area; every command is also listed in `build.rs` so capabilities can grant it.

pub mod app;
pub mod diff;
pub mod directory;
pub mod files;
pub mod history;
pub mod plan;
pub mod saml;
pub mod settings;
pub mod setup;
pub mod targets;
pub mod watch;
