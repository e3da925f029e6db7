//! SCIM requests for a full diff against the AWS-dialect simulator: 500 users in 200 groups
//! (issue 6). Counts requests on the simulator's side, by method and route, and compares them
//! with the fewest the dialect allows.
//!
//! Run: `cargo run -p demo --release --example diff_requests [users] [groups]`
//!
//! The minimum: listing users and groups takes `ceil(users/100) + ceil(groups/100)` pages (AWS
//! pages hold at most 100). AWS groups come back with empty `members`, so every (group, user)
//! pair must be covered by listing the group's users (`GET /Users?filter=groups.value eq "g"`,
//! `ceil(members/100)` pages, at least 1), the user's groups (`GET /Groups?filter=members eq
//! "u"`, `ceil(groups of the user/100)` pages, at least 1) or a pair read (`id eq "g" and members
//! eq "u"`, one request per pair). Either every group or every user must be listed: a plan that
//! leaves `a` groups and `b` users unlisted needs `a * b` pair reads, so it costs at least
//! `groups + users - 1` requests. The minimum is the list pages plus the cheapest of the three.
//! Prints figures; asserts nothing (`tests/diff_requests.rs` asserts the bound).

use std::time::Instant;

use demo::aws_read_bench;
use tokio_util::sync::CancellationToken;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let users = args.next().transpose()?.unwrap_or(500);
    let groups = args.next().transpose()?.unwrap_or(200);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let bench = aws_read_bench(users, groups, 6)?;
    let min = bench.minimum_requests();
    let held = (bench.sim.user_count(), bench.sim.group_count());
    bench.sim.reset_stats();

    let started = Instant::now();
    let report = runtime.block_on(
        engine::TargetWork::new(&bench.workspace, bench.target_id)?
            .diff(|_| {}, &CancellationToken::new()),
    )?;
    let elapsed = started.elapsed();
    let stats = bench.requests();

    println!(
        "AWS-dialect simulator: {} users, {} groups in the target ({users} users, {groups} groups in JumpCloud)",
        held.0, held.1
    );
    println!(
        "diff: {} rows, {} memberships to add, {} to remove, in {elapsed:.2?}",
        report.rows.len(),
        report.drift.summary.memberships_to_add,
        report.drift.summary.memberships_to_remove
    );
    println!("requests by route (simulator's count):");
    for (route, n) in &stats.by_pattern {
        println!("  {route:<24} {n}");
    }
    println!(
        "total requests: {} (engine's own count: {})",
        stats.total, report.requests
    );
    println!("writes (POST/PUT/PATCH/DELETE): {}", stats.writes);
    println!(
        "minimum the dialect allows: {} = {} user pages + {} group pages + min(per group {}, per user {}, any mixed plan >= {})",
        min.total(),
        min.user_pages,
        min.group_pages,
        min.per_group,
        min.per_user,
        min.mixed_lower_bound
    );
    println!(
        "ratio: {:.3} (goal <= 1.1)",
        stats.total as f64 / min.total() as f64
    );
    Ok(())
}
