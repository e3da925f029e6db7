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

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Number, Value};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
/// Followed by 8 little-endian bytes.
const U64: u8 = 3;
const I64: u8 = 4;
const F64: u8 = 5;
/// Followed by the byte length (LEB128) and the UTF-8 bytes.
const STR: u8 = 6;
/// Followed by the content's byte length (u32, little-endian), then the
/// element count (LEB128) and the elements.
const ARR: u8 = 7;
/// Like [`ARR`]; each member is a key then a value.
const OBJ: u8 = 8;
/// Container header: tag and content length.
const HEADER: usize = 5;

/// A key byte below this indexes [`KEYS`]; this byte is followed by the key's
/// length (LEB128) and bytes.
const INLINE_KEY: u8 = 0xff;

/// Member names most SCIM resources use (RFC 7643 §4, §8.7.1 and the usual
/// schema URNs), stored as their index. At most 255 entries.
const KEYS: &[&str] = &[
    "id",
    "externalId",
    "meta",
    "schemas",
    "userName",
    "name",
    "formatted",
    "familyName",
    "givenName",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "active",
    "password",
    "emails",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509Certificates",
    "members",
    "value",
    "display",
    "type",
    "primary",
    "$ref",
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "country",
    "resourceType",
    "created",
    "lastModified",
    "location",
    "version",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "manager",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
];

fn key_index(key: &str) -> Option<u8> {
    static INDEX: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            KEYS.iter()
                .enumerate()
                .filter_map(|(i, k)| Some((*k, u8::try_from(i).ok().filter(|&i| i < INLINE_KEY)?)))
                .collect()
        })
        .get(key)
        .copied()
}

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

/// A borrowed view of one value inside a [`Record`].
#[derive(Clone, Copy)]
pub struct Node<'a> {
    /// Exactly this node's encoding.
    bytes: &'a [u8],
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

fn eight(b: &[u8]) -> [u8; 8] {
    let mut out = [0; 8];
    out.copy_from_slice(&b[..8]);
    out
}

/// Bytes are only ever copied from a `&str`, so this never fails.
fn text(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_default()
}

/// The size of the node starting at `b[0]`.
fn node_len(b: &[u8]) -> usize {
    match b[0] {
        NULL | FALSE | TRUE => 1,
        U64 | I64 | F64 => 9,
        STR => {
            let mut pos = 1;
            let len = read_len(b, &mut pos);
            pos + len
        }
        _ => HEADER + u32::from_le_bytes([b[1], b[2], b[3], b[4]]) as usize,
    }
}

fn read_len(b: &[u8], pos: &mut usize) -> usize {
    let mut out = 0usize;
    let mut shift = 0;
    loop {
        let byte = b[*pos];
        *pos += 1;
        out |= usize::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return out;
        }
        shift += 7;
    }
}

/// The key at `b[*pos]`, as bytes; moves `pos` past it.
fn read_key<'a>(b: &'a [u8], pos: &mut usize) -> &'a [u8] {
    let first = b[*pos];
    *pos += 1;
    if first == INLINE_KEY {
        let len = read_len(b, pos);
        let key = &b[*pos..*pos + len];
        *pos += len;
        key
    } else {
        KEYS[usize::from(first)].as_bytes()
    }
}

fn write_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn len_len(mut n: usize) -> usize {
    let mut bytes = 1;
    while n >= 0x80 {
        n >>= 7;
        bytes += 1;
    }
    bytes
}

fn key_len(key: &str) -> usize {
    match key_index(key) {
        Some(_) => 1,
        None => 1 + len_len(key.len()) + key.len(),
    }
}

/// The exact size [`encode`] writes, so the buffer is allocated once.
fn encoded_len(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(_) => 1,
        Value::Number(_) => 9,
        Value::String(s) => 1 + len_len(s.len()) + s.len(),
        Value::Array(items) => {
            HEADER + len_len(items.len()) + items.iter().map(encoded_len).sum::<usize>()
        }
        Value::Object(map) => {
            HEADER
                + len_len(map.len())
                + map
                    .iter()
                    .map(|(k, v)| key_len(k) + encoded_len(v))
                    .sum::<usize>()
        }
    }
}

