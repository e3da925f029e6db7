//! JumpCloud's JSON shapes (v1 `systemuserreturn`, `application`, list envelopes; v2 `UserGroup`,
//! `GraphConnection`, `GraphObjectWithPaths`) and conversions to and from our model. The simulator
//! serialises through these same types, and its contract test checks them against the published specs.

use serde::{Deserialize, Serialize};

use crate::model::{
    Address, Application, CustomAttribute, Organization, PhoneNumber, SystemUser, UserGroup,
    UserState,
};

/// v1 list envelope: `{totalCount, results}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListEnvelope<T> {
    pub total_count: u64,
    pub results: Vec<T>,
}

fn none_if_empty(s: String) -> Option<String> {
    if s.trim().is_empty() {
        None
    } else {
        Some(s)
    }
}

/// JumpCloud sends `null` for some unset fields where the spec says string, bool or array;
/// treat it like an absent field instead of failing the whole page.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WirePhone {
    #[serde(default, deserialize_with = "null_default", rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub number: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireAddress {
    #[serde(default, deserialize_with = "null_default", rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub street_address: String,
    #[serde(default, deserialize_with = "null_default")]
    pub extended_address: String,
    #[serde(default, deserialize_with = "null_default")]
    pub po_box: String,
    #[serde(default, deserialize_with = "null_default")]
    pub locality: String,
    #[serde(default, deserialize_with = "null_default")]
    pub region: String,
    #[serde(default, deserialize_with = "null_default")]
    pub postal_code: String,
    #[serde(default, deserialize_with = "null_default")]
    pub country: String,
}

/// v1 `systemuserreturn`, reduced to the fields we read. JumpCloud sends `""` for unset strings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WireSystemUser {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub username: String,
    #[serde(default, deserialize_with = "null_default")]
    pub email: String,
    #[serde(default, deserialize_with = "null_default")]
    pub firstname: String,
    #[serde(default, deserialize_with = "null_default")]
    pub middlename: String,
    #[serde(default, deserialize_with = "null_default")]
    pub lastname: String,
    #[serde(default, deserialize_with = "null_default")]
    pub displayname: String,
    #[serde(default, deserialize_with = "null_default", rename = "phoneNumbers")]
    pub phone_numbers: Vec<WirePhone>,
    #[serde(default, deserialize_with = "null_default")]
    pub addresses: Vec<WireAddress>,
    #[serde(
        default,
        deserialize_with = "null_default",
        rename = "employeeIdentifier"
    )]
    pub employee_identifier: String,
    #[serde(default, deserialize_with = "null_default", rename = "employeeType")]
    pub employee_type: String,
    #[serde(default, deserialize_with = "null_default")]
    pub department: String,
    #[serde(default, deserialize_with = "null_default")]
    pub company: String,
    #[serde(default, deserialize_with = "null_default", rename = "jobTitle")]
    pub job_title: String,
    #[serde(default, deserialize_with = "null_default", rename = "costCenter")]
    pub cost_center: String,
    #[serde(default, deserialize_with = "null_default")]
    pub location: String,
    #[serde(default, deserialize_with = "null_default")]
    pub manager: String,
    #[serde(default, deserialize_with = "null_default")]
    pub attributes: Vec<CustomAttribute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub suspended: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub activated: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub account_locked: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub password_expired: bool,
    // x-nullable in the spec: JumpCloud may send null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_expiration_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

impl From<&SystemUser> for WireSystemUser {
    fn from(u: &SystemUser) -> Self {
        WireSystemUser {
            id: u.id.clone(),
            username: u.username.clone(),
            email: u.email.clone(),
            firstname: opt(&u.firstname),
            middlename: opt(&u.middlename),
            lastname: opt(&u.lastname),
            displayname: opt(&u.displayname),
            phone_numbers: u
                .phone_numbers
                .iter()
                .map(|p| WirePhone {
                    kind: p.kind.clone(),
                    number: p.number.clone(),
                })
                .collect(),
            addresses: u
                .addresses
                .iter()
                .map(|a| WireAddress {
                    kind: a.kind.clone(),
                    street_address: opt(&a.street_address),
                    extended_address: opt(&a.extended_address),
                    po_box: opt(&a.po_box),
                    locality: opt(&a.locality),
                    region: opt(&a.region),
                    postal_code: opt(&a.postal_code),
                    country: opt(&a.country),
                })
                .collect(),
            employee_identifier: opt(&u.employee_identifier),
            employee_type: opt(&u.employee_type),
            department: opt(&u.department),
            company: opt(&u.company),
            job_title: opt(&u.job_title),
            cost_center: opt(&u.cost_center),
            location: opt(&u.location),
            manager: opt(&u.manager),
            attributes: u.attributes.clone(),
            state: Some(u.state.as_str().to_string()),
            suspended: u.suspended,
            activated: u.activated,
            account_locked: u.account_locked,
            password_expired: u.password_expired,
            password_expiration_date: u.password_expiration_date.clone(),
            created: u.created.clone(),
        }
    }
}

