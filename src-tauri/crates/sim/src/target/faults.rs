//! Fault injection: seeded random throttling/unavailability, added latency, and a queue of
//! one-shot scripted faults. Deterministic for a given seed and request order.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

/// Which requests a fault may hit. Reads are GET; writes are POST, PUT, PATCH, DELETE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultScope {
    Reads,
    Writes,
    #[default]
    All,
}

impl FaultScope {
    pub fn applies(self, is_write: bool) -> bool {
        match self {
            FaultScope::Reads => !is_write,
            FaultScope::Writes => is_write,
            FaultScope::All => true,
        }
    }
}

/// A one-shot fault for the next matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a SCIM Error body; the request is not processed.
    /// 429 and 503 carry `Retry-After` ([`FaultConfig::retry_after_secs`]).
    Status(u16),
    /// 429 with an explicit `Retry-After` in seconds; not processed.
    Throttle { retry_after_secs: u64 },
    /// Answer with an HTML error page (as a proxy or login wall would); not processed.
    Html(u16),
    /// Process the request, then send only the first half of the JSON body.
    TruncatedJson,
    /// Wait this many milliseconds, then process normally.
    Delay(u64),
    /// Process the request, then label the JSON body `text/plain`.
    WrongContentType,
}

/// Random faults. Rates are probabilities per request in `0.0..=1.0`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    pub seed: u64,
    pub throttle_rate: f64,
    /// `Retry-After` seconds on 429 (and on 503 when `unavailable_retry_after` is set).
    pub retry_after_secs: u64,
    pub unavailable_rate: f64,
    /// Whether random 503s carry `Retry-After` too.
    pub unavailable_retry_after: bool,
    /// A load balancer's HTML 502 page; the request is not processed.
    pub bad_gateway_rate: f64,
    /// The request is processed, then its reply body is cut in half (a success included):
    /// the client cannot tell whether its write happened.
    pub truncated_rate: f64,
    /// Added to every request in scope.
    pub latency_ms: u64,
    pub scope: FaultScope,
    /// A per-tenant request rate limit, as vendors throttle: above it, 429 with `Retry-After`.
    pub rate_limit: Option<RateLimit>,
}

/// A token bucket: `per_second` tokens a second, holding at most `burst`. Every request takes
/// one; a request that finds none is refused (429, not processed) and takes nothing, so a client
/// that keeps under the rate is never refused and one that goes over is refused for the excess.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: f64,
}

impl RateLimit {
    /// A one-second burst, the shape of a "requests per second" quota.
    pub fn per_second(rate: f64) -> Self {
        RateLimit {
            per_second: rate,
            burst: rate.max(1.0),
        }
    }
}

#[derive(Debug)]
struct Bucket {
    limit: RateLimit,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn new(limit: RateLimit, now: Instant) -> Self {
        Bucket {
            limit,
            tokens: limit.burst,
            at: now,
        }
    }

    /// Takes a token, or says how long until one is there.
    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * self.limit.per_second;
        self.tokens = (self.tokens + refill).min(self.limit.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let rate = self.limit.per_second.max(f64::MIN_POSITIVE);
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate))
        }
    }
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 7,
            throttle_rate: 0.0,
            retry_after_secs: 1,
            unavailable_rate: 0.0,
            unavailable_retry_after: false,
            bad_gateway_rate: 0.0,
            truncated_rate: 0.0,
            latency_ms: 0,
            scope: FaultScope::All,
            rate_limit: None,
        }
    }
}

/// What to do to one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Decision {
    pub delay_ms: u64,
    /// Short-circuit answer instead of processing.
    pub answer: Option<Fault>,
    /// Damage applied to the processed answer.
    pub mangle: Option<Fault>,
}

pub(crate) struct FaultState {
    pub config: FaultConfig,
    rng: StdRng,
    queue: VecDeque<(FaultScope, Fault)>,
    bucket: Option<Bucket>,
}

impl FaultState {
    pub fn new(config: FaultConfig) -> Self {
        FaultState {
            rng: StdRng::seed_from_u64(config.seed),
            bucket: config.rate_limit.map(|l| Bucket::new(l, Instant::now())),
            config,
            queue: VecDeque::new(),
        }
    }

    pub fn set_config(&mut self, config: FaultConfig) {
        self.rng = StdRng::seed_from_u64(config.seed);
        self.bucket = config.rate_limit.map(|l| Bucket::new(l, Instant::now()));
        self.config = config;
    }

    pub fn push(&mut self, scope: FaultScope, fault: Fault) {
        self.queue.push_back((scope, fault));
    }

