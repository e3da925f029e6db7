//! Loopback simulators used for the embedded demo and for tests:
//! - [`target`]: SCIM 2.0 service providers in each target's dialect, with fault injection;
//! - [`jumpcloud`]: the JumpCloud v1/v2 API over a seeded directory, plus the directory generator.
//! - [`recorder`]: a loopback listener that records what reaches it (secret-leak tests).
//!
//! Simulators are for demo data and for quirks no real server has; interop is proven against
//! the real `scim2-server` as well.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod host;
pub mod jumpcloud;
pub mod recorder;
pub mod target;