impl WireSystemUser {
    /// Converts to the model. An unknown `state` is an error rather than a guess, because state decides
    /// who is provisioned as active.
    pub fn into_model(self) -> Result<SystemUser, String> {
        let state = match self.state.as_deref() {
            None | Some("") => {
                // Older records lack `state`; `suspended` is then the only signal.
                if self.suspended {
                    UserState::Suspended
                } else {
                    UserState::Activated
                }
            }
            Some(s) => UserState::parse(s)
                .ok_or_else(|| format!("user {}: unknown state {s:?}", self.id))?,
        };
        Ok(SystemUser {
            id: self.id,
            username: self.username,
            email: self.email,
            firstname: none_if_empty(self.firstname),
            middlename: none_if_empty(self.middlename),
            lastname: none_if_empty(self.lastname),
            displayname: none_if_empty(self.displayname),
            phone_numbers: self
                .phone_numbers
                .into_iter()
                .map(|p| PhoneNumber {
                    kind: p.kind,
                    number: p.number,
                })
                .collect(),
            addresses: self
                .addresses
                .into_iter()
                .map(|a| Address {
                    kind: a.kind,
                    street_address: none_if_empty(a.street_address),
                    extended_address: none_if_empty(a.extended_address),
                    po_box: none_if_empty(a.po_box),
                    locality: none_if_empty(a.locality),
                    region: none_if_empty(a.region),
                    postal_code: none_if_empty(a.postal_code),
                    country: none_if_empty(a.country),
                })
                .collect(),
            employee_identifier: none_if_empty(self.employee_identifier),
            employee_type: none_if_empty(self.employee_type),
            department: none_if_empty(self.department),
            company: none_if_empty(self.company),
            job_title: none_if_empty(self.job_title),
            cost_center: none_if_empty(self.cost_center),
            location: none_if_empty(self.location),
            manager: none_if_empty(self.manager),
            attributes: self.attributes,
            state,
            suspended: self.suspended,
            activated: self.activated,
            account_locked: self.account_locked,
            password_expired: self.password_expired,
            password_expiration_date: self.password_expiration_date.and_then(none_if_empty),
            created: self.created.and_then(none_if_empty),
        })
    }
}

/// v2 `UserGroup`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireUserGroup {
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl From<&UserGroup> for WireUserGroup {
    fn from(g: &UserGroup) -> Self {
        WireUserGroup {
            id: g.id.clone(),
            name: g.name.clone(),
            description: g.description.clone(),
            email: g.email.clone(),
            kind: Some(g.kind.clone()),
        }
    }
}

impl From<WireUserGroup> for UserGroup {
    fn from(g: WireUserGroup) -> Self {
        UserGroup {
            id: g.id,
            name: g.name,
            description: g.description.and_then(none_if_empty),
            email: g.email.and_then(none_if_empty),
            kind: g.kind.unwrap_or_else(|| "user_group".into()),
        }
    }
}

/// v1 `application`, reduced.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireApplication {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_label: Option<String>,
    /// Required by the spec (may be empty).
    #[serde(default, deserialize_with = "null_default")]
    pub sso_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// SAML/SSO settings; required by the spec, unused here (SAML has its own crate).
    #[serde(default = "empty_object")]
    pub config: serde_json::Value,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

impl From<&Application> for WireApplication {
    fn from(a: &Application) -> Self {
        WireApplication {
            id: a.id.clone(),
            name: a.name.clone(),
            display_name: a.display_name.clone(),
            display_label: a.display_label.clone(),
            sso_url: opt(&a.sso_url),
            description: a.description.clone(),
            active: Some(a.active),
            config: empty_object(),
        }
    }
}