    pub fn clear(&mut self) {
        self.queue.clear();
        self.set_config(FaultConfig {
            seed: self.config.seed,
            ..FaultConfig::default()
        });
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    pub fn decide(&mut self, is_write: bool) -> Decision {
        self.decide_at(is_write, Instant::now())
    }

    fn decide_at(&mut self, is_write: bool, now: Instant) -> Decision {
        let mut decision = Decision::default();
        if self.config.scope.applies(is_write) {
            decision.delay_ms = self.config.latency_ms;
        }
        if let Some(i) = self.queue.iter().position(|(s, _)| s.applies(is_write)) {
            let (_, fault) = self.queue.remove(i).expect("index from position");
            match fault {
                Fault::Delay(ms) => decision.delay_ms += ms,
                Fault::TruncatedJson | Fault::WrongContentType => decision.mangle = Some(fault),
                other => decision.answer = Some(other),
            }
            return decision;
        }
        if !self.config.scope.applies(is_write) {
            return decision;
        }
        if let Some(Err(wait)) = self.bucket.as_mut().map(|b| b.take(now)) {
            // Whole seconds, as the header carries; at least one.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            decision.answer = Some(Fault::Throttle {
                retry_after_secs: secs.max(1),
            });
            return decision;
        }
        // One draw splits [0, 1) into the faults' shares, so the mix is exactly the rates given
        // (20 % throttled and 5 % unavailable means 25 % of requests fail).
        let draw: f64 = self.rng.gen();
        let c = &self.config;
        let mut edge = c.throttle_rate;
        if draw < edge {
            decision.answer = Some(Fault::Throttle {
                retry_after_secs: c.retry_after_secs,
            });
            return decision;
        }
        edge += c.unavailable_rate;
        if draw < edge {
            decision.answer = Some(Fault::Status(503));
            return decision;
        }
        edge += c.bad_gateway_rate;
        if draw < edge {
            decision.answer = Some(Fault::Html(502));
            return decision;
        }
        edge += c.truncated_rate;
        if draw < edge {
            decision.mangle = Some(Fault::TruncatedJson);
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(config: FaultConfig, n: usize) -> Vec<Option<Fault>> {
        let mut s = FaultState::new(config);
        (0..n).map(|_| s.decide(false).answer).collect()
    }

    #[test]
    fn random_faults_are_deterministic_per_seed_and_near_the_rate() {
        let cfg = FaultConfig {
            throttle_rate: 0.3,
            ..FaultConfig::default()
        };
        let a = run(cfg.clone(), 1000);
        assert_eq!(a, run(cfg.clone(), 1000));
        let hits = a.iter().filter(|f| f.is_some()).count();
        assert!((200..400).contains(&hits), "{hits} throttles for rate 0.3");
        let other = run(FaultConfig { seed: 99, ..cfg }, 1000);
        assert_ne!(a, other);
    }

    #[test]
    fn a_mix_of_faults_hits_each_share() {
        let mut s = FaultState::new(FaultConfig {
            throttle_rate: 0.2,
            unavailable_rate: 0.05,
            bad_gateway_rate: 0.03,
            truncated_rate: 0.03,
            ..FaultConfig::default()
        });
        let (mut throttled, mut unavailable, mut gateway, mut truncated) = (0, 0, 0, 0);
        for _ in 0..20_000 {
            let d = s.decide(true);
            match (d.answer, d.mangle) {
                (Some(Fault::Throttle { .. }), None) => throttled += 1,
                (Some(Fault::Status(503)), None) => unavailable += 1,
                (Some(Fault::Html(502)), None) => gateway += 1,
                (None, Some(Fault::TruncatedJson)) => truncated += 1,
                (None, None) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        // Within 10 % of each share (20,000 draws).
        assert!((3_600..4_400).contains(&throttled), "{throttled}");
        assert!((900..1_100).contains(&unavailable), "{unavailable}");
        assert!((540..660).contains(&gateway), "{gateway}");
        assert!((540..660).contains(&truncated), "{truncated}");
    }

    #[test]
    fn scripted_faults_respect_scope_and_fire_once() {
        let mut s = FaultState::new(FaultConfig::default());
        s.push(FaultScope::Writes, Fault::Status(502));
        s.push(FaultScope::All, Fault::TruncatedJson);
        // a read skips the write-only fault and takes the next one
        let d = s.decide(false);
        assert_eq!(d.mangle, Some(Fault::TruncatedJson));
        assert_eq!(s.decide(false), Decision::default());
        assert_eq!(s.decide(true).answer, Some(Fault::Status(502)));
        assert_eq!(s.pending(), 0);
    }

    #[test]
    fn latency_applies_only_in_scope() {
        let mut s = FaultState::new(FaultConfig {
            latency_ms: 40,
            scope: FaultScope::Writes,
            ..FaultConfig::default()
        });
        assert_eq!(s.decide(false).delay_ms, 0);
        assert_eq!(s.decide(true).delay_ms, 40);
    }

    #[test]
    fn the_rate_limit_refuses_only_the_excess_and_names_the_wait() {
        let start = Instant::now();
        let mut s = FaultState::new(FaultConfig {
            rate_limit: Some(RateLimit::per_second(10.0)),
            ..FaultConfig::default()
        });
        // The burst (10) passes at once; the 11th is refused with Retry-After 1 (whole seconds).
        for _ in 0..10 {
            assert_eq!(s.decide_at(false, start).answer, None);
        }
        assert_eq!(
            s.decide_at(false, start).answer,
            Some(Fault::Throttle {
                retry_after_secs: 1
            })
        );
        // Refused requests take no token: 100 ms later exactly one more passes.
        let later = start + Duration::from_millis(100);
        assert_eq!(s.decide_at(false, later).answer, None);
        assert!(s.decide_at(false, later).answer.is_some());
        // A client keeping to the rate is never refused: 10 requests spread over a second.
        let mut t = later;
        for _ in 0..50 {
            t += Duration::from_millis(100);
            assert_eq!(s.decide_at(false, t).answer, None);
        }
    }
}
