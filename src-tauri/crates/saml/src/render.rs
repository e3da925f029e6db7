//! Writes the `<saml:AttributeStatement>` with quick-xml's `Writer`; the only
//! text produced by hand is escaped content (see `chars`).

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Writer;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::chars::{escape_attribute, escape_text, first_non_xml_char};
use crate::error::{Error, Result};
use crate::model::{
    saml_attribute_name, Field, Mapping, Source, TagValue, UserValues, NAME_FORMAT_URI,
    SAML_ASSERTION_NS,
};

const STATEMENT: &str = "saml:AttributeStatement";
const ATTRIBUTE: &str = "saml:Attribute";
const VALUE: &str = "saml:AttributeValue";

/// How the statement is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct RenderOptions {
    /// A file of its own: XML declaration, and `xmlns:saml` declared on the
    /// statement. Otherwise a fragment to paste inside an assertion that
    /// already binds `saml`.
    pub standalone: bool,
    /// Two-space indentation, one element per line, and a final newline.
    /// Values are never padded: whitespace inside `AttributeValue` is data.
    pub pretty: bool,
    /// Adds `NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"`.
    /// AWS's documented example has no NameFormat, so it is off by default.
    pub name_format: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            standalone: false,
            pretty: true,
            name_format: false,
        }
    }
}

/// Placeholder shown in template mode for a value read from JumpCloud:
/// `${jumpcloud:<attribute name>}`, e.g. `${jumpcloud:department}`. The
/// `jumpcloud:` part makes clear it is not AWS's own `${path:...}` syntax;
/// literals are shown as they are.
pub fn template_placeholder(source: &Source) -> Cow<'_, str> {
    match source {
        Source::Attribute(name) => Cow::Owned(format!("${{jumpcloud:{name}}}")),
        Source::Literal(text) => Cow::Borrowed(text),
    }
}

/// The values one user would send, in mapping order. A missing field is sent
/// as an empty value (AWS then drops that tag; the validator says so).
pub fn resolve(mappings: &[Mapping], user: &UserValues) -> Vec<TagValue> {
    mappings
        .iter()
        .map(|m| TagValue::new(&m.tag_key, user.value_of(&m.source).unwrap_or("")))
        .collect()
}

/// The statement with placeholders instead of per-user values.
pub fn render_template(mappings: &[Mapping], options: &RenderOptions) -> Result<String> {
    let items = mappings.iter().enumerate().map(|(index, m)| {
        let value_field = match m.source {
            Source::Attribute(_) => Field::AttributeName,
            Source::Literal(_) => Field::Value,
        };
        Item {
            index,
            tag_key: &m.tag_key,
            value: template_placeholder(&m.source),
            value_field,
        }
    });
    write_statement(items, options)
}

/// The statement one user would receive.
pub fn render_for_user(
    mappings: &[Mapping],
    user: &UserValues,
    options: &RenderOptions,
) -> Result<String> {
    render_pairs(&resolve(mappings, user), options)
}

/// The statement for explicit (key, value) pairs, in the given order.
pub fn render_pairs(pairs: &[TagValue], options: &RenderOptions) -> Result<String> {
    let items = pairs.iter().enumerate().map(|(index, p)| Item {
        index,
        tag_key: &p.tag_key,
        value: Cow::Borrowed(p.value.as_str()),
        value_field: Field::Value,
    });
    write_statement(items, options)
}

struct Item<'a> {
    index: usize,
    tag_key: &'a str,
    value: Cow<'a, str>,
    value_field: Field,
}

fn write_statement<'a>(
    items: impl Iterator<Item = Item<'a>>,
    options: &RenderOptions,
) -> Result<String> {
    let mut writer = if options.pretty {
        Writer::new_with_indent(Vec::new(), b' ', 2)
    } else {
        Writer::new(Vec::new())
    };
    if options.standalone {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    }
    let mut statement = BytesStart::new(STATEMENT);
    if options.standalone {
        statement.push_attribute(raw_attribute(
            "xmlns:saml",
            Cow::Borrowed(SAML_ASSERTION_NS),
        ));
    }
    writer.write_event(Event::Start(statement))?;

    for item in items {
        reject_unrepresentable(item.index, Field::TagKey, item.tag_key)?;
        reject_unrepresentable(item.index, item.value_field, &item.value)?;

        let name = saml_attribute_name(item.tag_key);
        let mut attribute = BytesStart::new(ATTRIBUTE);
        attribute.push_attribute(raw_attribute("Name", escape_attribute(&name)));
        if options.name_format {
            attribute.push_attribute(raw_attribute("NameFormat", Cow::Borrowed(NAME_FORMAT_URI)));
        }
        writer.write_event(Event::Start(attribute))?;
        writer.write_event(Event::Start(BytesStart::new(VALUE)))?;
        // Text events keep the writer from indenting before the end tag, so an
        // empty value must still produce one (empty) text event.
        writer.write_event(Event::Text(BytesText::from_escaped(escape_text(
            &item.value,
        ))))?;
        writer.write_event(Event::End(BytesEnd::new(VALUE)))?;
        writer.write_event(Event::End(BytesEnd::new(ATTRIBUTE)))?;
    }

    writer.write_event(Event::End(BytesEnd::new(STATEMENT)))?;
    let mut bytes = writer.into_inner();
    if options.pretty {
        bytes.push(b'\n');
    }
    // Only &str input and ASCII markup were written, so this cannot fail.
    Ok(String::from_utf8(bytes).expect("writer received only UTF-8"))
}

/// An attribute whose value is already escaped by `chars::escape_attribute`
/// (quick-xml's own escaping leaves tab/LF/CR literal, which parsers normalize).
fn raw_attribute<'a>(key: &'a str, escaped: Cow<'a, str>) -> Attribute<'a> {
    let value = match escaped {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    };
    Attribute {
        key: QName(key.as_bytes()),
        value,
    }
}

fn reject_unrepresentable(index: usize, field: Field, text: &str) -> Result<()> {
    match first_non_xml_char(text) {
        Some(ch) => Err(Error::UnrepresentableChar { index, field, ch }),
        None => Ok(()),
    }
}
