//! The desktop demo's directory: about 200 users and 15 groups with the edge cases the demo
//! must show, built with the generator's factory from a fixed seed.

use super::*;

/// Named demo groups, in order; indexes below refer to this list.
const DEMO_GROUPS: &[&str] = &[
    "All Staff",      // 0
    "Engineering",    // 1
    "Platform",       // 2
    "SRE",            // 3
    "Sales",          // 4
    "Sales EMEA",     // 5
    "Marketing",      // 6
    "Finance",        // 7
    "People",         // 8
    "Support",        // 9
    "IT Admins",      // 10
    "AWS Admins",     // 11
    "AWS Developers", // 12
    "Unity Creators", // 13
    "Contractors",    // 14
];

const DEMO_RANDOM_USERS: usize = 185;

/// About 200 users and 15 groups with the cases the demo must show: missing last names, suspended,
/// staged and password-expired users, two phone numbers, non-ASCII names, a very long display name,
/// e-mails differing only by case, nested groups, and five applications (one with a directly bound user).
pub fn demo_directory() -> Directory {
    demo_directory_with_users(DEMO_RANDOM_USERS)
}

/// The demo directory with `random_users` generated users instead of the usual 185 (the edge
/// cases, groups, nesting and applications stay the same; memberships grow with the users).
/// For measuring the app on a large tenant; `demo_directory_with_users(185)` is [`demo_directory`].
pub fn demo_directory_with_users(random_users: usize) -> Directory {
    let mut rng = StdRng::seed_from_u64(DEMO_SEED);
    let mut factory = UserFactory {
        rng: &mut rng,
        usernames: HashSet::new(),
        next_index: 0,
    };
    let mut users: Vec<SystemUser> = (0..random_users).map(|_| factory.random_person()).collect();
    let specials = special_users(&mut factory);
    let zoe_id = specials[0].id.clone();
    users.extend(specials);
    assign_managers(&mut rng, &mut users);

    let groups: Vec<UserGroup> = DEMO_GROUPS
        .iter()
        .enumerate()
        .map(|(i, n)| make_group(&mut rng, i, n.to_string()))
        .collect();
    let gid = |i: usize| groups[i].id.clone();
    let mut members: BTreeMap<String, GroupMembers> = BTreeMap::new();
    let mut add = |g: usize, u: &SystemUser| {
        members.entry(gid(g)).or_default().users.push(u.id.clone());
    };
    for u in &users {
        let home = match u.department.as_deref() {
            Some("Engineering") => Some(1),
            Some("Platform") => Some(2),
            Some("Sales") => Some(4),
            Some("Marketing") => Some(6),
            Some("Finance") => Some(7),
            Some("People") => Some(8),
            Some("Support") => Some(9),
            Some("IT") => Some(10),
            _ => None,
        };
        // Departments without a group of their own are still staff.
        add(home.unwrap_or(0), u);
        let roll = rng.gen_range(0..100);
        match home {
            Some(2) if roll < 40 => add(3, u),
            Some(4) if roll < 50 => add(5, u),
            Some(10) if roll < 60 => add(11, u),
            Some(1) if roll < 35 => add(12, u),
            _ => {}
        }
        if matches!(u.department.as_deref(), Some("Design" | "Marketing")) && rng.gen_bool(0.5) {
            add(13, u);
        }
        if u.employee_type.as_deref() == Some("contractor") {
            add(14, u);
        }
    }
    // Nesting: Engineering > Platform > SRE, Sales > Sales EMEA, All Staff > every department.
    let nest = [
        (1, 2),
        (2, 3),
        (4, 5),
        (0, 1),
        (0, 4),
        (0, 6),
        (0, 7),
        (0, 8),
        (0, 9),
        (0, 10),
    ];
    for (parent, child) in nest {
        members
            .entry(gid(parent))
            .or_default()
            .groups
            .push(gid(child));
    }

    let applications: Vec<Application> = (0..DEMO_APPS.len())
        .map(|i| make_app(&mut rng, i))
        .collect();
    let bound: [&[usize]; 5] = [&[11, 12], &[13], &[3, 10], &[4, 14], &[0]];
    let mut bindings = BTreeMap::new();
    for (i, a) in applications.iter().enumerate() {
        let mut b = AppBinding {
            user_groups: bound[i].iter().map(|&g| gid(g)).collect(),
            users: Vec::new(),
        };
        if DEMO_APPS[i].1 == "Unity Cloud" {
            b.users.push(zoe_id.clone());
        }
        bindings.insert(a.id.clone(), b);
    }

    directory(users, groups, members, applications, bindings)
}

