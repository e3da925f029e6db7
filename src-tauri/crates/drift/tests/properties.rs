//! Property tests over generated directories: a directory compared with its
//! own faithful copy is all in sync, and every single mutation of the target
//! side (users, groups and memberships) shows up as exactly the expected drift
//! and nothing else.

mod common;

use std::collections::BTreeMap;

use common::*;
use drift::{
    diff, Actual, CompareSpec, Drift, DriftCode, DriftRowKind as K, DriftRowState as S, Expected,
    ExpectedUser, KnownSources, Record,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone)]
struct GenUser {
    given: String,
    family: String,
    title: Option<String>,
    dept: Option<String>,
    active: bool,
    home_email: bool,
}

#[derive(Debug, Clone)]
struct Dir {
    users: Vec<GenUser>,
    groups: Vec<Vec<Index>>,
    /// AWS style: groups come back with empty `members`; memberships are read apart.
    aws: bool,
}

#[derive(Debug, Clone, Copy)]
enum Attr {
    Title,
    GivenName,
    FamilyName,
    DisplayName,
    Department,
}

#[derive(Debug, Clone)]
enum Mutation {
    RemoveUser(Index),
    AddUser,
    ChangeAttr(Index, Attr),
    EmailCase(Index),
    ReorderMultiValues(Index),
    Decompose(Index),
    RemoveMembership(Index, Index),
    FlipActive(Index),
    ActiveAsString(Index),
    RemoveGroup(Index),
    RenameGroup(Index),
    /// A target member JumpCloud does not have in the group: (group, user).
    ExtraMember(Index, Index),
    /// A group someone made in the target by hand.
    AddGroup,
}

fn gen_user() -> impl Strategy<Value = GenUser> {
    (
        "[A-Za-zéüÅ]{1,6}",
        "[A-Za-z]{1,6}",
        proptest::option::of("[A-Za-z][A-Za-z ]{0,7}"),
        proptest::option::of("[A-Z]{2,4}"),
        proptest::bool::weighted(0.85),
        any::<bool>(),
    )
        .prop_map(|(given, family, title, dept, active, home_email)| GenUser {
            given,
            family,
            title,
            dept,
            active,
            home_email,
        })
}

fn gen_dir() -> impl Strategy<Value = Dir> {
    (
        proptest::collection::vec(gen_user(), 1..25),
        proptest::collection::vec(proptest::collection::vec(any::<Index>(), 0..8), 0..5),
        any::<bool>(),
    )
        .prop_map(|(users, groups, aws)| Dir { users, groups, aws })
}

fn gen_attr() -> impl Strategy<Value = Attr> {
    prop_oneof![
        Just(Attr::Title),
        Just(Attr::GivenName),
        Just(Attr::FamilyName),
        Just(Attr::DisplayName),
        Just(Attr::Department),
    ]
}

fn gen_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::RemoveUser),
        Just(Mutation::AddUser),
        (any::<Index>(), gen_attr()).prop_map(|(i, a)| Mutation::ChangeAttr(i, a)),
        any::<Index>().prop_map(Mutation::EmailCase),
        any::<Index>().prop_map(Mutation::ReorderMultiValues),
        any::<Index>().prop_map(Mutation::Decompose),
        (any::<Index>(), any::<Index>()).prop_map(|(g, m)| Mutation::RemoveMembership(g, m)),
        any::<Index>().prop_map(Mutation::FlipActive),
        any::<Index>().prop_map(Mutation::ActiveAsString),
        any::<Index>().prop_map(Mutation::RemoveGroup),
        any::<Index>().prop_map(Mutation::RenameGroup),
        (any::<Index>(), any::<Index>()).prop_map(|(g, u)| Mutation::ExtraMember(g, u)),
        Just(Mutation::AddGroup),
    ]
}

