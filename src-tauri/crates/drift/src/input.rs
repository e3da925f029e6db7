//! What the diff reads: the resources JumpCloud *would* push (built by the
//! target profile) and the resources the target *does* hold, both as SCIM JSON
//! so this crate does not depend on any client's structs. Resources are held as
//! [`Record`]s, a packed read-only form of the JSON: a diff holds two whole
//! directories at once, and a `serde_json::Value` per resource costs about
//! fifteen times the memory.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::record::Record;

/// What the target should hold, under the target profile's rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Expected {
    pub users: Vec<ExpectedUser>,
    pub groups: Vec<ExpectedGroup>,
    /// In-scope JumpCloud users the profile cannot provision, with why.
    pub ineligible: Vec<Ineligible>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpectedUser {
    /// JumpCloud user id; JumpCloud sends it as `externalId`.
    pub source_id: String,
    pub label: String,
    /// The SCIM User JSON JumpCloud would push (its `externalId` is ignored; `source_id` counts).
    pub resource: Record,
}

impl ExpectedUser {
    /// The SCIM User JSON JumpCloud would push, unpacked (for request bodies and display).
    pub fn resource_json(&self) -> Value {
        self.resource.to_value()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpectedGroup {
    /// JumpCloud user-group id, sent as `externalId`.
    pub source_id: String,
    pub label: String,
    /// The SCIM Group JSON (`displayName` etc.); its `members` are ignored, see `member_source_ids`.
    pub resource: Record,
    /// JumpCloud user ids of the members.
    pub member_source_ids: Vec<String>,
    /// Why JumpCloud would not create this group when the target lacks it (it has no members:
    /// JumpCloud does not create empty groups). A group that exists is still managed: its
    /// members are removed, the group is kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_created_because: Vec<DriftReason>,
}

impl ExpectedGroup {
    /// The SCIM Group JSON JumpCloud would push, unpacked (without `members`, as built).
    pub fn resource_json(&self) -> Value {
        self.resource.to_value()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ineligible {
    pub source_id: String,
    pub label: String,
    pub reasons: Vec<DriftReason>,
}

/// A reason given by the profile, passed through to the UI verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct DriftReason {
    pub code: String,
    pub text: String,
}

/// What the target holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Actual {
    /// User resources as read, each with its `id`.
    pub users: Vec<Record>,
    /// Group resources as read; `members` is used when present.
    pub groups: Vec<Record>,
    /// `(group id, user id)` pairs read separately, for targets (AWS) that
    /// return groups with empty `members`. Merged with any `members` arrays.
    /// If a target returns no members and none are read here, every expected
    /// member shows as one to add: the caller must read them one way or the other.
    pub memberships: Vec<(String, String)>,
}

/// Which JumpCloud ids belong to this directory, so that target accounts left
/// behind by JumpCloud (formerly managed) can be told from accounts someone
/// else made (unmanaged).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KnownSources {
    /// Every JumpCloud user id in the directory, in scope of the app or not.
    pub user_ids: HashSet<String>,
    /// Every JumpCloud user-group id in the directory.
    pub group_ids: HashSet<String>,
    /// Treat an unknown `externalId` shaped like a JumpCloud id (24 hex digits)
    /// as formerly managed: most likely the JumpCloud object was deleted.
    pub recognise_source_id_shape: bool,
}

impl KnownSources {
    pub fn new(
        user_ids: impl IntoIterator<Item = String>,
        group_ids: impl IntoIterator<Item = String>,
    ) -> Self {
        Self {
            user_ids: user_ids.into_iter().collect(),
            group_ids: group_ids.into_iter().collect(),
            recognise_source_id_shape: true,
        }
    }

    /// JumpCloud ids are MongoDB ObjectIds: 24 lower-case hex digits.
    pub fn looks_like_source_id(id: &str) -> bool {
        id.len() == 24
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_id_shape_is_an_object_id() {
        assert!(KnownSources::looks_like_source_id(
            "5f1b2c3d4e5f60718293a4b5"
        ));
        assert!(!KnownSources::looks_like_source_id(
            "5F1B2C3D4E5F60718293A4B5"
        ));
        assert!(!KnownSources::looks_like_source_id(
            "5f1b2c3d4e5f60718293a4b"
        ));
        assert!(!KnownSources::looks_like_source_id(
            "0c9b1e0e-1111-2222-3333-444455556666"
        ));
    }
}
