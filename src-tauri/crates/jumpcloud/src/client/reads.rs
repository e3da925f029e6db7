//! One method per JumpCloud read the app needs.

use serde::Serialize;

use super::Client;
use crate::directory::GroupMembers;
use crate::error::{Error, Result};
use crate::model::{Application, Organization, SystemUser, UserGroup};
use crate::wire::{
    GraphConnection, GraphObjectWithPaths, WireApplication, WireOrganization, WireSystemUser,
    WireUserGroup, GRAPH_USER, GRAPH_USER_GROUP,
};

/// A user or group related to an application; `direct` when bound to it without a group in between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "jumpcloud/")]
pub struct Bound {
    pub id: String,
    pub direct: bool,
}

/// Path segments must not be able to escape the intended route.
fn check_id(id: &str) -> Result<&str> {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(id)
    } else {
        Err(Error::InvalidId(id.to_string()))
    }
}

impl Client {
    /// `GET /api/organizations`: the organizations this key can see (several for multi-tenant admins).
    pub async fn organizations(&self) -> Result<Vec<Organization>> {
        let orgs: Vec<WireOrganization> = self.list_v1("/api/organizations", &[]).await?;
        Ok(orgs.into_iter().map(Organization::from).collect())
    }

    /// `GET /api/systemusers`, every page.
    pub async fn system_users(&self) -> Result<Vec<SystemUser>> {
        self.system_users_query(&[]).await
    }

    /// Users whose `field` equals `value` exactly (v1 `filter=field:$eq:value`; case-sensitive).
    pub async fn system_users_where(&self, field: &str, value: &str) -> Result<Vec<SystemUser>> {
        self.system_users_query(&[("filter", format!("{field}:$eq:{value}"))])
            .await
    }

    async fn system_users_query(&self, extra: &[(&str, String)]) -> Result<Vec<SystemUser>> {
        let path = "/api/systemusers";
        let wire: Vec<WireSystemUser> = self.list_v1(path, extra).await?;
        wire.into_iter()
            .map(|u| {
                u.into_model().map_err(|message| Error::Decode {
                    endpoint: path.to_string(),
                    message,
                })
            })
            .collect()
    }

    /// `GET /api/v2/usergroups`, every page.
    pub async fn user_groups(&self) -> Result<Vec<UserGroup>> {
        let groups: Vec<WireUserGroup> = self.list_v2("/api/v2/usergroups", &[]).await?;
        Ok(groups.into_iter().map(UserGroup::from).collect())
    }

    /// User groups whose `name` equals `value` (v2 `filter=name:eq:value`).
    pub async fn user_groups_named(&self, name: &str) -> Result<Vec<UserGroup>> {
        let groups: Vec<WireUserGroup> = self
            .list_v2(
                "/api/v2/usergroups",
                &[("filter", format!("name:eq:{name}"))],
            )
            .await?;
        Ok(groups.into_iter().map(UserGroup::from).collect())
    }

    /// `GET /api/v2/usergroups/{id}/members`: direct members, users and nested groups.
    pub async fn group_members(&self, group_id: &str) -> Result<GroupMembers> {
        let path = format!("/api/v2/usergroups/{}/members", check_id(group_id)?);
        let edges: Vec<GraphConnection> = self.list_v2(&path, &[]).await?;
        let mut members = GroupMembers::default();
        for e in edges {
            match e.to.kind.as_str() {
                GRAPH_USER => members.users.push(e.to.id),
                GRAPH_USER_GROUP => members.groups.push(e.to.id),
                // Other member kinds cannot be pushed over SCIM; ignoring them changes nothing.
                _ => {}
            }
        }
        Ok(members)
    }

    /// `GET /api/v2/usergroups/{id}/membership`: effective user ids, nested groups expanded.
    pub async fn group_membership(&self, group_id: &str) -> Result<Vec<String>> {
        let path = format!("/api/v2/usergroups/{}/membership", check_id(group_id)?);
        let nodes: Vec<GraphObjectWithPaths> = self.list_v2(&path, &[]).await?;
        Ok(nodes
            .into_iter()
            .filter(|n| n.kind == GRAPH_USER)
            .map(|n| n.id)
            .collect())
    }

    /// `GET /api/applications`, every page.
    pub async fn applications(&self) -> Result<Vec<Application>> {
        let apps: Vec<WireApplication> = self.list_v1("/api/applications", &[]).await?;
        Ok(apps.into_iter().map(Application::from).collect())
    }

    /// `GET /api/v2/applications/{id}/usergroups`: groups bound directly or through other groups.
    pub async fn app_user_groups(&self, app_id: &str) -> Result<Vec<Bound>> {
        let path = format!("/api/v2/applications/{}/usergroups", check_id(app_id)?);
        self.bound(&path, GRAPH_USER_GROUP).await
    }

    /// `GET /api/v2/applications/{id}/users`: users bound directly or through groups.
    pub async fn app_users(&self, app_id: &str) -> Result<Vec<Bound>> {
        let path = format!("/api/v2/applications/{}/users", check_id(app_id)?);
        self.bound(&path, GRAPH_USER).await
    }

    async fn bound(&self, path: &str, kind: &str) -> Result<Vec<Bound>> {
        let nodes: Vec<GraphObjectWithPaths> = self.list_v2(path, &[]).await?;
        Ok(nodes
            .into_iter()
            .filter(|n| n.kind == kind)
            .map(|n| Bound {
                direct: n.is_direct(),
                id: n.id,
            })
            .collect())
    }
}
