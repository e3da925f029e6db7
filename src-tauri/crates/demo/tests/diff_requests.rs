//! A full diff against the AWS-dialect simulator (500 users in 200 groups) reads only, and sends
//! no more than 1.1 times the fewest requests the dialect allows (see `examples/diff_requests.rs`
//! for the derivation of that minimum).

#![allow(clippy::unwrap_used)]

use demo::aws_read_bench;
use tokio_util::sync::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_full_diff_sends_near_the_fewest_requests_and_writes_nothing() {
    let bench = aws_read_bench(500, 200, 6).unwrap();
    assert_eq!(
        (bench.sim.user_count(), bench.sim.group_count()),
        (500, 200)
    );
    let min = bench.minimum_requests();
    bench.sim.reset_stats();

    let report = engine::TargetWork::new(&bench.workspace, bench.target_id)
        .unwrap()
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let stats = bench.requests();

    assert_eq!(
        stats.writes, 0,
        "a diff never writes: {:?}",
        stats.by_pattern
    );
    assert_eq!(stats.method("GET"), stats.total, "{:?}", stats.by_pattern);
    assert_eq!(
        stats.total, report.requests,
        "the engine counts what it sends"
    );
    assert!(
        stats.total * 10 <= min.total() * 11,
        "{} requests, minimum {} ({min:?}); by route {:?}",
        stats.total,
        min.total(),
        stats.by_pattern
    );
    // The diff saw what the simulator holds: every membership drift seeded is found.
    assert!(report.drift.summary.memberships_to_add > 0);
    assert!(report.drift.summary.memberships_to_remove > 0);
    assert_eq!(report.drift.summary.users.missing, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_groups_than_users_are_read_per_user() {
    // With fewer users than groups, listing each user's groups is the cheaper plan.
    let bench = aws_read_bench(30, 120, 7).unwrap();
    let min = bench.minimum_requests();
    assert!(min.per_user < min.per_group, "{min:?}");
    bench.sim.reset_stats();
    engine::TargetWork::new(&bench.workspace, bench.target_id)
        .unwrap()
        .diff(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let stats = bench.requests();
    assert_eq!(stats.writes, 0);
    assert!(
        stats.total * 10 <= min.total() * 11,
        "{} requests, minimum {} ({min:?}); by route {:?}",
        stats.total,
        min.total(),
        stats.by_pattern
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_under_a_per_tenant_quota_learns_the_quota_and_keeps_to_it() {
    // A quota far below what the client sends unpaced, so that it is met even on a slow
    // machine; about 45 requests a diff.
    let bench = aws_read_bench(80, 40, 8).unwrap();
    let min = bench.minimum_requests();
    bench.sim.set_faults(sim::target::FaultConfig {
        rate_limit: Some(sim::target::RateLimit::per_second(15.0)),
        ..Default::default()
    });
    let diff = || async {
        bench.sim.reset_stats();
        let report = engine::TargetWork::new(&bench.workspace, bench.target_id)
            .unwrap()
            .diff(|_| {}, &CancellationToken::new())
            .await
            .unwrap();
        assert_eq!(report.drift.summary.users.missing, 0);
        let stats = bench.requests();
        let refused = stats.status(429);
        let answered = stats.total - refused;
        assert!(
            answered * 10 <= min.total() * 11,
            "{answered} answered, minimum {}",
            min.total()
        );
        refused
    };
    // Unpaced at first, the client meets the quota at once and halves its pace at each
    // refusal until it keeps under the quota: a few refusals, each of them waited out.
    let first = diff().await;
    assert!(first > 0, "the quota was never met");
    assert!(first <= 8, "{first} refusals");
    // The client keeps its pace: the next diff runs under the quota from its first request.
    let second = diff().await;
    assert!(second <= 1, "{second} refusals in the second diff");
}
