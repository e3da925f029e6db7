//! `scim-companion plan TARGET`: diff, then the ordered SCIM writes that would bring the target to
//! what JumpCloud would push, under a policy (managed-only and a deletion guard by default), as
//! a table or JSON, optionally saved as a plan file for `apply --plan`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use engine::plan::{Decision, DecisionKind, GuardVerdict, Plan, Policy};
use serde::{Deserialize, Serialize};

use crate::cmd::diff;
use crate::error::{CliError, CliResult};
use crate::text::{fit, wrap};
use crate::workspace::WorkspaceArgs;

/// Exit code of `plan` when the plan has operations (like `diff --detailed-exitcode`).
pub const EXIT_CHANGES: u8 = 2;

/// What a plan file says it is; `apply --plan` refuses anything else.
pub const FILE_FORMAT: &str = "scim-companion-plan";
pub const FILE_VERSION: u32 = 1;

#[derive(Args)]
#[command(after_long_help = "\
Exit codes:
  0  the plan is empty: the target already matches what JumpCloud would push
  1  error (unknown target, unreachable target or JumpCloud, bad options, ...)
  2  the plan has operations

Examples:
  scim-companion plan demo-aws
  scim-companion plan aws-prod --out plan.json && scim-companion apply aws-prod --plan plan.json
  scim-companion plan aws-prod --upsert-only --format json
  scim-companion plan aws-prod --guard-count 5 --guard-percent 2

The deletion guard's limits are the ones saved in the app's Settings (default 10 or 5%);
--guard-count/--guard-percent can only make them stricter for one run.

Nothing is written to the target. Progress goes to stderr; the plan goes to stdout.")]
pub struct PlanArgs {
    /// The target id (`scim-companion targets list`).
    pub target: String,

    /// Also save the plan to this file (JSON) for `apply --plan`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// JumpCloud directory to plan from: a JSON snapshot or a CSV export (as for `diff`).
    #[arg(long, value_name = "FILE")]
    pub directory: Option<PathBuf>,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

#[derive(Args, Clone, Debug, Default)]
pub struct PolicyArgs {
    /// Only create and update: never deactivate, delete or remove a member.
    #[arg(long)]
    pub upsert_only: bool,

    /// Also change objects JumpCloud did not create (no externalId of this directory).
    /// By default only managed objects are touched.
    #[arg(long)]
    pub all_objects: bool,

    /// The deletion guard for this run only: halt when more than N users and groups would be
    /// deactivated or deleted. Only a limit stricter than the one saved in Settings
    /// [default: 10] takes effect; a looser one is ignored (use --override-guard on apply).
    #[arg(long, value_name = "N")]
    pub guard_count: Option<u32>,

    /// The deletion guard for this run only: halt when more than P percent (0 < P <= 100) of
    /// the target's users and groups would be deactivated or deleted. Only a share stricter
    /// than the saved one [default: 5] takes effect.
    #[arg(long, value_name = "P")]
    pub guard_percent: Option<f64>,

    /// Delete accounts whose JumpCloud user was deleted, as JumpCloud does. By default they
    /// are deactivated instead, which can be undone.
    #[arg(long)]
    pub mirror_deletes: bool,

    /// Re-enable USER, whom someone disabled in the target while JumpCloud has it active (never
    /// done by default). USER is the JumpCloud username, the label shown by `diff`, the
    /// JumpCloud id or the target id; repeatable.
    #[arg(long, value_name = "USER")]
    pub reenable: Vec<String>,

    /// Choose the decision with this id (as listed under "Needs a decision", e.g.
    /// `user.delete:<target id>` on a target that deletes instead of deactivating); repeatable.
    #[arg(long, value_name = "ID")]
    pub decide: Vec<String>,
}

impl PolicyArgs {
    pub fn policy(&self) -> CliResult<Policy> {
        // Without flags the run asks for nothing stricter: the saved limits apply.
        let mut policy = Policy {
            upsert_only: self.upsert_only,
            managed_only: !self.all_objects,
            mirror_deletes: self.mirror_deletes,
            deletion_guard: engine::guard::SAVED_LIMITS_ONLY,
            ..Policy::default()
        };
        if let Some(n) = self.guard_count {
            policy.deletion_guard.max_count = n;
        }
        if let Some(p) = self.guard_percent {
            policy.deletion_guard.max_percent = p;
        }
        // The engine refuses a share outside 0 < p <= 100 for the app and the CLI alike.
        engine::guard::validate(&policy.deletion_guard)?;
        Ok(policy)
    }

    /// Whether any policy option was given (they cannot be combined with a saved plan).
    pub fn any(&self) -> bool {
        self.upsert_only
            || self.all_objects
            || self.guard_count.is_some()
            || self.guard_percent.is_some()
            || self.mirror_deletes
            || !self.reenable.is_empty()
            || !self.decide.is_empty()
    }

