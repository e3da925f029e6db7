//! Spreading the CPU-heavy passes over a few cores with scoped threads (no pool dependency).
//!
//! Work is split into contiguous ranges and the results are put back together in range
//! order, so a split diff is identical to an unsplit one, whatever the number of parts.

use std::ops::Range;
use std::sync::OnceLock;

/// Below this much work per part, a thread costs more than it saves.
const MIN_WORK_PER_PART: usize = 16_384;
/// The diff is memory-bound; more than a few threads only fight over the caches.
const MAX_PARTS: usize = 4;

/// How the passes of one diff are split.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    /// Users and groups matched at the same time.
    pub(crate) concurrent: bool,
    /// Parts for comparing matched users.
    pub(crate) user_parts: usize,
    /// Parts for the membership pass.
    pub(crate) member_parts: usize,
}

impl Plan {
    /// One part per core (at most [`MAX_PARTS`]), and only for work big enough to pay for a thread.
    pub(crate) fn for_work(users: usize, memberships: usize) -> Self {
        let cores = cores();
        let parts = |work: usize| (work / MIN_WORK_PER_PART).clamp(1, cores);
        Self {
            concurrent: cores > 1 && users + memberships >= MIN_WORK_PER_PART,
            user_parts: parts(users),
            member_parts: parts(memberships),
        }
    }

    /// Exactly `parts` parts whatever the size (1: everything on the calling thread).
    pub(crate) fn forced(parts: usize) -> Self {
        Self {
            concurrent: parts > 1,
            user_parts: parts,
            member_parts: parts,
        }
    }
}

fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_PARTS)
    })
}

/// Runs `a` and `b`, on two threads when `parallel`.
pub(crate) fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let b = s.spawn(b);
        let a = a();
        (a, joined(b.join()))
    })
}

/// `f` over `parts` contiguous ranges covering `0..weights.len()`, each with about the same
/// total weight; results in range order. The first range runs on the calling thread.
pub(crate) fn map_ranges<T: Send>(
    weights: impl ExactSizeIterator<Item = usize>,
    parts: usize,
    f: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let n = weights.len();
    if parts <= 1 || n < 2 {
        return vec![f(0..n)];
    }
    let ranges = split(weights, parts);
    let f = &f;
    std::thread::scope(|s| {
        let rest: Vec<_> = ranges[1..]
            .iter()
            .cloned()
            .map(|r| s.spawn(move || f(r)))
            .collect();
        let mut out = Vec::with_capacity(ranges.len());
        out.push(f(ranges[0].clone()));
        out.extend(rest.into_iter().map(|h| joined(h.join())));
        out
    })
}

/// Cuts `0..n` where the running total of weights (each counted at least 1) crosses each
/// `parts`-th of the whole.
fn split(weights: impl ExactSizeIterator<Item = usize>, parts: usize) -> Vec<Range<usize>> {
    let n = weights.len();
    let weights: Vec<usize> = weights.map(|w| w.max(1)).collect();
    let total: usize = weights.iter().sum();
    let mut ranges = Vec::with_capacity(parts);
    let (mut start, mut sum) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        sum += w;
        let cut = total * (ranges.len() + 1) / parts;
        if sum >= cut && ranges.len() + 1 < parts {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    ranges.push(start..n);
    ranges
}

fn joined<T>(r: std::thread::Result<T>) -> T {
    r.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once_in_order() {
        for n in [2usize, 3, 10, 101] {
            for parts in 2..5 {
                let weights: Vec<usize> = (0..n).map(|i| i % 7).collect();
                let out = map_ranges(weights.iter().copied(), parts, |r| r.collect::<Vec<_>>());
                let flat: Vec<usize> = out.into_iter().flatten().collect();
                assert_eq!(flat, (0..n).collect::<Vec<_>>(), "n {n} parts {parts}");
            }
        }
        assert_eq!(map_ranges([].into_iter(), 3, |r| r.len()), vec![0]);
    }

    #[test]
    fn ranges_balance_by_weight() {
        let weights = [100, 1, 1, 1, 1, 100];
        let ranges = split(weights.into_iter(), 2);
        assert_eq!(ranges, vec![0..3, 3..6]);
    }

    #[test]
    fn join_runs_both_sides() {
        assert_eq!(join(true, || 1, || "b"), (1, "b"));
        assert_eq!(join(false, || 1, || "b"), (1, "b"));
    }
}
