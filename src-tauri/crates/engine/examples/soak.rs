//! Soak: many consecutive JumpCloud reads and diffs in one process, watching for leaks.
//!
//! Starts `sim-jumpcloud` and `sim-target` as processes (so only the engine is measured), opens
//! a configured workspace over them (secrets in memory), then repeats "read the directory,
//! diff the target" `runs` times. Samples this process's resident memory (VmRSS), open file
//! descriptors and sockets (from /proc/self) after the warm-up and at the end, and prints the
//! growth. Linux only (reads /proc). Prints figures; asserts nothing.
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
    let mut after_warmup = None;
    let mut rows = 0;
    for i in 1..=runs {
        runtime.block_on(async {
            workspace.read_directory(&secrets, |_| {}, &cancel).await?;
            let report = workspace.run_diff("t", |_| {}, &cancel).await?;
            rows = report.rows.len();
            Ok::<_, engine::Error>(())
        })?;
        if i == warmup {
            after_warmup = Some((sample()?, Instant::now()));
        }
        if i % 100 == 0 {
            let s = sample()?;
            println!(
                "after {i:>5}: VmRSS {:>7} KiB, fds {:>3}, sockets {:>2}",
                s.rss_kib, s.fds, s.sockets
            );
        }
    }
    let end = sample()?;
    let (warm, warm_at) = after_warmup.ok_or("no warm-up sample")?;
    let growth = |a: u64, b: u64| (b as f64 - a as f64) * 100.0 / a as f64;
    println!(
        "{runs} directory reads + diffs ({rows} rows each) in {:.1?} ({:.1} ms per read + diff after the warm-up)",
        started.elapsed(),
        warm_at.elapsed().as_secs_f64() * 1000.0 / (runs - warmup).max(1) as f64
    );
    println!(
        "after diff {warmup}: VmRSS {} KiB, fds {}, sockets {}",
        warm.rss_kib, warm.fds, warm.sockets
    );
    println!(
        "after diff {runs}: VmRSS {} KiB, fds {}, sockets {}",
        end.rss_kib, end.fds, end.sockets
    );
    println!(
        "growth after the warm-up: memory {:+.2} %, fds {:+}, sockets {:+}",
        growth(warm.rss_kib, end.rss_kib),
        end.fds as i64 - warm.fds as i64,
        end.sockets as i64 - warm.sockets as i64
    );
    Ok(())
}
