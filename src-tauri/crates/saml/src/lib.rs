//! AWS IAM Identity Center attributes for access control (ABAC) over SAML:
//! builds the `<saml:AttributeStatement>` JumpCloud must send, the rows to
//! type into JumpCloud's attribute mapping, and checks keys and every user's
//! values against AWS's session-tag limits.
//!
//! Shape (AWS JumpCloud guide): one
//! `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:{TagKey}">`
//! per tag, each with exactly one `<saml:AttributeValue>`.
//!
//! ```
//! use saml::{render_template, validate_mappings, mapping_rows, Mapping, RenderOptions, Severity};
//!
//! let mappings = [
//!     Mapping::attribute("Department", "department"),
//!     Mapping::literal("Team", "blue"),
//! ];
//! // Template mode shows JumpCloud attributes as `${jumpcloud:<name>}`.
//! let xml = render_template(&mappings, &RenderOptions::default()).unwrap();
//! assert!(xml.contains("AccessControl:Department\">"));
//! assert!(xml.contains("<saml:AttributeValue>${jumpcloud:department}</saml:AttributeValue>"));
//! assert!(validate_mappings(&mappings).iter().all(|i| i.severity != Severity::Error));
//! assert_eq!(mapping_rows(&mappings)[1].constant_value.as_deref(), Some("blue"));
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod chars;
mod console_labels;
mod error;
mod issue;
mod jumpcloud_rows;
mod limits;
mod model;
mod parse;
mod presets;
mod render;
mod validate;
mod value_check;

pub use chars::{escape_attribute, escape_text, is_tag_char, is_xml_char};
pub use console_labels::{console_label, ConsoleLabel, CONSOLE_LABELS};
pub use error::{Error, Result, ShapeProblem};
pub use issue::{has_errors, Issue, IssueCode, Severity};
pub use jumpcloud_rows::{mapping_rows, mapping_rows_tsv, MappingRow, TSV_HEADER};
pub use limits::*;
pub use model::{
    saml_attribute_name, Field, Mapping, Source, TagValue, UserValues, ACCESS_CONTROL_PREFIX,
    NAME_FORMAT_URI, SAML_ASSERTION_NS,
};
pub use parse::read_access_control;
pub use presets::{address_field, presets, Preset};
pub use render::{
    render_for_user, render_pairs, render_template, resolve, template_placeholder, RenderOptions,
};
pub use validate::{
    console_overrides, validate_for_user, validate_mappings, validate_pairs, MULTI_VALUED_FIELDS,
    OBJECT_FIELDS,
};
pub use value_check::{
    check_values, value_problem, MappingValueReport, UserValueProblem, ValueCounts, ValueProblem,
    ValueReport,
};
