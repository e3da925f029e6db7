//! Why JumpCloud cannot provision a user or group to a target, as reason codes
//! with a sentence the UI shows verbatim.

use drift::DriftReason;
use jumpcloud::model::{SystemUser, UserState};
use serde::Serialize;
use ts_rs::TS;

use crate::kind::Kind;
use crate::mapping::{present, present_opt, user_name};
use crate::settings::Settings;

/// Every reason code this crate emits; `code()` is the stable string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "targets/", rename = "IneligibleReasonCode")]
pub enum ReasonCode {
    MissingUserName,
    /// AWS: userName is the JumpCloud email, so no email means no userName.
    MissingEmail,
    MissingGivenName,
    MissingFamilyName,
    MissingDisplayName,
    /// Unity provisions only users of domains it validated for SSO.
    EmailDomainNotValidated,
    /// JumpCloud gives staged users no access to assigned resources until activated.
    UserStaged,
    /// JumpCloud does not create groups without members.
    EmptyGroup,
    /// StrongDM: JumpCloud syncs groups of users, not users bound to the app one by one.
    DirectBindingNotSynced,
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
            ReasonCode::UserStaged => "user_staged",
            ReasonCode::EmptyGroup => "empty_group",
            ReasonCode::DirectBindingNotSynced => "direct_binding_not_synced",
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
    // "If the user is created in a Staged user state, they will not gain access to
    // their assigned resources until they are activated" (JumpCloud, Get Started: Users).
    if user.state == UserState::Staged {
        out.push(ReasonCode::UserStaged.reason(
            "staged in JumpCloud: not provisioned until the user is activated".to_string(),
        ));
    }
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
        Some(d) if settings.validated_domains.contains(&d) => None,
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

/// StrongDM's JumpCloud guide: "JumpCloud syncs groups of users and not individual users".
pub fn direct_binding_reason() -> DriftReason {
    ReasonCode::DirectBindingNotSynced.reason(
        "bound to the app directly, not through a group: JumpCloud syncs groups of users to StrongDM, not individual users".to_string(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bare, jane, named};

    fn codes(kind: Kind, settings: &Settings, user: &SystemUser) -> Vec<String> {
        user_reasons(kind, settings, user)
            .into_iter()
            .map(|r| r.code)
            .collect()
    }

    fn default(kind: Kind) -> Settings {
        Settings::default_for(kind)
    }

    fn unity(domains: &[&str]) -> Settings {
        Settings {
            manage_groups: false,
            validated_domains: domains.iter().map(|d| d.to_string()).collect(),
        }
        .normalized()
        .unwrap()
    }

    #[test]
    fn a_complete_user_is_eligible_everywhere() {
        for kind in Kind::ALL {
            let s = if kind == Kind::Unity {
                unity(&["example.com"])
            } else {
                default(kind)
            };
            assert!(user_reasons(kind, &s, &jane()).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn aws_requires_given_family_and_display_name_with_exact_texts() {
        let reasons = user_reasons(
            Kind::Aws,
            &default(Kind::Aws),
            &bare("u1", "amy", "amy@example.com"),
        );
        let pairs: Vec<(&str, &str)> = reasons
            .iter()
            .map(|r| (r.code.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (
                    "missing_given_name",
                    "no first name: AWS requires givenName"
                ),
                (
                    "missing_family_name",
                    "no last name: AWS requires familyName"
                ),
                (
                    "missing_display_name",
                    "no display name: AWS requires displayName"
                ),
            ]
        );
        let mut only_last_missing = jane();
        only_last_missing.lastname = Some(" ".into());
        assert_eq!(
            codes(Kind::Aws, &default(Kind::Aws), &only_last_missing),
            vec!["missing_family_name"]
        );
    }

    #[test]
    fn aws_needs_an_email_because_it_is_the_user_name() {
        let mut u = jane();
        u.email = String::new();
        let reasons = user_reasons(Kind::Aws, &default(Kind::Aws), &u);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons[0].code, "missing_email");
        assert_eq!(
            reasons[0].text,
            "no email: AWS userName is the JumpCloud email"
        );
        // Elsewhere userName is the username, so a missing email is no obstacle.
        assert!(user_reasons(Kind::Generic, &default(Kind::Generic), &u).is_empty());
    }

    #[test]
    fn a_missing_username_blocks_every_target_but_aws() {
        let mut u = jane();
        u.username = "  ".into();
        for kind in [Kind::Generic, Kind::Axis, Kind::StrongDm, Kind::Unity] {
            assert_eq!(
                codes(kind, &default(kind), &u),
                vec!["missing_user_name"],
                "{kind:?}"
            );
        }
        assert!(codes(Kind::Aws, &default(Kind::Aws), &u).is_empty());
        let text = &user_reasons(Kind::StrongDm, &default(Kind::StrongDm), &u)[0].text;
        assert_eq!(text, "no username: StrongDM requires userName");
    }

    #[test]
    fn strongdm_requires_given_and_family_name_but_not_display_name() {
        let u = bare("u1", "amy", "amy@example.com");
        let reasons = user_reasons(Kind::StrongDm, &default(Kind::StrongDm), &u);
        let pairs: Vec<(&str, &str)> = reasons
            .iter()
            .map(|r| (r.code.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (
                    "missing_given_name",
                    "no first name: StrongDM requires givenName"
                ),
                (
                    "missing_family_name",
                    "no last name: StrongDM requires familyName"
                ),
            ]
        );
        let mut no_display = named("u2", "Amy", "Lee");
        no_display.displayname = None;
        assert!(codes(Kind::StrongDm, &default(Kind::StrongDm), &no_display).is_empty());
    }

    #[test]
    fn generic_axis_and_unity_accept_users_without_names() {
        let u = bare("u1", "amy", "amy@example.com");
        for kind in [Kind::Generic, Kind::Axis, Kind::Unity] {
            assert!(codes(kind, &default(kind), &u).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn unity_requires_a_validated_email_domain() {
        let s = unity(&["Example.com", "corp.example.org"]);
        let ok = bare("u1", "amy", "Amy@EXAMPLE.com");
        assert!(codes(Kind::Unity, &s, &ok).is_empty());
        assert!(codes(Kind::Unity, &s, &bare("u2", "bo", "bo@corp.example.org")).is_empty());

        let outside = user_reasons(Kind::Unity, &s, &bare("u3", "cy", "cy@gmail.com"));
        assert_eq!(outside.len(), 1);
        assert_eq!(outside[0].code, "email_domain_not_validated");
        assert_eq!(
            outside[0].text,
            "email domain gmail.com is not validated in Unity (validated: example.com, corp.example.org)"
        );
        // A subdomain is a different domain for validation.
        assert_eq!(
            codes(Kind::Unity, &s, &bare("u4", "di", "di@eu.example.com")),
            vec!["email_domain_not_validated"]
        );
        assert_eq!(
            codes(Kind::Unity, &s, &bare("u5", "ed", "not-an-email")),
            vec!["email_domain_not_validated"]
        );
        assert_eq!(
            codes(Kind::Unity, &s, &bare("u6", "fa", "")),
            vec!["email_domain_not_validated"]
        );
    }

    #[test]
    fn unity_skips_the_domain_check_until_domains_are_entered() {
        assert!(codes(
            Kind::Unity,
            &default(Kind::Unity),
            &bare("u3", "cy", "cy@gmail.com")
        )
        .is_empty());
        // Other targets never check domains.
        let s = Settings {
            manage_groups: true,
            validated_domains: vec!["example.com".into()],
        };
        assert!(codes(Kind::Generic, &s, &bare("u3", "cy", "cy@gmail.com")).is_empty());
    }

    #[test]
    fn staged_users_wait_for_activation_on_every_target() {
        let staged = SystemUser {
            state: UserState::Staged,
            ..jane()
        };
        for kind in Kind::ALL {
            let s = if kind == Kind::Unity {
                unity(&["example.com"])
            } else {
                default(kind)
            };
            let reasons = user_reasons(kind, &s, &staged);
            assert_eq!(reasons.len(), 1, "{kind:?}");
            assert_eq!(reasons[0].code, "user_staged");
            assert_eq!(
                reasons[0].text,
                "staged in JumpCloud: not provisioned until the user is activated"
            );
        }
    }

    #[test]
    fn empty_group_reason_has_its_code() {
        let r = empty_group_reason();
        assert_eq!(r.code, ReasonCode::EmptyGroup.code());
        assert_eq!(r.code, "empty_group");
        assert!(r.text.contains("empty groups"));
    }

    #[test]
    fn reason_codes_serialise_as_their_code_strings() {
        let all = [
            ReasonCode::MissingUserName,
            ReasonCode::MissingEmail,
            ReasonCode::MissingGivenName,
            ReasonCode::MissingFamilyName,
            ReasonCode::MissingDisplayName,
            ReasonCode::EmailDomainNotValidated,
            ReasonCode::UserStaged,
            ReasonCode::EmptyGroup,
        ];
        for c in all {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::json!(c.code())
            );
        }
    }
}
