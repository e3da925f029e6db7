//! In-memory Users and Groups with server-assigned ids, `meta`, uniqueness and member
//! consistency. Resources stay `serde_json::Value` so the simulator keeps whatever
//! attributes a client sends, like a real service provider's schemaless store.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::SecondsFormat;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use serde_json::{json, Map, Value};

use super::config::Dialect;
use super::error::ApiError;
use super::json::{get_ci, remove_ci, str_ci};

pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Group,
}

impl Kind {
    pub fn resource_type(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
        }
    }
    pub fn endpoint(self) -> &'static str {
        match self {
            Kind::User => "Users",
            Kind::Group => "Groups",
        }
    }
    /// The attribute that must be unique (case-insensitively).
    pub fn name_attr(self) -> &'static str {
        match self {
            Kind::User => "userName",
            Kind::Group => "displayName",
        }
    }
    fn urn(self) -> &'static str {
        match self {
            Kind::User => USER_URN,
            Kind::Group => GROUP_URN,
        }
    }
}

#[derive(Default)]
struct Collection {
    /// Insertion order, which is also list order and the AWS cursor key.
    items: BTreeMap<u64, Value>,
    seq_of: HashMap<String, u64>,
    /// lower-cased unique name -> id
    names: HashMap<String, String>,
}

/// A copy of the whole store.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoreSnapshot {
    pub users: Vec<Value>,
    pub groups: Vec<Value>,
}

pub(crate) struct Store {
    dialect: Dialect,
    base_url: String,
    users: Collection,
    groups: Collection,
    next_seq: u64,
    next_version: u64,
    rng: StdRng,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Store {
    pub fn new(dialect: Dialect, base_url: String) -> Self {
        Store {
            dialect,
            base_url,
            users: Collection::default(),
            groups: Collection::default(),
            next_seq: 1,
            next_version: 1,
            rng: StdRng::seed_from_u64(0x5c1a),
        }
    }

    fn col(&self, kind: Kind) -> &Collection {
        match kind {
            Kind::User => &self.users,
            Kind::Group => &self.groups,
        }
    }

    fn col_mut(&mut self, kind: Kind) -> &mut Collection {
        match kind {
            Kind::User => &mut self.users,
            Kind::Group => &mut self.groups,
        }
    }

    fn new_id(&mut self, kind: Kind) -> String {
        let mut hex = |n: usize| -> String {
            (0..n)
                .map(|_| format!("{:x}", self.rng.gen_range(0..16u8)))
                .collect()
        };
        match (self.dialect, kind) {
            (Dialect::StrongDm, Kind::User) => format!("a-{}", hex(16)),
            (Dialect::StrongDm, Kind::Group) => format!("r-{}", hex(16)),
            _ => format!("{}-{}-{}-{}-{}", hex(8), hex(4), hex(4), hex(4), hex(12)),
        }
    }

    fn new_version(&mut self) -> String {
        let v = self.next_version;
        self.next_version += 1;
        format!("W/\"{v}\"")
    }

    pub fn len(&self, kind: Kind) -> usize {
        self.col(kind).items.len()
    }

    pub fn get(&self, kind: Kind, id: &str) -> Option<&Value> {
        let col = self.col(kind);
        col.seq_of.get(id).and_then(|s| col.items.get(s))
    }

    /// Resources in list order with their cursor key.
    pub fn iter(&self, kind: Kind) -> impl Iterator<Item = (u64, &Value)> {
        self.col(kind).items.iter().map(|(s, v)| (*s, v))
    }

    /// Resources after cursor key `after`.
    pub fn iter_after(&self, kind: Kind, after: u64) -> impl Iterator<Item = (u64, &Value)> {
        self.col(kind)
            .items
            .range(after + 1..)
            .map(|(s, v)| (*s, v))
    }

    pub fn all(&self, kind: Kind) -> Vec<Value> {
        self.col(kind).items.values().cloned().collect()
    }

    /// Ids of the groups that list `member_id` directly.
    /// Member id -> ids of the groups it is in, in one pass over the groups.
    pub fn groups_by_member(&self) -> HashMap<String, Vec<String>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for g in self.groups.items.values() {
            let Some(id) = str_ci(g, "id") else { continue };
            let members = get_ci(g, "members").and_then(Value::as_array);
            for m in members.into_iter().flatten() {
                if let Some(member) = str_ci(m, "value") {
                    let of = out.entry(member.to_string()).or_default();
                    // A member listed twice is in the group once.
                    if of.last().map(String::as_str) != Some(id) {
                        of.push(id.to_string());
                    }
                }
            }
        }
        out
    }

    pub fn groups_of(&self, member_id: &str) -> Vec<String> {
        self.groups
            .items
            .values()
            .filter(|g| has_member(g, member_id))
            .filter_map(|g| str_ci(g, "id").map(str::to_string))
            .collect()
    }

