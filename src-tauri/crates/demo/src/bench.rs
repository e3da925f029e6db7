//! A measured setup for the AWS request-count benchmark (`examples/diff_requests.rs`) and its
//! test: a generated directory whose groups are all bound to the AWS app, an AWS-dialect
//! simulator seeded with what JumpCloud would push, and the fewest requests the dialect allows
//! for reading it all, derived from what the simulator holds.

use std::collections::HashMap;

use serde_json::{json, Value};
use sim::target::{Dialect, RequestStats, SimConfig, SimHandle, SimTarget};

use engine::clients::client_for;
use engine::{Error, Result, TargetInfo, Workspace, WorkspaceTarget};

/// AWS returns at most 100 resources per list page.
const AWS_PAGE: usize = 100;

/// A workspace with one simulated AWS target, and the simulator to count its requests.
pub struct AwsReadBench {
    pub workspace: Workspace,
    /// The id of the simulated AWS target in `workspace`.
    pub target_id: &'static str,
    pub sim: SimHandle,
}

/// The fewest read requests the AWS dialect allows for a full diff, and how it is made up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimumRequests {
    /// `ceil(users / 100)`, at least 1.
    pub user_pages: u64,
    /// `ceil(groups / 100)`, at least 1.
    pub group_pages: u64,
    /// Listing each group's users: per group `ceil(members / 100)`, at least 1.
    pub per_group: u64,
    /// Listing each user's groups: per user `ceil(groups of the user / 100)`, at least 1.
    pub per_user: u64,
    /// A lower bound for any plan that lists neither every group nor every user: leaving `a`
    /// groups and `b` users unlisted needs `a * b` pair reads, so at least `groups + users - 1`.
    pub mixed_lower_bound: u64,
}

impl MinimumRequests {
    /// List pages plus the cheapest way to cover every (group, user) pair.
    pub fn total(&self) -> u64 {
        self.user_pages
            + self.group_pages
            + self
                .per_group
                .min(self.per_user)
                .min(self.mixed_lower_bound)
    }
}

/// `users` users in `groups` groups (each user in 1 to 3 groups, the first group holding
/// everybody so that it needs several pages, no group empty), all eligible and in scope of
/// the AWS app, seeded into an AWS-dialect simulator in sync except for a few deliberate
/// differences (changed titles, members too many or too few). Deterministic per `seed`.
pub fn aws_read_bench(users: usize, groups: usize, seed: u64) -> Result<AwsReadBench> {
    aws_bench(&BenchSpec {
        users,
        groups,
        memberships: None,
        seed,
    })
}

/// The size of a benchmark tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchSpec {
    pub users: usize,
    pub groups: usize,
    /// `None`: the layout of [`aws_read_bench`]. `Some(m)`: about `m` memberships spread
    /// evenly, every user in `m / users` groups (a large tenant's shape: no group of everybody).
    pub memberships: Option<usize>,
    pub seed: u64,
}

/// [`aws_read_bench`] for any [`BenchSpec`].
pub fn aws_bench(spec: &BenchSpec) -> Result<AwsReadBench> {
    let BenchSpec {
        users,
        groups,
        seed,
        ..
    } = *spec;
    let fail = |e: &dyn std::fmt::Display| Error::Demo(e.to_string());
    let mut directory = sim::jumpcloud::seed::generate(&sim::jumpcloud::seed::SeedSpec {
        users,
        groups,
        apps: 1,
        seed,
    });
    let app_id = directory
        .applications
        .first()
        .map(|a| a.id.clone())
        .ok_or_else(|| Error::Demo("the generated directory has no application".into()))?;
    // Every user eligible for AWS (the generator also makes staged users and users
    // without a display name), so the target holds all of them.
    for u in &mut directory.users {
        if u.state == jumpcloud::UserState::Staged {
            u.state = jumpcloud::UserState::Activated;
        }
        if u.displayname.as_deref().is_none_or(|d| d.trim().is_empty()) {
            u.displayname = Some(u.username.clone());
        }
    }
    let user_ids: Vec<String> = directory.users.iter().map(|u| u.id.clone()).collect();
    let group_ids: Vec<String> = directory.groups.iter().map(|g| g.id.clone()).collect();
    for members in directory.members.values_mut() {
        // Nested groups would make scope depend on the generator's nesting; keep it flat.
        members.groups.clear();
    }
    match spec.memberships {
        None => first_group_holds_everybody(&mut directory, &group_ids, &user_ids),
        Some(total) => spread_evenly(&mut directory, &group_ids, &user_ids, total),
    }
    let binding = directory.bindings.entry(app_id.clone()).or_default();
    binding.user_groups = group_ids;
    binding.users.clear();
    directory.normalize();

    let kind = targets::Kind::Aws;
    let settings = targets::Settings::default_for(kind);
    let scope = directory.app_scope(&app_id).map_err(|e| fail(&e))?;
    let expected = targets::expected::project(kind, &settings, &directory, &scope).expected;

    let sim = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Aws).with_token("bench-token"))
        .map_err(|e| fail(&e))?;
    let seeded: Vec<Value> = expected
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut r = u.resource_json();
            if i % 89 == 5 {
                r["title"] = json!("Old title");
            }
            r
        })
        .collect();
    let created = sim.seed_users(seeded).map_err(|e| fail(&e))?;
    let by_external: HashMap<&str, &str> = created
        .iter()
        .filter_map(|u| Some((u["externalId"].as_str()?, u["id"].as_str()?)))
        .collect();
    let groups: Vec<Value> = expected
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut members: Vec<&str> = g
                .member_source_ids
                .iter()
                .filter_map(|s| by_external.get(s.as_str()).copied())
                .collect();
            if i % 50 == 7 {
                members.extend(created.first().and_then(|u| u["id"].as_str()));
                members.sort_unstable();
                members.dedup();
            } else if i % 50 == 9 && members.len() > 1 {
                members.pop();
            }
            let mut r = g.resource_json();
            r["members"] = Value::Array(members.iter().map(|id| json!({"value": id})).collect());
            r
        })
        .collect();
    sim.seed_groups(groups).map_err(|e| fail(&e))?;

    let auth = scim::Auth::Bearer(scim::Secret::new(sim.token().to_owned()));
    let client = client_for(kind, sim.base_url(), auth)?;
    let target_id = "bench-aws";
    let target = WorkspaceTarget {
        info: TargetInfo {
            id: target_id.to_owned(),
            name: "AWS (simulated, benchmark)".to_owned(),
            kind,
            base_url: sim.base_url().to_owned(),
            simulated: true,
        },
        client,
        app_id,
        settings,
    };
    // `AwsReadBench` holds the simulator, so the workspace needs nothing kept alive.
    let workspace = Workspace::preloaded(
        "Generated for the request-count benchmark",
        directory,
        vec![target],
        None,
    );
    Ok(AwsReadBench {
        workspace,
        target_id,
        sim,
    })
}

