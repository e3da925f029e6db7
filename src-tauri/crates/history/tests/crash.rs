//! Kill a writer process at random moments; committed runs must survive intact.
//!
//! The test binary re-runs itself as the writer (the `crash_child_writer`
//! test, which does nothing unless CHILD_ENV is set), so no extra binary is
//! needed. The child prints "COMMITTED <run id> <ops>" after each run's last
//! transaction commits; the parent SIGKILLs it (Child::kill is SIGKILL on
//! Unix) and then checks every reported run.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use history::{History, OperationPage, RunCounts, RunId, RunKind, RunOutcome};
use rand::Rng;

const CHILD_ENV: &str = "HISTORY_CRASH_CHILD_DB";
const ITERATIONS: usize = 100;
/// Start a fresh file now and then so quick_check on open stays cheap.
const ITERATIONS_PER_FILE: usize = 25;

/// Operation count of a run, derived from its id so the parent can check it.
fn ops_for(id: RunId) -> usize {
    20 + (id.0 as usize * 37) % 100
}

fn label(id: RunId, seq: usize) -> String {
    format!("run{}-op{seq}", id.0)
}

#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let h = History::open(&path).await.expect("child open");
        let mut stdout = std::io::stdout().lock();
        loop {
            let id = h
                .start_run(common::new_run(RunKind::Apply, "crash"))
                .await
                .unwrap();
            let n = ops_for(id);
            let batch: Vec<_> = (0..n)
                .map(|seq| {
                    let mut o = common::op("c", seq);
                    o.resource_label = label(id, seq);
                    o
                })
                .collect();
            // Two transactions per run, so a kill can land between them.
            let (first, second) = batch.split_at(n / 2);
            h.record_operations(id, first).await.unwrap();
            h.record_operations(id, second).await.unwrap();
            let counts = RunCounts {
                created: n as u32,
                ..Default::default()
            };
            h.finish_run(id, RunOutcome::Succeeded, &counts, "done")
                .await
                .unwrap();
            writeln!(stdout, "COMMITTED {} {n}", id.0).unwrap();
            stdout.flush().unwrap();
        }
    });
}

/// Runs the writer, kills it after `after`, returns the run ids it reported.
fn run_and_kill(db: &Path, after: Duration) -> Vec<(RunId, usize)> {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "crash_child_writer",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| {
                let mut parts = line.strip_prefix("COMMITTED ")?.split(' ');
                let id = parts.next()?.parse().ok()?;
                let n = parts.next()?.parse().ok()?;
                Some((RunId(id), n))
            })
            .collect::<Vec<_>>()
    });
    std::thread::sleep(after);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "writer must have been killed, not exited"
    );
    reader.join().unwrap()
}

async fn assert_intact(h: &History, id: RunId, n: usize) {
    let detail = h
        .run(id)
        .await
        .unwrap_or_else(|e| panic!("run {id} lost: {e}"));
    assert_eq!(detail.run.outcome, RunOutcome::Succeeded, "run {id}");
    assert_eq!(detail.run.operation_count as usize, n, "run {id}");
    let ops = h
        .operations(
            id,
            OperationPage {
                limit: 1000,
                after_seq: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(ops.len(), n, "run {id} operations");
    for (seq, o) in ops.iter().enumerate() {
        assert_eq!(
            (o.seq as usize, o.op.resource_label.as_str()),
            (seq, label(id, seq).as_str())
        );
    }
}

#[tokio::test]
async fn committed_runs_survive_sigkill() {
    if std::env::var(CHILD_ENV).is_ok() {
        return; // we are the child; only crash_child_writer runs there
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::thread_rng();
    let (mut committed, mut interrupted, mut killed_mid_run) = (0usize, 0u64, 0usize);
    let mut reported_this_file = Vec::new();

    for i in 0..ITERATIONS {
        let db = dir
            .path()
            .join(format!("crash-{}.db", i / ITERATIONS_PER_FILE));
        if i % ITERATIONS_PER_FILE == 0 {
            reported_this_file.clear();
        }
        let reported = run_and_kill(&db, Duration::from_millis(rng.gen_range(20..200)));
        if !db.exists() {
            continue; // killed before it even created the file
        }

        let h = History::open(&db)
            .await
            .unwrap_or_else(|e| panic!("iteration {i}: reopen failed: {e}"));
        assert_eq!(h.integrity_check().await.unwrap(), ["ok"], "iteration {i}");
        for &(id, n) in &reported {
            assert_intact(&h, id, n).await;
        }
        // open() turned the run the kill interrupted (if any) into failed.
        let abandoned = h.recover_interrupted().await.unwrap();
        assert_eq!(abandoned, 0, "open must already have recovered");
        let failed = history::RunFilter {
            outcome: Some(RunOutcome::Failed),
            ..Default::default()
        };
        let now_failed = h
            .list_runs(&failed, history::RunPage::first(1000))
            .await
            .unwrap();
        assert!(now_failed
            .iter()
            .all(|r| r.summary == history::INTERRUPTED_SUMMARY));
        assert!(now_failed
            .iter()
            .all(|r| !reported_this_file.iter().any(|(id, _)| *id == r.id)));
        killed_mid_run += usize::from(now_failed.len() as u64 > interrupted);
        interrupted = now_failed.len() as u64;
        committed += reported.len();
        reported_this_file.extend(reported);
        h.close().await;

        if (i + 1) % ITERATIONS_PER_FILE == 0 {
            interrupted = 0;
            // Everything committed into this file is still there at the end.
            let h = History::open(&db).await.unwrap();
            for &(id, n) in &reported_this_file {
                assert_intact(&h, id, n).await;
            }
            h.close().await;
        }
    }
    println!(
        "crash test: {ITERATIONS} SIGKILLs, {committed} committed runs verified intact, \
         {killed_mid_run} kills landed mid-run, integrity_check ok every time, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        committed > 0,
        "the writer never committed anything: kill delays too short?"
    );
}
