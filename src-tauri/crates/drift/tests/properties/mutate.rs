//! One mutation applied to the target copy, and the drift rows it must cause.

use super::*;

pub(crate) type Row = (K, S, String, DriftCode);

/// Applies one mutation to the target side; returns the drift rows it must
/// cause and, for changed rows, the attributes that must be listed.
pub(crate) fn apply(w: &mut World, m: &Mutation, dir: &Dir) -> (Vec<Row>, Option<Vec<String>>) {
    let n = dir.users.len();
    match m {
        Mutation::RemoveUser(i) => {
            let i = i.index(n);
            let id = user_target(i);
            w.actual.users.retain(|u| u["id"] != id.as_str());
            // Deleting a user in the target also drops its memberships.
            w.actual.memberships.retain(|(_, u)| *u != id);
            for g in &mut w.actual.groups {
                if let Some(ms) = g["members"].as_array_mut() {
                    ms.retain(|x| x["value"] != id.as_str());
                }
            }
            // JumpCloud does not create inactive users, nor add them to groups: left as is.
            let (state, code, member_code) = if dir.users[i].active {
                (
                    S::Missing,
                    DriftCode::Missing,
                    DriftCode::MemberToAddAfterUserCreate,
                )
            } else {
                (
                    S::LeftAsIs,
                    DriftCode::MissingInactive,
                    DriftCode::MemberNotProvisioned,
                )
            };
            let mut rows = vec![(K::User, state, user_source(i), code)];
            for (g, members) in w.members.iter().enumerate() {
                if members.contains(&i) {
                    let key = format!("{}/{}", group_source(g), user_source(i));
                    rows.push((K::Membership, state, key, member_code));
                }
            }
            (rows, None)
        }
        Mutation::AddUser => {
            let added = w
                .actual
                .users
                .iter()
                .filter(|u| u["id"].as_str().unwrap().starts_with("zz-"))
                .count();
            let id = format!("zz-{added}");
            let user_name = format!("stranger{added}@elsewhere.test");
            w.actual
                .users
                .push(json!({"id": id, "userName": user_name, "active": true}));
            (
                vec![(K::User, S::Unmanaged, id, DriftCode::NoExternalId)],
                None,
            )
        }
        Mutation::ChangeAttr(i, attr) => {
            let i = i.index(n);
            let Some(u) = target_user(w, i) else {
                return (vec![], None);
            };
            let value = json!("Changed-Value");
            let path = match attr {
                Attr::Title => {
                    u["title"] = value;
                    "title".to_string()
                }
                Attr::GivenName => {
                    u["name"]["givenName"] = value;
                    "name.givenName".to_string()
                }
                Attr::FamilyName => {
                    u["name"]["familyName"] = value;
                    "name.familyName".to_string()
                }
                Attr::DisplayName => {
                    u["displayName"] = value;
                    "displayName".to_string()
                }
                Attr::Department => {
                    u[ENT] = json!({"department": "Changed-Value"});
                    format!("{ENT}:department")
                }
            };
            (
                vec![(K::User, S::Changed, user_source(i), DriftCode::Changed)],
                Some(vec![path]),
            )
        }
        Mutation::EmailCase(i) => {
            let Some(u) = target_user(w, i.index(n)) else {
                return (vec![], None);
            };
            u["userName"] = json!(u["userName"].as_str().unwrap().to_uppercase());
            for e in u["emails"].as_array_mut().unwrap() {
                e["value"] = json!(e["value"].as_str().unwrap().to_uppercase());
            }
            (vec![], None)
        }
        Mutation::ReorderMultiValues(i) => {
            if let Some(u) = target_user(w, i.index(n)) {
                u["emails"].as_array_mut().unwrap().reverse();
            }
            for g in &mut w.actual.groups {
                g["members"].as_array_mut().unwrap().reverse();
            }
            w.actual.memberships.reverse();
            (vec![], None)
        }
        Mutation::Decompose(i) => {
            let Some(u) = target_user(w, i.index(n)) else {
                return (vec![], None);
            };
            let given: String = u["name"]["givenName"].as_str().unwrap().nfd().collect();
            u["name"]["givenName"] = json!(given);
            if let Some(t) = u["title"].as_str() {
                u["title"] = json!(format!("  {t}\t"));
            }
            (vec![], None)
        }
        Mutation::RemoveMembership(g, k) => {
            if w.members.is_empty() {
                return (vec![], None);
            }
            let g = g.index(w.members.len());
            if w.members[g].is_empty() {
                return (vec![], None);
            }
            let user = w.members[g][k.index(w.members[g].len())];
            let (gid, uid) = (format!("g{g}"), user_target(user));
            if w.aws {
                w.actual
                    .memberships
                    .retain(|(a, b)| !(*a == gid && *b == uid));
            } else if let Some(group) = target_group_mut(w, g) {
                group["members"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|x| x["value"] != uid.as_str());
            }
            let key = format!("{}/{}", group_source(g), user_source(user));
            (
                vec![(K::Membership, S::Missing, key, DriftCode::MemberToAdd)],
                None,
            )
        }
        Mutation::FlipActive(i) => {
            let i = i.index(n);
            let was = dir.users[i].active;
            let Some(u) = target_user(w, i) else {
                return (vec![], None);
            };
            u["active"] = json!(!was);
            if was {
                // Disabled by hand in the target: its own state, never re-enabled by default.
                let row = (
                    K::User,
                    S::Disabled,
                    user_source(i),
                    DriftCode::DisabledInTarget,
                );
                (vec![row], Some(vec!["active".into()]))
            } else {
                let row = (
                    K::User,
                    S::Deactivate,
                    user_source(i),
                    DriftCode::SuspendedInSource,
                );
                (vec![row], Some(vec!["active".into()]))
            }
        }
        Mutation::ActiveAsString(i) => {
            let i = i.index(n);
            let s = if dir.users[i].active { "true" } else { "False" };
            if let Some(u) = target_user(w, i) {
                u["active"] = json!(s);
            }
            (vec![], None)
        }
        Mutation::RemoveGroup(g) => {
            if w.members.is_empty() {
                return (vec![], None);
            }
            let g = g.index(w.members.len());
            let gid = format!("g{g}");
            w.actual.groups.retain(|x| x["id"] != gid.as_str());
            // Deleting a group in the target also drops its memberships.
            w.actual.memberships.retain(|(a, _)| *a != gid);
            // Memberships are compared only for groups on both sides: no member rows.
            let row = (K::Group, S::Missing, group_source(g), DriftCode::Missing);
            (vec![row], None)
        }
        Mutation::RenameGroup(g) => {
            if w.members.is_empty() {
                return (vec![], None);
            }
            let g = g.index(w.members.len());
            let Some(group) = target_group_mut(w, g) else {
                return (vec![], None);
            };
            group["displayName"] = json!(format!("Renamed {g}"));
            let row = (K::Group, S::Changed, group_source(g), DriftCode::Changed);
            (vec![row], Some(vec!["displayName".into()]))
        }
        Mutation::ExtraMember(g, u) => {
            if w.members.is_empty() {
                return (vec![], None);
            }
            let (g, user) = (g.index(w.members.len()), u.index(n));
            let (gid, uid) = (format!("g{g}"), user_target(user));
            let present = w.actual.users.iter().any(|x| x["id"] == uid.as_str());
            if w.members[g].contains(&user) || !present {
                return (vec![], None);
            }
            if w.aws {
                if !w.actual.groups.iter().any(|x| x["id"] == gid.as_str()) {
                    return (vec![], None);
                }
                w.actual.memberships.push((gid, uid));
            } else {
                let Some(group) = target_group_mut(w, g) else {
                    return (vec![], None);
                };
                group["members"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"value": uid}));
            }
            let key = format!("{}/{}", group_source(g), user_source(user));
            (
                vec![(K::Membership, S::Extra, key, DriftCode::MemberToRemove)],
                None,
            )
        }
        Mutation::AddGroup => {
            let added = w
                .actual
                .groups
                .iter()
                .filter(|x| x["id"].as_str().unwrap().starts_with("zg-"))
                .count();
            let id = format!("zg-{added}");
            let name = format!("Local group {added}");
            w.actual
                .groups
                .push(target_group_json(&id, None, &name, &[]));
            (
                vec![(K::Group, S::Unmanaged, id, DriftCode::NoExternalId)],
                None,
            )
        }
    }
}

/// The target copy of group `g`; `None` once an earlier mutation removed it.
pub(crate) fn target_group_mut(w: &mut World, g: usize) -> Option<&mut Value> {
    let id = format!("g{g}");
    w.actual.groups.iter_mut().find(|x| x["id"] == id.as_str())
}
