//! The rows an admin types into JumpCloud's "User Attribute Mapping" on the
//! IAM Identity Center connector (SSO tab), ready to copy.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::console_labels::console_label;
use crate::error::{Error, Result};
use crate::model::{Field, Mapping, Source};

/// One row of JumpCloud's attribute mapping table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct MappingRow {
    /// "Service Provider Attribute Name": the full AccessControl URI.
    pub service_provider_attribute_name: String,
    /// "JumpCloud Attribute Name" (API field or custom attribute name);
    /// `None` for a constant.
    pub jumpcloud_attribute_name: Option<String>,
    /// What JumpCloud's console picker calls that field (e.g. "Email (Work)" for `email`);
    /// `None` when no source gives a label (custom attributes, most fields) or for a constant.
    pub jumpcloud_console_label: Option<String>,
    /// JumpCloud's "Constant Value" for literal sources.
    pub constant_value: Option<String>,
}

pub const TSV_HEADER: [&str; 3] = [
    "Service Provider Attribute Name",
    "JumpCloud Attribute Name",
    "Constant Value",
];

/// One row per mapping, in mapping order.
pub fn mapping_rows(mappings: &[Mapping]) -> Vec<MappingRow> {
    mappings
        .iter()
        .map(|m| {
            let (jumpcloud_attribute_name, constant_value) = match &m.source {
                Source::Attribute(name) => (Some(name.clone()), None),
                Source::Literal(value) => (None, Some(value.clone())),
            };
            let jumpcloud_console_label = jumpcloud_attribute_name
                .as_deref()
                .and_then(console_label)
                .map(|l| l.label.to_owned());
            MappingRow {
                service_provider_attribute_name: m.saml_attribute_name(),
                jumpcloud_attribute_name,
                jumpcloud_console_label,
                constant_value,
            }
        })
        .collect()
}

/// The rows as tab-separated text with a header line and `\n` line ends, for
/// pasting into a spreadsheet or a runbook. Fields are not quoted, so a tab or
/// line break inside one is refused rather than silently shifting columns.
pub fn mapping_rows_tsv(mappings: &[Mapping]) -> Result<String> {
    let mut out = TSV_HEADER.join("\t");
    out.push('\n');
    for (index, row) in mapping_rows(mappings).iter().enumerate() {
        let cells = [
            (Field::TagKey, row.service_provider_attribute_name.as_str()),
            (
                Field::AttributeName,
                row.jumpcloud_attribute_name.as_deref().unwrap_or(""),
            ),
            (Field::Value, row.constant_value.as_deref().unwrap_or("")),
        ];
        for (column, (field, text)) in cells.iter().enumerate() {
            if let Some(ch) = text.chars().find(|c| matches!(c, '\t' | '\n' | '\r')) {
                return Err(Error::TsvUnsafeChar {
                    index,
                    field: *field,
                    ch,
                });
            }
            if column > 0 {
                out.push('\t');
            }
            out.push_str(text);
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_full_uri_and_source_in_order() {
        let rows = mapping_rows(&[
            Mapping::attribute("Email", "email"),
            Mapping::literal("Team", "blue"),
        ]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].service_provider_attribute_name,
            "https://aws.amazon.com/SAML/Attributes/AccessControl:Email"
        );
        assert_eq!(rows[0].jumpcloud_attribute_name.as_deref(), Some("email"));
        assert_eq!(
            rows[0].jumpcloud_console_label.as_deref(),
            Some("Email (Work)")
        );
        assert_eq!(rows[0].constant_value, None);
        assert_eq!(rows[1].jumpcloud_console_label, None);
        assert_eq!(rows[1].jumpcloud_attribute_name, None);
        assert_eq!(rows[1].constant_value.as_deref(), Some("blue"));
    }

    #[test]
    fn tsv_has_header_and_one_line_per_mapping() {
        let tsv = mapping_rows_tsv(&[
            Mapping::attribute("CostCenter", "costCenter"),
            Mapping::literal("Team", "blue"),
        ])
        .unwrap();
        let lines: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], TSV_HEADER);
        assert_eq!(
            lines[1],
            [
                "https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter",
                "costCenter",
                ""
            ]
        );
        assert_eq!(
            lines[2],
            [
                "https://aws.amazon.com/SAML/Attributes/AccessControl:Team",
                "",
                "blue"
            ]
        );
        assert!(tsv.ends_with('\n'));
    }

    #[test]
    fn tsv_refuses_tabs_and_line_breaks() {
        let err = mapping_rows_tsv(&[Mapping::attribute("A", "x"), Mapping::literal("B", "a\tb")])
            .unwrap_err();
        assert!(matches!(
            err,
            Error::TsvUnsafeChar {
                index: 1,
                field: Field::Value,
                ch: '\t'
            }
        ));
        let err = mapping_rows_tsv(&[Mapping::attribute("Line\nBreak", "x")]).unwrap_err();
        assert!(matches!(
            err,
            Error::TsvUnsafeChar {
                index: 0,
                field: Field::TagKey,
                ch: '\n'
            }
        ));
    }
}
