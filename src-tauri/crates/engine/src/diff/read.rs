//! Reading everything a target holds: users and groups concurrently, then memberships the way
//! the target's dialect allows: inline, or, where groups come back without members (AWS), one
//! filtered list per group or per user, whichever side has fewer resources.
//!
//! Why that is the fewest requests AWS allows: a membership can only be learnt by listing the
//! users of its group (`GET /Users?filter=groups.value eq "g"`), the groups of its user
//! (`GET /Groups?filter=members eq "u"`) or by asking for the one pair (`id eq "g" and members
//! eq "u"`). Every (group, user) pair must be covered, so either every group or every user is
//! listed (a plan that leaves `a` groups and `b` users unlisted needs `a * b` pair reads, at least
//! `groups + users - 1` requests in all). Each list costs one request per 100 results, at least
//! one. See `examples/diff_requests.rs` for the measured count against that minimum.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use drift::{Actual, Record};
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::error::{Error, Job, Result};

/// Where a diff run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffPhase {
    /// Listing the target's users and groups.
    Reading,
    /// Reading group memberships (a request per group or per user on targets that do not list
    /// members).
    Memberships,
    /// Comparing with what JumpCloud would push.
    Comparing,
    Done,
}

/// A progress report; sent after every page and at each phase change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiffProgress {
    pub phase: DiffPhase,
    pub users_read: u64,
    /// The target's `totalResults`, when it sends one.
    pub users_total: Option<u64>,
    pub groups_read: u64,
    pub groups_total: Option<u64>,
    /// Membership lists done and to do (one per group, or per user, on targets whose groups
    /// come back without members; 0 and `None` elsewhere).
    pub member_lists_read: u64,
    pub member_lists_total: Option<u64>,
    /// Units of the current phase (resources while reading, lists while reading memberships)
    /// a second since the phase began; `None` in its first second.
    pub per_second: Option<f64>,
    /// Seconds the current phase has left at that rate, when its total is known.
    pub seconds_left: Option<u64>,
    /// HTTP requests sent so far in this run (retries included).
    pub requests: u64,
    /// Requests the target refused for load (429) in this run; each was waited out and sent
    /// again.
    pub refused: u64,
    /// The request rate the client keeps to after the target refused for load (`None` while
    /// the target has not).
    pub pace: Option<f64>,
}

impl Default for DiffProgress {
    /// Nothing read yet.
    fn default() -> Self {
        DiffProgress {
            phase: DiffPhase::Reading,
            users_read: 0,
            users_total: None,
            groups_read: 0,
            groups_total: None,
            member_lists_read: 0,
            member_lists_total: None,
            per_second: None,
            seconds_left: None,
            requests: 0,
            refused: 0,
            pace: None,
        }
    }
}

impl DiffProgress {
    /// The current phase's units done and, when known, in all.
    fn phase_units(&self) -> (u64, Option<u64>) {
        match self.phase {
            DiffPhase::Reading => (
                self.users_read + self.groups_read,
                self.users_total.zip(self.groups_total).map(|(u, g)| u + g),
            ),
            DiffPhase::Memberships => (self.member_lists_read, self.member_lists_total),
            DiffPhase::Comparing | DiffPhase::Done => (0, None),
        }
    }
}

/// Merges the progress of the concurrent reads into one stream of reports.
pub(crate) struct Tracker<'a> {
    sink: &'a (dyn Fn(DiffProgress) + Send + Sync),
    requests: &'a AtomicU64,
    client: &'a scim::Client,
    /// The client's refusals before this run (its counters are the client's lifetime's).
    refused_before: u64,
    state: Mutex<(DiffProgress, Instant)>,
}

impl<'a> Tracker<'a> {
    pub(crate) fn new(
        sink: &'a (dyn Fn(DiffProgress) + Send + Sync),
        requests: &'a AtomicU64,
        client: &'a scim::Client,
    ) -> Self {
        Self {
            sink,
            requests,
            client,
            refused_before: client.stats().throttled,
            state: Mutex::new((DiffProgress::default(), Instant::now())),
        }
    }

