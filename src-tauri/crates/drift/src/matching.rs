//! Lookup of target resources by normalised key, and the claim bookkeeping
//! that makes every target resource match at most once.

use crate::strtable::StrTable;

const END: u32 = u32::MAX;

/// Target resources indexed by one key (externalId, userName, ...). Several
/// resources may share a key; they are chained through `next` instead of
/// giving every key its own Vec, which saves an allocation per resource.
pub(crate) struct KeyIndex {
    heads: StrTable,
    next: Vec<u32>,
}

impl KeyIndex {
    /// `keys[i]` is the key of target resource `i`, `None` if it has none.
    pub(crate) fn build(keys: &[Option<&str>]) -> Self {
        let mut heads = StrTable::with_capacity(keys.iter().flatten().count());
        let mut next = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(END);
            let prev = key.and_then(|k| heads.insert(k, i));
            next.push(prev.unwrap_or(END));
        }
        Self { heads, next }
    }

    /// The unclaimed resource with this key that has the smallest target id,
    /// so the outcome does not depend on the order the target listed them in.
    pub(crate) fn best_unclaimed(&self, key: &str, claimed: &[bool], ids: &[&str]) -> Option<u32> {
        let mut cur = self.heads.get(key)?;
        let mut best: Option<u32> = None;
        while cur != END {
            let c = cur as usize;
            if !claimed[c] && best.is_none_or(|b| ids[c] < ids[b as usize]) {
                best = Some(cur);
            }
            cur = self.next[c];
        }
        best
    }
}

/// Indices sorted by a key, so every pass visits expected resources in the same order
/// whatever order the caller gave them in.
pub(crate) fn order_by<'a>(n: usize, key: impl Fn(usize) -> &'a str) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n).filter_map(|i| u32::try_from(i).ok()).collect();
    order.sort_by(|&a, &b| key(a as usize).cmp(key(b as usize)).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_unclaimed_candidate_with_the_smallest_id() {
        let keys = [Some("k"), None, Some("k"), Some("other"), Some("k")];
        let ids = ["c", "x", "a", "y", "b"];
        let index = KeyIndex::build(&keys);
        let mut claimed = vec![false; ids.len()];
        assert_eq!(index.best_unclaimed("k", &claimed, &ids), Some(2));
        claimed[2] = true;
        assert_eq!(index.best_unclaimed("k", &claimed, &ids), Some(4));
        claimed[4] = true;
        claimed[0] = true;
        assert_eq!(index.best_unclaimed("k", &claimed, &ids), None);
        assert_eq!(index.best_unclaimed("other", &claimed, &ids), Some(3));
        assert_eq!(index.best_unclaimed("nope", &claimed, &ids), None);
    }

    #[test]
    fn order_is_by_key_then_position() {
        let keys = ["b", "a", "b", "c"];
        assert_eq!(order_by(keys.len(), |i| keys[i]), vec![1, 0, 2, 3]);
    }
}
