//! `sim-target`: run a SCIM target simulator until killed.
//!
//! ```text
//! sim-target --dialect aws --port 0 --token T --seed-users 50 --seed-groups 5
//! ```
//! The first stdout line is JSON: `{"base_url", "token", "dialect", "basic_auth", "users", "groups"}`.

use std::process::ExitCode;

use serde_json::{json, Value};
use sim::target::{Dialect, FaultConfig, SimConfig, SimTarget};

const USAGE: &str = "usage: sim-target [--dialect generic|aws|strongdm|unity|axis] [--port N] \
[--token T] [--tenant ID] [--basic KEYID:SECRET] [--seed-users N] [--seed-groups N] [--seed N] \
[--max-results N] [--throttle-rate R] [--unavailable-rate R] [--retry-after SECS] [--latency-ms MS]";

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
    loop {
        std::thread::park();
    }
}
