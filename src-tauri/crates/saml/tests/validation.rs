//! One test (at least) per validation code, with the boundary on both sides.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use saml::{
    has_errors, validate_for_user, validate_mappings, validate_pairs, Field, Issue, IssueCode,
    Mapping, Severity, TagValue, UserValues, MAX_ASSERTION_CHARS, MAX_ATTRIBUTES, MAX_KEY_CHARS,
    MAX_VALUE_CHARS,
};

fn codes(issues: &[Issue]) -> Vec<IssueCode> {
    issues.iter().map(|i| i.code.clone()).collect()
}

fn pair_issues(key: &str, value: &str) -> Vec<Issue> {
    validate_pairs(&[TagValue::new(key, value)])
}

fn find(issues: &[Issue], pred: impl Fn(&IssueCode) -> bool) -> &Issue {
    issues
        .iter()
        .find(|i| pred(&i.code))
        .unwrap_or_else(|| panic!("not found in {issues:?}"))
}

#[test]
fn clean_pair_has_no_issues() {
    assert_eq!(pair_issues("CostCenter", "blue"), []);
}

#[test]
fn key_empty() {
    let issues = pair_issues("", "v");
    let issue = find(&issues, |c| *c == IssueCode::KeyEmpty);
    assert_eq!(
        (issue.severity, issue.mapping_index),
        (Severity::Error, Some(0))
    );
}

#[test]
fn key_too_long_counts_characters_not_bytes() {
    // 128 two-byte characters (256 bytes) are fine; 129 are not.
    assert_eq!(pair_issues(&"é".repeat(MAX_KEY_CHARS), "v"), []);
    let issues = pair_issues(&"é".repeat(MAX_KEY_CHARS + 1), "v");
    assert_eq!(codes(&issues), [IssueCode::KeyTooLong { len: 129 }]);
    assert!(
        issues[0].message.contains("129 characters"),
        "{}",
        issues[0].message
    );
}

#[test]
fn key_invalid_char_names_the_first_offender() {
    let issues = pair_issues("Cost&Center#", "v");
    assert_eq!(codes(&issues), [IssueCode::KeyInvalidChar { ch: '&' }]);
    assert!(
        issues[0].message.contains("'&' (U+0026)"),
        "{}",
        issues[0].message
    );
    assert!(issues[0].message.contains("Cost&Center#"));
    // every allowed class at once: letters, separators, numbers, punctuation
    assert_eq!(pair_issues("Kostenstelle Ü 東京 ٣ _.:/=+-@", "v"), []);
}

#[test]
fn value_empty_is_a_warning_that_the_tag_is_dropped() {
    let issues = pair_issues("Team", "");
    assert_eq!(codes(&issues), [IssueCode::ValueEmpty]);
    assert_eq!(issues[0].severity, Severity::Warning);
    assert!(issues[0].message.contains("drops"));
    assert!(!has_errors(&issues));
}

#[test]
fn value_too_long_counts_characters() {
    assert_eq!(pair_issues("K", &"ж".repeat(MAX_VALUE_CHARS)), []);
    assert_eq!(
        codes(&pair_issues("K", &"ж".repeat(MAX_VALUE_CHARS + 1))),
        [IssueCode::ValueTooLong { len: 257 }]
    );
}

#[test]
fn value_invalid_char() {
    let issues = pair_issues("Dept", "R&D");
    assert_eq!(codes(&issues), [IssueCode::ValueInvalidChar { ch: '&' }]);
    assert_eq!(issues[0].tag_key.as_deref(), Some("Dept"));
}

