//! Ctrl-C stops a long read cleanly (the engine's cancellation), instead of killing the process
//! mid-write of a history run or snapshot file.

use jumpcloud::CancellationToken;

/// A token cancelled by the first Ctrl-C. Must be called inside the tokio runtime.
pub fn on_ctrl_c() -> CancellationToken {
    let token = CancellationToken::new();
    let on_signal = token.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling...");
            on_signal.cancel();
        }
    });
    token
}

/// Cancels the session's running job (and any later one) on the first Ctrl-C. Must be called
/// inside the tokio runtime.
pub fn cancel_session_on_ctrl_c(session: std::sync::Arc<engine::Session>) {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling...");
            session.cancel_all();
        }
    });
}

/// A token cancelled by the first Ctrl-C or SIGTERM (how systemd and container runtimes stop a
/// service). Must be called inside the tokio runtime.
pub fn on_stop_signal() -> CancellationToken {
    let token = CancellationToken::new();
    let on_signal = token.clone();
    tokio::spawn(async move {
        stop_signal().await;
        eprintln!("\nstopping...");
        on_signal.cancel();
    });
    token
}

#[cfg(unix)]
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        // Without a SIGTERM handler Ctrl-C still stops the watcher; SIGTERM then ends it as
        // the default action does.
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn stop_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
