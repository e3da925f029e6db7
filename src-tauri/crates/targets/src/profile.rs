//! `Profile`: one target kind plus the admin's settings, with every rule of the
//! crate reachable from it. `ProfileInfo` is its serialisable description for the UI.

use drift::{CompareSpec, Expected};
use jumpcloud::model::{SystemUser, UserGroup};
use jumpcloud::{AppScope, Directory};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use url::Url;

use crate::attributes::{self, AttributeRule, ManagedAttributes};
use crate::auth::{self, AuthKind};
use crate::base_url::{
    self, AWS_TEMPLATE, AXIS_TEMPLATE, GENERIC_TEMPLATE, STRONGDM_URL, UNITY_TEMPLATE,
};
use crate::capabilities::{self, Capabilities};
use crate::eligibility;
use crate::error::{Error, Result};
use crate::expected::{self, Projection};
use crate::kind::Kind;
use crate::mapping;
use crate::settings::Settings;
use crate::tokens::{self, TokenFacts};
use crate::wizard::{self, Wizard};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    kind: Kind,
    settings: Settings,
}

/// Everything static about a target, for the setup wizard and target pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/", rename = "TargetProfileInfo")]
pub struct ProfileInfo {
    pub kind: Kind,
    pub display_name: &'static str,
    pub blurb: &'static str,
    pub url_template: &'static str,
    pub url_note: &'static str,
    /// Set when the URL is fixed (StrongDM).
    pub prefilled_base_url: Option<&'static str>,
    /// The first is the default.
    pub auth_kinds: Vec<AuthKind>,
    pub capabilities: Capabilities,
    pub tokens: TokenFacts,
    pub attribute_rules: Vec<AttributeRule>,
    pub managed_attributes: ManagedAttributes,
    pub default_settings: Settings,
    pub wizard: Wizard,
}

impl Profile {
    /// The profile with the settings the vendor's JumpCloud guide implies.
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            settings: Settings::default_for(kind),
        }
    }

    /// With the admin's settings, normalised (validated domains lower-cased, checked).
    pub fn with_settings(kind: Kind, settings: Settings) -> Result<Self> {
        Ok(Self {
            kind,
            settings: settings.normalized()?,
        })
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn info(&self) -> ProfileInfo {
        let k = self.kind;
        ProfileInfo {
            kind: k,
            display_name: k.display_name(),
            blurb: blurb(k),
            url_template: url_template(k),
            url_note: url_note(k),
            prefilled_base_url: wizard::prefilled_base_url(k),
            auth_kinds: auth::auth_kinds(k).to_vec(),
            capabilities: capabilities::capabilities(k),
            tokens: tokens::token_facts(k),
            attribute_rules: attributes::attribute_rules(k),
            managed_attributes: attributes::managed_attributes(k),
            default_settings: Settings::default_for(k),
            wizard: wizard::wizard(k),
        }
    }

    pub fn normalize_base_url(&self, input: &str) -> Result<Url> {
        base_url::normalize_base_url(self.kind, input)
    }

    pub fn auth_kinds(&self) -> &'static [AuthKind] {
        auth::auth_kinds(self.kind)
    }

    pub fn capabilities(&self) -> Capabilities {
        capabilities::capabilities(self.kind)
    }

    pub fn token_facts(&self) -> TokenFacts {
        tokens::token_facts(self.kind)
    }

    pub fn attribute_rules(&self) -> Vec<AttributeRule> {
        attributes::attribute_rules(self.kind)
    }

    pub fn managed_attributes(&self) -> ManagedAttributes {
        attributes::managed_attributes(self.kind)
    }

    /// What drift compares for this target.
    pub fn compare_spec(&self) -> CompareSpec {
        attributes::compare_spec(self.kind)
    }

    pub fn wizard(&self) -> Wizard {
        wizard::wizard(self.kind)
    }

    /// The SCIM User JSON JumpCloud would push, eligible or not.
    pub fn user_resource(&self, user: &SystemUser) -> Value {
        mapping::user_resource(self.kind, user)
    }

    pub fn group_resource(&self, group: &UserGroup) -> Value {
        mapping::group_resource(group)
    }

    /// Why `user` cannot be provisioned here; empty when it can.
    pub fn user_reasons(&self, user: &SystemUser) -> Vec<drift::DriftReason> {
        eligibility::user_reasons(self.kind, &self.settings, user)
    }

    /// Expected resources plus bound groups JumpCloud would not create.
    pub fn project(&self, dir: &Directory, scope: &AppScope) -> Projection {
        expected::project(self.kind, &self.settings, dir, scope)
    }

    /// What the target should hold for this connector scope.
    pub fn expected(&self, dir: &Directory, scope: &AppScope) -> Expected {
        self.project(dir, scope).expected
    }

    /// [`Self::project`] for the users and groups bound to JumpCloud application `app_id`.
    pub fn project_app(&self, dir: &Directory, app_id: &str) -> Result<Projection> {
        let scope = dir.app_scope(app_id).map_err(|_| Error::AppNotFound {
            app_id: app_id.to_string(),
        })?;
        Ok(self.project(dir, &scope))
    }
}