    fn update(&self, change: impl FnOnce(&mut DiffProgress)) {
        let snapshot = {
            let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let (state, phase_began) = &mut *guard;
            let phase = state.phase;
            change(state);
            if state.phase != phase {
                *phase_began = Instant::now();
            }
            state.requests = self.requests.load(Ordering::Relaxed);
            state.refused = self.client.stats().throttled - self.refused_before;
            state.pace = self.client.pace().rate;
            let elapsed = phase_began.elapsed().as_secs_f64();
            let (done, total) = state.phase_units();
            state.per_second = (elapsed >= 1.0 && done > 0).then(|| done as f64 / elapsed);
            state.seconds_left = total
                .zip(state.per_second)
                .map(|(total, rate)| (total.saturating_sub(done) as f64 / rate).ceil() as u64);
            *state
        };
        (self.sink)(snapshot);
    }

    pub(crate) fn phase(&self, phase: DiffPhase) {
        self.update(|p| p.phase = phase);
    }
}

/// Reads the whole target. Groups (and memberships) only when the target manages groups:
/// otherwise every target group would show as unexpected.
pub(crate) async fn read_target(
    client: &scim::Client,
    manage_groups: bool,
    tracker: &Tracker<'_>,
) -> Result<Actual> {
    tracker.phase(DiffPhase::Reading);
    let on_users = |p: scim::ListProgress| {
        tracker.update(|s| {
            s.users_read = p.fetched as u64;
            s.users_total = p.total;
        })
    };
    let on_groups = |p: scim::ListProgress| {
        tracker.update(|s| {
            s.groups_read = p.fetched as u64;
            s.groups_total = p.total;
        })
    };
    let users_read = client.list_all_with_progress::<scim::models::User>(None, &on_users);
    let (users, groups) = if manage_groups {
        let groups_read = client.list_all_with_progress::<scim::models::Group>(None, &on_groups);
        tokio::try_join!(users_read, groups_read).map_err(read_error)?
    } else {
        (users_read.await.map_err(read_error)?, Vec::new())
    };

    let mut memberships = Vec::new();
    if !groups.is_empty() {
        let user_ids: Vec<String> = users.iter().filter_map(|u| u.id.clone()).collect();
        let per_group = lists_users_per_group(client, groups.len(), user_ids.len());
        let (g, u) = (groups.len() as u64, user_ids.len() as u64);
        let lists = match client.config().dialect.membership_read {
            scim::MembershipRead::Inline => None,
            scim::MembershipRead::FilterByMember if per_group => Some(g),
            scim::MembershipRead::FilterByMember => Some(u),
            scim::MembershipRead::FilterByIdAndMember => Some(g * u),
        };
        tracker.update(|p| {
            p.phase = DiffPhase::Memberships;
            p.member_lists_total = lists;
        });
        let read = if per_group {
            let group_ids = groups.iter().filter_map(|g| g.id.clone()).collect();
            read_members_per_group(client, group_ids, tracker).await?
        } else {
            read_memberships(client, groups.clone(), user_ids, tracker).await?
        };
        for (group, members) in read {
            memberships.extend(members.into_iter().map(|m| (group.clone(), m)));
        }
    }

    // Each resource is packed as soon as it is encoded: one `Value` alive at a time.
    let users = users
        .iter()
        .map(|u| to_value(u).map(Record::from))
        .collect::<Result<_>>()?;
    let mut by_group = members_by_group(&memberships);
    let groups = groups
        .iter()
        .map(|g| {
            let mut value = to_value(g)?;
            show_members(&mut value, &mut by_group);
            Ok(Record::from(value))
        })
        .collect::<Result<_>>()?;
    Ok(Actual {
        users,
        groups,
        memberships,
    })
}

/// Whether to read members with one user list per group (`groups.value eq`) instead of the
/// client's per-user group lists: only for targets whose groups come back without members, and
/// only when there are no more groups than users (each list costs at least one request).
fn lists_users_per_group(client: &scim::Client, groups: usize, users: usize) -> bool {
    client.config().dialect.membership_read == scim::MembershipRead::FilterByMember
        && groups <= users
}

