//! `sim-target`: run a SCIM target simulator until killed.
//!
//! ```text
//! sim-target --dialect aws --port 0 --token T --seed-users 50 --seed-groups 5
//! ```
//! The first stdout line is JSON: `{"base_url", "token", "dialect", "basic_auth", "users", "groups"}`.
//!
//! Commands on stdin, one per line, for scripts (`scripts/reliability.sh`):
//! `stats FILE` writes the counters as JSON to FILE (atomically); `reset` clears them;
//! `faults THROTTLE_RATE RETRY_AFTER_SECS LATENCY_MS [UNAVAILABLE_RATE BAD_GATEWAY_RATE
//! TRUNCATED_RATE]` sets the random faults (503 without Retry-After, an HTML 502 page, a reply
//! cut in half after processing);
//! `push html|truncated|503` queues a one-shot fault for the next read; `clear` drops faults.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::process::ExitCode;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::BufRead;

use sim::target::{Dialect, Fault, FaultConfig, FaultScope, SimConfig, SimHandle, SimTarget};

const USAGE: &str = "usage: sim-target [--dialect generic|aws|strongdm|unity|axis] [--port N] \
[--token T] [--tenant ID] [--basic KEYID:SECRET] [--seed-users N] [--seed-groups N] [--seed N] \
[--max-results N] [--throttle-rate R] [--unavailable-rate R] [--retry-after SECS] [--latency-ms MS] [--rate-limit PER_SECOND]";

struct Args {
    config: SimConfig,
    users: usize,
    groups: usize,
    seed: u64,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut config = SimConfig::new(Dialect::Generic);
    let mut faults = FaultConfig::default();
    let (mut users, mut groups, mut seed) = (0usize, 0usize, 1u64);
    while let Some(flag) = argv.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        let value = argv
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let num = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        let rate = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|r| (0.0..=1.0).contains(r))
                .ok_or_else(|| format!("{flag}: want a rate in 0..1, got {v}"))
        };
        match flag.as_str() {
            "--dialect" => {
                let d = Dialect::parse(&value).ok_or_else(|| format!("unknown dialect {value}"))?;
                config.dialect = d;
            }
            "--port" => config.port = u16::try_from(num(&value)?).map_err(|_| "port too large")?,
            "--token" => config = config.with_token(value),
            "--tenant" => config = config.with_tenant(value),
            "--basic" => {
                let (k, s) = value.split_once(':').ok_or("--basic wants KEYID:SECRET")?;
                config = config.with_basic(k, s);
            }
            "--seed-users" => users = num(&value)? as usize,
            "--seed-groups" => groups = num(&value)? as usize,
            "--seed" => seed = num(&value)?,
            "--max-results" => config = config.with_max_results(num(&value)? as usize),
            "--throttle-rate" => faults.throttle_rate = rate(&value)?,
            "--unavailable-rate" => faults.unavailable_rate = rate(&value)?,
            "--retry-after" => faults.retry_after_secs = num(&value)?,
            "--latency-ms" => faults.latency_ms = num(&value)?,
            "--rate-limit" => {
                let per_second: f64 = value
                    .parse()
                    .ok()
                    .filter(|r: &f64| r.is_finite() && *r > 0.0)
                    .ok_or_else(|| {
                        format!("--rate-limit: want requests per second > 0, got {value}")
                    })?;
                faults.rate_limit = Some(sim::target::RateLimit::per_second(per_second));
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    faults.seed = seed;
    config.faults = faults;
    Ok(Args {
        config,
        users,
        groups,
        seed,
    })
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let dialect = args.config.dialect;
    let handle = match SimTarget::spawn_in_thread(args.config) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("sim-target: {e}");
            return ExitCode::FAILURE;
        }
    };
    // AWS accepts at most 100 members per create; seed_demo keeps groups within that.
    let seeded = handle.seed_demo(args.users, args.groups, args.seed);
    if let Err(e) = seeded {
        eprintln!("sim-target: {e}");
        return ExitCode::FAILURE;
    }
    let line = json!({
        "base_url": handle.base_url(),
        "token": handle.token(),
        "dialect": dialect.as_str(),
        "basic_auth": handle.basic_auth_header().map(Value::String).unwrap_or(Value::Null),
        "users": handle.user_count(),
        "groups": handle.group_count(),
    });
    println!("{line}");
    eprintln!(
        "sim-target: serving {} ({}); stop with Ctrl-C",
        handle.base_url(),
        dialect.as_str()
    );
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if let Err(e) = command(&handle, line.trim()) {
            eprintln!("sim-target: {e}");
        }
    }
    // stdin closed: keep serving until killed.
    loop {
        std::thread::park();
    }
}

