//! JumpCloud API simulator and seeded directory generator.
//!
//! - [`seed`]: deterministic directories (`generate`, `demo_directory`);
//! - [`server`]: the v1/v2 API over a directory on loopback, with paging, filters, auth and faults.

pub mod names;
pub mod seed;
pub mod server;

pub use seed::{demo_directory, generate, SeedSpec};
pub use server::{Fault, FaultRule, SimConfig, SimHandle, SimServer, SimThread};
