//! "What changed since the previous diff" as a merge of two sorted snapshots.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DiffSnapshot, ObjectKind, ObjectState, SnapshotEntry};
use crate::model::RunId;

/// One object that differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct DeltaEntry {
    pub kind: ObjectKind,
    pub key: String,
    /// State in the previous snapshot (`None`: the object had not appeared).
    pub before: Option<ObjectState>,
    /// State in this snapshot (`None`: the object disappeared).
    pub after: Option<ObjectState>,
    /// The attribute hash moved (only meaningful when both sides exist).
    pub values_changed: bool,
}

/// Differences between a diff run's snapshot and the previous one for the
/// same target. With no previous snapshot every object counts as appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct SnapshotDelta {
    pub run_id: RunId,
    pub previous_run_id: Option<RunId>,
    pub appeared: Vec<DeltaEntry>,
    pub disappeared: Vec<DeltaEntry>,
    /// Present in both, with a different state or attribute hash.
    pub changed: Vec<DeltaEntry>,
}

/// Both inputs must be sorted by (kind, key), as decoded snapshots are.
pub(crate) fn delta(
    run_id: RunId,
    previous_run_id: Option<RunId>,
    previous: &DiffSnapshot,
    current: &DiffSnapshot,
) -> SnapshotDelta {
    let mut out = SnapshotDelta {
        run_id,
        previous_run_id,
        appeared: Vec::new(),
        disappeared: Vec::new(),
        changed: Vec::new(),
    };
    let (mut old, mut new) = (
        previous.entries.iter().peekable(),
        current.entries.iter().peekable(),
    );
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(o), Some(n)) => (o.kind, &o.key).cmp(&(n.kind, &n.key)),
        };
        match order {
            std::cmp::Ordering::Less => {
                let o = old.next().expect("peeked");
                out.disappeared.push(entry(o, Some(o.state), None, false));
            }
            std::cmp::Ordering::Greater => {
                let n = new.next().expect("peeked");
                out.appeared.push(entry(n, None, Some(n.state), false));
            }
            std::cmp::Ordering::Equal => {
                let (o, n) = (old.next().expect("peeked"), new.next().expect("peeked"));
                if o.state != n.state || o.hash != n.hash {
                    out.changed
                        .push(entry(n, Some(o.state), Some(n.state), o.hash != n.hash));
                }
            }
        }
    }
    out
}

fn entry(
    e: &SnapshotEntry,
    before: Option<ObjectState>,
    after: Option<ObjectState>,
    values_changed: bool,
) -> DeltaEntry {
    DeltaEntry {
        kind: e.kind,
        key: e.key.clone(),
        before,
        after,
        values_changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{decode, encode};

    fn snap(items: &[(ObjectKind, &str, ObjectState, u64)]) -> DiffSnapshot {
        let mut s = DiffSnapshot::default();
        for (k, key, st, h) in items {
            s.push(*k, *key, *st, *h);
        }
        decode(&encode(&s)).unwrap() // sorted, as stored
    }

    #[test]
    fn classifies_appeared_disappeared_and_changed() {
        use ObjectKind::*;
        use ObjectState::*;
        let before = snap(&[
            (User, "a", InSync, 1),
            (User, "b", Missing, 2),
            (User, "c", Changed, 3),
            (Group, "g", InSync, 4),
        ]);
        let after = snap(&[
            (User, "a", InSync, 1),
            (User, "c", Changed, 30),
            (User, "d", Extra, 5),
            (Group, "g", Missing, 4),
        ]);
        let d = delta(RunId(2), Some(RunId(1)), &before, &after);
        let keys = |v: &[DeltaEntry]| v.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&d.appeared), ["d"]);
        assert_eq!(keys(&d.disappeared), ["b"]);
        assert_eq!(keys(&d.changed), ["c", "g"]);
        assert!(d.changed[0].values_changed);
        assert_eq!(
            (d.changed[1].before, d.changed[1].after),
            (Some(InSync), Some(Missing))
        );
        assert!(!d.changed[1].values_changed);
    }

    #[test]
    fn same_key_in_other_kind_is_a_different_object() {
        use ObjectKind::*;
        let before = snap(&[(User, "x", ObjectState::InSync, 1)]);
        let after = snap(&[(Group, "x", ObjectState::InSync, 1)]);
        let d = delta(RunId(2), Some(RunId(1)), &before, &after);
        assert_eq!(
            (d.appeared.len(), d.disappeared.len(), d.changed.len()),
            (1, 1, 0)
        );
    }
}

#[cfg(test)]
mod properties {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::snapshot::{decode, encode};

    fn kind() -> impl Strategy<Value = ObjectKind> {
        prop_oneof![
            Just(ObjectKind::User),
            Just(ObjectKind::Group),
            Just(ObjectKind::Membership)
        ]
    }

    fn state() -> impl Strategy<Value = ObjectState> {
        prop_oneof![
            Just(ObjectState::InSync),
            Just(ObjectState::Missing),
            Just(ObjectState::Extra),
            Just(ObjectState::Changed),
            Just(ObjectState::Ineligible),
        ]
    }

    /// Small key and hash spaces so the two sides share many objects.
    fn snapshot() -> impl Strategy<Value = BTreeMap<(ObjectKind, String), (ObjectState, u64)>> {
        proptest::collection::btree_map((kind(), "[a-e]{1,2}"), (state(), 0u64..3), 0..40)
    }

    fn to_snapshot(map: &BTreeMap<(ObjectKind, String), (ObjectState, u64)>) -> DiffSnapshot {
        let mut s = DiffSnapshot::default();
        // Pushed in reverse: encode must sort.
        for ((k, key), (st, h)) in map.iter().rev() {
            s.push(*k, key.clone(), *st, *h);
        }
        decode(&encode(&s)).unwrap()
    }

    proptest! {
        #[test]
        fn delta_matches_a_map_comparison(old in snapshot(), new in snapshot()) {
            let d = delta(RunId(2), Some(RunId(1)), &to_snapshot(&old), &to_snapshot(&new));
            let key = |e: &DeltaEntry| (e.kind, e.key.clone());
            let appeared: Vec<_> = new.keys().filter(|k| !old.contains_key(*k)).cloned().collect();
            let disappeared: Vec<_> = old.keys().filter(|k| !new.contains_key(*k)).cloned().collect();
            let changed: Vec<_> = new.iter().filter(|(k, v)| old.get(*k).is_some_and(|o| o != *v)).map(|(k, _)| k.clone()).collect();
            prop_assert_eq!(d.appeared.iter().map(key).collect::<Vec<_>>(), appeared);
            prop_assert_eq!(d.disappeared.iter().map(key).collect::<Vec<_>>(), disappeared);
            prop_assert_eq!(d.changed.iter().map(key).collect::<Vec<_>>(), changed);
            for e in &d.changed {
                let (o, n) = (old[&key(e)], new[&key(e)]);
                prop_assert_eq!((e.before, e.after, e.values_changed), (Some(o.0), Some(n.0), o.1 != n.1));
            }
        }

        #[test]
        fn codec_round_trips(map in snapshot()) {
            let s = to_snapshot(&map);
            let back: BTreeMap<_, _> = s.entries.iter().map(|e| ((e.kind, e.key.clone()), (e.state, e.hash))).collect();
            prop_assert_eq!(back, map);
        }
    }
}
