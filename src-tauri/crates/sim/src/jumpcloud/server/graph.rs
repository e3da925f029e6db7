//! v2 graph answers built from a [`Directory`]: members as `GraphConnection`s, and effective
//! membership and application reach as `GraphObjectWithPaths` with one path per way of getting there.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use jumpcloud::wire::{
    GraphConnection, GraphObject, GraphObjectWithPaths, GRAPH_USER, GRAPH_USER_GROUP,
};
use jumpcloud::Directory;

fn edge(from: &GraphObject, to: GraphObject) -> GraphConnection {
    GraphConnection {
        from: Some(from.clone()),
        to,
    }
}

pub fn members(dir: &Directory, group_id: &str) -> Vec<GraphConnection> {
    let from = GraphObject::user_group(group_id);
    let Some(m) = dir.members.get(group_id) else {
        return Vec::new();
    };
    m.users
        .iter()
        .map(|u| edge(&from, GraphObject::user(u)))
        .chain(
            m.groups
                .iter()
                .map(|g| edge(&from, GraphObject::user_group(g))),
        )
        .collect()
}

/// Breadth-first walk from `start` groups (each reached by `prefix` edges), returning for each group
/// reached the shortest chain of edges leading to it.
fn walk_groups(
    dir: &Directory,
    start: Vec<(String, Vec<GraphConnection>)>,
) -> Vec<(String, Vec<GraphConnection>)> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<(String, Vec<GraphConnection>)> = VecDeque::new();
    for (g, path) in start {
        if seen.insert(g.clone()) {
            queue.push_back((g, path));
        }
    }
    let mut out = Vec::new();
    while let Some((g, path)) = queue.pop_front() {
        if let Some(m) = dir.members.get(&g) {
            let from = GraphObject::user_group(&g);
            for sub in &m.groups {
                if seen.insert(sub.clone()) {
                    let mut p = path.clone();
                    p.push(edge(&from, GraphObject::user_group(sub)));
                    queue.push_back((sub.clone(), p));
                }
            }
        }
        out.push((g, path));
    }
    out
}

fn users_through(
    dir: &Directory,
    groups: &[(String, Vec<GraphConnection>)],
    acc: &mut BTreeMap<String, Vec<Vec<GraphConnection>>>,
) {
    for (g, path) in groups {
        let Some(m) = dir.members.get(g) else {
            continue;
        };
        let from = GraphObject::user_group(g);
        for u in &m.users {
            let entry = acc.entry(u.clone()).or_default();
            // One path through groups is enough; a direct path (length 1) may sit beside it.
            if entry.iter().all(|p| p.len() == 1) {
                let mut p = path.clone();
                p.push(edge(&from, GraphObject::user(u)));
                entry.push(p);
            }
        }
    }
}

fn with_paths(
    kind: &str,
    acc: BTreeMap<String, Vec<Vec<GraphConnection>>>,
) -> Vec<GraphObjectWithPaths> {
    acc.into_iter()
        .map(|(id, paths)| GraphObjectWithPaths {
            id,
            kind: kind.to_string(),
            paths,
        })
        .collect()
}

/// `/usergroups/{id}/membership`: every user in the group, nested groups expanded.
pub fn membership(dir: &Directory, group_id: &str) -> Vec<GraphObjectWithPaths> {
    let groups = walk_groups(dir, vec![(group_id.to_string(), Vec::new())]);
    let mut acc = BTreeMap::new();
    users_through(dir, &groups, &mut acc);
    with_paths(GRAPH_USER, acc)
}

fn bound_groups(dir: &Directory, app_id: &str) -> Vec<(String, Vec<GraphConnection>)> {
    let app = GraphObject::application(app_id);
    let start = dir
        .bindings
        .get(app_id)
        .map(|b| {
            b.user_groups
                .iter()
                .map(|g| (g.clone(), vec![edge(&app, GraphObject::user_group(g))]))
                .collect()
        })
        .unwrap_or_default();
    walk_groups(dir, start)
}

/// `/applications/{id}/usergroups`: bound groups (one-edge path) and groups nested in them.
pub fn app_user_groups(dir: &Directory, app_id: &str) -> Vec<GraphObjectWithPaths> {
    let acc = bound_groups(dir, app_id)
        .into_iter()
        .map(|(g, p)| (g, vec![p]))
        .collect();
    with_paths(GRAPH_USER_GROUP, acc)
}

/// `/applications/{id}/users`: users bound directly and users reached through bound groups.
pub fn app_users(dir: &Directory, app_id: &str) -> Vec<GraphObjectWithPaths> {
    let app = GraphObject::application(app_id);
    let mut acc: BTreeMap<String, Vec<Vec<GraphConnection>>> = BTreeMap::new();
    if let Some(b) = dir.bindings.get(app_id) {
        for u in &b.users {
            acc.entry(u.clone())
                .or_default()
                .push(vec![edge(&app, GraphObject::user(u))]);
        }
    }
    users_through(dir, &bound_groups(dir, app_id), &mut acc);
    with_paths(GRAPH_USER, acc)
}
