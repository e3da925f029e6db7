//! The embedded demo workspace: the seeded JumpCloud-shaped directory and simulated SCIM targets
//! on loopback, each seeded with what JumpCloud would have pushed, plus a little deliberate drift
//! so every page of the app has something real to show on first launch.
//!
//! A crate of its own so that the engine does not depend on the simulators: the app and the CLI
//! hand [`workspace`] to `engine::Session::open` as the demo builder.
//!
//! Measurement-only knob: with the environment variable [`DEMO_USERS_ENV`]
//! (`SCIM_COMPANION_DEMO_USERS=N`) the demo directory holds `N` generated users instead of 185
//! (plus the same hand-written edge cases, groups and applications), and every demo target is
//! seeded from it with the same proportional drift. A diff of the generic target (its app is bound
//! to All Staff, so every user is in scope) then lists every user, the groups and the membership
//! changes: `N = 90000` gives 94,661 rows, 13,232 of them drifting. Unset, the demo is exactly the
//! usual one. `scripts/measure-diff-table.sh` uses it; see docs/performance.md.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod bench;
mod seed;

use engine::{Error, Result, Workspace, WorkspaceTarget};
use sim::target::SimHandle;

pub use bench::{aws_bench, aws_read_bench, AwsReadBench, BenchSpec, MinimumRequests};
pub use seed::DEMO_TOKEN_PREFIX;

use seed::DEMO_TARGETS;

/// Starts the demo: the seeded directory and one simulator per demo target. The simulators run
/// as long as the workspace lives. Fits `engine::DemoBuilder`.
pub fn workspace() -> Result<Workspace> {
    let directory = demo_directory()?;
    let mut sims: Vec<SimHandle> = Vec::new();
    let mut targets = Vec::new();
    for demo in DEMO_TARGETS {
        let (handle, app_id) = seed::spawn_target(demo, &directory).map_err(Error::Demo)?;
        let auth = scim::Auth::Bearer(scim::Secret::new(handle.token().to_owned()));
        let client = engine::clients::client_for(demo.kind, handle.base_url(), auth)?;
        targets.push(WorkspaceTarget {
            info: engine::TargetInfo {
                id: demo.id.to_owned(),
                name: format!("{} (demo)", demo.kind.display_name()),
                kind: demo.kind,
                base_url: handle.base_url().to_owned(),
                simulated: true,
            },
            client,
            app_id,
            settings: targets::Settings::default_for(demo.kind),
        });
        sims.push(handle);
    }
    write_test_access(&sims)?;
    Ok(Workspace::preloaded(
        "Demo directory (JumpCloud-shaped, generated)",
        directory,
        targets,
        Some(std::sync::Arc::new(sims)),
    ))
}

/// Test seam: with `SCIM_COMPANION_TEST_DEMO_ACCESS=<file>`, the demo writes each simulated
/// target's address and bearer token to that file, so an end-to-end test can edit a simulated
/// target "by hand" over SCIM while the app runs. The tokens are random per start and open only
/// the app's own loopback simulators; nothing is written without the variable.
pub const TEST_ACCESS_ENV: &str = "SCIM_COMPANION_TEST_DEMO_ACCESS";

fn write_test_access(sims: &[SimHandle]) -> Result<()> {
    let Some(path) = std::env::var_os(TEST_ACCESS_ENV).filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let access: serde_json::Map<String, serde_json::Value> = DEMO_TARGETS
        .iter()
        .zip(sims)
        .map(|(demo, sim)| {
            (
                demo.id.to_owned(),
                serde_json::json!({ "base_url": sim.base_url(), "token": sim.token() }),
            )
        })
        .collect();
    let text = serde_json::to_vec_pretty(&access).expect("demo access serialises");
    std::fs::write(&path, text)
        .map_err(|e| Error::Demo(format!("{TEST_ACCESS_ENV}: cannot write {path:?}: {e}")))
}

/// Environment variable that sizes the demo directory for measurements (see the crate docs).
pub const DEMO_USERS_ENV: &str = "SCIM_COMPANION_DEMO_USERS";

/// The usual demo directory, or the one sized by [`DEMO_USERS_ENV`] when it is set.
fn demo_directory() -> Result<jumpcloud::Directory> {
    match std::env::var(DEMO_USERS_ENV) {
        Err(std::env::VarError::NotPresent) => Ok(sim::jumpcloud::seed::demo_directory()),
        Ok(text) => parse_users(&text)
            .map(sim::jumpcloud::seed::demo_directory_with_users)
            .ok_or_else(|| {
                Error::Demo(format!(
                    "{DEMO_USERS_ENV}={text:?} is not a number of users"
                ))
            }),
        Err(e) => Err(Error::Demo(format!("{DEMO_USERS_ENV}: {e}"))),
    }
}

fn parse_users(text: &str) -> Option<usize> {
    text.trim().replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_knob_reads_plain_numbers_only() {
        assert_eq!(parse_users("28000"), Some(28_000));
        assert_eq!(parse_users(" 28_000 "), Some(28_000));
        assert_eq!(parse_users("many"), None);
        assert_eq!(parse_users("-1"), None);
    }

    #[test]
    fn the_sized_directory_keeps_the_demo_shape() {
        let usual = sim::jumpcloud::seed::demo_directory();
        assert_eq!(sim::jumpcloud::seed::demo_directory_with_users(185), usual);
        let big = sim::jumpcloud::seed::demo_directory_with_users(1_000);
        assert_eq!(big.users.len(), usual.users.len() - 185 + 1_000);
        assert_eq!(big.groups.len(), usual.groups.len());
        assert_eq!(big.applications.len(), usual.applications.len());
    }

    // Random tokens per run are tested in the engine, over the same seeding code.
    #[tokio::test]
    async fn every_demo_target_answers_its_client() {
        let ws = workspace().unwrap();
        assert_eq!(ws.mode(), engine::WorkspaceMode::Demo);
        let targets = ws.targets();
        assert_eq!(targets.len(), DEMO_TARGETS.len());
        for target in targets {
            assert!(target.simulated);
            engine::TargetWork::new(&ws, &target.id)
                .unwrap()
                .test_connection()
                .await
                .unwrap();
        }
    }
}
