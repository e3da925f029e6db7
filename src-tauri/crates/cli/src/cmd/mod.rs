//! One module per subcommand: its arguments, its run function and its output. The modules
//! beside `cmd/` are what the subcommands share (data folder, session, progress, errors).

pub mod apply;
pub mod demo;
pub mod diff;
pub mod history;
pub mod jumpcloud;
pub mod plan;
pub mod saml;
pub mod targets;
pub mod watch;
