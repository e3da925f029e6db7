//! `large_tenant_in_app`: the large-tenant benchmark (issue 18) through the app window, as an
//! administrator runs it: enter the JumpCloud key on the Setup page, run the diff of the large
//! AWS tenant on the Diff page (which reads JumpCloud first), then open the plan. Started by
//! `scripts/large-tenant.sh --app`, which serves the tenant, writes the workspace's
//! `settings.json` and the target's token, and turns what this prints into the report's table.
//!
//! Prints one line per event, each with the wall-clock time in seconds since the epoch, so the
//! script can line them up with the simulator's request log:
//! `EVENT <epoch> <name> <detail>`: `run` (Run diff clicked), `phase` (the progress line's phase
//! changed; detail: that line), `result` (the summary line), `planned` (the plan's operation count)
//! and `memory` (the app process's peak and final RSS, the web process's RSS, in kB).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use scim_companion_tests::app_driver::{test_id_selector, AppSession};
use scim_companion_tests::ids;

use super::{kb_field, mark, memory_under, open_diff_of, script, text, wait_for, MARK_RESULT};

const TARGET: &str = "t";

fn epoch() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs_f64()
}

fn event(name: &str, detail: &str) {
    println!("EVENT {:.3} {name} {detail}", epoch());
}

fn required(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run scripts/large-tenant.sh --app"))
}

/// The progress line shown now (the JumpCloud read's or the target read's), if any.
async fn progress_line(app: &AppSession) -> Option<String> {
    for id in [ids::JUMPCLOUD_READ_PROGRESS, ids::DIFF_PROGRESS] {
        let found = app
            .client
            .find(fantoccini::Locator::Css(&test_id_selector(id)))
            .await;
        if let Ok(element) = found {
            if let Ok(Some(line)) = element.prop("textContent").await {
                let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
                return Some(format!("{id}: {line}"));
            }
        }
    }
    None
}

/// The page's note on the target's throttling (how often it refused, the pace kept), if shown.
async fn throttle_note(app: &AppSession) -> String {
    let found = app
        .client
        .find(fantoccini::Locator::Css(&test_id_selector(
            ids::DIFF_THROTTLED,
        )))
        .await;
    match found {
        Ok(element) => element
            .prop("textContent")
            .await
            .ok()
            .flatten()
            .map(|t| format!(" [{}]", t.trim()))
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The phase a progress line names: its text up to the first " · " (the JumpCloud read's own
/// panel counts its steps differently, so the whole panel is one phase).
fn phase_of(line: &str) -> &str {
    match line.split_once(':') {
        Some((id, _)) if id == ids::JUMPCLOUD_READ_PROGRESS => id,
        _ => line.split(" · ").next().unwrap_or(line),
    }
}

/// `VmHWM` and `VmRSS` (kB) of a process.
fn peak_and_rss(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    (kb_field(&status, "VmHWM:"), kb_field(&status, "VmRSS:"))
}

#[tokio::test]
#[ignore = "a measurement: scripts/large-tenant.sh --app runs it"]
async fn large_tenant_in_app() {
    let data_dir = required("LARGE_TENANT_DATA_DIR");
    let key = required("LARGE_TENANT_JUMPCLOUD_KEY");
    let jumpcloud_url = required("LARGE_TENANT_JUMPCLOUD_URL");
    let app = AppSession::start_with_env(&[("SCIM_COMPANION_DATA_DIR", &data_dir)]).await;
    wait_for(&app, ids::PAGE_HOME, Duration::from_secs(120)).await;

    // The JumpCloud key, entered as an administrator does (the keychain holds it from then on).
    app.click(&ids::nav("setup")).await;
    app.by_test_id(ids::JUMPCLOUD_PANEL).await;
    app.fill(ids::JUMPCLOUD_KEY, &key).await;
    let custom_url = format!(
        "{} label.check input",
        test_id_selector(ids::JUMPCLOUD_PANEL)
    );
    let custom_url = app
        .client
        .find(fantoccini::Locator::Css(&custom_url))
        .await
        .expect("the custom URL switch");
    if !custom_url.is_selected().await.unwrap_or(false) {
        custom_url.click().await.expect("switch to a custom URL");
    }
    app.fill(ids::JUMPCLOUD_BASE_URL, &jumpcloud_url).await;
    app.click(ids::JUMPCLOUD_SAVE).await;
    app.text_when(ids::JUMPCLOUD_CONNECTED, |t| t.contains("Connected"))
        .await;

    // The diff: JumpCloud, then the target's users and groups, then each group's members.
    open_diff_of(&app, TARGET, Duration::from_secs(60)).await;
    event("run", "");
    app.click(ids::DIFF_RUN).await;
    let started = Instant::now();
    let mut phase = String::new();
    let mut last_line = String::new();
    let mut last_print = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(3600),
            "the diff did not finish within an hour; last progress: {last_line}"
        );
        // The page marks the moment the result arrives (ui/src/lib/perfMarks.ts).
        if mark(&app, MARK_RESULT).await.is_some() {
            break;
        }
        let failed = script(
            &app,
            "return document.body.innerText.includes('The diff did not finish') ? document.body.innerText : null;",
            vec![],
        )
        .await;
        assert!(failed.is_null(), "the diff failed: {failed}");
        if let Some(line) = progress_line(&app).await {
            if phase_of(&line) != phase {
                phase = phase_of(&line).to_owned();
                event("phase", &line);
                last_print = Instant::now();
            } else if last_print.elapsed() > Duration::from_secs(60) {
                // One line a minute shows the rate, the time left and the pace the page gives.
                event("progress", &format!("{line}{}", throttle_note(&app).await));
                last_print = Instant::now();
            }
            last_line = line;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    event("result", &text(&app, ids::DIFF_META).await);

    // The plan of that diff, as the Review plan button opens it.
    app.click(ids::DIFF_REVIEW_PLAN).await;
    let operations = app
        .text_when(ids::PLAN_COUNT_OPERATIONS, |t| !t.is_empty())
        .await;
    event("planned", &operations);

    let processes = memory_under(app.driver_pid());
    let app_pid = processes
        .iter()
        .find(|(_, name, _, _)| name.starts_with("scim-companion"))
        .map(|(pid, ..)| *pid)
        .expect("the app process");
    let (peak, rss) = peak_and_rss(app_pid);
    let web: u64 = processes
        .iter()
        .filter(|(_, name, _, _)| name.starts_with("WebKitWebProces"))
        .map(|(_, _, rss, _)| rss)
        .sum();
    event(
        "memory",
        &format!("app_peak_kb={peak} app_rss_kb={rss} web_rss_kb={web}"),
    );
}
