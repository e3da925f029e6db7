//! Filtering and paging the rows of a report, so the UI asks only for what it shows
//! (100,000 rows stay on this side of IPC).

use drift::{DriftRow, DriftRowKind, DriftRowState};

use super::report::DiffReport;

/// Which rows to show. Empty lists and an empty search mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowQuery {
    pub states: Vec<DriftRowState>,
    pub kinds: Vec<DriftRowKind>,
    /// Case-insensitive substring of label, ids or reason.
    pub search: String,
    /// Only rows where this attribute (or a sub-attribute of it) differs.
    pub attribute: Option<String>,
    /// Only the membership rows of this group (the group row's key), for a per-group view.
    pub group: Option<String>,
}

impl RowQuery {
    fn matches(&self, row: &DriftRow, haystack: &str, needle: &str) -> bool {
        (self.states.is_empty() || self.states.contains(&row.state))
            && (self.kinds.is_empty() || self.kinds.contains(&row.kind))
            && (needle.is_empty() || haystack.contains(needle))
            && self.attribute.as_deref().is_none_or(|attr| {
                attr.is_empty()
                    || row
                        .changed_attributes
                        .iter()
                        .any(|path| same_or_below(path, attr))
            })
            && self.group.as_deref().is_none_or(|group| {
                group.is_empty()
                    || (row.kind == DriftRowKind::Membership
                        && row.key.split_once('/').is_some_and(|(g, _)| g == group))
            })
    }
}

/// `name.familyName` is below `name`; `emails[primary eq true].value` is below `emails`.
fn same_or_below(path: &str, attr: &str) -> bool {
    path.len() >= attr.len()
        && path[..attr.len()].eq_ignore_ascii_case(attr)
        && matches!(path.as_bytes().get(attr.len()), None | Some(b'.' | b'['))
}

impl DiffReport {
    /// The matching rows' total and the page `offset..offset + limit` of them.
    pub fn query(&self, query: &RowQuery, offset: usize, limit: usize) -> (usize, Vec<&DriftRow>) {
        let needle = query.search.trim().to_lowercase();
        let mut total = 0;
        let mut page = Vec::with_capacity(limit.min(1000));
        for (row, haystack) in self.rows.iter().zip(&self.haystacks) {
            if !query.matches(row, haystack, &needle) {
                continue;
            }
            if total >= offset && page.len() < limit {
                page.push(row);
            }
            total += 1;
        }
        (total, page)
    }
}

#[cfg(test)]
mod tests {
    use super::same_or_below;

    #[test]
    fn attribute_filter_takes_sub_attributes_but_not_prefixes() {
        assert!(same_or_below("name.familyName", "name"));
        assert!(same_or_below("name.familyName", "name.familyName"));
        assert!(same_or_below("emails[primary eq true].value", "emails"));
        assert!(same_or_below("Title", "title"));
        assert!(!same_or_below("nameX", "name"));
        assert!(!same_or_below("displayName", "name"));
    }
}
