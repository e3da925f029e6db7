//! A small generator of plausible SCIM users and groups for demos and tests. Deterministic
//! per seed. Every user is valid for every dialect (AWS: names, displayName, one primary email).

use rand::rngs::StdRng;
use rand::seq::SliceRandom as _;
use rand::{Rng as _, SeedableRng as _};
use serde_json::{json, Value};

const GIVEN: [&str; 16] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Linus",
    "Hedy",
    "Tim",
    "Katherine",
    "John",
];
const FAMILY: [&str; 16] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Torvalds",
    "Lamarr",
    "Berners-Lee",
    "Johnson",
    "McCarthy",
];
const TEAMS: [&str; 10] = [
    "Engineering",
    "Finance",
    "Sales",
    "Support",
    "Security",
    "Platform",
    "Design",
    "Legal",
    "Marketing",
    "Operations",
];
const TITLES: [&str; 6] = [
    "Engineer",
    "Analyst",
    "Manager",
    "Director",
    "Designer",
    "Specialist",
];

/// `n` users with unique userNames `given.family.N@example.com`.
pub fn generate_users(n: usize, seed: u64) -> Vec<Value> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let given = GIVEN[rng.gen_range(0..GIVEN.len())];
            let family = FAMILY[rng.gen_range(0..FAMILY.len())];
            let email = format!(
                "{}.{}.{}@example.com",
                given.to_lowercase(),
                family.to_lowercase().replace('-', ""),
                i + 1
            );
            json!({
                "schemas": [
                    "urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
                ],
                "externalId": format!("jc-{:024x}", rng.gen::<u128>() >> 32),
                "userName": email,
                "name": {"givenName": given, "familyName": family},
                "displayName": format!("{given} {family}"),
                "title": TITLES[rng.gen_range(0..TITLES.len())],
                "active": rng.gen_bool(0.95),
                "emails": [{"value": email, "type": "work", "primary": true}],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                    "department": TEAMS[rng.gen_range(0..TEAMS.len())],
                    "employeeNumber": format!("{}", 1000 + i),
                },
            })
        })
        .collect()
}

/// `n` groups, each with up to `max_members` distinct members drawn from `member_ids`.
pub fn generate_groups(
    n: usize,
    member_ids: &[String],
    max_members: usize,
    seed: u64,
) -> Vec<Value> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x9e37_79b9);
    (0..n)
        .map(|i| {
            let team = TEAMS[i % TEAMS.len()];
            let name = if i < TEAMS.len() {
                team.to_string()
            } else {
                format!("{team} {}", i / TEAMS.len() + 1)
            };
            let k = rng.gen_range(0..=max_members.min(member_ids.len()));
            let members: Vec<Value> = member_ids
                .choose_multiple(&mut rng, k)
                .map(|id| json!({"value": id}))
                .collect();
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": name,
                "externalId": format!("jcg-{:016x}", rng.gen::<u64>()),
                "members": members,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn users_are_unique_deterministic_and_aws_shaped() {
        let a = generate_users(200, 1);
        assert_eq!(a, generate_users(200, 1));
        let names: HashSet<_> = a
            .iter()
            .map(|u| u["userName"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names.len(), 200);
        for u in &a {
            assert_eq!(u["emails"].as_array().unwrap().len(), 1);
            assert_eq!(u["emails"][0]["primary"], true);
            assert!(u["name"]["givenName"].is_string() && u["displayName"].is_string());
        }
    }

    #[test]
    fn groups_have_unique_names_and_bounded_distinct_members() {
        let ids: Vec<String> = (0..30).map(|i| format!("u{i}")).collect();
        let g = generate_groups(25, &ids, 10, 3);
        let names: HashSet<_> = g
            .iter()
            .map(|x| x["displayName"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names.len(), 25);
        for group in &g {
            let m: HashSet<_> = group["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["value"].to_string())
                .collect();
            assert!(m.len() <= 10);
            assert_eq!(m.len(), group["members"].as_array().unwrap().len());
        }
    }
}
