//! The large-tenant benchmark (issue 18): an AWS-dialect simulator holding 50,000 users, 10,000
//! groups and 250,000 memberships behind 40 ms of latency and a per-tenant quota of 20 requests
//! a second (a token bucket with a one-second burst; above it, 429 with `Retry-After`), read,
//! diffed and planned through the engine. AWS does not publish its SCIM quota (TARGETS.md), so
//! the quota is a stated assumption; pass another with `--quota`.
//!
//! ```text
//! cargo run -p demo --release --example large_tenant -- engine [--users N] [--groups N]
//!     [--memberships N] [--latency-ms MS] [--quota PER_SECOND]
//! cargo run -p demo --release --example large_tenant -- serve [same options]
//! ```
//! `engine` reads, diffs and plans in this process and prints the figures. `serve` also serves
//! the generated directory as a JumpCloud simulator, prints one JSON line (`jumpcloud_url`,
//! `api_key`, `app_id`, `target_url`, `token`) and then answers each `stats` line on stdin with
//! the target's request log as one JSON line (`[unix seconds, status, filtered, path]` per
//! request), until stdin closes (`scripts/large-tenant.sh` drives the CLI against it).

use std::io::BufRead;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use demo::{aws_bench, AwsReadBench, BenchSpec};
use engine::{DiffPhase, DiffProgress};
use serde_json::json;
use sim::target::{FaultConfig, RateLimit, RequestRecord};
use tokio_util::sync::CancellationToken;

struct Options {
    mode: String,
    spec: BenchSpec,
    latency_ms: u64,
    quota: f64,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "engine".to_owned());
    let mut o = Options {
        mode,
        spec: BenchSpec {
            users: 50_000,
            groups: 10_000,
            memberships: Some(250_000),
            seed: 18,
        },
        latency_ms: 40,
        quota: 20.0,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--users" => o.spec.users = number(&value)? as usize,
            "--groups" => o.spec.groups = number(&value)? as usize,
            "--memberships" => o.spec.memberships = Some(number(&value)? as usize),
            "--latency-ms" => o.latency_ms = number(&value)? as u64,
            "--quota" => o.quota = number(&value)?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(o)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = options()?;
    let started = Instant::now();
    let bench = aws_bench(&o.spec)?;
    let memberships: usize = bench
        .sim
        .groups()
        .iter()
        .map(|g| g["members"].as_array().map_or(0, Vec::len))
        .sum();
    eprintln!(
        "seeded {} users, {} groups, {memberships} memberships in {:.1?}; latency {} ms, quota {}/s",
        bench.sim.user_count(),
        bench.sim.group_count(),
        started.elapsed(),
        o.latency_ms,
        o.quota
    );
    bench.sim.set_faults(FaultConfig {
        latency_ms: o.latency_ms,
        rate_limit: Some(RateLimit::per_second(o.quota)),
        ..FaultConfig::default()
    });
    bench.sim.reset_stats();
    match o.mode.as_str() {
        "engine" => engine_run(&bench, &o),
        "serve" => serve(&bench),
        other => Err(format!("unknown mode {other}: engine or serve").into()),
    }
}

/// Phase changes seen by the progress callback: (phase, when).
type Marks = Mutex<Vec<(DiffPhase, Instant)>>;

