//! Measurements of the real app window, not tests: each one is `#[ignore]`d, so the normal test
//! command never runs it, and none asserts a time. `scripts/measure-diff-table.sh` runs them under
//! Xvfb and prints the figures that docs/performance.md reports.
//!
//! `diff_table_at_100k_rows`: the app on a demo sized by `SCIM_COMPANION_DEMO_USERS` (default
//! 90,000 users, about 100,000 diff rows on the generic target), driven through WebDriver. Times
//! come from the page's own clock (`performance.now()`, `requestAnimationFrame` and the
//! `scim:diff-*` marks the UI sets, ui/src/lib/perfMarks.ts), never from WebDriver round trips.
//!
//! `large_tenant_in_app` (large_tenant.rs): the 50,000-user AWS tenant read, diffed and planned
//! in the window; `scripts/large-tenant.sh --app` serves the tenant and reports its figures.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use scim_companion_tests::app_driver::{test_id_selector, text_of, AppSession};
use scim_companion_tests::ids;
use serde_json::{json, Value};

mod large_tenant;

const TARGET: &str = "demo-generic";
const DEFAULT_USERS: &str = "90000";
const USERS_ENV: &str = "SCIM_COMPANION_DEMO_USERS";
/// Must match ui/src/lib/perfMarks.ts.
const MARK_RESULT: &str = "scim:diff-result";
const MARK_QUERY: &str = "scim:diff-query";
const MARK_ARRIVED: &str = "scim:diff-rows-arrived";
const MARK_PAINTED: &str = "scim:diff-rows-painted";
/// Must match ROW_HEIGHT in ui/src/components/diff/DiffRowsTable.svelte.
const ROW_HEIGHT: u32 = 34;
/// Repetitions of each filter toggle.
const REPEAT: usize = 3;

