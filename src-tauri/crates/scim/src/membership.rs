//! Group membership: reading it in the target's way, and writing it in
//! chunks the target accepts.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::Method;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::client::{resource_path, Client};
use crate::config::{MemberRemoveForm, MembershipRead};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::models::{Group, PatchOp, PatchOperation};
use crate::transport::Request;

/// Group id -> member ids.
pub type Memberships = BTreeMap<String, BTreeSet<String>>;

impl Client {
    /// Memberships of `groups` among `user_ids`, read the way the dialect says.
    /// With `Inline`, members come from the groups themselves and `user_ids`
    /// is not used. Fan-out lookups run at most `max_concurrency` at a time.
    pub async fn group_memberships(
        &self,
        groups: &[Group],
        user_ids: &[String],
    ) -> Result<Memberships> {
        self.group_memberships_counted(groups, user_ids, &AtomicU64::new(0))
            .await
    }

    /// [`Client::group_memberships`], adding one to `listed` as each fan-out list finishes
    /// (for progress: a per-user read of a large tenant takes minutes).
    pub async fn group_memberships_counted(
        &self,
        groups: &[Group],
        user_ids: &[String],
        listed: &AtomicU64,
    ) -> Result<Memberships> {
        let mut out: Memberships = groups
            .iter()
            .filter_map(|g| g.id.clone())
            .map(|id| (id, BTreeSet::new()))
            .collect();
        match self.inner.config.dialect.membership_read {
            MembershipRead::Inline => {
                for g in groups {
                    if let Some(id) = &g.id {
                        out.entry(id.clone())
                            .or_default()
                            .extend(g.members.iter().map(|m| m.value.clone()));
                    }
                }
            }
            MembershipRead::FilterByMember => {
                let jobs = user_ids
                    .iter()
                    .map(|u| (u.clone(), Filter::eq("members", u.as_str())));
                for (user, found) in self.fan_out(jobs, listed).await? {
                    for g in found.into_iter().filter_map(|g| g.id) {
                        // Only report groups we were asked about.
                        if let Some(set) = out.get_mut(&g) {
                            set.insert(user.clone());
                        }
                    }
                }
            }
            MembershipRead::FilterByIdAndMember => {
                let jobs = out
                    .keys()
                    .flat_map(|g| user_ids.iter().map(move |u| (g.clone(), u.clone())))
                    .map(|(g, u)| {
                        let f = Filter::eq("id", g.as_str()).and(Filter::eq("members", u.as_str()));
                        (format!("{g}\n{u}"), f)
                    })
                    .collect::<Vec<_>>();
                for (pair, found) in self.fan_out(jobs, listed).await? {
                    if !found.is_empty() {
                        let (g, u) = pair.split_once('\n').expect("pair key has a separator");
                        out.entry(g.to_owned()).or_default().insert(u.to_owned());
                    }
                }
            }
        }
        Ok(out)
    }

    /// Runs one group query per job with bounded concurrency. At most
    /// `max_concurrency` tasks exist at once (a pairwise AWS read can be
    /// groups x users jobs), and the first error stops the rest (dropping the
    /// JoinSet aborts them). The shared semaphore also bounds fan-outs
    /// running in parallel on clones of this client.
    async fn fan_out(
        &self,
        jobs: impl IntoIterator<Item = (String, Filter)>,
        listed: &AtomicU64,
    ) -> Result<Vec<(String, Vec<Group>)>> {
        let limit = self.inner.config.max_concurrency.max(1);
        let mut set = JoinSet::new();
        let mut results = Vec::new();
        for (key, filter) in jobs {
            while set.len() >= limit {
                results.push(join_one(&mut set).await?);
                listed.fetch_add(1, Ordering::Relaxed);
            }
            let client = self.clone();
            let permits = self.inner.fan_out.clone();
            set.spawn(async move {
                let _permit = permits
                    .acquire_owned()
                    .await
                    .map_err(|_| Error::Cancelled)?;
                let groups = client.list_all::<Group>(Some(&filter)).await?;
                Ok::<_, Error>((key, groups))
            });
        }
        while !set.is_empty() {
            results.push(join_one(&mut set).await?);
            listed.fetch_add(1, Ordering::Relaxed);
        }
        Ok(results)
    }

    /// Adds members, at most `max_changes_per_request` per PATCH.
    /// Returns the number of PATCH requests sent.
    pub async fn add_group_members(&self, group_id: &str, member_ids: &[String]) -> Result<usize> {
        let chunk = self.chunk_size();
        let mut sent = 0;
        for ids in member_ids.chunks(chunk) {
            let op = PatchOperation::add(Some("members"), member_values(ids));
            self.patch_group_raw(group_id, vec![op]).await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Removes members in the dialect's remove form, chunked like adds.
    pub async fn remove_group_members(
        &self,
        group_id: &str,
        member_ids: &[String],
    ) -> Result<usize> {
        let policy = self.inner.config.dialect.membership;
        let mut sent = 0;
        for ids in member_ids.chunks(self.chunk_size()) {
            let ops = match policy.remove_form {
                MemberRemoveForm::FilterPath => ids
                    .iter()
                    .map(|id| {
                        let path = Filter::value_path("members", Filter::eq("value", id.as_str()));
                        PatchOperation::remove(path.to_string(), None)
                    })
                    .collect(),
                MemberRemoveForm::ValueList => {
                    vec![PatchOperation::remove("members", Some(member_values(ids)))]
                }
            };
            self.patch_group_raw(group_id, ops).await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Replaces all members: a replace with the first chunk, then adds.
    /// Refused with `ReplaceAllForbidden` where the target rejects it (AWS).
    pub async fn replace_group_members(
        &self,
        group_id: &str,
        member_ids: &[String],
    ) -> Result<usize> {
        if !self.inner.config.dialect.membership.allow_replace_all {
            return Err(Error::ReplaceAllForbidden);
        }
        let chunk = self.chunk_size();
        let (first, rest) = member_ids.split_at(member_ids.len().min(chunk));
        let op = PatchOperation::replace(Some("members"), member_values(first));
        self.patch_group_raw(group_id, vec![op]).await?;
        Ok(1 + self.add_group_members(group_id, rest).await?)
    }

    fn chunk_size(&self) -> usize {
        self.inner
            .config
            .dialect
            .membership
            .max_changes_per_request
            .max(1)
    }

    async fn patch_group_raw(&self, group_id: &str, ops: Vec<PatchOperation>) -> Result<()> {
        let body = serde_json::to_vec(&PatchOp::new(ops)).map_err(|e| Error::InvalidConfig {
            reason: format!("could not encode request: {e}"),
        })?;
        let mut req = Request::new(Method::PATCH, resource_path::<Group>(group_id));
        req.body = Some(body);
        self.send(req).await?.ok()
    }
}

type Job = Result<(String, Vec<Group>)>;

async fn join_one(set: &mut JoinSet<Job>) -> Result<(String, Vec<Group>)> {
    match set.join_next().await {
        Some(Ok(result)) => result,
        // A panic in a task is a bug; surface it instead of hiding it.
        Some(Err(join)) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
        Some(Err(_)) | None => Err(Error::Cancelled),
    }
}

fn member_values(ids: &[String]) -> Value {
    Value::Array(ids.iter().map(|id| json!({ "value": id })).collect())
}