    /// Plans from the last diff with the explicit choices (`--reenable`, `--decide`) resolved
    /// against the decisions the plan offers; a choice that matches none is an error, so a typo
    /// never silently applies less (or more) than asked.
    pub fn plan(
        &self,
        target: &engine::session::TargetHandle<'_>,
    ) -> CliResult<(Policy, std::sync::Arc<engine::PlanReport>)> {
        let mut policy = self.policy()?;
        let first = target.plan(&policy)?;
        if self.reenable.is_empty() && self.decide.is_empty() {
            return Ok((policy, first));
        }
        let decisions = &first.plan.decisions;
        for who in &self.reenable {
            let found: Vec<&Decision> = decisions
                .iter()
                .filter(|d| d.kind == DecisionKind::Reenable && names(d, who))
                .collect();
            if found.is_empty() {
                return Err(CliError::new(format!(
                    "--reenable {who}: no user disabled in the target matches"
                ))
                .with_hint("`scim-companion diff TARGET --state disabled` lists them."));
            }
            policy.decided.extend(found.iter().map(|d| d.id.clone()));
        }
        for id in &self.decide {
            if !decisions.iter().any(|d| &d.id == id) {
                return Err(CliError::new(format!(
                    "--decide {id}: the plan offers no such decision"
                ))
                .with_hint("`scim-companion plan TARGET` lists them under \"Needs a decision\"."));
            }
            policy.decided.push(id.clone());
        }
        policy.decided.sort();
        policy.decided.dedup();
        let planned = target.plan(&policy)?;
        Ok((policy, planned))
    }

    /// Says on stderr when a flag asks for a looser limit than the saved one (it is ignored).
    pub fn note_looser_than(&self, saved: &engine::guard::DeletionGuard) {
        if self.guard_count.is_some_and(|n| n > saved.max_count) {
            eprintln!(
                "note: --guard-count is looser than the saved limit ({}), which applies; approve a larger plan with --override-guard",
                saved.max_count
            );
        }
        if self.guard_percent.is_some_and(|p| p > saved.max_percent) {
            eprintln!(
                "note: --guard-percent is looser than the saved limit ({}%), which applies; approve a larger plan with --override-guard",
                saved.max_percent
            );
        }
    }
}

/// Whether `who` names the decision's user: its JumpCloud id, target id, or label (which holds
/// the userName), without case.
fn names(d: &Decision, who: &str) -> bool {
    let who = who.trim();
    d.source_id.as_deref() == Some(who)
        || d.target_id.as_deref() == Some(who)
        || d.label.eq_ignore_ascii_case(who)
        || d.label
            .to_lowercase()
            .contains(&format!("({})", who.to_lowercase()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// A saved plan: what was reviewed, under which policy, made from which diff.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanFile {
    pub format: String,
    pub version: u32,
    pub target_id: String,
    pub target_name: String,
    pub policy: Policy,
    pub plan: Plan,
    pub created_at: DateTime<Utc>,
    /// When the diff the plan was made from finished.
    pub diff_finished_at: DateTime<Utc>,
}

impl PlanFile {
    pub fn new(report: &engine::PlanReport, policy: &Policy) -> Self {
        PlanFile {
            format: FILE_FORMAT.to_owned(),
            version: FILE_VERSION,
            target_id: report.target_id.clone(),
            target_name: report.target_name.clone(),
            policy: policy.clone(),
            plan: report.plan.clone(),
            created_at: Utc::now(),
            diff_finished_at: report.diff_finished_at.into(),
        }
    }

    pub fn to_json(&self) -> CliResult<String> {
        serde_json::to_string_pretty(self)
            .map(|s| s + "\n")
            .map_err(|e| CliError::new(format!("internal: the plan does not serialise: {e}")))
    }

    /// Reads and checks a plan file.
    pub fn load(path: &Path) -> CliResult<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            CliError::new(format!("{} is not a plan file: {e}", path.display()))
                .with_hint("Write one with `scim-companion plan TARGET --out FILE`.")
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FILE_FORMAT) {
            return Err(
                CliError::new(format!("{} is not a plan file", path.display()))
                    .with_hint("Write one with `scim-companion plan TARGET --out FILE`."),
            );
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != u64::from(FILE_VERSION) {
            return Err(CliError::new(format!(
                "{} is a plan file of version {version}; this scim-companion reads version {FILE_VERSION}",
                path.display()
            ))
            .with_hint("Make the plan again with this version: `scim-companion plan TARGET --out FILE`."));
        }
        serde_json::from_value(value)
            .map_err(|e| CliError::new(format!("{} is not a valid plan file: {e}", path.display())))
    }
}

/// Writes `text` to `path` through a temporary file in the same folder, so a reader never sees
/// half a plan.
pub fn write_atomically(path: &Path, text: &str) -> CliResult<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan.json".to_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| CliError::new(format!("cannot write {}: {e}", path.display()));
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

pub async fn run(args: PlanArgs) -> CliResult<ExitCode> {
    args.policy.policy()?; // bad options fail before any read
    let (session, target) =
        diff::open_target(&args.target, args.directory.as_deref(), &args.workspace).await?;
    diff::read(&session, &target).await?;
    args.policy
        .note_looser_than(&session.workspace().deletion_guard());
    let (policy, planned) = args.policy.plan(&session.target(&target.id)?)?;
    let file = PlanFile::new(&planned, &policy);
    if let Some(out) = &args.out {
        write_atomically(out, &file.to_json()?)?;
        eprintln!(
            "plan saved to {}: apply it with `scim-companion apply {} --plan {}`",
            out.display(),
            target.id,
            out.display()
        );
    }
    match args.format {
        Format::Table => print!(
            "{}",
            table(
                &planned.target_name,
                &planned.target_id,
                &planned.plan,
                diff::terminal_width()
            )
        ),
        Format::Json => print!("{}", file.to_json()?),
    }
    Ok(if planned.plan.operations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_CHANGES)
    })
}

