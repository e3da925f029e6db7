//! End-to-end tests against the real app window (tauri-driver + WebKitWebDriver).
//! Run under a display: `xvfb-run -a cargo test -p scim-companion-tests --test e2e -- --test-threads=1`.

use std::sync::Arc;

use engine::diff::{CancellationToken, DiffReport};

/// The demo workspace with `target` diffed in-process, without the window: what the page must show.
async fn demo_diff(target: &str) -> (engine::Workspace, Arc<DiffReport>) {
    let ws = demo::workspace().expect("demo workspace");
    let report = engine::TargetWork::new(&ws, target)
        .expect("a demo target")
        .diff(|_| {}, &CancellationToken::new())
        .await
        .expect("in-process demo diff");
    (ws, report)
}

mod diff;
mod foundation;
mod history;
mod jumpcloud_read;
mod plan;
mod saml;
mod secret_origin;
mod security;
mod setup;
mod watch;
