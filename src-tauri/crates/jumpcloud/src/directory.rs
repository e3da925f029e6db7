//! The whole directory as one value: users, groups, memberships, applications and their bindings,
//! plus what each application's connector would push ([`Directory::app_scope`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Application, SystemUser, UserGroup};

/// Direct members of one group: users, and groups nested inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct GroupMembers {
    pub users: Vec<String>,
    pub groups: Vec<String>,
}

/// Direct bindings of one application: user groups and individual users granted access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct AppBinding {
    pub user_groups: Vec<String>,
    pub users: Vec<String>,
}

/// What JumpCloud's connector for one application would push: user ids and group ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct AppScope {
    pub users: Vec<String>,
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct Directory {
    /// Sorted by id.
    pub users: Vec<SystemUser>,
    /// Sorted by id.
    pub groups: Vec<UserGroup>,
    /// group id -> direct members; every group has an entry.
    pub members: BTreeMap<String, GroupMembers>,
    /// group id -> user ids, nested groups expanded; every group has an entry.
    pub effective_members: BTreeMap<String, Vec<String>>,
    /// Sorted by id.
    pub applications: Vec<Application>,
    /// app id -> direct bindings; every application has an entry.
    pub bindings: BTreeMap<String, AppBinding>,
}

/// Counts to show beside a snapshot (CLI summary line, UI header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct DirectoryStats {
    pub users: usize,
    /// Users the connector would push as `active: true`.
    pub active: usize,
    pub suspended: usize,
    pub staged: usize,
    pub password_expired: usize,
    pub groups: usize,
    /// Groups that contain other groups.
    pub nested_groups: usize,
    pub applications: usize,
}

pub const SNAPSHOT_FORMAT: &str = "scim-companion.directory";
pub const SNAPSHOT_VERSION: u64 = 1;

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'static str,
    version: u64,
    #[serde(flatten)]
    directory: &'a Directory,
}

impl Directory {
    /// A directory of users only (e.g. from a CSV import): no groups, applications or bindings.
    pub fn from_users(users: Vec<SystemUser>) -> Directory {
        let mut d = Directory {
            users,
            ..Default::default()
        };
        d.normalize();
        d
    }

    /// Sorts everything, fills missing map entries and recomputes effective membership from the
    /// direct members. Two equal directories compare equal after this, whatever order they came in.
    pub fn normalize(&mut self) {
        self.sort();
        self.effective_members = self.compute_effective_members();
    }

    /// Sorts and fills entries but keeps `effective_members` as given (e.g. as JumpCloud reported it).
    pub fn sort(&mut self) {
        self.users.sort_by(|a, b| a.id.cmp(&b.id));
        self.groups.sort_by(|a, b| a.id.cmp(&b.id));
        self.applications.sort_by(|a, b| a.id.cmp(&b.id));
        for g in &self.groups {
            self.members.entry(g.id.clone()).or_default();
            self.effective_members.entry(g.id.clone()).or_default();
        }
        for a in &self.applications {
            self.bindings.entry(a.id.clone()).or_default();
        }
        for m in self.members.values_mut() {
            sort_dedup(&mut m.users);
            sort_dedup(&mut m.groups);
        }
        for v in self.effective_members.values_mut() {
            sort_dedup(v);
        }
        for b in self.bindings.values_mut() {
            sort_dedup(&mut b.user_groups);
            sort_dedup(&mut b.users);
        }
    }

