//! Reads AccessControl attributes back out of an AttributeStatement (or a
//! whole assertion), e.g. to check what an IdP actually sends. Used by the
//! round-trip tests to prove the writer's output means what it says.
//!
//! quick-xml leaves line ends and attribute whitespace as written; this
//! reader applies XML 1.0's normalization (§2.11, §3.3.3) itself, so it sees
//! what any conforming SAML consumer sees, and a writer that forgot to
//! escape CR or tab would fail the round trip.

use std::borrow::Cow;

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::chars::first_non_xml_char;
use crate::error::{Error, Result, ShapeProblem};
use crate::model::{TagValue, ACCESS_CONTROL_PREFIX};

/// Every `Attribute` whose `Name` starts with the AccessControl prefix, as
/// (tag key, value) pairs in document order. Other attributes are skipped.
/// Element prefixes are not checked, so `saml:` or `saml2:` both work.
pub fn read_access_control(xml: &str) -> Result<Vec<TagValue>> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    // (tag key if AccessControl, values collected so far)
    let mut attribute: Option<(Option<String>, Vec<String>)> = None;
    // text of the AttributeValue being read
    let mut value: Option<String> = None;

    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|source| Error::Parse { position, source })?;
        let parse_err = |source: quick_xml::Error| Error::Parse { position, source };
        let shape_err = |problem| Error::UnexpectedShape { position, problem };
        match event {
            Event::Start(start) | Event::Empty(start) if value.is_some() => {
                let element = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(shape_err(ShapeProblem::ElementInsideValue { element }));
            }
            Event::Start(start) if is_element(&start, b"Attribute") => {
                attribute = Some((access_control_key(&start, position)?, Vec::new()));
            }
            Event::Empty(start) if is_element(&start, b"Attribute") => {
                if let Some(tag_key) = access_control_key(&start, position)? {
                    return Err(shape_err(ShapeProblem::ValueCount { tag_key, count: 0 }));
                }
            }
            Event::Start(start) if is_element(&start, b"AttributeValue") => {
                if attribute.is_none() {
                    return Err(shape_err(ShapeProblem::ValueOutsideAttribute));
                }
                value = Some(String::new());
            }
            Event::Empty(start) if is_element(&start, b"AttributeValue") => {
                match attribute.as_mut() {
                    Some((_, values)) => values.push(String::new()),
                    None => return Err(shape_err(ShapeProblem::ValueOutsideAttribute)),
                }
            }
            Event::Text(text) => {
                if let Some(v) = value.as_mut() {
                    let raw = utf8(&text).map_err(parse_err)?;
                    let normalized = normalize_line_ends(raw);
                    let unescaped = unescape(&normalized).map_err(|e| parse_err(e.into()))?;
                    v.push_str(xml_chars_only(&unescaped, position)?);
                }
            }
            Event::CData(data) => {
                if let Some(v) = value.as_mut() {
                    let raw = utf8(&data).map_err(parse_err)?;
                    v.push_str(xml_chars_only(&normalize_line_ends(raw), position)?);
                }
            }
            Event::End(end) => match end.local_name().as_ref() {
                b"AttributeValue" => {
                    if let (Some(v), Some((_, values))) = (value.take(), attribute.as_mut()) {
                        values.push(v);
                    }
                }
                b"Attribute" => {
                    if let Some((Some(tag_key), mut values)) = attribute.take() {
                        if values.len() != 1 {
                            let count = values.len();
                            return Err(shape_err(ShapeProblem::ValueCount { tag_key, count }));
                        }
                        found.push(TagValue {
                            tag_key,
                            value: values.remove(0),
                        });
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(found),
            _ => {}
        }
    }
}

fn is_element(start: &BytesStart<'_>, local: &[u8]) -> bool {
    start.local_name().as_ref() == local
}

/// The tag key if this Attribute's Name is an AccessControl name, `None` for
/// any other attribute.
fn access_control_key(start: &BytesStart<'_>, position: u64) -> Result<Option<String>> {
    let parse_err = |source: quick_xml::Error| Error::Parse { position, source };
    for attr in start.attributes() {
        let attr = attr.map_err(|e| parse_err(e.into()))?;
        if attr.key.as_ref() == b"Name" {
            let raw = utf8(&attr.value).map_err(parse_err)?;
            let normalized = normalize_attribute(raw);
            let name = unescape(&normalized).map_err(|e| parse_err(e.into()))?;
            xml_chars_only(&name, position)?;
            return Ok(name.strip_prefix(ACCESS_CONTROL_PREFIX).map(str::to_owned));
        }
    }
    Err(Error::UnexpectedShape {
        position,
        problem: ShapeProblem::AttributeWithoutName,
    })
}

/// quick-xml passes through characters XML 1.0 forbids, literal or as
/// references like `&#1;`; a conforming parser rejects them, so do we.
fn xml_chars_only(text: &str, position: u64) -> Result<&str> {
    match first_non_xml_char(text) {
        Some(ch) => Err(Error::UnexpectedShape {
            position,
            problem: ShapeProblem::NonXmlChar { ch },
        }),
        None => Ok(text),
    }
}

/// Slices of a `&str` input cut at ASCII markup are always UTF-8; this only
/// turns the impossible case into an error instead of a panic.
fn utf8(bytes: &[u8]) -> std::result::Result<&str, quick_xml::Error> {
    std::str::from_utf8(bytes).map_err(|e| quick_xml::Error::Encoding(e.into()))
}

/// XML 1.0 §2.11: CR LF and lone CR become LF before anything else.
fn normalize_line_ends(raw: &str) -> Cow<'_, str> {
    if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// XML 1.0 §3.3.3 for CDATA-typed attributes: literal tab, CR, LF (after
/// line-end normalization) each become a space; references are kept.
fn normalize_attribute(raw: &str) -> Cow<'_, str> {
    match normalize_line_ends(raw) {
        text if text.contains(['\t', '\n']) => Cow::Owned(text.replace(['\t', '\n'], " ")),
        text => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_characters_xml_forbids_are_refused() {
        for (reference, ch) in [
            ("&#1;", '\u{1}'),
            ("&#x1F;", '\u{1F}'),
            ("&#xFFFE;", '\u{FFFE}'),
            ("\u{1}", '\u{1}'),
        ] {
            let xml = format!(
                "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:k\"><AttributeValue>a{reference}</AttributeValue></Attribute>"
            );
            let result = read_access_control(&xml);
            assert!(
                matches!(&result, Err(Error::UnexpectedShape { problem: ShapeProblem::NonXmlChar { ch: c }, .. }) if *c == ch),
                "{reference}: {result:?}"
            );
        }
        let in_name = "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:&#x1F;\"><AttributeValue>v</AttributeValue></Attribute>";
        assert!(read_access_control(in_name).is_err());
    }

    #[test]
    fn line_ends_are_normalized_like_a_conforming_parser() {
        assert_eq!(normalize_line_ends("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(normalize_attribute("a\tb\r\nc"), "a b c");
        assert!(matches!(normalize_attribute("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn literal_whitespace_differs_from_references() {
        let literal = "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:k\tx\"><AttributeValue>a\r\nb</AttributeValue></Attribute>";
        let referenced = "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:k&#x9;x\"><AttributeValue>a&#xD;\nb</AttributeValue></Attribute>";
        assert_eq!(
            read_access_control(literal).unwrap(),
            [TagValue::new("k x", "a\nb")]
        );
        assert_eq!(
            read_access_control(referenced).unwrap(),
            [TagValue::new("k\tx", "a\r\nb")]
        );
    }
}
