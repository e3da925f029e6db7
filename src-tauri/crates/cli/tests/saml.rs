//! `scim-companion saml` end to end: the XML parses and carries the chosen user's values, the
//! mapping table and the value check report what the crate computes, bad input exits with 1.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::run;
use quick_xml::events::Event;
use quick_xml::Reader;

const PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/AccessControl:";

/// (attribute Name, values) in document order, read with quick-xml independently of the saml
/// crate's own parser; also whether the statement declares the saml namespace.
fn parse_statement(xml: &str) -> (Vec<(String, Vec<String>)>, bool) {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_value = false;
    let mut namespaced = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"saml:AttributeStatement" => {
                namespaced = e.attributes().any(|a| {
                    let a = a.unwrap();
                    a.key.as_ref() == b"xmlns:saml"
                        && a.value.as_ref() == b"urn:oasis:names:tc:SAML:2.0:assertion"
                });
            }
            Event::Start(e) if e.name().as_ref() == b"saml:Attribute" => {
                let name = e
                    .attributes()
                    .map(|a| a.unwrap())
                    .find(|a| a.key.as_ref() == b"Name")
                    .map(|a| a.unescape_value().unwrap().into_owned())
                    .expect("Attribute has a Name");
                out.push((name, Vec::new()));
            }
            Event::Start(e) if e.name().as_ref() == b"saml:AttributeValue" => {
                in_value = true;
                out.last_mut().unwrap().1.push(String::new());
            }
            Event::Text(t) if in_value => {
                let text = t.unescape().unwrap().into_owned();
                out.last_mut()
                    .unwrap()
                    .1
                    .last_mut()
                    .unwrap()
                    .push_str(&text);
            }
            Event::End(e) if e.name().as_ref() == b"saml:AttributeValue" => in_value = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (out, namespaced)
}

/// A demo user with a department, and that department.
fn demo_user_with_department() -> (String, String, String) {
    let dir = sim::jumpcloud::demo_directory();
    let user = dir
        .users
        .iter()
        .find(|u| u.department.as_deref().is_some_and(|d| !d.is_empty()))
        .expect("the demo has users with a department");
    (
        user.username.clone(),
        user.department.clone().unwrap(),
        user.email.clone(),
    )
}

