//! A string-keyed lookup table whose keys live in one contiguous arena.
//!
//! Why not `HashMap<&str, u32>`: with 100,000 ids scattered over a heap of
//! parsed JSON, confirming a hit means reading the key from a cold cache line
//! (measured: most of the membership pass). Here slots carry a fingerprint,
//! so probes past other keys never touch them, and a hit compares against a
//! compact arena that stays in cache far more often.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;

/// One probe reads one slot: fingerprint, value and where the key sits in the
/// arena, so a hit costs the slot plus the key bytes and nothing else.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// High half of the hash with the low bit set; 0 marks a free slot.
    tag: u32,
    value: u32,
    start: u32,
    len: u32,
}

pub(crate) struct StrTable {
    arena: String,
    /// Linear probing, at most half full.
    slots: Vec<Slot>,
    len: usize,
    hasher: FixedState,
}

impl StrTable {
    pub(crate) fn with_capacity(entries: usize) -> Self {
        Self {
            arena: String::with_capacity(entries * 24),
            slots: vec![Slot::default(); slot_count(entries)],
            len: 0,
            // Fixed seed: the crate stays deterministic; keys come from the
            // admin's own directories, not from an adversary.
            hasher: FixedState::with_seed(0x5c1f_d21f),
        }
    }

    /// Inserts or replaces; returns the value the key had before.
    pub(crate) fn insert(&mut self, key: &str, value: u32) -> Option<u32> {
        let (home, tag) = self.hash(key);
        if let Some(i) = self.find(key, home, tag) {
            return Some(std::mem::replace(&mut self.slots[i].value, value));
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let (home, tag) = self.hash(key);
        let start = self.arena.len() as u32;
        self.arena.push_str(key);
        self.place(
            home,
            Slot {
                tag,
                value,
                start,
                len: key.len() as u32,
            },
        );
        self.len += 1;
        None
    }

    pub(crate) fn get(&self, key: &str) -> Option<u32> {
        let (home, tag) = self.hash(key);
        self.find(key, home, tag).map(|i| self.slots[i].value)
    }

    /// Looks up every key, in order, appending the values to `out`.
    ///
    /// Same answers as [`Self::get`] one by one, but faster on tables larger than the
    /// cache: a block of keys is hashed and its first slots (and their keys in the arena)
    /// are read before any key is compared, so the cache misses of a block overlap
    /// instead of being waited for one after the other.
    pub(crate) fn get_all<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k str>,
        out: &mut Vec<Option<u32>>,
    ) {
        const BLOCK: usize = 16;
        let mut keys = keys.into_iter();
        let mut block: [(&str, usize, u32); BLOCK] = [("", 0, 0); BLOCK];
        loop {
            let mut n = 0;
            for key in keys.by_ref().take(BLOCK) {
                let (home, tag) = self.hash(key);
                block[n] = (key, home, tag);
                n += 1;
            }
            if n == 0 {
                return;
            }
            // Touch the first slot of each probe, then the arena bytes it points at.
            let mut touched = 0u32;
            for &(_, home, _) in &block[..n] {
                touched ^= self.slots[home].tag;
            }
            for &(_, home, tag) in &block[..n] {
                let s = &self.slots[home];
                if s.tag == tag {
                    touched ^= u32::from(
                        self.arena.as_bytes()[s.start as usize..]
                            .first()
                            .copied()
                            .unwrap_or(0),
                    );
                }
            }
            std::hint::black_box(touched);
            out.extend(
                block[..n].iter().map(|&(key, home, tag)| {
                    self.find(key, home, tag).map(|i| self.slots[i].value)
                }),
            );
        }
    }

    fn hash(&self, key: &str) -> (usize, u32) {
        let h = self.hasher.hash_one(key);
        let home = h as usize & (self.slots.len() - 1);
        (home, ((h >> 32) as u32) | 1)
    }

    fn find(&self, key: &str, home: usize, tag: u32) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = home;
        loop {
            let s = &self.slots[i];
            if s.tag == 0 {
                return None;
            }
            if s.tag == tag && s.len as usize == key.len() && self.key_at(s) == key {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    fn key_at(&self, s: &Slot) -> &str {
        &self.arena[s.start as usize..(s.start + s.len) as usize]
    }

    fn place(&mut self, home: usize, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = home;
        while self.slots[i].tag != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let old = std::mem::replace(
            &mut self.slots,
            vec![Slot::default(); slot_count(self.len * 2 + 1)],
        );
        for s in old.into_iter().filter(|s| s.tag != 0) {
            let (home, _) = self.hash(self.key_at(&s));
            self.place(home, s);
        }
    }
}

/// At most half full, so probe runs stay short.
fn slot_count(entries: usize) -> usize {
    (entries * 2).max(16).next_power_of_two()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inserted_keys_and_nothing_else() {
        let mut t = StrTable::with_capacity(2);
        for i in 0..1000u32 {
            assert_eq!(t.insert(&format!("key-{i}"), i), None);
        }
        for i in 0..1000u32 {
            assert_eq!(t.get(&format!("key-{i}")), Some(i));
        }
        assert_eq!(t.get("key-1000"), None);
        assert_eq!(t.get(""), None);
    }

    #[test]
    fn get_all_answers_like_get() {
        let mut t = StrTable::with_capacity(8);
        for i in 0..500u32 {
            t.insert(&format!("k{i}"), i);
        }
        let keys: Vec<String> = (0..1000u32).map(|i| format!("k{}", i * 7 % 1000)).collect();
        let mut out = vec![Some(42)];
        t.get_all(keys.iter().map(String::as_str), &mut out);
        assert_eq!(out[0], Some(42), "appends");
        let one_by_one: Vec<Option<u32>> = keys.iter().map(|k| t.get(k)).collect();
        assert_eq!(out[1..], one_by_one[..]);
        let mut none = Vec::new();
        t.get_all([], &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn insert_replaces_and_returns_the_previous_value() {
        let mut t = StrTable::with_capacity(4);
        assert_eq!(t.insert("a", 1), None);
        assert_eq!(t.insert("a", 2), Some(1));
        assert_eq!(t.get("a"), Some(2));
        assert_eq!(t.insert("", 7), None);
        assert_eq!(t.get(""), Some(7));
    }
}
