//! [`Record`]: an immutable JSON resource packed into one allocation.
//!
//! A SCIM user held as `serde_json::Value` costs about 3 KiB: every string,
//! array, object and key is an allocation of its own and every object an index
//! map. The diff reads resources and never changes them, so a record keeps the
//! whole tree in one byte buffer instead, about 200 bytes for a typical user:
//! strings inline, containers prefixed with their byte length so a lookup
//! skips a member in one step, and the usual SCIM attribute names (`userName`,
//! `emails`, the enterprise extension URN, ...) stored as a one-byte index into
//! a fixed dictionary. Members keep their order, so a record turns back into
//! the same JSON ([`Record::to_value`]), member order included.
//!
//! The encoding lives in memory only: serde reads and writes records as plain
//! JSON, so the dictionary may change between versions.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

mod encoding;
mod node;
#[cfg(test)]
mod tests;

use encoding::{encode, encoded_len, NULL};
pub use node::{Items, Kind, Members, Node};

/// An immutable JSON value (in practice a SCIM resource) in one compact buffer.
///
/// Build one from a `serde_json::Value` (`Record::from(value)`), read it through
/// [`Record::get`] and [`Node`], and turn it back with [`Record::to_value`].
/// Serializes as the JSON it holds.
#[derive(Clone)]
pub struct Record {
    /// One encoded node; only ever written by [`encode`], so always well formed.
    bytes: Box<[u8]>,
}

impl Record {
    /// JSON `null`.
    pub fn null() -> Self {
        Self {
            bytes: Box::new([NULL]),
        }
    }

    /// Packs a JSON value.
    pub fn from_value(value: &Value) -> Self {
        let mut out = Vec::with_capacity(encoded_len(value));
        encode(value, &mut out);
        debug_assert_eq!(out.len(), out.capacity());
        Self {
            bytes: out.into_boxed_slice(),
        }
    }

    /// The JSON value, as it was packed (member order included).
    pub fn to_value(&self) -> Value {
        self.node().to_value()
    }

    /// The root value.
    pub fn node(&self) -> Node<'_> {
        Node { bytes: &self.bytes }
    }

    /// Member `key` of the root object: the exact name if present, else the
    /// first whose name differs only in ASCII case (SCIM names are
    /// case-insensitive, RFC 7643 §2.1). `None` if absent or not an object.
    pub fn get(&self, key: &str) -> Option<Node<'_>> {
        self.node().get(key)
    }

    /// A string member of the root object (see [`Record::get`]).
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|n| n.as_str())
    }

    pub fn is_null(&self) -> bool {
        self.node().is_null()
    }

    /// Changes the record through its JSON form (unpacks and packs it again:
    /// for fixtures and one-off edits, not for loops over many records).
    pub fn edit(&mut self, change: impl FnOnce(&mut Value)) {
        let mut value = self.to_value();
        change(&mut value);
        *self = Self::from_value(&value);
    }

    /// Bytes the packed value takes (the heap allocation).
    pub fn packed_len(&self) -> usize {
        self.bytes.len()
    }
}

impl Default for Record {
    fn default() -> Self {
        Self::null()
    }
}

impl From<Value> for Record {
    fn from(value: Value) -> Self {
        Self::from_value(&value)
    }
}

impl From<&Value> for Record {
    fn from(value: &Value) -> Self {
        Self::from_value(value)
    }
}

impl From<&Record> for Value {
    fn from(record: &Record) -> Self {
        record.to_value()
    }
}

impl From<Record> for Value {
    fn from(record: Record) -> Self {
        record.to_value()
    }
}

impl PartialEq for Record {
    /// JSON equality: objects compare as maps, whatever their member order.
    fn eq(&self, other: &Self) -> bool {
        self.node() == other.node()
    }
}

impl PartialEq<Value> for Record {
    fn eq(&self, other: &Value) -> bool {
        self.node() == *other
    }
}

impl PartialEq<Record> for Value {
    fn eq(&self, other: &Record) -> bool {
        other.node() == *self
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.node(), f)
    }
}

impl fmt::Display for Record {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.node(), f)
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.node().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Self::from)
    }
}
