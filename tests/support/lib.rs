//! Shared helpers for the cross-crate and end-to-end tests.
//!
//! The E2E helpers drive the real app window through tauri-driver and WebKitWebDriver. They are
//! written to fail loudly, never hang and never skip: no display, no driver or no app binary is a
//! test failure with a message saying what to install or build.

pub mod app_driver;
