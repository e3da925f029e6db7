//! The demo's targets and the data seeded into their simulators.
//!
//! Shared as source with the engine's unit tests (`engine/src/demo.rs` includes this file by
//! path), which need the same demo without depending on this crate; so it uses only crates
//! both have, and reports errors as text for each side to wrap.
//!
//! The drift is chosen by position in the (sorted) expected data, so it is the same on every run.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};
use sim::target::{Dialect, SimConfig, SimHandle, SimTarget};

/// Start of every demo token; the rest is random per run. Tests grep stored files for it.
pub const DEMO_TOKEN_PREFIX: &str = "demo-token-";

/// One simulated target of the demo.
pub(crate) struct DemoTarget {
    pub id: &'static str,
    pub kind: targets::Kind,
    pub dialect: Dialect,
    /// The JumpCloud application (by display name) whose scope the target receives.
    pub app: &'static str,
}

pub(crate) const DEMO_TARGETS: &[DemoTarget] = &[
    DemoTarget {
        id: "demo-aws",
        kind: targets::Kind::Aws,
        dialect: Dialect::Aws,
        app: "AWS IAM Identity Center",
    },
    DemoTarget {
        id: "demo-strongdm",
        kind: targets::Kind::StrongDm,
        dialect: Dialect::StrongDm,
        app: "StrongDM",
    },
    DemoTarget {
        id: "demo-generic",
        kind: targets::Kind::Generic,
        dialect: Dialect::Generic,
        app: "Generic SCIM app",
    },
];

/// Starts the simulator of `demo`, seeded; returns it with the id of the JumpCloud application
/// whose scope it receives.
pub(crate) fn spawn_target(
    demo: &DemoTarget,
    directory: &jumpcloud::Directory,
) -> Result<(SimHandle, String), String> {
    // No fixed token: each run's simulator makes up its own, and only this process's client
    // learns it, so another local program (or a rebinding web page) cannot guess it.
    let handle = SimTarget::spawn_in_thread(
        SimConfig::new(demo.dialect).with_random_token(DEMO_TOKEN_PREFIX),
    )
    .map_err(|e| e.to_string())?;
    let app_id = app_id(directory, demo.app)?;
    seed_target(&handle, demo.kind, demo.app, directory)?;
    Ok((handle, app_id))
}

pub(crate) fn app_id(directory: &jumpcloud::Directory, display: &str) -> Result<String, String> {
    directory
        .applications
        .iter()
        .find(|a| {
            a.display_label.as_deref() == Some(display)
                || a.display_name.as_deref() == Some(display)
                || a.name == display
        })
        .map(|a| a.id.clone())
        .ok_or_else(|| format!("the demo directory has no application \"{display}\""))
}

/// Seeds the simulator with JumpCloud's projection for the target, then adds drift:
/// some users and a group missing, attributes changed, an active flag flipped, an unmanaged
/// account, a formerly managed account, a userName conflict, a renamed group and membership
/// differences.
pub(crate) fn seed_target(
    handle: &SimHandle,
    kind: targets::Kind,
    app: &str,
    directory: &jumpcloud::Directory,
) -> Result<(), String> {
    let scope = directory
        .app_scope(&app_id(directory, app)?)
        .map_err(|e| e.to_string())?;
    let settings = targets::Settings::default_for(kind);
    let projection = targets::expected::project(kind, &settings, directory, &scope);
    let expected = projection.expected;

    let mut users: Vec<Value> = Vec::new();
    for (i, user) in expected.users.iter().enumerate() {
        if i % 19 == 7 {
            // Missing: JumpCloud should have pushed this user.
            if i % 38 == 7 {
                // ...and someone created an account with the same userName by hand.
                let mut squatter = user.resource_json();
                squatter["externalId"] = json!(format!("manual-{i}"));
                users.push(squatter);
            }
            continue;
        }
        let mut resource = user.resource_json();
        if i % 23 == 5 {
            resource["title"] = json!("Contractor (old title)");
        }
        if i % 29 == 3 {
            if let Some(family) = resource.pointer("/name/familyName").and_then(Value::as_str) {
                resource["name"]["familyName"] = json!(format!("{family}-Old"));
            }
        }
        if i % 31 == 11 {
            let active = resource["active"].as_bool().unwrap_or(true);
            resource["active"] = json!(!active);
        }
        users.push(resource);
    }
    // Unmanaged: an emergency account created in the target by hand, no externalId.
    users.push(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "breakglass-admin@corp.example",
        "name": {"givenName": "Break", "familyName": "Glass"},
        "displayName": "Break Glass (emergency admin)",
        "emails": [{"value": "breakglass-admin@corp.example", "type": "work", "primary": true}],
        "active": true
    }));
    // Formerly managed: a directory user outside the app's scope still has an account.
    // (A set, not the scope's list: on a demo sized for measuring, the list is 90,000 long.)
    let in_scope: HashSet<&str> = scope.users.iter().map(String::as_str).collect();
    if let Some(former) = directory.users.iter().find(|u| {
        !in_scope.contains(u.id.as_str()) && targets::mapping::user_name(kind, u).is_some()
    }) {
        users.push(targets::mapping::user_resource(kind, former));
    }

    let created = handle.seed_users(users).map_err(|e| e.to_string())?;
    let by_external: HashMap<&str, &str> = created
        .iter()
        .filter_map(|u| Some((u["externalId"].as_str()?, u["id"].as_str()?)))
        .collect();
    let unmanaged_id = created
        .iter()
        .find(|u| u["externalId"].is_null())
        .and_then(|u| u["id"].as_str());

    let mut groups = Vec::new();
    for (i, group) in expected.groups.iter().enumerate() {
        if i == 1 {
            continue; // Missing group.
        }
        let mut members: Vec<&str> = group
            .member_source_ids
            .iter()
            .filter_map(|s| by_external.get(s.as_str()).copied())
            .collect();
        if i == 0 && !members.is_empty() {
            members.remove(0); // A member JumpCloud would add.
        }
        if i == 2 {
            members.extend(unmanaged_id); // A member JumpCloud would remove.
        }
        let mut resource = group.resource_json();
        if i == 3 {
            // Renamed in the target by hand: JumpCloud would rename it back.
            if let Some(name) = resource["displayName"].as_str() {
                resource["displayName"] = json!(format!("{name} (renamed by hand)"));
            }
        }
        resource["members"] = Value::Array(members.iter().map(|id| json!({"value": id})).collect());
        groups.push(resource);
    }
    handle.seed_groups(groups).map_err(|e| e.to_string())?;
    Ok(())
}
