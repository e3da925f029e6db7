//! Adaptive pacing: how many requests a client keeps in flight, and how fast it starts them.
//!
//! Vendors throttle per tenant with a quota of requests per second, and a long read (one request
//! per group on AWS, whose groups come back without members) must run near that quota without
//! tripping it: every refusal costs a `Retry-After` pause of every request (see `throttle`).
//! Two loops, in the spirit of TCP's congestion control:
//! - **the window** (requests in flight) starts small, grows by one after a window's worth of
//!   fast replies up to `max_concurrency`, shrinks by one when replies slow down (a server
//!   queueing them) and halves on a refusal;
//! - **the rate**: none until the first refusal (429, or 503 with `Retry-After`); from then on
//!   requests start at most `rate` a second, evenly spaced. A refusal halves the rate refused (cuts
//!   it to 90 % once refusals come at about the same rate: the quota is known); it then climbs back quickly towards just under that rate and slowly past
//!   it (as TCP CUBIC does with its window), so a fixed quota is met about once a half-minute and
//!   a quota that rises is followed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// The window a client starts with (the fixed concurrency of earlier versions).
pub(crate) const START_WINDOW: usize = 4;
/// Replies slower than `SLOW_FACTOR x` the best seen (plus `SLOW_MARGIN`) mean the server queues.
const SLOW_FACTOR: f64 = 2.0;
const SLOW_MARGIN: Duration = Duration::from_millis(20);
/// Slow replies closer together than this are one event: requests in flight together saw the
/// same queue.
const SAME_EVENT: Duration = Duration::from_secs(1);
/// A refusal cuts the rate to this share of the rate that was refused, or to `NEAR_CUT` of it
/// when the last refusal came at a rate within `SAME_QUOTA` of this one (the quota is known).
const CUT: f64 = 0.5;
const NEAR_CUT: f64 = 0.9;
const SAME_QUOTA: f64 = 0.1;
/// Once a second without refusal the rate closes `CLIMB` of its gap to `NEAR x` the last
/// refused rate; past that it rises by `PROBE` of itself.
const CLIMB: f64 = 0.3;
const NEAR: f64 = 0.97;
const PROBE: f64 = 0.002;
/// The pace never falls below this: a refusal that is not about the rate (a fault proxy's
/// random 429, an overloaded backend) would otherwise halve it at every occurrence down to a
/// crawl. Under a quota lower than this the server's `Retry-After` alone paces the client, as
/// it did before pacing.
const MIN_RATE: f64 = 10.0;
/// How far back starts are counted to measure the rate at the first refusal.
const RATE_SPAN: Duration = Duration::from_secs(2);

/// A client's pace at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Requests it may have in flight.
    pub window: usize,
    /// Requests a second it keeps to; `None` until the server refused a request for load.
    pub rate: Option<f64>,
}

/// What a reply says about the server's load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Load {
    /// Any reply that is not a refusal (errors included: they are not about load).
    Answered,
    /// 429, or 503 with `Retry-After`.
    Refused,
}

/// The control loops, apart from waiting, so they can be tested with made-up clocks.
#[derive(Debug)]
pub(crate) struct Control {
    max: usize,
    window: usize,
    rate: Option<f64>,
    /// The rate at the last refusal.
    refused_at: Option<f64>,
    next_start: Option<Instant>,
    starts: VecDeque<Instant>,
    best: Option<Duration>,
    fast_replies: usize,
    last_cut: Option<Instant>,
    /// Counts cuts: a request reserved before the latest one went out at the old pace.
    epoch: u64,
    last_rise: Option<Instant>,
    /// Whether a start had to wait for the rate since the last rise: a rate that holds nothing
    /// back (the server is slower than it) is not raised, or it would burst once the server
    /// speeds up.
    held_back: bool,
    last_shrink: Option<Instant>,
}

