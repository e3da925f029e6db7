//! The seeded generator: deterministic, internally consistent, and the demo shows its edge cases.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use jumpcloud::{Directory, UserState};
use sim::jumpcloud::{demo_directory, generate, SeedSpec};

fn spec(seed: u64) -> SeedSpec {
    SeedSpec {
        users: 600,
        groups: 40,
        apps: 6,
        seed,
    }
}

#[test]
fn same_seed_same_directory_other_seed_other_directory() {
    let a = generate(&spec(7));
    assert_eq!(a, generate(&spec(7)));
    assert_ne!(a.users, generate(&spec(8)).users);
    assert_eq!(demo_directory(), demo_directory());
}

#[test]
fn generated_directory_is_consistent_and_nested() {
    let d = generate(&spec(42));
    assert_eq!(
        (d.users.len(), d.groups.len(), d.applications.len()),
        (600, 40, 6)
    );
    d.validate().unwrap();
    let usernames: BTreeSet<&str> = d.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(usernames.len(), d.users.len(), "usernames are unique");
    let nested: Vec<_> = d
        .members
        .iter()
        .filter(|(_, m)| !m.groups.is_empty())
        .collect();
    assert!(!nested.is_empty(), "some groups contain groups");
    // A parent's effective members include its subgroups' effective members.
    for (parent, m) in nested {
        let eff: BTreeSet<_> = d.effective_members[parent].iter().collect();
        for sub in &m.groups {
            assert!(d.effective_members[sub].iter().all(|u| eff.contains(u)));
        }
        assert!(eff.len() >= m.users.len());
    }
    assert!(
        d.bindings.values().any(|b| !b.users.is_empty()),
        "an app has direct users"
    );
    let round = Directory::from_json(&d.to_json()).unwrap();
    assert_eq!(round, d);
}

#[test]
fn demo_directory_has_the_edge_cases_the_demo_shows() {
    let d = demo_directory();
    d.validate().unwrap();
    assert!(
        (195..=205).contains(&d.users.len()),
        "about 200 users: {}",
        d.users.len()
    );
    assert_eq!(d.groups.len(), 15);

    let count =
        |f: &dyn Fn(&jumpcloud::SystemUser) -> bool| d.users.iter().filter(|u| f(u)).count();
    assert!(
        count(&|u| u.lastname.is_none()) >= 3,
        "users without a last name"
    );
    assert!(count(&|u| u.suspended && u.state == UserState::Suspended) >= 3);
    assert!(count(&|u| u.password_expired) >= 2);
    assert!(count(&|u| u.state == UserState::Staged) >= 1);
    assert!(count(&|u| u.phone_numbers.len() >= 2) >= 2);
    assert!(
        count(&|u| u
            .displayname
            .as_ref()
            .is_some_and(|n| n.chars().count() > 150))
            >= 1
    );
    for name in ["Zoë", "Đorđe", "José", "Søren", "太郎", "Анна"] {
        assert!(
            d.users.iter().any(|u| u.firstname.as_deref() == Some(name)),
            "missing {name}"
        );
    }
    let lower: Vec<String> = d.users.iter().map(|u| u.email.to_lowercase()).collect();
    let distinct_lower: BTreeSet<&String> = lower.iter().collect();
    let distinct_exact: BTreeSet<&str> = d.users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(distinct_exact.len(), d.users.len(), "emails differ exactly");
    assert!(
        distinct_lower.len() < d.users.len(),
        "some differ only by case"
    );

    let labels: Vec<&str> = d.applications.iter().map(|a| a.label()).collect();
    for app in [
        "AWS IAM Identity Center",
        "Unity Cloud",
        "StrongDM",
        "Axis Security",
        "Generic SCIM app",
    ] {
        assert!(labels.contains(&app), "missing app {app}");
    }
    let unity = d
        .applications
        .iter()
        .find(|a| a.label() == "Unity Cloud")
        .unwrap();
    let zoe = d
        .users
        .iter()
        .find(|u| u.firstname.as_deref() == Some("Zoë"))
        .unwrap();
    assert_eq!(d.bindings[&unity.id].users, vec![zoe.id.clone()]);
    assert!(d.app_scope(&unity.id).unwrap().users.contains(&zoe.id));
    for a in &d.applications {
        let scope = d.app_scope(&a.id).unwrap();
        assert!(
            !scope.groups.is_empty() && !scope.users.is_empty(),
            "{} has a scope",
            a.label()
        );
    }
    // Nesting: SRE sits inside Platform inside Engineering.
    let gid = |n: &str| d.groups.iter().find(|g| g.name == n).unwrap().id.clone();
    let sre_users = &d.effective_members[&gid("SRE")];
    assert!(!sre_users.is_empty());
    assert!(sre_users
        .iter()
        .all(|u| d.effective_members[&gid("Engineering")].contains(u)));
}
