//! Directory-wide value check: counts and per-user problems per mapping.

use std::collections::BTreeMap;

use saml::{check_values, Mapping, Source, UserValues, ValueCounts, ValueProblem};

fn user(id: &str, values: &[(&str, &str)]) -> UserValues {
    UserValues {
        id: id.into(),
        username: format!("{id}@example.com"),
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    }
}

#[test]
fn counts_and_lists_each_kind_of_problem() {
    let users = [
        user("u1", &[("department", "Sales")]),
        user("u2", &[("department", "Sales")]),
        user("u3", &[("department", "Engineering")]),
        user("u4", &[]),
        user("u5", &[("department", "")]),
        user("u6", &[("department", "R&D")]),
        user("u7", &[("department", &"x".repeat(300))]),
        user("u8", &[("department", "bell\u{7}")]),
    ];
    let report = check_values(&[Mapping::attribute("Department", "department")], &users);
    assert_eq!(report.total_users, 8);
    let m = &report.mappings[0];
    assert_eq!(m.tag_key, "Department");
    assert_eq!(m.source, Source::Attribute("department".into()));
    assert_eq!(
        m.counts,
        ValueCounts {
            ok: 3,
            missing: 1,
            empty: 1,
            too_long: 1,
            invalid_char: 1,
            forbidden_control_char: 1
        }
    );
    assert_eq!(m.distinct_values, 2, "Sales and Engineering");
    let problems: Vec<(&str, &ValueProblem)> = m
        .problems
        .iter()
        .map(|p| (p.user_id.as_str(), &p.problem))
        .collect();
    assert_eq!(
        problems,
        [
            ("u4", &ValueProblem::Missing),
            ("u5", &ValueProblem::Empty),
            ("u6", &ValueProblem::InvalidChar { ch: '&' }),
            ("u7", &ValueProblem::TooLong { len: 300 }),
            ("u8", &ValueProblem::ForbiddenControlChar { ch: '\u{7}' }),
        ]
    );
    assert_eq!(m.problems[0].username, "u4@example.com");
    assert_eq!(report.users_with_problems(), 5);
}

#[test]
fn every_user_lands_in_exactly_one_bucket_per_mapping() {
    let users: Vec<_> = (0..100)
        .map(|i| match i % 4 {
            0 => user(&format!("u{i}"), &[]),
            1 => user(&format!("u{i}"), &[("costCenter", "")]),
            2 => user(&format!("u{i}"), &[("costCenter", "CC-1")]),
            _ => user(&format!("u{i}"), &[("costCenter", "CC#2")]),
        })
        .collect();
    let mappings = [
        Mapping::attribute("CostCenter", "costCenter"),
        Mapping::literal("Org", "acme"),
    ];
    let report = check_values(&mappings, &users);
    for m in &report.mappings {
        let c = m.counts;
        let sum =
            c.ok + c.missing + c.empty + c.too_long + c.invalid_char + c.forbidden_control_char;
        assert_eq!(sum, 100, "{}", m.tag_key);
        assert_eq!(m.problems.len(), 100 - c.ok);
    }
    assert_eq!(report.mappings[0].counts.missing, 25);
    assert_eq!(report.mappings[0].counts.empty, 25);
    assert_eq!(report.mappings[0].counts.invalid_char, 25);
    // a literal is the same for everyone
    assert_eq!(report.mappings[1].counts.ok, 100);
    assert_eq!(report.mappings[1].distinct_values, 1);
    assert_eq!(report.users_with_problems(), 75);
}

#[test]
fn empty_directory_gives_zero_counts() {
    let report = check_values(&[Mapping::attribute("Email", "email")], &[]);
    assert_eq!(report.total_users, 0);
    assert_eq!(report.mappings[0].counts, ValueCounts::default());
    assert_eq!(report.users_with_problems(), 0);
}