    /// group -> users through any depth of nesting. Cycles are tolerated (each group is visited once).
    pub fn compute_effective_members(&self) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for g in &self.groups {
            let mut users = BTreeSet::new();
            let mut seen = BTreeSet::new();
            let mut stack = vec![g.id.as_str()];
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                if let Some(m) = self.members.get(id) {
                    users.extend(m.users.iter().cloned());
                    stack.extend(m.groups.iter().map(String::as_str));
                }
            }
            out.insert(g.id.clone(), users.into_iter().collect());
        }
        out
    }

    pub fn stats(&self) -> DirectoryStats {
        use crate::model::UserState;
        DirectoryStats {
            users: self.users.len(),
            active: self.users.iter().filter(|u| u.scim_active()).count(),
            suspended: self
                .users
                .iter()
                .filter(|u| u.suspended || u.state == UserState::Suspended)
                .count(),
            staged: self
                .users
                .iter()
                .filter(|u| u.state == UserState::Staged)
                .count(),
            password_expired: self.users.iter().filter(|u| u.password_expired).count(),
            groups: self.groups.len(),
            nested_groups: self
                .members
                .values()
                .filter(|m| !m.groups.is_empty())
                .count(),
            applications: self.applications.len(),
        }
    }

    pub fn user(&self, id: &str) -> Option<&SystemUser> {
        self.users
            .binary_search_by(|u| u.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.users[i])
    }

    pub fn group(&self, id: &str) -> Option<&UserGroup> {
        self.groups
            .binary_search_by(|g| g.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.groups[i])
    }

    pub fn application(&self, id: &str) -> Option<&Application> {
        self.applications.iter().find(|a| a.id == id)
    }

    /// What JumpCloud would push to this application's connector: users bound directly or through a
    /// bound group (nested groups expanded), and the bound groups themselves.
    pub fn app_scope(&self, app_id: &str) -> Result<AppScope> {
        if self.application(app_id).is_none() {
            return Err(Error::AppNotFound(app_id.to_string()));
        }
        let binding = self.bindings.get(app_id).cloned().unwrap_or_default();
        let mut users: BTreeSet<String> = binding.users.iter().cloned().collect();
        for g in &binding.user_groups {
            if let Some(members) = self.effective_members.get(g) {
                users.extend(members.iter().cloned());
            }
        }
        let mut groups = binding.user_groups;
        sort_dedup(&mut groups);
        Ok(AppScope {
            users: users.into_iter().collect(),
            groups,
        })
    }

    /// Every id referenced by a membership or binding exists. A dangling id means the reads were
    /// not consistent with each other (the directory changed mid-read) or a file was edited badly.
    pub fn validate(&self) -> std::result::Result<(), String> {
        let users: BTreeSet<&str> = self.users.iter().map(|u| u.id.as_str()).collect();
        let groups: BTreeSet<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
        let apps: BTreeSet<&str> = self.applications.iter().map(|a| a.id.as_str()).collect();
        if users.len() != self.users.len() {
            return Err("duplicate user id".into());
        }
        if groups.len() != self.groups.len() {
            return Err("duplicate group id".into());
        }
        let check = |kind: &str, set: &BTreeSet<&str>, id: &str, owner: &str| {
            if set.contains(id) {
                Ok(())
            } else {
                Err(format!("{owner} references unknown {kind} {id}"))
            }
        };
        for (g, m) in &self.members {
            check("group", &groups, g, "membership list")?;
            for u in &m.users {
                check("user", &users, u, &format!("group {g}"))?;
            }
            for sub in &m.groups {
                check("group", &groups, sub, &format!("group {g}"))?;
            }
        }
        for (g, us) in &self.effective_members {
            check("group", &groups, g, "effective membership list")?;
            for u in us {
                check("user", &users, u, &format!("group {g} (effective)"))?;
            }
        }
        for (a, b) in &self.bindings {
            check("application", &apps, a, "binding list")?;
            for g in &b.user_groups {
                check("group", &groups, g, &format!("application {a}"))?;
            }
            for u in &b.users {
                check("user", &users, u, &format!("application {a}"))?;
            }
        }
        Ok(())
    }

    /// Our versioned snapshot file: `{"format":"scim-companion.directory","version":1, ...}`.
    pub fn to_json(&self) -> String {
        let env = EnvelopeOut {
            format: SNAPSHOT_FORMAT,
            version: SNAPSHOT_VERSION,
            directory: self,
        };
        serde_json::to_string_pretty(&env).expect("directory serialises: only strings, bools, maps")
    }

    /// Writes [`Self::to_json`] to `path` through a temporary file, so a crash never leaves half a snapshot.
    pub fn save_json(&self, path: &std::path::Path) -> Result<()> {
        let io = |e: std::io::Error| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, self.to_json()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn load_json(path: &std::path::Path) -> Result<Directory> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Directory::from_json(&text)
    }

    pub fn from_json(text: &str) -> Result<Directory> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::SnapshotJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        let obj = value
            .as_object()
            .ok_or(Error::SnapshotFormat { found: None })?;
        let format = obj.get("format").and_then(|f| f.as_str());
        if format != Some(SNAPSHOT_FORMAT) {
            return Err(Error::SnapshotFormat {
                found: format.map(str::to_string),
            });
        }
        let version = obj
            .get("version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| Error::SnapshotContent("missing or non-numeric \"version\"".into()))?;
        if version != SNAPSHOT_VERSION {
            return Err(Error::SnapshotVersion {
                found: version,
                supported: SNAPSHOT_VERSION,
            });
        }
        let mut dir: Directory =
            serde_json::from_value(value).map_err(|e| Error::SnapshotContent(e.to_string()))?;
        dir.sort();
        dir.validate().map_err(Error::SnapshotContent)?;
        Ok(dir)
    }
}

