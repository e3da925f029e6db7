//! Checks every user's values for every mapping, so the UI can say
//! "12 users have no department" before anyone signs in.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::chars::{first_non_tag_char, first_non_xml_char};
use crate::limits::MAX_VALUE_CHARS;
use crate::model::{Mapping, Source, UserValues};

/// Why one user's value for one tag is not usable as is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub enum ValueProblem {
    /// The user has no such field; the tag is sent empty and AWS drops it.
    Missing,
    /// Present but ""; AWS drops the tag.
    Empty,
    TooLong {
        len: usize,
    },
    /// Not in AWS's tag character set; sign-in would fail.
    InvalidChar {
        ch: char,
    },
    /// Not representable in XML at all.
    ForbiddenControlChar {
        ch: char,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct UserValueProblem {
    pub user_id: String,
    pub username: String,
    pub problem: ValueProblem,
}

/// How many users fall in each bucket. Every user is in exactly one bucket:
/// the first that applies in the order missing, empty, forbidden, too long,
/// invalid character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct ValueCounts {
    pub ok: usize,
    pub missing: usize,
    pub empty: usize,
    pub too_long: usize,
    pub invalid_char: usize,
    pub forbidden_control_char: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct MappingValueReport {
    pub mapping_index: usize,
    pub tag_key: String,
    pub source: Source,
    pub counts: ValueCounts,
    /// Distinct usable values (what policies will see), e.g. 7 departments.
    pub distinct_values: usize,
    /// One entry per user with a problem, in the order users were given.
    pub problems: Vec<UserValueProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct ValueReport {
    pub total_users: usize,
    pub mappings: Vec<MappingValueReport>,
}

impl ValueReport {
    /// Users with at least one problem in any mapping.
    pub fn users_with_problems(&self) -> usize {
        let ids: HashSet<&str> = self
            .mappings
            .iter()
            .flat_map(|m| m.problems.iter().map(|p| p.user_id.as_str()))
            .collect();
        ids.len()
    }
}

/// The problem of one value, if any.
pub fn value_problem(value: Option<&str>) -> Option<ValueProblem> {
    let value = match value {
        None => return Some(ValueProblem::Missing),
        Some("") => return Some(ValueProblem::Empty),
        Some(v) => v,
    };
    if let Some(ch) = first_non_xml_char(value) {
        return Some(ValueProblem::ForbiddenControlChar { ch });
    }
    let len = value.chars().count();
    if len > MAX_VALUE_CHARS {
        return Some(ValueProblem::TooLong { len });
    }
    first_non_tag_char(value).map(|ch| ValueProblem::InvalidChar { ch })
}

/// Checks each mapping against each user.
pub fn check_values(mappings: &[Mapping], users: &[UserValues]) -> ValueReport {
    let reports = mappings
        .iter()
        .enumerate()
        .map(|(mapping_index, mapping)| {
            let mut counts = ValueCounts::default();
            let mut problems = Vec::new();
            let mut distinct: HashSet<&str> = HashSet::new();
            for user in users {
                let value = user.value_of(&mapping.source);
                match value_problem(value) {
                    None => {
                        counts.ok += 1;
                        distinct.extend(value);
                    }
                    Some(problem) => {
                        match problem {
                            ValueProblem::Missing => counts.missing += 1,
                            ValueProblem::Empty => counts.empty += 1,
                            ValueProblem::TooLong { .. } => counts.too_long += 1,
                            ValueProblem::InvalidChar { .. } => counts.invalid_char += 1,
                            ValueProblem::ForbiddenControlChar { .. } => {
                                counts.forbidden_control_char += 1
                            }
                        }
                        problems.push(UserValueProblem {
                            user_id: user.id.clone(),
                            username: user.username.clone(),
                            problem,
                        });
                    }
                }
            }
            MappingValueReport {
                mapping_index,
                tag_key: mapping.tag_key.clone(),
                source: mapping.source.clone(),
                counts,
                distinct_values: distinct.len(),
                problems,
            }
        })
        .collect();
    ValueReport {
        total_users: users.len(),
        mappings: reports,
    }
}
