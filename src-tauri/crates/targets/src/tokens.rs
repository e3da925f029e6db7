//! What is known about each target's SCIM credentials: where they come from,
//! how long they live, how to rotate them. Feeds the token-age warnings.

use serde::Serialize;
use ts_rs::TS;

use crate::kind::Kind;

/// How trustworthy a fact is, shown next to it in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "FactSource")]
pub enum Source {
    /// The vendor's own documentation.
    Vendor,
    /// Only third-party write-ups say so.
    Secondary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/", rename = "TokenLifetime")]
pub struct Lifetime {
    pub days: u32,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/")]
pub struct TokenFacts {
    /// Where the admin creates the credential.
    pub created_in: &'static str,
    /// Active credentials allowed at once, if limited.
    pub max_active: Option<u32>,
    pub lifetime: Option<Lifetime>,
    /// The console shows the secret once (lost means make a new one); `None` when not documented.
    pub shown_once: Option<bool>,
    /// Can only be created in the vendor console (no API).
    pub console_only: bool,
    /// Rotation, step by step; empty when not documented.
    pub rotation: Vec<&'static str>,
    pub notes: Vec<&'static str>,
}

pub fn token_facts(kind: Kind) -> TokenFacts {
    match kind {
        Kind::Aws => TokenFacts {
            created_in: "IAM Identity Center console > Settings > Automatic provisioning",
            max_active: Some(2),
            lifetime: Some(Lifetime {
                days: 365,
                source: Source::Secondary,
            }),
            shown_once: None,
            console_only: true,
            rotation: vec![
                "In IAM Identity Center > Settings > Automatic provisioning, generate a new access token (at most two may exist).",
                "In JumpCloud's connector, deactivate the Identity Management integration, paste the new token, and activate it again.",
                "Test the connection and confirm users still sync.",
                "Delete the old token in IAM Identity Center.",
            ],
            notes: vec![
                "The one-year lifetime comes from secondary sources; AWS's own wording was not found.",
                "There is no API to create tokens.",
            ],
        },
        Kind::Unity => TokenFacts {
            created_in: "Unity Dashboard > Administration > Service accounts > (account) > Keys > Add key",
            max_active: None,
            lifetime: None,
            shown_once: None,
            console_only: true,
            rotation: vec![
                "Add a new key to the service account.",
                "Update JumpCloud's Authorization header value with Basic base64(key ID:secret key) of the new key.",
                "Test the connection, then remove the old key.",
            ],
            notes: vec![
                "The service account needs the organization role Admin = SCIM Authenticator.",
                "Unity's newer Entra guide issues a long-lived bearer token instead of a key pair; both work here.",
            ],
        },
        Kind::StrongDm => TokenFacts {
            created_in: "StrongDM Admin UI > Settings > User Management > Provisioning > SCIM Provider: Generic > Activate SCIM",
            max_active: None,
            lifetime: None,
            shown_once: None,
            console_only: true,
            rotation: vec![],
            notes: vec!["Needs the StrongDM Administrator permission level."],
        },
        Kind::Axis => TokenFacts {
            created_in: "Axis Management Console > Settings > Identity Providers > (IdP) > Edit > Advanced Settings > User Auto-Provisioning (SCIM) > Generate new token",
            max_active: None,
            lifetime: Some(Lifetime {
                days: 365,
                source: Source::Vendor,
            }),
            shown_once: Some(true),
            console_only: true,
            rotation: vec![],
            notes: vec!["Tokens are per identity provider."],
        },
        Kind::Generic => TokenFacts {
            created_in: "the service provider's admin console",
            max_active: None,
            lifetime: None,
            shown_once: None,
            console_only: false,
            rotation: vec![],
            notes: vec![],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_allows_two_tokens_of_about_a_year_from_a_secondary_source() {
        let t = token_facts(Kind::Aws);
        assert_eq!(t.max_active, Some(2));
        assert_eq!(
            t.lifetime,
            Some(Lifetime {
                days: 365,
                source: Source::Secondary
            })
        );
        assert!(t.console_only);
        assert!(t.rotation.len() >= 3);
        assert!(t.rotation.iter().any(|s| s.contains("deactivate")));
    }

    #[test]
    fn axis_tokens_last_a_year_and_are_shown_once() {
        let t = token_facts(Kind::Axis);
        assert_eq!(
            t.lifetime,
            Some(Lifetime {
                days: 365,
                source: Source::Vendor
            })
        );
        assert_eq!(t.shown_once, Some(true));
    }

    #[test]
    fn unity_and_strongdm_say_where_the_credential_comes_from() {
        assert!(token_facts(Kind::Unity)
            .notes
            .iter()
            .any(|n| n.contains("SCIM Authenticator")));
        assert!(token_facts(Kind::StrongDm)
            .created_in
            .contains("Settings > User Management > Provisioning"));
        assert_eq!(token_facts(Kind::Generic).lifetime, None);
    }
}
