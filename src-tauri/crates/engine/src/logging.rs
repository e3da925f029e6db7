//! Logging for both binaries, the desktop app and the CLI, so they filter and write alike.

/// Sends `tracing` output to stderr: warnings and errors, unless `SCIM_COMPANION_LOG` holds
/// another filter (e.g. `engine=debug`). Call once, first thing in `main`.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SCIM_COMPANION_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
}