/// Members of each group, read as the users whose `groups.value` is the group (AWS ListUsers
/// supports this filter), at most the client's `max_concurrency` lists at a time. The first error
/// ends the read (the remaining lists are dropped, which aborts them).
async fn read_members_per_group(
    client: &scim::Client,
    group_ids: Vec<String>,
    tracker: &Tracker<'_>,
) -> Result<scim::Memberships> {
    let limit = client.config().max_concurrency.max(1);
    let mut pending = group_ids.into_iter();
    let mut running = JoinSet::new();
    let mut out = scim::Memberships::new();
    loop {
        while running.len() < limit {
            let Some(group) = pending.next() else { break };
            let client = client.clone();
            running.spawn(async move {
                let filter = scim::Filter::eq("groups.value", group.as_str());
                let users = client.list_all::<scim::models::User>(Some(&filter)).await?;
                Ok::<_, scim::Error>((group, users))
            });
        }
        let Some(joined) = running.join_next().await else {
            return Ok(out);
        };
        let (group, users) = match joined {
            Ok(read) => read.map_err(read_error)?,
            Err(e) => match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(_) => return Err(Error::Cancelled(Job::Diff)),
            },
        };
        out.insert(group, users.into_iter().filter_map(|u| u.id).collect());
        tracker.update(|p| p.member_lists_read += 1);
    }
}

/// Reads memberships the dialect's way, reporting the request count every quarter second
/// (a per-user read is one request per user and can take minutes).
///
/// The read runs on a blocking thread with its own `block_on`: the compiler cannot prove the
/// scim fan-out future `Send` (a higher-ranked lifetime limitation), and app commands must be.
async fn read_memberships(
    client: &scim::Client,
    groups: Vec<scim::models::Group>,
    user_ids: Vec<String>,
    tracker: &Tracker<'_>,
) -> Result<scim::Memberships> {
    let client = client.clone();
    let runtime = tokio::runtime::Handle::current();
    let listed = std::sync::Arc::new(AtomicU64::new(0));
    let counter = listed.clone();
    let mut task = tokio::task::spawn_blocking(move || {
        runtime
            .block_on(client.group_memberships_counted(&groups, &user_ids, &counter))
            .map_err(read_error)
    });
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
    loop {
        tokio::select! {
            joined = &mut task => {
                return match joined {
                    Ok(read) => read,
                    Err(e) => match e.try_into_panic() {
                        Ok(panic) => std::panic::resume_unwind(panic),
                        Err(_) => Err(Error::Cancelled(Job::Diff)),
                    },
                };
            }
            _ = tick.tick() => {
                tracker.update(|p| p.member_lists_read = listed.load(Ordering::Relaxed));
            }
        }
    }
}

/// Member ids per group id, from memberships read apart.
fn members_by_group(memberships: &[(String, String)]) -> HashMap<&str, Vec<&str>> {
    let mut by_group: HashMap<&str, Vec<&str>> = HashMap::new();
    for (group, user) in memberships {
        by_group
            .entry(group.as_str())
            .or_default()
            .push(user.as_str());
    }
    by_group
}

/// Targets that return groups without `members` (AWS) get the members read separately (from
/// [`members_by_group`]) written into their JSON, so the detail view shows the group as the
/// target effectively holds it.
fn show_members(group: &mut Value, by_group: &mut HashMap<&str, Vec<&str>>) {
    let has_members = group["members"].as_array().is_some_and(|m| !m.is_empty());
    if has_members {
        return;
    }
    let id = group["id"].as_str().unwrap_or_default();
    if let Some(members) = by_group.remove(id) {
        group["members"] = members.iter().map(|m| json!({ "value": m })).collect();
    }
}

fn to_value<T: serde::Serialize>(resource: &T) -> Result<Value> {
    serde_json::to_value(resource).map_err(|e| {
        Error::from(scim::Error::InvalidConfig {
            reason: format!("could not re-encode a resource read from the target: {e}"),
        })
    })
}

/// A cancelled request is the run being cancelled, not a target failure.
fn read_error(e: scim::Error) -> Error {
    match e {
        scim::Error::Cancelled => Error::Cancelled(Job::Diff),
        other => Error::from(other),
    }
}