impl Control {
    pub(crate) fn new(max: usize) -> Self {
        let max = max.max(1);
        Control {
            max,
            window: START_WINDOW.min(max),
            rate: None,
            refused_at: None,
            next_start: None,
            starts: VecDeque::new(),
            best: None,
            fast_replies: 0,
            last_cut: None,
            epoch: 0,
            last_rise: None,
            held_back: false,
            last_shrink: None,
        }
    }

    pub(crate) fn window(&self) -> usize {
        self.window
    }

    /// Requests a second, or `None` while unpaced.
    pub(crate) fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// Reserves the next start: the instant the request may be sent (`now` while unpaced), and
    /// the pace's epoch to hand back with the reply.
    pub(crate) fn reserve_start(&mut self, now: Instant) -> (Instant, u64) {
        let at = match (self.rate, self.next_start) {
            (Some(rate), next) => {
                let at = next.map_or(now, |n| n.max(now));
                self.held_back |= at > now;
                self.next_start = Some(at + Duration::from_secs_f64(1.0 / rate));
                at
            }
            (None, _) => now,
        };
        self.starts.push_back(at);
        while self
            .starts
            .front()
            .is_some_and(|s| at.saturating_duration_since(*s) > RATE_SPAN)
        {
            self.starts.pop_front();
        }
        (at, self.epoch)
    }

    /// Takes in the reply, at `now`, to a request sent at `sent` in pace `epoch`. Returns the
    /// change of the window (+1, -1, or minus half of it).
    pub(crate) fn on_reply(
        &mut self,
        now: Instant,
        sent: Instant,
        epoch: u64,
        load: Load,
    ) -> isize {
        match load {
            Load::Refused => self.on_refusal(now, epoch),
            Load::Answered => {
                self.rise(now);
                self.on_answer(now, now.saturating_duration_since(sent))
            }
        }
    }

    fn on_refusal(&mut self, now: Instant, epoch: u64) -> isize {
        // A request reserved before the last cut went out at the old pace: no news.
        if epoch != self.epoch {
            return 0;
        }
        self.epoch += 1;
        self.last_cut = Some(now);
        self.last_rise = Some(now);
        let refused = self.rate.unwrap_or_else(|| self.measured_rate(now));
        let known = self
            .refused_at
            .is_some_and(|last| (refused - last).abs() <= last * SAME_QUOTA);
        self.refused_at = Some(refused);
        self.rate = Some((refused * if known { NEAR_CUT } else { CUT }).max(MIN_RATE));
        self.fast_replies = 0;
        let before = self.window;
        self.window = (self.window / 2).max(1);
        self.window as isize - before as isize
    }

    /// Starts a second over the last `RATE_SPAN` (or since the first start, if sooner).
    fn measured_rate(&self, now: Instant) -> f64 {
        let Some(first) = self.starts.front() else {
            return 1.0;
        };
        let span = now
            .saturating_duration_since(*first)
            .clamp(Duration::from_millis(250), RATE_SPAN);
        self.starts.len() as f64 / span.as_secs_f64()
    }

    fn rise(&mut self, now: Instant) {
        let Some(rate) = self.rate else { return };
        if self
            .last_rise
            .is_some_and(|t| now.saturating_duration_since(t) < Duration::from_secs(1))
        {
            return;
        }
        self.last_rise = Some(now);
        if !std::mem::take(&mut self.held_back) {
            return;
        }
        let probe = rate * PROBE;
        let climb = self
            .refused_at
            .map_or(0.0, |refused| (refused * NEAR - rate) * CLIMB);
        self.rate = Some(rate + climb.max(probe));
    }

