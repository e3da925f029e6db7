//! When a request is repeated, and how long to wait first.

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::HeaderValue;
use reqwest::StatusCode;

use crate::config::RetryPolicy;
use crate::error::{is_transient_server_error, TransportKind};

/// How safe a request is to repeat when its outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// GET: repeat freely.
    Read,
    /// PUT, PATCH, DELETE: sending the same request twice leaves the same state (RFC 7644
    /// §3.5.2.1: adding a value already present changes nothing; a DELETE repeated after it
    /// worked answers 404, which the client counts as done).
    Idempotent,
    /// POST: a second send may create a second object. Only repeated when the server cannot
    /// have acted on it; the client looks the object up before any other repeat.
    Create,
}

/// What one attempt ended in, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Observed {
    /// No reply arrived.
    Failed(TransportKind),
    Reply {
        status: StatusCode,
        has_retry_after: bool,
        /// A success whose JSON body is cut off or broken (not an HTML page, which means a
        /// wrong address and will not change on a retry).
        broken_json: bool,
    },
}

/// The retry verdict for one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Hand the result to the caller.
    Final,
    /// Refused before processing (429, 503 with Retry-After): wait, and hold every other
    /// request of the target too.
    Throttled,
    /// A transient failure after which repeating this request is safe.
    Transient,
}

pub(crate) fn classify(kind: Kind, observed: Observed) -> Verdict {
    match observed {
        // Nothing reached the server.
        Observed::Failed(TransportKind::Connect) => Verdict::Transient,
        // A timeout or a dropped reply: the server may have acted.
        Observed::Failed(_) => match kind {
            Kind::Read | Kind::Idempotent => Verdict::Transient,
            Kind::Create => Verdict::Final,
        },
        Observed::Reply {
            status,
            has_retry_after,
            broken_json,
        } => {
            if status == StatusCode::TOO_MANY_REQUESTS
                || (status == StatusCode::SERVICE_UNAVAILABLE && has_retry_after)
            {
                return Verdict::Throttled;
            }
            let transient_status = is_transient_server_error(status.as_u16());
            match kind {
                Kind::Read if transient_status || broken_json => Verdict::Transient,
                // A 2xx with a broken body was applied: the client reads the result back
                // rather than sending the write again.
                Kind::Idempotent if transient_status => Verdict::Transient,
                _ => Verdict::Final,
            }
        }
    }
}

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

    fn reply(status: u16, has_retry_after: bool, broken_json: bool) -> Observed {
        Observed::Reply {
            status: StatusCode::from_u16(status).unwrap(),
            has_retry_after,
            broken_json,
        }
    }

    #[test]
    fn throttles_are_retried_for_every_kind() {
        for kind in [Kind::Read, Kind::Idempotent, Kind::Create] {
            assert_eq!(classify(kind, reply(429, false, false)), Verdict::Throttled);
            assert_eq!(classify(kind, reply(503, true, false)), Verdict::Throttled);
            assert_eq!(
                classify(kind, Observed::Failed(TransportKind::Connect)),
                Verdict::Transient
            );
        }
    }

    #[test]
    fn an_unknown_outcome_repeats_only_what_is_safe_to_repeat() {
        for observed in [
            reply(500, false, false),
            reply(502, false, false),
            reply(503, false, false),
            reply(504, false, false),
            Observed::Failed(TransportKind::Timeout),
            Observed::Failed(TransportKind::Other),
        ] {
            assert_eq!(classify(Kind::Read, observed), Verdict::Transient);
            assert_eq!(classify(Kind::Idempotent, observed), Verdict::Transient);
            assert_eq!(
                classify(Kind::Create, observed),
                Verdict::Final,
                "{observed:?}"
            );
        }
        // A cut-off success: reads repeat; a write was applied and is not sent again.
        assert_eq!(
            classify(Kind::Read, reply(200, false, true)),
            Verdict::Transient
        );
        assert_eq!(
            classify(Kind::Idempotent, reply(200, false, true)),
            Verdict::Final
        );
        assert_eq!(
            classify(Kind::Create, reply(201, false, true)),
            Verdict::Final
        );
    }

    #[test]
    fn permanent_answers_are_final() {
        for status in [200, 201, 204, 400, 401, 403, 404, 409, 501, 505] {
            for kind in [Kind::Read, Kind::Idempotent, Kind::Create] {
                assert_eq!(classify(kind, reply(status, false, false)), Verdict::Final);
            }
        }
    }

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
            max_throttled_attempts: 5,
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
