//! Diff benchmark on synthetic data: 100,000 expected vs 100,000 target users
//! (~1% missing, extra and changed), 5,000 groups, 500,000 memberships read
//! AWS-style (empty `members`, pairs read apart; ~1% missing, ~1% extra).
//!
//! Run: `cargo run --release -p drift --example drift_bench`
//! Prints wall and CPU time (process CPU of all threads from /proc/self/stat,
//! because wall time on a shared machine mostly measures the neighbours), the
//! resident memory of the inputs (VmRSS, per stage of building them) and the
//! peak during the diff itself (VmHWM, reset just before the diff through
//! /proc/self/clear_refs), so the diff's own increment is reported apart from
//! the inputs; asserts nothing. `DRIFT_BENCH_REPEAT=n` repeats the diff.
//!
//! Inputs are built the way the engine builds them: each resource as a
//! `serde_json::Value`, packed into a [`drift::Record`] at once, so no more
//! than one `Value` is alive at a time.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use drift::{
    diff, diff_single_threaded, Actual, CompareSpec, Expected, ExpectedGroup, ExpectedUser,
    KnownSources, Record,
};
use serde_json::{json, Value};

const USERS: usize = 100_000;
const GROUPS: usize = 5_000;
const MEMBERSHIPS: usize = 500_000;
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn source(prefix: u32, i: usize) -> String {
    format!("{prefix:08x}{i:016x}")
}

fn user_resource(i: usize) -> Value {
    let user_name = format!("user{i}@example.com");
    let title = ["Engineer", "Manager", "Analyst", "Designer"][i % 4];
    json!({
        "userName": user_name,
        "name": {"givenName": format!("Given{i}"), "familyName": format!("Family{}", i % 977)},
        "displayName": format!("Given{i} Family{}", i % 977),
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "active": true,
        "title": title,
        ENT: {"department": format!("Dept{}", i % 50)}
    })
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
fn vm_hwm_kib() -> Option<u64> {
    status_kib("VmHWM:")
}
fn vm_rss_kib() -> Option<u64> {
    status_kib("VmRSS:")
}
/// Resets VmHWM to the current RSS (Linux >= 4.0), so the next read is the peak of what follows.
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
fn stage(name: &str) {
    println!("  rss after {name}: {}", mib(vm_rss_kib()));
}

/// CPU time of the whole process (every thread, user + system) in ns, from /proc/self/stat
/// (10 ms ticks): wall time is meaningless on a busy shared machine.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    const NS_PER_TICK: u64 = 10_000_000; // USER_HZ is 100 on Linux
    Some((utime + stime) * NS_PER_TICK)
}