    /// Create a resource. `keep_id` lets seeding choose ids; clients never can.
    pub fn create(&mut self, kind: Kind, value: Value, keep_id: bool) -> Result<Value, ApiError> {
        let Value::Object(mut obj) = value else {
            return Err(ApiError::invalid_value("a resource must be a JSON object"));
        };
        let requested_id = remove_ci(&mut obj, "id").and_then(|v| v.as_str().map(str::to_string));
        remove_ci(&mut obj, "meta");
        let id = match requested_id {
            Some(id) if keep_id => {
                if self.col(kind).seq_of.contains_key(&id) {
                    return Err(ApiError::conflict(format!("id {id} already exists")));
                }
                id
            }
            _ => self.new_id(kind),
        };
        let name = self.check_resource(kind, &obj, None)?;
        ensure_schema(&mut obj, kind.urn());
        let stamp = now();
        let version = self.new_version();
        obj.insert("id".into(), Value::String(id.clone()));
        obj.insert(
            "meta".into(),
            json!({
                "resourceType": kind.resource_type(),
                "created": stamp,
                "lastModified": stamp,
                "location": format!("{}/{}/{}", self.base_url, kind.endpoint(), id),
                "version": version,
            }),
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        let col = self.col_mut(kind);
        col.names.insert(name, id.clone());
        col.seq_of.insert(id, seq);
        let value = Value::Object(obj);
        col.items.insert(seq, value.clone());
        Ok(value)
    }

    /// Replace (PUT): keep id and `meta.created`, bump version.
    pub fn replace(&mut self, kind: Kind, id: &str, value: Value) -> Result<Value, ApiError> {
        if self.get(kind, id).is_none() {
            return Err(not_found(kind, id));
        }
        let Value::Object(mut obj) = value else {
            return Err(ApiError::invalid_value("a resource must be a JSON object"));
        };
        remove_ci(&mut obj, "id");
        remove_ci(&mut obj, "meta");
        ensure_schema(&mut obj, kind.urn());
        self.commit(kind, id, obj).map(|(v, _)| v)
    }

    /// Change a resource in place through `f` (PATCH). Returns the result and whether
    /// anything changed; an unchanged resource keeps its version.
    pub fn update(
        &mut self,
        kind: Kind,
        id: &str,
        f: impl FnOnce(&mut Value) -> Result<(), ApiError>,
    ) -> Result<(Value, bool), ApiError> {
        let current = self
            .get(kind, id)
            .ok_or_else(|| not_found(kind, id))?
            .clone();
        let mut next = current.clone();
        f(&mut next)?;
        if str_ci(&next, "id") != Some(id) {
            return Err(ApiError::new(
                400,
                Some(super::error::ScimType::Mutability),
                "id is read-only",
            ));
        }
        let Value::Object(mut obj) = next else {
            return Err(ApiError::invalid_value("a resource must be a JSON object"));
        };
        remove_ci(&mut obj, "id");
        remove_ci(&mut obj, "meta");
        let mut old = current.as_object().cloned().unwrap_or_default();
        old.remove("id");
        old.remove("meta");
        if old == obj {
            return Ok((current, false));
        }
        self.commit(kind, id, obj)
    }

    /// Validate and store new content for an existing id.
    fn commit(
        &mut self,
        kind: Kind,
        id: &str,
        mut obj: Map<String, Value>,
    ) -> Result<(Value, bool), ApiError> {
        let name = self.check_resource(kind, &obj, Some(id))?;
        let seq = self.col(kind).seq_of[id];
        let old = self.col(kind).items[&seq].clone();
        let version = self.new_version();
        let mut meta = get_ci(&old, "meta").cloned().unwrap_or_else(|| json!({}));
        meta["lastModified"] = Value::String(now());
        meta["version"] = Value::String(version);
        obj.insert("id".into(), Value::String(id.to_string()));
        obj.insert("meta".into(), meta);
        let col = self.col_mut(kind);
        if let Some(old_name) = str_ci(&old, kind.name_attr()) {
            col.names.remove(&old_name.to_lowercase());
        }
        col.names.insert(name, id.to_string());
        let value = Value::Object(obj);
        col.items.insert(seq, value.clone());
        Ok((value, true))
    }

    /// Delete, and drop the id from every group's members so memberships stay consistent.
    pub fn delete(&mut self, kind: Kind, id: &str) -> Result<(), ApiError> {
        let col = self.col_mut(kind);
        let seq = col.seq_of.remove(id).ok_or_else(|| not_found(kind, id))?;
        let old = col.items.remove(&seq).unwrap_or(Value::Null);
        if let Some(name) = str_ci(&old, kind.name_attr()) {
            col.names.remove(&name.to_lowercase());
        }
        let holders = self.groups_of(id);
        for gid in holders {
            self.update(Kind::Group, &gid, |g| {
                if let Some(Value::Array(members)) = super::json::get_ci_mut(g, "members") {
                    members.retain(|m| str_ci(m, "value") != Some(id));
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    pub fn snapshot(&self) -> StoreSnapshot {
        StoreSnapshot {
            users: self.all(Kind::User),
            groups: self.all(Kind::Group),
        }
    }

    /// Name present and unique; group members exist. Returns the lower-cased name.
    fn check_resource(
        &self,
        kind: Kind,
        obj: &Map<String, Value>,
        self_id: Option<&str>,
    ) -> Result<String, ApiError> {
        let attr = kind.name_attr();
        let name = super::json::key_ci(obj, attr)
            .and_then(|k| obj.get(&k))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ApiError::invalid_value(format!("{attr} is required")))?
            .to_lowercase();
        if let Some(owner) = self.col(kind).names.get(&name) {
            if Some(owner.as_str()) != self_id {
                return Err(ApiError::conflict(format!(
                    "a {} with {attr} '{name}' already exists",
                    kind.resource_type()
                )));
            }
        }
        if kind == Kind::Group {
            let members = super::json::key_ci(obj, "members").and_then(|k| obj.get(&k));
            match members {
                None | Some(Value::Null) => {}
                Some(Value::Array(items)) => {
                    let mut seen = HashSet::new();
                    for m in items {
                        let v = str_ci(m, "value").ok_or_else(|| {
                            ApiError::invalid_value("every member needs a string value")
                        })?;
                        if !seen.insert(v) {
                            return Err(ApiError::invalid_value(format!(
                                "member {v} listed twice"
                            )));
                        }
                        if self.get(Kind::User, v).is_none() && self.get(Kind::Group, v).is_none() {
                            return Err(ApiError::invalid_value(format!(
                                "member {v} does not exist"
                            )));
                        }
                    }
                }
                Some(_) => return Err(ApiError::invalid_value("members must be an array")),
            }
        }
        Ok(name)
    }
}

pub fn has_member(group: &Value, member_id: &str) -> bool {
    get_ci(group, "members")
        .and_then(Value::as_array)
        .is_some_and(|ms| ms.iter().any(|m| str_ci(m, "value") == Some(member_id)))
}

pub fn not_found(kind: Kind, id: &str) -> ApiError {
    ApiError::not_found(format!("{} {id} not found", kind.resource_type()))
}

fn ensure_schema(obj: &mut Map<String, Value>, urn: &str) {
    match super::json::key_ci(obj, "schemas").and_then(|k| obj.get_mut(&k)) {
        Some(Value::Array(s)) => {
            if !s
                .iter()
                .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn)))
            {
                s.insert(0, Value::String(urn.to_string()));
            }
        }
        _ => {
            obj.insert("schemas".into(), json!([urn]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(d: Dialect) -> Store {
        Store::new(d, "http://h/scim/v2".into())
    }

    #[test]
    fn assigns_ids_meta_and_enforces_case_insensitive_uniqueness() {
        let mut s = store(Dialect::Generic);
        let u = s
            .create(Kind::User, json!({"userName": "Ada"}), false)
            .unwrap();
        let id = u["id"].as_str().unwrap();
        assert_eq!(
            u["meta"]["location"],
            format!("http://h/scim/v2/Users/{id}")
        );
        assert_eq!(u["schemas"], json!([USER_URN]));
        let dup = s
            .create(Kind::User, json!({"userName": "ADA"}), false)
            .unwrap_err();
        assert_eq!(dup.status, 409);
        assert!(s
            .create(Kind::User, json!({"displayName": "x"}), false)
            .is_err());
    }

    #[test]
    fn update_bumps_version_only_on_change() {
        let mut s = store(Dialect::Generic);
        let u = s
            .create(Kind::User, json!({"userName": "a"}), false)
            .unwrap();
        let id = u["id"].as_str().unwrap().to_string();
        let (same, changed) = s.update(Kind::User, &id, |_| Ok(())).unwrap();
        assert!(!changed);
        assert_eq!(same["meta"]["version"], u["meta"]["version"]);
        let (next, changed) = s
            .update(Kind::User, &id, |v| {
                v["title"] = json!("x");
                Ok(())
            })
            .unwrap();
        assert!(changed);
        assert_ne!(next["meta"]["version"], u["meta"]["version"]);
        assert_eq!(next["meta"]["created"], u["meta"]["created"]);
    }

    #[test]
    fn deleting_a_user_removes_it_from_groups() {
        let mut s = store(Dialect::StrongDm);
        let a = s
            .create(Kind::User, json!({"userName": "a"}), false)
            .unwrap();
        let b = s
            .create(Kind::User, json!({"userName": "b"}), false)
            .unwrap();
        let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
        assert!(a.starts_with("a-") && a.len() == 18);
        let g = s
            .create(
                Kind::Group,
                json!({"displayName": "g", "members": [{"value": a}, {"value": b}]}),
                false,
            )
            .unwrap();
        assert!(g["id"].as_str().unwrap().starts_with("r-"));
        s.delete(Kind::User, a).unwrap();
        let g = s.get(Kind::Group, g["id"].as_str().unwrap()).unwrap();
        assert_eq!(g["members"], json!([{"value": b}]));
        assert_eq!(s.delete(Kind::User, a).unwrap_err().status, 404);
        let bad = s
            .create(
                Kind::Group,
                json!({"displayName": "h", "members": [{"value": a}]}),
                false,
            )
            .unwrap_err();
        assert_eq!(bad.status, 400);
    }
}