impl From<WireApplication> for Application {
    fn from(a: WireApplication) -> Self {
        Application {
            id: a.id,
            name: a.name,
            display_name: a.display_name.and_then(none_if_empty),
            display_label: a.display_label.and_then(none_if_empty),
            sso_url: none_if_empty(a.sso_url),
            description: a.description.and_then(none_if_empty),
            active: a.active.unwrap_or(true),
        }
    }
}

/// An item of v1 `organizationslist.results`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireOrganization {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub display_name: String,
}

impl From<WireOrganization> for Organization {
    fn from(o: WireOrganization) -> Self {
        Organization {
            id: o.id,
            display_name: o.display_name,
        }
    }
}

/// v2 `GraphObject`: a typed reference to a node of JumpCloud's graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphObject {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl GraphObject {
    pub fn user(id: &str) -> Self {
        GraphObject {
            id: id.to_string(),
            kind: GRAPH_USER.to_string(),
        }
    }

    pub fn user_group(id: &str) -> Self {
        GraphObject {
            id: id.to_string(),
            kind: GRAPH_USER_GROUP.to_string(),
        }
    }

    pub fn application(id: &str) -> Self {
        GraphObject {
            id: id.to_string(),
            kind: "application".to_string(),
        }
    }
}

pub const GRAPH_USER: &str = "user";
pub const GRAPH_USER_GROUP: &str = "user_group";

/// v2 `GraphConnection`: an edge; `to` is the member for `/usergroups/{id}/members`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GraphConnection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<GraphObject>,
    pub to: GraphObject,
}

/// v2 `GraphObjectWithPaths`: a node reached through one or more paths. A path of one edge means
/// a direct relation; longer paths go through groups.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GraphObjectWithPaths {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub paths: Vec<Vec<GraphConnection>>,
}

impl GraphObjectWithPaths {
    pub fn is_direct(&self) -> bool {
        self.paths.iter().any(|p| p.len() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_world_user_with_nulls_and_extra_fields_decodes() {
        let json = r#"{
            "_id": "5f1a2b3c4d5e6f7081920a1b", "username": "jdoe", "email": "jdoe@example.com",
            "firstname": "Jane", "middlename": null, "lastname": "", "displayname": null,
            "phoneNumbers": null, "addresses": [{"type": "home", "locality": "Oslo", "country": null}],
            "attributes": [{"name": "costCenter", "value": "42"}], "manager": null,
            "state": "SUSPENDED", "suspended": true, "activated": null, "account_locked": false,
            "password_expired": false, "password_expiration_date": null,
            "mfa": {"configured": false}, "sshKeys": [], "unix_uid": 5001
        }"#;
        let wire: WireSystemUser = serde_json::from_str(json).unwrap();
        let u = wire.into_model().unwrap();
        assert_eq!(u.firstname.as_deref(), Some("Jane"));
        assert_eq!(
            (&u.middlename, &u.lastname, &u.displayname),
            (&None, &None, &None)
        );
        assert!(u.phone_numbers.is_empty());
        assert_eq!(u.addresses[0].locality.as_deref(), Some("Oslo"));
        assert_eq!(u.addresses[0].country, None);
        assert_eq!(u.state, UserState::Suspended);
        assert!(!u.activated && u.suspended && !u.scim_active());
        assert_eq!(u.custom_attribute("costCenter"), Some("42"));
    }

    #[test]
    fn unknown_state_is_an_error_not_a_guess() {
        let wire: WireSystemUser =
            serde_json::from_str(r#"{"_id": "a", "state": "ARCHIVED"}"#).unwrap();
        assert!(wire.into_model().unwrap_err().contains("ARCHIVED"));
    }

    #[test]
    fn model_to_wire_and_back_is_lossless() {
        let u = SystemUser {
            id: "a1".into(),
            username: "zoe".into(),
            email: "zoe@example.com".into(),
            firstname: Some("Zoë".into()),
            phone_numbers: vec![PhoneNumber {
                kind: "mobile".into(),
                number: "+1".into(),
            }],
            state: UserState::Staged,
            password_expiration_date: Some("2026-01-01T00:00:00.000Z".into()),
            ..Default::default()
        };
        let json = serde_json::to_value(WireSystemUser::from(&u)).unwrap();
        assert_eq!(json["_id"], "a1");
        assert_eq!(json["phoneNumbers"][0]["number"], "+1");
        let back: WireSystemUser = serde_json::from_value(json).unwrap();
        assert_eq!(back.into_model().unwrap(), u);
    }
}
