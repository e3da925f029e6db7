//! Deterministic directories: [`generate`] for any size (tests, benchmarks) and [`demo_directory`]
//! for the desktop demo, with the edge cases the demo must show. Same spec, same directory, always:
//! a seeded RNG and fixed dates, nothing read from the clock.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDate};
use jumpcloud::{
    Address, AppBinding, Application, CustomAttribute, Directory, GroupMembers, PhoneNumber,
    SystemUser, UserGroup, UserState,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::names::{CITIES, DEPARTMENTS, FIRST_NAMES, GROUP_STEMS, LAST_NAMES, STREETS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedSpec {
    pub users: usize,
    pub groups: usize,
    pub apps: usize,
    pub seed: u64,
}

pub const DEMO_SEED: u64 = 20_261_123;
pub const EMAIL_DOMAIN: &str = "example.com";

/// The applications the demo binds, in catalog order: (template name, label, SSO URL).
pub const DEMO_APPS: &[(&str, &str, &str)] = &[
    (
        "aws-iam-identity-center",
        "AWS IAM Identity Center",
        "https://sso.jumpcloud.com/saml2/aws-identity-center",
    ),
    (
        "unity-cloud",
        "Unity Cloud",
        "https://sso.jumpcloud.com/saml2/unity",
    ),
    (
        "strongdm",
        "StrongDM",
        "https://sso.jumpcloud.com/saml2/strongdm",
    ),
    (
        "axis-security",
        "Axis Security",
        "https://sso.jumpcloud.com/saml2/axis",
    ),
    (
        "custom-scim",
        "Generic SCIM app",
        "https://sso.jumpcloud.com/saml2/generic-scim",
    ),
];

/// Issues JumpCloud-looking 24-hex ObjectIds: a kind-specific "timestamp" that grows with the index,
/// so ids sort in creation order, then random bits.
struct Ids {
    kind: u32,
}

impl Ids {
    fn next(&self, rng: &mut StdRng, index: usize) -> String {
        format!("{:08x}{:016x}", self.kind + index as u32, rng.gen::<u64>())
    }
}

const USER_IDS: Ids = Ids { kind: 0x5f00_0000 };
const GROUP_IDS: Ids = Ids { kind: 0x6000_0000 };
const APP_IDS: Ids = Ids { kind: 0x6100_0000 };

fn day(offset_days: i64) -> String {
    let base = NaiveDate::from_ymd_opt(2021, 1, 4).expect("valid date");
    let d = base + Duration::days(offset_days);
    format!("{}T09:30:00.000Z", d.format("%Y-%m-%d"))
}

struct UserFactory<'a> {
    rng: &'a mut StdRng,
    usernames: HashSet<String>,
    next_index: usize,
}

impl UserFactory<'_> {
    fn unique_username(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while !self.usernames.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// A plausible user with random attributes; callers override what a case needs.
    fn person(&mut self, first: (&str, &str), last: Option<(&str, &str)>) -> SystemUser {
        let index = self.next_index;
        self.next_index += 1;
        let rng = &mut *self.rng;
        let id = USER_IDS.next(rng, index);
        let base = match last {
            Some((_, l)) => format!("{}.{}", first.1, l),
            None => first.1.to_string(),
        };
        let (dept, titles) = DEPARTMENTS[rng.gen_range(0..DEPARTMENTS.len())];
        let title = titles[rng.gen_range(0..titles.len())];
        let phone_roll = rng.gen_range(0..100);
        let mut phones = Vec::new();
        if phone_roll >= 40 {
            phones.push(PhoneNumber {
                kind: "mobile".into(),
                number: format!("+1 415 555 {:04}", rng.gen_range(0..10_000)),
            });
        }
        if phone_roll >= 85 {
            phones.push(PhoneNumber {
                kind: "work".into(),
                number: format!("+1 628 555 {:04}", rng.gen_range(0..10_000)),
            });
        }
        let addresses = if rng.gen_bool(0.6) {
            let (city, region, postal, country) = CITIES[rng.gen_range(0..CITIES.len())];
            vec![Address {
                kind: "work".into(),
                street_address: Some(format!(
                    "{} {}",
                    rng.gen_range(1..400),
                    STREETS[rng.gen_range(0..STREETS.len())]
                )),
                locality: Some(city.into()),
                region: Some(region.into()),
                postal_code: Some(postal.into()),
                country: Some(country.into()),
                ..Default::default()
            }]
        } else {
            Vec::new()
        };
        let mut attributes = Vec::new();
        if rng.gen_bool(0.3) {
            attributes.push(CustomAttribute {
                name: "costCenter".into(),
                value: format!("CC-{}", rng.gen_range(1000..1100)),
            });
        }
        let middlename = rng.gen_bool(0.1).then(|| {
            FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())]
                .0
                .to_string()
        });
        let displayname = rng.gen_bool(0.7).then(|| match last {
            Some((l, _)) => format!("{} {l}", first.0),
            None => first.0.to_string(),
        });
        let employee_type = if rng.gen_bool(0.1) {
            "contractor"
        } else {
            "employee"
        };
        let state_roll = rng.gen_range(0..100);
        let (state, suspended, activated) = match state_roll {
            0..=2 => (UserState::Suspended, true, true),
            3..=4 => (UserState::Staged, false, false),
            _ => (UserState::Activated, false, true),
        };
        let password_expired = activated && rng.gen_range(0..100) < 3;
        let password_expiration_date = if password_expired {
            Some(day(rng.gen_range(1200..1400)))
        } else if activated {
            Some(day(rng.gen_range(2200..2400)))
        } else {
            None
        };
        let account_locked = rng.gen_range(0..100) == 0;
        let created = Some(day(rng.gen_range(0..1400)));
        let username = self.unique_username(&base);
        SystemUser {
            id,
            email: format!("{username}@{EMAIL_DOMAIN}"),
            username,
            firstname: Some(first.0.into()),
            middlename,
            lastname: last.map(|(l, _)| l.to_string()),
            displayname,
            phone_numbers: phones,
            addresses,
            employee_identifier: Some(format!("E{:05}", index + 1)),
            employee_type: Some(employee_type.into()),
            department: Some(dept.into()),
            company: Some("Example Corp".into()),
            job_title: Some(title.into()),
            cost_center: None,
            location: None,
            manager: None,
            attributes,
            state,
            suspended,
            activated,
            account_locked,
            password_expired,
            password_expiration_date,
            created,
        }
    }

    fn random_person(&mut self) -> SystemUser {
        let first = FIRST_NAMES[self.rng.gen_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[self.rng.gen_range(0..LAST_NAMES.len())];
        self.person(first, Some(last))
    }
}