fn command(handle: &SimHandle, line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => Ok(()),
        ["stats", file] => {
            let tmp = format!("{file}.tmp");
            std::fs::write(&tmp, stats(handle).to_string()).map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, file).map_err(|e| e.to_string())
        }
        ["reset"] => {
            handle.reset_stats();
            Ok(())
        }
        ["clear"] => {
            handle.clear_faults();
            Ok(())
        }
        ["faults", rate, retry, latency, more @ ..] if more.is_empty() || more.len() == 3 => {
            let number = |w: &str| w.parse::<f64>().map_err(|_| format!("not a number: {w}"));
            let whole = |w: &str| w.parse::<u64>().map_err(|_| format!("not a number: {w}"));
            let extra = |i: usize| more.get(i).map_or(Ok(0.0), |w| number(w));
            handle.set_faults(FaultConfig {
                throttle_rate: number(rate)?,
                retry_after_secs: whole(retry)?,
                latency_ms: whole(latency)?,
                unavailable_rate: extra(0)?,
                bad_gateway_rate: extra(1)?,
                truncated_rate: extra(2)?,
                ..FaultConfig::default()
            });
            Ok(())
        }
        ["push", what] => {
            let fault = match *what {
                // A login wall or proxy page answering 200: not retryable.
                "html" => Fault::Html(200),
                "html502" => Fault::Html(502),
                "truncated" => Fault::TruncatedJson,
                "503" => Fault::Status(503),
                other => return Err(format!("unknown fault {other}")),
            };
            handle.push_fault_for(FaultScope::Reads, fault);
            Ok(())
        }
        _ => Err(format!("unknown command: {line}")),
    }
}

/// Counters for scripts: requests, writes, 429s, early retries, the longest run of refusals
/// (429 or 5xx) one request met (method, path, query and body; attempts = that + 1), and
/// duplicate userNames and group displayNames.
fn stats(handle: &SimHandle) -> Value {
    let s = handle.stats();
    let longest = sim::target::longest_refused_streak(&handle.request_log());
    let users = handle.users();
    let groups = handle.groups();
    json!({
        "requests": s.total,
        "writes": s.writes,
        "status_429": s.status(429),
        "status_5xx": s.by_status.range(500..600).map(|(_, n)| n).sum::<u64>(),
        "retry_violations": handle.retry_violations().len(),
        "max_attempts": longest + 1,
        "users": users.len(),
        "active_users": users.iter().filter(|u| u["active"] != false).count(),
        "groups": groups.len(),
        "duplicate_usernames": duplicates(&users, "userName"),
        "duplicate_group_names": duplicates(&groups, "displayName"),
    })
}

/// How many resources repeat an earlier one's `attr` (case-insensitively, as SCIM compares
/// userName and displayName).
fn duplicates(resources: &[Value], attr: &str) -> u64 {
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for r in resources {
        let name = r[attr].as_str().unwrap_or_default().to_lowercase();
        *seen.entry(name).or_default() += 1;
    }
    seen.values().filter(|n| **n > 1).map(|n| n - 1).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_count_repeats_case_insensitively() {
        let groups = [
            json!({"displayName": "Sales"}),
            json!({"displayName": "sales"}),
            json!({"displayName": "SALES"}),
            json!({"displayName": "Ops"}),
        ];
        assert_eq!(duplicates(&groups, "displayName"), 2);
        assert_eq!(duplicates(&groups[3..], "displayName"), 0);
    }
}