fn blurb(kind: Kind) -> &'static str {
    match kind {
        Kind::Aws => "Workforce identities for AWS accounts and applications. JumpCloud's IAM Identity Center \
                      connector pushes users and bound groups over SCIM; AWS is strict: first, last and display \
                      names are required and multi-valued attributes must hold one value.",
        Kind::Unity => "Unity Cloud organizations (Enterprise and Industry plans) with SSO. Users must be in \
                        domains Unity validated; Unity deletes users instead of deactivating them.",
        Kind::StrongDm => "StrongDM infrastructure access. JumpCloud groups become StrongDM Roles; user PATCH \
                           can only suspend or reactivate.",
        Kind::Axis => "Axis Security (HPE Aruba Networking SSE) zero-trust access. Users and groups sync per \
                       identity provider; the SCIM token lasts one year.",
        Kind::Generic => "Any SCIM 2.0 service provider (RFC 7643/7644).",
    }
}

fn url_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Aws => AWS_TEMPLATE,
        Kind::Unity => UNITY_TEMPLATE,
        Kind::StrongDm => STRONGDM_URL,
        Kind::Axis => AXIS_TEMPLATE,
        Kind::Generic => GENERIC_TEMPLATE,
    }
}

fn url_note(kind: Kind) -> &'static str {
    match kind {
        Kind::Aws => "Copy the SCIM endpoint from IAM Identity Center > Settings > Automatic provisioning. \
                      The trailing slash is removed.",
        Kind::Unity => "The SCIM base connector URL from Administration > Single sign on; the last part is \
                        the organization (Genesis) id.",
        Kind::StrongDm => "Fixed. The /okta/v2 and /azure/v2 variants share the same logic and are accepted too.",
        Kind::Axis => "Paste the SCIM Service Provider Endpoint as shown in the Axis Management Console. Axis \
                       does not document its pattern, so any https URL is accepted.",
        Kind::Generic => "Any https URL; http only to this computer (localhost) for testing.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_describes_each_target_consistently() {
        for kind in Kind::ALL {
            let p = Profile::new(kind);
            let info = p.info();
            assert_eq!(info.kind, kind);
            assert_eq!(info.auth_kinds, p.auth_kinds());
            assert_eq!(info.default_settings, *p.settings());
            assert!(!info.blurb.is_empty() && !info.url_note.is_empty());
            let json = serde_json::to_value(&info).unwrap();
            assert_eq!(json["kind"], serde_json::to_value(kind).unwrap());
            assert!(json["wizard"]["vendor"]
                .as_array()
                .is_some_and(|s| !s.is_empty()));
        }
        assert_eq!(
            Profile::new(Kind::StrongDm).info().prefilled_base_url,
            Some(STRONGDM_URL)
        );
        assert!(Profile::new(Kind::Axis)
            .info()
            .url_note
            .contains("does not document"));
    }

    #[test]
    fn fixed_and_template_urls_pass_their_own_validation() {
        let strongdm = Profile::new(Kind::StrongDm);
        assert_eq!(
            strongdm
                .normalize_base_url(url_template(Kind::StrongDm))
                .unwrap()
                .as_str(),
            STRONGDM_URL
        );
        // Filling the AWS and Unity templates' placeholders gives a valid URL.
        let aws = AWS_TEMPLATE
            .replace("<region>", "eu-west-1")
            .replace("<tenant id>", "t1");
        assert!(Profile::new(Kind::Aws).normalize_base_url(&aws).is_ok());
        let unity = UNITY_TEMPLATE.replace("<organization id>", "42");
        assert!(Profile::new(Kind::Unity).normalize_base_url(&unity).is_ok());
    }

    #[test]
    fn settings_are_normalised_on_the_way_in() {
        let p = Profile::with_settings(
            Kind::Unity,
            Settings {
                manage_groups: true,
                validated_domains: vec!["@Example.com".into()],
            },
        )
        .unwrap();
        assert_eq!(p.settings().validated_domains, ["example.com"]);
        assert_eq!(
            Profile::with_settings(
                Kind::Unity,
                Settings {
                    manage_groups: false,
                    validated_domains: vec!["nope".into()],
                }
            ),
            Err(Error::InvalidDomain {
                domain: "nope".into()
            })
        );
    }
}
