//! Normalisation so that values a target stores differently but means the same
//! never show as drift: surrounding whitespace, Unicode composition (NFC),
//! case where the attribute is case-insensitive, `"true"` for `true`, numbers as
//! strings, multi-valued attributes as sets, and absent = null = "" = [] = {}.
//!
//! Strings are borrowed whenever they are already normal, so comparing the
//! usual ASCII values allocates nothing.

use std::borrow::Cow;

use serde_json::Number;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::path::Found;
use crate::record::{Kind, Node};

/// A value in comparable form. Derived ordering lets sets be sorted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Norm<'a> {
    Absent,
    Bool(bool),
    Text(Cow<'a, str>),
    /// Sorted, without duplicates, at least two elements.
    Set(Vec<Norm<'a>>),
    /// Sorted by lower-cased key, without absent members.
    Obj(Vec<(Cow<'a, str>, Norm<'a>)>),
}

/// Trims, folds case if asked, and composes to NFC. Used for values and for match keys.
pub(crate) fn text(s: &str, fold_case: bool) -> Cow<'_, str> {
    let t = s.trim();
    let mut out = Cow::Borrowed(t);
    if fold_case {
        let needs_fold = if t.is_ascii() {
            t.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            true
        };
        if needs_fold {
            out = Cow::Owned(t.to_lowercase());
        }
    }
    if !out.is_ascii() && is_nfc_quick(out.chars()) != IsNormalized::Yes {
        out = Cow::Owned(out.nfc().collect());
    }
    out
}

pub(crate) fn value(v: Node<'_>, fold_case: bool) -> Norm<'_> {
    match v.kind() {
        Kind::Null => Norm::Absent,
        Kind::Bool(b) => Norm::Bool(b),
        Kind::Number(n) => Norm::Text(Cow::Owned(number(&n))),
        Kind::String(s) => string(s, fold_case),
        Kind::Array(items) => set(items.map(|i| value(i, fold_case)).collect()),
        Kind::Object(members) => {
            let mut members: Vec<_> = members
                .filter_map(|(k, v)| {
                    let key = ascii_lower(k);
                    let n = value(v, fold_case);
                    // RFC 7643 §2.4: `primary` false is the same as no primary flag.
                    let unset = n == Norm::Absent || (key == "primary" && n == Norm::Bool(false));
                    (!unset).then_some((key, n))
                })
                .collect();
            if members.is_empty() {
                return Norm::Absent;
            }
            members.sort();
            Norm::Obj(members)
        }
    }
}

pub(crate) fn found<'a>(f: &Found<'a>, fold_case: bool) -> Norm<'a> {
    match f {
        Found::Absent => Norm::Absent,
        Found::One(v) => value(*v, fold_case),
        Found::Many(vs) => set(vs.iter().map(|v| value(*v, fold_case)).collect()),
    }
}

fn string(s: &str, fold_case: bool) -> Norm<'_> {
    let t = text(s, fold_case);
    if t.is_empty() {
        Norm::Absent
    } else if t.eq_ignore_ascii_case("true") {
        Norm::Bool(true)
    } else if t.eq_ignore_ascii_case("false") {
        Norm::Bool(false)
    } else {
        Norm::Text(t)
    }
}

/// Order-insensitive; a one-element list equals its element, so a target that
/// returns a lone value instead of a list of one does not drift.
fn set(mut items: Vec<Norm<'_>>) -> Norm<'_> {
    items.retain(|n| *n != Norm::Absent);
    items.sort();
    items.dedup();
    match items.len() {
        0 => Norm::Absent,
        1 => items.pop().unwrap_or(Norm::Absent),
        _ => Norm::Set(items),
    }
}

fn ascii_lower(k: &str) -> Cow<'_, str> {
    if k.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(k.to_ascii_lowercase())
    } else {
        Cow::Borrowed(k)
    }
}

/// `1`, `1.0` and `"1"` are the same value to a directory.
fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e15 {
        (f as i64).to_string()
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use serde_json::{json, Value};

    fn eq(a: Value, b: Value, fold: bool) -> bool {
        let (a, b) = (Record::from(a), Record::from(b));
        value(a.node(), fold) == value(b.node(), fold)
    }

    /// Whether `v` normalises to absent.
    fn absent(v: &Value) -> bool {
        value(Record::from(v).node(), false) == Norm::Absent
    }

    #[test]
    fn absent_null_empty_string_and_empty_collections_are_equal() {
        for v in [
            json!(null),
            json!(""),
            json!("   "),
            json!([]),
            json!({}),
            json!([null, ""]),
            json!({"a": null}),
        ] {
            assert!(absent(&v), "{v}");
        }
        assert!(!eq(json!(""), json!("x"), false));
    }

    #[test]
    fn surrounding_whitespace_is_ignored_but_inner_is_kept() {
        assert!(eq(json!("  Ann  "), json!("Ann"), false));
        assert!(!eq(json!("A nn"), json!("Ann"), false));
    }

    #[test]
    fn case_folds_only_when_asked() {
        assert!(eq(json!("Ann@Example.COM"), json!("ann@example.com"), true));
        assert!(!eq(
            json!("Ann@Example.COM"),
            json!("ann@example.com"),
            false
        ));
        assert!(eq(json!("ÅSA"), json!("åsa"), true));
    }

    #[test]
    fn unicode_composition_is_normalised() {
        let composed = "Jos\u{e9}";
        let decomposed = "Jose\u{301}";
        assert_ne!(composed, decomposed);
        assert!(eq(json!(composed), json!(decomposed), false));
        assert!(eq(json!(composed.to_uppercase()), json!(decomposed), true));
    }

    #[test]
    fn boolean_strings_and_numbers_compare_as_values() {
        assert!(eq(json!("true"), json!(true), false));
        assert!(eq(json!(" False "), json!(false), false));
        assert!(!eq(json!("true"), json!(false), false));
        assert!(eq(json!(42), json!("42"), false));
        assert!(eq(json!(42.0), json!(42), false));
        assert!(!eq(json!(42.5), json!(42), false));
    }

    #[test]
    fn multi_values_are_sets() {
        assert!(eq(json!(["a", "b"]), json!(["b", "a"]), false));
        assert!(eq(json!(["a", "b", "a"]), json!(["b", "a"]), false));
        assert!(!eq(json!(["a", "b"]), json!(["a"]), false));
        assert!(eq(json!(["a"]), json!("a"), false));
        let emails_a = json!([{"value": "A@x", "type": "work", "primary": true}, {"value": "b@x", "type": "home"}]);
        let emails_b = json!([{"type": "home", "value": "b@x", "primary": false}, {"primary": "true", "Value": "a@x", "type": "work"}]);
        assert!(eq(emails_a.clone(), emails_b.clone(), true));
        assert!(!eq(emails_a, emails_b, false));
    }

    #[test]
    fn found_many_is_a_set() {
        let a = [Record::from(json!("x")), Record::from(json!("y"))];
        let f = Found::Many(vec![a[1].node(), a[0].node()]);
        let both = Record::from(json!(["x", "y"]));
        assert_eq!(found(&f, false), value(both.node(), false));
        assert_eq!(found(&Found::Absent, false), Norm::Absent);
    }

    #[test]
    fn normal_ascii_text_is_borrowed() {
        assert!(matches!(text("ann@x", true), Cow::Borrowed(_)));
        assert!(matches!(text(" ann ", false), Cow::Borrowed("ann")));
        assert!(matches!(text("Ann", true), Cow::Owned(_)));
    }
}