/// Managers come from the first users, so reporting lines point backwards and never dangle.
fn assign_managers(rng: &mut StdRng, users: &mut [SystemUser]) {
    let managers: Vec<String> = users.iter().take(20).map(|u| u.id.clone()).collect();
    for (i, u) in users.iter_mut().enumerate() {
        if i >= 5 && rng.gen_bool(0.7) {
            u.manager = Some(managers[rng.gen_range(0..managers.len().min(i))].clone());
        }
    }
}

fn make_group(rng: &mut StdRng, index: usize, name: String) -> UserGroup {
    UserGroup {
        id: GROUP_IDS.next(rng, index),
        description: Some(format!("{name} (managed in JumpCloud)")),
        name,
        email: None,
        kind: "user_group".into(),
    }
}

fn make_app(rng: &mut StdRng, index: usize) -> Application {
    let (name, label, sso) = DEMO_APPS.get(index).copied().unwrap_or((
        "custom-scim",
        "",
        "https://sso.jumpcloud.com/saml2/custom",
    ));
    let label = if label.is_empty() {
        format!("Custom SCIM app {}", index + 1)
    } else {
        label.to_string()
    };
    Application {
        id: APP_IDS.next(rng, index),
        name: name.into(),
        display_name: Some(label.clone()),
        display_label: Some(label),
        sso_url: Some(sso.into()),
        description: None,
        active: true,
    }
}

/// A directory of `spec.users` users, `spec.groups` groups (nested as a DAG, so no cycles) and
/// `spec.apps` applications bound to groups, some also to individual users.
pub fn generate(spec: &SeedSpec) -> Directory {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let mut factory = UserFactory {
        rng: &mut rng,
        usernames: HashSet::new(),
        next_index: 0,
    };
    let mut users: Vec<SystemUser> = (0..spec.users).map(|_| factory.random_person()).collect();
    assign_managers(&mut rng, &mut users);

    let groups: Vec<UserGroup> = (0..spec.groups)
        .map(|i| {
            let stem = GROUP_STEMS[i % GROUP_STEMS.len()];
            let name = match i / GROUP_STEMS.len() {
                0 => stem.to_string(),
                n => format!("{stem} {}", n + 1),
            };
            make_group(&mut rng, i, name)
        })
        .collect();
    let mut members: BTreeMap<String, GroupMembers> = BTreeMap::new();
    if !groups.is_empty() {
        for u in &users {
            let k = rng.gen_range(1..=3.min(groups.len()));
            for g in groups.choose_multiple(&mut rng, k) {
                members
                    .entry(g.id.clone())
                    .or_default()
                    .users
                    .push(u.id.clone());
            }
        }
        // Nesting only from lower to higher index: a DAG, like JumpCloud which refuses cycles.
        for i in 0..groups.len().saturating_sub(1) {
            if rng.gen_bool(0.2) {
                let k = rng.gen_range(1..=2);
                for j in (0..k).map(|_| rng.gen_range(i + 1..groups.len())) {
                    members
                        .entry(groups[i].id.clone())
                        .or_default()
                        .groups
                        .push(groups[j].id.clone());
                }
            }
        }
    }

    let applications: Vec<Application> = (0..spec.apps).map(|i| make_app(&mut rng, i)).collect();
    let mut bindings = BTreeMap::new();
    for (i, a) in applications.iter().enumerate() {
        let mut b = AppBinding::default();
        if !groups.is_empty() {
            let k = rng.gen_range(1..=3.min(groups.len()));
            b.user_groups = groups
                .choose_multiple(&mut rng, k)
                .map(|g| g.id.clone())
                .collect();
        }
        if i % 3 == 1 && !users.is_empty() {
            let k = rng.gen_range(1..=2.min(users.len()));
            b.users = users
                .choose_multiple(&mut rng, k)
                .map(|u| u.id.clone())
                .collect();
        }
        bindings.insert(a.id.clone(), b);
    }

    directory(users, groups, members, applications, bindings)
}

/// The parts as one directory, sorted and with nested members expanded as the API serves them.
fn directory(
    users: Vec<SystemUser>,
    groups: Vec<UserGroup>,
    members: BTreeMap<String, GroupMembers>,
    applications: Vec<Application>,
    bindings: BTreeMap<String, AppBinding>,
) -> Directory {
    let mut dir = Directory {
        users,
        groups,
        members,
        applications,
        bindings,
        ..Default::default()
    };
    dir.normalize();
    dir
}

mod demo;
pub use demo::{demo_directory, demo_directory_with_users};