    fn on_answer(&mut self, now: Instant, latency: Duration) -> isize {
        let best = *self.best.get_or_insert(latency);
        if latency < best {
            self.best = Some(latency);
        }
        let slow = latency > best.mul_f64(SLOW_FACTOR) + SLOW_MARGIN;
        if slow {
            self.fast_replies = 0;
            // One step down per second at most: replies in flight all saw the same queue.
            let recent = self
                .last_shrink
                .is_some_and(|t| now.saturating_duration_since(t) < SAME_EVENT);
            if self.window > 1 && !recent {
                self.last_shrink = Some(now);
                self.window -= 1;
                return -1;
            }
            return 0;
        }
        self.fast_replies += 1;
        if self.fast_replies >= self.window && self.window < self.max {
            self.fast_replies = 0;
            self.window += 1;
            return 1;
        }
        0
    }
}

/// The shared pacer of a client (and its clones): a semaphore holding the window's slots, and
/// the control loops.
#[derive(Debug)]
pub(crate) struct Pacer {
    slots: Arc<Semaphore>,
    state: Mutex<PacerState>,
}

#[derive(Debug)]
struct PacerState {
    control: Control,
    /// Slots to take back as they are returned (the window shrank below what is in flight).
    debt: usize,
}

/// A place in the window, held while one attempt is in flight.
pub(crate) struct Slot<'a> {
    pacer: &'a Pacer,
    permit: Option<OwnedSemaphorePermit>,
    started: Instant,
    epoch: u64,
}

impl Pacer {
    pub(crate) fn new(max_concurrency: usize) -> Self {
        let control = Control::new(max_concurrency);
        Pacer {
            slots: Arc::new(Semaphore::new(control.window())),
            state: Mutex::new(PacerState { control, debt: 0 }),
        }
    }

