//! Compact per-object state of a diff run, and the delta between two of them.
//!
//! A snapshot stores, per object, only a state code and a 64-bit hash of its
//! attribute values: enough to tell "what changed since the last diff" without
//! keeping directory data (which may hold personal data) in the history file.

mod codec;
mod delta;
mod hash;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) use codec::{decode, encode};
pub(crate) use delta::delta;
pub use delta::{DeltaEntry, SnapshotDelta};
pub use hash::hash_attributes;

/// What kind of object an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "history/")]
pub enum ObjectKind {
    User,
    Group,
    /// Key convention: "<group key>/<user key>".
    Membership,
}

/// Where an object stood in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "history/")]
pub enum ObjectState {
    InSync,
    Missing,
    Extra,
    Changed,
    Ineligible,
}

/// One object in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotEntry {
    pub kind: ObjectKind,
    /// Stable external key (e.g. JumpCloud id or externalId).
    pub key: String,
    pub state: ObjectState,
    /// [`hash_attributes`] of the values compared, so an object whose state
    /// stays `Changed` but whose values moved still shows up in a delta.
    pub hash: u64,
}

/// The whole per-object state of one diff run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffSnapshot {
    pub entries: Vec<SnapshotEntry>,
}

impl DiffSnapshot {
    pub fn push(
        &mut self,
        kind: ObjectKind,
        key: impl Into<String>,
        state: ObjectState,
        hash: u64,
    ) {
        self.entries.push(SnapshotEntry {
            kind,
            key: key.into(),
            state,
            hash,
        });
    }
}

// Stable one-byte codes: they are stored, so never renumber.
impl ObjectKind {
    pub(crate) fn code(self) -> u8 {
        match self {
            ObjectKind::User => 1,
            ObjectKind::Group => 2,
            ObjectKind::Membership => 3,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => ObjectKind::User,
            2 => ObjectKind::Group,
            3 => ObjectKind::Membership,
            _ => return None,
        })
    }
}

impl ObjectState {
    pub(crate) fn code(self) -> u8 {
        match self {
            ObjectState::InSync => 0,
            ObjectState::Missing => 1,
            ObjectState::Extra => 2,
            ObjectState::Changed => 3,
            ObjectState::Ineligible => 4,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => ObjectState::InSync,
            1 => ObjectState::Missing,
            2 => ObjectState::Extra,
            3 => ObjectState::Changed,
            4 => ObjectState::Ineligible,
            _ => return None,
        })
    }
}
