//! Inserts 1,000,000 operations across 1,000 runs into a real file, then
//! times the queries the History screen makes. Prints figures; asserts nothing.
//!
//!     cargo run -p history --release --example history_bench
//!
//! HISTORY_BENCH_RUNS / HISTORY_BENCH_OPS scale it down for a quick try.

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use history::{
    History, NewOperation, NewRun, OperationOutcome, OperationPage, RunCounts, RunFilter, RunId,
    RunKind, RunOutcome, RunPage,
};

const SAMPLES: usize = 21;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn operation(run: usize, i: usize) -> NewOperation {
    let failed = i % 50 == 7;
    NewOperation {
        started_at: Utc::now(),
        method: ["POST", "PATCH", "PATCH"][i % 3].to_owned(),
        path: format!("/scim/v2/Users/{run:04}-{i:06}"),
        resource_kind: "User".to_owned(),
        resource_label: format!("user{i}@example.com"),
        status: Some(if failed { 409 } else { 200 }),
        latency_ms: Some((i % 400) as u32 + 20),
        outcome: if failed {
            OperationOutcome::Failed
        } else {
            OperationOutcome::Succeeded
        },
        scim_type: failed.then(|| "uniqueness".to_owned()),
        error_detail: failed.then(|| format!("User user{i}@example.com already exists")),
        request_excerpt: Some(format!(
            r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{"op":"replace","path":"title","value":"Engineer {i}"}}]}}"#
        )),
        response_excerpt: Some(format!(
            r#"{{"id":"{run:04}-{i:06}","userName":"user{i}@example.com","active":true}}"#
        )),
        modified_attributes: vec!["title".to_owned()],
    }
}

/// Median wall time of `SAMPLES` calls.
async fn median<F, Fut, T>(mut call: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        std::hint::black_box(call().await);
        times.push(t.elapsed());
    }
    times.sort();
    times[SAMPLES / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> history::Result<()> {
    let runs = env_or("HISTORY_BENCH_RUNS", 1_000);
    let ops_per_run = env_or("HISTORY_BENCH_OPS", 1_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let h = History::open(&path).await?;
    h.add_secret("not-in-any-text-but-checked-anyway");

    let t = Instant::now();
    let mut ids = Vec::with_capacity(runs);
    for run in 0..runs {
        let kind = if run % 10 < 1 {
            RunKind::Diff
        } else {
            RunKind::Apply
        };
        let target = format!("target-{}", run % 5);
        let id = h
            .start_run(NewRun::new(kind, target.clone(), target, "bench"))
            .await?;
        let batch: Vec<_> = (0..ops_per_run).map(|i| operation(run, i)).collect();
        h.record_operations(id, &batch).await?;
        let counts = RunCounts {
            missing: (run % 17) as u32,
            changed: (run % 5) as u32,
            ..Default::default()
        };
        h.finish_run(id, RunOutcome::Succeeded, &counts, "bench run")
            .await?;
        ids.push(id);
    }
    let insert = t.elapsed();
    let total_ops = runs * ops_per_run;
    h.close().await;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    let t = Instant::now();
    let h = History::open(&path).await?;
    let reopen = t.elapsed();

    let middle: RunId = ids[ids.len() / 2];
    let any = RunFilter::default();
    let latest = median(|| h.list_runs(&any, RunPage::first(50))).await;
    let by_target = RunFilter {
        target: Some("target-3".into()),
        ..Default::default()
    };
    let filtered = median(|| {
        h.list_runs(
            &by_target,
            RunPage {
                limit: 50,
                before: Some(middle),
            },
        )
    })
    .await;
    let first_ops = median(|| h.operations(middle, OperationPage::first(100))).await;
    let last_seq = (ops_per_run.saturating_sub(101)) as u32;
    let deep_ops = median(|| {
        h.operations(
            middle,
            OperationPage {
                limit: 100,
                after_seq: Some(last_seq),
            },
        )
    })
    .await;
    let detail = median(|| h.run(middle)).await;
    let drift = median(|| h.drift_over_time("target-0", 100)).await;

    println!("history_bench: {runs} runs x {ops_per_run} ops = {total_ops} operations");
    println!(
        "  insert: {:.2} s ({:.0} ops/s, one transaction per run), file {:.1} MiB",
        insert.as_secs_f64(),
        total_ops as f64 / insert.as_secs_f64(),
        size as f64 / (1024.0 * 1024.0)
    );
    let check = if size <= history::QUICK_CHECK_MAX_BYTES {
        "with quick_check"
    } else {
        "above quick_check limit"
    };
    println!("  reopen ({check}): {}", ms(reopen));
    println!("  median of {SAMPLES}:");
    println!("    latest runs page (50):             {}", ms(latest));
    println!("    filtered runs page (target, 50):   {}", ms(filtered));
    println!("    run's first operations page (100): {}", ms(first_ops));
    println!("    run's last operations page (100):  {}", ms(deep_ops));
    println!("    run detail (with outcome tally):   {}", ms(detail));
    println!("    drift over time (100 points):      {}", ms(drift));
    h.close().await;
    Ok(())
}
