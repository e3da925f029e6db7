//! [`Node`]: a borrowed view of one value inside a [`Record`], and the iterators over its
//! array elements ([`Items`]) and object members ([`Members`]).

use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Number, Value};

use super::encoding::*;
use super::Record;

/// A borrowed view of one value inside a [`Record`].
#[derive(Clone, Copy)]
pub struct Node<'a> {
    /// Exactly this node's encoding.
    pub(super) bytes: &'a [u8],
}

/// What a [`Node`] holds.
#[derive(Debug, Clone)]
pub enum Kind<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array(Items<'a>),
    Object(Members<'a>),
}

/// The elements of an array, in order.
#[derive(Clone)]
pub struct Items<'a> {
    rest: &'a [u8],
    left: usize,
}

/// The members of an object, in order.
#[derive(Clone)]
pub struct Members<'a> {
    rest: &'a [u8],
    left: usize,
}

impl<'a> From<&'a Record> for Node<'a> {
    fn from(record: &'a Record) -> Self {
        record.node()
    }
}

impl<'a> Node<'a> {
    pub fn kind(self) -> Kind<'a> {
        let b = self.bytes;
        match b[0] {
            NULL => Kind::Null,
            FALSE => Kind::Bool(false),
            TRUE => Kind::Bool(true),
            U64 => Kind::Number(Number::from(u64::from_le_bytes(eight(&b[1..])))),
            I64 => Kind::Number(Number::from(i64::from_le_bytes(eight(&b[1..])))),
            F64 => Kind::Number(
                Number::from_f64(f64::from_le_bytes(eight(&b[1..]))).unwrap_or_else(|| 0.into()),
            ),
            STR => {
                let mut pos = 1;
                let len = read_len(b, &mut pos);
                Kind::String(text(&b[pos..pos + len]))
            }
            ARR => {
                let mut pos = HEADER;
                let left = read_len(b, &mut pos);
                Kind::Array(Items {
                    rest: &b[pos..],
                    left,
                })
            }
            _ => {
                let mut pos = HEADER;
                let left = read_len(b, &mut pos);
                Kind::Object(Members {
                    rest: &b[pos..],
                    left,
                })
            }
        }
    }

    pub fn is_null(self) -> bool {
        self.bytes[0] == NULL
    }

    pub fn as_str(self) -> Option<&'a str> {
        match self.kind() {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self.bytes[0] {
            FALSE => Some(false),
            TRUE => Some(true),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn items(self) -> Option<Items<'a>> {
        match self.kind() {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn members(self) -> Option<Members<'a>> {
        match self.kind() {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Member `key`: the exact name if present, else the first whose name
    /// differs only in ASCII case. `None` if absent or not an object.
    pub fn get(self, key: &str) -> Option<Node<'a>> {
        if self.bytes[0] != OBJ {
            return None;
        }
        let b = self.bytes;
        let mut pos = HEADER;
        let count = read_len(b, &mut pos);
        let want = key.as_bytes();
        let mut folded = None;
        // SCIM objects have about a dozen members: a scan that compares lengths
        // first, over one buffer, beats hashing the key.
        for _ in 0..count {
            let name = read_key(b, &mut pos);
            let size = node_len(&b[pos..]);
            if name.len() == want.len() {
                if name == want {
                    return Some(Node {
                        bytes: &b[pos..pos + size],
                    });
                }
                if folded.is_none() && name.eq_ignore_ascii_case(want) {
                    folded = Some(Node {
                        bytes: &b[pos..pos + size],
                    });
                }
            }
            pos += size;
        }
        folded
    }

    /// Unpacks this value.
    pub fn to_value(self) -> Value {
        match self.kind() {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Number(n) => Value::Number(n),
            Kind::String(s) => Value::String(s.to_owned()),
            Kind::Array(items) => Value::Array(items.map(Node::to_value).collect()),
            Kind::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members {
                    map.insert(k.to_owned(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

impl PartialEq for Node<'_> {
    /// JSON equality: objects compare as maps, whatever their member order.
    fn eq(&self, other: &Self) -> bool {
        if self.bytes == other.bytes {
            return true;
        }
        match (self.kind(), other.kind()) {
            (Kind::Null, Kind::Null) => true,
            (Kind::Bool(a), Kind::Bool(b)) => a == b,
            (Kind::Number(a), Kind::Number(b)) => a == b,
            (Kind::String(a), Kind::String(b)) => a == b,
            (Kind::Array(a), Kind::Array(b)) => a.len() == b.len() && a.zip(b).all(|(x, y)| x == y),
            (Kind::Object(a), Kind::Object(b)) => {
                a.len() == b.len()
                    && a.clone().all(|(k, x)| {
                        b.clone()
                            .find(|(n, _)| *n == k)
                            .is_some_and(|(_, y)| x == y)
                    })
            }
            _ => false,
        }
    }
}

impl PartialEq<Value> for Node<'_> {
    fn eq(&self, other: &Value) -> bool {
        match (self.kind(), other) {
            (Kind::Null, Value::Null) => true,
            (Kind::Bool(a), Value::Bool(b)) => a == *b,
            (Kind::Number(a), Value::Number(b)) => a == *b,
            (Kind::String(a), Value::String(b)) => a == b,
            (Kind::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.zip(b).all(|(x, y)| x == *y)
            }
            (Kind::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.clone().all(|(k, x)| b.get(k).is_some_and(|y| x == *y))
            }
            _ => false,
        }
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.kind() {
            Kind::Null => s.serialize_unit(),
            Kind::Bool(b) => s.serialize_bool(b),
            Kind::Number(n) => n.serialize(s),
            Kind::String(t) => s.serialize_str(t),
            Kind::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&item)?;
                }
                seq.end()
            }
            Kind::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, &v)?;
                }
                map.end()
            }
        }
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let size = node_len(self.rest);
        let (node, rest) = self.rest.split_at(size);
        self.rest = rest;
        Some(Node { bytes: node })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Items<'_> {}

impl fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, Node<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let mut pos = 0;
        let key = text(read_key(self.rest, &mut pos));
        let size = node_len(&self.rest[pos..]);
        let node = Node {
            bytes: &self.rest[pos..pos + size],
        };
        self.rest = &self.rest[pos + size..];
        Some((key, node))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Members<'_> {}

impl fmt::Debug for Members<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.clone()).finish()
    }
}
