//! Backoff and Retry-After handling.

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::HeaderValue;

use crate::config::RetryPolicy;

/// Parses Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // RFC 2822 parsing accepts the IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT").
    let when = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let when = SystemTime::from(when);
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Exponential backoff with full jitter: uniform in [0, min(max, base * 2^n)],
/// so many clients throttled together do not retry in lockstep. Never less
/// than the server's Retry-After.
pub(crate) fn delay_for(
    policy: &RetryPolicy,
    retry_number: u32,
    retry_after: Option<Duration>,
) -> Duration {
    let exp = policy
        .base_delay
        .saturating_mul(1u32.checked_shl(retry_number.min(20)).unwrap_or(u32::MAX))
        .min(policy.max_delay);
    let jitter = if exp.is_zero() {
        Duration::ZERO
    } else {
        Duration::from_nanos(rand::thread_rng().gen_range(0..=exp.as_nanos() as u64))
    };
    match retry_after {
        Some(ra) => jitter.max(ra),
        None => jitter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // 1994-11-06 08:49:37 UTC
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static("7"), now),
            Some(Duration::from_secs(7))
        );
        let date = HeaderValue::from_static("Sun, 06 Nov 1994 08:49:47 GMT");
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(10)));
        let past = HeaderValue::from_static("Sun, 06 Nov 1994 08:00:00 GMT");
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static("soon"), now),
            None
        );
    }

    #[test]
    fn delay_is_bounded_and_respects_retry_after() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(800),
            max_retry_after: Duration::from_secs(60),
        };
        for n in 0..40 {
            let d = delay_for(&p, n, None);
            assert!(
                d <= Duration::from_millis(100) * 2u32.pow(n.min(3)),
                "retry {n}: {d:?}"
            );
            assert!(d <= p.max_delay);
        }
        for n in 0..10 {
            assert!(delay_for(&p, n, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
        }
    }
}
