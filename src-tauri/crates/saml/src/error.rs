//! Errors of the SAML builder. Validation findings are not errors: they are
//! [`crate::Issue`]s. An error means no usable output could be produced.

use crate::model::Field;

/// Everything that stops the builder, the parser or the TSV export.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// XML 1.0 cannot carry this character at all, not even as a character
    /// reference, so no document containing it can be written.
    #[error("{field} of mapping #{index} contains U+{code:04X}, which XML 1.0 cannot represent", code = u32::from(*ch))]
    UnrepresentableChar {
        index: usize,
        field: Field,
        ch: char,
    },

    /// A tab or line break would split a TSV row or column on paste.
    #[error("{field} of row #{index} contains U+{code:04X}, which would break the TSV layout", code = u32::from(*ch))]
    TsvUnsafeChar {
        index: usize,
        field: Field,
        ch: char,
    },

    /// Writing to the in-memory buffer failed (only possible on allocation
    /// failure; kept so nothing panics).
    #[error("writing XML failed: {0}")]
    Write(#[from] std::io::Error),

    /// The text given to the parser is not well-formed XML.
    #[error("XML is not well-formed at byte {position}: {source}")]
    Parse {
        position: u64,
        #[source]
        source: quick_xml::Error,
    },

    /// Well-formed XML whose shape is not an AccessControl attribute statement
    /// this crate can read back.
    #[error("unexpected XML at byte {position}: {problem}")]
    UnexpectedShape {
        position: u64,
        problem: ShapeProblem,
    },
}

/// Why well-formed XML was not accepted as an AccessControl statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeProblem {
    #[error("saml:Attribute has no Name")]
    AttributeWithoutName,
    /// AWS accepts a single value per session tag.
    #[error("attribute for tag {tag_key:?} has {count} values; AWS accepts exactly one")]
    ValueCount { tag_key: String, count: usize },
    #[error("saml:AttributeValue contains the element <{element}>")]
    ElementInsideValue { element: String },
    #[error("saml:AttributeValue outside of a saml:Attribute")]
    ValueOutsideAttribute,
    /// A character XML 1.0 forbids, literal or as a reference such as `&#1;`.
    #[error("U+{code:04X} is not allowed in XML 1.0", code = u32::from(*ch))]
    NonXmlChar { ch: char },
}

pub type Result<T> = std::result::Result<T, Error>;