/// The hand-written edge cases. The first one (Zoë) is bound directly to Unity Cloud.
fn special_users(f: &mut UserFactory<'_>) -> Vec<SystemUser> {
    let mut out = Vec::new();
    let mut push = |mut u: SystemUser, dept: &str, edit: &dyn Fn(&mut SystemUser)| {
        u.department = Some(dept.into());
        edit(&mut u);
        out.push(u);
    };
    let two_phones = |u: &mut SystemUser| {
        u.phone_numbers = vec![
            PhoneNumber {
                kind: "mobile".into(),
                number: "+48 601 234 567".into(),
            },
            PhoneNumber {
                kind: "work".into(),
                number: "+48 12 345 67 89".into(),
            },
        ];
    };
    let active = |u: &mut SystemUser| {
        u.state = UserState::Activated;
        u.suspended = false;
        u.activated = true;
        u.password_expired = false;
    };

    push(
        f.person(("Zoë", "zoe"), Some(("Łukasiewicz", "lukasiewicz"))),
        "Design",
        &|u| {
            active(u);
            two_phones(u);
            u.displayname = Some("Zoë Łukasiewicz".into());
        },
    );
    push(
        f.person(("Đorđe", "djordje"), Some(("Petrović", "petrovic"))),
        "Engineering",
        &|u| {
            active(u);
            u.displayname = Some("Đorđe Petrović".into());
        },
    );
    push(
        f.person(("José", "jose"), Some(("García", "garcia"))),
        "Sales",
        &|u| {
            active(u);
            two_phones(u);
            u.phone_numbers[0].number = "+34 612 345 678".into();
            u.phone_numbers[1].number = "+34 91 123 45 67".into();
        },
    );
    push(
        f.person(("Søren", "soren"), Some(("Ødegaard", "odegaard"))),
        "Platform",
        &|u| {
            active(u);
        },
    );
    push(
        f.person(("太郎", "taro"), Some(("山田", "yamada"))),
        "Marketing",
        &|u| {
            active(u);
            u.displayname = Some("山田 太郎".into());
        },
    );
    push(
        f.person(("Анна", "anna"), Some(("Кузнецова", "kuznetsova"))),
        "Finance",
        &|u| {
            active(u);
            u.displayname = Some("Анна Кузнецова".into());
        },
    );
    // No last name at all: the SCIM familyName is required by some targets.
    push(f.person(("Cher", "cher"), None), "Marketing", &|u| {
        active(u);
        u.displayname = Some("Cher".into());
    });
    push(f.person(("Teller", "teller"), None), "Support", &|u| {
        active(u);
        u.state = UserState::Suspended;
        u.suspended = true;
    });
    push(f.person(("Madonna", "madonna"), None), "Sales", &|u| {
        active(u);
        u.state = UserState::Staged;
        u.activated = false;
    });
    push(
        f.person(
            ("Maximiliana", "maximiliana"),
            Some(("Konstantinopoulou-Vanderbilt", "konstantinopoulou")),
        ),
        "Engineering",
        &|u| {
            active(u);
            u.displayname = Some(
                "Maximiliana Alexandrina Theodora Konstantinopoulou-Vanderbilt de la Fuente y Montenegro, \
                 Senior Principal Distinguished Engineer for Platform Reliability and Infrastructure Automation"
                    .into(),
            );
        },
    );
    // Two accounts whose e-mails differ only by case: targets that compare case-insensitively clash.
    push(
        f.person(("Alex", "alex"), Some(("Morgan", "morgan"))),
        "Sales",
        &|u| {
            active(u);
            u.email = "alex.morgan@example.com".into();
        },
    );
    push(f.person(("Alexandra", "amorgan"), None), "Support", &|u| {
        active(u);
        u.lastname = Some("Morgan".into());
        u.displayname = Some("Alexandra Morgan".into());
        u.email = "Alex.Morgan@example.com".into();
    });
    push(
        f.person(("Dmitri", "dmitri"), Some(("Volkov", "volkov"))),
        "IT",
        &|u| {
            active(u);
            u.state = UserState::Suspended;
            u.suspended = true;
        },
    );
    push(
        f.person(("Grace", "grace"), Some(("Hopper", "hopper"))),
        "Engineering",
        &|u| {
            active(u);
            u.state = UserState::Suspended;
            u.suspended = true;
        },
    );
    push(
        f.person(("Ada", "ada"), Some(("Lovelace", "lovelace"))),
        "Engineering",
        &|u| {
            active(u);
            u.password_expired = true;
            u.password_expiration_date = Some(day(1300));
        },
    );
    push(
        f.person(("Linus", "linus"), Some(("Nilsson", "nilsson"))),
        "IT",
        &|u| {
            active(u);
            u.password_expired = true;
            u.password_expiration_date = Some(day(1310));
        },
    );
    out
}
