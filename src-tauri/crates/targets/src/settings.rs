//! Per-target choices the admin makes in the wizard that change what JumpCloud
//! would push (not secrets; those go to the keychain elsewhere).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::kind::Kind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "targets/", rename = "TargetSettings")]
pub struct Settings {
    /// Mirrors JumpCloud's "Enable management of User Groups and Group Membership
    /// in this application" checkbox: off means no groups are pushed.
    pub manage_groups: bool,
    /// Unity: domains validated for SSO, lower case. Empty means "not entered",
    /// and the domain check is skipped rather than failing every user.
    #[serde(default)]
    pub validated_domains: Vec<String>,
}

impl Settings {
    /// What each vendor's JumpCloud guide sets up. Unity's guide says "Don't
    /// enable group management"; the others turn it on.
    pub fn default_for(kind: Kind) -> Self {
        Self {
            manage_groups: kind != Kind::Unity,
            validated_domains: Vec::new(),
        }
    }

    /// Lower-cases the domains, drops a leading `@` or `*.`, blanks and repeats,
    /// and refuses anything that is not a domain name.
    pub fn normalized(mut self) -> Result<Self> {
        let mut out: Vec<String> = Vec::new();
        for raw in &self.validated_domains {
            let d = raw
                .trim()
                .trim_start_matches('@')
                .trim_start_matches("*.")
                .to_ascii_lowercase();
            if d.is_empty() {
                continue;
            }
            if !is_domain(&d) {
                return Err(Error::InvalidDomain {
                    domain: raw.trim().to_string(),
                });
            }
            if !out.contains(&d) {
                out.push(d);
            }
        }
        self.validated_domains = out;
        Ok(self)
    }
}

/// At least two dot-separated labels of letters, digits and inner hyphens.
fn is_domain(d: &str) -> bool {
    let labels: Vec<&str> = d.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_domains(d: &[&str]) -> Settings {
        Settings {
            manage_groups: false,
            validated_domains: d.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn only_unity_starts_with_group_management_off() {
        for kind in Kind::ALL {
            assert_eq!(
                Settings::default_for(kind).manage_groups,
                kind != Kind::Unity,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn domains_are_cleaned_and_deduplicated() {
        let s = with_domains(&[
            " Example.COM ",
            "@example.com",
            "*.corp.example.org",
            "",
            "example.com",
        ])
        .normalized()
        .unwrap();
        assert_eq!(s.validated_domains, vec!["example.com", "corp.example.org"]);
    }

    #[test]
    fn non_domains_are_refused_verbatim() {
        for bad in [
            "localhost",
            "exa mple.com",
            "-a.com",
            "a..com",
            "user@example.com",
            "https://x.com",
        ] {
            assert_eq!(
                with_domains(&[bad]).normalized(),
                Err(Error::InvalidDomain { domain: bad.into() }),
                "{bad}"
            );
        }
    }
}
