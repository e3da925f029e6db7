//! Soak: many consecutive JumpCloud reads and diffs in one process, watching for leaks.
//!
//! Starts `sim-jumpcloud` and `sim-target` as processes (so only the engine is measured), opens
//! a configured workspace over them (secrets in memory), then repeats "read the directory,
//! diff the target" `runs` times. Samples this process's resident memory (VmRSS), open file
//! descriptors and sockets (from /proc/self) after every diff, and prints the growth from the
//! warm-up on. Linux only (reads /proc). Prints figures; asserts nothing.
//!
//! Run: `cargo build -p sim --bins && cargo run -p engine --example soak [runs] [warmup]`
//! (defaults 1000 and 50; add `--release` to both for release builds). The simulators are
//! looked up beside the example's folder, or in `SIM_BIN_DIR`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use engine::config::{JumpCloudSettings, TargetAuth, TargetSettings, WorkspaceConfig, VERSION};
use engine::setup::{jumpcloud_account, target_account, MemorySecrets, SecretStore};
use engine::Workspace;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

const TOKEN: &str = "soak-target-token";
const KEY: &str = "soak-jumpcloud-key";

/// A simulator process, killed when dropped; `info` is the JSON line it prints on start.
struct Sim {
    child: Child,
    info: Value,
}

impl Sim {
    fn start(name: &str, args: &[&str]) -> Fallible<Sim> {
        let dir = match std::env::var_os("SIM_BIN_DIR") {
            Some(d) => PathBuf::from(d),
            // target/<profile>/examples/soak -> target/<profile>
            None => std::env::current_exe()?
                .parent()
                .and_then(|p| p.parent())
                .ok_or("no folder above the example")?
                .to_owned(),
        };
        let path = dir.join(name);
        let mut child = Command::new(&path)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "{}: {e} (build it: cargo build -p sim --bins)",
                    path.display()
                )
            })?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        Ok(Sim {
            child,
            info: serde_json::from_str(&line)?,
        })
    }

    fn str(&self, key: &str) -> Fallible<String> {
        Ok(self.info[key].as_str().ok_or("missing field")?.to_owned())
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory (KiB), open file descriptors and, of those, sockets.
#[derive(Clone, Copy)]
struct Sample {
    rss_kib: u64,
    fds: usize,
    sockets: usize,
}

fn sample() -> Fallible<Sample> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .ok_or("no VmRSS")?
        .parse()?;
    let (mut fds, mut sockets) = (0, 0);
    for entry in std::fs::read_dir("/proc/self/fd")? {
        fds += 1;
        // The descriptor read_dir itself holds has gone by the time readlink runs.
        if let Ok(target) = std::fs::read_link(entry?.path()) {
            sockets += usize::from(target.to_string_lossy().starts_with("socket:"));
        }
    }
    Ok(Sample {
        rss_kib,
        fds,
        sockets,
    })
}