#[test]
fn statement_for_a_demo_user_has_both_attributes_with_the_users_values() {
    let (username, department, email) = demo_user_with_department();
    let r = run(&[
        "saml",
        "--map",
        "CostCenter=department",
        "--map",
        "Email=email",
        "--user",
        &username,
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let (attributes, namespaced) = parse_statement(&r.stdout);
    assert!(!namespaced, "a fragment does not declare the namespace");
    assert_eq!(
        attributes,
        vec![
            (format!("{PREFIX}CostCenter"), vec![department]),
            (format!("{PREFIX}Email"), vec![email]),
        ]
    );
    assert!(r.stderr.contains(&username), "{r:?}");
}

#[test]
fn standalone_document_declares_the_namespace_and_keeps_values_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("users.csv");
    std::fs::write(
        &csv,
        "username,email,department\nrita,rita@example.com,R&D <Labs>\nsam,sam@example.com,Sales\n",
    )
    .unwrap();
    let r = run(&[
        "saml",
        "--directory",
        csv.to_str().unwrap(),
        "--map",
        "Department=department",
        "--map",
        "Team=const:blue team",
        "--user",
        "RITA",
        "--standalone",
    ]);
    // '&', '<' and '>' are not in AWS's tag character set: an error, no XML.
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(r.stderr.contains("[Department]"), "{r:?}");

    std::fs::write(
        &csv,
        "username,email,department\nrita,rita@example.com,R+D @ Labs/EU\nsam,sam@example.com,Sales\n",
    )
    .unwrap();
    let r = run(&[
        "saml",
        "--directory",
        csv.to_str().unwrap(),
        "--map",
        "Department=department",
        "--map",
        "Team=const:blue team",
        "--user",
        "RITA",
        "--standalone",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("<?xml"), "{r:?}");
    let (attributes, namespaced) = parse_statement(&r.stdout);
    assert!(namespaced);
    assert_eq!(
        attributes,
        vec![
            (
                format!("{PREFIX}Department"),
                vec!["R+D @ Labs/EU".to_owned()]
            ),
            (format!("{PREFIX}Team"), vec!["blue team".to_owned()]),
        ]
    );
}

#[test]
fn snapshot_file_is_read_like_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.json");
    let directory = sim::jumpcloud::demo_directory();
    directory.save_json(&path).unwrap();
    let user = &directory.users[3];
    let r = run(&[
        "saml",
        "--directory",
        path.to_str().unwrap(),
        "--map",
        "Email=email",
        "--user",
        &user.id,
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let (attributes, _) = parse_statement(&r.stdout);
    assert_eq!(
        attributes,
        vec![(format!("{PREFIX}Email"), vec![user.email.clone()])]
    );
}

#[test]
fn bad_tag_key_is_a_clear_error_with_exit_1_and_no_xml() {
    let (username, _, _) = demo_user_with_department();
    let r = run(&[
        "saml",
        "--map",
        "Cost#Center=department",
        "--map",
        "Email=email",
        "--user",
        &username,
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(r.stderr.contains("error: [Cost#Center]"), "{r:?}");
    assert!(r.stderr.contains("'#'"), "names the character: {r:?}");

    let r = run(&["saml", "--map", "Email=email", "--map", "EMAIL=username"]);
    assert_eq!(r.code, 1, "case-insensitive duplicate: {r:?}");
    assert!(r.stderr.contains("EMAIL"), "{r:?}");

    let r = run(&["saml", "--map", "NoEqualsSign"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("TAG_KEY=ATTRIBUTE"), "{r:?}");
}

#[test]
fn unknown_user_exits_1_and_suggests_similar_names() {
    let (username, _, _) = demo_user_with_department();
    let prefix: String = username.chars().take(4).collect();
    let r = run(&["saml", "--map", "Email=email", "--user", &prefix]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("no user"), "{r:?}");
    assert!(r.stderr.contains("Did you mean"), "{r:?}");
}

#[test]
fn template_without_user_shows_placeholders() {
    let r = run(&["saml", "--map", "CostCenter=department"]);
    assert_eq!(r.code, 0, "{r:?}");
    let (attributes, _) = parse_statement(&r.stdout);
    assert_eq!(
        attributes,
        vec![(
            format!("{PREFIX}CostCenter"),
            vec!["${jumpcloud:department}".to_owned()]
        )]
    );
}

#[test]
fn mapping_table_lists_jumpcloud_rows() {
    let r = run(&[
        "saml",
        "--map",
        "CostCenter=department",
        "--map",
        "Email=email",
        "--map",
        "Team=const:blue",
        "--mapping-table",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        lines,
        vec![
            vec![
                "Service Provider Attribute Name",
                "JumpCloud Attribute Name",
                "Constant Value"
            ],
            vec![&format!("{PREFIX}CostCenter") as &str, "department", ""],
            vec![&format!("{PREFIX}Email") as &str, "email", ""],
            vec![&format!("{PREFIX}Team") as &str, "", "blue"],
        ]
    );
}

#[test]
fn value_check_counts_every_user_and_fails_on_values_aws_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("users.csv");
    let long = "x".repeat(300);
    std::fs::write(
        &csv,
        format!(
            "username,email,department\n\
             ann,ann@example.com,Engineering\n\
             bob,bob@example.com,\n\
             cat,cat@example.com,{long}\n\
             dan,dan@example.com,Engineering\n"
        ),
    )
    .unwrap();
    let r = run(&[
        "saml",
        "--directory",
        csv.to_str().unwrap(),
        "--map",
        "Department=department",
        "--check",
    ]);
    assert_eq!(r.code, 1, "a 300-character value is rejected by AWS: {r:?}");
    assert!(
        r.stdout.contains("4 users checked, 2 with a problem"),
        "{r:?}"
    );
    assert!(r.stdout.contains("2 ok (1 distinct values)"), "{r:?}");
    let problems: BTreeMap<&str, &str> = r
        .stdout
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (name, rest) = l.split_once(char::is_whitespace)?;
            ["bob", "cat"].contains(&name).then(|| (name, rest.trim()))
        })
        .collect();
    assert!(problems["cat"].starts_with("too long: 300"), "{r:?}");
    assert!(
        problems["bob"].starts_with("missing") || problems["bob"].starts_with("empty"),
        "{r:?}"
    );

    // The same check without the bad value passes.
    std::fs::write(
        &csv,
        "username,email,department\nann,ann@example.com,Engineering\nbob,bob@example.com,\n",
    )
    .unwrap();
    let r = run(&[
        "saml",
        "--directory",
        csv.to_str().unwrap(),
        "--map",
        "Department=department",
        "--check",
    ]);
    assert_eq!(r.code, 0, "missing values are warnings only: {r:?}");
}

#[test]
fn bad_csv_rows_are_reported_with_their_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("users.csv");
    std::fs::write(
        &csv,
        "username,email\nann,ann@example.com\n,nobody@example.com\nann,ann2@example.com\n",
    )
    .unwrap();
    let r = run(&[
        "saml",
        "--directory",
        csv.to_str().unwrap(),
        "--map",
        "Email=email",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("row 3"), "{r:?}");
}

/// `--console-key` names keys also set on Identity Center's "Attributes for access control"
/// page: `--check`, the XML and the mapping table warn about each mapping with that key
/// (ignoring case), on stderr, without failing; other keys stay quiet.
#[test]
fn console_keys_warn_that_aws_ignores_the_saml_value() {
    let warning = "Tag \"CostCenter\" is also configured in IAM Identity Center as \"costcenter\"";
    for mode in [&["--check"][..], &[], &["--mapping-table"]] {
        let mut args = vec![
            "saml",
            "--map",
            "CostCenter=costCenter",
            "--map",
            "Department=department",
            "--console-key",
            "costcenter",
            "--console-key",
            "Email",
        ];
        args.extend_from_slice(mode);
        let r = run(&args);
        assert_eq!(r.code, 0, "a warning does not fail: {mode:?} {r:?}");
        assert!(
            r.stderr
                .contains(&format!("warning: [CostCenter] {warning}")),
            "{mode:?} {r:?}"
        );
        assert!(!r.stderr.contains("[Department]"), "{mode:?} {r:?}");
        assert!(!r.stderr.contains("\"Email\""), "no Email mapping: {r:?}");
    }
    let quiet = run(&["saml", "--map", "CostCenter=costCenter", "--check"]);
    assert!(!quiet.stderr.contains("also configured"), "{quiet:?}");
}