/// Group 0 holds every user (it needs several pages); every other group keeps its generated
/// members, or one user if it had none (JumpCloud does not push empty groups).
fn first_group_holds_everybody(
    directory: &mut jumpcloud::Directory,
    group_ids: &[String],
    user_ids: &[String],
) {
    for (i, g) in group_ids.iter().enumerate() {
        let members = directory.members.entry(g.clone()).or_default();
        if i == 0 {
            members.users = user_ids.to_vec();
        } else if members.users.is_empty() && !user_ids.is_empty() {
            members.users.push(user_ids[i % user_ids.len()].clone());
        }
    }
}

/// About `total` memberships: user `i` is in groups `i, i + s, i + 2s, ...` (mod the group
/// count, `s` = groups per user's share), so every group holds about `total / groups` users
/// and none is empty when `total >= groups`.
fn spread_evenly(
    directory: &mut jumpcloud::Directory,
    group_ids: &[String],
    user_ids: &[String],
    total: usize,
) {
    if group_ids.is_empty() || user_ids.is_empty() {
        return;
    }
    for g in group_ids {
        directory
            .members
            .entry(g.clone())
            .or_default()
            .users
            .clear();
    }
    let per_user = total.div_ceil(user_ids.len()).clamp(1, group_ids.len());
    let stride = (group_ids.len() / per_user).max(1);
    for (i, u) in user_ids.iter().enumerate() {
        for j in 0..per_user {
            let g = &group_ids[(i + j * stride) % group_ids.len()];
            directory
                .members
                .entry(g.clone())
                .or_default()
                .users
                .push(u.clone());
        }
    }
}

impl AwsReadBench {
    /// The fewest requests a full read of what the simulator holds takes on AWS.
    pub fn minimum_requests(&self) -> MinimumRequests {
        let pages = |n: usize| n.div_ceil(AWS_PAGE).max(1) as u64;
        let users = self.sim.users();
        let groups = self.sim.groups();
        let mut groups_of_user: HashMap<&str, usize> = users
            .iter()
            .filter_map(|u| u["id"].as_str())
            .map(|id| (id, 0))
            .collect();
        let mut per_group = 0;
        for g in &groups {
            let members = g["members"].as_array().map_or(&[][..], Vec::as_slice);
            per_group += pages(members.len());
            for m in members {
                if let Some(n) = m["value"]
                    .as_str()
                    .and_then(|id| groups_of_user.get_mut(id))
                {
                    *n += 1;
                }
            }
        }
        MinimumRequests {
            user_pages: pages(users.len()),
            group_pages: pages(groups.len()),
            per_group,
            per_user: groups_of_user.values().map(|&n| pages(n)).sum(),
            mixed_lower_bound: (users.len() + groups.len()).saturating_sub(1) as u64,
        }
    }

    /// Requests the simulator has answered since it started (seeding sends none).
    pub fn requests(&self) -> RequestStats {
        self.sim.stats()
    }
}
