//! Turning a [`Drift`] into a [`Plan`]: the SCIM writes that would make the target hold what
//! JumpCloud would push, under a [`Policy`] and the target's [`WriteRules`].
//!
//! Safety is decided here, not at apply time: conflicts (take-overs, duplicate externalIds,
//! email matches) are never resolved automatically, accounts someone else made are only touched
//! when the policy allows it, nothing is removed in upsert-only mode, group members are changed
//! with add/remove in chunks (never a replace of the whole list), and the deletion guard counts
//! every deactivation and deletion.
//!
//! Plans are deterministic: the same drift gives the same operations with the same ids, which is
//! what lets an apply re-plan against a fresh read and keep only what was approved.

mod groups;
mod model;
mod users;

use std::collections::HashSet;

pub use model::{
    Decision, DecisionKind, DeletionGuard, GuardVerdict, MemberRef, OpAction, Plan, PlanCounts,
    PlannedOp, Policy, SkippedItem, SkippedKind, WriteRules,
};

use serde_json::Value;

use crate::input::Expected;
use crate::output::{Drift, DriftEntry};

/// Where the planner finds the resources JumpCloud would push, by JumpCloud id. [`Expected`]
/// is one; a kept diff report can be another without rebuilding an `Expected`.
pub trait ExpectedLookup {
    /// The SCIM User JSON JumpCloud would push.
    fn user(&self, source_id: &str) -> Option<Value>;
    /// The SCIM Group JSON and the JumpCloud ids of its members.
    fn group(&self, source_id: &str) -> Option<(Value, Vec<String>)>;
}

/// A linear search: for tests and small inputs. The engine looks up its kept report instead.
impl ExpectedLookup for Expected {
    fn user(&self, source_id: &str) -> Option<Value> {
        self.users
            .iter()
            .find(|u| u.source_id == source_id)
            .map(|u| u.resource_json())
    }

    fn group(&self, source_id: &str) -> Option<(Value, Vec<String>)> {
        self.groups
            .iter()
            .find(|g| g.source_id == source_id)
            .map(|g| (g.resource_json(), g.member_source_ids.clone()))
    }
}

/// What the planner reads besides the drift.
pub struct PlanInput<'a> {
    pub drift: &'a Drift,
    /// The resources JumpCloud would push (create and PUT bodies come from here).
    pub expected: &'a dyn ExpectedLookup,
    /// Target ids of users already inactive in the target: a formerly managed account that is
    /// already deactivated needs nothing (planning it again would repeat forever).
    pub inactive_target_users: &'a HashSet<String>,
    /// Users plus groups the target holds: the base of the deletion guard's share.
    pub target_objects: u32,
}

/// Plans the writes for `input.drift`.
pub fn plan(input: &PlanInput<'_>, policy: &Policy, rules: &WriteRules) -> Plan {
    let mut out = Builder::new(policy, rules);
    users::plan_users(input, &mut out);
    if rules.groups {
        groups::plan_groups(input, &mut out);
        groups::plan_memberships(input, &mut out);
    }
    out.finish(input.target_objects)
}

/// Collects operations and skipped items while the planners walk the drift.
pub(crate) struct Builder<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) rules: &'a WriteRules,
    ops: Vec<PlannedOp>,
    skipped: Vec<SkippedItem>,
    decisions: Vec<Decision>,
}

impl<'a> Builder<'a> {
    fn new(policy: &'a Policy, rules: &'a WriteRules) -> Self {
        Self {
            policy,
            rules,
            ops: Vec::new(),
            skipped: Vec::new(),
            decisions: Vec::new(),
        }
    }

    /// Offers `op` as a decision; it joins the operations only if the policy chose it.
    pub(crate) fn decide(
        &mut self,
        kind: DecisionKind,
        entry: &DriftEntry,
        choice: &str,
        mut op: PlannedOp,
    ) {
        let chosen = self.policy.has_decided(&op.id);
        self.decisions.push(Decision {
            id: op.id.clone(),
            kind,
            label: entry.label.clone(),
            source_id: entry.source_id.clone(),
            target_id: entry.target_id.clone(),
            reason_code: entry.reason_code,
            reason: entry.reason.clone(),
            choice: choice.to_owned(),
            destructive: op.destructive,
            chosen,
        });
        if !chosen {
            return;
        }
        if op.destructive && self.policy.upsert_only {
            self.skip(
                SkippedKind::User,
                entry,
                format!("Chosen: {choice}. Not written: the policy is upsert-only"),
            );
            return;
        }
        op.reason = format!("Chosen by the admin: {choice}. {}", entry.reason);
        self.ops.push(op);
    }

    pub(crate) fn op(&mut self, op: PlannedOp) {
        self.ops.push(op);
    }

    pub(crate) fn skip(&mut self, kind: SkippedKind, entry: &DriftEntry, why: impl Into<String>) {
        self.skipped.push(SkippedItem {
            kind,
            label: entry.label.clone(),
            source_id: entry.source_id.clone(),
            target_id: entry.target_id.clone(),
            reason_code: entry.reason_code,
            reason: why.into(),
        });
    }

