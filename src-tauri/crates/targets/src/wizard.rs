//! Setup wizard content per target, as data the UI renders: the vendor-side
//! steps (get a URL and a credential) and the JumpCloud-side steps (configure
//! the connector and bind groups). Text follows the vendors' own guides.

use serde::Serialize;
use ts_rs::TS;

use crate::base_url::STRONGDM_URL;
use crate::kind::Kind;

pub use crate::field::FieldId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/", rename = "WizardStep")]
pub struct Step {
    pub title: &'static str,
    pub body: &'static str,
    pub fields: Vec<FieldId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/", rename = "TargetWizard")]
pub struct Wizard {
    pub vendor: Vec<Step>,
    pub jumpcloud: Vec<Step>,
}

fn step(title: &'static str, body: &'static str, fields: &[FieldId]) -> Step {
    Step {
        title,
        body,
        fields: fields.to_vec(),
    }
}

/// JumpCloud's Test Connection, the same for every connector.
const TEST_CONNECTION: &str = "Enter a Test User Email and select Test Connection. JumpCloud creates a test user \
with that email and a test group in the target, then deletes both if the target supports DELETE; otherwise the \
test user is deactivated and left behind. Use an address that exists neither in JumpCloud nor in the target.";

const BIND_GROUPS: &str = "On the User Groups tab, check the user groups whose members should be provisioned, \
then select Save. JumpCloud provisions users through groups; groups without members are not created.";

pub fn wizard(kind: Kind) -> Wizard {
    use FieldId::*;
    match kind {
        Kind::Aws => Wizard {
            vendor: vec![
                step(
                    "Open IAM Identity Center settings",
                    "Open the IAM Identity Center console (https://console.aws.amazon.com/singlesignon) and choose \
                     Settings in the left navigation pane.",
                    &[],
                ),
                step(
                    "Enable automatic provisioning",
                    "In the Automatic provisioning box choose Enable. The Inbound automatic provisioning dialog \
                     shows the SCIM endpoint and an access token.",
                    &[],
                ),
                step(
                    "Copy the SCIM endpoint",
                    "Paste the SCIM endpoint here. It looks like https://scim.<region>.amazonaws.com/<tenant id>/scim/v2; \
                     the trailing slash is removed, as JumpCloud needs.",
                    &[BaseUrl],
                ),
                step(
                    "Copy the access token",
                    "Paste the access token here, then choose Close. A directory holds at most two tokens, and they \
                     are reported to expire after about a year.",
                    &[Token],
                ),
            ],
            jumpcloud: vec![
                step(
                    "Open the IAM Identity Center connector",
                    "In the JumpCloud Admin Portal open Access > SSO Applications (User Authentication > SSO in older \
                     consoles) and select the IAM Identity Center application set up for SAML.",
                    &[],
                ),
                step(
                    "Identity Management tab",
                    "Choose the Identity Management tab. Check \"Enable management of User Groups and Group \
                     Membership in this application\" if groups should sync, then select Configure.",
                    &[],
                ),
                step(
                    "Base URL and Token Key",
                    "Paste the SCIM endpoint into Base URL without the trailing slash, and the access token into \
                     Token Key.",
                    &[BaseUrl, Token],
                ),
                step("Test the connection", TEST_CONNECTION, &[]),
                step(
                    "Activate",
                    "Select Activate and check the green indicator. Renewing the token later means deactivating and \
                     reactivating this integration.",
                    &[],
                ),
                step(
                    "Bind user groups",
                    "On the User Groups tab check the groups to provision and select Save. Only groups bound to this \
                     connector are synchronised to AWS; users also need a first name, last name and display name.",
                    &[],
                ),
                step(
                    "Verify in IAM Identity Center",
                    "Return to the IAM Identity Center console and choose Users: the users synchronised from \
                     JumpCloud appear on the Users page, ready to be assigned to AWS accounts.",
                    &[],
                ),
            ],
        },
        Kind::Unity => Wizard {
            vendor: vec![
                step(
                    "Switch to the organization",
                    "In the Unity Dashboard select your organization name, then Switch organization, and pick the \
                     organization to provision. SSO must be set up and the users' domains validated.",
                    &[],
                ),
                step(
                    "Create a service account",
                    "Go to Administration > Service accounts, select New, enter a name and description, and select \
                     Create.",
                    &[],
                ),
                step(
                    "Give it the SCIM Authenticator role",
                    "In Organization Roles select Manage Organization Roles, set Admin to SCIM Authenticator, and \
                     select Save.",
                    &[],
                ),
                step(
                    "Create a key",
                    "In the Keys section select Add key and copy the key ID and secret key. If Unity issued a \
                     long-lived bearer token instead, use bearer authentication.",
                    &[KeyId, SecretKey],
                ),
                step(
                    "Copy the SCIM base connector URL",
                    "Go to Administration > Single sign on and copy the SCIM base connector URL from the SCIM section: \
                     https://services.api.unity.com/scim/v2/tenants/<organization id>.",
                    &[BaseUrl],
                ),
                step(
                    "List the validated domains",
                    "Enter the email domains Unity validated for SSO. Users with an email in any other domain are not \
                     provisioned.",
                    &[ValidatedDomains],
                ),
            ],
            jumpcloud: vec![
                step(
                    "Open the Unity SSO application",
                    "In JumpCloud go to Access > SSO Applications and select your Unity SSO application.",
                    &[],
                ),
                step(
                    "Identity Management settings",
                    "On the Identity Management tab set API type SCIM API, SCIM version SCIM 2.0, Authentication method \
                     API Key, Base URL the SCIM base connector URL, Authorization header name Authorization, and \
                     Authorization header value \"Basic <base64(key ID:secret key)>\" (shown here; paste only the value, \
                     not \"Authorization:\").",
                    &[BaseUrl, KeyId, SecretKey],
                ),
                step(
                    "Test the connection",
                    "The Test User Email must be new to both Unity and JumpCloud and within a domain validated for SSO \
                     in Unity. Select Test Connection: JumpCloud creates a test user and a test group, deleting them if \
                     the target supports DELETE, otherwise deactivating the test user.",
                    &[],
                ),
                step(
                    "Leave group management off and activate",
                    "Unity's JumpCloud guide says not to enable group management. Unity now supports groups (looked up \
                     by displayName, members must be provisioned users), but only Okta is verified. Select Activate.",
                    &[],
                ),
                step("Bind user groups", BIND_GROUPS, &[]),
            ],
        },
        Kind::StrongDm => Wizard {
            vendor: vec![
                step(
                    "Open provisioning settings",
                    "Log in to the StrongDM Admin UI as an Administrator and go to Settings > User Management, \
                     Provisioning section.",
                    &[],
                ),
                step(
                    "Activate SCIM for Generic",
                    "From the SCIM Provider dropdown select Generic, then click Activate SCIM.",
                    &[],
                ),
                step("Copy the token", "Copy and save the generated token, and paste it here.", &[Token]),
                step(
                    "Base URL",
                    "The base URL is fixed: https://app.strongdm.com/provisioning/generic/v2 (the okta and azure paths \
                     share the same logic).",
                    &[BaseUrl],
                ),
            ],
            jumpcloud: vec![
                step(
                    "Add the StrongDM app",
                    "In the JumpCloud Console go to User Authentication > SSO, select + and pick StrongDM. Click \
                     configure, then Save. On General Info enter a Display Label; on Bookmark enter \
                     https://app.strongdm.com/app/login and activate.",
                    &[],
                ),
                step(
                    "Identity Management tab",
                    "Open the Identity Management tab and click configure. Make sure \"Enable management of User Groups \
                     and Group Membership in this application\" is checked: JumpCloud groups become StrongDM Roles.",
                    &[],
                ),
                step(
                    "Base URL and token",
                    "Enter https://app.strongdm.com/provisioning/generic/v2 as Base URL and the StrongDM SCIM token in \
                     the Token field.",
                    &[BaseUrl, Token],
                ),
                step("Test the connection", TEST_CONNECTION, &[]),
                step("Activate", "Click Activate, then Save if asked.", &[]),
                step(
                    "Bind user groups",
                    "On the User Groups tab check each group that should have access and click Save. JumpCloud syncs \
                     groups of users, not individual users; users need a first and last name.",
                    &[],
                ),
            ],
        },
        Kind::Axis => Wizard {
            vendor: vec![
                step(
                    "Edit the JumpCloud identity provider",
                    "In the Axis Management Console go to Settings > Identity Providers, hover over the JumpCloud \
                     identity provider and select Edit.",
                    &[],
                ),
                step(
                    "Generate a SCIM token",
                    "Open Advanced Settings > User Auto-Provisioning (SCIM) and click Generate new token.",
                    &[],
                ),
                step(
                    "Copy the endpoint and token",
                    "Copy the SCIM Service Provider Endpoint and the SCIM Provisioning Token. The token is valid for \
                     one year and shown only once. Axis does not document the endpoint's shape, so it is taken as \
                     copied.",
                    &[BaseUrl, Token],
                ),
            ],
            jumpcloud: vec![
                step(
                    "Open the matching SSO application",
                    "In the JumpCloud Console go to SSO and select the application that corresponds to the identity \
                     provider in Axis.",
                    &[],
                ),
                step(
                    "Identity Management tab",
                    "Select API Type SCIM API and SCIM Version SCIM 2.0. Paste the SCIM Service Provider Endpoint into \
                     Base URL and the token into Token Key. Check \"Enable management of User Groups and Group \
                     Membership in this application\" to sync groups.",
                    &[BaseUrl, Token],
                ),
                step(
                    "Test the connection",
                    "Type any address as Test User Email: Axis's guide says it is used for testing only and is not \
                     provisioned, so it need not exist in JumpCloud or in Axis. Click Test Connection and wait for \
                     the notification that the connection was verified.",
                    &[],
                ),
                step("Activate and save", "Click Activate, then Save.", &[]),
                step("Bind user groups", BIND_GROUPS, &[]),
                step(
                    "Verify in Axis",
                    "Provisioning starts shortly after activation and can take several minutes. In the Axis \
                     Management Console go to Settings > Identity Providers: the JumpCloud identity provider shows \
                     the number of synchronised users and groups; compare them with the users and groups bound in \
                     JumpCloud. Then open Settings > Provisioned Users and check the users on the Users tab and the \
                     groups on the User Groups tab.",
                    &[],
                ),
            ],
        },
        Kind::Generic => Wizard {
            vendor: vec![step(
                "Get the SCIM endpoint and credential",
                "In the service provider's admin console enable SCIM 2.0 provisioning and copy its base URL (the part \
                 before /Users) and token. If it expects the credential in a header other than Authorization, enter \
                 that header's name.",
                &[BaseUrl, Token, HeaderName],
            )],
            jumpcloud: vec![
                step(
                    "Add a custom SCIM application",
                    "In JumpCloud go to Access > SSO Applications, select + Add New Application and configure a custom \
                     SCIM integration (or select the app if it is already configured).",
                    &[],
                ),
                step(
                    "Identity Management settings",
                    "Select SCIM API and SCIM 2.0, enter the Base URL and Token Key, and check \"Enable management of \
                     User Groups and Group Membership in this application\" if the server supports groups.",
                    &[BaseUrl, Token],
                ),
                step("Test the connection", TEST_CONNECTION, &[]),
                step("Activate", "Select Activate, then Save.", &[]),
                step("Bind user groups", BIND_GROUPS, &[]),
            ],
        },
    }
}

/// The fixed StrongDM URL, for the UI to prefill.
pub fn prefilled_base_url(kind: Kind) -> Option<&'static str> {
    (kind == Kind::StrongDm).then_some(STRONGDM_URL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::auth_kinds;
    use crate::settings::Settings;

    fn asked(steps: &[Step]) -> Vec<FieldId> {
        steps
            .iter()
            .flat_map(|s| s.fields.iter().copied())
            .collect()
    }

    #[test]
    fn vendor_steps_ask_for_the_url_and_every_credential_field() {
        for kind in Kind::ALL {
            let w = wizard(kind);
            let fields = asked(&w.vendor);
            assert!(fields.contains(&FieldId::BaseUrl), "{kind:?}");
            for f in auth_kinds(kind)[0].fields() {
                assert!(fields.contains(f), "{kind:?} never asks for {f:?}");
            }
        }
        assert!(asked(&wizard(Kind::Unity).vendor).contains(&FieldId::ValidatedDomains));
        assert!(asked(&wizard(Kind::Generic).vendor).contains(&FieldId::HeaderName));
    }

    #[test]
    fn jumpcloud_steps_cover_test_connection_groups_checkbox_and_binding() {
        for kind in Kind::ALL {
            let w = wizard(kind);
            let text: String = w
                .jumpcloud
                .iter()
                .map(|s| format!("{} {}\n", s.title, s.body))
                .collect();
            assert!(text.contains("Test User Email"), "{kind:?}");
            // Axis's guide says its test email is not provisioned; see the Axis test below.
            if kind != Kind::Axis {
                assert!(text.contains("test group"), "{kind:?}");
            }
            assert!(text.contains("User Groups tab"), "{kind:?}");
            assert!(asked(&w.jumpcloud).contains(&FieldId::BaseUrl), "{kind:?}");
            let checkbox = text.contains("Enable management of User Groups and Group Membership");
            assert_eq!(
                checkbox,
                Settings::default_for(kind).manage_groups,
                "{kind:?}"
            );
            assert!(w
                .vendor
                .iter()
                .chain(&w.jumpcloud)
                .all(|s| !s.title.is_empty() && !s.body.is_empty()));
        }
        let unity: String = wizard(Kind::Unity)
            .jumpcloud
            .iter()
            .map(|s| s.body)
            .collect();
        assert!(unity.contains("validated"));
        assert!(unity.contains("not to enable group management"));
    }

    fn all_text(steps: &[Step]) -> String {
        steps
            .iter()
            .map(|s| format!("{} {}\n", s.title, s.body))
            .collect()
    }

    /// Axis's guide (seed 004): the Test User Email "is used for testing only and won't be
    /// provisioned". No Axis step may also say that a test user is created, deactivated or
    /// left behind in the target.
    #[test]
    fn axis_steps_never_say_the_test_email_is_both_provisioned_and_not() {
        let text = all_text(&wizard(Kind::Axis).jumpcloud).to_lowercase();
        assert!(text.contains("not provisioned"), "{text}");
        for claim in [
            "creates a test user",
            "test user is deactivated",
            "left behind",
            "test group",
            "deleting them",
        ] {
            assert!(
                !text.contains(claim),
                "Axis steps contradict themselves: {claim:?}"
            );
        }
        // The shared wording does say it, so Axis must not use it.
        assert!(TEST_CONNECTION.contains("creates a test user"));
    }

    /// The seeds' verification steps come last, after binding the groups.
    #[test]
    fn aws_and_axis_end_with_the_seeds_verification_steps() {
        let aws = wizard(Kind::Aws).jumpcloud;
        let last = aws.last().unwrap();
        assert!(
            last.body.contains("IAM Identity Center console"),
            "{}",
            last.body
        );
        assert!(last.body.contains("Users page"), "{}", last.body);

        let axis = wizard(Kind::Axis).jumpcloud;
        let last = axis.last().unwrap();
        for needle in [
            "several minutes",
            "Settings > Identity Providers",
            "number of synchronised users and groups",
            "compare",
            "Settings > Provisioned Users",
            "Users tab",
            "User Groups tab",
        ] {
            assert!(
                last.body.contains(needle),
                "Axis verification lacks {needle:?}: {}",
                last.body
            );
        }
        let bind = axis
            .iter()
            .position(|s| s.title == "Bind user groups")
            .unwrap();
        assert_eq!(bind + 1, axis.len() - 1, "verification follows the binding");
    }

    #[test]
    fn steps_serialise_for_the_ui() {
        let v = serde_json::to_value(wizard(Kind::Aws)).unwrap();
        assert_eq!(v["vendor"][2]["fields"], serde_json::json!(["base_url"]));
        assert_eq!(prefilled_base_url(Kind::StrongDm), Some(STRONGDM_URL));
        assert_eq!(prefilled_base_url(Kind::Aws), None);
    }
}
