//! The writer's output, read back by quick-xml's reader, yields exactly the
//! (key, value) pairs that went in; and whatever cannot round-trip is refused
//! with a typed reason.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use saml::{
    is_xml_char, read_access_control, render_for_user, render_pairs, render_template, resolve,
    validate_pairs, Error, Field, IssueCode, Mapping, RenderOptions, Severity, ShapeProblem,
    TagValue, UserValues,
};

fn all_options() -> Vec<RenderOptions> {
    let mut out = Vec::new();
    for standalone in [false, true] {
        for pretty in [false, true] {
            for name_format in [false, true] {
                out.push(RenderOptions {
                    standalone,
                    pretty,
                    name_format,
                });
            }
        }
    }
    out
}

#[test]
fn resolved_user_round_trips_in_every_layout() {
    let mappings = [
        Mapping::attribute("CostCenter", "costCenter"),
        Mapping::attribute("Department", "department"),
        Mapping::literal("Team", "  spaced  "),
        Mapping::attribute("Title", "jobTitle"), // missing for this user
    ];
    let user = UserValues {
        id: "u1".into(),
        username: "grace".into(),
        values: BTreeMap::from([
            ("costCenter".to_owned(), "4711".to_owned()),
            (
                "department".to_owned(),
                "Research & <Development>".to_owned(),
            ),
        ]),
    };
    let expected = vec![
        TagValue::new("CostCenter", "4711"),
        TagValue::new("Department", "Research & <Development>"),
        TagValue::new("Team", "  spaced  "),
        TagValue::new("Title", ""),
    ];
    assert_eq!(resolve(&mappings, &user), expected);
    for options in all_options() {
        let xml = render_for_user(&mappings, &user, &options).unwrap();
        assert_eq!(
            read_access_control(&xml).unwrap(),
            expected,
            "{options:?}\n{xml}"
        );
    }
}

#[test]
fn template_round_trips_to_placeholders() {
    let mappings = [
        Mapping::attribute("Email", "email"),
        Mapping::literal("Team", "blue"),
    ];
    let xml = render_template(&mappings, &RenderOptions::default()).unwrap();
    assert_eq!(
        read_access_control(&xml).unwrap(),
        [
            TagValue::new("Email", "${jumpcloud:email}"),
            TagValue::new("Team", "blue")
        ]
    );
}

#[test]
fn reads_the_aws_seed_example_verbatim() {
    // As printed in AWS's JumpCloud guide, including the line break inside the value.
    let seed = "<saml:AttributeStatement>\n<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter\">\n<saml:AttributeValue>blue\n</saml:AttributeValue>\n</saml:Attribute>\n</saml:AttributeStatement>";
    assert_eq!(
        read_access_control(seed).unwrap(),
        [TagValue::new("CostCenter", "blue\n")]
    );
}

#[test]
fn reader_skips_other_attributes_and_accepts_other_prefixes() {
    let xml = r#"<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:AttributeStatement>
        <saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml2:AttributeValue>ada</saml2:AttributeValue></saml2:Attribute>
        <saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:Dept"><saml2:AttributeValue><![CDATA[a<b]]></saml2:AttributeValue></saml2:Attribute>
        </saml2:AttributeStatement></saml2:Assertion>"#;
    assert_eq!(
        read_access_control(xml).unwrap(),
        [TagValue::new("Dept", "a<b")]
    );
}

#[test]
fn reader_rejects_multi_value_and_malformed_input() {
    let two = r#"<s:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:G"><s:AttributeValue>a</s:AttributeValue><s:AttributeValue>b</s:AttributeValue></s:Attribute>"#;
    match read_access_control(two) {
        Err(Error::UnexpectedShape {
            problem: ShapeProblem::ValueCount { tag_key, count },
            ..
        }) => {
            assert_eq!((tag_key.as_str(), count), ("G", 2));
        }
        other => panic!("expected ValueCount, got {other:?}"),
    }
    let nameless = "<s:Attribute><s:AttributeValue>a</s:AttributeValue></s:Attribute>";
    assert!(matches!(
        read_access_control(nameless),
        Err(Error::UnexpectedShape {
            problem: ShapeProblem::AttributeWithoutName,
            ..
        })
    ));
    let nested = r#"<s:Attribute Name="x"><s:AttributeValue><b/></s:AttributeValue></s:Attribute>"#;
    assert!(matches!(
        read_access_control(nested),
        Err(Error::UnexpectedShape {
            problem: ShapeProblem::ElementInsideValue { .. },
            ..
        })
    ));
    assert!(matches!(
        read_access_control("<a></b>"),
        Err(Error::Parse { .. })
    ));
}

#[test]
fn unrepresentable_character_is_refused_with_position() {
    let pairs = [
        TagValue::new("Ok", "fine"),
        TagValue::new("Bell", "ring\u{7}"),
    ];
    match render_pairs(&pairs, &RenderOptions::default()) {
        Err(Error::UnrepresentableChar {
            index: 1,
            field: Field::Value,
            ch: '\u{7}',
        }) => {}
        other => panic!("expected UnrepresentableChar, got {other:?}"),
    }
    let template = [Mapping::attribute("K", "bad\u{0}name")];
    assert!(matches!(
        render_template(&template, &RenderOptions::default()),
        Err(Error::UnrepresentableChar {
            index: 0,
            field: Field::AttributeName,
            ch: '\0'
        })
    ));
}

