//! `sim-jumpcloud`: run the JumpCloud API simulator until killed.
//!
//! ```text
//! sim-jumpcloud --users 300 --groups 10 --seed 5 --key K [--unavailable]
//! ```
//! The first stdout line is JSON: `{"base_url", "api_key", "apps": [{"id", "name"}], "users"}`.
//! `--unavailable` answers every request with 503 (an outage while reading).

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::process::ExitCode;

use serde_json::json;
use sim::jumpcloud::{generate, Fault, FaultRule, SeedSpec, SimConfig, SimThread};

const USAGE: &str =
    "usage: sim-jumpcloud [--users N] [--groups N] [--apps N] [--seed N] [--key K] [--unavailable]";

fn main() -> ExitCode {
    let mut spec = SeedSpec {
        users: 100,
        groups: 5,
        apps: 1,
        seed: 1,
    };
    let mut config = SimConfig::default();
    let mut unavailable = false;
    let mut argv = std::env::args().skip(1);
    while let Some(flag) = argv.next() {
        if flag == "--unavailable" {
            unavailable = true;
            continue;
        }
        let Some(value) = argv.next() else {
            eprintln!("{flag} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        let num = value.parse::<usize>();
        match (flag.as_str(), num) {
            ("--users", Ok(n)) => spec.users = n,
            ("--groups", Ok(n)) => spec.groups = n,
            ("--apps", Ok(n)) => spec.apps = n.max(1),
            ("--seed", Ok(n)) => spec.seed = n as u64,
            ("--key", _) => config.api_key = value,
            _ => {
                eprintln!("bad option {flag} {value}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let directory = generate(&spec);
    let apps: Vec<_> = directory
        .applications
        .iter()
        .map(|a| json!({"id": a.id, "name": a.display_label.clone().or(a.display_name.clone())}))
        .collect();
    let key = config.api_key.clone();
    let sim = match SimThread::start(directory, config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sim-jumpcloud: {e}");
            return ExitCode::FAILURE;
        }
    };
    if unavailable {
        sim.inject(FaultRule::always(Fault::Unavailable));
    }
    println!(
        "{}",
        json!({"base_url": sim.base_url(), "api_key": key, "apps": apps, "users": spec.users})
    );
    eprintln!(
        "sim-jumpcloud: serving {}; stop with Ctrl-C",
        sim.base_url()
    );
    loop {
        std::thread::park();
    }
}
