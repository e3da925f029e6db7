//! `scim-companion diff` against the demo targets: exit codes, every output format, filters,
//! unknown targets, and the run recorded in the history file.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::{run, run_in};
use serde_json::Value;

fn states_of(rows: &[Value]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| r["state"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn demo_diff_with_detailed_exitcode_exits_2_and_without_it_0() {
    let r = run(&["diff", "demo-aws", "--detailed-exitcode", "--no-history"]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = run(&["diff", "demo-aws", "--no-history"]);
    assert_eq!(r.code, 0, "{r:?}");
    // Only in-sync rows asked for: nothing drifted among them.
    let r = run(&[
        "diff",
        "demo-aws",
        "--detailed-exitcode",
        "--no-history",
        "--state",
        "in_sync",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn json_has_the_seeded_drift_and_counts_that_match_its_rows() {
    let r = run(&["diff", "demo-aws", "--format", "json", "--no-history"]);
    assert_eq!(r.code, 0, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["target"]["id"], "demo-aws");
    let rows = doc["rows"].as_array().unwrap();
    let states = states_of(rows);
    for seeded in [
        "missing",
        "changed",
        "disabled",
        "unmanaged",
        "ineligible",
        "in_sync",
    ] {
        assert!(states.contains(seeded), "no {seeded} row: {states:?}");
    }
    // Every changed row names what changed; every ineligible row says why.
    for row in rows {
        match row["state"].as_str().unwrap() {
            "changed" => assert!(
                !row["changed_attributes"].as_array().unwrap().is_empty(),
                "{row}"
            ),
            "ineligible" => assert!(!row["reason"].as_str().unwrap().is_empty(), "{row}"),
            _ => {}
        }
    }
    for (state, counts) in doc["counts"].as_object().unwrap() {
        for kind in ["user", "group", "membership"] {
            let n = rows
                .iter()
                .filter(|r| r["state"] == state.as_str() && r["kind"] == kind)
                .count() as u64;
            assert_eq!(
                counts[format!("{kind}s")].as_u64(),
                Some(n),
                "{state} {kind}"
            );
        }
    }
    assert!(r.stderr.contains("requests"), "progress on stderr: {r:?}");
}

#[test]
fn state_filter_narrows_json_and_csv_rows() {
    let r = run(&[
        "diff",
        "demo-strongdm",
        "--format",
        "json",
        "--no-history",
        "--state",
        "missing,ineligible",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let doc = r.json();
    let rows = doc["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let allowed: BTreeSet<String> = ["missing", "ineligible"].map(String::from).into();
    assert!(states_of(rows).is_subset(&allowed), "{:?}", states_of(rows));

    let r = run(&[
        "diff",
        "demo-strongdm",
        "--format",
        "csv",
        "--no-history",
        "--state",
        "missing",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("kind,state,label,reason_code,reason,changed_attributes,jumpcloud_id,target_id")
    );
    let body: Vec<&str> = lines.collect();
    assert!(!body.is_empty(), "{r:?}");
    assert!(
        body.iter().all(|l| l.split(',').nth(1) == Some("missing")),
        "{r:?}"
    );
}

#[test]
fn csv_has_a_header_and_one_line_per_json_row() {
    let csv = run(&["diff", "demo-generic", "--format", "csv", "--no-history"]);
    assert_eq!(csv.code, 0, "{csv:?}");
    assert!(csv.stdout.starts_with(
        "kind,state,label,reason_code,reason,changed_attributes,jumpcloud_id,target_id\r\n"
    ));
    let json = run(&["diff", "demo-generic", "--format", "json", "--no-history"]);
    let rows = json.json()["rows"].as_array().unwrap().len();
    assert_eq!(csv.stdout.lines().count(), rows + 1, "{csv:?}");
}

#[test]
fn html_is_a_standalone_page_and_table_fits_100_columns() {
    let r = run(&["diff", "demo-aws", "--format", "html", "--no-history"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("<!doctype html>"), "{r:?}");
    assert!(r.stdout.contains("demo") && r.stdout.contains("</html>"));

    let r = run(&["diff", "demo-aws", "--no-history"]);
    assert_eq!(r.code, 0, "{r:?}");
    for line in r.stdout.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line:?}");
    }
    let json = run(&["diff", "demo-aws", "--format", "json", "--no-history"]).json();
    for state in ["missing", "extra", "changed", "ineligible"] {
        let users = json["counts"][state]["users"].as_u64().unwrap();
        let groups = json["counts"][state]["groups"].as_u64().unwrap();
        let memberships = json["counts"][state]["memberships"].as_u64().unwrap();
        let line = r
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(state))
            .unwrap_or_else(|| panic!("no count line for {state}: {r:?}"));
        let numbers: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(numbers, vec![users, groups, memberships], "{line}");
    }
    // In-sync rows are counted, not listed, by default.
    assert!(!r
        .stdout
        .lines()
        .any(|l| l.starts_with("in_sync ") && l.contains("user ")));
}

#[test]
fn unknown_target_exits_1_listing_the_known_targets() {
    let r = run(&["diff", "no-such-target", "--no-history"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(
        r.stderr.contains("unknown target `no-such-target`"),
        "{r:?}"
    );
    for known in ["demo-aws", "demo-strongdm", "demo-generic"] {
        assert!(r.stderr.contains(known), "{known} not listed: {r:?}");
    }
}

#[test]
fn bad_flags_exit_with_an_error() {
    // Usage errors exit with 1, never with 2 (which means drift).
    let r = run(&[
        "diff",
        "demo-aws",
        "--format",
        "yaml",
        "--detailed-exitcode",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("yaml"), "{r:?}");
    let r = run(&["diff", "--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("--detailed-exitcode") && r.stdout.contains("Exit codes"),
        "{r:?}"
    );
    let r = run(&[
        "diff",
        "demo-aws",
        "--format",
        "html",
        "--state",
        "missing",
        "--no-history",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("--state"), "{r:?}");
}

/// The retention saved in the data folder (by the app's Settings page) is applied after CLI
/// runs too, not only after the app's.
#[test]
fn the_saved_history_retention_applies_to_cli_runs() {
    let dir = tempfile::tempdir().unwrap();
    engine::config::save_history_retention(dir.path(), Some(history::Retention::KeepRuns(2)))
        .unwrap();
    for _ in 0..3 {
        let r = run_in(dir.path(), &["diff", "demo-generic"]);
        assert_eq!(r.code, 0, "{r:?}");
    }
    let list = run_in(dir.path(), &["history", "list", "--json"]);
    assert_eq!(list.json().as_array().unwrap().len(), 2, "{list:?}");
}

#[test]
fn diff_is_recorded_in_history_unless_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite");

    let r = run_in(dir.path(), &["diff", "demo-aws", "--no-history"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!db.exists(), "--no-history wrote {db:?}");

    let diff = run_in(dir.path(), &["diff", "demo-aws", "--format", "json"]);
    assert_eq!(diff.code, 0, "{diff:?}");
    assert!(db.exists());
    let doc = diff.json();
    let rows = doc["rows"].as_array().unwrap();
    let resources = |state: &str| {
        rows.iter()
            .filter(|r| r["state"] == state && r["kind"] != "membership")
            .count() as u64
    };

    let list = run_in(dir.path(), &["history", "list", "--json"]);
    assert_eq!(list.code, 0, "{list:?}");
    let runs = list.json();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1, "{list:?}");
    let recorded = &runs[0];
    assert_eq!(recorded["kind"], "diff");
    assert_eq!(recorded["targetId"], "demo-aws");
    assert_eq!(recorded["outcome"], "succeeded");
    // The diff's SCIM requests are listed with it, as the report counted them.
    assert_eq!(
        recorded["operationCount"].as_u64(),
        doc["requests"].as_u64(),
        "{list:?}"
    );
    assert!(recorded["operationCount"].as_u64() > Some(0));
    assert_eq!(
        recorded["counts"]["missing"].as_u64(),
        Some(resources("missing"))
    );
    // History keeps its four columns: extra counts every target-only object (deleted in
    // JumpCloud or not JumpCloud's), ineligible also what is left as is.
    assert_eq!(
        recorded["counts"]["extra"].as_u64(),
        Some(resources("extra") + resources("unmanaged"))
    );
    assert_eq!(
        recorded["counts"]["ineligible"].as_u64(),
        Some(resources("ineligible") + resources("left_as_is"))
    );
    let id = recorded["id"].as_i64().unwrap();

    let table = run_in(dir.path(), &["history", "list"]);
    assert_eq!(table.code, 0, "{table:?}");
    let line = table
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&id.to_string()))
        .unwrap_or_else(|| panic!("run {id} not listed: {table:?}"));
    assert!(line.contains("diff") && line.contains("demo-aws") && line.contains("succeeded"));

    // A second diff of the same target is compared with the first.
    let again = run_in(dir.path(), &["diff", "demo-aws"]);
    assert_eq!(again.code, 0, "{again:?}");
    let show = run_in(dir.path(), &["history", "show", &(id + 1).to_string()]);
    assert_eq!(show.code, 0, "{show:?}");
    assert!(
        show.stdout.contains(&format!(
            "since run {id}: 0 appeared, 0 disappeared, 0 changed"
        )),
        "{show:?}"
    );
}
