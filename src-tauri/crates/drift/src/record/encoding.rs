//! The packed encoding of a [`super::Record`]: one tag byte per value, containers prefixed with
//! their byte length, and the usual SCIM member names as one-byte indexes into [`KEYS`].

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

pub(super) const NULL: u8 = 0;
pub(super) const FALSE: u8 = 1;
pub(super) const TRUE: u8 = 2;
/// Followed by 8 little-endian bytes.
pub(super) const U64: u8 = 3;
pub(super) const I64: u8 = 4;
pub(super) const F64: u8 = 5;
/// Followed by the byte length (LEB128) and the UTF-8 bytes.
pub(super) const STR: u8 = 6;
/// Followed by the content's byte length (u32, little-endian), then the
/// element count (LEB128) and the elements.
pub(super) const ARR: u8 = 7;
/// Like [`ARR`]; each member is a key then a value.
pub(super) const OBJ: u8 = 8;
/// Container header: tag and content length.
pub(super) const HEADER: usize = 5;

/// A key byte below this indexes [`KEYS`]; this byte is followed by the key's
/// length (LEB128) and bytes.
pub(super) const INLINE_KEY: u8 = 0xff;

/// Member names most SCIM resources use (RFC 7643 §4, §8.7.1 and the usual
/// schema URNs), stored as their index. At most 255 entries.
pub(super) const KEYS: &[&str] = &[
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

pub(super) fn key_index(key: &str) -> Option<u8> {
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

pub(super) fn eight(b: &[u8]) -> [u8; 8] {
    let mut out = [0; 8];
    out.copy_from_slice(&b[..8]);
    out
}

/// Bytes are only ever copied from a `&str`, so this never fails.
pub(super) fn text(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_default()
}

/// The size of the node starting at `b[0]`.
pub(super) fn node_len(b: &[u8]) -> usize {
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

pub(super) fn read_len(b: &[u8], pos: &mut usize) -> usize {
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
pub(super) fn read_key<'a>(b: &'a [u8], pos: &mut usize) -> &'a [u8] {
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

pub(super) fn write_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(super) fn len_len(mut n: usize) -> usize {
    let mut bytes = 1;
    while n >= 0x80 {
        n >>= 7;
        bytes += 1;
    }
    bytes
}

pub(super) fn key_len(key: &str) -> usize {
    match key_index(key) {
        Some(_) => 1,
        None => 1 + len_len(key.len()) + key.len(),
    }
}

/// The exact size [`encode`] writes, so the buffer is allocated once.
pub(super) fn encoded_len(v: &Value) -> usize {
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

pub(super) fn encode(v: &Value, out: &mut Vec<u8>) {
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
pub(super) fn open(out: &mut Vec<u8>, tag: u8, count: usize) -> usize {
    out.push(tag);
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    write_len(out, count);
    at
}

pub(super) fn close(out: &mut [u8], at: usize) {
    let content = out.len() - at - 4;
    // A single resource over 4 GiB cannot come from a SCIM response.
    let content = u32::try_from(content).unwrap_or(u32::MAX);
    out[at..at + 4].copy_from_slice(&content.to_le_bytes());
}
