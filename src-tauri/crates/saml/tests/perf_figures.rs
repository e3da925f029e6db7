//! Prints timings for the README; asserts nothing about speed. Run with
//! `cargo test -p saml --release --test perf_figures -- --ignored --nocapture`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Instant;

use saml::{
    check_values, presets, render_for_user, render_template, validate_for_user, Mapping,
    RenderOptions, UserValues,
};

fn directory(n: usize) -> Vec<UserValues> {
    (0..n)
        .map(|i| UserValues {
            id: format!("{i:024x}"),
            username: format!("user{i}@example.com"),
            values: BTreeMap::from([
                (
                    "department".to_owned(),
                    ["Sales", "R&D", "Engineering", ""][i % 4].to_owned(),
                ),
                ("email".to_owned(), format!("user{i}@example.com")),
                ("costCenter".to_owned(), format!("CC-{}", i % 97)),
                ("jobTitle".to_owned(), "Engineer".to_owned()),
                ("company".to_owned(), "Acme".to_owned()),
                ("employeeIdentifier".to_owned(), format!("E{i}")),
            ]),
        })
        .collect()
}

#[test]
#[ignore = "prints figures; run explicitly"]
fn print_figures() {
    let mappings: Vec<Mapping> = presets().into_iter().map(|p| p.mapping).take(9).collect();
    let users = directory(50_000);

    let start = Instant::now();
    let report = check_values(&mappings, &users);
    let check = start.elapsed();
    println!(
        "check_values: {} users x {} mappings in {:?} ({} users with problems)",
        users.len(),
        mappings.len(),
        check,
        report.users_with_problems()
    );

    let options = RenderOptions::default();
    let start = Instant::now();
    let mut bytes = 0;
    for user in &users {
        bytes += render_for_user(&mappings, user, &options).unwrap().len();
    }
    let render = start.elapsed();
    println!(
        "render_for_user: {} statements in {render:?} ({bytes} bytes)",
        users.len()
    );

    let start = Instant::now();
    let issues: usize = users
        .iter()
        .map(|u| validate_for_user(&mappings, u).len())
        .sum();
    println!(
        "validate_for_user: {} users in {:?} ({issues} issues)",
        users.len(),
        start.elapsed()
    );

    let fifty: Vec<Mapping> = (0..50)
        .map(|i| Mapping::attribute(format!("Key{i}"), "department"))
        .collect();
    let start = Instant::now();
    for _ in 0..1000 {
        render_template(&fifty, &options).unwrap();
    }
    println!(
        "render_template, 50 attributes: {:?} per call",
        start.elapsed() / 1000
    );
}
