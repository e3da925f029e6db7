//! End-to-end tests against the real app window (tauri-driver + WebKitWebDriver).
//! Run under a display: `xvfb-run -a cargo test -p scim-companion-tests --test e2e -- --test-threads=1`.

mod diff;
mod foundation;
mod history;
mod jumpcloud_read;
mod plan;
mod saml;
mod secret_origin;
mod security;
mod setup;
