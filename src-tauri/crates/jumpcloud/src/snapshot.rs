//! Reading the whole directory at once, all or nothing: a partial directory would look like
//! deletions to the diff, so any failed, short or inconsistent read fails the snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::client::{Bound, Client};
use crate::directory::{Directory, GroupMembers};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct SnapshotOptions {
    /// Requests in flight at once. JumpCloud throttles bursts, so keep this small.
    pub concurrency: usize,
    /// Read bindings for this application only (the others are left out of the directory).
    pub app_id: Option<String>,
    /// Check that the users JumpCloud reports for each application equal [`Directory::app_scope`]
    /// computed from bindings and memberships. A difference means reads raced with a change, or
    /// JumpCloud's rules differ from our model; either way the scope could drop users, so fail.
    pub verify_app_scope: bool,
}

impl Default for SnapshotOptions {
    fn default() -> Self {
        SnapshotOptions {
            concurrency: 4,
            app_id: None,
            verify_app_scope: true,
        }
    }
}

/// A read's phase; the window shows it as it is (TypeScript name `DirectoryReadPhase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DirectoryReadPhase")]
pub enum SnapshotPhase {
    /// Users, groups and applications lists.
    Collections,
    /// Per-group members and per-application bindings.
    Relations,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct SnapshotProgress {
    pub phase: SnapshotPhase,
    pub done: u64,
    pub total: u64,
    pub requests: u64,
}

enum Relation {
    Members(String, GroupMembers),
    Effective(String, Vec<String>),
    AppGroups(String, Vec<Bound>),
    AppUsers(String, Vec<Bound>),
}

impl Client {
    /// Reads users, groups, memberships (direct and effective), applications and bindings.
    /// `progress` is called from this task, never concurrently.
    pub async fn snapshot(
        &self,
        options: &SnapshotOptions,
        mut progress: impl FnMut(SnapshotProgress),
        cancel: &CancellationToken,
    ) -> Result<Directory> {
        let client = self.with_cancellation(cancel.clone());
        progress(SnapshotProgress {
            phase: SnapshotPhase::Collections,
            done: 0,
            total: 3,
            requests: client.request_count(),
        });
        let (users, groups, mut applications) = tokio::try_join!(
            client.system_users(),
            client.user_groups(),
            client.applications()
        )?;
        if let Some(app) = &options.app_id {
            applications.retain(|a| &a.id == app);
            if applications.is_empty() {
                return Err(Error::AppNotFound(app.clone()));
            }
        }
        progress(SnapshotProgress {
            phase: SnapshotPhase::Collections,
            done: 3,
            total: 3,
            requests: client.request_count(),
        });

        let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
        let mut tasks: JoinSet<Result<Relation>> = JoinSet::new();
        let spawn = |tasks: &mut JoinSet<Result<Relation>>, job: Job| {
            let client = client.clone();
            let permits = permits.clone();
            tasks.spawn(async move {
                let _permit = permits
                    .acquire_owned()
                    .await
                    .map_err(|_| Error::Cancelled)?;
                job.run(&client).await
            });
        };
        for g in &groups {
            spawn(&mut tasks, Job::Members(g.id.clone()));
            spawn(&mut tasks, Job::Effective(g.id.clone()));
        }
        for a in &applications {
            spawn(&mut tasks, Job::AppGroups(a.id.clone()));
            spawn(&mut tasks, Job::AppUsers(a.id.clone()));
        }
        let total = tasks.len() as u64;
        let mut dir = Directory {
            users,
            groups,
            applications,
            ..Default::default()
        };
        let mut reported_app_users: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut done = 0;
        while let Some(joined) = tasks.join_next().await {
            // Dropping `tasks` on return aborts every request still running.
            let relation = joined.map_err(|e| {
                if e.is_cancelled() {
                    Error::Cancelled
                } else {
                    Error::Inconsistent(format!("a read task failed: {e}"))
                }
            })??;
            match relation {
                Relation::Members(g, m) => {
                    dir.members.insert(g, m);
                }
                Relation::Effective(g, users) => {
                    dir.effective_members.insert(g, users);
                }
                Relation::AppGroups(a, bound) => {
                    dir.bindings.entry(a).or_default().user_groups = bound
                        .into_iter()
                        .filter(|b| b.direct)
                        .map(|b| b.id)
                        .collect();
                }
                Relation::AppUsers(a, bound) => {
                    let all: Vec<String> = bound.iter().map(|b| b.id.clone()).collect();
                    reported_app_users.insert(a.clone(), all);
                    dir.bindings.entry(a).or_default().users = bound
                        .into_iter()
                        .filter(|b| b.direct)
                        .map(|b| b.id)
                        .collect();
                }
            }
            done += 1;
            progress(SnapshotProgress {
                phase: SnapshotPhase::Relations,
                done,
                total,
                requests: client.request_count(),
            });
        }
        dir.sort();
        dir.validate().map_err(Error::Inconsistent)?;
        if options.verify_app_scope {
            verify_app_scopes(&dir, reported_app_users)?;
        }
        progress(SnapshotProgress {
            phase: SnapshotPhase::Done,
            done: total,
            total,
            requests: client.request_count(),
        });
        Ok(dir)
    }
}

enum Job {
    Members(String),
    Effective(String),
    AppGroups(String),
    AppUsers(String),
}

impl Job {
    async fn run(self, client: &Client) -> Result<Relation> {
        Ok(match self {
            Job::Members(g) => {
                let m = client.group_members(&g).await?;
                Relation::Members(g, m)
            }
            Job::Effective(g) => {
                let m = client.group_membership(&g).await?;
                Relation::Effective(g, m)
            }
            Job::AppGroups(a) => {
                let b = client.app_user_groups(&a).await?;
                Relation::AppGroups(a, b)
            }
            Job::AppUsers(a) => {
                let b = client.app_users(&a).await?;
                Relation::AppUsers(a, b)
            }
        })
    }
}

fn verify_app_scopes(dir: &Directory, reported: BTreeMap<String, Vec<String>>) -> Result<()> {
    for (app, mut users) in reported {
        users.sort();
        users.dedup();
        let computed = dir.app_scope(&app)?.users;
        if computed != users {
            let missing = users
                .iter()
                .filter(|u| computed.binary_search(u).is_err())
                .count();
            let extra = computed
                .iter()
                .filter(|u| users.binary_search(u).is_err())
                .count();
            return Err(Error::Inconsistent(format!(
                "application {app}: JumpCloud reports {} users, bindings and memberships give {} \
                 ({missing} only in JumpCloud's list, {extra} only in ours)",
                users.len(),
                computed.len()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::AppBinding;
    use crate::model::{Application, SystemUser};

    #[test]
    fn app_scope_check_catches_users_our_model_would_drop() {
        let mut dir = Directory {
            users: ["u1", "u2"]
                .iter()
                .map(|id| SystemUser {
                    id: id.to_string(),
                    ..Default::default()
                })
                .collect(),
            applications: vec![Application {
                id: "a".into(),
                name: "custom-scim".into(),
                display_name: None,
                display_label: None,
                sso_url: None,
                description: None,
                active: true,
            }],
            ..Default::default()
        };
        dir.bindings.insert(
            "a".into(),
            AppBinding {
                user_groups: vec![],
                users: vec!["u1".into()],
            },
        );
        dir.normalize();
        let agree = BTreeMap::from([("a".to_string(), vec!["u1".to_string()])]);
        verify_app_scopes(&dir, agree).unwrap();
        let differ = BTreeMap::from([("a".to_string(), vec!["u2".into(), "u1".into()])]);
        let err = verify_app_scopes(&dir, differ).unwrap_err();
        assert!(matches!(err, Error::Inconsistent(m) if m.contains("1 only in JumpCloud's list")));
    }
}