fn cpu_since(start: Option<u64>) -> String {
    match (start, cpu_ns()) {
        (Some(a), Some(b)) => format!("{:.3}s", (b - a) as f64 / 1e9),
        _ => "n/a".into(),
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
}

fn main() {
    let t = Instant::now();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let users: Vec<ExpectedUser> = (0..USERS)
        .map(|i| ExpectedUser {
            source_id: source(0xa, i),
            label: format!("user{i}@example.com"),
            resource: Record::from(user_resource(i)),
        })
        .collect();
    stage("expected users");

    // ~1% of expected users missing from the target, ~1% changed, plus ~1% extra accounts.
    let mut missing = vec![false; USERS];
    let (mut n_missing, mut n_changed) = (0, 0);
    let mut actual_users = Vec::with_capacity(USERS);
    for (i, u) in users.iter().enumerate() {
        if rng.below(100) == 0 {
            missing[i] = true;
            n_missing += 1;
            continue;
        }
        // What the target returns for the pushed user, as the engine reads it.
        let mut v = user_resource(i);
        let o = v.as_object_mut().unwrap();
        o.insert("id".into(), json!(format!("{:032x}", i as u128 * 7919)));
        o.insert("externalId".into(), json!(u.source_id));
        o.insert(
            "schemas".into(),
            json!(["urn:ietf:params:scim:schemas:core:2.0:User"]),
        );
        o.insert("meta".into(), json!({"resourceType": "User"}));
        if rng.below(100) == 0 {
            o.insert("title".into(), json!("Changed"));
            n_changed += 1;
        }
        actual_users.push(Record::from(v));
    }
    let n_extra = USERS - actual_users.len();
    for k in 0..n_extra {
        actual_users.push(Record::from(json!({
            "id": format!("extra-{k:08}"),
            "userName": format!("local{k}@example.com"),
            "emails": [{"value": format!("local{k}@example.com"), "primary": true}],
            "active": true
        })));
    }
    stage("target users");
    let target_id = |i: usize| format!("{:032x}", i as u128 * 7919);

    let mut groups: Vec<ExpectedGroup> = (0..GROUPS)
        .map(|g| ExpectedGroup {
            source_id: source(0xb, g),
            label: format!("Group {g}"),
            resource: Record::from(json!({"displayName": format!("Group {g}")})),
            member_source_ids: Vec::new(),
            not_created_because: Vec::new(),
        })
        .collect();
    let actual_groups: Vec<Record> = (0..GROUPS)
        .map(|g| Record::from(json!({"id": format!("g{g:08}"), "externalId": source(0xb, g), "displayName": format!("Group {g}"), "members": []})))
        .collect();
    stage("groups");
    let mut memberships = Vec::with_capacity(MEMBERSHIPS);
    let mut dropped = 0;
    for m in 0..MEMBERSHIPS {
        let g = m % GROUPS;
        let u = rng.below(USERS);
        groups[g].member_source_ids.push(source(0xa, u));
        // ~1% of memberships not yet in the target.
        if missing[u] || rng.below(100) == 0 {
            dropped += 1;
            continue;
        }
        memberships.push((format!("g{g:08}"), target_id(u)));
    }

    // ~1% extra memberships in the target: members JumpCloud would remove.
    let mut extra_members = 0;
    for _ in 0..MEMBERSHIPS / 100 {
        let (g, u) = (rng.below(GROUPS), rng.below(USERS));
        if !missing[u] {
            memberships.push((format!("g{g:08}"), target_id(u)));
            extra_members += 1;
        }
    }

    stage("memberships");
    let expected = Expected {
        users,
        groups,
        ineligible: Vec::new(),
    };
    let actual = Actual {
        users: actual_users,
        groups: actual_groups,
        memberships,
    };
    let known = KnownSources::new(
        expected.users.iter().map(|u| u.source_id.clone()),
        expected.groups.iter().map(|g| g.source_id.clone()),
    );
    let spec = CompareSpec::jumpcloud_default();
    stage("known ids");
    let hwm_inputs = vm_hwm_kib();
    let rss_inputs = vm_rss_kib();
    println!(
        "inputs: {USERS} expected users, {} target users ({n_missing} missing, {n_changed} changed, {n_extra} extra), \
         {GROUPS} groups, {MEMBERSHIPS} expected memberships ({dropped} absent from target, {extra_members} extra); \
         built in {:.2?}",
        actual.users.len(),
        t.elapsed()
    );
    let packed = |records: &mut dyn Iterator<Item = &Record>| {
        let (n, bytes) = records.fold((0, 0), |(n, b), r| (n + 1, b + r.packed_len()));
        bytes / n.max(1)
    };
    println!(
        "inputs: rss {}, peak while building {} (packed records: {} bytes per expected user, {} per target user)",
        mib(rss_inputs),
        mib(hwm_inputs),
        packed(&mut expected.users.iter().map(|u| &u.resource)),
        packed(&mut actual.users.iter()),
    );

    let reset = reset_hwm();
    let (t, cpu) = (Instant::now(), cpu_ns());
    let drift = diff(&expected, &actual, &spec, &known);
    let diff_time = t.elapsed();
    let diff_cpu = cpu_since(cpu);
    let hwm_diff = vm_hwm_kib();

    let (t, cpu) = (Instant::now(), cpu_ns());
    let rows = drift.rows();
    let rows_time = t.elapsed();
    let rows_cpu = cpu_since(cpu);

    let s = &drift.summary;
    println!(
        "users: in_sync {} missing {} changed {} extra {}; groups in_sync {}; memberships +{} -{} in {} groups",
        s.users.in_sync,
        s.users.missing,
        s.users.changed,
        s.users.extra_unmanaged + s.users.extra_formerly_managed,
        s.groups.in_sync,
        s.memberships_to_add,
        s.memberships_to_remove,
        s.groups_with_membership_drift
    );
    println!("diff: wall {diff_time:.3?}, cpu {diff_cpu}");
    println!(
        "rows(): {} rows, wall {rows_time:.3?}, cpu {rows_cpu}",
        rows.len()
    );
    println!(
        "peak memory (VmHWM) during diff: {} = inputs {} + diff's own peak increment {}{}",
        mib(hwm_diff),
        mib(rss_inputs),
        mib(hwm_diff.zip(rss_inputs).map(|(a, b)| a.saturating_sub(b))),
        if reset {
            ""
        } else {
            " (could not reset VmHWM: peak may be the input build's)"
        }
    );
    println!("rss after diff (result kept): {}", mib(vm_rss_kib()));
    println!("peak memory (VmHWM) after rows: {}", mib(vm_hwm_kib()));

    // The same diff on one thread, for comparison (the result is identical). The rows are
    // dropped first: the whole-run peak below should not count them on top of a second result.
    drop(rows);
    let (t, cpu) = (Instant::now(), cpu_ns());
    let single = diff_single_threaded(&expected, &actual, &spec, &known);
    println!(
        "diff on one thread: wall {:.3?}, cpu {}, same result: {}",
        t.elapsed(),
        cpu_since(cpu),
        single == drift
    );
    drop(single);

    // For profiling: DRIFT_BENCH_REPEAT=n runs the diff n more times.
    let repeat: usize = std::env::var("DRIFT_BENCH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    for _ in 0..repeat {
        let (t, cpu) = (Instant::now(), cpu_ns());
        let d = diff(&expected, &actual, &spec, &known);
        println!(
            "repeat: wall {:.3?}, cpu {}, {} in sync",
            t.elapsed(),
            cpu_since(cpu),
            d.summary.users.in_sync
        );
    }

    // VmHWM was reset before the diff, when the resident set was already at the inputs' peak.
    println!(
        "process peak memory (VmHWM, whole run): {}",
        mib(vm_hwm_kib().max(hwm_inputs))
    );
}
