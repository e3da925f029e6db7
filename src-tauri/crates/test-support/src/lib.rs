//! Test-only helpers shared by the crates' integration tests and the top-level `tests` suites.
//!
//! Like the rest of the test code they never skip: a missing tool is a failure that says how to
//! install it.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod scim2_server;