fn sort_dedup(v: &mut Vec<String>) {
    v.sort();
    v.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> SystemUser {
        SystemUser {
            id: id.into(),
            username: format!("user{id}"),
            email: format!("{id}@example.com"),
            ..Default::default()
        }
    }

    fn group(id: &str) -> UserGroup {
        UserGroup {
            id: id.into(),
            name: format!("group {id}"),
            description: None,
            email: None,
            kind: "user_group".into(),
        }
    }

    fn app(id: &str) -> Application {
        Application {
            id: id.into(),
            name: "custom-scim".into(),
            display_name: None,
            display_label: Some(format!("App {id}")),
            sso_url: None,
            description: None,
            active: true,
        }
    }

    /// g1 contains u1 and nested g2; g2 contains u2 and nested g3 (u3) and back to g1 (a cycle).
    fn nested() -> Directory {
        let mut d = Directory {
            users: vec![user("u3"), user("u1"), user("u2"), user("u4")],
            groups: vec![group("g1"), group("g2"), group("g3")],
            applications: vec![app("a1")],
            ..Default::default()
        };
        d.members.insert(
            "g1".into(),
            GroupMembers {
                users: vec!["u1".into()],
                groups: vec!["g2".into()],
            },
        );
        d.members.insert(
            "g2".into(),
            GroupMembers {
                users: vec!["u2".into()],
                groups: vec!["g3".into(), "g1".into()],
            },
        );
        d.members.insert(
            "g3".into(),
            GroupMembers {
                users: vec!["u3".into()],
                groups: vec![],
            },
        );
        d.bindings.insert(
            "a1".into(),
            AppBinding {
                user_groups: vec!["g3".into()],
                users: vec!["u4".into()],
            },
        );
        d.normalize();
        d
    }

    #[test]
    fn effective_membership_expands_nesting_and_survives_cycles() {
        let d = nested();
        assert_eq!(d.effective_members["g1"], vec!["u1", "u2", "u3"]);
        assert_eq!(d.effective_members["g2"], vec!["u1", "u2", "u3"]);
        assert_eq!(d.effective_members["g3"], vec!["u3"]);
    }

    #[test]
    fn stats_count_states_and_nesting() {
        let mut d = nested();
        d.users[0].suspended = true;
        d.users[0].state = crate::model::UserState::Suspended;
        d.users[1].password_expired = true;
        d.users[2].state = crate::model::UserState::Staged;
        let s = d.stats();
        // Staged still counts as active: the connector's rule names only suspension and expiry.
        assert_eq!((s.users, s.active, s.suspended, s.staged), (4, 2, 1, 1));
        assert_eq!(s.password_expired, 1);
        assert_eq!((s.groups, s.nested_groups, s.applications), (3, 2, 1));
    }

    #[test]
    fn app_scope_combines_direct_users_and_bound_groups() {
        let d = nested();
        let scope = d.app_scope("a1").unwrap();
        assert_eq!(scope.users, vec!["u3", "u4"]);
        assert_eq!(scope.groups, vec!["g3"]);
        assert!(matches!(d.app_scope("nope"), Err(Error::AppNotFound(id)) if id == "nope"));
    }

    #[test]
    fn json_round_trip_preserves_everything() {
        let d = nested();
        let text = d.to_json();
        assert!(text.contains("\"format\": \"scim-companion.directory\""));
        assert_eq!(Directory::from_json(&text).unwrap(), d);
    }

    #[test]
    fn save_and_load_through_a_file() {
        let d = nested();
        let dir = std::env::temp_dir().join(format!("jc-snap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("directory.json");
        d.save_json(&path).unwrap();
        assert_eq!(Directory::load_json(&path).unwrap(), d);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(Directory::load_json(&path), Err(Error::Io { .. })));
    }

    #[test]
    fn from_json_rejects_wrong_format_version_and_dangling_ids() {
        assert!(matches!(
            Directory::from_json("{\"format\":\"other\",\"version\":1}"),
            Err(Error::SnapshotFormat { found: Some(f) }) if f == "other"
        ));
        let d = nested();
        let v2 = d.to_json().replace("\"version\": 1", "\"version\": 2");
        assert!(matches!(
            Directory::from_json(&v2),
            Err(Error::SnapshotVersion {
                found: 2,
                supported: 1
            })
        ));
        assert!(matches!(
            Directory::from_json("{\"format\": "),
            Err(Error::SnapshotJson { line: 1, .. })
        ));
        let mut broken = d.clone();
        broken
            .members
            .get_mut("g3")
            .unwrap()
            .users
            .push("ghost".into());
        assert!(matches!(
            Directory::from_json(&broken.to_json()),
            Err(Error::SnapshotContent(m)) if m.contains("ghost")
        ));
    }
}
