//! What JumpCloud's admin console calls a user field whose API name the builder uses, so the
//! admin can find it in the "JumpCloud Attribute Name" picker. Only labels a source gives are
//! listed; any other field has no known console label and the UI says so.

/// A console label and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleLabel {
    pub api_name: &'static str,
    pub label: &'static str,
    pub source: &'static str,
}

/// AWS's JumpCloud guide, step 3: "In the JumpCloud Attribute Name field ... For example,
/// Email (Work)" (seeds/000; awsdocs jumpcloud-idp.md).
const AWS_GUIDE: &str = "AWS IAM Identity Center user guide, JumpCloud (SAML attribute mapping)";
/// JumpCloud's custom SCIM connector article, user attributes table, "JumpCloud UI Field Name".
const JC_SCIM_TABLE: &str = "JumpCloud support: custom SCIM identity management integration";
/// JumpCloud's "User Attributes" article, standard user attributes table.
const JC_USER_ATTRIBUTES: &str = "JumpCloud support: User Attributes";

pub const CONSOLE_LABELS: &[ConsoleLabel] = &[
    ConsoleLabel {
        api_name: "email",
        label: "Email (Work)",
        source: AWS_GUIDE,
    },
    ConsoleLabel {
        api_name: "username",
        label: "Username",
        source: JC_SCIM_TABLE,
    },
    ConsoleLabel {
        api_name: "firstname",
        label: "First Name",
        source: JC_SCIM_TABLE,
    },
    ConsoleLabel {
        api_name: "lastname",
        label: "Last Name",
        source: JC_SCIM_TABLE,
    },
    ConsoleLabel {
        api_name: "middlename",
        label: "Middle Name",
        source: JC_USER_ATTRIBUTES,
    },
    ConsoleLabel {
        api_name: "displayname",
        label: "Display Name",
        source: JC_USER_ATTRIBUTES,
    },
    ConsoleLabel {
        api_name: "employeeIdentifier",
        label: "Employee ID",
        source: JC_USER_ATTRIBUTES,
    },
];

/// The console label of a JumpCloud API field name (exact, as the API spells it), if known.
pub fn console_label(api_name: &str) -> Option<&'static ConsoleLabel> {
    CONSOLE_LABELS.iter().find(|l| l.api_name == api_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_guides_example_labels_email_as_email_work() {
        assert_eq!(console_label("email").unwrap().label, "Email (Work)");
        assert_eq!(console_label("firstname").unwrap().label, "First Name");
    }

    #[test]
    fn unsourced_and_custom_fields_have_no_label() {
        for name in [
            "costCenter",
            "department",
            "Email",
            "team",
            "addresses.work.locality",
        ] {
            assert_eq!(console_label(name), None, "{name}");
        }
    }

    #[test]
    fn every_entry_names_its_source_and_api_names_are_unique() {
        for (i, l) in CONSOLE_LABELS.iter().enumerate() {
            assert!(!l.source.is_empty() && !l.label.is_empty());
            assert!(
                CONSOLE_LABELS[i + 1..]
                    .iter()
                    .all(|o| o.api_name != l.api_name),
                "{} twice",
                l.api_name
            );
        }
    }
}
