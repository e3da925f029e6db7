//! Common ABAC mappings offered as one-click starting points.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{Mapping, Source};

/// A suggested mapping with the reason to pick it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct Preset {
    /// Stable identifier for UI state and tests.
    pub id: String,
    pub mapping: Mapping,
    pub description: String,
}

/// Name under which the caller flattens one part of a JumpCloud address:
/// `addresses.<type>.<part>`, e.g. `addresses.work.locality`. JumpCloud's
/// `addresses` is a list, so only one typed entry can feed a tag.
pub fn address_field(address_type: &str, part: &str) -> String {
    format!("addresses.{address_type}.{part}")
}

/// The presets, in the order the UI lists them. Attribute names are JumpCloud
/// v1 `systemuser` fields.
pub fn presets() -> Vec<Preset> {
    let attr = |id: &str, key: &str, field: String, description: &str| Preset {
        id: id.to_owned(),
        mapping: Mapping {
            tag_key: key.to_owned(),
            source: Source::Attribute(field),
        },
        description: description.to_owned(),
    };
    vec![
        attr("cost-center", "CostCenter", "costCenter".into(),
            "Cost center from JumpCloud's costCenter field; the classic ABAC tag for billing-scoped access."),
        attr("cost-center-from-department", "CostCenter", "department".into(),
            "Cost center taken from the department, for directories that do not fill costCenter."),
        attr("department", "Department", "department".into(),
            "Department; lets one permission set reach only resources tagged with the same department."),
        attr("email", "Email", "email".into(),
            "Work email (JumpCloud \"Email (Work)\"), the example AWS's JumpCloud guide uses. Keys per person, not per team."),
        attr("title", "Title", "jobTitle".into(),
            "Job title; useful for role-like conditions, but titles change often and vary in spelling."),
        attr("company", "Company", "company".into(),
            "Company; separates subsidiaries or contractors' firms sharing one AWS organization."),
        attr("employee-number", "EmployeeNumber", "employeeIdentifier".into(),
            "Employee ID (employeeIdentifier, at most 256 characters in JumpCloud); stable across renames."),
        attr("employee-type", "EmployeeType", "employeeType".into(),
            "Employee type such as full-time or contractor; restricts contractors to tagged resources."),
        attr("location", "Location", "location".into(),
            "JumpCloud's single-value location field (not the address list)."),
        attr("city", "City", address_field("work", "locality"),
            "City of the work address; the caller flattens addresses[type=work].locality to this name."),
        attr("country", "Country", address_field("work", "country"),
            "Country of the work address; the caller flattens addresses[type=work].country to this name."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Severity;
    use crate::validate::validate_mappings;

    #[test]
    fn every_preset_is_valid_on_its_own() {
        for preset in presets() {
            let issues = validate_mappings(std::slice::from_ref(&preset.mapping));
            assert!(
                issues.iter().all(|i| i.severity != Severity::Error),
                "{}: {issues:?}",
                preset.id
            );
            assert!(!preset.description.is_empty());
        }
    }

    #[test]
    fn preset_ids_are_unique() {
        let all = presets();
        let mut ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
    }
}
