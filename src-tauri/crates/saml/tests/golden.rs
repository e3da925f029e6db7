//! Byte-exact comparison with hand-written files in tests/golden/. The files
//! were written from AWS's documented shape before the renderer existed;
//! the renderer must match them, not the other way round.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use saml::{
    render_for_user, render_pairs, render_template, Mapping, RenderOptions, TagValue, UserValues,
};

fn golden(name: &str) -> String {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn assert_same(actual: &str, golden_name: &str) {
    let expected = golden(golden_name);
    assert!(
        actual == expected,
        "{golden_name} differs\n--- expected\n{expected}\n--- actual\n{actual}\n---"
    );
}

#[test]
fn seed_example_cost_center_blue_as_fragment() {
    // The example from AWS's JumpCloud guide: CostCenter = blue.
    let xml = render_pairs(
        &[TagValue::new("CostCenter", "blue")],
        &RenderOptions::default(),
    )
    .unwrap();
    assert_same(&xml, "seed_cost_center_fragment.xml");
}

#[test]
fn template_as_standalone_document() {
    let mappings = [
        Mapping::attribute("CostCenter", "costCenter"),
        Mapping::attribute("Email", "email"),
        Mapping::literal("Team", "blue"),
    ];
    let options = RenderOptions {
        standalone: true,
        ..RenderOptions::default()
    };
    assert_same(
        &render_template(&mappings, &options).unwrap(),
        "template_standalone.xml",
    );
}

#[test]
fn resolved_user_with_escapes_empty_value_and_name_format() {
    let mappings = [
        Mapping::attribute("Department", "department"),
        Mapping::attribute("Title", "jobTitle"),
        Mapping::attribute("Location", "location"),
    ];
    let user = UserValues {
        id: "5f0c1e".into(),
        username: "ada".into(),
        values: BTreeMap::from([
            ("department".to_owned(), r#"R&D <"west"> 'x'"#.to_owned()),
            // jobTitle missing: rendered as an empty value
            ("location".to_owned(), "Zürich  東京".to_owned()),
        ]),
    };
    let options = RenderOptions {
        name_format: true,
        ..RenderOptions::default()
    };
    assert_same(
        &render_for_user(&mappings, &user, &options).unwrap(),
        "user_escaped_name_format.xml",
    );
}

#[test]
fn compact_standalone_escapes_markup_and_whitespace_references() {
    let pairs = [TagValue::new("a&b<\"'>\t", "line1\r\nline2")];
    let options = RenderOptions {
        standalone: true,
        pretty: false,
        name_format: false,
    };
    assert_same(
        &render_pairs(&pairs, &options).unwrap(),
        "compact_standalone_escapes.xml",
    );
}