    /// Waits for a slot in the window and for the rate's next start. `None` when cancelled.
    pub(crate) async fn slot(&self, cancel: &CancellationToken) -> Option<Slot<'_>> {
        let permit = tokio::select! {
            biased;
            _ = cancel.cancelled() => return None,
            p = self.slots.clone().acquire_owned() => p.ok()?,
        };
        let (at, epoch) = self.lock().control.reserve_start(Instant::now());
        let slot = Slot {
            pacer: self,
            permit: Some(permit),
            started: at,
            epoch,
        };
        if at > Instant::now() {
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return None,
                _ = tokio::time::sleep_until(at) => {}
            }
        }
        Some(slot)
    }

    /// The window and the rate now, for progress and benchmarks.
    pub(crate) fn snapshot(&self) -> (usize, Option<f64>) {
        let state = self.lock();
        (state.control.window(), state.control.rate())
    }

    fn lock(&self) -> MutexGuard<'_, PacerState> {
        // Plain numbers: a panic elsewhere cannot leave them half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Slot<'_> {
    /// Reports how the attempt went and frees the slot.
    pub(crate) fn done(mut self, load: Load) {
        let mut state = self.pacer.lock();
        let change = state
            .control
            .on_reply(Instant::now(), self.started, self.epoch, load);
        if change > 0 {
            let repaid = state.debt.min(change as usize);
            state.debt -= repaid;
            self.pacer.slots.add_permits(change as usize - repaid);
        } else if change < 0 {
            state.debt += change.unsigned_abs();
        }
        // Give back this slot, unless the window owes one.
        if state.debt > 0 {
            state.debt -= 1;
            if let Some(p) = self.permit.take() {
                p.forget();
            }
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        // An attempt dropped without `done` (cancelled) returns its slot as it is.
        if let Some(p) = self.permit.take() {
            let mut state = self.pacer.lock();
            if state.debt > 0 {
                state.debt -= 1;
                p.forget();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// A client sending as fast as `control` allows against a token-bucket quota of `quota`
    /// a second (burst of one second), every reply taking `latency`; returns (requests
    /// answered, requests refused, seconds).
    fn run_against_quota(quota: f64, latency: Duration, requests: usize) -> (usize, usize, f64) {
        let (answers, refused, secs) = model(quota, |_| latency, requests);
        (answers.len(), refused, secs)
    }

    /// A discrete-event model of the transport: a request takes a slot in the window, waits
    /// for its paced start and then for any pause in force (as `Transport::send` does after
    /// taking its slot), and is answered `latency(seconds since the start)` after it is sent, or
    /// refused when the token bucket (`quota` a second, one second's burst) is empty, which
    /// pauses every later send for one second (`Retry-After: 1`). Returns the seconds at which
    /// requests were answered, the refusals and the seconds taken.
    fn model(
        quota: f64,
        latency: impl Fn(f64) -> Duration,
        requests: usize,
    ) -> (Vec<f64>, usize, f64) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        enum Step {
            Send,
            Reply(bool),
        }
        let start = Instant::now();
        let mut control = Control::new(16);
        let (mut tokens, mut refilled) = (quota, start);
        let mut paused_until = start;
        let mut now = start;
        let mut events = BinaryHeap::new();
        let mut seq = 0u64;
        // Each request's reserved start and pace epoch, by sequence number.
        let mut reserved: Vec<(Instant, u64)> = Vec::new();
        let (mut answers, mut refused, mut in_use) = (Vec::new(), 0, 0usize);
        while answers.len() < requests {
            while in_use < control.window() {
                let (at, epoch) = control.reserve_start(now);
                reserved.push((at, epoch));
                events.push(Reverse((at, seq, Step::Send)));
                seq += 1;
                in_use += 1;
            }
            let Reverse((t, id, step)) = events.pop().expect("requests in flight");
            now = t;
            let (started, epoch) = reserved[id as usize];
            match step {
                Step::Send if now < paused_until => {
                    events.push(Reverse((paused_until, id, Step::Send)));
                }
                Step::Send => {
                    tokens = (tokens + (now - refilled).as_secs_f64() * quota).min(quota);
                    refilled = now;
                    let ok = tokens >= 1.0;
                    if ok {
                        tokens -= 1.0;
                    }
                    let took = latency((now - start).as_secs_f64());
                    events.push(Reverse((now + took, id, Step::Reply(ok))));
                }
                Step::Reply(ok) => {
                    in_use -= 1;
                    if ok {
                        answers.push((now - start).as_secs_f64());
                        control.on_reply(now, started, epoch, Load::Answered);
                    } else {
                        refused += 1;
                        control.on_reply(now, started, epoch, Load::Refused);
                        paused_until = paused_until.max(now + Duration::from_secs(1));
                    }
                }
            }
        }
        (answers, refused, (now - start).as_secs_f64())
    }

    #[tokio::test(start_paused = true)]
    async fn a_fixed_quota_is_used_above_90_percent_with_under_1_percent_refused() {
        let (answered, refused, secs) = run_against_quota(20.0, 40 * MS, 5_000);
        let rate = answered as f64 / secs;
        let refused_share = refused as f64 / (answered + refused) as f64;
        assert!(
            rate >= 18.0,
            "{rate:.1} a second of a quota of 20 ({refused} refused, {secs:.0} s)"
        );
        assert!(refused_share < 0.01, "{refused} refused of {answered}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_grows_while_replies_are_fast_and_stays_within_the_maximum() {
        let mut c = Control::new(6);
        let now = Instant::now();
        assert_eq!(c.window(), START_WINDOW);
        for _ in 0..100 {
            c.on_reply(now + 40 * MS, now, 0, Load::Answered);
        }
        assert_eq!(c.window(), 6);
        assert_eq!(c.rate(), None, "no refusal, no pacing");
        assert_eq!(c.reserve_start(now), (now, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_that_holds_nothing_back_is_not_raised() {
        let mut c = Control::new(4);
        let t0 = Instant::now();
        for i in 0..40 {
            c.reserve_start(t0 + 25 * MS * i);
        }
        let t1 = t0 + Duration::from_secs(1);
        c.on_reply(t1, t1 - 40 * MS, 0, Load::Refused);
        let paced = c.rate().unwrap();
        // A slow server: one request every half second, far under the pace; nothing waits.
        let mut t = t1 + Duration::from_secs(1);
        for _ in 0..20 {
            let (at, epoch) = c.reserve_start(t);
            assert_eq!(at, t);
            c.on_reply(t + 400 * MS, at, epoch, Load::Answered);
            t += 500 * MS;
        }
        assert_eq!(c.rate(), Some(paced));
        // Requests that queue for the pace raise it again.
        for _ in 0..40 {
            let (at, epoch) = c.reserve_start(t);
            c.on_reply(at + 40 * MS, at, epoch, Load::Answered);
            t = at + 40 * MS;
        }
        assert!(c.rate().unwrap() > paced);
    }

    #[tokio::test(start_paused = true)]
    async fn random_refusals_do_not_slow_the_pace_below_its_floor() {
        let mut c = Control::new(4);
        let mut t = Instant::now();
        // Every fifth reply refused whatever the rate, as the reliability suite's fault proxy
        // does: many cuts, but the pace stays at its floor.
        for i in 0..200 {
            let (at, epoch) = c.reserve_start(t);
            let load = if i % 5 == 4 {
                Load::Refused
            } else {
                Load::Answered
            };
            c.on_reply(at + 40 * MS, at, epoch, load);
            t = at + 40 * MS;
        }
        assert!(c.rate().unwrap() >= MIN_RATE, "{:?}", c.rate());
    }

    #[tokio::test(start_paused = true)]
    async fn slow_replies_shrink_the_window_once_a_second() {
        let mut c = Control::new(8);
        let t0 = Instant::now();
        let now = t0 + Duration::from_secs(1);
        c.on_reply(now, now - 40 * MS, 0, Load::Answered);
        assert_eq!(c.on_reply(now, now - 400 * MS, 0, Load::Answered), -1);
        assert_eq!(
            c.on_reply(now, now - 400 * MS, 0, Load::Answered),
            0,
            "same second"
        );
        assert_eq!(
            c.on_reply(now + 1100 * MS, now + 700 * MS, 0, Load::Answered),
            -1,
            "a second later"
        );
        assert_eq!(c.window(), START_WINDOW - 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_halves_the_window_and_paces_under_the_refused_rate() {
        let mut c = Control::new(8);
        let t0 = Instant::now();
        // 40 starts in one second: 40 a second.
        for i in 0..40 {
            c.reserve_start(t0 + 25 * MS * i);
        }
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(c.on_reply(t1, t1 - 40 * MS, 0, Load::Refused), -2);
        let rate = c.rate().unwrap();
        assert!((19.0..21.0).contains(&rate), "{rate}");
        assert_eq!(
            c.on_reply(t1 + 10 * MS, t1 - 30 * MS, 0, Load::Refused),
            0,
            "reserved before the cut"
        );
        // Paced: starts are 1/rate apart even when asked for at once.
        let (a, _) = c.reserve_start(t1);
        let (b, epoch) = c.reserve_start(t1);
        assert_eq!(epoch, 1);
        assert!((b - a).as_secs_f64() > 0.9 / rate);
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_shrinks_in_flight_by_withholding_returned_slots() {
        let pacer = Pacer::new(8);
        let cancel = CancellationToken::new();
        let mut held = Vec::new();
        for _ in 0..START_WINDOW {
            held.push(pacer.slot(&cancel).await.unwrap());
        }
        assert_eq!(pacer.slots.available_permits(), 0);
        // One refusal halves the window (4 -> 2): its own slot and the next one returned are
        // kept back, so two are left when everything is back.
        held.pop().unwrap().done(Load::Refused);
        assert_eq!(pacer.slots.available_permits(), 0);
        drop(held.pop());
        assert_eq!(pacer.slots.available_permits(), 0);
        drop(held.pop());
        assert_eq!(pacer.slots.available_permits(), 1);
        drop(held);
        assert_eq!(pacer.slots.available_permits(), 2);
        assert_eq!(pacer.snapshot().0, 2);
    }
}
