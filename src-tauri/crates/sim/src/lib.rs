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

/// The runtime a simulator thread serves on. Both simulators start their server on a thread of
/// its own and wait for it to say it is ready, so a runtime that fails to build is sent to that
/// waiter (`None` here: the thread then ends) rather than lost.
pub(crate) fn thread_runtime<T>(
    ready: &std::sync::mpsc::Sender<std::io::Result<T>>,
) -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => Some(rt),
        Err(e) => {
            let _ = ready.send(Err(e));
            None
        }
    }
}
