//! A generated directory made concrete: the JumpCloud side, a faithful target copy, the diff.

use super::*;

/// The target side as JSON, so that mutations can edit it; packed for each diff.
pub(crate) struct Target {
    pub(crate) users: Vec<Value>,
    pub(crate) groups: Vec<Value>,
    pub(crate) memberships: Vec<(String, String)>,
}

impl Target {
    fn packed(&self) -> Actual {
        Actual {
            users: self.users.iter().map(Record::from).collect(),
            groups: self.groups.iter().map(Record::from).collect(),
            memberships: self.memberships.clone(),
        }
    }
}

/// A generated directory made concrete: JumpCloud side, faithful target copy.
pub(crate) struct World {
    pub(crate) expected: Expected,
    pub(crate) actual: Target,
    pub(crate) known: KnownSources,
    /// Per group: member user indices.
    pub(crate) members: Vec<Vec<usize>>,
    pub(crate) aws: bool,
}

pub(crate) fn user_source(i: usize) -> String {
    jc(0xa000 + i as u32)
}

pub(crate) fn group_source(g: usize) -> String {
    jc(0xb000 + g as u32)
}

pub(crate) fn user_target(i: usize) -> String {
    format!("t{i:03}")
}

pub(crate) fn build(dir: &Dir) -> World {
    let users: Vec<ExpectedUser> = dir
        .users
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let user_name = format!("{}.{}{i}@example.com", g.given, g.family).to_lowercase();
            let mut emails = vec![json!({"value": user_name, "type": "work", "primary": true})];
            if g.home_email {
                emails.push(
                    json!({"value": format!("{}{i}@home.example", g.family), "type": "home"}),
                );
            }
            let mut resource = json!({
                "userName": user_name,
                "name": {"givenName": g.given, "familyName": g.family},
                "displayName": format!("{} {}", g.given, g.family),
                "emails": emails,
                "active": g.active,
            });
            if let Some(t) = &g.title {
                resource["title"] = json!(t);
            }
            if let Some(d) = &g.dept {
                resource[ENT] = json!({"department": d});
            }
            ExpectedUser {
                source_id: user_source(i),
                label: user_name,
                resource: resource.into(),
            }
        })
        .collect();
    let mut actual_users: Vec<Value> = users
        .iter()
        .enumerate()
        .map(|(i, u)| pushed_json(&u.resource, &user_target(i), &u.source_id))
        .collect();
    // Targets list in their own order.
    actual_users.reverse();

    let n = users.len();
    let members: Vec<Vec<usize>> = dir
        .groups
        .iter()
        .map(|picks| {
            let mut m: Vec<usize> = picks.iter().map(|p| p.index(n)).collect();
            m.sort_unstable();
            m.dedup();
            m
        })
        .collect();
    let mut groups = Vec::new();
    let mut actual_groups = Vec::new();
    let mut memberships = Vec::new();
    for (g, m) in members.iter().enumerate() {
        let name = format!("Group {g}");
        groups.push(drift::ExpectedGroup {
            source_id: group_source(g),
            label: name.clone(),
            resource: json!({"displayName": name}).into(),
            member_source_ids: m.iter().map(|i| user_source(*i)).collect(),
            not_created_because: Vec::new(),
        });
        let ids: Vec<String> = m.iter().map(|i| user_target(*i)).collect();
        let gid = format!("g{g}");
        if dir.aws {
            actual_groups.push(target_group_json(&gid, Some(&group_source(g)), &name, &[]));
            memberships.extend(ids.into_iter().map(|u| (gid.clone(), u)));
        } else {
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            actual_groups.push(target_group_json(
                &gid,
                Some(&group_source(g)),
                &name,
                &refs,
            ));
        }
    }
    let expected = Expected {
        users,
        groups,
        ineligible: vec![],
    };
    let known = known_from(&expected);
    World {
        expected,
        actual: Target {
            users: actual_users,
            groups: actual_groups,
            memberships,
        },
        known,
        members,
        aws: dir.aws,
    }
}

pub(crate) fn spec() -> CompareSpec {
    let mut spec = CompareSpec::jumpcloud_default();
    // Whole multi-valued emails too, so order and case inside the set are exercised.
    spec.user_attributes.push("emails".parse().unwrap());
    spec
}

pub(crate) fn run_world(w: &World) -> Drift {
    diff(&w.expected, &w.actual.packed(), &spec(), &w.known)
}

/// The target copy of user `i`; `None` once an earlier mutation removed it.
pub(crate) fn target_user(w: &mut World, i: usize) -> Option<&mut Value> {
    let id = user_target(i);
    w.actual.users.iter_mut().find(|u| u["id"] == id.as_str())
}
