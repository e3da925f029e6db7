//! Request counters, request log and the record of every `Retry-After` sent, so tests can
//! assert how many calls a client made and that it waited before retrying.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use serde::Serialize;

/// Aggregate counters since start (or the last reset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "sim/", rename = "SimRequestStats")]
pub struct RequestStats {
    // Counts stay far below 2^53, so the UI gets plain numbers rather than bigint.
    #[ts(type = "number")]
    pub total: u64,
    /// POST, PUT, PATCH and DELETE.
    #[ts(type = "number")]
    pub writes: u64,
    #[ts(type = "Record<string, number>")]
    pub by_method: BTreeMap<String, u64>,
    /// Keyed by `METHOD pattern`, e.g. `GET /Users`, `PATCH /Groups/{id}`.
    #[ts(type = "Record<string, number>")]
    pub by_pattern: BTreeMap<String, u64>,
    /// Keyed by status code.
    #[ts(type = "Record<string, number>")]
    pub by_status: BTreeMap<u16, u64>,
}

impl RequestStats {
    pub fn pattern(&self, method_and_pattern: &str) -> u64 {
        self.by_pattern
            .get(method_and_pattern)
            .copied()
            .unwrap_or(0)
    }
    pub fn method(&self, method: &str) -> u64 {
        self.by_method.get(method).copied().unwrap_or(0)
    }
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// Hash of a request body, to tell a retry (same body) from another request to the same path.
pub(crate) fn body_hash(body: &[u8]) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if body.is_empty() {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    Some(h.finish())
}

/// The longest run of refusals (429 or 5xx) one request met in a row, one request being the
/// same method, path, query and body (the body hash tells a retry from another create to the
/// same path). Its attempts were that plus one.
pub fn longest_refused_streak<'a>(log: impl IntoIterator<Item = &'a RequestRecord>) -> u64 {
    let mut streak: std::collections::HashMap<String, u64> = Default::default();
    let mut longest = 0;
    for r in log {
        let key = format!("{} {} {:?} {:?}", r.method, r.path, r.query, r.body_hash);
        let n = streak.entry(key).or_default();
        if r.status == 429 || r.status >= 500 {
            *n += 1;
            longest = longest.max(*n);
        } else {
            *n = 0;
        }
    }
    longest
}

/// One handled request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub at: Instant,
    pub method: String,
    /// Path relative to the base URL, e.g. `/Users/abc`.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Route pattern, e.g. `/Users/{id}`.
    pub pattern: String,
    pub status: u16,
    pub duration: Duration,
    /// Set when this response carried `Retry-After`.
    pub retry_after_secs: Option<u64>,
    /// Hash of the request body, so a retry (same body) is told from another create to the
    /// same path. Never the body itself: it carries directory data.
    pub body_hash: Option<u64>,
}

/// A request that arrived before the `Retry-After` of an earlier answer to the same
/// method, path, query and body had elapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryViolation {
    pub throttled: RequestRecord,
    pub early: RequestRecord,
    /// How much too early it came.
    pub early_by: Duration,
}

pub(crate) struct Stats {
    pub counters: RequestStats,
    pub log: VecDeque<RequestRecord>,
    pub retry_after: Vec<RequestRecord>,
    limit: usize,
}

impl Stats {
    pub fn new(limit: usize) -> Self {
        Stats {
            counters: RequestStats::default(),
            log: VecDeque::new(),
            retry_after: Vec::new(),
            limit: limit.max(1),
        }
    }

    pub fn record(&mut self, rec: RequestRecord) {
        let c = &mut self.counters;
        c.total += 1;
        if matches!(rec.method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE") {
            c.writes += 1;
        }
        *c.by_method.entry(rec.method.clone()).or_default() += 1;
        *c.by_pattern
            .entry(format!("{} {}", rec.method, rec.pattern))
            .or_default() += 1;
        *c.by_status.entry(rec.status).or_default() += 1;
        if rec.retry_after_secs.is_some() {
            self.retry_after.push(rec.clone());
        }
        if self.log.len() == self.limit {
            self.log.pop_front();
        }
        self.log.push_back(rec);
    }

    pub fn reset(&mut self) {
        self.counters = RequestStats::default();
        self.log.clear();
        self.retry_after.clear();
    }

    /// Each request that repeated a `Retry-After`-answered request before the wait was over.
    /// Requests are matched by method, path, query and body, so unrelated concurrent requests
    /// (another create to `POST /Users`) do not count.
    pub fn retry_violations(&self) -> Vec<RetryViolation> {
        let mut out = Vec::new();
        for throttled in &self.retry_after {
            let wait = Duration::from_secs(throttled.retry_after_secs.unwrap_or(0));
            // The response left after the handler finished; measure from then.
            let sent = throttled.at + throttled.duration;
            let due = sent + wait;
            let early = self.log.iter().find(|r| {
                r.at > throttled.at
                    && r.at < due
                    && r.method == throttled.method
                    && r.path == throttled.path
                    && r.query == throttled.query
                    && r.body_hash == throttled.body_hash
            });
            if let Some(early) = early {
                out.push(RetryViolation {
                    throttled: throttled.clone(),
                    early: early.clone(),
                    early_by: due - early.at,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(
        at: Instant,
        method: &str,
        path: &str,
        status: u16,
        retry: Option<u64>,
    ) -> RequestRecord {
        RequestRecord {
            at,
            method: method.into(),
            path: path.into(),
            query: None,
            pattern: "/Users".into(),
            status,
            duration: Duration::ZERO,
            retry_after_secs: retry,
            body_hash: None,
        }
    }

    #[test]
    fn counts_and_caps_the_log() {
        let mut s = Stats::new(2);
        let t = Instant::now();
        s.record(rec(t, "GET", "/Users", 200, None));
        s.record(rec(t, "POST", "/Users", 201, None));
        s.record(rec(t, "POST", "/Users", 409, None));
        assert_eq!(s.counters.total, 3);
        assert_eq!(s.counters.writes, 2);
        assert_eq!(s.counters.pattern("POST /Users"), 2);
        assert_eq!(s.counters.status(409), 1);
        assert_eq!(s.log.len(), 2);
    }

    #[test]
    fn finds_retries_that_came_too_early() {
        let mut s = Stats::new(100);
        let t = Instant::now();
        s.record(rec(t, "GET", "/Users", 429, Some(2)));
        s.record(rec(
            t + Duration::from_millis(500),
            "GET",
            "/Groups",
            200,
            None,
        ));
        s.record(rec(
            t + Duration::from_millis(900),
            "GET",
            "/Users",
            200,
            None,
        ));
        let v = s.retry_violations();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].early_by, Duration::from_millis(1100));

        let mut ok = Stats::new(100);
        ok.record(rec(t, "GET", "/Users", 429, Some(1)));
        ok.record(rec(
            t + Duration::from_millis(1001),
            "GET",
            "/Users",
            200,
            None,
        ));
        assert!(ok.retry_violations().is_empty());
    }
}
