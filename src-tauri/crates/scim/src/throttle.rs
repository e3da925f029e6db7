//! One back-off for every request to a target.
//!
//! Vendors throttle per tenant, not per request (AWS IAM Identity Center's SCIM quotas are per
//! instance). When one request is answered 429 with Retry-After, every other request of the
//! client would meet the same limit, so all of them wait: the gate holds new attempts until the
//! pause ends. Clones of a client share the gate through the transport.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Default)]
pub(crate) struct ThrottleGate {
    /// No attempt starts before this instant.
    paused_until: Mutex<Option<Instant>>,
}

impl ThrottleGate {
    /// Holds every attempt for `pause` from now, or longer if an earlier pause ends later.
    pub(crate) fn pause(&self, pause: Duration) {
        let until = Instant::now() + pause;
        let mut slot = self.lock();
        if slot.is_none_or(|current| current < until) {
            *slot = Some(until);
        }
    }

    /// Waits until no pause is in force. `false` when cancelled while waiting.
    pub(crate) async fn wait(&self, cancel: &CancellationToken) -> bool {
        loop {
            let until = match *self.lock() {
                Some(until) if until > Instant::now() => until,
                _ => return true,
            };
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return false,
                _ = tokio::time::sleep_until(until) => {}
            }
            // Another request may have extended the pause meanwhile: look again.
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // The value is a plain instant: a panic elsewhere cannot leave it half-written.
        self.paused_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn every_waiter_is_held_until_the_longest_pause_ends() {
        let gate = ThrottleGate::default();
        let cancel = CancellationToken::new();
        let start = Instant::now();
        assert!(gate.wait(&cancel).await);
        assert_eq!(start.elapsed(), Duration::ZERO, "no pause, no wait");

        gate.pause(Duration::from_secs(2));
        gate.pause(Duration::from_secs(1)); // a shorter pause does not shorten the first
        assert!(gate.wait(&cancel).await);
        assert!(start.elapsed() >= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_returns_false_at_once() {
        let gate = ThrottleGate::default();
        gate.pause(Duration::from_secs(60));
        let cancel = CancellationToken::new();
        cancel.cancel();
        let start = Instant::now();
        assert!(!gate.wait(&cancel).await);
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