#[test]
fn forbidden_control_char_in_key_value_and_attribute_name() {
    assert_eq!(
        codes(&pair_issues("K\u{1}", "v")),
        [IssueCode::ForbiddenControlChar {
            field: Field::TagKey,
            ch: '\u{1}'
        }]
    );
    assert_eq!(
        codes(&pair_issues("K", "a\u{FFFE}")),
        [IssueCode::ForbiddenControlChar {
            field: Field::Value,
            ch: '\u{FFFE}'
        }]
    );
    let issues = validate_mappings(&[Mapping::attribute("K", "dept\u{0}")]);
    assert_eq!(
        codes(&issues),
        [IssueCode::ForbiddenControlChar {
            field: Field::AttributeName,
            ch: '\0'
        }]
    );
    assert!(
        issues[0].message.contains("U+0000"),
        "{}",
        issues[0].message
    );
    // tab is legal XML, so it is an AWS character problem, not an XML one
    assert_eq!(
        codes(&pair_issues("K", "a\tb")),
        [IssueCode::ValueInvalidChar { ch: '\t' }]
    );
}

#[test]
fn duplicate_keys_compare_case_insensitively() {
    let issues = validate_pairs(&[
        TagValue::new("CostCenter", "a"),
        TagValue::new("Email", "b"),
        TagValue::new("costcenter", "c"),
        TagValue::new("ÄMTER", "d"),
        TagValue::new("ämter", "e"),
    ]);
    assert_eq!(
        codes(&issues),
        [
            IssueCode::DuplicateKeyCaseInsensitive {
                other: "CostCenter".into(),
                other_index: 0
            },
            IssueCode::DuplicateKeyCaseInsensitive {
                other: "ÄMTER".into(),
                other_index: 3
            },
        ]
    );
    assert_eq!(issues[0].mapping_index, Some(2));
    assert!(
        issues[0].message.contains("mapping #1"),
        "{}",
        issues[0].message
    );
    // exact repeats are reported the same way
    let exact = validate_pairs(&[TagValue::new("A", "1"), TagValue::new("A", "2")]);
    assert!(
        matches!(&exact[0].code, IssueCode::DuplicateKeyCaseInsensitive { other, .. } if other == "A")
    );
}

#[test]
fn too_many_attributes_above_fifty() {
    let pairs = |n: usize| {
        (0..n)
            .map(|i| TagValue::new(format!("K{i}"), "v"))
            .collect::<Vec<_>>()
    };
    assert_eq!(validate_pairs(&pairs(MAX_ATTRIBUTES)), []);
    let issues = validate_pairs(&pairs(MAX_ATTRIBUTES + 1));
    assert_eq!(codes(&issues), [IssueCode::TooManyAttributes { count: 51 }]);
    assert_eq!(
        (issues[0].mapping_index, issues[0].tag_key.clone()),
        (None, None)
    );
}

#[test]
fn multi_value_sources_are_rejected() {
    for field in ["addresses", "phoneNumbers", "attributes", "memberOf", "mfa"] {
        let issues = validate_mappings(&[Mapping::attribute("X", field)]);
        assert_eq!(
            codes(&issues),
            [IssueCode::MultiValue {
                attribute: field.into()
            }],
            "{field}"
        );
        assert_eq!(issues[0].severity, Severity::Error);
    }
    // a flattened single part of an address is fine
    assert_eq!(
        validate_mappings(&[Mapping::attribute("City", "addresses.work.locality")]),
        []
    );
}

#[test]
fn attribute_name_empty() {
    assert_eq!(
        codes(&validate_mappings(&[Mapping::attribute("X", " ")])),
        [IssueCode::AttributeNameEmpty]
    );
}

#[test]
fn no_attributes_is_a_warning() {
    let issues = validate_mappings(&[]);
    assert_eq!(codes(&issues), [IssueCode::NoAttributes]);
    assert_eq!(issues[0].severity, Severity::Warning);
}

#[test]
fn packed_size_hint_when_tags_are_large() {
    // 10 tags with 250-character values: valid one by one, large together
    let pairs: Vec<_> = (0..10)
        .map(|i| TagValue::new(format!("K{i}"), "v".repeat(250)))
        .collect();
    let issues = validate_pairs(&pairs);
    let hint = find(&issues, |c| matches!(c, IssueCode::PackedSizeHint { .. }));
    assert_eq!(hint.severity, Severity::Info);
    assert_eq!(
        hint.code,
        IssueCode::PackedSizeHint {
            chars: 10 * 2 + 10 * 250
        }
    );
    assert!(!has_errors(&issues));
    assert_eq!(validate_pairs(&pairs[..1]), []);
}