/// Waits (polling) for the element with `data-testid=id`, up to `within`.
async fn wait_for(app: &AppSession, id: &str, within: Duration) -> fantoccini::elements::Element {
    let selector = test_id_selector(id);
    let deadline = Instant::now() + within;
    loop {
        if let Ok(found) = app.client.find(Locator::Css(&selector)).await {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "[data-testid={id}] did not appear within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Opens the Diff page on `target` and waits (up to `within` per step) for its intro: a target
/// never diffed in this session.
async fn open_diff_of(app: &AppSession, target: &str, within: Duration) {
    app.click(&ids::nav("diff")).await;
    wait_for(app, ids::DIFF_TARGET, within)
        .await
        .select_by_value(target)
        .await
        .unwrap_or_else(|e| panic!("choose target {target}: {e}"));
    wait_for(app, ids::DIFF_INTRO, within).await;
}

async fn script(app: &AppSession, js: &str, args: Vec<Value>) -> Value {
    app.client
        .execute(js, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
}

/// The page-clock time of the latest mark `name`, if any.
async fn mark(app: &AppSession, name: &str) -> Option<f64> {
    script(
        app,
        "const e = performance.getEntriesByName(arguments[0], 'mark'); return e.length ? e[e.length - 1].startTime : null;",
        vec![json!(name)],
    )
    .await
    .as_f64()
}

/// Waits until mark `name` was set after page time `after`; returns its time.
async fn mark_after(app: &AppSession, name: &str, after: f64, within: Duration) -> f64 {
    let deadline = Instant::now() + within;
    loop {
        if let Some(t) = mark(app, name).await.filter(|t| *t > after) {
            return t;
        }
        assert!(
            Instant::now() < deadline,
            "mark {name} not set within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `action` (JS; `el` is the element with `data-testid=id`) and returns the page time just
/// before it.
async fn act(app: &AppSession, id: &str, action: &str) -> f64 {
    let js = format!(
        "const el = document.querySelector(arguments[0]); const t0 = performance.now(); {action}; return t0;"
    );
    script(app, &js, vec![json!(test_id_selector(id))])
        .await
        .as_f64()
        .expect("performance.now()")
}

const CLICK: &str = "el.click()";

fn type_text(text: &str) -> String {
    format!("el.value = {text:?}; el.dispatchEvent(new Event('input', {{ bubbles: true }}))")
}

/// From an input to the frame showing the new rows: (input → painted, query sent → painted) in ms.
/// Also logs where the time went: input → query sent, query → first page arrived (IPC and the
/// backend), arrived → painted (the page's own work and the paint).
async fn input_to_rows(app: &AppSession, id: &str, action: &str) -> (f64, f64) {
    let t0 = act(app, id, action).await;
    let painted = mark_after(app, MARK_PAINTED, t0, Duration::from_secs(120)).await;
    let query = mark(app, MARK_QUERY).await.expect("query mark");
    let arrived = mark(app, MARK_ARRIVED).await.expect("arrived mark");
    eprintln!(
        "    [{id}] input->query {:.0} ms, query->arrived {:.0} ms, arrived->painted {:.0} ms",
        query - t0,
        arrived - query,
        painted - arrived
    );
    (painted - t0, painted - query)
}

/// The number of rows the table holds under the current filters.
async fn table_rows(app: &AppSession) -> u64 {
    let grid = wait_for(app, ids::DIFF_TABLE, Duration::from_secs(30)).await;
    let count = grid.attr("aria-rowcount").await.ok().flatten();
    count.and_then(|c| c.parse::<u64>().ok()).unwrap_or(1) - 1
}

async fn text(app: &AppSession, id: &str) -> String {
    let element = wait_for(app, id, Duration::from_secs(30)).await;
    // Whitespace folded, so figures read on one line.
    text_of(&element)
        .await
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Frame intervals (ms, from `requestAnimationFrame` timestamps) over `frames` idle frames.
async fn idle_frames(app: &AppSession, frames: u32) -> Vec<f64> {
    let out = app
        .client
        .execute_async(
            r#"
            const [frames, done] = arguments;
            const intervals = [];
            let last = null;
            function step(ts) {
              if (last !== null) intervals.push(ts - last);
              last = ts;
              if (intervals.length >= frames) done(intervals); else requestAnimationFrame(step);
            }
            requestAnimationFrame(step);
            "#,
            vec![json!(frames)],
        )
        .await
        .expect("idle frames script");
    floats(&out)
}

struct Scroll {
    intervals: Vec<f64>,
    /// Frames in which some visible row still waited for its page.
    pending_frames: u64,
    rows: u32,
}

/// Scrolls the table by `rows_per_frame` rows in each animation frame until `rows` rows went by,
/// recording the frame intervals.
async fn scroll(app: &AppSession, rows: u32, rows_per_frame: u32) -> Scroll {
    let out = app
        .client
        .execute_async(
            r#"
            const [selector, rowHeight, rows, perFrame, done] = arguments;
            const grid = document.querySelector(selector);
            const target = Math.min(grid.scrollHeight - grid.clientHeight, grid.scrollTop + rows * rowHeight);
            const start = grid.scrollTop;
            const intervals = [];
            let last = null;
            let pending = 0;
            function step(ts) {
              if (last !== null) intervals.push(ts - last);
              last = ts;
              if (grid.querySelector('.pending')) pending++;
              if (grid.scrollTop >= target - 1) {
                done({ intervals, pending, rows: Math.round((grid.scrollTop - start) / rowHeight) });
                return;
              }
              grid.scrollTop = Math.min(target, grid.scrollTop + perFrame * rowHeight);
              requestAnimationFrame(step);
            }
            requestAnimationFrame(step);
            "#,
            vec![
                json!(test_id_selector(ids::DIFF_TABLE)),
                json!(ROW_HEIGHT),
                json!(rows),
                json!(rows_per_frame),
            ],
        )
        .await
        .expect("scroll script");
    Scroll {
        intervals: floats(&out["intervals"]),
        pending_frames: out["pending"].as_u64().unwrap_or(0),
        rows: out["rows"].as_u64().unwrap_or(0) as u32,
    }
}

/// Jumps the table to row `row` and returns the ms until no rendered row waits for its page (NaN,
/// with the waiting rows printed, when some still wait after 10 s).
async fn jump(app: &AppSession, row: u32) -> f64 {
    let out = app
        .client
        .execute_async(
            r#"
            const [selector, top, done] = arguments;
            const grid = document.querySelector(selector);
            const t0 = performance.now();
            grid.scrollTop = top;
            function check() {
              if (!grid.querySelector('.pending') && grid.querySelector('[data-index]')) {
                setTimeout(() => done(performance.now() - t0), 0);
              } else if (performance.now() - t0 > 10000) {
                // Rows still waiting after 10 s: report which, instead of hanging the session.
                const waiting = [...grid.querySelectorAll('[data-index]')]
                  .filter((r) => r.querySelector('.pending'))
                  .map((r) => r.dataset.index);
                done('rows still loading after 10 s: ' + waiting.join(', '));
              } else {
                requestAnimationFrame(check);
              }
            }
            requestAnimationFrame(check);
            "#,
            vec![
                json!(test_id_selector(ids::DIFF_TABLE)),
                json!(row * ROW_HEIGHT),
            ],
        )
        .await
        .expect("jump script");
    out.as_f64().unwrap_or_else(|| {
        eprintln!("    [jump to row {row}] {out}");
        f64::NAN
    })
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn median(values: &[f64]) -> f64 {
    percentile(values, 50.0)
}

/// The number after `key` in a /proc text of "Key:  value kB" lines (0 when absent).
fn kb_field(text: &str, key: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
}

/// RSS and PSS (kB) of every process under `root` except the WebDriver tools themselves.
fn memory_under(root: u32) -> Vec<(u32, String, u64, u64)> {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    let mut comm: HashMap<u32, String> = HashMap::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        parent.insert(pid, ppid);
        comm.insert(pid, stat[open + 1..close].to_owned());
    }
    let under = |mut pid: u32| {
        while let Some(&p) = parent.get(&pid) {
            if p == root {
                return true;
            }
            if p <= 1 {
                return false;
            }
            pid = p;
        }
        false
    };
    let mut out = Vec::new();
    for (&pid, name) in &comm {
        if !under(pid) || name == "WebKitWebDriver" || name == "tauri-driver" {
            continue;
        }
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue;
        };
        out.push((
            pid,
            name.clone(),
            kb_field(&rollup, "Rss:"),
            kb_field(&rollup, "Pss:"),
        ));
    }
    out.sort();
    out
}

struct Report {
    lines: Vec<(String, String, String)>,
}

impl Report {
    fn add(&mut self, what: impl Into<String>, value: impl Into<String>, goal: impl Into<String>) {
        let (what, value, goal) = (what.into(), value.into(), goal.into());
        eprintln!("  {what}: {value}");
        self.lines.push((what, value, goal));
    }

    fn timing(&mut self, what: &str, values: &[f64], goal: &str) {
        let shown = if values.len() == 1 {
            format!("{:.0} ms", values[0])
        } else {
            let all: Vec<String> = values.iter().map(|v| format!("{v:.0}")).collect();
            format!("{:.0} ms (runs: {})", median(values), all.join(", "))
        };
        self.add(what, shown, goal);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run it with scripts/measure-diff-table.sh"]
async fn diff_table_at_100k_rows() {
    let users = std::env::var(USERS_ENV).unwrap_or_else(|_| DEFAULT_USERS.to_owned());
    let mut report = Report { lines: Vec::new() };
    let started = Instant::now();
    let app = AppSession::start_with_env(&[(USERS_ENV, &users)]).await;
    // Scrolling thousands of rows a frame at a time outlasts WebDriver's default 30 s.
    app.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(600)),
            None,
            None,
        ))
        .await
        .expect("script timeout");
    wait_for(&app, ids::PAGE_HOME, Duration::from_secs(600)).await;
    eprintln!("window up after {:?}", started.elapsed());
    open_diff_of(&app, TARGET, Duration::from_secs(600)).await;

    // Run the diff; the first page of rows is painted after the result arrives.
    let run_started = Instant::now();
    let t0 = act(&app, ids::DIFF_RUN, CLICK).await;
    let painted = mark_after(&app, MARK_PAINTED, t0, Duration::from_secs(1800)).await;
    let result = mark(&app, MARK_RESULT).await.expect("result mark");
    let query = mark(&app, MARK_QUERY).await.expect("query mark");
    let arrived = mark(&app, MARK_ARRIVED).await.expect("arrived mark");
    eprintln!(
        "    [first paint] result->query {:.0} ms, query->arrived {:.0} ms, arrived->painted {:.0} ms",
        query - result,
        arrived - query,
        painted - arrived
    );
    eprintln!("diff ran in {:?}", run_started.elapsed());
    let meta = text(&app, ids::DIFF_META).await;
    report.add("diff result", meta, "~100,000 rows");
    report.add(
        "diff run (click to result, backend)",
        format!("{:.1} s", (result - t0) / 1000.0),
        "-",
    );
    report.timing(
        &format!(
            "result arrives -> first rows painted (users tab, drift only: {} rows)",
            table_rows(&app).await
        ),
        &[painted - result],
        "<= 500 ms",
    );

    // The whole users list: show the rows in sync too.
    let (show_all, _) = input_to_rows(&app, ids::DIFF_HIDE_IN_SYNC, CLICK).await;
    let all_rows = table_rows(&app).await;
    report.timing(
        &format!("'Hide rows in sync' off -> {all_rows} rows painted"),
        &[show_all],
        "<= 100 ms",
    );

    // The backend's share: one page of that list straight through IPC, as the table asks.
    let mut ipc = Vec::new();
    for _ in 0..5 {
        let out = app
            .client
            .execute_async(
                r#"
                const [target, done] = arguments;
                const query = { states: [], kinds: ['user'], search: '', attribute: null, group: null };
                const t0 = performance.now();
                window.__TAURI_INTERNALS__.invoke('diff_rows', { targetId: target, query, offset: 0, limit: 200 })
                  .then(() => done(performance.now() - t0), (e) => done(String(e)));
                "#,
                vec![json!(TARGET)],
            )
            .await
            .expect("diff_rows script");
        ipc.push(out.as_f64().unwrap_or_else(|| panic!("diff_rows: {out}")));
    }
    report.timing(
        "diff_rows IPC round trip, 200 of the users (backend share)",
        &ipc,
        "-",
    );

    // Scrolling through that list.
    let idle = idle_frames(&app, 120).await;
    report.add(
        "idle frame interval (display clock, no scrolling)",
        format!(
            "median {:.1} ms, p95 {:.1} ms",
            median(&idle),
            percentile(&idle, 95.0)
        ),
        "-",
    );
    for per_frame in [4, 10] {
        // Start each run from the top of the list.
        script(
            &app,
            "document.querySelector(arguments[0]).scrollTop = 0;",
            vec![json!(test_id_selector(ids::DIFF_TABLE))],
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let s = scroll(&app, 2_000, per_frame).await;
        report.add(
            format!(
                "scroll {} rows, {per_frame} rows per frame: frame time ({} frames)",
                s.rows,
                s.intervals.len()
            ),
            format!(
                "median {:.1} ms, p95 {:.1} ms, max {:.1} ms; {} frames showed rows still loading",
                median(&s.intervals),
                percentile(&s.intervals, 95.0),
                percentile(&s.intervals, 100.0),
                s.pending_frames
            ),
            "median <= 16 ms",
        );
    }
    let jumps = [
        jump(&app, all_rows as u32 / 2).await,
        jump(&app, all_rows as u32 / 4).await,
        jump(&app, all_rows as u32 * 3 / 4).await,
    ];
    report.timing(
        "jump to the middle/quarter/three quarters -> rows shown",
        &jumps,
        "-",
    );
    script(
        &app,
        "document.querySelector(arguments[0]).scrollTop = 0;",
        vec![json!(test_id_selector(ids::DIFF_TABLE))],
    )
    .await;

    // A state filter, on and off.
    let chip = ids::diff_filter("changed");
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for _ in 0..REPEAT {
        on.push(input_to_rows(&app, &chip, CLICK).await.0);
        off.push(input_to_rows(&app, &chip, CLICK).await.0);
    }
    app.click(&chip).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let changed_rows = table_rows(&app).await;
    app.click(&chip).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    report.timing(
        &format!("state filter 'changed' on -> {changed_rows} rows painted"),
        &on,
        "<= 100 ms",
    );
    report.timing(
        &format!("state filter off -> {all_rows} rows painted"),
        &off,
        "<= 100 ms",
    );

    // A search: the page waits for a pause in typing (SEARCH_DELAY_MS) before it asks.
    let (mut typed, mut asked, mut cleared) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..REPEAT {
        let (from_input, from_query) =
            input_to_rows(&app, ids::DIFF_SEARCH, &type_text("anna")).await;
        typed.push(from_input);
        asked.push(from_query);
        cleared.push(
            input_to_rows(&app, ids::DIFF_SEARCH, &type_text(""))
                .await
                .1,
        );
    }
    script(
        &app,
        &format!(
            "const el = document.querySelector(arguments[0]); {}",
            type_text("anna")
        ),
        vec![json!(test_id_selector(ids::DIFF_SEARCH))],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let found = table_rows(&app).await;
    report.timing(
        &format!("search 'anna' ({found} rows): typing pause over -> rows painted"),
        &asked,
        "<= 100 ms",
    );
    report.timing(
        "search 'anna': keystroke -> rows painted (incl. the 250 ms typing pause)",
        &typed,
        "-",
    );
    report.timing(
        "search cleared: typing pause over -> rows painted",
        &cleared,
        "<= 100 ms",
    );
    script(
        &app,
        &format!(
            "const el = document.querySelector(arguments[0]); {}",
            type_text("")
        ),
        vec![json!(test_id_selector(ids::DIFF_SEARCH))],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // The other tabs.
    let mut tabs = Vec::new();
    for kind in ["membership", "group", "user"] {
        let (ms, _) = input_to_rows(&app, &ids::diff_tab(kind), CLICK).await;
        tabs.push(format!("{kind} {ms:.0}"));
    }
    report.add(
        "tab switch -> rows painted (ms)",
        tabs.join(", "),
        "<= 100 ms",
    );

    // Memory while the window holds the result.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let processes = memory_under(app.driver_pid());
    let (rss, pss) = processes
        .iter()
        .fold((0, 0), |(r, p), (_, _, rss, pss)| (r + rss, p + pss));
    for (pid, name, rss, pss) in &processes {
        eprintln!(
            "  memory: {name} ({pid}): RSS {} MB, PSS {} MB",
            rss / 1024,
            pss / 1024
        );
    }
    report.add(
        format!(
            "memory of the app's {} processes holding the diff",
            processes.len()
        ),
        format!("RSS {} MB, PSS {} MB", rss / 1024, pss / 1024),
        "-",
    );

    println!();
    let compositing = match std::env::var("WEBKIT_DISABLE_COMPOSITING_MODE") {
        Ok(v) if !v.is_empty() && v != "0" => "off (WEBKIT_DISABLE_COMPOSITING_MODE)",
        _ => "on (WebKit's default)",
    };
    println!("Diff page at {users} demo users, target {TARGET}, WebKit compositing {compositing}");
    println!("| measure | figure | goal |");
    println!("|---|---|---|");
    for (what, value, goal) in &report.lines {
        println!("| {what} | {value} | {goal} |");
    }
    app.close().await;
}