fn engine_run(bench: &AwsReadBench, o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let min = bench.minimum_requests();
    let rss_before = vm_kib("VmRSS");
    let marks: Marks = Mutex::new(Vec::new());
    let last_print = Mutex::new(Instant::now());
    let on_progress = |p: DiffProgress| {
        let mut m = marks.lock().unwrap_or_else(|e| e.into_inner());
        if m.last().is_none_or(|(phase, _)| *phase != p.phase) {
            m.push((p.phase, Instant::now()));
        }
        let mut last = last_print.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() >= Duration::from_secs(30) {
            *last = Instant::now();
            eprintln!("  {p:?}");
        }
    };
    let work = engine::TargetWork::new(&bench.workspace, bench.target_id)?;
    let start = Instant::now();
    let report = runtime.block_on(work.diff(on_progress, &CancellationToken::new()))?;
    let diff_done = Instant::now();
    let plan = work.plan(&drift::Policy::default())?;
    let plan_done = Instant::now();

    let log = bench.sim.request_log();
    let marks = marks.into_inner().unwrap_or_else(|e| e.into_inner());
    let at = |phase: DiffPhase| marks.iter().find(|(p, _)| *p == phase).map(|(_, t)| *t);
    let read_end = at(DiffPhase::Memberships).unwrap_or(diff_done);
    let members_end = at(DiffPhase::Comparing).unwrap_or(diff_done);
    let phases = [
        ("users and groups", start, read_end),
        ("memberships", read_end, members_end),
        ("compare", members_end, diff_done),
        ("plan", diff_done, plan_done),
    ];
    println!(
        "large tenant (engine): {} users, {} groups in the target; latency {} ms; quota {}/s",
        bench.sim.user_count(),
        bench.sim.group_count(),
        o.latency_ms,
        o.quota
    );
    println!("| phase | wall | requests | answered | 429s | answered/s | share of quota |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (name, from, to) in phases {
        let in_phase: Vec<&RequestRecord> =
            log.iter().filter(|r| r.at >= from && r.at < to).collect();
        print_row(name, to - from, &in_phase, o.quota);
    }
    let all: Vec<&RequestRecord> = log.iter().collect();
    print_row("read + diff + plan", plan_done - start, &all, o.quota);
    let refused = log.iter().filter(|r| r.status == 429).count() as u64;
    let answered = log.len() as u64 - refused;
    println!(
        "requests: {} answered + {refused} refused (429); the dialect's minimum {} = {} user pages + {} group pages + {} membership lists; answered / minimum {:.3} (goal <= 1.1)",
        answered,
        min.total(),
        min.user_pages,
        min.group_pages,
        min.per_group.min(min.per_user).min(min.mixed_lower_bound),
        answered as f64 / min.total() as f64
    );
    println!(
        "refused share {:.2} % (goal < 1 %); engine's own count {}",
        100.0 * refused as f64 / log.len().max(1) as f64,
        report.requests
    );
    println!(
        "diff: {} rows ({} users in sync, {} missing, {} changed; memberships +{} -{}); plan: {} operations",
        report.rows.len(),
        report.drift.summary.users.in_sync,
        report.drift.summary.users.missing,
        report.drift.summary.users.changed,
        report.drift.summary.memberships_to_add,
        report.drift.summary.memberships_to_remove,
        plan.plan.operations.len()
    );
    println!(
        "memory: RSS {} MiB before the read (the generated directory and the simulator's store live in this process), peak (VmHWM) {} MiB",
        rss_before / 1024,
        vm_kib("VmHWM") / 1024
    );
    Ok(())
}

fn print_row(name: &str, wall: Duration, requests: &[&RequestRecord], quota: f64) {
    let refused = requests.iter().filter(|r| r.status == 429).count();
    let answered = requests.len() - refused;
    let rate = answered as f64 / wall.as_secs_f64().max(1e-9);
    println!(
        "| {name} | {:.1} s | {} | {answered} | {refused} | {rate:.1} | {:.0} % |",
        wall.as_secs_f64(),
        requests.len(),
        100.0 * rate / quota
    );
}

fn serve(bench: &AwsReadBench) -> Result<(), Box<dyn std::error::Error>> {
    let directory = bench.workspace.directory().clone();
    let app_id = directory
        .applications
        .first()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let config = sim::jumpcloud::SimConfig {
        api_key: "large-tenant-key".to_owned(),
        ..Default::default()
    };
    let jumpcloud = sim::jumpcloud::SimThread::start(directory, config)?;
    println!(
        "{}",
        json!({
            "jumpcloud_url": jumpcloud.base_url(),
            "api_key": "large-tenant-key",
            "app_id": app_id,
            "target_url": bench.sim.base_url(),
            "token": bench.sim.token(),
        })
    );
    for line in std::io::stdin().lock().lines() {
        if line?.trim() == "stats" {
            let log = bench.sim.request_log();
            // Wall-clock seconds, so a script can line requests up with the CLI's output.
            let (now, wall) = (Instant::now(), std::time::SystemTime::now());
            let unix = |at: Instant| {
                let ago = now.saturating_duration_since(at);
                (wall - ago)
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64())
            };
            let requests: Vec<_> = log
                .iter()
                .map(|r| {
                    json!([
                        unix(r.at),
                        r.status,
                        r.query.as_deref().unwrap_or("").contains("filter"),
                        r.path,
                    ])
                })
                .collect();
            println!("{}", json!({ "requests": requests }));
        }
    }
    Ok(())
}

/// A `/proc/self/status` figure in KiB (0 where there is none).
fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