/// One line per operation in run order (phase, action, label, destructive marker, reason), the
/// counts, what was left alone, and the deletion guard's verdict.
pub fn table(target_name: &str, target_id: &str, plan: &Plan, width: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let c = &plan.counts;
    let _ = writeln!(
        out,
        "Plan for {target_name} ({target_id}): {} operations, {} destructive",
        c.operations, c.destructive
    );
    let _ = writeln!(
        out,
        "  {} create(s), {} update(s), {} deactivation(s), {} deletion(s), {} member(s) added, {} removed; {} left alone",
        c.creates, c.updates, c.deactivations, c.deletions, c.members_added, c.members_removed, c.skipped
    );
    let p = &plan.policy;
    let _ = writeln!(
        out,
        "  policy: {}, {}, {}, guard at {} or {}%",
        if p.upsert_only {
            "upsert only"
        } else {
            "creates, updates and removals"
        },
        if p.managed_only {
            "managed objects only"
        } else {
            "all objects"
        },
        if p.mirror_deletes {
            "deletes mirrored"
        } else {
            "deleted users deactivated"
        },
        p.deletion_guard.max_count,
        p.deletion_guard.max_percent
    );
    let _ = writeln!(out, "  {}", guard_text(&plan.guard));
    let _ = writeln!(out);
    if plan.operations.is_empty() {
        let _ = writeln!(
            out,
            "No operations: the target matches what JumpCloud would push."
        );
    } else {
        let (wp, wa, wx) = (5, 15, 1);
        let rest = width.saturating_sub(wp + wa + wx + 4).max(30);
        let wl = (rest * 2 / 5).clamp(16, 40);
        let wr = rest.saturating_sub(wl + 1).max(10);
        let _ = writeln!(
            out,
            "{:<wp$} {:<wa$} {:<wx$} {:<wl$} REASON",
            "PHASE", "ACTION", "!", "NAME"
        );
        let indent = " ".repeat(wp + wa + wx + wl + 4);
        for op in &plan.operations {
            let mut label = op.label.clone();
            if !op.members.is_empty() {
                label = format!("{label} ({} members)", op.members.len());
            }
            let mut reason = wrap(&op.reason, wr).into_iter();
            let _ = writeln!(
                out,
                "{:<wp$} {:<wa$} {:<wx$} {:<wl$} {}",
                op.action.phase() + 1,
                op.action.name(),
                if op.destructive { "!" } else { "" },
                fit(&label, wl),
                reason.next().unwrap_or_default()
            );
            for more in reason {
                let _ = writeln!(out, "{indent}{more}");
            }
        }
        let _ = writeln!(
            out,
            "\n! = destructive (deactivates, deletes or removes access)"
        );
    }
    if !plan.decisions.is_empty() {
        let _ = writeln!(
            out,
            "\nNeeds a decision ({}; written only when chosen with --reenable USER or --decide ID):",
            plan.decisions.len()
        );
        for d in plan.decisions.iter().take(50) {
            let _ = writeln!(
                out,
                "  [{}] {}: {}\n      id {}; if chosen: {}",
                if d.chosen { "x" } else { " " },
                fit(&d.label, 40),
                d.reason,
                d.id,
                d.choice
            );
        }
        if plan.decisions.len() > 50 {
            let _ = writeln!(out, "  ... and {} more", plan.decisions.len() - 50);
        }
    }
    if !plan.skipped.is_empty() {
        let _ = writeln!(out, "\nLeft alone ({}):", plan.skipped.len());
        for s in plan.skipped.iter().take(20) {
            let _ = writeln!(out, "  {}: {}", fit(&s.label, 40), s.reason);
        }
        if plan.skipped.len() > 20 {
            let _ = writeln!(out, "  ... and {} more", plan.skipped.len() - 20);
        }
    }
    out
}

pub fn guard_text(g: &GuardVerdict) -> String {
    let verdict = if g.tripped { "HALTED" } else { "ok" };
    format!(
        "deletion guard: {verdict} ({} deactivation(s) or deletion(s) of {} objects; limit {} or {}%)",
        g.deprovisions, g.target_objects, g.max_count, g.max_percent
    )
}