    pub(crate) fn skip_item(&mut self, item: SkippedItem) {
        self.skipped.push(item);
    }

    fn finish(mut self, target_objects: u32) -> Plan {
        // Stable sort: phase order, and within a phase the drift's order (by label).
        self.ops.sort_by_key(|op| op.action.phase());
        let mut counts = counts(&self.ops, self.skipped.len());
        counts.decisions = count(self.decisions.len());
        let guard = guard(
            self.policy,
            counts.deactivations + counts.deletions,
            target_objects,
        );
        Plan {
            policy: self.policy.clone(),
            rules: self.rules.clone(),
            operations: self.ops,
            skipped: self.skipped,
            decisions: self.decisions,
            guard,
            counts,
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn counts(ops: &[PlannedOp], skipped: usize) -> PlanCounts {
    let mut c = PlanCounts {
        operations: count(ops.len()),
        skipped: count(skipped),
        ..PlanCounts::default()
    };
    for op in ops {
        if op.destructive {
            c.destructive += 1;
        }
        match op.action {
            OpAction::CreateUser | OpAction::CreateGroup => c.creates += 1,
            OpAction::PatchUser | OpAction::ReplaceUser | OpAction::PatchGroup => c.updates += 1,
            OpAction::DeactivateUser => c.deactivations += 1,
            OpAction::DeleteUser | OpAction::DeleteGroup => c.deletions += 1,
            OpAction::AddMembers => c.members_added += count(op.members.len()),
            OpAction::RemoveMembers => c.members_removed += count(op.members.len()),
        }
    }
    c
}

fn guard(policy: &Policy, deprovisions: u32, target_objects: u32) -> GuardVerdict {
    let g = &policy.deletion_guard;
    let share_exceeded =
        f64::from(deprovisions) * 100.0 > g.max_percent * f64::from(target_objects.max(1));
    GuardVerdict {
        deprovisions,
        target_objects,
        max_count: g.max_count,
        max_percent: g.max_percent,
        tripped: deprovisions > g.max_count || (deprovisions > 0 && share_exceeded),
    }
}

impl PlannedOp {
    /// The approvals this operation stands for: its id, or for member operations one per
    /// member, so a re-plan that chunks members differently still matches what was approved.
    pub fn intents(&self) -> Vec<String> {
        match self.action {
            OpAction::AddMembers | OpAction::RemoveMembers => self
                .members
                .iter()
                .map(|m| member_intent(self.action, self.group_key(), m.key()))
                .collect(),
            _ => vec![self.id.clone()],
        }
    }

    /// The group of a member operation: its target id, or its JumpCloud id when the plan
    /// creates it.
    pub fn group_key(&self) -> &str {
        self.target_id
            .as_deref()
            .or(self.group_source_id.as_deref())
            .unwrap_or_default()
    }
}

fn member_intent(action: OpAction, group: &str, member: &str) -> String {
    let verb = if action == OpAction::AddMembers {
        "add"
    } else {
        "remove"
    };
    format!("member.{verb}:{group}:{member}")
}

impl Plan {
    /// Every approval key of the plan (see [`PlannedOp::intents`]).
    pub fn intents(&self) -> HashSet<String> {
        self.operations
            .iter()
            .flat_map(PlannedOp::intents)
            .collect()
    }

    /// Only the operations (and members) whose intents are in `approved`, with counts and the
    /// guard recomputed. Used to apply a reviewed selection of a plan made from a fresh read:
    /// anything done since the review is no longer planned, anything new was never approved.
    pub fn restricted_to(&self, approved: &HashSet<String>) -> Plan {
        let mut operations = Vec::new();
        for op in &self.operations {
            match op.action {
                OpAction::AddMembers | OpAction::RemoveMembers => {
                    let group = op.group_key();
                    let members: Vec<MemberRef> = op
                        .members
                        .iter()
                        .filter(|m| approved.contains(&member_intent(op.action, group, m.key())))
                        .cloned()
                        .collect();
                    if !members.is_empty() {
                        operations.push(PlannedOp {
                            members,
                            ..op.clone()
                        });
                    }
                }
                _ if approved.contains(&op.id) => operations.push(op.clone()),
                _ => {}
            }
        }
        let mut counts = counts(&operations, self.skipped.len());
        counts.decisions = self.counts.decisions;
        let guard = guard(
            &self.policy,
            counts.deactivations + counts.deletions,
            self.guard.target_objects,
        );
        Plan {
            operations,
            counts,
            guard,
            ..self.clone()
        }
    }
}

/// Chunks member changes of one group to the target's per-request limit.
pub(crate) fn member_chunks(
    members: Vec<MemberRef>,
    max: u32,
) -> impl Iterator<Item = (usize, Vec<MemberRef>)> {
    let size = usize::try_from(max.max(1)).unwrap_or(usize::MAX);
    let chunks: Vec<Vec<MemberRef>> = members.chunks(size).map(<[_]>::to_vec).collect();
    chunks.into_iter().enumerate()
}

#[cfg(test)]
mod tests;
