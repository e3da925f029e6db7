//! Binary encoding of a snapshot: one blob per run.
//!
//! Layout (version 1): `[1u8] varint(count)` then per entry, sorted by
//! (kind, key): `kind u8, state u8, hash u64 LE, varint(key len), key utf8`.
//! About 11 bytes plus the key per object; sorted so deltas are a merge.

use super::{DiffSnapshot, ObjectKind, ObjectState, SnapshotEntry};

const VERSION: u8 = 1;

/// Encodes entries sorted by (kind, key); a duplicated key keeps its first entry.
pub(crate) fn encode(snapshot: &DiffSnapshot) -> Vec<u8> {
    let mut entries: Vec<&SnapshotEntry> = snapshot.entries.iter().collect();
    entries.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
    entries.dedup_by(|b, a| a.kind == b.kind && a.key == b.key);

    let mut out = Vec::with_capacity(8 + entries.len() * 32);
    out.push(VERSION);
    put_varint(&mut out, entries.len() as u64);
    for e in entries {
        out.push(e.kind.code());
        out.push(e.state.code());
        out.extend_from_slice(&e.hash.to_le_bytes());
        put_varint(&mut out, e.key.len() as u64);
        out.extend_from_slice(e.key.as_bytes());
    }
    out
}

/// Decodes a blob written by [`encode`]; the error says what was wrong.
pub(crate) fn decode(bytes: &[u8]) -> Result<DiffSnapshot, String> {
    let mut r = Reader { bytes, pos: 0 };
    let version = r.byte()?;
    if version != VERSION {
        return Err(format!("unknown snapshot encoding version {version}"));
    }
    let count = r.varint()?;
    // Each entry takes at least 11 bytes: refuse absurd counts before allocating.
    if count > (bytes.len() / 11) as u64 {
        return Err(format!("entry count {count} exceeds blob size"));
    }
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let kind_code = r.byte()?;
        let kind = ObjectKind::from_code(kind_code)
            .ok_or(format!("unknown object kind code {kind_code}"))?;
        let state_code = r.byte()?;
        let state =
            ObjectState::from_code(state_code).ok_or(format!("unknown state code {state_code}"))?;
        let hash = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
        let len = r.varint()? as usize;
        let key =
            std::str::from_utf8(r.take(len)?).map_err(|e| format!("key is not UTF-8: {e}"))?;
        entries.push(SnapshotEntry {
            kind,
            key: key.to_owned(),
            state,
            hash,
        });
    }
    if r.pos != bytes.len() {
        return Err(format!("{} trailing bytes", bytes.len() - r.pos));
    }
    Ok(DiffSnapshot { entries })
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("blob ends early at byte {}", self.pos))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("varint too long".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DiffSnapshot {
        let mut s = DiffSnapshot::default();
        s.push(ObjectKind::Group, "g-eng", ObjectState::Changed, 7);
        s.push(ObjectKind::User, "u-2", ObjectState::Missing, u64::MAX);
        s.push(ObjectKind::User, "u-1", ObjectState::InSync, 0);
        s.push(
            ObjectKind::Membership,
            "g-eng/u-1é",
            ObjectState::Extra,
            1 << 40,
        );
        s.push(ObjectKind::User, "u-1", ObjectState::Extra, 99); // duplicate key
        s
    }

    #[test]
    fn round_trip_sorts_and_dedups() {
        let decoded = decode(&encode(&sample())).unwrap();
        let keys: Vec<_> = decoded
            .entries
            .iter()
            .map(|e| (e.kind, e.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            vec![
                (ObjectKind::User, "u-1"),
                (ObjectKind::User, "u-2"),
                (ObjectKind::Group, "g-eng"),
                (ObjectKind::Membership, "g-eng/u-1é"),
            ]
        );
        assert_eq!(decoded.entries[0].state, ObjectState::InSync);
        assert_eq!(decoded.entries[1].hash, u64::MAX);
        assert_eq!(decoded.entries[3].hash, 1 << 40);
    }

    #[test]
    fn long_keys_use_multi_byte_lengths() {
        let mut s = DiffSnapshot::default();
        s.push(ObjectKind::User, "k".repeat(300), ObjectState::Missing, 5);
        assert_eq!(decode(&encode(&s)).unwrap(), s);
    }

    #[test]
    fn truncated_or_foreign_blobs_are_rejected() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut} decoded");
        }
        let mut wrong_version = bytes.clone();
        wrong_version[0] = 9;
        assert!(decode(&wrong_version).is_err());
        let mut trailing = bytes;
        trailing.push(0);
        assert!(decode(&trailing).is_err());
    }
}