/// The target side as JSON, so that mutations can edit it; packed for each diff.
struct Target {
    users: Vec<Value>,
    groups: Vec<Value>,
    memberships: Vec<(String, String)>,
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
struct World {
    expected: Expected,
    actual: Target,
    known: KnownSources,
    /// Per group: member user indices.
    members: Vec<Vec<usize>>,
    aws: bool,
}

fn user_source(i: usize) -> String {
    jc(0xa000 + i as u32)
}
fn group_source(g: usize) -> String {
    jc(0xb000 + g as u32)
}
fn user_target(i: usize) -> String {
    format!("t{i:03}")
}

fn build(dir: &Dir) -> World {
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

fn spec() -> CompareSpec {
    let mut spec = CompareSpec::jumpcloud_default();
    // Whole multi-valued emails too, so order and case inside the set are exercised.
    spec.user_attributes.push("emails".parse().unwrap());
    spec
}

fn run_world(w: &World) -> Drift {
    diff(&w.expected, &w.actual.packed(), &spec(), &w.known)
}

/// The target copy of user `i`; `None` once an earlier mutation removed it.
fn target_user(w: &mut World, i: usize) -> Option<&mut Value> {
    let id = user_target(i);
    w.actual.users.iter_mut().find(|u| u["id"] == id.as_str())
}

type Row = (K, S, String, DriftCode);

/// Applies one mutation to the target side; returns the drift rows it must
/// cause and, for changed rows, the attributes that must be listed.
fn apply(w: &mut World, m: &Mutation, dir: &Dir) -> (Vec<Row>, Option<Vec<String>>) {
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
fn target_group_mut(w: &mut World, g: usize) -> Option<&mut Value> {
    let id = format!("g{g}");
    w.actual.groups.iter_mut().find(|x| x["id"] == id.as_str())
}

/// Every expected resource appears exactly once (by JumpCloud id) and every
/// target resource appears at most once (by target id) across all categories.
fn assert_each_resource_once(w: &World, d: &Drift) {
    let rows = d.rows();
    for kind in [K::User, K::Group] {
        let mut sources: BTreeMap<&str, usize> = BTreeMap::new();
        let mut targets: BTreeMap<&str, usize> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.kind == kind) {
            // Rows about an expected resource are keyed by its JumpCloud id; rows about a
            // resource found only in the target, by its target id.
            if r.source_id.as_deref() == Some(r.key.as_str()) {
                *sources.entry(r.source_id.as_deref().unwrap()).or_default() += 1;
            }
            if let Some(t) = r.target_id.as_deref() {
                *targets.entry(t).or_default() += 1;
            }
        }
        let (expected_n, actual_ids): (usize, Vec<&str>) = match kind {
            K::User => (
                w.expected.users.len(),
                w.actual
                    .users
                    .iter()
                    .map(|u| u["id"].as_str().unwrap())
                    .collect(),
            ),
            _ => (
                w.expected.groups.len(),
                w.actual
                    .groups
                    .iter()
                    .map(|g| g["id"].as_str().unwrap())
                    .collect(),
            ),
        };
        assert_eq!(sources.len(), expected_n, "{kind:?} sources {sources:?}");
        assert!(
            sources.values().all(|c| *c == 1),
            "{kind:?} source listed twice: {sources:?}"
        );
        assert!(
            targets.values().all(|c| *c == 1),
            "{kind:?} target listed twice: {targets:?}"
        );
        let mut listed: Vec<&str> = targets.keys().copied().collect();
        let mut all = actual_ids;
        listed.sort_unstable();
        all.sort_unstable();
        assert_eq!(listed, all, "{kind:?}: every target resource is listed");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_directory_against_its_own_copy_is_all_in_sync(dir in gen_dir()) {
        let w = build(&dir);
        let d = run_world(&w);
        prop_assert_eq!(drifted(&d), vec![]);
        prop_assert_eq!(d.users.in_sync.len(), dir.users.len());
        prop_assert_eq!(d.groups.in_sync.len(), dir.groups.len());
        prop_assert!(d.memberships.is_empty());
        prop_assert_eq!(d.summary.users.drifted() + d.summary.groups.drifted(), 0);
    }

    #[test]
    fn each_mutation_shows_up_as_exactly_its_drift(dir in gen_dir(), m in gen_mutation()) {
        let mut w = build(&dir);
        let (mut want, attrs) = apply(&mut w, &m, &dir);
        let d = run_world(&w);
        want.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        prop_assert_eq!(drifted(&d), want, "mutation {:?}", m);
        if let Some(attrs) = attrs {
            let row = d.rows().into_iter().find(|r| r.state != S::InSync).unwrap();
            prop_assert_eq!(row.changed_attributes, attrs);
        }
        assert_each_resource_once(&w, &d);
    }

    #[test]
    fn any_mutation_mix_keeps_every_resource_in_one_category(
        dir in gen_dir(),
        ms in proptest::collection::vec(gen_mutation(), 0..6),
    ) {
        let mut w = build(&dir);
        for m in &ms {
            apply(&mut w, m, &dir);
        }
        let d = run_world(&w);
        assert_each_resource_once(&w, &d);
        // Row keys are unique per kind, so a keyed table can render them.
        let mut keys: Vec<_> = d.rows().into_iter().map(|r| (r.kind, r.key)).collect();
        let all = keys.len();
        keys.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        keys.dedup();
        prop_assert_eq!(keys.len(), all);
        // The flat table has one row per resource plus one per membership change.
        let membership_changes: usize = d.memberships.iter().map(|m| m.add.len() + m.remove.len()).sum();
        prop_assert_eq!(
            d.rows().iter().filter(|r| r.kind == K::Membership).count(),
            membership_changes
        );
    }

    #[test]
    fn input_order_does_not_change_the_drift(
        dir in gen_dir(),
        ms in proptest::collection::vec(gen_mutation(), 0..4),
        rotate in any::<Index>(),
    ) {
        let mut w = build(&dir);
        for m in &ms {
            apply(&mut w, m, &dir);
        }
        let d1 = run_world(&w);
        let len = w.actual.users.len();
        if len > 0 {
            w.actual.users.rotate_left(rotate.index(len));
        }
        w.actual.groups.reverse();
        w.expected.users.reverse();
        w.expected.groups.reverse();
        let d2 = run_world(&w);
        prop_assert_eq!(d1, d2);
    }
}
