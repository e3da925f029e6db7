//! The demo workspace for the engine's own unit tests. The real one is the `demo` crate's (the
//! engine does not depend on the simulators outside tests); the seeding is the same source file,
//! so these tests see exactly the demo the app shows.

#[path = "../../demo/src/seed.rs"]
mod seed;

use crate::clients::client_for;
use crate::error::{Error, Result};
use crate::workspace::{Target, TargetInfo, Workspace};

pub(crate) use seed::{seed_target, DEMO_TARGETS, DEMO_TOKEN_PREFIX};

/// What `demo::workspace` builds (see that crate).
pub(crate) fn workspace() -> Result<Workspace> {
    let directory = sim::jumpcloud::seed::demo_directory();
    let mut sims = Vec::new();
    let mut targets = Vec::new();
    for demo in DEMO_TARGETS {
        let (handle, app_id) = seed::spawn_target(demo, &directory).map_err(Error::Demo)?;
        let auth = scim::Auth::Bearer(scim::Secret::new(handle.token().to_owned()));
        let client = client_for(demo.kind, handle.base_url(), auth)?;
        targets.push(Target {
            info: TargetInfo {
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

    fn tokens(ws: &Workspace) -> Vec<String> {
        ws.targets
            .iter()
            .map(|t| match &t.client.config().auth {
                scim::Auth::Bearer(token) => token.expose().to_owned(),
                other => panic!("demo targets use bearer tokens, not {other:?}"),
            })
            .collect()
    }

    #[tokio::test]
    async fn demo_tokens_are_random_per_run_and_reach_the_clients() {
        let first = workspace().unwrap();
        let second = workspace().unwrap();
        let (a, b) = (tokens(&first), tokens(&second));
        assert_eq!(a.len(), DEMO_TARGETS.len());
        for (x, y) in a.iter().zip(&b) {
            assert!(x.starts_with(DEMO_TOKEN_PREFIX) && x.len() >= DEMO_TOKEN_PREFIX.len() + 32);
            assert_ne!(x, y, "a demo token repeats across runs");
        }
        let mut unique = a.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), a.len(), "each demo target has its own token");
        // The generated token is the one the client sends: the simulator accepts it.
        for target in &first.targets {
            target.client.list_all_users(None).await.unwrap();
        }
    }
}