fn encode(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(U64);
                out.extend_from_slice(&u.to_le_bytes());
            } else if let Some(i) = n.as_i64() {
                out.push(I64);
                out.extend_from_slice(&i.to_le_bytes());
            } else {
                out.push(F64);
                out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(STR);
            write_len(out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            let at = open(out, ARR, items.len());
            for item in items {
                encode(item, out);
            }
            close(out, at);
        }
        Value::Object(map) => {
            let at = open(out, OBJ, map.len());
            for (k, v) in map {
                match key_index(k) {
                    Some(i) => out.push(i),
                    None => {
                        out.push(INLINE_KEY);
                        write_len(out, k.len());
                        out.extend_from_slice(k.as_bytes());
                    }
                }
                encode(v, out);
            }
            close(out, at);
        }
    }
}

/// Writes a container header with a content length to fill in by [`close`].
fn open(out: &mut Vec<u8>, tag: u8, count: usize) -> usize {
    out.push(tag);
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    write_len(out, count);
    at
}

fn close(out: &mut [u8], at: usize) {
    let content = out.len() - at - 4;
    // A single resource over 4 GiB cannot come from a SCIM response.
    let content = u32::try_from(content).unwrap_or(u32::MAX);
    out[at..at + 4].copy_from_slice(&content.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn user() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
            "id": "2819c223-7f76-453a-919d-413861904646",
            "userName": "bjensen@example.com",
            "name": {"givenName": "Barbara", "familyName": "Jensen", "x-custom": null},
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "active": false,
            "loginCount": 42,
            "balance": -7,
            "score": 0.5,
            "big": u64::MAX,
            "nested": [[], {}, [1, [2, {"a": "b"}]]],
            "unicode": "Jos\u{e9} \u{1F600}",
            "Odd Key \u{e9}": "kept",
            ENT: {"department": "R&D", "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}
        })
    }

    #[test]
    fn round_trips_every_kind_of_value() {
        for v in [
            user(),
            json!(null),
            json!(true),
            json!(""),
            json!([]),
            json!({}),
            json!(-1.25e300),
            json!(i64::MIN),
            json!("x".repeat(300)),
            json!((0..200).collect::<Vec<_>>()),
        ] {
            let r = Record::from(&v);
            assert_eq!(r.to_value(), v);
            assert_eq!(r, v);
            assert_eq!(r.packed_len(), encoded_len(&v));
        }
    }

    #[test]
    fn keeps_member_order() {
        let v = user();
        let back = Record::from(&v).to_value();
        let keys: Vec<&String> = back.as_object().unwrap().keys().collect();
        let original: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, original);
        assert_eq!(
            serde_json::to_string(&Record::from(&v)).unwrap(),
            serde_json::to_string(&v).unwrap()
        );
    }

    #[test]
    fn serde_reads_and_writes_plain_json() {
        let v = user();
        let r = Record::from(&v);
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
        let back: Record = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        assert_eq!(r.to_string(), text);
        assert_eq!(format!("{r:?}"), text);
    }

    #[test]
    fn looks_members_up_exactly_first_then_without_case() {
        let r = Record::from(json!({"UserName": "folded", "userName": "exact", "TITLE": "t"}));
        assert_eq!(r.get_str("userName"), Some("exact"));
        assert_eq!(r.get_str("USERNAME"), Some("folded"));
        assert_eq!(r.get_str("title"), Some("t"));
        assert!(r.get("nope").is_none());
        let u = Record::from(user());
        assert_eq!(
            u.get(ENT).and_then(|e| e.get("Department")),
            Some(u.get(ENT).unwrap().get("department").unwrap())
        );
        assert_eq!(u.get(ENT).unwrap().get("department").unwrap(), json!("R&D"));
        assert_eq!(u.get("Odd key \u{e9}").and_then(Node::as_str), Some("kept"));
        assert_eq!(u.get("active").and_then(Node::as_bool), Some(false));
        assert!(u.get("name").unwrap().get("x-custom").unwrap().is_null());
        let emails: Vec<&str> = u
            .get("emails")
            .unwrap()
            .items()
            .unwrap()
            .filter_map(|e| e.get("value")?.as_str())
            .collect();
        assert_eq!(emails, ["bjensen@example.com", "babs@jensen.org"]);
        assert!(
            matches!(u.get("loginCount").unwrap().kind(), Kind::Number(n) if n.as_u64() == Some(42))
        );
        // Lookups on what is not an object find nothing.
        assert!(Record::from(json!(["a"])).get("a").is_none());
        assert!(u.get("userName").unwrap().get("x").is_none());
    }

    #[test]
    fn well_known_keys_take_one_byte() {
        assert!(KEYS.len() < usize::from(INLINE_KEY));
        let known = Record::from(json!({ENT: "x"}));
        let unknown =
            Record::from(json!({"urn:example:params:scim:schemas:extension:acme:2.0:User": "x"}));
        assert_eq!(known.packed_len(), HEADER + 1 + 1 + 3);
        assert!(unknown.packed_len() > known.packed_len() + 50);
        // Every dictionary entry maps back to itself, and a key differing only in case is not
        // taken for it (it is stored inline, keeping its spelling).
        for (i, k) in KEYS.iter().enumerate() {
            assert_eq!(key_index(k), Some(i as u8));
        }
        let shouting = Record::from(json!({"USERNAME": 1}));
        assert_eq!(shouting.to_value(), json!({"USERNAME": 1}));
        assert_eq!(
            shouting.node().members().unwrap().next().unwrap().0,
            "USERNAME"
        );
    }

    #[test]
    fn equality_ignores_member_order() {
        let a = Record::from(json!({"a": 1, "b": [1, 2], "c": {"x": 1, "y": 2}}));
        let b = Record::from(json!({"c": {"y": 2, "x": 1}, "b": [1, 2], "a": 1}));
        assert_eq!(a.node(), b.node());
        assert_eq!(a, b.to_value());
        let c = Record::from(json!({"c": {"y": 2, "x": 1}, "b": [2, 1], "a": 1}));
        assert_ne!(a.node(), c.node());
        assert_ne!(a, c.to_value());
        assert_ne!(
            Record::from(json!({"a": 1})).node(),
            Record::from(json!({"a": 1, "b": 1})).node()
        );
        assert_ne!(
            Record::from(json!(1)).node(),
            Record::from(json!("1")).node()
        );
    }

    #[test]
    fn edit_goes_through_json() {
        let mut r = Record::from(user());
        r.edit(|v| v["title"] = json!("Boss"));
        assert_eq!(r.get_str("title"), Some("Boss"));
        assert_eq!(r.get_str("userName"), Some("bjensen@example.com"));
        assert!(Record::default().is_null());
    }

    /// Any JSON: objects with dictionary keys, case variants of them and other names.
    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop_oneof![
            proptest::sample::select(KEYS).prop_map(str::to_owned),
            Just("USERNAME".to_owned()),
            Just("Emails".to_owned()),
            "[a-zA-Z$é]{0,12}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,200}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 10, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..10).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..10)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The lookup rule on plain JSON: exact name, else the first without ASCII case.
    fn reference_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
        let map = v.as_object()?;
        map.get(key).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    }

    proptest::proptest! {
        #[test]
        fn any_json_round_trips_and_looks_up_like_json(v in any_json()) {
            let r = Record::from(&v);
            proptest::prop_assert_eq!(r.to_value(), v.clone());
            proptest::prop_assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(&v).unwrap());
            proptest::prop_assert_eq!(r.packed_len(), encoded_len(&v));
            if let Some(map) = v.as_object() {
                for k in map.keys().map(String::as_str).chain(["userName", "USERNAME", "emails", "x"]) {
                    let got = r.get(k).map(Node::to_value);
                    proptest::prop_assert_eq!(got.as_ref(), reference_get(&v, k), "key {}", k);
                }
            }
        }
    }

    #[test]
    fn is_much_smaller_than_the_value() {
        let r = Record::from(user());
        assert!(r.packed_len() < serde_json::to_string(&user()).unwrap().len());
    }
}
