//! The embedded demo workspace: the seeded JumpCloud-shaped directory and simulated SCIM targets
//! on loopback, each seeded with what JumpCloud would have pushed, plus a little deliberate drift
//! so every page of the app has something real to show on first launch.
//!
//! A crate of its own so that the engine does not depend on the simulators: the app and the CLI
//! hand [`workspace`] to `engine::Session::open` as the demo builder.

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
    let directory = sim::jumpcloud::seed::demo_directory();
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
    Ok(Workspace::preloaded(
        "Demo directory (JumpCloud-shaped, generated)",
        directory,
        targets,
        Some(std::sync::Arc::new(sims)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Random tokens per run are tested in the engine, over the same seeding code.
    #[tokio::test]
    async fn every_demo_target_answers_its_client() {
        let ws = workspace().unwrap();
        assert_eq!(ws.mode(), engine::WorkspaceMode::Demo);
        let targets = ws.targets();
        assert_eq!(targets.len(), DEMO_TARGETS.len());
        for target in targets {
            assert!(target.simulated);
            ws.test_connection(&target.id).await.unwrap();
        }
    }
}