/// Characters that stress escaping, whitespace handling and XML's Char rule.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '<', '>', '&', '\'', '"', ';', '#', ']', '\t', '\n', '\r', ' ', '\u{85}', '\u{2028}',
            '\u{A0}', 'a', 'Z', '0', 'é', '東', '_', '.', ':', '/', '=', '+', '-', '@',
            '\0', '\u{1}', '\u{B}', '\u{1F}', '\u{7F}', '\u{FFFE}', '\u{FFFF}', '\u{FFFD}', '\u{10FFFF}',
        ]),
        1 => any::<char>(),
    ]
}

fn tricky_string(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(tricky_char(), 0..max).prop_map(|v| v.into_iter().collect()),
        any::<String>(),
    ]
}

fn pairs_strategy() -> impl Strategy<Value = Vec<TagValue>> {
    prop::collection::vec(
        (tricky_string(40), tricky_string(60)).prop_map(|(k, v)| TagValue::new(k, v)),
        0..6,
    )
}

fn options_strategy() -> impl Strategy<Value = RenderOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(standalone, pretty, name_format)| {
        RenderOptions {
            standalone,
            pretty,
            name_format,
        }
    })
}

/// Allowed by AWS: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, generated independently of
/// the crate's own check.
fn aws_text(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(r"[\p{{L}}\p{{Z}}\p{{N}}_.:/=+\-@]{{{min},{max}}}"))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary strings either round-trip exactly, or rendering fails with
    /// the first character XML cannot carry, and validation flags it too.
    #[test]
    fn arbitrary_pairs_round_trip_or_are_refused(pairs in pairs_strategy(), options in options_strategy()) {
        match render_pairs(&pairs, &options) {
            Ok(xml) => prop_assert_eq!(read_access_control(&xml).unwrap(), pairs),
            Err(Error::UnrepresentableChar { index, field, ch }) => {
                prop_assert!(!is_xml_char(ch));
                let text = match field {
                    Field::TagKey => &pairs[index].tag_key,
                    _ => &pairs[index].value,
                };
                prop_assert!(text.contains(ch));
                let flagged = validate_pairs(&pairs).into_iter().any(|i| {
                    i.mapping_index == Some(index)
                        && matches!(i.code, IssueCode::ForbiddenControlChar { field: f, ch: c } if f == field && c == ch)
                });
                prop_assert!(flagged, "validation must report what rendering refused");
            }
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    /// Anything validation passes without errors renders and round-trips.
    #[test]
    fn error_free_pairs_always_round_trip(pairs in pairs_strategy(), options in options_strategy()) {
        let issues = validate_pairs(&pairs);
        if !saml::has_errors(&issues) {
            let xml = render_pairs(&pairs, &options).unwrap();
            prop_assert_eq!(read_access_control(&xml).unwrap(), pairs);
        } else {
            // Each error names a reason and, unless statement-wide, the pair.
            for issue in issues.iter().filter(|i| i.severity == Severity::Error) {
                prop_assert!(!issue.message.is_empty());
                if let Some(index) = issue.mapping_index {
                    prop_assert!(index < pairs.len());
                    prop_assert_eq!(issue.tag_key.as_deref(), Some(pairs[index].tag_key.as_str()));
                }
            }
        }
    }

    /// Keys and values from AWS's own character class within the limits are
    /// accepted (only the empty-value warning may appear) and round-trip.
    #[test]
    fn aws_conformant_pairs_pass_and_round_trip(
        raw in prop::collection::vec((aws_text(1, 128), aws_text(0, 256)), 1..8),
        options in options_strategy(),
    ) {
        // Keep the first of case-insensitively equal keys; duplicates are a separate rule.
        let mut seen = std::collections::HashSet::new();
        let pairs: Vec<TagValue> = raw
            .into_iter()
            .filter(|(k, _)| seen.insert(k.to_lowercase()))
            .map(|(k, v)| TagValue::new(k, v))
            .collect();
        let issues = validate_pairs(&pairs);
        prop_assert!(
            issues.iter().all(|i| matches!(i.code, IssueCode::ValueEmpty | IssueCode::PackedSizeHint { .. })),
            "{:?}", issues
        );
        let xml = render_pairs(&pairs, &options).unwrap();
        prop_assert_eq!(read_access_control(&xml).unwrap(), pairs);
    }

    /// One character outside AWS's class, anywhere in an otherwise valid key,
    /// is reported as KeyInvalidChar naming that character.
    #[test]
    fn one_bad_char_in_key_is_named(
        prefix in aws_text(0, 20),
        suffix in aws_text(0, 20),
        bad in prop::sample::select(vec!['&', '<', '>', '\'', '"', '#', '*', ',', '!', '?', '%', '\u{7F}', '\u{301}', '😀', '\t', '\n']),
    ) {
        let key = format!("{prefix}{bad}{suffix}");
        let issues = validate_pairs(&[TagValue::new(key, "v")]);
        let named = issues.iter().any(|i| i.code == IssueCode::KeyInvalidChar { ch: bad });
        prop_assert!(named, "{:?}", issues);
    }
}

/// Long run of the two main properties for machines without cargo-fuzz:
/// `SAML_FUZZ_CASES=200000 cargo test -p saml --test roundtrip -- --ignored`.
#[test]
#[ignore = "long-running; run explicitly"]
fn long_property_fuzz() {
    let cases = std::env::var("SAML_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
    runner
        .run(
            &(pairs_strategy(), options_strategy()),
            |(pairs, options)| {
                match render_pairs(&pairs, &options) {
                    Ok(xml) => prop_assert_eq!(read_access_control(&xml).unwrap(), pairs),
                    Err(Error::UnrepresentableChar { ch, .. }) => prop_assert!(!is_xml_char(ch)),
                    Err(other) => prop_assert!(false, "unexpected error {other:?}"),
                }
                Ok(())
            },
        )
        .unwrap();
}