fn main() -> Fallible<()> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let runs = args.next().transpose()?.unwrap_or(1000);
    let warmup = args.next().transpose()?.unwrap_or(50).min(runs);

    let jc = Sim::start(
        "sim-jumpcloud",
        &[
            "--users", "300", "--groups", "8", "--seed", "11", "--key", KEY,
        ],
    )?;
    let target = Sim::start(
        "sim-target",
        &[
            "--token",
            TOKEN,
            "--seed-users",
            "200",
            "--seed-groups",
            "6",
        ],
    )?;
    let app_id = jc.info["apps"][0]["id"]
        .as_str()
        .ok_or("no app")?
        .to_owned();
    let config = WorkspaceConfig {
        version: VERSION,
        jumpcloud: Some(JumpCloudSettings {
            region: jumpcloud::Region::Us,
            org_id: None,
            base_url: Some(jc.str("base_url")?),
            key_saved_at: None,
        }),
        targets: vec![TargetSettings {
            id: "t".into(),
            kind: targets::Kind::Generic,
            name: "Soak target".into(),
            base_url: target.str("base_url")?,
            local_endpoint: true,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: Some(app_id),
            manage_groups: true,
            validated_domains: vec![],
            created_at: chrono::Utc::now(),
            token_saved_at: None,
            token_created_on: None,
        }],
    };
    let secrets = MemorySecrets::new();
    secrets.set(&target_account("t"), TOKEN)?;
    secrets.set(&jumpcloud_account(), KEY)?;
    let mut workspace = Workspace::configured(config, &secrets);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let cancel = CancellationToken::new();
    let started = Instant::now();
    let mut samples = Vec::with_capacity(runs);
    let mut warm_at = started;
    let mut rows = 0;
    for i in 1..=runs {
        runtime.block_on(async {
            workspace = engine::directory_read::read(&workspace, &secrets, |_| {}, &cancel).await?;
            let report = engine::TargetWork::new(&workspace, "t")?
                .diff(|_| {}, &cancel)
                .await?;
            rows = report.rows.len();
            Ok::<_, engine::Error>(())
        })?;
        let s = sample()?;
        samples.push(s);
        if i == warmup {
            warm_at = Instant::now();
        }
        if i % 100 == 0 {
            println!(
                "after {i:>5}: VmRSS {:>7} KiB, fds {:>3}, sockets {:>2}",
                s.rss_kib, s.fds, s.sockets
            );
        }
    }
    println!(
        "{runs} directory reads + diffs ({rows} rows each) in {:.1?} ({:.1} ms per read + diff after the warm-up)",
        started.elapsed(),
        warm_at.elapsed().as_secs_f64() * 1000.0 / (runs - warmup).max(1) as f64
    );
    report(&samples[warmup.saturating_sub(1)..], warmup);
    Ok(())
}

/// Growth from the warm-up on. One VmRSS reading swings by a few percent with where the
/// allocator stands, so memory compares the medians of the 50 diffs after the warm-up and of
/// the last 50, and fits a line through every reading (a leak is a steady slope).
fn report(after: &[Sample], warmup: usize) {
    let (Some(first), Some(last)) = (after.first(), after.last()) else {
        return;
    };
    let window = 50.min(after.len());
    let median = |s: &[Sample]| {
        let mut v: Vec<u64> = s.iter().map(|s| s.rss_kib).collect();
        v.sort_unstable();
        v[v.len() / 2]
    };
    let (early, late) = (
        median(&after[..window]),
        median(&after[after.len() - window..]),
    );
    let n = after.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = after.iter().map(|s| s.rss_kib as f64).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, s) in after.iter().enumerate() {
        sxy += (x as f64 - mean_x) * (s.rss_kib as f64 - mean_y);
        sxx += (x as f64 - mean_x).powi(2);
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let (min, max) = after.iter().fold((u64::MAX, 0), |(lo, hi), s| {
        (lo.min(s.rss_kib), hi.max(s.rss_kib))
    });
    let max_fds = after.iter().map(|s| s.fds).max().unwrap_or(0);
    let max_sockets = after.iter().map(|s| s.sockets).max().unwrap_or(0);
    println!(
        "after diff {warmup}: VmRSS {} KiB, fds {}, sockets {}",
        first.rss_kib, first.fds, first.sockets
    );
    println!(
        "at the end: VmRSS {} KiB, fds {}, sockets {}",
        last.rss_kib, last.fds, last.sockets
    );
    println!(
        "VmRSS from the warm-up on: {min}..{max} KiB; median of the first {window} {early} KiB, of the last {window} {late} KiB ({:+.2} %); fitted slope {:+.1} KiB per 1000 diffs ({:+.2} % of the median)",
        (late as f64 - early as f64) * 100.0 / early as f64,
        slope * 1000.0,
        slope * 1000.0 * 100.0 / early as f64
    );
    println!(
        "fds {} -> {} (at most {max_fds}), sockets {} -> {} (at most {max_sockets})",
        first.fds, last.fds, first.sockets, last.sockets
    );
}