#[test]
fn assertion_too_large_error_and_warning() {
    // 60 tags with 1000-character values: the statement alone passes 50,000.
    let big: Vec<_> = (0..60)
        .map(|i| TagValue::new(format!("K{i}"), "v".repeat(1000)))
        .collect();
    let issues = validate_pairs(&big);
    let too_large = find(&issues, |c| {
        matches!(c, IssueCode::AssertionTooLarge { .. })
    });
    assert_eq!(too_large.severity, Severity::Error);
    match too_large.code {
        IssueCode::AssertionTooLarge { chars, limit, .. } => {
            assert!(chars > MAX_ASSERTION_CHARS);
            assert_eq!(limit, MAX_ASSERTION_CHARS);
        }
        _ => unreachable!(),
    }
    // ~45,000 characters: under the limit alone, over it with a typical signature.
    let near: Vec<_> = (0..45)
        .map(|i| TagValue::new(format!("K{i}"), "v".repeat(900)))
        .collect();
    let issues = validate_pairs(&near);
    let warning = find(&issues, |c| {
        matches!(c, IssueCode::AssertionTooLarge { .. })
    });
    assert_eq!(warning.severity, Severity::Warning);
    // escaping counts: '&' is five characters in the XML
    let amp: Vec<_> = (0..10)
        .map(|i| TagValue::new(format!("K{i}"), "&".repeat(1000)))
        .collect();
    assert!(validate_pairs(&amp)
        .iter()
        .any(|i| matches!(i.code, IssueCode::AssertionTooLarge { .. })));
}

#[test]
fn template_checks_literals_but_not_attribute_values() {
    let issues = validate_mappings(&[
        Mapping::attribute("Department", "department"),
        Mapping::literal("Team", "R&D"),
        Mapping::literal("Empty", ""),
    ]);
    assert_eq!(
        codes(&issues),
        [
            IssueCode::ValueInvalidChar { ch: '&' },
            IssueCode::ValueEmpty
        ]
    );
    assert_eq!(issues[0].mapping_index, Some(1));
}

#[test]
fn for_user_reports_missing_and_user_values() {
    let mappings = [
        Mapping::attribute("Department", "department"),
        Mapping::attribute("Title", "jobTitle"),
        Mapping::attribute("Cost", "costCenter"),
    ];
    let user = UserValues {
        id: "1".into(),
        username: "ada".into(),
        values: BTreeMap::from([
            ("department".to_owned(), "R&D".to_owned()),
            ("costCenter".to_owned(), String::new()),
        ]),
    };
    let issues = validate_for_user(&mappings, &user);
    assert_eq!(
        codes(&issues),
        [
            IssueCode::ValueInvalidChar { ch: '&' },
            IssueCode::ValueMissing {
                attribute: "jobTitle".into()
            },
            IssueCode::ValueEmpty,
        ]
    );
    assert!(issues[1].message.contains("ada"), "{}", issues[1].message);
}

#[test]
fn errors_come_before_warnings_then_by_position() {
    let issues = validate_pairs(&[
        TagValue::new("A", ""),
        TagValue::new("", "x"),
        TagValue::new("C", ""),
    ]);
    let order: Vec<(Severity, Option<usize>)> = issues
        .iter()
        .map(|i| (i.severity, i.mapping_index))
        .collect();
    assert_eq!(
        order,
        [
            (Severity::Error, Some(1)),
            (Severity::Warning, Some(0)),
            (Severity::Warning, Some(2))
        ]
    );
}

#[test]
fn issue_serializes_with_typed_code_for_the_ui() {
    let issue = &pair_issues("Cost&", "v")[0];
    let json = serde_json::to_value(issue).unwrap();
    assert_eq!(json["severity"], "error");
    assert_eq!(json["code"]["kind"], "keyInvalidChar");
    assert_eq!(json["code"]["ch"], "&");
    assert_eq!(json["mappingIndex"], 0);
    assert_eq!(json["tagKey"], "Cost&");
}
