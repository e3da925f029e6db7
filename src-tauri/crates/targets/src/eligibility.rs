//! Why JumpCloud cannot provision a user or group to a target, as reason codes
//! with a sentence the UI shows verbatim.

use drift::DriftReason;
use jumpcloud::model::SystemUser;
use serde::Serialize;
use ts_rs::TS;

use crate::kind::Kind;
use crate::mapping::{present, present_opt, user_name};
use crate::settings::Settings;

/// Every reason code this crate emits; `code()` is the stable string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "IneligibleReasonCode")]
pub enum ReasonCode {
    MissingUserName,
    /// AWS: userName is the JumpCloud email, so no email means no userName.
    MissingEmail,
    MissingGivenName,
    MissingFamilyName,
    MissingDisplayName,
    /// Unity provisions only users of domains it validated for SSO.
    EmailDomainNotValidated,
    /// JumpCloud does not create groups without members.
    EmptyGroup,
}

impl ReasonCode {
    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::MissingUserName => "missing_user_name",
            ReasonCode::MissingEmail => "missing_email",
            ReasonCode::MissingGivenName => "missing_given_name",
            ReasonCode::MissingFamilyName => "missing_family_name",
            ReasonCode::MissingDisplayName => "missing_display_name",
            ReasonCode::EmailDomainNotValidated => "email_domain_not_validated",
            ReasonCode::EmptyGroup => "empty_group",
        }
    }

    fn reason(self, text: String) -> DriftReason {
        DriftReason {
            code: self.code().to_string(),
            text,
        }
    }
}

/// Reasons this user cannot be provisioned to `kind`; empty when eligible.
pub fn user_reasons(kind: Kind, settings: &Settings, user: &SystemUser) -> Vec<DriftReason> {
    let mut out = Vec::new();
    let vendor = short_name(kind);
    if user_name(kind, user).is_none() {
        out.push(match kind {
            Kind::Aws => ReasonCode::MissingEmail
                .reason("no email: AWS userName is the JumpCloud email".to_string()),
            _ => ReasonCode::MissingUserName
                .reason(format!("no username: {vendor} requires userName")),
        });
    }
    // AWS: "A user missing first name, last name, username or display name is not
    // provisioned." StrongDM: PUT requires active, name.givenName, name.familyName.
    let needs_names = matches!(kind, Kind::Aws | Kind::StrongDm);
    if needs_names && present_opt(&user.firstname).is_none() {
        out.push(
            ReasonCode::MissingGivenName
                .reason(format!("no first name: {vendor} requires givenName")),
        );
    }
    if needs_names && present_opt(&user.lastname).is_none() {
        out.push(
            ReasonCode::MissingFamilyName
                .reason(format!("no last name: {vendor} requires familyName")),
        );
    }
    if kind == Kind::Aws && present_opt(&user.displayname).is_none() {
        out.push(
            ReasonCode::MissingDisplayName
                .reason("no display name: AWS requires displayName".to_string()),
        );
    }
    if kind == Kind::Unity && !settings.validated_domains.is_empty() {
        if let Some(reason) = unity_domain_reason(settings, user) {
            out.push(reason);
        }
    }
    out
}

fn unity_domain_reason(settings: &Settings, user: &SystemUser) -> Option<DriftReason> {
    let Some(email) = present(&user.email) else {
        return Some(ReasonCode::EmailDomainNotValidated.reason(
            "no email: Unity provisions only users with an email in a validated domain".to_string(),
        ));
    };
    let domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().to_ascii_lowercase());
    match domain {
        Some(d) if settings.validated_domains.iter().any(|v| *v == d) => None,
        Some(d) => Some(ReasonCode::EmailDomainNotValidated.reason(format!(
            "email domain {d} is not validated in Unity (validated: {})",
            settings.validated_domains.join(", ")
        ))),
        None => Some(ReasonCode::EmailDomainNotValidated.reason(format!(
            "email {email:?} has no domain: Unity provisions only users in validated domains"
        ))),
    }
}

/// A bound group with no members: JumpCloud does not create it in the target.
pub fn empty_group_reason() -> DriftReason {
    ReasonCode::EmptyGroup.reason("no members: JumpCloud does not create empty groups".to_string())
}

fn short_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Aws => "AWS",
        Kind::Unity => "Unity",
        Kind::StrongDm => "StrongDM",
        Kind::Axis => "Axis",
        Kind::Generic => "SCIM",
    }
}
