//! `scim-companion plan` and `apply`: on the demo (one process), and on a configured target
//! (JumpCloud and SCIM simulators outside the CLI, so state persists between invocations): a
//! saved plan applies once, a second apply writes nothing, destructive operations need their
//! exact count, and no token is ever printed.

#![allow(clippy::unwrap_used)]

mod common;

use common::{command, finish, run, Run};
use serde_json::json;

#[test]
fn plan_on_the_demo_lists_operations_and_exits_2() {
    let r = run(&["plan", "demo-aws", "--demo"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.contains("Plan for"), "{r:?}");
    assert!(r.stdout.contains("deletion guard:"), "{r:?}");
    assert!(r.stdout.contains("update user"), "{r:?}");

    let r = run(&["plan", "demo-aws", "--demo", "--format", "json"]);
    assert_eq!(r.code, 2, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["format"], "scim-companion-plan");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["targetId"], "demo-aws");
    assert!(doc["createdAt"].is_string() && doc["diffFinishedAt"].is_string());
    assert!(!doc["plan"]["operations"].as_array().unwrap().is_empty());
}

#[test]
fn apply_on_the_demo_refuses_without_a_terminal_or_confirmation() {
    let r = run(&["apply", "demo-aws", "--demo"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("stdin is not a terminal"), "{r:?}");

    let r = run(&["apply", "demo-aws", "--demo", "--yes"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("--confirm-destructive"), "{r:?}");
    assert!(r.stderr.contains("nothing was written"), "{r:?}");
}

const TOKEN: &str = "apply-test-token-7f3e91";

fn cli(dir: &std::path::Path, service: &str, key: &str, args: &[&str]) -> Run {
    let mut cmd = command();
    cmd.env("SCIM_COMPANION_DATA_DIR", dir)
        .env("SCIM_COMPANION_KEYCHAIN_SERVICE", service)
        .env("JUMPCLOUD_API_KEY", key)
        .args(args);
    let r = finish(cmd.output().unwrap());
    for secret in [TOKEN, key] {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "a secret was printed: {r:?}"
        );
    }
    r
}

/// Needs a Secret Service (see configured.rs): `scripts/test-all.sh` provides one.
#[test]
fn a_saved_plan_applies_once_and_a_second_apply_writes_nothing() {
    let env = common::configured("apply", TOKEN);
    let (dir, service, key, scim) = (&env.dir, &env.service, &env.key, &env.scim);
    // A managed account whose JumpCloud user is gone: the plan deactivates or deletes it.
    let gone = "gone.user@example.com";
    scim.seed_users(vec![json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": gone,
        "externalId": "5f00000000000000000000aa",
        "active": true,
    })])
    .unwrap();

    let plan_path = dir.path().join("plan.json");
    let plan_file = plan_path.to_str().unwrap();
    let writes = || scim.stats().writes;

    let r = cli(
        dir.path(),
        service,
        key,
        &["plan", "local", "--out", plan_file],
    );
    assert_eq!(r.code, 2, "{r:?}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    let operations = saved["plan"]["counts"]["operations"].as_u64().unwrap();
    let destructive = saved["plan"]["counts"]["destructive"].as_u64().unwrap();
    assert!(operations > 1 && destructive >= 1, "{saved}");
    assert_eq!(writes(), 0, "plan writes nothing");

    // Destructive operations without their count: refused before any write.
    let r = cli(
        dir.path(),
        service,
        key,
        &["apply", "local", "--plan", plan_file, "--yes"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains(&format!("--confirm-destructive {destructive}")),
        "{r:?}"
    );
    assert_eq!(writes(), 0, "{r:?}");
    // A wrong count is refused too.
    let wrong = (destructive + 1).to_string();
    let r = cli(
        dir.path(),
        service,
        key,
        &[
            "apply",
            "local",
            "--plan",
            plan_file,
            "--yes",
            "--confirm-destructive",
            &wrong,
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(writes(), 0, "{r:?}");

    // One deactivation of the target's one account is over the default guard (5%).
    assert_eq!(saved["plan"]["guard"]["tripped"], json!(true), "{saved}");
    let deprovisions = saved["plan"]["guard"]["deprovisions"].to_string();
    let count = destructive.to_string();
    let apply = [
        "apply",
        "local",
        "--plan",
        plan_file,
        "--yes",
        "--confirm-destructive",
        &count,
        "--override-guard",
        &deprovisions,
    ];
    let r = cli(dir.path(), service, key, &apply);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(&format!(
            "Applied to Local SCIM (local): {operations} operations"
        )),
        "{r:?}"
    );
    assert!(r.stdout.contains("history run"), "{r:?}");
    let after_first = writes();
    assert!(after_first >= operations, "{r:?}");
    assert!(!scim
        .users()
        .iter()
        .any(|u| u["userName"] == gone && u["active"] == true));

    // The same plan again: everything is done, nothing is written.
    let r = cli(dir.path(), service, key, &apply);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("Applied to Local SCIM (local): 0 operations"),
        "{r:?}"
    );
    // Counted in approvals (one per member of a member operation), all of them done.
    assert!(
        r.stdout.contains("approved change(s) no longer needed")
            && !r.stdout.contains("\n0 approved change(s)"),
        "{r:?}"
    );
    assert_eq!(writes(), after_first, "the second apply wrote: {r:?}");

    let r = cli(dir.path(), service, key, &["plan", "local"]);
    assert_eq!(r.code, 0, "converged: {r:?}");
    // The diff agrees with the plan: a scheduled drift check comes back clean.
    let r = cli(
        dir.path(),
        service,
        key,
        &["diff", "local", "--detailed-exitcode", "--no-history"],
    );
    assert_eq!(r.code, 0, "drift right after a complete apply: {r:?}");
    assert!(r.stderr.contains(" 0 drift"), "{r:?}");
    // An explicit choice that matches nothing is an error, never a silent no-op.
    let r = cli(
        dir.path(),
        service,
        key,
        &["plan", "local", "--reenable", "nobody@example.com"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("no user disabled in the target matches"),
        "{r:?}"
    );

    let list = cli(dir.path(), service, key, &["history", "list", "--json"]);
    let runs = list.json();
    let applies = runs
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "apply")
        .count();
    assert_eq!(applies, 2, "{list:?}");
}

/// The guard saved in the data folder (as the Settings page saves it) holds for the CLI too:
/// a plan over it is refused without `--override-guard N` naming its exact count, a looser
/// `--guard-count` cannot lift it, and the right number applies.
#[test]
fn a_plan_over_the_saved_guard_needs_the_exact_override() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("settings.json"),
        r#"{ "deletion_guard": { "max_count": 0, "max_percent": 100.0 } }"#,
    )
    .unwrap();
    let r = common::run_in(
        dir.path(),
        &["plan", "demo-aws", "--demo", "--format", "json"],
    );
    assert_eq!(r.code, 2, "{r:?}");
    let plan = &r.json()["plan"];
    assert_eq!(plan["guard"]["tripped"], json!(true), "{plan}");
    assert_eq!(
        plan["guard"]["max_count"],
        json!(0),
        "the saved limit: {plan}"
    );
    let n = plan["guard"]["deprovisions"].as_u64().unwrap();
    let destructive = plan["counts"]["destructive"].as_u64().unwrap().to_string();
    assert!(n > 0);
    let apply = |extra: &[&str]| {
        let mut args = vec![
            "apply",
            "demo-aws",
            "--demo",
            "--yes",
            "--confirm-destructive",
            destructive.as_str(),
        ];
        args.extend_from_slice(extra);
        common::run_in(dir.path(), &args)
    };
    let wrong = (n + 1).to_string();
    for extra in [
        vec![],
        vec!["--override-guard", wrong.as_str()],
        vec!["--guard-count", "100000", "--guard-percent", "100"],
    ] {
        let r = apply(&extra);
        assert_eq!(r.code, 1, "{extra:?}: {r:?}");
        assert!(
            r.stderr.contains("deletion guard halted the apply"),
            "{extra:?}: {r:?}"
        );
        assert!(r.stderr.contains(&format!("--override-guard {n}")), "{r:?}");
        assert!(!r.stdout.contains("Applied to"), "{r:?}");
    }
    let r = apply(&["--guard-percent", "0"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("more than 0 and at most 100"), "{r:?}");

    let right = n.to_string();
    let r = apply(&["--override-guard", right.as_str()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("outcome: succeeded"), "{r:?}");
}
